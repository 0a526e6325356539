/*
 * simt_hw.c - the SIMT GPU's entry in the hardware-model table
 * (hw_model.h): a preset or GPU file (key `gpu`, default volta) with any of
 * its settings (simt_config.h's table, through set_extra), a layer as the
 * generated fp32 CUDA-core kernel (simt_gen_layer) run cycle by cycle, and
 * its energy per event (simt_energy.h).
 */
#include <stdlib.h>
#include <string.h>

#include "hw_model.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"

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

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  return simt_config_load_spec(v, cfg, d);
}

static em_status set_extra(void *cfg, const char *key, const char *v, em_diag *d) {
  return simt_config_set(cfg, key, v, NULL, 0, 0, d);
}

static em_status check(const void *cfg, em_diag *d) { return simt_config_check(cfg, NULL, d); }

static double freq_mhz(const void *cfg) { return ((const simt_config *)cfg)->core_freq_mhz; }

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
  r->cycles = x->stats.cycles;
  r->energy_pj[HW_E_COMPUTE] = c[SIMT_E_ALU];
  r->energy_pj[HW_E_LOCAL] = c[SIMT_E_REG];
  r->energy_pj[HW_E_SRAM] = c[SIMT_E_SMEM] + c[SIMT_E_L1] + c[SIMT_E_L2];
  r->energy_pj[HW_E_DRAM] = c[SIMT_E_DRAM];
  r->energy_pj[HW_E_STATIC] = c[SIMT_E_STATIC];
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
  em_status st = simt_gen_layer(&k, l, d);
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

const hw_model hw_simt = {
    .name = "simt",
    .summary = "a SIMT GPU: warps, divergence, schedulers, caches, DRAM (Accel-Sim style)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
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
};
