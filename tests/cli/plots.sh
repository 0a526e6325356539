#!/usr/bin/env bash
# plots.sh - the single-PNG plots: `breakeven --plot` and `sweep --heatmap`
# are pictures with their data drawn (tests/study/png_check), and every bad
# use of --heatmap fails with its exact error and leaves nothing behind.
#
# usage: plots.sh EMLSIM SOURCE_DIR PNG_CHECK
#
# The messages are those specified in sim/cmd_sweep.c (the --heatmap help),
# sim/sim_output.c (gnuplot missing), plots/plt_plot.c (gnuplot failing) and
# base/em_outpath.c (two outputs in one file), not copied from a run.
set -u
E=$1
SRC=$2
PNG=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1 # gnuplot runs here: a name it ran as a command would leave its file here
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

absent() {
  for f in "$@"; do [ -e "$f" ] && fail "$f exists after a failed run"; done
  local left
  left=$(find "$T" -name '*.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left: $left"
}

# ---- breakeven --plot: speedup on a log axis centred on 1x (900 x 600) ----
run 0 "" "$E" breakeven gemm:64x64x64 --sparsity 0:0.9:0.1 --plot "$T/be.png"
"$PNG" --size 900x600 "$T/be.png" || fail "breakeven --plot is not a plot"

# ---- sweep --heatmap ----
# 4 rows x 3 cols x 2 dataflows on the closed-form model: a 4 x 3 heat map
cat >"$T/hm.spec" <<'EOF'
arch = systolic
workload = alexnet
mode = closed
rows = 8, 16, 32, 64
cols = 8, 16, 32
dataflow = os, ws
EOF
run 0 "" "$E" sweep --quiet "$T/hm.spec" -o "$T/hm.csv" --heatmap "$T/hm.png"
"$PNG" --size 900x700 "$T/hm.png" || fail "sweep --heatmap is not a plot"
# 1 header + 4 x 3 x 2 points
[ "$(wc -l <"$T/hm.csv")" = 25 ] || fail "hm.csv has $(wc -l <"$T/hm.csv") lines, expected 25"
# two workloads: a cell is the geometric mean of a point's EDPs
cat >"$T/hm2.spec" <<'EOF'
arch = systolic
workload = alexnet, inception5x5
mode = closed
rows = 16, 32
cols = 16
EOF
run 0 "" "$E" sweep --quiet "$T/hm2.spec" -o "$T/hm2.csv" --heatmap "$T/hm2.png"
"$PNG" --size 900x700 "$T/hm2.png" || fail "a 2 x 1 heat map over two workloads is not a plot"
# the SPEC's name and its one workload's are in the title: names that
# gnuplot would run as commands if they reached it unquoted
cp "$SRC/workloads/topologies/alexnet_scalesim.csv" "$T/w\`touch pwned\`.csv"
cat >"$T/h\`touch pwned\`.spec" <<'EOF'
arch = systolic
workload = w`touch pwned`.csv
mode = closed
rows = 16, 32
cols = 16, 32
EOF
run 0 "" "$E" sweep --quiet "$T/h\`touch pwned\`.spec" -o "$T/hm3.csv" --heatmap "$T/hm3.png"
"$PNG" --size 900x700 "$T/hm3.png" || fail "a heat map of a hostile name is not a plot"
[ -e "$T/pwned" ] && fail "a name ran as a gnuplot command"

# a SPEC without both keys: the error at the arch line, nothing written
printf 'arch = systolic\nworkload = alexnet\nrows = 8, 16\n' >"$T/nocols.spec"
run 1 "$T/nocols.spec:1:1: error: '--heatmap' needs the keys 'rows' and 'cols' in the SPEC (arch systolic), and it has no 'cols'" \
  "$E" sweep --quiet "$T/nocols.spec" -o "$T/x.csv" --heatmap "$T/x.png"
absent "$T/x.csv" "$T/x.png"
printf '# no array shape\nworkload = alexnet\narch = xnor\npe = 16, 32\n' >"$T/xnor.spec"
run 1 "$T/xnor.spec:3:1: error: '--heatmap' draws a systolic SPEC's 'rows' x 'cols', and this SPEC's arch, xnor, has no 'rows'" \
  "$E" sweep --quiet "$T/xnor.spec" -o "$T/x.csv" --heatmap "$T/x.png"
absent "$T/x.csv" "$T/x.png"
# a PNG on standard output
run 2 "emlsim sweep: error: '--heatmap' needs a file: a PNG does not go to standard output
(try 'emlsim help sweep')" "$E" sweep --quiet "$T/hm.spec" --heatmap -
# the CSV and the heat map in one file
run 1 "$T/x.png: error: '-o' and '--heatmap' name the same file" \
  "$E" sweep --quiet "$T/hm.spec" -o "$T/x.png" --heatmap "$T/x.png"
absent "$T/x.png"
# gnuplot missing: refused before the sweep runs; failing: nothing written
mkdir "$T/nobin" "$T/badbin"
run 1 "gnuplot: error: cannot run gnuplot: the plots need it (Debian: gnuplot-nox)" \
  env PATH="$T/nobin" "$E" sweep --quiet "$T/hm.spec" -o "$T/x.csv" --heatmap "$T/x.png"
absent "$T/x.csv" "$T/x.png"
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "gnuplot 5.4"; exit 0; }\ncat >/dev/null\nexit 1\n' \
  >"$T/badbin/gnuplot"
chmod +x "$T/badbin/gnuplot"
run 1 "$T/x.png: error: gnuplot could not write the plot" \
  env PATH="$T/badbin:$PATH" "$E" sweep --quiet "$T/hm.spec" -o "$T/x.csv" --heatmap "$T/x.png"
absent "$T/x.csv" "$T/x.png"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: breakeven --plot and sweep --heatmap"
