#!/bin/sh
# sources.sh EMLSIM DIR - what the default study (DIR: its report folder)
# says of where its figures come from agrees with the figures:
#   - area: each alexnet run's area_mm2 is the one the model's own command
#     gives for that design point and width ("area: X mm^2 at N nm ...
#     (SOURCE)": `emlsim systolic|bitserial|xnor alexnet --bits W:A`, and
#     `emlsim models simt` for the GPU, whose area is its chip's published
#     die whatever the layer: GV100, 815 mm^2 at 12 nm, NVIDIA's V100
#     whitepaper), and the summary's note names that node and source for
#     each model; inf_per_s_per_mm2 is 1e6 / latency_us / area_mm2; and
#     since the arrays' areas are ours at 45 nm and the GPU's at 12 nm, the
#     conclusions say per mm^2 compares different nodes (they said nothing:
#     the GPU's 1.2 inferences/s/mm^2 stood beside the arrays' as like for
#     like);
#   - break-even: where a simulated break-even in breakeven_points.csv is
#     not the linear interpolation between breakeven.csv's last point at or
#     below 1 and the first above (it was bisected: a step curve), the
#     points' note says so (it said "linear between points" beside the
#     systolic channel's 0.0844, bisected from a speedup of 1.000 at 0.05).
set -u
emlsim=$1 dir=$2
s=$dir/summary.csv md=$dir/report.md
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/"[^"]*"/q/g' "$s" >"$tmp/s.csv"
note=$(grep '^- note: area_mm2 sources:' "$md")
[ -n "$note" ] || bad "no note on the areas' sources in $md"
# summary.csv: arch,bits,cycles,latency_us,...,workload(10),accuracy_pct,area_mm2(12),inf_per_s_per_mm2(13)
awk -F, '$10 == "alexnet" && $12 != "" {print $1, $2, $4, $12, $13}' "$tmp/s.csv" >"$tmp/rows"
[ -s "$tmp/rows" ] || bad "no alexnet run with an area"
while read -r arch bits lat area per; do
  case $bits in int8) wa=8:8 ;; int4) wa=4:4 ;; binary) wa=1:1 ;; *) wa= ;; esac
  if [ "$arch" = simt ]; then
    "$emlsim" models simt >"$tmp/cmd" 2>&1
  else
    "$emlsim" "$arch" alexnet --bits "$wa" >"$tmp/cmd" 2>&1
  fi
  line=$(sed -n 's/^ *area: //p' "$tmp/cmd" | head -1)
  # "3.6021 mm^2 at 45 nm: logic ..., SRAM ... (SOURCE)" or "815 mm^2 at 12 nm (SOURCE)"
  want=$(echo "$line" | awk '{printf "%.4f", $1}')
  nm=$(echo "$line" | sed -n 's/^[0-9.]* mm^2 at \([0-9]*\) nm.*/\1/p')
  src=$(echo "$line" | sed -n 's/.*(\(.*\))$/\1/p')
  if [ "$area" = "$want" ]; then ok "$arch $bits: $area mm^2, as its command says"
  else bad "$arch $bits: the study's $area mm^2, the command's '$line'"; fi
  case $note in
  *"$arch at $nm nm ($src)"*) ok "$arch: the note names $nm nm ($src)" ;;
  *) bad "$arch: the note does not name '$arch at $nm nm ($src)': $note" ;;
  esac
  got=$(awk -v l="$lat" -v a="$area" -v p="$per" 'BEGIN { w = 1e6 / l / a; d = w - p
    if (d < 0) d = -d; print (d <= 0.05 + 1e-6 * w) ? "" : w }')
  [ -z "$got" ] && ok "$arch $bits: $per inferences/s/mm^2" ||
    bad "$arch $bits: inf_per_s_per_mm2 $per, 1e6 / $lat / $area = $got"
done <"$tmp/rows"
# the GPU's die by hand: 815 mm^2 at 12 nm (NVIDIA Tesla V100 GPU Architecture, 2017)
grep -q '^simt fp32 [0-9.]* 815.0000 ' "$tmp/rows" && ok "volta: GV100's 815 mm^2" ||
  bad "volta's area: $(grep '^simt' "$tmp/rows")"
grep -q '^- note: per mm^2 compares areas at different nodes (.*45 nm.*simt 12 nm' "$md" &&
  ok "the conclusions say per mm^2 spans 45 and 12 nm" ||
  bad "the conclusions do not say per mm^2 compares different nodes"

# breakeven.csv: arch,format,layer,sparsity,realized,dense_cycles,sparse_cycles,speedup,...
# breakeven_points.csv: arch,format,layer,outcome_sim,breakeven_sim,...
bis=$(awk -F, 'NR == FNR { if (FNR > 1) { k = $1 "|" $2 "|" $3; m = ++n[k]; s[k, m] = $4; y[k, m] = $8 } next }
  FNR > 1 && $4 == "breaks even" { k = $1 "|" $2 "|" $3
    for (i = 2; i <= n[k]; i++) if (y[k, i] == "" || y[k, i] > 1 + 1e-9) break
    if (i > n[k]) { print "no crossing", k; next }
    x = s[k, i - 1] + (s[k, i] - s[k, i - 1]) * (1 - y[k, i - 1]) / (y[k, i] - y[k, i - 1])
    if (y[k, i] == "") x = s[k, i]
    d = x - $5; if (d < 0) d = -d
    if (d > 0.0006) print k }' "$dir/breakeven.csv" "$dir/breakeven_points.csv")
case $bis in
"") echo "note: no simulated break-even bisected in $dir" ;;
*"no crossing"*) bad "a break-even without a crossing in breakeven.csv: $bis" ;;
*)
  pn=$(grep "^- note: outcomes: 'breaks even'" "$md")
  case $pn in
  *"or bisected with 4 more runs"*) ok "bisected ($(echo $bis)): the points' note says so" ;;
  *) bad "bisected break-evens ($(echo $bis)), the note: $pn" ;;
  esac ;;
esac
# energy.csv's dram_pj_per_bit: what each model prices a DRAM bit at, by
# hand: the arrays and the closed form charge horowitz45's DRAM row, 1300 pJ
# a 64-bit access (Horowitz ISSCC 2014, the low end of 1.3-2.6 nJ), 1300 /
# 64 = 20.3125 pJ/bit; the GPU its preset's HBM2, 3.9 pJ/bit
# (gpu_volta.cfg's dram_pj_per_bit: Accelergy's CACTI plug-in) - the
# report's energy paragraph once said every model was priced by the table
e=$dir/energy.csv
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["workload"] == "alexnet" { want = $h["arch"] == "simt" ? 3.9 : 20.3125
    d = $h["dram_pj_per_bit"] - want; if (d < 0) d = -d
    if ($h["dram_pj_per_bit"] == "" || d > 0.001) print $h["arch"], $h["bits"], $h["dram_pj_per_bit"] }' "$e")
[ -z "$got" ] && ok "dram_pj_per_bit: 20.3125 on the arrays, 3.9 on the GPU" ||
  bad "dram_pj_per_bit off: $got"
grep -q "but not priced alike: the arrays and the closed-form model charge the table's events" "$md" &&
  ok "the energy paragraph says the GPU is priced otherwise" ||
  bad "the energy paragraph does not say how the models are priced"
[ $fail = 0 ] && echo "ok: the study's sources hold"
exit $fail
