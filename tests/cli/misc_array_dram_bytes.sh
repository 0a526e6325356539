#!/bin/sh
# misc_array_dram_bytes.sh EMLSIM OUT - the xnor and bitserial tables'
# dram_bytes are the models' own: a part of a byte counts whole, as the
# model's hw_result counts it ((bits + 7) / 8) and as dram_pj prices every
# bit.  The tables printed bits / 8 rounded down: gemm:1x1x3 on xnor read
# dram_bytes 0 beside a dram_pj of 142.2.
#
# By hand (gemm:MxNxK is Y = W (N x K) X (K x M); FINN's MVAU at 1:1,
# weights on chip, loaded once):
#   xnor gemm:1x1x3: X 1 x 3 = 3 bits, W 1 x 3 = 3, Y 1 x 1 = 1: 7 bits,
#     1 byte (0.875 up); 7 x 20.3125 pJ/bit (Horowitz DRAM) = 142.2 pJ.
#   xnor gemm:2x1x5: X 2 x 5 = 10 bits, W 1 x 5 = 5, Y 2 x 1 = 2: 17 bits,
#     3 bytes (2.125 up); 17 x 20.3125 = 345.3 pJ.
#   bitserial gemm:1x1x1 on a 1x1x1 array at 1:1 (Dk = 1, no K padding):
#     A 1 bit, B 1 bit, the result one 32-bit accumulator: 34 bits,
#     5 bytes (4.25 up).
# The models' figure: bitserial's DRAM bandwidth note (hw_result's
# dram_bytes over the layer's time: 5 B in 0.065 us, 0.07692 GB/s, where 4 B
# would be 0.06154), and study's dram_pj_per_bit for xnor (the layers' DRAM
# pJ over 8 x hw_result's dram_bytes: 345.3 / 24 = 14.39, where 2 B would
# be 21.58).
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
col() { # file row column-name
  awk -F, -v r="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == r { print $h[c] }' "$1"
}
"$emlsim" xnor gemm:1x1x3 --format csv >"$out/x3.csv" || exit 1
check "xnor gemm:1x1x3: dram_bytes (gemm, total), dram_pj" \
  "$(col "$out/x3.csv" gemm dram_bytes) $(col "$out/x3.csv" total dram_bytes) $(col "$out/x3.csv" gemm dram_pj)" \
  "1 1 142.2"
"$emlsim" xnor gemm:2x1x5 --format csv >"$out/x5.csv" || exit 1
check "xnor gemm:2x1x5: dram_bytes (gemm, total), dram_pj" \
  "$(col "$out/x5.csv" gemm dram_bytes) $(col "$out/x5.csv" total dram_bytes) $(col "$out/x5.csv" gemm dram_pj)" \
  "3 3 345.3"
b="bitserial gemm:1x1x1 --bits 1:1 --set dm=1 --set dk=1 --set dn=1"
$emlsim $b --format csv >"$out/b.csv" || exit 1
check "bitserial gemm:1x1x1 on 1x1x1: dram_bytes (gemm, total)" \
  "$(col "$out/b.csv" gemm dram_bytes) $(col "$out/b.csv" total dram_bytes)" "5 5"
# the model's bytes (the note) and the table's, over the same time
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "gemm" { printf "up to %.4g GB/s", $h["dram_bytes"] / $h["time_us"] * 1e-3 }' "$out/b.csv")
check "bitserial: the table's bytes over its time, the note's" "$want" "up to 0.07692 GB/s"
case "$($emlsim $b | grep '^note: DRAM bandwidth')" in
*"$want "*) echo "ok: bitserial: the note says $want" ;;
*) echo "FAIL: bitserial: the note does not say '$want'"; fail=1 ;;
esac
# xnor's model bytes: study's price a bit (dram pJ / (8 x dram_bytes)) is
# the table's dram_pj over 8 x the table's bytes
"$emlsim" study gemm:2x1x5 --arch xnor --bits binary --sparsity none -o "$out/study" \
  >/dev/null 2>&1 || { echo "FAIL: study"; exit 1; }
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "gemm:2x1x5" && $2 == "xnor" { print $h["dram_pj_per_bit"] }' "$out/study/energy.csv")
check "xnor: study's dram_pj_per_bit, from the table's bytes" "$got" \
  "$(awk -v p="$(col "$out/x5.csv" gemm dram_pj)" -v b="$(col "$out/x5.csv" gemm dram_bytes)" \
    'BEGIN { printf "%.3f", p / (8 * b) }')"
exit $fail
