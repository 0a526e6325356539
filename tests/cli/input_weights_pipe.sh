#!/bin/sh
# input_weights_pipe.sh EMLSIM OUT - a weight file from a pipe with more
# bytes than its header describes is refused as a regular file is: "overlong
# weight file", exit 1, nothing written (a pipe's length is not known up
# front, so the reader tries one byte past the counted ones).
#
# By hand, the 784-256-128-10 MLP's file is the 8-byte magic, the layer
# count (4 bytes), 4 widths (16 bytes), then 4 bytes a weight or bias:
# 784 x 256 + 256 + 256 x 128 + 128 + 128 x 10 + 10 = 235,146 parameters,
# 12 + 16 + 4 x 235,146 = 940,612 bytes.  SimpleCNN's size is that of the
# file --cnn-save wrote (wc -c).  The file twice over is overlong; once,
# through the same pipe, it is read.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out/D"
fail=0
# 64 images of 28 x 28 and their labels, one batch
python3 - "$out/D" <<'EOF' || exit 1
import struct, sys
n = 64
img = struct.pack('>IIII', 0x803, n, 28, 28) + bytes((i * 7) % 256 for i in range(n * 784))
lab = struct.pack('>II', 0x801, n) + bytes(i % 10 for i in range(n))
for s in ('train', 't10k'):
    open(f'{sys.argv[1]}/{s}-images-idx3-ubyte', 'wb').write(img)
    open(f'{sys.argv[1]}/{s}-labels-idx1-ubyte', 'wb').write(lab)
EOF
"$emlsim" quant --data "$out/D" --epochs 1 --train-only --save "$out/m.bin" >/dev/null 2>&1 ||
  { echo "FAIL: cannot make MLP weights"; exit 1; }
"$emlsim" quant --data "$out/D" --epochs 0 --cnn 1 --cnn-save "$out/c.bin" --finetune 0 --calib 64 \
  -o "$out/mk" >/dev/null 2>&1 || { echo "FAIL: cannot make SimpleCNN weights"; exit 1; }
cnn=$(wc -c <"$out/c.bin" | tr -d ' ')
# run NAME OPTION FILE COPIES WANT: the file COPIES times through a pipe
run() {
  i=0
  while [ $i -lt "$4" ]; do cat "$3"; i=$((i + 1)); done |
    "$emlsim" quant --data "$out/D" "$2" /dev/stdin --finetune 0 --calib 64 -o "$out/$1.out" \
      >/dev/null 2>"$out/$1.err"
  rc=$?
  if [ -z "$5" ]; then
    if [ $rc = 0 ] && [ -f "$out/$1.out/quant.csv" ]; then
      echo "ok: $1: read"
    else
      echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err")"
      fail=1
    fi
  elif [ $rc = 1 ] && [ "$(cat "$out/$1.err")" = "/dev/stdin: error: $5" ] && [ ! -e "$out/$1.out" ]; then
    echo "ok: $1: $5"
  else
    echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err")"
    fail=1
  fi
}
run mlp_once --load "$out/m.bin" 1 ""
run mlp_twice --load "$out/m.bin" 2 "overlong weight file: more than the 940612 bytes its header describes"
run cnn_once --cnn-load "$out/c.bin" 1 ""
run cnn_twice --cnn-load "$out/c.bin" 2 "overlong weight file: more than SimpleCNN's $cnn bytes"
exit $fail
