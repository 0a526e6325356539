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

/* The same front where two points may count as equal in objective 0 though
 * its values differ (a measured figure whose difference is within noise):
 * tied (n x n, row-major, symmetric) marks those pairs.  Point q dominates
 * point i when it is no worse in objectives 1 .. k-1, no worse in
 * objective 0 or tied with i there, and better in one objective (in
 * objective 0 only where not tied).  Two points tied in objective 0 and
 * equal in the others dominate neither the other.  by, when not NULL, gets
 * for each point off the front a point that dominates it: one on the front
 * where there is one (ties need not be transitive, so there may be none),
 * then the least in objective 1, then the least index; SIZE_MAX for a point
 * on the front or skipped.  O(n^2 k). */
void cm_pareto_front_tied(const double *v, size_t n, size_t k, const uint8_t *skip,
                          const uint8_t *tied, uint8_t *front, size_t *by);

#endif
