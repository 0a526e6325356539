#!/bin/sh
# same.sh EMLSIM SPEC OUTDIR - the sweep's CSV is the same byte for byte run
# on one thread, on two, and on two and three MPI ranks.
emlsim=$1 spec=$2 out=$3
mkdir -p "$out"
"$emlsim" sweep "$spec" --jobs 1 -o "$out/j1.csv" || exit 1
"$emlsim" sweep "$spec" --jobs 2 -o "$out/j2.csv" || exit 1
n=$(($(wc -l < "$out/j1.csv") - 1))
echo "$n design points"
[ "$n" -ge 10000 ] || { echo "FAIL: fewer than 10,000 points"; exit 1; }
cmp "$out/j1.csv" "$out/j2.csv" || { echo "FAIL: --jobs 2 differs from --jobs 1"; exit 1; }
if command -v mpirun >/dev/null 2>&1; then
  # Under the sanitizers (make test-sanitize) Open MPI's own allocations,
  # never freed by MPI_Finalize, would fail the run: LeakSanitizer is off for
  # this step only (no frame of those leaks is in emlsim; the --jobs runs
  # above are checked for leaks).
  for n in 2 3; do
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
      mpirun -n $n "$emlsim" sweep "$spec" -o "$out/mpi$n.csv" </dev/null ||
      { echo "FAIL: mpirun -n $n"; exit 1; }
    cmp "$out/j1.csv" "$out/mpi$n.csv" || { echo "FAIL: mpirun -n $n differs from --jobs 1"; exit 1; }
    echo "mpirun -n $n: same"
  done
else
  echo "FAIL: no mpirun (Debian openmpi-bin; make installs it)"
  exit 1
fi
echo "identical for --jobs 1, --jobs 2 and mpirun -n 2 and 3"
