#!/usr/bin/env bash
# environment.sh - a hostile environment, not hostile input: standard
# descriptors closed, a reader that goes away, a file size limit, escape
# sequences on the command line, paths as long as the system takes, a
# decimal-comma locale, TMPDIR and HOME unusable.
#
# usage: environment.sh EMLSIM
#
# Expected values: AlexNet's totals come from the study book
# (tests/cli/data/alexnet_book.csv: 60,965,224 parameters, 724,406,816
# MACs); messages are the ones specified in sim/emlsim.c (finish_stdout),
# base/em_outfile.c and base/em_diag.h, with errno's text as strerror
# gives it; whether an output exists is checked on disk.
set -u
E=$1
case $E in /*) ;; *) E=$PWD/$E ;; esac
SPEC=$(cd "$(dirname "$0")/../sweep" && pwd)/grid.spec
GEMM=$(cd "$(dirname "$0")/data" && pwd)/gemm64.csv
TRACEG=$(cd "$(dirname "$0")/../simt/data/accel" && pwd)/kernel-1.traceg
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
TOTAL='^total,,60965224,724406816,'
no_tmp() {
  local left
  left=$(find "$T" -name '*.tmp.*' | head -3)
  [ -z "$left" ] || fail "temporaries left ($1): $left"
}

# ---- standard descriptors closed: an output never takes fd 0, 1 or 2 ----
# stdout closed, the report to a file: nothing is written to stdout, so the
# run succeeds (it committed a.csv and then failed, exit 1, on closing the
# temporary that had taken fd 1 as if it were stdout)
"$E" analyze alexnet --format csv -o a.csv >&- 2>err.txt
rc=$?
[ $rc = 0 ] || fail "-o with stdout closed: exit $rc: $(cat err.txt)"
[ -s err.txt ] && fail "-o with stdout closed: stderr: $(cat err.txt)"
grep -q "$TOTAL" a.csv || fail "-o with stdout closed: a.csv lacks AlexNet's totals"
# ... and the same with stdin and stderr closed as well
rm -f a.csv
"$E" analyze alexnet --format csv -o a.csv <&- >&- 2>&-
rc=$?
[ $rc = 0 ] || fail "-o with every standard descriptor closed: exit $rc"
grep -q "$TOTAL" a.csv || fail "-o with every standard descriptor closed: a.csv lacks the totals"
# the report to a closed stdout is an error, as for a full disk
"$E" analyze alexnet >&- 2>err.txt
rc=$?
[ $rc = 1 ] || fail "report to a closed stdout: exit $rc"
[ "$(cat err.txt)" = "<stdout>: error: write error: Bad file descriptor" ] ||
  fail "report to a closed stdout: stderr: $(cat err.txt)"
# stderr closed: a failed run still fails and leaves nothing
"$E" analyze missing.csv -o b.csv 2>&-
rc=$?
[ $rc = 1 ] || fail "a missing input with stderr closed: exit $rc"
[ -e b.csv ] && fail "a failed run with stderr closed left b.csv"
# a folder of reports with stdout and stderr closed: the same CSV as a run
# with both open (the folder's files are opened while stdout is closed)
"$E" systolic alexnet -o sa1 >/dev/null 2>&1
"$E" systolic alexnet -o sa2 >&- 2>&-
rc=$?
[ $rc = 0 ] || fail "systolic -o with stdout and stderr closed: exit $rc"
diff -r sa1 sa2 >/dev/null || fail "systolic -o with stdout and stderr closed wrote other reports"
no_tmp "closed descriptors"

# ---- a reader that goes away: the sweep's CSV (10,800 rows, far more than
# a pipe holds) into `head -c 1`, its Pareto rows to a file ----
"$E" sweep "$SPEC" --quiet --pareto p.csv 2>err.txt | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
# SIGPIPE kills the run (128 + 13) without a word; the temporaries go with it
# (the spec's note on its 108 points that make no design comes first)
sed -i '/^emlsim sweep: note: /d' err.txt
[ $rc = 141 ] || fail "sweep into a closed pipe: exit $rc, expected 141"
[ -s err.txt ] && fail "sweep into a closed pipe: stderr: $(cat err.txt)"
[ -e p.csv ] && fail "sweep into a closed pipe left p.csv"
# with SIGPIPE ignored (as under some shells and daemons) it is a write error
(
  trap '' PIPE
  "$E" sweep "$SPEC" --quiet --pareto p.csv 2>err.txt | head -c 1 >/dev/null
  exit "${PIPESTATUS[0]}"
)
rc=$?
sed -i '/^emlsim sweep: note: /d' err.txt
[ $rc = 1 ] || fail "sweep into a closed pipe, SIGPIPE ignored: exit $rc, expected 1"
[ "$(cat err.txt)" = "<stdout>: error: write error: Broken pipe" ] ||
  fail "sweep into a closed pipe, SIGPIPE ignored: stderr: $(cat err.txt)"
[ -e p.csv ] && fail "sweep into a closed pipe, SIGPIPE ignored, left p.csv"
no_tmp "closed pipe"

# ---- a file size limit (`ulimit -f`; bash counts 1024-byte blocks): the
# write that passes it is an error naming the file, not a SIGXFSZ death
# that left a.csv.tmp.* half-written.  AlexNet's report is over 1 KiB. ----
(ulimit -f 1; exec "$E" analyze alexnet -o a_lim.csv) 2>err.txt
rc=$?
[ $rc = 1 ] || fail "file size limit: exit $rc, expected 1"
[ "$(cat err.txt)" = "a_lim.csv: error: write error: File too large" ] ||
  fail "file size limit: stderr: $(cat err.txt)"
[ -e a_lim.csv ] && fail "file size limit: a_lim.csv was left"
(ulimit -f 1; exec "$E" simt simplecnn --quiet -o sm_lim) 2>err.txt
rc=$?
[ $rc = 1 ] || fail "file size limit, a folder: exit $rc, expected 1"
grep -Eqx "sm_lim/simt_[a-z_]+\.csv: error: write error: File too large" err.txt ||
  fail "file size limit, a folder: stderr: $(cat err.txt)"
[ -e sm_lim ] && fail "file size limit: sm_lim was left"
(ulimit -f 1; exec "$E" analyze alexnet >lim.txt) 2>err.txt
rc=$?
[ $rc = 1 ] || fail "file size limit on stdout: exit $rc, expected 1"
[ "$(cat err.txt)" = "<stdout>: error: write error: File too large" ] ||
  fail "file size limit on stdout: stderr: $(cat err.txt)"
no_tmp "file size limit"

# ---- an output that is standard output's own file would be replaced by
# its rename, and what standard output took with it: `-o /dev/stdout >>
# log` lost the log's earlier lines ----
echo previous >log.txt
"$E" analyze alexnet --format csv -o /dev/stdout >>log.txt 2>err.txt
rc=$?
[ $rc = 1 ] || fail "-o /dev/stdout >> log: exit $rc, expected 1"
[ "$(cat log.txt)" = previous ] || fail "-o /dev/stdout >> log: the log is now $(head -c 80 log.txt)"
[ "$(cat err.txt)" = "/dev/stdout: error: '-o' names the file standard output goes to, which writing it would replace ('-' writes to standard output)" ] ||
  fail "-o /dev/stdout >> log: stderr: $(cat err.txt)"
"$E" analyze alexnet -o same.csv >same.csv 2>err.txt
rc=$?
[ $rc = 1 ] || fail "-o a file stdout goes to: exit $rc, expected 1"
# ... while another file, or '-', is fine
"$E" analyze alexnet --format csv -o - >>log.txt || fail "-o - >> log: exit $?"
grep -q "$TOTAL" log.txt && [ "$(head -1 log.txt)" = previous ] || fail "-o - >> log: not appended"
no_tmp "stdout's own file"

# ---- the command line quoted in a usage error is escaped as a file's
# contents are (em_escape: ESC is \x1b, a line break \n) ----
"$E" sweep x --jobs $'\e[2J\nY' 2>err.txt
rc=$?
[ $rc = 2 ] || fail "an escape sequence in --jobs: exit $rc, expected 2"
[ "$(cat err.txt)" = "emlsim sweep: error: '--jobs' must be in [1, 64], got '\x1b[2J\nY'
(try 'emlsim help sweep')" ] || fail "an escape sequence in --jobs: stderr: $(cat -v err.txt)"
"$E" $'\e]0;title\a' 2>err.txt
rc=$?
[ $rc = 2 ] || fail "an escape sequence as the command: exit $rc, expected 2"
[ "$(cat err.txt)" = "emlsim: error: unknown command '\x1b]0;title\x07'
(try 'emlsim help')" ] || fail "an escape sequence as the command: stderr: $(cat -v err.txt)"

# ... and so is a note's file name: a topology named ESC [31m, a line break
# and a forged error, with a Sparsity column (every model runs its layers
# dense: a note), printed raw and made a second, false line
evil=$'ev\e[31m\nx.csv: error: forged'
printf 'Layer name,IFMAP Height,IFMAP Width,Filter Height,Filter Width,Channels,Num Filter,Strides,Sparsity\nc,8,8,3,3,4,8,1,0.5\n' >"$evil"
"$E" systolic "$evil" >/dev/null 2>err.txt
rc=$?
[ $rc = 0 ] || fail "a note on a hostile file name: exit $rc"
[ "$(cat err.txt)" = "ev\x1b[31m\nx.csv: error: forged: note: 1 layer(s) give a weight Sparsity or Pattern: every model runs a network's layers dense (\`emlsim breakeven\` sweeps one layer's sparsity)" ] ||
  fail "a note on a hostile file name: stderr: $(cat -v err.txt)"

# ---- paths as long as PATH_MAX: errors name them whole (at 512 bytes a
# deep folder's error named a cut path, the folder above the file) ----
seg=$(printf 'd%.0s' $(seq 200))
long="$T/$seg/$seg/$seg"
mkdir -p "$long"
"$E" analyze alexnet -o "$long/none/a.csv" 2>err.txt
rc=$?
[ $rc = 1 ] || fail "long path: exit $rc"
[ "$(cat err.txt)" = "$long/none/a.csv: error: cannot create: No such file or directory" ] ||
  fail "long path: stderr: $(cut -c 1-80 err.txt)..."
# a staging folder's file is named as the report the user asked for
{ (trap '' XFSZ; ulimit -f 0; exec "$E" study --workload simplecnn --sparsity none \
  --accuracy none --arch analytic -o "$long/st" --quiet) 2>&1 >/dev/null | cat; } >err.txt
grep -Eqx "$long/st/[a-z_]+\.(csv|json|md|html|png|svg): error: write error: File too large" err.txt ||
  fail "long path, full disk: stderr: $(cut -c 1-80 err.txt)..."
[ -e "$long/st" ] && fail "long path, full disk: $long/st was left"
# past PATH_MAX no file can be opened: the name is cut and says so
huge=$(printf 'x%.0s' $(seq 5000))
"$E" analyze "$huge.csv" 2>err.txt
rc=$?
[ $rc = 1 ] || fail "a name past PATH_MAX: exit $rc"
[ "$(cat err.txt)" = "${huge:0:4092}...: error: cannot open: File name too long" ] ||
  fail "a name past PATH_MAX: stderr: $(cut -c 4080-4200 err.txt)"
no_tmp "long paths"

# ---- the environment: no HOME, TMPDIR missing, no PATH, a decimal comma ----
"$E" analyze alexnet --format csv >c.csv
env -u HOME TMPDIR="$T/none" "$E" analyze alexnet --format csv -o h.csv ||
  fail "no HOME, TMPDIR missing: exit $?"
cmp -s c.csv h.csv || fail "no HOME, TMPDIR missing: another CSV"
env -i "$E" analyze alexnet --format csv -o i.csv || fail "an empty environment: exit $?"
cmp -s c.csv i.csv || fail "an empty environment: another CSV"
# scratch files go to TMPDIR (tmpfile() took /tmp whatever it said): one
# that cannot be made names the folder, and the run leaves nothing
"$E" systolic "$GEMM" --trace -o tr >/dev/null 2>err.txt
[ $? = 0 ] || fail "a CALC DRAM trace: exit $?: $(cat err.txt)"
rm -rf tr
TMPDIR="$T/none" "$E" systolic "$GEMM" --trace -o tr >/dev/null 2>err.txt
rc=$?
[ $rc = 1 ] || fail "TMPDIR missing, a CALC DRAM trace: exit $rc"
[ "$(cat err.txt)" = "$GEMM:2:1: error: layer 'gemm64': cannot make a scratch file for its DRAM trace in $T/none: No such file or directory" ] ||
  fail "TMPDIR missing, a CALC DRAM trace: stderr: $(cat err.txt)"
[ -e tr ] && fail "TMPDIR missing: the trace folder tr was left"
# a trace read from a pipe is copied to a scratch file first
mkfifo k.traceg
cat "$TRACEG" >k.traceg &
writer=$!
TMPDIR="$T/none" "$E" simt k.traceg >/dev/null 2>err.txt
rc=$?
kill "$writer" 2>/dev/null # still blocked where the run never opened the pipe
wait
[ $rc = 1 ] || fail "TMPDIR missing, a trace from a pipe: exit $rc"
[ "$(cat err.txt)" = "k.traceg: error: cannot make a temporary copy of the pipe in $T/none: No such file or directory" ] ||
  fail "TMPDIR missing, a trace from a pipe: stderr: $(cat err.txt)"
rm -f k.traceg
# the numbers are the C locale's whatever LC_ALL says (a locale made here,
# where localedef and Debian's locale sources are there)
if command -v localedef >/dev/null && [ -e /usr/share/i18n/locales/de_DE ] &&
  localedef -i de_DE -f UTF-8 "$T/de_DE.UTF-8" >/dev/null 2>&1; then
  export LOCPATH=$T
  LC_ALL=de_DE.UTF-8 "$E" analyze alexnet --format csv >de.csv
  grep -q "$TOTAL" de.csv || fail "de_DE: no AlexNet totals"
  cmp -s c.csv de.csv || fail "de_DE: another CSV than in the C locale"
  "$E" sweep "$SPEC" --quiet -o sw_c.csv 2>/dev/null
  LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$E" sweep "$SPEC" --quiet -o sw_de.csv 2>/dev/null
  cmp -s sw_c.csv sw_de.csv || fail "de_DE: another sweep CSV"
  cmp -s sw_c.json sw_de.json || fail "de_DE: another sweep JSON"
  unset LOCPATH
else
  echo "note: no de_DE locale could be made: the locale case is skipped"
fi
no_tmp environment

if [ $fails != 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: closed descriptors and pipes, size limits, escapes, long paths, the environment"
