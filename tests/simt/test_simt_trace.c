/*
 * test_simt_trace.c - traced kernels and the energy model of the SIMT GPU.
 *
 * Traces: tests/simt/data/accel (an Accel-Sim kernelslist.g with two kernels,
 * written for these tests: address modes 0, 1 and 2, a partial mask, tracer
 * version 2 lines with block and warp ids) and book_divergence.emtrace
 * (emlsim's format).  Expected figures are worked out by hand from the trace
 * text in the comments below.  Malformed traces must name path:line:col.
 * Energy: a statistics record filled by hand, charged with the Horowitz 45 nm
 * table, against figures computed by hand from that table.
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

#include "cm_energy.h"
#include "simt_config.h"
#include "simt_energy.h"
#include "simt_gen.h"
#include "simt_gpu.h"
#include "simt_trace.h"

#define SIMT_TEST_DATA EMLSIM_SOURCE_DIR "/tests/simt/data"

static simt_config volta(void) {
  simt_config c;
  em_diag d;
  assert_int_equal(simt_config_load_spec("volta", &c, &d), EM_OK);
  return c;
}

static void run(const simt_config *c, simt_kernel *k, simt_stats *st) {
  simt_gpu *g;
  em_diag d;
  assert_int_equal(simt_gpu_create(c, &g, &d), EM_OK);
  em_status s = simt_gpu_run(g, k, NULL, NULL, st, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  simt_gpu_destroy(g);
}

static void accel_kernels(void **state) {
  (void)state;
  em_diag d;
  simt_trace *t;
  assert_true(simt_trace_probe(SIMT_TEST_DATA "/accel"));
  assert_true(simt_trace_probe(SIMT_TEST_DATA "/accel/kernelslist.g"));
  assert_false(simt_trace_probe("alexnet"));
  assert_int_equal(simt_trace_open(SIMT_TEST_DATA "/accel", &t, &d), EM_OK);
  assert_int_equal(simt_trace_count(t), 2); /* two kernel lines; Memcpy lines skipped */
  simt_config c = volta();

  /* kernel-1: grid (2,1,1) x block (64,1,1) = 4 warps of 7 instructions.
   * Per warp g = 2 x block + warp:
   *   LDG mode 1: base A + 128g, stride 4 -> lane l at A + 128g + 4l: one
   *     aligned 128 B line = 4 sectors;
   *   LDG mode 0: B + 4096g + 128l listed -> 32 sectors;
   *   STG mode 2: C + 128g, deltas of 4 -> 4 sectors; block 1 warp 1 has
   *     mask 0000ffff and 15 deltas -> 16 lanes x 4 B = 2 sectors.
   * gld: 8 requests, 4 x (4 + 32) = 144 sectors; gst: 4 requests, 14 sectors.
   * FADD on 32 lanes in 4 warps: 128 flops.  Compulsory reads: 4 x 4 + 4 x 32
   * distinct sectors never stored = 144 x 32 B = 4608 B. */
  simt_kernel k;
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  assert_string_equal(k.name, "vecadd_like");
  assert_int_equal(k.block_threads, 64);
  assert_int_equal(k.regs_per_thread, 10);
  assert_int_equal(k.flops, 128);
  assert_int_equal(k.min_dram_bytes, 4608);
  assert_int_equal(k.n_tlines, 28);
  /* decoded addresses (read from the file as a warp would): warp 0 of
   * block 0, line 2 (mode 1), lane 5 */
  simt_tline tl;
  uint64_t ad[32];
  assert_int_equal(simt_trace_warp_line(&k, 0, 0, 2, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.mask, 0xFFFFFFFFu);
  assert_int_equal(ad[5], 0x7f0000000000ull + 4 * 5);
  /* block 1 warp 1, line 3 (mode 0), lane 31: B + 4096 x 3 + 128 x 31 */
  assert_int_equal(simt_trace_warp_line(&k, 1, 1, 3, &tl, ad, &d), EM_OK);
  assert_int_equal(ad[31], 0x7f0000100000ull + 4096 * 3 + 128 * 31);
  /* its STG (mode 2, 16 lanes): the last lane at C + 128 x 3 + 15 x 4 */
  assert_int_equal(simt_trace_warp_line(&k, 1, 1, 5, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.mask, 0x0000FFFFu);
  assert_int_equal(ad[15], 0x7f0000200000ull + 128 * 3 + 15 * 4);
  /* IMAD R1 <- R0, R255: RZ is no source */
  assert_int_equal(simt_trace_warp_line(&k, 0, 0, 1, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.h.nsrc, 1);
  /* a warp has 7 lines: line 7 is past its end */
  assert_int_equal(simt_trace_warp_line(&k, 0, 0, 7, &tl, ad, &d), EM_ERR_RANGE);
  simt_stats st;
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 28);
  assert_int_equal(st.gld_requests, 8);
  assert_int_equal(st.gld_sectors, 144);
  assert_int_equal(st.gst_requests, 4);
  assert_int_equal(st.gst_sectors, 14);
  assert_int_equal(st.flops, 128);
  assert_int_equal(st.blocks, 2);
  assert_true((double)st.cycles >= simt_roofline_cycles(&c, &k));
  simt_kernel_free(&k);

  /* kernel-2 (tracer version 2: block and warp ids lead each line), one warp:
   * LDS stride 128 B = 32 words -> all lanes in bank 0, degree gcd(32, 32) = 32;
   * LDS stride 4 B -> 1; STS deltas of 132 B = 33 words -> gcd(33, 32) = 1.
   * 3 requests, 34 wavefronts, 31 extra cycles. */
  assert_int_equal(simt_trace_kernel(t, 1, &k, &d), EM_OK);
  assert_int_equal(k.smem_bytes, 4096);
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 5);
  assert_int_equal(st.smem_requests, 3);
  assert_int_equal(st.smem_wavefronts, 34);
  assert_int_equal(st.smem_conflict_cycles, 31);
  assert_int_equal(st.smem_st_wavefronts, 1);
  simt_kernel_free(&k);
  simt_trace_close(t);
}

static void native_book(void **state) {
  (void)state;
  /* The study book's example, replayed from the trace's masks on a 4-lane
   * warp: (4 + 4 + 2 + 2 + 4) / (4 x 5) = 0.8, as the generated kernel. */
  em_diag d;
  simt_trace *t;
  assert_int_equal(simt_trace_open(SIMT_TEST_DATA "/book_divergence.emtrace", &t, &d), EM_OK);
  assert_int_equal(simt_trace_get_format(t), SIMT_TRACE_NATIVE);
  simt_kernel k;
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  simt_config c = volta();
  c.warp_size = 4;
  c.max_threads_per_sm = 64;
  c.n_sm = 1;
  simt_stats st;
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 5);
  assert_int_equal(st.lane_insts, 16);
  assert_true(simt_stats_simd_eff(&st) == 16.0 / 20.0);
  simt_kernel_free(&k);
  simt_trace_close(t);
}

/* ---- malformed traces ---- */

static char tmpdir[256];

static void write_file(const char *name, const char *text, char *path, size_t size) {
  snprintf(path, size, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

#define ACCEL_HDR                                                                  \
  "-kernel name = k\n-grid dim = (1,1,1)\n-block dim = (32,1,1)\n-nregs = 8\n"     \
  "-accelsim tracer version = 4\n#BEGIN_TB\nthread block = 0,0,0\nwarp = 0\n"
/* ACCEL_HDR is 8 lines: the first instruction count is line 9 */

static void bad_traces(void **state) {
  (void)state;
  static const struct {
    const char *name, *text;
    uint64_t line, col;
    const char *msg;
  } cases[] = {
      {"count.traceg", ACCEL_HDR "insts = 3\n0000 ffffffff 0 NOP 0 0\n#END_TB\n", 9, 1,
       "insts = 3, but 1 instruction lines follow"},
      {"mask.traceg", ACCEL_HDR "insts = 1\n0000 fffffffff0 0 NOP 0 0\n#END_TB\n", 10, 6,
       "bad active mask"},
      {"opcode.traceg", ACCEL_HDR "insts = 1\n0000 ffffffff 0 FROB.X 0 0\n#END_TB\n", 10, 17,
       "unknown opcode 'FROB.X'"},
      {"few.traceg",
       ACCEL_HDR "insts = 1\n0000 00000007 1 R1 LDG.E 1 R2 4 0 0x100 0x104\n#END_TB\n", 10, 46,
       "3 active lanes need 3 addresses, found 2"},
      {"mode.traceg", ACCEL_HDR "insts = 1\n0000 00000001 1 R1 LDG.E 1 R2 4 3 0x100\n#END_TB\n",
       10, 33, "address mode must be 0"},
      {"warp.traceg",
       "-grid dim = (1,1,1)\n-block dim = (32,1,1)\n#BEGIN_TB\nthread block = 0,0,0\n"
       "warp = 1\n",
       5, 8, "warp 1, but a block of 32 threads has 1 warps"},
      {"block.traceg", "-grid dim = (2,1,1)\n-block dim = (32,1,1)\n#BEGIN_TB\nthread block = 2,0,0\n",
       4, 15, "outside the grid"},
      {"noend.traceg", ACCEL_HDR "insts = 1\n0000 ffffffff 0 NOP 0 0\n", 10, 1,
       "no #END_TB"},
      {"reg.traceg", ACCEL_HDR "insts = 1\n0000 ffffffff 1 R300 MOV 0 0\n#END_TB\n", 10, 17,
       "bad register 'R300'"},
      {"magic.emtrace", "emlsim-trace 2\nkernel k grid=1 block=32\n", 1, 1, "not a trace"},
      {"noaddr.emtrace", "emlsim-trace 1\nkernel k grid=1 block=32\nblock 0\nwarp 0\nLDG d=1\n",
       5, 8, "LDG needs addresses"},
      {"lanes.emtrace",
       "emlsim-trace 1\nkernel k grid=1 block=4\nblock 0\nwarp 0\nLDG d=1 a=0x0,0x4,0x8\n", 5,
       11, "3 addresses for 4 active lanes"},
      {"key.emtrace", "emlsim-trace 1\nkernel k grid=1 block=4\nblock 0\nwarp 0\nFFMA q=1\n", 5,
       6, "unknown key 'q'"},
      {"grid.emtrace", "emlsim-trace 1\nkernel k grid=0 block=4\n", 2, 15, "grid= needs"},
      /* shared accesses stay within smem=: 4 bytes at 124 end at 128 (line
       * 5 passes), at 125 one byte past (line 6); no smem= is 0 bytes */
      {"smem.emtrace",
       "emlsim-trace 1\nkernel k grid=1 block=32 smem=128\nblock 0\nwarp 0\n"
       "LDS d=1 a=124 m=1\nLDS d=1 a=125 m=1\n",
       6, 11, "a 4-byte shared access at 0x7d is past the block's 128 bytes of shared memory"},
      {"nosmem.emtrace",
       "emlsim-trace 1\nkernel k grid=1 block=32\nblock 0\nwarp 0\nSTS s=1 a=0 m=1\n", 5, 11,
       "past the block's 0 bytes"},
      {"list.g", "MemcpyHtoD,0x0,16\nlaunch kernel-1.traceg\n", 2, 1,
       "expected a MemcpyHtoD line or a kernel trace file name"},
      /* copies are not simulated, but checked: a negative size, a range
       * past 2^64 (257 bytes from 0xffffffffffffff00: the last at 2^64, one
       * past; 256 end at 2^64 - 1 and are valid, below), an
       * address of 17 digits, and a copy of another kind */
      {"neg.g", "MemcpyHtoD,0x0,-5\n", 1, 16, "a copy's size must be a number of bytes"},
      {"wrap.g", "MemcpyHtoD,0xffffffffffffff00,256\nMemcpyHtoD,0xffffffffffffff00,257\n", 2,
       31, "runs past the 64-bit"},
      {"long.g", "MemcpyHtoD,0x10000000000000000,1\n", 1, 12,
       "address must be 0x and up to 16 hex digits"},
      {"kind.g", "MemcpyAtoB,0x0,1\n", 1, 7, "expected MemcpyHtoD,0xADDRESS,BYTES"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[512];
    write_file(cases[i].name, cases[i].text, path, sizeof path);
    em_diag d;
    em_diag_clear(&d);
    simt_trace *t = NULL;
    em_status s = simt_trace_open(path, &t, &d);
    if (s == EM_OK) {
      simt_kernel k;
      s = simt_trace_kernel(t, 0, &k, &d);
      if (s == EM_OK) simt_kernel_free(&k);
      simt_trace_close(t);
    }
    char msg[1200];
    em_diag_format(&d, msg, sizeof msg);
    printf("  %s -> %s\n", cases[i].name, msg);
    assert_int_not_equal(s, EM_OK);
    assert_string_equal(d.path, path);
    assert_int_equal(d.line, cases[i].line);
    assert_int_equal(d.col, cases[i].col);
    assert_non_null(strstr(d.msg, cases[i].msg));
    unlink(path);
  }
}

/* ---- streamed warps ---- */

/* A warp's lines are read from the file while it runs, a chunk at a time
 * (SIMT_TCHUNK_LINES lines, SIMT_TCHUNK_ADDRS addresses): warps longer than
 * a chunk, blocks listed out of order, a native line repeated across
 * chunks, and a file that changes under a loaded kernel. */
static void stream_text(FILE *f, const int *order, unsigned nblocks) {
  fprintf(f, "-kernel name = streamed\n-grid dim = (%u,1,1)\n-block dim = (64,1,1)\n"
             "-nregs = 16\n-accelsim tracer version = 4\n\n",
          nblocks);
  for (unsigned o = 0; o < nblocks; o++) {
    int b = order[o];
    fprintf(f, "#BEGIN_TB\nthread block = %d,0,0\n", b);
    for (int w = 1; w >= 0; w--) { /* warps out of order too */
      fprintf(f, "warp = %d\ninsts = 100\n", w);
      for (int i = 0; i < 100; i++) {
        if (i % 2) {
          fprintf(f, "%04x ffffffff 1 R1 FFMA 3 R2 R3 R1 0\n", 16 * i);
          continue;
        }
        /* lane l at 0x10000000 (2b + w + 1) + 4096 l + 32 (i / 2) */
        fprintf(f, "%04x ffffffff 1 R4 LDG.E 1 R5 4 0", 16 * i);
        for (int l = 0; l < 32; l++)
          fprintf(f, " 0x%llx", 0x10000000ull * (unsigned)(2 * b + w + 1) + 4096ull * (unsigned)l +
                                    32ull * (unsigned)(i / 2));
        fputc('\n', f);
        if (i == 40) fputs("\n# a comment inside a warp\n", f);
      }
    }
    fputs("#END_TB\n", f);
  }
}

static void streamed_warps(void **state) {
  (void)state;
  em_diag d;
  simt_config c = volta();
  char path[512];
  snprintf(path, sizeof path, "%s/streamed.traceg", tmpdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  static const int order[3] = {2, 0, 1};
  stream_text(f, order, 3);
  fclose(f);
  simt_trace *t;
  simt_kernel k;
  assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  /* 3 blocks x 2 warps x 100 lines; 50 LDGs of 32 lanes each, every lane
   * its own sector (4096 B apart; 32 B per line i / 2 < 50 within 4096):
   * 300 requests, 9600 distinct sectors never stored = 307200 B; 300 FFMAs
   * of 32 lanes: 19200 flops.  A warp's 1600 addresses are more than a
   * chunk's 512: it is read in several. */
  assert_int_equal(k.n_tlines, 600);
  assert_int_equal(k.flops, 19200);
  assert_int_equal(k.min_dram_bytes, 307200);
  simt_tline tl;
  uint64_t ad[32];
  /* block 0, warp 1, line 98 (the 50th LDG), lane 31 */
  assert_int_equal(simt_trace_warp_line(&k, 0, 1, 98, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.h.op, SIMT_OP_LDG);
  assert_int_equal(ad[31], 0x10000000ull * 2 + 4096ull * 31 + 32ull * 49);
  /* block 2, warp 0, line 0, lane 0 */
  assert_int_equal(simt_trace_warp_line(&k, 2, 0, 0, &tl, ad, &d), EM_OK);
  assert_int_equal(ad[0], 0x10000000ull * 5);
  simt_stats st;
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 600);
  assert_int_equal(st.gld_requests, 300);
  assert_int_equal(st.gld_sectors, 9600);
  assert_int_equal(st.flops, 19200);
  assert_int_equal(st.blocks, 3);

  /* the file changes under the loaded kernel: the run stops with an error
   * naming it (no crash, no stale lines) */
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("-kernel name = streamed\n", f);
  fclose(f);
  simt_gpu *g;
  assert_int_equal(simt_gpu_create(&c, &g, &d), EM_OK);
  em_diag_clear(&d);
  assert_int_equal(simt_gpu_run(g, &k, NULL, NULL, &st, &d), EM_ERR_IO);
  assert_string_equal(d.path, path);
  assert_non_null(strstr(d.msg, "the trace changed since it was read"));
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
  simt_trace_close(t);
  unlink(path);

  /* native: one warp, FFMA x 100 and a 32-lane LDG x 70 (lane l at 0x1000 +
   * 4 l: 4 sectors, the same each time), then EXIT: 171 instructions, 70
   * requests of 4 sectors, 100 x 64 flops, 4 x 32 B compulsory */
  write_file("rep.emtrace",
             "emlsim-trace 1\nkernel rep grid=1 block=32\nblock 0\nwarp 0\n"
             "FFMA d=1 s=2,3 n=100\n# between\nLDG d=4 s=5 a=0x1000+4 n=70\nEXIT\n",
             path, sizeof path);
  assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  assert_int_equal(k.n_tlines, 171);
  assert_int_equal(k.flops, 6400);
  assert_int_equal(k.min_dram_bytes, 128);
  assert_int_equal(simt_trace_warp_line(&k, 0, 0, 150, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.h.op, SIMT_OP_LDG);
  assert_int_equal(ad[7], 0x1000 + 4 * 7);
  assert_int_equal(simt_trace_warp_line(&k, 0, 0, 170, &tl, ad, &d), EM_OK);
  assert_int_equal(tl.h.op, SIMT_OP_EXIT);
  run(&c, &k, &st);
  assert_int_equal(st.warp_insts, 171);
  assert_int_equal(st.gld_requests, 70);
  assert_int_equal(st.gld_sectors, 280);
  assert_int_equal(st.flops, 6400);
  simt_kernel_free(&k);
  simt_trace_close(t);
  unlink(path);
}

/* The roofline's sector map holds 65,536 pages of 4096 sectors (128 KiB of
 * memory each): a kernel whose loads touch more pages counts the sectors of
 * the first 65,536 only, so its compulsory traffic stays a lower bound.
 * Here 65,636 LDGs of 32 lanes x 4 B, each in a page of its own (128 KiB
 * apart): 4 sectors each, 65,536 x 4 x 32 B = 8,388,608 B counted (all of
 * them would be 8,401,408 B); 100 pages fewer than the cap: all counted. */
static void sector_map_cap(void **state) {
  (void)state;
  for (int over = 0; over < 2; over++) {
    unsigned n = over ? 65636u : 65436u;
    char path[512];
    snprintf(path, sizeof path, "%s/pages.emtrace", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("emlsim-trace 1\nkernel pages grid=1 block=32\nblock 0\nwarp 0\n", f);
    for (unsigned i = 0; i < n; i++)
      fprintf(f, "LDG d=1 a=0x%llx+4\n", 0x100000000ull + 131072ull * i);
    fclose(f);
    em_diag d;
    simt_trace *t;
    simt_kernel k;
    assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
    assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
    assert_int_equal(k.n_tlines, n);
    assert_int_equal(k.min_dram_bytes, over ? 8388608ull : 65436ull * 4 * 32);
    simt_kernel_free(&k);
    simt_trace_close(t);
    unlink(path);
  }
}

/* ---- tensor cores through a trace ---- */

static uint64_t hmma_cycles(const simt_config *c, unsigned n, bool chain, em_status *rs) {
  char path[512], *text = malloc(64 + 32 * (size_t)n);
  assert_non_null(text);
  size_t o = (size_t)sprintf(text, "emlsim-trace 1\nkernel mma grid=1 block=32 regs=16\n"
                                   "block 0\nwarp 0\n");
  for (unsigned i = 0; i < n; i++)
    o += (size_t)sprintf(text + o, "HMMA d=%u s=%u,8,9\n", chain ? 0 : i % 8, chain ? 0 : 10);
  write_file("mma.emtrace", text, path, sizeof path);
  free(text);
  em_diag d;
  simt_trace *t;
  simt_kernel k;
  assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  simt_gpu *g;
  simt_stats st;
  assert_int_equal(simt_gpu_create(c, &g, &d), EM_OK);
  *rs = simt_gpu_run(g, &k, NULL, NULL, &st, &d);
  if (*rs == EM_OK) assert_int_equal(st.flops, 2048ull * n); /* 1024 multiply-adds each */
  simt_gpu_destroy(g);
  simt_kernel_free(&k);
  simt_trace_close(t);
  unlink(path);
  return *rs == EM_OK ? st.cycles : 0;
}

static void tensor_cores(void **state) {
  (void)state;
  /* One HMMA is an m16n8k8 MMA: 16 x 8 x 8 = 1024 fp16 multiply-adds.  A
   * Volta sub-core has 2 tensor cores of 64 multiply-adds per cycle (a 4x4x4
   * MMA, study book 4.2): independent HMMAs issue every 1024 / 128 = 8 cycles;
   * a dependent chain every lat_tensor cycles. */
  simt_config c = volta();
  assert_int_equal(c.tensor_units, 2);
  em_status s;
  uint64_t a = hmma_cycles(&c, 100, false, &s), b = hmma_cycles(&c, 200, false, &s);
  assert_int_equal(b - a, 100 * 8);
  a = hmma_cycles(&c, 100, true, &s);
  b = hmma_cycles(&c, 200, true, &s);
  assert_int_equal(b - a, 100 * c.lat_tensor);
  /* a GPU without tensor cores refuses the trace instead of timing it */
  c.tensor_units = 0;
  hmma_cycles(&c, 10, false, &s);
  assert_int_equal(s, EM_ERR_UNSUPPORTED);
}

/* ---- energy ---- */

/* The energy of the counters st on GPU c (a variant of a preset). */
static void energy_on(const cm_energy_table *t, const simt_config *c, const simt_stats *st,
                      simt_energy *e) {
  em_diag d;
  simt_energy_model m;
  assert_int_equal(simt_energy_model_init(&m, t, c, &d), EM_OK);
  simt_energy_compute(&m, st, e);
}

static void energy_by_hand(void **state) {
  (void)state;
  /* Horowitz 45 nm (costmodel/energy/horowitz45.csv), times the preset's
   * energy_scale s (the process; V = V_ref, so no voltage factor):
   *   FFMA lane: fp32 mult 3.7 + add 0.9 = 4.6 s pJ
   *   HMMA.1688 warp instruction: 1024 multiply-adds x (fp16 mult 1.1 + 3/4
   *     of an int22 add, between the int8 and int32 rows, 0.03 + (22 -
   *     8)/(32 - 8) x (0.1 - 0.03) = 0.0708333, + 1/4 of an fp32 add 0.9: a
   *     lane of a four-element dot product) = 1024 x 1.378125 = 1411.2 s pJ
   *   register (32 bits): a lane's slice of one bank, 65536 x 4 B / (4
   *     sub-cores x 2 banks x 32 lanes) = 1 KB, below the smallest row (8 KB,
   *     10 pJ / 64 b), so taken from it: 5 s pJ
   *   operand reuse-cache read (32 bits): a latch, priced as a 32-bit
   *     integer add: 0.1 s pJ
   *   front end per warp instruction: two 128-bit reads of a 16 KB SRAM,
   *     between the 8 KB and 32 KB rows at log2 16K = 14, halfway: per bit
   *     (10 + 20) / 2 / 64 pJ, 128 bits 30 pJ, twice: 60 s pJ
   *   DRAM sector (256 bits): HBM2 3.9 pJ/bit x 256 = 998.4 pJ, not scaled
   *   1455 cycles at 1455 MHz = 1 us, 3/4 of the scheduler cycles busy, 32
   *     lanes per warp instruction:
   *     static (18.6 + 31 x 0.645) W x 0.75 x 1 us = 28.94625 uJ
   *     idle SMs 0.283 W x 80 x 0.25 x 1 us = 5.66 uJ
   *     constant 32.3 W x 1 us = 32.3 uJ */
  simt_config c = volta();
  assert_true(c.static_power_w == 18.6 && c.const_power_w == 32.3 && c.idle_sm_w == 0.283);
  assert_true(c.core_voltage_v == c.ref_voltage_v);
  double sc = c.energy_scale;
  em_diag d;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  simt_energy_model m;
  assert_int_equal(simt_energy_model_init(&m, t, &c, &d), EM_OK);
  simt_stats st;
  memset(&st, 0, sizeof st);
  st.op_lane_insts[SIMT_OP_FFMA] = 32;
  st.op_lane_insts[SIMT_OP_HMMA] = 32; /* one warp instruction */
  st.tensor_macs = 1024;
  st.warp_insts = 2;
  st.lane_insts = 64;
  st.class_warp_insts[SIMT_CLASS_FP32] = 1;
  st.class_warp_insts[SIMT_CLASS_TENSOR] = 1;
  st.reg_reads = 96;
  st.reg_writes = 32;
  st.class_reg_accesses[SIMT_CLASS_FP32] = 128;
  st.reg_reuse_reads = 64; /* operand reuse caches: a 32-bit int add each, 0.1 pJ */
  st.class_reg_reuse[SIMT_CLASS_FP32] = 64;
  st.mem.dram_reads = 4;
  st.cycles = 1455;
  st.sched_cycles = 1455 * 80 * 4;
  st.stall[SIMT_STALL_IDLE] = st.sched_cycles / 4;
  simt_energy e;
  simt_energy_compute(&m, &st, &e);
  assert_true(fabs(e.comp_pj[SIMT_E_ALU] - (32 * 4.6 + 1411.2) * sc) < 1e-9);
  assert_true(fabs(e.comp_pj[SIMT_E_REG] - (128 * 5.0 + 64 * 0.1) * sc) < 1e-9);
  assert_true(fabs(e.comp_pj[SIMT_E_FRONT] - 2 * 60.0 * sc) < 1e-9);
  assert_true(fabs(e.comp_pj[SIMT_E_DRAM] - 4 * 998.4) < 1e-9);
  assert_true(fabs(e.comp_pj[SIMT_E_STATIC] - 28.94625e6) < 1e-3);
  assert_true(fabs(e.comp_pj[SIMT_E_IDLE] - 5.66e6) < 1e-3);
  assert_true(fabs(e.comp_pj[SIMT_E_CONST] - 32.3e6) < 1e-3);
  assert_true(fabs(e.class_pj[SIMT_CLASS_FP32] - (32 * 4.6 + 128 * 5.0 + 64 * 0.1 + 60) * sc) <
              1e-9);
  assert_true(fabs(e.class_pj[SIMT_CLASS_TENSOR] - (1411.2 + 60) * sc) < 1e-9);
  assert_true(fabs(e.class_pj[SIMT_CLASS_GLOBAL_LD] - 4 * 998.4) < 1e-9);
  double sum = 0;
  for (int i = 0; i < SIMT_E_COUNT; i++) sum += e.comp_pj[i];
  assert_true(fabs(e.total_pj - sum) < 1e-6);
  /* power: the total over 1 us */
  assert_true(fabs(e.power_w - sum * 1e-12 / 1e-6) < 1e-9);
  /* a launch of 2910 cycles before it, 2 us with the board on and all 80
   * SMs idle: (32.3 + 80 x 0.283) W x 2 us = 109.88 uJ, in the total but
   * not in the power of the run, which stays the same */
  assert_true(e.comp_pj[SIMT_E_LAUNCH] == 0);
  st.launch_cycles = 2910;
  simt_energy ew;
  simt_energy_compute(&m, &st, &ew);
  assert_true(fabs(ew.comp_pj[SIMT_E_LAUNCH] - 109.88e6) < 1e-3);
  assert_true(fabs(ew.total_pj - e.total_pj - 109.88e6) < 1e-3);
  assert_true(fabs(ew.power_w - e.power_w) < 1e-9);
  st.launch_cycles = 0;
  /* at 0.9 V of 1.0: dynamic x 0.81, static and idle x 0.9, constant x 1 */
  simt_config lo = c;
  lo.core_voltage_v = 0.9;
  simt_energy el;
  energy_on(t, &lo, &st, &el);
  assert_true(fabs(el.comp_pj[SIMT_E_ALU] - 0.81 * e.comp_pj[SIMT_E_ALU]) < 1e-6);
  assert_true(fabs(el.comp_pj[SIMT_E_STATIC] - 0.9 * e.comp_pj[SIMT_E_STATIC]) < 1e-3);
  assert_true(fabs(el.comp_pj[SIMT_E_CONST] - e.comp_pj[SIMT_E_CONST]) < 1e-6);
  assert_true(fabs(el.comp_pj[SIMT_E_DRAM] - e.comp_pj[SIMT_E_DRAM]) < 1e-9);
  /* the preset's static power is its 80 SMs' (static_sm): the same chip cut
   * to 8 SMs (--set n_sm=8) leaks a tenth, (18.6 + 31 x 0.645) W x 8/80 x
   * 0.75 x 1 us = 2.894625 uJ, and its idle SMs are its own 8: 0.283 W x 8 x
   * 0.25 x 1 us = 0.566 uJ; the same stats, only n_sm changed */
  assert_true(c.static_sm == 80);
  simt_config cut = c;
  cut.n_sm = 8;
  simt_energy ec;
  energy_on(t, &cut, &st, &ec);
  assert_true(fabs(ec.comp_pj[SIMT_E_STATIC] - 2.894625e6) < 1e-3);
  assert_true(fabs(ec.comp_pj[SIMT_E_IDLE] - 0.566e6) < 1e-3);
  assert_true(fabs(ec.comp_pj[SIMT_E_CONST] - 32.3e6) < 1e-3);
  /* a table without fp rows cannot price an FFMA: a clear error, not a guess */
  cm_energy_table *a;
  assert_int_equal(cm_energy_table_load(EMLSIM_SOURCE_DIR "/costmodel/energy/accelergy40.csv", &a, &d), EM_OK);
  assert_int_not_equal(simt_energy_model_init(&m, a, &c, &d), EM_OK);
  cm_energy_table_destroy(a);
  cm_energy_table_destroy(t);
}

/* Dependent-instruction latency of the integer, fp16 and fp64 pipes, as
 * Accel-Sim's TITAN V microbenchmarks measure it (REFERENCES.md, "SIMT GPU
 * reference points"; util/tuner/GPU_Microbenchmark/output.file): INT32
 * 4.31, FP16 6.18, FP64 8.06 core cycles (FP32 4.12 is test_simt's
 * ffma_chain), and the SFU's (config_sfu: fast sqrt 21.11; lat_sfu 21 is
 * Jia et al.'s MUFU figure, set independently of it).  One warp runs a chain of n instructions, each reading the
 * register the one before wrote; 2000 lines take 1000 x latency more than
 * 1000 (launch, fill and drain cancel).  Within 10 % of the published
 * figure, as the FFMA chain and the pointer chases (models/simt/README.md).
 * The preset's lat_int, lat_fp16 and lat_fp64 (4, 6, 8) were set from these
 * figures, so this is a consistency check: the issue and scoreboard path
 * adds nothing to the configured latency. */
static void dependent_chain_latencies(void **state) {
  (void)state;
  static const struct {
    const char *op;
    double published;
  } pipe[] = {{"IADD", 4.31}, {"HADD2", 6.18}, {"DADD", 8.06}, {"MUFU", 21.11}};
  simt_config c = volta();
  for (size_t i = 0; i < sizeof pipe / sizeof pipe[0]; i++) {
    uint64_t cycles[2];
    for (int j = 0; j < 2; j++) {
      char text[256], path[512];
      snprintf(text, sizeof text,
               "emlsim-trace 1\nkernel chain grid=1 block=32 regs=8\nblock 0\nwarp 0\n"
               "%s d=1 s=1,2 n=%d\n",
               pipe[i].op, 1000 * (j + 1));
      write_file("chain.emtrace", text, path, sizeof path);
      simt_trace *t;
      simt_kernel k;
      em_diag d;
      assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
      assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
      simt_stats st;
      run(&c, &k, &st);
      assert_int_equal(st.warp_insts, 1000ull * (j + 1));
      cycles[j] = st.cycles;
      simt_kernel_free(&k);
      simt_trace_close(t);
      unlink(path);
    }
    double per = (double)(cycles[1] - cycles[0]) / 1000;
    printf("  %s chain: %.2f cycles (TITAN V %.2f)\n", pipe[i].op, per, pipe[i].published);
    assert_true(fabs(per / pipe[i].published - 1) <= 0.10);
  }
}

/* Cycles of one block of 32 warps on one SM, each warp running `lines`
 * instructions: line i is "OP d=r s=SRCS", r = (i % 8) * 2 + 1, with r
 * appended as the last source when `acc` (8 independent chains, so latency
 * hides behind the other warps and chains and the unit's rate decides). */
static uint64_t block_cycles(const simt_config *c, const char *op, const char *srcs, bool acc,
                             unsigned lines) {
  char path[512];
  snprintf(path, sizeof path, "%s/rate.emtrace", tmpdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("emlsim-trace 1\nkernel rate grid=1 block=1024 regs=32\nblock 0\n", f);
  for (int w = 0; w < 32; w++) {
    fprintf(f, "warp %d\n", w);
    for (unsigned i = 0; i < lines; i++) {
      unsigned r = (i % 8) * 2 + 1;
      fprintf(f, "%s d=%u s=%s", op, r, srcs);
      if (acc) fprintf(f, ",%u", r);
      fputc('\n', f);
    }
  }
  fclose(f);
  simt_trace *t;
  simt_kernel k;
  em_diag d;
  assert_int_equal(simt_trace_open(path, &t, &d), EM_OK);
  assert_int_equal(simt_trace_kernel(t, 0, &k, &d), EM_OK);
  simt_stats st;
  run(c, &k, &st);
  assert_int_equal(st.warp_insts, 32ull * lines);
  simt_kernel_free(&k);
  simt_trace_close(t);
  unlink(path);
  return st.cycles;
}

/* What one SM does a clock of `op`: 32 warps of 256 instructions against
 * 128, the difference 32 x 128 warp instructions of 32 lanes, each lane
 * `per_lane` flops (or bytes) */
static double sm_rate(const simt_config *c, const char *op, const char *srcs, bool acc,
                      double per_lane) {
  uint64_t a = block_cycles(c, op, srcs, acc, 128), b = block_cycles(c, op, srcs, acc, 256);
  return 32.0 * 128 * 32 * per_lane / (double)(b - a);
}

/* Throughput of one SM against Accel-Sim's TITAN V microbenchmark output
 * (REFERENCES.md, "TITAN V throughput"): FP32 126.9 flop/clk/SM (64 FMA
 * lanes: 128 peak); L1 116.4 B/clk/SM with 128-bit loads and 122.8 with
 * 64-bit (l1_bw_128f, l1_bw_64f: every lane's load hits L1).  32 warps,
 * 256 instructions each against 128: the difference is 32 x 128 warp
 * instructions of 32 lanes, 2 flops an FFMA lane, 8 or 16 B a load lane.
 * Within 10 %, as models/simt/README.md holds the other microbenchmarks.
 * The FP32 figure follows from the preset's 64 lanes, the 64-bit L1 figure
 * from l1_inst_cycles, which was set from it: consistency checks; the
 * 128-bit rate is predicted by the same port setting. */
static void sm_throughput(void **state) {
  (void)state;
  simt_config c = volta();
  c.n_sm = 1;
  double flops = sm_rate(&c, "FFMA", "40,41", true, 2);
  printf("  FFMA: %.1f flop/clk/SM (TITAN V 126.9)\n", flops);
  assert_true(fabs(flops / 126.9 - 1) <= 0.10);
  /* fp64 and fp16 (Accel-Sim's MaxFlops_double and MaxFlops_half, the
   * same output.file): 63.93 and 249.33 flop/clk/SM; a DFMA lane does 2
   * flops on Volta's 32 fp64 lanes an SM, an HFMA2 lane 4 (two fp16 FMAs)
   * on its 64 fp32 lanes: 64 and 256 at full rate */
  double dflops = sm_rate(&c, "DFMA", "40,41", true, 2);
  double hflops = sm_rate(&c, "HFMA2", "40,41", true, 4);
  printf("  DFMA: %.1f flop/clk/SM (TITAN V 63.93), HFMA2: %.1f (249.33)\n", dflops, hflops);
  assert_true(fabs(dflops / 63.93 - 1) <= 0.10);
  assert_true(fabs(hflops / 249.33 - 1) <= 0.10);
  /* the SFU (config_sfu's fast sqrt bandwidth): 15.98 a clock an SM, one
   * per lane of Volta's 4 SFU lanes a sub-core, 16 at full rate */
  double sfu = sm_rate(&c, "MUFU", "40", true, 1);
  printf("  MUFU: %.2f a clock an SM (TITAN V 15.98)\n", sfu);
  assert_true(fabs(sfu / 15.98 - 1) <= 0.10);
  /* the register after d is the 64-bit load's second half; the address
   * register 0 is never written */
  double l1_64 = sm_rate(&c, "LDG", "0 a=0x1000+8 w=8", false, 8);
  double l1_128 = sm_rate(&c, "LDG", "0 a=0x1000+16 w=16", false, 16);
  printf("  L1 loads: 64-bit %.1f (122.8), 128-bit %.1f (116.4) B/clk/SM\n", l1_64, l1_128);
  assert_true(fabs(l1_64 / 122.8 - 1) <= 0.10);
  assert_true(fabs(l1_128 / 116.4 - 1) <= 0.10);
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/emlsim_trace_XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  return rmdir(tmpdir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(accel_kernels),
      cmocka_unit_test(native_book),
      cmocka_unit_test(bad_traces),
      cmocka_unit_test(streamed_warps),
      cmocka_unit_test(sector_map_cap),
      cmocka_unit_test(tensor_cores),
      cmocka_unit_test(energy_by_hand),
      cmocka_unit_test(dependent_chain_latencies),
      cmocka_unit_test(sm_throughput),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
