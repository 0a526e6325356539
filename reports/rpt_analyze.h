/*
 * rpt_analyze.h - the per-layer cost table of `emlsim analyze`.
 *
 * Columns (units in the names; the first ten are the output contract):
 *   layer, type, params, macs, activations, weight_bytes, activation_bytes,
 *   bops, bops_mac, compute_energy_pj, output, weight_prec, act_prec,
 *   energy_scaled
 * The last row is `total`.  Notes list every energy entry that was scaled
 * from another width.
 */
#ifndef RPT_ANALYZE_H
#define RPT_ANALYZE_H

#include "cm_cost.h"
#include "rpt_table.h"
#include "wl_layer.h"

/* Builds the table; per_layer has net->n_layers entries. NULL on out of
 * memory. The caller destroys it. */
rpt_table *rpt_analyze_table(const wl_network *net, const cm_layer_cost *per_layer,
                             const cm_layer_cost *total, const char *energy_table);

#endif
