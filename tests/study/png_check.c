/*
 * png_check.c - is a PNG a picture? The tests' eye on the plots.
 *
 * usage: png_check [--size WxH] [--min-colours N] [--max-share F] [--min-hue N] FILE...
 *
 * Decodes each file (8-bit greyscale, RGB, palette, grey + alpha or RGBA,
 * not interlaced: what gnuplot's pngcairo writes) with zlib, every chunk's
 * CRC checked, and prints "FILE: WxH, N colours, commonest P %, K in
 * colour".  It fails (exit 1) where a file is no such PNG, is not WxH, has
 * fewer than N distinct colours (default 16: a plot's antialiased lines and
 * text give hundreds, a blank page one), where the commonest colour covers
 * more than F of the pixels (default 0.995: the background of a plot with
 * nothing on it), or where fewer than K pixels (default 100) are in colour rather than
 * black, grey or white: the axes, ticks and text are grey, the data drawn
 * in colour, so a plot whose data went missing fails.  A small reader of
 * our own rather than ImageMagick, which the build does not otherwise need.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_FILE (64u << 20)   /* bytes: a 960 x 600 plot is tens of kB */
#define MAX_PIXELS (1u << 24) /* 16 M pixels */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Reads and decodes path: 0 and the pixels as 0xRRGGBBAA, or -1 with why. */
static int decode(const char *path, uint32_t **px, uint32_t *w, uint32_t *h, const char **why) {
  unsigned char *f = NULL, *idat = NULL, *raw = NULL, pal[256 * 4];
  size_t n = 0, ni = 0, npal = 0;
  int rc = -1;
  *px = NULL;
  FILE *fp = fopen(path, "rb");
  if (!fp) return *why = "cannot open", -1;
  f = malloc(MAX_FILE);
  if (f) n = fread(f, 1, MAX_FILE, fp);
  fclose(fp);
  static const unsigned char sig[8] = {137, 'P', 'N', 'G', 13, 10, 26, 10};
  if (!f || n < 8 || memcmp(f, sig, 8) != 0) {
    *why = "not a PNG";
    goto out;
  }
  idat = malloc(n);
  if (!idat) goto nomem;
  int depth = 0, type = -1, iend = 0;
  for (size_t at = 8; at + 12 <= n && !iend;) {
    uint32_t len = be32(f + at);
    if (len > n - at - 12) {
      *why = "a chunk runs past the end";
      goto out;
    }
    const unsigned char *t = f + at + 4, *data = t + 4;
    if (crc32(crc32(0, NULL, 0), t, len + 4) != be32(data + len)) {
      *why = "a chunk's CRC is wrong";
      goto out;
    }
    if (!memcmp(t, "IHDR", 4) && len == 13) {
      *w = be32(data);
      *h = be32(data + 4);
      depth = data[8];
      type = data[9];
      if (data[12] != 0) {
        *why = "interlaced";
        goto out;
      }
    } else if (!memcmp(t, "PLTE", 4) && len <= 768 && len % 3 == 0) {
      npal = len / 3;
      for (size_t i = 0; i < npal; i++) {
        memcpy(pal + 4 * i, data + 3 * i, 3);
        pal[4 * i + 3] = 255;
      }
    } else if (!memcmp(t, "IDAT", 4)) {
      memcpy(idat + ni, data, len);
      ni += len;
    } else if (!memcmp(t, "IEND", 4)) {
      iend = 1;
    }
    at += 12 + (size_t)len;
  }
  int ch = type == 0 ? 1 : type == 2 ? 3 : type == 3 ? 1 : type == 4 ? 2 : type == 6 ? 4 : 0;
  if (!iend || depth != 8 || !ch || (type == 3 && !npal)) {
    *why = "not an 8-bit, complete PNG";
    goto out;
  }
  if (*w == 0 || *h == 0 || (uint64_t)*w * *h > MAX_PIXELS) {
    *why = "no pixels, or too many";
    goto out;
  }
  size_t stride = (size_t)*w * (size_t)ch, want = (stride + 1) * *h;
  uLongf got = (uLongf)want;
  raw = malloc(want);
  *px = malloc((size_t)*w * *h * sizeof **px);
  if (!raw || !*px) goto nomem;
  if (uncompress(raw, &got, idat, (uLong)ni) != Z_OK || got != want) {
    *why = "the image data does not inflate to its size";
    goto out;
  }
  for (uint32_t y = 0; y < *h; y++) {
    unsigned char *row = raw + y * (stride + 1) + 1, *up = y ? row - (stride + 1) : NULL;
    int ft = row[-1];
    for (size_t i = 0; i < stride; i++) {
      int a = i >= (size_t)ch ? row[i - ch] : 0, b = up ? up[i] : 0,
          c = up && i >= (size_t)ch ? up[i - ch] : 0;
      int v = ft == 0   ? 0
              : ft == 1 ? a
              : ft == 2 ? b
              : ft == 3 ? (a + b) / 2
              : ft == 4 ? paeth(a, b, c)
                        : -1;
      if (v < 0) {
        *why = "a bad row filter";
        goto out;
      }
      row[i] = (unsigned char)(row[i] + v);
    }
    for (uint32_t x = 0; x < *w; x++) {
      const unsigned char *p = row + (size_t)x * ch;
      uint32_t r, g, bl, al = 255;
      if (type == 3) {
        if (p[0] >= npal) {
          *why = "a palette index past the palette";
          goto out;
        }
        p = pal + 4 * p[0];
        r = p[0], g = p[1], bl = p[2];
      } else if (ch <= 2) {
        r = g = bl = p[0];
        if (ch == 2) al = p[1];
      } else {
        r = p[0], g = p[1], bl = p[2];
        if (ch == 4) al = p[3];
      }
      (*px)[(size_t)y * *w + x] = r << 24 | g << 16 | bl << 8 | al;
    }
  }
  rc = 0;
  goto out;
nomem:
  *why = "out of memory";
out:
  free(f);
  free(idat);
  free(raw);
  if (rc != 0) {
    free(*px);
    *px = NULL;
  }
  return rc;
}

int main(int argc, char **argv) {
  unsigned long want_w = 0, want_h = 0, min_colours = 16;
  unsigned long min_hue = 100;
  double max_share = 0.995;
  int i = 1, bad = 0;
  for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
    if (!strcmp(argv[i], "--size") && sscanf(argv[i + 1], "%lux%lu", &want_w, &want_h) == 2)
      continue;
    if (!strcmp(argv[i], "--min-colours") && sscanf(argv[i + 1], "%lu", &min_colours) == 1)
      continue;
    if (!strcmp(argv[i], "--max-share") && sscanf(argv[i + 1], "%lf", &max_share) == 1) continue;
    if (!strcmp(argv[i], "--min-hue") && sscanf(argv[i + 1], "%lu", &min_hue) == 1) continue;
    fprintf(stderr, "usage: png_check [--size WxH] [--min-colours N] [--max-share F] "
                    "[--min-hue N] FILE...\n");
    return 2;
  }
  if (i == argc) {
    fprintf(stderr, "png_check: no files\n");
    return 2;
  }
  for (; i < argc; i++) {
    uint32_t *px, w = 0, h = 0;
    const char *why = NULL;
    if (decode(argv[i], &px, &w, &h, &why) != 0) {
      printf("FAIL: %s: %s\n", argv[i], why);
      bad = 1;
      continue;
    }
    size_t np = (size_t)w * h, ncol = 0, run = 0, most = 0, hue = 0;
    for (size_t k = 0; k < np; k++) { /* in colour: its channels differ by more than 48 of 255 */
      int r = (int)(px[k] >> 24), g = (int)(px[k] >> 16 & 255), b = (int)(px[k] >> 8 & 255);
      int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
      int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
      hue += hi - lo > 48;
    }
    qsort(px, np, sizeof *px, cmp_u32);
    for (size_t k = 0; k < np; k++) {
      if (k == 0 || px[k] != px[k - 1]) ncol++, run = 0;
      if (++run > most) most = run;
    }
    free(px);
    double share = (double)most / (double)np;
    printf("%s: %ux%u, %zu colours, commonest %.1f %%, %zu in colour\n", argv[i], w, h, ncol,
           100 * share, hue);
    if (want_w && (w != want_w || h != want_h)) {
      printf("FAIL: %s: %ux%u, expected %lux%lu\n", argv[i], w, h, want_w, want_h);
      bad = 1;
    }
    if (ncol < min_colours) {
      printf("FAIL: %s: %zu colours, a plot has at least %lu\n", argv[i], ncol, min_colours);
      bad = 1;
    }
    if (share > max_share) {
      printf("FAIL: %s: one colour covers %.2f %% of it: blank\n", argv[i], 100 * share);
      bad = 1;
    }
    if (hue < min_hue) {
      printf("FAIL: %s: %zu pixels in colour, expected at least %lu: no data drawn\n", argv[i],
             hue, min_hue);
      bad = 1;
    }
  }
  return bad;
}
