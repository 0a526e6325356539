#!/bin/sh
# accuracy.sh EMLSIM - the study's SimpleCNN beside the workload, on a small
# Fashion-MNIST look-alike written here (200 images of 28 x 28, each image a
# flat grey of 25 x its label) so that training takes a second:
#   - the first run trains and writes the cache (weights, checksum, one
#     accuracy file per integer width, with each test image's outcome for
#     the comparison with fp32); the second reads it back and its
#     tables are the same byte for byte;
#   - a cache file with a byte flipped, or cut short, is retrained or
#     re-evaluated, never trusted: the tables stay the same and the file is
#     rewritten as it was;
#   - summary.csv: accuracy on the SimpleCNN's int8 rows, the same on every
#     model (it is the network's, not the hardware's), n/a (empty) on the
#     AlexNet rows and the binary SimpleCNN; --workload simplecnn puts it on
#     the workload's own rows; --accuracy none leaves the SimpleCNN out;
#   - a FIFO in the cache's place (weights, an accuracy) is not read: the
#     study retrains and re-evaluates instead of waiting for a writer;
#   - a --data folder that does not exist is an error, with no report left.
set -u
emlsim=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
mkdir "$tmp/data"
n=200
{ printf '\000\000\010\003\000\000\000\310\000\000\000\034\000\000\000\034'
  i=0; while [ $i -lt $n ]; do
    head -c 784 /dev/zero | tr '\000' "\\$(printf %03o $((25 * (i % 10))))"; i=$((i + 1))
  done; } >"$tmp/data/train-images-idx3-ubyte"
{ printf '\000\000\010\001\000\000\000\310'
  i=0; while [ $i -lt $n ]; do printf "\\$(printf %03o $((i % 10)))"; i=$((i + 1)); done
} >"$tmp/data/train-labels-idx1-ubyte"
cp "$tmp/data/train-images-idx3-ubyte" "$tmp/data/t10k-images-idx3-ubyte"
cp "$tmp/data/train-labels-idx1-ubyte" "$tmp/data/t10k-labels-idx1-ubyte"
study() { # OUT [options]
  o=$1; shift
  "$emlsim" study --arch systolic,bitserial --bits int8,binary --sparsity none --repeat 1 \
    --data "$tmp/data" --cache "$tmp/cache" --quiet -o "$tmp/$o" "$@" 2>"$tmp/$o.err"
}
runtimes() { sed -n '/^## Run times/,$p' "$tmp/$1/report.md"; }
same() { # RUN: its result tables equal the first run's
  for f in summary.csv energy.csv accuracy.csv; do
    cmp -s "$tmp/r1/$f" "$tmp/$1/$f" || bad "$1: $f differs from the first run's"
  done
}
study r1 || { bad "first run: $(cat "$tmp/r1.err")"; exit 1; }
bin=$(ls "$tmp"/cache/simplecnn-*.bin 2>/dev/null)
[ -n "$bin" ] && [ -f "${bin%.bin}.sum" ] && ok "weights and checksum cached" || bad "no cache"
acc=$(ls "$tmp"/cache/simplecnn-*-int8-*.acc 2>/dev/null)
[ -n "$acc" ] && ok "int8 accuracy cached" || bad "no int8 accuracy in the cache"
# with each test image's outcome: 200 images, a bit each, 25 bytes in hex
grep -q '^right [0-9a-f]\{50\}$' "$acc" && ok "the accuracy file holds 200 outcomes" ||
  bad "no outcomes in the accuracy file: $(sed -n 2p "$acc" | cut -c1-80)"
runtimes r1 | grep -q "SimpleCNN was trained" && ok "first run trained" || bad "first run did not train"
cp "$bin" "$tmp/bin.orig"
cp "$acc" "$tmp/acc.orig"

study r2 || bad "second run failed"
runtimes r2 | grep -q "weights came from the cache" && ok "second run read the cache" ||
  bad "second run did not use the cache"
same r2

# one byte of the weights flipped, the length kept: the checksum fails
printf '\377' | dd of="$bin" bs=1 seek=1000 conv=notrunc 2>/dev/null
study r3 || bad "run on a corrupt cache failed"
runtimes r3 | grep -q "failed their checksum: retrained" && ok "flipped byte: retrained" ||
  bad "a corrupt weight file was trusted"
same r3
cmp -s "$bin" "$tmp/bin.orig" && ok "weights rewritten as they were" || bad "weights not rewritten"

# the weights cut short, the checksum file left as it was
head -c 5000 "$tmp/bin.orig" >"$bin"
study r4 || bad "run on a truncated cache failed"
runtimes r4 | grep -q "retrained" && ok "truncated weights: retrained" || bad "truncated weights trusted"
same r4

# an accuracy file with its figure changed but not its checksum
sed 's/^accuracy_pct .*/accuracy_pct 99.5/' "$tmp/acc.orig" >"$acc"
study r5 || bad "run on a corrupt accuracy file failed"
same r5
cmp -s "$acc" "$tmp/acc.orig" && ok "accuracy re-evaluated and rewritten" ||
  bad "a corrupt accuracy file was trusted"

# a FIFO in place of the weights and of an accuracy file (no writer: an
# open would wait for ever): not read, retrained and re-evaluated, within 60 s
rm -f "$bin" "$acc"
mkfifo "$bin" "$acc"
if command -v timeout >/dev/null; then to="timeout 60"; else to=; fi
o=r6; $to "$emlsim" study --arch systolic,bitserial --bits int8,binary --sparsity none --repeat 1 \
  --data "$tmp/data" --cache "$tmp/cache" --quiet -o "$tmp/$o" 2>"$tmp/$o.err"
rc=$?
[ $rc = 0 ] && ok "FIFOs in the cache: the study ran" || bad "FIFOs in the cache: exit $rc"
runtimes r6 | grep -q "unusable (.*not a regular file\|unusable (.*pipe" &&
  ok "a FIFO for weights: retrained" || bad "a FIFO for weights: $(runtimes r6 | grep -i weights)"
[ $rc = 0 ] && same r6
rm -f "$bin" "$acc"

# summary.csv: arch,bits,...,pareto,pareto_noise,workload,accuracy_pct,area_mm2,...
s=$tmp/r1/summary.csv
a_sys=$(awk -F, '$1 == "systolic" && $2 == "int8" && $10 == "simplecnn" {print $11}' "$s")
a_bs=$(awk -F, '$1 == "bitserial" && $2 == "int8" && $10 == "simplecnn" {print $11}' "$s")
case $a_sys in [0-9]*.[0-9][0-9]) ok "simplecnn int8 accuracy $a_sys %" ;;
  *) bad "simplecnn int8 accuracy '$a_sys'" ;; esac
[ "$a_sys" = "$a_bs" ] && ok "the same accuracy on both arrays" || bad "accuracy $a_sys vs $a_bs"
got=$(awk -F, '$10 == "alexnet" && ($11 != "" || $9 != "")' "$s" | head -1)
[ -z "$got" ] && ok "alexnet: accuracy and its front n/a" || bad "alexnet with an accuracy: $got"
got=$(awk -F, '$10 == "simplecnn" && $2 == "binary" && ($11 != "" || $8 != "" || $9 != "")' "$s" | head -1)
[ -z "$got" ] && ok "binary simplecnn: accuracy and fronts n/a" || bad "binary simplecnn: $got"

study own --workload simplecnn || bad "--workload simplecnn failed"
got=$(awk -F, '$10 == "simplecnn" && $1 == "systolic" && $2 == "int8" {print $11}' \
  "$tmp/own/summary.csv")
rows=$(grep -c ',simplecnn,' "$tmp/own/summary.csv")
[ "$got" = "$a_sys" ] && [ "$rows" = 4 ] && ok "--workload simplecnn: its own rows carry it" ||
  bad "--workload simplecnn: accuracy '$got', $rows rows"

"$emlsim" study --arch systolic,bitserial --bits int8,binary --sparsity none --repeat 1 \
  --accuracy none --quiet -o "$tmp/none" 2>"$tmp/none.err" || bad "--accuracy none failed"
grep -q ',simplecnn,' "$tmp/none/summary.csv" && bad "--accuracy none ran the SimpleCNN" ||
  ok "--accuracy none: cost only"

"$emlsim" study --arch systolic --bits int8 --sparsity none --repeat 1 --data "$tmp/nothere" \
  --cache "$tmp/cache" --quiet -o "$tmp/nodata" 2>"$tmp/nodata.err"
rc=$?
[ $rc = 1 ] && grep -q "error: " "$tmp/nodata.err" && [ ! -e "$tmp/nodata" ] &&
  ok "missing --data: exit 1, no report" || bad "missing --data: exit $rc, $(cat "$tmp/nodata.err")"
# ... and it is found before the models run: a GPU too large to model
# (4096 SMs of 16 MiB of L1: tens of GiB, cli.simt_gpu_too_large) would
# otherwise fail the study first
printf 'n_sm = 4096\nl1_bytes = 16777216\n' >"$tmp/big.cfg"
"$emlsim" study --arch simt --bits fp32 --sparsity none --repeat 1 --gpu "$tmp/big.cfg" \
  --data "$tmp/nothere" --cache "$tmp/cache" --quiet -o "$tmp/nodata" 2>"$tmp/nodata.err"
rc=$?
[ $rc = 1 ] && grep -q "^$tmp/nothere: error: no Fashion-MNIST here" "$tmp/nodata.err" &&
  [ ! -e "$tmp/nodata" ] && ok "missing --data: found before the models run" ||
  bad "missing --data before the models: exit $rc, $(cat "$tmp/nodata.err")"
[ $fail = 0 ] && echo "ok: the SimpleCNN's accuracy, cached and checked"
exit $fail
