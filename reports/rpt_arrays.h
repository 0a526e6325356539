/*
 * rpt_arrays.h - per-layer tables of the bit-serial and XNOR arrays.
 */
#ifndef RPT_ARRAYS_H
#define RPT_ARRAYS_H

#include "bs_array.h"
#include "rpt_table.h"
#include "xnor_array.h"

rpt_table *rpt_bs_table(const wl_network *net, const bs_config *c, const bs_stats *stats);
rpt_table *rpt_xnor_table(const wl_network *net, const xnor_config *c, const xnor_stats *stats);

#endif
