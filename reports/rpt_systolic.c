/*
 * rpt_systolic.c - systolic array reports (rpt_systolic.h).  The SCALE-Sim
 * files keep its header text, its ", " separators and trailing comma, and
 * print start/stop cycles with one decimal as it does, so that the files
 * compare column by column with SCALE-Sim's.
 */
#include "rpt_systolic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_units.h"

static bool has_macs(const sa_layer_stats *s) { return s->macs > 0; }

/* SCALE-Sim runs a depthwise (DP) layer as one layer per channel and
 * reports each: a grouped layer gets one row per group here too. Its
 * groups are identical runs, so one group's figures are the layer's
 * counts divided by the number of groups; utilizations and start/stop
 * cycles are every group's. */
static uint64_t row_count(const sa_layer_stats *s) {
  return has_macs(s) ? (s->groups > 1 ? s->groups : 1) : 0;
}

static sa_layer_stats one_group(const sa_layer_stats *s) {
  sa_layer_stats g = *s;
  uint64_t n = s->groups > 1 ? s->groups : 1;
  g.folds /= n;
  g.total_cycles /= n;
  g.stall_cycles /= n;
  g.macs /= n;
  g.ifmap_sram_reads /= n;
  g.filter_sram_reads /= n;
  g.ofmap_sram_writes /= n;
  g.ifmap_dram_reads /= n;
  g.filter_dram_reads /= n;
  g.ofmap_dram_writes /= n;
  g.groups = 1;
  return g;
}

void rpt_sa_compute_report(const wl_network *net, const sa_layer_stats *stats, FILE *out) {
  fputs("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
        "Compute Util %,\n",
        out);
  unsigned id = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const sa_layer_stats grp = one_group(&stats[i]), *s = &grp;
    for (uint64_t k = row_count(&stats[i]); k > 0; k--) {
      fprintf(out, "%u, %" PRIu64 ", %" PRIu64 ", %.15g, %.15g, %.15g,\n", id++, s->total_cycles,
              s->stall_cycles, s->overall_util_pct, s->mapping_eff_pct, s->compute_util_pct);
    }
  }
}

static double per_cycle(uint64_t n, int64_t start, int64_t stop) {
  int64_t span = stop - start + 1;
  return span > 0 ? (double)n / (double)span : 0.0;
}

void rpt_sa_bandwidth_report(const wl_network *net, const sa_layer_stats *stats, FILE *out) {
  fputs("LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, Avg IFMAP DRAM BW, "
        "Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n",
        out);
  unsigned id = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const sa_layer_stats grp = one_group(&stats[i]), *s = &grp;
    for (uint64_t k = row_count(&stats[i]); k > 0; k--) {
      /* (a layer with MACs takes a cycle at least: sa_model's count_short) */
      double cyc = s->total_cycles ? (double)s->total_cycles : 1.0;
      fprintf(out, "%u, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g,\n", id++,
              (double)s->ifmap_sram_reads / cyc, (double)s->filter_sram_reads / cyc,
              (double)s->ofmap_sram_writes / cyc,
              per_cycle(s->ifmap_dram_reads, s->ifmap_dram_start, s->ifmap_dram_stop),
              per_cycle(s->filter_dram_reads, s->filter_dram_start, s->filter_dram_stop),
              per_cycle(s->ofmap_dram_writes, s->ofmap_dram_start, s->ofmap_dram_stop));
    }
  }
}

void rpt_sa_detailed_report(const wl_network *net, const sa_layer_stats *stats, FILE *out) {
  fputs("LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, "
        "SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, "
        "SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, "
        "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, "
        "DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, "
        "DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n",
        out);
  unsigned id = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const sa_layer_stats grp = one_group(&stats[i]), *s = &grp;
    for (uint64_t k = row_count(&stats[i]); k > 0; k--) {
      fprintf(out,
              "%u, %.1f, %.1f, %" PRIu64 ", %.1f, %.1f, %" PRIu64 ", %.1f, %.1f, %" PRIu64
              ", %.1f, %.1f, %" PRIu64 ", %.1f, %.1f, %" PRIu64 ", %.1f, %.1f, %" PRIu64 ",\n",
              id++, (double)s->ifmap_sram_start, (double)s->ifmap_sram_stop, s->ifmap_sram_reads,
              (double)s->filter_sram_start, (double)s->filter_sram_stop, s->filter_sram_reads,
              (double)s->ofmap_sram_start, (double)s->ofmap_sram_stop, s->ofmap_sram_writes,
              (double)s->ifmap_dram_start, (double)s->ifmap_dram_stop, s->ifmap_dram_reads,
              (double)s->filter_dram_start, (double)s->filter_dram_stop, s->filter_dram_reads,
              (double)s->ofmap_dram_start, (double)s->ofmap_dram_stop, s->ofmap_dram_writes);
    }
  }
}

enum {
  C_LAYER, C_TYPE, C_FOLDS, C_CYCLES, C_STALLS, C_TIME, C_UTIL, C_MAPEFF, C_CUTIL, C_MACS,
  C_BOPS, C_IFR, C_FLR, C_OFW, C_IFD, C_FLD, C_OFD, C_PSB, C_PSS, C_PSD, C_ECOMP, C_ESRAM,
  C_EDRAM, C_ESTAT, C_ETOT, C_COUNT
};

static const rpt_column columns[C_COUNT] = {
    [C_LAYER] = {"layer", RPT_STR, 0},
    [C_TYPE] = {"type", RPT_STR, 0},
    [C_FOLDS] = {"folds", RPT_U64, 0},
    [C_CYCLES] = {"total_cycles", RPT_U64, 0},
    [C_STALLS] = {"stall_cycles", RPT_U64, 0},
    [C_TIME] = {"time_us", RPT_F64, 3},
    [C_UTIL] = {"overall_util_pct", RPT_F64, 2},
    [C_MAPEFF] = {"mapping_eff_pct", RPT_F64, 2},
    [C_CUTIL] = {"compute_util_pct", RPT_F64, 2},
    [C_MACS] = {"macs", RPT_U64, 0},
    [C_BOPS] = {"bops", RPT_F64, 0},
    [C_IFR] = {"ifmap_sram_reads", RPT_U64, 0},
    [C_FLR] = {"filter_sram_reads", RPT_U64, 0},
    [C_OFW] = {"ofmap_sram_writes", RPT_U64, 0},
    [C_IFD] = {"ifmap_dram_reads", RPT_U64, 0},
    [C_FLD] = {"filter_dram_reads", RPT_U64, 0},
    [C_OFD] = {"ofmap_dram_writes", RPT_U64, 0},
    /* the partial sums among the ofmap counts (ws and is), charged at their
     * width and read back once (sa_energy); the total energy stays last */
    [C_PSB] = {"psum_bits", RPT_U64, 0},
    [C_PSS] = {"psum_sram_writes", RPT_U64, 0},
    [C_PSD] = {"psum_dram_writes", RPT_U64, 0},
    [C_ECOMP] = {"compute_energy_pj", RPT_F64, 1},
    [C_ESRAM] = {"sram_energy_pj", RPT_F64, 1},
    [C_EDRAM] = {"dram_energy_pj", RPT_F64, 1},
    [C_ESTAT] = {"static_energy_pj", RPT_F64, 1},
    [C_ETOT] = {"total_energy_pj", RPT_F64, 1},
};

/* The static energy in a total the model table gave (leakage x time,
 * hw_model.h's HW_E_STATIC): what the other components leave. */
static double static_of(const sa_energy *e) {
  double x = e->total_pj - (e->compute_pj + e->sram_pj + e->dram_pj);
  return x > 0 ? x : 0;
}

/* With a USER bandwidth, SCALE-Sim's read buffers (kept so that the
 * figures compare) can fetch an operand's words from DRAM many times over:
 * a note names the layers whose DRAM reads pass twice the words the array
 * read from that SRAM, the worst three first, so that nobody takes those
 * stalls for the physics of the array. */
#define REFETCH_NOTE_X 2.0
static void note_refetch(rpt_table *t, const wl_network *net, const sa_layer_stats *stats) {
  /* the worst three, worst first, with their figures; `over`: every layer
   * above the mark */
  size_t worst[3], nw = 0, over = 0, room = 400;
  double wx[3];
  const char *wop[3];
  for (size_t i = 0; i < net->n_layers; i++) {
    const char *op;
    double x = has_macs(&stats[i]) ? sa_refetch_x(&stats[i], &op) : 0;
    if (x <= REFETCH_NOTE_X) continue;
    over++;
    size_t at = nw < 3 ? nw++ : 3; /* 3: in only if it passes the third */
    for (; at > 0 && x > wx[at - 1]; at--)
      if (at < 3) {
        worst[at] = worst[at - 1];
        wx[at] = wx[at - 1];
        wop[at] = wop[at - 1];
      }
    if (at < 3) {
      worst[at] = i;
      wx[at] = x;
      wop[at] = op;
    }
  }
  size_t more = over - nw;
  if (!nw) return;
  for (size_t k = 0; k < nw; k++) room += strlen(net->layers[worst[k]].name) + 64;
  char *buf = malloc(room);
  if (!buf) return; /* out of memory: the table goes without its note */
  size_t len = (size_t)snprintf(buf, room,
                                "USER bandwidth keeps SCALE-Sim's read-buffer accounting, which "
                                "fetches some words many times; DRAM reads against the words "
                                "the array read from the same SRAM:");
  /* room holds it all (a ratio of uint64 counts has at most 20 digits);
   * len stays below room all the same */
  for (size_t k = 0; k < nw && len < room; k++)
    len += (size_t)snprintf(buf + len, room - len, "%s %s %s %.0fx", k ? "," : "",
                            net->layers[worst[k]].name, wop[k], wx[k]);
  if (more && len < room)
    len += (size_t)snprintf(buf + len, room - len, " (and %zu more layer%s above %.0fx)", more,
                            more > 1 ? "s" : "", REFETCH_NOTE_X);
  if (len < room)
    snprintf(buf + len, room - len, ". Their stall cycles follow from those reads "
                                    "(models/systolic/README.md); --set mode=closed gives the "
                                    "compulsory traffic.");
  rpt_table_add_note(t, buf);
  free(buf);
}

/* With a USER bandwidth, a note when the DRAM interface is busy for more
 * than 1 % over the layers' total_cycles (SCALE-Sim's count, kept): small
 * layers, whose first fill and last drain are a large share of their time,
 * then take longer than the table says. */
#define SPAN_NOTE_PCT 1.0
static void note_span(rpt_table *t, const wl_network *net, const sa_layer_stats *stats) {
  uint64_t cycles = 0, beyond = 0;
  size_t worst = SIZE_MAX;
  double wx = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    if (!has_macs(&stats[i]) || !stats[i].total_cycles) continue;
    uint64_t b = sa_dram_beyond(&stats[i]);
    cycles += stats[i].total_cycles;
    beyond += b;
    double x = (double)(stats[i].total_cycles + b) / (double)stats[i].total_cycles;
    if (x > wx) {
      wx = x;
      worst = i;
    }
  }
  if (!cycles || 100.0 * (double)beyond / (double)cycles <= SPAN_NOTE_PCT) return;
  const char *name = net->layers[worst].name;
  size_t room = strlen(name) + 600;
  char *buf = malloc(room);
  if (!buf) return; /* out of memory: the table goes without its note */
  snprintf(buf, room,
           "USER bandwidth keeps SCALE-Sim's cycle count, which starts after a layer's first "
           "DRAM fill and ends before its last ofmap drain: the DRAM interface is busy for "
           "%.1f %% more cycles than total_cycles (most on %s: %.2fx its cycles; DRAM start "
           "and stop cycles in DETAILED_ACCESS_REPORT.csv)",
           100.0 * (double)beyond / (double)cycles, name, wx);
  rpt_table_add_note(t, buf);
  free(buf);
}

rpt_table *rpt_sa_layer_table(const wl_network *net, const sa_config *cfg,
                              const sa_layer_stats *stats, const sa_energy *energy,
                              const char *energy_table, bool closed_form) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s on a %ux%u systolic array, %s dataflow", net->name, cfg->rows,
           cfg->cols, sa_dataflow_name(cfg->dataflow));
  rpt_table *t = rpt_table_create(buf, columns, C_COUNT);
  if (!t) return NULL;
  rpt_table_add_meta(t, "workload", net->source);
  snprintf(buf, sizeof buf, "ifmap %llu kB, filter %llu kB, ofmap %llu kB; %u-byte words%s",
           (unsigned long long)cfg->ifmap_sram_kb, (unsigned long long)cfg->filter_sram_kb,
           (unsigned long long)cfg->ofmap_sram_kb, cfg->word_bytes,
           cfg->pack_narrow ? ", narrow operands packed" : "");
  rpt_table_add_meta(t, "SRAM", buf);
  char bw[64];
  if (cfg->bw_calc)
    snprintf(bw, sizeof bw, "CALC (SCALE-Sim's estimate)");
  else
    snprintf(bw, sizeof bw, "USER, %u words/cycle", cfg->bandwidth);
  snprintf(buf, sizeof buf, "%s%s", bw,
           closed_form ? "; closed form: compulsory DRAM traffic (every operand once), no stalls" : "");
  rpt_table_add_meta(t, "interface bandwidth", buf);
  snprintf(buf, sizeof buf, "%.6g MHz", cfg->freq_mhz); /* as describe: 333.3, not 333 */
  rpt_table_add_meta(t, "clock", buf);
  rpt_table_add_meta(t, "energy table", energy_table);
  sa_layer_stats tot;
  sa_energy etot;
  memset(&tot, 0, sizeof tot);
  memset(&etot, 0, sizeof etot);
  for (size_t i = 0; i < net->n_layers; i++) {
    const sa_layer_stats *s = &stats[i];
    const sa_energy *e = &energy[i];
    if (!has_macs(s)) continue;
    if (rpt_table_add_row(t) == (size_t)-1) goto fail;
    rpt_table_set_str(t, C_LAYER, net->layers[i].name);
    rpt_table_set_str(t, C_TYPE, wl_kind_name(net->layers[i].kind));
    rpt_table_set_u64(t, C_FOLDS, s->folds);
    rpt_table_set_u64(t, C_CYCLES, s->total_cycles);
    rpt_table_set_u64(t, C_STALLS, s->stall_cycles);
    rpt_table_set_f64(t, C_TIME, em_cycles_to_s(s->total_cycles, cfg->freq_mhz) * 1e6);
    rpt_table_set_f64(t, C_UTIL, s->overall_util_pct);
    rpt_table_set_f64(t, C_MAPEFF, s->mapping_eff_pct);
    rpt_table_set_f64(t, C_CUTIL, s->compute_util_pct);
    rpt_table_set_u64(t, C_MACS, s->macs);
    rpt_table_set_f64(t, C_BOPS, e->bops);
    rpt_table_set_u64(t, C_IFR, s->ifmap_sram_reads);
    rpt_table_set_u64(t, C_FLR, s->filter_sram_reads);
    rpt_table_set_u64(t, C_OFW, s->ofmap_sram_writes);
    rpt_table_set_u64(t, C_IFD, s->ifmap_dram_reads);
    rpt_table_set_u64(t, C_FLD, s->filter_dram_reads);
    rpt_table_set_u64(t, C_OFD, s->ofmap_dram_writes);
    rpt_table_set_f64(t, C_ECOMP, e->compute_pj);
    rpt_table_set_f64(t, C_ESRAM, e->sram_pj);
    rpt_table_set_f64(t, C_EDRAM, e->dram_pj);
    rpt_table_set_f64(t, C_ESTAT, static_of(e));
    rpt_table_set_f64(t, C_ETOT, e->total_pj);
    if (e->psum_bits) rpt_table_set_u64(t, C_PSB, e->psum_bits);
    rpt_table_set_u64(t, C_PSS, e->psum_sram);
    rpt_table_set_u64(t, C_PSD, e->psum_dram);
    etot.psum_sram += e->psum_sram;
    etot.psum_dram += e->psum_dram;
    tot.folds += s->folds;
    tot.total_cycles += s->total_cycles;
    tot.stall_cycles += s->stall_cycles;
    tot.macs += s->macs;
    tot.ifmap_sram_reads += s->ifmap_sram_reads;
    tot.filter_sram_reads += s->filter_sram_reads;
    tot.ofmap_sram_writes += s->ofmap_sram_writes;
    tot.ifmap_dram_reads += s->ifmap_dram_reads;
    tot.filter_dram_reads += s->filter_dram_reads;
    tot.ofmap_dram_writes += s->ofmap_dram_writes;
    etot.bops += e->bops;
    etot.compute_pj += e->compute_pj;
    etot.sram_pj += e->sram_pj;
    etot.dram_pj += e->dram_pj;
    etot.total_pj += e->total_pj;
  }
  if (rpt_table_add_row(t) == (size_t)-1) goto fail;
  rpt_table_set_str(t, C_LAYER, "total");
  rpt_table_set_u64(t, C_FOLDS, tot.folds);
  rpt_table_set_u64(t, C_CYCLES, tot.total_cycles);
  rpt_table_set_u64(t, C_STALLS, tot.stall_cycles);
  rpt_table_set_f64(t, C_TIME, em_cycles_to_s(tot.total_cycles, cfg->freq_mhz) * 1e6);
  if (tot.total_cycles)
    rpt_table_set_f64(t, C_UTIL, 100.0 * (double)tot.macs /
                                     ((double)tot.total_cycles * cfg->rows * cfg->cols));
  rpt_table_set_u64(t, C_MACS, tot.macs);
  rpt_table_set_f64(t, C_BOPS, etot.bops);
  rpt_table_set_u64(t, C_IFR, tot.ifmap_sram_reads);
  rpt_table_set_u64(t, C_FLR, tot.filter_sram_reads);
  rpt_table_set_u64(t, C_OFW, tot.ofmap_sram_writes);
  rpt_table_set_u64(t, C_IFD, tot.ifmap_dram_reads);
  rpt_table_set_u64(t, C_FLD, tot.filter_dram_reads);
  rpt_table_set_u64(t, C_OFD, tot.ofmap_dram_writes);
  rpt_table_set_f64(t, C_ECOMP, etot.compute_pj);
  rpt_table_set_f64(t, C_ESRAM, etot.sram_pj);
  rpt_table_set_f64(t, C_EDRAM, etot.dram_pj);
  rpt_table_set_f64(t, C_ESTAT, static_of(&etot));
  rpt_table_set_f64(t, C_ETOT, etot.total_pj);
  rpt_table_set_u64(t, C_PSS, etot.psum_sram);
  rpt_table_set_u64(t, C_PSD, etot.psum_dram);
  if (etot.psum_sram)
    rpt_table_add_note(t, "psum_bits, psum_sram_writes, psum_dram_writes: the partial sums among "
                          "the ofmap writes (every row fold's but the last, ws and is), at the "
                          "accumulator's ceil(w + a + log2 K) bits, each also read back once to "
                          "be added to (SCALE-Sim's counters have neither); the energy charges "
                          "them so (models/systolic/README.md)");
  if (cfg->dataflow == SA_OS && cfg->rows == 1 && cfg->cols == 1 && tot.macs)
    rpt_table_add_note(t, "total_cycles on a 1 x 1 os array: folds x W, one MAC a cycle, one "
                          "more than SCALE-Sim's count (folds x per-fold - 1, its off-by-one, "
                          "which there falls under one cycle a MAC: 0 cycles for one MAC, "
                          "where SCALE-Sim v2 divides by zero); every other array and "
                          "dataflow keeps its count (models/systolic/README.md)");
  if (!cfg->bw_calc && !closed_form) note_refetch(t, net, stats);
  if (!cfg->bw_calc && !closed_form) note_span(t, net, stats);
  return t;
fail:
  rpt_table_destroy(t);
  return NULL;
}
