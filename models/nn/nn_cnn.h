/*
 * nn_cnn.h - the study book's SimpleCNN for 28 x 28 images, trained in C:
 *   conv 3x3 (pad 1) 1 -> 16, ReLU, max-pool 2x2;
 *   conv 3x3 (pad 1) 16 -> 32, ReLU, max-pool 2x2;
 *   FC 1568 -> 128, ReLU; FC 128 -> 10, softmax.
 * The same training rules as nn_mlp.h (Adam or SGD with momentum, seeded,
 * the batch in two fixed halves summed in order: the same weights on one or
 * two threads).  Quantized inference runs every convolution position and
 * every FC output through the MAC model the RTL is checked against
 * (mac_step's accumulator over a row, by mac_dot): a 3x3 convolution is the
 * FC layer of its 9 x C patch.
 */
#ifndef NN_CNN_H
#define NN_CNN_H

#include <stdint.h>

#include "em_diag.h"
#include "nn_mlp.h"
#include "wl_idx.h"

typedef struct nn_cnn nn_cnn;

em_status nn_cnn_create(uint64_t seed, nn_cnn **out, em_diag *d);
void nn_cnn_destroy(nn_cnn *c);
em_status nn_cnn_train(nn_cnn *c, const wl_dataset *ds, const nn_train_cfg *tc, FILE *log,
                       em_diag *d);
/* The images of ds classified right in floating point, or SIZE_MAX when
 * out of memory; right, when not NULL, gets each image's outcome (1:
 * right, 0: wrong; ds->n bytes).  nn_cnn_accuracy is the count over ds->n
 * (NAN when out of memory, 0 for no images). */
size_t nn_cnn_correct(const nn_cnn *c, const wl_dataset *ds, uint8_t *right);
double nn_cnn_accuracy(const nn_cnn *c, const wl_dataset *ds);
/* Weights as float32 little-endian after the 8 bytes "EMLSCNN1". */
em_status nn_cnn_save(const nn_cnn *c, const char *path, em_diag *d);
em_status nn_cnn_load(nn_cnn **out, const char *path, em_diag *d);

/* Accuracy of the network quantized to w:a bits (weights per output channel,
 * symmetric, min/max; activations unsigned, calibrated on the first `ncalib`
 * images of `calib`); first and last layers at 8 bits when keep_ends.
 * Evaluates the first `ntest` test images (0: all); right, when not NULL,
 * gets each one's outcome (1: right, 0: wrong). */
em_status nn_cnn_qaccuracy(const nn_cnn *c, unsigned wbits, unsigned abits, int keep_ends,
                           const wl_dataset *calib, size_t ncalib, const wl_dataset *test,
                           size_t ntest, double *acc, uint8_t *right, em_diag *d);

#endif
