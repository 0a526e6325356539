/*
 * rtl_units.h - C API to emlsim's Verilog units, simulated by Verilator
 * (rtl/verilog/): MACs at several widths, a bit-serial dot-product unit and
 * XNOR/popcount units.  C++ stays behind this header; no exception crosses
 * it.  Every call clocks the model (two evaluations per clock) and counts
 * cycles and switching activity (bits of the unit's registers that toggled).
 */
#ifndef RTL_UNITS_H
#define RTL_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtl_units rtl_units;

/* The MAC instances of the model. */
typedef enum {
  RTL_MAC_S2, RTL_MAC_U4, RTL_MAC_S8, RTL_MAC_U8, RTL_MAC_S13, RTL_MAC_S16, RTL_MAC_S32,
  RTL_MAC_U32, RTL_MAC_COUNT
} rtl_mac_id;

typedef struct {
  const char *name; /* "s8x8" */
  unsigned wa, wb, acc_bits;
  bool is_signed;
} rtl_mac_info;

/* Creates the simulated units; NULL on failure. */
rtl_units *rtl_create(void);
void rtl_destroy(rtl_units *u);

const rtl_mac_info *rtl_mac_info_of(rtl_mac_id id);

/* One clock of MAC `id` with operands a, b (their low wa / wb bits); with
 * `clear` the sum starts anew. Returns the accumulator register after the
 * edge (acc_bits bits, zero-extended). */
uint64_t rtl_mac_step(rtl_units *u, rtl_mac_id id, uint32_t a, uint32_t b, bool clear);

/* Bit-serial dot product of two 64-element vectors given as bit planes
 * (plane i = bit i of each element; ba, bb in 1..8). Returns the result and
 * the cycles from start to done through *cycles. */
int64_t rtl_bitserial_dot(rtl_units *u, const uint64_t *a_planes, unsigned ba, bool a_signed,
                          const uint64_t *b_planes, unsigned bb, bool b_signed,
                          uint64_t *cycles);

/* 2*popcount(xnor(a, b)) - W for the 64-bit and the 1024-bit unit (a, b
 * as 16 words for the latter). One clock each. */
int64_t rtl_xnor64(rtl_units *u, uint64_t a, uint64_t b);
int64_t rtl_xnor1024(rtl_units *u, const uint64_t *a, const uint64_t *b);

/* Clocks so far, and register bits toggled so far (all units). */
uint64_t rtl_cycles(const rtl_units *u);
uint64_t rtl_toggles(const rtl_units *u);

#ifdef __cplusplus
}
#endif

#endif
