#!/bin/sh
# same.sh EMLSIM SPEC OUTDIR - the sweep's CSV is the same byte for byte run
# on one thread, on two, and (when mpirun is there) on two MPI ranks.
emlsim=$1 spec=$2 out=$3
mkdir -p "$out"
"$emlsim" sweep "$spec" --jobs 1 -o "$out/j1.csv" || exit 1
"$emlsim" sweep "$spec" --jobs 2 -o "$out/j2.csv" || exit 1
n=$(($(wc -l < "$out/j1.csv") - 1))
echo "$n design points"
[ "$n" -ge 10000 ] || { echo "FAIL: fewer than 10,000 points"; exit 1; }
cmp "$out/j1.csv" "$out/j2.csv" || { echo "FAIL: --jobs 2 differs from --jobs 1"; exit 1; }
if command -v mpirun >/dev/null 2>&1; then
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    mpirun -n 2 "$emlsim" sweep "$spec" -o "$out/mpi.csv" </dev/null || { echo "FAIL: mpirun"; exit 1; }
  cmp "$out/j1.csv" "$out/mpi.csv" || { echo "FAIL: mpirun -n 2 differs from --jobs 1"; exit 1; }
  echo "mpirun -n 2: same"
else
  echo "FAIL: no mpirun (Debian openmpi-bin; make installs it)"
  exit 1
fi
echo "identical for --jobs 1, --jobs 2 and mpirun -n 2"
