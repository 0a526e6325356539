#!/usr/bin/env bash
# simt_wmma.sh EMLSIM - the WMMA fp16 GEMM as a user runs it
# (`emlsim simt --wmma MxNxK[:cutlass|:sample]`), one row of the power
# validation table of models/simt/README.md ("Validation on V100
# measurements"):
#   - CUTLASS 1.x's wmma_gemm_nn at 2560 x 16 x 2560 (AccelWattch's
#     cutlass_k1) on volta draws 101.92 W on a V100 (AccelWattch's
#     accelwattch_hw_profiler/hw_power_validation_volta.csv, mean of 5 runs):
#     the model lies within AccelWattch's published mean absolute error,
#     9.2 % (AccelWattch_graphs.xlsx, Volta_SASS_SIM, cell AI29), the
#     README's tolerance for it; and at or below the 250 W board;
#   - its cycles lie within 15 % of nvprof's 139,809 (hw_perf.csv), the
#     check that it is the kernel that was measured;
#   - its flops, by hand: whole 128 x 128 tiles (N = 16 runs one tile of
#     128), 2 x 2560 x 128 x 2560 = 1,677,721,600 on the tensor cores, plus
#     the epilogue's alpha FFMA, 2 flops x 20 blocks x 256 threads x 64
#     outputs = 655,360: 1,678,376,960;
#   - with the operand reuse caches on (--set rf_reuse=1), within 9.2 % too;
#   - a GPU without tensor cores: exit 1, the reason, no folder left;
#     a malformed size: exit 2.
set -u
emlsim=$1
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
field() { # $1 file $2 column name $3 key column name $4 key value
  awk -F, -v col="$2" -v kcol="$3" -v key="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h[kcol] == key { print $h[col]; exit }' "$1"
}
within() { # $1 value $2 reference $3 relative tolerance
  awk -v m="$1" -v r="$2" -v t="$3" 'BEGIN { e = m / r - 1; exit !(m != "" && e <= t && e >= -t) }'
}

k=wmma_gemm_nn_2560x16x2560
"$emlsim" simt --wmma 2560x16x2560 --quiet -o "$dir/k1" || die "--wmma 2560x16x2560 failed"
w=$(field "$dir/k1/simt_energy.csv" power_w kernel $k)
b=$(field "$dir/k1/simt_energy.csv" board_power_w kernel $k)
within "$w" 101.92 0.092 || die "cutlass_k1: $w W is not within 9.2 % of the V100's 101.92 W"
awk -v w="$w" -v b="$b" 'BEGIN { exit !(w > 0 && w <= b) }' || die "cutlass_k1: $w W over the board's $b W"
c=$(field "$dir/k1/simt_kernels.csv" cycles kernel $k)
within "$c" 139809 0.15 || die "cutlass_k1: $c cycles are not within 15 % of nvprof's 139809"
f=$(field "$dir/k1/simt_kernels.csv" flops kernel $k)
[ "$f" = 1678376960 ] || die "cutlass_k1: $f flops, expected 1678376960"
# the operand reuse caches on (not the default): still within 9.2 %
"$emlsim" simt --wmma 2560x16x2560 --set rf_reuse=1 --quiet -o "$dir/k1r" || die "rf_reuse=1 failed"
w=$(field "$dir/k1r/simt_energy.csv" power_w kernel $k)
within "$w" 101.92 0.092 || die "cutlass_k1, rf_reuse=1: $w W is not within 9.2 % of 101.92 W"

out=$("$emlsim" simt --wmma 2560x16x2560 --set tensor_units=0 -o "$dir/none" 2>&1 > /dev/null)
rc=$?
[ $rc -eq 1 ] || die "tensor_units = 0: exit $rc, expected 1"
[ "$out" = "emlsim simt: error: --wmma 2560x16x2560 on volta: the WMMA GEMM needs tensor cores, and the GPU has none ('tensor_units' is 0)" ] ||
  die "tensor_units = 0: '$out'"
[ -e "$dir/none" ] && die "tensor_units = 0 left $dir/none behind"

for bad in 0x16x16 16x16 16x16x16:cublas 1048577x1x1 4294967297x1x1; do
  "$emlsim" simt --wmma "$bad" > /dev/null 2>&1
  rc=$?
  [ $rc -eq 2 ] || die "--wmma $bad: exit $rc, expected 2"
done

exit $fail
