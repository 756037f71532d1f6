#!/bin/sh
# Parsing on several cores gives the same bytes as one thread (issue 7):
# a 200,000-line file (23 MB, so it is cut into parts) with quoted line
# breaks and bad rows scattered through it, reported with 1, 2 and 5
# parser threads; every output file and the messages must be identical.
#   tests/parallel.sh PROGRAM GENSAMPLE
prog=$1 gen=$2
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL parallel: $*"; }
# With the receivables columns, so their checks run on the parser threads.
"$gen" --seed 11 --lines 200000 --receivables >"$tmp/raw.csv" || exit 1
# Every 997th row: a group type with a line break inside its quotes;
# every 4001st: a stray quote; every 5003rd: a missing field.
awk 'NR > 1 && NR % 997 == 0 { sub(/"DBT skills"/, "\"DBT\nskills\"") }
     NR > 1 && NR % 4001 == 0 { sub(/,Y,/, ",Y\"x,") }
     NR > 1 && NR % 5003 == 0 { sub(/,[^,]*$/, "") }
     { print }' "$tmp/raw.csv" >"$tmp/a.csv"
for t in 1 2 5; do
	GROUPREV_THREADS=$t "$prog" report "$tmp/a.csv" --out "$tmp/o$t" >"$tmp/out$t" 2>"$tmp/err$t"
	echo $? >"$tmp/rc$t"
done
grep -q "rejected" "$tmp/err1" && ok || bad "the test file has no rejected rows"
for t in 2 5; do
	cmp -s "$tmp/rc1" "$tmp/rc$t" && ok || bad "exit status differs with $t threads"
	# The output folder's name is the only difference allowed.
	sed "s#$tmp/o1#OUT#" "$tmp/out1" >"$tmp/s1"; sed "s#$tmp/o$t#OUT#" "$tmp/out$t" >"$tmp/s$t"
	cmp -s "$tmp/s1" "$tmp/s$t" && ok || bad "stdout differs with $t threads"
	sed "s#$tmp/o1#OUT#" "$tmp/err1" >"$tmp/e1"; sed "s#$tmp/o$t#OUT#" "$tmp/err$t" >"$tmp/e$t"
	cmp -s "$tmp/e1" "$tmp/e$t" && ok || bad "stderr differs with $t threads"
	for f in "$tmp"/o1/*; do
		n=$(basename "$f")
		cmp -s "$f" "$tmp/o$t/$n" && ok || bad "$n differs with $t threads"
	done
done
echo "parallel: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
