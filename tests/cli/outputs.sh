#!/usr/bin/env bash
# outputs.sh - every output is a regular file, complete or absent (issue 16).
#
# usage: outputs.sh EMLSIM SOURCE_DIR
#
# Each case runs emlsim and checks the exit status, the exact error on
# stderr (the messages are specified in base/em_outpath.h, em_outfile.c and
# sim/emlsim.c, not copied from a run), and that nothing was left behind:
# no output, no `*.tmp.*`, the device, FIFO, input or older report unchanged.
set -u
E=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TOPO=$SRC/workloads/topologies/alexnet_scalesim.csv
CFG=$SRC/tests/models/configs/a32_os.cfg
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run WANT_RC WANT_STDERR CMD... : exit status and the whole of stderr
run() {
  local want_rc=$1 want_err=$2
  shift 2
  "$@" >"$T/.out" 2>"$T/.err" </dev/null
  local rc=$?
  [ "$rc" = "$want_rc" ] || fail "exit $rc, expected $want_rc: $*"
  local got
  got=$(cat "$T/.err")
  [ "$got" = "$want_err" ] || fail "stderr of '$*':
  got:      $got
  expected: $want_err"
}

# no temporaries anywhere under the test folder
no_tmp() {
  local left
  left=$(find "$T" -name '*.tmp.*' -o -name '.emlsim.tmp.*' | head -5)
  [ -z "$left" ] || fail "temporaries left ($1): $left"
}
absent() { for p in "$@"; do [ -e "$p" ] || [ -L "$p" ] && fail "$p exists after a failed run"; done; true; }

# ---- device nodes, FIFOs, sockets are refused, never replaced ----
run 1 "/dev/null: error: output is a character device, not a regular file" \
  "$E" analyze alexnet -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
run 1 "/dev/null: error: output is a character device, not a directory" \
  "$E" systolic alexnet -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
if [ "$(id -u)" = 0 ]; then
  mknod "$T/null" c 1 3
  run 1 "$T/null: error: output is a character device, not a regular file" \
    "$E" analyze alexnet --format csv -o "$T/null"
  [ -c "$T/null" ] || fail "the device node made with mknod was replaced"
  rm -f "$T/null"
fi
mkfifo "$T/fifo"
run 1 "$T/fifo: error: output is a FIFO, not a regular file" "$E" analyze alexnet -o "$T/fifo"
run 1 "$T/fifo: error: output is a FIFO, not a directory" "$E" simt simplecnn -o "$T/fifo"
[ -p "$T/fifo" ] || fail "the FIFO was replaced"
# python3 makes the socket: a test dependency (Makefile TEST_PACKAGES), so
# without it this case fails rather than passing unchecked
if command -v python3 >/dev/null; then
  python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$T/sock"
  run 1 "$T/sock: error: output is a socket, not a regular file" \
    "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/sock"
  [ -S "$T/sock" ] || fail "the socket was replaced"
else
  fail "no python3 to make a socket (Debian package python3; make test installs it)"
fi
mkdir "$T/adir"
run 1 "$T/adir: error: output is a directory, not a regular file" "$E" analyze alexnet -o "$T/adir"
# an empty path is the command line's mistake: a usage error, exit 2
run 2 "emlsim analyze: error: output path is empty
(try 'emlsim help analyze')" "$E" analyze alexnet -o ""
no_tmp devices

# ---- a new file's folder must be there: refused before the run, not
# after it (AlexNet's break-even took 100 s before it was refused). Under a
# host memory budget no GPU model fits, a run that started would fail on
# that instead ----
export EMLSIM_HOST_MEMORY=1M
run 1 "$T/none/be.csv: error: cannot create: No such file or directory" \
  "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/none/be.csv"
[ -e "$T/none" ] && fail "a folder was made for the file"
echo plain >"$T/plain"
run 1 "$T/plain/be.csv: error: cannot create: Not a directory" \
  "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/plain/be.csv"
if [ "$(id -u)" != 0 ]; then
  mkdir "$T/ro" && chmod 555 "$T/ro"
  run 1 "$T/ro/be.csv: error: cannot create: Permission denied" \
    "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/ro/be.csv"
  chmod 755 "$T/ro"
fi
unset EMLSIM_HOST_MEMORY
no_tmp folders

# ---- an output is never one of the run's inputs ----
cp "$TOPO" "$T/topo.csv"
run 1 "$T/./topo.csv: error: '-o' would overwrite '<workload>', an input of this run" \
  "$E" analyze "$T/topo.csv" -o "$T/./topo.csv"
cmp -s "$TOPO" "$T/topo.csv" || fail "the topology was overwritten"
ln "$T/topo.csv" "$T/hard.csv"
run 1 "$T/hard.csv: error: '-o' would overwrite '<workload>', an input of this run" \
  "$E" xnor "$T/topo.csv" -o "$T/hard.csv"
ln -s topo.csv "$T/soft.csv"
run 1 "$T/soft.csv: error: '-o' would overwrite '<workload>', an input of this run" \
  "$E" bitserial "$T/topo.csv" -o "$T/soft.csv"
cmp -s "$TOPO" "$T/topo.csv" || fail "the topology was overwritten through a link"
cp "$SRC/costmodel/energy/accelergy40.csv" "$T/energy.csv"
run 1 "$T/energy.csv: error: '-o' would overwrite '--energy-table', an input of this run" \
  "$E" analyze alexnet --energy-table "$T/energy.csv" -o "$T/energy.csv"
cmp -s "$SRC/costmodel/energy/accelergy40.csv" "$T/energy.csv" || fail "the energy table was overwritten"
cp "$CFG" "$T/a.cfg"
run 1 "$T/a.cfg: error: '-o' would overwrite '--config', an input of this run" \
  "$E" breakeven gemm:64x64x64 --arch systolic -c "$T/a.cfg" --sparsity 0:0.5:0.5 -o "$T/a.cfg"
cmp -s "$CFG" "$T/a.cfg" || fail "the config was overwritten"
cp -r "$SRC/tests/simt/data/accel" "$T/accel"
run 1 "$T/accel: error: '-o' would overwrite '<workload|trace>', an input of this run" \
  "$E" simt "$T/accel" -o "$T/accel"
printf 'arch = systolic\nworkload = topo.csv\nrows = 16, 32\ncols = 16\n' >"$T/grid.spec"
cp "$T/grid.spec" "$T/grid.spec.orig"
run 1 "$T/grid.spec: error: '--pareto' would overwrite 'SPEC', an input of this run" \
  "$E" sweep "$T/grid.spec" --pareto "$T/grid.spec"
run 1 "$T/topo.csv: error: '-o' would overwrite '<workload>', an input of this run" \
  "$E" sweep "$T/grid.spec" -o "$T/topo.csv"
cmp -s "$T/grid.spec.orig" "$T/grid.spec" || fail "the sweep spec was overwritten"
cmp -s "$TOPO" "$T/topo.csv" || fail "the spec's topology was overwritten"
echo weights >"$T/w.bin"
run 1 "$T/./w.bin: error: '--save' would overwrite '--cnn-load', an input of this run" \
  "$E" quant --cnn-load "$T/w.bin" --save "$T/./w.bin" -o "$T/q"
[ "$(cat "$T/w.bin")" = weights ] || fail "the weights were overwritten"
absent "$T/q"
# ... and one report of a folder is not allowed to land on an input either
mkdir -p "$T/sa_in/a32_os"
cp "$TOPO" "$T/sa_in/a32_os/COMPUTE_REPORT.csv"
run 1 "$T/sa_in/a32_os/COMPUTE_REPORT.csv: error: the report would overwrite '<workload>', an input of this run" \
  "$E" systolic "$T/sa_in/a32_os/COMPUTE_REPORT.csv" -c "$CFG" -o "$T/sa_in"
cmp -s "$TOPO" "$T/sa_in/a32_os/COMPUTE_REPORT.csv" || fail "a report replaced the input"
[ "$(ls "$T/sa_in/a32_os")" = COMPUTE_REPORT.csv ] || fail "a partial report set was left"
no_tmp inputs

# ---- the same output twice ----
run 1 "$T/./grid.csv: error: '-o' and '--pareto' name the same file" \
  "$E" sweep "$T/grid.spec" -o "$T/grid.csv" --pareto "$T/./grid.csv"
absent "$T/grid.csv"
run 2 "emlsim sweep: error: '-o' and '--pareto' both write to standard output
(try 'emlsim help sweep')" "$E" sweep "$T/grid.spec" -o - --pareto -
run 1 "$T/be.csv: error: '-o' and '--plot' name the same file" \
  "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/be.csv" --plot "$T/be.csv"
absent "$T/be.csv"
no_tmp twice

# ---- symbolic links are written through: the link stays a link ----
echo old >"$T/real.csv"
ln -s real.csv "$T/link.csv"
run 0 "" "$E" analyze alexnet --format csv -o "$T/link.csv"
[ -L "$T/link.csv" ] || fail "the symbolic link was replaced by a file"
# AlexNet's totals, from the study book (tests/cli/data/alexnet_book.csv)
grep -q "^total,,60965224,724406816," "$T/real.csv" || fail "the link's file was not written"
ln -s missing.csv "$T/dangling.csv"
run 1 "$T/dangling.csv: error: output is a symbolic link to a missing file" \
  "$E" analyze alexnet -o "$T/dangling.csv"
absent "$T/missing.csv"
[ -L "$T/dangling.csv" ] || fail "the dangling link was replaced"
# /dev/stdout into a pipe: /proc/self/fd/1 names "pipe:[N]", which no path
# reaches, yet it is there: a FIFO, not a missing file (it said missing)
"$E" analyze alexnet -o /dev/stdout 2>"$T/.err" </dev/null | cat >/dev/null
rc=${PIPESTATUS[0]}
[ "$rc" = 1 ] && [ "$(cat "$T/.err")" = "/dev/stdout: error: output is a FIFO, not a regular file" ] ||
  fail "-o /dev/stdout into a pipe: exit $rc, '$(cat "$T/.err")'"
mkdir "$T/realdir"
ln -s realdir "$T/dirlink"
run 0 "" "$E" simt simplecnn -o "$T/dirlink"
[ -L "$T/dirlink" ] && [ -f "$T/realdir/simt_kernels.csv" ] || fail "a folder link was not written through"
no_tmp links

# ---- a full disk (RLIMIT_FSIZE: every write fails with EFBIG) ----
# (stderr through a pipe, which the limit does not cover)
full() {
  { (trap '' XFSZ; ulimit -f 0; exec "$@") 2>&1 >/dev/null | cat >&2; }
  return "${PIPESTATUS[0]}"
}
run 1 "$T/sa/a32_os/COMPUTE_REPORT.csv: error: write error: File too large" \
  full "$E" systolic "$TOPO" -c "$CFG" -o "$T/sa"
absent "$T/sa"
# traces: the file that could not be written, and why (the model only knew
# that a DRAM trace failed), in both interface modes
run 1 "$T/tr/a32_os/layer0/IFMAP_SRAM_TRACE.csv: error: write error: File too large (layer 'Conv1')" \
  full "$E" systolic "$TOPO" -c "$CFG" --trace -o "$T/tr"
absent "$T/tr"
run 1 "$T/tr/a32_os/layer0/IFMAP_SRAM_TRACE.csv: error: write error: File too large (layer 'Conv1')" \
  full "$E" systolic "$TOPO" -c "$CFG" --bandwidth 10 --trace -o "$T/tr"
absent "$T/tr"
run 1 "$T/deep/er/simt/simt_kernels.csv: error: write error: File too large" \
  full "$E" simt simplecnn -o "$T/deep/er/simt"
absent "$T/deep"
# over an older, complete set: the older set stays as it was
run 0 "" "$E" systolic "$TOPO" -c "$CFG" -o "$T/sa"
cp -r "$T/sa" "$T/sa.before"
echo mine >"$T/sa/keep.txt"
run 1 "$T/sa/a32_os/COMPUTE_REPORT.csv: error: write error: File too large" \
  full "$E" systolic "$TOPO" -c "$CFG" --rows 16 -o "$T/sa"
rm "$T/sa/keep.txt"
diff -r "$T/sa.before" "$T/sa" >/dev/null || fail "a failed run changed the older report set"
# a successful run over it replaces its reports and leaves other files alone
echo mine >"$T/sa/keep.txt"
run 0 "" "$E" systolic "$TOPO" -c "$CFG" --rows 16 -o "$T/sa"
[ -f "$T/sa/keep.txt" ] || fail "a run removed a file of the output folder that is not its own"
cmp -s "$T/sa.before/a32_os/COMPUTE_REPORT.csv" "$T/sa/a32_os/COMPUTE_REPORT.csv" &&
  fail "the second run did not replace COMPUTE_REPORT.csv"
run 1 "$T/be.csv: error: write error: File too large" \
  full "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/be.csv"
absent "$T/be.csv"
# a sweep's JSON beside its CSV fails while it is written: the reason given
full "$E" sweep "$SRC/tests/sweep/grid.spec" -o "$T/sw.csv" >/dev/null 2>"$T/.err"
rc=$?
[ $rc = 1 ] || fail "sweep on a full disk: exit $rc"
grep -qx "$T/sw.json: error: write error: File too large" "$T/.err" ||
  fail "sweep on a full disk: $(cat "$T/.err")"
absent "$T/sw.csv" "$T/sw.json"
# standard output that cannot be written is an error too
run 1 "<stdout>: error: write error: No space left on device" sh -c "exec \"\$0\" help >/dev/full" "$E"
run 1 "<stdout>: error: write error: No space left on device" sh -c "exec \"\$0\" analyze alexnet >/dev/full" "$E"
run 1 "<stdout>: error: write error: No space left on device" sh -c "exec \"\$0\" --version >/dev/full" "$E"
no_tmp full

# ---- gnuplot missing: the run fails first and writes nothing ----
mkdir "$T/nobin" "$T/badbin"
run 1 "gnuplot: error: cannot run gnuplot: the plots need it (Debian: gnuplot-nox)" \
  env PATH="$T/nobin" "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/be.csv" --plot "$T/be.png"
absent "$T/be.csv" "$T/be.png"
run 1 "gnuplot: error: cannot run gnuplot: the plots need it (Debian: gnuplot-nox)" \
  env PATH="$T/nobin" "$E" study --workload simplecnn --sparsity none -o "$T/study"
absent "$T/study"
# a gnuplot that answers --version and then fails every plot
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "gnuplot 5.4"; exit 0; }\ncat >/dev/null\nexit 1\n' >"$T/badbin/gnuplot"
chmod +x "$T/badbin/gnuplot"
run 1 "$T/be.png: error: gnuplot could not write the plot" \
  env PATH="$T/badbin:$PATH" "$E" breakeven gemm:64x64x64 --sparsity 0:0.5:0.5 -o "$T/be.csv" --plot "$T/be.png"
absent "$T/be.csv" "$T/be.png"
PATH="$T/badbin:$PATH" "$E" study --workload simplecnn --sparsity none -o "$T/study" >/dev/null 2>"$T/.err"
rc=$?
[ $rc = 1 ] || fail "study with a failing gnuplot: exit $rc"
grep -Eq "^$T/study/plots/[a-z_]+\.(png|svg): error: gnuplot could not write the plot$" "$T/.err" ||
  fail "study with a failing gnuplot: $(cat "$T/.err")"
absent "$T/study"
no_tmp gnuplot

# ---- killed: SIGTERM and SIGINT remove every temporary, exit 143 / 130 ----
# The trace of AlexNet is over 1 GB: the run is killed as soon as its first
# temporary appears, long before it ends.
kill_run() { # SIGNAL WANT_RC OUTDIR
  set -m # the job's own process group, so SIGINT is not ignored in it
  "$E" systolic alexnet -c "$CFG" -o "$3" --trace >/dev/null 2>&1 &
  local pid=$! i
  set +m
  for i in $(seq 200); do
    [ -n "$(find "$T" -name '*.tmp.*' 2>/dev/null | head -1)" ] && break
    sleep 0.05
  done
  [ -n "$(find "$T" -name '*.tmp.*' | head -1)" ] || fail "no temporary appeared ($1)"
  kill -"$1" $pid
  wait $pid
  local rc=$?
  [ $rc = "$2" ] || fail "killed by SIG$1: exit $rc, expected $2"
}
kill_run TERM 143 "$T/trace"
absent "$T/trace"
no_tmp SIGTERM
kill_run INT 130 "$T/trace"
absent "$T/trace"
no_tmp SIGINT
mkdir "$T/trace"
echo mine >"$T/trace/keep.txt"
kill_run TERM 143 "$T/trace"
[ "$(ls -A "$T/trace")" = keep.txt ] || fail "a killed run left files in an existing folder: $(ls -A "$T/trace")"
no_tmp "SIGTERM, existing folder"
"$E" simt alexnet -o "$T/simt_killed" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ] || fail "simt alexnet killed by SIGTERM: exit $rc, expected 143"
absent "$T/simt_killed"
no_tmp "simt SIGTERM"

if [ $fails != 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: outputs are regular files, complete or absent"
