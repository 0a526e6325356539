/*
 * cmd_workloads.c - `emlsim workloads`: the built-in networks with their
 * totals (layers, parameters, MACs, activations), as the costmodel computes
 * them.
 */
#include <getopt.h>
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
    case 'o': out_path = optarg; break;
    case 'h': sim_print_usage(&sim_cmd_workloads, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("workloads", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_usage_error("workloads", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc) return sim_usage_error("workloads", "unexpected argument '%s'", argv[optind]);

  em_diag d;
  em_diag_clear(&d);
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
