#!/bin/bash
# run.sh - by hand, on a machine with an NVIDIA GPU: OUT=dir bash run.sh
# Builds sgemm_vs_cublas.cu (nvcc, cuBLAS), runs our kernel and cuBLAS ~6 s each
# with nvidia-smi sampling power and SM clock every 100 ms; writes
# $OUT/log.txt and $OUT/smi_*.csv.
set -u
cd "$(dirname "$0")"
exec > >(tee "$OUT/log.txt") 2>&1
nvidia-smi --query-gpu=name,power.limit,clocks.max.sm,clocks.max.mem --format=csv
bin=$(mktemp -d)/sgemm_vs_cublas
nvcc -O3 -arch=native -o "$bin" sgemm_vs_cublas.cu -lcublas || exit 1
for w in ours cublas; do
  nvidia-smi --query-gpu=timestamp,power.draw,clocks.sm,utilization.gpu,temperature.gpu --format=csv,noheader,nounits -lms 100 > "$OUT/smi_$w.csv" &
  sp=$!
  sleep 1
  "$bin" $w 6
  kill $sp; wait $sp 2>/dev/null
  # power while running: samples with utilization >= 90
  awk -F', *' '$4 >= 90 { n++; p += $2; c += $3; if ($2 > m) m = $2 } END { if (n) printf("POWER %s samples %d mean %.1f W max %.1f W mean SM clock %.0f MHz\n", w, n, p/n, m, c/n) }' w=$w "$OUT/smi_$w.csv"
done
"$bin" both 0.5 | grep -E "max|DEVICE"
