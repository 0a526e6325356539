#!/bin/sh
# unranked.sh EMLSIM OUT - a point with nothing to rank has empty Pareto
# flags (null in the JSON), and ranks nothing: the others are ranked among
# themselves.
#
# 1. Unknown area.  One GPU twice: the preset 'volta' and its own file
#    (models/simt/data/gpu_volta.cfg) without its die_area_mm2 and die_nm
#    lines, so both rows run one configuration and have the same figures
#    (compared below, not assumed).  The preset has a die (`emlsim simt
#    --gpu volta`: 815 mm^2, the V100 whitepaper); the file has none
#    (`emlsim simt --gpu FILE`: "area: unknown").  Read
#    as 0 mm^2, the file's area beat 815 with equal latency and energy, and
#    the preset stood off the latency-energy-area front (pareto3 0) beside
#    the same GPU on it.  By hand: on latency and energy the two are exact
#    copies, so both are on that front (cm_pareto.h: equal points are all
#    on it); on latency, energy and area the preset is the one point with
#    an area, so nothing can dominate it (pareto3 1), and the file's row is
#    outside the comparison (pareto3 empty, null in the JSON).
# 2. No figures.  mode = closed does not estimate a USER interface
#    (closed_user.spec): that row has no latency nor energy, so nothing to
#    rank: both flags empty (they read 0, "dominated"); the simulated row,
#    alone with figures, is on both fronts.
# 3. A repeat.  bandwidth = 4, 10 x bandwidth_mode = calc, user: at CALC
#    the bandwidth changes nothing, so points 0 (4, calc) and 2 (10, calc)
#    are one design with the same figures (compared below); point 2 has
#    the key's default, 10 (`emlsim models systolic`), and stands for it:
#    ranked, while point 0's flags are empty (0 said its design was
#    dominated while point 2 said 1).  The design at CALC has the fewest
#    cycles (no stalls) and as much area as any (one array), so it is on
#    both fronts: point 2 is 1,1.
# 4. The analytic model (no clock): its pareto ranks energy alone, and its
#    pareto3 is empty, as the model gives no area.  SimpleCNN at 4:4 moves
#    half the bytes of 8:8 and does narrower MACs: less energy, so 4:4 is
#    on the front (1) and 8:8 off it (0).
set -u
emlsim=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
# the value of key k in the JSON row of point p (the rows are pretty-printed,
# one key a line)
json() { # file point key
  awk -v p="$2" -v k="\"$3\":" '$1 == "\"point\":" { at = ($2 == p "," || $2 == p) }
    at && $1 == k { v = $2; sub(/,$/, "", v); print v; exit }' "$1"
}

# 1. unknown area
grep -v '^die_' "$root/models/simt/data/gpu_volta.cfg" >"$out/nodie.cfg"
printf 'arch = simt\nworkload = simplecnn\ngpu = volta, %s\n' "$out/nodie.cfg" >"$out/area.spec"
"$emlsim" sweep --quiet "$out/area.spec" -o "$out/area.csv" 2>"$out/area.err" || { cat "$out/area.err"; exit 1; }
# point,workload,gpu,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,area_mm2,...
check "the preset and its file: the same cycles, latency and energy" \
  "$(awk -F, 'NR > 1 { print $4 "|" $5 "|" $6 }' "$out/area.csv" | uniq | wc -l | tr -d ' ')" 1
check "the preset: its die, on both fronts" "$(awk -F, 'NR == 2 { print $8 "|" $9 "|" $10 }' "$out/area.csv")" \
  "1|1|815.000000"
check "the file: no area, on the 2-D front, unranked in 3-D" \
  "$(awk -F, 'NR == 3 { print $8 "|" $9 "|" $10 }' "$out/area.csv")" "1||"
check "the JSON: the file's pareto3 null, the preset's 1" \
  "$(json "$out/area.json" 1 pareto3) $(json "$out/area.json" 0 pareto3)" "null 1"
grep -q "^emlsim sweep: note: 1 of 2 design points (point 1 the first) have no known area, and so no place on the front of latency, energy and area: their pareto3 is empty$" \
  "$out/area.err" && echo "ok: a note says so" || { echo "FAIL: no note: $(cat "$out/area.err")"; fail=1; }

# 2. no figures
"$emlsim" sweep --quiet "$here/closed_user.spec" -o "$out/closed.csv" 2>/dev/null || exit 1
# point,workload,bandwidth_mode,bandwidth,mode,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,...
check "no figures: empty flags" "$(awk -F, 'NR == 2 { print $7 "|" $8 "|" $10 "|" $11 }' "$out/closed.csv")" "|||"
check "the JSON: null flags" "$(json "$out/closed.json" 0 pareto) $(json "$out/closed.json" 0 pareto3)" \
  "null null"
check "the simulated row, alone with figures: on both" \
  "$(awk -F, 'NR == 3 { print $10 "|" $11 }' "$out/closed.csv")" "1|1"

# 3. a repeat
printf 'arch = systolic\nworkload = simplecnn\nbandwidth = 4, 10\nbandwidth_mode = calc, user\n' >"$out/rep.spec"
"$emlsim" sweep --quiet "$out/rep.spec" -o "$out/rep.csv" 2>/dev/null || exit 1
# point,workload,bandwidth,bandwidth_mode,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,area_mm2,...
check "points 0 and 2: one design's figures" \
  "$(awk -F, '$1 == 0 || $1 == 2 { print $5 "|" $6 "|" $7 "|" $11 }' "$out/rep.csv" | uniq | wc -l | tr -d ' ')" 1
check "point 2 stands for it, on both fronts; point 0 unranked" \
  "$(awk -F, '$1 == 2 { a = $9 "|" $10 } $1 == 0 { b = $9 "|" $10 } END { print a, b }' "$out/rep.csv")" "1|1 |"
check "the JSON: point 0's flags null" "$(json "$out/rep.json" 0 pareto) $(json "$out/rep.json" 0 pareto3)" \
  "null null"
"$emlsim" sweep --quiet "$out/rep.spec" --pareto "$out/rep_front.csv" >/dev/null 2>&1 || exit 1
check "--pareto lists the design once" "$(awk -F, 'NR > 1 && $4 == "calc" { print $1 }' "$out/rep_front.csv")" 2

# 4. analytic: energy alone
printf 'arch = analytic\nworkload = simplecnn\nbits = 8:8, 4:4\n' >"$out/an.spec"
"$emlsim" sweep --quiet "$out/an.spec" -o "$out/an.csv" 2>/dev/null || exit 1
# point,workload,bits,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,area_mm2,...
check "analytic: 4:4 less energy than 8:8" \
  "$(awk -F, 'NR == 2 { e8 = $6 } NR == 3 { e4 = $6 } END { print (e4 < e8) }' "$out/an.csv")" 1
check "analytic: pareto on energy alone, no pareto3" \
  "$(awk -F, 'NR > 1 { printf "%s%s|%s", sep, $8, $9; sep = " " }' "$out/an.csv")" "0| 1|"
exit $fail
