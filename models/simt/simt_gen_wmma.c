/*
 * simt_gen_wmma.c - the WMMA fp16 tensor-core GEMM of CUTLASS 1.x and the
 * CUDA samples (simt_gen_wmma.h).
 *
 * Units: bytes for addresses, halves (2 B) for A and B, floats for C.
 * Address map: A, B and C each in their own region from 256 MiB up, a MiB
 * apart (as the other generators lay theirs out).  Shared memory: A's stage
 * (128 rows of kc + 8 halves) then B's (likewise, B stored N-major as the
 * sample's col-major B is).
 */
#include "simt_gen_wmma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "simt_bld.h"

#define MIB (1ull << 20)
#define RN SIMT_REG_NONE

/* What an address callback serves (in->addr.base); in->addr.c_lo is the
 * piece, fragment or row group. */
enum { W_A_G, W_B_G, W_A_S, W_B_S, W_A_F, W_B_F, W_C_G };

typedef struct {
  uint64_t M, N, K, kc;
  uint64_t a_base, b_base, c_base;
  uint64_t row_bytes; /* a shared-memory row: (kc + 8) halves */
  uint64_t b_smem;    /* B's stage in shared memory */
} wm_arg;

/* Registers: LDG data 0..7, fragments 8..13 (A 8..11, B 12..13), the
 * address 14, accumulators 16 + 4 x tile + chain (at most 48). */
enum { R_LD = 0, R_FA = 8, R_FB = 12, R_ADDR = 14, R_ACC = 16 };

static uint32_t wm_addr(const simt_inst *in, const simt_warp_ctx *w, uint32_t mask,
                        uint64_t *addr, const void *arg) {
  const wm_arg *a = arg;
  int tag = (int)in->addr.base;
  uint64_t sub = (uint64_t)in->addr.c_lo;
  uint64_t bn = w->cta[0], bm = w->cta[1], k16 = w->loop[1];
  uint64_t stage = w->loop[0] + (uint64_t)in->addr.c_hi; /* c_hi 1: the next stage's */
  uint64_t wm = w->warp_in_cta % 2, wn = w->warp_in_cta / 2;
  uint64_t per_row = a->kc / 8; /* 16-byte pieces in a stage's row */
  uint32_t out = 0;
  for (uint32_t m = mask; m; m &= m - 1) {
    uint32_t l = (uint32_t)__builtin_ctz(m);
    uint64_t t = w->lane_tid[l], ln = t & 31u, v = 0;
    bool ok = true;
    switch (tag) {
    case W_A_G:
    case W_B_G: { /* piece sub x 256 + t of the 128 x kc stage */
      uint64_t c = sub * 256 + t, row = c / per_row, kk = stage * a->kc + (c % per_row) * 8;
      uint64_t r = (tag == W_A_G ? bm : bn) * 128 + row, lim = tag == W_A_G ? a->M : a->N;
      ok = r < lim && kk < a->K;
      v = (tag == W_A_G ? a->a_base : a->b_base) + 2 * (r * a->K + kk);
      break;
    }
    case W_A_S:
    case W_B_S: {
      uint64_t c = sub * 256 + t;
      v = (tag == W_B_S ? a->b_smem : 0) + (c / per_row) * a->row_bytes + (c % per_row) * 16;
      break;
    }
    case W_A_F:
    case W_B_F: { /* fragment `sub` of 16 rows: lane -> row ln % 16, half ln / 16 */
      uint64_t row = (tag == W_A_F ? wm * 64 : wn * 32) + sub * 16 + ln % 16;
      v = (tag == W_B_F ? a->b_smem : 0) + row * a->row_bytes + k16 * 32 + (ln / 16) * 16;
      break;
    }
    case W_C_G:
    default: { /* rows 4 sub .. 4 sub + 3 of the warp's 64 x 32 */
      uint64_t row = bm * 128 + wm * 64 + sub * 4 + ln / 8, col = bn * 128 + wn * 32 + (ln % 8) * 4;
      ok = row < a->M && col < a->N;
      v = a->c_base + 4 * (row * a->N + col);
      break;
    }
    }
    if (!ok) continue;
    addr[l] = v;
    out |= 1u << l;
  }
  return out;
}

static simt_inst *MEM(bld *b, simt_op op, uint16_t reg, int tag, uint64_t sub) {
  bool store = op == SIMT_OP_STG || op == SIMT_OP_STS;
  simt_inst *in = E(b, op, store ? RN : reg, store ? reg : R_ADDR, store ? R_ADDR : RN, RN);
  in->addr_fn = wm_addr;
  in->addr.base = tag;
  in->addr.c_lo = (int64_t)sub;
  in->h.width = 16;
  return in;
}

static simt_inst *LOOP(bld *b, uint32_t head, uint8_t id, uint64_t trip) {
  simt_inst *br = E(b, SIMT_OP_BRA, RN, RN, RN, RN);
  br->cond = SIMT_COND_LOOP;
  br->loop_id = id;
  br->trip = (uint32_t)trip;
  br->target = head;
  return br;
}

uint8_t simt_wmma_mma_of(unsigned sm_arch) {
  static const uint8_t newest_first[] = {SIMT_MMA_HMMA_16816, SIMT_MMA_HMMA_1688,
                                         SIMT_MMA_HMMA_884};
  for (size_t i = 0; i < sizeof newest_first; i++)
    if (simt_mma_min_arch(newest_first[i]) <= sm_arch) return newest_first[i];
  return SIMT_MMA_NONE;
}

em_status simt_wmma_gemm_of(simt_wmma_gemm *p, simt_wmma_lib lib, uint64_t M, uint64_t N,
                            uint64_t K, unsigned sm_arch, uint64_t tensor_units, char *name,
                            em_diag *d) {
  memset(p, 0, sizeof *p);
  uint8_t mma = simt_wmma_mma_of(sm_arch);
  if (mma == SIMT_MMA_NONE)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "the WMMA GEMM needs tensor cores, which the GPU (sm_%u) lacks: they "
                       "arrive with Volta (sm_70)",
                       sm_arch);
  if (tensor_units == 0)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "the WMMA GEMM needs tensor cores, and the GPU has none "
                       "('tensor_units' is 0)");
  bool sample = lib == SIMT_WMMA_SAMPLE;
  *p = (simt_wmma_gemm){.M = M, .N = N, .K = K, .kc = sample ? 128 : 64, .mma = mma,
                        .load_c = sample, .prefetch = !sample,
                        /* the sample's SHMEM_SZ: 128 rows x (128 + 8) halves x 2 B x 2,
                         * its C staging tile fits under it */
                        .smem_bytes = sample ? 69632 : 0, .name = name};
  snprintf(name, 64, "%s_%llux%llux%llu", sample ? "cudaTensorCoreGemm" : "wmma_gemm_nn",
           (unsigned long long)M, (unsigned long long)N, (unsigned long long)K);
  return EM_OK;
}

em_status simt_gen_wmma_gemm(simt_kernel *k, const simt_wmma_gemm *p, em_diag *d) {
  simt_kernel_init(k, p->name ? p->name : "wmma-gemm");
  const uint64_t lim = 1ull << 20; /* M N K below 2^60 */
  if (p->M == 0 || p->N == 0 || p->K == 0 || p->M > lim || p->N > lim || p->K > lim)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "WMMA GEMM %llu x %llu x %llu",
                       (unsigned long long)p->M, (unsigned long long)p->N,
                       (unsigned long long)p->K);
  if (p->kc != 16 && p->kc != 32 && p->kc != 64 && p->kc != 128)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "WMMA GEMM K stage %u, not 16, 32, 64 or 128",
                       p->kc);
  const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, p->mma);
  if (p->mma == SIMT_MMA_NONE || p->mma >= SIMT_MMA_COUNT || mi->kind != SIMT_MMA_FP16 ||
      mi->sparse || 4096 % mi->macs != 0 || 16 % mi->k != 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "'%s' is not a dense fp16 MMA",
                       mi->name);
  uint32_t per_tile = 4096 / mi->macs, depth = 16 / mi->k, chains = per_tile / depth;
  if (chains == 0 || chains > 4)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "'%s' does not tile m16n16k16",
                       mi->name);
  wm_arg *a = calloc(1, sizeof *a);
  if (!a) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  k->owned = a;
  k->arg = a;
  a->M = p->M;
  a->N = p->N;
  a->K = p->K;
  a->kc = p->kc;
  a->row_bytes = 2 * (p->kc + 8);
  a->b_smem = 128 * a->row_bytes;
  uint64_t next = 256 * MIB;
  a->a_base = next;
  next += em_ceil_div_u64(2 * p->M * p->K, MIB) * MIB + MIB;
  a->b_base = next;
  next += em_ceil_div_u64(2 * p->K * p->N, MIB) * MIB + MIB;
  a->c_base = next;
  k->grid[0] = (uint32_t)em_ceil_div_u64(p->N, 128);
  k->grid[1] = (uint32_t)em_ceil_div_u64(p->M, 128);
  k->grid[2] = 1;
  k->block_threads = 256;
  k->regs_per_thread = 128; /* 64 accumulators a lane, fragments, staging */
  k->smem_bytes = p->smem_bytes ? p->smem_bytes : 2 * a->b_smem;
  bld b = {.k = k};
  uint64_t pieces = p->kc / 16; /* 16-byte pieces per thread per operand: 128 kc / 8 / 256 */

  /* without prefetch: each stage loads, stores to shared memory, waits and
   * computes; with it, stage 0 is staged first, and each stage's math runs
   * while the next stage's loads are in flight (stored after a barrier) */
  uint32_t stage_head = simt_pc(k);
  for (int pro = 0; pro < (p->prefetch ? 2 : 1); pro++) {
    if (p->prefetch && pro == 1) stage_head = simt_pc(k);
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_LDG, (uint16_t)(R_LD + i % 4), W_A_G, i)->addr.c_hi = pro;
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_LDG, (uint16_t)(R_LD + 4 + i % 4), W_B_G, i)->addr.c_hi = pro;
    if (pro == 1) break;
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_STS, (uint16_t)(R_LD + i % 4), W_A_S, i);
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_STS, (uint16_t)(R_LD + 4 + i % 4), W_B_S, i);
    E(&b, SIMT_OP_BAR, RN, RN, RN, RN);
  }
  uint32_t k16_head = simt_pc(k);
  for (uint64_t f = 0; f < 4; f++)
    for (int h = 0; h < 2; h++) MEM(&b, SIMT_OP_LDS, (uint16_t)(R_FA + f), W_A_F, f);
  for (uint64_t f = 0; f < 2; f++)
    for (int h = 0; h < 2; h++) MEM(&b, SIMT_OP_LDS, (uint16_t)(R_FB + f), W_B_F, f);
  /* step s of the chains along K, over the 8 tiles (4 along M x 2 along N) */
  for (uint32_t s = 0; s < depth; s++)
    for (uint16_t tile = 0; tile < 8; tile++)
      for (uint16_t c = 0; c < chains; c++) {
        uint16_t acc = (uint16_t)(R_ACC + 4 * tile + c);
        simt_inst *in = E(&b, SIMT_OP_HMMA, acc, (uint16_t)(R_FA + tile % 4),
                          (uint16_t)(R_FB + tile / 4), acc);
        in->h.mma = p->mma;
      }
  LOOP(&b, k16_head, 1, p->kc / 16);
  E(&b, SIMT_OP_BAR, RN, RN, RN, RN);
  if (p->prefetch) {
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_STS, (uint16_t)(R_LD + i % 4), W_A_S, i);
    for (uint64_t i = 0; i < pieces; i++)
      MEM(&b, SIMT_OP_STS, (uint16_t)(R_LD + 4 + i % 4), W_B_S, i);
    E(&b, SIMT_OP_BAR, RN, RN, RN, RN);
  }
  LOOP(&b, stage_head, 0, em_ceil_div_u64(p->K, p->kc));
  /* epilogue: 16 rows-of-four a warp, 4 floats a lane each */
  for (uint64_t q = 0; q < 16; q++) {
    uint16_t acc = (uint16_t)(R_ACC + (q % 8) * 4);
    if (p->load_c) MEM(&b, SIMT_OP_LDG, R_LD, W_C_G, q);
    for (int e = 0; e < 4; e++)
      E(&b, SIMT_OP_FFMA, acc, acc, p->load_c ? R_LD : acc, RN);
    MEM(&b, SIMT_OP_STG, acc, W_C_G, q);
  }
  E(&b, SIMT_OP_EXIT, RN, RN, RN, RN);
  if (b.k->emit_failed) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status s = simt_program_finalize(k, d);
  if (s != EM_OK) return s;
  uint64_t macs = p->M * p->N * p->K; /* below 2^93 in principle: sizes are checked */
  k->flops = k->tensor_flops = 2 * macs;
  k->tensor_fp16_macs = macs / mi->macs * mi->fp16_macs;
  k->min_dram_bytes = 2 * p->M * p->K + 2 * p->K * p->N + 4 * p->M * p->N * (p->load_c ? 2 : 1);
  k->min_dram_write_bytes = 4 * p->M * p->N; /* C: L2 may hold it (simt_roofline_cycles) */
  return EM_OK;
}
