/*
 * fuzz_onnx.c - the ONNX reader and its shape inference, with a
 * structure-aware mutator.
 *
 * Byte mutations rarely get past the protobuf framing, so most of the
 * mutator's work is done on the decoded model: an input the reader's own
 * pre-scan accepts (wl_onnx_check_wire: the mutator must not overflow the
 * stack on a deeply nested input either) is decoded with protobuf-c, one to
 * four edits are made to what the reader interprets (dims of inputs,
 * initializers and constants; attribute ints and int lists; the names that
 * link nodes, initializers and graph inputs; node order, copies and
 * deletions; operator types), and the model is packed again.  An input that
 * does not decode, or a result larger than max_size, falls back to
 * libFuzzer's byte mutations.  Everything the edits store is malloc'd, as
 * protobuf-c's default allocator frees it.
 */
#include "fuzz_common.h"
#include "onnx/onnx.pb-c.h"
#include "wl_onnx.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  wl_network *net;
  if (wl_onnx_load(fuzz_file(data, size, ".onnx"), &net, &d) == EM_OK) wl_network_destroy(net);
  return 0;
}

/* ---- a seeded generator (xorshift64*) ---- */

static uint64_t next(uint64_t *r) {
  *r ^= *r >> 12;
  *r ^= *r << 25;
  *r ^= *r >> 27;
  return *r * 2685821657736338717ull;
}

static size_t below(uint64_t *r, size_t n) {
  return n ? (size_t)(next(r) % n) : 0;
}

/* Values at the edges of the reader's limits: 0, 1, -1, 2^31, 2^40, 2^62,
 * INT64 extremes, 2^64 + 64's factors, and small ones. */
static int64_t interesting(uint64_t *r) {
  static const int64_t v[] = {0,           1,
                              -1,          2,
                              3,           7,
                              -2,          64,
                              2147483647,  2147483648ll,
                              1ll << 40,   (1ll << 40) + 1,
                              1ll << 62,   INT64_MAX,
                              INT64_MIN,   536903681,
                              536838145,   -9};
  return below(r, 4) == 0 ? (int64_t)below(r, 17) - 8 : v[below(r, sizeof v / sizeof v[0])];
}

static char *copy(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

/* ---- the names of a graph ---- */

/* A name no seed uses. */
static const char *fresh(uint64_t *r) {
  static const char *const names[] = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"};
  return names[below(r, 8)];
}

/* Some name the graph already uses (a node's input or output, an
 * initializer, a graph input or output), or a fresh one. */
static const char *some_name(const Onnx__GraphProto *g, uint64_t *r) {
  for (int tries = 0; tries < 8; tries++) {
    switch (below(r, 4)) {
    case 0:
      if (g->n_node) {
        const Onnx__NodeProto *n = g->node[below(r, g->n_node)];
        if (n->n_input && below(r, 2)) return n->input[below(r, n->n_input)];
        if (n->n_output) return n->output[below(r, n->n_output)];
      }
      break;
    case 1:
      if (g->n_initializer && g->initializer[0]->name)
        return g->initializer[below(r, g->n_initializer)]->name;
      break;
    case 2:
      if (g->n_input && g->input[0]->name) return g->input[below(r, g->n_input)]->name;
      break;
    default:
      if (g->n_output && g->output[0]->name) return g->output[below(r, g->n_output)]->name;
      break;
    }
  }
  return below(r, 4) ? fresh(r) : "";
}

/* ---- edits ---- */

static bool set_string(char **slot, const char *v) {
  char *p = copy(v ? v : "");
  if (!p) return false;
  free(*slot);
  *slot = p;
  return true;
}

/* The dims of a shape-carrying message: a graph input, an initializer, a
 * Constant's tensor. */
static bool edit_dims(Onnx__GraphProto *g, uint64_t *r) {
  switch (below(r, 3)) {
  case 0: {
    if (!g->n_input) return false;
    Onnx__ValueInfoProto *v = g->input[below(r, g->n_input)];
    if (!v->type || v->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE ||
        !v->type->tensor_type || !v->type->tensor_type->shape)
      return false;
    Onnx__TensorShapeProto *sh = v->type->tensor_type->shape;
    if (!sh->n_dim) return false;
    Onnx__TensorShapeProto__Dimension *dm = sh->dim[below(r, sh->n_dim)];
    if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM) free(dm->dim_param);
    dm->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
    dm->dim_value = interesting(r);
    return true;
  }
  case 1: {
    Onnx__TensorProto *t = NULL;
    if (g->n_initializer && below(r, 2)) {
      t = g->initializer[below(r, g->n_initializer)];
    } else {
      for (size_t i = 0; i < g->n_node && !t; i++)
        for (size_t k = 0; k < g->node[i]->n_attribute && !t; k++)
          if (g->node[i]->attribute[k]->t) t = g->node[i]->attribute[k]->t;
    }
    if (!t) return false;
    if (t->n_dims && below(r, 3)) {
      t->dims[below(r, t->n_dims)] = interesting(r);
    } else {
      /* one dim more, or one fewer */
      if (below(r, 2) && t->n_dims) {
        t->n_dims--;
      } else {
        int64_t *p = realloc(t->dims, (t->n_dims + 1) * sizeof *p);
        if (!p) return false;
        t->dims = p;
        t->dims[t->n_dims++] = interesting(r);
      }
    }
    if (t->n_int64_data && below(r, 2)) t->int64_data[below(r, t->n_int64_data)] = interesting(r);
    return true;
  }
  default: {
    /* the values of an int64 initializer (a Reshape's shape, axes) */
    for (size_t i = 0; i < g->n_initializer; i++) {
      Onnx__TensorProto *t = g->initializer[(i + below(r, g->n_initializer)) % g->n_initializer];
      if (t->n_int64_data) {
        t->int64_data[below(r, t->n_int64_data)] = interesting(r);
        return true;
      }
    }
    return false;
  }
  }
}

/* Names of attributes the reader interprets. */
static const char *const attr_names[] = {
    "axes",      "perm",       "pads",   "strides", "kernel_shape", "dilations", "group",
    "axis",      "auto_pad",   "ceil_mode", "transA", "transB",     "allowzero", "value"};

/* An attribute's i, one of its ints, the length of its ints, or a new
 * attribute the reader knows. */
static bool edit_attr(Onnx__GraphProto *g, uint64_t *r) {
  if (!g->n_node) return false;
  Onnx__NodeProto *n = g->node[below(r, g->n_node)];
  if (!n->n_attribute || below(r, 4) == 0) {
    Onnx__AttributeProto *a = malloc(sizeof *a);
    Onnx__AttributeProto **arr = realloc(n->attribute, (n->n_attribute + 1) * sizeof *arr);
    if (!a || !arr) {
      free(a);
      if (arr) n->attribute = arr;
      return false;
    }
    n->attribute = arr;
    onnx__attribute_proto__init(a);
    a->name = copy(attr_names[below(r, sizeof attr_names / sizeof attr_names[0] - 1)]);
    if (!a->name) {
      free(a);
      return false;
    }
    a->has_type = 1;
    if (below(r, 2)) {
      a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
      a->has_i = 1;
      a->i = interesting(r);
    } else {
      a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
      size_t k = below(r, 10);
      a->ints = malloc((k ? k : 1) * sizeof *a->ints);
      if (!a->ints) {
        free(a->name);
        free(a);
        return false;
      }
      for (size_t i = 0; i < k; i++) a->ints[i] = below(r, 2) ? interesting(r) : (int64_t)i;
      a->n_ints = k;
    }
    n->attribute[n->n_attribute++] = a;
    return true;
  }
  Onnx__AttributeProto *a = n->attribute[below(r, n->n_attribute)];
  switch (below(r, 4)) {
  case 0:
    a->has_i = 1;
    a->i = interesting(r);
    return true;
  case 1:
    if (!a->n_ints) return false;
    a->ints[below(r, a->n_ints)] = interesting(r);
    return true;
  case 2: {
    /* a value more (a copy of one, or an edge value), or one fewer */
    if (a->n_ints && below(r, 2)) {
      a->n_ints--;
      return true;
    }
    int64_t *p = realloc(a->ints, (a->n_ints + 1) * sizeof *p);
    if (!p) return false;
    a->ints = p;
    a->ints[a->n_ints] = a->n_ints && below(r, 2) ? a->ints[below(r, a->n_ints)] : interesting(r);
    a->n_ints++;
    return true;
  }
  default:
    return set_string(&a->name, attr_names[below(r, sizeof attr_names / sizeof attr_names[0])]);
  }
}

/* The links: a node's input or output, an initializer's or graph input's
 * name, becomes another name of the graph (or a fresh or empty one). */
static bool edit_link(Onnx__GraphProto *g, uint64_t *r) {
  const char *to = some_name(g, r);
  switch (below(r, 3)) {
  case 0: {
    if (!g->n_node) return false;
    Onnx__NodeProto *n = g->node[below(r, g->n_node)];
    if (n->n_input && below(r, 2)) return set_string(&n->input[below(r, n->n_input)], to);
    /* an existing name as an output is mostly a second producer: fresh
     * names half the time */
    if (n->n_output)
      return set_string(&n->output[below(r, n->n_output)], below(r, 2) ? fresh(r) : to);
    return false;
  }
  case 1:
    if (!g->n_initializer) return false;
    return set_string(&g->initializer[below(r, g->n_initializer)]->name, to);
  default:
    if (!g->n_input) return false;
    return set_string(&g->input[below(r, g->n_input)]->name, to);
  }
}

/* Node order and count: two nodes swapped, one removed, one copied (packed
 * and decoded again: a deep copy). */
static bool edit_nodes(Onnx__GraphProto *g, uint64_t *r) {
  if (!g->n_node) return false;
  size_t i = below(r, g->n_node), j = below(r, g->n_node);
  switch (below(r, 3)) {
  case 0: {
    Onnx__NodeProto *t = g->node[i];
    g->node[i] = g->node[j];
    g->node[j] = t;
    return true;
  }
  case 1:
    onnx__node_proto__free_unpacked(g->node[i], NULL);
    memmove(&g->node[i], &g->node[i + 1], (g->n_node - i - 1) * sizeof *g->node);
    g->n_node--;
    return true;
  default: {
    size_t len = onnx__node_proto__get_packed_size(g->node[i]);
    uint8_t *buf = malloc(len ? len : 1);
    Onnx__NodeProto **arr = realloc(g->node, (g->n_node + 1) * sizeof *arr);
    if (arr) g->node = arr;
    if (!buf || !arr) {
      free(buf);
      return false;
    }
    onnx__node_proto__pack(g->node[i], buf);
    Onnx__NodeProto *c = onnx__node_proto__unpack(NULL, len, buf);
    free(buf);
    if (!c) return false;
    /* the copy goes at j, its outputs renamed half the time (else they
     * have two producers) */
    if (c->n_output && below(r, 2) && !set_string(&c->output[0], fresh(r))) {
      onnx__node_proto__free_unpacked(c, NULL);
      return false;
    }
    memmove(&g->node[j + 1], &g->node[j], (g->n_node - j) * sizeof *g->node);
    g->node[j] = c;
    g->n_node++;
    return true;
  }
  }
}

static const char *const ops[] = {"Conv", "MatMul", "Gemm", "MaxPool", "AveragePool",
                                  "GlobalAveragePool", "Flatten", "Reshape", "Transpose",
                                  "Squeeze", "Unsqueeze", "Concat", "Add", "Relu", "Softmax",
                                  "Shape", "Constant", "BatchNormalization", "QLinearConv",
                                  "QLinearMatMul", "If", "Bogus"};

static bool edit_op(Onnx__GraphProto *g, uint64_t *r) {
  if (!g->n_node) return false;
  return set_string(&g->node[below(r, g->n_node)]->op_type, ops[below(r, sizeof ops / sizeof ops[0])]);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed) {
  uint64_t r = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 1;
  em_diag d;
  Onnx__ModelProto *m = NULL;
  /* a quarter of the time, and whenever the structure is out of reach,
   * plain byte mutations */
  if (below(&r, 4) == 0 || wl_onnx_check_wire(data, size, &d) != EM_OK ||
      !(m = onnx__model_proto__unpack(NULL, size, data)) || !m->graph) {
    if (m) onnx__model_proto__free_unpacked(m, NULL);
    return LLVMFuzzerMutate(data, size, max_size);
  }
  Onnx__GraphProto *g = m->graph;
  size_t edits = 1 + below(&r, 4), done = 0;
  for (size_t e = 0; e < edits; e++) {
    bool ok;
    switch (below(&r, 5)) {
    case 0: ok = edit_dims(g, &r); break;
    case 1: ok = edit_attr(g, &r); break;
    case 2: ok = edit_link(g, &r); break;
    case 3: ok = edit_nodes(g, &r); break;
    default: ok = edit_op(g, &r); break;
    }
    done += ok;
  }
  size_t len = onnx__model_proto__get_packed_size(m);
  if (!done || len > max_size) {
    onnx__model_proto__free_unpacked(m, NULL);
    return LLVMFuzzerMutate(data, size, max_size);
  }
  onnx__model_proto__pack(m, data);
  onnx__model_proto__free_unpacked(m, NULL);
  return len;
}
