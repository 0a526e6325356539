/*
 * sa_hw.c - the systolic array's entry in the hardware-model table
 * (hw_model.h): its keys, and a layer run through sa_simulate (or the
 * closed form, mode = closed) and sa_layer_energy.
 *
 * Defaults are SCALE-Sim's configs/scale.cfg (32 x 32, os, 64 kB SRAMs,
 * CALC bandwidth, 1-byte words, one per operand of 8 bits or fewer, an
 * operand wider than that taking ceil(bits / 8) of them: sa_operand_words)
 * at 1 GHz, with operands narrower than a word packed (an int4 pair shares
 * a byte, as any real buffer stores them; at 8 bits this changes nothing,
 * so SCALE-Sim's figures are unaffected).
 *
 * Sparse points (the break-even sweep, hw_sparse_case), with the format's
 * values at the weight width and its metadata from cm_sparse.h:
 *   skip     (os and ws) the windows a fold can drop (fold_windows: the
 *            union rule on the rigid array, each PE's multiplexer under N:M,
 *            lock-step column groups under feed = flexible), then ONE
 *            simulation of the whole layer at the mean window with the dense
 *            run's buffers, the filter SRAM's capacity shared with the
 *            metadata.  Activations are charged dense (the row feed carries
 *            all K), weights as the stored values plus metadata read as
 *            often as the simulation read each filter word; slots of zero
 *            weights are gated (a comparator instead of a MAC).  Metadata
 *            costs cycles: C words a cycle through the filter SRAM's port,
 *            and its DRAM words over a USER bandwidth.  N:M adds an m:1
 *            multiplexer per PE, the flexible feed a Benes distribution
 *            network of 2 log2(C) + 1 stages per delivered activation
 *            (SIGMA, Qin et al., HPCA 2020);
 *   gate     (hw_sparse_case.gate, any format: gating instead of
 *            skipping) the dense cycles, each zero weight's MACs cost a
 *            comparator instead of a multiply and an add;
 *   channel  the dense layer on the kept filters; mask the dense layer.
 * The dense reference is the layer itself (run_layer). The DRAM interface
 * bounds the roofline only with a USER bandwidth (words per cycle x word
 * bytes); CALC never stalls.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_parse.h"
#include "em_pool.h"
#include "hw_model.h"
#include "cm_area.h"
#include "sa_config.h"
#include "sa_model.h"

typedef struct {
  sa_config c;
  char file[EM_DIAG_PATH_MAX]; /* the .cfg read, where errors point; "" for none */
  bool flexible;  /* feed = flexible: sparse points gather per column group */
  uint64_t group; /* feed_group: columns in lock-step under the flexible feed */
} sa_hw_cfg;

enum { K_ROWS, K_COLS, K_DATAFLOW, K_IFMAP, K_FILTER, K_OFMAP, K_BWMODE, K_BW, K_WORD, K_PACK,
       K_FREQ, K_MODE, K_FEED, K_GROUP, K_COUNT };

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
                  "reads stall when DRAM falls behind",
                  "mode=simulate"},
    [K_BW] = {"bandwidth", "words/cycle", HW_KEY_INT, 1, 1 << 20, "10", NULL,
              "DRAM interface bandwidth (bandwidth_mode = user)", "bandwidth_mode=user,mode=simulate"},
    [K_WORD] = {"word_bytes", "bytes", HW_KEY_INT, 1, 64, "1", NULL,
                "bytes per SRAM/DRAM word (SCALE-Sim: 1)"},
    [K_PACK] = {"pack", "", HW_KEY_BOOL, 0, 1, "true", NULL,
                "pack operands narrower than a word (int4: two per byte)"},
    [K_FREQ] = {"freq_mhz", "MHz", HW_KEY_REAL, 1, 100000, "1000", NULL, "array clock"},
    [K_MODE] = {"mode", "", HW_KEY_CHOICE, 0, 0, "simulate", "simulate,closed",
                "simulate: the buffers' demand streams (DRAM traffic, stalls); closed: "
                "closed-form cycles and compulsory DRAM traffic"},
    [K_FEED] = {"feed", "", HW_KEY_CHOICE, 0, 0, "rigid", "rigid,flexible",
                "sparse points: rigid (a row's activation shared by every column) or "
                "flexible (a distribution network feeds each column group, as SIGMA)", "sparse"},
    [K_GROUP] = {"feed_group", "columns", HW_KEY_INT, 1, 65536, "4", NULL,
                 "columns in lock-step under feed = flexible", "sparse"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (w.fp || a.fp) return "its MACs are integer units";
  /* the PE is synthesized up to 32 bits (rtl/emlsim_pe.v, cm_area.h): a
   * wider one has no area, so no leakage, and its energy would miss its
   * static part and undercut a 32-bit array's (it did, with 0.0 printed) */
  if (w.bits > 32 || a.bits > 32) return "integers up to 32 bits (its synthesized PE's widths)";
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
  case K_MODE: h->c.closed_form = strcmp(v, "closed") == 0; break;
  case K_FEED: h->flexible = strcmp(v, "flexible") == 0; break;
  case K_GROUP: h->group = x; break;
  }
  return EM_OK;
}

static em_status load_file(void *cfg, const char *path, em_diag *d) {
  sa_hw_cfg *h = cfg;
  em_strlcpy(h->file, path, sizeof h->file);
  return sa_config_read(path, &h->c, d);
}

/* A combination that does not fit (an SRAM too small for a fold).  A .cfg
 * was checked when it was read (sa_config_read), so what fails here comes
 * from the settings over it or over the defaults (options, --set, a
 * sweep's values): named by their keys and at no file, so that the command
 * names itself (it read "command line: error:", or blamed a .cfg whose own
 * values fit, by the .cfg's key names, for an option's --rows). */
static em_status check(const void *cfg, em_diag *d) {
  const sa_hw_cfg *h = cfg;
  const uint64_t kb[3] = {h->c.ifmap_sram_kb, h->c.filter_sram_kb, h->c.ofmap_sram_kb};
  const char *const name[3] = {keys[K_IFMAP].name, keys[K_FILTER].name, keys[K_OFMAP].name};
  const uint64_t least = sa_sram_min_kb(&h->c);
  for (int i = 0; i < 3; i++)
    if (kb[i] < least)
      return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                         "'%s' = %llu kB is too small for one fold of a %u x %u array of "
                         "%u-byte words: it needs at least %llu kB%s%s%s",
                         name[i], (unsigned long long)kb[i], h->c.rows, h->c.cols,
                         h->c.word_bytes, (unsigned long long)least,
                         h->file[0] ? " (" : "", h->file,
                         h->file[0] ? " with the settings over it)" : "");
  return sa_config_validate(&h->c, NULL, d);
}

static double freq_mhz(const void *cfg) { return ((const sa_hw_cfg *)cfg)->c.freq_mhz; }

/* USER: 'bandwidth' words of word_bytes a cycle; CALC holds to none
 * (SCALE-Sim works out what each layer needs). */
static double dram_gbps(const void *cfg) {
  const sa_config *c = &((const sa_hw_cfg *)cfg)->c;
  return c->bw_calc ? 0 : (double)c->bandwidth * c->word_bytes * c->freq_mhz * 1e-3;
}

/* "32x32 os, 64 kB SRAMs, CALC bandwidth, 1000 MHz": rows x cols, the
 * dataflow, the SRAMs (one size when the three agree, else each), the DRAM
 * interface, the clock; then only what differs from the defaults that
 * change figures: ", N-byte words", ", unpacked" (pack = false),
 * ", closed form" (mode = closed). */
static void describe(const void *cfg, char *buf, size_t size) {
  const sa_config *c = &((const sa_hw_cfg *)cfg)->c;
  char sram[96], bw[48];
  if (c->ifmap_sram_kb == c->filter_sram_kb && c->filter_sram_kb == c->ofmap_sram_kb)
    snprintf(sram, sizeof sram, "%llu kB SRAMs", (unsigned long long)c->ifmap_sram_kb);
  else
    snprintf(sram, sizeof sram, "ifmap %llu, filter %llu, ofmap %llu kB SRAMs",
             (unsigned long long)c->ifmap_sram_kb, (unsigned long long)c->filter_sram_kb,
             (unsigned long long)c->ofmap_sram_kb);
  if (c->bw_calc) snprintf(bw, sizeof bw, "CALC bandwidth");
  else snprintf(bw, sizeof bw, "USER %lu words/cycle", (unsigned long)c->bandwidth);
  char words[32] = "";
  if (c->word_bytes != 1)
    snprintf(words, sizeof words, ", %lu-byte words", (unsigned long)c->word_bytes);
  snprintf(buf, size, "%lux%lu %s, %s, %s, %.6g MHz%s%s%s", (unsigned long)c->rows,
           (unsigned long)c->cols, sa_dataflow_name(c->dataflow), sram, bw, c->freq_mhz, words,
           c->pack_narrow ? "" : ", unpacked", c->closed_form ? ", closed form" : "");
}

/* The conditions of the keys' applies: bandwidth_mode and mode. */
static bool holds(const void *cfg, size_t key, const char *v) {
  const sa_hw_cfg *h = cfg;
  switch (key) {
  case K_BWMODE: return (strcasecmp(v, "calc") == 0) == h->c.bw_calc;
  case K_MODE: return (strcasecmp(v, "closed") == 0) == h->c.closed_form;
  default: return false; /* no condition names another key */
  }
}

/* What a simulated layer's walk holds (the closed form holds nothing;
 * sa_host_bytes counts nothing for a layer without MACs). */
static uint64_t layer_host_bytes(const void *cfg, const wl_layer *l) {
  const sa_hw_cfg *h = cfg;
  return h->c.closed_form ? 0 : sa_host_bytes(&h->c, l);
}

/* How long a layer's walk takes, on this project's 2-core machine (AMD
 * EPYC under KVM, 2026-11-28), from four costs, each fitted where it
 * dominates: SRAM reads, about 7e8 a second (a 4096-cube GEMM on 32 x 32
 * os, 4.3e9 reads, in 6 s); cycles, 5e8 (a 1x1x1 input with 2^30 filters
 * on 32 x 32 ws, 3.2e9 cycles, 1.1e9 reads, in 7.9 s); folds, 1e7 (2^25
 * filters on 1 x 1 ws, 3.4e7 folds of 2 cycles, in 3.4 s); and the walk's
 * own host memory, touched at random, 2.5e8 bytes (2^28 filters on 32 x 32
 * os: 1 GB, 8.4e6 folds, 5.3e8 cycles, in 5.2 s). A walk estimated past a
 * minute is announced; a 16384-cube GEMM (2.7e11 reads) is about 6
 * minutes. */
#define WALK_READS_PER_S 7e8
#define WALK_CYCLES_PER_S 5e8
#define WALK_FOLDS_PER_S 1e7
#define WALK_BYTES_PER_S 2.5e8
#define SLOW_WALK_S 60.0

/* The walk's refusals, found before it runs (closed form: none). */
static em_status check_layer(const void *cfg, const wl_layer *l, em_diag *d) {
  const sa_hw_cfg *h = cfg;
  return h->c.closed_form ? EM_OK : sa_walk_check(&h->c, l, d);
}

/* The seconds layer l's walk takes, estimated (0: none, the closed form,
 * or a walk refused at once), with one group's SRAM reads and folds. */
static double walk_s(const sa_hw_cfg *h, const wl_layer *l, double *reads, double *folds,
                     double *groups) {
  sa_layer_stats cf;
  if (h->c.closed_form || sa_closed_form(&h->c, l, &cf, NULL) != EM_OK) return 0;
  /* a walk that is refused at once (past 32 bits, or past the host memory
   * budget) runs for no minutes: its error alone says why (the note told
   * of minutes just before the refusal) */
  uint64_t host = sa_host_bytes(&h->c, l);
  if (host == 0 || host > em_host_budget()) return 0;
  /* the walk runs one group of a grouped layer and scales its figures */
  double g = cf.groups ? (double)cf.groups : 1.0;
  *reads = ((double)cf.ifmap_sram_reads + (double)cf.filter_sram_reads) / g;
  double cycles = (double)cf.total_cycles / g; /* CALC's; USER's stalls add to them */
  *folds = (double)cf.folds / g;
  *groups = g;
  return *reads / WALK_READS_PER_S + cycles / WALK_CYCLES_PER_S + *folds / WALK_FOLDS_PER_S +
         (double)host / WALK_BYTES_PER_S;
}

static bool layer_note(const void *cfg, const wl_layer *l, char *buf, size_t size) {
  double reads = 0, folds = 0, g = 1;
  if (walk_s(cfg, l, &reads, &folds, &g) <= SLOW_WALK_S) return false;
  snprintf(buf, size, "layer '%s': walking %s%.2g SRAM reads in %.2g folds takes minutes; "
           "the setting mode = closed (emlsim systolic's --closed-form) gives its cycles and "
           "compute figures at once",
           l->name, g > 1 ? "one group's " : "its ", reads, folds);
  return true;
}

/* Layers none of which alone takes minutes, which together do: said once,
 * before the first (each layer with a note of its own is said as it
 * comes). */
static bool network_note(const void *cfg, const wl_layer *layers, size_t n, char *buf,
                         size_t size) {
  double total = 0, most = 0;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    double reads, folds, g, s = walk_s(cfg, &layers[i], &reads, &folds, &g);
    if (s > SLOW_WALK_S) return false; /* its own note says it */
    total += s;
    if (s > most) {
      most = s;
      at = i;
    }
  }
  if (total <= SLOW_WALK_S) return false;
  snprintf(buf, size, "the %zu layers' walks take minutes together (about %.0f s here, the "
           "longest '%s' %.0f s); the setting mode = closed (emlsim systolic's --closed-form) "
           "gives their cycles and compute figures at once", n, total, layers[at].name, most);
  return true;
}

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
  if (h->c.closed_form) {
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
  if (!h->c.bw_calc && !h->c.closed_form) { /* SCALE-Sim's USER accounting */
    const char *op;
    r->dram_refetch_x = sa_refetch_x(s, &op);
    r->dram_beyond_cycles = sa_dram_beyond(s);
  }
  return EM_OK;
}

/* Energy of one access of the array's words: a DRAM read, or a read of an
 * SRAM of kb kilobytes. */
static em_status word_energy(const sa_config *sa, const cm_energy_table *t, cm_op op, uint64_t kb,
                             double *pj, em_diag *d) {
  cm_energy_value v;
  em_status s = cm_energy_mem(t, op, kb * 1024, 8u * sa->word_bytes, &v, d);
  *pj = v.energy_pj;
  return s;
}

/* The reduction window each fold streams under the case's feed, summed over
 * the column folds (the array's lock-step is per fold; one simulation runs
 * the mean window), and the MAC slots the array executes.
 *   rigid, unstructured or blocks: the union rule - an activation moves
 *     along a row and every column of the fold shares it, so a fold drops
 *     only the K positions where all of its filters are zero;
 *   rigid, N:M: each PE's multiplexer picks its own activation of every M
 *     (the row feed carries all M), so a fold streams its filters' n of m;
 *   flexible: lock-step groups of `group` columns, each taking the longest
 *     non-zero stream of its filters, a group running ahead of the others
 *     across folds (SIGMA's Flex-DPEs): the array finishes with its slowest
 *     group. */
static uint64_t fold_windows(const hw_sparse_case *c, uint64_t N, uint64_t K, uint64_t C,
                             bool flexible, uint64_t group, uint8_t *any) {
  const uint8_t *nz = c->nz;
  uint64_t total = 0;
  if (flexible) {
    uint64_t worst = 0;
    for (uint64_t g0 = 0; g0 < C; g0 += group) {
      uint64_t tg = 0; /* this group's columns over every fold */
      for (uint64_t f0 = 0; f0 < N; f0 += C) {
        uint64_t w = 0;
        for (uint64_t col = g0; col < g0 + group && col < C && f0 + col < N; col++) {
          uint64_t k = cm_sparse_nnz(nz + (f0 + col) * K, K);
          if (k > w) w = k;
        }
        tg += w;
      }
      if (tg > worst) worst = tg;
    }
    return worst;
  }
  for (uint64_t f0 = 0; f0 < N; f0 += C) {
    uint64_t n = N - f0 < C ? N - f0 : C, w = 0;
    if (c->fmt.fmt == CM_FMT_NM) {
      for (uint64_t row = f0; row < f0 + n; row++) {
        uint64_t k = cm_sparse_nnz(nz + row * K, K);
        if (k > w) w = k;
      }
    } else {
      memset(any, 0, K);
      for (uint64_t row = f0; row < f0 + n; row++)
        for (uint64_t k = 0; k < K; k++) any[k] |= nz[row * K + k];
      w = cm_sparse_nnz(any, K);
    }
    total += w;
  }
  return total;
}

/* run_layer of a sparse case's layer l, with the array's own counters for
 * the break-even model: `useful` MACs on non-zero weights over the cycles
 * the MACs were busy (the run's cycles less its memory stalls). */
static em_status counted(const void *cfg, void *state, const cm_energy_table *t,
                         const wl_layer *l, uint64_t useful, hw_result *r, hw_sparse_info *x,
                         em_diag *d) {
  sa_detail det = {0};
  em_status s = run_layer(cfg, state, t, l, r, &det, d);
  if (s != EM_OK) return s;
  x->useful_macs = useful;
  x->busy_cycles = det.stats.total_cycles - det.stats.stall_cycles;
  return EM_OK;
}

/* Zero skipping is modelled for the os and ws dataflows: with is, only a
 * format that runs dense (dense, a mask, pruned channels) or gating runs.
 * Every format otherwise. */
static bool sparse_refuses(const void *cfg, const cm_sparse_spec *f, bool gate, char *why,
                           size_t size) {
  const sa_hw_cfg *h = cfg;
  if (!h || h->c.dataflow != SA_IS || gate || f->fmt == CM_FMT_DENSE ||
      f->fmt == CM_FMT_MASK || f->fmt == CM_FMT_CHANNEL)
    return false;
  snprintf(why, size, "zero skipping is modelled for the os and ws dataflows, not is");
  return true;
}

static em_status sparse_point(const void *cfg, void *state, const cm_energy_table *t,
                              const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                              em_diag *d) {
  const sa_hw_cfg *h = cfg;
  const sa_config *sa = &h->c;
  /* the dense layer as the workload has it (a convolution reads its
   * overlapping windows' activations once, as `emlsim systolic` runs it),
   * else the GEMM: the dense reference, the runs that execute it whole,
   * and the activations of a run that skips zeros */
  const wl_layer *l = c->shape ? c->shape : c->layer;
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  uint64_t N = v.n, K = v.k, M = v.m, wb = l->w.bits, ab = l->a.bits;
  /* the closed form never stalls: no bandwidth bounds its points (the
   * break-even model took a USER one, 84,766 cycles where the runs took
   * 6,737, and the two "disagreed") */
  x->bw_bytes_per_cycle =
      sa->bw_calc || sa->closed_form ? 0 : (double)sa->bandwidth * sa->word_bytes;
  cm_sparse_storage stor;
  em_status s = hw_sparse_begin(c, &stor, x, d);
  if (s != EM_OK) return s;
  if (!c->nz) return run_layer(cfg, state, t, l, r, NULL, d);
  /* gating replaces skipping for every format (the gate branch below): a
   * mask or pruned channels gated run the dense layer too (they ran as
   * without --gate, while the break-even model took every MAC executed) */
  if (!c->gate && (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE))
    return counted(cfg, state, t, l, stor.nnz * M, r, x, d);
  if (!c->gate && c->fmt.fmt == CM_FMT_CHANNEL) {
    uint64_t kept = hw_sparse_kept_rows(c->nz, N, K);
    if (!kept) return EM_OK;
    wl_layer part = hw_sparse_rows(c, kept);
    return counted(cfg, NULL, t, &part, stor.nnz * M, r, x, d);
  }
  /* per-MAC energy of the dense layer's arithmetic, and a comparator */
  cm_energy_value mult, add, cmp, sw;
  if ((s = cm_energy_mult(t, false, (unsigned)wb, (unsigned)ab, &mult, d)) != EM_OK ||
      (s = cm_energy_add(t, false, (unsigned)(wb + ab), &add, d)) != EM_OK ||
      (s = cm_energy_add(t, false, (unsigned)wb, &cmp, d)) != EM_OK ||
      (s = cm_energy_add(t, false, (unsigned)ab, &sw, d)) != EM_OK)
    return s;
  double gated_pj = mult.energy_pj + add.energy_pj - cmp.energy_pj; /* saved per zero MAC */
  if (c->gate) {
    /* Gating: the dense cycles and traffic.  A zero test (a comparator of
     * the weight width, the energy table's nearest) on each weight as it
     * arrives from DRAM writes a zero flag, one bit stored beside the
     * weight in the filter SRAM and read with it (Eyeriss computes its zero
     * flags on chip and gates on them, Chen et al., JSSC 2017); a slot whose
     * flag is set skips the multiply and the add.  At zero sparsity that
     * costs more energy than dense, never less. */
    sa_detail dg = {0};
    if ((s = run_layer(cfg, state, t, l, r, &dg, d)) != EM_OK) return s;
    x->useful_macs = stor.nnz * M;
    x->busy_cycles = dg.stats.total_cycles - dg.stats.stall_cycles;
    uint64_t wbits = 8ull * sa->word_bytes;
    double flag_sram = (double)((dg.stats.filter_sram_reads + wbits - 1) / wbits);
    double sr_pj;
    if ((s = word_energy(sa, t, CM_OP_SRAM_READ, sa->filter_sram_kb, &sr_pj, d)) != EM_OK)
      return s;
    r->energy_pj[HW_E_COMPUTE] += (double)dg.stats.filter_dram_reads * cmp.energy_pj -
                                  (double)((N * K - stor.nnz) * M) *
                                      (mult.energy_pj + add.energy_pj);
    r->energy_pj[HW_E_SRAM] += flag_sram * sr_pj;
    r->sram_bytes += (uint64_t)flag_sram * sa->word_bytes;
    /* what the run stores is the dense weights and a flag each, not the
     * format's indices: the table's storage says so */
    x->metadata_bytes = (N * K + 7) / 8;
    x->runs_as = "gating runs the dense weights with a zero flag each, whatever the format: "
                 "the dense cycles, and its storage is the weights and flags, not the "
                 "format's";
    x->storage_bytes = (N * K * wb + 7) / 8 + x->metadata_bytes;
    return EM_OK;
  }
  /* (the is dataflow skips no zeros: refused before, sparse_refuses) */
  uint64_t C = sa->cols, folds = (N + C - 1) / C;
  uint8_t *any = malloc(K);
  if (!any) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  uint64_t window = fold_windows(c, N, K, C, h->flexible, h->group, any);
  free(any);
  /* Every weight zero: no K position is kept, but the layer's outputs
   * (zeros) still leave the array: each fold clears its accumulators and
   * drains them to the ofmap buffer and on to DRAM, and the metadata (the
   * empty index lists) is read. That runs as a window of one gated slot
   * (a comparator, no MAC), activations charged dense as at every window.
   * (It returned nothing: 0 cycles and 0 pJ, an infinite speedup.) */
  if (window == 0) window = 1;
  /* One simulation of the whole layer at the mean window, with the buffers
   * of the dense run.  The simulation's filter SRAM holds N x ksim weight
   * slots; the real one holds the stored values and their metadata, so it
   * holds (N ksim wb) / (payload + metadata bits) times as many slots: less
   * than 1 at zero sparsity (the metadata's share), more once compression
   * outweighs the metadata. */
  uint64_t ksim = (window + folds - 1) / folds;
  /* a format that stores nothing for no non-zero (COO, RLE at sparsity 1)
   * holds every slot: the share is unbounded, and the scaled size is
   * clamped before it becomes an integer (it divided by zero, and the cast
   * of +inf, undefined, gave a 1 kB SRAM: "cannot hold a fold's weights") */
  uint64_t stored_bits = stor.payload_bits + stor.metadata_bits;
  double vshare = stored_bits ? (double)N * (double)ksim * (double)wb / (double)stored_bits
                              : HUGE_VAL;
  double fkb = (double)sa->filter_sram_kb * vshare;
  sa_hw_cfg hs = *h;
  if (fkb > 4294967296.0 && fkb > (double)sa->filter_sram_kb)
    hs.c.filter_sram_kb = 1ull << 32; /* the key's own bound */
  else
    hs.c.filter_sram_kb = fkb < 1 ? 1 : (uint64_t)fkb;
  sa_detail dd = {0}; /* the dense layer's run: its activations */
  hw_result rd = {0};
  if ((s = run_layer(cfg, NULL, t, l, &rd, &dd, d)) != EM_OK) return s;
  /* Over a USER bandwidth the DRAM moves what is stored, not the
   * simulation's slots: each filter slot stands for 1 / vshare words (the
   * compressed values and their metadata: fewer bytes once compression
   * outweighs the indices, more at low sparsity), and each activation slot
   * of the window for K / ksim activations (the row feed carries all K:
   * under N:M the multiplexers' m of every n, under the union rule the
   * positions other folds keep), held in an ifmap SRAM of the real size. */
  double fl_scale = 1.0;
  if (!sa->bw_calc) {
    fl_scale = 1.0 / vshare;
    hs.c.filter_dram_scale = fl_scale;
    hs.c.ifmap_dram_scale = (double)K / (double)ksim;
    if (c->shape) {
      /* a convolution fetches fewer activations than its GEMM (the
       * windows overlap): the simulated GEMM's activation stream scaled
       * by the layer's dense fetches over the GEMM's */
      sa_detail dgm = {0};
      hw_result rg = {0};
      if ((s = run_layer(cfg, NULL, t, c->layer, &rg, &dgm, d)) != EM_OK) return s;
      if (dgm.stats.ifmap_dram_reads)
        hs.c.ifmap_dram_scale *=
            (double)dd.stats.ifmap_dram_reads / (double)dgm.stats.ifmap_dram_reads;
    }
    uint64_t ikb = (uint64_t)((double)sa->ifmap_sram_kb * (double)ksim / (double)K);
    /* at least one fold's tile: a window under 1 / 32 of K (an almost
     * empty index list) scaled a 64 kB buffer of a 32 x 32 array below
     * it, and the point was refused as if the real buffer were too small */
    uint64_t least = sa_sram_min_kb(&hs.c);
    hs.c.ifmap_sram_kb = ikb < least ? least : ikb;
  }
  if (sa_config_validate(&hs.c, NULL, d) != EM_OK) {
    char fname[32]; /* as the user names it: "bsr8", "2:4" */
    cm_sparse_spec_name(&c->fmt, fname, sizeof fname);
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "the filter SRAM (%llu kB) cannot hold a fold's weights in format '%s' "
                       "with their metadata (or the ifmap SRAM, %llu kB, its activations)",
                       (unsigned long long)sa->filter_sram_kb, fname,
                       (unsigned long long)sa->ifmap_sram_kb);
  }
  wl_layer part = hw_sparse_gemm(c, N, ksim);
  sa_detail det = {0};
  hw_result rp = {0};
  if ((s = run_layer(&hs, NULL, t, &part, &rp, &det, d)) != EM_OK) return s;
  /* A buffer of more slots can always be used as one of fewer, so holding
   * the stored format costs no less than holding the dense run's slots
   * where the format is the larger (vshare < 1: its metadata), and no more
   * where it is the smaller.  SCALE-Sim's read buffer, whose refetches
   * depend on how an operand falls into it and not monotonically on its
   * size, does not give that by itself: a 63 kB filter buffer refetched
   * less than the 64 kB one (W 256 x 256), so bsr8 at no zero cost 0.9994x
   * dense, and over a USER bandwidth bitmap at no zero ran 1.17x faster.
   * So the run is taken at the dense run's buffer too, and the one the
   * direction of vshare allows kept: more filter DRAM words (CALC) or
   * cycles (USER) where vshare < 1, fewer where vshare > 1. */
  if (hs.c.filter_sram_kb != sa->filter_sram_kb) {
    sa_hw_cfg h1 = hs;
    h1.c.filter_sram_kb = sa->filter_sram_kb;
    sa_detail d1 = {0};
    hw_result r1 = {0};
    if ((s = run_layer(&h1, NULL, t, &part, &r1, &d1, d)) != EM_OK) return s;
    const sa_layer_stats *a = &det.stats, *b = &d1.stats;
    uint64_t ca = sa->bw_calc ? a->filter_dram_reads : a->total_cycles,
             cb = sa->bw_calc ? b->filter_dram_reads : b->total_cycles;
    if (ca == cb) {
      ca = sa->bw_calc ? a->total_cycles : a->filter_dram_reads;
      cb = sa->bw_calc ? b->total_cycles : b->filter_dram_reads;
    }
    if (vshare < 1 ? cb > ca : cb < ca) {
      det = d1;
      rp = r1;
    }
  }
  const sa_layer_stats *st = &det.stats;
  /* Weights: the stored values (sa_sparse payload) read as often as the
   * simulation read each of its filter words, from SRAM and from DRAM;
   * metadata likewise, in whole words. */
  double sim_w = (double)N * (double)ksim;
  double sram_reuse = (double)st->filter_sram_reads / sim_w;
  /* (USER: the simulation's filter DRAM words are the stored ones) */
  double dram_reuse = (double)st->filter_dram_reads / (sim_w * fl_scale);
  uint64_t word_bits = 8ull * sa->word_bytes;
  double meta_words = (double)((stor.metadata_bits + word_bits - 1) / word_bits);
  /* Activations stay dense: the row feed carries all K of a window (under
   * N:M the wider feed the multiplexers choose from), and the ifmap buffer
   * holds and fetches them as the dense run (dd) does. */
  sa_layer_stats e = *st;
  e.ifmap_sram_reads = dd.stats.ifmap_sram_reads;
  e.ifmap_dram_reads = dd.stats.ifmap_dram_reads;
  e.filter_sram_reads = (uint64_t)((double)stor.payload * sram_reuse + 0.5);
  e.filter_dram_reads = (uint64_t)((double)stor.payload * dram_reuse + 0.5);
  sa_energy en;
  if ((s = sa_layer_energy(sa, &part, &e, t, &en, d)) != EM_OK) return s;
  double dr_pj, sr_pj;
  if ((s = word_energy(sa, t, CM_OP_DRAM_READ, 0, &dr_pj, d)) != EM_OK ||
      (s = word_energy(sa, t, CM_OP_SRAM_READ, sa->filter_sram_kb, &sr_pj, d)) != EM_OK)
    return s;
  double meta_sram = meta_words * sram_reuse, meta_dram = meta_words * dram_reuse;
  uint64_t useful = stor.nnz * M, slots = st->macs;
  double compute = en.compute_pj - (double)(slots > useful ? slots - useful : 0) * gated_pj;
  /* N:M: each PE's m:1 multiplexer, ceil(log2 m) stages of activation-wide
   * switches per MAC; flexible feed: the distribution network, a Benes
   * network of 2 log2(C) + 1 stages per delivered activation (SIGMA). A
   * switch stage is charged an activation-wide adder (the energy table has
   * no multiplexer; an adder bounds a 2:1 mux from above). */
  unsigned stages = 0;
  if (c->fmt.fmt == CM_FMT_NM && !h->flexible)
    for (uint32_t q = 1; q < c->fmt.m; q <<= 1) stages++;
  if (h->flexible) {
    unsigned lg = 0;
    for (uint64_t q = 1; q < C; q <<= 1) lg++;
    stages = 2 * lg + 1;
  }
  compute += (double)slots * stages * sw.energy_pj;
  /* Metadata costs cycles: the fold's index list comes through the filter
   * SRAM's port of C words a cycle before its windows can be gathered; with
   * a USER bandwidth its DRAM words are in the simulated filter stream
   * (filter_dram_scale), so its stalls are the simulation's own. */
  uint64_t meta_cycles = (uint64_t)ceil(meta_sram / (double)C);
  r->ran = true;
  r->cycles = st->total_cycles + meta_cycles;
  x->useful_macs = useful;
  x->busy_cycles = st->total_cycles - st->stall_cycles;
  r->energy_pj[HW_E_COMPUTE] = compute;
  r->energy_pj[HW_E_SRAM] = en.sram_pj + meta_sram * sr_pj;
  r->energy_pj[HW_E_DRAM] = en.dram_pj + meta_dram * dr_pj;
  r->ops = (double)useful;
  r->ops_unit = "MAC";
  r->utilization_pct = r->cycles ? 100.0 * (double)useful / ((double)r->cycles * sa->rows * C) : 0;
  r->sram_bytes = (uint64_t)(((double)en.sram_words + meta_sram) * sa->word_bytes);
  r->dram_bytes = (uint64_t)(((double)en.dram_words + meta_dram) * sa->word_bytes);
  /* the simulated part's USER accounting (run_layer), ratios and cycles
   * as the layer's */
  r->dram_refetch_x = rp.dram_refetch_x;
  r->dram_beyond_cycles = rp.dram_beyond_cycles;
  return EM_OK;
}

/* Area (cm_area.h): rows x cols PEs (emlsim_pe.v synthesized at the
 * layer's wider operand, int8 without a layer) and the three SRAMs. */
static void area(const void *cfg, const wl_layer *l, hw_area *a) {
  const sa_config *c = &((const sa_hw_cfg *)cfg)->c;
  unsigned bits = l ? (l->w.bits > l->a.bits ? l->w.bits : l->a.bits) : 8;
  double pe = cm_area_unit_cell_um2(CM_UNIT_PE, bits), cell = pe * c->rows * c->cols;
  if (!(pe > 0)) return; /* wider than any synthesized PE: unknown */
  double kb[3] = {(double)c->ifmap_sram_kb, (double)c->filter_sram_kb, (double)c->ofmap_sram_kb};
  a->logic_mm2 = cm_area_logic_mm2(cell);
  a->leakage_mw = cm_area_logic_leakage_mw(cell);
  for (int i = 0; i < 3; i++) {
    a->sram_mm2 += cm_area_sram_mm2(kb[i] * 1024);
    a->leakage_mw += cm_area_sram_leakage_mw(kb[i] * 1024);
  }
  a->total_mm2 = a->logic_mm2 + a->sram_mm2;
  a->node_nm = 45;
  a->source = "yosys emlsim_pe x NanGate45 / 0.5 utilization; CACTI 7.0 SRAMs";
}

const hw_model hw_systolic = {
    .name = "systolic",
    .summary = "an R x C systolic MAC array with SRAM buffers (SCALE-Sim v2 compatible)",
    .keys = keys,
    .nkeys = K_COUNT,
    .method = "mode",
    .dram_accounting = "the systolic array's USER bandwidth keeps SCALE-Sim's accounting "
                       "(models/systolic/README.md), whose read buffers fetch some words many "
                       "times and whose cycle count starts after a layer's first DRAM fill "
                       "and ends before its last drain; bandwidth_mode = calc counts no stalls "
                       "but keeps the refetches; mode = closed gives the compulsory traffic",
    .refuses = refuses,
    .default_prec = {8, false},
    .config_size = sizeof(sa_hw_cfg),
    .init = init,
    .set = set,
    .holds = holds,
    .load_file = load_file,
    .check = check,
    .run_layer = run_layer,
    .freq_mhz = freq_mhz,
    .dram_gbps = dram_gbps,
    .describe = describe,
    .layer_host_bytes = layer_host_bytes,
    .layer_note = layer_note,
    .network_note = network_note,
    .check_layer = check_layer,
    .sparse_point = sparse_point,
    .sparse_refuses = sparse_refuses,
    .area = area,
};
