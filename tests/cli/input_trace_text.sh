#!/bin/sh
# input_trace_text.sh EMLSIM OUT - where an Accel-Sim trace's errors point,
# and how a kernelslist.g line is quoted.
#
# A header or body line without '=' has no value: the error's column is
# where the value is missing, just past the line's last character, counted
# from 1 at the line's first byte (leading blanks included).  By hand:
#   '-grid dim'                 9 characters    -> column 10
#   '-block dim'               10               -> 11
#   '-nregs 8'                  8               -> 9
#   '-accelsim tracer version' 24               -> 25
#   '-enable lineinfo'         16               -> 17
#   '  -grid dim'              11 (2 blanks)    -> 12
#   '  -shmem = x'             the value 'x' at -> 12 (it was 10, counted
#                              from the key, not the line)
#   'warp 0'  (line 5)          6               -> 7
#   'insts 5' (line 6)          7               -> 8
# (they printed columns such as 18446744073231203248: an address
# difference).  A kernelslist.g line that starts with a UTF-8 byte order
# mark (EF BB BF) quotes it as \xef\xbb\xbf, as it quotes a byte that is
# not UTF-8 (\xff), not as raw bytes a terminal does not show.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
# check NAME FILE WANT: stderr of `emlsim simt FILE` is FILE:WANT, exit 1
check() {
  "$emlsim" simt "$2" -o "$out/$1.out" >/dev/null 2>"$out/$1.err"
  rc=$?
  if [ $rc = 1 ] && [ "$(cat "$out/$1.err")" = "$2:$3" ]; then
    echo "ok: $1: $3"
  else
    echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err"), want $2:$3"
    fail=1
  fi
}
i=0
while IFS='|' read -r line want; do
  i=$((i + 1))
  printf '%s\n' "$line" >"$out/h$i.traceg"
  check "header$i" "$out/h$i.traceg" "$want"
done <<'EOF'
-grid dim|1:10: error: expected (x,y,z) with positive sizes, got ''
-block dim|1:11: error: expected (x,y,z) with positive sizes, got ''
-nregs 8|1:9: error: expected a number, got ''
-accelsim tracer version|1:25: error: expected a number, got ''
-enable lineinfo|1:17: error: expected a number, got ''
  -grid dim|1:12: error: expected (x,y,z) with positive sizes, got ''
  -shmem = x|1:12: error: expected a number, got 'x'
EOF
hdr='-grid dim = (1,1,1)\n-block dim = (32,1,1)\n#BEGIN_TB\nthread block = 0,0,0\n'
printf -- "${hdr}warp 0\n" >"$out/warp.traceg"
check warp "$out/warp.traceg" "5:7: error: expected 'warp = N'"
printf -- "${hdr}warp = 0\ninsts 5\n" >"$out/insts.traceg"
check insts "$out/insts.traceg" "6:8: error: expected 'insts = N' after 'warp = W'"
mkdir "$out/bom" "$out/ff"
printf '\357\273\277kernel-1.traceg\n' >"$out/bom/kernelslist.g"
check bom "$out/bom/kernelslist.g" \
  "1:1: error: expected a MemcpyHtoD line or a kernel trace file name, got '\\xef\\xbb\\xbfkernel-1.traceg'"
printf '\377kernel-1.traceg\n' >"$out/ff/kernelslist.g"
check ff "$out/ff/kernelslist.g" \
  "1:1: error: expected a MemcpyHtoD line or a kernel trace file name, got '\\xffkernel-1.traceg'"
exit $fail
