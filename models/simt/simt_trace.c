/*
 * simt_trace.c - Accel-Sim and native trace readers (simt_trace.h).
 *
 * A kernel is read twice.  simt_trace_kernel makes one pass over its text
 * that checks every line (so a bad line is named at its real line number
 * before anything runs), counts the arithmetic and the sectors the
 * roofline needs, and keeps an index: per (block, warp) slot of the grid
 * the byte offset of its lines and their count (a warp's lines are
 * contiguous in both formats).  Nothing else of the kernel is kept.  As the
 * GPU runs, each resident warp decodes its next SIMT_TCHUNK_LINES lines from
 * the file (pread at its offset) into a cursor the GPU owns; a retired
 * block's warps hold nothing.  A pipe is copied to an unlinked temporary
 * file on the first pass, so the second can seek.
 *
 * Memory for one kernel, whatever its length: the index (12 bytes per warp
 * slot of the grid, at most TRACE_SLOTS_MAX slots: 96 MiB), the roofline's
 * sector set (SEC_PAGES_MAX pages of 1 KiB: 64 MiB), one read window (at
 * most a line, LINE_MAX_BYTES) and the GPU's cursors (sizeof(simt_tcursor),
 * 5.3 KiB, per warp slot of the GPU: 27 MiB for the volta preset).
 */
#include "simt_trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "em_checked.h"
#include "em_input.h"
#include "em_outfile.h"
#include "em_parse.h"
#include "simt_mem.h"

/* Bounds on what a trace may declare, checked before anything is allocated
 * for it:
 *   TRACE_SLOTS_MAX   (block, warp) slots of a grid: the index holds 12
 *                     bytes for each (96 MiB);
 *   WARP_LINES_MAX    instructions of one warp (Accel-Sim's insts = n);
 *   NATIVE_LINES_MAX, NATIVE_ADDRS_MAX  warp instructions and lane
 *                     addresses of one native kernel: with n= a small file
 *                     asks for as much work as it likes, so the native
 *                     format keeps the bounds it had when kernels were held
 *                     in memory (2^24 lines, 2^25 addresses). */
#define LINE_MAX_BYTES (1u << 20)
#define TRACE_SLOTS_MAX (1ull << 23)
#define WARP_LINES_MAX (1ull << 24)
#define NATIVE_LINES_MAX (1ull << 24)
#define NATIVE_ADDRS_MAX (1ull << 25)
#define REPEAT_MAX (1u << 24)
/* Kernels of one trace (a kernel list's lines, a native trace's 'kernel'
 * lines): each holds about 4.4 kB until the run's tables are written (its
 * statistics and rows; 100,000 kernels of a list held 408 MB) and takes
 * some 125 us to set up, so 2^20 kernels are 4.6 GB and two minutes of
 * set-up alone.  A 16 MB list of one kernel file named a million times
 * grew past 700 MB unbounded. */
#define TRACE_KERNELS_MAX (1ull << 20)
/* The roofline's compulsory traffic is the distinct 32 B sectors global
 * loads read and no store writes: a two-bit map (touched, stored) per page
 * of SEC_PAGE_SECTORS sectors (128 KiB of memory, 1 KiB of map), at most
 * SEC_PAGES_MAX pages (8 GiB of distinct memory; past it, sectors in new
 * pages are not counted, so the bound stays a lower bound). */
#define SEC_PAGE_LOG2 12u
#define SEC_PAGE_SECTORS (1u << SEC_PAGE_LOG2)
#define SEC_PAGE_WORDS (SEC_PAGE_SECTORS / 64u)
#define SEC_PAGES_MAX (1u << 16)
/* The decoder's read window: what a chunk's lines took last time (each
 * refill of a running warp reads another place in the file, so a bigger
 * window is copied for nothing), between WINDOW_MIN and WINDOW_BYTES; it
 * grows to hold one line of at most LINE_MAX_BYTES. */
#define WINDOW_BYTES (16u << 10)
#define WINDOW_MIN 1024u
/* CUDA's limits: a grid of at most 2^31 - 1 blocks along x (65535 along y
 * and z; the larger bound is used for all three), blocks of 1024 threads. */
#define GRID_DIM_MAX 2147483647u
#define BLOCK_THREADS_MAX 1024u

struct simt_trace {
  simt_trace_format fmt;
  char *path;    /* native file, or NULL */
  size_t n;
  char **files;  /* Accel-Sim kernel files */
  long *offsets; /* native: offset of each kernel line */
  uint64_t *lines;
  uint64_t insts; /* native: the warp instructions its lines ask for (n= repeats counted) */
};

/* ---- line reading ---- */

typedef struct {
  FILE *f;
  const char *path;
  uint64_t line;
  char *buf;    /* the line */
  size_t cap;
  uint64_t off; /* bytes read: the offset of the next line */
  FILE *spool;  /* a pipe's copy (every byte read is written there), or NULL */
  char *blk;    /* bytes read from f and not yet taken: blk[bpos .. blen) */
  size_t bpos, blen;
} reader;

#define READ_BLOCK (64u << 10)

static void reader_free(reader *r) {
  free(r->buf);
  free(r->blk);
  r->buf = r->blk = NULL;
}

/* 1: a line in *out (no newline), 0: end of file, -1: error set in d.
 * Reads at most LINE_MAX_BYTES of a line: a longer one is refused when the
 * limit is reached, without reading (or holding) the rest.  Reads f a block
 * at a time (a block may hold the next lines: do not read f beside it). */
static int next_line(reader *r, char **out, em_diag *d) {
  size_t n = 0;
  bool any = false, nl = false;
  if (!r->buf) {
    r->cap = 256;
    if (!(r->buf = malloc(r->cap))) {
      em_diag_set(d, EM_ERR_NOMEM, r->path, r->line + 1, 1, "out of memory");
      return -1;
    }
  }
  if (!r->blk && !(r->blk = malloc(READ_BLOCK))) {
    em_diag_set(d, EM_ERR_NOMEM, r->path, r->line + 1, 1, "out of memory");
    return -1;
  }
  for (;;) {
    if (r->bpos == r->blen) {
      r->bpos = 0;
      r->blen = fread(r->blk, 1, READ_BLOCK, r->f);
      if (r->blen == 0) {
        if (ferror(r->f)) {
          em_diag_set(d, EM_ERR_IO, r->path, r->line + 1, 0, "read error: %s", strerror(errno));
          return -1;
        }
        break;
      }
    }
    const char *p = r->blk + r->bpos;
    size_t avail = r->blen - r->bpos;
    const char *e = memchr(p, '\n', avail);
    size_t take = e ? (size_t)(e - p) : avail;
    any = true;
    /* a NUL among the characters the line may hold, then the limit */
    size_t room = LINE_MAX_BYTES - n;
    const char *z = memchr(p, '\0', take < room ? take : room);
    if (!z && take > room && p[room] == '\0') z = p + room;
    if (z) {
      em_diag_set(d, EM_ERR_PARSE, r->path, r->line + 1, n + (size_t)(z - p) + 1,
                  "NUL byte in a text trace");
      return -1;
    }
    if (take > room) {
      em_diag_set(d, EM_ERR_LIMIT, r->path, r->line + 1, 1, "line longer than %u bytes",
                  LINE_MAX_BYTES);
      return -1;
    }
    if (n + take + 1 > r->cap) {
      size_t nc = r->cap;
      while (nc < n + take + 1) nc *= 2;
      if (nc > (size_t)LINE_MAX_BYTES + 2) nc = (size_t)LINE_MAX_BYTES + 2;
      char *q = realloc(r->buf, nc);
      if (!q) {
        em_diag_set(d, EM_ERR_NOMEM, r->path, r->line + 1, 1, "out of memory");
        return -1;
      }
      r->buf = q;
      r->cap = nc;
    }
    memcpy(r->buf + n, p, take);
    n += take;
    r->bpos += take;
    if (e) {
      r->bpos++;
      nl = true;
      break;
    }
  }
  if (!any) return 0;
  r->line++;
  r->off += n + nl;
  if (r->spool) {
    if (fwrite(r->buf, 1, n, r->spool) != n || (nl && putc('\n', r->spool) == EOF)) {
      em_diag_set(d, EM_ERR_IO, r->path, r->line, 0,
                  "cannot copy the pipe to a temporary file: %s", strerror(errno));
      return -1;
    }
  }
  while (n > 0 && r->buf[n - 1] == '\r') n--;
  r->buf[n] = '\0';
  *out = r->buf;
  return 1;
}

/* ---- tokens ---- */

typedef struct {
  const char *line;
  size_t pos;
  char t[128]; /* current token, truncated copy */
  size_t col;  /* its column, 1-based */
  size_t len;  /* its full length */
} lexer;

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* A lexer over line l (its token buffer is not cleared: next_tok fills it). */
static inline void lex_init(lexer *x, const char *l) {
  x->line = l;
  x->pos = 0;
  x->t[0] = '\0';
  x->col = x->len = 0;
}

static bool next_tok(lexer *x) {
  const char *p = x->line + x->pos;
  while (is_space(*p)) p++;
  if (!*p) {
    x->pos = (size_t)(p - x->line);
    return false;
  }
  const char *s = p;
  size_t n = 0;
  /* copied as it is scanned: tokens are a few bytes, too short for memcpy */
  for (; *p && !is_space(*p); p++)
    if (n < sizeof x->t - 1) x->t[n++] = *p;
  x->t[n] = '\0';
  x->len = (size_t)(p - s);
  x->col = (size_t)(s - x->line) + 1;
  x->pos = (size_t)(p - x->line);
  return true;
}

/* Whether x's token was longer than its buffer (x->t holds its start
 * only): a reader refuses it (long_tok) rather than read another value
 * from the cut copy.  An address list (a=) is read from the line itself. */
static inline bool tok_cut(const lexer *x) { return x->len >= sizeof x->t; }

static em_status long_tok(const lexer *x, const char *path, uint64_t line, em_diag *d) {
  return em_diag_set(d, EM_ERR_LIMIT, path, line, x->col,
                     "'%.24s...' is %zu bytes long, more than the %zu a trace field may have",
                     x->t, x->len, sizeof x->t - 1);
}

static bool parse_hex(const char *s, uint64_t *out) {
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
  if (!*s) return false;
  uint64_t v = 0;
  for (const char *s0 = s; *s; s++) {
    if (s - s0 == 16) return false; /* more than 16 digits */
    int c = (unsigned char)*s, h;
    if (c >= '0' && c <= '9') h = c - '0';
    else if (c >= 'a' && c <= 'f') h = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') h = c - 'A' + 10;
    else return false;
    v = v << 4 | (uint64_t)h;
  }
  *out = v;
  return true;
}

/* em_parse_u64, with a shortcut for the one-digit counts a trace line is
 * full of. */
static em_status parse_count(const char *s, uint64_t *out) {
  if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0') {
    *out = (uint64_t)(s[0] - '0');
    return EM_OK;
  }
  return em_parse_u64(s, out);
}

/* Decimal, or hex with 0x. */
static bool parse_num(const char *s, uint64_t *out) {
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return parse_hex(s, out);
  return em_parse_u64(s, out) == EM_OK;
}

/* ---- the index, the sector map and the builder ---- */

/* Accel-Sim's kernel header: what the decoder needs of it too (the line
 * layout: version and lineinfo). */
typedef struct {
  char name[64];
  uint32_t grid[3], block[3];
  uint64_t shmem, nregs, version, lineinfo;
} accel_hdr;

/* The opcodes read last and what set_opcode made of them: a trace repeats
 * a few dozen opcodes millions of times, and placing one on its unit walks
 * a table of names (simt_op_from_sass). */
#define OPCACHE_WAYS 64u
#define OPCACHE_NAME 40u
typedef struct {
  struct {
    char name[OPCACHE_NAME]; /* "" = empty */
    uint8_t op, mma, space, width, bypass_l1;
    uint32_t amask;
  } e[OPCACHE_WAYS];
} opcache;

/* One kernel's stream: the index of its warps and the open file they are
 * decoded from (simt_tsource's ctx; the kernel owns it). */
typedef struct {
  simt_tsource src;
  simt_trace_format fmt;
  char *path;
  FILE *f; /* the trace, or a pipe's spool: read with pread on fd */
  int fd;
  accel_hdr h;
  uint32_t threads, wpb;
  size_t nslots;
  uint64_t *first; /* per slot: 1 + offset of the line after its warp header; 0: not traced */
  uint32_t *count; /* per slot: its instructions */
  char *win;       /* read window: bytes [woff, woff + wlen) of the file */
  size_t wcap, wlen;
  uint64_t woff;
  bool weof;       /* the window reaches the end of the file */
  size_t wwant;    /* bytes to read for a chunk: what the last one took, and a quarter */
  char *lbuf;      /* the line handed to the parser */
  size_t lcap;
  opcache oc;      /* the index pass's, then the decoder's */
} stream;

static em_status src_open(void *ctx, uint64_t block, uint32_t warp, simt_tcursor *c,
                          em_diag *d);
static em_status src_next(void *ctx, simt_tcursor *c, em_diag *d);

static void stream_free(void *p) {
  stream *s = p;
  if (!s) return;
  if (s->f) fclose(s->f);
  free(s->path);
  free(s->first);
  free(s->count);
  free(s->win);
  free(s->lbuf);
  free(s);
}

typedef struct {
  uint64_t *keys; /* page number + 1; 0: empty */
  uint32_t *idx;  /* its map's index */
  unsigned hbits; /* the table holds 2^hbits keys */
  uint64_t *maps; /* per page SEC_PAGE_WORDS words touched, then SEC_PAGE_WORDS stored */
  size_t n, cap;
  uint64_t last_key;
  uint64_t *last;
} secmap;

static void sec_free(secmap *m) {
  free(m->keys);
  free(m->idx);
  free(m->maps);
  memset(m, 0, sizeof *m);
}

static size_t sec_hash(uint64_t key, unsigned bits) {
  return (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

/* The map of page `page`, made when new; NULL when the map is full (the
 * page is not counted: *nomem false) or out of memory (*nomem true). */
static uint64_t *sec_page(secmap *m, uint64_t page, bool *nomem) {
  uint64_t key = page + 1;
  if (m->last && m->last_key == key) return m->last;
  if (2 * (m->n + 1) > ((size_t)1 << m->hbits) || !m->keys) {
    unsigned bits = m->keys ? m->hbits + 1 : 10;
    size_t hc = (size_t)1 << bits;
    uint64_t *keys = calloc(hc, sizeof *keys);
    uint32_t *idx = malloc(hc * sizeof *idx);
    if (!keys || !idx) {
      free(keys);
      free(idx);
      *nomem = true;
      return NULL;
    }
    for (size_t i = 0; m->keys && i < ((size_t)1 << m->hbits); i++) {
      if (!m->keys[i]) continue;
      size_t j = sec_hash(m->keys[i], bits);
      while (keys[j]) j = (j + 1) & (hc - 1);
      keys[j] = m->keys[i];
      idx[j] = m->idx[i];
    }
    free(m->keys);
    free(m->idx);
    m->keys = keys;
    m->idx = idx;
    m->hbits = bits;
  }
  size_t mask = ((size_t)1 << m->hbits) - 1, i = sec_hash(key, m->hbits);
  while (m->keys[i] && m->keys[i] != key) i = (i + 1) & mask;
  if (!m->keys[i]) {
    if (m->n == SEC_PAGES_MAX) return NULL;
    if (m->n == m->cap) {
      size_t c = m->cap ? m->cap * 2 : 64;
      uint64_t *p = realloc(m->maps, c * 2 * SEC_PAGE_WORDS * sizeof *p);
      if (!p) {
        *nomem = true;
        return NULL;
      }
      m->maps = p;
      m->cap = c;
      m->last = NULL;
    }
    memset(m->maps + m->n * 2 * SEC_PAGE_WORDS, 0, 2 * SEC_PAGE_WORDS * sizeof *m->maps);
    m->keys[i] = key;
    m->idx[i] = (uint32_t)m->n++;
  }
  m->last_key = key;
  m->last = m->maps + (size_t)m->idx[i] * 2 * SEC_PAGE_WORDS;
  return m->last;
}

typedef struct {
  const char *path;
  opcache *oc;        /* set_opcode's memory (NULL: none) */
  stream *s;          /* the index pass: the index it builds */
  simt_tcursor *cur;  /* the decoding pass: the chunk it fills */
  uint32_t grid[3], threads, wpb; /* warps per block */
  uint64_t cur_slot;  /* UINT64_MAX: no warp open */
  uint64_t cur_block; /* UINT64_MAX: none */
  uint64_t expect;    /* Accel-Sim insts = n of the open warp */
  /* the native format's smem= bytes, which its shared accesses stay within
   * (an Accel-Sim trace's shared addresses are the tracer's, unchecked) */
  uint64_t smem;
  bool smem_checked;
  uint64_t expect_line;
  uint64_t ntl, nad;  /* warp instructions and lane addresses so far (decoding: in the chunk) */
  /* the index pass: the line being read, accounted when the next begins */
  simt_tline pend;
  uint64_t pend_addr[32];
  unsigned pend_naddr;
  bool has_pend;
  /* the roofline's inputs */
  uint64_t flops, hflops, tflops, tfp16, first_mma, first_sparse;
  uint64_t first_shape[SIMT_MMA_COUNT];
  uint8_t first_none_op;
  secmap sec;
} builder;

static em_status b_init(builder *b, stream *s, const char *path, const uint32_t grid[3],
                        uint32_t threads, uint64_t line, em_diag *d) {
  memset(b, 0, sizeof *b);
  b->path = path;
  b->s = s;
  b->oc = &s->oc;
  memcpy(b->grid, grid, sizeof b->grid);
  b->threads = threads;
  b->wpb = (threads + 31) / 32;
  b->cur_slot = b->cur_block = UINT64_MAX;
  uint64_t blocks, g64[3] = {grid[0], grid[1], grid[2]};
  if (!em_mul_n_u64(g64, 3, &blocks)) /* 2^31 cubed: past 2^64 */
    return em_diag_set(d, EM_ERR_LIMIT, path, line, 1,
                       "grid of %u x %u x %u blocks is more than a trace can hold (%llu)",
                       grid[0], grid[1], grid[2], (unsigned long long)TRACE_SLOTS_MAX);
  if (blocks > TRACE_SLOTS_MAX / b->wpb)
    return em_diag_set(d, EM_ERR_LIMIT, path, line, 1,
                       "grid of %llu blocks x %u warps is more than a trace can hold (%llu)",
                       (unsigned long long)blocks, b->wpb, (unsigned long long)TRACE_SLOTS_MAX);
  s->nslots = (size_t)(blocks * b->wpb);
  s->threads = threads;
  s->wpb = b->wpb;
  /* zeroed pages cost nothing until a slot is written */
  s->first = calloc(s->nslots, sizeof *s->first);
  s->count = calloc(s->nslots, sizeof *s->count);
  if (!s->first || !s->count) return em_diag_set(d, EM_ERR_NOMEM, path, line, 0, "out of memory");
  return EM_OK;
}

static em_status b_block(builder *b, const uint64_t xyz[3], uint64_t line, size_t col,
                         em_diag *d) {
  for (int i = 0; i < 3; i++)
    if (xyz[i] >= b->grid[i])
      return em_diag_set(d, EM_ERR_RANGE, b->path, line, col,
                         "block (%llu,%llu,%llu) is outside the grid (%u,%u,%u)",
                         (unsigned long long)xyz[0], (unsigned long long)xyz[1],
                         (unsigned long long)xyz[2], b->grid[0], b->grid[1], b->grid[2]);
  b->cur_block = xyz[0] + (uint64_t)b->grid[0] * (xyz[1] + (uint64_t)b->grid[1] * xyz[2]);
  b->cur_slot = UINT64_MAX;
  return EM_OK;
}

/* Opens warp w of the current block; its lines follow file offset off. */
static em_status b_warp(builder *b, uint64_t w, uint64_t off, uint64_t line, size_t col,
                        em_diag *d) {
  if (b->cur_block == UINT64_MAX)
    return em_diag_set(d, EM_ERR_PARSE, b->path, line, col, "warp before any thread block");
  if (w >= b->wpb)
    return em_diag_set(d, EM_ERR_RANGE, b->path, line, col,
                       "warp %llu, but a block of %u threads has %u warps",
                       (unsigned long long)w, b->threads, b->wpb);
  uint64_t slot = b->cur_block * b->wpb + w;
  if (b->s->first[slot] != 0)
    return em_diag_set(d, EM_ERR_PARSE, b->path, line, col,
                       "warp %llu of this block appears twice", (unsigned long long)w);
  b->s->first[slot] = off + 1;
  b->cur_slot = slot;
  return EM_OK;
}

/* Adds `times` executions of line t (addresses ta, in lane order) to the
 * roofline's inputs; ord is its 1-based position in the file. */
static em_status b_account(builder *b, const simt_tline *t, const uint64_t *ta, uint64_t times,
                           uint64_t ord, uint64_t line, em_diag *d) {
  uint64_t lanes = (uint64_t)__builtin_popcount(t->mask);
  switch ((simt_op)t->h.op) {
  case SIMT_OP_FFMA: case SIMT_OP_DFMA: b->flops += 2 * lanes * times; break;
  case SIMT_OP_HFMA2:
    b->flops += 4 * lanes * times;
    b->hflops += 4 * lanes * times;
    break;
  case SIMT_OP_HMMA:
  case SIMT_OP_HMMASP:
    if (!b->first_mma) b->first_mma = ord;
    if (t->h.op == SIMT_OP_HMMASP && !b->first_sparse) b->first_sparse = ord;
    if (t->h.mma < SIMT_MMA_COUNT && !b->first_shape[t->h.mma]) {
      b->first_shape[t->h.mma] = ord;
      if (t->h.mma == SIMT_MMA_NONE) b->first_none_op = t->h.op;
    }
    if (lanes) { /* one warp-wide MMA of its shape (lines below 2^40, MACs 2^16) */
      const simt_mma_info *mi = simt_mma_get((simt_op)t->h.op, t->h.mma);
      b->tflops += 2ull * mi->macs * times;
      b->tfp16 += mi->fp16_macs * times;
    }
    break;
  case SIMT_OP_FADD: case SIMT_OP_FMUL: b->flops += lanes * times; break;
  default: break;
  }
  if (t->h.space != SIMT_SPACE_GLOBAL || !t->mask) return EM_OK;
  /* the sectors: a set, so a repeated line adds them once */
  uint64_t addr[32], s64[64];
  for (uint32_t m = t->mask; m; m &= m - 1) addr[__builtin_ctz(m)] = *ta++;
  unsigned n = simt_coalesce(addr, t->mask, t->h.width, s64);
  for (unsigned j = 0; j < n; j++) {
    bool nomem = false;
    uint64_t *pg = sec_page(&b->sec, s64[j] >> SEC_PAGE_LOG2, &nomem);
    if (nomem) return em_diag_set(d, EM_ERR_NOMEM, b->path, line, 0, "out of memory");
    if (!pg) continue; /* the map is full: a lower bound */
    unsigned i = (unsigned)(s64[j] & (SEC_PAGE_SECTORS - 1));
    pg[i / 64] |= 1ull << (i % 64);
    if (t->h.op == SIMT_OP_STG) pg[SEC_PAGE_WORDS + i / 64] |= 1ull << (i % 64);
  }
  return EM_OK;
}

static em_status b_commit(builder *b, uint64_t line, em_diag *d) {
  if (!b->has_pend) return EM_OK;
  b->has_pend = false;
  return b_account(b, &b->pend, b->pend_addr, 1, b->ntl, line, d);
}

/* A new line of the open warp: in the index pass a scratch line, accounted
 * when the next begins; decoding, the chunk's next line (the caller leaves
 * room for it and 32 addresses). */
static simt_tline *b_line(builder *b, uint64_t line, em_diag *d) {
  simt_tline *t;
  if (b->cur) {
    t = &b->cur->tl[b->cur->n++];
  } else {
    if (b_commit(b, line, d) != EM_OK) return NULL;
    if (b->s->count[b->cur_slot] == UINT32_MAX) {
      em_diag_set(d, EM_ERR_LIMIT, b->path, line, 1, "more than %u instructions in one warp",
                  UINT32_MAX);
      return NULL;
    }
    b->s->count[b->cur_slot]++;
    b->ntl++;
    t = &b->pend;
    b->pend_naddr = 0;
    b->has_pend = true;
  }
  memset(t, 0, sizeof *t);
  t->h.dst = t->h.src[0] = t->h.src[1] = t->h.src[2] = SIMT_REG_NONE;
  t->addr_off = b->cur ? b->nad : 0;
  return t;
}

/* Lane i's address base + step * i, false where it leaves the 64-bit
 * address space (it wrapped silently before). */
static bool lane_address(uint64_t base, int64_t step, unsigned i, uint64_t *out) {
  uint64_t mag = step < 0 ? 0 - (uint64_t)step : (uint64_t)step, off;
  if (!em_mul_u64(mag, i, &off)) return false;
  if (step >= 0) return em_add_u64(base, off, out);
  if (off > base) return false;
  *out = base - off;
  return true;
}

/* A global access of line t at a ends inside the 64-bit address space:
 * one that passed its top was coalesced into no sector at all, a load that
 * cost nothing (a lane's sectors are a / 32 to (a + width - 1) / 32). */
static em_status lane_fits(const builder *b, const simt_tline *t, uint64_t a, uint64_t line,
                           size_t col, em_diag *d) {
  unsigned width = t->h.width;
  if (t->h.space == SIMT_SPACE_SHARED && b->smem_checked && (a >= b->smem || width > b->smem - a))
    return em_diag_set(d, EM_ERR_RANGE, b->path, line, col,
                       "a %u-byte shared access at 0x%llx is past the block's %llu bytes of "
                       "shared memory (smem=)",
                       width, (unsigned long long)a, (unsigned long long)b->smem);
  if (t->h.space != SIMT_SPACE_GLOBAL || a + (width ? width - 1 : 0) >= a) return EM_OK;
  return em_diag_set(d, EM_ERR_RANGE, b->path, line, col,
                     "a %u-byte access at 0x%llx passes the top of the 64-bit address space",
                     width, (unsigned long long)a);
}

static em_status b_addr(builder *b, uint64_t a, uint64_t line, em_diag *d) {
  if (b->cur) {
    if (b->nad == SIMT_TCHUNK_ADDRS) /* the caller leaves room for a line's 32 */
      return em_diag_set(d, EM_ERR_LIMIT, b->path, line, 1, "more than 32 lane addresses");
    b->cur->ta[b->nad++] = a;
    return EM_OK;
  }
  if (b->pend_naddr == 32)
    return em_diag_set(d, EM_ERR_PARSE, b->path, line, 1, "more than 32 lane addresses");
  b->pend_addr[b->pend_naddr++] = a;
  b->nad++;
  return EM_OK;
}

/* A native line repeated n= times, its naddr addresses in addr: counted and
 * accounted at once in the index pass, handed out over chunks decoding. */
static em_status b_repeat(builder *b, const simt_tline *proto, const uint64_t *addr,
                          unsigned naddr, uint64_t repeat, uint64_t line, size_t col,
                          em_diag *d) {
  if (b->cur) {
    simt_tcursor *c = b->cur;
    c->rep = *proto;
    memcpy(c->rep_addr, addr, naddr * sizeof *addr);
    c->rep_naddr = naddr;
    c->rep_left = (uint32_t)repeat;
    return EM_OK;
  }
  /* the native format's bounds (repeat <= 2^24 and 32 lanes: no product
   * here reaches 2^64) */
  uint64_t total = repeat * naddr;
  if (b->ntl + repeat > NATIVE_LINES_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, b->path, line, col,
                       "%llu warp instructions in this kernel, more than a trace can hold (%llu)",
                       (unsigned long long)(b->ntl + repeat),
                       (unsigned long long)NATIVE_LINES_MAX);
  if (b->nad + total > NATIVE_ADDRS_MAX)
    return em_diag_set(d, EM_ERR_LIMIT, b->path, line, col,
                       "%llu lane addresses in this kernel, more than a trace can hold (%llu)",
                       (unsigned long long)(b->nad + total),
                       (unsigned long long)NATIVE_ADDRS_MAX);
  em_status s = b_commit(b, line, d);
  if (s != EM_OK) return s;
  if (b->s->count[b->cur_slot] > UINT32_MAX - repeat)
    return em_diag_set(d, EM_ERR_LIMIT, b->path, line, 1, "more than %u instructions in one warp",
                       UINT32_MAX);
  b->s->count[b->cur_slot] += (uint32_t)repeat;
  s = b_account(b, proto, addr, repeat, b->ntl + 1, line, d);
  b->ntl += repeat;
  b->nad += total;
  return s;
}

/* Ends the index pass: hands the stream to k and sets the roofline inputs. */
static em_status b_finish(builder *b, simt_kernel *k, uint64_t line, em_diag *d) {
  em_status s = b_commit(b, line, d);
  if (s != EM_OK) return s;
  stream *st = b->s;
  k->grid[0] = b->grid[0];
  k->grid[1] = b->grid[1];
  k->grid[2] = b->grid[2];
  k->block_threads = b->threads;
  k->n_tlines = b->ntl;
  k->tfirst_mma = b->first_mma;
  k->tfirst_sparse = b->first_sparse;
  memcpy(k->tfirst_shape, b->first_shape, sizeof k->tfirst_shape);
  k->tfirst_none_op = b->first_none_op;
  uint64_t reads = 0;
  for (size_t p = 0; p < b->sec.n; p++) {
    const uint64_t *m = b->sec.maps + p * 2 * SEC_PAGE_WORDS;
    for (unsigned i = 0; i < SEC_PAGE_WORDS; i++)
      reads += (uint64_t)__builtin_popcountll(m[i] & ~m[SEC_PAGE_WORDS + i]);
  }
  sec_free(&b->sec);
  k->flops = b->flops + b->tflops;
  k->half_flops = b->hflops;
  k->tensor_flops = b->tflops;
  k->tensor_fp16_macs = b->tfp16;
  k->min_dram_bytes = reads * SIMT_SECTOR_BYTES;
  st->src.ctx = st;
  st->src.open = src_open;
  st->src.next = src_next;
  k->tsrc = b->ntl ? &st->src : NULL; /* no line at all: no program (simt_gpu_run says so) */
  k->owned = st;
  k->free_owned = stream_free;
  b->s = NULL;
  return EM_OK;
}

static void b_abort(builder *b) {
  sec_free(&b->sec);
  stream_free(b->s);
  b->s = NULL;
}

/* LDSM / STSM (ldmatrix, stmatrix): lanes that give a row address, 8 per
 * 8 x 8 matrix of 16-bit values (.x1: lanes 0-7, .2: 0-15, .4: all 32;
 * PTX ISA, ldmatrix); 0 for any other opcode.  The count is the modifier
 * 2 or 4 after the shape (LDSM.16.M88.4, LDSM.16.MT88.2); none is .x1. */
static unsigned matrix_lanes(const char *sass) {
  if (strncmp(sass, "LDSM", 4) != 0 && strncmp(sass, "STSM", 4) != 0) return 0;
  if (sass[4] != '.' && sass[4] != '\0') return 0;
  unsigned n = 1;
  for (const char *p = strchr(sass, '.'); p; p = strchr(p + 1, '.'))
    if ((p[1] == '2' || p[1] == '4') && (p[2] == '.' || p[2] == '\0')) n = (unsigned)(p[1] - '0');
  return 8 * n;
}

/* Sets op, space, width, tensor-core shape and (ldmatrix) address lanes of
 * a traced opcode. */
static em_status set_opcode_slow(simt_tline *t, const lexer *x, const char *path,
                                 uint64_t line, em_diag *d);

static em_status set_opcode(simt_tline *t, const lexer *x, opcache *oc, const char *path,
                            uint64_t line, em_diag *d) {
  if (!oc || x->len >= OPCACHE_NAME) return set_opcode_slow(t, x, path, line, d);
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < x->len; i++) h = (h ^ (unsigned char)x->t[i]) * 16777619u;
  __typeof__(oc->e[0]) *e = &oc->e[h % OPCACHE_WAYS];
  if (memcmp(e->name, x->t, x->len + 1) != 0) {
    em_status s = set_opcode_slow(t, x, path, line, d);
    if (s != EM_OK) return s;
    memcpy(e->name, x->t, x->len + 1);
    e->op = t->h.op;
    e->mma = t->h.mma;
    e->space = t->h.space;
    e->width = t->h.width;
    e->bypass_l1 = t->h.bypass_l1;
    e->amask = t->amask;
    return EM_OK;
  }
  t->h.op = e->op;
  t->h.mma = e->mma;
  t->h.space = e->space;
  t->h.width = e->width;
  t->h.bypass_l1 = e->bypass_l1;
  t->amask = e->amask;
  return EM_OK;
}

static em_status set_opcode_slow(simt_tline *t, const lexer *x, const char *path,
                                 uint64_t line, em_diag *d) {
  simt_op op;
  if (x->len >= sizeof x->t || !simt_op_from_sass(x->t, &op))
    return em_diag_set(d, EM_ERR_PARSE, path, line, x->col, "unknown opcode '%s'", x->t);
  t->h.op = (uint8_t)op;
  if (op == SIMT_OP_HMMA || op == SIMT_OP_HMMASP) {
    bool sparse;
    if (!simt_mma_from_sass(x->t, &t->h.mma, &sparse))
      return em_diag_set(d, EM_ERR_PARSE, path, line, x->col,
                         "unknown tensor-core shape in '%s' (models/simt/README.md lists "
                         "the shapes)",
                         x->t);
  }
  if (op == SIMT_OP_LDG || op == SIMT_OP_STG || op == SIMT_OP_ATOMG || op == SIMT_OP_RED)
    t->h.space = SIMT_SPACE_GLOBAL;
  if (op == SIMT_OP_LDS || op == SIMT_OP_STS) t->h.space = SIMT_SPACE_SHARED;
  /* width from the opcode's modifiers, as Accel-Sim reads it: a number of
   * bits (.64, .128) or U8/U16 (.U8); else 4 bytes */
  unsigned width = 4;
  for (const char *p = strchr(x->t, '.'); p; p = strchr(p + 1, '.')) {
    const char *q = p + 1;
    if (*q == 'U' || *q == 'S') q++;
    char *end;
    unsigned long v = strtoul(q, &end, 10);
    if (end != q && (*end == '.' || *end == '\0') && q[0] >= '0' && q[0] <= '9' && v >= 8 &&
        v <= 256 && v % 8 == 0)
      width = (unsigned)(v / 8);
    if (strncmp(p + 1, "CG", 2) == 0 && (p[3] == '.' || p[3] == '\0')) t->h.bypass_l1 = 1;
  }
  /* ldmatrix: a 16-byte row per address (Accel-Sim reads .16, the element
   * size, as 2 bytes) */
  unsigned mlanes = matrix_lanes(x->t);
  if (mlanes) width = 16;
  t->h.width = (uint8_t)width;
  /* .x1 and .x2 read the rows lanes 0-7 or 0-15 address; every lane still
   * receives its part (PTX: "addresses in lower threads can be copied to
   * higher threads"; the higher ones are ignored) */
  t->amask = mlanes && mlanes < 32 ? (1u << mlanes) - 1u : 0;
  return EM_OK;
}

static em_status parse_reg(const char *s, uint16_t *out) {
  if (s[0] == 'R' || s[0] == 'r') s++;
  uint64_t v = 0;
  size_t n = 0;
  while (n < 4 && s[n] >= '0' && s[n] <= '9') v = v * 10 + (uint64_t)(s[n++] - '0');
  if (n == 0 || n == 4 || s[n] != '\0') { /* not 1-3 digits: em_parse_u64 decides */
    if (em_parse_u64(s, &v) != EM_OK) return EM_ERR_PARSE;
  }
  if (v > 255) return EM_ERR_PARSE;
  *out = v == 255 ? SIMT_REG_NONE : (uint16_t)v; /* R255 = RZ */
  return EM_OK;
}

/* ---- Accel-Sim ---- */

/* "(x,y,z)", spaces allowed, into v: 1 when each size is in [1, max], 0 when
 * the text is not three positive numbers so written, -1 when one is more
 * than max (checked in 64 bits: 4294967297 is not read as 1). */
static int scan3(const char *s, uint32_t v[3], uint32_t max) {
  const char *p = strchr(s, '(');
  const char *q = p ? strchr(p, ')') : NULL;
  if (!q) return 0;
  char buf[128];
  size_t n = 0;
  for (const char *c = p + 1; c < q; c++) {
    if (is_space(*c)) continue;
    if (n == sizeof buf - 1) return 0;
    buf[n++] = *c;
  }
  buf[n] = '\0';
  uint64_t x[3];
  em_status st = em_parse_u64_seq(buf, ',', 3, 0, max, x);
  if (st == EM_ERR_PARSE) return 0;
  if (st != EM_OK) return -1;
  if (!x[0] || !x[1] || !x[2]) return 0;
  for (int i = 0; i < 3; i++) v[i] = (uint32_t)x[i];
  return 1;
}

/* One '-key = value' line of the header: l is the key, at its place in the
 * line `line` (columns count from the line's start).  A line without '='
 * has its value missing at the end of the line, where the column points. */
static em_status accel_header_line(accel_hdr *h, const char *line, const char *l,
                                   const char *path, uint64_t ln, em_diag *d) {
  const char *eq = strchr(l, '=');
  const char *val = eq ? eq + 1 : l + strlen(l);
  while (is_space(*val)) val++;
  uint64_t v;
#define KEY(k) (strncmp(l, k, strlen(k)) == 0)
  if (KEY("-kernel name")) {
    size_t n = strlen(val);
    if (n >= sizeof h->name) n = sizeof h->name - 1;
    memcpy(h->name, val, n);
    h->name[n] = '\0';
  } else if (KEY("-grid dim") || KEY("-block dim")) {
    bool grid = KEY("-grid dim");
    uint32_t max = grid ? GRID_DIM_MAX : BLOCK_THREADS_MAX;
    int ok = scan3(val, grid ? h->grid : h->block, max);
    if (ok == 0)
      return em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(val - line) + 1,
                         "expected (x,y,z) with positive sizes, got '%s'", val);
    if (ok < 0)
      return em_diag_set(d, EM_ERR_RANGE, path, ln, (size_t)(val - line) + 1,
                         "%s sizes must be in [1, %u], got '%s'", grid ? "grid" : "block", max,
                         val);
  } else if (KEY("-shmem =") || KEY("-nregs") || KEY("-accelsim tracer version") ||
             KEY("-enable lineinfo")) {
    if (em_parse_u64(val, &v) != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, path, ln, (size_t)(val - line) + 1,
                         "expected a number, got '%s'", val);
    /* the bounds of the native format's smem= and regs= (CUDA: 228 KiB, 255) */
    if ((KEY("-shmem =") && v > (1u << 24)) || (KEY("-nregs") && v > 255))
      return em_diag_set(d, EM_ERR_RANGE, path, ln, (size_t)(val - line) + 1,
                         "%s must be 0..%u, got '%s'", KEY("-shmem =") ? "shmem" : "nregs",
                         KEY("-shmem =") ? (1u << 24) : 255u, val);
    if (KEY("-shmem =")) h->shmem = v;
    else if (KEY("-nregs")) h->nregs = v;
    else if (KEY("-enable lineinfo")) h->lineinfo = v;
    else h->version = v;
  }
#undef KEY
  return EM_OK;
}

static em_status accel_inst(builder *b, const accel_hdr *h, const char *l, uint64_t ln,
                            em_diag *d) {
  lexer x;
  lex_init(&x, l);
  uint64_t v;
  unsigned skip = (h->version < 3 ? 4u : 0u) + (h->lineinfo ? 1u : 0u);
  for (unsigned i = 0; i < skip; i++)
    if (!next_tok(&x)) return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.pos + 1, "short line");
#define NEED(what)                                                                          \
  do {                                                                                      \
    if (!next_tok(&x))                                                                      \
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.pos + 1, "missing %s", what);      \
    if (tok_cut(&x)) return long_tok(&x, b->path, ln, d);                                   \
  } while (0)
  NEED("PC");
  if (!parse_hex(x.t, &v))
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad PC '%s'", x.t);
  NEED("active mask");
  uint64_t mask;
  if (!parse_hex(x.t, &mask) || mask > UINT32_MAX)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col,
                       "bad active mask '%s' (8 hex digits)", x.t);
  simt_tline *t = b_line(b, ln, d);
  if (!t) return d->status;
  t->mask = (uint32_t)mask;
  NEED("destination count");
  uint64_t nd;
  if (parse_count(x.t, &nd) != EM_OK || nd > 4)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad destination count '%s'", x.t);
  for (uint64_t i = 0; i < nd; i++) {
    NEED("destination register");
    uint16_t r;
    if (parse_reg(x.t, &r) != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad register '%s'", x.t);
    if (i == 0) t->h.dst = r;
  }
  NEED("opcode");
  em_status s = set_opcode(t, &x, b->oc, b->path, ln, d);
  if (s != EM_OK) return s;
  NEED("source count");
  uint64_t ns;
  if (parse_count(x.t, &ns) != EM_OK || ns > 4)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad source count '%s'", x.t);
  for (uint64_t i = 0; i < ns; i++) {
    NEED("source register");
    uint16_t r;
    if (parse_reg(x.t, &r) != EM_OK)
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad register '%s'", x.t);
    if (r != SIMT_REG_NONE && t->h.nsrc < 3) t->h.src[t->h.nsrc++] = r;
  }
  NEED("memory width");
  uint64_t mw;
  if (parse_count(x.t, &mw) != EM_OK || mw > 1024)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad memory width '%s'", x.t);
  if (mw > 0) {
    NEED("address mode");
    uint64_t mode;
    size_t mode_col = x.col;
    if (parse_count(x.t, &mode) != EM_OK || mode > 2)
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col,
                         "address mode must be 0 (list), 1 (base+stride) or 2 (base+deltas), "
                         "got '%s'",
                         x.t);
    unsigned n = (unsigned)__builtin_popcount(t->mask);
    bool keep = t->h.space != SIMT_SPACE_NONE;
    uint64_t a = 0;
    if (n > 0) {
      NEED(mode == 0 ? "address" : "base address");
      if (!parse_hex(x.t, &a))
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad address '%s'", x.t);
      if (keep && ((s = lane_fits(b, t, a, ln, x.col, d)) != EM_OK ||
                   (s = b_addr(b, a, ln, d)) != EM_OK))
        return s;
    } else if (mode != 0) {
      NEED("base address");
    }
    if (mode == 1) {
      NEED("stride");
      int64_t stride;
      if (em_parse_i64(x.t, &stride) != EM_OK)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad stride '%s'", x.t);
      for (unsigned i = 1; i < n && keep; i++) {
        uint64_t ai;
        if (!lane_address(a, stride, i, &ai))
          return em_diag_set(d, EM_ERR_RANGE, b->path, ln, x.col,
                             "stride %lld takes lane %u's address outside the 64-bit address "
                             "space", (long long)stride, i);
        if ((s = lane_fits(b, t, ai, ln, x.col, d)) != EM_OK ||
            (s = b_addr(b, ai, ln, d)) != EM_OK)
          return s;
      }
    } else {
      for (unsigned i = 1; i < n; i++) {
        if (!next_tok(&x))
          return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.pos + 1,
                             "address mode %llu: %u active lanes need %u %s, found %u",
                             (unsigned long long)mode, n, mode == 0 ? n : n - 1,
                             mode == 0 ? "addresses" : "deltas", mode == 0 ? i : i - 1);
        if (tok_cut(&x)) return long_tok(&x, b->path, ln, d);
        if (mode == 0) {
          if (!parse_hex(x.t, &a))
            return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad address '%s'", x.t);
        } else {
          int64_t delta;
          if (em_parse_i64(x.t, &delta) != EM_OK)
            return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "bad delta '%s'", x.t);
          if (!lane_address(a, delta, 1, &a))
            return em_diag_set(d, EM_ERR_RANGE, b->path, ln, x.col,
                               "delta %lld takes the address outside the 64-bit address space",
                               (long long)delta);
        }
        if (keep && ((s = lane_fits(b, t, a, ln, x.col, d)) != EM_OK ||
                     (s = b_addr(b, a, ln, d)) != EM_OK))
          return s;
      }
    }
    (void)mode_col;
  } else if (t->h.space != SIMT_SPACE_NONE) {
    t->h.space = SIMT_SPACE_NONE; /* a memory opcode the tracer gave no addresses: no access */
  }
  /* an optional immediate may follow; nothing else */
  if (next_tok(&x) && next_tok(&x))
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x.col, "unexpected '%s' at end of line",
                       x.t);
#undef NEED
  return EM_OK;
}

/* A stream for the kernel read from f (path): f itself, kept open, when it
 * is a regular file (*kept true); else an unlinked temporary file that the
 * index pass copies the pipe into (r->spool), so the decoder can seek. */
static em_status stream_new(const char *path, simt_trace_format fmt, FILE *f, reader *r,
                            stream **out, bool *kept, em_diag *d) {
  *out = NULL;
  *kept = false;
  stream *s = calloc(1, sizeof *s);
  if (s) s->path = strdup(path);
  if (!s || !s->path) {
    stream_free(s);
    return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  s->fmt = fmt;
  struct stat sb;
  int fd = fileno(f); /* -1 for a pipe's stream (em_input_open wraps it) */
  if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
    s->f = f;
    s->fd = fd;
    *kept = true;
  } else {
    char tdir[256];
    if (!(s->f = em_tmpfile(tdir, sizeof tdir))) {
      em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot make a temporary copy of the pipe in %s: %s",
                  tdir, strerror(errno));
      stream_free(s);
      return d->status;
    }
    s->fd = fileno(s->f);
    r->spool = s->f;
  }
  *out = s;
  return EM_OK;
}

/* Ends the index pass of a stream: a pipe's copy is complete on disk. */
static em_status stream_ready(stream *s, em_diag *d) {
  if (s->f && s->fd >= 0 && fflush(s->f) != 0)
    return em_diag_set(d, EM_ERR_IO, s->path, 0, 0, "cannot copy the pipe to a temporary file: %s",
                       strerror(errno));
  return EM_OK;
}

static em_status accel_check_count(builder *b, uint64_t ln, em_diag *d) {
  if (b->cur_slot == UINT64_MAX) return EM_OK;
  uint32_t got = b->s->count[b->cur_slot];
  if (got != b->expect)
    return em_diag_set(d, EM_ERR_PARSE, b->path, b->expect_line, 1,
                       "insts = %llu, but %u instruction lines follow (up to line %llu)",
                       (unsigned long long)b->expect, got, (unsigned long long)ln);
  return EM_OK;
}

static em_status accel_kernel(const char *path, simt_kernel *k, em_diag *d) {
  size_t pl = strlen(path);
  if (pl > 3 && strcmp(path + pl - 3, ".xz") == 0)
    return em_diag_set(d, EM_ERR_UNSUPPORTED, path, 0, 0,
                       "compressed trace: decompress it first (xz -dk '%s')", path);
  FILE *f;
  em_status os = em_input_open(path, "a kernel trace", 0, &f, d);
  if (os != EM_OK) return os;
  reader r = {.f = f, .path = path};
  /* no '-accelsim tracer version' line: version 0, as Accel-Sim reads it
   * (kernel_trace_t's default), so each line starts with the block and warp
   * ids (the 2020 tracer's format) */
  accel_hdr h = {.version = 0};
  char *l;
  int rc;
  builder b = {0};
  bool kept;
  em_status s = stream_new(path, SIMT_TRACE_ACCEL, f, &r, &b.s, &kept, d);
  if (s != EM_OK) {
    fclose(f);
    return s;
  }
  bool body = false, in_tb = false;
  uint64_t hdr_end = 0;
  while ((rc = next_line(&r, &l, d)) > 0) {
    const char *p = l;
    while (is_space(*p)) p++;
    if (!*p) continue;
    if (!body) {
      if (*p == '-') {
        if ((s = accel_header_line(&h, l, p, path, r.line, d)) != EM_OK) goto out;
        continue;
      }
      if (*p == '#' && strncmp(p, "#BEGIN_TB", 9) != 0) continue;
      /* first thread block: the header is complete */
      if (!h.grid[0] || !h.block[0]) {
        s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1,
                        "thread blocks before the '-grid dim' and '-block dim' lines");
        goto out;
      }
      uint64_t threads = (uint64_t)h.block[0] * h.block[1] * h.block[2];
      if (threads > 1024) {
        s = em_diag_set(d, EM_ERR_RANGE, path, r.line, 1,
                        "block of %llu threads (CUDA allows 1024)", (unsigned long long)threads);
        goto out;
      }
      hdr_end = r.line;
      if ((s = b_init(&b, b.s, path, h.grid, (uint32_t)threads, r.line, d)) != EM_OK) goto out;
      b.s->h = h;
      body = true;
    }
    /* an instruction line starts with a hex digit (its PC, or the block
     * id, or the line number); the markers and keywords do not */
    bool inst = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F');
    if (!inst) {
      if (strncmp(p, "#BEGIN_TB", 9) == 0) {
        if (in_tb) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1, "#BEGIN_TB inside a thread block");
          goto out;
        }
        in_tb = true;
        b.cur_block = b.cur_slot = UINT64_MAX;
        continue;
      }
      if (strncmp(p, "#END_TB", 7) == 0) {
        if (!in_tb) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1, "#END_TB without #BEGIN_TB");
          goto out;
        }
        if ((s = accel_check_count(&b, r.line, d)) != EM_OK) goto out;
        in_tb = false;
        b.cur_block = b.cur_slot = UINT64_MAX;
        continue;
      }
      if (*p == '#') continue;
    }
    if (!in_tb) {
      s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (size_t)(p - l) + 1,
                      "trace line outside #BEGIN_TB ... #END_TB");
      goto out;
    }
    if (!inst) {
      if (strncmp(p, "thread block", 12) == 0) {
        const char *eq = strchr(p, '=');
        char xyzt[128];
        size_t xn = 0;
        for (const char *c = eq ? eq + 1 : ""; *c && xn < sizeof xyzt - 1; c++)
          if (!is_space(*c)) xyzt[xn++] = *c;
        xyzt[xn] = '\0';
        uint64_t xyz[3]; /* each checked against the grid by b_block */
        em_status ps = em_parse_u64_seq(xyzt, ',', 3, 0, UINT64_MAX, xyz);
        if (!eq || ps != EM_OK) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (size_t)(p - l) + 1,
                          "expected 'thread block = x,y,z'");
          goto out;
        }
        if (b.cur_block != UINT64_MAX) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1, "two thread blocks in one #BEGIN_TB");
          goto out;
        }
        if ((s = b_block(&b, xyz, r.line, (size_t)(eq - l) + 2, d)) != EM_OK) goto out;
        continue;
      }
      if (strncmp(p, "warp", 4) == 0 && (is_space(p[4]) || p[4] == '=')) {
        if ((s = accel_check_count(&b, r.line, d)) != EM_OK) goto out;
        const char *eq = strchr(p, '=');
        uint64_t w;
        const char *q = eq ? eq + 1 : p + strlen(p); /* no '=': the value is missing at the end */
        while (is_space(*q)) q++;
        if (!eq || em_parse_u64(q, &w) != EM_OK) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (size_t)(q - l) + 1,
                          "expected 'warp = N'");
          goto out;
        }
        if ((s = b_warp(&b, w, r.off, r.line, (size_t)(q - l) + 1, d)) != EM_OK) goto out;
        b.expect = UINT64_MAX;
        continue;
      }
      if (strncmp(p, "insts", 5) == 0) {
        const char *eq = strchr(p, '=');
        const char *q = eq ? eq + 1 : p + strlen(p); /* no '=': the value is missing at the end */
        while (is_space(*q)) q++;
        if (b.cur_slot == UINT64_MAX || !eq || em_parse_u64(q, &b.expect) != EM_OK) {
          s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (size_t)(q - l) + 1,
                          "expected 'insts = N' after 'warp = W'");
          goto out;
        }
        if (b.expect > WARP_LINES_MAX) { /* refused before any of them is read */
          s = em_diag_set(d, EM_ERR_LIMIT, path, r.line, (size_t)(q - l) + 1,
                          "insts = %llu is more than one warp can hold (%llu)",
                          (unsigned long long)b.expect, (unsigned long long)WARP_LINES_MAX);
          goto out;
        }
        b.expect_line = r.line;
        continue;
      }
    }
    if (b.cur_slot == UINT64_MAX || b.expect == UINT64_MAX) {
      s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (size_t)(p - l) + 1,
                      "instruction before 'warp = W' and 'insts = N'");
      goto out;
    }
    if ((s = accel_inst(&b, &h, l, r.line, d)) != EM_OK) goto out;
  }
  if (rc < 0) {
    s = d->status;
    goto out;
  }
  if (!body) {
    s = em_diag_set(d, EM_ERR_PARSE, path, r.line ? r.line : 1, 1,
                    "no thread blocks in the trace");
    goto out;
  }
  if (in_tb) {
    s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1, "the last thread block has no #END_TB");
    goto out;
  }
  simt_kernel_init(k, h.name[0] ? h.name : path);
  k->regs_per_thread = h.nregs ? (uint32_t)(h.nregs > 255 ? 255 : h.nregs) : 32;
  k->smem_bytes = h.shmem;
  if ((s = stream_ready(b.s, d)) == EM_OK) s = b_finish(&b, k, hdr_end, d);
  if (s != EM_OK) simt_kernel_free(k);
out:
  b_abort(&b); /* after b_finish: nothing; the kernel owns the stream */
  reader_free(&r);
  if (!kept) fclose(f);
  return s;
}

/* Up to `max` bytes of s as a message quotes them, where a byte order mark
 * (U+FEFF, EF BB BF: valid UTF-8, so em_escape keeps it, but invisible on a
 * terminal) is written \xef\xbb\xbf, as em_escape writes a byte that is
 * not UTF-8. */
static void quote_bom(char *dst, size_t size, const char *s, size_t max) {
  size_t o = 0;
  for (size_t i = 0; i < max && s[i] && o + 1 < size;) {
    if (strncmp(s + i, "\xEF\xBB\xBF", 3) == 0) {
      if (o + 12 >= size) break;
      memcpy(dst + o, "\\xef\\xbb\\xbf", 12);
      o += 12;
      i += 3;
    } else
      dst[o++] = s[i++];
  }
  dst[o] = '\0';
}

/* A copy line of a kernel list, as Accel-Sim's tracer writes it:
 * MemcpyHtoD,0x<address>,<bytes> (DtoH the same), checked though not
 * simulated: an address range past 2^64 or a size that is not a number
 * says the file is not what it claims to be. */
static em_status memcpy_line(const char *l, const char *list, uint64_t line, em_diag *d) {
  const char *p = l + 6;
  if (strncmp(p, "HtoD,", 5) != 0 && strncmp(p, "DtoH,", 5) != 0) {
    char shown[4 * 40 + 1]; /* 40 bytes, each BOM of 3 written in 12 */
    quote_bom(shown, sizeof shown, l, 40);
    return em_diag_set(d, EM_ERR_PARSE, list, line, 7,
                       "expected MemcpyHtoD,0xADDRESS,BYTES, got '%s'", shown);
  }
  p += 5;
  const char *a = p;
  uint64_t addr = 0, bytes;
  bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2]);
  for (p += 2; hex && isxdigit((unsigned char)*p); p++) {
    if (addr >> 60) {
      hex = false;
      break;
    }
    addr = addr << 4 | (uint64_t)(isdigit((unsigned char)*p) ? *p - '0' : (*p | 32) - 'a' + 10);
  }
  if (!hex || *p != ',')
    return em_diag_set(d, EM_ERR_PARSE, list, line, (uint64_t)(a - l) + 1,
                       "a copy's address must be 0x and up to 16 hex digits, got '%.*s'",
                       (int)strcspn(a, ","), a);
  p++;
  em_status st = em_parse_u64(p, &bytes);
  if (st != EM_OK || *p == '+')
    return em_diag_set(d, EM_ERR_PARSE, list, line, (uint64_t)(p - l) + 1,
                       "a copy's size must be a number of bytes, got '%s'", p);
  if (bytes && bytes - 1 > UINT64_MAX - addr) /* its last byte past 2^64 - 1 */
    return em_diag_set(d, EM_ERR_RANGE, list, line, (uint64_t)(p - l) + 1,
                       "a copy of %s bytes at 0x%llx runs past the 64-bit address space", p,
                       (unsigned long long)addr);
  return EM_OK;
}

static em_status accel_list(simt_trace *t, const char *list, em_diag *d) {
  FILE *f;
  em_status os = em_input_open(list, "a kernel list", 0, &f, d);
  if (os != EM_OK) return os;
  const char *slash = strrchr(list, '/');
  size_t dirlen = slash ? (size_t)(slash - list) + 1 : 0;
  reader r = {.f = f, .path = list};
  char *l;
  int rc;
  em_status s = EM_OK;
  size_t cap = 0;
  while ((rc = next_line(&r, &l, d)) > 0) {
    while (is_space(*l)) l++;
    size_t n = strlen(l);
    while (n && is_space(l[n - 1])) l[--n] = '\0';
    if (!n || l[0] == '#') continue;
    if (strncmp(l, "Memcpy", 6) == 0) { /* not simulated (no model times host copies) */
      if ((s = memcpy_line(l, list, r.line, d)) != EM_OK) break;
      continue;
    }
    if (strncmp(l, "kernel", 6) != 0) {
      char shown[4 * 40 + 1]; /* 40 bytes, each BOM of 3 written in 12 */
      quote_bom(shown, sizeof shown, l, 40);
      s = em_diag_set(d, EM_ERR_PARSE, list, r.line, 1,
                      "expected a MemcpyHtoD line or a kernel trace file name, got '%s'", shown);
      break;
    }
    if (t->n == TRACE_KERNELS_MAX) {
      s = em_diag_set(d, EM_ERR_LIMIT, list, r.line, 1,
                      "more than %llu kernels: too many to simulate in one run (split the list)",
                      (unsigned long long)TRACE_KERNELS_MAX);
      break;
    }
    if (t->n == cap) {
      size_t c = cap ? cap * 2 : 16;
      char **p = realloc(t->files, c * sizeof *p);
      if (!p) {
        s = em_diag_set(d, EM_ERR_NOMEM, list, r.line, 0, "out of memory");
        break;
      }
      t->files = p;
      cap = c;
    }
    char *path = malloc(dirlen + n + 1);
    if (!path) {
      s = em_diag_set(d, EM_ERR_NOMEM, list, r.line, 0, "out of memory");
      break;
    }
    memcpy(path, list, dirlen);
    memcpy(path + dirlen, l, n + 1);
    t->files[t->n++] = path;
    /* Kernels are read one at a time later; a missing one is named here,
     * and so is a FIFO: named by the list, not by the user, it would block
     * the run with no one to write to it (one in an unpacked archive). A
     * kernel trace given on the command line may still be a FIFO. */
    em_diag kd; /* checked, not opened */
    if (em_input_check(path, "a kernel trace", EM_INPUT_REGULAR, &kd) != EM_OK) {
      const char *why = strncmp(kd.msg, "cannot open: ", 13) == 0 ? kd.msg + 13 : kd.msg;
      s = em_diag_set(d, EM_ERR_IO, list, r.line, 1, "cannot open kernel trace '%s': %s", path,
                      why);
      break;
    }
  }
  if (rc < 0) s = d->status;
  if (s == EM_OK && t->n == 0)
    s = em_diag_set(d, EM_ERR_PARSE, list, r.line ? r.line : 1, 1, "no kernels listed");
  reader_free(&r);
  fclose(f);
  return s;
}

/* ---- native ---- */

static const char native_magic[] = "emlsim-trace 1";

/* Parses "X[,Y[,Z]]" into v (missing = dflt). */
static bool parse_dims(const char *s, uint64_t v[3], uint64_t max, uint64_t dflt) {
  v[0] = v[1] = v[2] = dflt;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", s);
  char *save = NULL;
  int i = 0;
  for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
    if (i == 3 || em_parse_u64(p, &v[i]) != EM_OK || v[i] > max) return false;
    i++;
  }
  return i > 0 && s[strlen(s) - 1] != ',';
}

static em_status native_inst(builder *b, lexer *x, uint64_t ln, em_diag *d) {
  /* the opcode is x's current token */
  simt_tline proto;
  memset(&proto, 0, sizeof proto);
  proto.h.dst = proto.h.src[0] = proto.h.src[1] = proto.h.src[2] = SIMT_REG_NONE;
  em_status s = set_opcode(&proto, x, b->oc, b->path, ln, d);
  if (s != EM_OK) return s;
  /* default mask: the warp's existing lanes */
  uint64_t w = b->cur_slot % b->wpb;
  uint32_t lanes = b->threads - (uint32_t)w * 32u;
  proto.mask = lanes >= 32 ? 0xFFFFFFFFu : (1u << lanes) - 1u;
  uint64_t repeat = 1, width = 0;
  const char *addrs = NULL;
  size_t addr_col = 0, repeat_col = x->col;
  char abuf[LINE_MAX_BYTES > 4096 ? 4096 : LINE_MAX_BYTES];
  while (next_tok(x)) {
    if (tok_cut(x) && strncmp(x->t, "a=", 2) != 0) return long_tok(x, b->path, ln, d);
    const char *eq = strchr(x->t, '=');
    if (!eq || eq == x->t)
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x->col,
                         "expected key=value (d, s, a, m, w, n), got '%s'", x->t);
    char key = x->t[0];
    const char *v = eq + 1;
    size_t vcol = x->col + (size_t)(v - x->t);
    if (eq - x->t != 1 || !strchr("dsamwn", key))
      return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x->col,
                         "unknown key '%.*s' (d, s, a, m, w or n)", (int)(eq - x->t), x->t);
    uint64_t u;
    switch (key) {
    case 'd':
      if (parse_reg(v, &proto.h.dst) != EM_OK)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, vcol, "bad register '%s'", v);
      break;
    case 's': {
      char buf[128];
      snprintf(buf, sizeof buf, "%s", v);
      char *save = NULL;
      proto.h.nsrc = 0;
      for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        uint16_t r;
        if (proto.h.nsrc == 3 || parse_reg(p, &r) != EM_OK)
          return em_diag_set(d, EM_ERR_PARSE, b->path, ln, vcol,
                             "s= takes up to three registers, got '%s'", v);
        if (r != SIMT_REG_NONE) proto.h.src[proto.h.nsrc++] = r;
      }
      break;
    }
    case 'a':
      if (x->len >= sizeof abuf)
        return em_diag_set(d, EM_ERR_LIMIT, b->path, ln, vcol, "address list too long");
      memcpy(abuf, x->line + x->col - 1 + 2, x->len - 2);
      abuf[x->len - 2] = '\0';
      addrs = abuf;
      addr_col = vcol;
      break;
    case 'm':
      if (!parse_hex(v, &u) || u > UINT32_MAX)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, vcol, "bad mask '%s' (hex)", v);
      proto.mask = (uint32_t)u;
      break;
    case 'w':
      if (em_parse_u64(v, &width) != EM_OK || width < 1 || width > 32)
        return em_diag_set(d, EM_ERR_RANGE, b->path, ln, vcol,
                           "w= must be 1..32 bytes per lane, got '%s'", v);
      break;
    case 'n':
      if (em_parse_u64(v, &repeat) != EM_OK || repeat < 1 || repeat > REPEAT_MAX)
        return em_diag_set(d, EM_ERR_RANGE, b->path, ln, vcol, "n= must be 1..%u, got '%s'",
                           REPEAT_MAX, v);
      repeat_col = vcol;
      break;
    }
  }
  if (width) proto.h.width = (uint8_t)width;
  unsigned n = (unsigned)__builtin_popcount(proto.mask);
  if (proto.h.space != SIMT_SPACE_NONE && n > 0 && !addrs)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, x->pos + 1,
                       "%s needs addresses (a=BASE+STRIDE or a=A,B,...)",
                       simt_op_name((simt_op)proto.h.op));
  if (addrs && proto.h.space == SIMT_SPACE_NONE)
    return em_diag_set(d, EM_ERR_PARSE, b->path, ln, addr_col, "%s does not access memory",
                       simt_op_name((simt_op)proto.h.op));
  uint64_t lane_addr[32];
  if (addrs && n > 0) {
    const char *plus = strpbrk(addrs + 1, "+-");
    if (!strchr(addrs, ',') && plus) {
      char base[64];
      size_t bl = (size_t)(plus - addrs);
      if (bl >= sizeof base)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, addr_col, "bad base address");
      memcpy(base, addrs, bl);
      base[bl] = '\0';
      uint64_t a;
      uint64_t st;
      if (!parse_num(base, &a) || !parse_num(plus + 1, &st) || st > INT64_MAX)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, addr_col,
                           "expected BASE+STRIDE or BASE-STRIDE, got '%s'", addrs);
      int64_t stride = *plus == '-' ? -(int64_t)st : (int64_t)st;
      for (unsigned i = 0; i < n; i++)
        if (!lane_address(a, stride, i, &lane_addr[i]))
          return em_diag_set(d, EM_ERR_RANGE, b->path, ln, addr_col,
                             "'%s' takes lane %u's address outside the 64-bit address space",
                             addrs, i);
    } else {
      char *save = NULL;
      unsigned i = 0;
      for (char *p = strtok_r(abuf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (i == n || !parse_num(p, &lane_addr[i]))
          return em_diag_set(d, EM_ERR_PARSE, b->path, ln, addr_col,
                             i == n ? "more addresses than the %u active lanes"
                                    : "bad address in the list (%u active lanes)",
                             n);
        i++;
      }
      if (i != n)
        return em_diag_set(d, EM_ERR_PARSE, b->path, ln, addr_col,
                           "%u addresses for %u active lanes", i, n);
    }
    for (unsigned i = 0; i < n; i++)
      if (lane_fits(b, &proto, lane_addr[i], ln, addr_col, d) != EM_OK) return d->status;
  }
  return b_repeat(b, &proto, lane_addr, proto.h.space != SIMT_SPACE_NONE ? n : 0, repeat, ln,
                  repeat_col, d);
}

static em_status native_kernel(simt_trace *t, size_t idx, simt_kernel *k, em_diag *d) {
  FILE *f;
  em_status os = em_input_open(t->path, "a native trace", EM_INPUT_REGULAR, &f, d);
  if (os != EM_OK) return os;
  if (fseek(f, t->offsets[idx], SEEK_SET) != 0) {
    fclose(f);
    return em_diag_set(d, EM_ERR_IO, t->path, 0, 0, "seek failed");
  }
  reader r = {.f = f, .path = t->path, .line = t->lines[idx] - 1,
              .off = (uint64_t)t->offsets[idx]};
  char *l;
  int rc;
  em_status s = EM_OK;
  builder b = {0};
  bool kept;
  s = stream_new(t->path, SIMT_TRACE_NATIVE, f, &r, &b.s, &kept, d);
  if (s != EM_OK) {
    fclose(f);
    return s;
  }
  char name[64] = "";
  uint64_t regs = 32, smem = 0;
  bool started = false;
  while ((rc = next_line(&r, &l, d)) > 0) {
    char *hash = strchr(l, '#');
    if (hash) *hash = '\0';
    lexer x;
    lex_init(&x, l);
    if (!next_tok(&x)) continue;
    if (strcmp(x.t, "kernel") == 0) {
      if (started) break; /* the next kernel */
      started = true;
      if (!next_tok(&x) || strchr(x.t, '=')) {
        s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, x.col, "kernel needs a name");
        goto out;
      }
      size_t nl = strlen(x.t) < sizeof name - 1 ? strlen(x.t) : sizeof name - 1;
      memcpy(name, x.t, nl);
      name[nl] = '\0';
      uint64_t grid[3] = {0, 0, 0}, block = 0;
      while (next_tok(&x)) {
        if (tok_cut(&x)) {
          s = long_tok(&x, t->path, r.line, d);
          goto out;
        }
        const char *eq = strchr(x.t, '=');
        const char *v = eq ? eq + 1 : "";
        size_t vcol = x.col + (size_t)(v - x.t);
        if (strncmp(x.t, "grid=", 5) == 0) {
          if (!parse_dims(v, grid, 1u << 31, 1) || !grid[0] || !grid[1] || !grid[2]) {
            s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, vcol,
                            "grid= needs X[,Y[,Z]] of sizes in [1, 2147483648], got '%s'",
                            v);
            goto out;
          }
        } else if (strncmp(x.t, "block=", 6) == 0) {
          if (em_parse_u64(v, &block) != EM_OK || block < 1 || block > 1024) {
            s = em_diag_set(d, EM_ERR_RANGE, t->path, r.line, vcol,
                            "block= must be 1..1024 threads, got '%s'", v);
            goto out;
          }
        } else if (strncmp(x.t, "regs=", 5) == 0) {
          if (em_parse_u64(v, &regs) != EM_OK || regs < 1 || regs > 255) {
            s = em_diag_set(d, EM_ERR_RANGE, t->path, r.line, vcol,
                            "regs= must be 1..255, got '%s'", v);
            goto out;
          }
        } else if (strncmp(x.t, "smem=", 5) == 0) {
          if (em_parse_u64(v, &smem) != EM_OK || smem > (1u << 24)) {
            s = em_diag_set(d, EM_ERR_RANGE, t->path, r.line, vcol,
                            "smem= must be 0..16777216 bytes, got '%s'", v);
            goto out;
          }
        } else {
          s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, x.col,
                          "unknown kernel attribute '%s' (grid=, block=, regs=, smem=)", x.t);
          goto out;
        }
      }
      if (!grid[0] || !block) {
        s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, 1, "kernel needs grid= and block=");
        goto out;
      }
      uint32_t g32[3] = {(uint32_t)grid[0], (uint32_t)grid[1], (uint32_t)grid[2]};
      if ((s = b_init(&b, b.s, t->path, g32, (uint32_t)block, r.line, d)) != EM_OK) goto out;
      b.smem = smem;
      b.smem_checked = true;
      continue;
    }
    if (strcmp(x.t, "block") == 0) {
      uint64_t xyz[3];
      bool got = next_tok(&x);
      if (got && tok_cut(&x)) {
        s = long_tok(&x, t->path, r.line, d);
        goto out;
      }
      if (!got || !parse_dims(x.t, xyz, UINT32_MAX, 0)) {
        s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, x.col, "expected 'block X[,Y[,Z]]'");
        goto out;
      }
      if ((s = b_block(&b, xyz, r.line, x.col, d)) != EM_OK) goto out;
      continue;
    }
    if (strcmp(x.t, "warp") == 0) {
      uint64_t w;
      bool got = next_tok(&x);
      if (got && tok_cut(&x)) {
        s = long_tok(&x, t->path, r.line, d);
        goto out;
      }
      if (!got || em_parse_u64(x.t, &w) != EM_OK) {
        s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, x.col, "expected 'warp W'");
        goto out;
      }
      if ((s = b_warp(&b, w, r.off, r.line, x.col, d)) != EM_OK) goto out;
      continue;
    }
    if (b.cur_slot == UINT64_MAX) {
      s = em_diag_set(d, EM_ERR_PARSE, t->path, r.line, x.col,
                      "instruction '%s' before 'block' and 'warp' lines", x.t);
      goto out;
    }
    if ((s = native_inst(&b, &x, r.line, d)) != EM_OK) goto out;
  }
  if (rc < 0) {
    s = d->status;
    goto out;
  }
  simt_kernel_init(k, name);
  k->regs_per_thread = (uint32_t)regs;
  k->smem_bytes = smem;
  if ((s = stream_ready(b.s, d)) == EM_OK) s = b_finish(&b, k, t->lines[idx], d);
  if (s != EM_OK) simt_kernel_free(k);
out:
  b_abort(&b);
  reader_free(&r);
  if (!kept) fclose(f);
  return s;
}

static em_status native_open(simt_trace *t, const char *path, em_diag *d) {
  FILE *f; /* a regular file: each kernel is read again from its offset */
  em_status os = em_input_open(path, "a native trace", EM_INPUT_REGULAR, &f, d);
  if (os != EM_OK) return os;
  t->path = strdup(path);
  reader r = {.f = f, .path = path};
  char *l;
  int rc;
  em_status s = EM_OK;
  bool magic = false;
  size_t cap = 0;
  uint64_t off = 0;
  while ((rc = next_line(&r, &l, d)) > 0) {
    long here = (long)off;
    off = r.off;
    lexer x;
    lex_init(&x, l);
    if (!next_tok(&x) || x.t[0] == '#') continue;
    if (!magic) {
      const char *p = l;
      while (is_space(*p)) p++;
      if (strncmp(p, native_magic, sizeof native_magic - 1) != 0) {
        s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1,
                        "not a trace: expected '%s' on the first line", native_magic);
        break;
      }
      magic = true;
      continue;
    }
    if (strcmp(x.t, "kernel") != 0) {
      if (t->n == 0) {
        s = em_diag_set(d, EM_ERR_PARSE, path, r.line, (uint64_t)x.col,
                        "'%s' before the first 'kernel' line", x.t);
        break;
      }
      /* an instruction line asks for its n= repeats (1 without; a bad
       * one is the kernel's error when it loads) */
      if (strcmp(x.t, "block") != 0 && strcmp(x.t, "warp") != 0) {
        uint64_t rep = 1, v;
        while (next_tok(&x))
          if (x.t[0] == 'n' && x.t[1] == '=' && em_parse_u64(x.t + 2, &v) == EM_OK && v >= 1 &&
              v <= REPEAT_MAX)
            rep = v;
        t->insts = t->insts + rep < t->insts ? UINT64_MAX : t->insts + rep;
      }
      continue;
    }
    if (t->n == TRACE_KERNELS_MAX) {
      s = em_diag_set(d, EM_ERR_LIMIT, path, r.line, (uint64_t)x.col,
                      "more than %llu kernels: too many to simulate in one run (split the "
                      "trace)", (unsigned long long)TRACE_KERNELS_MAX);
      break;
    }
    if (t->n == cap) {
      size_t c = cap ? cap * 2 : 16;
      long *po = realloc(t->offsets, c * sizeof *po);
      if (po) t->offsets = po;
      uint64_t *pl = po ? realloc(t->lines, c * sizeof *pl) : NULL;
      if (!pl) {
        s = em_diag_set(d, EM_ERR_NOMEM, path, r.line, 0, "out of memory");
        break;
      }
      t->lines = pl;
      cap = c;
    }
    t->offsets[t->n] = here;
    t->lines[t->n++] = r.line;
  }
  if (rc < 0) s = d->status;
  if (s == EM_OK && !magic)
    s = em_diag_set(d, EM_ERR_PARSE, path, 1, 1, "empty trace (expected '%s')", native_magic);
  if (s == EM_OK && t->n == 0)
    s = em_diag_set(d, EM_ERR_PARSE, path, r.line, 1, "no 'kernel' line in the trace");
  reader_free(&r);
  fclose(f);
  return s;
}

/* ---- decoding a warp as it runs ---- */

/* The line at file offset off into s->lbuf (NUL-terminated, no newline or
 * trailing '\r'), *next the offset after it: 1, 0 at the end of the file,
 * -1 on an error (set in d).  Reads through a window of the file, which
 * grows to hold one line of up to LINE_MAX_BYTES. */
static int win_line(stream *s, uint64_t off, char **out, uint64_t *next, em_diag *d) {
  size_t want = s->wwant ? s->wwant : WINDOW_BYTES;
  for (;;) {
    if (off >= s->woff && off - s->woff < s->wlen) {
      const char *p = s->win + (off - s->woff);
      size_t avail = s->wlen - (size_t)(off - s->woff);
      const char *nl = memchr(p, '\n', avail);
      if (nl || s->weof) {
        size_t n = nl ? (size_t)(nl - p) : avail;
        if (n + 1 > s->lcap) {
          size_t c = s->lcap ? s->lcap : 256;
          while (c < n + 1) c *= 2;
          char *q = realloc(s->lbuf, c);
          if (!q) {
            em_diag_set(d, EM_ERR_NOMEM, s->path, 0, 0, "out of memory");
            return -1;
          }
          s->lbuf = q;
          s->lcap = c;
        }
        memcpy(s->lbuf, p, n);
        *next = off + n + (nl != NULL);
        while (n > 0 && s->lbuf[n - 1] == '\r') n--;
        s->lbuf[n] = '\0';
        *out = s->lbuf;
        return 1;
      }
      /* the line runs past the window */
      if (off == s->woff) want = s->wlen * 2;
    } else if (s->weof && off >= s->woff && off - s->woff >= s->wlen) {
      return 0;
    }
    if (want > (size_t)LINE_MAX_BYTES + 2) {
      em_diag_set(d, EM_ERR_LIMIT, s->path, 0, 0, "line longer than %u bytes", LINE_MAX_BYTES);
      return -1;
    }
    if (want > s->wcap) {
      char *q = realloc(s->win, want);
      if (!q) {
        em_diag_set(d, EM_ERR_NOMEM, s->path, 0, 0, "out of memory");
        return -1;
      }
      s->win = q;
      s->wcap = want;
    }
    size_t got = 0;
    while (got < want) {
      ssize_t k = pread(s->fd, s->win + got, want - got, (off_t)(off + got));
      if (k < 0 && errno == EINTR) continue;
      if (k < 0) {
        em_diag_set(d, EM_ERR_IO, s->path, 0, 0, "read error: %s", strerror(errno));
        return -1;
      }
      if (k == 0) break;
      got += (size_t)k;
    }
    s->woff = off;
    s->wlen = got;
    s->weof = got < want;
    if (got == 0) return 0;
  }
}

static em_status changed(const stream *s, const simt_tcursor *c, em_diag *d) {
  char why[120];
  size_t n = strnlen(d->msg, sizeof why - 1); /* the decoder's own message, cut short */
  memcpy(why, d->msg, n);
  why[n] = '\0';
  return em_diag_set(d, EM_ERR_IO, s->path, 0, 0,
                     "the trace changed since it was read: warp %llu of block %llu does not "
                     "read as it did (%s)",
                     (unsigned long long)(c->slot % s->wpb),
                     (unsigned long long)(c->slot / s->wpb), d->msg[0] ? why : "end of file");
}

/* Decodes c's next chunk: up to SIMT_TCHUNK_LINES of the warp's lines,
 * while room for a line's 32 addresses is left. */
static em_status cur_fill(stream *s, simt_tcursor *c, em_diag *d) {
  builder b;
  memset(&b, 0, sizeof b);
  b.path = s->path;
  b.oc = &s->oc;
  b.cur = c;
  b.threads = s->threads;
  b.wpb = s->wpb;
  b.cur_slot = c->slot;
  c->n = 0;
  uint64_t off0 = c->off;
  while (c->left > 0 && c->n < SIMT_TCHUNK_LINES && b.nad + 32 <= SIMT_TCHUNK_ADDRS) {
    if (c->rep_left) { /* a native line's next repeat */
      simt_tline *t = &c->tl[c->n++];
      *t = c->rep;
      t->addr_off = b.nad;
      memcpy(c->ta + b.nad, c->rep_addr, c->rep_naddr * sizeof *c->ta);
      b.nad += c->rep_naddr;
      c->rep_left--;
      c->left--;
      continue;
    }
    char *l;
    uint64_t next;
    int rc = win_line(s, c->off, &l, &next, d);
    if (rc == 0) em_diag_clear(d); /* the end of the file: no message of its own */
    if (rc <= 0) return changed(s, c, d);
    c->off = next;
    if (s->fmt == SIMT_TRACE_ACCEL) {
      /* what the index pass read as an instruction line (a warp's lines
       * may only be broken by blank, comment and insts lines) */
      const char *p = l;
      while (is_space(*p)) p++;
      if (!*p || *p == '#' || strncmp(p, "insts", 5) == 0) continue;
      if (accel_inst(&b, &s->h, l, 0, d) != EM_OK) return changed(s, c, d);
      c->left--;
    } else {
      char *hash = strchr(l, '#');
      if (hash) *hash = '\0';
      lexer x;
      lex_init(&x, l);
      if (!next_tok(&x)) continue;
      if (strcmp(x.t, "kernel") == 0 || strcmp(x.t, "block") == 0 || strcmp(x.t, "warp") == 0 ||
          native_inst(&b, &x, 0, d) != EM_OK)
        return changed(s, c, d);
      /* the line's repeats go out at the top of the loop */
    }
  }
  uint64_t used = c->off - off0;
  if (used) {
    uint64_t w = used + used / 4 + 256;
    s->wwant = (size_t)(w < WINDOW_MIN ? WINDOW_MIN : w > WINDOW_BYTES ? WINDOW_BYTES : w);
  }
  return EM_OK;
}

static em_status src_open(void *ctx, uint64_t block, uint32_t warp, simt_tcursor *c,
                          em_diag *d) {
  stream *s = ctx;
  c->n = 0;
  c->rep_left = 0;
  c->line = 0;
  c->left = 0;
  c->slot = block * s->wpb + warp;
  if (warp >= s->wpb || c->slot >= s->nslots) return EM_OK; /* no such warp: no lines */
  c->left = s->count[c->slot];
  c->off = s->first[c->slot] ? s->first[c->slot] - 1 : 0;
  return c->left ? cur_fill(s, c, d) : EM_OK;
}

static em_status src_next(void *ctx, simt_tcursor *c, em_diag *d) {
  return cur_fill(ctx, c, d);
}

em_status simt_trace_warp_line(const simt_kernel *k, uint64_t block, uint32_t warp, uint64_t i,
                               simt_tline *line, uint64_t addr[32], em_diag *d) {
  if (!k->tsrc) return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "kernel '%s' is not traced",
                                   k->name);
  simt_tcursor *c = malloc(sizeof *c);
  if (!c) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  em_status s = k->tsrc->open(k->tsrc->ctx, block, warp, c, d);
  uint64_t base = 0;
  while (s == EM_OK && i >= base + c->n && c->left) {
    base += c->n;
    s = k->tsrc->next(k->tsrc->ctx, c, d);
  }
  if (s == EM_OK && i >= base + c->n)
    s = em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "warp %u of block %llu has %llu lines", warp,
                    (unsigned long long)block, (unsigned long long)(base + c->n));
  if (s == EM_OK) {
    *line = c->tl[i - base];
    unsigned n = (unsigned)__builtin_popcount(line->mask);
    if (line->h.space != SIMT_SPACE_NONE) memcpy(addr, c->ta + line->addr_off, n * sizeof *addr);
    line->addr_off = 0;
  }
  free(c);
  return s;
}

/* ---- opening ---- */

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool simt_trace_probe(const char *path) {
  if (ends_with(path, ".g") || ends_with(path, ".traceg") || ends_with(path, ".traceg.xz") ||
      ends_with(path, ".emtrace"))
    return true;
  if (is_dir(path)) return true;
  FILE *f; /* a pipe is not looked into: that would take its first bytes */
  if (em_input_open(path, NULL, EM_INPUT_REGULAR, &f, NULL) != EM_OK) return false;
  char buf[64] = "";
  bool yes = fgets(buf, sizeof buf, f) && strncmp(buf, native_magic, sizeof native_magic - 1) == 0;
  fclose(f);
  return yes;
}

em_status simt_trace_open(const char *path, simt_trace **out, em_diag *d) {
  *out = NULL;
  simt_trace *t = calloc(1, sizeof *t);
  if (!t) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  em_status s;
  if (is_dir(path)) {
    size_t n = strlen(path);
    char *list = malloc(n + 16);
    if (!list) {
      free(t);
      return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    snprintf(list, n + 16, "%s/kernelslist.g", path);
    t->fmt = SIMT_TRACE_ACCEL;
    s = accel_list(t, list, d);
    free(list);
  } else if (ends_with(path, ".g")) {
    t->fmt = SIMT_TRACE_ACCEL;
    s = accel_list(t, path, d);
  } else if (ends_with(path, ".traceg") || ends_with(path, ".traceg.xz")) {
    t->fmt = SIMT_TRACE_ACCEL;
    t->files = malloc(sizeof *t->files);
    if (t->files) t->files[0] = strdup(path);
    if (!t->files || !t->files[0]) s = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
    else {
      t->n = 1;
      s = EM_OK;
    }
  } else {
    t->fmt = SIMT_TRACE_NATIVE;
    s = native_open(t, path, d);
  }
  if (s != EM_OK) {
    simt_trace_close(t);
    return s;
  }
  *out = t;
  return EM_OK;
}

void simt_trace_close(simt_trace *t) {
  if (!t) return;
  if (t->files)
    for (size_t i = 0; i < t->n; i++) free(t->files[i]);
  free(t->files);
  free(t->offsets);
  free(t->lines);
  free(t->path);
  free(t);
}

uint64_t simt_trace_insts(const simt_trace *t) {
  return t->fmt == SIMT_TRACE_NATIVE ? t->insts : 0;
}

size_t simt_trace_count(const simt_trace *t) { return t->n; }
simt_trace_format simt_trace_get_format(const simt_trace *t) { return t->fmt; }

em_status simt_trace_kernel(simt_trace *t, size_t i, simt_kernel *k, em_diag *d) {
  if (i >= t->n) return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "no kernel %zu", i);
  if (t->fmt == SIMT_TRACE_ACCEL) return accel_kernel(t->files[i], k, d);
  return native_kernel(t, i, k, d);
}

const char *simt_trace_where(const simt_trace *t, size_t i, uint64_t *line) {
  if (t->fmt == SIMT_TRACE_ACCEL) {
    *line = 1;
    return t->files[i];
  }
  *line = t->lines[i];
  return t->path;
}
