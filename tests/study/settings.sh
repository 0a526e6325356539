#!/bin/sh
# settings.sh EMLSIM OUT CFG - a study of one's own designs: `--set
# MODEL.KEY=VALUE` and `-c CFG` (the systolic array's SCALE-Sim .cfg) give
# each design point as its own command gives it, so the study's figures are
# those commands' (one design point, one answer): the SimpleCNN on a
# 64 x 16 ws array (the .cfg's dataflow, its rows and cols set after it)
# and on FINN with PE 16, their cycles and energy in summary.csv equal
# `emlsim systolic -c CFG --rows 64 --cols 16` and `emlsim xnor --pe 16`
# totals to the printed digits, and each design's description in the
# report names the settings; the common clock's rerun keeps them (only
# freq_mhz moves: energy.csv's figures at 1000 MHz are `--freq 1000`'s,
# the systolic array's own clock).  Before, the study ran each model's
# default design only, and '--set' was an unknown option.
set -u
emlsim=$1 out=$2 cfg=$3
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
rm -rf "$out"
"$emlsim" study simplecnn --arch systolic,xnor --bits int8,binary --accuracy none \
  --sparsity none --repeat 1 -c "$cfg" --set systolic.rows=64 --set systolic.cols=16 \
  --set xnor.pe=16 --set xnor.freq_mhz=250 -o "$out" --quiet || { echo "FAIL: study failed"; exit 1; }
# total cycles and energy (uJ, 6 decimals) of a per-model command's CSV
totals() {
  "$@" --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == "total" { c = h["total_cycles"] ? h["total_cycles"] : h["cycles"]
      t = h["total_pj"] ? h["total_pj"] : h["total_energy_pj"]
      printf "%s,%.6f\n", $c, $t * 1e-6 }'
}
# summary.csv: arch,bits,cycles,latency_us,energy_uj,...
study_row() { awk -F, -v a="$1" -v b="$2" '$1 == a && $2 == b { print $3 "," $5 }' "$out/summary.csv"; }
want=$(totals "$emlsim" systolic simplecnn -c "$cfg" --rows 64 --cols 16 --bits 8:8)
got=$(study_row systolic int8)
[ -n "$want" ] && [ "$got" = "$want" ] && ok "systolic int8 on -c and --set: $got" ||
  bad "systolic int8: the study says '$got', the command '$want'"
want=$(totals "$emlsim" xnor simplecnn --pe 16 --freq 250 --bits 1:1)
got=$(study_row xnor binary)
[ -n "$want" ] && [ "$got" = "$want" ] && ok "xnor binary on --set: $got" ||
  bad "xnor binary: the study says '$got', the command '$want'"
grep -q 'systolic (64x16 ws, ' "$out/report.md" && ok "the report names 64x16 ws" ||
  bad "no 'systolic (64x16 ws, ' in the report"
grep -q 'xnor (FINN PE 16 x SIMD 32, 250 MHz' "$out/report.md" && ok "the report names PE 16 at 250 MHz" ||
  bad "no 'xnor (FINN PE 16 x SIMD 32, 250 MHz' in the report"
# energy.csv: workload,arch,bits,freq_mhz,...,latency_us_at_common(11),static(12),energy_uj_at_common(13)
got=$(awk -F, '$2 == "xnor" && $3 == "binary" { printf "%.3f", $13 }' "$out/energy.csv")
want=$(totals "$emlsim" xnor simplecnn --pe 16 --freq 1000 --bits 1:1 | awk -F, '{ printf "%.3f", $2 }')
[ -n "$want" ] && [ "$got" = "$want" ] && ok "xnor at the common clock keeps PE 16: $got uJ" ||
  bad "xnor at 1000 MHz: the study says '$got', the command '$want'"
# a format the user's design cannot run is said and left out, the rest
# swept: an input-stationary array skips no zeros (breakeven refuses CSR
# there), and the study failed whole, exit 1; its channel pruning runs
rm -rf "$out.is"
if "$emlsim" study simplecnn --arch systolic --bits int8 --accuracy none --repeat 1 \
  --set systolic.dataflow=is -o "$out.is" --quiet; then
  grep -q "^- note: not swept, the study's design of the model cannot run the format: systolic csr: " \
    "$out.is/report.md" && ok "is: CSR said not swept" || bad "is: no note of CSR not swept"
  awk -F, '$1 == "systolic" { print $2 }' "$out.is/breakeven_points.csv" | tr '\n' ' ' |
    grep -qx 'channel ' && ok "is: channel swept alone" ||
    bad "is: swept '$(awk -F, '$1 == "systolic" { print $2 }' "$out.is/breakeven_points.csv")'"
else
  bad "study with --set systolic.dataflow=is failed"
fi
exit $fail
