/* nn_cnn.c - the study book's SimpleCNN, trained in C (nn_cnn.h). */
#include "nn_cnn.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cm_quant.h"
#include "em_input.h"
#include "em_outfile.h"
#include "mac_arith.h"
#include "nn_stats.h"

/* Layer shapes. */
enum { H0 = 28, C1 = 16, H1 = 14, C2 = 32, H2 = 7, F3 = 128, F4 = 10 };
enum { K1 = 9, K2 = C1 * 9, N3 = C2 * H2 * H2 };
/* Parameter offsets in one flat array. */
enum {
  OW1 = 0,
  OB1 = OW1 + C1 * K1,
  OW2 = OB1 + C1,
  OB2 = OW2 + C2 * K2,
  OW3 = OB2 + C2,
  OB3 = OW3 + F3 * N3,
  OW4 = OB3 + F3,
  OB4 = OW4 + F4 * F3,
  NPARAM = OB4 + F4
};

struct nn_cnn {
  float p[NPARAM];
};

/* Per-sample work buffers. */
typedef struct {
  float x0[H0 * H0];
  float col1[K1 * H0 * H0], a1[C1 * H0 * H0], p1[C1 * H1 * H1];
  int idx1[C1 * H1 * H1];
  float col2[K2 * H1 * H1], a2[C2 * H1 * H1], p2[N3];
  int idx2[N3];
  /* col1 and col2 transposed: a position's patch in a row */
  float col1t[H0 * H0 * K1], col2t[H1 * H1 * K2];
  float h3[F3], z4[F4];
  /* backward */
  float dz4[F4], dh3[F3], dp2[N3], da2[C2 * H1 * H1], dcol2[K2 * H1 * H1], dp1[C1 * H1 * H1],
      da1[C1 * H0 * H0];
} work_t;

static void im2col(const float *in, int c, int h, float *col) {
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++) {
        float *row = col + ((size_t)(ci * 9 + ky * 3 + kx)) * h * h;
        for (int y = 0; y < h; y++)
          for (int x = 0; x < h; x++) {
            int sy = y + ky - 1, sx = x + kx - 1;
            row[y * h + x] = (sy < 0 || sy >= h || sx < 0 || sx >= h) ? 0 : in[(ci * h + sy) * h + sx];
          }
      }
}

/* colt (n x k) = col (k x n) transposed. */
static void transpose(const float *col, int k, int n, float *colt) {
  for (int kk = 0; kk < k; kk++)
    for (int j = 0; j < n; j++) colt[(size_t)j * k + kk] = col[(size_t)kk * n + j];
}

static void col2im(const float *col, int c, int h, float *in) {
  memset(in, 0, (size_t)c * h * h * sizeof(float));
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++) {
        const float *row = col + ((size_t)(ci * 9 + ky * 3 + kx)) * h * h;
        for (int y = 0; y < h; y++)
          for (int x = 0; x < h; x++) {
            int sy = y + ky - 1, sx = x + kx - 1;
            if (sy >= 0 && sy < h && sx >= 0 && sx < h) in[(ci * h + sy) * h + sx] += row[y * h + x];
          }
      }
}

/* out (co x n) = W (co x k) col (k x n) + b, ReLU */
static void conv_fwd(const float *w, const float *b, const float *col, int co, int k, int n,
                     float *out) {
  for (int i = 0; i < co; i++) {
    float *o = out + (size_t)i * n;
    for (int j = 0; j < n; j++) o[j] = b[i];
    for (int kk = 0; kk < k; kk++) {
      float a = w[i * k + kk];
      const float *r = col + (size_t)kk * n;
      for (int j = 0; j < n; j++) o[j] += a * r[j];
    }
    for (int j = 0; j < n; j++)
      if (o[j] < 0) o[j] = 0;
  }
}

static void pool_fwd(const float *in, int c, int h, float *out, int *idx) {
  int ho = h / 2;
  for (int ci = 0; ci < c; ci++)
    for (int y = 0; y < ho; y++)
      for (int x = 0; x < ho; x++) {
        int best = (ci * h + 2 * y) * h + 2 * x;
        for (int dy = 0; dy < 2; dy++)
          for (int dx = 0; dx < 2; dx++) {
            int i = (ci * h + 2 * y + dy) * h + 2 * x + dx;
            if (in[i] > in[best]) best = i;
          }
        out[(ci * ho + y) * ho + x] = in[best];
        idx[(ci * ho + y) * ho + x] = best;
      }
}

/* y = W x + b (ReLU if relu).  wt: W transposed (in x out), or NULL.  With
 * it, each output still sums b + w_0 x_0 + w_1 x_1 + ... in order (the same
 * floats), but all outputs at once, which vectorizes; a zero input is
 * skipped, as its products are zeros that change no sum (a sum starts at a
 * bias, which training never makes -0, and round-to-nearest makes no -0). */
static void fc_fwd(const float *w, const float *wt, const float *b, const float *x, int in,
                   int out, int relu, float *y) {
  if (wt) {
    memcpy(y, b, (size_t)out * sizeof(float));
    for (int i = 0; i < in; i++) {
      float xi = x[i];
      if (xi == 0) continue;
      const float *r = wt + (size_t)i * out;
      for (int j = 0; j < out; j++) y[j] += r[j] * xi;
    }
    if (relu)
      for (int j = 0; j < out; j++) y[j] = y[j] < 0 ? 0 : y[j];
    return;
  }
  for (int j = 0; j < out; j++) {
    const float *r = w + (size_t)j * in;
    float s = b[j];
    for (int i = 0; i < in; i++) s += r[i] * x[i];
    y[j] = relu && s < 0 ? 0 : s;
  }
}

static void load_x(const wl_dataset *ds, size_t i, float *x) {
  const uint8_t *p = ds->pixels + i * H0 * H0;
  for (int k = 0; k < H0 * H0; k++) x[k] = (float)p[k] / 255.0f;
}

/* w3t: the first FC layer's weights transposed (fc_fwd), or NULL. */
static void forward(const float *p, const float *w3t, work_t *w) {
  im2col(w->x0, 1, H0, w->col1);
  conv_fwd(p + OW1, p + OB1, w->col1, C1, K1, H0 * H0, w->a1);
  pool_fwd(w->a1, C1, H0, w->p1, w->idx1);
  im2col(w->p1, C1, H1, w->col2);
  conv_fwd(p + OW2, p + OB2, w->col2, C2, K2, H1 * H1, w->a2);
  pool_fwd(w->a2, C2, H1, w->p2, w->idx2);
  fc_fwd(p + OW3, w3t, p + OB3, w->p2, N3, F3, 1, w->h3);
  fc_fwd(p + OW4, NULL, p + OB4, w->h3, F3, F4, 0, w->z4);
}

/* The first FC layer's weights (F3 x N3) transposed for fc_fwd, rows
 * [lo, hi). */
static void transpose3_rows(const float *p, float *w3t, int lo, int hi) {
  for (int j = lo; j < hi; j++)
    for (int i = 0; i < N3; i++) w3t[(size_t)i * F3 + j] = p[OW3 + (size_t)j * N3 + i];
}

/* A filled transposed copy, or NULL where it does not fit (fc_fwd then runs
 * row by row: the same floats). */
static float *w3t_alloc(const float *p) {
  float *t = malloc((size_t)F3 * N3 * sizeof(float));
  if (t) transpose3_rows(p, t, 0, F3);
  return t;
}

static int argmax(const float *v, int n) {
  int b = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[b]) b = i;
  return b;
}

/* One output channel's k weight gradients: sacc[kk] = the sum over the
 * positions j, in order, of dr[j] x colt[j][kk] (colt: the patches in rows),
 * a zero dr[j] skipped (see backward). */
static inline void conv_dw(const float *dr, const float *colt, int n, int k, float *sacc) {
  for (int kk = 0; kk < k; kk++) sacc[kk] = 0;
  for (int j = 0; j < n; j++) {
    float dj = dr[j];
    if (dj == 0) continue;
    const float *cr = colt + (size_t)j * k;
    for (int kk = 0; kk < k; kk++) sacc[kk] += dj * cr[kk];
  }
}

/* Adds one sample's gradient to g, all but the first FC layer's weights
 * (their products dh3 x p2 are the caller's, see half_grad); returns its
 * loss.  The weight gradients of the convolutions run down each output
 * channel's positions with the patch of each in a row (col1t, col2t), so a
 * channel's k sums advance together: each still adds its positions in
 * order (the same floats), and a position whose gradient is zero is
 * skipped (its products are zeros, which change no sum: a sum starts at
 * +0, and round-to-nearest makes no -0). */
static double backward(const float *p, work_t *w, int label, float *g) {
  float mx = w->z4[argmax(w->z4, F4)], s = 0;
  for (int k = 0; k < F4; k++) s += expf(w->z4[k] - mx);
  for (int k = 0; k < F4; k++) w->dz4[k] = expf(w->z4[k] - mx) / s;
  double loss = -log((double)w->dz4[label] + 1e-12);
  w->dz4[label] -= 1;
  /* fc2 */
  memset(w->dh3, 0, sizeof w->dh3);
  for (int j = 0; j < F4; j++) {
    float dj = w->dz4[j];
    g[OB4 + j] += dj;
    for (int i = 0; i < F3; i++) {
      g[OW4 + j * F3 + i] += dj * w->h3[i];
      w->dh3[i] += p[OW4 + j * F3 + i] * dj;
    }
  }
  for (int i = 0; i < F3; i++)
    if (w->h3[i] <= 0) w->dh3[i] = 0;
  /* fc1: the bias and the gradient at its input */
  memset(w->dp2, 0, sizeof w->dp2);
  for (int j = 0; j < F3; j++) {
    float dj = w->dh3[j];
    if (dj == 0) continue;
    g[OB3 + j] += dj;
    const float *pw = p + OW3 + (size_t)j * N3;
    for (int i = 0; i < N3; i++) w->dp2[i] += pw[i] * dj;
  }
  /* pool2, ReLU */
  memset(w->da2, 0, sizeof w->da2);
  for (int i = 0; i < N3; i++) w->da2[w->idx2[i]] = w->dp2[i];
  for (int i = 0; i < C2 * H1 * H1; i++)
    if (w->a2[i] <= 0) w->da2[i] = 0;
  /* conv2: dW2 = da2 col2^T, dcol2 = W2^T da2 */
  const int n2 = H1 * H1;
  transpose(w->col2, K2, n2, w->col2t);
  memset(w->dcol2, 0, sizeof w->dcol2);
  for (int i = 0; i < C2; i++) {
    const float *dr = w->da2 + i * n2;
    float sb = 0;
    for (int j = 0; j < n2; j++) sb += dr[j];
    g[OB2 + i] += sb;
    float sacc[K2];
    conv_dw(dr, w->col2t, n2, K2, sacc);
    for (int kk = 0; kk < K2; kk++) {
      g[OW2 + i * K2 + kk] += sacc[kk];
      float a = p[OW2 + i * K2 + kk];
      float *dc = w->dcol2 + (size_t)kk * n2;
      for (int j = 0; j < n2; j++) dc[j] += a * dr[j];
    }
  }
  col2im(w->dcol2, C1, H1, w->dp1);
  /* pool1, ReLU */
  memset(w->da1, 0, sizeof w->da1);
  for (int i = 0; i < C1 * H1 * H1; i++) w->da1[w->idx1[i]] = w->dp1[i];
  for (int i = 0; i < C1 * H0 * H0; i++)
    if (w->a1[i] <= 0) w->da1[i] = 0;
  /* conv1: dW1 = da1 col1^T */
  const int n1 = H0 * H0;
  transpose(w->col1, K1, n1, w->col1t);
  for (int i = 0; i < C1; i++) {
    const float *dr = w->da1 + i * n1;
    float sb = 0;
    for (int j = 0; j < n1; j++) sb += dr[j];
    g[OB1 + i] += sb;
    float sacc[K1];
    conv_dw(dr, w->col1t, n1, K1, sacc);
    for (int kk = 0; kk < K1; kk++) g[OW1 + i * K1 + kk] += sacc[kk];
  }
  return loss;
}

em_status nn_cnn_create(uint64_t seed, nn_cnn **out, em_diag *d) {
  nn_cnn *c = calloc(1, sizeof *c);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!c || !r) {
    free(c);
    gsl_rng_free(r);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  gsl_rng_set(r, (unsigned long)seed);
  static const struct {
    int off, n, fan_in;
  } w[4] = {{OW1, C1 * K1, K1}, {OW2, C2 * K2, K2}, {OW3, F3 * N3, N3}, {OW4, F4 * F3, F3}};
  for (int l = 0; l < 4; l++)
    for (int i = 0; i < w[l].n; i++)
      c->p[w[l].off + i] = (float)gsl_ran_gaussian(r, sqrt(2.0 / w[l].fan_in));
  gsl_rng_free(r);
  *out = c;
  return EM_OK;
}

void nn_cnn_destroy(nn_cnn *c) { free(c); }

typedef struct {
  const float *p, *w3t;
  const wl_dataset *ds;
  const size_t *idx;
  size_t from, to;
  float *g;
  work_t *w;
  float *p2, *dh3; /* each sample's fc1 input and output gradient, one after another */
  double loss;
} half_t;

/* Inputs a tile of the first FC layer's weight-gradient sums spans: the
 * tile of every sample's inputs (32 x 256 floats for a 64-sample batch)
 * stays in cache while the 128 rows take them. */
enum { GW_TILE = 256 };

/* The summed gradient of one half of a batch.  The first FC layer's weight
 * gradients come after the samples' passes: every element gathers its
 * samples' products in sample order, as when each sample added its own in
 * turn (the same floats), but a tile of a row takes all its samples while
 * it is in cache rather than each sample walking all 200,704. */
static void *half_grad(void *arg) {
  half_t *h = arg;
  memset(h->g, 0, NPARAM * sizeof(float));
  h->loss = 0;
  size_t ns = h->to - h->from;
  for (size_t k = 0; k < ns; k++) {
    size_t i = h->idx[h->from + k];
    load_x(h->ds, i, h->w->x0);
    forward(h->p, h->w3t, h->w);
    h->loss += backward(h->p, h->w, h->ds->labels[i], h->g);
    memcpy(h->p2 + k * N3, h->w->p2, sizeof h->w->p2);
    memcpy(h->dh3 + k * F3, h->w->dh3, sizeof h->w->dh3);
  }
  for (int i0 = 0; i0 < N3; i0 += GW_TILE) {
    int i1 = N3 - i0 < GW_TILE ? N3 : i0 + GW_TILE;
    for (int j = 0; j < F3; j++) {
      float *gw = h->g + OW3 + (size_t)j * N3;
      for (size_t k = 0; k < ns; k++) {
        float dj = h->dh3[k * F3 + j];
        if (dj == 0) continue;
        const float *x = h->p2 + k * N3;
        for (int i = i0; i < i1; i++) gw[i] += dj * x[i];
      }
    }
  }
  return NULL;
}

/* One optimizer step on half of the parameters, and the first FC layer's
 * transposed weights for those of its rows: each parameter's update reads
 * only its own state, so the halves may run at once (the same floats). */
typedef struct {
  float *p, *w3t, *m, *v;
  const float *g0, *g1;
  const nn_train_cfg *tc;
  float inv;
  double b1t, b2t;
  int half;
} step_t;

static void *step_half(void *arg) {
  const step_t *s = arg;
  const nn_train_cfg *tc = s->tc;
  /* the halves split at a row of the first FC layer */
  const int cut = OW3 + (F3 / 2) * N3;
  int lo = s->half ? cut : 0, hi = s->half ? NPARAM : cut;
  nn_opt_step(tc, s->p + lo, s->g0 + lo, s->g1 + lo, s->m + lo, s->v + lo, (size_t)(hi - lo),
              s->inv, s->b1t, s->b2t);
  if (s->w3t) transpose3_rows(s->p, s->w3t, s->half ? F3 / 2 : 0, s->half ? F3 : F3 / 2);
  return NULL;
}

em_status nn_cnn_train(nn_cnn *c, const wl_dataset *ds, const nn_train_cfg *tc, FILE *log,
                       em_diag *d) {
  if (ds->rows != H0 || ds->cols != H0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "SimpleCNN takes 28 x 28 images");
  if (tc->batch < 2 || tc->epochs > 1000)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "batch >= 2 and at most 1000 epochs");
  /* the larger half of a batch; 1 when no batch fits in the data (no step) */
  size_t ns = tc->batch <= ds->n ? tc->batch - tc->batch / 2 : 1;
  size_t *idx = malloc((ds->n ? ds->n : 1) * sizeof *idx); /* malloc(0) may be NULL */
  float *g[2] = {malloc(NPARAM * sizeof(float)), malloc(NPARAM * sizeof(float))};
  float *m = calloc(NPARAM, sizeof(float)), *v = calloc(NPARAM, sizeof(float));
  float *w3t = w3t_alloc(c->p); /* NULL: row by row */
  work_t *w[2] = {malloc(sizeof(work_t)), malloc(sizeof(work_t))};
  float *p2[2] = {malloc(ns * N3 * sizeof(float)), malloc(ns * N3 * sizeof(float))};
  float *dh3[2] = {malloc(ns * F3 * sizeof(float)), malloc(ns * F3 * sizeof(float))};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  em_status st = EM_OK;
  if (!idx || !g[0] || !g[1] || !m || !v || !w[0] || !w[1] || !p2[0] || !p2[1] || !dh3[0] ||
      !dh3[1] || !r) {
    st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto out;
  }
  gsl_rng_set(r, (unsigned long)tc->seed);
  for (size_t i = 0; i < ds->n; i++) idx[i] = i;
  uint64_t t = 0;
  for (unsigned e = 0; e < tc->epochs; e++) {
    if (ds->n > 1) gsl_ran_shuffle(r, idx, ds->n, sizeof *idx); /* GSL aborts on 0 */
    double loss = 0;
    for (size_t b0 = 0; b0 + tc->batch <= ds->n; b0 += tc->batch) {
      half_t h[2];
      for (int k = 0; k < 2; k++)
        h[k] = (half_t){.p = c->p, .w3t = w3t, .ds = ds, .idx = idx, .g = g[k], .w = w[k],
                        .p2 = p2[k], .dh3 = dh3[k]};
      h[0].from = b0;
      h[0].to = b0 + tc->batch / 2;
      h[1].from = h[0].to;
      h[1].to = b0 + tc->batch;
      pthread_t th;
      bool threaded = tc->threads > 1 && pthread_create(&th, NULL, half_grad, &h[1]) == 0;
      half_grad(&h[0]);
      if (threaded) pthread_join(th, NULL);
      else half_grad(&h[1]);
      loss += h[0].loss + h[1].loss;
      t++;
      step_t sp[2];
      for (int k = 0; k < 2; k++)
        sp[k] = (step_t){c->p, w3t, m, v, g[0], g[1], tc, 1.0f / (float)tc->batch,
                         1 - pow(tc->beta1, (double)t), 1 - pow(tc->beta2, (double)t), k};
      threaded = tc->threads > 1 && pthread_create(&th, NULL, step_half, &sp[1]) == 0;
      step_half(&sp[0]);
      if (threaded) pthread_join(th, NULL);
      else step_half(&sp[1]);
    }
    if (log) {
      fprintf(log, "epoch %u: mean loss %.4f\n", e + 1, loss / (double)ds->n);
      fflush(log); /* the caller sees each epoch as it ends */
    }
  }
out:
  free(idx);
  free(g[0]);
  free(g[1]);
  free(m);
  free(v);
  free(w3t);
  free(w[0]);
  free(w[1]);
  free(p2[0]);
  free(p2[1]);
  free(dh3[0]);
  free(dh3[1]);
  gsl_rng_free(r);
  return st;
}

size_t nn_cnn_correct(const nn_cnn *c, const wl_dataset *ds, uint8_t *outcome) {
  work_t *w = malloc(sizeof *w);
  float *w3t = w3t_alloc(c->p);
  size_t right = w ? 0 : SIZE_MAX;
  for (size_t i = 0; w && i < ds->n; i++) {
    load_x(ds, i, w->x0);
    forward(c->p, w3t, w);
    int ok = argmax(w->z4, F4) == ds->labels[i];
    if (outcome) outcome[i] = (uint8_t)ok;
    right += (size_t)ok;
  }
  free(w3t);
  free(w);
  return right;
}

double nn_cnn_accuracy(const nn_cnn *c, const wl_dataset *ds) {
  return nn_fraction(nn_cnn_correct(c, ds, NULL), ds->n);
}

em_status nn_cnn_save(const nn_cnn *c, const char *path, em_diag *d) {
  em_outfile *o;
  em_status s = em_outfile_open(path, &o, d);
  if (s != EM_OK) return s;
  FILE *f = em_outfile_fp(o);
  fwrite("EMLSCNN1", 1, 8, f);
  for (int i = 0; i < NPARAM; i++) {
    uint32_t u;
    memcpy(&u, &c->p[i], 4);
    uint8_t b[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
    fwrite(b, 1, 4, f);
  }
  return em_outfile_commit(o, d);
}

em_status nn_cnn_load(nn_cnn **out, const char *path, em_diag *d) {
  *out = NULL;
  FILE *f;
  em_status s = em_input_open(path, "a weight file", 0, &f, d);
  if (s != EM_OK) return s;
  char magic[8];
  nn_cnn *c = calloc(1, sizeof *c);
  /* the magic and NPARAM floats, no more (a regular file's length is known) */
  uint64_t want = 8 + 4 * (uint64_t)NPARAM, have = em_input_bytes(f);
  if (!c) s = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  else if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "EMLSCNN1", 8) != 0)
    s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "not an emlsim SimpleCNN weight file (EMLSCNN1)");
  else if (have != EM_INPUT_STREAM_MAX && have > want)
    s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                    "overlong weight file: SimpleCNN's is %llu bytes, the file has %llu",
                    (unsigned long long)want, (unsigned long long)have);
  for (int i = 0; s == EM_OK && i < NPARAM; i++) {
    uint8_t b[4];
    if (fread(b, 1, 4, f) != 4) {
      s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "truncated weight file");
      break;
    }
    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    memcpy(&c->p[i], &u, 4);
    if (!isfinite(c->p[i])) s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "a weight is not finite");
  }
  /* and nothing after them */
  if (s == EM_OK) {
    char what[64];
    snprintf(what, sizeof what, "SimpleCNN's %llu bytes", (unsigned long long)want);
    s = nn_weight_file_end(f, path, what, d);
  }
  fclose(f);
  if (s != EM_OK) {
    free(c);
    return s;
  }
  *out = c;
  return EM_OK;
}

/* ---- quantized inference ---- */

typedef struct {
  int k, n;               /* inputs per output, outputs */
  const float *w, *b;
  cm_qparams aq;          /* input activations */
  cm_qparams *wq;         /* per output */
  int32_t *qw;
  int16_t *qw16;          /* the same codes in int16 where mac_dot16 fits, else NULL */
  int64_t *wsum;          /* sum of each row's codes (zero-point correction) */
  unsigned wa, wb, accb;
} qfc_t;

static em_status qfc_init(qfc_t *q, const float *w, const float *b, int k, int n, unsigned wbits,
                          unsigned abits, const double *acts, size_t nacts, em_diag *d) {
  memset(q, 0, sizeof *q);
  q->k = k;
  q->n = n;
  q->w = w;
  q->b = b;
  q->wq = malloc((size_t)n * sizeof *q->wq);
  q->qw = malloc((size_t)n * k * sizeof *q->qw);
  q->wsum = calloc((size_t)n, sizeof *q->wsum);
  double *wd = malloc((size_t)n * k * sizeof *wd);
  if (!q->wq || !q->qw || !q->wsum || !wd) {
    free(wd);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < (size_t)n * k; i++) wd[i] = w[i];
  cm_qconfig wc = {wbits, CM_Q_SYMMETRIC, CM_CALIB_MINMAX, 99.99};
  cm_qconfig ac = {abits, CM_Q_ASYMMETRIC, CM_CALIB_MINMAX, 99.99};
  em_status s = cm_qparams_per_channel(wd, (size_t)n, (size_t)k, &wc, q->wq, d);
  if (s == EM_OK) s = cm_qparams_compute(acts, nacts, &ac, &q->aq, d);
  q->wa = abits + 1;
  q->wb = wbits;
  /* each code as the wb-bit operand holds it (cm_quantize keeps the codes in
   * range, where mac_extend changes nothing) */
  for (int j = 0; s == EM_OK && j < n; j++)
    for (int i = 0; i < k; i++) {
      int64_t code = cm_quantize(wd[(size_t)j * k + i], &q->wq[j]);
      q->qw[(size_t)j * k + i] = (int32_t)mac_extend((uint64_t)code, q->wb, true);
      q->wsum[j] += q->qw[(size_t)j * k + i];
    }
  free(wd);
  q->accb = mac_acc_bits(q->wa, q->wb, (uint64_t)k);
  if (s == EM_OK && mac_dot16_fits(q->wa, q->wb, q->accb)) {
    if (!(q->qw16 = malloc((size_t)n * k * sizeof *q->qw16)))
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < (size_t)n * k; i++) q->qw16[i] = (int16_t)q->qw[i];
  }
  return s;
}

static void qfc_free(qfc_t *q) {
  free(q->wq);
  free(q->qw);
  free(q->qw16);
  free(q->wsum);
}

/* An activation's code as the wa-bit operand holds it. */
static int32_t qfc_code(const qfc_t *q, float x) {
  return (int32_t)mac_extend((uint64_t)cm_quantize(x, &q->aq), q->wa, true);
}

/* The codes of n activations. */
static void qfc_codes(const qfc_t *q, const float *x, int n, int32_t *qa) {
  for (int i = 0; i < n; i++) qa[i] = qfc_code(q, x[i]);
}

/* y[j] = dequant(sum mac_step(qa, qw_j)) + b_j for one input vector of
 * codes qa (qfc_codes); the MAC chain as mac_dot, its equal, or mac_dot16
 * where the operands and the accumulator are narrow enough. */
static void qfc_apply(const qfc_t *q, const int32_t *qa, float *y, int relu) {
  int16_t qa16[N3]; /* the longest row: fc1's */
  _Static_assert((int)N3 >= K1 && (int)N3 >= K2 && (int)N3 >= (int)F3,
                 "qa16 holds every layer's row");
  if (q->qw16)
    for (int i = 0; i < q->k; i++) qa16[i] = (int16_t)qa[i];
  for (int j = 0; j < q->n; j++) {
    uint64_t dot = q->qw16 ? mac_dot16(qa16, q->qw16 + (size_t)j * q->k, (size_t)q->k, q->accb)
                           : mac_dot(qa, q->qw + (size_t)j * q->k, (size_t)q->k, q->accb);
    int64_t a = mac_extend(dot, q->accb, true);
    /* symmetric weights (zero point 0); the activations' zero point times
     * the row's code sum */
    double v = q->aq.scale * q->wq[j].scale * (double)(a - q->aq.zero_point * q->wsum[j]) + q->b[j];
    y[j] = relu && v < 0 ? 0 : (float)v;
  }
}

/* The codes of position pos's 3x3 patch of a c x h x h map of codes, in
 * im2col's order (channel, row, column), pad where the patch leaves the map:
 * the codes of im2col's column of floats. */
static void patch_codes(const int32_t *map, int c, int h, int pos, int32_t pad, int32_t *patch) {
  int y = pos / h, x = pos % h;
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++) {
        int sy = y + ky - 1, sx = x + kx - 1;
        patch[ci * 9 + ky * 3 + kx] =
            (sy < 0 || sy >= h || sx < 0 || sx >= h) ? pad : map[(ci * h + sy) * h + sx];
      }
}

em_status nn_cnn_qaccuracy(const nn_cnn *c, unsigned wbits, unsigned abits, int keep_ends,
                           const wl_dataset *calib, size_t ncalib, const wl_dataset *test,
                           size_t ntest, double *acc, uint8_t *outcome, em_diag *d) {
  if (ncalib > calib->n) ncalib = calib->n;
  if (ncalib == 0) ncalib = 1;
  if (ntest == 0 || ntest > test->n) ntest = test->n;
  /* calibration: each layer's input activations (conv: patches, sampled) */
  size_t n0 = ncalib * H0 * H0, n1 = ncalib * C1 * H1 * H1, n2 = ncalib * N3, n3 = ncalib * F3;
  double *a0 = malloc(n0 * sizeof *a0), *a1 = malloc(n1 * sizeof *a1), *a2 = malloc(n2 * sizeof *a2),
         *a3 = malloc(n3 * sizeof *a3);
  work_t *w = malloc(sizeof *w);
  em_status s = EM_OK;
  qfc_t q[4];
  memset(q, 0, sizeof q);
  if (!a0 || !a1 || !a2 || !a3 || !w) {
    s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < ncalib; i++) {
    load_x(calib, i, w->x0);
    forward(c->p, NULL, w);
    for (int k = 0; k < H0 * H0; k++) a0[i * H0 * H0 + k] = w->x0[k];
    for (int k = 0; k < C1 * H1 * H1; k++) a1[i * C1 * H1 * H1 + k] = w->p1[k];
    for (int k = 0; k < N3; k++) a2[i * N3 + k] = w->p2[k];
    for (int k = 0; k < F3; k++) a3[i * F3 + k] = w->h3[k];
  }
  unsigned eb = keep_ends ? 8 : wbits, ea = keep_ends ? 8 : abits;
  if ((s = qfc_init(&q[0], c->p + OW1, c->p + OB1, K1, C1, eb, ea, a0, n0, d)) != EM_OK ||
      (s = qfc_init(&q[1], c->p + OW2, c->p + OB2, K2, C2, wbits, abits, a1, n1, d)) != EM_OK ||
      (s = qfc_init(&q[2], c->p + OW3, c->p + OB3, N3, F3, wbits, abits, a2, n2, d)) != EM_OK ||
      (s = qfc_init(&q[3], c->p + OW4, c->p + OB4, F3, F4, eb, ea, a3, n3, d)) != EM_OK)
    goto out;
  size_t right = 0;
  float outv[C2];
  int32_t qa[C1 * H1 * H1], patch[K2]; /* the largest map: pool1's */
  _Static_assert(C1 * H1 * H1 >= H0 * H0 && C1 * H1 * H1 >= N3 && C1 * H1 * H1 >= F3,
                 "qa holds every layer's input codes");
  /* the code of im2col's zero padding, each convolution's own */
  const int32_t pad1 = qfc_code(&q[0], 0), pad2 = qfc_code(&q[1], 0);
  for (size_t i = 0; i < ntest; i++) {
    load_x(test, i, w->x0);
    /* conv1 position by position: the FC layer of its 3x3 patch, whose
     * codes are the input's (each activation quantized once) */
    qfc_codes(&q[0], w->x0, H0 * H0, qa);
    for (int pos = 0; pos < H0 * H0; pos++) {
      patch_codes(qa, 1, H0, pos, pad1, patch);
      qfc_apply(&q[0], patch, outv, 1);
      for (int co = 0; co < C1; co++) w->a1[co * H0 * H0 + pos] = outv[co];
    }
    pool_fwd(w->a1, C1, H0, w->p1, w->idx1);
    qfc_codes(&q[1], w->p1, C1 * H1 * H1, qa);
    for (int pos = 0; pos < H1 * H1; pos++) {
      patch_codes(qa, C1, H1, pos, pad2, patch);
      qfc_apply(&q[1], patch, outv, 1);
      for (int co = 0; co < C2; co++) w->a2[co * H1 * H1 + pos] = outv[co];
    }
    pool_fwd(w->a2, C2, H1, w->p2, w->idx2);
    qfc_codes(&q[2], w->p2, N3, qa);
    qfc_apply(&q[2], qa, w->h3, 1);
    qfc_codes(&q[3], w->h3, F3, qa);
    qfc_apply(&q[3], qa, w->z4, 0);
    int ok = argmax(w->z4, F4) == test->labels[i];
    if (outcome) outcome[i] = (uint8_t)ok;
    right += (size_t)ok;
  }
  *acc = nn_fraction(right, ntest);
out:
  for (int l = 0; l < 4; l++) qfc_free(&q[l]);
  free(a0), free(a1), free(a2), free(a3), free(w);
  return s;
}
