/*
 * sim_workload.h - loading a workload argument the way every command does:
 * built-in name or topology file, precision defaults and overrides, and
 * validation of every layer.
 */
#ifndef SIM_WORKLOAD_H
#define SIM_WORKLOAD_H

#include <stdbool.h>

#include "em_diag.h"
#include "wl_layer.h"

typedef struct {
  bool bits_given; /* --bits W:A was given: it overrides the workload's own */
  wl_prec w, a;
} sim_bits;

/* Parses "W:A" (each side as wl_prec_parse takes it; "8" alone means 8:8).
 * Returns 0 or -1 on a bad value. */
int sim_bits_parse(const char *text, sim_bits *out);

/* Loads spec, applies bits (formats the workload leaves unset take
 * `dflt`), validates every layer. On error fills d and returns non-OK. */
em_status sim_workload_load(const char *spec, const sim_bits *bits, wl_prec dflt,
                            wl_network **out, em_diag *d);

/* The defaults: fp32 (networks as published) and int8 (one byte per word,
 * as SCALE-Sim's arrays). */
#define SIM_PREC_FP32 ((wl_prec){32, true})
#define SIM_PREC_INT8 ((wl_prec){8, false})

#endif
