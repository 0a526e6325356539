/*
 * nn_mlp.h - a multilayer perceptron trained in C on an IDX dataset, and its
 * quantized inference through the functional models of the MAC, XNOR and
 * ternary units (mac_arith.h: the RTL is checked against them), so the
 * accuracy is what that hardware computes.
 *
 * Network: dims[0] inputs (pixels / 255, optionally brightness-shifted), ReLU
 * hidden layers, a softmax output; W[l] is dims[l+1] x dims[l], row-major.
 * Training: mini-batch SGD with momentum or Adam (study book), cross-entropy,
 * He-normal initial weights and shuffles from a seeded GSL mt19937. The
 * batch is split in two fixed halves whose gradients are summed in order,
 * so the weights are the same byte for byte for a seed, whatever the number
 * of threads.
 *
 * Weight file (nn_mlp_save): the 8 bytes "EMLSMLP1", u32 layer count, u32
 * dims (count + 1), then per layer its weights and biases as IEEE-754
 * float32, all little-endian.
 */
#ifndef NN_MLP_H
#define NN_MLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cm_quant.h"
#include "em_diag.h"
#include "wl_idx.h"

#define NN_MAX_LAYERS 4

typedef struct {
  unsigned nl;                       /* weight layers */
  unsigned dim[NN_MAX_LAYERS + 1];
  float *w[NN_MAX_LAYERS], *b[NN_MAX_LAYERS];
} nn_mlp;

em_status nn_mlp_init(nn_mlp *m, const unsigned *dims, unsigned nl, uint64_t seed, em_diag *d);
void nn_mlp_free(nn_mlp *m);
em_status nn_mlp_copy(const nn_mlp *src, nn_mlp *dst, em_diag *d);

typedef enum { NN_SGD, NN_ADAM } nn_optimizer;

typedef struct {
  nn_optimizer opt;
  double lr;          /* SGD 0.05, Adam 0.001 */
  double momentum;    /* SGD: 0.9 */
  double beta1, beta2, eps; /* Adam: 0.9, 0.999, 1e-8 */
  unsigned epochs, batch;
  uint64_t seed;
  unsigned threads;   /* 1 or 2 */
  /* pruning masks per layer (1 = kept), held at zero while training; NULL: none */
  uint8_t *mask[NN_MAX_LAYERS];
} nn_train_cfg;

nn_train_cfg nn_train_defaults(nn_optimizer opt);

/* One optimizer step on n parameters p, with their momentum (and Adam's
 * second moment) m, v: the gradient is (g0 + g1) x inv, the batch's two
 * halves added in a fixed order (the same for any thread count); b1t, b2t
 * are Adam's bias corrections 1 - beta^t.  Each parameter reads only its own
 * state, so a range may be stepped apart from the rest (nn_cnn.c too). */
void nn_opt_step(const nn_train_cfg *c, float *p, const float *g0, const float *g1, float *m,
                 float *v, size_t n, float inv, double b1t, double b2t);

/* Trains in place; `log` (may be NULL) gets one line per epoch. */
em_status nn_mlp_train(nn_mlp *m, const wl_dataset *ds, const nn_train_cfg *c, FILE *log,
                       em_diag *d);

/* Input transform: x = min(1, gain * pixel / 255 + bias) (gain 1, bias 0:
 * the clean images; the study book's calibration-mismatch test shifts it). */
typedef struct {
  float gain, bias;
} nn_input;

/* The images of ds the fp32 network classifies right, or SIZE_MAX when out
 * of memory; outcome, when not NULL, gets each image's (1: right, 0:
 * wrong; ds->n bytes).  nn_mlp_accuracy: the fraction right (NAN when out
 * of memory, 0 for no images). */
size_t nn_mlp_correct(const nn_mlp *m, const wl_dataset *ds, nn_input in, uint8_t *outcome);
double nn_mlp_accuracy(const nn_mlp *m, const wl_dataset *ds, nn_input in);

em_status nn_mlp_save(const nn_mlp *m, const char *path, em_diag *d);
em_status nn_mlp_load(nn_mlp *m, const char *path, em_diag *d);
/* After a weight file's last counted byte: EM_OK at its end, else
 * "overlong weight file: more than <what>" (a pipe's length is not known
 * before, so one more byte is read; a regular file that grew since is
 * caught too) or its read error.  The loaders of nn_mlp.c and nn_cnn.c. */
em_status nn_weight_file_end(FILE *f, const char *path, const char *what, em_diag *d);
/* EM_ERR_INVALID (at `path`, may be NULL) when the fp32 network's
 * activations on one of the first n images of ds overflow float: finite
 * weights too large to run (nn_quantize refuses them too). */
em_status nn_mlp_check_finite(const nn_mlp *m, const wl_dataset *ds, size_t n, nn_input in,
                              const char *path, em_diag *d);

/* ---- quantized inference ---- */

typedef enum { NN_Q_INT, NN_Q_TERNARY, NN_Q_BINARY } nn_qkind;

typedef struct {
  nn_qkind kind;
  unsigned wbits, abits;     /* NN_Q_INT: weight and activation bits (2..16) */
  bool per_channel;          /* weights: one scale per output row */
  cm_qscheme wscheme;        /* weights: symmetric or asymmetric */
  cm_calib calib;            /* activations and weights: min/max or percentile */
  double percentile;
  bool keep_ends;            /* first and last layers at 8 bits */
  double ternary_t;          /* NN_Q_TERNARY: threshold = t x max|W| (TTQ) */
} nn_qcfg;

typedef struct nn_qmodel nn_qmodel;

/* Quantizes m, calibrating the activation ranges on the first `ncalib`
 * images of `calib` under input transform `in`. */
em_status nn_quantize(const nn_mlp *m, const nn_qcfg *c, const wl_dataset *calib, size_t ncalib,
                      nn_input in, nn_qmodel **out, em_diag *d);
void nn_qmodel_free(nn_qmodel *q);
/* Accuracy of the quantized network: integer layers through mac_dot (the
 * MAC's model, mac_step, over a row: the same accumulator bits), binary
 * layers through xnor_dot, ternary layers through mac_step on {-1, 0, +1}.
 * nn_qcorrect: the images right and each one's outcome, as nn_mlp_correct;
 * nn_qaccuracy: the fraction, as nn_mlp_accuracy. */
size_t nn_qcorrect(const nn_qmodel *q, const wl_dataset *ds, nn_input in, uint8_t *outcome);
double nn_qaccuracy(const nn_qmodel *q, const wl_dataset *ds, nn_input in);
/* The activation scale at layer l's input (the calibration-mismatch report). */
double nn_qmodel_act_scale(const nn_qmodel *q, unsigned l);

/* One integer layer output computed both ways, for the RTL cross-check:
 * the quantized operands of output `row` of layer `l` for image `img`
 * (activations unsigned abits, weights two's complement wbits, k of each),
 * and the accumulator the inference path sums from them. */
em_status nn_qmodel_operands(const nn_qmodel *q, const wl_dataset *ds, nn_input in, size_t img,
                             unsigned l, unsigned row, uint32_t *a, uint32_t *w, unsigned *k,
                             unsigned *wa, unsigned *wb, int64_t *acc, em_diag *d);

/* ---- pruning ---- */

typedef enum { NN_PRUNE_MAGNITUDE, NN_PRUNE_NEURON, NN_PRUNE_NM } nn_prune;

/* Zeroes weights of every layer but the last: the `s` fraction of smallest
 * magnitudes (per layer), or the s fraction of hidden neurons with the
 * smallest L2 norm (their rows in, their columns out), or N of every M
 * consecutive inputs kept by magnitude.  Fills masks (allocated; free them)
 * for fine-tuning. */
em_status nn_mlp_prune(nn_mlp *m, nn_prune how, double s, unsigned n, unsigned mm,
                       uint8_t *mask[NN_MAX_LAYERS], em_diag *d);

#endif
