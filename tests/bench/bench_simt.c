/*
 * bench_simt.c - simulation speed of the SIMT model: warp instructions
 * simulated per second of user CPU time on one core, for every layer of
 * AlexNet and ResNet-18 (the kernels `emlsim simt alexnet` / `resnet18`
 * run), beside the goal of issue 20 (10 M warp-inst/s on every layer) and
 * the figure measured before the memory-bound speed-up (commit 7fb82a5) and
 * the one on main before the warp schedulers' speed-up (c9852f0), then
 * a tiled GEMM.
 * A program that prints figures, not a timed test: it asserts nothing about
 * time (it fails only when a kernel does not run).
 *
 * usage: bench_simt [PRESET [NETWORK [LAYER]]]   (default: volta, both
 *        networks, every layer; NETWORK alexnet, resnet18 or all; LAYER one
 *        layer's name)
 *        bench_simt PRESET gemm M N K
 *
 * Each layer is simulated again until it has taken at least MIN_CPU_S of CPU
 * time, so small layers get a figure the clock can resolve.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

#define GOAL_MINST_PER_S 10.0
#define MIN_CPU_S 0.2

/* The same layers' speed before the change (M warp-inst/s of user CPU
 * time), measured with this program on the model of commit 7fb82a5 on the
 * same machine, volta preset: bench_simt_before.inc. */
typedef struct {
  const char *net, *layer;
  double minst_per_s;
} before_t;
static const before_t before[] = {
#include "bench_simt_before.inc"
    {NULL, NULL, 0}};

/* The same layers' speed on main at c9852f0 (after the memory path's second
 * speed-up, before the warp schedulers'), measured with this program back to
 * back with the model it prints, same machine, volta preset:
 * bench_simt_main.inc. */
static const before_t at_main[] = {
#include "bench_simt_main.inc"
    {NULL, NULL, 0}};

static double user_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
}

static double figure_of(const before_t *t, const char *net, const char *layer) {
  for (size_t i = 0; t[i].net; i++)
    if (!strcmp(t[i].net, net) && !strcmp(t[i].layer, layer)) return t[i].minst_per_s;
  return 0;
}

typedef struct {
  uint64_t insts;
  double secs;
  double worst;
  const char *worst_name;
} totals;

static int run(simt_gpu *g, const wl_layer *l, const char *preset, const char *net,
               totals *tot) {
  em_diag d;
  simt_kernel k;
  if (simt_gen_layer(&k, l, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  simt_stats st;
  uint64_t insts = 0;
  unsigned reps = 0;
  double t0 = user_s(), t;
  do {
    if (simt_gpu_run(g, &k, NULL, NULL, &st, &d) != EM_OK) {
      em_diag_print(&d, stderr);
      simt_kernel_free(&k);
      return 1;
    }
    insts += st.warp_insts;
    reps++;
    t = user_s() - t0;
  } while (t < MIN_CPU_S);
  simt_kernel_free(&k);
  double rate = t > 0 ? (double)insts / t / 1e6 : 0;
  double was = figure_of(before, net, l->name), mainr = figure_of(at_main, net, l->name);
  char wasbuf[32] = "-", xbuf[32] = "-", mbuf[32] = "-", mxbuf[32] = "-";
  if (was > 0) {
    snprintf(wasbuf, sizeof wasbuf, "%.2f", was);
    snprintf(xbuf, sizeof xbuf, "%.1fx", rate / was);
  }
  if (mainr > 0) {
    snprintf(mbuf, sizeof mbuf, "%.2f", mainr);
    snprintf(mxbuf, sizeof mxbuf, "%.2fx", rate / mainr);
  }
  printf("%-7s %-9s %-14s %11llu %10llu %4u %8.3f %8.2f %8.2f %7s %7s %7s %7s %s\n", preset,
         net, l->name, (unsigned long long)st.warp_insts, (unsigned long long)st.cycles, reps, t,
         rate, GOAL_MINST_PER_S, wasbuf, xbuf, mbuf, mxbuf,
         rate >= GOAL_MINST_PER_S ? "ok" : "BELOW");
  tot->insts += insts;
  tot->secs += t;
  if (tot->worst_name == NULL || rate < tot->worst) {
    tot->worst = rate;
    tot->worst_name = l->name;
  }
  return 0;
}

static int run_net(simt_gpu *g, const char *preset, const char *net, const char *only) {
  em_diag d;
  wl_network *nw;
  if (wl_load(net, &nw, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  totals tot = {0, 0, 0, NULL};
  int rc = 0;
  for (size_t i = 0; i < nw->n_layers && rc == 0; i++)
    if (!only || !strcmp(only, nw->layers[i].name)) rc = run(g, &nw->layers[i], preset, net, &tot);
  if (rc == 0 && tot.worst_name)
    printf("%-7s %-9s %-14s %.2f M warp-inst/s over all layers; slowest %s at %.2f "
           "(goal %.0f: %s)\n",
           preset, net, "total", tot.secs > 0 ? (double)tot.insts / tot.secs / 1e6 : 0,
           tot.worst_name, tot.worst, GOAL_MINST_PER_S,
           tot.worst >= GOAL_MINST_PER_S ? "every layer meets it" : "not every layer meets it");
  wl_network_destroy(nw);
  return rc;
}

int main(int argc, char **argv) {
  const char *preset = argc > 1 ? argv[1] : "volta";
  const char *net = argc > 2 ? argv[2] : "all";
  simt_config c;
  em_diag d;
  simt_gpu *g;
  if (simt_config_load_spec(preset, &c, &d) != EM_OK || simt_gpu_create(&c, &g, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  printf("%-7s %-9s %-14s %11s %10s %4s %8s %8s %8s %7s %7s %7s %7s\n", "preset", "network",
         "layer", "warp_insts", "cycles", "reps", "cpu_s", "Minst/s", "goal", "before", "speedup",
         "main", "x_main");
  int rc = 0;
  if (!strcmp(net, "gemm")) {
    uint64_t m = argc > 5 ? strtoull(argv[3], NULL, 10) : 512;
    uint64_t n = argc > 5 ? strtoull(argv[4], NULL, 10) : 512;
    uint64_t kk = argc > 5 ? strtoull(argv[5], NULL, 10) : 512;
    char name[64];
    snprintf(name, sizeof name, "gemm%llux%llux%llu", (unsigned long long)m,
             (unsigned long long)n, (unsigned long long)kk);
    wl_layer gemm = wl_gemm(name, m, n, kk);
    totals tot = {0, 0, 0, NULL};
    rc = run(g, &gemm, preset, "gemm", &tot);
  } else {
    const char *only = argc > 3 ? argv[3] : NULL;
    if (!strcmp(net, "all") || !strcmp(net, "alexnet")) rc = run_net(g, preset, "alexnet", only);
    if (rc == 0 && (!strcmp(net, "all") || !strcmp(net, "resnet18")))
      rc = run_net(g, preset, "resnet18", only);
    if (rc == 0 && !strcmp(net, "all")) {
      wl_layer gemm = wl_gemm("gemm512x512x512", 512, 512, 512);
      totals tot = {0, 0, 0, NULL};
      rc = run(g, &gemm, preset, "gemm", &tot);
    }
  }
  simt_gpu_destroy(g);
  return rc;
}
