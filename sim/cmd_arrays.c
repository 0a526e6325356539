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
    "  --bits W:A          operand widths (default: the workload's, int8 where unset)\n"
    "  --energy-table F    energy per operation and access (default: Horowitz 45 nm)\n"
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
    "weights with k-bit activations. Weights must be binary.\n"
    "\n"
    "  --pe P, --simd S    processing elements and lanes each (default 32 x 32)\n"
    "  --freq MHZ          clock (default 200)\n"
    "  --bits W:A          operand widths (default 1:1, binary)\n"
    "  --energy-table F    energy per operation and access (default: Horowitz 45 nm)\n"
    "  --format FMT        table (default), csv, json or md\n"
    "  -o, --output FILE   write there (atomically) instead of stdout\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

enum { OPT_ARRAY = 0x3000, OPT_FREQ, OPT_BITS, OPT_FORMAT, OPT_PE, OPT_SIMD, OPT_ENERGY };

static int parse_u32(const char *s, uint32_t *out) {
  uint64_t v;
  if (em_parse_u64(s, &v) != EM_OK || v < 1 || v > 65536) return -1;
  *out = (uint32_t)v;
  return 0;
}

/* Shared option parsing; `which` is "bitserial" or "xnor". */
typedef struct {
  const char *workload, *out, *energy;
  int fmt;
  double freq;
  sim_bits bits;
  uint32_t dm, dk, dn, pe, simd;
} opts_t;

static int parse(int argc, char **argv, const sim_command *cmd, opts_t *o) {
  static const struct option lo[] = {
      {"array", required_argument, NULL, OPT_ARRAY}, {"freq", required_argument, NULL, OPT_FREQ},
      {"bits", required_argument, NULL, OPT_BITS},   {"format", required_argument, NULL, OPT_FORMAT},
      {"pe", required_argument, NULL, OPT_PE},       {"simd", required_argument, NULL, OPT_SIMD},
      {"energy-table", required_argument, NULL, OPT_ENERGY},
      {"output", required_argument, NULL, 'o'},      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION}, {NULL, 0, NULL, 0}};
  const char *name = cmd->name;
  bool xnor = strcmp(name, "xnor") == 0;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (c) {
    case OPT_ARRAY: {
      uint64_t v[3]; /* in 64 bits: 4294967297x1x1 is refused, not read as 1x1x1 */
      if (xnor || em_parse_u64_seq(optarg, 'x', 3, 1, 65536, v) != EM_OK)
        return sim_usage_error(name,
                               "'--array' must be DmxDkxDn, each in [1, 65536] (e.g. 8x256x8), "
                               "got '%s'",
                               optarg);
      o->dm = (uint32_t)v[0];
      o->dk = (uint32_t)v[1];
      o->dn = (uint32_t)v[2];
      break;
    }
    case OPT_FREQ:
      if (em_parse_f64(optarg, &o->freq) != EM_OK || !(o->freq > 0) || o->freq > 1e6)
        return sim_usage_error(name, "'--freq' must be a positive number of MHz, got '%s'",
                               optarg);
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
      if (!xnor || parse_u32(optarg, &o->pe))
        return sim_usage_error(name, "'--pe' must be in [1, 65536], got '%s'", optarg);
      break;
    case OPT_SIMD:
      if (!xnor || parse_u32(optarg, &o->simd))
        return sim_usage_error(name, "'--simd' must be in [1, 65536], got '%s'", optarg);
      break;
    case OPT_ENERGY: o->energy = optarg; break;
    case 'o': o->out = optarg; break;
    case 'h': sim_print_usage(cmd, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error(name, "option '%s' needs a value", argv[optind - 1]);
    default: return sim_usage_error(name, "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error(name, optind == argc ? "missing <workload>" : "expected one <workload>");
  o->workload = argv[optind];
  em_diag d;
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(o->workload),
                              {EM_IO_INPUT, "--energy-table", o->energy},
                              {EM_IO_OUT_FILE, "-o", o->out}};
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK) return sim_fail(&d);
  return -1; /* go on */
}

static int finish(rpt_table *t, const opts_t *o, em_diag *d) {
  if (!t) {
    em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return sim_fail(d);
  }
  em_status st = sim_write_table(t, (rpt_format)o->fmt, o->out, d);
  rpt_table_destroy(t);
  return st == EM_OK ? SIM_EXIT_OK : sim_fail(d);
}


static int cmd_bitserial(int argc, char **argv) {
  opts_t o = {.out = "-", .fmt = RPT_FMT_TABLE, .freq = 200.0, .dm = 8, .dk = 256, .dn = 8};
  int rc = parse(argc, argv, &sim_cmd_bitserial, &o);
  if (rc >= 0) return rc;
  bs_config c = bs_config_bismo();
  c.dm = o.dm;
  c.dk = o.dk;
  c.dn = o.dn;
  c.freq_mhz = o.freq;
  em_diag d;
  em_diag_clear(&d);
  if (bs_config_validate(&c, &d) != EM_OK) return sim_fail(&d);
  wl_network *net;
  if (sim_workload_load(o.workload, &o.bits, SIM_PREC_INT8, &net, &d) != EM_OK) return sim_fail(&d);
  size_t nl = net->n_layers ? net->n_layers : 1;
  bs_stats *s = calloc(nl, sizeof *s);
  bs_energy *e = calloc(nl, sizeof *e);
  cm_energy_table *et = NULL;
  rc = SIM_EXIT_ERROR;
  if (!s || !e) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  if ((o.energy ? cm_energy_table_load(o.energy, &et, &d) : cm_energy_table_default(&et, &d)) !=
      EM_OK)
    goto fail;
  for (size_t i = 0; i < net->n_layers; i++) {
    if (bs_layer(&c, &net->layers[i], &s[i], &d) != EM_OK ||
        (s[i].total_cycles && bs_layer_energy(&c, &s[i], et, &e[i], &d) != EM_OK)) {
      sim_diag_locate(&d, net->source);
      goto fail;
    }
  }
  rc = finish(rpt_bs_table(net, &c, s, e, cm_energy_table_name(et)), &o, &d);
  goto done;
fail:
  sim_fail(&d);
done:
  cm_energy_table_destroy(et);
  free(e);
  free(s);
  wl_network_destroy(net);
  return rc;
}

static int cmd_xnor(int argc, char **argv) {
  opts_t o = {.out = "-", .fmt = RPT_FMT_TABLE, .freq = 200.0, .pe = 32, .simd = 32};
  int rc = parse(argc, argv, &sim_cmd_xnor, &o);
  if (rc >= 0) return rc;
  xnor_config c = {o.pe, o.simd, o.freq};
  em_diag d;
  em_diag_clear(&d);
  if (xnor_config_validate(&c, &d) != EM_OK) return sim_fail(&d);
  wl_network *net;
  if (sim_workload_load(o.workload, &o.bits, (wl_prec){1, false}, &net, &d) != EM_OK)
    return sim_fail(&d);
  size_t nl = net->n_layers ? net->n_layers : 1;
  xnor_stats *s = calloc(nl, sizeof *s);
  xnor_energy *e = calloc(nl, sizeof *e);
  cm_energy_table *et = NULL;
  rc = SIM_EXIT_ERROR;
  if (!s || !e) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  if ((o.energy ? cm_energy_table_load(o.energy, &et, &d) : cm_energy_table_default(&et, &d)) !=
      EM_OK)
    goto fail;
  for (size_t i = 0; i < net->n_layers; i++) {
    if (xnor_layer(&c, &net->layers[i], &s[i], &d) != EM_OK ||
        xnor_layer_energy(&c, &s[i], et, &e[i], &d) != EM_OK) {
      sim_diag_locate(&d, net->source);
      goto fail;
    }
  }
  rc = finish(rpt_xnor_table(net, &c, s, e, cm_energy_table_name(et)), &o, &d);
  goto done;
fail:
  sim_fail(&d);
done:
  cm_energy_table_destroy(et);
  free(e);
  free(s);
  wl_network_destroy(net);
  return rc;
}
