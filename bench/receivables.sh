#!/bin/sh
# The receivables invariants on a generated million-line file (too slow for
# make check; part of make bench, or run alone):
#
#   bench/receivables.sh [LINES]     default 1000000
#
# A file with the receivables columns, reported as of mid-year (so that
# lines paid later are open and every bucket fills): each aging row's
# buckets sum to its total to the cent, the payer and patient totals sum
# to the outstanding balance of kpi.csv (days_in_ar's numerator), and
# tests/receivables_check.py recomputes every figure (Python's csv module).
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
mkdir -p bench/data
make -s grouprev build/tools/gensample
f=bench/data/ar-$n.csv
[ -s "$f" ] || build/tools/gensample --seed 7 --lines "$n" --receivables --attendance "$f"
out=bench/data/ar-out
rm -rf "$out"
start=$(date +%s)
./grouprev report "$f" --out "$out" --as-of 2025-08-31 >/dev/null 2>&1 || [ $? -eq 1 ]
echo "grouprev report, $n lines: $(( $(date +%s) - start )) s"
awk -F, 'NR > 1 {
	t = 0
	for (i = 5; i <= 9; i++) { split($i, p, "."); t += p[1] * 100 + p[2] }
	split($10, p, "."); tot = p[1] * 100 + p[2]
	if (t != tot) { print "FAIL aging: " $1 " " $2 " buckets " t " total " tot; bad = 1 }
	if ($1 != "denied_open") bal += tot
	if ($1 == "payer") for (i = 5; i <= 9; i++) if ($i != "0.00") used[i] = 1
}
END {
	for (i = 5; i <= 9; i++) if (!used[i]) { print "FAIL aging: bucket " i - 4 " is empty"; bad = 1 }
	printf "%d\n", bal > "'"$out"'/balance"
	exit bad
}' "$out/aging.csv"
want=$(awk -F, '$1 == "days_in_ar" { split($3, p, "."); printf "%d\n", p[1] * 100 + p[2] }' "$out/kpi.csv")
got=$(cat "$out/balance")
[ "$got" = "$want" ] || { echo "FAIL aging: payer + patient totals $got cents, kpi.csv balance $want"; exit 1; }
echo "aging: every row's buckets sum to its total; totals sum to the balance, $got cents"
python3 tests/receivables_check.py "$f" "$out" 2025-08-31
