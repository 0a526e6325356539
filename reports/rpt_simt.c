/* rpt_simt.c - SIMT GPU tables (rpt_simt.h). */
#include "rpt_simt.h"

#include <stdio.h>
#include <string.h>

#include "em_units.h"

static double pct(uint64_t a, uint64_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

/* a / b as a cell of column col: a hit rate over no access, sectors per
 * load over no load, is n/a (an empty cell), not 0 % (a cache missed every
 * time) */
static void set_ratio(rpt_table *t, size_t col, uint64_t a, uint64_t b, double scale) {
  if (b) rpt_table_set_f64(t, col, scale * (double)a / (double)b);
}

static rpt_table *start(const rpt_simt_ctx *c, const char *what, const rpt_column *cols,
                        size_t ncols) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s of %s on %s", what, c->source, c->gpu->name);
  rpt_table *t = rpt_table_create(buf, cols, ncols);
  if (!t) return NULL;
  const simt_config *g = c->gpu;
  rpt_table_add_meta(t, "workload", c->source);
  snprintf(buf, sizeof buf,
           "%llu SMs x %llu schedulers, %llu threads/SM, %.0f MHz, L1 %llu kB, L2 %llu kB, "
           "%llu DRAM channels",
           (unsigned long long)g->n_sm, (unsigned long long)g->n_sched,
           (unsigned long long)g->max_threads_per_sm, g->core_freq_mhz,
           (unsigned long long)(g->l1_bytes / 1024), (unsigned long long)(g->l2_bytes / 1024),
           (unsigned long long)g->dram_channels);
  rpt_table_add_meta(t, "gpu", buf);
  return t;
}

enum { K_NAME, K_BLOCKS, K_OCC, K_LAUNCH, K_CYC, K_TIME, K_WI, K_IPC, K_SIMD, K_DIV, K_L1,
       K_L2, K_DR, K_DW, K_SPR, K_CONF, K_FLOPS, K_ROOF, K_XROOF, K_E, K_COUNT };
static const rpt_column kcols[K_COUNT] = {
    [K_NAME] = {"kernel", RPT_STR, 0},
    [K_BLOCKS] = {"blocks", RPT_U64, 0},
    [K_OCC] = {"blocks_per_sm", RPT_STR, 0},
    [K_LAUNCH] = {"launch_cycles", RPT_U64, 0},
    [K_CYC] = {"cycles", RPT_U64, 0},
    [K_TIME] = {"time_us", RPT_F64, 3},
    [K_WI] = {"warp_insts", RPT_U64, 0},
    [K_IPC] = {"ipc", RPT_F64, 2},
    [K_SIMD] = {"simd_eff_pct", RPT_F64, 2},
    [K_DIV] = {"divergent_branches", RPT_U64, 0},
    [K_L1] = {"l1_hit_pct", RPT_F64, 2},
    [K_L2] = {"l2_hit_pct", RPT_F64, 2},
    [K_DR] = {"dram_read_sectors", RPT_U64, 0},
    [K_DW] = {"dram_write_sectors", RPT_U64, 0},
    [K_SPR] = {"sectors_per_gld", RPT_F64, 2},
    [K_CONF] = {"smem_conflict_cycles", RPT_U64, 0},
    [K_FLOPS] = {"flops", RPT_U64, 0},
    [K_ROOF] = {"roofline_cycles", RPT_U64, 0},
    [K_XROOF] = {"x_roofline", RPT_F64, 2},
    [K_E] = {"energy_uj", RPT_F64, 3},
};

rpt_table *rpt_simt_kernels(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n) {
  rpt_table *t = start(c, "SIMT run", kcols, K_COUNT);
  if (!t) return NULL;
  simt_stats tot;
  memset(&tot, 0, sizeof tot);
  double roof = 0, e = 0;
  char buf[96];
  for (size_t i = 0; i < n; i++) {
    const simt_stats *s = &k[i].st;
    if (rpt_table_add_row(t) == (size_t)-1) goto fail;
    rpt_table_set_str(t, K_NAME, s->kernel);
    rpt_table_set_u64(t, K_BLOCKS, s->blocks);
    snprintf(buf, sizeof buf, "%llu (%s)", (unsigned long long)s->occ.blocks_per_sm,
             simt_limit_name(s->occ.limiter));
    rpt_table_set_str(t, K_OCC, buf);
    rpt_table_set_u64(t, K_LAUNCH, s->launch_cycles);
    rpt_table_set_u64(t, K_CYC, s->cycles);
    rpt_table_set_f64(t, K_TIME,
                      em_cycles_to_s(s->launch_cycles + s->cycles, c->gpu->core_freq_mhz) * 1e6);
    rpt_table_set_u64(t, K_WI, s->warp_insts);
    rpt_table_set_f64(t, K_IPC, simt_stats_ipc(s));
    rpt_table_set_f64(t, K_SIMD, 100.0 * simt_stats_simd_eff(s));
    rpt_table_set_u64(t, K_DIV, s->divergent_branches);
    set_ratio(t, K_L1, s->mem.l1_hits, s->mem.l1_sectors, 100.0);
    set_ratio(t, K_L2, s->mem.l2_hits, s->mem.l2_sectors, 100.0);
    rpt_table_set_u64(t, K_DR, s->mem.dram_reads);
    rpt_table_set_u64(t, K_DW, s->mem.dram_writes);
    set_ratio(t, K_SPR, s->gld_sectors, s->gld_requests, 1.0);
    rpt_table_set_u64(t, K_CONF, s->smem_conflict_cycles);
    rpt_table_set_u64(t, K_FLOPS, s->flops);
    rpt_table_set_u64(t, K_ROOF, (uint64_t)(k[i].roofline_cycles + 0.5));
    if (k[i].roofline_cycles > 0) /* no flop, no DRAM byte: no bound (n/a, not 0) */
      rpt_table_set_f64(t, K_XROOF, (double)s->cycles / k[i].roofline_cycles);
    rpt_table_set_f64(t, K_E, k[i].e.total_pj * 1e-6);
    tot.cycles += s->cycles;
    tot.launch_cycles += s->launch_cycles;
    tot.warp_insts += s->warp_insts;
    tot.lane_insts += s->lane_insts;
    tot.blocks += s->blocks;
    tot.divergent_branches += s->divergent_branches;
    tot.mem.l1_hits += s->mem.l1_hits;
    tot.mem.l1_sectors += s->mem.l1_sectors;
    tot.mem.l2_hits += s->mem.l2_hits;
    tot.mem.l2_sectors += s->mem.l2_sectors;
    tot.mem.dram_reads += s->mem.dram_reads;
    tot.mem.dram_writes += s->mem.dram_writes;
    tot.gld_requests += s->gld_requests;
    tot.gld_sectors += s->gld_sectors;
    tot.smem_conflict_cycles += s->smem_conflict_cycles;
    tot.flops += s->flops;
    tot.warp_size = s->warp_size;
    roof += k[i].roofline_cycles;
    e += k[i].e.total_pj;
  }
  if (rpt_table_add_row(t) == (size_t)-1) goto fail;
  rpt_table_set_str(t, K_NAME, "total");
  rpt_table_set_u64(t, K_BLOCKS, tot.blocks);
  rpt_table_set_u64(t, K_LAUNCH, tot.launch_cycles);
  rpt_table_set_u64(t, K_CYC, tot.cycles);
  rpt_table_set_f64(t, K_TIME,
                    em_cycles_to_s(tot.launch_cycles + tot.cycles, c->gpu->core_freq_mhz) * 1e6);
  rpt_table_set_u64(t, K_WI, tot.warp_insts);
  rpt_table_set_f64(t, K_IPC, simt_stats_ipc(&tot));
  rpt_table_set_f64(t, K_SIMD, 100.0 * simt_stats_simd_eff(&tot));
  rpt_table_set_u64(t, K_DIV, tot.divergent_branches);
  set_ratio(t, K_L1, tot.mem.l1_hits, tot.mem.l1_sectors, 100.0);
  set_ratio(t, K_L2, tot.mem.l2_hits, tot.mem.l2_sectors, 100.0);
  rpt_table_set_u64(t, K_DR, tot.mem.dram_reads);
  rpt_table_set_u64(t, K_DW, tot.mem.dram_writes);
  set_ratio(t, K_SPR, tot.gld_sectors, tot.gld_requests, 1.0);
  rpt_table_set_u64(t, K_CONF, tot.smem_conflict_cycles);
  rpt_table_set_u64(t, K_FLOPS, tot.flops);
  rpt_table_set_u64(t, K_ROOF, (uint64_t)(roof + 0.5));
  if (roof > 0) rpt_table_set_f64(t, K_XROOF, (double)tot.cycles / roof);
  rpt_table_set_f64(t, K_E, e * 1e-6);
  rpt_table_add_note(t, "launch_cycles: before the kernel's first block, the GPU idle "
                        "(kernel_launch_cycles); cycles: from its first block to its last "
                        "one's end (ipc and x_roofline are over these); time_us: both, at the "
                        "core clock, as an end-to-end timer sees a kernel in a stream");
  rpt_table_add_note(t, "flops: executed, 2 per multiply-add (an MMA's by the shape its SASS "
                        "names: HMMA.884 256 multiply-adds, HMMA.1688 1024, HMMA.16816 2048)");
  rpt_table_add_note(t, "x_roofline: simulated cycles over the roofline bound (peak fp32 "
                        "FLOPs, the fp16 lanes' peak for HFMA2s, the tensor cores' peak for "
                        "MMAs, or peak DRAM bandwidth on compulsory bytes); never below 1; "
                        "empty for a kernel with no flop and no DRAM byte");
  return t;
fail:
  rpt_table_destroy(t);
  return NULL;
}

rpt_table *rpt_simt_timing(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n) {
  static const rpt_column cols[] = {{"kernel", RPT_STR, 0}, {"warp_insts", RPT_U64, 0},
                                    {"sim_s", RPT_F64, 3}, {"sim_minst_per_s", RPT_F64, 2}};
  rpt_table *t = start(c, "Simulation speed (CPU time of one core)", cols, 4);
  if (!t) return NULL;
  uint64_t insts = 0;
  double secs = 0;
  for (size_t i = 0; i <= n; i++) {
    uint64_t w = i < n ? k[i].st.warp_insts : insts;
    double sec = i < n ? k[i].sim_seconds : secs;
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    rpt_table_set_str(t, 0, i < n ? k[i].st.kernel : "total");
    rpt_table_set_u64(t, 1, w);
    rpt_table_set_f64(t, 2, sec);
    rpt_table_set_f64(t, 3, sec > 0 ? (double)w / sec * 1e-6 : 0.0);
    if (i < n) {
      insts += w;
      secs += sec;
    }
  }
  rpt_table_add_note(t, "the host's speed, apart from the result tables (which are the same "
                        "byte for byte on every run): the simulating thread's CPU time, a "
                        "layer's kernel generation included");
  return t;
}

rpt_table *rpt_simt_stalls(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n) {
  rpt_column cols[2 + SIMT_STALL_COUNT];
  char names[SIMT_STALL_COUNT][40];
  cols[0] = (rpt_column){"kernel", RPT_STR, 0};
  cols[1] = (rpt_column){"issue_pct", RPT_F64, 2};
  for (int s = 0; s < SIMT_STALL_COUNT; s++) {
    snprintf(names[s], sizeof names[s], "%s_pct", simt_stall_name((simt_stall)s));
    cols[2 + s] = (rpt_column){names[s], RPT_F64, 2};
  }
  rpt_table *t = start(c, "Scheduler cycles", cols, 2 + SIMT_STALL_COUNT);
  if (!t) return NULL;
  uint64_t tot_sched = 0, tot_issue = 0, tot_stall[SIMT_STALL_COUNT] = {0};
  for (size_t i = 0; i <= n; i++) {
    const simt_stats *s = i < n ? &k[i].st : NULL;
    uint64_t sched = s ? s->sched_cycles : tot_sched;
    uint64_t issue = s ? s->warp_insts : tot_issue;
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    rpt_table_set_str(t, 0, s ? s->kernel : "total");
    rpt_table_set_f64(t, 1, pct(issue, sched));
    for (int j = 0; j < SIMT_STALL_COUNT; j++)
      rpt_table_set_f64(t, 2 + (size_t)j, pct(s ? s->stall[j] : tot_stall[j], sched));
    if (s) {
      tot_sched += s->sched_cycles;
      tot_issue += s->warp_insts;
      for (int j = 0; j < SIMT_STALL_COUNT; j++) tot_stall[j] += s->stall[j];
    }
  }
  rpt_table_add_note(t, "share of scheduler cycles (schedulers x cycles): issuing, or the "
                        "reason the most advanced warp could not issue");
  return t;
}

static void energy_notes(rpt_table *t, const rpt_simt_ctx *c) {
  char buf[300];
  snprintf(buf, sizeof buf, "energy table: %s", c->energy_table);
  rpt_table_add_note(t, buf);
  for (unsigned i = 0; i < c->em->n_notes; i++) rpt_table_add_note(t, c->em->notes[i]);
}

rpt_table *rpt_simt_energy(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n) {
  rpt_column cols[4 + SIMT_E_COUNT];
  char names[SIMT_E_COUNT][40];
  cols[0] = (rpt_column){"kernel", RPT_STR, 0};
  for (int s = 0; s < SIMT_E_COUNT; s++) {
    snprintf(names[s], sizeof names[s], "%s_pj", simt_ecomp_name((simt_ecomp)s));
    cols[1 + s] = (rpt_column){names[s], RPT_F64, 1};
  }
  cols[1 + SIMT_E_COUNT] = (rpt_column){"total_pj", RPT_F64, 1};
  cols[2 + SIMT_E_COUNT] = (rpt_column){"power_w", RPT_F64, 2};
  cols[3 + SIMT_E_COUNT] = (rpt_column){"board_power_w", RPT_F64, 1};
  rpt_table *t = start(c, "Energy by component", cols, 4 + SIMT_E_COUNT);
  if (!t) return NULL;
  uint64_t tot_cycles = 0;
  simt_energy tot;
  memset(&tot, 0, sizeof tot);
  /* the kernels whose power is over the board's limit: the first few named */
  const simt_config *g = c->gpu;
  size_t over = 0;
  char over_names[200] = "";
  for (size_t i = 0; i <= n; i++) {
    const simt_energy *e = i < n ? &k[i].e : &tot;
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    rpt_table_set_str(t, 0, i < n ? k[i].st.kernel : "total");
    for (int j = 0; j < SIMT_E_COUNT; j++) rpt_table_set_f64(t, 1 + (size_t)j, e->comp_pj[j]);
    rpt_table_set_f64(t, 1 + SIMT_E_COUNT, e->total_pj);
    /* power while running: energy but the launch's over the run's time (the
     * total's over every kernel's) */
    double secs = em_cycles_to_s(i < n ? k[i].st.cycles : tot_cycles, g->core_freq_mhz);
    double watts =
        secs > 0 ? (e->total_pj - e->comp_pj[SIMT_E_LAUNCH]) * 1e-12 / secs : 0.0;
    rpt_table_set_f64(t, 2 + SIMT_E_COUNT, watts);
    rpt_table_set_f64(t, 3 + SIMT_E_COUNT, g->board_power_w);
    if (i < n && watts > g->board_power_w && over++ < 4) {
      size_t used = strlen(over_names);
      snprintf(over_names + used, sizeof over_names - used, "%s%s", used ? ", " : "",
               k[i].st.kernel);
    }
    if (i < n) {
      for (int j = 0; j < SIMT_E_COUNT; j++) tot.comp_pj[j] += e->comp_pj[j];
      tot.total_pj += e->total_pj;
      tot_cycles += k[i].st.cycles;
    }
  }
  rpt_table_add_note(t, "launch_pj: the board on and every SM idle over the kernel's "
                        "launch_cycles; power_w: the rest over its cycles, what the board "
                        "draws while the kernel runs");
  char buf[400];
  if (over) {
    snprintf(buf, sizeof buf,
             "power_w: %zu of %zu kernels (%s%s) draw more than board_power_w (%.0f W); a "
             "board would lower its clock to stay within it, which the model does not do "
             "(it runs at %.0f MHz throughout)",
             over, n, over_names, over > 4 ? ", ..." : "", g->board_power_w, g->core_freq_mhz);
    rpt_table_add_note(t, buf);
  }
  if (simt_config_resized(g)) {
    snprintf(buf, sizeof buf,
             "board_power_w: the limit of the board whose chip has %llu SMs (static_sm); "
             "this GPU has %llu, so it is no limit of a board made for it",
             (unsigned long long)g->static_sm, (unsigned long long)g->n_sm);
    rpt_table_add_note(t, buf);
  }
  energy_notes(t, c);
  return t;
}

rpt_table *rpt_simt_energy_classes(const rpt_simt_ctx *c, const rpt_simt_kernel *k, size_t n) {
  rpt_column cols[3 + SIMT_CLASS_COUNT];
  char names[SIMT_CLASS_COUNT][40];
  cols[0] = (rpt_column){"kernel", RPT_STR, 0};
  for (int s = 0; s < SIMT_CLASS_COUNT; s++) {
    snprintf(names[s], sizeof names[s], "%s_pj", simt_class_name((simt_class)s));
    cols[1 + s] = (rpt_column){names[s], RPT_F64, 1};
  }
  cols[1 + SIMT_CLASS_COUNT] = (rpt_column){"static_pj", RPT_F64, 1};
  cols[2 + SIMT_CLASS_COUNT] = (rpt_column){"total_pj", RPT_F64, 1};
  rpt_table *t = start(c, "Energy by instruction class", cols, 3 + SIMT_CLASS_COUNT);
  if (!t) return NULL;
  simt_energy tot;
  memset(&tot, 0, sizeof tot);
  for (size_t i = 0; i <= n; i++) {
    const simt_energy *e = i < n ? &k[i].e : &tot;
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    rpt_table_set_str(t, 0, i < n ? k[i].st.kernel : "total");
    for (int j = 0; j < SIMT_CLASS_COUNT; j++)
      rpt_table_set_f64(t, 1 + (size_t)j, e->class_pj[j]);
    /* static: constant, static and idle-SM power x time, the launch's
     * included (no class's) */
    double stat = e->comp_pj[SIMT_E_STATIC] + e->comp_pj[SIMT_E_IDLE] +
                  e->comp_pj[SIMT_E_CONST] + e->comp_pj[SIMT_E_LAUNCH];
    rpt_table_set_f64(t, 1 + SIMT_CLASS_COUNT, stat);
    rpt_table_set_f64(t, 2 + SIMT_CLASS_COUNT, e->total_pj);
    if (i < n) {
      for (int j = 0; j < SIMT_CLASS_COUNT; j++) tot.class_pj[j] += e->class_pj[j];
      tot.comp_pj[SIMT_E_STATIC] += stat;
      tot.total_pj += e->total_pj;
    }
  }
  /* the same figures as the energy by component, priced by the same table:
   * its notes said once, there (the two tables printed the same 21 notes) */
  char buf[300];
  snprintf(buf, sizeof buf, "energy table: %s, priced and scaled as the energy by component's "
           "notes say", c->energy_table);
  rpt_table_add_note(t, buf);
  /* one name, two sums: the component table's static_pj is leakage alone */
  rpt_table_add_note(t, "static_pj: the energy no instruction class draws, the energy by "
                        "component's static_pj, idle_sm_pj, constant_pj and launch_pj together "
                        "(there static_pj is the leakage alone)");
  return t;
}
