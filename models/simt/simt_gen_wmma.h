/*
 * simt_gen_wmma.h - the fp16 tensor-core GEMM as CUDA's WMMA API writes it:
 * CUTLASS 1.x's wmma_gemm_nn (its WmmaGemmConfig, output tile
 * Shape<64,128,128>, warp tile Shape<64,32,64>) and the CUDA samples'
 * cudaTensorCoreGemm (BLOCK_ROW_WARPS 2 x BLOCK_COL_WARPS 4, WARP_ROW_TILES
 * 4 x WARP_COL_TILES 2, CHUNK_K 8).  Both are the same kernel shape, which
 * is the one these tests need to compare power with what AccelWattch
 * measured on a V100 for them (util/accelwattch in accel-sim-framework):
 *
 *   C (M x N, fp32, row-major) = alpha A (M x K, fp16) B (K x N, fp16) [+ beta C]
 *   block: 256 threads, 8 warps (2 along M x 4 along N), a 128 x 128 tile
 *   warp:  64 x 32 of C, 4 x 2 wmma tiles of 16 x 16
 *   per K stage of `kc` (64 CUTLASS, 128 the sample): each thread loads
 *     kc / 16 16-byte pieces of A and as many of B (LDG.128, guarded past M,
 *     N and K), stores them to shared memory (STS.128; rows padded by 8
 *     halves, so neither side conflicts), barrier; then kc / 16 steps of
 *     wmma::load_matrix_sync (two LDS.128 a 16 x 16 fragment, as Volta's
 *     duplicated fragments need: 4 of A, 2 of B) and 8 wmma::mma_sync;
 *     barrier
 *   an mma_sync m16n16k16 is 4096 multiply-adds: 4096 / macs instructions
 *     of the shape given (Volta: 16 HMMA.884 steps; Turing and Ampere: 4
 *     HMMA.1688 or 2 HMMA.16816), in chains of 16 / k along K, each waiting
 *     on its accumulator's previous step
 *   epilogue: alpha (and beta C, read with LDG.128 when load_c) in one FFMA
 *     a value, then 16 STG.128 a warp
 * Every tile is computed whole, as the WMMA kernels do: past N or M the
 * loads are predicated off and the tensor cores multiply zeros (CUTLASS's
 * 2560 x 16 GEMM runs 20 blocks of 128 x 128).
 */
#ifndef SIMT_GEN_WMMA_H
#define SIMT_GEN_WMMA_H

#include <stdbool.h>
#include <stdint.h>

#include "em_diag.h"
#include "simt_kernel.h"

typedef struct {
  uint64_t M, N, K;    /* C is M x N; 1..2^20 each */
  uint32_t kc;         /* K per shared-memory stage: 16, 32, 64 or 128 */
  uint8_t mma;         /* simt_mma of the fp16 MMA (HMMA.884, HMMA.1688, HMMA.16816) */
  bool load_c;         /* the epilogue reads C (beta != 0) */
  bool prefetch;       /* the next stage's global loads run under this stage's math
                        * (CUTLASS 1.x's global load stream); else load, store, compute
                        * (the CUDA sample) */
  uint64_t smem_bytes; /* per block; 0: the A and B stages, padded */
  const char *name;    /* the kernel's name; NULL: "wmma-gemm" */
} simt_wmma_gemm;

/* The two WMMA GEMMs whose V100 power AccelWattch measured (README,
 * "Validation on V100 measurements"):
 *   SIMT_WMMA_CUTLASS  CUTLASS 1.x's wmma_gemm_nn: 64 of K a stage, the next
 *                      stage prefetched into registers, C not read
 *                      (cutlass_perf_test --kernels=wmma_gemm_nn)
 *   SIMT_WMMA_SAMPLE   the CUDA samples' cudaTensorCoreGemm: 128 of K a
 *                      stage through 68 KB (69,632 B) of shared memory, no
 *                      prefetch, reads C (beta C) */
typedef enum { SIMT_WMMA_CUTLASS, SIMT_WMMA_SAMPLE } simt_wmma_lib;

/* The dense fp16 shape a GPU of compute capability sm_arch runs a wmma
 * m16n16k16 as (the newest its tensor cores have, simt_mma_min_arch):
 * HMMA.884 on sm_70 and sm_72, HMMA.1688 on sm_75, HMMA.16816 from sm_80;
 * SIMT_MMA_NONE below sm_70. */
uint8_t simt_wmma_mma_of(unsigned sm_arch);

/* The parameters of kernel lib at M x N x K (C is M x N) on a GPU of
 * compute capability sm_arch with tensor_units tensor cores per sub-core,
 * named "<lib's kernel>_MxNxK" in name (owned by the caller, at least 64
 * bytes; p->name points at it).  Errors: EM_ERR_UNSUPPORTED with the
 * reason for a GPU without tensor cores; sizes are checked by
 * simt_gen_wmma_gemm. */
em_status simt_wmma_gemm_of(simt_wmma_gemm *p, simt_wmma_lib lib, uint64_t M, uint64_t N,
                            uint64_t K, unsigned sm_arch, uint64_t tensor_units, char *name,
                            em_diag *d);

/* Builds the kernel; sets flops (2 M N K), tensor_flops, tensor_fp16_macs
 * and the compulsory DRAM bytes (A, B and C once, C twice when read).
 * Errors: a size out of range, kc not one of the four, mma not an fp16
 * dense shape; out of memory. */
em_status simt_gen_wmma_gemm(simt_kernel *k, const simt_wmma_gemm *p, em_diag *d);

#endif
