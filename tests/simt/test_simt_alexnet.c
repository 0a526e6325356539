/*
 * test_simt_alexnet.c - every AlexNet layer on every GPU preset: it runs,
 * and its simulated cycles are never below the roofline bound (peak fp32
 * FLOPs and peak DRAM bandwidth of the preset, compulsory reads only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

static void alexnet_all_presets(void **state) {
  (void)state;
  em_diag d;
  wl_network *net;
  assert_int_equal(wl_load("alexnet", &net, &d), EM_OK);
  size_t n;
  const char *const *names = simt_presets(&n);
  for (size_t p = 0; p < n; p++) {
    simt_config c;
    assert_int_equal(simt_config_load_spec(names[p], &c, &d), EM_OK);
    simt_gpu *g;
    assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
    for (size_t i = 0; i < net->n_layers; i++) {
      simt_kernel k;
      assert_int_equal(simt_gen_layer(&k, &net->layers[i], &d), EM_OK);
      simt_stats st;
      em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
      if (s != EM_OK) em_diag_print(&d, stderr);
      assert_int_equal(s, EM_OK);
      double roof = simt_roofline_cycles(&c, &k);
      printf("  %-7s %-8s cycles %9llu roofline %9.0f (x%.2f)\n", names[p], k.name,
             (unsigned long long)st.cycles, roof, (double)st.cycles / roof);
      assert_true(st.warp_insts > 0);
      assert_true((double)st.cycles >= roof);
      /* the up-front bound (refusal and note) never passes what runs */
      assert_true(simt_kernel_insts_at_least(&c, &k) <= st.warp_insts);
      simt_kernel_free(&k);
    }
    simt_gpu_destroy(g);
  }
  wl_network_destroy(net);
}

/* A skinny GEMM, M x 1 x 1 (one row of weights per output, K = 1): its
 * K loop runs once, so each warp issues its program's shortest path, and
 * the up-front bound, warps x that path, is what runs (it was one
 * instruction a warp: 2^31 rows, 2.5e10 instructions, ran an hour with no
 * note, its bound 188 times too low). */
static void skinny_gemm_bound(void **state) {
  (void)state;
  em_diag d;
  simt_config c;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  wl_layer l = wl_gemm("skinny", 65536, 1, 1);
  l.w = l.a = (wl_prec){32, true};
  simt_kernel k;
  assert_int_equal(simt_gen_layer(&k, &l, &d), EM_OK);
  simt_stats st;
  assert_int_equal(simt_gpu_run(g, &k, NULL, NULL, &st, &d), EM_OK);
  uint64_t least = simt_kernel_insts_at_least(&c, &k);
  printf("  skinny: at least %llu, issued %llu\n", (unsigned long long)least,
         (unsigned long long)st.warp_insts);
  assert_int_equal(least, st.warp_insts); /* 65,536 rows: whole tiles, no lane diverges */
  simt_kernel_free(&k);
  simt_gpu_destroy(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(alexnet_all_presets),
                                     cmocka_unit_test(skinny_gemm_bound)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
