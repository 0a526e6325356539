#!/bin/sh
# small_data_counts.sh EMLSIM OUT - what quant and study say of a small
# Fashion-MNIST-style folder is the number of images really used:
#   - a study on 100 training images calibrates on those 100 (it said
#     "calibrated on 1000 training images", its default --calib);
#   - a study given --data with 1 training image, fewer than one batch of
#     64, is refused as quant refuses it (it "trained" and reported
#     accuracies): exit 1, the folder named, nothing written;
#   - quant --epochs 0 on 1 image says no fine-tuning step ran (it noted
#     "fine-tuning: 1 epoch(s)"), and its calibration takes the 1 image
#     there is, not the default 1000 nor '--calib 60000';
#   - quant --cnn 1 on 1 image is refused as the MLP's training is.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
# data DIR NTRAIN_OCTAL NTRAIN: NTRAIN black 28 x 28 training images and
# 10 test images, labels 0 (the count as one octal-escaped byte)
data() {
  mkdir -p "$1"
  { printf '\000\000\010\003\000\000\000%b\000\000\000\034\000\000\000\034' "$2"
    head -c $(($3 * 784)) /dev/zero; } >"$1/train-images-idx3-ubyte"
  { printf '\000\000\010\001\000\000\000%b' "$2"; head -c "$3" /dev/zero; } >"$1/train-labels-idx1-ubyte"
  { printf '\000\000\010\003\000\000\000\012\000\000\000\034\000\000\000\034'
    head -c 7840 /dev/zero; } >"$1/t10k-images-idx3-ubyte"
  { printf '\000\000\010\001\000\000\000\012'; head -c 10 /dev/zero; } >"$1/t10k-labels-idx1-ubyte"
}
data "$out/d100" '\144' 100
data "$out/d1" '\001' 1
study() {
  "$emlsim" study --arch analytic --bits fp32,int8 --sparsity none --repeat 1 --quiet \
    --cache none "$@"
}
# 100 training images: calibrated on 100
if study --data "$out/d100" -o "$out/s100" 2>"$out/s100.err" &&
   grep -q "over the first 100 training images, .* activation ranges calibrated on 100 training images[.:]" "$out/s100/report.md"; then
  ok "study on 100 images: calibrated on 100"
else
  bad "study on 100 images: $(cat "$out/s100.err"; grep -o 'calibrated on [0-9]* training images' "$out/s100/report.md" 2>/dev/null)"
fi
# 1 training image with --data: refused
msg="$out/d1: error: 1 training images, fewer than one batch of 64: no training step would run"
study --data "$out/d1" -o "$out/s1" >/dev/null 2>"$out/s1.err"
rc=$?
if [ $rc = 1 ] && [ "$(cat "$out/s1.err")" = "$msg" ] && [ ! -e "$out/s1" ]; then
  ok "study --data on 1 image refused"
else
  bad "study --data on 1 image: exit $rc, stderr: $(cat "$out/s1.err")"
fi
# quant --epochs 0 on 1 image: no fine-tuning step, 1 calibration image
if "$emlsim" quant --data "$out/d1" --epochs 0 --quiet -o "$out/q1" 2>"$out/q1.err" &&
   grep -q '"fine-tuning: none ran: 1 training images, fewer than one batch of 64' "$out/q1/pruning.json" &&
   ! grep -q 'fine-tuning: 1 epoch' "$out/q1/pruning.json" &&
   grep -q '"calibration: activation ranges from all 1 training images (the default is 1000' "$out/q1/quant.json"; then
  ok "quant on 1 image: no fine-tuning, 1 calibration image"
else
  bad "quant on 1 image: $(cat "$out/q1.err")"
fi
if "$emlsim" quant --data "$out/d100" --epochs 1 --calib 60000 --quiet -o "$out/q100" 2>"$out/q100.err" &&
   grep -q '"calibration: activation ranges from all 100 training images (.--calib. asked for 60000' "$out/q100/quant.json" &&
   grep -q '"fine-tuning: 1 epoch(s) with the masks held"' "$out/q100/pruning.json"; then
  ok "quant --calib 60000 on 100 images: 100 calibration images"
else
  bad "quant --calib 60000 on 100 images: $(cat "$out/q100.err")"
fi
"$emlsim" quant --data "$out/d1" --epochs 0 --cnn 1 --quiet -o "$out/qc" 2>"$out/qc.err"
rc=$?
if [ $rc = 1 ] && [ "$(cat "$out/qc.err")" = "$msg" ] && [ ! -e "$out/qc" ]; then
  ok "quant --cnn 1 on 1 image refused"
else
  bad "quant --cnn 1 on 1 image: exit $rc, stderr: $(cat "$out/qc.err")"
fi
exit $fail
