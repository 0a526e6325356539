/*
 * test_arith.c - the C functional models against plain integer arithmetic:
 * the MAC's wrap-around, the b_o rule, the bit-serial product, and the XNOR
 * identity on random vectors of every width from 1 to 4096.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mac_arith.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void mac_by_hand(void **state) {
  (void)state;
  /* signed 8x8: -128 * -128 = 16384; 127 * -128 = -16256 (two's complement
   * in 20 bits: 2^20 - 16256 = 1032320). */
  assert_int_equal(mac_step(0, 0x80, 0x80, 8, 8, true, 20), 16384);
  assert_int_equal(mac_step(0, 0x7F, 0x80, 8, 8, true, 20), 1032320);
  /* unsigned: 255*255 = 65025; accumulating 65025 + 65025 in 16 bits wraps
   * to 130050 - 65536 = 64514. */
  assert_int_equal(mac_step(0, 255, 255, 8, 8, false, 32), 65025);
  assert_int_equal(mac_step(65025, 255, 255, 8, 8, false, 16), 64514);
  /* b_o: 8 + 8 + log2(576) = 25.17 -> 26 bits for a 64-channel 3x3 window. */
  assert_int_equal(mac_acc_bits(8, 8, 576), 26);
  assert_int_equal(mac_acc_bits(4, 4, 1), 8);
  /* ceil(log2 n) at the powers of two and one past: 2^10 -> 10, 2^10 + 1
   * -> 11; and far past what a double's log2 resolves, 2^50 + 1 -> 51
   * (log2 of the double gave exactly 50: a 52-bit accumulator where 53 are
   * needed), 2^64 - 1 -> 64. */
  assert_int_equal(mac_acc_bits(1, 1, 1024), 2 + 10);
  assert_int_equal(mac_acc_bits(1, 1, 1025), 2 + 11);
  assert_int_equal(mac_acc_bits(1, 1, (1ull << 50) + 1), 2 + 51);
  assert_int_equal(mac_acc_bits(1, 1, UINT64_MAX), 2 + 64);
  assert_int_equal(mac_acc_bits(8, 8, 0), 16);
}

/* mac_dot against the chain of mac_step it stands for: random signed
 * operands of every width pair up to 32 bits, accumulators from 1 to 64
 * bits (narrow ones wrap many times), lengths 0 to 300. */
static void mac_dot_equals_chain(void **state) {
  (void)state;
  /* By hand: {-128, 127} . {-128, -128} = 16384 - 16256 = 128, and with a
   * 7-bit accumulator 128 wraps to 0; {100} . {100} = 10000 = 0x2710 keeps
   * 0x10 = 16 in 8 bits. */
  int32_t a[300] = {-128, 127}, b[300] = {-128, -128};
  assert_int_equal(mac_dot(a, b, 2, 20), 128);
  assert_int_equal(mac_dot(a, b, 2, 7), 0);
  a[0] = b[0] = 100;
  assert_int_equal(mac_dot(a, b, 1, 8), 16);
  for (int t = 0; t < 2000; t++) {
    unsigned wa = 1 + next() % 32, wb = 1 + next() % 32, acc = 1 + next() % 64;
    size_t n = next() % 301;
    uint64_t chain = 0;
    for (size_t i = 0; i < n; i++) {
      uint32_t ra = (uint32_t)next(), rb = (uint32_t)next();
      a[i] = (int32_t)mac_extend(ra, wa, true);
      b[i] = (int32_t)mac_extend(rb, wb, true);
      chain = mac_step(chain, ra, rb, wa, wb, true, acc);
    }
    assert_true(mac_dot(a, b, n, acc) == chain);
  }
}

/* mac_dot16 against the same chain: operands of 1 to 16 bits, accumulators
 * of 1 to 32 bits, lengths 0 to 2,000 (longer than any row the networks
 * run, so a 32-bit sum of 16-bit products wraps). */
static void mac_dot16_equals_chain(void **state) {
  (void)state;
  /* By hand, as above: 128 in 20 bits, 0 in 7; and (-32768)^2 = 2^30 twice
   * is 2^31 = 0x80000000, whose low 31 bits are 0 and 32 bits 2^31. */
  static int16_t a[2000] = {-128, 127}, b[2000] = {-128, -128};
  assert_int_equal(mac_dot16(a, b, 2, 20), 128);
  assert_int_equal(mac_dot16(a, b, 2, 7), 0);
  a[0] = a[1] = b[0] = b[1] = -32768;
  assert_int_equal(mac_dot16(a, b, 2, 31), 0);
  assert_int_equal(mac_dot16(a, b, 2, 32), 2147483648u);
  assert_true(mac_dot16_fits(16, 16, 32));
  assert_false(mac_dot16_fits(17, 8, 20));
  assert_false(mac_dot16_fits(8, 8, 33));
  for (int t = 0; t < 2000; t++) {
    unsigned wa = 1 + next() % 16, wb = 1 + next() % 16, acc = 1 + next() % 32;
    size_t n = next() % 2001;
    uint64_t chain = 0;
    for (size_t i = 0; i < n; i++) {
      uint32_t ra = (uint32_t)next(), rb = (uint32_t)next();
      a[i] = (int16_t)mac_extend(ra, wa, true);
      b[i] = (int16_t)mac_extend(rb, wb, true);
      chain = mac_step(chain, ra, rb, wa, wb, true, acc);
    }
    assert_true(mac_dot16(a, b, n, acc) == chain);
  }
}

static void bitserial_equals_dot(void **state) {
  (void)state;
  /* {3, -2} . {-1, 2} = -3 - 4 = -7 with 3-bit signed operands. */
  int64_t a[2] = {3, -2}, b[2] = {-1, 2};
  uint64_t pa[3], pb[3];
  bs_to_planes(a, 2, 3, pa);
  bs_to_planes(b, 2, 3, pb);
  assert_int_equal(bs_dot(pa, 3, true, pb, 3, true, 2), -7);
  /* Random vectors of 200 elements (several words per plane). */
  for (int t = 0; t < 200; t++) {
    unsigned ba = 1 + next() % 16, bb = 1 + next() % 16;
    bool as = next() & 1, bs = next() & 1;
    int64_t va[200], vb[200], direct = 0;
    for (int e = 0; e < 200; e++) {
      va[e] = mac_extend(next(), ba, as);
      vb[e] = mac_extend(next(), bb, bs);
      direct += va[e] * vb[e];
    }
    uint64_t pa2[16 * 4], pb2[16 * 4];
    bs_to_planes(va, 200, ba, pa2);
    bs_to_planes(vb, 200, bb, pb2);
    assert_true(bs_dot(pa2, ba, as, pb2, bb, bs, 200) == direct);
  }
  /* 32 x 32 signed, a = {-2^31, -2^31, -2^31}, b = {-2^31, -2^31, 2^31 - 1}:
   * 2^62 + 2^62 - 2^62 + 2^31 = 2^62 + 2^31 = 4611686020574871552.  The MSB
   * planes' term is popcount 2 x 2^62 = 2^63, past int64 on the way. */
  int64_t wa[3] = {INT32_MIN, INT32_MIN, INT32_MIN}, wb[3] = {INT32_MIN, INT32_MIN, INT32_MAX};
  uint64_t qa[32], qb[32];
  bs_to_planes(wa, 3, 32, qa);
  bs_to_planes(wb, 3, 32, qb);
  assert_true(bs_dot(qa, 32, true, qb, 32, true, 3) == 4611686020574871552ll);
}

static void xnor_identity_every_width(void **state) {
  (void)state;
  /* 2*popcount(xnor(a,b)) - N equals the dot product of the {-1,+1}
   * vectors, for every N from 1 to 4096. */
  uint64_t a[64], b[64];
  for (size_t n = 1; n <= 4096; n++) {
    for (int w = 0; w < 64; w++) {
      a[w] = next();
      b[w] = next();
    }
    int64_t direct = 0;
    for (size_t i = 0; i < n; i++) {
      int sa = (a[i / 64] >> (i % 64)) & 1 ? 1 : -1;
      int sb = (b[i / 64] >> (i % 64)) & 1 ? 1 : -1;
      direct += sa * sb;
    }
    assert_true(xnor_dot(a, b, n) == direct);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mac_by_hand),
      cmocka_unit_test(mac_dot_equals_chain),
      cmocka_unit_test(mac_dot16_equals_chain),
      cmocka_unit_test(bitserial_equals_dot),
      cmocka_unit_test(xnor_identity_every_width),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
