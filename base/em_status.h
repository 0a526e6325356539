/*
 * em_status.h - status codes shared by every emlsim library.
 *
 * One X-macro table gives each status its name and message (libuv's error
 * table).  Fallible functions return em_status and fill a caller-owned
 * em_diag (see em_diag.h) with the location and the detail.
 */
#ifndef EM_STATUS_H
#define EM_STATUS_H

#define EM_STATUS_MAP(X)                                                  \
  X(OK, "ok")                                                             \
  X(ERR_IO, "i/o error")                                                  \
  X(ERR_PARSE, "parse error")                                             \
  X(ERR_RANGE, "value out of range")                                      \
  X(ERR_OVERFLOW, "arithmetic overflow")                                  \
  X(ERR_NOMEM, "out of memory")                                           \
  X(ERR_LIMIT, "input exceeds a limit")                                   \
  X(ERR_NOTFOUND, "not found")                                            \
  X(ERR_INVALID, "invalid argument")                                      \
  X(ERR_UNSUPPORTED, "unsupported")                                      \
  X(ERR_USAGE, "arguments that cannot go together")

typedef enum {
#define EM_STATUS_ENUM(name, msg) EM_##name,
  EM_STATUS_MAP(EM_STATUS_ENUM)
#undef EM_STATUS_ENUM
  EM_STATUS_COUNT
} em_status;

/* Name ("EM_ERR_PARSE") and message ("parse error") of a status; never NULL. */
const char *em_status_name(em_status st);
const char *em_status_msg(em_status st);

#endif
