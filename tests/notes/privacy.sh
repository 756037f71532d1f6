#!/bin/sh
# No note text in any output (spec/notes.md, Privacy).  The demo practice
# with its notes (gensample --out) is run through report and check with
# --notes, and once more with a notes file full of bad rows; then every
# output — each CSV, the PDF's text (pdftotext), stdout and stderr — is
# searched for every run of six words of every note.  Both sides are
# normalised first (lower case, anything but letters and digits a
# space), so a run printed in another case or punctuation is found too.
#
#   tests/notes/privacy.sh PROGRAM GENSAMPLE
prog=$1
gen=$2
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
case $gen in /*) ;; *) gen=$(pwd)/$gen ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cd "$tmp" || exit 1
mkdir in && "$gen" --seed 20261 --out in >/dev/null || exit 1
# The same notes with bad rows: a bad date, an empty session, a note for
# no line, a second note for a line, an unterminated quote at the end.
head -1 in/notes.csv >bad.csv
sed -n 2,40p in/notes.csv >>bad.csv
sed -n 2p in/notes.csv | sed 's/^\([^,]*\),\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,\4,2026-02-30,/' >>bad.csv
sed -n 3p in/notes.csv | sed 's/^[^,]*,/,/' >>bad.csv
sed -n 4p in/notes.csv | sed 's/^[^,]*,/NO-SUCH-SESSION,/' >>bad.csv
sed -n 5p in/notes.csv >>bad.csv
sed -n 6p in/notes.csv | sed 's/"$//' >>bad.csv
run() { # NAME ARGS...: outputs into out-NAME/, stdout and stderr beside them
	name=$1; shift
	mkdir -p "out-$name"
	"$prog" "$@" >"out-$name/stdout" 2>"out-$name/stderr"
	st=$?
	if [ $st -gt 1 ]; then echo "FAIL privacy: $name exited $st"; cat "out-$name/stderr"; fail=1; fi
}
run report report in/attendance.csv --notes in/notes.csv --plan in/plan.csv --out out-report
run check check in/attendance.csv --notes in/notes.csv --csv out-check/check.csv
run redact report in/attendance.csv --notes in/notes.csv --redact --redact-key key.hex --out out-redact
run bad report in/attendance.csv --notes bad.csv --out out-bad
run badcheck check in/attendance.csv --notes bad.csv --csv out-badcheck/check.csv
for pdf in out-*/*.pdf; do pdftotext "$pdf" "$pdf.txt" || fail=1; done
grep -q 'Documentation audit' out-report/report.pdf.txt ||
	{ echo "FAIL privacy: the report has no documentation audit page"; fail=1; }
grep -q note_ out-report/claims.csv ||
	{ echo "FAIL privacy: claims.csv has no notes finding"; fail=1; }
# Every output, normalised, one file.
cat out-*/*.csv out-*/*.txt out-*/stdout out-*/stderr |
	tr 'A-Z' 'a-z' | tr -cs 'a-z0-9\n' ' ' >all.txt
# Every run of six words of every note: the text is the last field,
# quoted (the generator writes no quote inside a note).
runs() {
	sed -n '2,$p' "$1" | sed 's/^[^"]*"//; s/"$//' | tr 'A-Z' 'a-z' |
		tr -cs 'a-z0-9\n' ' ' |
		awk '{ for (i = 1; i + 5 <= NF; i++) print $i, $(i+1), $(i+2), $(i+3), $(i+4), $(i+5) }'
}
{ runs in/notes.csv; runs bad.csv; } | sort -u >runs.txt
n=$(wc -l <runs.txt)
[ "$n" -gt 10000 ] || { echo "FAIL privacy: only $n runs of six words"; fail=1; }
# The search can fail: one run planted in a copy of the outputs is found.
{ cat all.txt; sed -n 100p runs.txt; } >planted.txt
grep -qF -f runs.txt planted.txt || { echo "FAIL privacy: a planted run was not found"; fail=1; }
if grep -F -f runs.txt all.txt >found.txt; then
	echo "FAIL privacy: note text in the outputs:"; head -5 found.txt | cut -c1-200; fail=1
fi
[ $fail = 0 ] && echo "privacy: none of $n six-word runs of the notes in any output"
[ -n "${CHECK_TALLY:-}" ] && echo "$((1 - fail)) $fail" >>"$CHECK_TALLY"
exit $fail
