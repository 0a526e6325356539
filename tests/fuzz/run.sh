#!/bin/sh
# run.sh BUILD SECONDS - runs every fuzz target for SECONDS, each on a seed
# corpus made from the project's own files, and prints its executions and
# coverage.  The corpora grow in BUILD/fuzz-corpus/ across runs.
set -e
build=$1
secs=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
c=$build/fuzz-corpus
mkdir -p "$c"
seed() { # target, files...
  t=$1; shift
  mkdir -p "$c/$t"
  for f in "$@"; do if [ -f "$f" ]; then cp "$f" "$c/$t/seed_$(basename "$f")"; fi; done
}
seed topology "$src"/workloads/topologies/*.csv "$src"/tests/cli/data/*.csv "$src"/tests/cli/bad/*.csv \
  "$src"/tests/bad/topology/*.csv
seed sa_config "$src"/tests/models/configs/*.cfg "$src"/tests/models/bad_configs/* "$src"/tests/bad/cfg/*
seed gpu_preset "$src"/models/simt/data/gpu_*.cfg "$src"/tests/bad/gpu/*
seed energy_table "$src"/costmodel/energy/*.csv "$src"/tests/costmodel/bad/* "$src"/tests/bad/energy/*
mkdir -p "$c/trace"
for f in "$src"/tests/simt/data/*.emtrace "$src"/tests/bad/trace/*.emtrace; do printf '\000' | cat - "$f" > "$c/trace/seed_$(basename "$f")"; done
for f in "$src"/tests/simt/data/accel/*.traceg "$src"/tests/cli/bad/*.traceg "$src"/tests/bad/trace/*.traceg; do
  printf '\001' | cat - "$f" > "$c/trace/seed_$(basename "$f")"
done
mkdir -p "$c/idx"
# a 2-image 2x2 set: cut byte, idx3 header and pixels, idx1 header and labels
printf '\140\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\002\001\002\003\004\005\006\007\010\000\000\010\001\000\000\000\002\003\007' > "$c/idx/seed_small"
seed onnx "$src"/tests/bad/onnx/*.onnx
# ONNX's node tests (every file is model.onnx: named after its folder here),
# one or two for each operator the reader interprets, and If (a subgraph)
for t in conv_with_strides_padding conv_with_autopad_same convinteger_with_padding qlinearconv \
  gemm_default_vector_bias gemm_transposeB matmul_4d matmul_3d matmul_2d qlinearmatmul_2D \
  maxpool_2d_pads maxpool_2d_ceil maxpool_with_argmax_2d_precomputed_pads \
  averagepool_2d_same_upper globalaveragepool flatten_axis2 reshape_extended_dims \
  reshape_negative_dim transpose_all_permutations_0 transpose_default squeeze unsqueeze_axis_0 \
  concat_3d_axis_1 add_bcast shape softmax_axis_1 batchnorm_example constant \
  dequantizelinear quantizelinear if; do
  f=/usr/share/libonnx-testdata/data/node/test_$t/model.onnx
  if [ -f "$f" ]; then cp "$f" "$c/onnx/seed_$t.onnx"; fi
done
seed sweep_spec "$src"/tests/sweep/*.spec "$src"/tests/bad/spec/*.spec
mkdir -p "$c/weights"
# the first byte picks the reader (0: MLP, 1: SimpleCNN): the bad files, a
# whole 1 x 1 MLP (magic, 1 layer, widths 1 and 1, one weight 1.0f and one
# bias 0.0f), and a SimpleCNN file cut after its first weight
for f in "$src"/tests/bad/weights/*; do printf '\000' | cat - "$f" > "$c/weights/seed_$(basename "$f")"; done
printf '\000EMLSMLP1\001\000\000\000\001\000\000\000\001\000\000\000\000\000\200\077\000\000\000\000' > "$c/weights/seed_mlp_1x1"
printf '\001EMLSCNN1\000\000\200\077' > "$c/weights/seed_cnn_cut"
targets=${FUZZ_TARGETS:-"topology sa_config gpu_preset energy_table trace idx onnx sweep_spec weights"}
for t in $targets; do
  log=$build/fuzz-$t.log
  # a trace may legitimately hold a kernel of 2^24 warp instructions, which
  # takes seconds to load under ASan and coverage instrumentation: 60 s
  # there, 10 s elsewhere (a hang is still caught)
  to=10
  [ "$t" = trace ] && to=60
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout="$to" -rss_limit_mb=2048 \
    -artifact_prefix="$build/fuzz-$t-" \
    -print_final_stats=1 "$c/$t" > "$log" 2>&1 || { echo "fuzz_$t: FAILED (see $log)"; tail -30 "$log"; exit 1; }
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "fuzz_$t: $secs s, $execs executions, $cov, no crash"
done
