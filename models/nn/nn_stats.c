/*
 * nn_stats.c - McNemar's exact test (nn_stats.h), on GSL's binomial CDF.
 */
#include "nn_stats.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

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
