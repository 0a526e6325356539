/*
 * simt_gen.h - kernels generated for the SIMT model: the study book's
 * divergence example, microbenchmarks, and DNN layers.
 *
 * DNN layers (fp32 CUDA-core kernels, the way a straightforward library
 * writes them; tensors NHWC, one 4-byte word per value):
 *   conv, GEMM, FC with batch > 1: tiled GEMM, 64 x 64 output tile per
 *     256-thread block (on a given GPU the tile and K split picked for the
 *     shape: simt_gen_layer_gpu), 8-deep K slices staged through shared memory (A
 *     transposed with a padded stride, so stores are conflict free), 4 x 4
 *     outputs per thread from 128-bit shared loads; convolution reads A as
 *     an implicit im2col gather (zero padding = masked lanes); bounds are
 *     predicated guards, so edge tiles run with partial masks;
 *   FC with batch 1: GEMV, one warp per output, 128-bit loads along K, a
 *     5-step shuffle reduction, lane 0 stores;
 *   pooling, ReLU, element-wise: one thread per output, an early-exit branch
 *     for the threads past the end (it diverges in the last warp);
 *   softmax: one warp per row, three strided passes (max, sum of exp,
 *     normalise) whose loop exits diverge when the row is not a multiple
 *     of 32, each followed by a shuffle reduction.
 * Every kernel records its floating-point work and the compulsory DRAM
 * bytes it must read (each input word once): the roofline bound.
 */
#ifndef SIMT_GEN_H
#define SIMT_GEN_H

#include <stdint.h>

#include "em_diag.h"
#include "simt_config.h"
#include "simt_kernel.h"
#include "wl_layer.h"

/* The study book's example (section 2.4): one warp of `threads` threads
 * (4 in the book) runs
 *   A: v = foo[tid];  B: if (v < 10)  C: v = 0;  else  D: v = 10;
 *   E: w = bar[tid] + v;
 * with foo[] = values[tid] (the book: T1, T2 below 10, T3, T4 not).  E's
 * load of bar is folded into E, as the book counts it: five instructions.
 * values has `threads` entries and must outlive the kernel. */
em_status simt_gen_book_divergence(simt_kernel *k, uint32_t threads, const int32_t *values,
                                   em_diag *d);

/* Microbenchmarks (one block unless said). */
/* The longest chain the latency microbenchmarks (ffma, tensor-lat) time:
 * they run chains of N and 2N dependent instructions, each one straight
 * program of at most SIMT_PROG_MAX - 2 (a chain past it was cut there
 * silently, and ffma at --steps 5000 read 0 cycles an FFMA). */
#define SIMT_MICRO_CHAIN_MAX ((SIMT_PROG_MAX - 2) / 2)

typedef enum {
  SIMT_MICRO_FFMA_CHAIN,   /* one warp, n dependent FFMAs */
  SIMT_MICRO_CHASE_L1,     /* pointer chase, 4 KB footprint, warm pass + n timed loads */
  SIMT_MICRO_CHASE_L2,     /* .cg chase over 1 MB (misses L1, fits L2), warm + n timed */
  SIMT_MICRO_CHASE_DRAM,   /* chase over 256 MB, n cold loads */
  SIMT_MICRO_SMEM_STRIDE,  /* one warp, n shared loads at word stride `param` */
  SIMT_MICRO_GMEM_STRIDE,  /* one warp, one global load at word stride `param` */
  SIMT_MICRO_TENSOR,       /* 32 warps, n x 16 MMAs of shape `param` (simt_mma) each */
  SIMT_MICRO_SMEM_BW,      /* 32 warps, n steps of a shared and an L1 load each */
  SIMT_MICRO_DRAM_BW,      /* every SM full: 5 float4 streams read, 1 written */
  SIMT_MICRO_ATOMIC,       /* one thread, L2 warm-up and n dependent atomics */
  SIMT_MICRO_MEM_LAT,      /* Accel-Sim's mem_lat: a .cg chase through consecutive 32 B
                            * sectors of 64 MB, n cold loads (each misses L2; most hit
                            * their DRAM row) */
  SIMT_MICRO_TENSOR_LAT,   /* one warp, n dependent MMAs of shape `param` (simt_mma) */
  SIMT_MICRO_KERNEL_LAT,   /* Accel-Sim's kernel_lat: an empty block of 1024 threads,
                            * its launch and its exit */
  SIMT_MICRO_L2_BW,        /* Accel-Sim's l2_bw_32f: every SM full, .cg loads that hit
                            * L2, a warm-up pass and n timed steps */
  SIMT_MICRO_COUNT
} simt_micro;

const char *simt_micro_name(simt_micro m);
/* By name ("ffma", "chase-l1", "chase-l2", "chase-dram", "smem-stride",
 * "gmem-stride", "tensor", "smem-bw", "dram-bw", "atomic", "mem-lat",
 * "tensor-lat", "kernel-lat"); false if unknown. */
int simt_micro_parse(const char *name, simt_micro *out);

/* Builds microbenchmark m with n steps (FFMAs, timed loads, shared loads);
 * `param` is the stride for the stride kernels and the MMA shape (simt_mma;
 * 0: HMMA.1688) for tensor; `timed` false builds only the warm-up part of a
 * chase (its cycles are subtracted to get the latency).
 * tensor is Accel-Sim's tensor_bw_half done in SASS: one block of 1024
 * threads (one SM), each warp n times four rounds of four MMAs on four
 * accumulators (Volta's wmma.mma_sync m16n16k16 is these 16 HMMA.884
 * steps), each MMA waiting on its accumulator's previous one.
 * smem-bw, dram-bw and atomic are Accel-Sim's l1_shared_bw, mem_bw and
 * atomic_add_lat (util/tuner/GPU_Microbenchmark):
 *   smem-bw: one block of 1024 threads; each thread chases a pointer in
 *     shared memory and one in L1 side by side, n steps (a step is one
 *     4-byte shared load and one 4-byte global load, each waiting on its
 *     previous one; a warp's lanes read consecutive words, so neither
 *     conflicts); a warm-up pass first brings the 16 KB L1 array in.
 *     `timed` false builds the warm-up and no step.
 *   dram-bw: 2 blocks of 1024 threads per SM; a grid-stride loop reads
 *     five float4 arrays and writes a sixth, each array twice the L2 (so
 *     none stays there); n is ignored.
 *   atomic: one thread reads a 4 KB array into L2 (.cg loads, each word
 *     added into the atomics' index, so that the first atomic waits for the
 *     last load), then does n dependent atomic adds along it (each address
 *     comes from the previous atomic's old value); `timed` false builds the
 *     warm-up only.
 *   l2-bw (Accel-Sim's l2_bw_32f, after Jia et al.'s Volta L2 benchmark):
 *     2 blocks of 1024 threads per SM (its BLOCKS_NUM for the V100, 160);
 *     thread u (of T) reads float u, u + T, ... of an array of T + 32 n
 *     floats into L2 (.cg loads, L1 bypassed) and waits at the block's
 *     barrier, then loads float u + 32 i at step i (i < n), each added
 *     into one register; `timed` false builds the warm-up and the barrier
 *     alone.  Needs a GPU: the grid follows its SM count. */
em_status simt_gen_micro(simt_kernel *k, simt_micro m, uint32_t n, uint32_t param, int timed,
                         em_diag *d);
/* The same for the GPU gpu (dram-bw needs one: its grid and arrays follow the
 * SM count and the L2 size; the others ignore it, and may take NULL). */
em_status simt_gen_micro_gpu(simt_kernel *k, simt_micro m, uint32_t n, uint32_t param,
                             int timed, const simt_config *gpu, em_diag *d);
/* The largest stride in [1, limit] whose smem-stride block fits one SM of
 * gpu (its shared array grows with the stride: smem_per_sm bounds it), so
 * that a caller can refuse a larger one before it runs; 0 where not even
 * stride 1 fits. */
uint32_t simt_micro_smem_stride_max(const simt_config *gpu, uint32_t limit);

/* The kernel of one DNN layer (validated, precision set); a GEMM-shaped
 * layer (convolution, GEMM, FC at batch > 1) runs the 64 x 64 tile without
 * a K split, whatever the GPU. */
em_status simt_gen_layer(simt_kernel *k, const wl_layer *l, em_diag *d);

/* ---- the GEMM's tiles and the choice among them ----
 *
 * The tiles of the fp32 tiled GEMM (simt_gen.c): output tile, threads,
 * outputs a thread, registers:
 *   128x64: 256 threads, 8 x 4, 64 registers;
 *   64x64:  256 threads, 4 x 4, 40 registers (the kernel simt_gen_layer runs);
 *   32x32:   64 threads, 4 x 4, 40 registers.
 * Each may split K over ctaid.z (one group only), adding its partial tile
 * into C with fp32 reductions in L2 (RED.ADD.F32) after C is zeroed. */
typedef enum {
  SIMT_GEMM_128X64,
  SIMT_GEMM_64X64,
  SIMT_GEMM_32X32,
  SIMT_GEMM_TILES
} simt_gemm_tile;

/* "128x64", "64x64", "32x32"; "?" past the table. */
const char *simt_gemm_tile_name(simt_gemm_tile t);

/* The K splits the choice considers: 1, 2, 4, ... up to SIMT_GEMM_SPLIT_MAX,
 * each split at least SIMT_GEMM_SPLIT_MIN_K of K, and only where the tile's
 * blocks fill less than one wave of the GPU (blocks an SM holds x SMs) and
 * there is one group. */
#define SIMT_GEMM_SPLIT_MAX 16u
#define SIMT_GEMM_SPLIT_MIN_K 64u

typedef struct {
  simt_gemm_tile tile;
  uint64_t splits;   /* 1: no K split */
  double est_cycles; /* the estimate the choice was made on (simt_gemm_estimate) */
} simt_gemm_choice;

/* The closed-form time of the tiled GEMM with tile t and `splits` K splits
 * for M x N x K per group, G groups, on gpu, core cycles: waves of blocks
 * (occupancy from simt_occupancy_compute), each K slice of a wave the
 * slowest of its SMs' fp32 pipes, its shared-memory port, and one block's
 * load latency plus its own compute; split-K adds its reductions and the
 * zeroing of C; never below the compulsory DRAM traffic.  0 when the tile
 * does not fit an SM or the split is not one the choice considers. */
double simt_gemm_estimate(const simt_config *gpu, simt_gemm_tile t, uint64_t splits, uint64_t M,
                          uint64_t N, uint64_t K, uint64_t G);

/* The tile and split with the least estimate (a tie keeps the larger tile
 * and the fewer splits), as a library's heuristic picks without running
 * the candidates. */
simt_gemm_choice simt_gemm_pick(const simt_config *gpu, uint64_t M, uint64_t N, uint64_t K,
                                uint64_t G);

/* The kernel of one DNN layer on gpu: a GEMM-shaped layer runs the tile
 * and split simt_gemm_pick chooses, and its kernel is named after them
 * ("conv4_1/sgemm_32x32_splitk4"); the rest as simt_gen_layer.  gpu NULL:
 * simt_gen_layer. */
em_status simt_gen_layer_gpu(simt_kernel *k, const wl_layer *l, const simt_config *gpu,
                             em_diag *d);

/* The same with the tile and split given (a GEMM-shaped layer; the rest
 * ignore them).  Errors: splits 0, splits > 1 with groups, more splits
 * than 8-deep K slices. */
em_status simt_gen_layer_tile(simt_kernel *k, const wl_layer *l, simt_gemm_tile t,
                              uint64_t splits, em_diag *d);

/* The CUDA-core GEMV y[N] = W[N x K] x[K] with fp16 W and x (16-byte loads
 * of 8 halves, HFMA2) and fp32 y: the dense kernel a library picks for a
 * half-precision layer at batch 1. */
em_status simt_gen_gemv_fp16(simt_kernel *k, uint64_t N, uint64_t K, em_diag *d);

/* The roofline's roofs, per core cycle: fp32 peak (an FMA is 2 flops on
 * every fp32 lane), the tensor cores' dense fp16 peak (64 MACs per tensor
 * unit, 2 flops each) and DRAM bandwidth. */
double simt_peak_flops_per_cycle(const simt_config *c);
double simt_peak_tensor_flops_per_cycle(const simt_config *c);
double simt_dram_bytes_per_cycle(const simt_config *c);
/* Roofline bound in cycles: the largest of the CUDA cores' flops (flops less
 * tensor_flops) over the fp32 peak, the tensor work (tensor_fp16_macs) over
 * the tensor peak, and the compulsory DRAM bytes over the bandwidth.  A
 * kernel whose program has MMAs but leaves tensor_flops 0 is bounded by all
 * its flops over the fp32 peak plus the tensor peak of its fastest MMA. */
double simt_roofline_cycles(const simt_config *c, const simt_kernel *k);
/* What L2 and the write-back queues can hold dirty when a kernel ends, in
 * bytes: l2_bytes plus, per channel, its scheduler's write window
 * (dram_wq_size, or dram_queue with one queue) and l2_dram_queue per slice,
 * 32 B each.  Those writes are counted (dram_write_sectors) but not timed
 * (README.md, "When a kernel ends"). */
uint64_t simt_dirty_hold_bytes(const simt_config *c);
/* The roofline's DRAM bytes: min_dram_bytes less the writes
 * (min_dram_write_bytes) that simt_dirty_hold_bytes can hold. */
double simt_roofline_dram_bytes(const simt_config *c, const simt_kernel *k);

#endif
