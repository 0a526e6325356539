/*
 * study_cnn.h - the study's accuracy beside cost: the study book's SimpleCNN
 * (models/nn/nn_cnn.h) trained on Fashion-MNIST once, cached in a folder
 * (the build folder's cache/ by default), and evaluated at each bit width
 * through the unit models (every convolution position and FC output through
 * mac_step, as `emlsim quant --cnn` does).
 */
#ifndef STUDY_CNN_H
#define STUDY_CNN_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"
#include "wl_idx.h"

typedef struct {
  const char *data;  /* the Fashion-MNIST IDX folder (NULL: the Debian package's) */
  const char *cache; /* the cache folder (made if missing), or NULL: train every time */
  unsigned epochs;   /* Adam epochs over the first ntrain training images */
  size_t ntrain;     /* training images used (the first ones; 0: all) */
  size_t ntest;      /* test images evaluated (the first ones; 0: all 10,000) */
  size_t ncalib;     /* calibration images for the activation ranges */
  uint64_t seed;     /* initial weights and shuffles */
  unsigned threads;  /* 1 or 2: training halves, and the widths evaluated side by side */
} study_cnn_cfg;

/* The study's defaults (the settings `make run` trains with): a brief
 * training, to keep the study short (study_cnn.c), not the network's best. */
study_cnn_cfg study_cnn_defaults(void);

/* What the network reaches trained longer, for the report beside the
 * study's own: models/nn/README.md's fp32 test accuracy after 2 epochs of
 * Adam over all 60,000 training images (`emlsim quant --epochs 2 --cnn 2`). */
#define STUDY_CNN_LONGER_FP32_PCT 89.58
#define STUDY_CNN_LONGER_EPOCHS 2u
#define STUDY_CNN_LONGER_IMAGES 60000u

/* One bit width asked for: weights = activations = bits, fp when `fp`. */
typedef struct {
  unsigned bits;
  int fp;
} study_cnn_width;

typedef struct {
  int cached;            /* 1: the weights came from the cache */
  char cache_file[4400]; /* the cache file used or written ("" without one) */
  char cache_note[256];  /* why the cache was not used, "" when it was or none was asked */
  double train_s;        /* wall-clock seconds of training (0 when cached) */
  double eval_s;         /* wall-clock seconds of the evaluations */
  size_t ntest;          /* test images evaluated */
  size_t ncalib;         /* training images the activation ranges were calibrated on */
  char settings[256];    /* the training settings, as hashed into the cache name */
} study_cnn_info;

/* Fashion-MNIST's training and test sets from c->data, checked as the
 * SimpleCNN needs them (28 x 28 images): read before a study's other work,
 * so that a missing or bad data set is known at once.  Errors: the data
 * set's (missing files, bad IDX, other sizes), fewer training images
 * (of the first c->ntrain) than one batch of 64 when c->epochs trains
 * (EM_ERR_RANGE: no training step would run), out of memory; on error
 * both are empty.  Freed with wl_dataset_free. */
em_status study_cnn_data(const study_cnn_cfg *c, wl_dataset *train, wl_dataset *test,
                         em_diag *d);

/* Test accuracy (percent) of the SimpleCNN at each of n widths into acc_pct,
 * trained on train and tested on test (study_cnn_data's), and when outcome
 * is not NULL each test image's outcome at each width (room for n x
 * test->n bytes; width i's image k, of the info->ntest evaluated, at
 * i * info->ntest + k: 1 right, 0 wrong; untouched where the width is not
 * modelled):
 * fp32 in floating point, int2 to int16 with every layer at the width
 * (weights per output channel, symmetric; activations unsigned, min/max);
 * NAN where the network is not modelled at that width (fp16, binary: no
 * binarized SimpleCNN).  The weights are loaded from
 * CACHE/simplecnn-<FNV-1a 64 of the settings>.bin when it is there and its
 * checksum file (.sum, FNV-1a 64 of the weight file's bytes) agrees;
 * otherwise (missing, truncated, corrupt) the network is trained and the
 * cache written (atomically; a cache folder that cannot be written is noted
 * in info, not an error).  `progress` (may be NULL) is called with a line
 * per step.  Errors: out of memory. */
em_status study_cnn_accuracy(const study_cnn_cfg *c, const wl_dataset *train,
                             const wl_dataset *test, const study_cnn_width *w, size_t n,
                             double *acc_pct, uint8_t *outcome, study_cnn_info *info,
                             void (*progress)(const char *line), em_diag *d);

/* FNV-1a 64 of n bytes, continuing from h (start: 14695981039346656037). */
uint64_t study_fnv1a64(uint64_t h, const void *p, size_t n);

#endif
