/*
 * em_pool.h - the one thread pool: a parallel loop over n independent items
 * (the study's GPU layers, a sweep's design points) on `jobs` threads.
 *
 * Items are handed out one at a time in index order; each worker has an
 * index of its own (0 .. jobs-1) for per-thread state (a simulator object).
 * Results go to per-item slots the caller owns, so what is computed does
 * not depend on `jobs`. The first failure stops the hand-out; the error
 * reported is the one of the lowest failing item, so it does not depend on
 * `jobs` either.
 */
#ifndef EM_POOL_H
#define EM_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

/* Work on item i by worker w; fills d on failure. */
typedef em_status (*em_pool_fn)(void *ctx, size_t i, unsigned w, em_diag *d);

/* Runs fn on items 0 .. n-1 on `jobs` threads (at least 1; the calling
 * thread is one of them). `done`, when not NULL, counts finished items as
 * they finish (read it under no lock for a progress display). Returns
 * EM_OK, or the failing item's status with its diagnostic in d. */
em_status em_pool_run(unsigned jobs, size_t n, em_pool_fn fn, void *ctx,
                      volatile uint64_t *done, em_diag *d);

#endif
