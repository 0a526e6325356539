/*
 * simt_config.c - the SIMT GPU configuration table, preset files and aliases.
 *
 * The defaults are a Volta-like GPU (the TITAN V / QV100 figures of
 * REFERENCES.md: 80 SMs, 64 warps per SM, 4 schedulers, 32 shared-memory
 * banks, 6 MB L2, L1 hit 34, L2 hit 215, DRAM 313 cycles); the preset files
 * in models/simt/data/ restate every value with its source.
 *
 * Why our own reader and not inih: GPGPU-Sim's files are "-key value" lines,
 * not INI, and every error must point at path:line:col.
 */
#include "simt_config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_input.h"
#include "em_parse.h"
#include "simt_kernel.h"

typedef enum {
  K_U64,
  K_F64,
  K_SCHED,      /* lrr | gto | two_level (GPGPU-Sim's two_level_active:N:...) */
  K_DRAM_SCHED, /* fcfs | frfcfs, or GPGPU-Sim's 0 / 1 */
  K_PIPELINE,   /* GPGPU-Sim "threads:warp_size" */
  K_DRAM_TIMING,/* GPGPU-Sim "nbk=16:CCD=1:RCD=12:RP=12:CL=12:..." */
  K_CLOCKS,     /* GPGPU-Sim "core:icnt:l2:dram" MHz: the core and DRAM clocks */
  K_GS,         /* a GPGPU-Sim option kept as given (simt_gpgpusim), then composed */
  K_CC_MAJOR,   /* GPGPU-Sim compute capability, major and minor: sm_arch */
  K_CC_MINOR,
  K_CACHE_DL2,  /* GPGPU-Sim "-gpgpu_cache:dl2 S:sets:line:assoc,...": the L2's geometry */
  K_WRITE_QUEUE, /* GPGPU-Sim "-dram_write_queue_size size:high:low" */
  K_PART_QUEUES, /* GPGPU-Sim "-gpgpu_dram_partition_queues a:b:c:d" */
  K_PUB_LIST     /* published figures by MMA shape: "HMMA.884=477.6:int8.sp=4086.5" */
} key_type;

typedef struct {
  const char *name;
  const char *alias; /* GPGPU-Sim option name, or NULL */
  key_type type;
  double min, max, dflt;
  size_t off;
  const char *help;
} key_def;

#define F(field) offsetof(simt_config, field)
#define G(field) offsetof(simt_config, gs.field)
/* Defaults: what a GPU file leaves out, Volta-like (TITAN V, QV100); the
 * volta preset (models/simt/data/gpu_volta.cfg, the sources per value) sets
 * some apart, such as dram_channels 24 and scheduler lrr: `emlsim simt
 * --gpu-help` lists both. */
static const key_def keys[] = {
    {"n_sm", NULL, K_U64, 1, 4096, 80, F(n_sm), "streaming multiprocessors"},
    {"gpgpu_n_clusters", NULL, K_GS, 1, 4096, 0, G(n_clusters),
     "SM clusters (n_sm = clusters x cores per cluster)"},
    {"gpgpu_n_cores_per_cluster", NULL, K_GS, 1, 64, 0, G(cores_per_cluster),
     "SMs per cluster"},
    {"warp_size", NULL, K_U64, 1, 32, 32, F(warp_size), "lanes per warp"},
    {"n_sched", "gpgpu_num_sched_per_core", K_U64, 1, SIMT_SCHED_MAX, 4, F(n_sched),
     "warp schedulers (sub-cores) per SM"},
    {"max_threads_per_sm", NULL, K_U64, 1, 1 << 16, 2048, F(max_threads_per_sm),
     "resident threads per SM"},
    {"gpgpu_shader_core_pipeline", NULL, K_PIPELINE, 0, 0, 0, 0,
     "GPGPU-Sim 'threads:warp_size' (sets max_threads_per_sm and warp_size)"},
    {"max_ctas_per_sm", "gpgpu_shader_cta", K_U64, 1, 1024, 32, F(max_ctas_per_sm),
     "resident thread blocks per SM"},
    {"regs_per_sm", "gpgpu_shader_registers", K_U64, 1, 1 << 24, 65536, F(regs_per_sm),
     "32-bit registers per SM"},
    {"reg_alloc_unit", NULL, K_U64, 1, 4096, 256, F(reg_alloc_unit),
     "registers per warp are allocated in units of this many"},
    {"smem_per_sm", "gpgpu_shmem_size", K_U64, 0, 1 << 24, 98304, F(smem_per_sm),
     "shared memory per SM, bytes"},
    {"smem_banks", "gpgpu_shmem_num_banks", K_U64, 1, 64, 32, F(smem_banks),
     "shared-memory banks of 4 bytes"},
    {"scheduler", "gpgpu_scheduler", K_SCHED, 0, 2, SIMT_SCHED_GTO, F(scheduler),
     "warp scheduler: lrr, gto or two_level"},
    {"two_level_active", NULL, K_U64, 1, 64, 4, F(two_level_active),
     "two-level scheduler: warps in the active set per scheduler"},
    {"core_freq_mhz", NULL, K_F64, 1, 1e5, 1455, F(core_freq_mhz),
     "core clock, MHz: the SMs, L1, L2 and crossbar count its cycles; the DRAM does not "
     "(dram_ref_mhz)"},
    {"gpgpu_clock_domains", NULL, K_CLOCKS, 0, 0, 0, 0,
     "GPGPU-Sim 'core:icnt:l2:dram' MHz (sets core_freq_mhz; the DRAM clock times "
     "gpgpu_dram_timing_opt; icnt and l2 run at the core clock here)"},
    {"kernel_launch_cycles", "gpgpu_kernel_launch_latency", K_U64, 0, 1e9, 7257,
     F(kernel_launch_cycles),
     "cycles from a kernel's launch to its first thread block, the GPU idle: in each "
     "kernel's time and energy (0: the kernel alone, as a profiler's kernel duration)"},
    {"sm_arch", NULL, K_U64, 10, 100, 70, F(sm_arch),
     "compute capability x 10 (70 Volta, 75 Turing, 80 A100, 87 Orin): the tensor shapes "
     "and their latencies"},
    {"gpgpu_compute_capability_major", NULL, K_CC_MAJOR, 1, 9, 0, 0,
     "compute capability, major (sm_arch's tens)"},
    {"gpgpu_compute_capability_minor", NULL, K_CC_MINOR, 0, 9, 0, 0,
     "compute capability, minor (sm_arch's units)"},
    {"fp32_lanes", NULL, K_U64, 1, 32, 16, F(fp32_lanes), "fp32 lanes per sub-core"},
    {"int_lanes", NULL, K_U64, 1, 32, 16, F(int_lanes), "int32 lanes per sub-core"},
    {"fp16_lanes", NULL, K_U64, 1, 64, 16, F(fp16_lanes), "fp16 lanes per sub-core"},
    {"fp64_lanes", NULL, K_U64, 1, 32, 8, F(fp64_lanes), "fp64 lanes per sub-core"},
    {"sfu_lanes", NULL, K_U64, 1, 32, 4, F(sfu_lanes), "special-function lanes per sub-core"},
    {"ldst_lanes", NULL, K_U64, 1, 32, 8, F(ldst_lanes), "load/store lanes per sub-core"},
    {"tensor_units", NULL, K_U64, 0, 8, 2, F(tensor_units),
     "tensor cores per sub-core (4x4x4 fp16 MMA per cycle each), 0 = none"},
    {"sparse_tensor", NULL, K_U64, 0, 1, 0, F(sparse_tensor),
     "1: the tensor cores run 2:4 sparse MMA (HMMASP; Ampere on), 0: they do not"},
    {"lat_fp32", NULL, K_U64, 1, 1000, 4, F(lat_fp32), "fp32 dependent latency, cycles"},
    {"lat_int", NULL, K_U64, 1, 1000, 4, F(lat_int), "int32 dependent latency, cycles"},
    {"lat_fp16", NULL, K_U64, 1, 1000, 6, F(lat_fp16), "fp16 dependent latency, cycles"},
    {"lat_fp64", NULL, K_U64, 1, 1000, 8, F(lat_fp64), "fp64 dependent latency, cycles"},
    {"lat_sfu", NULL, K_U64, 1, 1000, 21, F(lat_sfu), "special-function latency, cycles"},
    {"lat_tensor", NULL, K_U64, 1, 1000, 32, F(lat_tensor), "tensor-core MMA latency, cycles"},
    {"lat_branch", NULL, K_U64, 1, 1000, 4, F(lat_branch), "branch resolution, cycles"},
    {"rf_banks", NULL, K_U64, 1, 32, 2, F(rf_banks),
     "register-file banks per sub-core (register r lives in bank r mod rf_banks)"},
    {"rf_bank_reads", NULL, K_U64, 1, 8, 2, F(rf_bank_reads),
     "operands one register bank reads per cycle"},
    {"oc_depth", NULL, K_U64, 1, 64, 2, F(oc_depth),
     "operand collector: instructions per sub-core that may wait for operands at once"},
    {"rf_reuse", NULL, K_U64, 0, 1, 0, F(rf_reuse),
     "1: operand reuse caches (a source slot holding the register it held for the same "
     "warp's previous instruction on the sub-core reads a latch, not its bank), 0: none "
     "(the default: under LRR their hits follow the issue order, models/simt/README.md)"},
    {"l1_bytes", NULL, K_U64, 1024, 1 << 24, 32768, F(l1_bytes), "L1 data cache, bytes"},
    {"l1_ways", NULL, K_U64, 1, 64, 4, F(l1_ways), "L1 associativity"},
    {"l1_latency", NULL, K_U64, 1, 10000, 34, F(l1_latency),
     "load-to-use on an L1 hit, cycles"},
    {"gpgpu_l1_latency", NULL, K_GS, 1, 10000, 0, G(l1_latency),
     "the L1's latency queue (l1_latency = it + 14, the rest of the load path)"},
    {"l1_mshr", NULL, K_U64, 1, 4096, 256, F(l1_mshr), "L1 miss entries (sectors) per SM"},
    {"l1_max_merge", NULL, K_U64, 1, 64, 8, F(l1_max_merge),
     "requests merged into one L1 miss entry"},
    {"l1_lines_per_cycle", NULL, K_U64, 1, 32, 1, F(l1_lines_per_cycle),
     "L1 tag lookups (128-byte lines) per cycle"},
    {"l1_inst_cycles", NULL, K_F64, 0, 64, 1.63, F(l1_inst_cycles),
     "cycles of the L1 data port a global load or store takes at least"},
    {"l1_smem_unified", NULL, K_U64, 0, 1, 1, F(l1_smem_unified),
     "1: L1 and shared memory share one data port (one access per cycle between them)"},
    {"smem_latency", NULL, K_U64, 1, 10000, 24, F(smem_latency),
     "load-to-use of shared memory, cycles"},
    {"gpgpu_smem_latency", NULL, K_GS, 2, 10000, 0, G(smem_latency),
     "the shared-memory pipeline (smem_latency = it + 7)"},
    {"l2_slices", NULL, K_U64, 1, 4096, 64, F(l2_slices), "L2 slices (sub-partitions)"},
    {"l2_bytes", NULL, K_U64, 4096, 1ull << 32, 6291456, F(l2_bytes), "L2 total, bytes"},
    {"l2_ways", NULL, K_U64, 1, 64, 16, F(l2_ways), "L2 associativity"},
    {"l2_latency", NULL, K_U64, 1, 10000, 215, F(l2_latency),
     "load-to-use on an L2 hit, cycles"},
    {"gpgpu_l2_rop_latency", NULL, K_GS, 1, 10000, 0, G(rop_latency),
     "a memory sub-partition's entry delay (l2_latency = l1_latency + it + 8)"},
    {"gpgpu_cache:dl2", NULL, K_CACHE_DL2, 0, 0, 0, 0,
     "GPGPU-Sim 'S:sets:line:assoc,...' per sub-partition (sets l2_ways and l2_bytes)"},
    {"l2_slice_bytes_per_cycle", NULL, K_F64, 0.5, 1024, 32, F(l2_slice_bytes_per_cycle),
     "bytes per cycle one L2 slice serves"},
    {"dram_channels", NULL, K_U64, 1, 1024, 32, F(dram_channels),
     "DRAM channels (memory partitions)"},
    {"gpgpu_n_mem", NULL, K_GS, 1, 1024, 0, G(n_mem),
     "memory partitions (dram_channels)"},
    {"gpgpu_n_sub_partition_per_mchannel", NULL, K_GS, 1, 16, 0, G(sub_per_mem),
     "L2 sub-partitions per partition (l2_slices = partitions x it)"},
    {"gpgpu_dram_buswidth", NULL, K_GS, 1, 1024, 0, G(dram_buswidth),
     "bytes a DRAM chip moves per transfer (sets dram_channel_bytes_per_cycle, with the "
     "DRAM clock of gpgpu_clock_domains)"},
    {"gpgpu_n_mem_per_ctrlr", NULL, K_GS, 1, 64, 0, G(mem_per_ctrlr),
     "DRAM chips per partition"},
    {"dram_data_command_freq_ratio", NULL, K_GS, 1, 16, 0, G(dram_ratio),
     "transfers per DRAM command clock (2: DDR)"},
    {"dram_banks", NULL, K_U64, 1, 256, 16, F(dram_banks), "banks per DRAM channel"},
    {"dram_row_bytes", NULL, K_U64, 64, 1 << 20, 2048, F(dram_row_bytes), "DRAM row, bytes"},
    /* The DRAM's clock domain.  The defaults' DRAM figures are stated at
     * the defaults' core clock, 1455 MHz.  Only a GPU file gives it: set
     * over a GPU, it would change what that GPU's DRAM figures mean, not
     * the DRAM (simt_config_set refuses it there). */
    {"dram_ref_mhz", NULL, K_F64, 1, 1e5, 1455, F(dram_ref_mhz),
     "the clock, MHz, whose cycles the DRAM's timings (dram_t_*) and data bus "
     "(dram_channel_bytes_per_cycle) count: a core_freq_mhz set over them leaves their ns "
     "and GB/s; a GPU file that leaves it out states them at its own core_freq_mhz; only "
     "a GPU file gives it"},
    {"dram_t_rcd", NULL, K_U64, 0, 1000, 20, F(dram_t_rcd),
     "activate to read, cycles of dram_ref_mhz"},
    {"dram_t_rp", NULL, K_U64, 0, 1000, 20, F(dram_t_rp), "precharge, cycles of dram_ref_mhz"},
    {"dram_t_cl", NULL, K_U64, 0, 1000, 20, F(dram_t_cl),
     "read to data, cycles of dram_ref_mhz"},
    {"dram_t_ccd", NULL, K_U64, 1, 1000, 2, F(dram_t_ccd),
     "column to column (one 32-byte burst), cycles of dram_ref_mhz"},
    {"dram_t_rtw", NULL, K_U64, 0, 1000, 3, F(dram_t_rtw),
     "DRAM data bus idle when it turns from reads to writes, cycles of dram_ref_mhz"},
    {"dram_t_wtr", NULL, K_U64, 0, 1000, 26, F(dram_t_wtr),
     "DRAM data bus idle when it turns from writes to reads, cycles of dram_ref_mhz"},
    {"dram_t_refi", NULL, K_U64, 0, 1000000, 5675, F(dram_t_refi),
     "DRAM refresh period (tREFI), cycles of dram_ref_mhz; 0: no refresh"},
    {"dram_t_rfc", NULL, K_U64, 0, 100000, 509, F(dram_t_rfc),
     "DRAM refresh time (tRFC): the channel takes no command, cycles of dram_ref_mhz"},
    {"gpgpu_dram_timing_opt", NULL, K_DRAM_TIMING, 0, 0, 0, 0,
     "GPGPU-Sim 'nbk=..:CCD=..:RCD=..:RP=..:CL=..' in DRAM clocks (converted to cycles of "
     "dram_ref_mhz by gpgpu_clock_domains)"},
    {"dram_channel_bytes_per_cycle", NULL, K_F64, 0.5, 4096, 14, F(dram_channel_bytes_per_cycle),
     "data bus of one channel, bytes per cycle of dram_ref_mhz"},
    {"dram_latency", "dram_latency", K_U64, 0, 10000, 38, F(dram_latency),
     "extra round trip of an L2 miss besides bank timing, core cycles (as GPGPU-Sim "
     "counts its -dram_latency)"},
    {"dram_scheduler", "gpgpu_dram_scheduler", K_DRAM_SCHED, 0, 1, SIMT_DRAM_FRFCFS,
     F(dram_scheduler), "DRAM scheduler: fcfs or frfcfs"},
    {"dram_queue", "gpgpu_frfcfs_dram_sched_queue_size", K_U64, 1, 1024, 32, F(dram_queue),
     "requests the DRAM scheduler considers per channel (reads only, with dram_write_queue)"},
    /* GPGPU-Sim's defaults (gpu-sim.cc: disabled, 32:28:16); the presets
     * give their own */
    {"dram_write_queue", "dram_seperate_write_queue_enable", K_U64, 0, 1, 0, F(dram_write_queue),
     "1: DRAM writes wait in a queue of their own and drain in batches between the "
     "watermarks; 0: one queue for reads and writes"},
    {"dram_wq_size", NULL, K_U64, 1, 1024, 32, F(dram_wq_size),
     "writes the DRAM scheduler considers per channel (the write queue)"},
    {"dram_wq_high", NULL, K_U64, 1, 1024, 28, F(dram_wq_high),
     "writes waiting that start a write drain (high watermark)"},
    {"dram_wq_low", NULL, K_U64, 0, 1024, 16, F(dram_wq_low),
     "a write drain ends below this many writes waiting (low watermark)"},
    {"dram_write_queue_size", NULL, K_WRITE_QUEUE, 0, 0, 0, 0,
     "GPGPU-Sim 'size:high:low' (sets dram_wq_size, dram_wq_high, dram_wq_low)"},
    /* GPGPU-Sim's default (gpu-sim.cc: "8:8:8:8"); the presets give their own */
    {"l2_dram_queue", NULL, K_U64, 1, 1024, 8, F(l2_dram_queue),
     "write-backs an L2 slice queues for DRAM; a channel full with these and its write "
     "window takes no more stores until it writes one"},
    {"gpgpu_dram_partition_queues", NULL, K_PART_QUEUES, 0, 0, 0, 0,
     "GPGPU-Sim 'icnt_to_L2:L2_to_dram:dram_to_L2:L2_to_icnt' (sets l2_dram_queue from "
     "L2_to_dram; the others are not modelled)"},
    {"l2_atomic_latency", NULL, K_U64, 0, 10000, 29, F(l2_atomic_latency),
     "an atomic's read-modify-write in its L2 slice, cycles beyond an L2 hit"},
    {"l2_atomic_interval", NULL, K_F64, 0.01, 1000, 8.6, F(l2_atomic_interval),
     "cycles an L2 slice's atomic unit spends per sector of a warp atomic (and per further "
     "atomic to one word)"},
    {"board_power_w", NULL, K_F64, 1, 10000, 250, F(board_power_w),
     "the board's power limit (TDP), watts"},
    {"const_power_w", NULL, K_F64, 0, 10000, 32.3, F(const_power_w),
     "constant board power (fans, peripheral circuitry), watts"},
    {"static_power_w", NULL, K_F64, 0, 10000, 18.6, F(static_power_w),
     "static power of the chip, every SM active with one lane per warp, watts"},
    {"static_lane_w", NULL, K_F64, 0, 100, 0.645, F(static_lane_w),
     "static power per further active lane of a warp (every SM active), watts"},
    {"idle_sm_w", NULL, K_F64, 0, 100, 0.283, F(idle_sm_w),
     "power of one SM with no warp resident, watts"},
    {"static_sm", NULL, K_U64, 0, 4096, 0, F(static_sm),
     "SMs the chip's static_power_w and static_lane_w are for, which scale by n_sm / static_sm; "
     "0: the n_sm of the GPU file or preset that gives them, else the defaults' 80"},
    {"core_voltage_v", NULL, K_F64, 0.3, 2, 1.0, F(core_voltage_v), "core voltage, volts"},
    {"ref_voltage_v", NULL, K_F64, 0.3, 2, 1.0, F(ref_voltage_v),
     "voltage the power figures hold at: dynamic energy scales with (V/ref)^2, static "
     "power with V/ref"},
    {"energy_scale", NULL, K_F64, 0.001, 100, 0.5, F(energy_scale),
     "dynamic energy per event of this chip over the energy table's (process node), at "
     "ref_voltage_v"},
    {"dram_pj_per_bit", NULL, K_F64, 0, 1000, 3.9, F(dram_pj_per_bit),
     "DRAM energy per bit moved; 0: the energy table's DRAM rows"},
    {"die_area_mm2", NULL, K_F64, 0, 100000, 0, F(die_area_mm2),
     "the chip's die area, mm^2, as published (for the per-mm^2 figures; the model does not "
     "derive it); for a file's n_sm: an n_sm set over the file leaves it unknown; 0: unknown"},
    {"die_nm", NULL, K_U64, 0, 1000, 0, F(die_nm),
     "the process node of die_area_mm2, nm (0: not given)"},
    /* The published microbenchmark figures (`emlsim simt --micro NAME`
     * shows published_NAME beside its own measure): a chip's, so only a
     * GPU file gives them (simt_config_set refuses them over a GPU), and
     * each shows only on a GPU of the settings it was published for
     * (simt_config_published). */
#define PUB(key, field, what)                                                               \
  {key, NULL, K_F64, 0, 1e9, 0, F(field),                                                   \
   "published figure of --micro " what ": a chip's, not the model's, given only in a GPU "  \
   "file, shown only on a GPU of the settings it was published for; 0: none"}
    PUB("published_ffma", pub_ffma, "ffma, cycles per dependent FFMA"),
    PUB("published_chase_l1", pub_chase_l1, "chase-l1, cycles per dependent load"),
    PUB("published_chase_l2", pub_chase_l2, "chase-l2, cycles per dependent load"),
    PUB("published_chase_dram", pub_chase_dram, "chase-dram, cycles per dependent load"),
    PUB("published_mem_lat", pub_mem_lat, "mem-lat, cycles per dependent load"),
    PUB("published_smem_bw", pub_smem_bw, "smem-bw, bytes per cycle per SM"),
    PUB("published_dram_bw", pub_dram_bw, "dram-bw, GB/s"),
    PUB("published_l2_bw", pub_l2_bw, "l2-bw, bytes per cycle"),
    PUB("published_atomic", pub_atomic, "atomic, cycles per dependent atomic"),
    PUB("published_kernel_lat", pub_kernel_lat, "kernel-lat, cycles from launch to end"),
#undef PUB
    {"published_tensor", NULL, K_PUB_LIST, 0, 1e9, 0, F(pub_tensor),
     "published figures of --micro tensor, multiply-adds per cycle per SM: SEL=FIGURE joined "
     "by ':', SEL a shape (HMMA.884.F16) or every shape of a kind (fp16, tf32, int8, int4, b1, "
     "fp64; .sp: its 2:4 sparse ones, int8.sp); a GPU file's, as published_ffma"},
    {"published_tensor_lat", NULL, K_PUB_LIST, 0, 1e9, 0, F(pub_tensor_lat),
     "published figures of --micro tensor-lat, cycles per dependent MMA, as published_tensor"},
    {"max_warp_insts", NULL, K_U64, 1, 1e15, 1e10, F(max_warp_insts),
     "a limit of the simulation, not of the GPU: a kernel of more warp instructions is "
     "refused, before it runs where its size shows it, else once its issues pass it"},
};
#undef F
#define N_KEYS (sizeof keys / sizeof keys[0])
_Static_assert(N_KEYS <= SIMT_CONFIG_KEYS_MAX, "simt_config.file_bits holds every setting");

static const key_def *find_key(const char *k) {
  for (size_t i = 0; i < N_KEYS; i++)
    if (strcmp(keys[i].name, k) == 0 || (keys[i].alias && strcmp(keys[i].alias, k) == 0))
      return &keys[i];
  return NULL;
}

/* A published figure (published_*): a chip's, not a setting of the GPU. */
static bool published_key(const key_def *k) { return strncmp(k->name, "published_", 10) == 0; }

/* Whether key k holds a field of the GPU's own that a setting over its file
 * could change (a compound option sets the fields of others, a GPGPU-Sim
 * option kept as given is composed into them; a published figure is not
 * the GPU's); then its 8 bytes into *bits. */
static bool gpu_field(const simt_config *c, const key_def *k, uint64_t *bits) {
  if (published_key(k) ||
      (k->type != K_U64 && k->type != K_F64 && k->type != K_SCHED && k->type != K_DRAM_SCHED))
    return false;
  memcpy(bits, (const char *)c + k->off, sizeof *bits);
  return true;
}

/* The settings as the file (or the defaults) left them, kept in c. */
static void keep_file_bits(simt_config *c) {
  for (size_t i = 0; i < N_KEYS; i++)
    if (!gpu_field(c, &keys[i], &c->file_bits[i])) c->file_bits[i] = 0;
}

void simt_config_default(simt_config *c) {
  memset(c, 0, sizeof *c);
  em_strlcpy(c->name, "default", sizeof c->name);
  for (size_t i = 0; i < N_KEYS; i++) {
    const key_def *k = &keys[i];
    char *p = (char *)c + k->off;
    switch (k->type) {
    case K_U64: case K_SCHED: case K_DRAM_SCHED: {
      uint64_t v = (uint64_t)k->dflt;
      memcpy(p, &v, sizeof v);
    } break;
    case K_F64: memcpy(p, &k->dflt, sizeof k->dflt); break;
    default: break; /* compound aliases own no field; a list is empty */
    }
  }
  keep_file_bits(c);
}

static em_status set_u64(simt_config *c, const key_def *k, uint64_t v, const char *path,
                         uint64_t line, uint64_t col, em_diag *d) {
  if ((double)v < k->min || (double)v > k->max)
    return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                       "'%s' must be in [%.0f, %.0f], got %llu", k->name, k->min, k->max,
                       (unsigned long long)v);
  memcpy((char *)c + k->off, &v, sizeof v);
  return EM_OK;
}

static em_status set_named(simt_config *c, const char *name, uint64_t v, const char *path,
                           uint64_t line, uint64_t col, em_diag *d) {
  return set_u64(c, find_key(name), v, path, line, col, d);
}

static em_status parse_u64_key(simt_config *c, const char *name, const char *text,
                               const char *path, uint64_t line, uint64_t col, em_diag *d) {
  const key_def *k = find_key(name);
  uint64_t v;
  em_status st = em_parse_u64(text, &v);
  if (st != EM_OK)
    return em_diag_set(d, st, path, line, col, "'%s' must be a whole number, got '%s'", name,
                       text);
  return set_u64(c, k, v, path, line, col, d);
}

/* ---- GPGPU-Sim options: what each means in the model's fields ----
 *
 * GPGPU-Sim (gpgpu-sim_distribution, src/gpgpu-sim) times a load as stages
 * its options name plus a pipeline they do not:
 *   L1 hit   issue, operand collection and the LD/ST unit, then the L1's
 *            latency queue (-gpgpu_l1_latency; the tag check happens at its
 *            end, shader.cc L1_latency_queue_cycle), then writeback;
 *   L2 hit   the L1 path, the crossbar to the memory sub-partition, its entry
 *            delay (-gpgpu_l2_rop_latency, l2cache.cc push), the L2 access,
 *            the crossbar back and the L1 fill;
 *   DRAM     the L2 path, the DRAM delay queue (-dram_latency, l2cache.cc),
 *            then the bank timing of -gpgpu_dram_timing_opt in DRAM clocks.
 * GS_L1_PIPE is the load path besides the latency queue: Accel-Sim's QV100
 * config (-gpgpu_l1_latency 20) is tuned to TITAN V's measured 33.7-cycle L1
 * hit (util/tuner/GPU_Microbenchmark/output.file), 13.7 cycles more.
 * GS_SMEM_PIPE likewise: -gpgpu_smem_latency 20 against the measured 27.0.
 * GS_L2_PATH counts the stages of the local crossbar (-network_mode 2: input
 * buffer, crossbar, output buffer, one cycle each, both ways), the L2 access
 * and the L1 fill (one cycle each): 8.  The L2 and DRAM figures that follow
 * from these are predictions, tested against TITAN V's in tests/simt. */
#define GS_L1_PIPE 14
#define GS_SMEM_PIPE 7
#define GS_L2_PATH 8

/* Sets field `name` to v with its range check. */
static em_status set_named(simt_config *c, const char *name, uint64_t v, const char *path,
                           uint64_t line, uint64_t col, em_diag *d);

/* Composes the GPGPU-Sim options given so far into the model's fields.
 * Called after each one is set, so their order in a file does not matter. */
/* A composed value's range error, with what it was composed from (it said
 * "'dram_t_rcd' must be in [0, 1000], got 100000000" of RCD=1000 at a clock
 * ratio of 100000, which no line of the file holds). */
static em_status composed(em_diag *d, em_status st, const char *fmt, ...) {
  char from[200], msg[EM_DIAG_MSG_MAX], path[sizeof d->path];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(from, sizeof from, fmt, ap);
  va_end(ap);
  em_strlcpy(msg, d->msg, sizeof msg); /* (d is rewritten below: its fields copied first) */
  em_strlcpy(path, d->path, sizeof path);
  em_diag_set(d, st, path[0] ? path : NULL, d->line, d->col, "%s (composed from %s)", msg, from);
  return st;
}

static em_status resolve_gs(simt_config *c, const char *path, uint64_t line, uint64_t col,
                            em_diag *d) {
  const simt_gpgpusim *g = &c->gs;
  em_status st = EM_OK;
#define SET(name, v, ...)                                                     \
  do {                                                                        \
    if ((st = set_named(c, name, (v), path, line, col, d)) != EM_OK)          \
      return composed(d, st, __VA_ARGS__);                                    \
  } while (0)
  unsigned long long cpc = g->cores_per_cluster ? g->cores_per_cluster : 1;
  if (g->n_clusters)
    SET("n_sm", g->n_clusters * cpc, "gpgpu_n_clusters %llu x gpgpu_n_cores_per_cluster %llu",
        (unsigned long long)g->n_clusters, cpc);
  if (g->n_mem) SET("dram_channels", g->n_mem, "gpgpu_n_mem %llu", (unsigned long long)g->n_mem);
  if (g->sub_per_mem)
    SET("l2_slices", c->dram_channels * g->sub_per_mem,
        "%llu DRAM channels x gpgpu_n_sub_partition_per_mchannel %llu",
        (unsigned long long)c->dram_channels, (unsigned long long)g->sub_per_mem);
  /* DRAM clocks to cycles of the clock the DRAM figures are stated at
   * (dram_ref_mhz; while a file is read and gives none, 0: its core clock),
   * to the nearest; GPGPU-Sim's DRAM clock is the command clock
   * (-dram_data_command_freq_ratio transfers per clock) */
  double ref = c->dram_ref_mhz > 0 ? c->dram_ref_mhz : c->core_freq_mhz;
  double r = g->dram_mhz > 0 ? ref / g->dram_mhz : 1.0;
  const char *unit = ref == c->core_freq_mhz ? "core cycles" : "cycles of dram_ref_mhz";
#define CONV(t) ((uint64_t)((double)(t) * r + 0.5))
#define DRAM_FROM(k, t)                                                                \
  "gpgpu_dram_timing_opt " k "=%llu DRAM clocks x %.6g %s a DRAM clock (%.6g / %.6g MHz)", \
      (unsigned long long)(t), r, unit, ref, g->dram_mhz > 0 ? g->dram_mhz : ref
  if (g->t_set & 1) SET("dram_t_rcd", CONV(g->t_rcd), DRAM_FROM("RCD", g->t_rcd));
  if (g->t_set & 2) SET("dram_t_rp", CONV(g->t_rp), DRAM_FROM("RP", g->t_rp));
  if (g->t_set & 4) SET("dram_t_cl", CONV(g->t_cl), DRAM_FROM("CL", g->t_cl));
  if (g->t_set & 8)
    SET("dram_t_ccd", CONV(g->t_ccd) ? CONV(g->t_ccd) : 1, DRAM_FROM("CCD", g->t_ccd));
  if (g->t_set & 16)
    SET("dram_banks", g->nbk, "gpgpu_dram_timing_opt nbk=%llu", (unsigned long long)g->nbk);
#undef DRAM_FROM
#undef CONV
  if (g->dram_buswidth) {
    /* bytes per DRAM clock: bus width x chips x transfers per clock
     * (GPGPU-Sim's defaults: 1 chip, 2 transfers), then per cycle of ref */
    double bpc = (double)g->dram_buswidth * (double)(g->mem_per_ctrlr ? g->mem_per_ctrlr : 1) *
                 (double)(g->dram_ratio ? g->dram_ratio : 2) / r;
    if (bpc < 0.5 || bpc > 4096)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'gpgpu_dram_buswidth' gives %g bytes per %s per channel, "
                         "outside [0.5, 4096]", bpc,
                         ref == c->core_freq_mhz ? "core cycle" : "cycle of dram_ref_mhz");
    c->dram_channel_bytes_per_cycle = bpc;
  }
  if (g->l1_latency)
    SET("l1_latency", g->l1_latency + GS_L1_PIPE, "gpgpu_l1_latency %llu + %d pipeline cycles",
        (unsigned long long)g->l1_latency, GS_L1_PIPE);
  if (g->smem_latency)
    SET("smem_latency", g->smem_latency + GS_SMEM_PIPE,
        "gpgpu_smem_latency %llu + %d pipeline cycles", (unsigned long long)g->smem_latency,
        GS_SMEM_PIPE);
  if (g->rop_latency)
    SET("l2_latency", c->l1_latency + g->rop_latency + GS_L2_PATH,
        "l1_latency %llu + gpgpu_l2_rop_latency %llu + %d cycles of the path",
        (unsigned long long)c->l1_latency, (unsigned long long)g->rop_latency, GS_L2_PATH);
  if (g->l2_assoc) {
    SET("l2_ways", g->l2_assoc, "gpgpu_cache:dl2's associativity %llu",
        (unsigned long long)g->l2_assoc);
    SET("l2_bytes", g->l2_sets * g->l2_line * g->l2_assoc * c->l2_slices,
        "gpgpu_cache:dl2's %llu sets x %llu-byte lines x %llu ways x %llu slices",
        (unsigned long long)g->l2_sets, (unsigned long long)g->l2_line,
        (unsigned long long)g->l2_assoc, (unsigned long long)c->l2_slices);
  }
#undef SET
  return EM_OK;
}

/* "a=1:b=2" or "a:b:c" split at ':' into at most n parts (in place). */
static size_t split_colon(char *s, char **parts, size_t n) {
  size_t i = 0;
  while (s && i < n) {
    parts[i++] = s;
    s = strchr(s, ':');
    if (s) *s++ = '\0';
  }
  return i;
}

/* The most ':'-separated fields a compound option may have: GPGPU-Sim's
 * longest, -gpgpu_dram_timing_opt, has 14 (nbk, CCD, RRD, RCD, RAS, RP, RC,
 * CL, WL, CDLR, WR, nbkgrp, CCDL, RTPL); a value with more is refused,
 * never cut to its first ones. */
#define COMPOUND_FIELDS_MAX 32

static em_status set_compound(simt_config *c, const key_def *k, const char *value,
                              const char *path, uint64_t line, uint64_t col, em_diag *d) {
  char buf[512];
  char *parts[COMPOUND_FIELDS_MAX];
  if (strlen(value) >= sizeof buf)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, col, "'%s' value is too long", k->name);
  size_t fields = 1;
  for (const char *p = value; *p; p++) fields += *p == ':';
  if (fields > COMPOUND_FIELDS_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, col,
                       "'%s' has %zu fields joined by ':', more than the %d it may have",
                       k->name, fields, COMPOUND_FIELDS_MAX);
  em_strlcpy(buf, value, sizeof buf);
  size_t n = split_colon(buf, parts, COMPOUND_FIELDS_MAX);
  em_status st;
  switch (k->type) {
  case K_PIPELINE:
    if (n != 2)
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must be threads:warp_size, got '%s'", k->name, value);
    if ((st = parse_u64_key(c, "max_threads_per_sm", parts[0], path, line, col, d)) != EM_OK)
      return st;
    return parse_u64_key(c, "warp_size", parts[1], path, line, col, d);
  case K_CLOCKS: {
    double f[4];
    for (size_t i = 0; i < 4; i++)
      if (n != 4 || em_parse_f64(parts[i], &f[i]) != EM_OK || f[i] < 1 || f[i] > 1e5)
        return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                           "'%s' must be four clocks core:icnt:l2:dram in [1, 100000] MHz, "
                           "got '%s'", k->name, value);
    c->core_freq_mhz = f[0];
    c->gs.dram_mhz = f[3];
    return resolve_gs(c, path, line, col, d);
  }
  case K_CACHE_DL2: {
    /* GPGPU-Sim: "S:sets:line:assoc,policies,..." (S: sectored, N: not) */
    uint64_t v[3];
    char *comma = strchr(n > 3 ? parts[3] : buf, ',');
    if (comma) *comma = '\0';
    if (n < 4 || (strcmp(parts[0], "S") != 0 && strcmp(parts[0], "N") != 0) ||
        em_parse_u64(parts[1], &v[0]) != EM_OK || em_parse_u64(parts[2], &v[1]) != EM_OK ||
        em_parse_u64(parts[3], &v[2]) != EM_OK || v[0] == 0 || v[0] > 65536 || v[2] == 0 ||
        v[2] > 64)
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must start S:sets:line:assoc (sets in [1, 65536], assoc in "
                         "[1, 64]), got '%s'", k->name, value);
    if (v[1] != 128)
      return em_diag_set(d, EM_ERR_UNSUPPORTED, path, line, col,
                         "'%s' line size must be 128 bytes (the model's), got %llu", k->name,
                         (unsigned long long)v[1]);
    c->gs.l2_sets = v[0];
    c->gs.l2_line = v[1];
    c->gs.l2_assoc = v[2];
    return resolve_gs(c, path, line, col, d);
  }
  case K_DRAM_TIMING: {
    /* kept in DRAM clocks; resolve_gs converts them with the clocks */
    static const struct { const char *gk; size_t off; unsigned bit; } map[] = {
        {"RCD", G(t_rcd), 1}, {"RP", G(t_rp), 2}, {"CL", G(t_cl), 4},
        {"CCD", G(t_ccd), 8}, {"nbk", G(nbk), 16}};
    (void)st;
    for (size_t i = 0; i < n; i++) {
      char *eq = strchr(parts[i], '=');
      if (!eq)
        return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                           "'%s' must be name=value pairs joined by ':', got '%s'", k->name,
                           parts[i]);
      *eq = '\0';
      for (size_t j = 0; j < sizeof map / sizeof map[0]; j++) {
        if (strcmp(map[j].gk, parts[i]) != 0) continue;
        uint64_t v;
        if (em_parse_u64(eq + 1, &v) != EM_OK || v > 1000 || (map[j].bit == 16 && v == 0))
          return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                             "'%s' %s must be a whole number in [%d, 1000], got '%s'", k->name,
                             parts[i], map[j].bit == 16 ? 1 : 0, eq + 1);
        memcpy((char *)c + map[j].off, &v, sizeof v);
        c->gs.t_set |= map[j].bit;
      }
      /* The other GPGPU-Sim timings (RRD, RAS, RC, WL, WR, ...) are not
       * modelled: accepted and ignored, as the help text says. */
    }
    return resolve_gs(c, path, line, col, d);
  }
  case K_WRITE_QUEUE:
    if (n != 3)
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must be size:high:low, got '%s'", k->name, value);
    if ((st = parse_u64_key(c, "dram_wq_size", parts[0], path, line, col, d)) != EM_OK ||
        (st = parse_u64_key(c, "dram_wq_high", parts[1], path, line, col, d)) != EM_OK ||
        (st = parse_u64_key(c, "dram_wq_low", parts[2], path, line, col, d)) != EM_OK)
      return st;
    if (c->dram_wq_high > c->dram_wq_size || c->dram_wq_low > c->dram_wq_high)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'%s' must be size:high:low with low <= high <= size, got '%s'",
                         k->name, value);
    return EM_OK;
  case K_PART_QUEUES: {
    uint64_t v[4];
    for (size_t i = 0; i < 4; i++)
      if (n != 4 || em_parse_u64(parts[i], &v[i]) != EM_OK)
        return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                           "'%s' must be four whole numbers a:b:c:d, got '%s'", k->name, value);
    if (v[1] < 1 || v[1] > 1024)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'%s' L2_to_dram (the second) must be in [1, 1024], got %llu", k->name,
                         (unsigned long long)v[1]);
    c->l2_dram_queue = v[1];
    return EM_OK;
  }
  case K_GS: {
    uint64_t v;
    if (em_parse_u64(value, &v) != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, path, line, col, "'%s' must be a whole number, got '%s'",
                         k->name, value);
    if ((double)v < k->min || (double)v > k->max)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col, "'%s' must be in [%.0f, %.0f], got %llu",
                         k->name, k->min, k->max, (unsigned long long)v);
    memcpy((char *)c + k->off, &v, sizeof v);
    return resolve_gs(c, path, line, col, d);
  }
  case K_CC_MAJOR:
  case K_CC_MINOR: {
    uint64_t v;
    if (em_parse_u64(value, &v) != EM_OK || (double)v < k->min || (double)v > k->max)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col,
                         "'%s' must be a whole number in [%.0f, %.0f], got '%s'", k->name, k->min,
                         k->max, value);
    c->sm_arch = k->type == K_CC_MAJOR ? 10 * v + c->sm_arch % 10 : c->sm_arch / 10 * 10 + v;
    return EM_OK;
  }
  default: return EM_ERR_INVALID;
  }
}

/* A selector of a published list: a shape's name ("HMMA.884.F16"), or a
 * kind's ("int8"), with ".sp" its 2:4 sparse shapes; into list entry i. */
static bool pub_selector(const char *sel, simt_pub_list *l, size_t i) {
  for (unsigned mma = 1; mma < SIMT_MMA_COUNT; mma++)
    if (strcmp(simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma)->name, sel) == 0) {
      l->e[i].mma = (uint8_t)mma;
      return true;
    }
  for (unsigned kind = 0; kind < SIMT_MMA_KIND_COUNT; kind++) {
    const char *name = simt_mma_kind_name((simt_mma_kind)kind);
    size_t n = strlen(name);
    if (strncmp(sel, name, n) == 0 && (sel[n] == '\0' || strcmp(sel + n, ".sp") == 0)) {
      l->e[i].kind = (uint8_t)kind;
      l->e[i].sparse = sel[n] != '\0';
      return true;
    }
  }
  return false;
}

/* The text of list entry i: its shape's name, or its kind's ("int8.sp"). */
static void pub_selector_text(const simt_pub_list *l, size_t i, char *buf, size_t size) {
  if (l->e[i].mma)
    snprintf(buf, size, "%s", simt_mma_get(SIMT_OP_HMMA, l->e[i].mma)->name);
  else
    snprintf(buf, size, "%s%s", simt_mma_kind_name((simt_mma_kind)l->e[i].kind),
             l->e[i].sparse ? ".sp" : "");
}

/* A published list, "SEL=FIGURE:SEL=FIGURE...", each selector once. */
static em_status set_pub_list(simt_config *c, const key_def *k, const char *value,
                              const char *path, uint64_t line, uint64_t col, em_diag *d) {
  char buf[512];
  char *parts[SIMT_PUB_LIST_MAX + 1];
  simt_pub_list l;
  memset(&l, 0, sizeof l);
  if (strlen(value) >= sizeof buf)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, col, "'%s' value is too long", k->name);
  em_strlcpy(buf, value, sizeof buf);
  size_t n = split_colon(buf, parts, SIMT_PUB_LIST_MAX + 1);
  if (n > SIMT_PUB_LIST_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, col,
                       "'%s' gives more than %d figures", k->name, SIMT_PUB_LIST_MAX);
  for (size_t i = 0; i < n; i++) {
    char *eq = strchr(parts[i], '=');
    double v = 0;
    if (eq) *eq = '\0';
    if (!eq || !pub_selector(parts[i], &l, i) || em_parse_f64(eq + 1, &v) != EM_OK ||
        !(v > k->min && v <= k->max))
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must be SEL=FIGURE pairs joined by ':', SEL an MMA shape "
                         "(HMMA.884.F16) or a kind (fp16, tf32, int8, int4, b1, fp64; .sp: its "
                         "2:4 sparse shapes), FIGURE in (0, %g], got '%s%s%s'",
                         k->name, k->max, parts[i], eq ? "=" : "", eq ? eq + 1 : "");
    l.e[i].value = v;
    for (size_t j = 0; j < i; j++)
      if (l.e[j].mma == l.e[i].mma && l.e[j].kind == l.e[i].kind &&
          l.e[j].sparse == l.e[i].sparse)
        return em_diag_set(d, EM_ERR_INVALID, path, line, col, "'%s' gives '%s' twice", k->name,
                           parts[i]);
  }
  l.n = (uint32_t)n;
  memcpy((char *)c + k->off, &l, sizeof l);
  return EM_OK;
}

/* Sets one key, a GPU file's line or a setting over the GPU. */
static em_status config_set(simt_config *c, const char *key, const char *value,
                            const char *path, uint64_t line, uint64_t col, em_diag *d) {
  const key_def *k = find_key(key);
  if (!k) return em_diag_set(d, EM_ERR_NOTFOUND, path, line, col, "unknown key '%s'", key);
  switch (k->type) {
  case K_U64: return parse_u64_key(c, k->name, value, path, line, col, d);
  case K_F64: {
    double v;
    if (em_parse_f64(value, &v) != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, path, line, col, "'%s' must be a number, got '%s'",
                         k->name, value);
    if (v < k->min || v > k->max)
      return em_diag_set(d, EM_ERR_RANGE, path, line, col, "'%s' must be in [%g, %g], got %g",
                         k->name, k->min, k->max, v);
    /* dram_ref_mhz is what a GPU's DRAM figures mean: while a file is read
     * it is 0 (not given yet, simt_config_load_mem); over a GPU it would
     * make its DRAM keys mean other nanoseconds, a change no one asks for
     * (a DRAM key set there counts cycles of the GPU's own dram_ref_mhz) */
    if (k->off == offsetof(simt_config, dram_ref_mhz) && c->dram_ref_mhz != 0)
      return em_diag_set(d, EM_ERR_INVALID, path, line, col,
                         "'dram_ref_mhz' is given only in a GPU file, the clock it states its "
                         "DRAM figures at; a DRAM key set over a GPU counts cycles of that "
                         "GPU's (emlsim simt --gpu-help)");
    memcpy((char *)c + k->off, &v, sizeof v);
    /* a die area set over a GPU is that GPU's, whatever its n_sm */
    if (k->off == offsetof(simt_config, die_area_mm2)) c->die_sm = 0;
    return EM_OK;
  }
  case K_SCHED: {
    uint64_t v;
    if (strcmp(value, "lrr") == 0) v = SIMT_SCHED_LRR;
    else if (strcmp(value, "gto") == 0) v = SIMT_SCHED_GTO;
    else if (strcmp(value, "two_level") == 0) v = SIMT_SCHED_TWO_LEVEL;
    else if (strncmp(value, "two_level_active:", 17) == 0) {
      /* GPGPU-Sim: two_level_active:N:inner:outer; N is the active set, the
       * model's two levels take their own policies (simt_gpu.c), so inner
       * and outer, when given, need only be GPGPU-Sim's whole numbers */
      v = SIMT_SCHED_TWO_LEVEL;
      const char *n = value + 17;
      size_t nl = strcspn(n, ":"), fields = 1;
      bool whole = true;
      for (const char *f = n; whole; fields++) {
        size_t fl = strcspn(f, ":");
        whole = fl > 0 && strspn(f, "0123456789") == fl;
        if (!f[fl]) break;
        f += fl + 1;
      }
      if (!whole || (fields != 1 && fields != 3))
        return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                           "'%s' must be lrr, gto, two_level, or GPGPU-Sim's "
                           "two_level_active:N or two_level_active:N:INNER:OUTER (whole "
                           "numbers), got '%s'",
                           k->name, value);
      char *nb = strndup(n, nl); /* N whole, however long */
      if (!nb) return em_diag_set(d, EM_ERR_NOMEM, path, line, col, "out of memory");
      em_status st = parse_u64_key(c, "two_level_active", nb, path, line, col, d);
      free(nb);
      if (st != EM_OK) return st;
    } else
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must be lrr, gto or two_level, got '%s'", k->name, value);
    memcpy((char *)c + k->off, &v, sizeof v);
    return EM_OK;
  }
  case K_DRAM_SCHED: {
    uint64_t v;
    if (strcmp(value, "fcfs") == 0 || strcmp(value, "0") == 0) v = SIMT_DRAM_FCFS;
    else if (strcmp(value, "frfcfs") == 0 || strcmp(value, "1") == 0) v = SIMT_DRAM_FRFCFS;
    else
      return em_diag_set(d, EM_ERR_PARSE, path, line, col,
                         "'%s' must be fcfs or frfcfs (GPGPU-Sim: 0 or 1), got '%s'", k->name,
                         value);
    memcpy((char *)c + k->off, &v, sizeof v);
    return EM_OK;
  }
  case K_PUB_LIST: return set_pub_list(c, k, value, path, line, col, d);
  default: return set_compound(c, k, value, path, line, col, d);
  }
}

em_status simt_config_set(simt_config *c, const char *key, const char *value,
                          const char *path, uint64_t line, uint64_t col, em_diag *d) {
  const key_def *k = find_key(key);
  /* a published figure is the chip's that a GPU file describes: over a GPU
   * (--set, a sweep) it would be no chip's */
  if (k && published_key(k))
    return em_diag_set(d, EM_ERR_INVALID, path, line, col,
                       "'%s' is given only in a GPU file: a published figure belongs to the "
                       "chip the file describes, not to settings over a GPU (emlsim simt "
                       "--gpu-help)",
                       k->name);
  return config_set(c, key, value, path, line, col, d);
}

/* t cycles of one clock counted in cycles of a clock x times as fast, to
 * the nearest, and at least lo when t is not 0.  The key ranges keep t x x
 * below 10^11 (t <= 10^6, clocks in [1, 10^5] MHz). */
static uint64_t recount(uint64_t t, double x, uint64_t lo) {
  if (t == 0 || x == 1.0) return t;
  uint64_t v = (uint64_t)floor((double)t * x + 0.5);
  return v < lo ? lo : v;
}

/* The clocks whose cycles the DRAM figures count and the core's are the
 * same: nothing to restate (every preset at its own clock; 0, a file
 * being read that gave none, is its core clock). */
static bool dram_at_core(const simt_config *c) {
  return !(c->dram_ref_mhz > 0) || c->dram_ref_mhz == c->core_freq_mhz;
}

double simt_dram_channel_bytes_per_core_cycle(const simt_config *c) {
  if (dram_at_core(c)) return c->dram_channel_bytes_per_cycle; /* bit for bit */
  return c->dram_channel_bytes_per_cycle * (c->dram_ref_mhz / c->core_freq_mhz);
}

void simt_config_dram_in_core_cycles(simt_config *c) {
  if (!dram_at_core(c)) {
    double x = c->core_freq_mhz / c->dram_ref_mhz; /* core cycles a DRAM-figure cycle */
    c->dram_t_rcd = recount(c->dram_t_rcd, x, 0);
    c->dram_t_rp = recount(c->dram_t_rp, x, 0);
    c->dram_t_cl = recount(c->dram_t_cl, x, 0);
    /* a bank takes one column command at a time: a tCCD under a core
     * cycle is still one (resolve_gs rounds GPGPU-Sim's CCD so too) */
    c->dram_t_ccd = recount(c->dram_t_ccd, x, 1);
    c->dram_t_rtw = recount(c->dram_t_rtw, x, 0);
    c->dram_t_wtr = recount(c->dram_t_wtr, x, 0);
    /* a refresh period that rounded to 0 would turn refresh off */
    c->dram_t_refi = recount(c->dram_t_refi, x, 1);
    c->dram_t_rfc = recount(c->dram_t_rfc, x, 0);
    c->dram_channel_bytes_per_cycle = simt_dram_channel_bytes_per_core_cycle(c);
  }
  c->dram_ref_mhz = c->core_freq_mhz;
}

em_status simt_config_check(const simt_config *c, const char *path, em_diag *d) {
  if (c->max_threads_per_sm % c->warp_size != 0)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'max_threads_per_sm' (%llu) must be a multiple of 'warp_size' (%llu)",
                       (unsigned long long)c->max_threads_per_sm,
                       (unsigned long long)c->warp_size);
  /* A global load or atomic takes a miss entry for every sector it touches,
   * all at once (simt_mem.c l1_access), and one lane's access of up to 32
   * bytes spans at most two sectors: an SM with fewer entries than a warp
   * instruction may need would wait for them forever. */
  if (c->l1_mshr < 2 * c->warp_size)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'l1_mshr' (%llu) must be at least 2 x 'warp_size' (%llu): a warp's "
                       "global load or atomic takes a miss entry for each 32-byte sector it "
                       "touches, up to two a lane, all at once",
                       (unsigned long long)c->l1_mshr, (unsigned long long)(2 * c->warp_size));
  if (c->die_area_mm2 > 0 && c->die_nm == 0)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'die_area_mm2' needs 'die_nm', the process node the area is at");
  if (c->l1_bytes % (128 * c->l1_ways) != 0)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'l1_bytes' must be a multiple of 128 * 'l1_ways'");
  if (c->l2_bytes % (128 * c->l2_ways * c->l2_slices) != 0)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'l2_bytes' must be a multiple of 128 * 'l2_ways' * 'l2_slices'");
  if (c->dram_t_refi && c->dram_t_rfc >= c->dram_t_refi)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'dram_t_rfc' (%llu) must be below 'dram_t_refi' (%llu)",
                       (unsigned long long)c->dram_t_rfc, (unsigned long long)c->dram_t_refi);
  /* a burst must fit between two refreshes: the channel pushes a burst
   * that starts in a refresh past it, not one that would run into the
   * next (refi 4, rfc 3 ran faster than no refresh at all).  The model
   * runs on the figures in core cycles, whose rounding at another core
   * clock may close the gap: checked there (the same figures at the clock
   * they are stated at). */
  simt_config k = *c;
  simt_config_dram_in_core_cycles(&k);
  if (k.dram_t_refi && k.dram_channel_bytes_per_cycle > 0 &&
      (k.dram_t_rfc >= k.dram_t_refi ||
       (double)(k.dram_t_refi - k.dram_t_rfc) < 32.0 / k.dram_channel_bytes_per_cycle)) {
    if (c->dram_t_refi == k.dram_t_refi && c->dram_t_rfc == k.dram_t_rfc)
      return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                         "'dram_t_refi' - 'dram_t_rfc' (%llu cycles) must hold a sector's burst "
                         "(%.2f cycles at 'dram_channel_bytes_per_cycle' %g)",
                         (unsigned long long)(c->dram_t_refi - c->dram_t_rfc),
                         32.0 / k.dram_channel_bytes_per_cycle, k.dram_channel_bytes_per_cycle);
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'dram_t_refi' - 'dram_t_rfc' (%llu - %llu cycles of 'dram_ref_mhz' %g, "
                       "%llu - %llu core cycles at 'core_freq_mhz' %g) must hold a sector's "
                       "burst (%.2f core cycles at %g bytes a core cycle)",
                       (unsigned long long)c->dram_t_refi, (unsigned long long)c->dram_t_rfc,
                       c->dram_ref_mhz, (unsigned long long)k.dram_t_refi,
                       (unsigned long long)k.dram_t_rfc, c->core_freq_mhz,
                       32.0 / k.dram_channel_bytes_per_cycle, k.dram_channel_bytes_per_cycle);
  }
  if (c->dram_wq_high > c->dram_wq_size || c->dram_wq_low > c->dram_wq_high)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'dram_wq_high' (%llu) must lie in ['dram_wq_low' (%llu), 'dram_wq_size' "
                       "(%llu)]",
                       (unsigned long long)c->dram_wq_high, (unsigned long long)c->dram_wq_low,
                       (unsigned long long)c->dram_wq_size);
  if (c->two_level_active * c->n_sched > simt_config_max_warps(c) &&
      c->scheduler == SIMT_SCHED_TWO_LEVEL)
    return em_diag_set(d, EM_ERR_RANGE, path, 0, 0,
                       "'two_level_active' times 'n_sched' exceeds the warps per SM");
  return EM_OK;
}

/* Limit on a preset file: far beyond any real one, small enough to read at once. */
#define CFG_BYTES_MAX ((size_t)1 << 20)

/* GPGPU-Sim and Accel-Sim options the model accepts and does not use: the
 * functional simulator's, statistics and output, power, the front end,
 * per-opcode PTX and trace latencies (the model takes its own per unit), the
 * operand-collector and cache details it models its own way, the crossbar's
 * buffers and the address mapping.  Any other name is an unknown key. */
static const char *const gs_ignored[] = {
    "gpgpu_ptx_instruction_classification", "gpgpu_ptx_sim_mode",
    "gpgpu_ptx_force_max_capability", "gpgpu_stack_size_limit", "gpgpu_heap_size_limit",
    "gpgpu_runtime_sync_depth_limit", "gpgpu_runtime_pending_launch_count_limit",
    "gpgpu_TB_launch_latency", "gpgpu_max_concurrent_kernel",
    "gpgpu_ptx_convert_to_ptxplus", "gpgpu_ptx_save_converted_ptxplus",
    "gpgpu_clock_gated_lanes", "gpgpu_registers_per_block", "gpgpu_occupancy_sm_number",
    "gpgpu_simd_model", "gpgpu_pipeline_widths", "gpgpu_num_sp_units", "gpgpu_num_sfu_units",
    "gpgpu_num_dp_units", "gpgpu_num_int_units", "gpgpu_tensor_core_avail",
    "gpgpu_num_tensor_core_units", "ptx_opcode_latency_int", "ptx_opcode_latency_fp",
    "ptx_opcode_latency_dp", "ptx_opcode_latency_sfu", "ptx_opcode_latency_tesnor",
    "ptx_opcode_initiation_int", "ptx_opcode_initiation_fp", "ptx_opcode_initiation_dp",
    "ptx_opcode_initiation_sfu", "ptx_opcode_initiation_tensor", "gpgpu_sub_core_model",
    "gpgpu_enable_specialized_operand_collector", "gpgpu_operand_collector_num_units_gen",
    "gpgpu_operand_collector_num_in_ports_gen", "gpgpu_operand_collector_num_out_ports_gen",
    "gpgpu_num_reg_banks", "gpgpu_reg_file_port_throughput", "gpgpu_shmem_limited_broadcast",
    "gpgpu_shmem_warp_parts", "gpgpu_coalesce_arch", "gpgpu_max_insn_issue_per_warp",
    "gpgpu_dual_issue_diff_exec_units", "gpgpu_adaptive_cache_config", "gpgpu_shmem_option",
    "gpgpu_unified_l1d_size", "gpgpu_l1_banks", "gpgpu_cache:dl1", "gpgpu_cache:dl1PrefL1",
    "gpgpu_cache:dl1PrefShared", "gpgpu_l1_cache_write_ratio", "gpgpu_gmem_skip_L1D",
    "gpgpu_flush_l1_cache", "gpgpu_flush_l2_cache", "gpgpu_n_cluster_ejection_buffer_size",
    "gpgpu_shmem_sizeDefault", "gpgpu_shmem_size_PrefL1", "gpgpu_shmem_size_PrefShared",
    "gpgpu_shmem_per_block", "gpgpu_cache:dl2_texture_only",
    "gpgpu_perf_sim_memcpy", "gpgpu_memory_partition_indexing", "gpgpu_cache:il1",
    "gpgpu_inst_fetch_throughput", "gpgpu_tex_cache:l1", "gpgpu_const_cache:l1",
    "gpgpu_perfect_inst_const_cache", "network_mode", "inter_config_file",
    "icnt_in_buffer_limit", "icnt_out_buffer_limit", "icnt_subnets", "icnt_flit_size",
    "icnt_arbiter_algo", "icnt_verbose", "icnt_grant_cycles", "gpgpu_dram_return_queue_size",
    "gpgpu_dram_burst_length", "gpgpu_mem_address_mask", "gpgpu_mem_addr_mapping",
    "dram_dual_bus_interface", "dram_bnk_indexing_policy", "dram_bnkgrp_indexing_policy",
    "gpgpu_memlatency_stat", "gpgpu_runtime_stat", "enable_ptx_file_line_stats",
    "visualizer_enabled", "gpgpu_deadlock_detect", "gpgpu_max_cycle", "gpgpu_max_insn",
    "gpgpu_max_cta", "gpgpu_max_completed_cta", "gpgpu_concurrent_kernel_sm",
    "gpgpu_ignore_resources_limitation", "gpgpu_l2_queue_config", "gpgpu_perfect_mem",
    "gpgpu_reg_bank_use_warp_id", "gpgpu_cflog_interval", "gpgpu_ptx_inst_debug_to_file",
    "power_simulation_enabled", "power_simulation_mode", "power_trace_enabled",
    "power_per_cycle_dump", "power_trace_zlevel", "steady_power_levels_enabled",
    "steady_state_definition", "accelwattch_xml_file", "dvfs_enabled", "aggregate_power_stats",
    "gpuwattch_xml_file", "trace_opcode_latency_initiation_int",
    "trace_opcode_latency_initiation_sp", "trace_opcode_latency_initiation_dp",
    "trace_opcode_latency_initiation_sfu", "trace_opcode_latency_initiation_tensor",
};
/* ... and Accel-Sim's numbered specialized units */
static const char *const gs_ignored_prefix[] = {"specialized_unit_",
                                                 "trace_opcode_latency_initiation_spec_op_"};

static bool gs_is_ignored(const char *k) {
  for (size_t i = 0; i < sizeof gs_ignored / sizeof gs_ignored[0]; i++)
    if (strcmp(gs_ignored[i], k) == 0) return true;
  for (size_t i = 0; i < sizeof gs_ignored_prefix / sizeof gs_ignored_prefix[0]; i++) {
    size_t n = strlen(gs_ignored_prefix[i]);
    if (strncmp(gs_ignored_prefix[i], k, n) == 0 && isdigit((unsigned char)k[n])) return true;
  }
  return false;
}

/* Notes an ignored option in c (its name while there is room). */
static void note_ignored(simt_config *c, const char *k) {
  size_t used = strlen(c->ignored), need = strlen(k) + (used ? 2 : 0);
  c->n_ignored++;
  if (used >= 3 && strcmp(c->ignored + used - 3, "...") == 0) return; /* full already */
  if (used + need + 5 < sizeof c->ignored)
    snprintf(c->ignored + used, sizeof c->ignored - used, "%s%s", used ? ", " : "", k);
  else
    snprintf(c->ignored + used, sizeof c->ignored - used, "%s...", used ? ", " : "");
}

/* Pairs of keys that set the same thing: a file gives one of each. */
static const struct { const char *a, *b; } same_thing[] = {
    {"l1_latency", "gpgpu_l1_latency"},       {"smem_latency", "gpgpu_smem_latency"},
    {"l2_latency", "gpgpu_l2_rop_latency"},   {"n_sm", "gpgpu_n_clusters"},
    {"dram_channels", "gpgpu_n_mem"},         {"l2_slices", "gpgpu_n_sub_partition_per_mchannel"},
    {"l2_bytes", "gpgpu_cache:dl2"},          {"l2_ways", "gpgpu_cache:dl2"},
    {"core_freq_mhz", "gpgpu_clock_domains"}, {"sm_arch", "gpgpu_compute_capability_major"},
    {"sm_arch", "gpgpu_compute_capability_minor"},
    {"dram_channel_bytes_per_cycle", "gpgpu_dram_buswidth"},
    {"dram_t_rcd", "gpgpu_dram_timing_opt"},  {"dram_t_rp", "gpgpu_dram_timing_opt"},
    {"dram_t_cl", "gpgpu_dram_timing_opt"},   {"dram_t_ccd", "gpgpu_dram_timing_opt"},
    {"dram_banks", "gpgpu_dram_timing_opt"},
    {"dram_wq_size", "dram_write_queue_size"}, {"dram_wq_high", "dram_write_queue_size"},
    {"dram_wq_low", "dram_write_queue_size"}, {"l2_dram_queue", "gpgpu_dram_partition_queues"},
};

/* The longest logical line (a quoted value may span lines). */
#define CFG_LINE_MAX 1024

em_status simt_config_load_mem(const char *name, const char *text, simt_config *c,
                               em_diag *d) {
  simt_config_default(c);
  /* not given yet: the file's DRAM figures are stated at its own core
   * clock unless it gives dram_ref_mhz (set below once it is read) */
  c->dram_ref_mhz = 0;
  const char *base = strrchr(name, '/');
  em_strlcpy(c->name, base ? base + 1 : name, sizeof c->name);
  unsigned char seen[N_KEYS];
  uint64_t key_line[N_KEYS], key_col[N_KEYS]; /* where each key's value is */
  memset(seen, 0, sizeof seen);
  size_t n_set = 0;
  uint64_t line = 0;
  const char *p = text;
  /* a UTF-8 byte order mark before line 1 is left out, as topologies,
   * .cfg files, energy tables and sweep specs leave it (it read "1:1:
   * error: expected a key name"); columns count after it */
  if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
  char buf[CFG_LINE_MAX];
  while (*p) {
    line++;
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (len >= sizeof buf)
      return em_diag_set(d, EM_ERR_LIMIT, name, line, 1, "line longer than %zu bytes",
                         sizeof buf - 1);
    memcpy(buf, p, len);
    buf[len] = '\0';
    p = eol ? eol + 1 : p + len;
    char *hash = strchr(buf, '#');
    if (hash) *hash = '\0';
    /* key */
    char *s = buf;
    while (*s == ' ' || *s == '\t' || *s == '\r') s++;
    if (*s == '\0') continue;
    if (*s == '-') s++;
    char *key = s;
    while (*s && (isalnum((unsigned char)*s) || *s == '_' || *s == ':')) s++;
    size_t klen = (size_t)(s - key);
    if (klen == 0)
      return em_diag_set(d, EM_ERR_PARSE, name, line, (uint64_t)(key - buf) + 1,
                         "expected a key name");
    char ksave = *s;
    *s = '\0';
    char keyname[128];
    em_strlcpy(keyname, key, sizeof keyname);
    *s = ksave;
    if (*s && *s != ' ' && *s != '\t' && *s != '=' && *s != '\r')
      return em_diag_set(d, EM_ERR_PARSE, name, line, (uint64_t)(s - buf) + 1,
                         "unexpected '%c' after key '%s'", *s, keyname);
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '=') s++;
    while (*s == ' ' || *s == '\t') s++;
    char *val = s;
    uint64_t kline = line, kcol = (uint64_t)(key - buf) + 1, vcol = (uint64_t)(val - buf) + 1;
    if (*val == '"') {
      /* GPGPU-Sim's quoted value, which may go on over the next lines
       * (QV100's -gpgpu_dram_timing_opt "nbk=16:...:RC=40:\n CL=12:..."):
       * its lines are joined without the line breaks and blanks. */
      char joined[CFG_LINE_MAX];
      size_t jn = 0;
      const char *q = val + 1;
      for (;;) {
        while (*q && *q != '"') {
          if (*q != ' ' && *q != '\t' && *q != '\r') {
            if (jn + 1 >= sizeof joined)
              return em_diag_set(d, EM_ERR_LIMIT, name, kline, vcol,
                                 "quoted value longer than %zu bytes", sizeof joined - 1);
            joined[jn++] = *q;
          }
          q++;
        }
        if (*q == '"') break;
        /* the value goes on over the next line */
        if (!*p)
          return em_diag_set(d, EM_ERR_PARSE, name, kline, vcol,
                             "'%s': the quote opened here is not closed", keyname);
        line++;
        eol = strchr(p, '\n');
        len = eol ? (size_t)(eol - p) : strlen(p);
        if (len >= sizeof buf)
          return em_diag_set(d, EM_ERR_LIMIT, name, line, 1, "line longer than %zu bytes",
                             sizeof buf - 1);
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = eol ? eol + 1 : p + len;
        q = buf;
      }
      /* nothing but a comment after the closing quote */
      const char *after = q + 1;
      while (*after == ' ' || *after == '\t' || *after == '\r') after++;
      if (*after && *after != '#')
        return em_diag_set(d, EM_ERR_PARSE, name, line, (uint64_t)(after - buf) + 1,
                           "unexpected text after the quoted value of '%s'", keyname);
      joined[jn] = '\0';
      memcpy(buf, joined, jn + 1);
      val = buf;
    } else {
      char *hash2 = strchr(val, '#');
      if (hash2) *hash2 = '\0';
      char *end = val + strlen(val);
      while (end > val && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) *--end = '\0';
    }
    if (*val == '\0')
      return em_diag_set(d, EM_ERR_PARSE, name, kline, vcol, "'%s' needs a value", keyname);
    const key_def *k = find_key(keyname);
    if (!k && gs_is_ignored(keyname)) {
      note_ignored(c, keyname);
      continue;
    }
    if (!k)
      return em_diag_set(d, EM_ERR_NOTFOUND, name, kline, kcol, "unknown key '%s'", keyname);
    size_t idx = (size_t)(k - keys);
    if (seen[idx])
      return em_diag_set(d, EM_ERR_INVALID, name, kline, kcol, "'%s' is set twice", k->name);
    for (size_t i = 0; i < sizeof same_thing / sizeof same_thing[0]; i++) {
      const char *other = strcmp(same_thing[i].a, k->name) == 0   ? same_thing[i].b
                          : strcmp(same_thing[i].b, k->name) == 0 ? same_thing[i].a
                                                                   : NULL;
      const key_def *o = other ? find_key(other) : NULL;
      if (o && seen[o - keys])
        return em_diag_set(d, EM_ERR_INVALID, name, kline, kcol,
                           "'%s' sets what '%s' (line %llu) set; give one of them", k->name,
                           other, (unsigned long long)key_line[o - keys]);
    }
    seen[idx] = 1;
    key_line[idx] = kline;
    key_col[idx] = vcol;
    n_set++;
    em_status st = config_set(c, keyname, val, name, kline, vcol, d);
    if (st != EM_OK) return st;
  }
  if (n_set == 0)
    return em_diag_set(d, EM_ERR_PARSE, name, 1, 1,
                       c->n_ignored ? "the preset sets nothing the model uses (only GPGPU-Sim "
                                      "options it ignores, comments and blank lines)"
                                    : "the preset sets nothing (only blank lines and comments)");
  /* A file's DRAM figures, those it gives and the defaults it leaves, are
   * cycles of its dram_ref_mhz, or of its own core clock where it gives
   * none: at the file's own clock nothing is restated.  Pinned here, a core
   * clock set over the file later (--set, a sweep) leaves the DRAM. */
  if (c->dram_ref_mhz == 0) c->dram_ref_mhz = c->core_freq_mhz;
  /* once more with every setting in place: an option composed with a key
   * set after it (-gpgpu_l2_rop_latency, then l1_latency) sees its value */
  em_status st = resolve_gs(c, name, 0, 0, d);
  /* the file's static power is its own chip's (an n_sm set over it later,
   * by --set or a sweep's gpu.n_sm, scales it); a file that gives no static
   * figure has the defaults', which are the default n_sm's chip */
  if (st == EM_OK && c->static_sm == 0) {
    const key_def *sp = find_key("static_power_w"), *sl = find_key("static_lane_w"),
                  *ns = find_key("n_sm");
    c->static_sm = seen[sp - keys] || seen[sl - keys] ? c->n_sm : (uint64_t)ns->dflt;
  }
  /* likewise the die the file gives is its own chip's, of its n_sm */
  if (st == EM_OK) c->die_sm = seen[find_key("die_area_mm2") - keys] ? c->n_sm : 0;
  if (st == EM_OK) st = simt_config_check(c, name, d);
  if (st == EM_OK) keep_file_bits(c);
  if (st != EM_OK && d && d->line == 0) {
    /* Point at the first setting the message names that this file gave. */
    d->line = d->col = 1;
    char quoted[160];
    for (size_t i = 0; i < N_KEYS; i++) {
      if (!seen[i]) continue;
      snprintf(quoted, sizeof quoted, "'%s'", keys[i].name);
      bool named = strstr(d->msg, quoted) != NULL;
      if (keys[i].type == K_PIPELINE) /* threads:warp_size sets both */
        named = strstr(d->msg, "'max_threads_per_sm'") || strstr(d->msg, "'warp_size'");
      if (named) {
        d->line = key_line[i];
        d->col = key_col[i];
        break;
      }
    }
  }
  return st;
}

em_status simt_config_load(const char *path, simt_config *c, em_diag *d) {
  FILE *f;
  em_status os = em_input_open(path, "a GPU preset", EM_INPUT_STDIN, &f, d);
  if (os != EM_OK) return os;
  char *buf = malloc(CFG_BYTES_MAX + 1);
  if (!buf) {
    fclose(f);
    return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  size_t n = fread(buf, 1, CFG_BYTES_MAX + 1, f);
  int err = ferror(f);
  fclose(f);
  em_status st;
  if (err) st = em_diag_set(d, EM_ERR_IO, path, 0, 0, "read error");
  else if (n > CFG_BYTES_MAX)
    st = em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "file larger than %zu bytes", CFG_BYTES_MAX);
  else if (memchr(buf, '\0', n)) {
    const char *nul = memchr(buf, '\0', n);
    uint64_t line = 1, col = 1;
    for (const char *q = buf; q < nul; q++, col++)
      if (*q == '\n') line++, col = 0;
    st = em_diag_set(d, EM_ERR_PARSE, path, line, col, "NUL byte in a text file");
  } else {
    buf[n] = '\0';
    st = simt_config_load_mem(path, buf, c, d);
  }
  free(buf);
  return st;
}

static const char *const preset_names[] = {"volta", "ampere", "jetson"};

const char *const *simt_presets(size_t *n) {
  *n = sizeof preset_names / sizeof preset_names[0];
  return preset_names;
}

em_status simt_config_load_spec(const char *spec, simt_config *c, em_diag *d) {
  if (strchr(spec, '/') || strchr(spec, '.') || strcmp(spec, "-") == 0)
    return simt_config_load(spec, c, d);
  size_t n;
  const char *const *names = simt_presets(&n);
  for (size_t i = 0; i < n; i++) {
    if (strcmp(names[i], spec) != 0) continue;
    /* built in from models/simt/data (a diagnostic names that file) */
    const char *text = simt_preset_text(spec);
    char path[EM_DIAG_PATH_MAX];
    snprintf(path, sizeof path, "models/simt/data/gpu_%s.cfg", spec);
    if (!text) return em_diag_set(d, EM_ERR_NOTFOUND, path, 0, 0, "preset not built in");
    em_status st = simt_config_load_mem(path, text, c, d);
    if (st == EM_OK) em_strlcpy(c->name, spec, sizeof c->name);
    return st;
  }
  /* a file in the current folder named without '.' lands here too: say how
   * to name it, rather than "or a file" to someone who gave one */
  return em_diag_set(d, EM_ERR_NOTFOUND, NULL, 0, 0,
                     "unknown GPU preset '%s' (presets: volta, ampere, jetson; a file's name "
                     "holds a '/' or '.', e.g. './%s')",
                     spec, spec);
}

void simt_config_help(FILE *out, const simt_config *gpu, const char *gpu_name) {
  static const char *const sched[] = {"lrr", "gto", "two_level"};
  static const char *const dsched[] = {"fcfs", "frfcfs"};
  if (gpu)
    fprintf(out, "default: a key's value where a GPU file leaves it out; %s: its value in %s, "
                 "where that differs\n",
            gpu_name, gpu_name);
  for (size_t i = 0; i < N_KEYS; i++) {
    const key_def *k = &keys[i];
    const char *p = gpu ? (const char *)gpu + k->off : NULL;
    uint64_t u = 0;
    double f = 0;
    if (p && (k->type == K_U64 || k->type == K_SCHED || k->type == K_DRAM_SCHED))
      memcpy(&u, p, sizeof u);
    if (p && k->type == K_F64) memcpy(&f, p, sizeof f);
    switch (k->type) {
    case K_U64:
      fprintf(out, "  %-28s int [%.0f, %.0f] default %.0f", k->name, k->min, k->max, k->dflt);
      if (p && (double)u != k->dflt) fprintf(out, " (%s: %llu)", gpu_name, (unsigned long long)u);
      break;
    case K_F64:
      fprintf(out, "  %-28s real [%g, %g] default %g", k->name, k->min, k->max, k->dflt);
      if (p && f != k->dflt) fprintf(out, " (%s: %g)", gpu_name, f);
      break;
    case K_SCHED:
      fprintf(out, "  %-28s lrr|gto|two_level default %s", k->name, sched[(size_t)k->dflt]);
      if (p && u != (uint64_t)k->dflt && u < 3) fprintf(out, " (%s: %s)", gpu_name, sched[u]);
      break;
    case K_DRAM_SCHED:
      fprintf(out, "  %-28s fcfs|frfcfs default %s", k->name, dsched[(size_t)k->dflt]);
      if (p && u != (uint64_t)k->dflt && u < 2) fprintf(out, " (%s: %s)", gpu_name, dsched[u]);
      break;
    case K_GS:
      fprintf(out, "  %-28s int [%.0f, %.0f] (GPGPU-Sim option)", k->name, k->min, k->max);
      break;
    case K_PUB_LIST: {
      const simt_pub_list *l = (const simt_pub_list *)p;
      fprintf(out, "  %-28s SEL=FIGURE:... default none", k->name);
      for (size_t j = 0; l && j < l->n; j++) {
        char sel[64];
        pub_selector_text(l, j, sel, sizeof sel);
        if (j == 0) fprintf(out, " (%s: ", gpu_name);
        fprintf(out, "%s%s=%g%s", j ? ":" : "", sel, l->e[j].value, j + 1 == l->n ? ")" : "");
      }
    } break;
    default: fprintf(out, "  %-28s (GPGPU-Sim option)", k->name); break;
    }
    if (k->alias && strcmp(k->alias, k->name) != 0) fprintf(out, " (alias %s)", k->alias);
    fprintf(out, ": %s\n", k->help);
  }
}

/* ---- published microbenchmark figures ----
 *
 * Where each preset's figures come from, by setting, shape or kind, and
 * figure: the text the microbenchmark's table gives as its source (a GPU
 * file holds figures, not their sources), and the preset whose settings
 * the figure goes with.  So a copy of a preset's file under any name has
 * its figures and sources, and a figure holds on a GPU of that preset's
 * settings, however named.  The volta preset's are Accel-Sim's TITAN V
 * measurements (util/tuner/GPU_Microbenchmark/output.file, REFERENCES.md);
 * the ampere preset's the A100 whitepaper's tensor peaks (2020; 108 SMs at
 * 1410 MHz) per SM and cycle; the jetson preset's the Jetson AGX Orin
 * technical brief's sparse int8 peak (2022; 16 SMs at 1.3 GHz). */
#define A100(sel, v, what)                                                                \
  {"published_tensor", sel, v, "ampere",                                                  \
   "A100 whitepaper peak: " what " / (2 x 108 SMs x 1410 MHz)"}
static const struct {
  const char *key, *sel; /* sel: a list's shape or kind; NULL for one figure */
  double value;
  const char *preset, *source;
} pub_sources[] = {
    {"published_ffma", NULL, 4.12, "volta", "TITAN V, Accel-Sim microbenchmark: 4.12"},
    {"published_chase_l1", NULL, 33.7, "volta", "TITAN V, Accel-Sim microbenchmark: L1 hit 33.7"},
    {"published_chase_l2", NULL, 215, "volta",
     "TITAN V, Accel-Sim microbenchmark: L2 hit 210-220"},
    {"published_chase_dram", NULL, 313, "volta", "TITAN V, Accel-Sim microbenchmark: DRAM 313"},
    {"published_smem_bw", NULL, 99.7, "volta",
     "TITAN V, Accel-Sim l1_shared_bw (shared and L1 loads at once): 99.7 B/clk/SM"},
    {"published_dram_bw", NULL, 521.0, "volta", "TITAN V, Accel-Sim mem_bw: 521.0 GB/s of 652.8"},
    {"published_l2_bw", NULL, 1365.4, "volta",
     "TITAN V, Accel-Sim l2_bw_32f: 1365.4 B/clk of 1536"},
    {"published_atomic", NULL, 243.6, "volta", "TITAN V, Accel-Sim atomic_add_lat: 243.6 cycles"},
    {"published_kernel_lat", NULL, 7257.6, "volta",
     "TITAN V, Accel-Sim kernel_lat: 7257.6 cycles"},
    {"published_mem_lat", NULL, 313.46, "volta",
     "TITAN V, Accel-Sim mem_lat (consecutive 32 B steps): 313.46"},
    {"published_tensor_lat", "HMMA.884", 8.84, "volta",
     "TITAN V, Accel-Sim tensor_lat_half: wmma.m16n16k16 35.35 = 4 dependent HMMA.884 k-steps"},
    {"published_tensor_lat", "HMMA.884.F16", 8.25, "volta",
     "TITAN V, Accel-Sim tensor_lat_half, fp16 accumulation: 33.00 over 4 k-steps"},
    {"published_tensor", "HMMA.884", 477.6, "volta",
     "TITAN V, Accel-Sim config_tensor, fp32 accumulation: 477.6 FMA/clk/SM"},
    {"published_tensor", "HMMA.884.F16", 509.4, "volta",
     "TITAN V, Accel-Sim tensor_bw_half, fp16 accumulation: 509.4 FMA/clk/SM"},
    A100("fp16", 1024.4, "312 fp16 TFLOPS"),
    A100("tf32", 512.2, "156 tf32 TFLOPS"),
    A100("int8", 2048.8, "624 int8 TOPS"),
    A100("int4", 4097.6, "1248 int4 TOPS"),
    A100("b1", 16390.0, "4992 binary TOPS"),
    A100("fp64", 64.0, "19.5 fp64 TFLOPS"),
    A100("fp16.sp", 2048.8, "624 sparse fp16 TFLOPS"),
    A100("tf32.sp", 1024.4, "312 sparse tf32 TFLOPS"),
    A100("int8.sp", 4097.6, "1248 sparse int8 TOPS"),
    A100("int4.sp", 8195.3, "2496 sparse int4 TOPS"),
    {"published_tensor", "int8.sp", 4086.5, "jetson",
     "Jetson AGX Orin technical brief: 170 sparse int8 TOPS / (2 x 16 SMs x 1.3 GHz)"},
};
#undef A100

/* Settings no microbenchmark's figure reads: they price its energy or give
 * the die's area (simt_energy.c, simt_hw.c; the microbenchmarks report
 * cycles and bytes), or stop a kernel too long to simulate (then there is
 * no figure at all). */
static const char *const pub_never[] = {
    "board_power_w", "const_power_w",  "static_power_w", "static_lane_w",  "idle_sm_w",
    "static_sm",     "core_voltage_v", "ref_voltage_v",  "energy_scale",   "dram_pj_per_bit",
    "die_area_mm2",  "die_nm",         "max_warp_insts",
};
/* ... and the settings one microbenchmark's figure is independent of by
 * construction.  dram-bw: its arrays are twice the L2 (simt_gen.c), so it
 * streams from DRAM whatever the L2 holds (1.5 MB for 6: 503 against 505
 * GB/s, tests/cli/simt_power.sh); its figure is GB/s of a DRAM that keeps
 * its own clock (dram_ref_mhz), 503.05, 503.48 and 499.04 GB/s at a core
 * clock of 727.5, 1455 and 2910 MHz (models/simt/README.md, "Clock
 * domains"). */
static const struct {
  const char *micro;
  const char *keys[4];
} pub_indep[] = {
    {"dram-bw", {"l2_bytes", "core_freq_mhz"}},
};

/* Whether key k counts for the figure of microbenchmark micro. */
static bool pub_depends(const char *micro, const key_def *k) {
  for (size_t i = 0; i < sizeof pub_never / sizeof pub_never[0]; i++)
    if (strcmp(pub_never[i], k->name) == 0) return false;
  for (size_t i = 0; i < sizeof pub_indep / sizeof pub_indep[0]; i++)
    for (size_t j = 0; strcmp(pub_indep[i].micro, micro) == 0 && j < 4 && pub_indep[i].keys[j];
         j++)
      if (strcmp(pub_indep[i].keys[j], k->name) == 0) return false;
  return true;
}

/* The 8 bytes of a field as the text of key k's value. */
static void field_text(const key_def *k, uint64_t bits, char *buf, size_t size) {
  static const char *const sched[] = {"lrr", "gto", "two_level"};
  static const char *const dsched[] = {"fcfs", "frfcfs"};
  double f;
  memcpy(&f, &bits, sizeof f);
  if (k->type == K_F64) snprintf(buf, size, "%g", f);
  else if (k->type == K_SCHED && bits < 3) snprintf(buf, size, "%s", sched[bits]);
  else if (k->type == K_DRAM_SCHED && bits < 2) snprintf(buf, size, "%s", dsched[bits]);
  else snprintf(buf, size, "%llu", (unsigned long long)bits);
}

/* Appends to buf (of size) "sep text", or "..." once where it no longer fits. */
static void append(char *buf, size_t size, const char *text) {
  size_t used = strlen(buf), n = strlen(text) + (used ? 2 : 0);
  if (used >= 3 && strcmp(buf + used - 3, "...") == 0) return;
  if (used + n + 5 < size)
    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", text);
  else
    snprintf(buf + used, size - used, "%s...", used ? ", " : "");
}

bool simt_config_published(const simt_config *c, const char *micro, unsigned mma,
                           simt_published *p) {
  memset(p, 0, sizeof *p);
  char key[64];
  snprintf(key, sizeof key, "published_%s", micro);
  for (char *q = key; *q; q++)
    if (*q == '-') *q = '_';
  const key_def *k = find_key(key);
  if (!k || !published_key(k)) return false;
  /* the figure, and its selector in a list */
  char sel[64] = "";
  if (k->type == K_PUB_LIST) {
    const simt_pub_list *l = (const simt_pub_list *)((const char *)c + k->off);
    const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, (uint8_t)mma);
    size_t hit = l->n;
    for (size_t i = 0; i < l->n && hit == l->n; i++) /* the shape's own first */
      if (l->e[i].mma && l->e[i].mma == mma) hit = i;
    for (size_t i = 0; i < l->n && hit == l->n; i++) /* else its kind's */
      if (!l->e[i].mma && l->e[i].kind == mi->kind && l->e[i].sparse == mi->sparse) hit = i;
    if (hit == l->n) return false;
    p->value = l->e[hit].value;
    pub_selector_text(l, hit, sel, sizeof sel);
  } else {
    memcpy(&p->value, (const char *)c + k->off, sizeof p->value);
  }
  if (!(p->value > 0)) return false;
  /* its source, and the GPU whose settings it goes with: a preset's, or
   * the file's own as it was read */
  const char *preset = NULL;
  for (size_t i = 0; i < sizeof pub_sources / sizeof pub_sources[0] && !preset; i++)
    if (strcmp(pub_sources[i].key, key) == 0 &&
        (pub_sources[i].sel ? strcmp(pub_sources[i].sel, sel) == 0 : !sel[0]) &&
        pub_sources[i].value == p->value) {
      preset = pub_sources[i].preset;
      p->source = pub_sources[i].source;
    }
  simt_config *ref = NULL;
  if (preset) {
    ref = malloc(sizeof *ref);
    em_diag d;
    em_diag_clear(&d);
    if (!ref || simt_config_load_spec(preset, ref, &d) != EM_OK) {
      free(ref); /* not built in, or no memory: the file's own settings, as for any figure */
      ref = NULL;
      preset = NULL;
    }
  }
  if (!preset) {
    snprintf(p->buf, sizeof p->buf, "the GPU file's %s%s%s", key, sel[0] ? " " : "", sel);
    p->source = p->buf;
  }
  snprintf(p->against, sizeof p->against, "%s", preset ? preset : c->name);
  /* the settings it depends on that differ from that GPU's */
  for (size_t i = 0; i < N_KEYS; i++) {
    uint64_t now, then;
    if (!pub_depends(micro, &keys[i]) || !gpu_field(c, &keys[i], &now)) continue;
    if (ref) gpu_field(ref, &keys[i], &then);
    else then = c->file_bits[i];
    if (now == then) continue;
    char a[48], b[48], text[200];
    field_text(&keys[i], now, a, sizeof a);
    field_text(&keys[i], then, b, sizeof b);
    snprintf(text, sizeof text, "%s %s against %s's %s", keys[i].name, a, p->against, b);
    append(p->keys, sizeof p->keys, keys[i].name);
    append(p->why, sizeof p->why, text);
  }
  free(ref);
  p->holds = p->keys[0] == '\0';
  return true;
}
