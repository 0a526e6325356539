#!/usr/bin/env bash
# help_keys.sh EMLSIM - `emlsim help sweep` names every setting of every
# array's model, as `emlsim models MODEL` lists them (the model table
# drives both; the help's list was written by hand and had lost the XNOR
# array's weight_kib and dram_gbps), and each per-model command takes its
# clock as --freq (systolic had only --set freq_mhz=).
set -u
emlsim=$1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
help=$("$emlsim" help sweep)
for m in systolic bitserial xnor; do
  keys=$("$emlsim" models "$m" --format csv | sed 1d | cut -d, -f1)
  [ -n "$keys" ] || bad "$m: no settings listed"
  for k in $keys; do
    if printf '%s\n' "$help" | grep -Eq "(^|[ (,])$k([ ,)]|$)"; then ok "$m: $k"
    else bad "help sweep does not name $m's setting '$k'"; fi
  done
done
for m in systolic bitserial xnor; do
  "$emlsim" help "$m" | grep -Eq '^ +--freq MHZ ' && ok "$m --freq" || bad "$m: no --freq in its help"
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# simplecnn's conv1 on the 32x32 array: its cycles at 500 MHz are the same
# count as at 1000 MHz, its time twice as long (CALC: no DRAM stall)
"$emlsim" systolic simplecnn --format csv >"$out/a.csv" &&
  "$emlsim" systolic simplecnn --freq 500 --format csv >"$out/b.csv" ||
  bad "systolic --freq 500 failed"
"$emlsim" systolic simplecnn --set freq_mhz=500 --format csv >"$out/c.csv"
cmp -s "$out/b.csv" "$out/c.csv" && ok "--freq 500 is --set freq_mhz=500" ||
  bad "--freq 500 and --set freq_mhz=500 differ"
cmp -s "$out/a.csv" "$out/b.csv" && bad "--freq 500 changed nothing" || ok "--freq 500 changes the run"
exit $fail
