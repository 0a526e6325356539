/*
 * plt_plot.c - gnuplot plots (plt_plot.h).
 *
 * Names in the plots (network, layer and GPU names, titles built from
 * them) come from input files, and gnuplot's command language is a shell:
 * a newline ends a command, `...` runs one even inside a double-quoted
 * string, and @ and $ expand macros and datablocks.  So no text from a
 * caller reaches gnuplot as it is: every title, label and legend entry goes
 * through text(), a whitelist (printable ASCII but the characters below,
 * each replaced by '_'), and the output path through a single-quoted string
 * with its quotes doubled (gnuplot substitutes nothing inside one) after
 * control characters are refused.  Line styles are ours (callers' string
 * literals) and are checked against their own small alphabet.
 *
 * Readability (plt_plot.h): no text sits beside a point (a key tells the
 * points apart), every range is computed here from the data rather than
 * left to gnuplot's autoscaling (which extends a log axis to whole decades:
 * the empty decades the first plots had), and the ticks of a log axis
 * spanning less than three decades are listed (1-2-5), since gnuplot puts
 * ticks only at the decades and a narrower axis would have one or none.
 *
 * gnuplot runs with -d (--default-settings, gnuplot 5.0 on): it reads no
 * init file, so a user's ~/.gnuplot (a `set decimalsign ","` that turned
 * every tick label into "0,5", a system() call that ran) changes nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "plt_plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The characters a label keeps: printable ASCII without the quotes, the
 * backslash (escapes), the backquote (command substitution), '@' and '$'
 * (macros, datablocks), braces (enhanced text) and ';' (a command
 * separator).  Anything else, newlines and bytes >= 0x80 included, becomes
 * '_'; dst (size >= 1) is always terminated, s may be NULL. */
static void text(char *dst, size_t size, const char *s) {
  size_t j = 0;
  for (size_t i = 0; s && s[i] && j + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    dst[j++] = c >= 0x20 && c < 0x7f && !strchr("\"'\\`@${};", c) ? (char)c : '_';
  }
  dst[j] = '\0';
}

/* A path gnuplot writes to, as the body of a single-quoted gnuplot string
 * (quotes doubled): 0, or -1 when it has a control character or does not
 * fit. */
static int quote_path(char *dst, size_t size, const char *path) {
  size_t j = 0;
  for (size_t i = 0; path[i]; i++) {
    unsigned char c = (unsigned char)path[i];
    if (c < 0x20 || c == 0x7f || j + 3 > size) return -1;
    if (c == '\'') dst[j++] = '\'';
    dst[j++] = (char)c;
  }
  dst[j] = '\0';
  return 0;
}

static em_status bad_path(const char *path, em_diag *d) {
  return em_diag_set(d, EM_ERR_INVALID, path, 0, 0,
                     "plot path has a control character or is too long");
}

em_status plt_quote_path(char *dst, size_t size, const char *path, em_diag *d) {
  return quote_path(dst, size, path) == 0 ? EM_OK : bad_path(path, d);
}

/* A `with` style: our own literals, "linespoints lw 2 pt 7". */
static int style_ok(const char *s) {
  return s && s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789 .") == strlen(s);
}

static em_status check_styles(const char *what, const plt_series *s, size_t ns, em_diag *d) {
  for (size_t i = 0; i < ns; i++)
    if (!style_ok(s[i].style))
      return em_diag_set(d, EM_ERR_INVALID, what, 0, 0, "bad plot style '%s'",
                         s[i].style ? s[i].style : "");
  return EM_OK;
}

/* ---- the script ---- */

/* A growing text buffer. */
typedef struct {
  char *p;
  size_t n, cap;
  int bad;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf *b, const char *fmt, ...) {
  if (b->bad) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
      b->bad = 1;
      return;
    }
    if (b->p && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->n + (size_t)k + 1) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->bad = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
}

/* Colours told apart by most readers, colour-blind ones included (Okabe
 * and Ito's palette, its yellow, too pale on white, replaced by brown), and
 * gnuplot's filled markers: circle, square, triangle, inverted triangle,
 * diamond, pentagon. */
static const char *const colours[8] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                       "#E69F00", "#56B4E9", "#000000", "#8C564B"};
static const int markers[6] = {7, 5, 9, 11, 13, 15};

/* ---- axes ---- */

/* What one axis must show: the extremes of its finite values, and of its
 * positive ones (what a log axis can show). */
typedef struct {
  double lo, hi, plo, phi;
  int any, pos, nonpos;
} axis_t;

static void ax_init(axis_t *a) {
  a->lo = a->plo = INFINITY;
  a->hi = a->phi = -INFINITY;
  a->any = a->pos = a->nonpos = 0;
}

static void ax_add(axis_t *a, double v) {
  if (!isfinite(v)) return;
  a->any = 1;
  if (v < a->lo) a->lo = v;
  if (v > a->hi) a->hi = v;
  if (v > 0) {
    a->pos = 1;
    if (v < a->plo) a->plo = v;
    if (v > a->phi) a->phi = v;
  } else {
    a->nonpos = 1;
  }
}

/* Whether the values span a decade or more, all of them positive. */
static int ax_decades(const axis_t *a) { return a->pos && !a->nonpos && a->phi >= 10 * a->plo; }

/* Whether a log (or linear) axis can show v. */
static int shows(double v, int log) { return isfinite(v) && (!log || v > 0); }

/* A number in a script, exact enough for any plot. */
#define NUM "%.10g"

/* The ticks of a log axis [lo, hi] (lo > 0): gnuplot's own at the decades
 * from three decades on; below, 1-2-5 times the powers of ten, and below a
 * decade a finer ladder, so that every axis has several.  fmt labels them
 * ("%g", or "%gx" for a ratio). */
static void log_tics(sbuf *b, const char *ax, double lo, double hi, const char *fmt) {
  static const double fine[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
  static const double coarse[] = {1, 2, 5};
  sb_add(b, "set format %s \"%s\"\n", ax, fmt);
  double r = hi / lo;
  if (!(r < 1000)) return;
  const double *m = r < 10 ? fine : coarse;
  size_t nm = r < 10 ? sizeof fine / sizeof fine[0] : sizeof coarse / sizeof coarse[0];
  int k0 = (int)floor(log10(lo)), k1 = (int)ceil(log10(hi));
  sb_add(b, "set %stics (", ax);
  int first = 1;
  for (int k = k0; k <= k1; k++)
    for (size_t i = 0; i < nm; i++) {
      double v = m[i] * pow(10, k);
      if (v < lo || v > hi) continue;
      sb_add(b, "%s" NUM, first ? "" : ", ", v);
      first = 0;
    }
  if (first) sb_add(b, NUM, sqrt(lo * hi)); /* cannot happen: r >= 1.21 holds a fine tick */
  sb_add(b, ")\nset m%stics default\n", ax);
}

/* Sets axis ax ("x", "y", "y2", "cb") to show a: log or linear, with a
 * margin of `pad` of the span on each side (a factor on a log axis), at
 * least a tenth of the value when all values are equal (a log axis: at
 * least 1.08 and at most 1.35 times, or 2 about a single value). */
static void ax_emit(sbuf *b, const char *ax, const axis_t *a, int log, double pad) {
  double lo, hi;
  if (log) {
    if (!a->pos) {
      lo = 1, hi = 10;
    } else {
      double f = a->phi > a->plo ? pow(a->phi / a->plo, pad) : 2;
      if (f < 1.08) f = 1.08; /* a point on the frame is half hidden */
      if (f > 1.35 && a->phi > a->plo) f = 1.35; /* wide spans: a third of a decade at most */
      lo = a->plo / f, hi = a->phi * f;
    }
    sb_add(b, "set logscale %s\nset %srange [" NUM ":" NUM "]\n", ax, ax, lo, hi);
    log_tics(b, ax, lo, hi, "%g");
    return;
  }
  if (!a->any) {
    lo = 0, hi = 1;
  } else {
    double m = (a->hi - a->lo) * pad;
    if (!(m > 0)) m = a->hi != 0 ? fabs(a->hi) * 0.1 : 1;
    lo = a->lo - m, hi = a->hi + m;
  }
  sb_add(b, "set %srange [" NUM ":" NUM "]\n", ax, lo, hi);
}

/* A log axis centred on c > 0 (a ratio's 1x): as far below as above, wide
 * enough for every positive value with a margin, at least c/2 to 2c, the
 * ticks labelled with an 'x' when c is 1. */
static void ax_centred(sbuf *b, const char *ax, const axis_t *a, double c) {
  double r = 1;
  if (a->pos) {
    if (a->phi / c > r) r = a->phi / c;
    if (c / a->plo > r) r = c / a->plo;
  }
  r *= 1.15;
  if (r < 2) r = 2;
  sb_add(b, "set logscale %s\nset %srange [" NUM ":" NUM "]\n", ax, ax, c / r, c * r);
  log_tics(b, ax, c / r, c * r, c == 1 ? "%gx" : "%g");
}

/* ---- running gnuplot ---- */

em_status plt_check_complete(const char *file, plt_format fmt, const char *shown, em_diag *d) {
  /* a PNG's last chunk, IEND: length 0, the type, and the CRC-32 of "IEND"
   * (PNG spec 11.2.5; every PNG ends with these 12 bytes) */
  static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  FILE *f = fopen(file, "rb");
  if (!f) return em_diag_set(d, EM_ERR_IO, shown, 0, 0, "gnuplot could not write the plot");
  /* the last bytes: the end mark and the white space after it (gnuplot's
   * svg ends "</svg>\n\n", pdfcairo's "%%EOF\n"); 256 is ample for that */
  unsigned char tail[256];
  off_t size = -1, from = 0;
  size_t n = 0;
  if (fseeko(f, 0, SEEK_END) == 0 && (size = ftello(f)) >= 0) {
    from = size > (off_t)sizeof tail ? size - (off_t)sizeof tail : 0;
    if (fseeko(f, from, SEEK_SET) == 0) n = fread(tail, 1, sizeof tail, f);
  }
  int bad_read = size < 0 || ferror(f) || (off_t)n != size - from;
  int e = size < 0 || ferror(f) ? errno : EIO; /* a short read sets none */
  fclose(f);
  if (bad_read)
    return em_diag_set(d, EM_ERR_IO, shown, 0, 0, "cannot read gnuplot's plot back: %s",
                       strerror(e));
  const char *mark = fmt == PLT_PNG ? "" : fmt == PLT_SVG ? "</svg>" : "%%EOF";
  const char *what = fmt == PLT_PNG   ? "no PNG end chunk"
                     : fmt == PLT_SVG ? "no closing </svg>"
                                      : "no PDF %%EOF";
  int whole;
  if (fmt == PLT_PNG) {
    whole = n >= sizeof iend && memcmp(tail + n - sizeof iend, iend, sizeof iend) == 0;
  } else {
    size_t m = strlen(mark);
    while (n > 0 && tail[n - 1] && strchr(" \t\r\n\f\v", tail[n - 1])) n--;
    whole = n >= m && memcmp(tail + n - m, mark, m) == 0;
  }
  if (!whole) /* an empty file too: it has no end mark */
    return em_diag_set(d, EM_ERR_IO, shown, 0, 0,
                       "gnuplot's plot is incomplete (%lld bytes; %s): is the disk full?",
                       (long long)size, what);
  return EM_OK;
}

static em_status render_one(const char *out, const char *term, const char *script, em_diag *d) {
  char tmp[4400], q[8900];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", out) >= (int)sizeof tmp ||
      quote_path(q, sizeof q, tmp) != 0)
    return bad_path(out, d);
  /* gnuplot's own warnings are not ours to print; a failure is its exit
   * status, or a file it left cut short (a full disk: gnuplot still exits
   * 0); -d: no init file (above) */
  FILE *g = popen("gnuplot -d >/dev/null 2>&1", "w");
  if (!g) return em_diag_set(d, EM_ERR_IO, out, 0, 0, "cannot run gnuplot");
  fprintf(g, "set terminal %s\nset output '%s'\nset termoption noenhanced\n%s\nset output\n", term,
          q, script);
  if (pclose(g) != 0) {
    remove(tmp);
    return em_diag_set(d, EM_ERR_IO, out, 0, 0, "gnuplot could not write the plot");
  }
  /* our terminals: pngcairo and svg (plt_render, finish) */
  em_status s = plt_check_complete(tmp, strncmp(term, "svg", 3) == 0 ? PLT_SVG : PLT_PNG, out, d);
  if (s == EM_OK && rename(tmp, out) != 0)
    s = em_diag_set(d, EM_ERR_IO, out, 0, 0, "gnuplot could not write the plot");
  if (s != EM_OK) remove(tmp);
  return s;
}

em_status plt_render(const char *base, const char *script, em_diag *d) {
  char path[4200];
  if (snprintf(path, sizeof path, "%s.png", base) >= (int)sizeof path) return bad_path(base, d);
  em_status s = render_one(path, "pngcairo size 960,600 font 'sans,10'", script, d);
  if (s != EM_OK) return s;
  snprintf(path, sizeof path, "%s.svg", base);
  return render_one(path, "svg size 960,600 dynamic font 'sans,10'", script, d);
}

int plt_is_svg(const char *path) {
  size_t n = strlen(path);
  if (n < 4) return 0;
  const char *e = path + n - 4;
  return e[0] == '.' && (e[1] | 0x20) == 's' && (e[2] | 0x20) == 'v' && (e[3] | 0x20) == 'g';
}

/* Renders the script in b (base.png and base.svg, or one PNG at `png` of
 * the given size) and frees it. */
static em_status finish(sbuf *b, const char *base, const char *png, const char *size,
                        em_diag *d) {
  em_status s;
  if (b->bad) {
    s = em_diag_set(d, EM_ERR_NOMEM, base ? base : png, 0, 0, "out of memory");
  } else if (base) {
    s = plt_render(base, b->p, d);
  } else {
    /* one file: SVG where its name ends in .svg (a PNG's bytes under that
     * name were a broken SVG), PNG otherwise */
    char term[80];
    snprintf(term, sizeof term, plt_is_svg(png) ? "svg size %s dynamic font 'sans,10'"
                                                : "pngcairo size %s font 'sans,10'",
             size ? size : "900,600");
    s = render_one(png, term, b->p, d);
  }
  free(b->p);
  return s;
}

/* ---- lines: plt_xy_png, plt_lines, plt_categories ---- */

typedef struct {
  const char *title, *xlabel, *ylabel, *y2label;
  const plt_series *s;
  size_t ns;
  const int *y2;     /* may be NULL */
  double hline;      /* > 0 with a log y: the centre of a ratio axis, drawn */
  double vline;      /* >= 0: a marker at this x */
  int logy;          /* 1: log y (and y2), 0: linear, -1: log where the values span a decade */
  const char *const *cats; /* categories along x (NULL: the series' x) */
  size_t ncats;
} lines_t;

static void lines_script(sbuf *b, const lines_t *L) {
  char t[512], l[256];
  axis_t ax, ay[2];
  ax_init(&ax);
  ax_init(&ay[0]);
  ax_init(&ay[1]);
  int use2 = 0;
  for (size_t i = 0; i < L->ns; i++) {
    int k = L->y2 && L->y2[i] ? 1 : 0;
    use2 |= k;
    size_t n = L->cats && L->s[i].n > L->ncats ? L->ncats : L->s[i].n;
    for (size_t j = 0; j < n; j++) {
      double x = L->cats ? (double)j : L->s[i].x[j];
      if (!isfinite(x) || !isfinite(L->s[i].y[j])) continue;
      ax_add(&ax, x);
      ax_add(&ay[k], L->s[i].y[j]);
    }
  }
  int logy[2];
  for (int k = 0; k < 2; k++) logy[k] = L->logy < 0 ? ax_decades(&ay[k]) : L->logy;
  int centred = logy[0] && L->hline > 0 && isfinite(L->hline);
  /* the data: each series' points that its axes can show */
  for (size_t i = 0; i < L->ns; i++) {
    int k = L->y2 && L->y2[i] ? 1 : 0;
    size_t n = L->cats && L->s[i].n > L->ncats ? L->ncats : L->s[i].n;
    sb_add(b, "$S%zu << EOD\n", i);
    for (size_t j = 0; j < n; j++) {
      double x = L->cats ? (double)j : L->s[i].x[j];
      if (isfinite(x) && shows(L->s[i].y[j], logy[k]))
        sb_add(b, NUM " " NUM "\n", x, L->s[i].y[j]);
    }
    sb_add(b, "EOD\n");
  }
  text(t, sizeof t, L->title);
  sb_add(b, "set title \"%s\"\n", t);
  text(l, sizeof l, L->xlabel);
  sb_add(b, "set xlabel \"%s\"\n", l);
  text(l, sizeof l, L->ylabel);
  sb_add(b, "set ylabel \"%s\"\nset grid\nset key below\n", l);
  if (L->cats) {
    sb_add(b, "set xrange [-0.5:" NUM "]\nset xtics (", (double)L->ncats - 0.5);
    for (size_t j = 0; j < L->ncats; j++) {
      text(l, sizeof l, L->cats[j]);
      sb_add(b, "%s\"%s\" %zu", j ? ", " : "", l, j);
    }
    sb_add(b, ")\n");
  } else {
    if (L->vline >= 0 && isfinite(L->vline)) ax_add(&ax, L->vline);
    ax_emit(b, "x", &ax, 0, 0.03);
  }
  if (centred) {
    ax_centred(b, "y", &ay[0], L->hline);
  } else {
    if (L->hline > 0 && isfinite(L->hline)) ax_add(&ay[0], L->hline);
    ax_emit(b, "y", &ay[0], logy[0], 0.05);
  }
  if (use2) {
    text(l, sizeof l, L->y2label);
    sb_add(b, "set y2label \"%s\"\nset y2tics\nset ytics nomirror\n", l);
    ax_emit(b, "y2", &ay[1], logy[1], 0.05);
  }
  if (L->vline >= 0 && isfinite(L->vline))
    sb_add(b, "set arrow from " NUM ", graph 0 to " NUM
              ", graph 1 nohead dt 3 lw 1.5 lc rgb \"#555555\"\n",
           L->vline, L->vline);
  sb_add(b, "plot ");
  for (size_t i = 0; i < L->ns; i++) {
    text(l, sizeof l, L->s[i].title);
    sb_add(b, "%s$S%zu using 1:2 %swith %s lc rgb \"%s\" title \"%s\"", i ? ", " : "", i,
           L->y2 && L->y2[i] ? "axes x1y2 " : "", L->s[i].style, colours[i % 8], l);
  }
  if (L->hline > 0 && isfinite(L->hline)) /* on top: a curve along it shows through the dashes */
    sb_add(b, "%s" NUM " with lines lc rgb \"black\" dt 2 lw 1.5 title \"%s\"", L->ns ? ", " : "",
           L->hline, L->hline == 1 ? "1x: break-even" : "break-even");
  if (L->vline >= 0 && isfinite(L->vline)) /* the arrow's key entry */
    sb_add(b, "%sNaN with lines lc rgb \"#555555\" dt 3 lw 1.5 title \"model's break-even: %.3g\"",
           L->ns || L->hline > 0 ? ", " : "", L->vline);
  else if (!L->ns && !(L->hline > 0)) {
    sb_add(b, "NaN notitle");
  }
  sb_add(b, "\n");
}

em_status plt_xy_png(const char *png, const plt_spec *sp, const plt_series *s, size_t ns,
                     em_diag *d) {
  char q[8500];
  if (strlen(png) > 4000 || quote_path(q, sizeof q, png) != 0) return bad_path(png, d);
  em_status st = check_styles(png, s, ns, d);
  if (st != EM_OK) return st;
  lines_t L = {sp->title, sp->xlabel, sp->ylabel, NULL, s, ns, NULL,
               isnan(sp->hline) ? -1 : sp->hline, isnan(sp->vline) ? -1 : sp->vline,
               sp->hline > 0 ? 1 : -1, NULL, 0};
  sbuf b = {0};
  lines_script(&b, &L);
  return finish(&b, NULL, png, "900,600", d);
}

em_status plt_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                    const char *y2label, const plt_series *s, size_t ns, const int *y2,
                    double hline, int logy, em_diag *d) {
  em_status st = check_styles(base, s, ns, d);
  if (st != EM_OK) return st;
  lines_t L = {title, xlabel, ylabel, y2label, s, ns, y2, logy ? hline : -1, -1, logy ? 1 : 0,
               NULL, 0};
  if (!logy && hline > 0) L.hline = hline; /* drawn, on a linear axis */
  sbuf b = {0};
  lines_script(&b, &L);
  return finish(&b, base, NULL, NULL, d);
}

em_status plt_categories(const char *base, const char *title, const char *xlabel,
                         const char *const *cats, size_t ncats, const char *ylabel,
                         const char *y2label, const plt_series *s, size_t ns, const int *y2,
                         em_diag *d) {
  em_status st = check_styles(base, s, ns, d);
  if (st != EM_OK) return st;
  lines_t L = {title, xlabel, ylabel, y2label, s, ns, y2, -1, -1, -1, cats, ncats};
  sbuf b = {0};
  lines_script(&b, &L);
  return finish(&b, base, NULL, NULL, d);
}

/* ---- bars ---- */

em_status plt_bars(const char *base, const plt_bars_spec *B, em_diag *d) {
  sbuf b = {0};
  char t[256], l[128];
  int logy = B->logy && !B->stacked;
  axis_t a;
  ax_init(&a);
  sb_add(&b, "$D << EOD\n");
  for (size_t r = 0; r < B->nrows; r++) {
    text(l, sizeof l, B->labels[r]);
    sb_add(&b, "\"%s\"", l);
    double sum = 0;
    for (size_t s = 0; s < B->nseries; s++) {
      double v = B->values[s * B->nrows + r];
      if (!isfinite(v) || v < 0) v = 0; /* no bar */
      sum += v;
      if (!B->stacked) ax_add(&a, v);
      sb_add(&b, " " NUM, v);
    }
    if (B->stacked) ax_add(&a, sum);
    sb_add(&b, "\n");
  }
  sb_add(&b, "EOD\n");
  if (B->yhi > B->ylo) { /* the range the caller shares between charts */
    ax_init(&a);
    ax_add(&a, B->ylo);
    ax_add(&a, B->yhi);
  }
  text(t, sizeof t, B->title);
  text(l, sizeof l, B->ylabel);
  sb_add(&b,
         "set title \"%s\"\nset ylabel \"%s\"\nset style data histograms\n"
         "set style histogram %s\nset style fill solid 0.85 border -1\n"
         "set boxwidth %s\nset xtics rotate by 45 right\nset key outside right top\n"
         "set grid ytics\n",
         t, l, B->stacked ? "rowstacked" : "clustered gap 1", B->stacked ? "0.75" : "0.9");
  if (logy) {
    ax_emit(&b, "y", &a, 1, 0.04);
  } else { /* bars stand on 0 */
    double hi = a.any && a.hi > 0 ? a.hi * 1.04 : 1;
    sb_add(&b, "set yrange [0:" NUM "]\n", hi);
  }
  sb_add(&b, "plot ");
  for (size_t s = 0; s < B->nseries; s++) {
    text(l, sizeof l, B->names[s]);
    sb_add(&b, "%s$D using %zu%s lc rgb \"%s\" title \"%s\"", s ? ", " : "", s + 2,
           s ? "" : ":xtic(1)", colours[s % 8], l);
  }
  if (!B->nseries) sb_add(&b, "NaN notitle");
  sb_add(&b, "\n");
  return finish(&b, base, NULL, NULL, d);
}

/* ---- points with a key ---- */

/* One plot element per point: point i of datablock $P, in its colour and
 * marker, with its key entry. */
static void key_points(sbuf *b, const char *const *labels, size_t n, const int *keep,
                       const unsigned *colour, const unsigned *marker, int first) {
  char l[128];
  for (size_t i = 0; i < n; i++) {
    if (!keep[i]) continue;
    text(l, sizeof l, labels[i]);
    sb_add(b, "%s$P every ::%zu::%zu using 1:2 with points pt %d ps 1.6 lc rgb \"%s\" title \"%s\"",
           first ? "" : ", ", i, i, markers[(marker ? marker[i] : i) % 6],
           colours[(colour ? colour[i] : i) % 8], l);
    first = 0;
  }
}

/* the points with sel[i] (and shown) as a data block, sorted by x */
static size_t front_block(sbuf *b, const char *name, const double *x, const double *y,
                          const int *sel, const int *keep, size_t n, size_t *idx) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (sel[i] && keep[i]) idx[m++] = i;
  for (size_t i = 1; i < m; i++)
    for (size_t j = i; j > 0 && x[idx[j]] < x[idx[j - 1]]; j--) {
      size_t tmp = idx[j];
      idx[j] = idx[j - 1];
      idx[j - 1] = tmp;
    }
  sb_add(b, "%s << EOD\n", name);
  for (size_t i = 0; i < m; i++) sb_add(b, NUM " " NUM "\n", x[idx[i]], y[idx[i]]);
  sb_add(b, "EOD\n");
  return m;
}

em_status plt_pareto(const char *base, const char *title, const char *xlabel,
                     const char *ylabel, const char *const *labels, const double *x,
                     const double *y, const double *yerr, const char *yerr_title,
                     const int *front, const int *front_noise, size_t n,
                     const unsigned *colour, const unsigned *marker, em_diag *d) {
  sbuf b = {0};
  char t[256], xl[128], yl[128], et[128];
  axis_t ax, ay;
  ax_init(&ax);
  ax_init(&ay);
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) {
      ax_add(&ax, x[i]);
      ax_add(&ay, y[i]);
      if (yerr && isfinite(yerr[i]) && yerr[i] > 0) { /* the bar's ends, where the axis shows them */
        if (y[i] - yerr[i] > 0) ax_add(&ay, y[i] - yerr[i]);
        ax_add(&ay, y[i] + yerr[i]);
      }
    }
  int lx = ax_decades(&ax), ly = ax_decades(&ay);
  size_t *idx = malloc((n ? n : 1) * sizeof *idx);
  int *keep = calloc(n ? n : 1, sizeof *keep);
  if (!idx || !keep) {
    free(idx);
    free(keep);
    return em_diag_set(d, EM_ERR_NOMEM, base, 0, 0, "out of memory");
  }
  /* every point keeps its line (so that `every` finds it); one the axes
   * cannot show is NaN and has no element */
  sb_add(&b, "$P << EOD\n");
  for (size_t i = 0; i < n; i++) {
    keep[i] = shows(x[i], lx) && shows(y[i], ly);
    double e = yerr && isfinite(yerr[i]) && yerr[i] > 0 ? yerr[i] : 0;
    if (keep[i]) sb_add(&b, NUM " " NUM " " NUM "\n", x[i], y[i], e);
    else sb_add(&b, "NaN NaN NaN\n");
  }
  sb_add(&b, "EOD\n");
  size_t m = front_block(&b, "$F", x, y, front, keep, n, idx), mn = 0;
  /* the front within test noise, drawn apart only where it differs */
  int same = 1;
  for (size_t i = 0; front_noise && i < n; i++)
    if (keep[i] && !front[i] != !front_noise[i]) same = 0;
  if (!same) mn = front_block(&b, "$N", x, y, front_noise, keep, n, idx);
  free(idx);
  text(t, sizeof t, title);
  text(xl, sizeof xl, xlabel);
  text(yl, sizeof yl, ylabel);
  sb_add(&b, "set title \"%s\"\nset xlabel \"%s\"\nset ylabel \"%s\"\nset grid\n"
             "set key outside right top\n", t, xl, yl);
  ax_emit(&b, "x", &ax, lx, 0.06);
  ax_emit(&b, "y", &ay, ly, 0.06);
  sb_add(&b, "plot ");
  if (m)
    sb_add(&b, "$F using 1:2 with linespoints lw 1.5 pt 6 ps 2.8 lc rgb \"#888888\" "
               "title \"%s\"", front_noise && same ? "Pareto front (also within test noise)"
                                                      : "Pareto front");
  if (mn)
    sb_add(&b, "%s$N using 1:2 with linespoints lw 1.5 dt 2 pt 4 ps 3.4 lc rgb \"#444444\" "
               "title \"front within test noise\"", m ? ", " : "");
  if (yerr) {
    text(et, sizeof et, yerr_title ? yerr_title : "");
    sb_add(&b, "%s$P using 1:2:3 with yerrorbars pt 0 lw 1 lc rgb \"#aaaaaa\" title \"%s\"",
           m + mn ? ", " : "", et);
  }
  key_points(&b, labels, n, keep, colour, marker, m + mn == 0 && !yerr);
  if (m + mn == 0 && !yerr) {
    size_t k = 0;
    while (k < n && !keep[k]) k++;
    if (k == n) sb_add(&b, "NaN notitle");
  }
  sb_add(&b, "\n");
  free(keep);
  return finish(&b, base, NULL, NULL, d);
}

/* A figure for a title, to 4 significant digits without an exponent where
 * it fits in 15 digits: Volta's peak is "10240 flops/cycle", not
 * "1.024e+04" (gnuplot prints the title as it is given). */
static void title_num(char *buf, size_t size, double v) {
  if (fabs(v) >= 1e4 && fabs(v) < 1e15) snprintf(buf, size, "%.0f", v);
  else snprintf(buf, size, "%.4g", v);
}

em_status plt_roofline(const char *base, const char *title, double peak, double bw,
                       const char *const *labels, const double *ai, const double *perf,
                       size_t n, em_diag *d) {
  sbuf b = {0};
  char t[256];
  axis_t ax, ay;
  ax_init(&ax);
  ax_init(&ay);
  int *keep = malloc((n ? n : 1) * sizeof *keep);
  if (!keep) return em_diag_set(d, EM_ERR_NOMEM, base, 0, 0, "out of memory");
  sb_add(&b, "$P << EOD\n");
  for (size_t i = 0; i < n; i++) {
    keep[i] = shows(ai[i], 1) && shows(perf[i], 1);
    if (keep[i]) {
      ax_add(&ax, ai[i]);
      ax_add(&ay, perf[i]);
      sb_add(&b, NUM " " NUM "\n", ai[i], perf[i]);
    } else {
      sb_add(&b, "NaN NaN\n");
    }
  }
  sb_add(&b, "EOD\n");
  int roof = shows(peak, 1) && shows(bw, 1);
  if (roof) { /* the ridge and the peak are on the plot */
    ax_add(&ax, peak / bw);
    ax_add(&ay, peak);
  }
  text(t, sizeof t, title);
  char pk[32], bwt[32];
  title_num(pk, sizeof pk, peak);
  title_num(bwt, sizeof bwt, bw);
  sb_add(&b,
         "set title \"%s (peak %s flops/cycle, DRAM %s B/cycle)\"\n"
         "set xlabel \"arithmetic intensity (flops per DRAM byte)\"\n"
         "set ylabel \"flops per cycle\"\nset grid\nset key outside right top\nset samples 1000\n",
         t, pk, bwt);
  ax_emit(&b, "x", &ax, 1, 0.06);
  ax_emit(&b, "y", &ay, 1, 0.06);
  sb_add(&b, "plot ");
  if (roof)
    sb_add(&b, "((x * " NUM " < " NUM ") ? x * " NUM " : " NUM ") with lines lw 2 "
               "lc rgb \"#444444\" title \"roofline\"",
           bw, peak, bw, peak);
  key_points(&b, labels, n, keep, NULL, NULL, !roof);
  if (!roof) {
    size_t k = 0;
    while (k < n && !keep[k]) k++;
    if (k == n) sb_add(&b, "NaN notitle");
  }
  sb_add(&b, "\n");
  free(keep);
  return finish(&b, base, NULL, NULL, d);
}

/* ---- heat map ---- */

/* Tick labels for n categories along ax, every step-th one so that at most
 * `most` are written (names are short: array sizes). */
static void cat_tics(sbuf *b, const char *ax, const char *const *cats, size_t n, size_t most) {
  char l[24];
  size_t step = (n + most - 1) / most;
  if (step < 1) step = 1;
  sb_add(b, "set %stics (", ax);
  for (size_t j = 0; j < n; j += step) {
    text(l, sizeof l, cats[j]);
    sb_add(b, "%s\"%s\" %zu", j ? ", " : "", l, j);
  }
  sb_add(b, ") scale 0\n");
}

em_status plt_heatmap_png(const char *png, const plt_grid *g, em_diag *d) {
  char q[8500], t[512], l[256];
  if (strlen(png) > 4000 || quote_path(q, sizeof q, png) != 0) return bad_path(png, d);
  size_t nx = g->nx, ny = g->ny;
  if (!nx || !ny || nx > 4096 || ny > 4096) /* 2^24 cells at most: a sweep has 2^20 points */
    return em_diag_set(d, EM_ERR_INVALID, png, 0, 0, "a heat map of %zu x %zu cells", nx, ny);
  axis_t a;
  ax_init(&a);
  size_t best = (size_t)-1;
  for (size_t i = 0; i < nx * ny; i++)
    if (shows(g->v[i], 1)) {
      ax_add(&a, g->v[i]);
      if (best == (size_t)-1 || g->v[i] < g->v[best]) best = i;
    }
  int log = ax_decades(&a);
  int labels = nx <= 12 && ny <= 16;
  sbuf b = {0};
  /* cells with a value, cells without, and each cell's text */
  sb_add(&b, "$H << EOD\n");
  for (size_t i = 0; i < nx * ny; i++)
    if (shows(g->v[i], 1)) sb_add(&b, "%zu %zu " NUM "\n", i % nx, i / nx, g->v[i]);
  sb_add(&b, "EOD\n$N << EOD\n");
  for (size_t i = 0; i < nx * ny; i++)
    if (!shows(g->v[i], 1)) sb_add(&b, "%zu %zu\n", i % nx, i / nx);
  sb_add(&b, "EOD\n$L << EOD\n");
  for (size_t i = 0; labels && i < nx * ny; i++) {
    if (!shows(g->v[i], 1)) {
      sb_add(&b, "%zu %zu \"n/a\"\n", i % nx, i / nx);
    } else if (i == best) {
      sb_add(&b, "%zu %zu \"best\"\n", i % nx, i / nx);
    } else {
      double r = g->v[i] / g->v[best];
      sb_add(&b, r < 10 ? "%zu %zu \"%.2fx\"\n" : r < 100 ? "%zu %zu \"%.1fx\"\n"
                                                          : "%zu %zu \"%.3gx\"\n",
             i % nx, i / nx, r);
    }
  }
  sb_add(&b, "EOD\n");
  text(t, sizeof t, g->title);
  sb_add(&b, "set title \"%s\"\n", t);
  text(l, sizeof l, g->xlabel);
  sb_add(&b, "set xlabel \"%s\"\n", l);
  text(l, sizeof l, g->ylabel);
  sb_add(&b, "set ylabel \"%s\"\n", l);
  text(l, sizeof l, g->cblabel);
  sb_add(&b,
         "set cblabel \"%s\" offset 1,0\nset rmargin 16\nunset key\n"
         "set xrange [-0.5:" NUM "]\nset yrange [-0.5:" NUM "]\n"
         "set palette defined (0 \"#4575b4\", 0.5 \"#ffffbf\", 1 \"#d73027\")\n"
         "set style fill solid 1.0 noborder\n",
         l, (double)nx - 0.5, (double)ny - 0.5);
  cat_tics(&b, "x", g->xcats, nx, 20);
  cat_tics(&b, "y", g->ycats, ny, 30);
  if (a.pos) {
    double lo = a.plo, hi = a.phi;
    if (!(hi > lo)) lo /= 1.5, hi *= 1.5; /* one value: a range about it */
    if (log) {
      sb_add(&b, "set logscale cb\n");
      log_tics(&b, "cb", lo, hi, "%g");
    }
    sb_add(&b, "set cbrange [" NUM ":" NUM "]\n", lo, hi);
    sb_add(&b, "set object 1 rectangle from " NUM "," NUM " to " NUM "," NUM
               " front fillstyle empty border lc rgb \"black\" lw 3\n",
           (double)(best % nx) - 0.5, (double)(best / nx) - 0.5, (double)(best % nx) + 0.5,
           (double)(best / nx) + 0.5);
  }
  sb_add(&b, "plot $H using 1:2:(0.5):(0.5):3 with boxxyerror fillcolor palette, "
             "$N using 1:2:(0.5):(0.5) with boxxyerror fillcolor rgb \"#dddddd\"");
  if (labels) sb_add(&b, ", $L using 1:2:3 with labels font \",9\"");
  sb_add(&b, "\n");
  return finish(&b, NULL, png, "900,700", d);
}
