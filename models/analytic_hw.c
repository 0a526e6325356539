/*
 * analytic_hw.c - the closed-form cost model (costmodel/cm_cost.h) as an
 * entry of the hardware-model table (hw_model.h): no clock, so no cycles
 * or latency; compute energy is the layer's MACs at its widths, and DRAM
 * energy moves the weights and the output activations once, in 64-bit
 * accesses (the study book's "every weight and activation crosses DRAM
 * once" lower bound).
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

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  cm_layer_cost c;
  cm_energy_value dv;
  em_status st = cm_layer_cost_compute(l, t, &c, d);
  if (st == EM_OK) st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, 64, &dv, d);
  if (st != EM_OK) return st;
  if (detail) *(cm_layer_cost *)detail = c;
  uint64_t bytes = c.weight_bytes + c.activation_bytes;
  r->ran = true;
  r->energy_pj[HW_E_COMPUTE] = c.compute_energy_pj;
  r->energy_pj[HW_E_DRAM] = (double)bytes * 8.0 / 64.0 * dv.energy_pj;
  r->ops = (double)c.macs;
  r->ops_unit = "MAC";
  r->dram_bytes = bytes;
  return EM_OK;
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
    .freq_mhz = NULL,
    .describe = describe,
};
