/*
 * test_simt_gemm_pick.c - the fp32 GEMM's tiles and split-K, and the choice
 * among them (simt_gemm_pick), on the volta preset:
 *   - the choice, made without running anything, against every candidate
 *     run: the picked kernel within 15 % of the fastest (the brief of issue
 *     19's kernel choice), on the 256-cube and ResNet-18's layer4
 *     convolutions (1 x 1 downsample and 3 x 3);
 *   - split-K's work counted by hand: flops, one reduction per output and
 *     split, C zeroed once, the grid;
 *   - a split convolution reads, at split z and slice t, the addresses the
 *     unsplit one reads at slice z x trip + t (the im2col gather unchanged);
 *   - the occupancy of each tile by hand, names, and bad splits refused.
 * bench_gemm_pick prints the same comparison on more shapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

static simt_config volta(void) {
  simt_config c;
  em_diag d;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  return c;
}

static void run(simt_gpu *g, simt_kernel *k, simt_stats *st) {
  em_diag d;
  em_status s = simt_gpu_run(g, k, NULL, NULL, st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
}

/* Every candidate of l run; the pick's cycles over the fastest's. */
static double pick_over_fastest(const simt_config *c, const wl_layer *l) {
  wl_gemm_view v = wl_layer_gemm_view(l);
  simt_gemm_choice p = simt_gemm_pick(c, v.m, v.n, v.k, v.groups);
  simt_gpu *g;
  em_diag d;
  assert_int_equal(simt_gpu_create(c, &g, &d), EM_OK);
  uint64_t best = 0, picked = 0;
  int n = 0;
  for (int t = 0; t < SIMT_GEMM_TILES; t++)
    for (uint64_t s = 1; s <= SIMT_GEMM_SPLIT_MAX; s *= 2) {
      if (simt_gemm_estimate(c, (simt_gemm_tile)t, s, v.m, v.n, v.k, v.groups) <= 0.0) continue;
      simt_kernel k;
      simt_stats st;
      assert_int_equal(simt_gen_layer_tile(&k, l, (simt_gemm_tile)t, s, &d), EM_OK);
      run(g, &k, &st);
      simt_kernel_free(&k);
      if (!best || st.cycles < best) best = st.cycles;
      if ((simt_gemm_tile)t == p.tile && s == p.splits) picked = st.cycles;
      n++;
    }
  simt_gpu_destroy(g);
  assert_true(n >= 3);    /* three tiles at least */
  assert_true(picked > 0); /* the pick is one of the candidates */
  printf("  %s: picked %s split %llu, %.3f of the fastest of %d\n", l->name,
         simt_gemm_tile_name(p.tile), (unsigned long long)p.splits,
         (double)picked / (double)best, n);
  return (double)picked / (double)best;
}

static wl_layer resnet_layer(const char *name) {
  wl_network *nw;
  em_diag d;
  assert_int_equal(wl_load("resnet18", &nw, &d), EM_OK);
  wl_layer l = wl_layer_make(WL_GEMM, "none");
  bool found = false;
  for (size_t i = 0; i < nw->n_layers; i++)
    if (!strcmp(nw->layers[i].name, name)) {
      l = nw->layers[i];
      found = true;
    }
  wl_network_destroy(nw);
  assert_true(found);
  return l;
}

static void pick_within_bound(void **state) {
  (void)state;
  simt_config c = volta();
  wl_layer cube = wl_gemm("gemm256", 256, 256, 256);
  assert_true(pick_over_fastest(&c, &cube) <= 1.15);
  wl_layer ds = resnet_layer("layer4.0.downsample"); /* 1 x 1: M 49, N 512, K 256 */
  assert_true(pick_over_fastest(&c, &ds) <= 1.15);
  wl_layer c1 = resnet_layer("layer4.0.conv1"); /* 3 x 3: M 49, N 512, K 2304 */
  assert_true(pick_over_fastest(&c, &c1) <= 1.15);
}

static void splitk_counts(void **state) {
  (void)state;
  /* 256-cube, 32 x 32 tiles, K split 4: an 8 x 8 x 4 grid of 64 threads;
   * each thread does 256 / 4 / 8 = 8 slices of 8 x 16 FFMAs, so the flops
   * are 256 blocks x 64 x 8 x 128 x 2 = 2 x 256^3 (no padding: 256 is a
   * multiple of 32 and of 4 x 8); each output gets one reduction per split,
   * 256^2 x 4 lanes of RED; C is zeroed once, 256^2 / 4 lanes of 128-bit
   * STG (the z = 0 blocks), and nothing else stores. */
  simt_config c = volta();
  wl_layer l = wl_gemm("gemm256", 256, 256, 256);
  simt_kernel k;
  em_diag d;
  assert_int_equal(simt_gen_layer_tile(&k, &l, SIMT_GEMM_32X32, 4, &d), EM_OK);
  assert_string_equal(k.name, "gemm256/sgemm_32x32_splitk4");
  assert_int_equal(k.grid[0], 8);
  assert_int_equal(k.grid[1], 8);
  assert_int_equal(k.grid[2], 4);
  assert_int_equal(k.block_threads, 64);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  simt_stats st;
  run(g, &k, &st);
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
  assert_int_equal(st.blocks, 256);
  assert_int_equal(st.flops, 2ull * 256 * 256 * 256);
  assert_int_equal(st.op_lane_insts[SIMT_OP_RED], 256ull * 256 * 4);
  assert_int_equal(st.op_lane_insts[SIMT_OP_STG], 256ull * 256 / 4);
}

/* The lanes' addresses of instruction in (a load with a callback) for
 * block (0, 0, z), warp 0, loop counter t. */
static uint32_t lane_addrs(const simt_kernel *k, const simt_inst *in, uint32_t z, uint32_t t,
                           uint64_t *addr) {
  static uint32_t tid[32];
  for (uint32_t i = 0; i < 32; i++) tid[i] = i;
  simt_warp_ctx w;
  memset(&w, 0, sizeof w);
  w.cta[2] = z;
  w.loop[0] = t;
  w.lane_tid = tid;
  w.warp_size = 32;
  return in->addr_fn(in, &w, 0xFFFFFFFFu, addr, k->arg);
}

static void splitk_conv_addresses(void **state) {
  (void)state;
  /* 3 x 3 convolution, 7 x 7 x 64 in, 64 out, padding 1: K = 576 = 72
   * slices; split 4: 18 slices each.  Split z at slice t reads what the
   * unsplit kernel reads at slice 18 z + t, lane for lane. */
  wl_layer l = wl_conv("c", 7, 7, 64, 3, 64, 1, 1, 1);
  simt_kernel one, four;
  em_diag d;
  assert_int_equal(simt_gen_layer_tile(&one, &l, SIMT_GEMM_32X32, 1, &d), EM_OK);
  assert_int_equal(simt_gen_layer_tile(&four, &l, SIMT_GEMM_32X32, 4, &d), EM_OK);
  assert_int_equal(four.grid[2], 4);
  const simt_inst *a1 = NULL, *a4 = NULL;
  for (uint32_t i = 0; i < one.n_inst && !a1; i++)
    if (one.prog[i].h.op == SIMT_OP_LDG && one.prog[i].addr_fn) a1 = &one.prog[i];
  for (uint32_t i = 0; i < four.n_inst && !a4; i++)
    if (four.prog[i].h.op == SIMT_OP_LDG && four.prog[i].addr_fn) a4 = &four.prog[i];
  assert_non_null(a1);
  assert_non_null(a4);
  int compared = 0;
  for (uint32_t z = 0; z < 4; z++)
    for (uint32_t t = 0; t < 18; t += 5) {
      uint64_t x1[32], x4[32];
      uint32_t m1 = lane_addrs(&one, a1, 0, 18 * z + t, x1);
      uint32_t m4 = lane_addrs(&four, a4, z, t, x4);
      assert_int_equal(m1, m4);
      for (uint32_t i = 0; i < 32; i++)
        if (m1 >> i & 1) {
          assert_int_equal(x1[i], x4[i]);
          compared++;
        }
    }
  assert_true(compared > 0);
  simt_kernel_free(&one);
  simt_kernel_free(&four);
}

static void tiles_by_hand(void **state) {
  (void)state;
  simt_config c = volta();
  em_diag d;
  wl_layer l = wl_gemm("g", 512, 512, 512);
  /* registers: 65,536 an SM, in units of 256 a warp.
   *   128x64: 256 threads x 64 = 16,384 a block: 4 blocks;
   *   64x64:  256 threads x 40 = 8 warps x 1,280 = 10,240: 6 blocks;
   *   32x32:   64 threads x 40 = 2 warps x 1,280 = 2,560: 25 blocks. */
  static const uint64_t want[SIMT_GEMM_TILES] = {4, 6, 25};
  static const uint32_t threads[SIMT_GEMM_TILES] = {256, 256, 64};
  for (int t = 0; t < SIMT_GEMM_TILES; t++) {
    simt_kernel k;
    assert_int_equal(simt_gen_layer_tile(&k, &l, (simt_gemm_tile)t, 1, &d), EM_OK);
    assert_int_equal(k.block_threads, threads[t]);
    simt_occupancy o = simt_occupancy_compute(&c, &k);
    assert_int_equal(o.blocks_per_sm, want[t]);
    assert_int_equal(o.limiter, SIMT_LIMIT_REGS);
    simt_kernel_free(&k);
  }
  /* without a GPU the layer keeps the 64 x 64 tile and its own name */
  simt_kernel k;
  assert_int_equal(simt_gen_layer(&k, &l, &d), EM_OK);
  assert_string_equal(k.name, "g");
  assert_int_equal(k.grid[0], 8);
  assert_int_equal(k.grid[1], 8);
  assert_int_equal(k.block_threads, 256);
  simt_kernel_free(&k);
  /* 2048^3 fills the GPU with every tile: no split is a candidate */
  for (int t = 0; t < SIMT_GEMM_TILES; t++)
    assert_true(simt_gemm_estimate(&c, (simt_gemm_tile)t, 2, 2048, 2048, 2048, 1) == 0.0);
  assert_int_equal(simt_gemm_pick(&c, 2048, 2048, 2048, 1).splits, 1);
}

static void bad_splits(void **state) {
  (void)state;
  em_diag d;
  simt_kernel k;
  wl_layer l = wl_gemm("g", 64, 64, 16); /* 2 slices of 8 */
  assert_int_equal(simt_gen_layer_tile(&k, &l, SIMT_GEMM_64X64, 0, &d), EM_ERR_RANGE);
  simt_kernel_free(&k);
  assert_int_equal(simt_gen_layer_tile(&k, &l, SIMT_GEMM_64X64, 4, &d), EM_ERR_RANGE);
  simt_kernel_free(&k);
  assert_int_equal(simt_gen_layer_tile(&k, &l, SIMT_GEMM_TILES, 1, &d), EM_ERR_RANGE);
  simt_kernel_free(&k);
  wl_layer grp = wl_conv("grp", 13, 13, 64, 3, 64, 1, 1, 2); /* split-K: one group only */
  assert_int_equal(simt_gen_layer_tile(&k, &grp, SIMT_GEMM_32X32, 2, &d), EM_ERR_RANGE);
  simt_kernel_free(&k);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tiles_by_hand), cmocka_unit_test(bad_splits),
      cmocka_unit_test(splitk_counts), cmocka_unit_test(splitk_conv_addresses),
      cmocka_unit_test(pick_within_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
