/*
 * test_bitserial_acc.c - the bit-serial array's accumulator width through
 * the model table: BISMO sums a result's K products in one accumulator of
 * a fixed 32 bits (bs_config_bismo's acc_bits, BISMO's accWidth), so a
 * layer whose results need b_o = b_w + b_a + ceil(log2 K) bits past 32 is
 * refused the same way by the up-front check (hw_point_check_layer), a run
 * (hw_point_run) and a sparse point (hw_point_sparse).  Every figure below
 * is worked by hand in its comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bs_array.h"
#include "cm_energy.h"
#include "cm_sparse.h"
#include "hw_model.h"

static cm_energy_table *et;
static hw_point *bismo;

static int setup(void **state) {
  (void)state;
  em_diag d;
  if (cm_energy_table_default(&et, &d) != EM_OK) return -1;
  return hw_point_create(hw_model_find("bitserial"), NULL, NULL, 0, et, &bismo, &d) == EM_OK
             ? 0
             : -1;
}

static int teardown(void **state) {
  (void)state;
  hw_point_destroy(bismo);
  cm_energy_table_destroy(et);
  return 0;
}

static wl_layer at(wl_layer l, unsigned w, unsigned a) {
  l.w = (wl_prec){(uint8_t)w, false};
  l.a = (wl_prec){(uint8_t)a, false};
  return l;
}

/* Whether the check, a run and a dense sparse point (the break-even
 * sweep's reference) all accept l, or all refuse it with EM_ERR_UNSUPPORTED
 * and `need` (e.g. "a 33-bit accumulator") in the message. */
static void expect(const wl_layer *l, const char *need) {
  em_diag d;
  hw_result r;
  hw_sparse_info x;
  hw_sparse_case c = {.layer = l};
  assert_true(cm_sparse_spec_parse("bsr256", &c.fmt));
  em_status want = need ? EM_ERR_UNSUPPORTED : EM_OK;
  em_status got[3];
  em_diag_clear(&d);
  got[0] = hw_point_check_layer(bismo, l, &d);
  if (need) assert_non_null(strstr(d.msg, need));
  em_diag_clear(&d);
  got[1] = hw_point_run(bismo, l, &r, NULL, &d);
  if (need) assert_non_null(strstr(d.msg, need));
  if (!need) assert_true(r.ran && r.cycles > 0);
  em_diag_clear(&d);
  got[2] = hw_point_sparse(bismo, &c, &r, &x, &d);
  if (need) assert_non_null(strstr(d.msg, need));
  for (int i = 0; i < 3; i++) assert_int_equal(got[i], want);
}

/* 16:16 over K = 2: 16 + 16 + ceil(log2 2) = 33 > 32, refused; 16:15 over
 * K = 2: 16 + 15 + 1 = 32, runs. */
static void widths_at_k2(void **state) {
  (void)state;
  wl_layer l = at(wl_gemm("g", 8, 8, 2), 16, 16);
  expect(&l, "over K = 2 need a 33-bit accumulator (16 + 16 + ceil(log2 2)), wider than the "
             "bit-serial array's 32 bits");
  l = at(wl_gemm("g", 8, 8, 2), 16, 15);
  expect(&l, NULL);
}

/* 8:8 over K = 65536 = 2^16: 8 + 8 + 16 = 32, runs; over K = 65537:
 * ceil(log2 65537) = 17, 33 bits, refused. */
static void int8_long_k(void **state) {
  (void)state;
  wl_layer l = at(wl_gemm("g", 8, 8, 65536), 8, 8);
  expect(&l, NULL);
  l = at(wl_gemm("g", 8, 8, 65537), 8, 8);
  expect(&l, "layer 'g': weights int8 and activations int8 over K = 65537 need a 33-bit");
}

/* A result sums one group's products: a 3 x 3 convolution over 8192
 * channels has K = 9 x 8192 = 73728 (ceil(log2) 17: 33 bits at 8:8,
 * refused); in 2 groups K = 9 x 4096 = 36864 (ceil(log2) 16: 32 bits,
 * runs). */
static void grouped_k(void **state) {
  (void)state;
  wl_layer l = at(wl_conv("c", 3, 3, 8192, 3, 8, 1, 0, 1), 8, 8);
  expect(&l, "over K = 73728 need a 33-bit accumulator");
  l = at(wl_conv("c", 3, 3, 8192, 3, 8, 1, 0, 2), 8, 8);
  expect(&l, NULL);
}

/* AlexNet's widest reduction, FC-1's K = 9216 (6 x 6 x 256): at 8:8, 8 +
 * 8 + ceil(log2 9216) = 8 + 8 + 14 = 30 bits, within 32 (the study's
 * int8 AlexNet runs as before). */
static void alexnet_fc1(void **state) {
  (void)state;
  wl_layer l = at(wl_fc("FC-1", 9216, 4096), 8, 8);
  expect(&l, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(widths_at_k2),
      cmocka_unit_test(int8_long_k),
      cmocka_unit_test(grouped_k),
      cmocka_unit_test(alexnet_fc1),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
