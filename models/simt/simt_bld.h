/*
 * simt_bld.h - the builder the kernel generators append with (private to
 * models/simt): E(&b, op, dst, s0, s1, s2) is simt_emit on b's kernel.  An
 * append that fails (out of memory, past SIMT_PROG_MAX) sets the kernel's
 * emit_failed and writes into its sink, so a generator writes on and checks
 * b.k->emit_failed once at the end.
 */
#ifndef SIMT_BLD_H
#define SIMT_BLD_H

#include "simt_kernel.h"

typedef struct {
  simt_kernel *k;
} bld;

static inline simt_inst *E(bld *b, simt_op op, uint16_t dst, uint16_t s0, uint16_t s1,
                           uint16_t s2) {
  return simt_emit(b->k, op, dst, s0, s1, s2);
}

#endif
