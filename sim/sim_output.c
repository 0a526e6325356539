/* sim_output.c - report tables to files or stdout, output checks (sim_output.h). */
#include "sim_output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw_model.h"
#include "sim_cli.h"
#include "wl_load.h"

/* A figure as the tables print it (rpt_format_f64): dec decimals, or
 * significant digits where those would show 0 (a 1x1 XNOR unit's leakage
 * printed "0.000 mW"). */
static const char *fig(char *b, size_t n, double v, int dec) {
  rpt_format_f64(b, n, v, dec);
  return b;
}

void sim_add_area_meta(rpt_table *t, const hw_point *p, const wl_network *net) {
  hw_area a, x;
  hw_point_area(p, NULL, &a);
  /* the largest layer's design (the area a network's total keeps), and the
   * least leakage a layer is charged: they differ where the design depends
   * on the layer (the XNOR unit's weight SRAM, a systolic PE's width) */
  const char *big = NULL, *small = NULL;
  double least = 0;
  for (size_t i = 0; net && i < net->n_layers; i++) {
    hw_point_area(p, &net->layers[i], &x);
    if (i == 0 || x.total_mm2 > a.total_mm2) {
      a = x;
      big = net->layers[i].name;
    }
    wl_kind k = net->layers[i].kind; /* pools and element-wise layers run on none of them */
    if ((k == WL_CONV || k == WL_FC || k == WL_GEMM) && (!small || x.leakage_mw < least)) {
      least = x.leakage_mw;
      small = net->layers[i].name;
    }
  }
  char buf[400];
  if (!(a.total_mm2 > 0)) {
    if (a.source) snprintf(buf, sizeof buf, "unknown: %s", a.source);
    rpt_table_add_meta(t, "area", a.source ? buf : "unknown (no area model for this design)");
    return;
  }
  char f1[32], f2[32], f3[32];
  if (a.layer_adds)
    snprintf(buf, sizeof buf, "%s mm^2 at %u nm: logic %s, SRAM %s, and with each layer %s "
             "(%s)", fig(f1, sizeof f1, a.total_mm2, 4), a.node_nm,
             fig(f2, sizeof f2, a.logic_mm2, 4), fig(f3, sizeof f3, a.sram_mm2, 4), a.layer_adds,
             a.source ? a.source : "");
  else if (a.logic_mm2 > 0 || a.sram_mm2 > 0)
    snprintf(buf, sizeof buf, "%s mm^2 at %u nm: logic %s, SRAM %s (%s)",
             fig(f1, sizeof f1, a.total_mm2, 4), a.node_nm, fig(f2, sizeof f2, a.logic_mm2, 4),
             fig(f3, sizeof f3, a.sram_mm2, 4), a.source ? a.source : "");
  else
    snprintf(buf, sizeof buf, "%.0f mm^2 at %u nm (%s)", a.total_mm2, a.node_nm,
             a.source ? a.source : "");
  rpt_table_add_meta(t, "area", buf);
  if (a.leakage_mw > 0 && big && small && least < a.leakage_mw) {
    /* said as it is charged: a layer's static energy is the leakage of the
     * silicon built for it, over its own time, the rest as if power-gated
     * (costmodel/README.md, "Leakage") */
    snprintf(buf, sizeof buf,
             "%s mW at most (%s), %s mW at least (%s): each layer is charged the leakage of "
             "the silicon it uses, over its own time (the rest power-gated)",
             fig(f1, sizeof f1, a.leakage_mw, 3), big, fig(f2, sizeof f2, least, 3), small);
    rpt_table_add_meta(t, "leakage", buf);
  } else if (a.leakage_mw > 0 && a.layer_adds) {
    snprintf(buf, sizeof buf, "%s mW, and with each layer that of %s, charged as static "
             "energy over the layer's time", fig(f1, sizeof f1, a.leakage_mw, 3), a.layer_adds);
    rpt_table_add_meta(t, "leakage", buf);
  } else if (a.leakage_mw > 0) {
    snprintf(buf, sizeof buf, "%s mW, charged as static energy over each layer's time",
             fig(f1, sizeof f1, a.leakage_mw, 3));
    rpt_table_add_meta(t, "leakage", buf);
  }
}

em_status sim_write_table(const rpt_table *t, rpt_format fmt, const char *path, em_diag *d) {
  em_outfile *of;
  em_status st = em_outfile_open(path, &of, d);
  if (st != EM_OK) return st;
  return sim_commit_table(of, path, t, fmt, d);
}

em_status sim_commit_table(em_outfile *f, const char *path, const rpt_table *t, rpt_format fmt,
                           em_diag *d) {
  errno = 0;
  if (rpt_table_write(t, fmt, em_outfile_fp(f)) != EM_OK) {
    int e = errno;
    em_outfile_abort(f);
    /* standard output by the name every other write error gives it (the
     * outfile's commit, emlsim's final flush), as em_input_name names
     * standard input: a table too large for stdout's buffer failed here,
     * mid-write, and said "-: error: write error" (breakeven, analyze
     * --format json >/dev/full) where a small one said "<stdout>:" */
    return em_diag_set(d, EM_ERR_IO, strcmp(path, "-") == 0 ? "<stdout>" : path, 0, 0,
                       "write error: %s", em_errno_text(e));
  }
  return em_outfile_commit(f, d);
}

em_status sim_write_csv_json(const char *path, const rpt_table *t, em_diag *d) {
  em_status s = sim_write_table(t, RPT_FMT_CSV, path, d);
  char json[4400];
  size_t n = strlen(path);
  if (s == EM_OK && n > 4 && n < sizeof json && strcmp(path + n - 4, ".csv") == 0) {
    snprintf(json, sizeof json, "%.*s.json", (int)(n - 4), path);
    s = sim_write_table(t, RPT_FMT_JSON, json, d);
  }
  return s;
}

const char *sim_workload_file(const char *spec) {
  if (!spec || strncmp(spec, "gemm:", 5) == 0) return NULL;
  size_t n;
  const wl_builtin_info *b = wl_builtins(&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(b[i].name, spec) == 0) return NULL; /* built-ins come first (wl_load) */
  return spec;
}

const char *sim_gpu_file(const char *spec) {
  /* as the GPU model reads a spec (simt_config.h): a file when the name
   * has a '/' or a '.', or "-" */
  return spec && (strchr(spec, '/') || strchr(spec, '.') || strcmp(spec, "-") == 0) ? spec : NULL;
}

em_status sim_need_gnuplot(em_diag *d) {
  FILE *p = popen("gnuplot --version 2>&1", "r");
  if (p) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) {
    }
    if (pclose(p) == 0) return EM_OK;
  }
  return em_diag_set(d, EM_ERR_NOTFOUND, "gnuplot", 0, 0,
                     "cannot run gnuplot: the plots need it (Debian: gnuplot-nox)");
}

int sim_energy_tables_add(sim_energy_tables *e, const char *cmd, const char *path) {
  if (e->n >= SIM_ENERGY_TABLES_MAX)
    return sim_usage_error(cmd, "'--energy-table' given more than %d times",
                           SIM_ENERGY_TABLES_MAX);
  e->path[e->n++] = path;
  return -1;
}

em_status sim_io_check(em_iocheck *io, const em_ioarg *args, size_t n, em_diag *d) {
  /* an empty input path names nothing: the option is named ('--energy-table
   * ""' said "cannot open: No such file or directory", naming neither; an
   * empty output's "output path is empty" is em_outpath's) */
  for (size_t i = 0; i < n; i++)
    if (args[i].role == EM_IO_INPUT && args[i].path && !args[i].path[0])
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "'%s' names no file (an empty path)",
                         args[i].what);
  em_iocheck_init(io);
  for (size_t i = 0; i < n; i++) em_iocheck_add(io, args[i].role, args[i].what, args[i].path);
  return em_iocheck_run(io, d);
}

void sim_add_dram_note(rpt_table *t, const hw_point *p, const wl_network *net,
                       const hw_result *r, size_t n) {
  if (hw_point_dram_gbps(p) != 0) return; /* bounded, or no clock (NAN) */
  double most = 0, bytes = 0, us = 0;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    bytes += (double)r[i].dram_bytes;
    us += r[i].latency_us;
    double g = r[i].latency_us > 0 ? (double)r[i].dram_bytes / r[i].latency_us * 1e-3 : 0;
    if (g > most) {
      most = g;
      at = i;
    }
  }
  if (!(most > 0)) return;
  char buf[400];
  snprintf(buf, sizeof buf,
           "DRAM bandwidth: the design bounds none (its DRAM never stalls it), so its layers "
           "move up to %.4g GB/s (%s: its DRAM bytes over its time), %.4g GB/s over the "
           "network; a memory slower than that would make them longer",
           most, net->layers[at].name, us > 0 ? bytes / us * 1e-3 : 0.0);
  rpt_table_add_note(t, buf);
}
