#!/usr/bin/env bash
# breakeven_point.sh EMLSIM OUT - `emlsim breakeven` builds its design point
# through the model table: --set takes any setting of the model (figures by
# hand below), an option of another model is a usage error rather than
# ignored, and a setting the sparse run cannot use is refused with no output
# left behind.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# run WANT_RC WANT_STDERR ARGS...: exit status and the exact first line of stderr
run() {
  local want_rc=$1 want=$2
  shift 2
  "$emlsim" breakeven "$@" >"$out/stdout" 2>"$out/stderr"
  local rc=$? got
  got=$(head -1 "$out/stderr")
  if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then ok "$*: exit $rc"
  else bad "$*: exit $rc (want $want_rc), stderr '$got' (want '$want')"; fi
}

# FINN MVAU with PE = 64 (SIMD 32), N = 256, K = 1024, M = 64, binary:
# (256/64) x (1024/32) x 64 vectors = 8192 dense cycles; channel pruning at
# 50 % keeps 128 rows: (128/64) x 32 x 64 = 4096.
"$emlsim" breakeven gemm:64x256x1024 --arch xnor --sparse channel --set pe=64 \
  --sparsity 0.5:0.5:0.1 -o "$out/xnor.csv" >"$out/xnor.txt" || bad "xnor --set pe=64 failed"
row=$(sed -n 2p "$out/xnor.csv" | cut -d, -f1-3)
[ "$row" = "0.500,8192,4096" ] && ok "xnor pe=64: $row" || bad "xnor pe=64: got '$row'"
grep -q "^Break-even of channel on xnor (FINN PE 64 x SIMD 32, 200 MHz, up to 2452.5 KiB weights, 12.8 GB/s) at binary:binary: " "$out/xnor.txt" &&
  ok "xnor title names the point" || bad "xnor title: $(head -1 "$out/xnor.txt")"

# BISMO with Dn = 16 (Dm 8, Dk 256), M = 64, N = 256, K = 1024 at 4:4:
# 8 x 16 = 128 tiles of 4 K slices x 16 plane pairs = 64 cycles + 15 fill
# (BISMO's execute latency at Dk 256, paid by every tile) = 79, x 128 =
# 10112; 256 x 256 blocks at 50 % empty 2 of the 4 slices of every column
# tile: 128 x (32 + 15) = 6016.
"$emlsim" breakeven gemm:64x256x1024 --arch bitserial --set dn=16 --bits 4:4 --sparse bsr256 \
  --sparsity 0.5:0.5:0.1 --format csv >"$out/bs.csv" || bad "bitserial --set dn=16 failed"
row=$(sed -n 2p "$out/bs.csv" | cut -d, -f1-3)
[ "$row" = "0.500,10112,6016" ] && ok "bitserial dn=16: $row" || bad "bitserial dn=16: got '$row'"

# --set after --dataflow: the later setting wins (ws, then os). 32 x 32 os,
# N = K = M = 256: 64 folds of 318 cycles, minus 1 = 20351 (SCALE-Sim's os
# fold, W + R + C - 2).
"$emlsim" breakeven gemm:256x256x256 --arch systolic --dataflow ws --set dataflow=os \
  --sparse mask --sparsity 0:0:0.1 --format csv >"$out/sa.csv" || bad "systolic --set failed"
row=$(sed -n 2p "$out/sa.csv" | cut -d, -f1-3)
[ "$row" = "0.000,20351,20351" ] && ok "systolic dataflow=os: $row" || bad "systolic: got '$row'"

# --gate gates instead of skipping, for pruned channels too: 32 x 32 os, N = K
# = M = 256, channel pruning at 50 % keeps 128 filters, 4 x 8 = 32 folds of
# 318 cycles, minus 1 = 10175 skipped; gated, the dense 20351 at every point,
# which the break-even model (every MAC executed under --gate) agrees with.
# (Gated channels ran as skipped, 10175, while the model took 20351: "fit
# error 70.7 %, model and simulation DISAGREE".)
"$emlsim" breakeven gemm:256x256x256 --arch systolic --sparse channel --sparsity 0:0.5:0.5 \
  --format csv >"$out/ch.csv" || bad "channel failed"
"$emlsim" breakeven gemm:256x256x256 --arch systolic --sparse channel --gate \
  --sparsity 0:0.5:0.5 --format csv >"$out/chg.csv" || bad "gated channel failed"
"$emlsim" breakeven gemm:256x256x256 --arch systolic --sparse channel --gate \
  --sparsity 0:0.5:0.5 >"$out/chg.txt" || bad "gated channel failed"
row=$(sed -n 3p "$out/ch.csv" | cut -d, -f1-3)
[ "$row" = "0.500,20351,10175" ] && ok "channel skipped: $row" || bad "channel: got '$row'"
row=$(sed -n 3p "$out/chg.csv" | cut -d, -f1-3)
[ "$row" = "0.500,20351,20351" ] && ok "channel gated: $row" || bad "gated channel: got '$row'"
grep -q "^note: model and simulation agree" "$out/chg.txt" && ok "gated channel: agree" ||
  bad "gated channel: $(grep 'model and simulation' "$out/chg.txt")"

# the closed form never stalls, so a USER bandwidth bounds none of its points:
# the break-even model's BW is none (it took 1 B/cycle, 84,766 cycles at 0.6
# where the runs took 6,737, and the two disagreed); a 'bandwidth' or a
# 'bandwidth_mode' given there changes nothing and is refused, as emlsim
# systolic refuses it (the first such setting is named)
run 2 "emlsim breakeven: error: 'bandwidth_mode' changes nothing unless mode = simulate ('--set mode=simulate' sets it)" \
  gemm:64x64x64 --arch systolic --sparse csr --set mode=closed --set bandwidth_mode=user \
  --set bandwidth=1 --sparsity 0:0.9:0.3
run 2 "emlsim breakeven: error: 'bandwidth' changes nothing unless mode = simulate ('--set mode=simulate' sets it)" \
  gemm:64x64x64 --arch systolic --sparse csr --set mode=closed --set bandwidth=1 \
  --set bandwidth_mode=user --sparsity 0:0.9:0.3
"$emlsim" breakeven gemm:64x64x64 --arch systolic --sparse csr --set mode=closed \
  --sparsity 0:0.9:0.3 >"$out/cu.txt" || bad "closed form failed"
grep -q "BW = none (no bandwidth limit)" "$out/cu.txt" && ok "closed form: BW none" ||
  bad "closed form: $(grep -o 'BW = [^,]*' "$out/cu.txt")"
grep -q "^note: model and simulation agree" "$out/cu.txt" && ok "closed form: agree" ||
  bad "closed form: $(grep 'model and simulation' "$out/cu.txt")"

# options of another model: usage errors, exit 2
U="emlsim breakeven: error:"
run 2 "$U '--gpu' applies to --arch simt, not systolic" gemm:64x64x64 --arch systolic --gpu volta
run 2 "$U '--kernel' applies to --arch simt, not xnor" gemm:64x64x64 --arch xnor --kernel thread
# the curve's CSV or PNG on standard output would be mixed into the table
# printed there (the CSV came out, then the table)
run 2 "$U '-o -' would mix the CSV into the table on standard output: '--format csv' prints the curve there" \
  gemm:64x64x64 -o -
# --kernel chooses the CSR kernel: with another format it did nothing (warp
# and thread gave 10,665 cycles alike on bsr)
run 2 "$U '--kernel' chooses the CSR kernel: not with --sparse bsr4" gemm:64x128x128 --sparse bsr \
  --kernel thread
run 2 "$U '--gate' applies to --arch systolic, not simt" gemm:64x64x64 --gate
run 2 "$U '--dataflow' applies to --arch systolic, not bitserial" gemm:64x64x64 --arch bitserial \
  --dataflow ws
run 2 "$U '--config' applies to --arch systolic, not simt" gemm:64x64x64 -c x.cfg
run 2 "$U '--bits' applies to --arch systolic, bitserial and xnor (simt runs fp32), not simt" \
  gemm:64x64x64 --bits 8:8
# settings checked against the model's key table, as the per-model commands check them
run 2 "$U 'bogus' is not a setting of model systolic" gemm:64x64x64 --arch systolic --set bogus=1
run 2 "$U 'rows' must be an integer in [1, 65536], got '0'" gemm:64x64x64 --arch systolic \
  --set rows=0
run 2 "$U '--set' takes KEY=VALUE, got 'rows'" gemm:64x64x64 --arch systolic --set rows
# the analytic model has no sparse execution
run 2 "$U '--arch' must be simt, systolic, bitserial or xnor, got 'analytic'" gemm:64x64x64 \
  --arch analytic
# a design point the sparse run cannot use: exit 1, located at the input, no output
run 1 "gemm:64x64x64: error: zero skipping is modelled for the os and ws dataflows, not is" \
  gemm:64x64x64 --arch systolic --set dataflow=is --sparse csr -o "$out/is.csv"
[ ! -e "$out/is.csv" ] && ok "no output after the refusal" || bad "is.csv left behind"
# zero skipping is one run of the whole layer, so the closed form serves it
# too: 32 x 32 os, M = N = K = 64: 2 x 2 folds of 64 + 62 = 126, minus 1: 503
# dense; a bitmap at 0 % keeps every K position (the union rule) and adds
# 64 x 64 bits = 512 one-byte words, read with the weights once per row fold
# (2) through the filter port of 32 words a cycle: 1024 / 32 = 32 -> 535.
"$emlsim" breakeven gemm:64x64x64 --arch systolic --set mode=closed --sparse bitmap \
  --sparsity 0:0:0.1 --format csv >"$out/closed.csv" || bad "systolic mode=closed failed"
row=$(sed -n 2p "$out/closed.csv" | cut -d, -f1-3)
[ "$row" = "0.000,503,535" ] && ok "systolic closed bitmap: $row" || bad "closed: got '$row'"

# --sparsity counts its points as the sweep does, FROM + i x STEP up to TO:
# 0:1:0.001 is 1000 steps, 1001 points, over the 1000 a sweep takes (it passed
# the option's check as 1000 steps and failed in the sweep, exit 1, located
# at the workload); 0:0.999:0.001 is 999 steps, 1000 points, and runs
run 2 "$U '--sparsity' must be FROM:TO:STEP with 0 <= FROM <= TO <= 1, finite STEP > 0, at most 1000 points, got '0:1:0.001'" \
  gemm:8x8x8 --arch systolic --sparsity 0:1:0.001
"$emlsim" breakeven gemm:8x8x8 --arch systolic --sparsity 0:0.999:0.001 --format csv \
  >"$out/k.csv" 2>"$out/k.err" || bad "1000 points refused: $(head -1 "$out/k.err")"
n=$(($(wc -l <"$out/k.csv") - 1))
[ "$n" = 1000 ] && ok "0:0.999:0.001: 1000 points" || bad "0:0.999:0.001: $n points"

# the formats --help names for each model run there, and the others are
# refused (exit 2, the command line's conflict): the help said N:M ran on the systolic array alone, while
# the bit-serial array and a GPU with sparse tensor cores run it too, and
# that only the systolic array took csc, coo, bitmap and rle
help=$("$emlsim" help breakeven | tr -s ' \n' '  ')
case $help in
*"mask, channel or N:M (2:4, 1:4, ...; simt: sparse tensor cores, ampere and jetson); systolic and bitserial also csc, coo, bitmap and rle; xnor only channel and mask"*)
  ok "--help names each model's formats" ;;
*) bad "--help on --sparse: $(echo "$help" | grep -o -- '--sparse F.*--layer')" ;;
esac
while read -r arch rc fmts; do
  for f in $fmts; do
    extra=
    [ "$arch" = simt ] && [ "$f" = 2:4 ] && extra="--gpu ampere"
    # shellcheck disable=SC2086 # extra is a word list
    "$emlsim" breakeven gemm:64x64x64 --arch "$arch" --sparse "$f" --sparsity 0.5:0.5:0.1 $extra \
      >/dev/null 2>"$out/f.err"
    got=$?
    [ "$got" = "$rc" ] && ok "$arch $f: exit $got" ||
      bad "$arch $f: exit $got, want $rc ($(head -1 "$out/f.err"))"
  done
done <<'LIST'
simt 0 csr bsr bsr8 mask channel 2:4
simt 2 csc coo bitmap rle
systolic 0 csr bsr mask channel 2:4 csc coo bitmap rle
bitserial 0 csr bsr mask channel 2:4 csc coo bitmap rle
xnor 0 channel mask
xnor 2 csr bsr 2:4 csc coo bitmap rle
LIST
exit $fail
