/*
 * simt_kernel.h - kernels the SIMT model runs: a small SASS-like ISA with
 * per-lane addressing, branches that really diverge, and the opcode table.
 *
 * A generated kernel is a program of static instructions.  Every instruction
 * names its fall-through successor `next` (so a structured if/else needs no
 * separate jump: the study book's A..E example is exactly five instructions),
 * and a branch names its `target`.  simt_program_finalize() computes each
 * branch's reconvergence point as its immediate post-dominator on the
 * control-flow graph (the classic SIMT stack, Fung et al. MICRO 2007).
 *
 * Lane addresses and predicates come from an affine index over the thread's
 * position (tid split at a power of two into lo = tid % split, hi = tid /
 * split), the block index (x, y, z) and the warp's loop counters, or from a
 * kernel callback (im2col gathers, pointer chases, data-dependent branches).
 *
 * The opcode table gives each opcode its unit and latency class; latencies
 * and lanes per unit come from the GPU configuration (simt_config).
 */
#ifndef SIMT_KERNEL_H
#define SIMT_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

#define SIMT_REG_NONE 0xFFFFu
#define SIMT_LOOPS 4u      /* loop counters per warp */
#define SIMT_PROG_MAX 4096u /* static instructions in one generated program */

/* Functional units. */
typedef enum {
  SIMT_UNIT_FP32,
  SIMT_UNIT_INT,
  SIMT_UNIT_FP16,
  SIMT_UNIT_FP64,
  SIMT_UNIT_SFU,
  SIMT_UNIT_TENSOR,
  SIMT_UNIT_LDST, /* global and shared memory */
  SIMT_UNIT_BRANCH,
  SIMT_UNIT_COUNT
} simt_unit;

/* Instruction classes for the energy and count reports. */
typedef enum {
  SIMT_CLASS_FP32,
  SIMT_CLASS_INT,
  SIMT_CLASS_FP16,
  SIMT_CLASS_FP64,
  SIMT_CLASS_SFU,
  SIMT_CLASS_TENSOR,
  SIMT_CLASS_GLOBAL_LD,
  SIMT_CLASS_GLOBAL_ST,
  SIMT_CLASS_SHARED_LD,
  SIMT_CLASS_SHARED_ST,
  SIMT_CLASS_CONTROL, /* branch, barrier, exit, nop */
  SIMT_CLASS_COUNT
} simt_class;

#define SIMT_OP_MAP(X)                                      \
  X(FFMA, FP32, FP32)                                       \
  X(FADD, FP32, FP32)                                       \
  X(FMUL, FP32, FP32)                                       \
  X(FMNMX, FP32, FP32)                                      \
  X(FSETP, FP32, FP32)                                      \
  X(IADD, INT, INT)                                         \
  X(IMAD, INT, INT)                                         \
  X(ISETP, INT, INT)                                        \
  X(MOV, INT, INT)                                          \
  X(SHFL, INT, INT)                                         \
  X(HFMA2, FP16, FP16)                                      \
  X(DFMA, FP64, FP64)                                       \
  X(MUFU, SFU, SFU)                                         \
  X(HMMA, TENSOR, TENSOR)                                   \
  X(HMMASP, TENSOR, TENSOR)                                 \
  X(LDG, LDST, GLOBAL_LD)                                   \
  X(STG, LDST, GLOBAL_ST)                                   \
  X(LDS, LDST, SHARED_LD)                                   \
  X(STS, LDST, SHARED_ST)                                   \
  X(BRA, BRANCH, CONTROL)                                   \
  X(BAR, BRANCH, CONTROL)                                   \
  X(EXIT, BRANCH, CONTROL)                                  \
  X(NOP, INT, CONTROL)

typedef enum {
#define SIMT_OP_ENUM(name, unit, cls) SIMT_OP_##name,
  SIMT_OP_MAP(SIMT_OP_ENUM)
#undef SIMT_OP_ENUM
  SIMT_OP_COUNT
} simt_op;

/* The opcode table: name ("FFMA"), unit, class. */
const char *simt_op_name(simt_op op);
simt_unit simt_op_unit(simt_op op);
simt_class simt_op_class(simt_op op);
const char *simt_class_name(simt_class c);
/* Opcode by SASS name, ignoring a suffix after '.' ("FFMA.FTZ" -> FFMA) and
 * mapping other SASS opcodes to the nearest class (LDG.E.128 -> LDG, ...).
 * Returns false for a name it cannot place. */
bool simt_op_from_sass(const char *name, simt_op *out);

/* Per-lane index: base + c_lo*(tid % split) + c_hi*(tid / split)
 *               + c_cta[0..2]*ctaid.{x,y,z} + c_loop[i]*loop_i.
 * split is a power of two (1 means lo = 0, hi = tid). */
typedef struct {
  int64_t base;
  int64_t c_lo, c_hi;
  uint32_t split_log2;
  int64_t c_cta[3];
  int64_t c_loop[SIMT_LOOPS];
} simt_affine;

/* What the warp knows when a callback runs. */
typedef struct {
  uint32_t cta[3];                /* block index */
  uint32_t warp_in_cta;
  uint32_t loop[SIMT_LOOPS];      /* loop counters */
  const uint32_t *lane_tid;       /* thread index in the block, per lane */
  uint32_t warp_size;
} simt_warp_ctx;

struct simt_inst;
/* Fills addr[lane] for every lane in `mask` and returns the lanes that
 * really access (a callback may mask off lanes, e.g. zero padding). */
typedef uint32_t (*simt_addr_fn)(const struct simt_inst *in, const simt_warp_ctx *w,
                                 uint32_t mask, uint64_t *addr, const void *arg);
/* Returns the taken lanes among `mask`. */
typedef uint32_t (*simt_pred_fn)(const struct simt_inst *in, const simt_warp_ctx *w,
                                 uint32_t mask, const void *arg);

typedef enum {
  SIMT_COND_ALWAYS, /* unconditional */
  SIMT_COND_LOOP,   /* uniform: ++loop[loop_id] < trip (counter resets on exit) */
  SIMT_COND_LT,     /* per lane: affine(idx) < limit */
  SIMT_COND_GE,     /* per lane: affine(idx) >= limit */
  SIMT_COND_FN      /* per lane: pred callback */
} simt_cond;

typedef enum { SIMT_SPACE_NONE, SIMT_SPACE_GLOBAL, SIMT_SPACE_SHARED } simt_space;

/* What issue needs of any instruction, generated or traced. */
typedef struct {
  uint8_t op;       /* simt_op */
  uint8_t nsrc;
  uint8_t space;    /* simt_space */
  uint8_t width;    /* bytes per lane (memory) */
  uint8_t bypass_l1; /* global loads: the .cg operator (cache in L2 only) */
  uint8_t pad;
  uint16_t dst;     /* SIMT_REG_NONE: none */
  uint16_t src[3];
} simt_ihdr;

typedef struct simt_inst {
  simt_ihdr h;
  uint32_t next;   /* fall-through successor; SIMT_PC_EXIT: the lanes end here */
  uint32_t target; /* branch target */
  uint32_t reconv; /* set by simt_program_finalize for branches */
  /* branches */
  uint8_t cond;    /* simt_cond */
  uint8_t loop_id;
  uint8_t inc_loop; /* LT/GE/FN: ++loop[loop_id] first; reset when no lane is taken */
  uint32_t trip;   /* SIMT_COND_LOOP */
  /* memory: address; guards (lanes whose guard index is >= its limit are
   * predicated off, as `if (i < n)` guards) */
  uint8_t nguard;
  simt_affine addr;
  simt_affine guard[2];
  int64_t limit[2];
  simt_addr_fn addr_fn;
  simt_pred_fn pred_fn;
} simt_inst;

/* One traced warp instruction (Accel-Sim or native trace): the active mask
 * and, for memory instructions, popcount(mask) addresses from addr_off in
 * the kernel's address pool, in lane order. */
typedef struct {
  simt_ihdr h;
  uint32_t mask;
  uint64_t addr_off;
} simt_tline;

/* A generated kernel: grid, block, resources and the program. */
typedef struct {
  char name[64];
  uint32_t grid[3];
  uint32_t block_threads;   /* threads per block (x only; kernels split tid) */
  uint32_t regs_per_thread;
  uint64_t smem_bytes;      /* per block */
  simt_inst *prog;
  uint32_t n_inst, cap;
  const void *arg;          /* passed to callbacks; owned by the generator */
  /* A traced kernel has no program: warp w of block b replays
   * tlines[twarp_first[b*warps_per_block + w] ...] (twarp_count lines). */
  const simt_tline *tlines;
  const uint64_t *taddrs;
  const uint64_t *twarp_first;
  const uint32_t *twarp_count;
  uint64_t n_tlines;        /* lines in tlines */
  void *owned;              /* freed by simt_kernel_free (generator arguments, trace data) */
  void (*free_owned)(void *); /* how to free `owned`; NULL: free() */
  /* what the kernel must move and compute at least (roofline) */
  uint64_t flops;           /* 2 per multiply-add */
  uint64_t min_dram_bytes;  /* compulsory bytes read and written */
} simt_kernel;

/* ---- building programs ---- */

/* Initializes an empty kernel (no allocation yet). */
void simt_kernel_init(simt_kernel *k, const char *name);
/* Frees the program; the struct may be reused after simt_kernel_init. */
void simt_kernel_free(simt_kernel *k);
/* Appends an instruction (next = its pc + 1, no sources, no destination);
 * returns a pointer valid until the next append, or NULL on out of memory
 * or past SIMT_PROG_MAX. */
simt_inst *simt_emit(simt_kernel *k, simt_op op, uint16_t dst, uint16_t s0, uint16_t s1,
                     uint16_t s2);
/* pc of the next instruction to be appended. */
static inline uint32_t simt_pc(const simt_kernel *k) { return k->n_inst; }

/* Checks the program (targets in range, every path ends in EXIT, registers
 * below regs_per_thread) and sets every branch's reconvergence pc to its
 * immediate post-dominator (SIMT_PC_EXIT when only the exit post-dominates). */
#define SIMT_PC_EXIT 0xFFFFFFFFu
em_status simt_program_finalize(simt_kernel *k, em_diag *d);

/* Evaluates an affine index for one lane (exposed for tests and generators). */
static inline int64_t simt_affine_eval(const simt_affine *a, const simt_warp_ctx *w,
                                       uint32_t tid) {
  int64_t lo = (int64_t)(tid & ((1u << a->split_log2) - 1u));
  int64_t hi = (int64_t)(tid >> a->split_log2);
  int64_t v = a->base + a->c_lo * lo + a->c_hi * hi;
  for (int i = 0; i < 3; i++) v += a->c_cta[i] * (int64_t)w->cta[i];
  for (unsigned i = 0; i < SIMT_LOOPS; i++) v += a->c_loop[i] * (int64_t)w->loop[i];
  return v;
}

#endif
