/*
 * hw_model.c - design points of the hardware-model table (hw_model.h):
 * key defaults and range checks from each model's one key table, model
 * files, running layers and networks through a model's run_layer, and
 * sparse cases (the break-even sweep's) through its sparse_point.
 * The table itself is hw_table.c.
 */
#include "hw_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_cost.h"
#include "em_checked.h"
#include "em_parse.h"

em_status hw_result_add(hw_result *a, const hw_result *b, em_diag *d) {
  if (!em_add_u64(a->cycles, b->cycles, &a->cycles) || !em_add_u64(a->macs, b->macs, &a->macs) ||
      !em_add_u64(a->sram_bytes, b->sram_bytes, &a->sram_bytes) ||
      !em_add_u64(a->dram_bytes, b->dram_bytes, &a->dram_bytes))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, 0, 0, "network totals overflow 64 bits");
  a->ran = a->ran || b->ran;
  a->timed = a->timed || b->timed;
  a->latency_us += b->latency_us;
  for (int i = 0; i < HW_E_COUNT; i++) a->energy_pj[i] += b->energy_pj[i];
  a->energy_total_pj += b->energy_total_pj;
  a->ops += b->ops;
  if (!a->ops_unit) a->ops_unit = b->ops_unit;
  a->bops += b->bops;
  a->bops_mac += b->bops_mac;
  if (b->area_mm2 > a->area_mm2) a->area_mm2 = b->area_mm2;
  if (b->dram_refetch_x > a->dram_refetch_x) a->dram_refetch_x = b->dram_refetch_x;
  if (!em_add_u64(a->dram_beyond_cycles, b->dram_beyond_cycles, &a->dram_beyond_cycles))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, 0, 0, "network totals overflow 64 bits");
  return EM_OK;
}

const hw_model *hw_model_find(const char *name) {
  for (const hw_model *const *m = hw_models(); *m; m++)
    if (strcmp((*m)->name, name) == 0) return *m;
  return NULL;
}

int hw_key_find(const hw_model *m, const char *name) {
  for (size_t i = 0; i < m->nkeys; i++)
    if (strcmp(m->keys[i].name, name) == 0) return (int)i;
  return -1;
}

/* Whether v is one of the comma-separated choices (case-insensitive). */
static bool is_choice(const char *choices, const char *v) {
  size_t n = strlen(v);
  for (const char *c = choices; *c;) {
    size_t len = strcspn(c, ",");
    if (len == n && strncasecmp(c, v, n) == 0) return true;
    c += len + (c[len] == ',');
  }
  return false;
}

em_status hw_key_check(const hw_key *k, const char *v, const char *path, uint64_t line,
                       uint64_t col, em_diag *d) {
  switch (k->type) {
  case HW_KEY_INT: {
    uint64_t x;
    if (em_parse_u64(v, &x) != EM_OK || (double)x < k->min || (double)x > k->max)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'%s' must be an integer in [%.0f, %.0f], got '%s'", k->name, k->min,
                         k->max, v);
    return EM_OK;
  }
  case HW_KEY_REAL: {
    double x;
    if (em_parse_f64(v, &x) != EM_OK || !isfinite(x) || x < k->min || x > k->max)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col, "'%s' must be a number in [%g, %g], got '%s'",
                         k->name, k->min, k->max, v);
    return EM_OK;
  }
  case HW_KEY_CHOICE:
    if (!is_choice(k->choices, v)) {
      char list[256] = ""; /* "os, ws, is" */
      for (const char *c = k->choices; *c && strlen(list) + 3 < sizeof list; c++) {
        size_t n = strlen(list);
        if (*c == ',') snprintf(list + n, sizeof list - n, ", ");
        else list[n] = *c, list[n + 1] = '\0';
      }
      return em_diag_set(d, EM_ERR_RANGE, path, line, col, "'%s' must be one of %s, got '%s'",
                         k->name, list, v);
    }
    return EM_OK;
  case HW_KEY_BOOL:
    if (strcasecmp(v, "true") && strcasecmp(v, "false") && strcmp(v, "1") && strcmp(v, "0"))
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'%s' must be true or false, got '%s'", k->name, v);
    return EM_OK;
  case HW_KEY_TEXT:
    if (!*v) return em_diag_set(d, EM_ERR_RANGE, path, line, col, "'%s' is empty", k->name);
    return EM_OK;
  }
  return EM_OK;
}

em_status hw_setting_check(const hw_model *m, const char *key, const char *val, const char *path,
                           uint64_t line, uint64_t col, em_diag *d) {
  int k = hw_key_find(m, key);
  if (k < 0 && !m->set_extra)
    return em_diag_set(d, EM_ERR_NOTFOUND, path, line, col, "'%s' is not a setting of model %s",
                       key, m->name);
  em_status st = k >= 0 ? hw_key_check(&m->keys[k], val, path, line, col, d) : EM_OK;
  if (st != EM_OK) return st;
  /* the value on a default configuration: a file it names must load */
  void *cfg = calloc(1, m->config_size ? m->config_size : 1);
  if (!cfg) return em_diag_set(d, EM_ERR_NOMEM, path, line, col, "out of memory");
  if (m->init) m->init(cfg);
  st = k >= 0 ? m->set(cfg, (size_t)k, val, d) : m->set_extra(cfg, key, val, d);
  free(cfg);
  if (st == EM_ERR_NOTFOUND && k < 0)
    return em_diag_set(d, st, path, line, col, "'%s' is not a setting of model %s", key, m->name);
  if (st != EM_OK && d->line == 0) {
    /* a message without a place of its own is put at the value */
    char msg[EM_DIAG_MSG_MAX];
    em_strlcpy(msg, d->msg, sizeof msg);
    return em_diag_set(d, st, path, line, col, "%s", msg);
  }
  return st;
}

/* Longest key value kept (a preset name or file path). */
#define HW_VALUE_MAX 4096

struct hw_point {
  const hw_model *m;
  const cm_energy_table *t;
  void *cfg;
  void *state;
  bool opened; /* the model's open ran (hw_point_open) */
};

void hw_point_close(hw_point *p) {
  if (!p) return;
  if (p->state && p->m->close) p->m->close(p->state);
  p->state = NULL;
  p->opened = false;
}

void hw_point_destroy(hw_point *p) {
  if (!p) return;
  hw_point_close(p);
  free(p->cfg);
  free(p);
}

/* Splits "key=value" into key (copied into k) and the value. */
static const char *split(const char *setting, char *k, size_t size) {
  const char *eq = strchr(setting, '=');
  size_t klen = eq ? (size_t)(eq - setting) : 0;
  if (!eq || klen == 0 || klen >= size) return NULL;
  memcpy(k, setting, klen);
  k[klen] = '\0';
  return eq + 1;
}

em_status hw_point_configure(const hw_model *m, const char *file, const char *const *settings,
                             size_t n, const cm_energy_table *t, hw_point **out, em_diag *d) {
  *out = NULL;
  hw_point *p = calloc(1, sizeof *p);
  if (!p) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  p->m = m;
  p->t = t;
  p->cfg = calloc(1, m->config_size ? m->config_size : 1);
  em_status st = EM_OK;
  char key[64];
  if (!p->cfg) {
    st = em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto fail;
  }
  /* every setting is checked before anything is applied */
  for (size_t i = 0; i < n && st == EM_OK; i++) {
    const char *v = split(settings[i], key, sizeof key);
    if (!v) {
      st = em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "expected KEY=VALUE, got '%s'", settings[i]);
    } else if (strlen(v) > HW_VALUE_MAX) {
      st = em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "'%s' is longer than %d bytes", key,
                       HW_VALUE_MAX);
    } else {
      int k = hw_key_find(m, key);
      if (k >= 0) st = hw_key_check(&m->keys[k], v, NULL, 0, 0, d);
      else if (!m->set_extra)
        st = em_diag_set(d, EM_ERR_NOTFOUND, NULL, 0, 0, "'%s' is not a setting of model %s",
                         key, m->name);
    }
  }
  if (st != EM_OK) goto fail;
  if (m->init) m->init(p->cfg);
  for (size_t k = 0; k < m->nkeys && st == EM_OK; k++)
    st = m->set(p->cfg, k, m->keys[k].dflt, d);
  if (st == EM_OK && file) {
    if (!m->load_file)
      st = em_diag_set(d, EM_ERR_INVALID, file, 0, 0, "model %s reads no configuration file",
                       m->name);
    else
      st = m->load_file(p->cfg, file, d);
  }
  /* The model's own keys first, then the settings beyond them (set_extra:
   * a GPU's settings over its preset), each pass in the order given: the
   * simt key `gpu` loads a whole preset, and after `n_sm=8` it threw the 8
   * away, so a sweep's row said n_sm = 8 over the full chip's figures. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n && st == EM_OK; i++) {
      const char *v = split(settings[i], key, sizeof key);
      int k = hw_key_find(m, key);
      if ((k >= 0) != (pass == 0)) continue;
      st = k >= 0 ? m->set(p->cfg, (size_t)k, v, d) : m->set_extra(p->cfg, key, v, d);
      if (st == EM_ERR_NOTFOUND && k < 0)
        st = em_diag_set(d, st, NULL, 0, 0, "'%s' is not a setting of model %s", key, m->name);
    }
  if (st == EM_OK && m->check) st = m->check(p->cfg, d);
  if (st != EM_OK) goto fail;
  *out = p;
  return EM_OK;
fail:
  hw_point_destroy(p);
  return st;
}

em_status hw_point_open(hw_point *p, em_diag *d) {
  if (p->opened) return EM_OK;
  em_status st = p->m->open ? p->m->open(p->cfg, p->t, &p->state, d) : EM_OK;
  p->opened = st == EM_OK;
  return st;
}

em_status hw_point_create(const hw_model *m, const char *file, const char *const *settings,
                          size_t n, const cm_energy_table *t, hw_point **out, em_diag *d) {
  em_status st = hw_point_configure(m, file, settings, n, t, out, d);
  if (st == EM_OK && (st = hw_point_open(*out, d)) != EM_OK) {
    hw_point_destroy(*out);
    *out = NULL;
  }
  return st;
}

em_status hw_point_clone(const hw_point *p, hw_point **out, em_diag *d) {
  *out = NULL;
  hw_point *q = calloc(1, sizeof *q);
  size_t size = p->m->config_size ? p->m->config_size : 1;
  if (q) q->cfg = malloc(size);
  if (!q || !q->cfg) {
    hw_point_destroy(q);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  q->m = p->m;
  q->t = p->t;
  memcpy(q->cfg, p->cfg, size);
  em_status st = hw_point_open(q, d);
  if (st != EM_OK) {
    hw_point_destroy(q);
    return st;
  }
  *out = q;
  return EM_OK;
}

const hw_model *hw_point_model(const hw_point *p) { return p->m; }
const void *hw_point_config(const hw_point *p) { return p->cfg; }
double hw_point_freq_mhz(const hw_point *p) { return p->m->freq_mhz ? p->m->freq_mhz(p->cfg) : 0; }

double hw_point_dram_gbps(const hw_point *p) {
  return p->m->dram_gbps ? p->m->dram_gbps(p->cfg) : NAN;
}

bool hw_point_own_dram_price(const hw_point *p) {
  return p->m->own_dram_price && p->m->own_dram_price(p->cfg);
}

void hw_describe(const hw_model *m, const void *cfg, char *buf, size_t size) {
  if (!size) return;
  buf[0] = '\0';
  if (m->describe && cfg) m->describe(cfg, buf, size);
  else snprintf(buf, size, "%s", m->name);
}

const char *hw_applies_next(const char *c, char *need, char *want) {
  while (c && *c) {
    size_t len = strcspn(c, ",");
    const char *eq = memchr(c, '=', len), *next = c + len + (c[len] == ',');
    if (eq) {
      snprintf(need, 64, "%.*s", (int)(eq - c), c);
      snprintf(want, 64, "%.*s", (int)(c + len - eq - 1), eq + 1);
      return next;
    }
    c = next;
  }
  return NULL;
}

const char *hw_point_key_idle(const hw_point *p, const char *key, char *buf, size_t size) {
  int ki = hw_key_find(p->m, key);
  const char *a = ki >= 0 ? p->m->keys[ki].applies : NULL;
  if (!a || !p->m->holds) return NULL;
  char need[64], want[64];
  while ((a = hw_applies_next(a, need, want)) != NULL) {
    int ni = hw_key_find(p->m, need);
    if (ni >= 0 && !p->m->holds(p->cfg, (size_t)ni, want)) {
      snprintf(buf, size, "%s = %s", need, want);
      return buf;
    }
  }
  return NULL;
}

const char *hw_point_unestimated(const hw_point *p, const char *key, const char *val, char *buf,
                                 size_t size) {
  const char *meth = p->m->method;
  int ki = hw_key_find(p->m, key), mi = meth ? hw_key_find(p->m, meth) : -1;
  char need[160];
  if (ki < 0 || mi < 0 || strcasecmp(val, p->m->keys[ki].dflt) == 0 ||
      !hw_point_key_idle(p, key, need, sizeof need))
    return NULL;
  size_t ml = strlen(meth);
  if (strncmp(need, meth, ml) != 0 || strncmp(need + ml, " = ", 3) != 0) return NULL;
  /* the method the point has: the first of the key's choices it holds */
  const char *ch = p->m->keys[mi].choices;
  char have[64] = "?", c[64];
  while (ch && *ch && p->m->holds) {
    size_t n = strcspn(ch, ",");
    snprintf(c, sizeof c, "%.*s", (int)(n < sizeof c ? n : sizeof c - 1), ch);
    if (p->m->holds(p->cfg, (size_t)mi, c)) {
      snprintf(have, sizeof have, "%s", c);
      break;
    }
    ch += n + (ch[n] == ',');
  }
  snprintf(buf, size, "%s = %s does not estimate '%s' = %s (%s does)", meth, have, key, val, need);
  return buf;
}

/* Layers whose DRAM reads pass this many times the words read from the
 * buffers, and interfaces busy this share past the cycles, are said (as
 * `emlsim systolic` says them). */
#define DRAM_NOTE_REFETCH_X 2.0
#define DRAM_NOTE_BEYOND_PCT 1.0

bool hw_point_dram_note(const hw_point *p, const char *const *names, const hw_result *r, size_t n,
                        char *buf, size_t size) {
  buf[0] = '\0';
  if (!p->m->dram_accounting) return false;
  size_t over = 0, worst = SIZE_MAX, wbeyond = SIZE_MAX;
  uint64_t cycles = 0, beyond = 0;
  double wb = 0;
  for (size_t i = 0; i < n; i++) {
    if (!r[i].ran) continue;
    if (r[i].dram_refetch_x > DRAM_NOTE_REFETCH_X) {
      over++;
      if (worst == SIZE_MAX || r[i].dram_refetch_x > r[worst].dram_refetch_x) worst = i;
    }
    cycles += r[i].cycles;
    beyond += r[i].dram_beyond_cycles;
    double x = r[i].cycles ? (double)(r[i].cycles + r[i].dram_beyond_cycles) / (double)r[i].cycles
                           : 0;
    if (x > wb) {
      wb = x;
      wbeyond = i;
    }
  }
  bool span = cycles && 100.0 * (double)beyond / (double)cycles > DRAM_NOTE_BEYOND_PCT;
  if (!over && !span) return false;
  size_t len = (size_t)snprintf(buf, size, "%s:", p->m->dram_accounting);
  if (over && len < size)
    len += (size_t)snprintf(buf + len, size - len,
                            " DRAM reads pass twice the words read from the buffers on %zu "
                            "layer%s (most %s, %.0fx)",
                            over, over > 1 ? "s" : "", names[worst], r[worst].dram_refetch_x);
  if (span && len < size)
    snprintf(buf + len, size - len,
             "%s the DRAM interface is busy %.1f %% past the cycles counted (most %s, %.2fx its "
             "cycles)",
             over ? ";" : "", 100.0 * (double)beyond / (double)cycles, names[wbeyond], wb);
  return true;
}

void hw_point_describe(const hw_point *p, char *buf, size_t size) {
  hw_describe(p->m, p->cfg, buf, size);
}

uint64_t hw_point_host_bytes(const hw_point *p) {
  return p->m->host_bytes ? p->m->host_bytes(p->cfg) : 0;
}

uint64_t hw_point_host_bytes_layer(const hw_point *p, const wl_layer *l) {
  uint64_t b = hw_point_host_bytes(p);
  return l && p->m->layer_host_bytes ? b + p->m->layer_host_bytes(p->cfg, l) : b;
}

bool hw_point_layer_note(const hw_point *p, const wl_layer *l, char *buf, size_t size) {
  return p->m->layer_note && size && p->m->layer_note(p->cfg, l, buf, size);
}

bool hw_point_network_note(const hw_point *p, const wl_network *net, char *buf, size_t size) {
  return p->m->network_note && size &&
         p->m->network_note(p->cfg, net->layers, net->n_layers, buf, size);
}

bool hw_point_native_note(const hw_point *p, const void *work, char *buf, size_t size) {
  return p->m->native_note && size && p->m->native_note(p->cfg, work, buf, size);
}

bool hw_point_run_note(const hw_point *p, const wl_layer *l, const hw_result *r, size_t n,
                       char *buf, size_t size) {
  if (size) buf[0] = '\0';
  return p->m->run_note && size && p->m->run_note(p->cfg, l, r, n, buf, size);
}

uint64_t hw_point_host_bytes_running(const hw_point *p, const wl_network *net) {
  uint64_t most = hw_point_host_bytes(p);
  for (size_t i = 0; net && i < net->n_layers; i++) {
    uint64_t b = hw_point_host_bytes_layer(p, &net->layers[i]);
    if (b > most) most = b;
  }
  return most;
}

/* The parts of a result every model derives alike: the total and the time. */
static void finish(const hw_point *p, hw_result *r) {
  r->energy_total_pj = 0;
  for (int i = 0; i < HW_E_COUNT; i++) r->energy_total_pj += r->energy_pj[i];
  double f = hw_point_freq_mhz(p);
  r->timed = f > 0;
  r->latency_us = r->timed ? (double)r->cycles / f : 0;
}

const char *hw_refuses(const hw_model *m, const void *cfg, wl_prec w, wl_prec a) {
  const char *why = cfg && m->refuses_cfg ? m->refuses_cfg(cfg, w, a) : NULL;
  if (!why && m->refuses) why = m->refuses(w, a);
  return why;
}

bool hw_sparse_refuses(const hw_model *m, const void *cfg, const cm_sparse_spec *f, bool gate,
                       char *why, size_t size) {
  if (!m->sparse_point) {
    snprintf(why, size, "model %s has no sparse execution", m->name);
    return true;
  }
  return m->sparse_refuses && m->sparse_refuses(cfg, f, gate, why, size);
}

hw_sparse_limits hw_sparse_limits_of(const hw_model *m, const void *cfg, const cm_sparse_spec *f) {
  hw_sparse_limits lim = {HW_SPARSE_WEIGHTS_MAX, HW_SPARSE_MACS_MAX, 0, NULL};
  if (m->sparse_limits) m->sparse_limits(cfg, f, &lim);
  return lim;
}

/* Whether the model refuses the layer's widths; the reason goes into d. */
static bool refused(const hw_point *p, const wl_layer *l, em_diag *d) {
  const char *why = hw_refuses(p->m, p->cfg, l->w, l->a);
  if (!why) return false;
  char wb[16], ab[16];
  wl_prec_format(l->w, wb, sizeof wb);
  wl_prec_format(l->a, ab, sizeof ab);
  em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
              "layer '%s': model %s cannot run weights %s, activations %s: %s", l->name,
              p->m->name, wb, ab, why);
  return true;
}

void hw_point_area(const hw_point *p, const wl_layer *l, hw_area *a) {
  memset(a, 0, sizeof *a);
  if (p->m->area) p->m->area(p->cfg, l, a);
}

/* The layer's area, and its leakage over the layer's time as static
 * energy: mW x us = nJ = 1000 pJ. */
static void charge_area(const hw_point *p, const wl_layer *l, hw_result *r) {
  hw_area a;
  hw_point_area(p, l, &a);
  r->area_mm2 = a.total_mm2;
  if (!r->ran || !(a.leakage_mw > 0)) return;
  double f = hw_point_freq_mhz(p);
  if (f > 0) r->energy_pj[HW_E_STATIC] += a.leakage_mw * ((double)r->cycles / f) * 1e3;
}

/* A point only configured (hw_point_configure) has no state to run on. */
static bool unopened(const hw_point *p, em_diag *d) {
  if (p->opened) return false;
  em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "design point of model %s used before it is opened",
              p->m->name);
  return true;
}

/* A layer's error that names no file of its own is located at the layer's
 * line, column 1 (the caller names the workload's file: sim_diag_locate),
 * for every model alike. */
static em_status at_layer(const wl_layer *l, em_status st, em_diag *d) {
  if (d && !d->path[0] && l->src_line && (d->line == 0 || d->line == l->src_line)) {
    d->line = l->src_line;
    if (d->col == 0) d->col = 1;
  }
  return st;
}

em_status hw_point_check_layer(const hw_point *p, const wl_layer *l, em_diag *d) {
  if (refused(p, l, d)) return at_layer(l, EM_ERR_UNSUPPORTED, d);
  em_status st = p->m->check_layer ? p->m->check_layer(p->cfg, l, d) : EM_OK;
  return st == EM_OK ? st : at_layer(l, st, d);
}

/* hw_point_run (alone) and hw_point_run_in (fresh of l's inputs fresh).
 * The layer's own figures are counts (cm_layer_count), not prices: only
 * the model asks the energy table, for the rows it prices its events with
 * (the bit-serial and XNOR arrays have no multiplier and need no 'mult'
 * row). */
static em_status run(hw_point *p, const wl_layer *l, bool alone, uint64_t fresh, hw_result *r,
                     void *detail, em_diag *d) {
  memset(r, 0, sizeof *r);
  if (unopened(p, d)) return EM_ERR_INVALID;
  if (refused(p, l, d)) return at_layer(l, EM_ERR_UNSUPPORTED, d);
  em_status st = !alone && p->m->run_layer_in
                     ? p->m->run_layer_in(p->cfg, p->state, p->t, l, fresh, r, detail, d)
                     : p->m->run_layer(p->cfg, p->state, p->t, l, r, detail, d);
  if (st != EM_OK) return at_layer(l, st, d);
  cm_layer_cost c;
  if ((st = cm_layer_count(l, &c, d)) != EM_OK) return at_layer(l, st, d);
  r->macs = c.macs;
  r->bops = c.bops;
  r->bops_mac = c.bops_mac;
  charge_area(p, l, r);
  finish(p, r);
  return EM_OK;
}

em_status hw_point_run(hw_point *p, const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  return run(p, l, true, 0, r, detail, d);
}

em_status hw_point_run_in(hw_point *p, const wl_layer *l, uint64_t fresh, hw_result *r,
                          void *detail, em_diag *d) {
  return run(p, l, false, fresh, r, detail, d);
}

em_status hw_point_run_native(hw_point *p, const void *work, hw_result *r, void *detail,
                              em_diag *d) {
  memset(r, 0, sizeof *r);
  if (unopened(p, d)) return EM_ERR_INVALID;
  if (!p->m->run_native)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0, "model %s runs layers only",
                       p->m->name);
  em_status st = p->m->run_native(p->cfg, p->state, p->t, work, r, detail, d);
  if (st == EM_OK) charge_area(p, NULL, r);
  if (st == EM_OK) finish(p, r);
  return st;
}

em_status hw_point_sparse(hw_point *p, const hw_sparse_case *c, hw_result *r,
                          hw_sparse_info *x, em_diag *d) {
  memset(r, 0, sizeof *r);
  memset(x, 0, sizeof *x);
  if (unopened(p, d)) return EM_ERR_INVALID;
  char why[256];
  if (hw_sparse_refuses(p->m, p->cfg, &c->fmt, c->gate, why, sizeof why))
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0, "%s", why);
  const wl_layer *l = c->layer;
  if (refused(p, l, d)) return EM_ERR_UNSUPPORTED;
  em_status st = p->m->sparse_point(p->cfg, p->state, p->t, c, r, x, d);
  if (st == EM_OK && !c->nz) {
    cm_layer_cost lc; /* counts: a model asks the table for the rows it uses */
    if ((st = cm_layer_count(l, &lc, d)) == EM_OK) {
      r->macs = lc.macs;
      r->bops = lc.bops;
      r->bops_mac = lc.bops_mac;
    }
  }
  /* the silicon is built for the workload's layer where the case has it
   * (an XNOR unit's sliding-window buffer is a convolution's, not its
   * GEMM's), as the commands charge it, or for the layer the model ran in
   * its place (hw_sparse_info.ran: channel pruning's kept filters) */
  if (st == EM_OK) charge_area(p, x->ran_other ? &x->ran : c->shape ? c->shape : l, r);
  if (st == EM_OK) finish(p, r);
  return st;
}

uint64_t hw_sparse_kept_rows(const uint8_t *nz, uint64_t rows, uint64_t cols) {
  uint64_t kept = 0;
  for (uint64_t r = 0; r < rows; r++) kept += cm_sparse_nnz(nz + r * cols, cols) > 0;
  return kept;
}

wl_layer hw_sparse_gemm(const hw_sparse_case *c, uint64_t n, uint64_t k) {
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  wl_layer l = wl_gemm(c->layer->name, v.m, n, k);
  l.w = c->layer->w;
  l.a = c->layer->a;
  return l;
}

wl_layer hw_sparse_rows(const hw_sparse_case *c, uint64_t n) {
  if (!c->shape || c->shape->kind == WL_GEMM)
    return hw_sparse_gemm(c, n, wl_layer_gemm_view(c->layer).k);
  wl_layer l = *c->shape; /* a convolution or FC of one group (be_run) */
  l.out_c = n;
  return l;
}

em_status hw_sparse_begin(const hw_sparse_case *c, cm_sparse_storage *st, hw_sparse_info *x,
                          em_diag *d) {
  const wl_layer *l = c->layer;
  wl_gemm_view v = wl_layer_gemm_view(l);
  double wb = l->w.bits, ab = l->a.bits;
  x->xy_bytes = ((double)v.k * (double)v.m * ab + (double)v.n * (double)v.m * ab) / 8.0;
  x->dense_bytes = (double)v.n * (double)v.k * wb / 8.0 + x->xy_bytes;
  if (!c->nz) return EM_OK;
  cm_sparse_spec spec = c->fmt;
  spec.value_bits = l->w.bits;
  return hw_sparse_storage(c, &spec, st, x, d);
}

em_status hw_sparse_storage(const hw_sparse_case *c, const cm_sparse_spec *spec,
                            cm_sparse_storage *st, hw_sparse_info *x, em_diag *d) {
  wl_gemm_view v = wl_layer_gemm_view(c->layer);
  em_status s = cm_sparse_storage_of(spec, c->nz, v.n, v.k, st, d);
  if (s != EM_OK) return s;
  x->storage_bytes = st->bytes;
  x->metadata_bytes = (st->metadata_bits + 7) / 8;
  return EM_OK;
}

em_status hw_point_run_network(hw_point *p, const wl_network *net, hw_result *per_layer,
                               hw_result *total, em_diag *d) {
  memset(total, 0, sizeof *total);
  /* what of each layer's input no earlier layer produced, for a model
   * whose figures depend on it (the analytic model's DRAM) */
  uint64_t *fresh = NULL;
  em_status st = EM_OK;
  if (p->m->run_layer_in && net->n_layers) {
    if (!(fresh = malloc(net->n_layers * sizeof *fresh)))
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    st = cm_network_fresh_inputs(net, fresh, d);
  }
  for (size_t i = 0; i < net->n_layers && st == EM_OK; i++) {
    hw_result r;
    st = fresh ? hw_point_run_in(p, &net->layers[i], fresh[i], &r, NULL, d)
               : hw_point_run(p, &net->layers[i], &r, NULL, d);
    if (st != EM_OK) break;
    if (per_layer) per_layer[i] = r;
    st = hw_result_add(total, &r, d);
  }
  free(fresh);
  if (st != EM_OK) return st;
  /* the total's latency is its cycles at the clock, not a sum of roundings */
  double f = hw_point_freq_mhz(p);
  total->timed = f > 0;
  total->latency_us = total->timed ? (double)total->cycles / f : 0;
  if (!total->ops_unit) total->ops_unit = "op";
  return EM_OK;
}
