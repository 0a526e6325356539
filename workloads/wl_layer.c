/*
 * wl_layer.c - layer geometry, validation, precision formats and networks
 * (wl_layer.h).
 *
 * Geometry follows the study book's notation: input H x W x C, R x S kernel
 * (k_h x k_w here), M filters, stride U, padding P, groups G; output E x F:
 *   E = floor((H + 2P - R) / U) + 1     (ceil_mode: ceil(...) + 1)
 * Counts are uint64_t; every product that can grow is checked (em_checked.h).
 */
#include "wl_layer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "em_parse.h"

wl_layer wl_layer_make(wl_kind kind, const char *name) {
  wl_layer l;
  memset(&l, 0, sizeof l);
  em_strlcpy(l.name, name ? name : "", sizeof l.name);
  l.kind = kind;
  l.in_h = l.in_w = l.in_c = 1;
  l.k_h = l.k_w = 1;
  l.out_c = 1;
  l.stride_h = l.stride_w = 1;
  l.groups = 1;
  l.batch = 1;
  l.eltwise_inputs = kind == WL_ELTWISE ? 2 : 1;
  l.m = l.n = l.k = kind == WL_GEMM ? 1 : 0;
  l.pattern = WL_SP_DENSE;
  return l;
}

wl_layer wl_conv(const char *name, uint64_t in_h, uint64_t in_w, uint64_t in_c,
                 uint64_t k, uint64_t out_c, uint64_t stride, uint64_t pad,
                 uint64_t groups) {
  wl_layer l = wl_layer_make(WL_CONV, name);
  l.in_h = in_h;
  l.in_w = in_w;
  l.in_c = in_c;
  l.k_h = l.k_w = k;
  l.out_c = out_c;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = pad;
  l.groups = groups;
  l.bias = true;
  return l;
}

wl_layer wl_fc(const char *name, uint64_t in_features, uint64_t out_features) {
  wl_layer l = wl_layer_make(WL_FC, name);
  l.in_c = in_features;
  l.out_c = out_features;
  l.bias = true;
  return l;
}

wl_layer wl_gemm(const char *name, uint64_t m, uint64_t n, uint64_t k) {
  wl_layer l = wl_layer_make(WL_GEMM, name);
  l.m = m;
  l.n = n;
  l.k = k;
  l.in_c = k;
  l.out_c = n;
  return l;
}

wl_layer wl_pool(const char *name, wl_pool_op op, uint64_t in_h, uint64_t in_w,
                 uint64_t c, uint64_t k, uint64_t stride, uint64_t pad) {
  wl_layer l = wl_layer_make(WL_POOL, name);
  l.op = (int)op;
  l.in_h = in_h;
  l.in_w = in_w;
  l.in_c = l.out_c = c;
  l.k_h = l.k_w = k;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = pad;
  return l;
}

wl_layer wl_eltwise(const char *name, wl_eltwise_op op, uint64_t h, uint64_t w,
                    uint64_t c, uint64_t inputs) {
  wl_layer l = wl_layer_make(WL_ELTWISE, name);
  l.op = (int)op;
  l.in_h = h;
  l.in_w = w;
  l.in_c = l.out_c = c;
  l.eltwise_inputs = inputs;
  return l;
}

static uint64_t out_dim(uint64_t in, uint64_t k, uint64_t stride, uint64_t pad,
                        bool ceil_mode) {
  uint64_t span = in + 2 * pad - k; /* validated: k <= in + 2*pad */
  return (ceil_mode ? em_ceil_div_u64(span, stride) : span / stride) + 1;
}

uint64_t wl_layer_out_h(const wl_layer *l) {
  switch (l->kind) {
  case WL_CONV:
  case WL_POOL: return out_dim(l->in_h, l->k_h, l->stride_h, l->pad_h, l->ceil_mode);
  case WL_ELTWISE: return l->in_h;
  default: return 1;
  }
}

uint64_t wl_layer_out_w(const wl_layer *l) {
  switch (l->kind) {
  case WL_CONV:
  case WL_POOL: return out_dim(l->in_w, l->k_w, l->stride_w, l->pad_w, l->ceil_mode);
  case WL_ELTWISE: return l->in_w;
  default: return 1;
  }
}

uint64_t wl_layer_out_c(const wl_layer *l) { return l->kind == WL_GEMM ? l->n : l->out_c; }

wl_gemm_view wl_layer_gemm_view(const wl_layer *l) {
  wl_gemm_view v = {0, 0, 0, 0};
  switch (l->kind) {
  case WL_CONV:
    v.m = l->batch * wl_layer_out_h(l) * wl_layer_out_w(l);
    v.k = l->k_h * l->k_w * (l->in_c / l->groups);
    v.n = l->out_c / l->groups;
    v.groups = l->groups;
    break;
  case WL_FC:
    v.m = l->batch;
    v.k = l->in_c;
    v.n = l->out_c;
    v.groups = 1;
    break;
  case WL_GEMM:
    v.m = l->batch * l->m; /* batch: independent GEMMs of the same shape */
    v.k = l->k;
    v.n = l->n;
    v.groups = 1;
    break;
  default: break;
  }
  return v;
}

const char *wl_kind_name(wl_kind k) {
  switch (k) {
  case WL_CONV: return "conv";
  case WL_FC: return "fc";
  case WL_GEMM: return "gemm";
  case WL_POOL: return "pool";
  case WL_ELTWISE: return "eltwise";
  }
  return "unknown";
}

/* ---- validation ---- */

/* "layer 'NAME': 'WHAT' must be in [LO, HI], got GOT" at the layer's line. */
static em_status out_of_range(em_diag *d, const char *path, const wl_layer *l,
                              const char *what, const char *range, unsigned long long got) {
  return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                     "layer '%s': '%s' must be in %s, got %llu", l->name, what, range, got);
}

/* [1, WL_DIM_MAX], the bound gemm:MxNxK's sizes are held to as well
 * (wl_gemm_spec), in the same words */
static em_status check_dim(em_diag *d, const char *path, const wl_layer *l,
                           const char *what, uint64_t v) {
  if (v < 1 || v > WL_DIM_MAX) {
    char range[48];
    snprintf(range, sizeof range, "[1, %llu]", (unsigned long long)WL_DIM_MAX);
    return out_of_range(d, path, l, what, range, (unsigned long long)v);
  }
  return EM_OK;
}

static em_status check_bits(em_diag *d, const char *path, const wl_layer *l,
                            const char *what, wl_prec p) {
  if (p.bits > WL_BITS_MAX)
    return out_of_range(d, path, l, what, "[1, 64]", (unsigned long long)p.bits);
  return EM_OK;
}

em_status wl_layer_validate(const wl_layer *l, const char *path, em_diag *d) {
  em_status st;
#define DIM(field, name)                                                     \
  if ((st = check_dim(d, path, l, name, l->field)) != EM_OK) return st
  DIM(batch, "batch");
  switch (l->kind) {
  case WL_GEMM:
    DIM(m, "M");
    DIM(n, "N");
    DIM(k, "K");
    break;
  case WL_FC:
    DIM(in_c, "input features");
    DIM(out_c, "output features");
    break;
  case WL_CONV:
  case WL_POOL:
  case WL_ELTWISE:
    DIM(in_h, "IFMAP Height");
    DIM(in_w, "IFMAP Width");
    DIM(in_c, "Channels");
    DIM(out_c, l->kind == WL_CONV ? "Num Filter" : "channels");
    if (l->kind == WL_ELTWISE) {
      if (l->eltwise_inputs < 1 || l->eltwise_inputs > 64)
        return out_of_range(d, path, l, "inputs", "[1, 64]",
                            (unsigned long long)l->eltwise_inputs);
      break;
    }
    DIM(k_h, "Filter Height");
    DIM(k_w, "Filter Width");
    DIM(stride_h, "Strides");
    DIM(stride_w, "Strides");
    if (l->pad_h > WL_DIM_MAX || l->pad_w > WL_DIM_MAX)
      return out_of_range(d, path, l, "Padding", "[0, 2147483648]",
                          (unsigned long long)(l->pad_h > l->pad_w ? l->pad_h : l->pad_w));
    if (l->kind == WL_CONV) {
      DIM(groups, "Groups");
      if (l->in_c % l->groups != 0)
        return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                           "layer '%s': 'Groups' (%llu) must divide the input channels (%llu)",
                           l->name, (unsigned long long)l->groups,
                           (unsigned long long)l->in_c);
      if (l->out_c % l->groups != 0)
        return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                           "layer '%s': 'Groups' (%llu) must divide the filters (%llu)",
                           l->name, (unsigned long long)l->groups,
                           (unsigned long long)l->out_c);
    }
    if (l->k_h > l->in_h + 2 * l->pad_h)
      return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                         "layer '%s': 'Filter Height' (%llu) is larger than the padded "
                         "input height (%llu)",
                         l->name, (unsigned long long)l->k_h,
                         (unsigned long long)(l->in_h + 2 * l->pad_h));
    if (l->k_w > l->in_w + 2 * l->pad_w)
      return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                         "layer '%s': 'Filter Width' (%llu) is larger than the padded "
                         "input width (%llu)",
                         l->name, (unsigned long long)l->k_w,
                         (unsigned long long)(l->in_w + 2 * l->pad_w));
    break;
  }
#undef DIM
  if ((st = check_bits(d, path, l, "Weight Bits", l->w)) != EM_OK) return st;
  if ((st = check_bits(d, path, l, "Activation Bits", l->a)) != EM_OK) return st;
  if (!(l->sparsity >= 0.0 && l->sparsity < 1.0))
    return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                       "layer '%s': 'Sparsity' must be in [0, 1), got %g", l->name,
                       l->sparsity);
  if (l->pattern == WL_SP_NM && !(l->nm_n > 0 && l->nm_n <= l->nm_m))
    return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                       "layer '%s': N:M pattern needs 0 < N <= M, got %u:%u", l->name,
                       l->nm_n, l->nm_m);
  if (l->pattern == WL_SP_BLOCK && l->block < 1)
    return em_diag_set(d, EM_ERR_RANGE, path, l->src_line, 0,
                       "layer '%s': block pattern needs a block size >= 1", l->name);

  /* Everything downstream multiplies these: the output tensor and the MAC
   * count must fit 64 bits, or the layer is refused here. */
  uint64_t acts, macs;
  uint64_t f[4] = {l->batch, wl_layer_out_h(l), wl_layer_out_w(l), wl_layer_out_c(l)};
  if (l->kind == WL_GEMM) {
    f[1] = l->m;
    f[2] = 1;
  }
  if (!em_mul_n_u64(f, 4, &acts))
    return em_diag_set(d, EM_ERR_OVERFLOW, path, l->src_line, 0,
                       "layer '%s': output size overflows 64 bits", l->name);
  if (l->kind == WL_CONV || l->kind == WL_FC || l->kind == WL_GEMM) {
    /* The GEMM view's factors, each checked (the view multiplies unchecked). */
    uint64_t m = 0, k = 0;
    uint64_t fm[3] = {l->batch, wl_layer_out_h(l), wl_layer_out_w(l)};
    uint64_t fk[3] = {l->k_h, l->k_w, l->in_c / l->groups};
    if (l->kind == WL_GEMM) {
      fm[1] = l->m;
      fm[2] = 1;
      fk[0] = l->k;
      fk[1] = fk[2] = 1;
    }
    wl_gemm_view v = {0, 0, 0, 1};
    bool ok = em_mul_n_u64(fm, 3, &m) && em_mul_n_u64(fk, 3, &k);
    if (ok) {
      v = wl_layer_gemm_view(l);
      uint64_t fg[4] = {v.groups, v.m, v.n, v.k};
      ok = em_mul_n_u64(fg, 4, &macs);
    }
    if (!ok)
      return em_diag_set(d, EM_ERR_OVERFLOW, path, l->src_line, 0,
                         "layer '%s': MAC count overflows 64 bits", l->name);
  }
  return EM_OK;
}

/* ---- precision ---- */

em_status wl_prec_parse(const char *text, wl_prec *out) {
  char low[32];
  size_t n = strlen(text);
  if (n == 0 || n >= sizeof low) return EM_ERR_PARSE;
  for (size_t i = 0; i <= n; i++) low[i] = (char)tolower((unsigned char)text[i]);
  wl_prec p = {0, false};
  bool bf = false;
  const char *num = low;
  if (strcmp(low, "binary") == 0 || strcmp(low, "bin") == 0) {
    *out = (wl_prec){1, false};
    return EM_OK;
  }
  if (strcmp(low, "ternary") == 0) {
    *out = (wl_prec){2, false};
    return EM_OK;
  }
  if (strncmp(low, "int", 3) == 0) {
    num = low + 3;
  } else if (strncmp(low, "uint", 4) == 0) {
    num = low + 4;
  } else if (strncmp(low, "fp", 2) == 0) {
    num = low + 2;
    p.fp = true;
  } else if (strncmp(low, "bf", 2) == 0) {
    num = low + 2;
    p.fp = true;
    bf = true;
  }
  uint64_t bits;
  em_status st = em_parse_u64(num, &bits);
  if (st == EM_ERR_RANGE) return EM_ERR_RANGE;
  if (st != EM_OK) return EM_ERR_PARSE;
  if (bits < 1 || bits > WL_BITS_MAX) return EM_ERR_RANGE;
  if (p.fp && bits != 8 && bits != 16 && bits != 32 && bits != 64) return EM_ERR_RANGE;
  /* bfloat16 is the one brain-float format (read as fp16, a 16-bit float's
   * costs); "bf8", "bf32" and "bf64" name no format and are not floats of
   * those widths */
  if (bf && bits != 16) return EM_ERR_RANGE;
  p.bits = (uint8_t)bits;
  *out = p;
  return EM_OK;
}

void wl_prec_format(wl_prec p, char *buf, size_t size) {
  if (p.bits == 0)
    snprintf(buf, size, "unset");
  else if (!p.fp && p.bits == 1)
    snprintf(buf, size, "binary");
  else
    snprintf(buf, size, "%s%u", p.fp ? "fp" : "int", (unsigned)p.bits);
}

/* ---- networks ---- */

wl_network *wl_network_create(const char *name, const char *source) {
  wl_network *net = calloc(1, sizeof *net);
  if (!net) return NULL;
  em_strlcpy(net->name, name ? name : "", sizeof net->name);
  em_strlcpy(net->source, source ? source : "", sizeof net->source);
  net->inferences = 1; /* a reader with a batch says otherwise */
  return net;
}

void wl_network_destroy(wl_network *net) {
  if (!net) return;
  free(net->layers);
  free(net);
}

em_status wl_network_add(wl_network *net, const wl_layer *l, em_diag *d) {
  if (net->n_layers >= WL_LAYERS_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, net->source, l->src_line, l->src_line ? 1 : 0,
                       "more than %u layers in one network", WL_LAYERS_MAX);
  if (net->n_layers == net->cap) {
    size_t ncap = net->cap ? net->cap * 2 : 16;
    wl_layer *nl = realloc(net->layers, ncap * sizeof *nl);
    if (!nl) return em_diag_set(d, EM_ERR_NOMEM, net->source, 0, 0, "out of memory");
    net->layers = nl;
    net->cap = ncap;
  }
  net->layers[net->n_layers++] = *l;
  return EM_OK;
}

void wl_network_set_prec(wl_network *net, wl_prec w, wl_prec a, bool force) {
  for (size_t i = 0; i < net->n_layers; i++) {
    wl_layer *l = &net->layers[i];
    if (force || l->w.bits == 0) l->w = w;
    if (force || l->a.bits == 0) l->a = a;
  }
}
