/*
 * wl_idx.c - IDX reader (wl_idx.h), through zlib so .gz files read as is.
 *
 * Sizes come from the header, so they are checked before they are used: at
 * least one image, rows and cols in [1, 4096], at most 10^7 images and
 * WL_IDX_PIXELS_MAX pixel bytes in all.  An uncompressed file's length must
 * hold what its header promises before the pixels are allocated; a .gz
 * file's length says nothing about it, so its buffer grows only as the data
 * really arrives (a 30-byte file that claims 10^7 images of 4096 x 4096 is
 * refused as truncated after a few kilobytes, not after allocating 1 GiB).
 */
#include "wl_idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "em_checked.h"
#include "em_input.h"

/* All pixels of one file: 2^30 bytes (1 GiB), 22 times Fashion-MNIST's
 * 60,000 images of 28 x 28 (47 MB). */
#define WL_IDX_PIXELS_MAX (1ull << 30)
/* The first allocation of a buffer that grows as a .gz file is read. */
#define GROW_FIRST (1u << 20)

/* Reads exactly n bytes; 0 on success. */
static int rd(gzFile f, void *buf, size_t n) {
  uint8_t *p = buf;
  while (n) {
    unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
    int k = gzread(f, p, chunk);
    if (k <= 0) return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

/* Reads exactly n bytes into a buffer of its own (*out, n + 1 bytes) that
 * grows with the data, never to more than twice what has arrived: 0 on
 * success, -1 when the file ends first, -2 out of memory. */
static int rd_alloc(gzFile f, uint8_t **out, size_t n) {
  size_t cap = n < GROW_FIRST ? n : GROW_FIRST, got = 0;
  uint8_t *b = malloc(cap + 1);
  int rc = b ? 0 : -2; /* -1: truncated, -2: out of memory */
  while (rc == 0 && got < n) {
    if (got == cap) {
      size_t nc = cap > n / 2 ? n : 2 * cap;
      uint8_t *p = realloc(b, nc + 1);
      if (!p) {
        rc = -2;
        break;
      }
      b = p;
      cap = nc;
    }
    if (rd(f, b + got, cap - got) != 0) rc = -1;
    got = cap;
  }
  if (rc != 0) {
    free(b);
    return rc;
  }
  *out = b;
  return 0;
}

/* Opens an IDX file of unsigned bytes with `ndim` dimensions; fills dims and
 * *bytes, the file's length (0 for a compressed file, whose length says
 * nothing of the data's). */
static em_status open_idx(const char *path, unsigned ndim, uint32_t *dims, gzFile *out,
                          uint64_t *bytes, em_diag *d) {
  /* a regular file only: a device or a pipe could be read without end */
  em_status os = em_input_check(path, "an IDX file", EM_INPUT_REGULAR, d);
  if (os != EM_OK) return os;
  struct stat st;
  if (stat(path, &st) != 0)
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  gzFile f = gzopen(path, "rb");
  if (!f) return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  uint8_t h[4];
  if (rd(f, h, 4) != 0 || h[0] != 0 || h[1] != 0 || h[2] != 0x08 || h[3] != ndim) {
    gzclose(f);
    return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                       "not an IDX file of unsigned bytes with %u dimensions (the magic "
                       "number at byte 0 must be 00 00 08 %02x)",
                       ndim, ndim);
  }
  for (unsigned i = 0; i < ndim; i++) {
    uint8_t b[4];
    if (rd(f, b, 4) != 0) {
      gzclose(f);
      return em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                         "truncated IDX header: dimension %u at byte %u is missing", i + 1,
                         4 + 4 * i);
    }
    dims[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  }
  *bytes = gzdirect(f) ? (uint64_t)st.st_size : 0; /* zlib reads a plain file as is */
  *out = f;
  return EM_OK;
}

em_status wl_idx_load(const char *images, const char *labels, wl_dataset *ds, em_diag *d) {
  memset(ds, 0, sizeof *ds);
  uint32_t di[3] = {0, 0, 0}, dl[1] = {0};
  uint64_t bi = 0, bl = 0, npix = 0;
  gzFile fi = NULL, fl = NULL;
  em_status s = open_idx(images, 3, di, &fi, &bi, d);
  if (s == EM_OK && di[0] == 0)
    s = em_diag_set(d, EM_ERR_RANGE, images, 0, 0, "no images: the count at byte 4 is 0");
  if (s == EM_OK && (di[1] == 0 || di[2] == 0 || di[1] > 4096 || di[2] > 4096 || di[0] > 10000000))
    s = em_diag_set(d, EM_ERR_RANGE, images, 0, 0, "implausible sizes %u x %u x %u", di[0], di[1],
                    di[2]);
  uint64_t f3[3] = {di[0], di[1], di[2]};
  if (s == EM_OK && (!em_mul_n_u64(f3, 3, &npix) || npix > WL_IDX_PIXELS_MAX))
    s = em_diag_set(d, EM_ERR_LIMIT, images, 0, 0,
                    "%u images of %u x %u pixels are more than %llu bytes", di[0], di[1], di[2],
                    (unsigned long long)WL_IDX_PIXELS_MAX);
  if (s == EM_OK) s = open_idx(labels, 1, dl, &fl, &bl, d);
  if (s == EM_OK && di[0] != dl[0])
    s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0, "%u labels for %u images in %s", dl[0], di[0],
                    images);
  if (s == EM_OK) {
    ds->n = di[0];
    ds->rows = di[1];
    ds->cols = di[2];
    /* a plain file must hold what its header promises before anything is
     * allocated (16 and 8 header bytes); a compressed one is read as it comes */
    int r = bi && bi < 16 + npix ? -1 : rd_alloc(fi, &ds->pixels, (size_t)npix);
    if (r == -2) s = em_diag_set(d, EM_ERR_NOMEM, images, 0, 0, "out of memory");
    else if (r != 0)
      s = em_diag_set(d, EM_ERR_PARSE, images, 0, 0, "truncated: fewer than %zu images", ds->n);
  }
  if (s == EM_OK) {
    int r = bl && bl < 8 + (uint64_t)ds->n ? -1 : rd_alloc(fl, &ds->labels, ds->n);
    if (r == -2) s = em_diag_set(d, EM_ERR_NOMEM, labels, 0, 0, "out of memory");
    else if (r != 0)
      s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0, "truncated: fewer than %zu labels", ds->n);
  }
  /* and no more than it promises: bytes past the counted images or labels
   * are a header that miscounts them (the weights reader refuses them too) */
  uint8_t extra;
  if (s == EM_OK && gzread(fi, &extra, 1) == 1)
    s = em_diag_set(d, EM_ERR_PARSE, images, 0, 0,
                    "data after the %zu images the header counts (from byte %llu)", ds->n,
                    (unsigned long long)(16 + npix));
  if (s == EM_OK && gzread(fl, &extra, 1) == 1)
    s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0,
                    "data after the %zu labels the header counts (from byte %zu)", ds->n,
                    8 + ds->n);
  for (size_t i = 0; s == EM_OK && i < ds->n; i++)
    if (ds->labels[i] > 9)
      s = em_diag_set(d, EM_ERR_RANGE, labels, 0, 0, "label %u of image %zu (byte %zu) is not 0..9",
                      ds->labels[i], i, 8 + i);
  if (fi) gzclose(fi);
  if (fl) gzclose(fl);
  if (s != EM_OK) wl_dataset_free(ds);
  return s;
}

void wl_dataset_free(wl_dataset *ds) {
  free(ds->pixels);
  free(ds->labels);
  memset(ds, 0, sizeof *ds);
}

/* The image and label files of `set` ("train" or "t10k") in dir: each the
 * .gz file, or else its uncompressed copy (the images of one and the
 * labels of the other are a set too: gunzip on one file is common). */
static void set_paths(const char *dir, const char *set, char *im, char *lb, size_t size) {
  struct stat st;
  snprintf(im, size, "%s/%s-images-idx3-ubyte.gz", dir, set);
  if (stat(im, &st) != 0) snprintf(im, size, "%s/%s-images-idx3-ubyte", dir, set);
  snprintf(lb, size, "%s/%s-labels-idx1-ubyte.gz", dir, set);
  if (stat(lb, &st) != 0) snprintf(lb, size, "%s/%s-labels-idx1-ubyte", dir, set);
}

em_status wl_fashion_mnist(const char *dir, int train, wl_dataset *out, em_diag *d) {
  if (!dir) dir = WL_FASHION_MNIST_DIR;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return em_diag_set(d, EM_ERR_NOTFOUND, dir, 0, 0,
                       "no Fashion-MNIST here: install Debian's dataset-fashion-mnist "
                       "(apt-get install dataset-fashion-mnist) or give --data DIR");
  char im[4200], lb[4200];
  set_paths(dir, train ? "train" : "t10k", im, lb, sizeof im);
  return wl_idx_load(im, lb, out, d);
}

em_status wl_fashion_mnist_pair(const char *dir, wl_dataset *train, wl_dataset *test,
                                em_diag *d) {
  memset(train, 0, sizeof *train);
  memset(test, 0, sizeof *test);
  em_status s = wl_fashion_mnist(dir, 1, train, d);
  if (s == EM_OK) s = wl_fashion_mnist(dir, 0, test, d);
  if (s == EM_OK && (test->rows != train->rows || test->cols != train->cols)) {
    char im[4200], lb[4200];
    set_paths(dir ? dir : WL_FASHION_MNIST_DIR, "t10k", im, lb, sizeof im);
    s = em_diag_set(d, EM_ERR_INVALID, im, 0, 0,
                    "test images of %zu x %zu pixels, but the training images are %zu x %zu",
                    test->rows, test->cols, train->rows, train->cols);
  }
  if (s != EM_OK) {
    wl_dataset_free(train);
    wl_dataset_free(test);
  }
  return s;
}
