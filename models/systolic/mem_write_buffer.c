/*
 * mem_write_buffer.c - double-buffered write SRAM draining to DRAM
 * (mem_write_buffer.h).
 *
 * Reference: SCALE-Sim v2 scalesim/memory/write_buffer.py and
 * write_port.py (scalesim-project/scale-sim-v2 at 22f88b1): active fraction
 * 0.5, one drained line per cycle. SCALE-Sim keeps the whole write trace;
 * here only the fill of the lines not yet drained is kept, as runs of lines
 * of one fill (nearly all full), in a growing array compacted as drains
 * consume it: a store of any number of words is O(1).
 */
#include "mem_write_buffer.h"

#include <stdlib.h>
#include <string.h>

/* `lines` lines of `fill` words each, not drained yet */
typedef struct {
  uint64_t lines;
  uint32_t fill;
} line_run;

struct mem_wrbuf {
  line_run *run; /* runs [head, nruns) hold the lines not drained yet */
  size_t nruns, cap, head;
  uint32_t bw;    /* words per line (the DRAM request width) */
  uint32_t cpl;   /* cycles a drained line takes (mem_wrbuf_set_line_cycles) */
  uint32_t cur_fill;
  int64_t total, drain_size, active_size, free_space;
  int64_t drain_end_cycle;
  bool drained, oom; /* a drain has happened; out of memory */
  mem_wrbuf_stats st;
  FILE *trace;       /* DRAM trace, or NULL */
  int64_t *q;        /* traced: addresses of the words not drained yet, a ring */
  size_t qcap, qhead, qlen;
};

em_status mem_wrbuf_create(uint64_t size_words, uint32_t bw, mem_wrbuf **out, em_diag *d) {
  *out = NULL;
  if (size_words < 2 || size_words > INT64_MAX / 2 || bw < 1)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                       "write buffer: %llu words at %u words/cycle cannot be modelled",
                       (unsigned long long)size_words, bw);
  mem_wrbuf *b = calloc(1, sizeof *b);
  if (!b) goto fail;
  b->bw = bw;
  b->cpl = 1;
  b->total = (int64_t)size_words;
  b->active_size = (int64_t)(size_words / 2 + size_words % 2); /* ceil(0.5 * size) */
  b->drain_size = b->total - b->active_size;
  b->free_space = b->total;
  b->st.dram_start = b->st.dram_stop = -1;
  *out = b;
  return EM_OK;
fail:
  mem_wrbuf_destroy(b);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "write buffer: out of memory");
}

void mem_wrbuf_destroy(mem_wrbuf *b) {
  if (!b) return;
  free(b->run);
  free(b->q);
  free(b);
}

void mem_wrbuf_set_line_cycles(mem_wrbuf *b, uint32_t n) { b->cpl = n > 1 ? n : 1; }

void mem_wrbuf_trace(mem_wrbuf *b, FILE *f) { b->trace = f; }

void mem_wrbuf_trace_words(mem_wrbuf *b, const int64_t *addr, size_t n) {
  if (!b->trace) return;
  for (size_t i = 0; i < n; i++) {
    if (addr[i] < 0) continue;
    if (b->qlen == b->qcap) { /* grow, unwrapping the ring */
      size_t ncap = b->qcap ? b->qcap * 2 : 1024;
      int64_t *nq = malloc(ncap * sizeof *nq);
      if (!nq) {
        b->oom = true;
        return;
      }
      for (size_t k = 0; k < b->qlen; k++) nq[k] = b->q[(b->qhead + k) % b->qcap];
      free(b->q);
      b->q = nq;
      b->qcap = ncap;
      b->qhead = 0;
    }
    b->q[(b->qhead + b->qlen++) % b->qcap] = addr[i];
  }
}

/* numpy's str() of an integral float64 below 1e16: "12.0", "-1.0" */
static void put_float(FILE *f, int64_t x, bool first) {
  fprintf(f, first ? "%lld.0" : ",%lld.0", (long long)x);
}

/* A drained line of `fill` words at `cycle`: its queued addresses. */
static void trace_line(mem_wrbuf *b, int64_t cycle, uint32_t fill) {
  put_float(b->trace, cycle, true);
  for (uint32_t c = 0; c < b->bw; c++) {
    int64_t a = -1;
    if (c < fill && b->qlen) {
      a = b->q[b->qhead];
      b->qhead = (b->qhead + 1) % b->qcap;
      b->qlen--;
    }
    put_float(b->trace, a, false);
  }
  fputc('\n', b->trace);
}

/* Appends n lines of `fill` words. */
static void push_lines(mem_wrbuf *b, uint32_t fill, uint64_t n) {
  if (!n) return;
  if (b->nruns > b->head && b->run[b->nruns - 1].fill == fill) {
    b->run[b->nruns - 1].lines += n;
    return;
  }
  if (b->nruns == b->cap) {
    if (b->head > 0) { /* drop the drained runs first */
      memmove(b->run, b->run + b->head, (b->nruns - b->head) * sizeof *b->run);
      b->nruns -= b->head;
      b->head = 0;
    }
    if (b->nruns == b->cap) {
      size_t ncap = b->cap ? b->cap * 2 : 64;
      line_run *nr = realloc(b->run, ncap * sizeof *nr);
      if (!nr) {
        b->oom = true;
        return;
      }
      b->run = nr;
      b->cap = ncap;
    }
  }
  b->run[b->nruns++] = (line_run){n, fill};
}

static void push_line(mem_wrbuf *b, uint32_t fill) { push_lines(b, fill, 1); }

/* Drains the inactive half's lines from `start_cycle`, one per cycle (per
 * cpl cycles); returns the cycle the last one ends. */
static int64_t drain(mem_wrbuf *b, int64_t start_cycle) {
  uint64_t lines = (uint64_t)(b->drain_size / b->bw + (b->drain_size % b->bw != 0));
  uint64_t n = 0;
  uint32_t last_fill = 0;
  while (n < lines && b->head < b->nruns) { /* take lines off the front runs */
    line_run *r = &b->run[b->head];
    uint64_t take = r->lines < lines - n ? r->lines : lines - n;
    for (uint64_t j = 0; b->trace && j < take; j++)
      trace_line(b, start_cycle + (int64_t)((n + j) * b->cpl), r->fill);
    n += take;
    last_fill = r->fill;
    r->lines -= take;
    if (!r->lines) b->head++;
  }
  if (n == 0) return start_cycle; /* nothing to drain (SCALE-Sim would fail here) */
  /* SCALE-Sim counts every slot of the drained lines but the empty slots
   * of the last one: padding of earlier partial lines is counted. */
  int64_t words = (int64_t)n * b->bw - (int64_t)(b->bw - last_fill);
  b->st.dram_writes += (uint64_t)words;
  if (!b->drained) {
    b->st.dram_start = start_cycle;
    b->drained = true;
  }
  b->st.dram_stop = start_cycle + (int64_t)(n * b->cpl) - 1;
  b->free_space += words;
  return b->st.dram_stop;
}

int64_t mem_wrbuf_store(mem_wrbuf *b, int64_t cycle, uint64_t n) {
  int64_t cur = cycle;
  while (n) {
    /* Words that neither start a drain nor stall only fill lines. */
    int64_t quiet = cur < b->drain_end_cycle ? b->free_space - 1 : b->free_space - b->active_size;
    uint64_t m = quiet > 0 ? (uint64_t)quiet : 0;
    if (m > n) m = n;
    if (m) {
      uint64_t fill = b->cur_fill + m;
      push_lines(b, b->bw, fill / b->bw);
      b->cur_fill = (uint32_t)(fill % b->bw);
      b->free_space -= (int64_t)m;
      n -= m;
      if (!n) break;
    }
    n--;
    if (++b->cur_fill == b->bw) {
      push_line(b, b->bw);
      b->cur_fill = 0;
    }
    b->free_space--;
    if (cur < b->drain_end_cycle) {
      if (b->free_space <= 0) cur = b->drain_end_cycle; /* stall until the drain is done */
    } else if (b->free_space < b->active_size) {
      if (b->cur_fill) {
        push_line(b, b->cur_fill);
        b->cur_fill = 0;
      }
      b->drain_end_cycle = drain(b, cur);
    }
  }
  return cur;
}

uint64_t mem_wrbuf_quiet(const mem_wrbuf *b, int64_t cycle, int64_t *until) {
  /* mem_wrbuf_store's first step: during a drain words fill until the
   * buffer is full; otherwise until the free space falls below the active
   * half. */
  bool draining = cycle < b->drain_end_cycle;
  int64_t quiet = draining ? b->free_space - 1 : b->free_space - b->active_size;
  *until = draining ? b->drain_end_cycle : INT64_MAX;
  return quiet > 0 ? (uint64_t)quiet : 0;
}

void mem_wrbuf_finish(mem_wrbuf *b, int64_t cycle) {
  if (b->cur_fill) {
    push_line(b, b->cur_fill);
    b->cur_fill = 0;
  }
  while (b->head < b->nruns) {
    b->drain_end_cycle = drain(b, cycle);
    cycle = b->drain_end_cycle + 1;
  }
}

bool mem_wrbuf_failed(const mem_wrbuf *b) { return b->oom; }

mem_wrbuf_stats mem_wrbuf_get_stats(const mem_wrbuf *b) { return b->st; }
