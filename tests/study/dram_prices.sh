#!/bin/sh
# dram_prices.sh DIR [MIN_ROWS MIN_CELLS] - a study's energy at each published DRAM price
# (DIR/dram_prices.csv) follows from its energy as built, and the report's
# winners at each price follow from that:
#   - a model that prices DRAM from the energy table charges bits moved x
#     price, so with the price p in place of the table's p0 its energy is
#     E0 + D (p / p0 - 1), D its DRAM energy as built (energy.csv's
#     dram_uj); the GPU at its own interface (its dram_pj_per_bit, volta's
#     HBM2 3.9) is not run at the table's prices: one row, memory "the
#     GPU's own interface", as built; at dram_pj_per_bit = 0 it prices DRAM
#     from the table, its price there the row's x its energy_scale (the
#     same ratio on every row: 0.942 on volta), and E0 + D (p / p0 - 1)
#     holds for it too.  E.g. AlexNet binary at LPDDR4's 8 pJ/bit against the
#     table's 1300 / 64 = 20.3125: xnor 1939.679 + 1259.963 (8 / 20.3125 - 1)
#     = 1175.95 uJ, systolic 2039.916 + 1646.914 (8 / 20.3125 - 1) = 1041.63
#     uJ, so systolic is the best there, 1.13x (xnor is, 1.05x, as built);
#   - edp_uj_us is energy_uj x the summary's latency_us; best_energy and
#     best_edp mark the least of each (workload, width, price) among the
#     hardware designs (not the analytic model), the first of a tie, the
#     GPU's one row at its own interface counted at every price (its energy
#     the same at each) and flagged at the table's own;
#   - the report's "Best design at each DRAM price" tables give that best
#     and its margin over the next, to 2 decimals, in every cell, and a
#     margin under 1.10 (the conclusions' close call) to 3 with "(close)":
#     a 1.097 printed 1.10x (binary AlexNet at LPDDR4 before the XNOR
#     array's weight loads were charged); and the
#     conclusions' note names each width and goal whose best is another
#     design at some price, and no other.
set -u
dir=$1
# the fewest rows and report cells the study's runs make (the default
# study's; a smaller one passes its own)
min_rows=${2:-60} min_cells=${3:-12}
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$dir/dram_prices.csv e=$dir/energy.csv md=$dir/report.md
[ -s "$p" ] || { echo "FAIL: no $p"; exit 1; }
sed 's/"[^"]*"/q/g' "$dir/summary.csv" >"$tmp/s.csv"
# linear in the price, from energy.csv's DRAM energy
got=$(awk -F, -v min="$min_rows" 'FILENAME == ARGV[1] { if (FNR == 1) { for (i = 1; i <= NF; i++) h[$i] = i; next }
    dram[$h["workload"] "|" $h["arch"] "|" $h["bits"]] = $h["dram_uj"] + 0; next }
  FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { k = $c["workload"] "|" $c["arch"] "|" $c["bits"]; n[k]++; rows++
    pr[k, n[k]] = $c["dram_pj_per_bit"]; en[k, n[k]] = $c["energy_uj"]
    if ($c["as_built"] == 1) { p0[k] = $c["dram_pj_per_bit"]; e0[k] = $c["energy_uj"]; built[k]++ } }
  END { for (k in n) {
      if (built[k] != 1) { print k, "has", built[k] + 0, "rows as built"; continue }
      for (m = 1; m <= n[k]; m++) {
        want = e0[k] + dram[k] * (pr[k, m] / p0[k] - 1)
        d = en[k, m] - want; if (d < 0) d = -d
        if (d > 2e-6 + 1e-6 * want) print k, "at", pr[k, m], "pJ/bit:", en[k, m], "not", want } }
    if (rows < min) print "only", rows, "rows" }' "$e" "$p")
[ -z "$got" ] && ok "every design's energy at each price is E0 + D (p / p0 - 1)" ||
  bad "energy at other prices: $got"
# energy.csv's dram_pj_per_bit (DRAM energy over the bits moved) of every
# model the table prices is the table's own, 1300 / 64 = 20.3125, printed
# 20.312: the XNOR array's said 20.313, its bytes moved truncated from bits
got=$(awk -F, 'FILENAME == ARGV[1] { if (FNR > 1 && $6 == 1 && $2 != "simt") p0 = $5; next }
  FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["arch"] != "simt" && $h["dram_pj_per_bit"] != "" && $h["dram_pj_per_bit"] != sprintf("%.3f", p0) {
    print $h["workload"], $h["arch"], $h["bits"] ": " $h["dram_pj_per_bit"] " not " sprintf("%.3f", p0) }' "$p" "$e")
[ -z "$got" ] && ok "every table-priced model's DRAM costs the table's price a bit" ||
  bad "dram_pj_per_bit: $got"
# the GPU's rows give the price it charges: as built, energy.csv's (its
# DRAM energy over its bits moved; volta's HBM2 sector of 32 B at 998.4 pJ
# is 998.4 / 256 = 3.9 pJ/bit), not the row's memory's (a DDR3 row said 70
# beside the GPU's unchanged energy); at its own interface one row, as
# built (six rows named HBM2 to DDR3 at one price and energy said it ran
# at each); priced from the table, a row at each of the arrays' memories at
# their price x one ratio (its energy_scale)
got=$(awk -F, 'FILENAME == ARGV[1] { if (FNR == 1) { for (i = 1; i <= NF; i++) h[$i] = i; next }
    if ($h["arch"] == "simt") own[$h["workload"] "|" $h["bits"]] = $h["dram_pj_per_bit"]; next }
  FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["arch"] != "simt" && $c["arch"] != "analytic" { apr[$c["memory"]] = $c["dram_pj_per_bit"]; next }
  $c["arch"] == "simt" { k = $c["workload"] "|" $c["bits"]; n++; rows[k]++
    if ($c["memory"] == "the GPU\047s own interface") { mine[k]++; if ($c["as_built"] != 1) print k, "own row not as built" }
    else { gm[k, $c["memory"]] = $c["dram_pj_per_bit"]; mems[k] = mems[k] "|" $c["memory"] }
    if ($c["as_built"] == 1 && (!(k in own) || sprintf("%.3f", $c["dram_pj_per_bit"]) != own[k]))
      print k, $c["memory"] ": " $c["dram_pj_per_bit"] " not " own[k] }
  END { if (!n) print "no GPU rows"
    for (k in rows) {
      if (mine[k] && rows[k] != 1) { print k, "own interface and", rows[k] - 1, "other rows"; continue }
      if (mine[k]) continue
      nm = split(substr(mems[k], 2), ms, "|"); r0 = ""
      for (m in apr) if (!((k, m) in gm)) print k, "no row at", m
      for (i = 1; i <= nm; i++) { if (!(ms[i] in apr)) { print k, "row at", ms[i], "no array has"; continue }
        r = gm[k, ms[i]] / apr[ms[i]]; if (r0 == "") r0 = r
        d = r - r0; if (d < 0) d = -d; if (d > 1e-3 * r0) print k, ms[i] ": " gm[k, ms[i]] " not " apr[ms[i]] " x " r0 } } }' "$e" "$p")
[ -z "$got" ] && ok "the GPU's rows give the price it charges, one row at its own interface" ||
  bad "GPU prices: $got"
# the EDP, and the best at each price (the GPU's one row at its own
# interface a candidate at every price of its width, flagged at the
# table's own)
awk -F, 'function consider(g, i) {
    if (!(g in be) || en[i] + 0 < ve[g]) { be[g] = i; ve[g] = en[i] }
    if (ed[i] != "" && (!(g in bd) || ed[i] + 0 < vd[g])) { bd[g] = i; vd[g] = ed[i] } }
  FILENAME == ARGV[1] { if (FNR > 1) lat[$10 "|" $1 "|" $2] = $4; next }
  FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { k = $c["workload"] "|" $c["arch"] "|" $c["bits"]; l = lat[k]
    if (l != "" && $c["edp_uj_us"] != "") {
      d = $c["edp_uj_us"] - $c["energy_uj"] * l; if (d < 0) d = -d
      if (d > 1e-6 * $c["edp_uj_us"] + 1e-3) print "edp", $0 }
    if ($c["arch"] == "analytic") next
    wb = $c["workload"] "|" $c["bits"]; n++
    ar[n] = wb "|" $c["memory"] " " $c["arch"]; en[n] = $c["energy_uj"]
    ed[n] = l != "" ? $c["edp_uj_us"] : ""; fl[n] = $c["best_energy"] "|" $c["best_edp"]
    if ($c["memory"] == "the GPU\047s own interface") { own[wb] = n; owb[n] = wb; next }
    g = wb "|" $c["memory"]; gr[n] = g; of[g] = wb
    if ($c["as_built"] == 1) built[wb] = g }
  END { for (i = 1; i <= n; i++) if (i in gr) consider(gr[i], i)
    for (g in of) if (of[g] in own) consider(g, own[of[g]])
    for (i = 1; i <= n; i++) {
      if (i in gr) g = gr[i]
      else if (owb[i] in built) g = built[owb[i]]
      else { g = "alone " i; consider(g, i) }
      want = (be[g] == i) "|" (bd[g] == i)
      if (fl[i] != want) print "best flags of", ar[i], fl[i], "not", want } }' \
  "$tmp/s.csv" "$p" >"$tmp/best"
[ -s "$tmp/best" ] && bad "$(cat "$tmp/best")" ||
  ok "edp_uj_us is energy x latency; best_energy and best_edp mark each price's least"
# the report's tables: best and margin at each price, per workload
awk -F'|' '/^### Best design at each DRAM price \(pJ\/bit\): / { wl = $0; sub(/.*: /, "", wl); hdr = 1; next }
  /^### / || /^## / { wl = "" }
  wl != "" && /^\| / { for (i = 2; i < NF; i++) gsub(/^ +| +$/, "", $i)
    if (hdr) { for (i = 4; i < NF; i++) { col[i] = $i; sub(/ [0-9.]+( \(as built\))?$/, "", col[i]) }; hdr = 0; next }
    if ($2 ~ /^-/) next
    for (i = 4; i < NF; i++) print wl "|" $2 "|" $3 "|" col[i] "|" $i }' "$md" >"$tmp/cells"
[ -s "$tmp/cells" ] || bad "no 'Best design at each DRAM price' table in $md"
got=$(awk -F, -v min="$min_cells" 'FILENAME == ARGV[1] { if (FNR > 1) lat[$10 "|" $1 "|" $2] = $4; next }
  FILENAME == ARGV[2] { if (FNR == 1) { for (i = 1; i <= NF; i++) c[$i] = i; next }
    if ($c["arch"] == "analytic") next
    if ($c["memory"] == "the GPU\047s own interface") { # a candidate at every price
      k = $c["workload"] "|" $c["bits"]; oa[k] = $c["arch"]
      ov[k, "energy"] = $c["energy_uj"]; ov[k, "energy-delay product"] = $c["edp_uj_us"]; next }
    k = $c["workload"] "|" $c["bits"] "|" $c["memory"]; m = ++n[k]; a[k, m] = $c["arch"]
    v[k, m, "energy"] = $c["energy_uj"]; v[k, m, "energy-delay product"] = $c["edp_uj_us"]; next }
  { split($0, f, "|"); k = f[1] "|" f[2] "|" f[4]; g = f[3]; cells++
    wb = f[1] "|" f[2]
    if ((wb in oa) && !((k, "own") in done)) { done[k, "own"] = 1; m = ++n[k]; a[k, m] = oa[wb]
      v[k, m, "energy"] = ov[wb, "energy"]; v[k, m, "energy-delay product"] = ov[wb, "energy-delay product"] }
    b = 0; s = 0
    for (m = 1; m <= n[k]; m++) { x = v[k, m, g]; if (x == "") continue
      if (!b || x < v[k, b, g]) { s = b; b = m } else if (!s || x < v[k, s, g]) s = m }
    r = s ? v[k, s, g] / v[k, b, g] : 0
    want = !b ? "" : !s ? a[k, b] " (alone)" : r < 1.10 ? sprintf("%s, %.3fx (close)", a[k, b], r) : sprintf("%s, %.2fx", a[k, b], r)
    if (f[5] != want) print $0, "not", want }
  END { if (cells < min) print "only", cells, "cells" }' "$tmp/s.csv" "$p" FS='|' "$tmp/cells")
[ -z "$got" ] && ok "each price's best and margin in the report follow from dram_prices.csv" ||
  bad "price tables: $got"
# the conclusions' note: the widths and goals whose best changes with the price
want=$(awk -F'|' '{ split($5, w, /[, ]/); key = $1 "|" $2 "|" $3; win[key] = win[key] " " w[1] }
  END { for (k in win) { n = split(win[k], x, " "); for (i = 2; i <= n; i++) if (x[i] != x[1]) { print k; break } } }' \
  "$tmp/cells" | sort)
have=$(awk '/^### Best design per bit width: / { wl = $0; sub(/.*: /, "", wl) }
  /^- note: with DRAM at another published price/ { s = $0; sub(/.* another design for [0-9]+ of these: /, "", s)
    n = split(s, it, "; "); for (i = 1; i <= n; i++) { split(it[i], q, ": "); split(q[1], bg, " ")
      g = q[1]; sub(/^[a-z0-9]+ /, "", g); print wl "|" bg[1] "|" g } }' "$md" | sort -u)
[ "$want" = "$have" ] && ok "the conclusions name each width and goal whose best changes with the price (${want:-none})" ||
  bad "the note names '$have', the tables show '$want'"
exit $fail
