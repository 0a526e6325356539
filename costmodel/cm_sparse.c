/* cm_sparse.c - sparse formats and patterns (cm_sparse.h). */
#include "cm_sparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_float.h>

#include "em_parse.h"

static const char *const fmt_names[CM_FMT_COUNT] = {
#define CM_SPARSE_NAME(n, s, h) s,
    CM_SPARSE_FORMAT_MAP(CM_SPARSE_NAME)
#undef CM_SPARSE_NAME
};

const char *cm_sparse_format_name(cm_sparse_format f) {
  return f < CM_FMT_COUNT ? fmt_names[f] : "?";
}

static void defaults(cm_sparse_spec *s, cm_sparse_format f) {
  memset(s, 0, sizeof *s);
  s->fmt = f;
  s->block = 4;
  s->n = 2;
  s->m = 4;
  s->value_bits = 8;
  s->run_bits = 4;
}

bool cm_sparse_spec_parse(const char *text, cm_sparse_spec *spec) {
  /* numbers in 64 bits, range-checked (em_parse_u64_seq): 4294967298:4294967300 is not 2:4 */
  uint64_t v[2];
  const char *nm = text + (strncmp(text, "nm", 2) == 0 ? 2 : 0);
  if (em_parse_u64_seq(nm, ':', 2, 1, CM_SPARSE_NM_MAX, v) == EM_OK) {
    if (v[1] < 2 || v[0] >= v[1]) return false;
    defaults(spec, CM_FMT_NM);
    spec->n = (unsigned)v[0];
    spec->m = (unsigned)v[1];
    return true;
  }
  if (strncmp(text, "bsr", 3) == 0 && text[3]) {
    const char *p = text + 3 + (text[3] == ':');
    if (em_parse_u64_seq(p, ':', 1, 1, CM_SPARSE_BSR_MAX, v) != EM_OK) return false;
    defaults(spec, CM_FMT_BSR);
    spec->block = (unsigned)v[0];
    return true;
  }
  for (int f = 0; f < CM_FMT_COUNT; f++)
    if (strcmp(text, fmt_names[f]) == 0) {
      defaults(spec, (cm_sparse_format)f);
      return true;
    }
  return false;
}

void cm_sparse_spec_name(const cm_sparse_spec *s, char *buf, size_t size) {
  if (s->fmt == CM_FMT_NM) snprintf(buf, size, "%u:%u", s->n, s->m);
  else if (s->fmt == CM_FMT_BSR) snprintf(buf, size, "bsr%u", s->block);
  else snprintf(buf, size, "%s", cm_sparse_format_name(s->fmt));
}

/* Fewest bits that hold values 0 .. n - 1 (1 at least). */
static uint64_t bits_for(uint64_t n) {
  uint64_t b = 1;
  while (b < 64 && (1ull << b) < n) b++;
  return b;
}

uint64_t cm_sparse_nnz(const uint8_t *nz, uint64_t n) {
  uint64_t c = 0;
  for (uint64_t i = 0; i < n; i++) c += nz[i] != 0;
  return c;
}

em_status cm_sparse_storage_of(const cm_sparse_spec *s, const uint8_t *nz, uint64_t rows,
                               uint64_t cols, cm_sparse_storage *o, em_diag *d) {
  memset(o, 0, sizeof *o);
  if (rows == 0 || cols == 0 || rows > (1ull << 40) / cols)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "matrix %llu x %llu out of range",
                       (unsigned long long)rows, (unsigned long long)cols);
  uint64_t n = rows * cols, nnz = cm_sparse_nnz(nz, n);
  uint64_t vb = s->value_bits ? s->value_bits : 8;
  o->nnz = nnz;
  uint64_t meta_bits = 0;
#define IDX(range) (s->index_bits ? (uint64_t)s->index_bits : bits_for(range))
  switch (s->fmt) {
  case CM_FMT_DENSE:
  case CM_FMT_MASK:
    o->payload = n;
    break;
  case CM_FMT_CSR:
    o->payload = nnz;
    o->metadata = nnz + rows + 1;
    meta_bits = nnz * IDX(cols) + (rows + 1) * IDX(nnz + 1);
    break;
  case CM_FMT_CSC:
    o->payload = nnz;
    o->metadata = nnz + cols + 1;
    meta_bits = nnz * IDX(rows) + (cols + 1) * IDX(nnz + 1);
    break;
  case CM_FMT_COO:
    o->payload = nnz;
    o->metadata = 2 * nnz;
    meta_bits = nnz * (IDX(rows) + IDX(cols));
    break;
  case CM_FMT_BSR: {
    uint64_t b = s->block ? s->block : 4, br = (rows + b - 1) / b, bc = (cols + b - 1) / b;
    uint64_t nb = 0;
    for (uint64_t i = 0; i < br; i++)
      for (uint64_t j = 0; j < bc; j++) {
        bool any = false;
        for (uint64_t r = i * b; r < (i + 1) * b && r < rows && !any; r++)
          for (uint64_t c = j * b; c < (j + 1) * b && c < cols; c++)
            if (nz[r * cols + c]) {
              any = true;
              break;
            }
        nb += any;
      }
    o->payload = nb * b * b;
    o->metadata = nb + br + 1;
    meta_bits = nb * IDX(bc) + (br + 1) * IDX(nb + 1);
    break;
  }
  case CM_FMT_NM: {
    uint64_t m = s->m, keep = s->n, groups = (cols + m - 1) / m;
    for (uint64_t r = 0; r < rows; r++)
      for (uint64_t g = 0; g < groups; g++) {
        uint64_t c0 = g * m, cnt = 0;
        for (uint64_t c = c0; c < c0 + m && c < cols; c++) cnt += nz[r * cols + c] != 0;
        if (cnt > keep)
          return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                             "not %u:%u sparse: row %llu, columns %llu..%llu hold %llu "
                             "non-zeros",
                             s->n, s->m, (unsigned long long)r, (unsigned long long)c0,
                             (unsigned long long)(c0 + m - 1), (unsigned long long)cnt);
      }
    o->payload = rows * groups * keep;
    o->metadata = o->payload;
    meta_bits = o->metadata * IDX(m);
    break;
  }
  case CM_FMT_BITMAP:
    o->payload = nnz;
    o->metadata = n;
    meta_bits = n;
    break;
  case CM_FMT_RLE: {
    uint64_t rb = s->run_bits ? s->run_bits : 4, maxrun = (1ull << rb) - 1, run = 0;
    for (uint64_t i = 0; i < n; i++) {
      if (!nz[i]) {
        run++;
        continue;
      }
      /* a run longer than maxrun: explicit zeros, each ending a run of maxrun */
      while (run > maxrun) {
        o->payload++;
        o->metadata++;
        run -= maxrun + 1;
      }
      o->payload++;
      o->metadata++;
      run = 0;
    }
    meta_bits = o->metadata * rb;
    break;
  }
  case CM_FMT_CHANNEL: {
    uint64_t kept = 0;
    for (uint64_t r = 0; r < rows; r++) {
      bool any = false;
      for (uint64_t c = 0; c < cols && !any; c++) any = nz[r * cols + c] != 0;
      kept += any;
    }
    o->payload = kept * cols;
    break;
  }
  case CM_FMT_COUNT:
  default:
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "unknown sparse format");
  }
#undef IDX
  o->payload_bits = o->payload * vb;
  o->metadata_bits = meta_bits;
  o->bytes = (o->payload_bits + o->metadata_bits + 7) / 8;
  return EM_OK;
}

void cm_rank_occupancy_of(const cm_rank_format f[2], const uint8_t *nz, uint64_t rows,
                          uint64_t cols, cm_rank_occupancy *o) {
  memset(o, 0, sizeof *o);
  uint64_t nonempty = 0;
  for (uint64_t r = 0; r < rows; r++) {
    uint64_t k = cm_sparse_nnz(nz + r * cols, cols);
    nonempty += k > 0;
  }
  /* rank 1 (rows): one fiber of size rows */
  uint64_t fibers; /* rank-0 fibers that exist */
  switch (f[0]) {
  case CM_RANK_U: fibers = rows; break;
  case CM_RANK_UOP: o->metadata[0] = rows + 1; fibers = rows; break;
  case CM_RANK_B: o->metadata[0] = rows; fibers = nonempty; break;
  case CM_RANK_CP:
  case CM_RANK_RLE:
  default: o->metadata[0] = nonempty; fibers = nonempty; break;
  }
  bool keep_empty = fibers == rows;
  for (uint64_t r = 0; r < rows; r++) {
    uint64_t k = cm_sparse_nnz(nz + r * cols, cols);
    if (!keep_empty && k == 0) continue;
    switch (f[1]) {
    case CM_RANK_U: o->payload += cols; break;
    case CM_RANK_UOP: o->metadata[1] += cols + 1; o->payload += cols; break;
    case CM_RANK_B: o->metadata[1] += cols; o->payload += k; break;
    case CM_RANK_CP:
    case CM_RANK_RLE:
    default: o->metadata[1] += k; o->payload += k; break;
    }
  }
}

/* ---- patterns ---- */

static em_status check(uint64_t rows, uint64_t cols, double s, em_diag *d) {
  if (rows == 0 || cols == 0 || rows > (1ull << 40) / cols)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "matrix %llu x %llu out of range",
                       (unsigned long long)rows, (unsigned long long)cols);
  if (!(s >= 0.0 && s <= 1.0))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "sparsity %g is not in [0, 1]", s);
  return EM_OK;
}

static gsl_rng *rng(uint64_t seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r) gsl_rng_set(r, (unsigned long)seed);
  return r;
}

/* Zeroes k of the n items (item i covers the flags set by zero_item). */
static em_status zero_random(uint64_t n, uint64_t k, uint64_t seed,
                             void (*zero_item)(uint64_t i, void *arg), void *arg, em_diag *d) {
  if (k == 0) return EM_OK;
  uint64_t *idx = malloc(n * sizeof *idx);
  gsl_rng *r = rng(seed);
  if (!idx || !r) {
    free(idx);
    gsl_rng_free(r);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (uint64_t i = 0; i < n; i++) idx[i] = i;
  /* partial Fisher-Yates: the first k of a uniform shuffle */
  for (uint64_t i = 0; i < k; i++) {
    uint64_t j = i + (uint64_t)(gsl_rng_uniform(r) * (double)(n - i));
    if (j >= n) j = n - 1;
    uint64_t t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
    zero_item(idx[i], arg);
  }
  free(idx);
  gsl_rng_free(r);
  return EM_OK;
}

typedef struct {
  uint8_t *nz;
  uint64_t rows, cols, b, bc;
} zarg;

static void zero_one(uint64_t i, void *a) { ((zarg *)a)->nz[i] = 0; }
static void zero_row(uint64_t i, void *a) {
  zarg *z = a;
  memset(z->nz + i * z->cols, 0, z->cols);
}
static void zero_block(uint64_t i, void *a) {
  zarg *z = a;
  uint64_t bi = i / z->bc, bj = i % z->bc;
  for (uint64_t r = bi * z->b; r < (bi + 1) * z->b && r < z->rows; r++)
    for (uint64_t c = bj * z->b; c < (bj + 1) * z->b && c < z->cols; c++) z->nz[r * z->cols + c] = 0;
}

static uint64_t count_of(double s, uint64_t n) { return (uint64_t)llround(s * (double)n); }

em_status cm_sparse_gen_random(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                               uint64_t seed, em_diag *d) {
  em_status st = check(rows, cols, s, d);
  if (st != EM_OK) return st;
  uint64_t n = rows * cols;
  memset(nz, 1, n);
  zarg z = {nz, rows, cols, 0, 0};
  return zero_random(n, count_of(s, n), seed, zero_one, &z, d);
}

em_status cm_sparse_gen_channel(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                                uint64_t seed, em_diag *d) {
  em_status st = check(rows, cols, s, d);
  if (st != EM_OK) return st;
  memset(nz, 1, rows * cols);
  zarg z = {nz, rows, cols, 0, 0};
  return zero_random(rows, count_of(s, rows), seed, zero_row, &z, d);
}

em_status cm_sparse_gen_block(uint8_t *nz, uint64_t rows, uint64_t cols, uint32_t b, double s,
                              uint64_t seed, em_diag *d) {
  em_status st = check(rows, cols, s, d);
  if (st != EM_OK) return st;
  if (b == 0) return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "block size 0");
  memset(nz, 1, rows * cols);
  uint64_t br = (rows + b - 1) / b, bc = (cols + b - 1) / b;
  zarg z = {nz, rows, cols, b, bc};
  return zero_random(br * bc, count_of(s, br * bc), seed, zero_block, &z, d);
}

em_status cm_sparse_gen_nm(uint8_t *nz, uint64_t rows, uint64_t cols, uint32_t n, uint32_t m,
                           uint64_t seed, em_diag *d) {
  em_status st = check(rows, cols, 0, d);
  if (st != EM_OK) return st;
  if (n < 1 || n > m || m > 64)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "N:M must have 1 <= N <= M <= 64");
  gsl_rng *r = rng(seed);
  if (!r) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  memset(nz, 0, rows * cols);
  for (uint64_t row = 0; row < rows; row++)
    for (uint64_t c0 = 0; c0 < cols; c0 += m) {
      uint32_t g = (uint32_t)(cols - c0 < m ? cols - c0 : m);
      int pos[64], pick[64];
      for (uint32_t i = 0; i < g; i++) pos[i] = (int)i;
      uint32_t k = n < g ? n : g;
      gsl_ran_choose(r, pick, k, pos, g, sizeof pos[0]);
      for (uint32_t i = 0; i < k; i++) nz[row * cols + c0 + (uint64_t)pick[i]] = 1;
    }
  gsl_rng_free(r);
  return EM_OK;
}

em_status cm_sparse_prune_magnitude(const float *w, uint8_t *nz, uint64_t n, double s,
                                    em_diag *d) {
  em_status st = check(1, n ? n : 1, s, d);
  if (st != EM_OK) return st;
  float *a = malloc(n * sizeof *a);
  size_t *p = malloc(n * sizeof *p);
  if (!a || !p) {
    free(a);
    free(p);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (uint64_t i = 0; i < n; i++) a[i] = fabsf(w[i]);
  gsl_sort_float_index(p, a, 1, n); /* heapsort: ties in a fixed order */
  memset(nz, 1, n);
  uint64_t k = count_of(s, n);
  for (uint64_t i = 0; i < k; i++) nz[p[i]] = 0;
  free(a);
  free(p);
  return EM_OK;
}

/* ---- magnitude-pruned and skewed patterns ---- */

static const char *const pat_names[CM_PAT_COUNT] = {"uniform", "magnitude", "skewed"};

const char *cm_sparse_pattern_name(cm_sparse_pattern p) {
  return p < CM_PAT_COUNT ? pat_names[p] : "?";
}

bool cm_sparse_pattern_parse(const char *name, cm_sparse_pattern *out) {
  for (int i = 0; i < CM_PAT_COUNT; i++)
    if (strcmp(name, pat_names[i]) == 0) {
      *out = (cm_sparse_pattern)i;
      return true;
    }
  return false;
}

static em_status gen_magnitude(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                               uint64_t seed, em_diag *d) {
  uint64_t n = rows * cols;
  float *w = malloc(n * sizeof *w);
  gsl_rng *r = rng(seed);
  em_status st = EM_OK;
  if (!w || !r) {
    st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  for (uint64_t i = 0; i < rows; i++) {
    double scale = exp(0.5 * gsl_ran_ugaussian(r)); /* the filter's norm */
    for (uint64_t j = 0; j < cols; j++) w[i * cols + j] = (float)(scale * gsl_ran_ugaussian(r));
  }
  st = cm_sparse_prune_magnitude(w, nz, n, s, d);
done:
  free(w);
  gsl_rng_free(r);
  return st;
}

static em_status gen_skewed(uint8_t *nz, uint64_t rows, uint64_t cols, double s, uint64_t seed,
                            em_diag *d) {
  uint64_t n = rows * cols, keep_all = n - count_of(s, n), given = 0;
  uint64_t *keep = calloc(rows, sizeof *keep), *order = malloc(rows * sizeof *order);
  uint64_t *col = malloc(cols * sizeof *col);
  gsl_rng *r = rng(seed);
  em_status st = EM_OK;
  if (!keep || !order || !col || !r) {
    st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  for (uint64_t i = 0; i < rows; i++) order[i] = i;
  gsl_ran_shuffle(r, order, rows, sizeof *order);
  double h = 0; /* harmonic number: the shares' sum */
  for (uint64_t i = 0; i < rows; i++) h += 1.0 / (double)(i + 1);
  for (uint64_t i = 0; i < rows; i++) {
    uint64_t k = (uint64_t)floor((double)keep_all / ((double)(i + 1) * h));
    keep[order[i]] = k < cols ? k : cols;
    given += keep[order[i]];
  }
  /* what the floors and caps left over, one more to each row with room, in
   * rank order (at most cols passes) */
  while (given < keep_all)
    for (uint64_t i = 0; i < rows && given < keep_all; i++)
      if (keep[order[i]] < cols) {
        keep[order[i]]++;
        given++;
      }
  memset(nz, 0, n);
  for (uint64_t i = 0; i < rows; i++) {
    for (uint64_t j = 0; j < cols; j++) col[j] = j;
    for (uint64_t j = 0; j < keep[i]; j++) { /* the first keep[i] of a shuffle */
      uint64_t t = j + (uint64_t)(gsl_rng_uniform(r) * (double)(cols - j));
      if (t >= cols) t = cols - 1;
      uint64_t c = col[t];
      col[t] = col[j];
      col[j] = c;
      nz[i * cols + c] = 1;
    }
  }
done:
  free(keep);
  free(order);
  free(col);
  gsl_rng_free(r);
  return st;
}

em_status cm_sparse_gen_unstructured(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                                     cm_sparse_pattern p, uint64_t seed, em_diag *d) {
  em_status st = check(rows, cols, s, d);
  if (st != EM_OK) return st;
  switch (p) {
  case CM_PAT_MAGNITUDE: return gen_magnitude(nz, rows, cols, s, seed, d);
  case CM_PAT_SKEWED: return gen_skewed(nz, rows, cols, s, seed, d);
  case CM_PAT_UNIFORM: return cm_sparse_gen_random(nz, rows, cols, s, seed, d);
  case CM_PAT_COUNT:
  default: return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "unknown sparsity pattern");
  }
}
