/*
 * test_breakeven.c - the break-even sweep and model: the fit recovers known
 * parameters and the Brent root matches the hand solution; mask-only costs
 * exactly the dense reference on the SIMT model, every SIMT format costs at
 * least that reference at zero sparsity, and SIMT CSR breaks even where the
 * bytes decide at batch 1 and at 80 % or later when compute-bound;
 * systolic channel pruning and 2:4 skipping
 * give the cycles worked out by hand from SCALE-Sim's fold formula; the
 * dense reference through the model table (hw_point_sparse) is the layer
 * hw_point_run runs, on every model with sparse execution.
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

#include "breakeven.h"
#include "cm_breakeven.h"
#include "hw_model.h"

/* A design point of `model` with up to two settings (NULL: the defaults). */
static hw_point *point2(const char *model, const char *setting, const char *setting2,
                        const cm_energy_table *t) {
  hw_point *p = NULL;
  em_diag d;
  const char *sets[2] = {setting, setting2};
  size_t n = setting ? (setting2 ? 2 : 1) : 0;
  assert_int_equal(hw_point_create(hw_model_find(model), NULL, sets, n, t, &p, &d), EM_OK);
  return p;
}

/* ... with at most one. */
static hw_point *point(const char *model, const char *setting, const cm_energy_table *t) {
  return point2(model, setting, NULL, t);
}

/* A GPU's kernels alone, without their launch (kernel_launch_cycles = 0):
 * the published speedups below are of kernel times on shapes large enough
 * that a launch of a few microseconds is a small share, where the shapes
 * simulated here run for a few times that.  The launch adds the same to
 * the dense and the sparse kernel, so it moves no break-even point. */
#define KERNEL_ONLY "kernel_launch_cycles=0"

static void fit_by_hand(void **state) {
  (void)state;
  /* Points drawn from the model itself: F = 1e6 flops, P_eff = 500 flops per
   * cycle, T_overhead = 100, memory never binding (BW huge).  T_sparse(s) =
   * 2000 (1 - s) + 100; with T_dense = 1000 the break-even is
   * 2000 (1 - s) + 100 = 1000 -> s = 0.55. */
  cm_be_point p[20] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e12;
  f.t_dense = 1000;
  for (int i = 0; i < 20; i++) {
    p[i].s = p[i].realized_s = 0.05 * i; /* unstructured: realized as asked */
    p[i].sparse_cycles = (uint64_t)llround(2000 * (1 - p[i].s) + 100);
    p[i].speedup = 1000.0 / (double)p[i].sparse_cycles;
    p[i].storage_bytes = 0;
  }
  cm_be_fit_model(p, 20, 0.05, &f, NULL);
  assert_true(fabs(f.P_eff - 500) / 500 < 1e-4);
  assert_true(fabs(f.T_overhead - 100) < 0.1);
  assert_true(fabs(f.s_model - 0.55) < 1e-4);
  assert_true(fabs(f.s_sim - 0.55) < 1e-9); /* the point at 0.55 is exactly 1000 */
  assert_true(f.agree);
  assert_int_equal(f.sim, CM_BE_CROSSES);
  assert_true(f.P_eff <= f.P); /* 500 <= P = 1e6 / 1000 */
  assert_true(f.fit_rms_rel_err < 1e-4);
}

static void simt_mask_is_dense(void **state) {
  (void)state;
  /* a mask runs the dense kernel: exactly 1.0 at every sparsity */
  be_config c = {0};
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  c.hw = point("simt", "gpu=volta", t);
  assert_true(cm_sparse_spec_parse("mask", &c.fmt));
  c.s_from = 0;
  c.s_to = 0.9;
  c.s_step = 0.3;
  c.seed = 1;
  be_point *p;
  size_t n;
  be_summary sum;
  const cm_be_fit *f = &sum.fit;
  assert_int_equal(be_run(&c, 64, 64, 64, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(n, 4);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(p[i].sparse_cycles, p[i].dense_cycles);
    assert_true(p[i].speedup == 1.0);
  }
  assert_true(isnan(f->s_sim));
  /* a flat curve: "never wins", and the model invents no break-even (the
   * unconstrained fit put one near 0.45 on such curves); the energy is the
   * dense energy at every point, so it never wins either */
  assert_int_equal(f->sim, CM_BE_NEVER);
  assert_true(f->model == CM_BE_NEVER || f->model == CM_BE_POOR_FIT);
  assert_true(isnan(f->s_model));
  assert_int_equal(f->energy, CM_BE_NEVER);
  assert_true(f->P_eff > 0 && f->P_eff <= f->P);
  assert_true(f->T_overhead >= 0);
  free(p);
  /* exactly the sparsities asked for, with the pattern's own beside them:
   * 0.1234 of 64 x 64 = 4096 weights is round(505.45) = 505 zeros, realized
   * 505 / 4096 = 0.123291...; 0.5 is 2048 zeros, exactly 0.5 */
  static const double list[3] = {0, 0.1234, 0.5};
  c.s_list = list;
  c.n_list = 3;
  assert_int_equal(be_run(&c, 64, 64, 64, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) assert_true(p[i].s == list[i]);
  assert_true(p[0].realized_s == 0);
  assert_true(fabs(p[1].realized_s - 505.0 / 4096) < 1e-12);
  assert_true(fabs(p[2].realized_s - 0.5) < 1e-12);
  free(p);
  /* a list out of order is refused */
  static const double bad[2] = {0.5, 0.5};
  c.s_list = bad;
  c.n_list = 2;
  assert_int_equal(be_run(&c, 64, 64, 64, &p, &n, &sum, &d), EM_ERR_RANGE);
  c.s_list = NULL;
  c.n_list = 0;
  /* an infinite STEP is refused: its first point was 0 x inf = NaN */
  double step = c.s_step;
  c.s_step = INFINITY;
  assert_int_equal(be_run(&c, 64, 64, 64, &p, &n, &sum, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "finite STEP"));
  c.s_step = step;
  /* formats the SIMT model has no kernel for are refused, not guessed */
  assert_true(cm_sparse_spec_parse("coo", &c.fmt));
  assert_int_equal(be_run(&c, 64, 64, 64, &p, &n, &sum, &d), EM_ERR_UNSUPPORTED);
  hw_point_destroy(c.hw);
  cm_energy_table_destroy(t);
}

static void simt_sparse_tensor_cores(void **state) {
  (void)state;
  /* 2:4 on Ampere's sparse tensor cores against the dense tensor-core GEMM:
   * half the MMA instructions and weight bytes, the same loop, so the
   * speedup lies between 1 and the 2x peak (REFERENCES.md: 2x peak math,
   * 1.24-1.27x measured on A100 large GEMMs) */
  be_config c = {0};
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  c.hw = point2("simt", "gpu=ampere", KERNEL_ONLY, t);
  assert_true(cm_sparse_spec_parse("2:4", &c.fmt));
  c.s_from = 0;
  c.s_to = 0.9;
  c.s_step = 0.1;
  be_point *p;
  size_t n;
  be_summary sum;
  const cm_be_fit *f = &sum.fit;
  assert_int_equal(be_run(&c, 512, 512, 512, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(n, 1);
  printf("  2:4 on ampere, 512^3: %.3fx\n", p[0].speedup);
  /* The published figure: torchao measures 1.24-1.27x on A100 large GEMMs
   * (cuSPARSELt's kernels; REFERENCES.md).  Held within 15 % of that range,
   * [1.24 / 1.15, 1.27 x 1.15] = [1.078, 1.461], and, inside it, no less
   * than issue 18's 1.1x: [1.1, 1.46] (issue 18's own upper end, 1.6x, is
   * looser than the published range allows and is not used).  The model
   * gives 1.116x (models/simt/README.md, models/README.md). */
  assert_true(p[0].speedup >= fmax(1.1, 1.24 / 1.15) && p[0].speedup <= 1.27 * 1.15);
  assert_true(p[0].sparse_energy_pj < p[0].dense_energy_pj);
  /* one point fixes one parameter: P_eff is the dense rate P and
   * T_overhead absorbs the rest, so the model meets the point exactly and
   * the overhead is not negative (the sparse GEMM is slower than half) */
  assert_true(fabs(f->P_eff - f->P) < 1e-9 * f->P);
  assert_true(fabs(p[0].model_cycles - (double)p[0].sparse_cycles) < 1e-6 * p[0].sparse_cycles);
  assert_true(f->T_overhead >= 0);
  free(p);
  /* at batch 1 the reference is the faster dense kernel: the fp16 CUDA-core
   * GEMV or the split-K tensor-core GEMM.  Either streams the 2 N K weight
   * bytes once, so it is no faster than 2 * 1024 * 1024 / BW (Ampere: 1104
   * B/cycle, about 1900 cycles); the 2:4 kernel streams N K values and N K / 8
   * bytes of metadata.  REFERENCES.md: "about 1x for batch-1 GEMV" (a
   * memory-bound kernel cannot gain much from halving the math): within
   * 0.8x and 1.3x here */
  assert_int_equal(be_run(&c, 1024, 1024, 1, &p, &n, &sum, &d), EM_OK);
  assert_true(strcmp(sum.dense_kernel, "gemv-fp16") == 0 ||
              strcmp(sum.dense_kernel, "tc-gemm") == 0);
  assert_true((double)p[0].dense_cycles >= 2.0 * 1024 * 1024 / f->BW);
  assert_true((double)p[0].sparse_cycles >= (1024.0 * 1024 + 1024.0 * 1024 / 8) / f->BW);
  printf("  2:4 on ampere, GEMV 1024^2: %.3fx against %s\n", p[0].speedup, sum.dense_kernel);
  assert_true(p[0].speedup >= 0.8 && p[0].speedup <= 1.3); /* issue 18's range */
  free(p);
  hw_point_destroy(c.hw);
  /* Volta has no sparse tensor cores: refused */
  c.hw = point("simt", "gpu=volta", t);
  assert_int_equal(be_run(&c, 256, 256, 256, &p, &n, &sum, &d), EM_ERR_UNSUPPORTED);
  hw_point_destroy(c.hw);
  cm_energy_table_destroy(t);
}

/* One SIMT sweep point (or two) of fmt on `gpu`, with GPU setting set2
 * (NULL: none) and unstructured pattern pat; the points into p. */
static void simt_sweep_set(const char *gpu, const char *set2, const char *fmt, bool per_thread,
                           cm_sparse_pattern pat, uint64_t N, uint64_t K, uint64_t M, double from,
                           double to, double step, be_point **p, size_t *n, be_summary *sum) {
  be_config c = {0};
  em_diag d;
  cm_energy_table *t;
  char set[32];
  snprintf(set, sizeof set, "gpu=%s", gpu);
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  c.hw = point2("simt", set, set2, t);
  assert_true(cm_sparse_spec_parse(fmt, &c.fmt));
  c.csr_per_thread = per_thread;
  c.pattern = pat;
  c.s_from = from;
  c.s_to = to;
  c.s_step = step;
  c.seed = 1;
  assert_int_equal(be_run(&c, N, K, M, p, n, sum, &d), EM_OK);
  hw_point_destroy(c.hw);
  cm_energy_table_destroy(t);
}

static void simt_sweep_pat(const char *gpu, const char *fmt, bool per_thread,
                           cm_sparse_pattern pat, uint64_t N, uint64_t K, uint64_t M, double from,
                           double to, double step, be_point **p, size_t *n, be_summary *sum) {
  simt_sweep_set(gpu, NULL, fmt, per_thread, pat, N, K, M, from, to, step, p, n, sum);
}

static void simt_sweep(const char *gpu, const char *fmt, bool per_thread, uint64_t N, uint64_t K,
                       uint64_t M, double from, double to, double step, be_point **p, size_t *n,
                       be_summary *sum) {
  simt_sweep_pat(gpu, fmt, per_thread, CM_PAT_UNIFORM, N, K, M, from, to, step, p, n, sum);
}

static uint64_t longest_row(const uint8_t *nz, uint64_t rows, uint64_t cols) {
  uint64_t most = 0;
  for (uint64_t r = 0; r < rows; r++) {
    uint64_t k = cm_sparse_nnz(nz + r * cols, cols);
    if (k > most) most = k;
  }
  return most;
}

static void simt_skewed_rows(void **state) {
  (void)state;
  /* 1024 x 1024 at 80 %: 209,715 non-zeros (round(0.2 x 1,048,576) =
   * 209,715.2 -> 209,715) in every pattern.  Uniform rows hold about 205
   * +- 13 each, so none reaches 300; the skewed pattern gives its first
   * row 209,715 / H(1024) (H = 7.51) = 27,924, capped at 1024: a full row. */
  enum { R = 1024, C = 1024 };
  uint8_t *nz = malloc(R * C);
  assert_non_null(nz);
  em_diag d;
  for (int p = 0; p < CM_PAT_COUNT; p++) {
    assert_int_equal(cm_sparse_gen_unstructured(nz, R, C, 0.8, (cm_sparse_pattern)p, 3, &d),
                     EM_OK);
    assert_int_equal(cm_sparse_nnz(nz, R * C), 209715);
    uint64_t most = longest_row(nz, R, C);
    printf("  %s: longest row %llu\n", cm_sparse_pattern_name((cm_sparse_pattern)p),
           (unsigned long long)most);
    if (p == CM_PAT_UNIFORM) assert_true(most < 300);
    if (p == CM_PAT_SKEWED) assert_int_equal(most, 1024);
    if (p == CM_PAT_MAGNITUDE) assert_true(most > 300); /* large-scale rows keep more */
  }
  free(nz);
  cm_sparse_pattern q;
  assert_true(cm_sparse_pattern_parse("skewed", &q) && q == CM_PAT_SKEWED);
  assert_false(cm_sparse_pattern_parse("zipf", &q));
  /* On the GPU a warp per row waits for its row, so the full rows of the
   * skewed pattern form a tail the uniform one has not: the same bytes,
   * more cycles, and CSR's batch-1 break-even moves later (uniform wins at
   * 80 %, skewed is slower than uniform there). */
  be_point *u, *k;
  size_t n;
  be_summary sum;
  simt_sweep_pat("volta", "csr", false, CM_PAT_UNIFORM, R, C, 1, 0.8, 0.8, 0.1, &u, &n, &sum);
  simt_sweep_pat("volta", "csr", false, CM_PAT_SKEWED, R, C, 1, 0.8, 0.8, 0.1, &k, &n, &sum);
  printf("  csr at 80 %%, batch 1: uniform %.3fx, skewed %.3fx\n", u[0].speedup, k[0].speedup);
  assert_true(u[0].realized_s == k[0].realized_s);
  assert_true(u[0].speedup > 1.0);
  assert_true(k[0].sparse_cycles > u[0].sparse_cycles);
  free(u);
  free(k);
}

static void simt_fair_dense(void **state) {
  (void)state;
  /* At zero sparsity every SIMT format costs at least the dense reference
   * (the fastest dense kernel: a sparse kernel on a full pattern is a dense
   * candidate's loop plus its pointer and index loads and index decode);
   * a mask, and channel pruning that prunes nothing, run the reference
   * itself: equal.  Memory-bound (M = 1) and compute-bound (M = 64). */
  static const struct {
    const char *fmt;
    bool per_thread, equal;
  } f[] = {{"csr", false, false}, {"csr", true, false}, {"bsr2", false, false},
           {"bsr4", false, false}, {"bsr8", false, false}, {"mask", false, true},
           {"channel", false, true}};
  static const uint64_t shape[2][3] = {{512, 512, 1}, {128, 256, 64}};
  for (size_t s = 0; s < 2; s++)
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
      be_point *p;
      size_t n;
      be_summary sum;
      simt_sweep("volta", f[i].fmt, f[i].per_thread, shape[s][0], shape[s][1], shape[s][2], 0, 0,
                 0.1, &p, &n, &sum);
      assert_int_equal(n, 1);
      printf("  %s%s %llux%llux%llu at 0 %%: %llu vs %s %llu\n", f[i].fmt,
             f[i].per_thread ? " (thread)" : "", (unsigned long long)shape[s][0],
             (unsigned long long)shape[s][1], (unsigned long long)shape[s][2],
             (unsigned long long)p[0].sparse_cycles, sum.dense_kernel,
             (unsigned long long)p[0].dense_cycles);
      if (f[i].equal) assert_int_equal(p[0].sparse_cycles, p[0].dense_cycles);
      else assert_true(p[0].sparse_cycles >= p[0].dense_cycles);
      free(p);
    }
}

static void simt_csr_breakeven(void **state) {
  (void)state;
  be_point *p;
  size_t n;
  be_summary sum;
  /* Batch-1 FC, 1024 x 1024 (memory-bound): the bytes decide.  Dense
   * streams 4 B a weight, CSR 8 B a non-zero (fp32 value, int32 index), so
   * equal bytes at 50 % (REFERENCES.md); CSR reaches less of the bandwidth
   * than the dense GEMV, so it breaks even later, but by 75 %: slower at
   * 50 %, faster at 75 %. */
  simt_sweep("volta", "csr", false, 1024, 1024, 1, 0.5, 0.75, 0.25, &p, &n, &sum);
  assert_int_equal(n, 2);
  printf("  csr, batch 1: %.3fx at 50 %%, %.3fx at 75 %% (dense: %s)\n", p[0].speedup,
         p[1].speedup, sum.dense_kernel);
  assert_true(p[0].speedup < 1.0);
  assert_true(p[1].speedup > 1.0);
  free(p);
  /* Compute-bound, 256 x 256 x 256: a non-zero costs its index load, its
   * decode and a gather per 4 FFMAs where the dense kernel streams tiles,
   * so CSR still loses at 80 % (Flash-LLM: below about 90 %; cuSPARSE 6.7x
   * slower at 50 %): break-even at 80 % or higher. */
  simt_sweep("volta", "csr", false, 256, 256, 256, 0.5, 0.8, 0.3, &p, &n, &sum);
  assert_int_equal(n, 2);
  printf("  csr, 256^3: %.3fx at 50 %%, %.3fx at 80 %% (dense: %s)\n", p[0].speedup,
         p[1].speedup, sum.dense_kernel);
  assert_true(p[0].speedup < 1.0 && p[1].speedup < 1.0);
  free(p);
  /* The published shape: cuSPARSE's CSR product at 50 % zeros ran 6.7x
   * slower than cuBLAS, 0.149x (REFERENCES.md: 192 x 2400 x 256 on a
   * Kepler Titan Black; a Stack Overflow measurement, 30118673): here the
   * sparse 192 x 2400 weights times 2400 x 256, the kernels alone as a
   * profiler times them.  Another GPU and another library: within a factor
   * 1.5 of it, [0.099x, 0.224x]; the 256-cube's kernels, 0.31x
   * (models/simt/README.md), would not be. */
  simt_sweep_set("volta", KERNEL_ONLY, "csr", false, CM_PAT_UNIFORM, 192, 2400, 256, 0.5, 0.5,
                 0.1, &p, &n, &sum);
  printf("  csr 50 %%, 192 x 2400 x 256: %.3fx (cuSPARSE 0.149x)\n", p[0].speedup);
  assert_true(p[0].speedup >= 0.149 / 1.5 && p[0].speedup <= 0.149 * 1.5);
  free(p);
  /* channel pruning at 50 %: the dense reference of half the rows,
   * between 1.6x and 2.05x (issue 18).  A batch-1 FC of 2048 x 1024 streams
   * 8 MiB of weights, the pruned one 4 MiB: 2x less the fixed DRAM latency
   * and the blocks' start, the kernels alone (KERNEL_ONLY).  (Small
   * compute-bound layers gain less: halving the rows halves the blocks, and
   * a GPU they do not fill runs no faster.) */
  simt_sweep_set("volta", KERNEL_ONLY, "channel", false, CM_PAT_UNIFORM, 2048, 1024, 1, 0.5, 0.5,
                 0.1, &p, &n, &sum);
  printf("  channel 50 %%, 2048 x 1024, batch 1: %.3fx\n", p[0].speedup);
  assert_true(p[0].speedup >= 1.6 && p[0].speedup <= 2.05);
  free(p);
}

static void systolic_by_hand(void **state) {
  (void)state;
  /* 32 x 32 os array, N = 256 filters, K = 256, M = 256 pixels: SCALE-Sim's
   * os fold takes K + R + C - 2 = 318 cycles, ceil(M/32) x ceil(N/32) = 64
   * folds, minus 1: 20351 dense cycles. */
  be_config c = {0};
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  c.hw = point("systolic", NULL, t);
  c.w = c.a = (wl_prec){8, false};
  c.seed = 1;
  c.s_from = 0.5;
  c.s_to = 0.5;
  c.s_step = 0.1;
  /* channel pruning at 50 %: 128 filters, 8 x 4 = 32 folds of 318: 10175 */
  assert_true(cm_sparse_spec_parse("channel", &c.fmt));
  be_point *p;
  size_t n;
  be_summary sum;
  assert_int_equal(be_run(&c, 256, 256, 256, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(p[0].dense_cycles, 20351);
  assert_int_equal(p[0].sparse_cycles, 10175);
  free(p);
  /* 2:4 skipping: each PE's 4:1 multiplexer picks its filter's 2 of every 4
   * activations, so each fold streams a window of 128: 64 folds of
   * 128 + 62 = 190 cycles, minus 1: 12159.  The metadata costs cycles too:
   * a 2-bit index per kept value, 32768 values = 8192 one-byte words, read
   * with the weights once per row fold (ceil(256 / 32) = 8 under os):
   * 65536 words through the filter SRAM's port of 32 words a cycle, 2048
   * cycles: 14207 (until the metadata was charged, 12159). */
  assert_true(cm_sparse_spec_parse("2:4", &c.fmt));
  assert_int_equal(be_run(&c, 256, 256, 256, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(n, 1);
  assert_true(p[0].s == 0.5);
  assert_int_equal(p[0].sparse_cycles, 12159 + 2048);
  free(p);
  /* gating keeps the dense cycles and only saves energy */
  assert_true(cm_sparse_spec_parse("csr", &c.fmt));
  c.gate = true;
  assert_int_equal(be_run(&c, 256, 256, 256, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(p[0].sparse_cycles, 20351);
  assert_true(p[0].sparse_energy_pj < p[0].dense_energy_pj);
  free(p);
  hw_point_destroy(c.hw);
  cm_energy_table_destroy(t);
}

static void arrays_by_hand(void **state) {
  (void)state;
  /* BISMO 8x256x8, M = 64, N = 256, K = 1024 at 4:4: 8 x 32 = 256 tiles,
   * 4 K slices, 16 plane pairs: 64 cycles a tile + 15 fill (BISMO's
   * execute latency at Dk 256, paid by every tile) = 79, x 256 = 20224.
   * bsr with 256 x 256 blocks at 50 %: 2 of the 4 blocks (all 256 rows x
   * 256 of K) are zero, so every column tile skips 2 of its 4 slices: 2 x
   * 16 + 15 = 47 a tile, x 256 = 12032. */
  be_config c = {0};
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  c.hw = point("bitserial", NULL, t);
  c.w = c.a = (wl_prec){4, false};
  c.seed = 1;
  c.s_from = c.s_to = 0.5;
  c.s_step = 0.1;
  assert_true(cm_sparse_spec_parse("bsr256", &c.fmt));
  be_point *p;
  size_t n;
  be_summary sum;
  assert_int_equal(be_run(&c, 256, 1024, 64, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(p[0].dense_cycles, 20224);
  assert_int_equal(p[0].sparse_cycles, 12032);
  assert_true(p[0].sparse_energy_pj < p[0].dense_energy_pj);
  free(p);
  /* FINN MVAU 32 x 32, binary: (256/32) x (1024/32) x 64 vectors = 16384;
   * channel pruning at 50 % keeps 128 rows: 4 x 32 x 64 = 8192 */
  hw_point_destroy(c.hw);
  c.hw = point("xnor", NULL, t); /* PE 32 x SIMD 32 at 200 MHz, FINN's MVAU */
  c.w = c.a = (wl_prec){1, false};
  assert_true(cm_sparse_spec_parse("channel", &c.fmt));
  assert_int_equal(be_run(&c, 256, 1024, 64, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(p[0].dense_cycles, 16384);
  assert_int_equal(p[0].sparse_cycles, 8192);
  free(p);
  /* +-1 weights have no zeros: an unstructured format is refused */
  assert_true(cm_sparse_spec_parse("csr", &c.fmt));
  assert_int_equal(be_run(&c, 256, 1024, 64, &p, &n, &sum, &d), EM_ERR_UNSUPPORTED);
  hw_point_destroy(c.hw);
  cm_energy_table_destroy(t);
}

static void dense_through_table(void **state) {
  (void)state;
  /* For every model with sparse execution, the dense reference of a format
   * the model runs with its own dense kernels is the layer hw_point_run runs
   * (same cycles and energy: one design point, one answer), and a mask
   * format with every weight kept costs exactly that too.  The product:
   * Y (N 64 x M 32) = W (64 x 256) X (256 x 32), at each model's default
   * width (fp32 on the GPU, int8 on the arrays, binary on the XNOR array). */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const char *const models[] = {"simt", "systolic", "bitserial", "xnor"};
  uint8_t *ones = malloc(64 * 256);
  assert_non_null(ones);
  memset(ones, 1, 64 * 256);
  for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
    hw_point *p = point(models[i], NULL, t);
    assert_non_null(hw_point_model(p)->sparse_point);
    wl_layer l = wl_gemm("g", 32, 64, 256);
    l.w = l.a = hw_point_model(p)->default_prec;
    hw_result run, dense, kept;
    hw_sparse_info x;
    assert_int_equal(hw_point_run(p, &l, &run, NULL, &d), EM_OK);
    hw_sparse_case c = {.layer = &l};
    assert_true(cm_sparse_spec_parse("mask", &c.fmt));
    assert_int_equal(hw_point_sparse(p, &c, &dense, &x, &d), EM_OK);
    printf("  %s: %llu cycles\n", models[i], (unsigned long long)run.cycles);
    assert_true(run.cycles > 0);
    bool simt = strcmp(models[i], "simt") == 0;
    if (simt) {
      /* the GPU's reference is the fastest of its dense kernels, the
       * layer's own GEMM among them: never slower than the layer */
      assert_true(dense.cycles <= run.cycles);
    } else {
      assert_int_equal(dense.cycles, run.cycles);
      assert_true(dense.energy_total_pj == run.energy_total_pj);
      assert_int_equal(dense.macs, run.macs); /* 64 x 256 x 32 = 524,288 */
      assert_int_equal(dense.macs, 524288);
      assert_true(dense.latency_us == run.latency_us);
    }
    c.nz = ones;
    assert_int_equal(hw_point_sparse(p, &c, &kept, &x, &d), EM_OK);
    assert_int_equal(kept.cycles, dense.cycles);
    assert_true(kept.energy_total_pj == dense.energy_total_pj);
    /* the mask format stores every value, no metadata: 64 x 256 values at
     * the model's value width (32 bits on the GPU, else the weight width) */
    unsigned vb = simt ? 32 : l.w.bits;
    assert_int_equal(x.storage_bytes, 64 * 256 * vb / 8);
    assert_int_equal(x.metadata_bytes, 0);
    hw_point_destroy(p);
  }
  free(ones);
  /* a model without sparse execution says so */
  hw_point *p = point("analytic", NULL, t);
  assert_null(hw_point_model(p)->sparse_point);
  wl_layer l = wl_gemm("g", 32, 64, 256);
  l.w = l.a = hw_point_model(p)->default_prec;
  hw_sparse_case c = {.layer = &l};
  hw_result r;
  hw_sparse_info x;
  assert_int_equal(hw_point_sparse(p, &c, &r, &x, &d), EM_ERR_UNSUPPORTED);
  assert_string_equal(d.msg, "model analytic has no sparse execution");
  hw_point_destroy(p);
  /* a width the model refuses is refused as hw_point_run refuses it */
  p = point("xnor", NULL, t);
  l.w = l.a = (wl_prec){8, false};
  assert_int_equal(hw_point_sparse(p, &c, &r, &x, &d), EM_ERR_UNSUPPORTED);
  assert_string_equal(d.msg, "layer 'g': model xnor cannot run weights int8, activations int8: "
                             "XNOR needs binary (1-bit) weights");
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

/* One sweep of `fmt` on design point hw (settings NULL or one), N x K x M at
 * int8 (binary weights on the XNOR array), sparsity from..to by step. */
static be_point *sweep(hw_point *hw, const char *fmt, bool gate, uint64_t N, uint64_t K,
                       uint64_t M, double from, double to, double step, size_t *n) {
  be_config c = {0};
  em_diag d;
  c.hw = hw;
  c.w = c.a = hw_point_model(hw)->default_prec;
  c.seed = 7;
  c.gate = gate;
  c.s_from = from;
  c.s_to = to;
  c.s_step = step;
  assert_true(cm_sparse_spec_parse(fmt, &c.fmt));
  be_point *p = NULL;
  be_summary sum;
  em_status s = be_run(&c, N, K, M, &p, n, &sum, &d);
  if (s != EM_OK) fail_msg("%s on %s: %s", fmt, hw_point_model(hw)->name, d.msg);
  return p;
}

static void zero_sparsity_costs_no_less(void **state) {
  (void)state;
  /* At zero sparsity a format can only add work (indices to read, a
   * network to cross): sparse cycles and energy >= dense, and equal where
   * the format adds nothing (mask, channel pruning that keeps every
   * filter); gating keeps the dense cycles and pays its zero flags.
   * Y (64 x 32) = W (64 x 256) X. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const struct {
    const char *model, *setting;
  } pts[] = {{"systolic", NULL},          {"systolic", "dataflow=ws"},
             {"systolic", "feed=flexible"}, {"systolic", "bandwidth_mode=user"},
             {"systolic", "mode=closed"},   {"bitserial", NULL},
             {"xnor", NULL}};
  static const char *const adds[] = {"csr", "csc", "coo", "bitmap", "rle", "bsr4"};
  static const char *const nothing[] = {"mask", "channel"};
  for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
    hw_point *hw = point(pts[i].model, pts[i].setting, t);
    size_t n;
    for (size_t f = 0; f < sizeof nothing / sizeof nothing[0]; f++) {
      be_point *p = sweep(hw, nothing[f], false, 64, 256, 32, 0, 0, 0.1, &n);
      assert_int_equal(p[0].sparse_cycles, p[0].dense_cycles);
      assert_true(p[0].sparse_energy_pj == p[0].dense_energy_pj);
      free(p);
    }
    if (strcmp(pts[i].model, "systolic") == 0) { /* gating: same cycles, its zero flags */
      be_point *p = sweep(hw, "csr", true, 64, 256, 32, 0, 0, 0.1, &n);
      assert_int_equal(p[0].sparse_cycles, p[0].dense_cycles);
      assert_true(p[0].sparse_energy_pj > p[0].dense_energy_pj); /* test_systolic_sparse */
      free(p);
    }
    for (size_t f = 0; f < sizeof adds / sizeof adds[0]; f++) {
      if (strcmp(pts[i].model, "xnor") == 0) continue; /* refused: arrays_by_hand */
      be_point *p = sweep(hw, adds[f], false, 64, 256, 32, 0, 0, 0.1, &n);
      printf("  %s %s %s at 0 %%: %llu vs %llu cycles, %.4gx energy\n", pts[i].model,
             pts[i].setting ? pts[i].setting : "", adds[f],
             (unsigned long long)p[0].sparse_cycles, (unsigned long long)p[0].dense_cycles,
             p[0].sparse_energy_pj / p[0].dense_energy_pj);
      assert_true(p[0].sparse_cycles >= p[0].dense_cycles);
      assert_true(p[0].sparse_energy_pj > p[0].dense_energy_pj); /* metadata */
      free(p);
    }
    hw_point_destroy(hw);
  }
  cm_energy_table_destroy(t);
}

static void alexnet_conv3(void **state) {
  (void)state;
  /* AlexNet CONV-3: 384 filters of 3 x 3 x 256 = 2304 over 13 x 13 = 169
   * pixels, on the 32 x 32 os array.  The study book's curve (REFERENCES.md,
   * "Sparse kernels on real hardware"): unstructured sparsity flat at 1.0x
   * until about 85 %.  By hand, the union rule: a fold of 32 filters drops a
   * K position only where all 32 are zero, probability s^32 at random
   * sparsity s: 0.5^32 ~ 2e-10, 0.9^32 = 3.4 %, so the window barely
   * shrinks below 90 % and the metadata makes it slower; 4 x 4 blocks
   * leave 8 block rows a fold, 0.9^8 = 43 % at 90 %.  The flexible feed
   * (SIGMA-class, groups of 4 columns) follows the non-zeros: SIGMA reports
   * 5.7x over a systolic array on sparse GEMMs at ~2x the power. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *rigid = point("systolic", NULL, t), *flex = point("systolic", "feed=flexible", t);
  static const char *const fmts[] = {"csr", "bitmap", "bsr4"};
  size_t n;
  for (size_t f = 0; f < 3; f++) {
    be_point *p = sweep(rigid, fmts[f], false, 384, 2304, 169, 0, 0.9, 0.1, &n);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n; i++) printf("  rigid %s %.1f: %.3fx\n", fmts[f], p[i].s, p[i].speedup);
    assert_true(p[5].speedup <= 1.05);
    if (f < 2) { /* unstructured: no break-even up to 90 % */
      for (size_t i = 0; i < n; i++) assert_true(p[i].speedup < 1.0);
    } else {
      /* 4 x 4 blocks: a fold of 32 filters is 8 block rows, so a block
       * column is dropped with probability s^8 (0.6: 1.7 %, 0.7: 5.8 %,
       * 0.8: 16.8 %), against metadata of 7.6 % of the dense cycles at 0 %
       * (1/0.929) shrinking with the stored blocks (x 0.3 at 0.7):
       * 1 / ((1 - 0.058)(1 + 0.076 x 0.3)) = 1.04 at 0.7, 0.95-0.99 at 0.6 */
      for (size_t i = 0; i <= 6; i++) assert_true(p[i].speedup < 1.0);
      assert_true(p[7].speedup >= 1.0 && p[7].speedup < 1.1);
    }
    free(p);
  }
  /* The flexible feed with a bitmap (SIGMA's format): a group of 4 filters
   * streams its longest, E[max of 4] ~ (1 - s) K + 1.03 sqrt(s (1 - s) K):
   * at 50 % 1152 + 25 = 1177 of 2304 slots, plus one bit a position of
   * metadata (K / 8 words a filter, 288 cycles a fold through the port):
   * 2304 / 1465 = 1.57x, before fill and drain; at 30 % 1613 + 23 + 288 =
   * 1924: 1.2x.  It breaks even by 30 %, and the network (2 log2 32 + 1 =
   * 11 stages per delivered activation) costs more energy than the rigid
   * array at the same point.  CSR's 12-bit indices (1.5 words a value, read
   * through the same port) put it at 0.75 K + 0.54 K a fold at 50 %: it
   * still breaks even by 90 %, where the rigid array does not. */
  be_point *pf = sweep(flex, "bitmap", false, 384, 2304, 169, 0, 0.9, 0.1, &n);
  be_point *pr = sweep(rigid, "bitmap", false, 384, 2304, 169, 0, 0.9, 0.1, &n);
  for (size_t i = 0; i < n; i++)
    printf("  flexible bitmap %.1f: %.3fx, energy %.4g vs rigid %.4g pJ\n", pf[i].s,
           pf[i].speedup, pf[i].sparse_energy_pj, pr[i].sparse_energy_pj);
  assert_true(pf[0].speedup < 1.0);
  assert_true(pf[3].speedup > 1.0 && pf[3].speedup < 1.35);
  assert_true(pf[5].speedup > 1.35 && pf[5].speedup < 1.7);
  /* more energy than the rigid array at every point to 60 %; beyond it the
   * compressed filters of the fast run fit the filter SRAM and stop being
   * refetched from DRAM per row fold, which outweighs the network, and from
   * 70 % its shorter run also leaks less (HW_E_STATIC, costmodel/cm_area.h;
   * the network's own area is not modelled) */
  for (size_t i = 0; i <= 6; i++) assert_true(pf[i].sparse_energy_pj > pr[i].sparse_energy_pj);
  /* power (energy per cycle) at 50 %: SIGMA reports ~2x a systolic array's */
  double power = (pf[5].sparse_energy_pj / (double)pf[5].sparse_cycles) /
                 (pr[5].sparse_energy_pj / (double)pr[5].sparse_cycles);
  printf("  flexible / rigid power at 50 %%: %.2fx\n", power);
  assert_true(power > 1.3 && power < 2.5);
  free(pf);
  free(pr);
  pf = sweep(flex, "csr", false, 384, 2304, 169, 0.9, 0.9, 0.1, &n);
  printf("  flexible csr 0.9: %.3fx\n", pf[0].speedup);
  assert_true(pf[0].speedup > 1.0);
  free(pf);
  hw_point_destroy(rigid);
  hw_point_destroy(flex);
  cm_energy_table_destroy(t);
}

static void channel_at_half(void **state) {
  (void)state;
  /* Channel pruning at 50 % is a dense layer of half the filters: half the
   * column folds (systolic), column tiles (BISMO) or PE folds (FINN), so
   * between 1.6x and 2.05x on every model (the fill and drain do not halve).
   * Bit-serial by hand: 8 x 256 x 8, 4-bit, N 256 K 1024 M 64: 32 column
   * tiles -> 16, 8 x 32 = 256 tiles of 4 slices x 16 plane pairs + 15 fill
   * (the fill at Dk 256, once a tile) = 79 cycles, 20224 -> 128 x 79 =
   * 10112 (the fill halves with the tiles here). */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const char *const models[] = {"systolic", "bitserial", "xnor"};
  for (size_t i = 0; i < 3; i++) {
    hw_point *hw = point(models[i], NULL, t);
    size_t n;
    be_point *p = sweep(hw, "channel", false, 384, 2304, 169, 0.5, 0.5, 0.1, &n);
    printf("  %s channel 50 %%: %.3fx\n", models[i], p[0].speedup);
    assert_true(p[0].speedup >= 1.6 && p[0].speedup <= 2.05);
    free(p);
    hw_point_destroy(hw);
  }
  hw_point *hw = point("bitserial", NULL, t);
  be_config c = {0};
  c.hw = hw;
  c.w = c.a = (wl_prec){4, false};
  c.seed = 1;
  c.s_from = c.s_to = 0.5;
  c.s_step = 0.1;
  assert_true(cm_sparse_spec_parse("channel", &c.fmt));
  be_point *p;
  size_t n;
  be_summary sum;
  assert_int_equal(be_run(&c, 256, 1024, 64, &p, &n, &sum, &d), EM_OK);
  assert_int_equal(p[0].dense_cycles, 20224);
  assert_int_equal(p[0].sparse_cycles, 10112);
  free(p);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

static void metadata_and_batch(void **state) {
  (void)state;
  /* Metadata costs cycles, so the batch decides how much.  A bitmap of
   * W (64 x 256) at 0 % is 64 x 256 bits = 2048 one-byte words, through the
   * filter SRAM's port of 32 words a cycle with the weights.
   * ws: weights are loaded once per fold whatever M is: 2048 / 32 = 64
   * cycles, on 16 folds of 2R + C + M - 2: M = 32: 2015 -> 2079 (3.2 %),
   * M = 256: 350 x 16 - 1 = 5599 -> 5663 (1.1 %).
   * os: weights stream again for every row fold (ceil(M / 32)): M = 32: one,
   * 635 -> 699; M = 256: eight, 16 folds of 256 + 62, minus 1 = 5087, and
   * 8 x 64 = 512 more cycles: 5599 (10 % at either batch). */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const struct {
    const char *setting;
    uint64_t m, dense, sparse;
  } want[] = {{"dataflow=ws", 32, 2015, 2079}, {"dataflow=ws", 256, 5599, 5663},
              {"dataflow=os", 32, 635, 699},   {"dataflow=os", 256, 5087, 5599}};
  for (size_t i = 0; i < 4; i++) {
    hw_point *hw = point("systolic", want[i].setting, t);
    size_t n;
    be_point *p = sweep(hw, "bitmap", false, 64, 256, want[i].m, 0, 0, 0.1, &n);
    assert_int_equal(p[0].dense_cycles, want[i].dense);
    assert_int_equal(p[0].sparse_cycles, want[i].sparse);
    free(p);
    hw_point_destroy(hw);
  }
  cm_energy_table_destroy(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(fit_by_hand),
                                     cmocka_unit_test(simt_mask_is_dense),
                                     cmocka_unit_test(simt_sparse_tensor_cores),
                                     cmocka_unit_test(simt_fair_dense),
                                     cmocka_unit_test(simt_csr_breakeven),
                                     cmocka_unit_test(simt_skewed_rows),
                                     cmocka_unit_test(systolic_by_hand),
                                     cmocka_unit_test(arrays_by_hand),
                                     cmocka_unit_test(dense_through_table),
                                     cmocka_unit_test(zero_sparsity_costs_no_less),
                                     cmocka_unit_test(alexnet_conv3),
                                     cmocka_unit_test(channel_at_half),
                                     cmocka_unit_test(metadata_and_batch)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
