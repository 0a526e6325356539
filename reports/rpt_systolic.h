/*
 * rpt_systolic.h - reports of the systolic array: SCALE-Sim's three CSVs
 * (same columns, same meaning, same layout) and emlsim's per-layer table
 * with energy and BOPS.
 */
#ifndef RPT_SYSTOLIC_H
#define RPT_SYSTOLIC_H

#include <stdio.h>

#include "rpt_table.h"
#include "sa_model.h"
#include "wl_layer.h"

/* SCALE-Sim's COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and
 * DETAILED_ACCESS_REPORT.csv for the layers with MACs, a grouped
 * (depthwise) layer as one row per group as SCALE-Sim reports its DP
 * layers (LayerID counts the rows). `stats` has one entry per layer of
 * `net`. */
void rpt_sa_compute_report(const wl_network *net, const sa_layer_stats *stats, FILE *out);
void rpt_sa_bandwidth_report(const wl_network *net, const sa_layer_stats *stats, FILE *out);
void rpt_sa_detailed_report(const wl_network *net, const sa_layer_stats *stats, FILE *out);

/* emlsim's per-layer table (units in the column names) with a total row. */
rpt_table *rpt_sa_layer_table(const wl_network *net, const sa_config *cfg,
                              const sa_layer_stats *stats, const sa_energy *energy,
                              const char *energy_table, bool closed_form);

#endif
