/*
 * em_outfile.c - temporary-then-rename outputs (em_outfile.h).
 *
 * Temporary names are TARGET.tmp.XXXXXX with six random letters (TARGET's
 * last component cut to its first 244 bytes where it is longer: make_temp),
 * made with O_EXCL (or mkdir) after they are registered in em_cleanup, so
 * that no moment exists when a temporary is on disk and a signal would not
 * find it.
 * Streams are created 0666 and folders 0777, less the umask: a committed
 * output has the permissions any new file would.
 */
#define _XOPEN_SOURCE 700 /* S_ISVTX, beside POSIX.1-2008 */
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

/* A growing list of strings the list owns. */
typedef struct {
  char **v;
  size_t n, cap;
} strs_t;

/* Appends s (taken over, freed on failure); -1 when out of memory. */
static int strs_push(strs_t *l, char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    char **p = realloc(l->v, cap * sizeof *p);
    if (!p) {
      free(s);
      return -1;
    }
    l->v = p;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return 0;
}

static void strs_free(strs_t *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

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
  char *manifest; /* dir: the list's name, .emlsim-OWNER-files */
  strs_t stale;   /* dir: the earlier run's files this one does not write */
};

/* A folder output lists the files it wrote in DIR/.emlsim-OWNER-files (OWNER
 * the command that wrote them), one a line after a first line of comment:
 * its size in bytes, a hash of its bytes (64-bit FNV-1a, in hex) and its
 * path relative to DIR; a later run of the same command into DIR removes
 * those it does not write again, so that the folder never mixes two of its
 * runs, and only while each holds what the list says (a file changed
 * since, or one a list that came with the folder from elsewhere names
 * without its bytes, stays: a planted list removed any file of the user's
 * it named).  Sizes and contents, not times: two runs write one list.
 * Other files in DIR, and those another command wrote there, are left
 * alone.  Only in a folder that is the user's own (private: theirs,
 * and no one else may write it), and only files that are theirs: in a
 * shared folder (/tmp) another user could write the list, or swap a folder
 * on the way for a link, so there no list is kept and nothing is removed. */
#define MANIFEST_MAX (64u << 20)

/* Whether sb is the user's own and no one else may write it. */
static int private_to_me(const struct stat *sb) {
  return sb->st_uid == geteuid() && !(sb->st_mode & (S_IWGRP | S_IWOTH));
}

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
  strs_free(&f->stale);
  free(f->manifest);
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

/* A state for rand_name, seeded by time, pid and an address (p). */
static uint64_t name_seed(const void *p) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t x = ((uint64_t)ts.tv_nsec << 1) ^ ((uint64_t)ts.tv_sec << 32) ^
               ((uint64_t)getpid() << 20) ^ (uint64_t)(uintptr_t)p;
  return x | 1;
}

/* Six random letters and digits at p (xorshift64 on *x): names that
 * O_EXCL, mkdir or a look settles clashes of. */
static void rand_name(char *p, uint64_t *x) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  uint64_t y = *x;
  for (int i = 0; i < 6; i++, y /= 62) p[i] = al[y % 62];
}

/* The error for ENOENT on creating the temporary `tmp`: where its folder
 * is there, the filesystem makes no files in it (/proc: `-o /proc/version`
 * said "cannot create: No such file or directory" of a file that exists). */
static em_status no_new_files(const char *tmp, const char *shown, em_diag *d) {
  char dir[4096];
  const char *slash = strrchr(tmp, '/');
  size_t n = slash ? (size_t)(slash - tmp) + (slash == tmp) : 1;
  if (n >= sizeof dir) n = sizeof dir - 1;
  memcpy(dir, slash ? tmp : ".", n);
  dir[n] = '\0';
  struct stat sb;
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
    return em_diag_set(d, EM_ERR_IO, shown, 0, 0, "cannot create: %s", strerror(ENOENT));
  return em_diag_set(d, EM_ERR_IO, shown, 0, 0,
                     "cannot write here: the folder '%s' takes no new files (a special "
                     "filesystem such as /proc: an output is written beside its target first, "
                     "then renamed into place)",
                     dir);
}

/* Creates base.tmp.XXXXXX (a file, open for writing as *fd, or a folder)
 * registered for cleanup in *slot.  A last component too long to take
 * ".tmp.XXXXXX" within TEMP_NAME_MAX bytes (names of 245 to 255 bytes are
 * legal, their temporaries were not: "cannot create: File name too long")
 * keeps its first TEMP_NAME_MAX - 11 bytes: the temporary stays in the
 * target's folder (the rename is still atomic), the random letters and
 * O_EXCL / mkdir keep it unique, and nothing reads the target's name back
 * from the temporary's (each output holds both). */
#define TEMP_NAME_MAX 255 /* NAME_MAX of Linux's filesystems */
static em_status make_temp(const char *base, int is_dir, const char *shown, char **name, int *slot,
                           int *fd, em_diag *d) {
  size_t n = strlen(base);
  const char *last = strrchr(base, '/');
  size_t dir_n = last ? (size_t)(last - base) + 1 : 0;
  if (n - dir_n > TEMP_NAME_MAX - 11) {
    n = dir_n + (TEMP_NAME_MAX - 11);
    while (n > dir_n + 1 && ((unsigned char)base[n] & 0xC0) == 0x80) n--; /* whole UTF-8 */
  }
  char *p = malloc(n + 12);
  if (!p) return em_diag_set(d, EM_ERR_NOMEM, shown, 0, 0, "out of memory");
  memcpy(p, base, n);
  memcpy(p + n, ".tmp.", 5);
  p[n + 11] = '\0';
  uint64_t x = name_seed(p);
  for (int tries = 0; tries < 100; tries++) {
    rand_name(p + n + 5, &x);
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
      em_status st = e == ENOENT ? no_new_files(p, shown, d)
                                 : em_diag_set(d, EM_ERR_IO, shown, 0, 0, "cannot create: %s",
                                               strerror(e));
      free(p);
      return st;
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

em_status em_outdir_open(const char *path, const em_iocheck *io, const char *owner,
                         em_outfile **out, em_diag *d) {
  *out = NULL;
  em_outfile *f = new_outfile(K_DIR, path);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  f->io = io;
  f->manifest = join(".emlsim-", owner, "-files");
  if (!f->manifest) {
    em_outfile_abort(f);
    return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  }
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

/* ---- the folder's list of files (f->manifest) ---- */

/* Lists the regular files under dir (rel: their path below the staging
 * folder so far, "" at the top) into l, the manifest itself left out. */
static em_status list_files(em_outfile *f, const char *dir, const char *rel, int depth, strs_t *l,
                            em_diag *d) {
  if (depth > 16) return em_diag_set(d, EM_ERR_LIMIT, f->shown, 0, 0, "reports nested too deep");
  DIR *dp = opendir(dir);
  if (!dp) return em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "cannot read: %s", strerror(errno));
  em_status st = EM_OK;
  struct dirent *e;
  while (st == EM_OK && (e = readdir(dp))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (!*rel && strcmp(e->d_name, f->manifest) == 0) continue;
    if (strchr(e->d_name, '\n')) continue; /* not a line of the list; none is written so */
    char *s = join(dir, "/", e->d_name), *r = join(rel, *rel ? "/" : "", e->d_name);
    struct stat sb;
    if (!s || !r) st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
    else if (lstat(s, &sb) != 0) st = em_diag_set(d, EM_ERR_IO, s, 0, 0, "cannot read: %s",
                                                  strerror(errno));
    else if (S_ISDIR(sb.st_mode)) st = list_files(f, s, r, depth + 1, l, d);
    else if (S_ISREG(sb.st_mode)) {
      if (strs_push(l, r) != 0) st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
      r = NULL; /* the list's now */
    }
    free(s);
    free(r);
  }
  closedir(dp);
  return st;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 64-bit FNV-1a of the file's bytes into *h; nonzero where it cannot be
 * read (a list is then not written: the run's write error). */
static int file_hash(const char *path, uint64_t *h) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  uint64_t x = 0xcbf29ce484222325ull;
  unsigned char buf[65536];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
    for (ssize_t i = 0; i < r; i++) x = (x ^ buf[i]) * 0x100000001b3ull;
  close(fd);
  *h = x;
  return r < 0 ? -1 : 0;
}

/* Writes the staging folder's list: every file it holds, sorted (the
 * same reports make the same list, whatever order the folder gives). */
static em_status write_manifest(em_outfile *f, em_diag *d) {
  strs_t l = {0};
  em_status st = list_files(f, f->tmp, "", 0, &l, d);
  if (st == EM_OK) qsort(l.v, l.n, sizeof *l.v, cmp_str);
  char *path = st == EM_OK ? join(f->tmp, "/", f->manifest) : NULL;
  if (st == EM_OK && !path) st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  if (st == EM_OK) {
    errno = 0;
    FILE *fp = fopen(path, "w");
    int bad = !fp || fputs("# emlsim: the files the last run wrote in this folder (bytes, "
                           "FNV-1a hash, path)\n",
                           fp) < 0;
    for (size_t i = 0; i < l.n && !bad; i++) {
      char *s = join(f->tmp, "/", l.v[i]);
      struct stat sb;
      uint64_t h;
      bad = !s || lstat(s, &sb) != 0 || file_hash(s, &h) != 0 ||
            fprintf(fp, "%llu %016llx %s\n", (unsigned long long)sb.st_size,
                    (unsigned long long)h, l.v[i]) < 0;
      free(s);
    }
    if (fp && fclose(fp) != 0) bad = 1;
    if (bad)
      st = em_diag_set(d, EM_ERR_IO, f->shown, 0, 0, "write error: %s", em_errno_text(errno));
  }
  free(path);
  strs_free(&l);
  return st;
}

/* Whether rel (a line of an earlier list) names a regular file of the
 * folder reached through real folders only: not absolute, no "." or ".."
 * part, no symbolic link on the way (a list is data, and must not reach
 * outside the folder). */
static int stale_file(const char *root, const char *rel, uint64_t size, uint64_t hash,
                      char **out) {
  *out = NULL;
  size_t n = strlen(rel);
  if (n == 0 || n >= 4096 || rel[0] == '/') return 0;
  for (const char *p = rel; *p;) {
    const char *q = strchr(p, '/');
    size_t k = q ? (size_t)(q - p) : strlen(p);
    if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.')) return 0;
    p += k + (q != NULL);
    if (q && !*p) return 0; /* a trailing slash */
  }
  char *path = join(root, "/", rel);
  if (!path) return -1;
  struct stat sb;
  int ok = 1; /* every folder on the way a real one of the user's own (no
               * one else could swap it for a link), the file theirs */
  for (char *p = path + strlen(root) + 1; ok && (p = strchr(p, '/')); p++) {
    *p = '\0';
    ok = lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && private_to_me(&sb);
    *p = '/';
  }
  /* and as the list has it: the size and bytes the run wrote */
  uint64_t h = 0;
  if (!ok || lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
      (uint64_t)sb.st_size != size || file_hash(path, &h) != 0 || h != hash) {
    free(path);
    return 0;
  }
  *out = path;
  return 1;
}

/* The earlier run's files (its list in DIR) that the staging folder does not
 * hold: each is removed at commit, with the rest. */
static em_status plan_stale(em_outfile *f, em_diag *d) {
  char *mpath = join(f->path, "/", f->manifest);
  if (!mpath) return em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  int fd = open(mpath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  free(mpath);
  struct stat sb;
  if (fd < 0) return EM_OK; /* none (or not ours to read): nothing known stale */
  /* a list someone else wrote, or could have, is no one's word */
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !private_to_me(&sb) ||
      sb.st_size > (off_t)MANIFEST_MAX) {
    close(fd);
    return EM_OK;
  }
  char *text = malloc((size_t)sb.st_size + 1);
  if (!text) {
    close(fd);
    return em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  }
  size_t got = 0;
  for (ssize_t r; got < (size_t)sb.st_size &&
                  (r = read(fd, text + got, (size_t)sb.st_size - got)) > 0;)
    got += (size_t)r;
  close(fd);
  text[got] = '\0';
  em_status st = EM_OK;
  for (char *line = text, *end = text + got, *next; st == EM_OK && line < end; line = next) {
    char *nl = memchr(line, '\n', (size_t)(end - line));
    next = nl ? nl + 1 : end;
    if (nl) *nl = '\0';
    /* the first line's comment, an empty line, or one with a NUL byte in
     * it: not a path (a later '#' starts a name: run_name = #exp) */
    if ((line == text && line[0] == '#') || line[0] == '\0' ||
        strlen(line) != (size_t)((nl ? nl : end) - line))
      continue;
    /* "BYTES HASH PATH" (HASH 16 hex digits); another line (a list of an
     * older emlsim, paths alone) names nothing to remove */
    char *e;
    if (line[0] < '0' || line[0] > '9') continue;
    errno = 0;
    unsigned long long size = strtoull(line, &e, 10);
    if (errno || *e != ' ' || strspn(e + 1, "0123456789abcdef") != 16 || e[17] != ' ' || !e[18])
      continue;
    unsigned long long hash = strtoull(e + 1, NULL, 16);
    line = e + 18;
    char *staged = join(f->tmp, "/", line), *old = NULL;
    struct stat tb;
    if (!staged) {
      st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
      break;
    }
    int again = lstat(staged, &tb) == 0; /* this run writes it too */
    free(staged);
    if (again) continue;
    int k = stale_file(f->path, line, size, hash, &old);
    if (k < 0) st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
    /* an earlier run's file that this run reads (a workload, --load's
     * weights) or writes through another option stays: it is the user's
     * now (removing it deleted the very file the run had read) */
    em_diag ignored;
    if (k > 0 && em_iocheck_target(f->io, old, &ignored) != EM_OK) {
      free(old);
      continue;
    }
    if (k > 0 && strs_push(&f->stale, old) != 0)
      st = em_diag_set(d, EM_ERR_NOMEM, f->shown, 0, 0, "out of memory");
  }
  free(text);
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
    /* the list: in a folder of the user's own only (MANIFEST_MAX above);
     * a new folder is the staging folder renamed, as private as it is */
    int whole = lstat(f->path, &tb) != 0 && errno == ENOENT;
    int own = whole ? private_to_me(&sb) : stat(f->path, &tb) == 0 && private_to_me(&tb);
    em_status st = own ? write_manifest(f, d) : EM_OK;
    if (st != EM_OK) return st;
    if (whole) {
      f->whole = 1;
      return check_new_tree(f, f->tmp, f->path, 0, d);
    }
    st = own ? plan_stale(f, d) : EM_OK;
    return st == EM_OK ? plan_merge(f, f->tmp, f->path, sb.st_dev, 0, d) : st;
  }
  }
}

/* ---- the renames, as one transaction ---- */

/* One rename of a commit: src over dst (src NULL: dst, an earlier run's
 * file, is removed).  An existing dst is kept first under bak, a hard link
 * to it (moved 0) or, where the file system has none, dst renamed (moved
 * 1), so that a later failure can put every earlier one back. */
typedef struct {
  const char *src, *dst;
  const char *root; /* a removal: the output folder it is in */
  char *bak;
  int moved, done;
  int fresh; /* a folder renamed whole: its target was not there, and must not be */
  int skip;  /* a removal of a file this commit writes anew: not done */
  int there; /* the target existed when the commit began */
  dev_t dev; /* the existing target's file, for duplicates (ino 0: none) */
  ino_t ino;
} act_t;

/* Whether the sticky bit of dst's folder forbids this user to replace or
 * remove dst (rename(2) would fail with EPERM after the earlier renames). */
static int sticky_refuses(const char *dst) {
  char *dir = strdup(dst);
  if (!dir) return 0;
  char *slash = strrchr(dir, '/');
  if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
  struct stat ds, fs;
  uid_t me = geteuid();
  int no = me != 0 && stat(slash ? dir : ".", &ds) == 0 && (ds.st_mode & S_ISVTX) &&
           lstat(dst, &fs) == 0 && fs.st_uid != me && ds.st_uid != me;
  free(dir);
  return no;
}

/* A free name beside dst for its backup: DIR/.emlsim.bak.XXXXXX. */
static char *bak_name(const char *dst, uint64_t *seed) {
  const char *slash = strrchr(dst, '/');
  size_t n = slash ? (size_t)(slash - dst) + 1 : 0;
  char *p = malloc(n + 19);
  if (!p) return NULL;
  memcpy(p, dst, n);
  memcpy(p + n, ".emlsim.bak.", 12);
  p[n + 18] = '\0';
  for (int tries = 0; tries < 100; tries++) {
    rand_name(p + n + 12, seed);
    struct stat sb;
    if (lstat(p, &sb) != 0 && errno == ENOENT) return p;
  }
  free(p);
  return NULL;
}

/* Keeps a's existing dst under a->bak; errno set on failure. */
static int keep_old(act_t *a, uint64_t *seed) {
  for (int tries = 0; tries < 10; tries++) {
    char *b = bak_name(a->dst, seed);
    if (!b) {
      errno = EEXIST; /* no free name, or no memory for one */
      return -1;
    }
    if (a->src && link(a->dst, b) == 0) {
      a->bak = b;
      a->moved = 0;
      return 0;
    }
    if (a->src && errno == EEXIST) { /* taken since bak_name looked */
      free(b);
      continue;
    }
    /* a removal, or no hard link here (a FAT file system, say) */
    if (rename(a->dst, b) == 0) {
      a->bak = b;
      a->moved = 1;
      return 0;
    }
    int e = errno;
    free(b);
    errno = e;
    return -1;
  }
  errno = EEXIST;
  return -1;
}

/* Puts act a back as it was before the commit: the old file where a backup
 * holds it, else the new one back to its temporary name (abort removes it).
 * Returns 0, or -1 where that failed (the backup is left for the user). */
static int undo(act_t *a) {
  int bad = 0;
  if (a->done && a->src && !a->bak) bad = rename(a->dst, a->src) != 0;
  else if (a->bak && (a->done || a->moved || !a->src)) bad = rename(a->bak, a->dst) != 0;
  else if (a->bak) unlink(a->bak); /* a link, dst untouched: nothing lost if it stays */
  if (!bad) {
    free(a->bak);
    a->bak = NULL;
  }
  a->done = 0;
  return bad ? -1 : 0;
}

/* Removes the folders that the removal of an earlier run's file left empty,
 * up to the output folder root. */
static void prune_empty(const char *root, const char *file) {
  char *p = strdup(file);
  if (!p) return;
  size_t nr = strlen(root);
  for (char *slash; (slash = strrchr(p, '/')) && (size_t)(slash - p) > nr;) {
    *slash = '\0';
    if (rmdir(p) != 0) break;
  }
  free(p);
}

static int cmp_file(const void *x, const void *y) {
  const act_t *a = *(const act_t *const *)x, *b = *(const act_t *const *)y;
  if (a->dev != b->dev) return a->dev < b->dev ? -1 : 1;
  if (a->ino != b->ino) return a->ino < b->ino ? -1 : 1;
  return (a->src == NULL) - (b->src == NULL); /* a removal after a rename */
}

/* Looks at every act's target once: whether it is there (a->there), and
 * two acts on one existing file (an output reaching another's through a
 * symbolic link, a removal of a file a rename replaces), where the second
 * would see the first's doing.  Two renames onto it: an error; a removal
 * beside a rename: the removal is dropped. */
static em_status one_act_a_file(act_t *acts, size_t na, const char **shown, em_diag *d) {
  act_t **by = malloc((na ? na : 1) * sizeof *by);
  if (!by) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  size_t m = 0;
  for (size_t i = 0; i < na; i++) {
    struct stat sb;
    if (lstat(acts[i].dst, &sb) != 0) {
      if (errno != ENOENT) acts[i].there = 1; /* unknown: keep_old says why */
      continue;
    }
    acts[i].there = 1;
    if (acts[i].fresh) continue; /* refused below */
    acts[i].dev = sb.st_dev;
    acts[i].ino = sb.st_ino;
    by[m++] = &acts[i];
  }
  qsort(by, m, sizeof *by, cmp_file);
  em_status st = EM_OK;
  for (size_t i = 1; i < m && st == EM_OK; i++) {
    act_t *a = by[i - 1], *b = by[i];
    if (a->dev != b->dev || a->ino != b->ino) continue;
    if (!b->src) b->skip = 1; /* sorted: a removal comes after any rename */
    else
      st = em_diag_set(d, EM_ERR_INVALID, shown[b - acts], 0, 0,
                       "two outputs are the same file ('%s' too)", shown[a - acts]);
  }
  free(by);
  return st;
}

/* Renames every output into place, all or none: existing targets are kept
 * (keep_old) before the first rename, and a failure puts back every
 * rename done, the last first. */
static em_status transact(em_outfile *const *fs, size_t n, em_diag *d) {
  size_t na = 0;
  for (size_t i = 0; i < n; i++) {
    if (!fs[i]) continue;
    em_outfile *f = fs[i];
    if (f->kind == K_STREAM || f->kind == K_EXTERNAL || (f->kind == K_DIR && f->whole)) na++;
    else if (f->kind == K_DIR) na += f->nmv + f->stale.n;
  }
  act_t *acts = calloc(na ? na : 1, sizeof *acts);
  const char **shown = calloc(na ? na : 1, sizeof *shown);
  if (!acts || !shown) {
    free(acts);
    free(shown);
    return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    em_outfile *f = fs[i];
    if (!f || f->kind == K_STDOUT) continue;
    if (f->kind != K_DIR || f->whole) {
      acts[k].src = f->tmp;
      acts[k].dst = f->path;
      acts[k].fresh = f->kind == K_DIR;
      shown[k++] = f->shown;
      continue;
    }
    for (size_t j = 0; j < f->nmv; j++) {
      acts[k].src = f->mv[j].src;
      acts[k].dst = f->mv[j].dst;
      shown[k++] = f->mv[j].dst;
    }
    for (size_t j = 0; j < f->stale.n; j++) {
      acts[k].dst = f->stale.v[j];
      acts[k].root = f->path;
      shown[k++] = f->stale.v[j];
    }
  }
  em_status st = one_act_a_file(acts, na, shown, d);
  uint64_t seed = name_seed(acts);
  size_t i;
  /* 1: keep what is to be replaced or removed; nothing new is in place yet */
  for (i = 0; i < na && st == EM_OK; i++) {
    act_t *a = &acts[i];
    if (a->skip || !a->there) continue; /* not done, or new */
    if (a->fresh) /* a folder of that name appeared since: never hidden aside */
      st = em_diag_set(d, EM_ERR_IO, shown[i], 0, 0, "cannot rename into place: %s",
                       strerror(EEXIST));
    else if (sticky_refuses(a->dst))
      st = em_diag_set(d, EM_ERR_IO, shown[i], 0, 0, "cannot %s: %s (the folder is sticky and "
                       "the file another user's)", a->src ? "replace" : "remove the earlier "
                       "run's file", strerror(EPERM));
    else if (keep_old(a, &seed) != 0)
      st = em_diag_set(d, EM_ERR_IO, shown[i], 0, 0, "cannot %s: %s",
                       a->src ? "replace" : "remove the earlier run's file", strerror(errno));
  }
  /* 2: the renames */
  for (i = 0; i < na && st == EM_OK; i++) {
    act_t *a = &acts[i];
    if (!a->src) continue;
    if (rename(a->src, a->dst) != 0)
      st = em_diag_set(d, EM_ERR_IO, shown[i], 0, 0, "cannot rename into place: %s",
                       strerror(errno));
    else a->done = 1;
  }
  size_t lost = 0;
  for (i = na; i-- > 0;) { /* the last first: each undo sees what its act saw */
    act_t *a = &acts[i];
    if (st != EM_OK) lost += undo(a) != 0;
    else if (a->bak && unlink(a->bak) == 0 && !a->src) prune_empty(a->root, a->dst);
    free(a->bak);
  }
  if (lost && d->msg[0]) {
    size_t len = strlen(d->msg);
    snprintf(d->msg + len, sizeof d->msg - len, "; %zu file%s could not be put back as %s "
             "(an earlier one kept as .emlsim.bak.* beside it)", lost, lost == 1 ? "" : "s",
             lost == 1 ? "it was" : "they were");
  }
  free(acts);
  free(shown);
  return st;
}

/* After the renames: what is in place is no longer to be removed, and the
 * folders made above an output hold it now. */
static void settle(em_outfile *f) {
  if (f->kind == K_STREAM || (f->kind == K_DIR && f->whole)) f->renamed = 1;
  for (int i = 0; i < f->nmade; i++) {
    em_cleanup_remove(f->made_slot[i]);
    free(f->made[i]);
  }
  f->nmade = 0;
}

em_status em_outfile_commit_all(em_outfile *const *fs, size_t n, em_diag *d) {
  em_status st = EM_OK;
  /* standard output first: a run whose chatter cannot be written fails
   * (exit 1), so it must leave no file either */
  errno = 0;
  if (fflush(stdout) != 0 || ferror(stdout))
    st = em_diag_set(d, EM_ERR_IO, "<stdout>", 0, 0, "write error: %s", em_errno_text(errno));
  for (size_t i = 0; i < n && st == EM_OK; i++)
    if (fs[i]) st = prepare(fs[i], d);
  if (st == EM_OK) {
    sigset_t old;
    em_cleanup_block(&old);
    st = transact(fs, n, d);
    for (size_t i = 0; i < n; i++) {
      if (!fs[i]) continue;
      if (st == EM_OK) settle(fs[i]);
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
