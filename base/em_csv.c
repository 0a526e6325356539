/*
 * em_csv.c - CSV reader with positions and limits (em_csv.h).
 *
 * Lines are read with getc into a buffer that grows up to EM_CSV_LINE_MAX;
 * a longer line is refused without reading the rest of it into memory.
 */
#include "em_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct em_csv_reader {
  FILE *fp;
  int owns_fp;
  char *path;
  uint64_t line;      /* line of the row last returned */
  uint64_t next_line; /* line number of the next physical line */
  char *buf;          /* raw line */
  size_t cap;
  char *membuf;       /* backing text of an in-memory reader */
  char *cells;        /* unquoted field text, NUL-separated */
  size_t cells_cap;
  em_csv_field fields[EM_CSV_FIELDS_MAX];
};

static em_status open_common(const char *name, FILE *fp, int owns,
                             em_csv_reader **out, em_diag *d) {
  em_csv_reader *r = calloc(1, sizeof *r);
  if (!r) goto fail;
  r->path = strdup(name);
  if (!r->path) goto fail;
  r->fp = fp;
  r->owns_fp = owns;
  r->next_line = 1;
  *out = r;
  return EM_OK;
fail:
  if (owns && fp) fclose(fp);
  if (r) free(r->path);
  free(r);
  return em_diag_set(d, EM_ERR_NOMEM, name, 0, 0, "out of memory");
}

em_status em_csv_open(const char *path, em_csv_reader **out, em_diag *d) {
  *out = NULL;
  if (strcmp(path, "-") == 0) return open_common("<stdin>", stdin, 0, out, d);
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return em_diag_set(d, EM_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
  return open_common(path, fp, 1, out, d);
}

em_status em_csv_open_mem(const char *name, const char *buf, size_t len,
                          em_csv_reader **out, em_diag *d) {
  *out = NULL;
  /* fmemopen on a private copy: the caller's buffer may go away. */
  char *copy = malloc(len + 1);
  if (!copy) return em_diag_set(d, EM_ERR_NOMEM, name, 0, 0, "out of memory");
  memcpy(copy, buf, len);
  copy[len] = '\0';
  FILE *fp = len ? fmemopen(copy, len, "rb") : fopen("/dev/null", "rb");
  if (!fp) {
    free(copy);
    return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open in-memory text");
  }
  em_status st = open_common(name, fp, 1, out, d);
  /* The copy must live as long as the stream; freed at close. */
  if (st == EM_OK) {
    (*out)->membuf = copy;
  } else {
    free(copy);
  }
  return st;
}

void em_csv_close(em_csv_reader *r) {
  if (!r) return;
  if (r->owns_fp && r->fp) fclose(r->fp);
  free(r->path);
  free(r->buf);
  free(r->cells);
  free(r->membuf);
  free(r);
}

uint64_t em_csv_line(const em_csv_reader *r) { return r->line; }
const char *em_csv_path(const em_csv_reader *r) { return r->path; }

/* Reads one physical line (without '\n') into r->buf. Returns 1 on a line,
 * 0 at EOF with nothing read, or -1 with d filled. */
static int read_line(em_csv_reader *r, size_t *len_out, em_diag *d) {
  size_t len = 0;
  int c;
  int any = 0;
  while ((c = getc(r->fp)) != EOF) {
    any = 1;
    if (c == '\n') break;
    if (c == '\0') {
      em_diag_set(d, EM_ERR_PARSE, r->path, r->next_line, len + 1,
                  "NUL byte in text input");
      return -1;
    }
    if (len + 1 >= EM_CSV_LINE_MAX) {
      em_diag_set(d, EM_ERR_LIMIT, r->path, r->next_line, 1,
                  "line is longer than %zu bytes", (size_t)EM_CSV_LINE_MAX);
      return -1;
    }
    if (len + 1 >= r->cap) {
      size_t ncap = r->cap ? r->cap * 2 : 256;
      if (ncap > EM_CSV_LINE_MAX) ncap = EM_CSV_LINE_MAX;
      char *nb = realloc(r->buf, ncap);
      if (!nb) {
        em_diag_set(d, EM_ERR_NOMEM, r->path, r->next_line, 0, "out of memory");
        return -1;
      }
      r->buf = nb;
      r->cap = ncap;
    }
    r->buf[len++] = (char)c;
  }
  if (ferror(r->fp)) {
    em_diag_set(d, EM_ERR_IO, r->path, r->next_line, 0, "read error: %s",
                strerror(errno));
    return -1;
  }
  if (!any) return 0;
  if (len && r->buf[len - 1] == '\r') len--;
  if (!r->buf) { /* empty first line: make sure buf exists */
    r->buf = malloc(1);
    if (!r->buf) return -1;
    r->cap = 1;
  }
  r->buf[len] = '\0';
  *len_out = len;
  return 1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

em_status em_csv_next(em_csv_reader *r, const em_csv_field **fields, size_t *n,
                      em_diag *d) {
  *n = 0;
  *fields = r->fields;
  for (;;) {
    size_t len = 0;
    int got = read_line(r, &len, d);
    if (got < 0) return d ? d->status : EM_ERR_IO;
    if (got == 0) return EM_OK;
    uint64_t lineno = r->next_line++;
    const char *s = r->buf;
    size_t i = 0;
    while (i < len && is_blank(s[i])) i++;
    if (i == len || s[i] == '#') continue; /* blank or comment line */

    /* Cell buffer: unquoting never lengthens text; one NUL per field. */
    size_t need = len + EM_CSV_FIELDS_MAX + 1;
    if (r->cells_cap < need) {
      char *nc = realloc(r->cells, need);
      if (!nc)
        return em_diag_set(d, EM_ERR_NOMEM, r->path, lineno, 0, "out of memory");
      r->cells = nc;
      r->cells_cap = need;
    }
    char *out = r->cells;
    size_t nf = 0;
    size_t pos = 0;
    for (;;) {
      if (nf == EM_CSV_FIELDS_MAX)
        return em_diag_set(d, EM_ERR_LIMIT, r->path, lineno, pos + 1,
                           "more than %d fields in one row", EM_CSV_FIELDS_MAX);
      while (pos < len && is_blank(s[pos])) pos++;
      em_csv_field *f = &r->fields[nf++];
      f->col = pos + 1;
      f->text = out;
      char *start = out;
      if (pos < len && s[pos] == '"') {
        size_t qcol = pos + 1;
        pos++;
        for (;;) {
          if (pos >= len)
            return em_diag_set(d, EM_ERR_PARSE, r->path, lineno, qcol,
                               "unterminated quoted field");
          if (s[pos] == '"') {
            if (pos + 1 < len && s[pos + 1] == '"') {
              *out++ = '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          *out++ = s[pos++];
        }
        while (pos < len && is_blank(s[pos])) pos++;
        if (pos < len && s[pos] != ',')
          return em_diag_set(d, EM_ERR_PARSE, r->path, lineno, pos + 1,
                             "unexpected text after a quoted field");
      } else {
        size_t b = pos;
        while (pos < len && s[pos] != ',') pos++;
        size_t e = pos;
        while (e > b && is_blank(s[e - 1])) e--;
        memcpy(out, s + b, e - b);
        out += e - b;
      }
      f->len = (size_t)(out - start);
      *out++ = '\0';
      if (pos < len && s[pos] == ',') {
        pos++;
        continue;
      }
      break;
    }
    r->line = lineno;
    *n = nf;
    return EM_OK;
  }
}
