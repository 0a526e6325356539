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
#include "cm_sparse.h"
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
  /* NULL, or where the key changes anything: "KEY=VALUE[,KEY=VALUE...]"
   * (other keys of the model must hold those values: 'bandwidth' with
   * bandwidth_mode = user and mode = simulate), or
   * "sparse" (only a sparse point uses it: a dense layer runs the same
   * whatever it holds).  A sweep refuses a key whose condition none of its
   * points meets, rather than print rows that differ in nothing. */
  const char *applies;
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
  /* Where a model's DRAM accounting is not the physics of a bandwidth
   * (hw_model.dram_accounting: the systolic array's USER interface keeps
   * SCALE-Sim's), what it gives, else 0: the most an operand's DRAM reads
   * pass the words the unit read of it from its buffer (a total keeps
   * the larger), and the cycles its DRAM interface is busy beyond
   * `cycles`. */
  double dram_refetch_x;
  uint64_t dram_beyond_cycles;
  double area_mm2;          /* the design point's silicon area, logic and on-chip memory, mm^2 (0: unknown) */
} hw_result;

/* Adds b into a (totals over layers). area_mm2 is not summed: the total
 * keeps the larger (the chip that runs every layer).  EM_ERR_OVERFLOW
 * (a partly added) where a count passes 2^64 - 1. */
em_status hw_result_add(hw_result *a, const hw_result *b, em_diag *d);

/* ---- area ---- */

/* A design point's silicon, for the layer's widths (costmodel/cm_area.h):
 * the breakdown behind hw_result.area_mm2. */
typedef struct {
  double logic_mm2;   /* PEs, DPUs, lanes: synthesized RTL, placed */
  double sram_mm2;    /* on-chip buffers (CACTI-derived) */
  double total_mm2;   /* logic + SRAM, or a chip's published die area */
  double leakage_mw;  /* static power from the area, charged as HW_E_STATIC
                       * over the layer's time; 0 where the model charges
                       * its own static energy (the SIMT GPU) */
  unsigned node_nm;   /* technology of the figures (45 for the accelerators) */
  const char *source; /* provenance, a static string; NULL when unknown */
  /* without a layer, what a layer adds to the figures above, a static
   * string (the XNOR unit: its weights' SRAM); NULL when nothing */
  const char *layer_adds;
  /* where a layer's leakage is not the design's whole (memories it does
   * not use power-gated), how, a static string; NULL where every layer
   * leaks the whole design for its time */
  const char *leak_gated;
} hw_area;

/* ---- sparse execution ---- */

/* One product with sparse weights, Y (N x M) = W (N x K) X (K x M), as the
 * break-even sweep (breakeven.h) runs it. */
typedef struct {
  /* The dense product as a GEMM layer, wl_gemm(name, M, N, K), its widths
   * set (the model's default width where the sweep gives none). */
  const wl_layer *layer;
  /* The workload's layer whose GEMM view `layer` is, at its widths (NULL:
   * a bare GEMM).  A model whose run of the layer differs from the GEMM's
   * runs this one for the dense product and the activations: the systolic
   * array's convolution reads overlapping windows' activations once, where
   * the GEMM (im2col) reads each window's. */
  const wl_layer *shape;
  /* W's pattern, N x K row-major, 1 = non-zero; NULL for the dense
   * reference that format `fmt` is measured against. */
  const uint8_t *nz;
  /* The format (cm_sparse.h); the model sets its own value and index
   * widths. CM_FMT_DENSE with a pattern runs dense. */
  cm_sparse_spec fmt;
  /* Options of the sparse run where a model has them: */
  bool gate;           /* zero gating instead of skipping (systolic: the
                        * dense cycles, a comparator instead of a zero MAC) */
  bool csr_per_thread; /* SIMT CSR: a row per thread instead of per warp */
} hw_sparse_case;

/* What the model stored and moved for a case, for the break-even model. */
typedef struct {
  uint64_t storage_bytes;    /* W in the format at the model's widths, values
                              * and metadata (0 for the dense reference) */
  uint64_t metadata_bytes;   /* of which metadata, rounded up to bytes */
  double dense_bytes;        /* B: dense W, X and Y at the widths the
                              * format's kernels use */
  double xy_bytes;           /* X and Y alone: B_sparse = storage + this */
  double bw_bytes_per_cycle; /* the DRAM bandwidth the model enforces; 0 where
                              * it enforces none (no memory stalls) */
  char kernel[128];          /* the kernel run, "" for a model without kernels; two
                              * names where a dense reference's fastest and least
                              * energy differ */
  /* The model's own counters, for the break-even model's P_eff (useful
   * flops per busy cycle, 2 x useful_macs / busy_cycles): the MACs on
   * non-zero weights and the cycles its multipliers were busy.  Both 0
   * where the model does not count them: the sweep then fits P_eff. */
  uint64_t useful_macs;
  uint64_t busy_cycles;
  /* Where the model ran a layer of its own in place of the case's
   * (channel pruning: the layer with the kept filters), that layer:
   * hw_point_sparse charges its silicon's area and leakage, as the
   * model's command charges the layer (the XNOR unit's weight memory
   * holds the kept weights, and a layer leaks the memories it uses). */
  bool ran_other;
  wl_layer ran;
  /* The operand widths the model's kernels ran at where they are not the
   * layer's (bits 0: the layer's): the SIMT GPU's 2:4 and its dense
   * reference run fp16 on tensor cores whatever the layer says, and a
   * curve "at fp32:fp32" named widths nothing ran at. */
  wl_prec ran_w, ran_a;
  /* Where the model runs and stores the format otherwise than its own
   * definition (the bit-serial array's slice flags for any unstructured or
   * block format; gating's dense weights and flags), what it does instead,
   * in words for a note (a static string); NULL where it runs the format. */
  const char *runs_as;
} hw_sparse_info;

/* The largest product Y (N x M) = W (N x K) X (K x M) a break-even sweep
 * (models/breakeven.h) runs of a format on a model, so that a sweep at its
 * default 20 sparsity points ends in minutes, not hours; each command that
 * sweeps asks be_check_size, which asks hw_sparse_limits_of. */
typedef struct {
  uint64_t weights_max; /* N x K: the pattern is drawn and held at each point */
  uint64_t macs_max;    /* M x N x K */
  uint64_t outputs_max; /* M x N; 0: no bound but the MACs' */
  const char *on;       /* where the kernels run, for the refusal ("CUDA cores"), a
                         * static string; NULL: said of no unit */
} hw_sparse_limits;

/* The limits every model's sweep keeps unless its sparse_limits lowers
 * them: N x K <= 2^26 weights and M x N x K <= 2^32 MACs (the README's
 * 4096x1024x1024 2:4 on sparse tensor cores, 21 s a point). */
#define HW_SPARSE_WEIGHTS_MAX (1ull << 26)
#define HW_SPARSE_MACS_MAX (1ull << 32)

/* ---- models ---- */

typedef struct hw_model hw_model;

struct hw_model {
  const char *name;    /* "systolic" */
  const char *summary; /* one line for help */
  const hw_key *keys;
  size_t nkeys;
  /* The key that picks how the model works a design's figures out, not
   * what the design is (the systolic array's 'mode': its walk or its
   * closed form), or NULL.  A key a point sets other than its default that
   * changes nothing there for want of another value of this one
   * (hw_point_key_idle) is a design the point's method cannot estimate
   * (hw_point_unestimated). */
  const char *method;
  /* Where the model's DRAM figures keep an accounting other than a
   * bandwidth's physics (hw_result.dram_refetch_x, dram_beyond_cycles), what
   * it is and how to have the compulsory traffic, a static string; NULL
   * where none.  hw_point_dram_note words it. */
  const char *dram_accounting;
  /* Why the model cannot run a layer at weights w and activations a, or NULL
   * when it can (a static string). */
  const char *(*refuses)(wl_prec w, wl_prec a);
  /* The same for one configuration (a GPU whose architecture lacks the
   * type's tensor path), or NULL; asked first, the more specific reason. */
  const char *(*refuses_cfg)(const void *cfg, wl_prec w, wl_prec a);
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
  /* Whether configuration cfg holds value val (case-insensitive) for key
   * (an index into keys): what the applies conditions of the model's keys
   * ask ("bandwidth_mode=user"). NULL where no key has such a condition;
   * a model with conditions answers for every key they name. */
  bool (*holds)(const void *cfg, size_t key, const char *val);
  /* Reads a model file (a SCALE-Sim .cfg) over the defaults, or NULL when
   * the model has none. Keys given explicitly are applied after it. */
  em_status (*load_file)(void *cfg, const char *path, em_diag *d);
  /* Checks the whole configuration. */
  em_status (*check)(const void *cfg, em_diag *d);
  /* Per-instance state (a simulator object, per-table energies), or NULL.
   * Errors: EM_ERR_LIMIT where the state would pass the host memory budget
   * (em_host_budget: the run's limit, EMLSIM_HOST_MEMORY, not the design's
   * fault), EM_ERR_NOMEM; any other, a configuration that makes no design
   * the model can run (a sweep lists such a point without figures). */
  em_status (*open)(const void *cfg, const cm_energy_table *t, void **state, em_diag *d);
  void (*close)(void *state);
  /* Runs one validated layer whose precision is set. `detail`, where not
   * NULL, receives the model's own statistics (its *_stats struct). */
  em_status (*run_layer)(const void *cfg, void *state, const cm_energy_table *t,
                         const wl_layer *l, hw_result *r, void *detail, em_diag *d);
  /* run_layer for a layer of a network, where `fresh` of its input elements
   * come from no earlier layer of it (cm_network_fresh_inputs), or NULL
   * where a layer's figures are the same wherever it runs (every array
   * model reads its inputs from DRAM itself).  The analytic model's DRAM
   * reads only those inputs (the rest crossed DRAM as earlier outputs);
   * its run_layer is this with every input fresh. */
  em_status (*run_layer_in)(const void *cfg, void *state, const cm_energy_table *t,
                            const wl_layer *l, uint64_t fresh, hw_result *r, void *detail,
                            em_diag *d);
  /* Runs work in the model's own form, or NULL: a SIMT kernel (a trace's or
   * a microbenchmark's), for the per-model command. */
  em_status (*run_native)(const void *cfg, void *state, const cm_energy_table *t,
                          const void *work, hw_result *r, void *detail, em_diag *d);
  /* The clock in MHz; NULL for a model without one. */
  double (*freq_mhz)(const void *cfg);
  /* The DRAM bandwidth the design point holds its layers to, GB/s (10^9
   * bytes a second); 0 where it holds them to none (its DRAM is taken to
   * keep up: the systolic array's CALC, the bit-serial array); NULL for a
   * model without a clock.  Commands ask hw_point_dram_gbps. */
  double (*dram_gbps)(const void *cfg);
  /* Whether the design prices its DRAM at its own interface, not from the
   * energy table's DRAM rows (the SIMT GPU's dram_pj_per_bit > 0); NULL:
   * from the table.  Commands ask hw_point_own_dram_price. */
  bool (*own_dram_price)(const void *cfg);
  /* The design point in one short line, for reports and table cells
   * ("32x32 os, 64 kB SRAMs, CALC bandwidth, 1000 MHz"), from cfg as
   * configured, into buf (always terminated, cut to size); NULL: the
   * model's name stands for it.  Commands ask hw_describe. */
  void (*describe)(const void *cfg, char *buf, size_t size);
  /* The most host memory, in bytes, an instance holds from open to close
   * (a GPU simulator's state), or NULL where that is small: what --jobs
   * multiplies (em_pool.h's budget). A layer's working memory inside
   * run_layer is the model's own to bound. */
  uint64_t (*host_bytes)(const void *cfg);
  /* The host memory run_layer holds at least while it runs layer l and
   * frees after (a systolic layer's walk), or NULL where that is small.
   * The model refuses a layer whose count passes the budget; commands
   * running several at once keep their sum within it. */
  uint64_t (*layer_host_bytes)(const void *cfg, const wl_layer *l);
  /* What a user should know before layer l runs (its run takes minutes,
   * and how to have its figures at once), into buf; false, or NULL, where
   * nothing. */
  bool (*layer_note)(const void *cfg, const wl_layer *l, char *buf, size_t size);
  /* The same for n layers run one after another, where none alone has a
   * layer_note yet together they take minutes (VGG-16 on a 65536 x 65536
   * array: no layer past a minute, two minutes in all), or NULL. */
  bool (*network_note)(const void *cfg, const wl_layer *layers, size_t n, char *buf, size_t size);
  /* The same before work in the model's own form (run_native's) runs, or
   * NULL. */
  bool (*native_note)(const void *cfg, const void *work, char *buf, size_t size);
  /* Whether run_layer would refuse layer l at once (too large to
   * simulate), cheaply, without running it: its error, or EM_OK; NULL
   * where the model refuses nothing that way.  A command checks every
   * layer of a network before the first runs. */
  em_status (*check_layer)(const void *cfg, const wl_layer *l, em_diag *d);
  /* What a user should know of the figures of n layers that ran on the
   * design (layer l[i] gave r[i]), where the design, not the layers' work,
   * makes up a large part of them (the bit-serial array's K padded to whole
   * Dk slices on layers that fill under half of it, a tenth or more of the
   * cycles), into buf; false, or NULL, where nothing.  Commands ask
   * hw_point_run_note. */
  bool (*run_note)(const void *cfg, const wl_layer *l, const hw_result *r, size_t n, char *buf,
                   size_t size);
  /* Runs one sparse case (hw_sparse_case), or NULL where the model has no
   * sparse execution: fills r (cycles, energy by component; macs and bops
   * are left to hw_point_sparse) and x. A format the model cannot run is
   * EM_ERR_UNSUPPORTED with the reason. */
  em_status (*sparse_point)(const void *cfg, void *state, const cm_energy_table *t,
                            const hw_sparse_case *c, hw_result *r, hw_sparse_info *x,
                            em_diag *d);
  /* Whether the model, configured as cfg (NULL: whatever the
   * configuration), cannot run sparse format f (gate: zero gating asked,
   * hw_sparse_case), the reason into why (size > 0); NULL where
   * sparse_point runs every format.  sparse_point is not asked a format
   * this refuses (hw_point_sparse asks first). */
  bool (*sparse_refuses)(const void *cfg, const cm_sparse_spec *f, bool gate, char *why,
                         size_t size);
  /* The largest sparse product of format f the model's break-even sweep
   * runs, configured as cfg: lim holds the general limits
   * (HW_SPARSE_WEIGHTS_MAX, HW_SPARSE_MACS_MAX, no bound on outputs) and
   * the model lowers those its kernels for f need lower (the SIMT GPU's
   * CUDA-core kernels, every format but N:M); NULL where the general
   * limits hold for every format.  Commands ask hw_sparse_limits_of. */
  void (*sparse_limits)(const void *cfg, const cm_sparse_spec *f, hw_sparse_limits *lim);
  /* The design point's area built for layer l's widths (l NULL: the model's
   * default width), or NULL for a model without one (area unknown, 0). */
  void (*area)(const void *cfg, const wl_layer *l, hw_area *a);
};

/* The table, NULL-terminated, in a fixed order. */
const hw_model *const *hw_models(void);
/* A model by name, or NULL. */
const hw_model *hw_model_find(const char *name);
/* Why model m, configured as cfg (its configuration struct: a design
 * point's hw_point_config; NULL to ask without one), cannot run a layer at
 * weights w and activations a, or NULL when it can: the configuration's
 * reason first (refuses_cfg: a GPU whose architecture lacks the type's
 * tensor path), then the model's (refuses).  A static string.  Commands
 * ask this, never the model's function pointers. */
const char *hw_refuses(const hw_model *m, const void *cfg, wl_prec w, wl_prec a);
/* Whether model m, configured as cfg (NULL: whatever the configuration,
 * the formats it never runs), cannot run sparse format f with zero gating
 * `gate`: a model without sparse execution, or one of its sparse_refuses;
 * the reason into why (size > 0).  Commands ask this before a sweep (a
 * format the model lacks is the command line's fault), and
 * hw_point_sparse asks it of every case. */
bool hw_sparse_refuses(const hw_model *m, const void *cfg, const cm_sparse_spec *f, bool gate,
                       char *why, size_t size);
/* The largest product of sparse format f a break-even sweep runs on model
 * m configured as cfg (a design point's hw_point_config): the general
 * limits, lowered where the model's sparse_limits lowers them. */
hw_sparse_limits hw_sparse_limits_of(const hw_model *m, const void *cfg, const cm_sparse_spec *f);
/* Model m's design point cfg (a point's hw_point_config) in one short
 * line into buf (size > 0; cut to size, always terminated): the model's
 * describe, or its name where it has none.  hw_point_describe asks it of a
 * point. */
void hw_describe(const hw_model *m, const void *cfg, char *buf, size_t size);
/* A key of m by name, or -1. */
int hw_key_find(const hw_model *m, const char *name);
/* The KEY=VALUE conditions of a key's applies, one a call: c is the text
 * (the applies string first, then what the call before returned); need and
 * want (64 bytes each) get the condition's key and value. Returns the rest
 * of the text, or NULL after the last condition; a part without '='
 * ("sparse") is passed over. */
const char *hw_applies_next(const char *c, char *need, char *want);
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
 * them; later ones win): the model's keys first, then those outside its
 * table (set_extra), each in order, so a key that loads a whole
 * configuration (the GPU's `gpu` preset) never undoes the settings over
 * it, whatever their order. Every setting is checked before any is
 * applied; unknown keys and bad values are errors naming the key. The
 * energy table t is borrowed and must outlive the point. */
em_status hw_point_create(const hw_model *m, const char *file, const char *const *settings,
                          size_t n, const cm_energy_table *t, hw_point **out, em_diag *d);
void hw_point_destroy(hw_point *p);
/* hw_point_create in two steps: the configuration, checked (what it holds
 * can be asked: hw_point_host_bytes, the clock), then the model's state.
 * A point must be opened before it runs; hw_point_create does both. */
em_status hw_point_configure(const hw_model *m, const char *file, const char *const *settings,
                             size_t n, const cm_energy_table *t, hw_point **out, em_diag *d);
em_status hw_point_open(hw_point *p, em_diag *d);
/* Frees the model's state and keeps the configuration (to be asked, or
 * opened again): a point kept for its figures stops holding host memory. */
void hw_point_close(hw_point *p);
/* Another instance of design point p (its configuration, its energy table,
 * state of its own), for a second thread: a model's configuration owns no
 * memory (hw_point_destroy frees it whole), so it is copied as it is. */
em_status hw_point_clone(const hw_point *p, hw_point **out, em_diag *d);
const hw_model *hw_point_model(const hw_point *p);
/* The model's configuration struct (sa_config, bs_config, ...). */
const void *hw_point_config(const hw_point *p);
/* The clock, MHz; 0 for a model without one. */
double hw_point_freq_mhz(const hw_point *p);
/* The DRAM bandwidth the point holds its layers to, GB/s; 0 for none, and
 * NAN for a model without a clock (hw_model.dram_gbps). */
double hw_point_dram_gbps(const hw_point *p);
/* Whether p prices its DRAM at its own interface, not from the energy
 * table's rows (hw_model.own_dram_price; false where the model has none). */
bool hw_point_own_dram_price(const hw_point *p);
/* The point's design in one short line (hw_describe of its configuration). */
void hw_point_describe(const hw_point *p, char *buf, size_t size);
/* The host memory an instance of p holds (hw_model.host_bytes); 0 where
 * the model counts none. A command holding several instances at once
 * (--jobs) asks em_pool_jobs_within with it. */
uint64_t hw_point_host_bytes(const hw_point *p);
/* What an instance of p holds while it runs the layers of net, at the most
 * (net NULL: between layers): hw_point_host_bytes plus the largest
 * layer_host_bytes. */
uint64_t hw_point_host_bytes_running(const hw_point *p, const wl_network *net);
/* The same for one layer. */
uint64_t hw_point_host_bytes_layer(const hw_point *p, const wl_layer *l);
/* The model's note before layer l runs (hw_model.layer_note) into buf;
 * false where it has none. */
bool hw_point_layer_note(const hw_point *p, const wl_layer *l, char *buf, size_t size);
/* The same for net's layers together (hw_model.network_note), asked before
 * the first runs. */
bool hw_point_network_note(const hw_point *p, const wl_network *net, char *buf, size_t size);
/* The same before work in the model's own form runs (hw_model.native_note:
 * a SIMT kernel). */
bool hw_point_native_note(const hw_point *p, const void *work, char *buf, size_t size);
/* Layer l refused as hw_point_run would refuse it before running it: a
 * width the model cannot run, or one too large to simulate
 * (hw_model.check_layer), located at the layer's line; EM_OK else. */
em_status hw_point_check_layer(const hw_point *p, const wl_layer *l, em_diag *d);

/* Where key, a key of p's model, changes nothing at p (hw_key.applies):
 * the first KEY=VALUE condition p's configuration does not hold, as
 * "bandwidth_mode = user", into buf (size > 0); NULL where every condition
 * holds, or the key has none. A "sparse" key is the command's to judge. */
const char *hw_point_key_idle(const hw_point *p, const char *key, char *buf, size_t size);
/* Where setting key = val (val as the point holds it) asks p for a design
 * its model's method (hw_model.method) at p cannot estimate: val is not the
 * key's default and the key changes nothing at p for want of another value
 * of the method key ('bandwidth_mode' = user at mode = closed: the closed
 * form has no stalls, so its figures are CALC's).  Why, into buf (size >
 * 0), as "mode = closed does not estimate 'bandwidth_mode' = user (mode =
 * simulate does)"; NULL where the point estimates it. */
const char *hw_point_unestimated(const hw_point *p, const char *key, const char *val, char *buf,
                                 size_t size);

/* What a user should know of the DRAM figures of n layers that ran on p
 * (names[i], r[i]), where p's model keeps an accounting that is not a
 * bandwidth's physics (hw_model.dram_accounting): the layers whose DRAM
 * reads pass twice the words the unit read from its buffers, the worst
 * first, and how far past their cycles the interface is busy, beside the
 * model's words, into buf (size > 0); false where nothing passes. */
bool hw_point_dram_note(const hw_point *p, const char *const *names, const hw_result *r, size_t n,
                        char *buf, size_t size);

/* The model's note on the figures of n layers that ran on p (layer l[i]
 * gave r[i]; hw_model.run_note) into buf; false where it has none. */
bool hw_point_run_note(const hw_point *p, const wl_layer *l, const hw_result *r, size_t n,
                       char *buf, size_t size);

/* The point's area for layer l's widths (l NULL: the model's default
 * width); all zero for a model without an area. hw_point_run sets
 * r->area_mm2 from it and charges its leakage as HW_E_STATIC over the
 * layer's latency. */
void hw_point_area(const hw_point *p, const wl_layer *l, hw_area *a);

/* Runs one layer (a design point is not thread-safe: one per thread), as
 * a network of its own (every input is the network's: hw_point_run_in with
 * every input fresh).  A layer whose precision the model refuses is
 * EM_ERR_UNSUPPORTED with the reason and the layer's name.  r's macs, bops
 * and bops_mac are the layer's counts (cm_layer_count): no energy table
 * row is asked for them, only those the model prices its events with. */
em_status hw_point_run(hw_point *p, const wl_layer *l, hw_result *r, void *detail,
                       em_diag *d);
/* Runs layer l (layer i of a network at the widths the command runs it)
 * where `fresh` of its input elements come from no earlier layer of the
 * network (cm_network_fresh_inputs of it, fresh[i]): what
 * hw_point_run_network runs each layer with, and what a command that runs
 * a network's layers one by one must run them with to give its figures
 * (the analytic model's DRAM energy; hw_model.run_layer_in). */
em_status hw_point_run_in(hw_point *p, const wl_layer *l, uint64_t fresh, hw_result *r,
                          void *detail, em_diag *d);
/* Runs work in the model's own form (hw_model.run_native); EM_ERR_UNSUPPORTED
 * for a model that has none. Layer-independent figures (macs, bops) are 0. */
em_status hw_point_run_native(hw_point *p, const void *work, hw_result *r, void *detail,
                              em_diag *d);
/* Runs one sparse case (hw_sparse_case) on the point: the dense reference
 * of format c->fmt (c->nz NULL) or the product with pattern c->nz. On the
 * arrays (systolic, bit-serial, XNOR) the dense reference of a layer equals
 * hw_point_run of it (c->shape: the workload's layer).  The SIMT GPU's is
 * not always the layer's run: for every format it is the fastest of its
 * dense candidate kernels on the layer's GEMM view and, for a convolution,
 * the kernel hw_point_run runs (for 2:4 tensor-core and fp16 kernels), with
 * the least energy of any candidate, so `emlsim breakeven`'s dense point of
 * a GPU layer is never slower than `emlsim simt`'s, and faster where a
 * GEMM-view kernel beats the layer's (models/simt/README.md, "The dense
 * reference"; models/README.md, the study's dense_reference).  macs and bops are the layer's for
 * the dense reference, 0 for a sparse point. x receives the storage and the
 * roofline's bytes and bandwidth. Errors: EM_ERR_UNSUPPORTED for a model
 * without sparse execution, a width it refuses (as hw_point_run) or a format
 * it cannot run, with the reason. */
em_status hw_point_sparse(hw_point *p, const hw_sparse_case *c, hw_result *r,
                          hw_sparse_info *x, em_diag *d);
/* Helpers for a model's sparse_point: */
/* The rows of pattern nz (rows x cols) with any non-zero: the filters
 * channel pruning keeps. */
uint64_t hw_sparse_kept_rows(const uint8_t *nz, uint64_t rows, uint64_t cols);
/* The case's product with n rows of W and a reduction of k (a pruned or
 * compressed part of it): wl_gemm(layer name, M, n, k) at the layer's widths. */
wl_layer hw_sparse_gemm(const hw_sparse_case *c, uint64_t n, uint64_t k);
/* The case's dense layer (its shape, else its GEMM) with only n of its N
 * rows of W: the channel-pruned layer, a convolution with n filters where
 * the shape is one. */
wl_layer hw_sparse_rows(const hw_sparse_case *c, uint64_t n);
/* The start of an array model's sparse_point: x's dense bytes (W, X and Y)
 * and X and Y alone, at the case's layer widths, and, for a sparse case
 * (c->nz), the format's storage with values at the layer's weight width
 * (st and x's storage figures; st is left as it was for the dense
 * reference).  Errors: those of hw_sparse_storage. */
em_status hw_sparse_begin(const hw_sparse_case *c, cm_sparse_storage *st, hw_sparse_info *x,
                          em_diag *d);
/* The exact storage of c->nz in format spec (c->fmt with the model's value
 * and index widths) into st, and its bytes and metadata bytes into x.
 * Errors: those of cm_sparse_storage_of (an N:M pattern violated). */
em_status hw_sparse_storage(const hw_sparse_case *c, const cm_sparse_spec *spec,
                            cm_sparse_storage *st, hw_sparse_info *x, em_diag *d);

/* Runs every layer of net, each as a layer of it (hw_point_run_in with
 * cm_network_fresh_inputs); per_layer (net->n_layers entries) may be NULL. */
em_status hw_point_run_network(hw_point *p, const wl_network *net, hw_result *per_layer,
                               hw_result *total, em_diag *d);

#endif
