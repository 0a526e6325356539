/*
 * em_units.h - the one place where units are converted.
 *
 * Names carry their unit (energy_pj, freq_mhz, bytes, cycles); code never
 * converts implicitly, it calls one of these.
 */
#ifndef EM_UNITS_H
#define EM_UNITS_H

#include <stdint.h>

/* Seconds of `cycles` at `freq_mhz`. */
static inline double em_cycles_to_s(uint64_t cycles, double freq_mhz) {
  return (double)cycles / (freq_mhz * 1e6);
}

#endif
