#!/usr/bin/env bash
# bench_systolic.sh BENCH [TIMING]
# Runs bench_systolic (BENCH, the built program) on every configuration of
# TIMING (default: tests/models/scalesim/timing.csv, SCALE-Sim v2's wall
# time and peak RSS recorded here with GNU time -v) and prints emlsim's
# figures beside SCALE-Sim's, one row per configuration, with the goal of
# issue 20 (USER bandwidth: 2,000x SCALE-Sim on every network; CALC:
# 10,000x on ResNet-18 32x32) and whether emlsim's three SCALE-Sim reports
# still equal SCALE-Sim's where they are recorded (golden_scalesim.sh with
# the emlsim beside BENCH, or $EMLSIM; "-": no recorded reports). SCALE-Sim
# itself is not run: it cannot be part of this project. To compare against
# a fresh reference run, pass its `time -v` output with
# `bench_systolic --ref-time`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=$1
timing=${2:-$here/scalesim/timing.csv}
emlsim=${EMLSIM:-$(cd "$(dirname "$bench")/../.." && pwd)/sim/emlsim}
# emlsim: median of 5 runs of every layer's simulation, wall and CPU time;
# the speedup is SCALE-Sim's wall time over emlsim's CPU time, which is
# what a run costs whatever else shares the cores (SCALE-Sim's runs, one
# each, had a core to themselves for most of their minutes). The machine
# is shared: wall figures vary by tens of percent.
printf '%-9s %5s %3s %5s | %9s %9s %6s | %8s %7s | %8s %7s %4s | %s\n' net array df mode \
  wall_s cpu_s MB ss_s ss_MB speedup goal met reports
grep -v '^#' "$timing" | tail -n +2 | while IFS=, read -r net n df mode wall kb; do
  case $net in
    gemm) topo=$root/workloads/topologies/gemm_test.csv ;;
    *) topo=$root/workloads/topologies/${net}_scalesim.csv ;;
  esac
  p=a suffix=
  [ "$mode" = USER ] && p=u suffix=_user
  cfg=$here/configs/$p${n}_$df.cfg
  out=$("$bench" "$topo" "$cfg" 5 --ref-figures "$wall" "$kb")
  s=$(sed -n 's/^emlsim: \([0-9.]*\) s median.*/\1/p' <<<"$out")
  cpu=$(sed -n 's/^emlsim: \([0-9.]*\) s CPU median.*/\1/p' <<<"$out")
  mb=$(sed -n 's/.*peak RSS \([0-9.]*\) MB$/\1/p' <<<"$out" | head -1)
  goal=-
  [ "$mode" = USER ] && goal=2000
  [ "$mode" = CALC ] && [ "$net" = resnet18 ] && [ "$n" = 32 ] && goal=10000
  want=$here/scalesim/${net}_${n}_${df}${suffix}.csv
  reports=-
  if [ -f "$want" ] && [ -x "$emlsim" ]; then
    if "$here/golden_scalesim.sh" "$emlsim" "$topo" "$cfg" "$want" >/dev/null 2>&1; then
      reports=equal
    else
      reports=DIFFER
    fi
  fi
  awk -v net="$net" -v n="$n" -v df="$df" -v mode="$mode" -v s="$s" -v cpu="$cpu" -v mb="$mb" \
      -v ws="$wall" -v kb="$kb" -v goal="$goal" -v rep="$reports" 'BEGIN {
    x = ws / cpu
    met = goal == "-" ? "-" : (x >= goal ? "yes" : "NO")
    printf "%-9s %5s %3s %5s | %9.6f %9.6f %6.1f | %8.2f %7.1f | %7.0fx %7s %4s | %s\n",
      net, n, df, mode, s, cpu, mb, ws, kb / 1024, x, goal, met, rep }'
done
