/*
 * bench_systolic.c - how fast the systolic model runs, and how much memory
 * it takes, next to a reference simulator run in the same command.
 *
 * usage: bench_systolic TOPOLOGY CFG [REPEATS] [--ref-time FILE]
 *                       [--ref-figures WALL_S PEAK_KB] [-- REFERENCE COMMAND...]
 * emlsim's simulation of every layer is timed over REPEATS runs (median).
 * The reference's figures come from one of:
 *  - `--ref-time FILE`: the output of GNU `time -v` for a reference run
 *    made elsewhere (SCALE-Sim cannot be part of this project, so its runs
 *    are made by hand and their time files passed in);
 *  - `--ref-figures WALL_S PEAK_KB`: figures recorded earlier, for example
 *    tests/models/scalesim/timing.csv (bench_systolic.sh reads it);
 *  - a command after `--` (for example SCALE-Sim v2:
 *    -- python3 scalesim/scale.py -c CFG -t TOPOLOGY -p /tmp/out), run once
 *    here as a child.
 * Its wall time and peak memory are printed beside emlsim's with the
 * ratios. The reference's time is a whole process (interpreter start and
 * report writing included); emlsim's is the simulation of every layer in
 * process, and its peak RSS the whole process's. Prints figures; asserts
 * nothing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
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

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU time of this process: what the runs cost where other work shares
 * the cores (wall time then includes waiting for one). */
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* Wall time (s) and peak RSS (kB) from GNU `time -v` output; false if
 * either line is missing. */
static bool read_time_file(const char *path, double *wall_s, double *peak_kb) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char line[512];
  bool got_wall = false, got_rss = false;
  while (fgets(line, sizeof line, f)) {
    const char *p;
    if ((p = strstr(line, "Elapsed (wall clock) time")) && (p = strrchr(line, ' '))) {
      /* h:mm:ss or m:ss(.ss) */
      double parts[3] = {0, 0, 0};
      int n = 0;
      for (char *tok = strtok((char *)p + 1, ":"); tok && n < 3; tok = strtok(NULL, ":"))
        parts[n++] = strtod(tok, NULL);
      *wall_s = n == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
      got_wall = n >= 2;
    } else if ((p = strstr(line, "Maximum resident set size (kbytes):"))) {
      *peak_kb = strtod(p + strlen("Maximum resident set size (kbytes):"), NULL);
      got_rss = true;
    }
  }
  fclose(f);
  return got_wall && got_rss;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_systolic TOPOLOGY CFG [REPEATS] [--ref-time FILE] "
                    "[--ref-figures WALL_S PEAK_KB] [-- REFERENCE COMMAND...]\n");
    return 2;
  }
  int repeats = 5, ref = 0;
  double given_s = -1, given_kb = -1;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      ref = i + 1;
      break;
    } else if (strcmp(argv[i], "--ref-time") == 0 && i + 1 < argc) {
      if (!read_time_file(argv[++i], &given_s, &given_kb)) {
        fprintf(stderr, "%s: error: no GNU time -v figures in it\n", argv[i]);
        return 1;
      }
    } else if (strcmp(argv[i], "--ref-figures") == 0 && i + 2 < argc) {
      given_s = strtod(argv[++i], NULL);
      given_kb = strtod(argv[++i], NULL);
    } else {
      repeats = atoi(argv[i]);
    }
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
  double *cpu = calloc((size_t)repeats, sizeof *cpu);
  uint64_t cycles = 0, words = 0;
  for (int r = 0; r < repeats; r++) {
    double t0 = now_s(), c0 = cpu_s();
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
    cpu[r] = cpu_s() - c0;
  }
  qsort(times, (size_t)repeats, sizeof *times, cmp_double);
  qsort(cpu, (size_t)repeats, sizeof *cpu, cmp_double);
  double med = times[repeats / 2];
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double rss_mb = ru.ru_maxrss / 1024.0;
  printf("emlsim: %s on %s (%ux%u %s): %zu layers, %llu cycles simulated, %llu SRAM words\n",
         argv[1], argv[2], cfg.rows, cfg.cols, sa_dataflow_name(cfg.dataflow), net->n_layers,
         (unsigned long long)cycles, (unsigned long long)words);
  printf("emlsim: %.6f s median of %d (min %.6f), %.1f M simulated cycles/s, peak RSS %.1f MB\n",
         med, repeats, times[0], cycles / med / 1e6, rss_mb);
  printf("emlsim: %.6f s CPU median of %d (min %.6f)\n", cpu[repeats / 2], repeats, cpu[0]);
  if (given_s > 0 && given_kb > 0) {
    printf("reference (recorded): %.2f s, peak RSS %.1f MB\n", given_s, given_kb / 1024.0);
    printf("ratio: emlsim is %.0fx faster and uses %.2f%% of the reference's memory\n",
           given_s / med, 100.0 * rss_mb / (given_kb / 1024.0));
  }
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
  free(cpu);
  wl_network_destroy(net);
  return 0;
}
