#!/bin/sh
# Column maps (issue 15, measured for issue 20): the benchmark's practice
# read from its EHR export through bench/export-map.ini against the same
# rows as attendance.csv — part of make bench (bench/run.sh), runs alone
# too.
#
#   bench/exports.sh [LINES]     default 1000000
#
# gensample --export writes the rows of att-x-LINES.csv (the benchmark's
# main file) as an EHR exports them: ';' between fields, US dates, a start
# time and no session id (sessions are made from date, clinician, group
# and start), Excel's ="..." guard on the member id, the EHR's words.
# Both are read by `grouprev check` (load, pricing and the payer rules:
# what the map changes) with GROUPREV_TIMING, and by `grouprev report`;
# the export's summary.csv, groups.csv and sizes.csv must be those of the
# attendance file, byte for byte.  Prints a markdown table as bench/run.sh
# does.
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
mkdir -p bench/data
make -s grouprev build/tools/gensample
a=bench/data/att-x-$n.csv
x=bench/data/exp-$n.csv
if [ ! -s "$x" ] || [ ! -s "$a" ]; then
	build/tools/gensample --seed 7 --lines "$n" --clean --excel --attendance "$a" --export "$x"
fi
measure() { # label, command...: prints "label wall cpu rss"
	label=$1; shift
	sync
	GROUPREV_TIMING=1 /usr/bin/time -f "%e %U %S %M" -o bench/data/time.txt "$@" \
		>bench/data/out.txt 2>bench/data/err.txt || true
	# check exits 1 when it finds something; time then says so first.
	set -- $(tail -1 bench/data/time.txt)
	wall=$1 user=$2 sys=$3 rss=$4
	stages=$(grep '^timing' bench/data/err.txt || true)
	echo "$label $wall $(echo "$user + $sys" | bc) $rss"
	echo "$label: $stages" >&2
}
rows=$(($(wc -l <"$a") - 1))
echo
echo "Column maps: $rows rows, the same practice as attendance.csv and as its EHR export"
echo
echo "| lines | input | command | wall s | CPU s | MB/s | peak MB | bytes/line |"
echo "|---|---|---|---|---|---|---|---|"
rm -rf bench/data/exp-out-a bench/data/exp-out-x
for r in \
	"$(measure attendance ./grouprev check "$a")|$a|check" \
	"$(measure export ./grouprev check "$x" --map bench/export-map.ini)|$x|check" \
	"$(measure attendance-report ./grouprev report "$a" --out bench/data/exp-out-a)|$a|report" \
	"$(measure export-report ./grouprev report "$x" --map bench/export-map.ini --out bench/data/exp-out-x)|$x|report"; do
	m=${r%%|*}; rest=${r#*|}; file=${rest%%|*}; cmd=${rest#*|}
	set -- $m
	mb=$(echo "scale=1; $(stat -c %s "$file") / 1048576" | bc)
	echo "| $rows | $1 | $cmd | $2 | $3 | $(echo "scale=0; $mb / $2" | bc) | $(($4 / 1024)) | $(($4 * 1024 / rows)) |"
done
same=yes
for t in summary groups sizes; do
	cmp -s bench/data/exp-out-a/$t.csv bench/data/exp-out-x/$t.csv || same=NO
done
echo
echo "the export's summary.csv, groups.csv and sizes.csv identical to the attendance file's: $same"
[ "$same" = yes ]
