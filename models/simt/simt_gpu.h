/*
 * simt_gpu.h - cycle-level SIMT GPU: SMs, warps, schedulers, scoreboard.
 *
 * Each SM holds up to max_threads_per_sm / warp_size warps, split over
 * n_sched schedulers (sub-cores; warp slot s belongs to scheduler s mod
 * n_sched).  Each scheduler issues at most one warp instruction per cycle,
 * chosen by LRR, GTO or two-level policy, when its operands are ready
 * (scoreboard: a register is ready at the cycle its producer's latency ends,
 * or when its load's data arrives) and its unit is free (the unit accepts a
 * warp instruction every warp_size / lanes cycles: the initiation interval).
 * Branches of generated kernels diverge on a reconvergence stack at the
 * immediate post-dominator; traced kernels replay the trace's masks.
 * Blocks go to SMs as occupancy allows (registers, shared memory, threads,
 * blocks per SM); a finished block frees its SM for the next one.
 *
 * Determinism: no clock, no randomness; the same kernel and configuration
 * give the same statistics.  Idle cycles are skipped, not stepped.
 */
#ifndef SIMT_GPU_H
#define SIMT_GPU_H

#include <stdbool.h>
#include <stdint.h>

#include "em_diag.h"
#include "simt_config.h"
#include "simt_kernel.h"
#include "simt_mem.h"

#define SIMT_STALL_MAP(X)                                                       \
  X(MEM_DATA, "mem_data", "waiting for a load's data")                          \
  X(EXEC_DEP, "exec_dep", "waiting for an arithmetic result")                   \
  X(PIPE_BUSY, "pipe_busy", "the unit is busy (initiation interval)")           \
  X(MEM_STRUCT, "mem_struct", "memory port or miss entries full")               \
  X(BARRIER, "barrier", "waiting at a block barrier")                           \
  X(CONTROL, "control", "branch resolution")                                    \
  X(IDLE, "idle", "no warp resident")

typedef enum {
#define SIMT_STALL_ENUM(name, s, h) SIMT_STALL_##name,
  SIMT_STALL_MAP(SIMT_STALL_ENUM)
#undef SIMT_STALL_ENUM
  SIMT_STALL_COUNT
} simt_stall;

const char *simt_stall_name(simt_stall s);

typedef enum {
  SIMT_LIMIT_CTAS,
  SIMT_LIMIT_THREADS,
  SIMT_LIMIT_REGS,
  SIMT_LIMIT_SMEM
} simt_limit;

typedef struct {
  uint64_t blocks_per_sm;
  uint64_t warps_per_block;
  uint64_t regs_per_warp; /* allocated, rounded to reg_alloc_unit */
  simt_limit limiter;
} simt_occupancy;

/* Blocks of kernel k that one SM holds; blocks_per_sm 0 = the block does
 * not fit at all. */
simt_occupancy simt_occupancy_compute(const simt_config *c, const simt_kernel *k);
/* The warp instructions kernel k issues at least on GPU c (UINT64_MAX where
 * its warps overflow 64 bits): a trace's lines; a generated kernel's warps
 * times its program's shortest path to an exit (each warp walks one), and
 * its flops over the most one of its
 * warp instructions does (a CUDA core's FFMA, 2 a lane, its HFMA2s'
 * half_flops 4; an MMA of the widest shape the program issues, 2 flops a
 * multiply-add: HMMA.884's 256 on Volta's WMMA GEMM; all of its flops at
 * the tensor cores' rate where the program has MMAs and its generator gave
 * no tensor_flops).
 * simt_gpu_run refuses a kernel whose bound is over max_warp_insts. */
uint64_t simt_kernel_insts_at_least(const simt_config *c, const simt_kernel *k);
/* The checks simt_gpu_run makes of kernel k on GPU c before its first
 * cycle that its shape decides, in its order and words: a block that fits
 * no SM (occupancy occ, simt_occupancy_compute) or holds over 64 warps; at
 * least `least` warp instructions (simt_kernel_insts_at_least; 0: not
 * checked) over max_warp_insts.  The error into d (may be NULL), located
 * nowhere; EM_OK where they pass.  The model table's check_layer refuses a
 * layer with it before any layer runs. */
em_status simt_gpu_check_kernel(const simt_config *c, const simt_kernel *k,
                                const simt_occupancy *occ, uint64_t least, em_diag *d);
/* Warp instructions a second the model simulates on one host core, the
 * range models/simt/README.md's "Speed" measured, and the count over which
 * a run takes a minute or more, which the user is told before it starts. */
#define SIMT_RATE_LO 2e6
#define SIMT_RATE_HI 16e6
#define SIMT_NOTE_INSTS 1000000000ull
/* "1 to 8 minutes": lo to hi seconds in buf, in the unit that suits hi. */
void simt_span_text(double lo, double hi, char *buf, size_t size);
/* "WHAT at least N warp instructions: expect ..." in buf where n is over
 * SIMT_NOTE_INSTS (true), else nothing (false); what has its verb: "kernel
 * 'fc1' issues". */
bool simt_insts_note(const char *what, uint64_t n, char *buf, size_t size);
const char *simt_limit_name(simt_limit l);

typedef struct {
  char kernel[64];
  uint64_t cycles;        /* from the first block's issue to the last one's end */
  uint64_t launch_cycles; /* before them: the kernel's launch, the GPU idle
                           * (kernel_launch_cycles; 0 when nothing ran) */
  uint64_t warp_insts;    /* issued warp instructions */
  uint64_t lane_insts;    /* sum of active lanes over issued instructions */
  uint64_t warp_size;
  uint64_t class_warp_insts[SIMT_CLASS_COUNT];
  uint64_t class_lane_insts[SIMT_CLASS_COUNT];
  uint64_t op_lane_insts[SIMT_OP_COUNT];      /* active lanes per opcode (energy) */
  uint64_t class_reg_accesses[SIMT_CLASS_COUNT]; /* register reads + writes per lane */
  uint64_t sched_cycles;  /* schedulers x cycles */
  uint64_t stall[SIMT_STALL_COUNT]; /* scheduler cycles without an issue, by cause */
  uint64_t branches, divergent_branches, max_stack_depth;
  uint64_t gld_requests, gld_sectors, gst_requests, gst_sectors;
  uint64_t smem_requests, smem_wavefronts;
  uint64_t smem_conflict_cycles;  /* wavefronts beyond what the access width needs */
  uint64_t smem_st_wavefronts;    /* of smem_wavefronts, those of stores */
  uint64_t reg_reads, reg_writes; /* per lane, 32-bit, from and to the banks */
  uint64_t reg_reuse_reads;       /* per lane, sources the operand reuse caches served */
  uint64_t class_reg_reuse[SIMT_CLASS_COUNT]; /* of reg_reuse_reads, per class */
  uint64_t rf_conflict_cycles;    /* results delayed by register-bank conflicts */
  uint64_t flops;                 /* executed: 2 per lane FMA, 1 per lane add/mul, 2 per
                                   * MAC of an MMA's shape (sparse: of the dense product) */
  uint64_t tensor_flops;          /* of flops, those of MMAs */
  uint64_t tensor_macs;           /* MACs the tensor cores did (sparse: half the product's) */
  uint64_t tensor_kind_macs[SIMT_MMA_KIND_COUNT]; /* of tensor_macs, by operand type (energy) */
  uint64_t blocks;
  simt_occupancy occ;
  simt_mem_stats mem;
} simt_stats;

/* IPC (warp instructions per cycle, whole GPU) and SIMD efficiency (active
 * lanes over warp_size x warp instructions); 0 when nothing ran. */
double simt_stats_ipc(const simt_stats *s);
double simt_stats_simd_eff(const simt_stats *s);

/* Called on each issued instruction when given (the slow path, chosen once
 * per run): cycle, SM, warp slot, pc (trace line index for traces), opcode
 * and active mask. */
typedef void (*simt_issue_hook)(void *arg, uint64_t cycle, uint32_t sm, uint32_t warp,
                                uint32_t pc, simt_op op, uint32_t mask);

typedef struct simt_gpu simt_gpu;

/* The host memory a GPU model of c holds at most: its caches, and its
 * warps with register and trace state for the largest kernel.  A GPU file
 * of a few lines (4096 SMs of 16 MiB of L1, or of 2048 warps) would ask
 * for tens of GiB, which Linux's default overcommit hands out unwritten,
 * leaving the OOM killer to end the process when it is written, so
 * simt_gpu_create refuses a configuration over the run's host memory budget
 * (em_host_budget, 16 GiB by default; EM_ERR_LIMIT).  By this count volta
 * takes 52 MiB, ampere 94 and jetson 10, and volta at 4096 SMs 2.4 GiB. */
uint64_t simt_gpu_footprint(const simt_config *c);

em_status simt_gpu_create(const simt_config *c, simt_gpu **out, em_diag *d);
void simt_gpu_destroy(simt_gpu *g);

/* Runs one kernel from cold caches; fills st.  Errors: the block does not
 * fit an SM, the program uses a unit the GPU lacks (HMMA without tensor
 * cores), the reconvergence stack overflows, the kernel deadlocks. */
em_status simt_gpu_run(simt_gpu *g, const simt_kernel *k, simt_issue_hook hook,
                       void *hook_arg, simt_stats *st, em_diag *d);

#endif
