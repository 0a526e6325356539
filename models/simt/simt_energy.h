/*
 * simt_energy.h - energy and power of a SIMT kernel run, split as AccelWattch
 * splits a GPU's power (Kandiah et al., MICRO 2021): constant power (the
 * board's fans and peripheral circuitry), static power (leakage of the SMs
 * that run, growing with the lanes a warp keeps active, and of idle SMs),
 * and dynamic energy per component and event.
 *
 * Dynamic events and their energy (per event, from the energy table at its
 * process node, times the preset's energy_scale and (V / V_ref)^2; every
 * figure comes from the table, so its provenance travels with the result):
 *   front end       a warp instruction: fetched (128 bits from the sub-core's
 *                   16 KB instruction cache) and scheduled (128 bits of the
 *                   instruction buffer, read likewise)
 *   register file   one 32-bit lane read or write: the table's `reg` row when
 *                   it has one, else the lane's slice of one bank, an SRAM of
 *                   regs_per_sm x 4 B / (n_sched x rf_banks x warp_size)
 *                   read 32 bits wide (a warp's read of a bank row is
 *                   warp_size such slices side by side; Volta: 1 KB each)
 *   ALU, per lane   FFMA fp32 mult + add; FADD/FMNMX/FSETP fp32 add; FMUL fp32
 *                   mult; IMAD int32 mult + add; IADD/ISETP/MOV/SHFL int32
 *                   add; HFMA2 two fp16 mult + add; DFMA fp64 mult + add
 *                   (scaled from the table's widest fp rows); MUFU four fp32
 *                   mult + add (a polynomial step); ATOMG/RED an int32 add
 *                   (in the L2 slice); tensor-core instructions their shape's
 *                   multiply-adds (simt_mma_info), each priced by its
 *                   operand type as one lane of a four-element dot-product
 *                   unit (Raihan et al., ISPASS 2019: Volta's tensor core):
 *                   a multiply of the operand width, 3/4 of an integer add
 *                   of the product's significand width (the tree that sums
 *                   four products) and 1/4 of an add of the accumulator's
 *                   type (one accumulation per four products):
 *                     fp16/bf16  16 x 16 fp mult, 22-bit sum, fp32 acc
 *                     tf32       19 x 19 fp mult, 22-bit sum, fp32 acc
 *                     int8       8 x 8 int mult, 16-bit sum, int32 acc
 *                     int4       4 x 4 int mult, 8-bit sum, int32 acc
 *                     binary     1 x 1 (AND / XOR), 1-bit sum, int32 acc
 *                     fp64       64 x 64 fp mult, 106-bit sum, fp64 acc
 *   shared memory   one wavefront: each of the 32 banks reads 4 B of its
 *                   slice (smem_per_sm / smem_banks)
 *   L1              one 32 B sector looked up (loads) or written (stores)
 *                   at l1_bytes capacity
 *   L2              one 32 B sector read or written in a slice of
 *                   l2_bytes / l2_slices; an atomic reads and writes it
 *   DRAM            one 32 B sector read or written: dram_pj_per_bit x 256
 *                   when the preset gives it (the interface's energy, not the
 *                   core's process: not scaled), else the table's DRAM rows
 * Loads read the SRAM read row, stores the write row.
 *
 * Static and constant power (watts, at ref_voltage_v; static scales with
 * V / V_ref, constant not at all, as AccelWattch's DVFS model does):
 *   constant        const_power_w for the whole run
 *   static          (static_power_w + (lanes - 1) x static_lane_w) times the
 *                   share of SM cycles with a warp resident, lanes the
 *                   average active lanes per warp instruction (AccelWattch's
 *                   linear divergence model)
 *   idle SMs        idle_sm_w per SM with no warp resident
 *   launch          const_power_w + n_sm x idle_sm_w over the kernel's
 *                   launch_cycles, the GPU on and idle before its first block
 * Power = the run's energy but its launch's / (cycles / core_freq_mhz): what
 * the board draws while the kernel runs.
 *
 * The breakdown by instruction class charges each class its ALU energy, its
 * front end, its share of register-file energy (by its lane register
 * accesses), and the memory energy of its kind: global loads take L1
 * lookups, L2 reads and DRAM reads (atomics their L2 read-modify-writes);
 * global stores L1 and L2 writes and DRAM writes (write-backs); shared loads
 * and stores their wavefronts.  Constant, static and idle power are their
 * own lines.
 */
#ifndef SIMT_ENERGY_H
#define SIMT_ENERGY_H

#include "cm_energy.h"
#include "em_diag.h"
#include "simt_config.h"
#include "simt_gpu.h"

#define SIMT_ECOMP_MAP(X)                                      \
  X(REG, "regfile", "register file reads and writes")           \
  X(ALU, "alu", "arithmetic by precision")                     \
  X(SMEM, "smem", "shared-memory wavefronts")                  \
  X(L1, "l1", "L1 sector accesses")                            \
  X(L2, "l2", "L2 sector accesses")                            \
  X(DRAM, "dram", "DRAM sector transfers")                     \
  X(STATIC, "static", "static power of the active SMs x time") \
  X(FRONT, "frontend", "instruction fetch and scheduling")     \
  X(IDLE, "idle_sm", "idle SMs' power x time")                 \
  X(CONST, "constant", "constant board power x time")            \
  X(LAUNCH, "launch", "constant power and idle SMs x the kernel's launch")

typedef enum {
#define SIMT_ECOMP_ENUM(n, s, h) SIMT_E_##n,
  SIMT_ECOMP_MAP(SIMT_ECOMP_ENUM)
#undef SIMT_ECOMP_ENUM
  SIMT_E_COUNT
} simt_ecomp;

const char *simt_ecomp_name(simt_ecomp c);
/* True for the components that are power x time, not events. */
static inline int simt_ecomp_is_static(simt_ecomp c) {
  return c == SIMT_E_STATIC || c == SIMT_E_IDLE || c == SIMT_E_CONST || c == SIMT_E_LAUNCH;
}

/* Energy per event and power, resolved once per table and GPU (dynamic
 * figures already scaled to the GPU's process and voltage). */
typedef struct {
  double op_lane_pj[SIMT_OP_COUNT]; /* ALU energy per active lane */
  double mma_mac_pj[SIMT_MMA_KIND_COUNT]; /* one tensor-core multiply-add, by operand type */
  double front_pj;                  /* one warp instruction's fetch and scheduling */
  double reg_pj;                    /* one 32-bit register access of a lane */
  double reuse_pj;                  /* one 32-bit operand reuse-cache read of a lane */
  double smem_pj;                   /* one wavefront */
  double l1_read_pj, l1_write_pj;   /* one sector */
  double l2_read_pj, l2_write_pj;
  double dram_read_pj, dram_write_pj;
  double dyn_scale;                 /* energy_scale x (V / V_ref)^2, applied above */
  double const_w, static_w, static_lane_w, idle_sm_w; /* at the GPU's voltage */
  double n_sm, warp_size, freq_mhz;
  char notes[32][200]; /* how scaled entries were obtained, and the process scaling */
  unsigned n_notes;
} simt_energy_model;

typedef struct {
  double comp_pj[SIMT_E_COUNT];
  double class_pj[SIMT_CLASS_COUNT]; /* dynamic energy by instruction class */
  double total_pj;
  double power_w; /* total_pj but the launch's, over the run's time (its
                   * cycles; not its launch_cycles); 0 for a run of 0 cycles */
} simt_energy;

/* Resolves the per-event energies of table t for GPU c.  Errors: the table
 * lacks a row the model needs (fp rows, say), named in d. */
em_status simt_energy_model_init(simt_energy_model *m, const cm_energy_table *t,
                                 const simt_config *c, em_diag *d);

/* Energy and power of one run's statistics. */
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
