/*
 * test_systolic_paths.c - the systolic model's shortcuts against its plain
 * walk. With traces, sa_simulate reads every demanded word, one by one, in
 * SCALE-Sim's order (the trace files themselves may be NULL) (its traces are byte-identical to SCALE-Sim's on the
 * GEMM test, golden.scalesim_traces.gemm): the USER read buffers look each
 * word up in an index of their whole prefetch order, the CALC buffers keep
 * one set index per address. Without traces it takes every shortcut (lines
 * passed over in stretches, addresses located from the operand's layout,
 * runs of words scanned at once, distinct addresses counted per fold,
 * layers whose reads all miss or whose input never fills an epoch). Every
 * figure of sa_layer_stats must be the same both ways, on random layers
 * sized so that the buffers' windows move, wrap and end their epochs many
 * times, with windows that leave the input (ceil mode) and groups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sa_model.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(uint64_t n) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (rng_state * 2685821657736338717ull) % n;
}

/* Runs the layer both ways and compares every field; returns 1 if it ran. */
static int same_both_ways(const sa_config *c, const wl_layer *l, int id) {
  em_diag d;
  if (wl_layer_validate(l, "t", &d) != EM_OK || sa_config_validate(c, "t", &d) != EM_OK) return 0;
  sa_layer_stats fast, slow;
  sa_traces tr = {NULL, NULL, NULL, NULL, NULL, NULL}; /* the traced walk, writing no file */
  em_status a = sa_simulate(c, l, NULL, &fast, &d);
  em_status b = sa_simulate(c, l, &tr, &slow, &d);
  assert_int_equal(a, b);
  if (a != EM_OK) return 0;
  const struct {
    const char *name;
    uint64_t x, y;
  } u[] = {
      {"total_cycles", fast.total_cycles, slow.total_cycles},
      {"stall_cycles", fast.stall_cycles, slow.stall_cycles},
      {"ifmap_sram_reads", fast.ifmap_sram_reads, slow.ifmap_sram_reads},
      {"filter_sram_reads", fast.filter_sram_reads, slow.filter_sram_reads},
      {"ofmap_sram_writes", fast.ofmap_sram_writes, slow.ofmap_sram_writes},
      {"ifmap_dram_reads", fast.ifmap_dram_reads, slow.ifmap_dram_reads},
      {"filter_dram_reads", fast.filter_dram_reads, slow.filter_dram_reads},
      {"ofmap_dram_writes", fast.ofmap_dram_writes, slow.ofmap_dram_writes},
      {"ifmap_sram_start", (uint64_t)fast.ifmap_sram_start, (uint64_t)slow.ifmap_sram_start},
      {"ifmap_sram_stop", (uint64_t)fast.ifmap_sram_stop, (uint64_t)slow.ifmap_sram_stop},
      {"filter_sram_start", (uint64_t)fast.filter_sram_start, (uint64_t)slow.filter_sram_start},
      {"filter_sram_stop", (uint64_t)fast.filter_sram_stop, (uint64_t)slow.filter_sram_stop},
      {"ofmap_sram_start", (uint64_t)fast.ofmap_sram_start, (uint64_t)slow.ofmap_sram_start},
      {"ofmap_sram_stop", (uint64_t)fast.ofmap_sram_stop, (uint64_t)slow.ofmap_sram_stop},
      {"ifmap_dram_start", (uint64_t)fast.ifmap_dram_start, (uint64_t)slow.ifmap_dram_start},
      {"ifmap_dram_stop", (uint64_t)fast.ifmap_dram_stop, (uint64_t)slow.ifmap_dram_stop},
      {"filter_dram_start", (uint64_t)fast.filter_dram_start, (uint64_t)slow.filter_dram_start},
      {"filter_dram_stop", (uint64_t)fast.filter_dram_stop, (uint64_t)slow.filter_dram_stop},
      {"ofmap_dram_start", (uint64_t)fast.ofmap_dram_start, (uint64_t)slow.ofmap_dram_start},
      {"ofmap_dram_stop", (uint64_t)fast.ofmap_dram_stop, (uint64_t)slow.ofmap_dram_stop},
  };
  for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
    if (u[i].x != u[i].y) {
      fprintf(stderr,
              "case %d: %s %llux%llux%llu k%llux%llu s%llu ceil %d g%llu f%llu on %ux%u %s, "
              "%llu/%llu/%llu kB, %s %u: %s %lld shortcut, %lld word by word\n",
              id, wl_kind_name(l->kind), (unsigned long long)l->in_h,
              (unsigned long long)l->in_w, (unsigned long long)l->in_c,
              (unsigned long long)l->k_h, (unsigned long long)l->k_w,
              (unsigned long long)l->stride_h, l->ceil_mode, (unsigned long long)l->groups,
              (unsigned long long)l->out_c, c->rows, c->cols, sa_dataflow_name(c->dataflow),
              (unsigned long long)c->ifmap_sram_kb, (unsigned long long)c->filter_sram_kb,
              (unsigned long long)c->ofmap_sram_kb, c->bw_calc ? "calc" : "bandwidth",
              c->bandwidth, u[i].name, (long long)u[i].x, (long long)u[i].y);
      fail();
    }
  assert_memory_equal(&fast.overall_util_pct, &slow.overall_util_pct, sizeof(double));
  assert_memory_equal(&fast.mapping_eff_pct, &slow.mapping_eff_pct, sizeof(double));
  assert_memory_equal(&fast.compute_util_pct, &slow.compute_util_pct, sizeof(double));
  return 1;
}

/* A configuration with SRAMs of `kb` kB (at least two R x C tiles). */
static sa_config config(uint32_t rows, uint32_t cols, sa_dataflow df, uint64_t kb, bool calc,
                        uint32_t bw) {
  sa_config c = sa_config_default();
  c.rows = rows;
  c.cols = cols;
  c.dataflow = df;
  uint64_t need = (2ull * rows * cols + 1023) / 1024;
  if (kb < need) kb = need;
  c.ifmap_sram_kb = c.filter_sram_kb = c.ofmap_sram_kb = kb;
  c.bw_calc = calc;
  c.bandwidth = bw;
  return c;
}

static void random_layers(void **state) {
  (void)state;
  int ran = 0;
  for (int i = 0; i < 1200; i++) {
    uint32_t rows = (uint32_t)(1 + rnd(rnd(4) ? 24 : 70));
    uint32_t cols = (uint32_t)(1 + rnd(rnd(4) ? 24 : 70));
    sa_dataflow df = (sa_dataflow)rnd(3);
    bool calc = rnd(2);
    sa_config c = config(rows, cols, df, 1 + rnd(12), calc, (uint32_t)(1 + rnd(24)));
    c.ofmap_sram_kb = 1 + rnd(6) + (2ull * rows * cols + 1023) / 1024;
    wl_layer l;
    switch (rnd(6)) {
    case 0:
      l = wl_fc("f", 1 + rnd(300), 1 + rnd(120));
      break;
    case 1:
      l = wl_gemm("g", 1 + rnd(200), 1 + rnd(120), 1 + rnd(200));
      break;
    default: {
      uint64_t k = 1 + rnd(5), g = rnd(6) ? 1 : 2 + rnd(2), s = 1 + rnd(k < 3 ? 2 : 3);
      uint64_t h = k + rnd(30), ch = g * (1 + rnd(rnd(2) ? 8 : 40));
      l = wl_conv("c", h, h + rnd(3), ch, k, g * (1 + rnd(24)), s, rnd(2), g);
      l.k_w = 1 + rnd(k);
      l.stride_w = 1 + rnd(s);
      l.ceil_mode = rnd(2);
      break;
    }
    }
    l.w = l.a = (wl_prec){8, false};
    ran += same_both_ways(&c, &l, i);
  }
  assert_true(ran > 900);
}

/* Layers of the shapes the benchmarks run (ResNet-18's 3 x 3 convolutions
 * at stride 1 and 2, its 7 x 7 stem and 1 x 1 projections, which leave
 * the input in SCALE-Sim's ceil mode), scaled down, on buffers small enough
 * that the ws reads all miss, the os folds end no epoch or do, and the USER
 * windows wrap. */
static void benchmark_shapes(void **state) {
  (void)state;
  static const struct {
    uint64_t h, c, k, f, s;
  } shapes[] = {
      {30, 64, 3, 64, 1}, {30, 32, 3, 64, 2}, {30, 32, 1, 64, 2}, {61, 3, 7, 16, 2},
      {16, 128, 3, 128, 1}, {9, 256, 3, 64, 1}, {40, 16, 5, 24, 1}, {59, 3, 11, 16, 4},
  };
  static const uint32_t arrays[][2] = {{8, 8}, {16, 16}, {32, 32}, {12, 14}, {32, 8}};
  static const uint64_t kbs[] = {4, 16, 64};
  int id = 10000, ran = 0;
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
      for (int df = 0; df < 3; df++)
        for (size_t k = 0; k < sizeof kbs / sizeof kbs[0]; k++)
          for (int calc = 0; calc < 2; calc++) {
            if ((s + a + (size_t)df + k + (size_t)calc) % 3) continue; /* a third of them */
            sa_config c = config(arrays[a][0], arrays[a][1], (sa_dataflow)df, kbs[k], calc,
                                 (uint32_t)(1 + 7 * k));
            wl_layer l = wl_conv("b", shapes[s].h, shapes[s].h, shapes[s].c, shapes[s].k,
                                 shapes[s].f, shapes[s].s, 0, 1);
            l.ceil_mode = true;
            l.w = l.a = (wl_prec){8, false};
            ran += same_both_ways(&c, &l, id++);
          }
  assert_true(ran > 100);
}

/* Strides longer than the filter in SCALE-Sim's ceil mode: the last output
 * row or column can start its windows past the input (er sh >= H), so its
 * ifmap words are all nulls; the shortcuts once counted that row's nulls as
 * words and put the USER ifmap SRAM stop cycle late (found against
 * SCALE-Sim, golden.scalesim_user.stride_gap_u4x1_*). */
static void strides_past_filter(void **state) {
  (void)state;
  int ran = 0;
  for (int i = 0; i < 400; i++) {
    uint32_t rows = (uint32_t)(1 + rnd(16)), cols = (uint32_t)(1 + rnd(16));
    sa_config c = config(rows, cols, (sa_dataflow)rnd(3), 1 + rnd(4), rnd(2),
                         (uint32_t)(1 + rnd(16)));
    uint64_t k = 1 + rnd(3), s = k + 1 + rnd(5), h = k + rnd(20);
    wl_layer l = wl_conv("s", h, k + rnd(20), 1 + rnd(8), k, 1 + rnd(16), s, 0, 1);
    l.k_w = 1 + rnd(k);
    l.stride_w = 1 + rnd(s + 2);
    l.ceil_mode = true;
    l.w = l.a = (wl_prec){8, false};
    ran += same_both_ways(&c, &l, 20000 + i);
  }
  assert_true(ran > 300);
}

/* Operands wider than a word (12 to 32 bits in 1- and 2-byte words): the
 * buffers hold fewer of them and a USER line of them takes as many cycles
 * as an operand takes words (mem_stream.cycles_per_line,
 * mem_wrbuf_set_line_cycles); the shortcuts must see the same buffers and
 * the same cycles as the plain walk. */
static void wide_operands(void **state) {
  (void)state;
  static const unsigned widths[] = {8, 12, 16, 24, 32};
  int ran = 0;
  for (int i = 0; i < 500; i++) {
    uint32_t rows = (uint32_t)(1 + rnd(20)), cols = (uint32_t)(1 + rnd(20));
    sa_config c = config(rows, cols, (sa_dataflow)rnd(3), 2 + rnd(10), rnd(2),
                         (uint32_t)(1 + rnd(24)));
    c.word_bytes = 1 + (uint32_t)rnd(2);
    wl_layer l;
    if (rnd(3)) {
      uint64_t k = 1 + rnd(4), st = 1 + rnd(2), h = k + rnd(24);
      l = wl_conv("w", h, h + rnd(3), 1 + rnd(24), k, 1 + rnd(40), st, rnd(2), 1);
      l.ceil_mode = rnd(2);
    } else {
      l = wl_gemm("w", 1 + rnd(160), 1 + rnd(100), 1 + rnd(160));
    }
    l.w = (wl_prec){widths[rnd(5)], false};
    l.a = (wl_prec){widths[rnd(5)], false};
    ran += same_both_ways(&c, &l, 30000 + i);
  }
  assert_true(ran > 350);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_layers),
      cmocka_unit_test(benchmark_shapes),
      cmocka_unit_test(strides_past_filter),
      cmocka_unit_test(wide_operands),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
