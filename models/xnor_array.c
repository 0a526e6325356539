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
  return EM_OK;
}
