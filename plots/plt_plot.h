/*
 * plt_plot.h - x/y line plots drawn by gnuplot into PNG files.
 *
 * The script is fed to `gnuplot` through a pipe; the PNG is written to a
 * temporary name and renamed, so a failed plot leaves no file.  gnuplot must
 * be on PATH (Debian gnuplot-nox, which `make run` installs).
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
