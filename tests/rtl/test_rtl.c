/*
 * test_rtl.c - the Verilog units, simulated by Verilator, against the C
 * functional models (models/arith/mac_arith.h): every operand pair of the 2-, 4-
 * and 8-bit MACs (signed and unsigned), a million random accumulations on
 * each wider MAC, random bit-serial dot products at every width pair 1..8
 * with both signednesses, and random XNOR/popcount vectors of 64 and 1024
 * bits.  The bit-serial unit takes BA*BB + 1 cycles (one to latch).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "mac_arith.h"
#include "rtl_units.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

static int setup(void **state) {
  *state = rtl_create();
  return *state ? 0 : -1;
}
static int teardown(void **state) {
  rtl_destroy(*state);
  return 0;
}

static void mac_exhaustive(void **state) {
  rtl_units *u = *state;
  static const rtl_mac_id ids[] = {RTL_MAC_S2, RTL_MAC_U4, RTL_MAC_S8, RTL_MAC_U8};
  for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
    const rtl_mac_info *m = rtl_mac_info_of(ids[k]);
    uint32_t na = 1u << m->wa, nb = 1u << m->wb;
    /* Every pair as a fresh product... */
    for (uint32_t a = 0; a < na; a++)
      for (uint32_t b = 0; b < nb; b++)
        assert_true(rtl_mac_step(u, ids[k], a, b, true) ==
                    mac_step(0, a, b, m->wa, m->wb, m->is_signed, m->acc_bits));
    /* ...and every pair accumulated onto a running sum (cleared every 256). */
    uint64_t ref = 0;
    for (uint32_t a = 0; a < na; a++) {
      for (uint32_t b = 0; b < nb; b++) {
        bool clear = (b & 255) == 0;
        ref = mac_step(clear ? 0 : ref, a, b, m->wa, m->wb, m->is_signed, m->acc_bits);
        uint64_t got = rtl_mac_step(u, ids[k], a, b, clear);
        if (got != ref)
          fprintf(stderr, "%s a=%u b=%u: rtl %llu, model %llu\n", m->name, a, b,
                  (unsigned long long)got, (unsigned long long)ref);
        assert_true(got == ref);
      }
    }
  }
}

static void mac_random_wide(void **state) {
  rtl_units *u = *state;
  static const rtl_mac_id ids[] = {RTL_MAC_S13, RTL_MAC_S16, RTL_MAC_S32, RTL_MAC_U32};
  for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
    const rtl_mac_info *m = rtl_mac_info_of(ids[k]);
    uint64_t ref = 0;
    for (int n = 0; n < 1000000; n++) {
      uint64_t r = next();
      uint32_t a = (uint32_t)r, b = (uint32_t)(r >> 32);
      bool clear = (next() & 1023) == 0;
      ref = mac_step(clear ? 0 : ref, a, b, m->wa, m->wb, m->is_signed, m->acc_bits);
      uint64_t got = rtl_mac_step(u, ids[k], a, b, clear);
      if (got != ref)
        fprintf(stderr, "%s a=%u b=%u: rtl %llx, model %llx\n", m->name, a, b,
                (unsigned long long)got, (unsigned long long)ref);
      assert_true(got == ref);
    }
  }
  assert_true(rtl_toggles(u) > 0);
}

static void bitserial_random(void **state) {
  rtl_units *u = *state;
  for (unsigned ba = 1; ba <= 8; ba++) {
    for (unsigned bb = 1; bb <= 8; bb++) {
      for (int sg = 0; sg < 4; sg++) {
        bool as = sg & 1, bs = sg & 2;
        for (int trial = 0; trial < 20; trial++) {
          int64_t va[64], vb[64], direct = 0;
          for (int e = 0; e < 64; e++) {
            va[e] = mac_extend(next(), ba, as);
            vb[e] = mac_extend(next(), bb, bs);
            direct += va[e] * vb[e];
          }
          uint64_t pa[8], pb[8], cycles;
          bs_to_planes(va, 64, ba, pa);
          bs_to_planes(vb, 64, bb, pb);
          /* The C model is the plain dot product... */
          assert_true(bs_dot(pa, ba, as, pb, bb, bs, 64) == direct);
          /* ...and the RTL agrees with both, in BA*BB + 1 cycles. */
          int64_t got = rtl_bitserial_dot(u, pa, ba, as, pb, bb, bs, &cycles);
          if (got != direct)
            fprintf(stderr, "bitserial %ux%u s%d: rtl %lld, direct %lld\n", ba, bb, sg,
                    (long long)got, (long long)direct);
          assert_true(got == direct);
          assert_int_equal(cycles, ba * bb + 1);
        }
      }
    }
  }
}

static void xnor_random(void **state) {
  rtl_units *u = *state;
  for (int n = 0; n < 100000; n++) {
    uint64_t a = next(), b = next();
    assert_true(rtl_xnor64(u, a, b) == xnor_dot(&a, &b, 64));
  }
  uint64_t a[16], b[16];
  for (int n = 0; n < 20000; n++) {
    for (int w = 0; w < 16; w++) {
      a[w] = next();
      b[w] = (n & 1) ? a[w] ^ (next() & next()) : next(); /* near and far vectors */
    }
    assert_true(rtl_xnor1024(u, a, b) == xnor_dot(a, b, 1024));
  }
  /* Extremes: equal vectors give +W, complements -W. */
  for (int w = 0; w < 16; w++) b[w] = a[w];
  assert_int_equal(rtl_xnor1024(u, a, b), 1024);
  for (int w = 0; w < 16; w++) b[w] = ~a[w];
  assert_int_equal(rtl_xnor1024(u, a, b), -1024);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mac_exhaustive),
      cmocka_unit_test(mac_random_wide),
      cmocka_unit_test(bitserial_random),
      cmocka_unit_test(xnor_random),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
