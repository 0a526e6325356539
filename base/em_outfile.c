/* em_outfile.c - temporary-then-rename output files (em_outfile.h). */
#define _POSIX_C_SOURCE 200809L
#include "em_outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct em_outfile {
  FILE *fp;
  char *path;
  char *tmp; /* NULL for stdout */
};

em_status em_outfile_open(const char *path, em_outfile **out, em_diag *d) {
  *out = NULL;
  em_outfile *f = calloc(1, sizeof *f);
  if (!f) return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
  if (strcmp(path, "-") == 0) {
    f->fp = stdout;
    *out = f;
    return EM_OK;
  }
  size_t n = strlen(path);
  f->path = strdup(path);
  f->tmp = malloc(n + 16);
  if (!f->path || !f->tmp) goto nomem;
  memcpy(f->tmp, path, n);
  memcpy(f->tmp + n, ".tmp.XXXXXX", 12);
  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    em_status st = em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot create: %s",
                               strerror(errno));
    free(f->path);
    free(f->tmp);
    free(f);
    return st;
  }
  f->fp = fdopen(fd, "w");
  if (!f->fp) {
    close(fd);
    unlink(f->tmp);
    goto nomem;
  }
  *out = f;
  return EM_OK;
nomem:
  free(f->path);
  free(f->tmp);
  free(f);
  return em_diag_set(d, EM_ERR_NOMEM, path, 0, 0, "out of memory");
}

FILE *em_outfile_fp(em_outfile *f) { return f->fp; }

em_status em_outfile_commit(em_outfile *f, em_diag *d) {
  em_status st = EM_OK;
  if (!f->tmp) {
    if (fflush(f->fp) != 0)
      st = em_diag_set(d, EM_ERR_IO, "<stdout>", 0, 0, "write error: %s",
                       strerror(errno));
    free(f);
    return st;
  }
  int bad = ferror(f->fp);
  if (fclose(f->fp) != 0) bad = 1;
  if (bad) {
    st = em_diag_set(d, EM_ERR_IO, f->path, 0, 0, "write error: %s", strerror(errno));
    unlink(f->tmp);
  } else {
    /* mkstemp makes 0600 files; outputs are ordinary files. */
    mode_t um = umask(0);
    umask(um);
    chmod(f->tmp, 0666 & ~um);
    if (rename(f->tmp, f->path) != 0) {
      st = em_diag_set(d, EM_ERR_IO, f->path, 0, 0, "cannot rename into place: %s",
                       strerror(errno));
      unlink(f->tmp);
    }
  }
  free(f->path);
  free(f->tmp);
  free(f);
  return st;
}

void em_outfile_abort(em_outfile *f) {
  if (!f) return;
  if (f->tmp) {
    fclose(f->fp);
    unlink(f->tmp);
  }
  free(f->path);
  free(f->tmp);
  free(f);
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
