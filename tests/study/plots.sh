#!/bin/sh
# plots.sh study|quant DIR PNG_CHECK - the plots of `emlsim study` (or
# `emlsim quant`) written to DIR, looked at.
#
# Every PNG is a 960 x 600 picture with its data drawn in colour
# (png_check), and the SVG twin of each says what a reader would see
# (svg_text.sh reads its labels):
#   - no two labels overprint, in any plot;
#   - the Pareto plots' axes are fitted to the points in the CSV beside
#     them, every tick within a factor 2 of the extremes (an empty decade
#     would put one 10x past them): study's latency and energy
#     (summary.csv, the workload's rows), the SimpleCNN's energy and test
#     error (its rows with an accuracy), quant's MBOPS and test error
#     (quant.csv);
# and of the study's:
#   - bits: the widths are categories, fp32 int8 int4 binary in that order,
#     with no number on the x axis;
#   - energy_*: the four models' charts share one y scale (the same ticks)
#     whose top tick is within a factor 10 below and 2 above the largest
#     layer's energy of the plotted runs (layers.csv);
#   - breakeven: speedup on a log axis centred on 1x: ticks in 'x', 1x among
#     them, and t a tick exactly when 1/t is one;
#   - simt_stalls: shares of 100 %, the axis ends there.
# quant's DIR is tests/quant's output: absent (that test not run), this one
# is skipped (exit 77).
set -u
what=$1
dir=$2
png_check=$3
svg="$(dirname "$0")/svg_text.sh"
p=$dir/plots
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if [ "$what" = quant ] && [ ! -f "$dir/quant.csv" ]; then
  echo "skipped: no $dir/quant.csv (the quant.fashion_mnist test writes it)"
  exit 77
fi
n=$(ls "$p"/*.png 2>/dev/null | wc -l)
want=10
[ "$what" = quant ] && want=4
[ "$n" -ge "$want" ] || fail "$n PNG plots in $p, expected $want"
"$png_check" --size 960x600 "$p"/*.png || fail "a PNG is not a plot (above)"

for f in "$p"/*.svg; do
  o=$("$svg" overlaps "$f")
  [ -z "$o" ] || fail "$(basename "$f"): labels overprint: $o"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# within SVG ANCHOR CSV COLUMN KEY: every tick of that axis in [min/2, 2 max]
# of COLUMN over the CSV's rows where KEY (a column) is not empty, and at
# least 2 ticks; the columns by name, quoted fields (names with commas)
# blanked first
within() {
  "$svg" ticks "$1" "$2" >"$tmp/ticks"
  sed 's/"[^"]*"/q/g' "$3" >"$tmp/csv"
  awk -F, -v col="$4" -v key="$5" -v what="$(basename "$1") $2" '
    NR == FNR && FNR == 1 { for (i = 1; i <= NF; i++) { if ($i == col) c = i; if ($i == key) l = i }; next }
    NR == FNR { if (c && l && $c != "" && $l != "") { v = $c + 0; if (!n++ || v < lo) lo = v; if (v > hi) hi = v }; next }
    { t = $1 + 0; k++; if (t < lo / 2 || t > 2 * hi) { printf "FAIL: %s: tick %s outside [%g, %g]\n", what, $1, lo / 2, 2 * hi; bad = 1 } }
    END { if (!c || !l || !n) { print "FAIL: no values in column " col; exit 1 } if (k < 2) { printf "FAIL: %s: %d ticks\n", what, k; exit 1 } exit bad }
  ' "$tmp/csv" "$tmp/ticks" || fail "$(basename "$1"): the $2-anchored axis is not fitted to $4"
}

if [ "$what" = quant ]; then
  # error_vs_bops: MBOPS (x) and the test error, 100 - accuracy_pct (y), of
  # every variant with a cost (fp32, the reference, has none)
  within "$p/error_vs_bops.svg" middle "$dir/quant.csv" mbops_mac mbops_mac
  sed 's/"[^"]*"/q/g' "$dir/quant.csv" |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; print "err,mbops_mac"; next }
             $h["mbops_mac"] != "" { printf "%.6g,%s\n", 100 - $h["accuracy_pct"], $h["mbops_mac"] }' >"$tmp/err.csv"
  within "$p/error_vs_bops.svg" end "$tmp/err.csv" err mbops_mac
  [ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
  echo "ok: $n plots looked at"
  exit 0
fi

# study: latency_us (x) and energy_uj (y) of every run of the study's own
# workload (the first row's) with a latency
sed 's/"[^"]*"/q/g' "$dir/summary.csv" |
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; print; next }
           NR == 2 { w = $h["workload"] } $h["workload"] == w' >"$tmp/main.csv"
within "$p/pareto.svg" middle "$tmp/main.csv" latency_us latency_us
within "$p/pareto.svg" end "$tmp/main.csv" energy_uj latency_us
# the SimpleCNN's: energy_uj (x) and test error, 100 - accuracy_pct (y), of
# every run with an accuracy and a latency
sed 's/"[^"]*"/q/g' "$dir/summary.csv" |
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; print "err,energy_uj"; next }
           $h["accuracy_pct"] != "" && $h["latency_us"] != "" {
             printf "%.6g,%s\n", 100 - $h["accuracy_pct"], $h["energy_uj"] }' >"$tmp/acc.csv"
within "$p/pareto_accuracy.svg" middle "$tmp/acc.csv" energy_uj energy_uj
within "$p/pareto_accuracy.svg" end "$tmp/acc.csv" err energy_uj

# bit widths as categories
cats=$("$svg" labels "$p/bits.svg" middle | grep -Ex 'fp32|fp16|int8|int4|int2|binary' | tr '\n' ' ')
[ "$cats" = "fp32 int8 int4 binary " ] || fail "bits.svg: x categories '$cats', expected 'fp32 int8 int4 binary '"
nx=$("$svg" ticks "$p/bits.svg" middle | wc -l)
[ "$nx" = 0 ] || fail "bits.svg: $nx numbers on the x axis"

# one scale for the four energy charts
ref=$("$svg" ticks "$p/energy_systolic.svg" end | tr '\n' ' ')
for a in bitserial xnor simt; do
  t=$("$svg" ticks "$p/energy_$a.svg" end | tr '\n' ' ')
  [ "$t" = "$ref" ] || fail "energy_$a.svg ticks '$t', energy_systolic.svg '$ref'"
done
top=$("$svg" ticks "$p/energy_systolic.svg" end | sort -g | tail -1)
# the plotted run of each model is its first width in layers.csv; its
# largest layer, all five components (compute, SRAM, DRAM, local, static), in uJ
awk -F, -v top="$top" '
  NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  { a = $h["arch"]; b = $h["bits"] }
  a == "analytic" { next }
  !(a in first) { first[a] = b }
  first[a] == b { e = ($h["compute_pj"] + $h["sram_pj"] + $h["dram_pj"] + $h["local_pj"] + $h["static_pj"]) * 1e-6; if (e > m) m = e }
  END {
    if (!("compute_pj" in h) || !(top > 0)) { print "FAIL: no layer energies or no ticks"; exit 1 }
    if (top < m / 10 || top > 2 * m) { printf "FAIL: top tick %s, the largest layer %g uJ\n", top, m; exit 1 }
  }' "$dir/layers.csv" || fail "energy charts: the scale does not fit the largest layer"

# break-even: a ratio axis centred on 1x
be=$("$svg" labels "$p/breakeven.svg" end | grep -E '^[0-9.]+x$' | tr '\n' ' ')
case " $be" in *" 1x "*) ;; *) fail "breakeven.svg: no 1x tick among '$be'" ;; esac
"$svg" ticks "$p/breakeven.svg" end | awk '
  { t[NR] = $1 + 0 }
  END {
    for (i = 1; i <= NR; i++) {
      f = 0
      for (j = 1; j <= NR; j++) if (t[i] * t[j] > 0.999 && t[i] * t[j] < 1.001) f = 1
      if (!f) { printf "FAIL: breakeven.svg: tick %g without %g\n", t[i], 1 / t[i]; bad = 1 }
    }
    exit bad
  }' || fail "breakeven.svg: the axis is not centred on 1x"

st=$("$svg" ticks "$p/simt_stalls.svg" end | sort -g | tail -1)
[ "$st" = 100 ] || fail "simt_stalls.svg: the top tick is $st, expected 100"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: $n plots looked at"
