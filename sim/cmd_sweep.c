/*
 * cmd_sweep.c - `emlsim sweep SPEC`: the Cartesian product of architecture
 * parameters, bit widths and workloads, evaluated on threads (--jobs) or
 * across MPI ranks (mpirun -n N), one CSV whose bytes do not depend on how
 * it was run, with each workload's Pareto fronts marked: latency and
 * energy, and latency, energy and silicon area (hw_result.area_mm2); a
 * JSON copy of the rows beside a CSV file.
 *
 * SPEC, one setting per line, '#' comments:
 *     arch = systolic            (systolic, bitserial, xnor, analytic, simt; one)
 *     workload = alexnet, resnet18
 *     bits = 8:8, 4:4
 *     rows = 8, 16, 32           (systolic: rows, cols, dataflow, ifmap_kb,
 *     ...                         filter_kb, ofmap_kb, bandwidth, mode)
 * A key with several values is a dimension; the first key varies slowest.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef EMLSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "cm_cost.h"
#include "cm_energy.h"
#include "cm_pareto.h"
#include "em_checked.h"
#include "em_input.h"
#include "em_outfile.h"
#include "em_pool.h"
#include "em_parse.h"
#include "hw_model.h"
#include "plt_plot.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"
#include "sim_workload.h"
#include "wl_load.h"

static int cmd_sweep(int argc, char **argv);

const sim_command sim_cmd_sweep = {
    "sweep", cmd_sweep, "a design-space sweep: every combination of a SPEC, one CSV",
    "usage: emlsim sweep SPEC [options]\n"
    "       mpirun -n N emlsim sweep SPEC [options]\n"
    "\n"
    "Evaluates the Cartesian product of the values in SPEC on every workload and\n"
    "writes one row per design point and workload: the values, cycles (the\n"
    "GPU's: each kernel's launch_cycles and cycles, as emlsim simt splits\n"
    "them), latency, energy, energy-delay product (cycles, latency and EDP\n"
    "empty for the analytic model, which has no clock), whether the point is on\n"
    "the workload's Pareto front of latency and energy (pareto; of energy alone\n"
    "for the analytic model) and of latency, energy and area (pareto3; drawn\n"
    "within each value of a swept 'mode', which estimates and does not design),\n"
    "the design's silicon area (area_mm2, 45 nm; the die of a GPU preset; empty\n"
    "where unknown) and inferences per second per mm^2. A flag is empty where\n"
    "there is nothing to rank: a point without figures, one that repeats\n"
    "another's design (a key that changes nothing there: the point it repeats\n"
    "is ranked for it), and for pareto3 a point whose area is unknown (the\n"
    "others are ranked without it). Cycles, latency and energy are a run of the\n"
    "workload: a topology's batch of B inferences is B of them in\n"
    "inf_per_s_per_mm2 (empty where its layers' batches differ). The CSV is the\n"
    "same byte for byte for any --jobs and any number of MPI ranks; with -o\n"
    "FILE.csv the rows also go to FILE.json (schema emlsim-table/1).\n"
    "\n"
    "SPEC keys (comma-separated values, each once; '#' comments; at most 1 MiB):\n"
    "  arch        a model of the table: systolic, bitserial, xnor, analytic, simt\n"
    "              (one)\n"
    "  workload    built-in networks, topology files or gemm:MxNxK products\n"
    "              (required; relative files are found beside SPEC)\n"
    "  bits        W:A pairs, e.g. 8:8, 4:4, 1:1 (default: each layer's own widths,\n"
    "              the model's default where the workload gives none)\n"
    "  any setting of the arch's model, with the same name, range and default\n"
    "  as everywhere else (emlsim models MODEL):\n"
    "  systolic:   rows, cols, dataflow (os/ws/is), ifmap_kb, filter_kb, ofmap_kb,\n"
    "              bandwidth_mode (calc/user), bandwidth (words/cycle), word_bytes,\n"
    "              pack, freq_mhz, mode (simulate: the buffers' demand streams, the\n"
    "              default; closed: closed-form cycles, compulsory DRAM traffic)\n"
    "              (feed and feed_group shape sparse points only: breakeven's)\n"
    "  bitserial:  dm, dk, dn, freq_mhz\n"
    "  xnor:       pe, simd, freq_mhz, weight_kib (KiB), dram_gbps (GB/s)\n"
    "  simt:       gpu (presets or files, relative ones found beside SPEC), gpu.KEY\n"
    "              for any GPU setting (emlsim simt --gpu-help), e.g. gpu.n_sm = 8,\n"
    "              16; every layer is simulated\n"
    "\n"
    "  --jobs N            threads (default 1); a thread waits while the points\n"
    "                      held would pass the host memory budget (16 GiB, or\n"
    "                      EMLSIM_HOST_MEMORY)\n"
    "  -o, --output FILE   the CSV (default: stdout)\n"
    "  --pareto FILE       also write the Pareto-front rows there\n"
    "  --heatmap FILE      draw (SVG where FILE ends in .svg, PNG otherwise)\n"
    "                      the energy-delay-area product (EDP x area, lower is\n"
    "                      better) over rows x cols (a systolic SPEC with both\n"
    "                      keys): each cell is the lowest of the points with those\n"
    "                      rows and cols, whatever the other keys (with several\n"
    "                      workloads, of a point's geometric mean over them); the\n"
    "                      best cell is framed, the others read their ratio to it\n"
    "                      (gnuplot); refused, with every output, where no cell\n"
    "                      has a figure\n"
    "  --quiet             no progress bar, nor the points-a-second line at the end\n"
    "                      (a sweep whose points left take a minute or more says\n"
    "                      so once its first 16 are done, or after 5 s: from\n"
    "                      EMLSIM_SWEEP_ESTIMATE seconds left, default 60)\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

#define MAX_DIMS 16
#define MAX_VALS 256
/* Design points in one sweep (the product of the value counts, workloads
 * included): 2^20 = 1,048,576, a million closed-form or simulated runs. */
#define MAX_POINTS (1ull << 20)

/* The longest key kept: the longest setting of any model is 38 characters
 * (gpu.gpgpu_n_sub_partition_per_mchannel, and
 * gpu.gpgpu_frfcfs_dram_sched_queue_size), and hw_point_configure takes a
 * name of up to 63 (its key[64]), gpu. taken off; a longer key is refused
 * where the SPEC gives it, never cut. */
#define SPEC_KEY_MAX 63
/* The longest value kept: hw_point_configure's HW_VALUE_MAX (hw_model.c),
 * which refuses a longer one at every point; the SPEC refuses it at its
 * line and column instead, before anything runs. */
#define SPEC_VALUE_MAX 4096
/* A SPEC is small text: lines of at most SPEC_LINE_MAX bytes before their
 * newline, and SPEC_BYTES_MAX in all, the cap a GPU preset file has
 * (CFG_BYTES_MAX, models/simt/simt_config.c) and far beyond a real spec
 * (16 keys of one line each, and comments).  A larger one is refused where
 * the read passes the cap (`yes '# c' | emlsim sweep -` read for minutes). */
#define SPEC_LINE_MAX 8192
#define SPEC_BYTES_MAX ((size_t)1 << 20)

typedef struct {
  char key[SPEC_KEY_MAX + 1];
  char *val[MAX_VALS];  /* as the SPEC gives them (the CSV's columns) */
  char *file[MAX_VALS]; /* the file a value names, found beside the SPEC; NULL: none */
  uint32_t col[MAX_VALS]; /* each value's column in the SPEC */
  size_t n;
  uint64_t line;
  uint32_t kcol; /* the key's column (an indented key's is past 1) */
} dim_t;

typedef struct {
  char arch[16];
  uint64_t arch_line;
  dim_t dim[MAX_DIMS];
  size_t ndim;
  int workload_dim;
} spec_t;

/* Whether k is a setting of any model in the table (or a GPU field). */
static int known_key(const char *k) {
  if (strncmp(k, "gpu.", 4) == 0) return 1;
  for (const hw_model *const *m = hw_models(); *m; m++)
    if (hw_key_find(*m, k) >= 0) return 1;
  return 0;
}

static void spec_free(spec_t *s) {
  for (size_t i = 0; i < s->ndim; i++)
    for (size_t j = 0; j < s->dim[i].n; j++) {
      free(s->dim[i].val[j]);
      free(s->dim[i].file[j]);
    }
}

/* What value j of a dimension gives the model and the loader: the file it
 * names, found beside the SPEC, or the value itself. */
static const char *dim_arg(const dim_t *dm, size_t j) {
  return dm->file[j] ? dm->file[j] : dm->val[j];
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = '\0';
  return s;
}

/* A file the SPEC names (a topology, a GPU file) is read when the spec is
 * checked and again by the points: it must be a regular file, as a FIFO
 * would block the run with no one to write to it (one in an unpacked
 * archive, say).  A value that names no file is left to its key's check (a
 * built-in network, a preset name). */
static em_status named_file_check(const char *file, const char *v, const char *path,
                                  uint64_t line, uint64_t col, em_diag *d) {
  struct stat st;
  if (stat(file, &st) != 0 || !S_ISFIFO(st.st_mode)) return EM_OK;
  return em_diag_set(d, EM_ERR_IO, path, line, col,
                     "'%s' is a pipe, and a file named in a spec must be a regular file", v);
}

/* The file value v of key k names, found as the help says: a relative one
 * beside the SPEC (path), into *out (malloc'd); *out NULL where the value
 * names no file (a built-in network, a GPU preset; "-" for a workload on
 * standard input).  The keys that take files are 'workload' (a topology
 * CSV, an ONNX model: wl_load's rule, a built-in's name first, then a file
 * when the name holds a '/' or '.' or such a file is there) and 'gpu' (a
 * file when the name holds a '/' or '.', simt_config_load_spec's rule);
 * the energy table is no key of a SPEC (the sweep prices every point with
 * the default table). */
static em_status spec_file(const char *path, const char *k, const char *v, uint64_t line,
                           uint64_t col, char **out, em_diag *d) {
  *out = NULL;
  const char *name = em_input_name(path); /* in messages */
  bool wl = strcmp(k, "workload") == 0;
  if (!wl && strcmp(k, "gpu") != 0) return EM_OK;
  if (strcmp(v, "-") == 0) {
    if (wl && strcmp(path, "-") == 0) /* the spec was read from it already */
      return em_diag_set(d, EM_ERR_INVALID, name, line, col,
                         "'workload' cannot be '-' in a spec read from standard input");
    if (wl) return EM_OK; /* read once, before the points: standard input may serve */
    return em_diag_set(d, EM_ERR_INVALID, name, line, col,
                       "'gpu' cannot be '-' in a spec: each design point reads its GPU file "
                       "again, and standard input can be read once");
  }
  if (wl ? !sim_workload_file(v) : !sim_gpu_file(v)) return EM_OK;
  const char *slash = strrchr(path, '/');
  size_t dl = v[0] != '/' && slash ? (size_t)(slash - path) + 1 : 0; /* "dir/" */
  size_t vl = strlen(v);
  if (dl + vl > SPEC_VALUE_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, name, line, col,
                       "'%s' names a file whose path beside the spec is longer than %d bytes",
                       k, SPEC_VALUE_MAX);
  char *f = malloc(dl + vl + 1);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, name, line, col, "out of memory");
  memcpy(f, path, dl);
  memcpy(f + dl, v, vl + 1);
  struct stat st;
  if (wl && !strchr(v, '/') && !strchr(v, '.') && stat(f, &st) != 0 && stat(v, &st) != 0) {
    free(f); /* no such file anywhere: a built-in's name, which wl_load checks */
    return EM_OK;
  }
  *out = f;
  return EM_OK;
}

/* Checks one value of key k where the SPEC gives it (file: the file it
 * names, spec_file), so a bad value is reported at its line and column
 * before anything runs. */
static em_status value_check(const hw_model *m, const char *k, const char *v, const char *file,
                             const char *path, uint64_t line, uint64_t col, em_diag *d) {
  if (file) {
    em_status fs = named_file_check(file, v, path, line, col, d);
    if (fs != EM_OK) return fs;
  }
  if (strcmp(k, "bits") == 0) {
    sim_bits b;
    if (sim_bits_parse(v, &b) != 0)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'bits' must be W:A widths (e.g. 8:8, 4:4, 1:1), got '%s'", v);
    /* widths no configuration of the model runs (the GPU's reasons that
     * depend on its configuration are asked per point: eval) */
    const char *why = hw_refuses(m, NULL, b.w, b.a);
    if (why) {
      char wb[16], ab[16];
      wl_prec_format(b.w, wb, sizeof wb);
      wl_prec_format(b.a, ab, sizeof ab);
      return em_diag_set(d, EM_ERR_UNSUPPORTED, path, line, col,
                         "'bits' %s: model %s cannot run weights %s, activations %s: %s", v,
                         m->name, wb, ab, why);
    }
    return EM_OK;
  }
  if (strcmp(k, "workload") == 0) return EM_OK;
  if (file) {
    /* the model's reader would say only "cannot open: ..." at the value
     * (hw_setting_check keeps a message without a line of its own, not
     * its file): the file is checked here, and named */
    em_diag fd;
    em_diag_clear(&fd);
    if (em_input_check(file, "a GPU file", EM_INPUT_REGULAR, &fd) != EM_OK)
      return em_diag_set(d, fd.status, path, line, col, "%s file '%s': %s", k, file, fd.msg);
  }
  em_status st =
      hw_setting_check(m, strncmp(k, "gpu.", 4) == 0 ? k + 4 : k, file ? file : v, path, line,
                       col, d);
  if (st != EM_OK && file && strncmp(d->path, path, sizeof d->path - 1) == 0 &&
      d->line == line && d->col == col) {
    /* the file's problem without a line of its own (a read error): name it */
    char msg[EM_DIAG_MSG_MAX];
    em_strlcpy(msg, d->msg, sizeof msg);
    return em_diag_set(d, st, path, line, col, "%s file '%s': %s", k, file, msg);
  }
  return st;
}

/* Dimension i's key where it changes nothing at any point (hw_key.applies):
 * refused at its line, rather than a sweep of rows that differ in nothing
 * ('bandwidth = 1, 4, 64' in CALC mode gave three equal rows). */
static em_status applies_check(const hw_model *m, const spec_t *s, size_t i, const char *path,
                               em_diag *d) {
  const dim_t *dm = &s->dim[i];
  int ki = hw_key_find(m, dm->key);
  const char *a = ki >= 0 ? m->keys[ki].applies : NULL;
  if (!a) return EM_OK;
  if (strcmp(a, "sparse") == 0)
    return em_diag_set(d, EM_ERR_INVALID, path, dm->line, dm->kcol,
                       "'%s' shapes only sparse points (emlsim breakeven): a sweep runs its "
                       "layers dense, so its rows would not differ",
                       dm->key);
  /* KEY=VALUE conditions, comma separated: each must hold at some point */
  char need[64], want[64];
  while ((a = hw_applies_next(a, need, want)) != NULL) {
    bool given = false, met = false;
    for (size_t j = 0; j < s->ndim; j++) {
      if (strcmp(s->dim[j].key, need) != 0) continue;
      given = true;
      for (size_t v = 0; v < s->dim[j].n; v++)
        if (strcasecmp(s->dim[j].val[v], want) == 0) met = true;
    }
    int ni = hw_key_find(m, need);
    if (given && !met)
      return em_diag_set(d, EM_ERR_INVALID, path, dm->line, dm->kcol,
                         "'%s' changes nothing unless %s = %s, which no point of the spec has",
                         dm->key, need, want);
    if (!given && ni >= 0 && strcasecmp(m->keys[ni].dflt, want) != 0)
      return em_diag_set(d, EM_ERR_INVALID, path, dm->line, dm->kcol,
                         "'%s' changes nothing unless %s = %s (its default is %s): add '%s = "
                         "%s'",
                         dm->key, need, want, m->keys[ni].dflt, need, want);
  }
  return EM_OK;
}

/* Reads line ln of the SPEC from f into buf (SPEC_LINE_MAX + 1 bytes),
 * without its newline and NUL-terminated, a UTF-8 byte order mark before
 * line 1 left out (as topologies and .cfg files read it; columns count
 * after it).  *total counts the SPEC's bytes so far.  *more is false at the
 * end of the input (a read error too: the caller asks ferror).  Errors: a
 * NUL byte (which text has none of), a line longer than SPEC_LINE_MAX, the
 * SPEC past SPEC_BYTES_MAX. */
static em_status spec_line(FILE *f, const char *path, uint64_t ln, char *buf, size_t *total,
                           bool *more, em_diag *d) {
  size_t n = 0;
  int c;
  while ((c = getc(f)) != EOF && c != '\n') {
    if (c == '\0')
      return em_diag_set(d, EM_ERR_PARSE, path, ln, (uint64_t)n + 1, "NUL byte in text input");
    if (n == SPEC_LINE_MAX)
      return em_diag_set(d, EM_ERR_LIMIT, path, ln, 1, "line longer than %d bytes",
                         SPEC_LINE_MAX);
    buf[n++] = (char)c;
  }
  buf[n] = '\0';
  *more = c != EOF || n > 0;
  *total += n + (c == '\n'); /* at most SPEC_LINE_MAX + 1 a call: never wraps */
  if (*total > SPEC_BYTES_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "file larger than %zu bytes", SPEC_BYTES_MAX);
  if (ln == 1 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) memmove(buf, buf + 3, n - 3 + 1);
  return EM_OK;
}

/* Whether values a and b of dimension dm (both checked by value_check) are
 * one setting, so that they would make the same design points: equal
 * numbers however written (1e3 and 1000), equal widths (8 and 8:8), a
 * choice or a truth value in any case (closed and CLOSED, true and 1), the
 * same file under two names (gemm.csv and ./gemm.csv: the same device and
 * inode), or the same name of a built-in network or GPU preset. */
static bool same_value(const hw_model *m, const dim_t *dm, size_t a, size_t b) {
  const char *va = dm->val[a], *vb = dm->val[b];
  if (dm->file[a] || dm->file[b]) {
    struct stat sa, sb;
    if (!dm->file[a] || !dm->file[b]) return false; /* a file and a built-in */
    if (stat(dm->file[a], &sa) == 0 && stat(dm->file[b], &sb) == 0)
      return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return strcmp(dm->file[a], dm->file[b]) == 0; /* refused where it is loaded */
  }
  /* one product however its sizes are written (gemm:064x64x64 is
   * gemm:64x64x64: two rows of one workload, counted twice in the heat
   * map's mean over workloads) */
  uint64_t ga[3], gb[3];
  if (strcmp(dm->key, "workload") == 0 && strncmp(va, "gemm:", 5) == 0 &&
      strncmp(vb, "gemm:", 5) == 0 && wl_gemm_spec(va, ga, NULL) == EM_OK &&
      wl_gemm_spec(vb, gb, NULL) == EM_OK)
    return ga[0] == gb[0] && ga[1] == gb[1] && ga[2] == gb[2];
  if (strcmp(dm->key, "workload") == 0 || strcmp(dm->key, "gpu") == 0)
    return strcmp(va, vb) == 0; /* names, as wl_load and the presets match them */
  if (strcmp(dm->key, "bits") == 0) {
    sim_bits x, y;
    return sim_bits_parse(va, &x) == 0 && sim_bits_parse(vb, &y) == 0 &&
           x.w.bits == y.w.bits && x.w.fp == y.w.fp && x.a.bits == y.a.bits &&
           x.a.fp == y.a.fp;
  }
  double x, y;
  if (em_parse_f64(va, &x) == EM_OK && em_parse_f64(vb, &y) == EM_OK) return x == y;
  int k = hw_key_find(m, dm->key);
  hw_key_type t = k >= 0 ? m->keys[k].type : HW_KEY_TEXT;
  if (t == HW_KEY_BOOL) /* true, TRUE or 1; false, FALSE or 0 (hw_key_check) */
    return (strcasecmp(va, "true") == 0 || strcmp(va, "1") == 0) ==
           (strcasecmp(vb, "true") == 0 || strcmp(vb, "1") == 0);
  if (t == HW_KEY_CHOICE) return strcasecmp(va, vb) == 0; /* is_choice's rule */
  return strcmp(va, vb) == 0;
}

static em_status spec_read(const char *spec_path, spec_t *s, em_diag *d) {
  memset(s, 0, sizeof *s);
  s->workload_dim = -1;
  /* standard input ("-") is "<stdin>" in messages, as every reader names it */
  const char *path = em_input_name(spec_path);
  FILE *f;
  em_status os = em_input_open(spec_path, "a sweep spec", EM_INPUT_STDIN, &f, d);
  if (os != EM_OK) return os;
  char line[SPEC_LINE_MAX + 1];
  size_t total = 0;
  bool more = true;
  uint64_t ln = 0;
  em_status st = EM_OK;
  while (st == EM_OK && (st = spec_line(f, path, ln + 1, line, &total, &more, d)) == EM_OK &&
         more) {
    ln++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *t = trim(line);
    if (!*t) continue;
    char *eq = strchr(t, '=');
    if (!eq) {
      st = em_diag_set(d, EM_ERR_PARSE, path, ln, 1, "expected 'key = value, value, ...'");
      break;
    }
    *eq = '\0';
    char *key = trim(t), *vals = trim(eq + 1);
    size_t vcol = (size_t)(vals - line) + 1;
    if (strlen(key) > SPEC_KEY_MAX) { /* kept whole or refused: never cut */
      st = em_diag_set(d, EM_ERR_LIMIT, path, ln, (size_t)(key - line) + 1,
                       "key '%.40s...' is longer than %d characters: no model has such a "
                       "setting (see 'emlsim help sweep')",
                       key, SPEC_KEY_MAX);
      break;
    }
    if (strcmp(key, "arch") == 0) {
      if (s->arch_line) {
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(key - line) + 1,
                         "'arch' is given twice (line %llu)", (unsigned long long)s->arch_line);
        break;
      }
      s->arch_line = ln;
      if (strchr(vals, ',')) { /* the other keys are one model's settings */
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, vcol,
                         "arch takes one model, as the other keys are its settings (one SPEC "
                         "per model), got '%s'",
                         vals);
        break;
      }
      if (!hw_model_find(vals)) {
        char names[160] = "";
        for (const hw_model *const *m = hw_models(); *m; m++) {
          size_t used = strlen(names);
          snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", (*m)->name);
        }
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, vcol, "arch must be one of %s, got '%s'",
                         names, vals);
        break;
      }
      snprintf(s->arch, sizeof s->arch, "%s", vals);
      continue;
    }
    if (strcmp(key, "workload") && strcmp(key, "bits") && !known_key(key)) {
      st = em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(key - line) + 1,
                       "unknown key '%s' (see 'emlsim help sweep')", key);
      break;
    }
    for (size_t i = 0; i < s->ndim; i++)
      if (strcmp(s->dim[i].key, key) == 0) {
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(key - line) + 1,
                         "'%s' is given twice (line %llu)", key,
                         (unsigned long long)s->dim[i].line);
        break;
      }
    if (st != EM_OK) break;
    if (s->ndim == MAX_DIMS) {
      st = em_diag_set(d, EM_ERR_LIMIT, path, ln, 1, "more than %d keys", MAX_DIMS);
      break;
    }
    dim_t *dm = &s->dim[s->ndim++];
    snprintf(dm->key, sizeof dm->key, "%s", key);
    dm->line = ln;
    dm->kcol = (uint32_t)(key - line) + 1;
    if (strcmp(key, "workload") == 0) s->workload_dim = (int)(s->ndim - 1);
    /* values split at every comma: an empty one is an error, not skipped */
    for (char *v = vals, *next; v && st == EM_OK; v = next) {
      char *comma = strchr(v, ',');
      next = comma ? comma + 1 : NULL;
      if (comma) *comma = '\0';
      size_t at = (size_t)(v - line) + 1 + strspn(v, " \t"); /* the value's column */
      v = trim(v);
      if (!*v)
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, at, "'%s' has an empty value", key);
      else if (dm->n == MAX_VALS)
        st = em_diag_set(d, EM_ERR_LIMIT, path, ln, at, "'%s' has more than %d values", key,
                         MAX_VALS);
      else if (strchr(v, '"'))
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, at, "'%s' values must not be quoted", key);
      else if (strlen(v) > SPEC_VALUE_MAX)
        st = em_diag_set(d, EM_ERR_LIMIT, path, ln, at,
                         "'%s' has a value of %zu bytes, longer than the %d a setting may have",
                         key, strlen(v), SPEC_VALUE_MAX);
      else if (!(dm->val[dm->n] = strdup(v)))
        st = em_diag_set(d, EM_ERR_NOMEM, path, ln, at, "out of memory");
      else
        dm->col[dm->n++] = (uint32_t)at;
    }
  }
  if (st == EM_OK && ferror(f)) /* a pipe past EM_INPUT_STREAM_MAX, or a device error */
    st = em_diag_set(d, EM_ERR_IO, path, ln + 1, 0, "read error: %s", em_errno_text(errno));
  fclose(f);
  if (st != EM_OK) return st;
  if (!s->arch[0]) return em_diag_set(d, EM_ERR_PARSE, path, ln ? ln : 1, 1, "no 'arch' line");
  if (s->workload_dim < 0)
    return em_diag_set(d, EM_ERR_PARSE, path, ln ? ln : 1, 1, "no 'workload' line");
  const hw_model *m = hw_model_find(s->arch);
  for (size_t i = 0; i < s->ndim; i++) {
    const char *k = s->dim[i].key;
    bool field = strncmp(k, "gpu.", 4) == 0;
    if (strcmp(k, "workload") && strcmp(k, "bits") &&
        (field ? !m->set_extra : hw_key_find(m, k) < 0))
      return em_diag_set(d, EM_ERR_PARSE, path, s->dim[i].line, s->dim[i].kcol,
                         "'%s' is not a setting of arch %s", k, s->arch);
    em_status ae = applies_check(m, s, i, path, d);
    if (ae != EM_OK) return ae;
    for (size_t j = 0; j < s->dim[i].n; j++) {
      dim_t *dm = &s->dim[i];
      em_status e = spec_file(spec_path, k, dm->val[j], dm->line, dm->col[j], &dm->file[j], d);
      if (e == EM_OK)
        e = value_check(m, k, dm->val[j], dm->file[j], path, dm->line, dm->col[j], d);
      /* a GPU field the model does not know is the key's fault, at the
       * key's column as an unknown key's is ('gpu.n_clusters' was blamed
       * at its value's) */
      if (e == EM_ERR_NOTFOUND && field && strstr(d->msg, "is not a setting of model"))
        d->col = dm->kcol;
      if (e != EM_OK) return e;
      /* a value given twice would make each of its design points twice,
       * equal rows both on the Pareto front */
      for (size_t q = 0; q < j; q++)
        if (same_value(m, dm, q, j))
          return em_diag_set(d, EM_ERR_INVALID, path, dm->line, dm->col[j],
                             "'%s' gives one value twice, as '%s' (column %u) and '%s': each "
                             "design point would be run and listed twice",
                             k, dm->val[q], (unsigned)dm->col[q], dm->val[j]);
    }
  }
  return EM_OK;
}

em_status sim_sweep_spec_check(const char *path, em_diag *d) {
  spec_t s;
  em_status st = spec_read(path, &s, d);
  spec_free(&s);
  return st;
}

/* ---- evaluation ---- */

typedef struct {
  uint64_t cycles;
  double latency_us, energy_pj;
  double area_mm2; /* 0: unknown */
  int ok;
  /* the design of another point: a key of the SPEC that changes nothing at
   * this point has another value there (its default, else its first) */
  int dup;
  /* its DRAM figures keep an accounting that is not a bandwidth's physics
   * past the marks hw_point_dram_note says (a systolic USER interface) */
  int acct;
} result_t;

/* The lowest of this rank's points whose settings make no design, and why
 * (the note after the sweep); point UINT64_MAX: none. */
typedef struct {
  pthread_mutex_t mu;
  uint64_t point;
  char why[EM_DIAG_MSG_MAX];
  int slow_said; /* a model's note that a layer's run takes minutes, said once */
  uint64_t dup_point; /* and the lowest that repeats another's design, and why */
  char dup_why[EM_DIAG_MSG_MAX];
  uint64_t acct_point; /* and the lowest whose DRAM accounting is said, and what */
  char acct_why[EM_DIAG_MSG_MAX];
} no_design_t;

/* The host memory the threads' design points hold together (em_pool.h):
 * a thread whose point would take the total over the budget waits until
 * others have given theirs back.  A thread holds one point at a time and
 * gives it back when its point is done, so a wait always ends: the figures
 * stay the same, only the time grows.  One point over the budget alone is
 * not waited for: the model refuses it. */
typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint64_t used, budget;
  bool shared; /* more than one thread: else nothing to wait for, nor to count */
} mem_gate;

static void gate_take(mem_gate *g, uint64_t b) {
  if (b == 0 || b > g->budget) return;
  pthread_mutex_lock(&g->mu);
  while (g->used && g->used + b > g->budget) pthread_cond_wait(&g->cv, &g->mu);
  g->used += b;
  pthread_mutex_unlock(&g->mu);
}

static void gate_give(mem_gate *g, uint64_t b) {
  if (b == 0 || b > g->budget) return;
  pthread_mutex_lock(&g->mu);
  g->used -= b;
  pthread_cond_broadcast(&g->cv);
  pthread_mutex_unlock(&g->mu);
}

/* The note of a long sweep: once the first points are done (ETA_POINTS of
 * them, or ETA_WAIT_S of wall time), the time the rest would take at the
 * rate so far, said once where it is EMLSIM_SWEEP_ESTIMATE seconds or more
 * (default ETA_NOTE_S): 2^20 simulated points ran for days without a word
 * where stderr was no terminal.  On stderr only: no output file changes. */
#define ETA_POINTS 16
#define ETA_WAIT_S 5.0
#define ETA_NOTE_S 60
typedef struct {
  pthread_mutex_t mu;
  struct timespec t0;
  uint64_t done, mine, np, jobs;
  long note_s;
  int checked;
  int tty; /* the progress bar is drawn: the note clears its line first */
} eta_t;

static double since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* The seconds the points left of `mine` take at the rate of `done` in
 * `sec`: while fewer than --jobs points are done, the others are running
 * beside them, so a point takes about `sec` on each of the jobs. */
static double eta_left(double sec, uint64_t done, uint64_t mine, uint64_t jobs) {
  uint64_t run = jobs < mine ? jobs : mine;
  uint64_t by = done > run ? done : run;
  return by && done < mine ? sec * (double)(mine - done) / (double)by : 0;
}

/* "42 s", "17 min", "64.8 h". */
static void eta_text(double sec, char *buf, size_t size) {
  if (sec < 90) snprintf(buf, size, "%.0f s", sec);
  else if (sec < 90 * 60) snprintf(buf, size, "%.0f min", sec / 60);
  else snprintf(buf, size, "%.1f h", sec / 3600);
}

/* EMLSIM_SWEEP_ESTIMATE, whole seconds from 0 to 86400 (ETA_NOTE_S unset). */
static em_status eta_note_s(long *out, em_diag *d) {
  *out = ETA_NOTE_S;
  const char *env = getenv("EMLSIM_SWEEP_ESTIMATE");
  if (!env || !*env) return EM_OK;
  char *end;
  errno = 0;
  long v = strtol(env, &end, 10);
  if (errno || *end || v < 0 || v > 86400 || !(*env >= '0' && *env <= '9'))
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "EMLSIM_SWEEP_ESTIMATE must be whole seconds, 0 to 86400, got '%.40s'",
                       env);
  *out = v;
  return EM_OK;
}

/* A point is done: the first time ETA_POINTS are, or ETA_WAIT_S has
 * passed, the rest's time is weighed, and said where it is long. */
static void eta_tick(eta_t *e) {
  pthread_mutex_lock(&e->mu);
  uint64_t k = ++e->done;
  double sec = 0;
  int check = 0;
  if (!e->checked && k < e->mine) {
    sec = since(&e->t0);
    check = e->checked = k >= ETA_POINTS || sec >= ETA_WAIT_S;
  }
  pthread_mutex_unlock(&e->mu);
  if (!check) return;
  double left = eta_left(sec, k, e->mine, e->jobs);
  if (left < (double)e->note_s) return;
  char t[32];
  eta_text(left, t, sizeof t);
  /* one call a line (the bar's thread writes too) */
  char clear[84] = ""; /* the bar's line, where it is drawn */
  if (e->tty) snprintf(clear, sizeof clear, "\r%79s\r", "");
  fprintf(stderr, "%semlsim sweep: note: %llu design points, about %s left at this rate "
          "(--jobs %llu)\n", clear, (unsigned long long)e->np, t, (unsigned long long)e->jobs);
}

typedef struct {
  const spec_t *spec;
  wl_network **nets; /* per workload value */
  uint64_t **fresh;  /* per workload value: each layer's inputs no earlier layer produced
                      * (cm_network_fresh_inputs; the analytic model's DRAM) */
  const cm_energy_table *et;
  result_t *res;
  const uint64_t *mine; /* the points this MPI rank evaluates */
  no_design_t *bad;
  mem_gate *gate;
  eta_t *eta; /* the long sweep's note (rank 0), or NULL */
} work_t;

/* Layer i of net at the point's widths, where the spec gives them. */
static wl_layer layer_at(const wl_network *net, size_t i, const sim_bits *bits) {
  wl_layer l = net->layers[i];
  if (bits->bits_given) {
    l.w = bits->w;
    l.a = bits->a;
  }
  return l;
}

/* Keeps text for point p in *at and why (EM_DIAG_MSG_MAX bytes) where p is
 * the lowest point so far: the notes after a sweep name the lowest, whatever
 * thread ran it. */
static void keep_lowest(no_design_t *b, uint64_t p, uint64_t *at, char *why, const char *text) {
  pthread_mutex_lock(&b->mu);
  if (p < *at) {
    *at = p;
    snprintf(why, EM_DIAG_MSG_MAX, "%s", text);
  }
  pthread_mutex_unlock(&b->mu);
}

/* Says note once a sweep (a layer, or layers together, whose run takes
 * minutes: the first point that has one, with --jobs not the lowest). */
static void say_slow(no_design_t *b, const char *source, const char *note) {
  pthread_mutex_lock(&b->mu);
  if (!b->slow_said) {
    b->slow_said = 1;
    sim_note(source, "%s", note);
  }
  pthread_mutex_unlock(&b->mu);
}

/* One design point on one workload, through the model table: the point's
 * settings are the SPEC's keys at this point's values; a workload keeps its
 * own per-layer widths unless 'bits' is a key. */

static em_status eval(const work_t *w, uint64_t p, result_t *r, em_diag *d) {
  const spec_t *s = w->spec;
  size_t dig[MAX_DIMS] = {0};
  uint64_t q = p;
  for (size_t i = s->ndim; i-- > 0;) {
    dig[i] = (size_t)(q % s->dim[i].n);
    q /= s->dim[i].n;
  }
  const wl_network *net = w->nets[dig[s->workload_dim]];
  memset(r, 0, sizeof *r);
  char buf[MAX_DIMS][4200];
  const char *sets[MAX_DIMS];
  size_t nset = 0;
  sim_bits bits = {0}; /* every value was checked by spec_read */
  for (size_t i = 0; i < s->ndim; i++) {
    const char *k = s->dim[i].key, *v = dim_arg(&s->dim[i], dig[i]);
    if (strcmp(k, "bits") == 0) {
      (void)sim_bits_parse(v, &bits);
      bits.bits_given = true;
    } else if (strcmp(k, "workload") != 0) {
      snprintf(buf[nset], sizeof buf[nset], "%s=%s", strncmp(k, "gpu.", 4) == 0 ? k + 4 : k, v);
      sets[nset] = buf[nset];
      nset++;
    }
  }
  const hw_model *m = hw_model_find(s->arch);
  hw_point *pt = NULL;
  em_status st = hw_point_configure(m, NULL, sets, nset, w->et, &pt, d);
  uint64_t held = pt && w->gate->shared ? hw_point_host_bytes_running(pt, net) : 0;
  gate_take(w->gate, held);
  if (st == EM_OK) st = hw_point_open(pt, d);
  const char *why = NULL; /* widths this configuration cannot run (a GPU's tensor path) */
  if (st == EM_OK && bits.bits_given)
    why = hw_refuses(m, hw_point_config(pt), bits.w, bits.a);
  if (st != EM_OK || why) {
    hw_point_destroy(pt);
    gate_give(w->gate, held);
    /* a point whose model would pass the host memory budget (a GPU over
     * EMLSIM_HOST_MEMORY: EM_ERR_LIMIT, hw_model.open) or finds no memory
     * is the run's limit, not a design the settings fail to make: an error,
     * as a systolic layer over the budget is (it was a row without figures,
     * blamed on the settings, exit 0) */
    if (st == EM_ERR_LIMIT || st == EM_ERR_NOMEM) {
      if (d->path[0]) return st;
      char msg[sizeof d->msg];
      memcpy(msg, d->msg, sizeof msg);
      return em_diag_set(d, st, NULL, 0, 0, "point %llu: %s", (unsigned long long)p, msg);
    }
    /* every value was checked alone: what fails here is a combination (an
     * SRAM too small for a fold, a GPU whose warp does not fit, widths the
     * GPU has no path for): a row without figures, and the lowest such
     * point's reason in the note after the sweep */
    r->ok = 0;
    char text[EM_DIAG_MSG_MAX];
    if (why)
      snprintf(text, sizeof text, "model %s cannot run these 'bits': %s", m->name, why);
    else
      snprintf(text, sizeof text, "its settings make no design: %.990s", d->msg);
    keep_lowest(w->bad, p, &w->bad->point, w->bad->why, text);
    em_diag_clear(d);
    return EM_OK;
  }
  /* a setting the point's method cannot estimate ('bandwidth_mode' = user
   * at mode = closed, whose figures are CALC's: a row of a USER design 23x
   * under its bandwidth's floor stood on the front): a row without
   * figures, as `emlsim systolic` refuses it */
  for (size_t i = 0; i < s->ndim; i++) {
    char unest[256];
    if (!hw_point_unestimated(pt, s->dim[i].key, s->dim[i].val[dig[i]], unest, sizeof unest))
      continue;
    hw_point_destroy(pt);
    gate_give(w->gate, held);
    r->ok = 0;
    keep_lowest(w->bad, p, &w->bad->point, w->bad->why, unest);
    return EM_OK;
  }
  /* a key that changes nothing at this point (hw_key.applies: a USER
   * interface in the closed form, a bandwidth at CALC) makes its values
   * one design: the point with the key's default (else its first value)
   * stands for them on the fronts, the others repeat its figures (they
   * counted as front members twice) */
  for (size_t i = 0; i < s->ndim; i++) {
    char need[160];
    if (s->dim[i].n < 2 || !hw_point_key_idle(pt, s->dim[i].key, need, sizeof need)) continue;
    int ki = hw_key_find(m, s->dim[i].key);
    size_t keep = 0;
    for (size_t v = 0; ki >= 0 && v < s->dim[i].n; v++)
      if (strcasecmp(s->dim[i].val[v], m->keys[ki].dflt) == 0) {
        keep = v;
        break;
      }
    if (dig[i] == keep) continue;
    r->dup = 1;
    char text[EM_DIAG_MSG_MAX];
    snprintf(text, sizeof text, "'%s' = %s changes nothing unless %s: the design of '%s' = %s",
             s->dim[i].key, s->dim[i].val[dig[i]], need, s->dim[i].key, s->dim[i].val[keep]);
    keep_lowest(w->bad, p, &w->bad->dup_point, w->bad->dup_why, text);
    break;
  }
  hw_result tot = {0};
  /* each layer's figures and name, for what the model says of its DRAM
   * accounting (hw_point_dram_note) */
  size_t nl = net->n_layers ? net->n_layers : 1;
  hw_result *per = malloc(nl * sizeof *per);
  const char **names = malloc(nl * sizeof *names);
  /* a layer runs as one of its network (hw_point_run_in) */
  const uint64_t *fresh = w->fresh[dig[s->workload_dim]];
  if (!per || !names) {
    free(per);
    free(names);
    hw_point_destroy(pt);
    gate_give(w->gate, held);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  /* a layer the model refuses at once is found before any runs, as
   * `emlsim systolic` finds it */
  for (size_t i = 0; i < net->n_layers && st == EM_OK; i++) {
    wl_layer l = layer_at(net, i, &bits);
    if ((st = hw_point_check_layer(pt, &l, d)) != EM_OK) sim_diag_locate(d, net->source);
  }
  if (st == EM_ERR_UNSUPPORTED) {
    /* a layer this point cannot run (the bit-serial array's accumulator
     * at 16:16) is a row without figures, as a point whose settings make
     * no design is, with the model's reason in the note after the sweep;
     * the other points run (it stopped the whole sweep) */
    free(per);
    free(names);
    hw_point_destroy(pt);
    gate_give(w->gate, held);
    r->ok = 0;
    char line[32] = "", text[EM_DIAG_MSG_MAX];
    if (d->line) snprintf(line, sizeof line, ":%llu", (unsigned long long)d->line);
    snprintf(text, sizeof text, "model %s refuses %.200s%s: %.700s", m->name, d->path, line,
             d->msg);
    keep_lowest(w->bad, p, &w->bad->point, w->bad->why, text);
    em_diag_clear(d);
    return EM_OK;
  }
  {
    /* layers that take minutes together, none alone, as the model puts it:
     * once a sweep, as a slow layer is */
    char note[512];
    if (st == EM_OK && !bits.bits_given && hw_point_network_note(pt, net, note, sizeof note))
      say_slow(w->bad, net->source, note);
  }
  for (size_t i = 0; i < net->n_layers && st == EM_OK; i++) {
    wl_layer l = layer_at(net, i, &bits);
    /* a layer whose run takes minutes says so first, as the model puts it
     * (`emlsim systolic` does): once a sweep, at the first point that has one */
    char note[512];
    if (hw_point_layer_note(pt, &l, note, sizeof note)) say_slow(w->bad, net->source, note);
    hw_result x;
    st = hw_point_run_in(pt, &l, fresh[i], &x, NULL, d);
    /* a layer's problem is located in the file the layer came from, at
     * its line (hw_point_run), as the per-model commands say it; not in
     * the SPEC with the layer's line */
    if (st != EM_OK) sim_diag_locate(d, net->source);
    if (st == EM_OK) st = hw_result_add(&tot, &x, d);
    per[i] = x;
    names[i] = net->layers[i].name;
  }
  char acct[EM_DIAG_MSG_MAX];
  if (st == EM_OK && hw_point_dram_note(pt, names, per, net->n_layers, acct, sizeof acct)) {
    r->acct = 1;
    keep_lowest(w->bad, p, &w->bad->acct_point, w->bad->acct_why, acct);
  }
  free(per);
  free(names);
  double f = hw_point_freq_mhz(pt);
  hw_point_destroy(pt);
  gate_give(w->gate, held);
  if (st != EM_OK) return st;
  r->cycles = tot.cycles;
  r->latency_us = f > 0 ? (double)tot.cycles / f : 0;
  r->energy_pj = tot.energy_total_pj;
  r->area_mm2 = tot.area_mm2;
  r->ok = 1;
  return EM_OK;
}

/* One of this rank's points, on the thread pool. */
static em_status eval_item(void *ctx, size_t i, unsigned w, em_diag *d) {
  const work_t *x = ctx;
  uint64_t p = x->mine[i];
  em_status st = eval(x, p, &x->res[p], d);
  if (st == EM_OK && x->eta) eta_tick(x->eta);
  return st;
}

/* The progress bar on a terminal, while the pool works. */
typedef struct {
  volatile uint64_t done;
  volatile int stop;
  uint64_t mine, np, jobs;
  pthread_mutex_t mu;
  struct timespec t0;
} progress_t;

static void *progress(void *arg) {
  progress_t *g = arg;
  for (;;) {
    pthread_mutex_lock(&g->mu);
    uint64_t k = g->done;
    int stop = g->stop;
    pthread_mutex_unlock(&g->mu);
    int pctv = g->mine ? (int)(100 * k / g->mine) : 100;
    if (pctv > 100) pctv = 100;
    char left[48] = ""; /* the line within 79 columns, up to 999.9 h */
    if (k && k < g->mine) { /* the time the rest takes at the rate so far */
      char t[32];
      eta_text(eta_left(since(&g->t0), k, g->mine, g->jobs), t, sizeof t);
      snprintf(left, sizeof left, ", %s left", t);
    }
    fprintf(stderr, "\r[%-40.*s] %3d%% of %llu points%-14s", pctv * 40 / 100,
            "########################################", pctv, (unsigned long long)g->np,
            left);
    if (stop) break;
    nanosleep(&(struct timespec){0, 200000000L}, NULL);
  }
  fprintf(stderr, "\r%79s\r", "");
  return NULL;
}

/* The SPEC's dimension of its model's method key (hw_model.method: the
 * systolic array's 'mode'), or SIZE_MAX where it sweeps none. */
static size_t method_dim(const spec_t *s) {
  const char *meth = hw_model_find(s->arch)->method;
  for (size_t i = 0; meth && i < s->ndim; i++)
    if (strcmp(s->dim[i].key, meth) == 0) return i;
  return SIZE_MAX;
}

/* A point's flag on a front: off it, on it, or outside the comparison
 * (UNRANKED: an empty cell, null in the JSON). */
enum { OFF_FRONT = 0, ON_FRONT = 1, UNRANKED = 2 };

/* Pareto front of latency and energy (k = 2), or of latency, energy and
 * area (k = 3), per workload and per value of the model's method key
 * (cm_pareto.h): mode = closed and mode = simulate are two estimates of
 * the same designs, not rival designs (the closed form's CALC energy put
 * each design's simulated row off the front).  front[p] gets OFF_FRONT or
 * ON_FRONT, or UNRANKED where the point has nothing to rank: no figures,
 * the design of another point (res.dup: that point stands for it, so one
 * design is ranked once), or for k = 3 an unknown area (a GPU file's, a
 * preset's whose SM count is changed: as 0 mm^2 it beat every known area
 * and put the same GPU's preset off the front); the others are ranked among
 * themselves, the unranked dominating none of them.  Without a clock
 * (analytic) every latency is 0: the front is of energy alone. */
/* Points whose figures are another's to the last bit, on the same workload
 * (and value of the method key): a setting that changes nothing there
 * though its key has no applies condition to say so ('pack' at 8 bits,
 * where nothing is narrower than a word, made two rows of one design, both
 * on the fronts).  Each such point but the lowest is marked dup, and the
 * first one's why kept for the note.  Sorted by figures: O(n log n). */
typedef struct {
  const result_t *res;
  uint64_t inner, minner;
  size_t nw, nm;
} same_ctx;
static const same_ctx *same_cx; /* qsort's context (rank 0, one thread) */

/* Points a and b by workload, method value, then figures: 0 where they
 * are one design's rows. */
static int same_key(const same_ctx *c, uint64_t a, uint64_t b) {
  const result_t *x = &c->res[a], *y = &c->res[b];
  uint64_t ka[3] = {(a / c->inner) % c->nw, c->nm > 1 ? (a / c->minner) % c->nm : 0, x->cycles},
           kb[3] = {(b / c->inner) % c->nw, c->nm > 1 ? (b / c->minner) % c->nm : 0, y->cycles};
  for (int i = 0; i < 3; i++)
    if (ka[i] != kb[i]) return ka[i] < kb[i] ? -1 : 1;
  double da[3] = {x->latency_us, x->energy_pj, x->area_mm2},
         db[3] = {y->latency_us, y->energy_pj, y->area_mm2};
  for (int i = 0; i < 3; i++)
    if (da[i] != db[i]) return da[i] < db[i] ? -1 : 1;
  return 0;
}

static int same_cmp(const void *pa, const void *pb) {
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  int k = same_key(same_cx, a, b);
  return k ? k : (a > b) - (a < b);
}

static int mark_same_figures(const spec_t *s, result_t *res, uint64_t np, uint64_t *first,
                             char *why, size_t size) {
  size_t wd = (size_t)s->workload_dim, md = method_dim(s);
  same_ctx c = {res, 1, 1, s->dim[wd].n, md == SIZE_MAX ? 1 : s->dim[md].n};
  for (size_t i = wd + 1; i < s->ndim; i++) c.inner *= s->dim[i].n;
  for (size_t i = md + 1; md != SIZE_MAX && i < s->ndim; i++) c.minner *= s->dim[i].n;
  uint64_t *ix = malloc((np ? np : 1) * sizeof *ix), n = 0;
  if (!ix) return -1;
  for (uint64_t p = 0; p < np; p++)
    if (res[p].ok && !res[p].dup) ix[n++] = p;
  same_cx = &c;
  qsort(ix, n, sizeof *ix, same_cmp);
  /* sorted by workload, method, figures, then index: a run of equal keys
   * starts at its lowest point, which stands for the rest */
  for (uint64_t i = 1, run = n ? ix[0] : 0; i < n; i++) {
    uint64_t b = ix[i];
    if (same_key(&c, ix[i - 1], b) != 0) {
      run = b;
      continue;
    }
    res[b].dup = 1;
    if (b < *first) {
      *first = b;
      snprintf(why, size, "its cycles, latency, energy and area are point %llu's to the last "
               "digit: a setting there changes nothing for this workload",
               (unsigned long long)run);
    }
  }
  free(ix);
  return 0;
}

static int front_of(const spec_t *s, const result_t *res, uint64_t np, size_t k,
                    uint8_t *front) {
  size_t wd = (size_t)s->workload_dim, nw = s->dim[wd].n;
  uint64_t inner = 1;
  for (size_t i = wd + 1; i < s->ndim; i++) inner *= s->dim[i].n;
  size_t md = method_dim(s), nm = md == SIZE_MAX ? 1 : s->dim[md].n;
  uint64_t minner = 1;
  for (size_t i = md + 1; md != SIZE_MAX && i < s->ndim; i++) minner *= s->dim[i].n;
  double *v = malloc(k * (np ? np : 1) * sizeof *v);
  uint8_t *skip = malloc(np ? np : 1);
  int rc = v && skip ? 0 : -1;
  for (uint64_t p = 0; p < np; p++) front[p] = UNRANKED; /* each group sets its own */
  for (size_t g = 0; g < nw * nm && rc == 0; g++) {
    size_t wv = g / nm, mv = g % nm;
    for (uint64_t p = 0; p < np; p++) {
      v[k * p] = res[p].latency_us;
      v[k * p + 1] = res[p].energy_pj;
      if (k == 3) v[k * p + 2] = res[p].area_mm2;
      skip[p] = (p / inner) % nw != wv || (nm > 1 && (p / minner) % nm != mv) || !res[p].ok ||
                res[p].dup || (k == 3 && !(res[p].area_mm2 > 0));
    }
    uint8_t *f = malloc(np ? np : 1);
    if (!f || cm_pareto_front(v, np, k, skip, f) != 0) rc = -1;
    for (uint64_t p = 0; p < np && rc == 0; p++)
      if (!skip[p]) front[p] = f[p];
    free(f);
  }
  free(v);
  free(skip);
  return rc;
}

/* The workload value (its index in the SPEC's 'workload') of point p. */
static size_t point_workload(const spec_t *s, uint64_t p) {
  size_t wd = (size_t)s->workload_dim;
  uint64_t inner = 1;
  for (size_t i = wd + 1; i < s->ndim; i++) inner *= s->dim[i].n;
  return (size_t)((p / inner) % s->dim[wd].n);
}

/* Inferences per second per mm^2 of point p: a run of its workload is
 * batch[w] inferences (wl_network.inferences); 0 where it has no latency, no
 * area, or layers of different batches. */
static double perf_per_mm2(const spec_t *s, const uint64_t *batch, const result_t *res,
                           uint64_t p) {
  const result_t *r = &res[p];
  double inf = (double)batch[point_workload(s, p)];
  return r->latency_us > 0 && r->area_mm2 > 0 ? inf * 1e6 / r->latency_us / r->area_mm2 : 0;
}

/* The SPEC's model has a clock: its cycles, latency and EDP are figures
 * (the analytic model has none; its rows leave them empty). */
static bool clocked(const spec_t *s) { return hw_model_find(s->arch)->freq_mhz != NULL; }

static void write_rows(FILE *f, const spec_t *s, const result_t *res, const uint64_t *batch,
                       const uint8_t *front, const uint8_t *front3, uint64_t np,
                       int only_front) {
  fputs("point", f);
  for (size_t i = 0; i < s->ndim; i++) {
    fputc(',', f);
    rpt_csv_field(f, s->dim[i].key);
  }
  fputs(",cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,area_mm2,inf_per_s_per_mm2\n", f);
  for (uint64_t p = 0; p < np; p++) {
    if (only_front && front[p] != ON_FRONT) continue;
    fprintf(f, "%llu", (unsigned long long)p);
    uint64_t q = p;
    size_t dig[MAX_DIMS] = {0};
    for (size_t i = s->ndim; i-- > 0;) {
      dig[i] = (size_t)(q % s->dim[i].n);
      q /= s->dim[i].n;
    }
    for (size_t i = 0; i < s->ndim; i++) { /* values from the spec: quoted where CSV needs */
      fputc(',', f);
      rpt_csv_field(f, s->dim[i].val[dig[i]]);
    }
    /* six decimals, as the JSON's columns (rpt_format_f64: a tiny nonzero
     * figure in significant digits, not 0.000000) */
    char e6[40], l6[40], x6[40], a6[40] = "", q6[40] = "";
    rpt_format_f64(e6, sizeof e6, res[p].energy_pj * 1e-6, 6);
    rpt_format_f64(l6, sizeof l6, res[p].latency_us, 6);
    rpt_format_f64(x6, sizeof x6, res[p].energy_pj * 1e-6 * res[p].latency_us, 6);
    if (res[p].area_mm2 > 0) rpt_format_f64(a6, sizeof a6, res[p].area_mm2, 6);
    double ppa = perf_per_mm2(s, batch, res, p);
    if (ppa > 0) rpt_format_f64(q6, sizeof q6, ppa, 6);
    /* a flag where the point is ranked (front_of), an empty cell where not */
    char f2[2] = "", f3[2] = "";
    if (front[p] != UNRANKED) f2[0] = front[p] == ON_FRONT ? '1' : '0';
    if (front3[p] != UNRANKED) f3[0] = front3[p] == ON_FRONT ? '1' : '0';
    if (res[p].ok && !clocked(s)) { /* energy alone: no clock, no time */
      fprintf(f, ",,,%s,,%s,%s,%s,\n", e6, f2, f3, a6);
    } else if (res[p].ok) {
      fprintf(f, ",%llu,%s,%s,%s,%s,%s,%s,%s\n", (unsigned long long)res[p].cycles, l6, e6, x6,
              f2, f3, a6, q6);
    } else {
      fputs(",,,,,,,,\n", f); /* no figures: nothing to rank */
    }
  }
}

/* The rows as a table, for the JSON beside the CSV (rpt_table's schema):
 * the same columns, numbers where the CSV has them, null where it has none. */
/* The host memory the grid's JSON holds as it is built: the rows' table,
 * then cJSON's tree and its text, all at once (measured: 189 MB for 65,536
 * points of 14 short cells, 2.9 kB a point): 200 bytes a cell, and each
 * value's characters three times (the table, the tree, the text). */
static uint64_t json_bytes(const spec_t *s, uint64_t np) {
  double per = 200.0 * (double)(1 + s->ndim + 8) + 64.0;
  for (size_t i = 0; i < s->ndim; i++) {
    double len = 0;
    for (size_t j = 0; j < s->dim[i].n; j++) len += (double)strlen(s->dim[i].val[j]);
    per += 3.0 * len / (double)(s->dim[i].n ? s->dim[i].n : 1);
  }
  double b = per * (double)np;
  return b < 1.8e19 ? (uint64_t)b : UINT64_MAX;
}

static rpt_table *rows_table(const spec_t *s, const result_t *res, const uint64_t *batch,
                             const uint8_t *front,
                             const uint8_t *front3, uint64_t np) {
  rpt_column cols[MAX_DIMS + 10];
  size_t nc = 0;
  cols[nc++] = (rpt_column){"point", RPT_U64, 0};
  for (size_t i = 0; i < s->ndim; i++) cols[nc++] = (rpt_column){s->dim[i].key, RPT_STR, 0};
  static const rpt_column fig[] = {
      {"cycles", RPT_U64, 0},      {"latency_us", RPT_F64, 6}, {"energy_uj", RPT_F64, 6},
      {"edp_uj_us", RPT_F64, 6},   {"pareto", RPT_U64, 0},     {"pareto3", RPT_U64, 0},
      {"area_mm2", RPT_F64, 6},    {"inf_per_s_per_mm2", RPT_F64, 6}};
  for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++) cols[nc++] = fig[i];
  rpt_table *t = rpt_table_create("emlsim sweep", cols, nc);
  for (uint64_t p = 0; t && p < np; p++) {
    if (rpt_table_add_row(t) == (size_t)-1) {
      rpt_table_destroy(t);
      return NULL;
    }
    size_t c = 0, dig[MAX_DIMS] = {0};
    uint64_t q = p;
    for (size_t i = s->ndim; i-- > 0;) {
      dig[i] = (size_t)(q % s->dim[i].n);
      q /= s->dim[i].n;
    }
    rpt_table_set_u64(t, c++, p);
    for (size_t i = 0; i < s->ndim; i++) rpt_table_set_str(t, c++, s->dim[i].val[dig[i]]);
    const result_t *r = &res[p];
    if (r->ok && clocked(s)) {
      rpt_table_set_u64(t, c, r->cycles);
      rpt_table_set_f64(t, c + 1, r->latency_us);
      rpt_table_set_f64(t, c + 3, r->energy_pj * 1e-6 * r->latency_us);
    }
    if (r->ok) rpt_table_set_f64(t, c + 2, r->energy_pj * 1e-6);
    if (front[p] != UNRANKED) rpt_table_set_u64(t, c + 4, front[p] == ON_FRONT);
    if (front3[p] != UNRANKED) rpt_table_set_u64(t, c + 5, front3[p] == ON_FRONT);
    if (r->ok && r->area_mm2 > 0) rpt_table_set_f64(t, c + 6, r->area_mm2);
    double ppa = perf_per_mm2(s, batch, res, p);
    if (r->ok && ppa > 0) rpt_table_set_f64(t, c + 7, ppa);
  }
  return t;
}

/* ---- --heatmap ---- */

/* The SPEC's 'rows' and 'cols' dimensions (dim[0], dim[1]), which a heat
 * map needs. */
static em_status heat_dims(const spec_t *s, const char *path, size_t dim[2], em_diag *d) {
  static const char *const keys[2] = {"rows", "cols"};
  if (hw_key_find(hw_model_find(s->arch), keys[0]) < 0)
    return em_diag_set(d, EM_ERR_PARSE, path, s->arch_line, 1,
                       "'--heatmap' draws a systolic SPEC's 'rows' x 'cols', and this SPEC's "
                       "arch, %s, has no 'rows'",
                       s->arch);
  for (int k = 0; k < 2; k++) {
    size_t i = 0;
    while (i < s->ndim && strcmp(s->dim[i].key, keys[k]) != 0) i++;
    if (i == s->ndim)
      return em_diag_set(d, EM_ERR_PARSE, path, s->arch_line, 1,
                         "'--heatmap' needs the keys 'rows' and 'cols' in the SPEC (arch "
                         "systolic), and it has no '%s'",
                         keys[k]);
    dim[k] = i;
  }
  return EM_OK;
}

/* Draws the heat map into png: cell (rows value, cols value) is the lowest
 * EDP per mm^2, EDP x area (uJ x us x mm^2: the issue's "EDP per mm^2" read
 * as area-normalized cost, lower is better; EDP / area would reward the
 * largest array), of the points with those values over every other key; a
 * point's figure is its geometric mean over the workloads (a point that
 * fails or has no clock or no area on one of them has none), so that with
 * one workload it is that workload's. */
static em_status heat_plot(const spec_t *s, const char *path, const result_t *res, uint64_t np,
                           const size_t hd[2], const char *png, em_diag *d) {
  size_t nr = s->dim[hd[0]].n, nc = s->dim[hd[1]].n, wd = (size_t)s->workload_dim;
  size_t nw = s->dim[wd].n;
  double *v = malloc(nr * nc * sizeof *v);
  if (!v) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < nr * nc; i++) v[i] = NAN;
  uint64_t wstride = 1; /* the distance between two workloads' points */
  for (size_t i = wd + 1; i < s->ndim; i++) wstride *= s->dim[i].n;
  for (uint64_t p = 0; p < np; p++) {
    size_t dig[MAX_DIMS] = {0};
    uint64_t q = p;
    for (size_t i = s->ndim; i-- > 0;) {
      dig[i] = (size_t)(q % s->dim[i].n);
      q /= s->dim[i].n;
    }
    if (dig[wd] != 0) continue; /* each point once, with its first workload */
    double logsum = 0, edp = 0;
    size_t w = 0;
    for (; w < nw; w++) {
      const result_t *r = &res[p + w * wstride];
      edp = r->energy_pj * 1e-6 * r->latency_us * r->area_mm2;
      if (!r->ok || !(edp > 0) || !isfinite(edp)) break;
      logsum += log(edp);
    }
    if (w < nw) continue;
    if (nw > 1) edp = exp(logsum / (double)nw);
    double *c = &v[dig[hd[0]] * nc + dig[hd[1]]];
    if (isnan(*c) || edp < *c) *c = edp;
  }
  /* a map whose every cell is n/a says nothing, and its colour scale (from
   * -10 to 10, gnuplot's with no values) misleads: refused, and with it
   * every output, as when gnuplot fails */
  size_t shown = 0;
  for (size_t i = 0; i < nr * nc; i++) shown += !isnan(v[i]);
  if (!shown) {
    free(v);
    if (nw > 1)
      return em_diag_set(d, EM_ERR_INVALID, path, 0, 0,
                         "'--heatmap' has nothing to draw: no design has latency, energy and "
                         "area on each of the %zu workloads, so every cell would be n/a", nw);
    return em_diag_set(d, EM_ERR_INVALID, path, 0, 0,
                       "'--heatmap' has nothing to draw: none of the %llu design points has "
                       "latency, energy and area, so every cell would be n/a",
                       (unsigned long long)np);
  }
  char title[600], cb[200], what[300];
  const char *base = strrchr(path, '/');
  if (nw == 1)
    snprintf(what, sizeof what, "on %s", s->dim[wd].val[0]);
  else
    snprintf(what, sizeof what, "over %zu workloads", nw);
  snprintf(title, sizeof title, "%s: energy-delay-area product (EDP x mm^2) by array shape, %s %s",
           base ? base + 1 : path, s->arch, what);
  snprintf(cb, sizeof cb, "%s (uJ x us x mm^2), each cell the best over the other keys",
           nw == 1 ? "EDP x area" : "geometric mean EDP x area over the workloads");
  plt_grid g = {title, "cols (PE columns)", "rows (PE rows)", cb,
                (const char *const *)s->dim[hd[1]].val, nc,
                (const char *const *)s->dim[hd[0]].val, nr, v};
  em_status st = plt_heatmap_png(png, &g, d);
  free(v);
  return st;
}

#ifdef EMLSIM_HAVE_MPI
/* The lowest point and its reason rank r sent under tags tag and tag + 1
 * (a point without a design, or one repeating another's), kept in *point
 * and why (EM_DIAG_MSG_MAX bytes) where lower than what is there. */
static void recv_lowest(uint64_t r, int tag, uint64_t *point, char *why) {
  uint64_t bp;
  char w[EM_DIAG_MSG_MAX];
  MPI_Recv(&bp, 1, MPI_UINT64_T, (int)r, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Recv(w, (int)sizeof w, MPI_CHAR, (int)r, tag + 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (bp < *point) {
    *point = bp;
    w[sizeof w - 1] = '\0';
    memcpy(why, w, sizeof w);
  }
}
#endif

static int cmd_sweep(int argc, char **argv) {
  static const struct option lo[] = {{"jobs", required_argument, NULL, 'j'},
                                     {"output", required_argument, NULL, 'o'},
                                     {"pareto", required_argument, NULL, 'p'},
                                     {"heatmap", required_argument, NULL, 'H'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, SIM_OPT_VERSION},
                                     {NULL, 0, NULL, 0}};
  const char *out = NULL, *pareto = NULL, *heatmap = NULL;
  unsigned jobs = 1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (c) {
    case 'j':
      if (sim_parse_jobs("sweep", optarg, &jobs)) return SIM_EXIT_USAGE;
      break;
    case 'o':
      if (sim_check_output("sweep", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      out = optarg;
      break;
    case 'p':
      if (sim_check_output("sweep", "--pareto", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      pareto = optarg;
      break;
    case 'H':
      if (sim_check_output("sweep", "--heatmap", optarg, "a file", "a PNG")) return SIM_EXIT_USAGE;
      heatmap = optarg;
      break;
    case 'q': sim_quiet_set(1); break;
    case 'h': sim_print_usage(&sim_cmd_sweep, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("sweep", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("sweep", argv[optind - 1], lo);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error("sweep", optind == argc ? "missing SPEC" : "expected one SPEC");
  /* two CSV tables asked for on standard output, one after the other: the
   * command line's mistake, whether '-o -' is given or is the default */
  if (pareto && strcmp(pareto, "-") == 0 && (!out || strcmp(out, "-") == 0))
    return sim_usage_error("sweep", "'%s' and '--pareto' both write to standard output",
                           out ? "-o" : "the grid (no -o)");
  const char *path = argv[optind];
  if (!path[0]) { /* as sim_io_check says it of an option's input */
    em_diag e;
    em_diag_set(&e, EM_ERR_INVALID, NULL, 0, 0, "'SPEC' names no file (an empty path)");
    return sim_fail(&e);
  }
  char json[4400] = ""; /* -o FILE.csv: FILE.json beside it */
  size_t ol = out ? strlen(out) : 0;
  if (ol > 4 && ol < sizeof json && strcmp(out + ol - 4, ".csv") == 0)
    snprintf(json, sizeof json, "%.*s.json", (int)(ol - 4), out);

  long note_s; /* the long sweep's note from this many seconds left */
  {
    em_diag ed;
    em_diag_clear(&ed);
    if (eta_note_s(&note_s, &ed) != EM_OK) return sim_fail(&ed);
  }
  uint64_t rank = 0, nranks = 1;
#ifdef EMLSIM_HAVE_MPI
  /* under mpirun (Open MPI or MPICH set these), the ranks share the points */
  int mpi = getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
  if (mpi) {
    int r, n;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    rank = (uint64_t)r;
    nranks = (uint64_t)n;
  }
#endif

  em_diag d;
  em_diag_clear(&d);
  spec_t s;
  int rc = SIM_EXIT_ERROR;
  cm_energy_table *et = NULL;
  wl_network *nets[MAX_VALS] = {NULL};
  uint64_t *fresh[MAX_VALS] = {NULL};
  uint64_t batch[MAX_VALS] = {0}; /* inferences per run of each workload */
  result_t *res = NULL;
  uint8_t *front = NULL, *front3 = NULL;
  uint64_t np = 1;
  bool io_err = false; /* the options' paths refused: an error of the command line */
  em_status st = spec_read(path, &s, &d);
  size_t hdim[2] = {0, 0}; /* --heatmap: the rows and cols dimensions */
  if (st == EM_OK && heatmap) st = heat_dims(&s, path, hdim, &d);
  if (st == EM_OK && heatmap) st = sim_need_gnuplot(&d);
  if (st == EM_OK) st = cm_energy_table_default(&et, &d);
  for (size_t i = 0; st == EM_OK && i < s.ndim; i++) {
    if (!em_mul_u64(np, s.dim[i].n, &np) || np > MAX_POINTS)
      st = em_diag_set(&d, EM_ERR_LIMIT, path, s.dim[i].line, 1,
                       "more than %llu design points", MAX_POINTS);
  }
  for (size_t i = 0; st == EM_OK && i < s.dim[s.workload_dim].n; i++) {
    /* a relative workload file (a topology, an ONNX model) is found beside
     * the spec (spec_file) */
    const char *v = s.dim[s.workload_dim].val[i];
    const char *wpath = dim_arg(&s.dim[s.workload_dim], i);
    sim_bits none = {0};
    st = named_file_check(wpath, v, path, s.dim[s.workload_dim].line,
                          s.dim[s.workload_dim].col[i], &d);
    if (st == EM_OK)
      st = sim_workload_load(wpath, &none, hw_model_find(s.arch)->default_prec, &nets[i], &d);
    if (st == EM_OK) batch[i] = nets[i]->inferences;
    if (st == EM_OK) { /* once a workload, not once a point: it depends on the layers alone */
      fresh[i] = malloc((nets[i]->n_layers ? nets[i]->n_layers : 1) * sizeof *fresh[i]);
      st = fresh[i] ? cm_network_fresh_inputs(nets[i], fresh[i], &d)
                    : em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (st == EM_OK) {
      /* the workloads' layers are held together through the whole sweep:
       * within the host memory budget (8 topologies of 10^6 layers held
       * 2.1 GB whatever EMLSIM_HOST_MEMORY said) */
      uint64_t held = 0;
      for (size_t j = 0; j <= i; j++) held += (uint64_t)nets[j]->cap * sizeof(wl_layer);
      if (held > em_host_budget()) {
        char hb[32], bb[32];
        em_bytes_text(held, hb, sizeof hb);
        em_bytes_text(em_host_budget(), bb, sizeof bb);
        st = em_diag_set(&d, EM_ERR_LIMIT, path, s.dim[s.workload_dim].line,
                         s.dim[s.workload_dim].col[i],
                         "workload '%s': the layers of the %zu workload%s up to it hold about %s "
                         "of host memory, more than the %s a run may hold (EMLSIM_HOST_MEMORY)",
                         v, i + 1, i ? "s" : "", hb, bb);
      }
    }
    if (st != EM_OK && d.line == 0) { /* not found or unreadable: the SPEC's value */
      char msg[EM_DIAG_MSG_MAX];
      em_diag_format(&d, msg, sizeof msg);
      char *m = strstr(msg, "error: ");
      const char *why = m ? m + 7 : msg;
      int wl = (int)strcspn(why, "\n"); /* its first line */
      if (strcmp(wpath, v) != 0) /* say where it was looked for */
        st = em_diag_set(&d, st, path, s.dim[s.workload_dim].line, s.dim[s.workload_dim].col[i],
                         "workload '%s': %.*s (looked for '%s', beside the spec)", v, wl, why,
                         wpath);
      else
        st = em_diag_set(&d, st, path, s.dim[s.workload_dim].line, s.dim[s.workload_dim].col[i],
                         "workload '%s': %.*s", v, wl, why);
    }
  }
  /* -o, --pareto, --heatmap and the JSON: regular files, not the same one,
   * and none of them the SPEC nor a file it names, a workload's or a GPU's
   * (checked one named file at a time: a SPEC may name more than an
   * em_iocheck holds) */
  size_t gd = 0; /* the 'gpu' dimension, if any */
  while (gd < s.ndim && strcmp(s.dim[gd].key, "gpu") != 0) gd++;
  size_t nwl = st == EM_OK ? s.dim[s.workload_dim].n : 0, ngpu = gd < s.ndim ? s.dim[gd].n : 0;
  for (size_t i = 0; st == EM_OK && (i == 0 || i < nwl + ngpu); i++) {
    em_iocheck io;
    const char *src = NULL, *gpu = NULL;
    if (i < nwl)
      src = nets[i] && strncmp(nets[i]->source, "builtin:", 8) ? nets[i]->source : NULL;
    else if (i - nwl < ngpu)
      gpu = s.dim[gd].file[i - nwl];
    const em_ioarg io_args[] = {{EM_IO_INPUT, "SPEC", path},
                                {EM_IO_INPUT, "<workload>", src},
                                {EM_IO_INPUT, "gpu", gpu},
                                {EM_IO_OUT_FILE, out ? "-o" : "the grid (no -o)",
                                 out ? out : "-"},
                                {EM_IO_OUT_FILE, "--pareto", pareto},
                                {EM_IO_OUT_FILE, "--heatmap", heatmap},
                                {EM_IO_OUT_FILE, "the JSON beside -o", json[0] ? json : NULL}};
    st = sim_io_check(&io, io_args, SIM_IO_N(io_args), &d);
    io_err = st != EM_OK;
  }
  /* the grid, the front, the heat map and the grid's JSON beside a .csv:
   * their temporaries made before the points run (beside each target, on
   * the rank that writes them), so that an output that cannot be written
   * (a folder of /proc, one not writable) fails at once rather than after
   * every point; all are written at the end, then all renamed, and any
   * failure aborts them */
  em_outfile *f[4] = {NULL, NULL, NULL, NULL};
  if (st == EM_OK && rank == 0) {
    st = em_outfile_open(out ? out : "-", &f[0], &d);
    if (st == EM_OK && pareto) st = em_outfile_open(pareto, &f[1], &d);
    if (st == EM_OK && heatmap) st = em_outfile_open_tmp(heatmap, &f[2], &d);
    if (st == EM_OK && json[0]) st = em_outfile_open(json, &f[3], &d);
    io_err = st != EM_OK;
  }
  /* the JSON beside the grid is built whole before it is written: a sweep
   * whose JSON would pass the host memory budget is refused before its
   * points run (2^20 points took 2.9 GB whatever EMLSIM_HOST_MEMORY said) */
  if (st == EM_OK && rank == 0 && json[0]) {
    uint64_t need = json_bytes(&s, np);
    if (need > em_host_budget()) {
      char nb[32], bb[32];
      em_bytes_text(need, nb, sizeof nb);
      em_bytes_text(em_host_budget(), bb, sizeof bb);
      st = em_diag_set(&d, EM_ERR_LIMIT, path, 0, 0,
                       "the JSON beside -o of its %llu design points holds about %s of host "
                       "memory as it is built, more than the %s a run may hold "
                       "(EMLSIM_HOST_MEMORY); -o FILE without .csv writes the CSV alone, "
                       "row by row", (unsigned long long)np, nb, bb);
    }
  }
  if (st == EM_OK) {
    res = calloc(np, sizeof *res);
    front = calloc(np, 1);
    front3 = calloc(np, 1);
    if (!res || !front || !front3) st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  no_design_t bad = {PTHREAD_MUTEX_INITIALIZER, UINT64_MAX, "", 0, UINT64_MAX, "", UINT64_MAX, ""};
  struct timespec t0, t1; /* the design points' wall time, for points/s */
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (st == EM_OK) {
    /* this rank's points (every point when not under MPI): blocks of --jobs
     * points dealt round the ranks, the rule the gather below undoes */
    uint64_t nmine = 0;
    uint64_t *mine = malloc((np ? np : 1) * sizeof *mine);
    if (!mine) st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (uint64_t p = 0; mine && p < np; p++)
      if ((p / jobs) % nranks == rank) mine[nmine++] = p;
    mem_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, em_host_budget(),
                     jobs > 1 && nmine > 1};
    progress_t g = {0, 0, nmine, np, jobs, PTHREAD_MUTEX_INITIALIZER, t0};
    pthread_t bar;
    bool tty = isatty(2) && rank == 0 && sim_chat() &&
               pthread_create(&bar, NULL, progress, &g) == 0;
    eta_t eta = {PTHREAD_MUTEX_INITIALIZER, t0, 0, nmine, np, jobs, note_s, 0, tty};
    work_t w = {&s, nets, fresh, et, res, mine, &bad, &gate, rank == 0 ? &eta : NULL};
    if (st == EM_OK)
      st = em_pool_run((unsigned)jobs, nmine, eval_item, &w, tty ? &g.done : NULL, &d);
    if (tty) {
      pthread_mutex_lock(&g.mu);
      g.stop = 1;
      pthread_mutex_unlock(&g.mu);
      pthread_join(bar, NULL);
    }
    free(mine);
  }
#ifdef EMLSIM_HAVE_MPI
  if (nranks > 1) {
    /* rank 0 gathers the others' points (each rank computed p = rank (mod n)
     * in its own copy of res) */
    int ok = st == EM_OK, all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (all) {
      double *buf = malloc(6 * ((np + nranks - 1) / nranks + 1) * sizeof *buf);
      if (!buf) MPI_Abort(MPI_COMM_WORLD, 1);
      for (uint64_t r = 1; r < nranks; r++) {
        uint64_t k = 0;
        if (rank == r) {
          for (uint64_t p = r * jobs; p < np; p++)
            if ((p / jobs) % nranks == r) {
              buf[6 * k] = (double)res[p].cycles;
              buf[6 * k + 1] = res[p].ok ? res[p].latency_us : -1;
              buf[6 * k + 2] = res[p].energy_pj;
              buf[6 * k + 3] = res[p].area_mm2;
              buf[6 * k + 4] = res[p].dup;
              buf[6 * k + 5] = res[p].acct;
              k++;
            }
          MPI_Send(buf, (int)(6 * k), MPI_DOUBLE, 0, 7, MPI_COMM_WORLD);
          /* and its lowest point without a design, with the reason */
          MPI_Send(&bad.point, 1, MPI_UINT64_T, 0, 8, MPI_COMM_WORLD);
          MPI_Send(bad.why, (int)sizeof bad.why, MPI_CHAR, 0, 9, MPI_COMM_WORLD);
          MPI_Send(&bad.dup_point, 1, MPI_UINT64_T, 0, 10, MPI_COMM_WORLD);
          MPI_Send(bad.dup_why, (int)sizeof bad.dup_why, MPI_CHAR, 0, 11, MPI_COMM_WORLD);
          MPI_Send(&bad.acct_point, 1, MPI_UINT64_T, 0, 12, MPI_COMM_WORLD);
          MPI_Send(bad.acct_why, (int)sizeof bad.acct_why, MPI_CHAR, 0, 13, MPI_COMM_WORLD);
        } else if (rank == 0) {
          MPI_Status ms;
          int cnt;
          MPI_Probe((int)r, 7, MPI_COMM_WORLD, &ms);
          MPI_Get_count(&ms, MPI_DOUBLE, &cnt);
          MPI_Recv(buf, cnt, MPI_DOUBLE, (int)r, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          for (uint64_t p = r * jobs; p < np; p++)
            if ((p / jobs) % nranks == r) {
              res[p].cycles = (uint64_t)buf[6 * k];
              res[p].ok = buf[6 * k + 1] >= 0;
              res[p].latency_us = res[p].ok ? buf[6 * k + 1] : 0;
              res[p].energy_pj = buf[6 * k + 2];
              res[p].area_mm2 = buf[6 * k + 3];
              res[p].dup = buf[6 * k + 4] != 0;
              res[p].acct = buf[6 * k + 5] != 0;
              k++;
            }
          recv_lowest(r, 8, &bad.point, bad.why);
          recv_lowest(r, 10, &bad.dup_point, bad.dup_why);
          recv_lowest(r, 12, &bad.acct_point, bad.acct_why);
        }
      }
      free(buf);
    } else if (st == EM_OK) {
      st = em_diag_set(&d, EM_ERR_IO, path, 0, 0, "another MPI rank failed");
    }
  }
#endif
  if (st == EM_OK && rank == 0 && sim_chat()) {
    /* the host's speed: on stderr, never in the CSV, whose bytes must not
     * depend on it */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    fprintf(stderr, "emlsim sweep: %llu design points in %.2f s: %.1f points/s (--jobs %llu",
            (unsigned long long)np, sec, sec > 0 ? (double)np / sec : 0.0,
            (unsigned long long)jobs);
    if (nranks > 1) fprintf(stderr, ", %llu MPI ranks", (unsigned long long)nranks);
    fputs(")\n", stderr);
  }
  if (st == EM_OK && rank == 0) {
    /* rows whose figures are another's (a setting that changes nothing
     * there, though no applies condition says so) repeat its design */
    if (mark_same_figures(&s, res, np, &bad.dup_point, bad.dup_why, sizeof bad.dup_why) != 0)
      st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* rows without figures are said, with the first one's reason (every
     * rank's lowest came with its figures) */
    uint64_t nbad = 0;
    for (uint64_t p = 0; p < np; p++) nbad += !res[p].ok;
    if (nbad) {
      fprintf(stderr, "emlsim sweep: note: %llu of %llu design points have no figures",
              (unsigned long long)nbad, (unsigned long long)np);
      if (bad.point != UINT64_MAX)
        fprintf(stderr, " (point %llu: %s)", (unsigned long long)bad.point, bad.why);
      fputs("\n", stderr);
    }
    uint64_t nacct = 0;
    for (uint64_t p = 0; p < np; p++) nacct += res[p].ok && res[p].acct;
    if (nacct)
      fprintf(stderr, "emlsim sweep: note: on %llu of %llu design points (point %llu the "
              "first), %s\n",
              (unsigned long long)nacct, (unsigned long long)np,
              (unsigned long long)bad.acct_point, bad.acct_why);
    size_t md = method_dim(&s);
    if (md != SIZE_MAX && s.dim[md].n > 1)
      fprintf(stderr, "emlsim sweep: note: the fronts (pareto, pareto3) are drawn within each "
              "'%s': its values are ways to estimate one design, not rival designs\n",
              s.dim[md].key);
    uint64_t ndup = 0;
    for (uint64_t p = 0; p < np; p++) ndup += res[p].ok && res[p].dup;
    if (ndup)
      fprintf(stderr, "emlsim sweep: note: %llu of %llu design points repeat another point's design "
              "and figures, and are left off the fronts, their pareto and pareto3 empty: the "
              "point they repeat is ranked for them (point %llu: %s)\n",
              (unsigned long long)ndup, (unsigned long long)np,
              (unsigned long long)bad.dup_point, bad.dup_why);
    /* points with figures whose area is not known: outside the 3-D front */
    uint64_t nna = 0, first_na = UINT64_MAX;
    for (uint64_t p = 0; p < np; p++)
      if (res[p].ok && !res[p].dup && !(res[p].area_mm2 > 0)) {
        nna++;
        if (first_na == UINT64_MAX) first_na = p;
      }
    if (nna)
      fprintf(stderr, "emlsim sweep: note: %llu of %llu design points (point %llu the first) "
              "have no known area, and so no place on the front of latency, energy and area: "
              "their pareto3 is empty\n",
              (unsigned long long)nna, (unsigned long long)np, (unsigned long long)first_na);
  }
  if (st == EM_OK && rank == 0) {
    if (front_of(&s, res, np, 2, front) != 0 || front_of(&s, res, np, 3, front3) != 0)
      st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* the outputs opened before the run: all written, then all renamed */
    rpt_table *jt = NULL;
    if (st == EM_OK && json[0] && !(jt = rows_table(&s, res, batch, front, front3, np)))
      st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == EM_OK && heatmap) {
      st = heat_plot(&s, path, res, np, hdim, em_outfile_tmp(f[2]), &d);
      if (st != EM_OK) em_outfile_explain(f[2], &d);
    }
    if (st == EM_OK) {
      write_rows(em_outfile_fp(f[0]), &s, res, batch, front, front3, np, 0);
      if (f[1]) write_rows(em_outfile_fp(f[1]), &s, res, batch, front, front3, np, 1);
      errno = 0;
      if (f[3] && rpt_table_write(jt, RPT_FMT_JSON, em_outfile_fp(f[3])) != EM_OK)
        st = em_diag_set(&d, EM_ERR_IO, json, 0, 0, "write error: %s",
                         em_errno_text(errno));
      if (st == EM_OK) {
        st = em_outfile_commit_all(f, 4, &d); /* frees every one */
        f[0] = f[1] = f[2] = f[3] = NULL;
      }
    }
    rpt_table_destroy(jt);
  }
  for (int i = 0; i < 4; i++) em_outfile_abort(f[i]);
  if (st == EM_OK) rc = SIM_EXIT_OK;
  else if (rank == 0) {
    /* a model's refusal of a point names no file: the spec's */
    if (!io_err) sim_diag_locate(&d, path);
    sim_fail(&d);
  }
  free(res);
  free(front);
  free(front3);
  for (size_t i = 0; i < MAX_VALS; i++) {
    wl_network_destroy(nets[i]);
    free(fresh[i]);
  }
  cm_energy_table_destroy(et);
  spec_free(&s);
#ifdef EMLSIM_HAVE_MPI
  if (nranks > 1 || getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK"))
    MPI_Finalize();
#endif
  return rc;
}
