#!/bin/sh
# sysfix_closed_hint.sh EMLSIM OUT - a layer too large for the systolic
# walk is refused with the run stopped, naming the setting every command
# takes: the model's mode = closed, as each command spells it.  It named
# "--closed-form", an option of emlsim systolic alone (breakeven, sweep and
# study refuse it), in words that read as if the closed form had been used.
#
# The layers, by hand, past the walk's 32-bit indices (sa_model.c
# beyond_32_bits): gemm:65536x65536x65536 on the default 32 x 32 os array
# reads 2048 x 65536 x 65536 = 8,796,093,022,208 ifmap words from SRAM;
# breakeven's gemm:65536x1x65536 (2^32 MACs, the most it sweeps) has an
# ifmap of 65536 x 65536 = 2^32 words, past 2^32 - 1, and reads
# 1 x 65536 x 65536 = 4,294,967,296 of them.  Each spelling given then runs
# (exit 0): the closed form takes microseconds a layer.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
hint="so the run stopped; the model's setting mode = closed gives its compute figures from the closed form, without the walk \\(--set mode=closed in emlsim systolic, where --closed-form says the same, and in breakeven; --set systolic\\.mode=closed in a study; mode = closed in a sweep spec\\)"
refused() { # name reads cmd...: exit 1 with the hint, not "(--closed-form)" alone
  name=$1 reads=$2
  shift 2
  "$@" >"$out/$name.out" 2>"$out/$name.err"
  rc=$?
  if [ $rc = 1 ] && grep -qE "is too large to simulate \\($reads SRAM reads\\), $hint\$" "$out/$name.err"; then
    echo "ok: $name refused, the run stopped, mode = closed named"
  else
    echo "FAIL: $name: exit $rc: $(cat "$out/$name.err")"
    fail=1
  fi
  if grep -q "closed form (--closed-form)" "$out/$name.err"; then
    echo "FAIL: $name still names --closed-form alone"
    fail=1
  fi
}
runs() { # name cmd...: exit 0
  name=$1
  shift
  if "$@" >"$out/$name.out" 2>"$out/$name.err"; then echo "ok: $name runs"; else
    echo "FAIL: $name: $(cat "$out/$name.err")"
    fail=1
  fi
}
big=gemm:65536x65536x65536
refused systolic 8796093022208 "$emlsim" systolic $big
runs systolic_set "$emlsim" systolic $big --set mode=closed
runs systolic_closed_form "$emlsim" systolic $big --closed-form
refused breakeven 4294967296 "$emlsim" breakeven gemm:65536x1x65536 --arch systolic
runs breakeven_set "$emlsim" breakeven gemm:65536x1x65536 --arch systolic --set mode=closed --sparsity 0:0.5:0.5
refused study 8796093022208 "$emlsim" study $big --arch systolic --accuracy none --sparsity none -o "$out/study"
runs study_set "$emlsim" study $big --arch systolic --accuracy none --sparsity none --set systolic.mode=closed -o "$out/study"
printf 'arch = systolic\nworkload = %s\n' $big >"$out/big.spec"
refused sweep 8796093022208 "$emlsim" sweep "$out/big.spec"
printf 'arch = systolic\nworkload = %s\nmode = closed\n' $big >"$out/closed.spec"
runs sweep_spec "$emlsim" sweep "$out/closed.spec"
exit $fail
