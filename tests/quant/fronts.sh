#!/bin/sh
# fronts.sh DIR - `emlsim quant`'s two Pareto fronts (DIR: its output
# folder), recomputed here apart from the program:
#   - quant_pairs.csv has every two of the 12 networks (the 11 variants and
#     fp32) once, 66 rows; the images only one of a pair gets right differ
#     by their accuracies' difference over the 10,000 test images; McNemar's
#     exact p-value, 2 sum_{i <= min} C(n, i) / 2^n at most 1, summed in awk
#     term by term, is the one printed (to its 4 significant digits);
#   - quant.csv's pareto: no other network has at most its error and at most
#     its BOPS, and less of one; pareto_noise: the same with a pair whose p
#     is at least 0.05 counted equally accurate, so that only fewer BOPS
#     put a network off the front (its own width: p = 1);
#   - each of the three error plots draws the front within noise, dashed,
#     exactly where it differs from the plain one.
set -u
dir=$1
q=$dir/quant.csv p=$dir/quant_pairs.csv
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
# split a CSV line into f[1..n], quoted fields whole (the variants' names
# hold commas: "int4 per-channel, ends int8"); the fields are strings, so
# every number is taken with + 0 (else awk compares them as text)
AWKCSV='function csv(s, f,   n, c, i, q, x) {
  n = 0; x = ""; q = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\"") q = !q
    else if (c == "," && !q) { f[++n] = x; x = "" }
    else x = x c
  }
  f[++n] = x
  return n
}'
# off(i, ...): whether network i is off the front of error e[] and cost
# b[]: another has no more cost and no more error, less of one; with tied,
# a pair whose p-value pv (by names w[]) is at least 0.05 counts as equally
# accurate, so only less cost puts i off
AWKOFF='function off(i, n, e, b, w, pv, tied,   j, dom, o) {
  o = 0
  for (j = 1; j <= n; j++) {
    if (j == i || b[j] > b[i]) continue
    dom = e[j] <= e[i] && (b[j] < b[i] || e[j] < e[i])
    if (tied && (w[i] "|" w[j]) in pv && pv[w[i] "|" w[j]] >= 0.05 ? b[j] < b[i] : dom) o = 1
  }
  return o
}'
head -1 "$q" | grep -q '^variant,accuracy_pct,delta_pts,mbops_mac,systolic_uj,bitserial_uj,xnor_uj,pareto,pareto_noise,fp32_only_right,other_only_right,mcnemar_p,ci95_lo_points,ci95_hi_points$' ||
  bad "quant.csv header: $(head -1 "$q")"
head -1 "$p" | grep -q '^network_a,network_b,a_only_right,b_only_right,mcnemar_p,ci95_lo_points,ci95_hi_points$' ||
  bad "quant_pairs.csv header: $(head -1 "$p")"
got=$(awk "$AWKCSV"'
  NR == FNR { if (FNR > 1 && csv($0, f) >= 9) acc[f[1]] = f[2] + 0; next }
  FNR > 1 { csv($0, f); n++; a = f[3] + 0; c = f[4] + 0; pr = f[5] + 0
    if (!(f[1] in acc) || !(f[2] in acc)) { print "unknown network", $0; next }
    if (seen[f[1] "|" f[2]]++ || seen[f[2] "|" f[1]]) print "twice", $0
    d = 100 * (a - c) / 10000 - (acc[f[1]] - acc[f[2]]); if (d < 0) d = -d
    if (d > 0.011) print "discordant", $0
    t = a + c; k = a < c ? a : c; lc = -t * log(2); s = exp(lc)
    for (i = 0; i < k; i++) { lc += log((t - i) / (i + 1)); s += exp(lc) }
    pv = 2 * s; if (pv > 1) pv = 1
    d = pv - pr; if (d < 0) d = -d; if (d > 0.0005 * pv + 1e-12) print "p", pv, $0
    # the interval of b less a holds it, and leaves out 0 exactly where p < 0.05
    lo = f[6] + 0; hi = f[7] + 0; bd = acc[f[2]] - acc[f[1]]
    if (lo > bd + 0.005 || hi < bd - 0.005 || lo > hi) print "interval", $0
    if (lo != 0 && hi != 0 && ((lo > 0 || hi < 0) != (pv < 0.05))) print "interval and p", $0 }
  END { if (n != 66) print "rows", n }' "$q" "$p")
[ -z "$got" ] && ok "quant_pairs.csv: 66 pairs, their counts, p-values and intervals hold" ||
  bad "quant_pairs.csv: $got"
got=$(awk "$AWKCSV$AWKOFF"'
  NR == FNR { if (FNR > 1) { csv($0, f); pv[f[1] "|" f[2]] = pv[f[2] "|" f[1]] = f[5] + 0 } next }
  FNR > 1 && csv($0, f) >= 9 {
    n++; w[n] = f[1]; e[n] = 100 - f[2]; b[n] = f[4] + 0; fr[n] = f[8] + 0; fn[n] = f[9] + 0 }
  END {
    for (i = 1; i <= n; i++) {
      if (fr[i] != !off(i, n, e, b, w, pv, 0)) print "pareto", w[i], fr[i]
      if (fn[i] != !off(i, n, e, b, w, pv, 1)) print "pareto_noise", w[i], fn[i]
    }
    if (n != 12) print "networks", n }' "$p" "$q")
[ -z "$got" ] && ok "pareto and pareto_noise: recomputed from the accuracies, BOPS and pairs" ||
  bad "the fronts: $got"
# the plots draw a second, dashed front ("front within test noise") exactly
# where it differs from the plain one among the variants they show (fp32,
# the reference, is not drawn): error_vs_bops the table's two columns,
# error_vs_energy_* the two fronts on that array's energy among the
# variants, recomputed as above
svg="$(dirname "$0")/../study/svg_text.sh"
for plot in error_vs_bops:0 error_vs_energy_systolic:5 error_vs_energy_bitserial:6; do
  name=${plot%:*} col=${plot#*:}
  differ=$(awk -v col="$col" "$AWKCSV$AWKOFF"'
    NR == FNR { if (FNR > 1) { csv($0, f); pv[f[1] "|" f[2]] = pv[f[2] "|" f[1]] = f[5] + 0 } next }
    FNR > 1 && csv($0, f) >= 9 && f[1] != "fp32" {
      n++; w[n] = f[1]; e[n] = 100 - f[2]; b[n] = col ? f[col] + 0 : 0; fr[n] = f[8] + 0; fn[n] = f[9] + 0 }
    END {
      for (i = 1; i <= n; i++)
        if (col ? off(i, n, e, b, w, pv, 0) != off(i, n, e, b, w, pv, 1) : fr[i] != fn[i]) d = 1
      print d + 0 }' "$p" "$q")
  drawn=0
  "$svg" labels "$dir/plots/$name.svg" end | grep -qx 'front within test noise' && drawn=1
  [ "$drawn" = "$differ" ] && ok "$name.svg: a dashed front within noise drawn: $drawn, as the fronts differ: $differ" ||
    bad "$name.svg: a front within noise drawn: $drawn; the fronts differ: $differ"
done
[ $fail = 0 ] && echo "ok: quant's fronts hold"
exit $fail
