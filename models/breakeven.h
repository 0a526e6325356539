/*
 * breakeven.h - where a sparse format pays off on a hardware model: a sweep
 * of sparsity, each point run on a design point of the model table
 * (hw_point_sparse: dense and sparse), and the study book's break-even model
 * (costmodel/cm_breakeven.h) fitted to the simulated curve.
 *
 * One layer's weight product Y (N x M) = W (N x K) X (K x M): N output
 * channels, K the reduction (window), M the output pixels times the batch.
 * At each sparsity s a pattern is drawn for the format (unstructured:
 * uniform random, or be_config.pattern's magnitude-pruned or skewed rows,
 * for csr / csc / coo / bitmap / rle / mask, b x b blocks for bsr, whole rows
 * for channel, N of M for n:m, which has the single point s = 1 - N/M),
 * seeded by the sparsity and the sweep's seed (one pattern for one
 * sparsity, whichever grid reaches it), and the model runs the product
 * with that pattern; its
 * dense reference runs once.  What each model does with a format (the SIMT
 * GPU's CSR, BSR and 2:4 kernels, the systolic array's zero skipping and
 * gating, the bit-serial array's slice skipping, the XNOR array's channel
 * pruning) is its own: the sparse_point of its adapter (systolic/sa_hw.c,
 * simt/simt_hw.c, bitserial/bs_hw.c, xnor/xnor_hw.c; hw_model.h).
 *
 * This driver stays in models/ rather than costmodel/ because it draws the
 * patterns and runs models through the table; the closed-form model it fits
 * has no hardware in it and lives in costmodel/.
 */
#ifndef BREAKEVEN_H
#define BREAKEVEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_breakeven.h"
#include "cm_sparse.h"
#include "em_diag.h"
#include "hw_model.h"

/* The fit's BW (cm_be_fit.BW) for a model that enforces no bandwidth: the
 * memory term is 0 (CM_BE_BW_NONE); notes say "none" for it. */
#define BE_BW_NONE CM_BE_BW_NONE

/* The sweep `emlsim breakeven` and `emlsim study` run unless told
 * otherwise: sparsity BE_FROM + i x BE_STEP for i = 0 .. BE_POINTS - 1
 * (0, 0.05, .., 0.95); a point's pattern depends on its sparsity and the
 * seed alone, so both commands (and any grid through that sparsity) give
 * one answer for one layer on one design point. */
#define BE_FROM 0.0
#define BE_STEP 0.05
#define BE_POINTS 20

typedef struct {
  hw_point *hw;       /* the design point (borrowed; hw_point_create); its model
                       * must have a sparse_point */
  cm_sparse_spec fmt; /* the sparse format */
  bool gate;          /* hw_sparse_case.gate: zero gating instead of skipping */
  bool csr_per_thread; /* hw_sparse_case.csr_per_thread: SIMT CSR row per thread */
  cm_sparse_pattern pattern; /* unstructured formats: uniform (0), magnitude-pruned
                              * or skewed row lengths (cm_sparse.h) */
  double s_from, s_to, s_step; /* the sweep, in [0, 1] */
  const double *s_list; /* where n_list > 0: exactly these sparsities, strictly
                         * ascending in [0, 1] (borrowed), instead of the
                         * even grid s_from:s_to:s_step */
  size_t n_list;
  uint64_t seed;      /* the pattern at sparsity s is drawn with a seed mixed
                       * from this one and s (to 1e-9) */
  wl_prec w, a;       /* operand widths; bits 0: shape's own where it sets them,
                       * else the model's default width */
  const wl_layer *shape; /* the workload's layer of the product (borrowed;
                          * NULL: a bare GEMM), used where its GEMM view is
                          * exactly N x K x M in one group (hw_sparse_case.shape) */
  unsigned jobs;      /* threads for the points, at most BE_JOBS_MAX (0 or 1: the
                       * caller's alone); the points are the same for any */
} be_config;

#define BE_JOBS_MAX 64

typedef struct {
  double s;                /* the nominal sparsity asked for */
  double realized_s;       /* the pattern's own: 1 - nnz / (N x K) */
  uint64_t dense_cycles, sparse_cycles;
  double speedup;
  double dense_energy_pj, sparse_energy_pj;
  double energy_gain;      /* dense / sparse energy (INFINITY for none) */
  uint64_t storage_bytes, metadata_bytes;
  double model_cycles;
  const char *runs_as;     /* hw_sparse_info.runs_as of the point's run */
} be_point;

/* A simulated break-even found by bisection (be_run): the swept bracket
 * [from, to] whose lower point ran as dense (its speedup or energy gain
 * within BE_FLAT of 1), and the further runs made in it. */
typedef struct {
  unsigned runs; /* 0: not bisected (the break-even is interpolated) */
  double from, to;
  double y_from; /* the ratio at `from`, within BE_FLAT of 1 */
  double realized_at; /* where the break-even is the first run found to pay:
                       * that run's realized sparsity (1 - nnz / size), the
                       * zeros a structured pattern really drops (AlexNet
                       * CONV-3 by channels: 32 of 384, 0.0833, at nominal
                       * 0.0844); NAN where the break-even is interpolated */
} be_bisected;

/* Runs in a flat bracket: its width / 2^BE_BISECT (a step of 0.05: 0.003). */
#define BE_BISECT 4
/* A bracket is flat where its lower point's ratio is within this of 1 (at
 * or below it): the sparse run costs what dense does, or a hair more for
 * its metadata (bit-serial bsr256 on AlexNet CONV-3: an energy gain of
 * 0.9999988 until a whole block drops). */
#define BE_FLAT 1e-3

typedef struct {
  cm_be_fit fit;         /* the model fitted to the points (cm_breakeven.h) */
  char dense_kernel[128]; /* the dense reference kernel ("" for a model without kernels) */
  be_bisected sim, energy; /* how fit.s_sim and fit.s_energy were found */
  wl_prec w, a;            /* the operand widths the points ran at (be_config's) */
  uint64_t dense_dram_bytes; /* the dense reference's DRAM bytes (hw_result.dram_bytes),
                              * beside fit.B, the bytes of W, X and Y */
  hw_result dense;           /* the dense reference's figures, whole (what its model
                              * says of their DRAM accounting: hw_point_dram_note) */
} be_summary;

/* Sweeps the product N x K x M on c->hw.  The simulated break-evens are
 * interpolated between the last swept point at or below 1 and the first
 * above; where that last point is 1 within BE_FLAT (the sparse run took
 * the dense cycles or energy: a step curve, such as a systolic fold that
 * is dropped only once all its filters are), interpolation would put the
 * break-even on a point where the format does not pay, so the bracket is
 * bisected with BE_BISECT more runs (each sparsity's pattern drawn as a
 * grid point's would be), and the break-even is the first sparsity found to pay,
 * or interpolated once the lower end leaves 1 by more than BE_FLAT.
 * P_eff comes from the model's counters (hw_sparse_info.useful_macs and busy_cycles: 2 x useful MACs per
 * busy cycle; every MAC, F, for a mask or gating, which execute them all)
 * where every sparse point reports them and they explain the curve, and is
 * fitted otherwise (cm_breakeven.h says when).  pts is allocated (free()).
 * Errors: a bad range or size, a model without sparse execution, a width or
 * format the model cannot run (EM_ERR_UNSUPPORTED with the reason). */
em_status be_run(const be_config *c, uint64_t N, uint64_t K, uint64_t M, be_point **pts,
                 size_t *npts, be_summary *sum, em_diag *d);

/* Whether a sweep of c takes the product N x K x M: within the limits of
 * c->hw's model for format c->fmt (hw_sparse_limits_of: N x K weights,
 * M x N x K MACs, and where the model bounds them, M x N outputs), the
 * sizes at which a sweep ends in minutes.  EM_ERR_LIMIT, "SUBJECT: N x K =
 * ... weights, more than the ... a break-even sweep holds on CUDA cores"
 * at path:line (path may be NULL; d may be NULL), where it does not.
 * `emlsim breakeven` and `emlsim study` ask it of what they sweep, and
 * be_run of what it is given. */
em_status be_check_size(const be_config *c, const char *subject, uint64_t N, uint64_t K,
                        uint64_t M, const char *path, uint64_t line, em_diag *d);

/* Whether format f's zeros fall where be_config.pattern puts them (the
 * unstructured formats: csr, csc, coo, mask, bitmap, rle), not where its
 * structure does (blocks, channels, N:M groups; none for dense). */
bool be_takes_pattern(const cm_sparse_spec *f);

/* The host memory each of be_run's threads holds: its instance of the
 * design point running the dense N x K x M product
 * (hw_point_host_bytes_layer), its N x K pattern buffer, and the pattern
 * generator's arrays while it draws one (at most 16 bytes a weight). */
uint64_t be_thread_bytes(const be_config *c, uint64_t N, uint64_t K, uint64_t M);
/* The threads be_run uses: c->jobs (at most BE_JOBS_MAX), or fewer so that
 * they hold at most the host memory budget together (em_pool.h). */
unsigned be_jobs(const be_config *c, uint64_t N, uint64_t K, uint64_t M);

#endif
