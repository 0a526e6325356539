/*
 * mac_arith.h - functional models of the arithmetic units emlsim's RTL
 * implements, bit for bit: the integer MAC, the bit-serial dot product and
 * the XNOR/popcount dot product.  The RTL is checked against these, and
 * quantized inference runs through them, so its accuracy is the hardware's.
 */
#ifndef MAC_ARITH_H
#define MAC_ARITH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of the low `bits` of x as a two's-complement (is_signed) or
 * unsigned number. bits in 1..64.  (Inline: quantized inference runs
 * billions of these.) */
static inline int64_t mac_extend(uint64_t x, unsigned bits, bool is_signed) {
  if (bits >= 64) return (int64_t)x;
  uint64_t mask = (1ull << bits) - 1;
  x &= mask;
  if (is_signed && (x >> (bits - 1)) & 1) return (int64_t)(x | ~mask);
  return (int64_t)x;
}

/* One MAC step: (acc + a*b) mod 2^acc_bits, operands wa / wb bits wide
 * (1..32), signed or not; acc_bits in 1..64. Returns the new accumulator
 * (its low acc_bits, zero-extended), as the RTL register holds it.
 * |a*b| < 2^64 for widths up to 32: the product is exact in 64 bits; the
 * sum wraps modulo 2^64 and then modulo 2^acc_bits, as the register does. */
static inline uint64_t mac_step(uint64_t acc, uint32_t a, uint32_t b, unsigned wa, unsigned wb,
                                bool is_signed, unsigned acc_bits) {
  int64_t pa = mac_extend(a, wa, is_signed), pb = mac_extend(b, wb, is_signed);
  uint64_t prod = (uint64_t)pa * (uint64_t)pb; /* two's complement: mod 2^64 */
  uint64_t sum = acc + prod;
  return acc_bits >= 64 ? sum : sum & ((1ull << acc_bits) - 1);
}

/* The accumulator after n MAC steps from 0 on signed operands: a[i] and
 * b[i] are the operands' values, sign-extended from their widths as
 * mac_step extends them (mac_extend; at most 32 bits, so they fit int32).
 * The same bits as chaining mac_step: each step adds its product modulo
 * 2^64 and keeps the low acc_bits, and since 2^acc_bits divides 2^64,
 * keeping them once at the end of the sum gives the same low bits.  (The
 * four partial sums only reorder additions modulo 2^64.) */
static inline uint64_t mac_dot(const int32_t *a, const int32_t *b, size_t n, unsigned acc_bits) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += (uint64_t)((int64_t)a[i] * b[i]);
    s1 += (uint64_t)((int64_t)a[i + 1] * b[i + 1]);
    s2 += (uint64_t)((int64_t)a[i + 2] * b[i + 2]);
    s3 += (uint64_t)((int64_t)a[i + 3] * b[i + 3]);
  }
  for (; i < n; i++) s0 += (uint64_t)((int64_t)a[i] * b[i]);
  uint64_t s = s0 + s1 + s2 + s3;
  return acc_bits >= 64 ? s : s & ((1ull << acc_bits) - 1);
}

/* mac_dot for the common narrow case: operands of at most 16 bits each
 * (sign-extended values in int16) and an accumulator of at most 32 bits.
 * The same bits: a product of two int16 values is exact in 32 bits, the
 * sum is taken modulo 2^32, and since 2^acc_bits divides 2^32 its low
 * acc_bits are those of the sum modulo 2^64.  A plain loop of 16-bit
 * products into a 32-bit sum, which compilers turn into multiply-add
 * instructions (SSE2 pmaddwd: eight MACs an instruction) where the int64
 * sum of mac_dot stays scalar. */
#define MAC_DOT16_MAX_OPERAND 16
#define MAC_DOT16_MAX_ACC 32
static inline uint64_t mac_dot16(const int16_t *a, const int16_t *b, size_t n, unsigned acc_bits) {
  uint32_t s = 0;
  for (size_t i = 0; i < n; i++) s += (uint32_t)((int32_t)a[i] * b[i]);
  return acc_bits >= 32 ? s : s & ((1u << acc_bits) - 1);
}

/* Whether mac_dot16 serves operands of wa and wb bits with an acc_bits
 * accumulator. */
static inline bool mac_dot16_fits(unsigned wa, unsigned wb, unsigned acc_bits) {
  return wa <= MAC_DOT16_MAX_OPERAND && wb <= MAC_DOT16_MAX_OPERAND &&
         acc_bits <= MAC_DOT16_MAX_ACC;
}

/* Accumulator width by the study book's rule b_o = b_a + b_w + log2(n),
 * rounded up (computed in integers, exact for every n), for n accumulated
 * products. */
unsigned mac_acc_bits(unsigned wa, unsigned wb, uint64_t n);

/* ---- bit-serial (BISMO / gemmbitserial) ---- */

/* Bit planes of k values of `bits` each: plane i (i < bits) is words
 * [i*words, (i+1)*words), bit e of the plane is bit i of value e, with
 * words = ceil(k / 64). */
size_t bs_plane_words(size_t k);
void bs_to_planes(const int64_t *vals, size_t k, unsigned bits, uint64_t *planes);

/* sum_i sum_j s_ij * 2^(i+j) * popcount(A_i AND B_j), s_ij = -1 when exactly
 * one of the planes is the MSB plane of a signed operand: the dot product of
 * the two k-element vectors, ba and bb in 1..32 bits, summed modulo 2^64
 * (exact wherever the dot product fits in int64). */
int64_t bs_dot(const uint64_t *a_planes, unsigned ba, bool a_signed, const uint64_t *b_planes,
               unsigned bb, bool b_signed, size_t k);

/* ---- XNOR / popcount ---- */

/* 2*popcount(xnor(a, b)) - n over the first n bits of a and b: the dot
 * product of two {-1, +1} vectors encoded 0 -> -1, 1 -> +1. */
int64_t xnor_dot(const uint64_t *a, const uint64_t *b, size_t n);

#endif
