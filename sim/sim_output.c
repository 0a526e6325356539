/* sim_output.c - report tables to files or stdout (sim_output.h). */
#include "sim_output.h"

#include "em_outfile.h"

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
