/* em_pool.c - the one thread pool (em_pool.h), on POSIX threads. */
#include "em_pool.h"

#include <pthread.h>
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
