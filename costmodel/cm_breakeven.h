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
 *                (F / P_eff for a format that executes every MAC: a mask,
 *                zero gating; the book's (1 - s) F assumes the zeros are
 *                skipped, and on such a flat curve it made the model dip
 *                below dense and invent a break-even)
 *
 * s in the compute term is each point's realized sparsity (the pattern's
 * fraction of zero weights, cm_be_point.realized_s), the book's "fraction
 * of zeros", so that (1 - s) F is the work left and, with the simulator's
 * counters (useful flops per busy cycle), (1 - s) F / P_eff is the busy
 * time itself.  The sweep's own sparsity (asked for) is its axis: the
 * break-evens, measured and modelled, are read on it, the model's realized
 * sparsity and bytes interpolated between the points.  Fitted on the asked
 * sparsity instead, bsr256 on AlexNet CONV-3 on the bit-serial array,
 * whose blocks are of two sizes, was 10.3 % off; on the realized one it
 * is 4.3 %, all of it the last point's (0.95: 5,643 cycles over its work
 * at the dense rate; 0.0 % over 0 .. 0.90).
 *
 * F the dense flops, B the dense compulsory bytes, BW the bandwidth the
 * measured machine enforces (a huge BW, 1e30, for one that enforces none:
 * the memory term vanishes), P = F / T_dense (measured), B_sparse the
 * format's stored weights and metadata at that point plus the activations
 * in and out (xy_bytes).
 *
 * P_eff, where every point with work carries the simulator's own counters
 * (useful flops per busy cycle, cm_be_point.p_eff), is taken from them
 * point by point (linear between points) and capped at P; T_overhead is
 * then the one parameter fitted.  Where a point's counters exceed P (by
 * more than CM_BE_PEFF_TOL: they then say only that the arithmetic is not
 * the limit, and capped they would put P_eff = P in their place), or the
 * model so built misses the measured points by more than
 * CM_BE_FIT_MAX_ERR (the counters' compute term does not explain the
 * time: a GPU's sparse kernel waits on the latency of its index loads and
 * gathers, not on its multiply-add pipes), the counters' P_eff and error
 * are kept for the report and P_eff is fitted as below.  Otherwise P_eff
 * and T_overhead are fitted
 * to the measured sparse cycles by least squares on errors in units of the
 * dense time, so the fit is best near the break-even, under the constraints
 * 0 < P_eff <= P (a sparse unit cannot do the kept work faster than the
 * dense one does all of it) and T_overhead >= 0: a scan of log P_eff over
 * P / 10^4 .. P refined by GSL's Brent minimizer, T_overhead in closed form
 * for each P_eff (the mean residual, or 0 where that is negative: the sum
 * of squares is a parabola in T_overhead, so the clamp is the constrained
 * optimum).  One point (an N:M format) cannot fix two parameters: then
 * P_eff = P and T_overhead takes the rest.  The reported error is the RMS
 * relative to each point.
 *
 * Outcomes are named (cm_be_outcome), never a sentinel sparsity: the
 * measured curve breaks even where the speedup first exceeds 1 (linear
 * between points), never wins if no point exceeds 1, and wins everywhere
 * if the first point already does (no break-even inside the range: it lies
 * at or below the sweep's start).  The model's break-even is the root of
 * T_sparse(s) = T_dense (GSL's Brent solver, the format's bytes
 * interpolated linearly between points), with the same three outcomes,
 * and none at all (CM_BE_POOR_FIT) where the fit's error is over
 * CM_BE_FIT_MAX_ERR: a curve the model cannot follow (a flat one, where the
 * format skips nothing) yields no invented break-even.  The energy
 * break-even is where dense / sparse energy first exceeds 1, with the same
 * outcomes.
 */
#ifndef CM_BREAKEVEN_H
#define CM_BREAKEVEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A bytes_per_cycle of no bandwidth limit: finite (it prints and fits as a
 * number), and at or above it the memory term is 0, not a rounding's
 * 1e-26 cycles. */
#define CM_BE_BW_NONE 1e30

/* The roofline bound of work of `flops` flops moving `bytes` bytes on a
 * machine of peak_flops_per_cycle and bytes_per_cycle (CM_BE_BW_NONE: no
 * memory term): the larger of the two times, in cycles.  Both rates must
 * be positive. */
double cm_roofline_cycles(double flops, double bytes, double peak_flops_per_cycle,
                          double bytes_per_cycle);

/* Where a curve stands against dense over the swept range. */
typedef enum {
  CM_BE_CROSSES = 0, /* breaks even inside the range, at the reported s */
  CM_BE_NEVER,       /* never faster (or never cheaper) than dense */
  CM_BE_ALWAYS,      /* wins at the first point already: wins everywhere swept */
  CM_BE_POOR_FIT     /* model only: its error is over CM_BE_FIT_MAX_ERR, no answer */
} cm_be_outcome;

/* "breaks even", "never wins", "wins everywhere", "poor fit" (static). */
const char *cm_be_outcome_name(cm_be_outcome o);
/* The same as one token for CSV and JSON: "crosses", "never", "always",
 * "poor_fit" (static). */
const char *cm_be_outcome_key(cm_be_outcome o);

/* The largest RMS relative error of a fit whose break-even is trusted:
 * 20 %, the bar for "agree". */
#define CM_BE_FIT_MAX_ERR 0.20

/* Counters within this fraction above P count as at P: the cycle counts'
 * rounding (a systolic array's channel-pruned half takes 10175 cycles of a
 * dense 20351, so its counters read P x 1.00005). */
#define CM_BE_PEFF_TOL 1e-3

/* One measured point of a sparsity sweep, in ascending s. */
typedef struct {
  double s;                /* the sweep's sparsity (its axis, the one the
                            * break-evens are read on): the fraction of
                            * zeros asked of the pattern */
  double realized_s;       /* the pattern's own fraction of zero weights,
                            * 1 - nnz / size: the book's s, whose (1 - s) F
                            * is the work left.  It is s for an unstructured
                            * pattern (round(s size) zeros), but not where
                            * the format drops units of unequal size: bsr256
                            * on N 384 x K 2304 drops whole blocks, 65,536 or
                            * 32,768 weights (the last block row holds 128
                            * filters), and s = 0.40 and 0.45 realize 0.4815
                            * and 0.4074 */
  uint64_t sparse_cycles;  /* measured; 0 (no work left) is left out of the fit */
  uint64_t storage_bytes;  /* the format's weights and metadata at this point */
  double speedup;          /* measured dense / sparse cycles (INFINITY for no work) */
  double energy_gain;      /* measured dense / sparse energy (INFINITY for none;
                            * 0: not measured, the energy break-even is NEVER) */
  double p_eff;            /* the simulator's useful flops per busy cycle at
                            * this point; 0 where it has no counters */
} cm_be_point;

typedef enum {
  CM_BE_PEFF_FIT = 0, /* fitted (two or more points) */
  CM_BE_PEFF_DENSE,   /* one point: P_eff = P */
  CM_BE_PEFF_COUNTERS /* the simulator's counters, where none exceeds P and the
                       * model built on them is within CM_BE_FIT_MAX_ERR */
} cm_be_peff_source;

typedef struct {
  /* inputs, set by the caller */
  double F;                /* dense flops */
  double B;                /* dense compulsory bytes (reported; the fit uses xy_bytes) */
  double BW;               /* bytes per cycle the machine enforces; 1e30 for none */
  double xy_bytes;         /* activations in and out: B_sparse = storage + this */
  double t_dense;          /* measured dense cycles */
  bool executes_all;       /* the format executes every MAC, zeros included (a
                            * mask, zero gating): the compute term is F / P_eff
                            * at every s, not (1 - s) F / P_eff, and the points'
                            * p_eff count every MAC (F per busy cycle) */
  /* outputs */
  double P, P_eff;         /* flops per cycle: dense (F / t_dense) and sparse
                            * (0 < P_eff <= P; from counters: their mean) */
  cm_be_peff_source peff_source;
  double counters_p_eff;   /* the counters' mean P_eff (capped at P) and the
                            * RMS relative error of the model built on them,
                            * where every point has counters; NAN otherwise.
                            * Over CM_BE_FIT_MAX_ERR, P_eff is fitted instead
                            * (peff_source CM_BE_PEFF_FIT) */
  double counters_rms_rel_err;
  size_t counters_above;   /* points whose counters exceed P (CM_BE_PEFF_TOL) */
  double T_overhead;       /* cycles, >= 0 */
  double fit_rms_rel_err;  /* model against the measured sparse cycles */
  cm_be_outcome sim, model, energy; /* the measured latency, the model's
                            * latency and the measured energy outcomes */
  double s_model, s_sim;   /* break-even sparsity where the outcome is
                            * CM_BE_CROSSES, NAN otherwise */
  double s_energy;         /* the energy break-even, the same way */
  double s_model_beyond;   /* where the model's outcome is CM_BE_NEVER: the
                            * sparsity past the last point, up to 1, at which
                            * it reaches T_dense with the last two points'
                            * bytes and realized sparsity carried on
                            * linearly (the book's formula beyond the
                            * sweep); NAN where it does not */
  bool agree;              /* the same outcome, within one step where both
                            * cross, and a fit error at most CM_BE_FIT_MAX_ERR */
} cm_be_fit;

/* The model's sparse time at realized sparsity s (the fraction of zero
 * weights) with the format's storage_bytes, for the parameters in f
 * (cycles). */
double cm_be_model_cycles(const cm_be_fit *f, double s, double storage_bytes);

/* Where a measured ratio y (dense over sparse: speedup or energy gain) of n
 * points at ascending s first exceeds 1: CM_BE_CROSSES with *at the linear
 * interpolation between the last point at or below 1 and the first above,
 * CM_BE_ALWAYS if the first point is above 1, CM_BE_NEVER if none is (and
 * for n = 0); *at is NAN unless the outcome is CM_BE_CROSSES.  stride is
 * the distance in bytes between consecutive s (and y) values, so that both
 * may be fields of an array of structs. */
cm_be_outcome cm_be_crossing(const double *s, const double *y, size_t n, size_t stride,
                             double *at);

/* Fits P_eff and T_overhead to the n points p (f's inputs set) and finds
 * the break-evens; step is the sweep's step (agreement is within one; for
 * an uneven list, its largest gap).  model_cycles, where not NULL, receives
 * the fitted model at each point (n entries).  Never fails: points without
 * work are skipped. */
void cm_be_fit_model(const cm_be_point *p, size_t n, double step, cm_be_fit *f,
                     double *model_cycles);

/* Sets f->agree from its outcomes, break-evens and fit error (the last
 * step of cm_be_fit_model; again after a caller refines s_sim). */
void cm_be_judge(cm_be_fit *f, double step);

#endif
