#!/usr/bin/env bash
# stderr_file.sh - an output that is the file standard error goes to is
# refused, as one that is standard output's file is: its rename would
# replace the log (a new inode), and what the log held before the run with
# it (`emlsim analyze g.csv -o /dev/stderr 2>>log` left only the report).
#
# usage: stderr_file.sh EMLSIM SOURCE_DIR
#
# The message is the one base/em_outpath.h specifies for standard output,
# with "standard error" in its place; the log must keep its first line and
# its inode.
set -u
E=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# refused WHAT_OPT SHOWN_PATH CMD...: run CMD with stderr appended to log,
# which held one line before: exit 1, the log still that file with that line
# first, and the refusal last
refused() {
  local opt=$1 shown=$2
  shift 2
  echo OLDLOG >log
  local ino
  ino=$(stat -c %i log)
  "$@" >out.txt 2>>log </dev/null
  local rc=$?
  [ $rc = 1 ] || fail "exit $rc, expected 1: $*"
  [ "$(stat -c %i log)" = "$ino" ] || fail "the log was replaced (another inode): $*"
  [ "$(head -1 log)" = OLDLOG ] || fail "the log lost its first line: $*: $(head -3 log)"
  local want="$shown: error: '$opt' names the file standard error goes to, which writing it would replace ('-' writes to standard output)"
  [ "$(tail -1 log)" = "$want" ] || fail "stderr of '$*':
  got:      $(tail -1 log)
  expected: $want"
  [ -s out.txt ] && fail "something went to standard output: $*"
  local left
  left=$(find "$T" -name '*.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left: $left"
}

refused -o /dev/stderr "$E" analyze alexnet -o /dev/stderr
refused -o log "$E" analyze alexnet -o log
refused -o "$T/./log" "$E" workloads -o "$T/./log"
printf 'arch = systolic\nworkload = %s\nmode = closed\nrows = 8, 16\n' \
  "$SRC/tests/cli/data/gemm64.csv" >grid.spec
refused --pareto /dev/stderr "$E" sweep --quiet grid.spec -o grid.csv --pareto /dev/stderr
[ -e grid.csv ] && fail "sweep wrote its grid, refused"
refused -o /dev/stderr "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o /dev/stderr

# with standard error elsewhere the same file is an output like any other
echo OLDLOG >log
"$E" analyze alexnet --format csv -o log 2>/dev/null
rc=$?
[ $rc = 0 ] || fail "-o log with standard error elsewhere: exit $rc"
grep -q "^total," log || fail "-o log with standard error elsewhere: no report"

if [ $fails != 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: standard error's file is no output"
