/*
 * xnor_array.h - a FINN-style matrix-vector unit (MVAU) of PE processing
 * elements with SIMD lanes each, computing binary dot products by XNOR and
 * popcount (Umuroglu et al., "FINN", FPGA 2017):
 *   cycles = (MH / PE) * (MW / SIMD) * vectors
 * for an MH x MW weight matrix (filters x window) and `vectors` input
 * vectors (output pixels). With 1-bit weights and k-bit activations
 * (DoReFa/HWGQ style) each activation bit plane is one more popcount pass:
 * cycles x k. Layers with multi-bit weights are refused, naming the layer.
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
} xnor_config;

typedef struct {
  uint64_t mh, mw, vectors;       /* matrix height, width; input vectors */
  uint64_t neuron_fold, synapse_fold; /* ceil(MH/PE), ceil(MW/SIMD) */
  uint64_t passes;                /* activation bit planes */
  uint64_t cycles;
  double utilization_pct;         /* MH*MW*vectors*passes / (cycles*PE*SIMD) */
  /* memory, bits: FINN keeps the weights on chip (loaded from DRAM once,
   * MH x MW bits, read PE x SIMD bits a cycle); input vectors stream in from
   * DRAM once (MW x a bits each) and thresholded outputs stream out (MH x a
   * bits each) */
  uint64_t weight_bits, weight_sram_read_bits, dram_read_bits, dram_write_bits;
} xnor_stats;

/* Energy per event: per cycle and PE, SIMD XNORs and a SIMD-bit popcount (2
 * SIMD one-bit adds, the table's add scaled to one bit) and a 16-bit
 * accumulate; weight-memory reads of SIMD bits per PE at the weight memory's
 * capacity; DRAM per 64-bit access. */
typedef struct {
  double compute_pj, sram_pj, dram_pj, total_pj;
} xnor_energy;

em_status xnor_config_validate(const xnor_config *c, em_diag *d);
/* Cycles of one layer; EM_ERR_UNSUPPORTED for weights wider than 1 bit. */
em_status xnor_layer(const xnor_config *c, const wl_layer *l, xnor_stats *out, em_diag *d);
em_status xnor_layer_energy(const xnor_config *c, const xnor_stats *s, const cm_energy_table *t,
                            xnor_energy *out, em_diag *d);

#endif
