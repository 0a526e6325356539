#!/usr/bin/env bash
# xnor_channel_pruned.sh EMLSIM OUT - one design point, one answer: the XNOR
# unit's channel-pruned break-even point is `emlsim xnor` on the layer with
# the kept filters (models/xnor/README.md, "Sparse execution"), and weights
# held on chip cost their load's SRAM writes.  By hand (PE 32 x SIMD 32,
# 200 MHz, 12.8 GB/s = 512 bits a cycle, Horowitz 45 nm):
# - FC-1 at s = 0.5 keeps 2048 of 4096 filters: 9216 -> 2048, 18,874,368
#   weight bits = 2,304 KiB, which fit the 2452.5 KiB weight memory.  DRAM
#   18,874,368 + 9216 + 2048 = 18,885,632 bits / 512 = 36,886 cycles;
#   static: the 2,304 KiB SRAM and the logic over 184.43 us = 216,182,113.7
#   pJ (the sweep charged the dense layer's silicon, logic alone: 37,992
#   pJ, a 413,314,641.0 pJ point against 629,458,762.7 before the writes);
#   SRAM 589,824 reads + 589,824 load writes of 32 bits x 50 pJ =
#   58,982,400; DRAM 18,885,632 bits x 1300 / 64 = 383,614,400; compute
#   64 x 288 = 18,432 cycles x 32 PEs = 589,824 PE cycles x (2 x 32 1-bit
#   adds x 0.00375 (int8's 0.03 x 1/8) + the 16-bit accumulate, 0.03 +
#   (16 - 8)/(32 - 8) x (0.1 - 0.03) = 0.053333, interpolated between
#   Horowitz's int8 and int32 adds) = 173,015.04 pJ; static (1172.1635 mW:
#   the 2,304 KiB SRAM's 1041.74 x 2304/2048 and the logic's 0.206) x
#   184.43 us = 216,182,113.74; total 658,951,928.78 pJ (658,949,962.7
#   when the 16-bit add was scaled from int32 alone, 0.05 pJ).
# - CONV-3 at s = 0.5 keeps 192 of 384 filters: 6 x 72 x 169 = 73,008
#   cycles, static 10,810,421.1 pJ (the sweep's was the dense 110,592 B
#   SRAM's, 20.65 uJ: 69,390,831.5 against 59,552,719.0 before the writes):
#   29.61435 mW (the 54 KiB weight SRAM's 28.17040, the 1,920 B SWU
#   buffer's 1.23795, log-log in CACTI's rows, and the logic's 0.20600) x
#   365.04 us = 10,810,421.12 pJ; compute 73,008 x 32 = 2,336,256 PE cycles
#   x 0.293333 pJ (as FC-1's) = 685,301.76; SRAM (2,336,256 reads + 13,824
#   load writes) of 32 bits at 55,296 B (20 + 80 x (log2 55296 - 15) / 5 =
#   32.0782 pJ per 64 bits, log-linear between Horowitz's 32 KB and 1 MB)
#   + the SWU's 900 writes and 6,084 reads of 64 bits at 10 pJ (below the
#   8 KB row) = 37,763,008.17; DRAM 518,080 bits x 1300 / 64 =
#   10,523,500; total 59,782,231.05 pJ (59,774,443.5 at the 0.05 pJ add).
# - FC-2's 4096 x 4096 bits load once into the 2 MB weight memory: 524,288
#   writes of 32 bits (= 262,144 of 64) x 50 pJ (100 pJ / 64 bits above
#   Horowitz's 1 MB row) = 26,214,400 pJ, beside the reads' 16,384 cycles x
#   32 PEs x 50 pJ = 26,214,400: SRAM 52,428,800.0 pJ.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
hdr='Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Groups, Bias, Batch, Input Height, Input Width, Padding Height, Padding Width, Weight Bits, Activation Bits,'
printf '%s\n%s\n' "$hdr" 'FC-1, 1, 1, 1, 1, 9216, 2048, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1,' >"$out/fc1h.csv"
printf '%s\n%s\n' "$hdr" 'CONV-3, 15, 15, 3, 3, 256, 192, 1, 1, 1, 1, 13, 13, 1, 1, 1, 1,' >"$out/conv3h.csv"

# check LAYER TOPO CYCLES TOTAL_PJ: the breakeven point at 0.5 (sparse
# cycles and energy) and the command's total row (cycles, total_pj)
check() {
  local layer=$1 topo=$2 cycles=$3 total=$4 be xn
  be=$("$emlsim" breakeven alexnet --layer "$layer" --arch xnor --sparse channel \
    --sparsity 0.5:0.5:0.1 --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
      { print $h["sparse_cycles"] "," $h["sparse_energy_pj"] }')
  xn=$("$emlsim" xnor "$topo" --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
      $1 == "total" { print $h["cycles"] "," $h["total_pj"] }')
  [ "$xn" = "$cycles,$total" ] && ok "xnor $layer pruned: $xn" || bad "xnor $layer pruned: '$xn', want '$cycles,$total'"
  [ "$be" = "$xn" ] && ok "breakeven $layer channel 0.5 = xnor: $be" ||
    bad "breakeven $layer channel 0.5: '$be', xnor on the pruned layer '$xn'"
}
check FC-1 "$out/fc1h.csv" 36886 658951928.8
check CONV-3 "$out/conv3h.csv" 73008 59782231.1
# the static energy of the pruned FC-1: its 2,304 KiB SRAM leaks
got=$("$emlsim" xnor "$out/fc1h.csv" --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "FC-1" { print $h["static_pj"] "," $h["sram_pj"] }')
[ "$got" = "216182113.7,58982400.0" ] && ok "FC-1 pruned static, SRAM: $got" || bad "FC-1 pruned static, SRAM: '$got'"
got=$("$emlsim" xnor alexnet --format csv | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "FC-2" { print $h["sram_pj"] }')
[ "$got" = "52428800.0" ] && ok "FC-2 SRAM with the load's writes: $got" || bad "FC-2 SRAM: '$got', want 52428800.0"
exit $fail
