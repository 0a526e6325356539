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

/* ---- host memory ----
 * What a run's models may hold in host memory, all threads together: 16 GiB,
 * or the environment's EMLSIM_HOST_MEMORY, a size in bytes with an optional
 * K, M, G or T suffix (powers of 1024), in [1M, 1T].  A model that alone
 * needs more is refused before it allocates (the SIMT GPU, a systolic
 * layer), and a command's --jobs is lowered so that its threads' models fit
 * together: the figures do not depend on --jobs, only the time does. */
#define EM_HOST_BYTES_DEFAULT (16ull << 30)
#define EM_HOST_ENV "EMLSIM_HOST_MEMORY"

/* The budget: EMLSIM_HOST_MEMORY where it is a valid size, else the default. */
uint64_t em_host_budget(void);
/* Checks EMLSIM_HOST_MEMORY where it is set: EM_ERR_RANGE with the reason
 * for a value that is not a size in [1M, 1T] (the program's start asks). */
em_status em_host_budget_check(em_diag *d);
/* b bytes as text for a message: "52.0 MiB", "48.8 GiB", "512 B". */
void em_bytes_text(uint64_t b, char *buf, size_t n);
/* How many of `jobs` threads may each hold `each` bytes within the
 * budget: jobs or fewer, at least 1 (one
 * model over the budget is the model's to refuse). */
unsigned em_pool_jobs_within(unsigned jobs, uint64_t each);

#endif
