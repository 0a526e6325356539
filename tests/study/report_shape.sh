#!/bin/sh
# report_shape.sh REPORT.md - the study's report reads as a report: it opens
# with its conclusions (the first section is "Conclusions", with the best
# design for latency, energy and EDP at each width), no heading is directly
# followed by another heading of the same level, and a figure that does not
# apply reads "n/a", not 0 (the analytic rows have no clock, so no cycles).
set -u
md=$1
fail=0
first=$(grep -m1 '^## ' "$md")
[ "$first" = "## Conclusions" ] || { echo "FAIL: the first section is '$first'"; fail=1; }
for g in latency energy "energy-delay product"; do
  grep -q "^| int8 *| $g " "$md" || { echo "FAIL: no int8 best design for $g"; fail=1; }
done
# a heading, blank lines, then a heading of the same level
awk '/^#+ / { lvl = index($0, " ") - 1; if (prev == lvl) { print "FAIL: empty section before: " $0; bad = 1 } prev = lvl; next }
     /^[[:space:]]*$/ { next } { prev = 0 } END { exit bad }' "$md" || fail=1
grep -Eq '^\| analytic +\| int8 +\| +n/a \|' "$md" ||
  { echo "FAIL: the analytic rows do not say n/a for cycles"; fail=1; }
[ $fail = 0 ] && echo "ok: conclusions first, no empty sections, n/a where nothing applies"
exit $fail
