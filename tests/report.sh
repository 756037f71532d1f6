#!/bin/sh
# The demo report, read back as a user would (poppler-utils): its pages,
# its headings, figures that reconcile with summary.csv, no member id,
# no blank page, and the same bytes on a second run.
#   tests/report.sh PROGRAM
prog=$1
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL report: $*"; }
"$prog" report samples/attendance.csv --out "$tmp/a" --charts "$tmp/c" --format png >/dev/null 2>&1
[ $? -le 1 ] && ok || bad "report exited $?"
pages=$(pdfinfo "$tmp/a/report.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" = 8 ] && ok || bad "$pages pages, want 8"
pdftotext -layout "$tmp/a/report.pdf" "$tmp/a.txt"
# Without --quarter every output covers every quarter of the file (issue
# 19, item 9): the PDF's title and headings say so.
for h in "Group psychotherapy revenue report" "Every quarter, 2025Q4 to 2026Q3" \
	 "Revenue by payer, 2025Q4 to 2026Q3" "All figures for 2025Q4 to 2026Q3" \
	 "Monthly revenue: expected and paid" "Group programs and clinicians" \
	 "Denials and pre-submission findings" "Group size and denials" \
	 "Appendix: data, rates and definitions" "by date of service" "as of 2026-09-30" \
	 "Receivables: what is owed and how it is collected" "Aging of what is owed" \
	 "Who pays best: the payer scorecard" "How the receivables figures are computed" \
	 "To chase first (owed more than 30 days): BCBSMA \$1,172.64, OON \$978.65, MCR \$749.14." \
	 "4155 rows read = 4149 used + 6 rejected"; do
	grep -qF "$h" "$tmp/a.txt" && ok || bad "no '$h' in the text"
done
# The scope's expected revenue on page 1 is the sum of summary.csv's
# rows (computed here in cents with awk, independently).
want=$(awk -F, 'NR > 1 { split($4, p, "."); c += p[1] * 100 + p[2] }
	END { d = int(c / 100); s = sprintf("%d", d); out = "";
	      while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
	      printf "$%s%s.%02d", s, out, c % 100 }' "$tmp/a/summary.csv")
grep -qF "$want" "$tmp/a.txt" && ok || bad "page 1 does not show $want"
# The reason-code chart is a Pareto: CO-50 is the most frequent code in
# the demo with 378 of its 637 denied lines in 2025Q4-2026Q3 (counted in
# samples/attendance.csv with Python's csv module, both date formats), 378 / 637 = 59.3%.
grep -qF "378 · 59%" "$tmp/a.txt" && ok || bad "no Pareto label '378 · 59%' on the denials page"
# Member ids (M + 5 digits in the demo) are never drawn.
if grep -qE 'M[0-9]{5}' "$tmp/a.txt"; then bad "a member id is in the PDF"; else ok; fi
# Every page has ink: count the non-white pixels of a small grey render.
pdftoppm -gray -r 20 "$tmp/a/report.pdf" "$tmp/p"
for f in "$tmp"/p*.pgm; do
	dark=$(tail -c +16 "$f" | od -An -v -tu1 | tr -s ' ' '\n' | awk '$1 != "" && $1 < 200 { n++ } END { print n + 0 }')
	[ "$dark" -gt 200 ] && ok || bad "$(basename "$f") looks blank ($dark dark pixels)"
done
# --charts: the eight charts of a report without a plan (the demo has
# receivables columns: aging and pay speed), each alone at
# 7.5 x 4.5 in, 144 dpi = 1080 x 648 pixels (PNG header bytes 17-24).
[ "$(ls "$tmp"/c/*.png | wc -l)" -eq 8 ] && ok || bad "not 8 chart files"
dims=$(od -An -tu1 -j16 -N8 "$tmp/c/chart-4-denial-reasons.png" | tr -s ' ' | sed 's/^ //')
[ "$dims" = "0 0 4 56 0 0 2 136" ] && ok || bad "chart-4 is not 1080 x 648 ($dims)"
# No silent caps: 45 payers in one quarter.  The payer table continues on
# the next page ("(continued)") and its Total row covers every payer: 90
# lines at $41.88 each (BCBSMA's expected 2025 rate, copied for each payer
# from rate-tables/rates.csv) = $3,769.20, worked out by hand.  The appendix
# lists all 45 + 5 shipped payers (the last one, P45, is on a page).
mkdir -p "$tmp/many/rt"
cp rate-tables/payers.csv rate-tables/rates.csv "$tmp/many/rt/"
echo "session_id,date,group_id,clinician_id,member_id,payer_id,attended" >"$tmp/many/att.csv"
i=1
while [ $i -le 45 ]; do
	grep '^BCBSMA,' rate-tables/payers.csv | sed "s/^BCBSMA,[^,]*,/P$i,Payer number $i,/" >>"$tmp/many/rt/payers.csv"
	grep '^BCBSMA,90853,' rate-tables/rates.csv | sed "s/^BCBSMA,/P$i,/" >>"$tmp/many/rt/rates.csv"
	printf 'S%d,2026-02-02,G1,C1,A%d,P%d,Y\nS%d,2026-02-02,G1,C1,B%d,P%d,Y\n' $i $i $i $i $i $i >>"$tmp/many/att.csv"
	i=$((i + 1))
done
"$prog" report "$tmp/many/att.csv" --rates "$tmp/many/rt" --out "$tmp/many/out" >/dev/null 2>&1
pdftotext -layout "$tmp/many/out/report.pdf" "$tmp/many.txt"
grep -qF "Revenue by payer, 2026Q1 (continued)" "$tmp/many.txt" && ok || bad "the payer table of 45 payers does not continue on a second page"
grep -E '^ *Total +90 +\$3,769\.20' "$tmp/many.txt" >/dev/null && ok || bad "the payer table's Total is not 90 lines, \$3,769.20"
grep -qE '^ *P45 +Payer number 45' "$tmp/many.txt" && ok || bad "the appendix does not list the 45th payer"
# ... and the footers count the pages the tables ran over to: page 8 of 8.
n=$(pdfinfo "$tmp/many/out/report.pdf" | awk '/^Pages:/ { print $2 }')
grep -qF "page $n of $n" "$tmp/many.txt" && [ "$n" -gt 6 ] && ok || bad "the last footer is not 'page $n of $n'"
# Deterministic: the same input gives the same bytes.
"$prog" report samples/attendance.csv --out "$tmp/b" >/dev/null 2>&1
cmp -s "$tmp/a/report.pdf" "$tmp/b/report.pdf" && ok || bad "report.pdf differs between two runs"
# With a plan: a projection page and projection.csv.
"$prog" report samples/attendance.csv --plan samples/plan.csv --out "$tmp/p" >/dev/null 2>&1
pages=$(pdfinfo "$tmp/p/report.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" = 9 ] && ok || bad "$pages pages with --plan, want 9"
pdftotext "$tmp/p/report.pdf" - | grep -qF "Projection of the planned programs" && ok || bad "no projection page"
grep -q '^TOTAL,' "$tmp/p/projection.csv" && ok || bad "no TOTAL row in projection.csv"
# stats and project each write their own one-page PDF.
"$prog" stats samples/attendance.csv --out "$tmp/s" >/dev/null 2>&1
pages=$(pdfinfo "$tmp/s/sizes.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ "$pages" = 1 ] && ok || bad "sizes.pdf has '$pages' pages, want 1"
pdftotext "$tmp/s/sizes.pdf" - | grep -qF "Group size and denials" && ok || bad "sizes.pdf has no heading"
"$prog" project samples/plan.csv --out "$tmp/j" >/dev/null 2>&1
pages=$(pdfinfo "$tmp/j/projection.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ "$pages" = 1 ] && ok || bad "projection.pdf has '$pages' pages, want 1"
# With the demo's remittances (samples/remit, made by the generator from
# the same lines): the 835s say what the attendance file says, so every
# column summary.csv had is the same, two columns are added, the payments
# page is there, and no member id is drawn on it.
"$prog" report samples/attendance.csv --remit samples/remit --out "$tmp/r" >/dev/null 2>&1
[ $? -le 1 ] && ok || bad "report --remit exited $?"
cut -d, -f1-13 "$tmp/r/summary.csv" | cmp -s - "$tmp/a/summary.csv" && ok \
	|| bad "summary.csv with the demo's remittances differs from the attendance file's own"
head -1 "$tmp/r/summary.csv" | grep -q ',patient_resp,contractual$' && ok || bad "summary.csv has no patient_resp,contractual"
pdftotext "$tmp/r/report.pdf" - >"$tmp/r/text.txt"
grep -qF "Payments: the payers' remittances" "$tmp/r/text.txt" && ok || bad "no payments page"
grep -qE 'M[0-9]{5}' "$tmp/r/text.txt" && bad "a member id is drawn with --remit" || ok
echo "report: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
