/*
 * bench_simt.c - simulation speed of the SIMT model: warp instructions
 * simulated per second of user CPU time on one core, for every layer of
 * AlexNet and ResNet-18, beside the goal of issue 20 (10 M warp-inst/s on
 * every layer), the figure measured before the memory-bound speed-up
 * (commit 7fb82a5) and the one of main at 589d66d, then a tiled GEMM.
 * Each layer runs as `emlsim simt` runs it: through the same library call
 * (hw_point_run of the "simt" hardware model, as sim/cmd_simt.c's run_item),
 * so the kernel is the tile and K split the GPU's pick gives
 * (simt_gen_layer_gpu), and the time is what `emlsim simt` charges a
 * kernel in its sim_s column: the kernel's generation, the pick, the run and
 * its energy.  The kernel column names the kernel that ran.
 * A program that prints figures, not a timed test: it asserts nothing about
 * time (it fails only when a kernel does not run).
 *
 * usage: bench_simt [--reps N] [PRESET [NETWORK [LAYER]]]   (default: volta,
 *        both networks, every layer; NETWORK alexnet, resnet18 or all; LAYER
 *        one layer's name)
 *        bench_simt [--reps N] PRESET gemm M N K
 *
 * Each layer is simulated again until it has taken at least MIN_CPU_S of CPU
 * time, so small layers get a figure the clock can resolve; --reps N runs
 * it exactly N times instead (a fixed amount of work, for instruction counts
 * under valgrind --tool=cachegrind).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cm_energy.h"
#include "hw_model.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gpu.h"
#include "wl_load.h"

#define GOAL_MINST_PER_S 10.0
#define MIN_CPU_S 0.2

/* A layer's speed measured earlier (M warp-inst/s of user CPU time) on the
 * kernel it ran then: `kernel` is that kernel's name as `emlsim simt` names
 * it now (the layer's name, with the GEMM's tile and split for a GEMM); a
 * figure is printed only beside a run of the same kernel. */
typedef struct {
  const char *net, *layer, *kernel;
  double minst_per_s;
} before_t;

/* Before the memory-bound speed-up: measured with this program's earlier
 * version on the model of commit 7fb82a5 on the same machine, volta preset,
 * which ran simt_gen_layer's kernel (the 64x64 tile, K unsplit, for every
 * GEMM): bench_simt_before.inc.  Compared only where the GPU's pick is that
 * kernel (see same_kernel). */
static const before_t before[] = {
#include "bench_simt_before.inc"
    {NULL, NULL, NULL, 0}};

/* main at 589d66d, the kernels `emlsim simt` runs (the picked tile and
 * split), measured with this program built on 589d66d's libraries, back to
 * back with the model it prints, same machine, volta preset:
 * bench_simt_main.inc. */
static const before_t at_main[] = {
#include "bench_simt_main.inc"
    {NULL, NULL, NULL, 0}};

static double user_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
}

/* The figure t holds for layer `layer` of net, or 0; a NULL kernel stands
 * for simt_gen_layer's (the layer's name, or its name with the 64x64 tile,
 * unsplit), else the kernel's name must be `kernel`'s. */
static double figure_of(const before_t *t, const char *net, const char *layer,
                        const char *kernel) {
  for (size_t i = 0; t[i].net; i++) {
    if (strcmp(t[i].net, net) || strcmp(t[i].layer, layer)) continue;
    if (t[i].kernel) return strcmp(t[i].kernel, kernel) ? 0 : t[i].minst_per_s;
    char k64[96];
    snprintf(k64, sizeof k64, "%s/sgemm_64x64", layer);
    return strcmp(kernel, layer) && strcmp(kernel, k64) ? 0 : t[i].minst_per_s;
  }
  return 0;
}

typedef struct {
  uint64_t insts;
  double secs;
  double worst;
  const char *worst_name;
} totals;

static int run(hw_point *g, const wl_layer *l, const char *preset, const char *net,
               unsigned want_reps, totals *tot) {
  em_diag d;
  simt_detail x;
  hw_result r;
  uint64_t insts = 0;
  unsigned reps = 0;
  double t0 = user_s(), t;
  do {
    if (hw_point_run(g, l, &r, &x, &d) != EM_OK) {
      em_diag_print(&d, stderr);
      return 1;
    }
    insts += x.stats.warp_insts;
    reps++;
    t = user_s() - t0;
  } while (want_reps ? reps < want_reps : t < MIN_CPU_S);
  const simt_stats st = x.stats;
  double rate = t > 0 ? (double)insts / t / 1e6 : 0;
  double was = figure_of(before, net, l->name, st.kernel);
  double mainr = figure_of(at_main, net, l->name, st.kernel);
  char wasbuf[32] = "-", xbuf[32] = "-", mbuf[32] = "-", mxbuf[32] = "-";
  if (was > 0) {
    snprintf(wasbuf, sizeof wasbuf, "%.2f", was);
    snprintf(xbuf, sizeof xbuf, "%.1fx", rate / was);
  }
  if (mainr > 0) {
    snprintf(mbuf, sizeof mbuf, "%.2f", mainr);
    snprintf(mxbuf, sizeof mxbuf, "%.2fx", rate / mainr);
  }
  printf("%-7s %-9s %-20s %-36s %11llu %10llu %4u %8.3f %8.2f %8.2f %7s %7s %7s %7s %s\n",
         preset, net, l->name, st.kernel, (unsigned long long)st.warp_insts, (unsigned long long)st.cycles, reps, t,
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

static int run_net(hw_point *g, const char *preset, const char *net, const char *only,
                   unsigned reps) {
  em_diag d;
  wl_network *nw;
  if (wl_load(net, &nw, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  /* the model's own width where the file sets none, as sim_workload_load */
  wl_network_set_prec(nw, hw_point_model(g)->default_prec, hw_point_model(g)->default_prec, false);
  totals tot = {0, 0, 0, NULL};
  int rc = 0;
  for (size_t i = 0; i < nw->n_layers && rc == 0; i++)
    if (!only || !strcmp(only, nw->layers[i].name)) rc = run(g, &nw->layers[i], preset, net, reps, &tot);
  if (rc == 0 && tot.worst_name)
    printf("%-7s %-9s %-20s %.2f M warp-inst/s over all layers; slowest %s at %.2f "
           "(goal %.0f: %s)\n",
           preset, net, "total", tot.secs > 0 ? (double)tot.insts / tot.secs / 1e6 : 0,
           tot.worst_name, tot.worst, GOAL_MINST_PER_S,
           tot.worst >= GOAL_MINST_PER_S ? "every layer meets it" : "not every layer meets it");
  wl_network_destroy(nw);
  return rc;
}

int main(int argc, char **argv) {
  unsigned reps = 0;
  if (argc > 2 && !strcmp(argv[1], "--reps")) {
    reps = (unsigned)strtoul(argv[2], NULL, 10);
    if (reps < 1) {
      fprintf(stderr, "bench_simt: '--reps' must be at least 1, got '%s'\n", argv[2]);
      return 2;
    }
    argv += 2;
    argc -= 2;
  }
  const char *preset = argc > 1 ? argv[1] : "volta";
  const char *net = argc > 2 ? argv[2] : "all";
  em_diag d;
  cm_energy_table *et = NULL;
  hw_point *g = NULL;
  /* the design point `emlsim simt --gpu PRESET` makes (cmd_simt.c's gpu_point) */
  char gpu[256];
  snprintf(gpu, sizeof gpu, "gpu=%s", preset);
  const char *sets[1] = {gpu};
  if (cm_energy_table_default(&et, &d) != EM_OK ||
      hw_point_create(hw_model_find("simt"), NULL, sets, 1, et, &g, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    cm_energy_table_destroy(et);
    return 1;
  }
  printf("%-7s %-9s %-20s %-36s %11s %10s %4s %8s %8s %8s %7s %7s %7s %7s\n", "preset",
         "network", "layer", "kernel", "warp_insts", "cycles", "reps", "cpu_s", "Minst/s", "goal",
         "before", "speedup", "main", "x_main");
  int rc = 0;
  if (!strcmp(net, "gemm")) {
    uint64_t m = argc > 5 ? strtoull(argv[3], NULL, 10) : 512;
    uint64_t n = argc > 5 ? strtoull(argv[4], NULL, 10) : 512;
    uint64_t kk = argc > 5 ? strtoull(argv[5], NULL, 10) : 512;
    char name[64];
    snprintf(name, sizeof name, "gemm%llux%llux%llu", (unsigned long long)m,
             (unsigned long long)n, (unsigned long long)kk);
    wl_layer gemm = wl_gemm(name, m, n, kk);
    gemm.w = gemm.a = hw_point_model(g)->default_prec;
    totals tot = {0, 0, 0, NULL};
    rc = run(g, &gemm, preset, "gemm", reps, &tot);
  } else {
    const char *only = argc > 3 ? argv[3] : NULL;
    if (!strcmp(net, "all") || !strcmp(net, "alexnet"))
      rc = run_net(g, preset, "alexnet", only, reps);
    if (rc == 0 && (!strcmp(net, "all") || !strcmp(net, "resnet18")))
      rc = run_net(g, preset, "resnet18", only, reps);
    if (rc == 0 && !strcmp(net, "all")) {
      wl_layer gemm = wl_gemm("gemm512x512x512", 512, 512, 512);
      gemm.w = gemm.a = hw_point_model(g)->default_prec;
      totals tot = {0, 0, 0, NULL};
      rc = run(g, &gemm, preset, "gemm", reps, &tot);
    }
  }
  hw_point_destroy(g);
  cm_energy_table_destroy(et);
  return rc;
}
