#!/bin/sh
# layer_bars.sh EMLSIM OUT - an energy-per-layer chart draws at most 64
# layers, those that draw the most, in the network's order (a 10^5-layer
# topology drew three 230 MB SVGs into a 700 MB report.html), its caption
# says so, and layers.csv keeps every layer.
#
# 100 GEMM layers g0..g99, layer i M 4 x N 8 + i x K 16 (i + 1): each has
# more MACs, weights and outputs than the one before, so more energy on
# the systolic array, and the 64 that draw the most are g36..g99.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
{
  echo "Layer Name,M,N,K"
  i=0
  while [ $i -lt 100 ]; do
    echo "g$i,4,$((8 + i)),$((16 * (i + 1)))"
    i=$((i + 1))
  done
} >"$out/l100.csv"
"$emlsim" study --workload "$out/l100.csv" --arch systolic --bits int8 --accuracy none \
  -o "$out/st" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
svg=$out/st/plots/energy_systolic.svg
drawn=$(grep -o '>g[0-9]*<' "$svg" | sort -u | tr -d '<>' | sort -t g -k 2 -n | tr '\n' ' ')
want=$(i=36; while [ $i -lt 100 ]; do printf 'g%d ' $i; i=$((i + 1)); done)
[ "$drawn" = "$want" ] || bad "drawn layers: '$drawn', expected g36 .. g99"
grep -q "The 64 of its 100 working layers that draw the most energy, in the network's order; layers.csv has every layer" \
  "$out/st/report.md" || bad "the caption does not say which layers are drawn"
n=$(grep -c '^systolic,int8,g[0-9]*,' "$out/st/layers.csv")
[ "$n" = 100 ] || bad "layers.csv has $n systolic rows, expected 100"
# a network of fewer layers is drawn whole, with no such sentence
"$emlsim" study --workload simplecnn --arch systolic --bits int8 --accuracy none \
  -o "$out/small" >/dev/null 2>&1 || bad "the SimpleCNN study failed"
grep -q "working layers that draw the most" "$out/small/report.md" &&
  bad "SimpleCNN's chart says it leaves layers out"
exit $fail
