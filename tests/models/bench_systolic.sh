#!/usr/bin/env bash
# bench_systolic.sh BENCH [TIMING]
# Runs bench_systolic (BENCH, the built program) on every configuration of
# TIMING (default: tests/models/scalesim/timing.csv, SCALE-Sim v2's wall
# time and peak RSS recorded here with GNU time -v) and prints emlsim's
# figures beside SCALE-Sim's, one row per configuration. SCALE-Sim itself
# is not run: it cannot be part of this project. To compare against a fresh
# reference run, pass its `time -v` output with `bench_systolic --ref-time`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=$1
timing=${2:-$here/scalesim/timing.csv}
# emlsim: median (and min) of 5 runs of every layer's simulation; speedup
# from the median. The machine is shared: figures vary by tens of percent.
printf '%-9s %5s %3s %5s | %9s %9s %8s | %9s %8s | %8s %7s\n' net array df mode \
  emlsim_s min_s emlsim_MB ss_s ss_MB speedup mem_pct
grep -v '^#' "$timing" | tail -n +2 | while IFS=, read -r net n df mode wall kb; do
  case $net in
    gemm) topo=$root/workloads/topologies/gemm_test.csv ;;
    *) topo=$root/workloads/topologies/${net}_scalesim.csv ;;
  esac
  p=a; [ "$mode" = USER ] && p=u
  out=$("$bench" "$topo" "$here/configs/$p${n}_$df.cfg" 5 --ref-figures "$wall" "$kb")
  s=$(sed -n 's/^emlsim: \([0-9.]*\) s median.*/\1/p' <<<"$out")
  smin=$(sed -n 's/^emlsim: .* (min \([0-9.]*\)).*/\1/p' <<<"$out")
  mb=$(sed -n 's/.*peak RSS \([0-9.]*\) MB$/\1/p' <<<"$out" | head -1)
  awk -v net="$net" -v n="$n" -v df="$df" -v mode="$mode" -v s="$s" -v smin="$smin" -v mb="$mb" \
      -v ws="$wall" -v kb="$kb" 'BEGIN {
    printf "%-9s %5s %3s %5s | %9.6f %9.6f %8.1f | %9.2f %8.1f | %7.0fx %6.2f%%\n",
      net, n, df, mode, s, smin, mb, ws, kb / 1024, ws / s, 100 * mb / (kb / 1024) }'
done
