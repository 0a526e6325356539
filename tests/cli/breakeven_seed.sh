#!/usr/bin/env bash
# breakeven_seed.sh EMLSIM OUT - a sparse point's pattern depends on its
# sparsity and the seed alone, and the table's storage is what the run
# stores:
#   - sparsity 0.9 on SimpleCNN's conv2 (32 x 144, CSR, systolic) swept as
#     0.9 alone, as 0 0.45 0.9 and as 0 0.3 0.6 0.9 (3 x 0.3 is
#     0.8999999999999999 in binary) is one run, byte for byte but the
#     model's column, fitted to each grid (point i was drawn with seed + i:
#     1,516, 1,502 and 1,523 cycles);
#   - seeds 0 and 4357 draw different patterns (GSL's mt19937 takes 0 as
#     4357: the two were one), and the notes name the seed;
#   - the bit-serial array skips empty K slices and reads a flag each, not
#     CSR's indices: CONV-3 of AlexNet (N 384, K 2304) at int4 on BISMO
#     8x256x8 stores 384 x 2304 x 4 / 8 = 442,368 B of weights at sparsity
#     0 and 48 column tiles x 9 slices = 432 flag bits, 54 B: 442,422;
#   - gating on the systolic array stores the dense weights and a flag
#     each: 884,736 B at int8 and 884,736 / 8 = 110,592 B of flags, 995,328;
#   - channel pruning at sparsity 1 leaves no layer: 0 cycles, n/a ratios,
#     and a note that says so; 1x1x1's model cycles print as 0, not as a
#     rounding's 8e-27 grouped into "8e,-27".
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

be() { "$emlsim" breakeven "$@" --format csv 2>"$out/stderr"; }
# the row at 0.9 but its model_cycles (column 9: the fit is the grid's)
row09() { be simplecnn --layer conv2 --arch systolic --sparse csr "$@" | grep '^0\.900,' | cut -d, -f1-8,10-; }
a=$(row09 --sparsity 0.9:0.9:0.1)
b=$(row09 --sparsity 0:0.9:0.45)
c=$(row09 --sparsity 0:0.9:0.3)
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then ok "one row at 0.9 on three grids: $a"
else bad "sparsity 0.9 on three grids: '$a' / '$b' / '$c'"; fi

s0=$(row09 --sparsity 0.9:0.9:0.1 --seed 0)
s1=$(row09 --sparsity 0.9:0.9:0.1 --seed 4357)
[ -n "$s0" ] && [ "$s0" != "$s1" ] && ok "seeds 0 and 4357 differ" || bad "seeds 0 and 4357: '$s0' / '$s1'"
"$emlsim" breakeven simplecnn --layer conv2 --arch systolic --sparse csr --sparsity 0.9:0.9:0.1 \
  --seed 77 >"$out/seed.txt" 2>&1
grep -q "^note: patterns: uniform, seed 77, one pattern per sparsity" "$out/seed.txt" &&
  ok "the notes name the seed" || bad "no seed note: $(grep patterns "$out/seed.txt")"
# ... and the JSON's inputs (they were empty), with the design and format
"$emlsim" breakeven simplecnn --layer conv2 --arch systolic --sparse csr --sparsity 0.9:0.9:0.1 \
  --seed 77 --format json >"$out/seed.json" 2>&1
tr -d '\t\n' <"$out/seed.json" | grep -q '"inputs":{"design":"systolic (32x32 os, 64 kB SRAMs, CALC bandwidth, 1000 MHz)","product":"simplecnn conv2","format":"csr","bits":"int8:int8","pattern":"uniform","seed":"77"}' &&
  ok "the JSON's inputs name the seed" || bad "JSON inputs: $(grep -A7 inputs "$out/seed.json")"

# sparsity,dense_cycles,sparse_cycles,speedup,dense_energy_pj,sparse_energy_pj,storage_bytes,metadata_bytes
st=$(be alexnet --layer CONV-3 --arch bitserial --bits 4:4 --sparse csr --sparsity 0:0:0.1 |
  sed -n 2p | cut -d, -f7,8)
[ "$st" = "442422,54" ] && ok "bitserial stores slices and flags: $st" || bad "bitserial storage: '$st'"
st=$(be alexnet --layer CONV-3 --arch systolic --gate --sparse csr --sparsity 0:0:0.1 |
  sed -n 2p | cut -d, -f7,8)
[ "$st" = "995328,110592" ] && ok "gating stores weights and flags: $st" || bad "gate storage: '$st'"

"$emlsim" breakeven gemm:1x1x1 --arch systolic --sparse channel --sparsity 0:1:0.5 >"$out/ch.txt" 2>&1
last=$(grep -E '^ +1\.000 ' "$out/ch.txt" | tr -s ' ')
case "$last" in
" 1.000 62 0 n/a 9,345.3 0.0 0 0 0 1.0000 n/a") ok "channel at 1: $last" ;;
*) bad "channel at 1: '$last'" ;;
esac
grep -q "^note: at sparsity 0.5 every channel is pruned: the layer is gone (0 cycles, 0 pJ)" \
  "$out/ch.txt" && ok "the layer-gone note" || bad "no layer-gone note: $(grep pruned "$out/ch.txt")"
grep -Eq '[0-9]e,-?[0-9]' "$out/ch.txt" && bad "a grouped exponent: $(grep 'e,' "$out/ch.txt")" ||
  ok "no grouped exponent"
exit $fail
