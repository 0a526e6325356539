#!/usr/bin/env bash
# simt_micro_ref.sh EMLSIM - a microbenchmark's published reference goes with
# the GPU's design (its settings), not with its name:
#   - kernel-lat on volta with --set kernel_launch_cycles=100 is no longer the
#     TITAN V whose kernel_lat Accel-Sim measured as 7257.6 cycles: the
#     reference is '-', the row says which setting differs, and a note gives
#     its value against the preset's (gpu_volta.cfg: kernel_launch_cycles =
#     7257, Accel-Sim's 7257.6 to the cycle); before, 7257.60 stood beside
#     the 108 cycles measured (the 100 set, and the empty block's run);
#   - so with a copy of gpu_volta.cfg with that one line changed, even named
#     gpu_volta.cfg (the name once picked the reference);
#   - a byte-identical copy under another name (mine.cfg) is the same design:
#     it shows TITAN V's 7257.60 with its source (it showed "none published");
#   - dram-bw with --set n_sm=8 is not TITAN V's 80-SM chip: no reference,
#     not Accel-Sim's mem_bw 521.0 GB/s, and the row names n_sm; l2_bytes set
#     beside it does not count (dram-bw's arrays are twice the L2) and is
#     not named;
#   - a setting given its file's own value changes nothing: ffma with
#     --set scheduler=lrr (gpu_volta.cfg's -gpgpu_scheduler lrr) keeps
#     TITAN V's 4.12;
#   - the two rows of tensor-lat on volta dropped by one setting get one note;
#   - a figure of a file's own (published_ffma = 5 in a copy: no preset's
#     figure) shows with "the GPU file's" source, and a setting over that
#     file drops it, against the file's own value (n_sm 8 against 80);
#   - a published figure is refused over a GPU (--set: exit 2), and a bad
#     list in a file is an error at its path:line:col (exit 1).
set -u
emlsim=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
volta=$src/models/simt/data/gpu_volta.cfg
mkdir -p "$dir/g"

# $1 a CSV of one row: its reference (6th field) and source (8th, maybe quoted)
ref() { tail -1 "$1" | cut -d, -f6; }

# ---- kernel-lat with --set kernel_launch_cycles=100 ----
"$emlsim" simt --micro kernel-lat --set kernel_launch_cycles=100 --format csv --quiet \
  > "$dir/set.csv" || die "kernel-lat --set kernel_launch_cycles=100 failed"
[ "$(ref "$dir/set.csv")" = "-" ] || die "--set: reference $(ref "$dir/set.csv"), expected -"
grep -q 'TITAN V' "$dir/set.csv" && die "--set: TITAN V's figure still shown: $(cat "$dir/set.csv")"
why="none shown: the GPU differs from volta, which the published figure is for, in"
grep -qF ",\"$why kernel_launch_cycles\",-" "$dir/set.csv" ||
  die "--set: the row does not say why: $(tail -1 "$dir/set.csv")"
"$emlsim" simt --micro kernel-lat --set kernel_launch_cycles=100 --quiet > "$dir/set.txt" ||
  die "kernel-lat --set (table) failed"
note="note: reference not shown: the GPU differs from volta, the GPU its published figure is \
for: kernel_launch_cycles 100 against volta's 7257"
grep -qxF "$note" "$dir/set.txt" || die "--set: no note '$note': $(grep '^note' "$dir/set.txt")"

# ---- a copy with the launch changed, named as the preset's file ----
sed 's/^kernel_launch_cycles = 7257 /kernel_launch_cycles = 100  /' "$volta" \
  > "$dir/g/gpu_volta.cfg"
grep -q '^kernel_launch_cycles = 100 ' "$dir/g/gpu_volta.cfg" || die "gpu_volta.cfg: no launch line"
"$emlsim" simt --micro kernel-lat --gpu "$dir/g/gpu_volta.cfg" --format csv --quiet \
  > "$dir/edit.csv" || die "kernel-lat on the edited copy failed"
[ "$(ref "$dir/edit.csv")" = "-" ] ||
  die "edited copy: reference $(ref "$dir/edit.csv"), expected -"
grep -q 'TITAN V' "$dir/edit.csv" &&
  die "edited copy: TITAN V's figure shown: $(cat "$dir/edit.csv")"
"$emlsim" simt --micro kernel-lat --gpu "$dir/g/gpu_volta.cfg" --quiet > "$dir/edit.txt" ||
  die "kernel-lat on the edited copy (table) failed"
grep -qxF "$note" "$dir/edit.txt" ||
  die "edited copy: no note '$note': $(grep '^note' "$dir/edit.txt")"

# ---- a byte-identical copy under another name ----
cp "$volta" "$dir/g/mine.cfg"
"$emlsim" simt --micro kernel-lat --gpu "$dir/g/mine.cfg" --format csv --quiet \
  > "$dir/same.csv" || die "kernel-lat on the identical copy failed"
[ "$(ref "$dir/same.csv")" = "7257.60" ] ||
  die "identical copy: reference $(ref "$dir/same.csv"), expected 7257.60"
grep -q ',"TITAN V, Accel-Sim kernel_lat: 7257.6 cycles",-$' "$dir/same.csv" ||
  die "identical copy: not Accel-Sim's kernel_lat: $(tail -1 "$dir/same.csv")"

# ---- dram-bw on 8 SMs (a 1.5 MB L2 beside it, so it streams in seconds) ----
"$emlsim" simt --micro dram-bw --set n_sm=8 --set l2_bytes=1572864 --format csv --quiet \
  > "$dir/bw.csv" || die "dram-bw --set n_sm=8 failed"
[ "$(ref "$dir/bw.csv")" = "-" ] ||
  die "dram-bw n_sm=8: reference $(ref "$dir/bw.csv"), expected -"
grep -q 'TITAN V\|521' "$dir/bw.csv" &&
  die "dram-bw n_sm=8: TITAN V's 521 GB/s shown: $(cat "$dir/bw.csv")"
grep -qF ",\"$why n_sm\",-" "$dir/bw.csv" ||
  die "dram-bw n_sm=8: the row does not name n_sm alone: $(tail -1 "$dir/bw.csv")"

# ---- a setting at its file's own value ----
"$emlsim" simt --micro ffma --set scheduler=lrr --steps 8 --format csv --quiet > "$dir/lrr.csv" ||
  die "ffma --set scheduler=lrr failed"
[ "$(ref "$dir/lrr.csv")" = "4.12" ] ||
  die "ffma scheduler=lrr: reference $(ref "$dir/lrr.csv"), expected 4.12"

# ---- tensor-lat: two rows, one note ----
"$emlsim" simt --micro tensor-lat --set lat_tensor=16 --steps 8 --quiet > "$dir/tl.txt" ||
  die "tensor-lat --set lat_tensor=16 failed"
[ "$(grep -c '^note: reference not shown' "$dir/tl.txt")" = 1 ] ||
  die "tensor-lat: not one note: $(grep '^note' "$dir/tl.txt")"
[ "$(grep -c 'none shown: the GPU differs from volta' "$dir/tl.txt")" = 2 ] ||
  die "tensor-lat: not both rows dropped: $(cat "$dir/tl.txt")"

# ---- a file's own figure ----
sed 's/^published_ffma = 4.12 /published_ffma = 5    /' "$volta" > "$dir/g/own.cfg"
"$emlsim" simt --micro ffma --gpu "$dir/g/own.cfg" --steps 8 --format csv --quiet \
  > "$dir/own.csv" || die "ffma on own.cfg failed"
[ "$(ref "$dir/own.csv")" = "5.00" ] ||
  die "own figure: reference $(ref "$dir/own.csv"), expected 5.00"
grep -q ",the GPU file's published_ffma,-$" "$dir/own.csv" ||
  die "own figure's source: $(tail -1 "$dir/own.csv")"
"$emlsim" simt --micro ffma --gpu "$dir/g/own.cfg" --set n_sm=8 --steps 8 --quiet \
  > "$dir/own.txt" || die "ffma on own.cfg with n_sm=8 failed"
grep -qxF "note: reference not shown: the GPU differs from own.cfg, the GPU its published figure \
is for: n_sm 8 against own.cfg's 80" "$dir/own.txt" ||
  die "own figure over n_sm=8: $(grep '^note' "$dir/own.txt")"

# ---- refused: over a GPU, and a bad list in a file ----
out=$("$emlsim" simt --micro ffma --set published_ffma=4 2>&1 > /dev/null); rc=$?
[ $rc -eq 2 ] || die "--set published_ffma: exit $rc"
case $out in
  "emlsim simt: error: 'published_ffma' is given only in a GPU file"*) ;;
  *) die "--set published_ffma: $out" ;;
esac
printf 'n_sm = 80\npublished_tensor = HMMA.884=477.6:fp17=3\n' > "$dir/g/bad.cfg"
out=$("$emlsim" simt --micro tensor --gpu "$dir/g/bad.cfg" 2>&1 > /dev/null); rc=$?
[ $rc -eq 1 ] || die "a bad published list: exit $rc"
case $out in
  "$dir/g/bad.cfg:2:20: error: 'published_tensor' must be SEL=FIGURE pairs"*"got 'fp17=3'") ;;
  *) die "a bad published list: $out" ;;
esac
exit $fail
