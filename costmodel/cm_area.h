/*
 * cm_area.h - silicon area, and leakage from it, at 45 nm: logic from our own
 * RTL synthesized with Yosys and mapped onto a standard-cell library, on-chip
 * SRAM from a CACTI-derived table.
 *
 * Logic: each unit of rtl/verilog (the systolic PE, the MAC, the bare
 * multiplier, the bit-serial dot-product unit, the XNOR/popcount unit) at
 * each width was synthesized with Yosys 0.23,
 *   synth -flatten; dfflegalize -cell $_DFF_P_ x;
 *   abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean; stat
 * and its generic cells are counted in a generated table (cm_area_cells.c,
 * checked against Yosys by tests/rtl/test_area_cells.c).  Each generic cell
 * is one X1 cell of the NanGate 45 nm Open Cell Library (FreePDK45,
 * NangateOpenCellLibrary_typical.lib, v1.3): INV 0.532, BUF 0.798, NAND2
 * 0.798, NOR2 0.798, AND2 1.064, OR2 1.064, XOR2 1.596, XNOR2 1.596, MUX2
 * 1.862, DFF 4.522 um^2.  Placed area is the cells' area over a core
 * utilization of 0.5 (OpenROAD-flow-scripts' NanGate45 designs: gcd 55 %,
 * ibex 50 %, jpeg 45 %, flow/designs/nangate45/<design>/config.mk).
 *
 * SRAM: CACTI 7.0 (HewlettPackard/cacti, commit 1ffd8df), run here on a
 * single-bank scratch RAM ("ram"), 16-byte lines, one read-write port,
 * direct mapped, 45 nm, itrs-hp cells and periphery, 300 K, ED^2 optimized:
 * the data array's area and the bank's total leakage at 1 KB .. 2 MB.
 *
 * Leakage of logic: 26.98 nW per um^2 of cell area, NanGate's INV_X1
 * (cell_leakage_power 14.353185 nW over 0.532 um^2, typical corner, 1.1 V,
 * 25 C).
 *
 * Left out: wiring beyond placement whitespace, the clock tree, I/O pads,
 * control and DMA engines, power grid.
 */
#ifndef CM_AREA_H
#define CM_AREA_H

#include <stddef.h>
#include <stdint.h>

/* The NanGate X1 cells a generic Yosys cell maps onto. */
typedef enum {
  CM_CELL_INV,
  CM_CELL_BUF,
  CM_CELL_NAND2,
  CM_CELL_NOR2,
  CM_CELL_AND2,
  CM_CELL_OR2,
  CM_CELL_XOR2,
  CM_CELL_XNOR2,
  CM_CELL_MUX2,
  CM_CELL_DFF,
  CM_CELL_COUNT
} cm_cell;

/* Cell name ("NAND2_X1") and area, um^2. */
const char *cm_cell_name(cm_cell c);
double cm_cell_area_um2(cm_cell c);

/* The synthesized units. */
typedef enum {
  CM_UNIT_PE,        /* emlsim_pe: WA = WB = param, ACC = 2 param + 16, signed */
  CM_UNIT_MAC,       /* emlsim_mac: WA = WB = param, LOG2_TERMS = 16, signed */
  CM_UNIT_MUL,       /* emlsim_syn_mul: unsigned param x param multiplier */
  CM_UNIT_BITSERIAL, /* emlsim_bitserial: K = param bits, MAXB = 8 */
  CM_UNIT_XNOR,      /* emlsim_xnor: W = param lanes */
  CM_UNIT_COUNT
} cm_area_unit;

/* One row of the generated table: a unit at one parameter, the Yosys recipe
 * that gives it (file in rtl/verilog, top module, parameters) and its cells. */
typedef struct {
  cm_area_unit unit;
  unsigned param;
  const char *verilog; /* file name under rtl/verilog */
  const char *module;
  const char *params;  /* "WA=8,WB=8,ACC=32,SIGNED=1" */
  uint64_t cells[CM_CELL_COUNT];
} cm_area_row;

/* The table (cm_area_cells.c), sorted by unit then param; n gets its size. */
const cm_area_row *cm_area_rows(size_t *n);

/* Core utilization of placed logic (see above). */
#define CM_AREA_UTILIZATION 0.5
/* Logic leakage, nW per um^2 of cell area (NanGate INV_X1, see above). */
#define CM_AREA_LEAK_NW_PER_UM2 (14.353185 / 0.532)

/* The cells' area of a row, um^2 (no utilization). */
double cm_area_row_cell_um2(const cm_area_row *r);

/* The cell area, um^2, of unit u built for `param` (a width in bits, or K /
 * W lanes): PE, MAC and multiplier round param up to the next synthesized
 * width (a unit built for 8 bits runs 5); the bit-serial and XNOR units,
 * whose area grows linearly with their lanes, interpolate linearly between
 * the two nearest rows and extrapolate from the last two beyond them.  0 for
 * param 0 or a width above the widest row. */
double cm_area_unit_cell_um2(cm_area_unit u, unsigned param);

/* Placed logic area, mm^2, of cells um^2 of cells (cells / utilization). */
double cm_area_logic_mm2(double cell_um2);
/* Leakage, mW, of cells um^2 of logic cells. */
double cm_area_logic_leakage_mw(double cell_um2);

/* One SRAM of `bytes`: area, mm^2, and leakage, mW, from the CACTI table,
 * interpolated log-log between sizes, linear in size below 1 KB and above
 * 2 MB (more banks of the largest).  0 for 0 bytes. */
double cm_area_sram_mm2(double bytes);
double cm_area_sram_leakage_mw(double bytes);

#endif
