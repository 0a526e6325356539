#!/usr/bin/env bash
# systolic_widths.sh EMLSIM OUT - `emlsim systolic` charges every operand
# the memory words it takes, and partial sums at the accumulator width
# (models/systolic/README.md, "Bit widths" and "Partial sums").  Figures by
# hand, Horowitz's 45 nm table: DRAM 1300 pJ per 64 bits = 162.5 pJ a byte,
# read or written; default array 32 x 32, 64 kB SRAMs, 1-byte words, CALC.
#
# 1. inception5x5 (28 x 28 x 192 in, 32 5x5 filters, os) at int8: SCALE-
#    Sim's counts 416,162 ifmap + 3,840,000 filter DRAM reads + 25,088
#    ofmap writes = 4,281,250 bytes x 162.5 = 695,703,125 pJ.  At int16 each
#    operand is 2 bytes, so with SRAMs of 128 kB (as many int16 as 64 kB of
#    int8) the counts are the same and the DRAM energy twice:
#    1,391,406,250 pJ.  (Before, int16 charged one byte an operand:
#    695,703,125 at every width from 8 up.)  In the default 64 kB the
#    int16 run's counts are those of an int8 run in 32 kB, energy twice.
#    At int4 two operands share a byte: exactly half, 347,851,562.5.
# 2. g.csv, GEMM M 64 x N 64 x K 1024, closed form (compulsory traffic) at
#    int16: (64 x 1024 ifmap + 1024 x 64 filter + 64 x 64 outputs) x 2 B x
#    162.5 = 43,929,600 pJ; `analyze` charges every tensor once too (the
#    project's rule): the weights 1024 x 64 x 2 = 131,072 B, X, the
#    network's input, 64 x 1024 x 2 = 131,072 B, and the outputs 64 x 64 x 2
#    = 8,192 B: 270,336 B x 162.5 = 43,929,600, the same traffic (it charged
#    the weights and outputs alone, 22,630,400, until X was counted; before
#    that the closed form charged 21,964,800, a byte an operand).
# 3. g.csv on ws at int8: 32 row folds (1024 / 32) x 2 column folds write
#    131,072 ofmap words for 4,096 outputs; 31 x 4,096 = 126,976 are
#    partial sums of ceil(8 + 8 + log2 1024) = 26 bits, 4 bytes, written
#    and read back once (SRAM and DRAM).  SCALE-Sim's counters stay: DRAM
#    reads R = ifmap + filter, DRAM writes W (the outputs, the sums and the
#    write buffer's padding of lines), and
#      DRAM = (R + W - 126,976) x 162.5 + 126,976 x 4 x 2 x 162.5
#    = 197,688,237.5 pJ with R = 196,608, W = 131,103 (it was
#    53,253,037.5, every sum one byte, none read back);
#      SRAM (64 kB: 4.5 pJ a byte) = (131,072 + 65,536 + 4,096 + 126,976
#    x 4 x 2) x 4.5 = 5,474,304 pJ.  At int4 (18-bit sums, 3 bytes; the
#    operands packed two a byte): (65,536 + 32,768 + ceil(4,127 / 2) +
#    126,976 x 3 x 2) x 162.5 = 140,111,400, no longer half of int8's.
# 4. Refusals: 2 kB SRAMs hold 2 x 32 x 32 int8 but not int32 (4 words
#    each); a USER DRAM trace has one operand a word.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
# col CSV NAME: column NAME of the first data row of `--format csv` output
col() {
  awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
                     NR == 2 { print $c; exit }' "$1"
}
run() { # run NAME ARGS...: the csv table into $out/NAME.csv
  local name=$1
  shift
  "$emlsim" systolic "$@" --format csv > "$out/$name.csv" 2> "$out/$name.err" ||
    bad "$name: emlsim systolic $* failed: $(cat "$out/$name.err")"
}
expect() { # expect WHAT GOT WANT
  if [ "$2" = "$3" ]; then ok "$1 = $3"; else bad "$1: got '$2', want '$3'"; fi
}

# 1. inception5x5
run i8 inception5x5 --bits 8:8
run i16_128 inception5x5 --bits 16:16 --set ifmap_kb=128 --set filter_kb=128 --set ofmap_kb=128
run i16 inception5x5 --bits 16:16
run i8_32 inception5x5 --bits 8:8 --set ifmap_kb=32 --set filter_kb=32 --set ofmap_kb=32
run i4 inception5x5 --bits 4:4
expect "inception5x5 int8 DRAM pJ" "$(col "$out/i8.csv" dram_energy_pj)" 695703125.0
for c in ifmap_dram_reads filter_dram_reads ofmap_dram_writes total_cycles; do
  expect "inception5x5 int16 in 128 kB $c" "$(col "$out/i16_128.csv" $c)" "$(col "$out/i8.csv" $c)"
  expect "inception5x5 int16 in 64 kB $c" "$(col "$out/i16.csv" $c)" "$(col "$out/i8_32.csv" $c)"
done
expect "inception5x5 int16 in 128 kB DRAM pJ" "$(col "$out/i16_128.csv" dram_energy_pj)" 1391406250.0
twice=$(awk -v x="$(col "$out/i8_32.csv" dram_energy_pj)" 'BEGIN { printf "%.1f", 2 * x }')
expect "inception5x5 int16 in 64 kB DRAM pJ (2 x int8 in 32 kB)" \
  "$(col "$out/i16.csv" dram_energy_pj)" "$twice"
expect "inception5x5 int4 DRAM pJ" "$(col "$out/i4.csv" dram_energy_pj)" 347851562.5

# 2. closed form against analyze
printf 'Layer, M, N, K,\ng1, 64, 64, 1024,\n' > "$out/g.csv"
run gc16 "$out/g.csv" --bits 16:16 --dataflow ws --closed-form
expect "g.csv int16 closed-form DRAM pJ" "$(col "$out/gc16.csv" dram_energy_pj)" 43929600.0
"$emlsim" analyze "$out/g.csv" --bits 16:16 --format csv > "$out/a16.csv" || bad "analyze failed"
expect "g.csv int16 analyze DRAM pJ" "$(col "$out/a16.csv" dram_energy_pj)" 43929600.0

# 3. partial sums on ws
run gw8 "$out/g.csv" --bits 8:8 --dataflow ws
run gw4 "$out/g.csv" --bits 4:4 --dataflow ws
expect "g.csv ws ofmap SRAM writes (SCALE-Sim's)" "$(col "$out/gw8.csv" ofmap_sram_writes)" 131072
r=$(($(col "$out/gw8.csv" ifmap_dram_reads) + $(col "$out/gw8.csv" filter_dram_reads)))
w=$(col "$out/gw8.csv" ofmap_dram_writes)
expect "g.csv ws DRAM reads" "$r" 196608
want=$(awk -v r="$r" -v w="$w" 'BEGIN { printf "%.1f", (r + w - 126976) * 162.5 + 126976 * 4 * 2 * 162.5 }')
expect "g.csv ws int8 DRAM pJ" "$(col "$out/gw8.csv" dram_energy_pj)" "$want"
expect "g.csv ws int8 DRAM pJ (W = 131,103)" "$(col "$out/gw8.csv" dram_energy_pj)" 197688237.5
# the table says which writes are partial sums and at what width: 8 + 8 +
# log2 1024 = 26 bits, 126,976 in the SRAM, all of them drained to DRAM
# (131,103 - 4,096 = 127,007 DRAM writes beyond the outputs, at most the
# 126,976 sums)
expect "g.csv ws psum_bits" "$(col "$out/gw8.csv" psum_bits)" 26
expect "g.csv ws psum_sram_writes" "$(col "$out/gw8.csv" psum_sram_writes)" 126976
expect "g.csv ws psum_dram_writes" "$(col "$out/gw8.csv" psum_dram_writes)" 126976
expect "g.csv ws int4 psum_bits (4 + 4 + 10)" "$(col "$out/gw4.csv" psum_bits)" 18
expect "g.csv ws int8 SRAM pJ" "$(col "$out/gw8.csv" sram_energy_pj)" 5474304.0
want=$(awk -v w="$w" 'BEGIN { o = w - 126976; printf "%.1f", (65536 + 32768 + int((o + 1) / 2) + 126976 * 3 * 2) * 162.5 }')
expect "g.csv ws int4 DRAM pJ" "$(col "$out/gw4.csv" dram_energy_pj)" "$want"

# 4. refusals
if "$emlsim" systolic "$out/g.csv" --bits 32:32 --set ifmap_kb=2 --set filter_kb=2 \
    --set ofmap_kb=2 > /dev/null 2> "$out/small.err"; then
  bad "int32 operands in 2 kB SRAMs were not refused"
elif grep -q "its 32-bit operands take 4 words each, so the ifmap SRAM holds 512 of them" "$out/small.err"; then
  ok "int32 in 2 kB refused: $(cat "$out/small.err")"
else
  bad "int32 in 2 kB: $(cat "$out/small.err")"
fi
if "$emlsim" systolic "$out/g.csv" --bits 16:16 --bandwidth 10 --trace -o "$out/tr" \
    > /dev/null 2> "$out/trace.err"; then
  bad "a USER DRAM trace of int16 operands was not refused"
elif grep -q "one operand a word" "$out/trace.err"; then
  ok "USER DRAM trace of int16 refused"
else
  bad "USER DRAM trace of int16: $(cat "$out/trace.err")"
fi
exit $fail
