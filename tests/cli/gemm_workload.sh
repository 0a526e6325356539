#!/bin/sh
# gemm_workload.sh EMLSIM OUT - gemm:MxNxK is one workload everywhere: the
# product `emlsim breakeven gemm:...` sweeps runs as it is through the
# per-model commands, the sweep and analyze, with breakeven's dense figures.
#
# By hand, gemm:256x512x512 is Y (512 x 256) = W (512 x 512) X (512 x 256):
# 256 x 512 x 512 = 67,108,864 MACs and 512 x 512 = 262,144 weights; on
# the 32x32 output-stationary array (SCALE-Sim's default) the 256 x 512
# outputs fold ceil(256/32) x ceil(512/32) = 8 x 16 = 128 times; on the
# 32 x 32 XNOR unit (FINN MVAU, PE 32, SIMD 32) a vector takes
# (512/32) x (512/32) = 256 cycles, 256 vectors 65,536 cycles at 1:1.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
g=gemm:256x512x512
"$emlsim" analyze $g --format csv >"$out/an.csv" || exit 1
check "analyze: params, MACs" "$(awk -F, '$1 == "gemm" {print $3, $4}' "$out/an.csv")" "262144 67108864"
"$emlsim" systolic $g --format csv >"$out/sa.csv" || exit 1
check "systolic: folds, MACs" "$(awk -F, '$1 == "total" {print $3, $10}' "$out/sa.csv")" "128 67108864"
# the same product as a topology's GEMM row gives the same bytes
printf 'Layer Name,M,N,K\ngemm,256,512,512\n' >"$out/g.csv"
"$emlsim" systolic "$out/g.csv" --format csv >"$out/sa_topo.csv" || exit 1
check "systolic: gemm:MxNxK as the topology row" "$(cmp -s "$out/sa.csv" "$out/sa_topo.csv" && echo same)" same
# breakeven's dense point is the command's run: cycles and pJ to the 0.1
"$emlsim" breakeven $g --arch systolic --sparsity 0:0:1 --format csv >"$out/be.csv" 2>/dev/null || exit 1
check "systolic: breakeven's dense point (cycles, pJ)" "$(awk -F, 'NR == 2 {print $2, $5}' "$out/be.csv")" \
  "$(awk -F, '$1 == "total" {print $4, $NF}' "$out/sa.csv")"
"$emlsim" xnor $g --bits 1:1 --format csv >"$out/xn.csv" || exit 1
check "xnor: cycles" "$(awk -F, '$1 == "total" {print $8}' "$out/xn.csv")" 65536
"$emlsim" breakeven $g --arch xnor --sparse channel --sparsity 0:0:1 --format csv >"$out/bex.csv" 2>/dev/null || exit 1
check "xnor: breakeven's dense point (cycles, pJ)" "$(awk -F, 'NR == 2 {print $2, $5}' "$out/bex.csv")" \
  "$(awk -F, '$1 == "total" {print $8, $NF}' "$out/xn.csv")"
# a sweep row of the one point: the command's cycles, and its pJ as uJ
# within the last of the sweep's six decimals (the command prints pJ to
# 0.1, so a half-way uJ may round either way: 492,886,686.5 pJ)
printf 'arch = systolic\nworkload = %s\n' $g >"$out/g.spec"
"$emlsim" sweep "$out/g.spec" -o "$out/sw.csv" --quiet 2>/dev/null || exit 1
check "sweep: workload, cycles" "$(awk -F, 'NR == 2 {print $2, $3}' "$out/sw.csv")" \
  "$g $(awk -F, '$1 == "total" {print $4}' "$out/sa.csv")"
pj=$(awk -F, '$1 == "total" {print $NF}' "$out/sa.csv")
check "sweep: uJ within 1e-6 of the command's pJ" \
  "$(awk -F, -v p="$pj" 'NR == 2 {d = $5 - p * 1e-6; print (d < 0 ? -d : d) <= 1.000001e-6 ? "yes" : $5}' \
    "$out/sw.csv")" yes
# a malformed product: the argument quoted, exit 1, on every command
for cmd in analyze systolic simt xnor bitserial; do
  "$emlsim" $cmd gemm:256x512 >/dev/null 2>"$out/err"
  rc=$?
  check "$cmd gemm:256x512: exit status, message" "$rc $(cat "$out/err")" \
    "1 emlsim $cmd: error: 'gemm:256x512': expected gemm:MxNxK with positive sizes"
done
exit $fail
