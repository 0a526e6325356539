/*
 * em_csv.h - a CSV reader that knows where every field came from.
 *
 * Why our own and not libcsv: every error must point at path:line:col, and
 * the reader must refuse a 10 MB line or a huge file before memory runs out.
 * libcsv reports neither positions nor lines, so this small reader does.
 *
 * Rules: fields split at ','; surrounding spaces and tabs trimmed; a field may
 * be double-quoted ("" is a literal quote inside; line breaks too, RFC 4180:
 * the row then spans lines, em_csv_line() gives its first line, and each
 * field its own line and column); CR before LF ignored; blank lines and lines
 * whose first non-space character is '#' are skipped.  A trailing empty
 * field (SCALE-Sim's trailing comma) is kept: callers decide.
 */
#ifndef EM_CSV_H
#define EM_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"
#include "em_status.h"

/* Longest line accepted, in bytes: far beyond any real topology or table. */
#define EM_CSV_LINE_MAX ((size_t)1 << 20)
/* Most fields in one row. */
#define EM_CSV_FIELDS_MAX 4096

typedef struct {
  const char *text; /* NUL-terminated, trimmed; valid until the next row */
  size_t len;
  uint64_t line; /* 1-based physical line of the field's first character */
  uint64_t col;  /* its 1-based column on that line, in characters (UTF-8
                  * code points; a byte of invalid UTF-8 counts as one) */
} em_csv_field;

typedef struct em_csv_reader em_csv_reader;

/* Opens path for reading ("-" is stdin). On error fills d and returns non-OK. */
em_status em_csv_open(const char *path, em_csv_reader **out, em_diag *d);
/* Reads from memory (copied); name is used in diagnostics. */
em_status em_csv_open_mem(const char *name, const char *buf, size_t len,
                          em_csv_reader **out, em_diag *d);
/* Frees the reader; NULL is a no-op. */
void em_csv_close(em_csv_reader *r);

/* Reads the next data row. Returns EM_OK with *n > 0 for a row, EM_OK with
 * *n == 0 at end of input, or an error (too long a line, unterminated quote,
 * NUL byte, read error) with d filled. */
em_status em_csv_next(em_csv_reader *r, const em_csv_field **fields, size_t *n,
                      em_diag *d);

/* Line number (1-based) of the row last returned; path given at open. */
uint64_t em_csv_line(const em_csv_reader *r);
const char *em_csv_path(const em_csv_reader *r);

#endif
