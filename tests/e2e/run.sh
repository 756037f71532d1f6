#!/bin/sh
# End-to-end golden tests.
#
#   tests/e2e/run.sh PROGRAM [--regen]
#
# Each folder tests/e2e/cases/NAME/ holds the inputs, a file `args` (the
# command line after the program name; run from a copy of the folder, with
# outputs going to out/) and expected/: `exit` (the exit status) and
# `stderr`, which every case must have (a case without them fails: a
# changed exit status or a new message must never pass unseen), and any of
# `stdout` and out/ files (e.g. summary.csv) to compare with diff.  Only
# what expected/ holds is compared.  --regen shows each difference and
# writes the new output as the expectation (a missing exit or stderr
# too): review the diff before committing it.
prog=$1
regen=${2:-}
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0; failed=0
for dir in "$here"/cases/*/; do
	name=$(basename "$dir")
	work=$tmp/$name
	cp -r "$dir" "$work"
	rm -rf "$work/expected"
	mkdir -p "$work/out"
	(cd "$work" && eval "set -- $(cat args)" && \
		${VALGRIND:-} "$prog" "$@" >stdout 2>stderr; echo $? >exit)
	ok=1
	for f in exit stderr; do
		[ -e "$dir"expected/$f ] && continue
		if [ "$regen" = --regen ]; then
			cp "$work/$f" "$dir"expected/$f
			echo "regenerated $name/$f (it was missing)"
		else
			echo "FAIL $name: expected/$f is missing (every case states its exit status and stderr)"
			ok=0
		fi
	done
	for exp in "$dir"expected/*; do
		[ -e "$exp" ] || continue
		f=$(basename "$exp")
		case $f in
		exit|stdout|stderr) got=$work/$f ;;
		*) got=$work/out/$f ;;
		esac
		if [ ! -e "$got" ]; then
			echo "FAIL $name: $f was not written"; ok=0; continue
		fi
		if ! diff -u "$exp" "$got" >"$tmp/diff"; then
			if [ "$regen" = --regen ]; then
				cat "$tmp/diff"; cp "$got" "$exp"
				echo "regenerated $name/$f"
			else
				echo "FAIL $name: $f differs"; cat "$tmp/diff"; ok=0
			fi
		fi
	done
	# No cell of any CSV output may start a formula: '=', '+', '@', TAB,
	# or '-' not followed by a digit (inputs.md; outputs are neutralised
	# with a leading apostrophe).
	for out in "$work"/out/*.csv; do
		[ -e "$out" ] || continue
		if awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) { c = $i; sub(/^"/, "", c)
			if (c ~ /^[=+@\t]/ || c ~ /^-[^0-9.]/) { print FILENAME ": " $i; bad = 1 } } }
			END { exit !bad }' "$out"; then
			echo "FAIL $name: a cell of $(basename "$out") would run as a formula"; ok=0
		fi
	done
	if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "e2e: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
