#!/usr/bin/env bash
# determinism.sh EMLSIM TESTS - every command's output is the same byte for
# byte when run again, and the study's and breakeven's with 1 or 2 threads.  The only
# figures allowed to differ are the host's own speed, and they are kept out
# of the result tables: the study's timing.csv and simt's simt_timing.csv
# (left out here), and the report's "Run times" section and "The study took
# N s" (masked).  The sweep is checked across --jobs and MPI ranks by
# tests/sweep/same.sh.
set -u
emlsim=$1 tests=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
topo=$tests/../workloads/topologies/alexnet_scalesim.csv
# run TAG: every command, its outputs under $dir/TAG
run() {
  local o=$dir/$1 jobs=$2
  mkdir -p "$o"
  "$emlsim" analyze alexnet --format csv -o "$o/analyze.csv" &&
  "$emlsim" analyze resnet18 --bits 4:4 --format json -o "$o/analyze.json" &&
  "$emlsim" systolic "$topo" -c "$tests/models/configs/u32_ws.cfg" -o "$o/systolic" >/dev/null &&
  "$emlsim" bitserial alexnet --format csv -o "$o/bitserial.csv" &&
  "$emlsim" xnor alexnet --bits 1:1 --format csv -o "$o/xnor.csv" 2>/dev/null &&
  "$emlsim" simt "$tests/simt/data/accel/kernelslist.g" -o "$o/simt_trace" >/dev/null &&
  "$emlsim" simt "$tests/sweep/one_gemm.csv" --scheduler two_level -o "$o/simt_gen" >/dev/null &&
  "$emlsim" breakeven "$topo" --arch systolic --jobs "$jobs" -o "$o/breakeven.csv" >/dev/null &&
  "$emlsim" breakeven "$tests/sweep/one_gemm.csv" --sparsity 0:0.9:0.3 --jobs "$jobs" \
    -o "$o/breakeven_simt.csv" >/dev/null &&
  "$emlsim" study --workload "$topo" --arch simt,systolic,xnor --bits fp32,int8,binary \
    --sparsity 0,0.5 --repeat 1 --jobs "$jobs" -o "$o/study" >/dev/null 2>&1
}
# mask FILE: drops the report's run times (Markdown), in place
mask() {
  case $1 in
    *.md) awk '/^## / { skip = ($0 ~ /^## Run times/) } !skip { print }' "$1" |
            sed -E 's/(study took) [0-9.]+ s/\1 - s/' > "$1.m" ;;
    *) return ;;
  esac
  mv "$1.m" "$1"
}
run a 1 || { echo "FAIL: a run failed"; exit 1; }
run b 1 || { echo "FAIL: the repeated run failed"; exit 1; }
run c 2 || { echo "FAIL: the run with 2 threads failed"; exit 1; }
rm -f "$dir"/*/study/report.html # rendered from the same rows as report.md
rm -f "$dir"/*/study/timing.csv "$dir"/*/study/timing.json "$dir"/*/simt_*/simt_timing.csv # the host's times
# a folder's list of its files holds each one's size and hash: those left out
# or masked above are left out of it too
find "$dir" -name '.emlsim-*-files' -exec sed -i -E \
  '/ (timing\.csv|timing\.json|simt_timing\.csv|report\.md|report\.html)$/d' {} +
n=0
while IFS= read -r f; do mask "$f"; n=$((n + 1)); done < <(find "$dir" -type f)
fail=0
diff -r "$dir/a" "$dir/b" > "$dir/ab.diff" || { echo "FAIL: a second run differs:"; head -20 "$dir/ab.diff"; fail=1; }
diff -r "$dir/a" "$dir/c" > "$dir/ac.diff" || { echo "FAIL: 2 threads differ:"; head -20 "$dir/ac.diff"; fail=1; }
[ $fail = 0 ] && echo "$((n / 3)) output files identical across 2 runs and 1 or 2 threads"
exit $fail
