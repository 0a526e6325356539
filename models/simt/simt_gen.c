/*
 * simt_gen.c - generated kernels: the study book's divergence example,
 * microbenchmarks, and one kernel per DNN layer (see simt_gen.h).
 *
 * Address map of the DNN kernels: each tensor gets its own region, 1 MiB
 * aligned, from 256 MiB up (A/input, B/weights, C/output), so that regions
 * never overlap and the L2 slice hash sees real-looking addresses.
 */
#include "simt_gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_breakeven.h"
#include "em_checked.h"
#include "simt_bld.h"
#include "simt_gpu.h"

#define R_NONE SIMT_REG_NONE
#define MIB (1ull << 20)

static em_status nomem(em_diag *d) {
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory building a kernel");
}

static simt_affine aff(int64_t base, uint32_t split_log2, int64_t c_lo, int64_t c_hi) {
  simt_affine a;
  memset(&a, 0, sizeof a);
  a.base = base;
  a.split_log2 = split_log2;
  a.c_lo = c_lo;
  a.c_hi = c_hi;
  return a;
}

static em_status finish(bld *b, em_diag *d) {
  if (b->k->emit_failed) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0,
                                 "kernel '%s' exceeds %u instructions or memory", b->k->name,
                                 SIMT_PROG_MAX);
  return simt_program_finalize(b->k, d);
}

/* ---- the study book's example ---- */

static uint32_t book_pred(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                          const void *arg) {
  const int32_t *v = arg;
  uint32_t t = 0;
  (void)in;
  for (uint32_t l = 0; l < w->warp_size; l++)
    if ((mask >> l & 1) && !(v[w->lane_tid[l]] < 10)) t |= 1u << l; /* taken: else -> D */
  return t;
}

em_status simt_gen_book_divergence(simt_kernel *k, uint32_t threads, const int32_t *values,
                                   em_diag *d) {
  simt_kernel_init(k, "book_divergence");
  k->block_threads = threads;
  k->regs_per_thread = 4;
  k->arg = values;
  bld b = {k};
  /* A (pc 0): v = foo[tid] */
  simt_inst *a = E(&b, SIMT_OP_LDG, 0, R_NONE, R_NONE, R_NONE);
  a->addr = aff(0x1000, 0, 0, 4);
  /* B (pc 1): if (v < 10) -> C else -> D; the branch is taken by the else lanes */
  simt_inst *br = E(&b, SIMT_OP_BRA, R_NONE, 0, R_NONE, R_NONE);
  br->cond = SIMT_COND_FN;
  br->pred_fn = book_pred;
  br->target = 3;
  /* C (pc 2): v = 0, then to E */
  simt_inst *c = E(&b, SIMT_OP_MOV, 0, R_NONE, R_NONE, R_NONE);
  c->next = 4;
  /* D (pc 3): v = 10 */
  E(&b, SIMT_OP_MOV, 0, R_NONE, R_NONE, R_NONE);
  /* E (pc 4): w = bar[tid] + v; the thread ends */
  simt_inst *e = E(&b, SIMT_OP_FADD, 1, 0, 2, R_NONE);
  e->next = SIMT_PC_EXIT;
  return finish(&b, d);
}

/* ---- microbenchmarks ---- */

static const char *const micro_names[SIMT_MICRO_COUNT] = {
    "ffma", "chase-l1", "chase-l2", "chase-dram", "smem-stride", "gmem-stride", "tensor",
    "smem-bw", "dram-bw", "atomic", "mem-lat", "tensor-lat", "kernel-lat", "l2-bw"};

const char *simt_micro_name(simt_micro m) { return m < SIMT_MICRO_COUNT ? micro_names[m] : "?"; }

int simt_micro_parse(const char *name, simt_micro *out) {
  for (int i = 0; i < SIMT_MICRO_COUNT; i++)
    if (strcmp(name, micro_names[i]) == 0) {
      *out = (simt_micro)i;
      return 1;
    }
  return 0;
}

typedef struct {
  uint64_t base, lines, mult;
  uint64_t step_bytes; /* 0: 128 (a line a step) */
} chase_arg;

/* Address of chase step loop0 + loop1: line (step * mult) mod lines. */
static uint32_t chase_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                           uint64_t *addr, const void *arg) {
  const chase_arg *c = arg;
  (void)in;
  uint64_t step = (uint64_t)w->loop[0] + w->loop[1];
  uint64_t a = c->base + (step * c->mult % c->lines) * (c->step_bytes ? c->step_bytes : 128);
  for (uint32_t l = 0; l < w->warp_size; l++)
    if (mask >> l & 1) addr[l] = a;
  return mask;
}

/* A chase loop over loop counter `loop` with `trip` dependent loads. */
static void chase_loop(bld *b, uint32_t trip, uint8_t loop, bool bypass) {
  uint32_t head = simt_pc(b->k);
  simt_inst *ld = E(b, SIMT_OP_LDG, 0, 0, R_NONE, R_NONE);
  ld->addr_fn = chase_addr;
  ld->h.width = 8;
  ld->h.bypass_l1 = bypass;
  simt_inst *br = E(b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = loop;
  br->trip = trip;
  br->target = head;
}

/* smem-bw's global loads: the warp's line (warp + step) mod lines of a
 * 16 KB array (128 lines, all in L1), a word per lane. */
static uint32_t bw_l1_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                           uint64_t *addr, const void *arg) {
  (void)in;
  (void)arg;
  uint64_t line = ((uint64_t)w->warp_in_cta + w->loop[0] + w->loop[1]) % 128;
  for (uint32_t l = 0; l < w->warp_size; l++)
    if (mask >> l & 1) addr[l] = 256 * MIB + line * 128 + 4 * l;
  return mask;
}

/* smem-bw's shared loads: word (32 warp + lane + 32 step) mod 8192 of a
 * 32 KB array: a warp reads 32 consecutive words, one per bank. */
static uint32_t bw_smem_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                             uint64_t *addr, const void *arg) {
  (void)in;
  (void)arg;
  uint64_t base = 32 * ((uint64_t)w->warp_in_cta + w->loop[1]);
  for (uint32_t l = 0; l < w->warp_size; l++)
    if (mask >> l & 1) addr[l] = 4 * ((base + l) % 8192);
  return mask;
}

/* atomic's chase: word (loop0 + loop1) mod 1024 of a 4 KB array. */
static uint32_t atomic_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                            uint64_t *addr, const void *arg) {
  (void)in;
  (void)arg;
  uint64_t word = ((uint64_t)w->loop[0] + w->loop[1]) % 1024;
  for (uint32_t l = 0; l < w->warp_size; l++)
    if (mask >> l & 1) addr[l] = 256 * MIB + 4 * word;
  return mask;
}

/* A loop over loop counter `loop` of `trip` iterations from pc head. */
static void loop_back(bld *b, uint32_t head, uint8_t loop, uint32_t trip) {
  simt_inst *br = E(b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = loop;
  br->trip = trip;
  br->target = head;
}

/* A grid-stride access of `bytes` a thread: thread u of T (1024 a block)
 * takes element u + T i at trip i of loop 0, of those below `limit`. */
static void grid_stride(simt_inst *in, int64_t base, unsigned bytes, uint64_t threads,
                        uint64_t limit) {
  in->addr = aff(base, 0, 0, bytes);
  in->addr.c_cta[0] = (int64_t)bytes * 1024;
  in->addr.c_loop[0] = (int64_t)bytes * (int64_t)threads;
  in->nguard = 1;
  in->guard[0] = aff(0, 0, 0, 1);
  in->guard[0].c_cta[0] = 1024;
  in->guard[0].c_loop[0] = (int64_t)threads;
  in->limit[0] = (int64_t)limit;
}

/* dram-bw: Accel-Sim's mem_bw on c's GPU (simt_gen.h). */
static em_status gen_dram_bw(bld *bp, const simt_config *c, em_diag *d) {
  simt_kernel *k = bp->k;
  uint64_t blocks = 2 * c->n_sm, threads = 1024 * blocks;
  uint64_t vec = 2 * c->l2_bytes / 16; /* float4 elements per array */
  if (blocks > UINT32_MAX || vec > (1ull << 40))
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "dram-bw: the GPU is too large");
  k->grid[0] = (uint32_t)blocks;
  k->block_threads = 1024;
  k->regs_per_thread = 32;
  uint64_t stride = em_ceil_div_u64(vec * 16, MIB) * MIB + MIB; /* one region per array */
  uint32_t head = simt_pc(k);
  for (int a = 0; a < 6; a++) { /* A, B, D, E, F read; C (a = 5) written */
    simt_inst *in = a < 5 ? E(bp, SIMT_OP_LDG, (uint16_t)(1 + a), R_NONE, R_NONE, R_NONE)
                          : E(bp, SIMT_OP_STG, R_NONE, 6, R_NONE, R_NONE);
    in->h.width = 16;
    grid_stride(in, (int64_t)(256 * MIB + (uint64_t)a * stride), 16, threads, vec);
    if (a == 4) /* c = a + b + d + e + f, lane-wise (four FADDs per float4 add) */
      for (int i = 0; i < 4; i++) E(bp, SIMT_OP_FADD, 6, (uint16_t)(1 + i), (uint16_t)(2 + i), R_NONE);
  }
  loop_back(bp, head, 0, (uint32_t)em_ceil_div_u64(vec, threads));
  k->min_dram_bytes = 6 * vec * 16;
  k->flops = 4 * 4 * vec;
  return EM_OK;
}

/* l2-bw: Accel-Sim's l2_bw_32f on c's GPU (simt_gen.h). */
static em_status gen_l2_bw(bld *bp, const simt_config *c, uint32_t n, int timed, em_diag *d) {
  simt_kernel *k = bp->k;
  uint64_t blocks = 2 * c->n_sm, threads = 1024 * blocks;
  uint64_t words = threads + 32ull * n; /* the array, floats */
  if (blocks > UINT32_MAX || 4 * words > c->l2_bytes)
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0,
                       "l2-bw: its array (%llu floats for %llu threads and %u steps) does not "
                       "fit the L2 (%llu bytes)",
                       (unsigned long long)words, (unsigned long long)threads, n,
                       (unsigned long long)c->l2_bytes);
  k->grid[0] = (uint32_t)blocks;
  k->block_threads = 1024;
  k->regs_per_thread = 32;
  int64_t base = (int64_t)(256 * MIB);
  /* warm-up: thread u reads floats u, u + T, ... below `words` */
  uint32_t head = simt_pc(k);
  simt_inst *ld = E(bp, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
  ld->h.bypass_l1 = 1;
  grid_stride(ld, base, 4, threads, words);
  E(bp, SIMT_OP_FADD, 1, 2, 1, R_NONE); /* sink += data */
  loop_back(bp, head, 0, (uint32_t)em_ceil_div_u64(words, threads));
  E(bp, SIMT_OP_BAR, R_NONE, R_NONE, R_NONE, R_NONE);
  if (timed) { /* step i: float u + 32 i */
    head = simt_pc(k);
    ld = E(bp, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
    ld->h.bypass_l1 = 1;
    ld->addr = aff(base, 0, 0, 4);
    ld->addr.c_cta[0] = 4 * 1024;
    ld->addr.c_loop[1] = 4 * 32;
    E(bp, SIMT_OP_FADD, 1, 2, 1, R_NONE);
    loop_back(bp, head, 1, n);
  }
  k->flops = threads * (em_ceil_div_u64(words, threads) + (timed ? n : 0)); /* the adds */
  return EM_OK;
}

/* A dependent chain longer than one program holds: refused, not cut (the
 * cut chain's cycles were divided by the steps asked) */
static em_status chain_too_long(simt_micro m, uint32_t n, em_diag *d) {
  return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                     "--micro %s: a chain of %u dependent instructions is longer than one "
                     "program holds (%u)",
                     simt_micro_name(m), n, SIMT_PROG_MAX - 2);
}

em_status simt_gen_micro(simt_kernel *k, simt_micro m, uint32_t n, uint32_t param, int timed,
                         em_diag *d) {
  return simt_gen_micro_gpu(k, m, n, param, timed, NULL, d);
}

em_status simt_gen_micro_gpu(simt_kernel *k, simt_micro m, uint32_t n, uint32_t param,
                             int timed, const simt_config *gpu, em_diag *d) {
  simt_kernel_init(k, simt_micro_name(m));
  if (n == 0) n = 1;
  k->regs_per_thread = 16;
  k->block_threads = 32;
  bld b = {k};
  chase_arg *ca = NULL;
  switch (m) {
  case SIMT_MICRO_FFMA_CHAIN:
    if (n > SIMT_PROG_MAX - 2) return chain_too_long(m, n, d);
    for (uint32_t i = 0; i < n; i++) E(&b, SIMT_OP_FFMA, 0, 0, 1, 0);
    k->flops = 64ull * n;
    break;
  case SIMT_MICRO_CHASE_L1:
  case SIMT_MICRO_CHASE_L2:
  case SIMT_MICRO_CHASE_DRAM:
  case SIMT_MICRO_MEM_LAT: {
    k->block_threads = 1;
    ca = calloc(1, sizeof *ca);
    if (!ca) return nomem(d);
    k->owned = ca;
    k->arg = ca;
    ca->base = 256 * MIB;
    if (m == SIMT_MICRO_CHASE_L1) { /* 4 KB: 32 lines, fits L1 */
      ca->lines = 32;
      ca->mult = 1;
      chase_loop(&b, ca->lines, 0, false);
      if (timed) chase_loop(&b, n, 1, false);
    } else if (m == SIMT_MICRO_CHASE_L2) { /* 64 KB through .cg: L2 hits */
      ca->lines = 512;
      ca->mult = 1;
      chase_loop(&b, ca->lines, 0, true);
      if (timed) chase_loop(&b, n, 1, true);
    } else { /* 256 MB, an odd multiplier scatters lines over rows and banks;
              * mem-lat walks them in order, as Accel-Sim's mem_lat does */
      ca->lines = 1u << 21;
      ca->mult = m == SIMT_MICRO_MEM_LAT ? 1 : 7919;
      ca->step_bytes = m == SIMT_MICRO_MEM_LAT ? 32 : 128; /* mem_lat: 4 threads x 8 B */
      chase_loop(&b, timed ? 2 * n : n, 0, true);
    }
    break;
  }
  case SIMT_MICRO_SMEM_STRIDE: {
    uint64_t stride = param ? param : 1;
    k->smem_bytes = 32 * stride * 4 + 4;
    if (n > SIMT_PROG_MAX - 2) n = SIMT_PROG_MAX - 2;
    for (uint32_t i = 0; i < n; i++) {
      simt_inst *ld = E(&b, SIMT_OP_LDS, (uint16_t)(1 + i % 8), R_NONE, R_NONE, R_NONE);
      ld->addr = aff(0, 0, 0, (int64_t)(4 * stride));
    }
    break;
  }
  case SIMT_MICRO_GMEM_STRIDE: {
    uint64_t stride = param ? param : 1;
    simt_inst *ld = E(&b, SIMT_OP_LDG, 1, R_NONE, R_NONE, R_NONE);
    ld->addr = aff((int64_t)(256 * MIB), 0, 0, (int64_t)(4 * stride));
    E(&b, SIMT_OP_FADD, 2, 1, 1, R_NONE);
    break;
  }
  case SIMT_MICRO_TENSOR: {
    if (param >= SIMT_MMA_COUNT)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "no MMA shape %u", param);
    const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, (uint8_t)param);
    simt_op op = mi->sparse ? SIMT_OP_HMMASP : SIMT_OP_HMMA;
    k->block_threads = 1024;
    uint32_t head = simt_pc(k);
    for (int round = 0; round < 4; round++)
      for (uint16_t acc = 0; acc < 4; acc++) { /* acc += A x B; A, B in r4, r5 */
        simt_inst *in = E(&b, op, acc, 4, 5, acc);
        in->h.mma = (uint8_t)(param ? param : SIMT_MMA_HMMA_1688);
      }
    simt_inst *br = E(&b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
    br->cond = SIMT_COND_LOOP;
    br->trip = n;
    br->target = head;
    /* 32 warps x n x 16 MMAs (n <= 2^32, MACs <= 2^15: below 2^64) */
    uint64_t mmas = 32ull * 16 * n;
    k->tensor_flops = 2ull * mi->macs * mmas;
    k->tensor_fp16_macs = (uint64_t)mi->fp16_macs * mmas;
    k->flops = k->tensor_flops;
    break;
  }
  case SIMT_MICRO_TENSOR_LAT: {
    /* n MMAs, each adding into the accumulator the one before wrote */
    if (param == 0 || param >= SIMT_MMA_COUNT)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "no MMA shape %u", param);
    const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, (uint8_t)param);
    if (n > SIMT_PROG_MAX - 2) return chain_too_long(m, n, d);
    for (uint32_t i = 0; i < n; i++) {
      simt_inst *in = E(&b, mi->sparse ? SIMT_OP_HMMASP : SIMT_OP_HMMA, 0, 4, 5, 0);
      in->h.mma = (uint8_t)param;
    }
    k->tensor_flops = 2ull * mi->macs * n;
    k->tensor_fp16_macs = (uint64_t)mi->fp16_macs * n;
    k->flops = k->tensor_flops;
    break;
  }
  case SIMT_MICRO_SMEM_BW: {
    k->block_threads = 1024;
    k->smem_bytes = 32768;
    uint32_t head = simt_pc(k); /* warm-up: each warp reads every line once */
    simt_inst *ld = E(&b, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
    ld->addr_fn = bw_l1_addr;
    loop_back(&b, head, 0, 128);
    if (timed) {
      head = simt_pc(k);
      simt_inst *ls = E(&b, SIMT_OP_LDS, 1, 1, R_NONE, R_NONE); /* tmp_s = s[tmp_s] */
      ls->addr_fn = bw_smem_addr;
      simt_inst *lg = E(&b, SIMT_OP_LDG, 2, 2, R_NONE, R_NONE); /* tmp_l1 = l1[tmp_l1] */
      lg->addr_fn = bw_l1_addr;
      loop_back(&b, head, 1, n);
    }
    break;
  }
  case SIMT_MICRO_DRAM_BW: {
    if (!gpu)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "dram-bw is sized to a GPU: none given");
    em_status s = gen_dram_bw(&b, gpu, d);
    if (s != EM_OK) return s;
    break;
  }
  case SIMT_MICRO_ATOMIC: {
    k->block_threads = 1;
    uint32_t head = simt_pc(k); /* the array into L2: index += data[i] */
    simt_inst *ld = E(&b, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
    ld->addr_fn = atomic_addr;
    ld->h.bypass_l1 = 1;
    /* the atomics' index sums the words the warm-up read, so the first
     * atomic issues once the last load is back: the warm-up alone ends
     * there too, and the atomics add exactly their chain to it.  Without
     * the dependency the first atomic went out beside the warm-up's last
     * load and hid under it (--steps 1 measured 34 cycles, 256 some
     * 243.2, each step adding 244) */
    E(&b, SIMT_OP_IADD, 1, 1, 2, R_NONE);
    loop_back(&b, head, 0, 1024);
    if (timed) {
      head = simt_pc(k); /* index = atomicAdd(&data[index], 10) */
      simt_inst *at = E(&b, SIMT_OP_ATOMG, 1, 1, R_NONE, R_NONE);
      at->addr_fn = atomic_addr;
      loop_back(&b, head, 1, n);
    }
    break;
  }
  case SIMT_MICRO_KERNEL_LAT: /* <<<1, 1024>>> of an empty kernel: the EXIT alone */
    k->block_threads = 1024;
    break;
  case SIMT_MICRO_L2_BW: {
    if (!gpu)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "l2-bw is sized to a GPU: none given");
    em_status s = gen_l2_bw(&b, gpu, n, timed, d);
    if (s != EM_OK) return s;
    break;
  }
  default:
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "unknown microbenchmark");
  }
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  return finish(&b, d);
}

/* Whether smem-stride's block at `stride` fits one SM of gpu, by the
 * occupancy rule simt_gpu_run applies to the kernel as built: its shared
 * array's size is the generator's alone. */
static bool smem_stride_fits(const simt_config *gpu, uint32_t stride) {
  simt_kernel k;
  if (simt_gen_micro(&k, SIMT_MICRO_SMEM_STRIDE, 1, stride, 1, NULL) != EM_OK) return false;
  bool fits = simt_occupancy_compute(gpu, &k).blocks_per_sm > 0;
  simt_kernel_free(&k);
  return fits;
}

uint32_t simt_micro_smem_stride_max(const simt_config *gpu, uint32_t limit) {
  if (limit == 0 || !smem_stride_fits(gpu, 1)) return 0;
  /* the array grows with the stride: bisect for the last that fits */
  uint32_t lo = 1, hi = limit; /* lo fits; every stride over hi does not, or is over limit */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    if (smem_stride_fits(gpu, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/* ---- DNN layers ---- */

typedef struct {
  uint64_t in_base;
  uint64_t h, w, c_total, cg; /* input height, width, channels; channels per group */
  uint64_t kh, kw, sh, sw, ph, pw;
  uint64_t oh, ow;
  uint64_t m, kdim;           /* GEMM view */
} conv_arg;

/* The uniform part of a's value for warp w: all but the lane's tid terms
 * (simt_affine_eval's sum, reordered). */
static inline int64_t affine_uniform(const simt_affine *a, const simt_warp_ctx *w) {
  int64_t u = a->base;
  for (int i = 0; i < 3; i++) u += a->c_cta[i] * (int64_t)w->cta[i];
  for (unsigned i = 0; i < SIMT_LOOPS; i++) u += a->c_loop[i] * (int64_t)w->loop[i];
  return u;
}

static inline int64_t affine_lane(const simt_affine *a, int64_t u, uint32_t tid) {
  return u + a->c_lo * (int64_t)(tid & ((1u << a->split_log2) - 1u)) +
         a->c_hi * (int64_t)(tid >> a->split_log2);
}

/* The next number in the mixed radix (hi, mid, lo) of digit bases (.., bmid,
 * blo): lo + 1, carried through mid into hi. */
static inline void digits_next(uint64_t *lo, uint64_t *mid, uint64_t *hi, uint64_t blo,
                               uint64_t bmid) {
  if (++*lo == blo) {
    *lo = 0;
    if (++*mid == bmid) {
      *mid = 0;
      ++*hi;
    }
  }
}

/* conv_a_addr for a whole warp of gen_gemm's A-tile layout: lane l (tid
 * t0 + l, t0 a multiple of 32) reads row m0 + l / 8, column k0 + l % 8.
 * The four rows' output pixels and the eight columns' filter taps are each
 * split into digits once; a lane's address is its row's window corner plus
 * its column's tap offset (the same sum, modulo 2^64, as conv_a_addr's per
 * lane), and it reads when both lie inside the tensor and the input (a
 * row whose whole window lies inside the input: every column inside the
 * tensor, no lane tested). */
static uint32_t conv_a_rows(const conv_arg *c, const simt_warp_ctx *w, int64_t m0, int64_t k0,
                            uint64_t *addr) {
  uint64_t ohw = c->oh * c->ow, g = w->cta[2];
  int64_t ky[8], kx[8];
  uint64_t koff[8];
  uint32_t kin = 0; /* columns inside [0, kdim) */
  uint64_t r = 0, s = 0, ch = 0;
  for (unsigned j = 0; j < 8; j++) {
    int64_t ki = k0 + (int64_t)j;
    ky[j] = INT64_MIN / 4; /* a column outside: no lane of it reads (iy < 0) */
    kx[j] = 0;
    koff[j] = 0;
    if (ki < 0 || (uint64_t)ki >= c->kdim) continue;
    if (j > 0 && (kin >> (j - 1) & 1)) digits_next(&ch, &s, &r, c->cg, c->kw);
    else {
      uint64_t rs = (uint64_t)ki / c->cg;
      ch = (uint64_t)ki % c->cg;
      r = rs / c->kw;
      s = rs % c->kw;
    }
    kin |= 1u << j;
    ky[j] = (int64_t)r;
    kx[j] = (int64_t)s;
    koff[j] = 4 * ((r * c->w + s) * c->c_total + ch);
  }
  uint32_t out = 0;
  if (!kin) return 0;
  uint64_t n = 0, oy = 0, ox = 0; /* the last row's output pixel */
  bool prev = false;
  for (unsigned row = 0; row < 4; row++) {
    int64_t mi = m0 + (int64_t)row;
    if (mi < 0 || (uint64_t)mi >= c->m) {
      prev = false;
      continue;
    }
    if (prev) digits_next(&ox, &oy, &n, c->ow, c->oh);
    else {
      uint64_t pix = (uint64_t)mi % ohw;
      n = (uint64_t)mi / ohw;
      oy = pix / c->ow;
      ox = pix % c->ow;
      prev = true;
    }
    int64_t yb = (int64_t)(oy * c->sh) - (int64_t)c->ph, xb = (int64_t)(ox * c->sw) - (int64_t)c->pw;
    uint64_t base = c->in_base + 4 * (((n * c->h + (uint64_t)yb) * c->w + (uint64_t)xb) * c->c_total +
                                      g * c->cg);
    for (unsigned j = 0; j < 8; j++) addr[8 * row + j] = base + koff[j]; /* read where in */
    if (yb >= 0 && xb >= 0 && yb + (int64_t)c->kh <= (int64_t)c->h &&
        xb + (int64_t)c->kw <= (int64_t)c->w) { /* the whole window inside: every tap */
      out |= kin << (8 * row);
      continue;
    }
    for (unsigned j = 0; j < 8; j++) {
      uint64_t iy = (uint64_t)(yb + ky[j]), ix = (uint64_t)(xb + kx[j]); /* < 0: huge */
      out |= (uint32_t)(iy < c->h && ix < c->w) << (8 * row + j);
    }
  }
  return out;
}

/* im2col gather: A[m][k] with m from guard[0], k from guard[1] (the same
 * affine indexes the guards check); padding lanes are masked off.  The
 * divisions that split m into (image, row, column) and k into (filter row,
 * column, channel) are done for a lane whose index is neither the last
 * lane's nor one more: consecutive lanes step k by one (and m every eighth
 * lane), a carry through the digits instead. */
static uint32_t conv_a_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                            uint64_t *addr, const void *arg) {
  const conv_arg *c = arg;
  uint32_t out = 0;
  uint64_t g = w->cta[2];
  const simt_affine *am = &in->guard[0], *ak = &in->guard[1];
  int64_t um = affine_uniform(am, w), uk = affine_uniform(ak, w);
  uint64_t ohw = c->oh * c->ow;
  uint64_t pm = UINT64_MAX, n = 0, oy = 0, ox = 0; /* the last m and its digits */
  uint64_t pk = UINT64_MAX, r = 0, s = 0, ch = 0; /* the last k and its digits */
  if (mask == UINT32_MAX && w->warp_size == 32 && (w->lane_tid[0] & 31u) == 0 &&
      am->split_log2 == 3 && ak->split_log2 == 3 && am->c_lo == 0 && am->c_hi == 1 &&
      ak->c_lo == 1 && ak->c_hi == 0)
    return conv_a_rows(c, w, um + (int64_t)(w->lane_tid[0] >> 3), uk, addr);
  for (uint32_t m = mask; m;) {
    unsigned l = (unsigned)__builtin_ctz(m);
    m &= m - 1;
    int64_t mi = affine_lane(am, um, w->lane_tid[l]);
    int64_t ki = affine_lane(ak, uk, w->lane_tid[l]);
    if (mi < 0 || ki < 0 || (uint64_t)mi >= c->m || (uint64_t)ki >= c->kdim) continue;
    if ((uint64_t)mi != pm) {
      if (pm != UINT64_MAX && (uint64_t)mi == pm + 1) {
        digits_next(&ox, &oy, &n, c->ow, c->oh);
      } else {
        uint64_t pix = (uint64_t)mi % ohw;
        n = (uint64_t)mi / ohw;
        oy = pix / c->ow;
        ox = pix % c->ow;
      }
      pm = (uint64_t)mi;
    }
    if ((uint64_t)ki != pk) {
      if (pk != UINT64_MAX && (uint64_t)ki == pk + 1) {
        digits_next(&ch, &s, &r, c->cg, c->kw);
      } else {
        uint64_t rs = (uint64_t)ki / c->cg;
        ch = (uint64_t)ki % c->cg;
        r = rs / c->kw;
        s = rs % c->kw;
      }
      pk = (uint64_t)ki;
    }
    int64_t iy = (int64_t)(oy * c->sh + r) - (int64_t)c->ph;
    int64_t ix = (int64_t)(ox * c->sw + s) - (int64_t)c->pw;
    if (iy < 0 || ix < 0 || iy >= (int64_t)c->h || ix >= (int64_t)c->w) continue; /* zero pad */
    addr[l] = c->in_base +
              4 * (((n * c->h + (uint64_t)iy) * c->w + (uint64_t)ix) * c->c_total + g * c->cg + ch);
    out |= 1u << l;
  }
  return out;
}

typedef struct {
  uint64_t in_base, h, w, c, k, s, p, oh, ow, total;
} pool_arg;

/* Output o (NHWC) as its digits: channel, column, row and image. */
static inline void pool_digits(const pool_arg *p, uint64_t o, uint64_t *ch, uint64_t *ox,
                               uint64_t *oy, uint64_t *n) {
  uint64_t px = o / p->c;
  *ch = o % p->c;
  *ox = px % p->ow;
  *oy = px / p->ow % p->oh;
  *n = px / (p->ow * p->oh);
}

/* Input of window tap in->addr.base for output o = ctaid.x * 256 + tid (NHWC).
 * o splits into (image, row, column, channel) by divisions for the first
 * active lane, by a carry through those digits for each lane after it whose
 * o is one more (every lane of a full warp).  Lanes of one output pixel
 * (a run of up to c consecutive channels) share the window tap's input
 * pixel: whether it lies inside the input, and its address, are worked out
 * once per pixel, the lane adds 4 bytes a channel (the same sum modulo
 * 2^64 as the whole expression per lane). */
static uint32_t pool_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                          uint64_t *addr, const void *arg) {
  const pool_arg *p = arg;
  uint64_t tap = (uint64_t)in->addr.base, r = tap / p->k, s = tap % p->k;
  uint32_t out = 0;
  uint64_t po = UINT64_MAX, ch = 0, ox = 0, oy = 0, n = 0; /* the last o and its digits */
  uint64_t o0 = (uint64_t)w->cta[0] * 256, pix = 0; /* pix: the tap's input pixel's address */
  bool inside = false;
  if (mask == UINT32_MAX && w->warp_size == 32 && o0 + w->lane_tid[31] < p->total) {
    /* a whole warp, lane l at tid lane_tid[0] + l (launch_block): runs of
     * lanes, one pixel each, no lane checked on its own */
    pool_digits(p, o0 + w->lane_tid[0], &ch, &ox, &oy, &n);
    for (unsigned l = 0; l < 32;) {
      uint64_t left = p->c - ch;
      unsigned run = left < 32 - l ? (unsigned)left : 32 - l;
      int64_t iy = (int64_t)(oy * p->s + r) - (int64_t)p->p;
      int64_t ix = (int64_t)(ox * p->s + s) - (int64_t)p->p;
      if (!(iy < 0 || ix < 0 || iy >= (int64_t)p->h || ix >= (int64_t)p->w)) {
        uint64_t a = p->in_base + 4 * (((n * p->h + (uint64_t)iy) * p->w + (uint64_t)ix) * p->c + ch);
        if (run == 32) /* the whole warp on one pixel: a loop of 32, vectorized */
          for (unsigned j = 0; j < 32; j++, a += 4) addr[j] = a;
        else
          for (unsigned j = 0; j < run; j++, a += 4) addr[l + j] = a;
        out |= (run == 32 ? UINT32_MAX : ((1u << run) - 1u)) << l;
      }
      l += run;
      ch = 0;
      digits_next(&ox, &oy, &n, p->ow, p->oh);
    }
    return out;
  }
  for (uint32_t m = mask; m;) {
    unsigned l = (unsigned)__builtin_ctz(m);
    m &= m - 1;
    uint64_t o = o0 + w->lane_tid[l];
    if (o >= p->total) continue;
    if (po != UINT64_MAX && o == po + 1) {
      po = o;
      if (++ch != p->c) {
        if (inside) {
          addr[l] = pix + 4 * ch;
          out |= 1u << l;
        }
        continue;
      }
      ch = 0;
      digits_next(&ox, &oy, &n, p->ow, p->oh);
    } else {
      pool_digits(p, o, &ch, &ox, &oy, &n);
      po = o;
    }
    int64_t iy = (int64_t)(oy * p->s + r) - (int64_t)p->p;
    int64_t ix = (int64_t)(ox * p->s + s) - (int64_t)p->p;
    inside = !(iy < 0 || ix < 0 || iy >= (int64_t)p->h || ix >= (int64_t)p->w);
    if (!inside) continue;
    pix = p->in_base + 4 * (((n * p->h + (uint64_t)iy) * p->w + (uint64_t)ix) * p->c);
    addr[l] = pix + 4 * ch;
    out |= 1u << l;
  }
  return out;
}

static uint64_t region(uint64_t *next, uint64_t bytes) {
  uint64_t b = *next;
  *next += em_ceil_div_u64(bytes ? bytes : 1, MIB) * MIB + MIB;
  return b;
}

/* ---- the tiled fp32 GEMM and its tiles ----
 *
 * C[M x N] = A[M x K] B[K x N] per group (grid z), the SIMT SGEMM of the
 * libraries: an output tile of bm x bn per block, 8-deep K slices staged
 * through shared memory (A transposed with a stride padded by 4 words, so a
 * warp's transposed stores hit 32 distinct banks: word col * (bm + 4) + row,
 * bank 4 col + row), tm x 4 outputs per thread from 128-bit shared loads.
 * 128x64 and 64x64 are in CUTLASS's SIMT SGEMM list (python/cutlass_library/
 * generator.py, GenerateSM50_Simt: 128x128, 128x64, 64x128, 64x64, 128x32,
 * 32x128, all 8 deep), with a straightforward kernel's micro-tiles; 32x32 is
 * ours, a quarter of CUTLASS's smallest tiles' outputs, for outputs of a few
 * tiles (the split-K kernels below fill the GPU with it).  Split-K (splits > 1, one group
 * only) gives each block a K range of the same tile over ctaid.z and adds its
 * partial tile into C with fp32 reductions (RED.E.ADD.F32, done in the L2
 * slices: CUTLASS's "split-K serial" without the semaphore, cuBLAS's atomic
 * split-K); C is zeroed first, as a library's memset before the kernel does,
 * charged here as the z = 0 blocks' 128-bit stores of zeros at their start
 * (the same bytes through the same L2). */
typedef struct {
  uint32_t bm, bn; /* output tile: rows (M) x columns (N) */
  uint32_t tm;     /* rows per thread, 4 or 8 (columns per thread: 4) */
  uint32_t regs;   /* registers per thread, as nvcc allocates such a kernel (about) */
} gemm_tile;

static const gemm_tile gemm_tiles[SIMT_GEMM_TILES] = {
    [SIMT_GEMM_128X64] = {128, 64, 8, 64}, /* 32 accumulators: 64 registers */
    [SIMT_GEMM_64X64] = {64, 64, 4, 40},
    [SIMT_GEMM_32X32] = {32, 32, 4, 40},
};

static const char *const gemm_tile_names[SIMT_GEMM_TILES] = {"128x64", "64x64", "32x32"};

const char *simt_gemm_tile_name(simt_gemm_tile t) {
  return t < SIMT_GEMM_TILES ? gemm_tile_names[t] : "?";
}

static uint32_t tile_threads(const gemm_tile *t) { return (t->bm / t->tm) * (t->bn / 4); }

static uint32_t log2u(uint32_t v) { return (uint32_t)__builtin_ctz(v); }

/* split-K's A address for a convolution: conv_a_addr reads the group from
 * ctaid.z, which a split kernel (one group) uses for its K range, so the
 * group's channel offset (g * cg words) is taken off the base first */
static uint32_t conv_a_addr_splitk(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                                   uint64_t *addr, const void *arg) {
  conv_arg c = *(const conv_arg *)arg;
  c.in_base -= 4 * (uint64_t)w->cta[2] * c.cg; /* wraps back when conv_a_addr adds it */
  return conv_a_addr(in, w, mask, addr, &c);
}

static em_status gen_gemm(simt_kernel *k, simt_gemm_tile tile, uint64_t splits, uint64_t M,
                          uint64_t N, uint64_t K, uint64_t G, uint64_t a_base, uint64_t b_base,
                          uint64_t c_base, conv_arg *conv, em_diag *d) {
  const gemm_tile *t = &gemm_tiles[tile];
  const uint64_t TK = 8;
  const uint32_t threads = tile_threads(t), tm = t->tm;
  const int64_t BM = t->bm, BN = t->bn;
  uint64_t gx = em_ceil_div_u64(N, t->bn), gy = em_ceil_div_u64(M, t->bm);
  uint64_t kslices = em_ceil_div_u64(K, TK);
  if (splits < 1 || (splits > 1 && G != 1) || splits > kslices)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "layer '%s': %llu K splits of %llu slices",
                       k->name, (unsigned long long)splits, (unsigned long long)kslices);
  uint64_t trip = em_ceil_div_u64(kslices, splits);
  splits = em_ceil_div_u64(kslices, trip); /* no empty split */
  uint64_t gz = splits > 1 ? splits : G;
  if (gx > UINT32_MAX || gy > UINT32_MAX || gz > UINT32_MAX || trip > UINT32_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "layer '%s': grid too large", k->name);
  bool split = splits > 1;
  k->grid[0] = (uint32_t)gx;
  k->grid[1] = (uint32_t)gy;
  k->grid[2] = (uint32_t)gz;
  k->block_threads = threads;
  k->regs_per_thread = t->regs;
  const int64_t as_ld = BM + 4; /* As is [8][bm + 4]: the transposed store is conflict free */
  const int64_t as_base = 0, bs_base = 4 * (int64_t)TK * as_ld;
  k->smem_bytes = (uint64_t)(4 * (int64_t)TK * as_ld + 4 * (int64_t)TK * BN);
  bld b = {k};
  int64_t iM = (int64_t)M, iN = (int64_t)N, iK = (int64_t)K;
  int64_t ks = (int64_t)(trip * TK); /* K per split */
  /* per-thread layout: thread (ty, tx) = (tid / (bn / 4), tid % (bn / 4)) */
  const uint32_t sl = log2u(t->bn / 4), lbn = log2u(t->bn);
  const uint32_t n_a = t->bm * (uint32_t)TK / threads, n_b = t->bn * (uint32_t)TK / threads;
  const int64_t a_rows = threads / TK, b_rows = threads / t->bn; /* rows a pass loads */
  /* registers: accumulators 4 i + j (row i, column j), A 4tm .. (one per 4
   * rows), B, staging, two addresses */
  const uint16_t r_a = (uint16_t)(4 * tm), r_b = (uint16_t)(r_a + tm / 4);
  const uint16_t r_st = (uint16_t)(r_b + 1), r_ad = (uint16_t)(r_st + n_a + n_b);
  if (n_a * threads != t->bm * TK || n_b * threads != t->bn * TK || (uint32_t)r_ad + 2 > t->regs)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "GEMM tile %s is inconsistent",
                       gemm_tile_names[tile]);
  /* C's tile row i: rows ty * tm + i, columns tx * 4 .. + 3 */
  simt_affine c_addr = aff((int64_t)c_base, sl, 16, 4 * (int64_t)tm * iN);
  c_addr.c_cta[0] = 4 * BN;
  c_addr.c_cta[1] = 4 * BM * iN;
  c_addr.c_cta[2] = split ? 0 : 4 * iM * iN;
  simt_affine c_row = aff(0, sl, 0, tm), c_col = aff(0, sl, 4, 0);
  c_row.c_cta[1] = BM;
  c_col.c_cta[0] = BN;
  E(&b, SIMT_OP_IMAD, r_ad, R_NONE, R_NONE, R_NONE);
  E(&b, SIMT_OP_IMAD, (uint16_t)(r_ad + 1), R_NONE, R_NONE, R_NONE);
  for (uint16_t r = 0; r < 4 * tm; r++) E(&b, SIMT_OP_MOV, r, R_NONE, R_NONE, R_NONE);
  if (split) /* C zeroed: the z = 0 blocks (row + z M < M) store zeros */
    for (uint32_t i = 0; i < tm; i++) {
      simt_inst *st = E(&b, SIMT_OP_STG, R_NONE, (uint16_t)(4 * i), R_NONE, R_NONE);
      st->h.width = 16;
      st->addr = c_addr;
      st->addr.base += 4 * (int64_t)i * iN;
      st->nguard = 2;
      st->guard[0] = c_row;
      st->guard[0].base = i;
      st->guard[0].c_cta[2] = iM;
      st->limit[0] = iM;
      st->guard[1] = c_col;
      st->limit[1] = iN;
    }
  uint32_t head = simt_pc(k);
  for (uint32_t i = 0; i < n_a; i++) { /* A tile: bm rows x 8, rows tid/8 + a_rows i */
    simt_inst *ld = E(&b, SIMT_OP_LDG, (uint16_t)(r_st + i), r_ad, R_NONE, R_NONE);
    ld->nguard = 2;
    ld->guard[0] = aff(a_rows * i, 3, 0, 1); /* row */
    ld->guard[0].c_cta[1] = BM;
    ld->limit[0] = iM;
    ld->guard[1] = aff(0, 3, 1, 0); /* column (k) */
    ld->guard[1].c_loop[0] = (int64_t)TK;
    ld->guard[1].c_cta[2] = split ? ks : 0;
    ld->limit[1] = iK;
    if (conv) {
      ld->addr_fn = split ? conv_a_addr_splitk : conv_a_addr;
    } else {
      ld->addr = aff((int64_t)a_base + 4 * a_rows * i * iK, 3, 4, 4 * iK);
      ld->addr.c_cta[1] = 4 * BM * iK;
      ld->addr.c_cta[2] = split ? 4 * ks : 4 * iM * iK;
      ld->addr.c_loop[0] = 4 * (int64_t)TK;
    }
  }
  for (uint32_t i = 0; i < n_b; i++) { /* B tile: 8 rows x bn, rows tid/bn + b_rows i */
    simt_inst *ld = E(&b, SIMT_OP_LDG, (uint16_t)(r_st + n_a + i), (uint16_t)(r_ad + 1), R_NONE,
                      R_NONE);
    ld->addr = aff((int64_t)b_base + 4 * b_rows * i * iN, lbn, 4, 4 * iN);
    ld->addr.c_cta[0] = 4 * BN;
    ld->addr.c_cta[2] = split ? 4 * ks * iN : 4 * iK * iN;
    ld->addr.c_loop[0] = 4 * (int64_t)TK * iN;
    ld->nguard = 2;
    ld->guard[0] = aff(0, lbn, 1, 0); /* column */
    ld->guard[0].c_cta[0] = BN;
    ld->limit[0] = iN;
    ld->guard[1] = aff(b_rows * i, lbn, 0, 1); /* row (k) */
    ld->guard[1].c_loop[0] = (int64_t)TK;
    ld->guard[1].c_cta[2] = split ? ks : 0;
    ld->limit[1] = iK;
  }
  for (uint32_t i = 0; i < n_a; i++) { /* As[col][row], row = tid/8 + a_rows i, col = tid%8 */
    simt_inst *s = E(&b, SIMT_OP_STS, R_NONE, (uint16_t)(r_st + i), R_NONE, R_NONE);
    s->addr = aff(as_base + 4 * a_rows * i, 3, 4 * as_ld, 4);
  }
  for (uint32_t i = 0; i < n_b; i++) { /* Bs[row][col] */
    simt_inst *s = E(&b, SIMT_OP_STS, R_NONE, (uint16_t)(r_st + n_a + i), R_NONE, R_NONE);
    s->addr = aff(bs_base + 4 * b_rows * i * BN, lbn, 4, 4 * BN);
  }
  E(&b, SIMT_OP_BAR, R_NONE, R_NONE, R_NONE, R_NONE);
  for (int64_t kk = 0; kk < (int64_t)TK; kk++) { /* unrolled */
    for (uint32_t q = 0; q < tm / 4; q++) { /* As[kk][ty tm + 4q .. + 3] */
      simt_inst *la = E(&b, SIMT_OP_LDS, (uint16_t)(r_a + q), R_NONE, R_NONE, R_NONE);
      la->addr = aff(as_base + 4 * kk * as_ld + 16 * (int64_t)q, sl, 0, 4 * (int64_t)tm);
      la->h.width = 16;
    }
    simt_inst *lb = E(&b, SIMT_OP_LDS, r_b, R_NONE, R_NONE, R_NONE); /* Bs[kk][tx 4 .. + 3] */
    lb->addr = aff(bs_base + 4 * kk * BN, sl, 16, 0);
    lb->h.width = 16;
    for (uint16_t r = 0; r < 4 * tm; r++)
      E(&b, SIMT_OP_FFMA, r, (uint16_t)(r_a + r / 16), r_b, r);
  }
  E(&b, SIMT_OP_BAR, R_NONE, R_NONE, R_NONE, R_NONE);
  E(&b, SIMT_OP_IADD, r_ad, r_ad, R_NONE, R_NONE);
  E(&b, SIMT_OP_IADD, (uint16_t)(r_ad + 1), (uint16_t)(r_ad + 1), R_NONE, R_NONE);
  simt_inst *br = E(&b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = 0;
  br->trip = (uint32_t)trip;
  br->target = head;
  for (uint32_t i = 0; i < tm; i++) { /* C's row i: one 128-bit store, or 4 reductions */
    for (uint32_t j = 0; j < (split ? 4u : 1u); j++) {
      simt_inst *st = E(&b, split ? SIMT_OP_RED : SIMT_OP_STG, R_NONE, (uint16_t)(4 * i + j),
                        R_NONE, R_NONE);
      st->h.width = split ? 4 : 16;
      st->addr = c_addr;
      st->addr.base += 4 * (int64_t)i * iN + 4 * (int64_t)j;
      st->nguard = 2;
      st->guard[0] = c_row;
      st->guard[0].base = i;
      st->limit[0] = iM;
      st->guard[1] = c_col;
      st->guard[1].base = j;
      st->limit[1] = iN;
    }
  }
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  return finish(&b, d);
}

/* GEMV y[N] = W[N x K] x[K]: one warp per output.  eb: the bytes of W's and
 * x's elements, 4 (fp32: 4 FFMA per 16-byte load pair) or 2 (fp16: 8
 * halves per load, 4 HFMA2, then one FADD joins the halves); y is fp32. */
static em_status gen_gemv(simt_kernel *k, uint64_t N, uint64_t K, unsigned eb, uint64_t x_base,
                          uint64_t w_base, uint64_t y_base, em_diag *d) {
  uint64_t gx = em_ceil_div_u64(N, 8);
  if (gx > UINT32_MAX) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "N too large");
  k->grid[0] = (uint32_t)gx;
  k->block_threads = 256;
  k->regs_per_thread = 16;
  bld b = {k};
  int64_t iK = (int64_t)K, iN = (int64_t)N, per = 16 / (int64_t)eb; /* elements per lane */
  E(&b, SIMT_OP_MOV, 0, R_NONE, R_NONE, R_NONE);
  uint32_t head = simt_pc(k);
  simt_inst *lw = E(&b, SIMT_OP_LDG, 1, R_NONE, R_NONE, R_NONE);
  lw->h.width = 16;
  lw->addr = aff((int64_t)w_base, 5, 16, (int64_t)eb * iK);
  lw->addr.c_cta[0] = (int64_t)eb * 8 * iK;
  lw->addr.c_loop[0] = 16 * 32;
  lw->nguard = 2;
  lw->guard[0] = aff(0, 5, per, 0);
  lw->guard[0].c_loop[0] = 32 * per;
  lw->limit[0] = iK;
  lw->guard[1] = aff(0, 5, 0, 1);
  lw->guard[1].c_cta[0] = 8;
  lw->limit[1] = iN;
  simt_inst *lx = E(&b, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
  lx->h.width = 16;
  lx->addr = aff((int64_t)x_base, 5, 16, 0);
  lx->addr.c_loop[0] = 16 * 32;
  lx->nguard = 2;
  lx->guard[0] = lw->guard[0];
  lx->limit[0] = iK;
  lx->guard[1] = lw->guard[1];
  lx->limit[1] = iN;
  for (int i = 0; i < 4; i++) E(&b, eb == 2 ? SIMT_OP_HFMA2 : SIMT_OP_FFMA, 0, 1, 2, 0);
  simt_inst *br = E(&b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  br->cond = SIMT_COND_LOOP;
  br->trip = (uint32_t)em_ceil_div_u64(K, 32 * (uint64_t)per);
  br->target = head;
  if (eb == 2) E(&b, SIMT_OP_FADD, 0, 0, R_NONE, R_NONE);
  for (int i = 0; i < 5; i++) {
    E(&b, SIMT_OP_SHFL, 3, 0, R_NONE, R_NONE);
    E(&b, SIMT_OP_FADD, 0, 0, 3, R_NONE);
  }
  simt_inst *st = E(&b, SIMT_OP_STG, R_NONE, 0, R_NONE, R_NONE);
  st->addr = aff((int64_t)y_base, 5, 0, 4);
  st->addr.c_cta[0] = 4 * 8;
  st->nguard = 2;
  st->guard[0] = aff(0, 5, 1, 0); /* lane 0 */
  st->limit[0] = 1;
  st->guard[1] = lw->guard[1];
  st->limit[1] = iN;
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  return finish(&b, d);
}

em_status simt_gen_gemv_fp16(simt_kernel *k, uint64_t N, uint64_t K, em_diag *d) {
  simt_kernel_init(k, "gemv-fp16");
  if (N == 0 || K == 0 || N > UINT32_MAX || K > UINT32_MAX)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "fp16 GEMV %llu x %llu",
                       (unsigned long long)N, (unsigned long long)K);
  uint64_t next = 256 * MIB;
  uint64_t x_base = region(&next, 2 * K);
  uint64_t w_base = region(&next, 2 * N * K);
  uint64_t y_base = region(&next, 4 * N);
  em_status st = gen_gemv(k, N, K, 2, x_base, w_base, y_base, d);
  if (st != EM_OK) return st;
  k->flops = 2 * N * K;
  k->half_flops = k->flops; /* every multiply-add in an HFMA2 */
  k->min_dram_bytes = 2 * K + 2 * N * K + 4 * N;
  return EM_OK;
}

/* One thread per element; threads past `total` leave at once (a divergent
 * branch in the last warp). body() emits the work. */
static simt_inst *early_exit(bld *b, uint64_t total) {
  simt_inst *br = E(b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  br->cond = SIMT_COND_GE;
  br->guard[0] = aff(0, 0, 0, 1);
  br->guard[0].c_cta[0] = 256;
  br->limit[0] = (int64_t)total;
  return br; /* target set by the caller to the final EXIT */
}

static em_status gen_elementwise(simt_kernel *k, const wl_layer *l, uint64_t total,
                                 uint64_t in_base, uint64_t in2_base, uint64_t out_base,
                                 em_diag *d) {
  uint64_t gx = em_ceil_div_u64(total, 256);
  if (gx > UINT32_MAX) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "tensor too large");
  k->grid[0] = (uint32_t)gx;
  k->block_threads = 256;
  k->regs_per_thread = 8;
  bld b = {k};
  simt_inst *br = early_exit(&b, total);
  uint32_t br_pc = simt_pc(k) - 1;
  simt_affine at = aff((int64_t)in_base, 0, 0, 4);
  at.c_cta[0] = 4 * 256;
  simt_inst *ld = E(&b, SIMT_OP_LDG, 1, R_NONE, R_NONE, R_NONE);
  ld->addr = at;
  bool two = l->op == WL_ELT_ADD || l->op == WL_ELT_MUL;
  if (two) {
    simt_inst *l2 = E(&b, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
    l2->addr = at;
    l2->addr.base = (int64_t)in2_base;
  }
  switch (l->op) {
  case WL_ELT_ADD: E(&b, SIMT_OP_FADD, 3, 1, 2, R_NONE); break;
  case WL_ELT_MUL: E(&b, SIMT_OP_FMUL, 3, 1, 2, R_NONE); break;
  case WL_ELT_GELU: /* x * sigmoid(1.702 x): FMUL, MUFU.EX2, FADD, MUFU.RCP, FMUL */
    E(&b, SIMT_OP_FMUL, 2, 1, R_NONE, R_NONE);
    E(&b, SIMT_OP_MUFU, 2, 2, R_NONE, R_NONE);
    E(&b, SIMT_OP_FADD, 2, 2, R_NONE, R_NONE);
    E(&b, SIMT_OP_MUFU, 2, 2, R_NONE, R_NONE);
    E(&b, SIMT_OP_FMUL, 3, 1, 2, R_NONE);
    break;
  default: E(&b, SIMT_OP_FMNMX, 3, 1, R_NONE, R_NONE); break; /* ReLU: max(x, 0) */
  }
  simt_inst *st = E(&b, SIMT_OP_STG, R_NONE, 3, R_NONE, R_NONE);
  st->addr = at;
  st->addr.base = (int64_t)out_base;
  uint32_t exit_pc = simt_pc(k);
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  if (!b.k->emit_failed) k->prog[br_pc].target = exit_pc;
  (void)br;
  return finish(&b, d);
}

static em_status gen_pool(simt_kernel *k, const wl_layer *l, pool_arg *p, uint64_t out_base,
                          em_diag *d) {
  uint64_t gx = em_ceil_div_u64(p->total, 256);
  if (gx > UINT32_MAX) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "tensor too large");
  k->grid[0] = (uint32_t)gx;
  k->block_threads = 256;
  k->regs_per_thread = 8;
  bld b = {k};
  early_exit(&b, p->total);
  uint32_t br_pc = simt_pc(k) - 1;
  E(&b, SIMT_OP_MOV, 0, R_NONE, R_NONE, R_NONE);
  uint64_t taps = p->k * p->k;
  if (taps > 1024) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "pooling window too large");
  for (uint64_t t = 0; t < taps; t++) {
    simt_inst *ld = E(&b, SIMT_OP_LDG, (uint16_t)(1 + t % 4), R_NONE, R_NONE, R_NONE);
    ld->addr_fn = pool_addr;
    ld->addr.base = (int64_t)t;
    if (l->op == WL_POOL_MAX) E(&b, SIMT_OP_FMNMX, 0, 0, (uint16_t)(1 + t % 4), R_NONE);
    else E(&b, SIMT_OP_FADD, 0, 0, (uint16_t)(1 + t % 4), R_NONE);
  }
  if (l->op == WL_POOL_AVG) E(&b, SIMT_OP_FMUL, 0, 0, R_NONE, R_NONE);
  simt_inst *st = E(&b, SIMT_OP_STG, R_NONE, 0, R_NONE, R_NONE);
  st->addr = aff((int64_t)out_base, 0, 0, 4);
  st->addr.c_cta[0] = 4 * 256;
  uint32_t exit_pc = simt_pc(k);
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  if (!b.k->emit_failed) k->prog[br_pc].target = exit_pc;
  return finish(&b, d);
}

/* Softmax over rows of C values: one warp per row, lanes stride by 32. */
static em_status gen_softmax(simt_kernel *k, uint64_t rows, uint64_t C, uint64_t in_base,
                             uint64_t out_base, em_diag *d) {
  uint64_t gx = em_ceil_div_u64(rows, 8);
  if (gx > UINT32_MAX) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "tensor too large");
  k->grid[0] = (uint32_t)gx;
  k->block_threads = 256;
  k->regs_per_thread = 12;
  bld b = {k};
  int64_t iC = (int64_t)C;
  /* element index of lane in row: row*C + loop0*32 + lane, row = ctaid*8 + tid/32 */
  simt_affine el = aff(0, 5, 4, 4 * iC);
  el.c_cta[0] = 4 * 8 * iC;
  el.c_loop[0] = 4 * 32;
  simt_affine col = aff(0, 5, 1, 0); /* column */
  col.c_loop[0] = 32;
  simt_affine rowi = aff(0, 5, 0, 1);
  rowi.c_cta[0] = 8;
  /* rows past the end: the whole warp leaves */
  simt_inst *ex = E(&b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
  ex->cond = SIMT_COND_GE;
  ex->guard[0] = rowi;
  ex->limit[0] = (int64_t)rows;
  uint32_t ex_pc = simt_pc(k) - 1;
  for (int pass = 0; pass < 3; pass++) {
    E(&b, SIMT_OP_MOV, (uint16_t)(pass == 0 ? 0 : 1), R_NONE, R_NONE, R_NONE);
    uint32_t head = simt_pc(k);
    simt_inst *ld = E(&b, SIMT_OP_LDG, 2, R_NONE, R_NONE, R_NONE);
    ld->addr = el;
    ld->addr.base = (int64_t)in_base;
    if (pass == 0) E(&b, SIMT_OP_FMNMX, 0, 0, 2, R_NONE);
    else {
      E(&b, SIMT_OP_FADD, 3, 2, 0, R_NONE); /* x - max */
      E(&b, SIMT_OP_MUFU, 3, 3, R_NONE, R_NONE); /* exp */
      if (pass == 1) E(&b, SIMT_OP_FADD, 1, 1, 3, R_NONE);
      else {
        E(&b, SIMT_OP_FMUL, 3, 3, 1, R_NONE);
        simt_inst *st = E(&b, SIMT_OP_STG, R_NONE, 3, R_NONE, R_NONE);
        st->addr = el;
        st->addr.base = (int64_t)out_base;
      }
    }
    /* for (i = lane; i < C; i += 32): the exit diverges when C % 32 != 0 */
    simt_inst *br = E(&b, SIMT_OP_BRA, R_NONE, R_NONE, R_NONE, R_NONE);
    br->cond = SIMT_COND_LT;
    br->inc_loop = 1;
    br->loop_id = 0;
    br->guard[0] = col;
    br->limit[0] = iC;
    br->target = head;
    if (pass < 2)
      for (int i = 0; i < 5; i++) {
        E(&b, SIMT_OP_SHFL, 4, (uint16_t)(pass == 0 ? 0 : 1), R_NONE, R_NONE);
        if (pass == 0) E(&b, SIMT_OP_FMNMX, 0, 0, 4, R_NONE);
        else E(&b, SIMT_OP_FADD, 1, 1, 4, R_NONE);
      }
    if (pass == 1) E(&b, SIMT_OP_MUFU, 1, 1, R_NONE, R_NONE); /* 1 / sum */
  }
  uint32_t exit_pc = simt_pc(k);
  E(&b, SIMT_OP_EXIT, R_NONE, R_NONE, R_NONE, R_NONE);
  if (!b.k->emit_failed) k->prog[ex_pc].target = exit_pc;
  return finish(&b, d);
}

/* The layer's kernel, a GEMM-shaped one with tile t and `splits` K splits;
 * `named`: its name says the tile and split. */
static em_status gen_layer(simt_kernel *k, const wl_layer *l, simt_gemm_tile t, uint64_t splits,
                           bool named, em_diag *d) {
  simt_kernel_init(k, l->name);
  if (t >= SIMT_GEMM_TILES)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "layer '%s': no GEMM tile %u", l->name,
                       (unsigned)t);
  if (named && (l->kind == WL_CONV || l->kind == WL_FC || l->kind == WL_GEMM)) {
    wl_gemm_view v = wl_layer_gemm_view(l);
    if (l->kind == WL_CONV || v.m != 1 || v.groups != 1) {
      char sk[32] = "";
      if (splits > 1) snprintf(sk, sizeof sk, "_splitk%llu", (unsigned long long)splits);
      snprintf(k->name, sizeof k->name, "%.36s/sgemm_%s%s", l->name, gemm_tile_names[t], sk);
    }
  }
  uint64_t next = 256 * MIB;
  uint64_t oh = wl_layer_out_h(l), ow = wl_layer_out_w(l);
  uint64_t B = l->batch ? l->batch : 1;
  em_status st;
  switch (l->kind) {
  case WL_CONV: {
    wl_gemm_view v = wl_layer_gemm_view(l);
    conv_arg *c = calloc(1, sizeof *c);
    if (!c) return nomem(d);
    k->owned = c;
    k->arg = c;
    uint64_t in_bytes = 4 * B * l->in_h * l->in_w * l->in_c;
    c->in_base = region(&next, in_bytes);
    c->h = l->in_h;
    c->w = l->in_w;
    c->c_total = l->in_c;
    c->cg = l->in_c / l->groups;
    c->kh = l->k_h;
    c->kw = l->k_w;
    c->sh = l->stride_h;
    c->sw = l->stride_w;
    c->ph = l->pad_h;
    c->pw = l->pad_w;
    c->oh = oh;
    c->ow = ow;
    c->m = v.m;
    c->kdim = v.k;
    uint64_t w_base = region(&next, 4 * v.k * v.n * v.groups);
    uint64_t out_base = region(&next, 4 * v.m * v.n * v.groups);
    if ((st = gen_gemm(k, t, splits, v.m, v.n, v.k, v.groups, c->in_base, w_base, out_base, c,
                       d)) != EM_OK)
      return st;
    k->flops = 2 * v.m * v.n * v.k * v.groups;
    k->min_dram_bytes = in_bytes + 4 * v.k * v.n * v.groups;
    return EM_OK;
  }
  case WL_FC:
  case WL_GEMM: {
    wl_gemm_view v = wl_layer_gemm_view(l);
    uint64_t a_base = region(&next, 4 * v.m * v.k);
    uint64_t b_base = region(&next, 4 * v.k * v.n * v.groups);
    uint64_t c_base = region(&next, 4 * v.m * v.n * v.groups);
    if (v.m == 1 && v.groups == 1) st = gen_gemv(k, v.n, v.k, 4, a_base, b_base, c_base, d);
    else st = gen_gemm(k, t, splits, v.m, v.n, v.k, v.groups, a_base, b_base, c_base, NULL, d);
    if (st != EM_OK) return st;
    k->flops = 2 * v.m * v.n * v.k * v.groups;
    k->min_dram_bytes = 4 * (v.m * v.k + v.k * v.n) * v.groups;
    return EM_OK;
  }
  case WL_POOL: {
    pool_arg *p = calloc(1, sizeof *p);
    if (!p) return nomem(d);
    k->owned = p;
    k->arg = p;
    uint64_t in_bytes = 4 * B * l->in_h * l->in_w * l->in_c;
    p->in_base = region(&next, in_bytes);
    p->h = l->in_h;
    p->w = l->in_w;
    p->c = l->in_c;
    p->k = l->k_h;
    p->s = l->stride_h;
    p->p = l->pad_h;
    p->oh = oh;
    p->ow = ow;
    p->total = B * oh * ow * l->in_c;
    uint64_t out_base = region(&next, 4 * p->total);
    if ((st = gen_pool(k, l, p, out_base, d)) != EM_OK) return st;
    k->flops = p->total * p->k * p->k;
    /* every input word inside some window is read once at least: all of
     * them when windows cover the input (stride <= window) */
    k->min_dram_bytes = p->s <= p->k ? in_bytes : 4 * p->total;
    return EM_OK;
  }
  case WL_ELTWISE: {
    uint64_t total = B * l->in_h * l->in_w * l->in_c;
    uint64_t in_base = region(&next, 4 * total);
    uint64_t in2 = region(&next, 4 * total);
    uint64_t out_base = region(&next, 4 * total);
    if (l->op == WL_ELT_SOFTMAX) {
      uint64_t rows = B * l->in_h * l->in_w;
      if ((st = gen_softmax(k, rows, l->in_c, in_base, out_base, d)) != EM_OK) return st;
      k->flops = 5 * total;
      k->min_dram_bytes = 4 * total;
      return EM_OK;
    }
    if ((st = gen_elementwise(k, l, total, in_base, in2, out_base, d)) != EM_OK) return st;
    bool two = l->op == WL_ELT_ADD || l->op == WL_ELT_MUL;
    k->flops = total;
    k->min_dram_bytes = 4 * total * (two ? 2 : 1);
    return EM_OK;
  }
  }
  return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0, "layer '%s': unsupported kind",
                     l->name);
}

em_status simt_gen_layer(simt_kernel *k, const wl_layer *l, em_diag *d) {
  return gen_layer(k, l, SIMT_GEMM_64X64, 1, false, d);
}

em_status simt_gen_layer_tile(simt_kernel *k, const wl_layer *l, simt_gemm_tile t,
                              uint64_t splits, em_diag *d) {
  return gen_layer(k, l, t, splits, true, d);
}

em_status simt_gen_layer_gpu(simt_kernel *k, const wl_layer *l, const simt_config *gpu,
                             em_diag *d) {
  if (!gpu) return simt_gen_layer(k, l, d);
  simt_gemm_choice c = {SIMT_GEMM_64X64, 1, 0.0};
  if (l->kind == WL_CONV || l->kind == WL_FC || l->kind == WL_GEMM) {
    wl_gemm_view v = wl_layer_gemm_view(l);
    c = simt_gemm_pick(gpu, v.m, v.n, v.k, v.groups);
  }
  return gen_layer(k, l, c.tile, c.splits, true, d);
}

/* ---- the choice of tile and split ----
 *
 * What a library's heuristic weighs (NVIDIA, "Matrix Multiplication
 * Background User's Guide", docs.nvidia.com/deeplearning/performance:
 * tile quantization, and wave quantization: a grid of blocks runs in waves
 * of (blocks an SM holds) x (SMs), and a last partial wave costs a whole
 * wave's time; CUTLASS docs, "Efficient GEMM in CUDA": split-K "when the
 * output is too small to fill the GPU"), here as a closed-form time per
 * candidate rather than a run of it.  Per K slice (8 deep) an SM holding b
 * blocks of w warps takes the longest of
 *   its fp32 pipes:  ceil(b w / sub-cores) x 8 x (4 tm) FFMAs x (32 / lanes),
 *   its shared port: b w x 8 x (tm / 4 + 1) 128-bit loads x their wavefronts,
 *   the latency a block waits each slice (the kernel does not double-buffer:
 *     global loads, shared store, two barriers, then its eight shared loads'
 *     latency) plus its share of the pipes: 5 x l2_latency + 8 x
 *     smem_latency + pipes / b.  The 5 x l2_latency is fitted, not derived:
 *     on bench_gemm_pick's quick shapes (volta) 4 x and 5 x pick the
 *     fastest candidate everywhere, 3 x one 14 % off; 5 x keeps a margin.
 * Split-K adds its reductions' L2 atomic-unit time (2 words a sector,
 * l2_atomic_interval each, spread over the slices).  It took a quarter of a
 * sector per 8 words, fitted to runs that ended before their reductions had
 * passed the atomic units (the kernel did not wait for its writes). */
static double gemm_slice_cycles(const simt_config *c, const gemm_tile *t, uint64_t b,
                                uint64_t warps) {
  double ii = (double)em_ceil_div_u64(c->warp_size, c->fp32_lanes ? c->fp32_lanes : 1);
  uint64_t sched = c->n_sched ? c->n_sched : 1;
  double pipes = (double)em_ceil_div_u64(b * warps, sched) * 8.0 * 4.0 * t->tm * ii;
  double wf = (double)em_ceil_div_u64(c->warp_size * 16, 4 * (c->smem_banks ? c->smem_banks : 1));
  double port = (double)(b * warps) * 8.0 * (t->tm / 4.0 + 1.0) * wf;
  double wait = 5.0 * (double)c->l2_latency + 8.0 * (double)c->smem_latency + pipes / (double)b;
  double m = pipes > port ? pipes : port;
  return m > wait ? m : wait;
}

double simt_gemm_estimate(const simt_config *gpu, simt_gemm_tile tile, uint64_t splits,
                          uint64_t M, uint64_t N, uint64_t K, uint64_t G) {
  if (tile >= SIMT_GEMM_TILES || splits < 1 || M == 0 || N == 0 || K == 0 || G == 0) return 0.0;
  const gemm_tile *t = &gemm_tiles[tile];
  uint64_t kslices = em_ceil_div_u64(K, 8);
  if (splits > 1 && (G != 1 || splits > kslices)) return 0.0;
  uint64_t trip = em_ceil_div_u64(kslices, splits);
  splits = em_ceil_div_u64(kslices, trip);
  simt_kernel probe;
  simt_kernel_init(&probe, "probe");
  probe.block_threads = tile_threads(t);
  probe.regs_per_thread = t->regs;
  probe.smem_bytes = 4 * 8 * (uint64_t)(t->bm + 4 + t->bn);
  uint64_t r = simt_occupancy_compute(gpu, &probe).blocks_per_sm;
  if (r == 0 || gpu->n_sm == 0) return 0.0;
  uint64_t warps = em_ceil_div_u64(probe.block_threads, gpu->warp_size);
  double tiles = (double)em_ceil_div_u64(M, t->bm) * (double)em_ceil_div_u64(N, t->bn);
  double blocks = tiles * (double)(splits > 1 ? splits : G);
  double slots = (double)r * (double)gpu->n_sm;
  /* split-K only where the output's tiles fill less than one wave */
  if (splits > 1 && (tiles >= slots || K / splits < SIMT_GEMM_SPLIT_MIN_K)) return 0.0;
  double full = floor(blocks / slots), rem = blocks - full * slots;
  double cyc = full * (double)trip * gemm_slice_cycles(gpu, t, r, warps);
  if (rem > 0)
    cyc += (double)trip *
           gemm_slice_cycles(gpu, t, (uint64_t)ceil(rem / (double)gpu->n_sm), warps);
  double mn = (double)M * (double)N;
  if (splits > 1) {
    /* each split's reductions in the L2 slices' atomic units: a scalar RED
     * per output a thread holds, its lanes 16 B apart (a thread's row of 4
     * outputs), so 2 words a sector, l2_atomic_interval each, spread over
     * the slices; they come at each block's end, after its K loop, and the
     * kernel ends when they are done (their warps retire only then) */
    double sectors = mn * (double)splits / 2.0;
    double slices = (double)(gpu->l2_slices ? gpu->l2_slices : 1);
    cyc += sectors * gpu->l2_atomic_interval / slices + (double)gpu->l2_atomic_latency;
  }
  double bytes = 4.0 * (double)G * ((double)M * (double)K + (double)K * (double)N + mn) +
                 (splits > 1 ? 4.0 * mn : 0.0);
  double dram = bytes / simt_dram_bytes_per_cycle(gpu);
  return cyc > dram ? cyc : dram;
}

simt_gemm_choice simt_gemm_pick(const simt_config *gpu, uint64_t M, uint64_t N, uint64_t K,
                                uint64_t G) {
  simt_gemm_choice best = {SIMT_GEMM_64X64, 1, 0.0};
  for (int t = 0; t < SIMT_GEMM_TILES; t++)
    for (uint64_t s = 1; s <= SIMT_GEMM_SPLIT_MAX; s *= 2) {
      double e = simt_gemm_estimate(gpu, (simt_gemm_tile)t, s, M, N, K, G);
      if (e <= 0.0) continue;
      if (best.est_cycles == 0.0 || e < best.est_cycles) {
        best.tile = (simt_gemm_tile)t;
        best.splits = s;
        best.est_cycles = e;
      }
    }
  return best;
}

double simt_peak_flops_per_cycle(const simt_config *c) {
  return 2.0 * (double)c->n_sm * (double)c->n_sched * (double)c->fp32_lanes;
}

double simt_peak_tensor_flops_per_cycle(const simt_config *c) {
  return 2.0 * 64.0 * (double)c->tensor_units * (double)c->n_sched * (double)c->n_sm;
}

double simt_dram_bytes_per_cycle(const simt_config *c) {
  /* per core cycle: the DRAM's bus is stated per cycle of its own clock */
  return (double)c->dram_channels * simt_dram_channel_bytes_per_core_cycle(c);
}

uint64_t simt_dirty_hold_bytes(const simt_config *c) {
  uint64_t per_ch = c->dram_write_queue ? c->dram_wq_size : c->dram_queue;
  return c->l2_bytes +
         (c->dram_channels * per_ch + c->l2_slices * c->l2_dram_queue) * SIMT_SECTOR_BYTES;
}

double simt_roofline_dram_bytes(const simt_config *c, const simt_kernel *k) {
  uint64_t w = k->min_dram_write_bytes < k->min_dram_bytes ? k->min_dram_write_bytes
                                                           : k->min_dram_bytes;
  uint64_t hold = simt_dirty_hold_bytes(c);
  return (double)(k->min_dram_bytes - w) + (w > hold ? (double)(w - hold) : 0.0);
}

double simt_roofline_cycles(const simt_config *c, const simt_kernel *k) {
  double fp32 = simt_peak_flops_per_cycle(c), bw = simt_dram_bytes_per_cycle(c);
  double tensor = simt_peak_tensor_flops_per_cycle(c);
  double bytes = simt_roofline_dram_bytes(c, k);
  /* an HFMA2's flops go at the fp16 peak (two fp16 FMAs a lane per issue,
   * fp16_lanes lanes a sub-core cycle: twice the fp32 peak on the presets):
   * counted as the flops the fp32 peak does in the same time (an HFMA2
   * stream was 0.50x a roofline that priced them at the fp32 peak, which is
   * never above the run) */
  uint64_t half = k->half_flops < k->flops ? k->half_flops : k->flops;
  uint64_t l16 = c->fp16_lanes < c->warp_size ? c->fp16_lanes : c->warp_size;
  double fp16 = 4.0 * (double)c->n_sm * (double)c->n_sched * (double)l16;
  double flops = (double)(k->flops - half) + (fp16 > 0 ? (double)half * fp32 / fp16 : 0.0);
  if (k->tensor_flops > 0 && tensor > 0) {
    /* CUDA cores and tensor cores work side by side: the slower of the two */
    double rest = flops > (double)k->tensor_flops ? flops - (double)k->tensor_flops : 0.0;
    double tc = 2.0 * (double)k->tensor_fp16_macs / tensor;
    double other = cm_roofline_cycles(rest, bytes, fp32, bw);
    return tc > other ? tc : other;
  }
  /* MMAs whose share of the flops is not known: every flop at the fp32 peak
   * plus the fastest of their tensor peaks (flops per fp16 MAC of time) */
  double fastest = 0.0;
  for (uint32_t i = 0; k->prog && tensor > 0 && i < k->n_inst; i++) {
    simt_op op = (simt_op)k->prog[i].h.op;
    if (simt_op_unit(op) != SIMT_UNIT_TENSOR) continue;
    const simt_mma_info *mi = simt_mma_get(op, k->prog[i].h.mma);
    double per = 2.0 * (double)mi->macs / (double)mi->fp16_macs;
    if (per > fastest) fastest = per;
  }
  return cm_roofline_cycles(flops, bytes, fp32 + fastest / 2.0 * tensor, bw);
}
