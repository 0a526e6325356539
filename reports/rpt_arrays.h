/*
 * rpt_arrays.h - per-layer tables of the bit-serial and XNOR arrays.
 */
#ifndef RPT_ARRAYS_H
#define RPT_ARRAYS_H

#include "bs_array.h"
#include "rpt_table.h"
#include "xnor_array.h"

/* e: energy per layer (as stats); energy_table: its name, for the notes. */
rpt_table *rpt_bs_table(const wl_network *net, const bs_config *c, const bs_stats *stats,
                        const bs_energy *e, const char *energy_table);
rpt_table *rpt_xnor_table(const wl_network *net, const xnor_config *c, const xnor_stats *stats,
                          const xnor_energy *e, const char *energy_table);

#endif
