/*
 * test_cosim.c - the SystemC co-simulation of the Verilog PE array
 * (rtl/rtl_cosim.h) against plain C references and against emlsim's
 * systolic model (models/systolic/sa_model.h).
 *
 * Layers, each on the 4x4 and the 8x8 array, output- and weight-stationary:
 *   - conv3x3: a 7x7x3 image, six 3x3x3 filters, stride 1, padding 1, run as
 *     the im2col GEMM M = 49 pixels, K = 27, N = 6 (A built here from the
 *     image); the result is checked against a direct convolution;
 *   - gemm: M = 10, N = 9, K = 11 (partial folds in every dimension);
 *   - fc: 20 inputs, 12 outputs (M = 1);
 *   - gemm8x4x3: test_systolic.c's hand-worked GEMM (M 8, N 4, K 3), whose
 *     4x4 figures were worked by hand there: os 2 folds x (3 + 4 + 4 - 2)
 *     - 1 = 17, ws 1 fold x (2*4 + 4 + 8 - 2) - 1 = 17.
 * For each run: (a) C equals the reference bit for bit (operands cover the
 * whole int8 range); (b) the co-simulation's cycles, counted from the RTL's
 * `busy` output, equal sa_closed_form()'s total_cycles and sa_simulate()'s
 * (which reports no stalls) for a wl_layer of the same shape; (c) its clocks
 * are those rtl/README.md derives: 1 reset clock, and per fold the model's
 * fold length plus R (os: one clock to see `busy` fall, R - 1 drain shifts)
 * or plus 1 (ws: one clock to see `busy` fall).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtl_cosim.h"
#include "sa_model.h"
#include "wl_layer.h"

/* xorshift64*: a small seeded generator, the same operands every run. */
static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}
static int8_t rand_i8(void) { return (int8_t)(uint8_t)(next() >> 56); }

typedef struct {
  const char *name;
  wl_layer layer;
  uint32_t m, n, k;
  int8_t *a, *b;  /* M x K, K x N */
  int32_t *ref;   /* M x N, computed here */
} layer_case;

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n, size);
  assert_non_null(p);
  return p;
}

static void random_gemm(layer_case *lc) {
  lc->a = xcalloc((size_t)lc->m * lc->k, 1);
  lc->b = xcalloc((size_t)lc->k * lc->n, 1);
  lc->ref = xcalloc((size_t)lc->m * lc->n, sizeof *lc->ref);
  for (size_t i = 0; i < (size_t)lc->m * lc->k; i++) lc->a[i] = rand_i8();
  for (size_t i = 0; i < (size_t)lc->k * lc->n; i++) lc->b[i] = rand_i8();
  /* The plain matmul (K <= 27 terms of at most 2^14: no overflow). */
  for (uint32_t i = 0; i < lc->m; i++)
    for (uint32_t j = 0; j < lc->n; j++) {
      int32_t s = 0;
      for (uint32_t kk = 0; kk < lc->k; kk++)
        s += (int32_t)lc->a[(size_t)i * lc->k + kk] * lc->b[(size_t)kk * lc->n + j];
      lc->ref[(size_t)i * lc->n + j] = s;
    }
}

/* conv3x3: image [C][H][W], filters [F][C][3][3]; A is the im2col matrix
 * (pixel oy*W + ox, window element (c*3 + ky)*3 + kx), B the filters as
 * columns; the reference is the convolution itself, not a matmul. */
enum { IMG_H = 7, IMG_W = 7, IMG_C = 3, KS = 3, FILT = 6, PAD = 1 };
static void conv_case(layer_case *lc) {
  int8_t img[IMG_C][IMG_H][IMG_W], filt[FILT][IMG_C][KS][KS];
  for (int c = 0; c < IMG_C; c++)
    for (int y = 0; y < IMG_H; y++)
      for (int x = 0; x < IMG_W; x++) img[c][y][x] = rand_i8();
  for (int f = 0; f < FILT; f++)
    for (int c = 0; c < IMG_C; c++)
      for (int y = 0; y < KS; y++)
        for (int x = 0; x < KS; x++) filt[f][c][y][x] = rand_i8();
  lc->name = "conv3x3";
  lc->layer = wl_conv("conv3x3", IMG_H, IMG_W, IMG_C, KS, FILT, 1, PAD, 1);
  const int oh = IMG_H + 2 * PAD - KS + 1, ow = IMG_W + 2 * PAD - KS + 1;
  lc->m = (uint32_t)(oh * ow);
  lc->k = IMG_C * KS * KS;
  lc->n = FILT;
  lc->a = xcalloc((size_t)lc->m * lc->k, 1);
  lc->b = xcalloc((size_t)lc->k * lc->n, 1);
  lc->ref = xcalloc((size_t)lc->m * lc->n, sizeof *lc->ref);
  for (int oy = 0; oy < oh; oy++)
    for (int ox = 0; ox < ow; ox++)
      for (int c = 0; c < IMG_C; c++)
        for (int ky = 0; ky < KS; ky++)
          for (int kx = 0; kx < KS; kx++) {
            int y = oy + ky - PAD, x = ox + kx - PAD;
            int8_t v = (y >= 0 && y < IMG_H && x >= 0 && x < IMG_W) ? img[c][y][x] : 0;
            lc->a[(size_t)(oy * ow + ox) * lc->k + (size_t)((c * KS + ky) * KS + kx)] = v;
          }
  for (int f = 0; f < FILT; f++)
    for (int c = 0; c < IMG_C; c++)
      for (int ky = 0; ky < KS; ky++)
        for (int kx = 0; kx < KS; kx++)
          lc->b[(size_t)((c * KS + ky) * KS + kx) * lc->n + (size_t)f] = filt[f][c][ky][kx];
  for (int f = 0; f < FILT; f++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) {
        int32_t s = 0;
        for (int c = 0; c < IMG_C; c++)
          for (int ky = 0; ky < KS; ky++)
            for (int kx = 0; kx < KS; kx++) {
              int y = oy + ky - PAD, x = ox + kx - PAD;
              if (y >= 0 && y < IMG_H && x >= 0 && x < IMG_W)
                s += (int32_t)img[c][y][x] * filt[f][c][ky][kx];
            }
        lc->ref[(size_t)(oy * ow + ox) * lc->n + (size_t)f] = s;
      }
}

#define NCASES 4
static layer_case cases[NCASES];

static int setup(void **state) {
  (void)state;
  conv_case(&cases[0]);
  cases[1] = (layer_case){.name = "gemm", .layer = wl_gemm("gemm", 10, 9, 11), .m = 10, .n = 9,
                          .k = 11};
  random_gemm(&cases[1]);
  cases[2] = (layer_case){.name = "fc", .layer = wl_fc("fc", 20, 12), .m = 1, .n = 12, .k = 20};
  random_gemm(&cases[2]);
  cases[3] = (layer_case){.name = "gemm8x4x3", .layer = wl_gemm("gemm8x4x3", 8, 4, 3), .m = 8,
                          .n = 4, .k = 3};
  random_gemm(&cases[3]);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  for (int i = 0; i < NCASES; i++) {
    free(cases[i].a);
    free(cases[i].b);
    free(cases[i].ref);
  }
  return 0;
}

/* One layer on one array and dataflow: the output against the reference,
 * the cycles against the C model's. */
static void check_run(const layer_case *lc, unsigned size, rtl_cosim_dataflow df) {
  /* The layer's GEMM view is the shape co-simulated. */
  wl_gemm_view g = wl_layer_gemm_view(&lc->layer);
  assert_int_equal(g.m, lc->m);
  assert_int_equal(g.n, lc->n);
  assert_int_equal(g.k, lc->k);
  assert_int_equal(g.groups, 1);

  int32_t *c = xcalloc((size_t)lc->m * lc->n, sizeof *c);
  rtl_cosim_stats st;
  em_diag d;
  em_status s = rtl_cosim_gemm(size, size, df, lc->m, lc->n, lc->k, lc->a, lc->b, c, &st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  /* (a) the output tensor, bit for bit */
  for (size_t i = 0; i < (size_t)lc->m * lc->n; i++) {
    if (c[i] != lc->ref[i])
      fprintf(stderr, "%s %ux%u %s: C[%zu][%zu] rtl %d, reference %d\n", lc->name, size, size,
              df == RTL_COSIM_OS ? "os" : "ws", i / lc->n, i % lc->n, c[i], lc->ref[i]);
    assert_int_equal(c[i], lc->ref[i]);
  }
  free(c);

  /* (b) the cycles, against the closed form and the demand-stream walk */
  sa_config cfg = sa_config_default();
  cfg.rows = cfg.cols = size;
  cfg.dataflow = df == RTL_COSIM_OS ? SA_OS : SA_WS;
  wl_layer l = lc->layer;
  l.w = l.a = (wl_prec){8, false};
  sa_layer_stats cf, sim;
  assert_int_equal(sa_closed_form(&cfg, &l, &cf, &d), EM_OK);
  assert_int_equal(sa_simulate(&cfg, &l, NULL, &sim, &d), EM_OK);
  printf("%-10s %ux%u %s: rtl %5llu cycles, model %5llu (simulated %llu, stalls %llu); "
         "%llu folds, %llu clocks in all\n",
         lc->name, size, size, sa_dataflow_name(cfg.dataflow), (unsigned long long)st.cycles,
         (unsigned long long)cf.total_cycles, (unsigned long long)sim.total_cycles,
         (unsigned long long)sim.stall_cycles, (unsigned long long)st.folds,
         (unsigned long long)st.clock_cycles);
  assert_int_equal(sim.stall_cycles, 0);
  assert_int_equal(sim.total_cycles, cf.total_cycles);
  assert_int_equal(st.folds, cf.folds);
  assert_int_equal(st.cycles, cf.total_cycles);
  assert_int_equal(st.busy_cycles, cf.total_cycles + 1);

  /* (c) the clocks around them (rtl/README.md, "Cycle mapping") */
  uint64_t per_fold = df == RTL_COSIM_OS ? lc->k + 2 * size - 2 : 3 * size + lc->m - 2;
  assert_int_equal(cf.total_cycles, cf.folds * per_fold - 1);
  uint64_t extra = df == RTL_COSIM_OS ? size : 1;
  assert_int_equal(st.clock_cycles, 1 + cf.folds * (per_fold + extra));
}

static void run_layer(const layer_case *lc) {
  static const unsigned sizes[2] = {4, 8};
  for (int s = 0; s < 2; s++) {
    check_run(lc, sizes[s], RTL_COSIM_OS);
    check_run(lc, sizes[s], RTL_COSIM_WS);
  }
}

static void conv3x3(void **state) {
  (void)state;
  run_layer(&cases[0]);
}
static void gemm(void **state) {
  (void)state;
  run_layer(&cases[1]);
}
static void fc(void **state) {
  (void)state;
  run_layer(&cases[2]);
}

static void gemm_by_hand(void **state) {
  (void)state;
  const layer_case *lc = &cases[3];
  run_layer(lc);
  /* The figures test_systolic.c worked by hand (see the header). */
  int32_t c[8 * 4];
  rtl_cosim_stats st;
  em_diag d;
  assert_int_equal(rtl_cosim_gemm(4, 4, RTL_COSIM_OS, 8, 4, 3, lc->a, lc->b, c, &st, &d), EM_OK);
  assert_int_equal(st.cycles, 17);
  assert_int_equal(st.folds, 2);
  assert_int_equal(rtl_cosim_gemm(4, 4, RTL_COSIM_WS, 8, 4, 3, lc->a, lc->b, c, &st, &d), EM_OK);
  assert_int_equal(st.cycles, 17);
  assert_int_equal(st.folds, 1);
}

/* Extremes: -128 * -128 summed K times, the largest products int8 gives. */
static void extremes(void **state) {
  (void)state;
  enum { M = 5, N = 6, K = 9 };
  int8_t a[M * K], b[K * N];
  int32_t c[M * N];
  memset(a, 0x80, sizeof a);
  memset(b, 0x80, sizeof b);
  for (int df = 0; df < 2; df++) {
    assert_int_equal(rtl_cosim_gemm(4, 4, (rtl_cosim_dataflow)df, M, N, K, a, b, c, NULL, NULL),
                     EM_OK);
    for (int i = 0; i < M * N; i++) assert_int_equal(c[i], K * 128 * 128);
  }
}

static void bad_arguments(void **state) {
  (void)state;
  int8_t a[4] = {0}, b[4] = {0};
  int32_t c[4];
  em_diag d;
  assert_int_equal(rtl_cosim_gemm(5, 5, RTL_COSIM_OS, 2, 2, 2, a, b, c, NULL, &d),
                   EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "'array' must be 4x4 or 8x8"));
  assert_int_equal(rtl_cosim_gemm(4, 8, RTL_COSIM_OS, 2, 2, 2, a, b, c, NULL, &d),
                   EM_ERR_UNSUPPORTED);
  assert_int_equal(rtl_cosim_gemm(4, 4, RTL_COSIM_WS, 0, 2, 2, a, b, c, NULL, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "'M' must be in [1, 4096], got 0"));
  assert_int_equal(rtl_cosim_gemm(4, 4, RTL_COSIM_WS, 2, 2, 5000, a, b, c, NULL, &d),
                   EM_ERR_RANGE);
  assert_int_equal(rtl_cosim_gemm(4, 4, (rtl_cosim_dataflow)2, 2, 2, 2, a, b, c, NULL, &d),
                   EM_ERR_INVALID);
  assert_int_equal(rtl_cosim_gemm(4, 4, RTL_COSIM_OS, 2, 2, 2, a, NULL, c, NULL, &d),
                   EM_ERR_INVALID);
  assert_true(rtl_cosim_has_array(8, 8));
  assert_false(rtl_cosim_has_array(16, 16));
  /* A refused call leaves the co-simulation usable. */
  assert_int_equal(rtl_cosim_gemm(8, 8, RTL_COSIM_OS, 2, 2, 1, a, b, c, NULL, &d), EM_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(conv3x3),  cmocka_unit_test(gemm),     cmocka_unit_test(fc),
      cmocka_unit_test(gemm_by_hand), cmocka_unit_test(extremes), cmocka_unit_test(bad_arguments),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
