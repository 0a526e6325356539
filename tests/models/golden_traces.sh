#!/usr/bin/env bash
# golden_traces.sh EMLSIM TOPOLOGY CONFIGDIR EXPECTED
# Writes emlsim's SRAM traces (--trace) for each configuration listed in
# EXPECTED (CONFIGDIR/<config>.cfg, whose run_name is <config>) and checks
# that every file is byte for byte SCALE-Sim v2's, by its sha256 recorded in
# EXPECTED ("config file sha256" lines).
set -eu
emlsim=$1 topo=$2 cfgdir=$3 expected=$4
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
bad=0 n=0
while read -r cfg file sum; do
  case $cfg in '#'*|'') continue ;; esac
  if [ ! -d "$dir/$cfg" ]; then
    "$emlsim" systolic "$topo" -c "$cfgdir/$cfg.cfg" -o "$dir/$cfg" --trace > /dev/null
  fi
  got=$(sha256sum "$dir/$cfg/$cfg/layer0/$file" | cut -d' ' -f1)
  n=$((n + 1))
  if [ "$got" != "$sum" ]; then
    echo "FAIL: $cfg $file differs from SCALE-Sim's"
    bad=$((bad + 1))
  fi
done < "$expected"
[ "$bad" -eq 0 ] && echo "ok: $n trace files identical to SCALE-Sim's"
exit $((bad != 0))
