/*
 * em_cleanup.c - the registry of live temporaries and the signal handler
 * that removes them (em_cleanup.h).
 *
 * Everything the handler calls is on POSIX's list of async-signal-safe
 * functions (unlink, unlinkat, rmdir, openat, lseek, close, sigaction,
 * pthread_sigmask, raise, _exit), plus Linux's getdents64 system call, which
 * takes no lock and allocates nothing, to list a staging folder (readdir may
 * do both).  Without getdents64 a staging folder is removed only if empty.
 */
#define _GNU_SOURCE /* syscall(), O_DIRECTORY, O_NOFOLLOW */
#include "em_cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { SLOT_FREE = 0, SLOT_BUSY, SLOT_LIVE };

typedef struct {
  atomic_int state; /* FREE -> BUSY (being filled or being removed) -> LIVE -> FREE */
  int kind;
  unsigned long seq; /* registration order: parents are made before children */
  char path[EM_CLEANUP_PATH_MAX];
} slot_t;

/* The one mutable global of the libraries (house style forbids them), and
 * the reason it must be one: a signal handler receives nothing but the
 * signal number, so what it is to remove has to be reachable from static
 * storage, and allocated before the signal (the handler may not allocate).
 * 64 slots of 4 KiB: 256 KiB of bss, far more than a run keeps live (a set
 * of reports is one staging folder; a trace layer three files). */
static slot_t slots[EM_CLEANUP_SLOTS];
static atomic_ulong next_seq;

int em_cleanup_add(const char *path, em_cleanup_kind kind, em_diag *d) {
  size_t n = strlen(path);
  if (n >= EM_CLEANUP_PATH_MAX) {
    em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "output path longer than %d bytes",
                EM_CLEANUP_PATH_MAX - 1);
    return -1;
  }
  for (int i = 0; i < EM_CLEANUP_SLOTS; i++) {
    int expect = SLOT_FREE;
    if (!atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_BUSY)) continue;
    memcpy(slots[i].path, path, n + 1);
    slots[i].kind = (int)kind;
    slots[i].seq = atomic_fetch_add(&next_seq, 1);
    atomic_store(&slots[i].state, SLOT_LIVE);
    return i;
  }
  em_diag_set(d, EM_ERR_LIMIT, path, 0, 0, "more than %d temporary files at once",
              EM_CLEANUP_SLOTS);
  return -1;
}

void em_cleanup_remove(int slot) {
  if (slot < 0 || slot >= EM_CLEANUP_SLOTS) return;
  /* If a handler has claimed the slot (BUSY) the process is dying: leave it. */
  int expect = SLOT_LIVE;
  atomic_compare_exchange_strong(&slots[slot].state, &expect, SLOT_FREE);
}

/* ---- removal, async-signal-safe ---- */

/* Empties the folder open as fd: at most 16 levels deep (a staging folder
 * holds DIR/run/layerN/file), in passes until one removes nothing, because
 * removing entries while listing them may make the listing skip some. */
static void empty_dir(int fd, int depth) {
#ifdef SYS_getdents64
  /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
  char buf[2048] __attribute__((aligned(8)));
  for (int pass = 0; pass < 64; pass++) {
    if (lseek(fd, 0, SEEK_SET) < 0) return;
    int removed = 0;
    for (;;) {
      long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off + 19 < n;) {
        uint16_t reclen;
        memcpy(&reclen, buf + off + 16, sizeof reclen);
        const char *name = buf + off + 19;
        if (reclen == 0) return;
        off += reclen;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        if (unlinkat(fd, name, 0) == 0) {
          removed++;
          continue;
        }
        if ((errno == EISDIR || errno == EPERM) && depth < 16) {
          int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (sub >= 0) {
            empty_dir(sub, depth + 1);
            close(sub);
          }
          if (unlinkat(fd, name, AT_REMOVEDIR) == 0) removed++;
        }
      }
    }
    if (!removed) return;
  }
#else
  (void)fd;
  (void)depth;
#endif
}

int em_remove_tree(const char *path) {
  if (unlink(path) == 0 || errno == ENOENT) return 0;
  if (errno != EISDIR && errno != EPERM) return -1;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  empty_dir(fd, 0);
  close(fd);
  return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Removes every LIVE slot of one kind; for EMPTY_DIR the latest first. */
static void run_kind(int kind) {
  for (;;) {
    int best = -1;
    for (int i = 0; i < EM_CLEANUP_SLOTS; i++)
      if (atomic_load(&slots[i].state) == SLOT_LIVE && slots[i].kind == kind &&
          (best < 0 || slots[i].seq > slots[best].seq))
        best = i;
    if (best < 0) return;
    int expect = SLOT_LIVE;
    if (!atomic_compare_exchange_strong(&slots[best].state, &expect, SLOT_BUSY)) continue;
    const char *p = slots[best].path;
    if (kind == EM_CLEANUP_FILE) unlink(p);
    else if (kind == EM_CLEANUP_TREE) em_remove_tree(p);
    else rmdir(p);
    atomic_store(&slots[best].state, SLOT_FREE);
  }
}

void em_cleanup_run(void) {
  run_kind(EM_CLEANUP_FILE);
  run_kind(EM_CLEANUP_TREE);
  run_kind(EM_CLEANUP_EMPTY_DIR);
}

/* ---- signals ---- */

/* Every signal whose default action ends the process and that can be
 * caught (signal(7): "Term" and "Core"; SIGKILL and SIGSTOP cannot be):
 * the run's own and a user's (INT, QUIT, TERM, HUP, PIPE), the limits a
 * shell or a batch scheduler enforces (XCPU for `ulimit -t`, XFSZ, which
 * the driver ignores, so that its write fails instead), timers (ALRM,
 * VTALRM, PROF), the user-defined and real-time ones a scheduler may send
 * before it kills (USR1, USR2, SIGRTMIN..SIGRTMAX), and the faults of a bug
 * (SEGV, BUS, FPE, ILL, ABRT, TRAP, SYS), whose cleanup runs as the others'
 * and whose core is still dumped by the re-raise. */
static const int fatal[] = {
    SIGHUP,  SIGINT,  SIGQUIT,   SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
    SIGPROF, SIGXCPU, SIGXFSZ,   SIGILL,  SIGTRAP, SIGABRT, SIGBUS,  SIGFPE,  SIGSEGV,
    SIGSYS,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
#define NFATAL (sizeof fatal / sizeof fatal[0])

/* The set of them all, the real-time signals included (glibc's SIGRTMIN is
 * a function call, above the signals its threads keep for themselves). */
static void fatal_set(sigset_t *s) {
  sigemptyset(s);
  for (size_t i = 0; i < NFATAL; i++) sigaddset(s, fatal[i]);
#ifdef SIGRTMIN
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) sigaddset(s, sig);
#endif
}

/* Removes the temporaries, then dies of the signal itself (default action,
 * so a shell sees 128 + sig and an interactive loop stops); _exit in case
 * the signal does not kill. */
static void on_fatal_signal(int sig) {
  em_cleanup_run();
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  raise(sig);
  _exit(128 + sig);
}

void em_cleanup_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal_signal;
  /* one cleanup at a time: a second signal waits until the first has killed */
  fatal_set(&sa.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) {
    if (sigismember(&sa.sa_mask, sig) != 1) continue;
    /* only a signal left at its default: one the parent set to be ignored
     * (nohup, `trap '' INT`, the driver's SIGXFSZ) stays ignored, and a
     * handler installed before main (a sanitizer's, for SIGSEGV) stays */
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
        old.sa_handler != SIG_DFL)
      continue;
    sigaction(sig, &sa, NULL);
  }
}

/* The same set as the handler's: a signal held off here is one whose
 * handler would remove what is being renamed.  A fault (SEGV, ...) raised
 * while blocked kills at once, as it would have without a handler. */
void em_cleanup_block(sigset_t *old) {
  sigset_t s;
  fatal_set(&s);
  pthread_sigmask(SIG_BLOCK, &s, old);
}

void em_cleanup_unblock(const sigset_t *old) { pthread_sigmask(SIG_SETMASK, old, NULL); }
