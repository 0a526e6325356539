#!/bin/sh
# quant_load_shape.sh EMLSIM OUT - `emlsim quant --load` takes the network
# quant trains, PIXELS-256-128-10, and no other: its tables cost three
# layers, prune the two hidden ones and compare the first hidden layer's
# scale (a valid 784-10 file printed the scale's growth as "x-nan" and
# pruned hidden layers it does not have).  On images of 2 x 2 pixels:
#   - a 4-10 file (one layer) and a 4-8-8-10 file (three, other widths):
#     exit 1, the error names both shapes, nothing written;
#   - a 4-256-128-10 file of zero weights runs, and prints no NaN.
# Weight files (models/nn/README.md): "EMLSMLP1", u32 layer count, u32
# widths, then float32 weights and biases, little-endian; zeros here.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out/data"
fail=0
for s in train t10k; do # two images of 2 x 2 pixels, labels 3 and 7
  { printf '\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\002'
    head -c 8 /dev/zero; } >"$out/data/$s-images-idx3-ubyte"
  printf '\000\000\010\001\000\000\000\002\003\007' >"$out/data/$s-labels-idx1-ubyte"
done
# weights NAME LAYERS WIDTHS PARAMS: the header (LAYERS and WIDTHS as
# octal-escaped bytes) and PARAMS float32 zeros
weights() {
  { printf 'EMLSMLP1%b%b' "$2" "$3"; head -c $(($4 * 4)) /dev/zero; } >"$out/$1.mlp"
}
# refused NAME SHAPE: exit 1 with the one error line, and no report
refused() {
  "$emlsim" quant --data "$out/data" --load "$out/$1.mlp" -o "$out/$1.out" >/dev/null \
    2>"$out/$1.err"
  rc=$?
  want="$out/$1.mlp: error: the MLP is $2, and quant analyses a 4-256-128-10 one (the network it trains: an input a pixel, three layers)"
  if [ $rc = 1 ] && [ "$(cat "$out/$1.err")" = "$want" ] && [ ! -e "$out/$1.out" ]; then
    echo "ok: $1: a $2 MLP refused"
  else
    echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err")"
    [ -e "$out/$1.out" ] && echo "FAIL: $1: output left behind"
    fail=1
  fi
}
# 4 x 10 + 10 = 50 parameters
weights one '\001\000\000\000' '\004\000\000\000\012\000\000\000' 50
refused one 4-10
# (4 x 8 + 8) + (8 x 8 + 8) + (8 x 10 + 10) = 40 + 72 + 90 = 202
weights narrow '\003\000\000\000' '\004\000\000\000\010\000\000\000\010\000\000\000\012\000\000\000' 202
refused narrow 4-8-8-10
# a header of no layers, and of 5 (NN_MAX_LAYERS is 4): the count is what
# is wrong, not the file's kind (both read "not an emlsim MLP weight file")
for n in 0 5; do
  weights "count$n" "\\00$n\\000\\000\\000" '\004\000\000\000' 0
  "$emlsim" quant --data "$out/data" --load "$out/count$n.mlp" -o "$out/count$n.out" \
    >/dev/null 2>"$out/count$n.err"
  rc=$?
  want="$out/count$n.mlp: error: the header gives $n layers; an MLP has 1 to 4"
  if [ $rc = 1 ] && [ "$(cat "$out/count$n.err")" = "$want" ] && [ ! -e "$out/count$n.out" ]; then
    echo "ok: count$n: a header of $n layers refused"
  else
    echo "FAIL: count$n: exit $rc, stderr: $(cat "$out/count$n.err")"
    fail=1
  fi
done
# (4 x 256 + 256) + (256 x 128 + 128) + (128 x 10 + 10) = 1280 + 32896 + 1290 = 35466
weights right '\003\000\000\000' '\004\000\000\000\000\001\000\000\200\000\000\000\012\000\000\000' 35466
# quant draws its plots with gnuplot, a dependency (Makefile DEB_PACKAGES):
# without it the one run that must succeed is not checked, a failure
if command -v gnuplot >/dev/null; then
  "$emlsim" quant --data "$out/data" --load "$out/right.mlp" --finetune 0 -o "$out/right.out" \
    >"$out/right.log" 2>&1
  rc=$?
  if [ $rc = 0 ] && [ -f "$out/right.out/mismatch.csv" ] &&
     ! cat "$out/right.log" "$out/right.out"/*.csv | grep -qi nan; then
    echo "ok: right: a 4-256-128-10 MLP runs, no NaN printed"
  else
    echo "FAIL: right: exit $rc: $(grep -i 'error\|nan' "$out/right.log" "$out/right.out"/*.csv | head -3)"
    fail=1
  fi
else
  echo "FAIL: right: no gnuplot, quant draws its plots (Debian package gnuplot-nox)"
  fail=1
fi
exit $fail
