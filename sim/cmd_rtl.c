/*
 * cmd_rtl.c - `emlsim rtl verify` (the Verilated units against the C
 * functional models, with the simulation speed) and `emlsim rtl
 * characterize` (Yosys gate counts by width, the fitted scaling exponent,
 * toggle activity from Verilator, and an energy table from them).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cm_energy.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "mac_arith.h"
#include "plt_plot.h"
#include "rpt_table.h"
#include "sim_cli.h"
#include "sim_commands.h"
#include "sim_output.h"

#ifdef EMLSIM_HAVE_RTL
#include "rtl_synth.h"
#include "rtl_units.h"
#endif

static int cmd_rtl(int argc, char **argv);

const sim_command sim_cmd_rtl = {
    "rtl", cmd_rtl, "Verilog units under Verilator: verify them, characterize them with Yosys",
    "usage: emlsim rtl verify [--vectors N]\n"
    "       emlsim rtl characterize [--yosys PATH] [-o ENERGY.csv] [--plot FILE.png]\n"
    "\n"
    "verify        runs every operand pair of the 2-, 4- and 8-bit MACs (signed and\n"
    "              unsigned), N random accumulations (default 1000000) on the 13-, 16-\n"
    "              and 32-bit MACs, bit-serial dot products at every width pair 1..8\n"
    "              and XNOR/popcount vectors, each against its C model, and prints\n"
    "              the vectors per second Verilator reached; exit 1 on a mismatch.\n"
    "characterize  synthesizes the multiplier and the adder at 2, 4, 8, 16 and 32 bits\n"
    "              with Yosys, prints gate counts, the ratio per doubling and the\n"
    "              fitted exponent (GSL), the MACs' toggle activity from Verilator,\n"
    "              and with -o writes an energy table (costmodel CSV format) whose\n"
    "              rows scale the Horowitz int8 figures by gates x activity, and\n"
    "              with --plot draws gate count against width (gnuplot: SVG where\n"
    "              the name ends in .svg, PNG otherwise).\n"
    "\n"
    "  --vectors N         verify: random accumulations on the 13-, 16- and 32-bit\n"
    "                      MACs (default 1000000; 1 to 1e9)\n"
    "  --yosys PATH        characterize: the Yosys program (default: yosys on PATH)\n"
    "  -o, --output FILE   characterize: write the energy table there (atomically)\n"
    "  --plot FILE         characterize: draw gate count against width there\n"
    "  -h, --help          this help\n"
    "      --version       print the version\n"};

#ifndef EMLSIM_HAVE_RTL
static int cmd_rtl(int argc, char **argv) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    sim_print_usage(&sim_cmd_rtl, stdout);
    return SIM_EXIT_OK;
  }
  fprintf(stderr, "emlsim rtl: error: this emlsim was built without Verilator "
                  "(install verilator and rebuild with -DEMLSIM_RTL=ON)\n");
  return SIM_EXIT_ERROR;
}
#else

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

/* n vectors in s seconds as the table's vectors/s column: "-" where the
 * clock saw no time pass (or no vector ran), not inf or nan. */
static const char *rate(uint64_t n, double s, char *buf, size_t size) {
  if (n == 0 || !(s > 0)) snprintf(buf, size, "%12s", "-");
  else snprintf(buf, size, "%12.0f", (double)n / s);
  return buf;
}

/* A rate the wide units reach on a slow host (8 to 22 M vectors a second
 * measured on a 2-core KVM guest, 2026-11-28): above about 10 s of
 * vectors the run says so first, as a model says a run takes minutes. */
#define VERIFY_SLOW_RATE 8e6
#define VERIFY_SAY_S 10.0

static int verify(rtl_units *u, long vectors) {
  char rb[32];
  int bad = 0;
  unsigned wide = 0; /* the units run on random vectors, not on all pairs */
  for (rtl_mac_id id = 0; id < RTL_MAC_COUNT; id++) wide += rtl_mac_info_of(id)->wa > 8;
  double est = (double)vectors * wide / VERIFY_SLOW_RATE;
  if (est > VERIFY_SAY_S)
    sim_note("emlsim rtl", "%ld random vectors on each of the %u wide MAC units take %s (up to "
             "about %.0f s at %.0f M vectors a second; each unit's line below gives the rate "
             "reached here)",
             vectors, wide, est >= 60 ? "minutes" : "a while", est, VERIFY_SLOW_RATE / 1e6);
  printf("%-10s %12s %10s %12s\n", "unit", "vectors", "mismatches", "vectors/s");
  fflush(stdout); /* each unit's line as it ends, in a file too */
  for (rtl_mac_id id = 0; id < RTL_MAC_COUNT; id++) {
    const rtl_mac_info *m = rtl_mac_info_of(id);
    bool exhaustive = m->wa <= 8;
    uint64_t n = exhaustive ? (1ull << (m->wa + m->wb)) : (uint64_t)vectors, miss = 0, ref = 0;
    double t0 = now_s();
    for (uint64_t k = 0; k < n; k++) {
      uint32_t a, b;
      bool clear;
      if (exhaustive) {
        a = (uint32_t)(k >> m->wb);
        b = (uint32_t)(k & ((1u << m->wb) - 1));
        clear = (k & 255) == 0;
      } else {
        uint64_t r = next_rand();
        a = (uint32_t)r;
        b = (uint32_t)(r >> 32);
        clear = (next_rand() & 1023) == 0;
      }
      ref = mac_step(clear ? 0 : ref, a, b, m->wa, m->wb, m->is_signed, m->acc_bits);
      miss += rtl_mac_step(u, id, a, b, clear) != ref;
    }
    double s = now_s() - t0;
    printf("mac %-6s %12llu %10llu %s%s\n", m->name, (unsigned long long)n,
           (unsigned long long)miss, rate(n, s, rb, sizeof rb), exhaustive ? "  (all pairs)" : "");
    fflush(stdout);
    bad |= miss != 0;
  }
  uint64_t n = 0, miss = 0;
  double t0 = now_s();
  for (unsigned ba = 1; ba <= 8; ba++)
    for (unsigned bb = 1; bb <= 8; bb++)
      for (int sg = 0; sg < 4; sg++) {
        int64_t va[64], vb[64], direct = 0;
        for (int e = 0; e < 64; e++) {
          va[e] = mac_extend(next_rand(), ba, sg & 1);
          vb[e] = mac_extend(next_rand(), bb, sg & 2);
          direct += va[e] * vb[e];
        }
        uint64_t pa[8], pb[8], cyc;
        bs_to_planes(va, 64, ba, pa);
        bs_to_planes(vb, 64, bb, pb);
        miss += rtl_bitserial_dot(u, pa, ba, sg & 1, pb, bb, sg & 2, &cyc) != direct ||
                cyc != (uint64_t)ba * bb + 1;
        n++;
      }
  printf("%-10s %12llu %10llu %s  (64-element dot products, cycles = BA*BB + 1)\n",
         "bitserial", (unsigned long long)n, (unsigned long long)miss,
         rate(n, now_s() - t0, rb, sizeof rb));
  bad |= miss != 0;
  n = 100000;
  miss = 0;
  t0 = now_s();
  for (uint64_t k = 0; k < n; k++) {
    uint64_t a = next_rand(), b = next_rand();
    miss += rtl_xnor64(u, a, b) != xnor_dot(&a, &b, 64);
  }
  printf("%-10s %12llu %10llu %s\n", "xnor64", (unsigned long long)n, (unsigned long long)miss,
         rate(n, now_s() - t0, rb, sizeof rb));
  bad |= miss != 0;
  printf("%s\n", bad ? "MISMATCH: the RTL and the C models disagree" : "all bit-exact");
  return bad ? SIM_EXIT_ERROR : SIM_EXIT_OK;
}

/* Gate counts against width, log-log, with the N^2 and N slopes for
 * reference: gnuplot writes `png` (a temporary name the caller renames,
 * like every output); messages name `shown`. */
static int plot(const char *png, const char *shown, const unsigned *w, const uint64_t *mul,
                const uint64_t *add, int n) {
  char tmp[4200], q[8400], cmd[4400];
  em_diag d;
  /* the path as a gnuplot string, quotes doubled; a control character is
   * refused: a newline in it ended `set output` and ran the rest of the
   * name as commands, a backquote's shell command among them */
  if (snprintf(tmp, sizeof tmp, "%s.tmp.png", png) >= (int)sizeof tmp ||
      plt_quote_path(q, sizeof q, tmp, &d) != EM_OK) {
    fprintf(stderr, "%s: error: plot path has a control character or is too long\n", shown);
    return SIM_EXIT_ERROR;
  }
  /* -d: no init file, so a user's ~/.gnuplot changes nothing (plt_plot.c) */
  snprintf(cmd, sizeof cmd, "gnuplot -d 2>&1");
  FILE *g = popen(cmd, "w");
  if (!g) {
    fprintf(stderr, "%s: error: cannot run gnuplot\n", shown);
    return SIM_EXIT_ERROR;
  }
  /* SVG where the name ends in .svg, as every single-file plot (a PNG's
   * bytes under that name were a broken SVG) */
  fprintf(g, "set terminal %s\n",
          plt_is_svg(shown) ? "svg size 800,560 dynamic" : "pngcairo size 800,560");
  fprintf(g,
          "set output '%s'\n"
          "set title 'Gate count by operand width (Yosys, AND/NAND/OR/NOR/XOR/XNOR/MUX)'\n"
          "set logscale xy 2\nset xlabel 'width N (bits)'\nset ylabel 'cells'\n"
          "set key top left\nset grid\nset termoption noenhanced\n"
          "plot '-' using 1:2 with linespoints lw 2 title 'N x N multiplier', "
          "'-' using 1:2 with linespoints lw 2 title 'N + N adder', "
          "%g*x**2 with lines dt 2 title 'c N^2', %g*x with lines dt 2 title 'c N'\n",
          q, (double)mul[2] / 64.0, (double)add[2] / 8.0);
  for (int i = 0; i < n; i++) fprintf(g, "%u %llu\n", w[i], (unsigned long long)mul[i]);
  fprintf(g, "e\n");
  for (int i = 0; i < n; i++) fprintf(g, "%u %llu\n", w[i], (unsigned long long)add[i]);
  fprintf(g, "e\n");
  if (pclose(g) != 0) {
    remove(tmp);
    fprintf(stderr, "%s: error: gnuplot could not write the plot\n", shown);
    return SIM_EXIT_ERROR;
  }
  /* gnuplot exits 0 with its file cut short where the disk is full: the
   * file is checked whole for its format before it is renamed */
  if (plt_check_complete(tmp, plt_is_svg(shown) ? PLT_SVG : PLT_PNG, shown, &d) != EM_OK) {
    remove(tmp);
    return sim_fail(&d);
  }
  if (rename(tmp, png) != 0) {
    remove(tmp);
    fprintf(stderr, "%s: error: gnuplot could not write the plot\n", shown);
    return SIM_EXIT_ERROR;
  }
  return SIM_EXIT_OK;
}

static int characterize(rtl_units *u, const char *yosys, const char *out_path,
                        const char *png) {
  static const unsigned widths[5] = {2, 4, 8, 16, 32};
  static const rtl_mac_id macs[5] = {RTL_MAC_S2, RTL_MAC_U4, RTL_MAC_S8, RTL_MAC_S16,
                                     RTL_MAC_S32};
  const char *v = EMLSIM_RTL_VERILOG_DIR "/emlsim_syn_units.v";
  uint64_t mul[5], add[5];
  double act[5];
  em_diag d;
  em_diag_clear(&d);
  em_iocheck io;
  /* the Yosys run is an input where it is a file's path (a name is looked
   * up on PATH): '-o fy.sh --yosys ./fy.sh' replaced the program with the
   * table */
  const em_ioarg io_args[] = {{EM_IO_OUT_FILE, "-o", out_path},
                              {EM_IO_OUT_FILE, "--plot", png},
                              {EM_IO_INPUT, "--yosys", strchr(yosys, '/') ? yosys : NULL}};
  /* a plot path gnuplot cannot be given is refused before the syntheses */
  char pq[8400];
  if (sim_io_check(&io, io_args, SIM_IO_N(io_args), &d) != EM_OK ||
      (png && (plt_quote_path(pq, sizeof pq, png, &d) != EM_OK || sim_need_gnuplot(&d) != EM_OK)))
    return sim_fail(&d);
  for (int i = 0; i < 5; i++) {
    if (rtl_synth_cells(yosys, v, "emlsim_syn_mul", widths[i], &mul[i], &d) != EM_OK ||
        rtl_synth_cells(yosys, v, "emlsim_syn_add", widths[i], &add[i], &d) != EM_OK)
      return sim_fail(&d);
    /* Toggle activity: fraction of accumulator bits that flip per cycle
     * under random operands, from the Verilated MAC of that width. */
    const rtl_mac_info *m = rtl_mac_info_of(macs[i]);
    uint64_t t0 = rtl_toggles(u);
    const int steps = 20000;
    for (int k = 0; k < steps; k++) {
      uint64_t r = next_rand();
      rtl_mac_step(u, macs[i], (uint32_t)r, (uint32_t)(r >> 32), (k & 63) == 0);
    }
    act[i] = (double)(rtl_toggles(u) - t0) / steps / m->acc_bits;
  }
  /* The 2-bit multiplier is mostly wiring (7 cells); the N^2 law is
   * asymptotic, so the exponent is fitted on 4..32 bits (all five printed too). */
  double emul = rtl_scaling_exponent(widths + 1, mul + 1, 4);
  double eadd = rtl_scaling_exponent(widths + 1, add + 1, 4);
  printf("%5s %10s %9s %12s %12s\n", "bits", "mult_cells", "add_cells", "activity",
         "rel_energy");
  double e8 = (double)mul[2] * act[2];
  for (int i = 0; i < 5; i++) {
    printf("%5u %10llu %9llu %12.4f %12.4f\n", widths[i], (unsigned long long)mul[i],
           (unsigned long long)add[i], act[i], (double)mul[i] * act[i] / e8);
    if (i) {
      printf("      per doubling: mult x%.2f, add x%.2f\n", (double)mul[i] / mul[i - 1],
             (double)add[i] / add[i - 1]);
    }
  }
  printf("fitted exponent (cells ~ width^e, GSL least squares on log2), 4..32 bits: mult %.3f, "
         "add %.3f; 2..32 bits: mult %.3f, add %.3f\n",
         emul, eadd, rtl_scaling_exponent(widths, mul, 5), rtl_scaling_exponent(widths, add, 5));
  /* the -o table's energies: gates x activity, scaled so that the 8-bit
   * rows are Horowitz's int8 mult (0.2 pJ) and add (0.03 pJ) */
  double a8 = (double)add[2] * act[2], mul_pj[5], add_pj[5];
  for (int i = 0; i < 5; i++) {
    mul_pj[i] = 0.2 * (double)mul[i] * act[i] / e8;
    add_pj[i] = 0.03 * (double)add[i] * act[i] / a8;
  }
  /* what that gives at 32 bits, beside Horowitz's own 45 nm figures
   * (ISSCC 2014: 32-bit mult 3.1 pJ, add 0.1 pJ) */
  double m32 = mul_pj[4], a32 = add_pj[4];
  printf("at 32 bits, scaled from Horowitz's int8 0.2 and 0.03 pJ: mult %.2f pJ, add %.3f pJ; "
         "Horowitz's own 32-bit figures are 3.1 and 0.1 pJ (these are x%.1f, x%.1f): the "
         "activity is the accumulator's toggle rate (rtl/README.md)\n",
         m32, a32, m32 / 3.1, a32 / 0.1);
  /* the table and the plot: both written, then both renamed */
  em_outfile *outs[2] = {NULL, NULL};
  if (out_path) {
    if (em_outfile_open(out_path, &outs[0], &d) != EM_OK) return sim_fail(&d);
    FILE *f = em_outfile_fp(outs[0]);
    fprintf(f, "# Energy per operation from synthesis: Yosys gate counts x Verilator toggle\n"
               "# activity, scaled so that 8-bit rows equal Horowitz's 45 nm int8 mult (0.2 pJ)\n"
               "# and add (0.03 pJ). The fp, SRAM and DRAM rows are the default table's, so\n"
               "# that every model can run on it (--energy-table).\n"
               "op,type,bits,capacity_bytes,energy_pj,source\n");
    for (int i = 0; i < 5; i++) {
      fprintf(f, "mult,int,%u,,%.6g,\"synthesis: yosys %llu cells x activity %.4f, scaled to "
                 "Horowitz int8 mult\"\n",
              widths[i], mul_pj[i], (unsigned long long)mul[i], act[i]);
      fprintf(f, "add,int,%u,,%.6g,\"synthesis: yosys %llu cells x activity %.4f, scaled to "
                 "Horowitz int8 add\"\n",
              widths[i], add_pj[i], (unsigned long long)add[i], act[i]);
    }
    /* every other row from the default table (Horowitz 45 nm), its source
     * kept: fp arithmetic, SRAM, DRAM (each model needs some of them) */
    cm_energy_table *def = NULL;
    if (cm_energy_table_default(&def, &d) != EM_OK) {
      em_outfile_abort(outs[0]);
      return sim_fail(&d);
    }
    size_t n;
    const cm_energy_row *row = cm_energy_table_rows(def, &n);
    for (size_t i = 0; i < n; i++) {
      const cm_energy_row *r = &row[i];
      if ((r->op == CM_OP_MULT || r->op == CM_OP_ADD) && !r->fp) continue; /* the RTL's */
      fprintf(f, "%s,%s,%u,", cm_energy_op_name(r->op), cm_energy_row_type(r), r->bits);
      if (r->capacity_bytes) fprintf(f, "%llu", (unsigned long long)r->capacity_bytes);
      fprintf(f, ",%.10g,", r->energy_pj);
      rpt_csv_field(f, r->source);
      fputc('\n', f);
    }
    cm_energy_table_destroy(def);
  }
  if (png) {
    int rc = em_outfile_open_tmp(png, &outs[1], &d) == EM_OK
                 ? plot(em_outfile_tmp(outs[1]), png, widths, mul, add, 5)
                 : sim_fail(&d);
    if (rc != SIM_EXIT_OK) {
      em_outfile_abort(outs[0]);
      em_outfile_abort(outs[1]);
      return rc;
    }
  }
  return em_outfile_commit_all(outs, 2, &d) == EM_OK ? SIM_EXIT_OK : sim_fail(&d);
}

static int cmd_rtl(int argc, char **argv) {
  static const struct option opts[] = {{"vectors", required_argument, NULL, 'n'},
                                       {"yosys", required_argument, NULL, 'y'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"plot", required_argument, NULL, 'p'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, SIM_OPT_VERSION},
                                       {NULL, 0, NULL, 0}};
  long vectors = 1000000;
  const char *yosys = "yosys", *out = NULL, *png = NULL;
  const char *verify_opt = NULL, *char_opt = NULL; /* an option of one subcommand, given */
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
    switch (c) {
    case 'n': {
      uint64_t v;
      if (em_parse_u64(optarg, &v) != EM_OK || v < 1 || v > 1000000000)
        return sim_usage_error("rtl", "'--vectors' must be in [1, 1e9], got '%s'", optarg);
      vectors = (long)v;
      verify_opt = "--vectors";
      break;
    }
    case 'y': yosys = optarg; char_opt = "--yosys"; break;
    case 'o':
      if (sim_check_output("rtl", "-o", optarg, NULL, NULL)) return SIM_EXIT_USAGE;
      out = optarg;
      char_opt = "-o";
      break;
    case 'p':
      if (sim_check_output("rtl", "--plot", optarg, "a file", "a PNG")) return SIM_EXIT_USAGE;
      png = optarg;
      char_opt = "--plot";
      break;
    case 'h': sim_print_usage(&sim_cmd_rtl, stdout); return SIM_EXIT_OK;
    case SIM_OPT_VERSION: return sim_print_version();
    case ':': return sim_usage_error("rtl", "option '%s' needs a value", argv[optind - 1]);
    default: return sim_unknown_option("rtl", argv[optind - 1], opts);
    }
  }
  if (optind == argc || (strcmp(argv[optind], "verify") && strcmp(argv[optind], "characterize")))
    return sim_usage_error("rtl", "expected 'verify' or 'characterize'");
  if (optind != argc - 1)
    return sim_usage_error("rtl", "unexpected argument '%s'", argv[optind + 1]);
  /* the other subcommand's option is refused, not ignored ('rtl verify -o
   * energy.csv' wrote nothing and exited 0) */
  if (strcmp(argv[optind], "verify") == 0 && char_opt)
    return sim_usage_error("rtl", "'%s' is an option of 'rtl characterize', not of 'rtl verify'",
                           char_opt);
  if (strcmp(argv[optind], "characterize") == 0 && verify_opt)
    return sim_usage_error("rtl", "'%s' is an option of 'rtl verify', not of 'rtl characterize'",
                           verify_opt);
  rtl_units *u = rtl_create();
  if (!u) {
    fprintf(stderr, "emlsim rtl: error: cannot create the simulated units\n");
    return SIM_EXIT_ERROR;
  }
  int rc = strcmp(argv[optind], "verify") == 0 ? verify(u, vectors) : characterize(u, yosys, out, png);
  rtl_destroy(u);
  return rc;
}
#endif
