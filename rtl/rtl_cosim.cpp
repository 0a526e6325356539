// rtl_cosim.cpp - SystemC co-simulation of the systolic PE array behind the
// C API of rtl_cosim.h.
//
// Per array size R x C (4 x 4 and 8 x 8, rtl/CMakeLists.txt) a top module
// `cosim_top` holds
//   - its clock, an sc_clock of 10 ns (the period only orders events; every
//     figure is in cycles);
//   - the Verilated emlsim_pe_array (Vpe_array_RxC; Verilated with --sc and
//     --pins-bv 2, so every vector port is an sc_bv and the row / column
//     slices are read and written by range);
//   - a memory model `mem_model`, an sc_module holding A (M x K), B (K x N)
//     and C (M x N): it splits the GEMM into folds, feeds each fold's skewed
//     operand streams into the array's left and top edges and collects the
//     results at the bottom edge into C.
// The memory model is a clocked thread on the falling edge: it reads the
// array's outputs (all registers) as the rising edge left them and writes
// the inputs that the next rising edge samples, as a testbench driving on
// the opposite edge does.
//
// Folds and timing (rtl/README.md has the cycle mapping in full):
//   os: a fold is an R x C tile of C; A's rows and B's columns enter one
//       cycle apart per row / column, every row and column of the array fed
//       (a partial tile with zeros, as SCALE-Sim pads it), the first element
//       flagged a_first; when `busy` falls the R accumulators of each column
//       are shifted out at the bottom (R - 1 drain clocks).
//   ws: a fold is an R x C tile of B: R clocks shift the weights in (row
//       R - 1 first), then A's columns k0..k0+R-1 enter one cycle apart per
//       row, and the partial sums leave at the bottom, psum_valid marking
//       each; the memory model adds them into C (the row folds of K sum).
// `cycles` counts the clocks on which the array's `busy` was high, less one:
// SCALE-Sim's total is the index of its last compute cycle.
//
// SystemC has one kernel per process and elaborates once: the tops of both
// sizes are built on the first call, before the first sc_start(); a run
// hands a job to its top's memory model, which resets the array, runs the
// folds and calls sc_pause(), and sc_start() returns. That process-wide
// state is the one mutable global here, as it is in SystemC itself.
#include "rtl_cosim.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include <systemc>

#include "Vpe_array_4x4.h"
#include "Vpe_array_8x8.h"

// libsystemc's own main() calls sc_main, so a program linking libsystemc
// must define one; emlsim's programs have their own main(), and this one
// is never called.
int sc_main(int, char **) { return 1; }

namespace {

using sc_core::sc_in;
using sc_core::sc_out;
using sc_core::sc_signal;
using sc_dt::sc_bv;

// The Verilog's default widths (emlsim_pe_array.v): int8 operands, 32-bit
// accumulators.
constexpr int WA = 8, WB = 8, ACC = 32;
constexpr double CLOCK_NS = 10.0;

struct job {
  rtl_cosim_dataflow df;
  uint32_t m, n, k;
  const int8_t *a, *b;
  int32_t *c;
  rtl_cosim_stats st;
  bool done;
  std::string error; // an RTL protocol violation the memory model saw
};

template <int R, int C> struct mem_model : sc_core::sc_module {
  sc_in<bool> clk;
  sc_out<bool> rst, ws, load, drain;
  sc_out<sc_bv<R * WA>> a_in;
  sc_out<sc_bv<R>> a_valid, a_first;
  sc_out<sc_bv<C * WB>> b_in;
  sc_out<sc_bv<C * ACC>> psum_in;
  sc_in<sc_bv<C * ACC>> psum_out;
  sc_in<sc_bv<C>> psum_valid;
  sc_in<bool> busy;

  SC_HAS_PROCESS(mem_model);
  explicit mem_model(sc_core::sc_module_name nm) : sc_core::sc_module(nm) {
    SC_CTHREAD(run, clk.neg());
  }

  // Hands a job over; the thread starts it at the next falling edge.
  void submit(job *j) { job_ = j; }

private:
  job *job_ = nullptr;
  uint32_t got_[C]; // ws: partial sums collected per column in this fold

  void run() {
    for (;;) {
      wait();
      if (!job_) continue;
      execute(*job_);
      job_->done = true;
      job_ = nullptr;
      sc_core::sc_pause();
    }
  }

  // One clock: the rising edge samples the inputs written so far; back at
  // the falling edge, the outputs are what it registered.
  void step(job &j) {
    wait();
    j.st.clock_cycles++;
    if (busy.read()) j.st.busy_cycles++;
  }

  // A bound on the clocks a phase may wait for the array (a broken RTL
  // would otherwise hang the run): the longest fold and some.
  uint64_t wait_bound(const job &j) const { return 4ull * (R + C + j.m + j.k) + 64; }

  void idle_inputs() {
    a_in.write(sc_bv<R * WA>(0));
    a_valid.write(sc_bv<R>(0));
    a_first.write(sc_bv<R>(0));
    b_in.write(sc_bv<C * WB>(0));
    load.write(false);
    drain.write(false);
  }

  void execute(job &j) {
    std::fill(j.c, j.c + (size_t)j.m * j.n, 0);
    // Reset: one clock, every register of the array cleared.
    idle_inputs();
    psum_in.write(sc_bv<C * ACC>(0)); // a plain GEMM: nothing enters from above
    ws.write(j.df == RTL_COSIM_WS);
    rst.write(true);
    step(j);
    rst.write(false);
    if (j.df == RTL_COSIM_OS) {
      for (uint32_t r0 = 0; r0 < j.m && j.error.empty(); r0 += R)
        for (uint32_t c0 = 0; c0 < j.n && j.error.empty(); c0 += C) fold_os(j, r0, c0);
    } else {
      for (uint32_t k0 = 0; k0 < j.k && j.error.empty(); k0 += R)
        for (uint32_t c0 = 0; c0 < j.n && j.error.empty(); c0 += C) fold_ws(j, k0, c0);
    }
    j.st.cycles = j.st.busy_cycles ? j.st.busy_cycles - 1 : 0;
  }

  // Waits for `busy` to fall; false (and j.error set) past the bound.
  bool settle(job &j) {
    for (uint64_t w = 0; busy.read(); w++) {
      if (w > wait_bound(j)) {
        j.error = "the array stayed busy";
        return false;
      }
      step(j);
    }
    return true;
  }

  // os: C[r0 .. r0+R-1][c0 .. c0+C-1], K products per PE.
  void fold_os(job &j, uint32_t r0, uint32_t c0) {
    j.st.folds++;
    const int64_t K = j.k;
    const int64_t feed = K + std::max(R, C) - 1; // clocks until every row and column has had K
    for (int64_t t = 0; t < feed; t++) {
      sc_bv<R * WA> av(0);
      sc_bv<R> vv(0), fv(0);
      for (int i = 0; i < R; i++) {
        int64_t kk = t - i; // row i runs i cycles behind row 0
        if (kk < 0 || kk >= K) continue;
        vv[i] = true;
        fv[i] = kk == 0;
        uint32_t row = r0 + (uint32_t)i;
        int8_t a = row < j.m ? j.a[(size_t)row * j.k + (size_t)kk] : 0;
        av.range(i * WA + WA - 1, i * WA) = (unsigned)(uint8_t)a;
      }
      sc_bv<C * WB> bv(0);
      for (int c = 0; c < C; c++) {
        int64_t kk = t - c;
        uint32_t col = c0 + (uint32_t)c;
        if (kk < 0 || kk >= K || col >= j.n) continue;
        bv.range(c * WB + WB - 1, c * WB) = (unsigned)(uint8_t)j.b[(size_t)kk * j.n + col];
      }
      a_in.write(av);
      a_valid.write(vv);
      a_first.write(fv);
      b_in.write(bv);
      step(j);
    }
    idle_inputs();
    if (!settle(j)) return;
    // Drain: the bottom edge shows row R - 1's accumulators, then each
    // clock with `drain` shifts the next row down.
    for (int d = 0; d < R; d++) {
      if (d > 0) {
        drain.write(true);
        step(j);
      }
      uint32_t row = r0 + (uint32_t)(R - 1 - d);
      if (row >= j.m) continue;
      const sc_bv<C * ACC> ps = psum_out.read();
      for (int c = 0; c < C; c++) {
        uint32_t col = c0 + (uint32_t)c;
        if (col < j.n)
          j.c[(size_t)row * j.n + col] =
              (int32_t)ps.range(c * ACC + ACC - 1, c * ACC).to_uint();
      }
    }
    drain.write(false);
  }

  // Adds the partial sums at the bottom edge into C (ws), row by row in
  // order of arrival per column.
  void collect(job &j, uint32_t c0) {
    const sc_bv<C> pv = psum_valid.read();
    const sc_bv<C * ACC> ps = psum_out.read();
    for (int c = 0; c < C; c++) {
      if (!pv[c].to_bool()) continue;
      if (got_[c] >= j.m) {
        j.error = "a column gave more partial sums than A has rows";
        return;
      }
      uint32_t col = c0 + (uint32_t)c, row = got_[c]++;
      if (col >= j.n) continue;
      int32_t *out = &j.c[(size_t)row * j.n + col];
      // Wrapping as the 32-bit accumulator does (unsigned: no overflow UB).
      *out = (int32_t)((uint32_t)*out + (uint32_t)ps.range(c * ACC + ACC - 1, c * ACC).to_uint());
    }
  }

  // ws: B[k0 .. k0+R-1][c0 .. c0+C-1] held in the array, all M rows of A
  // streamed past it.
  void fold_ws(job &j, uint32_t k0, uint32_t c0) {
    j.st.folds++;
    // Load: R clocks shift the weights down every column, row R - 1's first.
    for (int l = 0; l < R; l++) {
      uint32_t wrow = k0 + (uint32_t)(R - 1 - l);
      sc_bv<C * WB> bv(0);
      for (int c = 0; c < C; c++) {
        uint32_t col = c0 + (uint32_t)c;
        if (wrow < j.k && col < j.n)
          bv.range(c * WB + WB - 1, c * WB) = (unsigned)(uint8_t)j.b[(size_t)wrow * j.n + col];
      }
      b_in.write(bv);
      load.write(true);
      step(j);
    }
    load.write(false);
    b_in.write(sc_bv<C * WB>(0));
    std::fill(got_, got_ + C, 0u);
    // Stream: row i of the array takes A's column k0 + i, i cycles late.
    const int64_t M = j.m;
    for (int64_t t = 0; t < M + R - 1; t++) {
      sc_bv<R * WA> av(0);
      sc_bv<R> vv(0);
      for (int i = 0; i < R; i++) {
        int64_t mm = t - i;
        if (mm < 0 || mm >= M) continue;
        vv[i] = true;
        uint32_t kk = k0 + (uint32_t)i;
        int8_t a = kk < j.k ? j.a[(size_t)mm * j.k + kk] : 0;
        av.range(i * WA + WA - 1, i * WA) = (unsigned)(uint8_t)a;
      }
      a_in.write(av);
      a_valid.write(vv);
      step(j);
      collect(j, c0);
    }
    idle_inputs();
    // The last partial sums leave R + C - 2 clocks later; wait for them and
    // for `busy` to fall.
    for (uint64_t w = 0;; w++) {
      bool all = true;
      for (int c = 0; c < C; c++) all = all && got_[c] == j.m;
      if ((all && !busy.read()) || !j.error.empty()) break;
      if (w > wait_bound(j)) {
        j.error = "the partial sums did not all arrive";
        return;
      }
      step(j);
      collect(j, c0);
    }
  }
};

template <int R, int C, class V> struct cosim_top : sc_core::sc_module {
  sc_core::sc_clock clk;
  sc_signal<bool> rst, ws, load, drain, busy;
  sc_signal<sc_bv<R * WA>> a_in, a_out;
  sc_signal<sc_bv<R>> a_valid, a_first, a_valid_out, a_first_out;
  sc_signal<sc_bv<C * WB>> b_in, b_out;
  sc_signal<sc_bv<C * ACC>> psum_in, psum_out;
  sc_signal<sc_bv<C>> psum_valid;
  V dut;
  mem_model<R, C> mem;

  explicit cosim_top(sc_core::sc_module_name nm)
      : sc_core::sc_module(nm), clk("clk", CLOCK_NS, sc_core::SC_NS), rst("rst"), ws("ws"),
        load("load"), drain("drain"), busy("busy"), a_in("a_in"), a_out("a_out"),
        a_valid("a_valid"), a_first("a_first"), a_valid_out("a_valid_out"),
        a_first_out("a_first_out"), b_in("b_in"), b_out("b_out"), psum_in("psum_in"),
        psum_out("psum_out"), psum_valid("psum_valid"), dut("dut"), mem("mem") {
    dut.clk(clk);
    dut.rst(rst);
    dut.ws(ws);
    dut.load(load);
    dut.drain(drain);
    dut.a_in(a_in);
    dut.a_valid(a_valid);
    dut.a_first(a_first);
    dut.b_in(b_in);
    dut.psum_in(psum_in);
    dut.a_out(a_out); // the right edge and b_out: for a waveform, not read
    dut.a_valid_out(a_valid_out);
    dut.a_first_out(a_first_out);
    dut.b_out(b_out);
    dut.psum_out(psum_out);
    dut.psum_valid(psum_valid);
    dut.busy(busy);
    mem.clk(clk);
    mem.rst(rst);
    mem.ws(ws);
    mem.load(load);
    mem.drain(drain);
    mem.a_in(a_in);
    mem.a_valid(a_valid);
    mem.a_first(a_first);
    mem.b_in(b_in);
    mem.psum_in(psum_in);
    mem.psum_out(psum_out);
    mem.psum_valid(psum_valid);
    mem.busy(busy);
  }
};

struct world {
  cosim_top<4, 4, Vpe_array_4x4> t4{"emlsim_cosim_4x4"};
  cosim_top<8, 8, Vpe_array_8x8> t8{"emlsim_cosim_8x8"};
  bool broken = false;
};

world *the_world; // SystemC's kernel is one per process, and so is this

// Clocks a run should take at most (rtl/README.md's clock count, doubled,
// and some): past it the run is declared hung.
uint64_t clock_bound(unsigned R, unsigned C, const job &j) {
  auto cdiv = [](uint64_t x, uint64_t y) { return (x + y - 1) / y; };
  uint64_t folds, per;
  if (j.df == RTL_COSIM_OS) {
    folds = cdiv(j.m, R) * cdiv(j.n, C);
    per = j.k + 2ull * R + C;
  } else {
    folds = cdiv(j.k, R) * cdiv(j.n, C);
    per = 2ull * R + C + j.m;
  }
  return 2 * folds * per + 1000;
}

em_status make_world(em_diag *d) {
  if (the_world) return EM_OK;
  // SystemC prints its banner on stdout unless told not to; a library must
  // not (the user's own setting, if any, stands).
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  try {
    // Reports: info and warnings are dropped (a library does not print);
    // errors throw and become an em_status below.
    using sc_core::sc_report_handler;
    sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
    sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
    sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
    the_world = new world();
  } catch (const std::exception &e) {
    return em_diag_set(d, EM_ERR_IO, NULL, 0, 0, "systemc co-simulation: %s", e.what());
  }
  return EM_OK;
}

} // namespace

extern "C" {

bool rtl_cosim_has_array(unsigned rows, unsigned cols) {
  return rows == cols && (rows == 4 || rows == 8);
}

em_status rtl_cosim_gemm(unsigned rows, unsigned cols, rtl_cosim_dataflow df, uint32_t m,
                         uint32_t n, uint32_t k, const int8_t *a, const int8_t *b, int32_t *c,
                         rtl_cosim_stats *stats, em_diag *d) {
  if (!rtl_cosim_has_array(rows, cols))
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "'array' must be 4x4 or 8x8 (the arrays built), got %ux%u", rows, cols);
  if (df != RTL_COSIM_OS && df != RTL_COSIM_WS)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "'dataflow' must be os (0) or ws (1), got %d",
                       (int)df);
  const uint32_t dims[3] = {m, n, k};
  const char *names[3] = {"M", "N", "K"};
  for (int i = 0; i < 3; i++)
    if (dims[i] < 1 || dims[i] > RTL_COSIM_DIM_MAX)
      return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "'%s' must be in [1, %u], got %u", names[i],
                         RTL_COSIM_DIM_MAX, dims[i]);
  if (!a || !b || !c)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "'%s' must not be NULL",
                       !a ? "A" : !b ? "B" : "C");
  em_status st = make_world(d);
  if (st != EM_OK) return st;
  if (the_world->broken)
    return em_diag_set(d, EM_ERR_IO, NULL, 0, 0,
                       "systemc co-simulation: unusable after an earlier failure in this process");
  job j{df, m, n, k, a, b, c, {0, 0, 0, 0}, false, std::string()};
  const uint64_t bound = clock_bound(rows, cols, j);
  try {
    if (rows == 4)
      the_world->t4.mem.submit(&j);
    else
      the_world->t8.mem.submit(&j);
    sc_core::sc_start(sc_core::sc_time(CLOCK_NS * (double)bound, sc_core::SC_NS));
  } catch (const std::exception &e) {
    the_world->broken = true;
    return em_diag_set(d, EM_ERR_IO, NULL, 0, 0, "systemc co-simulation: %s", e.what());
  }
  if (!j.done) {
    // The memory model is stuck mid-job: nothing later can run.
    the_world->broken = true;
    return em_diag_set(d, EM_ERR_IO, NULL, 0, 0,
                       "systemc co-simulation: no result within %llu clocks",
                       (unsigned long long)bound);
  }
  if (!j.error.empty())
    return em_diag_set(d, EM_ERR_IO, NULL, 0, 0, "systemc co-simulation: %s",
                       j.error.c_str());
  if (stats) *stats = j.st;
  return EM_OK;
}

} // extern "C"
