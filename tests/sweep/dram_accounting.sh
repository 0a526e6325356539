#!/usr/bin/env bash
# dram_accounting.sh EMLSIM - a systolic design with a USER interface keeps
# SCALE-Sim's accounting, whose read buffers fetch some words many times:
# `emlsim systolic` says so in a note, and so must every command that runs
# the design through the model table (sweep, study, breakeven), which said
# nothing (AlexNet on a 64x32 ws array at 4 words a cycle: 60.2 s and
# 49.9 J an inference, FC-1's filter read 5836x from DRAM, stood on the
# sweep's front).  The figures come from the systolic command's own
# counters: the most any layer's DRAM reads pass the words the array read
# from that operand's SRAM (filter_dram_reads / filter_sram_reads, or the
# ifmap's), and how many layers pass 2x.
set -u
emlsim=$1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$emlsim" systolic alexnet --rows 64 --dataflow ws --bandwidth 4 --format csv >sa.csv 2>/dev/null ||
  { echo "FAIL: emlsim systolic"; exit 1; }
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "total" || $h["macs"] == 0 { next }
  { x = 0
    if ($h["ifmap_sram_reads"] > 0) x = $h["ifmap_dram_reads"] / $h["ifmap_sram_reads"]
    if ($h["filter_sram_reads"] > 0 && $h["filter_dram_reads"] / $h["filter_sram_reads"] > x)
      x = $h["filter_dram_reads"] / $h["filter_sram_reads"]
    if (x > 2) n++
    if (x > most) { most = x; at = $1 } }
  END { printf "on %d layers (most %s, %.0fx)", n, at, most }' sa.csv)
[ "$want" = "on 7 layers (most FC-1, 5836x)" ] && ok "the counters: $want" ||
  bad "the counters give '$want', not 7 layers and FC-1's 5836x"
# sweep: a note after the sweep, naming the first point
printf 'arch = systolic\nworkload = alexnet\nrows = 64\ndataflow = ws\nbandwidth_mode = user\nbandwidth = 4\n' >u.spec
"$emlsim" sweep u.spec >/dev/null 2>err
grep -q "^emlsim sweep: note: on 1 of 1 design points (point 0 the first), the systolic array's USER bandwidth keeps SCALE-Sim's accounting.*DRAM reads pass twice the words read from the buffers $want" err &&
  ok "sweep says it" || bad "sweep: $(cat err)"
# study: a note under its summary table
"$emlsim" study alexnet --arch systolic --bits int8 --accuracy none --sparsity none --repeat 1 \
  --set systolic.rows=64 --set systolic.dataflow=ws --set systolic.bandwidth_mode=user \
  --set systolic.bandwidth=4 --quiet -o st >/dev/null 2>&1 || bad "study failed"
grep -q "systolic at int8 (alexnet): the systolic array's USER bandwidth keeps SCALE-Sim's accounting.*$want" st/report.md &&
  ok "study says it" || bad "study: no note in report.md"
# breakeven: the dense reference of FC-1 is FC-1 on the same design
"$emlsim" breakeven alexnet --layer FC-1 --arch systolic --sparsity 0:0.5:0.5 --set rows=64 \
  --set dataflow=ws --set bandwidth_mode=user --set bandwidth=4 >be.txt 2>&1 || bad "breakeven failed"
grep -q "the dense reference: the systolic array's USER bandwidth keeps SCALE-Sim's accounting.*on 1 layer (most FC-1, 5836x)" be.txt &&
  ok "breakeven says it" || bad "breakeven: $(grep -i note be.txt)"
# CALC says nothing of it
"$emlsim" sweep /dev/stdin >/dev/null 2>err <<SPEC
arch = systolic
workload = alexnet
rows = 64
dataflow = ws
SPEC
grep -q "SCALE-Sim's accounting" err && bad "CALC has the note" || ok "CALC: none"
exit $fail
