/*
 * simt_energy.c - event counts x energy per event, plus constant, static and
 * idle power x time (simt_energy.h).
 *
 * Units: pJ per event, watts for power, core cycles for time.  The energy
 * table gives each event at its own process node (Horowitz, 45 nm, by
 * default); the GPU's energy_scale carries it to the GPU's process and
 * (core_voltage_v / ref_voltage_v)^2 to its voltage, dynamic energy being
 * C V^2.  Static power scales with V / V_ref and constant power not at all:
 * AccelWattch's DVFS rule (gpgpu-sim's accelwattch/gpgpu_sim_wrapper.cc).
 */
#include "simt_energy.h"

#include <stdio.h>
#include <string.h>

static const char *const ecomp_names[SIMT_E_COUNT] = {
#define SIMT_ECOMP_NAME(n, s, h) s,
    SIMT_ECOMP_MAP(SIMT_ECOMP_NAME)
#undef SIMT_ECOMP_NAME
};

const char *simt_ecomp_name(simt_ecomp c) { return c < SIMT_E_COUNT ? ecomp_names[c] : "?"; }

/* Volta's per-sub-core L0 instruction cache is about 12 KB (Jia et al.,
 * "Dissecting the NVIDIA Volta GPU architecture via microbenchmarking",
 * 2018); 16 KB is the round size the fetch is priced at.  Instructions are
 * 128 bits from Volta on. */
#define FETCH_CACHE_BYTES 16384u
#define INST_BITS 128u

static void note(simt_energy_model *m, const char *what, const cm_energy_value *v) {
  if (!v->scaled || m->n_notes >= sizeof m->notes / sizeof m->notes[0]) return;
  for (unsigned i = 0; i < m->n_notes; i++)
    if (strncmp(m->notes[i], what, strlen(what)) == 0) return;
  snprintf(m->notes[m->n_notes++], sizeof m->notes[0], "%s: %s", what, v->note);
}

/* One tensor-core multiply-add of each operand type (simt_energy.h): a
 * lane of a four-element dot-product unit, as Raihan, Goli and Aamodt
 * ("Modeling deep learning accelerator enabled GPUs", ISPASS 2019) describe
 * Volta's tensor core: four products summed at the product's significand
 * width, then one add into the accumulator.  `sum_bits` is the product's
 * significand (2 x 11 for fp16 and tf32, 2 x 53 for fp64; an integer
 * product's full width; binary's AND is 1 bit). */
#define DOT_WIDTH 4.0
static const struct {
  simt_mma_kind kind;
  bool fp;
  unsigned bits, sum_bits, acc_bits;
  const char *what;
} mma_types[] = {
    {SIMT_MMA_FP16, true, 16, 22, 32, "tensor fp16"},
    {SIMT_MMA_TF32, true, 19, 22, 32, "tensor tf32"},
    {SIMT_MMA_INT8, false, 8, 16, 32, "tensor int8"},
    {SIMT_MMA_INT4, false, 4, 8, 32, "tensor int4"},
    {SIMT_MMA_B1, false, 1, 1, 32, "tensor binary"},
    {SIMT_MMA_FP64, true, 64, 106, 64, "tensor fp64"},
};

static em_status tensor_mac(simt_energy_model *m, const cm_energy_table *t, unsigned i,
                            em_diag *d) {
  cm_energy_value mv, sv, av;
  char what[48];
  em_status s = cm_energy_mult(t, mma_types[i].fp, mma_types[i].bits, mma_types[i].bits, &mv, d);
  if (s == EM_OK) s = cm_energy_add(t, false, mma_types[i].sum_bits, &sv, d);
  if (s == EM_OK) s = cm_energy_add(t, mma_types[i].fp, mma_types[i].acc_bits, &av, d);
  if (s != EM_OK) return s;
  snprintf(what, sizeof what, "%s multiply", mma_types[i].what);
  note(m, what, &mv);
  snprintf(what, sizeof what, "%s product sum", mma_types[i].what);
  note(m, what, &sv);
  snprintf(what, sizeof what, "%s accumulate", mma_types[i].what);
  note(m, what, &av);
  m->mma_mac_pj[mma_types[i].kind] =
      mv.energy_pj + (DOT_WIDTH - 1.0) / DOT_WIDTH * sv.energy_pj + av.energy_pj / DOT_WIDTH;
  return EM_OK;
}

/* mult + add of one precision: a multiply-add. */
static em_status mac(simt_energy_model *m, const cm_energy_table *t, bool fp, unsigned mbits,
                     unsigned abits, const char *what, double *out, em_diag *d) {
  cm_energy_value mv, av;
  em_status s = cm_energy_mult(t, fp, mbits, mbits, &mv, d);
  if (s == EM_OK) s = cm_energy_add(t, fp, abits, &av, d);
  if (s != EM_OK) return s;
  note(m, what, &mv);
  note(m, what, &av);
  out[0] = mv.energy_pj;
  out[1] = av.energy_pj;
  return EM_OK;
}

static em_status mem(simt_energy_model *m, const cm_energy_table *t, cm_op op, uint64_t cap,
                     unsigned bits, const char *what, double *out, em_diag *d) {
  cm_energy_value v;
  em_status s = cm_energy_mem(t, op, cap ? cap : 1, bits, &v, d);
  if (s != EM_OK) return s;
  note(m, what, &v);
  *out = v.energy_pj;
  return EM_OK;
}

em_status simt_energy_model_init(simt_energy_model *m, const cm_energy_table *t,
                                 const simt_config *c, em_diag *d) {
  memset(m, 0, sizeof *m);
  double f32[2], f16m[2], f64[2], i32[2];
  em_status s;
  if ((s = mac(m, t, true, 32, 32, "fp32", f32, d)) != EM_OK ||
      (s = mac(m, t, true, 16, 16, "fp16", f16m, d)) != EM_OK ||
      (s = mac(m, t, true, 64, 64, "fp64", f64, d)) != EM_OK ||
      (s = mac(m, t, false, 32, 32, "int32", i32, d)) != EM_OK)
    return s;
  for (unsigned i = 0; i < sizeof mma_types / sizeof mma_types[0]; i++)
    if ((s = tensor_mac(m, t, i, d)) != EM_OK) return s;
  double *e = m->op_lane_pj;
  e[SIMT_OP_FFMA] = f32[0] + f32[1];
  e[SIMT_OP_FADD] = e[SIMT_OP_FMNMX] = e[SIMT_OP_FSETP] = f32[1];
  e[SIMT_OP_FMUL] = f32[0];
  e[SIMT_OP_IMAD] = i32[0] + i32[1];
  e[SIMT_OP_IADD] = e[SIMT_OP_ISETP] = e[SIMT_OP_MOV] = e[SIMT_OP_SHFL] = i32[1];
  e[SIMT_OP_ATOMG] = e[SIMT_OP_RED] = i32[1]; /* the add, done in the L2 slice */
  e[SIMT_OP_HFMA2] = 2.0 * (f16m[0] + f16m[1]);
  e[SIMT_OP_DFMA] = f64[0] + f64[1];
  e[SIMT_OP_MUFU] = 4.0 * (f32[0] + f32[1]);

  /* register file: the table's register row, else a lane's slice of a bank */
  uint64_t slice = c->regs_per_sm * 4 / (c->n_sched * c->rf_banks * c->warp_size);
  em_diag scratch;
  cm_energy_value v;
  if (cm_energy_mem(t, CM_OP_REG, 0, 32, &v, &scratch) == EM_OK) {
    note(m, "register file", &v);
    m->reg_pj = v.energy_pj;
  } else if ((s = mem(m, t, CM_OP_SRAM_READ, slice, 32, "register file", &m->reg_pj, d)) !=
             EM_OK)
    return s;
  /* an operand reuse cache: a 32-bit latch per lane and slot beside the
   * collector, no array, decoder or bit lines; priced as the table's 32-bit
   * integer add (the table has no latch row; Horowitz 45 nm: 0.1 pJ, a
   * fiftieth of the bank read) */
  m->reuse_pj = i32[1];
  double fetch, sched;
  if ((s = mem(m, t, CM_OP_SRAM_READ, FETCH_CACHE_BYTES, INST_BITS, "instruction fetch", &fetch,
               d)) != EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_READ, FETCH_CACHE_BYTES, INST_BITS, "instruction buffer",
               &sched, d)) != EM_OK)
    return s;
  m->front_pj = fetch + sched;
  double bank;
  uint64_t l2_slice = c->l2_bytes / c->l2_slices;
  if ((s = mem(m, t, CM_OP_SRAM_READ, c->smem_per_sm / c->smem_banks, 32, "shared memory",
               &bank, d)) != EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_READ, c->l1_bytes, 256, "L1 read", &m->l1_read_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_WRITE, c->l1_bytes, 256, "L1 write", &m->l1_write_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_READ, l2_slice, 256, "L2 read", &m->l2_read_pj, d)) != EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_WRITE, l2_slice, 256, "L2 write", &m->l2_write_pj, d)) != EM_OK)
    return s;
  m->smem_pj = bank * (double)c->smem_banks;
  if (c->dram_pj_per_bit > 0) {
    m->dram_read_pj = m->dram_write_pj = c->dram_pj_per_bit * 256.0;
  } else if ((s = mem(m, t, CM_OP_DRAM_READ, 0, 256, "DRAM read", &m->dram_read_pj, d)) !=
                 EM_OK ||
             (s = mem(m, t, CM_OP_DRAM_WRITE, 0, 256, "DRAM write", &m->dram_write_pj, d)) !=
                 EM_OK)
    return s;

  /* the table's node and voltage to the GPU's (DRAM's interface excepted
   * when the preset gives it) */
  double vr = c->core_voltage_v / c->ref_voltage_v;
  m->dyn_scale = c->energy_scale * vr * vr;
  for (int op = 0; op < SIMT_OP_COUNT; op++) m->op_lane_pj[op] *= m->dyn_scale;
  for (int k = 0; k < SIMT_MMA_KIND_COUNT; k++) m->mma_mac_pj[k] *= m->dyn_scale;
  m->front_pj *= m->dyn_scale;
  m->reg_pj *= m->dyn_scale;
  m->reuse_pj *= m->dyn_scale;
  m->smem_pj *= m->dyn_scale;
  m->l1_read_pj *= m->dyn_scale;
  m->l1_write_pj *= m->dyn_scale;
  m->l2_read_pj *= m->dyn_scale;
  m->l2_write_pj *= m->dyn_scale;
  if (c->dram_pj_per_bit <= 0) {
    m->dram_read_pj *= m->dyn_scale;
    m->dram_write_pj *= m->dyn_scale;
  }
  if (m->n_notes < sizeof m->notes / sizeof m->notes[0])
    snprintf(m->notes[m->n_notes++], sizeof m->notes[0],
             "process and voltage: the table's dynamic energies x %.4g (energy_scale %g x "
             "(%g V / %g V)^2)%s",
             m->dyn_scale, c->energy_scale, c->core_voltage_v, c->ref_voltage_v,
             c->dram_pj_per_bit > 0 ? "; DRAM at dram_pj_per_bit x 256 per sector, unscaled"
                                    : "");
  m->const_w = c->const_power_w;
  /* the chip's static power is its SMs': a GPU with another n_sm than the
   * figures' chip (static_sm) has as many SMs' worth */
  double sms = c->static_sm ? (double)c->n_sm / (double)c->static_sm : 1.0;
  m->static_w = c->static_power_w * vr * sms;
  m->static_lane_w = c->static_lane_w * vr * sms;
  if (sms != 1.0 && m->n_notes < sizeof m->notes / sizeof m->notes[0])
    snprintf(m->notes[m->n_notes++], sizeof m->notes[0],
             "static power: the %llu-SM chip's %g W (+ %g W a lane) x %llu / %llu SMs",
             (unsigned long long)c->static_sm, c->static_power_w, c->static_lane_w,
             (unsigned long long)c->n_sm, (unsigned long long)c->static_sm);
  m->idle_sm_w = c->idle_sm_w * vr;
  m->n_sm = (double)c->n_sm;
  m->warp_size = (double)c->warp_size;
  m->freq_mhz = c->core_freq_mhz;
  return EM_OK;
}

void simt_energy_compute(const simt_energy_model *m, const simt_stats *st, simt_energy *out) {
  memset(out, 0, sizeof *out);
  for (int op = 0; op < SIMT_OP_COUNT; op++) {
    double e = m->op_lane_pj[op] * (double)st->op_lane_insts[op];
    out->comp_pj[SIMT_E_ALU] += e;
    out->class_pj[simt_op_class((simt_op)op)] += e;
  }
  /* tensor MACs by operand type; any not attributed to a type (statistics
   * filled by hand) are priced as fp16, the generated kernels' type */
  double mma = 0;
  uint64_t typed = 0;
  for (int k = 0; k < SIMT_MMA_KIND_COUNT; k++) {
    mma += m->mma_mac_pj[k] * (double)st->tensor_kind_macs[k];
    typed += st->tensor_kind_macs[k];
  }
  if (st->tensor_macs > typed)
    mma += m->mma_mac_pj[SIMT_MMA_FP16] * (double)(st->tensor_macs - typed);
  out->comp_pj[SIMT_E_ALU] += mma;
  out->class_pj[SIMT_CLASS_TENSOR] += mma;
  out->comp_pj[SIMT_E_FRONT] = m->front_pj * (double)st->warp_insts;
  for (int c = 0; c < SIMT_CLASS_COUNT; c++)
    out->class_pj[c] += m->front_pj * (double)st->class_warp_insts[c];
  out->comp_pj[SIMT_E_REG] = m->reg_pj * (double)(st->reg_reads + st->reg_writes) +
                            m->reuse_pj * (double)st->reg_reuse_reads;
  for (int c = 0; c < SIMT_CLASS_COUNT; c++)
    out->class_pj[c] += m->reg_pj * (double)st->class_reg_accesses[c] +
                        m->reuse_pj * (double)st->class_reg_reuse[c];

  double smem_st = m->smem_pj * (double)st->smem_st_wavefronts;
  out->comp_pj[SIMT_E_SMEM] = m->smem_pj * (double)st->smem_wavefronts;
  out->class_pj[SIMT_CLASS_SHARED_ST] += smem_st;
  out->class_pj[SIMT_CLASS_SHARED_LD] += out->comp_pj[SIMT_E_SMEM] - smem_st;

  const simt_mem_stats *ms = &st->mem;
  double l1r = m->l1_read_pj * (double)ms->l1_sectors, l1w = m->l1_write_pj * (double)ms->l1_stores;
  /* an atomic reads its sector (counted in l2_sectors) and writes it back */
  double l2r = m->l2_read_pj * (double)ms->l2_sectors,
         l2w = m->l2_write_pj * (double)(ms->l2_stores + ms->l2_atomics);
  double dr = m->dram_read_pj * (double)ms->dram_reads;
  double dw = m->dram_write_pj * (double)ms->dram_writes;
  out->comp_pj[SIMT_E_L1] = l1r + l1w;
  out->comp_pj[SIMT_E_L2] = l2r + l2w;
  out->comp_pj[SIMT_E_DRAM] = dr + dw;
  out->class_pj[SIMT_CLASS_GLOBAL_LD] += l1r + l2r + dr + m->l2_write_pj * (double)ms->l2_atomics;
  out->class_pj[SIMT_CLASS_GLOBAL_ST] += l1w + l2w + dw - m->l2_write_pj * (double)ms->l2_atomics;

  /* power x time: W x s = J; 1 cycle = 1 / (MHz x 1e6) s; x 1e12 pJ */
  double s_per_cycle = 1.0 / (m->freq_mhz * 1e6);
  double t_s = (double)st->cycles * s_per_cycle;
  /* SM cycles with a warp resident: scheduler cycles that were not idle,
   * over the schedulers of an SM */
  double sched = (double)st->sched_cycles;
  double active = sched > 0 ? (sched - (double)st->stall[SIMT_STALL_IDLE]) / sched : 0.0;
  if (active < 0) active = 0;
  double lanes = st->warp_insts ? (double)st->lane_insts / (double)st->warp_insts : 1.0;
  if (lanes < 1) lanes = 1;
  out->comp_pj[SIMT_E_STATIC] = (m->static_w + (lanes - 1.0) * m->static_lane_w) * active *
                                t_s * 1e12;
  out->comp_pj[SIMT_E_IDLE] = m->idle_sm_w * m->n_sm * (1.0 - active) * t_s * 1e12;
  out->comp_pj[SIMT_E_CONST] = m->const_w * t_s * 1e12;
  /* the launch: the board on, every SM idle */
  out->comp_pj[SIMT_E_LAUNCH] =
      (m->const_w + m->idle_sm_w * m->n_sm) * (double)st->launch_cycles * s_per_cycle * 1e12;
  for (int c = 0; c < SIMT_E_COUNT; c++) out->total_pj += out->comp_pj[c];
  out->power_w =
      t_s > 0 ? (out->total_pj - out->comp_pj[SIMT_E_LAUNCH]) * 1e-12 / t_s : 0.0;
}
