/*
 * cm_cost.c - closed-form cost of layers and networks (cm_cost.h).
 *
 * Units: counts are plain numbers (uint64_t, overflow checked), bytes are
 * bytes, energy is picojoules.  Sources: the study book's CNN cost formulas
 * (parameters and MACs of plain and grouped convolutions), its BOPS formula
 * (after Baskin et al., UNIQ, arXiv 1804.10969) and the HAWQ-V3 convention
 * MACs*b_w*b_a; energy per operation from an energy table (cm_energy.h).
 * A layer with one fp operand is costed as fp at its wider width.
 */
#include "cm_cost.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "em_checked.h"

double cm_bops(uint64_t positions, uint64_t m, uint64_t n, uint64_t k2, unsigned b_w,
               unsigned b_a) {
  double per_out = (double)n * (double)k2; /* products accumulated per output */
  double b_o = b_a + b_w + log2(per_out);
  return (double)positions * (double)m * per_out * ((double)b_a * b_w + b_o);
}

static em_status overflow(em_diag *d, const wl_layer *l, const char *what) {
  return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                     "layer '%s': %s overflows 64 bits", l->name, what);
}

/* ceil(n x bits / 8) without the product in bits, which may not fit 64
 * bits where the bytes do (2^62 int8 weights: 2^65 bits, 2^62 bytes):
 * (n / 8) bits + ceil((n % 8) bits / 8). */
static bool bits_to_bytes(uint64_t n, unsigned bits, uint64_t *bytes) {
  uint64_t whole;
  if (!em_mul_u64(n / 8, bits, &whole)) return false;
  return em_add_u64(whole, em_ceil_div_u64((n % 8) * bits, 8), bytes);
}

static em_status energy(const wl_layer *l, const cm_energy_table *t, double acc_bits,
                        cm_layer_cost *c, em_diag *d) {
  cm_energy_value mult, add;
  bool fp = l->w.fp || l->a.fp;
  unsigned wb = l->w.bits, ab = l->a.bits;
  em_status st;
  if (fp) {
    unsigned width = wb > ab ? wb : ab;
    if ((st = cm_energy_mult(t, true, width, width, &mult, d)) != EM_OK) return st;
    if ((st = cm_energy_add(t, true, width, &add, d)) != EM_OK) return st;
  } else {
    if ((st = cm_energy_mult(t, false, wb, ab, &mult, d)) != EM_OK) return st;
    if ((st = cm_energy_add(t, false, (unsigned)ceil(acc_bits - 1e-9), &add, d)) != EM_OK)
      return st;
  }
  c->mult_pj = mult.energy_pj;
  c->add_pj = add.energy_pj;
  c->compute_energy_pj = (double)c->macs * (c->mult_pj + c->add_pj);
  c->energy_scaled = mult.scaled || add.scaled;
  snprintf(c->energy_note, sizeof c->energy_note, "%s%s%s", mult.note,
           mult.scaled && add.scaled ? "; " : "", add.note);
  return EM_OK;
}

em_status cm_layer_cost_compute(const wl_layer *l, const cm_energy_table *t,
                                cm_layer_cost *out, em_diag *d) {
  cm_layer_cost c;
  memset(&c, 0, sizeof c);
  if (l->w.bits == 0 || l->a.bits == 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, l->src_line, 0,
                       "layer '%s': weight or activation format not set", l->name);
  uint64_t oh = wl_layer_out_h(l), ow = wl_layer_out_w(l), oc = wl_layer_out_c(l);
  uint64_t f4[4] = {l->batch, oh, ow, oc};
  if (l->kind == WL_GEMM) {
    f4[1] = l->m;
    f4[2] = 1;
  }
  if (!em_mul_n_u64(f4, 4, &c.activations)) return overflow(d, l, "output size");

  wl_gemm_view v = wl_layer_gemm_view(l);
  if (l->kind == WL_CONV || l->kind == WL_FC || l->kind == WL_GEMM) {
    uint64_t fm[4] = {v.groups, v.m, v.n, v.k};
    if (!em_mul_n_u64(fm, 4, &c.macs)) return overflow(d, l, "MAC count");
    if (!(l->kind == WL_GEMM && l->b_is_activation)) {
      uint64_t fw[3] = {v.groups, v.k, v.n}; /* = k_h*k_w*(C/G)*M for a conv */
      if (!em_mul_n_u64(fw, 3, &c.weights)) return overflow(d, l, "weight count");
      c.biases = l->bias ? oc : 0;
    }
    c.acc_bits = (double)l->a.bits + l->w.bits + log2((double)v.k);
    c.bops = (double)c.macs * ((double)l->a.bits * l->w.bits + c.acc_bits);
    c.bops_mac = (double)c.macs * l->w.bits * l->a.bits;
  }
  if (!em_add_u64(c.weights, c.biases, &c.params)) return overflow(d, l, "parameter count");
  uint64_t wbytes, bias_bytes;
  if (!bits_to_bytes(c.weights, l->w.bits, &wbytes) || !em_mul_u64(c.biases, 4, &bias_bytes) ||
      !em_add_u64(wbytes, bias_bytes, &c.weight_bytes))
    return overflow(d, l, "weight bytes");
  if (!bits_to_bytes(c.activations, l->a.bits, &c.activation_bytes))
    return overflow(d, l, "activation bytes");
  if (c.macs) {
    em_status st = energy(l, t, c.acc_bits, &c, d);
    if (st == EM_ERR_NOTFOUND && d) { /* a row the table lacks: say whose widths need it */
      char path[sizeof d->path], msg[sizeof d->msg], wb[16], ab[16];
      memcpy(path, d->path, sizeof path);
      memcpy(msg, d->msg, sizeof msg);
      wl_prec_format(l->w, wb, sizeof wb);
      wl_prec_format(l->a, ab, sizeof ab);
      em_diag_set(d, st, path[0] ? path : NULL, d->line, d->col,
                  "layer '%s' (weights %s, activations %s): %s", l->name, wb, ab, msg);
    }
    if (st != EM_OK) return st;
  }
  *out = c;
  return EM_OK;
}

em_status cm_network_cost(const wl_network *net, const cm_energy_table *t,
                          cm_layer_cost *per_layer, cm_layer_cost *total, em_diag *d) {
  cm_layer_cost sum;
  memset(&sum, 0, sizeof sum);
  for (size_t i = 0; i < net->n_layers; i++) {
    cm_layer_cost c;
    em_status st = cm_layer_cost_compute(&net->layers[i], t, &c, d);
    if (st != EM_OK) {
      if (d && !d->path[0]) { /* locate it in the network's source */
        char msg[sizeof d->msg];
        memcpy(msg, d->msg, sizeof msg);
        em_diag_set(d, st, net->source, d->line, 0, "%s", msg);
      }
      return st;
    }
    if (per_layer) per_layer[i] = c;
    if (!em_add_u64(sum.weights, c.weights, &sum.weights) ||
        !em_add_u64(sum.biases, c.biases, &sum.biases) ||
        !em_add_u64(sum.params, c.params, &sum.params) ||
        !em_add_u64(sum.macs, c.macs, &sum.macs) ||
        !em_add_u64(sum.activations, c.activations, &sum.activations) ||
        !em_add_u64(sum.weight_bytes, c.weight_bytes, &sum.weight_bytes) ||
        !em_add_u64(sum.activation_bytes, c.activation_bytes, &sum.activation_bytes))
      return em_diag_set(d, EM_ERR_OVERFLOW, net->source, 0, 0,
                         "network totals overflow 64 bits");
    sum.bops += c.bops;
    sum.bops_mac += c.bops_mac;
    sum.compute_energy_pj += c.compute_energy_pj;
    sum.energy_scaled = sum.energy_scaled || c.energy_scaled;
  }
  *total = sum;
  return EM_OK;
}
