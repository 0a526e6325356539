/* em_parse.c - strict number parsing and loose name matching (em_parse.h). */
#include "em_parse.h"
#include "em_diag.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

em_status em_parse_u64(const char *text, uint64_t *out) {
  const char *p = text;
  /* no '+': '--rows +8' was read as 8 while '--array +8x8' and 'gemm:+4x4x4'
   * were refused; every number is now written one way, digits alone */
  if (!isdigit((unsigned char)*p)) return EM_ERR_PARSE;
  uint64_t v = 0;
  for (; isdigit((unsigned char)*p); p++) {
    unsigned dgt = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - dgt) / 10) {
      while (isdigit((unsigned char)*p)) p++;
      return *p ? EM_ERR_PARSE : EM_ERR_RANGE;
    }
    v = v * 10 + dgt;
  }
  if (*p) return EM_ERR_PARSE;
  *out = v;
  return EM_OK;
}

em_status em_parse_u64_seq(const char *text, char sep, size_t n, uint64_t lo, uint64_t hi,
                           uint64_t *out) {
  em_status worst = EM_OK;
  const char *p = text;
  for (size_t i = 0; i < n; i++) {
    char part[32];
    size_t len = 0;
    if (!isdigit((unsigned char)*p)) return EM_ERR_PARSE;
    for (; isdigit((unsigned char)*p); p++)
      if (len < sizeof part - 1) part[len++] = *p;
    part[len] = '\0';
    if (*p != (i + 1 < n ? sep : '\0')) return EM_ERR_PARSE;
    if (i + 1 < n) p++;
    uint64_t v;
    /* 31 digits or more is past UINT64_MAX: a range error, like a long one */
    if (len == sizeof part - 1 || em_parse_u64(part, &v) != EM_OK || v < lo || v > hi) {
      worst = EM_ERR_RANGE; /* the shape is checked to the end first */
      continue;
    }
    out[i] = v;
  }
  return worst;
}

em_status em_parse_i64(const char *text, int64_t *out) {
  int neg = text[0] == '-';
  /* '-' or no sign: em_parse_u64 refuses a '+', so "+5", "-+5" and "++5" are not numbers */
  uint64_t mag;
  em_status st = em_parse_u64(text + neg, &mag);
  if (st != EM_OK) return st;
  if (neg) {
    if (mag > (uint64_t)INT64_MAX + 1) return EM_ERR_RANGE;
    *out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
  } else {
    if (mag > (uint64_t)INT64_MAX) return EM_ERR_RANGE;
    *out = (int64_t)mag;
  }
  return EM_OK;
}

em_status em_parse_f64(const char *text, double *out) {
  /* no leading '+', as em_parse_u64 (an exponent's "1e+3" is fine) */
  if (!*text || isspace((unsigned char)*text) || *text == '+') return EM_ERR_PARSE;
  /* Refuse hex floats, "nan", "inf": only decimal numbers are inputs here. */
  for (const char *p = text; *p; p++)
    if (!(isdigit((unsigned char)*p) || *p == '.' || *p == 'e' || *p == 'E' ||
          *p == '+' || *p == '-'))
      return EM_ERR_PARSE;
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (*end) return EM_ERR_PARSE;
  /* ERANGE is overflow (HUGE_VAL) or underflow (below DBL_MIN).  Past the
   * top (1e400) is refused; so is a number that is not 0 but rounds to 0
   * (1e-400: it would read as 0, which the text does not say).  A subnormal
   * (4e-320: not 0, a few digits of precision) is read, since it keeps the
   * sign and rough size the text gives.  A written 0 ("0e-400") is 0 with
   * no ERANGE; the digits are checked too, whatever a libc does. */
  if (!isfinite(v) || (errno == ERANGE && (v > DBL_MIN || v < -DBL_MIN))) {
    *out = v;
    return EM_ERR_RANGE;
  }
  if (v == 0 && errno == ERANGE) {
    *out = v;
    return EM_ERR_RANGE;
  }
  if (v == 0 && !strpbrk(text, "xX")) { /* (hex digits: ERANGE above) */
    for (const char *p = text; *p && *p != 'e' && *p != 'E'; p++)
      if (*p >= '1' && *p <= '9') {
        *out = v; /* +-0: a caller can tell too small from too large */
        return EM_ERR_RANGE;
      }
  }
  *out = v;
  return EM_OK;
}

static const char *skip_sep(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '_' || *s == '-') s++;
  return s;
}

bool em_name_eq(const char *a, const char *b) {
  for (;;) {
    a = skip_sep(a);
    b = skip_sep(b);
    if (!*a || !*b) return !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
    a++;
    b++;
  }
}

uint64_t em_text_col_to(const char *s, size_t *at, uint64_t *col, size_t pos) {
  size_t i = *at;
  uint64_t c = *col;
  for (; i < pos; c++) {
    const unsigned char *u = (const unsigned char *)s + i;
    size_t k = *u < 0x80 ? 1 : em_utf8_len(u, pos - i);
    i += k ? k : 1;
  }
  *at = i;
  *col = c;
  return c;
}

uint64_t em_text_col(const char *line, size_t off) {
  size_t at = 0;
  uint64_t col = 1;
  return em_text_col_to(line, &at, &col, off);
}

char *em_strlcpy(char *dst, const char *src, size_t size) {
  if (size == 0) return dst;
  size_t n = strlen(src);
  if (n >= size) n = size - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
  return dst;
}
