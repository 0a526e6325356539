/*
 * simt_dense_ref.h - the dense references of the SIMT sparse kernels: the
 * fastest of several fp32 CUDA-core kernels of Y (rows x M) = W (rows x K)
 * X (K x M), as a library's heuristics pick among its kernels, so that a
 * sparse kernel is never compared with a weaker dense one (issue 18: the
 * layer GEMV reached 75 % of DRAM bandwidth where the block kernel reached
 * 84 %, and the 64 x 64-tile GEMM fills 16 of 80 SMs on skinny shapes).
 *
 * The candidates, by index:
 *   0  the layer kernel: the 64 x 64-tile GEMM (simt_gen_layer), or on a
 *      given GPU the tile and K split picked for it (simt_gen_layer_gpu),
 *      or the GEMV at M = 1;
 *   1  M = 1 only: an unrolled GEMV, one warp per row, four 16-byte loads
 *      of W and four of x in flight per lane and trip, four accumulators;
 *   2  the 4 x 4 block kernel on an all-ones pattern without its index
 *      loads (simt_gen_sparse_dense), K split over ctaid.z when its grid
 *      has fewer than two blocks per SM;
 *   3  the same with 8 x 8 blocks (a small-tile GEMM: 8 rows by 128
 *      columns per warp);
 *   4  csr-warp on an all-ones pattern without its index loads (the
 *      scalar-row kernel's dense twin), split the same way.
 * A sparse kernel on a full pattern does the work of candidate 2, 3 or 4
 * plus its pointer and index loads and the index decode, so its speedup at
 * zero sparsity is at most 1 by construction; the reference's energy is the
 * least of the candidates' (simt_hw.c), so its energy gain is too.
 */
#ifndef SIMT_DENSE_REF_H
#define SIMT_DENSE_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "em_diag.h"
#include "simt_config.h"
#include "simt_kernel.h"
#include "simt_sparse.h"

#define SIMT_DENSE_REF_COUNT 5

/* Builds candidate i (0 .. SIMT_DENSE_REF_COUNT - 1) for the shape on a GPU
 * of `sms` SMs (the K split aims at two blocks per SM).  *applies is false
 * (and k left initialised and empty) for a candidate that does not exist
 * for the shape (the GEMV at M > 1).  Errors: sizes out of range, memory. */
em_status simt_gen_dense_ref(simt_kernel *k, unsigned i, uint64_t rows, uint64_t K, uint64_t M,
                             uint64_t sms, bool *applies, em_diag *d);

/* The same on the GPU gpu: candidate 0 is the layer kernel the model runs
 * there (simt_gen_layer_gpu: the tile and K split simt_gemm_pick chooses),
 * so the reference is never weaker than the layer itself. */
em_status simt_gen_dense_ref_gpu(simt_kernel *k, unsigned i, uint64_t rows, uint64_t K,
                                 uint64_t M, const simt_config *gpu, bool *applies, em_diag *d);

/* The K splits of the block (or csr-warp) kernel of the shape: enough for
 * two blocks per SM, each split at least 4 (block) columns (64 at M = 1,
 * where the lanes stride over the row); 1 for csr-thread.  The sparse
 * kernels split as their dense twins do. */
uint64_t simt_k_splits(simt_sparse_kernel kind, uint64_t rows, uint64_t K, uint64_t M,
                       uint32_t block, uint64_t sms);

/* The unrolled GEMV y[N] = W[N x K] x[K] (fp32; candidate 1). */
em_status simt_gen_gemv_unrolled(simt_kernel *k, uint64_t N, uint64_t K, em_diag *d);

#endif
