/*
 * cm_breakeven.h - the study book's closed-form model of a sparse format's
 * break-even, fitted to measured (simulated) points, and the roofline it is
 * built on.  Plain numbers in and out: no hardware model is named here (the
 * sweep that simulates the points is models/breakeven.h).
 *
 * Units: cycles, flops, bytes, bytes per cycle, flops per cycle.
 *
 *   roofline   T = max(flops / P, bytes / BW)
 *   T_dense    = max(F / P, B / BW)
 *   T_sparse   = max((1 - s) F / P_eff, B_sparse / BW) + T_overhead
 *
 * F the dense flops, B the dense compulsory bytes, BW the bandwidth the
 * measured machine enforces (a huge BW, 1e30, for one that enforces none:
 * the memory term vanishes), P = F / T_dense (measured), B_sparse the
 * format's stored weights and metadata at that point plus the activations
 * in and out (xy_bytes).  P_eff and T_overhead are fitted to the measured
 * sparse cycles by least squares on errors in units of the dense time, so
 * the fit is best near the break-even: a scan of log P_eff over P / 10^4 ..
 * 10 P refined by GSL's Brent minimizer, T_overhead in closed form (the mean
 * residual) for each P_eff; the reported error is the RMS relative to each
 * point.  The model's break-even sparsity is the root of T_sparse(s) =
 * T_dense (GSL's Brent solver, the format's bytes interpolated linearly
 * between points); the measured one is where the speedup first exceeds 1,
 * linear between points.  One point (an N:M format) cannot fix two
 * parameters: then P_eff = P and T_overhead takes the rest.
 */
#ifndef CM_BREAKEVEN_H
#define CM_BREAKEVEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The roofline bound of work of `flops` flops moving `bytes` bytes on a
 * machine of peak_flops_per_cycle and bytes_per_cycle: the larger of the two
 * times, in cycles.  Both rates must be positive. */
double cm_roofline_cycles(double flops, double bytes, double peak_flops_per_cycle,
                          double bytes_per_cycle);

/* One measured point of a sparsity sweep, in ascending s. */
typedef struct {
  double s;                /* sparsity, the fraction of zero weights */
  uint64_t sparse_cycles;  /* measured; 0 (no work left) is left out of the fit */
  uint64_t storage_bytes;  /* the format's weights and metadata at this point */
  double speedup;          /* measured dense / sparse cycles (INFINITY for no work) */
} cm_be_point;

typedef struct {
  /* inputs, set by the caller */
  double F;                /* dense flops */
  double B;                /* dense compulsory bytes (reported; the fit uses xy_bytes) */
  double BW;               /* bytes per cycle the machine enforces; 1e30 for none */
  double xy_bytes;         /* activations in and out: B_sparse = storage + this */
  double t_dense;          /* measured dense cycles */
  /* outputs */
  double P, P_eff;         /* flops per cycle: dense (F / t_dense) and fitted sparse */
  double T_overhead;       /* cycles, fitted */
  double fit_rms_rel_err;  /* model against the measured sparse cycles */
  double s_model, s_sim;   /* break-even sparsity; NAN if none in the range */
  bool agree;              /* |s_model - s_sim| <= one step, or both none */
} cm_be_fit;

/* The model's sparse time at sparsity s with the format's storage_bytes,
 * for the parameters in f (cycles). */
double cm_be_model_cycles(const cm_be_fit *f, double s, double storage_bytes);

/* Fits P_eff and T_overhead to the n points p (f's inputs set) and finds
 * both break-evens; step is the sweep's step (agreement is within one).
 * model_cycles, where not NULL, receives the fitted model at each point (n
 * entries).  Never fails: points without work are skipped, and a range
 * without a break-even gives NAN. */
void cm_be_fit_model(const cm_be_point *p, size_t n, double step, cm_be_fit *f,
                     double *model_cycles);

#endif
