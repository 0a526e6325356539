/*
 * simt_hw.c - the SIMT GPU's entry in the hardware-model table
 * (hw_model.h): a preset or GPU file (key `gpu`, default volta) with any of
 * its settings (simt_config.h's table, through set_extra), a layer as the
 * generated fp32 CUDA-core kernel (simt_gen_layer) run cycle by cycle, and
 * its energy per event (simt_energy.h).
 *
 * Sparse points (the break-even sweep, hw_sparse_case): the kernels of
 * simt_sparse.h generated from the pattern. csr runs a row per warp (or per
 * thread), bsr the block kernel, mask the dense kernel itself, channel the
 * dense kernel on the kept rows, 2:4 the sparse tensor-core GEMM; their
 * dense reference is the fastest of the fp32 CUDA-core dense kernels of
 * simt_dense_ref.h (the layer's GEMM or GEMV among them, and a
 * convolution's own kernel), and for 2:4 the
 * dense tensor-core GEMM (fp16 operands) or at batch 1 the faster of it
 * and the fp16 GEMV, as a library picks; its energy is the least of the
 * same candidates'.  Values and indices are 32 bits (fp16 values and
 * 2-bit positions for 2:4). csc, coo, bitmap and rle have no kernel and
 * are refused.  Each sparse point reports its counters (the MACs on
 * non-zero weights, the busy cycles of the multiply-add pipes) for the
 * break-even model's P_eff.
 *
 * Before a kernel of over 10^9 warp instructions, or over 3 x 10^8 DRAM
 * sectors, runs, its note (layer_note, native_note) says how many it
 * issues or moves at least and the minutes that takes at the model's
 * measured speed; before a network whose kernels, none with a note of its
 * own, together take over a minute at the slowest of that speed, its note
 * (network_note) says so.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "hw_model.h"
#include "simt_config.h"
#include "simt_dense_ref.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "simt_sparse.h"

enum { K_GPU, K_COUNT };

static const hw_key keys[K_COUNT] = {
    [K_GPU] = {"gpu", "", HW_KEY_TEXT, 0, 0, "volta", NULL,
               "a preset (volta, ampere, jetson) or a GPU file; any GPU setting may follow "
               "(emlsim simt --gpu-help)"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (!w.fp || w.bits != 32 || !a.fp || a.bits != 32)
    return "its layer kernels are fp32 CUDA-core kernels";
  return NULL;
}

/* The types whose tensor path this GPU's architecture lacks (simt_kernel.c's
 * shape table: IMMA.8816 from sm_72, IMMA.8832 and BMMA from sm_75, DMMA
 * from sm_80), with the reason; NULL otherwise, where refuses() answers.
 * A pair runs at the wider of its two widths.  Each reason also says the
 * kernels' (refuses()): volta's alone read as if ampere ran int8 layers. */
#define ANY_GPU "; and on any GPU the layer kernels are fp32 CUDA-core kernels"
static const char *refuses_cfg(const void *cfgv, wl_prec w, wl_prec a) {
  const simt_config *c = cfgv;
  if (w.fp && w.bits == 32 && a.fp && a.bits == 32) return NULL;
  wl_prec t = w.bits >= a.bits ? w : a;
  if (c->tensor_units == 0 || c->sm_arch < 70)
    return "the GPU has no tensor cores (they arrive with Volta, sm_70)" ANY_GPU;
  if (!t.fp && t.bits == 1 && c->sm_arch < 75)
    return "Volta (sm_70, sm_72) has no binary tensor path: BMMA arrives with Turing "
           "(sm_75)" ANY_GPU;
  if (!t.fp && t.bits >= 2 && t.bits <= 4 && c->sm_arch < 75)
    return "Volta (sm_70, sm_72) has no int4 tensor path: IMMA.8832 arrives with Turing "
           "(sm_75)" ANY_GPU;
  if (!t.fp && t.bits > 4 && t.bits <= 8 && c->sm_arch < 72)
    return "Volta (sm_70) has no int8 tensor path: IMMA.8816 arrives with Xavier (sm_72) "
           "and Turing (sm_75)" ANY_GPU;
  if (t.fp && t.bits == 64 && c->sm_arch < 80)
    return "Volta and Turing (sm_70 to sm_75) have no fp64 tensor path: DMMA arrives with "
           "Ampere (sm_80)" ANY_GPU;
  return NULL;
}
#undef ANY_GPU

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  return simt_config_load_spec(v, cfg, d);
}

static em_status set_extra(void *cfg, const char *key, const char *v, em_diag *d) {
  return simt_config_set(cfg, key, v, NULL, 0, 0, d);
}

/* A combination that does not fit: a GPU file's own was refused at its
 * line when it was read, so this one comes from the settings over it (the
 * command line's --set, a sweep's values), at no file: the command names
 * itself, as for the systolic model (it read "command line: error:"). */
static em_status check(const void *cfg, em_diag *d) {
  return simt_config_check(cfg, NULL, d);
}

static double freq_mhz(const void *cfg) { return ((const simt_config *)cfg)->core_freq_mhz; }

/* Its DRAM's peak: the roofline's bytes a core cycle at the core clock
 * (volta: 448.8 B x 1455 MHz = 653 GB/s, TITAN V's 652.8; at any other
 * core clock the same, the DRAM keeping its own: simt_config.h). */
static double dram_gbps(const void *cfg) {
  const simt_config *c = cfg;
  return simt_dram_bytes_per_cycle(c) * c->core_freq_mhz * 1e-3;
}

/* "volta, 80 SMs, 1455 MHz": the preset or GPU file, then the SMs and the
 * core clock as configured (a setting over the preset shows here). */
static void describe(const void *cfg, char *buf, size_t size) {
  const simt_config *c = cfg;
  snprintf(buf, size, "%s, %llu SMs, %.6g MHz", c->name, (unsigned long long)c->n_sm,
           c->core_freq_mhz);
}

static uint64_t host_bytes(const void *cfg) { return simt_gpu_footprint(cfg); }

typedef struct {
  simt_gpu *g;
  simt_energy_model em;
} state_t;

static void close_state(void *state) {
  state_t *s = state;
  if (!s) return;
  simt_gpu_destroy(s->g);
  free(s);
}

static em_status open_state(const void *cfg, const cm_energy_table *t, void **out, em_diag *d) {
  state_t *s = calloc(1, sizeof *s);
  if (!s) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status st = simt_energy_model_init(&s->em, t, cfg, d);
  if (st == EM_OK) st = simt_gpu_create(cfg, &s->g, d);
  if (st != EM_OK) {
    close_state(s);
    return st;
  }
  *out = s;
  return EM_OK;
}

/* One kernel on the GPU: its statistics, energy and roofline into x, the
 * table's record into r. */
static em_status run_kernel(const simt_config *cfg, state_t *s, const simt_kernel *k,
                            hw_result *r, simt_detail *x, em_diag *d) {
  memset(x, 0, sizeof *x);
  em_status st = simt_gpu_run(s->g, k, NULL, NULL, &x->stats, d);
  if (st != EM_OK) return st;
  x->roofline_cycles = simt_roofline_cycles(cfg, k);
  x->flops = k->flops;
  x->min_dram_bytes = k->min_dram_bytes;
  simt_energy_compute(&s->em, &x->stats, &x->energy);
  const double *c = x->energy.comp_pj;
  r->ran = x->stats.cycles > 0;
  /* the kernel's place in a stream of kernels: its launch and its run */
  r->cycles = x->stats.launch_cycles + x->stats.cycles;
  /* every component, so the total is the GPU model's own: the front end
   * (fetch, scheduling) with the arithmetic, the idle SMs, the board's
   * constant power and the launch's idle GPU with the static */
  r->energy_pj[HW_E_COMPUTE] = c[SIMT_E_ALU] + c[SIMT_E_FRONT];
  r->energy_pj[HW_E_LOCAL] = c[SIMT_E_REG];
  r->energy_pj[HW_E_SRAM] = c[SIMT_E_SMEM] + c[SIMT_E_L1] + c[SIMT_E_L2];
  r->energy_pj[HW_E_DRAM] = c[SIMT_E_DRAM];
  r->energy_pj[HW_E_STATIC] =
      c[SIMT_E_STATIC] + c[SIMT_E_IDLE] + c[SIMT_E_CONST] + c[SIMT_E_LAUNCH];
  r->ops = (double)x->stats.flops;
  r->ops_unit = "flop";
  r->utilization_pct = 100.0 * simt_stats_simd_eff(&x->stats);
  /* 32-byte sectors through L1 and L2; 128-byte shared-memory wavefronts */
  r->sram_bytes = 32 * (x->stats.mem.l1_sectors + x->stats.mem.l1_stores +
                        x->stats.mem.l2_sectors + x->stats.mem.l2_stores) +
                  128 * x->stats.smem_wavefronts;
  r->dram_bytes = 32 * (x->stats.mem.dram_reads + x->stats.mem.dram_writes);
  return EM_OK;
}

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  simt_detail own;
  simt_kernel k;
  em_status st = simt_gen_layer_gpu(&k, l, cfg, d); /* the tile a library picks on it */
  if (st == EM_OK) st = run_kernel(cfg, state, &k, r, detail ? detail : &own, d);
  simt_kernel_free(&k);
  return st;
}

/* A kernel of a trace or a microbenchmark (work: a simt_kernel). */
static em_status run_native(const void *cfg, void *state, const cm_energy_table *t,
                            const void *work, hw_result *r, void *detail, em_diag *d) {
  simt_detail own;
  return run_kernel(cfg, state, work, r, detail ? detail : &own, d);
}

/* ---- notes before a long run ---- */

/* Warp instructions a second and the note's threshold: SIMT_RATE_LO,
 * SIMT_RATE_HI and SIMT_NOTE_INSTS (simt_gpu.h), measured in README.md's
 * "Speed" (2026-11-26, two cores of an AMD EPYC under KVM): 1.9-2.1 M on a
 * memory-bound trace, 2.4-4.5 M on pools and fully connected layers, up to
 * 16 M on unsplit convolutions; over SIMT_NOTE_INSTS a kernel runs 62 s to
 * 8 minutes. */
/* DRAM sectors a second, for a kernel whose compulsory traffic sets its
 * pace (a warp's float4 load is 16 sectors): 4.3 and 3.4 M measured on
 * `--micro dram-bw` over a 64 and a 256 MiB L2 (2026-11-27, the same
 * machine), about the 1,470 host instructions a sector of README.md's
 * "Speed".  Over NOTE_SECTORS (a minute at the higher rate) the user is
 * told too: a 4 GiB L2 made dram-bw stream 48 GiB, 8 minutes, unannounced. */
#define SECTOR_RATE_LO 2e6
#define SECTOR_RATE_HI 5e6
#define NOTE_SECTORS 300000000ull

/* Whether the GPU model refuses kernel k at once, before it simulates a
 * cycle (simt_gpu_check_kernel: a block that fits no SM or holds over 64
 * warps; at least `insts` warp instructions over max_warp_insts).  The
 * error into d (may be NULL); EM_OK where it runs k.  The notes leave such a
 * kernel out (it runs for no time) and check_layer refuses its layer before
 * any layer runs. */
static em_status kernel_refused(const simt_config *c, const simt_kernel *k, uint64_t insts,
                                em_diag *d) {
  simt_occupancy occ = simt_occupancy_compute(c, k);
  return simt_gpu_check_kernel(c, k, &occ, insts, d);
}

/* Over SIMT_NOTE_INSTS: how many warp instructions, and how long they take. A
 * kernel the GPU model refuses at once (kernel_refused) says why: no note. */
static bool kernel_note(const simt_config *c, const simt_kernel *k, char *buf, size_t size) {
  uint64_t n = simt_kernel_insts_at_least(c, k);
  uint64_t sectors = k->min_dram_bytes / SIMT_SECTOR_BYTES;
  if ((n <= SIMT_NOTE_INSTS && sectors <= NOTE_SECTORS) || kernel_refused(c, k, n, NULL) != EM_OK)
    return false;
  char span[64];
  if (n <= SIMT_NOTE_INSTS) { /* its instructions alone would not say it */
    simt_span_text((double)sectors / SECTOR_RATE_HI, (double)sectors / SECTOR_RATE_LO, span,
                   sizeof span);
    snprintf(buf, size, "kernel '%s' moves at least %llu DRAM sectors of 32 bytes: expect %s "
             "at the model's %.0f to %.0f M a second on one core", k->name,
             (unsigned long long)sectors, span, SECTOR_RATE_LO / 1e6, SECTOR_RATE_HI / 1e6);
    return true;
  }
  char what[160];
  snprintf(what, sizeof what, "kernel '%s' issues", k->name);
  return simt_insts_note(what, n, buf, size);
}

/* A layer's kernel as run_layer generates it. */
static bool layer_note(const void *cfg, const wl_layer *l, char *buf, size_t size) {
  simt_kernel k;
  bool said = simt_gen_layer_gpu(&k, l, cfg, NULL) == EM_OK && kernel_note(cfg, &k, buf, size);
  simt_kernel_free(&k);
  return said;
}

static bool native_note(const void *cfg, const void *work, char *buf, size_t size) {
  return kernel_note(cfg, work, buf, size);
}

/* A network's run over a minute at the model's slowest measured rate
 * (SIMT_RATE_LO), said before the first layer, as the systolic array's
 * network note says its walks past a minute (sa_hw.c, SLOW_WALK_S).  The
 * layer note's threshold (SIMT_NOTE_INSTS, a minute at the fastest rate)
 * would keep it silent where it matters: VGG-16's 21 kernels issue at least
 * 2.4 x 10^8 warp instructions (15 s to 2 minutes by the rates), none
 * near 10^9, and its run took 153 s of one core (7 minutes on the clock,
 * the 2-core machine of README.md's "Speed" shared, 2026-11-28), with
 * nothing printed off a terminal. */
#define SLOW_NETWORK_S 60.0

/* "15 seconds", "2 minutes", "3 hours": each end of the network note's
 * span in its own unit (simt_span_text's one unit read "0 to 2 minutes"
 * for VGG-16's 15 s to 121 s). */
static void seconds_text(double s, char *buf, size_t size) {
  double u = s < 120 ? 1 : s < 7200 ? 60 : 3600;
  snprintf(buf, size, "%.0f %s", s / u, u == 1 ? "seconds" : u == 60 ? "minutes" : "hours");
}

/* Layers none of which has a note of its own, whose kernels together issue
 * enough warp instructions (simt_kernel_insts_at_least, each kernel as
 * run_layer generates it, as layer_note counts them) to pass
 * SLOW_NETWORK_S: how many, and the span they take one after another on
 * one core.  A kernel the GPU model refuses at once (kernel_note's) runs
 * for no time and is left out. */
static bool network_note(const void *cfgv, const wl_layer *layers, size_t n, char *buf,
                         size_t size) {
  const simt_config *c = cfgv;
  uint64_t total = 0, most = 0;
  size_t at = 0;
  char scratch[512];
  for (size_t i = 0; i < n; i++) {
    simt_kernel k;
    if (simt_gen_layer_gpu(&k, &layers[i], c, NULL) != EM_OK) {
      simt_kernel_free(&k);
      continue;
    }
    bool own = kernel_note(c, &k, scratch, sizeof scratch);
    uint64_t insts = simt_kernel_insts_at_least(c, &k);
    bool refused = kernel_refused(c, &k, insts, NULL) != EM_OK;
    simt_kernel_free(&k);
    if (own) return false; /* its own note says it, as it comes */
    if (refused) continue;
    total = insts > UINT64_MAX - total ? UINT64_MAX : total + insts;
    if (insts > most) {
      most = insts;
      at = i;
    }
  }
  if ((double)total / SIMT_RATE_LO <= SLOW_NETWORK_S) return false;
  char lo[32], hi[32], what[320];
  seconds_text((double)total / SIMT_RATE_HI, lo, sizeof lo);
  seconds_text((double)total / SIMT_RATE_LO, hi, sizeof hi);
  if (n == 1)
    snprintf(what, sizeof what, "layer '%s': its kernel issues at least %llu warp instructions",
             layers[at].name, (unsigned long long)total);
  else
    snprintf(what, sizeof what, "the %zu layers' kernels issue at least %llu warp instructions "
             "together (the most, '%s', %llu)", n, (unsigned long long)total, layers[at].name,
             (unsigned long long)most);
  snprintf(buf, size, "%s: expect %s to %s or more at the model's %.0f to %.0f M a second%s on "
           "one core", what, lo, hi, SIMT_RATE_LO / 1e6, SIMT_RATE_HI / 1e6,
           n == 1 ? "" : ", one layer after another");
  return true;
}

/* Layer l refused at once, as run_layer would refuse it without running
 * it: its kernel cannot be generated, or the GPU model refuses the kernel
 * (kernel_refused, as network_note leaves it out); EM_OK else.  Commands
 * check every layer with it before the first runs (hw_model.check_layer):
 * a layer of 200000^3 was refused after the layers before it had run. */
static em_status check_layer(const void *cfgv, const wl_layer *l, em_diag *d) {
  const simt_config *c = cfgv;
  simt_kernel k;
  em_status st = simt_gen_layer_gpu(&k, l, c, d);
  if (st == EM_OK) st = kernel_refused(c, &k, simt_kernel_insts_at_least(c, &k), d);
  simt_kernel_free(&k);
  return st;
}

/* The cycles the multiply-add pipes of an average sub-core were busy in a
 * run: each fp32 warp instruction (FFMA and the adds of the reductions)
 * holds its sub-core's fp32 pipe warp_size / fp32_lanes cycles (2 on Volta
 * and A100: 16 lanes), an fp16 one (HFMA2) warp_size / fp16_lanes, and the
 * tensor cores do 64 fp16 MACs a cycle each (tensor_units a sub-core, as
 * simt_gpu.c's initiation interval of an MMA: its fp16-rate MACs over
 * 64 x tensor_units); summed over the GPU and divided by its sub-cores
 * (n_sm x n_sched).  What the pipes would take with memory infinitely fast
 * and every warp ready: the compute side of the roofline, from the run's
 * own counts. */
static uint64_t pipe_busy_cycles(const simt_config *c, const simt_stats *st) {
  uint64_t ws = c->warp_size;
  double busy = (double)st->class_warp_insts[SIMT_CLASS_FP32] *
                    (double)em_ceil_div_u64(ws, c->fp32_lanes) +
                (double)st->class_warp_insts[SIMT_CLASS_FP16] *
                    (double)em_ceil_div_u64(ws, c->fp16_lanes);
  if (c->tensor_units) busy += (double)st->tensor_macs / (64.0 * (double)c->tensor_units);
  double subcores = (double)c->n_sm * (double)c->n_sched;
  return (uint64_t)ceil(busy / subcores);
}

/* Generates and runs one kernel of a sparse case; its name and its pipes'
 * busy cycles into x. */
static em_status run_generated(const simt_config *cfg, state_t *s, simt_kernel *k, em_status gen,
                               hw_result *r, hw_sparse_info *x, em_diag *d) {
  simt_detail own;
  if (gen == EM_OK) {
    snprintf(x->kernel, sizeof x->kernel, "%s", k->name);
    gen = run_kernel(cfg, s, k, r, &own, d);
    if (gen == EM_OK) x->busy_cycles = pipe_busy_cycles(cfg, &own.stats);
  }
  simt_kernel_free(k);
  return gen;
}

static double energy_of(const hw_result *r) {
  double e = 0;
  for (int i = 0; i < HW_E_COUNT; i++) e += r->energy_pj[i];
  return e;
}

/* Keeps candidate `one` (its kernel name and pipe cycles in ox) in the
 * dense reference r / x: the fastest candidate's cycles, bytes and counters,
 * and the least energy of any candidate, each the better one of its kind
 * (a library picks its kernel by time, but a kernel run for energy would
 * pick the least: on a 256-cube the 4 x 4 tile is fastest, 8,153 cycles,
 * while the 8 x 8 tile reads half the L1 sectors a MAC and costs 3.1 %
 * less energy in 9,241 cycles, less than BSR 8 x 8 at 0 % does).  Ties keep the
 * earlier candidate, so the choice is deterministic.  time[] and energy[]
 * name the two kernels. */
typedef struct {
  bool have;
  hw_result fast;
  double best_e;
  double best_e_pj[HW_E_COUNT];
  char time[64], energy[64];
} dense_pick;

static void pick(dense_pick *p, const hw_result *one, const hw_sparse_info *ox,
                 hw_sparse_info *x) {
  if (!p->have || one->cycles < p->fast.cycles) {
    p->fast = *one;
    snprintf(p->time, sizeof p->time, "%.63s", ox->kernel);
    x->busy_cycles = ox->busy_cycles;
  }
  double e = energy_of(one);
  if (!p->have || e < p->best_e) {
    p->best_e = e;
    memcpy(p->best_e_pj, one->energy_pj, sizeof p->best_e_pj);
    snprintf(p->energy, sizeof p->energy, "%.63s", ox->kernel);
  }
  p->have = true;
}

/* The picked reference into r and its kernel names into x->kernel: the
 * fastest, or "FASTEST (energy: LEAST)" where they differ. */
static void picked(const dense_pick *p, hw_result *r, hw_sparse_info *x) {
  *r = p->fast;
  memcpy(r->energy_pj, p->best_e_pj, sizeof r->energy_pj);
  if (strcmp(p->time, p->energy) == 0) snprintf(x->kernel, sizeof x->kernel, "%s", p->time);
  else /* two names of up to 58 characters and the words between fit in 128
        * (at 24 each, "CONV-3/sgemm_32x32_splitk8" was cut to "..._split") */
    snprintf(x->kernel, sizeof x->kernel, "%.58s (energy: %.58s)", p->time, p->energy);
}

/* The dense reference of rows x K times K x M from the dense candidates
 * (simt_dense_ref.h), and where `conv` is the convolution whose GEMM view
 * that is, the convolution's own kernel too (the one hw_point_run runs:
 * the reference is never slower than `emlsim simt`'s run of the layer; its
 * GEMM view's kernel took 9,597 cycles on SimpleCNN's conv1 against the
 * layer's 9,565): the fastest one's cycles and the least energy (pick), the
 * kernels' names into x->kernel. */
static em_status run_dense_ref(const simt_config *cfg, state_t *s, uint64_t rows, uint64_t K,
                               uint64_t M, const wl_layer *conv, hw_result *r,
                               hw_sparse_info *x, em_diag *d) {
  dense_pick dp = {0};
  for (unsigned i = 0; i < SIMT_DENSE_REF_COUNT; i++) {
    simt_kernel k;
    bool applies;
    em_status st = simt_gen_dense_ref_gpu(&k, i, rows, K, M, cfg, &applies, d);
    if (st != EM_OK || !applies) {
      simt_kernel_free(&k);
      if (st != EM_OK) return st;
      continue;
    }
    hw_result one;
    hw_sparse_info ox = *x;
    memset(&one, 0, sizeof one);
    if ((st = run_generated(cfg, s, &k, EM_OK, &one, &ox, d)) != EM_OK) return st;
    pick(&dp, &one, &ox, x);
  }
  if (conv) {
    simt_kernel k;
    hw_result one;
    hw_sparse_info ox = *x;
    memset(&one, 0, sizeof one);
    em_status st = simt_gen_layer_gpu(&k, conv, cfg, d);
    if ((st = run_generated(cfg, s, &k, st, &one, &ox, d)) != EM_OK) return st;
    pick(&dp, &one, &ox, x);
  }
  picked(&dp, r, x);
  return EM_OK;
}

/* The case's convolution where the dense reference runs its GEMM view in
 * full (its own kernel is a candidate), else NULL: an FC or GEMM layer's
 * kernel is candidate 0 already. */
static const wl_layer *conv_of(const hw_sparse_case *c) {
  return c->shape && c->shape->kind == WL_CONV ? c->shape : NULL;
}

static em_status sparse_run(const void *cfgv, void *state, const hw_sparse_case *c,
                            hw_result *r, hw_sparse_info *x, em_diag *d) {
  const simt_config *cfg = cfgv;
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  uint64_t N = v.n, K = v.k, M = v.m;
  /* 2:4 runs on sparse tensor cores: fp16 operands and weights */
  bool tc = c->fmt.fmt == CM_FMT_NM;
  x->bw_bytes_per_cycle = simt_dram_bytes_per_cycle(cfg);
  if (tc) x->ran_w = x->ran_a = (wl_prec){16, true}; /* fp16 on the tensor cores */
  x->xy_bytes = (tc ? 2.0 : 4.0) * (double)(K * M) + 4.0 * (double)(N * M);
  x->dense_bytes = (tc ? 2.0 : 4.0) * (double)(N * K) + x->xy_bytes;
  simt_kernel k;
  em_status s;
  if (!c->nz && !tc) return run_dense_ref(cfg, state, N, K, M, conv_of(c), r, x, d);
  if (!c->nz) {
    s = simt_gen_tc_gemm(&k, N, K, M, false, d);
    if ((s = run_generated(cfg, state, &k, s, r, x, d)) != EM_OK || M != 1) return s;
    /* at batch 1 a library runs a half-precision layer on the CUDA cores
     * (a GEMV streams the weights once; a 64-wide tile wastes 63 of its
     * rows): the reference is the faster of the two dense kernels, and the
     * lesser energy of the two (pick) */
    dense_pick dp = {0};
    hw_sparse_info tx = *x;
    pick(&dp, r, &tx, x);
    hw_result gv;
    hw_sparse_info gx = *x;
    memset(&gv, 0, sizeof gv);
    if ((s = run_generated(cfg, state, &k, simt_gen_gemv_fp16(&k, N, K, d), &gv, &gx, d)) !=
        EM_OK)
      return s;
    pick(&dp, &gv, &gx, x);
    picked(&dp, r, x);
    return EM_OK;
  }
  /* the kernels' fp32 values and 32-bit indices; fp16 and 2-bit positions on tensor cores */
  cm_sparse_spec spec = c->fmt;
  spec.value_bits = tc ? 16 : 32;
  spec.index_bits = tc ? 0 : 32;
  cm_sparse_storage st;
  if ((s = hw_sparse_storage(c, &spec, &st, x, d)) != EM_OK) return s;
  switch (c->fmt.fmt) {
  case CM_FMT_MASK:
    x->runs_as = "on the GPU a mask (zero gating) runs the dense kernel, its lanes not gating "
                 "multiplies on zero operands in this model, so it equals dense at every "
                 "sparsity by construction";
    return run_dense_ref(cfg, state, N, K, M, conv_of(c), r, x, d);
  case CM_FMT_DENSE: return run_dense_ref(cfg, state, N, K, M, conv_of(c), r, x, d);
  case CM_FMT_CHANNEL: {
    uint64_t kept = hw_sparse_kept_rows(c->nz, N, K);
    if (kept == 0) return EM_OK; /* nothing left to run */
    return run_dense_ref(cfg, state, kept, K, M, NULL, r, x, d);
  }
  case CM_FMT_CSR: {
    /* K split as the dense twin splits it (simt_k_splits) */
    simt_sparse_kernel kind = c->csr_per_thread ? SIMT_SP_CSR_THREAD : SIMT_SP_CSR_WARP;
    s = simt_gen_sparse_split(&k, kind, c->nz, N, K, M, 0,
                              simt_k_splits(kind, N, K, M, 1, cfg->n_sm), d);
    break;
  }
  case CM_FMT_BSR:
    s = simt_gen_sparse_split(&k, SIMT_SP_BSR, c->nz, N, K, M, c->fmt.block,
                              simt_k_splits(SIMT_SP_BSR, N, K, M, c->fmt.block, cfg->n_sm), d);
    break;
  case CM_FMT_NM: /* 2:4 (sparse_refuses) */
    s = simt_gen_tc_gemm(&k, N, K, M, true, d);
    break;
  default: /* refused before (sparse_refuses) */
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0, "no SIMT kernel for format '%s'",
                       cm_sparse_format_name(c->fmt.fmt));
  }
  return run_generated(cfg, state, &k, s, r, x, d);
}

/* A sparse case, with the counters of the break-even model's P_eff: the
 * MACs on non-zero weights (nnz x M; every MAC for the dense reference) and
 * the busy cycles of the kernel that ran (pipe_busy_cycles). */
/* The kernels there are: CSR, BSR of 2 x 2, 4 x 4 and 8 x 8 blocks
 * (simt_sparse.c's generator takes no other: bsr16 and bsr1 were refused
 * at the first sparse point, the workload blamed, exit 1), 2:4 on sparse
 * tensor cores, and the dense kernel for a mask or the kept channels. */
static bool sparse_refuses(const void *cfg, const cm_sparse_spec *f, bool gate, char *why,
                           size_t size) {
  (void)gate;
  switch (f->fmt) {
  case CM_FMT_DENSE:
  case CM_FMT_MASK:
  case CM_FMT_CHANNEL:
  case CM_FMT_CSR: return false;
  case CM_FMT_BSR:
    if (f->block == 2 || f->block == 4 || f->block == 8) return false;
    snprintf(why, size, "the BSR kernel takes blocks of 2, 4 or 8 (bsr2, bsr4, bsr8), not %u",
             f->block);
    return true;
  case CM_FMT_NM:
    if (f->n != 2 || f->m != 4) {
      snprintf(why, size, "sparse tensor cores run 2:4, not %u:%u", f->n, f->m);
      return true;
    }
    /* a GPU without them (volta) is known before any run: it failed at the
     * first point, after the dense reference's kernels had run */
    if (cfg && !((const simt_config *)cfg)->sparse_tensor) {
      snprintf(why, size,
               "2:4 runs on sparse tensor cores, which this GPU lacks (sparse_tensor = 0; "
               "Ampere and later have them: --gpu ampere)");
      return true;
    }
    return false;
  default:
    snprintf(why, size,
             "no SIMT kernel for format '%s' (simt runs csr, bsr, 2:4, mask and channel)",
             cm_sparse_format_name(f->fmt));
    return true;
  }
}

/* The break-even sweep's limits (hw_sparse_limits): 2:4 on sparse tensor
 * cores keeps the general ones (4096x1024x1024, 2^32 MACs, 21 s a point).
 * The CUDA-core kernels (every other format, and their dense reference)
 * are slower by far: N x K <= 2^24 weights (AlexNet's FC-2, 1x4096x4096,
 * 47 s a point) and M x N x K <= 2^28 MACs (1024x512x512, 13 s a point);
 * AlexNet's FC-1 (1x4096x9216, 52 s) is past them.  Times at sparsity 0.5
 * on a 2-core machine under load; 1024^3 and 1x8192x8192 took 30 and 79 s
 * a point.  And M x N <= 2^20 outputs, a thread each: with K = 1 a product
 * is within the MACs and costs per output, 1x1048576x1 26 s a point,
 * 1x4194304x1 137 s, 16777216x1x1 hours for a sweep (ResNet-18's conv1,
 * 12544 x 64, 0.8 M outputs, is within it; VGG's first layer, 3.2 M, not). */
static void sparse_limits(const void *cfg, const cm_sparse_spec *f, hw_sparse_limits *lim) {
  (void)cfg;
  if (f->fmt == CM_FMT_NM) return;
  lim->weights_max = 1ull << 24;
  lim->macs_max = 1ull << 28;
  lim->outputs_max = 1ull << 20;
  lim->on = "CUDA cores";
}

static em_status sparse_point(const void *cfgv, void *state, const cm_energy_table *t,
                              const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                              em_diag *d) {
  (void)t;
  em_status s = sparse_run(cfgv, state, c, r, x, d);
  if (s != EM_OK) return s;
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  uint64_t nnz = c->nz ? cm_sparse_nnz(c->nz, v.n * v.k) : v.n * v.k;
  /* an overflowing count (past 2^64 MACs) or a run with nothing left to do
   * counts nothing: the sweep then fits P_eff */
  if (!r->ran || !em_mul_u64(nnz, v.m, &x->useful_macs)) x->useful_macs = x->busy_cycles = 0;
  return EM_OK;
}

/* Its DRAM at its own interface's price (dram_pj_per_bit, HBM2's 3.9
 * pJ/bit on the presets); 0 prices it from the energy table's rows. */
static bool own_dram_price(const void *cfg) {
  return ((const simt_config *)cfg)->dram_pj_per_bit > 0;
}

/* Area: the published die of the GPU's chip at its own node, not a figure of
 * this model (a GPU is not built from our RTL): the GPU file's die_area_mm2
 * and die_nm, so a copy of a preset's file keeps its die.  The presets give
 * V100 (GV100) 815 mm^2 at TSMC 12 nm FFN (NVIDIA Tesla V100 GPU
 * Architecture whitepaper, 2017) and A100 (GA100) 826 mm^2 at TSMC 7 nm
 * (NVIDIA A100 Tensor Core GPU Architecture whitepaper, 2020); NVIDIA
 * publishes none for Jetson AGX Orin: unknown (0).  A file's die is its own
 * n_sm's: with an SM count set over it (gpu.n_sm) the GPU is not that chip,
 * unknown too, unless die_area_mm2 is set as well; other settings leave it.
 * No leakage: the GPU's energy model charges its own static power. */
static void area(const void *cfg, const wl_layer *l, hw_area *a) {
  static const struct {
    const char *preset;
    double mm2;
    const char *source;
  } dies[] = {{"volta", 815, "NVIDIA V100 whitepaper: GV100 die, 815 mm^2, 12 nm"},
              {"ampere", 826, "NVIDIA A100 whitepaper: GA100 die, 826 mm^2, 7 nm"}};
  const simt_config *c = cfg;
  (void)l;
  if (!(c->die_area_mm2 > 0)) {
    a->source = strcmp(c->name, "jetson") == 0
                    ? "NVIDIA publishes no die area for Jetson AGX Orin"
                    : "the GPU gives no die area (die_area_mm2)";
    return;
  }
  if (c->die_sm && c->n_sm != c->die_sm) { /* not that die */
    a->source = "the GPU's die (die_area_mm2) is its chip's with another n_sm; set "
                "die_area_mm2 for this one";
    return;
  }
  a->total_mm2 = c->die_area_mm2;
  a->node_nm = (unsigned)c->die_nm;
  a->source = "the GPU's die_area_mm2";
  for (size_t i = 0; i < sizeof dies / sizeof dies[0]; i++)
    if (!strcmp(c->name, dies[i].preset) && c->die_area_mm2 == dies[i].mm2)
      a->source = dies[i].source;
}

const hw_model hw_simt = {
    .name = "simt",
    .summary = "a SIMT GPU: warps, divergence, schedulers, caches, DRAM (Accel-Sim style)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
    .refuses_cfg = refuses_cfg,
    .default_prec = {32, true},
    .config_size = sizeof(simt_config),
    .init = (void (*)(void *))simt_config_default,
    .set = set,
    .set_extra = set_extra,
    .check = check,
    .open = open_state,
    .close = close_state,
    .run_layer = run_layer,
    .run_native = run_native,
    .freq_mhz = freq_mhz,
    .dram_gbps = dram_gbps,
    .own_dram_price = own_dram_price,
    .describe = describe,
    .host_bytes = host_bytes,
    .layer_note = layer_note,
    .network_note = network_note,
    .native_note = native_note,
    .check_layer = check_layer,
    .sparse_point = sparse_point,
    .sparse_refuses = sparse_refuses,
    .sparse_limits = sparse_limits,
    .area = area,
};
