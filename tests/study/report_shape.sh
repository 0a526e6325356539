#!/bin/sh
# report_shape.sh REPORT.md - the study's report reads as a report: it opens
# with its conclusions (the first section is "Conclusions", with the best
# design for latency, energy, EDP and per mm^2 at each width, for AlexNet and
# for the SimpleCNN with its accuracy), binary AlexNet carries its accuracy
# caveat there and beside the Pareto front, no heading is directly followed
# by another heading of the same level, and a figure that does not apply
# reads "n/a", not 0 (the analytic rows have no clock, so no cycles; an area
# or a static energy no model reports); the conclusions also say where
# sparsity pays, in latency and in energy.
set -u
md=$1
fail=0
first=$(grep -m1 '^## ' "$md")
[ "$first" = "## Conclusions" ] || { echo "FAIL: the first section is '$first'"; fail=1; }
# each width's best for latency, energy, EDP and per mm^2, in the study's
# table and the SimpleCNN's (two of each; the tables at each DRAM price
# have energy rows of their own)
for g in latency energy "energy-delay product" "per mm^2"; do
  n=$(awk -v g="$g" '/^### / { best = /^### Best design per bit width: / }
    best && index($0, "| " g " ") && /^\| int8 *\| / { n++ } END { print n + 0 }' "$md")
  [ "$n" = 2 ] || { echo "FAIL: $n int8 best designs for $g, not 2"; fail=1; }
done
# the SimpleCNN's conclusions carry its accuracy; binary AlexNet's say it
# is not modelled and not as accurate
grep -Eq '^\| int8 +\| latency .*\| [0-9]+\.[0-9]{2} % +\|$' "$md" ||
  { echo "FAIL: no accuracy beside the SimpleCNN's int8 best design"; fail=1; }
grep -Eq '^\| binary +\| latency .*\| not modelled: cheaper, not as accurate' "$md" ||
  { echo "FAIL: binary AlexNet stands without its accuracy caveat"; fail=1; }
grep -q 'Accuracy is not modelled for alexnet: the front is on cost alone' "$md" ||
  { echo "FAIL: the Pareto front does not say accuracy is not modelled"; fail=1; }
# where sparsity pays, in latency and in energy, inside the conclusions
# (before the next section): the sweeps' rows name an outcome or a sparsity
awk '/^## / { sec = $0 } /^### Where sparsity pays/ { inconc = (sec == "## Conclusions") }
     inconc && /^\| (systolic|bitserial|xnor|simt) / { n++ } END { exit !(n > 0) }' "$md" ||
  { echo "FAIL: the conclusions do not say where sparsity pays"; fail=1; }
grep -Eq '^\| systolic +\| int8 +\| csr +\| [^|]+\| (never wins|wins everywhere|from s = [0-9.]+[^|]*) +\| (never wins|wins everywhere|from s = [0-9.]+[^|]*) +\| [^|]*(agrees|disagrees) +\|$' "$md" ||
  { echo "FAIL: the systolic CSR row has no latency and energy outcome, and the model's"; fail=1; }
# the designs' names use SCALE-Sim's, BISMO's and FINN's terms (os, 8x256x8,
# PE x SIMD) and the conclusions EDP: a Terms paragraph defines each one the
# report uses
for t in "os, ws and is" "BISMO Dm x Dk x Dn" "FINN PE x SIMD" "EDP, the energy-delay product"; do
  grep -q "^Terms: .*$t" "$md" || { echo "FAIL: the report's terms do not define '$t'"; fail=1; }
done
# the summary and energy tables: n/a, never 0, where area or static energy
# is not modelled
awk -F'|' '/^\| (arch|workload) / { n = 0; for (i = 2; i < NF; i++) { h = $i; gsub(/ /, "", h); col[h] = i } next }
           /^\| / { for (h in col) if (h ~ /^(area_mm2|inf_per_s_per_mm2|static_uj|local_uj)$/) {
                      v = $(col[h]); gsub(/ /, "", v); if (v ~ /^0(\.0*)?$/) { print "FAIL: 0 in " h ": " $0; bad = 1 } } }
           /^$/ { delete col } END { exit bad }' "$md" || fail=1
# a heading, blank lines, then a heading of the same level
awk '/^#+ / { lvl = index($0, " ") - 1; if (prev == lvl) { print "FAIL: empty section before: " $0; bad = 1 } prev = lvl; next }
     /^[[:space:]]*$/ { next } { prev = 0 } END { exit bad }' "$md" || fail=1
grep -Eq '^\| analytic +\| int8 +\| +n/a \|' "$md" ||
  { echo "FAIL: the analytic rows do not say n/a for cycles"; fail=1; }
[ $fail = 0 ] && echo "ok: conclusions first, no empty sections, n/a where nothing applies"
exit $fail
