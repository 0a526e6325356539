#!/bin/sh
# leak_note.sh EMLSIM OUT - the conclusions' note on the XNOR array's gated
# leakage ("leaking its largest layer's (P mW) throughout its binary run
# would make its energy A uJ, not B") is left out where A and B print the
# same: a workload of one layer (gemm:1x1x1, one MAC) has that layer as its
# largest, so leaking its leakage throughout is the energy it has ("would
# make its energy 0.0003912 uJ, not 0.0003912" said nothing).  The
# SimpleCNN's six layers leak differently (its pools none of the weight
# memory its FCs use), so there the note stays, with two figures that
# differ.
set -u
E=$1 out=$2
fail=0
rm -rf "$out"
mkdir -p "$out"
run() { "$E" study "$1" --arch xnor,systolic --bits binary,int8 --accuracy none --sparsity none \
  --quiet -o "$out/$2" || { echo "FAIL: the study of $1"; exit 1; }; }
run gemm:1x1x1 one
run simplecnn cnn
if grep -q "leaking its largest layer" "$out/one/report.md"; then
  echo "FAIL: one layer: $(grep -m1 'leaking its largest layer' "$out/one/report.md")"; fail=1
else
  echo "ok: one layer: no note comparing its energy with itself"
fi
n=$(grep -m1 "^- note: xnor: .*leaking its largest layer" "$out/cnn/report.md")
a=$(printf '%s\n' "$n" | sed -n 's/.*would make its energy \([0-9.e+-]*\) uJ, not \([0-9.e+-]*\).*/\1/p')
b=$(printf '%s\n' "$n" | sed -n 's/.*would make its energy \([0-9.e+-]*\) uJ, not \([0-9.e+-]*\).*/\2/p')
if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; then
  echo "ok: six layers: the note stays, $a uJ against $b"
else
  echo "FAIL: six layers: '$n'"; fail=1
fi
exit $fail
