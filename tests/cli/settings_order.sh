#!/bin/sh
# settings_order.sh EMLSIM OUT - a GPU setting given before the `gpu`
# preset it applies to holds: the preset is loaded first, whatever the
# order, in a sweep, in `emlsim simt --set` and in breakeven.  `gpu = volta`
# loads the 80-SM chip; after `gpu.n_sm = 8` it threw the 8 away, and the
# sweep's row said n_sm 8 beside the 80-SM chip's cycles, energy and die.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
printf 'arch = simt\nworkload = simplecnn\ngpu = volta, ampere\ngpu.n_sm = 8\n' >"$out/after.spec"
printf 'arch = simt\nworkload = simplecnn\ngpu.n_sm = 8\ngpu = volta, ampere\n' >"$out/before.spec"
"$emlsim" sweep "$out/after.spec" --quiet -o "$out/after.csv" || exit 1
"$emlsim" sweep "$out/before.spec" --quiet -o "$out/before.csv" || exit 1
# the columns follow the spec's order: compare gpu, n_sm and every figure
a=$(awk -F, 'NR > 1 {print $3, $4, $5, $6, $7}' "$out/after.csv")
b=$(awk -F, 'NR > 1 {print $4, $3, $5, $6, $7}' "$out/before.csv")
check "sweep: gpu.n_sm before gpu gives the rows of gpu.n_sm after it" "$b" "$a"
# ... and the simt command's own run of the 8-SM Volta
"$emlsim" simt simplecnn --gpu volta --set n_sm=8 --format csv >"$out/simt.csv" 2>/dev/null || exit 1
"$emlsim" simt simplecnn --set n_sm=8 --set gpu=volta --format csv >"$out/simt2.csv" 2>/dev/null || exit 1
check "simt: --set n_sm=8 --set gpu=volta runs what --gpu volta --set n_sm=8 runs" \
  "$(cmp -s "$out/simt.csv" "$out/simt2.csv" && echo same)" same
v=$(awk -F, 'NR == 2 {print $5}' "$out/after.csv")
check "sweep row 0 (volta, 8 SMs): its cycles are the simt command's" "$v" \
  "$(awk -F, '$1 == "total" {print $4 + $5}' "$out/simt.csv")"
# breakeven's dense point on the 8-SM Volta, the settings in either order
for sets in "--set n_sm=8 --set gpu=volta" "--set gpu=volta --set n_sm=8"; do
  "$emlsim" breakeven simplecnn $sets --sparsity 0:0:1 --format csv 2>/dev/null |
    awk -F, 'NR == 2 {print $2, $5}' >>"$out/be.txt"
done
check "breakeven: the dense point in both orders" "$(sed -n 1p "$out/be.txt")" "$(sed -n 2p "$out/be.txt")"
exit $fail
