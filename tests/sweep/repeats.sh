#!/bin/sh
# repeats.sh EMLSIM - a key that changes nothing at a point makes the
# points that differ in it alone one design: the systolic array's bandwidth
# bounds only a USER interface in the simulated walk.  Of such points the
# one with the key's default value, else its first, stands for the design
# on the Pareto fronts; the others repeat its figures and are not ranked
# (their pareto and pareto3 are empty: 0 said their design was dominated
# while its twin said 1), and a note says how many.  A USER interface in the closed form is
# another matter: the closed form has no stalls, so it cannot estimate the
# design (it gave CALC's figures): those points have no figures, as
# `emlsim systolic` refuses them.  Here (16 points: rows 16 and 32,
# bandwidth_mode calc and user, bandwidth 4 and 8, mode simulate and
# closed) by the model's rules, per rows: calc at 8 repeats calc at 4 (2
# points: simulate, closed), 4 in all; user closed (at 4 and at 8) has no
# figures, 4 in all, and nothing to rank: empty flags too.  The 32x32
# closed-form point at calc, 4 was on both fronts with its three repeats
# beside it.
set -u
emlsim=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
printf 'arch = systolic\nworkload = alexnet\nrows = 16, 32\nbandwidth_mode = calc, user\nbandwidth = 4, 8\nmode = simulate, closed\n' >d.spec
"$emlsim" sweep d.spec -o g.csv 2>err || { cat err; exit 1; }
# point,workload,rows,bandwidth_mode,bandwidth,mode,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,...
got=$(awk -F, 'NR > 1 { key = $3 "|" $4 "|" $5 "|" $6; fig[key] = $7 "|" $9; fr[key] = $11 "|" $12
    rep = $3 "|" $4 "|" ($4 == "calc" ? 4 : $5) "|" $6
    of[key] = rep; n++ }
  END { for (k in of) { r = of[k]
      if (k ~ /\|user\|.*\|closed$/) {
        none++
        if (fig[k] != "|" || fr[k] != "|") print k, "has figures", fig[k], "or flags", fr[k]
        continue }
      if (r == k) { if (fr[k] !~ /^[01]\|[01]$/) print k, "stands for its design unranked:", fr[k]
        continue }
      dups++
      if (fig[k] != fig[r]) print k, "is not the design of", r
      if (fr[k] != "|") print k, "repeats", r, "and is ranked:", fr[k] }
    if (dups != 4 || none != 4 || n != 16) print dups, "repeats and", none, "without figures of", n, "points, not 4 and 4 of 16" }' g.csv)
[ -z "$got" ] && echo "ok: the 4 points a key changes nothing at repeat their design's figures, unranked; the 4 USER closed-form points have none, nor flags" ||
  { echo "FAIL: $got"; fail=1; }
grep -q "^emlsim sweep: note: 4 of 16 design points repeat another point's design and figures, and are left off the fronts, their pareto and pareto3 empty: the point they repeat is ranked for them (point 2: 'bandwidth' = 8 changes nothing unless bandwidth_mode = user" err &&
  grep -q "^emlsim sweep: note: 4 of 16 design points have no figures (point 5: mode = closed does not estimate 'bandwidth_mode' = user (mode = simulate does))" err &&
  echo "ok: the notes say so" || { echo "FAIL: no note: $(cat err)"; fail=1; }
# a key that changes nothing at any point of the SPEC is refused at its line
printf 'arch = systolic\nworkload = alexnet\nbandwidth_mode = calc, user\nmode = closed\n' >c.spec
"$emlsim" sweep c.spec >out 2>err
rc=$?
[ $rc = 1 ] && grep -q "^c.spec:3:1: error: 'bandwidth_mode' changes nothing unless mode = simulate, which no point of the spec has" err &&
  echo "ok: bandwidth_mode with the closed form alone is refused" || { echo "FAIL: rc $rc: $(cat err)"; fail=1; }
exit $fail
