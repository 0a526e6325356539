/* sim_output.c - report tables to files or stdout, output checks (sim_output.h). */
#include "sim_output.h"

#include <stdio.h>
#include <string.h>

#include "wl_load.h"

em_status sim_write_table(const rpt_table *t, rpt_format fmt, const char *path, em_diag *d) {
  em_outfile *of;
  em_status st = em_outfile_open(path, &of, d);
  if (st != EM_OK) return st;
  if (rpt_table_write(t, fmt, em_outfile_fp(of)) != EM_OK) {
    em_outfile_abort(of);
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "write error");
  }
  return em_outfile_commit(of, d);
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

em_status sim_io_check(em_iocheck *io, const em_ioarg *args, size_t n, em_diag *d) {
  em_iocheck_init(io);
  for (size_t i = 0; i < n; i++) em_iocheck_add(io, args[i].role, args[i].what, args[i].path);
  return em_iocheck_run(io, d);
}
