#!/usr/bin/env bash
# signals.sh - every signal that ends a run removes its temporaries first,
# and the run still dies of it (exit 128 + the signal's number).
#
# usage: signals.sh EMLSIM SOURCE_DIR
#
# Only SIGINT, SIGTERM, SIGHUP and SIGPIPE were handled: SIGXCPU (what
# `ulimit -t` and a batch scheduler's CPU limit send), SIGALRM, SIGUSR1 and
# the others killed the run and left its staging folder, TRACE.tmp.XXXXXX,
# hundreds of MB of trace.  The numbers come from `kill -l` (the system's),
# not from a run; no `*.tmp.*` may be left anywhere under the test folder.
set -u
E=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ulimit -c 0 # SIGQUIT and SIGXCPU dump core by default: no core file here
CFG=$SRC/tests/models/configs/a32_os.cfg
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# the run is the trace of AlexNet, over 1 GB and many seconds: it is killed
# as soon as its first temporary appears, long before it ends
started() {
  local i
  for i in $(seq 200); do
    [ -n "$(find "$T" -name '*.tmp.*' 2>/dev/null | head -1)" ] && return 0
    sleep 0.05
  done
  return 1
}

no_tmp() {
  local left
  left=$(find "$T" -name '*.tmp.*' -o -name '.emlsim.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left ($1): $left"
  [ -e "$T/trace" ] && fail "a killed run left its output ($1)"
  rm -rf "$T/trace" "$T"/*.tmp.*
}

# kill_run SIGNAL: the run killed by SIGNAL exits 128 + its number
kill_run() {
  local want=$((128 + $(kill -l "$1")))
  set -m # the job's own process group: a background job's SIGQUIT is not ignored
  "$E" systolic alexnet -c "$CFG" -o "$T/trace" --trace >/dev/null 2>&1 &
  local pid=$!
  set +m
  started || fail "no temporary appeared (SIG$1)"
  kill -"$1" $pid
  wait $pid
  local rc=$?
  [ $rc = "$want" ] || fail "killed by SIG$1: exit $rc, expected $want"
  no_tmp "SIG$1"
}

for sig in USR1 USR2 ALRM XCPU VTALRM PROF QUIT RTMIN; do kill_run $sig; done

# the real thing: a CPU limit of 1 s (soft, so the kernel sends SIGXCPU, not
# the SIGKILL of a hard limit) on a run that needs many
(
  ulimit -S -t 1
  exec "$E" systolic alexnet -c "$CFG" -o "$T/trace" --trace >/dev/null 2>&1
)
rc=$?
want=$((128 + $(kill -l XCPU)))
[ $rc = "$want" ] || fail "under 'ulimit -S -t 1': exit $rc, expected $want"
no_tmp "ulimit -t"

# a signal the caller ignores stays ignored: the run goes on and SIGTERM,
# still handled, ends it cleanly
(
  trap '' USR1
  exec "$E" systolic alexnet -c "$CFG" -o "$T/trace" --trace >/dev/null 2>&1
) &
pid=$!
started || fail "no temporary appeared (SIGUSR1 ignored)"
kill -USR1 $pid
sleep 0.3
kill -0 $pid 2>/dev/null || fail "an ignored SIGUSR1 ended the run"
kill -TERM $pid
wait $pid
rc=$?
want=$((128 + $(kill -l TERM)))
[ $rc = "$want" ] || fail "SIGUSR1 ignored, then SIGTERM: exit $rc, expected $want"
no_tmp "SIGUSR1 ignored"

if [ $fails != 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: every signal removed the temporaries"
