/*
 * rpt_analyze.h - the per-layer cost table of `emlsim analyze`.
 *
 * Columns (units in the names; the first ten are the output contract):
 *   layer, type, params, macs, activations, weight_bytes, activation_bytes,
 *   bops, bops_mac, compute_energy_pj, output, weight_prec, act_prec,
 *   energy_scaled, dram_energy_pj, energy_pj
 * The last row is `total`.  The counts are costmodel's (cm_layer_cost), the
 * energies the analytic model's results through the model table
 * (hw_result), so that they are the figures study and sweep report.  Notes
 * list every energy entry that was scaled from another width.
 */
#ifndef RPT_ANALYZE_H
#define RPT_ANALYZE_H

#include "cm_cost.h"
#include "hw_model.h"
#include "rpt_table.h"
#include "wl_layer.h"

/* Builds the table; per_layer and per_run have net->n_layers entries.
 * NULL on out of memory. The caller destroys it. */
rpt_table *rpt_analyze_table(const wl_network *net, const cm_layer_cost *per_layer,
                             const cm_layer_cost *total, const hw_result *per_run,
                             const hw_result *total_run, const char *energy_table);

#endif
