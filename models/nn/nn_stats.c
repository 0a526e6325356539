/*
 * nn_stats.c - McNemar's exact test and its interval (nn_stats.h), on GSL's
 * binomial and beta CDFs.
 */
#include "nn_stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

double nn_fraction(size_t right, size_t n) {
  if (right == SIZE_MAX) return NAN;
  return n ? (double)right / (double)n : 0;
}

double nn_mcnemar_p(uint64_t b, uint64_t c) {
  uint64_t n = b + c, k = b < c ? b : c;
  if (n == 0) return 1;
  if (n > 0xFFFFFFFFu) {
    /* gsl_cdf_binomial_P takes unsigned int counts; at 4 x 10^9 discordant
     * images the chi-square form with continuity correction is exact to
     * many digits: (|b - c| - 1)^2 / (b + c) on one degree of freedom */
    double d = (double)(b > c ? b - c : c - b) - 1;
    return gsl_cdf_chisq_Q(d > 0 ? d * d / (double)n : 0, 1);
  }
  double p = 2 * gsl_cdf_binomial_P((unsigned)k, 0.5, (unsigned)n);
  return p < 1 ? p : 1;
}

void nn_discordant(const uint8_t *x, const uint8_t *y, size_t n, uint64_t *b, uint64_t *c) {
  *b = *c = 0;
  for (size_t i = 0; i < n; i++) {
    *b += x[i] && !y[i];
    *c += !x[i] && y[i];
  }
}

void nn_mcnemar_pairs(const uint8_t *const *out, size_t n, size_t nt, double *p, uint64_t *only) {
  for (size_t i = 0; i < n; i++) {
    p[i * n + i] = 1;
    if (only) only[i * n + i] = 0;
    for (size_t j = i + 1; j < n; j++) {
      uint64_t b, c;
      nn_discordant(out[i], out[j], nt, &b, &c);
      p[i * n + j] = p[j * n + i] = nn_mcnemar_p(b, c);
      if (only) only[i * n + j] = b, only[j * n + i] = c;
    }
  }
}

/* The q quantile, q below 1/2, of Beta(a, b) by bisection on GSL's CDF, to
 * the last bit: gsl_cdf_beta_Pinv does not return for a and b near 10^6,
 * and gsl_cdf_beta_P is off in the upper tail there (0.999995 for
 * Beta(10^6, 10^6)'s 0.975 quantile, 0.500693); the lower tail, the one
 * asked for here, is right (0.499307). */
static double beta_low_quantile(double q, double a, double b) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 2000; i++) {
    double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (gsl_cdf_beta_P(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

void nn_paired_diff_ci(uint64_t b, uint64_t c, uint64_t n, double level, double *lo, double *hi) {
  *lo = *hi = NAN;
  uint64_t m = b + c;
  if (n == 0 || m < b || m > n || !(level > 0 && level < 1)) return;
  if (m == 0) {
    *lo = *hi = 0;
    return;
  }
  gsl_set_error_handler_off(); /* an underflow in the CDF is not an abort */
  /* theta's Clopper-Pearson bounds: the alpha/2 quantile of Beta(c, b + 1),
   * and the 1 - alpha/2 quantile of Beta(c + 1, b), which is 1 less the
   * alpha/2 quantile of Beta(b, c + 1); 0 and 1 at the ends */
  double a2 = (1 - level) / 2;
  double t_lo = c == 0 ? 0 : beta_low_quantile(a2, (double)c, (double)b + 1);
  double t_hi = b == 0 ? 1 : 1 - beta_low_quantile(a2, (double)b, (double)c + 1);
  double f = (double)m / (double)n;
  *lo = f * (2 * t_lo - 1);
  *hi = f * (2 * t_hi - 1);
}
