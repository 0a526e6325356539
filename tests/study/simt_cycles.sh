#!/bin/sh
# simt_cycles.sh EMLSIM - one design point, one answer: the study's simt
# row counts a layer's cycles as the model table gives them, each kernel's
# launch with its run, which `emlsim simt` splits into launch_cycles and
# cycles (its time_us is their sum).  SimpleCNN on jetson: 6 kernels of
# 5,000 launch cycles each, 30,000 + 30,326 = 60,326 at 1300 MHz, 46.405
# us; the study printed 60,326 where `emlsim simt`'s total cycles column
# said 30,326, and said nothing.  Its summary's note says it now.
set -u
emlsim=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$emlsim" simt simplecnn --gpu jetson --format csv >simt.csv 2>/dev/null || { echo "FAIL: simt"; exit 1; }
"$emlsim" study simplecnn --arch simt --gpu jetson --bits fp32 --sparsity none --accuracy none \
  --repeat 1 --quiet -o st >/dev/null 2>&1 || { echo "FAIL: study"; exit 1; }
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 != "total" { s += $h["launch_cycles"] + $h["cycles"] } END { print s }' simt.csv)
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "simt" { print $h["cycles"] }' st/summary.csv)
[ -n "$want" ] && [ "$want" = "$got" ] && echo "ok: the study's simt cycles $got = emlsim simt's launch_cycles + cycles" ||
  { echo "FAIL: study $got, emlsim simt's launch_cycles + cycles $want"; fail=1; }
grep -q "cycles: the simt rows' count each kernel's launch with its run" st/report.md &&
  echo "ok: the summary says so" || { echo "FAIL: no note in report.md"; fail=1; }
exit $fail
