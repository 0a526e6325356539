/*
 * bench_systolic.c - how fast the systolic model runs, and how much memory
 * it takes, next to a reference simulator run in the same command.
 *
 * usage: bench_systolic TOPOLOGY CFG [REPEATS] [-- REFERENCE COMMAND...]
 * emlsim's simulation of every layer is timed over REPEATS runs (median);
 * when a reference command follows `--` (for example SCALE-Sim v2:
 *   -- python3 scalesim/scale.py -c CFG -t TOPOLOGY -p /tmp/out)
 * it is run once as a child, and its wall time and peak memory are printed
 * beside emlsim's with the ratios. Prints figures; asserts nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sa_config.h"
#include "sa_model.h"
#include "wl_load.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_systolic TOPOLOGY CFG [REPEATS] [-- REFERENCE COMMAND...]\n");
    return 2;
  }
  int repeats = 5, ref = 0;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      ref = i + 1;
      break;
    }
    repeats = atoi(argv[i]);
  }
  if (repeats < 1) repeats = 1;
  em_diag d;
  wl_network *net;
  sa_config cfg;
  if (wl_load(argv[1], &net, &d) != EM_OK || sa_config_read(argv[2], &cfg, &d) != EM_OK) {
    em_diag_print(&d, stderr);
    return 1;
  }
  wl_network_set_prec(net, (wl_prec){8, false}, (wl_prec){8, false}, false);
  double *times = calloc((size_t)repeats, sizeof *times);
  uint64_t cycles = 0, words = 0;
  for (int r = 0; r < repeats; r++) {
    double t0 = now_s();
    cycles = words = 0;
    for (size_t i = 0; i < net->n_layers; i++) {
      sa_layer_stats s;
      if (sa_simulate(&cfg, &net->layers[i], NULL, &s, &d) != EM_OK) {
        em_diag_print(&d, stderr);
        return 1;
      }
      cycles += s.total_cycles;
      words += s.ifmap_sram_reads + s.filter_sram_reads + s.ofmap_sram_writes;
    }
    times[r] = now_s() - t0;
  }
  qsort(times, (size_t)repeats, sizeof *times, cmp_double);
  double med = times[repeats / 2];
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double rss_mb = ru.ru_maxrss / 1024.0;
  printf("emlsim: %s on %s (%ux%u %s): %zu layers, %llu cycles simulated, %llu SRAM words\n",
         argv[1], argv[2], cfg.rows, cfg.cols, sa_dataflow_name(cfg.dataflow), net->n_layers,
         (unsigned long long)cycles, (unsigned long long)words);
  printf("emlsim: %.4f s median of %d (min %.4f), %.1f M simulated cycles/s, peak RSS %.1f MB\n",
         med, repeats, times[0], cycles / med / 1e6, rss_mb);
  if (ref && ref < argc) {
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      if (devnull >= 0) {
        dup2(devnull, 1);
        dup2(devnull, 2);
      }
      execvp(argv[ref], argv + ref);
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    double ref_s = now_s() - t0;
    struct rusage rc;
    getrusage(RUSAGE_CHILDREN, &rc);
    double ref_mb = rc.ru_maxrss / 1024.0;
    printf("reference: %.2f s, peak RSS %.1f MB (exit %d)\n", ref_s, ref_mb,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    printf("ratio: emlsim is %.0fx faster and uses %.2f%% of the reference's memory\n",
           ref_s / med, 100.0 * rss_mb / ref_mb);
  }
  free(times);
  wl_network_destroy(net);
  return 0;
}
