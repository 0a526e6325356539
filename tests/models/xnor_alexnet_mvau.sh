#!/usr/bin/env bash
# xnor_alexnet_mvau.sh EMLSIM - FINN's binary AlexNet (`emlsim xnor
# alexnet`, weights and activations 1 bit) takes 773,600 cycles, 3,868.000
# us at its 200 MHz, 888,148 cycles, 2,220.370 us at 400 MHz
# (models/xnor/README.md) and 1,231,792 cycles at 1000 MHz (README.md's
# common clock), held here to FINN's MVAU formula and the DRAM bound
# worked out from the network's shapes, not to a pasted output.
#
# The derivation.  The default design (`emlsim models xnor`): PE = SIMD =
# 32, a weight memory of 2452.5 KiB = 20,090,880 bits, DRAM 12.8 GB/s.
# A layer's GEMM view per group g of G: MH = F/G filters, MW = k k C_in/G
# window, M vectors (output pixels; 1 for an FC at batch 1).
#   compute = G x ceil(MH / PE) x ceil(MW / SIMD) x M x passes cycles
# (Umuroglu et al., FPGA 2017; passes = activation bits = 1).  The DRAM
# bits it moves: its input once (a convolution's map unpadded, H W C_in:
# the sliding-window unit pads on chip; an FC's K inputs), its weights
# F x MW bits once if they fit the weight memory, else at every use (x M x
# passes: FINN's external mem_mode), and its outputs M x F bits.  At 12.8
# GB/s a cycle of f MHz moves 12.8e9 x 8 / (f 1e6) = 102,400 / f bits, so
#   dram = ceil(bits x f / 102,400) cycles,
# and the transfers overlap the compute: a layer takes max(compute, dram).
# Pooling has no MACs; it shrinks the map (3 x 3, stride 2).  AlexNet
# (227 x 227 x 3, as the study book):
#   CONV-1 11x11/4, 96: M 3025, MW 363; 3 x 12 x 3025 = 108,900 cycles;
#     DRAM 154,587 + 34,848 + 290,400 bits: 4,686 cycles at 1000 MHz
#   CONV-2 5x5 pad 2, 256, G 2: M 729, MW 1200; 2 x 4 x 38 x 729 = 221,616
#   CONV-3 3x3 pad 1, 384: M 169, MW 2304; 12 x 72 x 169 = 146,016
#   CONV-4 384, G 2: MW 1728; 2 x 6 x 54 x 169 = 109,512
#   CONV-5 256, G 2: 2 x 4 x 54 x 169 = 73,008
#   FC-1 9216 -> 4096: 37,748,736 weight bits do not fit, streamed once
#     (M = 1): 9216 + 37,748,736 + 4096 = 37,762,048 bits; compute 128 x
#     288 = 36,864; DRAM 37,762,048 / 512 = 73,754 at 200 MHz, x 5 =
#     368,770 at 1000 MHz
#   FC-2 4096 -> 4096 (fits: 16,777,216 bits): 16,785,408 bits, 32,784 at
#     200 MHz over its 16,384 compute cycles
#   FC-3 4096 -> 1000: 4,101,096 bits, ceil(8,009.95) = 8,010 at 200 MHz
# Sums: 773,600 at 200 MHz, 888,148 at 400, 1,231,792 at 1000 (the
# convolutions compute-bound at every clock, the FC layers DRAM-bound).
# (cli.xnor_alexnet_by_hand holds the 200 MHz table's printed figures;
# this computes every layer from the formula, at three clocks.)
set -u
emlsim=$1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

layers=$(cat "$(dirname "$0")/alexnet_shapes.txt") # the shapes, as systolic_alexnet_folds.sh reads them

# by_hand F: "layer cycles" lines and "total cycles time_us" at F MHz
by_hand() {
  printf '%s\n' "$layers" | awk -v f="$1" '
    function cdiv(a, b) { return int((a + b - 1) / b) }
    function dram(bits,   q, c) { q = bits * f; c = int(q / 102400); if (c * 102400 < q) c++; return c }
    function layer(name, g, mh, mw, m, inbits,   comp, wb, bits, d, cyc) {
      comp = g * cdiv(mh, PE) * cdiv(mw, SIMD) * m
      wb = g * mh * mw
      bits = inbits + (wb <= WMEM ? wb : wb * m) + g * m * mh
      d = dram(bits)
      cyc = comp > d ? comp : d
      printf "%s %d\n", name, cyc
      total += cyc
    }
    BEGIN { PE = 32; SIMD = 32; WMEM = 2452.5 * 8192; h = 227; ch = 3; total = 0 }
    $2 == "pool" { h = int((h - 3) / 2) + 1; next }
    $2 == "conv" {
      k = $3; s = $4; p = $5; F = $6; g = $7
      e = int((h + 2 * p - k) / s) + 1
      layer($1, g, F / g, k * k * ch / g, e * e, h * h * ch)
      h = e; ch = F; next
    }
    $2 == "fc" { k = h * h * ch; layer($1, 1, $3, k, 1, k); h = 1; ch = $3; next }
    END { printf "total %d %.3f\n", total, total / f }'
}

for f in 200 400 1000; do
  hand=$(by_hand "$f")
  got=$("$emlsim" xnor alexnet --set freq_mhz="$f" --format csv | awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == "total" { printf "total %s %s\n", $h["cycles"], $h["time_us"]; next }
    $h["vectors"] != "" { printf "%s %s\n", $1, $h["cycles"] }') ||
    { bad "emlsim xnor alexnet at $f MHz"; continue; }
  [ "$got" = "$hand" ] && ok "$f MHz: every layer and the total by hand ($(printf '%s\n' "$hand" | tail -n 1))" ||
    bad "$f MHz: by hand
$hand
emlsim
$got"
done
# the headlines the docs state are this derivation's sums
for want in "200 total 773600 3868.000" "400 total 888148 2220.370" "1000 total 1231792 1231.792"; do
  f=${want%% *}
  [ "$(by_hand "$f" | tail -n 1)" = "${want#* }" ] && ok "the documented ${want#* } at $f MHz is the hand sum" ||
    bad "at $f MHz the hand sum is '$(by_hand "$f" | tail -n 1)', the docs '${want#* }'"
done
exit $fail
