/*
 * sim_output.h - what a command writes: report tables to a file
 * (atomically) or stdout, and the check of its output paths against its
 * inputs before it runs.
 *
 * Every command lists its inputs and outputs once, after parsing options:
 *   em_iocheck io;
 *   const em_ioarg io_args[] = {SIM_IO_WORKLOAD(argv[optind]),
 *                               {EM_IO_INPUT, "--config", cfg_path},
 *                               {EM_IO_OUT_DIR, "-o", out_dir}};
 *   if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
 * (NULL paths are skipped), so that `-o` naming a device, a FIFO, one of the
 * run's inputs or another output is refused before any work is done.  A
 * folder of reports is then written through em_outdir_open(out_dir, &io, ...)
 * (em_outfile.h), which checks each file it replaces against io again.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include "em_diag.h"
#include "em_outfile.h"
#include "hw_model.h"
#include "rpt_table.h"

/* Writes t in format fmt to path ("-" = stdout), all or nothing. */
em_status sim_write_table(const rpt_table *t, rpt_format fmt, const char *path, em_diag *d);
/* The same into f, the output em_outfile_open made for path before the run
 * (so that a path that cannot be written fails before it), then commits f;
 * frees f in every case. */
em_status sim_commit_table(em_outfile *f, const char *path, const rpt_table *t, rpt_format fmt,
                           em_diag *d);

/* A result table as path (CSV) and beside it as JSON (path's ".csv" made
 * ".json"), for scripts: study's and quant's tables. */
em_status sim_write_csv_json(const char *path, const rpt_table *t, em_diag *d);

/* Adds the design point's area to t's inputs: "area" (mm^2, its split,
 * node, source) and "leakage" (mW, charged as static energy), or "unknown"
 * (hw_model.h): built for net's layer that needs the most (the widest
 * operands, the largest weight memory; hw_result_add's rule), or for the
 * model's default width when net is NULL. */
void sim_add_area_meta(rpt_table *t, const hw_point *p, const wl_network *net);

/* The DRAM bandwidth a design that bounds none (hw_point_dram_gbps 0: the
 * systolic array's CALC interface, BISMO) leaves its layers: a note with
 * the most a layer moves a second (its DRAM bytes over its time) and the
 * network's mean, from r[0 .. n) (the layers' results); nothing where the
 * design bounds it. */
void sim_add_dram_note(rpt_table *t, const hw_point *p, const wl_network *net,
                       const hw_result *r, size_t n);

/* The file a workload argument reads, or NULL for a built-in network's
 * name and a gemm:MxNxK product (they read no file). */
const char *sim_workload_file(const char *spec);
/* The file a --gpu argument reads, or NULL for a preset's name. */
const char *sim_gpu_file(const char *spec);

/* The columns of an accuracy difference's 95 % interval (nn_paired_diff_ci),
 * in percentage points, and their note: `what` the difference's column, d
 * the discordant images' columns, `second` the one whose accuracy the
 * difference counts first. */
#define SIM_CI95_COLS {"ci95_lo_points", RPT_F64, 2}, {"ci95_hi_points", RPT_F64, 2}
#define SIM_CI95_NOTE(what, d, second)                                                            \
  "ci95_lo_points, ci95_hi_points: the 95 % confidence interval of " what ", exact given the "   \
  "discordant images (" d "): the Clopper-Pearson interval of theta, the share of them " second \
  " gets right, as (discordant / images) (2 theta - 1); it leaves out 0 exactly where "          \
  "mcnemar_p < 0.05, and where it holds 0, no difference is shown but one out to its ends is "   \
  "not ruled out"

/* --energy-table FILE, repeatable, as every command that takes it parses
 * it: the files in the order given, at most SIM_ENERGY_TABLES_MAX, which
 * cm_energy_tables_load reads and merges in that order (a later file's row
 * replaces an earlier file's of the same op, type, width and size; none
 * given: the default table):
 *   case OPT_ENERGY: if ((rc = sim_energy_tables_add(&o.energy, "simt", optarg)) >= 0)
 *                      return rc;
 *   ...
 *   const em_ioarg io_args[] = {..., SIM_IO_ENERGY(o.energy), ...};
 *   ...
 *   cm_energy_tables_load(o.energy.path, o.energy.n, &et, &d) */
#define SIM_ENERGY_TABLES_MAX 8
typedef struct {
  const char *path[SIM_ENERGY_TABLES_MAX]; /* argv's; NULL past n */
  size_t n;
} sim_energy_tables;
/* Adds one --energy-table argument of command cmd: -1 when it was added,
 * else the usage error's exit status (printed): more than
 * SIM_ENERGY_TABLES_MAX tables. */
int sim_energy_tables_add(sim_energy_tables *e, const char *cmd, const char *path);
/* The tables as inputs of sim_io_check (its NULL paths are skipped). */
#define SIM_IO_ENERGY(e)                                                                       \
  {EM_IO_INPUT, "--energy-table", (e).path[0]}, {EM_IO_INPUT, "--energy-table", (e).path[1]}, \
      {EM_IO_INPUT, "--energy-table", (e).path[2]},                                           \
      {EM_IO_INPUT, "--energy-table", (e).path[3]},                                           \
      {EM_IO_INPUT, "--energy-table", (e).path[4]},                                           \
      {EM_IO_INPUT, "--energy-table", (e).path[5]},                                           \
      {EM_IO_INPUT, "--energy-table", (e).path[6]},                                           \
      {EM_IO_INPUT, "--energy-table", (e).path[7]}
_Static_assert(SIM_ENERGY_TABLES_MAX == 8, "SIM_IO_ENERGY lists 8 paths");

#define SIM_IO_WORKLOAD(spec) {EM_IO_INPUT, "<workload>", sim_workload_file(spec)}
#define SIM_IO_N(args) (sizeof(args) / sizeof((args)[0]))

/* Fills io with args and checks them (em_iocheck_run); io must outlive the
 * outputs that use it.  An empty input path is an error that names its
 * option.  Standard input named by two inputs is EM_ERR_USAGE, which
 * sim_fail gives as the command line's error (exit 2). */
em_status sim_io_check(em_iocheck *io, const em_ioarg *args, size_t n, em_diag *d);

/* Whether `gnuplot --version` runs: a command that draws plots asks first,
 * so that a missing gnuplot fails the run before any work (exit 1, nothing
 * written) rather than at its end:
 *   gnuplot: error: cannot run gnuplot: the plots need it (Debian: gnuplot-nox) */
em_status sim_need_gnuplot(em_diag *d);

#endif
