#!/usr/bin/env bash
# systolic_dram_traces.sh EMLSIM OUT - `emlsim systolic --trace` writes
# SCALE-Sim v2's DRAM traces beside its SRAM traces (issue 21), in
# layer<LayerID> directories numbered as the reports number the layers.
# Figures by hand, on an 8 x 8 os array with 1 kB SRAMs and a USER
# bandwidth of 4 words a cycle, GEMM M 40, N 20, K 50:
#  - the ifmap's fetch matrix (read_buffer.py set_fetch_matrix) is its
#    prefetch matrix - 5 row folds x K 50 rows, 8 pixels - read along
#    anti-diagonals, cut into lines of 4: 2000 words, 500 lines;
#  - the first burst fills the active half, ceil(1024 / 2) = 512 words =
#    128 lines, at cycles -128 .. -1; its first line is diagonals 0 - 2:
#    (row 0, pixel 0) = address 0, (1, 0) = 1, (0, 1) = pixel 1 x K = 50,
#    (2, 0) = 2: "-128.0,0.0,1.0,50.0,2.0" (numpy's floats, as SCALE-Sim
#    prints its float trace matrix);
#  - the first later burst is chained one cycle after it (port latency 1:
#    cycle 1) and starts at fetch line 129, not 128 (SCALE-Sim's
#    next_line_prefetch_idx = num_lines + 1 when the first burst was not
#    trimmed): word 516 = 28 + 61 x 8, diagonal 68 from its bottom row:
#    row 68 = fold 1, k 18, pixel 8 -> 8 x 50 + 18 = 418, then row 67,
#    pixel 9 -> 467, 516, 565: "1.0,418.0,467.0,516.0,565.0";
#  - every line is one request of 4 words, and SCALE-Sim counts every slot:
#    lines x 4 = the DRAM reads of DETAILED_ACCESS_REPORT.csv; the ofmap
#    counts every slot but the empty ones of its last line.
# (The whole files equal SCALE-Sim's: golden.scalesim_dram_traces.gemm.)
# Then a CALC run and the LayerID numbering, below.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
cfg() { # cfg NAME DATAFLOW MODE
  cat > "$out/$1.cfg" <<CFG
[general]
run_name = $1

[architecture_presets]
ArrayHeight:    8
ArrayWidth:     8
IfmapSramSzkB:   1
FilterSramSzkB:  1
OfmapSramSzkB:   1
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Bandwidth : 4
Dataflow : $2
MemoryBanks:   1

[run_presets]
InterfaceBandwidth: $3
CFG
}
printf 'Layer, M, N, K,\nL0, 40, 20, 50,\n' > "$out/g.csv"
cfg u8 os USER
cfg c8 os CALC
"$emlsim" systolic "$out/g.csv" -c "$out/u8.cfg" -o "$out/u" --trace > /dev/null || bad "USER run failed"
d=$out/u/u8/layer0
line() { sed -n "$2p" "$d/$1"; }
[ "$(line IFMAP_DRAM_TRACE.csv 1)" = "-128.0,0.0,1.0,50.0,2.0" ] && ok "first ifmap DRAM line" ||
  bad "first ifmap DRAM line: $(line IFMAP_DRAM_TRACE.csv 1)"
[ "$(line IFMAP_DRAM_TRACE.csv 128)" = "-1.0,$(line IFMAP_DRAM_TRACE.csv 128 | cut -d, -f2-)" ] &&
  ok "the first burst ends at cycle -1" || bad "line 128: $(line IFMAP_DRAM_TRACE.csv 128)"
[ "$(line IFMAP_DRAM_TRACE.csv 129)" = "1.0,418.0,467.0,516.0,565.0" ] &&
  ok "the second burst: cycle 1, fetch line 129" ||
  bad "line 129: $(line IFMAP_DRAM_TRACE.csv 129)"
# lines x 4 against the report's DRAM reads (columns 13, 16, 19)
rep=$(sed -n 2p "$out/u/u8/DETAILED_ACCESS_REPORT.csv" | tr -d ' ')
want_if=$(echo "$rep" | cut -d, -f13) want_fl=$(echo "$rep" | cut -d, -f16) want_of=$(echo "$rep" | cut -d, -f19)
n_if=$(($(wc -l < "$d/IFMAP_DRAM_TRACE.csv") * 4)) n_fl=$(($(wc -l < "$d/FILTER_DRAM_TRACE.csv") * 4))
[ "$n_if" = "$want_if" ] && ok "ifmap: $n_if words = the report's" || bad "ifmap: $n_if words, report $want_if"
[ "$n_fl" = "$want_fl" ] && ok "filter: $n_fl words = the report's" || bad "filter: $n_fl words, report $want_fl"
empty=$(tail -1 "$d/OFMAP_DRAM_TRACE.csv" | tr ',' '\n' | tail -n +2 | grep -c '^-1.0$')
n_of=$(($(wc -l < "$d/OFMAP_DRAM_TRACE.csv") * 4 - empty))
[ "$n_of" = "$want_of" ] && ok "ofmap: $n_of words = the report's" || bad "ofmap: $n_of words, report $want_of"
# every address of the ofmap (20 x 40 outputs at 20,000,000 on) drained once
n_addr=$(cut -d, -f2- "$d/OFMAP_DRAM_TRACE.csv" | tr ',' '\n' | grep -v '^-1.0$' | sort -u | wc -l)
[ "$n_addr" = 800 ] && ok "800 ofmap addresses drained" || bad "$n_addr distinct ofmap addresses"
# CALC (read_buffer_estimate_bw.py): sets of floor(1024 / 100) = 10 new
# addresses; the first prefetch lists sets 0 - 49 at 10 words a cycle,
# ceil(500 / 10) = 50 cycles ending the cycle before the first demand:
# -50 .. -1. Set 0 holds the first 10 ifmap addresses demanded along the
# skew: 0; 1, 50; 2, 51, 100; 3, 52, 101, 150. SCALE-Sim lists it as
# CPython iterates that set(): 8 slots grown to 32 at the fifth insert, each
# address a at slot a mod 32 (no collisions): 0 1 2 3 100(4) 101(5) 50(18)
# 51(19) 52(20) 150(22).
"$emlsim" systolic "$out/g.csv" -c "$out/c8.cfg" -o "$out/c" --trace > /dev/null || bad "CALC run failed"
d=$out/c/c8/layer0
[ "$(line IFMAP_DRAM_TRACE.csv 1)" = "-50.0,0.0,1.0,2.0,3.0,100.0,101.0,50.0,51.0,52.0,150.0" ] &&
  ok "CALC: the first ifmap DRAM line in CPython's set order" ||
  bad "CALC: first ifmap DRAM line $(line IFMAP_DRAM_TRACE.csv 1)"
[ -s "$d/FILTER_DRAM_TRACE.csv" ] && [ -s "$d/OFMAP_DRAM_TRACE.csv" ] && ok "CALC: all three DRAM traces" ||
  bad "CALC: $(ls "$d" | tr '\n' ' ')"
# CALC: the DRAM reads and the trace's addresses (models/systolic/README.md).
# The ifmap's operand matrix is M x K = 40 x 50 = 2000 words, more than the
# 1 kB SRAM's 1024, and os streams all of it once per column fold,
# ceil(N 20 / 8) = 3: 3 x 2000 = 6,000 DRAM ifmap reads, each address 0 ..
# 1999 fetched 3 times. SCALE-Sim's CALC trace lists more: 9,596 addresses
# (every slot but the -1s, its figure as the README records it): the 6,000
# reads and 3,596 slots of the np.ones padding (1.0) that fill each row out
# to the widest prefetch, 10 words; its rows run from cycle -50 (the first
# prefetch, 50 cycles) to the last demand, the SRAM's stop cycle 953:
# 50 + 954 = 1004 lines.
rep=$(sed -n 2p "$out/c/c8/DETAILED_ACCESS_REPORT.csv" | tr -d ' ')
[ "$(echo "$rep" | cut -d, -f13)" = 6000 ] && ok "CALC: 6000 DRAM ifmap reads" ||
  bad "CALC: $(echo "$rep" | cut -d, -f13) DRAM ifmap reads, not 6000"
t=$d/IFMAP_DRAM_TRACE.csv
n_lines=$(wc -l < "$t")
n_addr=$(cut -d, -f2- "$t" | tr ',' '\n' | grep -cv '^-1.0$')
[ "$n_lines" = 1004 ] && [ "$n_addr" = 9596 ] && ok "CALC: the ifmap trace, 1004 lines, 9596 addresses" ||
  bad "CALC: the ifmap trace, $n_lines lines, $n_addr addresses, not 1004 and 9596"
# the reads: each line's slots less its trailing padding and its -1s
reads=$(awk -F, '{ w = NF; while (w > 1 && $w == "1.0") w--
    for (i = 2; i <= w; i++) if ($i != "-1.0") print $i }' "$t" | sort -n | uniq -c |
  awk '{ n += $1; if ($1 != 3) odd++; if ($2 != k++) gap++ } END { print n, NR, odd + 0, gap + 0 }')
[ "$reads" = "6000 2000 0 0" ] && ok "CALC: 6000 reads, addresses 0 .. 1999 three times each" ||
  bad "CALC: reads, distinct addresses, not 3 times, gaps: $reads"
# LayerID numbering: a depthwise (DP) layer
# of 3 channels takes three (SCALE-Sim runs each channel as a layer, with
# the same traces)
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nC1, 10, 10, 3, 3, 3, 4, 1,\nDP_C2, 8, 8, 3, 3, 3, 1, 1,\nC3, 6, 6, 1, 1, 3, 5, 1,\n' > "$out/dp.csv"
"$emlsim" systolic "$out/dp.csv" -c "$out/u8.cfg" -o "$out/p" --trace > /dev/null || bad "DP run failed"
ids=$(tail -n +2 "$out/p/u8/COMPUTE_REPORT.csv" | cut -d, -f1 | tr -d ' ' | tr '\n' ' ')
dirs=$(cd "$out/p/u8" && ls -d layer* | sed 's/layer//' | sort -n | tr '\n' ' ')
[ "$ids" = "0 1 2 3 4 " ] && [ "$dirs" = "$ids" ] && ok "trace directories = LayerIDs: $dirs" ||
  bad "LayerIDs '$ids', directories '$dirs'"
same=1
for f in "$out/p/u8/layer1"/*; do cmp -s "$f" "$out/p/u8/layer3/$(basename "$f")" || same=0; done
[ "$same" = 1 ] && [ "$(ls "$out/p/u8/layer3" | wc -l)" = 6 ] && ok "DP channel 2's traces = channel 0's" ||
  bad "DP channel traces differ"
exit $fail
