/*
 * cm_cost.h - closed-form cost of a layer and of a network.
 *
 * Per layer (study book, chapters on CNN cost and on BOPS):
 *   weights     = k_h*k_w*(in_c/groups)*out_c  (conv), in*out (FC), K*N (GEMM)
 *   biases      = out_c when the layer has bias
 *   macs        = groups * M * N * K of its GEMM view (wl_layer_gemm_view)
 *   activations = output activations, batch*out_h*out_w*out_c
 *   weight_bytes     = ceil(weights*b_w/8) + 4*biases (biases are 32-bit)
 *   activation_bytes = ceil(activations*b_a/8)
 *   bops     = macs * (b_a*b_w + b_o), b_o = b_a + b_w + log2(K)
 *              (K = n*k^2, the products accumulated per output; Baskin et al.)
 *   bops_mac = macs * b_w * b_a   (HAWQ-V3 / Bayesian Bits convention)
 *   compute_energy_pj = macs * (E_mult(b_w, b_a) + E_add(acc_bits)),
 *              acc_bits = ceil(b_o) for integers, max(b_w, b_a) for fp.
 * Pooling and element-wise layers have no MACs, weights or BOPS here.
 * Layers must be validated (wl_layer_validate) and have their precision set.
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
  uint64_t weight_bytes, activation_bytes;
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

/* Cost of one layer. EM_ERR_OVERFLOW if a count does not fit 64 bits;
 * errors from the energy table (a width it cannot scale to). */
em_status cm_layer_cost_compute(const wl_layer *l, const cm_energy_table *t,
                                cm_layer_cost *out, em_diag *d);

/* Sum of a network's layers; per-layer costs go to `per_layer` (n_layers
 * entries, caller-owned) when it is not NULL. */
em_status cm_network_cost(const wl_network *net, const cm_energy_table *t,
                          cm_layer_cost *per_layer, cm_layer_cost *total,
                          em_diag *d);

/* BOPS of one conv-like layer, study book formula, exposed for tests:
 * positions * m * n * k2 * (b_a*b_w + b_a + b_w + log2(n*k2)). */
double cm_bops(uint64_t positions, uint64_t m, uint64_t n, uint64_t k2,
               unsigned b_w, unsigned b_a);

#endif
