/* em_status.c - names and messages of the status codes (em_status.h). */
#include "em_status.h"

static const char *const names[] = {
#define X(name, msg) "EM_" #name,
    EM_STATUS_MAP(X)
#undef X
};

static const char *const msgs[] = {
#define X(name, msg) msg,
    EM_STATUS_MAP(X)
#undef X
};

const char *em_status_name(em_status st) {
  return (unsigned)st < EM_STATUS_COUNT ? names[st] : "EM_UNKNOWN";
}

const char *em_status_msg(em_status st) {
  return (unsigned)st < EM_STATUS_COUNT ? msgs[st] : "unknown status";
}
