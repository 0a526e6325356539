#!/usr/bin/env bash
# inputs.sh EMLSIM TESTS CASE - inputs that are not regular files, and sizes
# given on the command line, are refused before anything is read or
# allocated: exit status 1 (2 for a usage error), the exact first error, and
# no output left behind.  The devices, folders and FIFOs are made here; every
# case that could read without end (a device, a FIFO nobody writes) runs
# under `timeout`, so a regression fails instead of hanging the suite.
set -u
emlsim=$1 tests=$2 case=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
mkdir "$dir/o" "$dir/folder"
out=$dir/o/out
# a Fashion-MNIST folder of 2 images of 2 x 2 (tests/bad/idx)
data() {
  mkdir -p "$dir/data"
  for s in train t10k; do
    cp "$tests/bad/idx/good-images" "$dir/data/$s-images-idx3-ubyte"
    cp "$tests/bad/idx/good-labels" "$dir/data/$s-labels-idx1-ubyte"
  done
}
want_rc=1
case $case in
  cfg_device) # /dev/zero never ends: refused by what it is, not read
    want='/dev/zero: error: is a character device, not a configuration file'
    cmd=("$emlsim" systolic alexnet -c /dev/zero -o "$out") ;;
  cfg_folder)
    want="$dir/folder: error: is a directory, not a configuration file"
    cmd=("$emlsim" systolic alexnet -c "$dir/folder" -o "$out") ;;
  topology_device)
    want='/dev/zero: error: is a character device, not a file'
    cmd=("$emlsim" analyze /dev/zero -o "$out") ;;
  topology_folder) # a folder named like a topology file
    mkdir "$dir/net.csv"
    want="$dir/net.csv: error: is a directory, not a file"
    cmd=("$emlsim" analyze "$dir/net.csv" -o "$out") ;;
  energy_device)
    want='/dev/zero: error: is a character device, not a file'
    cmd=("$emlsim" analyze alexnet --energy-table /dev/zero -o "$out") ;;
  gpu_device)
    want='/dev/zero: error: is a character device, not a GPU preset'
    cmd=("$emlsim" simt --micro ffma --gpu /dev/zero -o "$out") ;;
  spec_device)
    want='/dev/zero: error: is a character device, not a sweep spec'
    cmd=("$emlsim" sweep /dev/zero -o "$out") ;;
  trace_fifo) # a native trace is read twice: a FIFO is refused without opening it
    mkfifo "$dir/k.emtrace"
    want="$dir/k.emtrace: error: is a pipe, and a native trace must be a regular file"
    cmd=("$emlsim" simt "$dir/k.emtrace" -o "$out") ;;
  kernel_device) # a kernel list naming a device
    printf 'kernel-1.traceg\n' > "$dir/kernelslist.g"
    ln -s /dev/zero "$dir/kernel-1.traceg"
    want="$dir/kernelslist.g:1:1: error: cannot open kernel trace '$dir/kernel-1.traceg': is a character device, not a kernel trace"
    cmd=("$emlsim" simt "$dir/kernelslist.g" -o "$out") ;;
  kernel_fifo) # a kernel list naming a FIFO (an unpacked archive may hold one):
    # nobody writes to it, so reading would block for ever; refused unopened
    printf 'kernel-1.traceg\nkernel-2.traceg\n' > "$dir/kernelslist.g"
    cp "$tests/simt/data/accel/kernel-1.traceg" "$dir/"
    mkfifo "$dir/kernel-2.traceg"
    want="$dir/kernelslist.g:2:1: error: cannot open kernel trace '$dir/kernel-2.traceg': is a pipe, and a kernel trace must be a regular file"
    cmd=("$emlsim" simt "$dir/kernelslist.g" -o "$out") ;;
  spec_workload_fifo) # a topology a spec names, beside it, is a FIFO
    mkfifo "$dir/net.csv"
    printf 'arch = systolic\nworkload = alexnet, net.csv\nrows = 16\n' > "$dir/s.spec"
    want="$dir/s.spec:2:21: error: 'net.csv' is a pipe, and a file named in a spec must be a regular file"
    cmd=("$emlsim" sweep "$dir/s.spec" -o "$out") ;;
  spec_gpu_fifo) # a GPU file a spec names is a FIFO
    mkfifo "$dir/g.cfg"
    printf 'arch = simt\nworkload = simplecnn\ngpu = volta, %s\n' "$dir/g.cfg" > "$dir/s.spec"
    want="$dir/s.spec:3:14: error: '$dir/g.cfg' is a pipe, and a file named in a spec must be a regular file"
    cmd=("$emlsim" sweep "$dir/s.spec" -o "$out") ;;
  onnx_fifo) # read by its length: a FIFO has none
    mkfifo "$dir/m.onnx"
    want="$dir/m.onnx: error: is a pipe, and an ONNX model must be a regular file"
    cmd=("$emlsim" analyze "$dir/m.onnx" -o "$out") ;;
  idx_device) # the training images are /dev/zero
    data; ln -sf /dev/zero "$dir/data/train-images-idx3-ubyte"
    want="$dir/data/train-images-idx3-ubyte: error: is a character device, not an IDX file"
    cmd=("$emlsim" quant --data "$dir/data" --epochs 1 -o "$out") ;;
  weights_device)
    data
    want='/dev/zero: error: is a character device, not a weight file'
    cmd=("$emlsim" quant --data "$dir/data" --load /dev/zero -o "$out") ;;
  weights_folder)
    data
    want="$dir/folder: error: is a directory, not a weight file"
    cmd=("$emlsim" quant --data "$dir/data" --load "$dir/folder" -o "$out") ;;
  cnn_image_size) # SimpleCNN reads 28 x 28 pixels an image: 2 x 2 ones are refused
    data
    want="$dir/data: error: SimpleCNN takes 28 x 28 images, these are 2 x 2"
    cmd=("$emlsim" quant --data "$dir/data" --epochs 1 --cnn 1 -o "$out") ;;
  weights_claim) # a 28-byte header claiming a 784-65536-2048-10 MLP: refused by the
    # file's length before anything is allocated, here under a 512 MiB address-space cap
    # (allocating first would fail as out of memory).  Weights and biases:
    # 784 x 65536 + 65536 = 51,445,760; 65536 x 2048 + 2048 = 134,219,776;
    # 2048 x 10 + 10 = 20,490; 185,686,026 in all, x 4 bytes + 28 = 742,744,132.
    data
    printf 'EMLSMLP1\003\000\000\000\020\003\000\000\000\000\001\000\000\010\000\000\012\000\000\000' \
      > "$dir/w.mlp"
    want="$dir/w.mlp: error: truncated weight file: its header describes 742744132 bytes, the file has 28"
    # the cap proves nothing is allocated first; AddressSanitizer cannot run
    # under one (its shadow memory is reserved up front), as limits.sh knows
    cap='ulimit -v 524288;'
    ldd "$emlsim" 2>/dev/null | grep -q libasan && cap=''
    cmd=(bash -c "$cap"' exec "$@"' - "$emlsim" quant --data "$dir/data" --load "$dir/w.mlp"
         -o "$out") ;;
  array_wrap) # 4294967297 = 2^32 + 1 would wrap to 1 in 32 bits
    want_rc=2
    want="emlsim bitserial: error: '--array' must be DmxDkxDn, each in [1, 65536] (e.g. 8x256x8), got '4294967297x1x1'"
    cmd=("$emlsim" bitserial alexnet --array 4294967297x1x1 -o "$out") ;;
  format_wrap) # 4294967298:4294967300 is 2:4 modulo 2^32: refused, not read as 2:4
    want_rc=2
    want="emlsim breakeven: error: '--sparse' must be dense, mask, csr, csc, coo, bsr[B] (B in [1, 256]), N:M (1 <= N < M <= 64), bitmap, rle or channel, got '4294967298:4294967300'"
    cmd=("$emlsim" breakeven gemm:64x64x64 --sparse 4294967298:4294967300 -o "$out") ;;
  gemm_weights_systolic) # N x K = 16384 x 8192 = 2^27 weights, past 2^26
    want="emlsim breakeven: error: 'gemm:1x16384x8192': N x K = 16384 x 8192 weights, more than the 67108864 a break-even sweep holds"
    cmd=("$emlsim" breakeven gemm:1x16384x8192 --arch systolic -o "$out") ;;
  layer_weights) # AlexNet's FC-1: 9216 inputs x 4096 outputs = 37,748,736 weights, past 2^24
    want="builtin:alexnet: error: layer 'FC-1': N x K = 4096 x 9216 weights, more than the 16777216 a break-even sweep holds on CUDA cores"
    cmd=("$emlsim" breakeven alexnet --layer FC-1 -o "$out") ;;
  gemm_weights) # N x K = 2^32 weights, past 2^24 on CUDA cores
    want="emlsim breakeven: error: 'gemm:65536x65536x65536': N x K = 65536 x 65536 weights, more than the 16777216 a break-even sweep holds on CUDA cores"
    cmd=("$emlsim" breakeven gemm:65536x65536x65536 -o "$out") ;;
  gemm_core_macs) # 1024^3 = 2^30 MACs on CUDA cores (csr), past 2^28
    want="emlsim breakeven: error: 'gemm:1024x1024x1024': 1073741824 MACs, more than the 268435456 a break-even sweep simulates on CUDA cores"
    cmd=("$emlsim" breakeven gemm:1024x1024x1024 -o "$out") ;;
  gemm_core_outputs) # 1 x 4194304 = 2^22 outputs with K = 1: 2^22 MACs, within
    # 2^28, but a thread an output (137 s a point); past 2^20 on CUDA cores
    want="emlsim breakeven: error: 'gemm:1x4194304x1': M x N = 1 x 4194304 outputs, more than the 1048576 a break-even sweep simulates on CUDA cores"
    cmd=("$emlsim" breakeven gemm:1x4194304x1 -o "$out") ;;
  gemm_tc_macs) # 2:4 runs on tensor cores: 2^32 MACs is the bound, 8192 x 1024 x 1024 = 2^33
    want="emlsim breakeven: error: 'gemm:8192x1024x1024': 8589934592 MACs, more than the 4294967296 a break-even sweep simulates"
    cmd=("$emlsim" breakeven gemm:8192x1024x1024 --sparse 2:4 --gpu ampere -o "$out") ;;
  gemm_wrap) # 2^64 + 1: no longer a number that fits, not read modulo 2^64; a
    # command-line error (exit 2), as any other argument's
    want_rc=2
    want="emlsim breakeven: error: 'gemm:18446744073709551617x1x1': 'M' must be in [1, 2147483648], got 18446744073709551617"
    cmd=("$emlsim" breakeven gemm:18446744073709551617x1x1 -o "$out") ;;
  *) echo "inputs.sh: unknown case $case"; exit 2 ;;
esac
timeout 60 "${cmd[@]}" >"$dir/stdout" 2>"$dir/stderr" </dev/null
rc=$?
fail=0
[ "$rc" = "$want_rc" ] || { echo "FAIL: exit status $rc, expected $want_rc"; fail=1; }
got=$(grep -m1 'error: ' "$dir/stderr")
[ "$got" = "$want" ] || { echo "FAIL: got"; echo "  $got"; echo "expected"; echo "  $want"; fail=1; }
left=$(cd "$dir/o" && find . -mindepth 1 | head -5)
[ -z "$left" ] || { echo "FAIL: output left behind:"; echo "$left"; fail=1; }
[ $fail = 1 ] && { echo "command: ${cmd[*]}"; cat "$dir/stderr"; }
exit $fail
