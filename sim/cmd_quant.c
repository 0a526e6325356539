/*
 * cmd_quant.c - `emlsim quant`: train an MLP on Fashion-MNIST in C, then
 * check quantization and pruning choices on the real test set: accuracy
 * through the hardware's arithmetic models against BOPS and energy per
 * inference on each architecture, the Pareto front, pruning, and the study
 * book's calibration mismatch.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cm_cost.h"
#include "cm_energy.h"
#include "cm_pareto.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "em_pool.h"
#include "nn_cnn.h"
#include "nn_mlp.h"
#include "nn_stats.h"
#include "hw_model.h"
#include "plt_plot.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "wl_idx.h"
#include "wl_layer.h"

static int cmd_quant(int argc, char **argv);

const sim_command sim_cmd_quant = {
    "quant", cmd_quant, "quantization and pruning choices checked on Fashion-MNIST",
    "usage: emlsim quant [options]\n"
    "\n"
    "Trains a 784-256-128-10 MLP on Fashion-MNIST (Debian dataset-fashion-mnist)\n"
    "in C, or loads one, then measures test accuracy of post-training\n"
    "quantization (int8/int4/int2, per-tensor and per-channel, symmetric and\n"
    "asymmetric, min/max and percentile, ternary, binary; first and last layers\n"
    "optionally at 8 bits) through the MAC, ternary and XNOR arithmetic models\n"
    "the RTL is checked against; accuracy against BOPS and energy per inference\n"
    "on the systolic, bit-serial and XNOR arrays with the Pareto front; pruning\n"
    "(magnitude, neuron, 2:4) with fine-tuning; and calibration mismatch\n"
    "(calibrate on clean images, deploy on brighter ones).  Each quantized\n"
    "and pruned network is compared with fp32 on the same test images\n"
    "(McNemar's exact test: could the difference be the test set's noise?\n"
    "and the difference's 95 % interval: how large might it be?), and every\n"
    "two networks in quant_pairs.csv: quant.csv's pareto_noise is\n"
    "the front with the pairs that test does not tell apart counted equally\n"
    "accurate.\n"
    "\n"
    "  --data DIR          the IDX files (default /usr/share/datasets/fashion-mnist)\n"
    "  --epochs N          training epochs (default 5)\n"
    "  --optimizer O       adam (default) or sgd (with momentum 0.9)\n"
    "  --seed N            initial weights and shuffles (default 1; 0 to\n"
    "                      4294967295)\n"
    "  --jobs N            threads, 1 or 2 (default 2; the weights do not depend on it)\n"
    "  --load FILE         use these weights (a 784-256-128-10 MLP, as --save\n"
    "                      writes) instead of training: no --epochs\n"
    "  --save FILE         write the trained weights (format: models/README.md;\n"
    "                      not with --load)\n"
    "  --finetune N        epochs of fine-tuning after pruning (default 1)\n"
    "  --calib N           calibration images (default 1000)\n"
    "  --train-only        stop after training (and --save) and the fp32 accuracy:\n"
    "                      no --finetune, --calib or SimpleCNN options\n"
    "  --cnn N             also train the study book's SimpleCNN for N epochs and\n"
    "                      check it at int8 and int4 (0: skip, the default)\n"
    "  --cnn-save FILE     write the weights --cnn N (N >= 1) trained\n"
    "  --cnn-load FILE     check these SimpleCNN weights instead of training (no --cnn)\n"
    "  -o, --output DIR    the folder of tables and plots (default quant)\n"
    "  --quiet             print nothing but errors (no log, tables or progress)\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
  const char *name;
  nn_qcfg q;
} variant_t;

/* The MLP's layers at the widths variant q runs them: binary and ternary
 * weights at 1 and 2 bits, and the first and last layers at int8 when the
 * variant keeps its ends (nn_quantize's rule). */
static em_status mlp_network(const nn_mlp *m, const nn_qcfg *q, wl_network **out, em_diag *d) {
  wl_network *net = wl_network_create("mlp", "builtin:mlp");
  if (!net) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  unsigned wb = q->kind == NN_Q_BINARY ? 1 : q->kind == NN_Q_TERNARY ? 2 : q->wbits;
  unsigned ab = q->kind == NN_Q_BINARY ? 1 : q->abits;
  em_status st = EM_OK;
  for (unsigned l = 0; l < m->nl && st == EM_OK; l++) {
    char name[16];
    snprintf(name, sizeof name, "fc%u", l + 1);
    wl_layer L = wl_fc(name, m->dim[l], m->dim[l + 1]);
    bool end = l == 0 || l + 1 == m->nl;
    L.w = (wl_prec){(uint8_t)(q->keep_ends && end ? 8 : wb), false};
    L.a = (wl_prec){(uint8_t)(q->keep_ends && end ? 8 : ab), false};
    st = wl_network_add(net, &L, d);
  }
  if (st != EM_OK) {
    wl_network_destroy(net);
    return st;
  }
  *out = net;
  return EM_OK;
}

/* Energy per inference (pJ) and BOPS (b_w x b_a per MAC, at each layer's
 * own widths) on one design point; NAN energy when the model cannot run a
 * layer (XNOR with the int8 ends), with the reason in why. */
static em_status cost_of(hw_point *p, const wl_network *net, double *pj, double *bops,
                         const char **why, em_diag *d) {
  *why = NULL;
  for (size_t i = 0; i < net->n_layers && !*why; i++)
    *why = hw_refuses(hw_point_model(p), hw_point_config(p), net->layers[i].w,
                      net->layers[i].a);
  *pj = NAN;
  if (*why) return EM_OK;
  hw_result tot;
  em_status st = hw_point_run_network(p, net, NULL, &tot, d);
  if (st != EM_OK) return st;
  *pj = tot.energy_total_pj;
  *bops = tot.bops_mac;
  return EM_OK;
}

/* Marks the networks (at most 16) that no other beats in both test
 * accuracy and cost; with p (their McNemar p-values, n x n; NULL: none),
 * two networks count as equally accurate where p is at least 0.05, and
 * by[i] (when not NULL) names a network that puts i off the front, SIZE_MAX
 * for none. */
static void front_of(const double *acc, const double *cost, const double *p, size_t n,
                     int *front, size_t *by) {
  double v[32];
  uint8_t f[16], tied[16 * 16];
  for (size_t i = 0; i < n; i++) {
    v[2 * i] = 1 - acc[i];
    v[2 * i + 1] = cost[i];
    for (size_t j = 0; j < n; j++) tied[i * n + j] = p && p[i * n + j] >= 0.05;
  }
  cm_pareto_front_tied(v, n, 2, NULL, tied, f, by);
  for (size_t i = 0; i < n; i++) front[i] = f[i];
}

/* McNemar's test between every two of n networks (at most 16) on their
 * test images' outcomes (out[i], nt each): p-values into p (n x n; 1 on the
 * diagonal, nn_mcnemar_pairs), and the pairs as rows of a table
 * (quant_pairs.csv), or NULL when out of memory. */
static rpt_table *pairs_of(const char *const *name, const uint8_t *const *out, size_t n,
                           size_t nt, double *p) {
  static const rpt_column cols[] = {{"network_a", RPT_STR, 0},     {"network_b", RPT_STR, 0},
                                    {"a_only_right", RPT_U64, 0},  {"b_only_right", RPT_U64, 0},
                                    {"mcnemar_p", RPT_F64, -4}, SIM_CI95_COLS};
  uint64_t only[16 * 16];
  nn_mcnemar_pairs(out, n, nt, p, only);
  rpt_table *t = rpt_table_create("Every two networks on the same test images", cols,
                                  sizeof cols / sizeof cols[0]);
  if (!t) return NULL;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      if (rpt_table_add_row(t) == (size_t)-1) {
        rpt_table_destroy(t);
        return NULL;
      }
      rpt_table_set_str(t, 0, name[i]);
      rpt_table_set_str(t, 1, name[j]);
      rpt_table_set_u64(t, 2, only[i * n + j]);
      rpt_table_set_u64(t, 3, only[j * n + i]);
      rpt_table_set_f64(t, 4, p[i * n + j]);
      double lo, hi;
      nn_paired_diff_ci(only[i * n + j], only[j * n + i], nt, 0.95, &lo, &hi);
      rpt_table_set_f64(t, 5, 100 * lo);
      rpt_table_set_f64(t, 6, 100 * hi);
    }
  rpt_table_add_note(t, "a_only_right and b_only_right: the test images network a gets right and "
                        "network b wrong, and the other way; mcnemar_p: McNemar's exact two-sided "
                        "p-value on them; quant.csv's pareto_noise counts a pair with p >= 0.05 as "
                        "equally accurate");
  rpt_table_add_note(t, SIM_CI95_NOTE("network b's accuracy less network a's",
                                      "a_only_right + b_only_right", "network b"));
  return t;
}

/* The variants' test accuracies, one a job: each quantizes the same
 * weights its own way and runs the test set, so the jobs share nothing. */
typedef struct {
  const nn_mlp *m;
  const variant_t *vars;
  size_t n; /* of them */
  const wl_dataset *train, *test;
  size_t ncalib;
  double *acc;
  uint8_t *outcome; /* variant i's test images' outcomes at i * test->n */
} ptq_job;

/* *acc = right of n images as the accuracy functions give it
 * (nn_mlp_accuracy, nn_qaccuracy, nn_cnn_accuracy); right = SIZE_MAX, their
 * counts' out of memory, is the error. */
static em_status fraction_right(size_t right, size_t n, double *acc, em_diag *d) {
  if (right == SIZE_MAX) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  *acc = nn_fraction(right, n);
  return EM_OK;
}

static em_status ptq_one(void *ctx, size_t i, unsigned w, em_diag *d) {
  (void)w;
  const ptq_job *j = ctx;
  const nn_input clean = {1, 0};
  nn_qmodel *q;
  sim_progress("quant", "variant %zu of %zu: %s", i + 1, j->n, j->vars[i].name);
  em_status s = nn_quantize(j->m, &j->vars[i].q, j->train, j->ncalib, clean, &q, d);
  if (s != EM_OK) return s;
  size_t right = nn_qcorrect(q, j->test, clean, j->outcome + i * j->test->n);
  nn_qmodel_free(q);
  return fraction_right(right, j->test->n, &j->acc[i], d);
}

typedef struct {
  const char *name;
  nn_prune how;
  double s;
  unsigned n, mm;
} prune_t;

/* The pruned networks' accuracies, one a job: each prunes its own copy of
 * the weights and fine-tunes it on one thread (the weights do not depend
 * on the thread count). */
typedef struct {
  const nn_mlp *m;
  const prune_t *pr;
  nn_train_cfg tune; /* epochs 0: none */
  const wl_dataset *train, *test;
  double *a0, *a1;
  uint8_t *outcome; /* network i's test images' outcomes at i * test->n, as it ends */
} prune_job;

/* The fraction of ds's images the network gets right, and each one's
 * outcome into out; EM_ERR_NOMEM when out of memory. */
static em_status mlp_right(const nn_mlp *m, const wl_dataset *ds, uint8_t *out, double *acc,
                           em_diag *d) {
  const nn_input clean = {1, 0};
  return fraction_right(nn_mlp_correct(m, ds, clean, out), ds->n, acc, d);
}

static em_status prune_one(void *ctx, size_t i, unsigned w, em_diag *d) {
  (void)w;
  const prune_job *j = ctx;
  uint8_t *out = j->outcome + i * j->test->n;
  nn_mlp c;
  uint8_t *mask[NN_MAX_LAYERS];
  em_status s = nn_mlp_copy(j->m, &c, d);
  if (s != EM_OK) return s;
  s = nn_mlp_prune(&c, j->pr[i].how, j->pr[i].s, j->pr[i].n, j->pr[i].mm, mask, d);
  j->a0[i] = j->a1[i] = 0;
  if (s == EM_OK) s = mlp_right(&c, j->test, out, &j->a0[i], d);
  j->a1[i] = j->a0[i];
  if (s == EM_OK && j->tune.epochs) {
    nn_train_cfg f = j->tune;
    for (unsigned l = 0; l < NN_MAX_LAYERS; l++) f.mask[l] = mask[l];
    s = nn_mlp_train(&c, j->train, &f, NULL, d);
    if (s == EM_OK) s = mlp_right(&c, j->test, out, &j->a1[i], d);
  }
  for (unsigned l = 0; l < NN_MAX_LAYERS; l++) free(mask[l]);
  nn_mlp_free(&c);
  return s;
}

/* The SimpleCNN's quantized accuracies: int8, and int4 with int8 ends. */
typedef struct {
  const nn_cnn *cn;
  const wl_dataset *train, *test;
  size_t ncalib;
  double acc[2];
  uint8_t *outcome; /* width i's test images' outcomes at i * test->n */
} cnnq_job;

static em_status cnnq_one(void *ctx, size_t i, unsigned w, em_diag *d) {
  (void)w;
  cnnq_job *j = ctx;
  unsigned bits = i == 0 ? 8 : 4;
  return nn_cnn_qaccuracy(j->cn, bits, bits, i != 0, j->train, j->ncalib, j->test, 0, &j->acc[i],
                          j->outcome + i * j->test->n, d);
}

/* Columns col .. col + 4 of the row: the test images fp32 alone gets right,
 * those the other alone does, McNemar's exact p-value, and the 95 %
 * interval of the row's accuracy less fp32's in points (nn_stats.h), n
 * images. */
static void set_mcnemar(rpt_table *t, unsigned col, const uint8_t *fp, const uint8_t *x,
                        size_t n) {
  uint64_t b, c;
  nn_discordant(fp, x, n, &b, &c);
  rpt_table_set_u64(t, col, b);
  rpt_table_set_u64(t, col + 1, c);
  rpt_table_set_f64(t, col + 2, nn_mcnemar_p(b, c));
  double lo, hi;
  nn_paired_diff_ci(b, c, n, 0.95, &lo, &hi);
  rpt_table_set_f64(t, col + 3, 100 * lo);
  rpt_table_set_f64(t, col + 4, 100 * hi);
}

#define MCNEMAR_NOTE                                                                           \
  "fp32_only_right, other_only_right: the test images fp32 alone gets right and the row alone; " \
  "mcnemar_p: McNemar's exact two-sided p-value on them (2 P(X <= min) for X ~ Binomial(their " \
  "sum, 1/2), at most 1): below 0.05, the row's accuracy differs from fp32's beyond the test " \
  "set's noise; 0 where it is below 1e-308, past a double's range"

#define CI95_NOTE                                                                                \
  SIM_CI95_NOTE("the row's accuracy less fp32's", "fp32_only_right + other_only_right", "the row")

/* The command's chatter (training log, tables, summary) on stdout; none
 * under --quiet. */
static void say(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static void say(const char *fmt, ...) {
  FILE *f = sim_chat();
  if (!f) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fflush(f); /* a line as it happens, through a pipe too */
}


/* The report's tables in its folder (-o), each with its JSON; and its
 * plots, in plots/ (simplecnn.* with a SimpleCNN only). */
static const char *const report_tables[] = {
    "quant.csv",    "quant.json",    "quant_pairs.csv", "quant_pairs.json", "pruning.csv",
    "pruning.json", "mismatch.csv",  "mismatch.json",   "simplecnn.csv",    "simplecnn.json"};
static const char *const report_plots[] = {
    "plots/error_vs_bops.png",            "plots/error_vs_bops.svg",
    "plots/error_vs_energy_systolic.png", "plots/error_vs_energy_systolic.svg",
    "plots/error_vs_energy_bitserial.png", "plots/error_vs_energy_bitserial.svg",
    "plots/accuracy_vs_sparsity.png",     "plots/accuracy_vs_sparsity.svg"};
#define NTABLES (sizeof report_tables / sizeof report_tables[0])
#define NPLOTS (sizeof report_plots / sizeof report_plots[0])

/* Whether `file` (--save, --cnn-save) is one the report writes into `dir`
 * (-o): its tables, their JSON, or a plot in its plots folder.  Checked
 * before training, which it followed by some 20 s ("the report and
 * '--save' name the same file" once the tables were written).  Compared by
 * the folders' real paths: a file's folder must exist (sim_io_check), and
 * so must the report's folder where it holds the file. */
static bool report_file(const char *file, const char *dir) {
  char fc[PATH_MAX], fb[PATH_MAX], parent[PATH_MAX], real_dir[PATH_MAX];
  snprintf(fc, sizeof fc, "%s", file);
  snprintf(fb, sizeof fb, "%s", file);
  if (!realpath(dirname(fc), parent) || !realpath(dir, real_dir)) return false;
  const char *base = basename(fb);
  if (strcmp(parent, real_dir) == 0) {
    for (size_t i = 0; i < NTABLES; i++)
      if (strcmp(base, report_tables[i]) == 0) return true;
    return strcmp(base, "plots") == 0;
  }
  char plots[PATH_MAX + 8];
  snprintf(plots, sizeof plots, "%s/plots", real_dir);
  return strcmp(parent, plots) == 0;
}

/* The report's files already in the folder `dir` (-o), checked before the
 * run as the commit checks them (em_outfile.h): each a regular file, plots
 * a folder, none an input of the run (io).  `--load DIR/quant.csv -o DIR`
 * trained and tested for some 40 s and was then refused ("the report
 * would overwrite '--load', an input of this run"), as was a folder in
 * place of a table.  cnn: simplecnn.csv is written too.  Besides the
 * tables and plots: the plots folder and the folder's list of its files
 * (em_outdir_open). */
static em_status report_clash(const em_iocheck *io, const char *dir, bool cnn, em_diag *d) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  for (size_t i = 0; i < NTABLES + NPLOTS + 2; i++) {
    const char *name = i < NTABLES                  ? report_tables[i]
                       : i < NTABLES + NPLOTS       ? report_plots[i - NTABLES]
                       : i == NTABLES + NPLOTS      ? "plots"
                                                    : ".emlsim-quant-files";
    char path[PATH_MAX + 64];
    struct stat sb;
    if (!cnn && strncmp(name, "simplecnn", 9) == 0) continue;
    snprintf(path, sizeof path, "%.*s/%s", (int)n, dir, name);
    if (lstat(path, &sb) != 0) continue; /* new: nothing to replace */
    bool folder = strcmp(name, "plots") == 0;
    char *real = NULL;
    em_status st = em_outpath_resolve(path, folder ? EM_OUT_DIR : EM_OUT_FILE, &real, d);
    if (st == EM_OK && !folder) st = em_iocheck_target(io, real, d);
    free(real);
    if (st != EM_OK) return st;
  }
  return EM_OK;
}

static int cmd_quant(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'D'},
                                     {"epochs", required_argument, NULL, 'e'},
                                     {"optimizer", required_argument, NULL, 'O'},
                                     {"seed", required_argument, NULL, 's'},
                                     {"jobs", required_argument, NULL, 't'},
                                     {"load", required_argument, NULL, 'l'},
                                     {"save", required_argument, NULL, 'S'},
                                     {"finetune", required_argument, NULL, 'f'},
                                     {"calib", required_argument, NULL, 'c'},
                                     {"train-only", no_argument, NULL, 'T'},
                                     {"cnn", required_argument, NULL, 'C'},
                                     {"cnn-save", required_argument, NULL, 'V'},
                                     {"cnn-load", required_argument, NULL, 'L'},
                                     {"output", required_argument, NULL, 'o'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, SIM_OPT_VERSION},
                                     {NULL, 0, NULL, 0}};
  const char *data = NULL, *load = NULL, *save = NULL, *out = "quant";
  nn_train_cfg tc = nn_train_defaults(NN_ADAM);
  uint64_t v, finetune = 1, ncalib = 1000;
  bool train_only = false;
  uint64_t cnn_epochs = 0;
  const char *cnn_save = NULL, *cnn_load = NULL;
  /* options given, not defaulted: one that cannot take effect is refused */
  bool epochs_given = false, cnn_given = false, finetune_given = false, calib_given = false;
  const char *train_opt = NULL; /* the last of --optimizer and --seed given */
  int ch;
  optind = 1;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (ch) {
    case 'D': data = optarg; break;
    case 'e':
      if (em_parse_u64(optarg, &v) != EM_OK || v > 100)
        return sim_usage_error("quant", "'--epochs' must be in [0, 100], got '%s'", optarg);
      tc.epochs = (unsigned)v;
      epochs_given = true;
      break;
    case 'O':
      if (strcmp(optarg, "adam") == 0) tc = (nn_train_cfg){.epochs = tc.epochs, .seed = tc.seed, .threads = tc.threads, .opt = NN_ADAM, .lr = 0.001, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .batch = 64, .momentum = 0.9};
      else if (strcmp(optarg, "sgd") == 0) tc = (nn_train_cfg){.epochs = tc.epochs, .seed = tc.seed, .threads = tc.threads, .opt = NN_SGD, .lr = 0.05, .momentum = 0.9, .batch = 64, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
      else return sim_usage_error("quant", "'--optimizer' must be adam or sgd, got '%s'", optarg);
      train_opt = "--optimizer";
      break;
    case 's':
      if (sim_parse_seed("quant", optarg, &tc.seed)) return SIM_EXIT_USAGE;
      train_opt = "--seed";
      break;
    case 't':
      if (em_parse_u64(optarg, &v) != EM_OK || v < 1 || v > 2)
        return sim_usage_error("quant", "'--jobs' must be 1 or 2, got '%s'", optarg);
      tc.threads = (unsigned)v;
      break;
    case 'l': load = optarg; break;
    case 'S':
      if (sim_check_output("quant", "--save", optarg, "a file", "a weights file"))
        return SIM_EXIT_USAGE;
      save = optarg;
      break;
    case 'f':
      if (em_parse_u64(optarg, &finetune) != EM_OK || finetune > 20)
        return sim_usage_error("quant", "'--finetune' must be in [0, 20], got '%s'", optarg);
      finetune_given = true;
      break;
    case 'c':
      if (em_parse_u64(optarg, &ncalib) != EM_OK || ncalib < 1 || ncalib > 60000)
        return sim_usage_error("quant", "'--calib' must be in [1, 60000], got '%s'", optarg);
      calib_given = true;
      break;
    case 'T': train_only = true; break;
    case 'C':
      if (em_parse_u64(optarg, &cnn_epochs) != EM_OK || cnn_epochs > 50)
        return sim_usage_error("quant", "'--cnn' must be in [0, 50], got '%s'", optarg);
      cnn_given = true;
      break;
    case 'V':
      if (sim_check_output("quant", "--cnn-save", optarg, "a file", "a weights file"))
        return SIM_EXIT_USAGE;
      cnn_save = optarg;
      break;
    case 'L': cnn_load = optarg; break;
    case 'o': /* a folder: '-' is no standard output here, nor a folder to make */
      if (sim_check_output("quant", "-o", optarg, "a folder", "a folder of reports"))
        return SIM_EXIT_USAGE;
      out = optarg;
      break;
    case 'q': sim_quiet_set(1); break;
    case 'h': sim_print_usage(&sim_cmd_quant, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("quant", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("quant", argv[optind - 1], lo);
    }
  }
  if (optind != argc) return sim_usage_error("quant", "unexpected argument '%s'", argv[optind]);
  /* An option that cannot take effect is refused, not ignored ('--cnn-load'
   * with '--train-only' was never opened, '--cnn-save' without '--cnn N'
   * wrote nothing, '--epochs' with '--load' trained nothing; each exited 0):
   * weights loaded are not trained, and --train-only stops after the MLP's
   * fp32 accuracy, before the tables, the pruning and the SimpleCNN. */
  if (epochs_given && load)
    return sim_usage_error("quant", "'--epochs' trains the MLP: not with '--load', which uses "
                                    "the file's weights");
  if (save && load) /* it wrote nothing, and said nothing */
    return sim_usage_error("quant", "'--save' writes the weights quant trains: not with "
                                    "'--load', which trains none");
  if (cnn_given && cnn_load)
    return sim_usage_error("quant", "'--cnn' trains the SimpleCNN: not with '--cnn-load', which "
                                    "uses the file's weights");
  if (train_only) {
    const struct {
      const char *opt;
      bool given;
    } later[] = {{"--finetune", finetune_given}, {"--calib", calib_given}, {"--cnn", cnn_given},
                 {"--cnn-load", cnn_load != NULL}, {"--cnn-save", cnn_save != NULL}};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
      if (later[i].given)
        return sim_usage_error("quant", "'%s' does not apply with '--train-only', which stops "
                                        "after the MLP's fp32 accuracy (no quantization, "
                                        "pruning or SimpleCNN)", later[i].opt);
  }
  /* --optimizer and --seed set every training: the MLP's (none with
   * --load), the fine-tuning after pruning (none with --train-only or
   * --finetune 0) and the SimpleCNN's (none without --cnn N) */
  if (train_opt && load && (train_only || finetune == 0) && (cnn_epochs == 0 || cnn_load))
    return sim_usage_error("quant", "'%s' sets how quant trains: here it trains nothing (the MLP's "
                                    "weights are '--load''s, %s, and no '--cnn N')", train_opt,
                           train_only ? "'--train-only' stops before pruning"
                                      : "'--finetune 0' fine-tunes none");
  if (cnn_save && cnn_load)
    return sim_usage_error("quant", "'--cnn-save' writes the SimpleCNN '--cnn N' trains: not "
                                    "with '--cnn-load', which trains none");
  if (cnn_save && !cnn_epochs)
    return sim_usage_error("quant", "'--cnn-save' writes the SimpleCNN '--cnn N' trains: give "
                                    "'--cnn N' with N >= 1 (the default, 0, trains none)");

  em_diag d;
  em_diag_clear(&d);
  wl_dataset train = {0}, test = {0};
  nn_mlp m = {0};
  cm_energy_table *et = NULL;
  hw_point *pts[3] = {NULL, NULL, NULL}; /* systolic, bit-serial, XNOR */
  rpt_table *t = NULL, *pairs = NULL;
  uint8_t *fp_out = NULL, *q_out = NULL; /* test images' outcomes: fp32, the others */
  nn_cnn *cnn_loaded = NULL; /* --cnn-load's network, read before any training */
  int rc = SIM_EXIT_ERROR;
  char path[4400], plots[4300], buf[512];
  nn_input clean = {1.0f, 0.0f};
  /* Outputs: the tables and plots go into a staging folder renamed into
   * place at the end, the weights (--save, --cnn-save) to temporary names
   * renamed with it: a run that fails (a missing gnuplot included) leaves
   * none of them (em_outfile.h). */
  em_iocheck io;
  const char *dd = data ? data : WL_FASHION_MNIST_DIR;
  static const char *const idx_names[8] = {
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",  "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
  char idx[8][4200];
  for (int i = 0; i < 8; i++) snprintf(idx[i], sizeof idx[i], "%s/%s", dd, idx_names[i]);
  const em_ioarg io_args[] = {
      {EM_IO_INPUT, "--data", dd},        {EM_IO_INPUT, "--data", idx[0]},
      {EM_IO_INPUT, "--data", idx[1]},    {EM_IO_INPUT, "--data", idx[2]},
      {EM_IO_INPUT, "--data", idx[3]},    {EM_IO_INPUT, "--data", idx[4]},
      {EM_IO_INPUT, "--data", idx[5]},    {EM_IO_INPUT, "--data", idx[6]},
      {EM_IO_INPUT, "--data", idx[7]},    {EM_IO_INPUT, "--load", load},
      {EM_IO_INPUT, "--cnn-load", cnn_load}, {EM_IO_OUT_FILE, "--save", save},
      {EM_IO_OUT_FILE, "--cnn-save", cnn_save}, {EM_IO_OUT_DIR, "-o", out}};
  em_outfile *outs[3] = {NULL, NULL, NULL}; /* the folder, --save, --cnn-save */
  const char *out_shown = out;
  /* (only where both are written: --train-only writes no report, --load
   * no --save, --cnn-load or no CNN epochs no --cnn-save) */
  if (!train_only && save && !load && report_file(save, out)) {
    em_diag_set(&d, EM_ERR_INVALID, save, 0, 0, "the report and '--save' name the same file");
    goto fail;
  }
  if (!train_only && cnn_save && !cnn_load && cnn_epochs && report_file(cnn_save, out)) {
    em_diag_set(&d, EM_ERR_INVALID, cnn_save, 0, 0,
                "the report and '--cnn-save' name the same file");
    goto fail;
  }
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK ||
      (!train_only && report_clash(&io, out, cnn_epochs || cnn_load, &d) != EM_OK) ||
      (!train_only && sim_need_gnuplot(&d) != EM_OK) ||
      em_outdir_open(out, &io, "quant", &outs[0], &d) != EM_OK ||
      (save && !load && em_outfile_open_tmp(save, &outs[1], &d) != EM_OK) ||
      (cnn_save && !cnn_load && cnn_epochs && em_outfile_open_tmp(cnn_save, &outs[2], &d) != EM_OK))
    goto fail;
  out = em_outfile_tmp(outs[0]);
  /* --cnn-load is read now: a missing or bad file was found only after the
   * MLP's training, minutes into the run */
  if (!train_only && cnn_load && nn_cnn_load(&cnn_loaded, cnn_load, &d) != EM_OK) goto fail;
  /* the test images must have the training images' size (wl_fashion_mnist_pair) */
  if (wl_fashion_mnist_pair(data, &train, &test, &d) != EM_OK) goto fail;
  /* the MLP's input layer takes every pixel, at most 65,536 (nn_mlp_init);
   * training steps a batch of 64 at a time, so fewer images train nothing */
  if (train.rows * train.cols > 65536) {
    em_diag_set(&d, EM_ERR_RANGE, data ? data : WL_FASHION_MNIST_DIR, 0, 0,
                "images of %zu x %zu = %zu pixels: the MLP takes at most 65536 inputs",
                train.rows, train.cols, train.rows * train.cols);
    goto fail;
  }
  if ((cnn_epochs || cnn_load) && (train.rows != 28 || train.cols != 28)) {
    em_diag_set(&d, EM_ERR_INVALID, data ? data : WL_FASHION_MNIST_DIR, 0, 0,
                "SimpleCNN takes 28 x 28 images, these are %zu x %zu", train.rows, train.cols);
    goto fail;
  }
  /* the MLP's training and the SimpleCNN's (--cnn N) alike: fewer images
   * than a batch step nothing */
  if (((!load && tc.epochs) || (cnn_epochs && !cnn_load)) && train.n < tc.batch) {
    em_diag_set(&d, EM_ERR_RANGE, data ? data : WL_FASHION_MNIST_DIR, 0, 0,
                "%zu training images, fewer than one batch of %zu: no training step would run",
                train.n, (size_t)tc.batch);
    goto fail;
  }
  /* the counts that really run: calibration takes the first --calib
   * training images there are, fine-tuning steps whole batches only */
  size_t ncalib_used = ncalib < train.n ? (size_t)ncalib : train.n;
  if (ncalib_used == 0) ncalib_used = 1; /* nn_quantize's floor */
  bool finetune_runs = finetune > 0 && train.n >= tc.batch;
  if (cm_energy_table_default(&et, &d) != EM_OK) goto fail;
  /* the energy of each variant on the three arrays' default design points */
  static const char *const arrays[3] = {"systolic", "bitserial", "xnor"};
  for (int i = 0; i < 3; i++)
    if (hw_point_create(hw_model_find(arrays[i]), NULL, NULL, 0, et, &pts[i], &d) != EM_OK)
      goto fail;
  snprintf(plots, sizeof plots, "%s/plots", out);
  if (em_mkdir_p(plots, &d) != EM_OK) goto fail;

  double t0 = now_s();
  sim_progress("quant", load ? "loading the MLP" : "training the MLP (the longest step)");
  if (load) {
    if (nn_mlp_load(&m, load, &d) != EM_OK) goto fail;
    /* the analysis is of the network quant trains: its three layers'
     * costs, its hidden layers pruned, its first hidden layer's scale (a
     * 784-10 file printed "x-nan" and pruned hidden layers it lacks) */
    size_t px = train.rows * train.cols;
    if (m.nl != 3 || m.dim[0] != px || m.dim[1] != 256 || m.dim[2] != 128 || m.dim[3] != 10) {
      char shape[80] = "";
      for (unsigned l = 0; l <= m.nl; l++)
        snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%u", l ? "-" : "",
                 m.dim[l]);
      em_diag_set(&d, EM_ERR_INVALID, load, 0, 0,
                  "the MLP is %s, and quant analyses a %zu-256-128-10 one (the network it "
                  "trains: an input a pixel, three layers)", shape, px);
      goto fail;
    }
    /* finite weights whose sums overflow: refused before any figure */
    if (nn_mlp_check_finite(&m, &train, ncalib_used, clean, load, &d) != EM_OK)
      goto fail;
    say("weights: %s\n", load);
  } else {
    unsigned dims[4] = {(unsigned)(train.rows * train.cols), 256, 128, 10};
    if (nn_mlp_init(&m, dims, 3, tc.seed, &d) != EM_OK) goto fail;
    if (nn_mlp_train(&m, &train, &tc, sim_chat(), &d) != EM_OK) goto fail;
    double tt = now_s() - t0;
    say("trained %u-%u-%u-%u with %s in %.1f s: %.0f images/s (%u epochs of %zu, %u threads)\n",
           m.dim[0], m.dim[1], m.dim[2], m.dim[3], tc.opt == NN_ADAM ? "Adam" : "SGD+momentum",
           tt, tc.epochs ? (double)tc.epochs * (double)train.n / tt : 0, tc.epochs, train.n,
           tc.threads);
    if (outs[1] && nn_mlp_save(&m, em_outfile_tmp(outs[1]), &d) != EM_OK) goto fail;
  }
  t0 = now_s();
  fp_out = malloc(test.n + 1);
  /* the variants' (11), the pruned networks' (8) or the SimpleCNN's widths' (2) */
  q_out = malloc(16 * test.n + 1);
  if (!fp_out || !q_out) goto nomem;
  double fp32 = 0;
  if (mlp_right(&m, &test, fp_out, &fp32, &d) != EM_OK) goto fail;
  double ti = now_s() - t0;
  say("fp32 test accuracy %.2f %% (%zu images, %.0f images/s)\n", 100 * fp32, test.n,
         (double)test.n / ti);
  if (train_only) { /* the MLP's weights only: no tables, no folder, no CNN */
    em_outfile_abort(outs[0]);
    em_outfile_abort(outs[2]);
    outs[0] = outs[2] = NULL;
    if (em_outfile_commit_all(outs, 3, &d) != EM_OK) {
      outs[1] = outs[2] = NULL;
      goto fail;
    }
    outs[1] = outs[2] = NULL;
    rc = SIM_EXIT_OK;
    goto done;
  }

  /* ---- post-training quantization ---- */
  const nn_qcfg base = {NN_Q_INT, 8, 8, false, CM_Q_SYMMETRIC, CM_CALIB_MINMAX, 99.99, false, 0.05};
  variant_t vars[] = {
      {"int8 per-tensor sym", base},
      {"int8 per-channel sym", base},
      {"int8 per-channel asym", base},
      {"int8 per-channel pct99.99", base},
      {"int4 per-channel", base},
      {"int4 per-channel, ends int8", base},
      {"w4a8 per-channel", base},
      {"int2 per-channel, ends int8", base},
      {"ternary, ends int8", base},
      {"binary, ends int8", base},
      {"binary all layers", base},
  };
  vars[1].q.per_channel = true;
  vars[2].q.per_channel = true;
  vars[2].q.wscheme = CM_Q_ASYMMETRIC;
  vars[3].q.per_channel = true;
  vars[3].q.calib = CM_CALIB_PERCENTILE;
  vars[4].q.per_channel = true;
  vars[4].q.wbits = vars[4].q.abits = 4;
  vars[5].q = vars[4].q;
  vars[5].q.keep_ends = true;
  vars[6].q.per_channel = true;
  vars[6].q.wbits = 4;
  vars[7].q = vars[5].q;
  vars[7].q.wbits = vars[7].q.abits = 2;
  vars[8].q.kind = NN_Q_TERNARY;
  vars[8].q.keep_ends = true;
  vars[9].q.kind = NN_Q_BINARY;
  vars[9].q.keep_ends = true;
  vars[10].q.kind = NN_Q_BINARY;
  size_t nv = sizeof vars / sizeof vars[0];
  static const rpt_column qcols[] = {
      {"variant", RPT_STR, 0},          {"accuracy_pct", RPT_F64, 2},
      {"delta_pts", RPT_F64, 2},        {"mbops_mac", RPT_F64, 3},
      {"systolic_uj", RPT_F64, 3},      {"bitserial_uj", RPT_F64, 3},
      {"xnor_uj", RPT_F64, 3},          {"pareto", RPT_U64, 0},
      {"pareto_noise", RPT_U64, 0},     {"fp32_only_right", RPT_U64, 0},
      {"other_only_right", RPT_U64, 0}, {"mcnemar_p", RPT_F64, -4}, SIM_CI95_COLS};
  t = rpt_table_create("Post-training quantization, Fashion-MNIST test set", qcols,
                       sizeof qcols / sizeof qcols[0]);
  if (!t) goto nomem;
  snprintf(buf, sizeof buf, "%.2f %%", 100 * fp32);
  rpt_table_add_meta(t, "fp32 accuracy", buf);
  double acc[16], bops[16], esa[16], ebs[16], exn[16];
  const char *lab[16];
  int front[16], front_n[16];
  size_t by[16];
  rpt_table_add_row(t);
  rpt_table_set_str(t, 0, "fp32");
  rpt_table_set_f64(t, 1, 100 * fp32);
  rpt_table_set_f64(t, 2, 0);
  {
    ptq_job pj = {&m, vars, nv, &train, &test, ncalib, acc, q_out};
    if (em_pool_run(tc.threads, nv, ptq_one, &pj, NULL, &d) != EM_OK) goto fail;
  }
  for (size_t i = 0; i < nv; i++) {
    /* cost at the widths each layer ran */
    wl_network *qn = NULL;
    const char *why[3];
    double b2;
    em_status cs = mlp_network(&m, &vars[i].q, &qn, &d);
    if (cs == EM_OK) cs = cost_of(pts[0], qn, &esa[i], &bops[i], &why[0], &d);
    if (cs == EM_OK) cs = cost_of(pts[1], qn, &ebs[i], &b2, &why[1], &d);
    if (cs == EM_OK) cs = cost_of(pts[2], qn, &exn[i], &b2, &why[2], &d);
    wl_network_destroy(qn);
    if (cs != EM_OK) goto fail;
    lab[i] = vars[i].name;
    say("  %-30s %6.2f %%\n", vars[i].name, 100 * acc[i]);
  }
  /* fp32 beside them: its BOPS at 32 x 32 bits a MAC, as analyze's bops_mac
   * counts them (HAWQ-V3's MACs x b_w x b_a; analyze's and the study's
   * bops are the study book's formula, which adds the accumulator's add),
   * and its place on the front (its BOPS are the most, so it takes no
   * variant's place) */
  {
    nn_qcfg f32 = vars[0].q;
    f32.wbits = f32.abits = 32;
    f32.keep_ends = false;
    wl_network *fn = NULL;
    cm_layer_cost ftot;
    em_status fs = mlp_network(&m, &f32, &fn, &d);
    if (fs == EM_OK) fs = cm_network_cost(fn, et, NULL, &ftot, &d);
    wl_network_destroy(fn);
    if (fs != EM_OK) goto fail;
    acc[nv] = fp32;
    bops[nv] = ftot.bops_mac;
  }
  /* Pareto: no other variant is both at least as accurate and as cheap in BOPS */
  front_of(acc, bops, NULL, nv + 1, front, NULL);
  const uint8_t *nets_out[16] = {NULL}; /* each network's test outcomes, fp32 last */
  const char *nets[16] = {NULL};
  double pm[16 * 16];
  for (size_t i = 0; i < nv; i++) {
    nets_out[i] = q_out + i * test.n;
    nets[i] = vars[i].name;
  }
  nets_out[nv] = fp_out;
  nets[nv] = "fp32";
  pairs = pairs_of(nets, nets_out, nv + 1, test.n, pm);
  if (!pairs) goto nomem;
  front_of(acc, bops, pm, nv + 1, front_n, by);
  rpt_table_set_f64(t, 3, bops[nv] * 1e-6); /* the fp32 row, the table's last so far */
  rpt_table_set_u64(t, 7, (uint64_t)front[nv]);
  rpt_table_set_u64(t, 8, (uint64_t)front_n[nv]);
  for (size_t i = 0; i < nv; i++) {
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, vars[i].name);
    rpt_table_set_f64(t, 1, 100 * acc[i]);
    rpt_table_set_f64(t, 2, 100 * (acc[i] - fp32));
    rpt_table_set_f64(t, 3, bops[i] * 1e-6);
    rpt_table_set_f64(t, 4, esa[i] * 1e-6);
    rpt_table_set_f64(t, 5, ebs[i] * 1e-6);
    if (!isnan(exn[i])) rpt_table_set_f64(t, 6, exn[i] * 1e-6); /* else n/a: see the note */
    rpt_table_set_u64(t, 7, (uint64_t)front[i]);
    rpt_table_set_u64(t, 8, (uint64_t)front_n[i]);
    set_mcnemar(t, 9, fp_out, q_out + i * test.n, test.n);
  }
  if (ncalib_used < ncalib)
    snprintf(buf, sizeof buf, "calibration: activation ranges from all %zu training images "
             "(%s %llu, more than the set holds)", ncalib_used,
             calib_given ? "'--calib' asked for" : "the default is", (unsigned long long)ncalib);
  else
    snprintf(buf, sizeof buf, "calibration: activation ranges from the first %zu training images",
             ncalib_used);
  rpt_table_add_note(t, buf);
  rpt_table_add_note(t, "integer layers run through the MAC model the RTL is checked against "
                        "(mac_step's accumulator, a row at a time by mac_dot), binary layers "
                        "through xnor_dot, ternary through mac_step on "
                        "{-1, 0, +1}; requantization between layers in floating point");
  rpt_table_add_note(t, "mbops_mac and energy per inference: the three layers each at the width it "
                        "ran (ends int8 where the variant keeps them; binary and ternary weights "
                        "at 1 and 2 bits); mbops_mac counts b_w x b_a per MAC, as analyze's "
                        "bops_mac (HAWQ-V3's BOPs), not the study book's BOPS (analyze's and "
                        "the study's bops), which add each MAC's accumulation");
  rpt_table_add_note(t, "xnor energy: empty where a layer has weights wider than 1 bit (the XNOR "
                        "array runs binary weights only)");
  rpt_table_add_note(t, "pareto: no other variant (fp32 among them) is at least as accurate with "
                        "at most its BOPS");
  rpt_table_add_note(t, "pareto_noise: the same, two networks counted equally accurate where "
                        "McNemar's test on their test images does not tell them apart "
                        "(p >= 0.05)");
  for (size_t i = 0; i <= nv; i++) /* who leaves the front within noise, and for whom */
    if (front[i] && !front_n[i] && by[i] != SIZE_MAX) {
      snprintf(buf, sizeof buf, "pareto_noise: %s leaves the front: %s has fewer BOPS and "
               "is not shown less accurate (%.2f against %.2f %%, McNemar p = %.2g)",
               nets[i], nets[by[i]], 100 * acc[by[i]], 100 * acc[i], pm[i * (nv + 1) + by[i]]);
      rpt_table_add_note(t, buf);
    }
  rpt_table_add_note(t, MCNEMAR_NOTE);
  rpt_table_add_note(t, CI95_NOTE);
  if (sim_chat() && sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
  snprintf(path, sizeof path, "%s/quant.csv", out);
  if (sim_write_csv_json(path, t, &d) != EM_OK) goto fail;
  snprintf(path, sizeof path, "%s/quant_pairs.csv", out);
  if (sim_write_csv_json(path, pairs, &d) != EM_OK) goto fail;
  rpt_table_destroy(pairs);
  pairs = NULL;
  rpt_table_destroy(t);
  t = NULL;
  {
    double err[16], xb[16];
    for (size_t i = 0; i < nv; i++) {
      err[i] = 100 * (1 - acc[i]);
      xb[i] = bops[i] * 1e-6;
    }
    snprintf(path, sizeof path, "%s/error_vs_bops", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP: test error against BOPS per inference",
                   "MBOPS (b_w x b_a per MAC)",
                   "test error (%)", lab, xb, err, NULL, NULL, front, front_n, nv, NULL, NULL,
                   &d) != EM_OK)
      goto fail;
    /* the energy fronts among the quantized networks (fp32 runs on neither
     * array): their p-values, pm without fp32's row and column */
    int fe[16], fen[16];
    double pq[16 * 16];
    for (size_t i = 0; i < nv; i++)
      for (size_t j = 0; j < nv; j++) pq[i * nv + j] = pm[i * (nv + 1) + j];
    for (size_t i = 0; i < nv; i++) xb[i] = esa[i] * 1e-6;
    front_of(acc, esa, NULL, nv, fe, NULL);
    front_of(acc, esa, pq, nv, fen, NULL);
    snprintf(path, sizeof path, "%s/error_vs_energy_systolic", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP on the systolic array: error against energy",
                   "energy per inference (uJ)", "test error (%)", lab, xb, err, NULL, NULL, fe, fen, nv,
                   NULL, NULL, &d) != EM_OK)
      goto fail;
    for (size_t i = 0; i < nv; i++) xb[i] = ebs[i] * 1e-6;
    front_of(acc, ebs, NULL, nv, fe, NULL);
    front_of(acc, ebs, pq, nv, fen, NULL);
    snprintf(path, sizeof path, "%s/error_vs_energy_bitserial", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP on the BISMO bit-serial array: error against energy",
                   "energy per inference (uJ)", "test error (%)", lab, xb, err, NULL, NULL, fe, fen, nv,
                   NULL, NULL, &d) != EM_OK)
      goto fail;
  }

  sim_progress("quant", "pruning");
  /* ---- pruning ---- */
  {
    static const rpt_column pcols[] = {{"pruning", RPT_STR, 0},    {"sparsity", RPT_F64, 2},
                                       {"accuracy_pct", RPT_F64, 2}, {"finetuned_pct", RPT_F64, 2},
                                       {"fp32_only_right", RPT_U64, 0},
                                       {"other_only_right", RPT_U64, 0},
                                       {"mcnemar_p", RPT_F64, -4}, SIM_CI95_COLS};
    t = rpt_table_create("Pruning (hidden layers), fp32", pcols, sizeof pcols / sizeof pcols[0]);
    if (!t) goto nomem;
    /* "none": the control, the same network fine-tuned the same way with
     * nothing pruned, so that a pruned row's gain over fp32 can be told
     * from what the extra epochs alone give (magnitude 0.50 fine-tuned read
     * 1.63 points over fp32, p 5e-10, where one more epoch unpruned gives
     * about as much) */
    static const prune_t pr[] = {
        {"none", NN_PRUNE_MAGNITUDE, 0.0, 0, 0},
        {"magnitude", NN_PRUNE_MAGNITUDE, 0.5, 0, 0}, {"magnitude", NN_PRUNE_MAGNITUDE, 0.7, 0, 0},
        {"magnitude", NN_PRUNE_MAGNITUDE, 0.9, 0, 0}, {"magnitude", NN_PRUNE_MAGNITUDE, 0.95, 0, 0},
        {"neuron", NN_PRUNE_NEURON, 0.25, 0, 0},      {"neuron", NN_PRUNE_NEURON, 0.5, 0, 0},
        {"neuron", NN_PRUNE_NEURON, 0.75, 0, 0},      {"2:4", NN_PRUNE_NM, 0.5, 2, 4}};
    enum { NPR = sizeof pr / sizeof pr[0] };
    double xs[NPR], ya[NPR], yf[NPR], pa0[NPR], pa1[NPR];
    size_t nmag = 0;
    prune_job pj = {&m, pr, tc, &train, &test, pa0, pa1, q_out};
    pj.tune.epochs = (unsigned)finetune;
    pj.tune.lr = tc.lr * 0.5;
    pj.tune.threads = 1;
    if (em_pool_run(tc.threads, NPR, prune_one, &pj, NULL, &d) != EM_OK) goto fail;
    for (size_t i = 0; i < NPR; i++) {
      double a0 = pa0[i], a1 = pa1[i];
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, pr[i].name);
      rpt_table_set_f64(t, 1, pr[i].s);
      rpt_table_set_f64(t, 2, 100 * a0);
      rpt_table_set_f64(t, 3, 100 * a1);
      set_mcnemar(t, 4, fp_out, q_out + i * test.n, test.n);
      if (pr[i].how == NN_PRUNE_MAGNITUDE) {
        xs[nmag] = pr[i].s;
        ya[nmag] = 100 * a0;
        yf[nmag] = 100 * a1;
        nmag++;
      }
    }
    if (finetune_runs)
      snprintf(buf, sizeof buf, "fine-tuning: %llu epoch(s) with the masks held",
               (unsigned long long)finetune);
    else if (finetune)
      snprintf(buf, sizeof buf, "fine-tuning: none ran: %zu training images, fewer than one "
               "batch of %zu (finetuned_pct is the pruned network's)", train.n, (size_t)tc.batch);
    else
      snprintf(buf, sizeof buf, "fine-tuning: none ('--finetune 0')");
    rpt_table_add_note(t, buf);
    rpt_table_add_note(t, "against fp32: the network as it ends (fine-tuned where fine-tuning "
                          "ran)");
    if (finetune_runs) {
      snprintf(buf, sizeof buf,
               "none: the control, nothing pruned and fine-tuned the same way: the epochs alone "
               "move fp32's %.2f %% to %.2f %%, so a pruned row's accuracy is the pruning's "
               "against that, not against fp32",
               100 * fp32, 100 * pa1[0]);
      rpt_table_add_note(t, buf);
    }
    rpt_table_add_note(t, MCNEMAR_NOTE);
    rpt_table_add_note(t, CI95_NOTE);
    say("\n");
    if (sim_chat() && sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/pruning.csv", out);
    if (sim_write_csv_json(path, t, &d) != EM_OK) goto fail;
    rpt_table_destroy(t);
    t = NULL;
    plt_series s[2] = {{"pruned", xs, ya, nmag, "linespoints lw 2 pt 7"},
                       {"pruned and fine-tuned", xs, yf, nmag, "linespoints lw 2 pt 5"}};
    snprintf(path, sizeof path, "%s/accuracy_vs_sparsity", plots);
    if (plt_lines(path, "Fashion-MNIST MLP: accuracy against magnitude-pruning sparsity",
                  "sparsity of the hidden layers", "test accuracy (%)", NULL, s, 2, NULL, -1, 0,
                  &d) != EM_OK)
      goto fail;
  }

  /* ---- calibration mismatch (study book 1.6) ---- */
  {
    nn_input bright = {1.3f, 0.1f};
    nn_qcfg q8 = base; /* int8 per-tensor, min/max: the book's setting */
    nn_qmodel *qc, *qs;
    if (nn_quantize(&m, &q8, &train, ncalib, clean, &qc, &d) != EM_OK) goto fail;
    if (nn_quantize(&m, &q8, &train, ncalib, bright, &qs, &d) != EM_OK) {
      nn_qmodel_free(qc);
      goto fail;
    }
    /* each case's outcome on the shifted test images: fp32, int8 calibrated
     * on clean images, int8 calibrated on the shifted ones */
    size_t nt = test.n;
    uint8_t *mo = malloc(3 * nt + 1);
    double a_fp = 0, a_mis = 0, a_re = 0;
    em_status ms = mo ? EM_OK : em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (ms == EM_OK)
      ms = fraction_right(nn_mlp_correct(&m, &test, bright, mo), nt, &a_fp, &d);
    if (ms == EM_OK) ms = fraction_right(nn_qcorrect(qc, &test, bright, mo + nt), nt, &a_mis, &d);
    if (ms == EM_OK)
      ms = fraction_right(nn_qcorrect(qs, &test, bright, mo + 2 * nt), nt, &a_re, &d);
    double s_c = nn_qmodel_act_scale(qc, 1), s_s = nn_qmodel_act_scale(qs, 1);
    nn_qmodel_free(qc);
    nn_qmodel_free(qs);
    if (ms != EM_OK) {
      free(mo);
      goto fail;
    }
    static const rpt_column mcols[] = {
        {"case", RPT_STR, 0},            {"accuracy_pct", RPT_F64, 2},
        {"layer1_scale", RPT_F64, 6},    {"fp32_only_right", RPT_U64, 0},
        {"other_only_right", RPT_U64, 0}, {"mcnemar_p", RPT_F64, -4}, SIM_CI95_COLS};
    t = rpt_table_create("Calibration mismatch: deployed on brighter images (x 1.3 + 0.1)", mcols,
                         sizeof mcols / sizeof mcols[0]);
    if (!t) {
      free(mo);
      goto nomem;
    }
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "fp32");
    rpt_table_set_f64(t, 1, 100 * a_fp);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "int8, calibrated on clean images");
    rpt_table_set_f64(t, 1, 100 * a_mis);
    rpt_table_set_f64(t, 2, s_c);
    set_mcnemar(t, 3, mo, mo + nt, nt);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "int8, calibrated on the deployed images");
    rpt_table_set_f64(t, 1, 100 * a_re);
    rpt_table_set_f64(t, 2, s_s);
    set_mcnemar(t, 3, mo, mo + 2 * nt, nt);
    /* both scales are positive (cm_quant's, 1 for an all-zero range) and
     * finite where the activations are: a ratio, never 0/0 printed "x-nan" */
    if (s_c > 0 && isfinite(s_s / s_c))
      snprintf(buf, sizeof buf, "the first hidden layer's min/max scale grows x%.3f under the "
               "shift (the study book's ResNet-18 example: 0.01287 -> 0.01672, x1.299)",
               s_s / s_c);
    else
      snprintf(buf, sizeof buf, "the first hidden layer's min/max scale: no ratio (its "
               "activations overflow float)");
    rpt_table_add_note(t, buf);
    /* what the shift is, as input_of makes it: the table's title did not
     * say that it clips, which is why the scale grows so little here */
    rpt_table_add_note(t, "brighter: each pixel x 1.3 + 0.1, clipped at 1 (a pixel's top): "
                          "the bright pixels, which set the first layer's largest "
                          "activations, stay at 1, so its scale grows far less than an "
                          "unclipped shift's x1.3; and the background, 0.1 x 255 = 25.5 "
                          "input codes, is a rounding tie the int8 input rounds up");
    rpt_table_add_note(t, MCNEMAR_NOTE " (here all on the shifted test images)");
    rpt_table_add_note(t, CI95_NOTE);
    uint64_t b, c;
    nn_discordant(mo + nt, mo + 2 * nt, nt, &b, &c);
    double pv = nn_mcnemar_p(b, c);
    snprintf(buf, sizeof buf, "recalibrating on the deployed images against calibrating on clean "
             "ones: %+.2f points (%llu images right only when calibrated on clean ones, %llu only "
             "when recalibrated; McNemar p = %.4g: %s)", 100 * (a_re - a_mis),
             (unsigned long long)b, (unsigned long long)c, pv,
             pv < 0.05 ? "a real difference" : "within the test set's noise");
    rpt_table_add_note(t, buf);
    free(mo);
    say("\n");
    if (sim_chat() && sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/mismatch.csv", out);
    if (sim_write_csv_json(path, t, &d) != EM_OK) goto fail;
    rpt_table_destroy(t);
    t = NULL;
  }
  /* ---- the study book's SimpleCNN ---- */
  if (cnn_epochs || cnn_load) {
    sim_progress("quant", cnn_load ? "loading the SimpleCNN" : "training the SimpleCNN");
    nn_cnn *cn = NULL;
    double tt0 = now_s();
    if (cnn_load) {
      cn = cnn_loaded;
      cnn_loaded = NULL;
    } else {
      nn_train_cfg cc = tc;
      cc.epochs = (unsigned)cnn_epochs;
      if (nn_cnn_create(tc.seed, &cn, &d) != EM_OK) goto fail;
      say("\n");
      if (nn_cnn_train(cn, &train, &cc, sim_chat(), &d) != EM_OK) {
        nn_cnn_destroy(cn);
        goto fail;
      }
      double tt = now_s() - tt0;
      say("trained SimpleCNN with %s in %.1f s: %.0f images/s (%u epochs)\n",
             tc.opt == NN_ADAM ? "Adam" : "SGD+momentum", tt,
             (double)cc.epochs * (double)train.n / tt, cc.epochs);
      if (outs[2] && nn_cnn_save(cn, em_outfile_tmp(outs[2]), &d) != EM_OK) {
        nn_cnn_destroy(cn);
        goto fail;
      }
    }
    double tf = now_s();
    double cf = 0;
    if (fraction_right(nn_cnn_correct(cn, &test, fp_out), test.n, &cf, &d) != EM_OK) {
      nn_cnn_destroy(cn);
      goto fail;
    }
    say("SimpleCNN fp32 test accuracy %.2f %% (%.0f images/s)\n", 100 * cf,
           (double)test.n / (now_s() - tf));
    cnnq_job cj = {cn, &train, &test, ncalib, {0, 0}, q_out};
    em_status cs = em_pool_run(tc.threads, 2, cnnq_one, &cj, NULL, &d);
    nn_cnn_destroy(cn);
    if (cs != EM_OK) goto fail;
    double c8 = cj.acc[0], c4 = cj.acc[1];
    static const rpt_column ccols[] = {
        {"simplecnn", RPT_STR, 0},       {"accuracy_pct", RPT_F64, 2},
        {"delta_pts", RPT_F64, 2},       {"fp32_only_right", RPT_U64, 0},
        {"other_only_right", RPT_U64, 0}, {"mcnemar_p", RPT_F64, -4}, SIM_CI95_COLS};
    t = rpt_table_create("SimpleCNN (the study book's), Fashion-MNIST test set", ccols,
                         sizeof ccols / sizeof ccols[0]);
    if (!t) goto nomem;
    const char *cn_names[3] = {"fp32", "int8 per-channel", "int4 per-channel, ends int8"};
    double cv[3] = {cf, c8, c4};
    for (int i = 0; i < 3; i++) {
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, cn_names[i]);
      rpt_table_set_f64(t, 1, 100 * cv[i]);
      rpt_table_set_f64(t, 2, 100 * (cv[i] - cf));
      if (i > 0) set_mcnemar(t, 3, fp_out, q_out + (size_t)(i - 1) * test.n, test.n);
    }
    rpt_table_add_note(t, MCNEMAR_NOTE);
    rpt_table_add_note(t, CI95_NOTE);
    rpt_table_add_note(t, "every convolution position and FC output through the MAC model "
                          "(mac_step's accumulator, a row at a time by mac_dot)");
    say("\n");
    if (sim_chat() && sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/simplecnn.csv", out);
    if (sim_write_csv_json(path, t, &d) != EM_OK) goto fail;
    rpt_table_destroy(t);
    t = NULL;
  }
  {
    em_status cs = em_outfile_commit_all(outs, 3, &d);
    outs[0] = outs[1] = outs[2] = NULL;
    if (cs != EM_OK) goto fail;
  }
  say("\ntables and plots in %s\n", out_shown);
  rc = SIM_EXIT_OK;
  goto done;
nomem:
  em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
fail:
  for (int i = 0; i < 3; i++) em_outfile_explain(outs[i], &d);
  sim_fail(&d);
done:
  for (int i = 0; i < 3; i++) em_outfile_abort(outs[i]);
  rpt_table_destroy(t);
  rpt_table_destroy(pairs);
  free(fp_out);
  free(q_out);
  nn_cnn_destroy(cnn_loaded);
  nn_mlp_free(&m);
  wl_dataset_free(&train);
  wl_dataset_free(&test);
  for (int i = 0; i < 3; i++) hw_point_destroy(pts[i]);
  cm_energy_table_destroy(et);
  return rc;
}
