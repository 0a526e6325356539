/*
 * test_simt_sparse.c - the SIMT model's sparse kernels (simt_sparse.h) on
 * the patterns `emlsim breakeven` draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_sparse.h"
#include "simt_config.h"
#include "simt_dense_ref.h"
#include "simt_gpu.h"
#include "simt_sparse.h"

/* The seed of `emlsim breakeven --seed seed`'s pattern at sparsity sp
 * (models/breakeven.c: SplitMix64's finalizer of the seed and sp x 1e9). */
static uint64_t breakeven_seed(uint64_t seed, double sp) {
  uint64_t z = seed * 0x9e3779b97f4a7c15ull ^ (uint64_t)llround(sp * 1e9);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The CSR GEMV (a row per warp, batch 1) of a uniform N x K pattern at
 * sparsity sp on volta: its cycles (the kernel alone) and DRAM bytes. */
static uint64_t csr_gemv(uint64_t N, uint64_t K, double sp, uint64_t seed, uint64_t *bytes) {
  simt_config c;
  em_diag d;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  uint8_t *nz = malloc(N * K);
  assert_non_null(nz);
  assert_int_equal(cm_sparse_gen_unstructured(nz, N, K, sp, CM_PAT_UNIFORM,
                                              breakeven_seed(seed, sp), &d),
                   EM_OK);
  simt_kernel k;
  uint64_t splits = simt_k_splits(SIMT_SP_CSR_WARP, N, K, 1, 1, c.n_sm);
  assert_int_equal(simt_gen_sparse_split(&k, SIMT_SP_CSR_WARP, nz, N, K, 1, 0, splits, &d),
                   EM_OK);
  free(nz);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  simt_stats st;
  em_status s = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
  *bytes = 32 * (st.mem.dram_reads + st.mem.dram_writes);
  return st.cycles;
}

/* The CSR GEMV of 1024 x 1024 at batch 1 streams its indices and values
 * from DRAM (7.6 to 6.7 MB at 10 to 20 %, against L2's 6 MB and x's 4 KB):
 * its time follows its bytes.  So from 10 to 15 to 20 % (the patterns of
 * `emlsim breakeven gemm:1x1024x1024 --seed 1`) its cycles fall, and its
 * cycles per DRAM byte stay within 5 % of each other (22,684, 21,354 and
 * 20,083 cycles: 2.97 to 2.98 cycles a kB).  Until 2026-11-28 a DRAM
 * channel's scheduler window held requests not yet arrived (test_simt_mem's
 * dram_window_arrived_first), and these three took 24,182, 30,107 and
 * 29,305 cycles: 3.17, 4.19 and 4.35 cycles a kB. */
static void csr_gemv_follows_bytes(void **state) {
  (void)state;
  static const double sp[] = {0.10, 0.15, 0.20};
  uint64_t cyc[3], bytes[3];
  double lo = INFINITY, hi = 0;
  for (int i = 0; i < 3; i++) {
    cyc[i] = csr_gemv(1024, 1024, sp[i], 1, &bytes[i]);
    double per_kb = 1000.0 * (double)cyc[i] / (double)bytes[i];
    printf("  %.2f: %llu cycles, %llu DRAM bytes, %.3f cycles a kB\n", sp[i],
           (unsigned long long)cyc[i], (unsigned long long)bytes[i], per_kb);
    if (per_kb < lo) lo = per_kb;
    if (per_kb > hi) hi = per_kb;
  }
  for (int i = 1; i < 3; i++) {
    assert_true(bytes[i] < bytes[i - 1]);
    assert_true(cyc[i] < cyc[i - 1]);
  }
  assert_true(hi <= 1.05 * lo);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(csr_gemv_follows_bytes)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
