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

int cm_pareto_front(const double *v, size_t n, size_t k, const uint8_t *skip, uint8_t *front) {
  for (size_t i = 0; i < n; i++) front[i] = 0;
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
