#!/bin/sh
# report_notes.sh DIR - what the default study's report (DIR: its folder)
# says of its designs, read against the run's own CSVs:
#   - areas: a model whose area differs from width to width in summary.csv
#     (area_mm2) is said to be built for the width, with each width's area to
#     4 significant digits (the systolic array, its PE the narrowest
#     synthesized, 2 / 4 / 8 / 16 / 32 bits, that holds the layer's wider
#     operand: 3.602 mm^2 at int8, 2.291 at int4, 1.864 at binary, the 2-bit
#     PE's);
#     one with the same area at every width is said to be fixed (the
#     bit-serial array, 3.106 mm^2), and per mm^2 at a narrow width is said
#     to compare the two; not "the other arrays' are fixed";
#   - the DRAM bandwidth a design with no bound needs: the most, over its
#     layers and widths, of a layer's DRAM bytes over its latency, from
#     layers.csv and energy.csv: bytes = dram_pj / (8 x dram_pj_per_bit),
#     latency = cycles / freq_mhz us, so GB/s = bytes x freq_mhz / cycles
#     / 1000 (bitserial's binary FC-1: 4.744 MB in 130.6 us = 36.3 GB/s,
#     2.8x the XNOR array's 12.8), named with its layer and width;
#   - the GPU's mask format, run as the dense kernel, said to equal dense by
#     construction where its row is in 'Where sparsity pays';
#   - the break-even plot's axis is the sparsity asked (breakeven.csv's
#     sparsity), the report naming the realized_sparsity column;
#   - breakeven_points.csv's fit_err_pct at one decimal in every row;
#   - the GPU's compute energy said to be arithmetic and instruction issue.
set -u
dir=$1
md=$dir/report.md
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# --- areas (the study's workload: the first 'areas:' note) ---
area_note=$(grep -m1 '^- note: areas: ' "$md")
[ -n "$area_note" ] || bad "no areas note in $md"
if grep -q "where the other arrays' are fixed" "$md"; then
  bad "the report still says the other arrays' areas are fixed"
fi
got=$(awk -F, -v note="$area_note" '
  NR > 1 && $10 == "alexnet" && $12 != "" { n[$1]++; a[$1, n[$1]] = $12; b[$1, n[$1]] = $2 }
  END {
    for (m in n) {
      if (m == "xnor") continue                    # grows with the workload
      differ = 0
      for (i = 2; i <= n[m]; i++) if (a[m, i] != a[m, 1]) differ = 1
      if (differ) {
        if (index(note, m "'"'"'s is built for the width") == 0) print m, "not said built for the width"
        for (i = 1; i <= n[m]; i++) {
          w = sprintf("%.4g mm^2 at %s", a[m, i], b[m, i])
          if (index(note, w) == 0) print m, "lacks \"" w "\""
        }
        wide = m
      } else {
        w = sprintf("%s'"'"'s is fixed (%.4g mm^2", m, a[m, 1])
        if (index(note, w) == 0) print m, "lacks \"" w "\""
        if (n[m] > 1) flex = m
      }
    }
    if (wide != "" && flex != "") {
      w = "per mm^2 at a narrow width compares " wide ", built for that width, with " flex
      if (index(note, w) == 0) print "lacks \"" w "\""
    }
  }' "$dir/summary.csv")
if [ -n "$got" ]; then bad "areas note: $got"; else ok "areas note agrees with summary.csv's area_mm2"; fi

# --- the DRAM bandwidth the unbounded designs need (the first such note) ---
bw_note=$(grep -m1 '^- note: the DRAM bandwidth each design holds its layers to: ' "$md")
got=$(awk -F, -v note="$bw_note" '
  NR == FNR { if (FNR > 1 && $1 == "alexnet") { pb[$2 "," $3] = $14; f[$2 "," $3] = $4 }; next }
  FNR > 1 && $4 != "" && $7 != "" {
    k = $1 "," $2; if (!(pb[k] > 0) || !(f[k] > 0)) next
    g = $7 / (8 * pb[k]) * f[k] / $4 / 1e3
    if (g > top[$1]) { top[$1] = g; at[$1] = $3 " at " $2 }
  }
  END {
    n = 0
    for (m in top) {
      if (index(note, m " none") == 0) continue      # a design held to a bandwidth
      n++
      p = index(note, m " none (its layers need up to ")
      if (!p) { print m, "no need given"; continue }
      rest = substr(note, p + length(m " none (its layers need up to "))
      v = rest + 0
      if (v < top[m] * 0.999 || v > top[m] * 1.001) print m, "says", v, "GB/s, layers.csv gives", top[m]
      sub(/^[0-9.e+-]+ GB\/s: /, "", rest)
      if (index(rest, at[m] ",") != 1) print m, "not at", at[m] ": " rest
    }
    if (n < 2) print "expected systolic and bitserial unbounded, found", n
  }' "$dir/energy.csv" "$dir/layers.csv")
if [ -n "$got" ]; then bad "bandwidth note: $got"; else ok "each unbounded design's DRAM need is layers.csv's bytes over latency"; fi

# --- the GPU's mask format ---
if grep -q '^| simt *| [a-z0-9]* *| mask ' "$md"; then
  if grep -q '^- note: simt mask: on the GPU a mask (zero gating) runs the dense kernel.*equals dense at every sparsity by construction' "$md"
  then ok "the GPU's mask row is said to be dense by construction"
  else bad "a simt mask row without the dense-kernel note"; fi
else bad "no simt mask row in the default study"; fi

# --- the break-even plot's axis and the realized sparsity ---
if grep -q '>sparsity asked (nominal fraction of zero weights)<' "$dir/plots/breakeven.svg" &&
   ! grep -q '>sparsity (fraction of zero weights)<' "$dir/plots/breakeven.svg"
then ok "the break-even axis is the sparsity asked"
else bad "the break-even axis does not say it is the sparsity asked"; fi
n=$(grep -c "realized_sparsity" "$md")
if [ "$n" -ge 1 ]; then ok "the report names breakeven.csv's realized_sparsity"
else bad "the report does not name realized_sparsity"; fi

# --- fit_err_pct at one decimal ---
got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "fit_err_pct") c = i; next }
  $c != "" && $c !~ /^-?[0-9]+[.][0-9]$/ { print $1 "," $2 ": " $c }' "$dir/breakeven_points.csv")
if [ -n "$got" ]; then bad "fit_err_pct not at one decimal: $got"; else ok "fit_err_pct at one decimal"; fi

# --- the GPU's compute energy ---
if grep -q "^- note: components, .*compute (arithmetic; the GPU's arithmetic and instruction issue" "$md"
then ok "the GPU's compute is arithmetic and instruction issue"
else bad "the components note does not say the GPU's compute includes instruction issue"; fi
exit $fail
