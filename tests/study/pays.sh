#!/bin/sh
# pays.sh DIR - the conclusions' "Where sparsity pays" table of a study
# (DIR: its report folder) read against the sweeps it comes from
# (breakeven.csv), each cell recomputed here:
#   - "never wins": no swept point's ratio (the speedup; for energy, dense
#     over sparse energy) is above 1; "wins everywhere": the first one is;
#   - "from s = X": X lies in the bracket (s_{i-1}, s_i] before the first
#     point above 1; "below 1 again at Y" exactly when a later point is
#     below 1, Y the first such; "with every weight zero" exactly when the
#     first point at or past X has a realized sparsity of 1; "(Z of the
#     weights zero)", a bisected step's first paying run, only beside an X
#     that Z differs from, and Z is above the realized sparsity of the
#     bracket's lower end, rs_{i-1} (a pattern dropping whole channels or
#     blocks: that run had more zeros than the point that did not pay; not
#     below rs_i, as blocks at a matrix's edge are smaller: one block of
#     CONV-3's 18 at bsr256 zeroes 0.0741 of the weights, or 0.0370 where
#     it is one of the nine 128-row halves);
#   - bits: the width the sweep ran at; where an array's sweep runs a whole
#     layer, its dense cycles are layers.csv's for that model, width and
#     layer (the bit-serial array's sweep runs int4, not its default int8);
#     the GPU's are fp32 (its dense reference is the fastest dense kernel of
#     the shape, not the layer's own: models/README.md);
#   - model (latency): breakeven_points.csv's outcome_model (its
#     breakeven_model as "from s = X" where it breaks even) and, after it,
#     ": agrees" or ": disagrees" as its agree column says (the table gave
#     the simulated break-even alone: systolic CSR "from s = 0.9222" where
#     the model never wins and the two disagree).
set -u
dir=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^### / { on = ($0 == "### Where sparsity pays") ; next } /^## / { on = 0 }
     on && /^\| / && !/^\| arch / && !/^\| -/ {
       n = split($0, c, "|"); row = ""
       for (i = 2; i < n; i++) { gsub(/^ +| +$/, "", c[i]); row = row (i > 2 ? "|" : "") c[i] }
       print row }' "$dir/report.md" >"$tmp/pays"
[ -s "$tmp/pays" ] || { echo "FAIL: no 'Where sparsity pays' table in $dir/report.md"; exit 1; }
sed 's/"[^"]*"/q/g' "$dir/layers.csv" >"$tmp/layers.csv"
got=$(awk -F'|' -v bcsv="$dir/breakeven.csv" -v lcsv="$tmp/layers.csv" -v pcsv="$dir/breakeven_points.csv" '
  BEGIN {
    while ((getline line < bcsv) > 0) {
      if (line ~ /^arch,/) continue
      split(line, f, ","); k = f[1] "|" f[2] "|" f[3]; m = ++np[k]
      s[k, m] = f[4] + 0; rs[k, m] = f[5] + 0; dc[k] = f[6]; sp[k, m] = f[8] + 0
      eg[k, m] = f[10] > 0 ? f[9] / f[10] : 1e300
    }
    while ((getline line < lcsv) > 0) { split(line, f, ","); cyc[f[1] "|" f[2] "|" f[3]] = f[4] }
    # arch,format,layer,outcome_sim,breakeven_sim,outcome_model,breakeven_model,...,agree(12)
    while ((getline line < pcsv) > 0) {
      if (line ~ /^arch,/) continue
      split(line, f, ","); k = f[1] "|" f[2] "|" f[3]
      mw[k] = (f[6] == "breaks even" ? sprintf("from s = %.4f", f[7]) : f[6]) \
              (f[12] == "yes" ? ": agrees" : ": disagrees")
    }
  }
  # check CELL of sweep K against ratios R (sp or eg)
  function check(k, cell, what, e,   m, i, first, x, back, want, z, zt) {
    m = np[k]; first = 0
    for (i = 1; i <= m; i++) if ((e ? eg[k, i] : sp[k, i]) > 1) { first = i; break }
    if (!first) { if (cell != "never wins") print k, what, "never passes 1, the table says: " cell; return }
    if (first == 1) { if (cell != "wins everywhere") print k, what, "wins from the first point, the table says: " cell; return }
    if (cell !~ /^from s = /) { print k, what, "passes 1 at point " first ", the table says: " cell; return }
    x = substr(cell, 10) + 0
    if (!(x > s[k, first - 1] && x <= s[k, first])) print k, what, "X = " x " outside (" s[k, first - 1] ", " s[k, first] "]"
    back = ""
    for (i = 1; i <= m; i++) if (s[k, i] > x && (e ? eg[k, i] : sp[k, i]) < 1) { back = sprintf("%.2f", s[k, i]); break }
    zt = ""
    if (match(cell, /\([0-9.]+ of the weights zero\)/)) {
      z = substr(cell, RSTART + 1) + 0; zt = sprintf(" (%.4f of the weights zero)", z)
      if (sprintf("%.4f", z) == sprintf("%.4f", x)) print k, what, "zeros " z " beside an equal X"
      if (!(z > rs[k, first - 1] && z <= 1))
        print k, what, "zeros " z " outside (" rs[k, first - 1] ", 1]"
    }
    for (i = 1; i <= m; i++) if (s[k, i] >= x) break
    want = sprintf("from s = %.4f", x) zt
    if (i <= m && rs[k, i] >= 1) want = want ", with every weight zero"
    else if (back != "") want = want ", below 1 again at " back
    if (cell != want) print k, what, "expected \"" want "\", the table says \"" cell "\""
  }
  { a = $1; bits = $2; k = $1 "|" $3 "|" $4; n++
    if (!(k in np)) { print "no sweep", k; next }
    check(k, $5, "latency", 0); check(k, $6, "energy", 1)
    if (!(k in mw)) print k, "no row in breakeven_points.csv"
    else if ($7 != mw[k]) print k, "model: expected \"" mw[k] "\", the table says \"" $7 "\""
    if (a == "simt") { if (bits != "fp32") print k, "the GPU sweeps fp32 kernels, the table says " bits }
    else if ($4 !~ / \(/) { lk = a "|" bits "|" $4
      if (!(lk in cyc) || cyc[lk] != dc[k]) print k, "bits " bits ": dense cycles " dc[k] ", layers.csv " cyc[lk] }
  }
  END { if (!n) print "no rows" }' "$tmp/pays")
if [ -n "$got" ]; then echo "FAIL: $got"; fail=1
else echo "ok: $(wc -l <"$tmp/pays") rows of 'Where sparsity pays' hold against breakeven.csv and layers.csv"; fi
exit $fail
