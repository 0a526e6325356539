/*
 * xnor_array.c - FINN MVAU folding (xnor_array.h). Source: Umuroglu et al.,
 * "FINN: A Framework for Fast, Scalable Binarized Neural Network Inference",
 * FPGA 2017: a layer's MH x MW matrix folds onto PE x SIMD, taking
 * (MH/PE)*(MW/SIMD) cycles per input vector. Grouped layers run one group
 * after another.
 */
#include "xnor_array.h"

#include <string.h>

#include "em_checked.h"

em_status xnor_config_validate(const xnor_config *c, em_diag *d) {
  if (c->pe < 1 || c->simd < 1 || c->pe > 65536 || c->simd > 65536)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "'--pe' and '--simd' must be in [1, 65536], got %u and %u", c->pe, c->simd);
  return EM_OK;
}

em_status xnor_layer(const xnor_config *c, const wl_layer *l, xnor_stats *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return EM_OK;
  if (l->w.fp || l->w.bits != 1)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, l->src_line, 0,
                       "layer '%s': an XNOR array needs binary weights, got %u-bit%s weights "
                       "(use --bits 1:1 or 1:k, or the bit-serial array)",
                       l->name, (unsigned)l->w.bits, l->w.fp ? " fp" : "");
  if (l->a.fp)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, l->src_line, 0,
                       "layer '%s': an XNOR array needs integer activations", l->name);
  out->mh = v.n;
  out->mw = v.k;
  out->vectors = v.m;
  out->neuron_fold = em_ceil_div_u64(v.n, c->pe);
  out->synapse_fold = em_ceil_div_u64(v.k, c->simd);
  out->passes = l->a.bits;
  uint64_t f[5] = {v.groups, out->neuron_fold, out->synapse_fold, out->vectors, out->passes};
  if (!em_mul_n_u64(f, 5, &out->cycles))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': cycle count overflows 64 bits", l->name);
  out->utilization_pct = 100.0 * (double)v.groups * v.n * v.k * v.m * out->passes /
                         ((double)out->cycles * c->pe * c->simd);
  long double wbits = (long double)v.groups * v.n * v.k;
  long double srd = (long double)out->cycles * c->pe * c->simd;
  long double in = (long double)v.groups * v.m * v.k * l->a.bits;
  long double outb = (long double)v.groups * v.m * v.n * l->a.bits;
  if (srd > 1.8e19L || in + wbits > 1.8e19L || outb > 1.8e19L)
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': memory traffic overflows 64 bits", l->name);
  out->weight_bits = (uint64_t)wbits;
  out->weight_sram_read_bits = (uint64_t)srd;
  out->dram_read_bits = (uint64_t)(in + wbits);
  out->dram_write_bits = (uint64_t)outb;
  return EM_OK;
}

em_status xnor_layer_energy(const xnor_config *c, const xnor_stats *s, const cm_energy_table *t,
                            xnor_energy *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  if (s->cycles == 0) return EM_OK;
  cm_energy_value a1, acc, wr, dr, dw;
  uint64_t cap = (s->weight_bits + 7) / 8;
  em_status st;
  if ((st = cm_energy_add(t, false, 1, &a1, d)) != EM_OK ||
      (st = cm_energy_add(t, false, 16, &acc, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, cap ? cap : 1, c->simd, &wr, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, 64, &dr, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_DRAM_WRITE, 0, 64, &dw, d)) != EM_OK)
    return st;
  double pe_cycles = (double)s->cycles * c->pe;
  out->compute_pj = pe_cycles * (2.0 * c->simd * a1.energy_pj + acc.energy_pj);
  out->sram_pj = pe_cycles * wr.energy_pj;
  out->dram_pj = (double)s->dram_read_bits / 64.0 * dr.energy_pj +
                 (double)s->dram_write_bits / 64.0 * dw.energy_pj;
  out->total_pj = out->compute_pj + out->sram_pj + out->dram_pj;
  return EM_OK;
}
