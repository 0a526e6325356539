/*
 * test_area_cells.c - the generated cell table of the area model
 * (costmodel/cm_area_cells.c, written by rtl/gen_area_cells.sh) is what
 * Yosys gives on our RTL today: every row re-synthesized through
 * rtl_synth_gate_counts and compared cell type by cell type. Fails
 * without Yosys (a declared dependency), as on any synthesis error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cm_area.h"
#include "rtl_synth.h"

static void table_is_yosys(void **state) {
  (void)state;
  size_t n;
  const cm_area_row *t = cm_area_rows(&n);
  assert_true(n >= 20);
  for (size_t i = 0; i < n; i++) {
    char v[1024];
    snprintf(v, sizeof v, "%s/%s", EMLSIM_RTL_VERILOG_DIR, t[i].verilog);
    rtl_gate_counts g;
    em_diag d;
    em_status st = rtl_synth_gate_counts("yosys", v, t[i].module, t[i].params, &g, &d);
    /* any failure fails, Yosys missing too: it is a declared dependency
     * (Makefile DEB_PACKAGES), and a unit that no longer synthesizes read
     * as "no Yosys" and skipped */
    if (st != EM_OK) {
      em_diag_print(&d, stderr);
      fail_msg("%s (%s): no cell counts from yosys (Debian package yosys)", t[i].module,
               t[i].params);
    }
    const uint64_t got[CM_CELL_COUNT] = {g.not_, g.buf, g.nand, g.nor,  g.and_,
                                         g.or_,  g.xor_, g.xnor, g.mux, g.dff};
    for (int c = 0; c < CM_CELL_COUNT; c++) {
      if (got[c] != t[i].cells[c])
        fail_msg("%s (%s): %s %llu in the table, yosys gives %llu", t[i].module, t[i].params,
                 cm_cell_name((cm_cell)c), (unsigned long long)t[i].cells[c],
                 (unsigned long long)got[c]);
    }
    assert_int_equal(g.other, 0); /* every cell maps onto a NanGate one */
  }
}

/* A malformed parameter text never reaches the shell. */
static void bad_params(void **state) {
  (void)state;
  rtl_gate_counts g;
  em_diag d;
  assert_int_equal(rtl_synth_gate_counts("yosys", "x.v", "m", "W=8;rm -rf x", &g, &d),
                   EM_ERR_INVALID);
  assert_int_equal(rtl_synth_gate_counts("yosys", "x.v", "m", "W=", &g, &d), EM_ERR_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(bad_params),
                                     cmocka_unit_test(table_is_yosys)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
