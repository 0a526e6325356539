/*
 * em_parse.h - strict number parsing and forgiving name matching.
 *
 * Numbers: the whole text must be the number (no trailing junk, no empty
 * text); integers are decimal digits, with no sign but a '-' where signed,
 * and no number takes a leading '+' (one rule for every option and file);
 * a value that does not fit is EM_ERR_RANGE, not a wrapped number.
 * Names: em_name_eq() compares header names ignoring case, spaces, '_' and
 * '-', so "IFMAP Height", "ifmap_height" and "IfmapHeight" all match.
 */
#ifndef EM_PARSE_H
#define EM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_status.h"

/* Unsigned decimal. EM_ERR_PARSE for non-numbers (including a '-' sign,
 * which callers report as "must be positive"), EM_ERR_RANGE when > UINT64_MAX. */
em_status em_parse_u64(const char *text, uint64_t *out);
/* Signed decimal, an optional '-' (no '+'); EM_ERR_RANGE when it does not
 * fit int64_t. */
em_status em_parse_i64(const char *text, int64_t *out);
/* Exactly n unsigned decimals joined by `sep` ("2:4" with ':' and n = 2,
 * "8x256x8" with 'x' and n = 3), each in [lo, hi].  EM_ERR_PARSE when the
 * text is not that (a sign, a space, an empty or extra part), EM_ERR_RANGE
 * when a number is outside [lo, hi] - however many digits it has, so
 * 4294967297 is never read as 1. */
em_status em_parse_u64_seq(const char *text, char sep, size_t n, uint64_t lo, uint64_t hi,
                           uint64_t *out);
/* Finite double (strtod syntax, no leading '+'; "nan" and "inf" refused).
 * EM_ERR_RANGE when the number is past a double: above DBL_MAX (1e400), or
 * not 0 yet so small that it rounds to 0 (1e-400; below about 2.5e-324).  A
 * subnormal that is not 0 (4e-320) is read.  On EM_ERR_RANGE *out is
 * +-HUGE_VAL for a number too large and +-0 for one too small, so a caller
 * can say which; on EM_ERR_PARSE it is left as it was. */
em_status em_parse_f64(const char *text, double *out);

/* Loose equality of two names (see above). */
bool em_name_eq(const char *a, const char *b);

/* Copies src into dst[size] with NUL; truncates. Returns dst. */
char *em_strlcpy(char *dst, const char *src, size_t size);

/* 1-based column of line[off], line[0] being column 1: the characters of
 * line[0..off) plus one.  Columns in diagnostics count characters, as an
 * editor shows them (and as GCC 10+ counts columns of plain text): UTF-8
 * code points (em_utf8_len, em_diag.h), a tab as one.  A byte that does not
 * begin a valid UTF-8 sequence counts as one column, so text in another
 * encoding is no worse off than with byte columns. */
uint64_t em_text_col(const char *line, size_t off);
/* The same counted on from s[*at], known to be at column *col of its line,
 * up to s[pos] (pos >= *at): returns pos's column and moves *at and *col
 * there, so that a line's fields, found left to right, are counted once in
 * all (4096 fields on a line of 1 MiB would be 4 GiB counted each from the
 * line's start). */
uint64_t em_text_col_to(const char *s, size_t *at, uint64_t *col, size_t pos);

#endif
