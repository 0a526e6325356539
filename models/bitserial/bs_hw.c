/*
 * bs_hw.c - the BISMO bit-serial array's entry in the hardware-model table
 * (hw_model.h): Dm x Dk x Dn at 200 MHz by default (BISMO's published
 * instance, bs_config_bismo), a layer through bs_layer and bs_layer_energy.
 *
 * Sparse points (the break-even sweep, hw_sparse_case): a K slice of a
 * column tile whose Dk x Dn weights are all zero is skipped (its b_a x b_w
 * plane-pair cycles, its buffer reads and its DRAM fetch; every tile still
 * drains the pipeline, and one with no live slice runs one cycle to write
 * its zeros), with a flag per slice and tile read as metadata; unstructured
 * zeros rarely empty a slice, blocks aligned to the tiling do. Every other
 * format is run this way: the array reads a slice flag, not the format's
 * indices, so the flags are the
 * metadata charged (one bit per slice and column tile, also at zero
 * sparsity).  channel runs the re-packed dense layer of the kept filters
 * (half the filters, half the column tiles), mask the dense layer. The array
 * enforces no DRAM bandwidth (its cycle model has no memory stalls).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs_array.h"
#include "hw_model.h"
#include "cm_area.h"

enum { K_DM, K_DK, K_DN, K_FREQ, K_COUNT };

static const hw_key keys[K_COUNT] = {
    [K_DM] = {"dm", "DPUs", HW_KEY_INT, 1, 65536, "8", NULL, "dot-product unit rows (Dm)"},
    [K_DK] = {"dk", "bits", HW_KEY_INT, 1, 65536, "256", NULL, "bits per dot-product slice (Dk)"},
    [K_DN] = {"dn", "DPUs", HW_KEY_INT, 1, 65536, "8", NULL, "dot-product unit columns (Dn)"},
    [K_FREQ] = {"freq_mhz", "MHz", HW_KEY_REAL, 1, 100000, "200", NULL, "array clock"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (w.fp || a.fp) return "bit planes of integers only";
  if (w.bits > 32 || a.bits > 32) return "integers up to 32 bits";
  return NULL;
}

static void init(void *cfg) { *(bs_config *)cfg = bs_config_bismo(); }

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  bs_config *c = cfg;
  uint32_t x = (uint32_t)strtoul(v, NULL, 10); /* checked by hw_key_check */
  switch (k) {
  case K_DM: c->dm = x; break;
  case K_DK: /* the popcount tree, and so the fill, grows with the slice */
    c->dk = x;
    c->fill_cycles = bs_fill_cycles(x);
    break;
  case K_DN: c->dn = x; break;
  case K_FREQ: c->freq_mhz = strtod(v, NULL); break;
  }
  return EM_OK;
}

static em_status check(const void *cfg, em_diag *d) { return bs_config_validate(cfg, d); }

/* A layer whose results pass the accumulator (bs_layer_check), found
 * before any layer runs; run_layer and sparse_point refuse it the same way
 * (bs_layer). */
static em_status check_layer(const void *cfg, const wl_layer *l, em_diag *d) {
  return bs_layer_check(cfg, l, d);
}

static double freq_mhz(const void *cfg) { return ((const bs_config *)cfg)->freq_mhz; }

/* The model holds no layer to a DRAM bandwidth (BISMO's fetch stage is
 * taken to keep up). */
static double dram_gbps(const void *cfg) {
  (void)cfg;
  return 0;
}

/* A run's K padding (bs_k_padding_note, `emlsim bitserial`'s k_slices
 * note), said where the layers that fill under half of it take a tenth or
 * more of the run's cycles: there the array's margins are the padding's,
 * not its arithmetic's (MobileNetV2's depthwise layers, K 9 of 256). */
#define BS_PAD_NOTE_SHARE 0.1

static bool run_note(const void *cfg, const wl_layer *l, const hw_result *r, size_t n, char *buf,
                     size_t size) {
  uint64_t *cycles = malloc((n ? n : 1) * sizeof *cycles);
  if (!cycles) return false; /* a note, not a figure: none where no memory */
  for (size_t i = 0; i < n; i++) cycles[i] = r[i].ran ? r[i].cycles : 0;
  bool said = bs_k_padding_note(cfg, l, cycles, n, BS_PAD_NOTE_SHARE, buf, size);
  free(cycles);
  return said;
}

/* "BISMO 8x256x8, 200 MHz": Dm x Dk x Dn, as BISMO names its instances. */
static void describe(const void *cfg, char *buf, size_t size) {
  const bs_config *c = cfg;
  snprintf(buf, size, "BISMO %lux%lux%lu, %.6g MHz", (unsigned long)c->dm, (unsigned long)c->dk,
           (unsigned long)c->dn, c->freq_mhz);
}

/* The table's record of a run's statistics and energy. */
static void fill(const bs_stats *s, const bs_energy *e, hw_result *r) {
  r->ran = true;
  r->cycles = s->total_cycles;
  r->energy_pj[HW_E_COMPUTE] = e->compute_pj;
  r->energy_pj[HW_E_SRAM] = e->sram_pj;
  r->energy_pj[HW_E_DRAM] = e->dram_pj;
  r->ops = (double)s->binary_ops;
  r->ops_unit = "binary op";
  r->utilization_pct = s->utilization_pct;
  /* bytes moved: a part of one counts whole (the bits / 8 it was priced
   * 20.31250098 pJ a bit in the study where the table says 20.3125) */
  r->sram_bytes = (s->sram_read_bits + s->sram_write_bits + 7) / 8;
  r->dram_bytes = (s->dram_read_bits + s->dram_write_bits + 7) / 8;
}

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  const bs_config *c = cfg;
  bs_stats s;
  bs_energy e;
  em_status st = bs_layer(c, l, &s, d);
  if (st != EM_OK || !s.total_cycles) return st;
  if ((st = bs_layer_energy(c, &s, t, &e, d)) != EM_OK) return st;
  if (detail) *(bs_stats *)detail = s;
  fill(&s, &e, r);
  return EM_OK;
}

static em_status sparse_point(const void *cfg, void *state, const cm_energy_table *t,
                              const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                              em_diag *d) {
  const bs_config *b = cfg;
  const wl_layer *l = c->layer;
  wl_gemm_view v = wl_layer_gemm_view(l);
  uint64_t N = v.n, K = v.k, M = v.m, wb = l->w.bits;
  cm_sparse_storage stor;
  em_status s = hw_sparse_begin(c, &stor, x, d);
  if (s != EM_OK) return s;
  if (!c->nz) return run_layer(cfg, state, t, l, r, NULL, d);
  /* the array's own counters for the break-even model: MACs on non-zero
   * weights over the cycles the DPUs computed */
  x->useful_macs = stor.nnz * M;
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE ||
      c->fmt.fmt == CM_FMT_CHANNEL) { /* channel: re-packed, a layer of the kept filters */
    uint64_t kept = c->fmt.fmt == CM_FMT_CHANNEL ? hw_sparse_kept_rows(c->nz, N, K) : N;
    if (!kept) return EM_OK;
    wl_layer part = c->fmt.fmt == CM_FMT_CHANNEL ? hw_sparse_gemm(c, kept, K) : *l;
    bs_stats ps = {0};
    if ((s = run_layer(cfg, state, t, &part, r, &ps, d)) != EM_OK) return s;
    x->busy_cycles = ps.compute_cycles;
    return EM_OK;
  }
  bs_stats st;
  if ((s = bs_layer(b, l, &st, d)) != EM_OK) return s;
  const uint8_t *nz = c->nz;
  uint64_t tn = (N + b->dn - 1) / b->dn, nsl = (K + b->dk - 1) / b->dk;
  uint64_t tm = (M + b->dm - 1) / b->dm, pairs = st.plane_pairs, live = 0, stall = 0, empty = 0;
  for (uint64_t j = 0; j < tn; j++) {
    uint64_t lj = 0;
    for (uint64_t q = 0; q < nsl; q++) {
      bool any = false;
      for (uint64_t row = j * b->dn; row < (j + 1) * b->dn && row < N && !any; row++)
        for (uint64_t k = q * b->dk; k < (q + 1) * b->dk && k < K; k++)
          if (nz[row * K + k]) {
            any = true;
            break;
          }
      lj += any;
    }
    live += lj;
    /* every output tile drains the execute pipeline (bs_layer), however
     * few of its slices run; a tile with none still issues one run of one
     * address to clear its accumulators and write its zero results: BISMO's
     * clear and write enables ride on the run's addresses, and a run of 0
     * slices emits no address, so no done (hls/ExecAddrGen.cpp) */
    uint64_t per_tile = (lj ? lj * pairs : 1) + b->fill_cycles;
    empty += !lj;
    stall += per_tile < b->dm ? b->dm - per_tile : 0;
  }
  uint64_t dense_slices = tn * nsl;
  st.compute_cycles = tm * live * pairs;
  st.overhead_cycles = tm * (tn * b->fill_cycles + empty + stall);
  st.total_cycles = st.compute_cycles + st.overhead_cycles;
  /* buffer reads follow the executed slices; the skipped slices are not
   * fetched: every fetch of B that bs_layer counts (once if all of B fits
   * its buffer, else once per row tile) brings only the live slices, into
   * the buffer and from DRAM; a flag per (column tile, slice) is read as
   * metadata */
  uint64_t res = st.tiles * b->dm * b->dn * b->acc_bits;
  st.sram_read_bits = st.compute_cycles * (b->dm + b->dn) * b->dk + res;
  uint64_t b_bits = tn * b->dn * nsl * b->dk * wb;
  uint64_t b_fetched = b_bits <= 8 * b->rhs_buf_bytes ? b_bits : b_bits * tm;
  uint64_t b_read = (uint64_t)((double)b_fetched * (double)live / (double)dense_slices);
  st.dram_read_bits = st.dram_read_bits - b_fetched + b_read + dense_slices;
  st.sram_write_bits = st.sram_write_bits - b_fetched + b_read;
  /* what the array stores is the live slices' weights (padded to the
   * tiles) and a flag per slice, not the format's indices: the table's
   * storage says so */
  x->metadata_bytes = (dense_slices + 7) / 8;
  x->runs_as = "the bit-serial array skips a K slice of a column tile whose weights are all "
               "zero, reading a flag per slice and tile, not the format's indices: every "
               "unstructured or block format runs and is stored so: one pattern gives the same "
               "figures in each";
  x->storage_bytes =
      ((uint64_t)((double)b_bits * (double)live / (double)dense_slices) + dense_slices + 7) / 8;
  bs_energy e;
  if ((s = bs_layer_energy(b, &st, t, &e, d)) != EM_OK) return s;
  fill(&st, &e, r);
  x->busy_cycles = st.compute_cycles;
  /* the dense layer's operation count and utilization do not apply */
  r->ops = 0;
  r->utilization_pct = 0;
  return EM_OK;
}

/* Area (cm_area.h): Dm x Dn dot-product units (emlsim_bitserial.v, Dk
 * lanes, linear between its 64- and 256-lane syntheses) and the operand
 * buffers, one SRAM per DPU row (LHS) and column (RHS). The array's area does
 * not depend on the operands' widths (it walks their bit planes). */
static void area(const void *cfg, const wl_layer *l, hw_area *a) {
  const bs_config *c = cfg;
  (void)l;
  double cell = cm_area_unit_cell_um2(CM_UNIT_BITSERIAL, c->dk) * c->dm * c->dn;
  double lhs = (double)c->lhs_buf_bytes / c->dm, rhs = (double)c->rhs_buf_bytes / c->dn;
  a->logic_mm2 = cm_area_logic_mm2(cell);
  a->sram_mm2 = c->dm * cm_area_sram_mm2(lhs) + c->dn * cm_area_sram_mm2(rhs);
  a->leakage_mw = cm_area_logic_leakage_mw(cell) + c->dm * cm_area_sram_leakage_mw(lhs) +
                  c->dn * cm_area_sram_leakage_mw(rhs);
  a->total_mm2 = a->logic_mm2 + a->sram_mm2;
  a->node_nm = 45;
  a->source = "yosys emlsim_bitserial x NanGate45 / 0.5 utilization; CACTI 7.0 SRAMs";
}

const hw_model hw_bitserial = {
    .name = "bitserial",
    .summary = "a BISMO bit-serial matrix array (AND + popcount over bit planes)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
    .default_prec = {8, false},
    .config_size = sizeof(bs_config),
    .init = init,
    .set = set,
    .check = check,
    .run_layer = run_layer,
    .freq_mhz = freq_mhz,
    .dram_gbps = dram_gbps,
    .describe = describe,
    .check_layer = check_layer,
    .run_note = run_note,
    .sparse_point = sparse_point,
    .area = area,
};
