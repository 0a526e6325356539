/* sim_workload.c - workload arguments of the commands (sim_workload.h). */
#include "sim_workload.h"

#include <stdio.h>

#include <string.h>

#include "em_parse.h"
#include "sim_cli.h"
#include "wl_load.h"

int sim_bits_parse(const char *text, sim_bits *out) {
  char buf[64];
  if (strlen(text) >= sizeof buf) return -1;
  em_strlcpy(buf, text, sizeof buf);
  char *colon = strchr(buf, ':');
  const char *ws = buf, *as = buf;
  if (colon) {
    *colon = '\0';
    as = colon + 1;
  }
  if (wl_prec_parse(ws, &out->w) != EM_OK) return -1;
  if (wl_prec_parse(as, &out->a) != EM_OK) return -1;
  out->bits_given = true;
  return 0;
}

em_status sim_workload_load(const char *spec, const sim_bits *bits, wl_prec dflt,
                            wl_network **out, em_diag *d) {
  wl_network *net = NULL;
  em_status st = wl_load(spec, &net, d);
  if (st != EM_OK) return st;
  if (net->notes[0]) sim_note(net->source, "%s", net->notes);
  /* a layer's Sparsity and Pattern are read and checked, and no model runs
   * a network's layers sparse: say so rather than print dense figures as
   * if they were the sparse network's */
  size_t sparse = 0;
  for (size_t i = 0; i < net->n_layers; i++)
    sparse += net->layers[i].sparsity > 0 || net->layers[i].pattern != WL_SP_DENSE;
  if (sparse)
    sim_note(net->source, "%zu layer(s) give a weight Sparsity or Pattern: every model runs "
             "a network's layers dense (`emlsim breakeven` sweeps one layer's sparsity)",
             sparse);
  /* Precision: --bits overrides everything; otherwise what the workload
   * says, and the command's default where it says nothing. */
  if (bits && bits->bits_given) {
    /* say so where the workload had widths of its own */
    size_t own = 0;
    for (size_t i = 0; i < net->n_layers; i++)
      own += net->layers[i].w.bits || net->layers[i].a.bits;
    if (own) {
      char w[16], a[16];
      wl_prec_format(bits->w, w, sizeof w);
      wl_prec_format(bits->a, a, sizeof a);
      sim_note(net->source, "--bits %s:%s overrides the workload's own widths (on %zu of %zu "
               "layers)", w, a, own, net->n_layers);
    }
    wl_network_set_prec(net, bits->w, bits->a, true);
  }
  wl_network_set_prec(net, dflt, dflt, false);
  for (size_t i = 0; i < net->n_layers; i++) {
    st = wl_layer_validate(&net->layers[i], net->source, d);
    if (st != EM_OK) {
      wl_network_destroy(net);
      return st;
    }
  }
  *out = net;
  return EM_OK;
}
