/*
 * simt_wake.c - the SMs' wake-up calendar (simt_wake.h): a timing wheel of
 * SIMT_WAKE_SLOTS cycles with one bit per SM per cycle, a summary bit per
 * slot, and a far set for times past the wheel.  Times are core cycles.
 * A speed structure only: it gives the run loop the same SMs at the same
 * cycles as a scan of every SM's time would.
 */
#include "simt_wake.h"

#include <stdlib.h>
#include <string.h>

#define MASK (SIMT_WAKE_SLOTS - 1u)
#define USED_WORDS (SIMT_WAKE_SLOTS / 64u)

bool simt_wakeq_init(simt_wakeq *q, uint32_t n_sm) {
  memset(q, 0, sizeof *q);
  q->n_sm = n_sm;
  q->nw = (n_sm + 63) / 64;
  q->at = malloc((size_t)n_sm * sizeof *q->at);
  q->slot = malloc((size_t)SIMT_WAKE_SLOTS * q->nw * sizeof *q->slot);
  q->used = malloc(USED_WORDS * sizeof *q->used);
  q->far = malloc((size_t)q->nw * sizeof *q->far);
  if (!q->at || !q->slot || !q->used || !q->far || n_sm > SIMT_WAKE_SM_MAX) return false;
  simt_wakeq_reset(q);
  return true;
}

void simt_wakeq_free(simt_wakeq *q) {
  free(q->at);
  free(q->slot);
  free(q->used);
  free(q->far);
  memset(q, 0, sizeof *q);
}

void simt_wakeq_reset(simt_wakeq *q) {
  for (uint32_t i = 0; i < q->n_sm; i++) q->at[i] = SIMT_WAKE_NEVER;
  memset(q->slot, 0, (size_t)SIMT_WAKE_SLOTS * q->nw * sizeof *q->slot);
  memset(q->used, 0, USED_WORDS * sizeof *q->used);
  memset(q->far, 0, (size_t)q->nw * sizeof *q->far);
  memset(q->soon, 0, sizeof q->soon);
  q->least = q->far_least = SIMT_WAKE_NEVER;
  q->base = 0;
}

void simt_wakeq_drain(simt_wakeq *q, uint64_t now, uint64_t *restrict due) {
  uint32_t nw = q->nw;
  if (now == q->base && q->far_least > now + SIMT_WAKE_SLOTS) {
    /* the common case: the next cycle, one slot, nothing far to move */
    uint32_t s = (uint32_t)now & MASK;
    uint64_t bit = 1ull << (s % 64), *w = q->slot + (size_t)s * nw;
    q->base = now + 1;
    if (!(q->used[s / 64] & bit)) {
      for (uint32_t k = 0; k < nw; k++) {
        due[k] = q->soon[k];
        q->soon[k] = 0;
      }
      return;
    }
    q->used[s / 64] &= ~bit;
    for (uint32_t k = 0; k < nw; k++) {
      due[k] = q->soon[k] | w[k];
      q->soon[k] = 0;
      w[k] = 0;
    }
    return;
  }
  for (uint32_t k = 0; k < nw; k++) {
    due[k] = q->soon[k];
    q->soon[k] = 0;
  }
  /* the slots of cycles base .. now, each at most once round the wheel */
  uint64_t left = now - q->base + 1;
  if (left > SIMT_WAKE_SLOTS) left = SIMT_WAKE_SLOTS;
  uint32_t s = (uint32_t)q->base & MASK;
  while (left) {
    uint32_t wi = s / 64, b = s % 64;
    uint32_t take = 64 - b;
    if (take > left) take = (uint32_t)left;
    uint64_t m = (take == 64 ? ~0ull : (1ull << take) - 1) << b;
    uint64_t hit = q->used[wi] & m;
    q->used[wi] &= ~m;
    for (; hit; hit &= hit - 1) {
      uint64_t *w = q->slot + (size_t)(wi * 64 + (uint32_t)__builtin_ctzll(hit)) * nw;
      for (uint32_t k = 0; k < nw; k++) {
        due[k] |= w[k];
        w[k] = 0;
      }
    }
    left -= take;
    s = (s + take) & MASK;
  }
  q->base = now + 1;
  if (q->far_least < q->base + SIMT_WAKE_SLOTS) { /* the wheel reaches far SMs */
    q->far_least = SIMT_WAKE_NEVER;
    for (uint32_t k = 0; k < nw; k++) {
      uint64_t bits = q->far[k];
      q->far[k] = 0;
      for (; bits; bits &= bits - 1) {
        uint32_t i = k * 64 + (uint32_t)__builtin_ctzll(bits);
        uint64_t t = q->at[i];
        if (t == SIMT_WAKE_NEVER) continue; /* stepped since: no time */
        if (t <= now) due[k] |= 1ull << (i % 64);
        else simt_wakeq_put(q, i, t);
      }
    }
  }
}

uint64_t simt_wakeq_next(simt_wakeq *q) {
  uint32_t nw = q->nw, s0 = (uint32_t)q->base & MASK;
  /* a bit at the first cycle: an SM is due then, or the bit is stale and
   * the cycle is only a lower bound (a cycle stepped for nothing), which
   * costs less than checking it where SMs wake at most cycles */
  uint64_t first = q->base < q->far_least ? q->base : q->far_least;
  if (q->used[s0 / 64] >> (s0 % 64) & 1) return first;
  for (uint32_t k = 0; k < nw; k++)
    if (q->soon[k]) return first;
  /* the used slots in wheel order: from s0's word (bits from s0) round to
   * it again (bits below s0) */
  for (uint32_t n = 0; n <= USED_WORDS; n++) {
    uint32_t wi = (s0 / 64 + n) % USED_WORDS;
    uint64_t bits = q->used[wi];
    if (n == 0) bits &= ~0ull << (s0 % 64);
    else if (n == USED_WORDS) bits &= (1ull << (s0 % 64)) - 1;
    for (; bits; bits &= bits - 1) {
      uint32_t s = wi * 64 + (uint32_t)__builtin_ctzll(bits);
      uint64_t t = q->base + ((s - s0) & MASK);
      if (t >= q->far_least) return q->far_least;
      uint64_t *w = q->slot + (size_t)s * nw;
      for (uint32_t k = 0; k < nw; k++)
        for (uint64_t b = w[k]; b; b &= b - 1) {
          uint32_t i = k * 64 + (uint32_t)__builtin_ctzll(b);
          if (q->at[i] <= t) return t;
          w[k] &= ~(1ull << (i % 64)); /* stale: the SM's time is later */
        }
      q->used[wi] &= ~(1ull << (s % 64));
    }
  }
  return q->far_least;
}
