/*
 * sa_hw.c - the systolic array's entry in the hardware-model table
 * (hw_model.h): its keys, and a layer run through sa_simulate (or the
 * closed form, mode = closed) and sa_layer_energy.
 *
 * Defaults are SCALE-Sim's configs/scale.cfg (32 x 32, os, 64 kB SRAMs,
 * CALC bandwidth, one 1-byte word per operand) at 1 GHz, with operands
 * narrower than a word packed (an int4 pair shares a byte, as any real
 * buffer stores them; at 8 bits this changes nothing, so SCALE-Sim's
 * figures are unaffected).
 *
 * Sparse points (the break-even sweep, hw_sparse_case), with the format's
 * values at the weight width and its metadata from cm_sparse.h:
 *   skip     zero skipping with compressed weight columns (os and ws): a
 *            column fold of C filters streams its longest compressed filter,
 *            so its window shrinks to that filter's non-zeros, and the
 *            shorter filters' empty slots are gated (a comparator of the
 *            weight width instead of a MAC); the format's metadata is read
 *            from DRAM once and from the filter SRAM with every use of its
 *            weight;
 *   gate     (hw_sparse_case.gate) the dense cycles, each zero weight's MACs
 *            cost a comparator instead of a multiply and an add;
 *   channel  the dense layer on the kept filters; mask the dense layer.
 * The dense reference is the layer itself (run_layer). The DRAM interface
 * bounds the roofline only with a USER bandwidth (words per cycle x word
 * bytes); CALC never stalls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_parse.h"
#include "hw_model.h"
#include "sa_config.h"
#include "sa_model.h"

typedef struct {
  sa_config c;
  bool closed; /* mode = closed: closed-form cycles, compulsory DRAM traffic */
  char file[EM_DIAG_PATH_MAX]; /* the .cfg read, where errors point; "" for none */
} sa_hw_cfg;

enum { K_ROWS, K_COLS, K_DATAFLOW, K_IFMAP, K_FILTER, K_OFMAP, K_BWMODE, K_BW, K_WORD, K_PACK,
       K_FREQ, K_MODE, K_COUNT };

static const hw_key keys[K_COUNT] = {
    [K_ROWS] = {"rows", "PEs", HW_KEY_INT, 1, 65536, "32", NULL, "PE rows (SCALE-Sim ArrayHeight)"},
    [K_COLS] = {"cols", "PEs", HW_KEY_INT, 1, 65536, "32", NULL,
                "PE columns (SCALE-Sim ArrayWidth)"},
    [K_DATAFLOW] = {"dataflow", "", HW_KEY_CHOICE, 0, 0, "os", "os,ws,is",
                    "output-, weight- or input-stationary"},
    [K_IFMAP] = {"ifmap_kb", "kB", HW_KEY_INT, 1, 4294967296.0, "64", NULL,
                 "ifmap SRAM (both halves of the double buffer)"},
    [K_FILTER] = {"filter_kb", "kB", HW_KEY_INT, 1, 4294967296.0, "64", NULL, "filter SRAM"},
    [K_OFMAP] = {"ofmap_kb", "kB", HW_KEY_INT, 1, 4294967296.0, "64", NULL, "ofmap SRAM"},
    [K_BWMODE] = {"bandwidth_mode", "", HW_KEY_CHOICE, 0, 0, "calc", "calc,user",
                  "calc: SCALE-Sim's estimate, no stalls; user: 'bandwidth' words/cycle, "
                  "reads stall when DRAM falls behind"},
    [K_BW] = {"bandwidth", "words/cycle", HW_KEY_INT, 1, 1 << 20, "10", NULL,
              "DRAM interface bandwidth (bandwidth_mode = user)"},
    [K_WORD] = {"word_bytes", "bytes", HW_KEY_INT, 1, 64, "1", NULL,
                "bytes per SRAM/DRAM word (SCALE-Sim: 1)"},
    [K_PACK] = {"pack", "", HW_KEY_BOOL, 0, 1, "true", NULL,
                "pack operands narrower than a word (int4: two per byte)"},
    [K_FREQ] = {"freq_mhz", "MHz", HW_KEY_REAL, 1, 100000, "1000", NULL, "array clock"},
    [K_MODE] = {"mode", "", HW_KEY_CHOICE, 0, 0, "simulate", "simulate,closed",
                "simulate: the buffers' demand streams (DRAM traffic, stalls); closed: "
                "closed-form cycles and compulsory DRAM traffic"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (w.fp || a.fp) return "its MACs are integer units";
  return NULL;
}

static void init(void *cfg) { ((sa_hw_cfg *)cfg)->c = sa_config_default(); }

static bool truth(const char *v) { return strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0; }

static em_status set(void *cfg, size_t k, const char *v, em_diag *d);

/* SCALE-Sim's configs/scale.cfg: the key table's defaults, and what no key
 * sets (the run name, the address offsets 0 / 10,000,000 / 20,000,000, one
 * memory bank). */
sa_config sa_config_default(void) {
  sa_hw_cfg h;
  memset(&h, 0, sizeof h);
  snprintf(h.c.run_name, sizeof h.c.run_name, "emlsim_run");
  h.c.filter_offset = 10000000;
  h.c.ofmap_offset = 20000000;
  h.c.memory_banks = 1;
  for (size_t k = 0; k < K_COUNT; k++) (void)set(&h, k, keys[k].dflt, NULL);
  return h.c;
}

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  sa_hw_cfg *h = cfg;
  sa_config *c = &h->c;
  uint64_t x = strtoull(v, NULL, 10); /* checked by hw_key_check */
  switch (k) {
  case K_ROWS: c->rows = (uint32_t)x; break;
  case K_COLS: c->cols = (uint32_t)x; break;
  case K_DATAFLOW: c->dataflow = (sa_dataflow)sa_dataflow_parse(v); break;
  case K_IFMAP: c->ifmap_sram_kb = x; break;
  case K_FILTER: c->filter_sram_kb = x; break;
  case K_OFMAP: c->ofmap_sram_kb = x; break;
  case K_BWMODE: c->bw_calc = strcasecmp(v, "calc") == 0; break;
  case K_BW: c->bandwidth = (uint32_t)x; break;
  case K_WORD: c->word_bytes = (uint32_t)x; break;
  case K_PACK: c->pack_narrow = truth(v); break;
  case K_FREQ: c->freq_mhz = strtod(v, NULL); break;
  case K_MODE: h->closed = strcmp(v, "closed") == 0; break;
  }
  return EM_OK;
}

static em_status load_file(void *cfg, const char *path, em_diag *d) {
  sa_hw_cfg *h = cfg;
  em_strlcpy(h->file, path, sizeof h->file);
  return sa_config_read(path, &h->c, d);
}

/* A combination that does not fit (an SRAM too small for a fold) points at
 * the .cfg it came from, or at the command line. */
static em_status check(const void *cfg, em_diag *d) {
  const sa_hw_cfg *h = cfg;
  return sa_config_validate(&h->c, h->file[0] ? h->file : "command line", d);
}

static double freq_mhz(const void *cfg) { return ((const sa_hw_cfg *)cfg)->c.freq_mhz; }

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  const sa_hw_cfg *h = cfg;
  sa_detail own, *det = detail ? detail : &own;
  const sa_traces *tr = detail ? det->traces : NULL;
  memset(&det->stats, 0, sizeof det->stats);
  memset(&det->energy, 0, sizeof det->energy);
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (v.m == 0) return EM_OK; /* no MACs: pooling, element-wise */
  em_status st;
  if (h->closed) {
    st = sa_closed_form(&h->c, l, &det->stats, d);
    /* compulsory DRAM traffic: every input, weight and output word once */
    det->stats.ifmap_dram_reads =
        l->kind == WL_CONV ? l->batch * l->in_h * l->in_w * l->in_c : v.m * v.k * v.groups;
    det->stats.filter_dram_reads = v.k * v.n * v.groups;
    det->stats.ofmap_dram_writes = v.m * v.n * v.groups;
  } else {
    st = sa_simulate(&h->c, l, tr, &det->stats, d);
  }
  if (st == EM_OK) st = sa_layer_energy(&h->c, l, &det->stats, t, &det->energy, d);
  if (st != EM_OK) return st;
  const sa_layer_stats *s = &det->stats;
  r->ran = true;
  r->cycles = s->total_cycles;
  r->energy_pj[HW_E_COMPUTE] = det->energy.compute_pj;
  r->energy_pj[HW_E_SRAM] = det->energy.sram_pj;
  r->energy_pj[HW_E_DRAM] = det->energy.dram_pj;
  r->ops = (double)s->macs;
  r->ops_unit = "MAC";
  r->utilization_pct = s->overall_util_pct;
  r->sram_bytes = det->energy.sram_words * h->c.word_bytes;
  r->dram_bytes = det->energy.dram_words * h->c.word_bytes;
  return EM_OK;
}

/* Runs a part of a sparse case (a fold group or the kept filters) as a layer. */
static em_status run_part(const void *cfg, const cm_energy_table *t, const hw_sparse_case *c,
                          uint64_t n, uint64_t k, hw_result *r, em_diag *d) {
  wl_layer l = hw_sparse_gemm(c, n, k);
  memset(r, 0, sizeof *r);
  return run_layer(cfg, NULL, t, &l, r, NULL, d);
}

static em_status sparse_point(const void *cfg, void *state, const cm_energy_table *t,
                              const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                              em_diag *d) {
  const sa_config *sa = &((const sa_hw_cfg *)cfg)->c;
  const wl_layer *l = c->layer;
  wl_gemm_view v = wl_layer_gemm_view(l);
  uint64_t N = v.n, K = v.k, M = v.m, wb = l->w.bits, ab = l->a.bits;
  x->bw_bytes_per_cycle = sa->bw_calc ? 0 : (double)sa->bandwidth * sa->word_bytes;
  x->xy_bytes = (double)(K * M * ab + N * M * ab) / 8.0;
  x->dense_bytes = (double)(N * K * wb) / 8.0 + x->xy_bytes;
  if (!c->nz) return run_layer(cfg, state, t, l, r, NULL, d);
  cm_sparse_spec spec = c->fmt;
  spec.value_bits = (uint32_t)wb;
  cm_sparse_storage stor;
  em_status s = hw_sparse_storage(c, &spec, &stor, x, d);
  if (s != EM_OK) return s;
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE)
    return run_layer(cfg, state, t, l, r, NULL, d);
  if (c->fmt.fmt == CM_FMT_CHANNEL) {
    uint64_t kept = hw_sparse_kept_rows(c->nz, N, K);
    return kept ? run_part(cfg, t, c, kept, K, r, d) : EM_OK;
  }
  /* per-MAC energy of the dense layer's arithmetic, and a comparator */
  cm_energy_value mult, add, cmp;
  if ((s = cm_energy_mult(t, false, (unsigned)wb, (unsigned)ab, &mult, d)) != EM_OK ||
      (s = cm_energy_add(t, false, (unsigned)(wb + ab), &add, d)) != EM_OK ||
      (s = cm_energy_add(t, false, (unsigned)wb, &cmp, d)) != EM_OK)
    return s;
  double gated_pj = mult.energy_pj + add.energy_pj - cmp.energy_pj; /* saved per zero MAC */
  if (c->gate) {
    if ((s = run_layer(cfg, state, t, l, r, NULL, d)) != EM_OK) return s;
    r->energy_pj[HW_E_COMPUTE] -= (double)((N * K - stor.nnz) * M) * gated_pj;
    return EM_OK;
  }
  if (sa->dataflow == SA_IS)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "zero skipping is modelled for the os and ws dataflows, not is");
  /* each fold group runs as a layer of its own: the closed form would
   * charge every group the whole ifmap as compulsory traffic */
  if (((const sa_hw_cfg *)cfg)->closed)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "zero skipping is simulated fold by fold: it needs mode = simulate, "
                       "not closed");
  /* a column fold of C filters streams its longest compressed filter */
  uint64_t C = sa->cols, total = 0, folds = 0, useful_macs = 0;
  for (uint64_t f0 = 0; f0 < N; f0 += C) {
    uint64_t n = N - f0 < C ? N - f0 : C, keff = 0, useful = 0;
    for (uint64_t row = f0; row < f0 + n; row++) {
      uint64_t k = cm_sparse_nnz(c->nz + row * K, K);
      if (k > keff) keff = k;
      useful += k;
    }
    if (keff == 0) continue;
    hw_result rf;
    if ((s = run_part(cfg, t, c, n, keff, &rf, d)) != EM_OK) return s;
    total += rf.cycles + 1; /* undo each fold group's final -1, once for the layer below */
    folds++;
    /* MACs the padded slots of shorter filters would do are gated */
    r->energy_pj[HW_E_COMPUTE] +=
        rf.energy_pj[HW_E_COMPUTE] - (double)((keff * n - useful) * M) * gated_pj;
    r->energy_pj[HW_E_SRAM] += rf.energy_pj[HW_E_SRAM];
    r->energy_pj[HW_E_DRAM] += rf.energy_pj[HW_E_DRAM];
    r->sram_bytes += rf.sram_bytes;
    r->dram_bytes += rf.dram_bytes;
    useful_macs += useful * M;
  }
  /* the format's metadata: read from DRAM once and from the filter SRAM with
   * every use of its weight (as often as the weights are read per word) */
  cm_energy_value dr, sr;
  uint64_t word_bits = 8ull * sa->word_bytes;
  if ((s = cm_energy_mem(t, CM_OP_DRAM_READ, 0, (unsigned)word_bits, &dr, d)) != EM_OK ||
      (s = cm_energy_mem(t, CM_OP_SRAM_READ, sa->filter_sram_kb * 1024, (unsigned)word_bits, &sr,
                         d)) != EM_OK)
    return s;
  double meta_words = (double)stor.metadata_bits / (double)word_bits;
  double reuse = (double)M / (double)(sa->dataflow == SA_OS ? sa->rows : 1);
  r->energy_pj[HW_E_DRAM] += meta_words * dr.energy_pj;
  r->energy_pj[HW_E_SRAM] += meta_words * (reuse < 1 ? 1 : reuse) * sr.energy_pj;
  r->ran = folds > 0;
  r->cycles = folds ? total - 1 : 0;
  r->ops = (double)useful_macs;
  r->ops_unit = "MAC";
  return EM_OK;
}

const hw_model hw_systolic = {
    .name = "systolic",
    .summary = "an R x C systolic MAC array with SRAM buffers (SCALE-Sim v2 compatible)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
    .default_prec = {8, false},
    .config_size = sizeof(sa_hw_cfg),
    .init = init,
    .set = set,
    .load_file = load_file,
    .check = check,
    .run_layer = run_layer,
    .freq_mhz = freq_mhz,
    .sparse_point = sparse_point,
};
