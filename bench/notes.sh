#!/bin/sh
# The notes audit's benchmark (make bench-notes, part of make bench):
# grouprev check with --notes on N notes of about 2 KB (default 100,000,
# about 200 MB), against the target of issue 16: under 5 seconds here.
#
#   bench/notes.sh [N]
#
# The files are made by gensample --bench-notes (seeded; sessions of eight
# members, three group paragraphs and a long member part a note) and
# cached in bench/data/.  Three runs on every core and one on one thread
# (GROUPREV_THREADS=1; its output is compared with the others'), and the
# same check without --notes for what the attendance file alone costs.
# Prints a markdown table of wall and CPU seconds, peak memory and the
# stages (GROUPREV_TIMING), and the load average, which on a shared
# machine is most of the difference between CPU and wall time.
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
d=bench/data/notes-$N
mkdir -p "$d"
make -s grouprev build/tools/gensample
[ -s "$d/notes.csv" ] || build/tools/gensample --seed 5 --bench-notes "$N" --out "$d"
mb=$(echo "scale=1; $(stat -c %s "$d/notes.csv") / 1048576" | bc)
measure() { # label, command...: prints "label wall cpu rss stages"
	label=$1; shift
	sync
	GROUPREV_TIMING=1 /usr/bin/time -f "%e %U %S %M" -o "$d/time.txt" "$@" \
		>"$d/out-$label.txt" 2>"$d/err.txt" || true
	# check exits 1 when it finds something; time then says so first.
	set -- $(tail -1 "$d/time.txt")
	st=$(grep '^timing: notes' "$d/err.txt" | sed 's/^timing: //' || true)
	echo "$label|$1|$(echo "$2 + $3" | bc)|$(($4 / 1024))|$st"
}
echo "notes.csv: $N notes, $mb MB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall s | CPU s | peak MB | notes stages |"
echo "|---|---|---|---|---|"
measure attendance-only ./grouprev check "$d/attendance.csv" | sed 's/^/| /; s/$/ |/'
for i in 1 2 3; do
	measure "notes-$i" ./grouprev check "$d/attendance.csv" --notes "$d/notes.csv" |
		sed 's/^/| /; s/$/ |/'
done
GROUPREV_THREADS=1 measure notes-1thread ./grouprev check "$d/attendance.csv" \
	--notes "$d/notes.csv" | sed 's/^/| /; s/$/ |/'
same=yes
for i in 2 3 1thread; do cmp -s "$d/out-notes-1.txt" "$d/out-notes-$i.txt" || same=NO; done
echo
echo "outputs of every run the same: $same; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ $same = yes ]
