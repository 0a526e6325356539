// rtl_units.cpp - Verilator harness behind the C API of rtl_units.h.
//
// One Verilated model per unit and parameter set (rtl/CMakeLists.txt); each
// call sets a unit's inputs, clocks it (clk 0 -> eval -> clk 1 -> eval) and
// reads its outputs. Toggles are counted on the units' registered outputs.
#include "rtl_units.h"

#include <cstdint>
#include <new>

#include "Vbitserial.h"
#include "Vmac_s13.h"
#include "Vmac_s16.h"
#include "Vmac_s2.h"
#include "Vmac_s32.h"
#include "Vmac_s8.h"
#include "Vmac_u32.h"
#include "Vmac_u4.h"
#include "Vmac_u8.h"
#include "Vxnor1024.h"
#include "Vxnor64.h"
#include "verilated.h"

namespace {

static const rtl_mac_info macs[RTL_MAC_COUNT] = {
    {"s2x2", 2, 2, 36, true},     {"u4x4", 4, 4, 40, false},    {"s8x8", 8, 8, 48, true},
    {"u8x8", 8, 8, 48, false},    {"s13x13", 13, 13, 45, true}, {"s16x16", 16, 16, 64, true},
    {"s32x32", 32, 32, 64, true}, {"u32x32", 32, 32, 64, false},
};

template <class M> void tick(M *m) {
  m->clk = 0;
  m->eval();
  m->clk = 1;
  m->eval();
}

template <class M> uint64_t mac_clock(M *m, uint32_t a, uint32_t b, bool clear, uint64_t mask) {
  m->en = 1;
  m->clear = clear;
  m->a = a & (uint32_t)mask;
  m->b = b & (uint32_t)mask;
  tick(m);
  return (uint64_t)m->acc;
}

}  // namespace

struct rtl_units {
  VerilatedContext ctx;
  Vmac_s2 *s2;
  Vmac_u4 *u4;
  Vmac_s8 *s8;
  Vmac_u8 *u8;
  Vmac_s13 *s13;
  Vmac_s16 *s16;
  Vmac_s32 *s32;
  Vmac_u32 *u32;
  Vbitserial *bs;
  Vxnor64 *x64;
  Vxnor1024 *x1k;
  uint64_t cycles;
  uint64_t toggles;
  uint64_t last_acc[RTL_MAC_COUNT];
};

extern "C" {

rtl_units *rtl_create(void) {
  rtl_units *u = new (std::nothrow) rtl_units();
  if (!u) return nullptr;
  u->s2 = new (std::nothrow) Vmac_s2(&u->ctx, "s2");
  u->u4 = new (std::nothrow) Vmac_u4(&u->ctx, "u4");
  u->s8 = new (std::nothrow) Vmac_s8(&u->ctx, "s8");
  u->u8 = new (std::nothrow) Vmac_u8(&u->ctx, "u8");
  u->s13 = new (std::nothrow) Vmac_s13(&u->ctx, "s13");
  u->s16 = new (std::nothrow) Vmac_s16(&u->ctx, "s16");
  u->s32 = new (std::nothrow) Vmac_s32(&u->ctx, "s32");
  u->u32 = new (std::nothrow) Vmac_u32(&u->ctx, "u32");
  u->bs = new (std::nothrow) Vbitserial(&u->ctx, "bs");
  u->x64 = new (std::nothrow) Vxnor64(&u->ctx, "x64");
  u->x1k = new (std::nothrow) Vxnor1024(&u->ctx, "x1k");
  if (!u->s2 || !u->u4 || !u->s8 || !u->u8 || !u->s13 || !u->s16 || !u->s32 || !u->u32 ||
      !u->bs || !u->x64 || !u->x1k) {
    rtl_destroy(u);
    return nullptr;
  }
  u->bs->rst = 1;
  tick(u->bs);
  u->bs->rst = 0;
  return u;
}

void rtl_destroy(rtl_units *u) {
  if (!u) return;
  delete u->s2;
  delete u->u4;
  delete u->s8;
  delete u->u8;
  delete u->s13;
  delete u->s16;
  delete u->s32;
  delete u->u32;
  delete u->bs;
  delete u->x64;
  delete u->x1k;
  delete u;
}

const rtl_mac_info *rtl_mac_info_of(rtl_mac_id id) {
  return (unsigned)id < RTL_MAC_COUNT ? &macs[id] : nullptr;
}

uint64_t rtl_mac_step(rtl_units *u, rtl_mac_id id, uint32_t a, uint32_t b, bool clear) {
  uint64_t acc = 0;
  switch (id) {
  case RTL_MAC_S2: acc = mac_clock(u->s2, a, b, clear, 0x3); break;
  case RTL_MAC_U4: acc = mac_clock(u->u4, a, b, clear, 0xF); break;
  case RTL_MAC_S8: acc = mac_clock(u->s8, a, b, clear, 0xFF); break;
  case RTL_MAC_U8: acc = mac_clock(u->u8, a, b, clear, 0xFF); break;
  case RTL_MAC_S13: acc = mac_clock(u->s13, a, b, clear, 0x1FFF); break;
  case RTL_MAC_S16: acc = mac_clock(u->s16, a, b, clear, 0xFFFF); break;
  case RTL_MAC_S32: acc = mac_clock(u->s32, a, b, clear, 0xFFFFFFFF); break;
  case RTL_MAC_U32: acc = mac_clock(u->u32, a, b, clear, 0xFFFFFFFF); break;
  default: return 0;
  }
  u->cycles++;
  u->toggles += (uint64_t)__builtin_popcountll(u->last_acc[id] ^ acc);
  u->last_acc[id] = acc;
  return acc;
}

int64_t rtl_bitserial_dot(rtl_units *u, const uint64_t *a_planes, unsigned ba, bool a_signed,
                          const uint64_t *b_planes, unsigned bb, bool b_signed,
                          uint64_t *cycles) {
  Vbitserial *t = u->bs;
  for (int w = 0; w < 16; w++) t->a_planes[w] = t->b_planes[w] = 0;
  for (unsigned i = 0; i < ba && i < 8; i++) {
    t->a_planes[2 * i] = (uint32_t)a_planes[i];
    t->a_planes[2 * i + 1] = (uint32_t)(a_planes[i] >> 32);
  }
  for (unsigned j = 0; j < bb && j < 8; j++) {
    t->b_planes[2 * j] = (uint32_t)b_planes[j];
    t->b_planes[2 * j + 1] = (uint32_t)(b_planes[j] >> 32);
  }
  t->ba_m1 = (uint8_t)(ba - 1);
  t->bb_m1 = (uint8_t)(bb - 1);
  t->a_signed = a_signed;
  t->b_signed = b_signed;
  t->start = 1;
  uint64_t n = 0, prev = t->acc;
  tick(t);
  n++;
  t->start = 0;
  /* A bound on the wait: 64 plane pairs and the latch cycle. */
  while (!t->done && n < 1000) {
    tick(t);
    n++;
    u->toggles += (uint64_t)__builtin_popcountll((prev ^ t->acc) & 0xFFFFFF);
    prev = t->acc;
  }
  u->cycles += n;
  if (cycles) *cycles = n;
  uint64_t raw = t->acc & 0xFFFFFF; /* 24-bit signed accumulator */
  return (raw & 0x800000) ? (int64_t)(raw | ~0xFFFFFFull) : (int64_t)raw;
}

int64_t rtl_xnor64(rtl_units *u, uint64_t a, uint64_t b) {
  uint8_t before = u->x64->out;
  u->x64->a = a;
  u->x64->b = b;
  tick(u->x64);
  u->cycles++;
  u->toggles += (uint64_t)__builtin_popcount((unsigned)(before ^ u->x64->out));
  return (int8_t)u->x64->out;
}

int64_t rtl_xnor1024(rtl_units *u, const uint64_t *a, const uint64_t *b) {
  uint16_t before = u->x1k->out & 0xFFF;
  for (int w = 0; w < 16; w++) {
    u->x1k->a[2 * w] = (uint32_t)a[w];
    u->x1k->a[2 * w + 1] = (uint32_t)(a[w] >> 32);
    u->x1k->b[2 * w] = (uint32_t)b[w];
    u->x1k->b[2 * w + 1] = (uint32_t)(b[w] >> 32);
  }
  tick(u->x1k);
  u->cycles++;
  uint16_t out = u->x1k->out & 0xFFF;
  u->toggles += (uint64_t)__builtin_popcount((unsigned)(before ^ out));
  return (out & 0x800) ? (int64_t)out - 4096 : (int64_t)out;
}

uint64_t rtl_cycles(const rtl_units *u) { return u->cycles; }
uint64_t rtl_toggles(const rtl_units *u) { return u->toggles; }

}  // extern "C"
