/* em_diag.c - diagnostics with a source location (em_diag.h). */
#include "em_diag.h"

#include <stdarg.h>
#include <string.h>

/* em_diag.h.  Overlong forms and surrogates are refused as RFC 3629 says. */
size_t em_utf8_len(const unsigned char *s, size_t n) {
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
  if (s[0] >= 0xC2 && s[0] <= 0xDF) len = 2;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    len = 3, lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    len = 4, lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;
  else return 0;
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return len;
}

/* Length of the UTF-8 sequence that starts s (at most n bytes) as a
 * terminal may show it: 0 when it is not one, encodes a C1 control
 * (U+0080..U+009F, which some terminals obey as escapes) or a bidirectional
 * control (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, which
 * reorder the text a terminal shows after them: "Trojan Source",
 * CVE-2021-42574). */
static size_t utf8_len(const unsigned char *s, size_t n) {
  size_t len = em_utf8_len(s, n);
  if (len == 0 || (len == 2 && s[0] == 0xC2 && s[1] < 0xA0)) return 0;
  if (len == 2 && s[0] == 0xD8 && s[1] == 0x9C) return 0; /* U+061C */
  if (len == 3 && s[0] == 0xE2 &&
      ((s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE))) ||
       (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)))
    return 0;
  return len;
}

/* A diagnostic quotes input ("got 'x'"), and input is hostile: see em_escape
 * in em_diag.h. */
void em_escape(char *dst, size_t size, const char *src) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)src;
  size_t n = strlen(src), o = 0;
  for (size_t i = 0; i < n;) {
    char e[5];
    size_t k = 0, u = 0;
    if (s[i] >= 0x20 && s[i] < 0x7F) e[k++] = (char)s[i];
    else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
      e[k++] = '\\', e[k++] = s[i] == '\n' ? 'n' : s[i] == '\r' ? 'r' : 't';
    else if (s[i] < 0x80 || (u = utf8_len(s + i, n - i)) == 0)
      e[k++] = '\\', e[k++] = 'x', e[k++] = hex[s[i] >> 4], e[k++] = hex[s[i] & 15];
    size_t w = u ? u : k;
    if (o + w >= size) break;
    memcpy(dst + o, u ? (const char *)s + i : e, w);
    o += w;
    i += u ? u : 1;
  }
  dst[o] = '\0';
}

void em_diag_clear(em_diag *d) {
  if (!d) return;
  memset(d, 0, sizeof *d);
  d->status = EM_OK;
}

em_status em_diag_set(em_diag *d, em_status st, const char *path, uint64_t line,
                      uint64_t col, const char *fmt, ...) {
  if (!d) return st;
  d->status = st;
  if (snprintf(d->path, sizeof d->path, "%s", path ? path : "") >= (int)sizeof d->path)
    memcpy(d->path + sizeof d->path - 4, "...", 4); /* cut: say so */
  d->line = line;
  d->col = col;
  char raw[sizeof d->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  em_escape(d->msg, sizeof d->msg, raw);
  return st;
}

void em_diag_format(const em_diag *d, char *buf, size_t size) {
  if (!buf || size == 0) return;
  if (!d) {
    buf[0] = '\0';
    return;
  }
  const char *msg = d->msg[0] ? d->msg : em_status_msg(d->status);
  /* the path is kept as given (em_outfile matches it against its own), and
   * escaped only here: a file named in an input may hold any byte */
  char path[4 * sizeof d->path]; /* each byte at most \xNN */
  em_escape(path, sizeof path, d->path);
  /* path:line:col always where a line is known: an error of the whole
   * line (a kernel with no program, a layer's totals) points at its first
   * column, so that every located error has the one form */
  if (d->path[0] && d->line)
    snprintf(buf, size, "%s:%llu:%llu: error: %s", path, (unsigned long long)d->line,
             (unsigned long long)(d->col ? d->col : 1), msg);
  else if (d->path[0])
    snprintf(buf, size, "%s: error: %s", path, msg);
  else
    snprintf(buf, size, "error: %s", msg);
}

const char *em_errno_text(int e) { return e ? strerror(e) : "i/o error"; }

void em_diag_print(const em_diag *d, FILE *out) {
  char buf[4 * EM_DIAG_PATH_MAX + EM_DIAG_MSG_MAX + 64]; /* an escaped path in full */
  em_diag_format(d, buf, sizeof buf);
  fprintf(out, "%s\n", buf);
}
