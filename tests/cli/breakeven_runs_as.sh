#!/bin/sh
# breakeven_runs_as.sh EMLSIM OUT - a model that runs a format otherwise than
# its definition says so, and the figures show it.
#
# The bit-serial array (BISMO, Dm x Dk x Dn = 8 x 256 x 8) skips a K slice of
# a column tile whose weights are all zero, with one flag per slice and tile:
# it reads no format's indices.  By hand, on gemm:64x256x256 (W 256 x 256 at
# 8 bits): K = 256 is one slice of Dk = 256, N = 256 is 256 / 8 = 32 column
# tiles, so 32 flags = 4 bytes; at a uniform 25 % or 50 % no 8 x 256 slice
# is all zero (0.5^2048), so every weight stays: 65,536 + 4 = 65,540 bytes
# stored whatever the format, where CSR's own would be values, column
# indices and row pointers.  So csr, coo and bitmap give one table, and a
# note says why.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
g=gemm:64x256x256
for f in csr coo bitmap; do
  "$emlsim" breakeven $g --arch bitserial --sparse $f --sparsity 0.25:0.5:0.25 --format csv \
    >"$out/$f.csv" 2>/dev/null || exit 1
  "$emlsim" breakeven $g --arch bitserial --sparse $f --sparsity 0.25:0.5:0.25 >"$out/$f.txt" \
    2>/dev/null || exit 1
done
# sparsity,dense_cycles,sparse_cycles,speedup,...,storage_bytes(7),metadata_bytes(8)
check "csr: the flags' storage, not CSR's" "$(awk -F, 'NR > 1 { print $7 "/" $8 }' "$out/csr.csv" | tr '\n' ' ')" \
  "65540/4 65540/4 "
check "coo: the same table as csr" "$(cmp -s "$out/csr.csv" "$out/coo.csv" && echo same)" same
check "bitmap: the same table as csr" "$(cmp -s "$out/csr.csv" "$out/bitmap.csv" && echo same)" same
grep -q "^note: format 'coo' as bitserial runs it: the bit-serial array skips a K slice" "$out/coo.txt" &&
  echo "ok: the note says how coo runs" || { echo "FAIL: no note in coo.txt"; fail=1; }
# a format the array runs as itself (channel: the kept filters re-packed) has none
"$emlsim" breakeven $g --arch bitserial --sparse channel --sparsity 0.25:0.5:0.25 >"$out/ch.txt" \
  2>/dev/null || exit 1
check "channel: no such note" "$(grep -c "^note: format" "$out/ch.txt")" 0
exit $fail
