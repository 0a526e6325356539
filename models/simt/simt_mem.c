/*
 * simt_mem.c - coalescer, shared-memory banks, sectored L1 and L2 with MSHRs,
 * DRAM channels with banks, row buffers and FR-FCFS.
 *
 * Latencies (core cycles, configuration keys in simt_config.h):
 *   L1 hit      l1_latency                      (TITAN V: 33.7, REFERENCES.md)
 *   L2 hit      l2_latency, half each way       (TITAN V: 210-220)
 *   L2 miss     l2_latency + dram_latency + bank timing + burst
 *               bank timing: row hit tCL, closed row tRCD + tCL, row
 *               conflict tRP + tRCD + tCL       (TITAN V DRAM: 313)
 * Bandwidth: an SM's L1 looks up l1_lines_per_cycle lines per cycle, and a
 * global load or store holds its data port at least l1_inst_cycles (TITAN V:
 * 32-bit loads stream at 78.3 B/clk/SM, 64-bit ones at 122.8, Accel-Sim's
 * l1_bw_32f / l1_bw_64f); with l1_smem_unified the shared memory's
 * wavefronts take the same port, one per cycle (Volta's unified L1 and
 * shared memory: shared loads alone stream at 126.5 B/clk/SM, shared and L1
 * loads together at 99.7, Accel-Sim's shared_bw and l1_shared_bw); an L2
 * slice serves l2_slice_bytes_per_cycle; a DRAM channel's data bus moves
 * dram_channel_bytes_per_cycle and idles when it turns around, dram_t_rtw
 * cycles from reads to writes and dram_t_wtr from writes to reads (the data
 * gaps that GPGPU-Sim's command rules tRTW = CL + BL/2 + 2 - WL and tWTR =
 * WL + BL/2 + CDLR leave: tRTW + WL - CL - BL/2 and tWTR + CL - WL - BL/2);
 * FR-FCFS takes row hits first and, among equals, the bus's current
 * direction (so writes drain together), among a window of the first
 * dram_queue requests to have reached the channel; with dram_write_queue writes wait
 * in a queue of their own and drain in batches between two watermarks
 * (GPGPU-Sim's -dram_seperate_write_queue_enable, -dram_write_queue_size
 * size:high:low; Accel-Sim's QV100: 64:56:32); each channel refreshes, taking no
 * command for dram_t_rfc cycles of every dram_t_refi (HBM2: tRFC 350 ns of
 * tREFI 3.9 us, 9 %).  Requests queue behind each resource.
 * The DRAM keeps its own clock: its timings and bus, given in cycles of
 * dram_ref_mhz, are restated in core cycles when the model is created
 * (simt_config_dram_in_core_cycles), and each channel decides on its
 * controller's cycles ("the controllers' clock" below), so a core clock
 * set over a preset leaves the DRAM's nanoseconds and GB/s.
 * Atomics (ATOMG, RED) bypass L1 and are done in their L2 slice: an atomic
 * unit per slice takes l2_atomic_interval cycles per sector of the warp's
 * request, and as many again per further lane on one word (those serialise;
 * TITAN V: same-word atomics from every SM run at 0.46 B/clk, one per 8.6
 * cycles, Accel-Sim's atomic_add_bw_conflict), then l2_atomic_latency cycles
 * for the read-modify-write (a dependent atomic: 243.6 cycles, Accel-Sim's
 * atomic_add_lat, against an L2 hit's 215); the sector becomes dirty.  A
 * sector missing in L2 is fetched from DRAM first.
 *
 * Policies: L1 allocates on load misses and is write-through without
 * allocation (stores invalidate the sector); L2 is write-back and allocates
 * on writes (a full-sector write needs no fetch); LRU replacement among
 * lines with no fill in flight (when every way of a set waits for a fill the
 * request bypasses the cache).  L2 slice of a line: an XOR fold of the line
 * address (GPGPU-Sim's IPOLY idea, simpler), so strided streams spread over
 * slices; DRAM channel = slice mod channels; bank = row group XOR-folded.
 * A channel holds at most l2_dram_queue write-backs per slice it serves
 * plus its write window, each from its eviction until its burst is done;
 * a store to a slice of a full channel is refused until it holds one fewer
 * (GPGPU-Sim's slice stops while its queue to DRAM is full).  Dirty lines
 * left in L2 when a kernel ends, and write-backs still held, are counted as
 * DRAM writes but not timed (simt_mem_finish).
 */
#include "simt_mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How far ahead of `now` a port may be booked before the warp must retry:
 * a queue depth of a few warp accesses, as an LSU's request FIFO. */
#define PORT_QUEUE_CYCLES 32u

typedef struct {
  uint64_t tag; /* line number + 1; 0 = invalid */
  uint64_t lru;
  uint64_t ready[4]; /* sector data time (may lie in the future) */
  int32_t mshr[4];   /* miss entry while the time is unknown, else -1 */
  uint8_t valid, dirty;
} line_t;

typedef struct {
  int32_t line; /* line index in the SM's L1, -1 when bypassing */
  uint8_t si;
  uint32_t nwait;
  uint32_t extra; /* cycles added to the data time (an atomic's read-modify-write) */
  int32_t next_free;
} l1_mshr;

typedef struct {
  uint64_t *slot;
  simt_mem_waiter *w;
  uint32_t remaining;
  uint64_t max;
  int32_t next_free;
} load_rec;

typedef struct {
  uint32_t slice;
  int32_t line; /* in the slice, -1 when bypassing */
  uint8_t si;
  uint32_t sm, l1m; /* the L1 miss entry that missed first (answered last) */
  int32_t waiters;  /* head of the list of those merged since, newest first */
  int32_t next_free;
} l2_mshr;

typedef struct {
  uint32_t sm, l1m;
  int32_t next;
} l2_waiter;

typedef struct {
  uint64_t arrival;
  uint64_t row;
  uint32_t bank;
  int32_t l2m; /* -1: a write-back */
} dram_req;

/* A request in the scheduler's window, in the list of those arrived (oldest
 * first). */
typedef struct {
  dram_req r;
  uint32_t seq;          /* the order it came in (compared wrapping) */
  int32_t aprev, anext;  /* the window's list; anext links the free nodes */
} dram_node;

/* A request beyond the window, with the order it came in. */
typedef struct {
  dram_req r;
  uint32_t seq;
} dram_qent;

/* Requests beyond a window in the order of arrival: oldest at head (cap a
 * power of two), whose arrival and order are kept beside (a decision
 * compares the rings' heads without reading their entries). */
typedef struct {
  dram_qent *q;
  size_t cap, head, n;
  uint64_t harr; /* q[head]'s arrival and order, when n > 0 */
  uint32_t hseq;
} dram_ring;

/* Rings a queue keeps beyond its window: an L2 slice's requests go to ring
 * (slice / channels) mod SIMT_DRAM_RINGS of its channel's queue. */
#define SIMT_DRAM_RINGS 4u

/* One queue of a channel, with its scheduler's window: at most `win`
 * requests that have arrived, the first to arrive first.  A request is
 * enqueued when its L2 slice's miss is worked out, often long before it
 * reaches the controller (the slice's time may be booked far ahead), and
 * not always in the order of arrival: until it arrives it waits beyond the
 * window and holds no slot of it (a window that took requests as they were
 * enqueued filled with ones due thousands of cycles later, while hundreds
 * that had arrived waited behind them and the channel idled:
 * models/simt/README.md, "Sparse execution").  Beyond the window, a request
 * joins its L2 slice's ring when it arrives no earlier than the ring's last
 * one, else a binary heap by arrival.  A slice's misses leave it in the
 * order of its own time (each starts no earlier than the one before), so
 * they keep to the ring, at a ring's cost; the channel's slices are booked
 * apart and interleave out of order, which one ring for all of them sent a
 * third of a GEMV's requests to the heap for (AlexNet FC-3).  The earliest
 * of the heads comes first (by arrival, then by the order they came in).
 * A decision moves what has arrived into the window while it has room,
 * the earliest first, and looks at the window only; the window's nodes are
 * at most `win` (a node freed is the next one filled: a few host cache
 * lines). */
typedef struct {
  dram_ring ring[SIMT_DRAM_RINGS]; /* beyond the window, each in the order of arrival */
  size_t rn;              /* requests in the rings */
  dram_qent *q;           /* beyond the window, the others: a binary heap, earliest at q[0] */
  size_t qcap, qn;
  uint64_t pfirst;        /* the earliest arrival beyond the window (SIMT_TIME_UNKNOWN: none) */
  unsigned pfrom;         /* its ring (SIMT_DRAM_RINGS: the heap's root) */
  dram_node *nd;          /* the window's nodes */
  size_t ncap;            /* nodes allocated (grown up to win) */
  int32_t free;           /* free nodes, through anext */
  size_t wn, win;         /* in the window (all arrived); the window's size */
  int32_t ahead, atail;   /* the window, by arrival (oldest first) */
  size_t an;              /* of wn, arrived: every one (the write drain reads it) */
  uint32_t seq;           /* the next request's */
} dram_fifo;

/* A DRAM bank: its open row (-1: none) and when it takes its next column
 * command, side by side (a decision reads both of one bank). */
typedef struct {
  int64_t open_row;
  uint64_t ready;
} dram_bank;

typedef struct {
  dram_fifo rd; /* reads, and writes too without dram_write_queue */
  dram_fifo wr; /* writes, with dram_write_queue */
  uint8_t write_mode; /* a write drain is under way (dram_write_queue) */
  dram_bank *bank; /* dram_banks of them, in simt_mem.banks */
  double bus_free;
  uint8_t last_dir; /* the data bus's last direction: 0 none yet, 1 read, 2 write */
  uint64_t tick;    /* the controller cycle of its next decision (simt_mem.ch_next: its
                     * core cycle) */
  uint64_t refresh_epoch; /* refresh periods begun (each closes the rows) */
  uint64_t refresh_off;   /* the channel's stagger: channel x dram_t_refi / channels */
  uint32_t id;            /* its index in simt_mem.ch */
  /* t + refresh_off lies in [epoch_lo, epoch_lo + dram_t_refi) for every t of
   * refresh_epoch, and a bus start plus refresh_off in [phase_lo, phase_lo +
   * dram_t_refi): the times grow, so the divisions that found the epoch and
   * the phase are done once a period, not per request */
  uint64_t epoch_lo, phase_lo;
  /* Write-backs it holds: wb_pend enqueued and not yet decided, and those
   * decided whose burst is not done (their bus times, wb_done, a ring in
   * the order decided: a channel's bus times only grow), at most wb_cap
   * (l2_dram_queue per slice of the channel and its scheduler's write
   * window) before its slices take no store.  A store refused then retries
   * when the channel holds one fewer: the first wb_promised bursts of the
   * ring are each some refused store's retry time, in the order refused;
   * with every burst promised, its SM waits in a queue (wb_head .. wb_tail,
   * through sm_mem.wb_next) for the next burst decided. */
  uint64_t *wb_done;
  size_t wb_dhead, wb_dn, wb_dcap; /* (wb_dcap a power of two) */
  size_t wb_promised;
  uint32_t wb_pend, wb_cap;
  int32_t wb_head, wb_tail;
} dram_chan;

typedef struct {
  line_t *lines;
  /* each L1 line's tag and LRU stamp, and its sectors waiting for a miss
   * entry (a bit each: line_t.mshr[s] >= 0), kept beside lines[] (whose tag
   * and lru fields L1 leaves unused) so that looking a line up in its set
   * reads one host cache line, not one per way */
  uint64_t *tag, *lru;
  uint8_t *busy;
  uint64_t lru_clock;
  double port_free; /* L1 data port (and shared memory's, when unified) */
  double smem_free;  /* shared memory's own port, when not unified */
  l1_mshr *mshr;
  uint32_t *mshr_wait; /* l1_mshr count * max_merge */
  int32_t mshr_free;
  uint32_t mshr_nfree;
  uint32_t mshr_want; /* a warp waits for this many free entries (0: none) */
  simt_wakeq *mshr_wq; /* whose calendar wakes the SM then (and for wb_ch) */
  int32_t wb_ch;   /* the channel whose queue of refused stores it is in (-1: none) */
  int32_t wb_next; /* the next SM in that queue (-1: the last); wb_ch and wb_next
                    * keep sm_mem at 128 bytes, so that &m->sms[sm] is a shift,
                    * not a multiply (each L1 access and port look-up computes it) */
  uint32_t *touched;  /* lines given a tag since the last reset */
  size_t n_touched;
  size_t memo; /* the line l1_access found or placed last (a warp's sectors
                * of one line come one after another) */
} sm_mem;

struct simt_mem {
  simt_config c;
  uint32_t l1_sets, l2_sets, sectors_per_row;
  uint64_t l1_set_mask; /* l1_sets - 1 when a power of two (a mask, not a division), else 0 */
  uint64_t l2_slice_mask; /* l2_slices - 1 when a power of two, else 0 (then a division) */
  unsigned l2_slice_shift; /* log2(l2_slices) when a power of two */
  double l2_sector_cycles; /* a slice's cycles per sector: 32 / l2_slice_bytes_per_cycle,
                            * divided once here (the same double every sector computed) */
  double port_cyc[65];     /* port_cycles() of 0..64 lines, worked out once */
  uint64_t l2_back;        /* l2_latency - l2_latency / 2: L2 back to L1 */
  uint64_t dram_to;        /* dram_latency / 2: L2 to the DRAM channel */
  sm_mem *sms;
  line_t *l2; /* slices * sets * ways */
  /* each L2 line's tag and sectors with a fill in flight (a bit each), kept
   * beside l2[] (whose tag and lru fields L2 leaves unused) so a set's
   * lookup reads two or three cache lines, not sixteen */
  uint64_t *l2_tag;
  uint8_t *l2_busy;
  /* LRU without stamps.  A set's ways are given tags in way order and keep
   * them until the reset (a victim gets another tag, never none), so its
   * tagged ways are ways 0 .. l2_fill[set] - 1, and a victim is way
   * l2_fill[set] while the set has untagged ways (the way a scan for the
   * least key finds: an untagged way's is 0, below every stamp).
   * l2_order[set * ways ..] lists the tagged ways from least to most
   * recently used (stamps from one clock order them so); in a full set the
   * victim is the first there with no fill in flight. */
  uint8_t *l2_order, *l2_fill;
  uint8_t *l2_dirty; /* each L2 line's dirty sectors (a bit each; l2[].dirty
                      * unused): choosing a victim reads no line_t */
  size_t l2_memo; /* the L2 line l2_line found last: a warp's sectors of one
                   * line look it up one after another */
  double *slice_free;
  double *atomic_free; /* each slice's atomic unit */
  load_rec *recs;
  size_t n_recs, cap_recs;
  int32_t rec_free;
  l2_mshr *l2m;
  size_t n_l2m, cap_l2m;
  int32_t l2m_free;
  l2_waiter *l2w;
  size_t n_l2w, cap_l2w;
  int32_t l2w_free;
  dram_chan *ch;
  dram_bank *banks; /* every channel's banks, channel by channel */
  uint64_t *ch_next; /* per channel: its next decision time while it has work,
                      * else SIMT_TIME_UNKNOWN (dense: the advance loop scans it) */
  uint32_t *ch_due;  /* simt_mem_advance's list of the channels due */
  /* the address mapping's constants, worked out once (each was a division
   * by a runtime value per request) */
  uint32_t *slice_ch;       /* each L2 slice's channel: slice mod channels */
  uint8_t *slice_ring;      /* and its ring there: (slice / channels) mod SIMT_DRAM_RINGS */
  uint64_t group_lines;     /* lines per row group: channels x lines per row */
  uint64_t bank_mask;       /* dram_banks - 1 when a power of two, else 0 */
  unsigned bank_shift;      /* log2(dram_banks) when a power of two */
  double dram_burst;        /* a sector's cycles on a channel's data bus */
  /* core cycles a cycle of a channel's controller, which decides at most one
   * request a cycle of its own: the DRAM's clock domain (dram_ref_mhz) over
   * the core clock, 1 at a preset's own clock (a decision every core cycle) */
  double dram_tick_cycles;
  uint64_t dram_burst_cycles; /* the same, rounded, as dram_bus_busy_cycles counts it */
  uint64_t dram_back; /* dram_latency's second half: DRAM data back to L2 */
  uint64_t red_slot; /* where reductions (no result register) report their time */
  uint64_t write_reqs; /* write-backs enqueued for DRAM (those decided: st.dram_writes) */
  uint64_t wb_held;    /* write-backs held, over all channels (wb_pend + wb_dn; an
                        * upper bound: rings are emptied lazily) */
  uint32_t wb_cap_min; /* the least wb_cap: while wb_held is below it no channel is full */
  uint32_t wb_refused; /* the channel of the last store refused for write-backs */
  bool oom; /* a request was dropped (or answered at once) for want of host
             * memory: the run's figures cannot be trusted (simt_mem_out_of_memory) */
  uint64_t adv_now;   /* the cycle simt_mem_advance is scheduling */
  uint64_t dram_next; /* no channel has work before this cycle (a lower bound) */
  uint64_t map_line, map_row; /* dram_enqueue's last line (UINT64_MAX: none), its row */
  uint32_t map_bank;          /* and bank */
  uint32_t *l2_touched; /* L2 lines given a tag since the last reset */
  size_t n_l2_touched;
  simt_mem_stats st;
};

/* ---- pure functions ---- */

/* simt_coalesce of a unit-stride access: lanes l0 .. l0 + cnt - 1 all
 * active (mask a run of set bits), lane l at addr[l0] + width * (l - l0).
 * Their bytes are one range, so the sectors are its sectors in rising
 * order, the list the lane-by-lane loop makes (each lane adds the sectors
 * above the last one listed), at most 64.  Returns 0 when the access is
 * not of that form (mask nonzero). */
static unsigned coalesce_unit_stride(const uint64_t *addr, uint32_t mask, unsigned width,
                                     uint64_t *sectors) {
  unsigned l0 = (unsigned)__builtin_ctz(mask);
  uint32_t run = mask >> l0;
  if (run & (run + 1)) return 0; /* not a run of set bits */
  unsigned cnt = 32u - (unsigned)__builtin_clz(run);
  const uint64_t *a = addr + l0;
  uint64_t a0 = a[0], bad = 0;
  /* each lane width above the one before (mod 2^64, as a0 + width * i);
   * no early exit: a loop the compiler can vectorise (a warp is 32 lanes) */
  for (size_t i = 1; i < cnt; i++) bad |= (a[i] - a[i - 1]) ^ (uint64_t)width;
  if (bad) return 0;
  return simt_coalesce_range(a0, cnt, width, sectors);
}

unsigned simt_coalesce_range(uint64_t a0, unsigned cnt, unsigned width, uint64_t *sectors) {
  uint64_t end = a0 + (uint64_t)width * cnt - 1;
  if (end < a0) return 0; /* wraps past the top of the address space */
  uint64_t first = a0 / SIMT_SECTOR_BYTES, span = end / SIMT_SECTOR_BYTES - first;
  unsigned n = span >= 63 ? 64u : (unsigned)span + 1u;
  for (unsigned k = 0; k < n; k++) sectors[k] = first + k;
  return n;
}

unsigned simt_coalesce(const uint64_t *addr, uint32_t mask, unsigned width,
                       uint64_t *sectors) {
  unsigned n = 0;
  uint64_t last = UINT64_MAX, top = 0; /* top: the largest sector listed */
  if (width == 0) width = 1;
  if (mask && (n = coalesce_unit_stride(addr, mask, width, sectors)) != 0) return n;
  while (mask) {
    unsigned lane = (unsigned)__builtin_ctz(mask);
    mask &= mask - 1;
    uint64_t first = addr[lane] / SIMT_SECTOR_BYTES;
    uint64_t endsec = (addr[lane] + width - 1) / SIMT_SECTOR_BYTES;
    for (uint64_t s = first; s <= endsec; s++) {
      if (s == last) continue;
      unsigned j = n;
      if (n == 0 || s <= top) /* above every listed one (a rising stream): new */
        for (j = 0; j < n; j++)
          if (sectors[j] == s) break;
      if (j == n && n < 64) {
        sectors[n++] = s;
        if (s > top) top = s;
      }
      last = s;
    }
  }
  return n;
}

unsigned simt_lines_of_sectors(const uint64_t *sectors, unsigned n) {
  unsigned lines = 0;
  uint64_t top = 0; /* the largest line seen */
  for (unsigned i = 0; i < n; i++) {
    uint64_t l = sectors[i] / 4;
    if (i > 0 && l == top) continue; /* the largest line seen: not new */
    unsigned j = i;
    if (i == 0 || l < top) /* above every line seen (a rising stream): new */
      for (j = 0; j < i; j++)
        if (sectors[j] / 4 == l) break;
    if (j == i) lines++;
    if (l > top) top = l;
  }
  return lines;
}

unsigned simt_smem_conflict_degree(const uint64_t *addr, uint32_t mask, unsigned width,
                                   unsigned banks) {
  /* Distinct words per bank: each bank keeps a list of its distinct words
   * (a word is looked up only in its own bank's list, so a conflict-free
   * access costs one probe per word). */
  uint64_t words[SIMT_WARP_MAX * 4];
  int next[SIMT_WARP_MAX * 4];
  int head[64];
  unsigned count[64];
  unsigned nw = 0, degree = 0;
  unsigned per_lane = width > 4 ? width / 4 : 1;
  if (per_lane > 4) per_lane = 4;
  if (banks == 0 || banks > 64) return 0;
  for (unsigned b = 0; b < banks; b++) {
    head[b] = -1;
    count[b] = 0;
  }
  /* banks is a power of two on every GPU (32): a mask, not a division */
  uint64_t bmask = (banks & (banks - 1)) == 0 ? banks - 1 : 0;
  while (mask) {
    unsigned lane = (unsigned)__builtin_ctz(mask);
    mask &= mask - 1;
    for (unsigned k = 0; k < per_lane; k++) {
      uint64_t w = addr[lane] / 4 + k;
      unsigned b = (unsigned)(bmask ? w & bmask : w % banks);
      int j;
      for (j = head[b]; j >= 0; j = next[j])
        if (words[j] == w) break;
      if (j >= 0) continue; /* broadcast of a word already read */
      words[nw] = w;
      next[nw] = head[b];
      head[b] = (int)nw++;
      if (++count[b] > degree) degree = count[b];
    }
  }
  return degree;
}

unsigned simt_smem_wavefronts(const uint64_t *addr, uint32_t mask, unsigned width,
                             unsigned banks, unsigned *floor_out) {
  unsigned deg = simt_smem_conflict_degree(addr, mask, width, banks);
  unsigned lanes = (unsigned)__builtin_popcount(mask);
  unsigned bytes = lanes * (width ? width : 1), port = 4 * (banks ? banks : 1);
  unsigned fl = (bytes + port - 1) / port;
  if (fl == 0) fl = 1;
  if (floor_out) *floor_out = fl;
  return deg > fl ? deg : fl;
}

/* ---- pools ---- */

static bool grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return true;
  size_t c = *cap ? *cap * 2 : 256;
  while (c < need) c *= 2;
  void *q = realloc(*p, c * elem);
  if (!q) return false;
  *p = q;
  *cap = c;
  return true;
}

static int32_t rec_alloc(simt_mem *m) {
  if (m->rec_free >= 0) {
    int32_t i = m->rec_free;
    m->rec_free = m->recs[i].next_free;
    return i;
  }
  if (!grow((void **)&m->recs, &m->cap_recs, m->n_recs + 1, sizeof *m->recs)) {
    m->oom = true;
    return -1;
  }
  return (int32_t)m->n_recs++;
}

static void rec_release(simt_mem *m, int32_t i) {
  m->recs[i].next_free = m->rec_free;
  m->rec_free = i;
}

static int32_t l2m_alloc(simt_mem *m) {
  if (m->l2m_free >= 0) {
    int32_t i = m->l2m_free;
    m->l2m_free = m->l2m[i].next_free;
    return i;
  }
  if (!grow((void **)&m->l2m, &m->cap_l2m, m->n_l2m + 1, sizeof *m->l2m)) {
    m->oom = true;
    return -1;
  }
  return (int32_t)m->n_l2m++;
}

static int32_t l2w_alloc(simt_mem *m) {
  if (m->l2w_free >= 0) {
    int32_t i = m->l2w_free;
    m->l2w_free = m->l2w[i].next;
    return i;
  }
  if (!grow((void **)&m->l2w, &m->cap_l2w, m->n_l2w + 1, sizeof *m->l2w)) {
    m->oom = true;
    return -1;
  }
  return (int32_t)m->n_l2w++;
}

/* ---- create / reset ---- */

/* Cycles a global access of `lines` lines holds the L1 data port. */
static inline double port_cycles(const simt_config *c, unsigned lines) {
  double cyc = (double)lines / (double)c->l1_lines_per_cycle;
  return cyc > c->l1_inst_cycles ? cyc : c->l1_inst_cycles;
}

void simt_mem_destroy(simt_mem *m) {
  if (!m) return;
  if (m->sms)
    for (uint64_t i = 0; i < m->c.n_sm; i++) {
      free(m->sms[i].lines);
      free(m->sms[i].mshr);
      free(m->sms[i].mshr_wait);
      free(m->sms[i].touched);
      free(m->sms[i].tag);
      free(m->sms[i].lru);
      free(m->sms[i].busy);
    }
  free(m->sms);
  free(m->l2);
  free(m->l2_touched);
  free(m->l2_tag);
  free(m->l2_order);
  free(m->l2_fill);
  free(m->l2_busy);
  free(m->l2_dirty);
  free(m->slice_free);
  free(m->atomic_free);
  free(m->recs);
  free(m->l2m);
  free(m->l2w);
  if (m->ch)
    for (uint64_t i = 0; i < m->c.dram_channels; i++) {
      free(m->ch[i].rd.nd);
      free(m->ch[i].wr.nd);
      free(m->ch[i].rd.q);
      free(m->ch[i].wr.q);
      for (unsigned k = 0; k < SIMT_DRAM_RINGS; k++) {
        free(m->ch[i].rd.ring[k].q);
        free(m->ch[i].wr.ring[k].q);
      }
      free(m->ch[i].wb_done);
    }
  free(m->ch);
  free(m->banks);
  free(m->ch_next);
  free(m->ch_due);
  free(m->slice_ch);
  free(m->slice_ring);
  free(m);
}

static void line_clear(line_t *l, size_t n) {
  for (size_t i = 0; i < n; i++) {
    memset(&l[i], 0, sizeof l[i]);
    for (int s = 0; s < 4; s++) l[i].mshr[s] = -1;
  }
}

/* Clears the lines listed in touched[0..n) (the others are clear already):
 * a kernel that touches few lines costs little to reset. */
static void lines_reset(line_t *l, const uint32_t *touched, size_t n) {
  for (size_t i = 0; i < n; i++) line_clear(&l[touched[i]], 1);
}

uint64_t simt_mem_footprint(const simt_config *c) {
  /* each line: its line_t, tag, LRU stamp, busy bits and touched entry (L1);
   * line_t, tag, order, busy and dirty bytes and touched entry (L2); each
   * L1 miss entry with its merged waiters.  Configuration limits keep every
   * product far below 2^64 (4096 SMs x 2^17 lines x under 100 bytes). */
  uint64_t l1_lines = c->l1_bytes / SIMT_LINE_BYTES, l2_lines = c->l2_bytes / SIMT_LINE_BYTES;
  uint64_t per_sm = sizeof(sm_mem) +
                    l1_lines * (sizeof(line_t) + 2 * sizeof(uint64_t) + 1 + sizeof(uint32_t)) +
                    c->l1_mshr * (sizeof(l1_mshr) + c->l1_max_merge * sizeof(uint32_t));
  return sizeof(simt_mem) + c->n_sm * per_sm +
         l2_lines * (sizeof(line_t) + sizeof(uint64_t) + 4 + sizeof(uint32_t)) +
         c->dram_channels * (sizeof(dram_chan) + c->dram_banks * sizeof(dram_bank));
}

em_status simt_mem_create(const simt_config *c, simt_mem **out, em_diag *d) {
  *out = NULL;
  simt_mem *m = calloc(1, sizeof *m);
  if (!m) goto fail;
  m->c = *c;
  /* the DRAM's figures, stated per cycle of its clock (dram_ref_mhz), in
   * core cycles: every time here is a core cycle */
  m->dram_tick_cycles = c->dram_ref_mhz > 0 ? c->core_freq_mhz / c->dram_ref_mhz : 1.0;
  simt_config_dram_in_core_cycles(&m->c);
  c = &m->c;
  m->l1_sets = (uint32_t)(c->l1_bytes / (SIMT_LINE_BYTES * c->l1_ways));
  m->l2_sets = (uint32_t)(c->l2_bytes / (SIMT_LINE_BYTES * c->l2_ways * c->l2_slices));
  m->l1_set_mask = (m->l1_sets & (m->l1_sets - 1)) == 0 ? m->l1_sets - 1 : 0;
  m->l2_slice_mask = (c->l2_slices & (c->l2_slices - 1)) == 0 ? c->l2_slices - 1 : 0;
  m->l2_slice_shift = (unsigned)__builtin_ctzll(c->l2_slices);
  m->l2_sector_cycles = (double)SIMT_SECTOR_BYTES / c->l2_slice_bytes_per_cycle;
  for (unsigned k = 0; k <= 64; k++) m->port_cyc[k] = port_cycles(c, k);
  m->l2_back = c->l2_latency - c->l2_latency / 2;
  m->dram_to = c->dram_latency / 2;
  m->sms = calloc(c->n_sm, sizeof *m->sms);
  if (!m->sms) goto fail;
  for (uint64_t i = 0; i < c->n_sm; i++) {
    sm_mem *s = &m->sms[i];
    s->lines = calloc((size_t)m->l1_sets * c->l1_ways, sizeof *s->lines);
    s->mshr = calloc(c->l1_mshr, sizeof *s->mshr);
    s->mshr_wait = calloc(c->l1_mshr * c->l1_max_merge, sizeof *s->mshr_wait);
    s->touched = malloc((size_t)m->l1_sets * c->l1_ways * sizeof *s->touched);
    s->tag = calloc((size_t)m->l1_sets * c->l1_ways, sizeof *s->tag);
    s->lru = calloc((size_t)m->l1_sets * c->l1_ways, sizeof *s->lru);
    s->busy = calloc((size_t)m->l1_sets * c->l1_ways, sizeof *s->busy);
    if (!s->lines || !s->mshr || !s->mshr_wait || !s->touched || !s->tag || !s->lru || !s->busy)
      goto fail;
    line_clear(s->lines, (size_t)m->l1_sets * c->l1_ways);
  }
  m->l2 = calloc((size_t)m->l2_sets * c->l2_ways * c->l2_slices, sizeof *m->l2);
  size_t n_l2 = (size_t)m->l2_sets * c->l2_ways * c->l2_slices;
  m->l2_touched = malloc(n_l2 * sizeof *m->l2_touched);
  m->l2_tag = calloc(n_l2, sizeof *m->l2_tag);
  m->l2_order = calloc(n_l2, sizeof *m->l2_order);
  m->l2_fill = calloc(n_l2 / c->l2_ways, sizeof *m->l2_fill);
  m->l2_busy = calloc(n_l2, sizeof *m->l2_busy);
  m->l2_dirty = calloc(n_l2, sizeof *m->l2_dirty);
  if (!m->l2 || !m->l2_touched || !m->l2_tag || !m->l2_order || !m->l2_fill || !m->l2_busy || !m->l2_dirty)
    goto fail;
  line_clear(m->l2, (size_t)m->l2_sets * c->l2_ways * c->l2_slices);
  m->slice_free = calloc(c->l2_slices, sizeof *m->slice_free);
  m->atomic_free = calloc(c->l2_slices, sizeof *m->atomic_free);
  m->ch = calloc(c->dram_channels, sizeof *m->ch);
  m->ch_next = calloc(c->dram_channels, sizeof *m->ch_next);
  m->ch_due = calloc(c->dram_channels, sizeof *m->ch_due);
  m->slice_ch = calloc(c->l2_slices, sizeof *m->slice_ch);
  m->slice_ring = calloc(c->l2_slices, sizeof *m->slice_ring);
  if (!m->ch_next || !m->ch_due || !m->slice_ch || !m->slice_ring) goto fail;
  for (uint64_t i = 0; i < c->l2_slices; i++) {
    m->slice_ch[i] = (uint32_t)(i % c->dram_channels);
    m->slice_ring[i] = (uint8_t)(i / c->dram_channels % SIMT_DRAM_RINGS);
  }
  uint64_t lines_per_row = c->dram_row_bytes / SIMT_LINE_BYTES;
  if (lines_per_row == 0) lines_per_row = 1;
  m->group_lines = c->dram_channels * lines_per_row; /* <= 1024 x 8192, config limits */
  m->dram_burst = (double)SIMT_SECTOR_BYTES / c->dram_channel_bytes_per_cycle;
  m->dram_burst_cycles = (uint64_t)(m->dram_burst + 0.5);
  m->dram_back = c->dram_latency - c->dram_latency / 2;
  if ((c->dram_banks & (c->dram_banks - 1)) == 0) {
    m->bank_mask = c->dram_banks - 1;
    m->bank_shift = (unsigned)__builtin_ctzll(c->dram_banks);
  }
  m->banks = calloc(c->dram_channels * c->dram_banks, sizeof *m->banks);
  if (!m->l2 || !m->slice_free || !m->atomic_free || !m->ch || !m->banks) goto fail;
  for (uint64_t i = 0; i < c->dram_channels; i++) {
    m->ch[i].bank = m->banks + i * c->dram_banks;
    m->ch[i].refresh_off = c->dram_t_refi ? i * c->dram_t_refi / c->dram_channels : 0;
    m->ch[i].id = (uint32_t)i;
    m->ch[i].rd.win = (size_t)c->dram_queue;
    m->ch[i].wr.win = (size_t)c->dram_wq_size;
    m->ch[i].wb_cap = (uint32_t)(c->dram_write_queue ? c->dram_wq_size : c->dram_queue);
  }
  for (uint64_t i = 0; i < c->l2_slices; i++)
    m->ch[m->slice_ch[i]].wb_cap += (uint32_t)c->l2_dram_queue;
  m->wb_cap_min = UINT32_MAX;
  for (uint64_t i = 0; i < c->dram_channels; i++)
    if (m->ch[i].wb_cap < m->wb_cap_min) m->wb_cap_min = m->ch[i].wb_cap;
  simt_mem_reset(m);
  *out = m;
  return EM_OK;
fail:
  simt_mem_destroy(m);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory for the GPU memory model");
}

static void fifo_clear(dram_fifo *g) {
  g->qn = g->rn = 0;
  g->pfirst = SIMT_TIME_UNKNOWN;
  g->pfrom = SIMT_DRAM_RINGS;
  for (unsigned k = 0; k < SIMT_DRAM_RINGS; k++) g->ring[k].head = g->ring[k].n = 0;
  g->free = -1;
  for (size_t i = g->ncap; i-- > 0;) { /* node 0 first, as a fresh pool fills */
    g->nd[i].anext = g->free;
    g->free = (int32_t)i;
  }
  g->ahead = g->atail = -1;
  g->wn = g->an = 0;
  g->seq = 0;
}

void simt_mem_reset(simt_mem *m) {
  const simt_config *c = &m->c;
  for (uint64_t i = 0; i < c->n_sm; i++) {
    sm_mem *s = &m->sms[i];
    lines_reset(s->lines, s->touched, s->n_touched);
    for (size_t j = 0; j < s->n_touched; j++)
      s->tag[s->touched[j]] = s->lru[s->touched[j]] = s->busy[s->touched[j]] = 0;
    s->n_touched = 0;
    s->memo = 0;
    s->mshr_want = 0;
    s->wb_ch = s->wb_next = -1;
    s->lru_clock = 0;
    s->port_free = 0;
    s->smem_free = 0;
    for (uint64_t e = 0; e < c->l1_mshr; e++) s->mshr[e].next_free = (int32_t)e + 1;
    s->mshr[c->l1_mshr - 1].next_free = -1;
    s->mshr_free = 0;
    s->mshr_nfree = (uint32_t)c->l1_mshr;
  }
  lines_reset(m->l2, m->l2_touched, m->n_l2_touched);
  for (size_t i = 0; i < m->n_l2_touched; i++) {
    uint32_t x = m->l2_touched[i];
    m->l2_tag[x] = m->l2_busy[x] = m->l2_dirty[x] = 0;
    m->l2_fill[x / c->l2_ways] = 0;
  }
  m->n_l2_touched = 0;
  m->l2_memo = 0;
  for (uint64_t i = 0; i < c->l2_slices; i++) m->slice_free[i] = m->atomic_free[i] = 0;
  m->n_recs = 0;
  m->rec_free = -1;
  m->n_l2m = 0;
  m->l2m_free = -1;
  m->n_l2w = 0;
  m->l2w_free = -1;
  for (uint64_t i = 0; i < c->dram_channels; i++) {
    dram_chan *ch = &m->ch[i];
    fifo_clear(&ch->rd);
    fifo_clear(&ch->wr);
    ch->write_mode = 0;
    for (uint64_t b = 0; b < c->dram_banks; b++) {
      ch->bank[b].open_row = -1;
      ch->bank[b].ready = 0;
    }
    ch->bus_free = 0;
    m->ch_next[i] = SIMT_TIME_UNKNOWN;
    ch->tick = 0;
    ch->last_dir = 0;
    ch->refresh_epoch = 0;
    ch->epoch_lo = ch->phase_lo = 0;
    ch->wb_pend = 0;
    ch->wb_dhead = ch->wb_dn = ch->wb_promised = 0;
    ch->wb_head = ch->wb_tail = -1;
  }
  m->wb_held = 0;
  m->wb_refused = UINT32_MAX;
  m->dram_next = SIMT_TIME_UNKNOWN;
  m->map_line = UINT64_MAX;
  m->adv_now = 0;
  m->write_reqs = 0;
  m->oom = false;
  memset(&m->st, 0, sizeof m->st);
}

const simt_mem_stats *simt_mem_get_stats(const simt_mem *m) { return &m->st; }


bool simt_mem_out_of_memory(const simt_mem *m) { return m->oom; }

void simt_mem_finish(simt_mem *m) {
  uint64_t dirty = 0;
  for (size_t i = 0; i < m->n_l2_touched; i++) {
    uint32_t x = m->l2_touched[i];
    if (m->l2_tag[x]) dirty += (uint64_t)__builtin_popcount(m->l2_dirty[x] & 15u);
  }
  uint64_t queued = m->write_reqs > m->st.dram_writes ? m->write_reqs - m->st.dram_writes : 0;
  m->st.dram_writes_after = dirty + queued;
  m->st.dram_writes += dirty + queued;
}

/* ---- address mapping ---- */

static inline uint32_t slice_of(const simt_mem *m, uint64_t line) {
  uint64_t h = line ^ (line >> 7) ^ (line >> 14) ^ (line >> 21);
  return (uint32_t)(m->l2_slice_mask ? h & m->l2_slice_mask : h % m->c.l2_slices);
}

/* ---- DRAM ---- */

/* Cycle counts as doubles and back, for the bus times.  Times stay below
 * 2^63 cycles (each is reached by a count of events whose steps the
 * configuration bounds, 10^6 cycles at most: far more events than any run
 * takes), where the signed conversions give exactly what the unsigned
 * ones give; x86-64 converts signed in one instruction, unsigned in a
 * branching sequence of several. */
static inline double cyc_to_d(uint64_t x) { return (double)(int64_t)x; }
static inline uint64_t d_to_cyc(double d) { return (uint64_t)(int64_t)d; }

/* Beyond-the-window entry a comes before b: it arrives first, or with b
 * and came in first. */
static inline bool qent_before(const dram_qent *a, const dram_qent *b) {
  return a->r.arrival < b->r.arrival ||
         (a->r.arrival == b->r.arrival && (int32_t)(a->seq - b->seq) < 0);
}

/* The heap's root leaves: its last entry sifts down from the root. */
static void heap_pop(dram_fifo *g) {
  dram_qent last = g->q[--g->qn];
  size_t i = 0, n = g->qn;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && qent_before(&g->q[c + 1], &g->q[c])) c++;
    if (!qent_before(&g->q[c], &last)) break;
    g->q[i] = g->q[c];
    i = c;
  }
  if (n) g->q[i] = last;
}

/* Finds the earliest request beyond g's window (pfirst, pfrom): the
 * earliest of the rings' heads and the heap's root. */
static void beyond_first(dram_fifo *g) {
  uint64_t arr = SIMT_TIME_UNKNOWN;
  uint32_t seq = 0;
  g->pfrom = SIMT_DRAM_RINGS;
  if (g->rn)
    for (unsigned k = 0; k < SIMT_DRAM_RINGS; k++) {
      const dram_ring *rg = &g->ring[k];
      if (rg->n && (g->pfrom == SIMT_DRAM_RINGS || rg->harr < arr ||
                    (rg->harr == arr && (int32_t)(rg->hseq - seq) < 0))) {
        arr = rg->harr;
        seq = rg->hseq;
        g->pfrom = k;
      }
    }
  if (g->qn) {
    const dram_qent *h = &g->q[0];
    if (g->pfrom == SIMT_DRAM_RINGS || h->r.arrival < arr ||
        (h->r.arrival == arr && (int32_t)(h->seq - seq) < 0)) {
      arr = h->r.arrival;
      g->pfrom = SIMT_DRAM_RINGS;
    }
  }
  g->pfirst = arr;
}

/* Moves the requests beyond the window that have arrived by `now` into it,
 * the earliest first, while it has room: each at the end of the window's
 * list (the newest of it). */
static inline void fifo_arrive(dram_fifo *g, uint64_t now) {
  while (g->pfirst <= now && g->wn < g->win) {
    unsigned from = g->pfrom;
    const dram_qent *e = from < SIMT_DRAM_RINGS ? &g->ring[from].q[g->ring[from].head] : &g->q[0];
    dram_node *nd = g->nd;
    int32_t x = g->free, at = g->atail;
    dram_node *n = &nd[x];
    g->free = n->anext;
    n->r = e->r;
    n->seq = e->seq;
    n->anext = -1;
    n->aprev = at;
    if (at >= 0) nd[at].anext = x;
    else g->ahead = x;
    g->atail = x;
    g->wn++;
    g->an++;
    if (from < SIMT_DRAM_RINGS) {
      dram_ring *rg = &g->ring[from];
      rg->head = (rg->head + 1) & (rg->cap - 1);
      if (--rg->n) {
        rg->harr = rg->q[rg->head].r.arrival;
        rg->hseq = rg->q[rg->head].seq;
      }
      g->rn--;
    } else
      heap_pop(g);
    beyond_first(g);
  }
}

/* Requests queued in g (in the window and beyond). */
static inline size_t fifo_n(const dram_fifo *g) { return g->wn + g->rn + g->qn; }

/* A ring of n elements of `elem` bytes from `head` in buf (cap slots, a
 * power of two; 0 for none yet) copied, oldest first, into a new one of
 * twice the slots (64 at first), *cap set; NULL when out of memory (buf is
 * then kept).  The caller frees buf and starts the new one at 0. */
static void *ring_grow(const void *buf, size_t elem, size_t *cap, size_t head, size_t n) {
  size_t nc = *cap ? *cap * 2 : 64;
  char *r = malloc(nc * elem);
  if (!r) return NULL;
  for (size_t i = 0; i < n; i++)
    memcpy(r + i * elem, (const char *)buf + ((head + i) & (*cap - 1)) * elem, elem);
  *cap = nc;
  return r;
}

/* Appends r, from a slice of ring `ring`, to queue g (beyond the window
 * until it arrives); false when out of memory.  The window's nodes are
 * allocated here, up to win: as many as the requests queued, so that each
 * one fifo_arrive may move has its node. */
static bool fifo_push(dram_fifo *g, dram_req r, unsigned ring) {
  if (g->ncap < g->win && g->ncap < fifo_n(g) + 1) { /* more nodes */
    size_t cap = g->ncap ? g->ncap * 2 : 16;
    if (cap > g->win) cap = g->win;
    dram_node *nd = realloc(g->nd, cap * sizeof *nd);
    if (!nd) return false;
    for (size_t i = cap; i-- > g->ncap;) {
      nd[i].anext = g->free;
      g->free = (int32_t)i;
    }
    g->nd = nd;
    g->ncap = cap;
  }
  dram_qent e = {r, g->seq};
  dram_ring *rg = &g->ring[ring];
  if (!rg->n || r.arrival >= rg->q[(rg->head + rg->n - 1) & (rg->cap - 1)].r.arrival) {
    if (rg->n == rg->cap) { /* a full ring: twice the slots, oldest first */
      dram_qent *q = ring_grow(rg->q, sizeof *q, &rg->cap, rg->head, rg->n);
      if (!q) return false;
      free(rg->q);
      rg->q = q;
      rg->head = 0;
    }
    rg->q[(rg->head + rg->n) & (rg->cap - 1)] = e;
    if (!rg->n++) {
      rg->harr = r.arrival;
      rg->hseq = e.seq;
    }
    g->rn++;
    g->seq++;
    /* the newest: first only when it arrives before every other (then it
     * heads its ring, which was empty) */
    if (r.arrival < g->pfirst) {
      g->pfirst = r.arrival;
      g->pfrom = ring;
    }
    return true;
  }
  if (g->qn == g->qcap) { /* a full heap: twice the slots */
    size_t nc = g->qcap ? g->qcap * 2 : 64;
    dram_qent *q = realloc(g->q, nc * sizeof *q);
    if (!q) return false;
    g->q = q;
    g->qcap = nc;
  }
  size_t i = g->qn++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!qent_before(&e, &g->q[p])) break;
    g->q[i] = g->q[p];
    i = p;
  }
  g->q[i] = e;
  g->seq++;
  if (r.arrival < g->pfirst) { /* (then at the root) */
    g->pfirst = r.arrival;
    g->pfrom = SIMT_DRAM_RINGS;
  }
  return true;
}

/* Removes node x from g's window and returns its request; the next
 * decision's fifo_arrive fills the slot. */
static dram_req fifo_take(dram_fifo *g, int32_t x) {
  dram_node *nd = g->nd, *n = &nd[x];
  int32_t ap = n->aprev, an = n->anext;
  if (ap >= 0) nd[ap].anext = an;
  else g->ahead = an;
  if (an >= 0) nd[an].aprev = ap;
  else g->atail = ap;
  g->an--;
  g->wn--;
  dram_req r = n->r;
  n->anext = g->free;
  g->free = x;
  return r;
}

/* ---- the controllers' clock ----
 * A channel's controller decides on its own clock's cycles (GPGPU-Sim's
 * DRAM scheduler runs in the DRAM clock domain, -gpgpu_clock_domains):
 * controller cycle k begins at core cycle ceil(k x dram_tick_cycles).  At
 * a preset's own clock the two clocks are one (k is the core cycle, as
 * before clock domains); a core clock twice as fast sees a decision every
 * other core cycle, and one half as fast two decisions a core cycle, so
 * the channel's decisions keep their nanoseconds. */

/* The core cycle controller cycle k begins in. */
static inline uint64_t tick_time(const simt_mem *m, uint64_t k) {
  return m->dram_tick_cycles == 1.0 ? k : (uint64_t)ceil((double)k * m->dram_tick_cycles);
}

/* The first controller cycle that begins at core cycle t or later. */
static inline uint64_t tick_at(const simt_mem *m, uint64_t t) {
  if (m->dram_tick_cycles == 1.0) return t;
  uint64_t k = (uint64_t)ceil((double)t / m->dram_tick_cycles);
  /* the division's rounding, either way */
  while (k > 0 && tick_time(m, k - 1) >= t) k--;
  while (tick_time(m, k) < t) k++;
  return k;
}

/* Channel ch decides next at controller cycle k (SIMT_TIME_UNKNOWN: it has
 * no work). */
static inline void dram_set_tick(simt_mem *m, dram_chan *ch, uint64_t k) {
  ch->tick = k;
  m->ch_next[ch->id] = k == SIMT_TIME_UNKNOWN ? k : tick_time(m, k);
}

static inline void dram_enqueue(simt_mem *m, uint32_t slice, uint64_t line, uint64_t arrival,
                         int32_t l2m) {
  const simt_config *c = &m->c;
  dram_chan *ch = &m->ch[m->slice_ch[slice]];
  /* the row group: (line / channels) / lines per row, which is line /
   * (channels x lines per row) (floor(floor(a / b) / c) = floor(a / (b c))
   * for whole a and positive whole b, c); one division, not two */
  /* a line's sectors come one after another (a warp's access, a dirty
   * victim's write-backs): its row and bank are worked out once, the
   * division by a number of lines that is rarely a power of two with them */
  if (line != m->map_line) {
    uint64_t group = line / m->group_lines;
    uint64_t row = m->bank_mask ? group >> m->bank_shift : group / c->dram_banks;
    m->map_line = line;
    m->map_row = row;
    m->map_bank =
        (uint32_t)(m->bank_mask ? (group ^ row) & m->bank_mask : (group ^ row) % c->dram_banks);
  }
  dram_req r = {arrival, m->map_row, m->map_bank, l2m};
  if (!fifo_push(l2m < 0 && c->dram_write_queue ? &ch->wr : &ch->rd, r, m->slice_ring[slice])) {
    m->oom = true; /* the request is dropped */
    return;
  }
  if (l2m < 0) {
    m->write_reqs++;
    ch->wb_pend++;
    m->wb_held++;
  }
  if (arrival < m->ch_next[ch->id]) {
    /* its controller sees it at the first cycle of its own from then */
    dram_set_tick(m, ch, tick_at(m, arrival));
    if (m->ch_next[ch->id] < m->dram_next) m->dram_next = m->ch_next[ch->id];
  }
}

static inline void l1_resolve(simt_mem *m, uint32_t sm, int32_t e, uint64_t t);

/* L1 miss entry (sm, l1m) gets its sector from L2 at t (plus an atomic's
 * read-modify-write); a warp refused for want of entries may go on. */
static inline void l2_answer(simt_mem *m, uint32_t sm, uint32_t l1m, uint64_t t) {
  sm_mem *s = &m->sms[sm];
  l1_resolve(m, sm, (int32_t)l1m, t + s->mshr[l1m].extra);
  if (s->mshr_want && s->mshr_nfree >= s->mshr_want) {
    uint64_t at = m->adv_now + 1;
    simt_wakeq_lower(s->mshr_wq, sm, at);
    s->mshr_want = 0;
  }
}

static void l2_fill(simt_mem *m, int32_t e, uint64_t t) {
  l2_mshr *ms = &m->l2m[e];
  uint64_t back = m->l2_back;
  if (ms->line >= 0) {
    line_t *l = &m->l2[ms->line];
    l->ready[ms->si] = t;
    l->mshr[ms->si] = -1;
    m->l2_busy[ms->line] &= (uint8_t)~(1u << ms->si);
  }
  int32_t w = ms->waiters;
  while (w >= 0) { /* the merged ones first, newest first, then the first */
    l2_waiter *wt = &m->l2w[w];
    int32_t nx = wt->next;
    l2_answer(m, wt->sm, wt->l1m, t + back);
    wt->next = m->l2w_free;
    m->l2w_free = w;
    w = nx;
  }
  l2_answer(m, ms->sm, ms->l1m, t + back);
  ms->next_free = m->l2m_free;
  m->l2m_free = e;
}

/* The FR-FCFS (or FCFS) choice among the requests of g's window that have
 * arrived (fifo_arrive done): row hits first, then (dir_rank: one queue for
 * both directions) the bus's current direction, then the oldest.  Returns
 * the node or -1; changes nothing. */
static inline int32_t fifo_choose(const simt_mem *m, const dram_chan *ch, const dram_fifo *g,
                                  bool dir_rank) {
  if (g->ahead < 0 || m->c.dram_scheduler == SIMT_DRAM_FCFS) return g->ahead;
  int32_t pick = g->ahead;
  unsigned best = 0, top = dir_rank ? 3u : 1u;
  for (int32_t x = g->ahead; x >= 0; x = g->nd[x].anext) {
    const dram_req *r = &g->nd[x].r;
    unsigned rank = ch->bank[r->bank].open_row == (int64_t)r->row ? 1u : 0u;
    if (dir_rank) rank += (r->l2m >= 0 ? 1u : 2u) == ch->last_dir ? 2u : 0u;
    if (rank > best) {
      best = rank;
      pick = x;
      if (rank == top) break;
    }
  }
  return pick;
}

/* fifo_choose among the requests of g's window that have arrived by `now`. */
static inline int32_t fifo_pick(const simt_mem *m, const dram_chan *ch, dram_fifo *g,
                                uint64_t now, bool dir_rank) {
  fifo_arrive(g, now);
  return fifo_choose(m, ch, g, dir_rank);
}

/* The first arrival among the requests beyond g's window (SIMT_TIME_UNKNOWN:
 * none); after fifo_arrive at `now`, one after now unless the window is
 * full. */
static inline uint64_t fifo_earliest(const dram_fifo *g) {
  return g->pfirst;
}

/* The channel's next decision: its controller's first cycle from core
 * cycle `want` (SIMT_TIME_UNKNOWN: no work). */
static inline void dram_set_next(simt_mem *m, dram_chan *ch, uint64_t want) {
  dram_set_tick(m, ch, want == SIMT_TIME_UNKNOWN ? want : tick_at(m, want));
}

/* The write-backs channel ch holds at `now`: those whose burst is done
 * leave its ring. */
static inline uint32_t wb_held_at(simt_mem *m, dram_chan *ch, uint64_t now) {
  while (ch->wb_dn && ch->wb_done[ch->wb_dhead] <= now) {
    ch->wb_dhead = (ch->wb_dhead + 1) & (ch->wb_dcap - 1);
    ch->wb_dn--;
    m->wb_held--;
    if (ch->wb_promised) ch->wb_promised--;
  }
  return ch->wb_pend + (uint32_t)ch->wb_dn;
}

/* Wakes every SM queued on channel ch at `at`, and empties its queue. */
static void wb_wake_all(simt_mem *m, dram_chan *ch, uint64_t at) {
  while (ch->wb_head >= 0) {
    sm_mem *s = &m->sms[ch->wb_head];
    uint32_t sm = (uint32_t)ch->wb_head;
    ch->wb_head = s->wb_next;
    s->wb_ch = s->wb_next = -1;
    simt_wakeq_lower(s->mshr_wq, sm, at);
  }
  ch->wb_tail = -1;
}

/* Channel ch decided a write-back whose burst is done at `done`: it is held
 * until then.  Every burst before it is promised (a queue waits only then):
 * this one is the retry time of the first SM queued, whose time is lowered
 * to it. */
static __attribute__((noinline)) void wb_decided(simt_mem *m, dram_chan *ch, uint64_t now,
                                                uint64_t done) {
  ch->wb_pend--;
  wb_held_at(m, ch, now); /* the ring stays short, and wb_held near the truth */
  if (ch->wb_dn == ch->wb_dcap) { /* a full ring: twice the slots, oldest first */
    uint64_t *r = ring_grow(ch->wb_done, sizeof *r, &ch->wb_dcap, ch->wb_dhead, ch->wb_dn);
    if (!r) { /* out of memory: not held */
      m->oom = true;
      m->wb_held--;
      goto wake;
    }
    free(ch->wb_done);
    ch->wb_done = r;
    ch->wb_dhead = 0;
  }
  ch->wb_done[(ch->wb_dhead + ch->wb_dn) & (ch->wb_dcap - 1)] = done;
  ch->wb_dn++;
  if (ch->wb_head >= 0) ch->wb_promised++;
wake:
  if (ch->wb_head >= 0) {
    sm_mem *s = &m->sms[ch->wb_head];
    uint32_t sm = (uint32_t)ch->wb_head;
    ch->wb_head = s->wb_next;
    if (ch->wb_head < 0) ch->wb_tail = -1;
    s->wb_ch = s->wb_next = -1;
    simt_wakeq_lower(s->mshr_wq, sm, done);
  }
  /* None left to decide: no later decision would wake the SMs still
   * queued (their wake-up was lost until 2026-11-28: a channel whose queue
   * outlived its write-backs left them asleep, and the kernel "deadlocked"
   * on a slow DRAM clock).  At `done`, the last burst's end, the channel
   * holds only write-backs enqueued since: they retry then. */
  if (ch->wb_pend == 0) wb_wake_all(m, ch, done);
}

/* One scheduling decision of channel ch at `now`.
 *
 * With dram_write_queue (GPGPU-Sim's frfcfs_scheduler with
 * -dram_seperate_write_queue_enable, dram_sched.cc): reads and writes wait
 * in queues of their own.  The channel serves reads (read mode) until
 * dram_wq_high writes have arrived in the write queue's window of
 * dram_wq_size, then writes only (write mode) until fewer than dram_wq_low
 * are left, so the bus turns around twice per batch of writes instead of
 * at each write that FR-FCFS finds best.  In read mode writes also go while
 * no read is queued at all (GPGPU-Sim leaves them for the next batch; a
 * kernel's last writes would then never reach DRAM).  The reads' window of
 * dram_queue holds reads only, so waiting writes never hide them from
 * FR-FCFS (a watermark drain inside one shared window did: the writes held
 * there crowd the reads out of it). */
static void dram_decide(simt_mem *m, dram_chan *ch, uint64_t now) {
  const simt_config *c = &m->c;
  dram_fifo *g = &ch->rd;
  int32_t pick;
  if (!c->dram_write_queue) {
    pick = fifo_pick(m, ch, g, now, true);
  } else {
    /* the writes' choice is made only where it is used (a write drain, or
     * no read at all): the choice changes nothing */
    fifo_arrive(&ch->wr, now);
    size_t w_arrived = ch->wr.an;
    if (!ch->write_mode && w_arrived >= c->dram_wq_high) ch->write_mode = 1;
    else if (ch->write_mode && w_arrived < c->dram_wq_low) ch->write_mode = 0;
    int32_t wpick = ch->write_mode ? fifo_choose(m, ch, &ch->wr, false) : -1;
    if (wpick >= 0) {
      g = &ch->wr;
      pick = wpick;
    } else {
      pick = fifo_pick(m, ch, g, now, false);
      if (pick < 0 && fifo_n(&ch->rd) == 0) { /* no read at all: the writes go */
        g = &ch->wr;
        pick = fifo_choose(m, ch, g, false);
      }
    }
  }
  if (pick < 0) { /* nothing has arrived: wake at the first arrival */
    uint64_t earliest = fifo_earliest(&ch->rd);
    if (c->dram_write_queue) {
      uint64_t e = fifo_earliest(&ch->wr);
      if (e < earliest) earliest = e;
    }
    dram_set_next(m, ch, earliest);
    return;
  }
  dram_req r = fifo_take(g, pick);
  dram_bank *bk = &ch->bank[r.bank];
  uint64_t cmd = now > bk->ready ? now : bk->ready;
  const uint64_t off = ch->refresh_off, refi = c->dram_t_refi;
  if (refi) {
    /* all-bank refresh: the channel moves no data for dram_t_rfc cycles of
     * every dram_t_refi (channels staggered), and its rows close */
    uint64_t bf = d_to_cyc(ch->bus_free);
    uint64_t t = cmd > bf ? cmd : bf;
    uint64_t x = t + off; /* the epoch is x / refi: refresh_epoch while x stays in its period */
    if (x - ch->epoch_lo >= refi) { /* (wraps when x < epoch_lo) */
      uint64_t epoch = x / refi;
      if (epoch != ch->refresh_epoch) {
        ch->refresh_epoch = epoch;
        for (uint64_t b = 0; b < c->dram_banks; b++) ch->bank[b].open_row = -1;
      }
      ch->epoch_lo = epoch * refi;
    }
  }
  uint8_t dir = r.l2m >= 0 ? 1 : 2;
  uint64_t pre; /* activate (and precharge) before the column command */
  if (bk->open_row == (int64_t)r.row) {
    pre = 0;
    m->st.dram_row_hits++;
  } else if (bk->open_row < 0) {
    pre = c->dram_t_rcd;
    m->st.dram_row_misses++;
  } else {
    pre = c->dram_t_rp + c->dram_t_rcd;
    m->st.dram_row_conflicts++;
  }
  uint64_t col = cmd + pre;
  uint64_t data = col + c->dram_t_cl;
  bk->open_row = (int64_t)r.row;
  bk->ready = data - c->dram_t_cl + c->dram_t_ccd;
  double burst = m->dram_burst;
  double bus = ch->bus_free;
  if (ch->last_dir && ch->last_dir != dir) { /* the data bus turns around */
    bus += (double)(ch->last_dir == 1 ? c->dram_t_rtw : c->dram_t_wtr);
    m->st.dram_turnarounds++;
  }
  ch->last_dir = dir; /* after the check: set before it, no turnaround was ever charged */
  double start = cyc_to_d(data) > bus ? cyc_to_d(data) : bus;
  if (refi) {
    uint64_t y = d_to_cyc(start) + off; /* the phase is y mod refi */
    if (y - ch->phase_lo >= refi) ch->phase_lo = y - y % refi;
    uint64_t ph = y - ch->phase_lo;
    if (ph < c->dram_t_rfc) start += (double)(c->dram_t_rfc - ph);
  }
  ch->bus_free = start + burst;
  uint64_t done = d_to_cyc(ch->bus_free + 0.999999);
  m->st.dram_bus_busy_cycles += m->dram_burst_cycles;
  if (r.l2m >= 0) {
    m->st.dram_reads++;
    l2_fill(m, r.l2m, done + m->dram_back);
  } else {
    m->st.dram_writes++;
    wb_decided(m, ch, now, done);
  }
  /* The next decision: at the controller's next cycle while a request of
   * a window has arrived (or a write drain is to end); else at the first
   * arrival in a window (a request enqueued meanwhile lowers the time
   * itself).  A decision before then would pick nothing and change
   * nothing.  This one's cycle: the one it was due at, or the first of
   * `now` where it runs late (one cycle each: each core cycle, at a
   * preset's own clock). */
  uint64_t k = tick_at(m, now);
  if (ch->tick > k) k = ch->tick;
  uint64_t next = k + 1;
  if (ch->rd.an + ch->wr.an == 0 && !(ch->write_mode && ch->wr.an < c->dram_wq_low)) {
    uint64_t first = fifo_earliest(&ch->rd);
    uint64_t e = fifo_earliest(&ch->wr);
    if (e < first) first = e;
    next = first == SIMT_TIME_UNKNOWN ? first : tick_at(m, first);
    if (next != SIMT_TIME_UNKNOWN && next < k + 1) next = k + 1;
  }
  dram_set_tick(m, ch, next);
}

uint64_t simt_mem_advance(simt_mem *m, uint64_t now) {
  if (now < m->dram_next) return m->dram_next; /* no channel decides yet */
  m->adv_now = now;
  /* One column command per channel per controller cycle (a core cycle at
   * a preset's own clock), in channel order.  A tight
   * first pass lists the channels due; a decision changes no other
   * channel's time (it fills L2 and L1, and enqueues nothing), so deciding
   * the listed ones afterwards, in the same order, is the loop that decided
   * as it went.  A second tight pass takes the least time. */
  uint64_t next = SIMT_TIME_UNKNOWN;
  const uint64_t *cn = m->ch_next;
  uint32_t *due = m->ch_due;
  size_t n_due = 0, nch = (size_t)m->c.dram_channels;
  /* the first pass also takes the least time of the channels not due (a
   * decision changes only its own channel's time), so the second looks at
   * the due ones alone */
  for (size_t i = 0; i < nch; i++) {
    uint64_t t = cn[i];
    due[n_due] = (uint32_t)i; /* kept only when due */
    n_due += t <= now;
    if (t > now && t < next) next = t;
  }
  /* a controller faster than the core has more than one cycle of its own
   * in this one (dram_tick_cycles < 1): it decides in each; else once */
  for (size_t k = 0; k < n_due; k++) do
      dram_decide(m, &m->ch[due[k]], now);
    while (cn[due[k]] <= now);
  for (size_t k = 0; k < n_due; k++)
    if (cn[due[k]] < next) next = cn[due[k]];
  m->dram_next = next;
  return next;
}

/* ---- L2 ---- */

/* Way w of a set whose tagged ways are in LRU order in ord[0 .. n) was
 * used: it becomes the most recent. */
static inline void l2_touch(uint8_t *ord, unsigned n, unsigned w) {
  if (ord[n - 1] == w) return;
  unsigned p = n - 1;
  while (ord[--p] != w) {}
  memmove(ord + p, ord + p + 1, n - 1 - p);
  ord[n - 1] = (uint8_t)w;
}

/* Finds or allocates the line of `line` in slice `sl`; returns its index or
 * -1 when every way waits for a fill.  Dirty victims are written to DRAM.
 * The found or allocated line becomes its set's most recent (see l2_order). */
static int32_t l2_line(simt_mem *m, uint32_t sl, uint64_t line, uint64_t t) {
  const simt_config *c = &m->c;
  /* a line's tag sits in one way of its own set only, so a tag equal to
   * line + 1 at the last line found is the hit the scan below would find;
   * it is its set's most recent already (no lookup since made another) */
  if (m->l2_tag[m->l2_memo] == line + 1) return (int32_t)m->l2_memo;
  unsigned ways = (unsigned)c->l2_ways;
  bool pow2 = (c->l2_slices & (c->l2_slices - 1)) == 0;
  uint64_t local = pow2 ? line >> m->l2_slice_shift : line / c->l2_slices;
  size_t set = (size_t)sl * m->l2_sets + (size_t)(local % m->l2_sets);
  size_t base = set * ways;
  unsigned fill = m->l2_fill[set];
  uint8_t *ord = m->l2_order + base;
  const uint64_t *tag = m->l2_tag + base;
  for (unsigned w = 0; w < fill; w++)
    if (tag[w] == line + 1) {
      l2_touch(ord, fill, w);
      m->l2_memo = base + w;
      return (int32_t)(base + w);
    }
  unsigned vw;
  if (fill < ways) { /* an untagged way: the first */
    vw = fill;
    ord[fill] = (uint8_t)fill;
    m->l2_fill[set] = (uint8_t)(fill + 1);
  } else { /* the least recent with no fill in flight */
    unsigned p = 0;
    while (p < ways && m->l2_busy[base + ord[p]]) p++;
    if (p == ways) return -1;
    vw = ord[p];
    memmove(ord + p, ord + p + 1, ways - 1 - p);
    ord[ways - 1] = (uint8_t)vw;
  }
  int32_t victim = (int32_t)(base + vw);
  line_t *l = &m->l2[victim];
  uint64_t old = m->l2_tag[victim];
  uint8_t dirty = m->l2_dirty[victim];
  if (old && dirty) {
    for (int s = 0; s < 4; s++)
      if (dirty >> s & 1) dram_enqueue(m, sl, old - 1, t, -1);
  }
  if (!old) m->l2_touched[m->n_l2_touched++] = (uint32_t)victim;
  m->l2_tag[victim] = line + 1;
  l->valid = 0;
  m->l2_dirty[victim] = 0;
  m->l2_memo = (size_t)victim;
  return victim;
}

#define L2_UNSEEN (-2) /* l2_read: the run's L2 line not looked up yet */

/* An L2 read of sector si of `line` (in slice sl) arriving at slice time a
 * (whole cycles),
 * for L1 miss entry (sm, l1m).  *l2li: the line's index in L2 when a sector
 * of the same run looked it up before (else L2_UNSEEN; set here).  Returns the load-to-use time at the L1 if known, else SIMT_TIME_UNKNOWN
 * (the entry is resolved when DRAM answers).  atomic_ops > 0: an atomic of
 * that many serial operations on the sector (the most lanes on one word),
 * done by the slice's atomic unit; the entry's `extra` must already hold
 * the read-modify-write time for the DRAM path. */
static uint64_t l2_read(simt_mem *m, uint32_t sl, uint64_t line, unsigned si, double a,
                        uint32_t sm, int32_t l1m, unsigned atomic_ops, int32_t *l2li) {
  const simt_config *c = &m->c;
  double s = a > m->slice_free[sl] ? a : m->slice_free[sl];
  m->slice_free[sl] = s + m->l2_sector_cycles;
  uint64_t start = (uint64_t)s;
  uint64_t back = m->l2_back;
  m->st.l2_sectors++;
  uint64_t rmw = 0; /* an atomic's wait for its unit and its read-modify-write */
  if (atomic_ops) {
    double u = s > m->atomic_free[sl] ? s : m->atomic_free[sl];
    m->atomic_free[sl] = u + c->l2_atomic_interval * atomic_ops;
    rmw = (uint64_t)(u - s + c->l2_atomic_interval * (atomic_ops - 1) + 0.5) +
          c->l2_atomic_latency;
    m->st.l2_atomics++;
  }
  int32_t li = *l2li;
  if (li == L2_UNSEEN) li = *l2li = l2_line(m, sl, line, start);
  /* else the run's line again: the hit l2_line would find, its set's most
   * recent already */
  line_t *l = li >= 0 ? &m->l2[li] : NULL;
  if (l && atomic_ops) m->l2_dirty[li] |= (uint8_t)(1u << si); /* written back at eviction */
  if (l && (l->valid >> si & 1)) {
    if (l->mshr[si] >= 0) { /* fill in flight, time unknown: merge */
      m->st.l2_mshr_merges++;
      int32_t w = l2w_alloc(m);
      if (w < 0) return start + back; /* out of memory: treat as a hit */
      m->l2w[w].sm = sm;
      m->l2w[w].l1m = (uint32_t)l1m;
      m->l2w[w].next = m->l2m[l->mshr[si]].waiters;
      m->l2m[l->mshr[si]].waiters = w;
      return SIMT_TIME_UNKNOWN;
    }
    m->st.l2_hits++;
    uint64_t r = l->ready[si] > start ? l->ready[si] : start;
    return r + rmw + back;
  }
  m->st.l2_misses++;
  int32_t e = l2m_alloc(m);
  if (e < 0) return start + rmw + back;
  m->l2m[e].slice = sl;
  m->l2m[e].line = li;
  m->l2m[e].si = (uint8_t)si;
  m->l2m[e].sm = sm;
  m->l2m[e].l1m = (uint32_t)l1m;
  m->l2m[e].waiters = -1;
  if (l) {
    l->valid |= (uint8_t)(1u << si);
    l->mshr[si] = e;
    m->l2_busy[li] |= (uint8_t)(1u << si);
  }
  dram_enqueue(m, sl, line, start + m->dram_to, e);
  /* every way of the set waits for a fill: an atomic's result has no line
   * to stay dirty in, so it is written straight back, as a store then is
   * (l2_write); queued behind its read */
  if (!l && atomic_ops) dram_enqueue(m, sl, line, start + m->dram_to, -1);
  return SIMT_TIME_UNKNOWN;
}

/* Returns the cycle the slice's acknowledgement reaches the SM. */
static uint64_t l2_write(simt_mem *m, uint64_t sector, uint64_t a) {
  uint64_t line = sector / 4;
  unsigned si = (unsigned)(sector % 4);
  uint32_t sl = slice_of(m, line);
  double s = (double)a > m->slice_free[sl] ? (double)a : m->slice_free[sl];
  m->slice_free[sl] = s + m->l2_sector_cycles;
  m->st.l2_stores++;
  /* the slice has taken the sector; its acknowledgement travels back to the
   * SM (the warp retires only after it) */
  uint64_t ack = (uint64_t)ceil(m->slice_free[sl]) + m->l2_back;
  int32_t li = l2_line(m, sl, line, (uint64_t)s);
  if (li < 0) { /* every way waits for a fill: write straight to DRAM */
    dram_enqueue(m, sl, line, (uint64_t)s, -1);
    return ack;
  }
  line_t *l = &m->l2[li];
  if (!(l->valid >> si & 1)) l->ready[si] = (uint64_t)s;
  l->valid |= (uint8_t)(1u << si);
  m->l2_dirty[li] |= (uint8_t)(1u << si);
  return ack;
}

/* ---- L1 ---- */

static void rec_done(simt_mem *m, int32_t r) {
  load_rec *lr = &m->recs[r];
  *lr->slot = lr->max;
  lr->w->pending--;
  if (lr->max > lr->w->last_ready) lr->w->last_ready = lr->max;
  if (lr->w->wq) simt_wakeq_lower(lr->w->wq, lr->w->sm, lr->max);
  if (*lr->w->issue_at == SIMT_TIME_UNKNOWN) {
    *lr->w->issue_at = 0;
    *lr->w->sched_wake = 0; /* the warp is looked at again when its SM next steps */
  } else if (lr->max < *lr->w->sched_wake)
    *lr->w->sched_wake = lr->max;
  rec_release(m, r);
}

static inline void l1_resolve(simt_mem *m, uint32_t sm, int32_t e, uint64_t t) {
  sm_mem *s = &m->sms[sm];
  l1_mshr *ms = &s->mshr[e];
  if (ms->line >= 0) {
    line_t *l = &s->lines[ms->line];
    l->ready[ms->si] = t;
    l->mshr[ms->si] = -1;
    s->busy[ms->line] &= (uint8_t)~(1u << ms->si);
  }
  const uint32_t *wt = s->mshr_wait + (size_t)e * m->c.l1_max_merge;
  for (uint32_t i = 0; i < ms->nwait; i++) {
    load_rec *lr = &m->recs[wt[i]];
    if (t > lr->max) lr->max = t;
    if (--lr->remaining == 0) rec_done(m, (int32_t)wt[i]);
  }
  ms->next_free = s->mshr_free;
  s->mshr_free = e;
  s->mshr_nfree++;
}

static int32_t l1_mshr_alloc(sm_mem *s) {
  int32_t e = s->mshr_free;
  s->mshr_free = s->mshr[e].next_free;
  s->mshr_nfree--;
  return e;
}

/* A load (aops NULL) or an atomic (aops[i]: serial operations on sector i;
 * L1 bypassed) of n sectors: simt_mem_load's contract. */
static bool l1_access(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *sectors,
                      unsigned n, bool bypass_l1, const uint8_t *aops, uint64_t *slot,
                      simt_mem_waiter *w) {
  const simt_config *c = &m->c;
  sm_mem *s = &m->sms[sm];
  if (s->mshr_nfree < n) return false;
  double start_d = (double)now > s->port_free ? (double)now : s->port_free;
  if (start_d > (double)(now + PORT_QUEUE_CYCLES)) return false;
  uint64_t start = (uint64_t)start_d;
  int32_t r = rec_alloc(m);
  if (r < 0) { /* out of memory: answer as L1 hits */
    unsigned lines = simt_lines_of_sectors(sectors, n);
    s->port_free = start_d + (lines <= 64 ? m->port_cyc[lines] : port_cycles(c, lines));
    *slot = start + c->l1_latency;
    return true;
  }
  load_rec *lr = &m->recs[r];
  lr->slot = slot;
  lr->w = w;
  lr->remaining = 1; /* the issue's own reference, dropped after the loop */
  lr->max = 0;
  w->pending++;
  *slot = SIMT_TIME_UNKNOWN;
  uint64_t hit_t = start + c->l1_latency;
  double a_l2 = (double)(start + c->l2_latency / 2); /* when the misses reach L2 */
  if (!aops) m->st.l1_sectors += n;
  /* The sectors go one line at a time: a run of sectors of one line (the
   * coalescer lists a line's sectors one after another) looks its L1 set
   * and its L2 slice and set up once.  Nothing done for one sector of the
   * run changes what the next one's lookup would find: it touches only its
   * own line (its sector's miss entry, fill time and busy bit, and its LRU
   * stamp, which every sector of the run sets to the next tick of the
   * clock: the run sets it once, to the last, before the next run's lookup
   * reads stamps).  The distinct lines (simt_lines_of_sectors) are counted
   * on the way: the port's time is read by nothing in the loop, so it is
   * booked after it. */
  unsigned lines = 0;
  uint64_t top = 0; /* the largest line seen */
  uint64_t line = UINT64_MAX; /* the run's line (sector / 4 is never this) */
  int32_t gli = -1;           /* the run's L1 line (-1: it bypasses L1) */
  uint32_t sl = UINT32_MAX;   /* the run's L2 slice, once a sector needs it */
  int32_t l2li = L2_UNSEEN;   /* its L2 line, once looked up */
  uint64_t clk = s->lru_clock;
  unsigned run0 = 0; /* the run's first sector */
  for (unsigned i = 0; i < n; i++) {
    if (sectors[i] / 4 != line) { /* a new run */
      if (gli >= 0) { /* the last run's line: one tick per sector */
        clk += i - run0;
        s->lru[gli] = clk;
      }
      run0 = i;
      line = sectors[i] / 4;
      sl = UINT32_MAX;
      l2li = L2_UNSEEN;
      if (i == 0 || line > top) lines++; /* above every line seen: new */
      else if (line < top) {
        unsigned k;
        for (k = 0; k < i && sectors[k] / 4 != line; k++) {}
        if (k == i) lines++;
      }
      if (line > top) top = line;
      gli = -1;
      if (!bypass_l1) {
        /* a line's tag sits in one way of its own set only: a tag equal to
         * line + 1 at the last line found is the hit the scan would find */
        if (s->tag[s->memo] == line + 1) gli = (int32_t)s->memo;
        else {
          size_t set = (size_t)(m->l1_set_mask ? line & m->l1_set_mask : line % m->l1_sets);
          size_t base = set * c->l1_ways;
          int32_t victim = -1;
          uint64_t best = UINT64_MAX;
          for (uint64_t wy = 0; wy < c->l1_ways; wy++) {
            uint64_t x = s->tag[base + wy];
            if (x == line + 1) {
              gli = (int32_t)(base + wy);
              break;
            }
            if (s->busy[base + wy]) continue; /* a sector waits for its miss entry */
            uint64_t key = x ? s->lru[base + wy] : 0;
            if (key < best) {
              best = key;
              victim = (int32_t)(base + wy);
            }
          }
          if (gli < 0 && victim >= 0) {
            gli = victim;
            if (!s->tag[gli]) s->touched[s->n_touched++] = (uint32_t)gli;
            s->tag[gli] = line + 1;
            s->lines[gli].valid = 0;
          }
        }
        if (gli >= 0) s->memo = (size_t)gli;
      }
    }
    unsigned si = (unsigned)(sectors[i] % 4);
    int32_t li = gli;
    line_t *l = li >= 0 ? &s->lines[li] : NULL;
    if (l && (l->valid >> si & 1)) {
      if (l->mshr[si] < 0) {
        uint64_t t = hit_t;
        if (l->ready[si] > t) {
          t = l->ready[si];
          m->st.l1_mshr_merges++;
        } else
          m->st.l1_hits++;
        if (t > lr->max) lr->max = t;
        continue;
      }
      l1_mshr *ms = &s->mshr[l->mshr[si]];
      if (ms->nwait < c->l1_max_merge) {
        s->mshr_wait[(size_t)l->mshr[si] * c->l1_max_merge + ms->nwait++] = (uint32_t)r;
        lr->remaining++;
        m->st.l1_mshr_merges++;
        continue;
      }
      l = NULL; /* merge list full: a miss of its own, not tied to the line */
      li = -1;
    }
    unsigned ops = aops ? aops[i] : 0;
    if (!aops) m->st.l1_misses++;
    int32_t e = l1_mshr_alloc(s);
    s->mshr[e].line = l ? li : -1;
    s->mshr[e].si = (uint8_t)si;
    s->mshr[e].nwait = 1;
    s->mshr[e].extra =
        ops ? (uint32_t)(c->l2_atomic_latency + c->l2_atomic_interval * (ops - 1) + 0.5) : 0;
    s->mshr_wait[(size_t)e * c->l1_max_merge] = (uint32_t)r;
    lr->remaining++;
    if (l) {
      l->valid |= (uint8_t)(1u << si);
      l->mshr[si] = e;
      s->busy[li] |= (uint8_t)(1u << si);
    }
    if (sl == UINT32_MAX) sl = slice_of(m, line);
    uint64_t t = l2_read(m, sl, line, si, a_l2, sm, e, ops, &l2li);
    if (t != SIMT_TIME_UNKNOWN) l1_resolve(m, sm, e, t);
  }
  if (gli >= 0) {
    clk += n - run0;
    s->lru[gli] = clk;
  }
  s->lru_clock = clk;
  s->port_free = start_d + (lines <= 64 ? m->port_cyc[lines] : port_cycles(c, lines));
  m->st.l1_lookups += lines;
  lr = &m->recs[r]; /* the pool may have moved (it does not grow here, but be safe) */
  if (--lr->remaining == 0) rec_done(m, r);
  return true;
}

bool simt_mem_load(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *sectors,
                   unsigned n, bool bypass_l1, uint64_t *slot, simt_mem_waiter *w) {
  return l1_access(m, sm, now, sectors, n, bypass_l1, NULL, slot, w);
}

bool simt_mem_atomic(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *addr,
                     uint32_t mask, unsigned width, uint64_t *slot, simt_mem_waiter *w) {
  uint64_t sectors[64];
  uint8_t ops[64];
  unsigned n = simt_coalesce(addr, mask, width, sectors);
  if (n == 0) {
    if (slot) *slot = now + 1;
    return true;
  }
  /* per sector: the most lanes on one word (they serialise in the unit).
   * When the lanes' words rise with the lane (a split-K reduction's rows of
   * partial sums, lane by lane along each row and row after row), no two
   * lanes share a word: one each, without counting. */
  bool distinct = true;
  uint64_t prev = 0;
  for (uint32_t mm = mask, first = 1; mm && distinct; mm &= mm - 1, first = 0) {
    uint64_t wd = addr[__builtin_ctz(mm)] / 4;
    distinct = first || wd > prev;
    prev = wd;
  }
  for (unsigned i = 0; i < n && distinct; i++) ops[i] = 1;
  for (unsigned i = 0; i < n && !distinct; i++) {
    uint64_t words[SIMT_WARP_MAX];
    uint8_t cnt[SIMT_WARP_MAX];
    unsigned nw = 0, most = 1;
    for (uint32_t mm = mask; mm; mm &= mm - 1) {
      unsigned lane = (unsigned)__builtin_ctz(mm);
      if (addr[lane] / SIMT_SECTOR_BYTES != sectors[i]) continue;
      uint64_t wd = addr[lane] / 4;
      unsigned j;
      for (j = 0; j < nw && words[j] != wd; j++) {}
      if (j == nw) {
        words[nw] = wd;
        cnt[nw++] = 0;
      }
      if (++cnt[j] > most) most = cnt[j];
    }
    ops[i] = (uint8_t)most;
  }
  if (!slot) { /* a reduction: no register waits for its result */
    slot = &m->red_slot;
  }
  m->st.atomic_requests++;
  return l1_access(m, sm, now, sectors, n, true, ops, slot, w);
}

bool simt_mem_store(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *sectors,
                    unsigned n, uint64_t *ack) {
  const simt_config *c = &m->c;
  sm_mem *s = &m->sms[sm];
  unsigned lines = simt_lines_of_sectors(sectors, n);
  double start_d = (double)now > s->port_free ? (double)now : s->port_free;
  m->wb_refused = UINT32_MAX;
  if (start_d > (double)(now + PORT_QUEUE_CYCLES)) return false;
  if (m->wb_held >= m->wb_cap_min) {
    /* a slice whose channel holds wb_cap write-backs takes no store until
     * the channel has written one: GPGPU-Sim's L2 slice takes nothing while
     * its queue to DRAM is full, so its input backs up to the SMs */
    uint64_t last = UINT64_MAX;
    for (unsigned i = 0; i < n; i++) {
      uint64_t line = sectors[i] / 4;
      if (line == last) continue;
      last = line;
      dram_chan *ch = &m->ch[m->slice_ch[slice_of(m, line)]];
      if (wb_held_at(m, ch, now) < ch->wb_cap) continue;
      m->wb_refused = ch->id;
      m->st.store_wb_refusals++;
      return false;
    }
  }
  s->port_free = start_d + (lines <= 64 ? m->port_cyc[lines] : port_cycles(c, lines));
  uint64_t start = (uint64_t)start_d;
  m->st.l1_lookups += lines;
  *ack = 0;
  for (unsigned i = 0; i < n; i++) {
    uint64_t sector = sectors[i], line = sector / 4;
    unsigned si = (unsigned)(sector % 4);
    m->st.l1_stores++;
    size_t base = (size_t)(m->l1_set_mask ? line & m->l1_set_mask : line % m->l1_sets) * c->l1_ways;
    for (uint64_t wy = 0; wy < c->l1_ways; wy++)
      if (s->tag[base + wy] == line + 1 && !(s->busy[base + wy] >> si & 1))
        s->lines[base + wy].valid &= (uint8_t)~(1u << si);
    uint64_t a = l2_write(m, sector, start + c->l2_latency / 2);
    if (a > *ack) *ack = a;
  }
  return true;
}

unsigned simt_mem_mshr_free(const simt_mem *m, unsigned sm) { return m->sms[sm].mshr_nfree; }

void simt_mem_wake_on_mshr(simt_mem *m, unsigned sm, unsigned need, simt_wakeq *wq) {
  sm_mem *s = &m->sms[sm];
  if (s->mshr_want == 0 || need < s->mshr_want) s->mshr_want = need ? need : 1;
  s->mshr_wq = wq;
}

uint64_t simt_mem_wake_on_writeback(simt_mem *m, unsigned sm, simt_wakeq *wq) {
  if (m->wb_refused == UINT32_MAX) return 0;
  dram_chan *ch = &m->ch[m->wb_refused];
  m->wb_refused = UINT32_MAX;
  if (ch->wb_promised < ch->wb_dn) /* the next burst not promised: its end */
    return ch->wb_done[(ch->wb_dhead + ch->wb_promised++) & (ch->wb_dcap - 1)];
  if (ch->wb_pend == 0 && ch->wb_dn) /* none to decide, so none would wake it:
                                      * the last burst's end (all held are done) */
    return ch->wb_done[(ch->wb_dhead + ch->wb_dn - 1) & (ch->wb_dcap - 1)];
  sm_mem *s = &m->sms[sm];
  s->mshr_wq = wq;
  if (s->wb_ch < 0) { /* (queued on a channel already, it is woken from there) */
    s->wb_ch = (int32_t)ch->id;
    s->wb_next = -1;
    if (ch->wb_tail >= 0) m->sms[ch->wb_tail].wb_next = (int32_t)sm;
    else ch->wb_head = (int32_t)sm;
    ch->wb_tail = (int32_t)sm;
  }
  return SIMT_TIME_UNKNOWN;
}

uint64_t simt_mem_port_open_at(const simt_mem *m, unsigned sm, bool shared) {
  const sm_mem *s = &m->sms[sm];
  double port = shared && !m->c.l1_smem_unified ? s->smem_free : s->port_free;
  /* an access at t is taken while port <= t + PORT_QUEUE_CYCLES */
  double t = port - (double)PORT_QUEUE_CYCLES;
  if (t <= 0) return 0;
  uint64_t at = (uint64_t)t;
  return (double)at < t ? at + 1 : at;
}

uint64_t simt_mem_shared(simt_mem *m, unsigned sm, uint64_t now, unsigned degree) {
  sm_mem *s = &m->sms[sm];
  double *port = m->c.l1_smem_unified ? &s->port_free : &s->smem_free;
  double start_d = (double)now > *port ? (double)now : *port;
  if (start_d > (double)(now + PORT_QUEUE_CYCLES)) return SIMT_TIME_UNKNOWN;
  *port = start_d + degree;
  return (uint64_t)start_d + m->c.smem_latency + degree - 1;
}
