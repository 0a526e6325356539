/*
 * test_systolic_sparse.c - the systolic array's sparse execution (issue 18)
 * against figures worked out by hand:
 *  - at zero sparsity every format, on every feed and dataflow the array
 *    skips zeros on, costs at least the dense layer in cycles and energy,
 *    and exactly that where the format adds nothing (mask, channel pruning
 *    that keeps every filter); gating keeps the dense cycles and pays its
 *    zero flags and zero tests in energy;
 *  - BSR 4x4 on the rigid array follows the union rule's s^8 law, and its
 *    break-even is where the dropped block columns pay for the metadata;
 *  - over a USER bandwidth the filter DRAM moves the compressed values and
 *    their metadata, and N:M feeds the whole activation window; a
 *    memory-bound layer then breaks even where the bytes do;
 *  - channel pruning at 50 % is a layer of half the filters;
 *  - a column fold's compressed filter block that fits the filter SRAM's
 *    half is fetched from DRAM once, not once per row fold (the energy
 *    cliff of CSR on AlexNet CONV-3 between 0.80 and 0.85).
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
#include "hw_model.h"

static hw_point *point(const char *setting, const char *setting2, const cm_energy_table *t) {
  hw_point *p = NULL;
  em_diag d;
  const char *sets[2] = {setting, setting2};
  size_t n = setting ? (setting2 ? 2 : 1) : 0;
  assert_int_equal(hw_point_create(hw_model_find("systolic"), NULL, sets, n, t, &p, &d), EM_OK);
  return p;
}

/* One point of the sweep of `fmt` at sparsity s, Y (N x M) = W (N x K) X. */
static be_point one(hw_point *hw, const char *fmt, bool gate, uint64_t N, uint64_t K,
                    uint64_t M, double s) {
  be_config c = {0};
  em_diag d;
  c.hw = hw;
  c.w = c.a = (wl_prec){8, false};
  c.seed = 3;
  c.gate = gate;
  c.s_from = c.s_to = s;
  c.s_step = 0.1;
  assert_true(cm_sparse_spec_parse(fmt, &c.fmt));
  be_point *p = NULL;
  size_t n;
  be_summary sum;
  em_status st = be_run(&c, N, K, M, &p, &n, &sum, &d);
  if (st != EM_OK) fail_msg("%s: %s", fmt, d.msg);
  assert_int_equal(n, 1);
  be_point r = p[0];
  free(p);
  return r;
}

/* The sparse point of `spec` on an explicit pattern, and the dense layer. */
static void direct(hw_point *hw, const cm_sparse_spec *spec, const uint8_t *nz, uint64_t N,
                   uint64_t K, uint64_t M, hw_result *sparse, hw_result *dense) {
  em_diag d;
  wl_layer l = wl_gemm("g", M, N, K);
  l.w = l.a = (wl_prec){8, false};
  hw_sparse_case c = {.layer = &l, .fmt = *spec, .nz = nz};
  hw_sparse_info x;
  em_status st = hw_point_sparse(hw, &c, sparse, &x, &d);
  if (st != EM_OK) fail_msg("%s", d.msg);
  assert_int_equal(hw_point_run(hw, &l, dense, NULL, &d), EM_OK);
}

static void every_format_at_zero(void **state) {
  (void)state;
  /* W (64 x 256) at zero sparsity against X (256 x 32).  A format can only
   * add work there: indices through the filter port, metadata in the SRAM
   * and over DRAM, a multiplexer, a distribution network. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const struct {
    const char *a, *b;
  } pts[] = {{NULL, NULL},
             {"dataflow=ws", NULL},
             {"feed=flexible", NULL},
             {"feed=flexible", "dataflow=ws"},
             {"bandwidth_mode=user", NULL},
             {"bandwidth_mode=user", "dataflow=ws"},
             {"bandwidth_mode=user", "feed=flexible"},
             {"mode=closed", NULL}};
  static const char *const adds[] = {"csr",  "csc",  "coo",  "bitmap", "rle",
                                     "bsr2", "bsr4", "bsr8"};
  static const char *const nothing[] = {"mask", "channel"};
  /* the audit's shapes beside the first: W 256 x 256 over 64 and 256
   * columns of X, W 512 x 512 over 128 (their 64 kB filter buffer holds a
   * quarter to all of W) */
  static const uint64_t shapes[][3] = {{64, 256, 32}, {256, 256, 64}, {256, 256, 256},
                                       {512, 512, 128}};
  for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++) {
  const uint64_t N = shapes[sh][0], K = shapes[sh][1], M = shapes[sh][2];
  uint8_t *ones = malloc(N * K);
  assert_non_null(ones);
  memset(ones, 1, N * K);
  for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
    hw_point *hw = point(pts[i].a, pts[i].b, t);
    const char *name = pts[i].a ? pts[i].a : "os";
    for (size_t f = 0; f < sizeof nothing / sizeof nothing[0]; f++) {
      be_point p = one(hw, nothing[f], false, N, K, M, 0);
      assert_int_equal(p.sparse_cycles, p.dense_cycles);
      assert_true(p.sparse_energy_pj == p.dense_energy_pj);
    }
    for (size_t f = 0; f < sizeof adds / sizeof adds[0]; f++) {
      be_point p = one(hw, adds[f], false, N, K, M, 0);
      printf("  %-20s %-6s %6llu vs %6llu cycles, energy %.4fx dense\n", name, adds[f],
             (unsigned long long)p.sparse_cycles, (unsigned long long)p.dense_cycles,
             p.sparse_energy_pj / p.dense_energy_pj);
      assert_true(p.sparse_cycles >= p.dense_cycles);
      assert_true(p.sparse_energy_pj > p.dense_energy_pj); /* metadata moved and read */
    }
    /* gating: the dense cycles; a zero flag per weight read (one bit beside
     * an 8-bit word: 1/8 more filter SRAM reads) and a zero test per weight
     * fetched cost energy */
    be_point g = one(hw, "csr", true, N, K, M, 0);
    assert_int_equal(g.sparse_cycles, g.dense_cycles);
    assert_true(g.sparse_energy_pj > g.dense_energy_pj);
    /* N:M hardware with nothing pruned (4 of every 4 kept): the 4:1
     * multiplexers and 2-bit positions on the full window */
    cm_sparse_spec nm;
    assert_true(cm_sparse_spec_parse("2:4", &nm));
    nm.n = 4;
    hw_result s, dn;
    direct(hw, &nm, ones, N, K, M, &s, &dn);
    printf("  %-20s 4:4    %6llu vs %6llu cycles, energy %.4fx dense\n", name,
           (unsigned long long)s.cycles, (unsigned long long)dn.cycles,
           s.energy_total_pj / dn.energy_total_pj);
    assert_true(s.cycles >= dn.cycles);
    assert_true(s.energy_total_pj > dn.energy_total_pj);
    /* 2:4 and 1:4 at their own points can at best keep n/m of the dense
     * cycles' window: never fewer cycles than n/m of dense.  Not over a
     * USER bandwidth where the dense W overflows its buffer and the pruned
     * one fits: SCALE-Sim's count leaves out a layer's first fill, so W 256
     * x 256 over 64 columns, which dense refetches 4x (262,160 filter
     * words), runs 2:4 in 4,470 cycles against 25,153 (the breakeven
     * command says so in its notes) */
    static const char *const nms[] = {"2:4", "1:4"};
    bool user = pts[i].a && !strcmp(pts[i].a, "bandwidth_mode=user");
    for (size_t f = 0; f < 2 && (sh == 0 || !user); f++) {
      assert_true(cm_sparse_spec_parse(nms[f], &nm));
      be_point p = one(hw, nms[f], false, N, K, M, 0);
      assert_true((double)p.sparse_cycles >= (double)p.dense_cycles * nm.n / nm.m);
    }
    hw_point_destroy(hw);
  }
  free(ones);
  }
  const uint64_t N = 64, K = 256, M = 32;
  uint8_t *ones = malloc(N * K);
  assert_non_null(ones);
  memset(ones, 1, N * K);
  /* is (input-stationary) skips nothing: mask and channel are dense,
   * gating pays its flags, a skipping format is refused with the reason */
  hw_point *is = point("dataflow=is", NULL, t);
  for (size_t f = 0; f < sizeof nothing / sizeof nothing[0]; f++) {
    be_point p = one(is, nothing[f], false, N, K, M, 0);
    assert_int_equal(p.sparse_cycles, p.dense_cycles);
    assert_true(p.sparse_energy_pj == p.dense_energy_pj);
  }
  be_point g = one(is, "csr", true, N, K, M, 0);
  assert_int_equal(g.sparse_cycles, g.dense_cycles);
  assert_true(g.sparse_energy_pj > g.dense_energy_pj);
  hw_result s;
  cm_sparse_spec csr;
  assert_true(cm_sparse_spec_parse("csr", &csr));
  wl_layer l = wl_gemm("g", M, N, K);
  l.w = l.a = (wl_prec){8, false};
  hw_sparse_case c = {.layer = &l, .fmt = csr, .nz = ones};
  hw_sparse_info x;
  assert_int_equal(hw_point_sparse(is, &c, &s, &x, &d), EM_ERR_UNSUPPORTED);
  assert_string_equal(d.msg, "zero skipping is modelled for the os and ws dataflows, not is");
  hw_point_destroy(is);
  free(ones);
  cm_energy_table_destroy(t);
}

static void gating_charges_its_flags(void **state) {
  (void)state;
  /* 32 x 32 os, W 64 x 256, X 256 x 32 (CALC), gating at 0 %.  By hand,
   * from SCALE-Sim's os fold: 1 row fold x 2 column folds, each filter word
   * read once per row fold: 64 x 256 = 16384 filter SRAM reads, so 16384
   * one-bit flags = 2048 words of the 64 kB filter SRAM; the zero test
   * runs on each weight fetched from DRAM (16384 CALC reads: the filter
   * fits, each word fetched once), an 8-bit add of Horowitz's table
   * (0.03 pJ).  So sparse - dense = 2048 x e(64 kB SRAM read of a byte)
   * + 16384 x 0.03 pJ. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *hw = point(NULL, NULL, t);
  be_point g = one(hw, "csr", true, 64, 256, 32, 0);
  cm_energy_value sr, add8;
  assert_int_equal(cm_energy_mem(t, CM_OP_SRAM_READ, 64 * 1024, 8, &sr, &d), EM_OK);
  assert_int_equal(cm_energy_add(t, false, 8, &add8, &d), EM_OK);
  double want = 2048 * sr.energy_pj + 16384 * add8.energy_pj;
  printf("  gating at 0 %%: +%.1f pJ (by hand %.1f pJ)\n", g.sparse_energy_pj - g.dense_energy_pj,
         want);
  assert_true(fabs((g.sparse_energy_pj - g.dense_energy_pj) - want) < 1e-6 * want);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

/* Hypergeometric: the chance that 8 given blocks of B are all among the Z
 * zeroed ones (gen_block zeroes exactly Z = round(s B) blocks). */
static double all8_zero(double s, double B) {
  double Z = round(s * B), p = 1;
  for (int i = 0; i < 8; i++) p *= (Z - i) / (B - i);
  return p;
}

static void bsr4_union_law(void **state) {
  (void)state;
  /* AlexNet CONV-3 as a GEMM: N = 384 filters, K = 3 x 3 x 256 = 2304,
   * M = 13 x 13 = 169 pixels, on the 32 x 32 os array (CALC: no stalls).
   * BSR4 blocks are 4 filters x 4 K positions: 96 x 576 = 55296 blocks.
   * A fold of 32 filters is 8 block rows, and the rigid array drops a
   * block column (4 K positions) only when all 8 blocks of it are zero:
   * probability ~ s^8 (exactly C(Z,8)/C(55296,8) with Z = round(s 55296)).
   * Dense: ceil(169/32) = 6 row folds x 12 column folds of 2304 + 62
   * cycles, minus 1 = 170351.  Sparse: 72 folds of 2304 (1 - s^8) + 62,
   * minus 1, plus the metadata through the filter port of 32 words a
   * cycle, read once per row fold: BSR keeps a 10-bit block column index
   * per stored block (576 block columns) and 97 16-bit row pointers:
   * (55296 (1 - s) x 10 + 97 x 16) / 8 bytes, x 6 / 32 cycles.  At s = 0:
   * 69314 bytes, 12997 cycles (7.6 % of dense).  The break-even solves
   * 72 x 2304 s^8 = 12997 (1 - s): s^8 = 0.0783 (1 - s), s = 0.640. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *hw = point(NULL, NULL, t);
  const double B = 55296;
  static const double ss[] = {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95};
  for (size_t i = 0; i < sizeof ss / sizeof ss[0]; i++) {
    double s = ss[i], q = all8_zero(s, B);
    double meta = ceil((B * (1 - s) * 10 + 97 * 16) / 8);
    double want = 72 * (2304 * (1 - q) + 62) - 1 + ceil(meta * 6 / 32);
    be_point p = one(hw, "bsr4", false, 384, 2304, 169, s);
    assert_int_equal(p.dense_cycles, 170351);
    printf("  bsr4 %.2f: s^8 %.4f, %llu cycles (law %.0f, %+.2f %%), %.3fx (law %.3fx)\n", s,
           pow(s, 8), (unsigned long long)p.sparse_cycles, want,
           100 * ((double)p.sparse_cycles - want) / want, p.speedup, 170351 / want);
    /* the pattern is random: 6912 block columns of the 12 folds, so the
     * dropped count varies by ~sqrt(6912 q (1-q)), 1.5 % of the cycles */
    assert_true(fabs((double)p.sparse_cycles - want) / want < 0.03);
  }
  /* at most 1.05x at 50 % (the rigid-array bound) */
  be_point h = one(hw, "bsr4", false, 384, 2304, 169, 0.5);
  assert_true(h.speedup <= 1.05);
  /* the break-even, from a sweep: s = 0.640 by the law */
  be_config c = {0};
  c.hw = hw;
  c.w = c.a = (wl_prec){8, false};
  c.seed = 1;
  c.s_from = 0;
  c.s_to = 0.95;
  c.s_step = 0.05;
  assert_true(cm_sparse_spec_parse("bsr4", &c.fmt));
  be_point *p;
  size_t n;
  be_summary sum;
  assert_int_equal(be_run(&c, 384, 2304, 169, &p, &n, &sum, &d), EM_OK);
  printf("  bsr4 break-even: simulated %.4f (law 0.640)\n", sum.fit.s_sim);
  assert_int_equal(sum.fit.sim, CM_BE_CROSSES);
  assert_true(fabs(sum.fit.s_sim - 0.640) < 0.02);
  free(p);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

/* The filter SRAM's half holds a column fold's compressed weights: from
 * there on the os array fetches them from DRAM once, not once per row fold.
 * SCALE-Sim's CALC buffer splits the 64 kB filter SRAM into 100 sets of
 * ceil(65536 / 100) = 656 words and keeps what came in since the fetch
 * count last reached 50 sets (32,800 words): a fold's filter block, read
 * again for every row fold, stays only if it fits there (a pass of 52 sets
 * or more, 34,112 words, misses every read).
 *
 * By hand, W 32 x 2048 (one column fold) x X 2048 x 96 (3 row folds) on
 * 32 x 32 os: the dense block, 2048 x 32 = 65,536 bytes, is 100 sets: it
 * is fetched 3 times, 196,608 filter DRAM words.  Filter n keeps the
 * positions k with (k + n) mod 32 < j: 64 j a filter, 2048 j in all, and
 * every position is kept by some filter (the union rule keeps the whole
 * window, 2048).  CSR: 8-bit values, 11-bit column indices (2048
 * positions), 33 row pointers of 14 bits (nnz + 1 < 2^14):
 *   j = 7: 14,336 values, metadata ceil((14,336 x 11 + 33 x 14) / 8) =
 *          19,770 B: 34,106 B, over the 32,800 -> fetched 3 times,
 *          102,318 DRAM words;
 *   j = 6: 12,288 values, ceil((12,288 x 11 + 462) / 8) = 16,954 B:
 *          29,242 B, under 32,800 -> fetched once, 29,242 DRAM words.
 * The activations and outputs move as dense, so sparse - dense DRAM is
 * the filter's alone, and at 162.5 pJ a byte (Horowitz: 1300 pJ per 64-bit
 * DRAM access) so is the DRAM energy.  The same threshold is the energy
 * cliff of `emlsim breakeven alexnet --arch systolic --sparse csr` between
 * 0.80 and 0.85 (models/systolic/README.md). */
static void filter_fits_half_sram(void **state) {
  (void)state;
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *hw = point(NULL, NULL, t);
  const uint64_t N = 32, K = 2048, M = 96;
  uint8_t *nz = malloc(N * K);
  assert_non_null(nz);
  cm_sparse_spec csr;
  assert_true(cm_sparse_spec_parse("csr", &csr));
  cm_energy_value dram;
  assert_int_equal(cm_energy_mem(t, CM_OP_DRAM_READ, 0, 8, &dram, &d), EM_OK);
  assert_true(fabs(dram.energy_pj - 162.5) < 1e-9);
  static const struct {
    unsigned j;
    double filter_dram; /* words, by hand above */
  } pts[] = {{7, 102318}, {6, 29242}};
  for (size_t i = 0; i < 2; i++) {
    for (uint64_t n = 0; n < N; n++)
      for (uint64_t k = 0; k < K; k++) nz[n * K + k] = (k + n) % 32 < pts[i].j;
    hw_result sp, dn;
    direct(hw, &csr, nz, N, K, M, &sp, &dn);
    double got = (double)sp.dram_bytes - ((double)dn.dram_bytes - 196608);
    double de = sp.energy_pj[HW_E_DRAM] - (dn.energy_pj[HW_E_DRAM] - 196608 * 162.5);
    printf("  csr j = %u/32: filter DRAM %.0f B (by hand %.0f), %.1f pJ\n", pts[i].j, got,
           pts[i].filter_dram, de);
    assert_true(fabs(got - pts[i].filter_dram) <= 1);
    assert_true(fabs(de - pts[i].filter_dram * 162.5) <= 162.5);
  }
  /* AlexNet CONV-3 as a GEMM (N 384, K 2304, M 169), uniform CSR: 12
   * column folds, 6 row folds, the dense filter (73,728 B a fold, 113 sets)
   * fetched 6 times, 5,308,416 words.  The fold's mean compressed block is
   * storage / 12 against the half, 12 x 32,768 = 393,216 B in all: at 0.820
   * nnz = 884,736 - round(0.82 x 884,736) = 159,252, storage
   * ceil((159,252 x 20 + 385 x 18) / 8) = 398,997 B (12-bit indices, 18-bit
   * pointers): over, fetched 6 times, 2,393,982 words; at 0.825 nnz
   * 154,829, 387,939 B: under, fetched once (a few words more where a
   * fold's block straddles an epoch's end).  So 0.82 -> 0.825 drops about
   * 2.0 M DRAM bytes, 326 uJ. */
  {
    const uint64_t N3 = 384, K3 = 2304, M3 = 169;
    uint8_t *z = malloc(N3 * K3);
    assert_non_null(z);
    static const struct {
      double s, storage, passes;
    } cs[] = {{0.820, 398997, 6}, {0.825, 387939, 1}};
    for (size_t i = 0; i < 2; i++) {
      assert_int_equal(cm_sparse_gen_unstructured(z, N3, K3, cs[i].s, CM_PAT_UNIFORM, 1, &d),
                       EM_OK);
      hw_result sp, dn;
      direct(hw, &csr, z, N3, K3, M3, &sp, &dn);
      double got = (double)sp.dram_bytes - ((double)dn.dram_bytes - 6 * 884736.0);
      printf("  conv-3 csr %.3f: filter DRAM %.0f B = %.4f x its %.0f B (by hand %.0f)\n",
             cs[i].s, got, got / cs[i].storage, cs[i].storage, cs[i].passes);
      assert_true(got >= cs[i].passes * cs[i].storage - 6);
      assert_true(got <= cs[i].passes * cs[i].storage * 1.02);
    }
    free(z);
  }
  free(nz);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

static void user_bandwidth_moves_what_is_stored(void **state) {
  (void)state;
  /* 32 x 32 os, USER at 10 words a cycle, 64 kB SRAMs; W 64 x 256 (16384
   * weights, under the 32768-word half of the filter SRAM, so the first
   * burst fetches the whole filter: ceil(16384 / 10) lines of 10 words =
   * 16390 dense filter DRAM reads, counted per slot as SCALE-Sim does).
   * The ifmap (256 x 32) and ofmap are the dense run's, so sparse - dense
   * DRAM bytes is the filter's difference alone. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *hw = point("bandwidth_mode=user", NULL, t);
  const uint64_t N = 64, K = 256, M = 32;
  /* 2:4: 8192 values of 8 bits and 8192 2-bit positions = 81920 bits =
   * 10240 bytes over the 64 x 128 slots of the simulated window: bursts of
   * ceil(10240 / 10) = 1024 lines, 10240 words: 6150 fewer than dense. */
  cm_sparse_spec nm;
  assert_true(cm_sparse_spec_parse("2:4", &nm));
  uint8_t *nz = malloc(N * K);
  assert_non_null(nz);
  for (uint64_t i = 0; i < N * K; i++) nz[i] = (i % 4) < 2; /* 2 of every 4 */
  hw_result s, dn;
  direct(hw, &nm, nz, N, K, M, &s, &dn);
  printf("  2:4 USER: DRAM %llu vs dense %llu bytes\n", (unsigned long long)s.dram_bytes,
         (unsigned long long)dn.dram_bytes);
  assert_int_equal(dn.dram_bytes - s.dram_bytes, 16390 - 10240);
  /* SRAM: the 4:1 multiplexers choose among the whole window, so the row
   * feed reads every activation as dense does: 2 column folds x 32 rows x
   * 256 = 16384 ifmap reads (the 128-wide simulated window alone would
   * read 8192); filter 8192 values + 2048 words of positions (once: one
   * row fold); ofmap 64 x 32 + 2 folds x (32 + 32) = 2176 writes (SCALE-
   * Sim's os): 16384 + 8192 + 2048 + 2176 = 28800 words. */
  assert_int_equal(s.sram_bytes, 28800);
  /* and the same on the CALC interface (the SRAM side does not depend on
   * it) */
  hw_point *calc = point(NULL, NULL, t);
  hw_result sc, dc;
  direct(calc, &nm, nz, N, K, M, &sc, &dc);
  assert_int_equal(sc.sram_bytes, 28800);
  hw_point_destroy(calc);
  /* CSR at 90 % (round(0.9 x 16384) = 14746 zeros, 1638 values): 1638
   * 8-bit values, 1638 8-bit column indices (K = 256) and 65 11-bit row
   * pointers (up to 1638): 13104 + 13104 + 715 = 26923 bits, 3366 bytes
   * stored, against 16384 dense; bursts of 10 words round it up to at most
   * 3370 DRAM reads: dense - sparse = 16390 - 3366..3370. */
  cm_sparse_spec csr;
  assert_true(cm_sparse_spec_parse("csr", &csr));
  assert_int_equal(cm_sparse_gen_random(nz, N, K, 0.9, 5, &d), EM_OK);
  direct(hw, &csr, nz, N, K, M, &s, &dn);
  printf("  csr 90 %% USER: DRAM %llu vs dense %llu bytes\n", (unsigned long long)s.dram_bytes,
         (unsigned long long)dn.dram_bytes);
  uint64_t saved = dn.dram_bytes - s.dram_bytes;
  assert_true(saved >= 16390 - 3371 && saved <= 16390 - 3365);
  /* CSR at 0 %: 16384 values, as many 8-bit indices and 65 15-bit
   * pointers: 263119 bits = 32890 bytes, twice dense: the index bytes are
   * paid, so the layer moves at least 32890 - 16390 = 16500 bytes more.
   * (It moves more still: 32890 bytes overflow the filter SRAM's 32 kB
   * half, so its read buffer streams and refetches them, as SCALE-Sim's
   * does for any operand over half the buffer; and the 10 words a cycle
   * make it memory-bound: 3289 cycles for the stored bytes alone.) */
  memset(nz, 1, N * K);
  direct(hw, &csr, nz, N, K, M, &s, &dn);
  printf("  csr 0 %% USER: DRAM %llu vs dense %llu bytes, %llu vs %llu cycles\n",
         (unsigned long long)s.dram_bytes, (unsigned long long)dn.dram_bytes,
         (unsigned long long)s.cycles, (unsigned long long)dn.cycles);
  uint64_t extra = s.dram_bytes - dn.dram_bytes;
  assert_true(extra + 16390 >= 32890);
  assert_true(s.cycles >= 3289);
  free(nz);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

/* The simulated latency break-even of `fmt` on AlexNet CONV-3 (32 x 32 os,
 * USER at 10 words a cycle), swept from 0 to 0.95 by 0.05. */
static double user_breakeven(hw_point *hw, const char *fmt) {
  be_config c = {0};
  em_diag d;
  c.hw = hw;
  c.w = c.a = (wl_prec){8, false};
  c.seed = 1;
  c.s_from = 0;
  c.s_to = 0.95;
  c.s_step = 0.05;
  assert_true(cm_sparse_spec_parse(fmt, &c.fmt));
  be_point *p;
  size_t n;
  be_summary sum;
  assert_int_equal(be_run(&c, 384, 2304, 169, &p, &n, &sum, &d), EM_OK);
  free(p);
  assert_int_equal(sum.fit.sim, CM_BE_CROSSES);
  return sum.fit.s_sim;
}

static void user_bytes_decide(void **state) {
  (void)state;
  /* Over a USER bandwidth of 10 words a cycle CONV-3 is memory-bound (its
   * filter, 884,736 weights, streamed again for each of 6 row folds), so
   * the filter bytes decide, as on a GPU at batch 1. By hand, bytes per
   * weight slot against dense's 1: CSR (1 - s)(1 + 12/8) (12-bit column
   * indices for K = 2304), equal at s = 1 - 1/2.5 = 0.60; bitmap
   * (1 - s) + 1/8, equal at s = 0.125. */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *hw = point("bandwidth_mode=user", NULL, t);
  double csr = user_breakeven(hw, "csr"), bitmap = user_breakeven(hw, "bitmap");
  printf("  USER break-even: csr %.4f (by hand 0.60), bitmap %.4f (0.125)\n", csr, bitmap);
  assert_true(fabs(csr - 0.60) < 0.03);
  assert_true(fabs(bitmap - 0.125) < 0.03);
  hw_point_destroy(hw);
  cm_energy_table_destroy(t);
}

static void channel_half_everywhere(void **state) {
  (void)state;
  /* Channel pruning at 50 % is the dense layer of half the filters: by hand
   * on 32 x 32, N 384 -> 192 filters (12 -> 6 column folds), K 2304, M 169:
   * os 72 folds of 2366 - 1 = 170351 -> 36 x 2366 - 1 = 85175, 2.000x; ws
   * ceil(2304/32) = 72 row folds x 12 column folds of 2 x 32 + 32 + 169 - 2
   * = 263 cycles: 227231 -> 113615, 2.000x; the issue asks 1.6x - 2.05x.
   * (Over a USER bandwidth SCALE-Sim's read buffers make the dense layer's
   * own time superlinear in its filters - 3.8x os, 2.5x ws here - which is
   * the dense model's, validated against SCALE-Sim, not the pruning's.) */
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  static const struct {
    const char *a, *b;
    uint64_t dense, sparse;
  } want[] = {{NULL, NULL, 170351, 85175},
              {"dataflow=ws", NULL, 227231, 113615}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    hw_point *hw = point(want[i].a, want[i].b, t);
    be_point p = one(hw, "channel", false, 384, 2304, 169, 0.5);
    printf("  channel 50 %% %s %s: %llu -> %llu, %.3fx\n", want[i].a ? want[i].a : "os",
           want[i].b ? want[i].b : "", (unsigned long long)p.dense_cycles,
           (unsigned long long)p.sparse_cycles, p.speedup);
    assert_int_equal(p.dense_cycles, want[i].dense);
    assert_int_equal(p.sparse_cycles, want[i].sparse);
    assert_true(p.speedup >= 1.6 && p.speedup <= 2.05);
    hw_point_destroy(hw);
  }
  cm_energy_table_destroy(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_format_at_zero),
      cmocka_unit_test(gating_charges_its_flags),
      cmocka_unit_test(bsr4_union_law),
      cmocka_unit_test(filter_fits_half_sram),
      cmocka_unit_test(user_bandwidth_moves_what_is_stored),
      cmocka_unit_test(user_bytes_decide),
      cmocka_unit_test(channel_half_everywhere),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
