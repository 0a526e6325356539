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
 * cannot be run; EM_ERR_PARSE when its output has no cell count. */
em_status rtl_synth_cells(const char *yosys, const char *verilog, const char *module,
                          unsigned w, uint64_t *cells, em_diag *d);

/* Fits cells = c0 * width^exponent over n points; returns the exponent. */
double rtl_scaling_exponent(const unsigned *widths, const uint64_t *cells, size_t n);

#ifdef __cplusplus
}
#endif

#endif
