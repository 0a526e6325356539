#!/bin/sh
# sysfix_trace_size.sh EMLSIM OUT - `emlsim systolic --trace` says how much
# its traces will take before writing any, and refuses traces that cannot
# fit the output's file system, writing nothing.
#
# 1. By hand, the six traces of gemm:4x4x4 on a 4 x 4 os array (64 kB
#    SRAMs, CALC), in SCALE-Sim's formatting:
#    - SRAM traces: 1 fold of 4 + 4 + 4 - 2 = 10 lines of 4 fields, 16 of
#      them addresses and 24 ",-1" (72 bytes): IFMAP cycles 1..10 (11
#      digits) + 10 line ends + ",0".."15" (38) + 72 = 131; FILTER 21 +
#      16 x ",1000000N" (9) + 72 = 237; OFMAP cycles 0..9 (10 digits) + 10 +
#      16 x 9 + 72 = 236;
#    - CALC DRAM traces: 65,536 words in 100 sets of 655; the 16 words fill
#      one set, listed 10 a row over ceil(655 / 10) = 66 rows numbered
#      -66..-1 (123 digits, and "-", ".0", a line end: 4 x 66), 16
#      addresses and 644 x ",-1.0" (3,220): IFMAP 387 + (10 x 4 + 6 x 5) +
#      3,220 = 3,677; FILTER 387 + 16 x ",1000000N.0" (11) + 3,220 = 3,783;
#    - OFMAP DRAM: 16 outputs drained 4 (C) a row at cycles 9..12: 7 digits
#      + 4 x (".0" + line end) + 16 x 11 = 195.
#    8,259 bytes: no note (the note starts past 1 GiB).  test_systolic's
#    trace_bytes_estimated holds the estimate (sa_trace_bytes) to these
#    8,259 bytes within 3, and to written traces of multi-fold layers, CALC
#    and USER, within 1 %.
# 2. gemm:16777216x16777216x1 on a 65536 x 65536 array with 4 TiB SRAMs
#    (SRAMs of 2 x 65536^2 words at least): ceil(2^24 / 65536)^2 = 65,536
#    folds of 1 + 65536 + 65536 - 2 = 131,071 lines, 8,589,869,056 lines
#    of 65,536 fields in the IFMAP SRAM trace alone, each field at least 2
#    bytes (a comma and a digit): 1.1e15 bytes, 1.0 PiB, on no disk this
#    test runs on.  So the note names PiB, the run is refused (exit 1) in
#    well under a second (it wrote traces for hours), and the output folder
#    is left as it was.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
# 1. the small trace, by hand, and no note
"$emlsim" systolic gemm:4x4x4 --rows 4 --cols 4 --trace -o "$out/small" 2>"$out/small.err" || fail=1
d=$out/small/emlsim_run/layer0
sizes=""
for f in IFMAP_SRAM FILTER_SRAM OFMAP_SRAM IFMAP_DRAM FILTER_DRAM OFMAP_DRAM; do
  sizes="$sizes $(wc -c <"$d/${f}_TRACE.csv" | tr -d ' ')"
done
check "trace bytes (ifmap, filter, ofmap SRAM; DRAM)" "$sizes" " 131 237 236 3677 3783 195"
check "no note for 8 kB of traces" "$(grep -c 'traces will take' "$out/small.err")" 0
# 2. petabytes: said, refused at once, nothing written
mkdir -p "$out/big"
echo keep >"$out/big/mine.txt"
k=4294967296
timeout 10 "$emlsim" systolic gemm:16777216x16777216x1 --rows 65536 --cols 65536 \
  --set ifmap_kb=$k --set filter_kb=$k --set ofmap_kb=$k --trace -o "$out/big" \
  >"$out/big.out" 2>"$out/big.err"
check "exit status" $? 1
grep -q "^emlsim systolic: note: --trace: the SRAM and DRAM traces will take at least [0-9.]* PiB " \
  "$out/big.err" && echo "ok: the note, in PiB" || { echo "FAIL: no note: $(cat "$out/big.err")"; fail=1; }
grep -q "^$out/big: error: --trace: the SRAM and DRAM traces would take at least [0-9.]* PiB, more than the [0-9.]* [KMGTPE]iB free on its file system, so the run stopped and nothing was written" \
  "$out/big.err" && echo "ok: the refusal" || { echo "FAIL: no refusal: $(cat "$out/big.err")"; fail=1; }
check "the folder as it was" "$(ls -A "$out/big" | tr '\n' ' ')" "mine.txt "
check "nothing on standard output" "$(wc -c <"$out/big.out" | tr -d ' ')" 0
exit $fail
