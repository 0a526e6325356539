/*
 * cmd_systolic.c - `emlsim systolic`: a workload on the systolic array
 * model, SCALE-Sim's reports and emlsim's per-layer energy table.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cm_energy.h"
#include "em_outfile.h"
#include "em_pool.h"
#include "hw_model.h"
#include "rpt_systolic.h"
#include "sa_model.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"

static int cmd_systolic(int argc, char **argv);

const sim_command sim_cmd_systolic = {
    "systolic", cmd_systolic,
    "a workload on an R x C systolic MAC array (SCALE-Sim compatible)",
    "usage: emlsim systolic <workload> [options]\n"
    "\n"
    "Runs every layer on a systolic array with output-, weight- or input-\n"
    "stationary dataflow and double-buffered SRAMs, as SCALE-Sim v2 models it\n"
    "(its figures are matched column for column), with energy and BOPS.\n"
    "\n"
    "  <workload>            built-in network, topology CSV (conv or GEMM form) or\n"
    "                        gemm:MxNxK (one GEMM layer, M activation columns)\n"
    "  -c, --config CFG      SCALE-Sim .cfg file (default: SCALE-Sim's scale.cfg:\n"
    "                        32x32, os, 64 kB SRAMs, CALC bandwidth)\n"
    "  --rows R, --cols C    array size (override the config)\n"
    "  --dataflow DF         os, ws or is (overrides the config)\n"
    "  --freq MHZ            clock (default 1000; SCALE-Sim has none: its reports\n"
    "                        are in cycles)\n"
    "  --bandwidth N|calc    DRAM interface: N words/cycle (USER: reads stall when\n"
    "                        DRAM falls behind) or calc (SCALE-Sim's estimate)\n"
    "  --bits W:A            operand formats (default: the workload's, int8 where\n"
    "                        it gives none); an operand takes ceil(bits / (8 x\n"
    "                        WordSizeBytes)) memory words, and the reports count\n"
    "                        operands\n"
    "  --energy-table FILE   energy per operation and access (default: Horowitz\n"
    "                        45 nm); repeatable, up to 8: the tables are merged in\n"
    "                        order, a later one's row replacing an earlier one's of\n"
    "                        the same op, type, width and SRAM size\n"
    "  --closed-form         cycles from formulas, compulsory DRAM traffic (every\n"
    "                        operand once), no stalls (mode=closed)\n"
    "  --set KEY=VALUE       any setting of the model (emlsim models systolic)\n"
    "  --trace               also write SCALE-Sim's IFMAP/FILTER/OFMAP SRAM and DRAM\n"
    "                        traces, DIR/<run_name>/layerN/*_SRAM_TRACE.csv and\n"
    "                        *_DRAM_TRACE.csv (needs -o)\n"
    "  -o, --output DIR      write DIR/<run_name>/COMPUTE_REPORT.csv,\n"
    "                        BANDWIDTH_REPORT.csv, DETAILED_ACCESS_REPORT.csv and\n"
    "                        systolic_layers.csv (otherwise the table goes to stdout)\n"
    "  --format FMT          stdout table: table (default), csv, json or md (not\n"
    "                        with -o, whose reports are CSV)\n"
    "  -h, --help            this help\n"
    "      --version         print the version\n"
    "\n"
    "Config keys ([section] key: value):\n"
    "  [general] run_name; [architecture_presets] ArrayHeight, ArrayWidth,\n"
    "  IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, IfmapOffset, FilterOffset,\n"
    "  OfmapOffset, Bandwidth, Dataflow, MemoryBanks, WordSizeBytes,\n"
    "  PackNarrowOperands, FrequencyMHz; [run_presets] InterfaceBandwidth\n"
    "  (CALC or USER); [network_presets] TopologyCsvLoc.\n"};

enum { OPT_ROWS = 0x2000, OPT_COLS, OPT_DATAFLOW, OPT_BITS, OPT_ENERGY, OPT_CLOSED, OPT_TRACE,
       OPT_FORMAT, OPT_BANDWIDTH, OPT_SET, OPT_FREQ };


typedef struct {
  em_outfile *f[4];
} report_files;

/* SCALE-Sim's trace files. */
static const char *const trace_names[6] = {"IFMAP_SRAM_TRACE.csv", "FILTER_SRAM_TRACE.csv",
                                           "OFMAP_SRAM_TRACE.csv", "IFMAP_DRAM_TRACE.csv",
                                           "FILTER_DRAM_TRACE.csv", "OFMAP_DRAM_TRACE.csv"};

/* SCALE-Sim runs each group of a grouped (DP) layer as a layer of its own,
 * LayerIDs id + 1 .. id + groups - 1, with traces identical to the first
 * group's (the same shapes and addresses, fresh buffers): copies of
 * DIR/layer<id>'s files. */
static em_status copy_group_traces(const char *base, const sa_config *cfg, unsigned id,
                                   uint64_t groups, em_diag *d) {
  char src[4700], dir[4500], dst[4600];
  char buf[1 << 14];
  for (uint64_t g = 1; g < groups; g++) {
    snprintf(dir, sizeof dir, "%s/layer%llu", base, (unsigned long long)(id + g));
    em_status st = em_mkdir_p(dir, d);
    for (int k = 0; k < 6 && st == EM_OK; k++) {
      snprintf(src, sizeof src, "%s/layer%u/%s", base, id, trace_names[k]);
      snprintf(dst, sizeof dst, "%s/%s", dir, trace_names[k]);
      FILE *in = fopen(src, "rb");
      if (!in) return em_diag_set(d, EM_ERR_IO, src, 0, 0, "cannot read the trace written");
      em_outfile *o = NULL;
      st = em_outfile_open(dst, &o, d);
      size_t n;
      while (st == EM_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, em_outfile_fp(o)) != n)
          st = em_diag_set(d, EM_ERR_IO, dst, 0, 0, "write error: %s",
                           em_errno_text(errno));
      if (st == EM_OK && ferror(in))
        st = em_diag_set(d, EM_ERR_IO, src, 0, 0, "cannot read the trace written");
      fclose(in);
      if (st == EM_OK) {
        em_outfile *f = o;
        o = NULL;
        st = em_outfile_commit(f, d);
      }
      em_outfile_abort(o);
    }
    if (st != EM_OK) return st;
  }
  return EM_OK;
}

/* Traces past this many bytes are announced before any is written: a
 * large array or SRAM makes them grow far faster than the run's time says
 * (a 4096 x 4096 array with 4 TiB SRAMs wrote 300 MB of SRAM traces for
 * one MAC, and its CALC DRAM traces pad one prefetch to whole sets of
 * 44 G words, 523 GiB, writing for hours and saying nothing). */
#define TRACE_NOTE_BYTES (1024.0 * 1024 * 1024)

/* The free bytes of the file system holding path; false if unknown. */
static bool free_bytes(const char *path, double *out) {
  struct statvfs fs;
  if (statvfs(path, &fs) != 0) return false;
  *out = (double)fs.f_bavail * (double)fs.f_frsize;
  return true;
}

static void bytes_text(double b, char *buf, size_t n) {
  em_bytes_text(b >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)b, buf, n);
}

/* --trace: the layers' traces estimated before any is written
 * (sa_trace_bytes: closed form, errs low), said when past
 * TRACE_NOTE_BYTES, and refused when they cannot fit: the estimate over the
 * free space of the file system of `stage` (the staging folder the traces
 * are written into, renamed at the end), with the largest layer's scratch
 * rows of its CALC DRAM
 * traces where TMPDIR is on that file system too, else those over
 * TMPDIR's own free space.  Nothing is written then: the run stops before
 * its first layer. */
static em_status trace_room(const sa_config *cfg, const wl_network *net, const char *stage,
                            const char *target, em_diag *d) {
  double bytes = 0, scratch = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    double s;
    bytes += sa_trace_bytes(cfg, &net->layers[i], &s);
    if (s > scratch) scratch = s;
  }
  char nb[32], fb[32];
  bytes_text(bytes, nb, sizeof nb);
  if (bytes > TRACE_NOTE_BYTES)
    sim_note("emlsim systolic", "--trace: the SRAM and DRAM traces will take at least %s "
             "(estimated before any is written, from each layer's cycles, the array's rows "
             "and columns and the SRAMs' sets)", nb);
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp) tmp = "/tmp";
  struct stat a, b;
  bool same = stat(stage, &a) == 0 && stat(tmp, &b) == 0 && a.st_dev == b.st_dev;
  double room;
  if (free_bytes(stage, &room) && bytes + (same ? scratch : 0) > room) {
    bytes_text(room, fb, sizeof fb);
    return em_diag_set(d, EM_ERR_LIMIT, target, 0, 0,
                       "--trace: the SRAM and DRAM traces would take at least %s, more than "
                       "the %s free on its file system, so the run stopped and nothing was "
                       "written (a smaller array or SRAMs, or fewer layers, trace in less)",
                       nb, fb);
  }
  if (!same && free_bytes(tmp, &room) && scratch > room) {
    bytes_text(scratch, nb, sizeof nb);
    bytes_text(room, fb, sizeof fb);
    return em_diag_set(d, EM_ERR_LIMIT, target, 0, 0,
                       "--trace: the CALC DRAM traces' rows would take at least %s in a "
                       "scratch file in %s (TMPDIR), more than the %s free there, so the run "
                       "stopped and nothing was written",
                       nb, tmp, fb);
  }
  return EM_OK;
}

/* The trace folders DIR/RUN/layer<N> an earlier traced run left beyond
 * this run's `ids` layers (a network of 8 layers traced after one of 20):
 * each holding nothing but SCALE-Sim's trace files is removed, so that the
 * folder's traces are this run's alone; one holding anything else is left
 * as it was, and said. */
/* Whether the folder holds nothing but trace files by SCALE-Sim's names. */
static bool only_traces(const char *dir) {
  DIR *dp = opendir(dir);
  if (!dp) return false;
  bool only = true;
  for (struct dirent *e; only && (e = readdir(dp)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    bool known = false;
    for (int i = 0; i < 6; i++) known = known || strcmp(e->d_name, trace_names[i]) == 0;
    only = known;
  }
  closedir(dp);
  return only;
}

static void remove_stale_traces(const char *dir, const char *run, unsigned ids) {
  char base[4400], sub[4700], f[5000];
  snprintf(base, sizeof base, "%s/%s", dir, run);
  DIR *dp = opendir(base);
  if (!dp) return;
  for (struct dirent *e; (e = readdir(dp)) != NULL;) {
    const char *num = e->d_name + 5;
    if (strncmp(e->d_name, "layer", 5) != 0 || !isdigit((unsigned char)*num)) continue;
    char *end;
    errno = 0;
    unsigned long long k = strtoull(num, &end, 10);
    if (*end || errno || k < ids) continue;
    snprintf(sub, sizeof sub, "%s/%s", base, e->d_name);
    if (!only_traces(sub)) {
      sim_note(sub, "not this run's traces (it traced layer0 to layer%u), left as it was: it "
                    "holds other files",
               ids ? ids - 1 : 0);
      continue;
    }
    for (int i = 0; i < 6; i++) {
      snprintf(f, sizeof f, "%s/%s", sub, trace_names[i]);
      (void)unlink(f);
    }
    (void)rmdir(sub);
  }
  closedir(dp);
}

static em_status write_reports(const char *dir, const sa_config *cfg, const wl_network *net,
                               const sa_layer_stats *stats, rpt_table *tab, em_diag *d) {
  char run_dir[4096], path[4400];
  snprintf(run_dir, sizeof run_dir, "%s/%s", dir, cfg->run_name);
  em_status st = em_mkdir_p(run_dir, d);
  if (st != EM_OK) return st;
  static const char *const names[4] = {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv",
                                       "DETAILED_ACCESS_REPORT.csv", "systolic_layers.csv"};
  report_files rf = {{NULL}};
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", run_dir, names[i]);
    if ((st = em_outfile_open(path, &rf.f[i], d)) != EM_OK) goto fail;
  }
  rpt_sa_compute_report(net, stats, em_outfile_fp(rf.f[0]));
  rpt_sa_bandwidth_report(net, stats, em_outfile_fp(rf.f[1]));
  rpt_sa_detailed_report(net, stats, em_outfile_fp(rf.f[2]));
  if ((st = rpt_table_write(tab, RPT_FMT_CSV, em_outfile_fp(rf.f[3]))) != EM_OK) {
    em_diag_set(d, st, path, 0, 0, "write error");
    goto fail;
  }
  /* Commit only once everything is written: all or nothing. */
  for (int i = 0; i < 4; i++) {
    em_outfile *f = rf.f[i];
    rf.f[i] = NULL;
    if ((st = em_outfile_commit(f, d)) != EM_OK) goto fail;
  }
  return EM_OK;
fail:
  for (int i = 0; i < 4; i++) em_outfile_abort(rf.f[i]);
  return st;
}

static int cmd_systolic(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'},
      {"rows", required_argument, NULL, OPT_ROWS},
      {"cols", required_argument, NULL, OPT_COLS},
      {"dataflow", required_argument, NULL, OPT_DATAFLOW},
      {"freq", required_argument, NULL, OPT_FREQ},
      {"bandwidth", required_argument, NULL, OPT_BANDWIDTH},
      {"bits", required_argument, NULL, OPT_BITS},
      {"energy-table", required_argument, NULL, OPT_ENERGY},
      {"closed-form", no_argument, NULL, OPT_CLOSED},
      {"set", required_argument, NULL, OPT_SET},
      {"trace", no_argument, NULL, OPT_TRACE},
      {"output", required_argument, NULL, 'o'},
      {"format", required_argument, NULL, OPT_FORMAT},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, SIM_OPT_VERSION},
      {NULL, 0, NULL, 0}};
  const char *cfg_path = NULL, *out_dir = NULL;
  sim_energy_tables etabs = {0}; /* --energy-table, in order */
  int fmt = RPT_FMT_TABLE;
  bool fmt_given = false; /* refused with -o, whose reports are CSV */
  bool trace = false;
  sim_bits bits = {0};
  sim_settings sets = {.n = 0}; /* the design point over the .cfg (hw_model.h) */
  bool from_set[SIM_SETTINGS_MAX] = {false}; /* given by --set, not --bandwidth N (whose
                                              * 'calc' may override it) */
  int c, rc;
  const char *const me = "systolic";
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":c:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'c': cfg_path = optarg; break;
    case OPT_ROWS:
    case OPT_COLS:
    case OPT_DATAFLOW:
    case OPT_FREQ: /* as bitserial's and xnor's --freq */
      rc = sim_settings_add(&sets, me, me,
                            c == OPT_ROWS   ? "rows"
                            : c == OPT_COLS ? "cols"
                            : c == OPT_FREQ ? "freq_mhz"
                                            : "dataflow",
                            optarg);
      if (rc >= 0) return rc;
      break;
    case OPT_BANDWIDTH: /* calc, or N words/cycle with stalls (USER) */
      if (strcasecmp(optarg, "calc") == 0)
        rc = sim_settings_add(&sets, me, me, "bandwidth_mode", "calc");
      else if ((rc = sim_settings_add(&sets, me, me, "bandwidth", optarg)) < 0)
        rc = sim_settings_add(&sets, me, me, "bandwidth_mode", "user");
      if (rc >= 0) return rc;
      break;
    case OPT_SET:
      if ((rc = sim_settings_add_kv(&sets, me, me, optarg)) >= 0) return rc;
      from_set[sets.n - 1] = true;
      break;
    case OPT_BITS:
      if (sim_bits_parse(optarg, &bits) != 0)
        return sim_usage_error("systolic", "'--bits' must be W:A with widths 1..64, got '%s'",
                               optarg);
      break;
    case OPT_ENERGY:
      if ((rc = sim_energy_tables_add(&etabs, me, optarg)) >= 0) return rc;
      break;
    case OPT_CLOSED:
      if ((rc = sim_settings_add(&sets, me, me, "mode", "closed")) >= 0) return rc;
      break;
    case OPT_TRACE: trace = true; break;
    case 'o': /* a folder: '-' is no standard output here, nor a folder to make */
      if (sim_check_output("systolic", "-o", optarg, "a folder", "a folder of reports"))
        return SIM_EXIT_USAGE;
      out_dir = optarg;
      break;
    case OPT_FORMAT:
      fmt = rpt_format_parse(optarg);
      if (fmt < 0)
        return sim_usage_error("systolic", "'--format' must be table, csv, json or md, got '%s'",
                               optarg);
      fmt_given = true;
      break;
    case 'h': sim_print_usage(&sim_cmd_systolic, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("systolic", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("systolic", argv[optind - 1], opts);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error("systolic", optind == argc ? "missing <workload>"
                                                      : "expected one <workload>");
  if (trace && !out_dir) return sim_usage_error("systolic", "'--trace' needs '-o DIR'");
  /* -o writes SCALE-Sim's reports and the layer table as CSV, whatever
   * --format says: refused, not ignored ('-o odir --format json' wrote
   * CSV, exit 0) */
  if (fmt_given && out_dir)
    return sim_usage_error("systolic", "'--format' chooses the table on standard output: not "
                                       "with '-o %s', a folder of CSV reports", out_dir);

  em_diag d;
  em_diag_clear(&d);
  /* -o DIR: every report and trace is written into a staging folder, and
   * DIR gets all of them or, if anything fails, none (em_outfile.h) */
  em_iocheck io;
  const em_ioarg io_args[] = {SIM_IO_WORKLOAD(argv[optind]),
                              {EM_IO_INPUT, "--config", cfg_path},
                              SIM_IO_ENERGY(etabs),
                              {EM_IO_OUT_DIR, "-o", out_dir}};
  em_outfile *set = NULL;
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK ||
      (out_dir && em_outdir_open(out_dir, &io, "systolic", &set, &d) != EM_OK))
    return sim_fail(&d);
  const char *out_target = out_dir;
  if (set) out_dir = em_outfile_tmp(set);
  wl_network *net = NULL;
  cm_energy_table *et = NULL;
  hw_point *pt = NULL;
  sa_layer_stats *stats = NULL;
  sa_energy *energy = NULL;
  hw_result *res = NULL; /* the layers' results, for the DRAM note */
  rpt_table *tab = NULL;
  rc = SIM_EXIT_ERROR;
  /* the design point: the .cfg, then the options over it (hw_model.h) */
  if (cm_energy_tables_load(etabs.path, etabs.n, &et, &d) != EM_OK ||
      hw_point_create(hw_model_find(me), cfg_path, sets.set, sets.n, et, &pt, &d) != EM_OK)
    goto fail;
  const sa_config *cfg = hw_point_config(pt); /* the model's configuration comes first */
  /* --closed-form and --set mode=closed are one setting: the model's */
  const bool closed = cfg->closed_form;
  if (trace && closed) {
    rc = sim_usage_error("systolic", "'--trace' walks the demand streams: not with "
                                     "'--closed-form' (mode = closed)");
    goto done;
  }
  /* a setting that changes nothing here is refused, not ignored (the
   * model's hw_key.applies): the sparse points' feed, and a bandwidth with
   * CALC (--set bandwidth=1 ran as CALC, 13,575 cycles where --bandwidth 1
   * took 234,455) */
  const hw_model *hm = hw_point_model(pt);
  for (size_t i = 0; i < sets.n; i++) {
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(sets.set[i], "="), sets.set[i]);
    int ki = hw_key_find(hm, key);
    const char *a = ki >= 0 ? hm->keys[ki].applies : NULL;
    if (a && strcmp(a, "sparse") == 0) {
      rc = sim_usage_error("systolic", "'%s' shapes only sparse points (emlsim breakeven): "
                                       "the layers here run dense", key);
      goto done;
    }
    char need[160];
    if (from_set[i] && hw_point_key_idle(pt, key, need, sizeof need)) {
      size_t kl = strcspn(need, " ");
      if (strncmp(need, "bandwidth_mode =", 16) == 0)
        rc = sim_usage_error("systolic", "'%s' changes nothing unless %s ('--bandwidth N' sets "
                                         "both)", key, need);
      else
        rc = sim_usage_error("systolic", "'%s' changes nothing unless %s ('--set %.*s=%s' sets "
                                         "it)", key, need, (int)kl, need, need + kl + 3);
      goto done;
    }
  }
  if (closed && !cfg->bw_calc) { /* it ran, and the bandwidth changed nothing */
    /* asked for on the command line (the last bandwidth_mode there is
     * user): refused; a .cfg's USER (SCALE-Sim's configs name one): said */
    const char *mode = NULL;
    for (size_t i = 0; i < sets.n; i++)
      if (strncmp(sets.set[i], "bandwidth_mode=", 15) == 0) mode = sets.set[i] + 15;
    if (mode && strcasecmp(mode, "user") == 0) {
      rc = sim_usage_error("systolic", "a USER bandwidth (--bandwidth N, bandwidth_mode = user) "
                                       "stalls the simulated walk: '--closed-form' (mode = "
                                       "closed) has no stalls");
      goto done;
    }
    sim_note(cfg_path ? cfg_path : "emlsim systolic",
             "the closed form has no stalls: its USER bandwidth bounds nothing here");
  }
  if (sim_workload_load(argv[optind], &bits, hw_point_model(pt)->default_prec, &net, &d) != EM_OK)
    goto fail;
  size_t n = net->n_layers ? net->n_layers : 1;
  stats = calloc(n, sizeof *stats);
  energy = calloc(n, sizeof *energy);
  res = calloc(n, sizeof *res);
  if (!stats || !energy || !res) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  unsigned layer_id = 0; /* the reports' LayerID: one per group of a layer with MACs */
  hw_result tot = {0};   /* the model table's totals: the report's must fit 64 bits */
  /* a layer the model refuses at once is found before any walks (it came
   * after earlier layers had walked, 25 s and 12 GB of them in one file) */
  for (size_t i = 0; i < net->n_layers; i++)
    if (hw_point_check_layer(pt, &net->layers[i], &d) != EM_OK) {
      sim_diag_locate(&d, net->source);
      goto fail;
    }
  /* the traces' size, said and checked before the first is written */
  if (trace && trace_room(cfg, net, out_dir, out_target, &d) != EM_OK) goto fail;
  {
    /* layers that take minutes together, none alone: said before the first
     * walks, as the model puts it (each slow layer says so as it comes) */
    char nnote[512];
    if (hw_point_network_note(pt, net, nnote, sizeof nnote)) sim_note(net->source, "%s", nnote);
  }
  for (size_t i = 0; i < net->n_layers; i++) {
    const wl_layer *l = &net->layers[i];
    sa_detail det = {0};
    hw_result r;
    em_status st = EM_OK;
    em_outfile *tf[6] = {NULL};
    char tpath[6][4500];
    sa_traces tr;
    if (trace && wl_layer_gemm_view(l).m) {
      /* SCALE-Sim's six files (single_layer_sim.py save_traces), in
       * layer<LayerID> as its reports number the layers */
      char dir[4400];
      snprintf(dir, sizeof dir, "%s/%s/layer%u", out_dir, cfg->run_name, layer_id);
      st = em_mkdir_p(dir, &d);
      for (int k = 0; k < 6 && st == EM_OK; k++) {
        snprintf(tpath[k], sizeof tpath[k], "%s/%s", dir, trace_names[k]);
        st = em_outfile_open(tpath[k], &tf[k], &d);
      }
      if (st == EM_OK) {
        FILE *fp[6];
        for (int k = 0; k < 6; k++) fp[k] = tf[k] ? em_outfile_fp(tf[k]) : NULL;
        tr = (sa_traces){fp[0], fp[1], fp[2], fp[3], fp[4], fp[5]};
        det.traces = &tr;
      }
    }
    /* a layer whose run takes minutes says so first, as its model puts it */
    char note[512];
    if (st == EM_OK && hw_point_layer_note(pt, l, note, sizeof note))
      sim_note(net->source, "%s", note);
    if (st == EM_OK) st = hw_point_run(pt, l, &r, &det, &d);
    /* A trace the model could not write (a full disk): say which, and why. */
    for (int k = 0; k < 6 && st == EM_ERR_IO && det.traces; k++) {
      FILE *f = em_outfile_fp(tf[k]);
      errno = 0;
      if (fflush(f) != 0 || ferror(f)) {
        em_diag_set(&d, EM_ERR_IO, tpath[k], 0, 0, "write error: %s (layer '%s')",
                    em_errno_text(errno), l->name);
        break;
      }
    }
    /* Commit all the traces or none. */
    for (int k = 0; k < 6 && st == EM_OK && det.traces; k++) {
      em_outfile *f = tf[k];
      tf[k] = NULL;
      if (f) st = em_outfile_commit(f, &d);
    }
    for (int k = 0; k < 6; k++) em_outfile_abort(tf[k]);
    if (st == EM_OK && det.traces && r.ran) {
      char base[4400];
      snprintf(base, sizeof base, "%s/%s", out_dir, cfg->run_name);
      st = copy_group_traces(base, cfg, layer_id, det.stats.groups, &d);
    }
    if (st == EM_OK && det.stats.macs)
      layer_id += (unsigned)(det.stats.groups > 1 ? det.stats.groups : 1);
    if (st == EM_OK) st = hw_result_add(&tot, &r, &d);
    if (st != EM_OK) {
      sim_diag_locate(&d, net->source);
      goto fail;
    }
    stats[i] = det.stats;
    res[i] = r;
    energy[i] = det.energy;
    energy[i].total_pj = r.energy_total_pj; /* with the static energy (leakage x time) */
  }
  tab = rpt_sa_layer_table(net, cfg, stats, energy, cm_energy_table_name(et), closed);
  if (!tab) {
    em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  sim_add_area_meta(tab, pt, net);
  sim_add_dram_note(tab, pt, net, res, net->n_layers);
  if (out_dir) {
    if (write_reports(out_dir, cfg, net, stats, tab, &d) != EM_OK) goto fail;
    em_outfile *s = set;
    set = NULL;
    if (em_outfile_commit(s, &d) != EM_OK) goto fail;
    if (trace) remove_stale_traces(out_target, cfg->run_name, layer_id);
  } else if (sim_write_table(tab, (rpt_format)fmt, "-", &d) != EM_OK) {
    goto fail;
  }
  rc = SIM_EXIT_OK;
  goto done;
fail:
  em_outfile_explain(set, &d);
  sim_fail(&d);
done:
  em_outfile_abort(set);
  rpt_table_destroy(tab);
  free(stats);
  free(energy);
  free(res);
  hw_point_destroy(pt);
  cm_energy_table_destroy(et);
  wl_network_destroy(net);
  return rc;
}
