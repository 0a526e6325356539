#!/bin/sh
# common_clock.sh EMLSIM DIR - the study's figures at one clock (energy.csv's
# latency_us_at_common, static_uj_at_common and energy_uj_at_common) are each
# array's own run at 1000 MHz, as its command gives it with --set
# freq_mhz=1000: the same latency and energy, to the printed digits.  They
# were the as-built cycles over 1000 MHz, which a layer bound by DRAM
# bandwidth does not keep: FINN's binary AlexNet at 12.8 GB/s is 1,231,792
# cycles at 1000 MHz (its FC layers' bytes / 12.8 bytes a ns) and 773,600 at
# 200 MHz, so the study said 773.6 us where `emlsim xnor alexnet --set
# freq_mhz=1000` says 1231.792.  The GPU is not simulated again: n/a.
set -u
emlsim=$1 dir=$2
fail=0
e=$dir/energy.csv
[ -s "$e" ] || { echo "FAIL: no $e"; exit 1; }
n=0
while IFS=, read -r wl arch bits f lat st en; do
  case $bits in int8) b=8:8 ;; int4) b=4:4 ;; binary) b=1:1 ;; *) continue ;; esac
  row=$("$emlsim" "$arch" "$wl" --set freq_mhz=1000 --bits "$b" --format csv 2>/dev/null | tail -n 1)
  # the total row: time_us and the total energy in pJ, by the header's names
  got=$("$emlsim" "$arch" "$wl" --set freq_mhz=1000 --bits "$b" --format csv 2>/dev/null |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
      $1 == "total" { t = h["total_pj"] ? h["total_pj"] : h["total_energy_pj"]
        s = h["static_pj"] ? h["static_pj"] : h["static_energy_pj"]
        printf "%.3f %.3f %.3f\n", $h["time_us"], $s * 1e-6, $t * 1e-6 }')
  want=$(awk -v l="$lat" -v s="$st" -v e="$en" 'BEGIN { printf "%.3f %.3f %.3f\n", l, s, e }')
  n=$((n + 1))
  [ "$got" = "$want" ] && echo "ok: $wl $arch $bits at 1000 MHz: $got" ||
    { echo "FAIL: $wl $arch $bits: the study says '$want' (us, static uJ, uJ), the command '$got' ($row)"; fail=1; }
done <<EOF2
$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["arch"] == "systolic" || $h["arch"] == "bitserial" || $h["arch"] == "xnor" {
    print $h["workload"] "," $h["arch"] "," $h["bits"] "," $h["freq_mhz"] "," $h["latency_us_at_common"] "," $h["static_uj_at_common"] "," $h["energy_uj_at_common"] }' "$e")
EOF2
[ "$n" -ge 3 ] || { echo "FAIL: only $n array rows"; fail=1; }
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
  $h["arch"] == "simt" && $h["latency_us_at_common"] != "" { bad = 1 } END { exit bad }' "$e" &&
  echo "ok: the GPU has no figure at one clock (not simulated again)" ||
  { echo "FAIL: the GPU has figures at one clock"; fail=1; }
exit $fail
