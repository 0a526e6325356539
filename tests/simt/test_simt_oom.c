/*
 * test_simt_oom.c - a GPU run whose host allocations fail part-way ends
 * with "out of memory" (EM_ERR_NOMEM) or with the figures of a run whose
 * allocations all succeed: never with other figures, a false "deadlock", a
 * hang or a crash.  The memory model's queues grow during the run; a
 * request it could not queue used to be dropped (its load never answered:
 * "deadlocks") or answered at once as a hit (wrong figures, silently).
 *
 * realloc and malloc are wrapped (-Wl,--wrap): while `armed`, the call
 * after `budget` more fails.  The budget is swept over the run's calls in
 * about 16 steps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simt_config.h"
#include "simt_gen.h"
#include "simt_gpu.h"

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);

static int armed;
static long budget;
static long calls; /* allocations made while armed */

static int fails(void) {
  if (!armed) return 0;
  calls++;
  return budget-- <= 0;
}

void *__wrap_malloc(size_t n) { return fails() ? NULL : __real_malloc(n); }
void *__wrap_realloc(void *p, size_t n) { return fails() ? NULL : __real_realloc(p, n); }

/* Runs the micro-benchmark m on volta with the allocation after `b` failing
 * (b < 0: none fails); *st gets the figures. */
static em_status run(simt_micro m, uint32_t n, long b, simt_stats *st, em_diag *d) {
  simt_config c;
  simt_kernel k;
  simt_gpu *g;
  assert_int_equal(simt_config_load_spec("volta", &c, d), EM_OK);
  assert_int_equal(simt_gen_micro_gpu(&k, m, n, 0, 1, &c, d), EM_OK);
  assert_int_equal(simt_gpu_create(&c, &g, d), EM_OK);
  calls = 0;
  budget = b < 0 ? 1L << 60 : b;
  armed = 1;
  em_status s = simt_gpu_run(g, &k, NULL, NULL, st, d);
  armed = 0;
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
  return s;
}

static void sweep(simt_micro m, uint32_t n) {
  simt_stats ref, st;
  em_diag d;
  assert_int_equal(run(m, n, -1, &ref, &d), EM_OK);
  long total = calls;
  printf("  %s: %llu cycles, %ld allocations during the run\n", simt_micro_name(m),
         (unsigned long long)ref.cycles, total);
  assert_true(total > 0); /* the queues grow during the run: something to fail */
  unsigned nomem = 0;
  for (long b = 0; b <= total; b += total > 16 ? total / 16 : 1) {
    memset(&d, 0, sizeof d);
    em_status s = run(m, n, b, &st, &d);
    if (s == EM_OK) { /* no failure, or one it could do without */
      assert_int_equal(st.cycles, ref.cycles);
      assert_int_equal(st.mem.dram_reads, ref.mem.dram_reads);
      assert_int_equal(st.mem.dram_writes, ref.mem.dram_writes);
      assert_int_equal(st.warp_insts, ref.warp_insts);
      continue;
    }
    if (s != EM_ERR_NOMEM) printf("  allocation %ld failing: %s\n", b, d.msg);
    assert_int_equal(s, EM_ERR_NOMEM);
    assert_non_null(strstr(d.msg, "out of memory"));
    nomem++;
  }
  assert_true(nomem > 0);
}

static void dram_stream(void **state) {
  (void)state;
  sweep(SIMT_MICRO_DRAM_BW, 1);
}

static void atomics(void **state) {
  (void)state;
  sweep(SIMT_MICRO_ATOMIC, 64);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(dram_stream), cmocka_unit_test(atomics)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
