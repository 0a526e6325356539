#!/bin/sh
# front_sentence.sh DIR - what the study's report (DIR: its folder) says of
# its Pareto front within test noise agrees with the summary it speaks of:
#   - the conclusions name "ARCH at BITS leaves it" for every run on the
#     plain front (pareto 1) and off the one within noise (pareto_noise 0),
#     "ARCH at BITS joins it" for every run the other way, and no other run;
#     with neither, they say "the front stays the same.";
#   - the error-energy plot (plots/pareto_accuracy.svg) draws a second,
#     dashed front ("front within test noise") exactly when the two fronts
#     of its own two objectives differ, recomputed here from summary.csv's
#     energy and accuracy and accuracy_pairs.csv's p-values: run q puts run
#     i off when q uses no more energy and has no larger error, better in
#     one; within noise, two widths whose p is at least 0.05 (the same
#     width: p 1) have equal error.
# It holds for the default study (AlexNet beside the SimpleCNN) and for a
# study of the SimpleCNN itself, whose second, empty workload once made
# the conclusions say "stays the same" beside a front that changed.
set -u
dir=$1
s=$dir/summary.csv
svg="$(dirname "$0")/svg_text.sh"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/"[^"]*"/q/g' "$s" >"$tmp/s.csv"
# the sentence, one line of report.md
grep '^Counting two widths as equally accurate where McNemar' "$dir/report.md" >"$tmp/sentence" ||
  bad "no sentence on the front within noise in $dir/report.md"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["pareto_noise"] != "" {
    if ($h["pareto"] == 1 && $h["pareto_noise"] == 0) print $h["arch"] " at " $h["bits"] " leaves it"
    if ($h["pareto"] == 0 && $h["pareto_noise"] == 1) print $h["arch"] " at " $h["bits"] " joins it" }' \
  "$tmp/s.csv" >"$tmp/want"
n=$(wc -l <"$tmp/want")
said=$(grep -o '[a-z]* at [a-z0-9]* \(leaves\|joins\) it' "$tmp/sentence" | sort)
want=$(sort "$tmp/want")
if [ "$said" != "$want" ]; then
  bad "the conclusions name '$(echo $said)', the summary '$(echo $want)'"
elif [ "$n" = 0 ] && ! grep -q 'the front stays the same\.$' "$tmp/sentence"; then
  bad "no run changes front, and the conclusions do not say it stays the same"
elif [ "$n" != 0 ] && grep -q 'stays the same' "$tmp/sentence"; then
  bad "the conclusions say the front stays the same; the summary: $(echo $want)"
else
  ok "the conclusions name the $n run(s) whose front changes within noise"
fi
# the error-energy plot's two fronts
differ=$(awk -F, 'NR == FNR { if (FNR > 1) { p[$2 "," $3] = $11; p[$3 "," $2] = $11 } next }
  FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["accuracy_pct"] != "" && $h["latency_us"] != "" {
    n++; b[n] = $h["bits"]; e[n] = $h["energy_uj"] + 0; r[n] = 100 - $h["accuracy_pct"] }
  END {
    for (i = 1; i <= n; i++) {
      off = 0; offt = 0
      for (j = 1; j <= n; j++) {
        if (j == i || e[j] > e[i]) continue
        if (r[j] <= r[i] && (e[j] < e[i] || r[j] < r[i])) off = 1
        tie = b[i] == b[j] || p[b[i] "," b[j]] >= 0.05
        if (tie ? e[j] < e[i] : (r[j] <= r[i] && (e[j] < e[i] || r[j] < r[i]))) offt = 1
      }
      if (off != offt) d = 1
    }
    print n ? d + 0 : "none" }' "$dir/accuracy_pairs.csv" "$tmp/s.csv")
f=$dir/plots/pareto_accuracy.svg
if [ "$differ" = none ]; then
  bad "no run with an accuracy and a latency in $s"
else
  "$svg" labels "$f" end >"$tmp/labels"
  drawn=0
  grep -qx 'front within test noise' "$tmp/labels" && drawn=1
  if [ "$drawn" != "$differ" ]; then
    bad "pareto_accuracy.svg: a front within noise drawn: $drawn; the fronts differ: $differ"
  elif [ "$differ" = 0 ] && ! grep -qx 'Pareto front (also within test noise)' "$tmp/labels"; then
    bad "pareto_accuracy.svg: one front, its key does not say it holds within noise"
  else
    ok "pareto_accuracy.svg: a dashed front within noise drawn: $drawn, as the fronts differ: $differ"
  fi
fi
[ $fail = 0 ] && echo "ok: the report's front within noise agrees with its summary"
exit $fail
