#!/usr/bin/env bash
# bitserial_acc_width.sh EMLSIM TMPDIR - the bit-serial array (BISMO) sums a
# result's K products in one accumulator of a fixed 32 bits (BISMO's
# accWidth, BitSerialMatMulParams' default; models/bitserial/README.md), and
# a wider sum wraps in it.  A result of b_w-bit weights and b_a-bit
# activations over K products needs b_o = b_w + b_a + ceil(log2 K) bits, so
# a layer whose b_o passes 32 is refused, naming the layer, the widths, K
# and the accumulator's 32 bits, by every command that runs the model (they
# ran it and charged a 32-bit accumulate, exit 0).  By hand (gemm:MxNxK):
#   16:16 over K = 2:      16 + 16 + ceil(log2 2) = 16 + 16 + 1 = 33 > 32: refused
#   16:15 over K = 2:      16 + 15 + 1 = 32: runs
#    8:8  over K = 65536:   8 + 8 + 16 = 32 (2^16 = 65536): runs
#    8:8  over K = 65537:   8 + 8 + 17 = 33 (2^16 < 65537 <= 2^17): refused
#   32:32 over K = 4096:   32 + 32 + 12 = 76: refused
# In a network the refused layer is named, at its line of the workload's
# file, before any layer runs, and no output file is left.  A sweep lists
# such a point as a row without figures and runs the others.
set -u
emlsim=$1
tmp=$2
mkdir -p "$tmp"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# refused CMD... : exit 1, stderr's last line matches $want, stdout empty
refused() {
  local out err rc
  out=$("$@" 2>"$tmp/err")
  rc=$?
  err=$(cat "$tmp/err")
  if [ "$rc" -eq 1 ] && [ -z "$out" ] && printf '%s\n' "$err" | grep -Eq -- "$want"; then
    ok "refused: $*"
  else
    bad "$*: exit $rc, stdout '${out:0:200}', stderr '$err'; want exit 1 and /$want/"
  fi
}
# runs CMD... : exit 0
runs() {
  if "$@" >/dev/null 2>"$tmp/err"; then ok "runs: $*"; else bad "$*: exit $?, $(cat "$tmp/err")"; fi
}

acc="wider than the bit-serial array's 32 bits \\(BISMO's accWidth\\): its results would wrap"

# --- emlsim bitserial ---
want="^gemm:8x8x2: error: layer 'gemm': weights int16 and activations int16 over K = 2 need a 33-bit accumulator \\(16 \\+ 16 \\+ ceil\\(log2 2\\)\\), $acc$"
refused "$emlsim" bitserial gemm:8x8x2 --bits 16:16
runs "$emlsim" bitserial gemm:8x8x2 --bits 16:15
runs "$emlsim" bitserial gemm:8x8x65536 --bits 8:8
want="^gemm:8x8x65537: error: layer 'gemm': weights int8 and activations int8 over K = 65537 need a 33-bit accumulator \\(8 \\+ 8 \\+ ceil\\(log2 65537\\)\\), $acc$"
refused "$emlsim" bitserial gemm:8x8x65537 --bits 8:8
want="^gemm:8x8x4096: error: layer 'gemm': weights int32 and activations int32 over K = 4096 need a 76-bit accumulator \\(32 \\+ 32 \\+ ceil\\(log2 4096\\)\\), $acc$"
refused "$emlsim" bitserial gemm:8x8x4096 --bits 32:32

# a network: the second layer (line 3: K = 65537 at the default 8:8) is
# refused at its line, before the first runs, and -o leaves no file
printf 'Layer Name, M, N, K,\nfits, 8, 8, 65536,\nwide, 8, 8, 65537,\n' >"$tmp/net.csv"
rm -f "$tmp/net_out.csv"
want="^$tmp/net.csv:3:1: error: layer 'wide': weights int8 and activations int8 over K = 65537 need a 33-bit accumulator"
refused "$emlsim" bitserial "$tmp/net.csv" -o "$tmp/net_out.csv"
[ -e "$tmp/net_out.csv" ] && bad "-o left $tmp/net_out.csv" || ok "-o left no file"

# --- emlsim sweep: a point whose layer the model refuses is a row without
# figures, its reason in the note after the sweep, and the other points run
# (the refusal stopped the whole sweep, exit 1).  The 16:15 point's cycles
# by hand, on the default 8x256x8 array (bs_array.c, models/bitserial/README.md):
#   tiles    = ceil(8/8) * ceil(8/8) = 1, k_slices = ceil(2/256) = 1
#   compute  = tiles * k_slices * plane pairs = 1 * 1 * (16 * 15) = 240
#   fill     = 3 + 1 + 6 + 2 + ceil(log2 ceil(256/36)) = 12 + ceil(log2 8) = 15
#   total    = 240 + 15 = 255 (per tile 255 >= Dm = 8: no result stall)
#   latency  = 255 cycles / 200 MHz = 1.275 us
# and `emlsim bitserial` prints the same total.
# sweep SPEC: exit 0, stdout to $tmp/out, stderr to $tmp/err
sweep() {
  "$emlsim" sweep "$1" >"$tmp/out" 2>"$tmp/err"
}
note="^emlsim sweep: note: 1 of 2 design points have no figures \\(point 0: model bitserial refuses gemm:8x8x2: layer 'gemm': weights int16 and activations int16 over K = 2 need a 33-bit accumulator \\(16 \\+ 16 \\+ ceil\\(log2 2\\)\\), $acc\\)$"
printf 'arch = bitserial\nworkload = gemm:8x8x2\nbits = 16:16, 16:15\n' >"$tmp/spec2.txt"
if sweep "$tmp/spec2.txt" &&
   grep -qx '0,gemm:8x8x2,16:16,,,,,,,,' "$tmp/out" &&
   grep -Eq '^1,gemm:8x8x2,16:15,255,1\.275000,' "$tmp/out" &&
   grep -Eq "$note" "$tmp/err"; then
  ok "sweep lists 16:16 refused, runs 16:15 at 255 cycles"
else
  bad "sweep 16:16, 16:15: exit $?, stdout '$(cat "$tmp/out")', stderr '$(cat "$tmp/err")'"
fi
if "$emlsim" bitserial gemm:8x8x2 --bits 16:15 2>/dev/null | grep -Eq '^total .* 255 +1\.275 '; then
  ok "emlsim bitserial 16:15: 255 cycles, as the sweep"
else
  bad "emlsim bitserial gemm:8x8x2 --bits 16:15 does not total 255 cycles"
fi
# every point refused: the sweep ends as any sweep whose points all lack
# figures (rows without figures, the note, exit 0)
printf 'arch = bitserial\nworkload = gemm:8x8x2\nbits = 16:16\n' >"$tmp/spec16.txt"
if sweep "$tmp/spec16.txt" && grep -qx '0,gemm:8x8x2,16:16,,,,,,,,' "$tmp/out" &&
   grep -Eq "^emlsim sweep: note: 1 of 1 design points have no figures \\(point 0: model bitserial refuses gemm:8x8x2: layer 'gemm'" "$tmp/err"; then
  ok "sweep of 16:16 alone: a row without figures"
else
  bad "sweep 16:16: stdout '$(cat "$tmp/out")', stderr '$(cat "$tmp/err")'"
fi
# a network's refused layer is named at its line: net.csv's 'wide' (line 3,
# K = 65537 at the default 8:8) refuses the point of the default widths;
# at 4:4 (4 + 4 + 17 = 25) both layers run
printf 'arch = bitserial\nworkload = %s\nbits = 8:8, 4:4\n' "$tmp/net.csv" >"$tmp/specnet.txt"
if sweep "$tmp/specnet.txt" && grep -Eq '^0,.*,8:8,,,,,,,,$' "$tmp/out" &&
   grep -Eq '^1,.*,4:4,[0-9]+,' "$tmp/out" &&
   grep -Fq "(point 0: model bitserial refuses $tmp/net.csv:3: layer 'wide': weights int8 and activations int8 over K = 65537 need a 33-bit accumulator" "$tmp/err"; then
  ok "sweep over a network: the refused layer named at its line"
else
  bad "sweep over net.csv: stdout '$(cat "$tmp/out")', stderr '$(cat "$tmp/err")'"
fi

# --- emlsim breakeven: the dense reference and the sparse points alike ---
want="^emlsim breakeven: error: .*weights int16 and activations int16 over K = 2 need a 33-bit accumulator \\(16 \\+ 16 \\+ ceil\\(log2 2\\)\\), $acc$"
refused "$emlsim" breakeven gemm:8x8x2 --arch bitserial --bits 16:16 --sparse bsr256
runs "$emlsim" breakeven gemm:8x8x2 --arch bitserial --bits 16:15 --sparse bsr256

exit $fail
