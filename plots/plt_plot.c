/*
 * plt_plot.c - gnuplot line plots (plt_plot.h).
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
 */
#define _POSIX_C_SOURCE 200809L
#include "plt_plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A `with` style: our own literals, "linespoints lw 2 pt 7". */
static int style_ok(const char *s) {
  return s && s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789 .") == strlen(s);
}

em_status plt_xy_png(const char *png, const plt_spec *sp, const plt_series *s, size_t ns,
                     em_diag *d) {
  char tmp[4200], out[8500];
  if (snprintf(tmp, sizeof tmp, "%s.tmp.png", png) >= (int)sizeof tmp ||
      quote_path(out, sizeof out, tmp) != 0)
    return bad_path(png, d);
  for (size_t i = 0; i < ns; i++)
    if (!style_ok(s[i].style))
      return em_diag_set(d, EM_ERR_INVALID, png, 0, 0, "bad plot style '%s'",
                         s[i].style ? s[i].style : "");
  char t[512], xl[256], yl[256], l[256];
  text(t, sizeof t, sp->title);
  text(xl, sizeof xl, sp->xlabel);
  text(yl, sizeof yl, sp->ylabel);
  /* gnuplot's own warnings are not ours to print; a failure is its exit status */
  FILE *g = popen("gnuplot >/dev/null 2>&1", "w");
  if (!g) return em_diag_set(d, EM_ERR_IO, png, 0, 0, "cannot run gnuplot");
  fprintf(g,
          "set terminal pngcairo size 900,600\nset output '%s'\nset termoption noenhanced\n"
          "set title \"%s\"\nset xlabel \"%s\"\nset ylabel \"%s\"\nset grid\n"
          "set key top left\n",
          out, t, xl, yl);
  if (sp->vline >= 0)
    fprintf(g, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 3\n", sp->vline,
            sp->vline);
  fprintf(g, "plot ");
  for (size_t i = 0; i < ns; i++) {
    text(l, sizeof l, s[i].title);
    fprintf(g, "%s'-' using 1:2 with %s title \"%s\"", i ? ", " : "", s[i].style, l);
  }
  if (!isnan(sp->hline) && sp->hline >= 0)
    fprintf(g, ", %.17g with lines lc rgb 'gray' title 'break-even'", sp->hline);
  fprintf(g, "\n");
  for (size_t i = 0; i < ns; i++) {
    for (size_t j = 0; j < s[i].n; j++) fprintf(g, "%.17g %.17g\n", s[i].x[j], s[i].y[j]);
    fprintf(g, "e\n");
  }
  if (pclose(g) != 0 || rename(tmp, png) != 0) {
    remove(tmp);
    return em_diag_set(d, EM_ERR_IO, png, 0, 0, "gnuplot could not write the plot");
  }
  return EM_OK;
}

/* ---- study plots ---- */

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

static em_status render_one(const char *out, const char *term, const char *script, em_diag *d) {
  char tmp[4400], q[8900];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", out) >= (int)sizeof tmp ||
      quote_path(q, sizeof q, tmp) != 0)
    return bad_path(out, d);
  /* gnuplot's own warnings are not ours to print; a failure is its exit status */
  FILE *g = popen("gnuplot >/dev/null 2>&1", "w");
  if (!g) return em_diag_set(d, EM_ERR_IO, out, 0, 0, "cannot run gnuplot");
  fprintf(g, "set terminal %s\nset output '%s'\nset termoption noenhanced\n%s\nset output\n", term,
          q, script);
  if (pclose(g) != 0 || rename(tmp, out) != 0) {
    remove(tmp);
    return em_diag_set(d, EM_ERR_IO, out, 0, 0, "gnuplot could not write the plot");
  }
  return EM_OK;
}

em_status plt_render(const char *base, const char *script, em_diag *d) {
  char path[4200];
  snprintf(path, sizeof path, "%s.png", base);
  em_status s = render_one(path, "pngcairo size 960,600 font 'sans,10'", script, d);
  if (s != EM_OK) return s;
  snprintf(path, sizeof path, "%s.svg", base);
  return render_one(path, "svg size 960,600 dynamic font 'sans,10'", script, d);
}

static em_status finish_script(const char *base, sbuf *b, em_diag *d) {
  if (b->bad) {
    free(b->p);
    return em_diag_set(d, EM_ERR_NOMEM, base, 0, 0, "out of memory");
  }
  em_status s = plt_render(base, b->p, d);
  free(b->p);
  return s;
}

em_status plt_stacked_bars(const char *base, const char *title, const char *ylabel,
                           const char *const *labels, size_t nrows,
                           const char *const *names, size_t nseries, const double *values,
                           em_diag *d) {
  sbuf b = {0};
  char t[256], l[128];
  text(t, sizeof t, title);
  sb_add(&b, "$D << EOD\n");
  for (size_t r = 0; r < nrows; r++) {
    text(l, sizeof l, labels[r]);
    sb_add(&b, "\"%s\"", l);
    for (size_t s = 0; s < nseries; s++) sb_add(&b, " %.9g", values[s * nrows + r]);
    sb_add(&b, "\n");
  }
  sb_add(&b, "EOD\n");
  text(l, sizeof l, ylabel);
  sb_add(&b,
         "set title \"%s\"\nset ylabel \"%s\"\nset style data histograms\n"
         "set style histogram rowstacked\nset style fill solid 0.85 border -1\n"
         "set boxwidth 0.75\nset xtics rotate by -45\nset key outside right\nset grid ytics\n"
         "set yrange [0:*]\nplot ",
         t, l);
  for (size_t s = 0; s < nseries; s++) {
    text(l, sizeof l, names[s]);
    sb_add(&b, "%s$D using %zu%s title \"%s\"", s ? ", " : "", s + 2, s ? "" : ":xtic(1)", l);
  }
  sb_add(&b, "\n");
  return finish_script(base, &b, d);
}

em_status plt_pareto(const char *base, const char *title, const char *xlabel,
                     const char *ylabel, const char *const *labels, const double *x,
                     const double *y, const int *front, size_t n, int logscale, em_diag *d) {
  sbuf b = {0};
  char t[256], xl[128], yl[128], l[128];
  text(t, sizeof t, title);
  text(xl, sizeof xl, xlabel);
  text(yl, sizeof yl, ylabel);
  sb_add(&b, "$P << EOD\n");
  for (size_t i = 0; i < n; i++) {
    text(l, sizeof l, labels[i]);
    sb_add(&b, "%.9g %.9g \"%s\"\n", x[i], y[i], l);
  }
  sb_add(&b, "EOD\n$F << EOD\n");
  /* the front, sorted by x */
  size_t *idx = malloc((n ? n : 1) * sizeof *idx), m = 0;
  if (!idx) b.bad = 1;
  for (size_t i = 0; idx && i < n; i++)
    if (front[i]) idx[m++] = i;
  for (size_t i = 1; idx && i < m; i++)
    for (size_t j = i; j > 0 && x[idx[j]] < x[idx[j - 1]]; j--) {
      size_t tmp = idx[j];
      idx[j] = idx[j - 1];
      idx[j - 1] = tmp;
    }
  for (size_t i = 0; idx && i < m; i++) sb_add(&b, "%.9g %.9g\n", x[idx[i]], y[idx[i]]);
  free(idx);
  sb_add(&b, "EOD\n");
  sb_add(&b,
         "set title \"%s\"\nset xlabel \"%s\"\nset ylabel \"%s\"\nset grid\n%s"
         "set key top right\nset offsets graph 0.05, graph 0.15, graph 0.1, graph 0.1\n"
         "plot $P using 1:2 with points pt 7 ps 1.3 title \"design points\", "
         "$P using 1:2:3 with labels offset 0,0.9 font \",8\" notitle, "
         "$F using 1:2 with linespoints lw 2 pt 6 ps 2 title \"Pareto front\"\n",
         t, xl, yl, logscale == 2 ? "set logscale x\n" : logscale ? "set logscale xy\n" : "");
  return finish_script(base, &b, d);
}

em_status plt_roofline(const char *base, const char *title, double peak, double bw,
                       const char *const *labels, const double *ai, const double *perf,
                       size_t n, em_diag *d) {
  sbuf b = {0};
  char t[256], l[128];
  text(t, sizeof t, title);
  sb_add(&b, "$P << EOD\n");
  double lo = 1e300, hi = 0;
  for (size_t i = 0; i < n; i++) {
    text(l, sizeof l, labels[i]);
    sb_add(&b, "%.9g %.9g \"%s\"\n", ai[i], perf[i], l);
    if (ai[i] > 0 && ai[i] < lo) lo = ai[i];
    if (ai[i] > hi) hi = ai[i];
  }
  sb_add(&b, "EOD\n");
  if (!(lo < hi)) {
    lo = 0.01;
    hi = 1000;
  }
  double ridge = peak / bw;
  if (ridge < lo) lo = ridge;
  if (ridge > hi) hi = ridge;
  sb_add(&b,
         "set title \"%s\"\nset xlabel \"arithmetic intensity (flops per DRAM byte)\"\n"
         "set ylabel \"flops per cycle\"\nset logscale xy\nset grid\nset key bottom right\n"
         "set xrange [%.9g:%.9g]\nset samples 400\n"
         "roof(x) = (x * %.9g < %.9g) ? x * %.9g : %.9g\n"
         "plot roof(x) with lines lw 2 title \"roofline (peak %.4g flops/cycle, %.4g B/cycle)\", "
         "$P using 1:2 with points pt 7 ps 1.3 title \"layers\", "
         "$P using 1:2:3 with labels offset 0,0.9 font \",8\" notitle\n",
         t, lo / 2, hi * 2, bw, peak, bw, peak, peak, bw);
  return finish_script(base, &b, d);
}

em_status plt_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                    const char *y2label, const plt_series *s, size_t ns, const int *y2,
                    double hline, int logy, em_diag *d) {
  for (size_t i = 0; i < ns; i++)
    if (!style_ok(s[i].style))
      return em_diag_set(d, EM_ERR_INVALID, base, 0, 0, "bad plot style '%s'",
                         s[i].style ? s[i].style : "");
  sbuf b = {0};
  char t[256], xl[128], yl[128], l[128];
  text(t, sizeof t, title);
  text(xl, sizeof xl, xlabel);
  text(yl, sizeof yl, ylabel);
  for (size_t i = 0; i < ns; i++) {
    sb_add(&b, "$S%zu << EOD\n", i);
    for (size_t j = 0; j < s[i].n; j++) sb_add(&b, "%.9g %.9g\n", s[i].x[j], s[i].y[j]);
    sb_add(&b, "EOD\n");
  }
  sb_add(&b, "set title \"%s\"\nset xlabel \"%s\"\nset ylabel \"%s\"\nset grid\nset key top left\n%s",
         t, xl, yl, logy ? "set logscale y\n" : "");
  if (y2label) {
    text(l, sizeof l, y2label);
    sb_add(&b, "set y2label \"%s\"\nset y2tics\nset ytics nomirror\n%s", l,
           logy ? "set logscale y2\n" : "");
  }
  sb_add(&b, "plot ");
  for (size_t i = 0; i < ns; i++) {
    text(l, sizeof l, s[i].title);
    sb_add(&b, "%s$S%zu using 1:2 %swith %s title \"%s\"", i ? ", " : "", i,
           y2 && y2[i] ? "axes x1y2 " : "", s[i].style, l);
  }
  if (hline >= 0) sb_add(&b, ", %.9g with lines lc rgb \"gray\" dt 2 title \"break-even\"", hline);
  sb_add(&b, "\n");
  return finish_script(base, &b, d);
}
