/* simt_sparse.c - CSR and BSR kernels from a real pattern (simt_sparse.h). */
#include "simt_sparse.h"

#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "simt_bld.h"
#include "simt_gen.h"
#include "wl_layer.h"

#define MIB (1ull << 20)
#define RN SIMT_REG_NONE

/* What an address or predicate callback names (in->addr.base / in->limit[0]). */
enum { A_PTR0, A_PTR1, A_IDX, A_VAL, A_X, A_Y };
enum { P_OOB, P_EMPTY, P_LOOP, P_NOT_LANE0 };

typedef struct {
  simt_sparse_kernel kind;
  uint64_t rows, K, M, b, nrows; /* nrows: rows (CSR) or block rows (BSR) */
  uint64_t ncols;                /* columns (CSR) or block columns (BSR) */
  bool dense;                    /* every element present: no ptr / idx arrays */
  uint64_t chunk;                /* dense: (block) columns per K split (ctaid.z) */
  uint64_t splits;               /* K splits (grid z) */
  uint32_t *ptr, *idx;
  uint64_t ptr_base, idx_base, val_base, x_base, y_base;
} sp_arg;

/* Each array its own 1 MiB-aligned region, a MiB apart (no false sharing of
 * lines between arrays). */
static uint64_t region(uint64_t *next, uint64_t bytes) {
  uint64_t base = *next;
  *next += (bytes + MIB - 1) / MIB * MIB + MIB;
  return base;
}

static void sp_free(void *p) {
  sp_arg *a = p;
  if (!a) return;
  free(a->ptr);
  free(a->idx);
  free(a);
}

/* Row (or block row), column and lane of one thread. */
typedef struct {
  uint64_t r, c;
  uint32_t lane;
} pos;

static pos where(const sp_arg *a, const simt_warp_ctx *w, uint32_t l) {
  pos p;
  uint32_t tid = w->lane_tid[l];
  p.lane = tid & 31u;
  if (a->kind == SIMT_SP_CSR_THREAD) {
    p.r = (uint64_t)w->cta[0] * 256 + tid;
    p.c = w->cta[1];
  } else {
    p.r = (uint64_t)w->cta[1] * 8 + w->warp_in_cta;
    p.c = (uint64_t)w->cta[0] * 128 + 4ull * p.lane;
  }
  return p;
}

/* Row r's elements in the K split z: the first one's position (in idx[], or
 * r x ncols + column when dense) and their count. */
static uint64_t start_of(const sp_arg *a, uint64_t r, uint64_t z) {
  if (a->dense) return r * a->ncols + z * a->chunk;
  /* a sparse row's non-zeros split evenly: ceil(len / splits) a split */
  uint64_t len = a->ptr[r + 1] - a->ptr[r], lo = z * em_ceil_div_u64(len, a->splits);
  return a->ptr[r] + (lo < len ? lo : len);
}
static uint64_t len_of(const sp_arg *a, uint64_t r, uint64_t z) {
  uint64_t len = a->dense ? a->ncols : a->ptr[r + 1] - a->ptr[r];
  uint64_t c = a->dense ? a->chunk : em_ceil_div_u64(len, a->splits), lo = z * c;
  return lo >= len ? 0 : (len - lo < c ? len - lo : c);
}
/* The (block) column of element e. */
static uint64_t col_of(const sp_arg *a, uint64_t e) { return a->dense ? e % a->ncols : a->idx[e]; }

/* Elements a lane takes per trip: 4 for csr-warp at M = 1 (16-byte loads
 * of 4 indices and 4 values, cuSPARSE's vectorised CSR), else 1. */
static uint64_t vec_of(const sp_arg *a) {
  return a->kind == SIMT_SP_CSR_WARP && a->M == 1 ? 4 : 1;
}

/* Position of the element this lane handles in this trip. */
static uint64_t elem(const sp_arg *a, const simt_warp_ctx *w, pos p) {
  uint64_t j = w->loop[0];
  /* lanes stride; csr-warp at M = 1 takes 4 consecutive elements a lane */
  if (a->kind != SIMT_SP_CSR_THREAD && a->M == 1) j = (p.lane + 32 * j) * vec_of(a);
  return start_of(a, p.r, w->cta[2]) + j;
}

static uint32_t sp_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                        uint64_t *addr, const void *arg) {
  const sp_arg *a = arg;
  int tag = (int)in->addr.base;
  uint64_t sub = (uint64_t)in->addr.c_lo;
  bool cols = a->kind != SIMT_SP_CSR_THREAD && a->M > 1;
  uint32_t out = 0;
  for (uint32_t m = mask; m; m &= m - 1) {
    uint32_t l = (uint32_t)__builtin_ctz(m);
    pos p = where(a, w, l);
    if (p.r >= a->nrows || (cols && p.c >= a->M)) continue;
    uint64_t e, v;
    switch (tag) {
    case A_PTR0: v = a->ptr_base + 4 * p.r; break;
    case A_PTR1: v = a->ptr_base + 4 * (p.r + 1); break;
    case A_IDX: v = a->idx_base + 4 * elem(a, w, p); break;
    case A_VAL:
      e = elem(a, w, p);
      /* BSR: row sub of block e, b values (4 b bytes) a row */
      v = a->kind == SIMT_SP_BSR ? a->val_base + 4 * (e * a->b * a->b + sub * a->b)
                                 : a->val_base + 4 * e;
      break;
    case A_X:
      e = elem(a, w, p);
      if (a->kind == SIMT_SP_CSR_WARP && a->M == 1) { /* the lane's element sub of 4 */
        e += sub;
        if (e >= start_of(a, p.r, w->cta[2]) + len_of(a, p.r, w->cta[2])) continue;
      }
      e = col_of(a, e);
      if (a->kind == SIMT_SP_CSR_THREAD) v = a->x_base + 4 * (e * a->M + p.c);
      else if (a->kind == SIMT_SP_CSR_WARP) v = a->x_base + 4 * (a->M > 1 ? e * a->M + p.c : e);
      else if (a->M > 1) v = a->x_base + 4 * ((e * a->b + sub) * a->M + p.c);
      else v = a->x_base + 4 * (e * a->b + sub); /* x[sub] of block column e */
      break;
    case A_Y:
    default:
      v = a->y_base + 4 * (uint64_t)w->cta[2] * a->rows * a->M; /* K split z's partial Y */
      if (a->kind == SIMT_SP_CSR_THREAD) v += 4 * (p.r * a->M + p.c);
      else if (a->M == 1) v += 4 * (p.r * a->b) + 16 * sub;
      else v += 4 * ((p.r * a->b + sub) * a->M + p.c);
      break;
    }
    addr[l] = v;
    out |= 1u << l;
  }
  return out;
}

static uint32_t sp_pred(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                        const void *arg) {
  const sp_arg *a = arg;
  int tag = (int)in->limit[0];
  bool stride = a->kind != SIMT_SP_CSR_THREAD && a->M == 1;
  uint32_t t = 0;
  for (uint32_t m = mask; m; m &= m - 1) {
    uint32_t l = (uint32_t)__builtin_ctz(m);
    pos p = where(a, w, l);
    bool take;
    if (tag == P_OOB) take = p.r >= a->nrows;
    else if (tag == P_NOT_LANE0) take = p.lane != 0;
    else {
      uint64_t n = len_of(a, p.r, w->cta[2]), j = w->loop[0];
      uint64_t v = vec_of(a);
      if (tag == P_EMPTY) take = stride ? p.lane * v >= n : n == 0;
      else take = stride ? (p.lane + 32 * j) * v < n : j < n;
    }
    if (take) t |= 1u << l;
  }
  return t;
}

static simt_inst *LD(bld *b, uint16_t dst, int tag, uint64_t sub, unsigned width) {
  simt_inst *in = E(b, SIMT_OP_LDG, dst, 30, RN, RN);
  in->addr_fn = sp_addr;
  in->addr.base = tag;
  in->addr.c_lo = (int64_t)sub;
  in->h.width = (uint8_t)width;
  return in;
}

static simt_inst *ST(bld *b, uint16_t src, int tag, uint64_t sub, unsigned width) {
  simt_inst *in = E(b, SIMT_OP_STG, RN, src, 30, RN);
  in->addr_fn = sp_addr;
  in->addr.base = tag;
  in->addr.c_lo = (int64_t)sub;
  in->h.width = (uint8_t)width;
  return in;
}

static simt_inst *BR(bld *b, int tag, bool inc) {
  simt_inst *in = E(b, SIMT_OP_BRA, RN, RN, RN, RN);
  in->cond = SIMT_COND_FN;
  in->pred_fn = sp_pred;
  in->limit[0] = tag;
  in->loop_id = 0;
  in->inc_loop = inc;
  return in;
}

static void reduce(bld *b, uint16_t r) {
  for (int i = 0; i < 5; i++) {
    E(b, SIMT_OP_SHFL, 29, r, RN, RN);
    E(b, SIMT_OP_FADD, r, r, 29, RN);
  }
}

static em_status build(bld *b, sp_arg *a, em_diag *d) {
  simt_kernel *k = b->k;
  uint32_t exit_fix[4], nfix = 0;
  simt_inst *oob = BR(b, P_OOB, false);
  exit_fix[nfix++] = simt_pc(k) - 1;
  (void)oob;
  if (a->dense) { /* the row's extent is known: r x K and K */
    E(b, SIMT_OP_IMAD, 1, RN, RN, RN);
    E(b, SIMT_OP_IADD, 2, 1, RN, RN);
  } else {
    LD(b, 1, A_PTR0, 0, 4);
    LD(b, 2, A_PTR1, 0, 4);
  }
  uint32_t skip = simt_pc(k);
  BR(b, P_EMPTY, false);
  uint32_t head = simt_pc(k);
  uint32_t bb = (uint32_t)a->b;
  /* the X address: an IMAD of X's row stride and base (registers 20..23),
   * from the loop pointer in a dense kernel; a sparse kernel first loads
   * the stored column (block column) and scales it to an element column
   * (one more IMAD), so its gathers wait on the index load: the index
   * decode */
  uint16_t xaddr = 20;
  bool vec = a->kind == SIMT_SP_CSR_WARP && a->M == 1;
  if (!a->dense) {
    LD(b, 3, A_IDX, 0, vec ? 16 : 4)->h.src[0] = 1;
    E(b, SIMT_OP_IMAD, 25, 3, RN, RN);
  }
  for (int i = 0; i < (vec ? 4 : 1); i++)
    E(b, SIMT_OP_IMAD, (uint16_t)(20 + i), a->dense ? 1 : 25, RN, RN);
  if (vec) { /* 4 values, 4 gathers of x, 4 FFMAs into 4 accumulators */
    LD(b, 4, A_VAL, 0, 16)->h.src[0] = 1;
    for (uint16_t i = 0; i < 4; i++)
      LD(b, (uint16_t)(12 + i), A_X, i, 4)->h.src[0] = (uint16_t)(20 + i);
    for (uint16_t i = 0; i < 4; i++)
      E(b, SIMT_OP_FFMA, (uint16_t)(8 + i), 4, (uint16_t)(12 + i), (uint16_t)(8 + i));
  } else if (a->kind != SIMT_SP_BSR) {
    LD(b, 4, A_VAL, 0, 4)->h.src[0] = 1;
    bool wide = a->kind == SIMT_SP_CSR_WARP && a->M > 1;
    LD(b, 5, A_X, 0, wide ? 16 : 4)->h.src[0] = xaddr;
    for (uint16_t i = 0; i < (wide ? 4 : 1); i++) E(b, SIMT_OP_FFMA, (uint16_t)(8 + i), 4, 5, (uint16_t)(8 + i));
  } else {
    /* one block: its b rows of values (b x 4 B each), b rows of X (M > 1: 4
     * columns a lane; M = 1: the b elements of x), b x b x w FFMAs */
    for (uint32_t i = 0; i < bb; i++) LD(b, (uint16_t)(4 + i), A_VAL, i, 4 * bb)->h.src[0] = 1;
    uint32_t w = a->M > 1 ? 4 : 1; /* columns per lane */
    for (uint32_t i = 0; i < bb; i++)
      LD(b, (uint16_t)(12 + i), A_X, i, a->M > 1 ? 16 : 4)->h.src[0] = xaddr;
    for (uint32_t r = 0; r < bb; r++)
      for (uint32_t kk = 0; kk < bb; kk++)
        for (uint32_t c = 0; c < w; c++)
          E(b, SIMT_OP_FFMA, (uint16_t)(32 + r * w + c), (uint16_t)(4 + r),
            (uint16_t)(12 + kk), (uint16_t)(32 + r * w + c));
  }
  /* the loop: advance the element pointer, compare with the row's end */
  E(b, SIMT_OP_IADD, 1, 1, RN, RN);
  E(b, SIMT_OP_ISETP, 27, 1, 2, RN);
  BR(b, P_LOOP, true)->target = head;
  uint32_t store = simt_pc(k);
  k->prog[skip].target = store;
  if (a->kind == SIMT_SP_CSR_THREAD) {
    ST(b, 8, A_Y, 0, 4);
  } else if (a->M == 1) {
    if (vec) { /* join the 4 accumulators */
      E(b, SIMT_OP_FADD, 8, 8, 9, RN);
      E(b, SIMT_OP_FADD, 10, 10, 11, RN);
      E(b, SIMT_OP_FADD, 8, 8, 10, RN);
    }
    uint32_t nacc = a->kind == SIMT_SP_BSR ? bb : 1;
    for (uint32_t i = 0; i < nacc; i++) reduce(b, (uint16_t)(a->kind == SIMT_SP_BSR ? 32 + i : 8));
    BR(b, P_NOT_LANE0, false);
    exit_fix[nfix++] = simt_pc(k) - 1;
    if (a->kind == SIMT_SP_BSR)
      for (uint32_t i = 0; i < (bb + 3) / 4; i++) ST(b, (uint16_t)(32 + 4 * i), A_Y, i, bb >= 4 ? 16 : 4 * bb);
    else ST(b, 8, A_Y, 0, 4);
  } else if (a->kind == SIMT_SP_BSR) {
    for (uint32_t i = 0; i < bb; i++) ST(b, (uint16_t)(32 + 4 * i), A_Y, i, 16);
  } else {
    ST(b, 8, A_Y, 0, 16);
  }
  uint32_t ex = simt_pc(k);
  E(b, SIMT_OP_EXIT, RN, RN, RN, RN);
  if (b->k->emit_failed) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "kernel '%s': out of memory", k->name);
  for (uint32_t i = 0; i < nfix; i++) k->prog[exit_fix[i]].target = ex;
  return simt_program_finalize(k, d);
}

/* The kernel of pattern nz, or (nz NULL) the dense kernel of the same
 * shape split `splits` ways along K. */
static em_status gen(simt_kernel *k, simt_sparse_kernel kind, const uint8_t *nz, uint64_t rows,
                     uint64_t K, uint64_t M, uint32_t block, uint64_t splits, em_diag *d) {
  static const char *const names[] = {"csr-thread", "csr-warp", "bsr"};
  char name[48];
  if (nz) snprintf(name, sizeof name, "%s", names[kind]);
  else if (kind == SIMT_SP_BSR)
    snprintf(name, sizeof name, "block%u-dense/%llu", block, (unsigned long long)splits);
  else snprintf(name, sizeof name, "%s-dense/%llu", names[kind], (unsigned long long)splits);
  simt_kernel_init(k, name);
  if (rows == 0 || K == 0 || M == 0 || rows > UINT32_MAX || K > UINT32_MAX || M > UINT32_MAX)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "sparse product %llu x %llu x %llu",
                       (unsigned long long)rows, (unsigned long long)K, (unsigned long long)M);
  if (kind == SIMT_SP_BSR && block != 2 && block != 4 && block != 8)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "BSR kernels take blocks of 2, 4 or 8, got %u",
                       block);
  sp_arg *a = calloc(1, sizeof *a);
  if (!a) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  k->owned = a;
  k->free_owned = sp_free;
  k->arg = a;
  a->kind = kind;
  a->rows = rows;
  a->K = K;
  a->M = M;
  a->b = kind == SIMT_SP_BSR ? block : 1;
  uint64_t b = a->b, nrows = (rows + b - 1) / b, ncols = (K + b - 1) / b;
  a->nrows = nrows;
  a->ncols = ncols;
  if (splits < 1 || splits > ncols || (kind == SIMT_SP_CSR_THREAD && splits > 1))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "%llu K splits of %llu columns",
                       (unsigned long long)splits, (unsigned long long)ncols);
  a->splits = splits;
  if (!nz) {
    a->dense = true;
    a->chunk = em_ceil_div_u64(ncols, splits);
    splits = a->splits = em_ceil_div_u64(ncols, a->chunk); /* no empty split */
  }
  uint64_t n = a->dense ? nrows * ncols : 0;
  if (a->dense) goto built;
  /* row (block-row) pointers and column (block-column) indices */
  a->ptr = malloc((nrows + 1) * sizeof *a->ptr);
  uint64_t cap = 1024;
  a->idx = malloc(cap * sizeof *a->idx);
  if (!a->ptr || !a->idx) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (uint64_t br = 0; br < nrows; br++) {
    a->ptr[br] = (uint32_t)n;
    for (uint64_t bc = 0; bc < ncols; bc++) {
      bool any = false;
      for (uint64_t r = br * b; r < (br + 1) * b && r < rows && !any; r++)
        for (uint64_t c = bc * b; c < (bc + 1) * b && c < K; c++)
          if (nz[r * K + c]) {
            any = true;
            break;
          }
      if (!any) continue;
      if (n == cap) {
        cap *= 2;
        uint32_t *p = realloc(a->idx, cap * sizeof *p);
        if (!p) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        a->idx = p;
      }
      if (n >= UINT32_MAX) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "too many non-zeros");
      a->idx[n++] = (uint32_t)bc;
    }
  }
  a->ptr[nrows] = (uint32_t)n;
built:;
  uint64_t next = 256 * MIB, vals = n * b * b;
  a->ptr_base = region(&next, 4 * (nrows + 1));
  a->idx_base = region(&next, 4 * n);
  a->val_base = region(&next, 4 * vals);
  a->x_base = region(&next, 4 * K * M);
  a->y_base = region(&next, 4 * rows * M * splits);
  k->regs_per_thread = kind == SIMT_SP_BSR ? 32 + 4 * (uint32_t)b + 1 : 32;
  k->block_threads = 256;
  if (kind == SIMT_SP_CSR_THREAD) {
    k->grid[0] = (uint32_t)em_ceil_div_u64(rows, 256);
    k->grid[1] = (uint32_t)M;
  } else {
    k->grid[0] = M > 1 ? (uint32_t)em_ceil_div_u64(M, 128) : 1;
    k->grid[1] = (uint32_t)em_ceil_div_u64(nrows, 8);
  }
  k->grid[2] = (uint32_t)splits;
  bld bl = {.k = k};
  em_status s = build(&bl, a, d);
  if (s != EM_OK) return s;
  /* stored non-zeros (BSR: whole blocks) times columns, 2 flops each */
  k->flops = 2 * vals * M;
  k->min_dram_bytes = a->dense ? 4 * vals + 4 * K * M
                              : 4 * (nrows + 1) + 4 * n + 4 * vals + 4 * K * M;
  return EM_OK;
}

em_status simt_gen_sparse(simt_kernel *k, simt_sparse_kernel kind, const uint8_t *nz,
                          uint64_t rows, uint64_t K, uint64_t M, uint32_t block, em_diag *d) {
  return simt_gen_sparse_split(k, kind, nz, rows, K, M, block, 1, d);
}

em_status simt_gen_sparse_split(simt_kernel *k, simt_sparse_kernel kind, const uint8_t *nz,
                                uint64_t rows, uint64_t K, uint64_t M, uint32_t block,
                                uint64_t splits, em_diag *d) {
  if (!nz) {
    simt_kernel_init(k, "sparse");
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "sparse kernel without a pattern");
  }
  return gen(k, kind, nz, rows, K, M, block, splits, d);
}

em_status simt_gen_sparse_dense(simt_kernel *k, simt_sparse_kernel kind, uint64_t rows,
                                uint64_t K, uint64_t M, uint32_t block, uint64_t splits,
                                em_diag *d) {
  return gen(k, kind, NULL, rows, K, M, block, splits, d);
}

em_status simt_gen_dense_gemm(simt_kernel *k, uint64_t rows, uint64_t K, uint64_t M,
                              em_diag *d) {
  /* Y (rows x M) = W X is the GEMM of M x rows output: m = M, n = rows, k = K
   * (the GEMV kernel when M = 1) */
  wl_layer l = wl_gemm("dense", M, rows, K);
  return simt_gen_layer(k, &l, d);
}

/* ---- tensor-core GEMM, dense and 2:4 sparse ---- */

/* C (Md x Nd, fp32) = A (Md x K, fp16: the activations) x B (K x Nd, fp16:
 * the weights, W transposed), 64 x 64 block tiles, 8 warps of 32 x 16,
 * K in slices of 16.  At batch sizes up to 16 (a GEMV padded to the tile)
 * the few output tiles cannot fill the GPU, so K is split across
 * ctaid.z as the libraries' split-K kernels do: each split writes its
 * partial C to its own slice of a workspace (the final sum of those few
 * vectors, splits x Nd x 4 bytes, is left out). */
enum { TA_G, TB_G, TM_G, TA_S, TB_S, TM_S, TA_F, TB_F, TM_F, TC_S };

typedef struct {
  uint64_t md, nd, K;
  bool sparse;
  uint64_t trip; /* K slices per split */
  uint64_t a_base, b_base, m_base, c_base;
} tc_arg;

enum { TC_AS = 0, TC_BS = 64 * 48, TC_MS = 64 * 48 + 16 * 144 };

static uint32_t tc_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                        uint64_t *addr, const void *arg) {
  const tc_arg *a = arg;
  int tag = (int)in->addr.base;
  uint64_t sub = (uint64_t)in->addr.c_lo, ks = w->cta[2] * a->trip + w->loop[0];
  bool in_k = ks * 16 < a->K; /* the last split may run past K */
  uint64_t bx = w->cta[0], by = w->cta[1], wm = w->warp_in_cta % 2, wn = w->warp_in_cta / 2;
  uint32_t out = 0;
  for (uint32_t m = mask; m; m &= m - 1) {
    uint32_t l = (uint32_t)__builtin_ctz(m);
    uint64_t t = w->lane_tid[l], ln = t & 31u, v = 0;
    bool ok = true;
    switch (tag) {
    case TA_G: {
      uint64_t row = by * 64 + t / 4, kc = ks * 16 + (t % 4) * 4;
      ok = in_k && row < a->md && kc < a->K;
      v = a->a_base + 2 * (row * a->K + kc);
      break;
    }
    case TB_G: {
      uint64_t n = bx * 64 + (t % 16) * 4;
      if (a->sparse) {
        ok = in_k && t < 128 && ks * 16 + 2 * (t / 16) < a->K && n < a->nd;
        v = a->b_base + 2 * ((ks * 8 + t / 16) * a->nd + n);
      } else {
        uint64_t k = ks * 16 + t / 16;
        ok = in_k && k < a->K && n < a->nd;
        v = a->b_base + 2 * (k * a->nd + n);
      }
      break;
    }
    case TM_G:
      ok = in_k && t < 32;
      v = a->m_base + (bx * ((a->K + 15) / 16) + ks) * 128 + 4 * t;
      break;
    case TA_S: v = TC_AS + (t / 4) * 48 + (t % 4) * 8; break;
    case TB_S:
      ok = !a->sparse || t < 128;
      v = TC_BS + (t / 16) * 144 + (t % 16) * 8;
      break;
    case TM_S:
      ok = t < 32;
      v = TC_MS + 4 * t;
      break;
    case TA_F: v = TC_AS + (32 * wm + 16 * sub + ln % 16) * 48 + (ln / 16) * 16; break;
    case TB_F:
      v = a->sparse ? TC_BS + (ln % 8) * 144 + (16 * wn + 4 * (ln / 8)) * 2
                    : TC_BS + (ln % 16) * 144 + (16 * wn + 8 * (ln / 16)) * 2;
      break;
    case TM_F: v = TC_MS + 4 * ln; break;
    case TC_S:
    default: {
      uint64_t row = by * 64 + 32 * wm + ln / 4 + 8 * sub, col = bx * 64 + 16 * wn + 4 * (ln % 4);
      ok = row < a->md && col < a->nd;
      v = a->c_base + 4 * ((w->cta[2] * a->md + row) * a->nd + col);
      break;
    }
    }
    if (!ok) continue;
    addr[l] = v;
    out |= 1u << l;
  }
  return out;
}

static simt_inst *TM(bld *b, simt_op op, uint16_t reg, int tag, uint64_t sub, unsigned width) {
  bool store = op == SIMT_OP_STG || op == SIMT_OP_STS;
  simt_inst *in = E(b, op, store ? RN : reg, store ? reg : 30, store ? 30 : RN, RN);
  in->addr_fn = tc_addr;
  in->addr.base = tag;
  in->addr.c_lo = (int64_t)sub;
  in->h.width = (uint8_t)width;
  return in;
}

em_status simt_gen_tc_gemm(simt_kernel *k, uint64_t rows, uint64_t K, uint64_t M, bool sparse24,
                           em_diag *d) {
  simt_kernel_init(k, sparse24 ? "tc-gemm-2:4" : "tc-gemm");
  if (rows == 0 || K == 0 || M == 0 || rows > UINT32_MAX || K > UINT32_MAX || M > UINT32_MAX)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "tensor-core GEMM %llu x %llu x %llu",
                       (unsigned long long)rows, (unsigned long long)K, (unsigned long long)M);
  tc_arg *a = calloc(1, sizeof *a);
  if (!a) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  k->owned = a;
  k->arg = a;
  a->md = M;
  a->nd = rows;
  a->K = K;
  a->sparse = sparse24;
  uint64_t tiles = em_ceil_div_u64(rows, 64) * em_ceil_div_u64(M, 64);
  uint64_t slices = em_ceil_div_u64(K, 16), splits = 1;
  if (M <= 16) { /* about 512 blocks (4 per SM of a 128-SM GPU), each at least 4 slices of K */
    splits = em_ceil_div_u64(512, tiles);
    if (splits > slices / 4) splits = slices / 4;
    if (splits < 1) splits = 1;
  }
  a->trip = em_ceil_div_u64(slices, splits);
  uint64_t next = 256 * MIB;
  a->a_base = region(&next, 2 * M * K);
  a->b_base = region(&next, 2 * K * rows);
  a->m_base = region(&next, K * rows / 8 + 128);
  a->c_base = region(&next, 4 * M * rows * splits);
  k->grid[0] = (uint32_t)em_ceil_div_u64(rows, 64);
  k->grid[1] = (uint32_t)em_ceil_div_u64(M, 64);
  k->grid[2] = (uint32_t)splits;
  k->block_threads = 256;
  k->regs_per_thread = 64;
  k->smem_bytes = TC_MS + 128;
  bld b = {.k = k};
  uint32_t head = simt_pc(k);
  TM(&b, SIMT_OP_LDG, 8, TA_G, 0, 8);
  TM(&b, SIMT_OP_LDG, 9, TB_G, 0, 8);
  if (sparse24) TM(&b, SIMT_OP_LDG, 10, TM_G, 0, 4);
  TM(&b, SIMT_OP_STS, 8, TA_S, 0, 8);
  TM(&b, SIMT_OP_STS, 9, TB_S, 0, 8);
  if (sparse24) TM(&b, SIMT_OP_STS, 10, TM_S, 0, 4);
  E(&b, SIMT_OP_BAR, RN, RN, RN, RN);
  TM(&b, SIMT_OP_LDS, 4, TA_F, 0, 16);
  TM(&b, SIMT_OP_LDS, 5, TA_F, 1, 16);
  TM(&b, SIMT_OP_LDS, 6, TB_F, 0, sparse24 ? 8 : 16);
  if (sparse24) TM(&b, SIMT_OP_LDS, 7, TM_F, 0, 4);
  for (uint16_t i = 0; i < 2; i++)
    for (uint16_t j = 0; j < 2; j++) {
      uint16_t acc = (uint16_t)(2 * i + j);
      if (sparse24) {
        E(&b, SIMT_OP_HMMASP, acc, (uint16_t)(4 + i), 6, 7); /* m16n8k16, 2:4 */
      } else {
        E(&b, SIMT_OP_HMMA, acc, (uint16_t)(4 + i), 6, acc); /* k 0..7 */
        E(&b, SIMT_OP_HMMA, acc, (uint16_t)(4 + i), 6, acc); /* k 8..15 */
      }
    }
  E(&b, SIMT_OP_BAR, RN, RN, RN, RN);
  simt_inst *br = E(&b, SIMT_OP_BRA, RN, RN, RN, RN);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = 0;
  br->trip = (uint32_t)a->trip;
  br->target = head;
  for (uint64_t q = 0; q < 4; q++) TM(&b, SIMT_OP_STG, (uint16_t)q, TC_S, q, 16);
  E(&b, SIMT_OP_EXIT, RN, RN, RN, RN);
  if (b.k->emit_failed) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status s = simt_program_finalize(k, d);
  if (s != EM_OK) return s;
  k->flops = 2 * M * rows * K;
  k->min_dram_bytes =
      2 * M * K + (sparse24 ? K * rows + K * rows / 8 : 2 * K * rows) + 4 * M * rows * splits;
  return EM_OK;
}
