#!/usr/bin/env bash
# sweep_estimate.sh EMLSIM TMPDIR - a long sweep says how long it will take.
# Once ETA_POINTS = 16 points are done (or 5 s have passed), the sweep weighs
# the time its points left take at the rate so far, and where that is
# EMLSIM_SWEEP_ESTIMATE seconds or more (default 60) says once on stderr,
# terminal or not:
#   emlsim sweep: note: N design points, about T left at this rate (--jobs J)
# (2^20 simulated points of AlexNet ran for days without a word on a stderr
# that was no terminal).  The time cannot be a test's, so the threshold is
# set to 0 here: a sweep of 20 points has 20 - 16 = 4 left at its 16th, so
# the note comes, once; a sweep of 16 has none left then, so it does not;
# nor does a 20-point sweep under the default 60 s (4 points of a 64^3 GEMM
# take milliseconds).  The note is on stderr only: stdout is the same bytes
# with it and without it.
set -u
emlsim=$1
tmp=$2
mkdir -p "$tmp"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# spec N: a systolic sweep of N points (rows = 1..N) over one GEMM
spec() {
  printf 'arch = systolic\nworkload = gemm:64x64x64\nrows = %s\n' "$(seq -s ', ' 1 "$1")"
}
spec 20 >"$tmp/s20.txt"
spec 16 >"$tmp/s16.txt"
note='^emlsim sweep: note: 20 design points, about [0-9.]+ (s|min|h) left at this rate'

for jobs in 1 4; do
  EMLSIM_SWEEP_ESTIMATE=0 "$emlsim" sweep "$tmp/s20.txt" --jobs $jobs >"$tmp/out0" 2>"$tmp/err0"
  rc=$?
  n=$(grep -Ec "$note \\(--jobs $jobs\\)$" "$tmp/err0")
  if [ "$rc" -eq 0 ] && [ "$n" -eq 1 ] && [ "$(grep -c 'note:' "$tmp/err0")" -eq 1 ]; then
    ok "threshold 0, --jobs $jobs: one note"
  else
    bad "threshold 0, --jobs $jobs: exit $rc, $n notes, stderr '$(cat "$tmp/err0")'"
  fi
  "$emlsim" sweep "$tmp/s20.txt" --jobs $jobs >"$tmp/out" 2>"$tmp/err"
  if grep -q 'note:' "$tmp/err"; then bad "default threshold: $(cat "$tmp/err")"
  else ok "default threshold, --jobs $jobs: no note"; fi
  if cmp -s "$tmp/out0" "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 21 ]; then
    ok "--jobs $jobs: the same CSV with the note and without"
  else
    bad "--jobs $jobs: the CSV differs with the note"
  fi
done

EMLSIM_SWEEP_ESTIMATE=0 "$emlsim" sweep "$tmp/s16.txt" >/dev/null 2>"$tmp/err"
if grep -q 'note:' "$tmp/err"; then bad "16 points: $(cat "$tmp/err")"; else ok "16 points: no note"; fi

# a threshold that is not whole seconds: refused before any point, exit 1
for v in 1m -1 86401 ' 5'; do
  out=$(EMLSIM_SWEEP_ESTIMATE="$v" "$emlsim" sweep "$tmp/s16.txt" 2>"$tmp/err")
  rc=$?
  if [ "$rc" -eq 1 ] && [ -z "$out" ] &&
     grep -qx "emlsim sweep: error: EMLSIM_SWEEP_ESTIMATE must be whole seconds, 0 to 86400, got '$v'" "$tmp/err"; then
    ok "EMLSIM_SWEEP_ESTIMATE='$v' refused"
  else
    bad "EMLSIM_SWEEP_ESTIMATE='$v': exit $rc, stderr '$(cat "$tmp/err")'"
  fi
done

exit $fail
