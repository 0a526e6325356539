/*
 * cm_quant.c - uniform quantizer arithmetic (cm_quant.h), after the study
 * book's "Fundamentals of Quantization":
 *   q = clip(round(x/s + z), q_min, q_max),  x_hat = (q - z) * s.
 * Ranges come from GSL: gsl_stats_minmax for min/max calibration, and
 * gsl_sort + gsl_stats_quantile_from_sorted_data for percentiles (GSL's
 * quantile interpolates linearly between order statistics:
 * q(f) = (1-delta)*x[i] + delta*x[i+1], i = floor((n-1)f), delta = (n-1)f - i).
 * Rounding is half away from zero (C round()).
 */
#include "cm_quant.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static em_status check_cfg(const cm_qconfig *cfg, em_diag *d) {
  if (cfg->bits < 2 || cfg->bits > 32)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "quantizer width must be in [2, 32] bits, got %u", cfg->bits);
  if (cfg->calib == CM_CALIB_PERCENTILE && !(cfg->percentile > 50.0 && cfg->percentile <= 100.0))
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "calibration percentile must be in (50, 100], got %g", cfg->percentile);
  return EM_OK;
}

/* The calibrated range of x: [lo, hi] (asymmetric) or [0, max|x|] in hi
 * (symmetric). `work` has room for n doubles. */
static void calibrate(const double *x, size_t n, const cm_qconfig *cfg, double *work,
                      double *lo, double *hi) {
  bool sym = cfg->scheme == CM_Q_SYMMETRIC;
  if (cfg->calib == CM_CALIB_MINMAX) {
    double mn, mx;
    gsl_stats_minmax(&mn, &mx, x, 1, n);
    *lo = mn;
    *hi = mx;
    if (sym) {
      *hi = fmax(fabs(mn), fabs(mx));
      *lo = 0;
    }
    return;
  }
  double f = cfg->percentile / 100.0;
  for (size_t i = 0; i < n; i++) work[i] = sym ? fabs(x[i]) : x[i];
  gsl_sort(work, 1, n);
  *hi = gsl_stats_quantile_from_sorted_data(work, 1, n, f);
  *lo = sym ? 0 : gsl_stats_quantile_from_sorted_data(work, 1, n, 1.0 - f);
}

static void params_from_range(double lo, double hi, const cm_qconfig *cfg, cm_qparams *qp) {
  if (cfg->scheme == CM_Q_SYMMETRIC) {
    qp->qmax = ((int64_t)1 << (cfg->bits - 1)) - 1;
    qp->qmin = -qp->qmax;
    qp->zero_point = 0;
    qp->scale = hi > 0 ? hi / (double)qp->qmax : 1.0;
    return;
  }
  qp->qmin = 0;
  qp->qmax = ((int64_t)1 << cfg->bits) - 1;
  /* The range must contain 0 so that 0 is exactly representable. */
  if (lo > 0) lo = 0;
  if (hi < 0) hi = 0;
  double span = hi - lo;
  qp->scale = span > 0 ? span / (double)(qp->qmax - qp->qmin) : 1.0;
  double z = round((double)qp->qmin - lo / qp->scale);
  if (z < (double)qp->qmin) z = (double)qp->qmin;
  if (z > (double)qp->qmax) z = (double)qp->qmax;
  qp->zero_point = (int64_t)z;
}

em_status cm_qparams_compute(const double *x, size_t n, const cm_qconfig *cfg, cm_qparams *out,
                             em_diag *d) {
  em_status st = check_cfg(cfg, d);
  if (st != EM_OK) return st;
  if (n == 0) return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "cannot calibrate 0 values");
  double *work = NULL;
  if (cfg->calib == CM_CALIB_PERCENTILE) {
    work = malloc(n * sizeof *work);
    if (!work) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  double lo, hi;
  calibrate(x, n, cfg, work, &lo, &hi);
  free(work);
  params_from_range(lo, hi, cfg, out);
  return EM_OK;
}

em_status cm_qparams_per_channel(const double *x, size_t channels, size_t per_channel,
                                 const cm_qconfig *cfg, cm_qparams *out, em_diag *d) {
  if (channels == 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "per-channel calibration of 0 channels");
  for (size_t c = 0; c < channels; c++) {
    em_status st = cm_qparams_compute(x + c * per_channel, per_channel, cfg, &out[c], d);
    if (st != EM_OK) return st;
  }
  return EM_OK;
}

int64_t cm_quantize(double x, const cm_qparams *qp) {
  double q = round(x / qp->scale) + (double)qp->zero_point;
  if (!(q >= (double)qp->qmin)) return qp->qmin; /* also catches NaN */
  if (q > (double)qp->qmax) return qp->qmax;
  return (int64_t)q;
}

double cm_dequantize(int64_t q, const cm_qparams *qp) {
  return (double)(q - qp->zero_point) * qp->scale;
}

double cm_sqnr_db(const double *x, size_t n, const cm_qparams *qp) {
  double sig = 0, noise = 0;
  for (size_t i = 0; i < n; i++) {
    double e = x[i] - cm_dequantize(cm_quantize(x[i], qp), qp);
    sig += x[i] * x[i];
    noise += e * e;
  }
  if (noise == 0) return INFINITY;
  return 10.0 * log10(sig / noise);
}
