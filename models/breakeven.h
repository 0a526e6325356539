/*
 * breakeven.h - where a sparse format pays off on a hardware model: a sweep
 * of sparsity, each point simulated (dense and sparse), and the study book's
 * break-even model fitted to the simulated curve.
 *
 * One layer's weight product Y (N x M) = W (N x K) X (K x M): N output
 * channels, K the reduction (window), M the output pixels times the batch.
 * At each sparsity s a pattern is drawn for the format (unstructured random
 * for csr / csc / coo / bitmap / rle / mask, b x b blocks for bsr, whole rows
 * for channel, N of M for n:m, which has the single point s = 1 - N/M),
 * seeded per point, and both products are simulated:
 *   simt      the dense tiled GEMM (GEMV at M = 1) against the CSR or BSR
 *             kernel (simt_sparse.h); mask runs the dense kernel; channel a
 *             dense kernel on the kept rows;
 *   systolic  the dense layer against zero skipping with compressed weight
 *             columns (os and ws: a column fold streams the longest
 *             compressed filter of its C filters, so its window shrinks to
 *             that filter's non-zeros; the format's metadata is read from
 *             DRAM and SRAM with the weights) or zero gating (--gate: the
 *             dense cycles, a zero MAC costs a comparator instead of a MAC);
 *             channel is the dense layer on the kept filters;
 *   bitserial the BISMO array skips a K slice of a column tile whose weights
 *             are all zero (its b_a x b_w plane-pair cycles, its buffer reads
 *             and its DRAM fetch), with a flag per slice and tile as
 *             metadata; unstructured zeros rarely empty a Dk x Dn slice;
 *   xnor      binary weights are +-1, nothing to skip: channel pruning (a
 *             smaller MVAU matrix) and mask (dense) only.
 *
 * The model (study book):
 *     T_dense  = max(F / P, B / BW)
 *     T_sparse = max((1 - s) F / P_eff, B_sparse / BW) + T_overhead
 * F the dense FLOPs, B the dense compulsory bytes, BW the bandwidth the
 * simulated machine enforces (SIMT: DRAM channels x bytes per cycle;
 * systolic with a USER interface: its words per cycle; systolic CALC and the
 * bit-serial and XNOR arrays enforce none, so their memory term is 0), P = F / T_dense simulated, B_sparse the format's stored
 * values and metadata plus X and Y; P_eff and T_overhead are fitted to the
 * simulated sparse cycles by least squares on errors measured in units of
 * the dense time, so the fit is best near the break-even (GSL's Brent
 * minimizer over log P_eff, T_overhead in closed form); the reported error
 * is the RMS relative to each point.  The model's break-even sparsity is
 * the root of T_sparse(s) = T_dense by GSL's Brent solver; the simulated one
 * is where the simulated speedup first exceeds 1 (linear between points).
 */
#ifndef BREAKEVEN_H
#define BREAKEVEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_energy.h"
#include "cm_sparse.h"
#include "em_diag.h"
#include "bs_array.h"
#include "sa_model.h"
#include "simt_config.h"
#include "simt_sparse.h"
#include "xnor_array.h"

typedef enum { BE_SIMT, BE_SYSTOLIC, BE_BITSERIAL, BE_XNOR } be_arch;

typedef struct {
  be_arch arch;
  simt_config gpu;
  sa_config sa;
  bs_config bs;
  xnor_config xn;
  const cm_energy_table *et;
  cm_sparse_spec fmt;
  simt_sparse_kernel csr_kernel; /* SIMT CSR: thread or warp per row */
  bool gate;                     /* systolic: zero gating instead of skipping */
  double s_from, s_to, s_step;
  uint64_t seed;
  unsigned w_bits, a_bits;       /* systolic operand widths */
} be_config;

typedef struct {
  double s;
  uint64_t dense_cycles, sparse_cycles;
  double speedup;
  double dense_energy_pj, sparse_energy_pj;
  uint64_t storage_bytes, metadata_bytes;
  double model_cycles;
} be_point;

typedef struct {
  double F, B, P, BW, P_eff, T_overhead;
  double xy_bytes;         /* activations in and out: B_sparse = storage + this */
  double t_dense;          /* simulated dense cycles */
  double fit_rms_rel_err;  /* model against simulated sparse cycles */
  double s_model, s_sim;   /* break-even sparsity; NAN if none in the range */
  bool agree;              /* |s_model - s_sim| <= one step, or both none */
  char dense_kernel[64];   /* the dense reference kernel ("" outside SIMT) */
} be_fit;

/* Sweeps the product N x K x M.  pts is allocated (free()).  Errors: a
 * format the architecture cannot run, a bad range, sizes. */
em_status be_run(const be_config *c, uint64_t N, uint64_t K, uint64_t M, be_point **pts,
                 size_t *npts, be_fit *fit, em_diag *d);

/* Fits the model to simulated points (exposed for tests). */
void be_fit_model(const be_config *c, be_point *pts, size_t n, be_fit *fit);

#endif
