/*
 * simt_mem.h - the SIMT GPU's memory hierarchy: coalescer, shared-memory
 * banks, sectored L1 with MSHR merging, hashed L2 slices, and DRAM channels
 * with banks, row buffers and an FR-FCFS scheduler.
 *
 * Granularity: 128-byte lines of four 32-byte sectors (Volta onward; REFERENCES.md
 * "Coalescing").  Times are core cycles.  Every level has a bandwidth limit:
 * L1 tag lookups per cycle per SM, bytes per cycle per L2 slice, bytes per
 * cycle per DRAM channel data bus.
 *
 * Timing is computed when a request is made (each resource keeps the time it
 * is next free), except DRAM, whose scheduler reorders requests: an L2 miss
 * waits in its channel's queue until simt_mem_advance() schedules it, and the
 * loads waiting on it learn their ready time then.
 */
#ifndef SIMT_MEM_H
#define SIMT_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "em_diag.h"
#include "simt_config.h"
#include "simt_wake.h"

#define SIMT_SECTOR_BYTES 32u
#define SIMT_LINE_BYTES 128u
#define SIMT_TIME_UNKNOWN UINT64_MAX

/* Distinct 32-byte sectors touched by the lanes in `mask` accessing `width`
 * bytes at addr[lane] (a lane's access may straddle two sectors).  Writes
 * the sector numbers (address / 32) to sectors[] (room for 64) in first-touch
 * order; returns their count.  Unit-stride fp32: 4; stride 32 words: 32. */
unsigned simt_coalesce(const uint64_t *addr, uint32_t mask, unsigned width,
                       uint64_t *sectors);

/* simt_coalesce of cnt (>= 1) lanes in a run of set bits of the mask, each
 * `width` (>= 1) bytes above the one before, the first at a0: the sectors
 * of one range of bytes, in rising order.  Returns 0 when the range wraps
 * past the top of the address space (then simt_coalesce, lane by lane). */
unsigned simt_coalesce_range(uint64_t a0, unsigned cnt, unsigned width, uint64_t *sectors);

/* Distinct 128-byte lines among n sectors (sectors of one line are adjacent
 * in first-touch order only by chance, so this counts properly). */
unsigned simt_lines_of_sectors(const uint64_t *sectors, unsigned n);

/* Shared-memory conflict degree of one warp access: the most distinct 4-byte
 * words that fall in one bank (lanes reading the same word are served by one
 * broadcast).  banks 4-byte banks; 1 = conflict free.  A lane reading `width`
 * > 4 bytes touches width/4 consecutive words. */
unsigned simt_smem_conflict_degree(const uint64_t *addr, uint32_t mask, unsigned width,
                                   unsigned banks);
/* Wavefronts (cycles of the banks) one warp access takes: its conflict
 * degree, and at least the bytes it delivers over the banks' width
 * (banks x 4 B per cycle: the crossbar hands each lane at most one 4-byte
 * word per bank per cycle, so a 16-byte load of 32 lanes takes 4 even when
 * it reads few distinct words).  *floor_out (may be NULL) gets that width
 * floor, so degree - floor is the conflict's cost. */
unsigned simt_smem_wavefronts(const uint64_t *addr, uint32_t mask, unsigned width,
                             unsigned banks, unsigned *floor_out);

/* What a pending load updates when its data's time becomes known. */
typedef struct {
  uint32_t pending;    /* loads of the warp still without a known time */
  uint64_t last_ready; /* latest data time of the warp's loads */
  uint64_t *sched_wake; /* the warp's scheduler's next wake-up time: lowered to the
                         * ready time, or to 0 ("at the SM's next step") when
                         * *issue_at is reset */
  simt_wakeq *wq;      /* SM sm's wake-up time in it is lowered to the ready time
                        * (simt_wakeq_lower); NULL: nobody is woken */
  uint32_t sm;
  uint64_t *issue_at;  /* the warp's cached issue time: SIMT_TIME_UNKNOWN (it
                        * waits for a load whose time is unknown) is reset to
                        * 0, "work it out again", when a load's time is known */
} simt_mem_waiter;

typedef struct {
  uint64_t l1_sectors, l1_hits, l1_misses, l1_mshr_merges, l1_lookups;
  uint64_t l1_stores;
  uint64_t l2_sectors, l2_hits, l2_misses, l2_mshr_merges, l2_stores;
  uint64_t atomic_requests;  /* warp atomics (ATOMG, RED) */
  uint64_t l2_atomics;       /* sectors they read-modify-wrote in L2 (of l2_sectors) */
  uint64_t dram_reads, dram_writes, dram_row_hits, dram_row_misses, dram_row_conflicts;
  uint64_t dram_writes_after; /* of dram_writes: written back after the kernel, untimed
                               * (simt_mem_finish) */
  uint64_t dram_bus_busy_cycles; /* summed over channels */
  uint64_t dram_turnarounds;     /* a channel's data bus turned from reads to writes or back */
  uint64_t store_wb_refusals;    /* warp stores refused while a channel was full of
                                  * write-backs (each try counts) */
} simt_mem_stats;

typedef struct simt_mem simt_mem;

/* Host bytes simt_mem_create allocates for c, its caches' lines and miss
 * entries (every one of them is written at the creation): what grows with
 * the configuration, for the GPU model's memory limit (simt_gpu.h). */
uint64_t simt_mem_footprint(const simt_config *c);

em_status simt_mem_create(const simt_config *c, simt_mem **out, em_diag *d);
void simt_mem_destroy(simt_mem *m);
/* Cold caches, idle DRAM, zero counters. */
void simt_mem_reset(simt_mem *m);

/* A warp load of n sectors issued at `now` by SM `sm`.  `slot` is the
 * destination register's ready time: it is set now if every sector's time is
 * known, else to SIMT_TIME_UNKNOWN and filled in by simt_mem_advance().
 * bypass_l1: the .cg cache operator (L2 only).  Returns false, changing
 * nothing, when the SM's miss entries or its L1 port cannot take the access
 * this cycle (the warp retries). */
bool simt_mem_load(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *sectors,
                   unsigned n, bool bypass_l1, uint64_t *slot, simt_mem_waiter *w);
/* A warp atomic (ATOMG, RED) of the lanes in `mask`, each on `width` bytes
 * at addr[lane], issued at `now`: done in the L2 slices' atomic units (see
 * simt_mem.c).  slot/w as for a load (ATOMG's old value); slot NULL for a
 * reduction (RED), whose result no register waits for: w (required) then
 * learns when it is done, as for a load (the warp retires only after).
 * Returns false, changing nothing, when the SM's miss entries or its port
 * cannot take it. */
bool simt_mem_atomic(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *addr,
                     uint32_t mask, unsigned width, uint64_t *slot, simt_mem_waiter *w);
/* A warp store of n sectors (write-through L1, write-back L2).  *ack gets
 * the cycle its last sector's acknowledgement from its L2 slice reaches the
 * SM (a warp retires only after: GPGPU-Sim's stores_done).  Returns false,
 * changing nothing, when the L1 port cannot take it this cycle, or when the
 * DRAM channel of one of its sectors' L2 slices holds as many write-backs
 * as it can (l2_dram_queue per slice and the scheduler's write window:
 * simt_mem_wake_on_writeback says which). */
bool simt_mem_store(simt_mem *m, unsigned sm, uint64_t now, const uint64_t *sectors,
                    unsigned n, uint64_t *ack);
/* Shared-memory access of `degree` wavefronts (simt_smem_wavefronts) at
 * `now`: returns the data-ready time (loads), or SIMT_TIME_UNKNOWN when the
 * SM's port (L1's, with l1_smem_unified) is backed up (retry). */
uint64_t simt_mem_shared(simt_mem *m, unsigned sm, uint64_t now, unsigned degree);

/* The first cycle at which the SM's data port (shared: shared memory's own
 * port, unless unified) can take an access: before it the access would be
 * refused, so the caller need not work out its addresses.  Bookings only
 * push it later. */
uint64_t simt_mem_port_open_at(const simt_mem *m, unsigned sm, bool shared);

/* Miss entries (sectors) SM sm has free. */
unsigned simt_mem_mshr_free(const simt_mem *m, unsigned sm);

/* A warp of SM sm was refused for want of `need` miss entries: entries free
 * only when DRAM answers (in simt_mem_advance), so rather than retry every
 * cycle the SM asks to be woken then.  Once SM sm has `need` entries free
 * (the least need asked since the last wake-up), simt_mem_advance(now)
 * lowers SM sm's time in wq to now + 1 (simt_wakeq_lower) and forgets the
 * request.  wq must stay valid until simt_mem_reset. */
void simt_mem_wake_on_mshr(simt_mem *m, unsigned sm, unsigned need, simt_wakeq *wq);

/* After simt_mem_store refused SM sm's store: 0 when the port refused it
 * (retry next cycle), else it waits for a channel's write-backs: the time
 * the channel holds one fewer, when one is on its bus (retry then), or
 * SIMT_TIME_UNKNOWN when none is decided yet: simt_mem_advance then lowers
 * SM sm's time in wq to the end of the first one decided
 * (simt_wakeq_lower).  wq must stay valid until simt_mem_reset. */
uint64_t simt_mem_wake_on_writeback(simt_mem *m, unsigned sm, simt_wakeq *wq);

/* Runs the DRAM schedulers up to `now` (inclusive); returns the next time one
 * has work (SIMT_TIME_UNKNOWN if idle). */
uint64_t simt_mem_advance(simt_mem *m, uint64_t now);

const simt_mem_stats *simt_mem_get_stats(const simt_mem *m);

/* True when, since the last reset, the host could not allocate for a
 * request's queue entry (the request was dropped or answered at once): the
 * run's figures are wrong, and it may never end. */
bool simt_mem_out_of_memory(const simt_mem *m);

/* At a kernel's end: the dirty sectors L2 still holds, and the write-backs
 * still queued for DRAM, are counted as DRAM writes (dram_writes, and
 * dram_writes_after), for their energy, not their time: the next kernel
 * starts with a cold L2 (simt_mem_reset), so what this one wrote must reach
 * DRAM, while the GPU runs on. */
void simt_mem_finish(simt_mem *m);

#endif
