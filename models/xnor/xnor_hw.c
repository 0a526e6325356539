/*
 * xnor_hw.c - the FINN XNOR/popcount array's entry in the hardware-model
 * table (hw_model.h): one MVAU of PE x SIMD at 200 MHz by default, with a
 * 2452.5 KiB weight memory and 12.8 GB/s of DRAM (the ZC706's; both in
 * xnor_array.h), a layer through xnor_layer and xnor_layer_energy.
 *
 * Operations: each weight bit of each input vector and activation plane
 * costs an XNOR and a popcount add, 2 binary operations (FINN's convention:
 * a binary MAC is two operations).
 *
 * Sparse points (the break-even sweep, hw_sparse_case): weights are +1 or
 * -1, so there are no zeros to skip; channel pruning runs the layer with
 * the kept filters, figure for figure `emlsim xnor` on it (its memories'
 * leakage included), and mask the dense layer; other formats are refused
 * with that reason. The unit's DRAM bandwidth bounds every layer
 * (xnor_array.h); the break-even model is given it (bw_bytes_per_cycle).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_model.h"
#include "cm_area.h"
#include "xnor_array.h"

enum { K_PE, K_SIMD, K_FREQ, K_WMEM, K_DRAM, K_COUNT };

static const hw_key keys[K_COUNT] = {
    [K_PE] = {"pe", "PEs", HW_KEY_INT, 1, 65536, "32", NULL, "processing elements (rows)"},
    [K_SIMD] = {"simd", "lanes", HW_KEY_INT, 1, 65536, "32", NULL, "SIMD lanes per PE"},
    [K_FREQ] = {"freq_mhz", "MHz", HW_KEY_REAL, 1, 100000, "200", NULL, "array clock"},
    /* the ZC706's Z-7045, FINN's board: 545 block RAMs of 36 Kbit (Xilinx
     * DS190) = 19,620 Kbit = 2452.5 KiB (xnor_array.h) */
    [K_WMEM] = {"weight_kib", "KiB", HW_KEY_REAL, 0, 1e9, "2452.5", NULL,
                "on-chip weight memory; a layer whose weights exceed it streams them from DRAM "
                "at every use (FINN's external mem_mode)"},
    /* the ZC706's PL DDR3 SODIMM: 64 bits at 1600 MT/s = 12.8 GB/s peak
     * (Xilinx's ZC706 board file; xnor_array.h).  No "unlimited" value: a
     * compute-only figure is a large one (100000 GB/s: 4e6 bits a cycle at
     * 200 MHz) */
    [K_DRAM] = {"dram_gbps", "GB/s", HW_KEY_REAL, 0.001, 1e5, "12.8", NULL,
                "off-chip DRAM bandwidth; a layer takes the longer of its compute and its DRAM "
                "traffic at this rate (they overlap)"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (w.fp || w.bits != 1) return "XNOR needs binary (1-bit) weights";
  if (a.fp) return "activations must be integers (bit planes)";
  return NULL;
}

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  xnor_config *c = cfg;
  switch (k) {
  case K_PE: c->pe = (uint32_t)strtoul(v, NULL, 10); break;
  case K_SIMD: c->simd = (uint32_t)strtoul(v, NULL, 10); break;
  case K_FREQ: c->freq_mhz = strtod(v, NULL); break;
  case K_WMEM: c->weight_kib = strtod(v, NULL); break;
  case K_DRAM: c->dram_gbps = strtod(v, NULL); break;
  }
  return EM_OK;
}

static em_status check(const void *cfg, em_diag *d) { return xnor_config_validate(cfg, d); }

static double freq_mhz(const void *cfg) { return ((const xnor_config *)cfg)->freq_mhz; }
static double dram_gbps(const void *cfg) { return ((const xnor_config *)cfg)->dram_gbps; }

/* "FINN PE 32 x SIMD 32, 200 MHz, up to 2452.5 KiB weights, 12.8 GB/s":
 * the MVAU's folding (FINN's names), its clock, the weight memory and the
 * DRAM bandwidth that decide when a layer streams or waits ("up to": the
 * design holds its layers' weights, no more, and its area is that) */
static void describe(const void *cfg, char *buf, size_t size) {
  const xnor_config *c = cfg;
  snprintf(buf, size, "FINN PE %lu x SIMD %lu, %.6g MHz, up to %.6g KiB weights, %.6g GB/s",
           (unsigned long)c->pe, (unsigned long)c->simd, c->freq_mhz, c->weight_kib,
           c->dram_gbps);
}

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  const xnor_config *c = cfg;
  xnor_stats s;
  xnor_energy e;
  em_status st = xnor_layer(c, l, &s, d);
  if (st != EM_OK || !s.cycles) return st;
  if ((st = xnor_layer_energy(c, &s, t, &e, d)) != EM_OK) return st;
  if (detail) *(xnor_stats *)detail = s;
  wl_gemm_view v = wl_layer_gemm_view(l);
  r->ran = true;
  r->cycles = s.cycles;
  r->energy_pj[HW_E_COMPUTE] = e.compute_pj;
  r->energy_pj[HW_E_SRAM] = e.sram_pj;
  r->energy_pj[HW_E_DRAM] = e.dram_pj;
  r->ops = 2.0 * (double)v.groups * (double)s.mh * (double)s.mw * (double)s.vectors *
           (double)s.passes;
  r->ops_unit = "binary op";
  r->utilization_pct = s.utilization_pct;
  /* bytes moved: a part of one counts whole (the bits / 8 it was priced
   * 20.31250098 pJ a bit in the study where the table says 20.3125) */
  r->sram_bytes = (s.weight_sram_read_bits + s.weight_sram_write_bits + s.swu_write_bits +
                   s.swu_read_bits + 7) / 8;
  r->dram_bytes = (s.dram_read_bits + s.dram_write_bits + 7) / 8;
  return EM_OK;
}

/* Dense, a mask (run dense) and pruned channels: +1/-1 weights have no
 * zeros another format would skip. */
static bool sparse_refuses(const void *cfg, const cm_sparse_spec *f, bool gate, char *why,
                           size_t size) {
  (void)cfg, (void)gate;
  if (f->fmt == CM_FMT_DENSE || f->fmt == CM_FMT_MASK || f->fmt == CM_FMT_CHANNEL) return false;
  char fname[32]; /* as the user names it: "2:4", "bsr8" (not "nm", "bsr") */
  cm_sparse_spec_name(f, fname, sizeof fname);
  snprintf(why, size,
           "an XNOR array's weights are +1 or -1: no zeros to skip in format '%s'; prune "
           "channels (format 'channel')",
           fname);
  return true;
}

static em_status sparse_point(const void *cfg, void *state, const cm_energy_table *t,
                              const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                              em_diag *d) {
  /* the dense layer as the workload has it (a convolution's input through
   * the SWU, read from DRAM once, as `emlsim xnor` runs it), else the GEMM:
   * the dense reference, a mask, and the pruned channels' convolution */
  const wl_layer *l = c->shape ? c->shape : c->layer;
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  uint64_t N = v.n, K = v.k, M = v.m;
  /* the bandwidth run_layer enforces, in bytes of its clock's cycles:
   * GB/s x 10^9 / (MHz x 10^6) (64 at the defaults) */
  const xnor_config *xc = cfg;
  x->bw_bytes_per_cycle = xc->dram_gbps * 1000.0 / xc->freq_mhz;
  cm_sparse_storage stor;
  em_status s = hw_sparse_begin(c, &stor, x, d);
  if (s != EM_OK) return s;
  if (!c->nz) return run_layer(cfg, state, t, l, r, NULL, d);
  /* the unit's own counters for the break-even model: binary MACs on kept
   * weights over the cycles the PEs computed (not those they waited on
   * DRAM: xnor_stats.compute_cycles) */
  x->useful_macs = stor.nnz * M;
  xnor_stats st = {0};
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE) {
    if ((s = run_layer(cfg, state, t, l, r, &st, d)) == EM_OK) x->busy_cycles = st.compute_cycles;
    return s;
  }
  /* channel: the other formats are refused before (sparse_refuses) */
  uint64_t kept = hw_sparse_kept_rows(c->nz, N, K);
  if (kept == 0) return EM_OK; /* nothing left to run */
  wl_layer part = hw_sparse_rows(c, kept);
  if ((s = run_layer(cfg, state, t, &part, r, &st, d)) != EM_OK) return s;
  x->busy_cycles = st.compute_cycles;
  /* The pruned layer is a layer of its own, `emlsim xnor` on the kept
   * filters figure for figure: its weight memory holds the kept weights
   * (the SRAM its reads and writes are priced at, which may be one the
   * dense layer streams past: FC-1 at 0.5, 2304 KiB that fit 2452.5) and
   * it leaks that memory, not the dense layer's (each layer leaks the
   * memories it uses: README, "Area and leakage"): hw_point_sparse
   * charges the layer that ran. */
  x->ran_other = true;
  x->ran = part;
  return EM_OK;
}

/* Area (cm_area.h): PE XNOR/popcount units of SIMD lanes (emlsim_xnor.v,
 * linear between its 32- to 256-lane syntheses) and, with a layer, its
 * memories (xnor_layer_memories, the decision its energy uses): the SRAM
 * holding its binary weights when they fit weight_kib (none when they
 * stream from DRAM: FINN's external mem_mode counts no weight RAM) and a
 * convolution's SWU buffer, two macros.  The one MVAU runs the layers in
 * turn, each loading its weights when it runs, which the energy charges;
 * without a layer, the logic alone. */
static void area(const void *cfg, const wl_layer *l, hw_area *a) {
  const xnor_config *c = cfg;
  double cell = cm_area_unit_cell_um2(CM_UNIT_XNOR, c->simd) * c->pe, wbytes = 0, sbytes = 0;
  xnor_memories m;
  if (l && xnor_layer_memories(c, l, &m)) {
    wbytes = (double)m.weight_mem_bits / 8.0;
    sbytes = (double)m.swu_buffer_bits / 8.0;
  }
  a->logic_mm2 = cm_area_logic_mm2(cell);
  a->sram_mm2 = cm_area_sram_mm2(wbytes) + cm_area_sram_mm2(sbytes);
  a->leakage_mw = cm_area_logic_leakage_mw(cell) + cm_area_sram_leakage_mw(wbytes) +
                  cm_area_sram_leakage_mw(sbytes);
  a->total_mm2 = a->logic_mm2 + a->sram_mm2;
  a->node_nm = 45;
  /* the weight SRAM is the layer's, not weight_kib's: a FINN design is
   * built for its network (the study's SimpleCNN on the default point is
   * 0.10 mm^2, AlexNet 7.04), which the describe line's "2452.5 KiB
   * weights" (the most it holds) does not say */
  a->source = "yosys emlsim_xnor x NanGate45 / 0.5 utilization; CACTI 7.0 SWU buffer and a "
              "weight SRAM sized to the largest layer's binary weights, up to weight_kib";
  /* each layer loads its own weights when it runs, so nothing needs
   * keeping between layers (README, "Area and leakage") */
  a->leak_gated = "a layer leaks only the memories it uses, the rest power-gated";
  if (!l)
    a->layer_adds = "an SRAM holding the layer's binary weights (up to weight_kib) and a "
                    "convolution's sliding-window buffer";
}

const hw_model hw_xnor = {
    .name = "xnor",
    .summary = "a FINN matrix-vector unit of XNOR/popcount PEs (binary weights)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
    .default_prec = {1, false},
    .config_size = sizeof(xnor_config),
    .set = set,
    .check = check,
    .run_layer = run_layer,
    .freq_mhz = freq_mhz,
    .dram_gbps = dram_gbps,
    .describe = describe,
    .sparse_point = sparse_point,
    .sparse_refuses = sparse_refuses,
    .area = area,
};
