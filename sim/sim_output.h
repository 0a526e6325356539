/*
 * sim_output.h - writing a report table to a file (atomically) or stdout.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include "em_diag.h"
#include "rpt_table.h"

/* Writes t in format fmt to path ("-" = stdout), all or nothing. */
em_status sim_write_table(const rpt_table *t, rpt_format fmt, const char *path, em_diag *d);

#endif
