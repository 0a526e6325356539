/* breakeven.c - sparsity sweeps and the break-even model (breakeven.h). */
#include "breakeven.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_layer.h"

/* ---- patterns ---- */

static em_status pattern(const be_config *c, uint8_t *nz, uint64_t N, uint64_t K, double s,
                         uint64_t seed, em_diag *d) {
  switch (c->fmt.fmt) {
  case CM_FMT_BSR: return cm_sparse_gen_block(nz, N, K, c->fmt.block, s, seed, d);
  case CM_FMT_CHANNEL: return cm_sparse_gen_channel(nz, N, K, s, seed, d);
  case CM_FMT_NM: return cm_sparse_gen_nm(nz, N, K, c->fmt.n, c->fmt.m, seed, d);
  case CM_FMT_DENSE: return cm_sparse_gen_random(nz, N, K, 0.0, seed, d);
  default: return cm_sparse_gen_random(nz, N, K, s, seed, d);
  }
}

static uint64_t kept_rows(const uint8_t *nz, uint64_t N, uint64_t K) {
  uint64_t kept = 0;
  for (uint64_t r = 0; r < N; r++) kept += cm_sparse_nnz(nz + r * K, K) > 0;
  return kept;
}

/* ---- SIMT ---- */

typedef struct {
  simt_gpu *g;
  simt_energy_model em;
} simt_ctx;

static em_status simt_run(simt_ctx *x, simt_kernel *k, uint64_t *cycles, double *pj,
                          em_diag *d) {
  simt_stats st;
  em_status s = simt_gpu_run(x->g, k, NULL, NULL, &st, d);
  simt_kernel_free(k);
  if (s != EM_OK) return s;
  simt_energy e;
  simt_energy_compute(&x->em, &st, &e);
  *cycles = st.cycles;
  *pj = e.total_pj;
  return EM_OK;
}

static em_status simt_sparse_point(const be_config *c, simt_ctx *x, const uint8_t *nz,
                                   uint64_t N, uint64_t K, uint64_t M, uint64_t *cycles,
                                   double *pj, em_diag *d) {
  simt_kernel k;
  em_status s;
  switch (c->fmt.fmt) {
  case CM_FMT_MASK:
  case CM_FMT_DENSE: s = simt_gen_dense_gemm(&k, N, K, M, d); break;
  case CM_FMT_CHANNEL: {
    uint64_t kept = kept_rows(nz, N, K);
    if (kept == 0) {
      *cycles = 0;
      *pj = 0;
      return EM_OK;
    }
    s = simt_gen_dense_gemm(&k, kept, K, M, d);
    break;
  }
  case CM_FMT_CSR: s = simt_gen_sparse(&k, c->csr_kernel, nz, N, K, M, 0, d); break;
  case CM_FMT_BSR: s = simt_gen_sparse(&k, SIMT_SP_BSR, nz, N, K, M, c->fmt.block, d); break;
  case CM_FMT_NM:
    if (c->fmt.n != 2 || c->fmt.m != 4)
      return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                         "sparse tensor cores run 2:4, not %u:%u", c->fmt.n, c->fmt.m);
    s = simt_gen_tc_gemm(&k, N, K, M, true, d);
    break;
  default:
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "no SIMT kernel for format '%s' (simt runs csr, bsr, 2:4, mask and "
                       "channel)",
                       cm_sparse_format_name(c->fmt.fmt));
  }
  if (s != EM_OK) {
    simt_kernel_free(&k);
    return s;
  }
  return simt_run(x, &k, cycles, pj, d);
}

/* ---- systolic ---- */

static em_status sa_point(const be_config *c, const wl_layer *l, uint64_t *cycles, double *pj,
                          em_diag *d) {
  sa_layer_stats st;
  sa_energy e;
  em_status s = sa_simulate(&c->sa, l, NULL, &st, d);
  if (s == EM_OK) s = sa_layer_energy(&c->sa, l, &st, c->et, &e, d);
  if (s != EM_OK) return s;
  *cycles = st.total_cycles;
  *pj = e.total_pj;
  return EM_OK;
}

static wl_layer sa_gemm(const be_config *c, uint64_t M, uint64_t n, uint64_t k) {
  wl_layer l = wl_gemm("sparse", M, n, k);
  l.w = (wl_prec){(uint8_t)c->w_bits, false};
  l.a = (wl_prec){(uint8_t)c->a_bits, false};
  return l;
}

static em_status sa_sparse_point(const be_config *c, const uint8_t *nz, uint64_t N, uint64_t K,
                                 uint64_t M, uint64_t dense_cycles, double dense_pj,
                                 const cm_sparse_storage *stor, uint64_t *cycles, double *pj,
                                 em_diag *d) {
  uint64_t nnz = stor->nnz;
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE) {
    *cycles = dense_cycles;
    *pj = dense_pj;
    return EM_OK;
  }
  if (c->fmt.fmt == CM_FMT_CHANNEL) {
    uint64_t kept = kept_rows(nz, N, K);
    if (kept == 0) {
      *cycles = 0;
      *pj = 0;
      return EM_OK;
    }
    wl_layer l = sa_gemm(c, M, kept, K);
    return sa_point(c, &l, cycles, pj, d);
  }
  /* per-MAC energy of the dense layer's arithmetic, and a comparator */
  cm_energy_value mult, add, cmp;
  em_status s;
  if ((s = cm_energy_mult(c->et, false, c->w_bits, c->a_bits, &mult, d)) != EM_OK ||
      (s = cm_energy_add(c->et, false, c->w_bits + c->a_bits, &add, d)) != EM_OK ||
      (s = cm_energy_add(c->et, false, c->w_bits, &cmp, d)) != EM_OK)
    return s;
  uint64_t zeros = N * K - nnz;
  if (c->gate) {
    *cycles = dense_cycles;
    *pj = dense_pj - (double)(zeros * M) * (mult.energy_pj + add.energy_pj - cmp.energy_pj);
    return EM_OK;
  }
  if (c->sa.dataflow == SA_IS)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "zero skipping is modelled for the os and ws dataflows, not is");
  /* a column fold of C filters streams its longest compressed filter */
  uint64_t C = c->sa.cols, total = 0, folds = 0;
  double e = 0;
  for (uint64_t f0 = 0; f0 < N; f0 += C) {
    uint64_t n = N - f0 < C ? N - f0 : C, keff = 0;
    for (uint64_t r = f0; r < f0 + n; r++) {
      uint64_t k = cm_sparse_nnz(nz + r * K, K);
      if (k > keff) keff = k;
    }
    if (keff == 0) continue;
    wl_layer l = sa_gemm(c, M, n, keff);
    uint64_t cyc;
    double pjf;
    if ((s = sa_point(c, &l, &cyc, &pjf, d)) != EM_OK) return s;
    total += cyc + 1; /* undo each fold group's final -1, once for the layer below */
    folds++;
    /* MACs the padded slots of shorter filters would do are gated */
    uint64_t slots = keff * n;
    uint64_t useful = 0;
    for (uint64_t r = f0; r < f0 + n; r++) useful += cm_sparse_nnz(nz + r * K, K);
    e += pjf - (double)((slots - useful) * M) * (mult.energy_pj + add.energy_pj - cmp.energy_pj);
  }
  /* the format's metadata: read from DRAM once and from the filter SRAM with
   * every use of its weight (as often as the weights are read per word) */
  cm_energy_value dr, sr;
  uint64_t word_bits = 8ull * c->sa.word_bytes;
  if ((s = cm_energy_mem(c->et, CM_OP_DRAM_READ, 0, (unsigned)word_bits, &dr, d)) != EM_OK ||
      (s = cm_energy_mem(c->et, CM_OP_SRAM_READ, c->sa.filter_sram_kb * 1024,
                         (unsigned)word_bits, &sr, d)) != EM_OK)
    return s;
  double meta_words = (double)stor->metadata_bits / (double)word_bits;
  double reuse = (double)M / (double)(c->sa.dataflow == SA_OS ? c->sa.rows : 1);
  e += meta_words * dr.energy_pj + meta_words * (reuse < 1 ? 1 : reuse) * sr.energy_pj;
  *cycles = folds ? total - 1 : 0;
  *pj = e;
  return EM_OK;
}

/* ---- bit-serial and XNOR arrays ---- */

static wl_layer int_gemm(const be_config *c, uint64_t M, uint64_t n, uint64_t k) {
  return sa_gemm(c, M, n, k);
}

static em_status bs_point(const be_config *c, const wl_layer *l, bs_stats *st, uint64_t *cycles,
                          double *pj, em_diag *d) {
  bs_energy e;
  em_status s = bs_layer(&c->bs, l, st, d);
  if (s == EM_OK) s = bs_layer_energy(&c->bs, st, c->et, &e, d);
  if (s != EM_OK) return s;
  *cycles = st->total_cycles;
  *pj = e.total_pj;
  return EM_OK;
}

static em_status bs_sparse_point(const be_config *c, const uint8_t *nz, uint64_t N, uint64_t K,
                                 uint64_t M, uint64_t *cycles, double *pj, em_diag *d) {
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE) {
    bs_stats st;
    wl_layer l = int_gemm(c, M, N, K);
    return bs_point(c, &l, &st, cycles, pj, d);
  }
  bs_stats st;
  wl_layer l = int_gemm(c, M, N, K);
  em_status s = bs_layer(&c->bs, &l, &st, d);
  if (s != EM_OK) return s;
  const bs_config *b = &c->bs;
  uint64_t tn = (N + b->dn - 1) / b->dn, nsl = (K + b->dk - 1) / b->dk;
  uint64_t tm = (M + b->dm - 1) / b->dm, pairs = st.plane_pairs, live = 0, stall = 0;
  for (uint64_t j = 0; j < tn; j++) {
    uint64_t lj = 0;
    for (uint64_t q = 0; q < nsl; q++) {
      bool any = false;
      for (uint64_t r = j * b->dn; r < (j + 1) * b->dn && r < N && !any; r++)
        for (uint64_t k = q * b->dk; k < (q + 1) * b->dk && k < K; k++)
          if (nz[r * K + k]) {
            any = true;
            break;
          }
      lj += any;
    }
    live += lj;
    uint64_t exec = lj * pairs;
    stall += exec < b->dm ? b->dm - exec : 0;
  }
  uint64_t dense_slices = tn * nsl;
  st.compute_cycles = tm * live * pairs;
  st.overhead_cycles = b->fill_cycles + tm * stall;
  st.total_cycles = st.compute_cycles + st.overhead_cycles;
  /* buffer reads follow the executed slices; the skipped slices are not
   * fetched; a flag per (column tile, slice) is read as metadata */
  uint64_t res = st.tiles * b->dm * b->dn * b->acc_bits;
  st.sram_read_bits = st.compute_cycles * (b->dm + b->dn) * b->dk + res;
  uint64_t b_bits = tn * b->dn * nsl * b->dk * c->w_bits;
  uint64_t b_read = (uint64_t)((double)b_bits * (double)live / (double)dense_slices);
  st.dram_read_bits = st.dram_read_bits - b_bits + b_read + dense_slices;
  bs_energy e;
  if ((s = bs_layer_energy(b, &st, c->et, &e, d)) != EM_OK) return s;
  *cycles = st.total_cycles;
  *pj = e.total_pj;
  return EM_OK;
}

static em_status xnor_point(const be_config *c, uint64_t M, uint64_t n, uint64_t K,
                            uint64_t *cycles, double *pj, em_diag *d) {
  wl_layer l = int_gemm(c, M, n, K);
  xnor_stats st;
  xnor_energy e;
  em_status s = xnor_layer(&c->xn, &l, &st, d);
  if (s == EM_OK) s = xnor_layer_energy(&c->xn, &st, c->et, &e, d);
  if (s != EM_OK) return s;
  *cycles = st.cycles;
  *pj = e.total_pj;
  return EM_OK;
}

static em_status xnor_sparse_point(const be_config *c, const uint8_t *nz, uint64_t N,
                                   uint64_t K, uint64_t M, uint64_t *cycles, double *pj,
                                   em_diag *d) {
  if (c->fmt.fmt == CM_FMT_MASK || c->fmt.fmt == CM_FMT_DENSE)
    return xnor_point(c, M, N, K, cycles, pj, d);
  if (c->fmt.fmt != CM_FMT_CHANNEL)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "an XNOR array's weights are +1 or -1: no zeros to skip in format '%s'; "
                       "prune channels (--format channel)",
                       cm_sparse_format_name(c->fmt.fmt));
  uint64_t kept = kept_rows(nz, N, K);
  if (kept == 0) {
    *cycles = 0;
    *pj = 0;
    return EM_OK;
  }
  return xnor_point(c, M, kept, K, cycles, pj, d);
}

/* ---- the model ---- */

static double model_at(const be_fit *f, double s, double storage_bytes) {
  double tc = (1.0 - s) * f->F / f->P_eff;
  double tm = (storage_bytes + f->xy_bytes) / f->BW;
  return (tc > tm ? tc : tm) + f->T_overhead;
}

typedef struct {
  const be_point *p;
  size_t n;
  be_fit *f;
} fit_arg;

/* Sum of squared errors, in units of the dense time, for P_eff = exp(x)
 * with the best T_overhead (their mean).  Errors are measured against the
 * dense time, not each point's own, so the fit is best where the sparse
 * time is near the dense one: around the break-even. */
static double sse(double x, void *arg) {
  fit_arg *a = arg;
  a->f->P_eff = exp(x);
  a->f->T_overhead = 0;
  double sum = 0, n = 0;
  for (size_t i = 0; i < a->n; i++) {
    double t = (double)a->p[i].sparse_cycles;
    if (t <= 0) continue;
    sum += t - model_at(a->f, a->p[i].s, (double)a->p[i].storage_bytes);
    n++;
  }
  a->f->T_overhead = n > 0 ? sum / n : 0;
  double e = 0, td = a->f->t_dense > 0 ? a->f->t_dense : 1;
  for (size_t i = 0; i < a->n; i++) {
    double t = (double)a->p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (model_at(a->f, a->p[i].s, (double)a->p[i].storage_bytes) - t) / td;
    e += r * r;
  }
  return e;
}

/* RMS of the model's error relative to each simulated point. */
static double rms_rel(const be_fit *f, const be_point *p, size_t n) {
  double e = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    double t = (double)p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (model_at(f, p[i].s, (double)p[i].storage_bytes) - t) / t;
    e += r * r;
    k++;
  }
  return k ? sqrt(e / (double)k) : 0;
}

/* T_sparse(s) - T_dense with storage interpolated between the points. */
typedef struct {
  const be_fit *f;
  const be_point *p;
  size_t n;
} root_arg;

static double gap(double s, void *arg) {
  root_arg *a = arg;
  size_t i = 0;
  while (i + 1 < a->n && a->p[i + 1].s < s) i++;
  double st = (double)a->p[i].storage_bytes;
  if (i + 1 < a->n && a->p[i + 1].s > a->p[i].s) {
    double t = (s - a->p[i].s) / (a->p[i + 1].s - a->p[i].s);
    if (t > 0) st += t * ((double)a->p[i + 1].storage_bytes - st);
  }
  return model_at(a->f, s, st) - a->f->t_dense;
}

void be_fit_model(const be_config *c, be_point *p, size_t n, be_fit *f) {
  gsl_set_error_handler_off();
  f->P = f->t_dense > 0 ? f->F / f->t_dense : 1;
  /* coarse scan of log P_eff over P/10^4 .. 10 P, then Brent around the best */
  fit_arg a = {p, n, f};
  size_t usable = 0;
  for (size_t i = 0; i < n; i++) usable += p[i].sparse_cycles > 0;
  double lo = log(f->P) - 4 * log(10), hi = log(f->P) + log(10), best = lo, beste = INFINITY;
  /* one point (an N:M format) cannot fix two parameters: the sparse unit
   * does the kept work at the dense rate (P_eff = P) and T_overhead is what
   * the point departs from that */
  if (usable < 2) best = log(f->P);
  for (int i = 0; usable >= 2 && i <= 200; i++) {
    double x = lo + (hi - lo) * i / 200.0, e = sse(x, &a);
    if (e < beste) {
      beste = e;
      best = x;
    }
  }
  double step = (hi - lo) / 200.0, xa = best - step, xb = best + step;
  gsl_function fn = {sse, &a};
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (m && usable >= 2 && sse(best, &a) < sse(xa, &a) && sse(best, &a) < sse(xb, &a) &&
      gsl_min_fminimizer_set(m, &fn, best, xa, xb) == GSL_SUCCESS) {
    for (int it = 0; it < 100; it++) {
      gsl_min_fminimizer_iterate(m);
      if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m), gsl_min_fminimizer_x_upper(m),
                                1e-9, 0) == GSL_SUCCESS)
        break;
    }
    best = gsl_min_fminimizer_x_minimum(m);
  }
  if (m) gsl_min_fminimizer_free(m);
  sse(best, &a); /* sets P_eff and T_overhead */
  for (size_t i = 0; i < n; i++) p[i].model_cycles = model_at(f, p[i].s, (double)p[i].storage_bytes);
  f->fit_rms_rel_err = rms_rel(f, p, n);

  /* simulated break-even: the speedup first above 1, linear between points */
  f->s_sim = NAN;
  for (size_t i = 0; i < n; i++) {
    if (!(p[i].speedup > 1.0 + 1e-9)) continue;
    if (i == 0) f->s_sim = p[0].s;
    else {
      double y0 = p[i - 1].speedup, y1 = p[i].speedup;
      f->s_sim = p[i - 1].s + (p[i].s - p[i - 1].s) * (1.0 - y0) / (y1 - y0);
    }
    break;
  }
  /* model break-even: Brent on the first bracket where T_sparse - T_dense changes sign */
  f->s_model = NAN;
  root_arg ra = {f, p, n};
  gsl_function g = {gap, &ra};
  for (size_t i = 0; i < n; i++) {
    double gi = gap(p[i].s, &ra);
    if (gi < 0 && i == 0) {
      f->s_model = p[0].s;
      break;
    }
    if (i == 0 || !(gi < 0)) continue;
    double glast = gap(p[i - 1].s, &ra);
    if (!(glast > 0)) continue;
    gsl_root_fsolver *r = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (r && gsl_root_fsolver_set(r, &g, p[i - 1].s, p[i].s) == GSL_SUCCESS) {
      for (int it = 0; it < 100; it++) {
        gsl_root_fsolver_iterate(r);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(r), gsl_root_fsolver_x_upper(r),
                                   1e-9, 0) == GSL_SUCCESS)
          break;
      }
      f->s_model = gsl_root_fsolver_root(r);
    }
    if (r) gsl_root_fsolver_free(r);
    break;
  }
  double stepw = c->s_step > 0 ? c->s_step : 1;
  f->agree = (isnan(f->s_model) && isnan(f->s_sim)) ||
             (!isnan(f->s_model) && !isnan(f->s_sim) &&
              fabs(f->s_model - f->s_sim) <= stepw + 1e-9);
}

/* ---- the sweep ---- */

em_status be_run(const be_config *c, uint64_t N, uint64_t K, uint64_t M, be_point **out,
                 size_t *nout, be_fit *fit, em_diag *d) {
  *out = NULL;
  *nout = 0;
  memset(fit, 0, sizeof *fit);
  if (N == 0 || K == 0 || M == 0 || N > (1ull << 34) / K)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "weight matrix %llu x %llu is empty or too large for a sweep",
                       (unsigned long long)N, (unsigned long long)K);
  if (!(c->s_from >= 0 && c->s_to <= 1 && c->s_from <= c->s_to && c->s_step > 0))
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "sparsity range %g:%g:%g must lie in [0, 1], FROM <= TO, STEP > 0",
                       c->s_from, c->s_to, c->s_step);
  size_t n = c->fmt.fmt == CM_FMT_NM ? 1 : (size_t)floor((c->s_to - c->s_from) / c->s_step + 1e-9) + 1;
  if (n > 1000) return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "more than 1000 sweep points");
  be_point *p = calloc(n, sizeof *p);
  uint8_t *nz = malloc(N * K);
  simt_ctx x;
  memset(&x, 0, sizeof x);
  em_status s = EM_OK;
  if (!p || !nz) {
    s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  cm_sparse_spec spec = c->fmt;
  uint64_t dense_cycles;
  double dense_pj;
  if (c->arch == BE_SIMT) {
    spec.value_bits = 32; /* the kernels' fp32 values and 32-bit indices */
    spec.index_bits = 32;
    if ((s = simt_energy_model_init(&x.em, c->et, &c->gpu, d)) != EM_OK ||
        (s = simt_gpu_create(&c->gpu, &x.g, d)) != EM_OK)
      goto fail;
    /* 2:4 runs on sparse tensor cores: its reference is the dense
     * tensor-core GEMM, fp16 operands */
    bool tc = c->fmt.fmt == CM_FMT_NM;
    if (tc) {
      spec.value_bits = 16;
      spec.index_bits = 0; /* 2-bit positions */
    }
    simt_kernel k;
    if ((s = tc ? simt_gen_tc_gemm(&k, N, K, M, false, d) : simt_gen_dense_gemm(&k, N, K, M, d)) !=
        EM_OK) {
      simt_kernel_free(&k);
      goto fail;
    }
    snprintf(fit->dense_kernel, sizeof fit->dense_kernel, "%s", k.name);
    if ((s = simt_run(&x, &k, &dense_cycles, &dense_pj, d)) != EM_OK) goto fail;
    if (tc && M == 1) {
      /* at batch 1 a library runs a half-precision layer on the CUDA cores
       * (a GEMV streams the weights once; a 64-wide tile wastes 63 of its
       * rows): the reference is the faster of the two dense kernels */
      uint64_t gv_cycles;
      double gv_pj;
      if ((s = simt_gen_gemv_fp16(&k, N, K, d)) != EM_OK) {
        simt_kernel_free(&k);
        goto fail;
      }
      char name[64];
      snprintf(name, sizeof name, "%s", k.name);
      if ((s = simt_run(&x, &k, &gv_cycles, &gv_pj, d)) != EM_OK) goto fail;
      if (gv_cycles < dense_cycles) {
        dense_cycles = gv_cycles;
        dense_pj = gv_pj;
        snprintf(fit->dense_kernel, sizeof fit->dense_kernel, "%s", name);
      }
    }
    fit->BW = (double)c->gpu.dram_channels * c->gpu.dram_channel_bytes_per_cycle;
    fit->xy_bytes = (tc ? 2.0 : 4.0) * (double)(K * M) + 4.0 * (double)(N * M);
    fit->B = (tc ? 2.0 : 4.0) * (double)(N * K) + fit->xy_bytes;
  } else if (c->arch == BE_BITSERIAL || c->arch == BE_XNOR) {
    spec.value_bits = c->w_bits;
    wl_layer l = int_gemm(c, M, N, K);
    bs_stats bst;
    if ((s = c->arch == BE_BITSERIAL ? bs_point(c, &l, &bst, &dense_cycles, &dense_pj, d)
                                     : xnor_point(c, M, N, K, &dense_cycles, &dense_pj, d)) !=
        EM_OK)
      goto fail;
    fit->BW = 1e30; /* their cycle models enforce no memory bandwidth */
    fit->xy_bytes = (double)(K * M * c->a_bits + N * M * c->a_bits) / 8.0;
    fit->B = (double)(N * K * c->w_bits) / 8.0 + fit->xy_bytes;
  } else {
    spec.value_bits = c->w_bits;
    wl_layer l = sa_gemm(c, M, N, K);
    if ((s = sa_point(c, &l, &dense_cycles, &dense_pj, d)) != EM_OK) goto fail;
    /* CALC: the interface delivers what the array needs (no stalls) */
    fit->BW = c->sa.bw_calc ? 1e30 : (double)c->sa.bandwidth * c->sa.word_bytes;
    fit->xy_bytes = (double)(K * M * c->a_bits + N * M * c->a_bits) / 8.0;
    fit->B = (double)(N * K * c->w_bits) / 8.0 + fit->xy_bytes;
  }
  fit->F = 2.0 * (double)N * (double)K * (double)M;
  fit->t_dense = (double)dense_cycles;
  for (size_t i = 0; i < n; i++) {
    double sp = c->fmt.fmt == CM_FMT_NM ? 1.0 - (double)c->fmt.n / c->fmt.m
                                        : c->s_from + (double)i * c->s_step;
    if (sp > 1) sp = 1;
    if ((s = pattern(c, nz, N, K, sp, c->seed + i, d)) != EM_OK) goto fail;
    cm_sparse_storage st;
    if ((s = cm_sparse_storage_of(&spec, nz, N, K, &st, d)) != EM_OK) goto fail;
    uint64_t cyc = 0;
    double pj = 0;
    switch (c->arch) {
    case BE_SIMT: s = simt_sparse_point(c, &x, nz, N, K, M, &cyc, &pj, d); break;
    case BE_BITSERIAL: s = bs_sparse_point(c, nz, N, K, M, &cyc, &pj, d); break;
    case BE_XNOR: s = xnor_sparse_point(c, nz, N, K, M, &cyc, &pj, d); break;
    case BE_SYSTOLIC:
    default: s = sa_sparse_point(c, nz, N, K, M, dense_cycles, dense_pj, &st, &cyc, &pj, d); break;
    }
    if (s != EM_OK) goto fail;
    p[i].s = sp;
    p[i].dense_cycles = dense_cycles;
    p[i].sparse_cycles = cyc;
    p[i].speedup = cyc ? (double)dense_cycles / (double)cyc : INFINITY;
    p[i].dense_energy_pj = dense_pj;
    p[i].sparse_energy_pj = pj;
    p[i].storage_bytes = st.bytes;
    p[i].metadata_bytes = (st.metadata_bits + 7) / 8;
  }
  be_fit_model(c, p, n, fit);
  simt_gpu_destroy(x.g);
  free(nz);
  *out = p;
  *nout = n;
  return EM_OK;
fail:
  simt_gpu_destroy(x.g);
  free(nz);
  free(p);
  return s;
}
