/*
 * cm_energy.c - energy tables with provenance, and width scaling
 * (cm_energy.h).
 *
 * Scaling rules (study book, "precision has a high cost"): a multiplier's
 * energy grows with N_a*N_b, an adder's with N; a memory access with the bits
 * moved.  Between two rows of an op and type the energy is interpolated
 * linearly in that measure (N, or N_a*N_b), so that it passes through every
 * row and is monotone where the rows are; outside the rows' range it is the
 * nearest row's energy per bit (per bit product) times the measure, which
 * meets the row at its width.  Scaling from the row nearest in log2 of the
 * width, as this file did, stepped down where two rows' energies per bit
 * differ: Horowitz's int8 add is 0.00375 pJ/bit, int32 0.003125, so a
 * 15-bit add (nearer 8) cost 0.05625 pJ and a 16-bit one (a tie, taken from
 * 32) 0.05.  SRAM energy between two tabulated capacities is interpolated
 * linearly in log2(capacity) (CACTI's curves are close to straight there);
 * outside the tabulated range the nearest capacity is used and the value is
 * marked scaled.
 */
#include "cm_energy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_csv.h"
#include "em_parse.h"

extern const char cm_energy_horowitz45_csv[];
extern const size_t cm_energy_horowitz45_csv_len;

/* More rows than any real table; a bound so hostile input cannot grow it. */
#define MAX_ROWS 100000
/* The most one operation or access may cost: 1 uJ, 400 times Horowitz's
 * 64-bit DRAM access (2.6 nJ at 45 nm, the dearest row of the default
 * table).  A larger entry is a typo or an attack (1e308 pJ became inf in
 * every CSV), and the bound keeps every product of an energy and a 64-bit
 * count finite (1e6 x 2^64 < 1e26). */
#define ENERGY_PJ_MAX 1e6

struct cm_energy_table {
  char name[EM_DIAG_PATH_MAX];
  cm_energy_row *rows;
  size_t n, cap;
  char **files; /* the files its rows came from: each row's `file` points into these */
  size_t nfiles;
};

/* Adds a copy of `file` to t's files; NULL if out of memory. */
static const char *add_file(cm_energy_table *t, const char *file) {
  char **nf = realloc(t->files, (t->nfiles + 1) * sizeof *nf);
  if (!nf) return NULL;
  t->files = nf;
  size_t len = strlen(file);
  char *c = malloc(len + 1);
  if (!c) return NULL;
  memcpy(c, file, len + 1);
  return t->files[t->nfiles++] = c;
}

/* Adds row to t, whose rows may need room; false if out of memory. */
static bool add_row(cm_energy_table *t, const cm_energy_row *row) {
  if (t->n == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 32;
    cm_energy_row *nr = realloc(t->rows, ncap * sizeof *nr);
    if (!nr) return false;
    t->rows = nr;
    t->cap = ncap;
  }
  t->rows[t->n++] = *row;
  return true;
}

/* The row of t with row's op, type, bits and capacity, or NULL. */
static cm_energy_row *same_row(const cm_energy_table *t, const cm_energy_row *row) {
  for (size_t i = 0; i < t->n; i++) {
    cm_energy_row *o = &t->rows[i];
    if (o->op == row->op && o->fp == row->fp && o->bits == row->bits &&
        o->capacity_bytes == row->capacity_bytes)
      return o;
  }
  return NULL;
}

static const struct {
  const char *name;
  cm_op op;
  const char *type; /* the one type this op takes, or NULL for int|fp */
} ops[] = {
    {"mult", CM_OP_MULT, NULL},           {"add", CM_OP_ADD, NULL},
    {"sram_read", CM_OP_SRAM_READ, "sram"}, {"sram_write", CM_OP_SRAM_WRITE, "sram"},
    {"dram_read", CM_OP_DRAM_READ, "dram"}, {"dram_write", CM_OP_DRAM_WRITE, "dram"},
    {"reg", CM_OP_REG, "reg"},
};

static const char *op_name(cm_op op) {
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (ops[i].op == op) return ops[i].name;
  return "?";
}

enum { F_OP, F_TYPE, F_BITS, F_CAP, F_ENERGY, F_SOURCE, F_COUNT };
static const char *const fnames[F_COUNT] = {"op", "type", "bits", "capacity_bytes",
                                            "energy_pj", "source"};

static em_status parse_table(cm_energy_table *t, em_csv_reader *r, em_diag *d) {
  const char *path = t->files[0];
  const em_csv_field *f;
  size_t n;
  em_status st = em_csv_next(r, &f, &n, d);
  if (st != EM_OK) return st;
  if (n == 0) return em_diag_set(d, EM_ERR_PARSE, path, 1, 1, "empty energy table: no header row");
  uint64_t hline = em_csv_line(r);
  int where[F_COUNT];
  for (int i = 0; i < F_COUNT; i++) where[i] = -1;
  for (size_t i = 0; i < n; i++) {
    int k = -1;
    for (int j = 0; j < F_COUNT; j++)
      if (em_name_eq(f[i].text, fnames[j])) k = j;
    if (k < 0)
      return em_diag_set(d, EM_ERR_PARSE, path, f[i].line, f[i].col,
                         "unknown column '%s' (expected op, type, bits, capacity_bytes, "
                         "energy_pj, source)",
                         f[i].text);
    if (where[k] >= 0)
      return em_diag_set(d, EM_ERR_PARSE, path, f[i].line, f[i].col, "column '%s' appears twice",
                         fnames[k]);
    where[k] = (int)i;
  }
  for (int j = 0; j < F_COUNT; j++)
    if (where[j] < 0 && j != F_CAP)
      return em_diag_set(d, EM_ERR_PARSE, path, hline, 1, "missing column '%s'", fnames[j]);
  for (;;) {
    st = em_csv_next(r, &f, &n, d);
    if (st != EM_OK) return st;
    if (n == 0) break;
    uint64_t line = em_csv_line(r);
    size_t want = where[F_CAP] >= 0 ? F_COUNT : F_COUNT - 1;
    if (n != want) /* at the first extra field, or just past the last one */
      return em_diag_set(d, EM_ERR_PARSE, path, n > want ? f[want].line : f[n - 1].line,
                         n > want ? f[want].col : f[n - 1].col + f[n - 1].len,
                         "expected %zu fields, got %zu", want, n);
    if (t->n >= MAX_ROWS)
      return em_diag_set(d, EM_ERR_LIMIT, path, line, 1, "more than %d rows", MAX_ROWS);
    cm_energy_row row;
    memset(&row, 0, sizeof row);
    row.file = path;
    row.line = line;
    const em_csv_field *fo = &f[where[F_OP]], *ft = &f[where[F_TYPE]];
    int opi = -1;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
      if (em_name_eq(fo->text, ops[i].name)) opi = (int)i;
    if (opi < 0)
      return em_diag_set(d, EM_ERR_PARSE, path, fo->line, fo->col,
                         "unknown op '%s' (mult, add, sram_read, sram_write, dram_read, "
                         "dram_write, reg)",
                         fo->text);
    row.op = ops[opi].op;
    if (ops[opi].type) {
      if (!em_name_eq(ft->text, ops[opi].type))
        return em_diag_set(d, EM_ERR_PARSE, path, ft->line, ft->col,
                           "type of op '%s' must be '%s', got '%s'", ops[opi].name,
                           ops[opi].type, ft->text);
    } else if (em_name_eq(ft->text, "fp")) {
      row.fp = true;
    } else if (!em_name_eq(ft->text, "int")) {
      return em_diag_set(d, EM_ERR_PARSE, path, ft->line, ft->col,
                         "unknown type '%s' for op '%s' (int or fp)", ft->text, ops[opi].name);
    }
    const em_csv_field *fb = &f[where[F_BITS]];
    uint64_t bits;
    if (em_parse_u64(fb->text, &bits) != EM_OK || bits < 1 || bits > 4096)
      return em_diag_set(d, EM_ERR_RANGE, path, fb->line, fb->col,
                         "'bits' must be an integer in [1, 4096], got '%s'", fb->text);
    row.bits = (uint32_t)bits;
    bool is_sram = row.op == CM_OP_SRAM_READ || row.op == CM_OP_SRAM_WRITE;
    if (where[F_CAP] >= 0) {
      const em_csv_field *fc = &f[where[F_CAP]];
      if (is_sram) {
        if (em_parse_u64(fc->text, &row.capacity_bytes) != EM_OK || row.capacity_bytes == 0)
          return em_diag_set(d, EM_ERR_RANGE, path, fc->line, fc->col,
                             "'capacity_bytes' of an SRAM row must be a positive integer, "
                             "got '%s'",
                             fc->text);
      } else if (fc->len) {
        return em_diag_set(d, EM_ERR_PARSE, path, fc->line, fc->col,
                           "'capacity_bytes' applies to SRAM rows only, got '%s'", fc->text);
      }
    } else if (is_sram) {
      return em_diag_set(d, EM_ERR_PARSE, path, fo->line, fo->col,
                         "an SRAM row needs the 'capacity_bytes' column");
    }
    const em_csv_field *fe = &f[where[F_ENERGY]];
    em_status pe = em_parse_f64(fe->text, &row.energy_pj);
    if (pe == EM_ERR_RANGE && row.energy_pj == 0) /* 1e-400: below a double, not 0 */
      return em_diag_set(d, EM_ERR_RANGE, path, fe->line, fe->col,
                         "'energy_pj' %s is too small for a double (it would read as 0)",
                         fe->text);
    if (pe == EM_ERR_RANGE) /* past a double (1e400): a number, too large */
      return em_diag_set(d, EM_ERR_RANGE, path, fe->line, fe->col,
                         "'energy_pj' must be at most %g pJ (1 uJ per operation or access), "
                         "got %s",
                         ENERGY_PJ_MAX, fe->text);
    if (pe != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, path, fe->line, fe->col,
                         "'energy_pj' must be a number, got '%s'", fe->text);
    if (!(row.energy_pj >= 0.0))
      return em_diag_set(d, EM_ERR_RANGE, path, fe->line, fe->col,
                         "'energy_pj' must not be negative, got %s", fe->text);
    if (row.energy_pj > ENERGY_PJ_MAX)
      return em_diag_set(d, EM_ERR_RANGE, path, fe->line, fe->col,
                         "'energy_pj' must be at most %g pJ (1 uJ per operation or access), got %s",
                         ENERGY_PJ_MAX, fe->text);
    em_strlcpy(row.source, f[where[F_SOURCE]].text, sizeof row.source);
    const cm_energy_row *o = same_row(t, &row);
    if (o)
      return em_diag_set(d, EM_ERR_PARSE, path, fo->line, fo->col,
                         "duplicate row: same op, type, bits and capacity as line %llu",
                         (unsigned long long)o->line);
    if (!add_row(t, &row)) return em_diag_set(d, EM_ERR_NOMEM, path, line, 0, "out of memory");
  }
  if (t->n == 0)
    return em_diag_set(d, EM_ERR_PARSE, path, 1, 1, "energy table has a header but no rows");
  return EM_OK;
}

static em_status load(const char *name, em_csv_reader *r, cm_energy_table **out,
                      em_diag *d) {
  cm_energy_table *t = calloc(1, sizeof *t);
  if (!t) {
    em_csv_close(r);
    return em_diag_set(d, EM_ERR_NOMEM, name, 0, 0, "out of memory");
  }
  em_strlcpy(t->name, name, sizeof t->name);
  if (!add_file(t, name)) {
    em_csv_close(r);
    cm_energy_table_destroy(t);
    return em_diag_set(d, EM_ERR_NOMEM, name, 0, 0, "out of memory");
  }
  em_status st = parse_table(t, r, d);
  em_csv_close(r);
  if (st != EM_OK) {
    cm_energy_table_destroy(t);
    return st;
  }
  *out = t;
  return EM_OK;
}

em_status cm_energy_table_load(const char *path, cm_energy_table **out, em_diag *d) {
  em_csv_reader *r;
  *out = NULL;
  em_status st = em_csv_open(path, &r, d);
  if (st != EM_OK) return st;
  return load(path, r, out, d);
}

em_status cm_energy_table_default(cm_energy_table **out, em_diag *d) {
  em_csv_reader *r;
  *out = NULL;
  const char *name = "builtin:horowitz45";
  em_status st =
      em_csv_open_mem(name, cm_energy_horowitz45_csv, cm_energy_horowitz45_csv_len, &r, d);
  if (st != EM_OK) return st;
  return load(name, r, out, d);
}

/* Merges t into m: t's rows replace m's of the same op, type, bits and
 * capacity in their place, the others are added; each keeps its file. */
static em_status merge(cm_energy_table *m, const cm_energy_table *t, em_diag *d) {
  const char *file = add_file(m, t->name);
  if (!file) return em_diag_set(d, EM_ERR_NOMEM, t->name, 0, 0, "out of memory");
  for (size_t i = 0; i < t->n; i++) {
    cm_energy_row row = t->rows[i];
    row.file = file;
    cm_energy_row *o = same_row(m, &row);
    if (o) {
      *o = row;
      continue;
    }
    if (m->n >= MAX_ROWS)
      return em_diag_set(d, EM_ERR_LIMIT, t->name, row.line, 1,
                         "more than %d rows in the merged energy tables", MAX_ROWS);
    if (!add_row(m, &row)) return em_diag_set(d, EM_ERR_NOMEM, t->name, 0, 0, "out of memory");
  }
  size_t len = strlen(m->name);
  if (len + 4 < sizeof m->name) { /* a name cut short where all would not fit */
    memcpy(m->name + len, " + ", 3);
    em_strlcpy(m->name + len + 3, t->name, sizeof m->name - len - 3);
  }
  return EM_OK;
}

em_status cm_energy_tables_load(const char *const *paths, size_t n, cm_energy_table **out,
                                em_diag *d) {
  *out = NULL;
  if (n == 0) return cm_energy_table_default(out, d);
  cm_energy_table *m = NULL;
  for (size_t i = 0; i < n; i++) {
    cm_energy_table *t;
    em_status st = cm_energy_table_load(paths[i], &t, d);
    if (st == EM_OK && m) {
      st = merge(m, t, d);
      cm_energy_table_destroy(t);
    } else if (st == EM_OK) {
      m = t;
    }
    if (st != EM_OK) {
      cm_energy_table_destroy(m);
      return st;
    }
  }
  *out = m;
  return EM_OK;
}

void cm_energy_table_destroy(cm_energy_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nfiles; i++) free(t->files[i]);
  free(t->files);
  free(t->rows);
  free(t);
}

const char *cm_energy_table_name(const cm_energy_table *t) { return t->name; }

const cm_energy_row *cm_energy_table_rows(const cm_energy_table *t, size_t *n) {
  *n = t->n;
  return t->rows;
}

const char *cm_energy_op_name(cm_op op) { return op_name(op); }

const char *cm_energy_row_type(const cm_energy_row *r) {
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (ops[i].op == r->op) return ops[i].type ? ops[i].type : r->fp ? "fp" : "int";
  return "?";
}

em_status cm_energy_table_dram_at(const cm_energy_table *t, double pj_per_bit,
                                  const char *source, cm_energy_table **out, em_diag *d) {
  *out = NULL;
  if (!(pj_per_bit >= 0.0) || pj_per_bit * 64.0 > ENERGY_PJ_MAX)
    return em_diag_set(d, EM_ERR_RANGE, t->name, 0, 0,
                       "a DRAM price must be in [0, %g] pJ per bit, got %g",
                       ENERGY_PJ_MAX / 64.0, pj_per_bit);
  cm_energy_table *c = calloc(1, sizeof *c);
  cm_energy_row *rows = c ? calloc(t->n + 2, sizeof *rows) : NULL;
  if (!rows) {
    free(c);
    return em_diag_set(d, EM_ERR_NOMEM, t->name, 0, 0, "out of memory");
  }
  c->rows = rows;
  c->cap = t->n + 2;
  /* t's name cut short where both would not fit (a path near PATH_MAX) */
  snprintf(c->name, sizeof c->name, "%.*s, DRAM at %g pJ/bit", (int)sizeof c->name - 48,
           t->name, pj_per_bit);
  /* t's files copied, each row pointed at its copy; the new DRAM rows' file
   * is c's name */
  for (size_t k = 0; k <= t->nfiles; k++)
    if (!add_file(c, k < t->nfiles ? t->files[k] : c->name)) {
      cm_energy_table_destroy(c);
      return em_diag_set(d, EM_ERR_NOMEM, t->name, 0, 0, "out of memory");
    }
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i].op != CM_OP_DRAM_READ && t->rows[i].op != CM_OP_DRAM_WRITE) {
      cm_energy_row *r = &c->rows[c->n++];
      *r = t->rows[i];
      for (size_t k = 0; k < t->nfiles; k++)
        if (r->file == t->files[k]) r->file = c->files[k];
    }
  for (int w = 0; w < 2; w++) {
    cm_energy_row *r = &c->rows[c->n++];
    r->op = w ? CM_OP_DRAM_WRITE : CM_OP_DRAM_READ;
    r->bits = 64;
    r->energy_pj = 64.0 * pj_per_bit;
    r->file = c->files[t->nfiles];
    em_strlcpy(r->source, source ? source : "", sizeof r->source);
  }
  *out = c;
  return EM_OK;
}

const cm_dram_price *cm_dram_prices(size_t *n) {
  static const cm_dram_price p[] = {
      {"HBM2", 3.9, "Accelergy's CACTI plug-in (Wu, Emer and Sze, ICCAD 2019)"},
      {"LPDDR4", 8.0, "Accelergy's CACTI plug-in"},
      {"GDDR5", 14.0, "Accelergy's CACTI plug-in"},
      {"Horowitz DRAM low", 1300.0 / 64.0,
       "Horowitz ISSCC 2014, 45 nm: 1300 pJ per 64-bit access, its range's low end"},
      {"Horowitz DRAM high", 2600.0 / 64.0,
       "Horowitz ISSCC 2014, 45 nm: 2600 pJ per 64-bit access, its range's high end"},
      {"DDR3", 70.0, "Accelergy's CACTI plug-in"},
  };
  *n = sizeof p / sizeof *p;
  return p;
}

/* A row's measure: its width for an adder, the product of its operand
 * widths (bits x bits) for a multiplier. */
static double measure(cm_op op, const cm_energy_row *r) {
  return op == CM_OP_MULT ? (double)r->bits * r->bits : (double)r->bits;
}

/* The rows of (op, fp) that bracket measure x: *lo the largest measure <=
 * x, *hi the smallest >= x (the same row where one is at x; NULL where none
 * is on that side). */
static void bracket(const cm_energy_table *t, cm_op op, bool fp, double x,
                    const cm_energy_row **lo, const cm_energy_row **hi) {
  *lo = *hi = NULL;
  for (size_t i = 0; i < t->n; i++) {
    const cm_energy_row *r = &t->rows[i];
    if (r->op != op || r->fp != fp) continue;
    double m = measure(op, r);
    if (m <= x && (!*lo || m > measure(op, *lo))) *lo = r;
    if (m >= x && (!*hi || m < measure(op, *hi))) *hi = r;
  }
}

static em_status no_row(const cm_energy_table *t, const char *what, em_diag *d) {
  return em_diag_set(d, EM_ERR_NOTFOUND, t->name, 0, 0, "energy table has no '%s' row", what);
}

static em_status arith(const cm_energy_table *t, cm_op op, bool fp, unsigned a_bits,
                       unsigned b_bits, cm_energy_value *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  const char *type = fp ? "fp" : "int";
  char what[32];
  snprintf(what, sizeof what, "%s %s", type, op_name(op));
  if (a_bits < 1 || b_bits < 1 || a_bits > 4096 || b_bits > 4096)
    return em_diag_set(d, EM_ERR_RANGE, t->name, 0, 0, "%s of width 0 or over 4096 bits", what);
  /* The measure: the adder's width, or the multiplier's N_a*N_b (an 8x4
   * multiply is priced as the 32 bit products it has, between none and the
   * int8 row's 64). */
  double x = op == CM_OP_MULT ? (double)a_bits * b_bits : (double)a_bits;
  const char *by = op == CM_OP_MULT ? "N_a*N_b" : "N";
  const cm_energy_row *lo, *hi;
  bracket(t, op, fp, x, &lo, &hi);
  if (!lo && !hi) return no_row(t, what, d);
  const cm_energy_row *r = lo ? lo : hi;
  out->from = r;
  double at = 0, factor = 1;
  if (lo && hi && lo != hi) { /* between two rows: linear in the measure */
    at = (x - measure(op, lo)) / (measure(op, hi) - measure(op, lo));
    out->energy_pj = lo->energy_pj + (hi->energy_pj - lo->energy_pj) * at;
  } else { /* at a row, or past the last one: that row scaled by the measure */
    factor = x / measure(op, r);
    out->energy_pj = r->energy_pj * factor;
  }
  if (!isfinite(out->energy_pj)) /* cannot happen with rows <= ENERGY_PJ_MAX; kept as a guard */
    return em_diag_set(d, EM_ERR_RANGE, r->file, r->line, 0, "%s energy is not finite", what);
  out->scaled = !(a_bits == b_bits && r->bits == a_bits);
  if (out->scaled) {
    char w[32];
    if (op == CM_OP_MULT && a_bits != b_bits)
      snprintf(w, sizeof w, "%s%ux%u", type, a_bits, b_bits);
    else
      snprintf(w, sizeof w, "%s%u", type, a_bits);
    if (lo && hi && lo != hi)
      snprintf(out->note, sizeof out->note,
               "%s %s interpolated between %s%u %s and %s%u %s linearly in %s (%.4g of the way)",
               w, op_name(op), type, (unsigned)lo->bits, op_name(op), type, (unsigned)hi->bits,
               op_name(op), by, at);
    else
      snprintf(out->note, sizeof out->note, "%s %s scaled from %s%u %s by %s (x%.4g)", w,
               op_name(op), type, (unsigned)r->bits, op_name(op), by, factor);
  }
  return EM_OK;
}

em_status cm_energy_mult(const cm_energy_table *t, bool fp, unsigned a_bits, unsigned b_bits,
                         cm_energy_value *out, em_diag *d) {
  return arith(t, CM_OP_MULT, fp, a_bits, b_bits, out, d);
}

em_status cm_energy_add(const cm_energy_table *t, bool fp, unsigned bits, cm_energy_value *out,
                        em_diag *d) {
  return arith(t, CM_OP_ADD, fp, bits, bits, out, d);
}

em_status cm_energy_mem(const cm_energy_table *t, cm_op op, uint64_t capacity_bytes,
                        uint64_t access_bits, cm_energy_value *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  if (op == CM_OP_MULT || op == CM_OP_ADD)
    return em_diag_set(d, EM_ERR_INVALID, t->name, 0, 0, "not a memory op: '%s'", op_name(op));
  if (access_bits < 1)
    return em_diag_set(d, EM_ERR_RANGE, t->name, 0, 0, "memory access of 0 bits");
  bool sram = op == CM_OP_SRAM_READ || op == CM_OP_SRAM_WRITE;
  const cm_energy_row *lo = NULL, *hi = NULL; /* bracketing capacities */
  for (size_t i = 0; i < t->n; i++) {
    const cm_energy_row *r = &t->rows[i];
    if (r->op != op) continue;
    if (!sram) {
      if (!lo || r->bits == access_bits) lo = r;
      continue;
    }
    if (r->capacity_bytes <= capacity_bytes && (!lo || r->capacity_bytes > lo->capacity_bytes))
      lo = r;
    if (r->capacity_bytes >= capacity_bytes && (!hi || r->capacity_bytes < hi->capacity_bytes))
      hi = r;
  }
  if (!lo && !hi) return no_row(t, op_name(op), d);
  double e_per_bit;
  const char *how = NULL;
  if (!sram || (lo && hi && lo == hi)) {
    const cm_energy_row *r = lo ? lo : hi;
    out->from = r;
    e_per_bit = r->energy_pj / r->bits;
  } else if (lo && hi) {
    /* log-linear in capacity between the two rows */
    double x0 = log2((double)lo->capacity_bytes), x1 = log2((double)hi->capacity_bytes);
    double x = log2((double)capacity_bytes);
    double e0 = lo->energy_pj / lo->bits, e1 = hi->energy_pj / hi->bits;
    e_per_bit = e0 + (e1 - e0) * (x - x0) / (x1 - x0);
    out->from = lo;
    how = "interpolated in log2(capacity)";
  } else {
    const cm_energy_row *r = lo ? lo : hi;
    out->from = r;
    e_per_bit = r->energy_pj / r->bits;
    how = lo ? "taken from the largest tabulated SRAM" : "taken from the smallest tabulated SRAM";
  }
  out->energy_pj = e_per_bit * (double)access_bits;
  if (!isfinite(out->energy_pj)) /* a guard, as in arith() */
    return em_diag_set(d, EM_ERR_RANGE, out->from->file, out->from->line, 0,
                       "%s energy is not finite", op_name(op));
  out->scaled = how != NULL || out->from->bits != access_bits;
  if (out->scaled) {
    if (sram)
      snprintf(out->note, sizeof out->note, "%s of %llu bits at %llu B %s%s(x%.4g bits)",
               op_name(op), (unsigned long long)access_bits, (unsigned long long)capacity_bytes,
               how ? how : "scaled from a tabulated access", how ? ", " : " ",
               (double)access_bits / out->from->bits);
    else
      snprintf(out->note, sizeof out->note, "%s of %llu bits scaled from %u bits (x%.4g)",
               op_name(op), (unsigned long long)access_bits, (unsigned)out->from->bits,
               (double)access_bits / out->from->bits);
  }
  return EM_OK;
}
