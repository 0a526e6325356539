/*
 * em_cleanup.h - the temporary files and folders a run has made, removed
 * when it is killed.
 *
 * em_outfile registers every temporary it creates here and takes it out
 * again on commit or abort.  When a signal arrives that would end the
 * process (SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGXCPU from `ulimit
 * -t`, SIGALRM, SIGUSR1, ...: every one that can be caught; em_cleanup.c
 * lists them), once em_cleanup_install has run, the handler removes
 * whatever is still registered and the process dies of the signal, so the
 * shell sees 128 + its number (130, 143, 152, ...) and no `*.tmp.*` is
 * left behind.
 *
 * The registry is a fixed array of fixed-size slots, preallocated, because a
 * signal handler may not allocate, lock or call stdio: it may only walk the
 * slots and call unlink, rmdir, openat, getdents64, close and _exit.  Slots
 * are claimed and released with C11 atomics, so threads may register
 * concurrently and the handler never sees a half-written path.
 */
#ifndef EM_CLEANUP_H
#define EM_CLEANUP_H

#include <signal.h>

#include "em_diag.h"

typedef enum {
  EM_CLEANUP_FILE = 1,  /* unlink */
  EM_CLEANUP_EMPTY_DIR, /* rmdir, after everything else (a folder made for a parent) */
  EM_CLEANUP_TREE       /* the folder and all it holds (a staging folder) */
} em_cleanup_kind;

/* How many temporaries may be live at once, and how long a path may be. */
#define EM_CLEANUP_SLOTS 64
#define EM_CLEANUP_PATH_MAX 4096

/* Registers path; returns the slot (>= 0) for em_cleanup_remove, or fills d
 * and returns -1 when every slot is taken or the path is too long. */
int em_cleanup_add(const char *path, em_cleanup_kind kind, em_diag *d);
/* Forgets a slot (-1 is a no-op); the file itself is left alone. */
void em_cleanup_remove(int slot);
/* Removes every registered path now and forgets them.  Async-signal-safe. */
void em_cleanup_run(void);
/* Removes path and, if it is a folder, everything in it (no symbolic link
 * is followed).  Async-signal-safe; 0 or -1 (errno set). */
int em_remove_tree(const char *path);

/* Installs the handler for every such signal still at its default action
 * (one ignored, SIG_IGN, stays ignored; one with a handler keeps it); the
 * driver calls this once, first thing; libraries never do. */
void em_cleanup_install(void);

/* Blocks all those signals in the calling thread while a set of outputs is
 * renamed into place, so a run is killed either before (nothing) or after
 * (everything); em_cleanup_unblock(old) restores the mask and so delivers
 * what arrived meanwhile. */
void em_cleanup_block(sigset_t *old);
void em_cleanup_unblock(const sigset_t *old);

#endif
