/*
 * test_area.c - the area model (costmodel/cm_area.h) and its use by the
 * model table (hw_point_area, HW_E_STATIC), against hand calculations from
 * the NanGate X1 cell areas (INV 0.532, NAND2/NOR2/BUF 0.798, AND2/OR2
 * 1.064, XOR2/XNOR2 1.596, MUX2 1.862, DFF 4.522 um^2), the CACTI 7.0 rows,
 * and published figures; and the three-objective Pareto front against a
 * brute-force one.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cm_area.h"
#include "cm_energy.h"
#include "cm_pareto.h"
#include "hw_model.h"

#define NEAR(a, b, rel) assert_true(fabs((double)(a) - (double)(b)) <= (rel) * fabs((double)(b)))

static const cm_area_row *row_of(cm_area_unit u, unsigned param) {
  size_t n;
  const cm_area_row *t = cm_area_rows(&n);
  for (size_t i = 0; i < n; i++)
    if (t[i].unit == u && t[i].param == param) return &t[i];
  fail_msg("no row for unit %d at %u", (int)u, param);
  return NULL;
}

/* The 8 x 8 multiplier: NAND2 144, AND2 82, OR2 4, XOR2 90, XNOR2 14, MUX2 1
 *   144 x 0.798 + 86 x 1.064 + 104 x 1.596 + 1.862
 *   = 114.912 + 91.504 + 165.984 + 1.862 = 374.262 um^2.
 * Horowitz (ISSCC 2014, 45 nm): an 8-bit multiplier 282 um^2, 32-bit 3495;
 * ours is within 2x of both (two-input gates only: no full-adder or Booth
 * cells), and grows about quadratically: 32 bits / 8 bits in [12, 20]
 * (N^2: 16; Horowitz's 12.4). */
static void multiplier_area(void **state) {
  (void)state;
  const cm_area_row *m8 = row_of(CM_UNIT_MUL, 8);
  assert_int_equal(m8->cells[CM_CELL_NAND2], 144);
  NEAR(cm_area_row_cell_um2(m8), 374.262, 1e-9);
  double a8 = cm_area_unit_cell_um2(CM_UNIT_MUL, 8), a32 = cm_area_unit_cell_um2(CM_UNIT_MUL, 32);
  assert_true(a8 >= 282.0 && a8 <= 2 * 282.0);
  assert_true(a32 >= 3495.0 && a32 <= 2 * 3495.0);
  assert_true(a32 / a8 >= 12 && a32 / a8 <= 20);
  /* a width between rows takes the next wider unit; none beyond 32 bits */
  NEAR(cm_area_unit_cell_um2(CM_UNIT_MUL, 5), a8, 1e-12);
  assert_true(cm_area_unit_cell_um2(CM_UNIT_MUL, 33) == 0);
}

/* The int8 PE (emlsim_pe.v, 32-bit accumulator): INV 40, NAND2 411, NOR2 22,
 * AND2 273, OR2 95, XOR2 175, XNOR2 59, MUX2 46, DFF 51 (8 + 8 operand
 * registers, 32 accumulator, 3 flags)
 *   21.280 + 327.978 + 17.556 + 290.472 + 101.080 + 279.300 + 94.164
 *   + 85.652 + 230.622 = 1448.104 um^2. */
static void pe_area(void **state) {
  (void)state;
  const cm_area_row *pe = row_of(CM_UNIT_PE, 8);
  assert_int_equal(pe->cells[CM_CELL_DFF], 8 + 8 + 32 + 3);
  NEAR(cm_area_unit_cell_um2(CM_UNIT_PE, 8), 1448.104, 1e-9);
}

/* CACTI 7.0, 45 nm: 64 KB, 0.212119 mm^2 and 32.6644 mW as printed; 48 KB
 * log-log between 32 KB (0.109648) and 64 KB: t = ln 1.5 / ln 2 = 0.584963,
 * 0.109648 x (0.212119 / 0.109648)^t = 0.161302 mm^2. A 6T cell of Intel's
 * 45 nm process is 0.346 um^2 (Mistry et al., IEDM 2007): 64 KB of cells
 * alone, 524,288 x 0.346 = 0.1814 mm^2, below CACTI's array with its
 * periphery, and above 70 % of it. */
static void sram_area(void **state) {
  (void)state;
  NEAR(cm_area_sram_mm2(65536), 0.212119, 1e-12);
  NEAR(cm_area_sram_leakage_mw(65536), 32.6644, 1e-12);
  NEAR(cm_area_sram_mm2(48 * 1024), 0.161302, 1e-5);
  double cells = 524288 * 0.346e-6;
  assert_true(cm_area_sram_mm2(65536) > cells && cells > 0.7 * cm_area_sram_mm2(65536));
  /* linear beyond the table: 4 MB is two 2 MB banks */
  NEAR(cm_area_sram_mm2(4096.0 * 1024), 2 * 7.02196, 1e-12);
  assert_true(cm_area_sram_mm2(0) == 0);
}

/* Leakage density: INV_X1's 14.353185 nW over 0.532 um^2 = 26.9797 nW/um^2;
 * 1000 um^2 of cells leak 0.0269797 mW. Placed: 1000 um^2 / 0.5 = 0.002 mm^2. */
static void logic_leakage(void **state) {
  (void)state;
  NEAR(cm_area_logic_leakage_mw(1000), 0.0269797, 1e-5);
  NEAR(cm_area_logic_mm2(1000), 0.002, 1e-12);
}

static hw_point *point(const char *model, const char *const *sets, size_t n,
                       const cm_energy_table *et) {
  hw_point *p = NULL;
  em_diag d;
  if (hw_point_create(hw_model_find(model), NULL, sets, n, et, &p, &d) != EM_OK)
    fail_msg("%s", d.msg);
  return p;
}

/* SCALE-Sim's default 32 x 32 array, three 64 KB SRAMs, int8:
 *   logic 1024 x 1448.104 um^2 = 1,482,858.5 um^2 of cells, / 0.5 = 2.965717 mm^2
 *   SRAM  3 x 0.212119 = 0.636357 mm^2;  total 3.602074 mm^2
 *   leakage 1,482,858.5 x 26.9797 nW = 40.0071 mW + 3 x 32.6644 = 138.0002 mW.
 * An 8 x 8 array on a 64 x 64 x 64 GEMM (os): 4991 cycles at 1 GHz (the
 * sweep's hand.spec), logic 64 x 1448.104 = 92,678.66 um^2, leakage
 * 2.50044 + 97.9932 = 100.4936 mW, static energy 100.4936 mW x 4.991 us
 * = 501.56 nJ = 501,564 pJ. */
static void systolic_point(void **state) {
  (void)state;
  cm_energy_table *et;
  em_diag d;
  assert_int_equal(cm_energy_table_default(&et, &d), EM_OK);
  hw_point *p = point("systolic", NULL, 0, et);
  hw_area a;
  hw_point_area(p, NULL, &a);
  NEAR(a.logic_mm2, 2.965717, 1e-6);
  NEAR(a.sram_mm2, 0.636357, 1e-6);
  NEAR(a.total_mm2, 3.602074, 1e-6);
  NEAR(a.leakage_mw, 138.0002, 1e-6);
  assert_int_equal(a.node_nm, 45);
  hw_point_destroy(p);

  const char *s8[] = {"rows=8", "cols=8", "dataflow=os"};
  p = point("systolic", s8, 3, et);
  wl_layer l = wl_gemm("g", 64, 64, 64);
  l.w = l.a = (wl_prec){8, false};
  hw_result r;
  assert_int_equal(hw_point_run(p, &l, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 4991);
  NEAR(r.energy_pj[HW_E_STATIC], 501564.0, 1e-5);
  NEAR(r.area_mm2, 64 * 1448.104 / 0.5e6 + 0.636357, 1e-6);
  /* the total keeps the area, not a sum of it */
  hw_result tot = {0};
  assert_int_equal(hw_result_add(&tot, &r, &d), EM_OK);
  assert_int_equal(hw_result_add(&tot, &r, &d), EM_OK);
  NEAR(tot.area_mm2, r.area_mm2, 1e-12);
  /* and counts that pass 2^64 - 1 are an error, not a wrapped total */
  hw_result big = r;
  big.macs = UINT64_MAX / 2 + 1; /* twice that is 2^64 */
  tot = (hw_result){0};
  assert_int_equal(hw_result_add(&tot, &big, &d), EM_OK);
  assert_int_equal(hw_result_add(&tot, &big, &d), EM_ERR_OVERFLOW);
  assert_non_null(strstr(d.msg, "network totals overflow 64 bits"));
  /* int4 operands take the 4-bit PE: smaller than the int8 one */
  l.w = l.a = (wl_prec){4, false};
  hw_result r4;
  assert_int_equal(hw_point_run(p, &l, &r4, NULL, &d), EM_OK);
  assert_true(r4.area_mm2 < r.area_mm2);
  hw_point_destroy(p);
  cm_energy_table_destroy(et);
}

/* BISMO 8 x 256 x 8: 64 DPUs of emlsim_bitserial at K = 256, 10,556.742 um^2
 * of cells each (INV 19, NAND2 3952, NOR2 141, AND2 2225, OR2 659, XOR2 530,
 * XNOR2 75, MUX2 1656, DFF 36), / 0.5: 1.351263 mm^2; buffers of 256 KB a
 * side in 8 SRAMs of 32 KB: 16 x 0.109648 = 1.754368 mm^2.
 * The XNOR unit, 32 PEs of 32 lanes (238.602 um^2 each): 0.015271 mm^2 of
 * logic; on a 64 x 64 binary FC layer its weights, 512 bytes, add an SRAM of
 * 0.5 KB: half of CACTI's 1 KB, 0.00304718 mm^2. GPU: V100's 815 mm^2. */
static void other_points(void **state) {
  (void)state;
  cm_energy_table *et;
  em_diag d;
  assert_int_equal(cm_energy_table_default(&et, &d), EM_OK);
  hw_point *p = point("bitserial", NULL, 0, et);
  hw_area a;
  hw_point_area(p, NULL, &a);
  NEAR(a.logic_mm2, 1.351263, 1e-6);
  NEAR(a.sram_mm2, 1.754368, 1e-6);
  hw_point_destroy(p);

  p = point("xnor", NULL, 0, et);
  hw_point_area(p, NULL, &a);
  NEAR(a.logic_mm2, 0.015271, 1e-4);
  assert_true(a.sram_mm2 == 0);
  wl_layer l = wl_gemm("fc", 1, 64, 64);
  l.w = (wl_prec){1, false};
  l.a = (wl_prec){1, false};
  hw_point_area(p, &l, &a);
  NEAR(a.sram_mm2, 0.00304718, 1e-6);
  hw_point_destroy(p);

  p = point("simt", NULL, 0, et);
  hw_point_area(p, NULL, &a);
  assert_true(a.total_mm2 == 815 && a.node_nm == 12 && a.leakage_mw == 0);
  hw_point_destroy(p);

  p = point("analytic", NULL, 0, et);
  hw_point_area(p, NULL, &a);
  assert_true(a.total_mm2 == 0);
  hw_point_destroy(p);
  cm_energy_table_destroy(et);
}

/* The O(n log n) three-objective front equals the definition, checked pair
 * by pair, on points drawn from few values (many ties and exact copies). */
static void pareto3_brute(void **state) {
  (void)state;
  enum { N = 600 };
  static double v[3 * N];
  static uint8_t skip[N], f[N];
  srand(7);
  for (int round = 0; round < 20; round++) {
    for (int i = 0; i < 3 * N; i++) v[i] = (double)(rand() % (round + 2));
    for (int i = 0; i < N; i++) skip[i] = rand() % 10 == 0;
    assert_int_equal(cm_pareto_front(v, N, 3, skip, f), 0);
    for (int i = 0; i < N; i++) {
      if (skip[i]) {
        assert_int_equal(f[i], 0);
        continue;
      }
      int dom = 0;
      for (int q = 0; q < N && !dom; q++) {
        if (q == i || skip[q]) continue;
        const double *a = v + 3 * q, *b = v + 3 * i;
        dom = a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2] &&
              (a[0] < b[0] || a[1] < b[1] || a[2] < b[2]);
      }
      assert_int_equal(f[i], !dom);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(multiplier_area), cmocka_unit_test(pe_area),
      cmocka_unit_test(sram_area),       cmocka_unit_test(logic_leakage),
      cmocka_unit_test(systolic_point),  cmocka_unit_test(other_points),
      cmocka_unit_test(pareto3_brute)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
