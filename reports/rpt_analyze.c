/*
 * rpt_analyze.c - per-layer closed-form costs as a table (rpt_analyze.h).
 * Formats what costmodel computed; computes nothing itself.
 */
#include "rpt_analyze.h"

#include <stdio.h>
#include <string.h>

enum {
  C_LAYER, C_TYPE, C_PARAMS, C_MACS, C_ACTS, C_WBYTES, C_ABYTES, C_BOPS,
  C_BOPS_MAC, C_ENERGY, C_OUTPUT, C_WPREC, C_APREC, C_SCALED, C_DRAM, C_TOTAL, C_COUNT
};

static const rpt_column columns[C_COUNT] = {
    [C_LAYER] = {"layer", RPT_STR, 0},
    [C_TYPE] = {"type", RPT_STR, 0},
    [C_PARAMS] = {"params", RPT_U64, 0},
    [C_MACS] = {"macs", RPT_U64, 0},
    [C_ACTS] = {"activations", RPT_U64, 0},
    [C_WBYTES] = {"weight_bytes", RPT_U64, 0},
    [C_ABYTES] = {"activation_bytes", RPT_U64, 0},
    [C_BOPS] = {"bops", RPT_F64, 1},
    [C_BOPS_MAC] = {"bops_mac", RPT_F64, 0},
    [C_ENERGY] = {"compute_energy_pj", RPT_F64, 1},
    [C_OUTPUT] = {"output_hwc", RPT_STR, 0},
    [C_WPREC] = {"weight_prec", RPT_STR, 0},
    [C_APREC] = {"act_prec", RPT_STR, 0},
    [C_SCALED] = {"energy_scaled", RPT_STR, 0},
    [C_DRAM] = {"dram_energy_pj", RPT_F64, 1},
    [C_TOTAL] = {"energy_pj", RPT_F64, 1},
};

/* The workload's counts from costmodel, the energies from the analytic
 * model of the table (what study and sweep report as 'analytic'). */
static void put_costs(rpt_table *t, const cm_layer_cost *c, const hw_result *r) {
  rpt_table_set_u64(t, C_PARAMS, c->params);
  rpt_table_set_u64(t, C_MACS, c->macs);
  rpt_table_set_u64(t, C_ACTS, c->activations);
  rpt_table_set_u64(t, C_WBYTES, c->weight_bytes);
  rpt_table_set_u64(t, C_ABYTES, c->activation_bytes);
  rpt_table_set_f64(t, C_BOPS, c->bops);
  rpt_table_set_f64(t, C_BOPS_MAC, c->bops_mac);
  rpt_table_set_f64(t, C_ENERGY, r->energy_pj[HW_E_COMPUTE]);
  rpt_table_set_f64(t, C_DRAM, r->energy_pj[HW_E_DRAM]);
  rpt_table_set_f64(t, C_TOTAL, r->energy_total_pj);
}

rpt_table *rpt_analyze_table(const wl_network *net, const cm_layer_cost *per_layer,
                             const cm_layer_cost *total, const hw_result *per_run,
                             const hw_result *total_run, const char *energy_table) {
  char title[WL_NAME_MAX + 64];
  snprintf(title, sizeof title, "%s: closed-form cost per layer", net->name);
  rpt_table *t = rpt_table_create(title, columns, C_COUNT);
  if (!t) return NULL;
  rpt_table_add_meta(t, "workload", net->source);
  rpt_table_add_meta(t, "energy table", energy_table);
  for (size_t i = 0; i < net->n_layers; i++) {
    const wl_layer *l = &net->layers[i];
    const cm_layer_cost *c = &per_layer[i];
    char buf[96];
    if (rpt_table_add_row(t) == (size_t)-1) goto fail;
    rpt_table_set_str(t, C_LAYER, l->name);
    rpt_table_set_str(t, C_TYPE, wl_kind_name(l->kind));
    put_costs(t, c, &per_run[i]);
    snprintf(buf, sizeof buf, "%llux%llux%llu", (unsigned long long)wl_layer_out_h(l),
             (unsigned long long)wl_layer_out_w(l), (unsigned long long)wl_layer_out_c(l));
    rpt_table_set_str(t, C_OUTPUT, buf);
    wl_prec_format(l->w, buf, sizeof buf);
    rpt_table_set_str(t, C_WPREC, buf);
    wl_prec_format(l->a, buf, sizeof buf);
    rpt_table_set_str(t, C_APREC, buf);
    rpt_table_set_str(t, C_SCALED, c->energy_scaled ? "yes" : "no");
    if (c->energy_scaled && c->energy_note[0]) {
      char note[sizeof c->energy_note + 64];
      snprintf(note, sizeof note, "energy %s", c->energy_note);
      rpt_table_add_note(t, note);
    }
  }
  if (rpt_table_add_row(t) == (size_t)-1) goto fail;
  rpt_table_set_str(t, C_LAYER, "total");
  put_costs(t, total, total_run);
  rpt_table_add_note(t, "energy: the analytic model (emlsim models analytic), as study and sweep "
                        "report it: compute at each layer's widths, and DRAM with every tensor "
                        "crossing it once in 64-bit accesses: weights, outputs, and inputs no "
                        "earlier layer produced (the network's input, a GEMM's X; the project's "
                        "own rule, not the study book's); no SRAM, no clock");
  return t;
fail:
  rpt_table_destroy(t);
  return NULL;
}
