/*
 * test_synth.c - Yosys gate counts of the multiplier and the adder by width
 * (rtl/verilog/emlsim_syn_units.v): the study book's claim that a
 * multiplier grows with N^2 and an adder with N, as REFERENCES.md measured
 * it with Yosys 0.23 (mult 7/65/334/1491/6199, add 7/17/38/82/172 cells).
 * Ratios per doubling must lie in [3.5, 5.5] for the multiplier (from 4 bits
 * on: 2 bits is 7 cells of wiring) and [1.8, 2.6] for the adder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "rtl_synth.h"

static void gate_counts_scale(void **state) {
  (void)state;
  static const unsigned w[5] = {2, 4, 8, 16, 32};
  uint64_t mul[5], add[5];
  const char *v = EMLSIM_RTL_VERILOG_DIR "/emlsim_syn_units.v";
  em_diag d;
  /* Any failure fails: Yosys missing (a declared dependency, Makefile
   * DEB_PACKAGES: `make deps` installs it, as gnuplot and mpirun, whose
   * absence fails their tests too), a unit that no longer synthesizes, or a
   * stat whose cell count is not read (it skipped on all three and passed). */
  for (int i = 0; i < 5; i++) {
    if (rtl_synth_cells("yosys", v, "emlsim_syn_mul", w[i], &mul[i], &d) != EM_OK ||
        rtl_synth_cells("yosys", v, "emlsim_syn_add", w[i], &add[i], &d) != EM_OK) {
      em_diag_print(&d, stderr);
      fail_msg("no cell counts from yosys at width %u (Debian package yosys)", w[i]);
    }
  }
  for (int i = 1; i < 5; i++) {
    double rm = (double)mul[i] / mul[i - 1], ra = (double)add[i] / add[i - 1];
    if (i >= 2) {
      assert_true(rm >= 3.5);
      assert_true(rm <= 5.5);
    }
    assert_true(ra >= 1.8);
    assert_true(ra <= 2.6);
  }
  /* REFERENCES.md: 8x8 multiplier 334 cells with Yosys 0.23 (within 2 %). */
  assert_true(mul[2] >= 327 && mul[2] <= 341);
  /* And every row of REFERENCES.md's table (Yosys 0.23, `synth -flatten;
   * abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; stat`), each within 2 %: mult
   * 7/65/334/1491/6199, add 7/17/38/82/172 cells at 2/4/8/16/32 bits. */
  static const double ref_mul[5] = {7, 65, 334, 1491, 6199}, ref_add[5] = {7, 17, 38, 82, 172};
  for (int i = 0; i < 5; i++) {
    assert_true(fabs((double)mul[i] / ref_mul[i] - 1) <= 0.02);
    assert_true(fabs((double)add[i] / ref_add[i] - 1) <= 0.02);
  }
  double em = rtl_scaling_exponent(w + 1, mul + 1, 4), ea = rtl_scaling_exponent(w + 1, add + 1, 4);
  assert_true(em > 1.8 && em < 2.4);
  assert_true(ea > 0.9 && ea < 1.2);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(gate_counts_scale)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
