/*
 * sim_cli.h - what every emlsim command shares: the command table entry,
 * exit codes, and helpers that turn diagnostics into messages.
 *
 * A command is `int cmd_NAME(int argc, char **argv)` in sim/cmd_NAME.c, with
 * argv[0] the command name; it parses options with getopt_long, answers
 * --help (usage on stdout, exit 0) and --version, prints errors as
 * "path:line:col: error: ..." on stderr, and returns one of the exit codes.
 * To add a command: write sim/cmd_NAME.c defining `sim_cmd_NAME` (below),
 * declare it in sim_commands.h and add `&sim_cmd_NAME` to the table in
 * sim/emlsim.c.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"

enum { SIM_EXIT_OK = 0, SIM_EXIT_ERROR = 1, SIM_EXIT_USAGE = 2 };

typedef int (*sim_cmd_fn)(int argc, char **argv);

typedef struct {
  const char *name;
  sim_cmd_fn fn;
  const char *summary; /* one line for `emlsim help` */
  const char *usage;   /* full help text, printed by --help and `emlsim help NAME` */
} sim_command;

/* Each command file defines its entry, e.g. in cmd_analyze.c:
 *   const sim_command sim_cmd_analyze = {"analyze", cmd_analyze, "...", "..."};
 * and emlsim.c lists &sim_cmd_analyze in its table. */

/* Finds a command by name in the table of emlsim.c; NULL if none. */
const sim_command *sim_find_command(const char *name);

/* Prints the command's usage to `out`. */
void sim_print_usage(const sim_command *cmd, FILE *out);

/* "emlsim NAME: error: MSG\n(try 'emlsim help NAME')" on stderr; returns
 * SIM_EXIT_USAGE. printf-style. */
int sim_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "WHO: note: MSG" on stderr, one line, WHO (a file, or "emlsim CMD") and
 * MSG escaped as diagnostics are: a note quotes a file's name, a layer's
 * or a kernel's, which may hold any byte (a topology named "\e[31m\nx.csv:
 * error: ..." forged an error line).  printf-style. */
void sim_note(const char *who, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The usage error for an option getopt_long refused ('?'): `arg` as given
 * (argv[optind - 1]).  "--flag=VALUE" for a flag of `opts` (a whole name
 * or the one it abbreviates) says the flag takes no value, not that it is
 * unknown. */
struct option;
int sim_unknown_option(const char *cmd, const char *arg, const struct option *opts);

/* Gives a diagnostic that names no file the workload's source (a layer's
 * problem found by a model is located in the file the layer came from). */
void sim_diag_locate(em_diag *d, const char *source);

/* Names the design point `on` (a GPU: "volta", "gpu_8sm.cfg"; "a systolic
 * array") in a model's refusal of a kernel or layer that names no file, so
 * that sim_fail prints it as the run's error, "emlsim CMD: error: kernel 'K'
 * on volta is too large ...": the kernel and the GPU together are at fault,
 * not a line of the GPU's file (which "gpu.cfg: error: ..." would say).
 * `subject` ("--wmma 64x64x64") goes before a message that names no kernel
 * or layer of its own: "SUBJECT on ON: MSG".  Returns false, d left as it
 * is, for a diagnostic with a file, or one that names no kernel or layer
 * where subject is NULL (not a model's refusal: an input's, say). */
bool sim_diag_on(em_diag *d, const char *subject, const char *on);

/* The command being run (emlsim.c's dispatcher sets it), which sim_fail
 * names before a diagnostic that names no file. */
void sim_set_command(const char *name);

/* Prints a diagnostic on stderr and returns SIM_EXIT_ERROR: "path:line:col:
 * error: MSG" where the diagnostic has a file, else "emlsim CMD: error: MSG"
 * (an argument's or the run's own error, named by its command as usage
 * errors are; "emlsim: error: MSG" before a command is known). */
int sim_fail(const em_diag *d);

/* Threads for `items` items when each thread holds `each` bytes of model
 * state (hw_point_host_bytes): jobs, or fewer within the host memory budget
 * (em_pool_jobs_within), with a note on standard error, "emlsim CMD: note:
 * --jobs 4 lowered to 2: ...", where that is fewer threads than
 * min(jobs, items) would have run.  `what` names the state ("GPU model"). */
unsigned sim_jobs_within(const char *cmd, unsigned jobs, size_t items, uint64_t each,
                         const char *what);

/* The most threads any command's --jobs asks for: simt, breakeven and
 * study size their per-thread arrays by it, and sweep took 256 alone. */
#define SIM_JOBS_MAX 64

/* Parses --jobs's argument ARG for command CMD into *jobs, in [1,
 * SIM_JOBS_MAX]. Returns 0, or prints the usage error and returns its exit
 * status (sim_usage_error): every command words it alike. */
int sim_parse_jobs(const char *cmd, const char *arg, unsigned *jobs);

/* Checks output option OPT's argument ARG for command CMD: an empty path
 * is a usage error ("output path is empty"), and so is "-" where the
 * output cannot go to standard output (needs not NULL: a folder of
 * reports, a PNG gnuplot writes, a weights file): "'-o' needs NEEDS
 * ("a folder"): WHAT ("a folder of reports") does not go to standard
 * output".  NULL needs: "-" is standard output.  Returns 0, or prints the
 * usage error and returns its exit status. */
int sim_check_output(const char *cmd, const char *opt, const char *arg, const char *needs,
                     const char *what);

/* The largest --seed: every seed goes to GSL's mt19937, which keeps the
 * low 32 bits of it (gsl_rng_set), so 2^32 + 1 drew seed 1's numbers. */
#define SIM_SEED_MAX UINT64_C(4294967295)

/* Parses --seed's argument ARG for command CMD into *seed, in [0,
 * SIM_SEED_MAX]. Returns 0, or prints the usage error and returns its exit
 * status (sim_usage_error). */
int sim_parse_seed(const char *cmd, const char *arg, uint64_t *seed);

/* Prints "emlsim VERSION" on stdout; returns SIM_EXIT_OK. */
int sim_print_version(void);

/* getopt_long value for the --version option every command takes (--help
 * uses 'h'):
 *   {"help", no_argument, NULL, 'h'},
 *   {"version", no_argument, NULL, SIM_OPT_VERSION} */
#define SIM_OPT_VERSION 0x1001

/* A design point's settings as a command collects them from its options
 * (--rows 16, --set KEY=VALUE, ...) for hw_point_create: each is checked
 * against the model's one key table as it is added. */
#define SIM_SETTINGS_MAX 32
typedef struct {
  char text[SIM_SETTINGS_MAX][160];
  const char *set[SIM_SETTINGS_MAX]; /* the settings "key=value", in order */
  size_t n;
} sim_settings;

/* Adds key=val for model `model`; returns -1 when it was added, else the
 * usage error's exit status (printed, naming command cmd). */
int sim_settings_add(sim_settings *s, const char *cmd, const char *model, const char *key,
                     const char *val);
/* The same for "KEY=VALUE" (the --set option). */
int sim_settings_add_kv(sim_settings *s, const char *cmd, const char *model, const char *kv);
/* The value of a --set argument kv ("KEY=VALUE") whose KEY is key, else
 * NULL: for a key that an option of the command also gives, which then
 * takes '--set KEY=VALUE' as that option (simt's and breakeven's '--set
 * gpu=FILE' is their '--gpu FILE'), named '--set KEY' in its messages.  A
 * file the key names is then the option's input: listed for sim_io_check
 * (an output that would overwrite it, standard input named twice) and read
 * once, where the design point is made, its errors at its own line and
 * column.  As a setting it was read once more to check it, its errors
 * given as usage errors without its name, and -o could overwrite it. */
const char *sim_set_value(const char *kv, const char *key);
/* A setting of s that changes nothing at design point pt (hw_point_key_idle:
 * 'bandwidth' in CALC mode, 'bandwidth_mode' in the closed form) refused
 * as a usage error of cmd, "'KEY' changes nothing unless K = V ('--set
 * PREFIXK=V' sets it)", prefix "" or the study's "systolic.": its exit
 * status; -1 where every setting changes something.  pt (a struct hw_point)
 * need only be configured. */
struct hw_point;
int sim_settings_idle(const sim_settings *s, const char *cmd, const struct hw_point *pt,
                      const char *prefix);

/* Progress and chatter. A command that can run over 2 s shows what it is
 * doing on stderr when stderr is a terminal, one flushed line a step, and
 * takes --quiet: then it prints nothing but errors (and the results it was
 * asked to print on standard output). */
void sim_quiet_set(int quiet);
/* A progress line "emlsim CMD: ..." on stderr (terminal only, not quiet),
 * written whole: worker threads may call it. */
void sim_progress(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Where a command's chatter goes (a summary line, a training log): stdout,
 * or NULL under --quiet. */
FILE *sim_chat(void);

#endif
