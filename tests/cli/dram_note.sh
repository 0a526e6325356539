#!/usr/bin/env bash
# dram_note.sh EMLSIM - a design that bounds no DRAM bandwidth (BISMO; the
# systolic array's CALC interface) says what its layers move a second: the
# most, a layer's DRAM bytes over its time (the CSV's dram_bytes over
# time_us), and the network's mean.  BISMO's binary AlexNet: FC-1 moves
# 4,744,192 B in 130.560 us, 36.34 GB/s; the network 10,921,248 B in
# 1,230.595 us, 8.875 GB/s (a 3.1 mm^2 array at 200 MHz drawing 6.5 W, 5.9
# of it DRAM, said nothing of it).  A design held to a bandwidth (USER,
# FINN's dram_gbps) gets no note.
set -u
emlsim=$1
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
want=$("$emlsim" bitserial alexnet --bits 1:1 --format csv | awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $1 == "total" { net = $h["dram_bytes"] / $h["time_us"] * 1e-3; next }
  { g = $h["dram_bytes"] / $h["time_us"] * 1e-3; if (g > most) { most = g; at = $1 } }
  END { printf "up to %.4g GB/s (%s: its DRAM bytes over its time), %.4g GB/s over the network", most, at, net }')
got=$("$emlsim" bitserial alexnet --bits 1:1 | grep '^note: DRAM bandwidth')
case "$got" in
*"$want"*) ok "bitserial: $want" ;;
*) bad "bitserial: '$got', want '$want'" ;;
esac
[ "$want" = "up to 36.34 GB/s (FC-1: its DRAM bytes over its time), 8.875 GB/s over the network" ] &&
  ok "by hand: 36.34 and 8.875 GB/s" || bad "the CSV's figures: '$want'"
"$emlsim" systolic simplecnn | grep -q '^note: DRAM bandwidth: the design bounds none' &&
  ok "systolic CALC says it" || bad "systolic CALC: no DRAM bandwidth note"
"$emlsim" systolic simplecnn --bandwidth 4 | grep -q 'DRAM bandwidth: the design bounds none' &&
  bad "systolic USER has the note" || ok "systolic USER: none"
"$emlsim" xnor simplecnn | grep -q 'DRAM bandwidth: the design bounds none' &&
  bad "xnor (12.8 GB/s) has the note" || ok "xnor: none"
exit $fail
