/*
 * test_pool.c - the thread pool: every item done once whatever the number
 * of threads, and the error reported is the lowest failing item's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "em_pool.h"

typedef struct {
  uint64_t out[1000];
  unsigned hits[1000];
  size_t fail_a, fail_b; /* items that fail, or 1000 */
} job_t;

static em_status square(void *ctx, size_t i, unsigned w, em_diag *d) {
  job_t *j = ctx;
  j->out[i] = (uint64_t)i * i;
  j->hits[i]++;
  if (i == j->fail_a || i == j->fail_b)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "item %zu failed", i);
  return EM_OK;
}

static void every_item_once(void **state) {
  (void)state;
  static const unsigned jobs[] = {1, 2, 7, 64};
  for (size_t t = 0; t < 4; t++) {
    static job_t j;
    memset(&j, 0, sizeof j);
    j.fail_a = j.fail_b = 1000;
    volatile uint64_t done = 0;
    em_diag d;
    assert_int_equal(em_pool_run(jobs[t], 1000, square, &j, &done, &d), EM_OK);
    assert_int_equal(done, 1000);
    for (size_t i = 0; i < 1000; i++) {
      assert_int_equal(j.hits[i], 1);
      assert_int_equal(j.out[i], (uint64_t)i * i);
    }
  }
}

static void lowest_error_wins(void **state) {
  (void)state;
  static const unsigned jobs[] = {1, 2, 7};
  for (size_t t = 0; t < 3; t++) {
    static job_t j;
    memset(&j, 0, sizeof j);
    j.fail_a = 700;
    j.fail_b = 500;
    em_diag d;
    assert_int_equal(em_pool_run(jobs[t], 1000, square, &j, NULL, &d), EM_ERR_INVALID);
    /* on one thread the hand-out stops at 500; on more, 700 may fail first,
     * but 500 is lower and is the one reported */
    assert_string_equal(d.msg, "item 500 failed");
  }
}

static void no_items(void **state) {
  (void)state;
  static job_t j;
  em_diag d;
  assert_int_equal(em_pool_run(4, 0, square, &j, NULL, &d), EM_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(every_item_once),
                                     cmocka_unit_test(lowest_error_wins),
                                     cmocka_unit_test(no_items)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
