/*
 * em_checked.h - overflow-checked 64-bit arithmetic for every count.
 *
 * Counters in emlsim are uint64_t and never wrap: each helper returns false
 * (and leaves *out untouched) when the exact result does not fit.  Built on
 * the compiler's __builtin_*_overflow, which GCC and Clang both provide.
 */
#ifndef EM_CHECKED_H
#define EM_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

static inline bool em_mul_u64(uint64_t a, uint64_t b, uint64_t *out) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}

static inline bool em_add_u64(uint64_t a, uint64_t b, uint64_t *out) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}

/* Product of n factors; false on overflow. n == 0 gives 1. */
static inline bool em_mul_n_u64(const uint64_t *f, int n, uint64_t *out) {
  uint64_t r = 1;
  for (int i = 0; i < n; i++)
    if (!em_mul_u64(r, f[i], &r)) return false;
  *out = r;
  return true;
}

/* ceil(a / b) for b > 0, without the overflow of (a + b - 1) / b. */
static inline uint64_t em_ceil_div_u64(uint64_t a, uint64_t b) {
  return a / b + (a % b != 0);
}

#endif
