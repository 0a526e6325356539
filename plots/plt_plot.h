/*
 * plt_plot.h - the plots, drawn by gnuplot into PNG (and SVG) files.
 *
 * The script is fed to `gnuplot` through a pipe; each file is written to a
 * temporary name and renamed, so a failed plot leaves no file.  gnuplot must
 * be on PATH (Debian gnuplot-nox, which `make run` installs).
 *
 * Titles, labels and legend entries may come from input files (network and
 * layer names): they reach gnuplot only as plain text, every character
 * outside printable ASCII or among " ' \ ` @ $ { } ; replaced by '_'.  An
 * output path with a control character is refused (EM_ERR_INVALID).
 *
 * What every plot does, so that a reader can read it:
 *   - no text is placed beside a data point: points are told apart by a key
 *     (a colour and a marker each), so no two labels can overprint;
 *   - every axis range is fitted to the data it shows (a few per cent of
 *     margin), never widened to whole decades;
 *   - an axis is logarithmic where its values span a decade or more (all
 *     positive), with ticks at 1, 2 and 5 times the powers of ten while it
 *     spans less than three decades;
 *   - a ratio (speedup over dense) is drawn on a log axis centred on 1x,
 *     with the 1x line drawn, so that 0.5x and 2x are as far from it;
 *   - a quantity without a scale (bit widths) is a category, not a number.
 * Values that an axis cannot show (NaN, infinities, zero or less on a log
 * axis) are left out of the plot, never drawn at a made-up place.
 */
#ifndef PLT_PLOT_H
#define PLT_PLOT_H

#include <stddef.h>

#include "em_diag.h"

typedef struct {
  const char *title;   /* legend entry */
  const double *x, *y; /* n points; x is ignored by plt_categories */
  size_t n;
  const char *style;   /* gnuplot `with` style: "linespoints lw 2" (our literals only) */
} plt_series;

typedef struct {
  const char *title, *xlabel, *ylabel;
  double hline;        /* > 0: the y of a ratio's reference (1: break-even); y is then
                          logarithmic, centred on it, and the line is drawn (NaN, <= 0: none) */
  double vline;        /* a vertical marker at this x (NaN, < 0: none) */
} plt_spec;

/* Path as the body of a single-quoted gnuplot string (quotes doubled) in
 * dst (size bytes), for a script of the caller's own that writes it: a
 * control character (a newline would end the `set output` command and run
 * the rest, backquotes and all) or a path that does not fit is refused
 * (EM_ERR_INVALID, naming path). */
em_status plt_quote_path(char *dst, size_t size, const char *path, em_diag *d);

/* The formats gnuplot writes for emlsim: its pngcairo and svg terminals
 * (and pdfcairo, which none uses yet). */
typedef enum { PLT_PNG, PLT_SVG, PLT_PDF } plt_format;

/* After gnuplot has exited 0: EM_OK where `file` (the temporary it wrote)
 * is whole for fmt, its last bytes the format's end - a PNG's IEND chunk
 * (00 00 00 00 'IEND' AE 42 60 82), an SVG's "</svg>", a PDF's "%%EOF",
 * the last two followed only by white space.  gnuplot exits 0 when a full
 * disk cuts its output short (cairo's and stdio's write errors are not its
 * exit status), and that file, renamed into place, was a truncated plot.
 * Errors (EM_ERR_IO, naming `shown`, the path the user gave): file absent or
 * unreadable ("gnuplot could not write the plot"), or empty or cut short
 * ("gnuplot's plot is incomplete (N bytes; no PNG end chunk): is the disk
 * full?").  The caller removes file on an error.  Every place gnuplot
 * writes a file calls this between gnuplot's exit and the rename. */
em_status plt_check_complete(const char *file, plt_format fmt, const char *shown, em_diag *d);

/* 1 where path's name ends in ".svg" (any case): the single-file plots
 * below (plt_xy_png, plt_heatmap_png) are then written as SVG (gnuplot's
 * svg terminal), and as PNG otherwise. */
int plt_is_svg(const char *path);

/* Series against a shared x into one PNG at `png` (900 x 600), which the
 * caller may then rename (em_outfile_open_tmp).  Without hline, y is
 * logarithmic where the values span a decade.  Errors: EM_ERR_INVALID (a bad
 * path or style), EM_ERR_IO (gnuplot missing or failing; no file left). */
em_status plt_xy_png(const char *png, const plt_spec *spec, const plt_series *s, size_t ns,
                     em_diag *d);

/* A grid of costs (lower is better), one coloured cell per (x, y) category:
 * v[iy * nx + ix], NaN or <= 0 where there is none (a grey cell, "n/a").
 * The colour scale is logarithmic where the values span a decade; the
 * lowest cell is framed, and while the grid is at most 12 x 16 each cell
 * reads its ratio to the lowest ("best", "1.3x").  Category names are
 * ticks (thinned so that they cannot overprint).  One PNG (900 x 700) at
 * `png`, as plt_xy_png. */
typedef struct {
  const char *title, *xlabel, *ylabel, *cblabel;
  const char *const *xcats; /* nx column names, left to right */
  size_t nx;
  const char *const *ycats; /* ny row names, bottom to top */
  size_t ny;
  const double *v;
} plt_grid;
em_status plt_heatmap_png(const char *png, const plt_grid *g, em_diag *d);

/* ---- study plots: each written as base.png and base.svg ---- */

/* Runs one gnuplot script twice, into base.png (pngcairo) and base.svg
 * (svg), both written to temporary names and renamed.  `script` sets
 * everything but the terminal and output; it may define datablocks. */
em_status plt_render(const char *base, const char *script, em_diag *d);

/* Bars: one group per row (labels), one bar per series (names), values[s *
 * nrows + r] >= 0; stacked (one bar a row, its segments the series) or side
 * by side.  The y axis shows [ylo, yhi] with a margin: give several charts
 * the same pair and they share one scale; yhi <= ylo fits it to this
 * chart's own values.  logy (side by side only: a stacked segment has no
 * length on a log axis) draws y logarithmic; stacked bars start at 0. */
typedef struct {
  const char *title, *ylabel;
  const char *const *labels;
  size_t nrows;
  const char *const *names;
  size_t nseries;
  const double *values;
  int stacked, logy;
  double ylo, yhi;
} plt_bars_spec;
em_status plt_bars(const char *base, const plt_bars_spec *b, em_diag *d);

/* Points (x, y), each its own key entry (labels[i]) with its own colour and
 * marker, the Pareto front (front[i] != 0) joined in x order and ringed.
 * colour[i] and marker[i] (may be NULL: i) pick the point's colour (of 8)
 * and marker (of 6), so that one model keeps one colour and one bit width
 * one marker; with both NULL, the first 24 points differ in one or both.
 * front_noise (may be NULL) is the front with accuracies that a test does
 * not tell apart counted equal: drawn dashed as a second line where it
 * differs from front, else named in front's key entry. yerr (may be NULL)
 * draws a bar of y[i] +- yerr[i] through each point, keyed yerr_title, and
 * the y axis reaches both ends of every bar. */
em_status plt_pareto(const char *base, const char *title, const char *xlabel,
                     const char *ylabel, const char *const *labels, const double *x,
                     const double *y, const double *yerr, const char *yerr_title,
                     const int *front, const int *front_noise, size_t n,
                     const unsigned *colour, const unsigned *marker, em_diag *d);

/* Roofline: min(peak, ai x bw) on log-log axes fitted to the points and the
 * ridge, with the points (ai[i], perf[i]) each its own key entry. */
em_status plt_roofline(const char *base, const char *title, double peak, double bw,
                       const char *const *labels, const double *ai, const double *perf,
                       size_t n, em_diag *d);

/* Several series sharing x (curves of the same sweep), with log y when logy
 * (then hline > 0 is a ratio's reference: y is centred on it and the line
 * drawn; hline <= 0: none); series on the second y axis when y2[s] (may be
 * NULL).  The key is below the plot, where no curve runs. */
em_status plt_lines(const char *base, const char *title, const char *xlabel, const char *ylabel,
                    const char *y2label, const plt_series *s, size_t ns, const int *y2,
                    double hline, int logy, em_diag *d);

/* Series over categories (bit widths: "fp32", "int8", ...), cats[i] at
 * equal steps along x in the order given: s[k].y[i] is series k at
 * category i (s[k].n <= ncats; x unused); series on the second y axis when
 * y2[k] (may be NULL).  Each y axis is logarithmic where its values span a
 * decade. */
em_status plt_categories(const char *base, const char *title, const char *xlabel,
                         const char *const *cats, size_t ncats, const char *ylabel,
                         const char *y2label, const plt_series *s, size_t ns, const int *y2,
                         em_diag *d);

#endif
