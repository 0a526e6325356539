/*
 * test_hw_model.c - the hardware-model table: each model's figures through
 * it by hand, settings and model files, refusals with their reasons, and
 * mixed-precision layers costed at their own widths.
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
#include <unistd.h>

#include "bs_array.h"
#include "cm_energy.h"
#include "cm_sparse.h"
#include "hw_model.h"
#include "simt_energy.h"
#include "simt_gen_wmma.h"
#include "xnor_array.h"

static cm_energy_table *et;

static int setup(void **state) {
  (void)state;
  em_diag d;
  return cm_energy_table_default(&et, &d) == EM_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  cm_energy_table_destroy(et);
  return 0;
}

static hw_point *point(const char *model, const char *file, const char *const *sets, size_t n) {
  hw_point *p = NULL;
  em_diag d;
  em_status st = hw_point_create(hw_model_find(model), file, sets, n, et, &p, &d);
  if (st != EM_OK) fail_msg("%s", d.msg);
  return p;
}

/* The DRAM bandwidth each point holds its layers to (hw_point_dram_gbps),
 * by hand: the systolic array at CALC none (0), with USER 10 words of 1 byte
 * a cycle at 1000 MHz = 10 GB/s, and 2-byte words at 500 MHz the same;
 * BISMO none; FINN its ZC706 DDR3, 64 bits x 1600 MT/s = 12.8 GB/s; the
 * volta GPU its TITAN V peak, 448.8 B a core cycle x 1455 MHz = 653.0
 * GB/s (652.8 published); the closed-form model no clock (NAN). */
static void dram_bandwidth(void **state) {
  (void)state;
  static const struct {
    const char *model, *sets[3];
    size_t n;
    double gbps;
  } c[] = {{"systolic", {NULL}, 0, 0},
           {"systolic", {"bandwidth_mode=user", "bandwidth=10"}, 2, 10},
           {"systolic", {"bandwidth_mode=user", "word_bytes=2", "freq_mhz=500"}, 3, 10},
           {"bitserial", {NULL}, 0, 0},
           {"xnor", {NULL}, 0, 12.8},
           {"simt", {"gpu=volta"}, 1, 653.0}};
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    hw_point *p = point(c[i].model, NULL, c[i].n ? c[i].sets : NULL, c[i].n);
    double g = hw_point_dram_gbps(p);
    printf("  %s: %.4g GB/s\n", c[i].model, g);
    assert_true(fabs(g - c[i].gbps) <= 0.05);
    hw_point_destroy(p);
  }
  hw_point *p = point("analytic", NULL, NULL, 0);
  assert_true(isnan(hw_point_dram_gbps(p)));
  hw_point_destroy(p);
}

/* Where a key changes nothing (hw_point_key_idle), on every model: each
 * key's applies conditions set by hand (KEY=VALUE, from the key table) make
 * it change something, and the model answers for every key they name; the
 * systolic array's bandwidth by hand: SCALE-Sim's CALC interface has no
 * DRAM limit and the closed form no stalls, so 'bandwidth' needs USER and
 * a simulated walk. */
static void key_idle_follows_point(void **state) {
  (void)state;
  char buf[160];
  for (const hw_model *const *m = hw_models(); *m; m++)
    for (size_t k = 0; k < (*m)->nkeys; k++) {
      const char *a = (*m)->keys[k].applies;
      if (!a || strcmp(a, "sparse") == 0) continue;
      char text[256], *sets[8], *save = NULL;
      size_t n = 0;
      snprintf(text, sizeof text, "%s", a);
      for (char *c = strtok_r(text, ",", &save); c && n < 8; c = strtok_r(NULL, ",", &save))
        sets[n++] = c;
      hw_point *p = point((*m)->name, NULL, (const char *const *)sets, n);
      assert_null(hw_point_key_idle(p, (*m)->keys[k].name, buf, sizeof buf));
      hw_point_destroy(p);
    }
  hw_point *p = point("systolic", NULL, NULL, 0); /* CALC, simulate */
  assert_string_equal(hw_point_key_idle(p, "bandwidth", buf, sizeof buf),
                      "bandwidth_mode = user");
  assert_null(hw_point_key_idle(p, "rows", buf, sizeof buf)); /* no condition */
  hw_point_destroy(p);
  const char *const closed[] = {"bandwidth_mode=user", "mode=closed"};
  p = point("systolic", NULL, closed, 2);
  assert_string_equal(hw_point_key_idle(p, "bandwidth", buf, sizeof buf), "mode = simulate");
  hw_point_destroy(p);
  /* a SCALE-Sim .cfg's USER interface counts as the setting would */
  char path[] = "/tmp/emlsim_hw_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  static const char cfg[] = "[run_presets]\nInterfaceBandwidth: USER\n";
  assert_int_equal(write(fd, cfg, sizeof cfg - 1), (ssize_t)(sizeof cfg - 1));
  close(fd);
  p = point("systolic", path, NULL, 0);
  assert_null(hw_point_key_idle(p, "bandwidth", buf, sizeof buf));
  hw_point_destroy(p);
  unlink(path);
}

static wl_layer at(wl_layer l, unsigned wb, unsigned ab) {
  l.w = (wl_prec){(uint8_t)wb, false};
  l.a = (wl_prec){(uint8_t)ab, false};
  return l;
}

static void table_lists_every_model(void **state) {
  (void)state;
  static const char *const names[] = {"analytic", "systolic", "bitserial", "xnor", "simt"};
  for (size_t i = 0; i < 5; i++) assert_non_null(hw_model_find(names[i]));
  assert_null(hw_model_find("tpu"));
  size_t n = 0;
  for (const hw_model *const *m = hw_models(); *m; m++) n++;
  assert_int_equal(n, 5);
}

static void systolic_by_hand(void **state) {
  (void)state;
  /* GEMM 64 x 64 x 64 on an 8 x 8 output-stationary array: ceil(64/8)^2 =
   * 64 folds of K + R + C - 2 = 78 cycles, 64 * 78 - 1 = 4991 (SCALE-Sim's
   * count). A 16 x 8 array: 32 folds of 86, 2751. */
  const char *sets[] = {"rows=8", "cols=8", "dataflow=os"};
  hw_point *p = point("systolic", NULL, sets, 3);
  wl_layer g = at(wl_gemm("g", 64, 64, 64), 8, 8);
  hw_result r;
  em_diag d;
  assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 4991);
  assert_int_equal(r.macs, 64 * 64 * 64);
  assert_true(r.timed);
  assert_float_equal(r.latency_us, 4.991, 1e-12); /* 1000 MHz */
  double sum = 0;
  for (int i = 0; i < HW_E_COUNT; i++) sum += r.energy_pj[i];
  assert_float_equal(r.energy_total_pj, sum, 1e-6);
  assert_true(r.energy_pj[HW_E_COMPUTE] > 0 && r.energy_pj[HW_E_DRAM] > 0);
  hw_point_destroy(p);
  /* a later setting of the same key wins */
  const char *sets2[] = {"rows=8", "cols=8", "rows=16"};
  p = point("systolic", NULL, sets2, 3);
  assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 2751);
  hw_point_destroy(p);
}

static void systolic_cfg_file_then_settings(void **state) {
  (void)state;
  char path[] = "/tmp/emlsim_hw_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  static const char cfg[] = "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\n";
  assert_int_equal(write(fd, cfg, sizeof cfg - 1), (ssize_t)(sizeof cfg - 1));
  close(fd);
  wl_layer g = at(wl_gemm("g", 64, 64, 64), 8, 8);
  hw_result r;
  em_diag d;
  hw_point *p = point("systolic", path, NULL, 0); /* the file's 8 x 8: 4991 */
  assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 4991);
  hw_point_destroy(p);
  const char *sets[] = {"rows=16"}; /* given explicitly: over the file */
  p = point("systolic", path, sets, 1);
  assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_OK);
  assert_int_equal(r.cycles, 2751);
  hw_point_destroy(p);
  unlink(path);
}

static void xnor_by_hand(void **state) {
  (void)state;
  /* FC 256 -> 128, binary weights and activations, PE 32 x SIMD 32:
   * ceil(128/32) x ceil(256/32) x 1 vector x 1 plane = 32 compute cycles;
   * every weight bit an XNOR and a popcount add: 2 x 128 x 256 = 65,536
   * ops.  One vector cannot hide the load of its weights (they fit the
   * weight memory and come from DRAM once): 128 x 256 = 32,768 bits + 256
   * in + 128 out = 33,152 bits at the default 12.8 GB/s, 512 bits a cycle
   * at 200 MHz: 64.75, 65 cycles, the layer's time. */
  hw_point *p = point("xnor", NULL, NULL, 0);
  wl_layer l = at(wl_fc("fc", 256, 128), 1, 1);
  hw_result r;
  xnor_stats s;
  em_diag d;
  assert_int_equal(hw_point_run(p, &l, &r, &s, &d), EM_OK);
  assert_int_equal(s.compute_cycles, 32);
  assert_int_equal(r.cycles, 65);
  assert_float_equal(r.ops, 65536, 0);
  assert_string_equal(r.ops_unit, "binary op");
  assert_float_equal(r.latency_us, 65 / 200.0, 1e-12); /* 200 MHz */
  hw_point_destroy(p);
}

static void bitserial_by_hand(void **state) {
  (void)state;
  /* FC 256 -> 64 at 8:8, batch 1, on BISMO 8 x 256 x 8: ceil(1/8) x
   * ceil(64/8) = 8 tiles, ceil(256/256) = 1 slice, 8 x 8 = 64 plane pairs:
   * 512 execute cycles; the pipeline drains at the end of every tile, so
   * each adds the fill, BISMO's execute latency at Dk 256 (github
   * EECS-NTNU/bismo v1.0), 3 BRAM read + 1 broadcast + 6 DPU registers + 2
   * popcount I/O registers + 3 adder-tree levels over ceil(256 / 36) = 8
   * compressors = 15; a tile's 64 + 15 cycles cover its Dm = 8 result rows
   * (no result stall): 8 x (64 + 15) = 632 in all. */
  hw_point *p = point("bitserial", NULL, NULL, 0);
  wl_layer l = at(wl_fc("fc", 256, 64), 8, 8);
  hw_result r;
  bs_stats s;
  em_diag d;
  assert_int_equal(hw_point_run(p, &l, &r, &s, &d), EM_OK);
  assert_int_equal(s.compute_cycles, 512);
  assert_int_equal(r.cycles, 632);
  hw_point_destroy(p);
}

static void simt_energy_whole(void **state) {
  (void)state;
  /* the table's five-way split of a GPU layer adds up to the GPU model's
   * own total: no component (front end, idle SMs, the board's constant
   * power) is dropped on the way */
  const char *sets[] = {"gpu=volta"};
  hw_point *p = point("simt", NULL, sets, 1);
  wl_layer l = wl_fc("fc", 256, 64);
  l.w = l.a = (wl_prec){32, true};
  hw_result r;
  simt_detail x;
  em_diag d;
  assert_int_equal(hw_point_run(p, &l, &r, &x, &d), EM_OK);
  assert_true(r.energy_total_pj > 0);
  assert_float_equal(r.energy_total_pj, x.energy.total_pj, 1e-9 * x.energy.total_pj);
  hw_point_destroy(p);
}

static void refusals_say_why(void **state) {
  (void)state;
  hw_result r;
  em_diag d;
  wl_layer l = at(wl_fc("fc3", 64, 10), 8, 8);
  hw_point *p = point("xnor", NULL, NULL, 0);
  assert_int_equal(hw_point_run(p, &l, &r, NULL, &d), EM_ERR_UNSUPPORTED);
  assert_non_null(strstr(d.msg, "layer 'fc3'"));
  assert_non_null(strstr(d.msg, "XNOR needs binary (1-bit) weights"));
  hw_point_destroy(p);
  const hw_model *m = hw_model_find("simt");
  assert_non_null(m->refuses((wl_prec){8, false}, (wl_prec){8, false}));
  assert_null(m->refuses((wl_prec){32, true}, (wl_prec){32, true}));
  m = hw_model_find("systolic");
  assert_non_null(m->refuses((wl_prec){32, true}, (wl_prec){32, true}));
  assert_null(m->refuses((wl_prec){4, false}, (wl_prec){4, false}));
}

static void bad_settings(void **state) {
  (void)state;
  hw_point *p = NULL;
  em_diag d;
  const hw_model *m = hw_model_find("systolic");
  const char *zero[] = {"rows=0"};
  assert_int_equal(hw_point_create(m, NULL, zero, 1, et, &p, &d), EM_ERR_RANGE);
  assert_string_equal(d.msg, "'rows' must be an integer in [1, 65536], got '0'");
  const char *typo[] = {"colz=8"};
  assert_int_equal(hw_point_create(m, NULL, typo, 1, et, &p, &d), EM_ERR_NOTFOUND);
  assert_string_equal(d.msg, "'colz' is not a setting of model systolic");
  const char *bare[] = {"rows"};
  assert_int_equal(hw_point_create(m, NULL, bare, 1, et, &p, &d), EM_ERR_INVALID);
  const char *df[] = {"dataflow=xs"};
  assert_int_equal(hw_point_create(m, NULL, df, 1, et, &p, &d), EM_ERR_RANGE);
  assert_string_equal(d.msg, "'dataflow' must be one of os, ws, is, got 'xs'");
  assert_null(p);
}

static void mixed_precision_at_own_widths(void **state) {
  (void)state;
  /* The MLP 784-256-128-10 with int4 inside and int8 ends, as quant runs it:
   * 784*256*8*8 + 256*128*4*4 + 128*10*8*8 = 12,845,056 + 524,288 + 81,920
   * = 13,451,264 BOPS (b_w x b_a per MAC). */
  wl_network *net = wl_network_create("mlp", "test");
  em_diag d;
  wl_layer l1 = at(wl_fc("fc1", 784, 256), 8, 8), l2 = at(wl_fc("fc2", 256, 128), 4, 4),
           l3 = at(wl_fc("fc3", 128, 10), 8, 8);
  assert_int_equal(wl_network_add(net, &l1, &d), EM_OK);
  assert_int_equal(wl_network_add(net, &l2, &d), EM_OK);
  assert_int_equal(wl_network_add(net, &l3, &d), EM_OK);
  static const char *const models[] = {"analytic", "systolic", "bitserial"};
  for (size_t i = 0; i < 3; i++) {
    hw_point *p = point(models[i], NULL, NULL, 0);
    hw_result per[3], tot;
    assert_int_equal(hw_point_run_network(p, net, per, &tot, &d), EM_OK);
    assert_float_equal(tot.bops_mac, 13451264.0, 0);
    assert_int_equal(tot.macs, 784 * 256 + 256 * 128 + 128 * 10);
    /* the 4-bit layer costs less energy per MAC than the 8-bit ones */
    assert_true(per[1].energy_total_pj / (256 * 128) < per[0].energy_total_pj / (784 * 256));
    hw_point_destroy(p);
  }
  wl_network_destroy(net);
}

/* The design point's line from its settings (what the study's report names
 * its designs by): each expectation written from the settings given and the
 * key tables' defaults (systolic 32 x 32, os, 64 kB SRAMs, CALC, 1000 MHz,
 * 1-byte words, packed; BISMO 8 x 256 x 8 at 200 MHz; FINN PE 32, SIMD 32,
 * 200 MHz, 2452.5 KiB, 12.8 GB/s; the volta preset's 80 SMs at 1455 MHz,
 * gpu_volta.cfg's V100). */
static void describe(const char *model, const char *const *sets, size_t n, const char *want) {
  hw_point *p = point(model, NULL, sets, n);
  char buf[128];
  hw_point_describe(p, buf, sizeof buf);
  assert_string_equal(buf, want);
  /* the same through the model and a bare configuration */
  hw_describe(hw_point_model(p), hw_point_config(p), buf, sizeof buf);
  assert_string_equal(buf, want);
  hw_point_destroy(p);
}

static void describe_follows_settings(void **state) {
  (void)state;
  describe("analytic", NULL, 0, "closed form");
  describe("systolic", NULL, 0, "32x32 os, 64 kB SRAMs, CALC bandwidth, 1000 MHz");
  const char *rows[] = {"rows=16"};
  describe("systolic", rows, 1, "16x32 os, 64 kB SRAMs, CALC bandwidth, 1000 MHz");
  const char *sa[] = {"cols=8", "dataflow=ws", "filter_kb=128", "bandwidth_mode=user",
                      "bandwidth=20", "freq_mhz=500"};
  describe("systolic", sa, 6,
           "32x8 ws, ifmap 64, filter 128, ofmap 64 kB SRAMs, USER 20 words/cycle, 500 MHz");
  const char *sa2[] = {"ifmap_kb=32", "filter_kb=32", "ofmap_kb=32", "word_bytes=2",
                       "pack=false", "mode=closed"};
  describe("systolic", sa2, 6,
           "32x32 os, 32 kB SRAMs, CALC bandwidth, 1000 MHz, 2-byte words, unpacked, "
           "closed form");
  describe("bitserial", NULL, 0, "BISMO 8x256x8, 200 MHz");
  const char *bs[] = {"dm=4", "dn=16", "freq_mhz=150"};
  describe("bitserial", bs, 3, "BISMO 4x256x16, 150 MHz");
  const char *pe[] = {"pe=8"};
  describe("xnor", pe, 1, "FINN PE 8 x SIMD 32, 200 MHz, up to 2452.5 KiB weights, 12.8 GB/s");
  const char *xn[] = {"simd=64", "freq_mhz=250", "weight_kib=64", "dram_gbps=25.6"};
  describe("xnor", xn, 4, "FINN PE 32 x SIMD 64, 250 MHz, up to 64 KiB weights, 25.6 GB/s");
  const char *volta[] = {"gpu=volta"};
  describe("simt", volta, 1, "volta, 80 SMs, 1455 MHz");
  const char *half[] = {"gpu=volta", "n_sm=40", "core_freq_mhz=1000"};
  describe("simt", half, 3, "volta, 40 SMs, 1000 MHz");
  /* cut to the buffer, always terminated */
  hw_point *p = point("bitserial", NULL, NULL, 0);
  char small[8];
  hw_point_describe(p, small, sizeof small);
  assert_string_equal(small, "BISMO 8");
  hw_point_destroy(p);
}

/* The SIMT GPU's note before a kernel of over 10^9 warp instructions:
 * the count it issues at least, and the minutes at 2 to 16 M a second. */
static void simt_note_before_long_runs(void **state) {
  (void)state;
  hw_point *p = point("simt", NULL, NULL, 0); /* volta, max_warp_insts 10^10 */
  char buf[512];
  /* a kernel of empty blocks: each warp issues its EXIT and nothing else.
   * 31,250 x 1,000 blocks of 1,024 threads (32 warps) are 10^9 warp
   * instructions exactly: no note; 31,251 x 1,000 are 1,000,032,000, at 16
   * M/s 62.5 s (1 minute) to 500 s (8 minutes) at 2 M/s */
  simt_kernel k;
  simt_kernel_init(&k, "empty");
  k.block_threads = 1024;
  k.regs_per_thread = 16;
  k.grid[0] = 31250, k.grid[1] = 1000, k.grid[2] = 1;
  assert_false(hw_point_native_note(p, &k, buf, sizeof buf));
  k.grid[0] = 31251;
  assert_true(hw_point_native_note(p, &k, buf, sizeof buf));
  assert_string_equal(buf, "kernel 'empty' issues at least 1000032000 warp instructions: expect "
                           "1 to 8 minutes at the model's 2 to 16 M a second on one core");
  simt_kernel_free(&k);
  /* the fp16 WMMA GEMM 262144 x 16 x 262144 on Volta's HMMA.884 (one
   * step of m8n8k4 on each of four quad-pairs, four steps with fp32
   * accumulation: 8 x 8 x 4 x 4 / 4 = 256 multiply-adds a warp
   * instruction, simt_kernel.h): 2^18 x 16 x 2^18 = 2^40 multiply-adds
   * are at least 2^40 / 256 = 2^32 = 4,294,967,296 MMAs, 268 s (4
   * minutes) to 2,147 s (36 minutes) */
  simt_wmma_gemm wp;
  char wname[64];
  em_diag d;
  assert_int_equal(simt_wmma_gemm_of(&wp, SIMT_WMMA_CUTLASS, 1u << 18, 16, 1u << 18, 70, 2,
                                     wname, &d), EM_OK);
  assert_int_equal(simt_gen_wmma_gemm(&k, &wp, &d), EM_OK);
  assert_true(hw_point_native_note(p, &k, buf, sizeof buf));
  assert_string_equal(buf, "kernel 'wmma_gemm_nn_262144x16x262144' issues at least "
                           "4294967296 warp instructions: expect 4 to 36 minutes at the "
                           "model's 2 to 16 M a second on one core");
  simt_kernel_free(&k);
  /* 1048576 x 16 x 1048576 is 2^44 / 256 = 2^36 = 68,719,476,736, over
   * max_warp_insts = 10^10: the GPU model refuses it at once (it ran its
   * 10^10 warp instructions before, 10 to 83 minutes, when the bound took
   * every MMA as a BMMA.168256 of 32,768 multiply-adds: 2^45 / 2^16 =
   * 536,870,912), so no note of a long run */
  assert_int_equal(simt_wmma_gemm_of(&wp, SIMT_WMMA_CUTLASS, 1u << 20, 16, 1u << 20, 70, 2,
                                     wname, &d), EM_OK);
  assert_int_equal(simt_gen_wmma_gemm(&k, &wp, &d), EM_OK);
  assert_false(hw_point_native_note(p, &k, buf, sizeof buf));
  hw_result r;
  assert_int_equal(hw_point_run_native(p, &k, &r, NULL, &d), EM_ERR_LIMIT);
  assert_non_null(strstr(d.msg, "it would issue at least 68719476736 warp instructions"));
  simt_kernel_free(&k);
  hw_point_destroy(p);
  /* the 2^18 GEMM under max_warp_insts = 10^8: refused at once, no note */
  const char *const low[] = {"max_warp_insts=100000000"};
  p = point("simt", NULL, low, 1);
  assert_int_equal(simt_wmma_gemm_of(&wp, SIMT_WMMA_CUTLASS, 1u << 18, 16, 1u << 18, 70, 2,
                                     wname, &d), EM_OK);
  assert_int_equal(simt_gen_wmma_gemm(&k, &wp, &d), EM_OK);
  assert_false(hw_point_native_note(p, &k, buf, sizeof buf));
  simt_kernel_free(&k);
  hw_point_destroy(p);
  /* a layer: GEMM 2048 x 2048 x 65536 is 2^39 flops, at 2 a lane (an
   * FFMA) at least 2^39 / 64 = 2^33 = 8,589,934,592 warp instructions,
   * 537 s (9 minutes) at 16 M a second to 4,295 s (72 minutes) at 2 M; a
   * 64-cube is far under 10^9 */
  p = point("simt", NULL, NULL, 0);
  wl_layer big = wl_gemm("big", 2048, 2048, 65536), small = wl_gemm("small", 64, 64, 64);
  big.w = big.a = small.w = small.a = (wl_prec){32, true};
  assert_true(hw_point_layer_note(p, &big, buf, sizeof buf));
  assert_non_null(strstr(buf, " issues at least 8589934592 warp instructions: expect 9 to 72 "
                              "minutes at "));
  assert_false(hw_point_layer_note(p, &small, buf, sizeof buf));
  hw_point_destroy(p);
}

/* Horowitz's table without its multiply rows, written to a temporary file
 * (path: its name, for unlink), its other rows as they are. */
static cm_energy_table *table_without_mult(char *path) {
  FILE *in = fopen(EMLSIM_SOURCE_DIR "/costmodel/energy/horowitz45.csv", "r");
  int fd = mkstemp(path);
  assert_non_null(in);
  assert_true(fd >= 0);
  FILE *out = fdopen(fd, "w");
  assert_non_null(out);
  char line[512];
  unsigned dropped = 0;
  while (fgets(line, sizeof line, in))
    if (strncmp(line, "mult,", 5) == 0) dropped++;
    else fputs(line, out);
  fclose(in);
  assert_int_equal(fclose(out), 0);
  assert_int_equal(dropped, 4); /* int8, int32, fp16, fp32 */
  cm_energy_table *t = NULL;
  em_diag d;
  assert_int_equal(cm_energy_table_load(path, &t, &d), EM_OK);
  return t;
}

/* A table without the multiply rows runs every model that has no
 * multiplier and stops every model that prices one, naming the row.  The
 * bit-serial array prices AND + popcount adds, SRAM and DRAM; the XNOR
 * array XNOR + popcount adds, SRAM and DRAM: no figure of theirs comes
 * from a multiply row, so each is the same as with the whole table, and
 * the layer's own counts are counted, not priced: GEMM 16 x 16 x 512 is
 * 16 x 16 x 512 = 131,072 MACs, x 4 x 4 = 2,097,152 BOPS (MAC convention)
 * at 4:4 and x 1 x 1 = 131,072 binary.  The closed-form model prices the
 * layer's multiply (int8 at 8:8), the systolic array its PEs' multipliers
 * and the GPU its FFMA and IMAD lanes: each is refused, naming the row. */
static void table_rows_a_model_uses(void **state) {
  (void)state;
  char path[] = "/tmp/emlsim_nomult_XXXXXX";
  cm_energy_table *nomult = table_without_mult(path);
  em_diag d;
  static const struct {
    const char *model;
    unsigned bits;
    double bops_mac;
  } runs[] = {{"bitserial", 4, 2097152.0}, {"xnor", 1, 131072.0}};
  for (size_t i = 0; i < 2; i++) {
    wl_layer g = at(wl_gemm("gemm", 16, 16, 512), runs[i].bits, runs[i].bits);
    hw_point *full = point(runs[i].model, NULL, NULL, 0), *p = NULL;
    if (hw_point_create(hw_model_find(runs[i].model), NULL, NULL, 0, nomult, &p, &d) != EM_OK)
      fail_msg("%s: %s", runs[i].model, d.msg);
    hw_result a, b;
    assert_int_equal(hw_point_run(full, &g, &a, NULL, &d), EM_OK);
    if (hw_point_run(p, &g, &b, NULL, &d) != EM_OK) fail_msg("%s: %s", runs[i].model, d.msg);
    assert_int_equal(b.macs, 131072);
    assert_float_equal(b.bops_mac, runs[i].bops_mac, 0);
    assert_int_equal(b.cycles, a.cycles);
    for (int e = 0; e < HW_E_COUNT; e++) assert_float_equal(b.energy_pj[e], a.energy_pj[e], 0);
    assert_float_equal(b.energy_total_pj, a.energy_total_pj, 0);
    /* the dense reference of a sparse sweep counts the same way */
    hw_sparse_case c = {.layer = &g};
    hw_sparse_info x;
    assert_true(cm_sparse_spec_parse("mask", &c.fmt));
    if (hw_point_sparse(p, &c, &b, &x, &d) != EM_OK) fail_msg("%s: %s", runs[i].model, d.msg);
    assert_int_equal(b.macs, 131072);
    assert_float_equal(b.bops_mac, runs[i].bops_mac, 0);
    hw_point_destroy(full);
    hw_point_destroy(p);
  }
  static const char *const users[] = {"analytic", "systolic"};
  for (size_t i = 0; i < 2; i++) {
    hw_point *p = NULL;
    assert_int_equal(hw_point_create(hw_model_find(users[i]), NULL, NULL, 0, nomult, &p, &d),
                     EM_OK);
    wl_layer g = at(wl_gemm("gemm", 16, 16, 512), 8, 8);
    hw_result r;
    assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_ERR_NOTFOUND);
    if (!strstr(d.msg, "no 'int mult' row")) fail_msg("%s: %s", users[i], d.msg);
    hw_point_destroy(p);
  }
  hw_point *p = NULL;
  assert_int_equal(hw_point_create(hw_model_find("simt"), NULL, NULL, 0, nomult, &p, &d),
                   EM_ERR_NOTFOUND);
  if (!strstr(d.msg, "no 'fp mult' row")) fail_msg("simt: %s", d.msg);
  cm_energy_table_destroy(nomult);
  unlink(path);
}

/* The closed-form model's DRAM: every tensor crosses it once, in 64-bit
 * accesses of Horowitz's 1300 pJ (the project's rule, cm_cost.h).
 *   GEMM 4096 x 16 x 16 at 8:8, alone: W 16 x 16 = 256 B, X (K 16 x M
 *   4096) = 65,536 B, Y (N 16 x M 4096) = 65,536 B: 131,328 B x 8 / 64 =
 *   16,416 accesses x 1300 = 21,340,800 pJ.
 *   MLP 784 -> 256 -> 128 at 8:8 (biases 32-bit): fc1 moves its weights
 *   784 x 256 = 200,704 B + 256 x 4 = 1,024 B of biases, its input 784 B
 *   (the network's) and its output 256 B: 202,768 B.  fc2 reads fc1's
 *   output, already in DRAM: 256 x 128 = 32,768 + 512 + 128 out = 33,408 B;
 *   alone it reads its 256 input bytes too: 33,664 B.
 *   A third layer fc 300 -> 10 after them reads 300 inputs no earlier layer
 *   produced (neither 784, 256 nor 128 elements): 3,000 + 40 + 300 + 10 =
 *   3,350 B. */
static void analytic_dram_every_tensor_once(void **state) {
  (void)state;
  hw_point *p = point("analytic", NULL, NULL, 0);
  hw_result r, per[3], tot;
  em_diag d;
  wl_layer g = at(wl_gemm("gemm", 4096, 16, 16), 8, 8);
  assert_int_equal(hw_point_run(p, &g, &r, NULL, &d), EM_OK);
  assert_int_equal(r.dram_bytes, 131328);
  assert_float_equal(r.energy_pj[HW_E_DRAM], 21340800.0, 1e-6);

  wl_network *net = wl_network_create("mlp", "test");
  wl_layer l1 = at(wl_fc("fc1", 784, 256), 8, 8), l2 = at(wl_fc("fc2", 256, 128), 8, 8),
           l3 = at(wl_fc("fc3", 300, 10), 8, 8);
  assert_int_equal(wl_network_add(net, &l1, &d), EM_OK);
  assert_int_equal(wl_network_add(net, &l2, &d), EM_OK);
  assert_int_equal(wl_network_add(net, &l3, &d), EM_OK);
  assert_int_equal(hw_point_run_network(p, net, per, &tot, &d), EM_OK);
  assert_int_equal(per[0].dram_bytes, 202768);
  assert_int_equal(per[1].dram_bytes, 33408);
  assert_int_equal(per[2].dram_bytes, 3350);
  assert_int_equal(tot.dram_bytes, 202768 + 33408 + 3350);
  assert_float_equal(per[1].energy_pj[HW_E_DRAM], 33408 / 8.0 * 1300, 1e-6);
  assert_int_equal(hw_point_run(p, &l2, &r, NULL, &d), EM_OK);
  assert_int_equal(r.dram_bytes, 33664);
  /* a layer run as one of its network's gives what the network run does */
  assert_int_equal(hw_point_run_in(p, &l2, 0, &r, NULL, &d), EM_OK);
  assert_int_equal(r.dram_bytes, 33408);
  wl_network_destroy(net);
  hw_point_destroy(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(table_lists_every_model),
      cmocka_unit_test(systolic_by_hand),
      cmocka_unit_test(systolic_cfg_file_then_settings),
      cmocka_unit_test(xnor_by_hand),
      cmocka_unit_test(bitserial_by_hand),
      cmocka_unit_test(simt_energy_whole),
      cmocka_unit_test(refusals_say_why),
      cmocka_unit_test(bad_settings),
      cmocka_unit_test(mixed_precision_at_own_widths),
      cmocka_unit_test(describe_follows_settings),
      cmocka_unit_test(key_idle_follows_point),
      cmocka_unit_test(dram_bandwidth),
      cmocka_unit_test(simt_note_before_long_runs),
      cmocka_unit_test(table_rows_a_model_uses),
      cmocka_unit_test(analytic_dram_every_tensor_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
