#!/bin/sh
# negative_zero.sh EMLSIM OUT - no table prints a negative zero.  An energy
# table whose every energy is "-0" (Horowitz's rows, the energies replaced)
# gives zero energies: analyze's table, systolic's CSV and simt's printed
# "-0.0"; they print 0.  `study --sparsity=-0,0.5` takes -0 as the point 0:
# breakeven.csv and the report printed "-0.0000".
set -u
emlsim=$1 out=$2 src=$3
rm -rf "$out"
mkdir -p "$out"
fail=0
# every energy_pj field (the fifth, unquoted) set to -0
sed 's/^\([a-z_][a-z_]*,[^,]*,[^,]*,[^,]*,\)[0-9.eE+-][0-9.eE+-]*,/\1-0,/' \
  "$src/costmodel/energy/horowitz45.csv" >"$out/neg0.csv"
if ! grep -q '^add,int,8,,-0,' "$out/neg0.csv" || grep -q '^[a-z_]*,[^,]*,[^,]*,[^,]*,[0-9]' "$out/neg0.csv"; then
  echo "FAIL: the -0 energy table was not made"; exit 1
fi
# negzero FILE WHAT: a field that is a negative zero (-0, -0.0, -0.000...)
negzero() {
  if grep -Eq '(^|[ ,|:"(=])-0(\.0*)?([ ,|"):]|$)' "$1"; then
    echo "FAIL: $2 prints a negative zero:"; grep -En '(^|[ ,|:"(=])-0(\.0*)?([ ,|"):]|$)' "$1" | head -3
    fail=1
  else
    echo "ok: $2"
  fi
}
# analyze: its compute energy column is 0.0 on a conv layer
"$emlsim" analyze alexnet --energy-table "$out/neg0.csv" >"$out/analyze.txt" 2>&1 ||
  { echo "FAIL: analyze: $(cat "$out/analyze.txt")"; fail=1; }
grep -q '^CONV-1 .* 0\.0 ' "$out/analyze.txt" || { echo "FAIL: analyze: no 0.0 energy"; fail=1; }
negzero "$out/analyze.txt" "analyze's table"
"$emlsim" systolic simplecnn --energy-table "$out/neg0.csv" -o "$out/sys" >/dev/null 2>"$out/sys.err" ||
  { echo "FAIL: systolic: $(cat "$out/sys.err")"; fail=1; }
for f in "$out"/sys/*/*.csv; do negzero "$f" "systolic's $(basename "$f")"; done
"$emlsim" simt simplecnn --energy-table "$out/neg0.csv" -o "$out/simt" >"$out/simt.txt" 2>&1 ||
  { echo "FAIL: simt: $(cat "$out/simt.txt")"; fail=1; }
negzero "$out/simt.txt" "simt's tables"
for f in "$out"/simt/*.csv; do negzero "$f" "simt's $(basename "$f")"; done
# study: the sparsity -0 is the point 0
"$emlsim" study --arch systolic --bits int8 --sparsity=-0,0.5 --repeat 1 --accuracy none \
  --quiet -o "$out/study" 2>"$out/study.err" || { echo "FAIL: study: $(cat "$out/study.err")"; fail=1; }
grep -q '^systolic,csr,CONV-3,0\.0000,' "$out/study/breakeven.csv" ||
  { echo "FAIL: study: no point at sparsity 0.0000 in breakeven.csv"; fail=1; }
negzero "$out/study/breakeven.csv" "study's breakeven.csv"
negzero "$out/study/report.md" "study's report.md"
exit $fail
