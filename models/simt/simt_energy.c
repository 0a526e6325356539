/* simt_energy.c - event counts x energy per event (simt_energy.h). */
#include "simt_energy.h"

#include <stdio.h>
#include <string.h>

static const char *const ecomp_names[SIMT_E_COUNT] = {
#define SIMT_ECOMP_NAME(n, s, h) s,
    SIMT_ECOMP_MAP(SIMT_ECOMP_NAME)
#undef SIMT_ECOMP_NAME
};

const char *simt_ecomp_name(simt_ecomp c) { return c < SIMT_E_COUNT ? ecomp_names[c] : "?"; }

static void note(simt_energy_model *m, const char *what, const cm_energy_value *v) {
  if (!v->scaled || m->n_notes >= sizeof m->notes / sizeof m->notes[0]) return;
  for (unsigned i = 0; i < m->n_notes; i++)
    if (strncmp(m->notes[i], what, strlen(what)) == 0) return;
  snprintf(m->notes[m->n_notes++], sizeof m->notes[0], "%s: %s", what, v->note);
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
  em_status s = cm_energy_mem(t, op, cap, bits, &v, d);
  if (s != EM_OK) return s;
  note(m, what, &v);
  *out = v.energy_pj;
  return EM_OK;
}

em_status simt_energy_model_init(simt_energy_model *m, const cm_energy_table *t,
                                 const simt_config *c, em_diag *d) {
  memset(m, 0, sizeof *m);
  double f32[2], f16m[2], f64[2], i32[2], hmma[2];
  em_status s;
  if ((s = mac(m, t, true, 32, 32, "fp32", f32, d)) != EM_OK ||
      (s = mac(m, t, true, 16, 16, "fp16", f16m, d)) != EM_OK ||
      (s = mac(m, t, true, 64, 64, "fp64", f64, d)) != EM_OK ||
      (s = mac(m, t, false, 32, 32, "int32", i32, d)) != EM_OK ||
      (s = mac(m, t, true, 16, 32, "tensor", hmma, d)) != EM_OK)
    return s;
  double *e = m->op_lane_pj;
  e[SIMT_OP_FFMA] = f32[0] + f32[1];
  e[SIMT_OP_FADD] = e[SIMT_OP_FMNMX] = e[SIMT_OP_FSETP] = f32[1];
  e[SIMT_OP_FMUL] = f32[0];
  e[SIMT_OP_IMAD] = i32[0] + i32[1];
  e[SIMT_OP_IADD] = e[SIMT_OP_ISETP] = e[SIMT_OP_MOV] = e[SIMT_OP_SHFL] = i32[1];
  e[SIMT_OP_HFMA2] = 2.0 * (f16m[0] + f16m[1]);
  e[SIMT_OP_DFMA] = f64[0] + f64[1];
  e[SIMT_OP_MUFU] = 4.0 * (f32[0] + f32[1]);
  /* 1024 multiply-adds per warp instruction, counted per lane of 32 */
  e[SIMT_OP_HMMA] = 1024.0 * (hmma[0] + hmma[1]) / 32.0;
  e[SIMT_OP_HMMASP] = e[SIMT_OP_HMMA]; /* the 1024 multiply-adds it does */

  /* register file: the table's register row, else an SRAM of one sub-core's file */
  em_diag scratch;
  cm_energy_value v;
  if (cm_energy_mem(t, CM_OP_REG, 0, 32, &v, &scratch) == EM_OK) {
    note(m, "register file", &v);
    m->reg_pj = v.energy_pj;
  } else if ((s = mem(m, t, CM_OP_SRAM_READ, c->regs_per_sm * 4 / c->n_sched, 32,
                      "register file", &m->reg_pj, d)) != EM_OK)
    return s;
  if ((s = mem(m, t, CM_OP_SRAM_READ, c->smem_per_sm ? c->smem_per_sm : 1, 32 * 32,
               "shared memory", &m->smem_pj, d)) != EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_READ, c->l1_bytes, 256, "L1 read", &m->l1_read_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_WRITE, c->l1_bytes, 256, "L1 write", &m->l1_write_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_READ, c->l2_bytes, 256, "L2 read", &m->l2_read_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_SRAM_WRITE, c->l2_bytes, 256, "L2 write", &m->l2_write_pj, d)) !=
          EM_OK ||
      (s = mem(m, t, CM_OP_DRAM_READ, 0, 256, "DRAM read", &m->dram_read_pj, d)) != EM_OK ||
      (s = mem(m, t, CM_OP_DRAM_WRITE, 0, 256, "DRAM write", &m->dram_write_pj, d)) != EM_OK)
    return s;
  /* W x (1 / (MHz x 1e6)) s = J per cycle; x 1e12 pJ */
  m->static_pj_per_cycle = c->static_power_w / (c->core_freq_mhz * 1e6) * 1e12;
  return EM_OK;
}

void simt_energy_compute(const simt_energy_model *m, const simt_stats *st, simt_energy *out) {
  memset(out, 0, sizeof *out);
  for (int op = 0; op < SIMT_OP_COUNT; op++) {
    double e = m->op_lane_pj[op] * (double)st->op_lane_insts[op];
    out->comp_pj[SIMT_E_ALU] += e;
    out->class_pj[simt_op_class((simt_op)op)] += e;
  }
  out->comp_pj[SIMT_E_REG] = m->reg_pj * (double)(st->reg_reads + st->reg_writes);
  for (int c = 0; c < SIMT_CLASS_COUNT; c++)
    out->class_pj[c] += m->reg_pj * (double)st->class_reg_accesses[c];

  double smem_st = m->smem_pj * (double)st->smem_st_wavefronts;
  out->comp_pj[SIMT_E_SMEM] = m->smem_pj * (double)st->smem_wavefronts;
  out->class_pj[SIMT_CLASS_SHARED_ST] += smem_st;
  out->class_pj[SIMT_CLASS_SHARED_LD] += out->comp_pj[SIMT_E_SMEM] - smem_st;

  const simt_mem_stats *ms = &st->mem;
  double l1r = m->l1_read_pj * (double)ms->l1_sectors, l1w = m->l1_write_pj * (double)ms->l1_stores;
  double l2r = m->l2_read_pj * (double)ms->l2_sectors, l2w = m->l2_write_pj * (double)ms->l2_stores;
  double dr = m->dram_read_pj * (double)ms->dram_reads;
  double dw = m->dram_write_pj * (double)ms->dram_writes;
  out->comp_pj[SIMT_E_L1] = l1r + l1w;
  out->comp_pj[SIMT_E_L2] = l2r + l2w;
  out->comp_pj[SIMT_E_DRAM] = dr + dw;
  out->class_pj[SIMT_CLASS_GLOBAL_LD] += l1r + l2r + dr;
  out->class_pj[SIMT_CLASS_GLOBAL_ST] += l1w + l2w + dw;
  out->comp_pj[SIMT_E_STATIC] = m->static_pj_per_cycle * (double)st->cycles;
  for (int c = 0; c < SIMT_E_COUNT; c++) out->total_pj += out->comp_pj[c];
}
