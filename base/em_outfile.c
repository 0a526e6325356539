/*
 * em_outfile.c - temporary-then-rename outputs (em_outfile.h).
 *
 * Temporary names are TARGET.tmp.XXXXXX with six random letters, made with
 * O_EXCL (or mkdir) after they are registered in em_cleanup, so that no
 * moment exists when a temporary is on disk and a signal would not find it.
 * Streams are created 0666 and folders 0777, less the umask: a committed
 * output has the permissions any new file would.
 */
#define _POSIX_C_SOURCE 200809L
#include "em_outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "em_cleanup.h"

enum { K_STDOUT, K_STREAM, K_EXTERNAL, K_DIR };

/* Folders made above a new output folder, removed again on abort: a path
 * with more missing levels than this is refused. */
#define MAX_MADE 32

typedef struct {
  char *src, *dst;
} move_t;

struct em_outfile {
  int kind;
  FILE *fp;
  char *shown;  /* as the user gave it: messages */
  char *path;   /* the target, a symbolic link resolved */
  char *tmp;    /* stream: the temporary file; external: the file to write; dir: staging */
  char *tmpdir; /* external: the private folder holding tmp */
  int slot;     /* em_cleanup slot of tmp (stream, dir) or tmpdir (external) */
  char *made[MAX_MADE];
  int made_slot[MAX_MADE];
  int nmade;
  const em_iocheck *io;
  int whole;   /* dir: rename the staging folder itself into place */
  int renamed; /* tmp (stream, dir) is in place now: nothing to remove */
  move_t *mv;
  size_t nmv, cap;
};

static em_outfile *new_outfile(int kind, const char *shown) {
  em_outfile *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->kind = kind;
  f->slot = -1;
  f->shown = strdup(shown);
  if (!f->shown) {
    free(f);
    return NULL;
  }
  return f;
}

static void free_outfile(em_outfile *f) {
  for (size_t i = 0; i < f->nmv; i++) {
    free(f->mv[i].src);
    free(f->mv[i].dst);
  }
  free(f->mv);
  for (int i = 0; i < f->nmade; i++) free(f->made[i]);
  free(f->shown);
  free(f->path);
  free(f->tmp);
  free(f->tmpdir);
  free(f);
}

static char *join(const char *a, const char *sep, const char *b) {
  size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
  char *p = malloc(na + ns + nb + 1);
  if (!p) return NULL;
  memcpy(p, a, na);
  memcpy(p + na, sep, ns);
  memcpy(p + na + ns, b, nb + 1);
  return p;
}

/* Creates base.tmp.XXXXXX (a file, open for writing as *fd, or a folder)
 * registered for cleanup in *slot. */
static em_status make_temp(const char *base, int is_dir, const char *shown, char **name, int *slot,
                           int *fd, em_diag *d) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  size_t n = strlen(base);
  char *p = malloc(n + 12);
  if (!p) return em_diag_set(d, EM_ERR_NOMEM, shown, 0, 0, "out of memory");
  memcpy(p, base, n);
  memcpy(p + n, ".tmp.", 5);
  p[n + 11] = '\0';
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  /* xorshift64 seeded by time, pid and an address: O_EXCL settles clashes */
  uint64_t x = ((uint64_t)ts.tv_nsec << 1) ^ ((uint64_t)ts.tv_sec << 32) ^
               ((uint64_t)getpid() << 20) ^ (uint64_t)(uintptr_t)p;
  x |= 1;
  for (int tries = 0; tries < 100; tries++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    uint64_t y = x;
    for (int i = 0; i < 6; i++, y /= 62) p[n + 5 + i] = al[y % 62];
    int s = em_cleanup_add(p, is_dir ? EM_CLEANUP_TREE : EM_CLEANUP_FILE, d);
    if (s < 0) {
      free(p);
      return EM_ERR_LIMIT;
    }
    int r = is_dir ? mkdir(p, 0777) : open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (r >= 0) {
      *name = p;
      *slot = s;
      if (fd) *fd = r;
      return EM_OK;
    }
    int e = errno;
    em_cleanup_remove(s);
    if (e != EEXIST) {
      free(p);
      return em_diag_set(d, EM_ERR_IO, shown, 0, 0, "cannot create: %s", strerror(e));
    }
  }
  free(p);
  return em_diag_set(d, EM_ERR_IO, shown, 0, 0, "cannot create a temporary name");
}

em_status em_outfile_open(const char *path, em_outfile **out, em_diag *d) {
  *out = NULL;
  int is_stdout = strcmp(path, "-") == 0;
  em_outfile *f = new_outfile(is_stdout ? K_STDOUT : K_STREAM, path);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  if (is_stdout) {
    f->fp = stdout;
    *out = f;
    return EM_OK;
  }
  int fd = -1;
  em_status st = em_outpath_resolve(path, EM_OUT_FILE, &f->path, d);
  if (st == EM_OK) st = make_temp(f->path, 0, path, &f->tmp, &f->slot, &fd, d);
  if (st == EM_OK) {
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
      close(fd);
      st = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
    }
  }
  if (st != EM_OK) {
    em_outfile_abort(f);
    return st;
  }
  *out = f;
  return EM_OK;
}

static em_status make_parents(em_outfile *f, const char *target, em_diag *d);

em_status em_outfile_open_tmp(const char *path, em_outfile **out, em_diag *d) {
  *out = NULL;
  em_outfile *f = new_outfile(K_EXTERNAL, path);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  em_status st = em_outpath_resolve(path, EM_OUT_FILE, &f->path, d);
  if (st == EM_OK) st = make_parents(f, f->path, d);
  if (st == EM_OK) st = make_temp(f->path, 1, path, &f->tmpdir, &f->slot, NULL, d);
  if (st == EM_OK) {
    const char *slash = strrchr(f->path, '/');
    f->tmp = join(f->tmpdir, "/", slash ? slash + 1 : f->path);
    if (!f->tmp) st = em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  if (st != EM_OK) {
    em_outfile_abort(f);
    return st;
  }
  *out = f;
  return EM_OK;
}

/* Makes the missing folders above `target`, each registered so that an
 * abort or a signal removes it again (if still empty). */
static em_status make_parents(em_outfile *f, const char *target, em_diag *d) {
  char *buf = strdup(target);
  if (!buf) return em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  char *last = strrchr(buf, '/');
  em_status st = EM_OK;
  if (last && last != buf) {
    *last = '\0';
    for (char *p = buf + 1;; p++) {
      if (*p != '/' && *p != '\0') continue;
      char c = *p;
      *p = '\0';
      struct stat sb;
      if (p[-1] != '/' && stat(buf, &sb) != 0) {
        if (f->nmade == MAX_MADE) {
          st = em_diag_set(d, EM_ERR_LIMIT, f->shown, 0, 0,
                           "more than %d folders to create above the output", MAX_MADE);
          break;
        }
        int s = em_cleanup_add(buf, EM_CLEANUP_EMPTY_DIR, d);
        if (s < 0) {
          st = EM_ERR_LIMIT;
          break;
        }
        if (mkdir(buf, 0777) != 0) {
          int e = errno;
          em_cleanup_remove(s);
          if (e != EEXIST) {
            st = em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot create directory '%s': %s",
                             buf, strerror(e));
            break;
          }
        } else {
          f->made[f->nmade] = strdup(buf);
          f->made_slot[f->nmade] = s;
          if (!f->made[f->nmade]) {
            rmdir(buf);
            em_cleanup_remove(s);
            st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
            break;
          }
          f->nmade++;
        }
      }
      *p = c;
      if (c == '\0') break;
    }
  }
  free(buf);
  return st;
}

em_status em_outdir_open(const char *path, const em_iocheck *io, em_outfile **out, em_diag *d) {
  *out = NULL;
  em_outfile *f = new_outfile(K_DIR, path);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  f->io = io;
  char *bare = strdup(path); /* "out/" is "out" (and a link to nothing is refused) */
  if (!bare) {
    em_outfile_abort(f);
    return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
  for (size_t n = strlen(bare); n > 1 && bare[n - 1] == '/';) bare[--n] = '\0';
  em_status st = em_outpath_resolve(bare, EM_OUT_DIR, &f->path, d);
  free(bare);
  if (st == EM_OK) {
    struct stat sb;
    if (stat(f->path, &sb) == 0) {
      char *base = join(f->path, strcmp(f->path, "/") ? "/" : "", ".emlsim");
      st = base ? make_temp(base, 1, path, &f->tmp, &f->slot, NULL, d)
                : em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
      free(base);
    } else {
      st = make_parents(f, f->path, d);
      if (st == EM_OK) st = make_temp(f->path, 1, path, &f->tmp, &f->slot, NULL, d);
    }
  }
  if (st != EM_OK) {
    em_outfile_abort(f);
    return st;
  }
  *out = f;
  return EM_OK;
}

FILE *em_outfile_fp(em_outfile *f) { return f->fp; }

const char *em_outfile_tmp(const em_outfile *f) { return f->tmp ? f->tmp : "-"; }

void em_outfile_explain(const em_outfile *f, em_diag *d) {
  if (!f || !d || !f->tmp) return;
  const char *pre = f->kind == K_EXTERNAL ? f->tmpdir : f->tmp;
  size_t n = strlen(pre);
  if (strncmp(d->path, pre, n) != 0 || (d->path[n] != '/' && d->path[n] != '\0')) return;
  char rest[EM_DIAG_PATH_MAX];
  /* external: whatever the other program named inside its folder is the output */
  snprintf(rest, sizeof rest, "%s", f->kind == K_DIR ? d->path + n : "");
  snprintf(d->path, sizeof d->path, "%s%s", f->shown, rest);
}

/* ---- commit ---- */

static em_status add_move(em_outfile *f, const char *src, const char *dst, em_diag *d) {
  if (f->nmv == f->cap) {
    size_t cap = f->cap ? 2 * f->cap : 16;
    move_t *p = realloc(f->mv, cap * sizeof *p);
    if (!p) return em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
    f->mv = p;
    f->cap = cap;
  }
  move_t *m = &f->mv[f->nmv];
  m->src = strdup(src);
  m->dst = strdup(dst);
  if (!m->src || !m->dst) {
    free(m->src);
    free(m->dst);
    return em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  }
  f->nmv++;
  return EM_OK;
}

/* Every file of a staged folder that is new at dst: none may be an input
 * or another output. */
static em_status check_new_tree(em_outfile *f, const char *src, const char *dst, int depth,
                                em_diag *d) {
  if (depth > 16) return em_diag_set(d, EM_ERR_LIMIT, f->shown, 0, 0, "reports nested too deep");
  DIR *dp = opendir(src);
  if (!dp) return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot read: %s", strerror(errno));
  em_status st = EM_OK;
  struct dirent *e;
  while (st == EM_OK && (e = readdir(dp))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *s = join(src, "/", e->d_name), *t = join(dst, "/", e->d_name);
    struct stat sb;
    if (!s || !t) st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
    else if (lstat(s, &sb) == 0 && S_ISDIR(sb.st_mode)) st = check_new_tree(f, s, t, depth + 1, d);
    else st = em_iocheck_target(f->io, t, d);
    free(s);
    free(t);
  }
  closedir(dp);
  return st;
}

/* Plans the merge of staged folder src into the existing folder dst. */
static em_status plan_merge(em_outfile *f, const char *src, const char *dst, dev_t dev, int depth,
                            em_diag *d) {
  if (depth > 16) return em_diag_set(d, EM_ERR_LIMIT, f->shown, 0, 0, "reports nested too deep");
  DIR *dp = opendir(src);
  if (!dp) return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot read: %s", strerror(errno));
  em_status st = EM_OK;
  struct dirent *e;
  while (st == EM_OK && (e = readdir(dp))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char *s = join(src, "/", e->d_name), *t = join(dst, "/", e->d_name), *real = NULL;
    struct stat ss, ts;
    if (!s || !t) {
      st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
    } else if (lstat(s, &ss) != 0) {
      st = em_diag_set(d, EM_ERR_IO, s, 0, 0, "cannot read: %s", strerror(errno));
    } else if (lstat(t, &ts) != 0) {
      if (errno != ENOENT) st = em_diag_set(d, EM_ERR_IO, t, 0, 0, "%s", strerror(errno));
      else if (S_ISDIR(ss.st_mode)) st = check_new_tree(f, s, t, depth + 1, d);
      else st = em_iocheck_target(f->io, t, d);
      if (st == EM_OK) st = add_move(f, s, t, d);
    } else if (S_ISDIR(ss.st_mode)) {
      if ((st = em_outpath_resolve(t, EM_OUT_DIR, &real, d)) == EM_OK) {
        if (stat(real, &ts) == 0 && ts.st_dev != dev)
          st = em_diag_set(d, EM_ERR_INVALID, t, 0, 0,
                           "output is a symbolic link to another file system");
        else st = plan_merge(f, s, t, dev, depth + 1, d);
      }
    } else if ((st = em_outpath_resolve(t, EM_OUT_FILE, &real, d)) == EM_OK) {
      /* a symbolic link is written through, if rename can reach its file */
      if (stat(real, &ts) == 0 && ts.st_dev != dev)
        st = em_diag_set(d, EM_ERR_INVALID, t, 0, 0,
                         "output is a symbolic link to another file system");
      if (st == EM_OK) st = em_iocheck_target(f->io, real, d);
      if (st == EM_OK) st = add_move(f, s, real, d);
    }
    free(real);
    free(s);
    free(t);
  }
  closedir(dp);
  return st;
}

/* Everything that can fail short of renaming: flush and close streams,
 * check what another program wrote, plan a folder's merge. */
static em_status prepare(em_outfile *f, em_diag *d) {
  switch (f->kind) {
  case K_STDOUT: {
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
      return em_diag_set(d, EM_ERR_IO, "<stdout>", 0, 0, "write error: %s",
                         em_errno_text(errno));
    return EM_OK;
  }
  case K_STREAM: {
    errno = 0;
    int bad = ferror(f->fp);
    if (fclose(f->fp) != 0) bad = 1;
    int e = errno;
    f->fp = NULL;
    if (bad)
      return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "write error: %s",
                         em_errno_text(e));
    return EM_OK;
  }
  case K_EXTERNAL: {
    struct stat sb;
    if (stat(f->tmp, &sb) != 0 || !S_ISREG(sb.st_mode))
      return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "was not written");
    return EM_OK;
  }
  default: {
    struct stat sb, tb;
    if (stat(f->tmp, &sb) != 0)
      return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "staging folder vanished: %s",
                         strerror(errno));
    if (lstat(f->path, &tb) != 0 && errno == ENOENT) {
      f->whole = 1;
      return check_new_tree(f, f->tmp, f->path, 0, d);
    }
    return plan_merge(f, f->tmp, f->path, sb.st_dev, 0, d);
  }
  }
}

/* Renames into place; on failure the temporaries are removed. */
static em_status finish(em_outfile *f, em_diag *d) {
  em_status st = EM_OK;
  switch (f->kind) {
  case K_STDOUT: break;
  case K_STREAM:
  case K_EXTERNAL:
    if (rename(f->tmp, f->path) != 0)
      st = em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot rename into place: %s",
                       strerror(errno));
    else f->renamed = f->kind == K_STREAM;
    break;
  default:
    if (f->whole) {
      if (rename(f->tmp, f->path) != 0)
        st = em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot rename into place: %s",
                         strerror(errno));
      else f->renamed = 1;
    } else {
      for (size_t i = 0; i < f->nmv && st == EM_OK; i++)
        if (rename(f->mv[i].src, f->mv[i].dst) != 0)
          st = em_diag_set(d, EM_ERR_IO, f->mv[i].dst, 0, 0, "cannot rename into place: %s",
                           strerror(errno));
    }
  }
  if (st == EM_OK) { /* the folders made above the output hold it now */
    for (int i = 0; i < f->nmade; i++) {
      em_cleanup_remove(f->made_slot[i]);
      free(f->made[i]);
    }
    f->nmade = 0;
  }
  return st;
}

em_status em_outfile_commit_all(em_outfile *const *fs, size_t n, em_diag *d) {
  em_status st = EM_OK;
  for (size_t i = 0; i < n && st == EM_OK; i++)
    if (fs[i]) st = prepare(fs[i], d);
  if (st == EM_OK) {
    sigset_t old;
    em_cleanup_block(&old);
    for (size_t i = 0; i < n; i++) {
      if (!fs[i]) continue;
      if (st == EM_OK) st = finish(fs[i], d);
      em_outfile_abort(fs[i]); /* removes what was not renamed, frees */
    }
    em_cleanup_unblock(&old);
    return st;
  }
  for (size_t i = 0; i < n; i++) {
    em_outfile_explain(fs[i], d);
    em_outfile_abort(fs[i]);
  }
  return st;
}

em_status em_outfile_commit(em_outfile *f, em_diag *d) { return em_outfile_commit_all(&f, 1, d); }

void em_outfile_abort(em_outfile *f) {
  if (!f) return;
  if (f->fp && f->kind != K_STDOUT) fclose(f->fp);
  if (f->kind == K_STREAM && f->tmp && !f->renamed) unlink(f->tmp);
  if (f->kind == K_EXTERNAL && f->tmpdir) em_remove_tree(f->tmpdir);
  if (f->kind == K_DIR && f->tmp && !f->renamed) em_remove_tree(f->tmp); /* a merge's leftovers */
  em_cleanup_remove(f->slot);
  for (int i = f->nmade - 1; i >= 0; i--) {
    rmdir(f->made[i]);
    em_cleanup_remove(f->made_slot[i]);
  }
  free_outfile(f);
}

em_status em_mkdir_p(const char *path, em_diag *d) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf)
    return em_diag_set(d, EM_ERR_INVALID, path, 0, 0, "bad directory name");
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] == '/' || buf[i] == '\0') {
      char c = buf[i];
      buf[i] = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot create directory: %s",
                           strerror(errno));
      buf[i] = c;
    }
  }
  struct stat sb;
  if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "not a directory");
  return EM_OK;
}

FILE *em_tmpfile(char *dir, size_t dir_size) {
  const char *t = getenv("TMPDIR");
  if (!t || !*t) t = "/tmp";
  snprintf(dir, dir_size, "%s", t);
  char path[4096];
  if (snprintf(path, sizeof path, "%s/emlsim.XXXXXX", t) >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  int fd = mkstemp(path);
  if (fd < 0) return NULL;
  unlink(path);
  fcntl(fd, F_SETFD, FD_CLOEXEC); /* not gnuplot's, which popen starts */
  FILE *f = fdopen(fd, "w+b");
  if (!f) {
    int e = errno;
    close(fd);
    errno = e;
  }
  return f;
}
