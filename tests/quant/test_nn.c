/*
 * test_nn.c - the IDX reader, MLP training determinism, the weight file, and
 * quantized integer inference against a hand calculation.  Synthetic data
 * written here: no dataset package needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <gsl/gsl_cdf.h>

#include "mac_arith.h"
#include "nn_cnn.h"
#include "nn_mlp.h"
#include "nn_stats.h"
#include "wl_idx.h"

static char dir[64];

static void write_idx(const char *name, const uint8_t *hdr, size_t hn, const uint8_t *data,
                      size_t n, int gz) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  if (gz) {
    gzFile f = gzopen(p, "wb");
    assert_non_null(f);
    gzwrite(f, hdr, (unsigned)hn);
    if (n) gzwrite(f, data, (unsigned)n);
    gzclose(f);
  } else {
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(hdr, 1, hn, f);
    fwrite(data, 1, n, f);
    fclose(f);
  }
}

/* A synthetic 2-class set of n 4x4 images: class 1 is bright on the left
 * half, class 0 on the right, with seeded noise. */
static void synth(wl_dataset *ds, size_t n, unsigned seed) {
  ds->n = n;
  ds->rows = ds->cols = 4;
  ds->pixels = malloc(n * 16);
  ds->labels = malloc(n);
  srand(seed);
  for (size_t i = 0; i < n; i++) {
    ds->labels[i] = (uint8_t)(i % 2);
    for (int k = 0; k < 16; k++) {
      int left = (k % 4) < 2;
      int hot = ds->labels[i] ? left : !left;
      ds->pixels[i * 16 + k] = (uint8_t)((hot ? 150 : 30) + rand() % 100);
    }
  }
}

static void idx_files(void **state) {
  (void)state;
  /* 2 images of 2 x 3 and their labels, gzip-compressed */
  static const uint8_t ih[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
  static const uint8_t px[12] = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
  static const uint8_t lh[8] = {0, 0, 8, 1, 0, 0, 0, 2};
  static const uint8_t lb[2] = {7, 3};
  write_idx("i.gz", ih, 16, px, 12, 1);
  write_idx("l", lh, 8, lb, 2, 0);
  char ip[256], lp[256];
  snprintf(ip, sizeof ip, "%s/i.gz", dir);
  snprintf(lp, sizeof lp, "%s/l", dir);
  wl_dataset ds;
  em_diag d;
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_OK);
  assert_int_equal(ds.n, 2);
  assert_int_equal(ds.rows, 2);
  assert_int_equal(ds.cols, 3);
  assert_memory_equal(ds.pixels, px, 12);
  assert_int_equal(ds.labels[1], 3);
  wl_dataset_free(&ds);
  /* truncated images, a label count that disagrees, a bad magic, a label of 12 */
  write_idx("short.gz", ih, 16, px, 7, 1);
  snprintf(ip, sizeof ip, "%s/short.gz", dir);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "truncated"));
  static const uint8_t lh3[8] = {0, 0, 8, 1, 0, 0, 0, 3};
  write_idx("l3", lh3, 8, (const uint8_t[3]){1, 2, 3}, 3, 0);
  snprintf(ip, sizeof ip, "%s/i.gz", dir);
  snprintf(lp, sizeof lp, "%s/l3", dir);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "3 labels for 2 images"));
  static const uint8_t bad[8] = {0, 0, 9, 1, 0, 0, 0, 2};
  write_idx("lbad", bad, 8, lb, 2, 0);
  snprintf(lp, sizeof lp, "%s/lbad", dir);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_string_equal(d.path, lp);
  write_idx("l12", lh, 8, (const uint8_t[2]){1, 12}, 2, 0);
  snprintf(lp, sizeof lp, "%s/l12", dir);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_RANGE);
  /* no dataset folder: says which Debian package */
  assert_int_equal(wl_fashion_mnist("/nonexistent/fmnist", 1, &ds, &d), EM_ERR_NOTFOUND);
  assert_non_null(strstr(d.msg, "dataset-fashion-mnist"));
}

/* Writes n bytes of b as dir/name. */
static void write_bytes(const char *name, const uint8_t *b, size_t n) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(b, 1, n, f), n);
  fclose(f);
}

/* A .gz IDX file is read to its last byte (RFC 1952: each member ends in an
 * 8-byte trailer, the CRC-32 of its data then the data's length): a flipped
 * CRC byte is zlib's "incorrect data check", a flipped length byte
 * "incorrect length check" (zlib's inflate.c), a file cut inside the
 * compressed data is truncated, bytes after the trailer are refused as a
 * plain file's are, and a second member continues the data (gzip -d). */
static void idx_gzip_read_to_end(void **state) {
  (void)state;
  static const uint8_t ih[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
  static const uint8_t px[12] = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
  static const uint8_t lh[8] = {0, 0, 8, 1, 0, 0, 0, 2};
  static const uint8_t lb[2] = {7, 3};
  write_idx("g.gz", ih, 16, px, 12, 1);
  write_idx("gl", lh, 8, lb, 2, 0);
  char ip[256], lp[256];
  snprintf(ip, sizeof ip, "%s/g.gz", dir);
  snprintf(lp, sizeof lp, "%s/gl", dir);
  uint8_t g[512], b[600];
  FILE *f = fopen(ip, "rb");
  assert_non_null(f);
  size_t n = fread(g, 1, sizeof g, f);
  fclose(f);
  assert_true(n > 18 && n < sizeof g);
  wl_dataset ds;
  em_diag d;
  memcpy(b, g, n);
  b[n - 8] ^= 0x55; /* the CRC */
  write_bytes("g.gz", b, n);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_string_equal(d.path, ip);
  assert_string_equal(d.msg, "corrupt gzip data: incorrect data check");
  assert_null(ds.pixels);
  memcpy(b, g, n);
  b[n - 1] ^= 0x55; /* the length */
  write_bytes("g.gz", b, n);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_string_equal(d.msg, "corrupt gzip data: incorrect length check");
  write_bytes("g.gz", g, 12); /* the 10-byte header and 2 bytes of data */
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  assert_string_equal(d.msg, "truncated or corrupt gzip file: it ends at byte 12, inside its "
                             "compressed stream");
  memcpy(b, g, n);
  memcpy(b + n, "xyz", 3);
  write_bytes("g.gz", b, n + 3);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_ERR_PARSE);
  char want[128];
  snprintf(want, sizeof want, "data after the end of the gzip stream (from byte %zu)", n);
  assert_string_equal(d.msg, want);
  /* the header in one member, the pixels in a second */
  write_idx("h.gz", ih, 16, NULL, 0, 1);
  snprintf(ip, sizeof ip, "%s/h.gz", dir);
  f = fopen(ip, "rb");
  assert_non_null(f);
  size_t m = fread(b, 1, sizeof b, f);
  fclose(f);
  write_idx("p.gz", px, 12, NULL, 0, 1);
  snprintf(ip, sizeof ip, "%s/p.gz", dir);
  f = fopen(ip, "rb");
  assert_non_null(f);
  m += fread(b + m, 1, sizeof b - m, f);
  fclose(f);
  write_bytes("g.gz", b, m);
  snprintf(ip, sizeof ip, "%s/g.gz", dir);
  assert_int_equal(wl_idx_load(ip, lp, &ds, &d), EM_OK);
  assert_int_equal(ds.n, 2);
  assert_memory_equal(ds.pixels, px, 12);
  wl_dataset_free(&ds);
}

static void training_is_deterministic(void **state) {
  (void)state;
  wl_dataset ds;
  synth(&ds, 400, 3);
  unsigned dims[4] = {16, 12, 8, 2};
  em_diag d;
  nn_mlp a, b, c;
  nn_train_cfg tc = nn_train_defaults(NN_ADAM);
  tc.epochs = 3;
  tc.batch = 16;
  tc.threads = 1;
  assert_int_equal(nn_mlp_init(&a, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&a, &ds, &tc, NULL, &d), EM_OK);
  tc.threads = 2; /* the same weights on two threads */
  assert_int_equal(nn_mlp_init(&b, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&b, &ds, &tc, NULL, &d), EM_OK);
  for (unsigned l = 0; l < 3; l++) {
    assert_memory_equal(a.w[l], b.w[l], (size_t)dims[l] * dims[l + 1] * sizeof(float));
    assert_memory_equal(a.b[l], b.b[l], dims[l + 1] * sizeof(float));
  }
  /* the task is separable: the network learns it */
  nn_input in = {1, 0};
  assert_true(nn_mlp_accuracy(&a, &ds, in) > 0.95);
  /* another seed, other weights */
  tc.seed = 43;
  assert_int_equal(nn_mlp_init(&c, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&c, &ds, &tc, NULL, &d), EM_OK);
  assert_true(memcmp(a.w[0], c.w[0], 16 * 12 * sizeof(float)) != 0);
  /* SGD with momentum learns it too */
  nn_train_cfg sg = nn_train_defaults(NN_SGD);
  sg.epochs = 5;
  sg.batch = 16;
  nn_mlp_free(&c);
  assert_int_equal(nn_mlp_init(&c, dims, 3, 7, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&c, &ds, &sg, NULL, &d), EM_OK);
  assert_true(nn_mlp_accuracy(&c, &ds, in) > 0.95);
  /* the weight file round-trips bit for bit */
  char p[256];
  snprintf(p, sizeof p, "%s/w.bin", dir);
  assert_int_equal(nn_mlp_save(&a, p, &d), EM_OK);
  nn_mlp r;
  assert_int_equal(nn_mlp_load(&r, p, &d), EM_OK);
  assert_int_equal(r.nl, 3);
  for (unsigned l = 0; l < 3; l++)
    assert_memory_equal(a.w[l], r.w[l], (size_t)dims[l] * dims[l + 1] * sizeof(float));
  nn_mlp_free(&r);
  FILE *f = fopen(p, "r+b");
  assert_non_null(f);
  fputc('X', f); /* bad magic */
  fclose(f);
  assert_int_equal(nn_mlp_load(&r, p, &d), EM_ERR_PARSE);
  unlink(p);
  nn_mlp_free(&a);
  nn_mlp_free(&b);
  nn_mlp_free(&c);
  wl_dataset_free(&ds);
}

static void integer_layer_by_hand(void **state) {
  (void)state;
  /* One layer, 2 inputs -> 2 outputs, weights [[0.5, -1], [1, 0.25]];
   * one calibration image with pixels 255 and 51 -> inputs 1.0 and 0.2.
   * int8 per-tensor symmetric weights: scale 1/127, codes [[64, -127],
   * [127, 32]] (0.5 * 127 = 63.5 rounds to 64; 0.25 * 127 = 31.75 -> 32).
   * Activations: asymmetric 8-bit over [0, 1]: scale 1/255, codes 255, 51.
   * Row 0: 255 x 64 + 51 x (-127) = 16320 - 6477 = 9843. */
  wl_dataset ds;
  ds.n = 1;
  ds.rows = 1;
  ds.cols = 2;
  uint8_t px[2] = {255, 51}, lb[1] = {0};
  ds.pixels = px;
  ds.labels = lb;
  unsigned dims[2] = {2, 2};
  nn_mlp m;
  em_diag d;
  assert_int_equal(nn_mlp_init(&m, dims, 1, 1, &d), EM_OK);
  m.w[0][0] = 0.5f;
  m.w[0][1] = -1.0f;
  m.w[0][2] = 1.0f;
  m.w[0][3] = 0.25f;
  nn_qcfg qc = {NN_Q_INT, 8, 8, false, CM_Q_SYMMETRIC, CM_CALIB_MINMAX, 99.99, false, 0.05};
  nn_qmodel *q;
  nn_input in = {1, 0};
  assert_int_equal(nn_quantize(&m, &qc, &ds, 1, in, &q, &d), EM_OK);
  uint32_t a[2], w[2];
  unsigned k, wa, wb;
  int64_t acc;
  assert_int_equal(nn_qmodel_operands(q, &ds, in, 0, 0, 0, a, w, &k, &wa, &wb, &acc, &d), EM_OK);
  assert_int_equal(k, 2);
  assert_int_equal(a[0], 255);
  assert_int_equal(a[1], 51);
  assert_int_equal(mac_extend(w[0], wb, true), 64);
  assert_int_equal(mac_extend(w[1], wb, true), -127);
  assert_int_equal(acc, 9843);
  assert_int_equal(nn_qmodel_operands(q, &ds, in, 0, 0, 1, a, w, &k, &wa, &wb, &acc, &d), EM_OK);
  assert_int_equal(acc, 255 * 127 + 51 * 32); /* 32385 + 1632 = 34017 */
  nn_qmodel_free(q);
  nn_mlp_free(&m);
}

/* Finite weights whose sums overflow float are refused, not quantized into
 * a scale of inf: one layer of 2 inputs, weights 3e38 each, an image of
 * pixels 255 and 255 (inputs 1.0 and 1.0): 3e38 + 3e38 = 6e38 is past
 * FLT_MAX (3.4028e38), so output 0 is inf; weights of 1e38 give 2e38,
 * finite, and quantize. */
static void overflowing_weights_refused(void **state) {
  (void)state;
  wl_dataset ds;
  ds.n = 1;
  ds.rows = 1;
  ds.cols = 2;
  uint8_t px[2] = {255, 255}, lb[1] = {0};
  ds.pixels = px;
  ds.labels = lb;
  unsigned dims[2] = {2, 2};
  nn_mlp m;
  em_diag d;
  nn_input in = {1, 0};
  nn_qcfg qc = {NN_Q_INT, 8, 8, false, CM_Q_SYMMETRIC, CM_CALIB_MINMAX, 99.99, false, 0.05};
  nn_qmodel *q = NULL;
  assert_int_equal(nn_mlp_init(&m, dims, 1, 1, &d), EM_OK);
  for (int i = 0; i < 4; i++) m.w[0][i] = 1e38f;
  m.b[0][0] = m.b[0][1] = 0;
  assert_int_equal(nn_mlp_check_finite(&m, &ds, 1, in, "w.mlp", &d), EM_OK);
  assert_int_equal(nn_quantize(&m, &qc, &ds, 1, in, &q, &d), EM_OK);
  nn_qmodel_free(q);
  q = NULL;
  for (int i = 0; i < 4; i++) m.w[0][i] = 3e38f;
  assert_int_equal(nn_mlp_check_finite(&m, &ds, 1, in, "w.mlp", &d), EM_ERR_INVALID);
  assert_string_equal(d.path, "w.mlp");
  assert_non_null(strstr(d.msg, "layer 1 overflows float on image 0 (its output 0 is inf)"));
  assert_int_equal(nn_quantize(&m, &qc, &ds, 1, in, &q, &d), EM_ERR_INVALID);
  assert_null(q);
  nn_mlp_free(&m);
}

/* Neuron pruning drops the s fraction of every hidden layer's neurons.  A
 * 4-8-4-2 MLP whose weights are w[l][j][i] = (j + 1) (neuron j's L2 norm
 * grows with j), so the smallest norms are the first neurons: at 0.75 the
 * first hidden layer drops 6 of 8 (llround(0.75 x 8)) and the second 3 of
 * 4, rows 0..5 and 0..2, whatever the layer before dropped.  (Its rows were
 * taken as gone by their first weight, which the first layer's dropped
 * neuron 0 had zeroed: the second layer kept all 4.) */
static void neuron_pruning_every_layer(void **state) {
  (void)state;
  unsigned dims[4] = {4, 8, 4, 2};
  nn_mlp m;
  em_diag d;
  assert_int_equal(nn_mlp_init(&m, dims, 3, 1, &d), EM_OK);
  for (unsigned l = 0; l < 3; l++)
    for (unsigned j = 0; j < dims[l + 1]; j++) {
      for (unsigned i = 0; i < dims[l]; i++) m.w[l][j * dims[l] + i] = (float)(j + 1);
      m.b[l][j] = 1;
    }
  uint8_t *mask[NN_MAX_LAYERS];
  assert_int_equal(nn_mlp_prune(&m, NN_PRUNE_NEURON, 0.75, 0, 0, mask, &d), EM_OK);
  for (unsigned l = 0; l < 2; l++) {
    unsigned on = dims[l + 1], in_n = dims[l], dropped = 0;
    for (unsigned j = 0; j < on; j++) {
      unsigned zeros = 0;
      for (unsigned i = 0; i < in_n; i++) zeros += m.w[l][j * in_n + i] == 0;
      if (zeros == in_n) {
        dropped++;
        assert_true(m.b[l][j] == 0);
        assert_true(j < (l == 0 ? 6u : 3u)); /* the smallest norms */
      }
    }
    assert_int_equal(dropped, l == 0 ? 6 : 3);
  }
  for (unsigned l = 0; l < 3; l++) free(mask[l]);
  nn_mlp_free(&m);
}

/* Batches of odd sizes and batches longer than the data: an odd batch's
 * second half is the larger (7: 3 and 4), and one or two threads still give
 * the same weights; a batch longer than the data, or no data, takes no step
 * (the weights stay as initialized); the CNN, as the MLP, takes a batch of
 * at least 2. */
static void odd_and_empty_batches(void **state) {
  (void)state;
  wl_dataset ds;
  synth(&ds, 400, 5);
  unsigned dims[4] = {16, 12, 8, 2};
  em_diag d;
  nn_train_cfg tc = nn_train_defaults(NN_SGD);
  tc.epochs = 2;
  tc.batch = 7;
  nn_mlp a, b, c, e;
  tc.threads = 1;
  assert_int_equal(nn_mlp_init(&a, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&a, &ds, &tc, NULL, &d), EM_OK);
  tc.threads = 2;
  assert_int_equal(nn_mlp_init(&b, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&b, &ds, &tc, NULL, &d), EM_OK);
  assert_int_equal(nn_mlp_init(&e, dims, 3, 42, &d), EM_OK); /* untrained */
  for (unsigned l = 0; l < 3; l++) {
    assert_memory_equal(a.w[l], b.w[l], (size_t)dims[l] * dims[l + 1] * sizeof(float));
    assert_memory_equal(a.b[l], b.b[l], dims[l + 1] * sizeof(float));
  }
  assert_true(memcmp(a.w[0], e.w[0], 16 * 12 * sizeof(float)) != 0); /* it trained */
  tc.batch = 401;
  assert_int_equal(nn_mlp_init(&c, dims, 3, 42, &d), EM_OK);
  assert_int_equal(nn_mlp_train(&c, &ds, &tc, NULL, &d), EM_OK);
  ds.n = 0;
  tc.batch = 64;
  assert_int_equal(nn_mlp_train(&c, &ds, &tc, NULL, &d), EM_OK);
  for (unsigned l = 0; l < 3; l++) {
    assert_memory_equal(c.w[l], e.w[l], (size_t)dims[l] * dims[l + 1] * sizeof(float));
    assert_memory_equal(c.b[l], e.b[l], dims[l + 1] * sizeof(float));
  }
  nn_cnn *cn;
  wl_dataset img = {0};
  img.rows = img.cols = 28; /* no images: the batch is refused first */
  tc.batch = 1;
  assert_int_equal(nn_cnn_create(3, &cn, &d), EM_OK);
  assert_int_equal(nn_cnn_train(cn, &img, &tc, NULL, &d), EM_ERR_RANGE);
  tc.batch = 64;
  assert_int_equal(nn_cnn_train(cn, &img, &tc, NULL, &d), EM_OK);
  nn_cnn_destroy(cn);
  nn_mlp_free(&a);
  nn_mlp_free(&b);
  nn_mlp_free(&c);
  nn_mlp_free(&e);
  free(ds.pixels);
  free(ds.labels);
}

static void cnn_is_deterministic(void **state) {
  (void)state;
  /* 64 seeded 28 x 28 images, 2 classes (bright left or right half) */
  wl_dataset ds;
  ds.n = 64;
  ds.rows = ds.cols = 28;
  ds.pixels = malloc(64 * 784);
  ds.labels = malloc(64);
  srand(9);
  for (size_t i = 0; i < 64; i++) {
    ds.labels[i] = (uint8_t)(i % 2);
    for (int k = 0; k < 784; k++) {
      int left = (k % 28) < 14, hot = ds.labels[i] ? left : !left;
      ds.pixels[i * 784 + k] = (uint8_t)((hot ? 150 : 20) + rand() % 100);
    }
  }
  em_diag d;
  nn_train_cfg tc = nn_train_defaults(NN_ADAM);
  tc.epochs = 2;
  tc.batch = 16;
  char p1[256], p2[256];
  snprintf(p1, sizeof p1, "%s/c1.bin", dir);
  snprintf(p2, sizeof p2, "%s/c2.bin", dir);
  for (int t = 1; t <= 2; t++) {
    nn_cnn *c;
    tc.threads = (unsigned)t;
    assert_int_equal(nn_cnn_create(3, &c, &d), EM_OK);
    assert_int_equal(nn_cnn_train(c, &ds, &tc, NULL, &d), EM_OK);
    assert_int_equal(nn_cnn_save(c, t == 1 ? p1 : p2, &d), EM_OK);
    if (t == 2) {
      assert_true(nn_cnn_accuracy(c, &ds) > 0.95);
      double q8;
      assert_int_equal(nn_cnn_qaccuracy(c, 8, 8, 0, &ds, 64, &ds, 0, &q8, NULL, &d), EM_OK);
      assert_true(q8 > 0.95);
      /* the per-image outcomes add up to the counts and accuracies: every
       * image once, as 0 or 1 */
      uint8_t fo[64], qo[64];
      memset(fo, 7, sizeof fo);
      memset(qo, 7, sizeof qo);
      size_t fr = nn_cnn_correct(c, &ds, fo), qr = 0;
      double q8b;
      assert_int_equal(nn_cnn_qaccuracy(c, 8, 8, 0, &ds, 64, &ds, 0, &q8b, qo, &d), EM_OK);
      size_t fs = 0;
      for (int i = 0; i < 64; i++) {
        assert_true(fo[i] <= 1 && qo[i] <= 1);
        fs += fo[i];
        qr += qo[i];
      }
      assert_int_equal(fs, fr);
      assert_true(nn_cnn_accuracy(c, &ds) == (double)fr / 64);
      assert_true(q8b == q8 && q8 == (double)qr / 64);
    }
    nn_cnn_destroy(c);
  }
  /* the two files are the same bytes */
  FILE *a = fopen(p1, "rb"), *b = fopen(p2, "rb");
  assert_non_null(a);
  assert_non_null(b);
  int ca, cb;
  long n = 0;
  do {
    ca = fgetc(a);
    cb = fgetc(b);
    assert_int_equal(ca, cb);
    n++;
  } while (ca != EOF);
  fclose(a);
  fclose(b);
  assert_true(n > 800000); /* 8 + 4 x 206,922 parameters */
  nn_cnn *r;
  assert_int_equal(nn_cnn_load(&r, p1, &d), EM_OK);
  nn_cnn_destroy(r);
  free(ds.pixels);
  free(ds.labels);
}

/* McNemar's exact test against values computed by hand with exact integer
 * binomials: p = 2 sum_{i <= min(b, c)} C(b + c, i) / 2^(b + c), at most 1. */
static void mcnemar_by_hand(void **state) {
  (void)state;
  /* every two of three outcome vectors over 5 images, by hand:
   *   x = 1 1 0 0 1, y = 1 0 1 0 0, z = 0 0 0 0 0
   *   x, y: 2 and 1 (images 1, 4; image 2): 2 (1 + 3) / 8 = 1
   *   x, z: 3 and 0: 2 / 8 = 0.25;  y, z: 2 and 0: 2 / 4 = 0.5 */
  {
    const uint8_t x[5] = {1, 1, 0, 0, 1}, y[5] = {1, 0, 1, 0, 0}, z[5] = {0};
    const uint8_t *out[3] = {x, y, z};
    double p[9];
    uint64_t only[9];
    nn_mcnemar_pairs(out, 3, 5, p, only);
    const uint64_t want_only[9] = {0, 2, 3, 1, 0, 2, 0, 0, 0};
    const double want_p[9] = {1, 1, 0.25, 1, 1, 0.5, 0.25, 0.5, 1};
    for (int i = 0; i < 9; i++) {
      assert_true(only[i] == want_only[i]);
      assert_true(fabs(p[i] - want_p[i]) < 1e-12);
    }
    nn_mcnemar_pairs(out, 3, 5, p, NULL); /* the counts are optional */
    assert_true(fabs(p[2] - 0.25) < 1e-12);
  }
  assert_true(nn_mcnemar_p(0, 0) == 1); /* no discordant image: nothing to tell */
  /* 10 against 0: 2 / 2^10 */
  assert_true(fabs(nn_mcnemar_p(10, 0) - 0.001953125) < 1e-12);
  assert_true(fabs(nn_mcnemar_p(0, 10) - 0.001953125) < 1e-12);
  /* 3 against 7: 2 (1 + 10 + 45 + 120) / 1024 = 0.34375 */
  assert_true(fabs(nn_mcnemar_p(3, 7) - 0.34375) < 1e-12);
  assert_true(nn_mcnemar_p(5, 5) == 1); /* 2 x 638 / 1024 > 1: cut to 1 */
  /* 8 against 16 (the study's int8 SimpleCNN against fp32): C(24, 0..8)
   * = 1, 24, 276, 2024, 10626, 42504, 134596, 346104, 735471, sum
   * 1,271,626; 2 x 1,271,626 / 2^24 = 0.15158963203... */
  assert_true(fabs(nn_mcnemar_p(8, 16) - 0.15158963203430176) < 1e-12);
  /* 40 against 60: 2 sum_{i <= 40} C(100, i) / 2^100 = 0.0568879336... */
  assert_true(fabs(nn_mcnemar_p(40, 60) - 0.05688793364098079) < 1e-10);
  /* past 2^32 discordant images, the chi-square form with continuity
   * correction: (100,000 - 1)^2 / (2^33 + 100,000) = 1.16411638...,
   * Q = erfc(sqrt(x / 2)) = 0.28061347... */
  uint64_t big = 1ull << 32;
  assert_true(fabs(nn_mcnemar_p(big + 100000, big) - 0.2806134718037079) < 1e-9);
  assert_true(nn_mcnemar_p(big, big) == 1);
  /* the discordant counts of two outcome vectors */
  const uint8_t x[6] = {1, 1, 0, 0, 1, 0}, y[6] = {1, 0, 1, 0, 0, 1};
  uint64_t b, c;
  nn_discordant(x, y, 6, &b, &c);
  assert_true(b == 2 && c == 2);
  nn_discordant(x, y, 2, &b, &c);
  assert_true(b == 1 && c == 0);
}

/* The interval of an accuracy difference on the same images
 * (nn_paired_diff_ci), against hand calculations and against the test it
 * inverts. */
static void paired_interval(void **state) {
  (void)state;
  double lo, hi;
  /* 10 discordant images of 100, all the first's (b 10, c 0): theta's
   * Clopper-Pearson interval is [0, 1 - 0.025^(1/10)], 0.025^0.1 =
   * exp(ln 0.025 / 10) = exp(-0.3688879) = 0.6915029, so [0, 0.3084971];
   * the difference (b + c) / n (2 theta - 1) = 0.1 (2 theta - 1): from
   * -0.1 to 0.1 (2 x 0.3084971 - 1) = -0.0383006 */
  nn_paired_diff_ci(10, 0, 100, 0.95, &lo, &hi);
  assert_true(fabs(lo - -0.1) < 1e-12);
  assert_true(fabs(hi - -0.03830058) < 1e-7);
  nn_paired_diff_ci(0, 10, 100, 0.95, &lo, &hi); /* the mirror */
  assert_true(fabs(lo - 0.03830058) < 1e-7);
  assert_true(fabs(hi - 0.1) < 1e-12);
  /* one discordant image of 4, the second's: theta in [0.025, 1] (the
   * 0.025 quantile of Beta(1, 1) is 0.025), the difference (1/4) (2 theta
   * - 1) in [-0.2375, 0.25] */
  nn_paired_diff_ci(0, 1, 4, 0.95, &lo, &hi);
  assert_true(fabs(lo - -0.2375) < 1e-12);
  assert_true(fabs(hi - 0.25) < 1e-12);
  /* 5 against 5 at 90 %: symmetric about 1/2, so the difference's interval
   * is symmetric about 0 */
  nn_paired_diff_ci(5, 5, 1000, 0.90, &lo, &hi);
  assert_true(lo < 0 && fabs(lo + hi) < 1e-12);
  /* the bounds are where the binomial tails are (1 - level) / 2: the
   * study's int8 SimpleCNN against fp32, 8 and 16 of 10,000 images */
  nn_paired_diff_ci(8, 16, 10000, 0.95, &lo, &hi);
  double t_lo = (lo * 10000 / 24 + 1) / 2, t_hi = (hi * 10000 / 24 + 1) / 2;
  assert_true(fabs(gsl_cdf_binomial_Q(15, t_lo, 24) - 0.025) < 1e-9); /* P(X >= 16) */
  assert_true(fabs(gsl_cdf_binomial_P(16, t_hi, 24) - 0.025) < 1e-9); /* P(X <= 16) */
  assert_true(lo < 8.0 / 10000 && 8.0 / 10000 < hi); /* around (16 - 8) / 10,000 */
  /* it leaves out 0 exactly where McNemar's exact p is at most 1 - level:
   * every split of up to 60 discordant images */
  for (uint64_t m = 1; m <= 60; m++)
    for (uint64_t c = 0; c <= m; c++) {
      nn_paired_diff_ci(m - c, c, 1000, 0.95, &lo, &hi);
      double p = nn_mcnemar_p(m - c, c);
      if (fabs(p - 0.05) < 1e-9) continue; /* on the edge: either */
      assert_true((lo > 0 || hi < 0) == (p < 0.05));
      assert_true(lo <= ((double)c - (double)(m - c)) / 1000 + 1e-15);
      assert_true(hi >= ((double)c - (double)(m - c)) / 1000 - 1e-15);
    }
  /* a million discordant images, evenly split: the normal approximation,
   * +-1.959964 sqrt(m) / n = +-0.00195996 of n = 10^6 (Beta(10^6, 10^6)'s
   * 0.975 quantile, where gsl_cdf_beta_P goes wrong) */
  nn_paired_diff_ci(500000, 500000, 1000000, 0.95, &lo, &hi);
  assert_true(fabs(hi - 0.00195996) < 2e-6 && fabs(lo + 0.00195996) < 2e-6);
  /* past 2^32 discordant images, still finite and about the difference */
  uint64_t big = 1ull << 33;
  nn_paired_diff_ci(big, big + 1000000, 1ull << 36, 0.95, &lo, &hi);
  assert_true(lo < 1e6 / (double)(1ull << 36) && hi > 1e6 / (double)(1ull << 36) && lo > 0);
  nn_paired_diff_ci(0, 0, 10, 0.95, &lo, &hi); /* no discordant image: nothing between */
  assert_true(lo == 0 && hi == 0);
  nn_paired_diff_ci(3, 3, 0, 0.95, &lo, &hi); /* no images */
  assert_true(isnan(lo) && isnan(hi));
  nn_paired_diff_ci(3, 3, 5, 0.95, &lo, &hi); /* more discordant than images */
  assert_true(isnan(lo) && isnan(hi));
  nn_paired_diff_ci(3, 3, 10, 1.0, &lo, &hi); /* no such level */
  assert_true(isnan(lo) && isnan(hi));
  nn_paired_diff_ci(UINT64_MAX, 2, UINT64_MAX, 0.95, &lo, &hi); /* b + c wraps */
  assert_true(isnan(lo) && isnan(hi));
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/emlsim_nn_XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(idx_files),
                                     cmocka_unit_test(idx_gzip_read_to_end),
                                     cmocka_unit_test(training_is_deterministic),
                                     cmocka_unit_test(integer_layer_by_hand),
                                     cmocka_unit_test(overflowing_weights_refused),
                                     cmocka_unit_test(neuron_pruning_every_layer),
                                     cmocka_unit_test(odd_and_empty_batches),
                                     cmocka_unit_test(cnn_is_deterministic),
                                     cmocka_unit_test(mcnemar_by_hand),
                                     cmocka_unit_test(paired_interval)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
