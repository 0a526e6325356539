#!/bin/sh
# sysfix_one_pe.sh EMLSIM OUT - a 1 x 1 output-stationary array takes a
# cycle a MAC, in every command and report.
#
# By hand: SCALE-Sim counts a layer folds x per-fold - 1 cycles, an os fold
# W + R + C - 2.  On 1 x 1 a fold is W cycles, so its count is MACs - 1:
# SCALE-Sim v2 (22f88b1, run here) divides by zero on gemm 1x1x1 and gives
# 1 cycle at 200 % for 1x1x2, 29 cycles at 103.4 % for 3x2x5.  One PE does
# one MAC a cycle, so T MACs take at least T cycles: emlsim counts folds x
# W there, 1x1x1 -> 1 cycle, 1x1x2 -> 2, 3x2x5 (30 MACs) -> 30, all at
# 100 %.  ws and is keep SCALE-Sim's figures (2R + C + T - 2 a fold, never
# under T): 3x2x5 ws 10 folds x 4 - 1 = 39, is 15 x 3 - 1 = 44, as
# SCALE-Sim gives them.  The sweep, breakeven (dense_cycles, P = 2 flops a
# MAC over 1 cycle) and study (latency 1 cycle at 1 GHz = 0.001 us) take
# the same cycle.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
row() { # workload dataflow: total_cycles and overall_util_pct of the layer
  "$emlsim" systolic "$1" --rows 1 --cols 1 --dataflow "$2" --format csv |
    awk -F, '$1 == "gemm" {print $4, $7}'
}
check "gemm:1x1x1 os" "$(row gemm:1x1x1 os)" "1 100.00"
check "gemm:1x1x2 os" "$(row gemm:1x1x2 os)" "2 100.00"
check "gemm:3x2x5 os" "$(row gemm:3x2x5 os)" "30 100.00"
check "gemm:3x2x5 ws (SCALE-Sim's)" "$(row gemm:3x2x5 ws)" "39 76.92"
check "gemm:3x2x5 is (SCALE-Sim's)" "$(row gemm:3x2x5 is)" "44 68.18"
# the closed form and the walk agree
check "gemm:1x1x2 closed form" \
  "$("$emlsim" systolic gemm:1x1x2 --rows 1 --cols 1 --closed-form --format csv | awk -F, '$1 == "gemm" {print $4, $7}')" \
  "2 100.00"
# JSON: a number where util was a bare inf (no JSON reader took it)
"$emlsim" systolic gemm:1x1x1 --rows 1 --cols 1 --format json >"$out/one.json" || fail=1
check "json util" "$(grep -c '"overall_util_pct":[[:space:]]*100.00,' "$out/one.json")" 2
check "json without inf or nan" "$(grep -ciE '[^a-z](inf|nan)[^a-z]' "$out/one.json")" 0
# python3 parses it: a test dependency (Makefile TEST_PACKAGES), a failure
# when absent, not a check skipped in silence
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/one.json" 2>/dev/null &&
    echo "ok: json parses" || { echo "FAIL: json does not parse"; fail=1; }
else
  echo "FAIL: no python3 to parse the JSON (Debian package python3; make test installs it)"
  fail=1
fi
# and the note says why the count differs from SCALE-Sim's
"$emlsim" systolic gemm:1x1x2 --rows 1 --cols 1 2>/dev/null | grep -q "^note: total_cycles on a 1 x 1 os array: folds x W" &&
  echo "ok: the note" || { echo "FAIL: no note on the 1 x 1 count"; fail=1; }
# SCALE-Sim's three reports: 2 cycles, 100 %, no inf
"$emlsim" systolic gemm:1x1x2 --rows 1 --cols 1 -o "$out/r" || fail=1
check "COMPUTE_REPORT" "$(sed -n 2p "$out/r/emlsim_run/COMPUTE_REPORT.csv")" "0, 2, 0, 100, 100, 100,"
check "reports without inf or nan" "$(cat "$out/r/emlsim_run/"*.csv | grep -ciE 'inf|nan')" 0
# sweep: cycles 1, EDP above 0
printf 'arch = systolic\nworkload = gemm:1x1x1\nrows = 1\ncols = 1\n' >"$out/one.spec"
"$emlsim" sweep "$out/one.spec" -o "$out/sweep.csv" 2>/dev/null || fail=1
check "sweep cycles, latency" "$(awk -F, 'NR == 2 {print $5, $6}' "$out/sweep.csv")" "1 0.001000"
# breakeven: the dense point's cycle, and its P
"$emlsim" breakeven gemm:1x1x1 --arch systolic --set rows=1 --set cols=1 >"$out/be.txt" 2>&1 || fail=1
check "breakeven dense_cycles" "$(awk '$1 == "0.000" {print $2}' "$out/be.txt")" 1
grep -q "P = 2 flops/cycle" "$out/be.txt" && echo "ok: breakeven P = 2 flops/cycle" ||
  { echo "FAIL: breakeven P: $(grep -o 'P = [^,]*' "$out/be.txt" | head -1)"; fail=1; }
# study: latency 0.001 us, and per mm^2 named for the one design with an area
"$emlsim" study gemm:1x1x1 --arch systolic --set systolic.rows=1 --set systolic.cols=1 \
  --accuracy none --sparsity none -o "$out/study" 2>/dev/null || fail=1
check "study int8 cycles, latency" \
  "$(awk -F, '$1 == "systolic" && $2 == "int8" {print $3, $4}' "$out/study/summary.csv")" "1 0.001000"
grep -q "| int8 *| per mm^2 .*(the only design at this width with an area)" "$out/study/report.md" &&
  echo "ok: study per mm^2" || { echo "FAIL: study per mm^2: $(grep '| int8 *| per mm^2' "$out/study/report.md")"; fail=1; }
exit $fail
