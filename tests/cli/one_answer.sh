#!/bin/sh
# one_answer.sh EMLSIM OUT - one design point, one answer: AlexNet on the
# systolic array (32x32 os, CALC, int8), the BISMO bit-serial array
# (8x256x8, int8) and the XNOR array (binary) gives the same total cycles
# and energy from the per-model command, from a sweep of that one point and
# from the study, and so does the SIMT GPU on the SimpleCNN (below); the
# systolic array's layers from `breakeven`'s dense point as well.
# Energies are compared at each pair's common printed precision: the
# per-model commands print pJ to 0.1, the sweep and the study uJ to 1e-6
# (the study's summary printed 1e-3 once: a tiny design's 0.000325 uJ as
# 0.000).
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
"$emlsim" study --arch systolic,bitserial,xnor --bits int8,binary --sparsity none --repeat 1 --accuracy none \
  -o "$out/study" >/dev/null 2>"$out/study.err" || { cat "$out/study.err"; exit 1; }
# model  bits  per-model command (its total row: cycles column, energy column)  sweep keys
while read -r model bits wa cyc_col; do
  "$emlsim" "$model" alexnet --bits "$wa" --format csv >"$out/$model.csv" || exit 1
  cmd=$(awk -F, -v c="$cyc_col" '$1 == "total" {printf "%s %.1f", $c, $NF}' "$out/$model.csv")
  printf 'arch = %s\nworkload = alexnet\nbits = %s\n' "$model" "$wa" >"$out/$model.spec"
  "$emlsim" sweep "$out/$model.spec" -o "$out/$model.sweep.csv" || exit 1
  sw=$(awk -F, 'NR == 2 {print $4, $6}' "$out/$model.sweep.csv")
  st=$(awk -F, -v m="$model" -v b="$bits" '$1 == m && $2 == b {print $3, $5}' "$out/study/summary.csv")
  c1=${cmd% *} e1=${cmd#* } c2=${sw% *} e2=${sw#* } c3=${st% *} e3=${st#* }
  # the command's pJ (to 0.1) against the sweep's and the study's uJ (to
  # 1e-6, 1 pJ): equal within the two roundings, 0.05 + 0.5 pJ (a figure
  # that ends in .5 pJ, 14,209,246,750.5, is a tie at 1e-6 uJ that printf
  # rounded down where the sweep rounded up)
  e1u=$(awk -v p="$e1" -v u="$e2" 'BEGIN {d = p - u * 1e6; print (d <= 0.55 && d >= -0.55)}')
  if [ "$c1" = "$c2" ] && [ "$c1" = "$c3" ] && [ "$e1u" = 1 ] && [ "$e2" = "$e3" ]; then
    echo "ok: $model $wa: $c1 cycles, $e1 pJ; sweep $c2, $e2 uJ; study $c3, $e3 uJ"
  else
    echo "FAIL: $model $wa: command $c1 cycles $e1 pJ, sweep $c2 $e2 uJ, study $c3 $e3 uJ"
    fail=1
  fi
done <<'LIST'
systolic int8 8:8 4
bitserial int8 8:8 8
xnor binary 1:1 8
LIST
# `emlsim breakeven`'s dense point is the layer `emlsim systolic` runs:
# AlexNet's CONV-1 and CONV-3 as convolutions (their windows overlap, so
# the array fetches each activation once, not once a window as their im2col
# GEMM would: CONV-1's energy was 666.9 uJ against the command's 217.2) and
# FC-3, in cycles and pJ to the 0.1 both print
for layer in CONV-1 CONV-3 FC-3; do
  "$emlsim" breakeven alexnet --arch systolic --layer "$layer" --sparsity 0:0:1 --format csv \
    >"$out/be.csv" 2>"$out/be.err" || { cat "$out/be.err"; exit 1; }
  be=$(awk -F, 'NR == 2 {print $2, $5}' "$out/be.csv")
  cmd=$(awk -F, -v l="$layer" '$1 == l {print $4, $NF}' "$out/systolic.csv")
  if [ -n "$be" ] && [ "$be" = "$cmd" ]; then
    echo "ok: systolic $layer: breakeven's dense point and the command: $be (cycles, pJ)"
  else
    echo "FAIL: systolic $layer: breakeven's dense point '$be', the command '$cmd'"
    fail=1
  fi
done
# A topology's own widths (Weight Bits, Activation Bits) reach `breakeven`
# as they reach each model's command: breakeven ran the model's default
# width (int8 on the systolic and bit-serial arrays, binary on the XNOR
# array) whatever the file said, so a 4-bit layer's dense point drew int8's
# energy (5.14 uJ by the command, 10.02 by breakeven) and a 2-bit
# activation ran one pass on the XNOR array where the command runs two.
cat >"$out/w4.csv" <<'CSV'
Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Weight Bits, Activation Bits
Conv1, 30, 30, 3, 3, 16, 32, 1, 4, 4
CSV
cat >"$out/w12.csv" <<'CSV'
Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Weight Bits, Activation Bits
Conv1, 30, 30, 3, 3, 16, 32, 1, 1, 2
CSV
# model  topology  cycles column of the command's CSV  widths in breakeven's title
while read -r model topo cyc_col widths; do
  "$emlsim" "$model" "$out/$topo.csv" --format csv >"$out/w.$model.csv" || exit 1
  cmd=$(awk -F, -v c="$cyc_col" '$1 == "Conv1" {print $c, $NF}' "$out/w.$model.csv")
  "$emlsim" breakeven "$out/$topo.csv" --arch "$model" --sparse channel --sparsity 0:0:1 \
    --format csv >"$out/w.be.csv" 2>"$out/w.be.err" || { cat "$out/w.be.err"; exit 1; }
  be=$(awk -F, 'NR == 2 {print $2, $5}' "$out/w.be.csv")
  "$emlsim" breakeven "$out/$topo.csv" --arch "$model" --sparse channel --sparsity 0:0:1 \
    >"$out/w.be.txt" 2>&1
  if [ -n "$be" ] && [ "$be" = "$cmd" ] && grep -q " at $widths: " "$out/w.be.txt"; then
    echo "ok: $model at $widths from $topo.csv: breakeven's dense point and the command: $be"
  else
    echo "FAIL: $model $topo.csv: breakeven's dense point '$be', the command '$cmd';" \
      "title: $(head -1 "$out/w.be.txt")"
    fail=1
  fi
done <<'LIST'
systolic w4 4 int4:int4
bitserial w4 8 int4:int4
xnor w12 8 binary:int2
LIST
# The SIMT GPU (volta), fp32 SimpleCNN: `emlsim simt`'s total row
# (launch_cycles + cycles, time_us, energy_uj), a sweep of the point and the
# study give one time and one energy, each kernel's launch included.
"$emlsim" study simplecnn --arch simt --bits fp32 --sparsity none --repeat 1 --accuracy none \
  -o "$out/gpu_study" >/dev/null 2>"$out/gpu_study.err" || { cat "$out/gpu_study.err"; exit 1; }
"$emlsim" simt simplecnn --format csv >"$out/simt.csv" || exit 1
printf 'arch = simt\nworkload = simplecnn\n' >"$out/simt.spec"
"$emlsim" sweep "$out/simt.spec" -o "$out/simt.sweep.csv" || exit 1
# kernel,blocks,blocks_per_sm,launch_cycles,cycles,time_us,...,energy_uj (last)
cmd=$(awk -F, '$1 == "total" {printf "%d %.3f %.3f", $4 + $5, $6, $NF}' "$out/simt.csv")
sw=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
              NR == 2 { printf "%d %.3f %.3f", $h["cycles"], $h["latency_us"], $h["energy_uj"] }' \
  "$out/simt.sweep.csv")
st=$(awk -F, '$1 == "simt" && $2 == "fp32" {printf "%d %.3f %.3f", $3, $4, $5}' \
  "$out/gpu_study/summary.csv")
if [ -n "$cmd" ] && [ "$cmd" = "$sw" ] && [ "$cmd" = "$st" ]; then
  echo "ok: simt fp32 simplecnn: $cmd (cycles, us, uJ) from the command, the sweep and the study"
else
  echo "FAIL: simt fp32 simplecnn: command '$cmd', sweep '$sw', study '$st'"
  fail=1
fi
exit $fail
