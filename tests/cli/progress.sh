#!/bin/sh
# progress.sh EMLSIM SRC - with stderr on a terminal (script(1) gives one),
# study and quant say what they are doing, a flushed line a step; with
# --quiet they print nothing at all (no error happened). quant runs on a
# two-image IDX set, untrained (--epochs 0: fewer images than a batch), so
# that the test takes a second.
set -u
emlsim=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
command -v script >/dev/null || { echo "FAIL: no script(1) (Debian bsdutils)"; exit 1; }
mkdir "$tmp/data"
for f in train t10k; do
  cp "$src/tests/bad/idx/good-images" "$tmp/data/$f-images-idx3-ubyte"
  cp "$src/tests/bad/idx/good-labels" "$tmp/data/$f-labels-idx1-ubyte"
done
fail=0
tty() { # name, command line; the terminal's output into $tmp/name
  script -qec "$2" /dev/null </dev/null >"$tmp/$1" 2>&1
}
study="$emlsim study --arch systolic,xnor --bits int8,binary --sparsity none --repeat 1"
quant="$emlsim quant --data $tmp/data --epochs 0" # two images: no batch to train on
tty study "$study -o $tmp/s1"
grep -q "^emlsim study: systolic at int8" "$tmp/study" &&
  grep -q "^emlsim study: xnor at binary" "$tmp/study" ||
  { echo "FAIL: study shows no progress:"; cat "$tmp/study"; fail=1; }
tty quant "$quant -o $tmp/q1"
grep -q "^emlsim quant: training the MLP" "$tmp/quant" &&
  grep -q "^emlsim quant: variant 6 of 11: int4 per-channel, ends int8" "$tmp/quant" ||
  { echo "FAIL: quant shows no progress:"; cat "$tmp/quant"; fail=1; }
tty study_quiet "$study -o $tmp/s2 --quiet"
tty quant_quiet "$quant -o $tmp/q2 --quiet"
for f in study_quiet quant_quiet; do
  [ -s "$tmp/$f" ] && { echo "FAIL: $f printed:"; cat "$tmp/$f"; fail=1; }
done
[ -f "$tmp/s2/summary.csv" ] && [ -f "$tmp/q2/quant.csv" ] ||
  { echo "FAIL: --quiet runs wrote no results"; fail=1; }
[ $fail = 0 ] && echo "progress on a terminal, none with --quiet"
exit $fail
