#!/bin/sh
# input_fifo.sh EMLSIM OUT - a FIFO that no process writes to is refused,
# exit 1, after EMLSIM_FIFO_WAIT seconds (1 here), where open() held the run
# for ever; a FIFO whose writer is there is read as a file is.
#
# Every text reader goes through em_input_open: a topology, an energy
# table, a sweep spec, a GPU preset, a weight file.  By hand, the same
# topology (one GEMM, 4 x 4 x 4: 64 MACs) through a FIFO with its writer
# gives the figures it gives as a file.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
mkfifo "$out/f" || { echo "FAIL: mkfifo"; exit 1; }
f=$out/f
export EMLSIM_FIFO_WAIT=1
for args in "analyze $f" "analyze gemm:4x4x4 --energy-table $f" "sweep $f" \
  "simt --micro ffma --gpu $f" "systolic gemm:4x4x4 -c $f"; do
  # a stuck run would pass the test's own timeout: 20 s, against the 1 s asked
  timeout 20 "$emlsim" $args >"$out/o.txt" 2>"$out/e.txt"
  rc=$?
  check "$args: exit" "$rc" 1
  check "$args: the message" \
    "$(grep -c "^$f: error: is a FIFO that no process wrote to in 1 s (EMLSIM_FIFO_WAIT)" "$out/e.txt")" 1
done
# with its writer there, the FIFO is the file
printf 'Layer Name,M,N,K\ng,4,4,4\n' >"$out/g.csv"
"$emlsim" analyze "$out/g.csv" --format csv >"$out/file.csv" 2>/dev/null || exit 1
(cat "$out/g.csv" >"$f") &
timeout 20 "$emlsim" analyze "$f" --format csv >"$out/fifo.csv" 2>"$out/e.txt"
check "a FIFO with its writer: exit" "$?" 0
wait
check "a FIFO with its writer: the file's figures" \
  "$(awk -F, '$1 == "g" { print $4 }' "$out/fifo.csv")|$(cmp -s "$out/file.csv" "$out/fifo.csv" && echo same)" "64|same"
EMLSIM_FIFO_WAIT=soon timeout 20 "$emlsim" analyze "$f" >/dev/null 2>"$out/e.txt"
check "a bad EMLSIM_FIFO_WAIT: exit" "$?" 1
check "a bad EMLSIM_FIFO_WAIT: the message" \
  "$(grep -c "EMLSIM_FIFO_WAIT must be whole seconds, 0 to 86400, got 'soon'" "$out/e.txt")" 1
exit $fail
