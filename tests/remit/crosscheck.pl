#!/usr/bin/perl
# crosscheck.pl FILE — the segments of FILE as Debian's X12::Parser
# (libx12-parser-perl) reads them, printed like tools/x12dump:
# "N<TAB>ID<TAB>E1...", trailing empty elements left out (Perl's split
# drops them).  X12::Parser needs a loop configuration; the 4010 835 one
# it ships is used only to walk the file, every segment is printed
# whatever loop it falls in.  An independent reader: it shares no code
# with grouprev (separators from the ISA's fixed bytes 4, 105 and 106).
use strict;
use warnings;
use X12::Parser;

my $p = X12::Parser->new;
$p->parsefile(file => $ARGV[0],
	      conf => '/usr/share/perl5/X12/Parser/cf/835_004010X091.cf');
my $sep = $p->get_element_separator;
my $n = 0;
while (my $loop = $p->get_next_loop) {
	for my $s ($p->get_loop_segments) {
		$n++;
		my @e = split(/\Q$sep\E/, $s);
		print join("\t", $n, @e), "\n";
	}
}
