#!/bin/sh
# Receivables on whole files (docs/receivables.md): aging.csv, kpi.csv and
# scorecard.csv recomputed apart from the C code by
# tests/receivables_check.py (Python's csv module only) on the demo, on
# the demo as of an earlier day, and on a generated file; each aging row's
# buckets sum to its total and the totals to the balance (checked there);
# the same inputs and as-of date give the same bytes.
#   tests/receivables.sh PROGRAM GENSAMPLE
prog=$1
gen=$2
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL receivables: $*"; }
check() { # NAME ATTENDANCE OUT [AS_OF]
	name=$1; shift
	python3 "$here/receivables_check.py" "$@" >"$tmp/check.out" 2>&1 && ok ||
		{ cat "$tmp/check.out"; bad "$name: the recomputed figures differ"; }
}
"$prog" report samples/attendance.csv --out "$tmp/a" >/dev/null 2>"$tmp/a.err"
[ $? -le 1 ] && ok || bad "report on the demo failed"
grep -qF "note: as of 2026-09-30, the latest date in the lines" "$tmp/a.err" && ok ||
	bad "the default as-of date is not printed on stderr"
check demo samples/attendance.csv "$tmp/a"
# The report's Outstanding card is aging.csv's payer and patient totals,
# summed here in cents with awk and formatted $12,345.67.
want=$(awk -F, 'NR > 1 && $1 != "denied_open" { split($10, p, "."); c += p[1] * 100 + p[2] }
	END { d = int(c / 100); s = sprintf("%d", d); out = "";
	      while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
	      printf "$%s%s.%02d", s, out, c % 100 }' "$tmp/a/aging.csv")
pdftotext -layout "$tmp/a/report.pdf" "$tmp/a.txt"
grep -A3 "Outstanding" "$tmp/a.txt" | grep -qF "$want" && ok ||
	bad "the Outstanding card does not show aging.csv's balance $want"
grep -qF "$want is outstanding on 2026-09-30" "$tmp/a.txt" && ok ||
	bad "the aging page does not say $want is outstanding"
# Earlier in the year, payments not yet posted are open: every bucket fills.
"$prog" report samples/attendance.csv --out "$tmp/b" --as-of 2026-03-31 >/dev/null 2>&1
check "demo as of 2026-03-31" samples/attendance.csv "$tmp/b" 2026-03-31
awk -F, '$1 == "payer" && ($8 != "0.00" || $9 != "0.00") { n++ } END { exit !n }' "$tmp/b/aging.csv" && ok ||
	bad "as of 2026-03-31 no payer owes anything over 90 days old"
# The same inputs and as-of date give the same bytes.
"$prog" report samples/attendance.csv --out "$tmp/c" --as-of 2026-03-31 >/dev/null 2>&1
for f in aging.csv kpi.csv scorecard.csv report.pdf; do
	cmp -s "$tmp/b/$f" "$tmp/c/$f" && ok || bad "$f differs between two runs"
done
# A generated practice with the receivables columns, as of mid-year.
"$gen" --seed 11 --lines 20000 --receivables --attendance "$tmp/g.csv" || bad "gensample failed"
"$prog" report "$tmp/g.csv" --out "$tmp/g" --as-of 2025-08-31 >/dev/null 2>&1
check "generated 20,000 lines" "$tmp/g.csv" "$tmp/g" 2025-08-31
# With the demo's 835s (docs/receivables.md, "With remittances"): the
# payment dates, PR, CO and allowed amounts of the payers' own files; the
# checker picks each line's standing outcome from remit.csv by itself.
"$prog" report samples/attendance.csv --remit samples/remit --out "$tmp/r" >/dev/null 2>"$tmp/r.err"
[ $? -le 1 ] && ok || bad "report --remit on the demo failed"
check "demo with its 835s" samples/attendance.csv "$tmp/r" --remit
"$prog" report samples/attendance.csv --remit samples/remit --out "$tmp/r2" \
	--as-of 2026-03-31 >/dev/null 2>&1
check "demo with its 835s as of 2026-03-31" samples/attendance.csv "$tmp/r2" 2026-03-31 --remit
# The generated practice with its 835 (one payment date per transaction
# of 2,000 lines: the 835's dates, not paid_date's, stand).
"$gen" --seed 11 --lines 20000 --receivables --attendance "$tmp/g2.csv" \
	--remit "$tmp/g2.835" || bad "gensample --remit failed"
"$prog" report "$tmp/g2.csv" --remit "$tmp/g2.835" --out "$tmp/g2" --as-of 2025-08-31 \
	>/dev/null 2>&1
check "generated 20,000 lines with their 835" "$tmp/g2.csv" "$tmp/g2" 2025-08-31 --remit
echo "receivables: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
