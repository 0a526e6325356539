/*
 * breakeven.c - sparsity sweeps on a design point of the model table
 * (breakeven.h): patterns per point from cm_sparse.h, the dense reference
 * and each sparse point through hw_point_sparse, the break-even model fitted
 * by cm_breakeven.h.  Units: cycles, picojoules, bytes.
 */
#include "breakeven.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "em_pool.h"
#include "wl_layer.h"

bool be_takes_pattern(const cm_sparse_spec *f) {
  return f->fmt != CM_FMT_DENSE && f->fmt != CM_FMT_BSR && f->fmt != CM_FMT_CHANNEL &&
         f->fmt != CM_FMT_NM;
}

em_status be_check_size(const be_config *c, const char *subject, uint64_t N, uint64_t K,
                        uint64_t M, const char *path, uint64_t line, em_diag *d) {
  hw_sparse_limits lim =
      hw_sparse_limits_of(hw_point_model(c->hw), hw_point_config(c->hw), &c->fmt);
  char on[64] = "";
  if (lim.on) snprintf(on, sizeof on, " on %s", lim.on);
  uint64_t w = UINT64_MAX, macs = UINT64_MAX; /* MAX: past 2^64 */
  if (!em_mul_u64(N, K, &w) || w > lim.weights_max)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, 0,
                       "%s: N x K = %llu x %llu weights, more than the %llu a break-even sweep "
                       "holds%s",
                       subject, (unsigned long long)N, (unsigned long long)K,
                       (unsigned long long)lim.weights_max, on);
  if (!em_mul_u64(w, M, &macs) || macs > lim.macs_max)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, 0,
                       "%s: %llu MACs, more than the %llu a break-even sweep simulates%s",
                       subject, (unsigned long long)macs, (unsigned long long)lim.macs_max, on);
  uint64_t outs = M * N; /* <= macs: no wrap */
  if (lim.outputs_max && outs > lim.outputs_max)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, 0,
                       "%s: M x N = %llu x %llu outputs, more than the %llu a break-even sweep "
                       "simulates%s",
                       subject, (unsigned long long)M, (unsigned long long)N,
                       (unsigned long long)lim.outputs_max, on);
  return EM_OK;
}

/* The pattern of format c->fmt at sparsity s (N x K, seeded). */
static em_status pattern(const be_config *c, uint8_t *nz, uint64_t N, uint64_t K, double s,
                         uint64_t seed, em_diag *d) {
  if (be_takes_pattern(&c->fmt))
    return cm_sparse_gen_unstructured(nz, N, K, s, c->pattern, seed, d);
  switch (c->fmt.fmt) {
  case CM_FMT_BSR: return cm_sparse_gen_block(nz, N, K, c->fmt.block, s, seed, d);
  case CM_FMT_CHANNEL: return cm_sparse_gen_channel(nz, N, K, s, seed, d);
  case CM_FMT_NM: return cm_sparse_gen_nm(nz, N, K, c->fmt.n, c->fmt.m, seed, d);
  default: return cm_sparse_gen_random(nz, N, K, 0.0, seed, d); /* dense */
  }
}

/* What the runs share (be_item_run): the sweep, the dense run, and per
 * worker its design point and pattern buffer (made on first use; worker
 * 0's are the caller's).  The dense run is the pool's item 0 and point i
 * its item i + 1, so a model whose dense reference is several runs (the
 * SIMT GPU's five candidate kernels) runs it beside the points; each
 * point's ratios to it are set once the pool is done (be_ratios). */
typedef struct {
  const be_config *c;
  uint64_t N, K;
  hw_sparse_case sc; /* the dense case; a point's nz is set per worker */
  hw_point **inst;
  uint8_t **bufs;
  hw_result *dense;
  hw_sparse_info *dx; /* the dense run's */
  const cm_be_fit *fit;
  be_point *p;
  cm_be_point *cp;
  bool list;
} pt_ctx;

/* The seed of the pattern at sparsity sp: the sweep's seed and sp (to
 * 1e-9, so 0.9 and 3 x 0.3 are one) mixed by SplitMix64's finalizer
 * (Steele et al., OOPSLA 2014), so that one sparsity and seed draw one
 * pattern whichever grid, bisection or command reaches it, and
 * neighbouring seeds draw unrelated patterns (seed + i shared all but one
 * point's stream with seed + 1, and GSL's mt19937 takes seed 0 as its
 * default, 4357). */
static uint64_t pattern_seed(uint64_t seed, double sp) {
  uint64_t key = (uint64_t)llround(sp * 1e9); /* sp in [0, 1] */
  uint64_t z = seed * 0x9e3779b97f4a7c15ull ^ key;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The sparse run at sparsity sp on worker w (its design point made), with
 * the pattern of sp and the sweep's seed drawn into the worker's buffer:
 * r and xi. */
static em_status run_at(pt_ctx *x, unsigned w, double sp, hw_result *r, hw_sparse_info *xi,
                        em_diag *d) {
  hw_sparse_case sc = x->sc;
  sc.nz = x->bufs[w];
  em_status s = pattern(x->c, x->bufs[w], x->N, x->K, sp, pattern_seed(x->c->seed, sp), d);
  return s == EM_OK ? hw_point_sparse(x->inst[w], &sc, r, xi, d) : s;
}

/* The realized sparsity of a pattern of n weights: 1 - nnz / n. */
static double realized_of(const uint8_t *nz, uint64_t n) {
  uint64_t nnz = 0;
  for (uint64_t j = 0; j < n; j++) nnz += nz[j] != 0;
  return 1.0 - (double)nnz / (double)n;
}

/* Dense over sparse, cycles (energy): INFINITY where the sparse run has
 * none. */
static double ratio_of(const hw_result *dense, const hw_result *r, bool energy) {
  if (energy)
    return r->energy_total_pj > 0 ? dense->energy_total_pj / r->energy_total_pj : INFINITY;
  return r->cycles ? (double)dense->cycles / (double)r->cycles : INFINITY;
}

/* Item i of the pool, on worker w: the dense run (i = 0), or point i - 1
 * of the sweep: its pattern (pattern_seed), the sparse run, the point's
 * own figures in p and cp (its ratios to the dense run: be_ratios). */
static em_status be_item_run(void *ctx, size_t item, unsigned w, em_diag *d) {
  pt_ctx *x = ctx;
  const be_config *c = x->c;
  uint64_t N = x->N, K = x->K;
  em_status s = EM_OK;
  if (!x->inst[w]) s = hw_point_clone(x->inst[0], &x->inst[w], d);
  if (s != EM_OK) return s;
  if (item == 0) return hw_point_sparse(x->inst[w], &x->sc, x->dense, x->dx, d);
  size_t i = item - 1;
  if (!x->bufs[w] && !(x->bufs[w] = malloc(N * K)))
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  double sp = c->fmt.fmt == CM_FMT_NM ? 1.0 - (double)c->fmt.n / c->fmt.m
               : x->list              ? c->s_list[i]
                                      : c->s_from + (double)i * c->s_step;
  if (sp > 1) sp = 1;
  hw_result r;
  hw_sparse_info xi;
  if ((s = run_at(x, w, sp, &r, &xi, d)) != EM_OK) return s;
  be_point *p = &x->p[i];
  p->s = sp;
  p->realized_s = realized_of(x->bufs[w], N * K);
  p->sparse_cycles = r.cycles;
  p->sparse_energy_pj = r.energy_total_pj;
  p->storage_bytes = xi.storage_bytes;
  p->metadata_bytes = xi.metadata_bytes;
  p->runs_as = xi.runs_as;
  /* the model's own rate where it counts: useful flops per busy cycle
   * (every flop, F, for a format that executes them all) */
  const cm_be_fit *fit = x->fit;
  double peff = xi.useful_macs > 0 && xi.busy_cycles > 0
                    ? (fit->executes_all ? fit->F : 2.0 * (double)xi.useful_macs) /
                          (double)xi.busy_cycles
                    : 0;
  /* the model's compute term takes the realized sparsity (cm_breakeven.h);
   * its ratios are be_ratios' */
  x->cp[i] = (cm_be_point){p->s, p->realized_s, p->sparse_cycles, p->storage_bytes, 0, 0, peff};
  return EM_OK;
}

/* Each point's figures against the dense run, once both are done. */
static void be_ratios(pt_ctx *x, size_t n) {
  const hw_result *dense = x->dense;
  for (size_t i = 0; i < n; i++) {
    be_point *p = &x->p[i];
    hw_result r = {0};
    r.cycles = p->sparse_cycles;
    r.energy_total_pj = p->sparse_energy_pj;
    p->dense_cycles = dense->cycles;
    p->dense_energy_pj = dense->energy_total_pj;
    p->speedup = ratio_of(dense, &r, false);
    p->energy_gain = ratio_of(dense, &r, true);
    x->cp[i].speedup = p->speedup;
    x->cp[i].energy_gain = p->energy_gain;
  }
}

/* The simulated break-even of the latency (energy) of a sweep whose
 * outcome crosses, bisected where its bracket starts flat (breakeven.h,
 * be_run): the runs on worker 0. */
static em_status bisect(pt_ctx *x, const be_point *p, size_t n, bool energy, double *at,
                        be_bisected *b, em_diag *d) {
  size_t i = 1;
  while (i < n && !((energy ? p[i].energy_gain : p[i].speedup) > 1.0 + 1e-9)) i++;
  if (i >= n) return EM_OK;
  double lo = p[i - 1].s, hi = p[i].s;
  double ylo = energy ? p[i - 1].energy_gain : p[i - 1].speedup;
  double yhi = energy ? p[i].energy_gain : p[i].speedup;
  if (!(ylo >= 1.0 - BE_FLAT)) return EM_OK; /* below 1: interpolation holds */
  b->from = lo;
  b->to = hi;
  b->y_from = ylo;
  double hi_realized = p[i].realized_s;
  for (unsigned k = 0; k < BE_BISECT; k++) {
    double mid = 0.5 * (lo + hi);
    hw_result r;
    hw_sparse_info xi;
    em_status s = run_at(x, 0, mid, &r, &xi, d);
    if (s != EM_OK) return s;
    b->runs++;
    double y = ratio_of(x->dense, &r, energy);
    if (y > 1.0 + 1e-9) {
      hi = mid;
      yhi = y;
      hi_realized = realized_of(x->bufs[0], x->N * x->K);
    } else {
      lo = mid;
      ylo = y;
    }
  }
  /* still flat at the lower end: the first sparsity found to pay */
  bool step = ylo >= 1.0 - BE_FLAT || isinf(yhi);
  *at = step ? hi : lo + (hi - lo) * (1.0 - ylo) / (yhi - ylo);
  b->realized_at = step ? hi_realized : NAN;
  return EM_OK;
}

unsigned be_jobs(const be_config *c, uint64_t N, uint64_t K, uint64_t M) {
  unsigned jobs = c->jobs > 1 ? c->jobs : 1;
  if (jobs > BE_JOBS_MAX) jobs = BE_JOBS_MAX;
  return em_pool_jobs_within(jobs, be_thread_bytes(c, N, K, M));
}

uint64_t be_thread_bytes(const be_config *c, uint64_t N, uint64_t K, uint64_t M) {
  wl_layer l = wl_gemm("sparse", M, N, K); /* the dense product, the largest run */
  /* the pattern (a byte a weight) and its generator's arrays while it draws
   * one: at most 16 bytes a weight (magnitude pruning: each weight, its
   * magnitude and an 8-byte index; uniform: an 8-byte index each).  They
   * were left out: 16 x 8192 x 8192 held 596 MB under a 64 MB budget. */
  return hw_point_host_bytes_layer(c->hw, &l) + 17 * N * K; /* N x K <= 2^34 (be_run) */
}

em_status be_run(const be_config *c, uint64_t N, uint64_t K, uint64_t M, be_point **out,
                 size_t *nout, be_summary *sum, em_diag *d) {
  *out = NULL;
  *nout = 0;
  memset(sum, 0, sizeof *sum);
  cm_be_fit *fit = &sum->fit;
  if (N == 0 || K == 0 || M == 0 || N > (1ull << 34) / K)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "weight matrix %llu x %llu is empty or too large for a sweep",
                       (unsigned long long)N, (unsigned long long)K);
  bool list = c->n_list > 0;
  if (list) {
    if (c->n_list > 1000 || !c->s_list)
      return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "more than 1000 sweep points");
    for (size_t i = 0; i < c->n_list; i++)
      if (!(c->s_list[i] >= 0 && c->s_list[i] <= 1) || (i && !(c->s_list[i] > c->s_list[i - 1])))
        return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                           "sparsity %g must lie in [0, 1] and above the one before it",
                           c->s_list[i]);
  } else if (!(c->s_from >= 0 && c->s_to <= 1 && c->s_from <= c->s_to && c->s_step > 0 &&
               isfinite(c->s_step))) { /* an infinite STEP made point 0 0 x inf = NaN */
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "sparsity range %g:%g:%g must lie in [0, 1], FROM <= TO, finite STEP > 0",
                       c->s_from, c->s_to, c->s_step);
  }
  size_t n = c->fmt.fmt == CM_FMT_NM ? 1
             : list                  ? c->n_list
                                     : (size_t)floor((c->s_to - c->s_from) / c->s_step + 1e-9) + 1;
  if (n > 1000) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "more than 1000 sweep points");
  /* agreement is within one step: for a list, its widest gap */
  double step = c->s_step;
  if (list && c->fmt.fmt != CM_FMT_NM) {
    step = 0;
    for (size_t i = 1; i < n; i++)
      if (c->s_list[i] - c->s_list[i - 1] > step) step = c->s_list[i] - c->s_list[i - 1];
  }
  { /* what the commands ask first (be_check_size), for any other caller */
    char subject[200];
    if (c->shape) snprintf(subject, sizeof subject, "layer '%s'", c->shape->name);
    else
      snprintf(subject, sizeof subject, "gemm %llux%llux%llu", (unsigned long long)M,
               (unsigned long long)N, (unsigned long long)K);
    em_status cs = be_check_size(c, subject, N, K, M, NULL, c->shape ? c->shape->src_line : 0, d);
    if (cs != EM_OK) return cs;
  }
  const hw_model *m = hw_point_model(c->hw);
  wl_layer l = wl_gemm("sparse", M, N, K);
  if (c->shape) { /* a refusal names the workload's layer and its line */
    memcpy(l.name, c->shape->name, sizeof l.name);
    l.src_line = c->shape->src_line;
  }
  /* --bits, else the workload layer's own widths (its topology's columns),
   * else the model's default, as the model's own command takes them */
  l.w = c->w.bits ? c->w : c->shape && c->shape->w.bits ? c->shape->w : m->default_prec;
  l.a = c->a.bits ? c->a : c->shape && c->shape->a.bits ? c->shape->a : m->default_prec;
  sum->w = l.w;
  sum->a = l.a;
  hw_sparse_case sc = {.layer = &l, .nz = NULL, .fmt = c->fmt, .gate = c->gate,
                       .csr_per_thread = c->csr_per_thread};
  wl_layer shape;
  if (c->shape) {
    wl_gemm_view v = wl_layer_gemm_view(c->shape);
    if (v.groups == 1 && v.n == N && v.k == K && v.m == M) {
      shape = *c->shape;
      shape.w = l.w;
      shape.a = l.a;
      sc.shape = &shape;
    }
  }
  hw_result dense;
  hw_sparse_info dx;
  memset(&dense, 0, sizeof dense);
  memset(&dx, 0, sizeof dx);
  em_status s = EM_OK;
  be_point *p = calloc(n, sizeof *p);
  cm_be_point *cp = calloc(n, sizeof *cp);
  double *model = calloc(n, sizeof *model);
  uint8_t *nz = malloc(N * K);
  if (!p || !cp || !model || !nz) {
    s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  fit->F = 2.0 * (double)N * (double)K * (double)M;
  /* a mask and zero gating execute every MAC: the model's work is F */
  fit->executes_all = c->gate || c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE;
  /* the dense run (item 0) and the points on c->jobs threads, each worker
   * with its own instance of the design point and pattern buffer; results
   * by index, so they do not depend on the jobs, and the error, the lowest
   * item's, is the dense run's where it fails (em_pool.h) */
  unsigned jobs = be_jobs(c, N, K, M);
  if (jobs > n + 1) jobs = (unsigned)(n + 1);
  hw_point *inst[BE_JOBS_MAX] = {c->hw};
  uint8_t *bufs[BE_JOBS_MAX] = {nz};
  pt_ctx px = {c, N, K, sc, inst, bufs, &dense, &dx, fit, p, cp, list};
  s = em_pool_run(jobs, n + 1, be_item_run, &px, NULL, d);
  if (s != EM_OK) goto done;
  be_ratios(&px, n);
  snprintf(sum->dense_kernel, sizeof sum->dense_kernel, "%s", dx.kernel);
  if (dx.ran_w.bits) sum->w = dx.ran_w; /* the widths the model ran at */
  if (dx.ran_a.bits) sum->a = dx.ran_a;
  sum->dense_dram_bytes = dense.dram_bytes;
  sum->dense = dense;
  fit->BW = dx.bw_bytes_per_cycle > 0 ? dx.bw_bytes_per_cycle : BE_BW_NONE;
  fit->xy_bytes = dx.xy_bytes;
  fit->B = dx.dense_bytes;
  fit->t_dense = (double)dense.cycles;
  cm_be_fit_model(cp, n, step, fit, model);
  if (fit->sim == CM_BE_CROSSES) s = bisect(&px, p, n, false, &fit->s_sim, &sum->sim, d);
  if (s == EM_OK && fit->energy == CM_BE_CROSSES)
    s = bisect(&px, p, n, true, &fit->s_energy, &sum->energy, d);
  cm_be_judge(fit, step);
done:
  for (unsigned w = 1; w < BE_JOBS_MAX; w++) {
    hw_point_destroy(inst[w]);
    free(bufs[w]);
  }
  if (s != EM_OK) goto fail;
  for (size_t i = 0; i < n; i++) p[i].model_cycles = model[i];
  free(nz);
  free(model);
  free(cp);
  *out = p;
  *nout = n;
  return EM_OK;
fail:
  free(nz);
  free(model);
  free(cp);
  free(p);
  return s;
}
