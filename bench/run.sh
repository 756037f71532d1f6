#!/bin/sh
# The benchmark (make bench): grouprev report against the libcsv floor and
# DuckDB on the same attendance files, on this machine, in one run.
#
#   bench/run.sh [LINES ...]      default: 1000000 10000000
#
# Files are made by the sample generator (seeded, no defects) and cached in
# bench/data/ (ignored by git).  DuckDB is installed for the benchmark only,
# with npm, into bench/node_modules/ (ignored).  Prints a markdown table of
# wall time, CPU time, MB/s and peak memory, and the ratios.  grouprev
# runs with a parser thread per core, grouprev1 with GROUPREV_THREADS=1;
# their outputs are compared byte for byte.  DuckDB runs the lean query of
# bench/duckdb.mjs (the reference for the ratios) on 2 threads and on 1,
# and the benchmark's first, wide query on 2 (duckdb2-wide).
set -eu
cd "$(dirname "$0")/.."
LINES=${*:-"1000000 10000000"}
mkdir -p bench/data
make -s grouprev build/tools/gensample
cc -O2 -o bench/data/floor bench/floor.c -lcsv
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
	npm install --silent --no-audit --no-fund --prefix bench @duckdb/node-api >/dev/null
fi
measure() { # label, command...: prints "label wall cpu rss"
	label=$1; shift
	# The gigabyte of claims.csv a run before left to the kernel is
	# written out first, so that no run pays for another's writeback.
	sync
	/usr/bin/time -f "%e %U %S %M" -o bench/data/time.txt "$@" >bench/data/out.txt 2>bench/data/err.txt
	read -r wall user sys rss <bench/data/time.txt
	echo "$label $wall $(echo "$user + $sys" | bc) $rss"
}
echo "| lines | tool | wall s | CPU s | MB/s | peak MB | bytes/line | wall vs DuckDB (2 threads) |"
echo "|---|---|---|---|---|---|---|---|"
for n in $LINES; do
	f=bench/data/att-$n.csv
	[ -s "$f" ] || build/tools/gensample --seed 7 --lines "$n" --clean >"$f"
	size=$(stat -c %s "$f")
	mb=$(echo "scale=1; $size / 1048576" | bc)
	rows=$(($(wc -l <"$f") - 1))
	duck=$(measure duckdb2 node bench/duckdb.mjs "$f" rate-tables 2 lean)
	duck1=$(measure duckdb1 node bench/duckdb.mjs "$f" rate-tables 1 lean)
	wide=$(measure duckdb2-wide node bench/duckdb.mjs "$f" rate-tables 2 wide)
	floor=$(measure floor bench/data/floor "$f")
	# Output folders start empty, as on a first run: replacing last
	# run's gigabyte of claims.csv makes the kernel free its blocks
	# during the rename, seconds that belong to no tool.
	rm -rf bench/data/out1-$n bench/data/out-$n
	GROUPREV_TIMING=1 GROUPREV_THREADS=1 measure grouprev1 ./grouprev report "$f" \
		--out bench/data/out1-$n >bench/data/gr.txt || true
	gr1=$(cat bench/data/gr.txt)
	stages1=$(grep '^timing' bench/data/err.txt || true)
	GROUPREV_TIMING=1 measure grouprev ./grouprev report "$f" --out bench/data/out-$n >bench/data/gr.txt || true
	gr=$(cat bench/data/gr.txt)
	stages=$(grep '^timing' bench/data/err.txt || true)
	# Parsing on every core must not change a byte of the outputs.
	if diff -r bench/data/out1-$n bench/data/out-$n >/dev/null; then same=yes; else same=NO; fi
	dwall=$(echo "$duck" | cut -d' ' -f2)
	for r in "$gr" "$gr1" "$floor" "$duck" "$duck1" "$wide"; do
		set -- $r
		echo "| $rows | $1 | $2 | $3 | $(echo "scale=0; $mb / $2" | bc) | $(($4 / 1024)) | $(($4 * 1024 / rows)) | $(echo "scale=2; $2 / $dwall" | bc) |"
	done
	echo "grouprev stages at $rows lines: $stages" >&2
	echo "grouprev1 (one parser thread) stages at $rows lines: $stages1" >&2
	echo "outputs of grouprev and grouprev1 identical at $rows lines: $same" >&2
	# DuckDB must compute what grouprev computes: its sums against
	# summary.csv and sizes.csv (up to 2M lines; a pass costs what the
	# query does).
	if [ "$rows" -le 2000000 ]; then
		node bench/duckdb.mjs "$f" rate-tables 2 lean bench/data/out-$n >&2
	fi
done
# Remittances (issue 14): bench/remit.sh.
sh bench/remit.sh
