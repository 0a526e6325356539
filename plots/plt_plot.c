/* plt_plot.c - gnuplot line plots (plt_plot.h). */
#define _POSIX_C_SOURCE 200809L
#include "plt_plot.h"

#include <math.h>
#include <stdio.h>
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
