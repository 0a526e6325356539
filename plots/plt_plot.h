/*
 * plt_plot.h - x/y line plots drawn by gnuplot into PNG files.
 *
 * The script is fed to `gnuplot` through a pipe; the PNG is written to a
 * temporary name and renamed, so a failed plot leaves no file.  gnuplot must
 * be on PATH (Debian gnuplot-nox, which `make run` installs).
 *
 * Titles, labels and legend entries may come from input files (network and
 * layer names): they reach gnuplot only as plain text, every character
 * outside printable ASCII or among " ' \ ` @ $ { } ; replaced by '_'.  An
 * output path with a control character is refused (EM_ERR_INVALID).
 */
#ifndef PLT_PLOT_H
#define PLT_PLOT_H

#include <stddef.h>

#include "em_diag.h"

typedef struct {
  const char *title;   /* legend entry */
  const double *x, *y;
  size_t n;
  const char *style;   /* gnuplot `with` style: "linespoints lw 2" */
} plt_series;

typedef struct {
  const char *title, *xlabel, *ylabel;
  double hline;        /* a horizontal reference line at this y (NAN or < 0: none) */
  double vline;        /* a vertical marker at this x (< 0: none) */
} plt_spec;

em_status plt_xy_png(const char *png, const plt_spec *spec, const plt_series *s, size_t ns,
                     em_diag *d);

#endif

/* ---- study plots: each written as base.png and base.svg ---- */

/* Runs one gnuplot script twice, into base.png (pngcairo) and base.svg
 * (svg), both written to temporary names and renamed.  `script` sets
 * everything but the terminal and output; it may define datablocks. */
em_status plt_render(const char *base, const char *script, em_diag *d);

/* Stacked bars: one bar per row (labels), one stacked segment per series
 * (names), values[s * nrows + r] >= 0. */
em_status plt_stacked_bars(const char *base, const char *title, const char *ylabel,
                           const char *const *labels, size_t nrows,
                           const char *const *names, size_t nseries, const double *values,
                           em_diag *d);

/* Labeled points (x, y) with the Pareto front (minimum x and y) joined and
 * marked; logscale 1: log-log axes, 2: log x only, 0: linear. */
em_status plt_pareto(const char *base, const char *title, const char *xlabel,
                     const char *ylabel, const char *const *labels, const double *x,
                     const double *y, const int *front, size_t n, int logscale, em_diag *d);

/* Roofline: min(peak, ai x bw) with the points (ai[i], perf[i]) labeled. */
em_status plt_roofline(const char *base, const char *title, double peak, double bw,
                       const char *const *labels, const double *ai, const double *perf,
                       size_t n, em_diag *d);

/* Several series sharing x (curves of the same sweep), with an optional
 * horizontal reference line at `hline` (< 0: none) and log y when logy;
 * series on the second y axis when y2[s] (may be NULL). */
em_status plt_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                    const char *y2label, const plt_series *s, size_t ns, const int *y2,
                    double hline, int logy, em_diag *d);
