/*
 * xnor_array.c - FINN MVAU folding (xnor_array.h). Source: Umuroglu et al.,
 * "FINN: A Framework for Fast, Scalable Binarized Neural Network Inference",
 * FPGA 2017: a layer's MH x MW matrix folds onto PE x SIMD, taking
 * (MH/PE)*(MW/SIMD) cycles per input vector. Grouped layers run one group
 * after another.  Memories, the DRAM bandwidth bound and their sources:
 * xnor_array.h.
 */
#include "xnor_array.h"

#include <math.h>
#include <string.h>

#include "em_checked.h"

em_status xnor_config_validate(const xnor_config *c, em_diag *d) {
  if (c->pe < 1 || c->simd < 1 || c->pe > 65536 || c->simd > 65536)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "'--pe' and '--simd' must be in [1, 65536], got %u and %u", c->pe, c->simd);
  if (!(c->weight_kib >= 0 && c->weight_kib <= 1e9))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "'weight_kib' must be in [0, 1e9], got %g", c->weight_kib);
  /* the key table's range (xnor_hw.c): 1 MB/s to 100 TB/s */
  if (!(c->dram_gbps >= 0.001 && c->dram_gbps <= 1e5))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "'dram_gbps' must be in [0.001, 100000], got %g", c->dram_gbps);
  return EM_OK;
}

/* Cycles of `freq_mhz` to move `bits` at `gbps` GB/s (10^9 bytes/s): a
 * cycle moves gbps x 10^9 x 8 / (freq_mhz x 10^6) = gbps x 8000 / freq_mhz
 * bits; rounded up.  A decimal rate is inexact in binary (12.8), so a
 * quotient within 1e-9 of a whole number is that number.  false past 64
 * bits. */
static bool dram_cycles(uint64_t bits, double gbps, double freq_mhz, uint64_t *out) {
  double q = (double)bits * freq_mhz / (gbps * 8000.0), r = nearbyint(q);
  q = fabs(q - r) <= 1e-9 * r ? r : ceil(q);
  if (!(q < 1.8e19)) return false;
  *out = (uint64_t)q;
  return true;
}

bool xnor_layer_memories(const xnor_config *c, const wl_layer *l, xnor_memories *out) {
  memset(out, 0, sizeof *out);
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return true;
  long double wb = (long double)v.groups * v.n * v.k * l->w.bits;
  if (wb > 1.8e19L) return false;
  out->weight_bits = (uint64_t)wb;
  /* KiB x 8192 bits; a layer that fits exactly is on chip */
  if (wb <= (long double)c->weight_kib * 8192.0L) out->weight_mem_bits = out->weight_bits;
  if (l->kind == WL_CONV && (l->k_h > 1 || l->k_w > 1)) {
    /* finn-hlslib ConvolutionInputGenerator: K/S + 1 blocks of S rows of
     * the padded map, K + S rows (no more than the map has); a 1 x 1
     * kernel's generator (ConvolutionInputGenerator_kernel1) has none */
    uint64_t ph = l->in_h + 2 * l->pad_h, pw = l->in_w + 2 * l->pad_w;
    uint64_t rows = l->k_h + l->stride_h;
    if (rows > ph) rows = ph;
    long double b = (long double)rows * pw * l->in_c * l->a.bits;
    if (b > 1.8e19L) return false;
    out->swu_buffer_bits = (uint64_t)b;
  }
  return true;
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
  if (!(c->dram_gbps > 0))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "'dram_gbps' must be > 0, got %g",
                       c->dram_gbps);
  uint64_t f[5] = {v.groups, out->neuron_fold, out->synapse_fold, out->vectors, out->passes};
  if (!em_mul_n_u64(f, 5, &out->compute_cycles))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': cycle count overflows 64 bits", l->name);
  if (!xnor_layer_memories(c, l, &out->mem))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': memory size overflows 64 bits", l->name);
  long double ab = l->a.bits, im2col = (long double)v.groups * v.m * v.k * ab;
  long double in = im2col, swu_w = 0, swu_r = 0;
  if (l->kind == WL_CONV) {
    /* the SWU reads the map once (padding is generated on chip, FINN's
     * FMPadding), writes it padded into its buffer, reads the im2col rows;
     * a 1 x 1 kernel's generator reads the map and forwards the pixels on
     * the stride's grid, no buffer */
    long double ph = (long double)(l->in_h + 2 * l->pad_h), pw = (long double)(l->in_w + 2 * l->pad_w);
    in = (long double)l->batch * l->in_h * l->in_w * l->in_c * ab;
    if (out->mem.swu_buffer_bits) {
      swu_w = (long double)l->batch * ph * pw * l->in_c * ab;
      swu_r = im2col;
    }
  }
  long double wbits = (long double)out->mem.weight_bits;
  long double srd = (long double)out->compute_cycles * c->pe * c->simd;
  long double wdram = wbits; /* on chip: loaded once */
  /* ... and written into the weight memory once, word by word: the words
   * the PEs read for one vector and pass (SIMD bits per PE and fold) */
  long double swr =
      (long double)v.groups * out->neuron_fold * out->synapse_fold * c->pe * c->simd;
  out->weights_streamed = out->mem.weight_mem_bits == 0;
  if (out->weights_streamed) { /* every use: each vector, each pass */
    wdram = wbits * (long double)v.m * (long double)out->passes;
    srd = 0;
    swr = 0;
  }
  long double outb = (long double)v.groups * v.m * v.n * ab;
  if (srd > 1.8e19L || swr > 1.8e19L || in + wdram > 1.8e19L || outb > 1.8e19L ||
      swu_w > 1.8e19L || swu_r > 1.8e19L)
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': memory traffic overflows 64 bits", l->name);
  out->weight_bits = out->mem.weight_bits;
  out->weight_sram_read_bits = (uint64_t)srd;
  out->weight_sram_write_bits = (uint64_t)swr;
  out->input_dram_bits = (uint64_t)in;
  out->weight_dram_bits = (uint64_t)wdram;
  out->dram_read_bits = out->input_dram_bits + out->weight_dram_bits;
  out->dram_write_bits = (uint64_t)outb;
  out->swu_write_bits = (uint64_t)swu_w;
  out->swu_read_bits = (uint64_t)swu_r;
  /* every DRAM bit the layer moves, overlapped with its compute (double
   * buffered: xnor_array.h), so the slower of the two sets its time */
  uint64_t dbits;
  if (!em_add_u64(out->dram_read_bits, out->dram_write_bits, &dbits) ||
      !dram_cycles(dbits, c->dram_gbps, c->freq_mhz, &out->dram_cycles))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': DRAM cycle count overflows 64 bits", l->name);
  out->cycles =
      out->compute_cycles > out->dram_cycles ? out->compute_cycles : out->dram_cycles;
  out->utilization_pct = 100.0 * (double)v.groups * v.n * v.k * v.m * out->passes /
                         ((double)out->cycles * c->pe * c->simd);
  return EM_OK;
}

em_status xnor_layer_energy(const xnor_config *c, const xnor_stats *s, const cm_energy_table *t,
                            xnor_energy *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  if (s->compute_cycles == 0) return EM_OK;
  cm_energy_value a1, acc, wr = {0}, ww = {0}, dr, dw, sr = {0}, sw = {0};
  uint64_t cap = (s->mem.weight_mem_bits + 7) / 8, swu = (s->mem.swu_buffer_bits + 7) / 8;
  em_status st;
  if ((st = cm_energy_add(t, false, 1, &a1, d)) != EM_OK ||
      (st = cm_energy_add(t, false, 16, &acc, d)) != EM_OK ||
      (s->weight_sram_read_bits &&
       (st = cm_energy_mem(t, CM_OP_SRAM_READ, cap ? cap : 1, c->simd, &wr, d)) != EM_OK) ||
      (s->weight_sram_write_bits &&
       (st = cm_energy_mem(t, CM_OP_SRAM_WRITE, cap ? cap : 1, c->simd, &ww, d)) != EM_OK) ||
      (s->swu_read_bits &&
       ((st = cm_energy_mem(t, CM_OP_SRAM_WRITE, swu ? swu : 1, 64, &sw, d)) != EM_OK ||
        (st = cm_energy_mem(t, CM_OP_SRAM_READ, swu ? swu : 1, 64, &sr, d)) != EM_OK)) ||
      (st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, 64, &dr, d)) != EM_OK ||
      (st = cm_energy_mem(t, CM_OP_DRAM_WRITE, 0, 64, &dw, d)) != EM_OK)
    return st;
  /* the PEs work (and read their weights) in compute cycles only; cycles
   * spent waiting on DRAM cost leakage alone (the model table's) */
  double pe_cycles = (double)s->compute_cycles * c->pe;
  out->compute_pj = pe_cycles * (2.0 * c->simd * a1.energy_pj + acc.energy_pj);
  /* weight reads: SIMD bits per PE and cycle; the weights' load into the
   * weight memory: SIMD-bit writes, the words those reads address (FC-2 on
   * 32 x 32: 524,288 x 50 pJ = 26,214,400 pJ at Horowitz's 100 pJ per 64
   * bits); SWU: bits / 64 accesses */
  out->sram_pj = (s->weight_sram_read_bits ? pe_cycles * wr.energy_pj : 0.0) +
                 (double)(s->weight_sram_write_bits / c->simd) * ww.energy_pj +
                 (double)s->swu_write_bits / 64.0 * sw.energy_pj +
                 (double)s->swu_read_bits / 64.0 * sr.energy_pj;
  out->dram_pj = (double)s->dram_read_bits / 64.0 * dr.energy_pj +
                 (double)s->dram_write_bits / 64.0 * dw.energy_pj;
  out->total_pj = out->compute_pj + out->sram_pj + out->dram_pj;
  return EM_OK;
}
