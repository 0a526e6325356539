#!/bin/sh
# clock_words.sh EMLSIM OUT - the report's "Energy by component" names the
# clocks and bandwidths of the designs that ran, as they ran, not fixed
# text:
#   - a .cfg with FrequencyMHz: 500 and --set simt.core_freq_mhz=1000: the
#     systolic array ran at 500 MHz, so the common 1000 MHz is not "the
#     systolic array's clock" (SCALE-Sim's default, 1000, is); the GPU is
#     at 1000 MHz, not its preset's 1455; the XNOR array at FINN's 200 MHz
#     with its ZC706 DDR3, 64 bits x 1600 MT/s = 12.8 GB/s;
#   - by default, without the XNOR array: the systolic array at 1000 MHz
#     is the common clock's, the GPU at volta's 1455 MHz (the TITAN V's
#     boost clock), and no XNOR array is named.
set -u
E=$1 out=$2
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
rm -rf "$out"
mkdir -p "$out"
printf '[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\nFrequencyMHz: 500\n' >"$out/f500.cfg"
"$E" study simplecnn --arch systolic,simt,xnor --bits fp32,int8,binary -c "$out/f500.cfg" \
  --set simt.core_freq_mhz=1000 --accuracy none --sparsity none --quiet -o "$out/set" ||
  { echo "FAIL: the study with a 500 MHz array"; exit 1; }
"$E" study simplecnn --arch systolic,simt --bits fp32,int8 --accuracy none --sparsity none \
  --quiet -o "$out/dflt" || { echo "FAIL: the study"; exit 1; }
note() { grep -m1 '^- note: at_common: ' "$1/report.md"; }
para() { grep -m1 "^Every model's energy" "$1/report.md"; }
n=$(note "$out/set") p=$(para "$out/set")
case "$n" in
  *"common 1000 MHz (SCALE-Sim's default clock; the systolic array's here is 500 MHz)"*"(xnor 12.8 GB/s)"*"(it keeps its own clock, 1000 MHz, and its own DRAM)") ok "at_common names the 500 MHz array, the XNOR array's 12.8 GB/s and the GPU's 1000 MHz" ;;
  *) bad "at_common with a 500 MHz array: $n" ;;
esac
case "$p" in
  *"The designs run at their own clocks (systolic 500 MHz, xnor 200 MHz, simt 1000 MHz)"*) ok "the paragraph gives the clocks that ran" ;;
  *) bad "the paragraph: $p" ;;
esac
case "$n$p" in
  *"preset's"*|*"200 and 1000"*) bad "fixed text beside the clocks that ran: $n $p" ;;
esac
n=$(note "$out/dflt") p=$(para "$out/dflt")
case "$n" in
  *"common 1000 MHz (the systolic array's clock, its freq_mhz setting)"*"(it keeps its own clock, 1455 MHz, and its own DRAM)") ok "by default: the systolic array's 1000 MHz, the GPU's 1455 MHz" ;;
  *) bad "at_common by default: $n" ;;
esac
case "$n$p" in
  *[Xx][Nn][Oo][Rr]*) bad "the XNOR array named where it did not run: $n $p" ;;
  *) ok "no XNOR array named where it did not run" ;;
esac
case "$p" in
  *"The designs run at their own clocks (systolic 1000 MHz, simt 1455 MHz)"*) ok "the paragraph by default" ;;
  *) bad "the paragraph by default: $p" ;;
esac
exit $fail
