/*
 * cmd_analyze.c - `emlsim analyze`: closed-form cost of a workload, layer by
 * layer (parameters, MACs, activations, bytes, BOPS, compute energy).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cm_cost.h"
#include "cm_energy.h"
#include "hw_model.h"
#include "rpt_analyze.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"

static int cmd_analyze(int argc, char **argv);

const sim_command sim_cmd_analyze = {
    "analyze", cmd_analyze,
    "closed-form cost of a workload per layer: params, MACs, BOPS, energy",
    "usage: emlsim analyze <workload> [options]\n"
    "\n"
    "Closed-form cost of every layer: parameters, MACs, output activations,\n"
    "weight and activation bytes, BOPS (study book formula and MACs*b_w*b_a)\n"
    "and the analytic model's energy (emlsim models analytic, the figure study\n"
    "and sweep report): compute, DRAM and their sum.  DRAM is the project's\n"
    "own rule, not the study book's: every tensor crosses DRAM once, in 64-bit\n"
    "accesses (each layer's weights and outputs, and its inputs where no\n"
    "earlier layer produced them: the network's input, a GEMM's X).\n"
    "\n"
    "  <workload>            a built-in network (see 'emlsim workloads'), a\n"
    "                        SCALE-Sim topology CSV (conv or GEMM form), an\n"
    "                        ONNX model, or gemm:MxNxK (one GEMM layer)\n"
    "  --bits W:A            weight and activation formats for every layer, e.g.\n"
    "                        8:8, 4:8, int8:int4, fp16:fp16, binary:binary; a\n"
    "                        single value means both (default: the workload's own,\n"
    "                        fp32 where it gives none)\n"
    "  --energy-table FILE   energy per operation (CSV with provenance; default:\n"
    "                        the study book's 45 nm table, Horowitz ISSCC 2014);\n"
    "                        repeatable, up to 8: the tables are merged in order, a\n"
    "                        later one's row replacing an earlier one's of the same\n"
    "                        op, type, width and SRAM size\n"
    "  --format FMT          table (default), csv, json or md\n"
    "  -o, --output FILE     write there (atomically) instead of stdout\n"
    "  -h, --help            this help\n"
    "      --version         print the version\n"
    "\n"
    "CSV columns: layer, type, params, macs, activations, weight_bytes,\n"
    "activation_bytes, bops, bops_mac, compute_energy_pj, output_hwc,\n"
    "weight_prec, act_prec, energy_scaled, dram_energy_pj, energy_pj; the last\n"
    "row is 'total'.\n"};

static int cmd_analyze(int argc, char **argv) {
  static const struct option opts[] = {
      {"bits", required_argument, NULL, 'b'},
      {"energy-table", required_argument, NULL, 'e'},
      {"format", required_argument, NULL, 'f'},
      {"output", required_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION},
      {NULL, 0, NULL, 0}};
  sim_bits bits = {0};
  sim_energy_tables energy = {0};
  const char *out_path = "-";
  int fmt = RPT_FMT_TABLE;
  int c, rc;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
    switch (c) {
    case 'b':
      if (sim_bits_parse(optarg, &bits) != 0)
        return sim_usage_error("analyze", "'--bits' must be W:A with widths 1..64 "
                                          "(e.g. 8:8, fp32:fp32), got '%s'", optarg);
      break;
    case 'e':
      if ((rc = sim_energy_tables_add(&energy, "analyze", optarg)) >= 0) return rc;
      break;
    case 'f':
      fmt = rpt_format_parse(optarg);
      if (fmt < 0)
        return sim_usage_error("analyze", "'--format' must be table, csv, json or md, "
                                          "got '%s'", optarg);
      break;
    case 'o':
      if (sim_check_output("analyze", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      out_path = optarg;
      break;
    case 'h': sim_print_usage(&sim_cmd_analyze, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("analyze", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("analyze", argv[optind - 1], opts);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error("analyze", optind == argc ? "missing <workload>"
                                                     : "expected one <workload>");

  em_diag d;
  em_diag_clear(&d);
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(argv[optind]),
                              SIM_IO_ENERGY(energy),
                              {EM_IO_OUT_FILE, "-o", out_path}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  wl_network *net = NULL;
  cm_energy_table *et = NULL;
  cm_layer_cost *per = NULL;
  hw_result *res = NULL;
  hw_point *pt = NULL;
  rpt_table *tab = NULL;
  rc = SIM_EXIT_ERROR;

  if (sim_workload_load(argv[optind], &bits, SIM_PREC_FP32, &net, &d) != EM_OK) goto fail;
  if (cm_energy_tables_load(energy.path, energy.n, &et, &d) != EM_OK) goto fail;
  per = calloc(net->n_layers ? net->n_layers : 1, sizeof *per);
  res = calloc(net->n_layers ? net->n_layers : 1, sizeof *res);
  if (!per || !res) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  /* the workload's counts from costmodel; the energies from the analytic
   * model through the model table, as study and sweep ask it */
  cm_layer_cost total;
  hw_result tot;
  if (cm_network_cost(net, et, per, &total, &d) != EM_OK ||
      hw_point_create(hw_model_find("analytic"), NULL, NULL, 0, et, &pt, &d) != EM_OK ||
      hw_point_run_network(pt, net, res, &tot, &d) != EM_OK)
    goto fail;
  tab = rpt_analyze_table(net, per, &total, res, &tot, cm_energy_table_name(et));
  if (!tab) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  if (sim_write_table(tab, (rpt_format)fmt, out_path, &d) != EM_OK) goto fail;
  rc = SIM_EXIT_OK;
  goto done;
fail:
  sim_fail(&d);
done:
  rpt_table_destroy(tab);
  hw_point_destroy(pt);
  free(res);
  free(per);
  cm_energy_table_destroy(et);
  wl_network_destroy(net);
  return rc;
}
