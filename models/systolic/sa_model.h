/*
 * sa_model.h - a systolic MAC array of R x C processing elements with
 * output-, weight- and input-stationary dataflows, its double-buffered
 * ifmap / filter / ofmap SRAMs and the DRAM interface behind them.
 *
 * The model follows SCALE-Sim v2 (scalesim-project/scale-sim-v2 at 22f88b1)
 * so that its per-layer figures can be compared one for one; see
 * models/README.md for every convention kept and every deliberate
 * difference.  Operands come from the layer's GEMM view (wl_layer.h): Npx
 * output pixels (M), a window of W = K_view elements, F filters (N); a
 * grouped layer runs as `groups` independent layers (SCALE-Sim's DP rule).
 *
 * Two modes give the same compute figures:
 *  - sa_closed_form(): cycles, utilization, mapping efficiency and SRAM
 *    traffic from per-fold formulas, in microseconds;
 *  - sa_simulate(): walks the operand demand streams fold by fold (never
 *    cycle by cycle over the whole array) through the SRAM buffer models to
 *    get DRAM traffic and stall cycles as well.
 * Units: cycles of the array clock, words (one operand each: an operand
 * wider than a memory word is one word of these counts, and
 * sa_operand_words() words of the memory), counts.
 */
#ifndef SA_MODEL_H
#define SA_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"
#include "wl_layer.h"

typedef enum { SA_OS, SA_WS, SA_IS } sa_dataflow;

/* Array and memory configuration (SCALE-Sim's [architecture_presets] and
 * [run_presets]); see sa_config.h for the file format. */
typedef struct {
  char run_name[128];
  uint32_t rows, cols;          /* ArrayHeight, ArrayWidth */
  uint64_t ifmap_sram_kb;       /* IfmapSramSzkB (1 kB = 1024 bytes) */
  uint64_t filter_sram_kb;      /* FilterSramSzkB */
  uint64_t ofmap_sram_kb;       /* OfmapSramSzkB */
  uint64_t ifmap_offset, filter_offset, ofmap_offset; /* address offsets */
  sa_dataflow dataflow;
  uint32_t bandwidth;           /* words per cycle, USER interface bandwidth */
  bool bw_calc;                 /* InterfaceBandwidth: CALC (SCALE-Sim's estimate) */
  uint32_t memory_banks;        /* accepted, must be 1 (as SCALE-Sim v2 uses it) */
  uint32_t word_bytes;          /* bytes per SRAM/DRAM word (SCALE-Sim: 1) */
  bool pack_narrow;             /* pack operands narrower than a word (see README) */
  double freq_mhz;              /* clock, for time and power figures */
  bool closed_form;             /* the model's mode = closed: closed-form cycles and
                                 * compulsory DRAM traffic, no demand streams walked */
  /* USER bandwidth only, for a sparse layer simulated by its weight slots
   * (sa_hw.c): DRAM words each ifmap / filter word of the simulated layer
   * stands for (0 or 1: none; mem_stream.dram_words_per_word). */
  double ifmap_dram_scale, filter_dram_scale;
} sa_config;

/* SCALE-Sim's defaults (its configs/scale.cfg): 32 x 32, os, 64 kB SRAMs,
 * offsets 0 / 10,000,000 / 20,000,000, bandwidth 10, CALC, 1-byte words. */
sa_config sa_config_default(void);

/* Per-layer figures, with SCALE-Sim's meaning (COMPUTE_REPORT,
 * DETAILED_ACCESS_REPORT). Start/stop cycles are -1 when not computed. */
typedef struct {
  uint64_t npx, window, filters, groups; /* the operand view */
  uint64_t folds;
  uint64_t total_cycles, stall_cycles;
  uint64_t macs;                /* useful MACs */
  double overall_util_pct;      /* MACs / (total cycles * R * C) */
  double mapping_eff_pct;       /* mean over folds of used PEs / (R*C) */
  double compute_util_pct;      /* mean over folds, SCALE-Sim's definition */
  uint64_t ifmap_sram_reads, filter_sram_reads, ofmap_sram_writes;
  uint64_t ifmap_dram_reads, filter_dram_reads, ofmap_dram_writes;
  int64_t ifmap_sram_start, ifmap_sram_stop;
  int64_t filter_sram_start, filter_sram_stop;
  int64_t ofmap_sram_start, ofmap_sram_stop;
  int64_t ifmap_dram_start, ifmap_dram_stop;
  int64_t filter_dram_start, filter_dram_stop;
  int64_t ofmap_dram_start, ofmap_dram_stop;
  bool dram_simulated;          /* DRAM figures and stalls come from sa_simulate */
} sa_layer_stats;

/* How many times the words the array read from an operand's SRAM that
 * operand's DRAM reads are, the larger of ifmap and filter (0: no reads),
 * its name ("ifmap", "filter") into *operand: under a USER bandwidth
 * SCALE-Sim's read buffers fetch some words many times. */
double sa_refetch_x(const sa_layer_stats *s, const char **operand);
/* The cycles a USER layer's DRAM interface is busy beyond its
 * total_cycles, over all its groups: SCALE-Sim starts a layer's count after
 * its read buffers' first fill (DRAM start cycles below 0) and ends it
 * before the write buffer's last drain (an ofmap DRAM stop past the last
 * cycle); each group runs with fresh buffers.  0 without MACs. */
uint64_t sa_dram_beyond(const sa_layer_stats *s);

/* Checks a configuration (sizes >= 1, SRAM able to hold one fold's
 * operands, ...). `path` locates messages (may be NULL). */
em_status sa_config_validate(const sa_config *cfg, const char *path, em_diag *d);

/* The smallest SRAM, in kB, that sa_config_validate accepts for cfg's array
 * and word size: one fold's double-buffered R x C tile. */
uint64_t sa_sram_min_kb(const sa_config *cfg);

/* Compute figures of one layer (conv, FC or GEMM) in closed form. Layers
 * without MACs (pool, element-wise) give all-zero stats. */
em_status sa_closed_form(const sa_config *cfg, const wl_layer *l, sa_layer_stats *out,
                         em_diag *d);

/* Optional address traces in SCALE-Sim's layout (IFMAP_SRAM_TRACE.csv,
 * FILTER_SRAM_TRACE.csv, OFMAP_SRAM_TRACE.csv: one line per cycle, the
 * cycle the line is served, then the array row's or column's addresses,
 * -1 for none), written as the demand streams are walked. Any pointer may
 * be NULL. */
typedef struct {
  FILE *ifmap_sram, *filter_sram, *ofmap_sram;
  /* SCALE-Sim's IFMAP_DRAM_TRACE.csv, FILTER_DRAM_TRACE.csv and
   * OFMAP_DRAM_TRACE.csv: one row per DRAM line (a burst line of the read
   * buffers, a drained line of the write buffer), its cycle, then its
   * addresses, -1 for an empty slot, printed as SCALE-Sim's numpy floats
   * ("12.0"); in CALC mode each burst's addresses in the order CPython
   * iterates the set() SCALE-Sim keeps them in. Any may be NULL. */
  FILE *ifmap_dram, *filter_dram, *ofmap_dram;
} sa_traces;

/* Simulates one layer: the compute figures of sa_closed_form() plus DRAM
 * traffic and stalls from the buffer models. `traces` may be NULL (the fast
 * path). With a USER bandwidth the read buffers prefetch at cfg->bandwidth
 * words per cycle and a line waits for its slowest stream (stall cycles). */
em_status sa_simulate(const sa_config *cfg, const wl_layer *l, const sa_traces *traces,
                      sa_layer_stats *out, em_diag *d);

/* The host memory sa_simulate holds at least for layer l, without traces
 * (its address tables and buffer stamps; 0 for a layer it refuses or has
 * no work for).  sa_simulate refuses a layer whose count passes the run's
 * host memory budget (em_pool.h); a command running layers on several
 * threads keeps their sum within it. */
uint64_t sa_host_bytes(const sa_config *cfg, const wl_layer *l);
/* Whether sa_simulate would refuse layer l at once (without traces): its
 * error, as sa_simulate gives it, or EM_OK.  Cheap (no walk): a command
 * checks every layer before the first walks, so that a refused layer is
 * not found minutes into a run. */
em_status sa_walk_check(const sa_config *cfg, const wl_layer *l, em_diag *d);
/* The bytes layer l's six traces (sa_traces, SCALE-Sim's formatting) take
 * on disk, every group's copy included, estimated in closed form before a
 * walk (microseconds); 0 for a layer without MACs or one the closed form
 * refuses.  The estimate errs low (but for a few bytes in 10,000 where
 * ceil-mode windows leave the input): the SRAM traces are counted all but
 * exactly (a line per cycle, a field per PE row or column), the DRAM
 * traces by what every run of them holds (a CALC buffer's first prefetch,
 * padded to whole sets, a USER buffer's first and fewest bursts, the
 * ofmap's drains), not the refetches only a walk finds.  *scratch (may be
 * NULL) gets the bytes of the CALC DRAM traces' rows, held in a scratch
 * file (em_tmpfile) while the layer runs. */
double sa_trace_bytes(const sa_config *cfg, const wl_layer *l, double *scratch);

const char *sa_dataflow_name(sa_dataflow df);

/* Words of the memory (cfg->word_bytes each) that one operand of `bits`
 * takes: ceil(bits / (8 word_bytes)), at least 1.  It is the operand's
 * room in an SRAM (the simulation's buffers hold kB x 1024 / word_bytes /
 * n operands), its share of a DRAM line (a USER line of `bandwidth`
 * operands takes n cycles) and its accesses in the energy.  1 at 8 bits
 * and below in 1-byte words, SCALE-Sim's one operand a word; narrower
 * operands may still be packed in the energy (cfg->pack_narrow). */
uint32_t sa_operand_words(const sa_config *cfg, unsigned bits);

/* Energy of a simulated layer, in pJ: MACs at the layer's bit widths
 * (cm_cost's multiplier + accumulator energy), SRAM reads and writes per
 * access of one word at each buffer's capacity, DRAM per word. An operand
 * wider than a word takes sa_operand_words() accesses; with
 * cfg->pack_narrow, operands narrower than a word are packed
 * (ceil(count * bits / word bits) accesses); otherwise each takes a word,
 * as in SCALE-Sim.  Activations and outputs are at the activation width,
 * weights at the weight width.  Partial sums (ws and is with more than one
 * row fold: the ofmap writes of every row fold but the last) are at the
 * accumulator width, cm_cost's ceil(w + a + log2 K), and each is read back
 * once to be accumulated: from the ofmap SRAM, and from DRAM where it was
 * drained there (the DRAM writes beyond the layer's outputs, at most the
 * partial sums). The layer's precision must be set. */
typedef struct {
  double compute_pj, sram_pj, dram_pj, total_pj;
  double bops;
  uint64_t sram_words, dram_words; /* accesses charged (packed when asked) */
  /* partial sums, in operands (the counts in sa_layer_stats include them):
   * written to the ofmap SRAM and read back from it, and written to DRAM
   * and read back from it; their width in bits (0 without partial sums) */
  uint64_t psum_sram, psum_dram;
  unsigned psum_bits;
} sa_energy;

struct cm_energy_table;
em_status sa_layer_energy(const sa_config *cfg, const wl_layer *l, const sa_layer_stats *s,
                          const struct cm_energy_table *t, sa_energy *out, em_diag *d);

/* What the hardware-model table's systolic entry (hw_systolic) returns as
 * its detail: traces in (may be NULL), the layer's SCALE-Sim figures and
 * energy out. */
typedef struct {
  const sa_traces *traces;
  sa_layer_stats stats;
  sa_energy energy;
} sa_detail;

#endif
