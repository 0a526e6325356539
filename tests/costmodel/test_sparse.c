/*
 * test_sparse.c - sparse storage formats and patterns against hand counts:
 * the study book's CSR example (8 + 8 + 5 = 21 units against 16 dense) and
 * the other formats on the same matrix, worked out in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cm_sparse.h"

/* The study book's D = [[0,5,3,0],[6,1,0,4],[0,0,0,0],[2,0,1,4]]: 8 non-zeros. */
static const uint8_t D[16] = {0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1};

static cm_sparse_storage store(const char *fmt, const uint8_t *nz, uint64_t r, uint64_t c) {
  cm_sparse_spec s;
  assert_true(cm_sparse_spec_parse(fmt, &s));
  cm_sparse_storage o;
  em_diag d;
  assert_int_equal(cm_sparse_storage_of(&s, nz, r, c, &o, &d), EM_OK);
  return o;
}

static void book_csr(void **state) {
  (void)state;
  cm_sparse_storage o = store("csr", D, 4, 4);
  assert_int_equal(o.payload, 8);
  assert_int_equal(o.metadata, 8 + 5);
  assert_int_equal(o.payload + o.metadata, 21);
  assert_int_equal(store("dense", D, 4, 4).payload, 16);
  /* Sparseloop's per-rank view of CSR: UOP rows (4 + 1 offsets), CP columns */
  cm_rank_format f[2] = {CM_RANK_UOP, CM_RANK_CP};
  cm_rank_occupancy r;
  cm_rank_occupancy_of(f, D, 4, 4, &r);
  assert_int_equal(r.metadata[0], 5);
  assert_int_equal(r.metadata[1], 8);
  assert_int_equal(r.payload, 8);
  /* U-B (bitmap per row): 16 flag bits, 8 values; CP-CP: 3 non-empty rows + 8 */
  cm_rank_format ub[2] = {CM_RANK_U, CM_RANK_B}, cc[2] = {CM_RANK_CP, CM_RANK_CP};
  cm_rank_occupancy_of(ub, D, 4, 4, &r);
  assert_int_equal(r.metadata[1], 16);
  assert_int_equal(r.payload, 8);
  cm_rank_occupancy_of(cc, D, 4, 4, &r);
  assert_int_equal(r.metadata[0], 3);
  assert_int_equal(r.metadata[1], 8);
}

static void other_formats(void **state) {
  (void)state;
  /* CSC: 8 values, 8 row indices, 4 + 1 column pointers */
  cm_sparse_storage o = store("csc", D, 4, 4);
  assert_int_equal(o.payload + o.metadata, 21);
  /* COO: 8 values, 8 row and 8 column indices */
  o = store("coo", D, 4, 4);
  assert_int_equal(o.metadata, 16);
  /* mask: the dense values, zeros included, no metadata */
  o = store("mask", D, 4, 4);
  assert_int_equal(o.payload, 16);
  assert_int_equal(o.metadata, 0);
  /* bitmap: 8 values (8 bits each) + 16 one-bit flags = 80 bits = 10 bytes */
  o = store("bitmap", D, 4, 4);
  assert_int_equal(o.payload, 8);
  assert_int_equal(o.metadata_bits, 16);
  assert_int_equal(o.bytes, 10);
  /* BSR 2x2: all four blocks hold a non-zero -> 16 values, 4 block indices,
   * 2 + 1 block-row pointers */
  o = store("bsr2", D, 4, 4);
  assert_int_equal(o.payload, 16);
  assert_int_equal(o.metadata, 4 + 3);
  /* RLE with 4-bit runs: one entry per non-zero (no run exceeds 15) */
  o = store("rle", D, 4, 4);
  assert_int_equal(o.payload, 8);
  /* RLE with 2-bit runs (longest 3): the run of 4 zeros before the 2 at
   * position 12 needs one explicit zero -> 9 entries */
  cm_sparse_spec s;
  assert_true(cm_sparse_spec_parse("rle", &s));
  s.run_bits = 2;
  em_diag d;
  assert_int_equal(cm_sparse_storage_of(&s, D, 4, 4, &o, &d), EM_OK);
  assert_int_equal(o.payload, 9);
  assert_int_equal(o.metadata_bits, 18);
  /* channel pruning: row 2 is empty, three rows of 4 kept */
  assert_int_equal(store("channel", D, 4, 4).payload, 12);
  /* 2:4: row 1 (6, 1, 0, 4) keeps 3 of 4 -> refused, naming the row */
  assert_true(cm_sparse_spec_parse("2:4", &s));
  assert_int_equal(cm_sparse_storage_of(&s, D, 4, 4, &o, &d), EM_ERR_INVALID);
  assert_non_null(strstr(d.msg, "row 1, columns 0..3 hold 3"));
}

static void patterns(void **state) {
  (void)state;
  em_diag d;
  static uint8_t a[100 * 100], b[100 * 100];
  /* exactly round(0.8 x 10000) = 8000 zeros, reproducible from the seed */
  assert_int_equal(cm_sparse_gen_random(a, 100, 100, 0.8, 7, &d), EM_OK);
  assert_int_equal(cm_sparse_nnz(a, 10000), 2000);
  assert_int_equal(cm_sparse_gen_random(b, 100, 100, 0.8, 7, &d), EM_OK);
  assert_memory_equal(a, b, sizeof a);
  assert_int_equal(cm_sparse_gen_random(b, 100, 100, 0.8, 8, &d), EM_OK);
  assert_true(memcmp(a, b, sizeof a) != 0);
  /* 2:4 on 4 x 8: two per group of four -> 16 non-zeros, 4 x 2 groups x 2
   * stored values with 2-bit positions */
  assert_int_equal(cm_sparse_gen_nm(a, 4, 8, 2, 4, 1, &d), EM_OK);
  assert_int_equal(cm_sparse_nnz(a, 32), 16);
  cm_sparse_storage o = store("2:4", a, 4, 8);
  assert_int_equal(o.payload, 16);
  assert_int_equal(o.metadata_bits, 32);
  /* 4x4 blocks of an 8 x 8 matrix at 50 %: 2 of 4 blocks zero -> 32 non-zeros;
   * BSR4 stores the 2 others: 32 values, 2 indices, 3 pointers */
  assert_int_equal(cm_sparse_gen_block(a, 8, 8, 4, 0.5, 3, &d), EM_OK);
  assert_int_equal(cm_sparse_nnz(a, 64), 32);
  o = store("bsr4", a, 8, 8);
  assert_int_equal(o.payload, 32);
  assert_int_equal(o.metadata, 2 + 3);
  /* channel: 3 of 10 rows zeroed */
  assert_int_equal(cm_sparse_gen_channel(a, 10, 5, 0.3, 3, &d), EM_OK);
  assert_int_equal(cm_sparse_nnz(a, 50), 35);
  assert_int_equal(store("channel", a, 10, 5).payload, 35);
  /* magnitude: the 2 smallest of |w| = 0.1 0.5 0.05 2 0.01 are positions 4, 2 */
  static const float w[5] = {0.1f, -0.5f, 0.05f, 2.0f, -0.01f};
  assert_int_equal(cm_sparse_prune_magnitude(w, a, 5, 0.4, &d), EM_OK);
  static const uint8_t want[5] = {1, 1, 0, 1, 0};
  assert_memory_equal(a, want, 5);
  /* bad inputs */
  assert_int_equal(cm_sparse_gen_random(a, 10, 10, 1.5, 1, &d), EM_ERR_RANGE);
  assert_int_equal(cm_sparse_gen_nm(a, 4, 8, 5, 4, 1, &d), EM_ERR_RANGE);
  cm_sparse_spec s;
  assert_false(cm_sparse_spec_parse("csx", &s));
  assert_false(cm_sparse_spec_parse("4:2", &s));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(book_csr), cmocka_unit_test(other_formats),
                                     cmocka_unit_test(patterns)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
