/* em_diag.c - diagnostics with a source location (em_diag.h). */
#include "em_diag.h"

#include <stdarg.h>
#include <string.h>

void em_diag_clear(em_diag *d) {
  if (!d) return;
  memset(d, 0, sizeof *d);
  d->status = EM_OK;
}

em_status em_diag_set(em_diag *d, em_status st, const char *path, uint64_t line,
                      uint64_t col, const char *fmt, ...) {
  if (!d) return st;
  d->status = st;
  snprintf(d->path, sizeof d->path, "%s", path ? path : "");
  d->line = line;
  d->col = col;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->msg, sizeof d->msg, fmt, ap);
  va_end(ap);
  return st;
}

void em_diag_format(const em_diag *d, char *buf, size_t size) {
  if (!buf || size == 0) return;
  if (!d) {
    buf[0] = '\0';
    return;
  }
  const char *msg = d->msg[0] ? d->msg : em_status_msg(d->status);
  if (d->path[0] && d->line && d->col)
    snprintf(buf, size, "%s:%llu:%llu: error: %s", d->path,
             (unsigned long long)d->line, (unsigned long long)d->col, msg);
  else if (d->path[0] && d->line)
    snprintf(buf, size, "%s:%llu: error: %s", d->path,
             (unsigned long long)d->line, msg);
  else if (d->path[0])
    snprintf(buf, size, "%s: error: %s", d->path, msg);
  else
    snprintf(buf, size, "error: %s", msg);
}

void em_diag_print(const em_diag *d, FILE *out) {
  char buf[EM_DIAG_PATH_MAX + EM_DIAG_MSG_MAX + 64];
  em_diag_format(d, buf, sizeof buf);
  fprintf(out, "%s\n", buf);
}
