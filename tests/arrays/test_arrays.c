/*
 * test_arrays.c - the bit-serial (BISMO) and XNOR (FINN) array models
 * against published figures and hand calculations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bs_array.h"
#include "xnor_array.h"

static void bismo_peak(void **state) {
  (void)state;
  /* BISMO's published instance, 8 x 256 x 8 at 200 MHz:
   * 2 * 8 * 256 * 8 * 200e6 = 6.5536e12 binary ops/s (its README: 6.5 TOPS),
   * and b_a x b_w times fewer multi-bit ops. */
  bs_config c = bs_config_bismo();
  assert_float_equal(bs_peak_binary_ops(&c), 6.5536e12, 1e3);
  assert_float_equal(bs_peak_ops(&c, 2, 2), 6.5536e12 / 4, 1e3);
  assert_float_equal(bs_peak_ops(&c, 8, 4), 6.5536e12 / 32, 1e3);
}

static void bitserial_cycles_by_hand(void **state) {
  (void)state;
  /* GEMM 16 x 512 x 16 (M x K x N) at 3:2 bits on 8 x 256 x 8:
   * tiles 2 x 2 = 4, K slices 512/256 = 2, plane pairs 6: 48 execute cycles;
   * a tile executes 12 cycles >= Dm = 8, so results hide; fill 11 once. */
  bs_config c = bs_config_bismo();
  wl_layer l = wl_gemm("g", 16, 16, 512);
  l.w = (wl_prec){3, false};
  l.a = (wl_prec){2, false};
  bs_stats s;
  em_diag d;
  assert_int_equal(bs_layer(&c, &l, &s, &d), EM_OK);
  assert_int_equal(s.tiles, 4);
  assert_int_equal(s.compute_cycles, 48);
  assert_int_equal(s.total_cycles, 48 + 11);
  /* Binary ops: 2 * 16*16*512 products * 6 plane pairs. */
  assert_int_equal(s.binary_ops, 2ull * 16 * 16 * 512 * 6);
  /* fp operands are refused, naming the layer. */
  l.w = (wl_prec){16, true};
  assert_int_equal(bs_layer(&c, &l, &s, &d), EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "layer 'g'"));
}

static void finn_three_layer_mlp(void **state) {
  (void)state;
  /* A binary MLP 784-256-256-10 (FINN's SFC shape, three weight layers
   * after the input) on PE 16 x SIMD 16, one image:
   *   fc1: (256/16) * (784/16) = 16 * 49 = 784 cycles
   *   fc2: (256/16) * (256/16) = 16 * 16 = 256
   *   fc3: ceil(10/16) * (256/16) = 1 * 16 = 16
   * 1,056 cycles in all; with 2-bit activations every layer takes 2 passes. */
  xnor_config c = {16, 16, 200};
  wl_layer l[3] = {wl_fc("fc1", 784, 256), wl_fc("fc2", 256, 256), wl_fc("fc3", 256, 10)};
  const uint64_t want[3] = {784, 256, 16};
  uint64_t total = 0;
  em_diag d;
  for (int i = 0; i < 3; i++) {
    l[i].w = l[i].a = (wl_prec){1, false};
    xnor_stats s;
    assert_int_equal(xnor_layer(&c, &l[i], &s, &d), EM_OK);
    assert_int_equal(s.cycles, want[i]);
    total += s.cycles;
    l[i].a.bits = 2;
    assert_int_equal(xnor_layer(&c, &l[i], &s, &d), EM_OK);
    assert_int_equal(s.cycles, 2 * want[i]);
  }
  assert_int_equal(total, 1056);
  /* Multi-bit weights: refused with the layer's name. */
  l[0].w.bits = 4;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &l[0], &s, &d), EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "layer 'fc1'"));
  assert_non_null(strstr(d.msg, "binary weights"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bismo_peak),
      cmocka_unit_test(bitserial_cycles_by_hand),
      cmocka_unit_test(finn_three_layer_mlp),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
