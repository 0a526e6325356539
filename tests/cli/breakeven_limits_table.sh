#!/usr/bin/env bash
# breakeven_limits_table.sh EMLSIM TMPDIR - the largest product a break-even
# sweep takes is the model's (the model table's sparse_limits, asked through
# be_check_size), so `emlsim study` sweeps nothing `emlsim breakeven`
# refuses, and says so in the same words.  (The study ran the SIMT sweeps of
# gemm:1025x1024x1 and wrote their curves, while breakeven refused them:
# the limits lived in cmd_breakeven.c.)
#
# The SIMT model's CUDA-core kernels (csr, bsr, mask) take at most 2^20 =
# 1,048,576 outputs (M x N), 2^24 weights and 2^28 MACs (simt_hw.c).  By hand:
#   gemm:1025x1024x1: M x N = 1025 x 1024 = 1,049,600 > 1,048,576: refused
#     (1024 weights and 1,049,600 MACs are within theirs);
#   gemm:1024x1024x1: 1024 x 1024 = 1,048,576, at the limit: runs;
#   the study's compute-bound case, that GEMM at batch 256: 256 x 1024 =
#     262,144 outputs: runs (row "gemm (batch 256)").
# A study of two GEMMs, g1 (64x64x64) and g2 (1025x1024x1), takes the last FC
# layer within the limits for its GPU sweeps: g1, where it took g2.
set -u
emlsim=$1
tmp=$2
rm -rf "$tmp"
mkdir -p "$tmp"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

reason="M x N = 1025 x 1024 outputs, more than the 1048576 a break-even sweep simulates on CUDA cores"

# 1. breakeven refuses the product, exit 1, with the model's reason
"$emlsim" breakeven gemm:1025x1024x1 --arch simt --sparsity 0:0.5:0.5 >"$tmp/be1.out" 2>"$tmp/be1.err"
rc=$?
if [ "$rc" = 1 ] && grep -qxF "emlsim breakeven: error: 'gemm:1025x1024x1': $reason" "$tmp/be1.err"; then
  ok "breakeven refuses gemm:1025x1024x1"
else
  bad "breakeven gemm:1025x1024x1: exit $rc, $(cat "$tmp/be1.err")"
fi

study() { # study WORKLOAD DIR
  "$emlsim" study "$1" --arch simt --bits fp32 --accuracy none --sparsity 0,0.95 --repeat 1 \
    --jobs 1 -o "$2" --quiet >/dev/null 2>"$2.err"
}

# 2. the study notes the same sweeps as refused, in the same words, and
#    writes no curve of them; its compute-bound case (batch 256) runs
if study gemm:1025x1024x1 "$tmp/st1"; then
  for f in csr bsr mask; do
    if grep -qF "simt $f on gemm: $reason: not swept" "$tmp/st1/report.md"; then
      ok "study notes simt $f on gemm as past the size"
    else
      bad "study: no note of simt $f on gemm past the size"
    fi
  done
  if grep -q '^simt,[^,]*,gemm,' "$tmp/st1/breakeven.csv"; then
    bad "study wrote curves of the refused sweeps: $(grep '^simt,[^,]*,gemm,' "$tmp/st1/breakeven.csv" | head -2)"
  else
    ok "study writes no curve of gemm at M = 1025"
  fi
  if grep -q '^simt,csr,gemm (batch 256),' "$tmp/st1/breakeven.csv"; then
    ok "study runs the batch-256 case"
  else
    bad "study: no curve of gemm (batch 256)"
  fi
else
  bad "study gemm:1025x1024x1 failed: $(cat "$tmp/st1.err")"
fi

# 3. at the limit: both run, with one answer for the product (the same
#    dense and sparse cycles at sparsity 0.95)
if "$emlsim" breakeven gemm:1024x1024x1 --arch simt --sparsity 0:0.95:0.95 --format csv \
     >"$tmp/be3.csv" 2>"$tmp/be3.err"; then
  be=$(awk -F, '$1 == "0.950" { print $2 "," $3 }' "$tmp/be3.csv")
  ok "breakeven runs gemm:1024x1024x1"
else
  be=""
  bad "breakeven gemm:1024x1024x1: $(cat "$tmp/be3.err")"
fi
if study gemm:1024x1024x1 "$tmp/st3"; then
  st=$(awk -F, '$1 == "simt" && $2 == "csr" && $3 == "gemm" && $4 == "0.9500" { print $6 "," $7 }' \
         "$tmp/st3/breakeven.csv")
  if [ -n "$st" ] && [ "$st" = "$be" ]; then
    ok "study sweeps gemm:1024x1024x1 as breakeven does ($st)"
  else
    bad "study's csr at 0.95 on gemm '$st', breakeven's '$be'"
  fi
  grep -q "largest product" "$tmp/st3/report.md" && bad "study notes gemm:1024x1024x1 past the size"
else
  bad "study gemm:1024x1024x1 failed: $(cat "$tmp/st3.err")"
fi

# 4. the last FC layer within the limits: g1, where g2 is past them
printf 'Layer, M, N, K,\ng1, 64, 64, 64,\ng2, 1025, 1024, 1,\n' >"$tmp/two.csv"
if study "$tmp/two.csv" "$tmp/st4"; then
  for f in csr bsr4 mask; do
    grep -q "^simt,$f,g1," "$tmp/st4/breakeven.csv" && ok "study sweeps simt $f on g1" ||
      bad "study: no simt $f curve of g1"
  done
  grep -q '^simt,[^,]*,g2,' "$tmp/st4/breakeven.csv" && bad "study swept g2 at M = 1025"
  grep -qF "simt csr on g2: ${reason}, so g1, the last FC layer within it, instead" \
    "$tmp/st4/report.md" && ok "study says why g1" || bad "study: no note of g1 in g2's place"
else
  bad "study two.csv failed: $(cat "$tmp/st4.err")"
fi
exit $fail
