/*
 * em_units.h - the one place where units are converted.
 *
 * Names carry their unit (energy_pj, freq_mhz, bytes, cycles); code never
 * converts implicitly, it calls one of these.
 */
#ifndef EM_UNITS_H
#define EM_UNITS_H

#include <stdint.h>

static inline double em_pj_to_uj(double pj) { return pj * 1e-6; }
static inline double em_pj_to_mj(double pj) { return pj * 1e-9; }
static inline double em_pj_to_j(double pj) { return pj * 1e-12; }
static inline double em_kib_to_bytes(double kib) { return kib * 1024.0; }
static inline double em_bytes_to_kib(double bytes) { return bytes / 1024.0; }
static inline double em_bytes_to_mib(double bytes) { return bytes / (1024.0 * 1024.0); }
/* Bytes that hold `count` values of `bits` each, packed, rounded up to a byte. */
static inline uint64_t em_bits_to_bytes_ceil(uint64_t bits) { return bits / 8 + (bits % 8 != 0); }
/* Seconds of `cycles` at `freq_mhz`. */
static inline double em_cycles_to_s(uint64_t cycles, double freq_mhz) {
  return (double)cycles / (freq_mhz * 1e6);
}

#endif
