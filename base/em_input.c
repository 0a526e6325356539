/*
 * em_input.c - opening input files (em_input.h).
 *
 * The path is stat'ed before it is opened (so a device is never opened at
 * all) and the descriptor fstat'ed after (so a path swapped in between is
 * caught too).  A pipe or FIFO is wrapped with glibc's fopencookie() in a
 * stream that counts the bytes it hands out: the readers keep their stdio
 * loops (getc, fgets, fread) and see an ordinary read error at the limit.
 */
#define _GNU_SOURCE /* fopencookie */
#include "em_input.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h> /* PIPEFS_MAGIC: a pipe's file system, not a named FIFO's */

/* A pipe read through a byte limit. */
typedef struct {
  int fd;
  int own;       /* close fd at the end (not standard input's) */
  uint64_t left; /* bytes still allowed */
} limited;

static ssize_t lim_read(void *cookie, char *buf, size_t size) {
  limited *l = cookie;
  if (l->left == 0) {
    /* at the limit: the end of the data is fine, one byte more is not */
    char c;
    ssize_t k;
    do k = read(l->fd, &c, 1);
    while (k < 0 && errno == EINTR);
    if (k > 0) errno = EFBIG;
    return k > 0 ? -1 : k;
  }
  if (size > l->left) size = (size_t)l->left;
  ssize_t k;
  do k = read(l->fd, buf, size);
  while (k < 0 && errno == EINTR);
  if (k > 0) l->left -= (uint64_t)k;
  return k;
}

static int lim_close(void *cookie) {
  limited *l = cookie;
  int rc = l->own ? close(l->fd) : 0;
  free(l);
  return rc;
}

/* The refusal for a file of type `mode`, or NULL when it may be read. */
static const char *refusal(mode_t mode, unsigned flags) {
  if (S_ISREG(mode)) return NULL;
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISCHR(mode)) return "is a character device";
  if (S_ISBLK(mode)) return "is a block device";
  if (S_ISSOCK(mode)) return "is a socket";
  if (S_ISFIFO(mode)) return (flags & EM_INPUT_REGULAR) ? "is a pipe" : NULL;
  return "is not a regular file";
}

static em_status refuse(const char *name, const char *why, const char *what, em_diag *d) {
  if (!what) what = "a file";
  if (strcmp(why, "is a pipe") == 0)
    return em_diag_set(d, EM_ERR_IO, name, 0, 0, "is a pipe, and %s must be a regular file",
                       what);
  return em_diag_set(d, EM_ERR_IO, name, 0, 0, "%s, not %s", why, what);
}

static bool is_stdin(const char *path, unsigned flags) {
  return (flags & EM_INPUT_STDIN) && strcmp(path, "-") == 0;
}

const char *em_input_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

em_status em_input_check(const char *path, const char *what, unsigned flags, em_diag *d) {
  const char *name = is_stdin(path, flags) ? "<stdin>" : path;
  struct stat st;
  /* standard input closed (`emlsim systolic - <&-`): emlsim's main opens
   * /dev/null write-only in its place, which read "is a character device" */
  int fl = is_stdin(path, flags) ? fcntl(STDIN_FILENO, F_GETFL) : 0;
  if (fl < 0 || (fl & O_ACCMODE) == O_WRONLY)
    return em_diag_set(d, EM_ERR_IO, name, 0, 0,
                       "cannot read: standard input is closed (or open only for writing)");
  if (is_stdin(path, flags) ? fstat(STDIN_FILENO, &st) != 0 : stat(path, &st) != 0)
    return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
  const char *why = refusal(st.st_mode, flags);
  if (why) return refuse(name, why, what, d);
  if (!is_stdin(path, flags) && access(path, R_OK) != 0)
    return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
  return EM_OK;
}

/* A FIFO with a name waits for a writer: its data, or its end (a writer
 * that came and went), within EMLSIM_FIFO_WAIT seconds (default
 * EM_INPUT_FIFO_WAIT_S), else it is refused: a FIFO that no process writes
 * is an input that never comes.  A pipe (`gen | emlsim ... /dev/stdin`,
 * `<(gen)`) has its writer already, and is read as it comes. */
static em_status fifo_wait(int fd, const char *name, em_diag *d) {
  struct statfs fs;
  if (fstatfs(fd, &fs) == 0 && fs.f_type == PIPEFS_MAGIC) return EM_OK;
  long wait_s = EM_INPUT_FIFO_WAIT_S;
  const char *env = getenv("EMLSIM_FIFO_WAIT");
  if (env && *env) {
    char *end;
    errno = 0;
    long v = strtol(env, &end, 10);
    if (errno || *end || end == env || v < 0 || v > 86400 || !(*env >= '0' && *env <= '9'))
      return em_diag_set(d, EM_ERR_INVALID, name, 0, 0,
                         "EMLSIM_FIFO_WAIT must be whole seconds, 0 to 86400, got '%.40s'",
                         env);
    wait_s = v;
  }
  struct pollfd p = {fd, POLLIN, 0};
  int r;
  do r = poll(&p, 1, (int)(wait_s * 1000));
  while (r < 0 && errno == EINTR); /* (a signal restarts the whole wait) */
  if (r < 0) return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot read: %s", strerror(errno));
  if (r == 0)
    return em_diag_set(d, EM_ERR_IO, name, 0, 0,
                       "is a FIFO that no process wrote to in %ld s (EMLSIM_FIFO_WAIT); "
                       "start its writer first, or give a file",
                       wait_s);
  return EM_OK;
}

em_status em_input_open(const char *path, const char *what, unsigned flags, FILE **out,
                        em_diag *d) {
  *out = NULL;
  bool in = is_stdin(path, flags);
  const char *name = in ? "<stdin>" : path;
  em_status s = em_input_check(path, what, flags, d);
  if (s != EM_OK) return s;
  /* not blocking in open(): a FIFO no process has open for writing would
   * hold it there for ever (`mkfifo f; emlsim analyze f`) */
  int fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
  struct stat st;
  const char *why = NULL;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open: %s", strerror(e));
  }
  if ((why = refusal(st.st_mode, flags)) != NULL) { /* swapped since the stat */
    close(fd);
    return refuse(name, why, what, d);
  }
  if (!in) {
    s = S_ISFIFO(st.st_mode) ? fifo_wait(fd, name, d) : EM_OK;
    int fl = fcntl(fd, F_GETFL);
    if (s == EM_OK && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0))
      s = em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open: %s", strerror(errno));
    if (s != EM_OK) {
      close(fd);
      return s;
    }
  }
  FILE *fp = NULL;
  if (S_ISREG(st.st_mode)) {
    fp = fdopen(fd, "rb");
  } else {
    limited *l = malloc(sizeof *l);
    if (l) {
      *l = (limited){fd, 1, EM_INPUT_STREAM_MAX};
      fp = fopencookie(l, "rb", (cookie_io_functions_t){lim_read, NULL, NULL, lim_close});
      if (!fp) free(l);
    }
  }
  if (!fp) {
    close(fd);
    return em_diag_set(d, EM_ERR_NOMEM, name, 0, 0, "out of memory");
  }
  *out = fp;
  return EM_OK;
}

uint64_t em_input_bytes(FILE *fp) {
  int fd = fileno(fp); /* -1 for a limited stream */
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) return (uint64_t)st.st_size;
  return EM_INPUT_STREAM_MAX;
}
