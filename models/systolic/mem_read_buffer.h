/*
 * mem_read_buffer.h - a double-buffered read SRAM that prefetches an operand
 * from DRAM in a fixed order at a fixed interface bandwidth, and stalls its
 * reader when a demanded word has not arrived yet.
 *
 * This is SCALE-Sim v2's read buffer for a user-given DRAM bandwidth
 * (scalesim/memory/read_buffer.py at 22f88b1, `InterfaceBandwidth: USER`),
 * rebuilt so that its counts and cycles come out the same:
 *  - the operand's fetch stream (the "prefetch matrix" of the array model,
 *    its null entries dropped) is cut into sets of ceil(size / 100) words;
 *  - the buffer holds a window of ceil(active / set) sets, active being the
 *    first half of the capacity (rounded up), and a prefetch area of the
 *    remaining half; a demanded word is a hit if any set of the window
 *    holds it;
 *  - on a miss the window moves on by the prefetch area's sets (wrapping
 *    round the stream) and a DRAM burst of ceil(prefetch / bw) lines of bw
 *    words is issued one cycle after the previous burst ended; the reader
 *    stalls until that burst's last response;
 *  - the first burst, issued before cycle 0 so that it ends at the first
 *    demand's cycle - 1, fetches ceil(active / bw) lines (at most the whole
 *    fetch matrix, nulls included); DRAM reads count every slot of every
 *    line requested, as SCALE-Sim does;
 *  - a line of operands wider than a memory word takes as many cycles as
 *    an operand takes words (mem_stream.cycles_per_line), emlsim's own.
 * The window is a range of stream positions: moving it is O(1).  A lookup
 * asks where the address occurs: either the stream says so itself (a
 * callback that tells whether the address occurs in a range of positions,
 * as an operand whose layout is known can: no memory), or the stream is indexed once (each
 * address's positions in it, a binary search among them: 4 bytes per stream
 * word and per address, or only per address when no address repeats).
 * Units: cycles, words (one operand each), words per cycle.
 */
#ifndef MEM_READ_BUFFER_H
#define MEM_READ_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

/* The fetch stream of one operand, in prefetch order, given in one of three
 * ways:
 *  - fill() writes up to `max` next addresses (each in [0, addr_space),
 *    nulls already dropped) and returns how many it wrote, 0 at the end;
 *    rewind() starts it again: the buffer indexes the stream once;
 *  - `words` (its length) and occurs(): whether `addr` occurs at a position
 *    in [from, to), computed by the stream from its layout: no index (the
 *    addresses read must then come from the stream);
 *  - `words` alone, when every address occurs once and every read gives its
 *    position (mem_rdbuf_read_run with pos0): no index, and mem_rdbuf_read
 *    may not be used. */
typedef struct {
  size_t (*fill)(void *ctx, int64_t *out, size_t max);
  void (*rewind)(void *ctx);
  bool (*occurs)(const void *ctx, int64_t addr, uint64_t from, uint64_t to);
  void *ctx;
  uint64_t padded_words; /* entries of the fetch matrix, nulls included */
  uint64_t words;        /* 0 (fill given), or the stream's length */
  uint64_t addr_space;   /* addresses are below this */
  /* DRAM words each stream word stands for: 0 or 1 for an operand stored
   * as it is read; else the bursts are that many times longer (and count
   * that many words): an operand the simulation represents by slots that
   * DRAM holds compressed (a sparse filter's values plus metadata per
   * weight slot) or wider (the whole activation feed an N:M window
   * selects from). */
  double dram_words_per_word;
  /* Interface cycles one line of `bw` stream words takes: 0 or 1 for an
   * operand of one memory word; n for one of n words (an int16 operand in
   * 1-byte words: n = 2), so that the interface moves `bw` memory words a
   * cycle while the counts stay in operands, SCALE-Sim's unit. */
  uint32_t cycles_per_line;
} mem_stream;

typedef struct mem_rdbuf mem_rdbuf;

/* Counters of one buffer; start/stop are the first and last DRAM response
 * cycles (SCALE-Sim's DRAM trace rows). */
typedef struct {
  uint64_t dram_reads;
  int64_t dram_start, dram_stop;
} mem_rdbuf_stats;

/* Creates a buffer of `size_words` words fed at `bw` words per cycle from
 * `stream` (copied; its ctx must outlive the buffer).  size_words >= 100,
 * bw >= 1.  EM_ERR_NOMEM or EM_ERR_INVALID (with a message) on failure. */
em_status mem_rdbuf_create(uint64_t size_words, uint32_t bw, const mem_stream *stream,
                           mem_rdbuf **out, em_diag *d);
void mem_rdbuf_destroy(mem_rdbuf *b);

/* One demand line (one array cycle): begin at `cycle`, read each address
 * in order, end returns the cycle the line is served (cycle + 1 without a
 * stall).  The first line issues the initial burst. */
void mem_rdbuf_line_begin(mem_rdbuf *b, int64_t cycle);
/* EM_ERR_NOTFOUND if `addr` is not in the stream at all. */
em_status mem_rdbuf_read(mem_rdbuf *b, int64_t addr);
/* Word i of a demand line, for mem_rdbuf_read_run. */
typedef int64_t (*mem_word_fn)(const void *ctx, size_t i);
#define MEM_POS_UNKNOWN UINT64_MAX

/* Optional, for a run: the first of words [from, n) none of whose
 * occurrences (its own position included) lies in the window, whose
 * positions are the `nw` (1 or 2) ranges [win[2k], win[2k + 1]); n if every
 * one hits. A caller that knows where its words recur answers for many
 * words at once what word-by-word lookups would. */
typedef size_t (*mem_scan_fn)(const void *ctx, size_t from, size_t n, const uint64_t *win,
                              size_t nw);

/* The same as mem_rdbuf_read on the `n` words word(ctx, 0 .. n-1) in order,
 * for words that should be the stream positions pos0 .. pos0 + n - 1
 * (MEM_POS_UNKNOWN: the position of word 0, if its address occurs only
 * once in the stream). Both ends are checked against the stream; if they
 * do not match, the words are read one by one. A word whose own position
 * is in the window hits without a lookup, so a line costs O(1) plus the
 * words outside the window; word() is called only for those and the ends,
 * and with `scan` (may be NULL) only for the words that miss.
 * A stream created with its words given (no index) trusts pos0, which must
 * then be known: EM_ERR_INVALID otherwise. */
em_status mem_rdbuf_read_run(mem_rdbuf *b, uint64_t pos0, mem_word_fn word, mem_scan_fn scan,
                             const void *ctx, size_t n);
int64_t mem_rdbuf_line_end(const mem_rdbuf *b);

/* If stream position p is in the window, the end of the stretch of the
 * window that holds it (positions p .. end - 1 are all in, so a read of
 * any of them hits and changes nothing); 0 if p is not in the window. A
 * walk uses it to skip the demand lines that cannot miss. */
uint64_t mem_rdbuf_window_end(const mem_rdbuf *b, uint64_t p);

mem_rdbuf_stats mem_rdbuf_get_stats(const mem_rdbuf *b);
/* The buffer's DRAM requests, for its trace: whether the first burst was
 * issued, its lines, the lines of every later burst and how many of those
 * were issued (each chained to the one before). */
typedef struct {
  bool started;
  uint64_t first_lines, lines, bursts;
} mem_rdbuf_bursts;
mem_rdbuf_bursts mem_rdbuf_get_bursts(const mem_rdbuf *b);

#endif
