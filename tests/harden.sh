#!/bin/sh
# Hardening tests (issue 19): each block is one item of the issue and
# failed on the code before its fix.
#   tests/harden.sh PROGRAM
prog=$1
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
cp -r "$here/e2e/cases/basic/rt" "$tmp/rt"
cp "$here/e2e/cases/basic/att.csv" "$tmp/att.csv"
cp "$here/e2e/cases/project_plan/plan.csv" "$tmp/plan.csv"
cd "$tmp" || exit 2
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && [ -e "$2" ] && cat "$2"; }
# name, wanted status, got status, file, fixed string that must be in it
want() { if [ "$3" -eq "$2" ] && grep -qF -- "$5" "$4"; then ok; else bad "$1: status $3 (want $2), or no '$5'" "$4"; fi; }
# name, file, fixed string that must NOT be in it
lacks() { if grep -qF -- "$3" "$2"; then bad "$1: '$3' found" "$2"; else ok; fi; }
listing() { (cd "$1" && ls -A | sort && cat ./* 2>/dev/null | cksum); }

# A header and 15 rows that are each rejected (no member id), plus the
# basic rows: more than the ten a terminal is shown.
{ cat att.csv; i=1; while [ $i -le 15 ]; do
	echo "R$i,2025-03-03,G1,C1,,MCR,Y,LCSW,in_person,11,,Y,F41.1,,,,,,x"; i=$((i + 1)); done
} >rej.csv

# 1. Every rejected row is somewhere the user can read, and the run says
# where: check prints all of them on stderr; stats writes rejects.csv.
"$prog" check rej.csv --rates rt >/dev/null 2>e; st=$?
n=$(grep -c "rej.csv:[0-9]*: rejected: column 'member_id' is empty" e)
[ "$st" -eq 1 ] && [ "$n" -eq 15 ] && ok || bad "1-check: $n of 15 rejected rows on stderr" e
"$prog" stats rej.csv --rates rt --out s1 >/dev/null 2>e; st=$?
want 1-stats 1 $st e "all 20 are in s1/rejects.csv"
[ "$(grep -c "member_id' is empty" s1/rejects.csv 2>/dev/null)" = 15 ] && ok || bad "1-stats: rejects.csv lacks rows"

# 2. project --history: the history's rejected rows are said, written
# into rejects.csv, and the exit status is 1.
"$prog" project plan.csv --rates rt --history rej.csv --runs 200 --out p2 >/dev/null 2>e; st=$?
want 2-history 1 $st e "rej.csv:17: rejected: column 'member_id' is empty"
grep -q "rej.csv,17," p2/rejects.csv 2>/dev/null && ok || bad "2-history: not in rejects.csv"

# 3. Every option and input is checked before anything is written: a
# folder holding an earlier report is left exactly as it was.
"$prog" report att.csv --rates rt --out r3 >/dev/null 2>&1
before=$(listing r3)
echo "not a theme" >BAD
for opt in "--as-of 2026-02-31" "--theme BAD" "--theme /nonexistent" "--plan /nonexistent" "--plan att.csv" \
	   "--format jpg --charts r3c"; do
	# shellcheck disable=SC2086
	"$prog" report att.csv --rates rt --out r3 $opt >/dev/null 2>e; st=$?
	[ "$st" -eq 2 ] && [ "$(listing r3)" = "$before" ] && ok || bad "3: $opt changed the folder (status $st)" e
done
lacks 3-format e ".tmp"
want 3-format 2 2 e "--format: unknown chart format 'jpg'"

# 4. An output is never one of the inputs (same device and inode).
cp att.csv self.csv; sum=$(cksum <self.csv)
"$prog" check self.csv --rates rt --csv self.csv >/dev/null 2>e; st=$?
want 4-check 2 $st e "self.csv: this output is one of the inputs"
[ "$(cksum <self.csv)" = "$sum" ] && ok || bad "4-check: self.csv was overwritten"
mkdir -p x4; cp att.csv x4/claims.csv; sum=$(cksum <x4/claims.csv)
"$prog" report x4/claims.csv --rates rt --out x4 >/dev/null 2>e; st=$?
want 4-report 2 $st e "x4/claims.csv: this output is one of the inputs"
[ "$(cksum <x4/claims.csv)" = "$sum" ] && [ ! -e x4/summary.csv ] && ok || bad "4-report: outputs written"
cp att.csv att4.csv; ln -s ../att4.csv x4/link.csv
"$prog" check x4/link.csv --rates rt --csv att4.csv >/dev/null 2>e; st=$?
want 4-symlink 2 $st e "att4.csv: this output is one of the inputs"

# 5. Two runs into one folder: a lock, and the outputs of one run appear
# together.  A and B differ in one payer, so every table differs; after
# each pair the folder must be all A or all B.
awk 'NR == 1 { print; next } { for (i = 0; i < 400; i++) { $0 = $0; sub(/^[^,]*/, "X" i "-" NR); print } }' \
	FS=, OFS=, att.csv >a5.csv
sed 's/,MCD,/,COM,/' a5.csv >b5.csv
"$prog" report a5.csv --rates rt --out refa >/dev/null 2>&1
"$prog" report b5.csv --rates rt --out refb >/dev/null 2>&1
same() { for f in "$1"/*.csv; do cmp -s "$f" "$2/$(basename "$f")" || return 1; done; }
mixed=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	"$prog" report a5.csv --rates rt --out o5 >/dev/null 2>&1 &
	"$prog" report b5.csv --rates rt --out o5 >/dev/null 2>&1
	wait
	same o5 refa || same o5 refb || mixed=$((mixed + 1))
done
[ $mixed -eq 0 ] && ok || bad "5: the folder mixed two runs $mixed times in 12"
# A run that finds the folder locked says so and waits.
flock o5/.grouprev.lock sleep 1 &
sleep 0.2
"$prog" report att.csv --rates rt --out o5 >/dev/null 2>e; st=$?
wait
want 5-busy 1 $st e "o5 is in use by another grouprev run; waiting"

# 6. An output an earlier run wrote and this one does not is removed,
# and the run says so.
"$prog" report att.csv --rates rt --plan plan.csv --out o6 >/dev/null 2>&1
[ -e o6/projection.csv ] && ok || bad "6: projection.csv not written"
"$prog" report att.csv --rates rt --out o6 >/dev/null 2>e
[ ! -e o6/projection.csv ] && ok || bad "6: stale projection.csv left"
want 6-said 1 1 e "removed o6/projection.csv: an earlier report run wrote it"
# ... but another command's outputs are its own: stats into the report's
# folder leaves report.pdf and claims.csv.
"$prog" stats att.csv --rates rt --out o6 >/dev/null 2>e
[ -e o6/report.pdf ] && [ -e o6/claims.csv ] && ok || bad "6: stats removed the report's outputs"

# 7. Every broken row of payers.csv and rates.csv in one run, then exit 2.
mkdir -p rt7
{ head -1 rt/payers.csv; echo "MCR,Medicare,medicare,2,3,N,,93,,PhD LCSW,N,LCSW:0.75"
  echo "BAD1,Bad,martian,2,,N,,,,,N,"; echo "MCD,Medicaid,medicaid,x,,Y,95,none,1,,Y,"; } >rt7/payers.csv
{ head -1 rt/rates.csv; echo "MCR,90853,office,2025-01-01,2025-12-31,26.92,28.14,32.77"
  echo "MCR,90853,office,2025-02-30,2025-12-31,26.92,28.14,32.77"
  echo "MCR,90785,,2025-01-01,2025-12-31,14.23,1.00,14.23"
  echo "BAD1,90853,,2025-01-01,,15.20,24.31,30.39"; } >rt7/rates.csv
"$prog" check att.csv --rates rt7 >/dev/null 2>e; st=$?
want 7-status 2 $st e "the rate tables have 4 broken rows"
for l in "payers.csv:3: column 'class'" "payers.csv:4: column 'min_group'" "rates.csv:3: column 'from'" \
	 "rates.csv:4: low <= expected <= high"; do
	grep -qF "$l" e && ok || bad "7: '$l' not reported" e
done
lacks 7-broken-payer e "rates.csv:5"

# 11. Decisions: a negative paid amount is refused (row rejected); a
# credential share above 1, an expected rate of 0.00 and a code that is
# not a CPT or HCPCS code are broken rate-table rows.
sed '2s/,paid,16.55,/,paid,-16.55,/' att.csv >neg.csv
"$prog" check neg.csv --rates rt >/dev/null 2>e
want 11-negative 1 $? e "neg.csv:2: rejected: column 'paid': negative amount on a paid line ('-16.55')"
sed '2s/,paid,16.55,/,denied,-16.55,/' att.csv >back.csv
"$prog" check back.csv --rates rt >/dev/null 2>e
want 11-take-back 1 $? e "back.csv: note: 1 line with a negative paid amount (take-backs) summed into paid: -\$16.55"
for case in "share|s/LCSW:0.75/LCSW:1.75/|credential_share': a share above 1" \
	    "zero|s/26.92,28.14,32.77/0.00,0.00,32.77/|a rate of 0.00" \
	    "code|s/,90785,/,abc,/|'abc' is not a CPT or HCPCS code"; do
	name=${case%%|*}; rest=${case#*|}; edit=${rest%%|*}; msg=${rest#*|}
	rm -rf rt11; cp -r rt rt11
	sed -i "$edit" rt11/payers.csv rt11/rates.csv
	"$prog" check att.csv --rates rt11 >/dev/null 2>e
	want "11-$name" 2 $? e "$msg"
done

# 12. Payer ids match ignoring case and surrounding spaces: 'mcr' and
# ' MCR ' are priced as MCR (line 2's $28.14 x 0.75 = $21.11 for LCSW).
sed '2s/,MCR,/, mcr ,/' att.csv >case.csv
"$prog" report case.csv --rates rt --out o12 >/dev/null 2>e
want 12-said 1 1 e "payer 'mcr' is priced as 'MCR' of payers.csv"
"$prog" report att.csv --rates rt --out o12ref >/dev/null 2>&1
grep -q '^2,S1,2025-03-03,2025Q1,G1,C1,M1, *mcr *,3,21.11,' o12/claims.csv && ok || bad "12: ' mcr ' is not priced as MCR" o12/claims.csv

# 10. U+FEFF inside a value is an error of that row; a second mark at
# the start of the header is not part of the first name.
hdr='session_id,date,group_id,clinician_id,member_id,payer_id,attended'
{ echo "$hdr"; echo "S1,2025-03-03,G1,C1,M1,MCR,Y"; printf '\357\273\277S1,2025-03-03,G1,C1,M2,MCR,Y\n'
  echo "S1,2025-03-03,G1,C1,M3,MCR,Y"; } >bom.csv
"$prog" check bom.csv --rates rt >/dev/null 2>e
want 10-row 1 $? e "bom.csv:3: rejected: byte-order mark (U+FEFF) at byte 1 of the row"
{ printf '\357\273\277\357\273\277'; echo "$hdr"; echo "S1,2025-03-03,G1,C1,M1,MCR,Y"; } >bom2.csv
"$prog" check bom2.csv --rates rt >/dev/null 2>e
want 10-header 1 $? e "bom2.csv: 1 rows read = 1 used + 0 rejected"

# 17. UTF-16 is named.
printf '%s\r\nS1,2025-03-03,G1,C1,M1,MCR,Y\r\n' "$hdr" | iconv -f UTF-8 -t UTF-16 >u16.csv
"$prog" check u16.csv --rates rt >/dev/null 2>e
want 17-utf16 2 $? e "u16.csv: this file is UTF-16 (little-endian); save it as UTF-8"
printf '%s\nS1,2025-03-03,G1,C1,M1,MCR,Y\n' "$hdr" | iconv -f UTF-8 -t UTF-16BE >u16be.csv
"$prog" check u16be.csv --rates rt >/dev/null 2>e
want 17-utf16be 2 $? e "this file is UTF-16 (big-endian)"

# 19. Empty header names are mentioned; 5,000 columns are read, the
# unknown ones ignored and said.
{ echo "$hdr,,note2"; echo "S1,2025-03-03,G1,C1,M1,MCR,Y,,x"; } >emptyname.csv
"$prog" check emptyname.csv --rates rt >/dev/null 2>e
want 19-empty 1 $? e "ignored unknown columns: (column 8 has no name), note2"
awk -v h="$hdr" 'BEGIN { printf "%s", h; for (i = 1; i <= 4993; i++) printf ",x%d", i; print ""
	printf "S1,2025-03-03,G1,C1,M1,MCR,Y"; for (i = 1; i <= 4993; i++) printf ",v"; print "" }' >wide.csv
"$prog" check wide.csv --rates rt >/dev/null 2>e
want 19-wide 1 $? e "wide.csv: 1 rows read = 1 used + 0 rejected"
grep -q "ignored unknown columns: x1, x2, .*\.\.\. and [0-9]* more" e && ok || bad "19-wide: the ignored columns are not said" e

# 8. An empty scope is said in words, in the PDF and on stderr, never
# "as of 1970-01-01".
"$prog" report att.csv --rates rt --quarter 2030Q1 --out o8 >/dev/null 2>e
want 8-stderr 1 $? e "att.csv: note: no sessions in 2030Q1 (the file's sessions run from 2025-03-03 to 2026-01-01)"
pdftotext o8/report.pdf o8.txt
want 8-pdf 0 0 o8.txt "No sessions in 2030Q1"
lacks 8-1970 o8.txt "1970"

# 9. One scope per run, said on every output: without --quarter the PDF,
# the tables and the summary line cover every quarter; with it, one.
"$prog" report att.csv --rates rt --out o9 >o9.out 2>/dev/null
want 9-line 1 $? o9.out "every quarter, 2025Q1 to 2026Q1: 3 sessions"
pdftotext o9/report.pdf o9.txt
want 9-title 0 0 o9.txt "Every quarter, 2025Q1 to 2026Q1"
want 9-heading 0 0 o9.txt "Revenue by payer, 2025Q1 to 2026Q1"
# The PDF's total is summary.csv's: 101.51 over both quarters (e2e basic).
want 9-total 0 0 o9.txt '$101.51'
"$prog" report att.csv --rates rt --quarter 2025Q1 --out o9q >o9q.out 2>/dev/null
want 9-quarter-line 1 $? o9q.out "2025Q1: 2 sessions"
pdftotext o9q/report.pdf o9q.txt
want 9-quarter-title 0 0 o9q.txt "Quarter 2025Q1"
[ "$(cut -d, -f1 o9q/summary.csv | sort -u | tr '\n' ' ')" = "2025Q1 quarter " ] && ok || bad "9: summary.csv of --quarter 2025Q1 has other quarters" o9q/summary.csv

# 18. The PDF shows no markdown backticks.
lacks 18-backticks o9.txt '`'

# 18. The man page's synopsis names every option each command's --help
# lists.
man=$here/../docs/grouprev.1
for cmd in report check stats project; do
	syn=$(awk -v c="$cmd" '/^\.SH SYNOPSIS/ { on = 1; next } /^\.SH/ { on = 0 }
		on && /^\.B grouprev / { cur = $3 } on && cur == c' "$man" | sed 's/\\//g')
	for opt in $("$prog" "$cmd" --help | grep -oE '^  --[a-z-]+' | sed 's/^ *//'); do
		[ "$opt" = --help ] && continue
		case $opt in --redact) continue ;; esac  # the same as --redact-key
		echo "$syn" | grep -qF -- "$opt" && ok || bad "18: '$cmd $opt' is not in the man page's synopsis"
	done
done
for f in inputs.md rules.md; do
	grep -q '\.\./shared/' "$here/../docs/$f" && bad "18: docs/$f cites a file outside the repository" || ok
done
grep -q '\.\./shared/' "$here/../rate-tables/README.md" && bad "18: rate-tables/README.md cites ../shared" || ok

# 13. A control character in a field is quoted, never sent raw.
printf 'session_id,date,group_id,clinician_id,member_id,payer_id,attended\nS1,2025-03-03,G1,C1,M1,MCR,\033[31mY\n' >esc.csv
"$prog" check esc.csv --rates rt >/dev/null 2>e
want 13-visible 1 1 e '\x1b[31mY'
if grep -q "$(printf '\033')" e; then bad "13: raw escape on stderr" e; else ok; fi
cp att.csv "$(printf 'e\033[2Jx.csv')"
"$prog" check "$(printf 'e\033[2Jx.csv')" --rates rt >o13 2>e
want 13-file-name 1 $? e 'e\x1b[2Jx.csv:9: rejected:'
if grep -q "$(printf '\033')" e o13; then bad "13: raw escape from a file name" e; else ok; fi

# 14. An installed program (make install PREFIX=X puts the tables in
# X/share/grouprev) finds its tables wherever X is; without tables the
# error lists every folder searched.
mkdir -p inst/bin inst/share/grouprev bare/bin
cp "$prog" inst/bin/grouprev; cp -r rt inst/share/grouprev/rate-tables; cp "$prog" bare/bin/grouprev
(cd inst && ./bin/grouprev check ../att.csv >/dev/null 2>../e); want 14-installed 1 $? e "rows read"
if [ -d /usr/local/share/grouprev/rate-tables ]; then ok; else
	(cd bare && ./bin/grouprev check ../att.csv >/dev/null 2>../e)
	want 14-searched 2 $? e "no rate-table folder found (searched $tmp/bare/bin/rate-tables, $tmp/bare/bin/../rate-tables, $tmp/bare/bin/../share/grouprev/rate-tables, "
fi

# 15. A new user's trip-ups.
"$prog" check att.csv --rates rt >o15a 2>/dev/null
"$prog" check - --rates rt <att.csv >o15b 2>/dev/null; st=$?
[ "$st" -eq 1 ] && sed 's#^/dev/stdin:#att.csv:#' o15b | cmp -s - o15a && ok || bad "15: '-' is not the standard input" o15b
"$prog" -V >e 2>&1; want 15-V 0 $? e "grouprev "
"$prog" help report >e 2>&1; want 15-help 0 $? e "Usage: grouprev report"
"$prog" report --bogus >/dev/null 2>e; st=$?
[ "$st" -eq 2 ] && [ "$(wc -l <e)" -eq 2 ] && ok || bad "15: usage error is not two lines" e
want 15-usage 2 $st e "Run 'grouprev report --help'"
"$prog" report att.csv --rates rt --out q3/ >e 2>/dev/null
lacks 15-slash e "q3//"
want 15-slash 1 1 e "wrote q3/report.pdf"
printf 'session_id,date,group_id,clinician_id,member_id,payer_id,attended\nS1,2025-03-03,G1,C1,M1,MCR,Y\n' >one.csv
"$prog" report one.csv --rates rt --out o15 >e 2>/dev/null
want 15-plural 0 $? e "1 session, 1 attended"
"$prog" check one.csv --rates rt >e 2>/dev/null
want 15-plural-finding 1 $? e "(1 finding)"

# 16. Keyed pseudonyms: a member keeps one pseudonym across files and
# runs under one key (here M2 comes first in the second file); a missing
# key file is created with mode 0600; --redact alone is a usage error.
{ head -1 att.csv; sed -n '3p' att.csv; sed -n '2p' att.csv; } >order.csv
"$prog" report att.csv --rates rt --out r16a --redact-key k16 >/dev/null 2>e
want 16-created 1 $? e "created the redaction key k16 (mode 0600)"
[ "$(stat -c %a k16)" = 600 ] && ok || bad "16: key mode $(stat -c %a k16)"
"$prog" report order.csv --rates rt --out r16b --redact-key k16 >/dev/null 2>&1
a=$(awk -F, '$2 == "S1" && $8 == "MCD" { print $7 }' r16a/claims.csv)
b=$(awk -F, '$2 == "S1" && $8 == "MCD" { print $7 }' r16b/claims.csv)
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "16: M2 is '$a' in one file and '$b' in the other"
grep -q ',M[0-9],' r16a/claims.csv r16b/claims.csv && bad "16: a member id in a redacted output" || ok
"$prog" report att.csv --rates rt --out r16c --redact >/dev/null 2>e
want 16-needs-key 2 $? e "--redact needs --redact-key KEYFILE"

# 20. Plan rows without a start date: from the history, else the rate
# table's latest period, and the run says which.
sed 's/,2025-04-07$/,/' plan.csv >nostart.csv
"$prog" project nostart.csv --rates rt --runs 200 --out p20 >/dev/null 2>e
want 20-rates 1 $? e "without a start date start on"
grep -q "rate table's latest period" e && ok || bad "20: basis not said" e
grep -q "no start date" e && bad "20: rows refused for no start" e || ok
"$prog" project nostart.csv --rates rt --history att.csv --runs 200 --out p20 >/dev/null 2>e
want 20-history 1 $? e "the day after the history's last date of service"
"$prog" report att.csv --rates rt --plan nostart.csv --out r20 >/dev/null 2>e
want 20-report 1 $? e "nostart.csv: note: 5 plan rows without a start date start on 2026-01-02, the day after the history's last date of service"

echo "harden: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
