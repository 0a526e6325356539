/*
 * cm_breakeven.c - the break-even model and the roofline (cm_breakeven.h):
 * the study book's T_sparse = max((1 - s) F / P_eff, B_sparse / BW) +
 * T_overhead, s each point's realized sparsity, fitted to measured points
 * with GSL's Brent minimizer, and its root T_sparse(s) = T_dense on the
 * sweep's axis with GSL's Brent solver.  Units: cycles, flops, bytes.
 */
#include "cm_breakeven.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

double cm_roofline_cycles(double flops, double bytes, double peak_flops_per_cycle,
                          double bytes_per_cycle) {
  double tc = flops / peak_flops_per_cycle;
  double tm = bytes_per_cycle >= CM_BE_BW_NONE ? 0.0 : bytes / bytes_per_cycle;
  return tc > tm ? tc : tm;
}

const char *cm_be_outcome_name(cm_be_outcome o) {
  switch (o) {
  case CM_BE_CROSSES: return "breaks even";
  case CM_BE_NEVER: return "never wins";
  case CM_BE_ALWAYS: return "wins everywhere";
  case CM_BE_POOR_FIT: return "poor fit";
  }
  return "?";
}

const char *cm_be_outcome_key(cm_be_outcome o) {
  switch (o) {
  case CM_BE_CROSSES: return "crosses";
  case CM_BE_NEVER: return "never";
  case CM_BE_ALWAYS: return "always";
  case CM_BE_POOR_FIT: return "poor_fit";
  }
  return "?";
}

/* The model at realized sparsity s (the fraction of zero weights) with
 * storage bytes st and sparse rate peff. */
static double model_at(const cm_be_fit *f, double s, double st, double peff) {
  double work = f->executes_all ? f->F : (1.0 - s) * f->F;
  return cm_roofline_cycles(work, st + f->xy_bytes, peff, f->BW) + f->T_overhead;
}

double cm_be_model_cycles(const cm_be_fit *f, double s, double storage_bytes) {
  return model_at(f, s, storage_bytes, f->P_eff);
}

/* Point i's P_eff: its counters capped at P where the fit uses them, else
 * the fitted one. */
static double peff_of(const cm_be_fit *f, const cm_be_point *p) {
  if (f->peff_source != CM_BE_PEFF_COUNTERS) return f->P_eff;
  return p->p_eff < f->P ? p->p_eff : f->P;
}

static double model_point(const cm_be_fit *f, const cm_be_point *p) {
  return model_at(f, p->realized_s, (double)p->storage_bytes, peff_of(f, p));
}

typedef struct {
  const cm_be_point *p;
  size_t n;
  cm_be_fit *f;
} fit_arg;

/* Sets the best T_overhead for the current P_eff: the mean residual, or 0
 * where that is negative (the sum of squares is a parabola in T_overhead,
 * so its constrained minimum is the clamped mean). */
static void set_overhead(fit_arg *a) {
  a->f->T_overhead = 0;
  double sum = 0, n = 0;
  for (size_t i = 0; i < a->n; i++) {
    double t = (double)a->p[i].sparse_cycles;
    if (t <= 0) continue;
    sum += t - model_point(a->f, &a->p[i]);
    n++;
  }
  a->f->T_overhead = n > 0 && sum > 0 ? sum / n : 0;
}

/* Sum of squared errors, in units of the dense time, with the current
 * parameters.  Errors are measured against the dense time, not each
 * point's own, so the fit is best where the sparse time is near the dense
 * one: around the break-even. */
static double sse_now(const fit_arg *a) {
  double e = 0, td = a->f->t_dense > 0 ? a->f->t_dense : 1;
  for (size_t i = 0; i < a->n; i++) {
    double t = (double)a->p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (model_point(a->f, &a->p[i]) - t) / td;
    e += r * r;
  }
  return e;
}

/* The sum of squares for P_eff = exp(x), capped at P (the constraint
 * P_eff <= P), with the best T_overhead >= 0 for it. */
static double sse(double x, void *arg) {
  fit_arg *a = arg;
  double pe = exp(x);
  a->f->P_eff = pe < a->f->P ? pe : a->f->P;
  set_overhead(a);
  return sse_now(a);
}

/* RMS of the model's error relative to each measured point. */
static double rms_rel(const cm_be_fit *f, const cm_be_point *p, size_t n) {
  double e = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    double t = (double)p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (model_point(f, &p[i]) - t) / t;
    e += r * r;
    k++;
  }
  return k ? sqrt(e / (double)k) : 0;
}

/* T_sparse(s) - T_dense at the sweep's sparsity s, with the realized
 * sparsity, storage (and counted P_eff) interpolated between the points. */
typedef struct {
  const cm_be_fit *f;
  const cm_be_point *p;
  size_t n;
} root_arg;

static double gap(double s, void *arg) {
  root_arg *a = arg;
  size_t i = 0;
  while (i + 1 < a->n && a->p[i + 1].s < s) i++;
  double st = (double)a->p[i].storage_bytes, pe = peff_of(a->f, &a->p[i]);
  double rs = a->p[i].realized_s;
  if (i + 1 < a->n && a->p[i + 1].s > a->p[i].s) {
    double t = (s - a->p[i].s) / (a->p[i + 1].s - a->p[i].s);
    if (t > 0) {
      st += t * ((double)a->p[i + 1].storage_bytes - st);
      pe += t * (peff_of(a->f, &a->p[i + 1]) - pe);
      rs += t * (a->p[i + 1].realized_s - rs);
    }
  }
  if (!(pe > 0)) pe = a->f->P_eff; /* a point without work counted nothing */
  return model_at(a->f, rs, st, pe) - a->f->t_dense;
}

/* gap beyond the last point (s up to 1): the last two points' storage and
 * realized sparsity carried on linearly (storage at least 0, the realized
 * sparsity at most 1), the last point's counted P_eff. */
static double gap_beyond(double s, void *arg) {
  const root_arg *a = arg;
  const cm_be_point *q = &a->p[a->n - 1], *o = a->n > 1 ? &a->p[a->n - 2] : q;
  double t = q->s > o->s ? (s - q->s) / (q->s - o->s) : 0;
  double st = (double)q->storage_bytes + t * ((double)q->storage_bytes - (double)o->storage_bytes);
  double rs = q->realized_s + t * (q->realized_s - o->realized_s);
  if (st < 0) st = 0;
  if (rs > 1) rs = 1;
  double pe = peff_of(a->f, q);
  if (!(pe > 0)) pe = a->f->P_eff;
  return model_at(a->f, rs, st, pe) - a->f->t_dense;
}

/* g's root in [lo, hi] (a change of sign) by Brent into *root, at most 100
 * iterations (bounded even if the interval test never passes); *root is
 * left as it was should the solver fail to start. */
static void brent_root(gsl_function *g, double lo, double hi, double *root) {
  gsl_root_fsolver *r = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  if (r && gsl_root_fsolver_set(r, g, lo, hi) == GSL_SUCCESS) {
    for (int it = 0; it < 100; it++) {
      gsl_root_fsolver_iterate(r);
      if (gsl_root_test_interval(gsl_root_fsolver_x_lower(r), gsl_root_fsolver_x_upper(r), 1e-9,
                                 0) == GSL_SUCCESS)
        break;
    }
    *root = gsl_root_fsolver_root(r);
  }
  if (r) gsl_root_fsolver_free(r);
}

cm_be_outcome cm_be_crossing(const double *s, const double *y, size_t n, size_t stride,
                             double *at) {
  *at = NAN;
#define AT(v, i) (*(const double *)((const char *)(v) + (i) * stride))
  for (size_t i = 0; i < n; i++) {
    if (!(AT(y, i) > 1.0 + 1e-9)) continue;
    if (i == 0) return CM_BE_ALWAYS;
    double y0 = AT(y, i - 1), y1 = AT(y, i), s0 = AT(s, i - 1), s1 = AT(s, i);
    /* y1 may be INFINITY (no work left): the crossing is then at s1 */
    *at = isinf(y1) ? s1 : s0 + (s1 - s0) * (1.0 - y0) / (y1 - y0);
    return CM_BE_CROSSES;
  }
#undef AT
  return CM_BE_NEVER;
}

/* Fits P_eff (0 < P_eff <= P) and T_overhead >= 0 by least squares. */
static void fit_two(fit_arg *a, size_t usable) {
  cm_be_fit *f = a->f;
  /* coarse scan of log P_eff over P/10^4 .. P (161 points, 0.025 decades
   * apart), then Brent between the best one's neighbours */
  double lo = log(f->P) - 4 * log(10), hi = log(f->P), best = hi, beste = INFINITY;
  if (usable < 2) {
    /* one point (an N:M format) cannot fix two parameters: the sparse unit
     * does the kept work at the dense rate (P_eff = P) and T_overhead is
     * what the point departs from that */
    f->peff_source = CM_BE_PEFF_DENSE;
    sse(hi, a);
    return;
  }
  for (int i = 0; i <= 160; i++) {
    double x = lo + (hi - lo) * i / 160.0, e = sse(x, a);
    if (e < beste) {
      beste = e;
      best = x;
    }
  }
  double sstep = (hi - lo) / 160.0, xa = best - sstep, xb = best + sstep;
  gsl_function fn = {sse, a};
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  /* Brent needs the best point strictly inside its bracket: at the bound
   * P_eff = P (above it sse is flat, P_eff capped) the scan's point stands */
  if (m && best < hi && sse(best, a) < sse(xa, a) && sse(best, a) < sse(xb, a) &&
      gsl_min_fminimizer_set(m, &fn, best, xa, xb) == GSL_SUCCESS) {
    /* at most 100 iterations: the loop is bounded even if the interval
     * test never passes */
    for (int it = 0; it < 100; it++) {
      gsl_min_fminimizer_iterate(m);
      if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m), gsl_min_fminimizer_x_upper(m),
                                1e-9, 0) == GSL_SUCCESS)
        break;
    }
    best = gsl_min_fminimizer_x_minimum(m);
  }
  if (m) gsl_min_fminimizer_free(m);
  sse(best, a); /* sets P_eff and T_overhead */
}

/* Where there is no dense rate P (cm_be_fit_model): no P_eff, T_overhead or
 * model curve either, every figure of the fit NAN, its outcome a poor fit
 * with no break-even (and so no agreement); the measured outcomes stand. */
static void fit_without_rate(const cm_be_point *p, size_t n, double step, cm_be_fit *f,
                             double *model_cycles) {
  f->P = f->P_eff = f->T_overhead = f->fit_rms_rel_err = NAN;
  f->peff_source = CM_BE_PEFF_FIT;
  f->counters_p_eff = f->counters_rms_rel_err = NAN;
  f->counters_above = 0;
  for (size_t i = 0; model_cycles && i < n; i++) model_cycles[i] = NAN;
  f->sim = f->energy = CM_BE_NEVER;
  f->s_sim = f->s_energy = NAN;
  if (n > 0) {
    f->sim = cm_be_crossing(&p[0].s, &p[0].speedup, n, sizeof *p, &f->s_sim);
    f->energy = cm_be_crossing(&p[0].s, &p[0].energy_gain, n, sizeof *p, &f->s_energy);
  }
  f->model = CM_BE_POOR_FIT;
  f->s_model = f->s_model_beyond = NAN;
  cm_be_judge(f, step);
}

void cm_be_fit_model(const cm_be_point *p, size_t n, double step, cm_be_fit *f,
                     double *model_cycles) {
  gsl_set_error_handler_off();
  /* P is F over the dense run's cycles.  A dense run of no cycle (or no
   * flop) gives no rate: it was taken as 1 flop a cycle, and the notes
   * read "P = 1 flops/cycle (F over the dense run's cycles)", a figure
   * nothing measured, with a P_eff and a model fitted under it.  P is NAN
   * there (no P), and nothing is fitted. */
  bool no_rate = !(f->t_dense > 0 && f->F > 0 && isfinite(f->F / f->t_dense));
  if (no_rate) {
    fit_without_rate(p, n, step, f, model_cycles);
    return;
  }
  f->P = f->F / f->t_dense;
  fit_arg a = {p, n, f};
  size_t usable = 0, counted = 0;
  double peff_sum = 0;
  f->counters_above = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i].sparse_cycles == 0) continue;
    usable++;
    if (p[i].p_eff > 0 && isfinite(p[i].p_eff)) {
      counted++;
      peff_sum += p[i].p_eff < f->P ? p[i].p_eff : f->P;
      f->counters_above += p[i].p_eff > f->P * (1 + CM_BE_PEFF_TOL);
    }
  }
  f->peff_source = CM_BE_PEFF_FIT;
  f->counters_p_eff = f->counters_rms_rel_err = NAN;
  if (usable > 0 && counted == usable) {
    /* the simulator's own counters, capped at P: T_overhead is fitted alone */
    f->peff_source = CM_BE_PEFF_COUNTERS;
    f->P_eff = f->counters_p_eff = peff_sum / (double)counted;
    set_overhead(&a);
    f->counters_rms_rel_err = rms_rel(f, p, n);
    /* Counters above P say only that the sparse unit's arithmetic is not
     * what limits it (a GPU's multiply-add pipes, busy a small part of the
     * time): capped, they would put the assumption P_eff = P in their
     * place, and on a mask's flat curve (capped at low s, not at high s)
     * invent a break-even.  Counters whose compute term does not explain
     * the curve (over CM_BE_FIT_MAX_ERR) are no better.  Either way P_eff
     * is fitted. */
    if (f->counters_above > 0 || !(f->counters_rms_rel_err <= CM_BE_FIT_MAX_ERR))
      f->peff_source = CM_BE_PEFF_FIT;
  }
  if (f->peff_source != CM_BE_PEFF_COUNTERS) fit_two(&a, usable);
  for (size_t i = 0; model_cycles && i < n; i++) model_cycles[i] = model_point(f, &p[i]);
  f->fit_rms_rel_err = rms_rel(f, p, n);

  /* measured break-evens: the speedup (energy gain) first above 1 */
  f->sim = f->energy = CM_BE_NEVER;
  f->s_sim = f->s_energy = NAN;
  if (n > 0) {
    f->sim = cm_be_crossing(&p[0].s, &p[0].speedup, n, sizeof *p, &f->s_sim);
    f->energy = cm_be_crossing(&p[0].s, &p[0].energy_gain, n, sizeof *p, &f->s_energy);
  }
  /* model break-even: Brent on the first bracket where T_sparse - T_dense
   * changes sign; none where the model does not follow the curve */
  f->s_model = NAN;
  f->model = CM_BE_NEVER;
  root_arg ra = {f, p, n};
  gsl_function g = {gap, &ra};
  /* below dense by more than 0.1 %: a model that stays within a few cycles
   * of dense (a flat curve: bit-serial CSR on AlexNet CONV-3 fits dense + 10
   * cycles to 0.0 %, and its rounding crossed dense at 0.05) is not a win,
   * just as the simulation needs a speedup above 1 */
  double tol = 1e-3 * (f->t_dense > 0 ? f->t_dense : 1);
  for (size_t i = 0; n > 0 && i < n; i++) {
    double gi = gap(p[i].s, &ra);
    if (gi < -tol && i == 0) {
      f->model = CM_BE_ALWAYS;
      break;
    }
    if (i == 0 || !(gi < -tol)) continue;
    double glast = gap(p[i - 1].s, &ra);
    f->model = CM_BE_CROSSES;
    /* the previous point is not below dense: the root lies between them
     * (at the previous point where it is within rounding of dense, and at
     * this one should the solver fail) */
    f->s_model = glast > 0 ? p[i].s : p[i - 1].s;
    if (glast > 0) brent_root(&g, p[i - 1].s, p[i].s, &f->s_model);
    break;
  }
  /* never in the range: where the formula would cross past it (Brent
   * between the last point and 1, where it is below dense at 1) */
  f->s_model_beyond = NAN;
  if (f->model == CM_BE_NEVER && n > 0 && p[n - 1].s < 1 && !f->executes_all) {
    gsl_function gb = {gap_beyond, &ra};
    double lo = p[n - 1].s;
    if (gap_beyond(lo, &ra) > 0 && gap_beyond(1.0, &ra) < -tol)
      brent_root(&gb, lo, 1.0, &f->s_model_beyond);
  }
  if (!(f->fit_rms_rel_err <= CM_BE_FIT_MAX_ERR)) {
    f->model = CM_BE_POOR_FIT;
    f->s_model = f->s_model_beyond = NAN;
  }
  cm_be_judge(f, step);
}

void cm_be_judge(cm_be_fit *f, double step) {
  bool fits = f->fit_rms_rel_err <= CM_BE_FIT_MAX_ERR;
  double stepw = step > 0 ? step : 1;
  f->agree = fits && f->model == f->sim &&
             (f->sim != CM_BE_CROSSES || fabs(f->s_model - f->s_sim) <= stepw + 1e-9);
}
