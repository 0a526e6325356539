/*
 * simt_dense_ref.c - the dense reference kernels of the SIMT sparse sweep
 * (simt_dense_ref.h).  fp32 values, row-major W, x and y; addresses from
 * 256 MiB up, each array in its own 1 MiB-aligned region (as simt_gen.c).
 * The unrolled GEMV follows the usual memory-bound GEMV of the libraries:
 * enough independent 16-byte loads per lane to cover DRAM latency
 * (Volkov, "Better performance at lower occupancy", GTC 2010: bandwidth
 * needs bytes in flight, not warps).
 */
#include "simt_dense_ref.h"

#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "simt_bld.h"
#include "simt_gen.h"
#include "simt_sparse.h"

#define MIB (1ull << 20)
#define RN SIMT_REG_NONE
#define UNROLL 4 /* 16-byte loads of W (and of x) per lane and trip */

typedef struct {
  uint64_t N, K, w_base, x_base, y_base;
} gv_arg;

enum { G_W, G_X, G_Y };

static uint32_t gv_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask, uint64_t *addr,
                        const void *arg) {
  const gv_arg *a = arg;
  uint64_t row = (uint64_t)w->cta[0] * 8 + w->warp_in_cta, u = (uint64_t)in->addr.c_lo;
  uint32_t out = 0;
  if (row >= a->N) return 0;
  for (uint32_t m = mask; m; m &= m - 1) {
    uint32_t l = (uint32_t)__builtin_ctz(m), lane = w->lane_tid[l] & 31u;
    uint64_t k = ((uint64_t)w->loop[0] * UNROLL + u) * 128 + 4ull * lane;
    if (in->addr.base == G_Y) {
      if (lane != 0) continue;
      addr[l] = a->y_base + 4 * row;
    } else {
      if (k >= a->K) continue; /* the row's tail: lanes past K are predicated off */
      addr[l] = in->addr.base == G_W ? a->w_base + 4 * (row * a->K + k) : a->x_base + 4 * k;
    }
    out |= 1u << l;
  }
  return out;
}

static simt_inst *MEM(bld *b, simt_op op, uint16_t reg, int tag, uint64_t u, unsigned width) {
  bool st = op == SIMT_OP_STG;
  simt_inst *in = E(b, op, st ? RN : reg, st ? reg : RN, RN, RN);
  in->addr_fn = gv_addr;
  in->addr.base = tag;
  in->addr.c_lo = (int64_t)u;
  in->h.width = (uint8_t)width;
  return in;
}

static uint64_t region(uint64_t *next, uint64_t bytes) {
  uint64_t base = *next;
  *next += em_ceil_div_u64(bytes ? bytes : 1, MIB) * MIB + MIB;
  return base;
}

em_status simt_gen_gemv_unrolled(simt_kernel *k, uint64_t N, uint64_t K, em_diag *d) {
  simt_kernel_init(k, "gemv-unrolled");
  if (N == 0 || K == 0 || N > UINT32_MAX || K > UINT32_MAX)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "GEMV %llu x %llu", (unsigned long long)N,
                       (unsigned long long)K);
  gv_arg *a = calloc(1, sizeof *a);
  if (!a) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  k->owned = a;
  k->arg = a;
  a->N = N;
  a->K = K;
  uint64_t next = 256 * MIB;
  a->x_base = region(&next, 4 * K);
  a->w_base = region(&next, 4 * N * K);
  a->y_base = region(&next, 4 * N);
  k->grid[0] = (uint32_t)em_ceil_div_u64(N, 8);
  k->block_threads = 256;
  k->regs_per_thread = 32;
  bld b = {k};
  /* registers: W 1..4, x 5..8, accumulators 9..12, shuffle 13, address 14 */
  for (uint16_t r = 9; r < 13; r++)
    E(&b, SIMT_OP_MOV, r, RN, RN, RN);
  E(&b, SIMT_OP_IMAD, 14, RN, RN, RN);
  uint32_t head = simt_pc(k);
  for (uint16_t u = 0; u < UNROLL; u++)
    MEM(&b, SIMT_OP_LDG, (uint16_t)(1 + u), G_W, u, 16)->h.src[0] = 14;
  for (uint16_t u = 0; u < UNROLL; u++)
    MEM(&b, SIMT_OP_LDG, (uint16_t)(5 + u), G_X, u, 16)->h.src[0] = 14;
  for (uint16_t u = 0; u < UNROLL; u++)
    for (int j = 0; j < 4; j++)
      E(&b, SIMT_OP_FFMA, (uint16_t)(9 + u), (uint16_t)(1 + u), (uint16_t)(5 + u),
        (uint16_t)(9 + u));
  E(&b, SIMT_OP_IADD, 14, 14, RN, RN);
  simt_inst *br = E(&b, SIMT_OP_BRA, RN, RN, RN, RN);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = 0;
  br->trip = (uint32_t)em_ceil_div_u64(K, 128 * UNROLL);
  br->target = head;
  E(&b, SIMT_OP_FADD, 9, 9, 10, RN);
  E(&b, SIMT_OP_FADD, 11, 11, 12, RN);
  E(&b, SIMT_OP_FADD, 9, 9, 11, RN);
  for (int i = 0; i < 5; i++) {
    E(&b, SIMT_OP_SHFL, 13, 9, RN, RN);
    E(&b, SIMT_OP_FADD, 9, 9, 13, RN);
  }
  MEM(&b, SIMT_OP_STG, 9, G_Y, 0, 4);
  E(&b, SIMT_OP_EXIT, RN, RN, RN, RN);
  if (b.k->emit_failed) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status s = simt_program_finalize(k, d);
  if (s != EM_OK) return s;
  k->flops = 2 * N * K;
  k->min_dram_bytes = 4 * N * K + 4 * K + 4 * N;
  return EM_OK;
}

/* K splits for a kernel of `blocks` blocks over `cols` (block) columns: two
 * blocks per SM, each split at least `min_cols` columns. */
static uint64_t splits_for(uint64_t blocks, uint64_t sms, uint64_t cols, uint64_t min_cols) {
  uint64_t want = 2 * (sms ? sms : 1), s = blocks >= want ? 1 : em_ceil_div_u64(want, blocks);
  uint64_t most = cols / min_cols;
  if (s > most) s = most;
  return s < 1 ? 1 : s;
}

uint64_t simt_k_splits(simt_sparse_kernel kind, uint64_t rows, uint64_t K, uint64_t M,
                       uint32_t block, uint64_t sms) {
  if (kind == SIMT_SP_CSR_THREAD || rows == 0 || K == 0 || M == 0) return 1;
  uint64_t b = kind == SIMT_SP_BSR ? block : 1;
  uint64_t nrows = em_ceil_div_u64(rows, b), ncols = em_ceil_div_u64(K, b);
  uint64_t blocks = (M > 1 ? em_ceil_div_u64(M, 128) : 1) * em_ceil_div_u64(nrows, 8);
  /* M = 1: lanes stride over the row, so a split keeps at least 2 x 32 elements */
  return splits_for(blocks, sms, ncols, M > 1 ? 4 : 64);
}

em_status simt_gen_dense_ref(simt_kernel *k, unsigned i, uint64_t rows, uint64_t K, uint64_t M,
                             uint64_t sms, bool *applies, em_diag *d) {
  *applies = true;
  if (i == 0) {
    return simt_gen_dense_gemm(k, rows, K, M, d);
  }
  if (i == 1) {
    if (M != 1) {
      simt_kernel_init(k, "gemv-unrolled");
      *applies = false;
      return EM_OK;
    }
    return simt_gen_gemv_unrolled(k, rows, K, d);
  }
  if (i >= SIMT_DENSE_REF_COUNT) {
    simt_kernel_init(k, "dense");
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "no dense candidate %u", i);
  }
  uint32_t b = i == 2 ? 4 : i == 3 ? 8 : 1;
  simt_sparse_kernel kind = i == 4 ? SIMT_SP_CSR_WARP : SIMT_SP_BSR;
  return simt_gen_sparse_dense(k, kind, rows, K, M, b, simt_k_splits(kind, rows, K, M, b, sms),
                               d);
}

em_status simt_gen_dense_ref_gpu(simt_kernel *k, unsigned i, uint64_t rows, uint64_t K,
                                 uint64_t M, const simt_config *gpu, bool *applies, em_diag *d) {
  if (i != 0) return simt_gen_dense_ref(k, i, rows, K, M, gpu->n_sm, applies, d);
  *applies = true;
  /* Y (rows x M) = W X is the GEMM of M x rows output (simt_gen_dense_gemm) */
  wl_layer l = wl_gemm("dense", M, rows, K);
  return simt_gen_layer_gpu(k, &l, gpu, d);
}
