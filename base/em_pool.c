/* em_pool.c - the one thread pool (em_pool.h), on POSIX threads. */
#include "em_pool.h"

#include <ctype.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  em_pool_fn fn;
  void *ctx;
  size_t n, next;
  volatile uint64_t *done;
  pthread_mutex_t mu;
  size_t bad;      /* lowest failing item, n = none */
  em_status st;
  em_diag d;
} pool_t;

typedef struct {
  pool_t *p;
  unsigned w;
} worker_t;

static void *work(void *arg) {
  worker_t *k = arg;
  pool_t *p = k->p;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    size_t i = p->next;
    int stop = i >= p->n || p->bad < p->n;
    if (!stop) p->next++;
    pthread_mutex_unlock(&p->mu);
    if (stop) break;
    em_diag d;
    em_diag_clear(&d);
    em_status st = p->fn(p->ctx, i, k->w, &d);
    pthread_mutex_lock(&p->mu);
    if (st != EM_OK && i < p->bad) {
      p->bad = i;
      p->st = st;
      p->d = d;
    }
    if (p->done) (*p->done)++;
    pthread_mutex_unlock(&p->mu);
  }
  return NULL;
}

em_status em_pool_run(unsigned jobs, size_t n, em_pool_fn fn, void *ctx,
                      volatile uint64_t *done, em_diag *d) {
  if (jobs < 1) jobs = 1;
  if (jobs > n) jobs = n ? (unsigned)(n < 1024 ? n : 1024) : 1;
  pool_t p = {fn, ctx, n, 0, done, PTHREAD_MUTEX_INITIALIZER, n, EM_OK, {0}};
  worker_t *k = calloc(jobs, sizeof *k);
  pthread_t *th = calloc(jobs, sizeof *th);
  if (!k || !th) {
    free(k);
    free(th);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  unsigned started = 0;
  for (unsigned w = 1; w < jobs; w++) { /* worker 0 is this thread */
    k[w] = (worker_t){&p, w};
    if (pthread_create(&th[w], NULL, work, &k[w]) != 0) break;
    started = w;
  }
  k[0] = (worker_t){&p, 0};
  work(&k[0]);
  for (unsigned w = 1; w <= started; w++) pthread_join(th[w], NULL);
  pthread_mutex_destroy(&p.mu);
  free(k);
  free(th);
  if (p.bad < n) {
    if (d) *d = p.d;
    return p.st;
  }
  return EM_OK;
}

/* ---- host memory ---- */

/* A size "N" or "N<K|M|G|T>" (binary) in [1M, 1T] into *out; false if not. */
static bool parse_size(const char *t, uint64_t *out) {
  uint64_t v = 0;
  size_t i = 0;
  if (!isdigit((unsigned char)t[0])) return false;
  for (; isdigit((unsigned char)t[i]); i++) {
    if (v > (UINT64_MAX - 9) / 10) return false;
    v = v * 10 + (uint64_t)(t[i] - '0');
  }
  unsigned shift = 0;
  switch (t[i]) {
  case '\0': break;
  case 'K': case 'k': shift = 10; break;
  case 'M': case 'm': shift = 20; break;
  case 'G': case 'g': shift = 30; break;
  case 'T': case 't': shift = 40; break;
  default: return false;
  }
  if (shift && t[++i] != '\0') return false;
  if (v > (1ull << 40) >> shift) return false;
  v <<= shift;
  if (v < (1ull << 20) || v > (1ull << 40)) return false;
  *out = v;
  return true;
}

uint64_t em_host_budget(void) {
  const char *e = getenv(EM_HOST_ENV);
  uint64_t v;
  return e && parse_size(e, &v) ? v : EM_HOST_BYTES_DEFAULT;
}

em_status em_host_budget_check(em_diag *d) {
  const char *e = getenv(EM_HOST_ENV);
  uint64_t v;
  if (!e || parse_size(e, &v)) return EM_OK;
  return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0,
                     "%s must be a size in bytes, with an optional K, M, G or T suffix, from "
                     "1M to 1T, got '%.64s'",
                     EM_HOST_ENV, e);
}

void em_bytes_text(uint64_t b, char *buf, size_t n) {
  static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (b < 1024) {
    snprintf(buf, n, "%llu B", (unsigned long long)b);
    return;
  }
  double x = (double)b / 1024;
  int u = 0;
  while (x >= 1024 && u < 5) {
    x /= 1024;
    u++;
  }
  snprintf(buf, n, "%.1f %s", x, unit[u]);
}

unsigned em_pool_jobs_within(unsigned jobs, uint64_t each) {
  if (jobs < 1) jobs = 1;
  if (each == 0) return jobs;
  uint64_t fit = em_host_budget() / each;
  if (fit < 1) fit = 1;
  return fit < jobs ? (unsigned)fit : jobs;
}
