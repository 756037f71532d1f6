#!/bin/sh
# crosscheck.sh X12DUMP — every fixture tests/remit/*.835 that is a whole
# interchange with one set of separators is read by grouprev's reader
# (tools/x12dump) and by Debian's X12::Parser (crosscheck.pl); the segment
# numbers, ids and element values must be the same.
dump=${1:?usage: crosscheck.sh X12DUMP}
here=$(dirname "$0")
perl -MX12::Parser -e1 2>/dev/null || {
	echo "crosscheck: X12::Parser missing (apt-get install libx12-parser-perl)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
for f in $(sed -n 's/^crosscheck: //p' "$here/README.md"); do
	"$dump" "$here/$f" >"$tmp/ours" 2>/dev/null
	perl "$here/crosscheck.pl" "$here/$f" >"$tmp/theirs" 2>"$tmp/err"
	if [ -s "$tmp/ours" ] && cmp -s "$tmp/ours" "$tmp/theirs"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $f: grouprev and X12::Parser read different segments"
		diff "$tmp/ours" "$tmp/theirs" | head -5
		failed=$((failed + 1))
	fi
done
echo "crosscheck: $passed fixtures agree with X12::Parser, $failed differ"
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
