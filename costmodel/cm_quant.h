/*
 * cm_quant.h - uniform quantizer arithmetic (study book, "Fundamentals of
 * Quantization").
 *
 *   q = clip(round(x/s + z), q_min, q_max),   x_hat = (q - z) * s
 *   symmetric:  z = 0, s = max|x| / q_max, q in [-(2^(b-1) - 1), 2^(b-1) - 1]
 *               (restricted range, so that -q_max and q_max are symmetric)
 *   asymmetric: s = (x_max - x_min) / (q_max - q_min),
 *               z = round(q_min - x_min / s), q in [0, 2^b - 1]
 * Calibration picks the range: min/max, or percentiles (p and 100-p) of the
 * data.  Per-tensor uses the whole tensor; per-channel one range per slice
 * along the leading dimension.  Statistics and percentiles come from GSL.
 */
#ifndef CM_QUANT_H
#define CM_QUANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

typedef enum { CM_Q_SYMMETRIC, CM_Q_ASYMMETRIC } cm_qscheme;
typedef enum { CM_CALIB_MINMAX, CM_CALIB_PERCENTILE } cm_calib;

typedef struct {
  double scale;
  int64_t zero_point;
  int64_t qmin, qmax;
} cm_qparams;

typedef struct {
  unsigned bits;     /* 2..32 (1-bit is binary: see cm_binarize) */
  cm_qscheme scheme;
  cm_calib calib;
  double percentile; /* for CM_CALIB_PERCENTILE, e.g. 99.99 */
} cm_qconfig;

/* Parameters for n values. EM_ERR_INVALID for n == 0, bits out of range, a
 * percentile outside (50, 100]. An all-zero tensor gets scale 1. */
em_status cm_qparams_compute(const double *x, size_t n, const cm_qconfig *cfg,
                             cm_qparams *out, em_diag *d);
/* Per-channel: `channels` slices of `per_channel` values each (row-major). */
em_status cm_qparams_per_channel(const double *x, size_t channels, size_t per_channel,
                                 const cm_qconfig *cfg, cm_qparams *out, em_diag *d);

int64_t cm_quantize(double x, const cm_qparams *qp);
double cm_dequantize(int64_t q, const cm_qparams *qp);

/* Signal-to-quantization-noise ratio in dB of quantizing x with qp:
 * 10*log10(sum x^2 / sum (x - x_hat)^2); +inf when exact. */
double cm_sqnr_db(const double *x, size_t n, const cm_qparams *qp);

#endif
