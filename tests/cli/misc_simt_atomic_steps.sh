#!/bin/sh
# misc_simt_atomic_steps.sh EMLSIM OUT - `simt --micro atomic` measures a
# dependent atomic's latency at any --steps: (the warm-up and n atomics)
# - (the warm-up alone), over n.  By hand, on volta each atomic waits for
# the previous one's old value: l2_latency 215 + l2_atomic_latency 29 =
# 244 cycles (Accel-Sim's TITAN V atomic_add_lat: 243.6).  The first atomic
# went out beside the warm-up's last load and hid under it: --steps 1
# measured 34.00, 2 139.00, 4 191.50, 256 (the default) 243.18.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
for steps in 1 2 4 default; do
  if [ $steps = default ]; then set --; else set -- --steps $steps; fi
  "$emlsim" simt --micro atomic "$@" --format csv >"$out/$steps.csv" 2>/dev/null || {
    echo "FAIL: --steps $steps: the run failed"; fail=1; continue; }
  got=$(awk -F, 'NR == 2 { print $5 }' "$out/$steps.csv")
  # within 1 % of 244 (and so of each other)
  if awk -v g="$got" 'BEGIN { d = g - 244; exit !(d < 0 ? -d <= 2.44 : d <= 2.44) }'; then
    echo "ok: --steps $steps: $got cycles a dependent atomic"
  else
    echo "FAIL: --steps $steps: $got cycles a dependent atomic, want 244 within 1 %"; fail=1
  fi
done
exit $fail
