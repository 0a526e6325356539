#!/bin/sh
# quant_data.sh EMLSIM OUT - Fashion-MNIST-style folders that `emlsim quant`
# cannot train on: an error naming the folder, exit 1, nothing written.
#   - 2 images of 257 x 257 = 66,049 pixels: more inputs than the MLP takes
#     (65,536; the IDX reader takes images up to 4096 x 4096), which once
#     stopped with "error: layer width 66049 out of range" and no path;
#   - 2 images of 2 x 2: fewer than one batch of 64, so no training step
#     would run (it "trained" with a mean loss of 0.0000);
# and one it can read: gzipped images beside plain labels.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
# data DIR ROWS_OCTAL COLS_OCTAL BYTES: two images of ROWS x COLS (the
# sizes as two octal-escaped bytes each) and two labels, train and test
data() {
  mkdir -p "$1"
  for s in train t10k; do
    { printf '\000\000\010\003\000\000\000\002\000\000%b\000\000%b' "$2" "$3"
      head -c "$4" /dev/zero; } >"$1/$s-images-idx3-ubyte"
    printf '\000\000\010\001\000\000\000\002\003\007' >"$1/$s-labels-idx1-ubyte"
  done
}
# check NAME DIR MESSAGE
check() {
  "$emlsim" quant --data "$2" --epochs 1 -o "$out/$1.out" >/dev/null 2>"$out/$1.err"
  rc=$?
  if [ $rc = 1 ] && [ "$(cat "$out/$1.err")" = "$2: error: $3" ] && [ ! -e "$out/$1.out" ]; then
    echo "ok: $1: $3"
  else
    echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err")"
    ls "$out/$1.out" 2>/dev/null && echo "FAIL: $1: output left behind"
    fail=1
  fi
}
data "$out/big" '\001\001' '\001\001' 132098
check big "$out/big" "images of 257 x 257 = 66049 pixels: the MLP takes at most 65536 inputs"
data "$out/few" '\000\002' '\000\002' 8
check few "$out/few" "2 training images, fewer than one batch of 64: no training step would run"
# and a folder whose images are gzipped and whose labels are not (or the
# other way) is read, each file as it is (the labels were looked for as
# .gz beside .gz images): untrained, it runs
data "$out/mixed" '\000\002' '\000\002' 8
gzip "$out/mixed/train-images-idx3-ubyte" "$out/mixed/t10k-labels-idx1-ubyte"
if "$emlsim" quant --data "$out/mixed" --epochs 0 -o "$out/mixed.out" >/dev/null 2>"$out/mixed.err" &&
   [ -f "$out/mixed.out/quant.csv" ]; then
  echo "ok: mixed: gzipped and plain IDX files in one folder"
else
  echo "FAIL: mixed: $(cat "$out/mixed.err")"
  fail=1
fi
# --save naming a file the report writes into -o is refused before the data
# are read or the MLP trained (it was found after training, some 20 s on),
# and the folder is left as it was
mkdir -p "$out/same"
echo keep >"$out/same/keep"
"$emlsim" quant --data "$out/mixed" --epochs 1 --save "$out/same/quant.csv" -o "$out/same" \
  >/dev/null 2>"$out/same.err"
rc=$?
if [ $rc = 1 ] &&
   [ "$(cat "$out/same.err")" = "$out/same/quant.csv: error: the report and '--save' name the same file" ] &&
   [ -f "$out/same/keep" ] && [ ! -e "$out/same/quant.csv" ]; then
  echo "ok: same: --save onto the report's quant.csv refused"
else
  echo "FAIL: same: exit $rc, stderr: $(cat "$out/same.err")"
  fail=1
fi
exit $fail
