#!/bin/sh
# trace_stale.sh EMLSIM OUT - a traced run into a folder an earlier traced
# run used leaves only its own traces there: three GEMM layers traced
# (layer0..layer2), then one into the same folder, leaves layer0 alone (a
# stale layer1 and layer2 beside a one-layer COMPUTE_REPORT.csv read as
# this run's); a layer folder holding a file of the user's is left as it
# was, and said.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
printf 'Layer name, M, N, K,\na, 8, 8, 8,\nb, 8, 8, 8,\nc, 8, 8, 8,\n' >"$out/three.csv"
printf 'Layer name, M, N, K,\na, 8, 8, 8,\n' >"$out/one.csv"
run="$out/T/emlsim_run"
"$emlsim" systolic "$out/three.csv" --trace -o "$out/T" >/dev/null || exit 1
[ -d "$run/layer2" ] || { echo "FAIL: three layers traced, no layer2"; exit 1; }
mkdir -p "$run/layer9" && : >"$run/layer9/mine.txt"
"$emlsim" systolic "$out/one.csv" --trace -o "$out/T" >/dev/null 2>"$out/err" || exit 1
layers=$(cd "$run" && ls -d layer* | tr '\n' ' ')
[ "$layers" = "layer0 layer9 " ] && echo "ok: the one-layer run left layer0 (and the user's layer9): $layers" ||
  { echo "FAIL: trace folders after the one-layer run: $layers"; fail=1; }
[ -f "$run/layer9/mine.txt" ] && grep -q "layer9: note: not this run's traces" "$out/err" &&
  echo "ok: layer9, with a file of the user's, left as it was and said" ||
  { echo "FAIL: layer9: $(ls "$run/layer9" 2>&1); stderr: $(cat "$out/err")"; fail=1; }
[ "$(grep -c . "$run/COMPUTE_REPORT.csv")" = 2 ] && echo "ok: COMPUTE_REPORT.csv has one layer" ||
  { echo "FAIL: COMPUTE_REPORT.csv: $(cat "$run/COMPUTE_REPORT.csv")"; fail=1; }
exit $fail
