#!/usr/bin/env bash
# outputs_first.sh - an output that cannot be written is refused before the
# run, as study and systolic refuse theirs: sweep, breakeven and simt made
# their outputs only after every point or kernel (AlexNet's break-even ran
# 22 s, simt's 6 s, before "/proc/b.csv: error: ..."), and then wrote none.
#
# How "before the run" shows: under EMLSIM_HOST_MEMORY=1M no GPU model fits
# (volta's takes some 50 MiB), so a simt or breakeven run that got as far
# as its GPU would fail on that, not on the output; sweep's systolic points
# do run, and a run says so on standard error ("2 design points in ...")
# before it wrote its outputs.  Either way standard error is to hold one
# line, the output's error.  The error's wording is em_outfile's; only its
# subject is checked here ("PATH: error: cannot ...").
#
# usage: outputs_first.sh EMLSIM SOURCE_DIR
#   Part 1 needs root: /proc and /sys take no new files even for root
#   (without root those folders are refused for want of permission before
#   any run already).  Part 2 needs a folder its user may not write: as
#   root it runs as nobody (setpriv, else su), and is skipped where neither
#   is there or nobody cannot reach EMLSIM.
# A part skipped (no root; no way to run as nobody: the machine's set-up,
# not a package) makes the test a skip ctest shows (exit 77,
# SKIP_RETURN_CODE), unless something failed; gnuplot missing fails (a
# dependency, Makefile DEB_PACKAGES).
set -u
E=$1
SRC=$2
SPEC=$SRC/tests/sweep/hand.spec
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0 skipped=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() { echo "skip: $*"; skipped=$((skipped + 1)); }

# run WANT_RC PATH CMD... : exit status WANT_RC, and standard error the one
# line "PATH: error: cannot ..."
run() {
  local want_rc=$1 path=$2
  shift 2
  "$@" >"$T/.out" 2>"$T/.err" </dev/null
  local rc=$?
  [ "$rc" = "$want_rc" ] || fail "exit $rc, expected $want_rc: $*"
  local lines first
  lines=$(wc -l <"$T/.err")
  first=$(head -n 1 "$T/.err")
  case "$first" in
    "$path: error: cannot "*) [ "$lines" = 1 ] || fail "more than the output's error from '$*':
$(cat "$T/.err")" ;;
    *) fail "'$*' did not refuse $path first:
$(cat "$T/.err")" ;;
  esac
  [ -s "$T/.out" ] && fail "'$*' wrote to standard output: $(head -n 2 "$T/.out")"
  true
}
# absent PATH... : none of them, and no temporary beside them, after a failed run
absent() {
  for p in "$@"; do
    [ -e "$p" ] && fail "$p exists after a failed run"
    ls -d "$p".tmp.* >/dev/null 2>&1 && fail "a temporary was left beside $p"
  done
  true
}

# ---- part 1: folders that take no new files (root) ----
if [ "$(id -u)" = 0 ]; then
  run 1 /proc/emlsim_grid.csv "$E" sweep "$SPEC" -o /proc/emlsim_grid.csv
  run 1 /sys/kernel/emlsim_grid.csv "$E" sweep "$SPEC" -o /sys/kernel/emlsim_grid.csv
  # a later output that cannot be written: the earlier ones are not written either
  run 1 /proc/emlsim_front.csv "$E" sweep "$SPEC" -o "$T/g.csv" --pareto /proc/emlsim_front.csv
  absent "$T/g.csv" "$T/g.json"
  export EMLSIM_HOST_MEMORY=1M
  run 1 /proc/emlsim_be.csv "$E" breakeven alexnet --arch simt --sparsity 0:0.5:0.25 \
    -o /proc/emlsim_be.csv
  run 1 /proc/emlsim_sd "$E" simt alexnet -o /proc/emlsim_sd
  run 1 /sys/kernel/emlsim_sd "$E" simt alexnet -o /sys/kernel/emlsim_sd
  run 1 /proc/emlsim_micro.csv "$E" simt --micro ffma -o /proc/emlsim_micro.csv
  if command -v gnuplot >/dev/null; then
    run 1 /proc/emlsim_be.png "$E" breakeven alexnet --arch simt --sparsity 0:0.5:0.25 \
      -o "$T/be.csv" --plot /proc/emlsim_be.png
    absent "$T/be.csv"
    unset EMLSIM_HOST_MEMORY
    run 1 /proc/emlsim_heat.png "$E" sweep "$SPEC" -o "$T/g.csv" --heatmap /proc/emlsim_heat.png
    absent "$T/g.csv" "$T/g.json"
  else
    fail "--plot and --heatmap into /proc: no gnuplot (Debian package gnuplot-nox)"
  fi
  unset EMLSIM_HOST_MEMORY
  echo "done: /proc and /sys"
else
  skip "/proc and /sys (not root: they are refused for want of permission already)"
fi

# ---- part 2: a folder its user may not write ----
# as_user CMD... : CMD as a user bound by permissions (root's is not)
if [ "$(id -u)" != 0 ]; then
  as_user() { "$@"; }
elif command -v setpriv >/dev/null; then
  as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
elif command -v su >/dev/null; then
  as_user() { su -s /bin/sh -c 'exec "$0" "$@"' -- nobody "$@"; }
else
  as_user() { return 125; }
fi
mkdir "$T/ro" && chmod 755 "$T" && chmod 555 "$T/ro"
if as_user "$E" --version >/dev/null 2>&1 && ! as_user touch "$T/ro/probe" 2>/dev/null; then
  # env: su passes no variable of ours
  run 1 "$T/ro/sd" as_user env EMLSIM_HOST_MEMORY=1M "$E" simt alexnet -o "$T/ro/sd"
  run 1 "$T/ro/micro.csv" as_user env EMLSIM_HOST_MEMORY=1M "$E" simt --micro ffma \
    -o "$T/ro/micro.csv"
  run 1 "$T/ro/be.csv" as_user env EMLSIM_HOST_MEMORY=1M "$E" breakeven alexnet --arch simt \
    --sparsity 0:0.5:0.25 -o "$T/ro/be.csv"
  run 1 "$T/ro/grid.csv" as_user "$E" sweep "$SPEC" -o "$T/ro/grid.csv"
  absent "$T/ro/sd" "$T/ro/micro.csv" "$T/ro/be.csv" "$T/ro/grid.csv"
  echo "done: a folder not writable"
else
  skip "a folder not writable (no setpriv or su, or nobody cannot run $E)"
fi

[ "$fails" != 0 ] && exit 1
[ "$skipped" != 0 ] && { echo "skipped: $skipped part(s); the rest passed"; exit 77; }
echo "ok: every output refused before the run"
