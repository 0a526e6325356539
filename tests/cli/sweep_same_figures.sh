#!/bin/sh
# sweep_same_figures.sh EMLSIM OUT - a setting that changes nothing at a point
# makes no new design, though its key has no condition that says so.
#
# By hand: 'pack' packs operands narrower than a word; at 8:8 with
# SCALE-Sim's 1-byte word nothing is narrower, so pack = true and false are
# one design at rows 8 and at rows 32: points 1 and 3 repeat points 0 and 2
# (their figures are equal, compared here, not assumed) and are left off
# the fronts, empty flags, where both copies stood on them.  At 4:4 two
# operands share a byte, pack changes the energy, and every point ranks.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
printf 'arch = systolic\nworkload = simplecnn\nrows = 8, 32\npack = true, false\nbits = 8:8\n' \
  >"$out/p8.spec"
"$emlsim" sweep "$out/p8.spec" -o "$out/p8.csv" 2>"$out/p8.err" || { cat "$out/p8.err"; exit 1; }
# point,workload,rows,pack,bits,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,...
check "pack at 8:8: the same figures" \
  "$(awk -F, 'NR > 1 { print $3, $6, $8 }' "$out/p8.csv" | sort -u | wc -l | tr -d ' ')" 2
check "pack at 8:8: the copies unranked" \
  "$(awk -F, 'NR == 3 || NR == 5 { printf "%s|%s ", $10, $11 }' "$out/p8.csv")" "| | "
check "pack at 8:8: the first of each ranked" \
  "$(awk -F, 'NR == 2 || NR == 4 { printf "%s ", ($10 != "" && $11 != "") }' "$out/p8.csv")" "1 1 "
grep -q "note: 2 of 4 design points repeat another point's design .*(point 1: its cycles, latency, energy and area are point 0's" \
  "$out/p8.err" && echo "ok: the note" || { echo "FAIL: no note: $(cat "$out/p8.err")"; fail=1; }
sed 's/8:8/4:4/' "$out/p8.spec" >"$out/p4.spec"
"$emlsim" sweep "$out/p4.spec" -o "$out/p4.csv" 2>/dev/null || exit 1
check "pack at 4:4: every point ranked" \
  "$(awk -F, 'NR > 1 && ($10 == "" || $11 == "")' "$out/p4.csv" | wc -l | tr -d ' ')" 0
exit $fail
