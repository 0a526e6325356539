/*
 * mem_read_buffer.c - prefetching double-buffered read SRAM behind a DRAM
 * interface of fixed bandwidth (mem_read_buffer.h).
 *
 * Reference: SCALE-Sim v2 scalesim/memory/read_buffer.py and read_port.py
 * (scalesim-project/scale-sim-v2 at 22f88b1), whose counts and cycles are
 * reproduced: 100 sets per buffer, active fraction 0.5, read-port latency 1
 * cycle, hit latency 1 cycle.  The Python model keeps every set as a Python
 * set and scans the window's sets on each lookup; here the window is a
 * count per address, updated as sets enter and leave it, so a lookup is
 * O(1) and the work grows with the words fetched.
 */
#include "mem_read_buffer.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* SCALE-Sim divides every buffer into 100 sets ("lines" of its hashed
 * buffer) and makes half of it the active part (active_buf_frac 0.5). */
#define SETS_PER_BUFFER 100
#define HIT_LATENCY 1  /* cycles from a hit to the word at the array */
#define PORT_LATENCY 1 /* cycles from a DRAM request to its response */

struct mem_rdbuf {
  mem_stream s;
  uint32_t *count;   /* per address: words of it in the window */
  int64_t *ring;     /* the window's addresses, oldest set first */
  uint32_t *set_len; /* words of each set in the window, oldest first */
  uint64_t ring_cap, ring_head, ring_len;
  uint64_t sets_head, sets_len; /* ring of set lengths (n_active slots) */
  uint64_t eps;                 /* words per set */
  uint64_t num_sets, n_active, n_prefetch;
  uint64_t next_set; /* stream set to load next */
  uint64_t burst0_lines, burst_lines;
  uint32_t bw;
  bool started;
  int64_t cycle, offset, last_prefetch;
  mem_rdbuf_stats st;
};

static uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

/* Appends the stream's next set to the window. */
static void load_set(mem_rdbuf *b) {
  uint64_t len = b->next_set + 1 < b->num_sets ? b->eps : b->s.words - b->next_set * b->eps;
  uint64_t got = 0;
  while (got < len) {
    uint64_t pos = (b->ring_head + b->ring_len) % b->ring_cap;
    size_t room = (size_t)(b->ring_cap - pos);
    if (room > len - got) room = (size_t)(len - got);
    size_t n = b->s.fill(b->s.ctx, b->ring + pos, room);
    if (n == 0) break; /* shorter than announced: the window simply holds less */
    for (size_t i = 0; i < n; i++) b->count[b->ring[pos + i]]++;
    b->ring_len += n;
    got += n;
  }
  b->set_len[(b->sets_head + b->sets_len) % b->n_active] = (uint32_t)got;
  b->sets_len++;
  if (++b->next_set == b->num_sets) { /* wrap round the stream */
    b->next_set = 0;
    b->s.rewind(b->s.ctx);
  }
}

/* Drops the window's oldest set. */
static void drop_set(mem_rdbuf *b) {
  uint64_t len = b->set_len[b->sets_head];
  b->sets_head = (b->sets_head + 1) % b->n_active;
  b->sets_len--;
  for (uint64_t i = 0; i < len; i++) {
    b->count[b->ring[b->ring_head]]--;
    b->ring_head = (b->ring_head + 1) % b->ring_cap;
  }
  b->ring_len -= len;
}

em_status mem_rdbuf_create(uint64_t size_words, uint32_t bw, const mem_stream *stream,
                           mem_rdbuf **out, em_diag *d) {
  *out = NULL;
  if (size_words < SETS_PER_BUFFER || bw < 1 || stream->addr_space == 0 ||
      stream->words > stream->padded_words)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "read buffer: %llu words at %u words/cycle cannot be modelled",
                       (unsigned long long)size_words, bw);
  mem_rdbuf *b = calloc(1, sizeof *b);
  if (!b) goto fail;
  b->s = *stream;
  b->bw = bw;
  b->eps = ceil_div(size_words, SETS_PER_BUFFER);
  uint64_t active = ceil_div(size_words, 2), prefetch = size_words - active;
  b->num_sets = stream->words / b->eps + 1; /* the last set may be empty */
  b->n_active = ceil_div(active, b->eps);
  if (b->n_active > b->num_sets) b->n_active = b->num_sets;
  b->n_prefetch = ceil_div(prefetch, b->eps);
  if (b->n_prefetch > b->num_sets - b->n_active) b->n_prefetch = b->num_sets - b->n_active;
  b->burst0_lines = ceil_div(active, bw);
  uint64_t rows = ceil_div(stream->padded_words, bw);
  if (b->burst0_lines > rows) b->burst0_lines = rows;
  b->burst_lines = ceil_div(prefetch, bw);
  b->ring_cap = b->n_active * b->eps;
  if (b->ring_cap == 0) b->ring_cap = 1;
  b->count = calloc(stream->addr_space, sizeof *b->count);
  b->ring = malloc(b->ring_cap * sizeof *b->ring);
  b->set_len = malloc(b->n_active * sizeof *b->set_len);
  if (!b->count || !b->ring || !b->set_len) goto fail;
  b->s.rewind(b->s.ctx);
  for (uint64_t i = 0; i < b->n_active; i++) load_set(b);
  b->st.dram_start = b->st.dram_stop = -1;
  *out = b;
  return EM_OK;
fail:
  mem_rdbuf_destroy(b);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "read buffer: out of memory");
}

void mem_rdbuf_destroy(mem_rdbuf *b) {
  if (!b) return;
  free(b->count);
  free(b->ring);
  free(b->set_len);
  free(b);
}

void mem_rdbuf_line_begin(mem_rdbuf *b, int64_t cycle) {
  if (!b->started) {
    /* The first burst fills the active half; it is issued so that its last
     * response arrives the cycle before the first demand. */
    b->started = true;
    b->st.dram_reads += b->burst0_lines * b->bw;
    b->st.dram_start = cycle - (int64_t)b->burst0_lines;
    b->last_prefetch = cycle - 1;
    b->st.dram_stop = b->last_prefetch;
  }
  b->cycle = cycle;
  b->offset = HIT_LATENCY;
}

em_status mem_rdbuf_read(mem_rdbuf *b, int64_t addr) {
  if (addr < 0 || (uint64_t)addr >= b->s.addr_space) return EM_ERR_NOTFOUND;
  if (b->count[addr]) return EM_OK;
  /* A miss: move the window on by the prefetch sets until the word is in;
   * each move is one burst, issued right after the previous one. */
  uint64_t limit = b->n_prefetch ? b->num_sets / b->n_prefetch + 2 : 0;
  for (uint64_t k = 0; !b->count[addr]; k++) {
    if (k >= limit) return EM_ERR_NOTFOUND;
    for (uint64_t i = 0; i < b->n_prefetch; i++) drop_set(b);
    for (uint64_t i = 0; i < b->n_prefetch; i++) load_set(b);
    b->st.dram_reads += b->burst_lines * b->bw;
    b->last_prefetch += (int64_t)b->burst_lines + PORT_LATENCY;
    b->st.dram_stop = b->last_prefetch;
    int64_t stall = b->last_prefetch - (b->cycle + b->offset);
    if (stall > 0) b->offset += stall;
  }
  return EM_OK;
}

int64_t mem_rdbuf_line_end(const mem_rdbuf *b) { return b->cycle + b->offset; }

mem_rdbuf_stats mem_rdbuf_get_stats(const mem_rdbuf *b) { return b->st; }
