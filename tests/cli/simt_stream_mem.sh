#!/usr/bin/env bash
# simt_stream_mem.sh EMLSIM BENCH_TRACE - a 1.6 M-instruction Accel-Sim trace
# (bench_trace's kernel: 200 blocks x 8 warps x 1000 lines, 11 M lane
# addresses, 65 MB of text) replays under a 128 MiB address-space cap,
# because each warp's lines are read from the file as it runs.  Held in
# memory, as the reader did before streaming, the kernel alone takes 32 B a
# line and 8 B an address: 51 + 90 = 141 MB, past the cap (that reader
# stopped with "out of memory" under it and peaked at 167 MB without it).
# The cap is left off under AddressSanitizer, which reserves its shadow
# memory up front (as limits.sh does).
set -u
emlsim=$1 bench=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
mkdir "$dir/t"
"$bench" --write "$dir/t" 1600000 || { echo "FAIL: writing the trace"; exit 1; }
cap='ulimit -v 131072;'
ldd "$emlsim" 2>/dev/null | grep -q libasan && cap=''
bash -c "$cap"' "$0" simt "$1" --quiet -o "$2"' "$emlsim" "$dir/t" "$dir/out" 2> "$dir/err" ||
  { echo "FAIL: the replay under the cap failed:"; cat "$dir/err"; exit 1; }
# every instruction ran: 1,600,000, of which 1,600 EXITs
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "bench_stream" { print $h["warp_insts"] }' "$dir/out/simt_kernels.csv")
[ "$got" = 1600000 ] || { echo "FAIL: $got warp instructions, expected 1600000"; exit 1; }
echo "ok: 1.6 M warp instructions replayed under a 128 MiB cap"
