#!/bin/sh
# breakeven_same.sh EMLSIM STUDY_DIR - one layer, one design point, one
# answer: the default study's break-even outcomes (its breakeven_points.csv)
# are the ones `emlsim breakeven` gives by default for the same model, format
# and layer (both sweep 0, 0.05, .., 0.95 with the same pattern per point).
# Before, the study swept 0 .. 0.9 and said the 32x32 systolic array's CSR
# "never wins" on AlexNet's CONV-3, while `emlsim breakeven alexnet --arch
# systolic` found it breaking even at 0.9222.
#
# Each row: arch, format, the study's layer and the breakeven arguments
# giving the same sweep (the bit-serial array runs 256-weight blocks, a Dk
# slice, at 4 bits; the GPU's compute-bound case is CONV-1 on 962 of its
# pixels: 96 filters of 11 x 11 x 3 = 363 weights).
set -u
emlsim=$1 study=$2
pts="$study/breakeven_points.csv"
[ -f "$pts" ] || { echo "FAIL: no $pts"; exit 1; }
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS='|' read -r arch fmt layer args; do
  # shellcheck disable=SC2086 # args is a word list
  "$emlsim" breakeven $args --arch "$arch" --sparse "$fmt" \
    >"$tmp/out" 2>&1 || { echo "FAIL: breakeven $arch $fmt $layer: $(tail -1 "$tmp/out")"; fail=1; continue; }
  # the command's notes: "simulated (latency): breaks even at sparsity 0.9222"
  lat=$(sed -n 's/^note: simulated (latency): //p' "$tmp/out")
  en=$(sed -n 's/^note: simulated (energy): //p' "$tmp/out")
  # the study's row, in the same words
  row=$(awk -F, -v a="$arch" -v f="$fmt" -v l="$layer" \
    '$1 == a && $2 == f && $3 == l' "$pts")
  [ -n "$row" ] || { echo "FAIL: no study row for $arch $fmt $layer"; fail=1; continue; }
  say() { # outcome, sparsity -> the command's words
    case $1 in
    "breaks even") echo "breaks even at sparsity $2" ;;
    *) echo "$1 in the range" ;;
    esac
  }
  slat=$(say "$(echo "$row" | cut -d, -f4)" "$(echo "$row" | cut -d, -f5)")
  sen=$(say "$(echo "$row" | cut -d, -f8)" "$(echo "$row" | cut -d, -f9)")
  if [ "$lat" = "$slat" ] && [ "$en" = "$sen" ]; then
    echo "ok: $arch $fmt $layer: latency $lat; energy $en"
  else
    echo "FAIL: $arch $fmt $layer: breakeven says '$lat' / '$en', the study '$slat' / '$sen'"
    fail=1
  fi
done <<'LIST'
systolic|csr|CONV-3|alexnet --layer CONV-3 --bits 8:8
systolic|channel|CONV-3|alexnet --layer CONV-3 --bits 8:8
bitserial|bsr256|CONV-3|alexnet --layer CONV-3 --bits 4:4
xnor|channel|CONV-3|alexnet --layer CONV-3
simt|csr|FC-3|alexnet --layer FC-3
simt|bsr4|FC-3|alexnet --layer FC-3
simt|csr|CONV-1 (962 of 3025 pixels)|gemm:962x96x363
LIST
exit $fail
