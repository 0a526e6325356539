/*
 * hw_model.h - the hardware-model table: the one way any command, study,
 * sweep or embedding program reaches a hardware model.
 *
 * Each model family registers one hw_model: its name, one key table (name,
 * unit, default, range, help) that drives command-line options, sweep keys
 * and help text, the precisions it runs, and "run a layer", which fills one
 * hw_result record.  A design point is a model plus values for its keys
 * (hw_point); every command that asks for the same point gets the same
 * figures, because every command asks through here.
 *
 * Adding a model: a new folder under models/ with its code and an adapter
 * that defines `const hw_model hw_<name>`, and one line in hw_table.c.
 *
 * Units: cycles of the model's own clock, microseconds, picojoules, bytes.
 * Energy is split the same way on every model (HW_E_*), with the energy
 * table's name as provenance.
 */
#ifndef HW_MODEL_H
#define HW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_energy.h"
#include "em_diag.h"
#include "wl_layer.h"

/* ---- keys ---- */

typedef enum { HW_KEY_INT, HW_KEY_REAL, HW_KEY_CHOICE, HW_KEY_BOOL, HW_KEY_TEXT } hw_key_type;

typedef struct {
  const char *name;    /* option and sweep key, e.g. "rows" (--rows, rows = ...) */
  const char *unit;    /* "PEs", "kB", "MHz", "words/cycle"; "" for none */
  hw_key_type type;
  double min, max;     /* HW_KEY_INT and HW_KEY_REAL, inclusive */
  const char *dflt;    /* default, as text */
  const char *choices; /* HW_KEY_CHOICE: "os,ws,is" */
  const char *help;
} hw_key;

/* ---- results ---- */

/* Energy components, the same on every model. */
typedef enum {
  HW_E_COMPUTE, /* arithmetic: MACs, AND/XNOR + popcount, ALU lanes */
  HW_E_LOCAL,   /* register files, operand collectors, PE-local storage */
  HW_E_SRAM,    /* on-chip buffers and caches */
  HW_E_DRAM,    /* off-chip transfers */
  HW_E_STATIC,  /* leakage and idle power over the layer's time */
  HW_E_COUNT
} hw_ecomp;

const char *hw_ecomp_name(hw_ecomp c);

/* One layer on one design point. A layer the model has no work for
 * (pooling on an array of MACs) has ran = false and zero figures. */
typedef struct {
  bool ran;
  bool timed;               /* false: a model without a clock (analytic): no
                             * cycles, no latency */
  uint64_t cycles;          /* of the model's clock */
  double latency_us;        /* cycles / clock */
  double energy_pj[HW_E_COUNT];
  double energy_total_pj;   /* sum of the components */
  /* The layer's own figures at the widths it ran, the same on every model
   * (cm_cost.h): */
  uint64_t macs;            /* useful multiply-accumulates */
  double bops;              /* the study book's BOPS, accumulator included */
  double bops_mac;          /* macs x b_w x b_a (HAWQ-V3's convention) */
  /* The model's own count of what its hardware performs: */
  double ops;               /* in ops_unit */
  const char *ops_unit;     /* "MAC", "binary op", "flop" (static string) */
  double utilization_pct;   /* useful work / (cycles x peak per cycle) */
  uint64_t sram_bytes;      /* bytes read from and written to on-chip buffers */
  uint64_t dram_bytes;      /* bytes moved to and from DRAM */
} hw_result;

/* Adds b into a (totals over layers). */
void hw_result_add(hw_result *a, const hw_result *b);

/* ---- models ---- */

typedef struct hw_model hw_model;

struct hw_model {
  const char *name;    /* "systolic" */
  const char *summary; /* one line for help */
  const hw_key *keys;
  size_t nkeys;
  /* Why the model cannot run a layer at weights w and activations a, or NULL
   * when it can (a static string). */
  const char *(*refuses)(wl_prec w, wl_prec a);
  /* The width of a layer whose workload gives none (int8 for integer
   * arrays, fp32 for the GPU's kernels and the published networks). */
  wl_prec default_prec;
  /* Size of the model's configuration struct (what its keys set). */
  size_t config_size;
  /* Sets fields no key covers (may be NULL); called first on a zeroed cfg. */
  void (*init)(void *cfg);
  /* Sets key `key` (an index into keys) from its text, already checked by
   * hw_key_check. A key may read a file (a GPU preset): errors name it. */
  em_status (*set)(void *cfg, size_t key, const char *val, em_diag *d);
  /* Settings outside the key table ("gpu.n_sm" on the SIMT GPU), or NULL:
   * EM_ERR_NOTFOUND for a key the model does not know. */
  em_status (*set_extra)(void *cfg, const char *key, const char *val, em_diag *d);
  /* Reads a model file (a SCALE-Sim .cfg) over the defaults, or NULL when
   * the model has none. Keys given explicitly are applied after it. */
  em_status (*load_file)(void *cfg, const char *path, em_diag *d);
  /* Checks the whole configuration. */
  em_status (*check)(const void *cfg, em_diag *d);
  /* Per-instance state (a simulator object, per-table energies), or NULL. */
  em_status (*open)(const void *cfg, const cm_energy_table *t, void **state, em_diag *d);
  void (*close)(void *state);
  /* Runs one validated layer whose precision is set. `detail`, where not
   * NULL, receives the model's own statistics (its *_stats struct). */
  em_status (*run_layer)(const void *cfg, void *state, const cm_energy_table *t,
                         const wl_layer *l, hw_result *r, void *detail, em_diag *d);
  /* Runs work in the model's own form, or NULL: a SIMT kernel (a trace's or
   * a microbenchmark's), for the per-model command. */
  em_status (*run_native)(const void *cfg, void *state, const cm_energy_table *t,
                          const void *work, hw_result *r, void *detail, em_diag *d);
  /* The clock in MHz; NULL for a model without one. */
  double (*freq_mhz)(const void *cfg);
};

/* The table, NULL-terminated, in a fixed order. */
const hw_model *const *hw_models(void);
/* A model by name, or NULL. */
const hw_model *hw_model_find(const char *name);
/* A key of m by name, or -1. */
int hw_key_find(const hw_model *m, const char *name);
/* Checks one value of a key: "'rows' must be an integer in [1, 65536], got
 * 'x'", located at path:line:col (path may be NULL). */
em_status hw_key_check(const hw_key *k, const char *val, const char *path, uint64_t line,
                       uint64_t col, em_diag *d);

/* Checks one setting of model m where a file gives it: a key of its table
 * (hw_key_check), or a setting outside it (set_extra, tried on a default
 * configuration). path:line:col locate the message. */
em_status hw_setting_check(const hw_model *m, const char *key, const char *val, const char *path,
                           uint64_t line, uint64_t col, em_diag *d);

/* ---- design points ---- */

typedef struct hw_point hw_point;

/* A design point of model m: each key's default, then `file` (the model's
 * configuration file, may be NULL), then the settings "key=value" (n of
 * them, in order; later ones win). Every setting is checked before any is
 * applied; unknown keys and bad values are errors naming the key. The
 * energy table t is borrowed and must outlive the point. */
em_status hw_point_create(const hw_model *m, const char *file, const char *const *settings,
                          size_t n, const cm_energy_table *t, hw_point **out, em_diag *d);
void hw_point_destroy(hw_point *p);
const hw_model *hw_point_model(const hw_point *p);
/* The model's configuration struct (sa_config, bs_config, ...). */
const void *hw_point_config(const hw_point *p);
/* The clock, MHz; 0 for a model without one. */
double hw_point_freq_mhz(const hw_point *p);

/* Runs one layer (a design point is not thread-safe: one per thread). A
 * layer whose precision the model refuses is EM_ERR_UNSUPPORTED with the
 * reason and the layer's name. */
em_status hw_point_run(hw_point *p, const wl_layer *l, hw_result *r, void *detail,
                       em_diag *d);
/* Runs work in the model's own form (hw_model.run_native); EM_ERR_UNSUPPORTED
 * for a model that has none. Layer-independent figures (macs, bops) are 0. */
em_status hw_point_run_native(hw_point *p, const void *work, hw_result *r, void *detail,
                              em_diag *d);
/* Runs every layer of net; per_layer (net->n_layers entries) may be NULL. */
em_status hw_point_run_network(hw_point *p, const wl_network *net, hw_result *per_layer,
                               hw_result *total, em_diag *d);

#endif
