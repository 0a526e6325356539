#!/usr/bin/env bash
# simt_barrier.sh EMLSIM TESTS - a block's barrier lets go of its own warps
# only, though a warp slot of it that emptied holds another block's warp by
# then (tests/simt/data/barrier_slot_reuse.emtrace says how).
#
# By hand, at lat_fp32 = 4: block 2's warp 1 issues 100 dependent FFMAs, the
# last 99 x 4 = 396 cycles after the first, then its BAR; only then may warp
# 0 leave its barrier and issue its 300 dependent FFMAs, the last result 300
# x 4 = 1,200 cycles after the first issues.  So the kernel lasts at least
# 396 + 1,200 = 1,596 cycles, and little more (block 2's launch, BAR and EXIT
# issue: we allow 100).  A warp let go by block 0's barrier (at about cycle
# 160, block 0's warp 1 after its 40 FFMAs) would end by about
# 160 + 1,200 = 1,360 and the kernel with it.
set -u
emlsim=$1 tests=$2
out=$("$emlsim" simt "$tests/simt/data/barrier_slot_reuse.emtrace" --set n_sm=1 \
  --set max_threads_per_sm=128 --set lat_fp32=4 --quiet --format csv) ||
  { echo "FAIL: simt on the barrier trace failed"; exit 1; }
cycles=$(printf '%s\n' "$out" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "cycles") c = i }
  $1 == "barrier_slot_reuse" { print $c }')
blocks=$(printf '%s\n' "$out" | awk -F, '$1 == "barrier_slot_reuse" { print $3 }')
case $blocks in "2 "*) ;; *) echo "FAIL: expected 2 blocks an SM, got '$blocks'"; exit 1 ;; esac
if [ -z "$cycles" ] || [ "$cycles" -lt 1596 ] || [ "$cycles" -gt 1696 ]; then
  echo "FAIL: barrier trace took '$cycles' cycles, expected 1596..1696 (by hand)"
  exit 1
fi
echo "ok: $cycles cycles (1596..1696 by hand)"
