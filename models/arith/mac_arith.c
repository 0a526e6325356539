/*
 * mac_arith.c - bit-exact functional models of the MAC, bit-serial and
 * XNOR/popcount units (mac_arith.h).  Formulas: the study book's b_o rule;
 * the bit-serial product of gemmbitserial/BISMO (Umuroglu et al.); the XNOR
 * dot product 2*popcount(xnor(a,b)) - N (XNOR-Net, FINN).
 */
#include "mac_arith.h"

#include <math.h>

unsigned mac_acc_bits(unsigned wa, unsigned wb, uint64_t n) {
  return wa + wb + (n > 1 ? (unsigned)ceil(log2((double)n)) : 0);
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
  int64_t acc = 0;
  for (unsigned i = 0; i < ba; i++) {
    for (unsigned j = 0; j < bb; j++) {
      int64_t pop = 0;
      for (size_t w = 0; w < words; w++)
        pop += __builtin_popcountll(a_planes[i * words + w] & b_planes[j * words + w]);
      bool neg = (a_signed && i == ba - 1) != (b_signed && j == bb - 1);
      int64_t term = pop * (int64_t)(1ull << (i + j));
      acc += neg ? -term : term;
    }
  }
  return acc;
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
