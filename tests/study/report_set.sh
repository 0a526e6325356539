#!/bin/sh
# report_set.sh EMLSIM DIR - a study of a design of one's own
# (--set systolic.rows=64: a 64 x 32 array, not the default 32 x 32) says
# what it ran, not the models' defaults:
#   - 'Where sparsity pays' is on each model's design point as the study
#     ran it (it said "default design point" whatever --set changed);
#   - the areas note gives the 64-row array's area at each width as
#     summary.csv's area_mm2 has it (4 significant digits), built for the
#     width, and compares it with no design for every width, none having run.
set -u
emlsim=$1
dir=$2
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
rm -rf "$dir"
"$emlsim" study --workload simplecnn --arch systolic --set systolic.rows=64 --accuracy none \
  --repeat 1 --quiet -o "$dir" || { echo "FAIL: the study did not run"; exit 1; }
md=$dir/report.md
grep -q '^| int8 .*| systolic (64x32 ' "$md" || bad "the study did not run the 64-row array"
if grep -q "^Where sparse weights pay, .* on each model's design point as this study ran it, at the width its sweep ran (bits):" "$md" &&
   ! grep -q "default design point" "$md"
then ok "'Where sparsity pays' is on the design point as the study ran it"
else bad "'Where sparsity pays' does not say it is the design as the study ran it"; fi
note=$(grep -m1 '^- note: areas: ' "$md")
got=$(awk -F, -v note="$note" '
  NR > 1 && $1 == "systolic" && $12 != "" {
    n++; w = sprintf("%.4g mm^2 at %s", $12, $2)
    if (index(note, w) == 0) print "lacks \"" w "\"" }
  END { if (n < 2) print "expected the array at several widths, found", n
        if (index(note, "systolic'"'"'s is built for the width") == 0) print "not built for the width"
        if (index(note, "compares")) print "compares with a design that did not run" }' "$dir/summary.csv")
if [ -n "$got" ]; then bad "areas note: $got [$note]"; else ok "the areas note gives the 64-row array's areas"; fi
exit $fail
