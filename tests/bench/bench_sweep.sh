#!/usr/bin/env bash
# bench_sweep.sh EMLSIM [JOBS] - how fast `emlsim sweep` simulates design
# points: a 10,080-point systolic sweep of ResNet-18 with a USER DRAM
# bandwidth (every point simulated: each layer's demand streams walked
# through the SRAM buffers, read and write stalls included), on JOBS
# threads (default 2). Prints the sweep's own figure (design points per
# second, which it says on stderr) and the process's CPU time beside the
# goal: 10,000 points in under a minute on two cores. A program that
# prints figures; it asserts nothing.
#
# On a machine whose cores other work shares, wall time includes waiting
# for a core: CPU time / JOBS is then what the run takes on JOBS free
# cores (the threads share nothing but the result table).
set -eu
if [ $# -lt 1 ] || [ ! -x "$1" ] || [ -d "$1" ]; then
  echo "usage: $0 EMLSIM [JOBS] (EMLSIM: the built emlsim program, e.g. build/sim/emlsim)" >&2
  exit 1
fi
emlsim=$1 jobs=${2:-2}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/r18_user.spec" <<'EOF'
# 4 x 4 x 3 x 7 x 5 x 3 x 2 = 10,080 design points
arch = systolic
workload = resnet18
rows = 16, 32, 64, 128
cols = 16, 32, 64, 128
dataflow = os, ws, is
bandwidth_mode = user
bandwidth = 1, 2, 4, 8, 16, 32, 64
ifmap_kb = 64, 128, 256, 512, 1024
ofmap_kb = 32, 64, 128
bits = 8:8, 4:4
EOF
TIMEFORMAT='%R %U %S'
{ time "$emlsim" sweep "$dir/r18_user.spec" --jobs "$jobs" -o "$dir/out.csv" 2>"$dir/err"; } \
  2>"$dir/time"
cat "$dir/err"
read -r wall user sys <"$dir/time"
points=$(($(wc -l <"$dir/out.csv") - 1))
failed=$(awk -F, 'NR > 1 && $(NF - 4) == ""' "$dir/out.csv" | wc -l)
awk -v p="$points" -v f="$failed" -v w="$wall" -v u="$user" -v s="$sys" -v j="$jobs" 'BEGIN {
  cpu = u + s
  printf "design points: %d (%d without figures: a combination that does not fit)\n", p, f
  printf "%-34s %10s %12s\n", "", "emlsim", "goal"
  printf "%-34s %10.1f %12s\n", "wall time (s)", w, "< 60"
  printf "%-34s %10.1f %12s\n", "design points / s (wall)", p / w, ">= 167"
  printf "%-34s %10.1f %12s\n", "CPU time (s)", cpu, ""
  printf "%-34s %10.2f %12s\n", "CPU time per point (ms)", 1000 * cpu / p, "<= 12"
  printf "%-34s %10.1f %12s\n", "on " j " free cores: CPU / " j " (s)", cpu / j, "< 60"
}'
