#!/bin/sh
# bench/remit.sh — part of make bench (bench/run.sh); runs alone too.
set -eu
cd "$(dirname "$0")/.."
mkdir -p bench/data
make -s grouprev build/tools/gensample
# Remittances (issue 14): a year of a large practice's 835s — the paid and
# denied rows of REMIT_LINES attendance rows, written by the generator with
# the attendance file — read and matched on one core.  The stages are in
# CPU seconds of the thread (GROUPREV_TIMING), which a busy machine does
# not inflate.
REMIT_LINES=${REMIT_LINES:-625000}
ra=bench/data/att-$REMIT_LINES.csv
rf=bench/data/remit-$REMIT_LINES.835
[ -s "$rf" ] && [ -s "$ra" ] || build/tools/gensample --seed 7 --lines "$REMIT_LINES" --clean \
	--attendance "$ra" --remit "$rf"
svc=$(grep -c '^SVC' "$rf")
rmb=$(echo "scale=1; $(stat -c %s "$rf") / 1048576" | bc)
rm -rf bench/data/remit-out
sync
GROUPREV_TIMING=1 GROUPREV_THREADS=1 /usr/bin/time -f "%e %U %S %M" -o bench/data/time.txt \
	./grouprev remit "$rf" --attendance "$ra" --out bench/data/remit-out \
	>bench/data/out.txt 2>bench/data/err.txt || true
read -r wall user sys rss <bench/data/time.txt
echo
echo "remit: $svc service lines, $rmb MB of 835, with $REMIT_LINES attendance rows, one thread:"
echo "  $(grep '^timing' bench/data/err.txt)"
echo "  whole run: $wall s wall, $(echo "$user + $sys" | bc) s CPU, peak $((rss / 1024)) MB"
echo "  $(grep '^matched' bench/data/out.txt)"
