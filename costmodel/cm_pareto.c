/* cm_pareto.c - Pareto fronts (cm_pareto.h). */
#include "cm_pareto.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  double a, b;
  size_t i;
} pt2;

static int cmp2(const void *x, const void *y) {
  const pt2 *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  return (p->i > q->i) - (p->i < q->i);
}

static int dominates(const double *p, const double *q, size_t k) {
  int better = 0;
  for (size_t j = 0; j < k; j++) {
    if (p[j] > q[j]) return 0;
    if (p[j] < q[j]) better = 1;
  }
  return better;
}

typedef struct {
  double a, b, c;
  size_t i, rb; /* rb: rank of b among the distinct b values, from 1 */
} pt3;

static int cmp3(const void *x, const void *y) {
  const pt3 *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  if (p->c != q->c) return p->c < q->c ? -1 : 1;
  return (p->i > q->i) - (p->i < q->i);
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Three objectives in O(n log n) (the sweep's latency, energy, area over a
 * million points would take O(n^2) = 10^12 steps): in order of (a, b, c), a
 * point is dominated exactly when a point before it, not an exact copy, has
 * b and c no larger; a Fenwick tree over b's ranks keeps the least c of the
 * points seen so far up to each rank. Exact copies are inserted together
 * after their test, so they share their fate. */
static int front3(const double *v, size_t n, const uint8_t *skip, uint8_t *front) {
  pt3 *p = malloc((n ? n : 1) * sizeof *p);
  double *bs = malloc((n ? n : 1) * sizeof *bs), *tree = NULL;
  size_t m = 0, nb = 0;
  if (!p || !bs) goto fail;
  for (size_t i = 0; i < n; i++)
    if (!skip || !skip[i]) {
      p[m] = (pt3){v[3 * i], v[3 * i + 1], v[3 * i + 2], i, 0};
      bs[m++] = v[3 * i + 1];
    }
  qsort(bs, m, sizeof *bs, cmp_double);
  for (size_t i = 0; i < m; i++)
    if (nb == 0 || bs[i] != bs[nb - 1]) bs[nb++] = bs[i];
  for (size_t i = 0; i < m; i++) { /* rank by binary search */
    size_t lo = 0, hi = nb;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (bs[mid] <= p[i].b) lo = mid;
      else hi = mid;
    }
    p[i].rb = lo + 1;
  }
  qsort(p, m, sizeof *p, cmp3);
  tree = malloc((nb + 1) * sizeof *tree);
  if (!tree) goto fail;
  for (size_t i = 0; i <= nb; i++) tree[i] = INFINITY;
  for (size_t g = 0; g < m;) {
    size_t e = g + 1; /* [g, e): exact copies */
    while (e < m && p[e].a == p[g].a && p[e].b == p[g].b && p[e].c == p[g].c) e++;
    double least = INFINITY;
    for (size_t r = p[g].rb; r > 0; r -= r & (~r + 1))
      if (tree[r] < least) least = tree[r];
    for (size_t i = g; i < e; i++) front[p[i].i] = (uint8_t)!(least <= p[g].c);
    for (size_t r = p[g].rb; r <= nb; r += r & (~r + 1))
      if (p[g].c < tree[r]) tree[r] = p[g].c;
    g = e;
  }
  free(tree);
  free(bs);
  free(p);
  return 0;
fail:
  free(tree);
  free(bs);
  free(p);
  return -1;
}

int cm_pareto_front(const double *v, size_t n, size_t k, const uint8_t *skip, uint8_t *front) {
  for (size_t i = 0; i < n; i++) front[i] = 0;
  if (k == 3) return front3(v, n, skip, front);
  if (k == 2) {
    pt2 *p = malloc((n ? n : 1) * sizeof *p);
    if (!p) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (!skip || !skip[i]) p[m++] = (pt2){v[2 * i], v[2 * i + 1], i};
    qsort(p, m, sizeof *p, cmp2);
    /* in order of the first objective, a point is on the front when its
     * second beats every point before it; an exact copy of a front point
     * is on it too */
    double best = INFINITY;
    for (size_t i = 0; i < m; i++) {
      int dup = i > 0 && p[i].a == p[i - 1].a && p[i].b == p[i - 1].b && front[p[i - 1].i];
      if (p[i].b < best || dup) front[p[i].i] = 1;
      if (p[i].b < best) best = p[i].b;
    }
    free(p);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (skip && skip[i]) continue;
    int dominated = 0;
    for (size_t q = 0; q < n && !dominated; q++)
      if (q != i && (!skip || !skip[q]) && dominates(v + q * k, v + i * k, k)) dominated = 1;
    front[i] = (uint8_t)!dominated;
  }
  return 0;
}

/* Whether p dominates q with objective 0 counted equal when `tie`. */
static int dominates_tied(const double *p, const double *q, size_t k, int tie) {
  int better = 0;
  for (size_t j = tie ? 1 : 0; j < k; j++) {
    if (p[j] > q[j]) return 0;
    if (p[j] < q[j]) better = 1;
  }
  return better;
}

void cm_pareto_front_tied(const double *v, size_t n, size_t k, const uint8_t *skip,
                          const uint8_t *tied, uint8_t *front, size_t *by) {
  for (size_t i = 0; i < n; i++) {
    front[i] = 0;
    if (skip && skip[i]) continue;
    int dominated = 0;
    for (size_t q = 0; q < n && !dominated; q++)
      if (q != i && (!skip || !skip[q]) &&
          dominates_tied(v + q * k, v + i * k, k, tied[i * n + q] != 0))
        dominated = 1;
    front[i] = (uint8_t)!dominated;
  }
  if (!by) return;
  /* a dominator on the front where there is one (ties need not be
   * transitive, so a point's every dominator may be off it), then the one
   * with the least objective 1, then the least index */
  for (size_t i = 0; i < n; i++) {
    by[i] = SIZE_MAX;
    if ((skip && skip[i]) || front[i]) continue;
    for (size_t q = 0; q < n; q++) {
      if (q == i || (skip && skip[q]) ||
          !dominates_tied(v + q * k, v + i * k, k, tied[i * n + q] != 0))
        continue;
      size_t b = by[i];
      if (b == SIZE_MAX || front[q] > front[b] ||
          (front[q] == front[b] && k > 1 && v[q * k + 1] < v[b * k + 1]))
        by[i] = q;
    }
  }
}
