#!/bin/sh
# misc_stdout_name.sh EMLSIM - a write error on standard output names it
# "<stdout>" on every command, whatever the format and whether the table
# fills stdout's buffer mid-write (a large JSON, breakeven's table) or
# fails at the final flush (a short table): the first said
# "-: error: write error", the second "<stdout>: error: write error".
set -u
emlsim=$1
# without /dev/full (a device node, no package brings it) nothing can be
# checked: a skip ctest shows as one (exit 77, SKIP_RETURN_CODE), not a pass
[ -w /dev/full ] || { echo "skip: no /dev/full"; exit 77; }
fail=0
want="<stdout>: error: write error: No space left on device"
while read -r args; do
  # shellcheck disable=SC2086
  got=$("$emlsim" $args 2>&1 >/dev/full | grep -m1 'error: ')
  rc=$("$emlsim" $args >/dev/full 2>/dev/null; echo $?)
  if [ "$rc $got" = "1 $want" ]; then
    echo "ok: $args: $got"
  else
    echo "FAIL: $args: exit $rc, '$got', want exit 1, '$want'"; fail=1
  fi
done <<'LIST'
breakeven gemm:64x64x64 --arch systolic
breakeven gemm:64x64x64 --arch systolic --format json
breakeven gemm:64x64x64 --arch systolic --format csv
analyze alexnet --format json
analyze alexnet --format json -o -
analyze alexnet
systolic alexnet --format json
bitserial alexnet --format json
xnor alexnet --format json -o -
workloads --format json
simt --micro ffma --format json
LIST
exit $fail
