/* wl_onnx.c - ONNX reader and shape inference (wl_onnx.h). */
#include "wl_onnx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx/onnx.pb-c.h"

#define MAX_FILE (1ull << 30)
#define MAX_NODES 1000000u
#define MAX_VALS 64 /* int64 values kept per tensor (shape tensors) */

typedef struct {
  const char *name;
  int state;          /* 0 not produced yet, 1 shape known, 2 produced, shape unknown */
  wl_onnx_shape s;
  bool init;          /* an initializer (weights) */
  unsigned bits;      /* 8 after QuantizeLinear / DequantizeLinear; 0: fp32 */
  int producer;       /* node index, -1 */
  int64_t vals[MAX_VALS];
  int nvals;          /* -1: values unknown */
} tensor_t;

typedef struct {
  tensor_t *t;
  size_t n, cap;      /* open addressing, cap a power of two */
} table_t;

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ull;
  return h;
}

static tensor_t *lookup(table_t *tb, const char *name, bool add) {
  if (!name || !*name) return NULL;
  size_t mask = tb->cap - 1;
  for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
    if (!tb->t[i].name) {
      if (!add) return NULL;
      tb->t[i].name = name;
      tb->t[i].producer = -1;
      tb->t[i].nvals = -1;
      tb->t[i].s.rank = -1;
      tb->n++;
      return &tb->t[i];
    }
    if (strcmp(tb->t[i].name, name) == 0) return &tb->t[i];
  }
}

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *n, const char *name) {
  for (size_t i = 0; i < n->n_attribute; i++)
    if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0) return n->attribute[i];
  return NULL;
}

static int64_t attr_i(const Onnx__NodeProto *n, const char *name, int64_t dflt) {
  const Onnx__AttributeProto *a = attr(n, name);
  return a && a->has_i ? a->i : dflt;
}

/* Ints attribute into v[len] (defaults left where absent); returns its length. */
static size_t attr_ints(const Onnx__NodeProto *n, const char *name, int64_t *v, size_t len) {
  const Onnx__AttributeProto *a = attr(n, name);
  if (!a) return 0;
  size_t k = a->n_ints < len ? a->n_ints : len;
  for (size_t i = 0; i < k; i++) v[i] = a->ints[i];
  return a->n_ints;
}

static bool attr_is(const Onnx__NodeProto *n, const char *name, const char *val) {
  const Onnx__AttributeProto *a = attr(n, name);
  return a && a->s.len == strlen(val) && memcmp(a->s.data, val, a->s.len) == 0;
}

/* int64 values of a small tensor (shape tensors), -1 if not available */
static int tensor_vals(const Onnx__TensorProto *t, int64_t *v) {
  size_t n = 1;
  for (size_t i = 0; i < t->n_dims; i++) {
    if (t->dims[i] < 0 || t->dims[i] > MAX_VALS) return -1;
    n *= (size_t)t->dims[i];
  }
  if (n > MAX_VALS) return -1;
  if (t->n_int64_data == n) {
    for (size_t i = 0; i < n; i++) v[i] = t->int64_data[i];
    return (int)n;
  }
  if (t->has_raw_data && t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT64 &&
      t->raw_data.len == 8 * n) {
    for (size_t i = 0; i < n; i++) {
      uint64_t u = 0;
      for (int b = 7; b >= 0; b--) u = u << 8 | t->raw_data.data[8 * i + (size_t)b];
      v[i] = (int64_t)u;
    }
    return (int)n;
  }
  return -1;
}

typedef struct {
  const char *path;
  table_t tb;
  wl_network *net;
  unsigned unknown_n;
  char unknown[512];
  unsigned skipped, bn_folded, bn_alone;
  em_diag *d;
} ctx_t;

static void note_unknown(ctx_t *c, const char *op) {
  c->unknown_n++;
  char key[80];
  snprintf(key, sizeof key, "%s ", op);
  /* "Op xN" entries */
  char *p = strstr(c->unknown, key);
  if (p && (p == c->unknown || p[-1] == ' ')) {
    char *x = p + strlen(key);
    if (*x == 'x') {
      unsigned k = (unsigned)strtoul(x + 1, NULL, 10);
      char rest[512];
      char *end = x + 1;
      while (*end >= '0' && *end <= '9') end++;
      snprintf(rest, sizeof rest, "%s", end);
      snprintf(x, sizeof c->unknown - (size_t)(x - c->unknown), "x%u%s", k + 1, rest);
      return;
    }
  }
  size_t l = strlen(c->unknown);
  snprintf(c->unknown + l, sizeof c->unknown - l, "%s%s x1", l ? " " : "", op);
}

static int64_t prod(const wl_onnx_shape *s, int from, int to) {
  int64_t p = 1;
  for (int i = from; i < to; i++) p *= s->dim[i];
  return p;
}

static em_status bad(ctx_t *c, const Onnx__NodeProto *n, const char *what) {
  return em_diag_set(c->d, EM_ERR_PARSE, c->path, 0, 0, "node '%s' (%s): %s",
                     n->name && *n->name ? n->name : "(unnamed)", n->op_type, what);
}

static void lname(char *dst, const Onnx__NodeProto *n, size_t idx) {
  if (n->name && *n->name) snprintf(dst, WL_NAME_MAX, "%s", n->name);
  else snprintf(dst, WL_NAME_MAX, "%s_%zu", n->op_type, idx);
}

/* Broadcast of a and b (numpy rules). */
static bool broadcast(const wl_onnx_shape *a, const wl_onnx_shape *b, wl_onnx_shape *o) {
  int r = a->rank > b->rank ? a->rank : b->rank;
  o->rank = r;
  for (int i = 0; i < r; i++) {
    int ia = i - (r - a->rank), ib = i - (r - b->rank);
    int64_t da = ia >= 0 ? a->dim[ia] : 1, db = ib >= 0 ? b->dim[ib] : 1;
    if (da != db && da != 1 && db != 1) return false;
    o->dim[i] = da == 1 ? db : da;
  }
  return true;
}

/* Conv and pool output sizes over the spatial dims of x; k = kernel. */
static em_status spatial(ctx_t *c, const Onnx__NodeProto *n, const wl_onnx_shape *x,
                         const int64_t *k, bool ceil_mode, wl_onnx_shape *o, int64_t *stride) {
  int sd = x->rank - 2;
  int64_t pads[2 * WL_ONNX_MAX_RANK] = {0}, dil[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
  for (int i = 0; i < sd; i++) dil[i] = st[i] = 1;
  attr_ints(n, "strides", st, (size_t)sd);
  attr_ints(n, "dilations", dil, (size_t)sd);
  attr_ints(n, "pads", pads, (size_t)(2 * sd));
  bool same_u = attr_is(n, "auto_pad", "SAME_UPPER"), same_l = attr_is(n, "auto_pad", "SAME_LOWER");
  *o = *x;
  for (int i = 0; i < sd; i++) {
    int64_t d = x->dim[2 + i], eff = (k[i] - 1) * dil[i] + 1;
    if (st[i] < 1 || dil[i] < 1 || k[i] < 1 || pads[i] < 0 || pads[sd + i] < 0)
      return bad(c, n, "strides, dilations and kernel must be positive, pads not negative");
    int64_t out;
    if (same_u || same_l) out = (d + st[i] - 1) / st[i];
    else {
      int64_t span = d + pads[i] + pads[sd + i] - eff;
      if (span < 0) return bad(c, n, "the kernel is larger than the padded input");
      out = ceil_mode ? (span + st[i] - 1) / st[i] + 1 : span / st[i] + 1;
      if (ceil_mode && (out - 1) * st[i] >= d + pads[i]) out--;
    }
    o->dim[2 + i] = out;
    stride[i] = st[i];
  }
  return EM_OK;
}

static em_status add_layer(ctx_t *c, wl_layer *l) {
  return wl_network_add(c->net, l, c->d);
}

/* One node whose inputs are all produced. */
static em_status run_node(ctx_t *c, const Onnx__NodeProto *n, size_t idx) {
  const char *op = n->op_type ? n->op_type : "";
  tensor_t *in[16] = {0};
  size_t nin = n->n_input < 16 ? n->n_input : 16;
  bool all_known = true;
  for (size_t i = 0; i < nin; i++) {
    in[i] = lookup(&c->tb, n->input[i], false);
    if (in[i] && in[i]->state != 1) all_known = false;
  }
  wl_onnx_shape out;
  out.rank = -1;
  int64_t outvals[MAX_VALS];
  int noutvals = -1;
  unsigned obits = 0;
  char name[WL_NAME_MAX];
  lname(name, n, idx);
  em_status s = EM_OK;
#define IS(x) (strcmp(op, x) == 0)
  bool qconv = IS("QLinearConv"), iconv = IS("ConvInteger");
  bool qmm = IS("QLinearMatMul"), imm = IS("MatMulInteger");
  if (IS("Constant")) {
    const Onnx__AttributeProto *a = attr(n, "value");
    if (!a || !a->t) return bad(c, n, "Constant without a tensor value");
    out.rank = (int)a->t->n_dims;
    if (out.rank > WL_ONNX_MAX_RANK) return bad(c, n, "rank above 8");
    for (int i = 0; i < out.rank; i++) out.dim[i] = a->t->dims[i];
    noutvals = tensor_vals(a->t, outvals);
  } else if (!all_known || !in[0]) {
    /* an input whose shape is unknown: so is every output */
    c->skipped++;
  } else if (IS("Conv") || qconv || iconv) {
    tensor_t *x = in[0], *w = in[qconv ? 3 : 1];
    if (!w || w->s.rank != x->s.rank || x->s.rank < 3) return bad(c, n, "needs X and W of the same rank >= 3");
    int64_t g = attr_i(n, "group", 1), k[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
    int sd = x->s.rank - 2;
    for (int i = 0; i < sd; i++) k[i] = w->s.dim[2 + i];
    if (g < 1 || x->s.dim[1] != w->s.dim[1] * g || w->s.dim[0] % g != 0)
      return bad(c, n, "channels do not match the weights and the group count");
    if ((s = spatial(c, n, &x->s, k, false, &out, st)) != EM_OK) return s;
    out.dim[1] = w->s.dim[0];
    if (sd <= 2) {
      wl_layer l = wl_layer_make(WL_CONV, name);
      l.batch = (uint64_t)x->s.dim[0];
      l.in_c = (uint64_t)x->s.dim[1];
      l.out_c = (uint64_t)w->s.dim[0];
      l.groups = (uint64_t)g;
      l.k_h = (uint64_t)(sd == 2 ? k[0] : 1);
      l.k_w = (uint64_t)k[sd - 1];
      l.stride_h = (uint64_t)(sd == 2 ? st[0] : 1);
      l.stride_w = (uint64_t)st[sd - 1];
      int64_t oh = sd == 2 ? out.dim[2] : 1, ow = out.dim[1 + sd];
      /* padding and dilation folded into the input size (SCALE-Sim's
       * convention): the output, and so the MACs, are exact */
      l.in_h = (uint64_t)((oh - 1) * (int64_t)l.stride_h + (int64_t)l.k_h);
      l.in_w = (uint64_t)((ow - 1) * (int64_t)l.stride_w + (int64_t)l.k_w);
      l.bias = n->n_input > (qconv ? 8u : 2u) && n->input[qconv ? 8 : 2][0];
      if (qconv || iconv || (x->bits && w->bits)) {
        l.w = (wl_prec){8, false};
        l.a = (wl_prec){8, false};
      }
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    } else {
      c->skipped++;
    }
  } else if (IS("Gemm")) {
    tensor_t *a = in[0], *b = in[1];
    if (!b || a->s.rank != 2 || b->s.rank != 2) return bad(c, n, "Gemm takes two matrices");
    bool ta = attr_i(n, "transA", 0), tb = attr_i(n, "transB", 0);
    int64_t M = a->s.dim[ta ? 1 : 0], K = a->s.dim[ta ? 0 : 1];
    int64_t K2 = b->s.dim[tb ? 1 : 0], N = b->s.dim[tb ? 0 : 1];
    if (K != K2) return bad(c, n, "inner dimensions differ");
    out.rank = 2;
    out.dim[0] = M;
    out.dim[1] = N;
    wl_layer l = b->init ? wl_fc(name, (uint64_t)K, (uint64_t)N) : wl_gemm(name, (uint64_t)M, (uint64_t)N, (uint64_t)K);
    if (b->init) l.batch = (uint64_t)M;
    else l.b_is_activation = true;
    l.bias = n->n_input > 2 && n->input[2][0];
    if (a->bits && b->bits) l.w = l.a = (wl_prec){8, false};
    if ((s = add_layer(c, &l)) != EM_OK) return s;
  } else if (IS("MatMul") || qmm || imm) {
    tensor_t *a = in[0], *b = in[qmm ? 3 : 1];
    if (!b || a->s.rank < 1 || b->s.rank < 1) return bad(c, n, "MatMul needs two tensors");
    wl_onnx_shape A = a->s, B = b->s;
    bool a1 = A.rank == 1, b1 = B.rank == 1;
    if (a1) { A.rank = 2; A.dim[1] = A.dim[0]; A.dim[0] = 1; }
    if (b1) { B.rank = 2; B.dim[1] = 1; }
    int64_t M = A.dim[A.rank - 2], K = A.dim[A.rank - 1], K2 = B.dim[B.rank - 2], N = B.dim[B.rank - 1];
    if (K != K2) return bad(c, n, "inner dimensions differ");
    wl_onnx_shape ba = A, bb = B, bo;
    ba.rank -= 2;
    bb.rank -= 2;
    if (!broadcast(&ba, &bb, &bo)) return bad(c, n, "batch dimensions do not broadcast");
    out = bo;
    out.dim[out.rank++] = M;
    out.dim[out.rank++] = N;
    if (a1) { out.dim[out.rank - 2] = N; out.rank--; }
    if (b1) out.rank--;
    int64_t batch = prod(&bo, 0, bo.rank);
    wl_layer l;
    if (b->init && bb.rank == 0) {
      l = wl_gemm(name, (uint64_t)(batch * M), (uint64_t)N, (uint64_t)K);
    } else {
      l = wl_gemm(name, (uint64_t)M, (uint64_t)N, (uint64_t)K);
      l.groups = (uint64_t)batch;
      l.b_is_activation = true;
    }
    if (qmm || imm || (a->bits && b->bits)) l.w = l.a = (wl_prec){8, false};
    if ((s = add_layer(c, &l)) != EM_OK) return s;
  } else if (IS("MaxPool") || IS("AveragePool") || IS("LpPool")) {
    int64_t k[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
    int sd = in[0]->s.rank - 2;
    if (sd < 1 || attr_ints(n, "kernel_shape", k, (size_t)sd) != (size_t)sd)
      return bad(c, n, "needs kernel_shape for every spatial dimension");
    if ((s = spatial(c, n, &in[0]->s, k, attr_i(n, "ceil_mode", 0) != 0, &out, st)) != EM_OK) return s;
    if (sd == 2) {
      wl_layer l = wl_layer_make(WL_POOL, name);
      l.op = IS("MaxPool") ? WL_POOL_MAX : WL_POOL_AVG;
      l.batch = (uint64_t)in[0]->s.dim[0];
      l.in_c = l.out_c = (uint64_t)in[0]->s.dim[1];
      l.k_h = (uint64_t)k[0];
      l.k_w = (uint64_t)k[1];
      l.stride_h = (uint64_t)st[0];
      l.stride_w = (uint64_t)st[1];
      l.in_h = (uint64_t)((out.dim[2] - 1) * st[0] + k[0]);
      l.in_w = (uint64_t)((out.dim[3] - 1) * st[1] + k[1]);
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("GlobalAveragePool") || IS("GlobalMaxPool")) {
    out = in[0]->s;
    if (out.rank < 3) return bad(c, n, "needs a spatial input");
    for (int i = 2; i < out.rank; i++) out.dim[i] = 1;
    if (in[0]->s.rank == 4) {
      wl_layer l = wl_layer_make(WL_POOL, name);
      l.op = IS("GlobalMaxPool") ? WL_POOL_MAX : WL_POOL_AVG;
      l.batch = (uint64_t)in[0]->s.dim[0];
      l.in_c = l.out_c = (uint64_t)in[0]->s.dim[1];
      l.in_h = l.k_h = (uint64_t)in[0]->s.dim[2];
      l.in_w = l.k_w = (uint64_t)in[0]->s.dim[3];
      l.stride_h = l.stride_w = 1;
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("BatchNormalization")) {
    out = in[0]->s;
    int p = in[0]->producer;
    (void)p;
    if (c->net->n_layers && c->net->layers[c->net->n_layers - 1].kind == WL_CONV) c->bn_folded++;
    else c->bn_alone++;
  } else if (IS("Relu") || IS("LeakyRelu") || IS("Sigmoid") || IS("Tanh") || IS("Clip") ||
             IS("Elu") || IS("Selu") || IS("HardSigmoid") || IS("HardSwish") || IS("Softplus") ||
             IS("Erf") || IS("Gelu") || IS("Exp") || IS("Log") || IS("Sqrt") || IS("Neg") ||
             IS("Abs") || IS("Identity") || IS("Dropout") || IS("Cast") || IS("Floor") ||
             IS("Ceil") || IS("Round") || IS("Sign") || IS("Not") || IS("Reciprocal") ||
             IS("Softmax") || IS("LogSoftmax") || IS("PRelu") || IS("LRN") ||
             IS("InstanceNormalization") || IS("LayerNormalization")) {
    out = in[0]->s;
    obits = in[0]->bits;
    noutvals = in[0]->nvals;
    if (noutvals > 0) memcpy(outvals, in[0]->vals, (size_t)noutvals * sizeof(int64_t));
    if (IS("Softmax") && out.rank >= 1) {
      wl_layer l = wl_eltwise(name, WL_ELT_SOFTMAX, 1, 1, (uint64_t)out.dim[out.rank - 1], 1);
      l.batch = (uint64_t)prod(&out, 0, out.rank - 1);
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("QuantizeLinear") || IS("DequantizeLinear")) {
    out = in[0]->s;
    obits = 8;
  } else if (IS("Add") || IS("Sub") || IS("Mul") || IS("Div") || IS("Pow") || IS("Max") ||
             IS("Min") || IS("Sum") || IS("Mean") || IS("Equal") || IS("Greater") ||
             IS("Less") || IS("And") || IS("Or") || IS("Where")) {
    out = in[0]->s;
    for (size_t i = 1; i < nin; i++)
      if (in[i] && !broadcast(&out, &in[i]->s, &out)) return bad(c, n, "inputs do not broadcast");
    /* a residual join: two activations of the same 4-d shape */
    if (IS("Add") && nin == 2 && in[1] && !in[0]->init && !in[1]->init && out.rank == 4) {
      wl_layer l = wl_eltwise(name, WL_ELT_ADD, (uint64_t)out.dim[2], (uint64_t)out.dim[3],
                              (uint64_t)out.dim[1], 2);
      l.batch = (uint64_t)out.dim[0];
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("Concat")) {
    out = in[0]->s;
    int64_t ax = attr_i(n, "axis", 0);
    if (ax < 0) ax += out.rank;
    if (ax < 0 || ax >= out.rank) return bad(c, n, "axis out of range");
    for (size_t i = 1; i < nin; i++) {
      if (!in[i] || in[i]->s.rank != out.rank) return bad(c, n, "inputs of different ranks");
      out.dim[ax] += in[i]->s.dim[ax];
    }
  } else if (IS("Flatten")) {
    int64_t ax = attr_i(n, "axis", 1);
    if (ax < 0) ax += in[0]->s.rank;
    if (ax < 0 || ax > in[0]->s.rank) return bad(c, n, "axis out of range");
    out.rank = 2;
    out.dim[0] = prod(&in[0]->s, 0, (int)ax);
    out.dim[1] = prod(&in[0]->s, (int)ax, in[0]->s.rank);
  } else if (IS("Reshape")) {
    if (nin < 2 || !in[1] || in[1]->nvals < 0) {
      c->skipped++; /* a shape computed at run time */
    } else {
      int64_t total = prod(&in[0]->s, 0, in[0]->s.rank), known = 1;
      int neg = -1;
      out.rank = in[1]->nvals;
      if (out.rank > WL_ONNX_MAX_RANK) return bad(c, n, "rank above 8");
      for (int i = 0; i < out.rank; i++) {
        int64_t v = in[1]->vals[i];
        if (v == 0 && i < in[0]->s.rank && !attr_i(n, "allowzero", 0)) v = in[0]->s.dim[i];
        if (v == -1) {
          if (neg >= 0) return bad(c, n, "two -1 in the shape");
          neg = i;
          v = 1;
        } else if (v < 0) {
          return bad(c, n, "negative dimension in the shape");
        }
        out.dim[i] = v;
        known *= v;
      }
      if (neg >= 0) {
        if (known == 0 || total % known) return bad(c, n, "the shape does not divide the input");
        out.dim[neg] = total / known;
      } else if (known != total) {
        return bad(c, n, "the shape does not hold the input's elements");
      }
    }
  } else if (IS("Transpose")) {
    int64_t perm[WL_ONNX_MAX_RANK];
    out = in[0]->s;
    size_t k = attr_ints(n, "perm", perm, WL_ONNX_MAX_RANK);
    for (int i = 0; i < out.rank; i++) {
      int64_t p = k ? perm[i] : out.rank - 1 - i;
      if (p < 0 || p >= in[0]->s.rank) return bad(c, n, "perm out of range");
      out.dim[i] = in[0]->s.dim[p];
    }
  } else if (IS("Squeeze") || IS("Unsqueeze")) {
    int64_t axes[WL_ONNX_MAX_RANK];
    size_t na = attr_ints(n, "axes", axes, WL_ONNX_MAX_RANK);
    if (!na && nin > 1 && in[1] && in[1]->nvals > 0) {
      na = (size_t)in[1]->nvals;
      if (na > WL_ONNX_MAX_RANK) na = WL_ONNX_MAX_RANK;
      memcpy(axes, in[1]->vals, na * sizeof(int64_t));
    }
    wl_onnx_shape x = in[0]->s;
    if (IS("Squeeze")) {
      out.rank = 0;
      for (int i = 0; i < x.rank; i++) {
        bool drop = na == 0 && x.dim[i] == 1;
        for (size_t j = 0; j < na; j++) drop |= (axes[j] < 0 ? axes[j] + x.rank : axes[j]) == i;
        if (!drop) out.dim[out.rank++] = x.dim[i];
      }
    } else {
      int r = x.rank + (int)na, src = 0;
      if (r > WL_ONNX_MAX_RANK) return bad(c, n, "rank above 8");
      out.rank = r;
      for (int i = 0; i < r; i++) {
        bool ins = false;
        for (size_t j = 0; j < na; j++) ins |= (axes[j] < 0 ? axes[j] + r : axes[j]) == i;
        out.dim[i] = ins ? 1 : x.dim[src++];
      }
    }
  } else if (IS("Shape")) {
    out.rank = 1;
    out.dim[0] = in[0]->s.rank;
    noutvals = in[0]->s.rank;
    for (int i = 0; i < noutvals; i++) outvals[i] = in[0]->s.dim[i];
  } else {
    note_unknown(c, op);
  }
#undef IS
  for (size_t i = 0; i < n->n_output; i++) {
    tensor_t *t = lookup(&c->tb, n->output[i], true);
    if (!t) continue;
    if (t->state) return bad(c, n, "an output is produced twice");
    t->producer = (int)idx;
    t->bits = obits;
    /* MaxPool's second output (the indices) has the shape of the first */
    if (out.rank >= 0 && (i == 0 || strcmp(op, "MaxPool") == 0)) {
      for (int k = 0; k < out.rank; k++)
        if (out.dim[k] < 0 || out.dim[k] > (1ll << 40))
          return bad(c, n, "an output dimension is out of range");
      t->state = 1;
      t->s = out;
      t->nvals = i == 0 ? noutvals : -1;
      if (i == 0 && noutvals > 0) memcpy(t->vals, outvals, (size_t)noutvals * sizeof(int64_t));
    } else {
      t->state = 2;
    }
  }
  return EM_OK;
}

/* ---- the model ---- */

typedef struct {
  Onnx__ModelProto *m;
  ctx_t c;
  uint8_t *buf;
} model_t;

static void model_free(model_t *mo) {
  if (mo->m) onnx__model_proto__free_unpacked(mo->m, NULL);
  free(mo->c.tb.t);
  free(mo->buf);
  wl_network_destroy(mo->c.net);
  memset(mo, 0, sizeof *mo);
}

static em_status read_all(const char *path, uint8_t **out, size_t *len, em_diag *d) {
  struct stat st;
  if (stat(path, &st) != 0)
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  if ((uint64_t)st.st_size > MAX_FILE)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "larger than 1 GiB");
  FILE *f = fopen(path, "rb");
  if (!f) return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  uint8_t *b = malloc((size_t)st.st_size + 1);
  size_t n = b ? fread(b, 1, (size_t)st.st_size, f) : 0;
  fclose(f);
  if (!b) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  if (n != (size_t)st.st_size) {
    free(b);
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "short read");
  }
  *out = b;
  *len = n;
  return EM_OK;
}

static em_status load_model(const char *path, model_t *mo, em_diag *d) {
  memset(mo, 0, sizeof *mo);
  size_t len;
  em_status s = read_all(path, &mo->buf, &len, d);
  if (s != EM_OK) return s;
  if (len == 0) return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "empty file, not an ONNX model");
  mo->m = onnx__model_proto__unpack(NULL, len, mo->buf);
  if (!mo->m)
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "not an ONNX model (the protobuf does not decode as a ModelProto with a "
                       "graph: truncated, or another kind of file)");
  if (!mo->m->graph)
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "an ONNX ModelProto without a graph: no layers to read");
  Onnx__GraphProto *g = mo->m->graph;
  if (g->n_node > MAX_NODES)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "more than %u nodes", MAX_NODES);
  ctx_t *c = &mo->c;
  c->path = path;
  c->d = d;
  size_t want = 4 * (g->n_input + g->n_initializer + 1);
  for (size_t i = 0; i < g->n_node; i++) want += 4 * g->node[i]->n_output;
  size_t cap = 64;
  while (cap < want) cap *= 2;
  c->tb.t = calloc(cap, sizeof *c->tb.t);
  c->tb.cap = cap;
  const char *gname = g->name && *g->name ? g->name : "onnx";
  c->net = wl_network_create(gname, path);
  if (!c->tb.t || !c->net) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  for (size_t i = 0; i < g->n_initializer; i++) {
    Onnx__TensorProto *t = g->initializer[i];
    tensor_t *x = lookup(&c->tb, t->name, true);
    if (!x) continue;
    if (t->n_dims > WL_ONNX_MAX_RANK)
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "initializer '%s' has rank above 8", t->name);
    x->state = 1;
    x->init = true;
    x->s.rank = (int)t->n_dims;
    for (size_t k = 0; k < t->n_dims; k++) {
      if (t->dims[k] < 0 || t->dims[k] > (1ll << 40))
        return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "initializer '%s' has a bad dimension",
                           t->name);
      x->s.dim[k] = t->dims[k];
    }
    x->nvals = tensor_vals(t, x->vals);
  }
  for (size_t i = 0; i < g->n_input; i++) {
    Onnx__ValueInfoProto *v = g->input[i];
    tensor_t *x = lookup(&c->tb, v->name, true);
    if (!x || x->init) continue;
    Onnx__TypeProto *tp = v->type;
    if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type ||
        !tp->tensor_type->shape) {
      x->state = 2;
      continue;
    }
    Onnx__TensorShapeProto *sh = tp->tensor_type->shape;
    if (sh->n_dim > WL_ONNX_MAX_RANK)
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "input '%s' has rank above 8", v->name);
    x->state = 1;
    x->s.rank = (int)sh->n_dim;
    for (size_t k = 0; k < sh->n_dim; k++) {
      Onnx__TensorShapeProto__Dimension *dm = sh->dim[k];
      int64_t val = dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ? dm->dim_value : 1;
      if (val < 0 || val > (1ll << 40))
        return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "input '%s' has a bad dimension", v->name);
      x->s.dim[k] = val ? val : 1;
    }
  }
  /* nodes in dependency order: repeat until no node can run */
  uint8_t *done = calloc(g->n_node ? g->n_node : 1, 1);
  if (!done) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  size_t left = g->n_node;
  bool progress = true;
  while (left && progress) {
    progress = false;
    for (size_t i = 0; i < g->n_node; i++) {
      if (done[i]) continue;
      const Onnx__NodeProto *n = g->node[i];
      if (!n->op_type) {
        free(done);
        return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "node %zu has no operator", i);
      }
      bool ready = true;
      for (size_t k = 0; k < n->n_input && ready; k++) {
        if (!n->input[k][0]) continue; /* an optional input left out */
        tensor_t *t = lookup(&c->tb, n->input[k], false);
        ready = t && t->state != 0;
      }
      if (!ready) continue;
      if ((s = run_node(c, n, i)) != EM_OK) {
        free(done);
        return s;
      }
      done[i] = 1;
      left--;
      progress = true;
    }
  }
  if (left) {
    size_t i = 0;
    while (done[i]) i++;
    const Onnx__NodeProto *n = g->node[i];
    free(done);
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "%zu node(s) cannot run, e.g. '%s' (%s): a cycle in the graph or an input "
                       "that no node produces",
                       left, n->name ? n->name : "", n->op_type);
  }
  free(done);
  return EM_OK;
}

em_status wl_onnx_load(const char *path, wl_network **out, em_diag *d) {
  *out = NULL;
  model_t mo;
  em_status s = load_model(path, &mo, d);
  if (s == EM_OK) {
    ctx_t *c = &mo.c;
    char *nt = c->net->notes;
    size_t cap = sizeof c->net->notes;
    nt[0] = '\0';
    if (c->unknown_n)
      snprintf(nt + strlen(nt), cap - strlen(nt), "%u node(s) of operators without a cost model: %s; ",
               c->unknown_n, c->unknown);
    if (c->skipped)
      snprintf(nt + strlen(nt), cap - strlen(nt), "%u node(s) after them have unknown shapes and no layer; ",
               c->skipped);
    if (c->bn_folded || c->bn_alone)
      snprintf(nt + strlen(nt), cap - strlen(nt),
               "BatchNormalization: %u folded into the convolution before it, %u alone (no layer); ",
               c->bn_folded, c->bn_alone);
    size_t l = strlen(nt);
    if (l >= 2 && nt[l - 2] == ';') nt[l - 2] = '\0';
    if (c->net->n_layers == 0)
      s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "no layer with a cost model in the graph%s%s",
                      nt[0] ? ": " : "", nt);
    else {
      *out = c->net;
      c->net = NULL;
    }
  }
  model_free(&mo);
  return s;
}

em_status wl_onnx_output_shapes(const char *path, wl_onnx_shape *shapes, size_t max, size_t *n,
                                em_diag *d) {
  *n = 0;
  model_t mo;
  em_status s = load_model(path, &mo, d);
  if (s == EM_OK) {
    Onnx__GraphProto *g = mo.m->graph;
    for (size_t i = 0; i < g->n_output && *n < max; i++) {
      tensor_t *t = lookup(&mo.c.tb, g->output[i]->name, false);
      shapes[*n].rank = t && t->state == 1 ? t->s.rank : -1;
      if (t && t->state == 1) memcpy(shapes[*n].dim, t->s.dim, sizeof t->s.dim);
      (*n)++;
    }
  }
  model_free(&mo);
  return s;
}

em_status wl_onnx_tensor_file_shape(const char *path, wl_onnx_shape *sh, em_diag *d) {
  uint8_t *b;
  size_t len;
  em_status s = read_all(path, &b, &len, d);
  if (s != EM_OK) return s;
  Onnx__TensorProto *t = onnx__tensor_proto__unpack(NULL, len, b);
  free(b);
  if (!t) return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "not a TensorProto");
  if (t->n_dims > WL_ONNX_MAX_RANK) s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "rank above 8");
  else {
    sh->rank = (int)t->n_dims;
    for (size_t i = 0; i < t->n_dims; i++) sh->dim[i] = t->dims[i];
  }
  onnx__tensor_proto__free_unpacked(t, NULL);
  return s;
}

em_status wl_onnx_layer_weights(const char *path, const char *layer, float **vals, size_t *n,
                                em_diag *d) {
  *vals = NULL;
  *n = 0;
  model_t mo;
  em_status s = load_model(path, &mo, d);
  if (s != EM_OK) {
    model_free(&mo);
    return s;
  }
  Onnx__GraphProto *g = mo.m->graph;
  const char *wname = NULL;
  for (size_t i = 0; i < g->n_node && !wname; i++) {
    const Onnx__NodeProto *nd = g->node[i];
    char name[WL_NAME_MAX];
    lname(name, nd, i);
    if (strcmp(name, layer) != 0) continue;
    size_t wi = strcmp(nd->op_type, "QLinearConv") == 0 || strcmp(nd->op_type, "QLinearMatMul") == 0 ? 3 : 1;
    if (nd->n_input > wi) wname = nd->input[wi];
  }
  const Onnx__TensorProto *t = NULL;
  for (size_t i = 0; wname && i < g->n_initializer; i++)
    if (g->initializer[i]->name && strcmp(g->initializer[i]->name, wname) == 0) t = g->initializer[i];
  if (!t) {
    s = em_diag_set(d, EM_ERR_NOTFOUND, path, 0, 0, "no layer '%s' with weights in an initializer",
                    layer);
  } else {
    size_t cnt = 1;
    for (size_t i = 0; i < t->n_dims; i++) cnt *= (size_t)(t->dims[i] > 0 ? t->dims[i] : 0);
    float *v = malloc((cnt ? cnt : 1) * sizeof *v);
    if (!v) s = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (t->n_float_data == cnt) memcpy(v, t->float_data, cnt * sizeof *v);
    else if (t->has_raw_data && t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT &&
             t->raw_data.len == 4 * cnt) {
      for (size_t i = 0; i < cnt; i++) {
        uint32_t u = (uint32_t)t->raw_data.data[4 * i] | (uint32_t)t->raw_data.data[4 * i + 1] << 8 |
                     (uint32_t)t->raw_data.data[4 * i + 2] << 16 |
                     (uint32_t)t->raw_data.data[4 * i + 3] << 24;
        memcpy(&v[i], &u, 4);
      }
    } else {
      s = em_diag_set(d, EM_ERR_UNSUPPORTED, path, 0, 0,
                      "the weights of '%s' are not float32 data in the file", layer);
    }
    if (s == EM_OK) {
      *vals = v;
      *n = cnt;
    } else {
      free(v);
    }
  }
  model_free(&mo);
  return s;
}
