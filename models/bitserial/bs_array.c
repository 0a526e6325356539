/*
 * bs_array.c - BISMO-style bit-serial array (bs_array.h).
 * Source of the architecture and of its published instance: Umuroglu,
 * Rasnayake, Sjalander, "BISMO: A Scalable Bit-Serial Matrix
 * Multiplication Overlay for Reconfigurable Computing", FPL 2018 (8 x 256 x 8
 * at 200 MHz, 6.5 binary TOPS in its README; 2*8*256*8*200e6 = 6.55e12).
 */
#include "bs_array.h"

#include <stdio.h>
#include <string.h>

#include "em_checked.h"
#include "mac_arith.h"

/* BISMO's execute-stage latency, ExecStageParams.getLatency() of its FPL
 * 2018 release (github EECS-NTNU/bismo, tag v1.0, src/main/scala/), at the
 * default build parameters of BISMO.scala (bramPipelineBefore = After = 1,
 * extraRegs_DPA = extraRegs_DPU = extraRegs_PC = 0):
 *   ExecStage.scala        BRAM read: address reg + BRAM + data reg     3
 *   DotProductArray.scala  broadcast register                           1
 *   DotProductUnit.scala   input, AND, popcount-result, shift, negate
 *                          and accumulator registers                    6
 *   PopCountUnit.scala     input reg + output reg + adder tree of
 *                          ceil(log2 ceil(Dk / 36)) levels over its
 *                          36-to-6 compressors                       2 + t
 * = 12 + t: 15 at Dk = 256 (8 compressors, t = 3). */
uint32_t bs_fill_cycles(uint32_t dk) {
  uint64_t compressors = ((uint64_t)dk + 35) / 36; /* ceil(dk / 36) */
  uint32_t tree = 0;                                /* ceil(log2 compressors) */
  while (tree < 32 && (1ull << tree) < compressors) tree++;
  return 3 + 1 + 6 + 2 + tree;
}

bs_config bs_config_bismo(void) {
  bs_config c = {8, 256, 8, 200.0, 0, 0, 0, 32};
  c.fill_cycles = bs_fill_cycles(c.dk);
  c.lhs_buf_bytes = 8ull * 1024 * 256 / 8;
  c.rhs_buf_bytes = 8ull * 1024 * 256 / 8;
  return c;
}

double bs_peak_binary_ops(const bs_config *c) {
  return 2.0 * c->dm * c->dk * c->dn * c->freq_mhz * 1e6;
}

double bs_peak_ops(const bs_config *c, unsigned b_a, unsigned b_w) {
  return bs_peak_binary_ops(c) / ((double)b_a * b_w);
}

em_status bs_config_validate(const bs_config *c, em_diag *d) {
  if (c->dm < 1 || c->dk < 1 || c->dn < 1 || c->dm > 65536 || c->dk > 65536 || c->dn > 65536)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "bit-serial array must be DmxDkxDn with each in [1, 65536], got %ux%ux%u",
                       c->dm, c->dk, c->dn);
  if (!(c->freq_mhz > 0)) return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "frequency must be > 0");
  return EM_OK;
}

em_status bs_layer_check(const bs_config *c, const wl_layer *l, em_diag *d) {
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return EM_OK;
  if (l->w.fp || l->a.fp || l->w.bits > 32 || l->a.bits > 32)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, l->src_line, 0,
                       "layer '%s': a bit-serial array runs integer operands of 1..32 bits; "
                       "give --bits (e.g. 4:4)",
                       l->name);
  /* every DPU accumulates a result's K products in one register of
   * acc_bits (BISMO's accWidth: DotProductUnit.scala's regAcc, written out
   * whole by the result stage); a result wider than that wraps */
  unsigned need = mac_acc_bits(l->w.bits, l->a.bits, v.k);
  if (need > c->acc_bits) {
    char wb[16], ab[16];
    wl_prec_format(l->w, wb, sizeof wb);
    wl_prec_format(l->a, ab, sizeof ab);
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, l->src_line, 0,
                       "layer '%s': weights %s and activations %s over K = %llu need a %u-bit "
                       "accumulator (%u + %u + ceil(log2 %llu)), wider than the bit-serial "
                       "array's %u bits (BISMO's accWidth): its results would wrap",
                       l->name, wb, ab, (unsigned long long)v.k, need, (unsigned)l->w.bits,
                       (unsigned)l->a.bits, (unsigned long long)v.k, (unsigned)c->acc_bits);
  }
  return EM_OK;
}

em_status bs_layer(const bs_config *c, const wl_layer *l, bs_stats *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return EM_OK;
  em_status chk = bs_layer_check(c, l, d);
  if (chk != EM_OK) return chk;
  uint64_t tm = em_ceil_div_u64(v.m, c->dm), tn = em_ceil_div_u64(v.n, c->dn);
  uint64_t f[3] = {v.groups, tm, tn};
  uint64_t tiles, cyc, ops;
  out->slices = em_ceil_div_u64(v.k, c->dk);
  out->plane_pairs = (uint64_t)l->a.bits * l->w.bits;
  if (!em_mul_n_u64(f, 3, &tiles) || !em_mul_u64(tiles, out->slices, &cyc) ||
      !em_mul_u64(cyc, out->plane_pairs, &cyc))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': cycle count overflows 64 bits", l->name);
  out->tiles = tiles;
  out->compute_cycles = cyc;
  /* BISMO's fetch, execute and result stages overlap, and a tile's runs
   * (one per plane pair) are issued back to back, but the execute pipeline
   * drains at the end of every output tile: the tile's sync instructions
   * wait until no run is outstanding before its results go to the result
   * stage (DecoupledController.scala, sWaitComplete; hls/ExecInstrGen.cpp),
   * so each tile pays the fill. Its Dm result rows are written while the
   * next tile executes and drains: a tile costs max(execute + fill, Dm). */
  uint64_t per_tile = out->slices * out->plane_pairs + c->fill_cycles;
  uint64_t result_stall = per_tile < c->dm ? c->dm - per_tile : 0;
  if (!em_mul_u64(tiles, c->fill_cycles + result_stall, &out->overhead_cycles) ||
      !em_add_u64(cyc, out->overhead_cycles, &out->total_cycles))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': cycle count overflows 64 bits", l->name);
  uint64_t g[5] = {v.groups, v.m, v.n, v.k, out->plane_pairs};
  if (!em_mul_n_u64(g, 5, &ops) || !em_mul_u64(ops, 2, &ops))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': operation count overflows 64 bits", l->name);
  out->binary_ops = ops;
  /* memory traffic (bits; doubles are exact far beyond these sizes' needs,
   * the products are checked through a long double bound) */
  uint64_t kpad = out->slices * c->dk;
  long double a_tile = (long double)c->dm * kpad * l->a.bits;
  long double b_all = (long double)tn * c->dn * kpad * l->w.bits;
  long double a_rd = (long double)v.groups * tm * a_tile *
                     (a_tile <= 8.0L * c->lhs_buf_bytes ? 1 : tn);
  long double b_rd = (long double)v.groups * b_all * (b_all <= 8.0L * c->rhs_buf_bytes ? 1 : tm);
  long double res = (long double)v.groups * v.m * v.n * c->acc_bits;
  long double rd = (long double)cyc * (c->dm + c->dn) * c->dk +
                   (long double)tiles * c->dm * c->dn * c->acc_bits;
  long double wr = a_rd + b_rd + (long double)tiles * c->dm * c->dn * c->acc_bits;
  if (a_rd + b_rd > 1.8e19L || rd > 1.8e19L || wr > 1.8e19L)
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': memory traffic overflows 64 bits", l->name);
  out->dram_read_bits = (uint64_t)(a_rd + b_rd);
  out->dram_write_bits = (uint64_t)res;
  out->sram_read_bits = (uint64_t)rd;
  out->sram_write_bits = (uint64_t)wr;
  out->utilization_pct =
      100.0 * (double)ops / ((double)out->total_cycles * 2.0 * c->dm * c->dk * c->dn);
  return EM_OK;
}

em_status bs_layer_energy(const bs_config *c, const bs_stats *s, const cm_energy_table *t,
                          bs_energy *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  cm_energy_value a1, acc, lhs, rhs, res_w, dr, dw;
  em_status st;
  /* one SRAM per DPU row (LHS) and column (RHS), as bs_hw.c's area builds
   * them: Dm reads of Dk bits, each at one row buffer's capacity, cost what
   * one read of Dm x Dk bits at that capacity costs (linear in bits) */
  uint64_t lhs_cap = (c->lhs_buf_bytes + c->dm - 1) / c->dm;
  uint64_t rhs_cap = (c->rhs_buf_bytes + c->dn - 1) / c->dn;
  if ((st = cm_energy_add(t, false, 1, &a1, d)) != EM_OK ||
      (st = cm_energy_add(t, false, c->acc_bits, &acc, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, lhs_cap, (uint64_t)c->dm * c->dk, &lhs, d)) !=
          EM_OK ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, rhs_cap, (uint64_t)c->dn * c->dk, &rhs, d)) !=
          EM_OK ||
      (st = cm_energy_mem(t, CM_OP_SRAM_WRITE, lhs_cap, 64, &res_w, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, 64, &dr, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_DRAM_WRITE, 0, 64, &dw, d)) != EM_OK)
    return st;
  double dpus = (double)c->dm * c->dn;
  out->compute_pj =
      (double)s->compute_cycles * dpus * (2.0 * c->dk * a1.energy_pj + acc.energy_pj);
  /* every execute cycle reads one LHS and one RHS slice; the other SRAM
   * traffic (fills, results) is charged per 64 bits at one LHS buffer's
   * capacity */
  double slice_bits = (double)s->compute_cycles * (c->dm + c->dn) * c->dk;
  double other_rd = (double)s->sram_read_bits - slice_bits;
  out->sram_pj = (double)s->compute_cycles * (lhs.energy_pj + rhs.energy_pj) +
                 (other_rd + (double)s->sram_write_bits) / 64.0 * res_w.energy_pj;
  out->dram_pj = (double)s->dram_read_bits / 64.0 * dr.energy_pj +
                 (double)s->dram_write_bits / 64.0 * dw.energy_pj;
  out->total_pj = out->compute_pj + out->sram_pj + out->dram_pj;
  return EM_OK;
}

bool bs_k_padding_note(const bs_config *c, const wl_layer *l, const uint64_t *cycles, size_t n,
                       double min_share, char *buf, size_t size) {
  size_t npad = 0, worst = 0;
  uint64_t pad_cycles = 0, tot = 0, worst_k = 0, worst_kpad = 1;
  for (size_t i = 0; i < n; i++) {
    if (!cycles[i]) continue;
    tot += cycles[i];
    uint64_t k = wl_layer_gemm_view(&l[i]).k;
    uint64_t kpad = (k / c->dk + (k % c->dk != 0)) * c->dk;
    if (k < kpad - k) { /* 2 k < kpad (kpad >= k), without overflow */
      if (!npad || k * worst_kpad < worst_k * kpad) {
        worst = i;
        worst_k = k;
        worst_kpad = kpad;
      }
      npad++;
      pad_cycles += cycles[i];
    }
  }
  if (!npad || (double)pad_cycles < min_share * (double)tot) return false;
  snprintf(buf, size,
           "K is padded to a multiple of Dk = %u, as BISMO's runtime pads its matrices, in the "
           "cycles and in the DRAM reads; %zu layer%s fill%s under half of it (%s: K %llu of "
           "%llu), %.1f %% of the total cycles",
           c->dk, npad, npad == 1 ? "" : "s", npad == 1 ? "s" : "", l[worst].name,
           (unsigned long long)worst_k, (unsigned long long)worst_kpad,
           100.0 * (double)pad_cycles / (double)tot);
  return true;
}
