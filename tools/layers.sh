#!/bin/sh
# tools/layers.sh — the layer rule of docs/design.md, checked.
#
# The folders of src/ are layers, lowest first:
#   core io model billing analysis render cmd
# A file in one layer may include headers of its own layer and of the
# layers below it, never of a layer above.  Includes name their layer
# ("model/roster.h"), so the rule can be read off each #include line.
# Exit 1 and list every include that breaks the rule.
set -u
cd "$(dirname "$0")/.."
order="core io model billing analysis render cmd"
rank() {
	i=0
	for l in $order; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}
bad=0
for f in src/*/*.c src/*/*.h; do
	layer=$(basename "$(dirname "$f")")
	me=$(rank "$layer")
	if [ "$me" -lt 0 ]; then
		echo "$f: folder '$layer' is not a layer of docs/design.md"
		bad=1
		continue
	fi
	grep -n '^#include "' "$f" | while IFS= read -r hit; do
		n=${hit%%:*}
		inc=$(printf '%s\n' "$hit" | sed 's/.*#include "\([^"]*\)".*/\1/')
		case "$inc" in
		*/*) dep=${inc%%/*} ;;
		*) echo "$f:$n: #include \"$inc\" does not name its layer"; echo x >&3; continue ;;
		esac
		r=$(rank "$dep")
		if [ "$r" -lt 0 ]; then
			echo "$f:$n: #include \"$inc\": '$dep' is not a layer"
			echo x >&3
		elif [ "$r" -gt "$me" ]; then
			echo "$f:$n: $layer may not include $inc ($dep is above $layer)"
			echo x >&3
		fi
	done 3>>"${TMPDIR:-/tmp}/layers.$$"
done
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then bad=1; fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
if [ $bad -ne 0 ]; then
	echo "layers: the includes above break the layer rule (docs/design.md)"
	exit 1
fi
echo "layers: every include of src/ follows the layer rule"
