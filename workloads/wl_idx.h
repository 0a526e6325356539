/*
 * wl_idx.h - the IDX files of MNIST-style datasets (LeCun's format), plain
 * or gzip-compressed (zlib), and the Fashion-MNIST set Debian ships in the
 * dataset-fashion-mnist package.
 *
 * IDX: magic 0x0000 0x08 (unsigned bytes) NDIM, then NDIM 32-bit big-endian
 * sizes, then the data.  Images are idx3 (count x rows x cols), labels idx1.
 */
#ifndef WL_IDX_H
#define WL_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

typedef struct {
  size_t n;           /* images */
  size_t rows, cols;  /* pixels */
  uint8_t *pixels;    /* n x rows x cols */
  uint8_t *labels;    /* n, 0..9 */
} wl_dataset;

/* Reads one idx3 image file and one idx1 label file (".gz" or not).
 * Errors name the file: missing, not a regular file, not IDX, no images,
 * sizes out of range (rows and cols in [1, 4096], at most 10^7 images and
 * 2^30 pixel bytes), counts that disagree, truncated, a label above 9, and
 * for a .gz file: corrupt or truncated gzip data, or bytes after the gzip
 * stream. */
em_status wl_idx_load(const char *images, const char *labels, wl_dataset *out, em_diag *d);
void wl_dataset_free(wl_dataset *ds);

/* The Debian package's folder. */
#define WL_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* Fashion-MNIST's training (60,000) or test (10,000) set from `dir` (NULL:
 * WL_FASHION_MNIST_DIR).  A missing folder says which Debian package to
 * install. */
em_status wl_fashion_mnist(const char *dir, int train, wl_dataset *out, em_diag *d);

/* Both sets of wl_fashion_mnist() and the check that the test images have
 * the training images' rows x cols (a network sized for one would read the
 * other past its end).  On error both are freed and empty. */
em_status wl_fashion_mnist_pair(const char *dir, wl_dataset *train, wl_dataset *test,
                                em_diag *d);

#endif
