/*
 * bench_rtl.c - Verilator simulation speed of each unit, in clock cycles per
 * second (two model evaluations per cycle), next to the C functional model
 * of the same unit run in the same process. Prints figures only.
 */
#include <stdio.h>
#include <time.h>

#include "mac_arith.h"
#include "rtl_units.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  rtl_units *u = rtl_create();
  if (!u) return 1;
  const int n = 5000000;
  uint64_t sink = 0;
  for (rtl_mac_id id = 0; id < RTL_MAC_COUNT; id++) {
    const rtl_mac_info *m = rtl_mac_info_of(id);
    double t0 = now_s();
    for (int i = 0; i < n; i++) sink += rtl_mac_step(u, id, (uint32_t)i * 2654435761u, (uint32_t)i, i % 1000 == 0);
    double rtl_s = now_s() - t0;
    t0 = now_s();
    uint64_t acc = 0;
    for (int i = 0; i < n; i++)
      acc = mac_step(i % 1000 == 0 ? 0 : acc, (uint32_t)i * 2654435761u, (uint32_t)i, m->wa,
                     m->wb, m->is_signed, m->acc_bits);
    double c_s = now_s() - t0;
    sink += acc;
    printf("mac %-7s verilator %6.1f M cycles/s   C model %7.1f M ops/s   (%.0fx)\n", m->name,
           n / rtl_s / 1e6, n / c_s / 1e6, rtl_s / c_s);
  }
  uint64_t pa[8] = {0}, pb[8] = {0};
  for (int i = 0; i < 8; i++) pa[i] = pb[i] = 0x9E3779B97F4A7C15ull * (i + 1);
  double t0 = now_s();
  uint64_t cycles = 0, c;
  for (int i = 0; i < 100000; i++) {
    sink += (uint64_t)rtl_bitserial_dot(u, pa, 8, true, pb, 8, true, &c);
    cycles += c;
  }
  double s = now_s() - t0;
  printf("bitserial 64x8b x 8b verilator %6.1f M cycles/s (%.1f k dot products/s)\n",
         cycles / s / 1e6, 100000 / s / 1e3);
  uint64_t a[16], b[16];
  for (int i = 0; i < 16; i++) a[i] = b[i] = 0x123456789ull * i;
  t0 = now_s();
  for (int i = 0; i < n; i++) sink += (uint64_t)rtl_xnor64(u, a[0] + i, b[0]);
  s = now_s() - t0;
  printf("xnor64   verilator %6.1f M cycles/s\n", n / s / 1e6);
  t0 = now_s();
  for (int i = 0; i < n / 10; i++) {
    a[0] = (uint64_t)i;
    sink += (uint64_t)rtl_xnor1024(u, a, b);
  }
  s = now_s() - t0;
  printf("xnor1024 verilator %6.1f M cycles/s\n", n / 10 / s / 1e6);
  printf("(checksum %llu)\n", (unsigned long long)sink);
  rtl_destroy(u);
  return 0;
}
