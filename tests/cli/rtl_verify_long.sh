#!/bin/sh
# rtl_verify_long.sh EMLSIM OUT - `rtl verify --vectors 1e9` says first
# that it takes minutes, and its table reaches a file unit by unit: it
# printed nothing for minutes (stdout to a file is fully buffered).  By
# hand: 1e9 vectors on each of the 4 wide units (s13x13, s16x16, s32x32,
# u32x32: wider than 8 bits, so not run on all pairs) at the 8 M vectors a
# second the note assumes is 4e9 / 8e6 = 500 s.  The run is stopped after
# 5 s: by then the units on all pairs have ended and their lines are out.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
timeout 5 "$emlsim" rtl verify --vectors 1000000000 >"$out/out.txt" 2>"$out/err.txt"
rc=$?
[ $rc -eq 124 ] || { echo "FAIL: exit status $rc, want 124 (stopped by timeout)"; fail=1; }
if grep -q "^emlsim rtl: note: 1000000000 random vectors on each of the 4 wide MAC units take minutes (up to about 500 s" "$out/err.txt"; then
  echo "ok: the note: $(cat "$out/err.txt")"
else
  echo "FAIL: no note of 500 s: '$(cat "$out/err.txt")'"
  fail=1
fi
if grep -q "^mac u8x8  *65536  *0 .*(all pairs)" "$out/out.txt"; then
  echo "ok: the all-pairs units' lines reached the file before the run ended"
else
  echo "FAIL: the file holds '$(cat "$out/out.txt")'"
  fail=1
fi
exit $fail
