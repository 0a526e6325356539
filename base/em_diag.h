/*
 * em_diag.h - caller-owned diagnostics with a source location.
 *
 * A fallible function takes an `em_diag *` (may be NULL) and, on error, fills
 * it with the file, 1-based line and column and a lowercase message that
 * names the subject first (git's guidelines):
 *     topo.csv:3:17: error: 'Strides' must be in [1, 65535], got 0
 * Line 0 means "the file as a whole"; column 0 means "the line as a whole".
 */
#ifndef EM_DIAG_H
#define EM_DIAG_H

#include <stdint.h>
#include <stdio.h>

#include "em_status.h"

/* Linux's PATH_MAX: every path the system would open is named in full (at
 * 512 a deep output folder's errors named a cut path); a longer one, which
 * no open accepts, is cut and ends in "..." */
#define EM_DIAG_PATH_MAX 4096
#define EM_DIAG_MSG_MAX 1024

typedef struct {
  em_status status;
  char path[EM_DIAG_PATH_MAX];
  uint64_t line; /* 1-based, 0 = none */
  uint64_t col;  /* 1-based, 0 = none */
  char msg[EM_DIAG_MSG_MAX];
} em_diag;

/* Clears a diagnostic to EM_OK with no location; d may be NULL. */
void em_diag_clear(em_diag *d);

/* Fills d (if not NULL) and returns st, so callers can `return em_diag_set(...)`.
 * path may be NULL (no location). fmt is printf-style, lowercase, no newline. */
em_status em_diag_set(em_diag *d, em_status st, const char *path, uint64_t line,
                      uint64_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Writes "path:line:col: error: msg\n" (parts without a value are left out). */
void em_diag_print(const em_diag *d, FILE *out);

/* Why a write failed, for a message: strerror(e), or "i/o error" where e is
 * 0 (a stream's error flag set with no errno). */
const char *em_errno_text(int e);

/* Formats the same text as em_diag_print into buf (always NUL-terminated). */
void em_diag_format(const em_diag *d, char *buf, size_t size);

/* Copies src into dst (size > 0 bytes, always NUL-terminated) as one line of
 * text that is safe on a terminal: a control byte (a line break, an ESC that
 * starts a terminal sequence) or a byte that is not UTF-8 becomes \n, \r,
 * \t or \xNN; UTF-8 text is kept.  Text already escaped passes unchanged;
 * a cut falls between characters.  em_diag_set does this to every message
 * (and em_diag_format to the path); use it for other text from input that
 * goes to the terminal, such as notes. */
void em_escape(char *dst, size_t size, const char *src);

/* The length of the multi-byte UTF-8 character at s (n bytes left): 2 to
 * 4, or 0 where none starts there (an ASCII byte included) or the bytes are
 * not UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past
 * U+10FFFF). */
size_t em_utf8_len(const unsigned char *s, size_t n);

#endif
