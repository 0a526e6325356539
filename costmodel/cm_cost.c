/*
 * cm_cost.c - closed-form cost of layers and networks (cm_cost.h).
 *
 * Units: counts are plain numbers (uint64_t, overflow checked), bytes are
 * bytes, energy is picojoules.  Sources: the study book's CNN cost formulas
 * (parameters and MACs of plain and grouped convolutions), its BOPS formula
 * (after Baskin et al., UNIQ, arXiv 1804.10969) and the HAWQ-V3 convention
 * MACs*b_w*b_a; energy per operation from an energy table (cm_energy.h).
 * A layer with one fp operand is costed as fp at its wider width.  The DRAM
 * traffic (every tensor crosses DRAM once: inputs no earlier layer produced,
 * weights, outputs) is the project's own model, not the study book's.
 */
#include "cm_cost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The operands of layer l that are not weights: n (1 or 2) tensors of
 * size[i] elements, count[i] of each (an element-wise add reads two of one
 * size).  False if a size overflows 64 bits. */
static bool operands(const wl_layer *l, uint64_t size[2], uint64_t count[2], size_t *n) {
  *n = 1;
  count[0] = count[1] = 1;
  switch (l->kind) {
  case WL_FC: return em_mul_u64(l->batch, l->in_c, &size[0]);
  case WL_GEMM: {
    uint64_t fa[3] = {l->batch, l->m, l->k}, fb[3] = {l->batch, l->k, l->n};
    if (!em_mul_n_u64(fa, 3, &size[0])) return false;
    if (!l->b_is_activation) return true;
    *n = 2;
    return em_mul_n_u64(fb, 3, &size[1]);
  }
  case WL_ELTWISE: count[0] = l->eltwise_inputs ? l->eltwise_inputs : 1; /* fall through */
  default: {
    uint64_t f[4] = {l->batch, l->in_h, l->in_w, l->in_c};
    return em_mul_n_u64(f, 4, &size[0]);
  }
  }
}

/* The output's elements, batch*out_h*out_w*out_c (batch*M*N for a GEMM). */
static bool outputs(const wl_layer *l, uint64_t *n) {
  uint64_t f4[4] = {l->batch, wl_layer_out_h(l), wl_layer_out_w(l), wl_layer_out_c(l)};
  if (l->kind == WL_GEMM) {
    f4[1] = l->m;
    f4[2] = 1;
  }
  return em_mul_n_u64(f4, 4, n);
}

/* The elements of all of l's operands. False if they overflow 64 bits. */
static bool input_elements(const wl_layer *l, uint64_t *all) {
  uint64_t size[2], count[2], part;
  size_t n;
  *all = 0;
  if (!operands(l, size, count, &n)) return false;
  for (size_t i = 0; i < n; i++)
    if (!em_mul_u64(size[i], count[i], &part) || !em_add_u64(*all, part, all)) return false;
  return true;
}

em_status cm_layer_set_fresh_inputs(const wl_layer *l, uint64_t fresh, cm_layer_cost *c,
                                    em_diag *d) {
  if (!bits_to_bytes(fresh, l->a.bits, &c->dram_input_bytes) ||
      !em_add_u64(c->weight_bytes, c->dram_input_bytes, &c->dram_bytes) ||
      !em_add_u64(c->dram_bytes, c->activation_bytes, &c->dram_bytes))
    return overflow(d, l, "DRAM bytes");
  return EM_OK;
}

em_status cm_layer_count(const wl_layer *l, cm_layer_cost *out, em_diag *d) {
  cm_layer_cost c;
  em_status st = EM_OK;
  memset(&c, 0, sizeof c);
  if (l->w.bits == 0 || l->a.bits == 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, l->src_line, 0,
                       "layer '%s': weight or activation format not set", l->name);
  if (!outputs(l, &c.activations)) return overflow(d, l, "output size");
  if (!input_elements(l, &c.inputs)) return overflow(d, l, "input size");

  wl_gemm_view v = wl_layer_gemm_view(l);
  if (l->kind == WL_CONV || l->kind == WL_FC || l->kind == WL_GEMM) {
    uint64_t fm[4] = {v.groups, v.m, v.n, v.k};
    if (!em_mul_n_u64(fm, 4, &c.macs)) return overflow(d, l, "MAC count");
    if (!(l->kind == WL_GEMM && l->b_is_activation)) {
      uint64_t fw[3] = {v.groups, v.k, v.n}; /* = k_h*k_w*(C/G)*M for a conv */
      if (!em_mul_n_u64(fw, 3, &c.weights)) return overflow(d, l, "weight count");
      c.biases = l->bias ? wl_layer_out_c(l) : 0;
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
  if (!bits_to_bytes(c.inputs, l->a.bits, &c.input_bytes)) return overflow(d, l, "input bytes");
  /* alone, a layer is its own network: every input is the network's */
  if ((st = cm_layer_set_fresh_inputs(l, c.inputs, &c, d)) != EM_OK) return st;
  *out = c;
  return EM_OK;
}

em_status cm_layer_cost_compute(const wl_layer *l, const cm_energy_table *t,
                                cm_layer_cost *out, em_diag *d) {
  cm_layer_cost c;
  em_status st = cm_layer_count(l, &c, d);
  if (st != EM_OK) return st;
  if (c.macs) {
    st = energy(l, t, c.acc_bits, &c, d);
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

/* Locates d's message in the network's source where it names no file. */
static em_status in_network(const wl_network *net, em_status st, em_diag *d) {
  if (d && !d->path[0]) {
    char msg[sizeof d->msg];
    memcpy(msg, d->msg, sizeof msg);
    em_diag_set(d, st, net->source, d->line, 0, "%s", msg);
  }
  return st;
}

/* A tensor size and the first layer that has it (cm_network_fresh_inputs). */
typedef struct {
  uint64_t size;
  size_t layer;
} sized;

static int by_size_then_layer(const void *a, const void *b) {
  const sized *x = a, *y = b;
  if (x->size != y->size) return x->size < y->size ? -1 : 1;
  return (x->layer > y->layer) - (x->layer < y->layer);
}

/* The first layer that has a tensor of `size` (items sorted, size present). */
static size_t first_with(const sized *items, size_t n, uint64_t size) {
  size_t lo = 0, hi = n;
  while (lo < hi) { /* the first item not below size */
    size_t mid = lo + (hi - lo) / 2;
    if (items[mid].size < size) lo = mid + 1;
    else hi = mid;
  }
  return items[lo].layer;
}

/* A feature map a layer writes (conv, pool, element-wise): its batch,
 * channels, height and width, and the layer. */
typedef struct {
  uint64_t batch, c, h, w;
  size_t layer;
} fmap;

static int fmap_cmp(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

static int by_map_then_layer(const void *a, const void *b) {
  const fmap *x = a, *y = b;
  int r = fmap_cmp(x->batch, y->batch);
  if (!r) r = fmap_cmp(x->c, y->c);
  if (!r) r = fmap_cmp(x->layer, y->layer);
  return r;
}

/* How many feature maps of its batch and channels written before it a
 * padded view is held against: a skip connection reaches a few layers back
 * (ResNet's downsample 3 to 4), so 64 find any real one, and the search
 * stays O(n log n) whatever the network. */
#define VIEW_LOOKBACK 64

/* Whether conv or pool layer l (at index i of its network; maps sorted)
 * reads, with padding folded into its input size (no padding of its own: a
 * SCALE-Sim IFMAP, an ONNX convolution's view), a feature map an earlier
 * layer wrote: the same batch and channels, and an input the rows and
 * columns its windows read of that map, its zeros added, (E - 1) S + R:
 * from the map's size less S - 1 (a stride the map's last rows do not fill)
 * to the map's size plus R - 1 (padding on both sides). */
static bool view_of_earlier(const fmap *maps, size_t n, const wl_layer *l, size_t i) {
  if ((l->kind != WL_CONV && l->kind != WL_POOL) || l->pad_h || l->pad_w) return false;
  fmap key = {l->batch, l->in_c, 0, 0, i};
  size_t lo = 0, hi = n;
  while (lo < hi) { /* the first map not before key: earlier layers' maps lie below it */
    size_t mid = lo + (hi - lo) / 2;
    if (by_map_then_layer(&maps[mid], &key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t k = 0; k < VIEW_LOOKBACK && lo > 0; k++) {
    const fmap *m = &maps[--lo];
    if (m->batch != l->batch || m->c != l->in_c) break;
    if (l->in_h + (l->stride_h - 1) >= m->h && l->in_h <= m->h + (l->k_h - 1) &&
        l->in_w + (l->stride_w - 1) >= m->w && l->in_w <= m->w + (l->k_w - 1))
      return true;
  }
  return false;
}

em_status cm_network_fresh_inputs(const wl_network *net, uint64_t *fresh, em_diag *d) {
  size_t n = net->n_layers, k = 0, nm = 0;
  if (n == 0) return EM_OK;
  /* at most two operands and an output a layer; 3 * WL_LAYERS_MAX fits */
  sized *items = malloc(3 * n * sizeof *items);
  fmap *maps = malloc(n * sizeof *maps);
  em_status st = EM_OK;
  if (!items || !maps) st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < n && st == EM_OK; i++) {
    const wl_layer *l = &net->layers[i];
    uint64_t size[2], count[2], out = 0;
    size_t nop = 0;
    if (!operands(l, size, count, &nop)) st = overflow(d, l, "input size");
    else if (!outputs(l, &out)) st = overflow(d, l, "output size");
    for (size_t j = 0; st == EM_OK && j < nop; j++) items[k++] = (sized){size[j], i};
    if (st == EM_OK) items[k++] = (sized){out, i};
    if (st == EM_OK && (l->kind == WL_CONV || l->kind == WL_POOL || l->kind == WL_ELTWISE))
      maps[nm++] = (fmap){l->batch, wl_layer_out_c(l), wl_layer_out_h(l), wl_layer_out_w(l), i};
  }
  if (st == EM_OK) {
    qsort(items, k, sizeof *items, by_size_then_layer);
    qsort(maps, nm, sizeof *maps, by_map_then_layer);
  }
  for (size_t i = 0; i < n && st == EM_OK; i++) {
    const wl_layer *l = &net->layers[i];
    uint64_t size[2], count[2], part;
    size_t nop;
    fresh[i] = 0;
    operands(l, size, count, &nop); /* checked above */
    for (size_t j = 0; j < nop && st == EM_OK; j++)
      if (first_with(items, k, size[j]) == i && !view_of_earlier(maps, nm, l, i) &&
          (!em_mul_u64(size[j], count[j], &part) || !em_add_u64(fresh[i], part, &fresh[i])))
        st = overflow(d, l, "input size");
  }
  free(items);
  free(maps);
  return st == EM_OK ? st : in_network(net, st, d);
}

em_status cm_network_cost(const wl_network *net, const cm_energy_table *t,
                          cm_layer_cost *per_layer, cm_layer_cost *total, em_diag *d) {
  cm_layer_cost sum;
  memset(&sum, 0, sizeof sum);
  uint64_t *fresh = malloc((net->n_layers ? net->n_layers : 1) * sizeof *fresh);
  if (!fresh) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status st = cm_network_fresh_inputs(net, fresh, d);
  for (size_t i = 0; i < net->n_layers && st == EM_OK; i++) {
    const wl_layer *l = &net->layers[i];
    cm_layer_cost c;
    st = t ? cm_layer_cost_compute(l, t, &c, d) : cm_layer_count(l, &c, d);
    if (st == EM_OK) st = cm_layer_set_fresh_inputs(l, fresh[i], &c, d);
    if (st != EM_OK) {
      st = in_network(net, st, d);
      break;
    }
    if (per_layer) per_layer[i] = c;
    if (!em_add_u64(sum.weights, c.weights, &sum.weights) ||
        !em_add_u64(sum.biases, c.biases, &sum.biases) ||
        !em_add_u64(sum.params, c.params, &sum.params) ||
        !em_add_u64(sum.macs, c.macs, &sum.macs) ||
        !em_add_u64(sum.activations, c.activations, &sum.activations) ||
        !em_add_u64(sum.inputs, c.inputs, &sum.inputs) ||
        !em_add_u64(sum.weight_bytes, c.weight_bytes, &sum.weight_bytes) ||
        !em_add_u64(sum.activation_bytes, c.activation_bytes, &sum.activation_bytes) ||
        !em_add_u64(sum.input_bytes, c.input_bytes, &sum.input_bytes) ||
        !em_add_u64(sum.dram_input_bytes, c.dram_input_bytes, &sum.dram_input_bytes) ||
        !em_add_u64(sum.dram_bytes, c.dram_bytes, &sum.dram_bytes)) {
      st = em_diag_set(d, EM_ERR_OVERFLOW, net->source, 0, 0, "network totals overflow 64 bits");
      break;
    }
    sum.bops += c.bops;
    sum.bops_mac += c.bops_mac;
    sum.compute_energy_pj += c.compute_energy_pj;
    sum.energy_scaled = sum.energy_scaled || c.energy_scaled;
  }
  free(fresh);
  if (st == EM_OK) *total = sum;
  return st;
}
