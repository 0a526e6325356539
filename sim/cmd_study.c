/*
 * cmd_study.c - `emlsim study`: one workload on every hardware model and bit
 * width, a sparsity sweep, and a report (report.md, a self-contained
 * report.html, CSV tables, plots as PNG and SVG).  `make run` runs it on the
 * embedded default: AlexNet at fp32, int8, int4 and binary.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_version.h>

#include "breakeven.h"
#include "cm_cost.h"
#include "cm_energy.h"
#include "cm_pareto.h"
#include "em_outfile.h"
#include "em_pool.h"
#include "em_parse.h"
#include "plt_plot.h"
#include "rpt_doc.h"
#include "rpt_table.h"
#include "hw_model.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "nn_stats.h"
#include "study_cnn.h"

static int cmd_study(int argc, char **argv);

const sim_command sim_cmd_study = {
    "study", cmd_study, "the main job: a workload on every model and bit width, with a report",
    "usage: emlsim study [<workload>] [options]\n"
    "\n"
    "Runs a workload on every hardware model (the closed-form cost model, the\n"
    "systolic array, the BISMO bit-serial array, the FINN XNOR array and the\n"
    "SIMT GPU) at each bit width the model can run, sweeps weight sparsity on\n"
    "its largest layers, and writes DIR/report.md, a self-contained\n"
    "DIR/report.html, the CSV tables and DIR/plots/ (PNG and SVG).  Beside\n"
    "the workload it runs the study book's SimpleCNN with its Fashion-MNIST\n"
    "accuracy at each width (trained once and cached; without the data set,\n"
    "unless --data or --accuracy asked for it, the report says accuracy was\n"
    "not measured), each integer width against fp32 on the same test images\n"
    "(McNemar's exact test, with the difference's 95 % interval,\n"
    "DIR/accuracy.csv) and every two widths against\n"
    "each other (DIR/accuracy_pairs.csv; the summary's pareto_noise is the\n"
    "front with the pairs it does not tell apart counted equally accurate).\n"
    "The report opens with its conclusions: per width, the best design for\n"
    "latency, energy, energy-delay product and per mm^2.\n"
    "\n"
    "  --workload W      built-in network, topology CSV or gemm:MxNxK (default\n"
    "                    alexnet); the same as <workload>\n"
    "  --arch LIST       of analytic, systolic, bitserial, xnor, simt (default all)\n"
    "  --bits LIST       of fp32, fp16, int8, int4, int2, binary (default\n"
    "                    fp32,int8,int4,binary); not the sparsity sweeps', which\n"
    "                    run at their own widths whatever it says (systolic\n"
    "                    int8, bitserial int4, xnor binary, the GPU fp32)\n"
    "  --sparsity LIST   sparsities of the break-even sweep, 2 or more, run exactly\n"
    "                    as given and increasing at four decimals (default\n"
    "                    0,0.05,...,0.95, the points of `emlsim breakeven`;\n"
    "                    'none' skips it)\n"
    "  --gpu PRESET      SIMT GPU (default volta)\n"
    "  --set M.KEY=VALUE a setting of model M's design, as everywhere else\n"
    "                    (emlsim models M; the GPU's as emlsim simt --gpu-help\n"
    "                    lists them, simt.n_sm=8), e.g. --set systolic.rows=64\n"
    "                    (repeatable; each design is otherwise its model's\n"
    "                    default)\n"
    "  -c, --config CFG  the systolic array's SCALE-Sim .cfg (its --set settings\n"
    "                    applied after it)\n"
    "  --repeat N        runs of each fast model for the p50/p90 times, 1 to 32\n"
    "                    (default 5)\n"
    "  --jobs N          threads for the SIMT layers and the break-even sweeps\n"
    "                    (default 2; lowered, with a note, to as many GPU models\n"
    "                    as fit the host memory budget: 16 GiB, or\n"
    "                    EMLSIM_HOST_MEMORY)\n"
  "  --accuracy A      simplecnn (default): also run the study book's SimpleCNN\n"
  "                    on every model and width, with its Fashion-MNIST test\n"
  "                    accuracy at each width; none: cost only (and no --data\n"
  "                    or --cache)\n"
  "  --data DIR        the Fashion-MNIST IDX files (default\n"
  "                    /usr/share/datasets/fashion-mnist)\n"
  "  --cache DIR       where the trained SimpleCNN is kept between runs (default\n"
  "                    the build folder's cache/; 'none': train every time)\n"
    "  -o, --output DIR  the folder the report goes to (default study)\n"
    "  --quiet           no progress (on a terminal) and no summary line\n"
    "  -h, --help        this help\n"
    "      --version     print the version\n"};

enum { A_ANALYTIC, A_SYSTOLIC, A_BITSERIAL, A_XNOR, A_SIMT, A_COUNT };
static const char *const arch_names[A_COUNT] = {"analytic", "systolic", "bitserial", "xnor",
                                                "simt"};

typedef struct {
  const char *name;
  wl_prec p;
} bits_t;
static const bits_t bits_known[] = {{"fp32", {32, true}}, {"fp16", {16, true}},
                                    {"int8", {8, false}}, {"int4", {4, false}},
                                    {"int2", {2, false}}, {"binary", {1, false}}};
#define NBITS_KNOWN (sizeof bits_known / sizeof bits_known[0])

#define MAX_SP 64
/* two workloads (the study's and the SimpleCNN beside it) on every model
 * at every width */
#define NRUNS_MAX (2 * A_COUNT * NBITS_KNOWN)
/* The common clock the report also gives every design at, MHz: the
 * systolic array's (SCALE-Sim's default), between the arrays' 200 MHz and
 * the GPUs' 1.1-1.5 GHz. */
#define STUDY_COMMON_MHZ 1000.0
/* A margin under this is a close call (the conclusions' note): about the
 * one check against silicon any model has, the GPU's power to within
 * AccelWattch's published 9.2 % mean absolute error of a V100's measured
 * watts (tests/cli/simt_wmma.sh).  The arrays are not checked against
 * silicon at all (their cycles against SCALE-Sim and BISMO's and FINN's
 * formulas, their energy priced from Horowitz's table), so a margin over it
 * is not known to be decided either; the note says what each is checked
 * to. */
#define STUDY_CLOSE 1.10
/* The area model's largest error against a published figure
 * (costmodel/README.md, "Area and leakage": the 32-bit multiplier +98 %
 * over Horowitz's; the 8-bit one +33 %, the 8-bit MAC +74 %): a per mm^2
 * margin under it is not decided by the area model. */
#define STUDY_AREA_ERR 1.98
/* DRAM prices the energy is given at: cm_dram_prices' and the table's own */
#define PRICES_MAX 8
/* dram_prices.csv's memory of the GPU's one row where it prices its DRAM
 * at its own interface (its dram_pj_per_bit setting), not the table's */
#define STUDY_GPU_OWN_DRAM "the GPU's own interface"
/* The most layers an energy-per-layer chart draws: those that draw the
 * most energy (a chart of 10^5 bars is 230 MB of SVG and says nothing) */
#define STUDY_LAYER_BARS 64

/* qsort: larger first */
static int desc_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

typedef struct {
  const char *workload, *gpu, *out;
  int accuracy;          /* 1: the SimpleCNN's accuracy beside its cost */
  int accuracy_asked;    /* --accuracy or --data given: a missing data set is an error */
  const char *data, *cache;
  int arch[A_COUNT];
  int bits[NBITS_KNOWN];
  double sp[MAX_SP];
  size_t nsp;
  unsigned repeat, jobs;
  sim_settings sets[A_COUNT]; /* --set MODEL.KEY=VALUE, per model */
  const char *sa_cfg;         /* -c: the systolic array's .cfg */
} opts_t;

/* One (architecture, bit width) run: per layer and in total. */
typedef struct {
  int arch;
  int bits;
  int wl;        /* 0: the study's workload; 1: the SimpleCNN beside it */
  double acc_pct; /* test accuracy at this width, NAN where not modelled */
  double e[HW_E_COUNT]; /* energy per component over the network, pJ */
  /* energy over the network, pJ, with DRAM at each price of the study's
   * dram_prices (the table's own: energy_pj); NAN where not priced */
  double e_price[PRICES_MAX];
  double ed_price[PRICES_MAX]; /* its DRAM energy alone there, pJ */
  /* the same design run again at STUDY_COMMON_MHZ (its freq_mhz setting):
   * latency, energy and static energy; latency 0 where not run (the GPU,
   * the closed-form model) */
  double lat_common_us, e_common_pj, static_common_pj;
  /* the same design run again with its DRAM unbounded (unbound_runs: its
   * model's bandwidth key at the top of its range), at its own clock:
   * latency and energy; latency 0 where not run (a design already without
   * a bound, the GPU, the closed-form model) */
  double lat_unb_us, e_unb_pj;
  char unb_set[96]; /* the setting it ran again with, "" where not */
  double area_mm2;      /* the design point's area, 0: not modelled */
  uint64_t inferences;  /* in a run of the workload: its batch (0: its layers' differ) */
  unsigned area_nm;     /* its technology node, nm (0: not modelled) */
  const char *area_src; /* where the area comes from (hw_area.source, static; NULL: unknown) */
  const char *leak_gated; /* hw_area.leak_gated of its layers (static), NULL: none */
  const char *layer_adds; /* hw_area.layer_adds: what its area grows by with a layer */
  /* 1: its static energy is its model's own (hw_area.leakage_mw 0: the
   * GPU's board and chip power), not leakage from its area */
  int own_static;
  double leak_max_mw;     /* its layers' largest leakage power (static energy over time) */
  double dram_gbps;       /* the DRAM bandwidth it holds layers to (hw_point_dram_gbps) */
  double freq_mhz;      /* the clock, 0: none (analytic) */
  /* the GPU pricing its DRAM at its own interface (its dram_pj_per_bit
   * setting), not the energy table's: its energy is the same at every
   * table price, and it is not run again at them; 0 elsewhere (the GPU at
   * dram_pj_per_bit = 0 prices DRAM from the table, as the arrays do) */
  int own_dram;
  /* the design point it ran, as its model describes it (hw_point_describe),
   * kept here: the point is gone when the report is written */
  char design[96];
  size_t nl;
  int skipped; /* the model cannot run this width: note says why */
  uint64_t *cycles;
  hw_result *res;       /* per layer, from the model table */
  double *ec, *es, *ed; /* compute, SRAM, DRAM energy per layer, pJ */
  uint64_t total_cycles;
  double latency_us, energy_pj, bops;
  double wall[32];
  unsigned nwall;
  double p50, p90;
  int front;
  int in_front; /* 1: competes for its workload's front (0: n/a) */
  /* where accuracy is modelled: the front with accuracies that McNemar's
   * test does not tell apart counted equal */
  int front_noise;
  char note[200];
  /* what its model says of its DRAM figures' accounting (hw_point_dram_note:
   * a systolic USER interface keeps SCALE-Sim's), "" where nothing */
  char dram_note[EM_DIAG_MSG_MAX];
  /* what its model says of its layers' figures together (hw_point_run_note:
   * the bit-serial array's K padding), "" where nothing */
  char run_note[400];
} run_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A comma list as the options take it: at least one item, none empty
 * (strtok_r passed over ",," and a leading comma: '0,,0.5' read as 0,0.5,
 * '' as no model at all), and shorter than the buffer it is copied into
 * (a longer one was cut). */
static bool list_ok(const char *s, size_t buf) {
  if (!s[0] || strlen(s) >= buf || s[0] == ',' || s[strlen(s) - 1] == ',') return false;
  return strstr(s, ",,") == NULL;
}

static int parse_list(char *s, int *flags, const char *const *names, size_t n) {
  for (size_t i = 0; i < n; i++) flags[i] = 0;
  for (char *save = NULL, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    size_t i = 0;
    while (i < n && strcmp(t, names[i]) != 0) i++;
    if (i == n) return -1;
    flags[i] = 1;
  }
  return 0;
}

static int parse(int argc, char **argv, opts_t *o) {
  static const struct option lo[] = {{"workload", required_argument, NULL, 'w'},
                                     {"arch", required_argument, NULL, 'a'},
                                     {"bits", required_argument, NULL, 'b'},
                                     {"sparsity", required_argument, NULL, 's'},
                                     {"gpu", required_argument, NULL, 'g'},
                                     {"repeat", required_argument, NULL, 'r'},
                                     {"jobs", required_argument, NULL, 'j'},
                                     {"output", required_argument, NULL, 'o'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"accuracy", required_argument, NULL, 'A'},
                                     {"data", required_argument, NULL, 'D'},
                                     {"cache", required_argument, NULL, 'C'},
                                     {"set", required_argument, NULL, 'S'},
                                     {"config", required_argument, NULL, 'c'},
                                     {"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, SIM_OPT_VERSION},
                                     {NULL, 0, NULL, 0}};
  static char abuf[256], bbuf[256], sbuf[1024];
  const char *bn[NBITS_KNOWN];
  for (size_t i = 0; i < NBITS_KNOWN; i++) bn[i] = bits_known[i].name;
  int c;
  uint64_t v;
  bool wflag = false; /* --workload given */
  bool gflag = false; /* --gpu given */
  bool dflag = false, cflag = false; /* --data, --cache given */
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:c:", lo, NULL)) != -1) {
    switch (c) {
    case 'w':
      o->workload = optarg;
      wflag = true;
      break;
    case 'S': { /* MODEL.KEY=VALUE: checked against the model's key table */
      size_t ml = strcspn(optarg, ".=");
      int a = 0;
      while (a < A_COUNT && (strlen(arch_names[a]) != ml || strncmp(optarg, arch_names[a], ml)))
        a++;
      if (optarg[ml] != '.' || a == A_COUNT)
        return sim_usage_error("study", "'--set' takes MODEL.KEY=VALUE, MODEL one of systolic, "
                                        "bitserial, xnor, simt, got '%s'", optarg);
      if (a == A_SIMT && strncmp(optarg + ml + 1, "gpu=", 4) == 0)
        return sim_usage_error("study", "'--set %s': the GPU is '--gpu'", optarg);
      int rc = sim_settings_add_kv(&o->sets[a], "study", arch_names[a], optarg + ml + 1);
      if (rc >= 0) return rc;
      break;
    }
    case 'c': o->sa_cfg = optarg; break;
    case 'a':
      snprintf(abuf, sizeof abuf, "%s", optarg);
      if (!list_ok(optarg, sizeof abuf) || parse_list(abuf, o->arch, arch_names, A_COUNT) != 0)
        return sim_usage_error("study",
                               "'--arch' takes analytic, systolic, bitserial, xnor, simt, got '%s'",
                               optarg);
      break;
    case 'b':
      snprintf(bbuf, sizeof bbuf, "%s", optarg);
      if (!list_ok(optarg, sizeof bbuf) || parse_list(bbuf, o->bits, bn, NBITS_KNOWN) != 0)
        return sim_usage_error("study",
                               "'--bits' takes fp32, fp16, int8, int4, int2, binary, got '%s'",
                               optarg);
      break;
    case 's':
      o->nsp = 0;
      if (strcmp(optarg, "none") == 0) break;
      if (!list_ok(optarg, sizeof sbuf))
        return sim_usage_error("study",
                               "'--sparsity' takes up to %d values in [0, 0.99], increasing "
                               "at four decimals, got '%s'",
                               MAX_SP, optarg);
      snprintf(sbuf, sizeof sbuf, "%s", optarg);
      for (char *save = NULL, *t = strtok_r(sbuf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        double x;
        /* increasing at four decimals, the precision the tables print:
         * every point's key is unique */
        if (o->nsp == MAX_SP || em_parse_f64(t, &x) != EM_OK || x < 0 || x > 0.99 ||
            (o->nsp && llround(x * 1e4) <= llround(o->sp[o->nsp - 1] * 1e4)))
          return sim_usage_error("study",
                                 "'--sparsity' takes up to %d values in [0, 0.99], increasing "
                                 "at four decimals, got '%s'",
                                 MAX_SP, optarg);
        if (x == 0) x = 0; /* "-0" is 0: its key, and the tables' "-0.0000" */
        o->sp[o->nsp++] = x;
      }
      if (o->nsp < 2) /* one point is no curve: it would skip the sweep unsaid */
        return sim_usage_error("study",
                               "'--sparsity' takes 2 to %d values (a curve), or 'none', got '%s'",
                               MAX_SP, optarg);
      break;
    case 'g':
      o->gpu = optarg;
      gflag = true;
      break;
    case 'r':
      if (em_parse_u64(optarg, &v) != EM_OK || v < 1 || v > 32)
        return sim_usage_error("study", "'--repeat' must be in [1, 32], got '%s'", optarg);
      o->repeat = (unsigned)v;
      break;
    case 'j':
      if (sim_parse_jobs("study", optarg, &o->jobs)) return SIM_EXIT_USAGE;
      break;
    case 'o': /* a folder: '-' is no standard output here, nor a folder to make */
      if (sim_check_output("study", "-o", optarg, "a folder", "a folder of reports"))
        return SIM_EXIT_USAGE;
      o->out = optarg;
      break;
    case 'q': sim_quiet_set(1); break;
    case 'A':
      if (strcmp(optarg, "simplecnn") == 0) o->accuracy = 1;
      else if (strcmp(optarg, "none") == 0) o->accuracy = 0;
      else return sim_usage_error("study", "'--accuracy' takes simplecnn or none, got '%s'", optarg);
      o->accuracy_asked = o->accuracy;
      break;
    case 'D':
      o->data = optarg;
      o->accuracy_asked = 1;
      dflag = true;
      break;
    case 'C':
      /* '-', standard output for a file, names no folder (a folder '-' was made) */
      if (!optarg[0] || strcmp(optarg, "-") == 0)
        return sim_usage_error("study", "'--cache' takes a folder or 'none', got '%s'", optarg);
      o->cache = strcmp(optarg, "none") == 0 ? NULL : optarg;
      cflag = true;
      break;
    case 'h': sim_print_usage(&sim_cmd_study, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("study", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("study", argv[optind - 1], lo);
    }
  }
  /* the workload may come as every other command takes it, by position */
  if (optind < argc && !wflag) o->workload = argv[optind++];
  else if (optind < argc)
    return sim_usage_error("study", "'--workload %s' and '%s': give the workload once",
                           o->workload, argv[optind]);
  if (optind != argc) return sim_usage_error("study", "unexpected argument '%s'", argv[optind]);
  /* an option that changes nothing is refused, as a model's setting is
   * ('--arch analytic --gpu nosuch' ran, the GPU's name never looked at) */
  if (gflag && !o->arch[A_SIMT])
    return sim_usage_error("study", "'--gpu %s' configures the simt model, which '--arch' "
                                    "leaves out", o->gpu);
  for (int a = 0; a < A_COUNT; a++)
    if (o->sets[a].n && !o->arch[a])
      return sim_usage_error("study", "'--set %s.%s' configures the %s model, which '--arch' "
                                      "leaves out", arch_names[a], o->sets[a].set[0], arch_names[a]);
  if (o->sa_cfg && !o->arch[A_SYSTOLIC])
    return sim_usage_error("study", "'-c %s' configures the systolic model, which '--arch' "
                                    "leaves out", o->sa_cfg);
  /* ... and so are the SimpleCNN's data and cache without it ('--accuracy
   * none --data /nonexistent' ran, the folder never looked at) */
  if (!o->accuracy && (dflag || cflag))
    return sim_usage_error("study", "'%s' %s: not with '--accuracy none', which leaves the "
                                    "SimpleCNN out", dflag ? "--data" : "--cache",
                           dflag ? "is the SimpleCNN's data set"
                                 : "keeps the SimpleCNN's trained weights");
  return -1;
}

/* ---- the runs ---- */

/* Most settings a design point of the study takes: the GPU's preset, the
 * --set ones, and a rerun's own (the common clock). */
#define POINT_SETS_MAX (SIM_SETTINGS_MAX + 2)

/* The settings of model a's design point, in the order they apply (a later
 * one wins): the GPU's --gpu preset (buffer gpu), the model's --set ones,
 * then extra; their number.  Its .cfg file: point_file. */
static size_t point_sets(const opts_t *o, int a, const char *extra, char *gpu, size_t gsize,
                         const char **out) {
  size_t n = 0;
  if (a == A_SIMT) {
    snprintf(gpu, gsize, "gpu=%s", o->gpu);
    out[n++] = gpu;
  }
  for (size_t i = 0; i < o->sets[a].n; i++) out[n++] = o->sets[a].set[i];
  if (extra) out[n++] = extra;
  return n;
}

static const char *point_file(const opts_t *o, int a) {
  return a == A_SYSTOLIC ? o->sa_cfg : NULL;
}

/* hw_point_create (open) or hw_point_configure of model a's design point
 * in the study: point_sets and point_file. */
static em_status study_point(const opts_t *o, int a, const char *extra,
                             const cm_energy_table *et, bool open, hw_point **pt, em_diag *d) {
  char gpu[4200];
  const char *sets[POINT_SETS_MAX];
  size_t n = point_sets(o, a, extra, gpu, sizeof gpu, sets);
  const hw_model *m = hw_model_find(arch_names[a]);
  return open ? hw_point_create(m, point_file(o, a), sets, n, et, pt, d)
              : hw_point_configure(m, point_file(o, a), sets, n, et, pt, d);
}

static int run_alloc(run_t *r, size_t nl) {
  r->nl = nl;
  r->cycles = calloc(nl ? nl : 1, sizeof *r->cycles);
  r->ec = calloc(nl ? nl : 1, sizeof *r->ec);
  r->es = calloc(nl ? nl : 1, sizeof *r->es);
  r->ed = calloc(nl ? nl : 1, sizeof *r->ed);
  r->res = calloc(nl ? nl : 1, sizeof *r->res);
  return r->cycles && r->ec && r->es && r->ed && r->res ? 0 : -1;
}

static void run_free(run_t *r) {
  free(r->cycles);
  free(r->ec);
  free(r->es);
  free(r->ed);
  free(r->res);
}

/* The workload at one precision (a copy whose layers carry it). */
static wl_network *at_bits(const wl_network *net, wl_prec p) {
  wl_network *c = malloc(sizeof *c);
  if (!c) return NULL;
  *c = *net;
  c->layers = malloc((net->n_layers ? net->n_layers : 1) * sizeof *c->layers);
  if (!c->layers) {
    free(c);
    return NULL;
  }
  memcpy(c->layers, net->layers, net->n_layers * sizeof *c->layers);
  for (size_t i = 0; i < c->n_layers; i++) c->layers[i].w = c->layers[i].a = p;
  return c;
}

static void free_copy(wl_network *c) {
  if (!c) return;
  free(c->layers);
  free(c);
}

/* One pass of a design point over the network; fills r. The study's three
 * energy buckets: compute (with register files and static power), SRAM /
 * caches, DRAM. */
static void take(run_t *r, size_t i, const hw_result *x) {
  r->cycles[i] = x->cycles;
  for (int c = 0; c < HW_E_COUNT; c++) r->e[c] += x->energy_pj[c];
  /* the design point's area: the same on every layer (the largest, should
   * a model report it only where it ran) */
  if (x->area_mm2 > r->area_mm2) r->area_mm2 = x->area_mm2;
  r->ec[i] = x->energy_pj[HW_E_COMPUTE] + x->energy_pj[HW_E_LOCAL] + x->energy_pj[HW_E_STATIC];
  r->es[i] = x->energy_pj[HW_E_SRAM];
  r->ed[i] = x->energy_pj[HW_E_DRAM];
}

/* Where the run's area comes from: the node and source of its largest
 * layer's design (the area area_mm2 keeps, as sim_add_area_meta gives it
 * for the per-model commands), so that the report names them: the arrays'
 * areas are ours at 45 nm, the GPU's its chip's published die at its own
 * node (GV100: 815 mm^2 at 12 nm), and a figure per mm^2 across nodes is
 * not like for like. */
static void area_of(const hw_point *p, const wl_network *net, run_t *r) {
  hw_area a, x;
  hw_point_area(p, NULL, &a);
  r->layer_adds = a.layer_adds; /* the design without a layer says what one adds */
  for (size_t i = 0; i < net->n_layers; i++) {
    hw_point_area(p, &net->layers[i], &x);
    if (x.total_mm2 > a.total_mm2) a = x;
  }
  r->area_nm = a.total_mm2 > 0 ? a.node_nm : 0;
  r->area_src = a.source;
  r->own_static = !(a.leakage_mw > 0); /* with or without an area: a GPU of another n_sm */
  /* a model that gates the leakage of what a layer does not use says so;
   * its layers' largest leakage power is what it would leak throughout */
  double f = hw_point_freq_mhz(p);
  r->leak_gated = a.leak_gated;
  r->leak_max_mw = 0;
  for (size_t i = 0; i < net->n_layers && i < r->nl && f > 0; i++) {
    double t_us = (double)r->res[i].cycles / f;
    if (t_us > 0 && r->res[i].energy_pj[HW_E_STATIC] / t_us * 1e-3 > r->leak_max_mw)
      r->leak_max_mw = r->res[i].energy_pj[HW_E_STATIC] / t_us * 1e-3; /* pJ / us = uW */
  }
}

static em_status run_point(hw_point *p, const wl_network *net, run_t *r, em_diag *d) {
  hw_result tot;
  em_status s = hw_point_run_network(p, net, r->res, &tot, d);
  if (s != EM_OK) return s;
  memset(r->e, 0, sizeof r->e);
  r->area_mm2 = 0;
  for (size_t i = 0; i < net->n_layers; i++) take(r, i, &r->res[i]);
  r->freq_mhz = hw_point_freq_mhz(p);
  r->total_cycles = tot.cycles;
  r->latency_us = tot.latency_us;
  r->energy_pj = tot.energy_total_pj;
  r->bops = tot.bops;
  return EM_OK;
}

/* p50 and p90 of n wall-clock times (sorted in place). */
static void pct(double *p50, double *p90, double *v, unsigned n) {
  if (!n) {
    *p50 = *p90 = 0;
    return;
  }
  gsl_sort(v, 1, n);
  *p50 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.5);
  *p90 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.9);
}

/* The GPU's layers on the thread pool, each worker with its own design
 * point (a GPU simulator is not shared). */
typedef struct {
  const opts_t *o;
  const cm_energy_table *et;
  const wl_network *net;
  hw_result *res;
  simt_detail *det;
  hw_point **pts; /* one per worker, made on first use */
} simt_job;

static em_status simt_layer(void *ctx, size_t i, unsigned w, em_diag *d) {
  simt_job *j = ctx;
  em_status s = EM_OK;
  if (!j->pts[w]) s = study_point(j->o, A_SIMT, NULL, j->et, true, &j->pts[w], d);
  if (s == EM_OK) s = hw_point_run(j->pts[w], &j->net->layers[i], &j->res[i], &j->det[i], d);
  return s;
}

/* The GPU's design point pt (the first worker's; the others made on first
 * use, on table et) over every layer of net on --jobs threads (as many GPU
 * models as fit the host memory budget), each layer through the model
 * table into res; the layers' details into *keep (the caller frees them;
 * NULL: freed here), the threads used into *jobs_used (may be NULL). */
static em_status simt_layers(const opts_t *o, const cm_energy_table *et, hw_point *pt,
                             const wl_network *net, hw_result *res, simt_detail **keep,
                             unsigned *jobs_used, em_diag *d) {
  size_t nl = net->n_layers;
  hw_point *pts[SIM_JOBS_MAX] = {pt}; /* the first thread runs on pt, the others on their own */
  simt_detail *det = calloc(nl ? nl : 1, sizeof *det);
  simt_job j = {o, et, net, res, det, pts};
  unsigned jobs = sim_jobs_within("study", o->jobs, nl, hw_point_host_bytes(pt), "GPU model");
  em_status s = det ? em_pool_run(jobs, nl, simt_layer, &j, NULL, d)
                    : em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (unsigned w = 1; w < SIM_JOBS_MAX; w++) hw_point_destroy(pts[w]);
  if (jobs_used) *jobs_used = nl && jobs > nl ? (unsigned)nl : jobs; /* em_pool_run's */
  if (keep) *keep = det;
  else free(det);
  return s;
}

/* One break-even sweep of the sparsity section: a model's default design
 * point (the GPU: --gpu), a format, a layer. */
typedef struct {
  int arch; /* A_* */
  const char *fmt;
  const wl_layer *l;
  unsigned bits; /* operand widths; 0: the model's default (fp32 on the GPU) */
  uint64_t m;    /* activation columns (the batch of an FC); 0: the layer's */
  int pick;      /* PICK_*: how l was picked, for another where it is past the
                  * size a sweep takes (sweep_within) */
} sweep_job;

/* A sweep's layer: this one (PICK_ONE), the ungrouped layer with the most
 * MACs, or the last FC layer (or GEMM), each of those a sweep of its model
 * and format takes. */
enum { PICK_ONE, PICK_MOST, PICK_LAST_FC };

/* A sweep's result, in its job's slot: the table rows are written from the
 * slots in job order, so they do not depend on --jobs. */
typedef struct {
  be_point *p;
  size_t n;
  be_summary bs;
  char lname[160];
  char fmtname[32];
} sweep_out;

typedef struct {
  const sweep_job *jobs;
  sweep_out *out;
  const opts_t *o;
  const cm_energy_table *et;
} sweep_ctx;

/* Sweep j's design point: the study's design of its model (study_point);
 * configured only (hw_point_configure), or opened too. */
static em_status sweep_point(const sweep_job *j, const opts_t *o, const cm_energy_table *et,
                             bool open, hw_point **pt, em_diag *d) {
  return study_point(o, j->arch, NULL, et, open, pt, d);
}

/* What sweep j's thread holds at the most (be_thread_bytes): its design
 * point running the dense product, and the weights' pattern. */
static uint64_t sweep_bytes(const sweep_job *j, const opts_t *o, const cm_energy_table *et) {
  hw_point *pt = NULL;
  em_diag d;
  uint64_t b = 0;
  if (sweep_point(j, o, et, false, &pt, &d) == EM_OK) {
    wl_gemm_view v = wl_layer_gemm_view(j->l);
    be_config c = {.hw = pt};
    b = be_thread_bytes(&c, v.n, v.k, j->m ? j->m : v.m);
  }
  hw_point_destroy(pt);
  return b;
}

/* Sweep j's format, as its name reads; the bit-serial array's BSR blocks
 * are a whole Dk slice. */
static void sweep_format(const sweep_job *j, cm_sparse_spec *f) {
  cm_sparse_spec_parse(j->fmt, f);
  if (j->arch == A_BITSERIAL) f->block = 256; /* a whole Dk slice per block */
}

/* Sweep j's layer l as its rows name it: "conv1 (962 of 3025 pixels)" where
 * it runs on part of a convolution's pixels, "fc8 (batch 256)" at a batch. */
static void sweep_lname(const sweep_job *j, const wl_layer *l, char *buf, size_t size) {
  wl_gemm_view v = wl_layer_gemm_view(l);
  if (j->m && l->kind == WL_CONV)
    snprintf(buf, size, "%s (%llu of %llu pixels)", l->name, (unsigned long long)j->m,
             (unsigned long long)v.m);
  else if (j->m)
    snprintf(buf, size, "%s (batch %llu)", l->name, (unsigned long long)j->m);
  else
    snprintf(buf, size, "%s", l->name);
}

/* Whether sweep j on layer l (at j's M) is within the size a sweep of its
 * model (pt, its design point, configured) takes for its format: the one
 * check `emlsim breakeven` asks (be_check_size), so the study runs no sweep
 * that command refuses; the reason into d (may be NULL) where not. */
static em_status sweep_fits(const sweep_job *j, hw_point *pt, const wl_layer *l, em_diag *d) {
  be_config c = {.hw = pt};
  sweep_format(j, &c.fmt);
  wl_gemm_view v = wl_layer_gemm_view(l);
  char lname[200], subject[300];
  sweep_lname(j, l, lname, sizeof lname);
  snprintf(subject, sizeof subject, "%s %s on %s", arch_names[j->arch], j->fmt, lname);
  return be_check_size(&c, subject, v.n, v.k, j->m ? j->m : v.m, NULL, 0, d);
}

/* Sweep j's layer within the size its sweep takes (sweep_fits): its own,
 * else, where it was picked as the layer with the most MACs or the last FC
 * layer, the next such of net that fits; NULL where none does.  d receives
 * the reason j's own layer is past it (where it is). */
static const wl_layer *sweep_within(const sweep_job *j, const wl_network *net, hw_point *pt,
                                    em_diag *d) {
  if (sweep_fits(j, pt, j->l, d) == EM_OK) return j->l;
  if (j->pick == PICK_ONE) return NULL;
  const wl_layer *best = NULL;
  uint64_t bm = 0;
  for (size_t k = 0; k < net->n_layers; k++) {
    const wl_layer *l = &net->layers[k];
    if (l->kind != WL_CONV && l->kind != WL_FC && l->kind != WL_GEMM) continue;
    if (j->pick == PICK_LAST_FC && l->kind == WL_CONV) continue;
    wl_gemm_view v = wl_layer_gemm_view(l);
    if (v.groups != 1 || sweep_fits(j, pt, l, NULL) != EM_OK) continue;
    if (j->pick == PICK_LAST_FC) best = l; /* the last */
    else if (v.m * v.n * v.k > bm) {
      bm = v.m * v.n * v.k;
      best = l;
    }
  }
  return best;
}

/* Runs sweep q (a pool item: each makes its own design point). */
static em_status sweep_run(void *ctx, size_t q, unsigned w, em_diag *d) {
  (void)w;
  const sweep_ctx *x = ctx;
  const sweep_job *j = &x->jobs[q];
  const opts_t *o = x->o;
  sweep_out *r = &x->out[q];
  be_config c;
  memset(&c, 0, sizeof c);
  sweep_format(j, &c.fmt);
  /* exactly the sparsities asked for, not an even grid between them */
  c.s_list = o->sp;
  c.n_list = o->nsp;
  c.s_from = o->sp[0];
  c.s_to = o->sp[o->nsp - 1];
  c.s_step = (c.s_to - c.s_from) / (double)(o->nsp - 1);
  c.seed = 1;
  hw_point *pt = NULL;
  em_status s = sweep_point(j, o, x->et, true, &pt, d);
  c.hw = pt;
  /* the job's width, else the model's default (binary on the XNOR array,
   * fp32 on the GPU): not the widths the study's network was loaded with */
  if (j->bits) c.w = c.a = (wl_prec){(uint8_t)j->bits, false};
  else if (pt) c.w = c.a = hw_point_model(pt)->default_prec;
  wl_gemm_view v = wl_layer_gemm_view(j->l);
  uint64_t m = j->m ? j->m : v.m;
  c.shape = j->l; /* be_run uses it where it is this product: not on part of its pixels */
  sweep_lname(j, j->l, r->lname, sizeof r->lname);
  if (s == EM_OK) s = be_run(&c, v.n, v.k, m, &r->p, &r->n, &r->bs, d);
  hw_point_destroy(pt);
  cm_sparse_spec_name(&c.fmt, r->fmtname, sizeof r->fmtname);
  return s;
}

/* The SIMT GPU's figures beside the runs: its design point, per-layer
 * statistics, and the wall-clock time of the one run on `jobs` threads. */
typedef struct {
  hw_point *pt;
  simt_detail *det;
  double wall;
  unsigned jobs;
} simt_out;

/* Every layer of net on every model and bit width the study runs (a pair
 * the model cannot run aside: run_models lists it), checked as the model
 * would refuse it at once (hw_point_check_layer: too large to simulate),
 * before any runs, as `emlsim simt` and `emlsim sweep` check theirs: a
 * GPU layer of 200000^3 was refused after every model before it had run. */
static em_status check_models(const opts_t *o, const wl_network *net, const cm_energy_table *et,
                              em_diag *d) {
  em_status s = EM_OK;
  for (int a = 0; a < A_COUNT && s == EM_OK; a++) {
    if (!o->arch[a]) continue;
    hw_point *pt = NULL;
    s = study_point(o, a, NULL, et, false, &pt, d);
    for (int b = 0; b < (int)NBITS_KNOWN && s == EM_OK; b++) {
      wl_prec p = bits_known[b].p;
      if (!o->bits[b] || hw_refuses(hw_point_model(pt), hw_point_config(pt), p, p)) continue;
      wl_network *c = at_bits(net, p);
      if (!c) s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      for (size_t i = 0; c && i < c->n_layers && s == EM_OK; i++)
        if ((s = hw_point_check_layer(pt, &c->layers[i], d)) != EM_OK)
          sim_diag_locate(d, net->source);
      free_copy(c);
    }
    hw_point_destroy(pt);
  }
  return s;
}

/* Every model at every bit width, each through the model table; a pair the
 * model cannot run is listed with its reason. Appends to runs[*nruns ..),
 * each marked with workload wl. g (NULL: not kept) receives the GPU's
 * design point and per-layer statistics. */
static em_status run_models(const opts_t *o, const wl_network *net, int wl,
                            const cm_energy_table *et, run_t *runs, size_t *nruns, simt_out *g,
                            em_diag *d) {
  size_t nl = net->n_layers;
  em_status s = check_models(o, net, et, d);
  for (int a = 0; a < A_COUNT && s == EM_OK; a++) {
    if (!o->arch[a]) continue;
    const hw_model *m = hw_model_find(arch_names[a]);
    hw_point *pt = NULL;
    s = study_point(o, a, NULL, et, true, &pt, d);
    for (int b = 0; b < (int)NBITS_KNOWN && s == EM_OK; b++) {
      if (!o->bits[b]) continue;
      wl_prec p = bits_known[b].p;
      run_t *r = &runs[*nruns];
      if (run_alloc(r, nl) != 0) {
        s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
      }
      (*nruns)++;
      r->arch = a;
      r->bits = b;
      r->wl = wl;
      r->acc_pct = NAN;
      r->inferences = net->inferences;
      hw_point_describe(pt, r->design, sizeof r->design);
      r->dram_gbps = hw_point_dram_gbps(pt);
      r->own_dram = hw_point_own_dram_price(pt); /* the GPU's dram_pj_per_bit > 0 */
      const char *why = hw_refuses(m, hw_point_config(pt), p, p);
      if (why) {
        r->skipped = 1;
        snprintf(r->note, sizeof r->note, "not run: %s", why);
        continue;
      }
      wl_network *c = at_bits(net, p);
      if (!c) {
        s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
      }
      sim_progress("study", "%s%s at %s%s", wl ? "SimpleCNN on " : "", arch_names[a],
                   bits_known[b].name,
                   a == A_SIMT ? " (every layer simulated on the GPU: the longest step)" : "");
      if (a != A_SIMT) {
        for (unsigned k = 0; k < o->repeat && s == EM_OK; k++) {
          double t0 = now_s();
          s = run_point(pt, c, r, d);
          r->wall[r->nwall++] = now_s() - t0;
        }
      } else {
        /* the GPU's layers on --jobs threads, once */
        simt_detail *det = NULL;
        unsigned jobs = 1;
        double t0 = now_s();
        s = simt_layers(o, et, pt, c, r->res, &det, &jobs, d);
        r->wall[r->nwall++] = now_s() - t0;
        if (g) {
          free(g->det);
          g->det = det;
          g->wall = r->wall[0];
          g->jobs = jobs;
        } else {
          free(det);
        }
        /* the GPU's figures, summed in layer order as hw_point_run_network does */
        hw_result tot = {0};
        memset(r->e, 0, sizeof r->e);
        for (size_t i = 0; i < nl && s == EM_OK; i++) {
          take(r, i, &r->res[i]);
          s = hw_result_add(&tot, &r->res[i], d);
        }
        r->total_cycles = tot.cycles;
        r->energy_pj = tot.energy_total_pj;
        r->bops = tot.bops;
        r->freq_mhz = hw_point_freq_mhz(pt);
        r->latency_us = (double)tot.cycles / r->freq_mhz;
      }
      if (s == EM_OK) area_of(pt, c, r);
      if (s == EM_OK && nl) {
        const char **names = malloc(nl * sizeof *names);
        if (!names) {
          s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        } else {
          for (size_t i = 0; i < nl; i++) names[i] = c->layers[i].name;
          hw_point_dram_note(pt, names, r->res, nl, r->dram_note, sizeof r->dram_note);
          free(names);
        }
        hw_point_run_note(pt, c->layers, r->res, nl, r->run_note, sizeof r->run_note);
      }
      free_copy(c);
      if (s != EM_OK) sim_diag_locate(d, net->source);
      pct(&r->p50, &r->p90, r->wall, r->nwall);
    }
    if (a == A_SIMT && g && g->det && !g->pt) {
      g->pt = pt; /* kept for the report's GPU section */
      pt = NULL;
    }
    hw_point_destroy(pt);
  }
  return s;
}

/* ---- the energy at other DRAM prices ---- */

/* The DRAM prices the study gives each design's energy at: the published
 * ones (cm_dram_prices) and the energy table's own, in increasing order. */
typedef struct {
  cm_dram_price p[PRICES_MAX];
  size_t n;
  size_t built; /* the table's own: the price every other figure is at */
} dram_prices;

/* The list for table et: its own price per bit (a 64-bit DRAM read over 64)
 * is one of the published ones, or placed among them. */
static em_status dram_prices_of(const cm_energy_table *et, dram_prices *dp, em_diag *d) {
  cm_energy_value v;
  em_status s = cm_energy_mem(et, CM_OP_DRAM_READ, 0, 64, &v, d);
  if (s != EM_OK) return s;
  double own = v.energy_pj / 64.0;
  size_t n;
  const cm_dram_price *pub = cm_dram_prices(&n);
  dp->n = 0;
  dp->built = SIZE_MAX;
  for (size_t i = 0; i <= n && dp->n < PRICES_MAX; i++) {
    double p = i < n ? pub[i].pj_per_bit : INFINITY;
    if (dp->built == SIZE_MAX && fabs(p - own) <= 1e-9 * own) {
      dp->built = dp->n; /* the table's is this published one */
    } else if (dp->built == SIZE_MAX && own < p) {
      dp->built = dp->n;
      dp->p[dp->n++] = (cm_dram_price){"the energy table's", own, cm_energy_table_name(et)};
    }
    if (i < n && dp->n < PRICES_MAX) dp->p[dp->n++] = pub[i];
  }
  return EM_OK;
}

/* The GPU's design point pt over every layer of net (simt_layers, on
 * table t), as run_models runs it: per layer into res, their totals, added
 * in layer order, into tot. */
static em_status simt_network(const opts_t *o, const cm_energy_table *t, hw_point *pt,
                              const wl_network *net, hw_result *res, hw_result *tot,
                              em_diag *d) {
  em_status s = simt_layers(o, t, pt, net, res, NULL, NULL, d);
  memset(tot, 0, sizeof *tot);
  for (size_t i = 0; i < net->n_layers && s == EM_OK; i++) s = hw_result_add(tot, &res[i], d);
  return s;
}

/* Every design of workload wl run again on table t with the setting
 * extra[a] of its model a (extra NULL: none, every model; else a model
 * whose entry is NULL is not run again) after its own (study_point, as
 * run_models made it), every layer through the model table: each run's
 * totals into tot[i], ran[i] set (the runs of wl that ran, of the models
 * --arch gives; the closed-form model where analytic; the GPU where gpu,
 * and then only where it prices its DRAM from the table: own_dram's runs
 * are not repeated). */
static em_status rerun(const opts_t *o, const wl_network *net, int wl, const run_t *runs,
                       size_t nruns, const cm_energy_table *t, const char *const *extra,
                       bool analytic, bool gpu, hw_result *tot, bool *ran, em_diag *d) {
  em_status s = EM_OK;
  hw_result *res = calloc(net->n_layers ? net->n_layers : 1, sizeof *res);
  if (!res) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < nruns; i++) ran[i] = false;
  for (int a = 0; a < A_COUNT && s == EM_OK; a++) {
    if (!o->arch[a] || (a == A_SIMT && !gpu) || (a == A_ANALYTIC && !analytic) ||
        (extra && !extra[a]))
      continue;
    bool any = false;
    for (size_t i = 0; i < nruns; i++)
      any |= runs[i].wl == wl && runs[i].arch == a && !runs[i].skipped && !runs[i].own_dram;
    if (!any) continue;
    hw_point *pt = NULL;
    s = study_point(o, a, extra ? extra[a] : NULL, t, true, &pt, d);
    for (size_t i = 0; i < nruns && s == EM_OK; i++) {
      const run_t *r = &runs[i];
      if (r->wl != wl || r->arch != a || r->skipped || r->own_dram) continue;
      wl_network *c = at_bits(net, bits_known[r->bits].p);
      if (!c) {
        s = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
      }
      if (a == A_SIMT) {
        sim_progress("study", "%s%s at %s again on %s (every layer simulated on the GPU)",
                     wl ? "SimpleCNN on " : "", arch_names[a], bits_known[r->bits].name,
                     cm_energy_table_name(t));
        s = simt_network(o, t, pt, c, res, &tot[i], d);
      } else {
        s = hw_point_run_network(pt, c, res, &tot[i], d);
      }
      free_copy(c);
      ran[i] = s == EM_OK;
    }
    hw_point_destroy(pt);
  }
  free(res);
  if (s != EM_OK) sim_diag_locate(d, net->source);
  return s;
}

/* Each design of workload wl again with DRAM at every other price: the
 * table with its DRAM rows at that price (cm_energy_table_dram_at).  The
 * GPU at its own DRAM price (own_dram: its dram_pj_per_bit setting, its
 * preset's interface) is not: its energy is the same at every price; at
 * dram_pj_per_bit = 0 it prices DRAM from the table and is run again at
 * each price as the arrays are. */
static em_status price_runs(const opts_t *o, const wl_network *net, int wl,
                            const cm_energy_table *et, const dram_prices *dp, run_t *runs,
                            size_t nruns, em_diag *d) {
  hw_result tot[NRUNS_MAX];
  bool ran[NRUNS_MAX];
  em_status s = EM_OK;
  for (size_t i = 0; i < nruns; i++)
    if (runs[i].wl == wl)
      for (size_t k = 0; k < PRICES_MAX; k++) {
        bool as_built = k < dp->n && !runs[i].skipped && (k == dp->built || runs[i].own_dram);
        runs[i].e_price[k] = as_built ? runs[i].energy_pj : NAN;
        runs[i].ed_price[k] = as_built ? runs[i].e[HW_E_DRAM] : NAN;
      }
  for (size_t k = 0; k < dp->n && s == EM_OK; k++) {
    if (k == dp->built) continue;
    cm_energy_table *tk = NULL;
    s = cm_energy_table_dram_at(et, dp->p[k].pj_per_bit, dp->p[k].source, &tk, d);
    if (s == EM_OK) s = rerun(o, net, wl, runs, nruns, tk, NULL, true, true, tot, ran, d);
    for (size_t i = 0; i < nruns && s == EM_OK; i++)
      if (ran[i]) {
        runs[i].e_price[k] = tot[i].energy_total_pj;
        runs[i].ed_price[k] = tot[i].energy_pj[HW_E_DRAM];
      }
    cm_energy_table_destroy(tk);
  }
  return s;
}

/* Each array design of workload wl again at STUDY_COMMON_MHZ, its
 * freq_mhz setting there, so that whatever the clock changes (a layer
 * bound by DRAM bandwidth in GB/s takes more cycles at a faster clock;
 * leakage over the new time) is the model's, not a rescaling of its
 * cycles.  Not the GPU (its clock is its preset's, its DRAM's its own),
 * nor the closed-form model (no clock). */
static em_status common_runs(const opts_t *o, const wl_network *net, int wl, run_t *runs,
                             size_t nruns, const cm_energy_table *et, em_diag *d) {
  hw_result tot[NRUNS_MAX];
  bool ran[NRUNS_MAX];
  char set[64];
  snprintf(set, sizeof set, "freq_mhz=%.0f", STUDY_COMMON_MHZ);
  const char *sets[A_COUNT];
  for (int a = 0; a < A_COUNT; a++) sets[a] = set;
  em_status s = rerun(o, net, wl, runs, nruns, et, sets, false, false, tot, ran, d);
  for (size_t i = 0; i < nruns && s == EM_OK; i++)
    if (ran[i]) {
      runs[i].lat_common_us = tot[i].latency_us;
      runs[i].e_common_pj = tot[i].energy_total_pj;
      runs[i].static_common_pj = tot[i].energy_pj[HW_E_STATIC];
    }
  return s;
}

/* The setting that lifts model a's DRAM bound at the study's design point,
 * from its key table: its key in GB/s (xnor's dram_gbps), else in
 * words/cycle (the systolic array's USER bandwidth), where it changes
 * anything at the point (hw_point_key_idle), at the top of its range (the
 * XNOR array's README: "FINN's compute-only figure is --set
 * dram_gbps=100000"), into buf ("" where the model has none). */
static em_status unbound_key(const opts_t *o, int a, const cm_energy_table *et, char *buf,
                             size_t size, em_diag *d) {
  buf[0] = '\0';
  hw_point *pt = NULL;
  em_status s = study_point(o, a, NULL, et, false, &pt, d);
  if (s != EM_OK) return s;
  const hw_model *m = hw_point_model(pt);
  static const char *const units[] = {"GB/s", "words/cycle"};
  for (size_t u = 0; u < 2 && !buf[0]; u++)
    for (size_t k = 0; k < m->nkeys && !buf[0]; k++) {
      const hw_key *key = &m->keys[k];
      char why[128];
      if ((key->type != HW_KEY_REAL && key->type != HW_KEY_INT) ||
          strcmp(key->unit, units[u]) != 0 ||
          hw_point_key_idle(pt, key->name, why, sizeof why))
        continue;
      snprintf(buf, size, key->type == HW_KEY_INT ? "%s=%.0f" : "%s=%.17g", key->name, key->max);
    }
  hw_point_destroy(pt);
  return EM_OK;
}

/* Each array design of workload wl that holds its layers to a DRAM
 * bandwidth run again without one (unbound_key's setting, at its own
 * clock), as common_runs runs them at one clock: the designs' bounds
 * differ (the XNOR array's ZC706 DDR3 at 12.8 GB/s; the systolic array's
 * CALC and the bit-serial array none), and the conclusions say whether the
 * best changes.  Not the GPU (its DRAM its preset's; every layer would be
 * simulated again), nor the closed-form model (no clock). */
static em_status unbound_runs(const opts_t *o, const wl_network *net, int wl, run_t *runs,
                              size_t nruns, const cm_energy_table *et, em_diag *d) {
  hw_result tot[NRUNS_MAX];
  bool ran[NRUNS_MAX];
  char set[A_COUNT][96];
  const char *sets[A_COUNT] = {NULL};
  bool any = false;
  em_status s = EM_OK;
  for (int a = 0; a < A_COUNT && s == EM_OK; a++) {
    if (a == A_SIMT || a == A_ANALYTIC || !o->arch[a]) continue;
    bool bounded = false;
    for (size_t i = 0; i < nruns; i++)
      bounded |= runs[i].wl == wl && runs[i].arch == a && !runs[i].skipped &&
                 runs[i].dram_gbps > 0;
    if (!bounded) continue;
    s = unbound_key(o, a, et, set[a], sizeof set[a], d);
    if (s == EM_OK && set[a][0]) sets[a] = set[a], any = true;
  }
  if (s != EM_OK || !any) return s;
  s = rerun(o, net, wl, runs, nruns, et, sets, false, false, tot, ran, d);
  for (size_t i = 0; i < nruns && s == EM_OK; i++)
    if (ran[i]) {
      runs[i].lat_unb_us = tot[i].latency_us;
      runs[i].e_unb_pj = tot[i].energy_total_pj;
      snprintf(runs[i].unb_set, sizeof runs[i].unb_set, "%s", sets[runs[i].arch]);
    }
  return s;
}

/* Goal g's figure (1 energy in uJ, 2 energy-delay product in uJ x us) of
 * run r with DRAM at price k; NAN where not priced. */
static double price_value(const run_t *r, int g, size_t k) {
  double e = r->e_price[k] * 1e-6;
  return g == 2 ? e * r->latency_us : e;
}

/* The best and the next best hardware design (neither the analytic model
 * nor a run that did not run) of workload wl at width b for goal g (1, 2)
 * with DRAM at price k, the first of a tie as conclusions_of takes it;
 * *best NULL where none. */
static void best_at_price(const run_t *runs, size_t nruns, int wl, int b, int g, size_t k,
                          const run_t **best, const run_t **next) {
  double vb = 0, vn = 0;
  *best = *next = NULL;
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    if (r->wl != wl || r->bits != b || r->skipped || r->arch == A_ANALYTIC) continue;
    double v = price_value(r, g, k);
    if (isnan(v)) continue;
    if (!*best || v < vb) {
      *next = *best, vn = vb;
      *best = r, vb = v;
    } else if (!*next || v < vn) {
      *next = r, vn = v;
    }
  }
}

/* Where the best for goal g (1, 2) at width b of workload wl is another
 * design than at the table's own DRAM price: "binary energy: systolic at
 * 3.9-8 pJ/bit (HBM2, LPDDR4)" appended to buf (after "; " where buf has
 * text), each other winner once over each run of prices; the number of
 * such runs. */
static int price_flips(const run_t *runs, size_t nruns, int wl, int b, int g,
                       const dram_prices *dp, const char *goal, char *buf, size_t size) {
  const run_t *built, *next, *w[PRICES_MAX];
  best_at_price(runs, nruns, wl, b, g, dp->built, &built, &next);
  if (!built) return 0;
  for (size_t k = 0; k < dp->n; k++) best_at_price(runs, nruns, wl, b, g, k, &w[k], &next);
  int flips = 0;
  for (size_t k = 0; k < dp->n;) {
    size_t e = k;
    while (e + 1 < dp->n && w[e + 1] == w[k]) e++;
    if (w[k] && w[k] != built) {
      size_t len = strlen(buf);
      char names[200] = "";
      for (size_t j = k; j <= e; j++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                 j > k ? ", " : "", dp->p[j].memory);
      if (k == e)
        snprintf(buf + len, size - len, "%s%s %s: %s at %.3g pJ/bit (%s)", len ? "; " : "",
                 bits_known[b].name, goal, arch_names[w[k]->arch], dp->p[k].pj_per_bit, names);
      else
        snprintf(buf + len, size - len, "%s%s %s: %s at %.3g-%.3g pJ/bit (%s)", len ? "; " : "",
                 bits_known[b].name, goal, arch_names[w[k]->arch], dp->p[k].pj_per_bit,
                 dp->p[e].pj_per_bit, names);
      flips++;
    }
    k = e + 1;
  }
  return flips;
}

/* Workload wl's best design for energy and for the energy-delay product at
 * each width and each DRAM price, with its margin over the next best: the
 * report's view of dram_prices.csv.  NULL when out of memory. */
static rpt_table *price_table(const run_t *runs, size_t nruns, int wl, const dram_prices *dp,
                              const char *wname) {
  rpt_column cols[2 + PRICES_MAX];
  char names[PRICES_MAX][80];
  cols[0] = (rpt_column){"bits", RPT_STR, 0};
  cols[1] = (rpt_column){"best for", RPT_STR, 0};
  for (size_t k = 0; k < dp->n; k++) {
    snprintf(names[k], sizeof names[k], "%s %.3g%s", dp->p[k].memory, dp->p[k].pj_per_bit,
             k == dp->built ? " (as built)" : "");
    cols[2 + k] = (rpt_column){names[k], RPT_STR, 0};
  }
  char title[160];
  snprintf(title, sizeof title, "Best design at each DRAM price (pJ/bit): %s", wname);
  rpt_table *t = rpt_table_create(title, cols, 2 + dp->n);
  if (!t) return NULL;
  static const char *const goal[3] = {NULL, "energy", "energy-delay product"};
  size_t nclose = 0;
  for (int b = 0; b < (int)NBITS_KNOWN; b++)
    for (int g = 1; g <= 2; g++) {
      const run_t *best, *next;
      best_at_price(runs, nruns, wl, b, g, dp->built, &best, &next);
      if (!best) continue;
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, bits_known[b].name);
      rpt_table_set_str(t, 1, goal[g]);
      for (size_t k = 0; k < dp->n; k++) {
        char cell[64];
        best_at_price(runs, nruns, wl, b, g, k, &best, &next);
        if (!best) continue;
        double x = next ? price_value(next, g, k) / price_value(best, g, k) : 0;
        if (next && x < STUDY_CLOSE) { /* 1.097 printed 1.10x, under the mark unsaid */
          snprintf(cell, sizeof cell, "%s, %.3fx (close)", arch_names[best->arch], x);
          nclose++;
        } else if (next)
          snprintf(cell, sizeof cell, "%s, %.2fx", arch_names[best->arch], x);
        else
          snprintf(cell, sizeof cell, "%s (alone)", arch_names[best->arch]);
        rpt_table_set_str(t, 2 + k, cell);
      }
    }
  rpt_table_add_note(t, "each cell: the best design with DRAM at the column's price, and how "
                        "many times better it is than the next best there; latency and area "
                        "do not depend on the price");
  for (size_t i = 0; i < nruns; i++)
    if (runs[i].wl == wl && runs[i].own_dram && !runs[i].skipped) {
      rpt_table_add_note(t, "the GPU prices its DRAM at its own interface (its dram_pj_per_bit "
                            "setting), not the table's: it is not run again at the column's "
                            "price, its energy the same in every column");
      break;
    }
  if (nclose) {
    char note[300];
    snprintf(note, sizeof note, "close: a margin under %.2fx, a tie at the models' accuracy, as "
             "the conclusions count it (%zu cell%s; three decimals, so that one under the mark "
             "does not print at it)", STUDY_CLOSE, nclose, nclose > 1 ? "s" : "");
    rpt_table_add_note(t, note);
  }
  return t;
}

/* Every priced run: its energy and energy-delay product at each DRAM price,
 * and whether it is its width's best there (dram_prices.csv).  NULL when
 * out of memory. */
static rpt_table *price_csv(const run_t *runs, size_t nruns, const dram_prices *dp,
                            const wl_network *net, const wl_network *cnet, const char *per) {
  static const rpt_column cols[] = {
      {"workload", RPT_STR, 0},        {"arch", RPT_STR, 0},       {"bits", RPT_STR, 0},
      {"memory", RPT_STR, 0},          {"dram_pj_per_bit", RPT_F64, 4},
      {"as_built", RPT_U64, 0},        {"energy_uj", RPT_F64, 6},  {"edp_uj_us", RPT_F64, 6},
      {"best_energy", RPT_U64, 0},     {"best_edp", RPT_U64, 0}};
  char title[80];
  snprintf(title, sizeof title, "Energy %s at each DRAM price", per);
  rpt_table *t = rpt_table_create(title, cols, sizeof cols / sizeof cols[0]);
  if (!t) return NULL;
  bool own_any = false, table_gpu = false;
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    /* the GPU's rows carry the price it charges, its DRAM energy over its
     * bits moved (HBM2's 3.9 on volta at its own interface; the table's
     * price x its energy_scale at dram_pj_per_bit = 0) */
    double bytes = 0;
    if (r->arch == A_SIMT)
      for (size_t l = 0; l < r->nl; l++) bytes += (double)r->res[l].dram_bytes;
    own_any |= r->own_dram && !r->skipped;
    table_gpu |= r->arch == A_SIMT && !r->own_dram && !r->skipped;
    for (size_t k = 0; k < dp->n; k++) {
      if (isnan(r->e_price[k])) continue;
      /* the GPU at its own interface ran once: one row, as built, at the
       * price its interface charges; its best flags are at the table's
       * own price (its energy is the same at every other, and the other
       * rows' best flags count it there) */
      if (r->own_dram && k != dp->built) continue;
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, r->wl ? cnet->name : net->name);
      rpt_table_set_str(t, 1, arch_names[r->arch]);
      rpt_table_set_str(t, 2, bits_known[r->bits].name);
      rpt_table_set_str(t, 3, r->own_dram ? STUDY_GPU_OWN_DRAM : dp->p[k].memory);
      if (r->arch != A_SIMT) rpt_table_set_f64(t, 4, dp->p[k].pj_per_bit);
      else if (bytes > 0) rpt_table_set_f64(t, 4, r->ed_price[k] / (8.0 * bytes));
      rpt_table_set_u64(t, 5, k == dp->built);
      rpt_table_set_f64(t, 6, r->e_price[k] * 1e-6);
      if (r->latency_us > 0) rpt_table_set_f64(t, 7, price_value(r, 2, k));
      if (r->arch == A_ANALYTIC) continue; /* no design: never a best */
      for (int g = 1; g <= 2; g++) {
        const run_t *best, *next;
        best_at_price(runs, nruns, r->wl, r->bits, g, k, &best, &next);
        rpt_table_set_u64(t, 7 + (size_t)g, best == r);
      }
    }
  }
  char buf[900] = "";
  for (size_t k = 0; k < dp->n; k++)
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s %.4g pJ/bit: %s",
             k ? "; " : "", dp->p[k].memory, dp->p[k].pj_per_bit, dp->p[k].source);
  rpt_table_add_note(t, buf);
  rpt_table_add_note(t, "each design run again through its model with the energy table's DRAM "
                        "rows at the price (every other row as built); best_energy, best_edp: "
                        "the width's best hardware design at that price (not the closed-form "
                        "model)");
  if (own_any)
    rpt_table_add_note(t, "the GPU prices its DRAM at its own interface (its dram_pj_per_bit "
                          "setting), not the table's: it ran once, and has one row, memory '"
                          STUDY_GPU_OWN_DRAM "', as built, at the price it charges (its DRAM "
                          "energy over its bits moved); its energy is the same at every table "
                          "price, and every price's best flags count it there, so a price "
                          "whose rows mark no best is one where the GPU is the best");
  if (table_gpu)
    rpt_table_add_note(t, "the GPU at dram_pj_per_bit = 0 prices its DRAM from the energy "
                          "table: it is run again at each price as the arrays are, and its "
                          "dram_pj_per_bit is the price it charges (its DRAM energy over its "
                          "bits moved: the row's price scaled to its process, energy_scale)");
  return t;
}

/* ---- output helpers ---- */



static const char *pname(int b) { return bits_known[b].name; }

/* Each timed model's clock, once, as the runs of workload wl (-1: any)
 * that ran had it ("systolic 1000 MHz, simt 1455 MHz") into buf; its
 * length. */
static size_t run_clocks(const run_t *runs, size_t nruns, int wl, char *buf, size_t size) {
  int seen[A_COUNT] = {0};
  buf[0] = '\0';
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    size_t len = strlen(buf);
    if ((wl >= 0 && r->wl != wl) || r->skipped || !(r->freq_mhz > 0) || seen[r->arch] ||
        len >= size - 1)
      continue;
    seen[r->arch] = 1;
    snprintf(buf + len, size - len, "%s%s %.6g MHz", len ? ", " : "", arch_names[r->arch],
             r->freq_mhz);
  }
  return strlen(buf);
}

/* The first run of model a that ran, or NULL. */
static const run_t *ran_of(const run_t *runs, size_t nruns, int a) {
  for (size_t i = 0; i < nruns; i++)
    if (runs[i].arch == a && !runs[i].skipped) return &runs[i];
  return NULL;
}

/* How the GPU that ran (its first run g; NULL: none) prices a DRAM bit, in
 * words, into buf: at its own interface, its dram_pj_per_bit setting as its
 * design point holds it (cfg), or from the energy table's rows. */
static void gpu_dram_words(const run_t *g, const simt_config *cfg, char *buf, size_t size) {
  if (!g)
    snprintf(buf, size, "%s", "");
  else if (g->own_dram && cfg)
    snprintf(buf, size, "prices a DRAM bit at its own memory interface, %.4g pJ/bit (its "
             "dram_pj_per_bit setting), not the table's", cfg->dram_pj_per_bit);
  else if (g->own_dram)
    snprintf(buf, size, "prices a DRAM bit at its own memory interface (its dram_pj_per_bit "
             "setting), not the table's");
  else
    snprintf(buf, size, "prices a DRAM bit from the table's DRAM rows (its dram_pj_per_bit "
             "is 0), scaled to its process as its other dynamic energies are");
}

/* The energy table's rows the study's widths scale (the study book's rule,
 * cm_energy.h: a multiplier by N_a x N_b, an adder by N, from the nearest
 * row), each named once, into buf ("energy table rows scaled: int4 mult
 * scaled from int8 mult by N_a*N_b (x0.25); ..."): the widths asked for on
 * every conv, FC and GEMM layer of both workloads.  0 when none is. */
static int scaled_rows(const wl_network *net, const wl_network *cnet, const opts_t *o,
                       const cm_energy_table *et, char *buf, size_t size) {
  size_t len = (size_t)snprintf(buf, size, "energy table rows scaled (the study book's rule: "
                                            "a multiplier by N_a x N_b, an adder by N, from the "
                                            "nearest row):");
  size_t head = len;
  for (size_t b = 0; b < NBITS_KNOWN; b++) {
    if (!o->bits[b]) continue;
    for (int wl = 0; wl < 2; wl++) {
      const wl_network *w = wl ? cnet : net;
      for (size_t i = 0; w && i < w->n_layers; i++) {
        wl_layer l = w->layers[i];
        if (l.kind != WL_CONV && l.kind != WL_FC && l.kind != WL_GEMM) continue;
        l.w = l.a = bits_known[b].p;
        cm_layer_cost c;
        if (cm_layer_cost_compute(&l, et, &c, NULL) != EM_OK || !c.energy_scaled) continue;
        /* each "; "-separated part once */
        for (char *p = c.energy_note; *p;) {
          size_t k = strcspn(p, ";");
          char part[200];
          snprintf(part, sizeof part, "%.*s", (int)(k < 199 ? k : 199), p);
          if (part[0] && !strstr(buf + head, part) && len + k + 3 < size)
            len += (size_t)snprintf(buf + len, size - len, "%s %s", len > head ? ";" : "", part);
          p += k;
          while (*p == ';' || *p == ' ') p++;
        }
      }
    }
  }
  return len > head;
}

/* The report's SIMT GPU section: per-layer table (simt.csv), roofline and
 * scheduler-cycle plots. */
static em_status section_simt(rpt_doc *doc, const wl_network *net, const simt_config *gpu,
                              const simt_detail *simt_det, const char *out, const char *plots,
                              em_diag *d) {
  size_t nl = net->n_layers;
  char path[4400], buf[1024];
  rpt_doc_heading(doc, 2, "SIMT GPU");
  static const rpt_column gcols[] = {
      {"layer", RPT_STR, 0},           {"launch_cycles", RPT_U64, 0}, {"cycles", RPT_U64, 0},
      {"ipc", RPT_F64, 2},             {"simd_eff_pct", RPT_F64, 2},  {"l1_hit_pct", RPT_F64, 1},
      {"l2_hit_pct", RPT_F64, 1},      {"roofline_cycles", RPT_U64, 0},
      {"x_roofline", RPT_F64, 2},      {"energy_uj", RPT_F64, 3}};
  rpt_table *tab = rpt_table_create("SIMT GPU per layer", gcols, sizeof gcols / sizeof gcols[0]);
  if (!tab) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  const char **lab = malloc(nl * sizeof *lab);
  double *ai = malloc(nl * sizeof *ai), *perf = malloc(nl * sizeof *perf);
  double *stall = malloc((SIMT_STALL_COUNT + 1) * nl * sizeof *stall);
  if (!lab || !ai || !perf || !stall) {
    free(lab), free(ai), free(perf), free(stall);
    rpt_table_destroy(tab);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  size_t nr = 0;
  for (size_t k = 0; k < nl; k++) {
    const simt_detail *x = &simt_det[k];
    const simt_stats *s = &x->stats;
    rpt_table_add_row(tab);
    rpt_table_set_str(tab, 0, net->layers[k].name);
    rpt_table_set_u64(tab, 1, s->launch_cycles);
    rpt_table_set_u64(tab, 2, s->cycles);
    rpt_table_set_f64(tab, 3, simt_stats_ipc(s));
    rpt_table_set_f64(tab, 4, 100 * simt_stats_simd_eff(s));
    /* n/a, not 0, where nothing applies: a hit rate of a cache no access
     * reached, a roofline for a kernel with no flop and no DRAM byte (as
     * `emlsim simt` says them, rpt_simt.c) */
    if (s->mem.l1_sectors) rpt_table_set_f64(tab, 5, 100.0 * s->mem.l1_hits / s->mem.l1_sectors);
    if (s->mem.l2_sectors) rpt_table_set_f64(tab, 6, 100.0 * s->mem.l2_hits / s->mem.l2_sectors);
    rpt_table_set_u64(tab, 7, (uint64_t)(x->roofline_cycles + 0.5));
    if (x->roofline_cycles > 0) rpt_table_set_f64(tab, 8, s->cycles / x->roofline_cycles);
    rpt_table_set_f64(tab, 9, x->energy.total_pj * 1e-6);
    if (x->min_dram_bytes && x->flops && s->cycles) {
      ai[nr] = (double)x->flops / (double)x->min_dram_bytes;
      perf[nr] = (double)x->flops / (double)s->cycles;
      lab[nr] = net->layers[k].name;
      nr++;
    }
    double sc = s->sched_cycles ? (double)s->sched_cycles : 1;
    stall[k] = 100.0 * (double)s->warp_insts / sc;
    for (int q = 0; q < SIMT_STALL_COUNT; q++)
      stall[(size_t)(q + 1) * nl + k] = 100.0 * (double)s->stall[q] / sc;
  }
  rpt_table_add_note(tab, "launch_cycles: the kernel's launch, the GPU idle before its first "
                          "block (kernel_launch_cycles); cycles: its run, over which ipc and "
                          "x_roofline are; the layer's latency and energy_uj include both");
  rpt_doc_table(doc, tab);
  snprintf(path, sizeof path, "%s/simt.csv", out);
  em_status s = sim_write_csv_json(path, tab, d);
  double peak = simt_peak_flops_per_cycle(gpu), bw = simt_dram_bytes_per_cycle(gpu);
  if (s == EM_OK) {
    snprintf(path, sizeof path, "%s/roofline", plots);
    snprintf(buf, sizeof buf, "%s on %s: roofline", net->name, gpu->name);
    s = plt_roofline(path, buf, peak, bw, lab, ai, perf, nr, d);
  }
  char cap[700];
  if (s == EM_OK) {
    /* the caption names what is drawn: whose layers, on which GPU, and the
     * roof's two figures with their units */
    snprintf(cap, sizeof cap, "Roofline of the SIMT GPU %s (fp32 peak %.0f flops/cycle, DRAM "
             "%.1f B/cycle, both at its %.6g MHz core clock) with each of %s's layers' achieved "
             "flops per cycle (its flops over its run's cycles) at its compulsory arithmetic "
             "intensity (flops per byte the layer must move to or from DRAM), both axes log.",
             gpu->name, peak, bw, gpu->core_freq_mhz, net->name);
    rpt_doc_figure(doc, "plots/roofline.png", strcat(path, ".svg"), cap);
    for (size_t k = 0; k < nl; k++) lab[k] = net->layers[k].name; /* now every layer */
    const char *names[SIMT_STALL_COUNT + 1];
    names[0] = "issuing";
    for (int q = 0; q < SIMT_STALL_COUNT; q++) names[q + 1] = simt_stall_name((simt_stall)q);
    snprintf(path, sizeof path, "%s/simt_stalls", plots);
    snprintf(buf, sizeof buf, "%s on %s: scheduler cycles", net->name, gpu->name);
    /* shares of 100 %: the axis ends there */
    plt_bars_spec bs = {buf, "share of scheduler cycles (%)", lab, nl, names,
                        SIMT_STALL_COUNT + 1, stall, 1, 0, 0, 100};
    s = plt_bars(path, &bs, d);
  }
  if (s == EM_OK) {
    snprintf(cap, sizeof cap, "Where the schedulers' cycles go on the SIMT GPU %s, per layer "
             "of %s, in %% of scheduler cycles (schedulers x the layer's run cycles): issuing, "
             "or the reason the most advanced warp waits (SIMD efficiency is in the table).",
             gpu->name, net->name);
    rpt_doc_figure(doc, "plots/simt_stalls.png", strcat(path, ".svg"), cap);
  }
  free(lab), free(ai), free(perf), free(stall);
  rpt_table_destroy(tab);
  return s;
}

/* The design a run stands for, as the report names it: the model and the
 * design point it ran, as the model describes it (run_t.design). */
static void design_name(const run_t *r, char *buf, size_t n) {
  snprintf(buf, n, "%s (%s)", arch_names[r->arch], r->design);
}

/* The design point architecture a ran (its runs' first: one point for
 * all its widths), or NULL where --arch left it out. */
static const char *design_of(const run_t *runs, size_t nruns, int a) {
  for (size_t i = 0; i < nruns; i++)
    if (runs[i].arch == a) return runs[i].design;
  return NULL;
}

/* Inferences per second per mm^2 of a run (0: its area is not modelled). */
static double per_mm2(const run_t *r) {
  return r->area_mm2 > 0 && r->latency_us > 0
             ? (double)r->inferences * 1e6 / r->latency_us / r->area_mm2
             : 0;
}

/* The nodes of the areas of workload wl's runs, each model once into buf
 * ("systolic 45 nm, bitserial 45 nm, simt 12 nm"); the number of distinct
 * nodes. */
static int area_nodes(const run_t *runs, size_t nruns, int wl, char *buf, size_t size) {
  unsigned seen[A_COUNT] = {0}, node[A_COUNT];
  int nnodes = 0;
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    if (r->wl != wl || r->skipped || !(r->area_mm2 > 0) || seen[r->arch]) continue;
    seen[r->arch] = 1;
    int fresh = 1;
    for (int k = 0; k < nnodes; k++) fresh &= node[k] != r->area_nm;
    if (fresh) node[nnodes++] = r->area_nm;
    if (len < size)
      len += (size_t)snprintf(buf + len, size - len, "%s%s %u nm", len ? ", " : "",
                              arch_names[r->arch], r->area_nm);
  }
  return nnodes;
}

/* A conclusion's figure in the unit that keeps it readable, to 4
 * significant digits: latency in us, ms or s, energy in uJ, mJ or J, the
 * energy-delay product in uJ x us, mJ x ms or J x s (1, 10^6, 10^12 uJ x us),
 * each from 1 up to under 1000 of its unit where one fits (an EDP under
 * 10^6: its units step by 10^6, 129775 uJ x us is not 0.1298 mJ x ms);
 * per mm^2 as it is.  A fixed uJ x us printed Volta's AlexNet as 104905462.319, twelve
 * digits of which the last eight say nothing at a 4-digit margin.  v: the
 * figure in us, uJ, uJ x us or inferences/s/mm^2 (goal 0..3); into *x, *unit
 * and *dec (decimals for rpt_table_set_f64_dec). */
static void readable_figure(double v, int goal, double *x, const char **unit, int *dec) {
  static const char *const units[4][3] = {{"us", "ms", "s"},
                                          {"uJ", "mJ", "J"},
                                          {"uJ x us", "mJ x ms", "J x s"},
                                          {"inferences/s/mm^2", NULL, NULL}};
  /* each step: 10^3 for a time or an energy, 10^6 for their product */
  double step = goal == 2 ? 1e6 : 1e3;
  int k = 0;
  *x = v;
  while (goal != 3 && k < 2 && fabs(*x) >= step) {
    *x /= step;
    k++;
  }
  *unit = units[goal][k];
  /* 4 significant digits: 3 decimals below 10, 0 from 1000 up (an integer
   * of more digits is given whole) */
  int d = *x != 0 ? 3 - (int)floor(log10(fabs(*x))) : 3;
  if (d < 0) d = 0;
  /* (a tiny figure keeps its 4 digits: 2.58e-6 uJ x us is 0.000002580, not
   * 0.000003; past 15 decimals rpt_format_f64 gives it as 2.58e-16) */
  if (d > 15) d = 15;
  /* 9.9996 rounds to 10.000 at 3 decimals: one digit fewer */
  if (d > 0 && fabs(*x) >= 9.9995 * pow(10.0, 3 - d)) d--;
  *dec = d;
}

/* Where the energy table's figures come from, as its rows' source column
 * says it up to the first ':' (horowitz45's "Horowitz ISSCC 2014, 45 nm:
 * 8-bit integer multiply"), each source once, for the rows every run uses
 * (an int8 multiply, an int32 add, a DRAM read), into buf as " (from
 * SOURCE; SOURCE)"; empty where the rows name none.  A published figure is
 * quoted with its source: the report named the table, not the paper. */
static void energy_sources(const cm_energy_table *et, char *buf, size_t size) {
  cm_energy_value v[3];
  em_diag d;
  bool got[3] = {cm_energy_mult(et, false, 8, 8, &v[0], &d) == EM_OK,
                 cm_energy_add(et, false, 32, &v[1], &d) == EM_OK,
                 cm_energy_mem(et, CM_OP_DRAM_READ, 0, 64, &v[2], &d) == EM_OK};
  char seen[3][256];
  size_t nseen = 0, len = 0;
  buf[0] = '\0';
  for (int i = 0; i < 3; i++) {
    if (!got[i] || !v[i].from || !v[i].from->source[0]) continue;
    char one[256];
    snprintf(one, sizeof one, "%s", v[i].from->source);
    one[strcspn(one, ":")] = '\0';
    bool dup = false;
    for (size_t k = 0; k < nseen; k++) dup |= strcmp(seen[k], one) == 0;
    if (dup || !one[0]) continue;
    memcpy(seen[nseen++], one, sizeof one);
    if (len < size)
      len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "; " : " (from ", one);
  }
  if (len && len < size) snprintf(buf + len, size - len, ")");
}

/* What the Pareto fronts of workload wl (wl < 0: every workload, named
 * names[wl]) rank across, into buf: the timed designs' nodes and what their
 * static energy is (leakage from their area, or the model's own: the GPU's
 * board constant power beside leakage, 67.16 of its 101.7 mJ on AlexNet),
 * grouped by the two; false (buf "") where every design is at one node
 * with one kind of static energy. */
static bool pareto_scope(const run_t *runs, size_t nruns, int wl, const char *const *names,
                         char *buf, size_t size) {
  int seen[A_COUNT] = {0}, nkind = 0;
  unsigned knode[A_COUNT];
  int kown[A_COUNT];
  int karch[A_COUNT][A_COUNT], nka[A_COUNT] = {0};
  buf[0] = '\0';
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    if ((wl >= 0 && r->wl != wl) || r->skipped || r->arch == A_ANALYTIC ||
        !(r->latency_us > 0) || seen[r->arch])
      continue;
    seen[r->arch] = 1;
    int k = 0;
    while (k < nkind && (knode[k] != r->area_nm || kown[k] != r->own_static)) k++;
    if (k == nkind) knode[nkind] = r->area_nm, kown[nkind] = r->own_static, nkind++;
    karch[k][nka[k]++] = r->arch;
  }
  if (nkind < 2) return false;
  size_t len = 0;
  for (int k = 0; k < nkind && len < size; k++) {
    for (int j = 0; j < nka[k] && len < size; j++)
      len += (size_t)snprintf(buf + len, size - len, "%s%s",
                              j == 0 ? (k ? "; " : "") : j + 1 == nka[k] ? " and " : ", ",
                              arch_names[karch[k][j]]);
    if (len >= size) break;
    if (knode[k])
      len += (size_t)snprintf(buf + len, size - len, " at %u nm", knode[k]);
    else
      len += (size_t)snprintf(buf + len, size - len, " at a node not modelled");
    if (len >= size) break;
    if (!kown[k]) {
      len += (size_t)snprintf(buf + len, size - len, ", static energy the leakage of %s area",
                              nka[k] > 1 ? "their" : "its");
      continue;
    }
    len += (size_t)snprintf(buf + len, size - len, ", static energy %s model's own (a board's "
                            "constant power beside leakage: models/simt/README.md, 'Power and "
                            "the board')", nka[k] > 1 ? "their" : "its");
    int first = 1;
    for (int j = 0; j < nka[k] && len < size; j++)
      for (size_t i = 0; i < nruns && len < size; i++) {
        const run_t *r = &runs[i];
        if ((wl >= 0 && r->wl != wl) || r->skipped || r->arch != karch[k][j] ||
            !(r->latency_us > 0) || !(r->energy_pj > 0))
          continue;
        double x, xs;
        const char *u, *us;
        int dec, decs;
        readable_figure(r->energy_pj * 1e-6, 1, &x, &u, &dec);
        readable_figure(r->e[HW_E_STATIC] * 1e-6, 1, &xs, &us, &decs);
        char of[80];
        if (strcmp(u, us) == 0)
          snprintf(of, sizeof of, "%.4g of %.4g %s", xs, x, u);
        else
          snprintf(of, sizeof of, "%.4g %s of %.4g %s", xs, us, x, u);
        char who[160] = ""; /* the model where several share the kind, the workload
                             * where the fronts are both workloads' */
        if (nka[k] > 1) snprintf(who, sizeof who, "%s ", arch_names[r->arch]);
        if (wl < 0) snprintf(who + strlen(who), sizeof who - strlen(who), "%s ", names[r->wl]);
        len += (size_t)snprintf(buf + len, size - len, "%s%sat %s: %s static",
                                first ? " (" : "; ", who, pname(r->bits), of);
        first = 0;
      }
    if (!first && len < size) len += (size_t)snprintf(buf + len, size - len, ")");
  }
  return true;
}

/* Run r's figure for conclusion goal g (0 latency, 1 energy, 2 energy-delay
 * product, 3 per mm^2, negated: smaller is better for every goal), as built
 * or (common) at STUDY_COMMON_MHZ as energy.csv gives it (common_runs: the
 * design run again at that clock; NAN where it was not); 0 for per mm^2
 * without an area. */
static double goal_value(const run_t *r, int g, bool common) {
  double lat = r->latency_us, e = r->energy_pj * 1e-6;
  if (common) {
    if (!(r->lat_common_us > 0)) return NAN;
    lat = r->lat_common_us;
    e = r->e_common_pj * 1e-6;
  }
  if (g == 3)
    return r->area_mm2 > 0 && lat > 0 ? -(double)r->inferences * 1e6 / lat / r->area_mm2 : 0;
  return g == 0 ? lat : g == 1 ? e : e * lat;
}

/* The same with each bounded design's DRAM unbounded (unbound_runs), at
 * its own clock: a run not run again keeps its figures as built. */
static double goal_unbounded(const run_t *r, int g) {
  if (!(r->lat_unb_us > 0)) return goal_value(r, g, false);
  double lat = r->lat_unb_us, e = r->e_unb_pj * 1e-6;
  if (g == 3)
    return r->area_mm2 > 0 ? -(double)r->inferences * 1e6 / lat / r->area_mm2 : 0;
  return g == 0 ? lat : g == 1 ? e : e * lat;
}

/* One workload's conclusions: for each bit width, the fastest design, the
 * most frugal, the best energy-delay product and the most inferences per
 * second per mm^2, each with its margin over the next best (how many times
 * better), and the accuracy at that width where it is modelled. */
static rpt_table *conclusions_of(const run_t *runs, size_t nruns, int wl, const opts_t *o,
                                 const dram_prices *dp, const wl_network *wnet,
                                 int with_acc) {
  const char *wname = wnet->name;
  static const rpt_column cols[] = {{"bits", RPT_STR, 0},      {"best for", RPT_STR, 0},
                                    {"design", RPT_STR, 0},    {"value", RPT_F64, 3},
                                    {"unit", RPT_STR, 0},      {"next best", RPT_STR, 0},
                                    {"margin_x", RPT_F64, 2},  {"accuracy", RPT_STR, 0}};
  char title[160];
  snprintf(title, sizeof title, "Best design per bit width: %s", wname);
  rpt_table *t = rpt_table_create(title, cols, 8);
  if (!t) return NULL;
  int xnor_net = 0; /* a binary AlexNet row quotes XNOR-Net's accuracy */
  char flips[900] = ""; /* the winners that change at one clock */
  size_t nflips = 0;
  char pflips[900] = ""; /* and at another DRAM price */
  int npflips = 0;
  char close[900] = ""; /* the winners by less than STUDY_CLOSE */
  size_t nclose = 0;
  char uflips[900] = ""; /* the winners that change with every DRAM unbounded */
  size_t nuflips = 0;
  char aclose[900] = ""; /* per mm^2 winners by less than STUDY_AREA_ERR */
  size_t naclose = 0, narea = 0; /* and the per mm^2 rows with a margin */
  static const char *const goal[4] = {"latency", "energy", "energy-delay product",
                                      "per mm^2"};
  for (int b = 0; b < (int)NBITS_KNOWN; b++) {
    for (int g = 0; g < 4; g++) {
      const run_t *best = NULL, *next = NULL;
      double vb = 0, vn = 0;
      int any = 0;
      for (size_t i = 0; i < nruns; i++) {
        const run_t *r = &runs[i];
        if (r->wl != wl || r->bits != b || r->skipped || r->arch == A_ANALYTIC) continue;
        any = 1;
        /* smaller is better; per mm^2 is negated so that it is too */
        double v = goal_value(r, g, false);
        if (g == 3 && v == 0) continue; /* no area: no figure per mm^2 */
        if (!best || v < vb) {
          next = best, vn = vb;
          best = r, vb = v;
        } else if (!next || v < vn) {
          next = r, vn = v;
        }
      }
      if (!any) continue;
      if (g == 1 || g == 2)
        npflips += price_flips(runs, nruns, wl, b, g, dp, goal[g], pflips, sizeof pflips);
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, bits_known[b].name);
      rpt_table_set_str(t, 1, goal[g]);
      char bn[128], nn[128], acc[300];
      if (!best) { /* per mm^2 where no design reports its area, where no
                    * run with one took any time, or a run is no whole
                    * number of inferences (each gives a figure of 0) */
        bool area = false, timed = false;
        for (size_t i = 0; i < nruns; i++)
          if (runs[i].wl == wl && runs[i].bits == b && runs[i].area_mm2 > 0) {
            area = true;
            timed |= runs[i].latency_us > 0;
          }
        rpt_table_set_str(t, 2, "n/a");
        rpt_table_set_str(t, 4, "inferences/s/mm^2");
        rpt_table_set_str(t, 5, !area    ? "(no model at this width reports its area)"
                                : !timed ? "(no run with an area took any time: no rate)"
                                         : "(a run is no whole number of inferences: its "
                                           "layers' batches differ)");
        continue;
      }
      design_name(best, bn, sizeof bn);
      rpt_table_set_str(t, 2, bn);
      { /* the best at one clock, where it is another design */
        const run_t *bc = NULL, *nc = NULL;
        double vbc = 0, vnc = 0;
        for (size_t i = 0; i < nruns; i++) {
          const run_t *r = &runs[i];
          if (r->wl != wl || r->bits != b || r->skipped || r->arch == A_ANALYTIC) continue;
          double v = goal_value(r, g, true);
          if (isnan(v) || (g == 3 && v == 0)) continue; /* not run at one clock, no area */
          if (!bc || v < vbc) {
            nc = bc, vnc = vbc;
            bc = r, vbc = v;
          } else if (!nc || v < vnc) {
            nc = r, vnc = v;
          }
        }
        if (bc && bc != best && nc && vbc != 0) {
          size_t len = strlen(flips);
          snprintf(flips + len, sizeof flips - len, "%s%s %s: %s, %.2fx over %s",
                   nflips ? "; " : "",
                   bits_known[b].name, goal[g], arch_names[bc->arch],
                   g == 3 ? vbc / vnc : vnc / vbc, /* per mm^2 negated */
                   arch_names[nc->arch]);
          nflips++;
        }
      }
      { /* the best with each bounded design's DRAM unbounded (unbound_runs),
         * where it is another design */
        const run_t *bu = NULL, *nu = NULL;
        double vbu = 0, vnu = 0;
        for (size_t i = 0; i < nruns; i++) {
          const run_t *r = &runs[i];
          if (r->wl != wl || r->bits != b || r->skipped || r->arch == A_ANALYTIC) continue;
          double v = goal_unbounded(r, g);
          if (g == 3 && v == 0) continue;
          if (!bu || v < vbu) {
            nu = bu, vnu = vbu;
            bu = r, vbu = v;
          } else if (!nu || v < vnu) {
            nu = r, vnu = v;
          }
        }
        if (bu && bu != best && nu && vbu != 0) {
          size_t len = strlen(uflips);
          snprintf(uflips + len, sizeof uflips - len, "%s%s %s: %s, %.2fx over %s",
                   nuflips ? "; " : "", bits_known[b].name, goal[g], arch_names[bu->arch],
                   g == 3 ? vbu / vnu : vnu / vbu, arch_names[nu->arch]);
          nuflips++;
        }
      }
      double x;
      const char *u;
      int dec;
      readable_figure(g == 3 ? -vb : vb, g, &x, &u, &dec);
      rpt_table_set_f64_dec(t, 3, x, dec);
      rpt_table_set_str(t, 4, u);
      if (next) {
        design_name(next, nn, sizeof nn);
        rpt_table_set_str(t, 5, nn);
        double m = g == 3 && vn < 0 ? vb / vn : g < 3 && vb > 0 ? vn / vb : NAN;
        if (!isnan(m)) rpt_table_set_f64(t, 6, m);
        if (m < STUDY_CLOSE) {
          size_t len = strlen(close);
          snprintf(close + len, sizeof close - len, "%s%s %s: %s, %.2fx over %s",
                   nclose ? "; " : "", bits_known[b].name, goal[g], arch_names[best->arch], m,
                   arch_names[next->arch]);
          nclose++;
        }
        if (g == 3 && !isnan(m)) narea++;
        if (g == 3 && m < STUDY_AREA_ERR) {
          size_t len = strlen(aclose);
          snprintf(aclose + len, sizeof aclose - len, "%s%s per mm^2: %s, %.2fx over %s",
                   naclose ? "; " : "", bits_known[b].name, arch_names[best->arch], m,
                   arch_names[next->arch]);
          naclose++;
        }
      } else {
        rpt_table_set_str(t, 5, g == 3 ? "(the only design at this width with an area)"
                                       : "(the only design that runs this width)");
      }
      if (with_acc && !isnan(best->acc_pct))
        snprintf(acc, sizeof acc, "%.2f %%", best->acc_pct);
      else if (with_acc)
        snprintf(acc, sizeof acc, "n/a: not modelled at %s", bits_known[b].name);
      else if (strcmp(wname, "alexnet") == 0 && bits_known[b].p.bits == 1) {
        /* Rastegari et al., XNOR-Net, ECCV 2016: AlexNet on ImageNet, top-1,
         * with its first and last layers real-valued (allenai/XNOR-Net
         * issue #12), where this row binarizes every layer */
        snprintf(acc, sizeof acc, "not modelled: cheaper, not as accurate; XNOR-Net's 44.2 %% "
                 "top-1 (56.6 %% in fp32) is AlexNet with %s and %s real-valued, not this "
                 "fully binary network", wnet->layers[0].name,
                 wnet->layers[wnet->n_layers - 1].name);
        xnor_net = 1;
      }
      else if (bits_known[b].p.fp && bits_known[b].p.bits == 32)
        snprintf(acc, sizeof acc, "not modelled (the network as trained)");
      else
        snprintf(acc, sizeof acc, "not modelled: cheaper, not known to be as accurate");
      rpt_table_set_str(t, 7, acc);
    }
  }
  rpt_table_add_note(t, "value: the best design's figure, to 4 significant digits (a whole number "
                        "of more digits in full), in the unit beside it (us, ms or s; uJ, mJ "
                        "or J; uJ x us, mJ x ms or J x s); "
                        "summary.csv has it in full, in us, uJ and uJ x us");
  rpt_table_add_note(t, "margin_x: how many times better the best design's figure is than the "
                        "next best's");
  if (nclose) {
    /* what each comparison's figures are checked to (the models' READMEs):
     * 1.10x is the GPU's check against silicon, which no array has */
    char note[1600];
    snprintf(note, sizeof note, "close: %zu of these win by less than %.2fx, a tie, not a "
             "winner: that is about the one check against silicon any model here has, the "
             "GPU's power against V100 measurements (AccelWattch's 9.2 %% mean absolute error; "
             "volta only), its cycles against Accel-Sim's TITAN V microbenchmarks "
             "(models/simt/README.md); the arrays are checked against no silicon, "
             "their cycles against SCALE-Sim v2 (the systolic array, equal in every column) "
             "and BISMO's and FINN's cycle formulas by hand, their energy priced from the "
             "energy table's 45 nm figures (models/*/README.md, 'Validation'), so a margin "
             "over %.2fx between them is not known to be decided either; and one published "
             "DRAM price moves the arrays' energy by more (the next table): %s",
             nclose, STUDY_CLOSE, STUDY_CLOSE, close);
    rpt_table_add_note(t, note);
  }
  if (narea) {
    /* per mm^2 rests on the area model, checked against published
     * figures to well past STUDY_CLOSE */
    char note[1400];
    snprintf(note, sizeof note, "per mm^2 margins: the arrays' areas are checked against "
             "Horowitz's published 45 nm figures to +33 %% (an 8-bit multiplier), +98 %% (a "
             "32-bit one) and +74 %% (an 8-bit MAC) (costmodel/README.md, 'Area and leakage'), "
             "so a per mm^2 margin under %.2fx is not decided by the area model: %s",
             STUDY_AREA_ERR, naclose ? aclose : "none here is under it");
    rpt_table_add_note(t, note);
  }
  /* each timed model's clock, once, as its runs had it, and where a
   * design's clock, buffers and DRAM are an FPGA prototype's (the models'
   * READMEs: BISMO's FPL 2018 instance; FINN's ZC706) while its energy and
   * area are priced at a 45 nm ASIC's */
  char clocks[300];
  run_clocks(runs, nruns, wl, clocks, sizeof clocks);
  if (clocks[0]) {
    char proto[700] = "";
    for (size_t i = 0; i < nruns; i++) {
      const run_t *r = &runs[i];
      if (r->wl != wl || r->skipped || (r->arch != A_BITSERIAL && r->arch != A_XNOR)) continue;
      bool again = false;
      for (size_t j = 0; j < i; j++)
        again |= runs[j].wl == wl && !runs[j].skipped && runs[j].arch == r->arch;
      if (again) continue;
      size_t len = strlen(proto);
      snprintf(proto + len, sizeof proto - len, "%s%s's design is by default %s",
               len ? "; " : "", arch_names[r->arch],
               r->arch == A_BITSERIAL ? "BISMO's FPGA instance (200 MHz, its operand buffers)"
                                      : "FINN's on a ZC706 board (200 MHz, the Z-7045's 545 "
                                        "block RAMs of 36 Kbit, 2452.5 KiB, and a 64-bit "
                                        "DDR3-1600 SODIMM, 12.8 GB/s)");
    }
    char buf[1400];
    if (proto[0])
      snprintf(buf, sizeof buf, "the designs run at their own clocks (%s) and are not built "
               "alike: %s: an FPGA prototype's clock, buffers and DRAM, not a 45 nm ASIC's, "
               "while their energy and area are priced as a 45 nm ASIC's (NanGate45 cells, "
               "CACTI 45 nm SRAMs); so latency compares the designs as their sources built "
               "them, not as 45 nm chips would run; 'Energy by component' gives them at one "
               "clock%s", clocks, proto,
               nflips ? ", and the next note the winners that change there"
                      : ", where no winner changes");
    else
      snprintf(buf, sizeof buf, "the designs run at their own clocks (%s): latency compares "
               "the designs as built; 'Energy by component' gives them at one clock", clocks);
    rpt_table_add_note(t, buf);
  }
  if (nflips) {
    /* the designs run at their own clocks; at one clock a winner may be
     * another (energy.csv's at_common figures) */
    char note[1100];
    snprintf(note, sizeof note, "at one clock, %.0f MHz (energy.csv's at_common figures), the "
             "best is another design for %zu of these: %s", STUDY_COMMON_MHZ, nflips, flips);
    rpt_table_add_note(t, note);
  }
  /* the winners with each bounded design's DRAM unbounded (unbound_runs),
   * said with the bandwidths below */
  char unb[1400] = "";
  {
    char who[400] = "";
    int said[A_COUNT] = {0}, gpu = 0;
    for (size_t i = 0; i < nruns; i++) {
      const run_t *r = &runs[i];
      if (r->wl != wl || r->skipped) continue;
      gpu |= r->arch == A_SIMT && r->dram_gbps > 0;
      if (!(r->lat_unb_us > 0) || said[r->arch]) continue;
      said[r->arch] = 1;
      size_t len = strlen(who);
      snprintf(who + len, sizeof who - len, "%s%s at %s", len ? ", " : "", arch_names[r->arch],
               r->unb_set);
    }
    if (who[0] && nuflips)
      snprintf(unb, sizeof unb, "with the DRAM bound lifted (each bounded array run again at its "
               "own clock, %s, its key's top%s), the best is another design for %zu of these: %s",
               who, gpu ? "; not the GPU, its DRAM its preset's" : "", nuflips, uflips);
    else if (who[0])
      snprintf(unb, sizeof unb, "with the DRAM bound lifted (each bounded array run again at its "
               "own clock, %s, its key's top%s), the best is the same design for each", who,
               gpu ? "; not the GPU, its DRAM its preset's" : "");
  }
  bool designs = false; /* any hardware design: the closed-form model alone has no winner */
  for (size_t i = 0; i < nruns; i++)
    designs |= runs[i].wl == wl && !runs[i].skipped && runs[i].arch != A_ANALYTIC;
  if (designs) {
    /* the energy winners hold over the published DRAM prices, or not */
    char note[1300];
    if (npflips)
      snprintf(note, sizeof note, "with DRAM at another published price, %.3g to %.3g pJ/bit "
               "(the next table; dram_prices.csv), the best for energy or energy-delay product is "
               "another design for %d of these: %s", dp->p[0].pj_per_bit,
               dp->p[dp->n - 1].pj_per_bit, npflips, pflips);
    else
      snprintf(note, sizeof note, "with DRAM at any published price from %.3g to %.3g pJ/bit "
               "(the next table; dram_prices.csv), the best for energy and energy-delay product "
               "is the same design", dp->p[0].pj_per_bit, dp->p[dp->n - 1].pj_per_bit);
    rpt_table_add_note(t, note);
  }
  if (xnor_net) {
    /* the published figure the binary rows quote, with its source: a
     * network whose first and last layers stay real-valued (its authors,
     * allenai/XNOR-Net issue #12; the study book, too, keeps "sensitive
     * layers (often the first and last) in higher precision"), not the
     * fully binary one the rows cost, which the XNOR array alone can run:
     * it refuses a real-valued layer (hw_refuses) */
    const hw_model *xm = hw_model_find(arch_names[A_XNOR]);
    const char *why = xm ? hw_refuses(xm, NULL, bits_known[0].p, bits_known[0].p) : NULL;
    char note[1400];
    snprintf(note, sizeof note, "binary AlexNet's accuracy: M. Rastegari, V. Ordonez, J. "
             "Redmon and A. Farhadi, \"XNOR-Net: ImageNet Classification Using Binary "
             "Convolutional Neural Networks\", ECCV 2016: ImageNet top-1 44.2 %% with binary "
             "weights and activations, each scaled by a real-valued factor, in every layer but "
             "the first and the last, which stay real-valued (its authors, allenai/XNOR-Net "
             "issue #12: \"The weights in the first and the last layers are real-value. We do "
             "not binarize them\"), 56.6 %% for the full-precision AlexNet: the paper's "
             "network, not one measured here; the binary rows' cost is another network's, every "
             "layer binary, %s and %s included, which that accuracy does not describe%s%s%s",
             wnet->layers[0].name, wnet->layers[wnet->n_layers - 1].name,
             why ? "; nor could the xnor array run the published network: it refuses a "
                   "real-valued layer (" : "",
             why ? why : "", why ? ")" : "");
    rpt_table_add_note(t, note);
  }
  rpt_table_add_note(t, "per mm^2: inferences per second per mm^2 of the design's silicon "
                        "(logic and on-chip memory), from each model's area; n/a where no model "
                        "reports one");
  { /* which areas are one design for every width, which are built for the
     * width (the systolic array's PE synthesized at the narrowest width
     * holding the layer's wider operand: cm_area_unit_cell_um2) and which
     * for the workload (the XNOR array's weight SRAM): per mm^2 at a
     * narrow width compares a specialized design with a flexible one */
    char fixed[400] = "", wide[900] = "", grown[900] = "";
    char wide_n[100] = "", flex_n[100] = "", grown_n[100] = ""; /* their models' names */
    int said[A_COUNT] = {0};
    for (size_t i = 0; i < nruns; i++) {
      const run_t *r = &runs[i];
      if (r->wl != wl || r->skipped || !(r->area_mm2 > 0) || said[r->arch]) continue;
      said[r->arch] = 1;
      int differ = 0, nw = 0;
      for (size_t j = 0; j < nruns; j++)
        if (runs[j].wl == wl && runs[j].arch == r->arch && !runs[j].skipped &&
            runs[j].area_mm2 > 0) {
          differ |= runs[j].area_mm2 != r->area_mm2;
          nw++;
        }
      if (r->layer_adds) {
        size_t len = strlen(grown);
        snprintf(grown + len, sizeof grown - len, "%s%s's grows with the workload (%s): %.4g "
                 "mm^2 built for %s's largest layer", len ? "; " : "", arch_names[r->arch],
                 r->layer_adds, r->area_mm2, wname);
        len = strlen(grown_n);
        snprintf(grown_n + len, sizeof grown_n - len, "%s%s", len ? " and " : "",
                 arch_names[r->arch]);
      } else if (differ) {
        size_t len = strlen(wide);
        snprintf(wide + len, sizeof wide - len, "%s%s's is built for the width, its PEs those "
                 "synthesized at the narrowest width that holds the layer's wider operand (2, "
                 "4, 8, 16 or 32 bits, costmodel/README.md: int2 and binary both the 2-bit PE; ",
                 len ? "; " : "", arch_names[r->arch]);
        int first = 1;
        for (size_t j = 0; j < nruns; j++)
          if (runs[j].wl == wl && runs[j].arch == r->arch && !runs[j].skipped &&
              runs[j].area_mm2 > 0) {
            len = strlen(wide);
            snprintf(wide + len, sizeof wide - len, "%s%.4g mm^2 at %s", first ? "" : ", ",
                     runs[j].area_mm2, pname(runs[j].bits));
            first = 0;
          }
        len = strlen(wide);
        snprintf(wide + len, sizeof wide - len, ")");
        len = strlen(wide_n);
        snprintf(wide_n + len, sizeof wide_n - len, "%s%s", len ? " and " : "",
                 arch_names[r->arch]);
      } else {
        size_t len = strlen(fixed);
        snprintf(fixed + len, sizeof fixed - len, "%s%s's is fixed (%.4g mm^2%s)",
                 len ? ", " : "", arch_names[r->arch], r->area_mm2,
                 nw > 1 ? " at every width" : "");
        if (nw > 1) { /* one design run at several widths */
          len = strlen(flex_n);
          snprintf(flex_n + len, sizeof flex_n - len, "%s%s", len ? " and " : "",
                   arch_names[r->arch]);
        }
      }
    }
    if (wide[0] || grown[0]) {
      char buf[2200];
      size_t len = (size_t)snprintf(buf, sizeof buf, "areas: %s%s%s%s%s", fixed,
                                    fixed[0] && wide[0] ? "; " : "", wide,
                                    (fixed[0] || wide[0]) && grown[0] ? "; " : "", grown);
      int cmp_w = wide_n[0] && flex_n[0];
      if (cmp_w && len < sizeof buf)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "; so per mm^2 at a narrow width "
                                "compares %s, built for that width, with %s, one design for "
                                "every width", wide_n, flex_n);
      if (grown_n[0] && len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, "%s %s, built for this workload, with general "
                 "designs", cmp_w ? ", and" : "; so per mm^2 compares", grown_n);
      rpt_table_add_note(t, buf);
    }
  }
  char nodes[400];
  if (area_nodes(runs, nruns, wl, nodes, sizeof nodes) > 1) {
    char buf[600];
    snprintf(buf, sizeof buf, "per mm^2 compares areas at different nodes (%s; the summary "
             "names each one's source): not like for like", nodes);
    rpt_table_add_note(t, buf);
  }
  /* each timed model's DRAM bandwidth, once: the designs' memories differ;
   * a design with none says what that means beside its own entry (it read
   * after the whole list, as if of the last, bounded, one) */
#define BW_NONE_MEANS "the model takes its DRAM to keep up, so where a layer moves more than " \
                      "a real interface carries, its latency is a bound from below"
  char bws[1600] = "";
  int bw_seen[A_COUNT] = {0};
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    size_t len = strlen(bws);
    if (r->wl != wl || r->skipped || isnan(r->dram_gbps) || bw_seen[r->arch] ||
        len >= sizeof bws - 1)
      continue;
    bw_seen[r->arch] = 1;
    if (r->dram_gbps > 0)
      snprintf(bws + len, sizeof bws - len, "%s%s %.4g GB/s", len ? ", " : "", arch_names[r->arch],
               r->dram_gbps);
    else {
      /* what the design without a bound asks of its DRAM: its layers' most
       * bytes over their time, at any width it ran */
      double top = 0;
      const run_t *tr = NULL;
      size_t tl = 0;
      for (size_t j = 0; j < nruns; j++) {
        const run_t *q = &runs[j];
        if (q->wl != wl || q->skipped || q->arch != r->arch) continue;
        for (size_t l = 0; l < q->nl && l < wnet->n_layers; l++) {
          const hw_result *x = &q->res[l];
          double gbps = x->ran && x->latency_us > 0 ? (double)x->dram_bytes / x->latency_us * 1e-3
                                                    : 0;
          if (gbps > top) top = gbps, tr = q, tl = l;
        }
      }
      if (tr)
        snprintf(bws + len, sizeof bws - len, "%s%s none (its layers need up to %.4g GB/s: %s "
                 "at %s, %.4g MB in %.4g us; " BW_NONE_MEANS "; what its layers need is the most "
                 "DRAM bytes a layer moves over its latency)", len ? ", " : "",
                 arch_names[r->arch], top, wnet->layers[tl].name, pname(tr->bits),
                 (double)tr->res[tl].dram_bytes * 1e-6, tr->res[tl].latency_us);
      else
        snprintf(bws + len, sizeof bws - len, "%s%s none (" BW_NONE_MEANS ")", len ? ", " : "",
                 arch_names[r->arch]);
    }
  }
#undef BW_NONE_MEANS
  if (bws[0]) {
    char buf[3200];
    snprintf(buf, sizeof buf, "the DRAM bandwidth each design holds its layers to: %s%s%s", bws,
             unb[0] ? "; " : "", unb);
    rpt_table_add_note(t, buf);
  }
  /* a model whose layers leak only what they use: what leaking throughout,
   * as the other arrays do, would cost, and whether the best changes */
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    if (r->wl != wl || r->skipped || !r->leak_gated || !(r->leak_max_mw > 0) ||
        !(r->latency_us > 0))
      continue;
    double alt = r->energy_pj - r->e[HW_E_STATIC] + r->leak_max_mw * r->latency_us * 1e3;
    char flip[300] = "";
    for (int g = 1; g <= 2; g++) { /* energy, energy-delay product */
      const run_t *b = NULL, *b2 = NULL;
      double vb = 0, vb2 = 0;
      for (size_t j = 0; j < nruns; j++) {
        const run_t *q = &runs[j];
        if (q->wl != wl || q->bits != r->bits || q->skipped || q->arch == A_ANALYTIC) continue;
        double e = (q == r ? alt : q->energy_pj) * 1e-6;
        double v = g == 1 ? e : e * q->latency_us, v0 = goal_value(q, g, false);
        if (!b || v < vb) b = q, vb = v;
        if (!b2 || v0 < vb2) b2 = q, vb2 = v0;
      }
      if (b && b2 && b != b2) {
        size_t len = strlen(flip);
        snprintf(flip + len, sizeof flip - len, "%s%s %s's best would be %s",
                 len ? ", and " : "; ", bits_known[r->bits].name,
                 g == 1 ? "energy" : "energy-delay product", arch_names[b->arch]);
      }
    }
    /* the two energies as printed: where they print the same the note
     * says nothing (a layer of one MAC: 0.0003912 uJ, not 0.0003912),
     * unless the best changes, which more digits then show */
    char e_alt[32], e_own[32];
    snprintf(e_alt, sizeof e_alt, "%.4g", alt * 1e-6);
    snprintf(e_own, sizeof e_own, "%.4g", r->energy_pj * 1e-6);
    if (strcmp(e_alt, e_own) == 0) {
      if (!flip[0]) continue;
      snprintf(e_alt, sizeof e_alt, "%.10g", alt * 1e-6);
      snprintf(e_own, sizeof e_own, "%.10g", r->energy_pj * 1e-6);
    }
    char buf[900];
    snprintf(buf, sizeof buf, "%s: %s, where the other arrays leak all of theirs throughout; "
             "leaking its largest layer's (%.4g mW) throughout its %s run would make its energy "
             "%s uJ, not %s%s",
             arch_names[r->arch], r->leak_gated, r->leak_max_mw, bits_known[r->bits].name,
             e_alt, e_own, flip);
    rpt_table_add_note(t, buf);
  }
  /* what a model says of its runs' figures together, in its own words
   * (hw_point_run_note: the bit-serial array's K padding where it is a large
   * share of the cycles, behind its widest margins), once for the widths
   * whose words are the same */
  for (size_t i = 0; i < nruns; i++) {
    const run_t *r = &runs[i];
    if (r->wl != wl || r->skipped || !r->run_note[0]) continue;
    bool said = false;
    for (size_t j = 0; j < i && !said; j++)
      said = runs[j].wl == wl && !runs[j].skipped && runs[j].arch == r->arch &&
             !strcmp(runs[j].run_note, r->run_note);
    if (said) continue;
    char widths[64] = "";
    for (size_t j = i; j < nruns; j++)
      if (runs[j].wl == wl && !runs[j].skipped && runs[j].arch == r->arch &&
          !strcmp(runs[j].run_note, r->run_note)) {
        size_t len = strlen(widths);
        snprintf(widths + len, sizeof widths - len, "%s%s", len ? ", " : "", pname(runs[j].bits));
      }
    char buf[600];
    snprintf(buf, sizeof buf, "%s at %s, as its model says of the run: %s", arch_names[r->arch],
             widths, r->run_note);
    rpt_table_add_note(t, buf);
  }
  return t;
}

/* The SimpleCNN's accuracy at each width evaluated, and each against fp32
 * on the same test images: the discordant images and McNemar's exact
 * p-value (models/nn/nn_stats.h).  outcome: study_cnn_accuracy's, nt images
 * a width.  Also the conclusions' sentence into cmp.  NULL when out of
 * memory. */
static rpt_table *accuracy_table(const study_cnn_width *w, const int *wb, const double *acc,
                                 const uint8_t *outcome, size_t nw, size_t nt, const char *name,
                                 char *cmp, size_t ncmp) {
  static const rpt_column cols[] = {
      {"workload", RPT_STR, 0},     {"bits", RPT_STR, 0},         {"images", RPT_U64, 0},
      {"right", RPT_U64, 0},        {"accuracy_pct", RPT_F64, 2}, {"vs_fp32_points", RPT_F64, 2},
      SIM_CI95_COLS,                {"fp32_only_right", RPT_U64, 0},
      {"width_only_right", RPT_U64, 0},
      {"mcnemar_p", RPT_F64, -4},    {"verdict", RPT_STR, 0}};
  rpt_table *t = rpt_table_create("The SimpleCNN's accuracy at each width, against fp32", cols,
                                  sizeof cols / sizeof cols[0]);
  if (!t) return NULL;
  size_t fp = nw;
  for (size_t i = 0; i < nw; i++)
    if (w[i].fp && w[i].bits == 32 && !isnan(acc[i])) fp = i;
  size_t len = (size_t)snprintf(cmp, ncmp, "Against fp32 on the same %zu test images (McNemar's "
                                "exact test on the images one gets right and the other wrong):",
                                nt);
  int said = 0;
  for (size_t i = 0; i < nw; i++) {
    if (isnan(acc[i])) continue;
    const uint8_t *x = outcome + i * nt;
    uint64_t right = 0;
    for (size_t k = 0; k < nt; k++) right += x[k];
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, name);
    rpt_table_set_str(t, 1, pname(wb[i]));
    rpt_table_set_u64(t, 2, nt);
    rpt_table_set_u64(t, 3, right);
    rpt_table_set_f64(t, 4, acc[i]);
    if (fp == nw || i == fp) continue;
    uint64_t b, c;
    nn_discordant(outcome + fp * nt, x, nt, &b, &c);
    double pv = nn_mcnemar_p(b, c), dpts = acc[i] - acc[fp], lo, hi;
    nn_paired_diff_ci(b, c, nt, 0.95, &lo, &hi);
    const char *verdict = pv < 0.05 ? (dpts < 0 ? "less accurate than fp32 (p < 0.05)"
                                                : "more accurate than fp32 (p < 0.05)")
                                    : "no difference from fp32 shown (p >= 0.05)";
    rpt_table_set_f64(t, 5, dpts);
    rpt_table_set_f64(t, 6, 100 * lo);
    rpt_table_set_f64(t, 7, 100 * hi);
    rpt_table_set_u64(t, 8, b);
    rpt_table_set_u64(t, 9, c);
    rpt_table_set_f64(t, 10, pv);
    rpt_table_set_str(t, 11, verdict);
    if (len < ncmp)
      len += (size_t)snprintf(cmp + len, ncmp - len, "%s %s %+.2f points (95 %% interval %+.2f to "
                              "%+.2f; fp32 alone right on %llu images, %s alone on %llu; p = "
                              "%.2g: %s)", said ? ";" : "", pname(wb[i]), dpts, 100 * lo,
                              100 * hi, (unsigned long long)b, pname(wb[i]),
                              (unsigned long long)c, pv,
                              pv < 0.05 ? "a real difference" : "within the test set's noise");
    said = 1;
  }
  if (!said) cmp[0] = '\0'; /* fp32 not evaluated, or no other width */
  else if (len < ncmp) snprintf(cmp + len, ncmp - len, ".");
  rpt_table_add_note(t, "vs_fp32_points: the width's accuracy minus fp32's, in percentage points; "
                        "fp32_only_right and width_only_right: the test images fp32 gets right "
                        "and the width wrong, and the other way (their difference over the "
                        "images is vs_fp32_points)");
  rpt_table_add_note(t, SIM_CI95_NOTE("vs_fp32_points", "fp32_only_right + width_only_right",
                                      "the width"));
  rpt_table_add_note(t, "mcnemar_p: McNemar's exact two-sided p-value, 2 P(X <= min) for X ~ "
                        "Binomial(fp32_only_right + width_only_right, 1/2), at most 1: how likely "
                        "so uneven a split is when the two are equally accurate (0 where it is "
                        "below 1e-308, past a double's range); n/a for fp32 itself and where "
                        "fp32 was not evaluated");
  return t;
}

/* McNemar's test between every two widths evaluated, into pair_p (indices of
 * bits_known; the same width 1; NAN where either was not evaluated), the
 * 95 % interval of width b's accuracy less width a's into pair_ci[a][b], in
 * points (nn_paired_diff_ci), and their table (accuracy_pairs.csv); NULL
 * when out of memory. */
static rpt_table *pairs_table(const int *wb, const double *acc, const uint8_t *outcome, size_t nw,
                              size_t nt, const char *name,
                              double pair_p[NBITS_KNOWN][NBITS_KNOWN],
                              double pair_ci[NBITS_KNOWN][NBITS_KNOWN][2]) {
  for (size_t a = 0; a < NBITS_KNOWN; a++)
    for (size_t b = 0; b < NBITS_KNOWN; b++)
      pair_p[a][b] = pair_ci[a][b][0] = pair_ci[a][b][1] = NAN;
  /* the widths evaluated (k of them), their outcomes, and every pair's test */
  const uint8_t *out[NBITS_KNOWN] = {NULL};
  size_t ev[NBITS_KNOWN] = {0}, k = 0;
  for (size_t i = 0; i < nw; i++)
    if (!isnan(acc[i])) out[k] = outcome + i * nt, ev[k++] = i;
  double p[NBITS_KNOWN * NBITS_KNOWN];
  uint64_t only[NBITS_KNOWN * NBITS_KNOWN];
  nn_mcnemar_pairs(out, k, nt, p, only);
  static const rpt_column cols[] = {
      {"workload", RPT_STR, 0},        {"bits_a", RPT_STR, 0},
      {"bits_b", RPT_STR, 0},          {"accuracy_a_pct", RPT_F64, 2},
      {"accuracy_b_pct", RPT_F64, 2},  {"a_only_right", RPT_U64, 0},
      {"b_only_right", RPT_U64, 0},    {"b_minus_a_points", RPT_F64, 2},
      SIM_CI95_COLS,                   {"mcnemar_p", RPT_F64, -4},
      {"verdict", RPT_STR, 0}};
  rpt_table *t = rpt_table_create("The SimpleCNN's widths two by two", cols,
                                  sizeof cols / sizeof cols[0]);
  if (!t) return NULL;
  for (size_t x = 0; x < k; x++)
    for (size_t y = 0; y < k; y++) {
      int a = wb[ev[x]], bw = wb[ev[y]];
      pair_p[a][bw] = p[x * k + y];
      uint64_t b = only[x * k + y], c = only[y * k + x];
      double lo = 0, hi = 0; /* a width against itself: no difference */
      if (x != y) nn_paired_diff_ci(b, c, nt, 0.95, &lo, &hi);
      pair_ci[a][bw][0] = 100 * lo;
      pair_ci[a][bw][1] = 100 * hi;
      if (y <= x) continue;
      double pv = p[x * k + y];
      char verdict[96];
      if (pv >= 0.05) snprintf(verdict, sizeof verdict, "no difference shown (p >= 0.05)");
      else snprintf(verdict, sizeof verdict, "%s more accurate (p < 0.05)", pname(b > c ? a : bw));
      if (rpt_table_add_row(t) == (size_t)-1) {
        rpt_table_destroy(t);
        return NULL;
      }
      rpt_table_set_str(t, 0, name);
      rpt_table_set_str(t, 1, pname(a));
      rpt_table_set_str(t, 2, pname(bw));
      rpt_table_set_f64(t, 3, acc[ev[x]]);
      rpt_table_set_f64(t, 4, acc[ev[y]]);
      rpt_table_set_u64(t, 5, b);
      rpt_table_set_u64(t, 6, c);
      rpt_table_set_f64(t, 7, acc[ev[y]] - acc[ev[x]]);
      rpt_table_set_f64(t, 8, 100 * lo);
      rpt_table_set_f64(t, 9, 100 * hi);
      rpt_table_set_f64(t, 10, pv);
      rpt_table_set_str(t, 11, verdict);
    }
  rpt_table_add_note(t, "a_only_right and b_only_right: the test images width a gets right and "
                        "width b wrong, and the other way; mcnemar_p: McNemar's exact two-sided "
                        "p-value on them, as in accuracy.csv; the summary's pareto_noise counts "
                        "a pair with p >= 0.05 as equally accurate");
  rpt_table_add_note(t, "b_minus_a_points: width b's accuracy minus width a's, in percentage "
                        "points");
  rpt_table_add_note(t, SIM_CI95_NOTE("b_minus_a_points", "a_only_right + b_only_right",
                                      "width b"));
  return t;
}

/* The report's opening: the conclusions for the study's workload and for the
 * SimpleCNN beside it, with what accuracy is and is not modelled. */
/* One break-even sweep's outcome, for the conclusions. */
typedef struct {
  int arch;
  char bits[40]; /* the operand width the sweep ran at */
  char fmt[32];
  char layer[160];
  cm_be_outcome lat, en;
  double s_lat, s_en;
  double back_lat, back_en; /* the first swept sparsity past the break-even where the
                             * ratio is below 1 again (NaN: none) */
  double zero_lat, zero_en;  /* a bisected break-even's first paying run: its weights'
                              * realized sparsity (be_bisected.realized_at; NaN: none) */
  bool all_zero_lat, all_zero_en; /* the first point past it has every weight zero */
  cm_be_outcome model;       /* the break-even model's latency outcome (cm_be_fit) */
  double s_model;
  bool agree;                /* model and simulation agree (cm_be_judge) */
  const char *runs_as;       /* how the model runs the format, where not as defined
                              * (be_point.runs_as; NULL: as defined) */
} sp_pay;

static void pay_text(char *buf, size_t n, cm_be_outcome o, double s, double back,
                     bool all_zero, double zero) {
  /* a pattern that drops whole blocks or channels: the zeros the first
   * paying run had, where they read apart from the nominal sparsity */
  char z[48] = "";
  if (!isnan(zero) && fabs(zero - s) >= 5e-5)
    snprintf(z, sizeof z, " (%.4f of the weights zero)", zero);
  if (o != CM_BE_CROSSES) snprintf(buf, n, "%s", cm_be_outcome_name(o));
  else if (all_zero) snprintf(buf, n, "from s = %.4f, with every weight zero", s);
  else if (!isnan(back)) snprintf(buf, n, "from s = %.4f%s, below 1 again at %.2f", s, z, back);
  else snprintf(buf, n, "from s = %.4f%s", s, z);
}

/* Whether the first swept point at or past sparsity s has every weight
 * zero (a layer of one or two blocks: its pattern drops all or none). */
static bool all_zero_at(const be_point *p, size_t n, double s) {
  for (size_t i = 0; i < n; i++)
    if (p[i].s >= s) return p[i].realized_s >= 1.0;
  return false;
}

/* The first swept point past sparsity s whose ratio (the speedup, or the
 * energy gain) is below 1 again: a curve that crosses 1 and falls back
 * (NaN: none). */
static double below_again(const be_point *p, size_t n, double s, bool energy) {
  for (size_t i = 0; i < n; i++)
    if (p[i].s > s && (energy ? p[i].energy_gain : p[i].speedup) < 1) return p[i].s;
  return NAN;
}

static em_status section_conclusions(rpt_doc *doc, const run_t *runs, size_t nruns,
                                     const opts_t *o, const dram_prices *dp,
                                     const wl_network *net,
                                     const wl_network *cnet, int acc_done, int cnn_main,
                                     const char *acc_note, const char *train_note,
                                     const char *acc_cmp,
                                     const char *noise_cmp, const sp_pay *pays, size_t npay,
                                     em_diag *d) {
  rpt_doc_heading(doc, 2, "Conclusions");
  char buf[900];
  for (int wl = 0; wl < 2; wl++) {
    if (wl == 1 && !cnet) break;
    const char *name = wl ? cnet->name : net->name;
    int with_acc = acc_done && (wl == 1 || cnn_main);
    if (with_acc)
      snprintf(buf, sizeof buf,
               "%s: Fashion-MNIST test accuracy beside the cost at each width, measured through "
               "the MAC model the RTL is checked against (fp32 in floating point; every layer "
               "at the row's width). Its Pareto front spans test error, latency and energy.",
               name);
    else
      snprintf(buf, sizeof buf,
               "%s: accuracy is not modelled, so its Pareto front is on latency and energy "
               "alone: a lower bit width here is cheaper, not known to be as accurate%s",
               name, wl == 0 && cnet ? " (the SimpleCNN below measures what each width costs "
                                       "in accuracy on a small network, briefly trained from "
                                       "one seed: see there)." : ".");
    rpt_doc_para(doc, buf);
    if (with_acc && train_note[0]) rpt_doc_para(doc, train_note);
    if (with_acc && acc_cmp[0]) rpt_doc_para(doc, acc_cmp);
    if (with_acc && noise_cmp[0]) rpt_doc_para(doc, noise_cmp);
    if (wl == 0 && acc_note[0]) rpt_doc_para(doc, acc_note);
    rpt_table *t = conclusions_of(runs, nruns, wl, o, dp, wl ? cnet : net, with_acc);
    if (!t) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    rpt_doc_table(doc, t);
    rpt_table_destroy(t);
    /* the energy winners at other DRAM prices (dram_prices.csv), where
     * there is a design (none with the closed-form model alone) */
    t = price_table(runs, nruns, wl, dp, name);
    if (!t) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (rpt_table_rows(t)) rpt_doc_table(doc, t);
    rpt_table_destroy(t);
  }
  if (npay == 0) return EM_OK;
  /* where sparsity pays: the break-even sweeps' outcomes, in latency and in
   * energy, on each model's design point as the study ran it (--set and -c
   * included: not its default where they changed it) */
  static const rpt_column pcols[] = {{"arch", RPT_STR, 0},    {"bits", RPT_STR, 0},
                                     {"format", RPT_STR, 0},  {"layer", RPT_STR, 0},
                                     {"latency", RPT_STR, 0}, {"energy", RPT_STR, 0},
                                     {"model (latency)", RPT_STR, 0}};
  rpt_table *t = rpt_table_create("Where sparsity pays", pcols, 7);
  if (!t) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < npay; i++) {
    char lat[112], en[112];
    pay_text(lat, sizeof lat, pays[i].lat, pays[i].s_lat, pays[i].back_lat,
             pays[i].all_zero_lat, pays[i].zero_lat);
    pay_text(en, sizeof en, pays[i].en, pays[i].s_en, pays[i].back_en, pays[i].all_zero_en,
             pays[i].zero_en);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, arch_names[pays[i].arch]);
    rpt_table_set_str(t, 1, pays[i].bits);
    rpt_table_set_str(t, 2, pays[i].fmt);
    rpt_table_set_str(t, 3, pays[i].layer);
    rpt_table_set_str(t, 4, lat);
    rpt_table_set_str(t, 5, en);
    /* the closed-form break-even model beside the simulation: where it
     * disagrees, the simulated figure stands alone */
    char mod[112];
    if (pays[i].model == CM_BE_CROSSES)
      snprintf(mod, sizeof mod, "from s = %.4f", pays[i].s_model);
    else
      snprintf(mod, sizeof mod, "%s", cm_be_outcome_name(pays[i].model));
    size_t ml = strlen(mod);
    snprintf(mod + ml, sizeof mod - ml, pays[i].agree ? ": agrees" : ": disagrees");
    rpt_table_set_str(t, 6, mod);
  }
  rpt_table_add_note(t, "from the sweeps of the sparsity section (its weights' sparsities as "
                        "asked); 'from s' is where the simulated speedup (energy gain) first "
                        "passes 1: linear between the points, or bisected with 4 more runs "
                        "where the point before costs what dense does (a step: a fold or block "
                        "dropped whole), and then the weights the first paying run had zero "
                        "where they differ (a pattern that drops whole channels or blocks); "
                        "'below 1 again' names the first swept sparsity past it "
                        "where it does not pay after all, 'with every weight zero' a layer so "
                        "few blocks large that its pattern drops all of them or none");
  rpt_table_add_note(t, "model (latency): the closed-form break-even model fitted to the same "
                        "sweep (breakeven_points.csv: outcome_model, breakeven_model, agree), "
                        "and whether it agrees with the simulation: the same outcome, a "
                        "break-even within one sweep step, a fit within 20 %");
  /* a format a model runs otherwise than its definition (the model's own
   * words, hw_sparse_info.runs_as): the GPU's mask runs the dense kernel,
   * so its row is dense's by construction, not a finding */
  for (size_t i = 0; i < npay; i++) {
    bool said = false;
    for (size_t j = 0; j < i && !said; j++)
      said = pays[j].arch == pays[i].arch && !strcmp(pays[j].fmt, pays[i].fmt);
    if (pays[i].runs_as && !said) {
      char note[512];
      snprintf(note, sizeof note, "%s %s: %s", arch_names[pays[i].arch], pays[i].fmt,
               pays[i].runs_as);
      rpt_table_add_note(t, note);
    }
  }
  rpt_doc_para(doc, "Where sparse weights pay, in latency and in energy, on each model's "
                    "design point as this study ran it, at the width its sweep ran (bits):");
  rpt_doc_table(doc, t);
  rpt_table_destroy(t);
  return EM_OK;
}

static void cnn_progress(const char *line) { sim_progress("study", "%s", line); }

static int cmd_study(int argc, char **argv) {
  opts_t o;
  memset(&o, 0, sizeof o);
  o.workload = "alexnet";
  o.gpu = "volta";
  o.out = "study";
  o.repeat = 5;
  o.jobs = 2;
  o.accuracy = 1;
#ifdef EMLSIM_CACHE_DIR
  o.cache = EMLSIM_CACHE_DIR;
#endif
  for (int i = 0; i < A_COUNT; i++) o.arch[i] = 1;
  o.bits[0] = o.bits[2] = o.bits[3] = o.bits[5] = 1; /* fp32, int8, int4, binary */
  /* the break-even command's sweep, point for point (breakeven.h) */
  for (int i = 0; i < BE_POINTS; i++) o.sp[o.nsp++] = BE_FROM + (double)i * BE_STEP;
  int rc = parse(argc, argv, &o);
  if (rc >= 0) return rc;
  /* a --set setting that changes nothing at its model's design is refused,
   * as every command refuses it (sim_settings_idle): 'systolic.mode=closed'
   * beside 'systolic.bandwidth_mode=user' reported a USER design at the
   * closed form's CALC figures, which `emlsim systolic` refuses */
  for (int a = 0; a < A_COUNT; a++) {
    if (!o.sets[a].n || !o.arch[a]) continue;
    hw_point *pt = NULL;
    em_diag cd;
    em_diag_clear(&cd);
    /* a design that fails to configure is said where it runs */
    if (study_point(&o, a, NULL, NULL, false, &pt, &cd) != EM_OK) continue;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s.", arch_names[a]);
    rc = sim_settings_idle(&o.sets[a], "study", pt, prefix);
    hw_point_destroy(pt);
    if (rc >= 0) return rc;
  }
  double t_start = now_s();

  em_diag d;
  em_diag_clear(&d);
  /* the cache is a folder, or one to be made: a file there was found only
   * when the trained weights were stored, a note in report.md ("not
   * cached: not a directory") and the training repeated on every run */
  if (o.accuracy && o.cache) {
    struct stat cs;
    const char *why = NULL, *err = "";
    if (stat(o.cache, &cs) == 0)
      why = S_ISDIR(cs.st_mode) ? NULL : S_ISREG(cs.st_mode) ? "is a regular file, not a directory"
                                                             : "is not a directory";
    else if (errno == ENOTDIR)
      why = "is inside a file, not a directory";
    else if (errno != ENOENT) { /* ENOENT: made when the weights are stored */
      why = "cannot be used: ";
      err = em_errno_text(errno);
    }
    if (why) {
      em_diag_set(&d, EM_ERR_INVALID, o.cache, 0, 0, "the SimpleCNN's cache ('--cache') %s%s",
                  why, err);
      return sim_fail(&d);
    }
  }
  /* The report folder is written into a staging folder and renamed into
   * place at the end: all of it, or (on any error, a missing gnuplot
   * included) none of it (em_outfile.h). */
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(o.workload),
                              {EM_IO_INPUT, "--gpu", sim_gpu_file(o.gpu)},
                              {EM_IO_INPUT, "-c", o.sa_cfg},
                              {EM_IO_OUT_DIR, "-o", o.out}};
  em_outfile *set = NULL;
  const char *out_shown = o.out;
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK ||
      sim_need_gnuplot(&d) != EM_OK || em_outdir_open(o.out, &io, "study", &set, &d) != EM_OK)
    return sim_fail(&d);
  o.out = em_outfile_tmp(set);
  wl_network *net = NULL;
  cm_energy_table *et = NULL;
  run_t runs[NRUNS_MAX];
  size_t nruns = 0;
  rpt_doc *doc = NULL;
  rpt_table *tab = NULL;
  rpt_table *ft = NULL, *btab = NULL; /* the break-even points and curves, made before the report */
  /* the layers swept, each with its share of the network's MACs and
   * weights; the GPU sweeps whose dense time is mostly the launch */
  char sp_shares[900] = "", launch_dom[600] = "";
  char sp_refused[900] = ""; /* sweeps the study's design cannot run, and why */
  char sp_size[1200] = ""; /* sweeps past the size a sweep takes, and what ran instead */
  plt_series ser[8];
  double xs[8][MAX_SP], ys[8][MAX_SP];
  char titles[8][400]; /* format, layer and outcome */
  size_t ns = 0;
  sp_pay pays[8]; /* where sparsity pays, for the conclusions */
  size_t npay = 0;
  simt_detail *simt_det = NULL; /* per layer, when the GPU ran */
  hw_point *gpu_pt = NULL;
  const simt_config *gpu = NULL;
  double simt_wall = 0;
  unsigned simt_jobs = 0; /* the threads the GPU's layers ran on (--jobs, or fewer) */
  wl_network *cnet = NULL; /* the SimpleCNN beside the study's workload */
  study_cnn_info cinfo;
  char acc_note[600] = "";
  char train_note[1000] = ""; /* the SimpleCNN's training budget, for the conclusions */
  char acc_cmp[1200] = ""; /* the widths against fp32, for the conclusions */
  char noise_cmp[1200] = ""; /* the front within the test set's noise, for the conclusions */
  rpt_table *acc_tab = NULL; /* the SimpleCNN's accuracy at each width */
  rpt_table *pair_tab = NULL; /* ... and its widths two by two */
  double pair_p[NBITS_KNOWN][NBITS_KNOWN]; /* McNemar's p between two widths */
  double pair_ci[NBITS_KNOWN][NBITS_KNOWN][2]; /* and their difference's 95 % interval */
  int acc_done = 0;
  wl_dataset ftrain = {0}, ftest = {0}; /* Fashion-MNIST, when it was read */
  int have_data = 0;
  char path[4400], plots[4300], buf[4096];
  memset(&cinfo, 0, sizeof cinfo);
  memset(runs, 0, sizeof runs);
  for (size_t a = 0; a < NBITS_KNOWN; a++)
    for (size_t b = 0; b < NBITS_KNOWN; b++)
      pair_p[a][b] = pair_ci[a][b][0] = pair_ci[a][b][1] = NAN;
  rc = SIM_EXIT_ERROR;

  sim_bits none = {0};
  if (sim_workload_load(o.workload, &none, SIM_PREC_FP32, &net, &d) != EM_OK) goto fail;
  if (cm_energy_table_default(&et, &d) != EM_OK) goto fail;
  study_cnn_cfg cc = study_cnn_defaults(); /* the SimpleCNN's data, cache and training */
  cc.data = o.data;
  cc.cache = o.cache;
  if (o.accuracy) {
    /* the data set before the models: one asked for (--accuracy, --data)
     * that is missing or bad fails the study at once, not after its runs;
     * by default, a study without it says so and gives the cost alone */
    em_diag cd;
    em_diag_clear(&cd);
    cnn_progress("SimpleCNN: reading Fashion-MNIST");
    if (study_cnn_data(&cc, &ftrain, &ftest, &cd) == EM_OK) {
      have_data = 1;
    } else if (o.accuracy_asked) {
      d = cd;
      goto fail;
    } else {
      snprintf(acc_note, sizeof acc_note, "The SimpleCNN's accuracy was not measured: %.200s%s%.300s.",
               cd.path[0] ? cd.path : "", cd.path[0] ? ": " : "", cd.msg);
    }
  }
  snprintf(plots, sizeof plots, "%s/plots", o.out);
  if (em_mkdir_p(plots, &d) != EM_OK) goto fail;
  size_t nl = net->n_layers;

  simt_out g = {NULL, NULL, 0, 0};
  dram_prices dp;
  /* what a run is (wl_network.inferences): "per inference", or a batch's
   * "per run"; the SimpleCNN beside it is one inference a run */
  const char *per = net->inferences == 1 ? "per inference" : "per run";
  char per_uj[40];
  snprintf(per_uj, sizeof per_uj, "energy %s (uJ)", per);
  em_status rs = run_models(&o, net, 0, et, runs, &nruns, &g, &d);
  simt_det = g.det;
  gpu_pt = g.pt;
  hw_point_close(gpu_pt); /* its configuration is what the report needs, not its GPU */
  gpu = gpu_pt ? hw_point_config(gpu_pt) : NULL;
  simt_wall = g.wall;
  simt_jobs = g.jobs;
  if (rs != EM_OK) goto fail;
  if (dram_prices_of(et, &dp, &d) != EM_OK ||
      price_runs(&o, net, 0, et, &dp, runs, nruns, &d) != EM_OK ||
      common_runs(&o, net, 0, runs, nruns, et, &d) != EM_OK ||
      unbound_runs(&o, net, 0, runs, nruns, et, &d) != EM_OK)
    goto fail;
  size_t nruns_main = nruns;
  size_t nrun_ok = 0;
  for (size_t i = 0; i < nruns; i++) nrun_ok += !runs[i].skipped;
  if (nrun_ok == 0) {
    char list[512] = "";
    for (size_t i = 0; i < nruns && strlen(list) < 400; i++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s at %s: %s",
               i ? "; " : "", arch_names[runs[i].arch], pname(runs[i].bits), runs[i].note + 9);
    em_diag_set(&d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                "no model can run any of the bit widths asked for (%s)", list);
    goto fail;
  }

  /* ---- accuracy beside cost: the SimpleCNN on every model, and its
   * Fashion-MNIST accuracy at each width (study_cnn.h) ---- */
  int cnn_main = strcmp(net->source, "builtin:simplecnn") == 0;
  if (o.accuracy) {
    if (!cnn_main) {
      if (sim_workload_load("simplecnn", &none, SIM_PREC_FP32, &cnet, &d) != EM_OK) goto fail;
      if (run_models(&o, cnet, 1, et, runs, &nruns, NULL, &d) != EM_OK ||
          price_runs(&o, cnet, 1, et, &dp, runs, nruns, &d) != EM_OK ||
          common_runs(&o, cnet, 1, runs, nruns, et, &d) != EM_OK ||
          unbound_runs(&o, cnet, 1, runs, nruns, et, &d) != EM_OK)
        goto fail;
    }
    study_cnn_width w[NBITS_KNOWN];
    double acc[NBITS_KNOWN];
    int wb[NBITS_KNOWN];
    size_t nw = 0;
    for (int b = 0; b < (int)NBITS_KNOWN; b++)
      if (o.bits[b]) {
        w[nw] = (study_cnn_width){bits_known[b].p.bits, bits_known[b].p.fp};
        wb[nw++] = b;
      }
    if (have_data) {
      uint8_t *outcome = calloc(nw * ftest.n + 1, 1);
      if (!outcome) goto nomem;
      if (study_cnn_accuracy(&cc, &ftrain, &ftest, w, nw, acc, outcome, &cinfo, cnn_progress,
                             &d) != EM_OK) {
        free(outcome);
        goto fail;
      }
      acc_done = 1;
      acc_tab = accuracy_table(w, wb, acc, outcome, nw, cinfo.ntest,
                               cnn_main ? net->name : cnet->name, acc_cmp, sizeof acc_cmp);
      pair_tab = pairs_table(wb, acc, outcome, nw, cinfo.ntest, cnn_main ? net->name : cnet->name,
                             pair_p, pair_ci);
      free(outcome);
      if (!acc_tab || !pair_tab) goto nomem;
      for (size_t i = 0; i < nruns; i++)
        for (size_t k = 0; k < nw; k++)
          if (runs[i].wl == (cnn_main ? 0 : 1) && runs[i].bits == wb[k] && !runs[i].skipped)
            runs[i].acc_pct = acc[k];
      /* the training's budget beside its accuracies: a brief one, one seed
       * (study_cnn_defaults), what longer training reaches, and what the
       * tests of the accuracies do not cover */
      char fp[96] = "";
      for (size_t k = 0; k < nw; k++)
        if (bits_known[wb[k]].p.fp && bits_known[wb[k]].p.bits == 32 && !isnan(acc[k]))
          snprintf(fp, sizeof fp, " (fp32 %.2f %% here)", acc[k]);
      snprintf(train_note, sizeof train_note, "The SimpleCNN is trained briefly, to keep the "
               "study short: %u epoch%s over the first %zu training images, one seed (%llu)%s, "
               "where models/nn/README.md measures %.2f %% in fp32 after %u epochs over all "
               "%u; so these are an under-trained network's accuracies, from one training, and "
               "McNemar's test and the 95 %% intervals cover the test images' noise only, not "
               "another seed or a longer training, either of which may move the widths' "
               "differences. `emlsim study` has no option for the training (`emlsim quant "
               "--cnn N --seed S` trains the network for N epochs).",
               cc.epochs, cc.epochs == 1 ? "" : "s", cc.ntrain, (unsigned long long)cc.seed, fp,
               STUDY_CNN_LONGER_FP32_PCT, STUDY_CNN_LONGER_EPOCHS, STUDY_CNN_LONGER_IMAGES);
    }
  }

  /* The Pareto fronts, one per workload (designs of different networks do
   * not compete): latency and energy for a network whose accuracy is not
   * modelled, and test error, latency and energy where it is (a run whose
   * accuracy is not modelled, binary SimpleCNN, is then off the front).
   * A study of the SimpleCNN itself has no second workload: an empty one
   * would overwrite what the front within noise says of the first. */
  for (int wl = 0; wl < 2; wl++) {
    if (wl == 1 && !cnet) break;
    double v[3 * NRUNS_MAX];
    uint8_t skip[NRUNS_MAX], fr[NRUNS_MAX];
    int with_acc = acc_done && (wl == 1 || cnn_main);
    for (size_t i = 0; i < nruns; i++) {
      v[3 * i] = with_acc ? 100 - runs[i].acc_pct : 0;
      v[3 * i + 1] = runs[i].latency_us;
      v[3 * i + 2] = runs[i].energy_pj;
      skip[i] = runs[i].wl != wl || runs[i].arch == A_ANALYTIC || runs[i].skipped ||
                (with_acc && isnan(runs[i].acc_pct));
    }
    if (cm_pareto_front(v, nruns, 3, skip, fr) != 0) goto nomem;
    for (size_t i = 0; i < nruns; i++)
      if (runs[i].wl == wl) {
        runs[i].front = fr[i];
        runs[i].in_front = !skip[i];
        runs[i].front_noise = fr[i];
      }
    if (!with_acc) continue;
    /* the same front with two widths whose accuracies McNemar's test does
     * not tell apart (p >= 0.05) counted equally accurate */
    uint8_t tied[NRUNS_MAX * NRUNS_MAX];
    size_t by[NRUNS_MAX];
    for (size_t i = 0; i < nruns; i++)
      for (size_t j = 0; j < nruns; j++) {
        double pv = skip[i] || skip[j] ? NAN : pair_p[runs[i].bits][runs[j].bits];
        tied[i * nruns + j] = !isnan(pv) && pv >= 0.05;
      }
    cm_pareto_front_tied(v, nruns, 3, skip, tied, fr, by);
    size_t len = 0, left = 0, joined = 0;
    for (size_t i = 0; i < nruns; i++) {
      if (runs[i].wl != wl || skip[i]) continue;
      runs[i].front_noise = fr[i];
      left += runs[i].front && !fr[i];
      joined += !runs[i].front && fr[i];
    }
    len = (size_t)snprintf(noise_cmp, sizeof noise_cmp,
                           "Counting two widths as equally accurate where McNemar's test does "
                           "not tell them apart (p >= 0.05, accuracy_pairs.csv; the summary's "
                           "pareto_noise), the front %s",
                           left || joined ? "changes:" : "stays the same.");
    for (size_t i = 0; i < nruns && len < sizeof noise_cmp; i++) {
      if (runs[i].wl != wl || skip[i] || !(runs[i].front && !fr[i])) continue;
      const run_t *q = &runs[by[i]];
      len += (size_t)snprintf(noise_cmp + len, sizeof noise_cmp - len,
                              " %s at %s leaves it (%s at %s is as fast or faster, uses as "
                              "little energy or less, and is not shown less accurate: %.2f "
                              "against %.2f %%, p = %.2g, the difference's 95 %% interval "
                              "%+.2f to %+.2f points);",
                              arch_names[runs[i].arch], pname(runs[i].bits), arch_names[q->arch],
                              pname(q->bits), q->acc_pct, runs[i].acc_pct,
                              pair_p[runs[i].bits][q->bits], pair_ci[runs[i].bits][q->bits][0],
                              pair_ci[runs[i].bits][q->bits][1]);
    }
    for (size_t i = 0; i < nruns && len < sizeof noise_cmp; i++) {
      if (runs[i].wl != wl || skip[i] || !(!runs[i].front && fr[i])) continue;
      len += (size_t)snprintf(noise_cmp + len, sizeof noise_cmp - len,
                              " %s at %s joins it (only a more accurate run of the same cost put "
                              "it off, by less than the test tells apart);",
                              arch_names[runs[i].arch], pname(runs[i].bits));
    }
    if ((left || joined) && len < sizeof noise_cmp) noise_cmp[len - 1] = '.';
  }

  if (o.nsp >= 2) sim_progress("study", "sparsity sweeps (%zu points a curve)", o.nsp);
  if (o.nsp >= 2) {
    /* the layer with the most MACs (systolic, bit-serial, XNOR channel pruning), the last FC
     * layer, a GEMV at batch 1 (SIMT, memory-bound), and beside it a
     * compute-bound SIMT case: that FC at batch 256 where it stays within
     * 2^25 MACs, else the convolution with the fewest MACs on at most that
     * many MACs' worth of its output pixels.  The bound keeps the case to
     * about 4 s of CPU a point (the CUDA-core kernels simulate about 2^23
     * MACs a second): AlexNet's FC-3 at batch 256 would be 1.05 G MACs,
     * CONV-1 whole 105 M (11 s a point); CONV-1 on 962 of its 3025 pixels,
     * 96 x 363 weights, is 35 flops a byte in fp32, 1.5 times the volta
     * preset's ridge (the TITAN V: 80 SMs x 128 flops a cycle over 24 DRAM
     * channels x 18.7 bytes, 10240 / 448.8 = 22.8): compute-bound */
    const wl_layer *big = NULL, *fc = NULL, *conv = NULL;
    uint64_t bm = 0, cm = UINT64_MAX;
    for (size_t k = 0; k < nl; k++) {
      const wl_layer *l = &net->layers[k];
      if (l->kind != WL_CONV && l->kind != WL_FC && l->kind != WL_GEMM) continue;
      wl_gemm_view v = wl_layer_gemm_view(l);
      if (v.groups != 1) continue;
      if (v.m * v.n * v.k > bm) {
        bm = v.m * v.n * v.k;
        big = l;
      }
      if (l->kind == WL_CONV && v.m * v.n * v.k < cm) {
        cm = v.m * v.n * v.k;
        conv = l;
      }
      if (l->kind == WL_FC || l->kind == WL_GEMM) fc = l;
    }
    const wl_layer *cbound = NULL;
    uint64_t cbatch = 0; /* the compute-bound case's M: 256 for the FC, 0: the layer's */
    const uint64_t cmax = 1ull << 25;
    /* and on at most as many outputs as the GPU's CSR sweep takes (the
     * model table's limits: be_check_size refuses the case past them) */
    uint64_t omax = 0;
    if (o.arch[A_SIMT]) {
      hw_point *sp = NULL;
      em_diag d2;
      cm_sparse_spec csr;
      cm_sparse_spec_parse("csr", &csr);
      if (study_point(&o, A_SIMT, NULL, et, false, &sp, &d2) == EM_OK)
        omax = hw_sparse_limits_of(hw_point_model(sp), hw_point_config(sp), &csr).outputs_max;
      hw_point_destroy(sp);
    }
    if (fc) {
      wl_gemm_view v = wl_layer_gemm_view(fc);
      if (v.n * v.k <= cmax / 256 && (!omax || 256 * v.n <= omax)) {
        cbound = fc;
        cbatch = 256;
      }
    }
    if (!cbound && conv) {
      wl_gemm_view v = wl_layer_gemm_view(conv);
      uint64_t px = cmax / (v.n * v.k);
      if (omax && px > omax / v.n) px = omax / v.n;
      if (px >= 256) { /* enough pixels to stay compute-bound */
        cbound = conv;
        cbatch = px < v.m ? px : 0;
      }
    }
    sweep_job jobs[] = {{A_SYSTOLIC, "csr", big, 8, 0, PICK_MOST},
                        {A_SYSTOLIC, "channel", big, 8, 0, PICK_MOST},
                        {A_BITSERIAL, "bsr", big, 4, 0, PICK_MOST},
                        {A_SIMT, "csr", fc, 0, 0, PICK_LAST_FC},
                        {A_SIMT, "bsr", fc, 0, 0, PICK_LAST_FC},
                        {A_SIMT, "mask", fc, 0, 0, PICK_LAST_FC},
                        {A_SIMT, "csr", cbound, 0, cbatch, PICK_ONE},
                        {A_XNOR, "channel", big, 0, 0, PICK_MOST}};
    static const rpt_column bcols[] = {
        {"arch", RPT_STR, 0},        {"format", RPT_STR, 0},       {"layer", RPT_STR, 0},
        {"sparsity", RPT_F64, 4},    {"realized_sparsity", RPT_F64, 4},
        {"dense_cycles", RPT_U64, 0}, {"sparse_cycles", RPT_U64, 0},
        {"speedup", RPT_F64, 3},     {"dense_energy_pj", RPT_F64, 1},
        {"sparse_energy_pj", RPT_F64, 1}, {"storage_bytes", RPT_U64, 0},
        {"metadata_bytes", RPT_U64, 0}, {"bits", RPT_STR, 0}};
    static const rpt_column fcols[] = {
        {"arch", RPT_STR, 0},       {"format", RPT_STR, 0},         {"layer", RPT_STR, 0},
        {"outcome_sim", RPT_STR, 0}, {"breakeven_sim", RPT_F64, 4},
        {"outcome_model", RPT_STR, 0}, {"breakeven_model", RPT_F64, 4},
        {"outcome_energy", RPT_STR, 0}, {"breakeven_energy", RPT_F64, 4},
        {"peff_source", RPT_STR, 0}, {"fit_err_pct", RPT_F64, 1}, {"agree", RPT_STR, 0},
        {"dense_reference", RPT_STR, 0}, {"bits", RPT_STR, 0}};
    btab = rpt_table_create("Break-even curves", bcols, sizeof bcols / sizeof bcols[0]);
    ft = rpt_table_create("Break-even points", fcols, sizeof fcols / sizeof fcols[0]);
    em_status s = btab && ft ? EM_OK : EM_ERR_NOMEM;
    if (s != EM_OK) em_diag_set(&d, s, NULL, 0, 0, "out of memory");
    /* the sweeps the run asked for, on --jobs threads; their rows in job order */
    enum { NJOBS = sizeof jobs / sizeof jobs[0] };
    sweep_job run[NJOBS];
    sweep_out outs[NJOBS];
    size_t nrun = 0;
    memset(outs, 0, sizeof outs);
    for (size_t q = 0; q < NJOBS; q++) {
      if (!o.arch[jobs[q].arch] || !jobs[q].l) continue;
      /* a format the study's design cannot run (zero skipping on a
       * --set systolic.dataflow=is array) is said, not run: it failed the
       * whole study */
      hw_point *pt = NULL;
      em_diag d2;
      cm_sparse_spec fs;
      char why[256] = "";
      const wl_layer *within = NULL;
      sweep_format(&jobs[q], &fs);
      em_diag_clear(&d2);
      if (sweep_point(&jobs[q], &o, et, false, &pt, &d2) == EM_OK &&
          hw_sparse_refuses(hw_point_model(pt), hw_point_config(pt), &fs, false, why,
                            sizeof why)) {
        size_t len = strlen(sp_refused);
        snprintf(sp_refused + len, sizeof sp_refused - len, "%s%s %s: %s", len ? "; " : "",
                 arch_names[jobs[q].arch], jobs[q].fmt, why);
      } else if (pt && (within = sweep_within(&jobs[q], net, pt, &d2)) != jobs[q].l) {
        /* past the size a sweep takes, as `emlsim breakeven` refuses it:
         * another layer of the kind within it, or none */
        size_t len = strlen(sp_size);
        if (within)
          snprintf(sp_size + len, sizeof sp_size - len, "%s%s, so %s, the %s within it, "
                   "instead", len ? "; " : "", d2.msg, within->name,
                   jobs[q].pick == PICK_MOST ? "layer with the most MACs" : "last FC layer");
        else
          snprintf(sp_size + len, sizeof sp_size - len, "%s%s: not swept", len ? "; " : "",
                   d2.msg);
        if (within) {
          run[nrun] = jobs[q];
          run[nrun++].l = within;
        }
      } else
        run[nrun++] = jobs[q];
      hw_point_destroy(pt);
    }
    sweep_ctx sx = {run, outs, &o, et};
    { /* each sweep is one layer, not the network: its share of it */
      cm_layer_cost tot, lc;
      em_diag d2;
      const wl_layer *said[NJOBS];
      size_t nsaid = 0;
      /* counted alone (no table): a table without a row some model does
       * not use must not drop the note */
      if (cm_network_cost(net, NULL, NULL, &tot, &d2) == EM_OK && tot.macs && tot.weights)
        for (size_t q = 0; q < nrun; q++) {
          const wl_layer *l = run[q].l;
          bool seen = false;
          for (size_t k = 0; k < nsaid; k++) seen |= said[k] == l;
          if (seen || cm_layer_count(l, &lc, &d2) != EM_OK) continue;
          said[nsaid++] = l;
          size_t len = strlen(sp_shares);
          snprintf(sp_shares + len, sizeof sp_shares - len, "%s%s %.1f %% of its MACs and %.1f "
                   "%% of its weights", len ? "; " : "", l->name,
                   100.0 * (double)lc.macs / (double)tot.macs,
                   100.0 * (double)lc.weights / (double)tot.weights);
        }
    }
    /* each sweep holds its design point and its layer's pattern: as many
     * at once as fit */
    uint64_t each = 0;
    for (size_t q = 0; q < nrun; q++) {
      uint64_t b = sweep_bytes(&run[q], &o, et);
      if (b > each) each = b;
    }
    unsigned sjobs = sim_jobs_within("study", o.jobs, nrun, each, "break-even sweep");
    if (s == EM_OK) s = em_pool_run(sjobs, nrun, sweep_run, &sx, NULL, &d);
    for (size_t q = 0; q < nrun && s == EM_OK; q++) {
      int a = run[q].arch;
      const be_point *p = outs[q].p;
      size_t n = outs[q].n;
      if (a == A_SIMT && gpu && n && 2 * gpu->kernel_launch_cycles > p[0].dense_cycles &&
          !strstr(launch_dom, outs[q].lname)) {
        size_t len = strlen(launch_dom);
        snprintf(launch_dom + len, sizeof launch_dom - len, "%s%s: %llu of %llu cycles",
                 len ? "; " : "", outs[q].lname, (unsigned long long)gpu->kernel_launch_cycles,
                 (unsigned long long)p[0].dense_cycles);
      }
      const be_summary bs = outs[q].bs;
      const char *lname = outs[q].lname, *fmtname = outs[q].fmtname;
      const cm_be_fit f = bs.fit;
      char bits[40], wb[16], ab[16]; /* the width the sweep ran: W:A, or W where both are */
      wl_prec_format(bs.w, wb, sizeof wb);
      wl_prec_format(bs.a, ab, sizeof ab);
      if (strcmp(wb, ab) == 0) snprintf(bits, sizeof bits, "%s", wb);
      else snprintf(bits, sizeof bits, "%s:%s", wb, ab);
      for (size_t i = 0; i < n; i++) {
        rpt_table_add_row(btab);
        rpt_table_set_str(btab, 0, arch_names[a]);
        rpt_table_set_str(btab, 1, fmtname);
        rpt_table_set_str(btab, 2, lname);
        rpt_table_set_f64(btab, 3, p[i].s);
        rpt_table_set_f64(btab, 4, p[i].realized_s);
        rpt_table_set_u64(btab, 5, p[i].dense_cycles);
        rpt_table_set_u64(btab, 6, p[i].sparse_cycles);
        /* every channel pruned: no cycle, no finite speedup (n/a, not 0) */
        if (!isinf(p[i].speedup)) rpt_table_set_f64(btab, 7, p[i].speedup);
        rpt_table_set_f64(btab, 8, p[i].dense_energy_pj);
        rpt_table_set_f64(btab, 9, p[i].sparse_energy_pj);
        rpt_table_set_u64(btab, 10, p[i].storage_bytes);
        rpt_table_set_u64(btab, 11, p[i].metadata_bytes);
        rpt_table_set_str(btab, 12, bits);
        if (ns < 8 && i < MAX_SP) {
          xs[ns][i] = p[i].s;
          ys[ns][i] = p[i].speedup; /* an infinite one is left out, not drawn at 0 */
        }
      }
      rpt_table_add_row(ft);
      rpt_table_set_str(ft, 0, arch_names[a]);
      rpt_table_set_str(ft, 1, fmtname);
      rpt_table_set_str(ft, 2, lname);
      /* named outcomes; a sparsity only where the curve crosses (else n/a) */
      rpt_table_set_str(ft, 3, cm_be_outcome_name(f.sim));
      if (f.sim == CM_BE_CROSSES) rpt_table_set_f64(ft, 4, f.s_sim);
      rpt_table_set_str(ft, 5, cm_be_outcome_name(f.model));
      if (f.model == CM_BE_CROSSES) rpt_table_set_f64(ft, 6, f.s_model);
      rpt_table_set_str(ft, 7, cm_be_outcome_name(f.energy));
      if (f.energy == CM_BE_CROSSES) rpt_table_set_f64(ft, 8, f.s_energy);
      rpt_table_set_str(ft, 9, f.peff_source == CM_BE_PEFF_COUNTERS ? "counters"
                               : f.peff_source == CM_BE_PEFF_DENSE  ? "P"
                                                                    : "fit");
      /* rounded to the column's one decimal: a fit within 0.05 % is 0.0, as
       * the others print, not 0.000417395 in significant digits */
      rpt_table_set_f64(ft, 10, round(1000 * f.fit_rms_rel_err) / 10);
      rpt_table_set_str(ft, 11, f.agree ? "yes" : "no");
      rpt_table_set_str(ft, 12, bs.dense_kernel[0] ? bs.dense_kernel : "the layer");
      rpt_table_set_str(ft, 13, bits);
      if (npay < sizeof pays / sizeof pays[0]) {
        sp_pay *y = &pays[npay++];
        y->arch = a;
        snprintf(y->bits, sizeof y->bits, "%s", bits); /* the width the sweep ran */
        snprintf(y->fmt, sizeof y->fmt, "%s", fmtname);
        snprintf(y->layer, sizeof y->layer, "%s", lname);
        y->lat = f.sim;
        y->s_lat = f.s_sim;
        y->en = f.energy;
        y->s_en = f.s_energy;
        y->back_lat = below_again(outs[q].p, outs[q].n, f.s_sim, false);
        y->back_en = below_again(outs[q].p, outs[q].n, f.s_energy, true);
        y->all_zero_lat = all_zero_at(outs[q].p, outs[q].n, f.s_sim);
        y->all_zero_en = all_zero_at(outs[q].p, outs[q].n, f.s_energy);
        y->zero_lat = bs.sim.runs ? bs.sim.realized_at : NAN;
        y->zero_en = bs.energy.runs ? bs.energy.realized_at : NAN;
        y->model = f.model;
        y->s_model = f.s_model;
        y->agree = f.agree;
        y->runs_as = outs[q].n ? outs[q].p[0].runs_as : NULL;
      }
      if (ns < 8) {
        /* the legend names the outcome: "never wins" and "wins everywhere"
         * read apart on the plot */
        if (f.sim == CM_BE_CROSSES)
          snprintf(titles[ns], sizeof titles[ns], "%s %s (%s): breaks even at %.4f",
                   arch_names[a], fmtname, lname, f.s_sim);
        else
          snprintf(titles[ns], sizeof titles[ns], "%s %s (%s): %s", arch_names[a], fmtname,
                   lname, cm_be_outcome_name(f.sim));
        ser[ns] = (plt_series){titles[ns], xs[ns], ys[ns], n < MAX_SP ? n : MAX_SP,
                               "linespoints lw 2"};
        ns++;
      }
    }
    for (size_t q = 0; q < nrun; q++) free(outs[q].p);
    if (s != EM_OK) goto fail;
  }

  doc = rpt_doc_create("emlsim study");
  if (!doc) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  if (section_conclusions(doc, runs, nruns, &o, &dp, net, cnet, acc_done, cnn_main, acc_note,
                          train_note,
                          acc_cmp, noise_cmp, pays, npay, &d) != EM_OK)
    goto fail;
  /* ---- inputs ---- */
  rpt_doc_heading(doc, 2, "Inputs");
  {
    char src[300];
    energy_sources(et, src, sizeof src);
    snprintf(buf, sizeof buf, "Workload %.400s (%zu layers). Energy table %.200s%s.",
             net->source, nl, cm_energy_table_name(et), src);
  }
  { /* each design as the point the study ran describes it (run_t.design) */
    static const char *const what[A_COUNT] = {NULL, "Systolic array", "Bit-serial", "XNOR",
                                              "SIMT GPU"};
    for (int a = A_SYSTOLIC; a < A_COUNT; a++) {
      const char *des = design_of(runs, nruns, a);
      size_t used = strlen(buf);
      snprintf(buf + used, sizeof buf - used, " %s: %s%s%s.", what[a], des ? des : "(not run)",
               des && a == A_SYSTOLIC
                   ? " (narrow operands packed, an int4 pair to a byte, unless it says "
                     "unpacked)"
                   : "",
               /* SCALE-Sim's term, in the design's name */
               des && a == A_SYSTOLIC && strstr(des, "CALC")
                   ? "; CALC bandwidth is SCALE-Sim's mode in which DRAM never stalls the "
                     "array: the bandwidth each layer needs is worked out, not bounded (USER "
                     "bounds it)"
                   : "");
      /* the GPU's memory, which its name does not give (volta: a TITAN V's
       * 653 GB/s, not a V100's 900) */
      for (size_t i = 0; a == A_SIMT && des && i < nruns; i++)
        if (runs[i].arch == A_SIMT && runs[i].dram_gbps > 0) {
          used = strlen(buf);
          if (used > 0 && buf[used - 1] == '.') used--;
          snprintf(buf + used, sizeof buf - used, ", its DRAM %.4g GB/s at its peak.",
                   runs[i].dram_gbps);
          break;
        }
    }
  }
  if (gpu) { /* what a GPU layer's time holds beside its kernel */
    size_t used = strlen(buf);
    snprintf(buf + used, sizeof buf - used,
             " A GPU layer is one kernel, its time its launch (%llu cycles, %.2f us, the GPU "
             "idle) and its run, as a timer around a stream of kernels sees it; "
             "copying the input from the host and the result back is in no model's time.",
             (unsigned long long)gpu->kernel_launch_cycles,
             (double)gpu->kernel_launch_cycles / gpu->core_freq_mhz);
  }
  rpt_doc_para(doc, buf);
  if (acc_done) {
    snprintf(buf, sizeof buf,
             "Accuracy: the study book's SimpleCNN (builtin:simplecnn) on Fashion-MNIST, %.300s; "
             "test accuracy on %zu test images, activation ranges calibrated on %zu training "
             "images: a brief training from one seed, not the network's best "
             "(models/nn/README.md: %.2f %% in fp32 after %u epochs over all %u training "
             "images; the conclusions say what that leaves out).",
             cinfo.settings, cinfo.ntest, cinfo.ncalib, STUDY_CNN_LONGER_FP32_PCT,
             STUDY_CNN_LONGER_EPOCHS, STUDY_CNN_LONGER_IMAGES);
    rpt_doc_para(doc, buf);
  }
  FILE *gv = popen("gnuplot --version 2>/dev/null", "r");
  char gvs[128] = "unknown";
  if (gv) {
    if (fgets(gvs, sizeof gvs, gv)) gvs[strcspn(gvs, "\n")] = '\0';
    pclose(gv);
  }
  snprintf(buf, sizeof buf, "Versions: emlsim %s, GSL %s, %s. Times: p50 and p90 over %u runs of "
           "each fast model (the SIMT GPU runs once).",
           EMLSIM_VERSION, GSL_VERSION, gvs, o.repeat);
  rpt_doc_para(doc, buf);
  rpt_doc_para(doc, "Terms: os, ws and is, the systolic array's dataflows (output, weight or "
                    "input stationary, as SCALE-Sim names them); BISMO Dm x Dk x Dn, the "
                    "bit-serial array's Dm x Dn dot-product units, each taking Dk bits of a "
                    "bit plane a cycle; FINN PE x SIMD, the XNOR array's processing elements "
                    "(output channels at once) and the input elements each takes a cycle; "
                    "EDP, the energy-delay product (energy x latency); per mm^2, inferences "
                    "per second per mm^2 of silicon; s, a layer's weight sparsity (the "
                    "fraction of its weights that are zero); the study book, the text "
                    "emlsim's formulas and reference tables come from (the SimpleCNN is its "
                    "example network).");
  /* what the arrays' figures rest on, which no table shows (an architect
   * asked for them beside the inputs) */
  rpt_doc_para(doc, "Assumptions: the arrays' static energy is leakage at 45 nm, their SRAM "
                    "CACTI 7's itrs-hp cells (a 64 kB buffer leaks 32.7 mW, a 2 MB one 1042 mW; "
                    "costmodel/README.md), which the low-leakage cells of an embedded design "
                    "would cut; a PE with no work draws no dynamic energy; DRAM costs its bits "
                    "moved at the table's price, a memory controller and its PHY in no model; "
                    "and each design's latency assumes the DRAM bandwidth the conclusions' "
                    "notes name for it.");

  /* ---- summary ---- */
  static const rpt_column scols[] = {
      {"arch", RPT_STR, 0},           {"bits", RPT_STR, 0},          {"cycles", RPT_U64, 0},
      {"latency_us", RPT_F64, 6},     {"energy_uj", RPT_F64, 6},     {"edp_uj_us", RPT_F64, 6},
      {"bops", RPT_F64, 0},           {"pareto", RPT_U64, 0},        {"pareto_noise", RPT_U64, 0},
      {"workload", RPT_STR, 0},       {"accuracy_pct", RPT_F64, 2},  {"area_mm2", RPT_F64, 4},
      {"inf_per_s_per_mm2", RPT_F64, -6}, {"note", RPT_STR, 0}};
  tab = rpt_table_create("Every model and bit width", scols, sizeof scols / sizeof scols[0]);
  if (!tab) goto nomem;
  for (size_t i = 0; i < nruns; i++) {
    run_t *r = &runs[i];
    rpt_table_add_row(tab);
    rpt_table_set_str(tab, 0, arch_names[r->arch]);
    rpt_table_set_str(tab, 1, pname(r->bits));
    rpt_table_set_str(tab, 9, r->wl ? cnet->name : net->name);
    rpt_table_set_str(tab, 13, r->note);
    if (r->skipped) continue; /* a pair the model cannot run: its reason, no figures */
    if (r->arch != A_ANALYTIC) { /* the cost model has no clock */
      rpt_table_set_u64(tab, 2, r->total_cycles);
      rpt_table_set_f64(tab, 3, r->latency_us);
      rpt_table_set_f64(tab, 5, r->energy_pj * 1e-6 * r->latency_us);
      if (r->in_front) rpt_table_set_u64(tab, 7, (uint64_t)r->front);
      if (r->in_front && !isnan(r->acc_pct)) rpt_table_set_u64(tab, 8, (uint64_t)r->front_noise);
    }
    rpt_table_set_f64(tab, 4, r->energy_pj * 1e-6);
    rpt_table_set_f64(tab, 6, r->bops);
    if (!isnan(r->acc_pct)) rpt_table_set_f64(tab, 10, r->acc_pct);
    if (r->area_mm2 > 0) rpt_table_set_f64(tab, 11, r->area_mm2);
    if (per_mm2(r) > 0) rpt_table_set_f64(tab, 12, per_mm2(r));
  }
  {
    /* what a run of each workload is: one inference, a batch, or layers of
     * different batches (no whole number of inferences) */
    uint64_t b0 = net->inferences, b1 = cnet ? cnet->inferences : 1;
    if (b0 == 1 && b1 == 1)
      snprintf(buf, sizeof buf, "energy_uj: energy per inference (batch 1); edp_uj_us: energy "
               "per inference x latency");
    else {
      char what[2][200];
      for (int w = 0; w < 2; w++) {
        uint64_t b = w ? b1 : b0;
        const char *nm = w ? (cnet ? cnet->name : "") : net->name;
        if (b == 0)
          snprintf(what[w], sizeof what[w], "%s: layers of different batches, so no whole "
                   "number of inferences (inf_per_s_per_mm2 n/a)", nm);
        else
          snprintf(what[w], sizeof what[w], "%s: a batch of %llu inference%s", nm,
                   (unsigned long long)b, b == 1 ? "" : "s");
      }
      snprintf(buf, sizeof buf, "cycles, latency_us, energy_uj and edp_uj_us: a run of the "
               "workload (%s%s%s); inf_per_s_per_mm2 counts a run's inferences",
               what[0], cnet ? "; " : "", cnet ? what[1] : "");
    }
    rpt_table_add_note(tab, buf);
  }
  rpt_table_add_note(tab, "bops: the study book's bit operations of the layers at the run's "
                          "width, accumulator included (the same on every model)");
  for (size_t i = 0; i < nruns; i++)
    if (runs[i].arch == A_SIMT && !runs[i].skipped) {
      /* `emlsim simt` splits them: its cycles column is a kernel's own */
      rpt_table_add_note(tab, "cycles: the simt rows' count each kernel's launch with its run, "
                              "as their latency does (emlsim simt's launch_cycles plus its "
                              "cycles, whose sum its time_us is)");
      break;
    }
  /* a model whose DRAM figures keep an accounting that is not a
   * bandwidth's physics says so, as its own command does: the runs, then
   * the first one's words */
  {
    size_t first = SIZE_MAX, len = 0;
    char which[600] = "";
    for (size_t i = 0; i < nruns; i++) {
      if (!runs[i].dram_note[0]) continue;
      if (first == SIZE_MAX) first = i;
      if (len < sizeof which)
        len += (size_t)snprintf(which + len, sizeof which - len, "%s%s at %s (%s)",
                                len ? ", " : "", arch_names[runs[i].arch], pname(runs[i].bits),
                                runs[i].wl ? cnet->name : net->name);
    }
    if (first != SIZE_MAX) {
      char note[EM_DIAG_MSG_MAX + 700];
      snprintf(note, sizeof note, "%s: %s", which, runs[first].dram_note);
      rpt_table_add_note(tab, note);
    }
  }
  rpt_table_add_note(tab, "every layer runs at the row's bit width, overriding the workload's "
                          "own widths");
  rpt_table_add_note(tab, "analytic: compute energy plus every tensor crossing DRAM once "
                          "(weights, outputs, and inputs no earlier layer made); no clock, so no cycles, latency, EDP or area");
  rpt_table_add_note(tab, "pareto: 1 when no other hardware run of the same workload is at least "
                          "as good in every objective and better in one: latency and energy, "
                          "and test error where the workload's accuracy is modelled; n/a for a "
                          "run off the comparison (no clock, or accuracy not modelled at its "
                          "width)");
  {
    /* the front ranks designs at different nodes whose static energy is
     * not the same thing: said here and in the Pareto plot's caption */
    char scope[1200];
    const char *names[2] = {net->name, cnet ? cnet->name : ""};
    if (pareto_scope(runs, nruns, -1, names, scope, sizeof scope)) {
      char note[1400];
      snprintf(note, sizeof note, "pareto ranks designs that are not alike: %s; the front "
               "compares them across nodes and static power as modelled, not like for like",
               scope);
      rpt_table_add_note(tab, note);
    }
  }
  rpt_table_add_note(tab, "pareto_noise: the same, with two widths counted equally accurate "
                          "where McNemar's test on their test images does not tell them apart "
                          "(p >= 0.05, accuracy_pairs.csv); n/a where accuracy is not modelled");
  rpt_table_add_note(tab, "accuracy_pct: Fashion-MNIST test accuracy of the SimpleCNN at the "
                          "row's width (fp32 in floating point, integer widths through mac_step, "
                          "every layer at the width); n/a where accuracy is not modelled (the "
                          "study's other workloads, fp16, binary)");
  rpt_table_add_note(tab, "area_mm2 and inf_per_s_per_mm2: the design point's silicon area "
                          "(logic and on-chip memory) as its model reports it, and inferences "
                          "per second per mm^2; n/a where the model reports no area");
  {
    /* each model's area source and node, once (`emlsim models MODEL` says the same) */
    int said[A_COUNT] = {0};
    size_t len = (size_t)snprintf(buf, sizeof buf, "area_mm2 sources:");
    size_t head = len;
    for (size_t i = 0; i < nruns && len < sizeof buf; i++) {
      const run_t *r = &runs[i];
      if (r->skipped || said[r->arch] || !(r->area_mm2 > 0)) continue;
      said[r->arch] = 1;
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %s at %u nm (%s)",
                              len > head ? ";" : "", arch_names[r->arch], r->area_nm,
                              r->area_src ? r->area_src : "no source given");
    }
    if (len > head) rpt_table_add_note(tab, buf);
  }
  rpt_doc_heading(doc, 2, "Summary");
  rpt_doc_table(doc, tab);
  snprintf(path, sizeof path, "%s/summary.csv", o.out);
  if (sim_write_csv_json(path, tab, &d) != EM_OK) goto fail;
  rpt_table_destroy(tab);
  tab = NULL;

  /* ---- the SimpleCNN's accuracy, each width against fp32 ---- */
  if (acc_tab) {
    rpt_doc_heading(doc, 2, "Accuracy");
    rpt_doc_para(doc, "The widths are evaluated on the same test images, so two differ only on "
                      "the images one gets right and the other wrong; McNemar's exact test asks "
                      "whether that split is too uneven for two equally accurate networks. "
                      "Paired, it tells apart smaller differences than each accuracy's own "
                      "standard error would (accuracy.csv). Not told apart is not the same: "
                      "the 95 % interval beside each difference (ci95_lo_points to "
                      "ci95_hi_points) is how far apart the two may still be.");
    rpt_doc_table(doc, acc_tab);
    snprintf(path, sizeof path, "%s/accuracy.csv", o.out);
    if (sim_write_csv_json(path, acc_tab, &d) != EM_OK) goto fail;
  }
  if (pair_tab) {
    rpt_doc_para(doc, "Every two widths, the same test (accuracy_pairs.csv): where it does not "
                      "tell two apart, the summary's pareto_noise counts them equally "
                      "accurate.");
    rpt_doc_table(doc, pair_tab);
    snprintf(path, sizeof path, "%s/accuracy_pairs.csv", o.out);
    if (sim_write_csv_json(path, pair_tab, &d) != EM_OK) goto fail;
  }

  /* ---- energy by component, and at one clock ---- */
  {
    static const rpt_column ecols[] = {
        {"workload", RPT_STR, 0},      {"arch", RPT_STR, 0},          {"bits", RPT_STR, 0},
        {"freq_mhz", RPT_F64, 0},      {"compute_uj", RPT_F64, 6},    {"local_uj", RPT_F64, 6},
        {"sram_uj", RPT_F64, 6},       {"dram_uj", RPT_F64, 6},       {"static_uj", RPT_F64, 6},
        {"energy_uj", RPT_F64, 6},     {"latency_us_at_common", RPT_F64, 6},
        {"static_uj_at_common", RPT_F64, 6}, {"energy_uj_at_common", RPT_F64, 6},
        {"dram_pj_per_bit", RPT_F64, 3}};
    snprintf(buf, sizeof buf, "Energy %s by component, and at one clock", per);
    tab = rpt_table_create(buf, ecols, sizeof ecols / sizeof ecols[0]);
    if (!tab) goto nomem;
    for (size_t i = 0; i < nruns; i++) {
      const run_t *r = &runs[i];
      if (r->skipped) continue;
      rpt_table_add_row(tab);
      rpt_table_set_str(tab, 0, r->wl ? cnet->name : net->name);
      rpt_table_set_str(tab, 1, arch_names[r->arch]);
      rpt_table_set_str(tab, 2, pname(r->bits));
      /* a component the model charges nothing to is n/a, not 0 */
      for (int c = 0; c < HW_E_COUNT; c++)
        if (r->e[c] > 0) rpt_table_set_f64(tab, 4 + (size_t)c, r->e[c] * 1e-6);
      rpt_table_set_f64(tab, 9, r->energy_pj * 1e-6);
      /* what the model prices a DRAM bit at, from its own run: DRAM energy
       * over the bits it moved (the arrays the table's DRAM row, the GPU its
       * own interface, or at dram_pj_per_bit = 0 the table's row scaled to
       * its process) */
      uint64_t dram_bytes = 0;
      for (size_t k = 0; k < r->nl; k++) dram_bytes += r->res[k].dram_bytes;
      if (dram_bytes && r->e[HW_E_DRAM] > 0)
        rpt_table_set_f64(tab, 13, r->e[HW_E_DRAM] / (8.0 * (double)dram_bytes));
      if (r->arch == A_ANALYTIC || r->freq_mhz <= 0) continue; /* no clock */
      rpt_table_set_f64(tab, 3, r->freq_mhz);
      if (!(r->lat_common_us > 0)) continue; /* the GPU: not simulated again */
      /* the design run again at the common clock (common_runs) */
      rpt_table_set_f64(tab, 10, r->lat_common_us);
      if (r->static_common_pj > 0) rpt_table_set_f64(tab, 11, r->static_common_pj * 1e-6);
      rpt_table_set_f64(tab, 12, r->e_common_pj * 1e-6);
    }
    snprintf(buf, sizeof buf, "technology and event energies: the energy table %s; each model "
             "at its own clock (freq_mhz)", cm_energy_table_name(et));
    rpt_table_add_note(tab, buf);
    rpt_table_add_note(tab, "components, the same on every model (hw_model.h): compute "
                            "(arithmetic; the GPU's arithmetic and instruction issue, its front "
                            "end's fetch and scheduling included), local (register files, "
                            "operand collectors, PE registers), SRAM (on-chip buffers and "
                            "caches), DRAM, static (leakage over the run's time; the GPU's "
                            "also its board's constant power and its idle SMs); n/a where the "
                            "model charges nothing to it");
    /* what ran, as it ran: the systolic array's clock, the arrays held to
     * a DRAM bandwidth, the GPU's clock and its DRAM's price */
    const run_t *sa = ran_of(runs, nruns, A_SYSTOLIC), *gr = ran_of(runs, nruns, A_SIMT);
    char sa_clk[120], bws[300] = "", gpu_clk[160] = "", gpu_dram[200], clocks[300];
    if (sa && sa->freq_mhz == STUDY_COMMON_MHZ)
      snprintf(sa_clk, sizeof sa_clk, "the systolic array's clock, its freq_mhz setting");
    else if (sa)
      snprintf(sa_clk, sizeof sa_clk, "SCALE-Sim's default clock; the systolic array's here "
               "is %.6g MHz", sa->freq_mhz);
    else
      snprintf(sa_clk, sizeof sa_clk, "SCALE-Sim's default clock");
    {
      int seen[A_COUNT] = {0};
      for (size_t i = 0; i < nruns; i++) {
        const run_t *r = &runs[i];
        size_t len = strlen(bws);
        if (r->skipped || r->arch == A_SIMT || seen[r->arch] || !(r->dram_gbps > 0) ||
            len >= sizeof bws - 1)
          continue;
        seen[r->arch] = 1;
        snprintf(bws + len, sizeof bws - len, "%s%s %.4g GB/s", len ? ", " : "",
                 arch_names[r->arch], r->dram_gbps);
      }
    }
    if (gr)
      snprintf(gpu_clk, sizeof gpu_clk, "; n/a for the GPU, not simulated again (it keeps its "
               "own clock, %.6g MHz, and its own DRAM)", gr->freq_mhz);
    gpu_dram_words(gr, gpu, gpu_dram, sizeof gpu_dram);
    run_clocks(runs, nruns, -1, clocks, sizeof clocks);
    snprintf(buf, sizeof buf, "at_common: the design run again through its model at a common "
             "%.0f MHz (%s): dynamic energy per event is the same, static energy is leakage "
             "power x the new time, and a layer bound by DRAM bandwidth (%s) takes more cycles "
             "at a faster clock%s", STUDY_COMMON_MHZ, sa_clk,
             bws[0] ? bws : "none here: no array that ran is held to one", gpu_clk);
    rpt_table_add_note(tab, buf);
    if (scaled_rows(net, cnet, &o, et, buf, sizeof buf)) rpt_table_add_note(tab, buf);
    rpt_doc_heading(doc, 2, "Energy by component");
    char gpu_said[600] = "";
    if (gr)
      snprintf(gpu_said, sizeof gpu_said, "; the GPU scales its dynamic energies to its own "
               "process and voltage, %s, and counts in its static energy the board's constant "
               "power beside leakage (models/simt/README.md, \"Power and the board\")",
               gpu_dram);
    snprintf(buf, sizeof buf, "Every model's energy %s split into the same "
             "components, from the energy table %s, but not priced alike: the arrays and the "
             "closed-form model charge the table's events as they are, at its node%s. "
             "dram_pj_per_bit gives each model's DRAM price, its DRAM energy over the bits it "
             "moved. The designs run at their own clocks (%s), so the at_common columns also "
             "give each array run again at a common %.0f MHz: the same events, leakage over the "
             "new time, and more cycles where DRAM bandwidth bounds a layer (a bandwidth in "
             "GB/s is fewer bytes a cycle at a faster clock).",
             per, cm_energy_table_name(et), gpu_said, clocks[0] ? clocks : "none timed",
             STUDY_COMMON_MHZ);
    rpt_doc_para(doc, buf);
    rpt_doc_table(doc, tab);
    snprintf(path, sizeof path, "%s/energy.csv", o.out);
    em_status es = sim_write_csv_json(path, tab, &d);
    rpt_table_destroy(tab);
    tab = NULL;
    if (es != EM_OK) goto fail;
    /* every design's energy at each DRAM price */
    tab = price_csv(runs, nruns, &dp, net, cnet, per);
    if (!tab) goto nomem;
    {
      /* the prices and their sources, in the report (the CSV has no notes) */
      char srcs[1000] = "";
      for (size_t k = 0; k < dp.n; k++)
        snprintf(srcs + strlen(srcs), sizeof srcs - strlen(srcs), "%s%s %.4g: %s",
                 k ? "; " : "", dp.p[k].memory, dp.p[k].pj_per_bit, dp.p[k].source);
      char para[2400];
      snprintf(para, sizeof para, "DRAM's share of each design's energy turns on what a bit "
               "costs at the memory interface, which the energy table (%s) gives once. Each "
               "design was run again with the table's DRAM rows at each published price, in "
               "pJ/bit: %s. dram_prices.csv gives every design's energy and energy-delay product "
               "at each, and the conclusions the best at each%s%s%s.",
               cm_energy_table_name(et), srcs, gr ? "; the GPU " : "", gr ? gpu_dram : "",
               !gr ? "" : gr->own_dram ? ": it ran once, its energy the same at every price "
                                         "(one row in dram_prices.csv, memory '"
                                         STUDY_GPU_OWN_DRAM "')"
                                       : ", and was run again at each price too");
      rpt_doc_para(doc, para);
    }
    snprintf(path, sizeof path, "%s/dram_prices.csv", o.out);
    es = sim_write_csv_json(path, tab, &d);
    rpt_table_destroy(tab);
    tab = NULL;
    if (es != EM_OK) goto fail;
  }

  /* latency against energy, with the front */
  {
    const char *lab[NRUNS_MAX];
    char labs[NRUNS_MAX][48];
    double x[NRUNS_MAX], y[NRUNS_MAX], v[2 * NRUNS_MAX];
    int fr[NRUNS_MAX];
    uint8_t f2[NRUNS_MAX];
    unsigned colour[NRUNS_MAX], marker[NRUNS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < nruns_main; i++) {
      if (runs[i].arch == A_ANALYTIC || runs[i].latency_us <= 0) continue;
      snprintf(labs[n], sizeof labs[n], "%s %s", arch_names[runs[i].arch], pname(runs[i].bits));
      lab[n] = labs[n];
      x[n] = runs[i].latency_us;
      y[n] = runs[i].energy_pj * 1e-6;
      v[2 * n] = x[n];
      v[2 * n + 1] = y[n];
      colour[n] = (unsigned)runs[i].arch; /* one colour a model, one marker a bit width */
      marker[n] = (unsigned)runs[i].bits;
      n++;
    }
    /* the front of what the plot shows, latency and energy: where accuracy
     * is modelled the summary's front has a third objective (and leaves out
     * the widths whose accuracy is not), and a line through it would pass
     * points the plot shows as dominated */
    if (n && cm_pareto_front(v, n, 2, NULL, f2) != 0) goto nomem;
    for (size_t i = 0; i < n; i++) fr[i] = f2[i];
    if (n) {
      snprintf(path, sizeof path, "%s/pareto", plots);
      snprintf(buf, sizeof buf, "%s: latency against energy, every model and bit width", net->name);
      if (plt_pareto(path, buf, "latency (us)", per_uj, lab, x, y, NULL,
                     NULL, fr, NULL, n, colour, marker, &d) != EM_OK)
        goto fail;
      char cap[2000];
      if (acc_done && cnn_main)
        snprintf(cap, sizeof cap, "Latency against energy %s; the line joins the "
                 "latency-energy front, on cost alone (the summary's front adds test error, and "
                 "leaves out the widths whose accuracy is not modelled).", per);
      else
        snprintf(cap, sizeof cap, "Latency against energy %s of %s; the line joins "
                 "the Pareto front. Accuracy is not modelled for %s: the front is on cost alone, "
                 "and its quantized points are cheaper, not known to be as accurate%s",
                 per, net->name, net->name, cnet && acc_done ? " (see the SimpleCNN's accuracy at "
                 "each width in the summary)." : ".");
      char scope[1200];
      if (pareto_scope(runs, nruns_main, 0, NULL, scope, sizeof scope)) {
        size_t len = strlen(cap);
        snprintf(cap + len, sizeof cap - len, " The designs are not alike: %s; the front "
                 "compares them across nodes and static power as modelled, not like for like.",
                 scope);
      }
      rpt_doc_figure(doc, "plots/pareto.png", strcat(path, ".svg"), cap);
    }
  }

  /* the SimpleCNN: test error against energy, every run whose accuracy is
   * modelled, with the error-energy front (the summary's adds latency) */
  if (acc_done) {
    const char *lab[NRUNS_MAX];
    char labs[NRUNS_MAX][48];
    double x[NRUNS_MAX], y[NRUNS_MAX], se[NRUNS_MAX], v[2 * NRUNS_MAX];
    int fr[NRUNS_MAX], frn[NRUNS_MAX];
    uint8_t f2[NRUNS_MAX];
    int pb[NRUNS_MAX]; /* each point's width */
    unsigned colour[NRUNS_MAX], marker[NRUNS_MAX];
    size_t n = 0;
    int cw = cnn_main ? 0 : 1;
    for (size_t i = 0; i < nruns; i++) {
      const run_t *r = &runs[i];
      if (r->wl != cw || r->arch == A_ANALYTIC || r->skipped || isnan(r->acc_pct)) continue;
      snprintf(labs[n], sizeof labs[n], "%s %s", arch_names[r->arch], pname(r->bits));
      lab[n] = labs[n];
      x[n] = r->energy_pj * 1e-6;
      y[n] = 100 - r->acc_pct;
      /* the binomial standard error of a test error measured on ntest
       * images, sqrt(p (1 - p) / n): 0.36 points at 84 % on 10,000 */
      se[n] = cinfo.ntest ? 100 * sqrt(r->acc_pct / 100 * (1 - r->acc_pct / 100) /
                                       (double)cinfo.ntest)
                          : NAN;
      v[2 * n] = y[n];
      v[2 * n + 1] = x[n];
      colour[n] = (unsigned)r->arch;
      marker[n] = (unsigned)r->bits;
      pb[n] = r->bits;
      n++;
    }
    if (n && cm_pareto_front(v, n, 2, NULL, f2) != 0) goto nomem;
    for (size_t i = 0; i < n; i++) fr[i] = f2[i];
    /* and within test noise: two widths McNemar's test does not tell apart
     * counted equally accurate, as in the summary's pareto_noise */
    if (n) {
      uint8_t tied[NRUNS_MAX * NRUNS_MAX];
      for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
          double pv = pair_p[pb[i]][pb[j]];
          tied[i * n + j] = !isnan(pv) && pv >= 0.05;
        }
      cm_pareto_front_tied(v, n, 2, NULL, tied, f2, NULL);
      for (size_t i = 0; i < n; i++) frn[i] = f2[i];
    }
    if (n) {
      const char *cn = cnn_main ? net->name : cnet->name;
      snprintf(path, sizeof path, "%s/pareto_accuracy", plots);
      snprintf(buf, sizeof buf, "%s on Fashion-MNIST: test error against energy", cn);
      if (plt_pareto(path, buf, "energy per inference (uJ)", "test error (%)", lab, x, y, se,
                     "+-1 standard error", fr, frn, n, colour, marker, &d) != EM_OK)
        goto fail;
      char cap[900];
      snprintf(cap, sizeof cap,
               "The SimpleCNN's Fashion-MNIST test error against energy per inference on "
               "each model and width whose accuracy is modelled; the line joins the "
               "error-energy front. The bars are each test error's own standard error on the "
               "%zu test images (sqrt(p (1 - p) / n)): how far the error on unseen images may "
               "lie. The widths ran on the same images, so two of them are told apart by "
               "McNemar's paired test, finer than the bars: where the front with two widths "
               "that test does not tell apart counted equally accurate differs, its points are "
               "in squares, joined by a dashed line (accuracy_pairs.csv; the summary's pareto "
               "and pareto_noise columns add latency).",
               cinfo.ntest);
      rpt_doc_figure(doc, "plots/pareto_accuracy.png", strcat(path, ".svg"), cap);
    }
  }

  /* BOPS and energy against bit width (the cost model) */
  {
    /* the widths as categories, widest first: fp32 is a format, not "32" on a scale */
    const char *cat[NBITS_KNOWN];
    double yb[NBITS_KNOWN], ye[NBITS_KNOWN];
    size_t n = 0;
    for (size_t b = 0; b < NBITS_KNOWN; b++)
      for (size_t i = 0; i < nruns_main; i++)
        if (runs[i].arch == A_ANALYTIC && runs[i].bits == (int)b) {
          cat[n] = pname((int)b);
          yb[n] = runs[i].bops * 1e-9;
          ye[n] = runs[i].energy_pj * 1e-6;
          n++;
        }
    if (n >= 2) {
      plt_series s[2] = {
          {"BOPS (G)", NULL, yb, n, "linespoints lw 2 pt 7 ps 1.5"},
          {per_uj, NULL, ye, n, "linespoints lw 2 pt 5 ps 1.5"}};
      int y2[2] = {0, 1};
      snprintf(path, sizeof path, "%s/bits", plots);
      snprintf(buf, sizeof buf, "%s: BOPS and energy against bit width (cost model)", net->name);
      if (plt_categories(path, buf, "bit width (weights = activations)", cat, n, "GBOPS",
                         per_uj, s, 2, y2, &d) != EM_OK)
        goto fail;
      char cap[400];
      snprintf(cap, sizeof cap, "BOPS (10^9 bit operations, left axis) and energy %s "
               "(uJ, right axis) of %s against bit width, every layer at the width (the "
               "closed-form cost model, the summary's analytic rows).", per, net->name);
      rpt_doc_figure(doc, "plots/bits.png", strcat(path, ".svg"), cap);
    }
  }

  /* energy per layer, split, per architecture at its first bit width */
  rpt_doc_heading(doc, 2, "Energy per layer");
  {
    static const rpt_column lcols[] = {{"arch", RPT_STR, 0},       {"bits", RPT_STR, 0},
                                       {"layer", RPT_STR, 0},      {"cycles", RPT_U64, 0},
                                       {"compute_pj", RPT_F64, 1}, {"sram_pj", RPT_F64, 1},
                                       {"dram_pj", RPT_F64, 1},    {"local_pj", RPT_F64, 1},
                                       {"static_pj", RPT_F64, 1}};
    tab = rpt_table_create("Per layer", lcols, sizeof lcols / sizeof lcols[0]);
    if (!tab) goto nomem;
    int shown[A_COUNT] = {0};
    /* one y range for every model's chart (uJ, log: the models differ by
     * decades), so that bars of the same height are the same energy */
    double elo = INFINITY, ehi = 0;
    for (size_t i = 0; i < nruns_main; i++) {
      const run_t *r = &runs[i];
      if (r->skipped || r->arch == A_ANALYTIC || shown[r->arch]) continue;
      shown[r->arch] = 1;
      for (size_t k = 0; k < nl; k++) {
        const double *x = r->res[k].energy_pj;
        const double e[6] = {r->res[k].energy_total_pj, x[HW_E_COMPUTE], x[HW_E_LOCAL],
                             x[HW_E_SRAM],              x[HW_E_DRAM],    x[HW_E_STATIC]};
        for (int j = 0; j < 6; j++)
          if (e[j] > 0) {
            if (e[j] * 1e-6 < elo) elo = e[j] * 1e-6;
            if (e[j] * 1e-6 > ehi) ehi = e[j] * 1e-6;
          }
      }
    }
    memset(shown, 0, sizeof shown);
    for (size_t i = 0; i < nruns_main; i++) {
      run_t *r = &runs[i];
      if (r->skipped) continue;
      for (size_t k = 0; k < nl; k++) {
        rpt_table_add_row(tab);
        rpt_table_set_str(tab, 0, arch_names[r->arch]);
        rpt_table_set_str(tab, 1, pname(r->bits));
        rpt_table_set_str(tab, 2, net->layers[k].name);
        /* n/a, not 0, where nothing applies: a layer the model has no work
         * for (pooling on an array of MACs), cycles without a clock
         * (analytic), a component the model charges nothing to */
        if (!r->res[k].ran) continue;
        if (r->arch != A_ANALYTIC) rpt_table_set_u64(tab, 3, r->cycles[k]);
        /* the components as the model splits them (hw_model.h) */
        const double *e = r->res[k].energy_pj;
        static const int comp[5] = {HW_E_COMPUTE, HW_E_SRAM, HW_E_DRAM, HW_E_LOCAL, HW_E_STATIC};
        for (size_t c = 0; c < 5; c++)
          if (r->e[comp[c]] > 0) rpt_table_set_f64(tab, 4 + c, e[comp[c]]);
      }
      if (shown[r->arch] || r->arch == A_ANALYTIC) continue;
      shown[r->arch] = 1;
      /* plot the layers that do work */
      const char **lab = malloc(nl * sizeof *lab);
      double *v = malloc(6 * nl * sizeof *v);
      size_t n = 0;
      if (!lab || !v) {
        free(lab);
        free(v);
        goto nomem;
      }
      /* at most STUDY_LAYER_BARS layers, those that draw the most, in the
       * network's order (a 10^5-layer topology drew three 230 MB SVGs and a
       * 700 MB report.html; layers.csv keeps every layer) */
      size_t working = 0;
      double cut = 0; /* the least energy a drawn layer has */
      for (size_t k = 0; k < nl; k++)
        if (r->res[k].ran && r->res[k].energy_total_pj > 0) v[working++] = r->res[k].energy_total_pj;
      if (working > STUDY_LAYER_BARS) {
        qsort(v, working, sizeof *v, desc_double);
        cut = v[STUDY_LAYER_BARS - 1];
      }
      size_t at_cut = 0; /* layers at exactly the cut drawn so far (ties: the first) */
      bool *drawn = calloc(nl ? nl : 1, sizeof *drawn);
      if (!drawn) {
        free(lab);
        free(v);
        goto nomem;
      }
      size_t above = 0;
      for (size_t k = 0; k < nl && working > STUDY_LAYER_BARS; k++)
        if (r->res[k].ran && r->res[k].energy_total_pj > cut) above++;
      for (size_t k = 0; k < nl; k++) {
        double e = r->res[k].energy_total_pj;
        if (!r->res[k].ran || !(e > 0)) continue;
        if (working > STUDY_LAYER_BARS && e < cut) continue;
        if (working > STUDY_LAYER_BARS && e == cut && above + at_cut++ >= STUDY_LAYER_BARS)
          continue;
        drawn[k] = true;
        lab[n++] = net->layers[k].name;
      }
      size_t m = 0;
      for (size_t k = 0; k < nl; k++)
        if (drawn[k]) {
          /* the five components every model splits its energy into
           * (hw_model.h); one it charges nothing has no bar */
          const double *x = r->res[k].energy_pj;
          v[m] = r->res[k].energy_total_pj * 1e-6;
          v[n + m] = x[HW_E_COMPUTE] * 1e-6;
          v[2 * n + m] = x[HW_E_LOCAL] * 1e-6;
          v[3 * n + m] = x[HW_E_SRAM] * 1e-6;
          v[4 * n + m] = x[HW_E_DRAM] * 1e-6;
          v[5 * n + m] = x[HW_E_STATIC] * 1e-6;
          m++;
        }
      /* side by side, not stacked: a stacked segment has no length on a log axis */
      static const char *const parts[6] = {"total", "compute", "local storage",
                                           "SRAM / caches", "DRAM", "static"};
      snprintf(path, sizeof path, "%s/energy_%s", plots, arch_names[r->arch]);
      snprintf(buf, sizeof buf, "%s on %s at %s: energy per layer (the same scale for every model)",
               net->name, arch_names[r->arch], pname(r->bits));
      plt_bars_spec bs = {buf, "energy (uJ)", lab, n, parts, 6, v, 0, 1, elo, ehi};
      em_status s = plt_bars(path, &bs, &d);
      free(lab);
      free(v);
      free(drawn);
      if (s != EM_OK) goto fail;
      char png[128], cap[700], some[160] = "";
      snprintf(png, sizeof png, "plots/energy_%s.png", arch_names[r->arch]);
      if (working > n)
        snprintf(some, sizeof some, " The %zu of its %zu working layers that draw the most "
                 "energy, in the network's order; layers.csv has every layer.", n, working);
      snprintf(cap, sizeof cap, "Energy per layer of %s on %s at %s, in uJ: the total, then "
               "compute, local storage, SRAM, DRAM and static energy, as every model splits it "
               "(log scale, the same for every model; a component the model charges nothing has "
               "no bar).%s",
               net->name, arch_names[r->arch], pname(r->bits), some);
      rpt_doc_figure(doc, png, strcat(path, ".svg"), cap);
    }
    snprintf(path, sizeof path, "%s/layers.csv", o.out);
    if (sim_write_csv_json(path, tab, &d) != EM_OK) goto fail;
    snprintf(buf, sizeof buf, "Every layer of every run of %s is in layers.csv, its energy "
             "split as in 'Energy by component' (local and static n/a where the model charges "
             "nothing to them); a pooling layer is charged on the GPU and by the analytic model "
             "only (the arrays run the convolutions and FC layers; pooling is left to a host "
             "or a unit no model here has).", net->name);
    rpt_doc_para(doc, buf);
    rpt_table_destroy(tab);
    tab = NULL;
  }

  /* ---- the SIMT GPU ---- */
  if (simt_det && section_simt(doc, net, gpu, simt_det, o.out, plots, &d) != EM_OK) goto fail;

  /* ---- sparsity (run before the conclusions, which say where it pays) ---- */
  if (o.nsp >= 2) {
    rpt_doc_heading(doc, 2, "Sparsity: where each format breaks even");
    em_status s = EM_OK;
    if (s == EM_OK) {
      /* the simulated break-even is interpolated or bisected (be_run): the
       * note said "linear between points" beside bisected ones (the
       * systolic channel's 0.0844, bisected from a speedup of 1 at 0.05) */
      rpt_table_add_note(ft, "outcomes: 'breaks even' at the sparsity given (simulated: linear "
                             "between the points, or bisected with 4 more runs where the point "
                             "before costs what dense does, a step; the model's: the root of its "
                             "T_sparse = T_dense), 'never wins' (no point beats dense), 'wins everywhere' "
                             "(the first point already does: no break-even in the range); the "
                             "model's is 'poor fit' where its error is over 20 %, and agree is "
                             "yes only for the same outcome within one step and a fit within 20 %");
      rpt_table_add_note(ft, "model: T_sparse = max((1-s)F/P_eff, B_sparse/BW) + T_overhead with "
                             "0 < P_eff <= P and T_overhead >= 0; P_eff from the simulator's "
                             "counters where it keeps them (peff_source), else fitted");
      rpt_table_add_note(ft, "dense_reference: what each format is timed against, the layer "
                             "itself on the arrays and on the GPU the fastest dense CUDA-core "
                             "kernel of the shape (the cheapest in energy named beside it), so "
                             "an FC layer's dense cycles in breakeven.csv can be fewer than the "
                             "SIMT section's, which runs a library's plain GEMV");
      if (sp_shares[0]) {
        char note[1200];
        snprintf(note, sizeof note, "layer: each sweep runs one layer of %s, not the network, "
                 "so its break-even is that layer's (%s): the arrays the ungrouped layer with "
                 "the most MACs, the GPU the last FC layer at batch 1 and a compute-bound "
                 "case, each of those a sweep takes", net->name, sp_shares);
        rpt_table_add_note(ft, note);
      }
      if (sp_refused[0]) {
        char note[1100];
        snprintf(note, sizeof note, "not swept, the study's design of the model cannot run the "
                 "format: %s", sp_refused);
        rpt_table_add_note(ft, note);
      }
      if (sp_size[0]) {
        char note[1400];
        snprintf(note, sizeof note, "past the largest product a break-even sweep of the model "
                 "simulates, as emlsim breakeven refuses it: %s", sp_size);
        rpt_table_add_note(ft, note);
      }
      if (launch_dom[0]) {
        char note[900];
        snprintf(note, sizeof note, "on the GPU each point's time includes its kernel's launch, "
                 "the GPU idle; where that is most of the dense time (%s), a format can save "
                 "only the rest", launch_dom);
        rpt_table_add_note(ft, note);
      }
      rpt_doc_table(doc, ft);
      snprintf(path, sizeof path, "%s/breakeven_points.csv", o.out);
      s = sim_write_csv_json(path, ft, &d);
      snprintf(path, sizeof path, "%s/breakeven.csv", o.out);
      if (s == EM_OK) s = sim_write_csv_json(path, btab, &d);
    }
    if (s == EM_OK && ns) {
      snprintf(path, sizeof path, "%s/breakeven", plots);
      snprintf(buf, sizeof buf, "%s: speedup of sparse formats against dense", net->name);
      s = plt_lines(path, buf, "sparsity asked (nominal fraction of zero weights)",
                    "speedup over dense", NULL,
                    ser, ns, NULL, 1.0, 1, &d);
      if (s == EM_OK) {
        snprintf(buf, sizeof buf, "Speedup over dense (dense cycles / sparse cycles) against "
                 "the weight sparsity asked (nominal; breakeven.csv's realized_sparsity has what "
                 "each pattern gave) for each format, model and layer of %s swept (the study "
                 "book's break-even diagram, log scale); above 1 the sparse format wins.",
                 net->name);
        rpt_doc_figure(doc, "plots/breakeven.png", strcat(path, ".svg"), buf);
      }
    }
    rpt_table_destroy(ft);
    ft = NULL;
    rpt_table_destroy(btab);
    btab = NULL;
    if (s != EM_OK) goto fail;
    rpt_doc_para(doc, "Every point of every curve is in breakeven.csv (sparsity: the nominal "
                      "sparsity asked for, which the plot's axis gives; realized_sparsity: the "
                      "pattern's realized one, 1 - nnz / size, which a pattern dropping whole "
                      "blocks or channels can put well above it), the outcomes in "
                      "breakeven_points.csv.");
  }

  /* ---- run times: the host's speed, kept out of the result tables so that
   * those are the same byte for byte on every run ---- */
  {
    static const rpt_column tcols[] = {{"arch", RPT_STR, 0},        {"bits", RPT_STR, 0},
                                       {"runs", RPT_U64, 0},        {"sim_p50_ms", RPT_F64, 3},
                                       {"sim_p90_ms", RPT_F64, 3}, {"workload", RPT_STR, 0}};
    tab = rpt_table_create("Run times (wall clock)", tcols, 6);
    if (!tab) goto nomem;
    for (size_t i = 0; i < nruns; i++) {
      if (runs[i].skipped) continue;
      rpt_table_add_row(tab);
      rpt_table_set_str(tab, 0, arch_names[runs[i].arch]);
      rpt_table_set_str(tab, 1, pname(runs[i].bits));
      rpt_table_set_u64(tab, 2, runs[i].nwall);
      rpt_table_set_f64(tab, 3, runs[i].p50 * 1e3);
      rpt_table_set_f64(tab, 4, runs[i].p90 * 1e3);
      rpt_table_set_str(tab, 5, runs[i].wl ? cnet->name : net->name);
    }
    if (acc_done) {
      /* the cache's effect shows here only: the result tables do not depend on it */
      if (cinfo.cached)
        snprintf(buf, sizeof buf, "the SimpleCNN's weights came from the cache %.400s; its "
                 "accuracy at each width took %.1f s (%zu test images; a width whose "
                 "outcomes the cache holds is read back, not evaluated)", cinfo.cache_file,
                 cinfo.eval_s, cinfo.ntest);
      else
        snprintf(buf, sizeof buf, "the SimpleCNN was trained in %.1f s (%.250s)%s%.250s; its accuracy at "
                 "each width took %.1f s (%zu test images)", cinfo.train_s, cinfo.settings,
                 cinfo.cache_note[0] ? ": " : "", cinfo.cache_note, cinfo.eval_s, cinfo.ntest);
      rpt_table_add_note(tab, buf);
    }
    if (simt_det) {
      snprintf(buf, sizeof buf, "the SIMT GPU's layers ran once, on %u thread%s, in %.2f s",
               simt_jobs, simt_jobs == 1 ? "" : "s", simt_wall);
      rpt_table_add_note(tab, buf);
    }
    rpt_doc_heading(doc, 2, "Run times");
    rpt_doc_para(doc, "Wall-clock times of this host (timing.csv, this section and the "
                      "study's own time below, in report.md and report.html); every other "
                      "table and file of the study is the same byte for byte on every run and "
                      "thread count.");
    rpt_doc_table(doc, tab);
    snprintf(path, sizeof path, "%s/timing.csv", o.out);
    em_status ts = sim_write_csv_json(path, tab, &d);
    rpt_table_destroy(tab);
    tab = NULL;
    if (ts != EM_OK) goto fail;
  }
  snprintf(buf, sizeof buf, "The study took %.1f s.", now_s() - t_start);
  rpt_doc_para(doc, buf);
  {
    char md[4400], html[4400];
    snprintf(md, sizeof md, "%s/report.md", o.out);
    snprintf(html, sizeof html, "%s/report.html", o.out);
    if (rpt_doc_write(doc, md, html, &d) != EM_OK) goto fail;
    /* said before the commit, which fails (and writes nothing) where
     * standard output cannot take it: a run that exits 1 leaves no report */
    if (sim_chat())
      fprintf(sim_chat(),
              "emlsim study: %s on %zu runs; report in %s (report.md, report.html, plots/), %.1f s\n",
              net->name, nruns, out_shown, now_s() - t_start);
    em_outfile *s = set;
    set = NULL;
    if (em_outfile_commit(s, &d) != EM_OK) goto fail;
  }
  rc = SIM_EXIT_OK;
  goto done;
nomem:
  em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
fail:
  em_outfile_explain(set, &d);
  sim_fail(&d);
done:
  em_outfile_abort(set);
  for (size_t i = 0; i < nruns; i++) run_free(&runs[i]);
  rpt_table_destroy(tab);
  rpt_table_destroy(ft);
  rpt_table_destroy(btab);
  rpt_table_destroy(acc_tab);
  rpt_table_destroy(pair_tab);
  rpt_doc_destroy(doc);
  free(simt_det);
  hw_point_destroy(gpu_pt);
  cm_energy_table_destroy(et);
  wl_network_destroy(net);
  wl_network_destroy(cnet);
  wl_dataset_free(&ftrain);
  wl_dataset_free(&ftest);
  return rc;
}
