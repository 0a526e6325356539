/*
 * emlsim.c - the driver: `emlsim <command> [options]`.
 *
 * A command table in the style of git.c: each entry is defined in its own
 * sim/cmd_NAME.c.  `emlsim help [command]`, `--help` and `--version` work
 * everywhere.  Exit status: 0 ok, 1 input or run error, 2 usage.
 *
 * main first gives a closed standard descriptor a stand-in, ignores
 * SIGXFSZ (a file size limit is a write error), then installs the
 * handlers that remove a killed run's temporary files (em_cleanup.h)
 * and, last, checks that standard output really took what was written to
 * it: `emlsim help > /dev/full` is an error, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "em_cleanup.h"
#include "em_pool.h"
#include "sim_cli.h"
#include "sim_commands.h"

static const sim_command *const commands[] = {
    &sim_cmd_study,
    &sim_cmd_sweep,
    &sim_cmd_quant,
    &sim_cmd_analyze,
    &sim_cmd_workloads,
    &sim_cmd_systolic,
    &sim_cmd_bitserial,
    &sim_cmd_xnor,
    &sim_cmd_rtl,
    &sim_cmd_simt,
    &sim_cmd_breakeven,
    &sim_cmd_models,
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

const sim_command *sim_find_command(const char *name) {
  for (size_t i = 0; i < n_commands; i++)
    if (strcmp(commands[i]->name, name) == 0) return commands[i];
  return NULL;
}

static void print_overview(FILE *out) {
  fprintf(out,
          "usage: emlsim <command> [options]\n"
          "       emlsim help <command>\n"
          "       emlsim help --man | --bash-completion\n"
          "       emlsim --version\n\n"
          "emlsim - hardware simulator and cost-model explorer for embedded ML\n\n"
          "commands:\n");
  for (size_t i = 0; i < n_commands; i++)
    fprintf(out, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
  fprintf(out, "\nThe manual page, emlsim(1), and a bash completion script, both made from\n"
               "the commands' help texts: emlsim help --man, emlsim help --bash-completion\n"
               "(make install installs both).\n"
               "\nExit status: 0 ok, 1 input or run error, 2 usage error.\n"
               "Environment: EMLSIM_HOST_MEMORY, the host memory the models may hold\n"
               "(default 16G; K, M, G or T suffixes); EMLSIM_FIFO_WAIT, the seconds an\n"
               "input FIFO may wait for its writer (default 30); EMLSIM_SWEEP_ESTIMATE,\n"
               "the seconds left from which a sweep says how long it will take (default 60).\n");
}

/* Text for roff: a leading '.' or '\'' is escaped, backslashes doubled. */
static void roff(FILE *out, const char *text) {
  int bol = 1;
  for (const char *p = text; *p; p++) {
    if (bol && (*p == '.' || *p == '\'')) fputs("\\&", out);
    if (*p == '\\') fputs("\\e", out);
    else if (*p == '-') fputs("\\-", out);
    else fputc(*p, out);
    bol = *p == '\n';
  }
}

/* The manual page, emlsim(1), from the command table's help texts (make
 * install writes it): every command's usage, as --help prints it. */
static void print_man(FILE *out) {
  fprintf(out, ".TH EMLSIM 1 \"\" \"emlsim %s\" \"User Commands\"\n", EMLSIM_VERSION);
  fputs(".SH NAME\nemlsim \\- hardware simulator and cost-model explorer for embedded ML\n"
        ".SH SYNOPSIS\n.B emlsim\n.I command\n[options]\n.SH COMMANDS\n", out);
  for (size_t i = 0; i < n_commands; i++) {
    fprintf(out, ".TP\n.B %s\n", commands[i]->name);
    roff(out, commands[i]->summary);
    fputc('\n', out);
  }
  for (size_t i = 0; i < n_commands; i++) {
    fprintf(out, ".SH \"EMLSIM %s\"\n.nf\n", commands[i]->name);
    roff(out, commands[i]->usage);
    fputs(".fi\n", out);
  }
  fputs(".SH \"EXIT STATUS\"\n0 ok, 1 input or run error (path:line:col: error: ...), "
        "2 usage error.\n"
        ".SH ENVIRONMENT\n.TP\n.B EMLSIM_HOST_MEMORY\n"
        "The host memory the run's models may hold, all threads together: a size in "
        "bytes with an optional K, M, G or T suffix (powers of 1024), from 1M to 1T; "
        "default 16G. A GPU model or a systolic layer needing more is refused; \\-\\-jobs "
        "is lowered, or a sweep's threads wait, so that the threads fit together.\n"
        ".TP\n.B EMLSIM_FIFO_WAIT\n"
        "How long an input that is a FIFO with a name may wait for its writer's first "
        "data, in whole seconds from 0 to 86400; default 30. Past it the input is "
        "refused (exit 1), so a FIFO that no process writes to does not hold the run "
        "for ever.\n"
        ".TP\n.B EMLSIM_SWEEP_ESTIMATE\n"
        "From how many seconds left a sweep says, once its first points are done, how "
        "long the rest will take at their rate, in whole seconds from 0 to 86400; "
        "default 60.\n",
        out);
}

/* Whether the space-separated list `seen` (at most cap bytes) has the word
 * w (n bytes); adds it if not.  Returns 1 for a word seen before. */
static int seen_word(char *seen, size_t cap, const char *w, size_t n) {
  for (const char *p = seen; *p; p++) {
    if (strncmp(p, w, n) == 0 && p[n] == ' ') return 1;
    p = strchr(p, ' ');
    if (!p) break;
  }
  size_t len = strlen(seen);
  if (len + n + 2 <= cap) {
    memcpy(seen + len, w, n);
    seen[len + n] = ' ';
    seen[len + n + 1] = '\0';
  }
  return 0;
}

/* The length of a word of [a-z0-9-] at p. */
static size_t word_len(const char *p) {
  size_t n = 0;
  while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '-') n++;
  return n;
}

/* A command's long options, each once, as its help text lists them: an
 * option line starts with 2 to 6 spaces and a '-', and its option column
 * (up to two spaces in a row) names each option first or after ", "
 * ("  -o, --output FILE", "  --pe P, --simd S"); the description and its
 * continuation lines (indented further) are prose, not a list. */
static void print_options(FILE *out, const char *usage) {
  char seen[2048] = "";
  for (const char *line = usage; *line; ) {
    const char *eol = strchr(line, '\n');
    if (!eol) eol = line + strlen(line);
    size_t indent = strspn(line, " ");
    if (indent >= 2 && indent <= 6 && line[indent] == '-') {
      for (const char *p = line + indent; p < eol && !(p[0] == ' ' && p[1] == ' '); p++) {
        if (!(p == line + indent || (p[-1] == ' ' && p[-2] == ',')) || strncmp(p, "--", 2))
          continue;
        size_t n = 2 + word_len(p + 2);
        if (n > 2 && !seen_word(seen, sizeof seen, p, n)) fprintf(out, " %.*s", (int)n, p);
      }
    }
    line = *eol ? eol + 1 : eol;
  }
  /* every command takes them (emlsim.c's header), listed or not */
  if (!seen_word(seen, sizeof seen, "--help", 6)) fputs(" --help", out);
  if (!seen_word(seen, sizeof seen, "--version", 9)) fputs(" --version", out);
}

/* A command's subcommands, each once: the word after "emlsim NAME" on a
 * usage line ("emlsim rtl verify", "emlsim workloads export"), where it is
 * a word, not an operand (<workload>, [MODEL]) or an option. */
static void print_subcommands(FILE *out, const sim_command *c) {
  char seen[256] = "";
  size_t name_n = strlen(c->name);
  for (const char *line = c->usage; *line; ) {
    const char *eol = strchr(line, '\n');
    if (!eol) eol = line + strlen(line);
    const char *p = line + strspn(line, " ");
    if (strncmp(p, "usage: ", 7) == 0) p += 7;
    if (strncmp(p, "emlsim ", 7) == 0 && strncmp(p + 7, c->name, name_n) == 0 &&
        p[7 + name_n] == ' ') {
      p += 8 + name_n;
      size_t n = word_len(p);
      if (n > 0 && p[0] >= 'a' && p[0] <= 'z' && (p[n] == ' ' || p[n] == '\n' || !p[n]) &&
          !seen_word(seen, sizeof seen, p, n))
        fprintf(out, "%s%.*s", strlen(seen) > n + 1 ? " " : "", (int)n, p); /* not the first */
    }
    line = *eol ? eol + 1 : eol;
  }
}

/* A bash completion script: the commands; then each command's options (an
 * option word), its subcommands (the first word that is no option's value,
 * until one is given) and file names; `emlsim help` the commands and its
 * two flags. */
static void print_bash_completion(FILE *out) {
  fputs("# bash completion for emlsim (emlsim help --bash-completion)\n"
        "_emlsim() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words=\"\" w\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W \"help",
        out);
  for (size_t i = 0; i < n_commands; i++) fprintf(out, " %s", commands[i]->name);
  fputs(" --help --version\" -- \"$cur\")); return\n  fi\n  case ${COMP_WORDS[1]} in\n"
        "    help) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"",
        out);
  for (size_t i = 0; i < n_commands; i++) fprintf(out, "%s ", commands[i]->name);
  fputs("--man --bash-completion\" -- \"$cur\")); return ;;\n", out);
  for (size_t i = 0; i < n_commands; i++) {
    fprintf(out, "    %s) local opts=\"", commands[i]->name);
    print_options(out, commands[i]->usage);
    fputs("\"; words=\"", out);
    print_subcommands(out, commands[i]);
    fputs("\" ;;\n", out);
  }
  fputs("    *) return ;;\n  esac\n"
        "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return; fi\n"
        "  if [ -n \"$words\" ] && [[ $prev != -* ]]; then\n"
        "    for w in \"${COMP_WORDS[@]:2:COMP_CWORD-2}\"; do\n"
        "      [[ \" $words \" == *\" $w \"* ]] && words=\"\"\n    done\n"
        "    if [ -n \"$words\" ]; then\n"
        "      COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return\n    fi\n"
        "  fi\n"
        "  COMPREPLY=($(compgen -f -- \"$cur\"))\n}\ncomplete -F _emlsim emlsim\n",
        out);
}

/* An argument quoted in an error, escaped as em_diag's messages are (a
 * command named "\e[2J" cleared the terminal): its first SHOWN_MAX bytes,
 * then "..." if there were more. */
#define SHOWN_MAX 200
typedef struct {
  char s[4 * SHOWN_MAX + 4]; /* each byte escaped to at most 4, and "..." */
} shown_buf;

static const char *shown(const char *arg, shown_buf *b) {
  char raw[SHOWN_MAX + 1];
  snprintf(raw, sizeof raw, "%s", arg);
  em_escape(b->s, sizeof b->s - 3, raw);
  if (strlen(arg) > SHOWN_MAX) strcat(b->s, "...");
  return b->s;
}

static int cmd_help(int argc, char **argv) {
  shown_buf buf;
  if (argc > 2) { /* 'help analyze extra' printed analyze's help, exit 0 */
    fprintf(stderr, "emlsim help: error: unexpected argument '%s'\n(try 'emlsim help')\n",
            shown(argv[2], &buf));
    return SIM_EXIT_USAGE;
  }
  if (argc < 2) {
    print_overview(stdout);
    return SIM_EXIT_OK;
  }
  if (strcmp(argv[1], "--man") == 0) {
    print_man(stdout);
    return SIM_EXIT_OK;
  }
  if (strcmp(argv[1], "--bash-completion") == 0) {
    print_bash_completion(stdout);
    return SIM_EXIT_OK;
  }
  const sim_command *c = sim_find_command(argv[1]);
  if (!c) { /* not "try 'emlsim help help'", the command that just failed */
    fprintf(stderr, "emlsim help: error: unknown command '%s'\n(try 'emlsim help')\n",
            shown(argv[1], &buf));
    return SIM_EXIT_USAGE;
  }
  sim_print_usage(c, stdout);
  return SIM_EXIT_OK;
}

/* Flushes and closes stdout: a write error (a full disk, a closed pipe)
 * that stdio kept to itself turns a success into exit status 1 (a failed
 * run has said what failed already). */
static int finish_stdout(int rc) {
  errno = 0;
  int bad = fflush(stdout) != 0 || ferror(stdout);
  int e = errno;
  if (fclose(stdout) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (!bad || rc != SIM_EXIT_OK) return rc;
  fprintf(stderr, "<stdout>: error: write error: %s\n", em_errno_text(e));
  return SIM_EXIT_ERROR;
}

static int run(int argc, char **argv) {
  if (argc < 2) {
    print_overview(stderr);
    return SIM_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    print_overview(stdout);
    return SIM_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0) return sim_print_version();
  if (strcmp(name, "help") == 0) return cmd_help(argc - 1, argv + 1);
  const sim_command *c = sim_find_command(name);
  if (!c) {
    shown_buf buf;
    fprintf(stderr, "emlsim: error: unknown command '%s'\n(try 'emlsim help')\n",
            shown(name, &buf));
    return SIM_EXIT_USAGE;
  }
  sim_set_command(c->name);
  em_diag d; /* the environment's host memory budget, before any work */
  em_diag_clear(&d);
  if (em_host_budget_check(&d) != EM_OK) return sim_fail(&d);
  return c->fn(argc - 1, argv + 1);
}

/* A standard descriptor the caller closed (`emlsim ... >&-`) would be the
 * next file opened, so an output's temporary file took stdout's or
 * stderr's lines (a note, the training log) and stdout's final close
 * failed after the outputs were committed.  Each is opened on /dev/null
 * the wrong way round, as gnulib's stdopen does: reading stdin or writing
 * stdout then fails with EBADF, as on the closed descriptor, and an output
 * never gets 0, 1 or 2.  Returns 0, or -1 when /dev/null cannot be opened. */
static int guard_std_fds(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int n = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
    if (n != fd) { /* the lowest free descriptor is fd: anything else failed */
      if (n >= 0) close(n);
      return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (guard_std_fds() != 0) {
    /* stderr may be the closed one: the exit status says it */
    fprintf(stderr, "emlsim: error: a standard descriptor is closed and /dev/null "
                    "cannot stand in for it: %s\n", strerror(errno));
    return SIM_EXIT_ERROR;
  }
  /* A file size limit (`ulimit -f`, a batch system's) killed the run with
   * SIGXFSZ and left its temporaries half-written; ignored, the write that
   * passes it fails with EFBIG, and the run names the file and fails (and
   * gnuplot, which inherits this, fails its plot the same way). */
  signal(SIGXFSZ, SIG_IGN);
  em_cleanup_install();
  return finish_stdout(run(argc, argv));
}
