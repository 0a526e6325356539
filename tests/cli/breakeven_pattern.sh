#!/bin/sh
# breakeven_pattern.sh EMLSIM OUT - `breakeven --pattern` places CSR's
# zeros, and only where they fall changes.  By hand, on the 1024 x 1024
# GEMV at 80 %: every pattern keeps 1,048,576 - round(0.8 x 1,048,576) =
# 209,715 non-zeros (cm_sparse.h: exactly round(s x rows x cols) zeros), so
# CSR stores 209,715 x (4 + 4) + 1,025 x 4 = 1,681,820 bytes in each; the
# skewed pattern's first row holds 209,715 / H(1024) (H = 7.51) = 27,924,
# capped at 1,024: a full row, 8 trips of a warp's 128 non-zeros, where a
# uniform row holds about 205 (2 trips), so its kernel takes longer.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
for p in uniform magnitude skewed; do
  "$emlsim" breakeven gemm:1x1024x1024 --pattern $p --sparsity 0.8:0.8:1 --format csv \
    >"$out/$p.csv" 2>"$out/$p.err" || { cat "$out/$p.err"; exit 1; }
  bytes=$(awk -F, 'NR == 2 {print $7, $10}' "$out/$p.csv")
  if [ "$bytes" = "1681820 0.8000" ]; then
    echo "ok: $p: 1,681,820 bytes stored at realized sparsity 0.8000"
  else
    echo "FAIL: $p: storage bytes and realized sparsity '$bytes', want '1681820 0.8000'"
    fail=1
  fi
done
u=$(awk -F, 'NR == 2 {print $3}' "$out/uniform.csv")
s=$(awk -F, 'NR == 2 {print $3}' "$out/skewed.csv")
if [ "$s" -gt "$u" ]; then
  echo "ok: the skewed pattern's full rows take longer: $s cycles against uniform's $u"
else
  echo "FAIL: skewed $s cycles, uniform $u: a full row should keep its warp longest"
  fail=1
fi
# the pattern is named in the curve's inputs (JSON) and in its notes
"$emlsim" breakeven gemm:1x1024x1024 --pattern skewed --sparsity 0.8:0.8:1 --format json \
  >"$out/skewed.json" 2>/dev/null || exit 1
grep -q '"pattern":.*"skewed"' "$out/skewed.json" || { echo "FAIL: no pattern in the JSON inputs"; fail=1; }
"$emlsim" breakeven gemm:1x1024x1024 --pattern skewed --sparsity 0.8:0.8:1 >"$out/skewed.txt" \
  2>/dev/null || exit 1
grep -q "patterns: skewed, seed 1" "$out/skewed.txt" ||
  { echo "FAIL: the notes do not name the pattern"; fail=1; }
exit $fail
