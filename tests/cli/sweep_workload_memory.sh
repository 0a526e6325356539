#!/usr/bin/env bash
# sweep_workload_memory.sh EMLSIM TMPDIR - the workloads a sweep loads are
# held through the whole sweep, so their layers count against the host
# memory budget (EMLSIM_HOST_MEMORY): 8 topologies of 10^6 layers held
# 2.1 GB under EMLSIM_HOST_MEMORY=1G.  The one past the budget is refused at
# its value in the SPEC, exit 1, nothing on stdout.  By hand:
#   sizeof(wl_layer) on LP64 (workloads/wl_layer.h): name 64; kind, op 4+4
#   = 72; in_h, in_w, in_c, k_h, k_w, out_c, stride_h/w, pad_h/w, groups
#   11 x 8 = 160; ceil_mode 1, padded to 168; batch, eltwise_inputs 16 =
#   184; m, n, k 24 = 208; b_is_activation, bias 2, w, a 2 + 2 = 214,
#   padded to 216; sparsity 8 = 224; pattern, nm_n, nm_m, block 4 x 4 =
#   240; src_line 8 = 248 bytes
#   a network's layer array grows by doubling from 16 (wl_network_add), so
#   4096 layers (16 x 2^8) hold exactly 4096 x 248 = 1,015,808 bytes
#   EMLSIM_HOST_MEMORY=1M: 1,048,576 bytes
#   one such topology:  1,015,808 <= 1,048,576: runs
#   two:                2,031,616 >  1,048,576: refused at the second,
#                       2,031,616 / 2^20 = 1.94 -> "1.9 MiB", budget "1.0 MiB"
set -u
emlsim=$1
tmp=$2
mkdir -p "$tmp"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# topo FILE PREFIX: 4096 conv layers, 8x8 input, 3x3 kernel, 16 -> 16 channels
topo() {
  { echo 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,'
    for i in $(seq 1 4096); do echo "$2$i, 8, 8, 3, 3, 16, 16, 1,"; done; } >"$1"
}
topo "$tmp/a.csv" A
topo "$tmp/b.csv" B

printf 'arch = analytic\nworkload = a.csv\n' >"$tmp/one.txt"
if EMLSIM_HOST_MEMORY=1M "$emlsim" sweep "$tmp/one.txt" >"$tmp/out" 2>"$tmp/err" &&
   [ "$(wc -l <"$tmp/out")" -eq 2 ]; then
  ok "one topology of 4096 layers under 1M: runs"
else
  bad "one topology under 1M: $(cat "$tmp/err")"
fi

printf 'arch = analytic\nworkload = a.csv, b.csv\n' >"$tmp/two.txt"
out=$(EMLSIM_HOST_MEMORY=1M "$emlsim" sweep "$tmp/two.txt" 2>"$tmp/err")
rc=$?
want="^$tmp/two.txt:2:19: error: workload 'b.csv': the layers of the 2 workloads up to it hold about 1\\.9 MiB of host memory, more than the 1\\.0 MiB a run may hold \\(EMLSIM_HOST_MEMORY\\)$"
if [ "$rc" -eq 1 ] && [ -z "$out" ] && grep -Eq "$want" "$tmp/err"; then
  ok "two topologies under 1M: refused at the second"
else
  bad "two topologies under 1M: exit $rc, stdout '${out:0:200}', stderr '$(cat "$tmp/err")'"
fi
# under the default budget (16G) both run
if "$emlsim" sweep "$tmp/two.txt" >"$tmp/out" 2>"$tmp/err" && [ "$(wc -l <"$tmp/out")" -eq 3 ]; then
  ok "two topologies under the default budget: run"
else
  bad "two topologies, default budget: $(cat "$tmp/err")"
fi
exit $fail
