/*
 * em_csv.c - CSV reader with positions and limits (em_csv.h).
 *
 * Lines are read with getc into a buffer that grows up to EM_CSV_LINE_MAX;
 * a longer line is refused without reading the rest of it into memory.  A
 * quoted field may hold line breaks (RFC 4180): its record then spans
 * lines, and the same limit holds for the whole record.
 *
 * Positions are those an editor shows: each field's own physical line (not
 * the first line of a record that spans lines), and its column counted in
 * characters from the start of that line (em_text_col, em_parse.h).
 */
#include "em_csv.h"
#include "em_input.h"
#include "em_parse.h"

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
  size_t offs[EM_CSV_FIELDS_MAX]; /* each field's text in cells, while a row is read */
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
  FILE *fp; /* "-" is standard input; either is read through a byte limit if a pipe */
  em_status st = em_input_open(path, NULL, EM_INPUT_STDIN, &fp, d);
  if (st != EM_OK) return st;
  return open_common(em_input_name(path), fp, 1, out, d);
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

/* Reads one physical line, without its '\n' (and a CR before it), into
 * r->buf at offset `at`: 0 for a new record, or past the text of a record
 * whose quoted field holds a line break.  Returns 1 on a line (*len_out:
 * the record's length so far), 0 at EOF with nothing read, -2 when the
 * record would pass EM_CSV_LINE_MAX bytes (d not filled: the caller says
 * which limit), or -1 with d filled. */
static int read_line(em_csv_reader *r, size_t at, size_t *len_out, em_diag *d) {
  size_t len = at;
  int c;
  int any = 0;
  if (at + 1 >= EM_CSV_LINE_MAX) return -2;
  while ((c = getc(r->fp)) != EOF) {
    any = 1;
    if (c == '\n') break;
    if (c == '\0') {
      size_t from = at;
      uint64_t col = 1;
      em_diag_set(d, EM_ERR_PARSE, r->path, r->next_line,
                  em_text_col_to(r->buf, &from, &col, len), "NUL byte in text input");
      return -1;
    }
    if (len + 1 >= EM_CSV_LINE_MAX) return -2;
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
  if (len > at && r->buf[len - 1] == '\r') len--;
  if (len + 1 > r->cap) { /* an empty line: room for its NUL */
    char *nb = realloc(r->buf, len + 1);
    if (!nb) {
      em_diag_set(d, EM_ERR_NOMEM, r->path, r->next_line, 0, "out of memory");
      return -1;
    }
    r->buf = nb;
    r->cap = len + 1;
  }
  r->buf[len] = '\0';
  *len_out = len;
  return 1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Room for the unquoted text of a record of len bytes: unquoting never
 * lengthens text; one NUL per field. */
static em_status cells_fit(em_csv_reader *r, size_t len, uint64_t lineno, em_diag *d) {
  size_t need = len + EM_CSV_FIELDS_MAX + 1;
  if (r->cells_cap >= need) return EM_OK;
  char *nc = realloc(r->cells, need);
  if (!nc) return em_diag_set(d, EM_ERR_NOMEM, r->path, lineno, 0, "out of memory");
  r->cells = nc;
  r->cells_cap = need;
  return EM_OK;
}

em_status em_csv_next(em_csv_reader *r, const em_csv_field **fields, size_t *n,
                      em_diag *d) {
  *n = 0;
  *fields = r->fields;
  for (;;) {
    size_t len = 0;
    int got = read_line(r, 0, &len, d);
    if (got == -2)
      return em_diag_set(d, EM_ERR_LIMIT, r->path, r->next_line, 1,
                         "line is longer than %zu bytes", (size_t)EM_CSV_LINE_MAX);
    if (got < 0) return d ? d->status : EM_ERR_IO;
    if (got == 0) return EM_OK;
    uint64_t lineno = r->next_line++;
    /* a UTF-8 byte order mark before the first line (spreadsheets write
     * one) is not part of its first field: "Layer name" reads as itself */
    if (lineno == 1 && len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
      memmove(r->buf, r->buf + 3, len - 3 + 1);
      len -= 3;
    }
    const char *s = r->buf;
    size_t i = 0;
    while (i < len && is_blank(s[i])) i++;
    if (i == len || s[i] == '#') continue; /* blank or comment line */

    em_status st = cells_fit(r, len, lineno, d);
    if (st != EM_OK) return st;
    /* Field texts are offsets into r->cells until the record is whole: a
     * line break in a quoted field reads the next line, which may move it. */
    size_t o = 0;
    size_t nf = 0;
    size_t pos = 0;
    /* the physical line being read, its number, and how far its columns
     * are counted: up to s[cat], at column ccol (em_text_col_to) */
    uint64_t pline = lineno;
    size_t cat = 0;
    uint64_t ccol = 1;
    for (;;) {
      if (nf == EM_CSV_FIELDS_MAX)
        return em_diag_set(d, EM_ERR_LIMIT, r->path, pline,
                           em_text_col_to(s, &cat, &ccol, pos), "more than %d fields in one row",
                           EM_CSV_FIELDS_MAX);
      while (pos < len && is_blank(s[pos])) pos++;
      em_csv_field *f = &r->fields[nf];
      r->offs[nf++] = o;
      f->line = pline;
      f->col = em_text_col_to(s, &cat, &ccol, pos);
      size_t start = o;
      if (pos < len && s[pos] == '"') {
        uint64_t qline = pline, qcol = f->col;
        pos++;
        for (;;) {
          if (pos >= len) {
            /* RFC 4180: a quoted field may hold a line break; the record
             * goes on on the next line. */
            r->buf[len] = '\n';
            size_t nlen = 0;
            got = read_line(r, len + 1, &nlen, d);
            if (got == -2)
              return em_diag_set(d, EM_ERR_LIMIT, r->path, qline, qcol,
                                 "quoted field longer than %zu bytes (a quote left open?)",
                                 (size_t)EM_CSV_LINE_MAX);
            if (got < 0) return d ? d->status : EM_ERR_IO;
            if (got == 0)
              return em_diag_set(d, EM_ERR_PARSE, r->path, qline, qcol,
                                 "unterminated quoted field");
            pline = r->next_line++;
            cat = len + 1; /* the new line starts past the '\n' */
            ccol = 1;
            s = r->buf;
            len = nlen;
            if ((st = cells_fit(r, len, lineno, d)) != EM_OK) return st;
            continue; /* at the '\n' just put between the lines */
          }
          if (s[pos] == '"') {
            if (pos + 1 < len && s[pos + 1] == '"') {
              r->cells[o++] = '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          r->cells[o++] = s[pos++];
        }
        while (pos < len && is_blank(s[pos])) pos++;
        if (pos < len && s[pos] != ',')
          return em_diag_set(d, EM_ERR_PARSE, r->path, pline,
                             em_text_col_to(s, &cat, &ccol, pos),
                             "unexpected text after a quoted field");
      } else {
        size_t b = pos;
        while (pos < len && s[pos] != ',') pos++;
        size_t e = pos;
        while (e > b && is_blank(s[e - 1])) e--;
        memcpy(r->cells + o, s + b, e - b);
        o += e - b;
      }
      f->len = o - start;
      r->cells[o++] = '\0';
      if (pos < len && s[pos] == ',') {
        pos++;
        continue;
      }
      break;
    }
    for (size_t k = 0; k < nf; k++) r->fields[k].text = r->cells + r->offs[k];
    r->line = lineno;
    *n = nf;
    return EM_OK;
  }
}
