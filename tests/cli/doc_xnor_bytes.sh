#!/bin/sh
# doc_xnor_bytes.sh EMLSIM OUT SRC - the XNOR array's DRAM bytes for AlexNet
# at 1:1, as models/xnor/README.md and workloads/README.md give them: a
# layer's bits (input read, binary weights loaded once or streamed, output
# written, one bit each), a part byte counting whole ((bits + 7) / 8, commit
# 1b64bf4; the READMEs kept the truncated 59,979 and 7,753,620).
#
# By hand (AlexNet's built-in shapes; CONV-2, -4, -5 in two groups):
#   CONV-1 227x227x3 + 11x11x3x96 + 55x55x96 = 154,587 + 34,848 + 290,400
#          = 479,835 bits = 59,979.375 bytes -> 59,980
#   CONV-2 27x27x96 + 5x5x48x256 + 27x27x256 = 563,808 bits -> 70,476
#   CONV-3 13x13x256 + 3x3x256x384 + 13x13x384 = 992,896 -> 124,112
#   CONV-4 13x13x384 + 3x3x192x384 + 13x13x384 = 793,344 -> 99,168
#   CONV-5 13x13x384 + 3x3x192x256 + 13x13x256 = 550,528 -> 68,816
#   FC-1 9216 + 9216x4096 + 4096 = 37,762,048 -> 4,720,256
#   FC-2 4096 + 4096x4096 + 4096 = 16,785,408 -> 2,098,176
#   FC-3 4096 + 4096x1000 + 1000 = 4,101,096 -> 512,637
#   total 7,753,621 (7,753,620.375 bits / 8 for the network whole)
# The exported file without its Input and Padding columns reads the padded
# inputs from DRAM (what the XNOR array did before the columns): CONV-2
# (31^2 - 27^2) x 96 = 22,272 bits more, CONV-3 to -5 (15^2 - 13^2) x (256
# + 384 + 384) = 57,344: 79,616 bits, 9,952 bytes (each a whole number of
# bytes), 7,763,573 in all.
set -u
emlsim=$1 out=$2 src=$3
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
"$emlsim" xnor alexnet --format csv >"$out/x.csv" || { echo "FAIL: xnor alexnet"; exit 1; }
col=$(head -1 "$out/x.csv" | tr ',' '\n' | grep -nx dram_bytes | cut -d: -f1)
[ -n "$col" ] || { echo "FAIL: no dram_bytes column"; exit 1; }
check "CONV-1 bytes" "$(grep '^CONV-1,' "$out/x.csv" | cut -d, -f"$col")" 59980
check "CONV-2 bytes" "$(grep '^CONV-2,' "$out/x.csv" | cut -d, -f"$col")" 70476
check "total bytes" "$(grep '^total,' "$out/x.csv" | cut -d, -f"$col")" 7753621
"$emlsim" workloads export alexnet -o "$out/alexnet.csv" 2>/dev/null || { echo "FAIL: export"; exit 1; }
# the first 11 columns: Layer name ... Batch, without Input/Padding Height/Width
head -1 "$out/alexnet.csv" | cut -d, -f12-15 | grep -q '^ Input Height, Input Width, Padding Height, Padding Width$' ||
  { echo "FAIL: the export's columns 12-15 are not Input and Padding"; fail=1; }
cut -d, -f1-11 "$out/alexnet.csv" >"$out/padded.csv"
"$emlsim" xnor "$out/padded.csv" --format csv >"$out/p.csv" || { echo "FAIL: xnor padded.csv"; exit 1; }
check "padded total bytes" "$(grep '^total,' "$out/p.csv" | cut -d, -f"$col")" 7763573
# the READMEs say so (their lines wrap: read as one line)
tr '\n' ' ' <"$src/models/xnor/README.md" | grep -q '(CONV-1 59,980 bytes / 64 = 938 ' &&
  echo "ok: models/xnor/README.md: CONV-1 59,980 bytes" ||
  { echo "FAIL: models/xnor/README.md does not give CONV-1's 59,980 bytes"; fail=1; }
tr '\n' ' ' <"$src/workloads/README.md" | grep -q '7,763,573 bytes against 7,753,621' &&
  echo "ok: workloads/README.md: 7,763,573 bytes against 7,753,621" ||
  { echo "FAIL: workloads/README.md does not give 7,763,573 bytes against 7,753,621"; fail=1; }
exit $fail
