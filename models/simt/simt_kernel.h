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
  X(ATOMG, LDST, GLOBAL_LD) /* global atomic, old value returned */ \
  X(RED, LDST, GLOBAL_ST)   /* global reduction, no value */ \
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

/* The opcode table: name ("FFMA"), unit, class.  Unit and class are looked
 * up per simulated warp instruction, so they are inline reads of constant
 * tables built from SIMT_OP_MAP (no call into simt_kernel.c); op must be
 * below SIMT_OP_COUNT. */
const char *simt_op_name(simt_op op);
static inline simt_unit simt_op_unit(simt_op op) {
  static const uint8_t unit[SIMT_OP_COUNT] = {
#define SIMT_OP_UNIT(name, u, cls) SIMT_UNIT_##u,
      SIMT_OP_MAP(SIMT_OP_UNIT)
#undef SIMT_OP_UNIT
  };
  return (simt_unit)unit[op];
}
static inline simt_class simt_op_class(simt_op op) {
  static const uint8_t cls[SIMT_OP_COUNT] = {
#define SIMT_OP_CLS(name, u, c) SIMT_CLASS_##c,
      SIMT_OP_MAP(SIMT_OP_CLS)
#undef SIMT_OP_CLS
  };
  return (simt_class)cls[op];
}
const char *simt_class_name(simt_class c);
/* Opcode by SASS name, ignoring the modifiers after '.' ("FFMA.FTZ" ->
 * FFMA), from one table that places every opcode of Accel-Sim's Pascal,
 * Volta, Turing and Ampere tables (and Maxwell's) on the unit that runs it
 * (LDG.E.128 -> LDG, UIADD3 -> IADD, BREAK -> NOP, ...).  Every tensor-core
 * opcode (HMMA, IMMA, BMMA, DMMA) is HMMA, or HMMASP with the 2:4 sparse
 * modifier .SP; its shape is simt_mma_from_sass's.  Returns false for a name
 * it cannot place. */
bool simt_op_from_sass(const char *name, simt_op *out);

/* ---- tensor-core instructions by shape ----
 *
 * A warp-wide MMA of m x n x k multiply-adds (MACs), as the SASS names it.
 * Volta's HMMA.884 is one step of an m8n8k4 MMA per quad-pair: four
 * quad-pairs, four steps with fp32 accumulation (STEP0..3), so 8 x 8 x 4 x
 * 4 / 4 = 256 MACs per step instruction; with fp16 accumulation
 * (.F16.F16) two steps of 512.  Sparse forms (.SP) skip half of the
 * product (2:4): `macs` is the dense product's, `exec_macs` what the tensor
 * cores do.  `fp16_macs` is exec_macs at the fp16 rate: a tensor core does
 * int8 at twice the fp16 rate, int4 at 4x, binary at 16x, tf32 at half and
 * fp64 at 1/16 (NVIDIA A100 whitepaper, 2020: 312 fp16, 156 tf32, 624 int8,
 * 1248 int4, 4992 binary TOPS and 19.5 fp64 TFLOPS on the same tensor
 * cores; Turing whitepaper, 2018: int8 2x and int4 4x fp16).  A sub-core of
 * `tensor_units` units does 64 x tensor_units fp16 MACs per cycle, so an
 * MMA occupies it fp16_macs / (64 x tensor_units) cycles. */
typedef enum {
  SIMT_MMA_FP16, /* and bf16, at the same rate */
  SIMT_MMA_TF32,
  SIMT_MMA_INT8,
  SIMT_MMA_INT4,
  SIMT_MMA_B1,
  SIMT_MMA_FP64,
  SIMT_MMA_KIND_COUNT
} simt_mma_kind;

/*   name                 kind  sparse m   n  k    MACs per warp instruction */
#define SIMT_MMA_MAP(X)                                          \
  X(HMMA_884, "HMMA.884", FP16, 0, 8, 8, 4, 256)                 \
  X(HMMA_884_F16, "HMMA.884.F16", FP16, 0, 8, 8, 4, 512)         \
  X(HMMA_1684_TF32, "HMMA.1684.TF32", TF32, 0, 16, 8, 4, 512)    \
  X(HMMA_1688, "HMMA.1688", FP16, 0, 16, 8, 8, 1024)             \
  X(HMMA_1688_TF32, "HMMA.1688.TF32", TF32, 0, 16, 8, 8, 1024)   \
  X(HMMA_16816, "HMMA.16816", FP16, 0, 16, 8, 16, 2048)          \
  X(HMMA_SP_1688_TF32, "HMMA.SP.1688.TF32", TF32, 1, 16, 8, 8, 1024) \
  X(HMMA_SP_16816_TF32, "HMMA.SP.16816.TF32", TF32, 1, 16, 8, 16, 2048) \
  X(HMMA_SP_16816, "HMMA.SP.16816", FP16, 1, 16, 8, 16, 2048)    \
  X(HMMA_SP_16832, "HMMA.SP.16832", FP16, 1, 16, 8, 32, 4096)    \
  X(IMMA_8816, "IMMA.8816", INT8, 0, 8, 8, 16, 1024)             \
  X(IMMA_8832, "IMMA.8832", INT4, 0, 8, 8, 32, 2048)             \
  X(IMMA_16816, "IMMA.16816", INT8, 0, 16, 8, 16, 2048)          \
  X(IMMA_16832, "IMMA.16832", INT8, 0, 16, 8, 32, 4096)          \
  X(IMMA_16832_S4, "IMMA.16832.S4", INT4, 0, 16, 8, 32, 4096)    \
  X(IMMA_16864, "IMMA.16864", INT4, 0, 16, 8, 64, 8192)          \
  X(IMMA_SP_16832, "IMMA.SP.16832", INT8, 1, 16, 8, 32, 4096)    \
  X(IMMA_SP_16864, "IMMA.SP.16864", INT8, 1, 16, 8, 64, 8192)    \
  X(IMMA_SP_16864_S4, "IMMA.SP.16864.S4", INT4, 1, 16, 8, 64, 8192) \
  X(IMMA_SP_168128, "IMMA.SP.168128", INT4, 1, 16, 8, 128, 16384) \
  X(BMMA_88128, "BMMA.88128", B1, 0, 8, 8, 128, 8192)            \
  X(BMMA_168128, "BMMA.168128", B1, 0, 16, 8, 128, 16384)        \
  X(BMMA_168256, "BMMA.168256", B1, 0, 16, 8, 256, 32768)        \
  X(DMMA_884, "DMMA.884", FP64, 0, 8, 8, 4, 256)                 \
  X(DMMA_1684, "DMMA.1684", FP64, 0, 16, 8, 4, 512)              \
  X(DMMA_1688, "DMMA.1688", FP64, 0, 16, 8, 8, 1024)             \
  X(DMMA_16816, "DMMA.16816", FP64, 0, 16, 8, 16, 2048)

typedef enum {
  SIMT_MMA_NONE, /* not a tensor-core instruction (HMMA: HMMA.1688, HMMASP: HMMA.SP.16816) */
#define SIMT_MMA_ENUM(id, name, kind, sp, m, n, k, macs) SIMT_MMA_##id,
  SIMT_MMA_MAP(SIMT_MMA_ENUM)
#undef SIMT_MMA_ENUM
  SIMT_MMA_COUNT
} simt_mma;

typedef struct {
  const char *name;   /* "HMMA.884", "IMMA.SP.16864" */
  simt_mma_kind kind;
  bool sparse;
  uint16_t m, n, k;
  uint32_t macs;      /* multiply-adds per warp instruction (sparse: the dense product's) */
  uint32_t exec_macs; /* those the tensor cores do (sparse: half) */
  uint32_t fp16_macs; /* exec_macs at the fp16 rate (the time they take) */
} simt_mma_info;

/* The shape table's row of `mma`; SIMT_MMA_NONE (and any value past the
 * table) reads as the default of op: HMMA.1688 for HMMA, HMMA.SP.16816 for
 * HMMASP (the forms emlsim's generated kernels and native traces mean). */
const simt_mma_info *simt_mma_get(simt_op op, uint8_t mma);
const char *simt_mma_kind_name(simt_mma_kind k);
/* The shape a tensor-core SASS opcode names ("HMMA.884.F32.F32.STEP0",
 * "IMMA.16832.S8.S8", "HMMA.SP.16832.F32"): the digits after the opcode give
 * m, n and k, .SP the sparse form, .TF32 / .S4 / .U4 the type (else the
 * shape's usual one), .F16.F16 on HMMA.884 the two-step fp16 accumulation.
 * A name without digits is its family's first shape (IMMA.8816, BMMA.88128,
 * DMMA.884; HMMA: SIMT_MMA_NONE, the op's default).  Returns
 * false for a shape the table lacks.  *sparse says whether it is a 2:4 form. */
bool simt_mma_from_sass(const char *name, uint8_t *mma, bool *sparse);
/* The first compute capability x 10 (70 Volta, 75 Turing, 80 Ampere, 90
 * Hopper) whose tensor cores run shape mma; 70 for SIMT_MMA_NONE. */
unsigned simt_mma_min_arch(uint8_t mma);
/* The dependent-issue latency of shape mma (not SIMT_MMA_NONE) on compute
 * capability sm_arch, core cycles; *source (may be NULL) gets where the
 * figure comes from (a static string). */
uint32_t simt_mma_latency(uint8_t mma, unsigned sm_arch, const char **source);

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
  uint8_t mma;      /* tensor-core instructions: simt_mma (their shape) */
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
 * the address buffer it was decoded with, in lane order. */
typedef struct {
  simt_ihdr h;
  uint32_t mask;
  uint32_t amask;   /* 0, or the lanes whose addresses the access uses (ldmatrix .x1, .x2) */
  uint64_t addr_off;
} simt_tline;

/* ---- streamed traces ----
 *
 * A traced kernel is not held in memory: each warp reads its lines from the
 * trace file as it runs, SIMT_TCHUNK_LINES at a time (at most
 * SIMT_TCHUNK_ADDRS lane addresses), into a cursor the GPU keeps per warp
 * slot.  The cursor is the stream's state; only simt_trace.c writes it. */
#define SIMT_TCHUNK_LINES 32u
#define SIMT_TCHUNK_ADDRS 512u /* at least 32: one fully active line's */

typedef struct {
  simt_tline tl[SIMT_TCHUNK_LINES]; /* the decoded chunk */
  uint64_t ta[SIMT_TCHUNK_ADDRS];   /* its addresses (tl[i].addr_off into ta) */
  uint32_t n;       /* lines in tl */
  uint64_t left;    /* the warp's lines after this chunk */
  uint64_t off;     /* file offset of the next line to decode */
  uint64_t line;    /* its line number, 1-based (0: not known) */
  uint64_t slot;    /* its (block, warp) slot in the trace's index */
  uint32_t rep_left; /* native n=: repeats of `rep` still to hand out */
  uint32_t rep_naddr;
  simt_tline rep;
  uint64_t rep_addr[32];
} simt_tcursor;

/* Where a streamed kernel's warps come from (simt_trace.c fills it). */
typedef struct simt_tsource {
  void *ctx;
  /* Points c at warp w of block b (b linear: x + gx (y + gy z)) and decodes
   * its first chunk (none when the warp has no lines).  Errors (the file
   * changed or cannot be read since it was indexed) fill d. */
  em_status (*open)(void *ctx, uint64_t block, uint32_t warp, simt_tcursor *c, em_diag *d);
  /* Decodes c's next chunk (c->left > 0). */
  em_status (*next)(void *ctx, simt_tcursor *c, em_diag *d);
} simt_tsource;

/* A generated kernel: grid, block, resources and the program. */
typedef struct {
  char name[64];
  uint32_t grid[3];
  uint32_t block_threads;   /* threads per block (x only; kernels split tid) */
  uint32_t regs_per_thread;
  uint64_t smem_bytes;      /* per block */
  simt_inst *prog;
  uint32_t n_inst, cap;
  /* set once an append failed (out of memory, or past SIMT_PROG_MAX); the
   * failed appends wrote into emit_sink, the kernel's own */
  bool emit_failed;
  simt_inst emit_sink;
  const void *arg;          /* passed to callbacks; owned by the generator */
  /* A traced kernel has no program: its warps stream from tsrc.  n_tlines
   * counts its warp instructions; tfirst_mma and tfirst_sparse give the
   * 1-based position (in file order) of its first tensor-core instruction
   * and of its first 2:4 sparse one, 0 for none. */
  const simt_tsource *tsrc;
  uint64_t n_tlines;
  uint64_t tfirst_mma, tfirst_sparse;
  /* per tensor-core shape, the 1-based position of its first line (0:
   * none); for SIMT_MMA_NONE, the op of that line (simt_kernel_check_arch) */
  uint64_t tfirst_shape[SIMT_MMA_COUNT];
  uint8_t tfirst_none_op;
  void *owned;              /* freed by simt_kernel_free (generator arguments, trace data) */
  void (*free_owned)(void *); /* how to free `owned`; NULL: free() */
  /* what the kernel must move and compute at least (roofline) */
  uint64_t flops;           /* 2 per multiply-add */
  uint64_t half_flops;      /* of flops, those of HFMA2s (two fp16 FMAs a lane at the
                             * FFMA's issue rate: twice the fp32 peak) */
  uint64_t min_dram_bytes;  /* compulsory bytes read and written */
  /* of min_dram_bytes, the bytes written (0: none counted).  L2 is
   * write-back and a kernel ends without waiting for its dirty lines
   * (README.md, "When a kernel ends"), so the roofline counts only the
   * writes past what L2 and the write-back queues hold (simt_roofline_cycles) */
  uint64_t min_dram_write_bytes;
  /* the part of flops done on tensor cores, and that work in fp16 MACs at
   * the tensor cores' fp16 rate (simt_mma_info.fp16_macs summed): the
   * roofline bounds it by the tensor peak.  A generator that leaves both 0
   * while its program has MMAs gets a looser bound (simt_roofline_cycles). */
  uint64_t tensor_flops;
  uint64_t tensor_fp16_macs;
} simt_kernel;

/* ---- building programs ---- */

/* Initializes an empty kernel (no allocation yet). */
void simt_kernel_init(simt_kernel *k, const char *name);
/* Frees the program; the struct may be reused after simt_kernel_init. */
void simt_kernel_free(simt_kernel *k);
/* Whether a GPU of compute capability sm_arch (x 10) has every tensor shape
 * a traced kernel names (simt_mma_min_arch); EM_ERR_UNSUPPORTED naming the
 * kernel, the shape and its trace line otherwise.  A generated kernel
 * passes (its HMMA is a unit of work, not a SASS instruction). */
em_status simt_kernel_check_arch(const simt_kernel *k, unsigned sm_arch, em_diag *d);
/* Appends an instruction (next = its pc + 1, no sources, no destination);
 * returns a pointer valid until the next append.  On out of memory or past
 * SIMT_PROG_MAX it sets k->emit_failed and returns &k->emit_sink, so a
 * generator writes on and checks the flag once. */
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
