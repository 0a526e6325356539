#!/bin/sh
# inputs_kept.sh EMLSIM DATA - an output never replaces or removes an input
# of the same run (a hostile audit found three ways it did, each exit 0):
#   - a file read through standard input: `analyze - -o g.csv < g.csv`
#     wrote the report over the topology it had read;
#   - the Yosys program of `rtl characterize --yosys ./fy.sh -o fy.sh`;
#   - a folder output's earlier file that this run reads: a study into S
#     whose workload is S/breakeven_points.csv, a file the earlier study
#     there wrote (and listed), removed it as stale after reading it;
#   - quant with --load the output folder's list of files trained for 40 s
#     before refusing it.
set -u
emlsim=$1 data=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
cp "$data/gemm64.csv" g.csv
"$emlsim" analyze - -o g.csv <g.csv >out 2>err
rc=$?
[ $rc = 1 ] && grep -qx "g.csv: error: '-o' would overwrite '<workload>', an input of this run" err &&
  cmp -s g.csv "$data/gemm64.csv" && ok "standard input's file is not overwritten" ||
  bad "analyze - -o g.csv < g.csv: rc $rc, $(cat err), g.csv $(head -c 40 g.csv)"
# a pipe is no file: the same command from a pipe writes its report
cat "$data/gemm64.csv" | "$emlsim" analyze - -o p.csv >/dev/null 2>err && [ -s p.csv ] &&
  ok "from a pipe, the report is written" || bad "from a pipe: $(cat err)"
# (a build without Verilator has help for rtl, and no units to run)
if "$emlsim" rtl verify --vectors 1 >/dev/null 2>&1; then
  cp "$data/fake_yosys.sh" fy.sh && chmod +x fy.sh
  EMLSIM_FAKE_CELLS=3 "$emlsim" rtl characterize --yosys ./fy.sh -o fy.sh >/dev/null 2>err
  rc=$?
  [ $rc = 1 ] && grep -qx "fy.sh: error: '-o' would overwrite '--yosys', an input of this run" err &&
    cmp -s fy.sh "$data/fake_yosys.sh" && ok "the Yosys program is not overwritten" ||
    bad "rtl characterize -o its --yosys: rc $rc, $(cat err)"
fi
"$emlsim" study simplecnn --accuracy none --sparsity 0,0.5 --repeat 1 --arch analytic,systolic \
  -o S --quiet 2>err || bad "first study: $(cat err)"
grep -q ' breakeven_points.csv$' S/.emlsim-study-files || bad "the first study did not list breakeven_points.csv"
cp "$data/gemm64.csv" S/breakeven_points.csv
"$emlsim" study S/breakeven_points.csv --accuracy none --sparsity none --repeat 1 \
  --arch analytic,systolic -o S --quiet 2>err || bad "second study: $(cat err)"
cmp -s S/breakeven_points.csv "$data/gemm64.csv" && ok "an earlier run's file this run reads stays" ||
  bad "the study's own workload, an earlier run's file, was removed"
[ ! -e S/breakeven.csv ] && ok "the earlier run's other files went" ||
  bad "breakeven.csv of the earlier run stayed"
grep -q ' breakeven_points.csv$' S/.emlsim-study-files && bad "the kept input is still listed as the study's" ||
  ok "the kept input is no longer the study's"
# quant refuses before its run a report that would overwrite --load, the
# folder's list of files included (here the data set is missing: the run
# would have said so first, after the list, had the check come late)
mkdir M && echo '# quant' >M/.emlsim-quant-files
"$emlsim" quant --data "$tmp/none" --load M/.emlsim-quant-files -o M >/dev/null 2>err
rc=$?
[ $rc = 1 ] && grep -q "M/.emlsim-quant-files: error: the report would overwrite '--load', an input of this run" err &&
  ok "quant: --load as the folder's list is refused first" || bad "quant --load its list: rc $rc, $(cat err)"
exit $fail
