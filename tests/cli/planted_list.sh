#!/bin/sh
# planted_list.sh EMLSIM OUT - a folder's list of the files the last run
# wrote (.emlsim-OWNER-files) removes a file only while it is as that run
# wrote it: its size and modification time, recorded in the list.
#
# 1. A list that came with the folder (written by hand here, as one could
#    come in an archive or a clone) naming the user's files removes none:
#    it removed precious.txt and sub/deep.txt.
# 2. A traced run writes 6 traces in emlsim_run/layer0 (IFMAP, FILTER and
#    OFMAP, SRAM and DRAM); a rerun without --trace removes the 5 left as
#    the run wrote them, and keeps the one the user appended a line to.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
# 1. a planted list
mkdir -p hd/sub
echo keep >hd/precious.txt
echo keep >hd/sub/deep.txt
printf '# x\nprecious.txt\nsub/deep.txt\n5 1.000000000 precious.txt\n' >hd/.emlsim-systolic-files
"$emlsim" systolic gemm:4x4x4 -o hd >/dev/null 2>err || { cat err; exit 1; }
check "a planted list: the user's files stay" "$(cat hd/precious.txt hd/sub/deep.txt | tr '\n' ' ')" \
  "keep keep "
check "the run's own list: its 4 reports" "$(grep -vc '^#' hd/.emlsim-systolic-files)" 4
# 2. a file the user changed stays, the others go
"$emlsim" systolic gemm:4x4x4 --trace -o tr >/dev/null 2>err || { cat err; exit 1; }
check "the traced run: 6 traces" "$(ls tr/emlsim_run/layer0 | wc -l | tr -d ' ')" 6
echo "# a note of the user's" >>tr/emlsim_run/layer0/IFMAP_SRAM_TRACE.csv
"$emlsim" systolic gemm:4x4x4 -o tr >/dev/null 2>err || { cat err; exit 1; }
check "the rerun: the changed trace alone stays" "$(ls tr/emlsim_run/layer0 | tr '\n' ' ')" \
  "IFMAP_SRAM_TRACE.csv "
exit $fail
