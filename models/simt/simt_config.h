/*
 * simt_config.h - the SIMT GPU's architecture configuration and its key table.
 *
 * One table {name, alias, type, min, max, default, field, help} drives the
 * defaults, the parsing of preset files, the range checks and the help text
 * (STYLE.md).  GPGPU-Sim / Accel-Sim options are keys too, each meaning what
 * it means in GPGPU-Sim: `-gpgpu_l1_latency 20` is the L1's latency queue,
 * to which the rest of GPGPU-Sim's load path is added; the DRAM timings are
 * DRAM clocks (simt_config.c composes them), so a gpgpusim.config as
 * Accel-Sim ships it (QV100's) reads as a GPU file.
 *
 * Preset file format (models/simt/data/gpu_<name>.cfg): one setting per line,
 *     key = value      or      key value      or      -key value
 * '#' starts a comment; a "quoted value" may go on over lines.  Unknown
 * keys, repeated keys (or two keys that set one thing) and out-of-range
 * values are errors at path:line:col; the GPGPU-Sim options the model does
 * not use are accepted and listed in `ignored`.  A file may give the
 * published microbenchmark figures of the chip it describes (published_*):
 * only a file, never a setting over a GPU (simt_config_set refuses them).
 *
 * Units: every latency is in core cycles and every bandwidth in bytes per
 * core cycle, except the DRAM's: its timings (dram_t_*) are in cycles and
 * its data bus (dram_channel_bytes_per_cycle) in bytes per cycle of
 * dram_ref_mhz, the clock its GPU file states them at (the file's own core
 * clock unless it says otherwise), so that a core clock set over the file
 * (--set, a sweep) leaves the DRAM's nanoseconds and GB/s as they are;
 * simt_config_dram_in_core_cycles restates them at the core clock.
 * Capacities in bytes; frequency in MHz; power in watts.
 */
#ifndef SIMT_CONFIG_H
#define SIMT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"

#define SIMT_WARP_MAX 32u /* lanes in a warp, at most (masks are uint32_t) */
#define SIMT_SCHED_MAX 8u /* schedulers (sub-cores) per SM, at most */
#define SIMT_RF_BANKS_MAX 32u /* register banks per sub-core, at most */

typedef enum { SIMT_SCHED_LRR, SIMT_SCHED_GTO, SIMT_SCHED_TWO_LEVEL } simt_sched_policy;
typedef enum { SIMT_DRAM_FCFS, SIMT_DRAM_FRFCFS } simt_dram_policy;

/* GPGPU-Sim options kept as given (their units: core cycles, DRAM
 * clocks, MHz, bytes); 0: not given. */
typedef struct {
  uint64_t l1_latency;    /* -gpgpu_l1_latency: the L1's latency queue */
  uint64_t smem_latency;  /* -gpgpu_smem_latency: the shared-memory pipeline */
  uint64_t rop_latency;   /* -gpgpu_l2_rop_latency: a memory sub-partition's entry delay */
  uint64_t n_clusters, cores_per_cluster; /* -gpgpu_n_clusters, -gpgpu_n_cores_per_cluster */
  uint64_t n_mem, sub_per_mem;            /* -gpgpu_n_mem, -gpgpu_n_sub_partition_per_mchannel */
  double dram_mhz;        /* fourth of -gpgpu_clock_domains */
  uint64_t dram_buswidth; /* -gpgpu_dram_buswidth: bytes per channel per transfer */
  uint64_t mem_per_ctrlr; /* -gpgpu_n_mem_per_ctrlr: chips per channel */
  uint64_t dram_ratio;    /* -dram_data_command_freq_ratio: transfers per DRAM clock */
  uint64_t t_rcd, t_rp, t_cl, t_ccd, nbk; /* -gpgpu_dram_timing_opt, DRAM clocks */
  uint64_t l2_sets, l2_line, l2_assoc;    /* -gpgpu_cache:dl2 (per sub-partition) */
  uint32_t t_set;         /* which DRAM timings were given: RCD 1, RP 2, CL 4, CCD 8, nbk 16 */
} simt_gpgpusim;

/* A list of published figures by MMA shape (a GPU file's published_tensor,
 * published_tensor_lat): each for one shape, or for every shape of a kind and
 * sparsity. */
#define SIMT_PUB_LIST_MAX 16
typedef struct {
  uint32_t n;
  struct {
    uint8_t mma;    /* the shape (simt_mma), or 0: every shape of kind and sparse */
    uint8_t kind;   /* simt_mma_kind, where mma is 0 */
    uint8_t sparse; /* 1: the 2:4 sparse shapes of kind, where mma is 0 */
    double value;
  } e[SIMT_PUB_LIST_MAX];
} simt_pub_list;

/* Settings the key table may hold, at most (simt_config.c checks its own). */
#define SIMT_CONFIG_KEYS_MAX 160

typedef struct {
  char name[64]; /* preset name or file */

  /* ---- cores ---- */
  uint64_t n_sm;               /* streaming multiprocessors */
  uint64_t warp_size;          /* lanes per warp, 1..32 (32 on every NVIDIA GPU) */
  uint64_t n_sched;            /* warp schedulers = sub-cores per SM */
  uint64_t max_threads_per_sm; /* resident threads */
  uint64_t max_ctas_per_sm;    /* resident thread blocks */
  uint64_t regs_per_sm;        /* 32-bit registers */
  uint64_t reg_alloc_unit;     /* registers are given to a warp in units of this many */
  uint64_t smem_per_sm;        /* shared memory, bytes */
  uint64_t smem_banks;         /* 4-byte banks */
  uint64_t scheduler;          /* simt_sched_policy */
  uint64_t two_level_active;   /* warps in the active set per scheduler (two-level) */
  double core_freq_mhz;
  /* cycles from a kernel's launch to its first thread block, the GPU idle
   * (GPGPU-Sim's kernel launch latency, counted in its kernel cycles): each
   * kernel's time and energy include them (simt_stats.launch_cycles) */
  uint64_t kernel_launch_cycles;

  /* lanes per sub-core of each unit: a warp instruction occupies its unit
   * warp_size / lanes cycles (its initiation interval) */
  uint64_t fp32_lanes, int_lanes, fp16_lanes, fp64_lanes, sfu_lanes, ldst_lanes;
  uint64_t tensor_units;       /* tensor cores per sub-core; 0 = none */
  uint64_t sparse_tensor;      /* 1: 2:4 sparse MMA (HMMASP) supported */
  /* dependent-issue latencies, cycles */
  uint64_t lat_fp32, lat_int, lat_fp16, lat_fp64, lat_sfu, lat_tensor, lat_branch;
  /* register file: banks per sub-core, reads one bank gives per cycle, and
   * the operand collector's depth (instructions that may wait for their
   * operands at once per sub-core) */
  uint64_t rf_banks, rf_bank_reads, oc_depth;
  uint64_t rf_reuse; /* 1: operand reuse caches (a source slot reads again the
                      * register it read for the warp's previous instruction
                      * on that sub-core from a latch, not its bank); 0, the
                      * default: every source from its bank */

  /* ---- memory ---- */
  uint64_t l1_bytes, l1_ways, l1_latency, l1_mshr, l1_max_merge;
  uint64_t l1_lines_per_cycle; /* tag lookups (128-B lines) per cycle */
  double l1_inst_cycles;       /* data-port cycles a global load or store takes at least */
  uint64_t l1_smem_unified;    /* 1: L1 and shared memory share one data port */
  uint64_t smem_latency;
  uint64_t l2_slices, l2_bytes, l2_ways;
  uint64_t l2_latency;         /* load-to-use round trip on an L2 hit */
  double l2_slice_bytes_per_cycle;
  uint64_t dram_channels, dram_banks, dram_row_bytes;
  /* The DRAM's own clock domain: the timings below count cycles, and the
   * data bus moves bytes per cycle, of dram_ref_mhz, not of the core clock
   * (GPGPU-Sim's -gpgpu_clock_domains core:icnt:l2:dram; TITAN V's HBM2
   * runs at 850 MHz whatever its SMs do).  The model reads them restated
   * in core cycles (simt_config_dram_in_core_cycles). */
  double dram_ref_mhz;
  uint64_t dram_t_rcd, dram_t_rp, dram_t_cl, dram_t_ccd;
  uint64_t dram_t_rtw, dram_t_wtr; /* bus idle when turning: read to write, write to read */
  uint64_t dram_t_refi, dram_t_rfc; /* refresh period and duration; refi 0: none */
  double dram_channel_bytes_per_cycle;
  uint64_t dram_latency;       /* fixed extra round trip beyond L2 (controller, PHY), core
                                * cycles: GPGPU-Sim's -dram_latency queue counts them */
  uint64_t dram_scheduler;     /* simt_dram_policy */
  uint64_t dram_queue;         /* requests the FR-FCFS scheduler looks at (reads only,
                                * with dram_write_queue) */
  uint64_t dram_write_queue;   /* 1: writes wait in a queue of their own, drained in
                                * batches (GPGPU-Sim's -dram_seperate_write_queue_enable) */
  uint64_t dram_wq_size, dram_wq_high, dram_wq_low; /* its window, and the watermarks that
                                * start (>= high) and end (< low) a write drain */
  uint64_t l2_dram_queue;      /* an L2 slice's queue to DRAM (GPGPU-Sim's
                                * -gpgpu_dram_partition_queues, second field): with the
                                * channel's write window, the write-backs a channel holds
                                * before its slices take no more stores */
  uint64_t l2_atomic_latency;  /* an atomic's read-modify-write at the L2 slice, cycles */
  double l2_atomic_interval;   /* cycles a slice's atomic unit takes per sector (and per
                                * further atomic to one word) */

  /* ---- power (AccelWattch's split: constant + static + dynamic) ---- */
  double board_power_w;        /* the board's power limit (TDP) */
  double const_power_w;        /* board: fans, peripheral circuitry */
  double static_power_w;       /* chip leakage, every SM active, one lane active */
  double static_lane_w;        /* more per further active lane (divergence) */
  double idle_sm_w;            /* an SM with no warp resident */
  uint64_t static_sm;          /* the SMs static_power_w and static_lane_w are for (the
                                * file's n_sm once loaded; 0: n_sm): they scale by
                                * n_sm / static_sm */
  double core_voltage_v;       /* operating voltage */
  double ref_voltage_v;        /* the voltage the power figures are given at */
  double energy_scale;         /* dynamic energy of this chip / the energy table's, at
                                * ref_voltage_v (process node) */
  double dram_pj_per_bit;      /* DRAM interface energy; 0: the energy table's rows */

  /* ---- the die (area, not a figure of this model) ---- */
  double die_area_mm2;         /* the chip's published die area; 0: unknown */
  uint64_t die_nm;             /* the process node die_area_mm2 is at, nm */
  uint64_t die_sm;             /* the SMs the die has (the n_sm of the file that gave
                                * die_area_mm2, once loaded); 0: whatever n_sm is (set
                                * over the GPU, or none given) */

  /* ---- published microbenchmark figures (a chip's, not this model's) ----
   * What `emlsim simt --micro NAME` prints beside its own measure: the GPU
   * file's published_NAME ('-' as '_'), given only in a GPU file, and shown
   * only on a GPU of the settings it was measured for (simt_config_published);
   * 0 (an empty list): none. */
  double pub_ffma, pub_chase_l1, pub_chase_l2, pub_chase_dram, pub_mem_lat; /* cycles */
  double pub_smem_bw;          /* B/clk/SM */
  double pub_dram_bw;          /* GB/s */
  double pub_l2_bw;            /* B/clk */
  double pub_atomic, pub_kernel_lat; /* cycles */
  simt_pub_list pub_tensor;    /* multiply-adds per cycle per SM, by shape */
  simt_pub_list pub_tensor_lat; /* cycles per dependent MMA, by shape */

  /* ---- the simulation, not the GPU ---- */
  uint64_t max_warp_insts;     /* a kernel of more warp instructions is not simulated:
                                * refused before it runs where its size shows it, else
                                * stopped when its issues pass this (host time) */

  /* ---- architecture ---- */
  uint64_t sm_arch;            /* compute capability x 10: 70 Volta, 72 Xavier, 75 Turing,
                                * 80 A100, 86 GA10x, 87 Orin; which tensor shapes exist */

  /* ---- GPGPU-Sim / Accel-Sim options, as the file gave them ----
   * Options whose meaning is not one of the fields above (a cache's own
   * latency, DRAM clocks) are kept as given and composed into those fields
   * by what they mean in GPGPU-Sim (simt_config.c); 0: not given. */
  simt_gpgpusim gs;
  /* Options of a GPGPU-Sim file that the model does not use (accepted and
   * ignored): how many, and their names joined by ", " (cut short with
   * "..." where they do not fit). */
  uint64_t n_ignored;
  char ignored[480];
  /* Each setting's value as the GPU file (or the defaults) left it, by its
   * place in the key table (8 bytes, as its field holds it): what a setting
   * changed over the file (--set, a sweep's value) is told from. */
  uint64_t file_bits[SIMT_CONFIG_KEYS_MAX];
} simt_config;

/* Sets every field to its table default (a Volta-like GPU). */
void simt_config_default(simt_config *c);

/* Reads a preset file over the defaults (c is filled with defaults first).
 * Errors: path:line:col for a bad line, unknown or repeated key, bad value. */
em_status simt_config_load(const char *path, simt_config *c, em_diag *d);
/* Same, from text in memory (`name` is used in diagnostics). */
em_status simt_config_load_mem(const char *name, const char *text, simt_config *c,
                               em_diag *d);

/* Sets one key (name or alias) from text; EM_ERR_NOTFOUND for an unknown key,
 * EM_ERR_RANGE / EM_ERR_PARSE otherwise.  path/line/col locate the value. */
em_status simt_config_set(simt_config *c, const char *key, const char *value,
                          const char *path, uint64_t line, uint64_t col, em_diag *d);

/* Restates c's DRAM figures in core cycles at core_freq_mhz: each timing
 * dram_t_* x core_freq_mhz / dram_ref_mhz to the nearest cycle (tCCD at
 * least 1, a refresh period at least 1), dram_channel_bytes_per_cycle x
 * dram_ref_mhz / core_freq_mhz, and dram_ref_mhz becomes core_freq_mhz, so
 * the figures keep their nanoseconds and GB/s (within the rounding) and a
 * second call changes nothing.  Where the two clocks are equal nothing
 * changes, bit for bit.  The model (simt_mem.c) runs on the result. */
void simt_config_dram_in_core_cycles(simt_config *c);
/* One DRAM channel's data bus in bytes per core cycle at core_freq_mhz:
 * dram_channel_bytes_per_cycle x dram_ref_mhz / core_freq_mhz (TITAN V at
 * 2 x 1455 MHz: 18.7 x 1455 / 2910 = 9.35, the same 27.2 GB/s). */
double simt_dram_channel_bytes_per_core_cycle(const simt_config *c);

/* Cross-field checks (warp size divides the thread limit, ...). */
em_status simt_config_check(const simt_config *c, const char *path, em_diag *d);

/* Built-in preset names ("volta", "ampere", "jetson"); n gets the count. */
const char *const *simt_presets(size_t *n);
/* The text of built-in preset `name`: the data file
 * models/simt/data/gpu_<name>.cfg as it was when the program was built (its
 * bytes are compiled in), or NULL for another name. */
const char *simt_preset_text(const char *name);
/* Loads a preset by name (its built-in text: no file is read), or a file when
 * spec names one (contains '/' or '.'). */
em_status simt_config_load_spec(const char *spec, simt_config *c, em_diag *d);

/* Help text: one line per key with type, range, default, alias and meaning;
 * with gpu (may be NULL), its value there too where it differs from the
 * default, under the name gpu_name. */
void simt_config_help(FILE *out, const simt_config *gpu, const char *gpu_name);

/* A published figure of a microbenchmark on a GPU (simt_config_published). */
typedef struct {
  double value;       /* the figure, in the microbenchmark's unit */
  const char *source; /* where it is from: a preset's figure names its publication;
                       * another, "the GPU file's published_KEY" (in buf) */
  bool holds;         /* the GPU has the settings the figure was published for (those
                       * it depends on); false: the three below say how it differs */
  char against[64];   /* the GPU it was published for: the preset's name, or the file's */
  char keys[200];     /* the settings that differ: "n_sm, l2_bytes" */
  char why[400];      /* and their values: "n_sm 8 against 80, l2_bytes ..." */
  char buf[96];
} simt_published;

/* The figure GPU c's file publishes for microbenchmark `micro` (its name,
 * "kernel-lat"; for tensor and tensor-lat, that of MMA shape mma): false
 * where it gives none.  A preset's figure (a figure and setting its table of
 * sources knows, in a copy of the preset's file under any name too) holds
 * on a GPU whose settings are that preset's; another on a GPU whose settings
 * are its file's.  Settings no microbenchmark reads (power, energy, the die,
 * max_warp_insts) do not count, nor those the microbenchmark's figure is
 * independent of by construction (dram-bw: l2_bytes, core_freq_mhz). */
bool simt_config_published(const simt_config *c, const char *micro, unsigned mma,
                           simt_published *p);

/* The GPU has another SM count than the chip its static power and die are
 * for (--set n_sm over a preset, a sweep's gpu.n_sm): that chip's die and
 * board are not its own. */
static inline bool simt_config_resized(const simt_config *c) {
  return c->static_sm && c->n_sm != c->static_sm;
}

/* Warps that one SM holds at most. */
static inline uint64_t simt_config_max_warps(const simt_config *c) {
  return c->max_threads_per_sm / c->warp_size;
}

#endif
