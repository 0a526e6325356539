#!/usr/bin/env bash
# limits.sh EMLSIM CASE - absurd inputs are refused with a clear message
# (exit 1, path:line:col where there is a line) before memory runs out: each
# case runs under a 1 GiB address-space limit (not under AddressSanitizer,
# which reserves terabytes of it), and the inputs stream through a pipe, so
# a reader that tried to hold them would fail on the limit, not pass.
set -u
emlsim=$1 case=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# (clang links AddressSanitizer in statically, where ldd does not show it:
# under the limit it cannot map its shadow and aborts, and line_trace's FIFO
# writer then waits for a reader for ever)
{ ldd "$emlsim" 2>/dev/null | grep -q libasan || grep -qa __asan_init "$emlsim"; } ||
  ulimit -v 1048576
H='Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,'
GiB=1073741824
# a 1 GiB line of the character $1
line() { head -c $GiB /dev/zero | tr '\0' "$1"; echo; }
case $case in
  layers_1e9) # a network of 10^9 layers: refused at layer 1,000,001 (line 1,000,002)
    want='/dev/stdin:1000002:1: error: more than 1000000 layers in one network'
    { echo "$H"; yes 'c, 8, 8, 3, 3, 4, 4, 1,' | head -n 1000000000; } |
      "$emlsim" analyze /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_topology) # a 1 GiB line in a topology
    want='/dev/stdin:2:1: error: line is longer than 1048576 bytes'
    { echo "$H"; line 7; } | "$emlsim" analyze /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_config) # ... in a SCALE-Sim config
    want='/dev/stdin:2:1: error: line is too long'
    { echo '[general]'; printf 'run_name = '; line a; } |
      "$emlsim" systolic alexnet -c /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_energy) # ... in an energy table
    want='/dev/stdin:2:1: error: line is longer than 1048576 bytes'
    { echo 'op,type,bits,capacity_bytes,energy_pj,source'; line a; } |
      "$emlsim" analyze alexnet --energy-table /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_gpu) # ... in a GPU preset (read whole up to 1 MiB, so refused by size)
    want='/dev/stdin: error: file larger than 1048576 bytes'
    { printf 'n_sm = '; line 1; } |
      "$emlsim" simt --micro ffma --gpu /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_spec) # ... in a sweep spec
    want='/dev/stdin:2:1: error: line longer than 8192 bytes'
    { echo 'arch = systolic'; printf 'workload = '; line a; } |
      "$emlsim" sweep /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  line_trace) # ... in an Accel-Sim trace (a FIFO: its name says the format)
    want="$dir/k.traceg:2:1: error: line longer than 1048576 bytes"
    mkfifo "$dir/k.traceg"
    { echo '-kernel name = k'; line a; } > "$dir/k.traceg" 2>/dev/null &
    "$emlsim" simt "$dir/k.traceg" -o "$dir/out" 2>"$dir/err" ;;
  trace_insts_1e12) # a warp declaring 10^12 instructions in its header
    want="$dir/k.traceg:7:9: error: insts = 1000000000000 is more than one warp can hold"
    printf '%s\n' '-grid dim = (1,1,1)' '-block dim = (32,1,1)' '#BEGIN_TB' \
      'thread block = 0,0,0' '' 'warp = 0' 'insts = 1000000000000' > "$dir/k.traceg"
    "$emlsim" simt "$dir/k.traceg" -o "$dir/out" 2>"$dir/err" ;;
  trace_grid_1e12) # a kernel of 10^12 thread blocks
    want="$dir/k.emtrace:2:1: error: grid of 1000000000000 blocks x 32 warps is more than a trace can hold"
    printf '%s\n' 'emlsim-trace 1' 'kernel k grid=1000000,1000000 block=1024' 'block 0' 'warp 0' \
      'FADD d=1 s=1,1' > "$dir/k.emtrace"
    "$emlsim" simt "$dir/k.emtrace" -o "$dir/out" 2>"$dir/err" ;;
  trace_repeat_1e12) # one line repeated 10^12 times
    want="$dir/k.emtrace:5:18: error: n= must be 1..16777216, got '1000000000000'"
    printf '%s\n' 'emlsim-trace 1' 'kernel k grid=1 block=32' 'block 0' 'warp 0' \
      'FADD d=1 s=1,1 n=1000000000000' > "$dir/k.emtrace"
    "$emlsim" simt "$dir/k.emtrace" -o "$dir/out" 2>"$dir/err" ;;
  simt_gemm_2p60) # a GEMM of 2^20 cubed on the GPU: 2^61 flops, so at least
    # 2^61 / (2 flops a lane, an FFMA, x 32 lanes) = 2^55 warp instructions,
    # past the default max_warp_insts of 10^10: refused before it runs, not
    # years of it
    want="/dev/stdin:2:1: error: kernel 'Huge/sgemm_64x64' is too large to simulate: it would issue at least 36028797018963968 warp instructions"
    printf '%s\n' 'Layer name, M, N, K,' 'Huge, 1048576, 1048576, 1048576,' |
      "$emlsim" simt /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  simt_stopped) # AlexNet's CONV-1 (105,415,200 MACs) under a limit of 3,300,000:
    # its bound, each MAC a lane of an FFMA, 105,415,200 / 32 = 3,294,225
    # warp instructions, lets it start; its loads, address arithmetic and
    # loop take it past the limit: stopped as it passes, nothing written.
    # CONV-1 alone: in all of AlexNet, CONV-2 (at least 6,998,400) is
    # refused before any layer runs (cli.simt_check_upfront)
    { echo 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,'
      echo 'CONV-1, 227, 227, 11, 11, 3, 96, 4,'; } > "$dir/c1.csv"
    want="$dir/c1.csv:2:1: error: kernel 'CONV-1/sgemm_32x32' is too large to simulate: stopped after"
    "$emlsim" simt "$dir/c1.csv" --set max_warp_insts=3300000 -o "$dir/out" 2>"$dir/err" ;;
  systolic_conv_1e10) # a 10^10-pixel convolution on the systolic array
    want="/dev/stdin:2:1: error: layer 'Big' is too large to simulate"
    { echo "$H"; echo 'Big, 100000, 100000, 3, 3, 4096, 4096, 1,'; } |
      "$emlsim" systolic /dev/stdin -o "$dir/out" 2>"$dir/err" ;;
  onnx_2g) # a 2 GiB model (a sparse file: nothing is written to disk)
    want="$dir/big.onnx: error: larger than 1 GiB"
    truncate -s 2G "$dir/big.onnx"
    "$emlsim" analyze "$dir/big.onnx" -o "$dir/out" 2>"$dir/err" ;;
  *) echo "limits.sh: unknown case $case"; exit 2 ;;
esac
rc=$?
fail=0
[ "$rc" = 1 ] || { echo "FAIL: exit status $rc, expected 1"; fail=1; }
got=$(grep -m1 ': error: ' "$dir/err")
case $got in "$want"*) ;; *) echo "FAIL: got '$got', expected '$want...'"; fail=1 ;; esac
[ -e "$dir/out" ] && { echo "FAIL: output written"; fail=1; }
[ $fail = 1 ] && cat "$dir/err"
exit $fail
