/*
 * bench_gemm_pick.c - the GEMM tile and split-K choice (simt_gemm_pick)
 * against every candidate simulated: for each shape, each tile (128x64,
 * 64x64, 32x32) at each K split the choice considers (1, 2, 4, ... 16), its
 * simulated cycles beside the closed-form estimate the choice uses, then
 * the picked kernel over the fastest one.  A program that prints figures
 * (models/simt/README.md quotes them); test_simt_gemm_pick holds the bound
 * on the cheaper shapes.
 *
 * usage: bench_gemm_pick [PRESET [SET]]   SET: quick (default: the 256-cube,
 *        the skinny 4096 x 16 x 4096, ResNet-18's layer3/4 convolutions),
 *        alexnet (FC-1..3 at batch 64, CONV-3..5), big (2048^3, its
 *        three tiles: none splits, its grid fills the GPU), or all; or
 *        bench_gemm_pick PRESET gemm M N K
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

static int shape(simt_gpu *g, const simt_config *c, const wl_layer *l) {
  wl_gemm_view v = wl_layer_gemm_view(l);
  simt_gemm_choice p = simt_gemm_pick(c, v.m, v.n, v.k, v.groups);
  uint64_t best = 0, picked = 0;
  char best_name[64] = "";
  printf("%s: M %llu N %llu K %llu groups %llu\n", l->name, (unsigned long long)v.m,
         (unsigned long long)v.n, (unsigned long long)v.k, (unsigned long long)v.groups);
  for (int t = 0; t < SIMT_GEMM_TILES; t++)
    for (uint64_t s = 1; s <= SIMT_GEMM_SPLIT_MAX; s *= 2) {
      double est = simt_gemm_estimate(c, (simt_gemm_tile)t, s, v.m, v.n, v.k, v.groups);
      if (est <= 0.0) continue; /* not a candidate */
      bool is_pick = (simt_gemm_tile)t == p.tile && s == p.splits;
      em_diag d;
      simt_kernel k;
      simt_stats st;
      if (simt_gen_layer_tile(&k, l, (simt_gemm_tile)t, s, &d) != EM_OK ||
          simt_gpu_run(g, &k, NULL, NULL, &st, &d) != EM_OK) {
        em_diag_print(&d, stderr);
        simt_kernel_free(&k);
        return 1;
      }
      printf("  %-28s %10llu cycles  estimate %10.0f  %5.1f %% of fp32 peak%s\n", k.name,
             (unsigned long long)st.cycles, est,
             100.0 * (double)k.flops / simt_peak_flops_per_cycle(c) / (double)st.cycles,
             is_pick ? "  <- picked" : "");
      if (!best || st.cycles < best) {
        best = st.cycles;
        snprintf(best_name, sizeof best_name, "%s", k.name);
      }
      if (is_pick) picked = st.cycles;
      simt_kernel_free(&k);
    }
  if (picked)
    printf("  picked / fastest (%s): %.3f\n", best_name, (double)picked / (double)best);
  else printf("  picked kernel not among those run\n");
  return 0;
}

static int net_layers(simt_gpu *g, const simt_config *c, const char *net, const char *const *names,
                      uint64_t batch) {
  em_diag d;
  wl_network *nw;
  if (wl_load(net, &nw, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  int rc = 0;
  for (size_t j = 0; names[j] && rc == 0; j++)
    for (size_t i = 0; i < nw->n_layers; i++)
      if (!strcmp(nw->layers[i].name, names[j])) {
        wl_layer l = nw->layers[i];
        l.batch = batch;
        rc = shape(g, c, &l);
      }
  wl_network_destroy(nw);
  return rc;
}

int main(int argc, char **argv) {
  const char *preset = argc > 1 ? argv[1] : "volta";
  const char *set = argc > 2 ? argv[2] : "quick";
  simt_config c;
  em_diag d;
  simt_gpu *g;
  if (simt_config_load_spec(preset, &c, &d) != EM_OK || simt_gpu_create(&c, &g, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  int rc = 0;
  bool all = !strcmp(set, "all");
  if (!strcmp(set, "gemm") && argc > 5) {
    wl_layer l = wl_gemm("gemm", strtoull(argv[3], NULL, 10), strtoull(argv[4], NULL, 10),
                         strtoull(argv[5], NULL, 10));
    rc = shape(g, &c, &l);
  }
  if (rc == 0 && (all || !strcmp(set, "quick"))) {
    wl_layer cube = wl_gemm("gemm256", 256, 256, 256);
    wl_layer skinny = wl_gemm("skinny4096x16x4096", 4096, 16, 4096);
    static const char *const res[] = {"layer3.0.conv2", "layer4.0.conv1", "layer4.0.conv2",
                                      "layer4.0.downsample", NULL};
    rc = shape(g, &c, &cube);
    if (rc == 0) rc = shape(g, &c, &skinny);
    if (rc == 0) rc = net_layers(g, &c, "resnet18", res, 1);
  }
  if (rc == 0 && (all || !strcmp(set, "alexnet"))) {
    static const char *const fc[] = {"FC-1", "FC-2", "FC-3", NULL};
    static const char *const conv[] = {"CONV-3", "CONV-4", "CONV-5", NULL};
    rc = net_layers(g, &c, "alexnet", fc, 64);
    if (rc == 0) rc = net_layers(g, &c, "alexnet", conv, 1);
  }
  if (rc == 0 && (all || !strcmp(set, "big"))) {
    wl_layer big = wl_gemm("gemm2048", 2048, 2048, 2048);
    rc = shape(g, &c, &big);
  }
  simt_gpu_destroy(g);
  return rc;
}
