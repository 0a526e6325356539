#!/usr/bin/env bash
# host_memory.sh EMLSIM TESTS - the run's host memory budget (EMLSIM_HOST_MEMORY,
# 16 GiB by default): a bad value is an error; a GPU or a systolic layer over
# the budget is refused before it allocates, with the size worked out by hand
# below; --jobs is lowered (simt, breakeven) or threads wait their turn
# (sweep) so that the threads' models fit together, and the tables are the
# same as with one thread.
set -u
emlsim=$1 tests=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

# --- the variable itself: a size in [1M, 1T], binary suffixes ---
for v in abc 0 16X 2T 512K 1M1 -1 ''; do
  EMLSIM_HOST_MEMORY=$v "$emlsim" analyze alexnet > /dev/null 2> "$dir/err"
  rc=$?
  [ "$rc" = 1 ] || say "EMLSIM_HOST_MEMORY='$v': exit $rc, expected 1"
  grep -q "^emlsim analyze: error: EMLSIM_HOST_MEMORY must be a size in bytes, with an optional K, M, G or T suffix, from 1M to 1T, got '$v'" \
    "$dir/err" || { say "EMLSIM_HOST_MEMORY='$v':"; cat "$dir/err"; }
done
for v in 1M 1048576 1t 16G; do
  EMLSIM_HOST_MEMORY=$v "$emlsim" analyze alexnet > /dev/null 2>&1 ||
    say "EMLSIM_HOST_MEMORY=$v refused"
done

# --- a GPU over the budget ---
# volta holds 80 SMs x 64 warps x 256 registers, each with an 8-byte ready
# time and a byte: 80 x 64 x 256 x 9 B = 11.25 MiB of register state alone,
# more than 8 MiB
EMLSIM_HOST_MEMORY=8M "$emlsim" simt simplecnn -o "$dir/gpu8" 2> "$dir/err"
rc=$?
[ "$rc" = 1 ] || say "a GPU over 8M: exit $rc, expected 1"
[ -e "$dir/gpu8" ] && say "a GPU over 8M left its output folder"
grep -Eq "^emlsim simt: error: GPU 'volta' is too large to model: [0-9.]+ MiB of host memory .* more than the 8\.0 MiB a run may hold \(EMLSIM_HOST_MEMORY\)" \
  "$dir/err" || { say "a GPU over 8M:"; cat "$dir/err"; }

# --- simt --jobs under a budget: lowered, the tables unchanged ---
"$emlsim" simt simplecnn --quiet --jobs 1 -o "$dir/j1" || say "simt --jobs 1 failed"
EMLSIM_HOST_MEMORY=100M "$emlsim" simt simplecnn --quiet --jobs 3 -o "$dir/j3" 2> "$dir/err" ||
  say "simt --jobs 3 under 100M failed"
for t in simt_kernels simt_stalls simt_energy simt_energy_classes; do
  cmp -s "$dir/j1/$t.csv" "$dir/j3/$t.csv" || say "$t.csv differs under a budget"
done
# the note's threads F and size X: F x X fits in 100 MiB, F + 1 would not,
# and X is at least the 11.25 MiB of registers above
note=$(grep -E "^emlsim simt: note: --jobs 3 lowered to [0-9]+: each thread's GPU model holds [0-9.]+ MiB of host memory, and a run may hold 100\.0 MiB \(EMLSIM_HOST_MEMORY\); the figures are the same$" "$dir/err")
if [ -z "$note" ]; then
  say "no --jobs note:"; cat "$dir/err"
else
  f=$(sed -E 's/.*lowered to ([0-9]+):.*/\1/' <<< "$note")
  x=$(sed -E 's/.*holds ([0-9.]+) MiB.*/\1/' <<< "$note")
  awk -v f="$f" -v x="$x" 'BEGIN { exit !(f >= 1 && f < 3 && x >= 11.25 && f * x <= 100 && (f + 1) * x > 100.05) }' ||
    say "lowered to $f at $x MiB a thread does not fit 100 MiB exactly"
fi
# the default budget holds three volta models: no note
"$emlsim" simt simplecnn --quiet --jobs 3 -o "$dir/j3d" 2> "$dir/err"
grep -q "lowered" "$dir/err" && say "a note under the default budget: $(cat "$dir/err")"

# --- breakeven --jobs on the GPU: each thread holds a GPU and its pattern ---
"$emlsim" breakeven "$tests/sweep/one_gemm.csv" --arch simt --sparsity 0:0.6:0.3 --jobs 1 \
  -o "$dir/be1.csv" > /dev/null 2>&1 || say "breakeven --jobs 1 failed"
EMLSIM_HOST_MEMORY=100M "$emlsim" breakeven "$tests/sweep/one_gemm.csv" --arch simt \
  --sparsity 0:0.6:0.3 --jobs 3 -o "$dir/be3.csv" > /dev/null 2> "$dir/err" ||
  say "breakeven --jobs 3 under 100M failed"
cmp -s "$dir/be1.csv" "$dir/be3.csv" || say "breakeven's curve differs under a budget"
grep -Eq "^emlsim breakeven: note: --jobs 3 lowered to [12]: each thread's design point and pattern holds" \
  "$dir/err" || { say "no breakeven --jobs note:"; cat "$dir/err"; }

# --- study: its GPU layers and its break-even sweeps, lowered alike ---
# (two volta models do not fit 100 MiB: the simt case above found F = 1 and
# checked F x X <= 100 < (F + 1) x X)
"$emlsim" study simplecnn --arch simt --accuracy none --repeat 1 --jobs 2 -o "$dir/st2" \
  > /dev/null 2>&1 || say "study --jobs 2 failed"
EMLSIM_HOST_MEMORY=100M "$emlsim" study simplecnn --arch simt --accuracy none --repeat 1 \
  --jobs 2 -o "$dir/st1" > /dev/null 2> "$dir/err" || say "study --jobs 2 under 100M failed"
for t in layers summary simt breakeven breakeven_points; do
  cmp -s "$dir/st2/$t.csv" "$dir/st1/$t.csv" || say "study's $t.csv differs under a budget"
done
grep -Eq "^emlsim study: note: --jobs 2 lowered to 1: each thread's GPU model holds" "$dir/err" ||
  { say "no study note for the GPU's layers:"; cat "$dir/err"; }
grep -Eq "^emlsim study: note: --jobs 2 lowered to 1: each thread's break-even sweep holds [0-9.]+ MiB of host memory, and" \
  "$dir/err" || { say "no study note for the sweeps:"; cat "$dir/err"; }
grep -q "the SIMT GPU's layers ran once, on 1 thread," "$dir/st1/report.md" ||
  say "the study's report does not say the GPU's layers ran on 1 thread"

# --- sweep: threads wait for memory, the rows are the same ---
# the largest GPU of simt.spec (volta at 8 SMs) is refused under 1M; 1.5 times
# its size holds it and no second GPU as large, so some threads must wait
big=$(EMLSIM_HOST_MEMORY=1M "$emlsim" simt simplecnn --set n_sm=8 2>&1 |
  sed -nE 's/.*model: ([0-9.]+) MiB of host memory.*/\1/p')
[ -n "$big" ] || say "no size in the refusal of a GPU over 1M"
budget=$(awk -v b="${big:-8}" 'BEGIN { printf "%d", b * 1.5 * 1048576 }')
"$emlsim" sweep "$tests/sweep/simt.spec" --jobs 1 -o "$dir/s1.csv" 2> /dev/null ||
  say "sweep --jobs 1 failed"
EMLSIM_HOST_MEMORY=$budget timeout 600 "$emlsim" sweep "$tests/sweep/simt.spec" --jobs 2 \
  -o "$dir/s2.csv" 2> "$dir/err" || { say "sweep --jobs 2 under $budget B failed"; cat "$dir/err"; }
cmp -s "$dir/s1.csv" "$dir/s2.csv" || say "the sweep's rows differ under a budget"

# --- a systolic layer over the budget, located at its line ---
# Wide: a 40000 x 40000 single-channel input, one 1x1 filter: 1.6e9 output
# pixels, each with three 8-byte address entries (38.4e9 B), and in CALC
# mode a 4-byte stamp per input word (6.4e9 B); the window's 1 entry adds 24 B
# and the filter's 1 stamp 4 B: 44,800,000,028 B = 41.7 GiB, over 16 GiB
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nSmall, 8, 8, 3, 3, 4, 4, 1,\nWide, 40000, 40000, 1, 1, 1, 1, 1,\n' \
  > "$dir/wide.csv"
"$emlsim" systolic "$dir/wide.csv" -o "$dir/wide" > /dev/null 2> "$dir/err"
rc=$?
[ "$rc" = 1 ] || say "a 41.7 GiB layer: exit $rc, expected 1"
[ -e "$dir/wide" ] && say "a 41.7 GiB layer left its output folder"
grep -q "^$dir/wide.csv:3:1: error: layer 'Wide' is too large to simulate: it needs at least 41\.7 GiB of host memory, more than the 16\.0 GiB a run may hold (EMLSIM_HOST_MEMORY), so the run stopped; the model's setting mode = closed gives its compute figures from the closed form" \
  "$dir/err" || { say "a 41.7 GiB layer:"; cat "$dir/err"; }
# 1000 x 1000 x 16 input, 16 3x3 filters: 998^2 pixels x 24 B + 144 window
# entries x 24 B + 16e6 input stamps x 4 B + 2,304 filter stamps x 4 B +
# the filter's fold block, 144 rows x 32 columns x 8 B = 87,953,632 B =
# 83.9 MiB: refused under 64M, run under 128M
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nBig, 1000, 1000, 3, 3, 16, 16, 1,\n' \
  > "$dir/big.csv"
EMLSIM_HOST_MEMORY=64M "$emlsim" systolic "$dir/big.csv" > /dev/null 2> "$dir/err"
grep -q "^$dir/big.csv:2:1: error: layer 'Big' is too large to simulate: it needs at least 83\.9 MiB of host memory, more than the 64\.0 MiB" \
  "$dir/err" || { say "an 83.9 MiB layer under 64M:"; cat "$dir/err"; }
EMLSIM_HOST_MEMORY=128M "$emlsim" systolic "$dir/big.csv" > /dev/null 2> "$dir/err" ||
  { say "an 83.9 MiB layer under 128M failed:"; cat "$dir/err"; }
# a GEMM with K = 10^7 on SRAMs of 10^8 kB: the filter's fold block (its
# K rows x 32 columns x 8 B = 2.56e9 B) dominates, with the window's
# address entries (10^7 x 24 B) and the filter's stamps (10^7 x 4 B), and
# the one pixel's 24 B: 2,840,000,024 B = 2.6 GiB, over 1G (the input fits
# the SRAM's epoch: no input stamps)
printf 'Layer Name, M, N, K,\nG, 1, 1, 10000000,\n' > "$dir/gk.csv"
EMLSIM_HOST_MEMORY=1G "$emlsim" systolic "$dir/gk.csv" --set filter_kb=100000000 \
  --set ifmap_kb=100000000 > /dev/null 2> "$dir/err"
grep -q "^$dir/gk.csv:2:1: error: layer 'G' is too large to simulate: it needs at least 2\.6 GiB of host memory, more than the 1\.0 GiB" \
  "$dir/err" || { say "a 2.6 GiB GEMM under 1G:"; cat "$dir/err"; }

# in USER mode the prefetch streams' position tables count too: a 130 x 130
# x 1000 input with 32 3x3 filters on 32 x 32 os has 128^2 = 16,384 pixels
# (512 row folds of 32) and a 9,000-entry window; the ifmap's table has a
# word count per anti-diagonal of its 512 x 9,000 by 32 prefetch matrix
# plus one (4,608,032), the filter's of its 9,000 by 32 one (9,032): 8 bytes
# each, 36,936,512 B, with the address tables' 16,384 x 24 + 9,000 x 24 =
# 609,216 B: 37,545,728 B = 35.8 MiB, refused under 32M, run under 64M
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nDeep, 130, 130, 3, 3, 1000, 32, 1,\n' \
  > "$dir/deep.csv"
EMLSIM_HOST_MEMORY=32M "$emlsim" systolic "$dir/deep.csv" --bandwidth 10 > /dev/null 2> "$dir/err"
grep -q "^$dir/deep.csv:2:1: error: layer 'Deep' is too large to simulate: it needs at least 35\.8 MiB of host memory, more than the 32\.0 MiB" \
  "$dir/err" || { say "a USER layer of 35.8 MiB under 32M:"; cat "$dir/err"; }
EMLSIM_HOST_MEMORY=64M "$emlsim" systolic "$dir/deep.csv" --bandwidth 10 > /dev/null 2> "$dir/err" ||
  { say "a USER layer of 35.8 MiB under 64M failed:"; cat "$dir/err"; }
# ... and traced, each repeated address of its prefetch order is indexed:
# the ifmap's windows overlap, so its 512 x 9,000 by 32 matrix (the last
# row fold full: 16,384 = 512 x 32) is 147,456,000 stream words at 4 B,
# 589,824,000 B; with the traced address maps, (130^2 x 1,000 + 9,000 x 32
# + 2) x 4 = 68,752,008 B, and both fold bodies, (9,000 x 32) x 2 x 8 =
# 4,608,000 B: 37,545,728 + 68,752,008 + 589,824,000 + 4,608,000 =
# 700,729,736 B = 668.3 MiB, refused under 512M before a trace is written
# (it was counted at 105.8 MiB and ran; a file-size limit stops a run that
# would write its traces)
( ulimit -f 10240
  EMLSIM_HOST_MEMORY=512M "$emlsim" systolic "$dir/deep.csv" --bandwidth 10 --trace \
    -o "$dir/deep_tr" > /dev/null 2> "$dir/err" )
grep -q "^$dir/deep.csv:2:1: error: layer 'Deep' is too large to simulate: it needs at least 668\.3 MiB of host memory, more than the 512\.0 MiB" \
  "$dir/err" || { say "a traced USER layer of 668.3 MiB under 512M:"; cat "$dir/err"; }
[ ! -e "$dir/deep_tr" ] || say "the refused traced run left $dir/deep_tr"
# a systolic sweep over the 83.9 MiB layer: each point's walk holds it, so
# under 128M two threads take turns, and the rows are those of one thread
printf 'arch = systolic\nworkload = %s\nrows = 16, 32\ncols = 16, 32\n' "$dir/big.csv" > "$dir/big.spec"
"$emlsim" sweep "$dir/big.spec" --jobs 1 -o "$dir/b1.csv" 2> /dev/null || say "systolic sweep --jobs 1 failed"
EMLSIM_HOST_MEMORY=128M timeout 600 "$emlsim" sweep "$dir/big.spec" --jobs 2 -o "$dir/b2.csv" \
  2> "$dir/err" || { say "systolic sweep --jobs 2 under 128M failed"; cat "$dir/err"; }
cmp -s "$dir/b1.csv" "$dir/b2.csv" || say "the systolic sweep's rows differ under a budget"

# a break-even point's pattern generator: 16 x 8192 x 8192 on the systolic
# array drew its 2^26-weight pattern with an 8-byte index a weight, 596 MB
# of RSS under a 64 MiB budget, counted as the pattern's byte a weight
# alone; now 17 bytes a weight at most are counted, 2^26 x 17 B = 1.06 GiB
# with the design point's share, refused before anything runs
EMLSIM_HOST_MEMORY=64M "$emlsim" breakeven gemm:16x8192x8192 --arch systolic --sparsity 0:0.5:0.5 \
  -o "$dir/be64.csv" > /dev/null 2> "$dir/err"
rc=$?
[ "$rc" = 1 ] || say "a break-even point over 64M: exit $rc, expected 1"
grep -q "^emlsim breakeven: error: gemm 16x8192x8192: a sparse point holds up to 1\.[0-9] GiB of host memory .* more than the 64\.0 MiB a run may hold (EMLSIM_HOST_MEMORY)" \
  "$dir/err" || { say "a break-even point over 64M:"; cat "$dir/err"; }
[ ! -e "$dir/be64.csv" ] || say "the refused break-even left $dir/be64.csv"

# --- a sweep's JSON over the budget ---
# -o FILE.csv also writes FILE.json, built whole (the rows' table, cJSON's
# tree and its text) before it is written: 200 B a cell and each value's
# characters three times.  xnor (the arch, one, is no column) on
# simplecnn, pe 1..256 x simd 1..16 x freq_mhz 100..1600 is 65,536 points
# of point + 4 keys + 8 figures = 13 cells: 2,600 + 64 B, plus the values'
# mean lengths x 3 (workload 9, pe (9 + 180 + 471) / 256 = 2.578, simd
# (9 + 14) / 16 = 1.4375, freq_mhz (27 + 28) / 16 = 3.4375: 16.453 x 3 =
# 49.36), 2,713.36 B a point, 177,822,... B = 169.6 MiB in all: over 128M,
# refused before any point runs and with no file left; the CSV alone (-o
# FILE.txt) runs.
{ echo "arch = xnor"; echo "workload = simplecnn"; printf 'pe = '; seq -s, 1 256
  printf 'simd = '; seq -s, 1 16; printf 'freq_mhz = '; seq -s, 100 100 1600; } > "$dir/jbig.spec"
EMLSIM_HOST_MEMORY=128M "$emlsim" sweep "$dir/jbig.spec" -o "$dir/jbig.csv" --quiet 2> "$dir/err"
rc=$?
[ "$rc" = 1 ] || say "a sweep's JSON over 128M: exit $rc, expected 1"
grep -q "jbig.spec: error: the JSON beside -o of its 65536 design points holds about 169.6 MiB of host memory as it is built, more than the 128.0 MiB a run may hold" \
  "$dir/err" || { say "a sweep's JSON over 128M:"; cat "$dir/err"; }
[ ! -e "$dir/jbig.csv" ] && [ ! -e "$dir/jbig.json" ] || say "the refused sweep left a file"
EMLSIM_HOST_MEMORY=128M "$emlsim" sweep "$dir/jbig.spec" -o "$dir/jbig.txt" --quiet 2> "$dir/err" ||
  { say "the same sweep's CSV alone under 128M:"; cat "$dir/err"; }

[ "$fail" = 0 ] && echo "ok: the host memory budget refuses, lowers --jobs and waits, figures unchanged"
exit "$fail"
