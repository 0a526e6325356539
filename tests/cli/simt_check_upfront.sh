#!/usr/bin/env bash
# simt_check_upfront.sh EMLSIM TMPDIR - a layer the SIMT model refuses at
# once (its kernel would issue more warp instructions than max_warp_insts,
# or its block fits no SM: simt_hw.c's check_layer) is refused before any
# layer runs, by `emlsim simt`, `emlsim sweep` and `emlsim study`, as
# `emlsim systolic` refuses its own, at the layer's line, exit 1, nothing
# written.  (The GPU model had no check_layer: a file whose first layer is
# a 1024^3 GEMM and whose second is 200000^3 ran the first for 22 s, then
# refused the second.)
#
# A generated GEMM kernel issues at least its flops over the 64 flops of a
# warp's FFMA (2 a lane x 32 lanes): M x N x K / 32 warp instructions.
#   huge, 200000^3:  8 x 10^15 / 32 = 250,000,000,000,000 > 10^10 (default)
# Which layer is refused shows that the check comes first, without timing
# anything: under max_warp_insts = 9000,
#   first, 64 x 64 x 64:   262,144 / 32 = 8,192 <= 9000: passes the check,
#                          but issues more (its loads and loop), so a run of
#                          it is stopped at 9001 ("stopped after", line 2);
#   huge2, 64 x 64 x 256:  1,048,576 / 32 = 32,768 > 9000: refused (line 3).
# Refused up front, the error is line 3's; run layer by layer, line 2's.
set -u
emlsim=$1
tmp=$2
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# refused WANT OUT CMD...: exit 1, stderr's error line is WANT, OUT not written
refused() {
  local want=$1 out=$2 rc got
  shift 2
  "$@" >/dev/null 2>err
  rc=$?
  got=$(grep -m1 ': error: ' err)
  if [ "$rc" = 1 ] && [ "$got" = "$want" ] && [ ! -e "$out" ]; then
    ok "refused: $*"
  else
    bad "$*: exit $rc, got '$got', want '$want'$([ -e "$out" ] && echo ', output written')"
  fi
}

tail="a GPU key that raises the limit; 'emlsim analyze' gives its closed-form cost"

printf 'Layer, M, N, K,\nfirst, 64, 64, 64,\nhuge, 200000, 200000, 200000,\n' >big2.csv
refused "big2.csv:3:1: error: kernel 'huge/sgemm_64x64' is too large to simulate: it would issue at least 250000000000000 warp instructions, over max_warp_insts (10000000000), $tail" \
  out_big2 "$emlsim" simt big2.csv -o out_big2

printf 'Layer, M, N, K,\nfirst, 64, 64, 64,\nhuge2, 64, 64, 256,\n' >order.csv
want3="order.csv:3:1: error: kernel 'huge2/sgemm_32x32_splitk4' is too large to simulate: it would issue at least 32768 warp instructions, over max_warp_insts (9000), $tail"
refused "$want3" out_simt "$emlsim" simt order.csv --set max_warp_insts=9000 -o out_simt
printf 'arch = simt\nworkload = order.csv\ngpu.max_warp_insts = 9000\n' >order.spec
refused "$want3" out_sweep.csv "$emlsim" sweep order.spec -o out_sweep.csv
# the study checks every model's layers before its first run (analytic's)
refused "$want3" out_study "$emlsim" study order.csv --arch analytic,simt --bits fp32 \
  --accuracy none --sparsity none --repeat 1 --set simt.max_warp_insts=9000 -o out_study --quiet
exit $fail
