/*
 * cmd_models.c - `emlsim models [MODEL]`: the hardware-model table, and one
 * model's settings (name, unit, default, range, meaning) as every command,
 * the sweep and the embedding library take them.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cm_energy.h"
#include "hw_model.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"

static int cmd_models(int argc, char **argv);

const sim_command sim_cmd_models = {
    "models", cmd_models, "the hardware models and their settings",
    "usage: emlsim models [MODEL] [options]\n"
    "\n"
    "Lists the hardware-model table (every command reaches a model through it)\n"
    "or, with MODEL, that model's default design in one line and its settings:\n"
    "name, unit, default, range and meaning. The per-model commands take them\n"
    "as options, a sweep SPEC as keys, and the C library (hw_model.h) as\n"
    "KEY=VALUE settings.\n"
    "\n"
    "  --format FMT        table (default), csv, json or md\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

static const char *const types[] = {"integer", "number", "choice", "true/false", "text"};

static rpt_table *keys_table(const hw_model *m) {
  static const rpt_column cols[] = {{"setting", RPT_STR, 0}, {"unit", RPT_STR, 0},
                                    {"default", RPT_STR, 0}, {"range", RPT_STR, 0},
                                    {"meaning", RPT_STR, 0}};
  char title[128];
  snprintf(title, sizeof title, "Settings of model %s", m->name);
  rpt_table *t = rpt_table_create(title, cols, 5);
  if (!t) return NULL;
  rpt_table_add_meta(t, "model", m->summary);
  char buf[64];
  wl_prec_format(m->default_prec, buf, sizeof buf);
  rpt_table_add_meta(t, "default width", buf);
  for (size_t i = 0; i < m->nkeys; i++) {
    const hw_key *k = &m->keys[i];
    char range[128];
    if (k->type == HW_KEY_INT || k->type == HW_KEY_REAL)
      snprintf(range, sizeof range, "[%.10g, %.10g]", k->min, k->max);
    else if (k->type == HW_KEY_CHOICE)
      snprintf(range, sizeof range, "%s", k->choices);
    else
      snprintf(range, sizeof range, "%s", types[k->type]);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, k->name);
    rpt_table_set_str(t, 1, k->unit);
    rpt_table_set_str(t, 2, k->dflt);
    rpt_table_set_str(t, 3, range);
    rpt_table_set_str(t, 4, k->help);
  }
  if (m->set_extra)
    rpt_table_add_note(t, "and every GPU setting of emlsim simt --gpu-help (gpu.KEY in a sweep)");
  return t;
}

static rpt_table *models_table(void) {
  static const rpt_column cols[] = {{"model", RPT_STR, 0}, {"settings", RPT_U64, 0},
                                    {"default_width", RPT_STR, 0}, {"what it models", RPT_STR, 0}};
  rpt_table *t = rpt_table_create("Hardware models", cols, 4);
  if (!t) return NULL;
  for (const hw_model *const *m = hw_models(); *m; m++) {
    char buf[32];
    wl_prec_format((*m)->default_prec, buf, sizeof buf);
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, (*m)->name);
    rpt_table_set_u64(t, 1, (*m)->nkeys);
    rpt_table_set_str(t, 2, buf);
    rpt_table_set_str(t, 3, (*m)->summary);
  }
  return t;
}

static int cmd_models(int argc, char **argv) {
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, SIM_OPT_VERSION},
                                       {NULL, 0, NULL, 0}};
  int fmt = RPT_FMT_TABLE, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      fmt = rpt_format_parse(optarg);
      if (fmt < 0)
        return sim_usage_error("models", "'--format' must be table, csv, json or md, got '%s'",
                               optarg);
      break;
    case 'h': sim_print_usage(&sim_cmd_models, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("models", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("models", argv[optind - 1], opts);
    }
  }
  if (argc - optind > 1) return sim_usage_error("models", "expected at most one MODEL");
  const hw_model *m = NULL;
  if (optind < argc && !(m = hw_model_find(argv[optind])))
    return sim_usage_error("models", "unknown model '%s' (emlsim models lists them)",
                           argv[optind]);
  em_diag d;
  em_diag_clear(&d);
  rpt_table *t = m ? keys_table(m) : models_table();
  cm_energy_table *et = NULL;
  hw_point *pt = NULL; /* the default design point, for its description and area */
  if (t && m && cm_energy_table_default(&et, &d) == EM_OK &&
      hw_point_create(m, NULL, NULL, 0, et, &pt, &d) == EM_OK) {
    char des[128];
    hw_point_describe(pt, des, sizeof des);
    rpt_table_add_meta(t, "default design", des);
    sim_add_area_meta(t, pt, NULL);
  }
  hw_point_destroy(pt);
  cm_energy_table_destroy(et);
  if (!t) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return sim_fail(&d);
  }
  em_status st = sim_write_table(t, (rpt_format)fmt, "-", &d);
  rpt_table_destroy(t);
  return st == EM_OK ? SIM_EXIT_OK : sim_fail(&d);
}
