#!/bin/sh
# memories.sh DIR - the study's conclusions say what each design's memory
# holds it to, and what its leakage assumes (an architect compared designs
# whose DRAM and power gating differ without being told):
#   - the DRAM bandwidth each design holds its layers to: the systolic
#     array's CALC and the bit-serial array none, FINN's ZC706 DDR3 64 bits
#     x 1600 MT/s = 12.8 GB/s, the GPU volta's TITAN V peak 652.8 GB/s
#     (448.8 B a cycle x 1455 MHz = 653.0);
#   - the XNOR array leaks only the memories a layer uses; its largest
#     layer's leakage power, from layers.csv (static pJ over the layer's
#     cycles at 200 MHz: FC-2's 170,795,787.8 pJ in 32,784 cycles = 163.92
#     us, 1041.9 mW), over its whole run gives its energy without gating:
#     1939.679 - 283.8 (its static) + 1041.9 mW x 3868 us = 5686 uJ, where
#     the systolic array's 2039.9 uJ becomes the best at binary.
#   - the XNOR array's area is built for the workload (its weight SRAM
#     sized to the largest layer's weights: AlexNet's FC-2, 4096 x 4096
#     bits = 2 MB, CACTI's 7.02196 mm^2, + 0.01524 mm^2 of PEs = 7.0372,
#     models/xnor/README.md), the other arrays' fixed: the note says so;
#   - each sparsity sweep is one layer: the note gives its share of the
#     network, CONV-3 169 x 384 outputs x 2304 = 149,520,384 of AlexNet's
#     724,406,816 MACs (20.6 %) and 884,736 of its 60,954,656 weights (1.5
#     %), FC-3 4,096,000 of each (0.6 % and 6.7 %).
set -u
dir=$1
fail=0
md=$dir/report.md
note=$(grep -m1 '^- note: the DRAM bandwidth each design holds its layers to: ' "$md")
for want in 'systolic none' 'bitserial none' 'xnor 12.8 GB/s' 'simt 653 GB/s'; do
  case $note in *"$want"*) echo "ok: DRAM: $want" ;; *) echo "FAIL: no '$want' in: $note"; fail=1 ;; esac
done
# the XNOR array's energy leaking its largest layer throughout, recomputed
want=$(awk -F, 'FILENAME == ARGV[1] { if ($1 == "xnor" && $2 == "binary" && $4 != "") {
      p = $9 / ($4 / 200) * 1e-3; if (p > pmax) pmax = p }; next }
  FILENAME == ARGV[2] { if ($1 == "alexnet" && $2 == "xnor" && $3 == "binary") st = $9; next }
  $1 == "xnor" && $2 == "binary" && $10 == "alexnet" {
    printf "%.4g mW) throughout its binary run would make its energy %.4g uJ, not %.4g\n",
      pmax, $5 - st + pmax * $4 * 1e-3, $5 }' "$dir/layers.csv" "$dir/energy.csv" "$dir/summary.csv")
grep -q "^- note: xnor: a layer leaks only the memories it uses, the rest power-gated, where the other arrays leak all of theirs throughout; leaking its largest layer's ($want; binary energy's best would be systolic" "$md" &&
  echo "ok: the XNOR array's leakage without gating: $want" ||
  { echo "FAIL: no leakage note with '$want'; it says: $(grep -m1 'leaks only' "$md")"; fail=1; }
grep -q "^- note: areas: .*xnor's grows with the workload (an SRAM holding the layer's binary weights.*): 7.037 mm^2 built for alexnet's largest layer" "$md" &&
  echo "ok: the XNOR array's area is said to be built for the workload" ||
  { echo "FAIL: no note of the XNOR array's area: $(grep -m1 'grows with the workload' "$md")"; fail=1; }
grep -q "^- note: layer: each sweep runs one layer of alexnet, not the network, so its break-even is that layer's (CONV-3 20.6 % of its MACs and 1.5 % of its weights; FC-3 0.6 % of its MACs and 6.7 % of its weights" "$md" &&
  echo "ok: the sweeps' layers and their shares of AlexNet" ||
  { echo "FAIL: no note of the sweeps' layers: $(grep -m1 'note: layer: each' "$md")"; fail=1; }
# the inputs give the GPU's DRAM, which the preset's name does not: volta
# is a TITAN V, 448.8 B a cycle x 1455 MHz = 653 GB/s (a V100 has 900)
grep -q "SIMT GPU: volta, 80 SMs, 1455 MHz, its DRAM 653 GB/s at its peak\." "$md" &&
  echo "ok: the GPU's DRAM is in the inputs" || { echo "FAIL: no GPU DRAM in the inputs"; fail=1; }
# the assumptions the arrays' figures rest on are stated beside the inputs:
# CACTI 7's itrs-hp SRAM leakage (64 kB 32.7 mW, 2 MB 1042 mW, the table
# test_area's sram_table holds), idle PEs, no DRAM controller
grep -q "^Assumptions: the arrays' static energy is leakage at 45 nm, their SRAM CACTI 7's itrs-hp cells (a 64 kB buffer leaks 32.7 mW, a 2 MB one 1042 mW" "$md" &&
  echo "ok: the assumptions are stated" || { echo "FAIL: no assumptions paragraph"; fail=1; }
exit $fail
