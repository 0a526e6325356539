#!/bin/sh
# stdin.sh EMLSIM SRC - '-' reads standard input wherever a text file is
# read: a topology, a SCALE-Sim .cfg, a GPU preset, a sweep spec. Each run
# on standard input must print what the same run on the file prints; two
# inputs on standard input are refused.
set -u
emlsim=$1 src=$2
topo=$src/workloads/topologies/alexnet_scalesim.csv
cfg=$src/tests/models/configs/a32_ws.cfg
gpu=$src/models/simt/data/gpu_jetson.cfg
spec=$src/tests/sweep/hand.spec
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
same() { # name, file-run output, stdin-run output
  if cmp -s "$2" "$3"; then echo "ok: $1"; else echo "FAIL: $1 differs on stdin"; diff "$2" "$3" | head -5; fail=1; fi
}
"$emlsim" analyze "$topo" --format csv >"$tmp/a1" && "$emlsim" analyze - --format csv <"$topo" >"$tmp/a2"
same "topology" "$tmp/a1" "$tmp/a2"
"$emlsim" systolic "$topo" -c "$cfg" --format csv >"$tmp/s1" &&
  "$emlsim" systolic "$topo" -c - --format csv <"$cfg" >"$tmp/s2"
same ".cfg" "$tmp/s1" "$tmp/s2"
"$emlsim" simt --micro ffma --gpu "$gpu" --format csv >"$tmp/g1" &&
  "$emlsim" simt --micro ffma --gpu - --format csv <"$gpu" >"$tmp/g2"
same "GPU preset" "$tmp/g1" "$tmp/g2"
# the spec's relative workload file is found beside it, or in the current
# folder when it comes on standard input
(cd "$src/tests/sweep" && "$emlsim" sweep "$spec" >"$tmp/w1" && "$emlsim" sweep - <"$spec" >"$tmp/w2")
same "sweep spec" "$tmp/w1" "$tmp/w2"
err=$("$emlsim" systolic - -c - <"$topo" 2>&1 >/dev/null); rc=$?
case "$rc:$err" in
  "2:emlsim systolic: error: '<workload>' and '--config' both read standard input"*) echo "ok: one standard input" ;;
  *) echo "FAIL: two inputs on stdin gave $rc: $err"; fail=1 ;;
esac
exit $fail
