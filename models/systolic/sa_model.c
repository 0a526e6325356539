/*
 * sa_model.c - systolic array: per-fold closed forms and the demand-stream
 * simulation of the SRAM buffers (sa_model.h).
 *
 * Reference: SCALE-Sim v2 (scalesim-project/scale-sim-v2, commit 22f88b1),
 * whose conventions are kept so that per-layer figures compare one for one:
 *  - operand matrices: ifmap Npx x W (im2col, addresses of an unpadded
 *    H x W x C tensor, -1 where a ceil-mode window leaves the input),
 *    filter W x F, ofmap Npx x F;
 *  - folds: os  ceil(Npx/R) x ceil(F/C), per fold W + R + C - 2 cycles;
 *           ws  ceil(W/R) x ceil(F/C),   per fold 2R + C + Npx - 2;
 *           is  ceil(W/R) x ceil(Npx/C), per fold 2R + C + F - 2;
 *    a layer takes folds * per-fold - 1 cycles plus stalls (folds * W on
 *    a 1 x 1 os array, where the -1 would undercut one MAC a cycle:
 *    count_short);
 *  - SRAM traffic counts every demanded word, the ofmap including R + C
 *    extra writes per os fold (SCALE-Sim's count);
 *  - compute utilization per fold divides by SCALE-Sim's fold length, which
 *    for ws and is is C - 1 cycles longer than the fold (its quirk, kept so
 *    the column compares; mapping efficiency and overall utilization are
 *    exact).
 * The simulation walks each operand's demand stream in SCALE-Sim's order
 * (folds column-major, rows of the skewed demand matrix, columns left to
 * right) and feeds it to models of its buffers: the read buffers of its
 * bandwidth-estimate mode (CALC), which fetch each word that is not in the
 * last 50 % of the buffer's recently filled sets (here: the per-word hot
 * path, kept inlinable), its prefetching read buffers of a USER bandwidth
 * (mem_read_buffer.h) and its double-buffered ofmap write buffer with
 * drains of the inactive half (mem_write_buffer.h).  Work is at most
 * proportional to the SRAM traffic, with no per-cycle pass over the array.
 * Operands wider than a memory word (emlsim's own; SCALE-Sim has one
 * operand a word) are one word of these counts and sa_operand_words() of
 * the memory: the buffers hold that many fewer (make_view's capacities)
 * and a USER line of them takes that many cycles.
 */
#include "sa_model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "em_outfile.h"
#include "em_pool.h"
#include "mem_read_buffer.h"
#include "mem_write_buffer.h"

const char *sa_dataflow_name(sa_dataflow df) {
  switch (df) {
  case SA_OS: return "os";
  case SA_WS: return "ws";
  case SA_IS: return "is";
  }
  return "?";
}

/* SCALE-Sim splits each SRAM into 100 sets; a set must hold a word. */
#define SETS_PER_BUFFER 100

/* The stationary operand of one fold is an R x C tile; with double
 * buffering one half of each SRAM must hold a tile, so each SRAM needs
 * 2*R*C words (and SCALE-Sim's 100 sets a word each). */
static uint64_t sram_min_words(const sa_config *c) {
  uint64_t need = 2ull * c->rows * c->cols;
  return need < SETS_PER_BUFFER ? SETS_PER_BUFFER : need;
}

em_status sa_config_validate(const sa_config *c, const char *path, em_diag *d) {
  if (c->rows < 1 || c->rows > 65536 || c->cols < 1 || c->cols > 65536)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "array size must be in [1, 65536] x [1, 65536], got %u x %u", c->rows,
                       c->cols);
  if (!c->bw_calc && c->bandwidth < 1)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0, "'Bandwidth' must be at least 1 word/cycle");
  if (c->word_bytes < 1)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0, "word size must be at least 1 byte");
  const struct {
    const char *name;
    uint64_t kb;
  } srams[3] = {{"IfmapSramSzkB", c->ifmap_sram_kb},
                {"FilterSramSzkB", c->filter_sram_kb},
                {"OfmapSramSzkB", c->ofmap_sram_kb}};
  for (int i = 0; i < 3; i++) {
    uint64_t words = srams[i].kb * 1024 / c->word_bytes;
    uint64_t need = sram_min_words(c);
    if (srams[i].kb > (1ull << 32) || words < need)
      return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                         "'%s' = %llu kB is too small for one fold of a %u x %u array "
                         "(needs at least %llu words)",
                         srams[i].name, (unsigned long long)srams[i].kb, c->rows, c->cols,
                         (unsigned long long)need);
  }
  return EM_OK;
}

uint64_t sa_sram_min_kb(const sa_config *c) {
  return (sram_min_words(c) * c->word_bytes + 1023) / 1024;
}

/* ---- the operand view of a layer ---- */

typedef struct {
  /* Geometry of one group as SCALE-Sim sees it: an unpadded H x W x C input
   * (padding folded in), R x S kernel, F filters, strides, E x Fo output. */
  uint64_t h, w, c, r, s, f, sh, sw, e, fo, batch;
  uint64_t npx, window, groups;
  /* Fold structure for the dataflow. */
  uint64_t sr, sc, t, row_fold, col_fold, fold_cycles, cu_cycles;
  /* The SRAMs' capacities in operands, and the memory words an operand of
   * each takes (sa_operand_words: activations in the ifmap and ofmap,
   * weights in the filter SRAM).  Every buffer model takes its size from
   * here, so that a wide operand fills the room it takes. */
  uint64_t if_cap, fl_cap, of_cap;
  uint32_t if_n, fl_n, of_n;
} view;

uint32_t sa_operand_words(const sa_config *cfg, unsigned bits) {
  uint64_t word_bits = 8ull * (cfg->word_bytes ? cfg->word_bytes : 1);
  return bits > word_bits ? (uint32_t)((bits + word_bits - 1) / word_bits) : 1;
}

/* An SRAM of kb kB in operands of n words: kb x (1024 / word_bytes) / n,
 * the words per kB rounded down as they always were (SCALE-Sim's word is
 * 1 byte), so that n = 1 gives the figures it always gave. */
static uint64_t sram_operands(const sa_config *cfg, uint64_t kb, uint32_t n) {
  return kb * (1024 / cfg->word_bytes) / n;
}

static em_status make_view(const sa_config *cfg, const wl_layer *l, view *v, em_diag *d) {
  memset(v, 0, sizeof *v);
  wl_gemm_view g = wl_layer_gemm_view(l);
  if (g.m == 0) return EM_OK; /* no MACs: pooling, element-wise */
  v->if_n = v->of_n = sa_operand_words(cfg, l->a.bits);
  v->fl_n = sa_operand_words(cfg, l->w.bits);
  v->if_cap = sram_operands(cfg, cfg->ifmap_sram_kb, v->if_n);
  v->fl_cap = sram_operands(cfg, cfg->filter_sram_kb, v->fl_n);
  v->of_cap = sram_operands(cfg, cfg->ofmap_sram_kb, v->of_n);
  v->groups = g.groups;
  v->batch = l->kind == WL_GEMM ? 1 : l->batch;
  switch (l->kind) {
  case WL_CONV:
    v->h = l->in_h + 2 * l->pad_h;
    v->w = l->in_w + 2 * l->pad_w;
    v->c = l->in_c / l->groups;
    v->r = l->k_h;
    v->s = l->k_w;
    v->sh = l->stride_h;
    v->sw = l->stride_w;
    v->e = wl_layer_out_h(l);
    v->fo = wl_layer_out_w(l);
    break;
  case WL_FC: /* SCALE-Sim writes an FC as a 1 x 1 convolution of a 1 x 1 map */
    v->h = v->w = v->r = v->s = v->sh = v->sw = v->e = v->fo = 1;
    v->c = l->in_c;
    break;
  default: /* GEMM: SCALE-Sim's M x K "image", 1 x K filter, 1 channel */
    v->h = g.m;
    v->w = g.k;
    v->c = 1;
    v->r = 1;
    v->s = g.k;
    v->sh = v->sw = 1;
    v->e = g.m;
    v->fo = 1;
    break;
  }
  v->f = g.n;
  v->npx = g.m;
  v->window = g.k;
  uint64_t R = cfg->rows, C = cfg->cols;
  switch (cfg->dataflow) {
  case SA_OS:
    v->sr = v->npx;
    v->sc = v->f;
    v->t = v->window;
    break;
  case SA_WS:
    v->sr = v->window;
    v->sc = v->f;
    v->t = v->npx;
    break;
  case SA_IS:
    v->sr = v->window;
    v->sc = v->npx;
    v->t = v->f;
    break;
  }
  v->row_fold = em_ceil_div_u64(v->sr, R);
  v->col_fold = em_ceil_div_u64(v->sc, C);
  if (cfg->dataflow == SA_OS) {
    v->fold_cycles = v->t + R + C - 2;
    v->cu_cycles = v->fold_cycles;
  } else {
    v->fold_cycles = 2 * R + C + v->t - 2;
    v->cu_cycles = 2 * R + 2 * C + v->t - 3;
  }
  uint64_t folds, cyc;
  if (!em_mul_u64(v->row_fold, v->col_fold, &folds) || !em_mul_u64(folds, v->fold_cycles, &cyc) ||
      !em_mul_u64(cyc, v->groups, &cyc))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': cycle count overflows 64 bits", l->name);
  return EM_OK;
}

/* What a group's count leaves off the demand lines its folds span:
 * SCALE-Sim's 1, or 0 on a 1 x 1 os array.  SCALE-Sim counts a layer as
 * the index of its last ofmap demand line, folds x per-fold - 1, one short
 * of the lines (its acknowledged off-by-one, kept so that its figures
 * compare).  The array does at most R x C MACs a cycle, so a layer takes
 * at least MACs / (R x C) cycles; its MACs are at most folds x T x R x C
 * (T: the stationary loop, W for os), so a count of folds x T or more
 * never undercuts that.  An os fold is T + R + C - 2 cycles, and
 * folds x (T + R + C - 2) - 1 >= folds x T exactly when
 * folds x (R + C - 2) >= 1, i.e. R + C > 2.  On a 1 x 1 os array a fold is
 * T cycles (no fill, no drain) and the count falls to MACs - 1: 0 cycles
 * for one MAC (SCALE-Sim v2 itself divides by zero there, run here at
 * 22f88b1) and 200 % utilization for two.  There the count is the lines
 * the folds span, folds x W = the MACs, one a cycle.  ws and is folds are
 * 2R + C + T - 2 >= T + 1 cycles: the -1 never undercuts them. */
static uint64_t count_short(const sa_config *cfg) {
  return cfg->dataflow == SA_OS && cfg->rows == 1 && cfg->cols == 1 ? 0 : 1;
}

em_status sa_closed_form(const sa_config *cfg, const wl_layer *l, sa_layer_stats *out,
                         em_diag *d) {
  memset(out, 0, sizeof *out);
  out->ifmap_sram_start = out->ifmap_sram_stop = -1;
  out->filter_sram_start = out->filter_sram_stop = -1;
  out->ofmap_sram_start = out->ofmap_sram_stop = -1;
  out->ifmap_dram_start = out->ifmap_dram_stop = -1;
  out->filter_dram_start = out->filter_dram_stop = -1;
  out->ofmap_dram_start = out->ofmap_dram_stop = -1;
  view v;
  em_status st = make_view(cfg, l, &v, d);
  if (st != EM_OK || v.npx == 0) return st;
  const uint64_t R = cfg->rows, C = cfg->cols, G = v.groups;
  uint64_t folds = v.row_fold * v.col_fold;
  out->npx = v.npx;
  out->window = v.window;
  out->filters = v.f;
  out->groups = G;
  out->folds = folds * G;
  /* SCALE-Sim: the last serviced cycle of the ofmap stream, per group (the
   * lines themselves on a 1 x 1 os array: count_short). */
  const uint64_t cycles_g = folds * v.fold_cycles - count_short(cfg);
  out->total_cycles = G * cycles_g;
  /* Every count as a checked product: a layer may be GPT-sized. The fold
   * count and cycles were checked in make_view. */
  uint64_t macs_g, ifr, flr, ofw, extra = 0;
  const uint64_t fm[3] = {v.npx, v.window, v.f};
  bool ok = em_mul_n_u64(fm, 3, &macs_g);
  switch (cfg->dataflow) {
  case SA_OS: {
    const uint64_t fi[3] = {v.col_fold, v.npx, v.window}, ff[3] = {v.row_fold, v.window, v.f},
                   fo[2] = {v.npx, v.f}, fx[2] = {folds, R + C};
    ok = ok && em_mul_n_u64(fi, 3, &ifr) && em_mul_n_u64(ff, 3, &flr) &&
         em_mul_n_u64(fo, 2, &ofw) && em_mul_n_u64(fx, 2, &extra) && em_add_u64(ofw, extra, &ofw);
    break;
  }
  case SA_WS: {
    const uint64_t fi[3] = {v.col_fold, v.npx, v.window}, ff[2] = {v.window, v.f},
                   fo[3] = {v.row_fold, v.npx, v.f};
    ok = ok && em_mul_n_u64(fi, 3, &ifr) && em_mul_n_u64(ff, 2, &flr) && em_mul_n_u64(fo, 3, &ofw);
    break;
  }
  default: {
    const uint64_t fi[2] = {v.npx, v.window}, ff[3] = {v.col_fold, v.window, v.f},
                   fo[3] = {v.row_fold, v.f, v.npx};
    ok = ok && em_mul_n_u64(fi, 2, &ifr) && em_mul_n_u64(ff, 3, &flr) && em_mul_n_u64(fo, 3, &ofw);
    break;
  }
  }
  ok = ok && em_mul_u64(macs_g, G, &out->macs) && em_mul_u64(ifr, G, &out->ifmap_sram_reads) &&
       em_mul_u64(flr, G, &out->filter_sram_reads) && em_mul_u64(ofw, G, &out->ofmap_sram_writes);
  if (!ok)
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': a MAC or SRAM access count overflows 64 bits", l->name);
  out->overall_util_pct = 100.0 * (double)macs_g / ((double)cycles_g * R * C);
  /* Sum over folds of the PEs used is Sr * Sc (the folds tile the operand
   * rectangle), so the means over folds are closed forms. */
  double used = (double)v.sr * (double)v.sc;
  out->mapping_eff_pct = 100.0 * used / ((double)folds * R * C);
  out->compute_util_pct = 100.0 * used * (double)v.t / ((double)folds * R * C * v.cu_cycles);
  return EM_OK;
}

/* ---- SCALE-Sim's estimate-bandwidth read buffer (CALC), kept here so that
 *      its per-word access inlines into the demand walks; the USER read
 *      buffer and the write buffer are mem_read_buffer.h, mem_write_buffer.h ---- */

/* The DRAM trace of a CALC read buffer (read_buffer_estimate_bw.py
 * prefetch, print_trace): each prefetch lists the addresses of its sets,
 * each set in CPython's iteration order of the set() SCALE-Sim keeps it in,
 * padded with -1 to its cycles x its bandwidth, one row per cycle; rows of
 * a prefetch narrower than the widest are padded with 1.0 (np.ones), so
 * the rows go to a temporary file and are copied out padded at the end.
 * Memory: the addresses of the sets not listed yet (at most the buffer's)
 * and one set's hash table. */
typedef struct {
  FILE *out, *rows;  /* the trace; its rows unpadded */
  int64_t offset;
  int64_t *keys;     /* addresses (with offset) of the sets not listed yet, in order */
  size_t nkeys, keycap;
  size_t *ends;      /* where each complete set of them ends in keys */
  size_t nsets, setcap;
  int64_t set0;      /* the id of the first set kept */
  int64_t *tab;      /* one set's hash table */
  size_t tabcap;
  uint64_t widest;
  bool oom;
} rdtrace;

typedef struct {
  int32_t *latest;  /* per address: the set it was last filled into, -1 none */
  int64_t items_per_set, elems, cur, read_start, read_end;
  int64_t prefetch_start;
  int64_t default_bw, sets_active, sets_prefetch;
  int64_t first_req_cycle;
  bool first_seen, active_done;
  int64_t last_start, last_end;
  uint64_t accesses;
  int64_t dram_start, dram_stop;
  bool traced;
  rdtrace *tr; /* DRAM trace, or NULL */
} rdbuf;

#define PYSET_EMPTY INT64_MIN

/* The slot CPython's set finds free for hash h in table t (mask + 1
 * slots): probe i = h & mask and, where they fit, the 9 slots after it
 * (LINEAR_PROBES), then i = 5 i + 1 + perturb, perturb >>= 5 first
 * (Objects/setobject.c, set_add_entry and set_insert_clean; 3.11). */
static size_t pyset_slot(const int64_t *t, size_t mask, uint64_t h) {
  size_t perturb = (size_t)h, i = (size_t)h & mask;
  for (;;) {
    size_t probes = i + 9 <= mask ? 9 : 0;
    for (size_t j = 0; j <= probes; j++)
      if (t[i + j] == PYSET_EMPTY) return i + j;
    perturb >>= 5;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/* The n distinct addresses k (>= 0, inserted in this order; hash(float(a))
 * = a below 2^61) in the order CPython iterates the set() they were added
 * to: a table of 8 slots grown, once fill x 5 >= mask x 3, to the least
 * power of 2 above 4 x used (2 x used past 50,000), the old slots
 * reinserted in order. Written to out; false if out of memory. */
static bool pyset_order(rdtrace *r, const int64_t *k, size_t n, int64_t *out) {
  size_t size = 8;
  size_t need = 8;
  for (size_t used = 0; used < n; used++) { /* the largest table it reaches */
    if ((used + 1) * 5 >= (need - 1) * 3) {
      size_t minused = used + 1 > 50000 ? (used + 1) * 2 : (used + 1) * 4, ns = 8;
      while (ns <= minused) ns <<= 1;
      need = ns;
    }
  }
  if (r->tabcap < 2 * need) {
    int64_t *t = realloc(r->tab, 2 * need * sizeof *t);
    if (!t) return false;
    r->tab = t;
    r->tabcap = 2 * need;
  }
  int64_t *t = r->tab, *old = r->tab + need;
  for (size_t i = 0; i < size; i++) t[i] = PYSET_EMPTY;
  for (size_t used = 0; used < n; used++) {
    size_t mask = size - 1;
    t[pyset_slot(t, mask, (uint64_t)k[used])] = k[used];
    if ((used + 1) * 5 < mask * 3) continue;
    size_t minused = used + 1 > 50000 ? (used + 1) * 2 : (used + 1) * 4, ns = 8;
    while (ns <= minused) ns <<= 1;
    memcpy(old, t, size * sizeof *t);
    for (size_t i = 0; i < ns; i++) t[i] = PYSET_EMPTY;
    for (size_t i = 0; i < size; i++)
      if (old[i] != PYSET_EMPTY) t[pyset_slot(t, ns - 1, (uint64_t)old[i])] = old[i];
    size = ns;
  }
  size_t m = 0;
  for (size_t i = 0; i < size; i++)
    if (t[i] != PYSET_EMPTY) out[m++] = t[i];
  return true;
}

/* A word that missed, added to the set being filled. */
__attribute__((noinline, cold)) static void rt_word(rdtrace *r, int64_t addr) {
  if (r->nkeys == r->keycap) {
    size_t nc = r->keycap ? 2 * r->keycap : 4096;
    int64_t *k = realloc(r->keys, nc * sizeof *k);
    if (!k) {
      r->oom = true;
      return;
    }
    r->keys = k;
    r->keycap = nc;
  }
  r->keys[r->nkeys++] = addr + r->offset;
}

/* The set being filled is complete (or, at the end, closed partial). */
__attribute__((noinline, cold)) static void rt_close_set(rdtrace *r) {
  if (r->nsets == r->setcap) {
    size_t nc = r->setcap ? 2 * r->setcap : 128;
    size_t *e = realloc(r->ends, nc * sizeof *e);
    if (!e) {
      r->oom = true;
      return;
    }
    r->ends = e;
    r->setcap = nc;
  }
  r->ends[r->nsets++] = r->nkeys;
}

/* Lists sets [from, to] (ids; any not filled are empty) as cycles
 * start + 1 .. end + 1 at bw words a cycle, then forgets the sets up to
 * `to`. */
__attribute__((noinline, cold)) static void rt_prefetch(rdtrace *r, int64_t from, int64_t to, int64_t start, int64_t end,
                        int64_t bw) {
  if (r->oom) return;
  int64_t cycles = end - start + 1;
  if (cycles < 0) cycles = 0;
  if (bw < 0) bw = 0;
  if ((uint64_t)bw > r->widest) r->widest = (uint64_t)bw;
  /* the kept sets are ids set0 .. set0 + nsets - 1; SCALE-Sim lists
   * consecutive ranges, so the first kept is `from` */
  int64_t a0 = from - r->set0, b0 = to - r->set0 + 1;
  size_t s_lo = a0 > 0 ? (size_t)a0 : 0, s_hi = b0 > 0 ? (size_t)b0 : 0;
  if (s_hi > r->nsets) s_hi = r->nsets;
  if (s_lo > s_hi) s_lo = s_hi;
  size_t k_lo = s_lo ? r->ends[s_lo - 1] : 0, k_hi = s_hi ? r->ends[s_hi - 1] : 0;
  int64_t *all = malloc((k_hi - k_lo + 1) * sizeof *all);
  if (!all) {
    r->oom = true;
    return;
  }
  size_t n = 0;
  for (size_t q = s_lo; q < s_hi; q++) {
    size_t a = q ? r->ends[q - 1] : 0, b = r->ends[q];
    if (!pyset_order(r, r->keys + a, b - a, all + n)) {
      r->oom = true;
      free(all);
      return;
    }
    n += b - a;
  }
  size_t i = 0;
  for (int64_t c = 0; c < cycles; c++) {
    fprintf(r->rows, "%lld.0", (long long)(start + c + 1));
    for (int64_t w = 0; w < bw; w++, i++)
      fprintf(r->rows, ",%lld.0", (long long)(i < n ? all[i] : -1));
    fputc('\n', r->rows);
  }
  free(all);
  /* forget the sets listed */
  size_t drop = s_hi, keys = drop ? r->ends[drop - 1] : 0;
  memmove(r->keys, r->keys + keys, (r->nkeys - keys) * sizeof *r->keys);
  r->nkeys -= keys;
  for (size_t s = drop; s < r->nsets; s++) r->ends[s - drop] = r->ends[s] - keys;
  r->nsets -= drop;
  r->set0 += (int64_t)drop;
}

/* Copies the rows out, each padded with 1.0 to the widest prefetch. */
static bool rt_finish(rdtrace *r) {
  if (r->oom || !r->rows || fflush(r->rows) != 0) return false;
  rewind(r->rows);
  int ch;
  uint64_t fields = 0;
  while ((ch = getc(r->rows)) != EOF) {
    if (ch == ',') fields++;
    if (ch == '\n') {
      for (; fields < r->widest; fields++) fputs(",1.0", r->out);
      fields = 0;
    }
    putc(ch, r->out);
  }
  return !ferror(r->rows) && !ferror(r->out);
}

static void rt_free(rdtrace *r) {
  if (r->rows) fclose(r->rows);
  free(r->keys);
  free(r->ends);
  free(r->tab);
}

static void rd_init(rdbuf *b, int32_t *latest, uint64_t total_elems, int64_t bw) {
  memset(b, 0, sizeof *b);
  b->latest = latest;
  b->items_per_set = (int64_t)(total_elems / SETS_PER_BUFFER);
  b->sets_active = SETS_PER_BUFFER / 2; /* active_buf_frac 0.5 */
  b->sets_prefetch = SETS_PER_BUFFER - b->sets_active;
  b->read_end = b->sets_active - 1;
  b->default_bw = bw;
  b->last_start = -2;
  b->last_end = -1;
  b->dram_start = b->dram_stop = -1;
}

static int64_t ceil_div_i64(int64_t a, int64_t b) { return a / b + ((a % b) != 0 && a > 0); }

/* One prefetch of the cycles [last_start, last_end] (responses one cycle
 * later, the read port's latency). */
static void rd_prefetch(rdbuf *b, uint64_t words) {
  b->accesses += words;
  if (!b->traced) {
    b->dram_start = b->last_start + 1;
    b->traced = true;
  }
  b->dram_stop = b->last_end + 1;
}

/* The set being filled is full at `cycle`: start the next; when the active
 * half is full, prefetch the next half. */
static void rd_set_full(rdbuf *b, int64_t cycle) {
  if (b->tr) rt_close_set(b->tr);
  b->elems = 0;
  b->cur++;
  if (b->cur != b->read_end + 1) return;
  /* The active half is full: prefetch the next half. */
  if (!b->active_done) {
    b->last_end = b->first_req_cycle - 1 - 1; /* read port latency 1 */
    int64_t cycles = ceil_div_i64(b->sets_prefetch * b->items_per_set, b->default_bw);
    b->last_start = b->last_end - cycles + 1;
    rd_prefetch(b, (uint64_t)(b->sets_active * b->items_per_set));
    if (b->tr) rt_prefetch(b->tr, 0, b->sets_active - 1, b->last_start, b->last_end, b->default_bw);
    b->prefetch_start = b->read_end + 1;
    b->active_done = true;
  } else {
    rd_prefetch(b, (uint64_t)(b->sets_prefetch * b->items_per_set));
    if (b->tr) /* at ceil(words / cycles) a cycle over the last window's cycles */
      rt_prefetch(b->tr, b->prefetch_start, b->prefetch_start + b->sets_prefetch - 1,
                  b->last_start, b->last_end,
                  ceil_div_i64(b->sets_prefetch * b->items_per_set,
                               b->last_end - b->last_start + 1));
    b->prefetch_start += b->sets_prefetch;
  }
  b->read_start += b->sets_prefetch;
  b->read_end += b->sets_prefetch;
  b->last_start = b->last_end + 1;
  b->last_end = cycle;
}

static inline void rd_access(rdbuf *b, int64_t cycle, int64_t addr) {
  int32_t ls = b->latest[addr];
  int64_t end = b->cur < b->read_end + 1 ? b->cur : b->read_end + 1;
  if (ls >= 0 && ls >= b->read_start && ls < end) return; /* hit in the active sets */
  if (ls == b->cur) return;                                 /* already in the set being filled */
  b->latest[addr] = (int32_t)b->cur;
  if (++b->elems != b->items_per_set) return;
  rd_set_full(b, cycle);
}

/* rd_access for a traced walk: a word that misses joins the DRAM trace's
 * set too (kept out of rd_access, whose walks never trace). */
static void rd_access_traced(rdbuf *b, int64_t cycle, int64_t addr) {
  int32_t ls = b->latest[addr];
  int64_t end = b->cur < b->read_end + 1 ? b->cur : b->read_end + 1;
  if (ls >= 0 && ls >= b->read_start && ls < end) return;
  if (ls == b->cur) return;
  if (b->tr) rt_word(b->tr, addr);
  rd_access(b, cycle, addr);
}

/* `n` words that are certainly misses (see walk_misses) at `cycle`: the
 * same as n calls of rd_access, without the per-word set indices. */
static void rd_misses(rdbuf *b, int64_t cycle, uint64_t n) {
  while (n) {
    uint64_t room = (uint64_t)(b->items_per_set - b->elems);
    if (n < room) {
      b->elems += (int64_t)n;
      return;
    }
    n -= room;
    rd_set_full(b, cycle);
  }
}

static void rd_finish(rdbuf *b) {
  int64_t cur = b->cur;
  if (b->elems == 0) cur--; /* an empty last set does not count */
  else if (b->tr) rt_close_set(b->tr);
  if (!b->active_done) {
    b->last_end = -1 - 1;
    int64_t sets = cur + 1;
    int64_t cycles = ceil_div_i64(sets * b->items_per_set, b->default_bw);
    b->last_start = b->last_end - cycles + 1;
    rd_prefetch(b, (uint64_t)(b->cur * b->items_per_set + b->elems));
    if (b->tr) rt_prefetch(b->tr, 0, cur, b->last_start, b->last_end, b->default_bw);
  } else {
    int64_t sets = cur - b->prefetch_start + 1;
    uint64_t words = (uint64_t)((cur - b->prefetch_start) * b->items_per_set +
                                (b->elems ? b->elems : b->items_per_set));
    if (sets <= 0) words = 0;
    rd_prefetch(b, words);
    int64_t cycles = b->last_end - b->last_start + 1;
    if (b->tr && cycles > 0)
      rt_prefetch(b->tr, b->prefetch_start, cur, b->last_start, b->last_end,
                  sets > 0 ? ceil_div_i64(sets * b->items_per_set, cycles) : 0);
  }
}

/* ---- demand streams ---- */

/* Addresses (relative to the operand's offset) of the ifmap element for
 * output pixel p and window position w, or -1 outside the input; and of the
 * filter element (w, f). SCALE-Sim's layout: ifmap HWC, window RSC order,
 * filters one after another. */
typedef struct {
  const view *v;
  int64_t *pix_base; /* per pixel: address of its window's corner, -1 beyond */
  uint64_t *pix_row, *pix_col;
  int64_t *win_off;  /* per window position: offset from the corner */
  uint64_t *win_row, *win_col;
  bool all_in;       /* no window leaves the input (no ceil-mode overhang) */
  uint8_t *pix_edge; /* per pixel: its window may leave the input (!all_in) */
} addr_gen;

static void addr_free(addr_gen *a) {
  free(a->pix_base);
  free(a->pix_row);
  free(a->pix_col);
  free(a->win_off);
  free(a->win_row);
  free(a->win_col);
  free(a->pix_edge);
}

static bool addr_init(addr_gen *a, const view *v) {
  memset(a, 0, sizeof *a);
  a->v = v;
  a->pix_base = malloc(v->npx * sizeof *a->pix_base);
  a->pix_row = malloc(v->npx * sizeof *a->pix_row);
  a->pix_col = malloc(v->npx * sizeof *a->pix_col);
  a->win_off = malloc(v->window * sizeof *a->win_off);
  a->win_row = malloc(v->window * sizeof *a->win_row);
  a->win_col = malloc(v->window * sizeof *a->win_col);
  if (!a->pix_base || !a->pix_row || !a->pix_col || !a->win_off || !a->win_row || !a->win_col) {
    addr_free(a);
    return false;
  }
  uint64_t per_img = v->e * v->fo, img = v->h * v->w * v->c;
  for (uint64_t p = 0; p < v->npx; p++) {
    uint64_t b = p / per_img, q = p % per_img;
    uint64_t er = q / v->fo, ec = q % v->fo;
    a->pix_row[p] = er * v->sh;
    a->pix_col[p] = ec * v->sw;
    a->pix_base[p] = (int64_t)(b * img + (a->pix_row[p] * v->w + a->pix_col[p]) * v->c);
  }
  for (uint64_t j = 0; j < v->window; j++) {
    uint64_t cr = j / (v->s * v->c), k = j % (v->s * v->c);
    uint64_t cc = k / v->c, ch = k % v->c;
    a->win_row[j] = cr;
    a->win_col[j] = cc;
    a->win_off[j] = (int64_t)((cr * v->w + cc) * v->c + ch);
  }
  a->all_in = (v->e - 1) * v->sh + v->r <= v->h && (v->fo - 1) * v->sw + v->s <= v->w;
  if (!a->all_in) {
    a->pix_edge = malloc(v->npx ? v->npx : 1);
    if (!a->pix_edge) {
      addr_free(a);
      return false;
    }
    for (uint64_t p = 0; p < v->npx; p++)
      a->pix_edge[p] = a->pix_row[p] + v->r > v->h || a->pix_col[p] + v->s > v->w;
  }
  return true;
}

static inline int64_t ifmap_addr(const addr_gen *a, uint64_t p, uint64_t j) {
  if (a->all_in) return a->pix_base[p] + a->win_off[j];
  if (a->pix_row[p] + a->win_row[j] >= a->v->h || a->pix_col[p] + a->win_col[j] >= a->v->w)
    return -1;
  return a->pix_base[p] + a->win_off[j];
}

static inline int64_t filter_addr(const view *v, uint64_t j, uint64_t f) {
  return (int64_t)(f * v->window + j);
}

/* The body of one fold of one operand, as SCALE-Sim builds its demand
 * matrix: `pre` empty rows, `rows` rows of `width` addresses (-1 = none),
 * `post` empty rows, then skewed (column c delayed by c rows) or not. */
typedef struct {
  int64_t *body; /* rows x width */
  uint64_t rows, width, pre, post;
  bool skew;
  uint64_t used_cols, used_row_lo; /* filter blocks: where the words are */
  /* The fold and operand, for block_addr. */
  bool ifmap, flipped;
  uint64_t r0, c0, rows_used, cols_used;
} fold_block;

static uint64_t block_lines(const fold_block *f) {
  return f->pre + f->rows + f->post + (f->skew ? f->width - 1 : 0);
}

/* Columns [*c_lo, *c_hi) of line q whose body row is in range. */
static void line_cols(const fold_block *f, uint64_t q, uint64_t *c_lo, uint64_t *c_hi) {
  *c_lo = 0;
  *c_hi = f->width;
  if (f->skew) {
    /* body row = q - c - pre in [0, rows) */
    if (q + 1 > f->pre + f->rows) *c_lo = q + 1 - f->pre - f->rows;
    *c_hi = q + 1 >= f->pre ? q + 1 - f->pre : 0;
    if (*c_hi > f->width) *c_hi = f->width;
  } else if (q < f->pre || q >= f->pre + f->rows) {
    *c_hi = 0;
  }
}

/* One trace row as SCALE-Sim writes it (numpy savetxt, '%i', ','):
 * the cycle, then the addresses (-1 for none). */
static void put_trace_row(FILE *f, int64_t cycle, const int64_t *row, uint64_t width) {
  fprintf(f, "%lld", (long long)cycle);
  for (uint64_t c = 0; c < width; c++) fprintf(f, ",%lld", (long long)row[c]);
  fputc('\n', f);
}

/* Feeds the block to the read buffer, line by line from `line0`; returns
 * the first and last line with a request through *first / *last. */
static inline __attribute__((always_inline)) void walk_reads_body(
    const fold_block *f, rdbuf *b, int64_t line0, FILE *trace, int64_t offset, int64_t *first,
    int64_t *last, const bool traced) {
  uint64_t lines = block_lines(f);
  int64_t *row = NULL;
  if (trace) row = malloc(f->width * sizeof *row);
  for (uint64_t q = 0; q < lines; q++) {
    int64_t cycle = line0 + (int64_t)q;
    bool any = false;
    if (row)
      for (uint64_t c = 0; c < f->width; c++) row[c] = -1;
    uint64_t c_lo, c_hi;
    line_cols(f, q, &c_lo, &c_hi);
    for (uint64_t c = c_lo; c < c_hi; c++) {
      uint64_t r = f->skew ? q - c - f->pre : q - f->pre;
      int64_t addr = f->body[r * f->width + c];
      if (addr < 0) continue;
      if (!any && !b->first_seen) {
        b->first_seen = true;
        b->first_req_cycle = cycle;
      }
      any = true;
      if (row) row[c] = addr + offset;
      if (traced)
        rd_access_traced(b, cycle, addr);
      else
        rd_access(b, cycle, addr);
    }
    if (any) {
      if (*first < 0) *first = cycle;
      *last = cycle;
    }
    if (row) put_trace_row(trace, cycle + 1, row, f->width);
  }
  free(row);
}

/* (the DRAM trace's sets need rd_access_traced: a body of its own, so the
 * walks that trace nothing keep rd_access alone) */
static void walk_reads(const fold_block *f, rdbuf *b, int64_t line0, FILE *trace,
                       int64_t offset, int64_t *first, int64_t *last) {
  if (b->tr)
    walk_reads_body(f, b, line0, trace, offset, first, last, true);
  else
    walk_reads_body(f, b, line0, trace, offset, first, last, false);
}

/* Feeds a filter block whose every word is certainly a miss (see
 * filter_all_miss) to the read buffer: only the count of words per line
 * matters then, not their addresses. Same results as walk_reads. */
static void walk_misses(const fold_block *f, rdbuf *b, int64_t line0, int64_t *first,
                        int64_t *last) {
  uint64_t lines = block_lines(f);
  for (uint64_t q = 0; q < lines; q++) {
    uint64_t c_lo, c_hi, n = 0;
    line_cols(f, q, &c_lo, &c_hi);
    if (c_hi > f->used_cols) c_hi = f->used_cols;
    if (c_hi > c_lo && (f->skew || q - f->pre >= f->used_row_lo)) n = c_hi - c_lo;
    if (!n) continue;
    int64_t cycle = line0 + (int64_t)q;
    if (!b->first_seen) {
      b->first_seen = true;
      b->first_req_cycle = cycle;
    }
    if (*first < 0) *first = cycle;
    *last = cycle;
    rd_misses(b, cycle, n);
  }
}

/* Feeds the ifmap block of an os or ws fold to the read buffer computing
 * each address as it goes, in the order of walk_reads: when no window
 * overhangs the input (addr_gen.all_in) the word in column c of body row r
 * is A[c] + B[r] (os: A the pixels' corners from the fold's first pixel, B
 * the window offsets; ws: A the window offsets from the fold's first
 * position, B the corners). No block is built. */
static void walk_fused(const fold_block *f, const int64_t *A, const int64_t *B, rdbuf *b,
                       int64_t line0, int64_t *first, int64_t *last) {
  uint64_t lines = block_lines(f);
  for (uint64_t q = 0; q < lines; q++) {
    uint64_t c_lo, c_hi;
    line_cols(f, q, &c_lo, &c_hi);
    if (c_hi > f->used_cols) c_hi = f->used_cols;
    if (c_hi <= c_lo) continue;
    int64_t cycle = line0 + (int64_t)q;
    if (!b->first_seen) {
      b->first_seen = true;
      b->first_req_cycle = cycle;
    }
    if (*first < 0) *first = cycle;
    *last = cycle;
    const int64_t *Bq = B + (q - f->pre); /* B[q - c - pre] = Bq[-c] */
    for (uint64_t c = c_lo; c < c_hi; c++) rd_access(b, cycle, A[c] + *(Bq - c));
  }
}

/* The same for windows that may leave the input (ceil mode): the word of
 * column c and body row r is outside when Ar[c] + Br[r] >= H or Ac[c] +
 * Bc[r] >= W (os: A the pixels' corners, rows and columns, B the window
 * offsets; ws the other way round), which only a pixel whose window may
 * leave the input (Ae[c] for os, Be[r] for ws) has to be checked for; a
 * line of such words only has no request. Same results as walk_reads on
 * the built block. */
static void walk_fused_edge(const fold_block *f, const int64_t *A, const int64_t *B,
                            const uint64_t *Ar, const uint64_t *Ac, const uint64_t *Br,
                            const uint64_t *Bc, const uint8_t *Ae, const uint8_t *Be, uint64_t H,
                            uint64_t W, rdbuf *b, int64_t line0, int64_t *first, int64_t *last) {
  uint64_t lines = block_lines(f);
  for (uint64_t q = 0; q < lines; q++) {
    uint64_t c_lo, c_hi;
    line_cols(f, q, &c_lo, &c_hi);
    if (c_hi > f->used_cols) c_hi = f->used_cols;
    int64_t cycle = line0 + (int64_t)q;
    bool any = false;
    uint64_t r = q - f->pre; /* body row of column c: r - c */
    for (uint64_t c = c_lo; c < c_hi; c++) {
      if ((Ae ? Ae[c] : Be[r - c]) && (Ar[c] + Br[r - c] >= H || Ac[c] + Bc[r - c] >= W))
        continue;
      if (!any && !b->first_seen) {
        b->first_seen = true;
        b->first_req_cycle = cycle;
      }
      any = true;
      rd_access(b, cycle, A[c] + B[r - c]);
    }
    if (any) {
      if (*first < 0) *first = cycle;
      *last = cycle;
    }
  }
}

/* The ifmap block of an is fold (flipped: line pre + r reads window
 * position r0 + R - 1 - r for the fold's pixels c0 ..), computing each
 * address as walk_fused does. Same results as walk_reads on the built block. */
static void walk_flipped(const fold_block *f, const addr_gen *ag, uint64_t R, rdbuf *b,
                         int64_t line0, int64_t *first, int64_t *last) {
  const view *v = ag->v;
  for (uint64_t r = f->used_row_lo; r < f->rows; r++) {
    int64_t cycle = line0 + (int64_t)(f->pre + r);
    uint64_t j = f->r0 + R - 1 - r;
    int64_t off = ag->win_off[j];
    const int64_t *A = ag->pix_base + f->c0;
    bool any = false;
    for (uint64_t c = 0; c < f->cols_used; c++) {
      if (!ag->all_in && (ag->pix_row[f->c0 + c] + ag->win_row[j] >= v->h ||
                          ag->pix_col[f->c0 + c] + ag->win_col[j] >= v->w))
        continue;
      if (!any && !b->first_seen) {
        b->first_seen = true;
        b->first_req_cycle = cycle;
      }
      any = true;
      rd_access(b, cycle, A[c] + off);
    }
    if (any) {
      if (*first < 0) *first = cycle;
      *last = cycle;
    }
  }
}

typedef struct {
  const sa_config *cfg;
  const view *v;
  addr_gen ag;
  int64_t *body[2]; /* ifmap and filter blocks of the fold being walked */
  size_t body_cap[2];
} walker;

static bool ensure_body(walker *w, int slot, uint64_t n) {
  if (n <= w->body_cap[slot]) return true;
  int64_t *nb = realloc(w->body[slot], n * sizeof *nb);
  if (!nb) return false;
  w->body[slot] = nb;
  w->body_cap[slot] = n;
  return true;
}

/* The address in body row r, column c of a fold's block (-1 for none):
 * SCALE-Sim's demand matrices, systolic_compute_{os,ws,is}.py. */
static inline int64_t block_addr(const walker *w, const fold_block *b, uint64_t r, uint64_t c) {
  const view *v = w->v;
  if (b->flipped) {
    uint64_t rr = w->cfg->rows - 1 - r; /* np.flip of the padded fold */
    if (rr >= b->rows_used || c >= b->cols_used) return -1;
    return b->ifmap ? ifmap_addr(&w->ag, b->c0 + c, b->r0 + rr)
                    : filter_addr(v, b->r0 + rr, b->c0 + c);
  }
  switch (w->cfg->dataflow) {
  case SA_OS:
    if (b->ifmap) return c < b->rows_used ? ifmap_addr(&w->ag, b->r0 + c, r) : -1;
    return c < b->cols_used ? filter_addr(v, r, b->c0 + c) : -1;
  case SA_WS: /* ifmap: Npx x window slice */
    return c < b->rows_used ? ifmap_addr(&w->ag, r, b->r0 + c) : -1;
  default: /* SA_IS filter: transposed window slice */
    return c < b->rows_used ? filter_addr(v, b->r0 + c, r) : -1;
  }
}

/* Whether a fold's ifmap or filter block is flipped (SCALE-Sim's demand
 * matrix rows in reverse, not skewed), and the cells of its body:
 * build_block's shape. */
static bool block_flipped(sa_dataflow df, bool ifmap) {
  return (df == SA_WS && !ifmap) || (df == SA_IS && ifmap);
}

static uint64_t block_cells(const sa_config *cfg, const view *v, bool ifmap) {
  const uint64_t R = cfg->rows, C = cfg->cols;
  if (block_flipped(cfg->dataflow, ifmap)) return R * C;
  return v->t * ((cfg->dataflow == SA_OS && !ifmap) ? C : R);
}

/* Fills the ifmap or filter block of fold (fr, fc) for the dataflow, in
 * the walker's ifmap or filter body. */
static bool build_block(walker *w, bool ifmap, uint64_t fr, uint64_t fc, fold_block *blk,
                        bool body) {
  int slot = ifmap ? 0 : 1;
  const view *v = w->v;
  const uint64_t R = w->cfg->rows, C = w->cfg->cols;
  uint64_t r0 = fr * R, c0 = fc * C;
  uint64_t rows_used = v->sr - r0 < R ? v->sr - r0 : R;
  uint64_t cols_used = v->sc - c0 < C ? v->sc - c0 : C;
  memset(blk, 0, sizeof *blk);
  sa_dataflow df = w->cfg->dataflow;
  /* Shapes of SCALE-Sim's demand matrices (systolic_compute_{os,ws,is}.py). */
  bool flipped = block_flipped(df, ifmap);
  if (flipped) {
    blk->rows = R;
    blk->width = C;
    blk->post = R + C + v->t - 2;
    blk->skew = false;
  } else {
    blk->rows = v->t;
    blk->width = (df == SA_OS && !ifmap) ? C : R;
    blk->pre = (df == SA_OS) ? 0 : R;
    blk->post = (df == SA_OS && !ifmap) ? R - 1 : C - 1;
    blk->skew = true;
  }
  /* Where the words of a block are, for the walks that need no addresses
   * (the filter has no null but the padding of a partial fold; the ifmap
   * none either when no window overhangs): used columns of a skewed
   * block, used rows (the last ones, flipped) of a flipped one. */
  blk->used_cols = flipped ? cols_used : (df == SA_OS && !ifmap ? cols_used : rows_used);
  blk->used_row_lo = flipped ? R - rows_used : 0;
  blk->ifmap = ifmap;
  blk->flipped = flipped;
  blk->r0 = r0;
  blk->c0 = c0;
  blk->rows_used = rows_used;
  blk->cols_used = cols_used;
  if (!body) return true;
  if (!ensure_body(w, slot, block_cells(w->cfg, v, ifmap))) return false;
  blk->body = w->body[slot];
  for (uint64_t r = 0; r < blk->rows; r++) {
    int64_t *out = blk->body + r * blk->width;
    for (uint64_t c = 0; c < blk->width; c++) out[c] = block_addr(w, blk, r, c);
  }
  return true;
}

/* Valid ofmap words on line q of fold (fr, fc)'s ofmap demand block. */
static uint64_t ofmap_words(const sa_config *cfg, const view *v, uint64_t fr, uint64_t fc,
                            uint64_t q) {
  const uint64_t R = cfg->rows, C = cfg->cols;
  uint64_t rows_used = v->sr - fr * R < R ? v->sr - fr * R : R;
  uint64_t cols_used = v->sc - fc * C < C ? v->sc - fc * C : C;
  uint64_t lo, hi, width_used; /* valid body rows [lo, hi) after the prefix */
  if (cfg->dataflow == SA_OS) {
    /* R x C block, flipped (padding rows first), after T - 1 empty rows. */
    lo = v->t - 1 + (R - rows_used);
    hi = v->t - 1 + R;
    width_used = cols_used;
  } else {
    /* T x C block (ws: Npx x filters; is: filters x pixels) after 2R - 1. */
    lo = 2 * R - 1;
    hi = lo + v->t;
    width_used = cols_used;
  }
  /* Skewed: line q, column c holds body row q - c: c in (q - hi, q - lo]. */
  if (q < lo) return 0;
  uint64_t c_hi = q - lo + 1; /* exclusive */
  uint64_t c_lo = q + 1 > hi ? q + 1 - hi : 0;
  if (c_hi > width_used) c_hi = width_used;
  return c_hi > c_lo ? c_hi - c_lo : 0;
}

/* ---- USER bandwidth: prefetch streams and the line-by-line walk ---- */

/* SCALE-Sim's prefetch matrix of one operand (systolic_compute_*.py,
 * create_*_prefetch_mat): the operand's slices of every fold of one loop
 * (row folds or column folds), stacked into an M x N matrix padded with
 * nulls, read along anti-diagonals (bottom-left to top-right, to follow
 * the skew of the demand) or, where the demand is not skewed, row by row. */
typedef struct {
  const view *v;
  const addr_gen *ag;
  sa_dataflow df;
  bool ifmap, diag;
  uint64_t R, C, M, N, per_fold;
  uint64_t d, row, col;  /* cursor: anti-diagonal (diag), row and column */
  uint64_t fold, r;      /* the cursor row as fold and row within it */
  bool done;
  /* Where each element lies in the stream (pf_pos): nulls are the unused
   * columns [used_last, N) of the last fold's rows [null_row, M), and in
   * an ifmap with windows that leave the input (nulls: ceil mode), the
   * elements those windows hold outside it, which only the output rows
   * er >= er_o and columns ec >= ec_o have (overhang()). has_pos is false
   * only if the table below could not be allocated. */
  bool has_pos, nulls;
  uint64_t used_last, null_row, er_o, ec_o;
  uint64_t *base; /* words before each anti-diagonal (diag) or, with nulls,
                   * each row; the last entry is the stream's length */
  bool keep_nulls; /* pf_fill gives the nulls too (-1): the fetch matrix */
} pf_stream;

/* The element in column col of row r of fold `fold`'s slice. */
static inline int64_t pf_elem(const pf_stream *s, uint64_t fold, uint64_t r, uint64_t col) {
  const view *v = s->v;
  uint64_t k;
  switch (s->df) {
  case SA_OS:
    if (s->ifmap) return (k = fold * s->R + col) < v->npx ? ifmap_addr(s->ag, k, r) : -1;
    return (k = fold * s->C + col) < v->f ? filter_addr(v, r, k) : -1;
  case SA_WS:
    if (s->ifmap) return (k = fold * s->R + col) < v->window ? ifmap_addr(s->ag, r, k) : -1;
    return (k = fold * s->C + col) < v->f ? filter_addr(v, r, k) : -1;
  case SA_IS:
    if (s->ifmap) return (k = fold * s->C + col) < v->npx ? ifmap_addr(s->ag, k, r) : -1;
    return (k = fold * s->R + col) < v->window ? filter_addr(v, k, r) : -1;
  }
  return -1;
}

static void pf_rewind(void *ctx) {
  pf_stream *s = ctx;
  s->d = s->row = s->col = s->fold = s->r = 0;
  s->done = s->M == 0 || s->N == 0;
}

static size_t pf_fill(void *ctx, int64_t *out, size_t max) {
  pf_stream *s = ctx;
  size_t n = 0;
  while (n < max && !s->done) {
    int64_t a;
    a = pf_elem(s, s->fold, s->r, s->col);
    if (s->diag) {
      /* Diagonal d runs from row min(d, M-1) up to row max(0, d-N+1). */
      uint64_t lo = s->d + 1 > s->N ? s->d + 1 - s->N : 0;
      if (s->row > lo) {
        s->row--;
        s->col++;
        if (s->r-- == 0) {
          s->fold--;
          s->r = s->per_fold - 1;
        }
      } else if (++s->d > s->M + s->N - 2) {
        s->done = true;
      } else {
        s->row = s->d < s->M - 1 ? s->d : s->M - 1;
        s->col = s->d - s->row;
        s->fold = s->row / s->per_fold;
        s->r = s->row % s->per_fold;
      }
    } else if (++s->col == s->N) {
      s->col = 0;
      s->done = ++s->row == s->M;
      if (++s->r == s->per_fold) {
        s->r = 0;
        s->fold++;
      }
    }
    if (a >= 0 || s->keep_nulls) out[n++] = a;
  }
  return n;
}

/* ---- USER bandwidth: the read buffers' DRAM traces ---- */

/* Lines [first, first + n) of SCALE-Sim's fetch matrix of stream s (its
 * prefetch order with the nulls, cut into lines of bw, the last padded
 * with -1: read_buffer.py set_fetch_matrix), into out (n x bw), each
 * address plus `offset`. */
static void fetch_lines(pf_stream *s, uint64_t bw, uint64_t first, uint64_t n, int64_t offset,
                        int64_t *out) {
  int64_t chunk[4096];
  pf_rewind(s);
  for (uint64_t skip = first * bw; skip;) {
    size_t m = pf_fill(s, chunk, skip < 4096 ? (size_t)skip : 4096);
    if (!m) break;
    skip -= m;
  }
  uint64_t want = n * bw, got = 0;
  while (got < want) {
    size_t m = pf_fill(s, out + got, want - got < 4096 ? (size_t)(want - got) : 4096);
    if (!m) break;
    got += m;
  }
  for (; got < want; got++) out[got] = -1;
  for (uint64_t i = 0; i < want; i++)
    if (out[i] >= 0) out[i] += offset;
}

/* numpy's str() of an integral float64 below 1e16 ("12.0", "-1.0"), as
 * np.savetxt(fmt='%s') prints SCALE-Sim's float trace matrices. */
static void put_dram_row(FILE *f, int64_t cycle, const int64_t *row, uint64_t bw) {
  fprintf(f, "%lld.0", (long long)cycle);
  for (uint64_t c = 0; c < bw; c++) fprintf(f, ",%lld.0", (long long)row[c]);
  fputc('\n', f);
}

/* Columns [c0, c1) of fetch-matrix line `row` set to -1: SCALE-Sim trims
 * its requests in place, and a request that does not wrap round the
 * matrix is a view of it, so the trim stays for later bursts. */
typedef struct {
  uint64_t row, c0, c1;
} trim;

/* One burst's request lines starting at fetch line S (read_buffer.py
 * new_prefetch): nb lines, wrapping round the matrix's `rows` lines (then
 * a copy: at most S lines from the start, fewer rows than SCALE-Sim's
 * cycles, where SCALE-Sim itself would stop on a shape mismatch), the
 * trims so far applied, then its own: the first line's columns before
 * next_col, and the last line's from `valid` on when the request is
 * longer than the active buffer. Returns the lines written to out. */
static uint64_t burst_lines(pf_stream *s, uint64_t bw, uint64_t rows, uint64_t S, uint64_t nb,
                            int64_t offset, uint64_t next_col, bool trim_last, uint64_t valid,
                            trim *t, size_t *nt, int64_t *out) {
  bool wrap = S + nb > rows; /* (so S + nb <= rows, or n1 + n2 <= rows, lines in out) */
  uint64_t n1 = wrap ? rows - S : nb, n2 = 0;
  fetch_lines(s, bw, S, n1, offset, out);
  if (wrap) {
    n2 = S + nb - rows < S ? S + nb - rows : S;
    fetch_lines(s, bw, 0, n2, offset, out + n1 * bw);
  }
  uint64_t n = n1 + n2;
  for (size_t k = 0; k < *nt; k++)
    for (uint64_t i = 0; i < n; i++)
      if ((i < n1 ? S + i : i - n1) == t[k].row)
        for (uint64_t c = t[k].c0; c < t[k].c1; c++) out[i * bw + c] = -1;
  if (!n) return 0;
  for (uint64_t c = 0; c < next_col; c++) out[c] = -1;
  if (!wrap && next_col) t[(*nt)++] = (trim){S, 0, next_col};
  if (trim_last) {
    for (uint64_t c = valid; c < bw; c++) out[(n - 1) * bw + c] = -1;
    if (!wrap) t[(*nt)++] = (trim){S + n - 1, valid, bw};
  }
  return n;
}

/* SCALE-Sim's DRAM trace of a USER read buffer (read_buffer.py,
 * print_trace): the first burst's lines 0 .. n0 - 1 of the fetch matrix
 * at cycles dram_start .. + n0 - 1, then each later burst's lines, chained
 * (line i at the previous burst's last cycle + 2 + i: one request cycle
 * after it, the port's latency of 1).  SCALE-Sim's own choices are kept:
 * its next request starts at line n0 (or n0 + 1 when the first burst was
 * not trimmed), then at line nb (or nb + 1) for every burst after, not
 * where the last one ended, so from the second burst on every burst lists
 * the same lines; a burst longer than the active half has its last line
 * trimmed to active % bw columns, and the first line of each later burst
 * loses the columns the first burst's trim left.  Memory: one burst's
 * lines (at most the buffer's prefetch half). */
static em_status user_dram_trace(FILE *f, pf_stream *s, const mem_rdbuf *b, uint64_t size_words,
                                 uint64_t bw, int64_t offset, int64_t dram_start) {
  mem_rdbuf_bursts x = mem_rdbuf_get_bursts(b);
  if (!f || !x.started) return EM_OK;
  s->keep_nulls = true;
  uint64_t rows = em_ceil_div_u64(s->M * s->N, bw);
  if (rows == 0) return EM_OK; /* an empty operand fetches nothing */
  uint64_t active = size_words / 2 + size_words % 2, valid = active % bw;
  uint64_t n0 = x.first_lines, nb = x.lines;
  bool trim0 = n0 * bw > active, trim_b = nb * bw > active;
  uint64_t next_col = trim0 ? valid : 0;
  uint64_t S1 = (trim0 ? n0 : n0 + 1) % rows, S2 = (trim_b ? nb : nb + 1) % rows;
  uint64_t width = n0 > nb ? n0 : nb; /* a burst never lists more lines than there are */
  if (width > rows) width = rows;
  int64_t *buf = malloc((width ? width : 1) * bw * sizeof *buf);
  if (!buf) return EM_ERR_NOMEM;
  trim t[8];
  size_t nt = 0;
  /* the first burst (prefetch_active_buffer) */
  fetch_lines(s, bw, 0, n0, offset, buf);
  if (trim0 && n0) {
    for (uint64_t c = valid; c < bw; c++) buf[(n0 - 1) * bw + c] = -1;
    t[nt++] = (trim){n0 - 1, valid, bw};
  }
  for (uint64_t i = 0; i < n0; i++) put_dram_row(f, dram_start + (int64_t)i, buf + i * bw, bw);
  int64_t last = dram_start + (int64_t)n0 - 1;
  uint64_t n = 0;
  for (uint64_t k = 0; k < x.bursts; k++) {
    if (k < 2) /* from the second on, the same lines */
      n = burst_lines(s, bw, rows, k == 0 ? S1 : S2, nb, offset, next_col, trim_b, valid, t, &nt,
                      buf);
    for (uint64_t i = 0; i < n; i++) put_dram_row(f, last + 2 + (int64_t)i, buf + i * bw, bw);
    last += (int64_t)nb + 1;
  }
  free(buf);
  s->keep_nulls = false;
  return ferror(f) ? EM_ERR_IO : EM_OK;
}

/* Ifmap elements whose window leaves the input (ceil mode), among those
 * of the output pixels [pa, pb) (within the operand) at window position
 * a - p (diag) or a (a row of the is prefetch matrix): element (p, j) is
 * outside when er * sh + kr >= H (kr = j / (S C)) or ec * sw + ks >= W
 * (ks = j / C mod S). Only the rows er >= er_o and columns ec >= ec_o can
 * be: work per output row of the range, not per element. */
static uint64_t overhang(const pf_stream *s, uint64_t pa, uint64_t pb, bool diag, uint64_t a) {
  const view *v = s->v;
  const uint64_t EF = v->e * v->fo, SC = v->s * v->c;
  uint64_t n = 0;
  for (uint64_t p = pa; p < pb;) {
    uint64_t q = p % EF, er = q / v->fo, ec = q % v->fo;
    uint64_t end = p + (v->fo - ec) < pb ? p + (v->fo - ec) : pb; /* this output row */
    if (er >= s->er_o) { /* kr >= H - er sh, i.e. j >= (H - er sh) S C */
      /* A stride longer than the filter can start a window below the
       * input (er sh >= H, ceil mode): all of it overhangs, t = 0 (not
       * H - er sh wrapped round, which counted none). */
      uint64_t t = er * v->sh < v->h ? (v->h - er * v->sh) * SC : 0;
      if (!diag) {
        if (a >= t) n += end - p;
      } else if (a >= t) { /* j = a - p' >= t: p' <= a - t */
        uint64_t hi = a - t + 1 < end ? a - t + 1 : end;
        if (hi > p) n += hi - p;
      }
    }
    /* the columns that can leave the input, unless their row did */
    for (uint64_t cc = ec > s->ec_o ? ec : s->ec_o, pp = p + (cc - ec); pp < end; cc++, pp++) {
      uint64_t j = diag ? a - pp : a;
      if (cc * v->sw + j / v->c % v->s >= v->w && er * v->sh + j / SC < v->h) n++;
    }
    p = end;
  }
  return n;
}

/* Overhanging elements of anti-diagonal k in columns [ca, cb) (no padding
 * among them), fold slice by fold slice: os, pixel f R + c at window
 * position k - c - f W; ws, pixel k - c - f Npx at window position f R + c;
 * either way window position + pixel is constant along a slice. */
static uint64_t diag_overhang(const pf_stream *s, uint64_t k, uint64_t ca, uint64_t cb) {
  uint64_t n = 0;
  while (ca < cb) {
    uint64_t f = (k - ca) / s->per_fold, r = k - ca - f * s->per_fold;
    uint64_t end = ca + r + 1 < cb ? ca + r + 1 : cb; /* columns in slice f */
    uint64_t a = k - f * s->per_fold + f * s->R;
    if (s->df == SA_OS)
      n += overhang(s, f * s->R + ca, f * s->R + end, true, a);
    else
      n += overhang(s, k - (end - 1) - f * s->per_fold, k - ca - f * s->per_fold + 1, true, a);
    ca = end;
  }
  return n;
}

/* Non-null elements of anti-diagonal k with column below `cmax` (cmax 0:
 * none; cmax N: the whole diagonal). Column c holds row k - c. */
static uint64_t pf_diag_words(const pf_stream *s, uint64_t k, uint64_t cmax) {
  uint64_t c_lo = k + 1 > s->M ? k + 1 - s->M : 0; /* row k - c <= M - 1 */
  uint64_t c_hi = k + 1 < s->N ? k + 1 : s->N;     /* row >= 0, col < N */
  if (c_hi > cmax) c_hi = cmax;
  if (c_hi <= c_lo) return 0;
  uint64_t n = c_hi - c_lo;
  /* Nulls: columns >= used_last in rows >= null_row, i.e. c <= k - null_row. */
  uint64_t z_lo = c_hi, z_hi = c_hi;
  if (k >= s->null_row) {
    z_lo = c_lo > s->used_last ? c_lo : s->used_last;
    z_hi = k - s->null_row + 1 < c_hi ? k - s->null_row + 1 : c_hi;
    if (z_hi > z_lo) n -= z_hi - z_lo;
  }
  if (s->nulls) { /* and the windows' overhang, off the padding [z_lo, z_hi) */
    if (z_hi > z_lo) {
      n -= diag_overhang(s, k, c_lo, z_lo) + diag_overhang(s, k, z_hi, c_hi);
    } else {
      n -= diag_overhang(s, k, c_lo, c_hi);
    }
  }
  return n;
}

/* Non-null elements of row `row` of a prefetch matrix read row by row (is
 * ifmap) in columns [0, cmax). */
static uint64_t pf_row_words(const pf_stream *s, uint64_t row, uint64_t cmax) {
  uint64_t n = row >= s->null_row && cmax > s->used_last ? s->used_last : cmax;
  if (!s->nulls) return n;
  uint64_t f = row / s->per_fold;
  return n - overhang(s, f * s->N, f * s->N + n, false, row - f * s->per_fold);
}

/* The shape of an operand's prefetch matrix (pf_init without its table). */
static void pf_shape(pf_stream *s, const sa_config *cfg, const view *v, const addr_gen *ag,
                     bool ifmap) {
  memset(s, 0, sizeof *s);
  s->v = v;
  s->ag = ag;
  s->df = cfg->dataflow;
  s->ifmap = ifmap;
  s->R = cfg->rows;
  s->C = cfg->cols;
  uint64_t folds = 0;
  switch (cfg->dataflow) {
  case SA_OS: /* ifmap: window x R per row fold; filter: window x C per column fold */
    s->per_fold = v->window;
    s->N = ifmap ? s->R : s->C;
    folds = ifmap ? v->row_fold : v->col_fold;
    s->diag = true;
    break;
  case SA_WS: /* ifmap: Npx x R per row fold; filter: window x C, not skewed */
    s->per_fold = ifmap ? v->npx : v->window;
    s->N = ifmap ? s->R : s->C;
    folds = ifmap ? v->row_fold : v->col_fold;
    s->diag = ifmap;
    break;
  case SA_IS: /* ifmap: window x C per column fold, not skewed; filter: F x R */
    s->per_fold = ifmap ? v->window : v->f;
    s->N = ifmap ? s->C : s->R;
    folds = ifmap ? v->col_fold : v->row_fold;
    s->diag = !ifmap;
    break;
  }
  s->M = folds * s->per_fold;
  /* The folded dimension: what the N columns of each fold slice cut. */
  uint64_t dim = 0;
  switch (cfg->dataflow) {
  case SA_OS: dim = ifmap ? v->npx : v->f; break;
  case SA_WS: dim = ifmap ? v->window : v->f; break;
  case SA_IS: dim = ifmap ? v->npx : v->window; break;
  }
  s->used_last = dim - (folds - 1) * s->N;
  s->null_row = (folds - 1) * s->per_fold;
  s->nulls = ifmap && !ag->all_in;
  /* The output rows and columns whose windows can leave the input:
   * er sh + R - 1 >= H, ec sw + S - 1 >= W. */
  s->er_o = v->h + 1 > v->r ? em_ceil_div_u64(v->h + 1 - v->r, v->sh) : 0;
  s->ec_o = v->w + 1 > v->s ? em_ceil_div_u64(v->w + 1 - v->s, v->sw) : 0;
}

/* The entries of s's position table (pf_init), 0 where it has none: one
 * per anti-diagonal or, with nulls, per row, and the stream's length. */
static uint64_t pf_table_entries(const pf_stream *s) {
  if (!s->diag && !s->nulls) return 0;
  return (s->diag ? s->M + s->N - 1 : s->M) + 1;
}

/* Sets up the prefetch stream of one operand. */
static void pf_init(pf_stream *s, const sa_config *cfg, const view *v, const addr_gen *ag,
                    bool ifmap) {
  pf_shape(s, cfg, v, ag, ifmap);
  s->has_pos = true;
  s->base = NULL;
  if (s->diag || s->nulls) {
    uint64_t n = pf_table_entries(s) - 1; /* diagonals or rows */
    s->base = malloc((n + 1) * sizeof *s->base);
    if (!s->base) {
      s->has_pos = false;
    } else {
      s->base[0] = 0;
      for (uint64_t k = 0; k < n; k++)
        s->base[k + 1] = s->base[k] + (s->diag ? pf_diag_words(s, k, s->N)
                                               : pf_row_words(s, k, s->N));
    }
  }
  pf_rewind(s);
}

static void pf_free(pf_stream *s) {
  free(s->base);
  s->base = NULL;
}

/* Stream position of the element (row, col), or for a null element, of
 * the next non-null one. */
static uint64_t pf_pos(const pf_stream *s, uint64_t row, uint64_t col) {
  if (!s->diag) {
    if (s->nulls) return s->base[row] + pf_row_words(s, row, col);
    uint64_t nulls = row > s->null_row ? (row - s->null_row) * (s->N - s->used_last) : 0;
    return row * s->N - nulls + col;
  }
  /* Diagonal row + col runs up the columns; before the element come the
   * earlier diagonals' words and its own diagonal's words left of it. */
  return s->base[row + col] + pf_diag_words(s, row + col, col);
}

/* Words in the stream (its nulls dropped). */
static uint64_t pf_words(const pf_stream *s) {
  if (s->base) return s->base[s->diag ? s->M + s->N - 1 : s->M];
  return s->M * s->N - (s->M - s->null_row) * (s->N - s->used_last);
}

/* Whether ifmap address `addr` occurs at a stream position in [from, to)
 * (mem_stream.occurs), from the layout of the stream (has_pos): the
 * address is element (h, w, ch) of image b, which the windows of the
 * output pixels (er, ec) with er * sh + kr = h and ec * sw + ks = w hold
 * at window position (kr * S + ks) * C + ch; at most ceil(R / sh) x
 * ceil(S / sw) of them, none a null. Each gives a prefetch-matrix row and
 * column (pixel p and window position j folded by the array); a diagonal
 * (or row) wholly outside the range is passed over without the position
 * within it. */
static bool pf_occurs(const void *ctx, int64_t addr, uint64_t from, uint64_t to) {
  const pf_stream *s = ctx;
  const view *v = s->v;
  uint64_t a = (uint64_t)addr, wc = v->w * v->c, img = v->h * wc;
  uint64_t b = a / img, rem = a - b * img;
  uint64_t h = rem / wc, w = (rem - h * wc) / v->c, ch = rem - h * wc - w * v->c;
  /* kr in [h - (E-1) sh, h] and [0, R), with (h - kr) divisible by sh;
   * likewise ks */
  uint64_t kr = h > (v->e - 1) * v->sh ? h - (v->e - 1) * v->sh : 0;
  if (v->sh > 1) kr += (h - kr) % v->sh;
  uint64_t ks0 = w > (v->fo - 1) * v->sw ? w - (v->fo - 1) * v->sw : 0;
  if (v->sw > 1) ks0 += (w - ks0) % v->sw;
  if (ks0 >= v->s || ks0 > w) return false;
  uint64_t er = (h - kr) / v->sh, ec0 = (w - ks0) / v->sw;
  /* The folded dimension (os, is: the pixel; ws: the window position)
   * and the fold's width. */
  uint64_t N = s->N;
  for (; kr < v->r && kr <= h; kr += v->sh, er--) {
    uint64_t p = (b * v->e + er) * v->fo + ec0;
    uint64_t j = (kr * v->s + ks0) * v->c + ch;
    uint64_t x = s->df == SA_WS ? j : p, fold = x / N, col = x - fold * N;
    for (uint64_t ks = ks0; ks < v->s && ks <= w; ks += v->sw) {
      uint64_t row = s->df == SA_WS ? fold * v->npx + p : fold * v->window + j;
      uint64_t at = s->diag ? row + col : row; /* the diagonal or row, if tabled */
      if (!s->base || (s->base[at + 1] > from && s->base[at] < to)) {
        uint64_t pos = pf_pos(s, row, col);
        if (pos >= from && pos < to) return true;
      }
      /* the next ks: pixel p - 1, window position j + sw * C */
      if (s->df == SA_WS) {
        col += v->sw * v->c;
        if (col >= N) fold += col / N, col %= N;
      } else if (col-- == 0) {
        col = N - 1;
        fold--;
      }
      p--;
      j += v->sw * v->c;
    }
  }
  return false;
}

/* Stream position of the first word of demand line q of fold (fr, fc), or
 * MEM_POS_UNKNOWN. A line of a skewed demand block is one anti-diagonal of
 * the prefetch matrix, in its order; a line of a flipped one, one row. */
static uint64_t line_pos(const pf_stream *s, const fold_block *f, uint64_t fr, uint64_t fc,
                         uint64_t q) {
  if (!s->has_pos) return MEM_POS_UNKNOWN;
  uint64_t c_lo, c_hi;
  line_cols(f, q, &c_lo, &c_hi);
  if (c_hi > f->used_cols) c_hi = f->used_cols;
  if (c_hi <= c_lo) return MEM_POS_UNKNOWN;
  uint64_t r = f->skew ? q - c_lo - f->pre : q - f->pre; /* body row of the first word */
  /* The prefetch matrix stacks one slice per row fold (os and ws ifmap,
   * is filter) or per column fold (os and ws filter, is ifmap). */
  uint64_t fold = (s->df == SA_IS) != s->ifmap ? fr : fc;
  if (f->skew) return pf_pos(s, fold * s->per_fold + r, c_lo);
  /* Flipped (is ifmap, ws filter): body row r is window position
   * fr * R + R - 1 - r, a row of the matrix read from column 0. */
  if (r < f->used_row_lo) return MEM_POS_UNKNOWN;
  return pf_pos(s, fold * s->per_fold + fr * s->R + (s->R - 1 - r), 0);
}

/* Lines [*lo, *hi) of a block without nulls that hold words, and the words
 * on line q. */
static void block_word_lines(const fold_block *f, uint64_t *lo, uint64_t *hi) {
  *lo = f->skew ? f->pre : f->pre + f->used_row_lo;
  *hi = f->skew ? f->pre + f->rows + f->used_cols - 1 : f->pre + f->rows;
}

static uint64_t block_line_words(const fold_block *f, uint64_t q) {
  uint64_t c_lo, c_hi;
  line_cols(f, q, &c_lo, &c_hi);
  if (c_hi > f->used_cols) c_hi = f->used_cols;
  return c_hi > c_lo && (f->skew || q - f->pre >= f->used_row_lo) ? c_hi - c_lo : 0;
}

/* Stream words on line q of fold (fr, fc)'s block of stream s: those of
 * block_line_words less the nulls of an overhanging ifmap. */
static uint64_t line_words(const pf_stream *s, const fold_block *f, uint64_t fr, uint64_t fc,
                           uint64_t q) {
  uint64_t n = block_line_words(f, q);
  if (!s->nulls || !n) return n;
  uint64_t c_lo, c_hi;
  line_cols(f, q, &c_lo, &c_hi);
  if (c_hi > f->used_cols) c_hi = f->used_cols;
  uint64_t fold = (s->df == SA_IS) != s->ifmap ? fr : fc;
  if (f->skew) return n - diag_overhang(s, fold * s->per_fold + q - f->pre, c_lo, c_hi);
  return pf_row_words(s, fold * s->per_fold + fr * s->R + (s->R - 1 - (q - f->pre)), c_hi);
}

/* Reads line q of a block through a USER read buffer starting at `cycle`;
 * returns the serviced cycle, *any says whether the line had a request.
 * pos0: the stream position of the line's first word, if known. */
/* Word i of a demand line whose words are columns c_lo + i of a block;
 * for an ifmap line (line_scan), also its stream position pos0 + i and its
 * element: output pixel p0 + dp i at window position j0 + dj i. */
typedef struct {
  const walker *w;
  const fold_block *f;
  uint64_t q, c_lo;
  const pf_stream *s;
  uint64_t pos0, p0, j0;
  int dp, dj;
  uint64_t *skip; /* line_scan's answer for the next lines (os): see there */
} line_word_ctx;

static int64_t line_word(const void *ctx, size_t i) {
  const line_word_ctx *lw = ctx;
  const fold_block *f = lw->f;
  uint64_t c = lw->c_lo + i;
  return block_addr(lw->w, f, f->skew ? lw->q - c - f->pre : lw->q - f->pre, c);
}

static int64_t array_word(const void *ctx, size_t i) { return ((const int64_t *)ctx)[i]; }

/* Shifts (other occurrences of an element's address) beyond which a line
 * is read word by word: a kernel of more than 32 with its strides. */
#define SCAN_MAX_SHIFTS 32

/* Words [lo, hi) of a line that hit, and for how many of the next lines
 * the same words still hit the same way (line_scan's skip; 0: unknown). */
typedef struct {
  uint64_t lo, hi, lim;
} ival;

/* The first word in [from, end) no interval of iv covers; *lim lowers to
 * the least `lim` of the intervals that cover [from, that word). */
static uint64_t uncovered(const ival *iv, size_t niv, uint64_t from, uint64_t end,
                          uint64_t *lim) {
  uint64_t cur = from;
  for (bool grew = true; grew && cur < end;) {
    grew = false;
    for (size_t k = 0; k < niv; k++)
      if (iv[k].lo <= cur && iv[k].hi > cur) {
        cur = iv[k].hi;
        if (iv[k].lim < *lim) *lim = iv[k].lim;
        grew = true;
      }
  }
  return cur;
}

/* os and ws: for how many next lines positions up to pmax on diagonal d,
 * moving one diagonal (N positions) a line, stay below `top`: the
 * diagonals d .. d + m must be whole (N words, no padding), so that a
 * line's words and their partners move by exactly N. */
static uint64_t lines_below(const pf_stream *s, uint64_t d, uint64_t pmax, uint64_t top) {
  uint64_t whole_end = s->null_row + s->used_last < s->M ? s->null_row + s->used_last : s->M;
  if (s->df == SA_IS || d + 1 < s->N || d >= whole_end || pmax >= top) return 0;
  uint64_t m = (top - 1 - pmax) / s->N;
  return m < whole_end - 1 - d ? m : whole_end - 1 - d;
}

/* The words of stretch [i, end) (output row er, first column ec, kernel
 * position (kr, ks)) that hit through the occurrence at kernel position
 * (kr2, ks2): one interval per slice of the partners' prefetch matrix and
 * window range, appended to iv. */
static size_t shift_hits(const line_word_ctx *lw, const uint64_t *win, size_t nw, uint64_t i,
                         uint64_t end, uint64_t ec, uint64_t kr, uint64_t ks, uint64_t kr2,
                         uint64_t ks2, ival *iv) {
  const pf_stream *s = lw->s;
  const view *v = s->v;
  const uint64_t N = s->N;
  int64_t dr = ((int64_t)kr2 - (int64_t)kr) / (int64_t)v->sh; /* output rows up */
  int64_t dc = ((int64_t)ks2 - (int64_t)ks) / (int64_t)v->sw;
  /* words i' of the stretch whose partner column ec(i') - dc is in [0, Fo) */
  int64_t a, z;
  if (lw->dp > 0) {
    a = (int64_t)i + dc - (int64_t)ec;
    z = a + (int64_t)v->fo;
  } else {
    z = (int64_t)i + (int64_t)ec - dc + 1;
    a = z - (int64_t)v->fo;
  }
  if (z <= (int64_t)i) return 0;
  uint64_t ia = a > (int64_t)i ? (uint64_t)a : i, ib = z < (int64_t)end ? (uint64_t)z : end;
  int64_t dpp = -dr * (int64_t)v->fo - dc;
  int64_t djj = ((int64_t)kr2 - (int64_t)kr) * (int64_t)v->s * (int64_t)v->c +
                ((int64_t)ks2 - (int64_t)ks) * (int64_t)v->c;
  size_t niv = 0;
  while (ia < ib) { /* by slices of the partners' prefetch matrix */
    uint64_t pp = (uint64_t)((int64_t)(lw->dp > 0 ? lw->p0 + ia : lw->p0 - ia) + dpp);
    uint64_t jj = (uint64_t)((int64_t)(lw->dj > 0 ? lw->j0 + ia : lw->dj < 0 ? lw->j0 - ia : lw->j0) +
                             djj);
    uint64_t x = s->df == SA_WS ? jj : pp, col = x % N, fold = x / N;
    uint64_t sb = ia + (N - col) < ib ? ia + (N - col) : ib;
    uint64_t row = s->df == SA_WS ? fold * v->npx + pp : fold * v->window + jj;
    if (s->diag) { /* a diagonal wholly outside the window: no hit */
      uint64_t d0 = s->base[row + col], d1 = s->base[row + col + 1];
      bool meets = false;
      for (size_t k = 0; k < nw; k++) meets |= d1 > win[2 * k] && d0 < win[2 * k + 1];
      if (!meets) {
        ia = sb;
        continue;
      }
    }
    uint64_t pc = pf_pos(s, row, col); /* word ia's partner; then one apart */
    for (size_t k = 0; k < nw; k++) {
      uint64_t lo = win[2 * k] > pc ? ia + (win[2 * k] - pc) : ia;
      uint64_t hi = win[2 * k + 1] > pc ? ia + (win[2 * k + 1] - pc) : ia;
      if (hi > sb) hi = sb;
      if (hi > lo)
        iv[niv++] = (ival){lo, hi, lines_below(s, row + col, pc + (hi - 1 - ia), win[2 * k + 1])};
      /* ws: the words' pixels move right a line; a partner to their right
       * (dc < 0) must stay in its row */
      if (hi > lo && s->df == SA_WS && dc < 0) {
        uint64_t right = ec + (uint64_t)-dc, room = right < v->fo ? v->fo - 1 - right : 0;
        if (room < iv[niv - 1].lim) iv[niv - 1].lim = room;
      }
    }
    ia = sb;
  }
  return niv;
}

/* The k-th nearest of the values x in [0, n) with x = at (mod step),
 * nearest to `at` first (at, at - step, at + step, ...); n if none left. */
static uint64_t near_k(uint64_t at, uint64_t step, uint64_t n, uint64_t k) {
  uint64_t below = at / step, above = (n - 1 - at) / step; /* room each way */
  uint64_t d = (k + 1) / 2;
  bool down = k % 2 == 1;
  if (k > 2 * (below < above ? below : above)) { /* one side is used up */
    uint64_t m = below < above ? below : above;
    d = k - m;
    down = below > above;
  }
  if (down) return d <= below ? at - d * step : n;
  return d <= above ? at + d * step : n;
}

/* The first of words [from, n) of an ifmap line that may miss the window
 * `win` (mem_scan_fn): every word before it hits. Element (p, j) holds the
 * address of (p', j') = (p + dp', j + dj') for every shift (dkr, dks) of
 * its kernel position (kr, ks) that stays in the kernel and whose output
 * pixel (er - dkr / sh, ec - dks / sw) exists: dp' = -(dkr / sh) Fo -
 * dks / sw, dj' = (dkr S + dks) C. Along a stretch of the line with one
 * (kr, ks) and one output row, a shift's partners are successive elements
 * of one diagonal (or row) of the prefetch matrix, consecutive stream
 * positions, so the words that hit through it are one interval: the line
 * costs a few intervals per shift and stretch, not a lookup per word.
 * When the first scan of a line finds every word a hit: the next line of
 * an os block holds the same pixels one window position on (ws: the same
 * window positions one pixel on), and so do the partners, one diagonal (N
 * positions) on where the diagonals are whole; while no stretch's window
 * positions cross into the next kernel position (ws: no pixel, its own or
 * a partner's, leaves its output row) and no position covering a word
 * passes the window's end, every word hits the same way. *lw->skip gets
 * how many lines that holds for (0 after a miss, or in a later scan of the
 * line, once a burst moved the window). */
static size_t line_scan(const void *ctx, size_t from, size_t n, const uint64_t *win, size_t nw) {
  const line_word_ctx *lw = ctx;
  const pf_stream *s = lw->s;
  const view *v = s->v;
  bool first_scan = *lw->skip == UINT64_MAX;
  *lw->skip = 0;
  uint64_t nr = em_ceil_div_u64(v->r, v->sh), ns = em_ceil_div_u64(v->s, v->sw);
  if (s->nulls || nr * ns > SCAN_MAX_SHIFTS) return from; /* word by word */
  const uint64_t EF = v->e * v->fo, SC = v->s * v->c;
  ival iv[SCAN_MAX_SHIFTS * 4 + 2];
  size_t nown = 0;
  /* the line's diagonal (its words' own positions move N a line) */
  uint64_t d_own = 0, skip = first_scan && s->df != SA_IS ? UINT64_MAX : 0;
  if (skip && s->df == SA_OS) {
    uint64_t p = lw->p0 + from, j = lw->j0 - from;
    d_own = p / s->R * v->window + j + p % s->R;
  } else if (skip) {
    uint64_t p = lw->p0 - from, j = lw->j0 + from;
    d_own = j / s->R * v->npx + p + j % s->R;
  }
  for (size_t k = 0; k < nw; k++) { /* words whose own position is in the window */
    uint64_t lo = win[2 * k] > lw->pos0 ? win[2 * k] - lw->pos0 : 0;
    uint64_t hi = win[2 * k + 1] > lw->pos0 ? win[2 * k + 1] - lw->pos0 : 0;
    if (hi > lo)
      iv[nown++] = (ival){lo, hi, skip ? lines_below(s, d_own, lw->pos0 + hi - 1, win[2 * k + 1]) : 0};
    /* the words before `from` hit by their own position too */
    if (skip && lo < from && hi >= from) {
      uint64_t m = lines_below(s, d_own, lw->pos0 + from - 1, win[2 * k + 1]);
      if (m < skip) skip = m;
    }
  }
  for (uint64_t i = from; i < n;) {
    uint64_t p = lw->dp > 0 ? lw->p0 + i : lw->p0 - i;
    uint64_t j = lw->dj > 0 ? lw->j0 + i : lw->dj < 0 ? lw->j0 - i : lw->j0;
    uint64_t pq = p % EF, er = pq / v->fo, ec = pq % v->fo;
    uint64_t kr = j / SC, ks = j / v->c % v->s, ch = j % v->c;
    /* this stretch: the same output row and kernel position */
    uint64_t end = n, e;
    e = lw->dp > 0 ? i + (v->fo - ec) : i + ec + 1;
    if (e < end) end = e;
    if (lw->dj != 0) {
      e = lw->dj < 0 ? i + ch + 1 : i + (v->c - ch);
      if (e < end) end = e;
    }
    /* the other occurrences, nearest kernel positions first (their
     * partners lie nearest in the stream), until the stretch is covered */
    size_t niv = nown;
    uint64_t lim = UINT64_MAX;
    uint64_t cur = uncovered(iv, niv, i, end, &lim);
    for (uint64_t a = 0; cur < end; a++) {
      uint64_t kr2 = near_k(kr, v->sh, v->r, a);
      if (kr2 >= v->r) break;
      int64_t dr = ((int64_t)kr2 - (int64_t)kr) / (int64_t)v->sh;
      if ((int64_t)er - dr < 0 || (int64_t)er - dr >= (int64_t)v->e) continue;
      for (uint64_t b = 0; cur < end; b++) {
        uint64_t ks2 = near_k(ks, v->sw, v->s, b);
        if (ks2 >= v->s) break;
        if (kr2 == kr && ks2 == ks) continue;
        size_t add = shift_hits(lw, win, nw, i, end, ec, kr, ks, kr2, ks2, iv + niv);
        if (add) {
          niv += add;
          cur = uncovered(iv, niv, cur, end, &lim);
        }
      }
    }
    if (cur < end) return cur;
    if (skip) { /* the stretch's first word has the largest j (os) or pixel (ws) */
      uint64_t room = s->df == SA_OS ? v->c - 1 - j % v->c /* to the next kernel position */
                                     : v->fo - 1 - ec;     /* to the end of the row */
      if (room < lim) lim = room;
      if (lim < skip) skip = lim;
    }
    i = end;
  }
  *lw->skip = skip == UINT64_MAX ? 0 : skip;
  return n;
}

/* *skip (may be NULL): how many next lines of an os ifmap block are known
 * to hit every word the way this one did (line_scan), 0 if none. */
static em_status user_line(const walker *w, const pf_stream *s, const fold_block *f, uint64_t q,
                           mem_rdbuf *b, int64_t cycle, bool by_word, uint64_t pos0,
                           int64_t *line, bool *any, int64_t *served, uint64_t *skip) {
  uint64_t scan_skip = UINT64_MAX; /* line_scan not called yet */
  if (skip) *skip = 0;
  uint64_t c_lo, c_hi;
  line_cols(f, q, &c_lo, &c_hi);
  mem_rdbuf_line_begin(b, cycle);
  em_status st = EM_OK;
  if (!f->body) {
    /* No block built: its words are the used columns, all present (filters,
     * ifmaps without overhang), one run of the prefetch order. */
    if (c_hi > f->used_cols) c_hi = f->used_cols;
    size_t n = c_hi > c_lo && (f->skew || q - f->pre >= f->used_row_lo) ? c_hi - c_lo : 0;
    line_word_ctx lw = {w, f, q, c_lo, s, pos0, 0, 0, 0, 0, &scan_skip};
    mem_scan_fn scan = NULL;
    if (s->ifmap && pos0 != MEM_POS_UNKNOWN) { /* the line's elements, for line_scan */
      scan = line_scan;
      if (s->df == SA_OS) {
        lw.p0 = f->r0 + c_lo, lw.j0 = q - c_lo - f->pre, lw.dp = 1, lw.dj = -1;
      } else if (s->df == SA_WS) {
        lw.p0 = q - c_lo - f->pre, lw.j0 = f->r0 + c_lo, lw.dp = -1, lw.dj = 1;
      } else {
        lw.p0 = f->c0 + c_lo, lw.j0 = f->r0 + w->cfg->rows - 1 - (q - f->pre), lw.dp = 1;
      }
    }
    if (n && s->nulls) { /* an overhanging ifmap: the words between its nulls */
      size_t m = 0;
      for (uint64_t c = c_lo; c < c_hi; c++) {
        int64_t a = block_addr(w, f, f->skew ? q - c - f->pre : q - f->pre, c);
        if (a >= 0) line[m++] = a;
      }
      *any = m > 0;
      if (m) st = mem_rdbuf_read_run(b, pos0, array_word, NULL, line, m);
    } else {
      *any = n > 0;
      if (n) st = mem_rdbuf_read_run(b, pos0, line_word, scan, &lw, n);
      /* the next lines hold the same columns (the block's whole lines) */
      if (skip && scan_skip != UINT64_MAX && scan_skip && f->skew &&
          q + 1 >= f->pre + f->used_cols && q < f->pre + f->rows) {
        uint64_t room = f->pre + f->rows - 1 - q;
        *skip = scan_skip < room ? scan_skip : room;
      }
    }
  } else {
    size_t n = 0;
    for (uint64_t c = c_lo; c < c_hi; c++) {
      uint64_t r = f->skew ? q - c - f->pre : q - f->pre;
      int64_t addr = f->body[r * f->width + c];
      if (addr >= 0) line[n++] = addr;
    }
    *any = n > 0;
    if (by_word) /* the slow path (traces): word by word, no runs */
      for (size_t i = 0; i < n && st == EM_OK; i++) st = mem_rdbuf_read(b, line[i]);
    else if (n)
      st = mem_rdbuf_read_run(b, pos0, array_word, NULL, line, n);
  }
  *served = mem_rdbuf_line_end(b);
  return st;
}

static void trace_line(FILE *trace, const fold_block *f, uint64_t q, int64_t served,
                       int64_t offset, int64_t *row) {
  uint64_t c_lo, c_hi;
  line_cols(f, q, &c_lo, &c_hi);
  for (uint64_t c = 0; c < f->width; c++) {
    int64_t addr = -1;
    if (c >= c_lo && c < c_hi)
      addr = f->body[(f->skew ? q - c - f->pre : q - f->pre) * f->width + c];
    row[c] = addr < 0 ? -1 : addr + offset;
  }
  put_trace_row(trace, served, row, f->width);
}

/* Line q of fold (fr, fc)'s ofmap demand (SCALE-Sim's
 * create_ofmap_demand_mat), addresses p * F + f plus the offset: os, the
 * fold's R x C tile flipped upside down after T - 1 empty rows; ws, the
 * Npx x C slice, is, the F x C slice of the transposed ofmap, each after
 * 2R - 1 empty rows; all skewed. */
static void ofmap_line_addrs(const sa_config *cfg, const view *v, uint64_t fr, uint64_t fc,
                             uint64_t q, int64_t *row) {
  const uint64_t R = cfg->rows, C = cfg->cols;
  uint64_t r0 = fr * R, c0 = fc * C;
  uint64_t rows_used = v->sr - r0 < R ? v->sr - r0 : R;
  uint64_t cols_used = v->sc - c0 < C ? v->sc - c0 : C;
  bool os = cfg->dataflow == SA_OS;
  uint64_t pre = os ? v->t - 1 : 2 * R - 1, rows = os ? R : v->t;
  for (uint64_t c = 0; c < C; c++) {
    int64_t a = -1;
    if (c < cols_used && q >= pre + c && q - pre - c < rows) {
      uint64_t k = q - pre - c; /* body row */
      if (os) {
        if (R - 1 - k < rows_used) a = (int64_t)((r0 + R - 1 - k) * v->f + c0 + c);
      } else if (cfg->dataflow == SA_WS) {
        a = (int64_t)(k * v->f + c0 + c);
      } else {
        a = (int64_t)((c0 + c) * v->f + k);
      }
    }
    row[c] = a < 0 ? -1 : a + (int64_t)cfg->ofmap_offset;
  }
}

/* ---- USER bandwidth: the walk of one fold ---- */

/* Where a layer's walk stands: lines walked before the current fold, stall
 * cycles so far, the first and last cycle each operand's SRAM was read or
 * written (-1 for none yet), and the cycle the last ofmap line was stored. */
typedef struct {
  int64_t line;
  uint64_t stalls;
  int64_t if_first, if_last, fl_first, fl_last, of_first, of_last, last_out;
} walk_state;

/* What a USER walk reads and writes through. */
typedef struct {
  const sa_config *cfg;
  const view *v;
  const walker *w;
  const pf_stream *pif, *pfl;
  mem_rdbuf *uif, *ufl;
  mem_wrbuf *wof;
  const sa_traces *traces;
  int64_t *trow, *uline;
} user_io;

/* Line q of fold (fr, fc), every stream in full (SCALE-Sim's
 * service_memory_requests): a line waits for the slowest of its three
 * streams. *if_skip (may be NULL): user_line's for the ifmap. */
static em_status user_full_line(const user_io *io, walk_state *k, const fold_block *bi,
                                const fold_block *bf, uint64_t fr, uint64_t fc, uint64_t q,
                                uint64_t *if_skip) {
  const sa_config *cfg = io->cfg;
  const sa_traces *traces = io->traces;
  FILE *tif = traces ? traces->ifmap_sram : NULL;
  FILE *tfl = traces ? traces->filter_sram : NULL;
  FILE *tof = traces ? traces->ofmap_sram : NULL;
  int64_t cycle = k->line + (int64_t)q + (int64_t)k->stalls;
  bool aif, afl;
  int64_t sif, sfl;
  uint64_t p0 = line_pos(io->pif, bi, fr, fc, q), p1 = line_pos(io->pfl, bf, fr, fc, q);
  em_status st;
  if ((st = user_line(io->w, io->pif, bi, q, io->uif, cycle, traces != NULL, p0, io->uline,
                      &aif, &sif, if_skip)) != EM_OK ||
      (st = user_line(io->w, io->pfl, bf, q, io->ufl, cycle, traces != NULL, p1, io->uline,
                      &afl, &sfl, NULL)) != EM_OK)
    return st;
  if (tif) trace_line(tif, bi, q, sif, (int64_t)cfg->ifmap_offset, io->trow);
  if (tfl) trace_line(tfl, bf, q, sfl, (int64_t)cfg->filter_offset, io->trow);
  if (aif) {
    if (k->if_first < 0) k->if_first = sif - 1;
    k->if_last = sif - 1;
  }
  if (afl) {
    if (k->fl_first < 0) k->fl_first = sfl - 1;
    k->fl_last = sfl - 1;
  }
  uint64_t nw = ofmap_words(cfg, io->v, fr, fc, q);
  if (tof) { /* the line's addresses: the SRAM trace row, the DRAM trace's words */
    ofmap_line_addrs(cfg, io->v, fr, fc, q, io->trow);
    mem_wrbuf_trace_words(io->wof, io->trow, cfg->cols);
  }
  int64_t done = mem_wrbuf_store(io->wof, cycle, nw);
  if (tof) put_trace_row(tof, done, io->trow, cfg->cols);
  if (nw) {
    if (k->of_first < 0) k->of_first = done;
    k->of_last = done;
  }
  int64_t stall = done - cycle;
  if (sif - cycle - 1 > stall) stall = sif - cycle - 1;
  if (sfl - cycle - 1 > stall) stall = sfl - cycle - 1;
  k->stalls += (uint64_t)stall;
  k->last_out = done;
  return EM_OK;
}

/* The first line in [q, end) of block f whose words are not all in the
 * window of buffer b (a line that may miss, so it is walked in full); end
 * if none. A line's words are a run of stream positions (line_pos); the
 * lines of a skewed block are successive runs of the prefetch order, so
 * past the first line the answer is a binary search for the first run
 * that ends beyond the window's stretch; a flipped block has few lines
 * with words, each checked. */
static uint64_t read_event(const pf_stream *s, const fold_block *f, uint64_t fr, uint64_t fc,
                           const mem_rdbuf *b, uint64_t q, uint64_t end) {
  uint64_t lo, hi;
  block_word_lines(f, &lo, &hi);
  if (q < lo) q = lo;
  if (hi > end) hi = end;
  if (!f->skew) {
    for (; q < hi; q++) {
      uint64_t p0 = line_pos(s, f, fr, fc, q);
      if (mem_rdbuf_window_end(b, p0) < p0 + line_words(s, f, fr, fc, q)) return q;
    }
    return end;
  }
  if (q >= hi) return end;
  uint64_t p0 = line_pos(s, f, fr, fc, q);
  uint64_t y = mem_rdbuf_window_end(b, p0);
  if (y < p0 + line_words(s, f, fr, fc, q)) return q;
  uint64_t l = q + 1, r = hi;
  while (l < r) {
    uint64_t m = l + (r - l) / 2;
    if (line_pos(s, f, fr, fc, m) + line_words(s, f, fr, fc, m) > y)
      r = m;
    else
      l = m + 1;
  }
  return l < hi ? l : end;
}

/* The ofmap demand of fold (fr, fc) (ofmap_words): lines [*lo, *hi) hold
 * words, and ofmap_cum(q) is the words of lines [0, q). Line lo - 1 + u
 * holds min(u, Cu) - max(0, u - H) words (Cu used columns, H body rows),
 * a trapezoid whose prefix sums are closed forms. */
typedef struct {
  uint64_t lo, wu, h;
} ofmap_shape;

static ofmap_shape ofmap_shape_of(const sa_config *cfg, const view *v, uint64_t fr, uint64_t fc) {
  const uint64_t R = cfg->rows, C = cfg->cols;
  uint64_t rows_used = v->sr - fr * R < R ? v->sr - fr * R : R;
  uint64_t cols_used = v->sc - fc * C < C ? v->sc - fc * C : C;
  ofmap_shape o;
  if (cfg->dataflow == SA_OS) {
    o.lo = v->t - 1 + (R - rows_used);
    o.h = rows_used;
  } else {
    o.lo = 2 * R - 1;
    o.h = v->t;
  }
  o.wu = cols_used;
  return o;
}

static uint64_t ofmap_cum(const ofmap_shape *o, uint64_t q) {
  if (q <= o->lo) return 0;
  uint64_t u = q - o->lo, last = o->wu + o->h - 1; /* lines with words: u in [1, last] */
  if (u > last) u = last;
  uint64_t a = u <= o->wu ? u * (u + 1) / 2 : o->wu * (o->wu + 1) / 2 + (u - o->wu) * o->wu;
  uint64_t b = u <= o->h ? 0 : (u - o->h) * (u - o->h + 1) / 2;
  return a - b;
}

/* The last line x in [q, e] whose ofmap words since line q, cum(x) - c0
 * (c0 = cum(q)), fit the write buffer's budget: e itself when all do
 * (cum is non-decreasing, so a binary search finds it). */
static uint64_t ofmap_fit(const ofmap_shape *o, uint64_t q, uint64_t e, uint64_t c0,
                          uint64_t budget) {
  if (ofmap_cum(o, e) - c0 <= budget) return e;
  uint64_t l = q, r = e;
  while (l < r) {
    uint64_t m = l + (r - l + 1) / 2;
    if (ofmap_cum(o, m) - c0 <= budget)
      l = m;
    else
      r = m - 1;
  }
  return l;
}

/* One fold of a USER walk without traces, both operands located by their
 * stream positions: the lines that cannot stall (every read a hit in the
 * window, the ofmap words only filling the write buffer's lines) are
 * passed over in stretches, and the others walked in full. The same
 * figures as user_full_line on every line. */
static em_status user_fold(const user_io *io, walk_state *k, const fold_block *bi,
                           const fold_block *bf, uint64_t fr, uint64_t fc, bool first) {
  const uint64_t T = io->v->fold_cycles;
  ofmap_shape o = ofmap_shape_of(io->cfg, io->v, fr, fc);
  uint64_t ilo, ihi, flo, fhi, olo = o.lo, ohi = o.lo + o.wu + o.h - 1;
  block_word_lines(bi, &ilo, &ihi);
  block_word_lines(bf, &flo, &fhi);
  uint64_t q = 0;
  em_status st;
  if (first) { /* the layer's first line issues the first bursts */
    if ((st = user_full_line(io, k, bi, bf, fr, fc, 0, NULL)) != EM_OK) return st;
    q = 1;
  }
  uint64_t e_if = read_event(io->pif, bi, fr, fc, io->uif, q, T);
  uint64_t e_fl = read_event(io->pfl, bf, fr, fc, io->ufl, q, T);
  while (q < T) {
    int64_t base = k->line + (int64_t)k->stalls; /* line q's cycle is base + q */
    /* How far the write buffer stays quiet: its budget holds while the
     * drain it is in (if any) runs, and the words fit the budget. */
    int64_t until;
    uint64_t budget = mem_wrbuf_quiet(io->wof, base + (int64_t)q, &until);
    uint64_t e = e_if < e_fl ? e_if : e_fl;
    if (until != INT64_MAX && (uint64_t)(until - base) < e) e = (uint64_t)(until - base);
    uint64_t c0 = ofmap_cum(&o, q);
    e = ofmap_fit(&o, q, e, c0, budget);
    if (e > q) { /* lines [q, e): no stall, no miss, no drain */
      int64_t c_last = base + (int64_t)e - 1;
      uint64_t a = q > ilo ? q : ilo, z = e < ihi ? e : ihi;
      if (io->pif->nulls) { /* an overhanging ifmap's lines may hold only nulls */
        while (a < z && !line_words(io->pif, bi, fr, fc, a)) a++;
        while (z > a && !line_words(io->pif, bi, fr, fc, z - 1)) z--;
      }
      if (a < z) {
        if (k->if_first < 0) k->if_first = base + (int64_t)a;
        k->if_last = base + (int64_t)z - 1;
      }
      a = q > flo ? q : flo, z = e < fhi ? e : fhi;
      if (a < z) {
        if (k->fl_first < 0) k->fl_first = base + (int64_t)a;
        k->fl_last = base + (int64_t)z - 1;
      }
      uint64_t nw = ofmap_cum(&o, e) - c0;
      if (nw) {
        (void)mem_wrbuf_store(io->wof, c_last, nw); /* quiet: returns c_last */
        a = q > olo ? q : olo, z = e < ohi ? e : ohi;
        if (k->of_first < 0) k->of_first = base + (int64_t)a;
        k->of_last = base + (int64_t)z - 1;
      }
      k->last_out = c_last;
      q = e;
    }
    if (q >= T) break;
    uint64_t skip = 0; /* ifmap lines after q known to hit every word */
    if ((st = user_full_line(io, k, bi, bf, fr, fc, q, q == e_if ? &skip : NULL)) != EM_OK)
      return st;
    q++;
    if (q > e_if) e_if = read_event(io->pif, bi, fr, fc, io->uif, q + skip, T);
    if (q > e_fl) e_fl = read_event(io->pfl, bf, fr, fc, io->ufl, q, T);
  }
  return EM_OK;
}

/* The ofmap lines of fold (fr, fc) in CALC mode, where the ofmap's write
 * buffer alone stalls the array: lines whose words only fill the buffer's
 * lines (mem_wrbuf_quiet) are stored a stretch at a time, the others one
 * by one. The same figures as a store per line. */
static void calc_ofmap_fold(const sa_config *cfg, const view *v, mem_wrbuf *wof, walk_state *k,
                            uint64_t fr, uint64_t fc) {
  const uint64_t T = v->fold_cycles;
  ofmap_shape o = ofmap_shape_of(cfg, v, fr, fc);
  uint64_t olo = o.lo, ohi = o.lo + o.wu + o.h - 1;
  for (uint64_t q = 0; q < T;) {
    int64_t base = k->line + (int64_t)k->stalls; /* line q's cycle is base + q */
    int64_t until;
    uint64_t budget = mem_wrbuf_quiet(wof, base + (int64_t)q, &until);
    uint64_t e = T;
    if (until != INT64_MAX && (uint64_t)(until - base) < e) e = (uint64_t)(until - base);
    uint64_t c0 = ofmap_cum(&o, q);
    e = ofmap_fit(&o, q, e, c0, budget);
    if (e > q) { /* lines [q, e): no stall, no drain */
      uint64_t nw = ofmap_cum(&o, e) - c0;
      if (nw) {
        (void)mem_wrbuf_store(wof, base + (int64_t)e - 1, nw);
        uint64_t a = q > olo ? q : olo, z = e < ohi ? e : ohi;
        if (k->of_first < 0) k->of_first = base + (int64_t)a;
        k->of_last = base + (int64_t)z - 1;
      }
      k->last_out = base + (int64_t)e - 1;
      q = e;
      if (q >= T) break;
    }
    int64_t cycle = base + (int64_t)q;
    uint64_t nw = ofmap_words(cfg, v, fr, fc, q);
    int64_t done = mem_wrbuf_store(wof, cycle, nw);
    if (nw) {
      if (k->of_first < 0) k->of_first = done;
      k->of_last = done;
    }
    k->stalls += (uint64_t)(done - cycle);
    k->last_out = done;
    q++;
  }
}

/* An os fold's ifmap in the CALC buffer when no epoch ends inside it: its
 * reads of one address after the first all hit, so only the distinct
 * addresses matter, and each misses if it was not fetched this epoch. They
 * are the input rows and columns its pixels' windows cover, every channel:
 * runs of consecutive addresses, scanned twice (count, then mark) instead
 * of walking R x W words. Returns false, changing nothing, when the fold's
 * misses would end the epoch (the caller walks it word by word). */
typedef struct {
  uint64_t lo, hi; /* addresses [lo, hi) */
} addr_run;

static int run_cmp(const void *a, const void *b) {
  uint64_t x = ((const addr_run *)a)->lo, y = ((const addr_run *)b)->lo;
  return (x > y) - (x < y);
}

/* Reads the distinct addresses of runs[0 .. n) (sorted and merged first
 * if `sort`) unless the misses would end the epoch: then false. */
static bool runs_read(rdbuf *b, addr_run *runs, size_t n, bool sort) {
  size_t m = n;
  if (sort) {
    qsort(runs, n, sizeof *runs, run_cmp);
    m = 0; /* merged, disjoint */
    for (size_t i = 0; i < n; i++) {
      if (m && runs[i].lo <= runs[m - 1].hi) {
        if (runs[i].hi > runs[m - 1].hi) runs[m - 1].hi = runs[i].hi;
      } else {
        runs[m++] = runs[i];
      }
    }
  }
  const int32_t rs = (int32_t)b->read_start, mark = (int32_t)b->cur;
  uint64_t fresh = 0;
  for (size_t i = 0; i < m; i++)
    for (uint64_t a = runs[i].lo; a < runs[i].hi; a++) fresh += b->latest[a] < rs;
  uint64_t in_epoch = (uint64_t)((b->cur - b->read_start) * b->items_per_set + b->elems);
  if (in_epoch + fresh >= (uint64_t)(b->sets_prefetch * b->items_per_set)) return false;
  for (size_t i = 0; i < m; i++)
    for (uint64_t a = runs[i].lo; a < runs[i].hi; a++)
      b->latest[a] = b->latest[a] < rs ? mark : b->latest[a];
  rd_misses(b, 0, fresh); /* no epoch ends: the cycle is not used */
  return true;
}

/* Room for `need` runs. */
static bool runs_room(addr_run **runs, size_t *cap, size_t need, bool *oom) {
  if (need <= *cap) return true;
  size_t ncap = need * 2;
  addr_run *nr = realloc(*runs, ncap * sizeof *nr);
  if (!nr) {
    *oom = true;
    return false;
  }
  *runs = nr;
  *cap = ncap;
  return true;
}

static bool os_fold_distinct(const view *v, uint64_t R, uint64_t fr, rdbuf *b, addr_run **runs,
                             size_t *cap, bool *oom) {
  const uint64_t EF = v->e * v->fo;
  uint64_t p = fr * R, p_end = p + R < v->npx ? p + R : v->npx;
  size_t n = 0;
  for (; p < p_end;) { /* output-row segments of the fold's pixels */
    uint64_t img = p / EF, q = p % EF, er = q / v->fo, ea = q % v->fo;
    uint64_t eb = ea + (p_end - p) - 1 < v->fo - 1 ? ea + (p_end - p) - 1 : v->fo - 1;
    uint64_t h0 = er * v->sh, h1 = h0 + v->r < v->h ? h0 + v->r : v->h;
    if (h1 < h0) h1 = h0; /* a ceil-mode window wholly below the input */
    /* column intervals: one when windows touch (sw <= S), else one each */
    uint64_t nint = v->sw <= v->s ? 1 : eb - ea + 1;
    if (!runs_room(runs, cap, n + (h1 - h0) * nint, oom)) return false;
    for (uint64_t h = h0; h < h1; h++) {
      uint64_t row = (img * v->h + h) * v->w;
      for (uint64_t k = 0; k < nint; k++) {
        uint64_t w0 = (ea + k) * v->sw;
        uint64_t w1 = nint == 1 ? eb * v->sw + v->s : w0 + v->s;
        if (w1 > v->w) w1 = v->w;
        if (w1 > w0) (*runs)[n++] = (addr_run){(row + w0) * v->c, (row + w1) * v->c};
      }
    }
    p += eb - ea + 1;
  }
  return runs_read(b, *runs, n, true);
}

/* One past the last line in [lo, hi) of an os ifmap block (its pixels
 * from p0) that holds a word inside the input; lo if none. */
static uint64_t last_word_line(const fold_block *f, const addr_gen *ag, uint64_t p0, uint64_t lo,
                               uint64_t hi) {
  const view *v = ag->v;
  for (uint64_t q = hi; q-- > lo;) {
    uint64_t c_lo, c_hi;
    line_cols(f, q, &c_lo, &c_hi);
    if (c_hi > f->used_cols) c_hi = f->used_cols;
    for (uint64_t c = c_lo; c < c_hi; c++) {
      uint64_t p = p0 + c, j = q - c - f->pre;
      if (ag->pix_row[p] + ag->win_row[j] < v->h && ag->pix_col[p] + ag->win_col[j] < v->w)
        return q + 1;
    }
  }
  return lo;
}

/* walk_misses on a skewed block, by stretches of lines: line q holds
 * min(u, Cu) - max(0, u - H) words (u = q + 1 - pre, Cu used columns, H
 * body rows), the trapezoid of ofmap_cum, and only the line where an epoch
 * of the buffer ends needs its cycle: the misses before it are counted at
 * once. Same results as walk_misses. */
static void walk_misses_skew(const fold_block *f, rdbuf *b, int64_t line0, int64_t *first,
                             int64_t *last) {
  ofmap_shape o = {f->pre, f->used_cols, f->rows};
  uint64_t lo = f->pre, hi = f->pre + f->rows + f->used_cols - 1; /* lines with words */
  if (f->used_cols == 0 || hi <= lo) return;
  if (!b->first_seen) {
    b->first_seen = true;
    b->first_req_cycle = line0 + (int64_t)lo;
  }
  if (*first < 0) *first = line0 + (int64_t)lo;
  *last = line0 + (int64_t)hi - 1;
  for (uint64_t q = lo; q < hi;) {
    /* misses until the epoch ends: to the end of set read_end */
    uint64_t left = (uint64_t)((b->read_end + 1 - b->cur) * b->items_per_set - b->elems);
    uint64_t c0 = ofmap_cum(&o, q);
    if (ofmap_cum(&o, hi) - c0 < left) {
      rd_misses(b, 0, ofmap_cum(&o, hi) - c0); /* no epoch ends: no cycle needed */
      return;
    }
    uint64_t l = q, r = hi - 1; /* the line holding miss number `left` */
    while (l < r) {
      uint64_t m = l + (r - l) / 2;
      if (ofmap_cum(&o, m + 1) - c0 >= left)
        r = m;
      else
        l = m + 1;
    }
    rd_misses(b, 0, ofmap_cum(&o, l) - c0);
    rd_misses(b, line0 + (int64_t)l, ofmap_cum(&o, l + 1) - ofmap_cum(&o, l));
    q = l + 1;
  }
}

/* The ifmap in SCALE-Sim's CALC read buffer, whose hits follow from its
 * epochs: a word hits if its address was fetched since the last time the
 * fetches reached a multiple of K = 50 sets (rd_access: hit iff its set is
 * at least read_start). Two cases need no address:
 *  - IF_FEW: the input holds fewer than K words, so no epoch ever ends:
 *    each address demanded misses once, every other read hits; the
 *    misses are the input words some window covers (ifmap_covered);
 *  - IF_MISS (ws): every read misses, when no two windows positions of a
 *    fold hold the same address (C >= R) and the demand between two reads
 *    of one address holds at least K words, which a fold of Npx pixels
 *    between them guarantees (ws_all_miss): by induction every read
 *    between them missed, so an epoch ended in between. */
enum { IF_WALK, IF_FEW, IF_MISS };

/* Input words some window covers: rows [er sh, er sh + R) and columns
 * [ec sw, ec sw + S) within the input, every channel and image. */
static uint64_t ifmap_covered(const view *v) {
  uint64_t rows = 0, cols = 0;
  for (uint64_t er = 0; er < v->e; er++) { /* the rows er's window adds */
    uint64_t lo = er * v->sh, hi = lo + v->r < v->h ? lo + v->r : v->h;
    if (er > 0 && (er - 1) * v->sh + v->r > lo) lo = (er - 1) * v->sh + v->r;
    if (hi > lo) rows += hi - lo;
  }
  for (uint64_t ec = 0; ec < v->fo; ec++) {
    uint64_t lo = ec * v->sw, hi = lo + v->s < v->w ? lo + v->s : v->w;
    if (ec > 0 && (ec - 1) * v->sw + v->s > lo) lo = (ec - 1) * v->sw + v->s;
    if (hi > lo) cols += hi - lo;
  }
  return v->batch * rows * cols * v->c;
}

/* ws: whether every ifmap read misses (IF_MISS above). Fold f reads window
 * positions [f R, f R + u_f) for every pixel, in skewed lines; an address
 * recurs at window positions |dj| >= C apart (dj = (dkr S + dks) C, never
 * 0), so at least floor(C / R) - 1 whole folds lie between two reads of it
 * in one pass, and nf - 1 - ceil((W - C) / R) across the end of a pass
 * (its positions span at most W - C: from fold f2 = floor(j / R) to at
 * most floor((j + W - C) / R)); the pixels of the two folds add at least
 * u (Npx - P - 2R) words, P the most pixels an address moves between two
 * of its windows. u is the fewest positions a fold reads. */
static bool ws_all_miss(const sa_config *cfg, const view *v, uint64_t K) {
  const uint64_t R = cfg->rows, W = v->window, C = v->c, nf = v->row_fold;
  if (C < R) return false;
  uint64_t u = W - (nf - 1) * R < R ? W - (nf - 1) * R : R;
  uint64_t P = (v->r - 1) / v->sh * v->fo + (v->s - 1) / v->sw;
  uint64_t edge = v->npx > P + 2 * R ? u * (v->npx - P - 2 * R) : 0;
  uint64_t mid = C / R >= 1 ? C / R - 1 : 0;
  if (mid * v->npx * u + edge < K) return false;
  if (v->col_fold > 1) { /* across passes */
    uint64_t span = em_ceil_div_u64(W - C, R) + 1;
    uint64_t across = nf > span ? nf - span : 0;
    if (across * v->npx * u + edge < K) return false;
  }
  return true;
}

/* Whether every filter read of column fold fc misses SCALE-Sim's CALC read
 * buffer (sets of `ips` words, a hit needs the word's set to be at most 50
 * sets behind the one being filled). Each filter word appears once per
 * pass of the filter stream and the passes follow one another: os repeats
 * the W x C slice of column fold fc over the row folds, is the whole
 * filter per column fold; ws reads each word once per layer. So a word
 * comes back only after a pass of other misses, and if a pass holds at
 * least 52 sets of words it is never found. */
static bool filter_all_miss(const sa_config *cfg, const view *v, uint64_t fc, int64_t ips) {
  uint64_t pass;
  switch (cfg->dataflow) {
  case SA_WS: return true;
  case SA_OS: {
    uint64_t c0 = fc * cfg->cols;
    pass = v->window * (v->f - c0 < cfg->cols ? v->f - c0 : cfg->cols);
    break;
  }
  default: pass = v->window * v->f; break;
  }
  return pass >= (uint64_t)(SETS_PER_BUFFER / 2 + 2) * (uint64_t)ips;
}

/* How sa_simulate walks a layer's operands, and the host memory the walk
 * holds at least: addr_init's tables, the CALC buffers' stamps, the USER
 * streams' position tables (pf_init; without one an operand is indexed,
 * which takes more), the fold blocks' bodies it builds (build_block) and
 * the USER buffers' indices of every word when traces are written
 * (mem_rdbuf_create).
 * A layer over the run's host memory budget is refused before it
 * allocates, not left to the OOM killer. */
typedef struct {
  int if_mode;          /* CALC, no trace: how the ifmap is walked (IF_WALK: word by word) */
  bool need_if, need_fl; /* CALC: the ifmap's and filter's set indices */
  uint64_t least;       /* bytes */
} walk_plan;

static walk_plan plan_walk(const sa_config *cfg, const view *v, bool traces) {
  walk_plan p = {IF_WALK, false, false, 0};
  uint64_t img = v->batch * v->h * v->w * v->c;
  uint64_t nfilt = v->window * v->f;
  const bool user = !cfg->bw_calc;
  /* CALC: SCALE-Sim's estimate-bandwidth buffers, one set index per
   * address; USER: prefetching buffers fed at the given bandwidth.
   * The filter's set indices are not needed when every filter fold is
   * counted per line (filter_all_miss: the first and last column folds
   * stand for all). */
  int64_t fl_ips = (int64_t)(v->fl_cap / SETS_PER_BUFFER);
  uint64_t if_k = v->if_cap / SETS_PER_BUFFER * (SETS_PER_BUFFER / 2);
  bool all_in = (v->e - 1) * v->sh + v->r <= v->h && (v->fo - 1) * v->sw + v->s <= v->w;
  if (!user && !traces && all_in) {
    if (img < if_k)
      p.if_mode = IF_FEW;
    else if (cfg->dataflow == SA_WS && ws_all_miss(cfg, v, if_k))
      p.if_mode = IF_MISS;
  }
  p.need_fl = !user && (traces || !filter_all_miss(cfg, v, 0, fl_ips) ||
                        !filter_all_miss(cfg, v, v->col_fold - 1, fl_ips));
  p.need_if = !user && p.if_mode == IF_WALK;
  addr_gen a = {.all_in = all_in};
  p.least = v->npx * (sizeof *a.pix_base + sizeof *a.pix_row + sizeof *a.pix_col) +
            v->window * (sizeof *a.win_off + sizeof *a.win_row + sizeof *a.win_col) +
            (p.need_if ? img * sizeof(int32_t) : 0) + (p.need_fl ? nfilt * sizeof(int32_t) : 0) +
            (user && traces ? (img + nfilt + 2) * sizeof(uint32_t) : 0);
  if (user) {
    pf_stream si, sf;
    pf_shape(&si, cfg, v, &a, true);
    pf_shape(&sf, cfg, v, &a, false);
    p.least += (pf_table_entries(&si) + pf_table_entries(&sf)) * sizeof *si.base;
    /* A traced run indexes a prefetch order that repeats an address: each
     * word's stream position, 4 bytes (mem_read_buffer.c, occ). The ifmap's
     * repeats where windows overlap; its words are the matrix less the last
     * fold's unused columns (pf_words without a table), known here where no
     * window leaves the input (elsewhere its ceil-mode nulls are not, and
     * it is left out: a floor). */
    if (traces && all_in && (v->r > v->sh || v->s > v->sw))
      p.least += pf_words(&si) * sizeof(uint32_t);
  }
  /* the bodies: both with traces; in CALC the filter's where a fold can hit
   * (need_fl: the first or last column fold is not all misses) */
  uint64_t cells = traces ? block_cells(cfg, v, true) + block_cells(cfg, v, false)
                   : !user && p.need_fl ? block_cells(cfg, v, false)
                                        : 0;
  p.least += cells * sizeof(int64_t);
  return p;
}

/* The CALC buffers number their sets in 32 bits, as do the USER buffers
 * the stream positions: a layer beyond that is refused, not wrapped (it
 * would also take hours; the closed form gives its compute figures).
 * *most: the larger of its ifmap and filter SRAM reads. */
static bool beyond_32_bits(const sa_config *cfg, const view *v, const sa_layer_stats *st,
                           uint64_t *most) {
  uint64_t min_set = (v->if_cap < v->fl_cap ? v->if_cap : v->fl_cap) / SETS_PER_BUFFER;
  *most = st->ifmap_sram_reads > st->filter_sram_reads ? st->ifmap_sram_reads
                                                       : st->filter_sram_reads;
  return *most / (min_set ? min_set : 1) >= INT32_MAX ||
         v->batch * v->h * v->w * v->c >= UINT32_MAX || v->window * v->f >= UINT32_MAX;
}

uint64_t sa_host_bytes(const sa_config *cfg, const wl_layer *l) {
  sa_layer_stats st;
  em_diag d;
  view v;
  uint64_t most;
  if (sa_closed_form(cfg, l, &st, &d) != EM_OK || st.macs == 0 ||
      make_view(cfg, l, &v, &d) != EM_OK || beyond_32_bits(cfg, &v, &st, &most))
    return 0; /* a layer the walk refuses, or has no work for */
  return plan_walk(cfg, &v, false).least;
}

/* What a refused walk's message offers instead: the closed form, as the
 * model's setting mode = closed, spelled as each command takes it. */
#define CLOSED_HINT                                                                          \
  "the model's setting mode = closed gives its compute figures from the closed form, "      \
  "without the walk (--set mode=closed in emlsim systolic, where --closed-form says the "   \
  "same, and in breakeven; --set systolic.mode=closed in a study; mode = closed in a "       \
  "sweep spec)"

/* Why the walk of layer l (closed-form figures st, view v) is refused at
 * once, into d; EM_OK where it is not: past 32 bits, or past the host
 * memory budget by plan pl. */
static em_status walk_refused(const wl_layer *l, const sa_config *cfg, const view *v,
                              const sa_layer_stats *st, const walk_plan *pl, em_diag *d) {
  uint64_t most;
  /* Operands wider than a word fill the SRAMs sooner: one fold's two
   * R x C tiles must still fit (sa_config_validate checks it in words). */
  const uint64_t cap[3] = {v->if_cap, v->fl_cap, v->of_cap};
  const uint32_t n[3] = {v->if_n, v->fl_n, v->of_n};
  const unsigned bits[3] = {l->a.bits, l->w.bits, l->a.bits};
  const char *const sram[3] = {"ifmap", "filter", "ofmap"};
  for (int i = 0; i < 3; i++)
    if (n[i] > 1 && cap[i] < sram_min_words(cfg))
      return em_diag_set(d, EM_ERR_RANGE, NULL, l->src_line, l->src_line ? 1 : 0,
                         "layer '%s': its %u-bit operands take %u words each, so the %s SRAM "
                         "holds %llu of them, fewer than one fold of a %u x %u array needs "
                         "(%llu)",
                         l->name, bits[i], n[i], sram[i], (unsigned long long)cap[i], cfg->rows,
                         cfg->cols, (unsigned long long)sram_min_words(cfg));
  /* Refused before anything ran: the message says the run stopped, and
   * names the model's own setting, which every command takes (it named
   * `--closed-form`, an option of emlsim systolic alone, and read as if
   * the closed form had been used). */
  if (beyond_32_bits(cfg, v, st, &most))
    return em_diag_set(d, EM_ERR_LIMIT, NULL, l->src_line, l->src_line ? 1 : 0,
                       "layer '%s' is too large to simulate (%llu SRAM reads), so the run "
                       "stopped; %s",
                       l->name, (unsigned long long)most, CLOSED_HINT);
  if (pl->least > em_host_budget()) {
    char nb[32], bb[32];
    em_bytes_text(pl->least, nb, sizeof nb);
    em_bytes_text(em_host_budget(), bb, sizeof bb);
    return em_diag_set(d, EM_ERR_LIMIT, NULL, l->src_line, l->src_line ? 1 : 0,
                       "layer '%s' is too large to simulate: it needs at least %s of host "
                       "memory, more than the %s a run may hold (%s), so the run stopped; %s",
                       l->name, nb, bb, EM_HOST_ENV, CLOSED_HINT);
  }
  return EM_OK;
}

em_status sa_walk_check(const sa_config *cfg, const wl_layer *l, em_diag *d) {
  sa_layer_stats st;
  em_status s = sa_closed_form(cfg, l, &st, d);
  if (s != EM_OK || st.macs == 0) return s;
  view v;
  if ((s = make_view(cfg, l, &v, d)) != EM_OK) return s;
  uint64_t most;
  walk_plan pl = {IF_WALK, false, false, 0}; /* planned only within 32 bits, as sa_simulate */
  if (!beyond_32_bits(cfg, &v, &st, &most)) pl = plan_walk(cfg, &v, false);
  return walk_refused(l, cfg, &v, &st, &pl, d);
}

em_status sa_simulate(const sa_config *cfg, const wl_layer *l, const sa_traces *traces,
                      sa_layer_stats *out, em_diag *d) {
  em_status st = sa_closed_form(cfg, l, out, d);
  if (st != EM_OK || out->macs == 0) return st;
  view v;
  if ((st = make_view(cfg, l, &v, d)) != EM_OK) return st;
  uint64_t most;
  walk_plan pl = {IF_WALK, false, false, 0};
  if (!beyond_32_bits(cfg, &v, out, &most)) pl = plan_walk(cfg, &v, traces != NULL);
  if ((st = walk_refused(l, cfg, &v, out, &pl, d)) != EM_OK) return st;
  /* A USER DRAM trace is SCALE-Sim's: a row per line of `Bandwidth`
   * operands, a line a cycle.  A line of wider operands takes more cycles
   * (mem_stream.cycles_per_line) than that layout can show. */
  if (traces && !cfg->bw_calc &&
      ((traces->ifmap_dram && v.if_n > 1) || (traces->filter_dram && v.fl_n > 1)))
    return em_diag_set(d, EM_ERR_INVALID, NULL, l->src_line, l->src_line ? 1 : 0,
                       "layer '%s': a USER-bandwidth DRAM trace has SCALE-Sim's one operand a "
                       "word, and its %u-bit operands take %u words each: trace it with "
                       "WordSizeBytes of %u or more, or at CALC bandwidth",
                       l->name, v.if_n > 1 ? l->a.bits : l->w.bits,
                       v.if_n > 1 ? v.if_n : v.fl_n,
                       ((v.if_n > 1 ? l->a.bits : l->w.bits) + 7) / 8);
  walker w = {cfg, &v, {0}, {NULL, NULL}, {0, 0}};
  uint64_t img = v.batch * v.h * v.w * v.c;
  uint64_t nfilt = v.window * v.f;
  const bool user = !cfg->bw_calc;
  int64_t fl_ips = (int64_t)(v.fl_cap / SETS_PER_BUFFER);
  int if_mode = pl.if_mode;
  bool need_fl = pl.need_fl, need_if = pl.need_if;
  int32_t *latest_if = need_if ? malloc(img * sizeof *latest_if) : NULL;
  int32_t *latest_fl = need_fl ? malloc(nfilt * sizeof *latest_fl) : NULL;
  bool ok = (latest_if || !need_if) && (latest_fl || !need_fl) && addr_init(&w.ag, &v);
  pf_stream pif = {0}, pfl = {0};
  mem_rdbuf *uif = NULL, *ufl = NULL;
  em_status ust = EM_OK;
  uint64_t stalls_total = 0, total_cycles = 0;
  walk_state k = {0, 0, -1, -1, -1, -1, -1, -1, 0};
  uint64_t fl_built = UINT64_MAX, fl_quiet = UINT64_MAX; /* column folds (os filter) */
  addr_run *runs = NULL; /* os_fold_distinct's address runs */
  size_t runs_cap = 0;
  bool runs_oom = false;
  rdbuf rif, rfl;
  rdtrace tif_dram = {0}, tfl_dram = {0}; /* CALC DRAM traces */
  mem_wrbuf *wof = NULL;
  FILE *tof = traces ? traces->ofmap_sram : NULL;
  /* One trace row, one USER demand line: as wide as the widest block. */
  size_t widest = cfg->rows > cfg->cols ? cfg->rows : cfg->cols;
  int64_t *trow = traces ? malloc(widest * sizeof *trow) : NULL;
  int64_t *uline = user ? malloc(widest * sizeof *uline) : NULL;
  if ((traces && !trow) || (user && !uline)) ok = false;
  /* The groups of a grouped layer are the same layer on other data, each
   * run with fresh buffers (SCALE-Sim's DP rule): every figure of one group
   * is every group's. One group is simulated (its traces written), and its
   * figures scaled at the end. `break` leaves this block on an error. */
  do {
    if (!ok) break;
    if (user) {
      pf_init(&pif, cfg, &v, &w.ag, true);
      pf_init(&pfl, cfg, &v, &w.ag, false);
      mem_stream sif = {.fill = pf_fill, .rewind = pf_rewind, .ctx = &pif,
                        .padded_words = pif.M * pif.N, .addr_space = img ? img : 1,
                        .dram_words_per_word = cfg->ifmap_dram_scale,
                        .cycles_per_line = v.if_n};
      /* Without traces, the ifmap locates its addresses itself
       * (pf_occurs): no index. */
      if (!traces && pif.has_pos) {
        sif.occurs = pf_occurs;
        sif.words = pf_words(&pif);
      }
      mem_stream sfl = {.fill = pf_fill, .rewind = pf_rewind, .ctx = &pfl,
                        .padded_words = pfl.M * pfl.N, .addr_space = nfilt ? nfilt : 1,
                        .dram_words_per_word = cfg->filter_dram_scale,
                        .cycles_per_line = v.fl_n};
      /* The filter's words appear once each, and every demand line gives
       * its position: no index unless words are read one by one (traces). */
      if (!traces) sfl.words = nfilt;
      if ((st = mem_rdbuf_create(v.if_cap, cfg->bandwidth, &sif, &uif, d)) != EM_OK ||
          (st = mem_rdbuf_create(v.fl_cap, cfg->bandwidth, &sfl, &ufl, d)) != EM_OK) {
        ok = false;
        break;
      }
      /* SCALE-Sim drains the ofmap at the user bandwidth too. */
      if ((st = mem_wrbuf_create(v.of_cap, cfg->bandwidth, &wof, d)) != EM_OK) {
        ok = false;
        break;
      }
      mem_wrbuf_set_line_cycles(wof, v.of_n);
    } else {
      if (latest_if) memset(latest_if, 0xff, img * sizeof *latest_if);
      if (latest_fl) memset(latest_fl, 0xff, nfilt * sizeof *latest_fl);
      /* 10 words per cycle: SCALE-Sim's fixed request size in CALC mode. */
      rd_init(&rif, latest_if, v.if_cap, 10);
      rd_init(&rfl, latest_fl, v.fl_cap, 10);
      /* a CALC DRAM trace's rows wait in a scratch file until the walk
       * ends; one that cannot be made is said with its folder */
      char tdir[256];
      if (traces && traces->ifmap_dram) {
        tif_dram = (rdtrace){.out = traces->ifmap_dram, .rows = em_tmpfile(tdir, sizeof tdir),
                             .offset = (int64_t)cfg->ifmap_offset};
        rif.tr = &tif_dram;
      }
      if (traces && traces->filter_dram && (!traces->ifmap_dram || tif_dram.rows)) {
        tfl_dram = (rdtrace){.out = traces->filter_dram, .rows = em_tmpfile(tdir, sizeof tdir),
                             .offset = (int64_t)cfg->filter_offset};
        rfl.tr = &tfl_dram;
      }
      if ((traces && traces->ifmap_dram && !tif_dram.rows) ||
          (traces && traces->filter_dram && !tfl_dram.rows)) {
        st = em_diag_set(d, EM_ERR_IO, NULL, l->src_line, l->src_line ? 1 : 0,
                         "layer '%s': cannot make a scratch file for its DRAM trace in %s: %s",
                         l->name, tdir, strerror(errno));
        ok = false;
        break;
      }
      /* CALC: the ofmap drains a row of the array per cycle. */
      if ((st = mem_wrbuf_create(v.of_cap, cfg->cols, &wof, d)) !=
          EM_OK) {
        ok = false;
        break;
      }
    }
    if (traces) mem_wrbuf_trace(wof, traces->ofmap_dram);
    user_io io = {cfg, &v, &w, &pif, &pfl, uif, ufl, wof, traces, trow, uline};
    /* USER without traces: stretches of lines that cannot stall are passed
     * over (user_fold), where both operands are located by position. */
    bool fast = user && !traces && pif.has_pos;
    for (uint64_t fc = 0; ok && fc < v.col_fold; fc++) {
      for (uint64_t fr = 0; ok && fr < v.row_fold; fr++) {
        fold_block bi, bf;
        /* CALC, no trace, a filter fold of certain misses: no addresses. */
        bool fl_miss = !user && !traces && (!latest_fl || filter_all_miss(cfg, &v, fc, fl_ips));
        /* CALC, no trace, os or ws, no overhang: ifmap addresses on the fly. */
        bool if_fused = !user && !traces && w.ag.all_in && cfg->dataflow != SA_IS;
        /* USER, no trace: read by runs, no blocks (but for overhanging
         * ifmap windows, whose nulls break the runs). */
        bool if_body = user ? traces || !pif.has_pos : traces != NULL;
        bool fl_body = user ? traces != NULL : !fl_miss;
        /* os: every row fold of a column fold reads the same filter block
         * (built once); once a fold of them misses nowhere, the rest of them
         * hit every word and change nothing (CALC, no trace): not walked. */
        bool fl_same = cfg->dataflow == SA_OS && fl_body && fl_built == fc;
        bool fl_hits = !user && !traces && cfg->dataflow == SA_OS && fl_quiet == fc;
        if (!build_block(&w, true, fr, fc, &bi, if_body) ||
            !build_block(&w, false, fr, fc, &bf, fl_body && !fl_same && !fl_hits)) {
          ok = false;
          break;
        }
        if (fl_same || fl_hits) bf.body = w.body[1];
        else if (fl_body) fl_built = fc;
        if (fast) {
          if ((ust = user_fold(&io, &k, &bi, &bf, fr, fc, fc == 0 && fr == 0)) != EM_OK)
            ok = false;
        } else if (user) {
          /* Line by line: a line waits for the slowest of its three
           * streams (SCALE-Sim's service_memory_requests). */
          for (uint64_t q = 0; ok && q < v.fold_cycles; q++)
            if ((ust = user_full_line(&io, &k, &bi, &bf, fr, fc, q, NULL)) != EM_OK) ok = false;
        } else {
          /* Stall cycles shift the cycle stamps of later lines. */
          int64_t base = k.line + (int64_t)k.stalls;
          if (if_mode == IF_MISS) {
            walk_misses_skew(&bi, &rif, base, &k.if_first, &k.if_last); /* ws: skewed */
          } else if (if_mode == IF_FEW) { /* its lines with words: the first and last */
            uint64_t lo, hi;
            block_word_lines(&bi, &lo, &hi);
            if (!rif.first_seen) {
              rif.first_seen = true;
              rif.first_req_cycle = base + (int64_t)lo;
            }
            if (k.if_first < 0) k.if_first = base + (int64_t)lo;
            k.if_last = base + (int64_t)hi - 1;
          } else if (cfg->dataflow == SA_OS && !traces &&
                     os_fold_distinct(&v, cfg->rows, fr, &rif, &runs, &runs_cap, &runs_oom)) {
            /* its lines with words: the first and last (with windows
             * leaving the input, the last that holds a word; the first
             * line's first word, the first pixel's window position 0, is
             * inside the input) */
            uint64_t lo, hi;
            block_word_lines(&bi, &lo, &hi);
            if (!w.ag.all_in) hi = last_word_line(&bi, &w.ag, cfg->rows * fr, lo, hi);
            if (hi > lo) {
              if (!rif.first_seen) {
                rif.first_seen = true;
                rif.first_req_cycle = base + (int64_t)lo;
              }
              if (k.if_first < 0) k.if_first = base + (int64_t)lo;
              k.if_last = base + (int64_t)hi - 1;
            }
          } else if (if_fused && cfg->dataflow == SA_OS)
            walk_fused(&bi, w.ag.pix_base + fr * cfg->rows, w.ag.win_off, &rif, base,
                       &k.if_first, &k.if_last);
          else if (if_fused)
            walk_fused(&bi, w.ag.win_off + fr * cfg->rows, w.ag.pix_base, &rif, base,
                       &k.if_first, &k.if_last);
          else if (!traces && cfg->dataflow == SA_IS)
            walk_flipped(&bi, &w.ag, cfg->rows, &rif, base, &k.if_first, &k.if_last);
          else if (!traces && cfg->dataflow == SA_OS) {
            uint64_t p0 = fr * cfg->rows;
            walk_fused_edge(&bi, w.ag.pix_base + p0, w.ag.win_off, w.ag.pix_row + p0,
                            w.ag.pix_col + p0, w.ag.win_row, w.ag.win_col, w.ag.pix_edge + p0,
                            NULL, v.h, v.w, &rif, base, &k.if_first, &k.if_last);
          } else if (!traces) {
            uint64_t j0 = fr * cfg->rows;
            walk_fused_edge(&bi, w.ag.win_off + j0, w.ag.pix_base, w.ag.win_row + j0,
                            w.ag.win_col + j0, w.ag.pix_row, w.ag.pix_col, NULL, w.ag.pix_edge,
                            v.h, v.w, &rif, base, &k.if_first, &k.if_last);
          }
          else
            walk_reads(&bi, &rif, base, traces->ifmap_sram, (int64_t)cfg->ifmap_offset,
                       &k.if_first, &k.if_last);
          if (fl_miss) {
            if (bf.skew)
              walk_misses_skew(&bf, &rfl, base, &k.fl_first, &k.fl_last);
            else
              walk_misses(&bf, &rfl, base, &k.fl_first, &k.fl_last);
          } else if (fl_hits) { /* its lines with words: the first and last */
            uint64_t lo, hi;
            block_word_lines(&bf, &lo, &hi);
            if (k.fl_first < 0) k.fl_first = base + (int64_t)lo;
            k.fl_last = base + (int64_t)hi - 1;
          } else {
            int64_t misses = rfl.cur * rfl.items_per_set + rfl.elems;
            walk_reads(&bf, &rfl, base, traces ? traces->filter_sram : NULL,
                       (int64_t)cfg->filter_offset, &k.fl_first, &k.fl_last);
            if (misses == rfl.cur * rfl.items_per_set + rfl.elems) fl_quiet = fc;
          }
          /* The ofmap stream sets the pace: stalls come from its buffer. */
          if (!tof) calc_ofmap_fold(cfg, &v, wof, &k, fr, fc);
          for (uint64_t q = 0; tof && q < v.fold_cycles; q++) {
            int64_t cycle = k.line + (int64_t)q + (int64_t)k.stalls;
            uint64_t nw = ofmap_words(cfg, &v, fr, fc, q);
            ofmap_line_addrs(cfg, &v, fr, fc, q, trow);
            mem_wrbuf_trace_words(wof, trow, cfg->cols);
            int64_t done = mem_wrbuf_store(wof, cycle, nw);
            put_trace_row(tof, done, trow, cfg->cols);
            if (nw) {
              if (k.of_first < 0) k.of_first = done;
              k.of_last = done;
            }
            k.stalls += (uint64_t)(done - cycle);
            k.last_out = done;
          }
        }
        k.line += (int64_t)v.fold_cycles;
        ok = ok && !mem_wrbuf_failed(wof);
      }
    }
    if (!ok) break;
    if (user) {
      mem_rdbuf_stats a = mem_rdbuf_get_stats(uif), b = mem_rdbuf_get_stats(ufl);
      rif.accesses = a.dram_reads;
      rif.dram_start = a.dram_start;
      rif.dram_stop = a.dram_stop;
      rfl.accesses = b.dram_reads;
      rfl.dram_start = b.dram_start;
      rfl.dram_stop = b.dram_stop;
      if (traces &&
          ((st = user_dram_trace(traces->ifmap_dram, &pif, uif, v.if_cap, cfg->bandwidth,
                                 (int64_t)cfg->ifmap_offset, a.dram_start)) != EM_OK ||
           (st = user_dram_trace(traces->filter_dram, &pfl, ufl, v.fl_cap, cfg->bandwidth,
                                 (int64_t)cfg->filter_offset, b.dram_start)) != EM_OK)) {
        st = em_diag_set(d, st, NULL, l->src_line, l->src_line ? 1 : 0, "layer '%s': %s", l->name,
                         st == EM_ERR_NOMEM ? "out of memory writing a DRAM trace"
                                            : "cannot write a DRAM trace");
        ok = false;
        break;
      }
    } else {
      if (if_mode == IF_FEW) rd_misses(&rif, 0, ifmap_covered(&v)); /* no epoch ends */
      rd_finish(&rif);
      rd_finish(&rfl);
      if ((rif.tr && !rt_finish(rif.tr)) || (rfl.tr && !rt_finish(rfl.tr))) {
        st = em_diag_set(d, EM_ERR_IO, NULL, l->src_line, l->src_line ? 1 : 0,
                         "layer '%s': cannot write a DRAM trace (out of memory or disk)",
                         l->name);
        ok = false;
        break;
      }
    }
    mem_wrbuf_finish(wof, k.last_out);
    ok = !mem_wrbuf_failed(wof);
    mem_wrbuf_stats ws = mem_wrbuf_get_stats(wof);
    out->ifmap_dram_reads += rif.accesses;
    out->filter_dram_reads += rfl.accesses;
    out->ofmap_dram_writes += ws.dram_writes;
    out->ifmap_dram_start = rif.dram_start;
    out->filter_dram_start = rfl.dram_start;
    out->ofmap_dram_start = ws.dram_start;
    out->ifmap_sram_start = k.if_first + 1; /* SRAM hit latency 1 */
    out->filter_sram_start = k.fl_first + 1;
    out->ofmap_sram_start = k.of_first;
    out->ifmap_sram_stop = k.if_last + 1;
    out->filter_sram_stop = k.fl_last + 1;
    out->ofmap_sram_stop = k.of_last;
    out->ifmap_dram_stop = rif.dram_stop;
    out->filter_dram_stop = rfl.dram_stop;
    out->ofmap_dram_stop = ws.dram_stop;
    stalls_total = k.stalls;
    /* the last line's index, or on a 1 x 1 os array the lines (count_short) */
    total_cycles = (uint64_t)k.last_out + 1 - count_short(cfg);
  } while (0);
  mem_wrbuf_destroy(wof);
  rt_free(&tif_dram);
  rt_free(&tfl_dram);
  free(trow);
  free(uline);
  free(w.body[0]);
  free(w.body[1]);
  addr_free(&w.ag);
  free(latest_if);
  free(latest_fl);
  mem_rdbuf_destroy(uif);
  mem_rdbuf_destroy(ufl);
  pf_free(&pif);
  pf_free(&pfl);
  free(runs);
  if (runs_oom) ok = false;
  if (!ok && st != EM_OK) return st;
  if (!ok && ust != EM_OK) /* a demanded word missing from the fetch stream: our bug */
    return em_diag_set(d, EM_ERR_INVALID, NULL, l->src_line, 0,
                       "layer '%s': internal error: a demanded word is not in the prefetch "
                       "order of the read buffer",
                       l->name);
  if (!ok)
    return em_diag_set(d, EM_ERR_NOMEM, NULL, l->src_line, 0,
                       "layer '%s': out of memory in the buffer model", l->name);
  const uint64_t G = v.groups;
  if (!em_mul_u64(stalls_total, G, &out->stall_cycles) ||
      !em_mul_u64(total_cycles, G, &out->total_cycles) ||
      !em_mul_u64(out->ifmap_dram_reads, G, &out->ifmap_dram_reads) ||
      !em_mul_u64(out->filter_dram_reads, G, &out->filter_dram_reads) ||
      !em_mul_u64(out->ofmap_dram_writes, G, &out->ofmap_dram_writes))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': counts overflow 64 bits", l->name);
  out->overall_util_pct = 100.0 * (double)out->macs /
                          ((double)out->total_cycles * cfg->rows * cfg->cols);
  out->dram_simulated = true;
  return EM_OK;
}

/* ---- the traces' size, before any is written ---- */

/* Decimal digits of all the integers in [a, b] together (0 when b < a):
 * each decade's count times its digits. */
static double digits_in(uint64_t a, uint64_t b) {
  if (b < a) return 0;
  double n = 0;
  uint64_t p = 1; /* 10^(d - 1) */
  for (unsigned d = 1; d <= 20; d++) {
    uint64_t lo = d == 1 ? 0 : p, hi = d == 20 ? UINT64_MAX : p * 10 - 1;
    uint64_t x = a > lo ? a : lo, y = b < hi ? b : hi;
    if (y >= x) n += ((double)(y - x) + 1) * d;
    if (d < 20) p *= 10;
  }
  return n;
}

/* The mean digits of the n addresses offset .. offset + n - 1 (an operand
 * read as often at each of its addresses, as GEMMs and FC layers are). */
static double mean_digits(uint64_t offset, uint64_t n) {
  return n ? digits_in(offset, offset + n - 1) / (double)n : 1;
}

/* One SRAM trace (put_trace_row: "%lld" cycle, then ",%lld" a field): `lines`
 * rows numbered c0, c0 + 1, ..., each with `width` fields, `words` of them
 * addresses of `md` digits on average and the rest ",-1". */
static double sram_trace_bytes(uint64_t lines, uint64_t c0, uint64_t width, double words,
                               double md) {
  double cells = (double)lines * (double)width;
  return digits_in(c0, c0 + lines - 1) + (double)lines + (cells - words) * 3 + words * (1 + md);
}

/* The cycle fields of `rows` DRAM trace rows numbered -rows .. -1 (a first
 * prefetch or burst, issued before the first demand): "-N.0" and the line
 * end. */
static double before_rows_bytes(uint64_t rows) {
  return digits_in(1, rows) + 4.0 * (double)rows;
}

/* The fetch matrix of a USER read buffer (pf_shape, without the walker's
 * addresses): its entries and, without the nulls of a partial last fold,
 * its words (an overhanging window's nulls are counted as words). */
static void fetch_matrix(const sa_config *cfg, const view *v, bool ifmap, double *entries,
                         double *words) {
  uint64_t per_fold = 0, n = 0, folds = 0, dim = 0;
  switch (cfg->dataflow) {
  case SA_OS:
    per_fold = v->window, n = ifmap ? cfg->rows : cfg->cols;
    folds = ifmap ? v->row_fold : v->col_fold, dim = ifmap ? v->npx : v->f;
    break;
  case SA_WS:
    per_fold = ifmap ? v->npx : v->window, n = ifmap ? cfg->rows : cfg->cols;
    folds = ifmap ? v->row_fold : v->col_fold, dim = ifmap ? v->window : v->f;
    break;
  case SA_IS:
    per_fold = ifmap ? v->window : v->f, n = ifmap ? cfg->cols : cfg->rows;
    folds = ifmap ? v->col_fold : v->row_fold, dim = ifmap ? v->npx : v->window;
    break;
  }
  *entries = (double)folds * (double)per_fold * (double)n;
  *words = *entries - (double)per_fold * (double)(folds * n - dim);
}

/* The estimate (sa_model.h).  Per group, SCALE-Sim's formatting (numpy's
 * "%i" for the SRAM traces, str() of a float64, "12.0", for the DRAM
 * traces), all of it in closed form:
 *  - each SRAM trace has a line per cycle of every fold, folds x per-fold
 *    lines, numbered 1 .. (ifmap, filter) or 0 .. (ofmap), of one field per
 *    PE row (an os or ws ifmap, an is filter) or column (the rest): the
 *    operand's SRAM accesses are addresses, the other fields -1.  Exact but
 *    for the addresses' digits (their mean over the operand's addresses)
 *    and a USER run's stalls (later cycle numbers);
 *  - a CALC ifmap or filter DRAM trace begins with the buffer's first
 *    prefetch: the first min(50, ceil(D / s)) sets of s = capacity / 100
 *    words (D: the operand's distinct words, each a miss), listed at 10
 *    words a row over ceil(sets x s / 10) rows numbered -rows .. -1, -1.0
 *    where a set is not full.  An operand of fewer than 50 sets' words
 *    has nothing else (no epoch ends: each word misses once); a larger
 *    one adds at least its other D - 50 s words, counted here as
 *    addresses alone (the later prefetches' rows, nulls and the 1.0
 *    padding to the widest are left out);
 *  - a USER ifmap or filter DRAM trace begins with the first burst,
 *    min(ceil(active / bw), ceil(entries / bw)) rows of bw fields of the
 *    fetch matrix, and a stream longer than the active half needs at least
 *    ceil((words - active) / prefetch) later bursts of ceil(prefetch / bw)
 *    rows (SCALE-Sim's refetches beyond those are left out);
 *  - the ofmap DRAM trace drains the ofmap writes (os: the outputs; ws and
 *    is: every row fold's) in rows of C (CALC) or bw (USER) fields, at
 *    least ceil(writes / width) rows.
 * So it errs low: what only a walk knows (refetches, the rows and padding
 * of later CALC prefetches, partly filled drain lines) is left out; it is
 * above the bytes written only by the few where a ceil-mode window's nulls
 * are counted as addresses (3 in 10,000 on stride_gap).  The
 * CALC DRAM traces' rows wait unpadded in a scratch file while the layer
 * runs: their estimate is *scratch. */
double sa_trace_bytes(const sa_config *cfg, const wl_layer *l, double *scratch) {
  if (scratch) *scratch = 0;
  sa_layer_stats st;
  view v;
  if (sa_closed_form(cfg, l, &st, NULL) != EM_OK || st.macs == 0 ||
      make_view(cfg, l, &v, NULL) != EM_OK)
    return 0;
  const uint64_t R = cfg->rows, C = cfg->cols, G = v.groups ? v.groups : 1;
  const uint64_t lines = v.row_fold * v.col_fold * v.fold_cycles; /* checked: make_view */
  const uint64_t cycles = st.total_cycles / G ? st.total_cycles / G : 1;
  const uint64_t n_if = v.batch * v.h * v.w * v.c, n_fl = v.window * v.f, n_of = v.npx * v.f;
  const double md_if = mean_digits(cfg->ifmap_offset, n_if);
  const double md_fl = mean_digits(cfg->filter_offset, n_fl);
  const double md_of = mean_digits(cfg->ofmap_offset, n_of);
  const double of_writes = (double)n_of * (double)(cfg->dataflow == SA_OS ? 1 : v.row_fold);
  /* the cycle field of a row after cycle 0: "N.0" and the line end */
  const double after_row = digits_in(1, cycles) / (double)cycles + 3;
  double bytes =
      sram_trace_bytes(lines, 1, cfg->dataflow == SA_IS ? C : R,
                       (double)st.ifmap_sram_reads / (double)G, md_if) +
      sram_trace_bytes(lines, 1, cfg->dataflow == SA_IS ? R : C,
                       (double)st.filter_sram_reads / (double)G, md_fl) +
      sram_trace_bytes(lines, 0, C, of_writes, md_of);
  double scr = 0;
  for (int k = 0; k < 2; k++) {
    const bool ifmap = k == 0;
    const uint64_t cap = ifmap ? v.if_cap : v.fl_cap;
    const double md = ifmap ? md_if : md_fl;
    double b;
    if (cfg->bw_calc) {
      const uint64_t set = cap / SETS_PER_BUFFER, half = (SETS_PER_BUFFER / 2) * set;
      const uint64_t distinct = ifmap ? ifmap_covered(&v) : n_fl;
      const uint64_t sets = distinct < half ? em_ceil_div_u64(distinct, set) : SETS_PER_BUFFER / 2;
      const uint64_t rows = em_ceil_div_u64(sets * set, 10); /* 10 words a cycle */
      const double first = (double)(distinct < half ? distinct : half);
      b = before_rows_bytes(rows) + first * (3 + md) + ((double)rows * 10 - first) * 5;
      if (distinct > half) b += (double)(distinct - half) * (3 + md);
      scr += b;
    } else {
      const uint64_t bw = cfg->bandwidth, active = cap / 2 + cap % 2, prefetch = cap - active;
      double entries, words;
      fetch_matrix(cfg, &v, ifmap, &entries, &words);
      double all_rows = ceil(entries / (double)bw);
      double n0 = ceil((double)active / (double)bw);
      if (n0 > all_rows) n0 = all_rows;
      double listed = n0 * (double)bw, addrs = words < listed ? words : listed;
      b = before_rows_bytes((uint64_t)n0) + addrs * (3 + md) + (listed - addrs) * 5;
      if (words > (double)active && prefetch) {
        double nb = ceil((double)prefetch / (double)bw);
        if (nb > all_rows) nb = all_rows;
        double later = ceil((words - (double)active) / (double)prefetch) * nb;
        b += later * (after_row + (double)bw * (3 + md));
      }
    }
    bytes += b;
  }
  const double width = cfg->bw_calc ? (double)C : (double)cfg->bandwidth;
  const double of_rows = ceil(of_writes / width);
  bytes += of_rows * after_row + of_writes * (3 + md_of) + (of_rows * width - of_writes) * 5;
  if (scratch) *scratch = scr;
  return bytes * (double)G; /* every group's copy (copy_group_traces) */
}

double sa_refetch_x(const sa_layer_stats *s, const char **operand) {
  double fi = s->ifmap_sram_reads ? (double)s->ifmap_dram_reads / (double)s->ifmap_sram_reads : 0;
  double ff =
      s->filter_sram_reads ? (double)s->filter_dram_reads / (double)s->filter_sram_reads : 0;
  *operand = ff >= fi ? "filter" : "ifmap";
  return ff >= fi ? ff : fi;
}

uint64_t sa_dram_beyond(const sa_layer_stats *s) {
  if (!s->macs) return 0;
  /* one group's figures: the groups are identical runs */
  uint64_t n = s->groups > 1 ? s->groups : 1;
  int64_t first = 0, last = (int64_t)(s->total_cycles / n);
  const int64_t starts[3] = {s->ifmap_dram_start, s->filter_dram_start, s->ofmap_dram_start};
  const int64_t stops[3] = {s->ifmap_dram_stop, s->filter_dram_stop, s->ofmap_dram_stop};
  const uint64_t moved[3] = {s->ifmap_dram_reads / n, s->filter_dram_reads / n,
                             s->ofmap_dram_writes / n};
  for (int k = 0; k < 3; k++) {
    if (!moved[k]) continue;
    if (starts[k] < first) first = starts[k];
    if (stops[k] > last) last = stops[k];
  }
  return (uint64_t)(last - (int64_t)(s->total_cycles / n) - first) * n;
}
