/*
 * simt_gpu.c - SMs, warps, the reconvergence stack, schedulers, scoreboard,
 * functional units and block dispatch of the cycle-level SIMT model.
 *
 * Timing rules (core cycles):
 *   - a scheduler issues at most one warp instruction per cycle; a warp at
 *     most one per cycle, and none for lat_branch cycles after a branch;
 *   - the scoreboard holds each register's ready cycle: issue + latency for
 *     arithmetic (lat_fp32 ... from the configuration; an FFMA chain on the
 *     Volta preset runs at lat_fp32 = 4 cycles per instruction, TITAN V:
 *     4.12), the load's data time for loads; an instruction waits until its
 *     sources and its destination are ready (no write-after-write hazard);
 *   - a unit takes a new warp instruction every ceil(warp_size / lanes)
 *     cycles per sub-core (Volta: 16 fp32 lanes per sub-core -> 2);
 *   - a tensor-core instruction is one warp-wide MMA of the shape its SASS
 *     names (simt_kernel.h's shape table: Volta's HMMA.884 step 256
 *     multiply-adds, Turing's HMMA.1688 1024, Ampere's HMMA.16816 2048,
 *     IMMA, BMMA, DMMA and the 2:4 sparse forms); it occupies the
 *     sub-core's tensor cores fp16_macs / (64 * tensor_units) cycles (a
 *     tensor core does one 4x4x4 fp16 MMA per cycle, study book 4.2; int8
 *     at twice that rate, fp64 at 1/16, ...); a sparse form does half its
 *     product's multiply-adds (2:4) in half the time; its result is ready
 *     after the shape's latency on the GPU's architecture
 *     (simt_mma_latency; lat_tensor for a bare HMMA);
 *   - traced branches: a branch diverges when the lanes that run next are
 *     some, not all, of those that were active at it (its own lanes and the
 *     previous instruction's: a trace's mask has the predicate folded in).
 * Schedulers: LRR rotates from the warp after the last issued one; GTO keeps
 * issuing the last warp while it can, then the oldest; two-level keeps
 * two_level_active warps in an active set scheduled round-robin and demotes
 * a warp that waits on a load to the end of the pending queue (Narasiman et
 * al., MICRO 2011).
 * Stall causes are counted per scheduler cycle without an issue, from the
 * most advanced warp's reason (data > unit > memory port > barrier).
 * The clock skips: a scheduler steps only at cycles where something of its
 * own may change (run_loop says which), cycles in which only DRAM works
 * skip the SMs, and the cycles a scheduler is not stepped count as its last
 * step did; every figure is the same as when all of an SM's schedulers
 * stepped at each of its wake-ups (as before issue 20).
 */
#include "simt_gpu.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_checked.h"
#include "em_pool.h"

#define STACK_MAX 64u
#define NEVER SIMT_TIME_UNKNOWN
/* Warps per scheduler above which lrr / gto keep the waiting ones out of
 * the scan (a speed choice only, measured with bench_simt: README). */
#define FAST_MIN_WARPS 8u

static const char *const stall_names[SIMT_STALL_COUNT] = {
#define SIMT_STALL_NAME(name, s, h) s,
    SIMT_STALL_MAP(SIMT_STALL_NAME)
#undef SIMT_STALL_NAME
};
const char *simt_stall_name(simt_stall s) { return s < SIMT_STALL_COUNT ? stall_names[s] : "?"; }

const char *simt_limit_name(simt_limit l) {
  switch (l) {
  case SIMT_LIMIT_CTAS: return "blocks";
  case SIMT_LIMIT_THREADS: return "threads";
  case SIMT_LIMIT_REGS: return "registers";
  case SIMT_LIMIT_SMEM: return "shared_memory";
  }
  return "?";
}

double simt_stats_ipc(const simt_stats *s) {
  return s->cycles ? (double)s->warp_insts / (double)s->cycles : 0.0;
}
double simt_stats_simd_eff(const simt_stats *s) {
  return s->warp_insts ? (double)s->lane_insts / ((double)s->warp_insts * (double)s->warp_size)
                       : 0.0;
}

simt_occupancy simt_occupancy_compute(const simt_config *c, const simt_kernel *k) {
  simt_occupancy o;
  o.warps_per_block = em_ceil_div_u64(k->block_threads, c->warp_size);
  uint64_t regs = (uint64_t)k->regs_per_thread * c->warp_size;
  o.regs_per_warp = em_ceil_div_u64(regs, c->reg_alloc_unit) * c->reg_alloc_unit;
  uint64_t lim = c->max_ctas_per_sm;
  o.limiter = SIMT_LIMIT_CTAS;
  uint64_t by_threads = simt_config_max_warps(c) / (o.warps_per_block ? o.warps_per_block : 1);
  if (by_threads < lim) {
    lim = by_threads;
    o.limiter = SIMT_LIMIT_THREADS;
  }
  uint64_t per_block_regs = o.regs_per_warp * o.warps_per_block;
  uint64_t by_regs = per_block_regs ? c->regs_per_sm / per_block_regs : lim;
  if (by_regs < lim) {
    lim = by_regs;
    o.limiter = SIMT_LIMIT_REGS;
  }
  uint64_t by_smem = k->smem_bytes ? c->smem_per_sm / k->smem_bytes : lim;
  if (by_smem < lim) {
    lim = by_smem;
    o.limiter = SIMT_LIMIT_SMEM;
  }
  o.blocks_per_sm = lim;
  return o;
}

typedef struct {
  uint32_t pc, rpc, mask;
} stk_entry;

/* Where a warp stands for the lrr / gto scan of a kernel with many warps
 * (simt_gpu.fast). */
enum {
  W_GONE,  /* no warp in this slot */
  W_LOOK,  /* looked at each step: it may issue (its time came, or is not known) */
  W_TIMED, /* waits for a known time after now: in its scheduler's heap */
  W_BAR    /* at a block barrier: not looked at until the barrier opens */
};

/* What the scheduler reads of a warp at each look comes first, in one
 * cache line with the reconvergence stack's bottom entry (the top one of a
 * warp that has not diverged, which fetch reads) or a traced warp's place
 * in its chunk; then what only an issue reads. */
typedef struct {
  _Alignas(64) uint8_t live, at_bar;
  uint8_t where;        /* W_* (fast) */
  uint8_t wait_reason;  /* why, while ready_at > now */
  uint8_t wait_unit;    /* the unit of the instruction waiting, while ready_at is NEVER
                         * or its wait_reason is MEM_STRUCT (the port refused it) */
  uint8_t port_shared;  /* the port that refused it: the shared-memory one */
  uint32_t sp;
  uint32_t pos;         /* its place in its scheduler's list (fast) */
  uint64_t ready_at;    /* no issue before this cycle (branch, or a known operand time);
                         * NEVER: an operand waits for a load whose time is unknown
                         * (simt_mem resets it to 0 when the time becomes known) */
  /* traced warps: the decoded chunk tl[0 .. tcount) of the warp's lines
   * tbase .., addresses in ta; tleft lines after it, read into tc */
  const simt_tline *tl;
  uint64_t *reg_ready;
  uint32_t tpos, tcount;
  stk_entry stack[STACK_MAX];
  uint8_t *reg_mem;
  uint64_t tleft;
  uint64_t tbase;
  const uint64_t *ta;
  simt_tcursor *tc;
  uint32_t block; /* SM-local block slot */
  uint64_t age;
  simt_mem_waiter mw;
  uint32_t mshr_need; /* a load refused for want of miss entries: how many it needs */
  uint16_t reuse[3];  /* operand reuse caches: register + 1 each source slot holds (0: none) */
  simt_warp_ctx ctx;
  uint32_t lane_tid[SIMT_WARP_MAX];
} warp_t;

typedef struct {
  uint32_t live, arrived, nwarps;
  uint32_t warp_slot[64];
} block_t;

/* A W_TIMED warp in its scheduler's heap: its issue time, which nothing
 * but its own issue changes (and it is not looked at until then). */
typedef struct {
  uint64_t t;
  uint32_t slot;
  uint32_t why; /* its wait_reason */
} timed_t;

/* A scheduler (sub-core).  What each step reads first sits in the first
 * cache line, the units' free times in the next.  Fast (lrr / gto with
 * many warps): a step looks only at the W_LOOK warps (bits of `look`, by
 * place in list), in the order the policy gives; sched_step says why the
 * others need not be looked at. */
typedef struct {
  _Alignas(64) uint64_t last_time;
  uint32_t n;
  uint32_t last;        /* slot of the last issued warp, or UINT32_MAX */
  uint32_t nheap, nbar; /* fast: W_TIMED and W_BAR warps */
  uint8_t last_reason;
  uint8_t stepped;
  uint8_t id;           /* its index in its SM's sched[] (and in sm_t.mshr_blocked) */
  uint32_t mshr_need;   /* the fewest entries such a warp needs */
  uint32_t *list; /* warp slots, oldest first (two-level: active set first) */
  timed_t *heap;  /* fast: the W_TIMED warps, a min-heap on t */
  uint64_t *look; /* fast: bit p, the warp at list[p] is W_LOOK */
  uint64_t unit_free[SIMT_UNIT_COUNT];
  uint32_t ntimed[SIMT_STALL_COUNT]; /* fast: W_TIMED warps by wait reason */
  uint64_t bank_free[SIMT_RF_BANKS_MAX]; /* register banks: next free read cycle */
  uint64_t bank_max; /* the latest of bank_free (each only grows) */
  uint32_t last_pos; /* not fast: where s->last stood in list when it issued */
} sched_t;

/* An SM.  What the run loop reads at each of its wake-ups comes first: its
 * schedulers' wake-up times side by side. */
typedef struct {
  _Alignas(64) uint64_t swake[SIMT_SCHED_MAX]; /* scheduler s steps then, or when its
                                                * blocked warps could go on */
  uint64_t wake_all; /* every scheduler steps then: a barrier opened, a block came */
  /* 1 when scheduler s's last step left a warp short of miss entries.
   * Beside wake_all, which each wake-up of the SM reads: finding the
   * schedulers that may step reads no scheduler's own cache line */
  uint8_t mshr_blocked[SIMT_SCHED_MAX];
  uint32_t resident;
  warp_t *warps;
  block_t *blocks;
  uint8_t *block_used;
  sched_t sched[SIMT_SCHED_MAX];
} sm_t;
_Static_assert(SIMT_SCHED_MAX == 8, "sched_due reads sm_t.mshr_blocked as one 64-bit word");

/* A shared access's wavefronts depend only on its active lanes, its width
 * and its lane addresses relative to the first active lane's (with that
 * address's offset in its 4-byte word): moving every lane by whole words
 * turns the banks round and leaves each bank's count of distinct words as
 * it was.  A generated kernel's instruction at one pc gives every warp the
 * same relative addresses (an affine address in tid), so the scan of
 * simt_smem_conflict_degree runs once per pattern, found in the entry of
 * its pc; the entry (a function of its key alone, for the GPU's bank
 * count) is checked in full before it is used: a miss only costs the scan. */
#define SMEM_MEMO 64u
typedef struct {
  uint8_t used;
  uint8_t affine; /* the pattern is an affine address's (lane_addrs' *lin): key
                   * c_lo, c_hi, split below; else the offsets in off[] */
  uint32_t mask;
  uint8_t width, align;
  uint32_t deg, floor;
  int64_t c_lo, c_hi;
  uint32_t split;
  uint64_t off[SIMT_WARP_MAX]; /* per active lane: address - first lane's */
} smem_memo;

/* The register banks an instruction reads (oc_banks without reuse). */
typedef struct {
  uint8_t nb, bk[3], bcnt[3];
} oc_memo;

/* A generated kernel's issues at one pc (count_issues adds them up). */
typedef struct {
  uint64_t issues, lanes, reused_lanes;
} pc_count;

struct simt_gpu {
  simt_config c;
  simt_mem *mem;
  sm_t *sms;
  simt_wakeq wq;    /* the SMs' wake-up times, and the calendar that finds those due */
  uint64_t *active; /* bit i: SM i holds a block, or has a wake-up time still to come */
  uint32_t max_warps;
  uint32_t sched_cap; /* warps per scheduler, at most: ceil(max_warps / n_sched) */
  bool fast;          /* this kernel: lrr / gto look only at their W_LOOK warps */
  uint8_t op_unit[SIMT_OP_COUNT]; /* simt_op_unit's answers, read by every look */
  uint64_t *reg_pool;
  uint8_t *regmem_pool;
  size_t reg_pool_regs;
  /* run state */
  const simt_kernel *k;
  simt_occupancy occ;
  uint64_t next_block, blocks_total, blocks_done, age;
  uint64_t last_exit;
  uint64_t last_result; /* the latest result an issued instruction writes (its
                         * register ready): the kernel ends after it */
  uint64_t issued; /* warp instructions issued in this run (the max_warp_insts check) */
  uint32_t lat[SIMT_UNIT_COUNT], ii[SIMT_UNIT_COUNT];
  uint32_t mma_ii[SIMT_MMA_COUNT]; /* tensor cores' occupancy per MMA shape */
  uint32_t mma_lat[SIMT_MMA_COUNT]; /* and latency (SIMT_MMA_NONE: lat_tensor) */
  uint32_t warp_mask_full;
  int refused; /* why execute() refused an issue: a simt_stall */
  uint64_t retry_at; /* when a refused warp may be taken: NEVER when simt_mem wakes its SM */
  bool step_all;     /* the SM being stepped changed for all its schedulers */
  em_status err;
  em_diag errd; /* err's message when a traced warp could not be read */
  simt_tcursor *cursors; /* a traced warp's stream, per warp slot (allocated once) */
  simt_stats *st;
  bool rf_pow2;          /* rf_banks is a power of two: a mask, not a division */
  uint32_t rf_cyc[4];    /* cycles a bank takes for n = 0..3 reads: ceil(n / rf_bank_reads) */
  smem_memo *smemo;      /* SMEM_MEMO entries, cleared per kernel */
  oc_memo *ocm;          /* a generated kernel's banks per pc (oc_banks, no reuse) */
  pc_count *pcn;         /* and its issues per pc */
  size_t ocm_cap;        /* entries of both */
};

void simt_gpu_destroy(simt_gpu *g) {
  if (!g) return;
  if (g->sms)
    for (uint64_t i = 0; i < g->c.n_sm; i++) {
      free(g->sms[i].warps);
      free(g->sms[i].blocks);
      free(g->sms[i].block_used);
      for (unsigned s = 0; s < SIMT_SCHED_MAX; s++) free(g->sms[i].sched[s].list);
    }
  free(g->sms);
  simt_wakeq_free(&g->wq);
  free(g->active);
  free(g->reg_pool);
  free(g->regmem_pool);
  free(g->cursors);
  free(g->smemo);
  free(g->ocm);
  free(g->pcn);
  simt_mem_destroy(g->mem);
  free(g);
}

/* Host bytes the GPU model holds for c at most: the memory model's, and per
 * SM its warps with their registers (256, the most a trace names) and trace
 * cursors, its blocks and its schedulers' lists.  At most 4096 SMs x 2^16
 * warps x some 10 KiB: far below 2^64. */
uint64_t simt_gpu_footprint(const simt_config *c) {
  uint64_t warps = simt_config_max_warps(c);
  uint64_t per_warp = sizeof(warp_t) + 256 * (sizeof(uint64_t) + 1) + sizeof(simt_tcursor) +
                      sizeof(uint32_t) + sizeof(timed_t) + 1;
  uint64_t per_sm = sizeof(sm_t) + warps * per_warp + c->max_ctas_per_sm * (sizeof(block_t) + 1);
  return sizeof(simt_gpu) + c->n_sm * per_sm + simt_mem_footprint(c);
}

em_status simt_gpu_create(const simt_config *c, simt_gpu **out, em_diag *d) {
  *out = NULL;
  em_status st = simt_config_check(c, c->name, d);
  if (st != EM_OK) return st;
  uint64_t need = simt_gpu_footprint(c), budget = em_host_budget();
  if (need > budget) {
    char nb[32], bb[32];
    em_bytes_text(need, nb, sizeof nb);
    em_bytes_text(budget, bb, sizeof bb);
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0,
                       "GPU '%s' is too large to model: %s of host memory (n_sm %llu, "
                       "%llu warps and %llu bytes of L1 per SM, %llu bytes of L2), more than "
                       "the %s a run may hold (%s)",
                       c->name, nb, (unsigned long long)c->n_sm,
                       (unsigned long long)simt_config_max_warps(c),
                       (unsigned long long)c->l1_bytes, (unsigned long long)c->l2_bytes, bb,
                       EM_HOST_ENV);
  }
  simt_gpu *g = calloc(1, sizeof *g);
  if (!g) goto nomem;
  g->c = *c;
  g->max_warps = (uint32_t)simt_config_max_warps(c);
  g->sched_cap = (uint32_t)em_ceil_div_u64(g->max_warps, c->n_sched);
  for (int op = 0; op < SIMT_OP_COUNT; op++) g->op_unit[op] = (uint8_t)simt_op_unit((simt_op)op);
  if ((st = simt_mem_create(c, &g->mem, d)) != EM_OK) {
    simt_gpu_destroy(g);
    return st;
  }
  g->rf_pow2 = (c->rf_banks & (c->rf_banks - 1)) == 0;
  for (unsigned n = 0; n < 4; n++)
    g->rf_cyc[n] = (uint32_t)em_ceil_div_u64(n, c->rf_bank_reads);
  g->smemo = calloc(SMEM_MEMO, sizeof *g->smemo);
  if (!g->smemo) goto nomem;
  g->sms = aligned_alloc(_Alignof(sm_t), c->n_sm * sizeof *g->sms);
  if (g->sms) memset(g->sms, 0, c->n_sm * sizeof *g->sms);
  bool wq_ok = simt_wakeq_init(&g->wq, (uint32_t)c->n_sm);
  g->active = calloc((c->n_sm + 63) / 64, sizeof *g->active);
  if (!g->sms || !wq_ok || !g->active) goto nomem;
  for (uint64_t i = 0; i < c->n_sm; i++) {
    sm_t *sm = &g->sms[i];
    sm->warps = aligned_alloc(_Alignof(warp_t), g->max_warps * sizeof *sm->warps);
    if (sm->warps) memset(sm->warps, 0, g->max_warps * sizeof *sm->warps);
    sm->blocks = calloc(c->max_ctas_per_sm, sizeof *sm->blocks);
    sm->block_used = calloc(c->max_ctas_per_sm, 1);
    if (!sm->warps || !sm->blocks || !sm->block_used) goto nomem;
    for (unsigned s = 0; s < c->n_sched; s++) {
      /* one block: list, heap, look */
      sched_t *sc = &sm->sched[s];
      size_t cap = g->sched_cap, words = (cap + 63) / 64;
      sc->list = calloc(1, cap * sizeof *sc->list + cap * sizeof *sc->heap + words * 8 + 16);
      if (!sc->list) goto nomem;
      sc->heap = (timed_t *)(((uintptr_t)(sc->list + cap) + 15) & ~(uintptr_t)15);
      sc->look = (uint64_t *)(sc->heap + cap);
    }
  }
  *out = g;
  return EM_OK;
nomem:
  simt_gpu_destroy(g);
  return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory for the GPU model");
}

/* ---- warps and blocks ---- */

/* Warp `slot` (w) joins the end of s's order (fast: looked at). */
static void sched_add(sched_t *s, warp_t *w, uint32_t slot, bool fast) {
  uint32_t p = s->n++;
  s->list[p] = slot;
  w->where = W_LOOK;
  if (!fast) return;
  w->pos = p;
  s->look[p / 64] |= 1ull << (p % 64);
}

/* Warp `slot` (W_LOOK when fast) leaves s's order; the later ones move up. */
static void sched_remove(sched_t *s, warp_t *warps, uint32_t slot, bool fast) {
  warps[slot].where = W_GONE;
  uint32_t p = 0;
  if (fast) p = warps[slot].pos;
  else
    while (p < s->n && s->list[p] != slot) p++;
  if (p >= s->n) return; /* not there: nothing to take out */
  memmove(&s->list[p], &s->list[p + 1], (s->n - p - 1) * sizeof s->list[0]);
  s->n--;
  if (!fast) return;
  for (uint32_t i = p; i < s->n; i++) warps[s->list[i]].pos = i;
  /* bit p goes, the bits above it move down one place */
  uint64_t *b = s->look;
  uint32_t wd = p / 64, o = p % 64;
  uint64_t low = b[wd] & ((1ull << o) - 1), high = o == 63 ? 0 : (b[wd] >> (o + 1)) << o;
  b[wd] = low | high;
  for (uint32_t i = wd + 1; i * 64 < s->n + 1; i++) {
    b[i - 1] |= (b[i] & 1) << 63;
    b[i] >>= 1;
  }
}

/* ---- fast: the warps not looked at ---- */

static void heap_push(sched_t *s, timed_t e) {
  uint32_t i = s->nheap++;
  while (i > 0) {
    uint32_t up = (i - 1) / 2;
    if (s->heap[up].t <= e.t) break;
    s->heap[i] = s->heap[up];
    i = up;
  }
  s->heap[i] = e;
}

static timed_t heap_pop(sched_t *s) {
  timed_t top = s->heap[0], e = s->heap[--s->nheap];
  uint32_t n = s->nheap, i = 0;
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && s->heap[c + 1].t < s->heap[c].t) c++;
    if (s->heap[c].t >= e.t) break;
    s->heap[i] = s->heap[c];
    i = c;
  }
  if (n) s->heap[i] = e;
  return top;
}

/* A W_LOOK warp that waits at a barrier, or for a known time after now +
 * SETTLE_NEAR, is no longer looked at (until the barrier opens, or that
 * time).  One that waits less stays: a look at it before its time adds its
 * cached reason and time to the step, as the heap and ntimed would, and
 * costs less than a push and a pop (most such waits are an arithmetic
 * result's few cycles, in which its scheduler steps a few times at most). */
#define SETTLE_NEAR 4u
static inline void settle(sched_t *s, warp_t *w, uint32_t slot, uint64_t now) {
  if (w->where != W_LOOK) return;
  if (!w->at_bar && (w->ready_at <= now + SETTLE_NEAR || w->ready_at == NEVER)) return;
  s->look[w->pos / 64] &= ~(1ull << (w->pos % 64));
  if (w->at_bar) {
    w->where = W_BAR;
    s->nbar++;
  } else {
    w->where = W_TIMED;
    s->ntimed[w->wait_reason]++;
    heap_push(s, (timed_t){w->ready_at, slot, w->wait_reason});
  }
}

/* Warp w of s is looked at again. */
static inline void unsettle(sched_t *s, warp_t *w) {
  w->where = W_LOOK;
  s->look[w->pos / 64] |= 1ull << (w->pos % 64);
}

static void launch_block(simt_gpu *g, uint32_t smi, uint64_t now) {
  sm_t *sm = &g->sms[smi];
  const simt_kernel *k = g->k;
  uint32_t b;
  for (b = 0; b < g->c.max_ctas_per_sm; b++)
    if (!sm->block_used[b]) break;
  sm->block_used[b] = 1;
  block_t *bl = &sm->blocks[b];
  uint64_t id = g->next_block++;
  uint32_t nw = (uint32_t)g->occ.warps_per_block;
  bl->nwarps = bl->live = nw;
  bl->arrived = 0;
  uint32_t gx = k->grid[0], gy = k->grid[1];
  uint32_t w = 0;
  for (uint32_t slot = 0; slot < g->max_warps && w < nw; slot++) {
    warp_t *wp = &sm->warps[slot];
    if (wp->live) continue;
    memset(&wp->ctx, 0, sizeof wp->ctx);
    wp->live = 1;
    wp->at_bar = 0;
    wp->block = b;
    wp->age = g->age++;
    wp->ctx.cta[0] = (uint32_t)(id % gx);
    wp->ctx.cta[1] = (uint32_t)(id / gx % gy);
    wp->ctx.cta[2] = (uint32_t)(id / ((uint64_t)gx * gy));
    wp->ctx.warp_in_cta = w;
    wp->ctx.warp_size = (uint32_t)g->c.warp_size;
    wp->ctx.lane_tid = wp->lane_tid;
    /* lane l: tid t0 + l; the lanes below the block's thread count run */
    uint32_t ws = (uint32_t)g->c.warp_size, t0 = w * ws;
    for (uint32_t l = 0; l < ws; l++) wp->lane_tid[l] = t0 + l;
    uint32_t nl = k->block_threads - t0 < ws ? k->block_threads - t0 : ws; /* t0 < threads */
    uint32_t mask = nl >= 32 ? UINT32_MAX : (1u << nl) - 1u;
    wp->sp = 1;
    wp->stack[0] = (stk_entry){0, SIMT_PC_EXIT, mask};
    wp->ready_at = now;
    wp->wait_reason = SIMT_STALL_EXEC_DEP;
    wp->reg_ready = g->reg_pool + ((size_t)smi * g->max_warps + slot) * g->reg_pool_regs;
    wp->reg_mem = g->regmem_pool + ((size_t)smi * g->max_warps + slot) * g->reg_pool_regs;
    memset(wp->reg_ready, 0, g->reg_pool_regs * sizeof *wp->reg_ready);
    memset(wp->reg_mem, 0, g->reg_pool_regs);
    wp->mw.pending = 0;
    wp->mw.last_ready = 0;
    wp->mshr_need = 0;
    memset(wp->reuse, 0, sizeof wp->reuse);
    wp->mw.sched_wake = &sm->swake[slot % g->c.n_sched];
    wp->mw.wq = &g->wq;
    wp->mw.sm = smi;
    wp->mw.issue_at = &wp->ready_at;
    if (k->tsrc) { /* the warp's first lines, read from the trace now */
      simt_tcursor *tc = &g->cursors[(size_t)smi * g->max_warps + slot];
      em_status rs = k->tsrc->open(k->tsrc->ctx, id, w, tc, &g->errd);
      if (rs != EM_OK) g->err = rs;
      wp->tc = tc;
      wp->tl = tc->tl;
      wp->ta = tc->ta;
      wp->tcount = rs == EM_OK ? tc->n : 0;
      wp->tleft = rs == EM_OK ? tc->left : 0;
      wp->tbase = 0;
      wp->tpos = 0;
    } else {
      wp->tl = NULL;
    }
    bl->warp_slot[w] = slot;
    sched_add(&sm->sched[slot % g->c.n_sched], wp, slot, g->fast);
    w++;
  }
  sm->resident++;
  simt_wakeq_lower(&g->wq, smi, now);
  g->active[smi / 64] |= 1ull << (smi % 64);
  if (now < sm->wake_all) sm->wake_all = now;
  g->step_all = true;
}

static void release_barrier(simt_gpu *g, sm_t *sm, block_t *bl, uint64_t now) {
  uint32_t bidx = (uint32_t)(bl - sm->blocks);
  for (uint32_t i = 0; i < bl->nwarps; i++) {
    /* A slot whose warp exited may hold another block's warp by now (a
     * block's slots are handed out as its warps exit); that warp waits at
     * its own block's barrier, not at this one. */
    uint32_t slot = bl->warp_slot[i];
    warp_t *w = &sm->warps[slot];
    if (!w->live || w->block != bidx) continue;
    w->at_bar = 0;
    if (w->where == W_BAR) {
      sm->sched[slot % g->c.n_sched].nbar--;
      unsettle(&sm->sched[slot % g->c.n_sched], w);
    }
  }
  bl->arrived = 0;
  if (now + 1 < sm->wake_all) sm->wake_all = now + 1;
  g->step_all = true;
}

static void warp_exit(simt_gpu *g, uint32_t smi, uint32_t slot, uint64_t now) {
  sm_t *sm = &g->sms[smi];
  warp_t *w = &sm->warps[slot];
  w->live = 0;
  sched_remove(&sm->sched[slot % g->c.n_sched], sm->warps, slot, g->fast);
  block_t *bl = &sm->blocks[w->block];
  bl->live--;
  if (bl->live == 0) {
    sm->block_used[w->block] = 0;
    sm->resident--;
    g->blocks_done++;
    if (now + 1 > g->last_exit) g->last_exit = now + 1;
    if (g->next_block < g->blocks_total) launch_block(g, smi, now + 1);
  } else if (bl->arrived && bl->arrived == bl->live) {
    release_barrier(g, sm, bl, now);
  }
}

/* Pops reconverged entries: called after the top's pc changed. */
static inline void stack_settle(warp_t *w) {
  while (w->sp > 1 && w->stack[w->sp - 1].pc == w->stack[w->sp - 1].rpc) w->sp--;
}

/* The top entry's lanes end: they leave every entry below too; entries left
 * empty, or waiting to reconverge only at the exit, are done. */
static void lanes_exit(warp_t *w) {
  uint32_t gone = w->stack[w->sp - 1].mask;
  w->sp--;
  for (uint32_t i = 0; i < w->sp; i++) w->stack[i].mask &= ~gone;
  while (w->sp > 0 && (w->stack[w->sp - 1].mask == 0 || w->stack[w->sp - 1].pc == SIMT_PC_EXIT))
    w->sp--;
  if (w->sp > 0) stack_settle(w); /* sp == 0: done, the scheduler retires it */
}

/* ---- addresses ---- */

/* Bits set in x (a table-free count: the build targets any x86-64 and
 * arm64, where __builtin_popcount without -mpopcnt is a libgcc call). */
static inline unsigned popc32(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0fu;
  return (x * 0x01010101u) >> 24;
}

/* The uniform part of a's value for warp w: all but the lane's tid terms. */
static inline int64_t affine_uniform(const simt_affine *a, const simt_warp_ctx *w) {
  int64_t u = a->base;
  for (int i = 0; i < 3; i++) u += a->c_cta[i] * (int64_t)w->cta[i];
  for (unsigned i = 0; i < SIMT_LOOPS; i++) u += a->c_loop[i] * (int64_t)w->loop[i];
  return u;
}

/* The lanes of `mask` whose value of a (uniform part u) lies below limit:
 * simt_affine_eval(a, ctx, tid) < limit per lane.  A warp's lane tids rise
 * with the lane (launch_block), so its active tids lie in [lo, hi], the
 * first and last active lane's; over that range tid >> split lies in
 * [lo >> split, hi >> split] and tid & lomask in [lo & lomask, hi & lomask]
 * when both ends share tid >> split, else in [0, lomask].  The value's
 * bounds there decide every lane at once when the limit lies outside them
 * (a tile's interior, the body of a loop); only a warp that straddles the
 * limit is looked at lane by lane. */
static uint32_t affine_below(const simt_affine *a, int64_t u, const uint32_t *lane_tid,
                             uint32_t mask, int64_t limit) {
  if (!mask) return 0;
  uint32_t lomask = (1u << a->split_log2) - 1u;
  uint32_t lo = lane_tid[__builtin_ctz(mask)], hi = lane_tid[31 - __builtin_clz(mask)];
  int64_t hlo = (int64_t)(lo >> a->split_log2), hhi = (int64_t)(hi >> a->split_log2);
  int64_t llo = 0, lhi = (int64_t)lomask;
  if (hlo == hhi) {
    llo = (int64_t)(lo & lomask);
    lhi = (int64_t)(hi & lomask);
  }
  int64_t a1 = a->c_lo * llo, a2 = a->c_lo * lhi, b1 = a->c_hi * hlo, b2 = a->c_hi * hhi;
  int64_t vmax = u + (a1 > a2 ? a1 : a2) + (b1 > b2 ? b1 : b2);
  if (vmax < limit) return mask;
  int64_t vmin = u + (a1 < a2 ? a1 : a2) + (b1 < b2 ? b1 : b2);
  if (vmin >= limit) return 0;
  uint32_t t = 0;
  for (uint32_t m = mask; m;) {
    unsigned l = (unsigned)__builtin_ctz(m);
    m &= m - 1;
    uint32_t tid = lane_tid[l];
    if (u + a->c_lo * (int64_t)(tid & lomask) + a->c_hi * (int64_t)(tid >> a->split_log2) < limit)
      t |= 1u << l;
  }
  return t;
}

/* Fills addr[] for the lanes of mask (a generated kernel's instruction) and
 * returns those its guards leave.  *lin is set to the instruction's affine
 * address when every lane's address came from it in a whole warp whose
 * lanes run tids t0 .. t0 + 31 with t0 a multiple of 32 (launch_block gives
 * lane l tid warp * warp_size + l): lane l's address is then addr[0] +
 * c_lo * (l mod 2^s) + c_hi * (l div 2^s), s = min(split, 5), whatever
 * the warp, so the relative addresses are a function of (c_lo, c_hi,
 * split) alone.  All 32 lanes are filled then (sums, no products per
 * lane); the others' addresses are not read. */
static uint32_t lane_addrs(const simt_inst *in, const warp_t *w, uint32_t mask, uint64_t *addr,
                           const void *arg, const simt_affine **lin) {
  *lin = NULL;
  if (in->addr_fn) mask = in->addr_fn(in, &w->ctx, mask, addr, arg);
  else {
    /* uniform part once, the lane part per lane */
    const simt_affine *a = &in->addr;
    int64_t u = affine_uniform(a, &w->ctx);
    uint32_t lomask = (1u << a->split_log2) - 1u;
    uint32_t t0 = w->lane_tid[0];
    if (w->ctx.warp_size == 32 && (t0 & 31u) == 0) {
      /* split >= 5: tid >> split is the warp's own, tid & lomask runs
       * (t0 & lomask) + l (no carry: t0 & lomask is a multiple of 32 below
       * lomask); split < 5: rows of 2^split lanes, tid >> split one more
       * per row (t0 is a multiple of 2^split) */
      bool rows = a->split_log2 < 5;
      unsigned row = rows ? 1u << a->split_log2 : 32u;
      /* the same sums modulo 2^64, in unsigned arithmetic */
      uint64_t b = (uint64_t)(u + a->c_lo * (int64_t)(t0 & lomask) +
                              a->c_hi * (int64_t)(t0 >> a->split_log2));
      uint64_t dh = rows ? (uint64_t)a->c_hi : 0, dl = (uint64_t)a->c_lo;
      if (row == 32 || row == 1) { /* one step from lane to lane: a loop of 32, vectorized */
        uint64_t step = row == 32 ? dl : dh;
        for (unsigned l = 0; l < 32; l++, b += step) addr[l] = b;
      } else {
        for (unsigned l = 0; l < 32; l += row, b += dh) {
          uint64_t v = b;
          for (unsigned j = 0; j < row; j++, v += dl) addr[l + j] = v;
        }
      }
      *lin = a;
    } else {
      for (uint32_t m = mask; m;) {
        unsigned l = (unsigned)__builtin_ctz(m);
        m &= m - 1;
        uint32_t tid = w->lane_tid[l];
        addr[l] = (uint64_t)(u + a->c_lo * (int64_t)(tid & lomask) +
                             a->c_hi * (int64_t)(tid >> a->split_log2));
      }
    }
  }
  /* simt_affine_eval's sum, its uniform part once: the lanes at or past a
   * guard's limit are masked off */
  for (unsigned gi = 0; gi < in->nguard; gi++)
    mask = affine_below(&in->guard[gi], affine_uniform(&in->guard[gi], &w->ctx), w->lane_tid,
                        mask, in->limit[gi]);
  return mask;
}

static uint32_t eval_branch(simt_inst *in, warp_t *w, uint32_t mask, const void *arg) {
  switch (in->cond) {
  case SIMT_COND_ALWAYS: return mask;
  case SIMT_COND_LOOP:
    if (++w->ctx.loop[in->loop_id] < in->trip) return mask;
    w->ctx.loop[in->loop_id] = 0;
    return 0;
  case SIMT_COND_LT:
  case SIMT_COND_GE: {
    if (in->inc_loop) w->ctx.loop[in->loop_id]++;
    uint32_t lt = affine_below(&in->guard[0], affine_uniform(&in->guard[0], &w->ctx), w->lane_tid,
                               mask, in->limit[0]);
    uint32_t t = in->cond == SIMT_COND_LT ? lt : mask & ~lt;
    if (in->inc_loop && t == 0) w->ctx.loop[in->loop_id] = 0;
    return t;
  }
  case SIMT_COND_FN: {
    if (in->inc_loop) w->ctx.loop[in->loop_id]++;
    uint32_t t = in->pred_fn(in, &w->ctx, mask, arg) & mask;
    if (in->inc_loop && t == 0) w->ctx.loop[in->loop_id] = 0;
    return t;
  }
  }
  return mask;
}

/* simt_smem_wavefronts of a generated kernel's shared access at pc, through
 * g->smemo (see smem_memo): the same figures, the bank scan once per
 * pattern. */
static unsigned smem_wavefronts(simt_gpu *g, uint32_t pc, const uint64_t *addr, uint32_t mask,
                                unsigned width, const simt_affine *lin, unsigned *floor) {
  unsigned banks = (unsigned)g->c.smem_banks;
  if (!mask) return simt_smem_wavefronts(addr, mask, width, banks, floor);
  smem_memo *e = &g->smemo[pc % SMEM_MEMO];
  uint64_t a0 = addr[__builtin_ctz(mask)];
  if (e->used && e->mask == mask && e->width == width && e->align == (a0 & 3)) {
    bool same;
    if (lin) /* lane l at addr[0] + f(l) for f of (c_lo, c_hi, split) alone */
      same = e->affine && e->c_lo == lin->c_lo && e->c_hi == lin->c_hi &&
             e->split == lin->split_log2;
    else {
      uint32_t m = mask;
      for (; m; m &= m - 1) {
        unsigned l = (unsigned)__builtin_ctz(m);
        if (addr[l] - a0 != e->off[l]) break;
      }
      same = !e->affine && !m;
    }
    if (same) {
      *floor = e->floor;
      return e->deg;
    }
  }
  unsigned deg = simt_smem_wavefronts(addr, mask, width, banks, floor);
  if (width > UINT8_MAX) return deg; /* not kept (a width never this wide) */
  e->used = 1;
  e->affine = lin != NULL;
  if (lin) {
    e->c_lo = lin->c_lo;
    e->c_hi = lin->c_hi;
    e->split = lin->split_log2;
  }
  e->mask = mask;
  e->width = (uint8_t)width;
  e->align = (uint8_t)(a0 & 3);
  e->deg = deg;
  e->floor = *floor;
  for (uint32_t m = mask; m; m &= m - 1) {
    unsigned l = (unsigned)__builtin_ctz(m);
    e->off[l] = addr[l] - a0;
  }
  return deg;
}

/* ---- one scheduler, one cycle ---- */

typedef struct {
  const simt_ihdr *h;
  simt_inst *in; /* generated kernels */
  uint32_t mask;
  uint32_t pc;
} fetched;

/* A traced warp's next chunk of lines; false when none comes (a read
 * error is kept in g->err). */
static __attribute__((noinline)) bool refill(simt_gpu *g, warp_t *w) {
  em_status s = g->k->tsrc->next(g->k->tsrc->ctx, w->tc, &g->errd);
  if (s != EM_OK) {
    g->err = s;
    w->tleft = 0;
    return false;
  }
  w->tbase += w->tcount;
  w->tcount = w->tc->n;
  w->tpos = 0;
  w->tleft = w->tc->left;
  return w->tcount > 0;
}

static inline bool fetch(simt_gpu *g, warp_t *w, fetched *f) {
  if (w->tl) {
    if (w->tpos >= w->tcount && !(w->tleft && refill(g, w))) return false;
    const simt_tline *t = &w->tl[w->tpos];
    f->h = &t->h;
    f->in = NULL;
    f->mask = t->mask;
    f->pc = (uint32_t)(w->tbase + w->tpos);
    return true;
  }
  stk_entry *top = &w->stack[w->sp - 1];
  f->in = &g->k->prog[top->pc];
  f->h = &f->in->h;
  f->mask = top->mask;
  f->pc = top->pc;
  return true;
}

/* The SM's data port took an access from scheduler s at `now`.  A warp of
 * another scheduler short of miss entries asks the port first each time it
 * is looked at, so it may find it full from now on: its scheduler steps
 * now (after s in this cycle's order) or next cycle, as it would if it
 * were looked at every cycle. */
static void port_booked(simt_gpu *g, uint32_t smi, const sched_t *s, uint64_t now) {
  sm_t *sm = &g->sms[smi];
  for (unsigned i = 0; i < g->c.n_sched; i++) {
    sched_t *o = &sm->sched[i];
    if (o == s || !sm->mshr_blocked[i]) continue;
    if (now < sm->swake[i]) sm->swake[i] = now; /* the SM's own time follows after its step */
  }
}

/* The register banks the sources of h read, distinct ones in bk[0 .. n)
 * with bcnt[] reads each (register r in bank r mod rf_banks, a register
 * named twice read once); returns n.  reuse (NULL: none) holds the
 * registers + 1 the warp's reuse caches hold per source slot, the
 * sub-core's last issue being this warp's: a slot that holds its
 * register reads the cache instead, counted in *reused. */
static unsigned oc_banks(const simt_gpu *g, const simt_ihdr *h, const uint16_t *reuse,
                         unsigned *bk, unsigned *bcnt, unsigned *reused) {
  unsigned nb = 0;
  for (unsigned i = 0; i < 3; i++) {
    uint16_t r = h->src[i];
    if (r == SIMT_REG_NONE || (i > 0 && r == h->src[0]) || (i > 1 && r == h->src[1])) continue;
    if (reuse && reuse[i] == (uint16_t)(r + 1)) {
      (*reused)++;
      continue;
    }
    unsigned b = g->rf_pow2 ? r & ((unsigned)g->c.rf_banks - 1u) : r % (unsigned)g->c.rf_banks, j;
    for (j = 0; j < nb && bk[j] != b; j++) {}
    if (j == nb) {
      bk[nb] = b;
      bcnt[nb++] = 0;
    }
    bcnt[j]++;
  }
  return nb;
}

/* The data port takes nothing from w before `open` (> now): w waits until
 * then; its instruction (which passed the scoreboard, and does so until it
 * issues) is refused for the port again if that is still closed then. */
static inline bool port_refused(simt_gpu *g, warp_t *w, simt_unit unit, bool shared,
                                uint64_t open) {
  w->ready_at = open;
  w->wait_reason = SIMT_STALL_MEM_STRUCT;
  w->wait_unit = (uint8_t)unit;
  w->port_shared = shared;
  g->retry_at = open;
  return false;
}

/* Adds n issues of h, with `lanes` active lanes in all and reused_lanes
 * operand reads from reuse caches (lanes x reused slots, summed), to st:
 * every count is a sum over issues of a linear function of those. */
static void count_issues(simt_stats *st, const simt_ihdr *h, uint64_t n, uint64_t lanes,
                         uint64_t reused_lanes) {
  simt_op op = (simt_op)h->op;
  simt_class cls = simt_op_class(op);
  st->warp_insts += n;
  st->lane_insts += lanes;
  st->class_warp_insts[cls] += n;
  st->class_lane_insts[cls] += lanes;
  st->op_lane_insts[op] += lanes;
  st->reg_reads += lanes * h->nsrc - reused_lanes;
  st->class_reg_accesses[cls] += lanes * h->nsrc - reused_lanes;
  st->reg_reuse_reads += reused_lanes;
  st->class_reg_reuse[cls] += reused_lanes;
  if (h->dst != SIMT_REG_NONE && op != SIMT_OP_STG && op != SIMT_OP_STS) {
    st->reg_writes += lanes;
    st->class_reg_accesses[cls] += lanes;
  }
  if (op == SIMT_OP_FFMA || op == SIMT_OP_DFMA) st->flops += 2ull * lanes;
  else if (op == SIMT_OP_HFMA2) st->flops += 4ull * lanes;
  else if (simt_op_unit(op) == SIMT_UNIT_TENSOR) {
    const simt_mma_info *mi = simt_mma_get(op, h->mma);
    st->flops += 2ull * mi->macs * n;
    st->tensor_flops += 2ull * mi->macs * n;
    st->tensor_macs += mi->exec_macs * n;
    st->tensor_kind_macs[mi->kind] += mi->exec_macs * n;
  } else if (op == SIMT_OP_FADD || op == SIMT_OP_FMUL) st->flops += lanes;
}

/* Executes the issue of w's instruction; returns false when the memory
 * system refused it this cycle (nothing changed). */
static inline __attribute__((always_inline)) bool execute(simt_gpu *g, uint32_t smi, uint32_t slot, warp_t *w, const fetched *f,
                    sched_t *s, uint64_t now) {
  const simt_ihdr *h = f->h;
  simt_stats *st = g->st;
  simt_op op = (simt_op)h->op;
  simt_unit unit = simt_op_unit(op);
  uint32_t mask = f->mask;
  uint64_t addr[SIMT_WARP_MAX];
  uint64_t sectors[64];

  /* The collector (below) refuses only a read that would start oc_depth
   * or more cycles from now; when no bank is booked that far, a closed port
   * is the refusal, found without working the reads out. */
  bool port_checked = false;
  if (h->space != SIMT_SPACE_NONE && s->bank_max < now + g->c.oc_depth) {
    uint64_t open = simt_mem_port_open_at(g->mem, smi, h->space == SIMT_SPACE_SHARED);
    if (open > now) return port_refused(g, w, unit, h->space == SIMT_SPACE_SHARED, open);
    port_checked = true;
  }
  /* Operand collector: the sources are read from the sub-core's register
   * banks (oc_banks), rf_bank_reads per bank per cycle, after the reads
   * already booked there; the instruction waits in a collector meanwhile,
   * and cannot issue while the reads it needs could start only oc_depth or
   * more cycles from now (the collectors are full).  Reads beyond one cycle
   * delay its result and its unit.  A generated kernel's instruction reads
   * the same banks at every issue but one that reuses an operand: those of
   * its pc, worked out once (g->ocm). */
  unsigned bk[3], bcnt[3], nb, reused = 0;
  bool same_warp = g->c.rf_reuse && s->last == slot;
  if (f->in && !same_warp) {
    const oc_memo *m = &g->ocm[f->pc];
    nb = m->nb;
    for (unsigned j = 0; j < 3; j++) {
      bk[j] = m->bk[j];
      bcnt[j] = m->bcnt[j];
    }
  } else
    nb = oc_banks(g, h, same_warp ? w->reuse : NULL, bk, bcnt, &reused);
  uint64_t operands = now + 1, bfin[3]; /* bfin: each bank's reads done */
  for (unsigned j = 0; j < nb; j++) {
    uint64_t bstart = s->bank_free[bk[j]] > now ? s->bank_free[bk[j]] : now;
    if (bstart >= now + g->c.oc_depth) {
      g->refused = SIMT_STALL_PIPE_BUSY;
      return false;
    }
    bfin[j] = bstart + g->rf_cyc[bcnt[j]];
    if (bfin[j] > operands) operands = bfin[j];
  }
  uint64_t extra = operands - (now + 1);

  if (h->space != SIMT_SPACE_NONE) {
    if (!port_checked) {
      uint64_t open = simt_mem_port_open_at(g->mem, smi, h->space == SIMT_SPACE_SHARED);
      if (open > now) return port_refused(g, w, unit, h->space == SIMT_SPACE_SHARED, open);
    }
    /* a load refused for miss entries is refused until enough are free:
     * no need to work its addresses out again every cycle, nor to look at
     * it before DRAM frees some (simt_mem wakes the SM then) */
    if (w->mshr_need && simt_mem_mshr_free(g->mem, smi) < w->mshr_need) {
      simt_mem_wake_on_mshr(g->mem, smi, w->mshr_need, &g->wq);
      g->retry_at = NEVER;
      g->sms[smi].mshr_blocked[s->id] = 1;
      if (w->mshr_need < s->mshr_need) s->mshr_need = w->mshr_need;
      return false;
    }
    const simt_affine *lin = NULL;
    if (f->in) mask = lane_addrs(f->in, w, mask, addr, g->k->arg, &lin);
    else {
      const uint64_t *ta = w->ta + w->tl[w->tpos].addr_off;
      for (uint32_t m = mask; m;) {
        unsigned l = (unsigned)__builtin_ctz(m);
        m &= m - 1;
        addr[l] = *ta++;
      }
      /* ldmatrix .x1 / .x2: only the lanes that give row addresses read */
      if (w->tl[w->tpos].amask) mask &= w->tl[w->tpos].amask;
    }
    if (op == SIMT_OP_ATOMG || op == SIMT_OP_RED) { /* done in the L2 slices */
      /* a reduction (no register waits for it) still keeps its warp from
       * retiring until it is done, as a store does until acknowledged */
      bool ret = op == SIMT_OP_ATOMG && h->dst != SIMT_REG_NONE;
      if (!simt_mem_atomic(g->mem, smi, now, addr, mask, h->width,
                           ret ? &w->reg_ready[h->dst] : NULL, &w->mw))
        return false;
      if (ret) w->reg_mem[h->dst] = 1;
    } else if (h->space == SIMT_SPACE_GLOBAL) {
      /* an affine address one width apart from lane to lane (lane_addrs'
       * lin: lane l at addr[0] + c_lo l, or + c_hi l for split 0) over a
       * run of lanes is the range simt_coalesce would find after checking
       * every lane's step */
      unsigned n = 0;
      if (lin && mask && h->width &&
          ((lin->split_log2 >= 5 && lin->c_lo == (int64_t)h->width) ||
           (lin->split_log2 == 0 && lin->c_hi == (int64_t)h->width))) {
        unsigned l0 = (unsigned)__builtin_ctz(mask);
        uint32_t run = mask >> l0;
        if (!(run & (run + 1)))
          n = simt_coalesce_range(addr[l0], 32u - (unsigned)__builtin_clz(run), h->width, sectors);
      }
      if (n == 0) n = simt_coalesce(addr, mask, h->width, sectors);
      if (op == SIMT_OP_LDG) {
        if (n == 0) w->reg_ready[h->dst] = now + 1;
        else if (!simt_mem_load(g->mem, smi, now, sectors, n, h->bypass_l1 != 0,
                                &w->reg_ready[h->dst], &w->mw)) {
          w->mshr_need = n; /* the port was open: the miss entries were short */
          simt_mem_wake_on_mshr(g->mem, smi, n, &g->wq);
          g->retry_at = NEVER;
          g->sms[smi].mshr_blocked[s->id] = 1;
          if (n < s->mshr_need) s->mshr_need = n;
          return false;
        }
        w->mshr_need = 0;
        w->reg_mem[h->dst] = 1;
        st->gld_requests++;
        st->gld_sectors += n;
      } else {
        uint64_t ack = 0;
        if (n && !simt_mem_store(g->mem, smi, now, sectors, n, &ack)) {
          /* the port was open: a channel is full of write-backs.  The
           * warp waits (as for a closed port) until the channel holds one
           * fewer, or, none on its bus yet, until simt_mem wakes the SM, as
           * for miss entries: its schedulers with such a warp then step
           * whenever the SM does */
          uint64_t at = simt_mem_wake_on_writeback(g->mem, smi, &g->wq);
          if (at == 0) return false;
          if (at != NEVER) return port_refused(g, w, unit, false, at);
          g->retry_at = NEVER;
          g->sms[smi].mshr_blocked[s->id] = 1;
          s->mshr_need = 0;
          return false;
        }
        /* the warp retires once its stores are acknowledged (GPGPU-Sim's
         * hardware_done waits for stores_done): its exit waits as for a
         * load's data */
        if (ack > w->mw.last_ready) w->mw.last_ready = ack;
        st->gst_requests++;
        st->gst_sectors += n;
      }
    } else {
      unsigned floor;
      unsigned deg = smem_wavefronts(g, f->pc, addr, mask, h->width, lin, &floor);
      uint64_t t = simt_mem_shared(g->mem, smi, now, deg);
      if (t == NEVER) return false;
      if (op == SIMT_OP_LDS) {
        w->reg_ready[h->dst] = t;
        w->reg_mem[h->dst] = 0;
      }
      st->smem_requests++;
      st->smem_wavefronts += deg;
      if (op == SIMT_OP_STS) st->smem_st_wavefronts += deg;
      st->smem_conflict_cycles += deg - floor;
    }
    port_booked(g, smi, s, now);
  } else if (h->dst != SIMT_REG_NONE) {
    uint64_t done =
        now + extra + (unit == SIMT_UNIT_TENSOR && h->mma < SIMT_MMA_COUNT ? g->mma_lat[h->mma] : g->lat[unit]);
    w->reg_ready[h->dst] = done;
    w->reg_mem[h->dst] = 0;
    if (done > g->last_result) g->last_result = done;
  }
  for (unsigned j = 0; j < nb; j++) {
    s->bank_free[bk[j]] = bfin[j];
    if (bfin[j] > s->bank_max) s->bank_max = bfin[j];
  }
  st->rf_conflict_cycles += extra;
  s->unit_free[unit] =
      now + extra + (unit == SIMT_UNIT_TENSOR && h->mma < SIMT_MMA_COUNT ? g->mma_ii[h->mma] : g->ii[unit]);
  w->ready_at = now + 1;
  w->wait_reason = SIMT_STALL_EXEC_DEP;

  unsigned lanes = popc32(f->in ? mask : f->mask); /* traced: all run */
  if (f->in) { /* counted per pc, added to the stats after the run */
    pc_count *pcn = &g->pcn[f->pc];
    pcn->issues++;
    pcn->lanes += lanes;
    pcn->reused_lanes += (uint64_t)lanes * reused;
  } else
    count_issues(st, h, 1, lanes, (uint64_t)lanes * reused);
  if (g->c.rf_reuse) /* a register this instruction writes is not kept */
    for (unsigned i = 0; i < 3; i++)
      w->reuse[i] = h->src[i] == SIMT_REG_NONE || h->src[i] == h->dst ? 0 : (uint16_t)(h->src[i] + 1);

  /* control flow */
  if (w->tl) {
    if (op == SIMT_OP_BRA) {
      /* divergent: the next lanes are some, not all, of those active here */
      uint32_t here = mask | (w->tpos > 0 ? w->tl[w->tpos - 1].mask : 0);
      uint32_t next = w->tpos + 1 < w->tcount ? w->tl[w->tpos + 1].mask : 0;
      st->branches++;
      if (next && (next & ~here) == 0 && next != here) st->divergent_branches++;
      w->ready_at = now + g->lat[SIMT_UNIT_BRANCH];
      w->wait_reason = SIMT_STALL_CONTROL;
    }
    w->tpos++;
    if (op == SIMT_OP_BAR) goto barrier;
    if (op == SIMT_OP_EXIT && w->tpos >= w->tcount) w->tpos = w->tcount;
    return true;
  }
  stk_entry *top = &w->stack[w->sp - 1];
  simt_inst *in = f->in;
  switch (op) {
  case SIMT_OP_BRA: {
    st->branches++;
    uint32_t taken = eval_branch(in, w, top->mask, g->k->arg);
    uint32_t nt = top->mask & ~taken;
    w->ready_at = now + g->lat[SIMT_UNIT_BRANCH];
    w->wait_reason = SIMT_STALL_CONTROL;
    if (taken == 0) top->pc = in->next;
    else if (nt == 0) top->pc = in->target;
    else {
      st->divergent_branches++;
      if (w->sp + 2 > STACK_MAX) { /* checked before any push */
        g->err = EM_ERR_LIMIT;
        return true;
      }
      uint32_t rpc = in->reconv;
      top->pc = rpc;
      if (in->target != rpc) w->stack[w->sp++] = (stk_entry){in->target, rpc, taken};
      if (in->next != rpc) w->stack[w->sp++] = (stk_entry){in->next, rpc, nt};
      if (w->sp > st->max_stack_depth) st->max_stack_depth = w->sp;
    }
    stack_settle(w);
    return true;
  }
  case SIMT_OP_EXIT: lanes_exit(w); return true;
  case SIMT_OP_BAR:
    top->pc = in->next;
    stack_settle(w);
    goto barrier;
  default:
    if (in->next == SIMT_PC_EXIT) lanes_exit(w);
    else {
      top->pc = in->next;
      stack_settle(w);
    }
    return true;
  }
barrier: {
  sm_t *sm = &g->sms[smi];
  block_t *bl = &sm->blocks[w->block];
  w->at_bar = 1;
  if (++bl->arrived == bl->live) release_barrier(g, sm, bl, now);
  (void)slot;
  return true;
}
}

static inline bool warp_finished(const warp_t *w) {
  return w->tl ? w->tpos >= w->tcount && !w->tleft : w->sp == 0;
}

/* What a step learned from the warps that did not issue: the most advanced
 * one's stall reason, the least wake-up time, and (two-level) the first
 * warp in order that waits for a load or at a barrier. */
typedef struct {
  int reason;
  uint64_t wake;
  int32_t demote;
} scan_t;

/* Looks at warp `slot` of scheduler s at `now`: issues its instruction if
 * it can (true: the step is over, an issue or an exit), else adds why not
 * to *a (false; the warp's cached state may change, nothing else). */
static inline __attribute__((always_inline)) bool look_at(simt_gpu *g, uint32_t smi, sched_t *s,
                                                          warp_t *warps, uint32_t slot,
                                                          uint64_t now, uint32_t policy,
                                                          scan_t *a, bool tracing,
                                                          simt_issue_hook hook, void *hook_arg) {
  warp_t *w = &warps[slot];
  if (w->at_bar) {
    if (a->reason > SIMT_STALL_BARRIER) a->reason = SIMT_STALL_BARRIER;
    if (policy == SIMT_SCHED_TWO_LEVEL && a->demote < 0) a->demote = (int32_t)slot;
    return false;
  }
  if (w->ready_at > now) { /* cached: nothing but its own issue changes it */
    if (w->ready_at == NEVER && s->unit_free[w->wait_unit] > now) {
      /* waits for a load, and its unit is busy: as the checks below say */
      if (a->reason > SIMT_STALL_PIPE_BUSY) a->reason = SIMT_STALL_PIPE_BUSY;
      if (s->unit_free[w->wait_unit] < a->wake) a->wake = s->unit_free[w->wait_unit];
      return false;
    }
    if (w->wait_reason < a->reason) a->reason = w->wait_reason;
    if (w->ready_at < a->wake) a->wake = w->ready_at;
    if (w->wait_reason == SIMT_STALL_MEM_DATA && policy == SIMT_SCHED_TWO_LEVEL && a->demote < 0)
      a->demote = (int32_t)slot;
    return false;
  }
  if (w->wait_reason == SIMT_STALL_PIPE_BUSY || w->wait_reason == SIMT_STALL_MEM_STRUCT) {
    /* its last look found its unit busy, or the port closed, and its time
     * came: the same instruction (nothing but its issue changes it) finds
     * its unit busy again while it is, and one refused for the port is
     * refused again, as the full look below would find, while the port
     * stays closed, its unit is free and no register read can be refused
     * (the order: unit, scoreboard (passed), collector, port) */
    if (s->unit_free[w->wait_unit] > now) {
      if (a->reason > SIMT_STALL_PIPE_BUSY) a->reason = SIMT_STALL_PIPE_BUSY;
      if (s->unit_free[w->wait_unit] < a->wake) a->wake = s->unit_free[w->wait_unit];
      w->ready_at = s->unit_free[w->wait_unit];
      w->wait_reason = SIMT_STALL_PIPE_BUSY;
      return false;
    }
    if (w->wait_reason == SIMT_STALL_MEM_STRUCT && s->bank_max < now + g->c.oc_depth) {
      uint64_t open = simt_mem_port_open_at(g->mem, smi, w->port_shared);
      if (open > now) {
        w->ready_at = open;
        if (a->reason > SIMT_STALL_MEM_STRUCT) a->reason = SIMT_STALL_MEM_STRUCT;
        if (open < a->wake) a->wake = open;
        return false;
      }
    }
  }
  fetched f;
  if (warp_finished(w) || !fetch(g, w, &f)) {
    /* traced warp ran out of lines: it exits when its loads, stores and
     * reductions are done */
    if (w->mw.pending == 0 && w->mw.last_ready <= now) {
      warp_exit(g, smi, slot, now);
      return true;
    }
    if (a->reason > SIMT_STALL_MEM_DATA) a->reason = SIMT_STALL_MEM_DATA;
    if (w->mw.pending == 0 && w->mw.last_ready < a->wake) a->wake = w->mw.last_ready;
    return false;
  }
  const simt_ihdr *h = f.h;
  simt_unit unit = (simt_unit)g->op_unit[h->op];
  if (s->unit_free[unit] > now) {
    if (a->reason > SIMT_STALL_PIPE_BUSY) a->reason = SIMT_STALL_PIPE_BUSY;
    if (s->unit_free[unit] < a->wake) a->wake = s->unit_free[unit];
    /* cached until then: the unit's free time only grows (an issue sets it
     * when it has passed), and this check comes before the scoreboard, so
     * a look before then would find PIPE_BUSY again (with a wake-up time no
     * earlier than this one: the step may come early, never late) */
    w->ready_at = s->unit_free[unit];
    w->wait_reason = SIMT_STALL_PIPE_BUSY;
    w->wait_unit = (uint8_t)unit;
    return false;
  }
  /* scoreboard */
  uint64_t t = 0;
  bool mem = false;
  for (unsigned i = 0; i < 3; i++) {
    uint16_t r = h->src[i];
    if (r == SIMT_REG_NONE) continue;
    if (w->reg_ready[r] > t) t = w->reg_ready[r];
    if (w->reg_ready[r] > now && w->reg_mem[r]) mem = true;
  }
  if (h->dst != SIMT_REG_NONE) {
    if (w->reg_ready[h->dst] > t) t = w->reg_ready[h->dst];
    if (w->reg_ready[h->dst] > now && w->reg_mem[h->dst]) mem = true;
  }
  if (h->op == SIMT_OP_EXIT && (w->mw.pending || w->mw.last_ready > now)) {
    mem = true;
    if (w->mw.last_ready > t) t = w->mw.pending ? NEVER : w->mw.last_ready;
  }
  if (t > now) {
    int r = mem ? SIMT_STALL_MEM_DATA : SIMT_STALL_EXEC_DEP;
    if (r < a->reason) a->reason = r;
    if (t < a->wake) a->wake = t;
    if (mem && policy == SIMT_SCHED_TWO_LEVEL && a->demote < 0) a->demote = (int32_t)slot;
    /* a known time stays valid until this warp issues; an unknown one
     * until a load's time becomes known (simt_mem resets it then) */
    w->ready_at = t;
    w->wait_reason = (uint8_t)r;
    w->wait_unit = (uint8_t)unit;
    return false;
  }
  g->refused = SIMT_STALL_MEM_STRUCT;
  g->retry_at = now + 1;
  if (!execute(g, smi, slot, w, &f, s, now)) {
    if (a->reason > g->refused) a->reason = g->refused;
    if (g->retry_at < a->wake) a->wake = g->retry_at;
    return false;
  }
  if (tracing) hook(hook_arg, now, smi, slot, f.pc, (simt_op)h->op, f.mask);
  g->issued++;
  s->last = slot;
  if (warp_finished(w) && w->mw.pending == 0 && w->mw.last_ready <= now)
    warp_exit(g, smi, slot, now);
  s->last_reason = SIMT_STALL_EXEC_DEP; /* never used for an issue cycle */
  return true;
}

/* fast: looks at warp `slot`, then takes it out of the scan if it now
 * waits at a barrier or for a known time. */
static inline __attribute__((always_inline)) bool look_settle(simt_gpu *g, uint32_t smi,
                                                              sched_t *s, warp_t *warps,
                                                              uint32_t slot, uint64_t now,
                                                              uint32_t policy, scan_t *a,
                                                              bool tracing, simt_issue_hook hook,
                                                              void *hook_arg) {
  bool done = look_at(g, smi, s, warps, slot, now, policy, a, tracing, hook, hook_arg);
  /* after an exit the slot may hold a new warp: settling it is as right */
  settle(s, &warps[slot], slot, now);
  return done;
}

/* fast, more than 64 warps: the W_LOOK warps at places [lo, hi), in order;
 * true when one issued or exited. */
static __attribute__((noinline)) bool look_range(simt_gpu *g, uint32_t smi, sched_t *s,
                                                 uint32_t lo, uint32_t hi, uint64_t now,
                                                 uint32_t policy, scan_t *a, bool tracing,
                                                 simt_issue_hook hook, void *hook_arg) {
  for (uint32_t wi = lo / 64; wi * 64 < hi; wi++) {
    uint64_t bits = s->look[wi]; /* a warp looked at changes no bit but its own */
    if (wi == lo / 64) bits &= ~0ull << (lo % 64);
    if (hi - wi * 64 < 64) bits &= (1ull << (hi - wi * 64)) - 1;
    for (; bits; bits &= bits - 1)
      if (look_settle(g, smi, s, g->sms[smi].warps,
                      s->list[wi * 64 + (uint32_t)__builtin_ctzll(bits)], now, policy, a,
                      tracing, hook, hook_arg))
        return true;
  }
  return false;
}

/* Tries to issue from scheduler s of SM smi at `now`.  Returns the wake time
 * of this scheduler (now + 1 after an issue).
 * Fast (lrr / gto, many warps): only the W_LOOK warps are looked at, in
 * the policy's order.  A warp passed over is at a barrier or waits for a
 * known time after now; looked at, it would have added only BARRIER, or its
 * cached reason and time, to the step: nothing when a warp issues, else
 * the least of them (a step's reason and wake-up time are minima, in no
 * particular order), which the counts and the heap's top give.  Warps
 * looked at change no other warp's state unless one issues, which ends
 * the step; so the same warps issue, with the same stall reasons, as when
 * every warp is looked at in order. */
static inline __attribute__((always_inline)) uint64_t
sched_step_p(simt_gpu *g, uint32_t smi, sched_t *s, uint64_t now, uint32_t policy, bool tracing,
             simt_issue_hook hook, void *hook_arg) {
  simt_stats *st = g->st;
  /* account the cycles skipped since the last step */
  if (s->stepped && now > s->last_time + 1) st->stall[s->last_reason] += now - s->last_time - 1;
  s->stepped = 1;
  s->last_time = now;
  s->mshr_need = UINT32_MAX; /* (its flag in sm_t.mshr_blocked: cleared by the caller) */
  if (s->n == 0) {
    st->stall[SIMT_STALL_IDLE]++;
    s->last_reason = SIMT_STALL_IDLE;
    return NEVER;
  }
  scan_t a = {SIMT_STALL_COUNT, NEVER, -1};
  uint32_t limit = s->n;
  warp_t *warps = g->sms[smi].warps;
  if (g->fast) {
    /* the timed warps whose time came are looked at again */
    while (s->nheap && s->heap[0].t <= now) {
      timed_t e = heap_pop(s);
      s->ntimed[e.why]--;
      unsettle(s, &warps[e.slot]);
    }
    bool last_live = s->last != UINT32_MAX && warps[s->last].live;
    uint32_t start = 0;
    if (policy == SIMT_SCHED_GTO) {
      /* the last issued warp first, then all in age order (it again too) */
      if (last_live &&
          look_settle(g, smi, s, warps, s->last, now, policy, &a, tracing, hook, hook_arg))
        goto issued;
    } else if (last_live) { /* lrr: from the warp after the last issued one */
      start = warps[s->last].pos + 1;
    }
    if (s->n <= 64) { /* one word: places start.., then ..start */
      uint64_t bits = s->look[0]; /* a warp looked at changes no bit but its own */
      uint64_t below = start < 64 ? bits & ((1ull << start) - 1) : bits;
      for (bits ^= below;; bits = below, below = 0) {
        for (; bits; bits &= bits - 1)
          if (look_settle(g, smi, s, warps, s->list[__builtin_ctzll(bits)], now, policy, &a,
                          tracing, hook, hook_arg))
            goto issued;
        if (!below) break;
      }
    } else if (look_range(g, smi, s, start, s->n, now, policy, &a, tracing, hook, hook_arg) ||
               look_range(g, smi, s, 0, start, now, policy, &a, tracing, hook, hook_arg))
      goto issued;
    if (s->nheap) {
      int r = 0;
      while (!s->ntimed[r]) r++;
      if (r < a.reason) a.reason = r;
      if (s->heap[0].t < a.wake) a.wake = s->heap[0].t;
    }
    if (s->nbar && a.reason > SIMT_STALL_BARRIER) a.reason = SIMT_STALL_BARRIER;
  } else { /* every warp, in order */
    uint32_t start = 0;
    if (policy != SIMT_SCHED_GTO) {
      if (policy == SIMT_SCHED_TWO_LEVEL && limit > g->c.two_level_active)
        limit = (uint32_t)g->c.two_level_active;
      if (s->last_pos < limit && s->list[s->last_pos] == s->last)
        start = s->last_pos + 1; /* a slot stands once in the list */
      else
        for (uint32_t i = 0; i < limit; i++)
          if (s->list[i] == s->last) {
            start = i + 1;
            break;
          }
    }
    if (policy == SIMT_SCHED_GTO) {
      for (uint32_t j = 0; j < limit + 1; j++) {
        uint32_t slot;
        if (j == 0) {
          if (s->last == UINT32_MAX || !warps[s->last].live) continue;
          slot = s->last;
        } else
          slot = s->list[j - 1];
        if (look_at(g, smi, s, warps, slot, now, policy, &a, tracing, hook, hook_arg))
          goto issued;
      }
    } else { /* places start .. limit - 1, then 0 .. start - 1 */
      uint32_t at = start < limit ? start : 0, first = at;
      do {
        if (look_at(g, smi, s, warps, s->list[at], now, policy, &a, tracing, hook, hook_arg)) {
          s->last_pos = at; /* checked before it is used */
          goto issued;
        }
        if (++at == limit) at = 0;
      } while (at != first);
    }
  }
  if (a.reason == SIMT_STALL_COUNT) a.reason = SIMT_STALL_IDLE;
  st->stall[a.reason]++;
  s->last_reason = (uint8_t)a.reason;
  if (a.demote >= 0 && s->n > limit) {
    /* two-level: the waiting warp leaves the active set for the queue's end */
    sched_remove(s, warps, (uint32_t)a.demote, false);
    sched_add(s, &warps[a.demote], (uint32_t)a.demote, false);
    if (now + 1 < a.wake) a.wake = now + 1;
  }
  return a.wake;
issued:
  return now + 1;
}

/* sched_step_p with the policy a constant in each copy (its tests leave
 * every look). */
static uint64_t sched_step(simt_gpu *g, uint32_t smi, sched_t *s, uint64_t now, bool tracing,
                           simt_issue_hook hook, void *hook_arg) {
  switch (g->c.scheduler) {
  case SIMT_SCHED_GTO: return sched_step_p(g, smi, s, now, SIMT_SCHED_GTO, tracing, hook, hook_arg);
  case SIMT_SCHED_TWO_LEVEL:
    return sched_step_p(g, smi, s, now, SIMT_SCHED_TWO_LEVEL, tracing, hook, hook_arg);
  default: return sched_step_p(g, smi, s, now, SIMT_SCHED_LRR, tracing, hook, hook_arg);
  }
}

/* The schedulers (bits) of the first n of sm that may step at `now`: their
 * time has come, or a warp of theirs waits for miss entries.  n: n_sched,
 * a constant where the caller can (the loop unrolls). */
static inline uint32_t sched_due(const sm_t *sm, unsigned n, uint64_t now) {
  uint32_t v = 0;
  for (unsigned s = 0; s < n; s++) v |= (uint32_t)(sm->swake[s] <= now) << s;
  uint64_t blocked; /* all eight flags at once: mostly none is set */
  memcpy(&blocked, sm->mshr_blocked, sizeof blocked);
  if (blocked)
    for (unsigned s = 0; s < n; s++) v |= (uint32_t)sm->mshr_blocked[s] << s;
  return v;
}

/* The SM's next wake-up time: the least of its first n schedulers' and
 * wake_all (n as for sched_due). */
static inline uint64_t sched_least(const sm_t *sm, unsigned n) {
  uint64_t w = sm->wake_all;
  for (unsigned s = 0; s < n; s++) /* (a conditional move: which is least is not predictable) */
    w = sm->swake[s] < w ? sm->swake[s] : w;
  return w;
}

/* The error of a kernel past max_warp_insts: `insts` warp instructions,
 * which it has issued (how: "stopped after"), or must issue at least. */
static em_status too_large(em_diag *d, const simt_kernel *k, const simt_config *c,
                           uint64_t insts, const char *how) {
  return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0,
                     "kernel '%s' is too large to simulate: %s %llu warp instructions, "
                     "over max_warp_insts (%llu), a GPU key that raises the limit; "
                     "'emlsim analyze' gives its closed-form cost",
                     k->name, how, (unsigned long long)insts,
                     (unsigned long long)c->max_warp_insts);
}

em_status simt_gpu_check_kernel(const simt_config *c, const simt_kernel *k,
                                const simt_occupancy *occ, uint64_t least, em_diag *d) {
  if (occ->blocks_per_sm == 0)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "kernel '%s': one block (%u threads, %u registers, %llu bytes shared) "
                       "does not fit an SM (limited by %s)", k->name, k->block_threads,
                       k->regs_per_thread, (unsigned long long)k->smem_bytes,
                       simt_limit_name(occ->limiter));
  if (occ->warps_per_block > 64)
    return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                       "kernel '%s': a block of %u threads is %llu warps of %llu (warp_size), "
                       "more than the 64 a block may have",
                       k->name, k->block_threads, (unsigned long long)occ->warps_per_block,
                       (unsigned long long)c->warp_size);
  if (least > c->max_warp_insts) return too_large(d, k, c, least, "it would issue at least");
  return EM_OK;
}

static em_status run_loop(simt_gpu *g, bool tracing, simt_issue_hook hook, void *hook_arg,
                          em_diag *d) {
  const simt_config *c = &g->c;
  simt_wakeq *q = &g->wq;
  unsigned ns = (unsigned)c->n_sched;
  uint32_t all = (1u << ns) - 1u; /* n_sched <= SIMT_SCHED_MAX = 8 */
  uint64_t due[SIMT_WAKE_SM_MAX / 64];
  uint64_t now = 0;
  for (;;) {
    /* wq.least: no SM wakes before it (SMs lower it as they lower their
     * own wake-up times), so cycles in which only DRAM works skip the SMs */
    if (q->least <= now) {
      q->least = NEVER; /* the memory may lower it meanwhile */
      unsigned rot = (unsigned)(now % ns);
      /* The SMs whose wake-up time has come, in index order: the calendar
       * gives those that may be due (the others' times are later), and of
       * those the ones that hold a block or have a wake-up time to come
       * (an SM with neither would only count idle cycles, which the
       * accounting does without it).  Stepping an SM changes no other
       * SM's time (the memory lowers them in simt_mem_advance, after). */
      simt_wakeq_drain(q, now, due);
      bool again = false; /* an SM steps again next cycle: the least time is now + 1 */
      for (uint32_t wi = 0; wi < q->nw; wi++)
        for (uint64_t bits = due[wi] & g->active[wi]; bits; bits &= bits - 1) {
          uint32_t i = wi * 64 + (uint32_t)__builtin_ctzll(bits);
          if (q->at[i] > now) continue; /* a stale bit: its time was put later */
          sm_t *sm = &g->sms[i];
          /* A scheduler steps when its wake-up time comes (its warps' own
           * times; 0 when a load's unknown time became known; the cycle the
           * port took another's access, while a warp of it waits for miss
           * entries), when such a warp's entries are free at its turn, and
           * with all of the SM's when something they share changed (a
           * barrier, a new block).  Stepped at any other cycle it would
           * change nothing: same warps cached, no issue, the same stall
           * reason as its last step (the cycles between count as that). */
          bool all_now = sm->wake_all <= now;
          g->step_all = all_now;
          if (all_now) sm->wake_all = NEVER;
          /* While it steps, its own time is left at 0, below anything the
           * steps lower it to: what they lower (a load's data time, the
           * port's booking, a barrier, a new block) lowers swake or
           * wake_all too, which give its time after. */
          q->at[i] = 0;
          /* the sub-cores reach the SM's shared ports (the L1 / shared-memory
           * data port) in an order that rotates each cycle: round-robin
           * arbitration, so no sub-core's warps are served first every time:
           * schedulers rot .. n_sched - 1, then 0 .. rot - 1.  visit: those
           * that may step (a step of this SM's changes no other scheduler's
           * time but one short of miss entries, visited, or makes all step). */
          uint32_t visit = all_now ? all : ns == 4 ? sched_due(sm, 4, now) : sched_due(sm, ns, now);
          uint32_t low = (1u << rot) - 1u;
          uint32_t todo = visit & ~low, wrap = visit & low;
          for (;;) {
            if (!todo) {
              if (!wrap) break;
              todo = wrap;
              wrap = 0;
            }
            unsigned s = (unsigned)__builtin_ctz(todo);
            todo &= todo - 1;
            sched_t *sc = &sm->sched[s];
            bool go = g->step_all || sm->swake[s] <= now;
            if (!go && sm->mshr_blocked[s]) {
              /* its warps short of miss entries would be looked at now: they
               * go on if enough are free, else they ask again to be woken */
              if (simt_mem_mshr_free(g->mem, i) >= sc->mshr_need) go = true;
              else simt_mem_wake_on_mshr(g->mem, i, sc->mshr_need, q);
            }
            if (go) {
              sm->swake[s] = NEVER;
              sm->mshr_blocked[s] = 0; /* the step finds out again */
              uint64_t w = sched_step(g, i, sc, now, tracing, hook, hook_arg);
              if (w < sm->swake[s]) sm->swake[s] = w;
              /* a barrier opened or a block came (g->step_all): every
               * scheduler after it steps too.  Both lower wake_all, which
               * was NEVER (wake_all <= now at every step of an SM whose
               * wake_all was lowered, as its time is lowered with it) */
              if (!all_now && sm->wake_all != NEVER) {
                all_now = true;
                uint32_t after = all & ~((2u << s) - 1u);
                if (s >= rot) {
                  todo |= after;
                  wrap = low;
                } else
                  todo |= after & low;
              }
            }
          }
          if (g->err != EM_OK) {
            if (g->errd.msg[0]) { /* a traced warp could not be read */
              *d = g->errd;
              return g->err;
            }
            return em_diag_set(d, g->err, NULL, 0, 0,
                               "kernel '%s': the reconvergence stack overflows %u entries",
                               g->k->name, STACK_MAX);
          }
          uint64_t wake = ns == 4 ? sched_least(sm, 4) : sched_least(sm, ns);
          q->at[i] = wake;
          if (wake <= now + 1) { /* the wheel's first cycle: simt_wakeq_put's first case */
            q->soon[wi] |= 1ull << (i % 64);
            again = true;
          } else if (wake != NEVER)
            simt_wakeq_put(q, i, wake);
          else if (sm->resident == 0)
            g->active[wi] &= ~(1ull << (i % 64));
        }
      uint64_t least = again ? now + 1 : simt_wakeq_next(q);
      if (least < q->least) q->least = least;
    }
    uint64_t next = simt_mem_advance(g->mem, now);
    /* done when every block is (a warp retires only once its reductions
     * are done: one waiting for DRAM keeps its block, and the memory, running) */
    if (g->blocks_done == g->blocks_total) break;
    if (q->least < next) next = q->least;
    if (simt_mem_out_of_memory(g->mem))
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0,
                         "kernel '%s': out of memory for the GPU memory model's queues at "
                         "cycle %llu", g->k->name, (unsigned long long)now);
    if (next == NEVER)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                         "kernel '%s' deadlocks at cycle %llu (a barrier not every warp "
                         "reaches?)", g->k->name, (unsigned long long)now);
    if (g->issued > c->max_warp_insts)
      return too_large(d, g->k, c, g->issued, "stopped after");
    now = next > now ? next : now + 1;
  }
  return EM_OK;
}

/* The fewest warp instructions a warp of k issues from its program's first
 * to an exit: the shortest path through the control flow, each
 * instruction's fall-through and a branch's target both open (a uniform
 * loop's body counted once), breadth first.  Every warp walks such a path
 * at least (divergent lanes walk both sides, never fewer); 1 where it
 * cannot be worked out. */
static uint64_t fewest_per_warp(const simt_kernel *k) {
  if (!k->prog || k->n_inst == 0) return 1;
  uint32_t n = k->n_inst, *dist = malloc(n * sizeof *dist), *queue = malloc(n * sizeof *queue);
  uint64_t best = 1;
  if (dist && queue) {
    for (uint32_t i = 0; i < n; i++) dist[i] = UINT32_MAX;
    uint32_t head = 0, tail = 0;
    dist[0] = 1;
    queue[tail++] = 0;
    while (head < tail) {
      uint32_t u = queue[head++];
      const simt_inst *in = &k->prog[u];
      if (in->h.op == SIMT_OP_EXIT || in->next == SIMT_PC_EXIT) {
        best = dist[u]; /* breadth first: the first exit is the nearest */
        break;
      }
      uint32_t succ[2] = {in->next, in->h.op == SIMT_OP_BRA ? in->target : SIMT_PC_EXIT};
      for (int j = 0; j < 2; j++)
        if (succ[j] < n && dist[succ[j]] == UINT32_MAX) {
          dist[succ[j]] = dist[u] + 1;
          queue[tail++] = succ[j];
        }
    }
  }
  free(dist);
  free(queue);
  return best;
}

void simt_span_text(double lo, double hi, char *buf, size_t size) {
  double u = hi < 120 ? 1 : hi < 7200 ? 60 : 3600;
  snprintf(buf, size, "%.0f to %.0f %s", lo / u, hi / u,
           u == 1 ? "seconds" : u == 60 ? "minutes" : "hours");
}

bool simt_insts_note(const char *what, uint64_t n, char *buf, size_t size) {
  if (n <= SIMT_NOTE_INSTS) return false;
  char span[64];
  simt_span_text((double)n / SIMT_RATE_HI, (double)n / SIMT_RATE_LO, span, sizeof span);
  snprintf(buf, size, "%s at least %llu warp instructions: expect %s at the model's "
           "%.0f to %.0f M a second on one core", what, (unsigned long long)n, span,
           SIMT_RATE_LO / 1e6, SIMT_RATE_HI / 1e6);
  return true;
}

uint64_t simt_kernel_insts_at_least(const simt_config *c, const simt_kernel *k) {
  if (k->tsrc) return k->n_tlines;
  uint64_t warps;
  if (!em_mul_u64((uint64_t)k->grid[0] * k->grid[1], k->grid[2], &warps) ||
      !em_mul_u64(warps, simt_occupancy_compute(c, k).warps_per_block, &warps))
    return UINT64_MAX;
  /* every warp issues its program's shortest path at least (one
   * instruction a warp was the bound: a skinny GEMM of 2^31 rows issues
   * 188 a warp, and ran an hour unannounced) */
  if (!em_mul_u64(warps, fewest_per_warp(k), &warps)) return UINT64_MAX;
  /* the widest MMA the program issues: its multiply-adds (0: none) */
  uint64_t widest = 0;
  for (uint32_t i = 0; k->prog && i < k->n_inst; i++) {
    simt_op op = k->prog[i].h.op;
    if (op != SIMT_OP_HMMA && op != SIMT_OP_HMMASP) continue;
    uint64_t macs = simt_mma_get(op, k->prog[i].h.mma)->macs;
    if (macs > widest) widest = macs;
  }
  uint64_t tensor = widest && !k->tensor_flops ? k->flops
                    : k->tensor_flops < k->flops ? k->tensor_flops : k->flops;
  /* on the CUDA cores a lane does at most 2 flops an instruction (an
   * FFMA), 4 in an HFMA2 (half_flops); the bound took 4 for every flop, and
   * VGG-16's note said 15 s to 2 minutes of a run that took 153 s */
  uint64_t cuda = k->flops - tensor;
  uint64_t half = k->half_flops < cuda ? k->half_flops : cuda;
  uint64_t work = (cuda - half) / (2 * c->warp_size) + half / (4 * c->warp_size) +
                  (widest ? tensor / (2 * widest) : 0);
  return work > warps ? work : warps;
}

em_status simt_gpu_run(simt_gpu *g, const simt_kernel *k, simt_issue_hook hook,
                       void *hook_arg, simt_stats *st, em_diag *d) {
  const simt_config *c = &g->c;
  memset(st, 0, sizeof *st);
  snprintf(st->kernel, sizeof st->kernel, "%s", k->name);
  st->warp_size = c->warp_size;
  if (k->block_threads == 0 || k->grid[0] == 0 || k->grid[1] == 0 || k->grid[2] == 0)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "kernel '%s' has an empty grid", k->name);
  simt_occupancy occ = simt_occupancy_compute(c, k);
  st->occ = occ;
  em_status cst = simt_gpu_check_kernel(c, k, &occ, 0, d);
  if (cst != EM_OK) return cst;
  if (!k->prog && !k->tsrc)
    return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "kernel '%s' has no program", k->name);
  uint64_t total;
  if (!em_mul_u64((uint64_t)k->grid[0] * k->grid[1], k->grid[2], &total))
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, 0, 0, "kernel '%s': grid too large", k->name);
  /* the program's tensor-core instructions, for the checks of the tensor
   * cores below */
  bool mma = false, sparse_mma = false;
  for (uint32_t i = 0; k->prog && i < k->n_inst; i++) {
    mma |= k->prog[i].h.op == SIMT_OP_HMMA || k->prog[i].h.op == SIMT_OP_HMMASP;
    sparse_mma |= k->prog[i].h.op == SIMT_OP_HMMASP;
  }
  uint64_t least = simt_kernel_insts_at_least(c, k);
  if (least > c->max_warp_insts) return too_large(d, k, c, least, "it would issue at least");
  if (k->prog) {
    if (mma && c->tensor_units == 0)
      return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                         "kernel '%s' uses HMMA but the GPU has no tensor cores", k->name);
  } else if (c->tensor_units == 0 && k->tfirst_mma) {
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "kernel '%s' uses HMMA (trace line %llu of its warps) but the GPU "
                       "has no tensor cores",
                       k->name, (unsigned long long)k->tfirst_mma);
  }
  if (!c->sparse_tensor && (sparse_mma || (k->tsrc && k->tfirst_sparse)))
    return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                       "kernel '%s' uses 2:4 sparse MMA but the GPU's tensor cores do not "
                       "run it (sparse_tensor = 0; Ampere and later do)",
                       k->name);
  em_status ast = simt_kernel_check_arch(k, (unsigned)c->sm_arch, d);
  if (ast != EM_OK) return ast;
  uint64_t regs = k->regs_per_thread ? k->regs_per_thread : 1;
  if (k->tsrc && regs < 256) regs = 256; /* traces name registers up to R255 */
  if (k->tsrc && !g->cursors) {
    g->cursors = calloc((size_t)c->n_sm * g->max_warps, sizeof *g->cursors);
    if (!g->cursors)
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory for the trace's warps");
  }
  size_t cells = (size_t)c->n_sm * g->max_warps * regs;
  if (g->reg_pool_regs != regs) {
    free(g->reg_pool);
    free(g->regmem_pool);
    g->reg_pool = malloc(cells * sizeof *g->reg_pool);
    g->regmem_pool = malloc(cells);
    g->reg_pool_regs = g->reg_pool && g->regmem_pool ? regs : 0;
    if (!g->reg_pool_regs)
      return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory for registers");
  }
  /* per-unit latency and initiation interval (the opcode table gives the unit) */
  uint64_t ws = c->warp_size;
  g->lat[SIMT_UNIT_FP32] = (uint32_t)c->lat_fp32;
  g->lat[SIMT_UNIT_INT] = (uint32_t)c->lat_int;
  g->lat[SIMT_UNIT_FP16] = (uint32_t)c->lat_fp16;
  g->lat[SIMT_UNIT_FP64] = (uint32_t)c->lat_fp64;
  g->lat[SIMT_UNIT_SFU] = (uint32_t)c->lat_sfu;
  g->lat[SIMT_UNIT_TENSOR] = (uint32_t)c->lat_tensor;
  g->lat[SIMT_UNIT_LDST] = 1;
  g->lat[SIMT_UNIT_BRANCH] = (uint32_t)c->lat_branch;
  g->ii[SIMT_UNIT_FP32] = (uint32_t)em_ceil_div_u64(ws, c->fp32_lanes);
  g->ii[SIMT_UNIT_INT] = (uint32_t)em_ceil_div_u64(ws, c->int_lanes);
  g->ii[SIMT_UNIT_FP16] = (uint32_t)em_ceil_div_u64(ws, c->fp16_lanes);
  g->ii[SIMT_UNIT_FP64] = (uint32_t)em_ceil_div_u64(ws, c->fp64_lanes);
  g->ii[SIMT_UNIT_SFU] = (uint32_t)em_ceil_div_u64(ws, c->sfu_lanes);
  g->ii[SIMT_UNIT_TENSOR] = 1; /* per shape: */
  for (int m = 0; m < SIMT_MMA_COUNT; m++) {
    const simt_mma_info *mi = simt_mma_get(SIMT_OP_HMMA, (uint8_t)m);
    uint64_t ii = c->tensor_units ? em_ceil_div_u64(mi->fp16_macs, 64 * c->tensor_units) : 1;
    g->mma_ii[m] = ii ? (uint32_t)ii : 1;
    g->mma_lat[m] = m == SIMT_MMA_NONE ? (uint32_t)c->lat_tensor
                                       : simt_mma_latency((uint8_t)m, (unsigned)c->sm_arch, NULL);
  }
  g->ii[SIMT_UNIT_LDST] = (uint32_t)em_ceil_div_u64(ws, c->ldst_lanes);
  g->ii[SIMT_UNIT_BRANCH] = 1;

  if (k->prog) { /* each instruction's register banks (execute) */
    if (g->ocm_cap < k->n_inst) {
      free(g->ocm);
      free(g->pcn);
      g->ocm = malloc(k->n_inst * sizeof *g->ocm);
      g->pcn = malloc(k->n_inst * sizeof *g->pcn);
      g->ocm_cap = g->ocm && g->pcn ? k->n_inst : 0;
      if (!g->ocm_cap)
        return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory for the kernel's banks");
    }
    memset(g->pcn, 0, k->n_inst * sizeof *g->pcn);
    for (uint32_t i = 0; i < k->n_inst; i++) {
      unsigned bk[3] = {0, 0, 0}, bcnt[3] = {0, 0, 0}, reused = 0;
      oc_memo *m = &g->ocm[i];
      m->nb = (uint8_t)oc_banks(g, &k->prog[i].h, NULL, bk, bcnt, &reused);
      for (unsigned j = 0; j < 3; j++) {
        m->bk[j] = (uint8_t)bk[j];
        m->bcnt[j] = (uint8_t)bcnt[j];
      }
    }
  }
  simt_mem_reset(g->mem);
  g->k = k;
  g->occ = occ;
  g->st = st;
  g->err = EM_OK;
  em_diag_clear(&g->errd);
  g->next_block = g->blocks_done = g->age = g->last_exit = g->issued = g->last_result = 0;
  g->blocks_total = total;
  /* lrr and gto keep the waiting warps out of the scan where that pays:
   * more than FAST_MIN_WARPS warps per scheduler at the start (a few warps
   * are looked at faster one by one).  Either way the same warps issue. */
  uint64_t per_sm = em_ceil_div_u64(total, c->n_sm);
  if (per_sm > occ.blocks_per_sm) per_sm = occ.blocks_per_sm;
  g->fast = c->scheduler != SIMT_SCHED_TWO_LEVEL &&
            per_sm * occ.warps_per_block > (uint64_t)FAST_MIN_WARPS * c->n_sched;
  simt_wakeq_reset(&g->wq);
  memset(g->active, 0, (c->n_sm + 63) / 64 * sizeof *g->active);
  for (uint32_t i = 0; i < c->n_sm; i++) {
    sm_t *sm = &g->sms[i];
    for (uint32_t w = 0; w < g->max_warps; w++) {
      sm->warps[w].live = 0;
      sm->warps[w].where = W_GONE;
    }
    memset(sm->block_used, 0, c->max_ctas_per_sm);
    sm->resident = 0;
    sm->wake_all = NEVER;
    memset(sm->mshr_blocked, 0, sizeof sm->mshr_blocked);
    for (unsigned s = 0; s < c->n_sched; s++) {
      sched_t *sc = &sm->sched[s];
      sm->swake[s] = NEVER;
      sc->id = (uint8_t)s;
      sc->nheap = sc->nbar = 0;
      memset(sc->ntimed, 0, sizeof sc->ntimed);
      memset(sc->look, 0, (g->sched_cap + 63) / 64 * sizeof *sc->look);
      sc->mshr_need = UINT32_MAX;
      sc->n = 0;
      sc->last = UINT32_MAX;
      memset(sc->unit_free, 0, sizeof sc->unit_free);
      memset(sc->bank_free, 0, sizeof sc->bank_free);
      sc->bank_max = 0;
      sc->last_pos = 0;
      sc->last_time = 0;
      sc->last_reason = SIMT_STALL_IDLE;
      sc->stepped = 0;
    }
  }
  /* initial dispatch: round-robin over SMs, as many blocks as fit */
  for (uint64_t r = 0; r < occ.blocks_per_sm && g->next_block < total; r++)
    for (uint32_t i = 0; i < c->n_sm && g->next_block < total; i++) launch_block(g, i, 0);
  if (g->err != EM_OK) { /* a traced warp could not be read */
    *d = g->errd;
    return g->err;
  }

  em_status rs = hook ? run_loop(g, true, hook, hook_arg, d) : run_loop(g, false, NULL, NULL, d);
  if (rs != EM_OK) return rs;
  if (simt_mem_out_of_memory(g->mem)) /* a request answered at once: wrong figures */
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0,
                       "kernel '%s': out of memory for the GPU memory model's queues",
                       k->name);
  for (uint32_t i = 0; k->prog && i < k->n_inst; i++)
    if (g->pcn[i].issues)
      count_issues(st, &k->prog[i].h, g->pcn[i].issues, g->pcn[i].lanes, g->pcn[i].reused_lanes);
  /* The kernel ends when its last warp has exited, its last result is
   * written (an exit does not wait for the arithmetic in flight: a stream
   * of FFMAs ended before its last result, IPC above the pipes' peak) and
   * its writes are acknowledged (a warp retires only once its stores
   * and reductions are, so the last exit comes after them) */
  uint64_t end = g->last_exit;
  if (g->last_result > end) end = g->last_result;
  simt_mem_finish(g->mem);
  st->cycles = end;
  /* the launch before it: the GPU idle, blocks not yet issued (GPGPU-Sim's
   * m_kernel_TB_latency gates block issue for as long) */
  st->launch_cycles = st->cycles ? c->kernel_launch_cycles : 0;
  st->blocks = total;
  /* scheduler cycles never stepped after the last step count as idle */
  for (uint32_t i = 0; i < c->n_sm; i++)
    for (unsigned s = 0; s < c->n_sched; s++) {
      sched_t *sc = &g->sms[i].sched[s];
      if (!sc->stepped) st->stall[SIMT_STALL_IDLE] += st->cycles;
      else if (st->cycles > sc->last_time + 1) /* every warp had exited */
        st->stall[SIMT_STALL_IDLE] += st->cycles - sc->last_time - 1;
    }
  st->sched_cycles = st->cycles * c->n_sm * c->n_sched;
  st->mem = *simt_mem_get_stats(g->mem);
  return EM_OK;
}
