#!/bin/sh
# The committed demo practice is exactly what the generator makes, and the
# generator is deterministic: same seed, same bytes.
#   tests/samples.sh GENSAMPLE
gen=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$gen" --seed 20261 --out "$tmp" || exit 1
failed=0
for f in attendance.csv plan.csv remit; do
	diff -r "$tmp/$f" "samples/$f" >/dev/null || { echo "FAIL samples/$f is not what gensample --seed 20261 makes (make samples)"; failed=$((failed + 1)); }
done
"$gen" --seed 7 --lines 5000 --clean >"$tmp/a" && "$gen" --seed 7 --lines 5000 --clean >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b" \
	|| { echo "FAIL gensample --lines is not deterministic"; failed=$((failed + 1)); }
[ "$(($(wc -l <"$tmp/a") - 1))" -eq 5000 ] || { echo "FAIL gensample --lines 5000 wrote $(wc -l <"$tmp/a") lines"; failed=$((failed + 1)); }
echo "samples: $((4 - failed)) passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$((4 - failed)) $failed" >>"$CHECK_TALLY"
[ $failed -eq 0 ]
