/*
 * simt_energy.h - energy of a SIMT kernel run: event counts of simt_stats
 * times energy per event from an energy table (costmodel/cm_energy.h), plus
 * static power times run time.
 *
 * Events and their energy (per event; every figure comes from the table, so
 * its provenance travels with the result):
 *   register file   one 32-bit lane read or write: the table's `reg` row when
 *                   it has one, else an SRAM of the sub-core's register file
 *                   size (regs_per_sm x 4 B / n_sched)
 *   ALU, per lane   FFMA fp32 mult + add; FADD/FMNMX/FSETP fp32 add; FMUL fp32
 *                   mult; IMAD int32 mult + add; IADD/ISETP/MOV/SHFL int32
 *                   add; HFMA2 two fp16 mult + add; DFMA fp64 mult + add
 *                   (scaled from the table's widest fp rows); MUFU four fp32
 *                   mult + add (a polynomial step); HMMA 1024 fp16 mults and
 *                   fp32 adds per warp instruction (m16n8k8), and HMMASP
 *                   (2:4 sparse m16n8k16) the 1024 it does
 *   shared memory   one wavefront: 32 banks x 4 B at smem_per_sm capacity
 *   L1              one 32 B sector looked up (loads) or written (stores)
 *                   at l1_bytes capacity
 *   L2              one 32 B sector read or written at l2_bytes capacity
 *   DRAM            one 32 B sector read or written
 *   static          static_power_w x cycles / clock
 * Loads read the SRAM read row, stores the write row.
 *
 * The breakdown by instruction class charges each class its ALU energy, its
 * share of register-file energy (by its lane register accesses), and the
 * memory energy of its kind: global loads take L1 lookups, L2 reads and DRAM
 * reads; global stores L1 and L2 writes and DRAM writes (write-backs); shared
 * loads and stores their wavefronts.  Static energy is its own line.
 */
#ifndef SIMT_ENERGY_H
#define SIMT_ENERGY_H

#include "cm_energy.h"
#include "em_diag.h"
#include "simt_config.h"
#include "simt_gpu.h"

#define SIMT_ECOMP_MAP(X)                            \
  X(REG, "regfile", "register file reads and writes") \
  X(ALU, "alu", "arithmetic by precision")           \
  X(SMEM, "smem", "shared-memory wavefronts")        \
  X(L1, "l1", "L1 sector accesses")                  \
  X(L2, "l2", "L2 sector accesses")                  \
  X(DRAM, "dram", "DRAM sector transfers")           \
  X(STATIC, "static", "static power x time")

typedef enum {
#define SIMT_ECOMP_ENUM(n, s, h) SIMT_E_##n,
  SIMT_ECOMP_MAP(SIMT_ECOMP_ENUM)
#undef SIMT_ECOMP_ENUM
  SIMT_E_COUNT
} simt_ecomp;

const char *simt_ecomp_name(simt_ecomp c);

/* Energy per event, resolved once per table and GPU. */
typedef struct {
  double op_lane_pj[SIMT_OP_COUNT]; /* ALU energy per active lane */
  double reg_pj;                    /* one 32-bit register access */
  double smem_pj;                   /* one wavefront */
  double l1_read_pj, l1_write_pj;   /* one sector */
  double l2_read_pj, l2_write_pj;
  double dram_read_pj, dram_write_pj;
  double static_pj_per_cycle;
  char notes[8][200]; /* how scaled entries were obtained */
  unsigned n_notes;
} simt_energy_model;

typedef struct {
  double comp_pj[SIMT_E_COUNT];
  double class_pj[SIMT_CLASS_COUNT]; /* dynamic energy by instruction class */
  double total_pj;
} simt_energy;

/* Resolves the per-event energies of table t for GPU c.  Errors: the table
 * lacks a row the model needs (fp rows, say), named in d. */
em_status simt_energy_model_init(simt_energy_model *m, const cm_energy_table *t,
                                 const simt_config *c, em_diag *d);

/* Energy of one run's statistics. */
void simt_energy_compute(const simt_energy_model *m, const simt_stats *st, simt_energy *out);

/* What the hardware-model table's SIMT entry (hw_simt) returns as its
 * detail for a layer: the run's statistics and energy, the layer kernel's
 * roofline bound (cycles), its flops and its compulsory DRAM bytes. */
typedef struct {
  simt_stats stats;
  simt_energy energy;
  double roofline_cycles;
  uint64_t flops, min_dram_bytes;
} simt_detail;

#endif
