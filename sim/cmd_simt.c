/*
 * cmd_simt.c - `emlsim simt`: a workload's layers, or a trace, on the
 * cycle-level SIMT GPU model; or one microbenchmark (`--micro NAME`).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cm_energy.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "em_pool.h"
#include "em_units.h"
#include "hw_model.h"
#include "rpt_simt.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gen_wmma.h"
#include "simt_gpu.h"
#include "simt_trace.h"

/* The host memory a trace's kernel holds from its run to the tables'
 * writing: its rpt_simt_kernel (1,336 bytes) and its rows in the tables,
 * about 4.4 kB in all (100,000 kernels of a kernel list held 408 MB). */
#define KERNEL_HELD_BYTES 4400u

static int cmd_simt(int argc, char **argv);

const sim_command sim_cmd_simt = {
    "simt", cmd_simt, "a workload or a trace on the cycle-level SIMT GPU model",
    "usage: emlsim simt <workload|trace> [options]\n"
    "       emlsim simt --micro NAME [options]\n"
    "       emlsim simt --wmma MxNxK[:cutlass|:sample] [options]\n"
    "\n"
    "Runs every layer of a workload as the CUDA-core kernel a straightforward\n"
    "library generates for it (tiled GEMM, implicit-GEMM convolution, GEMV,\n"
    "pooling, element-wise, softmax), or replays a trace: Accel-Sim's\n"
    "kernelslist.g (or its directory) or a .traceg file, or emlsim's compact\n"
    "trace format (models/README.md). Per kernel: cycles, IPC, SIMD efficiency,\n"
    "stall breakdown, cache hit rates, DRAM traffic, bank conflicts, energy by\n"
    "component and by instruction class, the roofline bound, and the simulation\n"
    "speed.\n"
    "\n"
    "  --gpu PRESET|FILE     volta (default), ampere, jetson, or a preset file\n"
    "  --set KEY=VALUE       override one setting (any key of --gpu-help; repeatable)\n"
    "  --scheduler P         lrr, gto or two_level\n"
    "  --energy-table FILE   energy per operation and access (default: Horowitz\n"
    "                        45 nm); repeatable, up to 8: the tables are merged in\n"
    "                        order, a later one's row replacing an earlier one's of\n"
    "                        the same op, type, width and SRAM size\n"
    "  --micro NAME          microbenchmark: ffma, chase-l1, chase-l2, chase-dram,\n"
    "                        smem-stride, gmem-stride, tensor (every MMA shape's\n"
    "                        multiply-adds per cycle per SM), smem-bw (shared and\n"
    "                        L1 loads together, B/clk/SM), dram-bw (streaming,\n"
    "                        GB/s), l2-bw (L2 hits from every SM, B/clk), atomic\n"
    "                        (a dependent atomic's cycles), mem-lat\n"
    "                        (Accel-Sim's mem_lat: consecutive 32 B sectors),\n"
    "                        tensor-lat (a dependent MMA's cycles per shape),\n"
    "                        kernel-lat (an empty kernel's launch and run); each\n"
    "                        beside the GPU's published figure, or says there is none\n"
    "  --wmma MxNxK[:LIB]    the fp16 tensor-core GEMM C (M x N, fp32) = A (M x K)\n"
    "                        B (K x N) as the WMMA API writes it, on the GPU's fp16\n"
    "                        MMA shape (HMMA.884 Volta, .1688 Turing, .16816 Ampere),\n"
    "                        each of M, N, K in [1, 1048576]: LIB cutlass (default:\n"
    "                        CUTLASS 1.x's wmma_gemm_nn) or sample (the CUDA samples'\n"
    "                        cudaTensorCoreGemm, reads C); the kernel table with its\n"
    "                        power, as for a workload (models/simt/README.md,\n"
    "                        \"Validation on V100 measurements\")\n"
    "  --steps N             microbenchmark steps (default 256; 1 to 100000, ffma and\n"
    "                        tensor-lat to 2047; --micro only)\n"
    "  --stride K            word stride of smem-stride and gmem-stride, in [1, 4096]\n"
    "                        (default 1); smem-stride's up to what one SM's shared\n"
    "                        memory holds (767 on volta); not with another --micro,\n"
    "                        --wmma or a workload\n"
    "  --jobs N              simulate N kernels (layers, trace kernels) at once, each\n"
    "                        on a GPU of its own (default 1); the reports are the same\n"
    "                        for any N, byte for byte (simt_timing.csv aside); N is\n"
    "                        lowered, with a note, to as many GPU models as fit the\n"
    "                        host memory budget (16 GiB, or EMLSIM_HOST_MEMORY)\n"
    "  --format FMT          table (default) or md: all five tables; csv or json: the\n"
    "                        kernel table; --micro's one table, on stdout or in -o\n"
    "                        FILE (not with -o DIR, whose tables are CSV)\n"
    "  -o, --output DIR      write simt_kernels.csv, simt_stalls.csv, simt_energy.csv,\n"
    "                        simt_energy_classes.csv and simt_timing.csv (the host's\n"
    "                        speed) there, all or none, instead of stdout; with\n"
    "                        --micro, -o FILE writes its one table to FILE\n"
    "      --gpu-help        list every setting with its range, default and alias,\n"
    "                        and its value in the --gpu GPU where that differs\n"
    "  --quiet               no progress on the terminal\n"
    "  -h, --help            this help\n"
    "      --version         print the version\n"};

enum { OPT_GPU = 0x3100, OPT_SET, OPT_SCHED, OPT_ENERGY, OPT_MICRO, OPT_STEPS, OPT_STRIDE,
       OPT_FORMAT, OPT_GPU_HELP, OPT_QUIET, OPT_JOBS, OPT_WMMA };

#define MAX_SETS 64

/* --stride's range, in words; smem-stride's is narrower where the GPU's
 * shared memory holds less (simt_micro_smem_stride_max, checked with it) */
#define STRIDE_MAX 4096

typedef struct {
  const char *input, *gpu, *out, *micro, *wmma;
  sim_energy_tables energy; /* --energy-table, in order */
  const char *gpu_opt; /* the option that named gpu: "--gpu", or "--set gpu" (the last given) */
  uint64_t wmma_mnk[3]; /* --wmma: M, N, K */
  simt_wmma_lib wmma_lib;
  const char *sets[MAX_SETS];
  size_t nsets;
  int fmt;
  bool fmt_given; /* --format: refused with -o DIR, whose tables are CSV */
  uint64_t steps, stride;
  unsigned jobs;
  bool gpu_help; /* --gpu-help: printed once every option is read (--gpu names the GPU) */
} opts_t;

/* CPU time of the calling thread: a kernel's simulation speed whatever else
 * the machine runs (other jobs of --jobs N, other programs), as the bench
 * programs and issue 20 measure it */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse(int argc, char **argv, opts_t *o) {
  static const struct option lo[] = {
      {"gpu", required_argument, NULL, OPT_GPU},
      {"set", required_argument, NULL, OPT_SET},
      {"scheduler", required_argument, NULL, OPT_SCHED},
      {"energy-table", required_argument, NULL, OPT_ENERGY},
      {"micro", required_argument, NULL, OPT_MICRO},
      {"wmma", required_argument, NULL, OPT_WMMA},
      {"steps", required_argument, NULL, OPT_STEPS},
      {"stride", required_argument, NULL, OPT_STRIDE},
      {"format", required_argument, NULL, OPT_FORMAT},
      {"jobs", required_argument, NULL, OPT_JOBS},
      {"output", required_argument, NULL, 'o'},
      {"gpu-help", no_argument, NULL, OPT_GPU_HELP},
      {"quiet", no_argument, NULL, OPT_QUIET},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION},
      {NULL, 0, NULL, 0}};
  static char sched_set[64];
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (c) {
    case OPT_GPU:
      o->gpu = optarg;
      o->gpu_opt = "--gpu";
      break;
    case OPT_SET: {
      const char *eq = strchr(optarg, '=');
      char key[256]; /* longer than any key (GPGPU-Sim's names included) */
      if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof key)
        return sim_usage_error("simt", "'--set' takes KEY=VALUE, got '%s'", optarg);
      /* '--set gpu=FILE' is '--gpu FILE' (sim_set_value): its file an
       * input of the run, read once (it was read here to check it, and -o
       * could overwrite it) */
      const char *gpu = sim_set_value(optarg, "gpu");
      if (gpu) {
        o->gpu = gpu;
        o->gpu_opt = "--set gpu";
        break;
      }
      if (o->nsets == MAX_SETS) return sim_usage_error("simt", "more than %d '--set'", MAX_SETS);
      /* the key and its value checked here, as every command checks its
       * model's settings (sim_settings_add): a usage error, exit 2; what
       * only a combination of settings rules out is found with the GPU */
      snprintf(key, sizeof key, "%.*s", (int)(eq - optarg), optarg);
      em_diag d;
      if (hw_setting_check(hw_model_find("simt"), key, eq + 1, NULL, 0, 0, &d) != EM_OK)
        return sim_usage_error("simt", "%s", d.msg);
      o->sets[o->nsets++] = optarg;
      break;
    }
    case OPT_SCHED:
      if (strcmp(optarg, "lrr") && strcmp(optarg, "gto") && strcmp(optarg, "two_level") &&
          strcmp(optarg, "two-level"))
        return sim_usage_error("simt", "'--scheduler' must be lrr, gto or two_level, got '%s'",
                               optarg);
      if (o->nsets == MAX_SETS) return sim_usage_error("simt", "too many settings");
      snprintf(sched_set, sizeof sched_set, "scheduler=%s",
               strcmp(optarg, "two-level") == 0 ? "two_level" : optarg);
      o->sets[o->nsets++] = sched_set;
      break;
    case OPT_ENERGY: {
      int rc = sim_energy_tables_add(&o->energy, "simt", optarg);
      if (rc >= 0) return rc;
      break;
    }
    case OPT_MICRO: {
      simt_micro m;
      if (!simt_micro_parse(optarg, &m))
        return sim_usage_error("simt",
                               "'--micro' must be ffma, chase-l1, chase-l2, chase-dram, "
                               "smem-stride, gmem-stride, tensor, smem-bw, dram-bw, "
                               "l2-bw, atomic, mem-lat, tensor-lat or kernel-lat, got '%s'",
                               optarg);
      o->micro = optarg;
      break;
    }
    case OPT_WMMA: {
      /* MxNxK in 64 bits (4294967297x1x1 is refused, not read as 1x1x1),
       * each within simt_gen_wmma_gemm's range; then the library */
      char mnk[96];
      const char *lib = strchr(optarg, ':');
      size_t n = lib ? (size_t)(lib - optarg) : strlen(optarg);
      bool ok = n < sizeof mnk &&
                (!lib || strcmp(lib + 1, "cutlass") == 0 || strcmp(lib + 1, "sample") == 0);
      if (ok) {
        memcpy(mnk, optarg, n);
        mnk[n] = '\0';
      }
      if (!ok || em_parse_u64_seq(mnk, 'x', 3, 1, 1u << 20, o->wmma_mnk) != EM_OK)
        return sim_usage_error("simt",
                               "'--wmma' must be MxNxK, each in [1, 1048576], then optionally "
                               ":cutlass or :sample (e.g. 2560x16x2560:cutlass), got '%s'",
                               optarg);
      o->wmma_lib = lib && strcmp(lib + 1, "sample") == 0 ? SIMT_WMMA_SAMPLE : SIMT_WMMA_CUTLASS;
      o->wmma = optarg;
      break;
    }
    case OPT_STEPS:
      if (em_parse_u64(optarg, &o->steps) != EM_OK || o->steps < 1 || o->steps > 100000)
        return sim_usage_error("simt", "'--steps' must be in [1, 100000], got '%s'", optarg);
      break;
    case OPT_STRIDE:
      if (em_parse_u64(optarg, &o->stride) != EM_OK || o->stride < 1 || o->stride > STRIDE_MAX)
        return sim_usage_error("simt", "'--stride' must be in [1, %d], got '%s'", STRIDE_MAX,
                               optarg);
      break;
    case OPT_FORMAT:
      o->fmt = rpt_format_parse(optarg);
      if (o->fmt < 0)
        return sim_usage_error("simt", "'--format' must be table, csv, json or md, got '%s'",
                               optarg);
      o->fmt_given = true;
      break;
    case OPT_JOBS:
      if (sim_parse_jobs("simt", optarg, &o->jobs)) return SIM_EXIT_USAGE;
      break;
    case 'o': /* '-' is refused below where -o is a folder */
      if (sim_check_output("simt", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      o->out = optarg;
      break;
    case OPT_GPU_HELP: o->gpu_help = true; break;
    case OPT_QUIET: sim_quiet_set(1); break;
    case 'h': sim_print_usage(&sim_cmd_simt, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("simt", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("simt", argv[optind - 1], lo);
    }
  }
  if (o->gpu_help) { /* the settings, with the values of the GPU chosen */
    /* a listing of --gpu's settings: a workload or any other word beside it
     * is refused, not ignored, as '--micro' refuses one */
    if (optind != argc)
      return sim_usage_error("simt", "'--gpu-help' takes no workload, got '%s'", argv[optind]);
    simt_config gc;
    em_diag d;
    em_diag_clear(&d);
    if (simt_config_load_spec(o->gpu, &gc, &d) != EM_OK) return sim_fail(&d);
    simt_config_help(stdout, &gc, gc.name[0] ? gc.name : o->gpu);
    return SIM_EXIT_OK;
  }
  if (o->micro && o->wmma)
    return sim_usage_error("simt", "'--micro' and '--wmma' exclude each other");
  /* a microbenchmark's options given where they change nothing are refused,
   * not ignored ('--micro ffma --stride 4' ran ffma as without it, its
   * table's stride column saying 4) */
  const char *run = o->micro ? o->micro : o->wmma ? "--wmma" : "a workload or trace";
  simt_micro m;
  if (o->stride && !(o->micro && simt_micro_parse(o->micro, &m) &&
                     (m == SIMT_MICRO_SMEM_STRIDE || m == SIMT_MICRO_GMEM_STRIDE)))
    return sim_usage_error("simt", "'--stride' applies to --micro smem-stride and gmem-stride, "
                                   "not %s%s", o->micro ? "--micro " : "", run);
  if (o->steps && !o->micro)
    return sim_usage_error("simt", "'--steps' applies to --micro, not %s", run);
  /* dram-bw sizes its arrays to the GPU and kernel-lat runs an empty
   * kernel: neither takes steps, and '--steps' there changed nothing */
  if (o->steps && simt_micro_parse(o->micro, &m) &&
      (m == SIMT_MICRO_DRAM_BW || m == SIMT_MICRO_KERNEL_LAT || m == SIMT_MICRO_GMEM_STRIDE))
    return sim_usage_error("simt", "'--steps' changes nothing for --micro %s, which takes no "
                                   "steps",
                           o->micro);
  /* ffma and tensor-lat time chains of N and 2N in one program each */
  if (o->steps > SIMT_MICRO_CHAIN_MAX && simt_micro_parse(o->micro, &m) &&
      (m == SIMT_MICRO_FFMA_CHAIN || m == SIMT_MICRO_TENSOR_LAT))
    return sim_usage_error("simt", "'--steps' for --micro %s must be at most %u: it times a "
                                   "chain of 2 x N dependent instructions in one program of at "
                                   "most %u, got %llu",
                           o->micro, SIMT_MICRO_CHAIN_MAX, SIMT_PROG_MAX - 2,
                           (unsigned long long)o->steps);
  /* -o is a file for a microbenchmark ('-': standard output), a folder else */
  if (!o->micro && o->out &&
      sim_check_output("simt", "-o", o->out, "a folder", "a folder of reports"))
    return SIM_EXIT_USAGE;
  /* -o DIR writes its five tables as CSV, whatever --format says: the
   * format is refused there, not ignored ('-o sdir --format json' wrote
   * CSV, exit 0); --micro's -o FILE takes it */
  if (!o->micro && o->out && o->fmt_given)
    return sim_usage_error("simt", "'--format' chooses the tables on standard output: not with "
                                   "'-o %s', a folder of CSV tables", o->out);
  if (o->micro || o->wmma) {
    if (optind != argc)
      return sim_usage_error("simt", "'%s' takes no workload, got '%s'",
                             o->micro ? "--micro" : "--wmma", argv[optind]);
    return -1;
  }
  if (optind != argc - 1)
    return sim_usage_error("simt", optind == argc ? "missing <workload|trace>"
                                                  : "expected one <workload|trace>");
  o->input = argv[optind];
  return -1;
}

/* The GPU's design point (hw_model.h): the preset or file (--gpu, or
 * '--set gpu'), then the --set overrides in order, then the cross checks.
 * The energy table is borrowed. */
static em_status gpu_point(const opts_t *o, const cm_energy_table *et, hw_point **p,
                           em_diag *d) {
  const char *sets[MAX_SETS + 1];
  char gpu[4200];
  snprintf(gpu, sizeof gpu, "gpu=%s", o->gpu);
  sets[0] = gpu;
  for (size_t i = 0; i < o->nsets; i++) sets[i + 1] = o->sets[i];
  return hw_point_create(hw_model_find("simt"), NULL, sets, o->nsets + 1, et, p, d);
}

/* ---- microbenchmarks ---- */

/* A kernel whose run takes minutes says so first, as the model puts it (a
 * 4 GiB L2 made dram-bw run 8 minutes with nothing printed). */
static void say_native_note(const hw_point *g, const simt_kernel *k) {
  char note[512];
  if (hw_point_native_note(g, k, note, sizeof note)) sim_note("emlsim simt", "%s", note);
}

/* Runs kernel k on the GPU (then frees it); its statistics into st. */
static em_status run_kernel(hw_point *g, simt_kernel *k, simt_stats *st, em_diag *d) {
  simt_detail x = {0};
  hw_result r;
  say_native_note(g, k);
  em_status s = hw_point_run_native(g, k, &r, &x, d);
  *st = x.stats;
  simt_kernel_free(k);
  return s;
}

static unsigned gcd(unsigned a, unsigned b) { return b ? gcd(b, a % b) : a; }

/* One row of the microbenchmark table. */
typedef struct {
  uint64_t cycles;
  double measured, expect; /* expect < 0: no reference */
  const char *unit, *ref, *shape;
  simt_published pub; /* the published figure the GPU file gives, if any */
  char dropped[360];  /* the reference column where it does not hold on this GPU */
} micro_row;

/* The published figure of micro m (shape mma for tensor and tensor-lat)
 * that GPU c's file gives, as the row's reference where it holds on c
 * (simt_config_published: a GPU of the settings it was published for);
 * where c differs, none, and the row says in which settings. */
static void published_ref(const simt_config *c, simt_micro m, unsigned mma, micro_row *r) {
  if (!simt_config_published(c, simt_micro_name(m), mma, &r->pub)) return;
  if (r->pub.holds) {
    r->expect = r->pub.value;
    r->ref = r->pub.source;
    return;
  }
  char text[sizeof r->dropped];
  snprintf(text, sizeof text,
           "none shown: the GPU differs from %.64s, which the published figure is for, in %.200s",
           r->pub.against, r->pub.keys);
  r->ref = em_strlcpy(r->dropped, text, sizeof r->dropped);
}

/* Tensor throughput of shape mma: the multiply-adds of n more rounds of the
 * kernel (its 32 warps on one SM) over the cycles they add. */
static em_status micro_tensor(hw_point *g, uint32_t n, unsigned mma, micro_row *row,
                              em_diag *d) {
  simt_kernel k;
  simt_stats a = {0}, b = {0};
  em_status s;
  if ((s = simt_gen_micro(&k, SIMT_MICRO_TENSOR, n, mma, 1, d)) != EM_OK ||
      (s = run_kernel(g, &k, &a, d)) != EM_OK ||
      (s = simt_gen_micro(&k, SIMT_MICRO_TENSOR, 2 * n, mma, 1, d)) != EM_OK ||
      (s = run_kernel(g, &k, &b, d)) != EM_OK)
    return s;
  row->cycles = b.cycles;
  row->measured = b.cycles > a.cycles ? (double)(b.tensor_flops - a.tensor_flops) / 2.0 /
                                            (double)(b.cycles - a.cycles)
                                      : 0.0;
  row->unit = "multiply-adds per cycle per SM";
  row->shape = simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma)->name;
  return EM_OK;
}

/* Whether GPU c's tensor cores run MMA shape mma: one of its architecture,
 * a sparse one only where it has sparse tensor cores. */
static bool runs_shape(const simt_config *c, unsigned mma) {
  return !(simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma)->sparse && !c->sparse_tensor) &&
         simt_mma_min_arch((uint8_t)mma) <= c->sm_arch;
}

/* A bandwidth measured as the difference of two runs (smem-bw, l2-bw)
 * counts part of the warm-up's tail as the steps' when they are few:
 * l2-bw read 2,454.5 B/clk at --steps 1, 1.8x the L2's ceiling, 1,414.0 at
 * 32 and 1,365.8 at 64; smem-bw 115.0 B/clk/SM at 4, 99.4 at 64. */
static void short_run(char *warn, size_t size, uint32_t n) {
  if (n < 64)
    snprintf(warn, size, "with %u step%s (under 64) the two runs' difference counts part of the "
             "warm-up's tail as the steps' and overstates the rate (the default 256 steps, or "
             "more, measure it)", n, n == 1 ? "" : "s");
}

/* Runs --micro and writes its table: to *of, -o's output opened before the
 * run (committed here, *of set to NULL), or to standard output where -o is
 * not given (*of NULL). */
static int run_micro(const opts_t *o, hw_point *g, em_outfile **of, em_diag *d) {
  const simt_config *c = hw_point_config(g);
  simt_micro m;
  simt_micro_parse(o->micro, &m);
  uint32_t n = (uint32_t)(o->steps ? o->steps : 256);
  /* a line on the terminal before the runs: at --steps 100000 some take
   * minutes (tensor on jetson some 4.5, 24 shapes; l2-bw nearly one) and
   * said nothing */
  sim_progress("simt", "--micro %s on %s (--steps %u)", o->micro, c->name, n);
  uint32_t stride = (uint32_t)(o->stride ? o->stride : 1);
  simt_kernel k;
  simt_stats a = {0}, b = {0};
  em_status s = EM_OK;
  micro_row rows[SIMT_MMA_COUNT];
  size_t nrows = 1;
  char how[200] = ""; /* how `measured` follows from the runs, for a table note */
  char warn[400] = ""; /* where that measure is not to be trusted, a second note */
  micro_row *r = &rows[0];
  char refbuf[96];
  memset(rows, 0, sizeof rows);
  r->expect = -1;
  r->shape = "-";
  switch (m) {
  case SIMT_MICRO_FFMA_CHAIN:
    /* the latency of one dependent FFMA: cycles(2n) - cycles(n), over n */
    if ((s = simt_gen_micro(&k, m, n, 0, 1, d)) == EM_OK && (s = run_kernel(g, &k, &a, d)) == EM_OK &&
        (s = simt_gen_micro(&k, m, 2 * n, 0, 1, d)) == EM_OK)
      s = run_kernel(g, &k, &b, d);
    r->measured = (double)(b.cycles - a.cycles) / n;
    r->unit = "cycles per dependent FFMA";
    snprintf(how, sizeof how, "measured: (cycles, a chain of %u dependent FFMAs) - (%llu, a "
             "chain of %u), over %u", 2 * n, (unsigned long long)a.cycles, n, n);
    break;
  case SIMT_MICRO_CHASE_L1:
  case SIMT_MICRO_CHASE_L2:
  case SIMT_MICRO_CHASE_DRAM:
  case SIMT_MICRO_MEM_LAT:
    /* load-to-use latency: (warm-up and n timed loads) - (warm-up), over n */
    if ((s = simt_gen_micro(&k, m, n, 0, 0, d)) == EM_OK && (s = run_kernel(g, &k, &a, d)) == EM_OK &&
        (s = simt_gen_micro(&k, m, n, 0, 1, d)) == EM_OK)
      s = run_kernel(g, &k, &b, d);
    r->measured = (double)(b.cycles - a.cycles) / n;
    r->unit = "cycles per dependent load";
    snprintf(how, sizeof how, "measured: (cycles, a warm-up pass and %u timed loads) - (%llu, "
             "the warm-up alone), over %u", n, (unsigned long long)a.cycles, n);
    break;
  case SIMT_MICRO_SMEM_STRIDE:
    if ((s = simt_gen_micro(&k, m, n, stride, 1, d)) == EM_OK) s = run_kernel(g, &k, &b, d);
    r->measured = b.smem_requests ? (double)b.smem_wavefronts / (double)b.smem_requests : 0;
    r->unit = "wavefronts per shared load (conflict degree)";
    r->expect = gcd(stride, (unsigned)c->smem_banks);
    snprintf(refbuf, sizeof refbuf, "gcd(stride, banks) = gcd(%u, %llu)", stride,
             (unsigned long long)c->smem_banks);
    r->ref = refbuf;
    break;
  case SIMT_MICRO_TENSOR:
  case SIMT_MICRO_TENSOR_LAT:
    /* every shape the GPU's tensor cores run: those of its architecture, the
     * sparse ones where they run them */
    nrows = 0;
    size_t nshapes = 0;
    for (unsigned mma = 1; mma < SIMT_MMA_COUNT; mma++) nshapes += runs_shape(c, mma);
    for (unsigned mma = 1; mma < SIMT_MMA_COUNT && s == EM_OK; mma++) {
      if (!runs_shape(c, mma)) continue;
      sim_progress("simt", "--micro %s on %s: shape %zu of %zu, %s", o->micro, c->name,
                   nrows + 1, nshapes, simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma)->name);
      rows[nrows].expect = -1;
      if (m == SIMT_MICRO_TENSOR) {
        s = micro_tensor(g, n, mma, &rows[nrows], d);
      } else { /* a dependent MMA's latency: cycles(2n) - cycles(n), over n */
        if ((s = simt_gen_micro(&k, m, n, mma, 1, d)) == EM_OK &&
            (s = run_kernel(g, &k, &a, d)) == EM_OK &&
            (s = simt_gen_micro(&k, m, 2 * n, mma, 1, d)) == EM_OK)
          s = run_kernel(g, &k, &b, d);
        rows[nrows].cycles = b.cycles;
        rows[nrows].measured = (double)(b.cycles - a.cycles) / n;
        rows[nrows].unit = "cycles per dependent MMA";
        snprintf(how, sizeof how, "measured: (cycles, a chain of %u dependent MMAs) - (the "
                 "chain of %u), over %u", 2 * n, n, n);
        rows[nrows].shape = simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma)->name;
      }
      published_ref(c, m, mma, &rows[nrows]);
      nrows++;
    }
    break;
  case SIMT_MICRO_SMEM_BW:
    /* bytes of n more steps (1024 threads x a 4-byte shared and a 4-byte
     * global load each) over the cycles they add */
    if ((s = simt_gen_micro(&k, m, n, 0, 0, d)) == EM_OK && (s = run_kernel(g, &k, &a, d)) == EM_OK &&
        (s = simt_gen_micro(&k, m, n, 0, 1, d)) == EM_OK)
      s = run_kernel(g, &k, &b, d);
    r->measured = b.cycles > a.cycles ? 8192.0 * n / (double)(b.cycles - a.cycles) : 0;
    r->unit = "bytes per cycle per SM";
    snprintf(how, sizeof how, "measured: 8192 B x %u steps over (cycles - %llu, the run "
             "without them)", n, (unsigned long long)a.cycles);
    short_run(warn, sizeof warn, n);
    break;
  case SIMT_MICRO_DRAM_BW: {
    /* the six arrays' bytes over the kernel's time */
    double bytes = 0;
    if ((s = simt_gen_micro_gpu(&k, m, n, 0, 1, c, d)) == EM_OK) {
      bytes = (double)k.min_dram_bytes;
      s = run_kernel(g, &k, &b, d);
    }
    r->measured = b.cycles ? bytes / em_cycles_to_s(b.cycles, c->core_freq_mhz) / 1e9 : 0;
    r->unit = "GB/s";
    snprintf(how, sizeof how, "measured: the %.0f bytes its arrays hold, each moved once, over "
             "the kernel's cycles at %.0f MHz", bytes, c->core_freq_mhz);
    break;
  }
  case SIMT_MICRO_L2_BW: {
    /* the timed steps' bytes (every thread a float a step) over the cycles
     * they add to the warm-up */
    uint64_t threads = 2048 * c->n_sm; /* its grid (simt_gen.h): 2 blocks of 1024 an SM */
    if ((s = simt_gen_micro_gpu(&k, m, n, 0, 0, c, d)) == EM_OK &&
        (s = run_kernel(g, &k, &a, d)) == EM_OK &&
        (s = simt_gen_micro_gpu(&k, m, n, 0, 1, c, d)) == EM_OK)
      s = run_kernel(g, &k, &b, d);
    r->measured =
        b.cycles > a.cycles ? 4.0 * (double)threads * n / (double)(b.cycles - a.cycles) : 0;
    r->unit = "bytes per cycle (the GPU's L2)";
    snprintf(how, sizeof how, "measured: %llu threads x 4 B x %u steps over (cycles - %llu, "
             "the warm-up alone)", (unsigned long long)threads, n, (unsigned long long)a.cycles);
    {
      double ceiling = (double)c->l2_slices * c->l2_slice_bytes_per_cycle;
      short_run(warn, sizeof warn, n);
      if (r->measured > ceiling) {
        size_t len = strlen(warn);
        snprintf(warn + len, sizeof warn - len,
                 "%sit passes the L2's own ceiling, %.1f B/clk (l2_slices %llu x "
                 "l2_slice_bytes_per_cycle %g)",
                 len ? "; " : "", ceiling, (unsigned long long)c->l2_slices,
                 c->l2_slice_bytes_per_cycle);
      }
    }
    break;
  }
  case SIMT_MICRO_ATOMIC:
    if ((s = simt_gen_micro(&k, m, n, 0, 0, d)) == EM_OK && (s = run_kernel(g, &k, &a, d)) == EM_OK &&
        (s = simt_gen_micro(&k, m, n, 0, 1, d)) == EM_OK)
      s = run_kernel(g, &k, &b, d);
    r->measured = (double)(b.cycles - a.cycles) / n;
    r->unit = "cycles per dependent atomic";
    snprintf(how, sizeof how, "measured: (cycles, a warm-up and %u dependent atomics) - (%llu, "
             "the warm-up alone), over %u", n, (unsigned long long)a.cycles, n);
    break;
  case SIMT_MICRO_KERNEL_LAT:
    /* an empty kernel's launch and run, as the timer around it sees them */
    if ((s = simt_gen_micro(&k, m, n, 0, 1, d)) == EM_OK) s = run_kernel(g, &k, &b, d);
    r->measured = (double)(b.launch_cycles + b.cycles);
    r->unit = "cycles from launch to end";
    snprintf(how, sizeof how, "measured: an empty block of 1024 threads, its launch (%llu "
             "cycles) and its run (%llu)", (unsigned long long)b.launch_cycles,
             (unsigned long long)b.cycles);
    break;
  case SIMT_MICRO_GMEM_STRIDE:
  default:
    if ((s = simt_gen_micro(&k, m, n, stride, 1, d)) == EM_OK) s = run_kernel(g, &k, &b, d);
    r->measured = b.gld_requests ? (double)b.gld_sectors / (double)b.gld_requests : 0;
    r->unit = "32 B sectors per warp load";
    /* 32 lanes x 4 B at a stride of k words span 128k B: 4k sectors, at most one per lane */
    r->expect = stride >= 8 ? 32 : 4.0 * stride;
    snprintf(refbuf, sizeof refbuf, "min(4 x stride, 32) = %.0f", r->expect);
    r->ref = refbuf;
    break;
  }
  if (s != EM_OK) { /* a kernel this GPU cannot run: the run's error, naming the GPU */
    sim_diag_on(d, NULL, c->name);
    return sim_fail(d);
  }
  if (m != SIMT_MICRO_TENSOR && m != SIMT_MICRO_TENSOR_LAT) {
    r->cycles = b.cycles;
    if (!r->ref) published_ref(c, m, 0, r);
  }
  static const rpt_column cols[] = {{"micro", RPT_STR, 0},    {"steps", RPT_U64, 0},
                                    {"stride", RPT_U64, 0},   {"cycles", RPT_U64, 0},
                                    {"measured", RPT_F64, 2}, {"reference", RPT_STR, 0},
                                    {"unit", RPT_STR, 0},     {"reference_source", RPT_STR, 0},
                                    {"shape", RPT_STR, 0}};
  char title[160];
  snprintf(title, sizeof title, "Microbenchmark %s on %s", o->micro, c->name);
  rpt_table *t = rpt_table_create(title, cols, sizeof cols / sizeof cols[0]);
  for (size_t i = 0; t && i < nrows; i++) {
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      t = NULL;
      break;
    }
    char ref[32] = "-";
    if (rows[i].expect >= 0) snprintf(ref, sizeof ref, "%.2f", rows[i].expect);
    rpt_table_set_str(t, 0, o->micro);
    rpt_table_set_u64(t, 1, n);
    rpt_table_set_u64(t, 2, m == SIMT_MICRO_TENSOR || m == SIMT_MICRO_TENSOR_LAT ? 0 : stride);
    rpt_table_set_u64(t, 3, rows[i].cycles);
    rpt_table_set_f64(t, 4, rows[i].measured);
    rpt_table_set_str(t, 5, ref);
    rpt_table_set_str(t, 6, rows[i].unit);
    rpt_table_set_str(t, 7, rows[i].ref ? rows[i].ref : "none published for this GPU");
    rpt_table_set_str(t, 8, rows[i].shape);
  }
  if (!t) {
    em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return sim_fail(d);
  }
  if (how[0]) rpt_table_add_note(t, how);
  if (warn[0]) rpt_table_add_note(t, warn);
  /* a published figure not shown: why, once for the rows that share it */
  for (size_t i = 0; i < nrows; i++) {
    bool said = !rows[i].dropped[0];
    for (size_t j = 0; j < i && !said; j++)
      said = rows[j].dropped[0] && strcmp(rows[j].pub.why, rows[i].pub.why) == 0 &&
             strcmp(rows[j].pub.against, rows[i].pub.against) == 0;
    if (!said) {
      char note[600];
      snprintf(note, sizeof note, "reference not shown: the GPU differs from %s, the GPU its "
               "published figure is for: %s", rows[i].pub.against, rows[i].pub.why);
      rpt_table_add_note(t, note);
    }
  }
  em_outfile *f = *of;
  *of = NULL;
  em_status ws = f ? sim_commit_table(f, o->out, t, (rpt_format)o->fmt, d)
                   : sim_write_table(t, (rpt_format)o->fmt, "-", d);
  rpt_table_destroy(t);
  return ws == EM_OK ? SIM_EXIT_OK : sim_fail(d);
}

/* ---- workloads and traces ---- */

/* The kernels to run: a trace's (tr) or a workload's layers (net), each
 * into its own slot of k, on --jobs threads (em_pool.h), a GPU design point
 * per thread. Nothing a kernel computes depends on the thread it ran on. */
typedef struct {
  const opts_t *o;
  const cm_energy_table *et;
  simt_trace *tr;
  const wl_network *net;
  const simt_kernel *one; /* --wmma: the one generated kernel */
  size_t n;
  rpt_simt_kernel *k;
  hw_point *pts[SIM_JOBS_MAX];
} job_t;

/* Runs item i (a trace kernel or a workload layer) on worker w's GPU and
 * keeps its figures; a failure names where the kernel comes from. */
static em_status run_item(void *ctx, size_t i, unsigned w, em_diag *d) {
  job_t *j = ctx;
  rpt_simt_kernel *x = &j->k[i];
  em_status s = EM_OK;
  if (!j->pts[w]) s = gpu_point(j->o, j->et, &j->pts[w], d);
  if (s != EM_OK) return s; /* the same point as the first thread's: cannot fail here */
  if (w == 0 && !j->one) {
    if (j->tr) sim_progress("simt", "kernel %zu of %zu", i + 1, j->n);
    else sim_progress("simt", "layer %zu of %zu: %s", i + 1, j->n, j->net->layers[i].name);
  }
  simt_detail det;
  hw_result res;
  /* a kernel whose run takes minutes says so first, as the model puts it */
  char note[512];
  double t0; /* when the run starts, after the note */
  if (j->one) {
    say_native_note(j->pts[w], j->one);
    t0 = now_s();
    s = hw_point_run_native(j->pts[w], j->one, &res, &det, d);
    if (s != EM_OK) { /* the kernel on this GPU: no file to point at */
      sim_diag_on(d, NULL, ((const simt_config *)hw_point_config(j->pts[w]))->name);
      return s;
    }
  } else if (j->tr) {
    simt_kernel k;
    s = simt_trace_kernel(j->tr, i, &k, d);
    if (s != EM_OK) return s;
    say_native_note(j->pts[w], &k);
    t0 = now_s(); /* the simulation's speed, its reading of the warps included */
    s = hw_point_run_native(j->pts[w], &k, &res, &det, d);
    simt_kernel_free(&k);
    if (s != EM_OK) { /* the GPU model names the kernel: say where it is */
      uint64_t line;
      const char *src = simt_trace_where(j->tr, i, &line);
      if (!d->path[0]) d->line = line;
      sim_diag_locate(d, src);
      return s;
    }
  } else {
    if (hw_point_layer_note(j->pts[w], &j->net->layers[i], note, sizeof note))
      sim_note("emlsim simt", "%s", note);
    t0 = now_s();
    s = hw_point_run(j->pts[w], &j->net->layers[i], &res, &det, d);
    if (s != EM_OK) {
      sim_diag_locate(d, j->net->source);
      return s;
    }
  }
  x->sim_seconds = now_s() - t0;
  x->st = det.stats;
  x->e = det.energy;
  x->roofline_cycles = det.roofline_cycles;
  return EM_OK;
}

/* The five tables into the folder set, the staging folder em_outdir_open
 * made for -o before the run: all of them or none (it is renamed into
 * place, em_outfile.h).  Frees set in every case. */
#define NTAB 5
static em_status write_dir(em_outfile *set, rpt_table *const t[NTAB], em_diag *d) {
  static const char *const names[NTAB] = {"simt_kernels.csv", "simt_stalls.csv",
                                          "simt_energy.csv", "simt_energy_classes.csv",
                                          "simt_timing.csv"};
  em_outfile *f = NULL;
  em_status st = EM_OK;
  char path[4400];
  for (int i = 0; i < NTAB && st == EM_OK; i++) {
    snprintf(path, sizeof path, "%s/%s", em_outfile_tmp(set), names[i]);
    if ((st = em_outfile_open(path, &f, d)) == EM_OK &&
        (st = rpt_table_write(t[i], RPT_FMT_CSV, em_outfile_fp(f))) != EM_OK)
      em_diag_set(d, st, path, 0, 0, "write error");
    em_outfile *x = f;
    f = NULL;
    if (st == EM_OK) st = em_outfile_commit(x, d);
    else em_outfile_abort(x);
  }
  if (st == EM_OK) {
    em_outfile *x = set;
    set = NULL;
    st = em_outfile_commit(x, d);
  }
  em_outfile_explain(set, d);
  em_outfile_abort(set);
  return st;
}

static int cmd_simt(int argc, char **argv) {
  opts_t o = {.gpu = "volta", .gpu_opt = "--gpu", .fmt = RPT_FMT_TABLE};
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  em_diag d;
  em_diag_clear(&d);
  /* -o is a file for a microbenchmark, a folder of four reports otherwise */
  em_iocheck io;
  const em_ioarg io_args[] = {{EM_IO_INPUT, "<workload|trace>", sim_workload_file(o.input)},
                              {EM_IO_INPUT, o.gpu_opt, sim_gpu_file(o.gpu)},
                              SIM_IO_ENERGY(o.energy),
                              {o.micro ? EM_IO_OUT_FILE : EM_IO_OUT_DIR, "-o", o.out}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  /* -o's file or staging folder made before the run (beside the target, as
   * systolic and study make theirs), so that an output that cannot be
   * written (a folder of /proc, one not writable) fails at once, not after
   * every kernel; any later failure removes it */
  em_outfile *out = NULL;
  if (o.out && (o.micro ? em_outfile_open(o.out, &out, &d)
                        : em_outdir_open(o.out, &io, "simt", &out, &d)) != EM_OK)
    return sim_fail(&d);
  cm_energy_table *et = NULL;
  hw_point *g = NULL;
  wl_network *net = NULL;
  simt_trace *tr = NULL;
  struct {
    rpt_simt_kernel *k;
    size_t n;
  } r = {NULL, 0};
  rpt_table *tabs[NTAB] = {NULL, NULL, NULL, NULL, NULL};
  rc = SIM_EXIT_ERROR;
  simt_energy_model em; /* the per-event energies, for the energy table's notes */
  simt_wmma_gemm wp;
  simt_kernel wk; /* --wmma's kernel */
  bool wk_made = false;
  char wname[64] = "";
  if (cm_energy_tables_load(o.energy.path, o.energy.n, &et, &d) != EM_OK ||
      gpu_point(&o, et, &g, &d) != EM_OK)
    goto fail;
  const simt_config *c = hw_point_config(g);
  if (c->n_ignored) /* a GPGPU-Sim file's options the model does not use */
    sim_note(o.gpu, "%llu GPGPU-Sim options not modelled, ignored: %s",
             (unsigned long long)c->n_ignored, c->ignored);
  if (o.micro) {
    /* smem-stride's shared array grows with --stride: a stride whose block
     * no SM of this GPU holds is the option's error, found before any run */
    simt_micro m;
    uint32_t smax;
    if (simt_micro_parse(o.micro, &m) && m == SIMT_MICRO_SMEM_STRIDE && o.stride &&
        (smax = simt_micro_smem_stride_max(c, STRIDE_MAX)) != 0 && o.stride > smax) {
      rc = sim_usage_error("simt",
                           "'--stride' of smem-stride must be in [1, %u] on %s (one block's "
                           "shared array, which grows with the stride, must fit 'smem_per_sm', "
                           "%llu bytes), got %llu",
                           smax, c->name, (unsigned long long)c->smem_per_sm,
                           (unsigned long long)o.stride);
      goto done;
    }
    /* tensor and tensor-lat measure each MMA shape the GPU's tensor cores
     * run: a GPU with none (sm_arch below 70) has no shape, and its empty
     * table said nothing of why.  The run's error, naming the GPU, as
     * --wmma's is */
    if (m == SIMT_MICRO_TENSOR || m == SIMT_MICRO_TENSOR_LAT) {
      bool any = false;
      for (unsigned mma = 1; mma < SIMT_MMA_COUNT && !any; mma++) any = runs_shape(c, mma);
      if (!any) {
        char what[64];
        snprintf(what, sizeof what, "--micro %s", o.micro);
        em_diag_set(&d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                    "no MMA shape to measure: the GPU (sm_%llu) has no tensor cores, which "
                    "arrive with Volta (sm_70)",
                    (unsigned long long)c->sm_arch);
        sim_diag_on(&d, what, c->name);
        goto fail;
      }
    }
    rc = run_micro(&o, g, &out, &d);
    goto done;
  }
  if (simt_energy_model_init(&em, et, c, &d) != EM_OK) goto fail;
  job_t job = {.o = &o, .et = et};
  if (o.wmma) {
    if (simt_wmma_gemm_of(&wp, o.wmma_lib, o.wmma_mnk[0], o.wmma_mnk[1], o.wmma_mnk[2],
                          (unsigned)c->sm_arch, c->tensor_units, wname, &d) != EM_OK ||
        (wk_made = true, simt_gen_wmma_gemm(&wk, &wp, &d) != EM_OK)) {
      /* the GPU lacks tensor cores: the run's error, naming the GPU (not a
       * line of its file) */
      char what[160];
      snprintf(what, sizeof what, "--wmma %s", o.wmma);
      sim_diag_on(&d, what, c->name);
      goto fail;
    }
    job.one = &wk;
    job.n = 1;
  } else if (simt_trace_probe(o.input)) {
    if (simt_trace_open(o.input, &tr, &d) != EM_OK) goto fail;
    job.tr = tr;
    job.n = simt_trace_count(tr);
    /* a native trace's n= repeats let a small file ask for any work: its
     * kernels' instructions together are held to max_warp_insts, and a
     * file of a minute or more says so before it runs (1000 kernels of
     * 2^24 each ran an hour unannounced) */
    uint64_t asked = simt_trace_insts(tr);
    const simt_config *gc = hw_point_config(g);
    if (asked > gc->max_warp_insts) {
      em_diag_set(&d, EM_ERR_LIMIT, o.input, 0, 0,
                  "too large to simulate: its lines ask for %llu warp instructions over its "
                  "%zu kernels (n= repeats counted), over max_warp_insts (%llu), a GPU key "
                  "that raises the limit",
                  (unsigned long long)asked, job.n, (unsigned long long)gc->max_warp_insts);
      goto fail;
    }
    /* each kernel's statistics and table rows are held until the tables
     * are written: about KERNEL_HELD_BYTES each (100,000 kernels of a list
     * held 408 MB past EMLSIM_HOST_MEMORY's 60 MB, unrefused) */
    if ((uint64_t)job.n > em_host_budget() / KERNEL_HELD_BYTES) {
      char nb[32], bb[32];
      em_bytes_text((uint64_t)job.n * KERNEL_HELD_BYTES, nb, sizeof nb);
      em_bytes_text(em_host_budget(), bb, sizeof bb);
      em_diag_set(&d, EM_ERR_LIMIT, o.input, 0, 0,
                  "its %zu kernels' figures take about %s until the tables are written, over "
                  "the host memory budget of %s (EMLSIM_HOST_MEMORY)",
                  job.n, nb, bb);
      goto fail;
    }
    char what[96], note[512];
    snprintf(what, sizeof what, "the trace's %zu kernels issue", job.n);
    if (job.n > 1 && simt_insts_note(what, asked, note, sizeof note))
      sim_note("emlsim simt", "%s", note);
  } else {
    sim_bits bits = {0};
    if (sim_workload_load(o.input, &bits, hw_point_model(g)->default_prec, &net, &d) != EM_OK)
      goto fail;
    job.net = net;
    job.n = net->n_layers;
    /* a layer the model refuses at once (too large to simulate) is found
     * before any runs, as `emlsim systolic` finds it: it came after the
     * layers before it had run (22 s of a 1024^3 GEMM) */
    for (size_t i = 0; i < net->n_layers; i++)
      if (hw_point_check_layer(g, &net->layers[i], &d) != EM_OK) {
        sim_diag_locate(&d, net->source);
        goto fail;
      }
  }
  job.k = calloc(job.n ? job.n : 1, sizeof *job.k);
  job.pts[0] = g; /* the first thread runs on the point already made */
  /* as many GPU models at once as fit the host memory budget */
  unsigned jobs = sim_jobs_within("simt", o.jobs ? o.jobs : 1, job.n,
                                  hw_point_host_bytes(g), "GPU model");
  if (net) {
    /* layers that take minutes together, none alone: said before the first
     * runs, as the model puts it (each slow layer says so as it comes), as
     * `emlsim systolic` says its walks'; the model's span is one layer after
     * another on one core, which --jobs divides at best */
    char nnote[512];
    if (hw_point_network_note(g, net, nnote, sizeof nnote)) {
      if (jobs > 1)
        sim_note(net->source, "%s; --jobs %u runs %u at once: about 1/%u of that at best",
                 nnote, jobs, jobs, jobs);
      else if (job.n > 1)
        sim_note(net->source, "%s; --jobs N runs N layers at once", nnote);
      else
        sim_note(net->source, "%s", nnote);
    }
  }
  em_status js = job.k ? em_pool_run(jobs, job.n, run_item, &job, NULL, &d)
                       : em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (unsigned w = 1; w < SIM_JOBS_MAX; w++) hw_point_destroy(job.pts[w]);
  r.k = job.k;
  r.n = job.n;
  if (js != EM_OK) goto fail;
  /* in kernel order, whatever thread ran which */
  for (size_t i = 0; i < r.n; i++) {
    const rpt_simt_kernel *x = &r.k[i];
    if ((double)x->st.cycles < x->roofline_cycles)
      fprintf(stderr,
              "emlsim simt: warning: kernel '%s' ran in %llu cycles, below its roofline bound "
              "of %.0f: the model is wrong somewhere\n",
              x->st.kernel, (unsigned long long)x->st.cycles, x->roofline_cycles);
  }
  rpt_simt_ctx ctx = {net ? net->source : o.wmma ? wname : o.input, c, cm_energy_table_name(et),
                      &em};
  tabs[0] = rpt_simt_kernels(&ctx, r.k, r.n);
  tabs[1] = rpt_simt_stalls(&ctx, r.k, r.n);
  tabs[2] = rpt_simt_energy(&ctx, r.k, r.n);
  tabs[3] = rpt_simt_energy_classes(&ctx, r.k, r.n);
  tabs[4] = rpt_simt_timing(&ctx, r.k, r.n);
  if (!tabs[0] || !tabs[1] || !tabs[2] || !tabs[3] || !tabs[4]) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  sim_add_area_meta(tabs[0], g, NULL); /* the preset's die, whatever the layer */
  if (out) {
    em_outfile *x = out;
    out = NULL;
    if (write_dir(x, tabs, &d) != EM_OK) goto fail;
  } else {
    /* text and Markdown show all five tables; CSV and JSON one document, the
     * kernel table (-o DIR writes all five) */
    int ntab = o.fmt == RPT_FMT_TABLE || o.fmt == RPT_FMT_MD ? NTAB : 1;
    for (int i = 0; i < ntab; i++) {
      if (i) fputc('\n', stdout);
      if (sim_write_table(tabs[i], (rpt_format)o.fmt, "-", &d) != EM_OK) goto fail;
    }
  }
  rc = SIM_EXIT_OK;
  goto done;
fail:
  em_outfile_explain(out, &d);
  sim_fail(&d);
done:
  em_outfile_abort(out);
  for (int i = 0; i < NTAB; i++) rpt_table_destroy(tabs[i]);
  free(r.k);
  if (wk_made) simt_kernel_free(&wk);
  simt_trace_close(tr);
  wl_network_destroy(net);
  hw_point_destroy(g);
  cm_energy_table_destroy(et);
  return rc;
}
