/*
 * nn_stats.h - how far two accuracies measured on the same test images can
 * be told apart: McNemar's exact test on the images one classifier gets
 * right and the other wrong.
 *
 * Two widths of one network evaluated on the same N images differ only on
 * the discordant images: b that the first gets right and the second wrong,
 * c the other way (the accuracies differ by (c - b) / N).  Under the null
 * hypothesis that both are equally accurate, each discordant image is a
 * fair coin: given b + c, b ~ Binomial(b + c, 1/2).  The exact two-sided
 * p-value is min(1, 2 P(X <= min(b, c))) (McNemar, Psychometrika 12, 1947;
 * the exact form as in Fagerland, Lydersen and Laake, BMC Medical Research
 * Methodology 13:91, 2013).  Paired, it sees far smaller differences than
 * two independent accuracies' standard errors would (0.36 point each at
 * 84 % on 10,000 images), because the images both get right or both wrong
 * carry no noise between them.
 */
#ifndef NN_STATS_H
#define NN_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The fraction of n images that `right` of them is, as every accuracy here
 * is computed (0 for no images); NAN for right = SIZE_MAX, the counting
 * functions' out of memory (nn_cnn_correct, nn_mlp_correct, nn_qcorrect). */
double nn_fraction(size_t right, size_t n);

/* The exact two-sided McNemar p-value for b and c discordant images, in
 * [0, 1]; 1 when there are none. */
double nn_mcnemar_p(uint64_t b, uint64_t c);

/* The discordant counts of two per-image outcomes (1: right, 0: wrong) over
 * n images: *b right in x and wrong in y, *c the other way. */
void nn_discordant(const uint8_t *x, const uint8_t *y, size_t n, uint64_t *b, uint64_t *c);

/* McNemar's test between every two of n per-image outcome vectors (out[i],
 * nt images each): p (n x n, row-major) gets each pair's p-value, 1 on the
 * diagonal; only (n x n), when not NULL, the images out[i] gets right and
 * out[j] wrong, 0 on the diagonal. */
void nn_mcnemar_pairs(const uint8_t *const *out, size_t n, size_t nt, double *p, uint64_t *only);

/* The confidence interval, at `level` (0.95: 95 %), of the accuracy
 * difference (c - b) / n of two networks on the same n images, b of them
 * right in the first alone and c in the second alone: the exact conditional
 * interval that inverts the test nn_mcnemar_p makes.  Given the b + c
 * discordant images, c ~ Binomial(b + c, theta) and the difference is
 * (b + c) / n x (2 theta - 1); theta's Clopper-Pearson interval (Clopper and
 * Pearson, Biometrika 26, 1934) mapped through that gives the interval,
 * which leaves out 0 exactly when nn_mcnemar_p(b, c) <= 1 - level (past
 * 2^32 discordant images, where nn_mcnemar_p takes the chi-square form,
 * nearly so).  Conditional, as the test is, on the number of discordant
 * images (their own spread is not in it): [0, 0] when there are none.
 * *lo = *hi = NAN for n = 0, b + c > n or a level outside (0, 1). */
void nn_paired_diff_ci(uint64_t b, uint64_t c, uint64_t n, double level, double *lo, double *hi);

#endif
