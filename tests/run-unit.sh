#!/bin/sh
# Run each cmocka test program given as an argument (under $VALGRIND when
# set), then print one closing line: "unit: N passed, N failed".
passed=0; failed=0
for t in "$@"; do
	if ${VALGRIND:-} "$t"; then passed=$((passed + 1)); else
		echo "FAILED: $t"; failed=$((failed + 1)); fi
done
echo "unit programs: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ]
