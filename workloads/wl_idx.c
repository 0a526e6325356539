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
 * A .gz file is read to its last byte: a bad CRC or length in a trailer, a
 * stream cut short, and bytes after the last gzip member are all refused.
 */
#include "wl_idx.h"

#include <errno.h>
#include <stdarg.h>
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

/* One IDX file, read as is or, when it opens with gzip's magic 1f 8b,
 * through zlib's inflate.  zlib's gzread() is not used: it ignores bytes
 * after the last gzip member and reports a bad CRC only after the bytes it
 * covers, as a short read; inflate says where the stream ends, so bytes
 * after it are refused (as a plain file's are), and a corrupt or cut stream
 * is named as such.  Members that follow one another are one stream, as
 * gzip -d reads them. */
typedef struct {
  FILE *fp;
  int gz;           /* the file is gzip members */
  int between;      /* gz: a member has ended; another or the end of file follows */
  int zinit;        /* gz: inflateInit2 done */
  uint64_t in_off;  /* file bytes read into in[] so far */
  em_status err;    /* EM_OK, or why the file cannot be read (msg) */
  char msg[200];
  z_stream z;       /* next_in/avail_in: unused bytes of in[] (plain files too) */
  uint8_t in[1u << 16];
} src;

static void src_fail(src *s, em_status e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void src_fail(src *s, em_status e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  s->err = e;
  vsnprintf(s->msg, sizeof s->msg, fmt, ap);
  va_end(ap);
}

/* Moves the unused input to the front of in[] and reads more after it. */
static void src_fill(src *s) {
  if (s->z.avail_in) memmove(s->in, s->z.next_in, s->z.avail_in);
  size_t k = fread(s->in + s->z.avail_in, 1, sizeof s->in - s->z.avail_in, s->fp);
  if (k == 0 && ferror(s->fp))
    src_fail(s, EM_ERR_IO, "read error at byte %llu: %s", (unsigned long long)s->in_off,
             strerror(errno));
  s->z.next_in = s->in;
  s->z.avail_in += (uInt)k;
  s->in_off += k;
}

/* Reads up to n bytes of data; fewer only at its end or on an error
 * (s->err). */
static size_t src_read(src *s, uint8_t *buf, size_t n) {
  size_t got = 0;
  while (got < n && s->err == EM_OK) {
    if (!s->gz) { /* what in[] holds, then the file */
      size_t k = s->z.avail_in < n - got ? s->z.avail_in : n - got;
      if (k) {
        memcpy(buf + got, s->z.next_in, k);
        s->z.next_in += k;
        s->z.avail_in -= (uInt)k;
        got += k;
        continue;
      }
      k = fread(buf + got, 1, n - got, s->fp);
      if (k == 0 && ferror(s->fp))
        src_fail(s, EM_ERR_IO, "read error at byte %llu: %s", (unsigned long long)s->in_off,
                 strerror(errno));
      s->in_off += k;
      got += k;
      if (k == 0) break;
      continue;
    }
    if (s->between) { /* the end of the file, or another member */
      if (s->z.avail_in < 2) src_fill(s);
      if (s->err != EM_OK || s->z.avail_in == 0) break;
      if (s->z.avail_in < 2 || s->z.next_in[0] != 0x1f || s->z.next_in[1] != 0x8b) {
        src_fail(s, EM_ERR_PARSE, "data after the end of the gzip stream (from byte %llu)",
                 (unsigned long long)(s->in_off - s->z.avail_in));
        break;
      }
      if (inflateReset(&s->z) != Z_OK) {
        src_fail(s, EM_ERR_PARSE, "corrupt gzip data: cannot restart inflate");
        break;
      }
      s->between = 0;
    }
    if (s->z.avail_in == 0) {
      src_fill(s);
      if (s->err != EM_OK) break;
      if (s->z.avail_in == 0) {
        src_fail(s, EM_ERR_PARSE,
                 "truncated or corrupt gzip file: it ends at byte %llu, inside its "
                 "compressed stream",
                 (unsigned long long)s->in_off);
        break;
      }
    }
    size_t want = n - got;
    s->z.next_out = buf + got;
    s->z.avail_out = want > (1u << 30) ? (1u << 30) : (uInt)want;
    uInt before = s->z.avail_out, in_before = s->z.avail_in;
    int r = inflate(&s->z, Z_NO_FLUSH);
    got += before - s->z.avail_out;
    /* with input and room for output inflate always moves; if it did not,
     * stop rather than loop (zlib's Z_BUF_ERROR: no progress possible) */
    if (r == Z_BUF_ERROR && s->z.avail_out == before && s->z.avail_in == in_before)
      r = Z_DATA_ERROR;
    if (r == Z_STREAM_END) s->between = 1;
    else if (r == Z_MEM_ERROR)
      src_fail(s, EM_ERR_NOMEM, "out of memory");
    else if (r != Z_OK && r != Z_BUF_ERROR)
      src_fail(s, EM_ERR_PARSE, "corrupt gzip data: %s", s->z.msg ? s->z.msg : zError(r));
  }
  return got;
}

/* Whether data follows what has been read (0 also on an error: s->err).  A
 * gzip file is read on to its end (up to WL_IDX_PIXELS_MAX more bytes)
 * first, so that extra bytes that come from a corrupt stream are reported
 * as the corruption, not as data. */
static int src_more(src *s) {
  uint8_t scratch[4096];
  size_t k = src_read(s, scratch, 1);
  if (k == 0 || !s->gz) return (int)k;
  for (uint64_t seen = 1; seen < WL_IDX_PIXELS_MAX && s->err == EM_OK;) {
    size_t m = src_read(s, scratch, sizeof scratch);
    if (m == 0) break;
    seen += m;
  }
  return s->err == EM_OK;
}

static void src_close(src *s) {
  if (!s) return;
  if (s->zinit) inflateEnd(&s->z);
  if (s->fp) fclose(s->fp);
  free(s);
}

/* Reads exactly n bytes: 0 on success, -1 when the data ends first, -3 when
 * the file cannot be read (s->err). */
static int rd(src *s, void *buf, size_t n) {
  size_t k = src_read(s, buf, n);
  if (s->err != EM_OK) return -3;
  return k == n ? 0 : -1;
}

/* Reads exactly n bytes into a buffer of its own (*out, n + 1 bytes) that
 * grows with the data, never to more than twice what has arrived: 0 on
 * success, -1 when the file ends first, -2 out of memory, -3 a read error
 * (s->err). */
static int rd_alloc(src *f, uint8_t **out, size_t n) {
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
    rc = rd(f, b + got, cap - got);
    got = cap;
  }
  if (rc != 0) {
    free(b);
    return rc;
  }
  *out = b;
  return 0;
}

/* The diagnostic for a file that src could not read. */
static em_status src_diag(const src *s, const char *path, em_diag *d) {
  return em_diag_set(d, s->err, path, 0, 0, "%s", s->msg);
}

/* Opens an IDX file of unsigned bytes with `ndim` dimensions; fills dims and
 * *bytes, the file's length (0 for a compressed file, whose length says
 * nothing of the data's). */
static em_status open_idx(const char *path, unsigned ndim, uint32_t *dims, src **out,
                          uint64_t *bytes, em_diag *d) {
  /* a regular file only: a device or a pipe could be read without end */
  em_status os = em_input_check(path, "an IDX file", EM_INPUT_REGULAR, d);
  if (os != EM_OK) return os;
  src *f = calloc(1, sizeof *f);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  struct stat st;
  f->fp = fopen(path, "rb");
  if (!f->fp || fstat(fileno(f->fp), &st) != 0) {
    em_status e = em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    src_close(f);
    return e;
  }
  src_fill(f);
  if (f->err == EM_OK && f->z.avail_in >= 2 && f->in[0] == 0x1f && f->in[1] == 0x8b) {
    f->gz = 1;
    /* 16 + 15: a gzip wrapper (not zlib's) and a 32 KiB window */
    int zr = inflateInit2(&f->z, 16 + MAX_WBITS);
    if (zr != Z_OK) {
      em_status e = zr == Z_MEM_ERROR
                        ? em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory")
                        : em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot start zlib: %s",
                                      zError(zr));
      src_close(f);
      return e;
    }
    f->zinit = 1;
  }
  uint8_t h[4];
  int r = rd(f, h, 4);
  if (r == -3 || r != 0 || h[0] != 0 || h[1] != 0 || h[2] != 0x08 || h[3] != ndim) {
    em_status e = r == -3 ? src_diag(f, path, d)
                          : em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                                        "not an IDX file of unsigned bytes with %u dimensions "
                                        "(the magic number at byte 0 must be 00 00 08 %02x)",
                                        ndim, ndim);
    src_close(f);
    return e;
  }
  for (unsigned i = 0; i < ndim; i++) {
    uint8_t b[4];
    if ((r = rd(f, b, 4)) != 0) {
      em_status e = r == -3 ? src_diag(f, path, d)
                            : em_diag_set(d, EM_ERR_PARSE, path, 0, 0,
                                          "truncated IDX header: dimension %u at byte %u is "
                                          "missing",
                                          i + 1, 4 + 4 * i);
      src_close(f);
      return e;
    }
    dims[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  }
  *bytes = f->gz ? 0 : (uint64_t)st.st_size;
  *out = f;
  return EM_OK;
}

em_status wl_idx_load(const char *images, const char *labels, wl_dataset *ds, em_diag *d) {
  memset(ds, 0, sizeof *ds);
  uint32_t di[3] = {0, 0, 0}, dl[1] = {0};
  uint64_t bi = 0, bl = 0, npix = 0;
  src *fi = NULL, *fl = NULL;
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
    else if (r == -3) s = src_diag(fi, images, d);
    else if (r != 0)
      s = em_diag_set(d, EM_ERR_PARSE, images, 0, 0, "truncated: fewer than %zu images", ds->n);
  }
  if (s == EM_OK) {
    int r = bl && bl < 8 + (uint64_t)ds->n ? -1 : rd_alloc(fl, &ds->labels, ds->n);
    if (r == -2) s = em_diag_set(d, EM_ERR_NOMEM, labels, 0, 0, "out of memory");
    else if (r == -3) s = src_diag(fl, labels, d);
    else if (r != 0)
      s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0, "truncated: fewer than %zu labels", ds->n);
  }
  /* and no more than it promises: bytes past the counted images or labels
   * are a header that miscounts them (the weights reader refuses them too).
   * Reading on to the end also checks a gzip file to its last byte: the CRC
   * and length in each member's trailer, and nothing after the last one. */
  if (s == EM_OK && src_more(fi))
    s = em_diag_set(d, EM_ERR_PARSE, images, 0, 0,
                    "data after the %zu images the header counts (from byte %llu)", ds->n,
                    (unsigned long long)(16 + npix));
  if (s == EM_OK && fi->err != EM_OK) s = src_diag(fi, images, d);
  if (s == EM_OK && src_more(fl))
    s = em_diag_set(d, EM_ERR_PARSE, labels, 0, 0,
                    "data after the %zu labels the header counts (from byte %zu)", ds->n,
                    8 + ds->n);
  if (s == EM_OK && fl->err != EM_OK) s = src_diag(fl, labels, d);
  for (size_t i = 0; s == EM_OK && i < ds->n; i++)
    if (ds->labels[i] > 9)
      s = em_diag_set(d, EM_ERR_RANGE, labels, 0, 0, "label %u of image %zu (byte %zu) is not 0..9",
                      ds->labels[i], i, 8 + i);
  src_close(fi);
  src_close(fl);
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
