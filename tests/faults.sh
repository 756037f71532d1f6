#!/bin/sh
# Fault tests (issue 8): each fault gives a clear message, the documented
# exit status, and leaves no partial output behind.
#   tests/faults.sh PROGRAM
prog=$1
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$here/e2e/cases/basic/rt" "$tmp/rt"
cp "$here/e2e/cases/basic/att.csv" "$tmp/att.csv"
cd "$tmp" || exit 2
passed=0; failed=0
expect() { # name, wanted status, got status, stderr file, pattern
	if [ "$3" -eq "$2" ] && grep -q "$5" "$4"; then passed=$((passed + 1))
	else failed=$((failed + 1)); echo "FAIL $1: status $3 (want $2)"; cat "$4"; fi
}
no_temp() { # name, dir
	if ls "$2" 2>/dev/null | grep -q '\.tmp'; then
		failed=$((failed + 1)); echo "FAIL $1: temporary files left in $2"; ls "$2"
	else passed=$((passed + 1)); fi
}

# Output folder that cannot be created (its parent is a file; root
# ignores permission bits, so chmod cannot make this fault).
"$prog" report att.csv --rates rt --out att.csv/out >/dev/null 2>e; expect unwritable 2 $? e "att.csv/out"

# Disk full: the findings file and the standard output.
"$prog" check att.csv --rates rt --csv /dev/full >/dev/null 2>e; expect full-csv 2 $? e "No space left"
"$prog" check att.csv --rates rt >/dev/full 2>e; expect full-stdout 2 $? e "standard output"
[ -c /dev/full ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL /dev/full replaced"; }

# A file size limit (ulimit -f, in KiB here) that claims.csv crosses,
# written by one thread and by blocks on three: a message, no temp file.
awk 'NR == 1 { print; next } { for (i = 0; i < 300; i++) { $0 = $0; sub(/^[^,]*/, "X" i "-" NR); print } }' \
	FS=, OFS=, att.csv >big.csv
for t in 1 3; do
	(ulimit -f 64; GROUPREV_THREADS=$t "$prog" report big.csv --rates rt --out fsz$t >/dev/null 2>e)
	expect "file-size-limit-$t" 2 $? e "claims.csv: cannot write output file: File too large"
	no_temp "file-size-limit-$t" fsz$t
done

# Input that is a folder, missing, or empty.
"$prog" report rt --rates rt --out o1 2>e >/dev/null; expect directory 2 $? e "is a folder"
"$prog" report nosuch.csv --rates rt --out o1 2>e >/dev/null; expect missing 2 $? e "nosuch.csv: cannot open"
: >empty.csv; "$prog" report empty.csv --rates rt --out o1 2>e >/dev/null; expect empty 2 $? e "empty"
[ -e o1 ] && { failed=$((failed + 1)); echo "FAIL: outputs made for unusable input"; } || passed=$((passed + 1))

# A column that names more things than its byte holds: 257 sessions,
# each of its own group type; types 1-255 fit, the rows that bring the
# 256th and 257th (lines 257 and 258) are rejected, the rest are used.
{ echo "session_id,date,group_id,clinician_id,member_id,payer_id,attended,group_type"
  i=1; while [ $i -le 257 ]; do echo "S$i,2025-03-03,G1,C1,M1,MCR,Y,type $i"; i=$((i + 1)); done
} >types.csv
"$prog" check types.csv --rates rt >/dev/null 2>e
if [ $? -eq 1 ] && grep -q "types.csv:257: rejected: column 'group_type': more than 255 different group types" e &&
   grep -q "types.csv:258: rejected" e && grep -q "257 rows read = 255 used + 2 rejected" e; then
	passed=$((passed + 1))
else failed=$((failed + 1)); echo "FAIL narrow-column"; cat e; fi

# A line keeps its rate's index in 16 bits: 65,536 rates are refused
# with the file named (exit 2), never a wrong price; 65,535 load.
cp -r rt rt65
awk 'BEGIN { print "payer_id,code,setting,from,to,low,expected,high"
	for (i = 0; i < 65536; i++) printf "MCR,%c%04d,office,2025-01-01,2025-12-31,1.00,2.00,3.00\n", 65 + int(i / 10000), i % 10000 }' \
	>rt65/rates.csv
"$prog" check att.csv --rates rt65 >/dev/null 2>e; expect rates-65536 2 $? e "rt65/rates.csv: more than 65535 rates"
awk 'NR <= 65536' rt65/rates.csv >r && mv r rt65/rates.csv
"$prog" check att.csv --rates rt65 >/dev/null 2>e; expect rates-65535 1 $? e "rows read"

# A thread count that is not one.
GROUPREV_THREADS=two "$prog" report att.csv --rates rt --out o1 2>e >/dev/null; expect threads 2 $? e "GROUPREV_THREADS must be"

# Input truncated inside a quoted field: the record is rejected at the
# line it starts on (inputs.md), the rest is used: exit 1.
head -c 200 att.csv >trunc.csv; printf 'S9,2025-03-03,G1,C1,"M' >>trunc.csv
"$prog" report trunc.csv --rates rt --out o2 >/dev/null 2>e; expect truncated 1 $? e "unterminated quoted field"
no_temp truncated o2

# SIGINT during a run: whenever it lands, the run either finished or
# stopped with exit 2 and "interrupted", and no temporary or half-written
# file is left.  A large input makes the window wide.
awk 'NR == 1 { print; next } { for (i = 0; i < 30000; i++) print "S" i "_" substr($0, 2) }' \
	att.csv >big.csv
"$prog" report big.csv --rates rt --out ref >/dev/null 2>&1
for delay in 0.02 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.5; do
	rm -rf o3
	"$prog" report big.csv --rates rt --out o3 >/dev/null 2>e &
	pid=$!
	sleep $delay
	kill -INT $pid 2>/dev/null
	wait $pid; st=$?
	if [ $st -eq 2 ]; then expect "sigint-$delay" 2 $st e "interrupted"
	else expect "sigint-$delay (finished first)" 1 $st e "rows read"; fi
	no_temp "sigint-$delay" o3
	for f in o3/*.csv; do
		[ -e "$f" ] || continue
		cmp -s "$f" "ref/$(basename "$f")" || { failed=$((failed + 1)); echo "FAIL sigint: $f is partial"; }
	done
done
# Memory exhaustion: under an address-space limit (ulimit -v), a run
# either finishes or stops with exit 2 and a message saying memory ran
# out, never a crash, on one parser thread or several, and leaves no
# partial output.  The file (18 MB) is large enough to be parsed in
# parts.  Not under ASan, which reserves terabytes of address space.
case $prog in *asan*) ;; *)
awk 'NR == 1 { print; next } { for (i = 0; i < 20000; i++) print "S" i "_" substr($0, 2) }' \
	att.csv >huge.csv
for lim in 50000 70000 90000 110000 130000 160000 200000; do
	for t in 1 2; do
		rm -rf o4
		(ulimit -v $lim; GROUPREV_THREADS=$t exec "$prog" report huge.csv --rates rt \
			--out o4) >/dev/null 2>e
		st=$?
		if [ $st -eq 2 ]; then expect "memory-$lim-$t" 2 $st e "memory"
		else expect "memory-$lim-$t (enough)" 1 $st e "rows read"; fi
		no_temp "memory-$lim-$t" o4
	done
done
# A SIGINT while the parts are parsed on two threads: exit 2, nothing left.
rm -rf o5
GROUPREV_THREADS=2 "$prog" report huge.csv --rates rt --out o5 >/dev/null 2>e &
pid=$!
sleep 0.15
kill -INT $pid 2>/dev/null
wait $pid; st=$?
expect "sigint-parallel" 2 $st e "interrupted"
[ -e o5 ] && no_temp sigint-parallel o5
;; esac
echo "faults: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
