/*
 * cm_area.c - area and leakage at 45 nm (cm_area.h): NanGate X1 cell areas
 * times the synthesized cell counts of cm_area_cells.c, over the core
 * utilization; SRAM from a CACTI 7.0 table.  Units: um^2 for cells, mm^2
 * for placed blocks and SRAMs, mW for leakage.
 */
#include "cm_area.h"

#include <math.h>

/* NangateOpenCellLibrary_typical.lib (FreePDK45, Open Cell Library v1.3),
 * `area` of each X1 cell, um^2. */
static const struct {
  const char *name;
  double um2;
} cells[CM_CELL_COUNT] = {
    [CM_CELL_INV] = {"INV_X1", 0.532},     [CM_CELL_BUF] = {"BUF_X1", 0.798},
    [CM_CELL_NAND2] = {"NAND2_X1", 0.798}, [CM_CELL_NOR2] = {"NOR2_X1", 0.798},
    [CM_CELL_AND2] = {"AND2_X1", 1.064},   [CM_CELL_OR2] = {"OR2_X1", 1.064},
    [CM_CELL_XOR2] = {"XOR2_X1", 1.596},   [CM_CELL_XNOR2] = {"XNOR2_X1", 1.596},
    [CM_CELL_MUX2] = {"MUX2_X1", 1.862},   [CM_CELL_DFF] = {"DFF_X1", 4.522},
};

const char *cm_cell_name(cm_cell c) { return c < CM_CELL_COUNT ? cells[c].name : "?"; }
double cm_cell_area_um2(cm_cell c) { return c < CM_CELL_COUNT ? cells[c].um2 : 0; }

double cm_area_row_cell_um2(const cm_area_row *r) {
  double a = 0;
  for (int c = 0; c < CM_CELL_COUNT; c++) a += (double)r->cells[c] * cells[c].um2;
  return a;
}

double cm_area_unit_cell_um2(cm_area_unit u, unsigned param) {
  size_t n;
  const cm_area_row *t = cm_area_rows(&n);
  const cm_area_row *row[64];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 64; i++)
    if (t[i].unit == u) row[k++] = &t[i];
  if (!k || !param) return 0;
  if (u == CM_UNIT_PE || u == CM_UNIT_MAC || u == CM_UNIT_MUL) {
    for (size_t i = 0; i < k; i++)
      if (row[i]->param >= param) return cm_area_row_cell_um2(row[i]);
    return 0;
  }
  if (k == 1) return cm_area_row_cell_um2(row[0]) * param / row[0]->param;
  size_t i = 1;
  while (i + 1 < k && row[i]->param < param) i++;
  double x0 = row[i - 1]->param, x1 = row[i]->param;
  double y0 = cm_area_row_cell_um2(row[i - 1]), y1 = cm_area_row_cell_um2(row[i]);
  double y = y0 + (y1 - y0) * ((double)param - x0) / (x1 - x0);
  return y > 0 ? y : 0;
}

double cm_area_logic_mm2(double cell_um2) { return cell_um2 / CM_AREA_UTILIZATION * 1e-6; }

double cm_area_logic_leakage_mw(double cell_um2) {
  return cell_um2 * CM_AREA_LEAK_NW_PER_UM2 * 1e-6;
}

/* CACTI 7.0 at 45 nm (cm_area.h's settings): size, the data array's area
 * ("Data array: Area (mm2)") and the bank's leakage ("Total leakage power
 * of a bank (mW)"), as CACTI printed them. */
static const struct {
  double kb, mm2, leak_mw;
} sram[] = {
    {1, 0.00609436, 0.684104},  {2, 0.00939256, 1.31568},  {4, 0.0159846, 2.59245},
    {8, 0.0312118, 4.80654},    {16, 0.0567377, 9.51025},  {32, 0.109648, 17.8575},
    {64, 0.212119, 32.6644},    {128, 0.466709, 65.3288},  {256, 0.977111, 130.658},
    {512, 1.93343, 261.315},    {1024, 3.88963, 522.63},   {2048, 7.02196, 1041.74},
};
enum { NSRAM = sizeof sram / sizeof sram[0] };

/* Interpolates column `leak` (0: area, 1: leakage) at bytes. */
static double sram_lookup(double bytes, int leak) {
  if (!(bytes > 0)) return 0;
  double kb = bytes / 1024.0;
#define COL(i) (leak ? sram[i].leak_mw : sram[i].mm2)
  if (kb <= sram[0].kb) return COL(0) * kb / sram[0].kb;
  if (kb >= sram[NSRAM - 1].kb) return COL(NSRAM - 1) * kb / sram[NSRAM - 1].kb;
  size_t i = 1;
  while (sram[i].kb < kb) i++;
  double t = log(kb / sram[i - 1].kb) / log(sram[i].kb / sram[i - 1].kb);
  return exp(log(COL(i - 1)) + t * (log(COL(i)) - log(COL(i - 1))));
#undef COL
}

double cm_area_sram_mm2(double bytes) { return sram_lookup(bytes, 0); }
double cm_area_sram_leakage_mw(double bytes) { return sram_lookup(bytes, 1); }
