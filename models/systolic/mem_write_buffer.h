/*
 * mem_write_buffer.h - a double-buffered write SRAM that drains to DRAM at
 * a fixed bandwidth and stalls its writer when it is full.
 *
 * This is SCALE-Sim v2's write buffer (scalesim/memory/write_buffer.py at
 * 22f88b1), rebuilt so that its counts and cycles come out the same:
 *  - words arrive in lines of `bw` words (the DRAM request width);
 *  - half the capacity (rounded up) is the active part: when the free space
 *    falls below it and no drain is running, the partly filled line is
 *    closed and ceil(inactive / bw) lines are drained, one per cycle from
 *    the current cycle (one per n cycles for operands of n memory words,
 *    mem_wrbuf_set_line_cycles);
 *  - while a drain runs, a writer that fills the buffer waits until it ends;
 *  - DRAM writes count every slot of the drained lines but the empty slots
 *    of the last one (SCALE-Sim's count: padding of earlier partial lines
 *    is counted); at the end everything left is drained, drain after drain.
 * Work is O(1) per line stored plus O(1) per run of words that neither start
 * a drain nor stall; memory holds only the lines not drained yet.
 * Units: cycles, words (one operand each), words per cycle.
 */
#ifndef MEM_WRITE_BUFFER_H
#define MEM_WRITE_BUFFER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"

typedef struct mem_wrbuf mem_wrbuf;

/* Counters of one buffer; start/stop are the first and last DRAM write
 * cycles, -1 when nothing was written. */
typedef struct {
  uint64_t dram_writes;
  int64_t dram_start, dram_stop;
} mem_wrbuf_stats;

/* Creates a buffer of `size_words` (>= 2) words draining `bw` (>= 1) words
 * per cycle. EM_ERR_INVALID or EM_ERR_NOMEM with a message on failure. */
em_status mem_wrbuf_create(uint64_t size_words, uint32_t bw, mem_wrbuf **out, em_diag *d);
void mem_wrbuf_destroy(mem_wrbuf *b);
/* Interface cycles one drained line takes (default 1): n for words that
 * are operands of n memory words each, so that a line of `bw` operands
 * moves at `bw` memory words a cycle (emlsim's own; SCALE-Sim has one
 * operand a word).  Set before the first store. */
void mem_wrbuf_set_line_cycles(mem_wrbuf *b, uint32_t n);

/* Stores `n` words demanded at `cycle`; returns the cycle by which they are
 * stored (`cycle`, or later after a stall). */
int64_t mem_wrbuf_store(mem_wrbuf *b, int64_t cycle, uint64_t n);

/* How many words a store at `cycle` takes without starting a drain or
 * stalling (such a store only fills lines and returns `cycle`); the figure
 * holds for every cycle before *until (the end of the drain running at
 * `cycle`; INT64_MAX when none runs). A walk uses it to store the words of
 * many lines at once. */
uint64_t mem_wrbuf_quiet(const mem_wrbuf *b, int64_t cycle, int64_t *until);

/* Drains what is left, starting at `cycle` (the last store's). */
void mem_wrbuf_finish(mem_wrbuf *b, int64_t cycle);

/* True once the buffer ran out of memory (its figures are then wrong). */
bool mem_wrbuf_failed(const mem_wrbuf *b);

mem_wrbuf_stats mem_wrbuf_get_stats(const mem_wrbuf *b);
/* Optional DRAM trace, SCALE-Sim's OFMAP_DRAM_TRACE.csv (write_buffer.py
 * print_trace): one row per drained line, its cycle, then the line's
 * `bw` addresses, -1 for an empty slot, each printed as numpy prints a
 * float64 ("12.0"), as SCALE-Sim's float trace matrix is.  Once `f` is
 * set, the address of every word stored must be queued, in order, with
 * mem_wrbuf_trace_words before the mem_wrbuf_store that stores it; the
 * queue holds the words not drained yet (at most the buffer and a line).
 * An allocation failure shows in mem_wrbuf_failed. */
void mem_wrbuf_trace(mem_wrbuf *b, FILE *f);
/* Queues the addresses of `n` words (entries of -1 are skipped). */
void mem_wrbuf_trace_words(mem_wrbuf *b, const int64_t *addr, size_t n);

#endif
