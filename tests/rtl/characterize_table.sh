#!/bin/sh
# characterize_table.sh EMLSIM FAKE_YOSYS - the energy table `rtl
# characterize -o` writes loads with --energy-table in every command that
# takes one (rtl/README.md says so; it held the RTL's integer rows alone,
# and analyze wanted a DRAM row, the arrays an SRAM row, the GPU an fp
# one): its int mult and add rows are the RTL's, the 8-bit ones equal to
# Horowitz's int8 0.2 and 0.03 pJ by construction, and every other row is
# the default table's with its source (Horowitz's fp32 mult 3.7 pJ, DRAM
# 1300 pJ per 64 bits).  A stand-in Yosys gives 100 cells at every width.
set -u
emlsim=$1 yosys=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EMLSIM_FAKE_CELLS=100 "$emlsim" rtl characterize --yosys "$yosys" -o "$tmp/e.csv" >/dev/null 2>"$tmp/err" ||
  { echo "FAIL: characterize: $(cat "$tmp/err")"; exit 1; }
for row in '^mult,int,8,,0\.2,"synthesis' '^add,int,8,,0\.03,"synthesis' \
  '^mult,fp,32,,3\.7,"Horowitz ISSCC 2014' '^dram_read,dram,64,,1300,"Horowitz ISSCC 2014' \
  '^sram_read,sram,64,32768,20,"Horowitz ISSCC 2014'; do
  grep -q "$row" "$tmp/e.csv" && echo "ok: row $row" || { echo "FAIL: no row $row"; fail=1; }
done
for c in analyze systolic bitserial xnor simt; do
  "$emlsim" "$c" simplecnn --energy-table "$tmp/e.csv" >/dev/null 2>"$tmp/err" &&
    echo "ok: $c loads it" || { echo "FAIL: $c: $(cat "$tmp/err")"; fail=1; }
done
"$emlsim" breakeven simplecnn --arch systolic --sparsity 0:0.5:0.5 --energy-table "$tmp/e.csv" >/dev/null 2>"$tmp/err" &&
  echo "ok: breakeven loads it" || { echo "FAIL: breakeven: $(cat "$tmp/err")"; fail=1; }
exit $fail
