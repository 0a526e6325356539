/*
 * test_simt_power.c - power = energy but the launch's / (cycles / core
 * clock) of the SIMT model, against each preset's board power and a V100
 * measurement:
 *   - every AlexNet and ResNet-18 layer on every preset, as the model runs
 *     it (the GEMM tile and K split picked per shape), stays at or below
 *     the preset's board_power_w (TITAN V / V100 250 W, A100 SXM4 400 W,
 *     Jetson AGX Orin 60 W; the presets cite them);
 *   - a square SGEMM on every preset stays at or below it (1024^3), and
 *     on volta it reaches less of the fp32 peak than cuBLAS does on a
 *     V100-SXM2 (67.4 % at 1024^3 and, with the tile the model picks,
 *     81.1 % at 2048^3; models/simt/README.md);
 *   - the volta preset's SGEMM of Parboil's medium shape (1024 x 1056 x 992)
 *     draws at least half of the board, and lies within AccelWattch's
 *     published error (a mean absolute error of 9.2 % over its Volta
 *     validation kernels, AccelWattch_graphs.xlsx, Volta_SASS_SIM) of the
 *     217.5 W AccelWattch measured on a V100 for Parboil's sgemm
 *     (accel-sim-framework util/accelwattch/accelwattch_hw_profiler/
 *     hw_power_validation_volta.csv).  The preset's energy_scale was fitted
 *     on that one kernel (gpu_volta.cfg), so this is a calibration check.
 * Label simt_slow: it simulates two networks on three GPUs (minutes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "cm_energy.h"
#include "em_units.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "wl_load.h"

/* Power of layer l on a GPU: watts (and the kernel's share of fp32 peak);
 * `picked`: the kernel the model runs for it (simt_gen_layer_gpu: the GEMM
 * tile and K split picked for the shape), else the 64 x 64-tile kernel the
 * SGEMM figures and the Parboil calibration are of. */
static double layer_power(simt_gpu *g, const simt_config *c, const simt_energy_model *em,
                          const wl_layer *l, bool picked, double *peak_share) {
  em_diag d;
  simt_kernel k;
  assert_int_equal(picked ? simt_gen_layer_gpu(&k, l, c, &d) : simt_gen_layer(&k, l, &d), EM_OK);
  simt_stats st;
  em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  simt_kernel_free(&k);
  simt_energy e;
  simt_energy_compute(em, &st, &e);
  /* power while the kernel runs: its launch (the board on, every SM idle,
   * before the first block; idle power scales with the voltage, constant
   * power not) is energy, not power of the run */
  double secs = em_cycles_to_s(st.cycles, c->core_freq_mhz);
  double launch_j = (c->const_power_w + (double)c->n_sm * c->idle_sm_w * c->core_voltage_v /
                                            c->ref_voltage_v) *
                    em_cycles_to_s(c->kernel_launch_cycles, c->core_freq_mhz);
  assert_true(st.launch_cycles == c->kernel_launch_cycles);
  assert_true(fabs(e.comp_pj[SIMT_E_LAUNCH] * 1e-12 - launch_j) < 1e-9 * launch_j);
  double w = (e.total_pj * 1e-12 - launch_j) / secs;
  assert_true(fabs(w - e.power_w) < 1e-9 * w);
  if (peak_share)
    *peak_share = (double)st.flops / (simt_peak_flops_per_cycle(c) * (double)st.cycles);
  return w;
}

typedef struct {
  simt_config c;
  simt_gpu *g;
  simt_energy_model em;
  cm_energy_table *t;
} gpu_t;

static void gpu_open(gpu_t *x, const char *preset) {
  em_diag d;
  assert_int_equal(simt_config_load_spec(preset, &x->c, &d), EM_OK);
  assert_int_equal(simt_gpu_create(&x->c, &x->g, &d), EM_OK);
  assert_int_equal(cm_energy_table_default(&x->t, &d), EM_OK);
  assert_int_equal(simt_energy_model_init(&x->em, x->t, &x->c, &d), EM_OK);
}

static void gpu_close(gpu_t *x) {
  simt_gpu_destroy(x->g);
  cm_energy_table_destroy(x->t);
}

static void networks_under_board(void **state) {
  (void)state;
  static const char *const nets[] = {"alexnet", "resnet18"};
  size_t np;
  const char *const *presets = simt_presets(&np);
  for (size_t p = 0; p < np; p++) {
    gpu_t x;
    gpu_open(&x, presets[p]);
    for (size_t n = 0; n < sizeof nets / sizeof nets[0]; n++) {
      em_diag d;
      wl_network *net;
      assert_int_equal(wl_load(nets[n], &net, &d), EM_OK);
      double most = 0;
      for (size_t i = 0; i < net->n_layers; i++) {
        double w = layer_power(x.g, &x.c, &x.em, &net->layers[i], true, NULL);
        if (w > most) most = w;
        if (w > x.c.board_power_w)
          printf("  %s %s %s: %.1f W over the board's %.0f W\n", presets[p], nets[n],
                 net->layers[i].name, w, x.c.board_power_w);
        assert_true(w <= x.c.board_power_w);
      }
      printf("  %-7s %-9s highest layer %6.1f W of %.0f W\n", presets[p], nets[n], most,
             x.c.board_power_w);
      wl_network_destroy(net);
    }
    gpu_close(&x);
  }
}

static void sgemm(void **state) {
  (void)state;
  size_t np;
  const char *const *presets = simt_presets(&np);
  for (size_t p = 0; p < np; p++) {
    gpu_t x;
    gpu_open(&x, presets[p]);
    wl_layer sq = wl_gemm("sgemm1024", 1024, 1024, 1024);
    double share, w = layer_power(x.g, &x.c, &x.em, &sq, false, &share);
    printf("  %-7s SGEMM 1024^3: %.1f W of %.0f W (%.1f %% of fp32 peak)\n", presets[p], w,
           x.c.board_power_w, 100 * share);
    assert_true(w <= x.c.board_power_w);
    if (x.c.n_sm == 80) { /* the straightforward kernel does not beat cuBLAS: 10.56 TFLOPS
                           * at 1024^3 on a V100-SXM2 of 15.67 peak, 67.4 % (README) */
      assert_true(share < 10.56 / 15.67);
      /* nor does the tile the model picks for the shape */
      double pw = layer_power(x.g, &x.c, &x.em, &sq, true, &share);
      printf("  volta   SGEMM 1024^3, picked tile: %.1f W (%.1f %% of fp32 peak)\n", pw,
             100 * share);
      assert_true(pw <= x.c.board_power_w);
      assert_true(share < 10.56 / 15.67);
      /* 2048^3 (about 65 s in a Release build): cuBLAS reaches 12.71
       * TFLOPS on a V100-SXM2 of 15.67 peak (80 SMs x 64 lanes x 2 x 1530
       * MHz), 81.1 % (README); the tile the model picks for the shape
       * (sgemm_128x64) must not beat that share of its own fp32 peak (the
       * README's 61.0 %) */
      wl_layer big = wl_gemm("sgemm2048", 2048, 2048, 2048);
      pw = layer_power(x.g, &x.c, &x.em, &big, true, &share);
      printf("  volta   SGEMM 2048^3, picked tile: %.1f W (%.1f %% of fp32 peak; cuBLAS "
             "81.1 %%)\n",
             pw, 100 * share);
      assert_true(pw <= x.c.board_power_w);
      assert_true(share < 12.71 / 15.67);
    }
    if (x.c.n_sm == 80) { /* volta: Parboil's sgemm, medium input: C 1024 x 1056, K 992 */
      wl_layer pb = wl_gemm("parboil_sgemm", 1024, 1056, 992);
      w = layer_power(x.g, &x.c, &x.em, &pb, false, &share);
      printf("  volta   Parboil-shaped SGEMM: %.1f W (V100 measured 217.5 W, %+.1f %%), "
             "%.1f %% of fp32 peak\n",
             w, 100 * (w - 217.5) / 217.5, 100 * share);
      assert_true(w >= x.c.board_power_w / 2);
      assert_true(fabs(w - 217.5) / 217.5 <= 0.092);
      assert_true(share > 0.5); /* compute-bound: most of the fp32 peak */
    }
    gpu_close(&x);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(sgemm),
                                     cmocka_unit_test(networks_under_board)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
