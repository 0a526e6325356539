/*
 * wl_onnx.c - ONNX reader and shape inference (wl_onnx.h).
 *
 * The file is hostile until decoded.  In order:
 *   1. its size is checked (1 GiB) and it is read whole;
 *   2. a pre-scan walks the protobuf wire format with protobuf-c's own
 *      descriptors, without allocating: message nesting deeper than
 *      MAX_DEPTH is refused (protobuf-c decodes one message per level of C
 *      recursion, and 3,000 nested subgraphs in a 94 KB file overflowed the
 *      stack), and so is a non-repeated message field given twice in one
 *      message (protobuf-c merges the copies by concatenating their arrays,
 *      quadratic in the copies);
 *   3. protobuf-c decodes under a memory budget: the pre-scan adds up
 *      what it will allocate and refuses a file that needs more, and its
 *      allocator counts every byte, so a small file of empty repeated
 *      fields cannot make it allocate without bound;
 *   4. tensor names are interned by sorting (O(n log n) whatever the names;
 *      a hash table's worst case is chosen by whoever writes the names);
 *   5. nodes run in dependency order through a ready queue (Kahn's
 *      algorithm): O(n log n) in the nodes plus their links, where the old
 *      repeat-until-no-progress loop was quadratic on a reversed chain;
 *   6. every dimension, attribute list and product is checked against the
 *      limits below before it is used, in 64-bit arithmetic that cannot
 *      wrap (em_checked.h).
 */
#include "wl_onnx.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "em_checked.h"
#include "em_input.h"
#include "onnx/onnx.pb-c.h"

#define MAX_FILE (1ull << 30)
#define MAX_NODES 1000000u
/* Tensor-name references (node inputs and outputs, graph inputs,
 * initializers): 8 per node at the node limit; real models have about 3. */
#define MAX_REFS 8000000u
/* Message nesting: the recursion limit protobuf's own C++ parser applies by
 * default.  A model is ModelProto > GraphProto > NodeProto > AttributeProto >
 * TensorProto at most, 3 more levels per nested subgraph (If, Loop): 30
 * nested subgraphs fit.  Each level costs protobuf-c 1 to 1.5 KB of stack
 * (a depth of 100 decodes in a 150 KB stack, not in 100 KB). */
#define MAX_DEPTH 100
/* Largest dimension of a tensor. */
#define MAX_DIM (1ll << 40)
/* Most elements in a tensor (its non-zero dimensions multiplied): the sum of
 * two such counts still fits int64_t. */
#define MAX_ELEMS (1ll << 62)
/* Largest stride, dilation, pad and pooling window (WL_DIM_MAX, 2^31). */
#define MAX_ATTR ((int64_t)WL_DIM_MAX)
#define MAX_VALS 64 /* int64 values kept per tensor (shape tensors) */
/* Memory protobuf-c may use to decode a file of n bytes: 256 MiB + 8n.  A
 * real model needs about n (raw weights) plus about 350 bytes a node (10
 * times the node's bytes); a file of empty repeated fields would need 100
 * times its size. */
#define BUDGET_BASE (256ull << 20)
#define BUDGET_PER_BYTE 8u

#define NONE UINT32_MAX

/* ---- decoding ---- */

/* A protobuf-c allocator that refuses to go past a budget.  Each block
 * carries its size in a 16-byte header (which keeps malloc's alignment). */
typedef struct {
  size_t used, limit;
  bool over;
} budget_t;

static void *budget_alloc(void *data, size_t size) {
  budget_t *b = data;
  if (size > b->limit - b->used || b->limit - b->used - size < 16) {
    b->over = true;
    return NULL;
  }
  unsigned char *p = malloc(size + 16);
  if (!p) return NULL;
  memcpy(p, &size, sizeof size);
  b->used += size + 16;
  return p + 16;
}

static void budget_free(void *data, void *ptr) {
  budget_t *b = data;
  if (!ptr) return;
  unsigned char *p = (unsigned char *)ptr - 16;
  size_t size;
  memcpy(&size, p, sizeof size);
  b->used -= size + 16;
  free(p);
}

/* The pre-scan's verdict. */
typedef enum { SCAN_OK, SCAN_BAD, SCAN_DEEP, SCAN_TWICE } scan_result;

typedef struct {
  const uint8_t *base;
  size_t at; /* byte offset of the field at fault */
  const ProtobufCMessageDescriptor *msg;
  const ProtobufCFieldDescriptor *field;
  /* what protobuf-c will allocate, from its unpacking code (1.4): each
   * message's struct, each string's and unknown field's copy, each
   * repeated element (8 bytes at most), 16 bytes of our header a block;
   * plus its scratch list of 32 bytes a field (in slabs that double) for
   * the message with the most fields */
  uint64_t need, most_fields;
} scan_t;

/* A varint of at most `max` bytes; 0 if it does not end in time. */
static size_t varint(const uint8_t *p, size_t len, size_t max, uint64_t *v) {
  uint64_t r = 0;
  for (size_t i = 0; i < len && i < max; i++) {
    r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) {
      *v = r;
      return i + 1;
    }
  }
  return 0;
}

/* Walks one message of type `desc` (depth 1 = the outermost), descending
 * into its message fields; mirrors protobuf-c's framing rules (tags of at
 * most 5 bytes, lengths of at most 5 bytes and 2^31 - 1).  Recursion is
 * bounded by MAX_DEPTH; no allocation. */
static scan_result scan_msg(scan_t *s, const ProtobufCMessageDescriptor *desc, const uint8_t *p,
                            size_t len, int depth) {
  uint64_t seen = 0; /* non-repeated message fields met, by field index */
  uint64_t nfields = 0;
  size_t i = 0;
  s->need += desc->sizeof_message + 16;
  while (i < len) {
    nfields++;
    uint64_t key, v;
    size_t at = i, n = varint(p + i, len - i, 5, &key);
    if (!n || key >> 3 == 0) goto bad;
    i += n;
    unsigned wire = key & 7;
    const ProtobufCFieldDescriptor *f =
        key >> 3 <= UINT_MAX ? protobuf_c_message_descriptor_get_field(desc, (unsigned)(key >> 3))
                             : NULL;
    if (f && f->label == PROTOBUF_C_LABEL_REPEATED) s->need += 8;
    switch (wire) {
    case 0:
      if (!(n = varint(p + i, len - i, 10, &v))) goto bad;
      if (!f) s->need += 24 + n + 16;
      i += n;
      break;
    case 1:
      if (len - i < 8) goto bad;
      if (!f) s->need += 24 + 8 + 16;
      i += 8;
      break;
    case 5:
      if (len - i < 4) goto bad;
      if (!f) s->need += 24 + 4 + 16;
      i += 4;
      break;
    case 2:
      if (!(n = varint(p + i, len - i, 5, &v)) || v > INT_MAX || v > len - i - n) goto bad;
      i += n;
      if (!f) s->need += 24 + v + 16;
      else if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_BYTES)
        s->need += v + 1 + 16;
      else if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        s->need += 8 * v; /* packed: at most one element a byte */
      if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
        if (f->label != PROTOBUF_C_LABEL_REPEATED && !(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
          size_t k = (size_t)(f - desc->fields);
          if (k < 64 && (seen >> k & 1)) {
            s->at = (size_t)(p + at - s->base);
            s->msg = desc;
            s->field = f;
            return SCAN_TWICE;
          }
          if (k < 64) seen |= 1ull << k;
        }
        if (depth >= MAX_DEPTH) {
          s->at = (size_t)(p + at - s->base);
          return SCAN_DEEP;
        }
        scan_result r = scan_msg(s, f->descriptor, p + i, (size_t)v, depth + 1);
        if (r != SCAN_OK) return r;
      }
      i += (size_t)v;
      break;
    default:
      goto bad;
    }
  }
  if (nfields > s->most_fields) s->most_fields = nfields;
  return SCAN_OK;
bad:
  s->at = (size_t)(p + i - s->base);
  return SCAN_BAD;
}

static const char not_onnx[] =
    "not an ONNX model (the protobuf does not decode as a ModelProto with a graph: truncated, or "
    "another kind of file)";

/* The pre-scan of buf[len] as a message of type desc: well framed, nested
 * at most MAX_DEPTH deep, no non-repeated message field twice, and what
 * decoding allocates within *limit (set here from len). */
static em_status prescan(const char *path, const ProtobufCMessageDescriptor *desc,
                         const uint8_t *buf, size_t len, size_t *limit, em_diag *d) {
  scan_t s = {buf, 0, NULL, NULL, 0, 0};
  switch (scan_msg(&s, desc, buf, len, 1)) {
  case SCAN_OK: break;
  case SCAN_BAD: return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "%s", not_onnx);
  case SCAN_DEEP:
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0,
                       "messages nested more than %d deep at byte %zu (subgraphs within "
                       "subgraphs): refused before decoding",
                       MAX_DEPTH, s.at);
  case SCAN_TWICE:
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "field '%s' of %s given twice at byte %zu: merging copies of a message "
                       "is refused",
                       s.field->name, s.msg->name, s.at);
  }
  *limit = BUDGET_BASE + (size_t)BUDGET_PER_BYTE * len;
  if (s.need + 64 * s.most_fields > *limit)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0,
                       "decoding needs more than %zu MiB, the limit for a file of %zu bytes",
                       *limit >> 20, len);
  return EM_OK;
}

em_status wl_onnx_check_wire(const uint8_t *buf, size_t len, em_diag *d) {
  size_t limit;
  return prescan(NULL, &onnx__model_proto__descriptor, buf, len, &limit, d);
}

/* Pre-scans and decodes buf[len] as a message of type desc under *b;
 * *out is freed with protobuf_c_message_free_unpacked(*out, alloc). */
static em_status decode(const char *path, const ProtobufCMessageDescriptor *desc,
                        const uint8_t *buf, size_t len, budget_t *b, ProtobufCAllocator *alloc,
                        ProtobufCMessage **out, em_diag *d) {
  *out = NULL;
  em_status s = prescan(path, desc, buf, len, &b->limit, d);
  if (s != EM_OK) return s;
  b->used = 0;
  b->over = false;
  alloc->alloc = budget_alloc;
  alloc->free = budget_free;
  alloc->allocator_data = b;
  *out = protobuf_c_message_unpack(desc, alloc, len, buf);
  if (*out) return EM_OK;
  if (b->over)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0,
                       "decoding needs more than %zu MiB, the limit for a file of %zu bytes",
                       b->limit >> 20, len);
  return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "%s", not_onnx);
}

static em_status read_all(const char *path, uint8_t **out, size_t *len, em_diag *d) {
  struct stat st;
  if (stat(path, &st) != 0)
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  if ((uint64_t)st.st_size > MAX_FILE)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "larger than 1 GiB");
  FILE *f; /* a regular file only: it is read by its length */
  em_status os = em_input_open(path, "an ONNX model", EM_INPUT_REGULAR, &f, d);
  if (os != EM_OK) return os;
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

/* ---- tensors ---- */

typedef struct {
  const char *name;
  int state;      /* 0 not produced yet, 1 shape known, 2 produced, shape unknown */
  wl_onnx_shape s;
  bool init;      /* an initializer (weights) */
  unsigned bits;  /* 8 after QuantizeLinear / DequantizeLinear; 0: fp32 */
  int nvals;      /* -1: values unknown; else vals[0..nvals) in the pool */
  size_t vals;
} tensor_t;

/* A node's links: ids of its inputs and outputs (NONE for an empty name). */
typedef struct {
  const uint32_t *in, *out;
  size_t nin, nout;
} links_t;

typedef struct {
  const char *path;
  em_diag *d;
  tensor_t *t;   /* sorted by name: the id of a name is its index */
  size_t nt;
  int64_t *pool; /* known values of shape tensors */
  size_t npool, cappool;
  wl_network *net;
  unsigned unknown_n;
  char unknown[512];
  unsigned skipped, bn_folded, bn_alone;
  bool batch_seen; /* an input gave net->inferences */
} ctx_t;

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The id of name; NONE when the graph does not mention it. */
static uint32_t find(const ctx_t *c, const char *name) {
  if (!name || !*name) return NONE;
  size_t lo = 0, hi = c->nt;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int r = strcmp(c->t[mid].name, name);
    if (r == 0) return (uint32_t)mid;
    if (r < 0) lo = mid + 1;
    else hi = mid;
  }
  return NONE;
}

static tensor_t *tensor(ctx_t *c, uint32_t id) {
  return id == NONE ? NULL : &c->t[id];
}

/* A tensor's known values (NULL when it has none). */
static const int64_t *vals_of(const ctx_t *c, const tensor_t *t) {
  return t->nvals > 0 ? c->pool + t->vals : NULL;
}

/* Stores v[n] in the pool; false when out of memory. */
static bool keep_vals(ctx_t *c, tensor_t *t, const int64_t *v, int n) {
  if (n < 0) {
    t->nvals = -1;
    return true;
  }
  if (c->cappool - c->npool < (size_t)n) {
    size_t cap = c->cappool ? 2 * c->cappool : 256;
    while (cap - c->npool < (size_t)n) cap *= 2;
    int64_t *p = realloc(c->pool, cap * sizeof *p);
    if (!p) return false;
    c->pool = p;
    c->cappool = cap;
  }
  if (n) memcpy(c->pool + c->npool, v, (size_t)n * sizeof *v);
  t->vals = c->npool;
  t->nvals = n;
  c->npool += (size_t)n;
  return true;
}

/* Product of dims [from, to) into *out; false past MAX_ELEMS. */
static bool elems(const wl_onnx_shape *s, int from, int to, int64_t *out) {
  uint64_t p = 1;
  for (int i = from; i < to; i++)
    if (!em_mul_u64(p, (uint64_t)s->dim[i], &p) || p > (uint64_t)MAX_ELEMS) return false;
  *out = (int64_t)p;
  return true;
}

/* NULL if s is within the limits (each dim in [0, 2^40], the non-zero dims
 * multiplying to at most 2^62, so that any product of some of them fits
 * too); else what is wrong. */
static const char *shape_error(const wl_onnx_shape *s) {
  uint64_t p = 1;
  for (int i = 0; i < s->rank; i++) {
    if (s->dim[i] < 0 || s->dim[i] > MAX_DIM) return "a dimension is out of [0, 2^40]";
    if (s->dim[i] && (!em_mul_u64(p, (uint64_t)s->dim[i], &p) || p > (uint64_t)MAX_ELEMS))
      return "more than 2^62 elements";
  }
  return NULL;
}

/* int64 values of a small tensor (shape tensors), -1 if not available; the
 * count the dims claim is compared with the data's real length. */
static int tensor_vals(const Onnx__TensorProto *t, int64_t *v) {
  size_t n = 1;
  for (size_t i = 0; i < t->n_dims; i++) {
    if (t->dims[i] < 0 || t->dims[i] > MAX_VALS) return -1;
    n *= (size_t)t->dims[i];
    if (n > MAX_VALS) return -1;
  }
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

/* ---- nodes ---- */

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *n, const char *name) {
  for (size_t i = 0; i < n->n_attribute; i++)
    if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0) return n->attribute[i];
  return NULL;
}

static int64_t attr_i(const Onnx__NodeProto *n, const char *name, int64_t dflt) {
  const Onnx__AttributeProto *a = attr(n, name);
  return a && a->has_i ? a->i : dflt;
}

static bool attr_is(const Onnx__NodeProto *n, const char *name, const char *val) {
  const Onnx__AttributeProto *a = attr(n, name);
  return a && a->s.len == strlen(val) && memcmp(a->s.data, val, a->s.len) == 0;
}

static em_status bad(ctx_t *c, const Onnx__NodeProto *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static em_status bad(ctx_t *c, const Onnx__NodeProto *n, const char *fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  return em_diag_set(c->d, EM_ERR_PARSE, c->path, 0, 0, "node '%s' (%s): %s",
                     n->name && *n->name ? n->name : "(unnamed)", n->op_type, what);
}

/* An ints attribute of exactly `want` values, each in [lo, hi], into v
 * (left as it is when the attribute is absent). */
static em_status ints(ctx_t *c, const Onnx__NodeProto *n, const char *name, int64_t *v,
                      size_t want, int64_t lo, int64_t hi) {
  const Onnx__AttributeProto *a = attr(n, name);
  if (!a) return EM_OK;
  if (a->n_ints != want)
    return bad(c, n, "'%s' needs %zu values, got %zu", name, want, a->n_ints);
  for (size_t i = 0; i < want; i++) {
    if (a->ints[i] < lo || a->ints[i] > hi)
      return bad(c, n, "'%s' must be in [%lld, %lld], got %lld", name, (long long)lo,
                 (long long)hi, (long long)a->ints[i]);
    v[i] = a->ints[i];
  }
  return EM_OK;
}

static void note_unknown(ctx_t *c, const char *raw_op) {
  c->unknown_n++;
  /* the name is the file's: it goes to the terminal in a note, escaped */
  char op[72], key[80];
  em_escape(op, sizeof op, raw_op);
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

static void lname(char *dst, const Onnx__NodeProto *n, size_t idx) {
  if (n->name && *n->name) snprintf(dst, WL_NAME_MAX, "%s", n->name);
  else snprintf(dst, WL_NAME_MAX, "%s_%zu", n->op_type, idx);
}

/* Broadcast of a and b (numpy rules) into o (which may be a or b). */
static bool broadcast(const wl_onnx_shape *a, const wl_onnx_shape *b, wl_onnx_shape *o) {
  wl_onnx_shape r;
  r.rank = a->rank > b->rank ? a->rank : b->rank;
  for (int i = 0; i < r.rank; i++) {
    int ia = i - (r.rank - a->rank), ib = i - (r.rank - b->rank);
    int64_t da = ia >= 0 ? a->dim[ia] : 1, db = ib >= 0 ? b->dim[ib] : 1;
    if (da != db && da != 1 && db != 1) return false;
    r.dim[i] = da == 1 ? db : da;
  }
  *o = r;
  return true;
}

/* Conv and pool output sizes over the spatial dims of x; k = kernel (each
 * in [1, 2^40]).  Every attribute list must have one value per spatial
 * dimension (pads: two), each in range; the arithmetic cannot overflow:
 * d + pads <= 2^40 + 2^32, and the effective kernel is checked. */
static em_status spatial(ctx_t *c, const Onnx__NodeProto *n, const wl_onnx_shape *x,
                         const int64_t *k, bool ceil_mode, wl_onnx_shape *o, int64_t *stride) {
  int sd = x->rank - 2;
  int64_t pads[2 * WL_ONNX_MAX_RANK] = {0}, dil[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
  for (int i = 0; i < sd; i++) dil[i] = st[i] = 1;
  em_status s;
  if ((s = ints(c, n, "strides", st, (size_t)sd, 1, MAX_ATTR)) != EM_OK ||
      (s = ints(c, n, "dilations", dil, (size_t)sd, 1, MAX_ATTR)) != EM_OK ||
      (s = ints(c, n, "pads", pads, (size_t)(2 * sd), 0, MAX_ATTR)) != EM_OK)
    return s;
  bool same = false;
  if (attr(n, "auto_pad")) {
    same = attr_is(n, "auto_pad", "SAME_UPPER") || attr_is(n, "auto_pad", "SAME_LOWER");
    if (!same && !attr_is(n, "auto_pad", "NOTSET") && !attr_is(n, "auto_pad", "VALID"))
      return bad(c, n, "'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER or VALID");
  }
  *o = *x;
  for (int i = 0; i < sd; i++) {
    int64_t d = x->dim[2 + i];
    if (d < 1) return bad(c, n, "spatial dimension %d of the input is 0", i);
    if (k[i] < 1 || k[i] > MAX_DIM)
      return bad(c, n, "kernel dimension %d must be in [1, 2^40], got %lld", i, (long long)k[i]);
    uint64_t eff; /* (k - 1) * dilation + 1, the window's span */
    bool fits = em_mul_u64((uint64_t)(k[i] - 1), (uint64_t)dil[i], &eff) && eff < (1ull << 62);
    int64_t out;
    if (same) {
      out = (d + st[i] - 1) / st[i];
    } else {
      int64_t padded = d + pads[i] + pads[sd + i];
      if (!fits || (int64_t)eff + 1 > padded) return bad(c, n, "the kernel is larger than the padded input");
      int64_t span = padded - (int64_t)eff - 1;
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

/* Axes of a Squeeze or Unsqueeze over rank r, normalized to [0, r) into
 * ax[*na]: from the 'axes' attribute, or from the second input (opset 13);
 * *known false when that input's values are computed at run time. */
static em_status axes_of(ctx_t *c, const Onnx__NodeProto *n, const links_t *ln, int r,
                         int64_t *ax, size_t *na, bool *known) {
  const int64_t *v = NULL;
  size_t cnt = 0;
  *known = true;
  const Onnx__AttributeProto *a = attr(n, "axes");
  if (a) {
    v = a->ints;
    cnt = a->n_ints;
  } else if (ln->nin > 1 && ln->in[1] != NONE) {
    const tensor_t *t = &c->t[ln->in[1]];
    if (t->nvals < 0) {
      *known = false;
      return EM_OK;
    }
    v = vals_of(c, t);
    cnt = (size_t)t->nvals;
  }
  if (cnt > (size_t)r)
    return bad(c, n, "%zu axes for a rank of %d", cnt, r);
  for (size_t i = 0; i < cnt; i++) {
    if (v[i] < -r || v[i] >= r)
      return bad(c, n, "axis %lld out of range for a rank of %d", (long long)v[i], r);
    ax[i] = v[i] < 0 ? v[i] + r : v[i];
    for (size_t j = 0; j < i; j++)
      if (ax[j] == ax[i]) return bad(c, n, "axis %lld given twice", (long long)v[i]);
  }
  *na = cnt;
  return EM_OK;
}

/* One node whose inputs are all produced. */
static em_status run_node(ctx_t *c, const Onnx__NodeProto *n, size_t idx, const links_t *ln) {
  const char *op = n->op_type;
  size_t nin = ln->nin;
#define IN(i) ((size_t)(i) < nin ? tensor(c, ln->in[i]) : NULL)
  bool all_known = true;
  for (size_t i = 0; i < nin; i++)
    if (ln->in[i] != NONE && c->t[ln->in[i]].state != 1) all_known = false;
  tensor_t *x = IN(0);
  wl_onnx_shape out;
  out.rank = -1;
  int64_t outvals[MAX_VALS];
  int noutvals = -1;
  const tensor_t *passvals = NULL; /* an input whose values the output has */
  unsigned obits = 0;
  char name[WL_NAME_MAX];
  lname(name, n, idx);
  em_status s = EM_OK;
#define IS(op_name) (strcmp(op, op_name) == 0)
  bool qconv = IS("QLinearConv"), iconv = IS("ConvInteger");
  bool qmm = IS("QLinearMatMul"), imm = IS("MatMulInteger");
  if (IS("Constant")) {
    const Onnx__AttributeProto *a = attr(n, "value");
    if (!a || !a->t) return bad(c, n, "Constant without a tensor value");
    if (a->t->n_dims > WL_ONNX_MAX_RANK) return bad(c, n, "rank above 8");
    out.rank = (int)a->t->n_dims;
    for (int i = 0; i < out.rank; i++) out.dim[i] = a->t->dims[i];
    noutvals = tensor_vals(a->t, outvals);
  } else if (!all_known || !x) {
    /* an input whose shape is unknown: so is every output */
    c->skipped++;
  } else if (IS("Conv") || qconv || iconv) {
    tensor_t *w = IN(qconv ? 3 : 1);
    if (!w || w->s.rank != x->s.rank || x->s.rank < 3)
      return bad(c, n, "needs X and W of the same rank >= 3");
    int sd = x->s.rank - 2;
    int64_t k[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
    for (int i = 0; i < sd; i++) k[i] = w->s.dim[2 + i];
    const Onnx__AttributeProto *ka = attr(n, "kernel_shape");
    if (ka) {
      if (ka->n_ints != (size_t)sd)
        return bad(c, n, "'kernel_shape' needs %d values, got %zu", sd, ka->n_ints);
      for (int i = 0; i < sd; i++)
        if (ka->ints[i] != k[i]) return bad(c, n, "'kernel_shape' differs from the weights' shape");
    }
    int64_t g = attr_i(n, "group", 1);
    uint64_t wc;
    if (g < 1 || g > x->s.dim[1])
      return bad(c, n, "'group' must be in [1, %lld], got %lld", (long long)x->s.dim[1],
                 (long long)g);
    if (!em_mul_u64((uint64_t)w->s.dim[1], (uint64_t)g, &wc) || wc != (uint64_t)x->s.dim[1] ||
        w->s.dim[0] % g != 0)
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
       * convention): the output, and so the MACs, are exact.  No overflow:
       * (out - 1) * stride < the padded input, at most 2^40 + 2^32. */
      l.in_h = (uint64_t)((oh - 1) * (int64_t)l.stride_h + (int64_t)l.k_h);
      l.in_w = (uint64_t)((ow - 1) * (int64_t)l.stride_w + (int64_t)l.k_w);
      size_t bi = qconv ? 8 : 2;
      l.bias = nin > bi && ln->in[bi] != NONE;
      if (qconv || iconv || (x->bits && w->bits)) {
        l.w = (wl_prec){8, false};
        l.a = (wl_prec){8, false};
      }
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    } else {
      c->skipped++;
    }
  } else if (IS("Gemm")) {
    tensor_t *a = x, *b = IN(1);
    if (!b || a->s.rank != 2 || b->s.rank != 2) return bad(c, n, "Gemm takes two matrices");
    bool ta = attr_i(n, "transA", 0), tb = attr_i(n, "transB", 0);
    int64_t M = a->s.dim[ta ? 1 : 0], K = a->s.dim[ta ? 0 : 1];
    int64_t K2 = b->s.dim[tb ? 1 : 0], N = b->s.dim[tb ? 0 : 1];
    if (K != K2) return bad(c, n, "inner dimensions differ");
    out.rank = 2;
    out.dim[0] = M;
    out.dim[1] = N;
    wl_layer l = b->init ? wl_fc(name, (uint64_t)K, (uint64_t)N)
                         : wl_gemm(name, (uint64_t)M, (uint64_t)N, (uint64_t)K);
    if (b->init) l.batch = (uint64_t)M;
    else l.b_is_activation = true;
    l.bias = nin > 2 && ln->in[2] != NONE;
    if (a->bits && b->bits) l.w = l.a = (wl_prec){8, false};
    if ((s = add_layer(c, &l)) != EM_OK) return s;
  } else if (IS("MatMul") || qmm || imm) {
    tensor_t *a = x, *b = IN(qmm ? 3 : 1);
    if (!b || a->s.rank < 1 || b->s.rank < 1) return bad(c, n, "MatMul needs two tensors");
    wl_onnx_shape A = a->s, B = b->s;
    bool a1 = A.rank == 1, b1 = B.rank == 1;
    if (a1) {
      A.rank = 2;
      A.dim[1] = A.dim[0];
      A.dim[0] = 1;
    }
    if (b1) {
      B.rank = 2;
      B.dim[1] = 1;
    }
    int64_t M = A.dim[A.rank - 2], K = A.dim[A.rank - 1], K2 = B.dim[B.rank - 2],
            N = B.dim[B.rank - 1];
    if (K != K2) return bad(c, n, "inner dimensions differ");
    /* the batch dims (all but the last two) broadcast, numpy's rules:
     * [2,1,4,5] x [3,5,6] is 2 x 3 products of 4x5 by 5x6 */
    wl_onnx_shape ba = A, bb = B, bo;
    ba.rank -= 2;
    bb.rank -= 2;
    if (!broadcast(&ba, &bb, &bo)) return bad(c, n, "batch dimensions do not broadcast");
    out = bo;
    out.dim[out.rank++] = M;
    out.dim[out.rank++] = N;
    if (a1) {
      out.dim[out.rank - 2] = N;
      out.rank--;
    }
    if (b1) out.rank--;
    int64_t batch;
    uint64_t rows;
    if (!elems(&bo, 0, bo.rank, &batch) || !em_mul_u64((uint64_t)batch, (uint64_t)M, &rows))
      return bad(c, n, "the output has more than 2^62 elements");
    wl_layer l;
    if (b->init && bb.rank == 0) {
      /* one weight matrix for every batch: batch * M rows */
      l = wl_gemm(name, rows, (uint64_t)N, (uint64_t)K);
    } else {
      /* `batch` independent products (the GEMM view multiplies M by it) */
      l = wl_gemm(name, (uint64_t)M, (uint64_t)N, (uint64_t)K);
      l.batch = (uint64_t)batch;
      l.b_is_activation = true;
    }
    if (qmm || imm || (a->bits && b->bits)) l.w = l.a = (wl_prec){8, false};
    if ((s = add_layer(c, &l)) != EM_OK) return s;
  } else if (IS("MaxPool") || IS("AveragePool") || IS("LpPool")) {
    int64_t k[WL_ONNX_MAX_RANK], st[WL_ONNX_MAX_RANK];
    int sd = x->s.rank - 2;
    const Onnx__AttributeProto *ka = attr(n, "kernel_shape");
    if (sd < 1 || !ka) return bad(c, n, "needs kernel_shape for every spatial dimension");
    if ((s = ints(c, n, "kernel_shape", k, (size_t)sd, 1, MAX_ATTR)) != EM_OK) return s;
    if ((s = spatial(c, n, &x->s, k, attr_i(n, "ceil_mode", 0) != 0, &out, st)) != EM_OK)
      return s;
    if (sd == 2) {
      wl_layer l = wl_layer_make(WL_POOL, name);
      l.op = IS("MaxPool") ? WL_POOL_MAX : WL_POOL_AVG;
      l.batch = (uint64_t)x->s.dim[0];
      l.in_c = l.out_c = (uint64_t)x->s.dim[1];
      l.k_h = (uint64_t)k[0];
      l.k_w = (uint64_t)k[1];
      l.stride_h = (uint64_t)st[0];
      l.stride_w = (uint64_t)st[1];
      l.in_h = (uint64_t)((out.dim[2] - 1) * st[0] + k[0]);
      l.in_w = (uint64_t)((out.dim[3] - 1) * st[1] + k[1]);
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("GlobalAveragePool") || IS("GlobalMaxPool")) {
    out = x->s;
    if (out.rank < 3) return bad(c, n, "needs a spatial input");
    for (int i = 2; i < out.rank; i++) out.dim[i] = 1;
    if (x->s.rank == 4) {
      wl_layer l = wl_layer_make(WL_POOL, name);
      l.op = IS("GlobalMaxPool") ? WL_POOL_MAX : WL_POOL_AVG;
      l.batch = (uint64_t)x->s.dim[0];
      l.in_c = l.out_c = (uint64_t)x->s.dim[1];
      l.in_h = l.k_h = (uint64_t)x->s.dim[2];
      l.in_w = l.k_w = (uint64_t)x->s.dim[3];
      l.stride_h = l.stride_w = 1;
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("BatchNormalization")) {
    out = x->s;
    if (c->net->n_layers && c->net->layers[c->net->n_layers - 1].kind == WL_CONV) c->bn_folded++;
    else c->bn_alone++;
  } else if (IS("Relu") || IS("LeakyRelu") || IS("Sigmoid") || IS("Tanh") || IS("Clip") ||
             IS("Elu") || IS("Selu") || IS("HardSigmoid") || IS("HardSwish") || IS("Softplus") ||
             IS("Erf") || IS("Gelu") || IS("Exp") || IS("Log") || IS("Sqrt") || IS("Neg") ||
             IS("Abs") || IS("Identity") || IS("Dropout") || IS("Cast") || IS("Floor") ||
             IS("Ceil") || IS("Round") || IS("Sign") || IS("Not") || IS("Reciprocal") ||
             IS("Softmax") || IS("LogSoftmax") || IS("PRelu") || IS("LRN") ||
             IS("InstanceNormalization") || IS("LayerNormalization")) {
    out = x->s;
    obits = x->bits;
    passvals = x;
    if ((IS("Softmax") || IS("LogSoftmax")) && out.rank >= 1) {
      /* the axis is checked as Concat's and Flatten's are (2^62 on a rank-2
       * input passed); the layer's cost counts the elements, whichever the
       * axis (opset 13's default, the last, is the layer's row) */
      int64_t ax = attr_i(n, "axis", -1);
      if (ax < 0) ax += out.rank;
      if (ax < 0 || ax >= out.rank) return bad(c, n, "axis out of range");
    }
    if (IS("Softmax") && out.rank >= 1) {
      int64_t rows;
      if (!elems(&out, 0, out.rank - 1, &rows))
        return bad(c, n, "the input has more than 2^62 elements");
      wl_layer l = wl_eltwise(name, WL_ELT_SOFTMAX, 1, 1, (uint64_t)out.dim[out.rank - 1], 1);
      l.batch = (uint64_t)rows;
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("QuantizeLinear") || IS("DequantizeLinear")) {
    out = x->s;
    obits = 8;
  } else if (IS("Add") || IS("Sub") || IS("Mul") || IS("Div") || IS("Pow") || IS("Max") ||
             IS("Min") || IS("Sum") || IS("Mean") || IS("Equal") || IS("Greater") ||
             IS("Less") || IS("And") || IS("Or") || IS("Where")) {
    out = x->s;
    for (size_t i = 1; i < nin; i++)
      if (IN(i) && !broadcast(&out, &IN(i)->s, &out)) return bad(c, n, "inputs do not broadcast");
    /* a residual join: two activations of the same 4-d shape */
    if (IS("Add") && nin == 2 && IN(1) && !x->init && !IN(1)->init && out.rank == 4) {
      wl_layer l = wl_eltwise(name, WL_ELT_ADD, (uint64_t)out.dim[2], (uint64_t)out.dim[3],
                              (uint64_t)out.dim[1], 2);
      l.batch = (uint64_t)out.dim[0];
      if ((s = add_layer(c, &l)) != EM_OK) return s;
    }
  } else if (IS("Concat")) {
    out = x->s;
    int64_t ax = attr_i(n, "axis", 0);
    if (ax < 0) ax += out.rank;
    if (ax < 0 || ax >= out.rank) return bad(c, n, "axis out of range");
    for (size_t i = 1; i < nin; i++) {
      const tensor_t *t = IN(i);
      if (!t) continue;
      if (t->s.rank != out.rank) return bad(c, n, "inputs of different ranks");
      for (int k = 0; k < out.rank; k++)
        if (k != ax && t->s.dim[k] != out.dim[k])
          return bad(c, n, "inputs differ in dimension %d", k);
      out.dim[ax] += t->s.dim[ax];
      if (out.dim[ax] > MAX_DIM) return bad(c, n, "an output dimension is out of range");
    }
  } else if (IS("Flatten")) {
    int64_t ax = attr_i(n, "axis", 1);
    if (ax < 0) ax += x->s.rank;
    if (ax < 0 || ax > x->s.rank) return bad(c, n, "axis out of range");
    out.rank = 2;
    if (!elems(&x->s, 0, (int)ax, &out.dim[0]) || !elems(&x->s, (int)ax, x->s.rank, &out.dim[1]))
      return bad(c, n, "the output has more than 2^62 elements");
  } else if (IS("Reshape")) {
    const tensor_t *sh = IN(1);
    if (!sh || sh->nvals < 0) {
      c->skipped++; /* a shape computed at run time */
    } else {
      int64_t total;
      uint64_t known = 1;
      int neg = -1;
      if (sh->nvals > WL_ONNX_MAX_RANK) return bad(c, n, "rank above 8");
      if (!elems(&x->s, 0, x->s.rank, &total))
        return bad(c, n, "the input has more than 2^62 elements");
      out.rank = sh->nvals;
      const int64_t *v = vals_of(c, sh);
      for (int i = 0; i < out.rank; i++) {
        int64_t dv = v[i];
        if (dv == 0 && i < x->s.rank && !attr_i(n, "allowzero", 0)) dv = x->s.dim[i];
        if (dv == -1) {
          if (neg >= 0) return bad(c, n, "two -1 in the shape");
          neg = i;
          dv = 1;
        } else if (dv < 0 || dv > MAX_DIM) {
          return bad(c, n, "dimension %d of the shape must be in [-1, 2^40], got %lld", i,
                     (long long)v[i]);
        }
        out.dim[i] = dv;
        if (!em_mul_u64(known, (uint64_t)dv, &known) || known > (uint64_t)MAX_ELEMS)
          return bad(c, n, "the shape does not hold the input's elements");
      }
      if (neg >= 0) {
        if (known == 0 || (uint64_t)total % known) return bad(c, n, "the shape does not divide the input");
        out.dim[neg] = (int64_t)((uint64_t)total / known);
      } else if (known != (uint64_t)total) {
        return bad(c, n, "the shape does not hold the input's elements");
      }
    }
  } else if (IS("Transpose")) {
    out = x->s;
    int r = x->s.rank;
    const Onnx__AttributeProto *pa = attr(n, "perm");
    if (pa) {
      /* a permutation of 0 .. r-1: every index once */
      bool used[WL_ONNX_MAX_RANK] = {false};
      if (pa->n_ints != (size_t)r)
        return bad(c, n, "'perm' needs %d values, got %zu", r, pa->n_ints);
      for (int i = 0; i < r; i++) {
        int64_t p = pa->ints[i];
        if (p < 0 || p >= r || used[p])
          return bad(c, n, "'perm' must be a permutation of 0..%d", r - 1);
        used[p] = true;
        out.dim[i] = x->s.dim[p];
      }
    } else {
      for (int i = 0; i < r; i++) out.dim[i] = x->s.dim[r - 1 - i];
    }
  } else if (IS("Squeeze") || IS("Unsqueeze")) {
    int64_t ax[WL_ONNX_MAX_RANK];
    size_t na = 0;
    bool known;
    bool sq = IS("Squeeze");
    int r = x->s.rank;
    if (!sq) {
      /* the axes index the output, of rank r + (number of axes) */
      const Onnx__AttributeProto *a = attr(n, "axes");
      size_t cnt = a ? a->n_ints
                     : (nin > 1 && IN(1) && IN(1)->nvals >= 0 ? (size_t)IN(1)->nvals : 0);
      if (cnt > (size_t)(WL_ONNX_MAX_RANK - r)) return bad(c, n, "rank above 8");
      r += (int)cnt;
    }
    if ((s = axes_of(c, n, ln, r, ax, &na, &known)) != EM_OK) return s;
    if (!known) {
      c->skipped++; /* axes computed at run time */
    } else if (sq) {
      out.rank = 0;
      for (int i = 0; i < r; i++) {
        bool drop = na == 0 && x->s.dim[i] == 1;
        for (size_t j = 0; j < na; j++) drop |= ax[j] == i;
        if (drop && x->s.dim[i] != 1)
          return bad(c, n, "axis %d has size %lld, not 1", i, (long long)x->s.dim[i]);
        if (!drop) out.dim[out.rank++] = x->s.dim[i];
      }
    } else {
      int src = 0;
      out.rank = r;
      for (int i = 0; i < r; i++) {
        bool ins = false;
        for (size_t j = 0; j < na; j++) ins |= ax[j] == i;
        out.dim[i] = ins ? 1 : x->s.dim[src++];
      }
    }
  } else if (IS("Shape")) {
    out.rank = 1;
    out.dim[0] = x->s.rank;
    noutvals = x->s.rank;
    for (int i = 0; i < noutvals; i++) outvals[i] = x->s.dim[i];
  } else {
    note_unknown(c, op);
  }
#undef IS
#undef IN
  if (out.rank >= 0) {
    const char *e = shape_error(&out);
    if (e) return bad(c, n, "the output: %s", e);
  }
  for (size_t i = 0; i < ln->nout; i++) {
    tensor_t *t = tensor(c, ln->out[i]);
    if (!t) continue;
    if (t->state) return bad(c, n, "an output is produced twice");
    t->bits = obits;
    /* MaxPool's second output (the indices) has the shape of the first */
    if (out.rank >= 0 && (i == 0 || strcmp(op, "MaxPool") == 0)) {
      t->state = 1;
      t->s = out;
      if (i == 0 && passvals) {
        t->nvals = passvals->nvals;
        t->vals = passvals->vals;
      } else if (i == 0 && !keep_vals(c, t, outvals, noutvals)) {
        return em_diag_set(c->d, EM_ERR_NOMEM, c->path, 0, 0, "out of memory");
      }
    } else {
      t->state = 2;
    }
  }
  return EM_OK;
}

/* ---- the graph ---- */

typedef struct {
  Onnx__ModelProto *m;
  budget_t budget;
  ProtobufCAllocator alloc;
  ctx_t c;
  uint8_t *buf;
  uint32_t *ids;  /* every name reference, in the order of refs() */
  size_t *first;  /* node i's references start at first[i] */
} model_t;

static void model_free(model_t *mo) {
  if (mo->m) onnx__model_proto__free_unpacked(mo->m, &mo->alloc);
  free(mo->c.t);
  free(mo->c.pool);
  free(mo->buf);
  free(mo->ids);
  free(mo->first);
  wl_network_destroy(mo->c.net);
  memset(mo, 0, sizeof *mo);
}

/* Node i's links from the reference ids: its inputs, then its outputs. */
static links_t links(const model_t *mo, size_t i) {
  const Onnx__NodeProto *n = mo->m->graph->node[i];
  links_t l;
  l.in = mo->ids + mo->first[i];
  l.nin = n->n_input;
  l.out = l.in + n->n_input;
  l.nout = n->n_output;
  return l;
}

/* Every name the graph mentions is interned: sorted, made unique, one
 * tensor each; ids[] gives each reference's tensor.  References, in order:
 * initializers, graph inputs, then each node's inputs and outputs. */
static em_status intern(model_t *mo, em_diag *d) {
  const Onnx__GraphProto *g = mo->m->graph;
  ctx_t *c = &mo->c;
  size_t nref = g->n_initializer + g->n_input;
  for (size_t i = 0; i < g->n_node; i++) {
    nref += g->node[i]->n_input + g->node[i]->n_output;
    if (nref > MAX_REFS) break;
  }
  if (nref > MAX_REFS)
    return em_diag_set(d, EM_ERR_LIMIT, c->path, 0, 0,
                       "more than %u tensor names in the graph's nodes, inputs and initializers",
                       MAX_REFS);
  const char **names = malloc((nref ? nref : 1) * sizeof *names);
  mo->ids = malloc((nref ? nref : 1) * sizeof *mo->ids);
  mo->first = malloc((g->n_node ? g->n_node : 1) * sizeof *mo->first);
  if (!names || !mo->ids || !mo->first) {
    free(names);
    return em_diag_set(d, EM_ERR_NOMEM, c->path, 0, 0, "out of memory");
  }
  size_t r = 0;
  for (size_t i = 0; i < g->n_initializer; i++) names[r++] = g->initializer[i]->name;
  for (size_t i = 0; i < g->n_input; i++) names[r++] = g->input[i]->name;
  for (size_t i = 0; i < g->n_node; i++) {
    const Onnx__NodeProto *n = g->node[i];
    mo->first[i] = r;
    for (size_t k = 0; k < n->n_input; k++) names[r++] = n->input[k];
    for (size_t k = 0; k < n->n_output; k++) names[r++] = n->output[k];
  }
  /* the non-empty names, sorted and made unique */
  const char **u = malloc((nref ? nref : 1) * sizeof *u);
  if (!u) {
    free(names);
    return em_diag_set(d, EM_ERR_NOMEM, c->path, 0, 0, "out of memory");
  }
  size_t nu = 0;
  for (size_t i = 0; i < nref; i++)
    if (names[i] && *names[i]) u[nu++] = names[i];
  qsort(u, nu, sizeof *u, by_name);
  size_t nt = 0;
  for (size_t i = 0; i < nu; i++)
    if (nt == 0 || strcmp(u[nt - 1], u[i]) != 0) u[nt++] = u[i];
  c->t = calloc(nt ? nt : 1, sizeof *c->t);
  if (!c->t) {
    free(names);
    free(u);
    return em_diag_set(d, EM_ERR_NOMEM, c->path, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < nt; i++) {
    c->t[i].name = u[i];
    c->t[i].nvals = -1;
    c->t[i].s.rank = -1;
  }
  c->nt = nt;
  free(u);
  for (size_t i = 0; i < nref; i++) mo->ids[i] = find(c, names[i]);
  free(names);
  return EM_OK;
}

/* Shapes of the initializers and the graph's inputs. */
static em_status sources(model_t *mo, em_diag *d) {
  const Onnx__GraphProto *g = mo->m->graph;
  ctx_t *c = &mo->c;
  const char *path = c->path;
  for (size_t i = 0; i < g->n_initializer; i++) {
    const Onnx__TensorProto *t = g->initializer[i];
    tensor_t *x = tensor(c, mo->ids[i]);
    if (!x) continue;
    if (t->n_dims > WL_ONNX_MAX_RANK)
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "initializer '%s' has rank above 8", t->name);
    x->state = 1;
    x->init = true;
    x->s.rank = (int)t->n_dims;
    for (size_t k = 0; k < t->n_dims; k++) x->s.dim[k] = t->dims[k];
    const char *e = shape_error(&x->s);
    if (e) return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "initializer '%s': %s", t->name, e);
    int64_t v[MAX_VALS];
    if (!keep_vals(c, x, v, tensor_vals(t, v)))
      return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < g->n_input; i++) {
    const Onnx__ValueInfoProto *v = g->input[i];
    tensor_t *x = tensor(c, mo->ids[g->n_initializer + i]);
    if (!x || x->init) continue;
    const Onnx__TypeProto *tp = v->type;
    if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type ||
        !tp->tensor_type->shape) {
      x->state = 2;
      continue;
    }
    const Onnx__TensorShapeProto *sh = tp->tensor_type->shape;
    if (sh->n_dim > WL_ONNX_MAX_RANK)
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "input '%s' has rank above 8", v->name);
    x->state = 1;
    x->s.rank = (int)sh->n_dim;
    for (size_t k = 0; k < sh->n_dim; k++) {
      const Onnx__TensorShapeProto__Dimension *dm = sh->dim[k];
      int64_t val =
          dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ? dm->dim_value : 1;
      if (val < 0 || val > MAX_DIM)
        return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "input '%s' has a bad dimension", v->name);
      x->s.dim[k] = val ? val : 1; /* 0: unknown, as some exporters write it */
    }
    const char *e = shape_error(&x->s);
    if (e) return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "input '%s': %s", v->name, e);
    /* a run is the inputs' batch, their first dimension (an image's N, a
     * sequence batch's), where each input of two or more dimensions has
     * the same; none where they differ */
    if (x->s.rank >= 2) {
      uint64_t b = (uint64_t)x->s.dim[0];
      c->net->inferences = !c->batch_seen || c->net->inferences == b ? b : 0;
      c->batch_seen = true;
    }
  }
  return EM_OK;
}

/* A binary min-heap of node indices. */
typedef struct {
  uint32_t *a;
  size_t n;
} heap_t;

static void heap_push(heap_t *h, uint32_t v) {
  size_t i = h->n++;
  while (i && h->a[(i - 1) / 2] > v) {
    h->a[i] = h->a[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->a[i] = v;
}

static uint32_t heap_pop(heap_t *h) {
  uint32_t top = h->a[0], v = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t k = 2 * i + 1;
    if (k >= h->n) break;
    if (k + 1 < h->n && h->a[k + 1] < h->a[k]) k++;
    if (h->a[k] >= v) break;
    h->a[i] = h->a[k];
    i = k;
  }
  if (h->n) h->a[i] = v;
  return top;
}

/* Runs every node in dependency order (Kahn's algorithm).  A node waits for
 * each of its inputs not yet produced; when a tensor is produced, the nodes
 * that read it are told through a consumer list.  The order is the one a
 * pass over the nodes in file order, repeated until nothing is left, would
 * give (so a sorted file runs in file order): ready nodes after the last one
 * run wait in `now`, those before it in `later`, for the next pass. */
static em_status schedule(model_t *mo, em_diag *d) {
  const Onnx__GraphProto *g = mo->m->graph;
  ctx_t *c = &mo->c;
  size_t nn = g->n_node, nt = c->nt;
  em_status s = EM_OK;
  for (size_t i = 0; i < nn; i++)
    if (!g->node[i]->op_type)
      return em_diag_set(d, EM_ERR_PARSE, c->path, 0, 0, "node %zu has no operator", i);
  uint32_t *wait = calloc(nn ? nn : 1, sizeof *wait);   /* inputs not yet produced */
  size_t *cstart = calloc(nt + 1, sizeof *cstart);      /* consumers of tensor t: */
  uint32_t *cons = NULL;                                /* cons[cstart[t] .. cstart[t+1]) */
  heap_t now = {calloc(nn ? nn : 1, sizeof(uint32_t)), 0};
  heap_t later = {calloc(nn ? nn : 1, sizeof(uint32_t)), 0};
  size_t nlinks = 0;
  if (!wait || !cstart || !now.a || !later.a) goto nomem;
  for (size_t i = 0; i < nn; i++) {
    links_t ln = links(mo, i);
    for (size_t k = 0; k < ln.nin; k++)
      if (ln.in[k] != NONE && c->t[ln.in[k]].state == 0) {
        cstart[ln.in[k] + 1]++;
        wait[i]++;
        nlinks++;
      }
  }
  for (size_t t = 0; t < nt; t++) cstart[t + 1] += cstart[t];
  cons = malloc((nlinks ? nlinks : 1) * sizeof *cons);
  if (!cons) goto nomem;
  {
    size_t *fill = malloc((nt ? nt : 1) * sizeof *fill);
    if (!fill) goto nomem;
    memcpy(fill, cstart, nt * sizeof *fill);
    for (size_t i = 0; i < nn; i++) {
      links_t ln = links(mo, i);
      for (size_t k = 0; k < ln.nin; k++)
        if (ln.in[k] != NONE && c->t[ln.in[k]].state == 0) cons[fill[ln.in[k]]++] = (uint32_t)i;
    }
    free(fill);
  }
  for (size_t i = 0; i < nn; i++)
    if (!wait[i]) heap_push(&now, (uint32_t)i);
  size_t left = nn;
  for (;;) {
    if (!now.n) {
      /* a new pass over the file */
      heap_t tmp = now;
      now = later;
      later = tmp;
      if (!now.n) break;
    }
    uint32_t i = heap_pop(&now);
    links_t ln = links(mo, i);
    if ((s = run_node(c, g->node[i], i, &ln)) != EM_OK) goto out;
    left--;
    /* each tensor is produced once (run_node refuses a second producer), so
     * each consumer list is walked once */
    for (size_t k = 0; k < ln.nout; k++) {
      uint32_t t = ln.out[k];
      if (t == NONE) continue;
      for (size_t j = cstart[t]; j < cstart[t + 1]; j++)
        if (--wait[cons[j]] == 0) heap_push(cons[j] > i ? &now : &later, cons[j]);
    }
  }
  if (left) {
    size_t i = 0;
    while (i < nn && wait[i] == 0) i++;
    if (i == nn) i = 0;
    const Onnx__NodeProto *n = g->node[i];
    s = em_diag_set(d, EM_ERR_PARSE, c->path, 0, 0,
                    "%zu node(s) cannot run, e.g. '%s' (%s): a cycle in the graph or an input "
                    "that no node produces",
                    left, n->name ? n->name : "", n->op_type);
  }
  goto out;
nomem:
  s = em_diag_set(d, EM_ERR_NOMEM, c->path, 0, 0, "out of memory");
out:
  free(wait);
  free(cstart);
  free(cons);
  free(now.a);
  free(later.a);
  return s;
}

static em_status load_model(const char *path, model_t *mo, em_diag *d) {
  memset(mo, 0, sizeof *mo);
  size_t len;
  em_status s = read_all(path, &mo->buf, &len, d);
  if (s != EM_OK) return s;
  if (len == 0) return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "empty file, not an ONNX model");
  ProtobufCMessage *msg;
  if ((s = decode(path, &onnx__model_proto__descriptor, mo->buf, len, &mo->budget, &mo->alloc,
                  &msg, d)) != EM_OK)
    return s;
  mo->m = (Onnx__ModelProto *)msg;
  free(mo->buf); /* protobuf-c copied what it keeps */
  mo->buf = NULL;
  if (!mo->m->graph)
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "an ONNX ModelProto without a graph: no layers to read");
  Onnx__GraphProto *g = mo->m->graph;
  if (g->n_node > MAX_NODES)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "more than %u nodes", MAX_NODES);
  ctx_t *c = &mo->c;
  c->path = path;
  c->d = d;
  c->net = wl_network_create(g->name && *g->name ? g->name : "onnx", path);
  if (!c->net) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  if ((s = intern(mo, d)) != EM_OK || (s = sources(mo, d)) != EM_OK) return s;
  return schedule(mo, d);
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
      const tensor_t *t = tensor(&mo.c, find(&mo.c, g->output[i]->name));
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
  budget_t budget;
  ProtobufCAllocator alloc;
  ProtobufCMessage *msg;
  s = decode(path, &onnx__tensor_proto__descriptor, b, len, &budget, &alloc, &msg, d);
  free(b);
  if (s != EM_OK) return s;
  Onnx__TensorProto *t = (Onnx__TensorProto *)msg;
  if (t->n_dims > WL_ONNX_MAX_RANK) s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "rank above 8");
  else {
    sh->rank = (int)t->n_dims;
    for (size_t i = 0; i < t->n_dims; i++) sh->dim[i] = t->dims[i];
    const char *e = shape_error(sh);
    if (e) s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "the tensor: %s", e);
  }
  onnx__tensor_proto__free_unpacked(t, &alloc);
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
    if (nd->n_input > wi && nd->input[wi][0]) wname = nd->input[wi];
  }
  const Onnx__TensorProto *t = NULL;
  for (size_t i = 0; wname && i < g->n_initializer; i++)
    if (g->initializer[i]->name && strcmp(g->initializer[i]->name, wname) == 0) t = g->initializer[i];
  if (!t) {
    s = em_diag_set(d, EM_ERR_NOTFOUND, path, 0, 0, "no layer '%s' with weights in an initializer",
                    layer);
  } else {
    /* the count the dims claim (at most 2^62: checked when loading) must
     * match the data really in the file before anything is allocated */
    size_t cnt = 1;
    for (size_t i = 0; i < t->n_dims; i++) cnt *= (size_t)t->dims[i];
    bool in_floats = t->n_float_data == cnt;
    bool in_raw = t->has_raw_data && t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT &&
                  t->raw_data.len % 4 == 0 && t->raw_data.len / 4 == cnt;
    float *v = NULL;
    if (!in_floats && !in_raw)
      s = em_diag_set(d, EM_ERR_UNSUPPORTED, path, 0, 0,
                      "the weights of '%s' are not float32 data in the file", layer);
    else if (!(v = malloc((cnt ? cnt : 1) * sizeof *v)))
      s = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (in_floats)
      memcpy(v, t->float_data, cnt * sizeof *v);
    else
      for (size_t i = 0; i < cnt; i++) {
        uint32_t u = (uint32_t)t->raw_data.data[4 * i] | (uint32_t)t->raw_data.data[4 * i + 1] << 8 |
                     (uint32_t)t->raw_data.data[4 * i + 2] << 16 |
                     (uint32_t)t->raw_data.data[4 * i + 3] << 24;
        memcpy(&v[i], &u, 4);
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
