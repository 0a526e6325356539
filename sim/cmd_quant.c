/*
 * cmd_quant.c - `emlsim quant`: train an MLP on Fashion-MNIST in C, then
 * check quantization and pruning choices on the real test set: accuracy
 * through the hardware's arithmetic models against BOPS and energy per
 * inference on each architecture, the Pareto front, pruning, and the study
 * book's calibration mismatch.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bs_array.h"
#include "cm_energy.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "nn_cnn.h"
#include "nn_mlp.h"
#include "plt_plot.h"
#include "rpt_table.h"
#include "sa_model.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "wl_idx.h"
#include "wl_layer.h"
#include "xnor_array.h"

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
    "(calibrate on clean images, deploy on brighter ones).\n"
    "\n"
    "  --data DIR          the IDX files (default /usr/share/datasets/fashion-mnist)\n"
    "  --epochs N          training epochs (default 5)\n"
    "  --optimizer O       adam (default) or sgd (with momentum 0.9)\n"
    "  --seed N            initial weights and shuffles (default 1)\n"
    "  --threads N         1 or 2 (default 2; the weights do not depend on it)\n"
    "  --load FILE         use these weights instead of training\n"
    "  --save FILE         write the trained weights (format: models/README.md)\n"
    "  --finetune N        epochs of fine-tuning after pruning (default 1)\n"
    "  --calib N           calibration images (default 1000)\n"
    "  --train-only        stop after training (and --save) and the fp32 accuracy\n"
    "  --cnn N             also train the study book's SimpleCNN for N epochs and\n"
    "                      check it at int8 and int4 (0: skip, the default)\n"
    "  --cnn-save FILE     write its weights; --cnn-load FILE uses them instead\n"
    "  -o, --output DIR    tables and plots (default quant)\n"
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

/* Energy per inference (pJ) of the MLP's layers at w:a bits on one model:
 * 0 systolic (32x32 os), 1 bit-serial (BISMO), 2 XNOR (FINN 32x32). */
static em_status energy_of(const nn_mlp *m, unsigned wb, unsigned ab, int arch,
                           const cm_energy_table *et, double *pj, double *bops, em_diag *d) {
  *pj = 0;
  *bops = 0;
  for (unsigned l = 0; l < m->nl; l++) {
    wl_layer L = wl_fc("fc", m->dim[l], m->dim[l + 1]);
    L.w = (wl_prec){(uint8_t)wb, false};
    L.a = (wl_prec){(uint8_t)ab, false};
    *bops += (double)m->dim[l] * m->dim[l + 1] * wb * ab;
    em_status s;
    if (arch == 0) {
      sa_config c = sa_config_default();
      c.pack_narrow = true;
      sa_layer_stats st;
      sa_energy e;
      if ((s = sa_simulate(&c, &L, NULL, &st, d)) != EM_OK ||
          (s = sa_layer_energy(&c, &L, &st, et, &e, d)) != EM_OK)
        return s;
      *pj += e.total_pj;
    } else if (arch == 1) {
      bs_config c = bs_config_bismo();
      bs_stats st;
      bs_energy e;
      if ((s = bs_layer(&c, &L, &st, d)) != EM_OK || (s = bs_layer_energy(&c, &st, et, &e, d)) != EM_OK)
        return s;
      *pj += e.total_pj;
    } else {
      xnor_config c = {32, 32, 200.0};
      xnor_stats st;
      xnor_energy e;
      if ((s = xnor_layer(&c, &L, &st, d)) != EM_OK || (s = xnor_layer_energy(&c, &st, et, &e, d)) != EM_OK)
        return s;
      *pj += e.total_pj;
    }
  }
  return EM_OK;
}

static em_status write_csv(const char *path, const rpt_table *t, em_diag *d) {
  return sim_write_table(t, RPT_FMT_CSV, path, d);
}

static int cmd_quant(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'D'},
                                     {"epochs", required_argument, NULL, 'e'},
                                     {"optimizer", required_argument, NULL, 'O'},
                                     {"seed", required_argument, NULL, 's'},
                                     {"threads", required_argument, NULL, 't'},
                                     {"load", required_argument, NULL, 'l'},
                                     {"save", required_argument, NULL, 'S'},
                                     {"finetune", required_argument, NULL, 'f'},
                                     {"calib", required_argument, NULL, 'c'},
                                     {"train-only", no_argument, NULL, 'T'},
                                     {"cnn", required_argument, NULL, 'C'},
                                     {"cnn-save", required_argument, NULL, 'V'},
                                     {"cnn-load", required_argument, NULL, 'L'},
                                     {"output", required_argument, NULL, 'o'},
                                     {"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, SIM_OPT_VERSION},
                                     {NULL, 0, NULL, 0}};
  const char *data = NULL, *load = NULL, *save = NULL, *out = "quant";
  nn_train_cfg tc = nn_train_defaults(NN_ADAM);
  uint64_t v, finetune = 1, ncalib = 1000;
  bool train_only = false;
  uint64_t cnn_epochs = 0;
  const char *cnn_save = NULL, *cnn_load = NULL;
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
      break;
    case 'O':
      if (strcmp(optarg, "adam") == 0) tc = (nn_train_cfg){.epochs = tc.epochs, .seed = tc.seed, .threads = tc.threads, .opt = NN_ADAM, .lr = 0.001, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .batch = 64, .momentum = 0.9};
      else if (strcmp(optarg, "sgd") == 0) tc = (nn_train_cfg){.epochs = tc.epochs, .seed = tc.seed, .threads = tc.threads, .opt = NN_SGD, .lr = 0.05, .momentum = 0.9, .batch = 64, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
      else return sim_usage_error("quant", "'--optimizer' must be adam or sgd, got '%s'", optarg);
      break;
    case 's':
      if (em_parse_u64(optarg, &tc.seed) != EM_OK)
        return sim_usage_error("quant", "'--seed' must be a number, got '%s'", optarg);
      break;
    case 't':
      if (em_parse_u64(optarg, &v) != EM_OK || v < 1 || v > 2)
        return sim_usage_error("quant", "'--threads' must be 1 or 2, got '%s'", optarg);
      tc.threads = (unsigned)v;
      break;
    case 'l': load = optarg; break;
    case 'S': save = optarg; break;
    case 'f':
      if (em_parse_u64(optarg, &finetune) != EM_OK || finetune > 20)
        return sim_usage_error("quant", "'--finetune' must be in [0, 20], got '%s'", optarg);
      break;
    case 'c':
      if (em_parse_u64(optarg, &ncalib) != EM_OK || ncalib < 1 || ncalib > 60000)
        return sim_usage_error("quant", "'--calib' must be in [1, 60000], got '%s'", optarg);
      break;
    case 'T': train_only = true; break;
    case 'C':
      if (em_parse_u64(optarg, &cnn_epochs) != EM_OK || cnn_epochs > 50)
        return sim_usage_error("quant", "'--cnn' must be in [0, 50], got '%s'", optarg);
      break;
    case 'V': cnn_save = optarg; break;
    case 'L': cnn_load = optarg; break;
    case 'o': out = optarg; break;
    case 'h': sim_print_usage(&sim_cmd_quant, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("quant", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_usage_error("quant", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc) return sim_usage_error("quant", "unexpected argument '%s'", argv[optind]);

  em_diag d;
  em_diag_clear(&d);
  wl_dataset train = {0}, test = {0};
  nn_mlp m = {0};
  cm_energy_table *et = NULL;
  rpt_table *t = NULL;
  int rc = SIM_EXIT_ERROR;
  char path[4400], plots[4300], buf[512];
  nn_input clean = {1.0f, 0.0f};
  /* the test images must have the training images' size (wl_fashion_mnist_pair) */
  if (wl_fashion_mnist_pair(data, &train, &test, &d) != EM_OK) goto fail;
  if ((cnn_epochs || cnn_load) && (train.rows != 28 || train.cols != 28)) {
    em_diag_set(&d, EM_ERR_INVALID, data ? data : WL_FASHION_MNIST_DIR, 0, 0,
                "SimpleCNN takes 28 x 28 images, these are %zu x %zu", train.rows, train.cols);
    goto fail;
  }
  if (cm_energy_table_default(&et, &d) != EM_OK) goto fail;
  snprintf(plots, sizeof plots, "%s/plots", out);
  if (em_mkdir_p(plots, &d) != EM_OK) goto fail;

  double t0 = now_s();
  if (load) {
    if (nn_mlp_load(&m, load, &d) != EM_OK) goto fail;
    if (m.dim[0] != train.rows * train.cols || m.dim[m.nl] != 10) {
      em_diag_set(&d, EM_ERR_INVALID, load, 0, 0, "the network is not %zu inputs to 10 classes",
                  train.rows * train.cols);
      goto fail;
    }
    printf("weights: %s\n", load);
  } else {
    unsigned dims[4] = {(unsigned)(train.rows * train.cols), 256, 128, 10};
    if (nn_mlp_init(&m, dims, 3, tc.seed, &d) != EM_OK) goto fail;
    if (nn_mlp_train(&m, &train, &tc, stdout, &d) != EM_OK) goto fail;
    double tt = now_s() - t0;
    printf("trained %u-%u-%u-%u with %s in %.1f s: %.0f images/s (%u epochs of %zu, %u threads)\n",
           m.dim[0], m.dim[1], m.dim[2], m.dim[3], tc.opt == NN_ADAM ? "Adam" : "SGD+momentum",
           tt, tc.epochs ? (double)tc.epochs * (double)train.n / tt : 0, tc.epochs, train.n,
           tc.threads);
    if (save && nn_mlp_save(&m, save, &d) != EM_OK) goto fail;
  }
  t0 = now_s();
  double fp32 = nn_mlp_accuracy(&m, &test, clean);
  double ti = now_s() - t0;
  printf("fp32 test accuracy %.2f %% (%zu images, %.0f images/s)\n", 100 * fp32, test.n,
         (double)test.n / ti);
  if (train_only) {
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
      {"delta_pts", RPT_F64, 2},        {"mbops", RPT_F64, 3},
      {"systolic_uj", RPT_F64, 3},      {"bitserial_uj", RPT_F64, 3},
      {"xnor_uj", RPT_F64, 3},          {"pareto", RPT_U64, 0}};
  t = rpt_table_create("Post-training quantization, Fashion-MNIST test set", qcols,
                       sizeof qcols / sizeof qcols[0]);
  if (!t) goto nomem;
  snprintf(buf, sizeof buf, "%.2f %%", 100 * fp32);
  rpt_table_add_meta(t, "fp32 accuracy", buf);
  double acc[16], bops[16], esa[16], ebs[16], exn[16];
  const char *lab[16];
  int front[16];
  rpt_table_add_row(t);
  rpt_table_set_str(t, 0, "fp32");
  rpt_table_set_f64(t, 1, 100 * fp32);
  rpt_table_set_f64(t, 2, 0);
  for (size_t i = 0; i < nv; i++) {
    nn_qmodel *q;
    if (nn_quantize(&m, &vars[i].q, &train, ncalib, clean, &q, &d) != EM_OK) goto fail;
    acc[i] = nn_qaccuracy(q, &test, clean);
    nn_qmodel_free(q);
    /* cost at the variant's widths: binary and ternary at 1 and 2 bits */
    unsigned wb = vars[i].q.kind == NN_Q_BINARY ? 1 : vars[i].q.kind == NN_Q_TERNARY ? 2 : vars[i].q.wbits;
    unsigned ab = vars[i].q.kind == NN_Q_BINARY ? 1 : vars[i].q.abits;
    double b2;
    if (energy_of(&m, wb, ab, 0, et, &esa[i], &bops[i], &d) != EM_OK ||
        energy_of(&m, wb, ab, 1, et, &ebs[i], &b2, &d) != EM_OK)
      goto fail;
    exn[i] = 0;
    if (wb == 1 && energy_of(&m, 1, ab, 2, et, &exn[i], &b2, &d) != EM_OK) goto fail;
    lab[i] = vars[i].name;
    printf("  %-30s %6.2f %%\n", vars[i].name, 100 * acc[i]);
  }
  /* Pareto: no other variant is both at least as accurate and as cheap in BOPS */
  for (size_t i = 0; i < nv; i++) {
    front[i] = 1;
    for (size_t k = 0; k < nv; k++)
      if (k != i && acc[k] >= acc[i] && bops[k] <= bops[i] && (acc[k] > acc[i] || bops[k] < bops[i]))
        front[i] = 0;
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, vars[i].name);
    rpt_table_set_f64(t, 1, 100 * acc[i]);
    rpt_table_set_f64(t, 2, 100 * (acc[i] - fp32));
    rpt_table_set_f64(t, 3, bops[i] * 1e-6);
    rpt_table_set_f64(t, 4, esa[i] * 1e-6);
    rpt_table_set_f64(t, 5, ebs[i] * 1e-6);
    rpt_table_set_f64(t, 6, exn[i] * 1e-6);
    rpt_table_set_u64(t, 7, (uint64_t)front[i]);
  }
  rpt_table_add_note(t, "integer layers run through mac_step (the MAC model the RTL is checked "
                        "against), binary layers through xnor_dot, ternary through mac_step on "
                        "{-1, 0, +1}; requantization between layers in floating point");
  rpt_table_add_note(t, "energy per inference: the three layers on each array at the variant's "
                        "widths (binary and ternary at 1 and 2 bits; XNOR only for 1-bit weights)");
  rpt_table_add_note(t, "pareto: no other variant is at least as accurate with at most its BOPS");
  if (sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
  snprintf(path, sizeof path, "%s/quant.csv", out);
  if (write_csv(path, t, &d) != EM_OK) goto fail;
  rpt_table_destroy(t);
  t = NULL;
  {
    double err[16], xb[16];
    for (size_t i = 0; i < nv; i++) {
      err[i] = 100 * (1 - acc[i]);
      xb[i] = bops[i] * 1e-6;
    }
    snprintf(path, sizeof path, "%s/error_vs_bops", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP: test error against BOPS per inference", "MBOPS",
                   "test error (%)", lab, xb, err, front, nv, 2, &d) != EM_OK)
      goto fail;
    int fe[16];
    for (size_t i = 0; i < nv; i++) {
      xb[i] = esa[i] * 1e-6;
      fe[i] = 1;
      for (size_t k = 0; k < nv; k++)
        if (k != i && acc[k] >= acc[i] && esa[k] <= esa[i] && (acc[k] > acc[i] || esa[k] < esa[i]))
          fe[i] = 0;
    }
    snprintf(path, sizeof path, "%s/error_vs_energy_systolic", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP on the systolic array: error against energy",
                   "energy per inference (uJ)", "test error (%)", lab, xb, err, fe, nv, 2, &d) != EM_OK)
      goto fail;
    for (size_t i = 0; i < nv; i++) {
      xb[i] = ebs[i] * 1e-6;
      fe[i] = 1;
      for (size_t k = 0; k < nv; k++)
        if (k != i && acc[k] >= acc[i] && ebs[k] <= ebs[i] && (acc[k] > acc[i] || ebs[k] < ebs[i]))
          fe[i] = 0;
    }
    snprintf(path, sizeof path, "%s/error_vs_energy_bitserial", plots);
    if (plt_pareto(path, "Fashion-MNIST MLP on the BISMO bit-serial array: error against energy",
                   "energy per inference (uJ)", "test error (%)", lab, xb, err, fe, nv, 2, &d) != EM_OK)
      goto fail;
  }

  /* ---- pruning ---- */
  {
    static const rpt_column pcols[] = {{"pruning", RPT_STR, 0},    {"sparsity", RPT_F64, 2},
                                       {"accuracy_pct", RPT_F64, 2}, {"finetuned_pct", RPT_F64, 2}};
    t = rpt_table_create("Pruning (hidden layers), fp32", pcols, sizeof pcols / sizeof pcols[0]);
    if (!t) goto nomem;
    struct {
      const char *name;
      nn_prune how;
      double s;
      unsigned n, mm;
    } pr[] = {{"magnitude", NN_PRUNE_MAGNITUDE, 0.5, 0, 0}, {"magnitude", NN_PRUNE_MAGNITUDE, 0.7, 0, 0},
              {"magnitude", NN_PRUNE_MAGNITUDE, 0.9, 0, 0}, {"magnitude", NN_PRUNE_MAGNITUDE, 0.95, 0, 0},
              {"neuron", NN_PRUNE_NEURON, 0.25, 0, 0},       {"neuron", NN_PRUNE_NEURON, 0.5, 0, 0},
              {"neuron", NN_PRUNE_NEURON, 0.75, 0, 0},       {"2:4", NN_PRUNE_NM, 0.5, 2, 4}};
    double xs[8], ya[8], yf[8];
    size_t nmag = 0;
    for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
      nn_mlp c;
      uint8_t *mask[NN_MAX_LAYERS];
      if (nn_mlp_copy(&m, &c, &d) != EM_OK) goto fail;
      em_status s = nn_mlp_prune(&c, pr[i].how, pr[i].s, pr[i].n, pr[i].mm, mask, &d);
      double a0 = s == EM_OK ? nn_mlp_accuracy(&c, &test, clean) : 0, a1 = a0;
      if (s == EM_OK && finetune) {
        nn_train_cfg f = tc;
        f.epochs = (unsigned)finetune;
        f.lr = tc.lr * 0.5;
        for (unsigned l = 0; l < NN_MAX_LAYERS; l++) f.mask[l] = mask[l];
        s = nn_mlp_train(&c, &train, &f, NULL, &d);
        if (s == EM_OK) a1 = nn_mlp_accuracy(&c, &test, clean);
      }
      for (unsigned l = 0; l < NN_MAX_LAYERS; l++) free(mask[l]);
      nn_mlp_free(&c);
      if (s != EM_OK) goto fail;
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, pr[i].name);
      rpt_table_set_f64(t, 1, pr[i].s);
      rpt_table_set_f64(t, 2, 100 * a0);
      rpt_table_set_f64(t, 3, 100 * a1);
      if (pr[i].how == NN_PRUNE_MAGNITUDE) {
        xs[nmag] = pr[i].s;
        ya[nmag] = 100 * a0;
        yf[nmag] = 100 * a1;
        nmag++;
      }
    }
    snprintf(buf, sizeof buf, "fine-tuning: %llu epoch(s) with the masks held", (unsigned long long)finetune);
    rpt_table_add_note(t, buf);
    fputc('\n', stdout);
    if (sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/pruning.csv", out);
    if (write_csv(path, t, &d) != EM_OK) goto fail;
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
    double a_fp = nn_mlp_accuracy(&m, &test, bright);
    double a_mis = nn_qaccuracy(qc, &test, bright), a_re = nn_qaccuracy(qs, &test, bright);
    double s_c = nn_qmodel_act_scale(qc, 1), s_s = nn_qmodel_act_scale(qs, 1);
    nn_qmodel_free(qc);
    nn_qmodel_free(qs);
    static const rpt_column mcols[] = {{"case", RPT_STR, 0}, {"accuracy_pct", RPT_F64, 2},
                                       {"layer1_scale", RPT_F64, 6}};
    t = rpt_table_create("Calibration mismatch: deployed on brighter images (x 1.3 + 0.1)", mcols, 3);
    if (!t) goto nomem;
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "fp32");
    rpt_table_set_f64(t, 1, 100 * a_fp);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "int8, calibrated on clean images");
    rpt_table_set_f64(t, 1, 100 * a_mis);
    rpt_table_set_f64(t, 2, s_c);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, "int8, calibrated on the deployed images");
    rpt_table_set_f64(t, 1, 100 * a_re);
    rpt_table_set_f64(t, 2, s_s);
    snprintf(buf, sizeof buf, "the first hidden layer's min/max scale grows x%.3f under the shift "
             "(the study book's ResNet-18 example: 0.01287 -> 0.01672, x1.299)", s_s / s_c);
    rpt_table_add_note(t, buf);
    fputc('\n', stdout);
    if (sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/mismatch.csv", out);
    if (write_csv(path, t, &d) != EM_OK) goto fail;
    rpt_table_destroy(t);
    t = NULL;
  }
  /* ---- the study book's SimpleCNN ---- */
  if (cnn_epochs || cnn_load) {
    nn_cnn *cn = NULL;
    double tt0 = now_s();
    if (cnn_load) {
      if (nn_cnn_load(&cn, cnn_load, &d) != EM_OK) goto fail;
    } else {
      nn_train_cfg cc = tc;
      cc.epochs = (unsigned)cnn_epochs;
      if (nn_cnn_create(tc.seed, &cn, &d) != EM_OK) goto fail;
      fputc('\n', stdout);
      if (nn_cnn_train(cn, &train, &cc, stdout, &d) != EM_OK) {
        nn_cnn_destroy(cn);
        goto fail;
      }
      double tt = now_s() - tt0;
      printf("trained SimpleCNN with %s in %.1f s: %.0f images/s (%u epochs)\n",
             tc.opt == NN_ADAM ? "Adam" : "SGD+momentum", tt,
             (double)cc.epochs * (double)train.n / tt, cc.epochs);
      if (cnn_save && nn_cnn_save(cn, cnn_save, &d) != EM_OK) {
        nn_cnn_destroy(cn);
        goto fail;
      }
    }
    double tf = now_s();
    double cf = nn_cnn_accuracy(cn, &test);
    printf("SimpleCNN fp32 test accuracy %.2f %% (%.0f images/s)\n", 100 * cf,
           (double)test.n / (now_s() - tf));
    double c8 = 0, c4 = 0;
    em_status s8 = nn_cnn_qaccuracy(cn, 8, 8, 0, &train, ncalib, &test, 0, &c8, &d);
    em_status s4 = s8 == EM_OK ? nn_cnn_qaccuracy(cn, 4, 4, 1, &train, ncalib, &test, 0, &c4, &d) : s8;
    nn_cnn_destroy(cn);
    if (s4 != EM_OK) goto fail;
    static const rpt_column ccols[] = {{"simplecnn", RPT_STR, 0}, {"accuracy_pct", RPT_F64, 2},
                                       {"delta_pts", RPT_F64, 2}};
    t = rpt_table_create("SimpleCNN (the study book's), Fashion-MNIST test set", ccols, 3);
    if (!t) goto nomem;
    const char *cn_names[3] = {"fp32", "int8 per-channel", "int4 per-channel, ends int8"};
    double cv[3] = {cf, c8, c4};
    for (int i = 0; i < 3; i++) {
      rpt_table_add_row(t);
      rpt_table_set_str(t, 0, cn_names[i]);
      rpt_table_set_f64(t, 1, 100 * cv[i]);
      rpt_table_set_f64(t, 2, 100 * (cv[i] - cf));
    }
    rpt_table_add_note(t, "every convolution position and FC output through mac_step");
    fputc('\n', stdout);
    if (sim_write_table(t, RPT_FMT_TABLE, "-", &d) != EM_OK) goto fail;
    snprintf(path, sizeof path, "%s/simplecnn.csv", out);
    if (write_csv(path, t, &d) != EM_OK) goto fail;
    rpt_table_destroy(t);
    t = NULL;
  }
  printf("\ntables and plots in %s\n", out);
  rc = SIM_EXIT_OK;
  goto done;
nomem:
  em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
fail:
  sim_fail(&d);
done:
  rpt_table_destroy(t);
  nn_mlp_free(&m);
  wl_dataset_free(&train);
  wl_dataset_free(&test);
  cm_energy_table_destroy(et);
  return rc;
}
