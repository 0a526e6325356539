/*
 * em_outpath.c - output paths: kinds, inputs and duplicates (em_outpath.h).
 *
 * Only lstat, stat, access, getcwd and realpath: nothing is created or
 * opened here.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "em_outpath.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_name(mode_t m) {
  if (S_ISREG(m)) return "a regular file";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

em_status em_outpath_resolve(const char *path, em_outkind kind, char **out, em_diag *d) {
  *out = NULL;
  if (!path[0]) return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "output path is empty");
  struct stat sb;
  char *real = NULL;
  if (lstat(path, &sb) != 0) {
    if (errno != ENOENT)
      return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
  } else {
    if (S_ISLNK(sb.st_mode)) {
      /* write through: the file the link names is the output */
      real = realpath(path, NULL);
      if (!real) {
        /* a link the kernel resolves though no path names its end: /dev/stdout
         * through /proc/self/fd/1 to "pipe:[N]" is a FIFO, not missing */
        struct stat ts;
        if (errno == ENOENT && stat(path, &ts) == 0 && !S_ISREG(ts.st_mode) &&
            !S_ISDIR(ts.st_mode))
          return em_diag_set(d, EM_ERR_INVALID, path, 0, 0, "output is %s, not %s",
                             kind_name(ts.st_mode),
                             kind == EM_OUT_FILE ? "a regular file" : "a directory");
        if (errno == ENOENT)
          return em_diag_set(d, EM_ERR_IO, path, 0, 0,
                             "output is a symbolic link to a missing file");
        return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot follow the symbolic link: %s",
                           strerror(errno));
      }
      if (stat(real, &sb) != 0) {
        em_status st = em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot follow the symbolic link: %s",
                                   strerror(errno));
        free(real);
        return st;
      }
    }
    int ok = kind == EM_OUT_FILE ? S_ISREG(sb.st_mode) : S_ISDIR(sb.st_mode);
    if (!ok) {
      free(real);
      return em_diag_set(d, EM_ERR_INVALID, path, 0, 0, "output is %s, not %s",
                         kind_name(sb.st_mode),
                         kind == EM_OUT_FILE ? "a regular file" : "a directory");
    }
  }
  *out = real ? real : strdup(path);
  if (!*out) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  return EM_OK;
}

void em_iocheck_init(em_iocheck *io) { memset(io, 0, sizeof *io); }

void em_iocheck_add(em_iocheck *io, em_iorole role, const char *what, const char *path) {
  if (!path) return;
  if (io->n == EM_IOCHECK_MAX) {
    io->overflow = 1;
    return;
  }
  io->a[io->n++] = (em_ioarg){role, what, path};
}

/* What identifies a file: its device and inode when it exists; always its
 * folder's device and inode and its name, when the folder exists. */
typedef struct {
  int exists, has_parent, is_stdout;
  dev_t dev, pdev;
  ino_t ino, pino;
  char name[NAME_MAX + 1];
} fkey;

/* The last component of path, trailing slashes aside, into name, and the
 * folder it is in into dir ("." for a bare name, "/" for "/x"); false where
 * either does not fit or there is no last component. */
static bool split_path(const char *path, char name[NAME_MAX + 1], char dir[PATH_MAX]) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  size_t b = n;
  while (b > 0 && path[b - 1] != '/') b--;
  if (n - b > NAME_MAX || n == b) return false;
  memcpy(name, path + b, n - b);
  name[n - b] = '\0';
  if (b == 0) {
    strcpy(dir, ".");
  } else {
    size_t dl = b > 1 ? b - 1 : 1; /* "/x" -> "/" */
    if (dl >= PATH_MAX) return false;
    memcpy(dir, path, dl);
    dir[dl] = '\0';
  }
  return true;
}

static void key_of(const char *path, fkey *k) {
  memset(k, 0, sizeof *k);
  if (strcmp(path, "-") == 0) {
    k->is_stdout = 1;
    return;
  }
  struct stat sb;
  if (stat(path, &sb) == 0) {
    k->exists = 1;
    k->dev = sb.st_dev;
    k->ino = sb.st_ino;
  }
  char dir[PATH_MAX];
  if (!split_path(path, k->name, dir)) return;
  if (stat(dir, &sb) == 0) {
    k->has_parent = 1;
    k->pdev = sb.st_dev;
    k->pino = sb.st_ino;
  }
}

/* An input's key: its file, or for "-" the regular file standard input
 * reads, if it is one (`emlsim analyze - -o g.csv < g.csv` replaced the
 * topology it read with the report); a pipe or a terminal is nobody's. */
static void input_key(const char *path, fkey *k) {
  memset(k, 0, sizeof *k);
  struct stat sb;
  if (strcmp(path, "-") != 0) {
    key_of(path, k);
    k->has_parent = 0; /* an input that does not exist is nobody's */
    k->is_stdout = 0;
  } else if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode)) {
    k->exists = 1;
    k->dev = sb.st_dev;
    k->ino = sb.st_ino;
  }
}

static int same(const fkey *a, const fkey *b) {
  if (a->is_stdout || b->is_stdout) return a->is_stdout && b->is_stdout;
  if (a->exists && b->exists) return a->dev == b->dev && a->ino == b->ino;
  return a->has_parent && b->has_parent && a->pdev == b->pdev && a->pino == b->pino &&
         strcmp(a->name, b->name) == 0;
}

/* The folder a new file `path` would go to exists, is a folder (or a link
 * to one) and may be written. */
static em_status parent_writable(const char *path, em_diag *d) {
  char name[NAME_MAX + 1], dir[PATH_MAX];
  struct stat sb;
  int e = 0;
  if (!split_path(path, name, dir)) e = ENAMETOOLONG;
  else if (stat(dir, &sb) != 0) e = errno;
  else if (!S_ISDIR(sb.st_mode)) e = ENOTDIR;
  else if (access(dir, W_OK | X_OK) != 0) e = errno;
  return e ? em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot create: %s", strerror(e)) : EM_OK;
}

/* path as written, absolute (the working folder before a relative one),
 * without empty or "." components and trailing slashes; false when it does
 * not fit. */
static bool plain_path(const char *path, char *out, size_t cap) {
  char buf[PATH_MAX];
  if (path[0] == '/') {
    if (strlen(path) >= sizeof buf) return false;
    strcpy(buf, path);
  } else {
    if (!getcwd(buf, sizeof buf)) return false;
    size_t l = strlen(buf);
    if (l + 1 + strlen(path) >= sizeof buf) return false;
    buf[l] = '/';
    strcpy(buf + l + 1, path);
  }
  size_t o = 0;
  for (const char *p = buf; *p;) {
    while (*p == '/') p++;
    const char *e = p;
    while (*e && *e != '/') e++;
    size_t n = (size_t)(e - p);
    if (n && !(n == 1 && p[0] == '.')) {
      if (o + 1 + n >= cap) return false;
      out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
    }
    p = e;
  }
  if (o == 0) out[o++] = '/';
  out[o] = '\0';
  return true;
}

/* A file output `file` lies in the folder output `dir` or below it, as
 * written (the folder may not exist yet: it is made for the run). */
static bool in_folder(const char *file, const char *dir) {
  char f[PATH_MAX], g[PATH_MAX];
  if (!plain_path(file, f, sizeof f) || !plain_path(dir, g, sizeof g)) return false;
  size_t n = strlen(g);
  return strncmp(f, g, n) == 0 && (f[n] == '/' || n == 1);
}

/* No output of io (keys: their keys) is the regular file descriptor fd
 * (standard output or error, named `which`) writes to. */
static em_status not_std_file(const em_iocheck *io, const fkey *keys, int fd, const char *which,
                              em_diag *d) {
  struct stat so;
  if (fstat(fd, &so) != 0 || !S_ISREG(so.st_mode)) return EM_OK;
  for (size_t i = 0; i < io->n; i++)
    if (io->a[i].role != EM_IO_INPUT && keys[i].exists && keys[i].dev == so.st_dev &&
        keys[i].ino == so.st_ino)
      return em_diag_set(d, EM_ERR_INVALID, io->a[i].path, 0, 0,
                         "'%s' names the file %s goes to, which writing it would replace ('-' "
                         "writes to standard output)",
                         io->a[i].what, which);
  return EM_OK;
}

em_status em_iocheck_run(const em_iocheck *io, em_diag *d) {
  if (io->overflow)
    return em_diag_set(d, EM_ERR_LIMIT, NULL, 0, 0, "more than %d inputs and outputs",
                       EM_IOCHECK_MAX);
  fkey keys[EM_IOCHECK_MAX];
  /* standard input ("-") can be read once */
  for (size_t i = 0; i < io->n; i++)
    for (size_t k = i + 1; k < io->n; k++)
      if (io->a[i].role == EM_IO_INPUT && io->a[k].role == EM_IO_INPUT && io->a[i].path &&
          io->a[k].path && strcmp(io->a[i].path, "-") == 0 && strcmp(io->a[k].path, "-") == 0)
        return em_diag_set(d, EM_ERR_USAGE, NULL, 0, 0,
                           "'%s' and '%s' both read standard input, which can be read once",
                           io->a[i].what, io->a[k].what);
  for (size_t i = 0; i < io->n; i++) {
    const em_ioarg *a = &io->a[i];
    if (a->role == EM_IO_INPUT) {
      input_key(a->path, &keys[i]);
      continue;
    }
    char *real = NULL;
    if (a->role == EM_IO_OUT_FILE && strcmp(a->path, "-") == 0) {
      key_of("-", &keys[i]);
    } else {
      em_status st =
          em_outpath_resolve(a->path, a->role == EM_IO_OUT_DIR ? EM_OUT_DIR : EM_OUT_FILE, &real, d);
      if (st != EM_OK) return st;
      key_of(real, &keys[i]);
      free(real);
    }
  }
  /* a new file's folder must be there and writable now, not found missing
   * after the run, unless it is one of the run's folder outputs (made for
   * it, with their parents) or inside one */
  for (size_t i = 0; i < io->n; i++) {
    const em_ioarg *a = &io->a[i];
    if (a->role != EM_IO_OUT_FILE || keys[i].is_stdout || keys[i].exists) continue;
    bool made = false;
    for (size_t k = 0; k < io->n && !made; k++)
      made = io->a[k].role == EM_IO_OUT_DIR && in_folder(a->path, io->a[k].path);
    if (made) continue;
    em_status st = parent_writable(a->path, d);
    if (st != EM_OK) return st;
  }
  /* an output that is the very file standard output goes to (`-o a.csv >
   * a.csv`, `-o /dev/stdout >> log`) would be replaced by its rename, and
   * what standard output took (the log before the run) with it; so would
   * standard error's (`-o /dev/stderr 2>> log`), and the run's messages */
  em_status st = not_std_file(io, keys, STDOUT_FILENO, "standard output", d);
  if (st == EM_OK) st = not_std_file(io, keys, STDERR_FILENO, "standard error", d);
  if (st != EM_OK) return st;
  for (size_t i = 0; i < io->n; i++) {
    const em_ioarg *a = &io->a[i];
    if (a->role == EM_IO_INPUT) continue;
    for (size_t k = 0; k < io->n; k++) {
      const em_ioarg *b = &io->a[k];
      if (k == i || !same(&keys[i], &keys[k])) continue;
      if (b->role == EM_IO_INPUT)
        return em_diag_set(d, EM_ERR_INVALID, a->path, 0, 0,
                           "'%s' would overwrite '%s', an input of this run", a->what, b->what);
      if (k < i) {
        if (keys[i].is_stdout)
          return em_diag_set(d, EM_ERR_INVALID, "<stdout>", 0, 0,
                             "'%s' and '%s' both write to standard output", b->what, a->what);
        return em_diag_set(d, EM_ERR_INVALID, a->path, 0, 0, "'%s' and '%s' name the same file",
                           b->what, a->what);
      }
    }
  }
  return EM_OK;
}

em_status em_iocheck_target(const em_iocheck *io, const char *path, em_diag *d) {
  if (!io) return EM_OK;
  fkey t, k;
  key_of(path, &t);
  for (size_t i = 0; i < io->n; i++) {
    const em_ioarg *a = &io->a[i];
    if (a->role == EM_IO_OUT_DIR || (a->role != EM_IO_INPUT && strcmp(a->path, "-") == 0))
      continue;
    if (a->role == EM_IO_INPUT) input_key(a->path, &k);
    else key_of(a->path, &k);
    if (!same(&t, &k)) continue;
    if (a->role == EM_IO_INPUT)
      return em_diag_set(d, EM_ERR_INVALID, path, 0, 0,
                         "the report would overwrite '%s', an input of this run", a->what);
    return em_diag_set(d, EM_ERR_INVALID, path, 0, 0, "the report and '%s' name the same file",
                       a->what);
  }
  return EM_OK;
}
