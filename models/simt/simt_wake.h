/*
 * simt_wake.h - the SMs' wake-up calendar of the SIMT model's run loop.
 *
 * Each SM has a next wake-up time (core cycles; SIMT_WAKE_NEVER: none).  The
 * run loop steps, at a cycle, the SMs whose time has come, in index order;
 * the calendar hands it those SMs without a look at the others.  It is a
 * timing wheel (Varghese and Lauck, SOSP 1987) of SIMT_WAKE_SLOTS cycles,
 * one bit per SM per cycle, with lazy deletion: lowering a time adds a bit
 * at the new cycle and leaves the old one, which the caller drops when it
 * finds the SM's time later than the bit's cycle.  Times past the wheel's
 * end wait in a "far" set until the wheel reaches them.
 *
 * Invariant: an SM whose time t is not SIMT_WAKE_NEVER has a bit at cycle
 * max(t, base at the time it was put) in the wheel, in the far set, or (at
 * most base) in the soon set.
 * Whoever changes at[] puts the new time (simt_wakeq_lower does; the run loop
 * puts an SM's time after stepping it).
 */
#ifndef SIMT_WAKE_H
#define SIMT_WAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIMT_WAKE_NEVER UINT64_MAX
/* Cycles the wheel covers: a power of two, past the few hundred cycles of a
 * DRAM round trip (TITAN V: 313 + L2's 210) that most wake-ups are ahead. */
#define SIMT_WAKE_SLOTS 1024u
#define SIMT_WAKE_SM_MAX 4096u /* SMs at most: simt_config's range of n_sm */

typedef struct {
  uint64_t *at;       /* per SM: its next wake-up time */
  uint64_t least;     /* no SM wakes before this (a lower bound) */
  uint64_t base;      /* the wheel's first cycle: those before it are drained */
  uint64_t far_least; /* no far SM wakes before this (a lower bound) */
  uint64_t *slot;     /* SIMT_WAKE_SLOTS x nw words: bit i of slot c % SLOTS, SM i at c */
  uint64_t *used;     /* SIMT_WAKE_SLOTS / 64 words: bit s, slot s has a bit */
  uint64_t *far;      /* nw words: SMs whose time was past the wheel when put */
  uint32_t n_sm, nw;  /* SMs, and 64-bit words per SM set */
  /* SMs due at the wheel's first cycle (the next drain), apart from its
   * slot and in place: the common case, an SM that steps again next cycle */
  uint64_t soon[SIMT_WAKE_SM_MAX / 64];
} simt_wakeq;

/* Allocates a calendar of n_sm SMs (at most SIMT_WAKE_SM_MAX), then resets
 * it.  Returns false when out of memory or n_sm is out of range
 * (simt_wakeq_free cleans up either way). */
bool simt_wakeq_init(simt_wakeq *q, uint32_t n_sm);
void simt_wakeq_free(simt_wakeq *q);
/* Every SM without a time, the wheel at cycle 0. */
void simt_wakeq_reset(simt_wakeq *q);

/* Puts SM sm's time t (not SIMT_WAKE_NEVER) in the wheel; a time before the
 * wheel's first cycle goes to that cycle (the SM is due there). */
static inline void simt_wakeq_put(simt_wakeq *q, uint32_t sm, uint64_t t) {
  uint64_t *w;
  if (t <= q->base) {
    q->soon[sm / 64] |= 1ull << (sm % 64);
    return;
  }
  if (t - q->base < SIMT_WAKE_SLOTS) {
    uint32_t s = (uint32_t)t & (SIMT_WAKE_SLOTS - 1u);
    w = q->slot + (size_t)s * q->nw;
    q->used[s / 64] |= 1ull << (s % 64);
  } else {
    w = q->far;
    if (t < q->far_least) q->far_least = t;
  }
  w[sm / 64] |= 1ull << (sm % 64);
}

/* SM sm wakes at t at the latest (a load's data came, miss entries freed):
 * lowers its time and the least time to t. */
static inline void simt_wakeq_lower(simt_wakeq *q, uint32_t sm, uint64_t t) {
  if (t < q->least) q->least = t;
  if (t < q->at[sm]) {
    q->at[sm] = t;
    simt_wakeq_put(q, sm, t);
  }
}

/* Moves the wheel on to now + 1 (now >= its first cycle): due[nw] gets the
 * SMs with a bit at a cycle up to now, a superset of those whose time is
 * now or before (the caller checks at[]). */
void simt_wakeq_drain(simt_wakeq *q, uint64_t now, uint64_t *restrict due);

/* A lower bound of the first cycle from the wheel's first on at which an
 * SM's time comes, SIMT_WAKE_NEVER if none: the first cycle with a bit that
 * is not stale, or the wheel's first cycle while it has a bit (far SMs
 * count at far_least, a lower bound).  Drops the stale bits it passes. */
uint64_t simt_wakeq_next(simt_wakeq *q);

#endif
