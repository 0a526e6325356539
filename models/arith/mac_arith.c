/*
 * mac_arith.c - bit-exact functional models of the MAC, bit-serial and
 * XNOR/popcount units (mac_arith.h).  Formulas: the study book's b_o rule;
 * the bit-serial product of gemmbitserial/BISMO (Umuroglu et al.); the XNOR
 * dot product 2*popcount(xnor(a,b)) - N (XNOR-Net, FINN).
 */
#include "mac_arith.h"

/* ceil(log2 n) in integers: the bits of n - 1 (log2 of a double rounds
 * 2^50 + 1 to exactly 50, one bit short). */
unsigned mac_acc_bits(unsigned wa, unsigned wb, uint64_t n) {
  unsigned lg = 0;
  for (uint64_t m = n > 1 ? n - 1 : 0; m; m >>= 1) lg++;
  return wa + wb + lg;
}

size_t bs_plane_words(size_t k) { return k / 64 + (k % 64 != 0); }

void bs_to_planes(const int64_t *vals, size_t k, unsigned bits, uint64_t *planes) {
  size_t words = bs_plane_words(k);
  for (size_t i = 0; i < bits * words; i++) planes[i] = 0;
  for (size_t e = 0; e < k; e++)
    for (unsigned i = 0; i < bits; i++)
      if (((uint64_t)vals[e] >> i) & 1) planes[i * words + e / 64] |= 1ull << (e % 64);
}

int64_t bs_dot(const uint64_t *a_planes, unsigned ba, bool a_signed, const uint64_t *b_planes,
               unsigned bb, bool b_signed, size_t k) {
  size_t words = bs_plane_words(k);
  /* summed modulo 2^64, as a 64-bit accumulator register would: at 32 x 32
   * bits a term is popcount x 2^62, and a partial sum may pass 2^63 on the
   * way to a result that fits (signed overflow would be undefined) */
  uint64_t acc = 0;
  for (unsigned i = 0; i < ba; i++) {
    for (unsigned j = 0; j < bb; j++) {
      uint64_t pop = 0;
      for (size_t w = 0; w < words; w++)
        pop += (uint64_t)__builtin_popcountll(a_planes[i * words + w] & b_planes[j * words + w]);
      bool neg = (a_signed && i == ba - 1) != (b_signed && j == bb - 1);
      uint64_t term = pop << (i + j);
      acc = neg ? acc - term : acc + term;
    }
  }
  return (int64_t)acc;
}

int64_t xnor_dot(const uint64_t *a, const uint64_t *b, size_t n) {
  int64_t pop = 0;
  size_t full = n / 64;
  for (size_t w = 0; w < full; w++) pop += __builtin_popcountll(~(a[w] ^ b[w]));
  if (n % 64) {
    uint64_t mask = (1ull << (n % 64)) - 1;
    pop += __builtin_popcountll(~(a[full] ^ b[full]) & mask);
  }
  return 2 * pop - (int64_t)n;
}
