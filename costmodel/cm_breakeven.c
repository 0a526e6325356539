/*
 * cm_breakeven.c - the break-even model and the roofline (cm_breakeven.h):
 * the study book's T_sparse = max((1 - s) F / P_eff, B_sparse / BW) +
 * T_overhead fitted to measured points with GSL's Brent minimizer, and its
 * root T_sparse(s) = T_dense with GSL's Brent solver.  Units: cycles, flops,
 * bytes.
 */
#include "cm_breakeven.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>

double cm_roofline_cycles(double flops, double bytes, double peak_flops_per_cycle,
                          double bytes_per_cycle) {
  double tc = flops / peak_flops_per_cycle;
  double tm = bytes / bytes_per_cycle;
  return tc > tm ? tc : tm;
}

double cm_be_model_cycles(const cm_be_fit *f, double s, double storage_bytes) {
  return cm_roofline_cycles((1.0 - s) * f->F, storage_bytes + f->xy_bytes, f->P_eff, f->BW) +
         f->T_overhead;
}

typedef struct {
  const cm_be_point *p;
  size_t n;
  cm_be_fit *f;
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
    sum += t - cm_be_model_cycles(a->f, a->p[i].s, (double)a->p[i].storage_bytes);
    n++;
  }
  a->f->T_overhead = n > 0 ? sum / n : 0;
  double e = 0, td = a->f->t_dense > 0 ? a->f->t_dense : 1;
  for (size_t i = 0; i < a->n; i++) {
    double t = (double)a->p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (cm_be_model_cycles(a->f, a->p[i].s, (double)a->p[i].storage_bytes) - t) / td;
    e += r * r;
  }
  return e;
}

/* RMS of the model's error relative to each measured point. */
static double rms_rel(const cm_be_fit *f, const cm_be_point *p, size_t n) {
  double e = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    double t = (double)p[i].sparse_cycles;
    if (t <= 0) continue;
    double r = (cm_be_model_cycles(f, p[i].s, (double)p[i].storage_bytes) - t) / t;
    e += r * r;
    k++;
  }
  return k ? sqrt(e / (double)k) : 0;
}

/* T_sparse(s) - T_dense with storage interpolated between the points. */
typedef struct {
  const cm_be_fit *f;
  const cm_be_point *p;
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
  return cm_be_model_cycles(a->f, s, st) - a->f->t_dense;
}

void cm_be_fit_model(const cm_be_point *p, size_t n, double step, cm_be_fit *f,
                     double *model_cycles) {
  gsl_set_error_handler_off();
  f->P = f->t_dense > 0 ? f->F / f->t_dense : 1;
  /* coarse scan of log P_eff over P/10^4 .. 10 P (201 points, 0.025
   * decades apart), then Brent between the best one's neighbours */
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
  double sstep = (hi - lo) / 200.0, xa = best - sstep, xb = best + sstep;
  gsl_function fn = {sse, &a};
  gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (m && usable >= 2 && sse(best, &a) < sse(xa, &a) && sse(best, &a) < sse(xb, &a) &&
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
  sse(best, &a); /* sets P_eff and T_overhead */
  for (size_t i = 0; model_cycles && i < n; i++)
    model_cycles[i] = cm_be_model_cycles(f, p[i].s, (double)p[i].storage_bytes);
  f->fit_rms_rel_err = rms_rel(f, p, n);

  /* measured break-even: the speedup first above 1, linear between points */
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
  double stepw = step > 0 ? step : 1;
  f->agree = (isnan(f->s_model) && isnan(f->s_sim)) ||
             (!isnan(f->s_model) && !isnan(f->s_sim) &&
              fabs(f->s_model - f->s_sim) <= stepw + 1e-9);
}
