/*
 * cmd_arrays.c - `emlsim bitserial` (BISMO-style bit-serial array) and
 * `emlsim xnor` (FINN-style XNOR/popcount array): cycles of a workload's
 * layers at their bit widths.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs_array.h"
#include "cm_energy.h"
#include "em_parse.h"
#include "hw_model.h"
#include "rpt_arrays.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "xnor_array.h"

static int cmd_bitserial(int argc, char **argv);
static int cmd_xnor(int argc, char **argv);

const sim_command sim_cmd_bitserial = {
    "bitserial", cmd_bitserial, "a workload on a BISMO-style bit-serial array",
    "usage: emlsim bitserial <workload> [options]\n"
    "\n"
    "Cycles of every layer on a Dm x Dk x Dn bit-serial matrix-multiply array\n"
    "(BISMO): b_a x b_w binary plane pairs per K slice of Dk bits, per output tile.\n"
    "\n"
    "  --array DmxDkxDn    array shape (default 8x256x8, BISMO's published instance)\n"
    "  --freq MHZ          clock (default 200)\n"
    "  --set KEY=VALUE     any setting of the model (emlsim models bitserial)\n"
    "  --bits W:A          operand widths (default: the workload's, int8 where unset)\n"
    "  --energy-table F    energy per operation and access (default: Horowitz\n"
    "                      45 nm); repeatable, up to 8: the tables are merged in\n"
    "                      order, a later one's row replacing an earlier one's of\n"
    "                      the same op, type, width and SRAM size\n"
    "  --format FMT        table (default), csv, json or md\n"
    "  -o, --output FILE   write there (atomically) instead of stdout\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

const sim_command sim_cmd_xnor = {
    "xnor", cmd_xnor, "a workload on a FINN-style XNOR/popcount array",
    "usage: emlsim xnor <workload> [options]\n"
    "\n"
    "Cycles of every layer on a FINN matrix-vector unit of PE x SIMD XNOR/popcount\n"
    "lanes: (MH/PE) * (MW/SIMD) * vectors, times the activation bits for 1-bit\n"
    "weights with k-bit activations, or the layer's DRAM traffic at dram_gbps\n"
    "where that takes longer (weights beyond weight_kib stream from DRAM at\n"
    "every use). Weights must be binary.\n"
    "\n"
    "  --pe P, --simd S    processing elements and lanes each (default 32 x 32)\n"
    "  --freq MHZ          clock (default 200)\n"
    "  --set KEY=VALUE     any setting of the model (emlsim models xnor)\n"
    "  --bits W:A          operand widths (default: the workload's, binary where unset)\n"
    "  --energy-table F    energy per operation and access (default: Horowitz\n"
    "                      45 nm); repeatable, up to 8: the tables are merged in\n"
    "                      order, a later one's row replacing an earlier one's of\n"
    "                      the same op, type, width and SRAM size\n"
    "  --format FMT        table (default), csv, json or md\n"
    "  -o, --output FILE   write there (atomically) instead of stdout\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

enum { OPT_ARRAY = 0x3000, OPT_FREQ, OPT_BITS, OPT_FORMAT, OPT_PE, OPT_SIMD, OPT_ENERGY, OPT_SET };


/* Shared option parsing; `which` is "bitserial" or "xnor". */
typedef struct {
  const char *workload, *out;
  sim_energy_tables energy;
  int fmt;
  sim_bits bits;
  sim_settings sets; /* the design point (hw_model.h) */
} opts_t;

static int parse(int argc, char **argv, const sim_command *cmd, opts_t *o) {
  static const struct option lo[] = {
      {"array", required_argument, NULL, OPT_ARRAY}, {"freq", required_argument, NULL, OPT_FREQ},
      {"bits", required_argument, NULL, OPT_BITS},   {"format", required_argument, NULL, OPT_FORMAT},
      {"pe", required_argument, NULL, OPT_PE},       {"simd", required_argument, NULL, OPT_SIMD},
      {"energy-table", required_argument, NULL, OPT_ENERGY}, {"set", required_argument, NULL, OPT_SET},
      {"output", required_argument, NULL, 'o'},      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION}, {NULL, 0, NULL, 0}};
  const char *name = cmd->name;
  bool xnor = strcmp(name, "xnor") == 0;
  int c, rc;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (c) {
    case OPT_ARRAY: {
      uint64_t v[3]; /* in 64 bits: 4294967297x1x1 is refused, not read as 1x1x1 */
      if (xnor) /* named, not argv[optind - 1]: that is the value */
        return sim_usage_error(name, "unknown option '--array'");
      if (em_parse_u64_seq(optarg, 'x', 3, 1, 65536, v) != EM_OK)
        return sim_usage_error(name,
                               "'--array' must be DmxDkxDn, each in [1, 65536] (e.g. 8x256x8), "
                               "got '%s'",
                               optarg);
      static const char *const dims[3] = {"dm", "dk", "dn"};
      for (int i = 0; i < 3; i++) {
        char num[24];
        snprintf(num, sizeof num, "%llu", (unsigned long long)v[i]);
        if ((rc = sim_settings_add(&o->sets, name, name, dims[i], num)) >= 0) return rc;
      }
      break;
    }
    case OPT_FREQ:
      if ((rc = sim_settings_add(&o->sets, name, name, "freq_mhz", optarg)) >= 0) return rc;
      break;
    case OPT_SET:
      if ((rc = sim_settings_add_kv(&o->sets, name, name, optarg)) >= 0) return rc;
      break;
    case OPT_BITS:
      if (sim_bits_parse(optarg, &o->bits) != 0)
        return sim_usage_error(name, "'--bits' must be W:A with widths 1..64, got '%s'", optarg);
      break;
    case OPT_FORMAT:
      o->fmt = rpt_format_parse(optarg);
      if (o->fmt < 0)
        return sim_usage_error(name, "'--format' must be table, csv, json or md, got '%s'",
                               optarg);
      break;
    case OPT_PE:
    case OPT_SIMD:
      if (!xnor) /* named, not argv[optind - 1]: that is the value ('--pe 3' said '3') */
        return sim_usage_error(name, "unknown option '%s'", c == OPT_PE ? "--pe" : "--simd");
      if ((rc = sim_settings_add(&o->sets, name, name, c == OPT_PE ? "pe" : "simd", optarg)) >= 0)
        return rc;
      break;
    case OPT_ENERGY:
      if ((rc = sim_energy_tables_add(&o->energy, name, optarg)) >= 0) return rc;
      break;
    case 'o':
      if (sim_check_output(name, "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      o->out = optarg;
      break;
    case 'h': sim_print_usage(cmd, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error(name, "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option(name, argv[optind - 1], lo);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error(name, optind == argc ? "missing <workload>" : "expected one <workload>");
  o->workload = argv[optind];
  em_diag d;
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(o->workload),
                              SIM_IO_ENERGY(o->energy),
                              {EM_IO_OUT_FILE, "-o", o->out}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  return -1; /* go on */
}

static int finish(rpt_table *t, const opts_t *o, em_diag *d) {
  em_status st = sim_write_table(t, (rpt_format)o->fmt, o->out, d);
  rpt_table_destroy(t);
  return st == EM_OK ? SIM_EXIT_OK : sim_fail(d);
}


/* The workload on the command's model through the model table: the
 * model's own statistics per layer into stats (stat_size bytes each), the
 * energy split into e (compute, SRAM, DRAM, total per layer). */
typedef struct {
  double compute_pj, sram_pj, dram_pj, total_pj;
} energy4;

static int run(const char *model, const opts_t *o, size_t stat_size,
               em_status (*table)(const wl_network *, const void *cfg, const void *stats,
                                  const energy4 *e, const char *table_name, rpt_table **out,
                                  em_diag *d)) {
  const hw_model *m = hw_model_find(model);
  em_diag d;
  em_diag_clear(&d);
  wl_network *net = NULL;
  cm_energy_table *et = NULL;
  hw_point *p = NULL;
  char *stats = NULL;
  energy4 *e = NULL;
  hw_result *res = NULL;
  int rc = SIM_EXIT_ERROR;
  if (cm_energy_tables_load(o->energy.path, o->energy.n, &et, &d) != EM_OK ||
      hw_point_create(m, NULL, o->sets.set, o->sets.n, et, &p, &d) != EM_OK ||
      sim_workload_load(o->workload, &o->bits, m->default_prec, &net, &d) != EM_OK)
    goto fail;
  size_t nl = net->n_layers ? net->n_layers : 1;
  stats = calloc(nl, stat_size);
  e = calloc(nl, sizeof *e);
  res = calloc(nl, sizeof *res);
  if (!stats || !e || !res) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  /* a layer the model refuses (widths it lacks, results past the
   * bit-serial array's accumulator) is found before any runs, as `emlsim
   * systolic` and `emlsim sweep` find it */
  for (size_t i = 0; i < net->n_layers; i++)
    if (hw_point_check_layer(p, &net->layers[i], &d) != EM_OK) {
      sim_diag_locate(&d, net->source);
      goto fail;
    }
  for (size_t i = 0; i < net->n_layers; i++) {
    hw_result r;
    if (hw_point_run(p, &net->layers[i], &r, stats + i * stat_size, &d) != EM_OK) {
      sim_diag_locate(&d, net->source); /* at the layer's line (hw_point_run) */
      goto fail;
    }
    e[i] = (energy4){r.energy_pj[HW_E_COMPUTE], r.energy_pj[HW_E_SRAM], r.energy_pj[HW_E_DRAM],
                     r.energy_total_pj};
    res[i] = r;
  }
  /* the table sums the layers' counts, and refuses totals past 64 bits
   * before anything is written */
  rpt_table *t;
  if (table(net, hw_point_config(p), stats, e, cm_energy_table_name(et), &t, &d) != EM_OK)
    goto fail;
  sim_add_area_meta(t, p, net);
  sim_add_dram_note(t, p, net, res, net->n_layers);
  rc = finish(t, o, &d);
  goto done;
fail:
  sim_fail(&d);
done:
  cm_energy_table_destroy(et);
  hw_point_destroy(p);
  free(e);
  free(res);
  free(stats);
  wl_network_destroy(net);
  return rc;
}

static em_status bs_table(const wl_network *net, const void *cfg, const void *stats,
                          const energy4 *e, const char *table_name, rpt_table **out,
                          em_diag *d) {
  size_t n = net->n_layers ? net->n_layers : 1;
  bs_energy *be = calloc(n, sizeof *be);
  if (!be) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < net->n_layers; i++)
    be[i] = (bs_energy){e[i].compute_pj, e[i].sram_pj, e[i].dram_pj, e[i].total_pj};
  em_status st = rpt_bs_table(net, cfg, stats, be, table_name, out, d);
  free(be);
  return st;
}

static em_status xnor_table(const wl_network *net, const void *cfg, const void *stats,
                            const energy4 *e, const char *table_name, rpt_table **out,
                            em_diag *d) {
  size_t n = net->n_layers ? net->n_layers : 1;
  xnor_energy *xe = calloc(n, sizeof *xe);
  if (!xe) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < net->n_layers; i++)
    xe[i] = (xnor_energy){e[i].compute_pj, e[i].sram_pj, e[i].dram_pj, e[i].total_pj};
  em_status st = rpt_xnor_table(net, cfg, stats, xe, table_name, out, d);
  free(xe);
  return st;
}

static int cmd_bitserial(int argc, char **argv) {
  opts_t o = {.out = "-", .fmt = RPT_FMT_TABLE};
  int rc = parse(argc, argv, &sim_cmd_bitserial, &o);
  return rc >= 0 ? rc : run("bitserial", &o, sizeof(bs_stats), bs_table);
}

static int cmd_xnor(int argc, char **argv) {
  opts_t o = {.out = "-", .fmt = RPT_FMT_TABLE};
  int rc = parse(argc, argv, &sim_cmd_xnor, &o);
  return rc >= 0 ? rc : run("xnor", &o, sizeof(xnor_stats), xnor_table);
}
