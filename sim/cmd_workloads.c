/*
 * cmd_workloads.c - `emlsim workloads`: the built-in networks with their
 * totals (layers, parameters, MACs, activations), as the costmodel computes
 * them.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "em_outfile.h"
#include <stdlib.h>

#include "cm_cost.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "wl_load.h"

static int cmd_workloads(int argc, char **argv);

const sim_command sim_cmd_workloads = {
    "workloads", cmd_workloads, "list the built-in networks with their totals",
    "usage: emlsim workloads [options]\n"
    "       emlsim workloads export <workload|model.onnx> [-o net.csv]\n"
    "\n"
    "Lists the built-in networks: layers, parameters, MACs and output\n"
    "activations (fp32), and where each network's shapes come from.\n"
    "\n"
    "  --format FMT        table (default), csv, json or md\n"
    "  -o, --output FILE   write there (atomically) instead of stdout\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

enum { C_NAME, C_LAYERS, C_PARAMS, C_MACS, C_ACTS, C_DESC, C_COUNT };

static const rpt_column columns[C_COUNT] = {
    [C_NAME] = {"workload", RPT_STR, 0},   [C_LAYERS] = {"layers", RPT_U64, 0},
    [C_PARAMS] = {"params", RPT_U64, 0},   [C_MACS] = {"macs", RPT_U64, 0},
    [C_ACTS] = {"activations", RPT_U64, 0}, [C_DESC] = {"description", RPT_STR, 0},
};

/* `emlsim workloads export W -o net.csv`: the layers as a SCALE-Sim-style
 * topology (conv form; padding folded into the input size, FC as 1 x 1
 * convolutions, GEMMs as M x 1 inputs of K channels) with emlsim's optional
 * Groups, Bias, bit-width and Batch columns; pooling and element-wise
 * layers have no SCALE-Sim row and are counted on stderr.  The file reads
 * back (emlsim analyze) as the same layers with the same names and sizes:
 * a convolution's input is written as (E - 1) S + R, the padded rows and
 * columns that some window reads, so that SCALE-Sim's rounded-up output
 * E = ceil((H - R + S) / S) is the layer's own (ResNet-18's conv1, 224
 * padded by 3 to 230, would read back with 113 outputs a side instead of
 * 112; 229 gives 112 either way).  Where that view loses the layer's own
 * input and padding (a padded layer, or rows no window reads), the Input and
 * Padding columns keep them, so that the layer reads back exactly: the XNOR
 * array and the GPU fetch no padding.  Widths are written where the workload
 * sets them: a network that sets none has no width columns, so that each
 * model runs it at its own default, as it runs the workload itself. */
static int export_csv(const char *spec, const char *out_path) {
  em_diag d;
  em_diag_clear(&d);
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(spec), {EM_IO_OUT_FILE, "-o", out_path}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  wl_network *net;
  /* no default width: the layers keep the widths the workload gives */
  if (sim_workload_load(spec, NULL, (wl_prec){0, false}, &net, &d) != EM_OK) return sim_fail(&d);
  bool widths = false, exact = false;
  for (size_t i = 0; i < net->n_layers; i++) {
    const wl_layer *l = &net->layers[i];
    widths = widths || l->w.bits || l->a.bits;
    /* a convolution the IFMAP view does not say exactly: padded, or with
     * input rows or columns no window reads */
    exact = exact ||
            (l->kind == WL_CONV &&
             (l->pad_h || l->pad_w ||
              (wl_layer_out_h(l) - 1) * l->stride_h + l->k_h != l->in_h ||
              (wl_layer_out_w(l) - 1) * l->stride_w + l->k_w != l->in_w));
  }
  em_outfile *f = NULL;
  FILE *o = stdout;
  if (strcmp(out_path, "-") != 0) {
    if (em_outfile_open(out_path, &f, &d) != EM_OK) {
      wl_network_destroy(net);
      return sim_fail(&d);
    }
    o = em_outfile_fp(f);
  }
  fprintf(o, "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
             "Num Filter, Strides, Groups, Bias, %sBatch,%s\n",
          widths ? "Weight Bits, Activation Bits, " : "",
          exact ? " Input Height, Input Width, Padding Height, Padding Width," : "");
  size_t skipped = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    const wl_layer *l = &net->layers[i];
    uint64_t ih, iw, kh, kw, ch, nf, st, g = 1, in_h = 0, in_w = 0, ph = 0, pw = 0;
    if (l->kind == WL_CONV) {
      ih = (wl_layer_out_h(l) - 1) * l->stride_h + l->k_h; /* within the padded input */
      iw = (wl_layer_out_w(l) - 1) * l->stride_w + l->k_w;
      kh = l->k_h;
      kw = l->k_w;
      ch = l->in_c;
      nf = l->out_c;
      st = l->stride_h;
      g = l->groups;
      in_h = l->in_h;
      in_w = l->in_w;
      ph = l->pad_h;
      pw = l->pad_w;
      if (l->stride_w != l->stride_h) {
        skipped++; /* SCALE-Sim has one stride */
        continue;
      }
    } else if (l->kind == WL_FC) {
      ih = iw = kh = kw = 1;
      ch = l->in_c;
      nf = l->out_c;
      st = 1;
    } else if (l->kind == WL_GEMM && !l->b_is_activation) {
      ih = l->m;
      iw = kh = kw = 1;
      ch = l->k;
      nf = l->n;
      st = 1;
      g = l->groups;
    } else {
      skipped++;
      continue;
    }
    /* The name as one CSV field (quoted where it must be, so "#x", "a,b"
     * or a newline read back as they were); the Groups column, not the
     * name, says what is depthwise (wl_topology.c). */
    rpt_csv_field(o, l->name);
    fprintf(o, ", %llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu, %d, ", (unsigned long long)ih,
            (unsigned long long)iw, (unsigned long long)kh, (unsigned long long)kw,
            (unsigned long long)ch, (unsigned long long)nf, (unsigned long long)st,
            (unsigned long long)g, l->bias ? 1 : 0);
    if (widths) { /* a layer the workload leaves unset: fp32, the network as published */
      wl_prec w = l->w.bits ? l->w : SIM_PREC_FP32, a = l->a.bits ? l->a : SIM_PREC_FP32;
      fprintf(o, "%s%u, %s%u, ", w.fp ? "fp" : "", (unsigned)w.bits, a.fp ? "fp" : "",
              (unsigned)a.bits);
    }
    fprintf(o, "%llu,", (unsigned long long)(l->batch ? l->batch : 1));
    if (exact && l->kind != WL_CONV) in_h = ih, in_w = iw; /* as the view says */
    if (exact)
      fprintf(o, " %llu, %llu, %llu, %llu,", (unsigned long long)in_h, (unsigned long long)in_w,
              (unsigned long long)ph, (unsigned long long)pw);
    fputc('\n', o);
  }
  em_status s = f ? em_outfile_commit(f, &d) : EM_OK;
  if (skipped)
    fprintf(stderr, "emlsim workloads export: %zu layer(s) without a SCALE-Sim row (pooling, "
                    "element-wise, activation products) left out\n", skipped);
  wl_network_destroy(net);
  return s == EM_OK ? SIM_EXIT_OK : sim_fail(&d);
}

static int cmd_workloads(int argc, char **argv) {
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, SIM_OPT_VERSION},
                                       {NULL, 0, NULL, 0}};
  int fmt = RPT_FMT_TABLE;
  const char *out_path = "-";
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      fmt = rpt_format_parse(optarg);
      if (fmt < 0)
        return sim_usage_error("workloads", "'--format' must be table, csv, json or md, "
                                            "got '%s'", optarg);
      break;
    case 'o':
      if (sim_check_output("workloads", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      out_path = optarg;
      break;
    case 'h': sim_print_usage(&sim_cmd_workloads, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("workloads", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("workloads", argv[optind - 1], opts);
    }
  }
  if (optind < argc && strcmp(argv[optind], "export") == 0) {
    if (optind + 2 != argc)
      return sim_usage_error("workloads", "'export' takes one <workload> (and -o FILE)");
    if (fmt != RPT_FMT_TABLE)
      return sim_usage_error("workloads", "'export' writes a topology CSV: no '--format'");
    return export_csv(argv[optind + 1], out_path);
  }
  if (optind != argc) return sim_usage_error("workloads", "unexpected argument '%s'", argv[optind]);

  em_diag d;
  em_diag_clear(&d);
  /* the list's -o is checked as export's is (it was not: `-o log 2>>log`
   * and `-o log >log` replaced the log) */
  em_iocheck io;
  const em_ioarg io_args[] = {{EM_IO_OUT_FILE, "-o", out_path}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  cm_energy_table *et = NULL;
  rpt_table *tab = rpt_table_create("built-in workloads", columns, C_COUNT);
  int rc = SIM_EXIT_ERROR;
  if (!tab) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  if (cm_energy_table_default(&et, &d) != EM_OK) goto fail;
  size_t n;
  const wl_builtin_info *info = wl_builtins(&n);
  for (size_t i = 0; i < n; i++) {
    wl_network *net = NULL;
    cm_layer_cost total;
    if (sim_workload_load(info[i].name, NULL, SIM_PREC_FP32, &net, &d) != EM_OK) goto fail;
    em_status st = cm_network_cost(net, et, NULL, &total, &d);
    size_t layers = net->n_layers;
    wl_network_destroy(net);
    if (st != EM_OK) goto fail;
    if (rpt_table_add_row(tab) == (size_t)-1) {
      em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto fail;
    }
    rpt_table_set_str(tab, C_NAME, info[i].name);
    rpt_table_set_u64(tab, C_LAYERS, layers);
    rpt_table_set_u64(tab, C_PARAMS, total.params);
    rpt_table_set_u64(tab, C_MACS, total.macs);
    rpt_table_set_u64(tab, C_ACTS, total.activations);
    rpt_table_set_str(tab, C_DESC, info[i].description);
  }
  rpt_table_add_note(tab, "params: convolution and FC weights and biases; batch norm folds "
                          "into the convolution for inference and is not counted, so "
                          "torchvision's totals are higher by exactly their batch-norm "
                          "parameters (ResNet-18: 9,600; workloads/README.md)");
  if (sim_write_table(tab, (rpt_format)fmt, out_path, &d) != EM_OK) goto fail;
  rc = SIM_EXIT_OK;
  goto done;
fail:
  sim_fail(&d);
done:
  rpt_table_destroy(tab);
  cm_energy_table_destroy(et);
  return rc;
}
