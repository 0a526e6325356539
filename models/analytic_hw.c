/*
 * analytic_hw.c - the closed-form cost model (costmodel/cm_cost.h) as an
 * entry of the hardware-model table (hw_model.h): no clock, so no cycles
 * or latency; compute energy is the layer's MACs at its widths, and DRAM
 * energy is every tensor crossing DRAM once, in 64-bit accesses at the
 * table's 64-bit DRAM read (Horowitz 45 nm: 1300 pJ; writes priced the
 * same): a layer's weights and output activations, and its inputs where no
 * earlier layer of the network produced them (the network's input, a
 * GEMM's X: cm_network_fresh_inputs); an intermediate is charged once, as
 * the output of the layer that wrote it.  A layer run alone is a network
 * of its own: its inputs are charged.  This rule is the project's own
 * model (cm_cost.h), not the study book's, which gives no DRAM rule.
 */
#include <stdio.h>
#include <string.h>

#include "cm_cost.h"
#include "hw_model.h"

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) { return EM_OK; }

/* No settings: every point is the closed form itself. */
static void describe(const void *cfg, char *buf, size_t size) {
  (void)cfg;
  snprintf(buf, size, "closed form");
}

/* Layer l where `fresh` of its input elements come from no earlier layer
 * of its network.  Needs the table's multiply and add rows at the layer's
 * widths (a layer with MACs) and its 64-bit DRAM read. */
static em_status run_layer_in(const void *cfg, void *state, const cm_energy_table *t,
                              const wl_layer *l, uint64_t fresh, hw_result *r, void *detail,
                              em_diag *d) {
  cm_layer_cost c;
  cm_energy_value dv;
  em_status st = cm_layer_cost_compute(l, t, &c, d);
  if (st == EM_OK) st = cm_layer_set_fresh_inputs(l, fresh < c.inputs ? fresh : c.inputs, &c, d);
  if (st == EM_OK) st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, 64, &dv, d);
  if (st != EM_OK) return st;
  if (detail) *(cm_layer_cost *)detail = c;
  r->ran = true;
  r->energy_pj[HW_E_COMPUTE] = c.compute_energy_pj;
  r->energy_pj[HW_E_DRAM] = (double)c.dram_bytes * 8.0 / 64.0 * dv.energy_pj;
  r->ops = (double)c.macs;
  r->ops_unit = "MAC";
  r->dram_bytes = c.dram_bytes;
  return EM_OK;
}

/* A layer alone: its inputs are its network's, all fresh. */
static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  return run_layer_in(cfg, state, t, l, UINT64_MAX, r, detail, d);
}

const hw_model hw_analytic = {
    .name = "analytic",
    .summary = "the closed-form cost model: MACs, BOPS, energy with no clock",
    .keys = NULL,
    .nkeys = 0,
    .refuses = NULL,
    .default_prec = {32, true},
    .config_size = 1,
    .set = set,
    .run_layer = run_layer,
    .run_layer_in = run_layer_in,
    .freq_mhz = NULL,
    .describe = describe,
};
