/*
 * rpt_simt.h - tables of SIMT GPU runs: one row per kernel (and a total) for
 * the performance figures, the stall breakdown, and the energy by component
 * and by instruction class.
 */
#ifndef RPT_SIMT_H
#define RPT_SIMT_H

#include <stddef.h>

#include "rpt_table.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gpu.h"

typedef struct {
  simt_stats st;
  simt_energy e;
  double roofline_cycles; /* lower bound: peak fp32, tensor peak or DRAM bandwidth */
  double sim_seconds;     /* host time of the simulation */
} rpt_simt_kernel;

/* Common header of the four tables: what ran, on what, with which energy
 * table.  `source` is the workload or trace. */
typedef struct {
  const char *source;
  const simt_config *gpu;
  const char *energy_table;
  const simt_energy_model *em;
} rpt_simt_ctx;

rpt_table *rpt_simt_kernels(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n);
rpt_table *rpt_simt_stalls(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n);
rpt_table *rpt_simt_energy(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n);
rpt_table *rpt_simt_energy_classes(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n);
/* Simulation speed per kernel (warp instructions per wall-clock second):
 * the host's figure, kept out of the result tables. */
rpt_table *rpt_simt_timing(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n);

#endif
