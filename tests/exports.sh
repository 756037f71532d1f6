#!/bin/sh
# The demo practice read from its EHR export (samples/exports/demo-export.csv,
# written by tools/gensample.c from the same practice) through
# samples/maps/demo.ini gives the same revenue, group sizes and findings as
# samples/attendance.csv: every table byte for byte, claims.csv apart from
# the made session ids, the same rejected lines, the same check findings.
# Then `map --guess` on the export proposes the map's [file] and [columns]
# and its attendance words, and with the two payer ids it cannot know filled
# in, gives the same summary.csv.
#   tests/exports.sh PROGRAM
prog=$1
case $prog in /*) ;; *) prog=$(pwd)/$prog ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
exp=samples/exports/demo-export.csv
map=samples/maps/demo.ini

${VALGRIND:-} "$prog" report samples/attendance.csv --plan samples/plan.csv --out "$tmp/a" >/dev/null 2>&1
${VALGRIND:-} "$prog" report "$exp" --map "$map" --plan samples/plan.csv --out "$tmp/b" >/dev/null 2>"$tmp/b.err"
[ $? -eq 1 ] && ok || bad "report --map on the demo export: exit status is not 1"
for f in summary groups clinicians sizes model optimal projection; do
	cmp -s "$tmp/a/$f.csv" "$tmp/b/$f.csv" && ok || bad "$f.csv of the export differs from the canonical file's"
done
# claims.csv without its session_id (column 2): no cell holds a comma.
cut -d, -f1,3- "$tmp/a/claims.csv" >"$tmp/ca"; cut -d, -f1,3- "$tmp/b/claims.csv" >"$tmp/cb"
cmp -s "$tmp/ca" "$tmp/cb" && ok || bad "claims.csv of the export differs (apart from session ids)"
cut -d, -f2 "$tmp/a/rejects.csv" >"$tmp/ra"; cut -d, -f2 "$tmp/b/rejects.csv" >"$tmp/rb"
cmp -s "$tmp/ra" "$tmp/rb" && ok || bad "the export's rejected lines differ from the canonical file's"
grep -q "rows read = 4204 used + 180 skipped + 6 rejected" "$tmp/b.err" && ok ||
	bad "the export's summary line is not 4390 rows read = 4204 used + 180 skipped + 6 rejected"

# check: the same findings, file name and session id aside.
"$prog" check samples/attendance.csv --csv "$tmp/fa.csv" >/dev/null 2>&1
"$prog" check "$exp" --map "$map" --csv "$tmp/fb.csv" >/dev/null 2>&1
cut -d, -f2,4- "$tmp/fa.csv" >"$tmp/fa"; cut -d, -f2,4- "$tmp/fb.csv" >"$tmp/fb"
[ -s "$tmp/fa" ] && cmp -s "$tmp/fa" "$tmp/fb" && ok || bad "check's findings on the export differ"

# stats and project --history read through the map the same way.
"$prog" stats "$exp" --map "$map" --out "$tmp/s" >/dev/null 2>&1
for f in sizes model optimal; do
	cmp -s "$tmp/a/$f.csv" "$tmp/s/$f.csv" && ok || bad "stats --map: $f.csv differs"
done
"$prog" project samples/plan.csv --history samples/attendance.csv --out "$tmp/pa" >/dev/null 2>&1
"$prog" project samples/plan.csv --history "$exp" --map "$map" --out "$tmp/pb" >/dev/null 2>&1
[ -s "$tmp/pa/projection.csv" ] && cmp -s "$tmp/pa/projection.csv" "$tmp/pb/projection.csv" && ok ||
	bad "project --history --map: projection.csv differs"
"$prog" project samples/plan.csv --map "$map" --out "$tmp/pc" >/dev/null 2>"$tmp/pc.err"
[ $? -eq 2 ] && grep -q -- "--map reads the --history file" "$tmp/pc.err" && ok ||
	bad "project --map without --history is not refused"

# map --guess: the same [file] and [columns] and attendance words as the
# hand-written map (comments and order aside).
"$prog" map --guess "$exp" >"$tmp/guess.ini" || bad "map --guess failed"
section() { awk -v g="[$2]" '/^\[/ { on = ($0 == g) } on && !/^#/ && !/^\[/ && NF' "$1" | sort; }
for g in file columns "values attended"; do
	section "$map" "$g" >"$tmp/want"; section "$tmp/guess.ini" "$g" >"$tmp/got"
	cmp -s "$tmp/want" "$tmp/got" && ok || { bad "map --guess: [$g] differs from $map"; diff "$tmp/want" "$tmp/got"; }
done
sed -e 's/^# Blue Cross Blue Shield of Massachusetts = ?.*/Blue Cross Blue Shield of Massachusetts = BCBSMA/' \
    -e 's/^# Out-of-Network = ?.*/Out-of-Network = OON/' "$tmp/guess.ini" >"$tmp/filled.ini"
"$prog" report "$exp" --map "$tmp/filled.ini" --out "$tmp/g" >/dev/null 2>&1
cmp -s "$tmp/a/summary.csv" "$tmp/g/summary.csv" && ok || bad "the guessed map, payers filled in, gives another summary.csv"

# Every example map is a valid map: an export with just its headers (in
# its delimiter) reads with it, 0 rows, exit 0.
for m in samples/maps/*.ini; do
	d=$(awk -F' *= *' '/^delimiter/ { print $2 }' "$m")
	awk -v d="${d:-,}" '/^\[/ { on = ($0 == "[columns]") }
		on && /=/ && !/^#/ { sub(/^[^=]*= */, ""); printf "%s%s", sep, $0; sep = d }
		END { print "" }' "$m" >"$tmp/h.csv"
	"$prog" check "$tmp/h.csv" --map "$m" >/dev/null 2>"$tmp/h.err" &&
		grep -q "0 rows read = 0 used + 0 skipped + 0 rejected" "$tmp/h.err" && ok ||
		{ bad "$m does not read an export of its own headers"; cat "$tmp/h.err"; }
done

# The same export saved as UTF-16 (Excel's "Unicode Text"): converted
# here by iconv(1), little-endian with its byte-order mark and
# big-endian without one; read with `encoding = UTF-16LE` and `UTF-16`
# it gives every table of the windows-1252 file.
{ printf '\377\376'; iconv -f WINDOWS-1252 -t UTF-16LE "$exp"; } >"$tmp/u16le.csv"
iconv -f WINDOWS-1252 -t UTF-16BE "$exp" >"$tmp/u16be.csv"
sed 's/^encoding = .*/encoding = UTF-16LE/' "$map" >"$tmp/u16le.ini"
sed 's/^encoding = .*/encoding = UTF-16/' "$map" >"$tmp/u16.ini"
"$prog" report "$tmp/u16le.csv" --map "$tmp/u16le.ini" --plan samples/plan.csv --out "$tmp/u1" >/dev/null 2>&1
"$prog" report "$tmp/u16be.csv" --map "$tmp/u16.ini" --plan samples/plan.csv --out "$tmp/u2" >/dev/null 2>&1
for f in summary groups clinicians claims sizes model optimal projection aging kpi scorecard; do
	cmp -s "$tmp/b/$f.csv" "$tmp/u1/$f.csv" && cmp -s "$tmp/b/$f.csv" "$tmp/u2/$f.csv" && ok ||
		bad "$f.csv of the UTF-16 export differs from the windows-1252 one's"
done
cut -d, -f2- "$tmp/b/rejects.csv" >"$tmp/rb"; cut -d, -f2- "$tmp/u1/rejects.csv" >"$tmp/ru"
cmp -s "$tmp/rb" "$tmp/ru" && ok || bad "the UTF-16 export's rejected lines differ"
# The map's windows-1252 on a UTF-16 file, and no encoding at all: a
# message naming the key; map --guess proposes it.
"$prog" report "$tmp/u16le.csv" --map "$map" --out "$tmp/u3" >/dev/null 2>"$tmp/u3.err"
[ $? -eq 2 ] && grep -qF "is UTF-16 (little-endian), not windows-1252: set \`encoding = UTF-16LE\`" "$tmp/u3.err" &&
	ok || { bad "a UTF-16 export read as windows-1252 is not refused by name"; cat "$tmp/u3.err"; }
grep -v '^encoding' "$map" >"$tmp/u0.ini"
"$prog" report "$tmp/u16le.csv" --map "$tmp/u0.ini" --out "$tmp/u4" >/dev/null 2>"$tmp/u4.err"
[ $? -eq 2 ] && grep -qF "set \`encoding = UTF-16LE\` in the map's [file] group" "$tmp/u4.err" &&
	ok || { bad "a UTF-16 export without an encoding is not refused by name"; cat "$tmp/u4.err"; }
"$prog" map --guess "$tmp/u16le.csv" >"$tmp/u16guess.ini" 2>/dev/null
grep -qx "encoding = UTF-16LE" "$tmp/u16guess.ini" && ok || bad "map --guess does not propose encoding = UTF-16LE"

echo "exports: $passed passed, $failed failed"
# make check adds every suite's counts into one closing line.
[ -n "${CHECK_TALLY:-}" ] && echo "$passed $failed" >>"$CHECK_TALLY"
[ $failed -eq 0 ]
