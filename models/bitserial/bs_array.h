/*
 * bs_array.h - a bit-serial matrix-multiply array in the style of BISMO
 * (Umuroglu et al., FPL 2018): Dm x Dn dot-product units, each ANDing two
 * Dk-bit slices of bit planes, popcounting and shift-accumulating,
 *   C = sum_i sum_j s_ij 2^(i+j) popcount(A_i AND B_j)   (mac_arith.h).
 * A layer's GEMM view (M x K times K x N) runs as ceil(M/Dm) x ceil(N/Dn)
 * output tiles; each tile streams ceil(K/Dk) slices for each of the b_a x b_w
 * plane pairs, one per cycle, drains the execute pipeline (fill_cycles) and
 * writes its Dm x Dn results while the next tile executes (BISMO's decoupled
 * fetch / execute / result stages).
 */
#ifndef BS_ARRAY_H
#define BS_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_energy.h"
#include "em_diag.h"
#include "wl_layer.h"

typedef struct {
  uint32_t dm, dk, dn; /* array: Dm rows, Dk bits per dot-product slice, Dn columns */
  double freq_mhz;     /* BISMO's published instance: 8 x 256 x 8 at 200 MHz */
  uint32_t fill_cycles;   /* pipeline fill, once per output tile: BISMO's execute-stage
                           * latency, buffer read to accumulator (bs_fill_cycles of dk;
                           * set it again when dk changes) */
  uint64_t lhs_buf_bytes, rhs_buf_bytes; /* on-chip operand buffers (bit planes) */
  uint32_t acc_bits;      /* each DPU's accumulator and its result, written to DRAM at
                           * this width: BISMO's accWidth, 32 at its defaults; a layer
                           * whose results need more is refused (bs_layer_check) */
} bs_config;

/* BISMO's published array (8 x 256 x 8, 200 MHz); fill bs_fill_cycles(256)
 * = 15 cycles; operand buffers of 1024 Dk-bit entries per DPU row (LHS) and
 * column (RHS), 32 KiB each, 256 KiB per side (an assumption: BISMO makes
 * them a parameter); 32-bit results. */
bs_config bs_config_bismo(void);

/* Pipeline fill of an array of Dk-bit slices (dk >= 1): BISMO's execute-stage
 * latency (ExecStageParams.getLatency() of github EECS-NTNU/bismo, tag v1.0,
 * the FPL 2018 release, at its default parameters), from the operand
 * buffer's read address to the accumulator: 3 BRAM read + 1 array broadcast
 * + 6 DPU stage registers + 2 popcount I/O registers + ceil(log2 ceil(Dk /
 * 36)) popcount adder-tree levels = 12 + that: 15 at Dk = 256, 13 at 64, 12
 * at 1 to 36. */
uint32_t bs_fill_cycles(uint32_t dk);

typedef struct {
  uint64_t tiles, slices, plane_pairs;
  uint64_t compute_cycles;  /* tiles * slices * plane_pairs */
  uint64_t overhead_cycles; /* pipeline fill once per tile (tiles x fill_cycles),
                             * plus result write-back not hidden behind the
                             * next tile's execute and fill */
  uint64_t total_cycles;
  uint64_t binary_ops;      /* 2 * useful AND + popcount bit operations */
  double utilization_pct;   /* useful binary ops / (cycles x peak per cycle) */
  /* memory traffic, bits: the fetch stage fills the buffers from DRAM (an
   * LHS row tile once if it fits its buffer, else once per column tile; the
   * whole RHS once if it fits, else once per row tile); every execute cycle
   * reads Dm x Dk LHS and Dk x Dn RHS bits; results go out at acc_bits */
  uint64_t dram_read_bits, dram_write_bits, sram_read_bits, sram_write_bits;
} bs_stats;

/* Energy per event from an energy table: per execute cycle and DPU, Dk ANDs
 * and a Dk-bit popcount (2 Dk one-bit adds, the table's add scaled to one
 * bit) and one acc_bits shift-accumulate; per execute cycle each of the Dm
 * LHS and Dn RHS buffers (one SRAM per DPU row and column, as the area
 * model builds them: lhs_buf_bytes / Dm and rhs_buf_bytes / Dn each) reads
 * Dk bits at its own capacity; buffer fills and result traffic per 64 bits
 * at one LHS buffer's capacity; DRAM per 64-bit access. */
typedef struct {
  double compute_pj, sram_pj, dram_pj, total_pj;
} bs_energy;

/* Peak binary operations per second, 2 * Dm * Dk * Dn * f (an AND and an
 * add per bit), and the multi-bit peak: that / (b_a * b_w). */
double bs_peak_binary_ops(const bs_config *c);
double bs_peak_ops(const bs_config *c, unsigned b_a, unsigned b_w);

em_status bs_config_validate(const bs_config *c, em_diag *d);
/* Whether the array runs layer l (a layer without a GEMM view: EM_OK):
 * integer operands of 1..32 bits, and results that fit its accumulator.
 * A dot product of b_w-bit weights and b_a-bit activations over K
 * products needs b_o = b_w + b_a + ceil(log2 K) bits (mac_acc_bits, the
 * study book's rule); BISMO's accumulator is a fixed acc_bits wide and a
 * wider sum wraps in it, so a layer whose b_o passes acc_bits is
 * EM_ERR_UNSUPPORTED, naming the layer, its widths, K and acc_bits (16:16
 * over K = 2 needs 33 bits; 8:8 fits up to K = 65536). */
em_status bs_layer_check(const bs_config *c, const wl_layer *l, em_diag *d);
/* The K padding of a run of n layers l (layer i took cycles[i]; 0: did not
 * run): each layer's K is padded to whole Dk slices (bs_layer), so a layer
 * whose K fills under half of its padding spends over half its cycles on
 * zeros.  The note into buf where such layers take at least min_share of
 * the run's cycles (0: any); false where none do.  `emlsim bitserial`'s
 * table (its k_slices note) and the model table's run_note say it. */
bool bs_k_padding_note(const bs_config *c, const wl_layer *l, const uint64_t *cycles, size_t n,
                       double min_share, char *buf, size_t size);
/* Cycles of one layer at its bit widths (refused as bs_layer_check). */
em_status bs_layer(const bs_config *c, const wl_layer *l, bs_stats *out, em_diag *d);
em_status bs_layer_energy(const bs_config *c, const bs_stats *s, const cm_energy_table *t,
                          bs_energy *out, em_diag *d);

#endif
