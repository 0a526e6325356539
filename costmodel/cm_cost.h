/*
 * cm_cost.h - closed-form cost of a layer and of a network.
 *
 * Per layer (study book, chapters on CNN cost and on BOPS):
 *   weights     = k_h*k_w*(in_c/groups)*out_c  (conv), in*out (FC), K*N (GEMM)
 *   biases      = out_c when the layer has bias
 *   macs        = groups * M * N * K of its GEMM view (wl_layer_gemm_view)
 *   activations = output activations, batch*out_h*out_w*out_c
 *   inputs      = input activations, every operand the layer reads that is
 *                 not a weight: batch*in_h*in_w*in_c (conv, pool; times its
 *                 operands for an element-wise layer), batch*in (FC), the
 *                 M x K operand X of a GEMM (batch*M*K) and its K x N one
 *                 too where that is an activation (attention products)
 *   weight_bytes     = ceil(weights*b_w/8) + 4*biases (biases are 32-bit)
 *   activation_bytes = ceil(activations*b_a/8)
 *   input_bytes      = ceil(inputs*b_a/8)
 *   dram_bytes  = weight_bytes + dram_input_bytes + activation_bytes: the
 *              closed-form model's DRAM traffic.  This rule is the
 *              project's own model, not the study book's (the book gives
 *              no DRAM rule): every tensor crosses DRAM once.  A layer
 *              writes its output once and reads its weights once; an
 *              input is read from DRAM only where no earlier layer of the
 *              network produced it (dram_input_bytes: the network's input,
 *              a GEMM's X; cm_network_fresh_inputs says which), an
 *              intermediate is charged once, as its producer's output.
 *   bops     = macs * (b_a*b_w + b_o), b_o = b_a + b_w + log2(K)
 *              (K = n*k^2, the products accumulated per output; Baskin et al.)
 *   bops_mac = macs * b_w * b_a   (HAWQ-V3 / Bayesian Bits convention)
 *   compute_energy_pj = macs * (E_mult(b_w, b_a) + E_add(acc_bits)),
 *              acc_bits = ceil(b_o) for integers, max(b_w, b_a) for fp.
 * Pooling and element-wise layers have no MACs, weights or BOPS here.
 * Layers must be validated (wl_layer_validate) and have their precision set.
 *
 * Counting (cm_layer_count: MACs, BOPS, bytes) needs no energy table;
 * pricing (cm_layer_cost_compute) needs the table's multiply and add rows
 * at the layer's widths, so a model that only counts a layer never stops
 * for a row it does not use.
 */
#ifndef CM_COST_H
#define CM_COST_H

#include <stdbool.h>
#include <stdint.h>

#include "cm_energy.h"
#include "em_diag.h"
#include "wl_layer.h"

typedef struct {
  uint64_t weights, biases, params; /* params = weights + biases */
  uint64_t macs;
  uint64_t activations;
  uint64_t inputs; /* input activations, every operand that is not a weight */
  uint64_t weight_bytes, activation_bytes, input_bytes;
  /* Of input_bytes, those no earlier layer of the network produced: all of
   * them for a layer costed alone (a network of one layer), those
   * cm_network_fresh_inputs finds in a network (cm_network_cost). */
  uint64_t dram_input_bytes;
  uint64_t dram_bytes; /* weight_bytes + dram_input_bytes + activation_bytes */
  double acc_bits; /* b_o, unrounded */
  double bops, bops_mac;
  double mult_pj, add_pj; /* energy per multiply and per accumulate */
  double compute_energy_pj;
  /* Whether the multiplier or adder energy was scaled from another width,
   * and how ("int4 mult scaled from int8 mult by N_a*N_b (x0.25)"; two
   * notes joined by "; "). Empty when both were exact table rows. */
  bool energy_scaled;
  char energy_note[400];
} cm_layer_cost;

/* Counts of one layer, alone (every input fresh): everything above but the
 * energies (mult_pj, add_pj, compute_energy_pj 0, energy_scaled false).
 * Needs no energy table.  EM_ERR_INVALID for a layer without its formats,
 * EM_ERR_OVERFLOW if a count does not fit 64 bits. */
em_status cm_layer_count(const wl_layer *l, cm_layer_cost *out, em_diag *d);

/* Cost of one layer, alone: cm_layer_count, then its compute energy from
 * table t.  Errors: those of cm_layer_count; from the energy table, a row
 * the layer's multiply or add needs that t lacks or cannot scale to,
 * naming the layer, its widths and the row. */
em_status cm_layer_cost_compute(const wl_layer *l, const cm_energy_table *t,
                                cm_layer_cost *out, em_diag *d);

/* Sets c's dram_input_bytes and dram_bytes (c: layer l's counts) for l run
 * where `fresh` of its input elements come from no earlier layer of its
 * network (cm_network_fresh_inputs; at most c->inputs).  EM_ERR_OVERFLOW if
 * the bytes do not fit 64 bits. */
em_status cm_layer_set_fresh_inputs(const wl_layer *l, uint64_t fresh, cm_layer_cost *c,
                                    em_diag *d);

/* For each layer i of net, fresh[i] (n_layers entries, caller-owned): the
 * elements of its inputs that no earlier layer produced.  A layer list
 * names no tensors, only sizes, so a tensor is known by its element count
 * (shapes flatten: AlexNet's 6 x 6 x 256 POOL-3 output is FC-1's 9216
 * inputs): an operand of layer i is fresh where no layer before i has an
 * output or an operand of its count (an input read once is in DRAM for
 * every later reader: BERT's key and value projections read the query's
 * input).  A convolution or pooling layer without padding of its own may
 * read a padded view (a SCALE-Sim IFMAP, an ONNX convolution: padding
 * folded into the input size, (E - 1) S + R rows): it is no fresh tensor
 * where one of the last 64 feature maps of its batch and channels that
 * earlier layers wrote is within S - 1 rows and columns below the view to
 * R - 1 above it (its zeros are not in DRAM).  Within a layer every operand is a tensor of its
 * own.  The first layer's inputs are always fresh (a view with its zeros);
 * a skip connection's operand (ResNet's downsample, a residual add) is not.
 * Sizes that match by chance make a fresh input look produced; a tensor
 * made only by operators that are no layers (ONNX's Concat, a pooling a
 * SCALE-Sim topology leaves out) looks fresh.  O(n log n) in the layers;
 * EM_ERR_NOMEM, EM_ERR_OVERFLOW. */
em_status cm_network_fresh_inputs(const wl_network *net, uint64_t *fresh, em_diag *d);

/* Sum of a network's layers; per-layer costs go to `per_layer` (n_layers
 * entries, caller-owned) when it is not NULL.  Each layer's DRAM figures
 * are as a layer of net (cm_network_fresh_inputs).  t NULL: counts alone
 * (cm_layer_count), no energy. */
em_status cm_network_cost(const wl_network *net, const cm_energy_table *t,
                          cm_layer_cost *per_layer, cm_layer_cost *total,
                          em_diag *d);

/* BOPS of one conv-like layer, study book formula, exposed for tests:
 * positions * m * n * k2 * (b_a*b_w + b_a + b_w + log2(n*k2)). */
double cm_bops(uint64_t positions, uint64_t m, uint64_t n, uint64_t k2,
               unsigned b_w, unsigned b_a);

#endif
