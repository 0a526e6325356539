#!/bin/sh
# one_answer_points.sh EMLSIM OUT - one design point, one answer, away from
# the defaults one_answer.sh holds: each non-default point below runs through
# every command that can express it, and each figure is held to another
# command's (never to a value pasted from this program):
#   systolic 16x16 ws, USER 4 words/cycle, AlexNet: `systolic` (stdout CSV
#     and -o's systolic_layers.csv), `sweep`, `breakeven`'s dense points;
#   bitserial 4x128x16 at 300 MHz, 4:4, ResNet-18: `bitserial`, `sweep`,
#     `breakeven`'s dense point;
#   xnor PE 16 x SIMD 8, 16 KiB weights, 0.5 GB/s DRAM, 1:2, SimpleCNN:
#     `xnor`, `sweep`, `breakeven`'s dense points;
#   simt jetson with n_sm = 1, SimpleCNN: `simt` (--jobs 1 and 2), `sweep`;
#   simt volta and jetson n_sm = 1: `breakeven`'s dense point of conv1
#     against `simt`'s run of it;
# and within a command: per-layer rows sum to the total row, `sweep --jobs
# 1` and `--jobs 2` give the same bytes, and a fractional clock is printed
# as it is used (time_us = cycles / 333.3 MHz; the header said 333 MHz).
# Energies are compared at the common printed precision: the per-model
# commands print pJ to 0.1, the sweep uJ to 1e-6 (the command's pJ are
# rounded to it).
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
# col FILE NAME ROWKEY: the column NAME of the row whose first field is ROWKEY
col() { awk -F, -v n="$2" -v k="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
                                    NR > 1 && $1 == k { print $h[n] }' "$1"; }
# sweep_row SPEC: "cycles energy_uj" of the sweep's first row (uJ to 1e-6)
sweep_row() {
  "$emlsim" sweep "$1" --quiet -o "$1.csv" || { bad "sweep $1 failed"; return; }
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
           NR == 2 { print $h["cycles"], $h["energy_uj"] }' "$1.csv"
}
# uj CYCLES PJ: "cycles uJ", the command's pJ at the sweep's 1e-6 uJ
uj() { awk -v c="$1" -v p="$2" 'BEGIN { printf "%s %.6f\n", c, p * 1e-6 }'; }
# vs_sweep WHAT CSV CYCLES ENERGY SPEC_TEXT: the command's total (CSV's
# CYCLES and ENERGY columns, pJ) against the sweep of SPEC_TEXT's point
vs_sweep() {
  printf '%b' "$5" >"$2.spec"
  c=$(uj "$(col "$2" "$3" total)" "$(col "$2" "$4" total)")
  w=$(sweep_row "$2.spec")
  [ -n "$c" ] && [ "$c" = "$w" ] && ok "$1: command and sweep: $c" ||
    bad "$1: command '$c', sweep '$w'"
}
# sums FILE CYCLES ENERGY: "ok" when the rows before 'total' add up to it
# (cycles exactly, energy within the 0.1 pJ each printed row may round)
sums() {
  awk -F, -v c="$2" -v e="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == "total" { dc = $h[c] - sc; de = $h[e] - se; if (de < 0) de = -de
                    print (dc == 0 && de <= 0.05 * n + 0.1) ? "ok" : "cycles " $h[c] " vs " sc \
                      ", energy " $h[e] " vs " se; next }
    { sc += $h[c]; se += $h[e]; n++ }' "$1"
}

# --- systolic 16x16 ws, USER 4 words/cycle ---
"$emlsim" systolic alexnet --rows 16 --cols 16 --dataflow ws --bandwidth 4 --format csv \
  >"$out/sa.csv" 2>/dev/null || bad "systolic failed"
rm -rf "$out/sao"
"$emlsim" systolic alexnet --rows 16 --cols 16 --dataflow ws --bandwidth 4 -o "$out/sao" \
  2>/dev/null || bad "systolic -o failed"
cmp -s "$out/sa.csv" "$out/sao/emlsim_run/systolic_layers.csv" &&
  ok "systolic: -o's systolic_layers.csv is the stdout CSV" ||
  bad "systolic: -o's systolic_layers.csv differs from the stdout CSV"
s=$(sums "$out/sa.csv" total_cycles total_energy_pj)
[ "$s" = ok ] && ok "systolic: layers sum to the total" || bad "systolic layers vs total: $s"
vs_sweep "systolic 16x16 ws USER 4" "$out/sa.csv" total_cycles total_energy_pj \
  'arch = systolic\nworkload = alexnet\nrows = 16\ncols = 16\ndataflow = ws\nbandwidth_mode = user\nbandwidth = 4\n'
for layer in CONV-1 FC-3; do
  be=$("$emlsim" breakeven alexnet --arch systolic --layer "$layer" --dataflow ws --set rows=16 \
    --set cols=16 --set bandwidth_mode=user --set bandwidth=4 --sparsity 0:0:1 --format csv \
    2>/dev/null | awk -F, 'NR == 2 {print $2, $5}')
  c="$(col "$out/sa.csv" total_cycles "$layer") $(col "$out/sa.csv" total_energy_pj "$layer")"
  [ -n "$be" ] && [ "$be" = "$c" ] && ok "systolic $layer: breakeven's dense point: $be" ||
    bad "systolic $layer: breakeven's dense point '$be', the command '$c'"
done

# --- bitserial 4x128x16 at 300 MHz, 4:4 ---
"$emlsim" bitserial resnet18 --bits 4:4 --array 4x128x16 --freq 300 --format csv \
  >"$out/bs.csv" 2>/dev/null || bad "bitserial failed"
s=$(sums "$out/bs.csv" total_cycles total_pj)
[ "$s" = ok ] && ok "bitserial: layers sum to the total" || bad "bitserial layers vs total: $s"
vs_sweep "bitserial 4x128x16 300 MHz 4:4" "$out/bs.csv" total_cycles total_pj \
  'arch = bitserial\nworkload = resnet18\nbits = 4:4\ndm = 4\ndk = 128\ndn = 16\nfreq_mhz = 300\n'
layer=layer3.0.conv2
be=$("$emlsim" breakeven resnet18 --arch bitserial --layer "$layer" --bits 4:4 --set dm=4 \
  --set dk=128 --set dn=16 --set freq_mhz=300 --sparsity 0:0:1 --format csv 2>/dev/null |
  awk -F, 'NR == 2 {print $2, $5}')
c="$(col "$out/bs.csv" total_cycles "$layer") $(col "$out/bs.csv" total_pj "$layer")"
[ -n "$be" ] && [ "$be" = "$c" ] && ok "bitserial $layer: breakeven's dense point: $be" ||
  bad "bitserial $layer: breakeven's dense point '$be', the command '$c'"

# --- xnor PE 16 x SIMD 8, 16 KiB of weights, 0.5 GB/s, 1:2 ---
xset="--set dram_gbps=0.5 --set weight_kib=16"
# shellcheck disable=SC2086
"$emlsim" xnor simplecnn --bits 1:2 --pe 16 --simd 8 $xset --format csv >"$out/xn.csv" \
  2>/dev/null || bad "xnor failed"
# shellcheck disable=SC2086
"$emlsim" xnor simplecnn --bits 1:2 --pe 16 --simd 8 $xset >"$out/xn.txt" 2>/dev/null
grep -q "^  memory: each layer's weights on chip up to 16 KiB, DRAM 0.5 GB/s$" "$out/xn.txt" &&
  ok "xnor: the table names its weight memory and DRAM bandwidth" ||
  bad "xnor: no 'memory' line naming weight_kib and dram_gbps: $(sed -n 2,5p "$out/xn.txt")"
s=$(sums "$out/xn.csv" cycles total_pj)
[ "$s" = ok ] && ok "xnor: layers sum to the total" || bad "xnor layers vs total: $s"
vs_sweep "xnor PE 16 SIMD 8 0.5 GB/s 1:2" "$out/xn.csv" cycles total_pj \
  'arch = xnor\nworkload = simplecnn\nbits = 1:2\npe = 16\nsimd = 8\ndram_gbps = 0.5\nweight_kib = 16\n'
for layer in conv1 fc1; do
  # shellcheck disable=SC2086
  be=$("$emlsim" breakeven simplecnn --arch xnor --layer "$layer" --sparse channel --bits 1:2 \
    --set pe=16 --set simd=8 $xset --sparsity 0:0:1 --format csv 2>/dev/null |
    awk -F, 'NR == 2 {print $2, $5}')
  c="$(col "$out/xn.csv" cycles "$layer") $(col "$out/xn.csv" total_pj "$layer")"
  [ -n "$be" ] && [ "$be" = "$c" ] && ok "xnor $layer: breakeven's dense point: $be" ||
    bad "xnor $layer: breakeven's dense point '$be', the command '$c'"
done

# --- simt jetson, n_sm = 1 ---
"$emlsim" simt simplecnn --gpu jetson --set n_sm=1 --format csv --quiet >"$out/simt1.csv" ||
  bad "simt failed"
"$emlsim" simt simplecnn --gpu jetson --set n_sm=1 --format csv --quiet --jobs 2 \
  >"$out/simt2.csv" || bad "simt --jobs 2 failed"
cmp -s "$out/simt1.csv" "$out/simt2.csv" && ok "simt: --jobs 1 and 2 give the same bytes" ||
  bad "simt: --jobs 1 and 2 differ"
# kernel,...,launch_cycles (4),cycles (5),time_us (6),...,energy_uj (last)
cmd=$(awk -F, '$1 == "total" {printf "%d %.3f %.3f", $4 + $5, $6, $NF}' "$out/simt1.csv")
printf 'arch = simt\nworkload = simplecnn\ngpu = jetson\ngpu.n_sm = 1\n' >"$out/simt.spec"
"$emlsim" sweep "$out/simt.spec" --quiet -o "$out/simt.sweep.csv" || bad "simt sweep failed"
sw=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
              NR == 2 { printf "%d %.3f %.3f", $h["cycles"], $h["latency_us"], $h["energy_uj"] }' \
  "$out/simt.sweep.csv")
[ -n "$cmd" ] && [ "$cmd" = "$sw" ] && ok "simt jetson n_sm=1: command and sweep: $cmd" ||
  bad "simt jetson n_sm=1: command '$cmd', sweep '$sw'"
# breakeven's dense point of a convolution is never slower than the layer's
# run, conv1's own kernel being a candidate: on volta no GEMM-view kernel
# beats it, so the two are the same run (launch and cycles, energy); on one
# jetson SM one does (its dense point is faster than the layer's run)
be_conv1() { # GPU [SETTINGS]: "cycles energy_uj" of breakeven's dense conv1
  # shellcheck disable=SC2086
  "$emlsim" breakeven simplecnn --layer conv1 --gpu "$@" --sparsity 0:0:1 --format csv \
    2>/dev/null | awk -F, 'NR == 2 {printf "%d %.3f", $2, $5 * 1e-6}'
}
conv1_of() { awk -F, '$1 ~ /^conv1\// {printf "%d %.3f", $4 + $5, $NF}' "$1"; }
"$emlsim" simt simplecnn --format csv --quiet >"$out/simtv.csv" || bad "simt volta failed"
be=$(be_conv1 volta)
c=$(conv1_of "$out/simtv.csv")
[ -n "$be" ] && [ "$be" = "$c" ] && ok "simt volta conv1: breakeven's dense point is the layer's run: $be" ||
  bad "simt volta conv1: breakeven's dense point '$be', the command '$c'"
be=$(be_conv1 jetson --set n_sm=1)
c=$(conv1_of "$out/simt1.csv")
[ -n "$be" ] && [ -n "$c" ] && [ "${be% *}" -le "${c% *}" ] &&
  ok "simt jetson n_sm=1 conv1: breakeven's dense point ($be) is not slower than the layer's run ($c)" ||
  bad "simt jetson n_sm=1 conv1: breakeven's dense point '$be', the command '$c'"

# --- sweep: --jobs 1 and 2 ---
printf 'arch = systolic\nworkload = resnet18\nbits = 4:8\nrows = 16\ncols = 64\ndataflow = is\nmode = closed, simulate\n' \
  >"$out/j.spec"
"$emlsim" sweep "$out/j.spec" --quiet --jobs 1 -o "$out/j1.csv" &&
  "$emlsim" sweep "$out/j.spec" --quiet --jobs 2 -o "$out/j2.csv" &&
  cmp -s "$out/j1.csv" "$out/j2.csv" && ok "sweep: --jobs 1 and 2 give the same bytes" ||
  bad "sweep: --jobs 1 and 2 differ"

# --- a fractional clock, printed as it is used ---
"$emlsim" systolic alexnet --set freq_mhz=333.3 >"$out/f.txt" 2>/dev/null &&
  "$emlsim" systolic alexnet --set freq_mhz=333.3 --format csv >"$out/f.csv" 2>/dev/null ||
  bad "systolic at 333.3 MHz failed"
t=$(awk -F, '$1 == "total" { printf "%.3f %.3f", $4 / 333.3, $6 }' "$out/f.csv")
[ "${t% *}" = "${t#* }" ] && grep -q "^  clock: 333.3 MHz$" "$out/f.txt" &&
  ok "systolic 333.3 MHz: time_us = cycles / 333.3 ($t), and the header says 333.3 MHz" ||
  bad "systolic 333.3 MHz: time_us/cycles '$t', header '$(grep clock: "$out/f.txt")'"
"$emlsim" bitserial simplecnn --freq 333.3 >"$out/fb.txt" 2>/dev/null
grep -q "^  array: 333.3 MHz, " "$out/fb.txt" && ok "bitserial: the header says 333.3 MHz" ||
  bad "bitserial: header '$(grep array: "$out/fb.txt")'"
exit $fail
