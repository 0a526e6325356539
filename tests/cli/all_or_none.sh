#!/bin/sh
# all_or_none.sh EMLSIM OUT - a run's outputs are committed all or none, and
# a folder never mixes two runs (base/em_outfile.c):
#   - a rerun into a folder removes the files the command's earlier run
#     wrote there and this one does not (the folder's .emlsim-CMD-files
#     lists them): traces of a traced systolic run after an untraced one,
#     the sparsity tables of a study after one with --sparsity none; a file
#     of the user's stays, and so do another command's reports;
#   - a list naming paths outside the folder (.., absolute, through a
#     symbolic link) removes nothing there;
#   - an output that cannot be replaced (immutable, chattr +i) fails the run
#     before anything is renamed: every other output stays the earlier run's;
#   - in a sticky folder (as /tmp), another user's file that cannot be
#     replaced fails the run before the new file beside it is put in place;
#   - standard output that cannot be written (/dev/full) fails the run, and
#     no output is left (the table or status line is written first).
# The immutable file and the sticky folder need root (chattr, setpriv), and
# the full standard output /dev/full: without them (the machine's set-up,
# not a package) they are skipped, and the test is a skip ctest shows
# (exit 77, SKIP_RETURN_CODE) unless something failed.
set -u
umask 022 # the folders made here are the user's own (a list is kept only in those)
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
fail=0 skipped=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
printf 'Layer name,M,N,K,\nG1,8,8,8,\nG2,16,8,8,\n' >g2.csv
printf 'Layer name,M,N,K,\nG1,8,8,8,\n' >g1.csv

# --- a rerun into the same folder: the earlier run's extra files go ---
"$emlsim" systolic g2.csv --trace -o sy >/dev/null || bad "traced systolic run failed"
[ -f sy/emlsim_run/layer1/IFMAP_SRAM_TRACE.csv ] || bad "no traces written"
echo mine >sy/notes.txt
echo mine >sy/emlsim_run/notes.txt
"$emlsim" systolic g1.csv -o sy >/dev/null || bad "untraced rerun failed"
left=$(cd sy && find . -name '*TRACE*' -o -name 'layer*' | sort | tr '\n' ' ')
[ -z "$left" ] && ok "systolic: the earlier run's traces and layer folders removed" ||
  bad "systolic: left from the earlier run: $left"
[ "$(cat sy/notes.txt sy/emlsim_run/notes.txt)" = "mine
mine" ] && ok "systolic: the user's own files stay" || bad "systolic: a file of the user's removed"
# the list names the four reports of the one layer's run, and nothing else
n=$(grep -vc '^#' sy/.emlsim-systolic-files)
[ "$n" = 4 ] && ok "systolic: .emlsim-systolic-files lists the 4 reports" ||
  bad "systolic: .emlsim-systolic-files lists $n files: $(cat sy/.emlsim-systolic-files)"
# another command into the same folder, then systolic again: each keeps its own
"$emlsim" study g1.csv --accuracy none --arch analytic --sparsity none --repeat 1 --quiet \
  -o sy 2>/dev/null || bad "study into systolic's folder failed"
"$emlsim" systolic g2.csv -o sy >/dev/null || bad "systolic rerun beside the study failed"
[ -f sy/summary.csv ] && [ -f sy/report.md ] && [ -f sy/emlsim_run/COMPUTE_REPORT.csv ] &&
  ok "a study's reports stay beside systolic's, and the other way" ||
  bad "one command removed another's reports: $(ls sy | tr '\n' ' ')"

"$emlsim" study g1.csv --accuracy none --arch systolic --bits int8 --sparsity 0,0.5 \
  --repeat 1 --quiet -o st 2>/dev/null || bad "study with a sparsity sweep failed"
[ -f st/breakeven.csv ] || bad "study: no breakeven.csv"
"$emlsim" study g1.csv --accuracy none --arch systolic --bits int8 --sparsity none \
  --repeat 1 --quiet -o st 2>/dev/null || bad "study rerun failed"
[ ! -e st/breakeven.csv ] && [ ! -e st/breakeven_points.csv ] && [ -f st/summary.csv ] &&
  ok "study: the earlier run's sparsity tables removed, the new summary in place" ||
  bad "study: $(ls st | tr '\n' ' ')"

# --- a hostile list: paths outside the folder are not touched ---
mkdir -p outside st/sub
echo keep >outside/victim.csv
ln -s ../outside st/link
printf '../outside/victim.csv\n%s/outside/victim.csv\nlink/victim.csv\nsub/../../outside/victim.csv\n' \
  "$(pwd)" >>st/.emlsim-study-files
"$emlsim" study g1.csv --accuracy none --arch systolic --bits int8 --sparsity none \
  --repeat 1 --quiet -o st 2>/dev/null || bad "study with a hostile list failed"
[ "$(cat outside/victim.csv)" = keep ] && ok "a list naming files outside the folder removes none" ||
  bad "a file outside the folder was removed"

# --- a list is trusted, and files removed, only in the user's own folder ---
# (a list another user could write, or one in a folder others may write, as
# /tmp, might name their files): a list that is not the user's, or that
# others may write, removes nothing; a shared folder gets no list at all
mkdir -p tr
"$emlsim" systolic g2.csv --trace -o tr >/dev/null || bad "traced run into tr failed"
chmod g+w tr/.emlsim-systolic-files
"$emlsim" systolic g1.csv -o tr >/dev/null || bad "rerun beside a group-writable list failed"
[ -f tr/emlsim_run/layer1/IFMAP_SRAM_TRACE.csv ] &&
  ok "a list others may write removes nothing" || bad "a group-writable list was trusted"
mkdir -m 1777 shared
"$emlsim" systolic g2.csv -o shared >/dev/null || bad "run into a shared folder failed"
[ ! -e shared/.emlsim-systolic-files ] && [ -f shared/emlsim_run/COMPUTE_REPORT.csv ] &&
  ok "a shared (1777) folder: the reports, no list" || bad "a shared folder got a list"
# two outputs that are one file (a report a link to another) are refused,
# not renamed one over the other
mkdir -p ln && "$emlsim" systolic g1.csv -o ln >/dev/null || bad "run into ln failed"
cp -r ln ln.before
rm ln/emlsim_run/COMPUTE_REPORT.csv
ln -s BANDWIDTH_REPORT.csv ln/emlsim_run/COMPUTE_REPORT.csv
cp -P ln/emlsim_run/COMPUTE_REPORT.csv ln.before/emlsim_run/COMPUTE_REPORT.csv 2>/dev/null ||
  { rm -f ln.before/emlsim_run/COMPUTE_REPORT.csv
    ln -s BANDWIDTH_REPORT.csv ln.before/emlsim_run/COMPUTE_REPORT.csv; }
"$emlsim" systolic g2.csv -o ln >/dev/null 2>err.txt
rc=$?
[ $rc = 1 ] && grep -q "two outputs are the same file" err.txt && diff -r ln ln.before >/dev/null &&
  ok "two reports that are one file: exit 1, nothing changed" ||
  bad "two reports that are one file: exit $rc, $(cat err.txt); $(diff -rq ln ln.before | head -2)"

# --- an output that cannot be replaced: nothing of the new run lands ---
if [ "$(id -u)" = 0 ] && command -v chattr >/dev/null && cp -r st st.before &&
   chattr +i st/summary.csv 2>/dev/null; then
  "$emlsim" study g1.csv --accuracy none --arch systolic,analytic --bits int8,int4 --sparsity none \
    --repeat 1 --quiet -o st 2>err.txt
  rc=$?
  chattr -i st/summary.csv
  if [ $rc = 1 ] && grep -q "st/summary.csv: error: cannot replace" err.txt &&
     diff -r st st.before >/dev/null; then
    ok "immutable summary.csv: exit 1, every file the earlier run's"
  else
    bad "immutable summary.csv: exit $rc, $(cat err.txt); $(diff -rq st st.before | head -3)"
  fi
else
  echo "skip: immutable file (not root, or no chattr +i on this file system)"
  skipped=1
fi

# --- a sticky folder and another user's file ---
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir -m 1777 sticky
  echo OLD >sticky/front.csv
  chmod 666 sticky/front.csv
  printf 'arch = systolic\nworkload = %s/g2.csv\nrows = 8, 16\ncols = 8, 16\n' "$(pwd)" >s.spec
  chmod 755 . && chmod 644 s.spec g2.csv
  setpriv --reuid=65534 --regid=65534 --clear-groups "$emlsim" sweep s.spec --quiet \
    -o sticky/grid.csv --pareto sticky/front.csv 2>err.txt
  rc=$?
  if [ $rc = 1 ] && [ ! -e sticky/grid.csv ] && [ ! -e sticky/grid.json ] &&
     [ "$(cat sticky/front.csv)" = OLD ] && [ "$(ls -A sticky | tr '\n' ' ')" = "front.csv " ] &&
     grep -q "sticky/front.csv: error: cannot replace" err.txt; then
    ok "sticky folder: exit 1, no grid.csv beside the old front.csv, nothing left"
  else
    bad "sticky folder: exit $rc, $(cat err.txt); left: $(ls -A sticky | tr '\n' ' ')"
  fi
else
  echo "skip: sticky folder (not root, or no setpriv)"
  skipped=1
fi

# --- standard output that cannot be written ---
if [ -w /dev/full ]; then
  "$emlsim" study g1.csv --accuracy none --arch analytic --sparsity none --repeat 1 -o full_st \
    >/dev/full 2>err.txt
  rc=$?
  [ $rc = 1 ] && [ ! -e full_st ] && grep -q "^<stdout>: error: write error" err.txt &&
    ok "study > /dev/full: exit 1, no report" || bad "study > /dev/full: exit $rc, $(ls -d full_st* 2>&1)"
  "$emlsim" breakeven gemm:16x16x16 --sparsity 0:0.5:0.5 -o full_be.csv >/dev/full 2>err.txt
  rc=$?
  [ $rc = 1 ] && [ ! -e full_be.csv ] && ok "breakeven > /dev/full: exit 1, no CSV" ||
    bad "breakeven > /dev/full: exit $rc, $(ls full_be* 2>&1)"
else
  echo "skip: no /dev/full"
  skipped=1
fi
[ -z "$(find . -name '*.tmp.*' -o -name '.emlsim.bak.*')" ] && ok "no temporary or backup left" ||
  bad "left: $(find . -name '*.tmp.*' -o -name '.emlsim.bak.*')"
[ $fail = 0 ] && [ $skipped = 1 ] && exit 77
exit $fail
