#!/usr/bin/env bash
# breakeven_dense_ref.sh EMLSIM OUT - `emlsim breakeven`'s note on the SIMT
# dense reference says what it is: the fastest of the model's dense kernels
# for the product, with the least energy of any of them, not the kernel
# `emlsim simt` runs for it; and, where the fastest and the cheapest
# differ, that its cycles and its energy come from two runs.
#
# Compared with `emlsim simt` on the same product, not with the program's
# own figures: at batch 1, gemm:1x1000x4096 (AlexNet FC-3's shape, Y (1000
# x 1) = W (1000 x 4096) x (4096 x 1)), `emlsim simt` runs its one kernel,
# 'gemm' (launch_cycles + cycles); the reference, the fastest of several
# dense kernels, is never slower than it (models/simt/README.md, "Sparse
# execution"), and here it is a kernel of another name, so the dense point
# is not that run. Its note named the kernels, "the gemv-unrolled (energy:
# block8-dense/8) kernel", and said nothing of either.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

g=gemm:1x1000x4096
"$emlsim" breakeven $g --sparsity 0:0:1 -o "$out/be.csv" >"$out/be.txt" 2>"$out/be.err" ||
  bad "breakeven failed"
"$emlsim" simt $g --format csv >"$out/simt.csv" 2>/dev/null || bad "simt failed"

# `emlsim simt`'s kernel and its cycles with its launch (columns by name)
read -r kernel scycles < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
  NR == 2 { print $c["kernel"], $c["launch_cycles"] + $c["cycles"] }' "$out/simt.csv")
dcycles=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { print $c["dense_cycles"] }' \
  "$out/be.csv")
[ -n "$kernel" ] && [ -n "$dcycles" ] && [ "$dcycles" -lt "$scycles" ] &&
  ok "dense reference $dcycles cycles, below simt's '$kernel' at $scycles: another run" ||
  bad "dense reference '$dcycles' cycles against simt's '$kernel' at '$scycles'"

# the note: two kernels, two runs, and neither is said to be simt's
note=$(sed -n 's/^note: dense reference: //p' "$out/be.txt")
re="^its cycles are the ([^ ]+) kernel's, the fastest of the model's dense kernels for this product, and its energy the ([^ ]+) kernel's, the least of theirs: two runs, not one, and neither need be the kernel \`emlsim simt\` runs for it$"
if [[ $note =~ $re ]]; then
  fast=${BASH_REMATCH[1]} cheap=${BASH_REMATCH[2]}
  [ "$fast" != "$cheap" ] && [ "$fast" != "$kernel" ] && [ "$cheap" != "$kernel" ] &&
    ok "two runs: cycles of $fast, energy of $cheap, neither simt's $kernel" ||
    bad "kernels '$fast', '$cheap' against simt's '$kernel'"
else
  bad "note: '$note'"
fi

# one kernel both fastest and cheapest: said as one, not simt's either
"$emlsim" breakeven gemm:64x64x64 --sparsity 0:0:1 >"$out/one.txt" 2>/dev/null ||
  bad "breakeven gemm:64x64x64 failed"
note=$(sed -n 's/^note: dense reference: //p' "$out/one.txt")
re="^the ([^ ]+) kernel, the fastest of the model's dense kernels for this product and the least in energy. not necessarily the kernel \`emlsim simt\` runs for it, whose cycles may be more$"
[[ $note =~ $re ]] && ok "one kernel: ${BASH_REMATCH[1]}" || bad "one-kernel note: '$note'"
exit $fail
