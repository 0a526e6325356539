/*
 * bs_array.c - BISMO-style bit-serial array (bs_array.h).
 * Source of the architecture and of its published instance: Umuroglu,
 * Rasnayake, Sjalander, "BISMO: A Scalable Bit-Serial Matrix
 * Multiplication Overlay for Reconfigurable Computing", FPL 2018 (8 x 256 x 8
 * at 200 MHz, 6.5 binary TOPS in its README; 2*8*256*8*200e6 = 6.55e12).
 */
#include "bs_array.h"

#include <math.h>
#include <string.h>

#include "em_checked.h"

bs_config bs_config_bismo(void) {
  bs_config c = {8, 256, 8, 200.0, 0};
  c.fill_cycles = 1 + 1 + (uint32_t)ceil(log2(256.0)) + 1;
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

em_status bs_layer(const bs_config *c, const wl_layer *l, bs_stats *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return EM_OK;
  if (l->w.fp || l->a.fp || l->w.bits > 32 || l->a.bits > 32)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, l->src_line, 0,
                       "layer '%s': a bit-serial array runs integer operands of 1..32 bits; "
                       "give --bits (e.g. 4:4)",
                       l->name);
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
  /* BISMO's fetch, execute and result stages overlap: a tile's Dm result
   * rows are written while the next tile executes, so a tile costs
   * max(execute, Dm) cycles, and the pipeline fills once per layer. */
  uint64_t per_tile = out->slices * out->plane_pairs;
  uint64_t result_stall = per_tile < c->dm ? c->dm - per_tile : 0;
  out->overhead_cycles = c->fill_cycles + tiles * result_stall;
  out->total_cycles = out->compute_cycles + out->overhead_cycles;
  uint64_t g[5] = {v.groups, v.m, v.n, v.k, out->plane_pairs};
  if (!em_mul_n_u64(g, 5, &ops) || !em_mul_u64(ops, 2, &ops))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': operation count overflows 64 bits", l->name);
  out->binary_ops = ops;
  out->utilization_pct =
      100.0 * (double)ops / ((double)out->total_cycles * 2.0 * c->dm * c->dk * c->dn);
  return EM_OK;
}
