#!/usr/bin/env bash
# systolic_alexnet_folds.sh EMLSIM - AlexNet on the default systolic
# array (SCALE-Sim's scale.cfg: 32 x 32, os, 64 kB SRAMs, CALC bandwidth)
# takes 2,591,338 cycles (models/README.md), held here to SCALE-Sim's fold
# formula worked out from the network's shapes, not to a pasted output.
#
# The derivation.  SCALE-Sim's os compute model (systolic_compute_os.py;
# models/systolic/sa_model.c and README.md: the code's W + R + C - 2, not
# the paper's 2R + C + W - 2) maps a layer's GEMM view onto the R x C
# array: output pixels Npx on the rows, filters F on the columns, the
# window W = k x k x C_in streamed through.  So a layer takes
#     ceil(Npx / R) x ceil(F / C) folds of W + R + C - 2 cycles, less 1
# (SCALE-Sim's final -1).  A grouped convolution runs as one layer per
# group (SCALE-Sim's rule for its DP layers), each of C_in/g channels and
# F/g filters with its own -1.  An FC layer is a 1 x 1 convolution of a
# 1 x 1 map: Npx = 1, W = its inputs.  CALC bandwidth never stalls.
# Pooling has no MACs and takes no cycles; it only shrinks the map
# (3 x 3, stride 2: H' = floor((H - 3) / 2) + 1).
#
# AlexNet as the study book has it (Krizhevsky et al. 2012): 227 x 227 x 3,
#   CONV-1 11x11/4, 96            55 x 55, W 363,  3025 px: 95 x 3 folds
#   POOL-1 -> 27 x 27
#   CONV-2 5x5/1 pad 2, 256, g 2  27 x 27, W 1200, 729 px: 2 x (23 x 4)
#   POOL-2 -> 13 x 13
#   CONV-3 3x3/1 pad 1, 384       13 x 13, W 2304, 169 px: 6 x 12
#   CONV-4 3x3/1 pad 1, 384, g 2  W 1728: 2 x (6 x 6)
#   CONV-5 3x3/1 pad 1, 256, g 2  W 1728: 2 x (6 x 4)
#   POOL-3 -> 6 x 6 (x 256 = 9216)
#   FC-1 9216 -> 4096, FC-2 4096 -> 4096, FC-3 4096 -> 1000
# e.g. CONV-1: 285 x (363 + 62) - 1 = 121,124; CONV-2: 2 x (92 x 1262 - 1)
# = 232,206; FC-1: 128 x (9216 + 62) - 1 = 1,187,583.  The awk below does
# every layer from the shapes and the sum is 2,591,338.
set -u
emlsim=$1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
R=32 C=32

# AlexNet's layers (alexnet_shapes.txt): name kind k stride pad filters
# groups (conv); name pool; name fc outputs
hand=$(awk -v R="$R" -v C="$C" '
  function cdiv(a, b) { return int((a + b - 1) / b) }
  BEGIN { h = 227; ch = 3; total = 0 }
  $2 == "pool" { h = int((h - 3) / 2) + 1; next }
  $2 == "conv" {
    k = $3; s = $4; p = $5; f = $6; g = $7
    e = int((h + 2 * p - k) / s) + 1
    npx = e * e; w = k * k * ch / g; fg = f / g
    folds = cdiv(npx, R) * cdiv(fg, C)
    cyc = g * (folds * (w + R + C - 2) - 1)
    printf "%s %d %d\n", $1, g * folds, cyc
    total += cyc; h = e; ch = f; next
  }
  $2 == "fc" {
    w = h * h * ch; f = $3
    folds = cdiv(1, R) * cdiv(f, C)
    cyc = folds * (w + R + C - 2) - 1
    printf "%s %d %d\n", $1, folds, cyc
    total += cyc; h = 1; ch = f; next
  }
  END { printf "total - %d\n", total }' "$(dirname "$0")/alexnet_shapes.txt")

csv=$("$emlsim" systolic alexnet --format csv) || { echo "FAIL: emlsim systolic alexnet"; exit 1; }
got=$(printf '%s\n' "$csv" | awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "total" { printf "total - %s %s\n", $h["total_cycles"], $h["stall_cycles"]; next }
  $h["macs"] > 0 { printf "%s %s %s %s\n", $1, $h["folds"], $h["total_cycles"], $h["stall_cycles"] }')

# every layer with MACs: its folds and cycles by hand, no stall (CALC)
while read -r name folds cyc; do
  line=$(printf '%s\n' "$got" | awk -v n="$name" '$1 == n')
  if [ "$name" = total ]; then
    [ "$line" = "total - $cyc 0" ] && ok "total: $cyc cycles by hand, no stall" ||
      bad "total: by hand $cyc cycles, emlsim '$line'"
  else
    [ "$line" = "$name $folds $cyc 0" ] && ok "$name: $folds folds, $cyc cycles by hand" ||
      bad "$name: by hand $folds folds and $cyc cycles, emlsim '$line'"
  fi
done <<EOF
$hand
EOF
# no layer of emlsim's that the derivation lacks (the pools carry no MACs)
n_hand=$(printf '%s\n' "$hand" | grep -vc '^total')
n_got=$(printf '%s\n' "$got" | grep -vc '^total')
[ "$n_hand" = "$n_got" ] && ok "$n_got layers with MACs" ||
  bad "$n_hand layers by hand, $n_got in emlsim's table"
# the headline the docs state (models/README.md) is this derivation's sum
[ "$(printf '%s\n' "$hand" | awk '$1 == "total" { print $3 }')" = 2591338 ] &&
  ok "the documented 2,591,338 is the hand sum" ||
  bad "the hand sum is not the documented 2,591,338: $(printf '%s\n' "$hand" | tail -n 1)"
exit $fail
