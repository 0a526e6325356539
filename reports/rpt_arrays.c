/* rpt_arrays.c - bit-serial and XNOR array tables (rpt_arrays.h). */
#include "rpt_arrays.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "em_units.h"

enum { B_LAYER, B_PREC, B_TILES, B_SLICES, B_PAIRS, B_COMP, B_OVER, B_TOTAL, B_TIME, B_UTIL,
       B_OPS, B_DRAM, B_EC, B_ES, B_ED, B_EST, B_ET, B_COUNT };
/* The static energy in a total the model table gave (leakage x time,
 * hw_model.h's HW_E_STATIC): what the other components leave. */
static double static_of(double c, double s, double d, double total) {
  double x = total - (c + s + d);
  return x > 0 ? x : 0;
}

/* The refusal of a network whose summed counts pass 2^64 - 1, in the
 * words hw_result_add gives analyze, systolic, sweep and study. */
static em_status totals_overflow(rpt_table *t, const wl_network *net, em_diag *d) {
  rpt_table_destroy(t);
  return em_diag_set(d, EM_ERR_OVERFLOW, net->source, 0, 0, "network totals overflow 64 bits");
}

/* A layer's DRAM bytes as its model's hw_result gives them (bs_hw.c and
 * xnor_hw.c fill, (read + write bits + 7) / 8): a part of a byte counts
 * whole, as it was priced (dram_pj charges every bit).  The table printed
 * bits / 8, rounded down: a 1x1x3 XNOR GEMM's 7 bits read "0" beside their
 * 142.2 pJ, and one byte fewer than analyze, study and the DRAM note count. */
static bool dram_bytes_of(uint64_t read_bits, uint64_t write_bits, uint64_t *bytes) {
  uint64_t bits;
  if (!em_add_u64(read_bits, write_bits, &bits)) return false;
  *bytes = bits / 8 + (bits % 8 != 0);
  return true;
}

static em_status traffic_overflow(rpt_table *t, const wl_layer *l, em_diag *d) {
  rpt_table_destroy(t);
  return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                     "layer '%s': memory traffic overflows 64 bits", l->name);
}

static em_status out_of_memory(rpt_table *t, em_diag *d) {
  rpt_table_destroy(t);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static const rpt_column bcols[B_COUNT] = {
    [B_LAYER] = {"layer", RPT_STR, 0},         [B_PREC] = {"w_a_bits", RPT_STR, 0},
    [B_TILES] = {"tiles", RPT_U64, 0},         [B_SLICES] = {"k_slices", RPT_U64, 0},
    [B_PAIRS] = {"plane_pairs", RPT_U64, 0},   [B_COMP] = {"compute_cycles", RPT_U64, 0},
    [B_OVER] = {"overhead_cycles", RPT_U64, 0}, [B_TOTAL] = {"total_cycles", RPT_U64, 0},
    [B_TIME] = {"time_us", RPT_F64, 3},        [B_UTIL] = {"utilization_pct", RPT_F64, 2},
    [B_OPS] = {"binary_ops", RPT_U64, 0},     [B_DRAM] = {"dram_bytes", RPT_U64, 0},
    [B_EC] = {"compute_pj", RPT_F64, 1},       [B_ES] = {"sram_pj", RPT_F64, 1},
    [B_ED] = {"dram_pj", RPT_F64, 1},          [B_EST] = {"static_pj", RPT_F64, 1},
    [B_ET] = {"total_pj", RPT_F64, 1},
};

em_status rpt_bs_table(const wl_network *net, const bs_config *c, const bs_stats *stats,
                       const bs_energy *e, const char *energy_table, rpt_table **out,
                       em_diag *d) {
  char buf[600];
  *out = NULL;
  snprintf(buf, sizeof buf, "%s on a %ux%ux%u bit-serial array (BISMO style)", net->name, c->dm,
           c->dk, c->dn);
  rpt_table *t = rpt_table_create(buf, bcols, B_COUNT);
  if (!t) return out_of_memory(NULL, d);
  rpt_table_add_meta(t, "workload", net->source);
  /* %.6g, as the model's describe: a 333.3 MHz clock printed "333 MHz"
   * beside a time_us of cycles / 333.3 */
  /* the peak as the tables print a figure (rpt_format_f64, 3 decimals): a
   * 1x1x1 array's 0.0004 TOPS is significant digits, not "0.000" */
  char tops[64];
  rpt_format_f64(tops, sizeof tops, bs_peak_binary_ops(c) / 1e12, 3);
  snprintf(buf, sizeof buf, "%.6g MHz, peak %s binary TOPS", c->freq_mhz, tops);
  rpt_table_add_meta(t, "array", buf);
  uint64_t tot = 0, comp = 0, over = 0, ops = 0, dram = 0;
  double ec = 0, es = 0, ed = 0, et = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const bs_stats *s = &stats[i];
    if (!s->total_cycles) continue;
    const wl_layer *l = &net->layers[i];
    if (rpt_table_add_row(t) == (size_t)-1) goto fail;
    rpt_table_set_str(t, B_LAYER, l->name);
    snprintf(buf, sizeof buf, "%u:%u", (unsigned)l->w.bits, (unsigned)l->a.bits);
    rpt_table_set_str(t, B_PREC, buf);
    rpt_table_set_u64(t, B_TILES, s->tiles);
    rpt_table_set_u64(t, B_SLICES, s->slices);
    rpt_table_set_u64(t, B_PAIRS, s->plane_pairs);
    rpt_table_set_u64(t, B_COMP, s->compute_cycles);
    rpt_table_set_u64(t, B_OVER, s->overhead_cycles);
    rpt_table_set_u64(t, B_TOTAL, s->total_cycles);
    rpt_table_set_f64(t, B_TIME, em_cycles_to_s(s->total_cycles, c->freq_mhz) * 1e6);
    rpt_table_set_f64(t, B_UTIL, s->utilization_pct);
    rpt_table_set_u64(t, B_OPS, s->binary_ops);
    uint64_t db;
    if (!dram_bytes_of(s->dram_read_bits, s->dram_write_bits, &db))
      return traffic_overflow(t, l, d);
    rpt_table_set_u64(t, B_DRAM, db);
    rpt_table_set_f64(t, B_EC, e[i].compute_pj);
    rpt_table_set_f64(t, B_ES, e[i].sram_pj);
    rpt_table_set_f64(t, B_ED, e[i].dram_pj);
    rpt_table_set_f64(t, B_EST, static_of(e[i].compute_pj, e[i].sram_pj, e[i].dram_pj, e[i].total_pj));
    rpt_table_set_f64(t, B_ET, e[i].total_pj);
    if (!em_add_u64(dram, db, &dram) || !em_add_u64(tot, s->total_cycles, &tot) ||
        !em_add_u64(comp, s->compute_cycles, &comp) ||
        !em_add_u64(over, s->overhead_cycles, &over) || !em_add_u64(ops, s->binary_ops, &ops))
      return totals_overflow(t, net, d);
    et += e[i].total_pj;
    ec += e[i].compute_pj;
    es += e[i].sram_pj;
    ed += e[i].dram_pj;
  }
  if (rpt_table_add_row(t) == (size_t)-1) goto fail;
  rpt_table_set_str(t, B_LAYER, "total");
  rpt_table_set_u64(t, B_COMP, comp);
  rpt_table_set_u64(t, B_OVER, over);
  rpt_table_set_u64(t, B_TOTAL, tot);
  rpt_table_set_f64(t, B_TIME, em_cycles_to_s(tot, c->freq_mhz) * 1e6);
  if (tot)
    rpt_table_set_f64(t, B_UTIL, 100.0 * (double)ops / ((double)tot * 2.0 * c->dm * c->dk * c->dn));
  rpt_table_set_u64(t, B_OPS, ops);
  rpt_table_set_u64(t, B_DRAM, dram);
  rpt_table_set_f64(t, B_EC, ec);
  rpt_table_set_f64(t, B_ES, es);
  rpt_table_set_f64(t, B_ED, ed);
  rpt_table_set_f64(t, B_EST, static_of(ec, es, ed, et));
  rpt_table_set_f64(t, B_ET, et);
  snprintf(buf, sizeof buf, "energy table: %s", energy_table);
  rpt_table_add_note(t, buf);
  { /* layers whose K fills under half of its padding to Dk slices: the model's note */
    size_t nl = net->n_layers;
    uint64_t *cycles = malloc((nl ? nl : 1) * sizeof *cycles);
    if (!cycles) goto fail;
    for (size_t i = 0; i < nl; i++) cycles[i] = stats[i].total_cycles;
    memcpy(buf, "k_slices: ", 10);
    if (bs_k_padding_note(c, net->layers, cycles, nl, 0, buf + 10, sizeof buf - 10))
      rpt_table_add_note(t, buf);
    free(cycles);
  }
  *out = t;
  return EM_OK;
fail:
  return out_of_memory(t, d);
}

enum { X_LAYER, X_MH, X_MW, X_VEC, X_NF, X_SF, X_PASS, X_CYC, X_TIME, X_UTIL, X_DRAM, X_EC,
       X_ES, X_ED, X_EST, X_ET, X_COUNT };
static const rpt_column xcols[X_COUNT] = {
    [X_LAYER] = {"layer", RPT_STR, 0},       [X_MH] = {"mh", RPT_U64, 0},
    [X_MW] = {"mw", RPT_U64, 0},             [X_VEC] = {"vectors", RPT_U64, 0},
    [X_NF] = {"neuron_fold", RPT_U64, 0},    [X_SF] = {"synapse_fold", RPT_U64, 0},
    [X_PASS] = {"passes", RPT_U64, 0},       [X_CYC] = {"cycles", RPT_U64, 0},
    [X_TIME] = {"time_us", RPT_F64, 3},      [X_UTIL] = {"utilization_pct", RPT_F64, 2},
    [X_DRAM] = {"dram_bytes", RPT_U64, 0},   [X_EC] = {"compute_pj", RPT_F64, 1},
    [X_ES] = {"sram_pj", RPT_F64, 1},        [X_ED] = {"dram_pj", RPT_F64, 1},
    [X_EST] = {"static_pj", RPT_F64, 1},     [X_ET] = {"total_pj", RPT_F64, 1},
};

em_status rpt_xnor_table(const wl_network *net, const xnor_config *c, const xnor_stats *stats,
                         const xnor_energy *e, const char *energy_table, rpt_table **out,
                         em_diag *d) {
  char buf[600];
  *out = NULL;
  snprintf(buf, sizeof buf, "%s on an XNOR/popcount array, PE %u x SIMD %u (FINN MVAU)",
           net->name, c->pe, c->simd);
  rpt_table *t = rpt_table_create(buf, xcols, X_COUNT);
  if (!t) return out_of_memory(NULL, d);
  rpt_table_add_meta(t, "workload", net->source);
  snprintf(buf, sizeof buf, "%.6g MHz", c->freq_mhz);
  rpt_table_add_meta(t, "clock", buf);
  /* the settings that change a layer's cycles and energy besides PE x SIMD
   * and the clock (weight_kib, dram_gbps), as the model's describe names
   * them: without them two runs' tables did not say why they differ */
  snprintf(buf, sizeof buf, "each layer's weights on chip up to %.6g KiB, DRAM %.6g GB/s",
           c->weight_kib, c->dram_gbps);
  rpt_table_add_meta(t, "memory", buf);
  uint64_t tot = 0, max = 0, dram = 0;
  double ec = 0, es = 0, ed = 0, et = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const xnor_stats *s = &stats[i];
    if (!s->cycles) continue;
    if (rpt_table_add_row(t) == (size_t)-1) goto fail;
    rpt_table_set_str(t, X_LAYER, net->layers[i].name);
    rpt_table_set_u64(t, X_MH, s->mh);
    rpt_table_set_u64(t, X_MW, s->mw);
    rpt_table_set_u64(t, X_VEC, s->vectors);
    rpt_table_set_u64(t, X_NF, s->neuron_fold);
    rpt_table_set_u64(t, X_SF, s->synapse_fold);
    rpt_table_set_u64(t, X_PASS, s->passes);
    rpt_table_set_u64(t, X_CYC, s->cycles);
    rpt_table_set_f64(t, X_TIME, em_cycles_to_s(s->cycles, c->freq_mhz) * 1e6);
    rpt_table_set_f64(t, X_UTIL, s->utilization_pct);
    uint64_t db;
    if (!dram_bytes_of(s->dram_read_bits, s->dram_write_bits, &db))
      return traffic_overflow(t, &net->layers[i], d);
    rpt_table_set_u64(t, X_DRAM, db);
    rpt_table_set_f64(t, X_EC, e[i].compute_pj);
    rpt_table_set_f64(t, X_ES, e[i].sram_pj);
    rpt_table_set_f64(t, X_ED, e[i].dram_pj);
    rpt_table_set_f64(t, X_EST, static_of(e[i].compute_pj, e[i].sram_pj, e[i].dram_pj, e[i].total_pj));
    rpt_table_set_f64(t, X_ET, e[i].total_pj);
    if (!em_add_u64(dram, db, &dram) || !em_add_u64(tot, s->cycles, &tot))
      return totals_overflow(t, net, d);
    et += e[i].total_pj;
    ec += e[i].compute_pj;
    es += e[i].sram_pj;
    ed += e[i].dram_pj;
    if (s->cycles > max) max = s->cycles;
  }
  if (rpt_table_add_row(t) == (size_t)-1) goto fail;
  rpt_table_set_str(t, X_LAYER, "total");
  rpt_table_set_u64(t, X_CYC, tot);
  rpt_table_set_f64(t, X_TIME, em_cycles_to_s(tot, c->freq_mhz) * 1e6);
  rpt_table_set_u64(t, X_DRAM, dram);
  rpt_table_set_f64(t, X_EC, ec);
  rpt_table_set_f64(t, X_ES, es);
  rpt_table_set_f64(t, X_ED, ed);
  rpt_table_set_f64(t, X_EST, static_of(ec, es, ed, et));
  rpt_table_set_f64(t, X_ET, et);
  snprintf(buf, sizeof buf, "energy table: %s", energy_table);
  rpt_table_add_note(t, buf);
  snprintf(buf, sizeof buf,
           "one shared MVAU runs the layers in turn (total); a FINN dataflow pipeline with "
           "one MVAU per layer starts a new input every %llu cycles (the slowest layer)",
           (unsigned long long)max);
  rpt_table_add_note(t, buf);
  *out = t;
  return EM_OK;
fail:
  return out_of_memory(t, d);
}
