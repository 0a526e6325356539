/*
 * cmd_sweep.c - `emlsim sweep SPEC`: the Cartesian product of architecture
 * parameters, bit widths and workloads, evaluated on threads (--jobs) or
 * across MPI ranks (mpirun -n N), one CSV whose bytes do not depend on how
 * it was run, with each workload's Pareto front (latency, energy) marked.
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
#include <time.h>
#include <unistd.h>

#ifdef EMLSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "bs_array.h"
#include "cm_cost.h"
#include "cm_energy.h"
#include "em_checked.h"
#include "em_input.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "sa_config.h"
#include "sa_model.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_workload.h"
#include "wl_load.h"
#include "xnor_array.h"

static int cmd_sweep(int argc, char **argv);

const sim_command sim_cmd_sweep = {
    "sweep", cmd_sweep, "a design-space sweep: every combination of a SPEC, one CSV",
    "usage: emlsim sweep SPEC [options]\n"
    "       mpirun -n N emlsim sweep SPEC [options]\n"
    "\n"
    "Evaluates the Cartesian product of the values in SPEC on every workload and\n"
    "writes one row per design point and workload: the values, cycles, latency,\n"
    "energy, energy-delay product, and whether the point is on the workload's\n"
    "Pareto front of latency and energy. The CSV is the same byte for byte for any\n"
    "--jobs and any number of MPI ranks.\n"
    "\n"
    "SPEC keys (comma-separated values; '#' comments):\n"
    "  arch        systolic, bitserial, xnor, analytic or simt (one)\n"
    "  workload    built-in networks or topology files (required; relative files\n"
    "              are found beside SPEC)\n"
    "  bits        W:A pairs, e.g. 8:8, 4:4, 1:1 (default 8:8)\n"
    "  systolic:   rows, cols, dataflow (os/ws/is), ifmap_kb, filter_kb, ofmap_kb,\n"
    "              bandwidth (words/cycle), mode (closed: closed-form cycles and\n"
    "              compulsory DRAM traffic, the default; simulate: the cycle model\n"
    "              with USER bandwidth stalls)\n"
    "  bitserial:  dm, dk, dn      xnor: pe, simd\n"
    "  simt:       gpu (presets or files), gpu.KEY for any GPU setting (emlsim simt\n"
    "              --gpu-help), e.g. gpu.n_sm = 8, 16; every layer is simulated\n"
    "\n"
    "  --jobs N            threads (default 1)\n"
    "  -o, --output FILE   the CSV (default: stdout)\n"
    "  --pareto FILE       also write the Pareto-front rows there\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

#define MAX_DIMS 16
#define MAX_VALS 256
/* Design points in one sweep (the product of the value counts, workloads
 * included): 2^20 = 1,048,576, a million closed-form or simulated runs. */
#define MAX_POINTS (1ull << 20)

typedef struct {
  char key[32];
  char *val[MAX_VALS];
  uint32_t col[MAX_VALS]; /* each value's column in the SPEC */
  size_t n;
  uint64_t line;
} dim_t;

typedef struct {
  char arch[16];
  uint64_t arch_line;
  dim_t dim[MAX_DIMS];
  size_t ndim;
  int workload_dim;
} spec_t;

static const char *const sys_keys[] = {"rows", "cols", "dataflow", "ifmap_kb", "filter_kb",
                                       "ofmap_kb", "bandwidth", "mode", NULL};
static const char *const bs_keys[] = {"dm", "dk", "dn", NULL};
static const char *const xn_keys[] = {"pe", "simd", NULL};

static int in_list(const char *k, const char *const *l) {
  for (; l && *l; l++)
    if (strcmp(k, *l) == 0) return 1;
  return 0;
}

static void spec_free(spec_t *s) {
  for (size_t i = 0; i < s->ndim; i++)
    for (size_t j = 0; j < s->dim[i].n; j++) free(s->dim[i].val[j]);
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = '\0';
  return s;
}

/* The numeric keys: default and range (the models' own limits).  The spec
 * reader checks values against it, the evaluation takes defaults from it. */
static const struct {
  const char *key, *dflt;
  uint32_t lo, hi;
} ranges[] = {{"rows", "32", 1, 4096},          {"cols", "32", 1, 4096},
              {"ifmap_kb", "64", 1, 1u << 20},  {"filter_kb", "64", 1, 1u << 20},
              {"ofmap_kb", "64", 1, 1u << 20},  {"bandwidth", "10", 1, 1u << 20},
              {"dm", "8", 1, 65536},            {"dk", "256", 1, 65536},
              {"dn", "8", 1, 65536},            {"pe", "32", 1, 65536},
              {"simd", "32", 1, 65536}};

/* Checks one value of key k where the SPEC gives it, so a bad value is
 * reported at its line and column before anything runs. */
static em_status value_check(const char *k, const char *v, const char *path, uint64_t line,
                             uint64_t col, em_diag *d) {
  if (strcmp(k, "bits") == 0) {
    sim_bits b;
    if (sim_bits_parse(v, &b) != 0)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'bits' must be W:A widths (e.g. 8:8, 4:4, 1:1), got '%s'", v);
    return EM_OK;
  }
  if (strcmp(k, "dataflow") == 0) {
    if (sa_dataflow_parse(v) < 0)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'dataflow' must be os, ws or is, got '%s'", v);
    return EM_OK;
  }
  if (strcmp(k, "mode") == 0) {
    if (strcmp(v, "closed") && strcmp(v, "simulate"))
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'mode' must be closed or simulate, got '%s'", v);
    return EM_OK;
  }
  for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
    if (strcmp(k, ranges[i].key) == 0) {
      uint64_t x;
      if (em_parse_u64(v, &x) != EM_OK || x < ranges[i].lo || x > ranges[i].hi)
        return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                           "'%s' must be an integer in [%u, %u], got '%s'", k, ranges[i].lo,
                           ranges[i].hi, v);
    }
  return EM_OK;
}

static em_status spec_read(const char *path, spec_t *s, em_diag *d) {
  memset(s, 0, sizeof *s);
  s->workload_dim = -1;
  FILE *f;
  em_status os = em_input_open(path, "a sweep spec", 0, &f, d);
  if (os != EM_OK) return os;
  char line[8192];
  uint64_t ln = 0;
  em_status st = EM_OK;
  /* fgets hides a NUL byte: the buffer is filled with '\n' first, so the
   * last NUL in it is the one fgets put after what it read. */
  while (st == EM_OK && (memset(line, '\n', sizeof line), fgets(line, sizeof line, f))) {
    ln++;
    size_t got = sizeof line - 1;
    while (got > 0 && line[got] != '\0') got--;
    const char *nul = memchr(line, '\0', got);
    if (nul) {
      st = em_diag_set(d, EM_ERR_PARSE, path, ln, (uint64_t)(nul - line) + 1,
                       "NUL byte in text input");
      break;
    }
    if (!strchr(line, '\n') && !feof(f)) {
      st = em_diag_set(d, EM_ERR_LIMIT, path, ln, 1, "line longer than %zu bytes", sizeof line);
      break;
    }
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
    if (strcmp(key, "arch") == 0) {
      if (s->arch_line) {
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(key - line) + 1,
                         "'arch' is given twice (line %llu)", (unsigned long long)s->arch_line);
        break;
      }
      s->arch_line = ln;
      if (strcmp(vals, "systolic") && strcmp(vals, "bitserial") && strcmp(vals, "xnor") &&
          strcmp(vals, "analytic") && strcmp(vals, "simt")) {
        st = em_diag_set(d, EM_ERR_PARSE, path, ln, vcol,
                         "arch must be one of systolic, bitserial, xnor, analytic, simt, got '%s'",
                         vals);
        break;
      }
      snprintf(s->arch, sizeof s->arch, "%s", vals);
      continue;
    }
    if (strcmp(key, "workload") && strcmp(key, "bits") && !in_list(key, sys_keys) &&
        !in_list(key, bs_keys) && !in_list(key, xn_keys) && strcmp(key, "gpu") &&
        strncmp(key, "gpu.", 4) != 0) {
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
      else if (!(dm->val[dm->n] = strdup(v)))
        st = em_diag_set(d, EM_ERR_NOMEM, path, ln, at, "out of memory");
      else
        dm->col[dm->n++] = (uint32_t)at;
    }
  }
  if (st == EM_OK && ferror(f)) /* a pipe past EM_INPUT_STREAM_MAX, or a device error */
    st = em_diag_set(d, EM_ERR_IO, path, ln + 1, 0, "read error: %s", strerror(errno));
  fclose(f);
  if (st != EM_OK) return st;
  if (!s->arch[0]) return em_diag_set(d, EM_ERR_PARSE, path, ln ? ln : 1, 1, "no 'arch' line");
  if (s->workload_dim < 0)
    return em_diag_set(d, EM_ERR_PARSE, path, ln ? ln : 1, 1, "no 'workload' line");
  const char *const *own = strcmp(s->arch, "systolic") == 0    ? sys_keys
                           : strcmp(s->arch, "bitserial") == 0 ? bs_keys
                           : strcmp(s->arch, "xnor") == 0      ? xn_keys
                                                               : NULL;
  bool simt = strcmp(s->arch, "simt") == 0;
  for (size_t i = 0; i < s->ndim; i++) {
    const char *k = s->dim[i].key;
    if (simt && (strcmp(k, "gpu") == 0 || strncmp(k, "gpu.", 4) == 0)) {
      /* a GPU field must exist and every value must parse */
      simt_config c;
      simt_config_default(&c);
      for (size_t j = 0; k[3] == '.' && j < s->dim[i].n; j++) {
        em_status e = simt_config_set(&c, k + 4, s->dim[i].val[j], path, s->dim[i].line,
                                      s->dim[i].col[j], d);
        if (e == EM_ERR_NOTFOUND)
          return em_diag_set(d, e, path, s->dim[i].line, 1, "unknown GPU setting '%s'", k + 4);
        if (e != EM_OK) return e;
      }
      continue;
    }
    if (strcmp(k, "workload") && strcmp(k, "bits") && !in_list(k, own))
      return em_diag_set(d, EM_ERR_PARSE, path, s->dim[i].line, 1,
                         "'%s' is not a setting of arch %s", k, s->arch);
    for (size_t j = 0; j < s->dim[i].n; j++) {
      em_status e = value_check(k, s->dim[i].val[j], path, s->dim[i].line, s->dim[i].col[j], d);
      if (e != EM_OK) return e;
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
  int ok;
} result_t;

typedef struct {
  const spec_t *spec;
  wl_network **nets; /* per workload value */
  const cm_energy_table *et;
  uint64_t npoints;
  result_t *res;
  unsigned jobs, job;
  uint64_t rank, nranks; /* MPI */
  em_status st;
  em_diag d;
  volatile uint64_t *done;
  pthread_mutex_t *mu;
} work_t;

static const char *get(const spec_t *s, const size_t *dig, const char *key, const char *dflt) {
  for (size_t i = 0; i < s->ndim; i++)
    if (strcmp(s->dim[i].key, key) == 0) return s->dim[i].val[dig[i]];
  return dflt;
}

/* A numeric key's value at this design point, or its default (the spec
 * reader has checked every value against its range). */
static uint32_t u32_of(const spec_t *s, const size_t *dig, const char *key) {
  size_t i = 0;
  while (strcmp(ranges[i].key, key) != 0) i++;
  uint64_t x = 0;
  (void)em_parse_u64(get(s, dig, key, ranges[i].dflt), &x);
  return (uint32_t)x;
}

/* One design point on one workload. */
static em_status eval(const work_t *w, uint64_t p, result_t *r, em_diag *d) {
  const spec_t *s = w->spec;
  size_t dig[MAX_DIMS] = {0};
  uint64_t q = p;
  for (size_t i = s->ndim; i-- > 0;) {
    dig[i] = (size_t)(q % s->dim[i].n);
    q /= s->dim[i].n;
  }
  const wl_network *net = w->nets[dig[s->workload_dim]];
  sim_bits bits = {0}; /* every value was checked by spec_read */
  (void)sim_bits_parse(get(s, dig, "bits", "8:8"), &bits);
  memset(r, 0, sizeof *r);
  em_status st = EM_OK;
  double freq = 1000;
  sa_config cfg = sa_config_default();
  bs_config bc = bs_config_bismo();
  xnor_config xc = {32, 32, 200.0};
  bool simulate = false;
  if (strcmp(s->arch, "systolic") == 0) {
    cfg.rows = u32_of(s, dig, "rows");
    cfg.cols = u32_of(s, dig, "cols");
    cfg.ifmap_sram_kb = u32_of(s, dig, "ifmap_kb");
    cfg.filter_sram_kb = u32_of(s, dig, "filter_kb");
    cfg.ofmap_sram_kb = u32_of(s, dig, "ofmap_kb");
    cfg.bandwidth = u32_of(s, dig, "bandwidth");
    cfg.dataflow = (sa_dataflow)sa_dataflow_parse(get(s, dig, "dataflow", "os"));
    simulate = strcmp(get(s, dig, "mode", "closed"), "simulate") == 0;
    if (simulate) cfg.bw_calc = false;
    cfg.pack_narrow = true;
    freq = cfg.freq_mhz;
    if ((st = sa_config_validate(&cfg, NULL, d)) != EM_OK) {
      r->ok = 0; /* an invalid combination (SRAM too small) is a row without figures */
      return EM_OK;
    }
  } else if (strcmp(s->arch, "bitserial") == 0) {
    bc.dm = u32_of(s, dig, "dm");
    bc.dk = u32_of(s, dig, "dk");
    bc.dn = u32_of(s, dig, "dn");
    freq = bc.freq_mhz;
  } else if (strcmp(s->arch, "xnor") == 0) {
    xc.pe = u32_of(s, dig, "pe");
    xc.simd = u32_of(s, dig, "simd");
    freq = xc.freq_mhz;
  }
  if (strcmp(s->arch, "simt") == 0) {
    /* the GPU: a preset, then its fields; every layer's fp32 kernel */
    simt_config gc;
    if ((st = simt_config_load_spec(get(s, dig, "gpu", "volta"), &gc, d)) != EM_OK) return st;
    for (size_t i = 0; i < s->ndim; i++)
      if (strncmp(s->dim[i].key, "gpu.", 4) == 0 &&
          (st = simt_config_set(&gc, s->dim[i].key + 4, s->dim[i].val[dig[i]], NULL, 0, 0, d)) !=
              EM_OK)
        return st;
    if (simt_config_check(&gc, NULL, d) != EM_OK) {
      r->ok = 0;
      return EM_OK;
    }
    simt_energy_model em;
    simt_gpu *g;
    if ((st = simt_energy_model_init(&em, w->et, &gc, d)) != EM_OK ||
        (st = simt_gpu_create(&gc, &g, d)) != EM_OK)
      return st;
    for (size_t i = 0; i < net->n_layers && st == EM_OK; i++) {
      simt_kernel k;
      simt_stats ks;
      simt_energy e;
      st = simt_gen_layer(&k, &net->layers[i], d);
      if (st == EM_OK) st = simt_gpu_run(g, &k, NULL, NULL, &ks, d);
      simt_kernel_free(&k);
      if (st != EM_OK) break;
      simt_energy_compute(&em, &ks, &e);
      r->cycles += ks.cycles;
      r->energy_pj += e.total_pj;
    }
    simt_gpu_destroy(g);
    if (st != EM_OK) return st;
    r->latency_us = (double)r->cycles / gc.core_freq_mhz;
    r->ok = 1;
    return EM_OK;
  }
  cm_energy_value dr;
  if ((st = cm_energy_mem(w->et, CM_OP_DRAM_READ, 0, 64, &dr, d)) != EM_OK) return st;
  for (size_t i = 0; i < net->n_layers; i++) {
    wl_layer l = net->layers[i];
    l.w = bits.w;
    l.a = bits.a;
    wl_gemm_view v = wl_layer_gemm_view(&l);
    if (strcmp(s->arch, "analytic") == 0) {
      cm_layer_cost c;
      if ((st = cm_layer_cost_compute(&l, w->et, &c, d)) != EM_OK) return st;
      r->energy_pj += c.compute_energy_pj +
                      (double)(c.weight_bytes + c.activation_bytes) / 8.0 * dr.energy_pj;
      continue;
    }
    if (v.m == 0) continue;
    if (strcmp(s->arch, "systolic") == 0) {
      sa_layer_stats ls;
      sa_energy e;
      if (simulate) st = sa_simulate(&cfg, &l, NULL, &ls, d);
      else {
        st = sa_closed_form(&cfg, &l, &ls, d);
        /* compulsory DRAM traffic: every input, weight and output word once */
        uint64_t in = l.kind == WL_CONV ? l.batch * l.in_h * l.in_w * l.in_c : v.m * v.k * v.groups;
        ls.ifmap_dram_reads = in;
        ls.filter_dram_reads = v.k * v.n * v.groups;
        ls.ofmap_dram_writes = v.m * v.n * v.groups;
      }
      if (st == EM_OK) st = sa_layer_energy(&cfg, &l, &ls, w->et, &e, d);
      if (st != EM_OK) return st;
      r->cycles += ls.total_cycles;
      r->energy_pj += e.total_pj;
    } else if (strcmp(s->arch, "bitserial") == 0) {
      bs_stats bs;
      bs_energy e;
      if ((st = bs_layer(&bc, &l, &bs, d)) != EM_OK ||
          (st = bs_layer_energy(&bc, &bs, w->et, &e, d)) != EM_OK)
        return st;
      r->cycles += bs.total_cycles;
      r->energy_pj += e.total_pj;
    } else {
      xnor_stats xs;
      xnor_energy e;
      if ((st = xnor_layer(&xc, &l, &xs, d)) != EM_OK ||
          (st = xnor_layer_energy(&xc, &xs, w->et, &e, d)) != EM_OK)
        return st;
      r->cycles += xs.cycles;
      r->energy_pj += e.total_pj;
    }
  }
  r->latency_us = (double)r->cycles / freq;
  r->ok = 1;
  return EM_OK;
}

static void *worker(void *arg) {
  work_t *w = arg;
  em_diag d;
  uint64_t stride = (uint64_t)w->jobs * w->nranks;
  uint64_t first = w->rank * w->jobs + w->job, n = 0;
  for (uint64_t p = first; p < w->npoints; p += stride) {
    if (eval(w, p, &w->res[p], &d) != EM_OK) {
      w->st = d.status;
      w->d = d;
      return NULL;
    }
    if (++n % 64 == 0 && w->done) {
      pthread_mutex_lock(w->mu);
      *w->done += 64;
      pthread_mutex_unlock(w->mu);
    }
  }
  return NULL;
}

/* Pareto front per workload: no other point is at least as fast and as
 * frugal and better in one.  O(n log n): sort by latency, then energy. */
typedef struct {
  double lat, en;
  uint64_t p;
} pt_t;

static int cmp_pt(const void *a, const void *b) {
  const pt_t *x = a, *y = b;
  if (x->lat != y->lat) return x->lat < y->lat ? -1 : 1;
  if (x->en != y->en) return x->en < y->en ? -1 : 1;
  return x->p < y->p ? -1 : x->p > y->p;
}

static int front_of(const spec_t *s, const result_t *res, uint64_t np, uint8_t *front) {
  size_t wd = (size_t)s->workload_dim, nw = s->dim[wd].n;
  uint64_t inner = 1;
  for (size_t i = wd + 1; i < s->ndim; i++) inner *= s->dim[i].n;
  pt_t *v = malloc((np ? np : 1) * sizeof *v);
  if (!v) return -1;
  for (size_t wv = 0; wv < nw; wv++) {
    uint64_t n = 0;
    for (uint64_t p = 0; p < np; p++)
      if ((p / inner) % nw == wv && res[p].ok) v[n++] = (pt_t){res[p].latency_us, res[p].energy_pj, p};
    qsort(v, n, sizeof *v, cmp_pt);
    double best = INFINITY;
    for (uint64_t i = 0; i < n; i++) {
      /* on the front when its energy beats every faster point's; equal
       * points (same latency and energy) are all on it */
      bool dup = i > 0 && v[i].lat == v[i - 1].lat && v[i].en == v[i - 1].en && front[v[i - 1].p];
      if (v[i].en < best || dup) {
        front[v[i].p] = 1;
        if (v[i].en < best) best = v[i].en;
      }
    }
  }
  free(v);
  return 0;
}

static void write_rows(FILE *f, const spec_t *s, const result_t *res, const uint8_t *front,
                       uint64_t np, int only_front) {
  fputs("point", f);
  for (size_t i = 0; i < s->ndim; i++) {
    fputc(',', f);
    rpt_csv_field(f, s->dim[i].key);
  }
  fputs(",cycles,latency_us,energy_uj,edp_uj_us,pareto\n", f);
  for (uint64_t p = 0; p < np; p++) {
    if (only_front && !front[p]) continue;
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
    if (res[p].ok)
      fprintf(f, ",%llu,%.6f,%.6f,%.6f,%d\n", (unsigned long long)res[p].cycles,
              res[p].latency_us, res[p].energy_pj * 1e-6, res[p].energy_pj * 1e-6 * res[p].latency_us,
              front[p]);
    else
      fputs(",,,,,0\n", f);
  }
}

static int cmd_sweep(int argc, char **argv) {
  static const struct option lo[] = {{"jobs", required_argument, NULL, 'j'},
                                     {"output", required_argument, NULL, 'o'},
                                     {"pareto", required_argument, NULL, 'p'},
                                     {"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, SIM_OPT_VERSION},
                                     {NULL, 0, NULL, 0}};
  const char *out = NULL, *pareto = NULL;
  uint64_t jobs = 1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
    switch (c) {
    case 'j':
      if (em_parse_u64(optarg, &jobs) != EM_OK || jobs < 1 || jobs > 256)
        return sim_usage_error("sweep", "'--jobs' must be in [1, 256], got '%s'", optarg);
      break;
    case 'o': out = optarg; break;
    case 'p': pareto = optarg; break;
    case 'h': sim_print_usage(&sim_cmd_sweep, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("sweep", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_usage_error("sweep", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return sim_usage_error("sweep", optind == argc ? "missing SPEC" : "expected one SPEC");
  const char *path = argv[optind];

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
  result_t *res = NULL;
  uint8_t *front = NULL;
  uint64_t np = 1;
  em_status st = spec_read(path, &s, &d);
  if (st == EM_OK) st = cm_energy_table_default(&et, &d);
  for (size_t i = 0; st == EM_OK && i < s.ndim; i++) {
    if (!em_mul_u64(np, s.dim[i].n, &np) || np > MAX_POINTS)
      st = em_diag_set(&d, EM_ERR_LIMIT, path, s.dim[i].line, 1,
                       "more than %llu design points", MAX_POINTS);
  }
  for (size_t i = 0; st == EM_OK && i < s.dim[s.workload_dim].n; i++) {
    /* a relative topology file is found beside the spec */
    const char *v = s.dim[s.workload_dim].val[i];
    char wpath[4200];
    const char *slash = strrchr(path, '/');
    size_t vl = strlen(v);
    if (v[0] != '/' && slash && vl > 4 && strcmp(v + vl - 4, ".csv") == 0)
      snprintf(wpath, sizeof wpath, "%.*s/%s", (int)(slash - path), path, v);
    else
      snprintf(wpath, sizeof wpath, "%s", v);
    sim_bits none = {0};
    st = sim_workload_load(wpath, &none, SIM_PREC_INT8, &nets[i], &d);
    if (st != EM_OK && d.line == 0) { /* not found or unreadable: the SPEC's value */
      char msg[EM_DIAG_MSG_MAX];
      em_diag_format(&d, msg, sizeof msg);
      char *m = strstr(msg, "error: ");
      st = em_diag_set(&d, st, path, s.dim[s.workload_dim].line, s.dim[s.workload_dim].col[i],
                       "workload '%s': %s", v, m ? m + 7 : msg);
      char *nl = strchr(d.msg, '\n');
      if (nl) *nl = '\0';
    }
  }
  if (st == EM_OK) {
    res = calloc(np, sizeof *res);
    front = calloc(np, 1);
    if (!res || !front) st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  if (st == EM_OK) {
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    volatile uint64_t done = 0;
    work_t w[256];
    pthread_t th[256];
    bool tty = isatty(2) && rank == 0;
    for (unsigned j = 0; j < jobs; j++)
      w[j] = (work_t){&s, nets, et, np, res, (unsigned)jobs, j, rank, nranks, EM_OK,
                      {0}, tty ? &done : NULL, &mu};
    unsigned started = 0;
    for (unsigned j = 0; j < jobs; j++)
      if (pthread_create(&th[j], NULL, worker, &w[j]) == 0) started++;
      else break;
    if (started < jobs) { /* run the rest here */
      for (unsigned j = started; j < jobs; j++) worker(&w[j]);
    }
    if (tty) { /* progress bar while the workers run */
      uint64_t mine = (np + nranks - 1 - rank) / nranks;
      for (;;) {
        pthread_mutex_lock(&mu);
        uint64_t k = done;
        pthread_mutex_unlock(&mu);
        int pctv = mine ? (int)(100 * k / mine) : 100;
        if (pctv > 100) pctv = 100;
        fprintf(stderr, "\r[%-40.*s] %3d%% of %llu points", pctv * 40 / 100,
                "########################################", pctv, (unsigned long long)np);
        if (k + 64 * jobs >= mine) break;
        nanosleep(&(struct timespec){0, 200000000L}, NULL);
      }
    }
    for (unsigned j = 0; j < started; j++) pthread_join(th[j], NULL);
    if (tty) fprintf(stderr, "\r%70s\r", "");
    for (unsigned j = 0; j < jobs && st == EM_OK; j++)
      if (w[j].st != EM_OK) {
        st = w[j].st;
        d = w[j].d;
      }
  }
#ifdef EMLSIM_HAVE_MPI
  if (nranks > 1) {
    /* rank 0 gathers the others' points (each rank computed p = rank (mod n)
     * in its own copy of res) */
    int ok = st == EM_OK, all = 0;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    if (all) {
      double *buf = malloc(3 * ((np + nranks - 1) / nranks + 1) * sizeof *buf);
      if (!buf) MPI_Abort(MPI_COMM_WORLD, 1);
      for (uint64_t r = 1; r < nranks; r++) {
        uint64_t k = 0;
        if (rank == r) {
          for (uint64_t p = r * jobs; p < np; p++)
            if ((p / jobs) % nranks == r) {
              buf[3 * k] = (double)res[p].cycles;
              buf[3 * k + 1] = res[p].ok ? res[p].latency_us : -1;
              buf[3 * k + 2] = res[p].energy_pj;
              k++;
            }
          MPI_Send(buf, (int)(3 * k), MPI_DOUBLE, 0, 7, MPI_COMM_WORLD);
        } else if (rank == 0) {
          MPI_Status ms;
          int cnt;
          MPI_Probe((int)r, 7, MPI_COMM_WORLD, &ms);
          MPI_Get_count(&ms, MPI_DOUBLE, &cnt);
          MPI_Recv(buf, cnt, MPI_DOUBLE, (int)r, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          for (uint64_t p = r * jobs; p < np; p++)
            if ((p / jobs) % nranks == r) {
              res[p].cycles = (uint64_t)buf[3 * k];
              res[p].ok = buf[3 * k + 1] >= 0;
              res[p].latency_us = res[p].ok ? buf[3 * k + 1] : 0;
              res[p].energy_pj = buf[3 * k + 2];
              k++;
            }
        }
      }
      free(buf);
    } else if (st == EM_OK) {
      st = em_diag_set(&d, EM_ERR_IO, path, 0, 0, "another MPI rank failed");
    }
  }
#endif
  if (st == EM_OK && rank == 0) {
    if (front_of(&s, res, np, front) != 0) st = em_diag_set(&d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    em_outfile *f = NULL, *pf = NULL;
    if (st == EM_OK && out) st = em_outfile_open(out, &f, &d);
    if (st == EM_OK && pareto) st = em_outfile_open(pareto, &pf, &d);
    if (st == EM_OK) {
      write_rows(f ? em_outfile_fp(f) : stdout, &s, res, front, np, 0);
      if (pf) write_rows(em_outfile_fp(pf), &s, res, front, np, 1);
      if (f) {
        st = em_outfile_commit(f, &d);
        f = NULL;
      }
      if (st == EM_OK && pf) {
        st = em_outfile_commit(pf, &d);
        pf = NULL;
      }
    }
    em_outfile_abort(f);
    em_outfile_abort(pf);
  }
  if (st == EM_OK) rc = SIM_EXIT_OK;
  else if (rank == 0) {
    sim_diag_locate(&d, path); /* a model's refusal of a point names no file: the spec's */
    sim_fail(&d);
  }
  free(res);
  free(front);
  for (size_t i = 0; i < MAX_VALS; i++) wl_network_destroy(nets[i]);
  cm_energy_table_destroy(et);
  spec_free(&s);
#ifdef EMLSIM_HAVE_MPI
  if (nranks > 1 || getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK"))
    MPI_Finalize();
#endif
  return rc;
}
