#!/bin/sh
# Precision and recall of each finding of the notes audit on the
# labelled set (tests/notes/: attendance.csv, notes.csv, and labels.csv,
# the findings each note was built to have, by tools/gensample.c
# --labelled-notes), held at or above tests/notes/floors.
#
#   tests/notes/accuracy.sh PROGRAM [GENSAMPLE] [-- EXTRA OPTIONS]
#
# With GENSAMPLE the set is first regenerated into a temporary folder and
# compared with the committed one (the generator and the set agree).
# Prints one line per finding: rule, TP, FP, FN, precision, recall.
prog=$1
gen=${2:-}
shift; [ $# -gt 0 ] && shift
[ "${1:-}" = -- ] && shift
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
if [ -n "$gen" ]; then
	"$gen" --seed 16 --labelled-notes "$tmp" || exit 1
	for f in attendance.csv notes.csv labels.csv; do
		cmp -s "$tmp/$f" "$here/$f" || { echo "FAIL accuracy: $f differs from the generator's"; fail=1; }
	done
fi
cd "$here" || exit 1
${VALGRIND:-} "$prog" check attendance.csv --notes notes.csv --csv "$tmp/found.csv" "$@" \
	>"$tmp/stdout" 2>"$tmp/stderr"
st=$?
if [ $st -gt 1 ]; then
	echo "FAIL accuracy: check exited $st"; cat "$tmp/stderr"; exit 1
fi
# The audit on three threads (sessions and members cut into ranges)
# finds exactly what one thread finds.
GROUPREV_THREADS=1 ${VALGRIND:-} "$prog" check attendance.csv --notes notes.csv \
	--csv "$tmp/one.csv" "$@" >/dev/null 2>&1
GROUPREV_THREADS=3 ${VALGRIND:-} "$prog" check attendance.csv --notes notes.csv \
	--csv "$tmp/three.csv" "$@" >/dev/null 2>&1
if ! cmp -s "$tmp/one.csv" "$tmp/three.csv" || ! cmp -s "$tmp/one.csv" "$tmp/found.csv"; then
	echo "FAIL accuracy: the findings depend on the number of threads"; fail=1
fi
# found.csv: file,line,session_id,date,payer_id,member_id,rule,carc,... ;
# the reason column may hold commas inside quotes, but line and rule
# come before it.  Only the audit's rules count.
awk -F, 'FNR == 1 { next }
	FILENAME ~ /labels/ { n = split($4, l, ";"); for (i = 1; i <= n; i++) if (l[i] != "") want[$1 "," l[i]] = 1; next }
	$7 ~ /^note/ { got[$2 "," $7] = 1 }
	END {
		split("note note_identical note_cloned note_not_individual note_copied_forward note_elements", rules, " ")
		for (k in want) { split(k, p, ","); if (k in got) tp[p[2]]++; else fn[p[2]]++ }
		for (k in got) { split(k, p, ","); if (!(k in want)) fp[p[2]]++ }
		for (i = 1; i <= 6; i++) {
			r = rules[i]; t = tp[r] + 0; f = fp[r] + 0; m = fn[r] + 0
			printf "%s %d %d %d %.3f %.3f\n", r, t, f, m, t + f ? t / (t + f) : 1, t + m ? t / (t + m) : 1
		}
	}' labels.csv "$tmp/found.csv" >"$tmp/acc"
printf "%-22s %4s %4s %4s %9s %6s\n" finding TP FP FN precision recall
awk '{ printf "%-22s %4d %4d %4d %9.3f %6.3f\n", $1, $2, $3, $4, $5, $6 }' "$tmp/acc"
# The floors: each rule's precision and recall may not fall below them.
if [ -z "${NO_FLOORS:-}" ]; then
	awk 'FILENAME ~ /floors/ { if ($1 !~ /^#/ && NF == 3) { fp[$1] = $2; fr[$1] = $3 }; next }
		($1 in fp) && ($5 + 1e-9 < fp[$1] || $6 + 1e-9 < fr[$1]) {
			printf "FAIL accuracy: %s precision %.3f recall %.3f, floors %.3f %.3f\n", $1, $5, $6, fp[$1], fr[$1]; bad = 1 }
		END { exit bad }' floors "$tmp/acc" || fail=1
fi
[ $fail = 0 ] && echo "accuracy: every finding at or above its floors"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$((1 - fail)) $fail" >>"$CHECK_TALLY"
exit $fail
