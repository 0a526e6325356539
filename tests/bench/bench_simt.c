/*
 * bench_simt.c - simulation speed of the SIMT model: warp instructions
 * simulated per second on one core, for a tiled GEMM kernel (the goal is at
 * least 5 M/s) and for the AlexNet layers.  A program that prints figures,
 * not a timed test.
 *
 * usage: bench_simt [PRESET] [M N K]   (default volta 512 512 512, then AlexNet;
 *        with M N K given, that GEMM only)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int run(simt_gpu *g, const wl_layer *l, const char *preset) {
  em_diag d;
  simt_kernel k;
  if (simt_gen_layer(&k, l, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  simt_stats st;
  double t0 = now_s();
  em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
  double t = now_s() - t0;
  simt_kernel_free(&k);
  if (s != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  printf("%-7s %-12s %10llu warp-inst %10llu cycles %7.3f s %7.2f M warp-inst/s\n", preset,
         l->name, (unsigned long long)st.warp_insts, (unsigned long long)st.cycles, t,
         (double)st.warp_insts / t / 1e6);
  return 0;
}

int main(int argc, char **argv) {
  const char *preset = argc > 1 ? argv[1] : "volta";
  uint64_t m = argc > 4 ? strtoull(argv[2], NULL, 10) : 512;
  uint64_t n = argc > 4 ? strtoull(argv[3], NULL, 10) : 512;
  uint64_t kk = argc > 4 ? strtoull(argv[4], NULL, 10) : 512;
  simt_config c;
  em_diag d;
  simt_gpu *g;
  if (simt_config_load_spec(preset, &c, &d) != EM_OK || simt_gpu_create(&c, &g, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  wl_layer gemm = wl_gemm("gemm", m, n, kk);
  int rc = run(g, &gemm, preset);
  wl_network *net;
  if (rc == 0 && argc <= 4 && wl_load("alexnet", &net, &d) == EM_OK) {
    for (size_t i = 0; i < net->n_layers && rc == 0; i++) rc = run(g, &net->layers[i], preset);
    wl_network_destroy(net);
  }
  simt_gpu_destroy(g);
  return rc;
}
