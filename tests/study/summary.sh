#!/bin/sh
# summary.sh DIR - the figures of the default study (DIR: its report folder),
# each held to a value derived apart from the program:
#   - the SimpleCNN's Fashion-MNIST test accuracy: fp32 at least 80 % after
#     one epoch over 20,000 images (models/nn/README.md measured 89.6 % after
#     two full epochs; a plain CNN of this size is near 90 % on
#     Fashion-MNIST), int8 per-channel within 1 point of fp32 (post-training
#     int8 per channel stays within about a point of float: Krishnamoorthi,
#     "Quantizing deep convolutional networks for efficient inference", 2018;
#     the README measured 0.00 point), int4 on every layer within 5 points;
#     the same on every model at a width (it is the network's, not the
#     hardware's); empty (n/a) for AlexNet and for binary;
#   - no 0 where a figure does not apply: area_mm2 and inf_per_s_per_mm2 are
#     empty or positive, never 0;
#   - energy.csv: the five components add up to the total (to the printed
#     1e-3 uJ, five roundings: 0.003), and at the common 1000 MHz clock the
#     latency is the run's cycles (summary.csv) / 1000 MHz, and static
#     energy (leakage power x time) is x f / 1000 MHz: a fifth for the
#     200 MHz BISMO array;
#   - accuracy.csv: each width's right answers over the images give its
#     accuracy (the summary's), the images fp32 alone and the width alone
#     get right differ by the accuracies' difference, and McNemar's exact
#     p-value, 2 sum_{i <= min} C(n, i) / 2^n at most 1, summed here in awk
#     term by term (C(n, i + 1) = C(n, i) (n - i) / (i + 1), in logs), is
#     the one printed (to its 4 significant digits), its verdict on the
#     right side of 0.05; the report's conclusions compare the widths with
#     fp32 in a sentence;
#   - accuracy_pairs.csv: the same test between every two widths, and the
#     summary's two fronts (pareto, and pareto_noise with the pairs that
#     test does not tell apart counted equally accurate) recomputed here,
#     pair by pair, from summary.csv's latency, energy and accuracy.
set -u
dir=$1
s=$dir/summary.csv e=$dir/energy.csv
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
# columns: arch,bits,cycles,latency_us,energy_uj,edp_uj_us,bops,pareto,pareto_noise,
#          workload,accuracy_pct,area_mm2,inf_per_s_per_mm2,note
head -1 "$s" | grep -q '^arch,bits,cycles,latency_us,energy_uj,edp_uj_us,bops,pareto,pareto_noise,workload,accuracy_pct,area_mm2,inf_per_s_per_mm2,note$' ||
  bad "summary.csv header: $(head -1 "$s")"
acc() { awk -F, -v a="$1" -v b="$2" '$1 == a && $2 == b && $10 == "simplecnn" {print $11}' "$s"; }
fp=$(acc simt fp32) i8=$(acc systolic int8) i4=$(acc systolic int4)
awk -v f="$fp" 'BEGIN { exit !(f + 0 >= 80 && f + 0 <= 100) }' && ok "fp32 $fp %" || bad "fp32 accuracy '$fp'"
awk -v f="$fp" -v q="$i8" 'BEGIN { d = f - q; if (d < 0) d = -d; exit !(q != "" && d <= 1) }' &&
  ok "int8 $i8 % (fp32 $fp %)" || bad "int8 accuracy '$i8' against fp32 '$fp'"
awk -v f="$fp" -v q="$i4" 'BEGIN { d = f - q; if (d < 0) d = -d; exit !(q != "" && d <= 5) }' &&
  ok "int4 $i4 %" || bad "int4 accuracy '$i4' against fp32 '$fp'"
for b in int8 int4; do
  n=$(awk -F, -v b="$b" '$2 == b && $10 == "simplecnn" && $11 != "" {print $11}' "$s" | sort -u | wc -l)
  [ "$n" = 1 ] && ok "$b: one accuracy on every model" || bad "$b: $n different accuracies"
done
got=$(awk -F, '($10 == "alexnet" || $2 == "binary") && $11 != ""' "$s")
[ -z "$got" ] && ok "alexnet and binary: accuracy n/a" || bad "an accuracy where none is modelled: $got"
got=$(awk -F, 'NR > 1 && (($12 != "" && $12 + 0 <= 0) || ($13 != "" && $13 + 0 <= 0))' "$s")
[ -z "$got" ] && ok "area: empty or positive, never 0" || bad "area 0: $got"
# energy.csv: workload,arch,bits,freq_mhz,compute_uj,local_uj,sram_uj,dram_uj,static_uj,
#             energy_uj,latency_us_at_common,static_uj_at_common,energy_uj_at_common
got=$(awk -F, 'NR > 1 { t = $5 + $6 + $7 + $8 + $9; d = t - $10; if (d < 0) d = -d;
                        if (d > 0.003 + 1e-9 * $10) print }' "$e")
[ -z "$got" ] && ok "components add up to the total" || bad "components do not add up: $got"
# every array run again at 1000 MHz takes at least its cycles / 1000 (a
# faster clock adds cycles only where DRAM bandwidth, in bytes a second,
# bounds a layer: the XNOR array's FC layers), and where it took the same
# cycles its static energy is leakage power x time, scaled by f / 1000 MHz;
# the GPU is not run again (common_clock.sh holds the figures to each
# array's own command at 1000 MHz)
got=$(awk -F, 'NR == FNR { if (FNR > 1 && $3 != "") cyc[$10 "," $1 "," $2] = $3; next }
               FNR > 1 && $4 != "" && $2 != "simt" { k = $1 "," $2 "," $3; n++
                 if (!(k in cyc) || $11 < cyc[k] / 1000 - 0.0015) print "latency", k, cyc[k], $11
                 d = cyc[k] / 1000 - $11; if (d < 0) d = -d
                 if (d <= 0.0015 && $9 != "") { d = $9 * $4 / 1000 - $12; if (d < 0) d = -d
                   if (d > 0.002) print "static", k, $9, $12 } }
               FNR > 1 && $2 == "simt" && $11 != "" { print "GPU at 1000 MHz", $0 }
               END { if (!n) print "no timed run" }' "$s" "$e")
[ -z "$got" ] && ok "at 1000 MHz: no fewer cycles, static energy x f / 1000 where the cycles hold" ||
  bad "the common clock: $got"
got=$(awk -F, '$1 == "alexnet" && $2 == "bitserial" && $3 == "int8" {print $4}' "$e")
[ "$got" = 200 ] && ok "BISMO at its own 200 MHz" || bad "BISMO's clock: '$got'"
got=$(awk -F, 'NR > 1 && $4 == "" && $11 != ""' "$e")
[ -z "$got" ] && ok "no clock, no common-clock figures" || bad "analytic at a clock: $got"
# accuracy.csv: workload,bits,images,right,accuracy_pct,vs_fp32_points,
#               ci95_lo_points,ci95_hi_points,fp32_only_right,
#               width_only_right,mcnemar_p,verdict
# the interval holds the difference and leaves out 0 exactly where p < 0.05
# (the exact interval that inverts the test; the two decimals can put an end
# on 0: then either)
a=$dir/accuracy.csv
head -1 "$a" | grep -q '^workload,bits,images,right,accuracy_pct,vs_fp32_points,ci95_lo_points,ci95_hi_points,fp32_only_right,width_only_right,mcnemar_p,verdict$' ||
  bad "accuracy.csv header: $(head -1 "$a")"
got=$(awk -F, 'NR == FNR { if ($10 == "simplecnn" && $11 != "") acc[$2] = $11; next }
  FNR > 1 { n++
    if ($3 != 10000) print "images", $0
    d = 100 * $4 / $3 - $5; if (d < 0) d = -d; if (d > 0.005) print "right/images", $0
    if (!($2 in acc) || acc[$2] != $5) print "not the summary'"'"'s accuracy", $0
    if ($2 == "fp32") { fp = $5; next }
    m++
    d = 100 * ($10 - $9) / $3 - $6; if (d < 0) d = -d; if (d > 0.005) print "discordant", $0
    d = $5 - fp - $6; if (d < 0) d = -d; if (d > 0.011) print "vs fp32", $0
    t = $9 + $10; k = $9 < $10 ? $9 : $10; lc = -t * log(2); s = exp(lc)
    for (i = 0; i < k; i++) { lc += log((t - i) / (i + 1)); s += exp(lc) }
    p = 2 * s; if (p > 1) p = 1
    d = p - $11; if (d < 0) d = -d; if (d > 0.0005 * p + 1e-12) print "p", p, $0
    if ($7 > $6 + 0.005 || $8 < $6 - 0.005 || $7 > $8) print "interval", $0
    if ($7 != 0 && $8 != 0 && (($7 > 0 || $8 < 0) != (p < 0.05))) print "interval and p", $0
    if (($11 < 0.05) != ($12 ~ /than fp32/)) print "verdict", $0 }
  END { if (n != 3 || m != 2) print "rows", n, m }' "$s" "$a")
[ -z "$got" ] && ok "accuracy.csv: counts, differences, intervals and McNemar p-values hold" ||
  bad "accuracy.csv: $got"
# accuracy_pairs.csv: workload,bits_a,bits_b,accuracy_a_pct,accuracy_b_pct,
#                     a_only_right,b_only_right,b_minus_a_points,
#                     ci95_lo_points,ci95_hi_points,mcnemar_p,verdict
# every two widths evaluated, once: the summary's accuracies, discordant
# counts that give their difference, McNemar's p summed in awk as above,
# and a verdict on the right side of 0.05 naming the more accurate width
q=$dir/accuracy_pairs.csv
head -1 "$q" | grep -q '^workload,bits_a,bits_b,accuracy_a_pct,accuracy_b_pct,a_only_right,b_only_right,b_minus_a_points,ci95_lo_points,ci95_hi_points,mcnemar_p,verdict$' ||
  bad "accuracy_pairs.csv header: $(head -1 "$q")"
got=$(awk -F, 'NR == FNR { if ($10 == "simplecnn" && $11 != "") acc[$2] = $11; next }
  FNR > 1 { n++
    if (!($2 in acc) || !($3 in acc) || acc[$2] != $4 || acc[$3] != $5) print "accuracy", $0
    d = 100 * ($6 - $7) / 10000 - ($4 - $5); if (d < 0) d = -d; if (d > 0.011) print "discordant", $0
    t = $6 + $7; k = $6 < $7 ? $6 : $7; lc = -t * log(2); s = exp(lc)
    for (i = 0; i < k; i++) { lc += log((t - i) / (i + 1)); s += exp(lc) }
    p = 2 * s; if (p > 1) p = 1
    d = p - $11; if (d < 0) d = -d; if (d > 0.0005 * p + 1e-12) print "p", p, $0
    d = $5 - $4 - $8; if (d < 0) d = -d; if (d > 0.011) print "b minus a", $0
    if ($9 > $8 + 0.005 || $10 < $8 - 0.005 || $9 > $10) print "interval", $0
    if ($9 != 0 && $10 != 0 && (($9 > 0 || $10 < 0) != (p < 0.05))) print "interval and p", $0
    if ($11 >= 0.05 && $12 !~ /^no difference/) print "verdict", $0
    if ($11 < 0.05 && $12 !~ ("^" ($6 > $7 ? $2 : $3) " more accurate")) print "verdict", $0 }
  END { if (n != 3) print "rows", n }' "$s" "$q")
[ -z "$got" ] && ok "accuracy_pairs.csv: the three pairs, their counts and p-values hold" ||
  bad "accuracy_pairs.csv: $got"
# pareto_noise, recomputed: among the SimpleCNN's runs with an accuracy and
# a latency, run q puts run i off when q is no slower and uses no more
# energy, its error is no larger or the pair's p is at least 0.05 (the same
# width: p 1), and it is better somewhere (in error only where not tied);
# pareto (the plain front) the same with no ties
got=$(awk -F, 'NR == FNR { if (FNR > 1) { p[$2 "," $3] = $11; p[$3 "," $2] = $11 } next }
  FNR > 1 && $10 == "simplecnn" && $11 != "" && $4 != "" {
    n++; b[n] = $2; l[n] = $4; e[n] = $5; r[n] = 100 - $11; f[n] = $8; g[n] = $9; w[n] = $1 " " $2 }
  END {
    for (i = 1; i <= n; i++) {
      off = 0; offt = 0
      for (j = 1; j <= n; j++) {
        if (j == i || l[j] > l[i] || e[j] > e[i]) continue
        cheaper = l[j] < l[i] || e[j] < e[i]
        if (r[j] <= r[i] && (cheaper || r[j] < r[i])) off = 1
        tie = b[i] == b[j] || p[b[i] "," b[j]] >= 0.05
        if (tie ? cheaper : (r[j] <= r[i] && (cheaper || r[j] < r[i]))) offt = 1
      }
      if (f[i] != !off) print "pareto", w[i], f[i]
      if (g[i] != !offt) print "pareto_noise", w[i], g[i]
    }
    if (n < 3) print "runs", n }' "$q" "$s")
[ -z "$got" ] && ok "pareto and pareto_noise: recomputed from the summary and the pairs" ||
  bad "the fronts: $got"
grep -q '^Counting two widths as equally accurate where McNemar' "$dir/report.md" &&
  ok "the conclusions say how the front reads within noise" || bad "no front within noise in the conclusions"
grep -q '^Against fp32 on the same 10000 test images' "$dir/report.md" &&
  ok "the conclusions compare the widths with fp32" || bad "no comparison with fp32 in the conclusions"
# the energy table's rows the widths scale are named (REFERENCES.md asks the
# output to say which): Horowitz has int8 and int32 rows, so an int4
# multiplier is the int8 one x (4 x 4) / (8 x 8) = 0.25, a binary one
# x 1 / 64 = 0.01562 (to 4 significant digits)
for row in 'int4 mult scaled from int8 mult by N_a*N_b (x0.25)' \
           'int1 mult scaled from int8 mult by N_a*N_b (x0.01562)'; do
  grep '^- note: energy table rows scaled ' "$dir/report.md" | grep -qF "$row" &&
    ok "the report names the scaled row: $row" || bad "no scaled row '$row' in the report"
done
[ $fail = 0 ] && echo "ok: the study's summary holds its figures"
exit $fail
