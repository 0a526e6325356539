/*
 * test_arrays.c - the bit-serial (BISMO) and XNOR (FINN) array models
 * against published figures and hand calculations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bs_array.h"
#include "cm_sparse.h"
#include "hw_model.h"
#include "xnor_array.h"

static void bismo_peak(void **state) {
  (void)state;
  /* BISMO's published instance, 8 x 256 x 8 at 200 MHz:
   * 2 * 8 * 256 * 8 * 200e6 = 6.5536e12 binary ops/s (its README: 6.5 TOPS),
   * and b_a x b_w times fewer multi-bit ops. */
  bs_config c = bs_config_bismo();
  assert_float_equal(bs_peak_binary_ops(&c), 6.5536e12, 1e3);
  assert_float_equal(bs_peak_ops(&c, 2, 2), 6.5536e12 / 4, 1e3);
  assert_float_equal(bs_peak_ops(&c, 8, 4), 6.5536e12 / 32, 1e3);
}

static void bitserial_cycles_by_hand(void **state) {
  (void)state;
  /* GEMM 16 x 512 x 16 (M x K x N) at 3:2 bits on 8 x 256 x 8:
   * tiles 2 x 2 = 4, K slices 512/256 = 2, plane pairs 6: 48 execute cycles;
   * the pipeline drains at the end of every tile, so each tile adds the
   * fill, BISMO's execute latency at Dk 256, 3 BRAM read + 1 broadcast + 6
   * DPU + 2 popcount I/O + 3 adder-tree levels (8 compressors of 36 bits) =
   * 15: a tile takes 12 + 15 = 27 cycles >= Dm = 8, so results hide;
   * 4 x 27 = 48 + 4 x 15 = 108. */
  bs_config c = bs_config_bismo();
  wl_layer l = wl_gemm("g", 16, 16, 512);
  l.w = (wl_prec){3, false};
  l.a = (wl_prec){2, false};
  bs_stats s;
  em_diag d;
  assert_int_equal(bs_layer(&c, &l, &s, &d), EM_OK);
  assert_int_equal(s.tiles, 4);
  assert_int_equal(s.compute_cycles, 48);
  assert_int_equal(s.overhead_cycles, 4 * 15);
  assert_int_equal(s.total_cycles, 108);
  /* Binary ops: 2 * 16*16*512 products * 6 plane pairs. */
  assert_int_equal(s.binary_ops, 2ull * 16 * 16 * 512 * 6);
  /* Memory: an LHS row tile is 8 rows x 512 x 2 bits = 8192 bits, within
   * its 256 KiB buffer, so A is read once: 2 row tiles x 8192 = 16384 bits;
   * all of B (2 column tiles x 8 x 512 x 3 = 24576 bits) fits, read once:
   * 40960 bits from DRAM; results 16 x 16 x 32 = 8192 bits out.  SRAM reads:
   * 48 cycles x (8 + 8) x 256 slice bits + 4 tiles x 64 x 32 result bits =
   * 196608 + 8192. */
  assert_int_equal(s.dram_read_bits, 40960);
  assert_int_equal(s.dram_write_bits, 8192);
  assert_int_equal(s.sram_read_bits, 196608 + 8192);
  /* Energy (Horowitz 45 nm): per DPU and execute cycle 2 x 256 one-bit adds
   * (the 8-bit add's 0.03 pJ / 8 = 0.00375) + a 32-bit add 0.1 = 2.02 pJ;
   * 48 cycles x 64 DPUs = 6205.44 pJ.  DRAM: (40960 + 8192) / 64 = 768
   * 64-bit accesses x 1300 pJ = 998400 pJ. */
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  bs_energy e;
  assert_int_equal(bs_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_float_equal(e.compute_pj, 6205.44, 1e-6);
  assert_float_equal(e.dram_pj, 998400.0, 1e-6);
  /* SRAM: one 32 KiB buffer per DPU row and column (256 KiB / 8, the SRAMs
   * the area model builds), Horowitz's 32 KB row, 20 pJ per 64 bits.  Each
   * execute cycle 8 rows and 8 columns read 256 bits each: 16 x 4 x 20 =
   * 1280 pJ, x 48 cycles = 61440 pJ.  Other traffic, per 64 bits at 20 pJ:
   * result reads 8192 bits, buffer writes 40960 (fills) + 8192 (results):
   * 57344 / 64 = 896 x 20 = 17920 pJ.  In all 79360 pJ (read at the whole
   * side's 256 KiB, 68 pJ per 64 bits, it was 269824). */
  assert_float_equal(e.sram_pj, 79360.0, 1e-6);
  assert_float_equal(e.total_pj, e.compute_pj + e.sram_pj + e.dram_pj, 1e-6);
  cm_energy_table_destroy(t);
  /* fp operands are refused, naming the layer. */
  l.w = (wl_prec){16, true};
  assert_int_equal(bs_layer(&c, &l, &s, &d), EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "layer 'g'"));
}

static void bitserial_widest_slice(void **state) {
  (void)state;
  /* The largest array the settings allow, 65536 x 65536 x 65536: a slice
   * is Dm x Dk = 2^32 bits, one past 32 bits (it wrapped to a "memory
   * access of 0 bits" error).  GEMM 65536 x 65536 x 65536 at 1:1 bits on
   * it, with a 1 MiB buffer per DPU row and column (one SRAM each, so
   * 2^16 x 1 MiB a side; the Horowitz table's 1 MB row: 100 pJ per 64 bits,
   * read or write, no interpolation): one tile, one slice, one plane pair,
   * so one execute cycle.  SRAM energy by hand:
   *   the cycle's LHS and RHS slices: 2 x 2^32 / 64 x 100 pJ;
   *   results read 1 tile x 2^16 x 2^16 x 32 = 2^37 bits; writes: A's row
   *   tile (2^32 bits, within the 2^39-bit side: once)
   *   + all of B (2^32) + results 2^37;
   *   (2^37 + 2^33 + 2^37) / 64 x 100 pJ = (2^32 + 2^27) x 100 pJ;
   *   total 100 x (2^27 + 2^32 + 2^27) = 100 x 4563402752 pJ. */
  bs_config c = bs_config_bismo();
  c.dm = c.dk = c.dn = 65536;
  c.lhs_buf_bytes = c.rhs_buf_bytes = 65536ull * 1048576;
  wl_layer l = wl_gemm("g", 65536, 65536, 65536);
  l.w = (wl_prec){1, false};
  l.a = (wl_prec){1, false};
  bs_stats s;
  em_diag d;
  assert_int_equal(bs_config_validate(&c, &d), EM_OK);
  assert_int_equal(bs_layer(&c, &l, &s, &d), EM_OK);
  assert_int_equal(s.compute_cycles, 1);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  bs_energy e;
  em_status st = bs_layer_energy(&c, &s, t, &e, &d);
  if (st != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(st, EM_OK);
  assert_float_equal(e.sram_pj, 100.0 * 4563402752.0, 1.0);
  cm_energy_table_destroy(t);
}

static void bitserial_fill_follows_dk(void **state) {
  (void)state;
  /* Fill = BISMO's execute-stage latency (github EECS-NTNU/bismo v1.0):
   * 3 BRAM read + 1 broadcast + 6 DPU registers + 2 popcount I/O registers
   * + ceil(log2 c) adder-tree levels over c = ceil(Dk / 36) compressors:
   *   Dk 256:   c = 8 (7.1 up),            3 levels, 15;
   *   Dk 64:    c = 2 (1.8 up),            1 level,  13;
   *   Dk 255:   c = 8 (7.08 up),           3 levels, 15;
   *   Dk 257:   c = 8 (7.14 up),           3 levels, 15;
   *   Dk 288:   c = 8 (exactly),           3 levels, 15;
   *   Dk 289:   c = 9 (8.03 up),           4 levels, 16;
   *   Dk 36:    c = 1,                     0 levels, 12;
   *   Dk 1:     c = 1,                     0 levels, 12;
   *   Dk 65536: c = 1821 (36 x 1820 = 65520, 16 over; 1024 < 1821 <= 2048),
   *             11 levels, 23.
   * (Our earlier assumption, 1 fetch + 1 AND + ceil(log2 Dk) + 1, gave 11
   * at 256.) */
  assert_int_equal(bs_fill_cycles(256), 15);
  assert_int_equal(bs_fill_cycles(64), 13);
  assert_int_equal(bs_fill_cycles(255), 15);
  assert_int_equal(bs_fill_cycles(257), 15);
  assert_int_equal(bs_fill_cycles(288), 15);
  assert_int_equal(bs_fill_cycles(289), 16);
  assert_int_equal(bs_fill_cycles(36), 12);
  assert_int_equal(bs_fill_cycles(1), 12);
  assert_int_equal(bs_fill_cycles(65536), 23);
  /* Through the model table, dk=64: FC 256 -> 64 at 8:8, batch 1, on
   * 8 x 64 x 8: 1 x 8 tiles x 4 slices x 64 plane pairs = 2048 execute
   * cycles (256 a tile, over Dm = 8: results hide) + 13 fill a tile (Dk 64:
   * 2 compressors, 1 tree level, 12 + 1), 8 x 13 = 104: 2152. */
  cm_energy_table *t;
  em_diag d;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  const char *sets[] = {"dk=64"};
  hw_point *p;
  assert_int_equal(hw_point_create(hw_model_find("bitserial"), NULL, sets, 1, t, &p, &d), EM_OK);
  wl_layer l = wl_fc("fc", 256, 64);
  l.w = l.a = (wl_prec){8, false};
  hw_result r;
  assert_int_equal(hw_point_run(p, &l, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 2048 + 8 * 13);
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

/* The default bit-serial design point (BISMO 8 x 256 x 8) on the default
 * energy table, *t set; and one sparse case of it in CSR (the array skips
 * all-zero K slices whatever the format), asserted to run. */
static hw_point *bitserial_point(cm_energy_table **t) {
  em_diag d;
  hw_point *p;
  assert_int_equal(cm_energy_table_default(t, &d), EM_OK);
  assert_int_equal(hw_point_create(hw_model_find("bitserial"), NULL, NULL, 0, *t, &p, &d), EM_OK);
  return p;
}

static void bitserial_csr(hw_point *p, const wl_layer *l, const uint8_t *nz, hw_result *r) {
  hw_sparse_case c = {.layer = l, .nz = nz};
  assert_true(cm_sparse_spec_parse("csr", &c.fmt));
  hw_sparse_info x;
  em_diag d;
  em_status st = hw_point_sparse(p, &c, r, &x, &d);
  if (st != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(st, EM_OK);
}

static void bitserial_sparse_refetch(void **state) {
  (void)state;
  /* A skipped K slice is not fetched, however often B is fetched.  GEMM
   * M 16, N 8, K 131072 at 4:4 on BISMO 8 x 256 x 8 (256 KiB = 2^21 bits a
   * side): 2 row tiles x 1 column tile, 512 slices, 16 plane pairs.
   * A row tile is 8 x 131072 x 4 = 2^22 bits and all of B 8 x 131072 x 4 =
   * 2^22 bits: neither fits, so A is read once per column tile (1): 2 x 2^22,
   * and B once per row tile: 2 x 2^22 bits, 8388608 each.
   * W's first 65536 columns non-zero, the rest zero: 256 of the 512 slices
   * live, so B's two fetches bring half: 4194304 bits, + 512 slice flags.
   * DRAM reads 8388608 + 4194304 + 512 = 12583424 bits, writes 16 x 8 x 32
   * = 4096: 12587520 / 64 = 196680 accesses x 1300 pJ = 255684000 pJ.
   * (Only one of B's two fetches was cut: 14680576 bits read.)
   * Cycles: 2 tiles x 256 live slices x 16 = 8192, + 15 fill (Dk 256) for
   * each of the 2 tiles: 8222.
   * SRAM: 8192 cycles x 16 buffers x 256 bits at 32 KiB (20 pJ per 64):
   * 8192 x 1280 = 10485760 pJ; result reads 2 x 64 x 32 = 4096 bits, writes
   * 8388608 + 4194304 + 4096 = 12587008: 12591104 / 64 = 196736 x 20 =
   * 3934720 pJ; in all 14420480 pJ. */
  enum { M = 16, N = 8, K = 131072 };
  cm_energy_table *t;
  hw_point *p = bitserial_point(&t);
  wl_layer l = wl_gemm("g", M, N, K);
  l.w = l.a = (wl_prec){4, false};
  uint8_t *nz = calloc((size_t)N * K, 1);
  assert_non_null(nz);
  for (size_t row = 0; row < N; row++) memset(nz + row * K, 1, K / 2);
  hw_result r;
  bitserial_csr(p, &l, nz, &r);
  assert_int_equal(r.cycles, 8192 + 2 * 15);
  assert_float_equal(r.energy_pj[HW_E_DRAM], 255684000.0, 1e-3);
  assert_float_equal(r.energy_pj[HW_E_SRAM], 14420480.0, 1e-3);
  free(nz);
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

static void bitserial_sparse_empty_tile(void **state) {
  (void)state;
  /* Every output tile drains the pipeline, skipped slices or not, and a
   * tile with no live slice still runs one cycle (a run of one address
   * carries its accumulator clear and result write; BISMO's ExecAddrGen
   * emits no address, so no done, for a run of 0 slices).  GEMM M 16, N 16,
   * K 512 at 4:4 on 8 x 256 x 8: 2 row x 2 column tiles, 2 slices, 16 plane
   * pairs; dense 4 x (2 x 16 + 15) = 188.  Weights: filters 0..7 (column
   * tile 0) non-zero in K 0..255 only, filters 8..15 all zero: column tile
   * 0 runs 1 slice, 16 + 15 = 31 a row tile; column tile 1 none, 1 + 15 =
   * 16; 2 row tiles x (31 + 16) = 94.  All zero: 4 x 16 = 64. */
  enum { M = 16, N = 16, K = 512 };
  cm_energy_table *t;
  hw_point *p = bitserial_point(&t);
  wl_layer l = wl_gemm("g", M, N, K);
  l.w = l.a = (wl_prec){4, false};
  hw_result r;
  em_diag d;
  assert_int_equal(hw_point_run(p, &l, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 188);
  uint8_t *nz = calloc((size_t)N * K, 1);
  assert_non_null(nz);
  for (size_t row = 0; row < 8; row++) memset(nz + row * K, 1, 256);
  bitserial_csr(p, &l, nz, &r);
  assert_int_equal(r.cycles, 94);
  memset(nz, 0, (size_t)N * K);
  bitserial_csr(p, &l, nz, &r);
  assert_int_equal(r.cycles, 64);
  free(nz);
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

static void finn_three_layer_mlp(void **state) {
  (void)state;
  /* A binary MLP 784-256-256-10 (FINN's SFC shape, three weight layers
   * after the input) on PE 16 x SIMD 16, one image:
   *   fc1: (256/16) * (784/16) = 16 * 49 = 784 cycles
   *   fc2: (256/16) * (256/16) = 16 * 16 = 256
   *   fc3: ceil(10/16) * (256/16) = 1 * 16 = 16
   * 1,056 cycles in all; with 2-bit activations every layer takes 2 passes. */
  xnor_config c = {16, 16, 200, 2452.5, 12.8};
  wl_layer l[3] = {wl_fc("fc1", 784, 256), wl_fc("fc2", 256, 256), wl_fc("fc3", 256, 10)};
  const uint64_t want[3] = {784, 256, 16};
  uint64_t total = 0;
  em_diag d;
  for (int i = 0; i < 3; i++) {
    l[i].w = l[i].a = (wl_prec){1, false};
    xnor_stats s;
    assert_int_equal(xnor_layer(&c, &l[i], &s, &d), EM_OK);
    assert_int_equal(s.cycles, want[i]);
    total += s.cycles;
    l[i].a.bits = 2;
    assert_int_equal(xnor_layer(&c, &l[i], &s, &d), EM_OK);
    assert_int_equal(s.cycles, 2 * want[i]);
  }
  assert_int_equal(total, 1056);
  /* Memory of fc1 (1-bit weights and activations, one vector): the weights,
   * 256 x 784 = 200704 bits, come from DRAM once and are read from the
   * weight memory once per vector (784 cycles x 16 x 16 = 200704 bits); the
   * input is 784 bits, the output 256.  DRAM energy: (200704 + 784 + 256) /
   * 64 = 3152.25 accesses x 1300 pJ = 4097925 pJ. */
  l[0].a.bits = 1;
  xnor_stats s0;
  assert_int_equal(xnor_layer(&c, &l[0], &s0, &d), EM_OK);
  assert_int_equal(s0.weight_bits, 200704);
  assert_int_equal(s0.weight_sram_read_bits, 200704);
  assert_int_equal(s0.dram_read_bits, 200704 + 784);
  assert_int_equal(s0.dram_write_bits, 256);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  xnor_energy e;
  assert_int_equal(xnor_layer_energy(&c, &s0, t, &e, &d), EM_OK);
  assert_float_equal(e.dram_pj, 4097925.0, 1e-6);
  cm_energy_table_destroy(t);
  /* Multi-bit weights: refused with the layer's name. */
  l[0].w.bits = 4;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &l[0], &s, &d), EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "layer 'fc1'"));
  assert_non_null(strstr(d.msg, "binary weights"));
}

/* A convolution's input through FINN's sliding-window unit (finn-hlslib
 * ConvolutionInputGenerator): read from DRAM once, written into a buffer of
 * K + S rows, the im2col rows read from that buffer.  AlexNet CONV-1 at
 * 1:1 on PE 32 x SIMD 32: 227 x 227 x 3, 96 filters 11 x 11, stride 4, no
 * padding; out 55 x 55 = 3025 vectors, K = 11 x 11 x 3 = 363.
 *   DRAM input:  227 x 227 x 3 = 154,587 bits (the im2col matrix the model
 *                counted before: 3025 x 363 = 1,098,075, 7.1x as many)
 *   weights:     96 x 363 = 34,848 bits, fit the 2452.5 KiB memory
 *   SWU buffer:  (11 + 4) rows x 227 x 3 = 10,215 bits (1,277 bytes)
 *   SWU traffic: writes 154,587, reads 1,098,075 bits
 *   DRAM pJ: (154,587 + 34,848 + 3025 x 96 = 290,400) / 64 x 1300
 *          = 479,835 / 64 x 1300 = 9,746,648.4375 (28,911,248.4 before)
 *   SRAM pJ: weights: 3 x 12 x 3025 = 108,900 cycles x 32 PEs x 32 bits at
 *            4356 B (under Horowitz's smallest row, 8 KB: 10 pJ / 64 bits)
 *            = 3,484,800 x 5 pJ = 17,424,000; their load written into the
 *            weight memory, the words one vector reads: 3 x 12 x 32 PEs =
 *            1152 writes of 32 bits (36,864 bits, the 34,848 weights in
 *            folds of 32 x 32) x 5 pJ = 5,760; SWU at 1277 B (same row):
 *            (154,587 + 1,098,075) / 64 x 10 = 195,728.4375 */
static void xnor_conv_sliding_window(void **state) {
  (void)state;
  xnor_config c = {32, 32, 200, 2452.5, 12.8};
  wl_layer l = wl_layer_make(WL_CONV, "CONV-1");
  l.in_h = l.in_w = 227;
  l.in_c = 3;
  l.k_h = l.k_w = 11;
  l.out_c = 96;
  l.stride_h = l.stride_w = 4;
  l.w = l.a = (wl_prec){1, false};
  em_diag d;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &l, &s, &d), EM_OK);
  assert_int_equal(s.vectors, 3025);
  assert_int_equal(s.cycles, 108900);
  assert_int_equal(s.input_dram_bits, 154587);
  assert_int_equal(s.weight_dram_bits, 34848);
  assert_int_equal(s.dram_read_bits, 154587 + 34848);
  assert_int_equal(s.dram_write_bits, 290400);
  assert_false(s.weights_streamed);
  assert_int_equal(s.mem.weight_mem_bits, 34848);
  assert_int_equal(s.mem.swu_buffer_bits, 10215);
  assert_int_equal(s.swu_write_bits, 154587);
  assert_int_equal(s.swu_read_bits, 1098075);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  xnor_energy e;
  assert_int_equal(xnor_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_float_equal(e.dram_pj, 9746648.4375, 1e-6);
  assert_int_equal(s.weight_sram_write_bits, 36864);
  assert_float_equal(e.sram_pj, 17424000.0 + 5760.0 + 195728.4375, 1e-6);
  /* A 1 x 1 kernel has no buffer (ConvolutionInputGenerator_kernel1 reads
   * the map and forwards the pixels on the stride's grid): 13 x 13 x 256
   * bits in, no SWU traffic. */
  wl_layer p = wl_layer_make(WL_CONV, "pw");
  p.in_h = p.in_w = 13;
  p.in_c = 256;
  p.k_h = p.k_w = 1;
  p.out_c = 64;
  p.w = p.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &p, &s, &d), EM_OK);
  assert_int_equal(s.input_dram_bits, 13 * 13 * 256);
  assert_int_equal(s.mem.swu_buffer_bits, 0);
  assert_int_equal(s.swu_read_bits, 0);
  cm_energy_table_destroy(t);
}

/* Weights above the on-chip capacity stream from DRAM at every use (FINN's
 * external mem_mode).  AlexNet FC-1, 9216 -> 4096 at 1:2 on PE 32 x SIMD
 * 32: 9216 x 4096 = 37,748,736 bits = 4608 KiB > 2452.5 KiB, so no weight
 * memory and no weight reads from it; 2 activation planes = 2 passes, the
 * weights streamed twice: 75,497,472 bits, plus the input 9216 x 2 =
 * 18,432.  FC-2 (4096 x 4096 = 16,777,216 bits = 2048 KiB) fits.  A
 * 10^6 x 10^5 FC (10^11 bits, 12.5 GB) streams too: no SRAM, where it had
 * one of 12.5 GB (3e18 pJ of leakage). */
static void xnor_weights_stream_above_capacity(void **state) {
  (void)state;
  xnor_config c = {32, 32, 200, 2452.5, 12.8};
  wl_layer fc1 = wl_fc("FC-1", 9216, 4096);
  fc1.w = (wl_prec){1, false};
  fc1.a = (wl_prec){2, false};
  em_diag d;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &fc1, &s, &d), EM_OK);
  assert_true(s.weights_streamed);
  assert_int_equal(s.mem.weight_mem_bits, 0);
  assert_int_equal(s.weight_sram_read_bits, 0);
  assert_int_equal(s.weight_dram_bits, 75497472);
  assert_int_equal(s.dram_read_bits, 75497472 + 18432);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  xnor_energy e;
  assert_int_equal(xnor_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_float_equal(e.sram_pj, 0.0, 0.0);
  wl_layer fc2 = wl_fc("FC-2", 4096, 4096);
  fc2.w = fc2.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &fc2, &s, &d), EM_OK);
  assert_false(s.weights_streamed);
  assert_int_equal(s.mem.weight_mem_bits, 16777216);
  /* 0 KiB: everything streams */
  xnor_config none = {32, 32, 200, 0, 12.8};
  assert_int_equal(xnor_layer(&none, &fc2, &s, &d), EM_OK);
  assert_true(s.weights_streamed);
  wl_layer big = wl_fc("big", 100000, 1000000);
  big.w = big.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &big, &s, &d), EM_OK);
  assert_true(s.weights_streamed);
  assert_int_equal(s.weight_dram_bits, 100000000000ull);
  /* the model table's point (default weight_kib) agrees: the logic alone,
   * 32 x 238.6 um^2 / 0.5 = 0.0153 mm^2, no SRAM */
  hw_point *p;
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, NULL, 0, t, &p, &d), EM_OK);
  hw_area a;
  hw_point_area(p, &big, &a);
  assert_float_equal(a.sram_mm2, 0.0, 0.0);
  assert_true(a.total_mm2 > 0.015 && a.total_mm2 < 0.016);
  hw_point_area(p, &fc2, &a); /* 2048 KiB: CACTI's 2 MB row, 7.02196 mm^2 */
  assert_float_equal(a.sram_mm2, 7.02196, 1e-5);
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
  /* a capacity out of range is refused by name */
  xnor_config bad = {32, 32, 200, -1, 12.8};
  assert_int_equal(xnor_config_validate(&bad, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "'weight_kib'"));
}

/* The DRAM bandwidth bounds a layer: cycles = max(compute, DRAM bits at
 * dram_gbps), the transfers double-buffered under the compute.  By hand,
 * 12.8 GB/s (the ZC706's 64-bit DDR3-1600 SODIMM) at 200 MHz moves
 * 12.8e9 x 8 / 200e6 = 512 bits a cycle; a 32 x 32 MVAU whose weights
 * stream takes PE x SIMD = 1024 weight bits a cycle (25.6 GB/s).
 *   FC-1 9216 -> 4096 at 1:1 (above weight_kib: 37,748,736 bits >
 *   2452.5 x 8192 = 20,090,880): weights streamed once (1 vector, 1 pass)
 *   37,748,736 + input 9216 + output 4096 = 37,762,048 bits;
 *   / 512 = 73,754 cycles (512 x 73,754 = 37,762,048), over the compute's
 *   (4096/32) x (9216/32) = 128 x 288 = 36,864: 368.77 us, not 184.32.
 *   At 1:2 both passes stream the weights: 2 x 37,748,736 + 2 x 9216 +
 *   2 x 4096 = 75,524,096 bits / 512 = 147,508 over 73,728.
 *   At 25.6 GB/s (1024 bits a cycle) the weights keep up and the input and
 *   output add 13,312 / 1024 = 13: 37,762,048 / 1024 = 36,877 cycles.
 *   At 100000 GB/s (4e6 bits a cycle) ceil(37,762,048 / 4e6) = 10 cycles:
 *   compute-bound, 36,864.
 *   CONV-1 (weights on chip, 3025 vectors): 154,587 + 34,848 + 290,400 =
 *   479,835 bits / 512 = 937.2 -> 938 cycles, far under its 108,900: the
 *   FINN figure stands.
 *   FC-2 4096 -> 4096 fits (2048 KiB) but one vector cannot hide its
 *   weights' load: 16,777,216 + 4096 + 4096 = 16,785,408 / 512 = 32,784
 *   over 128 x 128 = 16,384.
 * The energy of the events does not change with the bandwidth (the PEs
 * work in compute cycles only); the leakage, leakage_mw x time, does:
 * FC-1's static energy x 73,754 / 36,864. */
static void xnor_dram_bandwidth(void **state) {
  (void)state;
  xnor_config c = {32, 32, 200, 2452.5, 12.8};
  wl_layer fc1 = wl_fc("FC-1", 9216, 4096);
  fc1.w = fc1.a = (wl_prec){1, false};
  em_diag d;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &fc1, &s, &d), EM_OK);
  assert_true(s.weights_streamed);
  assert_int_equal(s.dram_read_bits + s.dram_write_bits, 37762048);
  assert_int_equal(s.compute_cycles, 36864);
  assert_int_equal(s.dram_cycles, 73754);
  assert_int_equal(s.cycles, 73754);
  assert_float_equal(s.utilization_pct, 100.0 * 36864 / 73754, 1e-9);
  fc1.a.bits = 2;
  assert_int_equal(xnor_layer(&c, &fc1, &s, &d), EM_OK);
  assert_int_equal(s.compute_cycles, 73728);
  assert_int_equal(s.cycles, 147508);
  fc1.a.bits = 1;
  xnor_config fast = c;
  fast.dram_gbps = 25.6;
  assert_int_equal(xnor_layer(&fast, &fc1, &s, &d), EM_OK);
  assert_int_equal(s.cycles, 36877);
  fast.dram_gbps = 1e5;
  xnor_stats sf;
  assert_int_equal(xnor_layer(&fast, &fc1, &sf, &d), EM_OK);
  assert_int_equal(sf.dram_cycles, 10);
  assert_int_equal(sf.cycles, 36864);
  /* the events' energy is the bandwidth's to time, not to charge */
  assert_int_equal(xnor_layer(&c, &fc1, &s, &d), EM_OK);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  xnor_energy e, ef;
  assert_int_equal(xnor_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_int_equal(xnor_layer_energy(&fast, &sf, t, &ef, &d), EM_OK);
  assert_true(e.compute_pj == ef.compute_pj && e.sram_pj == ef.sram_pj &&
              e.dram_pj == ef.dram_pj);
  /* on chip and many vectors: compute-bound, the FINN figure */
  wl_layer cv = wl_layer_make(WL_CONV, "CONV-1");
  cv.in_h = cv.in_w = 227;
  cv.in_c = 3;
  cv.k_h = cv.k_w = 11;
  cv.out_c = 96;
  cv.stride_h = cv.stride_w = 4;
  cv.w = cv.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &cv, &s, &d), EM_OK);
  assert_false(s.weights_streamed);
  assert_int_equal(s.dram_cycles, 938);
  assert_int_equal(s.compute_cycles, 108900);
  assert_int_equal(s.cycles, 108900);
  /* on chip, one vector: bound by the weights' load */
  wl_layer fc2 = wl_fc("FC-2", 4096, 4096);
  fc2.w = fc2.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &fc2, &s, &d), EM_OK);
  assert_false(s.weights_streamed);
  assert_int_equal(s.compute_cycles, 16384);
  assert_int_equal(s.cycles, 32784);
  /* through the model table: the key's default is 12.8, and the leakage
   * follows the time (the area, FC-1's logic alone, is the same) */
  hw_point *p, *pf;
  const char *huge[] = {"dram_gbps=100000"};
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, NULL, 0, t, &p, &d), EM_OK);
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, huge, 1, t, &pf, &d), EM_OK);
  hw_result r, rf;
  assert_int_equal(hw_point_run(p, &fc1, &r, NULL, &d), EM_OK);
  assert_int_equal(hw_point_run(pf, &fc1, &rf, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 73754);
  assert_int_equal(rf.cycles, 36864);
  assert_true(rf.energy_pj[HW_E_STATIC] > 0);
  assert_float_equal(r.energy_pj[HW_E_STATIC] / rf.energy_pj[HW_E_STATIC], 73754.0 / 36864.0,
                     1e-12);
  assert_true(r.energy_pj[HW_E_DRAM] == rf.energy_pj[HW_E_DRAM]);
  hw_point_destroy(pf);
  /* a bandwidth of 0 is refused by name, by the table and the model */
  const char *zero[] = {"dram_gbps=0"};
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, zero, 1, t, &pf, &d),
                   EM_ERR_RANGE);
  assert_string_equal(d.msg, "'dram_gbps' must be a number in [0.001, 100000], got '0'");
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
  xnor_config bad = c;
  bad.dram_gbps = 0;
  assert_int_equal(xnor_config_validate(&bad, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "'dram_gbps'"));
  assert_int_equal(xnor_layer(&bad, &fc1, &s, &d), EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "'dram_gbps'"));
}

/* Weights on chip are loaded from DRAM once and written into the weight
 * memory: the words the PEs then read, SIMD bits per PE and fold, each
 * written once, at the table's SRAM write energy at the memory's capacity
 * (they were read from an SRAM nothing wrote).  AlexNet FC-2, 4096 ->
 * 4096 at 1:1 on PE 32 x SIMD 32: 16,777,216 bits = 2,097,152 B fit the
 * 2452.5 KiB and sit above Horowitz's largest SRAM row (1 MB, 100 pJ / 64
 * bits both ways: 50 pJ for 32 bits).
 *   writes: (4096/32) x (4096/32) x 32 PEs = 524,288 of 32 bits
 *           (16,777,216 bits: the weights, no fold padding)
 *           x 50 pJ = 26,214,400 pJ (262,144 64-bit writes x 100 pJ)
 *   reads:  128 x 128 = 16,384 cycles x 32 PEs = 524,288 x 50 pJ
 *           = 26,214,400 pJ
 *   SRAM:   52,428,800 pJ (26,214,400 before, reads alone); 4,194,304 B
 * With 2-bit activations the reads double (2 passes), the load does not:
 * 78,643,200 pJ.  FC-3, 4096 -> 1000: ceil(1000/32) = 32 x 128 x 32 =
 * 131,072 writes, 4,194,304 bits (4,096,000 weights in folds of 32 x 32).
 * Streamed weights (FC-1) are written nowhere. */
static void xnor_weight_load_writes(void **state) {
  (void)state;
  xnor_config c = {32, 32, 200, 2452.5, 12.8};
  wl_layer fc2 = wl_fc("FC-2", 4096, 4096);
  fc2.w = fc2.a = (wl_prec){1, false};
  em_diag d;
  xnor_stats s;
  assert_int_equal(xnor_layer(&c, &fc2, &s, &d), EM_OK);
  assert_false(s.weights_streamed);
  assert_int_equal(s.weight_sram_write_bits, 16777216);
  assert_int_equal(s.weight_sram_read_bits, 16777216);
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  cm_energy_value w;
  assert_int_equal(cm_energy_mem(t, CM_OP_SRAM_WRITE, 2097152, 32, &w, &d), EM_OK);
  assert_float_equal(w.energy_pj, 50.0, 1e-12);
  xnor_energy e;
  assert_int_equal(xnor_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_float_equal(e.sram_pj, 524288 * 50.0 + 524288 * 50.0, 1e-6);
  /* the same through the model table (emlsim xnor's path) */
  hw_point *p;
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, NULL, 0, t, &p, &d), EM_OK);
  hw_result r;
  assert_int_equal(hw_point_run(p, &fc2, &r, NULL, &d), EM_OK);
  assert_float_equal(r.energy_pj[HW_E_SRAM], 52428800.0, 1e-6);
  assert_int_equal(r.sram_bytes, 2 * 2097152);
  /* two activation planes: the reads twice, the load once */
  fc2.a.bits = 2;
  assert_int_equal(xnor_layer(&c, &fc2, &s, &d), EM_OK);
  assert_int_equal(s.weight_sram_write_bits, 16777216);
  assert_int_equal(xnor_layer_energy(&c, &s, t, &e, &d), EM_OK);
  assert_float_equal(e.sram_pj, 2 * 26214400.0 + 26214400.0, 1e-6);
  wl_layer fc3 = wl_fc("FC-3", 4096, 1000);
  fc3.w = fc3.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &fc3, &s, &d), EM_OK);
  assert_int_equal(s.weight_sram_write_bits, 32ull * 128 * 32 * 32);
  wl_layer fc1 = wl_fc("FC-1", 9216, 4096);
  fc1.w = fc1.a = (wl_prec){1, false};
  assert_int_equal(xnor_layer(&c, &fc1, &s, &d), EM_OK);
  assert_true(s.weights_streamed);
  assert_int_equal(s.weight_sram_write_bits, 0);
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

/* Channel pruning on the XNOR unit is the layer with the kept filters
 * (README, "Sparse execution"), so the break-even sweep's point
 * (hw_point_sparse, the case be_run builds: the layer's GEMM and the
 * workload's layer as its shape) equals `emlsim xnor` on that layer
 * (hw_point_run) figure for figure: cycles, every energy component, the
 * total.  Every other filter pruned (s = 0.5):
 * - AlexNet FC-1, 9216 -> 4096, kept 2048: 2048 x 9216 = 18,874,368 bits
 *   = 2,304 KiB now fit the 2452.5 KiB weight memory (the dense 4,608 KiB
 *   stream).  Compute 64 x 288 = 18,432 cycles; DRAM 18,874,368 + 9216 in
 *   + 2048 out = 18,885,632 bits / 512 a cycle = 36,886 cycles; DRAM pJ
 *   18,885,632 / 64 x 1300 = 383,614,400; SRAM (above 1 MB: 50 pJ a 32-bit
 *   access) reads 18,432 x 32 = 589,824 and load writes 64 x 288 x 32 =
 *   589,824: 2 x 29,491,200 = 58,982,400.  Static: the 2,304 KiB SRAM and
 *   the logic (1172.17 mW) over 184.43 us = 216,182,113.7 pJ, where the
 *   sweep charged the dense layer's silicon, the logic alone, 0.206 mW:
 *   37,992 pJ (its point was 413,314,641.0 pJ, `emlsim xnor`'s
 *   629,458,762.7 before the load's writes, 658,949,962.7 with them).
 * - AlexNet CONV-3 (13 x 13 x 256, pad 1, 3 x 3, 384 filters), kept 192:
 *   6 x 72 x 169 = 73,008 cycles; static 10,810,421.1 pJ, the 192
 *   filters' 55,296 B SRAM, its SWU buffer and the logic over 365.04 us,
 *   where the sweep charged the dense 110,592 B SRAM's: 20.65 uJ. */
static void xnor_channel_point_is_the_pruned_layer(void **state) {
  (void)state;
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  hw_point *p;
  assert_int_equal(hw_point_create(hw_model_find("xnor"), NULL, NULL, 0, t, &p, &d), EM_OK);
  wl_layer fc1 = wl_fc("FC-1", 9216, 4096);
  wl_layer cv3 = wl_layer_make(WL_CONV, "CONV-3");
  cv3.in_h = cv3.in_w = 13;
  cv3.pad_h = cv3.pad_w = 1;
  cv3.in_c = 256;
  cv3.k_h = cv3.k_w = 3;
  cv3.out_c = 384;
  wl_layer *shapes[2] = {&fc1, &cv3};
  const uint64_t want_cycles[2] = {36886, 73008};
  const double want_static[2] = {216182113.7, 10810421.1};
  for (int i = 0; i < 2; i++) {
    wl_layer *sh = shapes[i];
    sh->w = sh->a = (wl_prec){1, false};
    wl_gemm_view v = wl_layer_gemm_view(sh);
    wl_layer g = wl_gemm(sh->name, v.m, v.n, v.k);
    g.w = g.a = sh->w;
    uint8_t *nz = malloc(v.n * v.k);
    assert_non_null(nz);
    for (uint64_t row = 0; row < v.n; row++) memset(nz + row * v.k, row % 2 == 0, v.k);
    hw_sparse_case sc = {.layer = &g, .shape = sh, .nz = nz};
    assert_true(cm_sparse_spec_parse("channel", &sc.fmt));
    hw_result rs, rp;
    hw_sparse_info x;
    assert_int_equal(hw_point_sparse(p, &sc, &rs, &x, &d), EM_OK);
    wl_layer pruned = *sh; /* `emlsim xnor` on the kept filters */
    pruned.out_c = v.n / 2;
    assert_int_equal(hw_point_run(p, &pruned, &rp, NULL, &d), EM_OK);
    assert_int_equal(rs.cycles, want_cycles[i]);
    assert_int_equal(rp.cycles, want_cycles[i]);
    for (int k = 0; k < HW_E_COUNT; k++) assert_true(rs.energy_pj[k] == rp.energy_pj[k]);
    assert_true(rs.energy_total_pj == rp.energy_total_pj);
    assert_float_equal(rs.energy_pj[HW_E_STATIC], want_static[i], 0.05);
    if (i == 0) {
      assert_float_equal(rs.energy_pj[HW_E_DRAM], 383614400.0, 1e-6);
      assert_float_equal(rs.energy_pj[HW_E_SRAM], 58982400.0, 1e-6);
    }
    free(nz);
  }
  hw_point_destroy(p);
  cm_energy_table_destroy(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bismo_peak),
      cmocka_unit_test(bitserial_cycles_by_hand),
      cmocka_unit_test(bitserial_widest_slice),
      cmocka_unit_test(bitserial_fill_follows_dk),
      cmocka_unit_test(bitserial_sparse_refetch),
      cmocka_unit_test(bitserial_sparse_empty_tile),
      cmocka_unit_test(finn_three_layer_mlp),
      cmocka_unit_test(xnor_conv_sliding_window),
      cmocka_unit_test(xnor_weights_stream_above_capacity),
      cmocka_unit_test(xnor_dram_bandwidth),
      cmocka_unit_test(xnor_weight_load_writes),
      cmocka_unit_test(xnor_channel_point_is_the_pruned_layer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
