/*
 * wl_topology.c - SCALE-Sim v2 topology CSVs, read as they are (wl_load.h).
 *
 * Conventions kept from SCALE-Sim (scale-sim-v2, topology_utils.py):
 *  - padding is folded into the IFMAP size and the output size rounds up,
 *    E = ceil((H - R + S) / S): layers get ceil_mode;
 *  - a layer whose name contains "DP" is depthwise: SCALE-Sim runs it as
 *    Channels separate one-channel layers of Num Filter filters each, which
 *    is groups = Channels with Channels*Num Filter filters here (only in a
 *    file without a Groups column: with one, the column decides);
 *  - GEMM rows `name, M, N, K` are an M x K by K x N product (SCALE-Sim maps
 *    them to M output pixels, a window of K and N filters);
 *  - a 1 x 1 filter over a 1 x 1 map (no padding, one group) is a fully
 *    connected layer, as SCALE-Sim writes one;
 *  - no biases (SCALE-Sim counts none); a trailing comma is optional.
 * Optional columns (by name, any case, spaces or '_' ignored): Padding,
 * Groups, Bias, Weight Bits, Activation Bits, Sparsity, Pattern, Batch;
 * and, all four or none, Input Height, Input Width, Padding Height, Padding
 * Width: the convolution as it is (the input before padding, the zeros on
 * each side), of which the IFMAP columns are SCALE-Sim's view, the padded
 * rows and columns some window reads, (E - 1) S + R (what emlsim workloads
 * export writes, so that a padded layer reads back exactly and SCALE-Sim
 * still reads the file as the same layers).
 * Every error points at path:line:col of the offending field.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_csv.h"
#include "em_input.h"
#include "em_parse.h"
#include "wl_load.h"

typedef enum {
  COL_NAME, COL_IH, COL_IW, COL_FH, COL_FW, COL_CH, COL_NF, COL_STRIDE,
  COL_M, COL_N, COL_K,
  COL_PAD, COL_GROUPS, COL_BIAS, COL_WBITS, COL_ABITS, COL_SPARSITY, COL_PATTERN,
  COL_BATCH, COL_INH, COL_INW, COL_PADH, COL_PADW, COL_COUNT
} col_id;

static const char *const col_names[COL_COUNT] = {
    [COL_NAME] = "Layer name",     [COL_IH] = "IFMAP Height",
    [COL_IW] = "IFMAP Width",      [COL_FH] = "Filter Height",
    [COL_FW] = "Filter Width",     [COL_CH] = "Channels",
    [COL_NF] = "Num Filter",       [COL_STRIDE] = "Strides",
    [COL_M] = "M",                 [COL_N] = "N",
    [COL_K] = "K",                 [COL_PAD] = "Padding",
    [COL_GROUPS] = "Groups",       [COL_BIAS] = "Bias",
    [COL_WBITS] = "Weight Bits",   [COL_ABITS] = "Activation Bits",
    [COL_SPARSITY] = "Sparsity",   [COL_PATTERN] = "Pattern",
    [COL_BATCH] = "Batch",         [COL_INH] = "Input Height",
    [COL_INW] = "Input Width",     [COL_PADH] = "Padding Height",
    [COL_PADW] = "Padding Width",
};

static const col_id conv_required[] = {COL_NAME, COL_IH, COL_IW, COL_FH,
                                       COL_FW,   COL_CH, COL_NF, COL_STRIDE};
static const col_id gemm_required[] = {COL_NAME, COL_M, COL_N, COL_K};

typedef struct {
  const char *path;
  em_csv_reader *r;
  int where[COL_COUNT]; /* field index of each column, -1 if absent */
  size_t ncols;         /* header fields, trailing empty one dropped */
  bool gemm;
  em_diag *d;
} topo;

static col_id find_col(const char *name) {
  for (int i = 0; i < COL_COUNT; i++)
    if (em_name_eq(name, col_names[i])) return (col_id)i;
  /* Common spellings of the same columns. */
  if (em_name_eq(name, "Layer")) return COL_NAME;
  if (em_name_eq(name, "Num Filters") || em_name_eq(name, "Filters")) return COL_NF;
  if (em_name_eq(name, "Stride")) return COL_STRIDE;
  if (em_name_eq(name, "Pad")) return COL_PAD;
  return COL_COUNT;
}

static em_status read_header(topo *t) {
  const em_csv_field *f;
  size_t n;
  em_status st = em_csv_next(t->r, &f, &n, t->d);
  if (st != EM_OK) return st;
  if (n == 0)
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, 1, 1,
                       "empty topology: no header row and no layers");
  uint64_t line = em_csv_line(t->r);
  if (n > 1 && f[n - 1].len == 0) n--; /* SCALE-Sim's trailing comma */
  for (int i = 0; i < COL_COUNT; i++) t->where[i] = -1;
  for (size_t i = 0; i < n; i++) {
    if (f[i].len == 0)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[i].line, f[i].col, "empty column name");
    col_id c = find_col(f[i].text);
    if (c == COL_COUNT)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[i].line, f[i].col,
                         "unknown column '%s' (known: Layer name, IFMAP Height, IFMAP "
                         "Width, Filter Height, Filter Width, Channels, Num Filter, "
                         "Strides or M, N, K; optional: Padding, Groups, Bias, Weight "
                         "Bits, Activation Bits, Sparsity, Pattern, Batch, Input Height, "
                         "Input Width, Padding Height, Padding Width)",
                         f[i].text);
    if (t->where[c] >= 0)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[i].line, f[i].col,
                         "column '%s' appears twice", col_names[c]);
    t->where[c] = (int)i;
  }
  t->ncols = n;
  t->gemm = t->where[COL_M] >= 0 || t->where[COL_N] >= 0 || t->where[COL_K] >= 0;
  const col_id *req = t->gemm ? gemm_required : conv_required;
  size_t nreq = t->gemm ? sizeof gemm_required / sizeof *gemm_required
                        : sizeof conv_required / sizeof *conv_required;
  for (size_t i = 0; i < nreq; i++)
    if (t->where[req[i]] < 0)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, line, 1,
                         "missing column '%s' (a %s topology needs: %s)", col_names[req[i]],
                         t->gemm ? "GEMM" : "conv",
                         t->gemm ? "Layer Name, M, N, K"
                                 : "Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                                   "Filter Width, Channels, Num Filter, Strides");
  if (t->gemm)
    for (int c = COL_IH; c <= COL_STRIDE; c++)
      if (t->where[c] >= 0)
        return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[t->where[c]].line, f[t->where[c]].col,
                           "column '%s' does not belong in a GEMM (M, N, K) topology",
                           col_names[c]);
  if (t->gemm && (t->where[COL_PAD] >= 0 || t->where[COL_GROUPS] >= 0))
    return em_diag_set(t->d, EM_ERR_PARSE, t->path,
                       f[t->where[t->where[COL_PAD] >= 0 ? COL_PAD : COL_GROUPS]].line,
                       f[t->where[t->where[COL_PAD] >= 0 ? COL_PAD : COL_GROUPS]].col,
                       "'Padding' and 'Groups' do not apply to a GEMM topology");
  /* the layer as it is: all four columns or none, in a conv topology, and
   * not beside 'Padding' (which pads the IFMAP columns instead) */
  int exact = 0;
  for (int c = COL_INH; c <= COL_PADW; c++) exact += t->where[c] >= 0;
  for (int c = COL_INH; exact && c <= COL_PADW; c++) {
    if (t->gemm)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[t->where[c]].line, f[t->where[c]].col,
                         "column '%s' does not belong in a GEMM (M, N, K) topology",
                         col_names[c]);
    if (t->where[c] < 0)
      return em_diag_set(t->d, EM_ERR_PARSE, t->path, line, 1,
                         "missing column '%s': Input Height, Input Width, Padding Height "
                         "and Padding Width go together",
                         col_names[c]);
  }
  if (exact && t->where[COL_PAD] >= 0)
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[t->where[COL_PAD]].line, f[t->where[COL_PAD]].col,
                       "'Padding' pads the IFMAP columns, 'Padding Height' and 'Padding "
                       "Width' the Input columns: a file has one or the other");
  return EM_OK;
}

/* An integer field in [lo, hi], with a message naming the column. */
static em_status get_u64(topo *t, const em_csv_field *f, col_id c, uint64_t lo,
                         uint64_t hi, uint64_t *out) {
  if (f->len == 0)
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, f->line, f->col, "'%s' is empty",
                       col_names[c]);
  em_status st = em_parse_u64(f->text, out);
  if (st == EM_ERR_PARSE) {
    if (f->text[0] == '-' && em_parse_u64(f->text + 1, out) == EM_OK)
      return em_diag_set(t->d, EM_ERR_RANGE, t->path, f->line, f->col,
                         "'%s' must be in [%llu, %llu], got %s", col_names[c],
                         (unsigned long long)lo, (unsigned long long)hi, f->text);
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, f->line, f->col,
                       "'%s' must be an integer, got '%s'", col_names[c], f->text);
  }
  if (st != EM_OK || *out < lo || *out > hi)
    return em_diag_set(t->d, EM_ERR_RANGE, t->path, f->line, f->col,
                       "'%s' must be in [%llu, %llu], got %s", col_names[c],
                       (unsigned long long)lo, (unsigned long long)hi, f->text);
  return EM_OK;
}

static em_status get_prec(topo *t, const em_csv_field *f, col_id c, wl_prec *out) {
  em_status st = wl_prec_parse(f->text, out);
  if (st != EM_OK)
    return em_diag_set(t->d, st, t->path, f->line, f->col,
                       "'%s' must be a width in [1, 64] (8, int4, fp16, binary...), "
                       "got '%s'",
                       col_names[c], f->text);
  return EM_OK;
}

static em_status get_bool(topo *t, const em_csv_field *f, col_id c, bool *out) {
  const char *s = f->text;
  /* a value, not a name: compared whole, only its case ignored (em_name_eq
   * skips '-', '_' and spaces, which read "-1" and "t-r-u-e" as true) */
  if (!strcmp(s, "1") || !strcasecmp(s, "yes") || !strcasecmp(s, "true")) {
    *out = true;
    return EM_OK;
  }
  if (!strcmp(s, "0") || !strcasecmp(s, "no") || !strcasecmp(s, "false")) {
    *out = false;
    return EM_OK;
  }
  return em_diag_set(t->d, EM_ERR_PARSE, t->path, f->line, f->col,
                     "'%s' must be 0, 1, yes, no, true or false, got '%s'", col_names[c], s);
}

static em_status get_pattern(topo *t, const em_csv_field *f, wl_layer *l) {
  const char *s = f->text;
  if (em_name_eq(s, "dense")) {
    l->pattern = WL_SP_DENSE;
    return EM_OK;
  }
  if (em_name_eq(s, "unstructured") || em_name_eq(s, "random")) {
    l->pattern = WL_SP_UNSTRUCTURED;
    return EM_OK;
  }
  if (em_name_eq(s, "channel")) {
    l->pattern = WL_SP_CHANNEL;
    return EM_OK;
  }
  /* numbers in 64 bits, range-checked: 4294967297:4294967298 is not 1:2 */
  uint64_t v[2];
  if (em_parse_u64_seq(s, ':', 2, 1, 1024, v) == EM_OK && v[0] <= v[1]) {
    l->pattern = WL_SP_NM;
    l->nm_n = (unsigned)v[0];
    l->nm_m = (unsigned)v[1];
    return EM_OK;
  }
  if (strncmp(s, "block:", 6) == 0 && em_parse_u64_seq(s + 6, ':', 1, 1, 65536, v) == EM_OK) {
    l->pattern = WL_SP_BLOCK;
    l->block = (unsigned)v[0];
    return EM_OK;
  }
  return em_diag_set(t->d, EM_ERR_PARSE, t->path, f->line, f->col,
                     "'Pattern' must be dense, unstructured, channel, N:M (e.g. 2:4, "
                     "0 < N <= M <= 1024) or block:B (B in [1, 65536]), got '%s'",
                     s);
}

/* The Input and Padding columns of a conv row: the layer's own input and
 * padding, its output E the one the IFMAP columns give SCALE-Sim (the
 * IFMAP is (E - 1) S + R), at the rounding (down, as PyTorch's convolutions,
 * or up, as SCALE-Sim's) that makes it so. */
static em_status read_exact(topo *t, const em_csv_field *f, const uint64_t *v, wl_layer *l) {
  const uint64_t dmax = WL_DIM_MAX;
  uint64_t x[4];
  em_status st;
  for (int c = COL_INH; c <= COL_PADW; c++)
    if ((st = get_u64(t, &f[t->where[c]], (col_id)c, c <= COL_INW ? 1 : 0, dmax,
                      &x[c - COL_INH])) != EM_OK)
      return st;
  l->in_h = x[0];
  l->in_w = x[1];
  l->pad_h = x[2];
  l->pad_w = x[3];
  bool down[2], up[2];
  for (int dim = 0; dim < 2; dim++) {
    uint64_t in = x[dim], p = x[2 + dim], k = dim ? l->k_w : l->k_h, s = l->stride_h;
    col_id vc = dim ? COL_IW : COL_IH;
    if (in + 2 * p < k) /* wl_layer_validate says what is wrong (no overflow: 2^31 each) */
      return EM_OK;
    uint64_t span = in + 2 * p - k;
    /* the IFMAP view each rounding of the output reads: (E - 1) S + R */
    uint64_t e_down = span / s + 1, e_up = (span + s - 1) / s + 1;
    down[dim] = (e_down - 1) * s + k == v[vc];
    up[dim] = (e_up - 1) * s + k == v[vc];
    if (!down[dim] && !up[dim])
      return em_diag_set(t->d, EM_ERR_RANGE, t->path, f[t->where[vc]].line, f[t->where[vc]].col,
                         "'%s' %llu contradicts '%s' %llu and '%s' %llu: a filter of %llu at "
                         "stride %llu reads %llu of the padded input ((E - 1) S + R, E "
                         "rounded down; %llu rounded up)",
                         col_names[vc], (unsigned long long)v[vc],
                         col_names[dim ? COL_INW : COL_INH], (unsigned long long)in,
                         col_names[dim ? COL_PADW : COL_PADH], (unsigned long long)p,
                         (unsigned long long)k, (unsigned long long)s,
                         (unsigned long long)((e_down - 1) * s + k),
                         (unsigned long long)((e_up - 1) * s + k));
  }
  /* one rounding for both sides: down where it gives both views */
  if (down[0] && down[1]) l->ceil_mode = false;
  else if (up[0] && up[1]) l->ceil_mode = true;
  else
    return em_diag_set(t->d, EM_ERR_RANGE, t->path, f[t->where[COL_IW]].line, f[t->where[COL_IW]].col,
                       "'IFMAP Height' and 'IFMAP Width' need the output rounded two ways "
                       "(down on one side, up on the other)");
  return EM_OK;
}

static em_status read_row(topo *t, const em_csv_field *f, size_t n, wl_layer *l) {
  uint64_t line = em_csv_line(t->r);
  if (n > t->ncols && f[n - 1].len == 0) n--; /* trailing comma */
  if (n < t->ncols) /* pointing just past the last field */
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[n - 1].line, f[n - 1].col + f[n - 1].len,
                       "expected %zu fields as in the header, got %zu", t->ncols, n);
  if (n > t->ncols)
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, f[t->ncols].line, f[t->ncols].col,
                       "unexpected field '%s' beyond the %zu columns of the header",
                       f[t->ncols].text, t->ncols);
#define FIELD(c) (&f[t->where[c]])
#define HAS(c) (t->where[c] >= 0)
  const em_csv_field *nf = FIELD(COL_NAME);
  if (nf->len == 0)
    return em_diag_set(t->d, EM_ERR_PARSE, t->path, nf->line, nf->col,
                       "'Layer name' must not be empty");
  em_status st;
  uint64_t v[COL_COUNT] = {0};
  const uint64_t dmax = WL_DIM_MAX;
  if (t->gemm) {
    for (col_id c = COL_M; c <= COL_K; c++)
      if ((st = get_u64(t, FIELD(c), c, 1, dmax, &v[c])) != EM_OK) return st;
    *l = wl_gemm(nf->text, v[COL_M], v[COL_N], v[COL_K]);
  } else {
    for (col_id c = COL_IH; c <= COL_STRIDE; c++)
      if ((st = get_u64(t, FIELD(c), c, 1, dmax, &v[c])) != EM_OK) return st;
    uint64_t pad = 0, groups = 1;
    if (HAS(COL_PAD) && (st = get_u64(t, FIELD(COL_PAD), COL_PAD, 0, dmax, &pad)) != EM_OK)
      return st;
    if (HAS(COL_GROUPS) &&
        (st = get_u64(t, FIELD(COL_GROUPS), COL_GROUPS, 1, dmax, &groups)) != EM_OK)
      return st;
    uint64_t out_c = v[COL_NF];
    /* SCALE-Sim's depthwise rule, for its files: a Groups column, where
     * there is one, says it (emlsim workloads export writes one, so that a
     * dense layer named "ADPT" reads back dense). */
    if (!HAS(COL_GROUPS) && strstr(nf->text, "DP")) {
      groups = v[COL_CH];
      if (out_c > dmax / groups)
        return em_diag_set(t->d, EM_ERR_RANGE, t->path, FIELD(COL_NF)->line, FIELD(COL_NF)->col,
                           "'Num Filter' times 'Channels' of depthwise layer '%s' is "
                           "too large",
                           nf->text);
      out_c *= groups;
    }
    *l = wl_conv(nf->text, v[COL_IH], v[COL_IW], v[COL_CH], 1, out_c, 1, pad, groups);
    l->k_h = v[COL_FH];
    l->k_w = v[COL_FW];
    l->stride_h = l->stride_w = v[COL_STRIDE];
    l->ceil_mode = true;
    if (HAS(COL_INH) && (st = read_exact(t, f, v, l)) != EM_OK) return st;
    /* A 1 x 1 filter over a 1 x 1 map, dense and unpadded, is SCALE-Sim's
     * way of writing a fully connected layer (and emlsim workloads
     * export's): it reads as one, so that every model runs it as it runs
     * the network's own FC (the GPU as the GEMV a batch-1 FC is, not a
     * tiled GEMM of one row padded to a tile) */
    if (l->in_h == 1 && l->in_w == 1 && l->k_h == 1 && l->k_w == 1 && groups == 1 &&
        l->pad_h == 0 && l->pad_w == 0) {
      *l = wl_fc(nf->text, v[COL_CH], out_c);
    }
  }
  l->bias = false;
  if (HAS(COL_BIAS) && (st = get_bool(t, FIELD(COL_BIAS), COL_BIAS, &l->bias)) != EM_OK)
    return st;
  if (HAS(COL_WBITS) && (st = get_prec(t, FIELD(COL_WBITS), COL_WBITS, &l->w)) != EM_OK)
    return st;
  if (HAS(COL_ABITS) && (st = get_prec(t, FIELD(COL_ABITS), COL_ABITS, &l->a)) != EM_OK)
    return st;
  if (HAS(COL_BATCH) &&
      (st = get_u64(t, FIELD(COL_BATCH), COL_BATCH, 1, dmax, &l->batch)) != EM_OK)
    return st;
  if (HAS(COL_SPARSITY)) {
    const em_csv_field *sf = FIELD(COL_SPARSITY);
    double s;
    if (em_parse_f64(sf->text, &s) != EM_OK || !(s >= 0.0 && s < 1.0))
      return em_diag_set(t->d, EM_ERR_RANGE, t->path, sf->line, sf->col,
                         "'Sparsity' must be a fraction in [0, 1), got '%s'", sf->text);
    l->sparsity = s;
    if (s > 0.0) l->pattern = WL_SP_UNSTRUCTURED;
  }
  if (HAS(COL_PATTERN) && (st = get_pattern(t, FIELD(COL_PATTERN), l)) != EM_OK) return st;
  if (l->pattern == WL_SP_NM) {
    /* n of every m non-zero: the sparsity is 1 - n/m, and a Sparsity
     * column that says otherwise contradicts it */
    double nm = 1.0 - (double)l->nm_n / l->nm_m;
    if (HAS(COL_SPARSITY) && fabs(l->sparsity - nm) > 1e-9)
      return em_diag_set(t->d, EM_ERR_RANGE, t->path, FIELD(COL_SPARSITY)->line,
                         FIELD(COL_SPARSITY)->col,
                         "'Sparsity' %s contradicts 'Pattern' %u:%u, whose sparsity is %g",
                         FIELD(COL_SPARSITY)->text, l->nm_n, l->nm_m, nm);
    l->sparsity = nm;
  } else if (l->pattern == WL_SP_DENSE && l->sparsity > 0) {
    return em_diag_set(t->d, EM_ERR_RANGE, t->path, FIELD(COL_SPARSITY)->line,
                         FIELD(COL_SPARSITY)->col,
                       "'Sparsity' %s contradicts 'Pattern' dense", FIELD(COL_SPARSITY)->text);
  }
  l->src_line = line;
  st = wl_layer_validate(l, t->path, t->d);
  if (st != EM_OK && t->d && t->d->line == line && t->d->col == 0) {
    /* Point at the first column the message names, else at the layer name. */
    t->d->line = nf->line;
    t->d->col = nf->col;
    char quoted[64];
    for (int c = 0; c < COL_COUNT; c++) {
      if (!HAS(c)) continue;
      snprintf(quoted, sizeof quoted, "'%s'", col_names[c]);
      if (strstr(t->d->msg, quoted)) {
        t->d->line = FIELD(c)->line;
        t->d->col = FIELD(c)->col;
        break;
      }
    }
  }
#undef FIELD
#undef HAS
  return st;
}

static em_status read_all(const char *path, em_csv_reader *r, wl_network **out, em_diag *d) {
  topo t = {.path = em_input_name(path), .r = r, .d = d}; /* "-" is <stdin> in messages */
  *out = NULL;
  em_status st = read_header(&t);
  if (st != EM_OK) return st;
  /* Network name: the file name without folders and extension (SCALE-Sim). */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char name[WL_NAME_MAX];
  em_strlcpy(name, base, sizeof name);
  char *dot = strrchr(name, '.');
  if (dot && dot != name) *dot = '\0';
  wl_network *net = wl_network_create(name, path);
  if (!net) return em_diag_set(d, EM_ERR_NOMEM, t.path, 0, 0, "out of memory");
  for (;;) {
    const em_csv_field *f;
    size_t n;
    st = em_csv_next(r, &f, &n, d);
    if (st != EM_OK) goto fail;
    if (n == 0) break;
    wl_layer l;
    if ((st = read_row(&t, f, n, &l)) != EM_OK) goto fail;
    if ((st = wl_network_add(net, &l, d)) != EM_OK) goto fail;
    /* a run is the Batch column's inferences, where every row has one */
    if (t.where[COL_BATCH] >= 0)
      net->inferences = net->n_layers == 1 || l.batch == net->inferences ? l.batch : 0;
  }
  if (net->n_layers == 0) {
    st = em_diag_set(d, EM_ERR_PARSE, t.path, 1, 1, "topology has a header but no layers");
    goto fail;
  }
  *out = net;
  return EM_OK;
fail:
  wl_network_destroy(net);
  return st;
}

em_status wl_topology_read(const char *path, wl_network **out, em_diag *d) {
  em_csv_reader *r;
  *out = NULL;
  em_status st = em_csv_open(path, &r, d);
  if (st != EM_OK) return st;
  st = read_all(path, r, out, d);
  em_csv_close(r);
  return st;
}

em_status wl_topology_read_mem(const char *name, const char *buf, size_t len,
                               wl_network **out, em_diag *d) {
  em_csv_reader *r;
  *out = NULL;
  em_status st = em_csv_open_mem(name, buf, len, &r, d);
  if (st != EM_OK) return st;
  st = read_all(name, r, out, d);
  em_csv_close(r);
  return st;
}
