/*
 * rtl_synth.c - Yosys gate counts and the fit of their scaling (rtl_synth.h).
 * Yosys runs as a child process (popen) with `-q` and `tee -o /dev/stdout
 * stat`, so only the statistics reach us; the first "Number of cells" line
 * is the count of the flattened top module.
 */
#include "rtl_synth.h"

#include <gsl/gsl_fit.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

em_status rtl_synth_cells(const char *yosys, const char *verilog, const char *module,
                          unsigned w, uint64_t *cells, em_diag *d) {
  if (strchr(verilog, '\'') || strchr(yosys, '\'') || strchr(module, '\''))
    return em_diag_set(d, EM_ERR_INVALID, verilog, 0, 0, "path contains a quote");
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "'%s' -q -p 'read_verilog %s; chparam -set W %u %s; synth -flatten -top %s; "
           "abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; tee -o /dev/stdout stat' 2>&1",
           yosys, verilog, w, module, module);
  FILE *p = popen(cmd, "r");
  if (!p) return em_diag_set(d, EM_ERR_NOTFOUND, yosys, 0, 0, "cannot run yosys");
  char line[512];
  bool found = false;
  while (fgets(line, sizeof line, p)) {
    const char *k = strstr(line, "Number of cells:");
    if (k && !found) {
      *cells = strtoull(k + strlen("Number of cells:"), NULL, 10);
      found = true;
    }
  }
  int rc = pclose(p);
  if (rc != 0 && !found)
    return em_diag_set(d, EM_ERR_NOTFOUND, yosys, 0, 0,
                       "yosys failed on %s at width %u (is it installed? apt-get install yosys)",
                       module, w);
  if (!found)
    return em_diag_set(d, EM_ERR_PARSE, yosys, 0, 0, "no cell count in yosys's output for %s",
                       module);
  return EM_OK;
}

double rtl_scaling_exponent(const unsigned *widths, const uint64_t *cells, size_t n) {
  double x[64], y[64];
  if (n > 64) n = 64;
  for (size_t i = 0; i < n; i++) {
    x[i] = log2((double)widths[i]);
    y[i] = log2((double)cells[i]);
  }
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  return c1;
}
