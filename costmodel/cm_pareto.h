/*
 * cm_pareto.h - Pareto fronts of design points, every objective minimized
 * (negate or complement one to maximize it: error = 1 - accuracy).
 *
 * A point is on the front when no other point is at least as good in every
 * objective and better in one; points equal in every objective are all on
 * it or all off it. Two objectives take O(n log n) (sort by the first, sweep
 * the second); more take O(n^2 k).
 */
#ifndef CM_PARETO_H
#define CM_PARETO_H

#include <stddef.h>
#include <stdint.h>

/* v holds n points of k objectives, row-major (v[i*k + j]); skip, when not
 * NULL, marks points to leave out (off the front, and dominating nothing).
 * front[i] gets 1 or 0. Returns 0, or -1 when out of memory. */
int cm_pareto_front(const double *v, size_t n, size_t k, const uint8_t *skip, uint8_t *front);

#endif
