#!/usr/bin/env bash
# simt_clock.sh EMLSIM - the GPU's DRAM keeps its own clock when the core
# clock changes (models/simt/README.md, "Clock domains"), whichever way the
# clock is reached:
#   - `--micro dram-bw` with --set core_freq_mhz=2910 (twice volta's 1455)
#     stays below what TITAN V's DRAM can move, 24 channels x 18.7 B x 1455
#     MHz = 653.0 GB/s less the refresh's 509 / 5675 = 594.4 GB/s, and within
#     10 % of Accel-Sim's 521.0 GB/s, the reference the tool prints (before
#     clock domains: 1,010.26 GB/s, twice the 505.13 at 1455 MHz);
#   - a copy of gpu_volta.cfg with core_freq_mhz = 2910 in it gives that run
#     exactly (the preset pins dram_ref_mhz), and so does a sweep's
#     gpu.core_freq_mhz = 2910 on simplecnn (its cycles, launches included);
#   - simplecnn's fc1, bound by DRAM latency, keeps the DRAM's share of its
#     time: a core twice as fast saves at most half of the core's own part,
#     which is at most the layer's time with the DRAM made free (no bank
#     timing, refresh or turnaround, 4096 B a cycle, no dram_latency).  So
#     its kernel time at 2910 MHz lies in [T - Tcore / 2, T], T and Tcore at
#     1455 MHz; before clock domains it was T / 2, below that range;
#   - dram_ref_mhz set over a GPU is refused (exit 2): it is the unit of a
#     GPU file's DRAM keys, not a setting of the DRAM; --gpu-help gives the
#     DRAM keys' unit.
set -u
emlsim=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }

# ---- dram-bw at twice the clock, by --set and by a GPU file ----
"$emlsim" simt --micro dram-bw --set core_freq_mhz=2910 --format csv > "$dir/set.csv" ||
  die "dram-bw --set core_freq_mhz=2910 failed"
row=$(tail -1 "$dir/set.csv")
m=$(printf '%s' "$row" | cut -d, -f5) r=$(printf '%s' "$row" | cut -d, -f6)
awk -v m="$m" 'BEGIN { exit !(m > 0 && m < 24 * 18.7 * 1.455 * (1 - 509 / 5675)) }' ||
  die "dram-bw at 2910 MHz: $m GB/s, not below 594.4 GB/s (TITAN V's DRAM less refresh)"
[ "$r" = "521.00" ] || die "dram-bw's reference: $r, expected 521.00"
awk -v m="$m" -v r="$r" 'BEGIN { e = m / r - 1; exit !(e <= 0.10 && e >= -0.10) }' ||
  die "dram-bw at 2910 MHz: $m GB/s, not within 10 % of $r"

sed 's/^core_freq_mhz = 1455 /core_freq_mhz = 2910 /' "$src/models/simt/data/gpu_volta.cfg" \
  > "$dir/volta2910.cfg"
grep -q '^core_freq_mhz = 2910 ' "$dir/volta2910.cfg" || die "gpu_volta.cfg: no core_freq_mhz line"
"$emlsim" simt --micro dram-bw --gpu "$dir/volta2910.cfg" --format csv > "$dir/file.csv" ||
  die "dram-bw on volta2910.cfg failed"
# the same cycles and GB/s (the reference is looked up by the preset's name)
[ "$(tail -1 "$dir/file.csv" | cut -d, -f1-5)" = "$(printf '%s' "$row" | cut -d, -f1-5)" ] ||
  die "the preset's copy at 2910 MHz: '$(tail -1 "$dir/file.csv")', --set: '$row'"

# ---- simplecnn: fc1 and the sweep ----
# $1 output folder, then options: the fc1 row's kernel cycles (launch aside)
fc1_cycles() {
  local out=$1
  shift
  "$emlsim" simt simplecnn -o "$out" --quiet "$@" > /dev/null 2>&1 || { echo x; return; }
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
           $1 == "fc1" { print $h["cycles"] }' "$out/simt_kernels.csv"
}
t=$(fc1_cycles "$dir/a")
t2=$(fc1_cycles "$dir/b" --set core_freq_mhz=2910)
free="--set dram_t_rcd=0 --set dram_t_rp=0 --set dram_t_cl=0 --set dram_t_ccd=1
      --set dram_t_rtw=0 --set dram_t_wtr=0 --set dram_t_refi=0 --set dram_latency=0
      --set dram_channel_bytes_per_cycle=4096"
# shellcheck disable=SC2086
tc=$(fc1_cycles "$dir/c" $free)
case "$t$t2$tc" in *x*|"") die "simplecnn did not run (fc1: '$t' '$t2' '$tc')" ;; esac
awk -v t="$t" -v t2="$t2" -v tc="$tc" 'BEGIN {
  us = t / 1455; us2 = t2 / 2910; core = tc / 1455
  printf "  fc1: %.3f us at 1455 MHz, %.3f at 2910; the core part at most %.3f\n", us, us2, core
  exit !(tc < t && us2 >= us - core / 2 && us2 <= us) }' ||
  die "fc1 at 2910 MHz: $t2 cycles, outside [T - Tcore / 2, T] (T $t, Tcore $tc cycles at 1455 MHz)"

printf 'arch = simt\nworkload = simplecnn\ngpu.core_freq_mhz = 2910\n' > "$dir/s.spec"
"$emlsim" sweep "$dir/s.spec" -o "$dir/sweep.csv" > /dev/null 2>&1 || die "the sweep failed"
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
                $1 == "total" { print $h["launch_cycles"] + $h["cycles"] }' "$dir/b/simt_kernels.csv")
got=$(awk -F, 'NR == 2 { print $4 }' "$dir/sweep.csv")
[ -n "$want" ] && [ "$got" = "$want" ] ||
  die "sweep gpu.core_freq_mhz = 2910: $got cycles, 'simt --set core_freq_mhz=2910': $want"

# ---- the reference clock is a GPU file's, and its unit is documented ----
out=$("$emlsim" simt --micro ffma --set dram_ref_mhz=850 2>&1 > /dev/null)
rc=$?
[ $rc -eq 2 ] || die "--set dram_ref_mhz=850: exit $rc, expected 2"
[ "$(printf '%s' "$out" | head -1)" = "emlsim simt: error: 'dram_ref_mhz' is given only in a GPU \
file, the clock it states its DRAM figures at; a DRAM key set over a GPU counts cycles of that \
GPU's (emlsim simt --gpu-help)" ] || die "--set dram_ref_mhz=850: '$out'"
"$emlsim" simt --gpu-help > "$dir/help.txt" || die "--gpu-help failed"
grep -q '^  dram_t_rcd .*: activate to read, cycles of dram_ref_mhz$' "$dir/help.txt" ||
  die "--gpu-help: dram_t_rcd's unit: $(grep dram_t_rcd "$dir/help.txt")"
grep -q '^  dram_ref_mhz .*real \[1, 100000\] default 1455: the clock, MHz, whose cycles' \
  "$dir/help.txt" || die "--gpu-help: no dram_ref_mhz line"

exit $fail
