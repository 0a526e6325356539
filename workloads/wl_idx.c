/* wl_idx.c - IDX reader (wl_idx.h), through zlib so .gz files read as is. */
#include "wl_idx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

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

/* Opens an IDX file of unsigned bytes with `ndim` dimensions; fills dims. */
static em_status open_idx(const char *path, unsigned ndim, uint32_t *dims, gzFile *out,
                          em_diag *d) {
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
  *out = f;
  return EM_OK;
}

em_status wl_idx_load(const char *images, const char *labels, wl_dataset *ds, em_diag *d) {
  memset(ds, 0, sizeof *ds);
  uint32_t di[3], dl[1];
  gzFile fi = NULL, fl = NULL;
  em_status s = open_idx(images, 3, di, &fi, d);
  if (s == EM_OK) s = open_idx(labels, 1, dl, &fl, d);
  if (s == EM_OK && di[0] != dl[0])
    s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0, "%u labels for %u images in %s", dl[0], di[0],
                    images);
  if (s == EM_OK && (di[1] == 0 || di[2] == 0 || di[1] > 4096 || di[2] > 4096 || di[0] > 10000000))
    s = em_diag_set(d, EM_ERR_RANGE, images, 0, 0, "implausible sizes %u x %u x %u", di[0], di[1],
                    di[2]);
  if (s == EM_OK) {
    ds->n = di[0];
    ds->rows = di[1];
    ds->cols = di[2];
    ds->pixels = malloc(ds->n * ds->rows * ds->cols + 1);
    ds->labels = malloc(ds->n + 1);
    if (!ds->pixels || !ds->labels) s = em_diag_set(d, EM_ERR_NOMEM, images, 0, 0, "out of memory");
  }
  if (s == EM_OK && rd(fi, ds->pixels, ds->n * ds->rows * ds->cols) != 0)
    s = em_diag_set(d, EM_ERR_PARSE, images, 0, 0, "truncated: fewer than %zu images", ds->n);
  if (s == EM_OK && rd(fl, ds->labels, ds->n) != 0)
    s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0, "truncated: fewer than %zu labels", ds->n);
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

em_status wl_fashion_mnist(const char *dir, int train, wl_dataset *out, em_diag *d) {
  if (!dir) dir = WL_FASHION_MNIST_DIR;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return em_diag_set(d, EM_ERR_NOTFOUND, dir, 0, 0,
                       "no Fashion-MNIST here: install Debian's dataset-fashion-mnist "
                       "(apt-get install dataset-fashion-mnist) or give --data DIR");
  char im[4200], lb[4200];
  const char *set = train ? "train" : "t10k";
  snprintf(im, sizeof im, "%s/%s-images-idx3-ubyte.gz", dir, set);
  snprintf(lb, sizeof lb, "%s/%s-labels-idx1-ubyte.gz", dir, set);
  if (stat(im, &st) != 0) { /* uncompressed copies */
    snprintf(im, sizeof im, "%s/%s-images-idx3-ubyte", dir, set);
    snprintf(lb, sizeof lb, "%s/%s-labels-idx1-ubyte", dir, set);
  }
  return wl_idx_load(im, lb, out, d);
}
