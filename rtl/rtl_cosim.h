/*
 * rtl_cosim.h - C API to the SystemC co-simulation of the systolic PE
 * array (rtl/verilog/emlsim_pe_array.v, Verilated with --sc): a SystemC top
 * per array size, with its clock, the Verilated array, and a memory model
 * that holds the operand and output matrices, feeds the skewed operand
 * streams fold by fold and collects the results (rtl_cosim.cpp).
 *
 * Cycle convention (rtl/README.md, "Cycle mapping"): `cycles` is counted
 * from the array's `busy` output, the clocks on which some PE did a MAC or
 * the weight chain shifted, less one; for a layer without stalls it equals
 * sa_closed_form()'s total_cycles (SCALE-Sim v2's count) for the same
 * shape, array and dataflow.
 *
 * The co-simulation lives in the process's one SystemC kernel: the module
 * hierarchy for every array size is elaborated on the first call and
 * reset between runs, so any number of calls can be made from one process,
 * one at a time (the API is not thread-safe, as SystemC is not). A program
 * that links this library cannot define its own sc_main (rtl_cosim.cpp
 * defines one, which libsystemc's main() would call; ours never runs).
 * C++ stays behind this header; no exception crosses it.
 */
#ifndef RTL_COSIM_H
#define RTL_COSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Inside the C linkage block: em_diag.h has no C++ guards of its own (the
 * system headers it includes are in above, outside the block). */
#include "em_diag.h"

/* The dataflows the array runs (its `ws` input): 0 os, 1 ws. */
typedef enum { RTL_COSIM_OS = 0, RTL_COSIM_WS = 1 } rtl_cosim_dataflow;

/* Figures of one run, in cycles of the array clock. */
typedef struct {
  uint64_t cycles;       /* busy_cycles - 1: SCALE-Sim's index of the last compute cycle */
  uint64_t busy_cycles;  /* clocks with a MAC or a weight shift, as the RTL reports them */
  uint64_t clock_cycles; /* every clock of the run: reset, idle, drain included */
  uint64_t folds;        /* tiles of the GEMM run on the array one after another */
} rtl_cosim_stats;

/* Largest M, N and K accepted: keeps every matrix within 2^24 elements
 * and every index within 32 bits. A run takes folds x fold length clocks
 * (rtl/README.md) at a few microseconds each: large layers belong to the
 * C model, the co-simulation checks it on small ones. */
#define RTL_COSIM_DIM_MAX 4096u

/* True when an array of rows x cols PEs is built (4 x 4 and 8 x 8). */
bool rtl_cosim_has_array(unsigned rows, unsigned cols);

/* C[M x N] = A[M x K] * B[K x N] on the rows x cols array with dataflow
 * `df`, all matrices row-major; A and B are signed 8-bit, C 32-bit (sums
 * wrap modulo 2^32, as the accumulator does). The output is C's final
 * value: the memory model sums the partial results of weight-stationary
 * row folds (K > rows). `stats` may be NULL.
 * Errors: EM_ERR_UNSUPPORTED for an array size not built, EM_ERR_RANGE for
 * M, N or K outside [1, RTL_COSIM_DIM_MAX], EM_ERR_INVALID for a NULL
 * matrix or a bad dataflow, EM_ERR_IO when the simulation fails (a SystemC
 * error, or no result within a bound on the cycles: a broken RTL); after a
 * SystemC error every later call fails too. */
em_status rtl_cosim_gemm(unsigned rows, unsigned cols, rtl_cosim_dataflow df, uint32_t m,
                         uint32_t n, uint32_t k, const int8_t *a, const int8_t *b, int32_t *c,
                         rtl_cosim_stats *stats, em_diag *d);

#ifdef __cplusplus
}
#endif

#endif
