/*
 * mem_read_buffer.c - prefetching double-buffered read SRAM behind a DRAM
 * interface of fixed bandwidth (mem_read_buffer.h).
 *
 * Reference: SCALE-Sim v2 scalesim/memory/read_buffer.py and read_port.py
 * (scalesim-project/scale-sim-v2 at 22f88b1), whose counts and cycles are
 * reproduced: 100 sets per buffer, active fraction 0.5, read-port latency 1
 * cycle, hit latency 1 cycle.  The Python model keeps every set as a Python
 * set and scans the window's sets on each lookup.  Here the window is a
 * range of stream positions, so moving it is O(1) whatever a burst fetches,
 * and a lookup asks for the address's first occurrence at or after the
 * window's start: from the stream itself where it can compute it
 * (mem_stream.occurs), else from an index built once (the positions of
 * each address, ascending: one 32-bit word per stream word and per
 * address), by a binary search among the address's few occurrences.
 */
#include "mem_read_buffer.h"

#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* SCALE-Sim divides every buffer into 100 sets ("lines" of its hashed
 * buffer) and makes half of it the active part (active_buf_frac 0.5). */
#define SETS_PER_BUFFER 100
#define HIT_LATENCY 1  /* cycles from a hit to the word at the array */
#define PORT_LATENCY 1 /* cycles from a DRAM request to its response */

/* No occurrence of an address (unique streams). */
#define NO_POS UINT32_MAX

struct mem_rdbuf {
  uint32_t *off; /* per address: its occurrences are occ[off[a] .. off[a+1]);
                  * when every address occurs at most once (a filter), its
                  * position, NO_POS for none, and occ is not kept */
  uint32_t *occ; /* stream positions of each address, ascending */
  bool unique;
  bool no_index; /* the caller gives every position (mem_stream.words) */
  /* or the stream locates its addresses itself (mem_stream.occurs) */
  bool (*occurs)(const void *ctx, int64_t addr, uint64_t from, uint64_t to);
  const void *ctx;
  uint64_t words, addr_space;
  uint64_t eps;  /* words per set */
  uint64_t num_sets, n_active, n_prefetch;
  uint64_t first_set; /* the window is sets first_set .. + n_active - 1, mod num_sets */
  uint64_t burst0_lines, burst_lines, bursts;
  uint32_t bw;
  uint32_t cpl; /* interface cycles a line takes (mem_stream.cycles_per_line) */
  bool started;
  int64_t cycle, offset, last_prefetch;
  mem_rdbuf_stats st;
};

static uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

/* ceil(words x f / bw) lines, at least one for any word. */
static uint64_t scaled_lines(uint64_t words, double f, uint32_t bw) {
  double x = ceil((double)words * f / (double)bw);
  return words == 0 ? 0 : x < 1 ? 1 : (uint64_t)x;
}

/* Whether one of occ[lo, hi) (ascending) lies in [x, y). */
static inline bool occurs_in(const uint32_t *occ, uint64_t lo, uint64_t hi, uint64_t x,
                             uint64_t y) {
  uint64_t end = hi;
  while (lo < hi) { /* lower bound of x */
    uint64_t mid = lo + (hi - lo) / 2;
    if (occ[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < end && occ[lo] < y;
}

/* Whether the window holds address a (SCALE-Sim's active_buffer_hit). */
static inline bool in_window(const mem_rdbuf *b, uint64_t a) {
  uint64_t x = b->first_set * b->eps, end_set = b->first_set + b->n_active;
  if (b->occurs) {
    if (end_set <= b->num_sets) {
      uint64_t y = end_set * b->eps;
      return b->occurs(b->ctx, (int64_t)a, x, y < b->words ? y : b->words);
    }
    return b->occurs(b->ctx, (int64_t)a, x, b->words) ||
           b->occurs(b->ctx, (int64_t)a, 0, (end_set - b->num_sets) * b->eps);
  }
  if (b->unique) {
    uint64_t pos = b->off[a];
    if (end_set <= b->num_sets) return pos >= x && pos < end_set * b->eps;
    return pos >= x || pos < (end_set - b->num_sets) * b->eps;
  }
  uint64_t lo = b->off[a], hi = b->off[a + 1];
  if (end_set <= b->num_sets) {
    uint64_t y = end_set * b->eps;
    return occurs_in(b->occ, lo, hi, x, y < b->words ? y : b->words);
  }
  /* The window wraps round the end of the stream. */
  return occurs_in(b->occ, lo, hi, x, b->words) ||
         (lo < hi && b->occ[lo] < (end_set - b->num_sets) * b->eps);
}

em_status mem_rdbuf_create(uint64_t size_words, uint32_t bw, const mem_stream *stream,
                           mem_rdbuf **out, em_diag *d) {
  *out = NULL;
  if (size_words < SETS_PER_BUFFER || bw < 1 || stream->addr_space == 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "read buffer: %llu words at %u words/cycle cannot be modelled",
                       (unsigned long long)size_words, bw);
  if (stream->padded_words >= UINT32_MAX || stream->addr_space >= UINT32_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0,
                       "read buffer: an operand of %llu words is beyond the model's 2^32",
                       (unsigned long long)stream->padded_words);
  int64_t chunk[4096];
  size_t n;
  mem_rdbuf *b = calloc(1, sizeof *b);
  if (!b) goto fail;
  b->bw = bw;
  b->cpl = stream->cycles_per_line > 1 ? stream->cycles_per_line : 1;
  b->addr_space = stream->addr_space;
  b->no_index = stream->words != 0 && !stream->occurs;
  if (stream->occurs) {
    b->occurs = stream->occurs;
    b->ctx = stream->ctx;
    b->words = stream->words;
  } else if (b->no_index) {
    b->words = stream->words;
    b->unique = true;
  } else {
    /* Index the stream: count each address's occurrences (and the words),
     * then list their positions in order. */
    b->off = calloc(stream->addr_space + 1, sizeof *b->off);
    if (!b->off) goto fail;
    stream->rewind(stream->ctx);
    while ((n = stream->fill(stream->ctx, chunk, sizeof chunk / sizeof chunk[0])) > 0) {
      for (size_t i = 0; i < n; i++) b->off[chunk[i] + 1]++;
      b->words += n;
    }
  }
  b->eps = ceil_div(size_words, SETS_PER_BUFFER);
  uint64_t active = ceil_div(size_words, 2), prefetch = size_words - active;
  b->num_sets = b->words / b->eps + 1; /* the last set may be empty */
  b->n_active = ceil_div(active, b->eps);
  if (b->n_active > b->num_sets) b->n_active = b->num_sets;
  b->n_prefetch = ceil_div(prefetch, b->eps);
  if (b->n_prefetch > b->num_sets - b->n_active) b->n_prefetch = b->num_sets - b->n_active;
  double f = stream->dram_words_per_word;
  if (!(f > 0) || f == 1.0) {
    b->burst0_lines = ceil_div(active, bw);
    uint64_t rows = ceil_div(stream->padded_words, bw);
    if (b->burst0_lines > rows) b->burst0_lines = rows;
    b->burst_lines = ceil_div(prefetch, bw);
  } else { /* each word is f DRAM words: the same bursts, f times the lines */
    if (f > 1e6) f = 1e6; /* bounded: a burst's lines stay far below 2^63 */
    b->burst0_lines = scaled_lines(active, f, bw);
    uint64_t rows = scaled_lines(stream->padded_words, f, bw);
    if (b->burst0_lines > rows) b->burst0_lines = rows;
    b->burst_lines = scaled_lines(prefetch, f, bw);
  }
  uint64_t pos = 0;
  if (!b->no_index && !b->occurs) {
    b->unique = true;
    for (uint64_t a = 1; a <= b->addr_space && b->unique; a++) b->unique = b->off[a] <= 1;
  }
  if (b->no_index || b->occurs) {
    /* nothing to index */
  } else if (b->unique) { /* the position itself, in off */
    for (uint64_t a = 0; a <= b->addr_space; a++) b->off[a] = NO_POS;
    stream->rewind(stream->ctx);
    while ((n = stream->fill(stream->ctx, chunk, sizeof chunk / sizeof chunk[0])) > 0)
      for (size_t i = 0; i < n && pos < b->words; i++, pos++) b->off[chunk[i]] = (uint32_t)pos;
  } else {
    b->occ = malloc((b->words ? b->words : 1) * sizeof *b->occ);
    if (!b->occ) goto fail;
    for (uint64_t a = 0; a < b->addr_space; a++) b->off[a + 1] += b->off[a];
    stream->rewind(stream->ctx);
    while ((n = stream->fill(stream->ctx, chunk, sizeof chunk / sizeof chunk[0])) > 0)
      for (size_t i = 0; i < n && pos < b->words; i++, pos++)
        b->occ[b->off[chunk[i]]++] = (uint32_t)pos;
    for (uint64_t a = b->addr_space; a > 0; a--) b->off[a] = b->off[a - 1];
    b->off[0] = 0;
  }
  b->st.dram_start = b->st.dram_stop = -1;
  *out = b;
  return EM_OK;
fail:
  mem_rdbuf_destroy(b);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "read buffer: out of memory");
}

void mem_rdbuf_destroy(mem_rdbuf *b) {
  if (!b) return;
  free(b->off);
  free(b->occ);
  free(b);
}

void mem_rdbuf_line_begin(mem_rdbuf *b, int64_t cycle) {
  if (!b->started) {
    /* The first burst fills the active half; it is issued so that its last
     * response arrives the cycle before the first demand. */
    b->started = true;
    b->st.dram_reads += b->burst0_lines * b->bw;
    b->st.dram_start = cycle - (int64_t)(b->burst0_lines * b->cpl);
    b->last_prefetch = cycle - 1;
    b->st.dram_stop = b->last_prefetch;
  }
  b->cycle = cycle;
  b->offset = HIT_LATENCY;
}

/* Moves the window on by the prefetch sets: one burst, issued right after
 * the previous one; the reader waits for it. */
static void next_burst(mem_rdbuf *b) {
  b->first_set = (b->first_set + b->n_prefetch) % b->num_sets;
  b->bursts++;
  b->st.dram_reads += b->burst_lines * b->bw;
  b->last_prefetch += (int64_t)(b->burst_lines * b->cpl) + PORT_LATENCY;
  b->st.dram_stop = b->last_prefetch;
  int64_t stall = b->last_prefetch - (b->cycle + b->offset);
  if (stall > 0) b->offset += stall;
}

static bool known(const mem_rdbuf *b, int64_t addr) {
  if (b->occurs) /* the stream's own addresses: a word read comes from it */
    return addr >= 0 && (uint64_t)addr < b->addr_space;
  return !b->no_index && addr >= 0 && (uint64_t)addr < b->addr_space &&
         (b->unique ? b->off[addr] != NO_POS : b->off[addr] != b->off[addr + 1]);
}

em_status mem_rdbuf_read(mem_rdbuf *b, int64_t addr) {
  if (!known(b, addr)) return EM_ERR_NOTFOUND;
  /* A miss moves the window on until the word is in. */
  uint64_t limit = b->n_prefetch ? b->num_sets / b->n_prefetch + 2 : 0;
  for (uint64_t k = 0; !in_window(b, (uint64_t)addr); k++) {
    if (k >= limit) return EM_ERR_NOTFOUND;
    next_burst(b);
  }
  return EM_OK;
}

uint64_t mem_rdbuf_window_end(const mem_rdbuf *b, uint64_t p) {
  uint64_t x = b->first_set * b->eps, end_set = b->first_set + b->n_active;
  if (end_set <= b->num_sets) return p >= x && p < end_set * b->eps ? end_set * b->eps : 0;
  if (p >= x) return b->words;
  uint64_t y2 = (end_set - b->num_sets) * b->eps;
  return p < y2 ? y2 : 0;
}

/* Whether stream position p holds address a. */
static bool at(const mem_rdbuf *b, int64_t a, uint64_t p) {
  if (b->occurs) return a >= 0 && (uint64_t)a < b->addr_space && b->occurs(b->ctx, a, p, p + 1);
  if (!known(b, a)) return false;
  if (b->unique) return b->off[a] == p;
  uint64_t lo = b->off[a], hi = b->off[a + 1];
  return occurs_in(b->occ, lo, hi, p, p + 1);
}

/* The window's positions as 1 or 2 ranges [win[2k], win[2k + 1]). */
static size_t window_ranges(const mem_rdbuf *b, uint64_t win[4]) {
  uint64_t x = b->first_set * b->eps, end_set = b->first_set + b->n_active;
  if (end_set <= b->num_sets) {
    uint64_t y = end_set * b->eps;
    win[0] = x;
    win[1] = y < b->words ? y : b->words;
    return 1;
  }
  win[0] = x;
  win[1] = b->words;
  win[2] = 0;
  win[3] = (end_set - b->num_sets) * b->eps;
  return 2;
}

em_status mem_rdbuf_read_run(mem_rdbuf *b, uint64_t pos0, mem_word_fn word, mem_scan_fn scan,
                             const void *ctx, size_t n) {
  if (n == 0) return EM_OK;
  if (b->no_index) {
    /* Trusted positions of words that occur once: a word outside the
     * window is a miss, so the window moves until it holds it. */
    if (pos0 == MEM_POS_UNKNOWN || pos0 >= b->words || n > b->words - pos0) return EM_ERR_INVALID;
    uint64_t limit = b->n_prefetch ? b->num_sets / b->n_prefetch + 2 : 0;
    for (size_t i = 0, k = 0; i < n;) {
      uint64_t p = pos0 + i, end = mem_rdbuf_window_end(b, p);
      if (end) {
        i += end - p < n - i ? (size_t)(end - p) : n - i;
        k = 0;
      } else {
        if (k++ >= limit) return EM_ERR_NOTFOUND;
        next_burst(b);
      }
    }
    return EM_OK;
  }
  /* An index is checked at both ends of the run; a stream that locates
   * its words itself gave the positions from the same layout. */
  bool checked = b->occurs != NULL;
  int64_t first = checked ? 0 : word(ctx, 0);
  if (pos0 == MEM_POS_UNKNOWN && b->unique && known(b, first)) pos0 = b->off[first];
  if (pos0 == MEM_POS_UNKNOWN || pos0 >= b->words || n > b->words - pos0 ||
      (!checked && (!at(b, first, pos0) || !at(b, word(ctx, n - 1), pos0 + n - 1)))) {
    for (size_t i = 0; i < n; i++) { /* not the run announced: word by word */
      em_status st = mem_rdbuf_read(b, word(ctx, i));
      if (st != EM_OK) return st;
    }
    return EM_OK;
  }
  /* A word whose own position is in the window hits; one whose own is not
   * may still hit through another occurrence, so it is read in full (or
   * the caller's scan finds the next that misses). */
  for (size_t i = 0; i < n;) {
    uint64_t p = pos0 + i, end = mem_rdbuf_window_end(b, p);
    if (end) {
      i += end - p < n - i ? (size_t)(end - p) : n - i;
      continue;
    }
    if (scan) {
      uint64_t win[4];
      i = scan(ctx, i, n, win, window_ranges(b, win));
      if (i >= n) break;
    }
    em_status st = mem_rdbuf_read(b, word(ctx, i));
    if (st != EM_OK) return st;
    i++;
  }
  return EM_OK;
}

int64_t mem_rdbuf_line_end(const mem_rdbuf *b) { return b->cycle + b->offset; }

mem_rdbuf_stats mem_rdbuf_get_stats(const mem_rdbuf *b) { return b->st; }

mem_rdbuf_bursts mem_rdbuf_get_bursts(const mem_rdbuf *b) {
  return (mem_rdbuf_bursts){b->started, b->burst0_lines, b->burst_lines, b->bursts};
}
