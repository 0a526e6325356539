/*
 * test_simt_tensor_energy.c - energy per tensor-core multiply-add by operand
 * type (simt_energy.h), against a hand calculation from the default table
 * (Horowitz, ISSCC 2014, 45 nm, costmodel/energy/horowitz45.csv) and its
 * rules (costmodel/cm_energy.h): between two rows of the op and type the
 * energy is linear in a b, the bit products (a multiplier of a x b bits),
 * or in the width (an adder); past the last row, that row's energy times
 * a b / ref^2 or width / ref.
 *
 * One MAC = mult + 3/4 product sum + 1/4 accumulate (a lane of a
 * four-element dot-product unit):
 *   fp16   mult fp16 1.1; sum int22 between int8 and int32, 0.03 + (22 -
 *          8)/(32 - 8) x (0.1 - 0.03) = 0.0708333; acc fp32 0.9:
 *          1.1 + 0.053125 + 0.225                          = 1.378125 pJ
 *   tf32   mult fp19 between fp16 (256 products) and fp32 (1024), 1.1 +
 *          (361 - 256)/(1024 - 256) x (3.7 - 1.1) = 1.45546875;
 *          sum and acc as fp16:                              1.73359375 pJ
 *   int8   mult int8 0.2; sum int16 between int8 and int32, 0.03 + (16 -
 *          8)/(32 - 8) x 0.07 = 0.0533333; acc int32 0.1:
 *          0.2 + 0.04 + 0.025                             = 0.265 pJ
 *   int4   mult int4 from int8 0.2 x 16/64 = 0.05; sum int8 0.03;
 *          acc int32: 0.05 + 0.0225 + 0.025               = 0.0975 pJ
 *   binary mult int1 from int8 0.2 / 64 = 0.003125; sum int1 0.03 / 8 =
 *          0.00375; acc int32: 0.003125 + 0.0028125 + 0.025 = 0.0309375 pJ
 *   fp64   mult fp64 from fp32 3.7 x 4 = 14.8; sum int106 from int32
 *          0.1 x 106/32 = 0.33125; acc fp64 from fp32 0.9 x 2 = 1.8:
 *          14.8 + 0.2484375 + 0.45                        = 15.4984375 pJ
 * each times the preset's energy_scale x (V / V_ref)^2.
 *
 * Then the count: a tensor microbenchmark of each shape on the ampere
 * preset (32 warps x 16 MMAs) records 512 x the shape's executed MACs under
 * the shape's type, and its tensor energy is those MACs at that type's
 * price.  And the WMMA GEMM generator's counts (wmma_gemm_counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cm_energy.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gen_wmma.h"
#include "simt_gpu.h"

static const double hand_pj[SIMT_MMA_KIND_COUNT] = {
    [SIMT_MMA_FP16] = 1.378125, [SIMT_MMA_TF32] = 1.73359375, [SIMT_MMA_INT8] = 0.265,
    [SIMT_MMA_INT4] = 0.0975,   [SIMT_MMA_B1] = 0.0309375,    [SIMT_MMA_FP64] = 15.4984375,
};

static double scale_of(const simt_config *c) {
  double v = c->core_voltage_v / c->ref_voltage_v;
  return c->energy_scale * v * v;
}

static void per_mac_by_type(void **state) {
  (void)state;
  em_diag d;
  simt_config c;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  simt_energy_model m;
  assert_int_equal(simt_energy_model_init(&m, t, &c, &d), EM_OK);
  double sc = scale_of(&c);
  for (int k = 0; k < SIMT_MMA_KIND_COUNT; k++)
    assert_true(fabs(m.mma_mac_pj[k] - hand_pj[k] * sc) < 1e-12);
  /* a hand-filled record: 1000 MACs of each type, and 24 of no recorded
   * type (priced as fp16) */
  simt_stats st;
  memset(&st, 0, sizeof st);
  double want = 0;
  for (int k = 0; k < SIMT_MMA_KIND_COUNT; k++) {
    st.tensor_kind_macs[k] = 1000;
    want += 1000 * hand_pj[k];
  }
  st.tensor_macs = 6 * 1000 + 24;
  want += 24 * hand_pj[SIMT_MMA_FP16];
  simt_energy e;
  simt_energy_compute(&m, &st, &e);
  assert_true(fabs(e.comp_pj[SIMT_E_ALU] - want * sc) < 1e-9);
  assert_true(fabs(e.class_pj[SIMT_CLASS_TENSOR] - want * sc) < 1e-9);
  /* the order the types cost in: binary < int4 < int8 < fp16 < tf32 < fp64 */
  assert_true(m.mma_mac_pj[SIMT_MMA_B1] < m.mma_mac_pj[SIMT_MMA_INT4]);
  assert_true(m.mma_mac_pj[SIMT_MMA_INT4] < m.mma_mac_pj[SIMT_MMA_INT8]);
  assert_true(m.mma_mac_pj[SIMT_MMA_INT8] < m.mma_mac_pj[SIMT_MMA_FP16]);
  assert_true(m.mma_mac_pj[SIMT_MMA_FP16] < m.mma_mac_pj[SIMT_MMA_TF32]);
  assert_true(m.mma_mac_pj[SIMT_MMA_TF32] < m.mma_mac_pj[SIMT_MMA_FP64]);
  cm_energy_table_destroy(t);
}

static void counted_by_shape(void **state) {
  (void)state;
  em_diag d;
  simt_config c;
  assert_int_equal(simt_config_load_spec("ampere", &c, &d), EM_OK);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  simt_energy_model m;
  assert_int_equal(simt_energy_model_init(&m, t, &c, &d), EM_OK);
  double sc = scale_of(&c);
  for (uint32_t shape = 1; shape < SIMT_MMA_COUNT; shape++) {
    const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, (uint8_t)shape);
    simt_kernel k;
    assert_int_equal(simt_gen_micro(&k, SIMT_MICRO_TENSOR, 1, shape, 1, &d), EM_OK);
    simt_stats st;
    em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
    simt_kernel_free(&k);
    assert_int_equal(s, EM_OK);
    uint64_t macs = 32ull * 16 * mi->exec_macs; /* 32 warps x 16 MMAs */
    for (int kind = 0; kind < SIMT_MMA_KIND_COUNT; kind++)
      assert_int_equal(st.tensor_kind_macs[kind], kind == (int)mi->kind ? macs : 0);
    assert_int_equal(st.tensor_macs, macs);
    simt_energy e;
    simt_energy_compute(&m, &st, &e);
    double front_reg = m.front_pj * (double)st.class_warp_insts[SIMT_CLASS_TENSOR] +
                       m.reg_pj * (double)st.class_reg_accesses[SIMT_CLASS_TENSOR] +
                       m.reuse_pj * (double)st.class_reg_reuse[SIMT_CLASS_TENSOR];
    double want = (double)macs * hand_pj[mi->kind] * sc;
    assert_true(fabs(e.class_pj[SIMT_CLASS_TENSOR] - front_reg - want) < 1e-6 * want);
  }
  cm_energy_table_destroy(t);
  simt_gpu_destroy(g);
}

/* The WMMA GEMM (simt_gen_wmma.h) does whole 128 x 128 tiles: a 130 x 16 x
 * 64 GEMM is 2 blocks x 128 x 128 x 64 = 2097152 MACs, 8192 HMMA.884 of 256
 * (or 2048 HMMA.1688 of 1024), all fp16; its flops are the useful 2 x 130
 * x 16 x 64; a K stage other than 16/32/64/128, an fp32 shape or a size of
 * 0 is refused. */
static void wmma_gemm_counts(void **state) {
  (void)state;
  em_diag d;
  simt_config c;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  static const uint8_t shapes[] = {SIMT_MMA_HMMA_884, SIMT_MMA_HMMA_1688};
  for (size_t i = 0; i < 2; i++) {
    simt_wmma_gemm p = {.M = 130, .N = 16, .K = 64, .kc = 32, .mma = shapes[i], .prefetch = i};
    simt_kernel k;
    assert_int_equal(simt_gen_wmma_gemm(&k, &p, &d), EM_OK);
    assert_int_equal(k.flops, 2ull * 130 * 16 * 64);
    simt_stats st;
    em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
    simt_kernel_free(&k);
    assert_int_equal(s, EM_OK);
    assert_int_equal(st.blocks, 2);
    assert_int_equal(st.tensor_macs, 2097152);
    assert_int_equal(st.tensor_kind_macs[SIMT_MMA_FP16], 2097152);
    assert_int_equal(st.class_warp_insts[SIMT_CLASS_TENSOR], i == 0 ? 8192 : 2048);
  }
  simt_kernel k;
  simt_wmma_gemm bad = {.M = 128, .N = 128, .K = 64, .kc = 48, .mma = SIMT_MMA_HMMA_884};
  assert_int_not_equal(simt_gen_wmma_gemm(&k, &bad, &d), EM_OK);
  simt_kernel_free(&k);
  bad.kc = 64;
  bad.mma = SIMT_MMA_HMMA_1688_TF32;
  assert_int_not_equal(simt_gen_wmma_gemm(&k, &bad, &d), EM_OK);
  simt_kernel_free(&k);
  bad.mma = SIMT_MMA_HMMA_884;
  bad.N = 0;
  assert_int_not_equal(simt_gen_wmma_gemm(&k, &bad, &d), EM_OK);
  simt_kernel_free(&k);
  simt_gpu_destroy(g);
}

/* What `emlsim simt --wmma` runs on each architecture: a wmma m16n16k16 as
 * the newest fp16 shape its tensor cores have (PTX ISA's mma requirements:
 * m8n8k4 sm_70, m16n8k8 sm_75, m16n8k16 sm_80), so 16 HMMA.884 steps on
 * Volta and Xavier, 4 HMMA.1688 on Turing, 2 HMMA.16816 on Ampere and Orin;
 * none before Volta, and a GPU without tensor cores is refused. */
static void wmma_shape_by_arch(void **state) {
  (void)state;
  static const struct {
    unsigned arch;
    uint8_t mma;
  } cases[] = {{61, SIMT_MMA_NONE},       {70, SIMT_MMA_HMMA_884},   {72, SIMT_MMA_HMMA_884},
               {75, SIMT_MMA_HMMA_1688},  {80, SIMT_MMA_HMMA_16816}, {86, SIMT_MMA_HMMA_16816},
               {87, SIMT_MMA_HMMA_16816}, {90, SIMT_MMA_HMMA_16816}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(simt_wmma_mma_of(cases[i].arch), cases[i].mma);
  simt_wmma_gemm p;
  char name[64];
  em_diag d;
  assert_int_equal(simt_wmma_gemm_of(&p, SIMT_WMMA_CUTLASS, 2560, 16, 2560, 80, 1, name, &d),
                   EM_OK);
  assert_string_equal(p.name, "wmma_gemm_nn_2560x16x2560");
  assert_int_equal(p.mma, SIMT_MMA_HMMA_16816);
  assert_int_equal(simt_wmma_gemm_of(&p, SIMT_WMMA_SAMPLE, 4096, 4096, 4096, 70, 2, name, &d),
                   EM_OK);
  assert_string_equal(p.name, "cudaTensorCoreGemm_4096x4096x4096");
  assert_int_equal(simt_wmma_gemm_of(&p, SIMT_WMMA_CUTLASS, 16, 16, 16, 70, 0, name, &d),
                   EM_ERR_UNSUPPORTED);
  assert_string_equal(d.msg, "the WMMA GEMM needs tensor cores, and the GPU has none "
                             "('tensor_units' is 0)");
  assert_int_equal(simt_wmma_gemm_of(&p, SIMT_WMMA_CUTLASS, 16, 16, 16, 61, 2, name, &d),
                   EM_ERR_UNSUPPORTED);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(per_mac_by_type),
                                     cmocka_unit_test(counted_by_shape),
                                     cmocka_unit_test(wmma_gemm_counts), cmocka_unit_test(wmma_shape_by_arch)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
