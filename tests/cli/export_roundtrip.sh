#!/bin/sh
# export_roundtrip.sh EMLSIM OUT - `emlsim workloads export` writes a file
# that reads back as the network it came from:
#   - ResNet-18's conv1 (224 x 224, 7 x 7, stride 2, padding 3: 112 outputs
#     a side) is written with an input of (112 - 1) x 2 + 7 = 229, not the
#     padded 230, which SCALE-Sim's rounded-up E = ceil((230 - 7 + 2) / 2)
#     = 113 would read as 113 outputs a side;
#   - every built-in whose layers all have a SCALE-Sim row has, read back,
#     each layer's MACs (analyze) and the systolic array's total cycles and
#     energy as the built-in itself (ResNet-18 read back with 1,850,023,104
#     MACs against 1,814,073,344);
#   - the built-ins set no widths, so the file has no width columns and
#     `emlsim systolic` runs it at its int8 default, as it runs the
#     built-in (the file once said fp32, which the array refuses);
#   - a padded convolution is written with its own input and padding in the
#     Input and Padding columns beside SCALE-Sim's IFMAP view, and an FC as
#     SCALE-Sim's 1 x 1 convolution of a 1 x 1 map, which reads back as an
#     FC: every model that runs the file gives the built-in's figures, the
#     XNOR array's DRAM bytes (it read AlexNet's padding zeros from DRAM as
#     input: 7,763,573 bytes against 7,753,621, each count a part byte
#     whole) and the GPU's kernels (the FCs ran as tiled GEMMs of one row,
#     FC-1 62,108 uJ against the GEMV's 27,996; workloads/README.md) included;
#   - export takes no --format (it was ignored).
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
"$emlsim" workloads export resnet18 -o "$out/resnet18.csv" 2>/dev/null || exit 1
grep -q '^conv1, 229, 229, 7, 7, 3, 64, 2, 1, 0, 1, 224, 224, 3, 3,$' "$out/resnet18.csv" &&
  echo "ok: conv1 written as 229 x 229" || { echo "FAIL: conv1: $(grep ^conv1 "$out/resnet18.csv")"; fail=1; }
head -1 "$out/resnet18.csv" | grep -q 'Bits' && { echo "FAIL: width columns for a network that sets none"; fail=1; }
for w in alexnet vgg16 resnet18 resnet50 mobilenetv2 inception5x5 simplecnn; do
  "$emlsim" workloads export "$w" -o "$out/$w.csv" 2>/dev/null || { echo "FAIL: export $w"; fail=1; continue; }
  # every layer with MACs: name and MACs, from the built-in and the file
  "$emlsim" analyze "$w" --format csv | awk -F, 'NR > 1 && $1 != "total" && $4 > 0 {print $1, $4}' >"$out/a"
  "$emlsim" analyze "$out/$w.csv" --format csv | awk -F, 'NR > 1 && $1 != "total" {print $1, $4}' >"$out/b"
  cmp -s "$out/a" "$out/b" || { echo "FAIL: $w: layers or MACs differ read back"; diff "$out/a" "$out/b" | head -4; fail=1; }
  a=$("$emlsim" systolic "$w" --format csv | tail -1 | cut -d, -f4,22)
  b=$("$emlsim" systolic "$out/$w.csv" --format csv | tail -1 | cut -d, -f4,22)
  [ -n "$a" ] && [ "$a" = "$b" ] && echo "ok: $w: $(wc -l <"$out/a") layers' MACs, systolic $a (cycles, pJ)" ||
    { echo "FAIL: $w: systolic '$a' built in, '$b' read back"; fail=1; }
  for m in bitserial xnor; do # totals: cycles to energy (the pooling layers have no row in either)
    a=$("$emlsim" $m "$w" --format csv | tail -1)
    b=$("$emlsim" $m "$out/$w.csv" --format csv | tail -1)
    [ -n "$a" ] && [ "$a" = "$b" ] && echo "ok: $w: $m's total as built in" ||
      { echo "FAIL: $w: $m '$a' built in, '$b' read back"; fail=1; }
  done
done
# the GPU: each kernel of the file (kernel, cycles, energy) as the built-in's
for w in simplecnn alexnet; do
  "$emlsim" simt "$w" --format csv 2>/dev/null | awk -F, 'NR > 1 && $1 != "total" {print $1, $5, $20}' >"$out/a"
  "$emlsim" simt "$out/$w.csv" --format csv 2>/dev/null | awk -F, 'NR > 1 && $1 != "total" {print $1, $5, $20}' >"$out/b"
  n=$(wc -l <"$out/b")
  [ "$n" -gt 0 ] && grep -Fxf "$out/a" "$out/b" | cmp -s - "$out/b" &&
    echo "ok: $w: simt's $n kernels as built in" ||
    { echo "FAIL: $w: simt kernels differ read back"; diff "$out/a" "$out/b" | head -6; fail=1; }
done
"$emlsim" workloads export alexnet --format csv -o "$out/f.csv" >/dev/null 2>"$out/f.err"
rc=$?
[ $rc = 2 ] && [ ! -e "$out/f.csv" ] && grep -q "no '--format'" "$out/f.err" &&
  echo "ok: --format refused" || { echo "FAIL: export --format: exit $rc, $(cat "$out/f.err")"; fail=1; }
exit $fail
