/*
 * cmd_breakeven.c - `emlsim breakeven`: the speedup and energy of a sparse
 * format against dense over a sparsity sweep on one hardware model, the
 * fitted break-even model, and a gnuplot plot.  The model is a design point
 * of the model table (hw_model.h): --gpu, -c, --dataflow and --set are its
 * settings, and the sweep runs through hw_point_sparse (breakeven.h).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breakeven.h"
#include "cm_energy.h"
#include "em_checked.h"
#include "em_parse.h"
#include "em_pool.h"
#include "hw_model.h"
#include "plt_plot.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "wl_load.h"

static int cmd_breakeven(int argc, char **argv);

const sim_command sim_cmd_breakeven = {
    "breakeven", cmd_breakeven, "where a sparse format beats dense, simulated and modelled",
    "usage: emlsim breakeven <workload|gemm:MxNxK> [options]\n"
    "\n"
    "Sweeps the sparsity of one layer's weights, simulates the dense and the sparse\n"
    "product at each point on the chosen model, fits the study book's break-even\n"
    "model T_sparse = max((1-s)F/P_eff, B_sparse/BW) + T_overhead to the simulated\n"
    "curve (0 < P_eff <= P, T_overhead >= 0; P_eff from the model's own counters\n"
    "where it keeps them; s each point's realized sparsity, the pattern's fraction\n"
    "of zero weights), and finds the model's break-even sparsity by Brent's\n"
    "method, on the sparsity asked as the simulated ones, which, for latency and\n"
    "for energy, lie between the swept points, linear, or bisected with 4 more\n"
    "runs where the point before costs what dense does (a step). Each reads\n"
    "'breaks even' at a sparsity, 'never wins' or 'wins everywhere' (from the\n"
    "first point); the model gives none where its fit is over 20 % off, and\n"
    "agrees with the simulation only within 20 %. gemm:MxNxK is\n"
    "Y (N x M) = W (N x K) X (K x M): M activation columns (pixels x batch).\n"
    "The product is at most 2^26 weights (N x K) and 2^32 MACs, or 2^24 and 2^28\n"
    "and 2^20 outputs (M x N) on the SIMT model's CUDA cores (every format but\n"
    "N:M), so a sweep ends in minutes.\n"
    "\n"
    "  --arch A              simt (default), systolic, bitserial (BISMO 8x256x8) or\n"
    "                        xnor (FINN, PE 32 x SIMD 32)\n"
    "  --sparse F            the sparse format: csr (default), bsr (bsr2, bsr8, ...),\n"
    "                        mask, channel or N:M (2:4, 1:4, ...; simt: sparse tensor\n"
    "                        cores, ampere and jetson); systolic and bitserial\n"
    "                        also csc, coo, bitmap and rle; xnor only channel and\n"
    "                        mask (+1/-1 weights have no zeros to skip)\n"
    "  --layer NAME          the workload's layer (default: the one with the most MACs\n"
    "                        of those a sweep takes: ungrouped, within the bounds\n"
    "                        above)\n"
    "  --sparsity F:T:S      sweep from F to T in steps of S (default 0:0.95:0.05;\n"
    "                        0 <= F <= T <= 1, at most 1000 points: 0:1:0.001 is\n"
    "                        1001), printed with the decimals F and S have (3 at\n"
    "                        least, 12 at most)\n"
    "  --kernel K            simt CSR kernel: warp (row per warp, default) or thread\n"
    "  --gate                systolic: zero gating (energy only) instead of skipping\n"
    "  --gpu PRESET|FILE     simt GPU (default volta)\n"
    "  -c, --config FILE     systolic: a SCALE-Sim .cfg (default 32x32 os)\n"
    "  --dataflow os|ws|is   systolic dataflow (zero skipping: os and ws only)\n"
    "  --set KEY=VALUE       any setting of the model (emlsim models MODEL lists\n"
    "                        them), applied after the options above; repeatable\n"
    "  --bits W:A            systolic, bit-serial and xnor operand widths (default:\n"
    "                        the workload layer's own, else 8:8, xnor 1:1; xnor runs\n"
    "                        1-bit weights only)\n"
    "  --pattern P           where an unstructured format's zeros fall: uniform\n"
    "                        (default), magnitude (magnitude pruning of weights\n"
    "                        whose rows differ in scale: small rows lose more) or\n"
    "                        skewed (Zipf row lengths: a few rows full)\n"
    "  --seed N              pattern seed (default 1; 0 to 4294967295)\n"
    "  --jobs N              threads for the sweep's points (default 1); the\n"
    "                        output is the same for any N (lowered, with a note, to\n"
    "                        as many design points as fit the host memory budget:\n"
    "                        16 GiB, or EMLSIM_HOST_MEMORY)\n"
    "  --energy-table FILE   energy per operation and access (default: Horowitz\n"
    "                        45 nm); repeatable, up to 8: the tables are merged in\n"
    "                        order, a later one's row replacing an earlier one's of\n"
    "                        the same op, type, width and SRAM size\n"
    "  --format FMT          table (default), csv, json or md on stdout\n"
    "  -o, --output FILE     write the curve as CSV there\n"
    "  --plot FILE           draw speedup and energy gain against sparsity (gnuplot;\n"
    "                        SVG where FILE ends in .svg, PNG otherwise)\n"
    "  -h, --help            this help\n"
    "      --version         print the version\n"
    "\n"
    "An option of one model (--gpu, --kernel: simt; -c, --dataflow, --gate:\n"
    "systolic; --bits: all but simt) given with another is an error, and so is a\n"
    "--sparse format the model does not run, or --dataflow is with a format that\n"
    "skips zeros and no --gate.\n"};

enum { OPT_ARCH = 0x3200, OPT_FMT, OPT_LAYER, OPT_SP, OPT_KERNEL, OPT_GATE, OPT_GPU, OPT_DF,
       OPT_SET, OPT_BITS, OPT_SEED, OPT_JOBS, OPT_ENERGY, OPT_OUTFMT, OPT_PLOT, OPT_PATTERN };

typedef struct {
  const char *input, *layer, *gpu, *cfg, *out, *plot, *df, *kernel;
  sim_energy_tables energy; /* --energy-table, in order */
  const char *gpu_opt; /* the option that named gpu: "--gpu", or "--set gpu" (the last given) */
  bool gpu_flag;       /* --gpu given (refused on another model than simt) */
  bool pattern_given; /* --pattern: c.pattern */
  const char *sparsity; /* --sparsity as given (NULL: the default grid) */
  int sp_dec;           /* the sparsity column's decimals (SP_DECIMALS, parse) */
  const char *arch; /* the model's name in the table */
  const char *set[SIM_SETTINGS_MAX]; /* --set KEY=VALUE, in order */
  size_t nset;
  int outfmt;
  sim_bits bits;
  be_config c;
} opts_t;

/* The sparsity column's decimals (curve_table): SP_DECIMALS at least (the
 * default grid's 0.000, 0.050, ...), and as many as the grid's FROM and
 * STEP are written with, so that every point FROM + i x STEP prints
 * exactly and apart from the others, every row alike; SP_DECIMALS_MAX at
 * most, where a thousand points' sums in doubles (a few 1e-13 off) still
 * round to the grid's own figures. */
#define SP_DECIMALS 3
#define SP_DECIMALS_MAX 12
/* A break-even's decimals in the notes: 4 (between the points, as study
 * gives them), or the grid's where it has more */
#define NOTE_DEC(o) ((o)->sp_dec > 4 ? (o)->sp_dec : 4)

/* The decimals a number written in decimal (em_parse_f64's syntax: digits,
 * a '.', an exponent) has once its trailing zeros go: "0.0005" 4, "5e-4" 4,
 * "1.25e-3" 5, "0.0500" 2, "50e-3" 2, "1" 0.  INT_MAX past any bound. */
static int text_decimals(const char *t) {
  long frac = 0, zeros = 0, nonzero = 0;
  bool after = false;
  const char *p = t;
  for (; *p && *p != 'e' && *p != 'E'; p++) {
    if (*p == '.') {
      after = true;
      continue;
    }
    if (*p < '0' || *p > '9') continue; /* a sign */
    frac += after;
    zeros = *p == '0' ? zeros + 1 : 0; /* trailing zeros of the digits so far */
    nonzero += *p != '0';
  }
  if (!nonzero) return 0;
  long exp = 0;
  if (*p) {
    errno = 0;
    exp = strtol(p + 1, NULL, 10);
    if (errno || exp < -100000 || exp > 100000) return INT_MAX;
  }
  long dec = frac - exp - zeros;
  return dec < 0 ? 0 : dec > INT_MAX ? INT_MAX : (int)dec;
}

/* A grid value (a point, the step) as a note's prose gives it: exact at the
 * grid's decimals, without trailing zeros ("0.5", "0.9995", "0.05"). */
static const char *grid_text(char *buf, size_t size, double v, int dec) {
  snprintf(buf, size, "%.*f", dec, v);
  if (strchr(buf, '.')) {
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0') buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
  }
  return buf;
}

static int parse(int argc, char **argv, opts_t *o) {
  static const struct option lo[] = {
      {"arch", required_argument, NULL, OPT_ARCH},
      {"sparse", required_argument, NULL, OPT_FMT},
      {"layer", required_argument, NULL, OPT_LAYER},
      {"sparsity", required_argument, NULL, OPT_SP},
      {"kernel", required_argument, NULL, OPT_KERNEL},
      {"gate", no_argument, NULL, OPT_GATE},
      {"gpu", required_argument, NULL, OPT_GPU},
      {"config", required_argument, NULL, 'c'},
      {"dataflow", required_argument, NULL, OPT_DF},
      {"set", required_argument, NULL, OPT_SET},
      {"bits", required_argument, NULL, OPT_BITS},
      {"seed", required_argument, NULL, OPT_SEED},
      {"pattern", required_argument, NULL, OPT_PATTERN},
      {"jobs", required_argument, NULL, OPT_JOBS},
      {"energy-table", required_argument, NULL, OPT_ENERGY},
      {"format", required_argument, NULL, OPT_OUTFMT},
      {"output", required_argument, NULL, 'o'},
      {"plot", required_argument, NULL, OPT_PLOT},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION},
      {NULL, 0, NULL, 0}};
  int ch;
  optind = 1;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, ":hc:o:", lo, NULL)) != -1) {
    switch (ch) {
    case OPT_ARCH: {
      /* the models of the table that run sparse points */
      const hw_model *m = hw_model_find(optarg);
      if (!m || !m->sparse_point)
        return sim_usage_error("breakeven",
                               "'--arch' must be simt, systolic, bitserial or xnor, got '%s'",
                               optarg);
      o->arch = m->name;
      break;
    }
    case OPT_FMT:
      if (!cm_sparse_spec_parse(optarg, &o->c.fmt))
        return sim_usage_error("breakeven",
                               "'--sparse' must be dense, mask, csr, csc, coo, bsr[B] (B in "
                               "[1, %d]), N:M (1 <= N < M <= %d), bitmap, rle or channel, "
                               "got '%s'",
                               CM_SPARSE_BSR_MAX, CM_SPARSE_NM_MAX, optarg);
      break;
    case OPT_LAYER: o->layer = optarg; break;
    case OPT_SP: {
      /* each number read whole, as em_parse_f64 reads any (sscanf's %lf
       * took '1e:1:1' as 1, '0x0.8' as hex and skipped leading spaces);
       * at most 1000 points, counted as be_run counts them: 0:1:0.001 is
       * 1001 (it passed here as 1000 steps and failed in be_run, exit 1,
       * its error located at the workload) */
      char part[3][64];
      const char *p = optarg;
      bool ok = true;
      double *dst[3] = {&o->c.s_from, &o->c.s_to, &o->c.s_step};
      for (int i = 0; i < 3 && ok; i++) {
        size_t len = strcspn(p, ":");
        ok = len < sizeof part[i] && (p[len] == ':') == (i < 2);
        if (ok) {
          snprintf(part[i], sizeof part[i], "%.*s", (int)len, p);
          ok = em_parse_f64(part[i], dst[i]) == EM_OK;
          p += len + (i < 2);
        }
      }
      if (!ok || !(o->c.s_from >= 0) || !(o->c.s_to <= 1) || !(o->c.s_from <= o->c.s_to) ||
          !(o->c.s_step > 0) || !isfinite(o->c.s_step) ||
          floor((o->c.s_to - o->c.s_from) / o->c.s_step + 1e-9) + 1 > 1000)
        return sim_usage_error("breakeven",
                               "'--sparsity' must be FROM:TO:STEP with 0 <= FROM <= TO <= 1, "
                               "finite STEP > 0, at most 1000 points, got '%s'",
                               optarg);
      o->sparsity = optarg;
      /* each point is a row keyed by its sparsity: printed with the
       * decimals FROM and STEP have, the points come apart and exact
       * (0:0.002:0.0005 at four; at three, the table's one precision
       * before, its rows read 0.000, 0.001, 0.001, 0.002, 0.002, and
       * 0.0004:0.0005:0.0001 read 0.0004 and 0.001, %g below half a unit);
       * past SP_DECIMALS_MAX they would not be exact, and a STEP that fine
       * (1e-17) gives points that are not even apart as doubles */
      int dec = SP_DECIMALS, df = text_decimals(part[0]), ds = text_decimals(part[2]);
      if (df > dec) dec = df;
      if (ds > dec) dec = ds;
      if (dec > SP_DECIMALS_MAX)
        return sim_usage_error("breakeven",
                               "'--sparsity' FROM and STEP may have at most %d decimals, the "
                               "most the table prints its points exactly with, got '%s'",
                               SP_DECIMALS_MAX, optarg);
      o->sp_dec = dec;
      break;
    }
    case OPT_KERNEL:
      if (strcmp(optarg, "warp") && strcmp(optarg, "thread"))
        return sim_usage_error("breakeven", "'--kernel' must be warp or thread, got '%s'", optarg);
      o->kernel = optarg;
      o->c.csr_per_thread = strcmp(optarg, "thread") == 0;
      break;
    case OPT_GATE: o->c.gate = true; break;
    case OPT_GPU:
      o->gpu = optarg;
      o->gpu_opt = "--gpu";
      o->gpu_flag = true;
      break;
    case 'c': o->cfg = optarg; break;
    case OPT_DF:
      if (strcmp(optarg, "os") && strcmp(optarg, "ws") && strcmp(optarg, "is"))
        return sim_usage_error("breakeven", "'--dataflow' must be os, ws or is, got '%s'", optarg);
      o->df = optarg;
      break;
    case OPT_SET: {
      if (o->nset == SIM_SETTINGS_MAX)
        return sim_usage_error("breakeven", "more than %d settings", SIM_SETTINGS_MAX);
      o->set[o->nset++] = optarg;
      /* '--set gpu=FILE' is '--gpu FILE' on simt (sim_set_value; check_sets
       * passes it over there, and refuses it on another model) */
      const char *gpu = sim_set_value(optarg, "gpu");
      if (gpu) {
        o->gpu = gpu;
        o->gpu_opt = "--set gpu";
      }
      break;
    }
    case OPT_BITS:
      if (sim_bits_parse(optarg, &o->bits) != 0 || o->bits.w.fp || o->bits.a.fp ||
          o->bits.w.bits > 32 || o->bits.a.bits > 32)
        return sim_usage_error("breakeven", "'--bits' must be integer W:A of 1..32, got '%s'",
                               optarg);
      break;
    case OPT_PATTERN:
      if (!cm_sparse_pattern_parse(optarg, &o->c.pattern))
        return sim_usage_error("breakeven",
                               "'--pattern' must be uniform, magnitude or skewed, got '%s'",
                               optarg);
      o->pattern_given = true;
      break;
    case OPT_SEED:
      if (sim_parse_seed("breakeven", optarg, &o->c.seed)) return SIM_EXIT_USAGE;
      break;
    case OPT_JOBS:
      if (sim_parse_jobs("breakeven", optarg, &o->c.jobs)) return SIM_EXIT_USAGE;
      break;
    case OPT_ENERGY: {
      int rc = sim_energy_tables_add(&o->energy, "breakeven", optarg);
      if (rc >= 0) return rc;
      break;
    }
    case OPT_OUTFMT:
      o->outfmt = rpt_format_parse(optarg);
      if (o->outfmt < 0)
        return sim_usage_error("breakeven", "'--format' must be table, csv, json or md, got '%s'",
                               optarg);
      break;
    case 'o': /* '-' is refused below, for -o and --plot: the table goes there */
      if (sim_check_output("breakeven", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      o->out = optarg;
      break;
    case OPT_PLOT:
      if (sim_check_output("breakeven", "--plot", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      o->plot = optarg;
      break;
    case 'h': sim_print_usage(&sim_cmd_breakeven, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("breakeven", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("breakeven", argv[optind - 1], lo);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error("breakeven", optind == argc ? "missing <workload|gemm:MxNxK>"
                                                       : "expected one <workload|gemm:MxNxK>");
  o->input = argv[optind];
  /* the table goes to standard output: a CSV or a PNG there would be mixed
   * into it (the CSV came out, then the table) */
  if (o->out && strcmp(o->out, "-") == 0)
    return sim_usage_error("breakeven", "'-o -' would mix the CSV into the table on standard "
                                        "output: '--format csv' prints the curve there");
  if (o->plot && strcmp(o->plot, "-") == 0)
    return sim_usage_error("breakeven", "'--plot -' would mix the PNG into the table on "
                                        "standard output: give a file");
  /* options of another model are refused, not ignored */
  bool simt = strcmp(o->arch, "simt") == 0, sa = strcmp(o->arch, "systolic") == 0;
  const struct {
    const char *opt;
    bool given, fits;
    const char *models;
  } own[] = {{"--gpu", o->gpu_flag, simt, "simt"},
             {"--kernel", o->kernel != NULL, simt, "simt"},
             {"--config", o->cfg != NULL, sa, "systolic"},
             {"--dataflow", o->df != NULL, sa, "systolic"},
             {"--gate", o->c.gate, sa, "systolic"},
             {"--bits", o->bits.bits_given, !simt,
              "systolic, bitserial and xnor (simt runs fp32)"}};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (own[i].given && !own[i].fits)
      return sim_usage_error("breakeven", "'%s' applies to --arch %s, not %s", own[i].opt,
                             own[i].models, o->arch);
  /* the CSR kernel's choice: another format runs its own kernel (thread
   * and warp gave one answer on bsr, and nothing said the option did nothing) */
  if (o->kernel && o->c.fmt.fmt != CM_FMT_CSR) {
    char fmt[32];
    cm_sparse_spec_name(&o->c.fmt, fmt, sizeof fmt);
    return sim_usage_error("breakeven", "'--kernel' chooses the CSR kernel: not with --sparse %s",
                           fmt);
  }
  /* a structured format draws its own zeros (blocks, channels, N:M
   * groups): a pattern would change nothing */
  if (o->pattern_given && !be_takes_pattern(&o->c.fmt)) {
    char fmt[32];
    cm_sparse_spec_name(&o->c.fmt, fmt, sizeof fmt);
    return sim_usage_error("breakeven",
                           "'--pattern' places an unstructured format's zeros: not with "
                           "--sparse %s, whose structure places them",
                           fmt);
  }
  /* a format the model never runs is the command line's conflict (its
   * error came at the first sparse point, exit 1): the model table says
   * which (hw_sparse_refuses, whatever the configuration), and which
   * models run it */
  char fname[32], why[256];
  cm_sparse_spec_name(&o->c.fmt, fname, sizeof fname);
  if (hw_sparse_refuses(hw_model_find(o->arch), NULL, &o->c.fmt, o->c.gate, why, sizeof why)) {
    char runs[128] = "";
    const hw_model *const *ms = hw_models();
    size_t n = 0, k = 0;
    char w2[256];
    for (size_t i = 0; ms[i]; i++)
      n += !hw_sparse_refuses(ms[i], NULL, &o->c.fmt, o->c.gate, w2, sizeof w2);
    for (size_t i = 0; ms[i]; i++) {
      if (hw_sparse_refuses(ms[i], NULL, &o->c.fmt, o->c.gate, w2, sizeof w2)) continue;
      size_t len = strlen(runs);
      snprintf(runs + len, sizeof runs - len, "%s%s", k == 0 ? "" : k + 1 == n ? " and " : ", ",
               ms[i]->name);
      k++;
    }
    return sim_usage_error("breakeven", "'--sparse %s' applies to --arch %s, not %s: %s", fname,
                           n ? runs : "none", o->arch, why);
  }
  /* N:M has one point, its own sparsity: a grid would change nothing (it
   * ran the point 0.5 of 2:4 and said nothing of 0:0.9:0.1); a grid of
   * that one point is what runs, and is taken */
  double nm_s = o->c.fmt.fmt == CM_FMT_NM ? 1.0 - (double)o->c.fmt.n / o->c.fmt.m : 0;
  if (o->sparsity && o->c.fmt.fmt == CM_FMT_NM &&
      !(o->c.s_from == o->c.s_to && fabs(o->c.s_from - nm_s) < 5e-4))
    return sim_usage_error("breakeven",
                           "'--sparsity' sweeps a format's zeros: --sparse %u:%u has one point, "
                           "its sparsity 1 - %u/%u = %.4g",
                           o->c.fmt.n, o->c.fmt.m, o->c.fmt.n, o->c.fmt.m, nm_s);
  return -1;
}

/* The --set settings, each checked against the model's key table (a usage
 * error, exit 2) as the per-model commands check them; simt's 'gpu' is
 * o->gpu, the --gpu option's (parse). */
static int check_sets(const opts_t *o, sim_settings *s) {
  int rc;
  bool simt = strcmp(o->arch, "simt") == 0;
  for (size_t i = 0; i < o->nset; i++)
    if (!(simt && sim_set_value(o->set[i], "gpu")) &&
        (rc = sim_settings_add_kv(s, "breakeven", o->arch, o->set[i])) >= 0)
      return rc;
  return -1;
}

/* The design point (hw_model.h): the systolic array's .cfg (-c), then --gpu
 * (or '--set gpu') or --dataflow, then the --set settings in order. A GPU
 * file's or .cfg's errors name the file. The energy table is borrowed. */
static em_status make_point(const opts_t *o, const sim_settings *sets, const cm_energy_table *et,
                            hw_point **p, em_diag *d) {
  const char *all[SIM_SETTINGS_MAX + 1];
  char first[4200]; /* "gpu=" and a path, or "dataflow=os" */
  size_t n = 0;
  if (strcmp(o->arch, "simt") == 0 || o->df) {
    snprintf(first, sizeof first, o->df ? "dataflow=%s" : "gpu=%s",
             o->df ? o->df : o->gpu ? o->gpu : "volta");
    all[n++] = first;
  }
  for (size_t i = 0; i < sets->n; i++) all[n++] = sets->set[i];
  return hw_point_create(hw_model_find(o->arch), o->cfg, all, n, et, p, d);
}

/* The design point as the model describes it, after the model's name:
 * "systolic (16x16 ws, 64 kB SRAMs, USER 4 words/cycle, 1000 MHz)", "simt
 * (volta, 80 SMs, 1455 MHz)" (it said "a systolic array" whatever the
 * array, and named no clock, buffer or DRAM) */
static void point_name(const opts_t *o, const hw_point *p, char *buf, size_t size) {
  char desc[200];
  hw_point_describe(p, desc, sizeof desc);
  snprintf(buf, size, "%s (%s)", o->arch, desc);
}

/* The product is within the size a sweep of the design point's model takes
 * for the format (be_check_size: the model table's hw_sparse_limits, as
 * `emlsim study` asks it); o->c.hw is set. */
static em_status check_size(const opts_t *o, const char *path, uint64_t line,
                            const char *subject, uint64_t M, uint64_t N, uint64_t K, em_diag *d) {
  return be_check_size(&o->c, subject, N, K, M, path, line, d);
}

/* The product to sweep: gemm:MxNxK, or a workload's layer (into *shape,
 * whose kind is left WL_GEMM with m = 0 for gemm:MxNxK). */
static em_status pick(const opts_t *o, wl_prec dflt, char *name, size_t size, uint64_t *N,
                      uint64_t *K, uint64_t *M, wl_layer *shape, char *why, size_t wsize,
                      em_diag *d) {
  why[0] = '\0';
  if (strncmp(o->input, "gemm:", 5) == 0) {
    uint64_t v[3]; /* M, N, K in 64 bits, each range-checked: never wrapped */
    em_status ps = wl_gemm_spec(o->input, v, d);
    if (ps != EM_OK) return ps;
    char subject[300];
    snprintf(subject, sizeof subject, "'%s'", o->input);
    em_status cs = check_size(o, NULL, 0, subject, v[0], v[1], v[2], d);
    if (cs != EM_OK) return cs;
    *M = v[0];
    *N = v[1];
    *K = v[2];
    snprintf(name, size, "gemm %llux%llux%llu", (unsigned long long)v[0],
             (unsigned long long)v[1], (unsigned long long)v[2]);
    return EM_OK;
  }
  wl_network *net;
  sim_bits none = {0}; /* --bits is be_run's: the layer keeps its own widths */
  em_status s = sim_workload_load(o->input, &none, dflt, &net, d);
  if (s != EM_OK) return s;
  /* Without --layer: the layer with the most MACs of those a sweep can
   * take, ungrouped and within check_size's bounds, as the study picks its
   * arrays' layer (AlexNet: CONV-3; its CONV-2, with more MACs, is grouped).
   * The largest passed over says why when none is left. */
  const wl_layer *best = NULL, *over = NULL, *twice = NULL;
  uint64_t bestm = 0, overm = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const wl_layer *l = &net->layers[i];
    if (l->kind != WL_CONV && l->kind != WL_FC && l->kind != WL_GEMM) continue;
    wl_gemm_view v = wl_layer_gemm_view(l);
    if (o->layer) {
      if (strcmp(l->name, o->layer) != 0) continue;
      if (best) { /* two layers of that name: it swept the first, saying nothing */
        twice = l;
        break;
      }
      best = l;
      continue;
    }
    uint64_t macs = v.m * v.n * v.k * v.groups;
    if (v.groups != 1 || check_size(o, NULL, 0, "", v.m, v.n, v.k, NULL) != EM_OK) {
      if (macs > overm) {
        over = l;
        overm = macs;
      }
    } else if (macs > bestm) {
      best = l;
      bestm = macs;
    }
  }
  if (!best && over) best = over; /* its error below says why */
  if (twice) {
    s = em_diag_set(d, EM_ERR_INVALID, net->source, twice->src_line, 1,
                    "layer name '%s' is given twice (first on line %llu): --layer cannot tell "
                    "them apart",
                    o->layer, (unsigned long long)best->src_line);
  } else if (!best) {
    s = em_diag_set(d, EM_ERR_NOTFOUND, net->source, 0, 0,
                    o->layer ? "no conv, FC or GEMM layer named '%s'" : "no conv, FC or GEMM layer%s",
                    o->layer ? o->layer : "");
  } else {
    wl_gemm_view v = wl_layer_gemm_view(best);
    if (v.groups != 1) {
      s = em_diag_set(d, EM_ERR_UNSUPPORTED, net->source, best->src_line, 0,
                      "layer '%s' is grouped (%llu groups): sweep a dense layer", best->name,
                      (unsigned long long)v.groups);
    } else {
      char subject[300];
      snprintf(subject, sizeof subject, "layer '%s'", best->name);
      s = check_size(o, net->source, best->src_line, subject, v.m, v.n, v.k, d);
      *M = v.m;
      *N = v.n;
      *K = v.k;
      *shape = *best;
      snprintf(name, size, "%s %s", net->name, best->name);
      if (!o->layer && over && overm > bestm) {
        wl_gemm_view ov = wl_layer_gemm_view(over);
        snprintf(why, wsize,
                 "layer: %s, the one with the most MACs a sweep takes (the largest, %s, is %s; "
                 "--layer picks another)",
                 best->name, over->name,
                 ov.groups != 1 ? "grouped" : "past the size a sweep takes, in --help");
      } else if (!o->layer)
        snprintf(why, wsize, "layer: %s, the one with the most MACs (--layer picks another)",
                 best->name);
    }
  }
  wl_network_destroy(net);
  return s;
}

/* "simulated (latency): breaks even at sparsity 0.5500", "...: never wins
 * in the range", "...: wins everywhere in the range (from the first
 * point)", "model (Brent): poor fit (error over 20 %), no break-even". */
static void outcome_note(char *buf, size_t size, const char *what, cm_be_outcome oc, double s,
                         int dec) {
  switch (oc) {
  case CM_BE_CROSSES:
    snprintf(buf, size, "%s: breaks even at sparsity %.*f", what, dec, s);
    break;
  case CM_BE_NEVER: snprintf(buf, size, "%s: never wins in the range", what); break;
  case CM_BE_ALWAYS:
    snprintf(buf, size, "%s: wins everywhere in the range (from the first point)", what);
    break;
  case CM_BE_POOR_FIT:
    snprintf(buf, size, "%s: poor fit (error over %.0f %%), no break-even", what,
             100 * CM_BE_FIT_MAX_ERR);
    break;
  }
}

/* be_run's per-thread arrays hold --jobs's largest count */
_Static_assert(SIM_JOBS_MAX <= BE_JOBS_MAX, "--jobs passes BE_JOBS_MAX");

/* How a bisected break-even was found (be_run, breakeven.h). */
static void bisect_note(rpt_table *t, const char *what, const char *ratio, const be_bisected *b,
                        int dec) {
  if (!b->runs) return;
  char buf[512], zeros[128] = "";
  /* a structured pattern drops whole channels or blocks: the nominal
   * sparsity that first paid is not the zeros its run had */
  if (!isnan(b->realized_at))
    snprintf(zeros, sizeof zeros, "; the first run to pay had %.*f of its weights zero", dec,
             b->realized_at);
  snprintf(buf, sizeof buf,
           "bisected (%s): the %s is %.6f at %.*f, within %g %% of dense (a step, not a "
           "slope), so the simulated break-even was found between %.*f and %.*f with %u more "
           "runs, not interpolated next to %.*f%s",
           what, ratio, b->y_from, dec, b->from, 100 * BE_FLAT, dec, b->from, dec, b->to,
           b->runs, dec, b->from, zeros);
  rpt_table_add_note(t, buf);
}

/* A curve that crosses 1 and falls back under it (by more than BE_FLAT)
 * has more than one break-even: the first is the one given, and the later
 * fall said, so that a reader does not take the curve for monotonic (bsr8
 * on W 256 x 32 gained 1.004x at 0.22 and lost again at 0.24, silently). */
static void recross_note(rpt_table *t, const char *what, const char *ratio, const be_point *p,
                         size_t n, bool energy, int dec) {
  size_t first = n, back = n, below = 0;
  for (size_t i = 0; i < n; i++) {
    double y = energy ? p[i].energy_gain : p[i].speedup;
    if (first == n) {
      if (y > 1.0 + 1e-9) first = i;
    } else if (y < 1.0 - BE_FLAT) {
      if (back == n) back = i;
      below++;
    }
  }
  if (back == n) return;
  char buf[400];
  snprintf(buf, sizeof buf,
           "%s: the %s falls back under 1 after the break-even (%.3f at %.*f, %zu later "
           "point%s under 1 by more than %g %%): the curve crosses 1 more than once, and the "
           "break-even given is the first crossing",
           what, ratio, energy ? p[back].energy_gain : p[back].speedup, dec, p[back].s, below,
           below == 1 ? "" : "s", 100 * BE_FLAT);
  rpt_table_add_note(t, buf);
}

static rpt_table *curve_table(const char *title, const char *why, const be_point *p, size_t n,
                              const be_summary *sum, const opts_t *o) {
  const cm_be_fit *f = &sum->fit;
  const int nd = NOTE_DEC(o);
  /* the sparsity at the grid's decimals, every row alike; the realized
   * one at 4, or the grid's where it has more, to be read against it */
  rpt_column cols[] = {
      {"sparsity", RPT_F64, o->sp_dec}, {"dense_cycles", RPT_U64, 0},
      {"sparse_cycles", RPT_U64, 0},   {"speedup", RPT_F64, 3},
      {"dense_energy_pj", RPT_F64, 1}, {"sparse_energy_pj", RPT_F64, 1},
      {"storage_bytes", RPT_U64, 0},   {"metadata_bytes", RPT_U64, 0},
      {"model_cycles", RPT_F64, 0},    {"realized_sparsity", RPT_F64, nd},
      {"energy_gain", RPT_F64, 3}};
  rpt_table *t = rpt_table_create(title, cols, sizeof cols / sizeof cols[0]);
  if (!t) return NULL;
  for (size_t i = 0; i < n; i++) {
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    rpt_table_set_f64(t, 0, p[i].s);
    rpt_table_set_u64(t, 1, p[i].dense_cycles);
    rpt_table_set_u64(t, 2, p[i].sparse_cycles);
    /* a point whose sparse run takes no cycle (every channel pruned: the
     * layer is gone) has no finite speedup: n/a, as its energy gain */
    if (!isinf(p[i].speedup)) rpt_table_set_f64(t, 3, p[i].speedup);
    rpt_table_set_f64(t, 4, p[i].dense_energy_pj);
    rpt_table_set_f64(t, 5, p[i].sparse_energy_pj);
    rpt_table_set_u64(t, 6, p[i].storage_bytes);
    rpt_table_set_u64(t, 7, p[i].metadata_bytes);
    rpt_table_set_f64(t, 8, p[i].model_cycles);
    rpt_table_set_f64(t, 9, p[i].realized_s);
    if (!isinf(p[i].energy_gain)) rpt_table_set_f64(t, 10, p[i].energy_gain); /* none: n/a */
  }
  if (why[0]) rpt_table_add_note(t, why);
  char buf[640], bw[48];
  static const char *const src[] = {"fitted", "P (one point)",
                                     "each point's own from the simulator's counters: their mean"};
  /* a design without a DRAM limit (the systolic CALC interface): said in
   * words, not as the number that stands for it */
  if (f->BW >= BE_BW_NONE) snprintf(bw, sizeof bw, "none (no bandwidth limit)");
  else snprintf(bw, sizeof bw, "%.4g B/cycle", f->BW);
  char fit[64];
  /* one point: T_overhead is chosen to pass through it, so its error says nothing */
  if (n < 2) snprintf(fit, sizeof fit, "fitted through the one point");
  else snprintf(fit, sizeof fit, "fit error %.1f %% (rms relative)", 100.0 * f->fit_rms_rel_err);
  if (isnan(f->P)) /* no rate to fit under (cm_be_fit_model): it read "P = 1" */
    snprintf(buf, sizeof buf,
             "model: F = %.4g flops, B = %.4g bytes, BW = %s, no P (F over the dense run's "
             "cycles: %s), so no P_eff, T_overhead or model curve is fitted",
             f->F, f->B, bw, f->t_dense > 0 ? "no flops" : "it took none");
  else
    snprintf(buf, sizeof buf,
             "model: F = %.4g flops, B = %.4g bytes, BW = %s, P = %.4g flops/cycle (F over the "
             "dense run's cycles, not the peak), P_eff = %.4g flops/cycle (%s, at most P), "
             "T_overhead = %.4g cycles (at least 0); %s",
             f->F, f->B, bw, f->P, f->P_eff, src[f->peff_source], f->T_overhead, fit);
  rpt_table_add_note(t, buf);
  /* the model's s is each point's realized sparsity (cm_breakeven.h): said
   * where it departs from the sweep's by more than realized_sparsity's
   * decimals show (4, or the grid's: blocks of unequal size, whole
   * channels) */
  double apart = 0;
  for (size_t i = 0; i < n; i++)
    if (fabs(p[i].realized_s - p[i].s) > apart) apart = fabs(p[i].realized_s - p[i].s);
  if (!f->executes_all && apart >= 0.5 * pow(10.0, -nd)) {
    snprintf(buf, sizeof buf,
             "model: (1-s)F takes each point's realized_sparsity (the pattern's fraction of "
             "zero weights, up to %.*f from the sparsity asked); its break-even is read on the "
             "sparsity asked, as the simulated ones",
             nd, apart);
    rpt_table_add_note(t, buf);
  }
  /* the counters make the compute term the simulator's own busy cycles: a
   * reader recomputing model_cycles from the mean P_eff got 9,183 cycles
   * where the column said 5,199, and "agree" read as more than it is */
  if (f->peff_source == CM_BE_PEFF_COUNTERS && n > 1) {
    snprintf(buf, sizeof buf,
             "model: with each point's P_eff from the counters, (1-s)F/P_eff is that point's "
             "simulated busy cycles, so model_cycles is not the mean P_eff's; model and "
             "simulation then share the compute term, and their agreement tests the memory "
             "term and T_overhead only");
    rpt_table_add_note(t, buf);
  }
  if (f->peff_source == CM_BE_PEFF_FIT && !isnan(f->counters_rms_rel_err)) {
    if (f->counters_above)
      snprintf(buf, sizeof buf,
               "P_eff fitted: the simulator's counters exceed P at %zu point%s (the arithmetic "
               "is not the limit); capped at P their model is %.1f %% off",
               f->counters_above, f->counters_above == 1 ? "" : "s",
               100.0 * f->counters_rms_rel_err);
    else
      snprintf(buf, sizeof buf,
               "P_eff fitted: the simulator's counters give %.4g flops/cycle, whose model is "
               "%.1f %% off (over 20 %%)",
               f->counters_p_eff, 100.0 * f->counters_rms_rel_err);
    rpt_table_add_note(t, buf);
  }
  if (sum->dense_kernel[0]) {
    /* a model with kernels (the SIMT GPU) picks its dense reference among
     * several dense kernels, by time and, apart, by energy
     * (hw_point_sparse): "FASTEST (energy: LEAST)" where they differ, a
     * pair of figures from two runs, and neither need be the kernel the
     * model's own command runs for the layer (gemm:1x1000x4096, AlexNet
     * FC-3's shape, on volta: 53,117 cycles of gemv-unrolled with the
     * energy of block8-dense/8 here, 55,618 of 'gemm' in `emlsim simt`),
     * which the note, naming the kernels, said nothing of */
    const char *split = strstr(sum->dense_kernel, " (energy: ");
    size_t tl = strlen(sum->dense_kernel);
    if (split && tl > 0 && sum->dense_kernel[tl - 1] == ')') {
      const char *e = split + strlen(" (energy: ");
      snprintf(buf, sizeof buf,
               "dense reference: its cycles are the %.*s kernel's, the fastest of the model's "
               "dense kernels for this product, and its energy the %.*s kernel's, the least of "
               "theirs: two runs, not one, and neither need be the kernel `emlsim %s` runs for "
               "it",
               (int)(split - sum->dense_kernel), sum->dense_kernel,
               (int)(sum->dense_kernel + tl - 1 - e), e, o->arch);
    } else {
      snprintf(buf, sizeof buf,
               "dense reference: the %s kernel, the fastest of the model's dense kernels for "
               "this product and the least in energy; not necessarily the kernel `emlsim %s` "
               "runs for it, whose cycles may be more",
               sum->dense_kernel, o->arch);
    }
    rpt_table_add_note(t, buf);
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i].sparse_cycles != 0) continue;
    char sp[48];
    snprintf(buf, sizeof buf, "at sparsity %s every channel is pruned: the layer is gone (0 "
             "cycles, 0 pJ), so its speedup and energy gain are n/a",
             grid_text(sp, sizeof sp, p[i].s, o->sp_dec));
    rpt_table_add_note(t, buf);
    break;
  }
  /* a model that runs the format otherwise than its definition says so:
   * bit-serial csr, coo, rle and bitmap printed one table under four names */
  for (size_t i = 0; i < n; i++) {
    if (!p[i].runs_as) continue;
    char fname[32];
    cm_sparse_spec_name(&o->c.fmt, fname, sizeof fname);
    snprintf(buf, sizeof buf, "format '%s' as %s runs it: %s", fname, o->arch, p[i].runs_as);
    rpt_table_add_note(t, buf);
    break;
  }
  snprintf(buf, sizeof buf, "patterns: %s%sseed %llu, one pattern per sparsity (a point's "
           "depends on its sparsity and the seed alone, whichever grid reaches it)",
           be_takes_pattern(&o->c.fmt) ? cm_sparse_pattern_name(o->c.pattern) : "",
           be_takes_pattern(&o->c.fmt) ? ", " : "", (unsigned long long)o->c.seed);
  rpt_table_add_note(t, buf);
  /* A format at no zero does the dense MACs and reads its metadata too: it
   * cannot be faster than dense. Where it is, the buffers' fit is at work,
   * not the format: the sparse run's buffers hold the stored format, and a
   * model that refetches (the systolic array under a USER bandwidth keeps
   * SCALE-Sim's read-buffer accounting, which refetches by how an operand
   * falls into its buffer, not monotonically) refetches otherwise.  It
   * showed FC-3 on a 16x16 ws array at 4 words a cycle 134.6x faster at
   * sparsity 0, and 0.24x at 0.25, without a word. */
  for (size_t i = 0; i < n; i++) {
    bool faster = p[i].speedup > 1.0 + BE_FLAT;
    if (p[i].realized_s != 0.0 || !(faster || p[i].energy_gain > 1.0 + BE_FLAT)) continue;
    double x = f->B > 0 ? (double)sum->dense_dram_bytes / f->B : 0;
    char refetch[160] = "";
    if (x > 2)
      snprintf(refetch, sizeof refetch, "; the dense run moves %.1fx the bytes of W, X and Y "
                                        "to and from DRAM", x);
    snprintf(buf, sizeof buf,
             "at sparsity 0 the sparse run is %.3gx as %s as dense, though it does every "
             "dense MAC and reads its metadata too: its buffers, holding the stored format, "
             "refetch otherwise than the dense run's%s; the curve follows the buffers' fit "
             "more than the format (the systolic array keeps SCALE-Sim's read-buffer "
             "accounting: mode = closed gives compulsory traffic)",
             faster ? p[i].speedup : p[i].energy_gain, faster ? "fast" : "frugal", refetch);
    rpt_table_add_note(t, buf);
    break;
  }
  /* a model whose DRAM figures keep an accounting other than a bandwidth's
   * physics says so, as its own command does (a systolic USER interface:
   * CONV-3's bsr4 at 0.75 ran 11.46x faster than dense, past the 4x its
   * skipped MACs and weights allow, without a word) */
  {
    const char *lname = o->c.shape ? o->c.shape->name : "the product";
    char acct[EM_DIAG_MSG_MAX];
    if (hw_point_dram_note(o->c.hw, &lname, &sum->dense, 1, acct, sizeof acct)) {
      char note[EM_DIAG_MSG_MAX + 160];
      snprintf(note, sizeof note, "the dense reference: %s; the sparse points' runs keep it "
               "too, so a speedup can pass what the skipped work allows", acct);
      rpt_table_add_note(t, note);
    }
  }
  outcome_note(buf, sizeof buf, "simulated (latency)", f->sim, f->s_sim, nd);
  rpt_table_add_note(t, buf);
  bisect_note(t, "latency", "speedup", &sum->sim, nd);
  recross_note(t, "simulated (latency)", "speedup", p, n, false, nd);
  outcome_note(buf, sizeof buf, "model (Brent)", f->model, f->s_model, nd);
  if (isnan(f->P)) snprintf(buf, sizeof buf, "model (Brent): none fitted (no P), no break-even");
  if (f->model == CM_BE_NEVER && isfinite(f->s_model_beyond)) {
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len,
             "; its formula, the last two points' bytes carried on, would break even at %.*f, "
             "past the last point (%.*f)",
             nd, f->s_model_beyond, nd, p[n - 1].s);
  }
  rpt_table_add_note(t, buf);
  outcome_note(buf, sizeof buf, "simulated (energy)", f->energy, f->s_energy, nd);
  rpt_table_add_note(t, buf);
  bisect_note(t, "energy", "energy gain", &sum->energy, nd);
  recross_note(t, "simulated (energy)", "energy gain", p, n, true, nd);
  if (n < 2)
    snprintf(buf, sizeof buf, "model and simulation: not compared (one point; a curve needs "
                              "2 or more sparsities, --sparsity F:T:S)");
  else {
    char st[48];
    snprintf(buf, sizeof buf,
             "model and simulation %s (agreeing takes the same outcome, break-evens within one "
             "sweep step of %s, and a fit error of at most %.0f %%)",
             f->agree ? "agree" : "DISAGREE", grid_text(st, sizeof st, o->c.s_step, o->sp_dec),
             100 * CM_BE_FIT_MAX_ERR);
  }
  rpt_table_add_note(t, buf);
  return t;
}

static int cmd_breakeven(int argc, char **argv) {
  opts_t o;
  memset(&o, 0, sizeof o);
  o.outfmt = RPT_FMT_TABLE;
  o.arch = "simt";
  o.gpu_opt = "--gpu";
  cm_sparse_spec_parse("csr", &o.c.fmt);
  o.c.s_from = BE_FROM;
  o.c.s_to = BE_FROM + (BE_POINTS - 1) * BE_STEP;
  o.c.s_step = BE_STEP;
  o.sp_dec = SP_DECIMALS;
  o.c.seed = 1;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  em_diag d;
  em_diag_clear(&d);
  uint64_t gv[3];
  /* a malformed gemm:MxNxK is a command-line error, as any other argument's */
  if (strncmp(o.input, "gemm:", 5) == 0 && wl_gemm_spec(o.input, gv, &d) != EM_OK)
    return sim_usage_error("breakeven", "%s", d.msg);
  sim_settings sets = {.n = 0};
  if ((rc = check_sets(&o, &sets)) >= 0) return rc;
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(o.input),
                              {EM_IO_INPUT, o.gpu_opt, sim_gpu_file(o.gpu)},
                              {EM_IO_INPUT, "--config", o.cfg},
                              SIM_IO_ENERGY(o.energy),
                              {EM_IO_OUT_FILE, "-o", o.out},
                              {EM_IO_OUT_FILE, "--plot", o.plot}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK ||
      (o.plot && sim_need_gnuplot(&d) != EM_OK))
    return sim_fail(&d);
  /* -o and --plot: both or neither, their temporaries made before the run
   * (beside each target), so that an output that cannot be written (a
   * folder of /proc, one not writable) fails at once, not after the
   * sparsity points; every failure below aborts them */
  em_outfile *outs[2] = {NULL, NULL};
  if ((o.out && em_outfile_open(o.out, &outs[0], &d) != EM_OK) ||
      (o.plot && em_outfile_open_tmp(o.plot, &outs[1], &d) != EM_OK)) {
    em_outfile_abort(outs[0]);
    return sim_fail(&d);
  }
  /* --bits, else a workload layer's own widths, else the model's default
   * (int8 on the systolic and bit-serial arrays, binary on the XNOR array):
   * be_run's choice */
  if (o.bits.bits_given) {
    o.c.w = o.bits.w;
    o.c.a = o.bits.a;
  }
  cm_energy_table *et = NULL;
  hw_point *hw = NULL;
  be_point *p = NULL;
  size_t n = 0;
  be_summary sum;
  rpt_table *t = NULL;
  char name[200], where[256], why[400];
  uint64_t N = 0, K = 0, M = 0;
  wl_layer shape = {.kind = WL_GEMM}; /* the workload's layer: the model runs it as such */
  rc = SIM_EXIT_ERROR;
  if (cm_energy_tables_load(o.energy.path, o.energy.n, &et, &d) != EM_OK ||
      make_point(&o, &sets, et, &hw, &d) != EM_OK)
    goto fail;
  /* a format the design point cannot run (the systolic array's is
   * dataflow skips no zeros): the command line's conflict where
   * '--dataflow' chose it, the design point's (exit 1, at the input) where
   * a '--set' or the -c file did */
  {
    char cant[256];
    if (hw_sparse_refuses(hw_point_model(hw), hw_point_config(hw), &o.c.fmt, o.c.gate, cant,
                          sizeof cant)) {
      bool df_set = false; /* a '--set dataflow=...' is applied after --dataflow */
      for (size_t i = 0; i < sets.n; i++) df_set |= strncmp(sets.set[i], "dataflow=", 9) == 0;
      char fname[32];
      cm_sparse_spec_name(&o.c.fmt, fname, sizeof fname);
      if (o.df && !df_set) {
        rc = sim_usage_error("breakeven", "'--dataflow %s' with '--sparse %s': %s", o.df, fname,
                             cant);
        goto done;
      }
      /* the GPU the command line chose (--gpu or '--set gpu', or the
       * default volta), not a setting over it */
      bool gpu_set = false;
      for (size_t i = 0; i < sets.n; i++)
        gpu_set |= strncmp(sets.set[i], "sparse_tensor=", 14) == 0;
      if (strcmp(o.arch, "simt") == 0 && !gpu_set) {
        rc = o.gpu ? sim_usage_error("breakeven", "'%s%s%s' with '--sparse %s': %s", o.gpu_opt,
                                     strcmp(o.gpu_opt, "--gpu") == 0 ? " " : "=",
                                     o.gpu, fname, cant)
                   : sim_usage_error("breakeven", "'--sparse %s' on the default GPU, volta: %s",
                                     fname, cant);
        goto done;
      }
      em_diag_set(&d, EM_ERR_UNSUPPORTED, o.input, 0, 0, "%s", cant);
      goto fail;
    }
  }
  /* a setting that changes nothing at the point is refused, as emlsim
   * systolic refuses it (hw_point_key_idle): 'bandwidth' in CALC mode ran
   * unbounded and the fit said "BW = none" */
  if ((rc = sim_settings_idle(&sets, "breakeven", hw, "")) >= 0) goto done;
  rc = SIM_EXIT_ERROR;
  o.c.hw = hw; /* the model's limits on the product (check_size) */
  if (pick(&o, hw_point_model(hw)->default_prec, name, sizeof name, &N, &K, &M, &shape, why,
           sizeof why, &d) != EM_OK)
    goto fail;
  if (shape.kind != WL_GEMM || shape.m) o.c.shape = &shape;
  /* one point's thread over the run's budget: refused, as a GPU or an
   * array too large to model is, not run past it */
  uint64_t each = be_thread_bytes(&o.c, N, K, M);
  if (each > em_host_budget()) {
    char eb[32], bb[32];
    em_bytes_text(each, eb, sizeof eb);
    em_bytes_text(em_host_budget(), bb, sizeof bb);
    em_diag_set(&d, EM_ERR_LIMIT, NULL, 0, 0,
                "%s: a sparse point holds up to %s of host memory (the design point, the N x K "
                "pattern and its generator's arrays), more than the %s a run may hold (%s)",
                name, eb, bb, EM_HOST_ENV);
    goto fail;
  }
  if (o.c.jobs > 1) /* the note where be_run lowers --jobs (be_jobs) */
    sim_jobs_within("breakeven", o.c.jobs, o.c.jobs, each, "design point and pattern");
  point_name(&o, hw, where, sizeof where);
  if (be_run(&o.c, N, K, M, &p, &n, &sum, &d) != EM_OK) {
    /* a model's refusal names its kernel or layer: the run's error, on this
     * point (neither the input nor the GPU's file is at fault); the sweep's
     * own refusals name the input */
    if (!sim_diag_on(&d, NULL, where)) sim_diag_locate(&d, o.input);
    goto fail;
  }
  char fmt[32], title[640];
  cm_sparse_spec_name(&o.c.fmt, fmt, sizeof fmt);
  char wb[16], ab[16];
  wl_prec_format(sum.w, wb, sizeof wb);
  wl_prec_format(sum.a, ab, sizeof ab);
  snprintf(title, sizeof title, "Break-even of %s on %s at %s:%s: %s (N %llu, K %llu, M %llu)",
           fmt, where, wb, ab, name, (unsigned long long)N, (unsigned long long)K,
           (unsigned long long)M);
  t = curve_table(title, why, p, n, &sum, &o);
  if (!t) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  { /* the run's inputs, which the JSON's "inputs" carries (it was empty:
     * a curve's file did not say which seed drew its patterns) */
    char v[64];
    rpt_table_add_meta(t, "design", where);
    rpt_table_add_meta(t, "product", name);
    rpt_table_add_meta(t, "format", fmt);
    snprintf(v, sizeof v, "%s:%s", wb, ab);
    rpt_table_add_meta(t, "bits", v);
    if (be_takes_pattern(&o.c.fmt))
      rpt_table_add_meta(t, "pattern", cm_sparse_pattern_name(o.c.pattern));
    snprintf(v, sizeof v, "%llu", (unsigned long long)o.c.seed);
    rpt_table_add_meta(t, "seed", v);
  }
  if (o.out) {
    errno = 0;
    if (rpt_table_write(t, RPT_FMT_CSV, em_outfile_fp(outs[0])) != EM_OK) {
      em_diag_set(&d, EM_ERR_IO, o.out, 0, 0, "write error: %s",
                  em_errno_text(errno));
      goto fail;
    }
  }
  if (o.plot) {
    double *x = malloc(n * sizeof *x), *ys = malloc(n * sizeof *ys), *ym = malloc(n * sizeof *ym),
           *ye = malloc(n * sizeof *ye);
    if (!x || !ys || !ym || !ye) {
      free(x), free(ys), free(ym), free(ye);
      em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto fail;
    }
    for (size_t i = 0; i < n; i++) {
      x[i] = p[i].s;
      ys[i] = p[i].speedup; /* an infinite one is left out, not drawn at 0 */
      ym[i] = p[i].model_cycles > 0 ? sum.fit.t_dense / p[i].model_cycles : 0;
      ye[i] = p[i].energy_gain;
    }
    /* each legend entry names its outcome, so that "never wins" and "wins
     * everywhere" read apart; the marker is the model's break-even, if any */
    char ls[3][160];
    outcome_note(ls[0], sizeof ls[0], "simulated speedup", sum.fit.sim, sum.fit.s_sim,
                 NOTE_DEC(&o));
    outcome_note(ls[1], sizeof ls[1], "model (fitted)", sum.fit.model, sum.fit.s_model,
                 NOTE_DEC(&o));
    outcome_note(ls[2], sizeof ls[2], "simulated energy gain", sum.fit.energy, sum.fit.s_energy,
                 NOTE_DEC(&o));
    plt_series s[3] = {{ls[0], x, ys, n, "linespoints lw 2 pt 7"},
                       {ls[1], x, ym, n, "lines dt 2 lw 2"},
                       {ls[2], x, ye, n, "linespoints lw 1 pt 6"}};
    plt_spec ps = {title, "sparsity (fraction of zero weights)", "speedup (energy gain) over dense",
                   1.0, sum.fit.model == CM_BE_CROSSES ? sum.fit.s_model : -1.0};
    em_status st = plt_xy_png(em_outfile_tmp(outs[1]), &ps, s, 3, &d);
    free(x), free(ys), free(ym), free(ye);
    if (st != EM_OK) goto fail;
  }
  /* the table first: the commit fails (and writes nothing) where standard
   * output could not take it */
  if (sim_write_table(t, (rpt_format)o.outfmt, "-", &d) != EM_OK) goto fail;
  {
    em_status cs = em_outfile_commit_all(outs, 2, &d);
    outs[0] = outs[1] = NULL;
    if (cs != EM_OK) goto fail;
  }
  rc = SIM_EXIT_OK;
  goto done;
fail:
  for (int i = 0; i < 2; i++) em_outfile_explain(outs[i], &d);
  sim_fail(&d);
done:
  for (int i = 0; i < 2; i++) em_outfile_abort(outs[i]);
  rpt_table_destroy(t);
  free(p);
  hw_point_destroy(hw);
  cm_energy_table_destroy(et);
  return rc;
}
