/*
 * test_quant_rtl.c - the quantized inference path and the RTL MAC agree bit
 * for bit: operands of sampled layer computations of a quantized MLP (int8
 * and int4, per-channel, symmetric and asymmetric) are clocked through the
 * Verilated 16-bit signed MAC, and its accumulator equals the inference
 * path's sum of mac_step products.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "mac_arith.h"
#include "nn_mlp.h"
#include "rtl_units.h"

static void quantized_layers_on_rtl(void **state) {
  (void)state;
  /* a 64-48-32-10 MLP with seeded weights on 20 seeded 8 x 8 images */
  wl_dataset ds;
  ds.n = 20;
  ds.rows = ds.cols = 8;
  ds.pixels = malloc(20 * 64);
  ds.labels = calloc(20, 1);
  srand(5);
  for (int i = 0; i < 20 * 64; i++) ds.pixels[i] = (uint8_t)(rand() % 256);
  unsigned dims[4] = {64, 48, 32, 10};
  nn_mlp m;
  em_diag d;
  assert_int_equal(nn_mlp_init(&m, dims, 3, 11, &d), EM_OK);
  rtl_units *u = rtl_create();
  assert_non_null(u);
  const rtl_mac_info *mi = rtl_mac_info_of(RTL_MAC_S16);
  nn_input in = {1, 0};
  static const struct {
    unsigned bits;
    cm_qscheme ws;
  } cfgs[] = {{8, CM_Q_SYMMETRIC}, {8, CM_Q_ASYMMETRIC}, {4, CM_Q_SYMMETRIC}};
  unsigned checked = 0;
  for (size_t c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
    nn_qcfg qc = {NN_Q_INT, cfgs[c].bits, cfgs[c].bits, true, cfgs[c].ws, CM_CALIB_MINMAX, 99.99,
                  false, 0.05};
    nn_qmodel *q;
    assert_int_equal(nn_quantize(&m, &qc, &ds, 20, in, &q, &d), EM_OK);
    for (unsigned l = 0; l < 3; l++)
      for (unsigned s = 0; s < 6; s++) {
        uint32_t a[64], w[64];
        unsigned k, wa, wb;
        int64_t acc;
        size_t img = (s * 7 + l) % ds.n;
        unsigned row = (s * 5 + c) % dims[l + 1];
        assert_int_equal(
            nn_qmodel_operands(q, &ds, in, img, l, row, a, w, &k, &wa, &wb, &acc, &d), EM_OK);
        assert_true(wa <= mi->wa && wb <= mi->wb);
        uint64_t r = 0;
        for (unsigned i = 0; i < k; i++) {
          /* the operands sign-extended to the 16-bit unit's width */
          uint32_t aa = (uint32_t)mac_extend(a[i], wa, true) & 0xFFFFu;
          uint32_t ww = (uint32_t)mac_extend(w[i], wb, true) & 0xFFFFu;
          r = rtl_mac_step(u, RTL_MAC_S16, aa, ww, i == 0);
        }
        assert_int_equal(mac_extend(r, mi->acc_bits, true), acc);
        checked++;
      }
    nn_qmodel_free(q);
  }
  printf("  %u layer computations equal on the RTL MAC\n", checked);
  assert_int_equal(checked, 54);
  rtl_destroy(u);
  nn_mlp_free(&m);
  free(ds.pixels);
  free(ds.labels);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(quantized_layers_on_rtl)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
