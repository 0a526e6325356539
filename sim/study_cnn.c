/*
 * study_cnn.c - the study's accuracy beside cost (study_cnn.h): the study
 * book's SimpleCNN on Fashion-MNIST, trained once and cached, evaluated at
 * each bit width through the MAC model the RTL is checked against.
 *
 * The cache: CACHE/simplecnn-<key>.bin is nn_cnn_save's file (EMLSCNN1 and
 * the float32 parameters), CACHE/simplecnn-<key>.sum the line
 * "fnv1a64 <16 hex digits>" of that file's bytes.  <key> is FNV-1a 64 of the
 * training settings and of the training images and labels used, so other
 * settings or other data never reuse a file.  A file is trusted only when
 * it has the checksum its .sum names and nn_cnn_load accepts it (the exact
 * length, every weight finite); anything else is retrained and rewritten.
 * FNV-1a (Fowler, Noll, Vo; 64-bit offset basis 14695981039346656037, prime
 * 1099511628211) detects corruption, not tampering: the cache is the
 * build's own, not an input.
 */
#include "study_cnn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "em_input.h"
#include "em_outfile.h"
#include "em_pool.h"
#include "nn_cnn.h"
#include "nn_mlp.h"
#include "nn_stats.h"
#include "wl_idx.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t study_fnv1a64(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 1099511628211ull;
  }
  return h;
}

#define FNV_BASIS 14695981039346656037ull

study_cnn_cfg study_cnn_defaults(void) {
  /* One Adam epoch over the first 20,000 training images: about 8 s on two
   * cores (3,220 images/s, models/nn/README.md), against 37 s for the
   * README's two full epochs.  All 10,000 test images, the set's standard
   * test: each integer width runs 1.2 M MACs an image through the MAC
   * model (mac_dot16), 2.5 s a width, and fp32 2.3 s split over the two
   * threads; at 84 % the standard error is 0.36 point (it was 0.8 on the
   * first 2,000 images, which are easier: 85.65 % against 84.39 % in
   * fp32).  A brief training, one seed: fp32 84.39 % against the README's
   * 89.58 % after two full epochs (STUDY_CNN_LONGER_FP32_PCT), which the
   * report says beside its accuracies; `emlsim study` has no option to
   * change it. */
  study_cnn_cfg c = {NULL, NULL, 1, 20000, 0, 1000, 1, 2};
  return c;
}

/* A cache file, opened only when it is a regular file: a FIFO in its place
 * would block the open until a writer came, a device would never end.
 * NULL when it is missing, unreadable or not a regular file. */
static FILE *cache_fopen(const char *path) {
  if (em_input_check(path, NULL, EM_INPUT_REGULAR, NULL) != EM_OK) return NULL;
  return fopen(path, "rb");
}

/* The checksum of a whole file (at most 4 MiB: the weight file is 0.8 MB),
 * or -1 when it cannot be read or is larger. */
static int file_sum(const char *path, uint64_t *h) {
  FILE *f = cache_fopen(path);
  if (!f) return -1;
  unsigned char buf[65536];
  size_t n, total = 0;
  *h = FNV_BASIS;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    total += n;
    if (total > (4u << 20)) break;
    *h = study_fnv1a64(*h, buf, n);
  }
  int bad = ferror(f) || total > (4u << 20);
  fclose(f);
  return bad ? -1 : 0;
}

/* The .sum file's checksum, or -1 when it is missing or malformed. */
static int read_sum(const char *path, uint64_t *h) {
  FILE *f = cache_fopen(path);
  if (!f) return -1;
  char line[64] = "";
  size_t n = fread(line, 1, sizeof line - 1, f);
  fclose(f);
  line[n] = '\0';
  char hex[17];
  if (n != 25 || sscanf(line, "fnv1a64 %16[0-9a-f]", hex) != 1 || strlen(hex) != 16 ||
      line[24] != '\n')
    return -1;
  *h = strtoull(hex, NULL, 16);
  return 0;
}

/* Loads the cached network when the cache holds a sound one; else NULL and
 * the reason in info->cache_note. */
static nn_cnn *cache_load(const char *bin, const char *sum, study_cnn_info *info) {
  uint64_t want, have;
  em_diag d;
  em_diag_clear(&d);
  if (access(bin, F_OK) != 0) {
    snprintf(info->cache_note, sizeof info->cache_note, "no cached weights yet: trained");
    return NULL;
  }
  if (em_input_check(bin, "a weight file", EM_INPUT_REGULAR, &d) != EM_OK) {
    snprintf(info->cache_note, sizeof info->cache_note, "the cached weights were unusable (%.120s): "
             "retrained", d.msg);
    return NULL;
  }
  if (read_sum(sum, &want) != 0 || file_sum(bin, &have) != 0 || want != have) {
    snprintf(info->cache_note, sizeof info->cache_note,
             "the cached weights failed their checksum: retrained");
    return NULL;
  }
  nn_cnn *c = NULL;
  if (nn_cnn_load(&c, bin, &d) != EM_OK) {
    snprintf(info->cache_note, sizeof info->cache_note, "the cached weights were unusable (%.120s): "
             "retrained", d.msg);
    return NULL;
  }
  return c;
}

/* Writes the network and its checksum into the cache: 1, or 0 with the
 * failure noted, not fatal (the study's figures do not depend on the cache). */
static int cache_store(const nn_cnn *c, const char *dir, const char *bin, const char *sum,
                        study_cnn_info *info) {
  em_diag d;
  em_diag_clear(&d);
  uint64_t h;
  em_outfile *o = NULL;
  if (em_mkdir_p(dir, &d) != EM_OK || nn_cnn_save(c, bin, &d) != EM_OK) goto fail;
  if (file_sum(bin, &h) != 0) {
    em_diag_set(&d, EM_ERR_IO, bin, 0, 0, "cannot read back the cached weights");
    goto fail;
  }
  if (em_outfile_open(sum, &o, &d) != EM_OK) goto fail;
  fprintf(em_outfile_fp(o), "fnv1a64 %016llx\n", (unsigned long long)h);
  if (em_outfile_commit(o, &d) != EM_OK) goto fail;
  return 1;
fail:
  snprintf(info->cache_note + strlen(info->cache_note),
           sizeof info->cache_note - strlen(info->cache_note), "; not cached: %.120s", d.msg);
  return 0;
}

/* The accuracy cache: CACHE/simplecnn-<key>-<width>-<eval key>.acc holds
 * "accuracy_pct <value>\n", "right <hex>\n" (each test image's outcome, a
 * bit an image, image k at bit k % 8 of byte k / 8, the bytes in hex) and
 * "fnv1a64 <hex>\n" of the lines before.  The evaluation is deterministic
 * given the weights (the key names them), the width, the calibration and
 * test images and the code (EMLSIM_VERSION and the evaluation's own version
 * below), so a second run reads it back.  A file is used only when its
 * checksum holds, it has one bit for each test image, and the bits set give
 * the accuracy it states. */
#ifndef EMLSIM_VERSION
#define EMLSIM_VERSION "unknown"
#endif
#define EVAL_VERSION "mac_step-eval/2"

/* What float results depend on beyond the source: the compiler, and whether
 * it may fuse multiply-adds or reorder sums.  Every width's evaluation runs
 * float code (fp32's network; the integer widths' calibration and
 * rescaling), so the cache keys name it. */
#ifdef __VERSION__
#define FLOAT_CC __VERSION__
#else
#define FLOAT_CC "unknown"
#endif
#if defined(__FMA__) || defined(__FP_FAST_FMA) || defined(__FP_FAST_FMAF)
#define FLOAT_FMA "fma"
#else
#define FLOAT_FMA "no-fma"
#endif
#ifdef __FAST_MATH__
#define FLOAT_FAST "fast-math"
#else
#define FLOAT_FAST "ieee"
#endif
#define FLOAT_BUILD "cc " FLOAT_CC " " FLOAT_FMA " " FLOAT_FAST

/* The accuracy, in percent, of `right` images of ntest, as every path
 * computes it (the integer widths: 100 x nn_cnn_qaccuracy's fraction). */
static double pct_of(size_t right, size_t ntest) { return 100 * nn_fraction(right, ntest); }

static int hexval(char ch) {
  return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Reads an accuracy file for ntest images: its accuracy into *acc and the
 * outcomes into outcome (ntest bytes); 0, or -1 when it is missing, not
 * sound or for another number of images. */
static int acc_load(const char *path, size_t ntest, double *acc, uint8_t *outcome) {
  size_t nbytes = (ntest + 7) / 8, cap = 2 * nbytes + 128;
  char *buf = malloc(cap + 1);
  FILE *f = buf ? cache_fopen(path) : NULL;
  if (!f) {
    free(buf);
    return -1;
  }
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  buf[n] = '\0';
  int ok = 0;
  double a;
  unsigned long long h;
  char *l2 = strchr(buf, '\n'), *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
  if (l3 && sscanf(buf, "accuracy_pct %lf", &a) == 1 && strncmp(l2 + 1, "right ", 6) == 0 &&
      (size_t)(l3 - (l2 + 7)) == 2 * nbytes && sscanf(l3 + 1, "fnv1a64 %16llx", &h) == 1 &&
      h == study_fnv1a64(FNV_BASIS, buf, (size_t)(l3 + 1 - buf))) {
    size_t right = 0;
    ok = 1;
    for (size_t k = 0; ok && k < nbytes; k++) {
      int hi = hexval(l2[7 + 2 * k]), lo = hexval(l2[8 + 2 * k]);
      if (hi < 0 || lo < 0) {
        ok = 0;
        break;
      }
      unsigned byte = (unsigned)hi << 4 | (unsigned)lo;
      for (unsigned bit = 0; ok && bit < 8; bit++) {
        size_t img = 8 * k + bit;
        unsigned v = byte >> bit & 1u;
        if (img < ntest) outcome[img] = (uint8_t)v, right += v;
        else if (v) ok = 0; /* a bit past the last image */
      }
    }
    ok = ok && a == pct_of(right, ntest);
  }
  free(buf);
  if (!ok) return -1;
  *acc = a;
  return 0;
}

static void acc_store(const char *path, double acc, const uint8_t *outcome, size_t ntest) {
  size_t nbytes = (ntest + 7) / 8;
  char *text = malloc(2 * nbytes + 64);
  em_outfile *o = NULL;
  em_diag d;
  em_diag_clear(&d);
  if (!text) return; /* a cache that cannot be written is only slower */
  int n = snprintf(text, 64, "accuracy_pct %.17g\nright ", acc);
  size_t len = n > 0 ? (size_t)n : 0;
  for (size_t k = 0; k < nbytes; k++) {
    unsigned byte = 0;
    for (unsigned bit = 0; bit < 8 && 8 * k + bit < ntest; bit++)
      byte |= (unsigned)(outcome[8 * k + bit] != 0) << bit;
    len += (size_t)sprintf(text + len, "%02x", byte);
  }
  text[len++] = '\n';
  if (n > 0 && em_outfile_open(path, &o, &d) == EM_OK) {
    fwrite(text, 1, len, em_outfile_fp(o));
    fprintf(em_outfile_fp(o), "fnv1a64 %016llx\n",
            (unsigned long long)study_fnv1a64(FNV_BASIS, text, len));
    em_outfile_commit(o, &d);
  }
  free(text);
}

/* One evaluation job: an integer width whole (its calibration is its own),
 * or half of fp32's test images, so that the two threads share fp32's
 * evaluation when the integer widths come from the cache.  The halves'
 * counts add up to the whole set's, so the accuracy is the same. */
typedef struct {
  size_t width;
  size_t first, count; /* fp32: its test images */
} eval_part;

typedef struct {
  const nn_cnn *net;
  const study_cnn_width *w;
  const wl_dataset *train, *test; /* test: the images evaluated */
  const study_cnn_cfg *c;
  const eval_part *part;
  double *acc;
  size_t *right;         /* per job: fp32's half's images classified right */
  uint8_t *outcome;      /* per width: test->n outcomes (1: right) */
  char (*accfile)[4500]; /* per width: its cache file, "" without one */
} eval_job;

static em_status eval_one(void *ctx, size_t i, unsigned worker, em_diag *d) {
  (void)worker;
  eval_job *j = ctx;
  const eval_part *p = &j->part[i];
  const study_cnn_width *w = &j->w[p->width];
  const wl_dataset *t = j->test;
  uint8_t *out = j->outcome + p->width * t->n;
  if (w->fp) { /* fp32, the network as trained: images [first, first + count) */
    wl_dataset half = {p->count, t->rows, t->cols, t->pixels + p->first * t->rows * t->cols,
                       t->labels + p->first};
    size_t r = nn_cnn_correct(j->net, &half, out + p->first);
    if (r == SIZE_MAX) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    j->right[i] = r;
    return EM_OK;
  }
  const char *file = j->accfile[p->width];
  if (file[0] && acc_load(file, t->n, &j->acc[p->width], out) == 0) return EM_OK;
  double a = 0;
  em_status s = nn_cnn_qaccuracy(j->net, w->bits, w->bits, 0, j->train, j->c->ncalib, t, t->n,
                                 &a, out, d);
  if (s == EM_OK) j->acc[p->width] = 100 * a;
  if (s == EM_OK && file[0]) acc_store(file, j->acc[p->width], out, t->n);
  return s;
}

em_status study_cnn_data(const study_cnn_cfg *c, wl_dataset *train, wl_dataset *test,
                         em_diag *d) {
  em_status s = wl_fashion_mnist_pair(c->data, train, test, d);
  if (s == EM_OK && (train->rows != 28 || train->cols != 28)) {
    s = em_diag_set(d, EM_ERR_INVALID, c->data ? c->data : WL_FASHION_MNIST_DIR, 0, 0,
                    "SimpleCNN takes 28 x 28 images, these are %zu x %zu", train->rows,
                    train->cols);
    wl_dataset_free(train);
    wl_dataset_free(test);
  }
  /* training steps whole batches: fewer images than one train nothing (as
   * `emlsim quant` refuses them) */
  size_t batch = nn_train_defaults(NN_ADAM).batch;
  size_t ntrain = c->ntrain && c->ntrain < train->n ? c->ntrain : train->n;
  if (s == EM_OK && c->epochs && ntrain < batch) {
    s = em_diag_set(d, EM_ERR_RANGE, c->data ? c->data : WL_FASHION_MNIST_DIR, 0, 0,
                    "%zu training images, fewer than one batch of %zu: no training step would run",
                    ntrain, batch);
    wl_dataset_free(train);
    wl_dataset_free(test);
  }
  return s;
}

em_status study_cnn_accuracy(const study_cnn_cfg *c, const wl_dataset *trainp,
                             const wl_dataset *testp, const study_cnn_width *w, size_t n,
                             double *acc_pct, uint8_t *outcome, study_cnn_info *info,
                             void (*progress)(const char *line), em_diag *d) {
  memset(info, 0, sizeof *info);
  for (size_t i = 0; i < n; i++) acc_pct[i] = NAN;
  const wl_dataset train = *trainp, test = *testp; /* borrowed */
  nn_cnn *net = NULL;
  char line[512];
  em_status s = EM_OK;
  wl_dataset sub = train;
  if (c->ntrain && c->ntrain < sub.n) sub.n = c->ntrain;
  nn_train_cfg tc = nn_train_defaults(NN_ADAM);
  tc.epochs = c->epochs;
  tc.seed = c->seed;
  tc.threads = c->threads;
  snprintf(info->settings, sizeof info->settings,
           "SimpleCNN (EMLSCNN1), Adam lr %g, batch %u, %u epoch(s) over the first %zu "
           "training images, seed %llu",
           tc.lr, tc.batch, tc.epochs, sub.n, (unsigned long long)tc.seed);
  char bin[4400] = "", sum[4400] = "";
  int in_cache = 0; /* the weights evaluated are the cache's, sound */
  if (c->cache) {
    /* the key: the settings and the very images and labels trained on */
    uint64_t k = study_fnv1a64(FNV_BASIS, info->settings, strlen(info->settings));
    k = study_fnv1a64(k, sub.pixels, sub.n * sub.rows * sub.cols);
    k = study_fnv1a64(k, sub.labels, sub.n);
    snprintf(bin, sizeof bin, "%s/simplecnn-%016llx.bin", c->cache, (unsigned long long)k);
    snprintf(sum, sizeof sum, "%s/simplecnn-%016llx.sum", c->cache, (unsigned long long)k);
    snprintf(info->cache_file, sizeof info->cache_file, "%s", bin);
    net = cache_load(bin, sum, info);
    info->cached = in_cache = net != NULL;
  }
  if (!net) {
    snprintf(line, sizeof line, "SimpleCNN: training (%u epoch(s) over %zu images, once: "
             "cached for the next run)", tc.epochs, sub.n);
    if (progress) progress(line);
    double t0 = now_s();
    if ((s = nn_cnn_create(tc.seed, &net, d)) != EM_OK) goto out;
    if ((s = nn_cnn_train(net, &sub, &tc, NULL, d)) != EM_OK) goto out;
    info->train_s = now_s() - t0;
    if (c->cache) in_cache = cache_store(net, c->cache, bin, sum, info);
  }
  snprintf(line, sizeof line, "SimpleCNN: test accuracy at %zu width(s) through the MAC model",
           n);
  if (progress) progress(line);
  {
    char(*accfile)[4500] = calloc(n ? n : 1, sizeof *accfile);
    if (!accfile) {
      s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto out;
    }
    if (in_cache)
      for (size_t i = 0; i < n; i++) {
        if (w[i].fp ? w[i].bits != 32 : w[i].bits < 2 || w[i].bits > 16) continue;
        char ek[512];
        int m = snprintf(ek, sizeof ek, "%s %s %s ncalib %zu ntest %zu of %zu", EMLSIM_VERSION,
                         EVAL_VERSION, FLOAT_BUILD, c->ncalib, c->ntest, test.n);
        if (m < 0 || (size_t)m >= sizeof ek) m = (int)strlen(ek);
        uint64_t h = study_fnv1a64(FNV_BASIS, ek, (size_t)m);
        h = study_fnv1a64(h, test.pixels, test.n * test.rows * test.cols);
        h = study_fnv1a64(h, test.labels, test.n);
        size_t nc = c->ncalib < train.n ? c->ncalib : train.n;
        h = study_fnv1a64(h, train.pixels, nc * train.rows * train.cols);
        snprintf(accfile[i], sizeof accfile[i], "%.4300s-%s%u-%016llx.acc", bin,
                 w[i].fp ? "fp" : "int", w[i].bits, (unsigned long long)h);
        char *dot = strstr(accfile[i], ".bin-");
        if (dot) memmove(dot, dot + 4, strlen(dot + 4) + 1); /* simplecnn-<key>-int8-... */
      }
    /* the jobs: the integer widths first (the longest), then fp32's two
     * halves; fp16 and binary are not modelled (no binarized SimpleCNN) */
    wl_dataset evald = test;
    if (c->ntest && c->ntest < evald.n) evald.n = c->ntest;
    eval_part *part = calloc(2 * n + 1, sizeof *part);
    size_t *right = calloc(2 * n + 1, sizeof *right), np = 0;
    if (!part || !right) {
      free(accfile), free(part), free(right);
      s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto out;
    }
    for (size_t i = 0; i < n; i++)
      if (!w[i].fp && w[i].bits >= 2 && w[i].bits <= 16) part[np++] = (eval_part){i, 0, 0};
    size_t nint = np;
    uint8_t *own = outcome ? NULL : calloc(n * evald.n + 1, 1);
    uint8_t *out_all = outcome ? outcome : own;
    if (!out_all) {
      free(accfile), free(part), free(right);
      s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto out;
    }
    double t0 = now_s();
    for (size_t i = 0; i < n; i++)
      if (w[i].fp && w[i].bits == 32 &&
          !(accfile[i][0] &&
            acc_load(accfile[i], evald.n, &acc_pct[i], out_all + i * evald.n) == 0)) {
        part[np++] = (eval_part){i, 0, evald.n / 2};
        part[np++] = (eval_part){i, evald.n / 2, evald.n - evald.n / 2};
      }
    eval_job j = {net, w, &train, &evald, c, part, acc_pct, right, out_all, accfile};
    s = em_pool_run(c->threads ? c->threads : 1, np, eval_one, &j, NULL, d);
    for (size_t p = nint; s == EM_OK && p < np; p += 2) {
      size_t wi = part[p].width;
      acc_pct[wi] = pct_of(right[p] + right[p + 1], evald.n);
      if (accfile[wi][0]) acc_store(accfile[wi], acc_pct[wi], out_all + wi * evald.n, evald.n);
    }
    info->eval_s = now_s() - t0;
    info->ntest = evald.n;
    info->ncalib = c->ncalib < train.n ? c->ncalib : train.n; /* nn_cnn_qaccuracy's */
    if (info->ncalib == 0) info->ncalib = 1;
    free(accfile), free(part), free(right), free(own);
  }
out:
  nn_cnn_destroy(net);
  return s;
}
