/*
 * test_simt.c - the SIMT GPU model against values derived by hand or
 * published: the study book's divergence example, the Volta preset's
 * microbenchmarks (TITAN V figures of REFERENCES.md), shared-memory bank
 * conflicts (gcd(k, 32)), coalescing (4 and 32 sectors), occupancy by hand,
 * the schedulers' issue orders, and the configuration reader's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "simt_mem.h"

static simt_config volta(void) {
  simt_config c;
  em_diag d;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  return c;
}

static uint64_t run(const simt_config *c, simt_kernel *k, simt_stats *st) {
  simt_gpu *g;
  em_diag d;
  assert_int_equal(simt_gpu_create(c, &g, &d), EM_OK);
  em_status s = simt_gpu_run(g, k, NULL, NULL, st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  simt_gpu_destroy(g);
  return st->cycles;
}

/* ---- the study book's divergence example ---- */

typedef struct {
  uint32_t pc[16], mask[16];
  int n;
} issue_log;

static void log_issue(void *arg, uint64_t cycle, uint32_t sm, uint32_t warp, uint32_t pc,
                      simt_op op, uint32_t mask) {
  issue_log *l = arg;
  (void)cycle, (void)sm, (void)warp, (void)op;
  if (l->n < 16) {
    l->pc[l->n] = pc;
    l->mask[l->n] = mask;
    l->n++;
  }
}

static void book_divergence(void **state) {
  (void)state;
  /* Study book 2.4: T1, T2 satisfy v < 10, T3, T4 do not.  Expected:
   * A, B on all four (mask 1111), C on T1, T2 (lanes 0, 1: 0x3), D on T3, T4
   * (0xC), reconverge at E (0xF).  SIMD efficiency = active lanes / (4 x
   * instructions) = (4 + 4 + 2 + 2 + 4) / (4 x 5) = 16 / 20 = 0.8. */
  static const int32_t foo[4] = {3, 7, 12, 40};
  simt_config c = volta();
  c.warp_size = 4;
  c.max_threads_per_sm = 64;
  c.n_sm = 1;
  simt_kernel k;
  em_diag d;
  assert_int_equal(simt_gen_book_divergence(&k, 4, foo, &d), EM_OK);
  assert_int_equal(k.prog[1].reconv, 4); /* B's immediate post-dominator is E */
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  issue_log log = {{0}, {0}, 0};
  simt_stats st;
  assert_int_equal(simt_gpu_run(g, &k, log_issue, &log, &st, &d), EM_OK);
  static const uint32_t want_pc[5] = {0, 1, 2, 3, 4}, want_mask[5] = {0xF, 0xF, 0x3, 0xC, 0xF};
  assert_int_equal(log.n, 5);
  for (int i = 0; i < 5; i++) {
    assert_int_equal(log.pc[i], want_pc[i]);
    assert_int_equal(log.mask[i], want_mask[i]);
  }
  assert_int_equal(st.warp_insts, 5);
  assert_int_equal(st.lane_insts, 16);
  assert_true(simt_stats_simd_eff(&st) == 16.0 / 20.0);
  assert_int_equal(st.divergent_branches, 1);
  /* no divergence when every thread takes the same side: 20 / 20 */
  static const int32_t low[4] = {1, 2, 3, 4};
  simt_kernel k2;
  assert_int_equal(simt_gen_book_divergence(&k2, 4, low, &d), EM_OK);
  assert_int_equal(simt_gpu_run(g, &k2, NULL, NULL, &st, &d), EM_OK);
  assert_int_equal(st.warp_insts, 4); /* A, B, C, E */
  assert_true(simt_stats_simd_eff(&st) == 1.0);
  simt_kernel_free(&k2);
  simt_kernel_free(&k);
  simt_gpu_destroy(g);
}

/* ---- microbenchmarks on the Volta preset ---- */

static double micro_per_step(const simt_config *c, simt_micro m, uint32_t n) {
  simt_kernel k;
  em_diag d;
  simt_stats st;
  assert_int_equal(simt_gen_micro(&k, m, n, 0, 0, &d), EM_OK);
  uint64_t a = run(c, &k, &st);
  simt_kernel_free(&k);
  assert_int_equal(simt_gen_micro(&k, m, n, 0, 1, &d), EM_OK);
  uint64_t b = run(c, &k, &st);
  simt_kernel_free(&k);
  return (double)(b - a) / n;
}

static void ffma_chain(void **state) {
  (void)state;
  /* A dependent FFMA chain issues every lat_fp32 = 4 cycles (TITAN V: 4.12):
   * n more FFMAs add exactly 4n cycles. */
  simt_config c = volta();
  simt_kernel k;
  em_diag d;
  simt_stats st;
  assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_FFMA_CHAIN, 1000, 0, 1, &d), EM_OK);
  uint64_t a = run(&c, &k, &st);
  simt_kernel_free(&k);
  assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_FFMA_CHAIN, 2000, 0, 1, &d), EM_OK);
  uint64_t b = run(&c, &k, &st);
  simt_kernel_free(&k);
  assert_int_equal(b - a, 4000);
  assert_true(fabs((double)(b - a) / 1000 - 4.12) / 4.12 < 0.10);
}

static void chase_latencies(void **state) {
  (void)state;
  /* TITAN V (Accel-Sim microbenchmarks, REFERENCES.md): L1 33.7, L2 210-220,
   * DRAM 313 cycles; the model must be within 10 %. */
  simt_config c = volta();
  double l1 = micro_per_step(&c, SIMT_MICRO_CHASE_L1, 256);
  double l2 = micro_per_step(&c, SIMT_MICRO_CHASE_L2, 256);
  double dram = micro_per_step(&c, SIMT_MICRO_CHASE_DRAM, 256);
  printf("  chase: L1 %.1f, L2 %.1f, DRAM %.1f cycles\n", l1, l2, dram);
  assert_true(fabs(l1 - 33.7) / 33.7 < 0.10);
  assert_true(l2 > 210 * 0.9 && l2 < 220 * 1.1);
  assert_true(fabs(dram - 313) / 313 < 0.10);
  /* And exactly, by hand from models/simt/data/gpu_volta.cfg: a hit's
   * chase adds nothing to the configured latency (models/simt/README.md,
   * "the pipeline and the memory path add nothing"), so a step is
   * l1_latency = 34 cycles in L1 and l2_latency = 215 in L2; n = 256 steps
   * are 256 x 34 = 8,704 and 256 x 215 = 55,040 cycles.  (The DRAM chase
   * adds row misses and refresh, not derivable by hand: its band above.) */
  assert_int_equal((uint64_t)(l1 * 256), 256 * 34);
  assert_int_equal((uint64_t)(l2 * 256), 256 * 215);
}

/* ---- shared memory and coalescing ---- */

static unsigned gcd(unsigned a, unsigned b) { return b ? gcd(b, a % b) : a; }

static void smem_conflicts(void **state) {
  (void)state;
  /* Word stride k over 32 banks: lanes l and l' collide when k(l - l') is a
   * multiple of 32, so each bank holds gcd(k, 32) distinct words. */
  uint64_t addr[32];
  for (unsigned k = 1; k <= 96; k++) {
    for (unsigned l = 0; l < 32; l++) addr[l] = 4ull * k * l;
    assert_int_equal(simt_smem_conflict_degree(addr, 0xFFFFFFFFu, 4, 32), gcd(k, 32));
  }
  /* broadcast: every lane reads the same word -> 1 */
  for (unsigned l = 0; l < 32; l++) addr[l] = 64;
  assert_int_equal(simt_smem_conflict_degree(addr, 0xFFFFFFFFu, 4, 32), 1);
  /* two words in bank 0 read by 16 lanes each -> 2 */
  for (unsigned l = 0; l < 32; l++) addr[l] = (l & 1) ? 128 : 0;
  assert_int_equal(simt_smem_conflict_degree(addr, 0xFFFFFFFFu, 4, 32), 2);
  /* the same through the simulator: k = 1, 33 -> 1; 32 -> 32; 6 -> 2 */
  simt_config c = volta();
  static const unsigned ks[] = {1, 33, 32, 6, 2};
  for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
    simt_kernel k;
    em_diag d;
    simt_stats st;
    assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_SMEM_STRIDE, 8, ks[i], 1, &d), EM_OK);
    run(&c, &k, &st);
    simt_kernel_free(&k);
    assert_int_equal(st.smem_requests, 8);
    assert_int_equal(st.smem_wavefronts, 8 * gcd(ks[i], 32));
  }
  /* One GPU for kernels one after another: the GPU keeps each shared
   * access's wavefronts by lane pattern, and every kernel's load sits at the
   * same pc with another stride, so a figure kept from the last kernel
   * would show here.  Same hand figures: gcd(k, 32) per request. */
  static const unsigned seq[] = {1, 32, 6, 33, 2, 32, 1, 16, 3};
  simt_gpu *g;
  em_diag d;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
    simt_kernel k;
    simt_stats st;
    assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_SMEM_STRIDE, 8, seq[i], 1, &d), EM_OK);
    assert_int_equal(simt_gpu_run(g, &k, NULL, NULL, &st, &d), EM_OK);
    simt_kernel_free(&k);
    assert_int_equal(st.smem_requests, 8);
    assert_int_equal(st.smem_wavefronts, 8 * gcd(seq[i], 32));
  }
  simt_gpu_destroy(g);
}

static void coalescing(void **state) {
  (void)state;
  uint64_t addr[32], sec[64];
  /* unit-stride fp32: 32 x 4 B = 128 B = 4 sectors of 32 B */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 4ull * l;
  assert_int_equal(simt_coalesce(addr, 0xFFFFFFFFu, 4, sec), 4);
  assert_int_equal(simt_lines_of_sectors(sec, 4), 1);
  /* stride 32 words = 128 B: one sector per lane */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 128ull * l;
  assert_int_equal(simt_coalesce(addr, 0xFFFFFFFFu, 4, sec), 32);
  assert_int_equal(simt_lines_of_sectors(sec, 32), 32);
  /* misaligned by 16 B: 128 B span over 5 sectors, 2 lines */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 16 + 4ull * l;
  assert_int_equal(simt_coalesce(addr, 0xFFFFFFFFu, 4, sec), 5);
  assert_int_equal(simt_lines_of_sectors(sec, 5), 2);
  /* half the lanes: 64 B = 2 sectors */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 4ull * l;
  assert_int_equal(simt_coalesce(addr, 0x0000FFFFu, 4, sec), 2);
  /* lanes 0-7 and 16-31, unit stride: bytes 4096..4127 (sector 128) and
   * 4160..4223 (sectors 130, 131); sector 129 (lanes 8-15) is not read */
  assert_int_equal(simt_coalesce(addr, 0xFFFF00FFu, 4, sec), 3);
  assert_int_equal(sec[0], 128);
  assert_int_equal(sec[1], 130);
  assert_int_equal(sec[2], 131);
  /* lanes 4-11 only, from byte 4112: 4112..4143 -> sectors 128, 129 */
  assert_int_equal(simt_coalesce(addr + 0, 0x00000FF0u, 4, sec), 2);
  assert_int_equal(sec[0], 128);
  assert_int_equal(sec[1], 129);
  /* 255-byte lanes, unit stride: 8,160 bytes = 255 sectors, of which a
   * request lists 64 (the coalescer's limit), the lowest */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 255ull * l;
  assert_int_equal(simt_coalesce(addr, 0xFFFFFFFFu, 255, sec), 64);
  assert_int_equal(sec[0], 128);
  assert_int_equal(sec[63], 128 + 63);
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 4ull * l;
  /* 128-bit loads, unit stride: 512 B = 16 sectors */
  for (unsigned l = 0; l < 32; l++) addr[l] = 4096 + 16ull * l;
  assert_int_equal(simt_coalesce(addr, 0xFFFFFFFFu, 16, sec), 16);
  /* through the simulator */
  simt_config c = volta();
  static const struct { unsigned stride, sectors; } cases[] = {{1, 4}, {2, 8}, {8, 32}, {32, 32}};
  for (size_t i = 0; i < 4; i++) {
    simt_kernel k;
    em_diag d;
    simt_stats st;
    assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_GMEM_STRIDE, 1, cases[i].stride, 1, &d),
                     EM_OK);
    run(&c, &k, &st);
    simt_kernel_free(&k);
    assert_int_equal(st.gld_requests, 1);
    assert_int_equal(st.gld_sectors, cases[i].sectors);
  }
}

/* ---- occupancy ---- */

static void occupancy(void **state) {
  (void)state;
  simt_config c = volta();
  simt_kernel k;
  simt_kernel_init(&k, "occ");
  /* 256 threads x 40 registers: 40 x 32 = 1280 per warp (a multiple of 256),
   * 8 warps = 10240 per block, 65536 / 10240 = 6 blocks (threads would allow
   * 2048 / 256 = 8): register-limited. */
  k.block_threads = 256;
  k.regs_per_thread = 40;
  k.smem_bytes = 4224;
  simt_occupancy o = simt_occupancy_compute(&c, &k);
  assert_int_equal(o.warps_per_block, 8);
  assert_int_equal(o.regs_per_warp, 1280);
  assert_int_equal(o.blocks_per_sm, 6);
  assert_int_equal(o.limiter, SIMT_LIMIT_REGS);
  /* 33 registers round up to 1056 -> 1280 per warp: still 6 */
  k.regs_per_thread = 33;
  assert_int_equal(simt_occupancy_compute(&c, &k).regs_per_warp, 1280);
  /* shared memory: 40 KB per block -> 96 KB / 40 KB = 2 */
  k.regs_per_thread = 16;
  k.smem_bytes = 40960;
  o = simt_occupancy_compute(&c, &k);
  assert_int_equal(o.blocks_per_sm, 2);
  assert_int_equal(o.limiter, SIMT_LIMIT_SMEM);
  /* threads: 1024-thread blocks, 16 registers -> 2048 / 1024 = 2 */
  k.smem_bytes = 0;
  k.block_threads = 1024;
  o = simt_occupancy_compute(&c, &k);
  assert_int_equal(o.blocks_per_sm, 2);
  assert_int_equal(o.limiter, SIMT_LIMIT_THREADS);
  /* blocks: 32-thread blocks -> 32 per SM (not 64) */
  k.block_threads = 32;
  o = simt_occupancy_compute(&c, &k);
  assert_int_equal(o.blocks_per_sm, 32);
  assert_int_equal(o.limiter, SIMT_LIMIT_CTAS);
}

/* ---- schedulers ---- */

typedef struct {
  uint32_t warp[64];
  int n;
} warp_log;

static void log_warp(void *arg, uint64_t cycle, uint32_t sm, uint32_t warp, uint32_t pc,
                     simt_op op, uint32_t mask) {
  warp_log *l = arg;
  (void)cycle, (void)sm, (void)pc, (void)op, (void)mask;
  if (l->n < 64) l->warp[l->n++] = warp;
}

/* Two warps on one scheduler, each 8 independent IADDs (int lanes = 32: one
 * per cycle): GTO issues warp 0 to the end, then warp 1; LRR alternates. */
static void schedulers(void **state) {
  (void)state;
  simt_config c = volta();
  c.n_sm = 1;
  c.n_sched = 1;
  c.int_lanes = 32;
  simt_kernel k;
  simt_kernel_init(&k, "two_warps");
  k.block_threads = 64;
  k.regs_per_thread = 16;
  for (uint16_t i = 0; i < 8; i++) simt_emit(&k, SIMT_OP_IADD, i, 8, SIMT_REG_NONE, SIMT_REG_NONE);
  simt_emit(&k, SIMT_OP_EXIT, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  em_diag d;
  assert_int_equal(simt_program_finalize(&k, &d), EM_OK);
  for (int pol = 0; pol < 2; pol++) {
    c.scheduler = pol == 0 ? SIMT_SCHED_GTO : SIMT_SCHED_LRR;
    simt_gpu *g;
    assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
    warp_log log = {{0}, 0};
    simt_stats st;
    assert_int_equal(simt_gpu_run(g, &k, log_warp, &log, &st, &d), EM_OK);
    assert_int_equal(log.n, 18);
    for (int i = 0; i < 18; i++) {
      uint32_t want = pol == 0 ? (uint32_t)(i >= 9) : (uint32_t)(i % 2);
      assert_int_equal(log.warp[i], want);
    }
    simt_gpu_destroy(g);
  }
  simt_kernel_free(&k);
}

/* Twelve warps on one scheduler (more than 8: the scan that passes over
 * waiting warps), each a chain of three dependent IADDs (lat_int = 30) and
 * EXIT; int lanes = 32, one issue per cycle.  By hand: cycles 0-11 the
 * first IADD of warps 0..11 (GTO: the last issued warp waits, so the
 * oldest ready one goes); all wait until 30 (18 cycles); the second IADDs
 * at 30-41 in the same order (warp i's operand is ready at 30 + i); 18
 * more idle cycles.  Then LRR goes round: third IADDs at 60-71, EXITs
 * (no operands) at 72-83.  GTO keeps the warp that issued while it can:
 * warp 0's IADD at 60 and EXIT at 61, warp 1's (ready since 61) at 62 and
 * 63, ...  Either way the last warp exits at 83, 36 cycles of exec_dep
 * stalls; the kernel ends when the last result is written (an exit does
 * not wait for it): LRR's last third IADD issues at 71, its result at 71 +
 * 30 = 101 cycles; GTO's (warp 11's) at 82, 82 + 30 = 112. */
static void schedulers_many_warps(void **state) {
  (void)state;
  simt_config c = volta();
  c.n_sm = 1;
  c.n_sched = 1;
  c.int_lanes = 32;
  c.lat_int = 30;
  simt_kernel k;
  simt_kernel_init(&k, "twelve_warps");
  k.block_threads = 12 * 32;
  k.regs_per_thread = 16;
  for (uint16_t i = 0; i < 3; i++) simt_emit(&k, SIMT_OP_IADD, i + 1, i, SIMT_REG_NONE, SIMT_REG_NONE);
  simt_emit(&k, SIMT_OP_EXIT, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  em_diag d;
  assert_int_equal(simt_program_finalize(&k, &d), EM_OK);
  for (int pol = 0; pol < 2; pol++) {
    c.scheduler = pol == 0 ? SIMT_SCHED_GTO : SIMT_SCHED_LRR;
    simt_gpu *g;
    assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
    warp_log log = {{0}, 0};
    simt_stats st;
    assert_int_equal(simt_gpu_run(g, &k, log_warp, &log, &st, &d), EM_OK);
    assert_int_equal(log.n, 48);
    for (int i = 0; i < 24; i++) assert_int_equal(log.warp[i], (uint32_t)(i % 12));
    for (int i = 24; i < 48; i++)
      assert_int_equal(log.warp[i], pol == 0 ? (uint32_t)(i - 24) / 2 : (uint32_t)(i % 12));
    assert_int_equal(st.cycles, pol == 0 ? 112 : 101);
    assert_int_equal(st.stall[SIMT_STALL_EXEC_DEP], 36);
    simt_gpu_destroy(g);
  }
  simt_kernel_free(&k);
}

/* Two-level: 4 warps, an active set of 2 per scheduler; each warp loads
 * then uses the load.  The first two warps issue their loads, wait, and are
 * demoted, so warps 2 and 3 issue their loads before 0 and 1 use theirs. */
static void two_level(void **state) {
  (void)state;
  simt_config c = volta();
  c.n_sm = 1;
  c.n_sched = 1;
  c.scheduler = SIMT_SCHED_TWO_LEVEL;
  c.two_level_active = 2;
  simt_kernel k;
  simt_kernel_init(&k, "two_level");
  k.block_threads = 128;
  k.regs_per_thread = 8;
  simt_inst *ld = simt_emit(&k, SIMT_OP_LDG, 1, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  ld->addr.c_hi = 4;
  ld->addr.base = 1 << 20;
  simt_emit(&k, SIMT_OP_FADD, 2, 1, 1, SIMT_REG_NONE);
  simt_emit(&k, SIMT_OP_EXIT, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  em_diag d;
  assert_int_equal(simt_program_finalize(&k, &d), EM_OK);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  warp_log log = {{0}, 0};
  simt_stats st;
  assert_int_equal(simt_gpu_run(g, &k, log_warp, &log, &st, &d), EM_OK);
  assert_int_equal(log.n, 12);
  /* first four issues are the four loads (warps 0, 1, then 2, 3) */
  assert_int_equal(log.warp[0], 0);
  assert_int_equal(log.warp[1], 1);
  assert_int_equal(log.warp[2], 2);
  assert_int_equal(log.warp[3], 3);
  assert_true(st.stall[SIMT_STALL_MEM_DATA] > 0);
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
}

/* MSHR merging: 8 warps of one block load the same 128 B; the first misses
 * 4 sectors, the other 7 merge into those misses (8 requests per entry is
 * the Volta merge limit), so L2 sees exactly 4 sectors. */
static void mshr_merge(void **state) {
  (void)state;
  simt_config c = volta();
  c.n_sm = 1;
  c.n_sched = 4;
  simt_kernel k;
  simt_kernel_init(&k, "merge");
  k.block_threads = 256;
  k.regs_per_thread = 8;
  simt_inst *ld = simt_emit(&k, SIMT_OP_LDG, 1, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  ld->addr.split_log2 = 5;
  ld->addr.c_lo = 4;
  ld->addr.base = 1 << 20;
  simt_emit(&k, SIMT_OP_FADD, 2, 1, 1, SIMT_REG_NONE);
  simt_emit(&k, SIMT_OP_EXIT, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE, SIMT_REG_NONE);
  em_diag d;
  assert_int_equal(simt_program_finalize(&k, &d), EM_OK);
  simt_stats st;
  run(&c, &k, &st);
  assert_int_equal(st.gld_sectors, 8 * 4);
  assert_int_equal(st.mem.l1_misses, 4);
  assert_int_equal(st.mem.l1_mshr_merges, 7 * 4);
  assert_int_equal(st.mem.l2_sectors, 4);
  assert_int_equal(st.mem.dram_reads, 4);
  simt_kernel_free(&k);
}

/* ---- configuration ---- */

static void config_errors(void **state) {
  (void)state;
  simt_config c;
  em_diag d;
  assert_int_equal(simt_config_load_mem("x.cfg", "n_sm = 4\nbogus_key 3\n", &c, &d),
                   EM_ERR_NOTFOUND);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 1);
  assert_non_null(strstr(d.msg, "bogus_key"));
  assert_int_equal(simt_config_load_mem("x.cfg", "# c\n  warp_size = 64\n", &c, &d),
                   EM_ERR_RANGE);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 15);
  assert_int_equal(simt_config_load_mem("x.cfg", "n_sm 4\n-gpgpu_n_clusters 8\n", &c, &d),
                   EM_ERR_INVALID); /* the same key twice, once by alias */
  assert_int_equal(simt_config_load_mem("x.cfg", "l2_latency = 12x\n", &c, &d), EM_ERR_PARSE);
  /* GPGPU-Sim spellings */
  assert_int_equal(simt_config_load_mem("qv100.config",
                                        "-gpgpu_n_clusters 80\n"
                                        "-gpgpu_shader_core_pipeline 2048:32\n"
                                        "-gpgpu_scheduler two_level_active:6:0:1\n"
                                        "-gpgpu_dram_timing_opt nbk=16:CCD=1:RRD=3:RCD=12:"
                                        "RAS=28:RP=12:RC=40:CL=12:WL=2:CDLR=3:WR=10\n"
                                        "-gpgpu_clock_domains 1447.0:1447.0:1447.0:850.0\n",
                                        &c, &d),
                   EM_OK);
  assert_int_equal(c.n_sm, 80);
  assert_int_equal(c.max_threads_per_sm, 2048);
  assert_int_equal(c.scheduler, SIMT_SCHED_TWO_LEVEL);
  assert_int_equal(c.two_level_active, 6);
  /* GPGPU-Sim's timings are DRAM clocks (850 MHz here): in core cycles at
   * 1447 MHz, RCD 12 x 1447 / 850 = 20.4 -> 20, CCD 1 x 1.70 -> 2 */
  assert_int_equal(c.dram_t_rcd, 20);
  assert_int_equal(c.dram_t_ccd, 2);
  assert_int_equal(c.dram_banks, 16);
  assert_true(c.core_freq_mhz == 1447.0);
  /* every preset loads and passes its checks */
  size_t n;
  const char *const *names = simt_presets(&n);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) assert_int_equal(simt_config_load_spec(names[i], &c, &d), EM_OK);
  assert_int_equal(simt_config_load_spec("nosuchgpu", &c, &d), EM_ERR_NOTFOUND);
}

/* The Volta preset restates REFERENCES.md's QV100 / TITAN V figures. */
static void volta_preset(void **state) {
  (void)state;
  simt_config c = volta();
  assert_int_equal(c.n_sm, 80);
  assert_int_equal(simt_config_max_warps(&c), 64);
  assert_int_equal(c.smem_banks, 32);
  assert_int_equal(c.l2_bytes, 6u << 20);
  assert_true(c.core_freq_mhz == 1455);
  /* DRAM peak: 24 channels x 18.7 B/cycle x 1455 MHz = 653 GB/s (652.8 GB/s) */
  double gbs = (double)c.dram_channels * c.dram_channel_bytes_per_cycle * c.core_freq_mhz * 1e6 / 1e9;
  assert_true(fabs(gbs - 652.8) / 652.8 < 0.01);
  /* L2: 64 slices x 21.3 B/cycle = 1363 B/clk (1365) */
  assert_true(fabs((double)c.l2_slices * c.l2_slice_bytes_per_cycle - 1365) / 1365 < 0.01);
}

/* a and b have the same DRAM figures, bit for bit */
static bool same_dram(const simt_config *a, const simt_config *b) {
  return a->dram_t_rcd == b->dram_t_rcd && a->dram_t_rp == b->dram_t_rp &&
         a->dram_t_cl == b->dram_t_cl && a->dram_t_ccd == b->dram_t_ccd &&
         a->dram_t_rtw == b->dram_t_rtw && a->dram_t_wtr == b->dram_t_wtr &&
         a->dram_t_refi == b->dram_t_refi && a->dram_t_rfc == b->dram_t_rfc &&
         memcmp(&a->dram_channel_bytes_per_cycle, &b->dram_channel_bytes_per_cycle,
                sizeof(double)) == 0 &&
         a->dram_ref_mhz == b->dram_ref_mhz;
}

/* The DRAM's clock domain (simt_config.h): the preset's DRAM figures are
 * stated in cycles of dram_ref_mhz (its own 1455 MHz), and a core clock set
 * over it (as --set and a sweep's gpu.core_freq_mhz do) restates them in
 * core cycles, keeping their nanoseconds and GB/s.  Each value by hand. */
static void dram_clock_domain(void **state) {
  (void)state;
  em_diag d;
  simt_config c = volta();
  assert_true(c.dram_ref_mhz == 1455);
  /* at its own clock nothing is restated, bit for bit */
  simt_config k = c;
  simt_config_dram_in_core_cycles(&k);
  assert_true(same_dram(&k, &c));
  /* twice the clock: every timing twice the core cycles, the bus half the
   * bytes a core cycle: 24 x 18.7 / 2 = 224.4 B x 2910 MHz = 653.0 GB/s, as
   * 24 x 18.7 B x 1455 MHz (before clock domains: 1,306 GB/s, twice TITAN
   * V's 652.8 peak) */
  assert_int_equal(simt_config_set(&c, "core_freq_mhz", "2910", NULL, 0, 0, &d), EM_OK);
  assert_int_equal(c.dram_t_rcd, 20); /* the keys keep their unit (cycles of 1455 MHz) */
  assert_true(c.dram_channel_bytes_per_cycle == 18.7);
  assert_true(fabs(simt_dram_bytes_per_cycle(&c) * 2910e6 / 1e9 - 653.004) < 1e-6);
  k = c;
  simt_config_dram_in_core_cycles(&k);
  assert_int_equal(k.dram_t_rcd, 40);
  assert_int_equal(k.dram_t_rp, 40);
  assert_int_equal(k.dram_t_cl, 40);
  assert_int_equal(k.dram_t_ccd, 4);
  assert_int_equal(k.dram_t_rtw, 6);
  assert_int_equal(k.dram_t_wtr, 52);
  assert_int_equal(k.dram_t_refi, 11350);
  assert_int_equal(k.dram_t_rfc, 1018);
  assert_true(fabs(k.dram_channel_bytes_per_cycle - 9.35) < 1e-12);
  assert_true(k.dram_ref_mhz == 2910);
  simt_config k2 = k; /* restated once more: nothing changes */
  simt_config_dram_in_core_cycles(&k2);
  assert_true(same_dram(&k2, &k));
  /* 2000 MHz, x = 2000 / 1455 = 1.3746 core cycles a DRAM-figure cycle, to
   * the nearest: RCD 27.49 -> 27 (13.5 ns against 13.75: within half a core
   * cycle, 0.25 ns), CCD 2.75 -> 3, RTW 4.12 -> 4, WTR 35.74 -> 36, REFI
   * 7800.69 -> 7801, RFC 699.66 -> 700 */
  assert_int_equal(simt_config_set(&c, "core_freq_mhz", "2000", NULL, 0, 0, &d), EM_OK);
  k = c;
  simt_config_dram_in_core_cycles(&k);
  assert_int_equal(k.dram_t_rcd, 27);
  assert_int_equal(k.dram_t_ccd, 3);
  assert_int_equal(k.dram_t_rtw, 4);
  assert_int_equal(k.dram_t_wtr, 36);
  assert_int_equal(k.dram_t_refi, 7801);
  assert_int_equal(k.dram_t_rfc, 700);
  /* half the clock, x = 0.5: RCD 10, CCD 1, RTW 1.5 -> 2 (halves round
   * up), WTR 13, REFI 2837.5 -> 2838, RFC 254.5 -> 255, 37.4 B a cycle */
  assert_int_equal(simt_config_set(&c, "core_freq_mhz", "727.5", NULL, 0, 0, &d), EM_OK);
  k = c;
  simt_config_dram_in_core_cycles(&k);
  assert_int_equal(k.dram_t_rcd, 10);
  assert_int_equal(k.dram_t_ccd, 1);
  assert_int_equal(k.dram_t_rtw, 2);
  assert_int_equal(k.dram_t_wtr, 13);
  assert_int_equal(k.dram_t_refi, 2838);
  assert_int_equal(k.dram_t_rfc, 255);
  assert_true(fabs(k.dram_channel_bytes_per_cycle - 37.4) < 1e-12);
  /* GPGPU-Sim's clocks over the preset: the core's is set, the DRAM stays */
  c = volta();
  assert_int_equal(simt_config_set(&c, "gpgpu_clock_domains", "2910:2910:2910:850", NULL, 0, 0,
                                   &d), EM_OK);
  assert_true(c.core_freq_mhz == 2910 && c.dram_ref_mhz == 1455 && c.dram_t_rcd == 20);
  /* the reference is a GPU file's, never set over a GPU: there it would
   * change what the preset's figures mean */
  assert_int_equal(simt_config_set(&c, "dram_ref_mhz", "850", NULL, 0, 0, &d), EM_ERR_INVALID);
  assert_non_null(strstr(d.msg, "only in a GPU file"));
  /* a file that states its DRAM at the HBM2's own clock: 3 stacks x 8
   * channels of 128 bits at 850 MHz DDR, 32 B a DRAM clock: 24 x 32 x 850
   * MHz = 652.8 GB/s, TITAN V's peak exactly; RCD 12 DRAM clocks ([GS])
   * are 12 x 1455 / 850 = 20.54 -> 21 core cycles */
  assert_int_equal(simt_config_load_mem("hbm2.cfg",
                                        "core_freq_mhz = 1455\ndram_ref_mhz = 850\n"
                                        "dram_channels = 24\n"
                                        "dram_channel_bytes_per_cycle = 32\ndram_t_rcd = 12\n",
                                        &c, &d),
                   EM_OK);
  assert_true(fabs(simt_dram_bytes_per_cycle(&c) * 1455e6 / 1e9 - 652.8) < 1e-9);
  k = c;
  simt_config_dram_in_core_cycles(&k);
  assert_int_equal(k.dram_t_rcd, 21);
  /* a file that gives none states its DRAM at its own core clock (the
   * figures it gives, and the defaults it leaves, as before clock domains) */
  assert_int_equal(simt_config_load_mem("f.cfg", "core_freq_mhz = 1000\n", &c, &d), EM_OK);
  assert_true(c.dram_ref_mhz == 1000);
  /* the model runs on the restated figures, so they are checked: RFC 2 and
   * REFI 4 cycles at 1455 MHz (a 32-byte burst a cycle fits between them)
   * are both 1 core cycle at 436.5 MHz (x = 0.3: 0.6 -> 1, 1.2 -> 1) */
  assert_int_equal(simt_config_load_mem("r.cfg",
                                        "dram_channel_bytes_per_cycle = 32\n"
                                        "dram_t_rfc = 2\ndram_t_refi = 4\n",
                                        &c, &d),
                   EM_OK);
  assert_int_equal(simt_config_set(&c, "core_freq_mhz", "436.5", NULL, 0, 0, &d), EM_OK);
  assert_int_equal(simt_config_check(&c, NULL, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "1 - 1 core cycles at 'core_freq_mhz' 436.5"));
}

/* Divergence in a generated DNN kernel: ReLU over 1000 values.  Blocks of 256
 * threads: 4 blocks, 32 warps; 1000 = 31 x 32 + 8, so warp 31 has 8 threads
 * in range.  Warps 0..30 run BRA, LDG, FMNMX, STG, EXIT = 5 x 32 lanes; warp
 * 31 runs BRA (32 lanes), then LDG, FMNMX, STG on 8, then EXIT on 32.
 * Lanes: 31 x 160 + (32 + 3 x 8 + 32) = 5048 of 32 x 5 x 32 = 5120. */
static void relu_tail_divergence(void **state) {
  (void)state;
  simt_config c = volta();
  wl_layer l = wl_eltwise("relu", WL_ELT_RELU, 1, 1, 1000, 1);
  simt_kernel k;
  em_diag d;
  assert_int_equal(simt_gen_layer(&k, &l, &d), EM_OK);
  simt_stats st;
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 32 * 5);
  assert_int_equal(st.lane_insts, 5048);
  assert_int_equal(st.divergent_branches, 1);
  /* 1000 x 4 B read = 125 sectors, written likewise */
  assert_int_equal(st.gld_sectors, 125);
  assert_int_equal(st.gst_sectors, 125);
  simt_kernel_free(&k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(book_divergence),  cmocka_unit_test(ffma_chain),
      cmocka_unit_test(chase_latencies),  cmocka_unit_test(smem_conflicts),
      cmocka_unit_test(coalescing),       cmocka_unit_test(occupancy),
      cmocka_unit_test(schedulers),       cmocka_unit_test(schedulers_many_warps),
      cmocka_unit_test(two_level),        cmocka_unit_test(dram_clock_domain),
      cmocka_unit_test(mshr_merge),       cmocka_unit_test(config_errors),
      cmocka_unit_test(volta_preset),     cmocka_unit_test(relu_tail_divergence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
