/* nn_mlp.c - MLP training, fp32 and quantized inference, pruning (nn_mlp.h). */
#include "nn_mlp.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cm_sparse.h"
#include "em_input.h"
#include "em_outfile.h"
#include "mac_arith.h"
#include "nn_stats.h"

static size_t wsize(const nn_mlp *m, unsigned l) { return (size_t)m->dim[l + 1] * m->dim[l]; }

em_status nn_mlp_init(nn_mlp *m, const unsigned *dims, unsigned nl, uint64_t seed, em_diag *d) {
  memset(m, 0, sizeof *m);
  if (nl < 1 || nl > NN_MAX_LAYERS)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "an MLP has 1 to %d layers", NN_MAX_LAYERS);
  m->nl = nl;
  for (unsigned l = 0; l <= nl; l++) {
    if (dims[l] < 1 || dims[l] > 65536)
      return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "layer width %u out of range", dims[l]);
    m->dim[l] = dims[l];
  }
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  gsl_rng_set(r, (unsigned long)seed);
  for (unsigned l = 0; l < nl; l++) {
    m->w[l] = malloc(wsize(m, l) * sizeof(float));
    m->b[l] = calloc(m->dim[l + 1], sizeof(float));
    if (!m->w[l] || !m->b[l]) {
      gsl_rng_free(r);
      nn_mlp_free(m);
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    double sd = sqrt(2.0 / m->dim[l]); /* He */
    for (size_t i = 0; i < wsize(m, l); i++) m->w[l][i] = (float)gsl_ran_gaussian(r, sd);
  }
  gsl_rng_free(r);
  return EM_OK;
}

void nn_mlp_free(nn_mlp *m) {
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) {
    free(m->w[l]);
    free(m->b[l]);
  }
  memset(m, 0, sizeof *m);
}

em_status nn_mlp_copy(const nn_mlp *s, nn_mlp *t, em_diag *d) {
  memset(t, 0, sizeof *t);
  t->nl = s->nl;
  memcpy(t->dim, s->dim, sizeof t->dim);
  for (unsigned l = 0; l < s->nl; l++) {
    t->w[l] = malloc(wsize(s, l) * sizeof(float));
    t->b[l] = malloc(s->dim[l + 1] * sizeof(float));
    if (!t->w[l] || !t->b[l]) {
      nn_mlp_free(t);
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(t->w[l], s->w[l], wsize(s, l) * sizeof(float));
    memcpy(t->b[l], s->b[l], s->dim[l + 1] * sizeof(float));
  }
  return EM_OK;
}

nn_train_cfg nn_train_defaults(nn_optimizer opt) {
  nn_train_cfg c;
  memset(&c, 0, sizeof c);
  c.opt = opt;
  c.lr = opt == NN_ADAM ? 0.001 : 0.05;
  c.momentum = 0.9;
  c.beta1 = 0.9;
  c.beta2 = 0.999;
  c.eps = 1e-8;
  c.epochs = 5;
  c.batch = 64;
  c.seed = 1;
  c.threads = 2;
  return c;
}

static void input_of(const wl_dataset *ds, size_t i, nn_input in, float *x) {
  size_t n = ds->rows * ds->cols;
  const uint8_t *p = ds->pixels + i * n;
  for (size_t k = 0; k < n; k++) {
    float v = in.gain * (float)p[k] / 255.0f + in.bias;
    x[k] = v > 1.0f ? 1.0f : v < 0.0f ? 0.0f : v;
  }
}

/* Layer l's weights transposed (inputs x outputs), so that a forward pass
 * walks the inputs in order and adds each into every output at once: each
 * output still sums b + w_0 x_0 + w_1 x_1 + ... in the same order, so the
 * result is the same float for float, but the sums vectorize (one running
 * sum a row is a chain of dependent adds).  wt[l] NULL: not made. */
static void transpose_rows(const nn_mlp *m, unsigned l, float *wt, unsigned lo, unsigned hi) {
  unsigned in = m->dim[l], out = m->dim[l + 1];
  const float *w = m->w[l];
  for (unsigned j = lo; j < hi; j++)
    for (unsigned i = 0; i < in; i++) wt[(size_t)i * out + j] = w[(size_t)j * in + i];
}

/* Allocates and fills wt[0 .. nl-1]; leaves any that do not fit NULL. */
static void transposed_alloc(const nn_mlp *m, float **wt) {
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) wt[l] = NULL;
  for (unsigned l = 0; l < m->nl; l++)
    if ((wt[l] = malloc(wsize(m, l) * sizeof(float))))
      transpose_rows(m, l, wt[l], 0, m->dim[l + 1]);
}

static void transposed_free(float **wt) {
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) free(wt[l]);
}

/* Forward pass of one input: act[0] = x, act[l+1] = layer l's output (ReLU
 * on hidden layers, raw logits on the last).  wt: the transposed weights,
 * or NULL (each layer's own NULL too) for row by row.  A zero input is
 * skipped: its products are zeros, which leave a sum as it is (a sum
 * starts at a bias, which training never makes -0, and round-to-nearest
 * makes no -0; a -0 bias read from a file could at most turn into +0, a
 * zero that nothing after tells apart). */
static void forward(const nn_mlp *m, float *const *wt, float *const *act) {
  for (unsigned l = 0; l < m->nl; l++) {
    const float *x = act[l], *w = m->w[l];
    float *y = act[l + 1];
    unsigned in = m->dim[l], out = m->dim[l + 1];
    bool relu = l + 1 < m->nl;
    if (wt && wt[l]) {
      memcpy(y, m->b[l], out * sizeof(float));
      for (unsigned i = 0; i < in; i++) {
        float xi = x[i];
        if (xi == 0) continue;
        const float *r = wt[l] + (size_t)i * out;
        for (unsigned j = 0; j < out; j++) y[j] += r[j] * xi;
      }
      if (relu)
        for (unsigned j = 0; j < out; j++) y[j] = y[j] < 0 ? 0 : y[j];
      continue;
    }
    for (unsigned j = 0; j < out; j++) {
      const float *row = w + (size_t)j * in;
      float s = m->b[l][j];
      for (unsigned i = 0; i < in; i++) s += row[i] * x[i];
      y[j] = (relu && s < 0) ? 0 : s;
    }
  }
}

static unsigned argmax(const float *v, unsigned n) {
  unsigned b = 0;
  for (unsigned i = 1; i < n; i++)
    if (v[i] > v[b]) b = i;
  return b;
}

/* ---- training ---- */

typedef struct {
  const nn_mlp *m;
  const wl_dataset *ds;
  const size_t *idx;
  size_t from, to;
  float *gw[NN_MAX_LAYERS], *gb[NN_MAX_LAYERS];
  /* each sample of the chunk in turn: act[l] its input to layer l (l < nl)
   * and the logits (l = nl, one sample's), delta[l] the gradient at layer
   * l-1's output (l >= 1); the chunk's samples lie one after another */
  float *act[NN_MAX_LAYERS + 1], *delta[NN_MAX_LAYERS + 1];
  float *const *wt; /* the weights transposed (forward), shared */
  double loss;
} chunk_t;

/* Inputs a tile of the weight-gradient sums spans: the tile of every
 * sample's inputs (32 x 128 floats for a 64-sample batch) stays in L1. */
enum { GW_TILE = 128 };

/* The summed gradient of one chunk of a batch.  Each sample's forward and
 * backward passes come first, then the weight gradients: every element
 * gathers its samples' products in sample order, as when each sample added
 * its own in turn, so the sums are the same floats; but a row of the
 * gradient takes all its samples while it is in cache. */
static void *chunk_grad(void *arg) {
  chunk_t *c = arg;
  const nn_mlp *m = c->m;
  unsigned L = m->nl;
  for (unsigned l = 0; l < L; l++) {
    memset(c->gw[l], 0, wsize(m, l) * sizeof(float));
    memset(c->gb[l], 0, m->dim[l + 1] * sizeof(float));
  }
  c->loss = 0;
  nn_input clean = {1, 0};
  size_t ns = c->to - c->from;
  for (size_t k = 0; k < ns; k++) {
    size_t i = c->idx[c->from + k];
    float *act[NN_MAX_LAYERS + 1], *delta[NN_MAX_LAYERS + 1];
    for (unsigned l = 0; l < L; l++) act[l] = c->act[l] + k * m->dim[l];
    act[L] = c->act[L];
    for (unsigned l = 1; l <= L; l++) delta[l] = c->delta[l] + k * m->dim[l];
    input_of(c->ds, i, clean, act[0]);
    forward(m, c->wt, act);
    /* softmax cross-entropy: delta = p - onehot */
    unsigned K = m->dim[L];
    float *z = act[L], mx = z[argmax(z, K)], sum = 0;
    for (unsigned q = 0; q < K; q++) sum += expf(z[q] - mx);
    for (unsigned q = 0; q < K; q++) delta[L][q] = expf(z[q] - mx) / sum;
    c->loss -= log((double)delta[L][c->ds->labels[i]] + 1e-12);
    delta[L][c->ds->labels[i]] -= 1.0f;
    for (unsigned l = L; l-- > 0;) {
      unsigned in = m->dim[l], out = m->dim[l + 1];
      const float *x = act[l], *dl = delta[l + 1], *w = m->w[l];
      for (unsigned j = 0; j < out; j++) c->gb[l][j] += dl[j];
      if (l == 0) break;
      float *dp = delta[l];
      memset(dp, 0, in * sizeof(float));
      for (unsigned j = 0; j < out; j++) {
        float dj = dl[j];
        if (dj == 0) continue;
        const float *row = w + (size_t)j * in;
        for (unsigned q = 0; q < in; q++) dp[q] += row[q] * dj;
      }
      for (unsigned q = 0; q < in; q++)
        if (x[q] <= 0) dp[q] = 0; /* ReLU */
    }
  }
  for (unsigned l = 0; l < L; l++) {
    unsigned in = m->dim[l], out = m->dim[l + 1];
    for (unsigned q0 = 0; q0 < in; q0 += GW_TILE) {
      unsigned q1 = in - q0 < GW_TILE ? in : q0 + GW_TILE;
      for (unsigned j = 0; j < out; j++) {
        float *g = c->gw[l] + (size_t)j * in;
        for (size_t k = 0; k < ns; k++) {
          float dj = c->delta[l + 1][k * out + j];
          if (dj == 0) continue;
          const float *x = c->act[l] + k * in;
          for (unsigned q = q0; q < q1; q++) g[q] += dj * x[q];
        }
      }
    }
  }
  return NULL;
}

/* One optimizer step on half of every layer's rows (outputs) and their
 * biases: each parameter's update reads only its own state, so the two
 * halves may run at once and give the same floats as one pass.  The halves'
 * gradients are added in a fixed order, the same for any thread count. */
typedef struct {
  nn_mlp *m;
  const nn_train_cfg *c;
  const chunk_t *ch;
  float *const *mw, *const *vw, *const *mb, *const *vb, *const *wt;
  float inv;
  double b1t, b2t;
  int half;
} step_t;

void nn_opt_step(const nn_train_cfg *c, float *p, const float *g0, const float *g1, float *m,
                 float *v, size_t n, float inv, double b1t, double b2t) {
  for (size_t i = 0; i < n; i++) {
    float g = (g0[i] + g1[i]) * inv;
    if (c->opt == NN_SGD) {
      m[i] = (float)c->momentum * m[i] + g;
      p[i] -= (float)c->lr * m[i];
    } else {
      m[i] = (float)c->beta1 * m[i] + (float)(1 - c->beta1) * g;
      v[i] = (float)c->beta2 * v[i] + (float)(1 - c->beta2) * g * g;
      double mh = m[i] / b1t, vh = v[i] / b2t;
      p[i] -= (float)(c->lr * mh / (sqrt(vh) + c->eps));
    }
  }
}

static void *step_half(void *arg) {
  const step_t *s = arg;
  nn_mlp *m = s->m;
  for (unsigned l = 0; l < m->nl; l++) {
    unsigned in = m->dim[l], out = m->dim[l + 1];
    unsigned lo = s->half ? out / 2 : 0, hi = s->half ? out : out / 2;
    size_t w0 = (size_t)lo * in, wn = (size_t)(hi - lo) * in;
    nn_opt_step(s->c, m->w[l] + w0, s->ch[0].gw[l] + w0, s->ch[1].gw[l] + w0, s->mw[l] + w0,
                s->vw[l] + w0, wn, s->inv, s->b1t, s->b2t);
    nn_opt_step(s->c, m->b[l] + lo, s->ch[0].gb[l] + lo, s->ch[1].gb[l] + lo, s->mb[l] + lo,
                s->vb[l] + lo, hi - lo, s->inv, s->b1t, s->b2t);
    if (s->c->mask[l])
      for (size_t i = w0; i < w0 + wn; i++)
        if (!s->c->mask[l][i]) m->w[l][i] = 0;
    if (s->wt[l]) transpose_rows(m, l, s->wt[l], lo, hi);
  }
  return NULL;
}

em_status nn_mlp_train(nn_mlp *m, const wl_dataset *ds, const nn_train_cfg *c, FILE *log,
                       em_diag *d) {
  if (ds->rows * ds->cols != m->dim[0])
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "images of %zu pixels for %u inputs",
                       ds->rows * ds->cols, m->dim[0]);
  if (c->batch < 2 || c->epochs > 1000)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "batch >= 2 and at most 1000 epochs");
  unsigned L = m->nl;
  em_status st = EM_OK;
  size_t *idx = malloc((ds->n ? ds->n : 1) * sizeof *idx); /* malloc(0) may be NULL */
  chunk_t ch[2];
  memset(ch, 0, sizeof ch);
  float *mw[NN_MAX_LAYERS] = {0}, *vw[NN_MAX_LAYERS] = {0}, *mb[NN_MAX_LAYERS] = {0},
        *vb[NN_MAX_LAYERS] = {0};
  float *wt[NN_MAX_LAYERS];
  transposed_alloc(m, wt); /* refreshed after each step; a layer without one runs row by row */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  bool ok = idx && r;
  for (int h = 0; h < 2 && ok; h++) {
    ch[h].m = m;
    ch[h].ds = ds;
    ch[h].idx = idx;
    ch[h].wt = wt;
    /* the larger chunk of a batch; 1 when no batch fits in the data (no step) */
    size_t ns = c->batch <= ds->n ? c->batch - c->batch / 2 : 1;
    for (unsigned l = 0; l <= L; l++) {
      ch[h].act[l] = malloc((l < L ? ns : 1) * m->dim[l] * sizeof(float));
      ch[h].delta[l] = malloc((l > 0 ? ns : 1) * m->dim[l] * sizeof(float));
      ok = ok && ch[h].act[l] && ch[h].delta[l];
    }
    for (unsigned l = 0; l < L; l++) {
      ch[h].gw[l] = malloc(wsize(m, l) * sizeof(float));
      ch[h].gb[l] = malloc(m->dim[l + 1] * sizeof(float));
      ok = ok && ch[h].gw[l] && ch[h].gb[l];
    }
  }
  for (unsigned l = 0; l < L && ok; l++) {
    mw[l] = calloc(wsize(m, l), sizeof(float));
    vw[l] = calloc(wsize(m, l), sizeof(float));
    mb[l] = calloc(m->dim[l + 1], sizeof(float));
    vb[l] = calloc(m->dim[l + 1], sizeof(float));
    ok = mw[l] && vw[l] && mb[l] && vb[l];
  }
  if (!ok) {
    st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto out;
  }
  gsl_rng_set(r, (unsigned long)c->seed);
  for (size_t i = 0; i < ds->n; i++) idx[i] = i;
  uint64_t t = 0;
  for (unsigned e = 0; e < c->epochs; e++) {
    if (ds->n > 1) gsl_ran_shuffle(r, idx, ds->n, sizeof *idx); /* GSL aborts on 0 */
    double loss = 0;
    for (size_t b0 = 0; b0 + c->batch <= ds->n; b0 += c->batch) {
      size_t half = c->batch / 2;
      ch[0].from = b0;
      ch[0].to = b0 + half;
      ch[1].from = b0 + half;
      ch[1].to = b0 + c->batch;
      pthread_t th;
      bool threaded = c->threads > 1 && pthread_create(&th, NULL, chunk_grad, &ch[1]) == 0;
      chunk_grad(&ch[0]);
      if (threaded) pthread_join(th, NULL);
      else chunk_grad(&ch[1]);
      loss += ch[0].loss + ch[1].loss;
      t++;
      step_t st2[2];
      for (int h = 0; h < 2; h++)
        st2[h] = (step_t){m, c, ch, mw, vw, mb, vb, wt, 1.0f / (float)c->batch,
                          1.0 - pow(c->beta1, (double)t), 1.0 - pow(c->beta2, (double)t), h};
      threaded = c->threads > 1 && pthread_create(&th, NULL, step_half, &st2[1]) == 0;
      step_half(&st2[0]);
      if (threaded) pthread_join(th, NULL);
      else step_half(&st2[1]);
    }
    if (log) {
      fprintf(log, "epoch %u: mean loss %.4f\n", e + 1, loss / (double)ds->n);
      fflush(log); /* the caller sees each epoch as it ends */
    }
  }
out:
  for (int h = 0; h < 2; h++) {
    for (unsigned l = 0; l <= L; l++) {
      free(ch[h].act[l]);
      free(ch[h].delta[l]);
    }
    for (unsigned l = 0; l < L; l++) {
      free(ch[h].gw[l]);
      free(ch[h].gb[l]);
    }
  }
  for (unsigned l = 0; l < L; l++) {
    free(mw[l]);
    free(vw[l]);
    free(mb[l]);
    free(vb[l]);
  }
  transposed_free(wt);
  free(idx);
  gsl_rng_free(r);
  return st;
}

size_t nn_mlp_correct(const nn_mlp *m, const wl_dataset *ds, nn_input in, uint8_t *outcome) {
  float *act[NN_MAX_LAYERS + 1];
  bool ok = true;
  for (unsigned l = 0; l <= m->nl; l++) ok = (act[l] = malloc(m->dim[l] * sizeof(float))) && ok;
  float *wt[NN_MAX_LAYERS];
  transposed_alloc(m, wt);
  size_t right = ok ? 0 : SIZE_MAX;
  for (size_t i = 0; ok && i < ds->n; i++) {
    input_of(ds, i, in, act[0]);
    forward(m, wt, act);
    int r = argmax(act[m->nl], m->dim[m->nl]) == ds->labels[i];
    if (outcome) outcome[i] = (uint8_t)r;
    right += (size_t)r;
  }
  for (unsigned l = 0; l <= m->nl; l++) free(act[l]);
  transposed_free(wt);
  return right;
}

double nn_mlp_accuracy(const nn_mlp *m, const wl_dataset *ds, nn_input in) {
  return nn_fraction(nn_mlp_correct(m, ds, in, NULL), ds->n);
}

/* ---- weight files ---- */

static void put32(FILE *f, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  fwrite(b, 1, 4, f);
}

static int get32(FILE *f, uint32_t *v) {
  uint8_t b[4];
  if (fread(b, 1, 4, f) != 4) return -1;
  *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  return 0;
}

static void putf(FILE *f, const float *x, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], 4);
    put32(f, u);
  }
}

em_status nn_mlp_save(const nn_mlp *m, const char *path, em_diag *d) {
  em_outfile *o;
  em_status s = em_outfile_open(path, &o, d);
  if (s != EM_OK) return s;
  FILE *f = em_outfile_fp(o);
  fwrite("EMLSMLP1", 1, 8, f);
  put32(f, m->nl);
  for (unsigned l = 0; l <= m->nl; l++) put32(f, m->dim[l]);
  for (unsigned l = 0; l < m->nl; l++) {
    putf(f, m->w[l], wsize(m, l));
    putf(f, m->b[l], m->dim[l + 1]);
  }
  return em_outfile_commit(o, d);
}

/* Weights and biases a weight file may hold: 2^28 floats (1 GiB); the
 * 784-256-128-10 MLP has 235,146. */
#define NN_PARAMS_MAX (1ull << 28)

em_status nn_weight_file_end(FILE *f, const char *path, const char *what, em_diag *d) {
  if (fgetc(f) != EOF)
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "overlong weight file: more than %s", what);
  if (ferror(f)) return em_diag_set(d, EM_ERR_IO, path, 0, 0, "read error: %s", strerror(errno));
  return EM_OK;
}

em_status nn_mlp_load(nn_mlp *m, const char *path, em_diag *d) {
  memset(m, 0, sizeof *m);
  FILE *f;
  em_status s = em_input_open(path, "a weight file", 0, &f, d);
  if (s != EM_OK) return s;
  char magic[8];
  uint32_t nl;
  if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "EMLSMLP1", 8) != 0 || get32(f, &nl) != 0) {
    fclose(f);
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "not an emlsim MLP weight file (EMLSMLP1)");
  }
  if (nl < 1 || nl > NN_MAX_LAYERS) {
    fclose(f);
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "the header gives %lu layers; an MLP has 1 to %d", (unsigned long)nl,
                       NN_MAX_LAYERS);
  }
  unsigned dims[NN_MAX_LAYERS + 1];
  for (unsigned l = 0; l <= nl; l++) {
    uint32_t v;
    if (get32(f, &v) != 0 || v < 1 || v > 65536) {
      fclose(f);
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "bad layer width in the header");
    }
    dims[l] = v;
  }
  /* The layers the header describes must be in the file before anything is
   * allocated: 4 bytes a weight and a bias, after the 12 + 4 (nl + 1) bytes
   * of the header.  (65536-wide layers would ask for 16 GiB each.) */
  uint64_t params = 0, bytes = 0, have = em_input_bytes(f);
  for (unsigned l = 0; l < nl; l++)
    params += (uint64_t)dims[l + 1] * dims[l] + dims[l + 1]; /* < 2^34 each: no wrap */
  bytes = 12 + 4 * ((uint64_t)nl + 1) + 4 * params;
  if (params > NN_PARAMS_MAX) {
    fclose(f);
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0,
                       "the header describes %llu weights, more than %llu",
                       (unsigned long long)params, (unsigned long long)NN_PARAMS_MAX);
  }
  if (bytes != have && (bytes > have || have != EM_INPUT_STREAM_MAX)) {
    fclose(f);
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "%s weight file: its header describes %llu bytes, the file has %llu",
                       bytes > have ? "truncated" : "overlong", (unsigned long long)bytes,
                       (unsigned long long)have);
  }
  if ((s = nn_mlp_init(m, dims, nl, 0, d)) != EM_OK) {
    fclose(f);
    return s;
  }
  for (unsigned l = 0; l < nl && s == EM_OK; l++) {
    for (int part = 0; part < 2 && s == EM_OK; part++) {
      float *p = part ? m->b[l] : m->w[l];
      size_t n = part ? m->dim[l + 1] : wsize(m, l);
      for (size_t i = 0; i < n; i++) {
        uint32_t u;
        if (get32(f, &u) != 0) {
          s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "truncated weight file");
          break;
        }
        memcpy(&p[i], &u, 4);
        if (!isfinite(p[i])) {
          s = em_diag_set(d, EM_ERR_PARSE, path, 0, 0, "a weight is not a finite number");
          break;
        }
      }
    }
  }
  /* and nothing after them */
  if (s == EM_OK) {
    char what[64];
    snprintf(what, sizeof what, "the %llu bytes its header describes", (unsigned long long)bytes);
    s = nn_weight_file_end(f, path, what, d);
  }
  fclose(f);
  if (s != EM_OK) nn_mlp_free(m);
  return s;
}

/* ---- quantized inference ---- */

struct nn_qmodel {
  unsigned nl, dim[NN_MAX_LAYERS + 1];
  nn_qkind kind[NN_MAX_LAYERS];
  unsigned wb[NN_MAX_LAYERS], wa[NN_MAX_LAYERS], accb[NN_MAX_LAYERS];
  cm_qparams aq[NN_MAX_LAYERS];   /* input activations of each layer */
  int32_t *qw[NN_MAX_LAYERS];     /* codes, row-major */
  int16_t *qw16[NN_MAX_LAYERS];   /* integer layers: the same in int16 where mac_dot16 fits */
  double *ws[NN_MAX_LAYERS];      /* weight scale per row */
  int64_t *wz[NN_MAX_LAYERS];     /* weight zero point per row */
  int64_t *wsum[NN_MAX_LAYERS];   /* sum of codes per row */
  float *b[NN_MAX_LAYERS];
  double tp[NN_MAX_LAYERS], tn[NN_MAX_LAYERS]; /* ternary scales */
  uint64_t *bits[NN_MAX_LAYERS];  /* binary: sign bits per row */
  double *alpha[NN_MAX_LAYERS];   /* binary: scale per row */
  double mu[NN_MAX_LAYERS], kx[NN_MAX_LAYERS]; /* binary: activation centre and scale */
};

void nn_qmodel_free(nn_qmodel *q) {
  if (!q) return;
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) {
    free(q->qw[l]);
    free(q->qw16[l]);
    free(q->ws[l]);
    free(q->wz[l]);
    free(q->wsum[l]);
    free(q->b[l]);
    free(q->bits[l]);
    free(q->alpha[l]);
  }
  free(q);
}

double nn_qmodel_act_scale(const nn_qmodel *q, unsigned l) {
  return l < q->nl ? q->aq[l].scale : 0;
}

static size_t qwords(unsigned k) { return (k + 63) / 64; }

/* Whether image i's activations act[1..nl] are finite: finite weights
 * (nn_mlp_load's check) can still overflow a sum, and then a layer has no
 * range, no scale, and every figure after is inf or nan (a file of +-3e38
 * weights printed an int8 scale of inf and exited 0).  path: the weights'
 * file, in the message (may be NULL). */
static em_status acts_finite(const nn_mlp *m, float *const *act, size_t i, const char *path,
                             em_diag *d) {
  for (unsigned l = 1; l <= m->nl; l++)
    for (unsigned k = 0; k < m->dim[l]; k++)
      if (!isfinite(act[l][k]))
        return em_diag_set(d, EM_ERR_INVALID, path, 0, 0,
                           "the fp32 network's layer %u overflows float on image %zu (its "
                           "output %u is %s): weights too large to run or quantize",
                           l, i, k, isnan(act[l][k]) ? "nan" : "inf");
  return EM_OK;
}

em_status nn_mlp_check_finite(const nn_mlp *m, const wl_dataset *ds, size_t n, nn_input in,
                              const char *path, em_diag *d) {
  float *act[NN_MAX_LAYERS + 1] = {0};
  em_status st = EM_OK;
  for (unsigned l = 0; l <= m->nl; l++)
    if (!(act[l] = malloc(m->dim[l] * sizeof(float))))
      st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  if (n > ds->n) n = ds->n;
  for (size_t i = 0; i < n && st == EM_OK; i++) {
    input_of(ds, i, in, act[0]);
    forward(m, NULL, act);
    st = acts_finite(m, act, i, path, d);
  }
  for (unsigned l = 0; l <= m->nl; l++) free(act[l]);
  return st;
}

em_status nn_quantize(const nn_mlp *m, const nn_qcfg *c, const wl_dataset *calib, size_t ncalib,
                      nn_input in, nn_qmodel **out, em_diag *d) {
  *out = NULL;
  nn_qmodel *q = calloc(1, sizeof *q);
  if (!q) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  q->nl = m->nl;
  memcpy(q->dim, m->dim, sizeof q->dim);
  if (ncalib > calib->n) ncalib = calib->n;
  if (ncalib == 0) ncalib = 1;
  em_status st = EM_OK;
  /* calibration activations at every layer's input (fp32 network) */
  double *acts[NN_MAX_LAYERS] = {0};
  float *act[NN_MAX_LAYERS + 1] = {0};
  for (unsigned l = 0; l <= m->nl; l++)
    if (!(act[l] = malloc(m->dim[l] * sizeof(float)))) st = EM_ERR_NOMEM;
  for (unsigned l = 0; l < m->nl; l++)
    if (!(acts[l] = malloc(ncalib * m->dim[l] * sizeof(double)))) st = EM_ERR_NOMEM;
  if (st != EM_OK) goto fail_nomem;
  for (size_t i = 0; i < ncalib && st == EM_OK; i++) {
    input_of(calib, i, in, act[0]);
    forward(m, NULL, act);
    for (unsigned l = 0; l < m->nl; l++)
      for (unsigned k = 0; k < m->dim[l]; k++) acts[l][i * m->dim[l] + k] = act[l][k];
    st = acts_finite(m, act, i, NULL, d);
  }
  for (unsigned l = 0; l < m->nl && st == EM_OK; l++) {
    unsigned in_n = m->dim[l], on = m->dim[l + 1];
    size_t n = (size_t)in_n * on;
    bool end = l == 0 || l + 1 == m->nl;
    nn_qkind kind = c->keep_ends && end ? NN_Q_INT : c->kind;
    unsigned wbits = c->keep_ends && end ? 8 : c->wbits, abits = c->keep_ends && end ? 8 : c->abits;
    if (kind != NN_Q_INT) abits = c->abits ? c->abits : 8;
    q->kind[l] = kind;
    q->b[l] = malloc(on * sizeof(float));
    q->qw[l] = malloc(n * sizeof(int32_t));
    q->ws[l] = malloc(on * sizeof(double));
    q->wz[l] = calloc(on, sizeof(int64_t));
    q->wsum[l] = calloc(on, sizeof(int64_t));
    double *wd = malloc(n * sizeof(double));
    if (!q->b[l] || !q->qw[l] || !q->ws[l] || !q->wz[l] || !q->wsum[l] || !wd) {
      free(wd);
      goto fail_nomem;
    }
    memcpy(q->b[l], m->b[l], on * sizeof(float));
    for (size_t i = 0; i < n; i++) wd[i] = m->w[l][i];
    /* activations: unsigned codes (inputs and ReLU outputs are >= 0) */
    cm_qconfig ac = {abits, CM_Q_ASYMMETRIC, c->calib, c->percentile};
    st = cm_qparams_compute(acts[l], ncalib * in_n, &ac, &q->aq[l], d);
    q->wa[l] = abits + 1; /* codes 0 .. 2^abits - 1 as signed values */
    if (st == EM_OK && kind == NN_Q_INT) {
      cm_qconfig wc = {wbits, c->wscheme, c->calib, c->percentile};
      cm_qparams *wp = malloc(on * sizeof *wp);
      if (!wp) st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      else if (c->per_channel) st = cm_qparams_per_channel(wd, on, in_n, &wc, wp, d);
      else {
        st = cm_qparams_compute(wd, n, &wc, &wp[0], d);
        for (unsigned j = 1; j < on; j++) wp[j] = wp[0];
      }
      q->wb[l] = c->wscheme == CM_Q_SYMMETRIC ? wbits : wbits + 1;
      for (unsigned j = 0; st == EM_OK && j < on; j++) {
        q->ws[l][j] = wp[j].scale;
        q->wz[l][j] = wp[j].zero_point;
        for (unsigned k = 0; k < in_n; k++) {
          /* the code as the wb-bit operand holds it (cm_quantize keeps it in
           * range, where mac_extend changes nothing) */
          int64_t code = mac_extend((uint64_t)cm_quantize(wd[(size_t)j * in_n + k], &wp[j]),
                                    q->wb[l], true);
          q->qw[l][(size_t)j * in_n + k] = (int32_t)code;
          q->wsum[l][j] += code;
        }
      }
      free(wp);
    } else if (st == EM_OK && kind == NN_Q_TERNARY) {
      /* TTQ-style: threshold t x max|W|; scales the mean magnitude of each side */
      double mx = 0, sp = 0, sn = 0;
      size_t np = 0, nn = 0;
      for (size_t i = 0; i < n; i++) mx = fmax(mx, fabs(wd[i]));
      double th = c->ternary_t * mx;
      for (size_t i = 0; i < n; i++) {
        int v = wd[i] > th ? 1 : wd[i] < -th ? -1 : 0;
        q->qw[l][i] = v;
        if (v > 0) sp += wd[i], np++;
        if (v < 0) sn -= wd[i], nn++;
      }
      q->tp[l] = np ? sp / (double)np : 0;
      q->tn[l] = nn ? sn / (double)nn : 0;
      q->wb[l] = 2;
    } else if (st == EM_OK) {
      /* binary (XNOR-Net): sign(W) x alpha per row; activations sign(x - mu) x K */
      size_t words = qwords(in_n);
      q->bits[l] = calloc((size_t)on * words, sizeof(uint64_t));
      q->alpha[l] = malloc(on * sizeof(double));
      if (!q->bits[l] || !q->alpha[l]) {
        free(wd);
        goto fail_nomem;
      }
      for (unsigned j = 0; j < on; j++) {
        double a = 0;
        int64_t sum = 0;
        for (unsigned k = 0; k < in_n; k++) {
          double w = wd[(size_t)j * in_n + k];
          a += fabs(w);
          if (w >= 0) q->bits[l][(size_t)j * words + k / 64] |= 1ull << (k % 64);
          sum += w >= 0 ? 1 : -1;
        }
        q->alpha[l][j] = a / in_n;
        q->wsum[l][j] = sum;
      }
      double mu = 0, kx = 0;
      size_t cnt = ncalib * in_n;
      for (size_t i = 0; i < cnt; i++) mu += acts[l][i];
      mu /= (double)cnt;
      for (size_t i = 0; i < cnt; i++) kx += fabs(acts[l][i] - mu);
      q->mu[l] = mu;
      q->kx[l] = kx / (double)cnt;
      q->wb[l] = 1;
    }
    q->accb[l] = mac_acc_bits(q->wa[l], q->wb[l] ? q->wb[l] : 1, in_n);
    if (q->accb[l] > 64) q->accb[l] = 64;
    free(wd);
    if (st == EM_OK && kind == NN_Q_INT && mac_dot16_fits(q->wa[l], q->wb[l], q->accb[l])) {
      if (!(q->qw16[l] = malloc(n * sizeof(int16_t)))) goto fail_nomem;
      for (size_t i = 0; i < n; i++) q->qw16[l][i] = (int16_t)q->qw[l][i];
    }
  }
  for (unsigned l = 0; l <= m->nl; l++) free(act[l]);
  for (unsigned l = 0; l < m->nl; l++) free(acts[l]);
  if (st != EM_OK) {
    nn_qmodel_free(q);
    return st;
  }
  *out = q;
  return EM_OK;
fail_nomem:
  for (unsigned l = 0; l <= m->nl; l++) free(act[l]);
  for (unsigned l = 0; l < m->nl; l++) free(acts[l]);
  nn_qmodel_free(q);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The accumulator of integer layer l's row j on the input codes qa (and
 * qa16, their int16 copy where the layer has qw16): the chain of mac_step
 * on the codes, as mac_dot or mac_dot16, its equals (qa and the weights'
 * codes are the operands' values, as mac_step extends them). */
static int64_t qrow_acc(const nn_qmodel *q, unsigned l, unsigned j, const int32_t *qa,
                        const int16_t *qa16) {
  size_t in_n = q->dim[l];
  uint64_t dot = q->qw16[l] ? mac_dot16(qa16, q->qw16[l] + j * in_n, in_n, q->accb[l])
                            : mac_dot(qa, q->qw[l] + j * in_n, in_n, q->accb[l]);
  return mac_extend(dot, q->accb[l], true);
}

/* Layer l of the quantized network on input x (real values); writes y.
 * qa and qa16 hold the input codes. */
static void qlayer(const nn_qmodel *q, unsigned l, const float *x, float *y, int32_t *qa,
                   int16_t *qa16, uint64_t *abits) {
  unsigned in_n = q->dim[l], on = q->dim[l + 1];
  bool last = l + 1 == q->nl;
  if (q->kind[l] == NN_Q_BINARY) {
    size_t words = qwords(in_n);
    memset(abits, 0, words * sizeof *abits);
    for (unsigned k = 0; k < in_n; k++)
      if (x[k] >= q->mu[l]) abits[k / 64] |= 1ull << (k % 64);
    for (unsigned j = 0; j < on; j++) {
      int64_t dot = xnor_dot(abits, q->bits[l] + (size_t)j * words, in_n);
      double v = q->alpha[l][j] * (q->mu[l] * (double)q->wsum[l][j] + q->kx[l] * (double)dot) +
                 q->b[l][j];
      y[j] = (!last && v < 0) ? 0 : (float)v;
    }
    return;
  }
  const cm_qparams *ap = &q->aq[l];
  unsigned wa = q->wa[l], accb = q->accb[l];
  int64_t asum = 0;
  for (unsigned k = 0; k < in_n; k++) { /* each code as the wa-bit operand holds it */
    qa[k] = (int32_t)mac_extend((uint64_t)cm_quantize(x[k], ap), wa, true);
    asum += qa[k];
  }
  if (q->qw16[l])
    for (unsigned k = 0; k < in_n; k++) qa16[k] = (int16_t)qa[k];
  for (unsigned j = 0; j < on; j++) {
    const int32_t *row = q->qw[l] + (size_t)j * in_n;
    double v;
    if (q->kind[l] == NN_Q_TERNARY) {
      uint64_t accp = 0, accn = 0;
      for (unsigned k = 0; k < in_n; k++) {
        accp = mac_step(accp, (uint32_t)qa[k], row[k] > 0, wa, 2, true, accb);
        accn = mac_step(accn, (uint32_t)qa[k], row[k] < 0, wa, 2, true, accb);
      }
      double p = (double)mac_extend(accp, accb, true);
      double n = (double)mac_extend(accn, accb, true);
      /* codes carry the zero point: sum (qa - z) over each side */
      int64_t cp = 0, cn = 0;
      for (unsigned k = 0; k < in_n; k++) cp += row[k] > 0, cn += row[k] < 0;
      p -= (double)(ap->zero_point * cp);
      n -= (double)(ap->zero_point * cn);
      v = ap->scale * (q->tp[l] * p - q->tn[l] * n) + q->b[l][j];
    } else {
      int64_t a = qrow_acc(q, l, j, qa, qa16);
      int64_t za = ap->zero_point, zw = q->wz[l][j];
      int64_t t = a - za * q->wsum[l][j] - zw * asum + (int64_t)in_n * za * zw;
      v = ap->scale * q->ws[l][j] * (double)t + q->b[l][j];
    }
    y[j] = (!last && v < 0) ? 0 : (float)v;
  }
}

size_t nn_qcorrect(const nn_qmodel *q, const wl_dataset *ds, nn_input in, uint8_t *outcome) {
  unsigned mx = 0;
  for (unsigned l = 0; l <= q->nl; l++) mx = q->dim[l] > mx ? q->dim[l] : mx;
  float *x = malloc(mx * sizeof(float)), *y = malloc(mx * sizeof(float));
  int32_t *qa = malloc(mx * sizeof(int32_t));
  int16_t *qa16 = malloc(mx * sizeof(int16_t));
  uint64_t *ab = malloc(qwords(mx) * sizeof(uint64_t));
  bool ok = x && y && qa && qa16 && ab;
  size_t right = ok ? 0 : SIZE_MAX;
  for (size_t i = 0; ok && i < ds->n; i++) {
    input_of(ds, i, in, x);
    for (unsigned l = 0; l < q->nl; l++) {
      qlayer(q, l, x, y, qa, qa16, ab);
      memcpy(x, y, q->dim[l + 1] * sizeof(float));
    }
    int r = argmax(x, q->dim[q->nl]) == ds->labels[i];
    if (outcome) outcome[i] = (uint8_t)r;
    right += (size_t)r;
  }
  free(x);
  free(y);
  free(qa);
  free(qa16);
  free(ab);
  return right;
}

double nn_qaccuracy(const nn_qmodel *q, const wl_dataset *ds, nn_input in) {
  return nn_fraction(nn_qcorrect(q, ds, in, NULL), ds->n);
}

em_status nn_qmodel_operands(const nn_qmodel *q, const wl_dataset *ds, nn_input in, size_t img,
                             unsigned layer, unsigned row, uint32_t *a, uint32_t *w, unsigned *k,
                             unsigned *wa, unsigned *wb, int64_t *acc, em_diag *d) {
  if (layer >= q->nl || row >= q->dim[layer + 1] || img >= ds->n || q->kind[layer] != NN_Q_INT)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "no integer layer %u row %u", layer, row);
  unsigned mx = 0;
  for (unsigned l = 0; l <= q->nl; l++) mx = q->dim[l] > mx ? q->dim[l] : mx;
  float *x = malloc(mx * sizeof(float)), *y = malloc(mx * sizeof(float));
  int32_t *qa = malloc(mx * sizeof(int32_t));
  int16_t *qa16 = malloc(mx * sizeof(int16_t));
  uint64_t *ab = malloc(qwords(mx) * sizeof(uint64_t));
  if (!x || !y || !qa || !qa16 || !ab) {
    free(x), free(y), free(qa), free(qa16), free(ab);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  input_of(ds, img, in, x);
  for (unsigned l = 0; l < layer; l++) {
    qlayer(q, l, x, y, qa, qa16, ab);
    memcpy(x, y, q->dim[l + 1] * sizeof(float));
  }
  unsigned n = q->dim[layer];
  const int32_t *wrow = q->qw[layer] + (size_t)row * n;
  for (unsigned i = 0; i < n; i++) {
    qa[i] = (int32_t)mac_extend((uint64_t)cm_quantize(x[i], &q->aq[layer]), q->wa[layer], true);
    qa16[i] = (int16_t)qa[i]; /* read only where the layer has qw16 */
    a[i] = (uint32_t)qa[i];
    w[i] = (uint32_t)wrow[i];
  }
  *k = n;
  *wa = q->wa[layer];
  *wb = q->wb[layer];
  /* the sum as qlayer makes it */
  *acc = qrow_acc(q, layer, row, qa, qa16);
  free(x), free(y), free(qa), free(qa16), free(ab);
  return EM_OK;
}

/* ---- pruning ---- */

em_status nn_mlp_prune(nn_mlp *m, nn_prune how, double s, unsigned n, unsigned mm,
                       uint8_t *mask[NN_MAX_LAYERS], em_diag *d) {
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) mask[l] = NULL;
  for (unsigned l = 0; l < m->nl; l++) {
    mask[l] = malloc(wsize(m, l));
    if (!mask[l]) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memset(mask[l], 1, wsize(m, l));
  }
  em_status st = EM_OK;
  for (unsigned l = 0; l + 1 < m->nl && st == EM_OK; l++) {
    unsigned in_n = m->dim[l], on = m->dim[l + 1];
    if (how == NN_PRUNE_MAGNITUDE) {
      st = cm_sparse_prune_magnitude(m->w[l], mask[l], wsize(m, l), s, d);
    } else if (how == NN_PRUNE_NM) {
      if (n < 1 || n > mm || mm > 64)
        return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "N:M needs 1 <= N <= M <= 64");
      for (unsigned j = 0; j < on; j++)
        for (unsigned g = 0; g < in_n; g += mm) {
          unsigned len = in_n - g < mm ? in_n - g : mm;
          /* keep the n largest magnitudes of the group */
          for (unsigned r = 0; r + n < len + 0u && r < len; r++) {
            unsigned worst = UINT32_MAX;
            for (unsigned i = g; i < g + len; i++)
              if (mask[l][(size_t)j * in_n + i] &&
                  (worst == UINT32_MAX ||
                   fabsf(m->w[l][(size_t)j * in_n + i]) < fabsf(m->w[l][(size_t)j * in_n + worst])))
                worst = i;
            mask[l][(size_t)j * in_n + worst] = 0;
          }
        }
    } else {
      /* neurons: the s fraction of layer l's outputs with the smallest L2
       * norm over the inputs they keep (a neuron of the layer before that
       * was dropped feeds nothing).  Which are gone is kept apart: a row's
       * first weight says nothing once the layer before dropped its input 0
       * (it read every row of the second hidden layer as gone, and at 0.75
       * pruned none of it) */
      double *norm = malloc(on * sizeof *norm);
      uint8_t *gone = calloc(on, 1);
      if (!norm || !gone) {
        free(norm);
        free(gone);
        return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      }
      for (unsigned j = 0; j < on; j++) {
        double a = 0;
        for (unsigned i = 0; i < in_n; i++) {
          size_t k = (size_t)j * in_n + i;
          if (mask[l][k]) a += (double)m->w[l][k] * m->w[l][k];
        }
        norm[j] = a;
      }
      unsigned drop = (unsigned)llround(s * on);
      for (unsigned r = 0; r < drop; r++) {
        unsigned worst = UINT32_MAX;
        for (unsigned j = 0; j < on; j++)
          if (!gone[j] && (worst == UINT32_MAX || norm[j] < norm[worst])) worst = j;
        if (worst == UINT32_MAX) break;
        gone[worst] = 1;
        memset(mask[l] + (size_t)worst * in_n, 0, in_n);
        m->b[l][worst] = 0;
        unsigned nin = m->dim[l + 2];
        for (unsigned j2 = 0; j2 < nin; j2++) mask[l + 1][(size_t)j2 * on + worst] = 0;
      }
      free(norm);
      free(gone);
    }
  }
  for (unsigned l = 0; l < m->nl; l++)
    for (size_t i = 0; i < wsize(m, l); i++)
      if (!mask[l][i]) m->w[l][i] = 0;
  return st;
}
