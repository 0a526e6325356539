/* sim_cli.c - helpers shared by the emlsim commands (sim_cli.h). */
#include "sim_cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "em_parse.h"
#include "em_pool.h"
#include "hw_model.h"

#ifndef EMLSIM_VERSION
#define EMLSIM_VERSION "unknown"
#endif

void sim_print_usage(const sim_command *cmd, FILE *out) { fputs(cmd->usage, out); }

/* fmt's text escaped as em_diag's messages are (each byte at most 4),
 * allocated (free()); NULL without memory. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 0)))
#endif
static char *escaped(const char *fmt, va_list ap) {
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  size_t raw_n = n > 0 ? (size_t)n + 1 : 1;
  char *raw = malloc(raw_n), *esc = malloc(4 * raw_n);
  if (raw && esc) {
    vsnprintf(raw, raw_n, fmt, again);
    em_escape(esc, 4 * raw_n, raw);
  } else {
    free(esc);
    esc = NULL;
  }
  va_end(again);
  free(raw);
  return esc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static char *escaped_text(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = escaped(fmt, ap);
  va_end(ap);
  return s;
}

void sim_note(const char *who, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = escaped(fmt, ap);
  va_end(ap);
  char *w = escaped_text("%s", who);
  /* one call a line: stdio locks the stream for it (sweep's threads) */
  if (msg && w) fprintf(stderr, "%s: note: %s\n", w, msg);
  free(msg);
  free(w);
}

/* The message quotes the command line, as hostile as a file's contents:
 * escaped as em_diag's are (`--jobs $'\e[2J'` cleared the terminal), and
 * whole however long the argument. */
int sim_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = escaped(fmt, ap);
  va_end(ap);
  fprintf(stderr, "emlsim %s: error: %s\n(try 'emlsim help %s')\n", cmd,
          msg ? msg : "out of memory", cmd);
  free(msg);
  return SIM_EXIT_USAGE;
}

int sim_unknown_option(const char *cmd, const char *arg, const struct option *opts) {
  const char *eq = strchr(arg, '=');
  if (strncmp(arg, "--", 2) == 0 && eq && eq > arg + 2) {
    size_t len = (size_t)(eq - arg - 2);
    const struct option *hit = NULL;
    int n = 0;
    for (const struct option *o = opts; o->name; o++) {
      if (strncmp(o->name, arg + 2, len)) continue;
      if (strlen(o->name) == len) { /* the whole name: no abbreviation counts */
        hit = o;
        n = 1;
        break;
      }
      hit = o;
      n++;
    }
    if (n == 1 && hit->has_arg == no_argument)
      return sim_usage_error(cmd, "option '--%s' takes no value, got '%s'", hit->name, arg);
  }
  return sim_usage_error(cmd, "unknown option '%s'", arg);
}

static const char *sim_command_name; /* NULL: no command yet */

void sim_set_command(const char *name) { sim_command_name = name; }

int sim_fail(const em_diag *d) {
  /* a combination of arguments (standard input named twice): the command
   * line's error, as the options' own are */
  if (d->status == EM_ERR_USAGE && sim_command_name)
    return sim_usage_error(sim_command_name, "%s", d->msg);
  if (d->path[0]) em_diag_print(d, stderr);
  else {
    char buf[EM_DIAG_PATH_MAX + EM_DIAG_MSG_MAX + 64];
    em_diag_format(d, buf, sizeof buf); /* "error: MSG" */
    if (sim_command_name) fprintf(stderr, "emlsim %s: %s\n", sim_command_name, buf);
    else fprintf(stderr, "emlsim: %s\n", buf);
  }
  return SIM_EXIT_ERROR;
}

int sim_print_version(void) {
  printf("emlsim %s\n", EMLSIM_VERSION);
  return SIM_EXIT_OK;
}

unsigned sim_jobs_within(const char *cmd, unsigned jobs, size_t items, uint64_t each,
                         const char *what) {
  if (jobs < 1) jobs = 1;
  unsigned fit = em_pool_jobs_within(jobs, each);
  unsigned would = items < jobs ? (unsigned)(items ? items : 1) : jobs;
  if (fit < would) {
    char eb[32], bb[32];
    em_bytes_text(each, eb, sizeof eb);
    em_bytes_text(em_host_budget(), bb, sizeof bb);
    fprintf(stderr,
            "emlsim %s: note: --jobs %u lowered to %u: each thread's %s holds %s of host "
            "memory, and a run may hold %s (%s); the figures are the same\n",
            cmd, jobs, fit, what, eb, bb, EM_HOST_ENV);
  }
  return fit;
}

int sim_parse_jobs(const char *cmd, const char *arg, unsigned *jobs) {
  uint64_t v;
  if (em_parse_u64(arg, &v) != EM_OK || v < 1 || v > SIM_JOBS_MAX)
    return sim_usage_error(cmd, "'--jobs' must be in [1, %d], got '%s'", SIM_JOBS_MAX, arg);
  *jobs = (unsigned)v;
  return 0;
}

int sim_check_output(const char *cmd, const char *opt, const char *arg, const char *needs,
                     const char *what) {
  /* the words em_outpath_resolve says it with, as a usage error: the
   * command line names no file */
  if (!arg[0]) return sim_usage_error(cmd, "output path is empty");
  if (needs && strcmp(arg, "-") == 0)
    return sim_usage_error(cmd, "'%s' needs %s: %s does not go to standard output", opt, needs,
                           what);
  return 0;
}

int sim_parse_seed(const char *cmd, const char *arg, uint64_t *seed) {
  uint64_t v;
  if (em_parse_u64(arg, &v) != EM_OK || v > SIM_SEED_MAX)
    return sim_usage_error(cmd, "'--seed' must be in [0, %llu], got '%s'",
                           (unsigned long long)SIM_SEED_MAX, arg);
  *seed = v;
  return 0;
}

void sim_diag_locate(em_diag *d, const char *source) {
  if (d->path[0]) return;
  char msg[sizeof d->msg];
  memcpy(msg, d->msg, sizeof msg);
  em_diag_set(d, d->status, source, d->line, d->line ? d->col : 0, "%s", msg);
}

bool sim_diag_on(em_diag *d, const char *subject, const char *on) {
  if (d->path[0]) return false;
  char msg[sizeof d->msg];
  memcpy(msg, d->msg, sizeof msg);
  /* the models' messages open with their subject, "kernel 'K'" or "layer
   * 'L'": the point's name goes right after it, where the closing quote is
   * followed by a space or a colon (a quote inside the name is not) */
  static const char *const subjects[] = {"kernel '", "layer '"};
  size_t cut = 0;
  for (size_t i = 0; i < sizeof subjects / sizeof subjects[0] && !cut; i++) {
    size_t n = strlen(subjects[i]);
    if (strncmp(msg, subjects[i], n) != 0) continue;
    for (const char *q = strchr(msg + n, '\''); q && !cut; q = strchr(q + 1, '\''))
      if (q[1] == ' ' || q[1] == ':') cut = (size_t)(q + 1 - msg);
  }
  if (cut)
    em_diag_set(d, d->status, NULL, d->line, d->col, "%.*s on %s%s", (int)cut, msg, on,
                msg + cut);
  else if (subject)
    em_diag_set(d, d->status, NULL, d->line, d->col, "%s on %s: %s", subject, on, msg);
  return cut || subject;
}

int sim_settings_add(sim_settings *s, const char *cmd, const char *model, const char *key,
                     const char *val) {
  em_diag d;
  if (s->n == SIM_SETTINGS_MAX) return sim_usage_error(cmd, "more than %d settings", SIM_SETTINGS_MAX);
  if (strlen(key) + strlen(val) + 2 > sizeof s->text[0])
    return sim_usage_error(cmd, "setting '%s' is too long", key);
  if (hw_setting_check(hw_model_find(model), key, val, NULL, 0, 0, &d) != EM_OK)
    return sim_usage_error(cmd, "%s", d.msg);
  snprintf(s->text[s->n], sizeof s->text[0], "%s=%s", key, val);
  s->set[s->n] = s->text[s->n];
  s->n++;
  return -1;
}

int sim_settings_add_kv(sim_settings *s, const char *cmd, const char *model, const char *kv) {
  const char *eq = strchr(kv, '=');
  char key[64];
  if (!eq || eq == kv) return sim_usage_error(cmd, "'--set' takes KEY=VALUE, got '%s'", kv);
  if ((size_t)(eq - kv) >= sizeof key) /* longer than any model's key */
    return sim_usage_error(cmd, "'%.*s' is not a setting of model %s", (int)(eq - kv), kv, model);
  snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
  return sim_settings_add(s, cmd, model, key, eq + 1);
}

const char *sim_set_value(const char *kv, const char *key) {
  size_t n = strlen(key);
  return strncmp(kv, key, n) == 0 && kv[n] == '=' ? kv + n + 1 : NULL;
}

int sim_settings_idle(const sim_settings *s, const char *cmd, const hw_point *pt,
                      const char *prefix) {
  for (size_t i = 0; i < s->n; i++) {
    char key[64], need[160];
    snprintf(key, sizeof key, "%.*s", (int)strcspn(s->set[i], "="), s->set[i]);
    if (!hw_point_key_idle(pt, key, need, sizeof need)) continue;
    size_t kl = strcspn(need, " "); /* "KEY = VALUE" */
    return sim_usage_error(cmd, "'%s%s' changes nothing unless %s ('--set %s%.*s=%s' sets it)",
                           prefix, key, need, prefix, (int)kl, need, need + kl + 3);
  }
  return -1;
}

/* The command line's own state (one run, one thread): --quiet. */
static int quiet_flag;

void sim_quiet_set(int quiet) { quiet_flag = quiet; }

void sim_progress(const char *cmd, const char *fmt, ...) {
  if (quiet_flag || !isatty(2)) return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* one call a line: stdio locks the stream for it, so worker threads'
   * lines do not interleave */
  fprintf(stderr, "emlsim %s: %s\n", cmd, line);
  fflush(stderr);
}

FILE *sim_chat(void) { return quiet_flag ? NULL : stdout; }
