/*
 * simt_sparse.h - sparse kernels for the SIMT model, generated from a real
 * sparsity pattern: Y (rows x M) = W (rows x K, sparse) X (K x M, dense),
 * fp32 values, 32-bit indices, X and Y row-major.
 *
 *   csr-thread  one thread per (row, column of Y): the thread walks its row's
 *               non-zeros; lanes of a warp hold different rows, so the loop
 *               exits diverge and the X gathers are uncoalesced (CSR scalar)
 *   csr-warp    one warp per row: for M = 1 the lanes stride over the row's
 *               non-zeros, 4 consecutive ones a lane (16-byte loads of
 *               indices and values, 4 gathers of x), and a shuffle
 *               reduction sums them (CSR vector); for
 *               M > 1 the lanes cover 128 columns of Y (4 each, 128-bit
 *               loads of X) and walk the row's non-zeros together
 *   bsr         b x b blocks: for M > 1 one warp per block-row and 128 columns
 *               (b x b x 4 FFMAs per block and lane); for M = 1 the lanes
 *               stride over the block-row's blocks, then reduce
 * The pattern's arrays (row pointers, indices) are built from the pattern and
 * owned by the kernel; the loops' trip counts and masks follow them exactly.
 * Every sparse kernel decodes its indices: an IMAD turns the stored column
 * (block column) into the X address its gathers wait on, and the loop
 * advances its pointer (IADD) and compares it with the row's end (ISETP).
 * The dense reference is the fastest of several dense kernels
 * (simt_dense_ref.h); a mask-only layer runs that same reference, and
 * channel pruning the reference of the kept rows.
 */
#ifndef SIMT_SPARSE_H
#define SIMT_SPARSE_H

#include <stdint.h>

#include "em_diag.h"
#include "simt_kernel.h"

typedef enum { SIMT_SP_CSR_THREAD, SIMT_SP_CSR_WARP, SIMT_SP_BSR } simt_sparse_kernel;

/* Builds the kernel of pattern nz (rows x K, 1 = non-zero) times an X of K x
 * M.  block: BSR block edge (2, 4 or 8).  Sets flops (2 per non-zero and
 * column) and the compulsory bytes (values, indices, pointers, X, Y). */
em_status simt_gen_sparse(simt_kernel *k, simt_sparse_kernel kind, const uint8_t *nz,
                          uint64_t rows, uint64_t K, uint64_t M, uint32_t block, em_diag *d);

/* The same with each row's (block row's) non-zeros split evenly `splits`
 * ways over ctaid.z (1 to the (block) columns; csr-thread takes 1), each
 * split writing its partial Y to its own slice of a workspace, as the dense
 * kernels below split K on shapes that leave SMs idle. */
em_status simt_gen_sparse_split(simt_kernel *k, simt_sparse_kernel kind, const uint8_t *nz,
                                uint64_t rows, uint64_t K, uint64_t M, uint32_t block,
                                uint64_t splits, em_diag *d);

/* The dense kernel of the same loops (the block kernel on an all-ones
 * pattern, or csr-warp on one): no pointer or index loads and no index
 * decode, the columns implicit.  K is split `splits` ways (ctaid.z; 1: no
 * split; at most the (block) columns; csr-thread takes 1), each split
 * writing its partial Y to its own slice of a workspace (the final sum of
 * those few vectors is left out, as simt_gen_tc_gemm leaves it). */
em_status simt_gen_sparse_dense(simt_kernel *k, simt_sparse_kernel kind, uint64_t rows,
                                uint64_t K, uint64_t M, uint32_t block, uint64_t splits,
                                em_diag *d);

/* Tensor-core GEMM of the same product with fp16 operands and fp32 results
 * (64 x 64 block tiles, 8 warps of 32 x 16, K in slices of 16 staged in
 * shared memory): dense, 8 HMMA (m16n8k8) per warp and slice; or with the
 * weights 2:4 sparse (Ampere's sparse tensor cores): the weight tile is half
 * as wide plus 2-bit positions, 4 HMMASP (m16n8k16 sparse, the time of one
 * dense m16n8k8) per warp and slice.  The loop count is the same. */
em_status simt_gen_tc_gemm(simt_kernel *k, uint64_t rows, uint64_t K, uint64_t M, bool sparse24,
                           em_diag *d);

/* The dense kernel of the same product (rows x K times K x M). */
em_status simt_gen_dense_gemm(simt_kernel *k, uint64_t rows, uint64_t K, uint64_t M,
                              em_diag *d);

#endif
