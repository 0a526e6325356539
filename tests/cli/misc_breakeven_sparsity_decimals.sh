#!/bin/sh
# misc_breakeven_sparsity_decimals.sh EMLSIM OUT - breakeven prints its
# sparsity column with the decimals its grid FROM:TO:STEP has (3 at least,
# 12 at most), every row alike, so each point FROM + i x STEP reads exactly
# and apart from the others; the break-evens and the notes' grid figures
# follow (4 decimals at least, as before).  It printed every grid at three
# decimals and a figure under half of the last with %g: 0.0004:0.0005:0.0001
# read 0.0004 and 0.001.
#
# By hand:
#   0.0004:0.0005:0.0001: 0.0004, 0.0005 (4 decimals).
#   0:0.002:0.0005: 0.0000, 0.0005, 0.0010, 0.0015, 0.0020 (4; refused
#     before: at three its keys were 0, 1, 1, 2, 2).
#   0.9999999:1:0.0000001: 0.9999999, 1.0000000 (7; refused before).
#   the default grid 0:0.95:0.05: 0.000, 0.050, ..., 0.950 (3, unchanged).
#   AlexNet CONV-3 (N 384, K 2304, M 169) pruned by channels on the 32 x 32
#   os array (cli.breakeven_bisect_channel): llround(384 s) filters go, and
#   a fold of 32 drops once 32 have.  0.08:0.085:0.00125 (5 decimals) is
#   0.08000, 0.08125 (31.2 -> 31 pruned: no gain), 0.08250 (31.68 -> 32:
#   pays), 0.08375, 0.08500; the step is bisected between 0.08125 and
#   0.08250: 0.081875 (31.44 -> 31: no), 0.0821875 (31.56 -> 32: pays),
#   0.08203125 (31.5 -> 32: pays), 0.081953125 (31.47 -> 31: no): the
#   break-even 0.08203125, at 5 decimals 0.08203 (it read 0.0820).
#   A FROM or STEP of more than 12 decimals is refused (exit 2).
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
sp() { # the sparsity column of a run's CSV, on one line
  "$emlsim" breakeven "$@" --format csv 2>/dev/null | awk -F, 'NR > 1 { printf "%s%s", s, $1; s = " " }'
}
g=gemm:16x16x16
check "0.0004:0.0005:0.0001" "$(sp gemm:64x64x64 --arch systolic --sparsity 0.0004:0.0005:0.0001)" \
  "0.0004 0.0005"
check "0:0.002:0.0005" "$(sp $g --arch systolic --sparsity 0:0.002:0.0005)" \
  "0.0000 0.0005 0.0010 0.0015 0.0020"
check "0.9999999:1:0.0000001" "$(sp $g --arch systolic --sparsity 0.9999999:1:0.0000001)" \
  "0.9999999 1.0000000"
check "5e-4 as a STEP" "$(sp $g --arch systolic --sparsity 0:1e-3:5e-4)" "0.0000 0.0005 0.0010"
check "the default grid" "$(sp $g --arch systolic)" \
  "0.000 0.050 0.100 0.150 0.200 0.250 0.300 0.350 0.400 0.450 0.500 0.550 0.600 0.650 0.700 0.750 0.800 0.850 0.900 0.950"
c="gemm:169x384x2304 --arch systolic --sparse channel --sparsity 0.08:0.085:0.00125"
# shellcheck disable=SC2086
"$emlsim" breakeven $c >"$out/ch.txt" 2>&1 || { echo "FAIL: $c"; cat "$out/ch.txt"; exit 1; }
check "channel: the rows" "$(awk '/^-----/ { on = 1; next } on && NF == 0 { exit } on { printf "%s%s", s, $1; s = " " }' "$out/ch.txt")" \
  "0.08000 0.08125 0.08250 0.08375 0.08500"
check "channel: the break-even" "$(sed -n 's/^note: simulated (latency): breaks even at sparsity //p' "$out/ch.txt")" \
  "0.08203"
check "channel: the bisection's bracket" \
  "$(sed -n 's/^note: bisected (latency): .* found between \([0-9.]*\) and \([0-9.]*\) with .*/\1 \2/p' "$out/ch.txt")" \
  "0.08125 0.08250"
check "channel: the step in the agreement note" \
  "$(sed -n 's/^note: model and simulation agree (.* within one sweep step of \([0-9.]*\),.*/\1/p' "$out/ch.txt")" \
  "0.00125"
"$emlsim" breakeven $g --arch systolic --sparsity 0:1e-9:1.5e-12 >/dev/null 2>"$out/err"
check "13 decimals: exit status, message" "$? $(head -1 "$out/err")" \
  "2 emlsim breakeven: error: '--sparsity' FROM and STEP may have at most 12 decimals, the most the table prints its points exactly with, got '0:1e-9:1.5e-12'"
exit $fail
