#!/usr/bin/env bash
# bench_trace.sh BUILD [N] - a long Accel-Sim trace (N warp instructions,
# default 20,000,000) written to a temporary folder and replayed with
# bounded memory (issue 20): bench_trace prints each pass's rate beside the
# simulation's and its peak RSS beside the 256 MB bound; then `emlsim simt`
# replays the same trace and GNU time gives the command's own peak RSS.
# The trace (about 1.2 GB for 20 M lines) is removed afterwards.
# A benchmark that prints figures, not a test.
set -eu
build=${1:?usage: bench_trace.sh BUILD [N]}
n=${2:-20000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/emlsim_bench_trace.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$build/tests/simt/bench_trace" "$dir" "$n"
echo
echo "emlsim simt on the same trace (the command line, its own process):"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "  %e s wall, %U s user, peak RSS %M KiB (bound 262144 KiB)" \
    "$build/sim/emlsim" simt "$dir" --quiet -o "$dir/out"
else
  "$build/sim/emlsim" simt "$dir" --quiet -o "$dir/out"
fi
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 != "total" { printf "  kernel %s: %s warp instructions, %s cycles\n", $1, $h["warp_insts"], $h["cycles"] }' \
  "$dir/out/simt_kernels.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 != "total" && ("sim_minst_per_s" in h) { printf "  simulation speed: %s M warp-inst/s\n", $h["sim_minst_per_s"] }' \
  "$dir/out/simt_timing.csv"
