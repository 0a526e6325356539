/*
 * test_simt_wake.c - the SMs' wake-up calendar (simt_wake.h) against its
 * definition: at a cycle, the SMs due are those whose time is that cycle or
 * earlier, which a scan of every SM's time finds.  Hand cases (a stale bit
 * after a lowered time, a time past the wheel, the next cycle's set) and a
 * seeded random run of lowerings and steps checked cycle by cycle against
 * the scan, with jumps over idle cycles and past the wheel's length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "simt_wake.h"

#define N_SM 80u
#define NW ((N_SM + 63) / 64)

/* The SMs due at now by the calendar (its superset, filtered by at[] as the
 * run loop filters it), as a bit set. */
static void due_by_calendar(simt_wakeq *q, uint64_t now, uint64_t *out) {
  uint64_t due[SIMT_WAKE_SM_MAX / 64];
  simt_wakeq_drain(q, now, due);
  for (uint32_t k = 0; k < NW; k++) {
    out[k] = 0;
    for (uint64_t b = due[k]; b; b &= b - 1) {
      uint32_t i = k * 64 + (uint32_t)__builtin_ctzll(b);
      if (q->at[i] <= now) out[k] |= 1ull << (i % 64);
    }
  }
}

static void test_hand(void **state) {
  (void)state;
  simt_wakeq q;
  assert_true(simt_wakeq_init(&q, N_SM));
  simt_wakeq_lower(&q, 3, 5);
  simt_wakeq_lower(&q, 70, 5);
  simt_wakeq_lower(&q, 10, 7);
  assert_int_equal(q.least, 5);
  assert_int_equal(simt_wakeq_next(&q), 5);
  uint64_t d[NW];
  due_by_calendar(&q, 4, d); /* cycles 0..4: nobody */
  assert_int_equal(d[0], 0);
  assert_int_equal(d[1], 0);
  due_by_calendar(&q, 5, d);
  assert_int_equal(d[0], 1ull << 3);
  assert_int_equal(d[1], 1ull << (70 - 64));
  /* SM 3 stepped: no time; SM 10 lowered to 6 leaves a stale bit at 7 */
  q.at[3] = q.at[70] = SIMT_WAKE_NEVER;
  simt_wakeq_lower(&q, 10, 6);
  assert_int_equal(simt_wakeq_next(&q), 6);
  due_by_calendar(&q, 6, d);
  assert_int_equal(d[0], 1ull << 10);
  q.at[10] = SIMT_WAKE_NEVER; /* stepped at 6, no time: the bit at 7 is stale */
  assert_int_equal(simt_wakeq_next(&q), 7); /* a bit at the first cycle: a lower bound */
  due_by_calendar(&q, 7, d);
  assert_int_equal(d[0], 0);
  assert_int_equal(simt_wakeq_next(&q), SIMT_WAKE_NEVER);
  /* past the wheel: far, then moved in when the wheel reaches it */
  uint64_t far_t = 7 + 3 * SIMT_WAKE_SLOTS + 11;
  simt_wakeq_lower(&q, 42, far_t);
  assert_int_equal(simt_wakeq_next(&q), far_t);
  due_by_calendar(&q, far_t - 1, d);
  assert_int_equal(d[0], 0);
  due_by_calendar(&q, far_t, d);
  assert_int_equal(d[0], 1ull << 42);
  q.at[42] = SIMT_WAKE_NEVER;
  /* a time at or before the wheel's first cycle: due at the next drain */
  simt_wakeq_lower(&q, 0, far_t); /* before the wheel's first cycle (far_t + 1) */
  assert_int_equal(simt_wakeq_next(&q), far_t + 1);
  due_by_calendar(&q, far_t + 500, d);
  assert_int_equal(d[0], 1ull);
  simt_wakeq_free(&q);
}

static uint64_t rng_next(uint64_t *s) { /* xorshift64: a fixed seed, no libc state */
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static void test_against_scan(void **state) {
  (void)state;
  simt_wakeq q;
  assert_true(simt_wakeq_init(&q, N_SM));
  uint64_t seed = 0x9e3779b97f4a7c15ull, now = 0;
  for (int step = 0; step < 20000; step++) {
    /* the scan: every SM whose time has come */
    uint64_t want[NW] = {0}, least = SIMT_WAKE_NEVER;
    for (uint32_t i = 0; i < N_SM; i++) {
      if (q.at[i] <= now) want[i / 64] |= 1ull << (i % 64);
      if (q.at[i] < least) least = q.at[i];
    }
    uint64_t got[NW];
    due_by_calendar(&q, now, got);
    for (uint32_t k = 0; k < NW; k++) assert_int_equal(got[k], want[k]);
    /* the due SMs step: a new time (often the next cycle, sometimes far,
     * sometimes none), put after all have stepped, as the run loop does */
    for (uint32_t i = 0; i < N_SM; i++) {
      if (!(got[i / 64] >> (i % 64) & 1)) continue;
      uint64_t r = rng_next(&seed) % 16, t;
      if (r < 8) t = now + 1;
      else if (r < 13) t = now + 1 + rng_next(&seed) % 300;
      else if (r < 15) t = now + 1 + rng_next(&seed) % (4 * SIMT_WAKE_SLOTS);
      else t = SIMT_WAKE_NEVER;
      q.at[i] = t;
      if (t != SIMT_WAKE_NEVER) simt_wakeq_put(&q, i, t);
    }
    /* the memory lowers a few times (before or after the SM's own) */
    for (int n = (int)(rng_next(&seed) % 4); n > 0; n--)
      simt_wakeq_lower(&q, (uint32_t)(rng_next(&seed) % N_SM), now + 1 + rng_next(&seed) % 500);
    /* the next cycle: one the calendar may name early, never late */
    least = SIMT_WAKE_NEVER;
    for (uint32_t i = 0; i < N_SM; i++)
      if (q.at[i] < least) least = q.at[i];
    uint64_t nx = simt_wakeq_next(&q);
    assert_true(nx <= (least > now + 1 ? least : now + 1));
    if (least == SIMT_WAKE_NEVER) {
      /* nothing to wake: start every SM again some cycles on */
      now += 1 + rng_next(&seed) % 3000;
      for (uint32_t i = 0; i < N_SM; i += 7) simt_wakeq_lower(&q, i, now + i % 5);
    } else {
      now = nx > now ? nx : now + 1;
    }
  }
  simt_wakeq_free(&q);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand),
      cmocka_unit_test(test_against_scan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
