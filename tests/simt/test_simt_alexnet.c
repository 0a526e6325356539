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
      simt_kernel_free(&k);
    }
    simt_gpu_destroy(g);
  }
  wl_network_destroy(net);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(alexnet_all_presets)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
