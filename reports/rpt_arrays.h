/*
 * rpt_arrays.h - per-layer tables of the bit-serial and XNOR arrays.
 */
#ifndef RPT_ARRAYS_H
#define RPT_ARRAYS_H

#include "bs_array.h"
#include "rpt_table.h"
#include "xnor_array.h"

/* The per-layer table and its total row into *out (the caller destroys
 * it).  e: energy per layer (as stats); energy_table: its name, for the
 * notes.  EM_ERR_OVERFLOW ("net->source: network totals overflow 64
 * bits") where a summed count of the total row passes 2^64 - 1, each
 * layer's own counts having been checked by the model; EM_ERR_NOMEM.  On
 * error *out is NULL and d says why. */
em_status rpt_bs_table(const wl_network *net, const bs_config *c, const bs_stats *stats,
                       const bs_energy *e, const char *energy_table, rpt_table **out,
                       em_diag *d);
em_status rpt_xnor_table(const wl_network *net, const xnor_config *c, const xnor_stats *stats,
                         const xnor_energy *e, const char *energy_table, rpt_table **out,
                         em_diag *d);

#endif
