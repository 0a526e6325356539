/*
 * test_cm_breakeven.c - the roofline and the break-even model of
 * costmodel/cm_breakeven.h on points made by hand from known parameters:
 * the fit recovers P_eff and T_overhead, the roots equal the hand
 * solutions, and the memory term binds where the hand calculation says;
 * the fit keeps 0 < P_eff <= P and T_overhead >= 0, a flat curve has no
 * invented break-even, "never wins" and "wins everywhere" are told apart,
 * the energy break-even, P_eff from counters, and the compute term on
 * each point's realized sparsity (bsr256's blocks of two sizes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "cm_breakeven.h"

static void roofline_by_hand(void **state) {
  (void)state;
  /* 1e6 flops at 100 flops/cycle: 10,000 cycles; 4e4 bytes at 10 B/cycle:
   * 4,000 cycles; the bound is the larger, compute */
  assert_true(cm_roofline_cycles(1e6, 4e4, 100, 10) == 1e4);
  /* 2e5 bytes: 20,000 cycles, memory bound */
  assert_true(cm_roofline_cycles(1e6, 2e5, 100, 10) == 2e4);
}

static void memory_bound_tail(void **state) {
  (void)state;
  /* F = 1e6 flops, P_eff = 500 flops/cycle: compute 2000 (1 - s) cycles.
   * The format stores 1e5 (1 - s) bytes, X and Y 5e4 bytes, BW = 100
   * B/cycle: memory 1000 (1 - s) + 500 cycles.  The two cross where
   * 2000 (1 - s) = 1000 (1 - s) + 500, at s = 0.5: compute binds below,
   * memory above.  T_overhead = 100, T_dense = 1500:
   *   break-even 2000 (1 - s) + 100 = 1500 -> s = 0.3 (compute-bound side);
   *   at s = 0.8 the model is 1000 x 0.2 + 500 + 100 = 800 (memory).
   * The last point, s = 1, has no work left (0 cycles): it is left out of
   * the fit. */
  cm_be_point p[21] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 100;
  f.xy_bytes = 5e4;
  f.t_dense = 1500;
  for (int i = 0; i < 21; i++) {
    double s = 0.05 * i, tc = 2000 * (1 - s), tm = 1000 * (1 - s) + 500;
    p[i].s = p[i].realized_s = s;
    p[i].storage_bytes = (uint64_t)llround(1e5 * (1 - s));
    p[i].sparse_cycles = i == 20 ? 0 : (uint64_t)llround((tc > tm ? tc : tm) + 100);
    p[i].speedup = p[i].sparse_cycles ? 1500.0 / (double)p[i].sparse_cycles : INFINITY;
  }
  double model[21];
  cm_be_fit_model(p, 21, 0.05, &f, model);
  assert_true(fabs(f.P - 1e6 / 1500) < 1e-9);
  assert_true(fabs(f.P_eff - 500) / 500 < 1e-4);
  assert_true(fabs(f.T_overhead - 100) < 0.1);
  assert_true(f.fit_rms_rel_err < 1e-4);
  assert_true(fabs(f.s_model - 0.3) < 1e-4);
  assert_true(fabs(f.s_sim - 0.3) < 1e-9); /* the point at 0.3 is exactly 1500 */
  assert_int_equal(f.sim, CM_BE_CROSSES);
  assert_int_equal(f.model, CM_BE_CROSSES);
  assert_int_equal(f.peff_source, CM_BE_PEFF_FIT);
  assert_true(f.agree);
  assert_true(fabs(model[16] - 800) < 0.1);            /* s = 0.8, memory bound */
  assert_true(fabs(model[2] - (2000 * 0.9 + 100)) < 0.1); /* s = 0.1, compute bound */
  assert_true(fabs(cm_be_model_cycles(&f, 0.8, 2e4) - 800) < 0.1);
}

static void one_point(void **state) {
  (void)state;
  /* One point (an N:M format, s = 0.5) fixes one parameter: P_eff = P =
   * F / T_dense = 1e6 / 1500, so the kept half of the work takes 750 cycles
   * and T_overhead = 1200 - 750 = 450.  No bandwidth bound (BW = 1e30).
   * Speedup 1500 / 1200 = 1.25 > 1 at the first (only) point: the format
   * wins everywhere swept, and there is no break-even sparsity to report
   * (before the outcomes were named, both were "s = 0.5", the point itself,
   * which was no break-even). */
  cm_be_point p[1] = {{0.5, 0.5, 1200, 0, 1.25, 0, 0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  double model[1];
  cm_be_fit_model(p, 1, 0.1, &f, model);
  assert_true(fabs(f.P_eff - f.P) < 1e-9 * f.P);
  assert_true(fabs(f.T_overhead - 450) < 1e-6);
  assert_true(fabs(model[0] - 1200) < 1e-6);
  assert_int_equal(f.peff_source, CM_BE_PEFF_DENSE);
  assert_int_equal(f.sim, CM_BE_ALWAYS);
  assert_int_equal(f.model, CM_BE_ALWAYS);
  assert_true(isnan(f.s_sim) && isnan(f.s_model));
  assert_true(f.agree);
}

static void never_breaks_even(void **state) {
  (void)state;
  /* Every point slower than dense: T_sparse = 3000 (1 - s) + 2000 > 1500
   * for all s in [0, 0.9]; no break-even either way, and that agrees. */
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    p[i].s = p[i].realized_s = 0.1 * i;
    p[i].storage_bytes = 0;
    p[i].sparse_cycles = (uint64_t)llround(3000 * (1 - p[i].s) + 2000);
    p[i].speedup = 1500.0 / (double)p[i].sparse_cycles;
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(isnan(f.s_sim));
  assert_true(isnan(f.s_model));
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_int_equal(f.model, CM_BE_NEVER);
  assert_true(f.agree);
  assert_true(fabs(f.T_overhead - 2000) < 0.5);
  /* P_eff = 1e6 / 3000 = 333.3, below P = 666.7: inside the bound */
  assert_true(fabs(f.P_eff - 1e6 / 3000) / (1e6 / 3000) < 1e-4);
  /* carried past 0.9 the formula stays above dense: 3000 (1 - s) + 2000 is
   * 2000 at s = 1, over 1500 */
  assert_true(isnan(f.s_model_beyond));
}

/* The sweep ends before the model's break-even: T_sparse = 3000 (1 - s) is
 * 1800 at the last point, 0.4, over T_dense = 1500.  In the range it never
 * wins (model and simulation agree); its formula, carried past 0.4, reaches
 * 1500 at s = 0.5 by hand, which the fit reports beside "never". */
static void model_beyond_range(void **state) {
  (void)state;
  cm_be_point p[5] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 5; i++) {
    p[i].s = p[i].realized_s = 0.1 * i;
    p[i].sparse_cycles = (uint64_t)llround(3000 * (1 - p[i].s));
    p[i].speedup = 1500.0 / (double)p[i].sparse_cycles;
  }
  cm_be_fit_model(p, 5, 0.1, &f, NULL);
  assert_int_equal(f.model, CM_BE_NEVER);
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_true(isnan(f.s_model));
  assert_true(fabs(f.T_overhead) < 0.5);
  assert_true(fabs(f.s_model_beyond - 0.5) < 1e-4);
}

/* A flat curve: every point takes the dense 1500 cycles (a mask, which
 * skips nothing).  With P_eff <= P the model's compute term falls at least
 * as fast as T_dense (1 - s), so the best it can do is P_eff = P, slope
 * 1500, and T_overhead = the mean of 1500 s over s = 0 .. 0.9 = 675:
 * residuals 1500 (0.45 - s), relative (the points are all 1500) 0.45 - s,
 * RMS sqrt(mean((s - 0.45)^2)) = sqrt(0.0825) = 0.28723.  Over 20 %: the
 * model gives no break-even (the unconstrained fit used to invent one near
 * 0.45), the simulation says "never wins", and they do not agree. */
static void flat_curve(void **state) {
  (void)state;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++)
    p[i] = (cm_be_point){0.1 * i, 0.1 * i, 1500, 0, 1.0, 1.0, 0};
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(f.P_eff <= f.P);
  assert_true(fabs(f.P_eff - f.P) < 1e-9 * f.P);
  assert_true(fabs(f.T_overhead - 675) < 1e-6);
  assert_true(fabs(f.fit_rms_rel_err - sqrt(0.0825)) < 1e-6);
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_true(isnan(f.s_sim));
  assert_int_equal(f.model, CM_BE_POOR_FIT);
  assert_true(isnan(f.s_model));
  assert_int_equal(f.energy, CM_BE_NEVER); /* energy gain exactly 1: not a win */
  assert_false(f.agree);
}

/* A sweep from s = 0.5 where the sparse unit runs at the dense rate P =
 * 1e6 / 1500 with T_overhead = 100: T_sparse = 1500 (1 - s) + 100, 850
 * cycles at s = 0.5 (speedup 1.76), below dense at every point.  Both the
 * simulation and the model "win everywhere", with no break-even sparsity;
 * the fit sits on the bound P_eff = P and recovers T_overhead. */
static void wins_everywhere(void **state) {
  (void)state;
  cm_be_point p[5];
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 5; i++) {
    double s = 0.5 + 0.1 * i;
    uint64_t t = (uint64_t)llround(1500 * (1 - s) + 100);
    p[i] = (cm_be_point){s, s, t, 0, 1500.0 / (double)t, 0, 0};
  }
  cm_be_fit_model(p, 5, 0.1, &f, NULL);
  assert_true(fabs(f.P_eff - f.P) < 1e-9 * f.P);
  assert_true(fabs(f.T_overhead - 100) < 1e-6);
  assert_int_equal(f.sim, CM_BE_ALWAYS);
  assert_int_equal(f.model, CM_BE_ALWAYS);
  assert_true(isnan(f.s_sim) && isnan(f.s_model));
  assert_true(f.agree);
}

/* A curve faster than the dense rate allows: T_sparse = 1000 (1 - s), that
 * is 1e6 flops at 1000 flops per cycle, above P = 666.7.  The unconstrained
 * fit would take P_eff = 1000; the constrained one stops at P_eff = P
 * (slope 1500) with T_overhead = 0 (every residual 500 (1 - s) is already
 * positive), relative error 500 (1 - s) / 1000 (1 - s) = 0.5 at each point:
 * a poor fit, no model break-even; the simulation wins everywhere. */
static void peff_capped(void **state) {
  (void)state;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    uint64_t t = (uint64_t)llround(1000 * (1 - s));
    p[i] = (cm_be_point){s, s, t, 0, 1500.0 / (double)t, 0, 0};
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(f.P_eff <= f.P);
  assert_true(fabs(f.P_eff - f.P) < 1e-9 * f.P);
  assert_true(f.T_overhead == 0);
  assert_true(fabs(f.fit_rms_rel_err - 0.5) < 1e-3);
  assert_int_equal(f.model, CM_BE_POOR_FIT);
  assert_int_equal(f.sim, CM_BE_ALWAYS);
  assert_false(f.agree);
}

/* Energy: sparse energy = dense x (1.25 - s), gain 1 / (1.25 - s), over
 * s = 0 .. 0.9.  At 0.2 the gain is 1 / 1.05 = 20/21, at 0.3 1 / 0.95 =
 * 20/19; linear between them it reaches 1 at 0.2 + 0.1 (1/21) / (40/399) =
 * 0.2 + 0.1 x 399/840 = 0.2475. */
static void energy_breakeven(void **state) {
  (void)state;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    p[i] = (cm_be_point){s, s, 3000, 0, 0.5, 1.0 / (1.25 - s), 0};
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_int_equal(f.energy, CM_BE_CROSSES);
  assert_true(fabs(f.s_energy - 0.2475) < 1e-9);
  assert_int_equal(f.sim, CM_BE_NEVER); /* 2x slower throughout */
  /* the crossing alone, on plain arrays */
  double s[3] = {0.2, 0.3, 0.4}, g[3] = {20.0 / 21, 20.0 / 19, 1.25}, at;
  assert_int_equal(cm_be_crossing(s, g, 3, sizeof(double), &at), CM_BE_CROSSES);
  assert_true(fabs(at - 0.2475) < 1e-9);
  assert_int_equal(cm_be_crossing(s + 1, g + 1, 2, sizeof(double), &at), CM_BE_ALWAYS);
  assert_true(isnan(at));
  assert_int_equal(cm_be_crossing(s, g, 1, sizeof(double), &at), CM_BE_NEVER);
  assert_true(isnan(at));
}

/* P_eff from counters.  (a) A mask: the dense work at every point, so the
 * counters give useful flops per busy cycle (1 - s) P; the model's compute
 * term is (1 - s) F / ((1 - s) P) = T_dense = 1500 at every s, T_overhead 0,
 * an exact fit, and "never wins" from both.  (b) Counters that claim 2 P
 * say only that the arithmetic is not the limit: not used, P_eff is fitted
 * under P, and T_sparse = 1500 (1 - s) + 300 fits with P_eff = P and
 * T_overhead = 300, breaking even at 1500 (1 - s) + 300 = 1500, s = 0.2. */
static void peff_from_counters(void **state) {
  (void)state;
  double P = 1e6 / 1500;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++)
    p[i] = (cm_be_point){0.1 * i, 0.1 * i, 1500, 0, 1.0, 1.0, (1 - 0.1 * i) * P};
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_int_equal(f.peff_source, CM_BE_PEFF_COUNTERS);
  assert_true(f.T_overhead < 1e-6);
  assert_true(f.fit_rms_rel_err < 1e-9);
  assert_int_equal(f.model, CM_BE_NEVER);
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_true(f.agree);

  cm_be_fit g = {0};
  g.F = 1e6;
  g.BW = 1e30;
  g.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    uint64_t t = (uint64_t)llround(1500 * (1 - s) + 300);
    p[i] = (cm_be_point){s, s, t, 0, 1500.0 / (double)t, 0, 2 * P};
  }
  cm_be_fit_model(p, 10, 0.1, &g, NULL);
  assert_int_equal(g.counters_above, 10);
  assert_int_equal(g.peff_source, CM_BE_PEFF_FIT);
  assert_true(fabs(g.P_eff - P) < 1e-9 * P);
  assert_true(fabs(g.T_overhead - 300) < 1e-6);
  assert_int_equal(g.model, CM_BE_CROSSES);
  assert_true(fabs(g.s_model - 0.2) < 1e-6);
  assert_int_equal(g.sim, CM_BE_CROSSES);
  assert_true(fabs(g.s_sim - 0.2) < 1e-9); /* the point at 0.2 is exactly 1500 */
  assert_true(g.agree);
}

/* Counters whose model misses the curve: the sparse unit takes 3000 (1 - s)
 * cycles against T_dense = 1500 (F = 1e6, P = 666.7), but its counters
 * claim 0.9 P (below P, so not refused for that).  They give a compute term
 * (1 - s) F / 0.9 P = 1666.7 (1 - s), and T_overhead the mean residual,
 * 1333.3 x mean(1 - s) = 1333.3 x 0.55 = 733.3.  Relative errors
 * (733.3 - 1333.3 x) / (3000 x) at x = 1 - s = 1, 0.9, .. 0.1: -0.2,
 * -0.1728, -0.1389, -0.0952, -0.037, 0.0444, 0.1667, 0.3704, 0.7778, 2.0;
 * their squares sum to 4.872, RMS sqrt(0.4872) = 69.8 %, over 20 %.
 * P_eff is fitted instead: F / 3000 = 333.3 with T_overhead 0, exact, and
 * the break-even 3000 (1 - s) = 1500, s = 0.5. */
static void counters_rejected(void **state) {
  (void)state;
  double P = 1e6 / 1500;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    uint64_t t = (uint64_t)llround(3000 * (1 - s));
    p[i] = (cm_be_point){s, s, t, 0, 1500.0 / (double)t, 0, 0.9 * P};
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(fabs(f.counters_p_eff - 0.9 * P) < 1e-9 * P);
  assert_int_equal(f.counters_above, 0);
  assert_true(f.counters_rms_rel_err > 0.697 && f.counters_rms_rel_err < 0.699);
  assert_int_equal(f.peff_source, CM_BE_PEFF_FIT);
  assert_true(fabs(f.P_eff - 1e6 / 3000) < 1e-3);
  assert_true(f.T_overhead < 1e-3);
  assert_true(f.fit_rms_rel_err < 1e-6);
  assert_int_equal(f.model, CM_BE_CROSSES);
  assert_true(fabs(f.s_model - 0.5) < 1e-6);
  assert_true(f.agree);
  /* without counters the two figures are NAN and the fit is the same */
  for (int i = 0; i < 10; i++) p[i].p_eff = 0;
  cm_be_fit g = {0};
  g.F = 1e6;
  g.BW = 1e30;
  g.t_dense = 1500;
  cm_be_fit_model(p, 10, 0.1, &g, NULL);
  assert_true(isnan(g.counters_p_eff) && isnan(g.counters_rms_rel_err));
  assert_true(fabs(g.P_eff - f.P_eff) < 1e-9 * f.P_eff);
}

/* A flat curve with counters that exceed P at low sparsity: a mask on a
 * GPU, the dense kernel at every point (T = T_dense = 1500), its pipes busy
 * 300 cycles, so its counters read (1 - s) F / 300 = 5 (1 - s) P: above P
 * up to s = 0.7 (8 points), P at 0.8, 0.5 P at 0.9.  Capped, the compute term would be
 * (1 - s) T_dense up to 0.8 and 300 at 0.9 with T_overhead the mean gap,
 * 1500 x mean(s up to 0.8, and 0.8 at 0.9) = 1500 x 0.44 = 660: a model
 * that starts at 2160 and falls below 1500 by s = 0.44, an invented
 * break-even.  Counters above P are not used: the constrained fit follows
 * the flat curve as well as it can and finds no break-even. */
static void counters_above_p(void **state) {
  (void)state;
  double P = 1e6 / 1500;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    p[i] = (cm_be_point){s, s, 1500, 0, 1.0, 1.0, (1 - s) * 1e6 / 300};
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_int_equal(f.counters_above, 8); /* s = 0 .. 0.7: 5 (1 - s) P > P */
  assert_int_equal(f.peff_source, CM_BE_PEFF_FIT);
  assert_true(f.P_eff <= P * (1 + 1e-12));
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_true(f.model == CM_BE_NEVER || f.model == CM_BE_POOR_FIT);
  assert_true(isnan(f.s_model));
}

/* A mask on a memory-bound layer: the dense kernel at every point (T =
 * T_dense = 1500), its stored weights 1.2e6 bytes at 1000 B/cycle (1200
 * cycles, 0.8 T_dense).  The format executes every MAC, so the compute term
 * is F / P_eff: with P_eff = P = F / 1500 the model is max(1500, 1200) + 0
 * = 1500 at every s, exact, "never wins".  (With (1 - s) F the compute term
 * falls below the memory term past s = 0.2, and a T_overhead fitted to the
 * mean put the model under dense there: the study's SIMT mask on AlexNet
 * FC-3 "broke even" at 0.17.) */
static void mask_executes_all(void **state) {
  (void)state;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1000;
  f.t_dense = 1500;
  f.executes_all = true;
  for (int i = 0; i < 10; i++) p[i] = (cm_be_point){0.1 * i, 0.1 * i, 1500, 1200000, 1.0, 1.0, 0};
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(fabs(f.P_eff - 1e6 / 1500) < 1e-6);
  assert_true(f.T_overhead < 1e-6);
  assert_true(f.fit_rms_rel_err < 1e-9);
  assert_int_equal(f.model, CM_BE_NEVER);
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_true(f.agree);
}

/* A flat curve whose counters wander by a cycle: every point takes the
 * dense 1500 cycles (speedup exactly 1), the counters put the compute term
 * at 1501 cycles below s = 0.5 and 1499 from there ((1 - s) F / p_eff).
 * The residuals are -1 and +1, five each, so T_overhead = 0 and the model
 * reads 1499 from s = 0.5: one cycle (0.07 %) under dense, rounding, not a
 * win (the break-even needs the model 0.1 % under dense).  Before, this
 * read "breaks even near 0.45" (bit-serial CSR on AlexNet CONV-3 at 0.05). */
static void flat_rounding(void **state) {
  (void)state;
  cm_be_point p[10] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    double s = 0.1 * i;
    p[i] = (cm_be_point){s, s, 1500, 0, 1.0, 1.0, (1 - s) * 1e6 / (i < 5 ? 1501.0 : 1499.0)};
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_int_equal(f.peff_source, CM_BE_PEFF_COUNTERS);
  assert_true(f.T_overhead < 1e-9);
  assert_true(f.fit_rms_rel_err < 1e-3);
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_int_equal(f.model, CM_BE_NEVER);
  assert_true(isnan(f.s_model));
  assert_true(f.agree);
}

/* The model takes each point's realized sparsity (the fraction of zero
 * weights), not the one asked for, and reads its break-even on the sweep's
 * axis.  bsr256 on N 384 x K 2304 (AlexNet CONV-3): 2 block rows (256 and
 * 128 filters) x 9 block columns of 256, so 9 blocks of 65,536 weights and
 * 9 of 32,768, 27 units of 32,768 in all: a full block is 2 units, a half
 * one 1.  The sweep asks for s and drops round(18 s) blocks; the pattern's
 * realized sparsity is the units dropped / 27 (as `emlsim breakeven alexnet
 * --arch bitserial --sparse bsr256 --layer CONV-3 --sparsity 0:0.2:0.05`
 * prints them on 2026-11-28, each sparsity its own pattern):
 *   s    0     0.05        0.10        0.15            0.20
 *   drop 0     1 (a half)  2 (2 full)  3 (1 + 2 halves) 4 (3 + 1 half)
 *   r    0     1/27        4/27        4/27            7/27
 * A unit that runs the kept work at the dense rate P = F / T_dense =
 * 1e6 / 1500 plus T_overhead = 300: 1500 (1 - r) + 300 cycles, so
 * 1500 x 27/27, 26/27, 23/27, 23/27, 20/27 + 300 = 1800, 1744.4, 1577.8,
 * 1577.8, 1411.1 (rounded to 1800, 1744, 1578, 1578, 1411); its counters
 * read P at every point (F (1 - r) flops in 1500 (1 - r) busy cycles).  On
 * r the model is exact (fit error 0, T_overhead 300); on the asked s it
 * would be 1500 (1 - s) + T: 1500 (0.95 - 26/27) = -19.4 cycles off at
 * 0.05 against 1500 (0.90 - 23/27) = 72.2 at 0.10, which no T_overhead
 * fits.  Break-even: 1500 (1 - r) + 300 = 1500 at r = 0.2 = 5.4/27, between
 * the points at 0.15 (4/27) and 0.20 (7/27): r = 4/27 + 3/27 (s - 0.15) /
 * 0.05 reaches 5.4/27 at s = 0.15 + 0.05 x 1.4 / 3 = 0.17333.  The
 * simulated one, the speedups 1500 / 1578 = 0.95057 at 0.15 and 1500 / 1411
 * = 1.06308 at 0.20 interpolated (the points before stay under 1: 1500 /
 * 1744, 1500 / 1578), is 0.15 + 0.05 x 0.04943 / 0.11251 = 0.17197: they
 * agree (0.0014 apart, within the step). */
static void realized_sparsity(void **state) {
  (void)state;
  static const double asked[5] = {0, 0.05, 0.10, 0.15, 0.20};
  static const double units[5] = {0, 1, 4, 4, 7}; /* of 27 dropped */
  cm_be_point p[5] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 5; i++) {
    double r = units[i] / 27.0;
    uint64_t t = (uint64_t)llround(1500 * (1 - r) + 300);
    p[i] = (cm_be_point){asked[i], r, t, 0, 1500.0 / (double)t, 0, 1e6 / 1500.0};
  }
  double model[5];
  cm_be_fit_model(p, 5, 0.05, &f, model);
  assert_int_equal(f.peff_source, CM_BE_PEFF_COUNTERS);
  assert_true(fabs(f.T_overhead - 300) < 0.5);   /* the cycles are rounded */
  assert_true(f.fit_rms_rel_err < 5e-4);
  assert_true(fabs(model[1] - (1500 * 26.0 / 27 + 300)) < 0.5); /* 1744.4 */
  assert_true(fabs(model[4] - (1500 * 20.0 / 27 + 300)) < 0.5); /* 1411.1 */
  assert_int_equal(f.model, CM_BE_CROSSES);
  assert_true(fabs(f.s_model - (0.15 + 0.05 * 1.4 / 3)) < 1e-3); /* 0.17333 */
  assert_int_equal(f.sim, CM_BE_CROSSES);
  assert_true(fabs(f.s_sim - (0.15 + 0.05 * (1 - 1500.0 / 1578) /
                                       (1500.0 / 1411 - 1500.0 / 1578))) < 1e-4); /* 0.17197 */
  assert_true(f.agree);
}

/* A dense run of no cycle gives no rate P = F / T_dense: P is NAN (it was
 * taken as 1 flop a cycle and the notes read "P = 1 flops/cycle (F over
 * the dense run's cycles)"), nothing is fitted under it (P_eff,
 * T_overhead, the model's curve: NAN), the model's outcome is a poor fit
 * with no break-even, and it does not agree; the measured outcomes stand:
 * every sparse run takes cycles, a speedup of 0 over a dense run of none,
 * never a win. */
static void no_rate_from_zero_cycles(void **state) {
  (void)state;
  cm_be_point p[3] = {{0}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 0;
  for (int i = 0; i < 3; i++) {
    p[i].s = p[i].realized_s = 0.25 * i;
    p[i].sparse_cycles = 100;
    p[i].speedup = 0; /* 0 dense cycles over 100 */
    p[i].p_eff = 1e4;
  }
  double model[3] = {1, 1, 1};
  cm_be_fit_model(p, 3, 0.25, &f, model);
  assert_true(isnan(f.P));
  assert_true(isnan(f.P_eff));
  assert_true(isnan(f.T_overhead));
  for (int i = 0; i < 3; i++) assert_true(isnan(model[i]));
  assert_int_equal(f.model, CM_BE_POOR_FIT);
  assert_true(isnan(f.s_model));
  assert_int_equal(f.sim, CM_BE_NEVER);
  assert_false(f.agree);
  /* no flops: no rate either, whatever the cycles */
  cm_be_fit g = {0};
  g.BW = 1e30;
  g.t_dense = 1500;
  cm_be_fit_model(p, 3, 0.25, &g, NULL);
  assert_true(isnan(g.P));
  assert_int_equal(g.model, CM_BE_POOR_FIT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(roofline_by_hand), cmocka_unit_test(memory_bound_tail),
      cmocka_unit_test(one_point), cmocka_unit_test(never_breaks_even),
      cmocka_unit_test(flat_curve), cmocka_unit_test(wins_everywhere),
      cmocka_unit_test(peff_capped), cmocka_unit_test(energy_breakeven),
      cmocka_unit_test(peff_from_counters), cmocka_unit_test(counters_rejected),
      cmocka_unit_test(counters_above_p), cmocka_unit_test(mask_executes_all),
      cmocka_unit_test(flat_rounding), cmocka_unit_test(realized_sparsity),
      cmocka_unit_test(model_beyond_range), cmocka_unit_test(no_rate_from_zero_cycles)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
