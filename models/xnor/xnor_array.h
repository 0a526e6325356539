/*
 * xnor_array.h - a FINN-style matrix-vector unit (MVAU) of PE processing
 * elements with SIMD lanes each, computing binary dot products by XNOR and
 * popcount (Umuroglu et al., "FINN", FPGA 2017):
 *   cycles = (MH / PE) * (MW / SIMD) * vectors
 * for an MH x MW weight matrix (filters x window) and `vectors` input
 * vectors (output pixels). With 1-bit weights and k-bit activations
 * (DoReFa/HWGQ style) each activation bit plane is one more popcount pass:
 * cycles x k. Layers with multi-bit weights are refused, naming the layer.
 *
 * Memories (xnor_layer_memories):
 * - Weights: on chip (loaded from DRAM once, read PE x SIMD bits a cycle)
 *   when the layer's weights fit `weight_kib`; otherwise the MVAU streams
 *   them from DRAM at every use and holds none on chip (FINN's MVAU
 *   mem_mode "external", whose resource estimate counts no weight RAM:
 *   Xilinx/finn PR #346).  Default capacity 2452.5 KiB: the 545 36-Kbit
 *   block RAMs of the Zynq Z-7045 on the ZC706 that FINN ran on (Xilinx
 *   DS190: 545 x 36 Kbit = 19,620 Kbit = 2452.5 KiB).
 * - Convolutions: a sliding-window unit (SWU) between DRAM and the MVAU
 *   (FINN section 4.2; finn-hlslib slidingwindow.h,
 *   ConvolutionInputGenerator) reads the padded input feature map once and
 *   writes it into a buffer of K_h/S_h + 1 blocks of S_h rows, i.e.
 *   (K_h + S_h) rows x padded width x C_in x a bits (at most the padded
 *   height), from which it reads the im2col rows (M x K x a bits) on chip.
 *   FC and GEMM layers stream their input vectors from DRAM as they are.
 *
 * DRAM bandwidth (`dram_gbps`, GB/s = 10^9 bytes/s): a layer takes
 *   cycles = max(compute cycles, dram cycles),
 *   dram cycles = ceil(DRAM bits / (dram_gbps x 8000 / freq_mhz))
 * over all the DRAM traffic it counts (input read, weights loaded once or
 * streamed, outputs written).  Transfers are double-buffered: the next
 * tile moves while the MVAU computes on this one, so the two overlap (max,
 * not sum); the layer's own traffic does not overlap another layer's
 * compute (one weight memory, loaded by the layer that uses it).  Not
 * added: the wait for the first vector's data and the last outputs' write.
 * Weights that fit arrive in the order the first vector uses them; where
 * their load outlasts that vector's compute the max understates by the
 * difference (AlexNet CONV-3: 1728 - 864 = 864 of 146,016 cycles; under
 * 1 % on every AlexNet convolution).  Default 12.8 GB/s: the ZC706's PL-side
 * DDR3 SODIMM, 64 bits at DDR3-1600 (1600 MT/s x 8 bytes; Xilinx's ZC706
 * board file, XilinxBoardStore boards/Xilinx/zc706 mig: DataWidth 64,
 * TimePeriod 1250 ps = 800 MHz, double data rate; PC3-12800), the peak: a
 * controller's efficiency is below it.  At 200 MHz that is 64 bytes, 512
 * bits, a cycle: half of what a 32 x 32 MVAU streams (1024 bits a cycle).
 */
#ifndef XNOR_ARRAY_H
#define XNOR_ARRAY_H

#include <stdint.h>

#include "cm_energy.h"
#include "em_diag.h"
#include "wl_layer.h"

typedef struct {
  uint32_t pe, simd;
  double freq_mhz;
  double weight_kib; /* on-chip weight memory, KiB (1024 bytes); weights of a
                      * larger layer stream from DRAM at every use */
  double dram_gbps;  /* off-chip bandwidth, GB/s (10^9 bytes/s), > 0: bounds
                      * a layer's cycles by its DRAM traffic */
} xnor_config;

/* The on-chip memories a layer uses, bits (xnor_layer_memories). */
typedef struct {
  uint64_t weight_bits;      /* the layer's weights, groups x N x K x w */
  uint64_t weight_mem_bits;  /* the weight memory it fills: weight_bits, or
                              * 0 when they exceed weight_kib (streamed) */
  uint64_t swu_buffer_bits;  /* the SWU's buffer (convolutions; else 0) */
} xnor_memories;

typedef struct {
  uint64_t mh, mw, vectors;       /* matrix height, width; input vectors */
  uint64_t neuron_fold, synapse_fold; /* ceil(MH/PE), ceil(MW/SIMD) */
  uint64_t passes;                /* activation bit planes */
  uint64_t compute_cycles;        /* groups x folds x vectors x passes (FINN) */
  uint64_t dram_cycles;           /* the DRAM bits at dram_gbps (rounded up) */
  uint64_t cycles;                /* max(compute_cycles, dram_cycles) */
  double utilization_pct;         /* MH*MW*vectors*passes / (cycles*PE*SIMD):
                                   * below 100 % when the DRAM bounds cycles */
  /* memory, bits: weights on chip (loaded from DRAM once, MH x MW bits,
   * read PE x SIMD bits a cycle) or, above weight_kib, streamed from DRAM
   * at every use (weight_bits x vectors x passes, no weight-memory reads);
   * a convolution's input feature map read from DRAM once into the SWU's
   * buffer (swu_write_bits, padded) and its im2col rows read from it
   * (swu_read_bits, M x K x a); an FC or GEMM layer's input vectors read
   * from DRAM (M x K x a); thresholded outputs written out (M x N x a) */
  uint64_t weight_bits, weight_sram_read_bits, dram_read_bits, dram_write_bits;
  /* weights on chip: their load from DRAM written into the weight memory,
   * in the words the reads address (SIMD bits per PE and fold): groups x
   * ceil(MH/PE) x ceil(MW/SIMD) x PE x SIMD bits, the reads of one vector
   * and pass (0 when streamed).  FC-2 on 32 x 32: 128 x 128 x 32 = 524,288
   * writes of 32 bits = its 16,777,216 weight bits */
  uint64_t weight_sram_write_bits;
  uint64_t input_dram_bits, weight_dram_bits; /* dram_read_bits' two parts */
  bool weights_streamed;
  xnor_memories mem;
  uint64_t swu_write_bits, swu_read_bits;
} xnor_stats;

/* Energy per event: per compute cycle and PE (none while the MVAU waits on
 * DRAM), SIMD XNORs and a SIMD-bit popcount (2
 * SIMD one-bit adds, the table's add scaled to one bit) and a 16-bit
 * accumulate; weight-memory reads of SIMD bits per PE at the weight memory's
 * capacity, and the writes of the weights' load into it, SIMD bits each at
 * that capacity (weight_sram_write_bits / SIMD; neither when streamed); SWU
 * buffer writes and reads at the buffer's capacity; DRAM per 64-bit access.
 * sram_pj is both memories. */
typedef struct {
  double compute_pj, sram_pj, dram_pj, total_pj;
} xnor_energy;

em_status xnor_config_validate(const xnor_config *c, em_diag *d);
/* The memories of layer l on c (any weight width; all 0 for a layer with
 * no GEMM view).  The one place the fit decision is made: xnor_layer's
 * traffic and the hardware-model table's area both come from it.  false
 * when a size overflows 64 bits. */
bool xnor_layer_memories(const xnor_config *c, const wl_layer *l, xnor_memories *out);
/* Cycles and traffic of one layer on c (validated: xnor_config_validate);
 * EM_ERR_UNSUPPORTED for weights wider than 1 bit, EM_ERR_RANGE for a
 * dram_gbps not > 0, EM_ERR_OVERFLOW for counts past 64 bits. */
em_status xnor_layer(const xnor_config *c, const wl_layer *l, xnor_stats *out, em_diag *d);
em_status xnor_layer_energy(const xnor_config *c, const xnor_stats *s, const cm_energy_table *t,
                            xnor_energy *out, em_diag *d);

#endif
