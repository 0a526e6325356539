/*
 * test_cm_breakeven.c - the roofline and the break-even model of
 * costmodel/cm_breakeven.h on points made by hand from known parameters:
 * the fit recovers P_eff and T_overhead, the roots equal the hand
 * solutions, and the memory term binds where the hand calculation says.
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
  cm_be_point p[21];
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 100;
  f.xy_bytes = 5e4;
  f.t_dense = 1500;
  for (int i = 0; i < 21; i++) {
    double s = 0.05 * i, tc = 2000 * (1 - s), tm = 1000 * (1 - s) + 500;
    p[i].s = s;
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
   * Speedup 1500 / 1200 = 1.25 > 1 at the first point: both break-evens are
   * that point, s = 0.5. */
  cm_be_point p[1] = {{0.5, 1200, 0, 1.25}};
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  double model[1];
  cm_be_fit_model(p, 1, 0.1, &f, model);
  assert_true(fabs(f.P_eff - f.P) < 1e-9 * f.P);
  assert_true(fabs(f.T_overhead - 450) < 1e-6);
  assert_true(fabs(model[0] - 1200) < 1e-6);
  assert_true(f.s_sim == 0.5);
  assert_true(f.s_model == 0.5);
  assert_true(f.agree);
}

static void never_breaks_even(void **state) {
  (void)state;
  /* Every point slower than dense: T_sparse = 3000 (1 - s) + 2000 > 1500
   * for all s in [0, 0.9]; no break-even either way, and that agrees. */
  cm_be_point p[10];
  cm_be_fit f = {0};
  f.F = 1e6;
  f.BW = 1e30;
  f.t_dense = 1500;
  for (int i = 0; i < 10; i++) {
    p[i].s = 0.1 * i;
    p[i].storage_bytes = 0;
    p[i].sparse_cycles = (uint64_t)llround(3000 * (1 - p[i].s) + 2000);
    p[i].speedup = 1500.0 / (double)p[i].sparse_cycles;
  }
  cm_be_fit_model(p, 10, 0.1, &f, NULL);
  assert_true(isnan(f.s_sim));
  assert_true(isnan(f.s_model));
  assert_true(f.agree);
  assert_true(fabs(f.T_overhead - 2000) < 0.5);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(roofline_by_hand), cmocka_unit_test(memory_bound_tail),
      cmocka_unit_test(one_point), cmocka_unit_test(never_breaks_even)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
