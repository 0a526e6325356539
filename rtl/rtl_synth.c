/*
 * rtl_synth.c - Yosys gate counts and the fit of their scaling (rtl_synth.h).
 * Yosys runs as a child process (popen) with `-q` and `tee -o /dev/stdout
 * stat`, so only the statistics reach us; the first "Number of cells" line
 * is the count of the flattened top module.
 */
#include "rtl_synth.h"

#include <ctype.h>
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

/* "A=1,B=2" -> " -set A 1 -set B 2" into out; false when malformed (names
 * are identifiers, values decimal digits: nothing reaches the shell that
 * could be quoted or expanded). */
static bool chparam_args(const char *params, char *out, size_t n) {
  size_t len = 0;
  out[0] = '\0';
  for (const char *p = params; *p;) {
    const char *eq = strchr(p, '=');
    if (!eq || eq == p) return false;
    for (const char *c = p; c < eq; c++)
      if (!isalnum((unsigned char)*c) && *c != '_') return false;
    const char *v = eq + 1;
    size_t vl = strspn(v, "0123456789");
    if (vl == 0 || (v[vl] != ',' && v[vl] != '\0')) return false;
    int w = snprintf(out + len, n - len, " -set %.*s %.*s", (int)(eq - p), p, (int)vl, v);
    if (w < 0 || (size_t)w >= n - len) return false;
    len += (size_t)w;
    p = v + vl + (v[vl] == ',');
  }
  return true;
}

em_status rtl_synth_gate_counts(const char *yosys, const char *verilog, const char *module,
                                const char *params, rtl_gate_counts *g, em_diag *d) {
  memset(g, 0, sizeof *g);
  char set[512];
  if (!chparam_args(params, set, sizeof set))
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "malformed parameters '%s'", params);
  if (strchr(verilog, '\'') || strchr(yosys, '\'') || strchr(module, '\''))
    return em_diag_set(d, EM_ERR_INVALID, verilog, 0, 0, "path contains a quote");
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "'%s' -q -p 'read_verilog %s; %s%s%s%s; synth -flatten -top %s; "
           "dfflegalize -cell $_DFF_P_ x; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean; "
           "tee -o /dev/stdout stat' 2>&1",
           yosys, verilog, set[0] ? "chparam" : "", set, set[0] ? " " : "", set[0] ? module : "",
           module);
  FILE *p = popen(cmd, "r");
  if (!p) return em_diag_set(d, EM_ERR_NOTFOUND, yosys, 0, 0, "cannot run yosys");
  static const struct {
    const char *name;
    size_t off;
  } map[] = {{"$_NOT_", offsetof(rtl_gate_counts, not_)},
             {"$_BUF_", offsetof(rtl_gate_counts, buf)},
             {"$_AND_", offsetof(rtl_gate_counts, and_)},
             {"$_NAND_", offsetof(rtl_gate_counts, nand)},
             {"$_OR_", offsetof(rtl_gate_counts, or_)},
             {"$_NOR_", offsetof(rtl_gate_counts, nor)},
             {"$_XOR_", offsetof(rtl_gate_counts, xor_)},
             {"$_XNOR_", offsetof(rtl_gate_counts, xnor)},
             {"$_MUX_", offsetof(rtl_gate_counts, mux)},
             {"$_DFF_P_", offsetof(rtl_gate_counts, dff)}};
  char line[512];
  int state = 0; /* 0 before the cell list, 1 in it, 2 after it */
  while (fgets(line, sizeof line, p)) {
    if (state == 0 && strstr(line, "Number of cells:")) {
      state = 1;
      continue;
    }
    if (state != 1) continue;
    char name[128];
    unsigned long long n;
    if (sscanf(line, " %127s %llu", name, &n) != 2 || name[0] != '$') {
      state = 2;
      continue;
    }
    uint64_t *slot = &g->other;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
      if (strcmp(name, map[i].name) == 0) slot = (uint64_t *)((char *)g + map[i].off);
    *slot += n;
  }
  int rc = pclose(p);
  if (rc != 0 && state == 0)
    return em_diag_set(d, EM_ERR_NOTFOUND, yosys, 0, 0,
                       "yosys failed on %s (%s) (is it installed? apt-get install yosys)", module,
                       params);
  if (state == 0)
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
