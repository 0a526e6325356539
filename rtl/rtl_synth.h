/*
 * rtl_synth.h - gate counts from Yosys, and their scaling with width.
 *
 * Each unit of rtl/verilog/emlsim_syn_units.v is synthesized at a width with
 *   synth -flatten; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; stat
 * (REFERENCES.md's recipe) and its cell count read back. The scaling
 * exponent is the slope of log2(cells) against log2(width), a GSL linear
 * least-squares fit.
 */
#ifndef RTL_SYNTH_H
#define RTL_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Cells of `module` (emlsim_syn_mul or emlsim_syn_add) at width w, by running
 * `yosys` (a program name or path) on `verilog`. EM_ERR_NOTFOUND when yosys
 * cannot be run; EM_ERR_PARSE when its output has no cell count, or a count
 * that is not a whole number in [1, 2^64 - 1] (the error is located at
 * `yosys` and quotes the line). */
em_status rtl_synth_cells(const char *yosys, const char *verilog, const char *module,
                          unsigned w, uint64_t *cells, em_diag *d);

/* Generic cells of one unit after Yosys's technology-independent mapping,
 * for the area model (costmodel/cm_area.h): flip-flops with an enable or a
 * synchronous reset are legalized to plain D flip-flops plus gates
 * (`dfflegalize -cell $_DFF_P_ x`), so every cell maps onto one NanGate X1
 * cell. `other` counts any cell type outside these (0 for our RTL). */
typedef struct {
  uint64_t not_, buf, and_, nand, or_, nor, xor_, xnor, mux, dff, other;
} rtl_gate_counts;

/* The cells of `module` in `verilog` with its parameters set by `params`
 * ("WA=8,WB=8,ACC=32": names and decimal values, at most 8), synthesized
 *   synth -flatten; dfflegalize -cell $_DFF_P_ x;
 *   abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean; stat
 * Errors as rtl_synth_cells (each cell type's count, and their sums, too);
 * EM_ERR_INVALID for a malformed params text. *g is all 0 after an error. */
em_status rtl_synth_gate_counts(const char *yosys, const char *verilog, const char *module,
                                const char *params, rtl_gate_counts *g, em_diag *d);

/* Fits cells = c0 * width^exponent over n points; returns the exponent. */
double rtl_scaling_exponent(const unsigned *widths, const uint64_t *cells, size_t n);

#ifdef __cplusplus
}
#endif

#endif
