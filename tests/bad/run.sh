#!/usr/bin/env bash
# run.sh EMLSIM TESTS FILE - feeds one file of the bad-input corpus to the
# emlsim command that reads its kind, as EXPECTED says, and checks what a
# user sees: exit status 1 (no crash, no usage error), the first error line
# "TESTS/FILE:LINE:COL: error: MESSAGE..." exactly as EXPECTED gives it (a
# binary file, LOC "-", has no line or column: "TESTS/FILE: error: ..."),
# and no output file, whole or partial, left behind.
set -u
emlsim=$1 tests=$2 file=$3
here=$(cd "$(dirname "$0")" && pwd)
entry=$(awk -v f="$file" '$1 !~ /^#/ && $2 == f' "$here/EXPECTED")
[ -n "$entry" ] || { echo "FAIL: $file is not in EXPECTED"; exit 1; }
read -r kind _ loc msg <<<"$entry"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
mkdir "$out/o"
path=$tests/$file
case $kind in
  topology|onnx) cmd=("$emlsim" analyze "$path" -o "$out/o/out.csv") ;;
  energy) cmd=("$emlsim" analyze alexnet --energy-table "$path" -o "$out/o/out.csv") ;;
  cfg) cmd=("$emlsim" systolic "$tests/../workloads/topologies/gemm_test.csv" -c "$path"
            -o "$out/o/sa") ;;
  gpu) cmd=("$emlsim" simt --micro ffma --gpu "$path" -o "$out/o/simt") ;;
  trace) cmd=("$emlsim" simt "$path" -o "$out/o/simt") ;;
  spec) cmd=("$emlsim" sweep "$path" -o "$out/o/sweep.csv" --pareto "$out/o/pareto.csv") ;;
  idx|weights) # the file takes its slot in a Fashion-MNIST folder (the
    # training set's, or with -test- the test set's); the others are good
    mkdir "$out/data"
    for s in train t10k; do
      cp "$here/idx/good-images" "$out/data/$s-images-idx3-ubyte"
      cp "$here/idx/good-labels" "$out/data/$s-labels-idx1-ubyte"
    done
    case $file in
      *-test-images) slot=t10k-images-idx3-ubyte ;;
      *-test-labels) slot=t10k-labels-idx1-ubyte ;;
      *-images) slot=train-images-idx3-ubyte ;;
      *-labels) slot=train-labels-idx1-ubyte ;;
    esac
    cmd=("$emlsim" quant --data "$out/data" -o "$out/o/quant")
    if [ "$kind" = weights ]; then cmd+=(--load "$path") # an MLP's weights (models/README.md)
    else cmd+=(--epochs 1); cp "$path" "$out/data/$slot"; path=$out/data/$slot; fi ;;
  *) echo "FAIL: unknown kind '$kind' in EXPECTED"; exit 1 ;;
esac
"${cmd[@]}" >"$out/stdout" 2>"$out/stderr" </dev/null
rc=$?
fail=0
if [ "$rc" != 1 ]; then echo "FAIL: exit status $rc, expected 1"; fail=1; fi
if [ "$loc" = - ]; then want="$path: error: $msg"; else want="$path:$loc: error: $msg"; fi
got=$(grep -m1 ': error: ' "$out/stderr")
case $got in
  "$want"*) ;;
  *) echo "FAIL: the first error is"; echo "  $got"; echo "expected it to start with"
     echo "  $want"; fail=1 ;;
esac
left=$(cd "$out/o" && find . -mindepth 1 | head -5)
if [ -n "$left" ]; then echo "FAIL: output left behind:"; echo "$left"; fail=1; fi
if [ $fail = 1 ]; then echo "command: ${cmd[*]}"; echo "stderr:"; cat "$out/stderr"; fi
exit $fail
