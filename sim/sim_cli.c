/* sim_cli.c - helpers shared by the emlsim commands (sim_cli.h). */
#include "sim_cli.h"

#include <stdarg.h>
#include <string.h>

#ifndef EMLSIM_VERSION
#define EMLSIM_VERSION "unknown"
#endif

void sim_print_usage(const sim_command *cmd, FILE *out) { fputs(cmd->usage, out); }

int sim_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "emlsim %s: error: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n(try 'emlsim help %s')\n", cmd);
  return SIM_EXIT_USAGE;
}

int sim_fail(const em_diag *d) {
  em_diag_print(d, stderr);
  return SIM_EXIT_ERROR;
}

int sim_print_version(void) {
  printf("emlsim %s\n", EMLSIM_VERSION);
  return SIM_EXIT_OK;
}

void sim_diag_locate(em_diag *d, const char *source) {
  if (d->path[0]) return;
  char msg[sizeof d->msg];
  memcpy(msg, d->msg, sizeof msg);
  em_diag_set(d, d->status, source, d->line, 0, "%s", msg);
}
