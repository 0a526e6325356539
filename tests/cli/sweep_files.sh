#!/usr/bin/env bash
# sweep_files.sh EMLSIM TESTS CASE - the files a sweep SPEC names (a GPU
# file, a topology, an ONNX model) are found beside the SPEC, named in its
# errors and never overwritten by the sweep's outputs; a layer's error names
# the layer's own file; keys are kept whole.  Each case runs from a folder
# other than the SPEC's, checks the exit status, the first error line
# exactly (or the CSV's figures), and that nothing is left behind after an
# error.
set -u
emlsim=$1 tests=$2 case=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
mkdir "$dir/o" "$dir/cwd" "$dir/sub"
cd "$dir/cwd" || exit 2
out=$dir/o/out.csv
want_rc=1 want= check=
# a GPU file of one setting over the defaults: the clock, so that a point's
# latency is its cycles / clock (us = cycles / MHz)
gpu_at() { printf 'core_freq_mhz = %s\n' "$2" > "$1"; }
case $case in
  gpu_overwrite_o) # -o names the GPU file the SPEC names: refused, the file kept
    cp "$tests/../models/simt/data/gpu_jetson.cfg" "$dir/sub/j2.cfg"
    printf 'arch = simt\nworkload = simplecnn\ngpu = j2.cfg\n' > "$dir/sub/s.spec"
    want="$dir/sub/./j2.cfg: error: '-o' would overwrite 'gpu', an input of this run"
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$dir/sub/./j2.cfg")
    check="cmp -s $dir/sub/j2.cfg $tests/../models/simt/data/gpu_jetson.cfg" ;;
  gpu_overwrite_pareto) # the same with --pareto, the GPU file the second of two
    cp "$tests/../models/simt/data/gpu_jetson.cfg" "$dir/sub/j2.cfg"
    printf 'arch = simt\nworkload = simplecnn\ngpu = volta, j2.cfg\n' > "$dir/sub/s.spec"
    want="$dir/sub/j2.cfg: error: '--pareto' would overwrite 'gpu', an input of this run"
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out" --pareto "$dir/sub/j2.cfg")
    check="cmp -s $dir/sub/j2.cfg $tests/../models/simt/data/gpu_jetson.cfg" ;;
  gpu_beside_spec) # gpu = j.cfg is the file beside the SPEC (1000 MHz), not
    # the one of that name in the working folder (2000 MHz)
    gpu_at "$dir/sub/j.cfg" 1000
    gpu_at "$dir/cwd/j.cfg" 2000
    cp "$tests/cli/data/gemm64.csv" "$dir/sub/g.csv"
    printf 'arch = simt\nworkload = g.csv\ngpu = j.cfg\n' > "$dir/sub/s.spec"
    want_rc=0
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out")
    # row 0: point,workload,gpu,cycles,latency_us,...: latency = cycles / 1000 MHz
    check="awk -F, 'NR == 2 { ok = \$3 == \"j.cfg\" && \$4 > 0 && sprintf(\"%.6f\", \$4 / 1000) == \$5 }
                    END { exit !(NR == 2 && ok) }' $out" ;;
  gpu_missing) # the error names the file it looked for, beside the SPEC
    printf 'arch = simt\nworkload = simplecnn\ngpu = nosuch.cfg\n' > "$dir/sub/s.spec"
    want="$dir/sub/s.spec:3:7: error: gpu file '$dir/sub/nosuch.cfg': cannot open: No such file or directory"
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out") ;;
  onnx_beside_spec) # workload = m.onnx is the model beside the SPEC.  Its one
    # Conv, fp32, 108 MACs, 9 weights, 12 outputs (emlsim analyze), on the
    # analytic model by hand: 108 x (3.7 + 0.9) pJ = 496.8 pJ of arithmetic;
    # DRAM moves every tensor once (the project's rule): the weights 36 B,
    # the outputs 48 B and the network's input, the layer's first, as the
    # reader gives it, padding folded in: the 1 x 7 x 5 map padded by 1, of
    # which the 4 x 3 outputs' windows (stride 2, 3 x 3) read (4 - 1) x 2 + 3
    # = 9 rows and (3 - 1) x 2 + 3 = 7 columns, 63 x 4 = 252 B: (36 + 48 +
    # 252) B / 8 = 42 accesses of 64 bits at 1300 pJ = 54,600 pJ; 55,096.8
    # pJ = 0.055097 uJ (0.014147 before the input was charged)
    cp "$tests/cli/data/hostile_graph_name.onnx" "$dir/sub/m.onnx"
    printf 'arch = analytic\nworkload = m.onnx\n' > "$dir/sub/s.spec"
    want_rc=0
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out")
    check="grep -q '^0,m.onnx,,,0.055097,' $out" ;;
  onnx_missing) # the error says where the model was looked for
    printf 'arch = analytic\nworkload = m.onnx\n' > "$dir/sub/s.spec"
    want="$dir/sub/s.spec:2:12: error: workload 'm.onnx': cannot open: No such file or directory (looked for '$dir/sub/m.onnx', beside the spec)"
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out") ;;
  layer_source) # a layer the model refuses is located in its topology (line
    # 7, layer H), as 'emlsim systolic g3.csv' says it, not in the SPEC
    printf 'Layer, M, N, K,\nA, 64, 64, 64,\nB, 64, 64, 64,\nC, 64, 64, 64,\nD, 64, 64, 64,\nE, 64, 64, 64,\nH, 4096, 4096, 4096,\n' > "$dir/sub/g3.csv"
    printf 'arch = systolic\nworkload = g3.csv\nrows = 8, 16\n' > "$dir/sub/s.spec"
    export EMLSIM_HOST_MEMORY=1M
    want="$dir/sub/g3.csv:7:1: error: layer 'H' is too large to simulate: it needs at least"
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out") ;;
  long_keys) # GPU keys past 31 characters, kept whole: two of them alike in
    # their first 31, the longest of any model (38), each a column of its own
    cp "$tests/cli/data/gemm64.csv" "$dir/sub/g.csv"
    printf 'arch = simt\nworkload = g.csv\ngpu.gpgpu_compute_capability_major = 7\ngpu.gpgpu_compute_capability_minor = 0\ngpu.gpgpu_n_sub_partition_per_mchannel = 1, 2\n' > "$dir/sub/s.spec"
    want_rc=0
    cmd=("$emlsim" sweep "$dir/sub/s.spec" -o "$out")
    # the same design point through 'emlsim simt --set' (one point, one
    # answer): its launch + kernel cycles and its energy
    "$emlsim" simt "$dir/sub/g.csv" --set gpgpu_compute_capability_major=7 \
      --set gpgpu_compute_capability_minor=0 --set gpgpu_n_sub_partition_per_mchannel=2 \
      -o "$dir/simt" --quiet >/dev/null 2>&1 || { echo "FAIL: emlsim simt --set"; exit 1; }
    ref=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
                   $1 == "total" { print $h["launch_cycles"] + $h["cycles"], $h["energy_uj"] }' \
          "$dir/simt/simt_kernels.csv")
    # the header is the SPEC's keys in order, whole; the point with 2
    # sub-partitions has the simt command's figures
    check="awk -F, -v ref='$ref' 'BEGIN { split(ref, r, \" \") }
                    NR == 1 { ok = \$3 == \"gpu.gpgpu_compute_capability_major\" &&
                              \$4 == \"gpu.gpgpu_compute_capability_minor\" &&
                              \$5 == \"gpu.gpgpu_n_sub_partition_per_mchannel\" }
                    NR > 1 { ok = ok && \$5 == NR - 1 && \$6 > 0 }
                    NR == 3 { ok = ok && \$6 == r[1] && sprintf(\"%.3f\", \$8) == r[2] }
                    END { exit !(NR == 3 && ok) }' $out" ;;
  *) echo "sweep_files.sh: unknown case $case"; exit 2 ;;
esac
timeout 120 "${cmd[@]}" >"$dir/stdout" 2>"$dir/stderr" </dev/null
rc=$?
fail=0
[ "$rc" = "$want_rc" ] || { echo "FAIL: exit status $rc, expected $want_rc"; fail=1; }
if [ -n "$want" ]; then
  got=$(grep -m1 'error: ' "$dir/stderr")
  case $got in
    "$want"*) ;;
    *) echo "FAIL: got"; echo "  $got"; echo "expected it to start with"; echo "  $want"; fail=1 ;;
  esac
fi
if [ "$want_rc" != 0 ]; then
  left=$(cd "$dir/o" && find . -mindepth 1 | head -5)
  [ -z "$left" ] || { echo "FAIL: output left behind:"; echo "$left"; fail=1; }
fi
if [ -n "$check" ] && ! eval "$check"; then
  echo "FAIL: $check"; [ -f "$out" ] && cat "$out"; fail=1
fi
[ $fail = 1 ] && { echo "command: ${cmd[*]}"; cat "$dir/stderr"; }
exit $fail
