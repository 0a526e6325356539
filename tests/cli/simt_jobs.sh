#!/usr/bin/env bash
# simt_jobs.sh EMLSIM TESTS - `emlsim simt --jobs N` runs a network's layers
# and a trace's kernels on N threads, each on a GPU of its own: the four
# result tables are the same byte for byte for N = 1, 2 and 3 (only
# simt_timing.csv, the host's speed, may differ), and a bad kernel gives the
# same error, exit status and no output folder for every N.  And a trace
# read through a FIFO gives the tables the file gives.
set -u
emlsim=$1 tests=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# a trace of five kernels: the two test kernels, listed again and again
mkdir -p "$dir/trace"
cp "$tests/simt/data/accel/kernel-1.traceg" "$tests/simt/data/accel/kernel-2.traceg" "$dir/trace/"
printf '%s\n' 'MemcpyHtoD,0x7f0000000000,4096' kernel-1.traceg kernel-2.traceg kernel-1.traceg \
  kernel-2.traceg kernel-1.traceg > "$dir/trace/kernelslist.g"
fail=0
for n in 1 2 3; do
  "$emlsim" simt simplecnn --quiet --jobs "$n" -o "$dir/net$n" ||
    { echo "FAIL: simt simplecnn --jobs $n failed"; fail=1; }
  "$emlsim" simt "$dir/trace" --quiet --jobs "$n" -o "$dir/trace$n" ||
    { echo "FAIL: simt trace --jobs $n failed"; fail=1; }
  "$emlsim" simt "$tests/simt/data/book_divergence.emtrace" --quiet --jobs "$n" \
    -o "$dir/native$n" || { echo "FAIL: simt native trace --jobs $n failed"; fail=1; }
done
[ "$fail" = 0 ] || exit 1
for kind in net trace native; do
  for n in 2 3; do
    for t in simt_kernels simt_stalls simt_energy simt_energy_classes; do
      cmp "$dir/${kind}1/$t.csv" "$dir/$kind$n/$t.csv" ||
        { echo "FAIL: $kind $t.csv differs between --jobs 1 and --jobs $n"; fail=1; }
    done
  done
done
# the trace's five kernels, in list order: vecadd_like, then kernel-2's, ...
names=$(awk -F, 'NR > 1 && $1 != "total" { printf "%s ", $1 }' "$dir/trace3/simt_kernels.csv")
k2=$(sed -n 's/^-kernel name = //p' "$tests/simt/data/accel/kernel-2.traceg")
want="vecadd_like $k2 vecadd_like $k2 vecadd_like "
[ "$names" = "$want" ] || { echo "FAIL: kernels '$names', expected '$want'"; fail=1; }
# an error in kernels 2 and 3 of three: kernel 2's, whatever N
mkdir -p "$dir/bad"
cp "$tests/simt/data/accel/kernel-1.traceg" "$dir/bad/kernel-1.traceg"
cp "$tests/bad/trace/insts_count_wrong.traceg" "$dir/bad/kernel-2.traceg"
cp "$tests/bad/trace/mask_too_wide.traceg" "$dir/bad/kernel-3.traceg"
printf '%s\n' kernel-1.traceg kernel-2.traceg kernel-3.traceg > "$dir/bad/kernelslist.g"
for n in 1 2 3; do
  "$emlsim" simt "$dir/bad" --quiet --jobs "$n" -o "$dir/badout" 2> "$dir/err$n"
  rc=$?
  [ "$rc" = 1 ] || { echo "FAIL: --jobs $n on a bad kernel: exit $rc, expected 1"; fail=1; }
  [ -e "$dir/badout" ] && { echo "FAIL: --jobs $n left an output folder"; fail=1; }
  grep -q "^$dir/bad/kernel-2.traceg:22:1: error: insts = 9, but 7 instruction lines follow" \
    "$dir/err$n" || { echo "FAIL: --jobs $n error:"; cat "$dir/err$n"; fail=1; }
done
# a kernel read from a FIFO (copied to a temporary file on the first pass,
# as the reader streams each warp from the file): the same tables as the file
mkfifo "$dir/fifo.traceg"
cat "$tests/simt/data/accel/kernel-1.traceg" > "$dir/fifo.traceg" &
"$emlsim" simt "$dir/fifo.traceg" --quiet -o "$dir/fifo" ||
  { echo "FAIL: simt on a FIFO failed"; fail=1; }
wait
"$emlsim" simt "$tests/simt/data/accel/kernel-1.traceg" --quiet -o "$dir/file" ||
  { echo "FAIL: simt on the file failed"; fail=1; }
for t in simt_kernels simt_stalls simt_energy simt_energy_classes; do
  cmp "$dir/file/$t.csv" "$dir/fifo/$t.csv" ||
    { echo "FAIL: $t.csv differs between the file and a FIFO"; fail=1; }
done
[ "$fail" = 0 ] && echo "ok: simt --jobs 1, 2, 3 give the same tables; a FIFO the file's"
exit "$fail"
