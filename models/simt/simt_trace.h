/*
 * simt_trace.h - traced kernels for the SIMT model: Accel-Sim traces and
 * emlsim's own compact text format.
 *
 * Accel-Sim (NVBit tracer, accel-sim-framework): a `kernelslist.g` lists
 * `kernel-N.traceg` files (MemcpyHtoD lines are skipped); each kernel file
 * has `-key = value` header lines (kernel name, grid dim, block dim, shmem,
 * nregs, accelsim tracer version, enable lineinfo), then per thread block
 * `#BEGIN_TB`, `thread block = x,y,z`, per warp `warp = w`, `insts = n` and
 * n instruction lines
 *     PC mask dest_num [Rd] opcode src_num [Rs...] mem_width [mode addresses]
 * (tracer versions below 3 start each line with the block and warp ids;
 * with lineinfo enabled a line number comes first; a file without a version
 * line is version 0, as Accel-Sim reads it), `#END_TB`.  Address
 * modes: 0 lists one hex address per active lane; 1 is a hex base and a
 * decimal stride (the i-th active lane at base + i x stride); 2 is a hex base
 * and popcount(mask) - 1 decimal deltas, each lane's address the previous
 * active lane's plus its delta.  The access width comes from the opcode
 * (`.128` = 16 bytes, `.U8` = 1, else 4), as Accel-Sim takes it, except
 * ldmatrix (LDSM): a 16-byte row per address, from the lanes its .x1 / .2 /
 * .4 form reads.  Tensor-core opcodes carry their shape (simt_mma_from_sass).
 * R255 is the zero register (no dependence).  A fourth source register is
 * dropped.
 *
 * emlsim's compact trace (a file whose first line is `emlsim-trace 1`):
 *     kernel NAME grid=X[,Y[,Z]] block=T [regs=R] [smem=BYTES]
 *     block X[,Y[,Z]]
 *     warp W
 *     OPCODE [d=R] [s=R[,R[,R]]] [a=ADDRS] [m=MASK] [w=BYTES] [n=REPEAT]
 * one instruction per line; `#` starts a comment.  ADDRS is BASE+STRIDE
 * (the i-th active lane at BASE + i x STRIDE bytes; STRIDE may be negative:
 * BASE-8) or a comma list with one address per active lane; numbers are
 * decimal or 0x hex.  MASK (hex) defaults to every lane of the warp that
 * exists; w defaults to the opcode's width; n repeats the line.  Registers
 * are written 4 or R4.
 *
 * A trace is opened once and its kernels loaded one at a time.  Loading a
 * kernel reads its text once, checks every line and keeps only an index of
 * where each warp's lines are; the GPU then streams each warp's lines from
 * the file while the warp runs (simt_kernel.h's simt_tsource), so memory
 * does not grow with the trace's length (simt_trace.c gives the bound).
 * Every error names path:line:col.
 */
#ifndef SIMT_TRACE_H
#define SIMT_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "em_diag.h"
#include "simt_kernel.h"

typedef struct simt_trace simt_trace;

typedef enum { SIMT_TRACE_ACCEL, SIMT_TRACE_NATIVE } simt_trace_format;

/* True when path looks like a trace rather than a workload: a directory
 * holding kernelslist.g, a name ending in .g, .traceg or .traceg.xz, or a
 * file whose first line is `emlsim-trace 1`. */
bool simt_trace_probe(const char *path);

/* Opens a trace: a kernelslist.g, a directory holding one, a .traceg file,
 * or a native trace.  Lists its kernels; loads none. */
em_status simt_trace_open(const char *path, simt_trace **out, em_diag *d);
void simt_trace_close(simt_trace *t);
size_t simt_trace_count(const simt_trace *t);
/* A native trace: the warp instructions its lines ask for, every kernel's,
 * each line's n= repeats counted (saturating); 0 for an Accel-Sim trace,
 * whose every line is one instruction of a file as long. */
uint64_t simt_trace_insts(const simt_trace *t);
simt_trace_format simt_trace_get_format(const simt_trace *t);

/* Loads kernel i (in launch order) into k, which simt_kernel_free releases
 * (k keeps the kernel's file open: its warps are read as they run).
 * Sets the roofline inputs: flops from the traced arithmetic (MMAs by their
 * shape, also in tensor_flops and tensor_fp16_macs), and as compulsory DRAM
 * bytes the distinct 32 B sectors that global loads read and no store
 * writes. */
em_status simt_trace_kernel(simt_trace *t, size_t i, simt_kernel *k, em_diag *d);

/* Decodes line i (0-based) of warp `warp` of block `block` (linear: x + gx
 * (y + gy z)) of a loaded kernel into *line, its popcount(mask) addresses
 * (memory instructions) into addr in lane order; line->addr_off is 0.  For
 * tests and tools: it reads the warp from its start. */
em_status simt_trace_warp_line(const simt_kernel *k, uint64_t block, uint32_t warp, uint64_t i,
                               simt_tline *line, uint64_t addr[32], em_diag *d);

/* Where kernel i (< simt_trace_count) comes from, for messages about it:
 * the file, and in *line the line of its `kernel` line (a native trace) or
 * 1 (an Accel-Sim kernel file, whose header opens it). */
const char *simt_trace_where(const simt_trace *t, size_t i, uint64_t *line);

#endif
