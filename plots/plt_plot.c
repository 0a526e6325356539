/* plt_plot.c - gnuplot line plots (plt_plot.h). */
#define _POSIX_C_SOURCE 200809L
#include "plt_plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text inside a gnuplot single-quoted string: quotes are refused. */
static int bad(const char *s) { return s && strchr(s, '\''); }

em_status plt_xy_png(const char *png, const plt_spec *sp, const plt_series *s, size_t ns,
                     em_diag *d) {
  if (bad(png) || bad(sp->title) || bad(sp->xlabel) || bad(sp->ylabel))
    return em_diag_set(d, EM_ERR_INVALID, png, 0, 0, "plot texts must not contain a quote");
  for (size_t i = 0; i < ns; i++)
    if (bad(s[i].title) || bad(s[i].style))
      return em_diag_set(d, EM_ERR_INVALID, png, 0, 0, "plot texts must not contain a quote");
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp.png", png);
  FILE *g = popen("gnuplot 2>&1", "w");
  if (!g) return em_diag_set(d, EM_ERR_IO, png, 0, 0, "cannot run gnuplot");
  fprintf(g,
          "set terminal pngcairo size 900,600\nset output '%s'\nset termoption noenhanced\n"
          "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\nset grid\nset key top left\n",
          tmp, sp->title, sp->xlabel, sp->ylabel);
  if (sp->vline >= 0)
    fprintf(g, "set arrow from %.17g, graph 0 to %.17g, graph 1 nohead dt 3\n", sp->vline,
            sp->vline);
  fprintf(g, "plot ");
  for (size_t i = 0; i < ns; i++)
    fprintf(g, "%s'-' using 1:2 with %s title '%s'", i ? ", " : "", s[i].style, s[i].title);
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

/* Labels go inside double-quoted gnuplot strings: keep them plain. */
static void clean(char *dst, size_t size, const char *s) {
  size_t j = 0;
  for (size_t i = 0; s[i] && j + 1 < size; i++) {
    char c = s[i];
    dst[j++] = (c == '"' || c == '\'' || c == '\\' || c == '\n' || c == '@' || c == '&') ? '_' : c;
  }
  dst[j] = '\0';
}

static em_status render_one(const char *out, const char *term, const char *script, em_diag *d) {
  char tmp[4400];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  if (bad(out)) return em_diag_set(d, EM_ERR_INVALID, out, 0, 0, "plot path contains a quote");
  FILE *g = popen("gnuplot 2>&1", "w");
  if (!g) return em_diag_set(d, EM_ERR_IO, out, 0, 0, "cannot run gnuplot");
  fprintf(g, "set terminal %s\nset output '%s'\nset termoption noenhanced\n%s\nset output\n", term,
          tmp, script);
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
  clean(t, sizeof t, title);
  sb_add(&b, "$D << EOD\n");
  for (size_t r = 0; r < nrows; r++) {
    clean(l, sizeof l, labels[r]);
    sb_add(&b, "\"%s\"", l);
    for (size_t s = 0; s < nseries; s++) sb_add(&b, " %.9g", values[s * nrows + r]);
    sb_add(&b, "\n");
  }
  sb_add(&b, "EOD\n");
  clean(l, sizeof l, ylabel);
  sb_add(&b,
         "set title \"%s\"\nset ylabel \"%s\"\nset style data histograms\n"
         "set style histogram rowstacked\nset style fill solid 0.85 border -1\n"
         "set boxwidth 0.75\nset xtics rotate by -45\nset key outside right\nset grid ytics\n"
         "set yrange [0:*]\nplot ",
         t, l);
  for (size_t s = 0; s < nseries; s++) {
    clean(l, sizeof l, names[s]);
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
  clean(t, sizeof t, title);
  clean(xl, sizeof xl, xlabel);
  clean(yl, sizeof yl, ylabel);
  sb_add(&b, "$P << EOD\n");
  for (size_t i = 0; i < n; i++) {
    clean(l, sizeof l, labels[i]);
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
  clean(t, sizeof t, title);
  sb_add(&b, "$P << EOD\n");
  double lo = 1e300, hi = 0;
  for (size_t i = 0; i < n; i++) {
    clean(l, sizeof l, labels[i]);
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
  sbuf b = {0};
  char t[256], xl[128], yl[128], l[128];
  clean(t, sizeof t, title);
  clean(xl, sizeof xl, xlabel);
  clean(yl, sizeof yl, ylabel);
  for (size_t i = 0; i < ns; i++) {
    sb_add(&b, "$S%zu << EOD\n", i);
    for (size_t j = 0; j < s[i].n; j++) sb_add(&b, "%.9g %.9g\n", s[i].x[j], s[i].y[j]);
    sb_add(&b, "EOD\n");
  }
  sb_add(&b, "set title \"%s\"\nset xlabel \"%s\"\nset ylabel \"%s\"\nset grid\nset key top left\n%s",
         t, xl, yl, logy ? "set logscale y\n" : "");
  if (y2label) {
    clean(l, sizeof l, y2label);
    sb_add(&b, "set y2label \"%s\"\nset y2tics\nset ytics nomirror\n%s", l,
           logy ? "set logscale y2\n" : "");
  }
  sb_add(&b, "plot ");
  for (size_t i = 0; i < ns; i++) {
    clean(l, sizeof l, s[i].title);
    sb_add(&b, "%s$S%zu using 1:2 %swith %s title \"%s\"", i ? ", " : "", i,
           y2 && y2[i] ? "axes x1y2 " : "", s[i].style, l);
  }
  if (hline >= 0) sb_add(&b, ", %.9g with lines lc rgb \"gray\" dt 2 title \"break-even\"", hline);
  sb_add(&b, "\n");
  return finish_script(base, &b, d);
}
