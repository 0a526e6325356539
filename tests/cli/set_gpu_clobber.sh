#!/bin/sh
# set_gpu_clobber.sh EMLSIM OUT - '--set gpu=FILE' is '--gpu FILE': the GPU
# file is an input of the run, so an output that is the same file is
# refused before anything is written (exit 1, the file byte for byte as it
# was), in the words '--gpu FILE' is refused in with the option named as
# given: '-o' would overwrite '--set gpu'.  It was a setting, never listed
# with the inputs: breakeven -o and --plot, simt --micro -o and simt's -o
# DIR (its simt_kernels.csv) wrote over the GPU file, exit 0.
#
# Each case runs twice, with '--gpu F' and with '--set gpu=F'; the second's
# message is the first's with '--gpu' spelled '--set gpu', and cmp against
# a copy made before says the file is untouched after each.
set -u
emlsim=$1 out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out"
mkdir -p "$out/sd"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
cp "$src/models/simt/data/gpu_volta.cfg" "$out/g.bak" || exit 1
cd "$out" || exit 1
# case NAME FILE ARGS...: ARGS hold GPU where the GPU option goes
case1() {
  name=$1 file=$2
  shift 2
  for how in flag set; do
    cp g.bak "$file"
    args=""
    for a in "$@"; do
      if [ "$a" = GPU ]; then
        if [ $how = flag ]; then args="$args --gpu ./$file"; else args="$args --set gpu=./$file"; fi
      else
        args="$args $a"
      fi
    done
    # shellcheck disable=SC2086
    "$emlsim" $args >/dev/null 2>"$how.err"
    rc=$?
    check "$name ($how): exit status" "$rc" 1
    check "$name ($how): $file untouched" "$(cmp -s g.bak "$file" && echo same)" same
  done
  check "$name: the message names '--set gpu' where '--gpu' is named" "$(cat set.err)" \
    "$(sed "s/'--gpu'/'--set gpu'/" flag.err)"
  grep -q "would overwrite '--set gpu', an input of this run" set.err ||
    { echo "FAIL: $name: no \"would overwrite '--set gpu'\" in: $(cat set.err)"; fail=1; }
}
case1 "breakeven -o" g.cfg breakeven gemm:64x64x64 GPU --sparsity 0:0.5:0.25 -o g.cfg
case1 "breakeven --plot" g.cfg breakeven gemm:64x64x64 GPU --sparsity 0:0.5:0.25 --plot g.cfg
case1 "simt --micro -o" g.cfg simt --micro ffma GPU -o g.cfg
case1 "simt -o DIR" sd/simt_kernels.csv simt simplecnn GPU -o sd
exit $fail
