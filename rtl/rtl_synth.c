/*
 * rtl_synth.c - Yosys gate counts and the fit of their scaling (rtl_synth.h).
 * Yosys runs as a child process (popen) with `-q` and `tee -o /dev/stdout
 * stat`, so only the statistics reach us; the first "Number of cells" line
 * is the count of the flattened top module.  What Yosys prints is input
 * like any other: each count is read whole (em_parse_u64), and a count that
 * is not a number, does not fit 64 bits or is 0 is an error naming yosys
 * and the line (a fake yosys's 'Number of cells: 0' divided by zero into an
 * energy table of -nan, and '-5' read as 2^64 - 5).
 */
#include "rtl_synth.h"

#include <ctype.h>
#include <gsl/gsl_fit.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_parse.h"

/* The line as quoted in a message: without its leading and trailing white
 * space (its newline), cut to fit. */
static void shown_line(const char *line, char *out, size_t n) {
  while (isspace((unsigned char)*line)) line++;
  size_t len = strlen(line);
  while (len && isspace((unsigned char)line[len - 1])) len--;
  snprintf(out, n, "%.*s", (int)(len < 200 ? len : 200), line);
}

/* The count in `text` (the rest of `line` after its label, white space
 * around it allowed), at least 1, into *n; else the error, located at
 * yosys, naming what it counts (`what`) and quoting the line. */
static em_status count_of(const char *text, const char *line, const char *yosys,
                          const char *what, uint64_t *n, em_diag *d) {
  char num[64], shown[256];
  while (isspace((unsigned char)*text)) text++;
  size_t len = strlen(text);
  while (len && isspace((unsigned char)text[len - 1])) len--;
  em_status st = len < sizeof num ? EM_OK : EM_ERR_PARSE;
  if (st == EM_OK) {
    memcpy(num, text, len);
    num[len] = '\0';
    st = em_parse_u64(num, n);
    if (len == 0) st = EM_ERR_PARSE;
  }
  if (st == EM_OK && *n > 0) return EM_OK;
  shown_line(line, shown, sizeof shown);
  /* a run of digits too long for the buffer is a number past 2^64 - 1 too */
  if (st == EM_ERR_RANGE || (st != EM_OK && len >= sizeof num && strspn(text, "0123456789") >= len))
    return em_diag_set(d, EM_ERR_PARSE, yosys, 0, 0,
                       "yosys printed a cell count past 18446744073709551615 for %s: '%s'", what,
                       shown);
  if (st != EM_OK)
    return em_diag_set(d, EM_ERR_PARSE, yosys, 0, 0,
                       "yosys printed a cell count that is not a whole number for %s: '%s'", what,
                       shown);
  return em_diag_set(d, EM_ERR_PARSE, yosys, 0, 0,
                     "yosys printed a cell count of 0 for %s (a unit has at least one cell): '%s'",
                     what, shown);
}

/* The yosys command line quotes its paths in single quotes: one that holds
 * a quote is refused, named (it named the Verilog file whichever it was). */
static em_status quote_free(const char *yosys, const char *verilog, const char *module,
                            em_diag *d) {
  const char *bad = strchr(yosys, '\'') ? yosys : strchr(verilog, '\'') ? verilog : NULL;
  if (bad)
    return em_diag_set(d, EM_ERR_INVALID, bad, 0, 0,
                       "the path contains a quote ('), which the yosys command line cannot "
                       "carry");
  if (strchr(module, '\''))
    return em_diag_set(d, EM_ERR_INVALID, verilog, 0, 0, "module name '%s' contains a quote",
                       module);
  return EM_OK;
}

em_status rtl_synth_cells(const char *yosys, const char *verilog, const char *module,
                          unsigned w, uint64_t *cells, em_diag *d) {
  em_status q = quote_free(yosys, verilog, module, d);
  if (q != EM_OK) return q;
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "'%s' -q -p 'read_verilog %s; chparam -set W %u %s; synth -flatten -top %s; "
           "abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; tee -o /dev/stdout stat' 2>&1",
           yosys, verilog, w, module, module);
  FILE *p = popen(cmd, "r");
  if (!p) return em_diag_set(d, EM_ERR_NOTFOUND, yosys, 0, 0, "cannot run yosys");
  char line[512], what[160];
  snprintf(what, sizeof what, "%s at width %u", module, w);
  bool found = false;
  em_status bad = EM_OK; /* a count refused: reported once yosys has ended */
  while (fgets(line, sizeof line, p)) {
    const char *k = strstr(line, "Number of cells:");
    if (k && !found) {
      bad = count_of(k + strlen("Number of cells:"), line, yosys, what, cells, d);
      found = true;
    }
  }
  int rc = pclose(p);
  if (bad != EM_OK) return bad;
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
  em_status q = quote_free(yosys, verilog, module, d);
  if (q != EM_OK) return q;
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
  char line[512], what[200];
  snprintf(what, sizeof what, "%s (%s)", module, params);
  int state = 0; /* 0 before the cell list, 1 in it, 2 after it */
  em_status bad = EM_OK; /* a count refused: reported once yosys has ended */
  while (fgets(line, sizeof line, p)) {
    if (bad != EM_OK) continue; /* read to the end: yosys is not left blocked on the pipe */
    const char *k;
    if (state == 0 && (k = strstr(line, "Number of cells:"))) {
      uint64_t total;
      bad = count_of(k + strlen("Number of cells:"), line, yosys, what, &total, d);
      state = 1;
      continue;
    }
    if (state != 1) continue;
    /* "     $_AND_     12": a cell type and its count; any other line ends the list */
    char name[128];
    int used = 0;
    if (sscanf(line, " %127s%n", name, &used) != 1 || name[0] != '$') {
      state = 2;
      continue;
    }
    uint64_t n;
    char cell[400];
    snprintf(cell, sizeof cell, "%s cells of %s", name, what);
    if ((bad = count_of(line + used, line, yosys, cell, &n, d)) != EM_OK) continue;
    uint64_t *slot = &g->other;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
      if (strcmp(name, map[i].name) == 0) slot = (uint64_t *)((char *)g + map[i].off);
    if (*slot > UINT64_MAX - n) {
      char shown[256];
      shown_line(line, shown, sizeof shown);
      bad = em_diag_set(d, EM_ERR_PARSE, yosys, 0, 0,
                        "yosys's %s cells of %s add up past 18446744073709551615: '%s'", name,
                        what, shown);
      continue;
    }
    *slot += n;
  }
  int rc = pclose(p);
  if (bad != EM_OK) {
    memset(g, 0, sizeof *g);
    return bad;
  }
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
