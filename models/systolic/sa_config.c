/*
 * sa_config.c - SCALE-Sim .cfg reader (sa_config.h).
 *
 * Parsing uses Debian's inih through ini_parse_stream() with our own line
 * reader: inih's handler gets no line number in Debian's build
 * (INI_HANDLER_LINENO is off), so the reader counts the lines it hands
 * out, and the handler, called for the line just read, knows where it is.
 * The reader also keeps the line's text, so a message points at the column
 * of the key or the value it is about.  It reads with getc, so that a NUL
 * byte (which fgets would hide: inih would see the line cut there, or an
 * empty line) and a line longer than inih's buffer are errors of their own
 * that stop the parse, and a read error (a directory) is not mistaken for
 * the end of the file.  Columns count characters (em_text_col).
 *
 * Two things inih lets by are refused here, each at its line and column:
 * - text after a section header's ']' (inih ignores it; so does Python's
 *   configparser, whose header pattern matches the line's start only, and
 *   SCALE-Sim reads its files with configparser).  "[run_presets] junk" is
 *   a typo or a lost line, not a header; a comment there (';' or '#', as at
 *   a line's start) is allowed.
 * - an indented line after a 'key: value' line: inih and configparser both
 *   take it for more of that value (multi-line values), which here would
 *   be read as the key given twice, and in SCALE-Sim makes "8\n16", which
 *   int() refuses.  No key takes a value on more than one line.
 */
#include "sa_config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "em_input.h"
#include "em_parse.h"

enum {
  K_RUN_NAME, K_ROWS, K_COLS, K_IFMAP_KB, K_FILTER_KB, K_OFMAP_KB, K_IFMAP_OFF, K_FILTER_OFF,
  K_OFMAP_OFF, K_BANDWIDTH, K_DATAFLOW, K_BANKS, K_WORD_BYTES, K_PACK, K_FREQ, K_BWMODE,
  K_TOPO, K_COUNT
};

/* The file's keys with their sections and ranges: what each means, and
 * every default, is the systolic model's one key table (sa_hw.c; emlsim
 * models systolic); sa_config_default() holds the same defaults. */
static const sa_config_key keys[K_COUNT] = {
    [K_RUN_NAME] = {"general", "run_name", SA_KEY_STRING, 0, 0},
    [K_ROWS] = {"architecture_presets", "ArrayHeight", SA_KEY_INT, 1, 65536},
    [K_COLS] = {"architecture_presets", "ArrayWidth", SA_KEY_INT, 1, 65536},
    [K_IFMAP_KB] = {"architecture_presets", "IfmapSramSzkB", SA_KEY_INT, 1, 4294967296LL},
    [K_FILTER_KB] = {"architecture_presets", "FilterSramSzkB", SA_KEY_INT, 1, 4294967296LL},
    [K_OFMAP_KB] = {"architecture_presets", "OfmapSramSzkB", SA_KEY_INT, 1, 4294967296LL},
    [K_IFMAP_OFF] = {"architecture_presets", "IfmapOffset", SA_KEY_INT, 0, 1LL << 40},
    [K_FILTER_OFF] = {"architecture_presets", "FilterOffset", SA_KEY_INT, 0, 1LL << 40},
    [K_OFMAP_OFF] = {"architecture_presets", "OfmapOffset", SA_KEY_INT, 0, 1LL << 40},
    [K_BANDWIDTH] = {"architecture_presets", "Bandwidth", SA_KEY_INT, 1, 1LL << 20},
    [K_DATAFLOW] = {"architecture_presets", "Dataflow", SA_KEY_DATAFLOW, 0, 0},
    [K_BANKS] = {"architecture_presets", "MemoryBanks", SA_KEY_INT, 1, 1}, /* as SCALE-Sim v2 */
    [K_WORD_BYTES] = {"architecture_presets", "WordSizeBytes", SA_KEY_INT, 1, 64},
    [K_PACK] = {"architecture_presets", "PackNarrowOperands", SA_KEY_BOOL, 0, 1},
    [K_FREQ] = {"architecture_presets", "FrequencyMHz", SA_KEY_INT, 1, 100000},
    [K_BWMODE] = {"run_presets", "InterfaceBandwidth", SA_KEY_BWMODE, 0, 0},
    [K_TOPO] = {"network_presets", "TopologyCsvLoc", SA_KEY_STRING, 0, 0}, /* accepted */
};

int sa_dataflow_parse(const char *s) {
  if (strcasecmp(s, "os") == 0) return SA_OS;
  if (strcasecmp(s, "ws") == 0) return SA_WS;
  if (strcasecmp(s, "is") == 0) return SA_IS;
  return -1;
}

typedef struct {
  const char *path;
  FILE *fp;
  uint64_t line;       /* lines handed to inih so far */
  sa_config *cfg;
  em_diag *d;
  em_status st;
  uint64_t key_line[K_COUNT];
  uint64_t key_col[K_COUNT]; /* the column of each key's value */
  uint64_t err_line;         /* the line of the handler's error, 0: none */
  uint64_t prev_line; /* inih's "previous name": the line of the last key
                       * in this section, 0 after a header (or none yet) */
  char raw[1024]; /* the line just read (its first 1023 bytes) */
} ctx;

/* 1-based column of the line's first non-blank character (the key). */
static uint64_t key_col(const ctx *c) {
  size_t i = strspn(c->raw, " \t");
  return em_text_col(c->raw, i);
}

/* Byte offset of the value in raw: past the first ':' or '=' and the blanks
 * after it (the end of the line for an empty value). */
static size_t value_off(const ctx *c) {
  size_t i = strcspn(c->raw, ":=");
  if (c->raw[i]) i++;
  i += strspn(c->raw + i, " \t");
  return i;
}

/* 1-based column of the value. */
static uint64_t value_col(const ctx *c) { return em_text_col(c->raw, value_off(c)); }

static int fail(ctx *c, em_status st, uint64_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records the first error at column col of the current line; returns 0
 * (inih: stop). */
static int fail(ctx *c, em_status st, uint64_t col, const char *fmt, ...) {
  if (c->st == EM_OK) {
    char msg[EM_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    em_diag_set(c->d, st, c->path, c->line, col, "%s", msg);
    c->st = st;
    c->err_line = c->line;
  }
  return 0;
}

/* Checks the line just read, in raw, where it is a section header as inih
 * reads one (see the top of the file): a line whose first non-blank is '['
 * and that is not the continuation of a value (an indented line after a
 * key).  Returns 0 after recording an error, 1 otherwise.  A header without
 * its ']' is left to inih, which reports the line. */
static int check_header(ctx *c) {
  const char *s = c->raw;
  size_t i = strspn(s, " \t\v\f");
  if (s[i] != '[' || (i > 0 && c->prev_line)) return 1;
  /* inih's end of the name: the first ']', or an inline comment (';' after
   * a blank), which leaves the header unclosed */
  size_t j = i + 1;
  while (s[j] && s[j] != ']' && !(s[j] == ';' && isspace((unsigned char)s[j - 1]))) j++;
  if (s[j] != ']') return 1;
  c->prev_line = 0; /* a key's value cannot go on past a header */
  j++;
  j += strspn(s + j, " \t\v\f");
  if (!s[j] || s[j] == ';' || s[j] == '#') return 1;
  return fail(c, EM_ERR_PARSE, em_text_col(s, j),
              "unexpected text after the section header (a comment there starts with ';' "
              "or '#')");
}

/* fgets-like reader for inih that counts lines.  A NUL byte, a line that
 * does not fit inih's buffer of num bytes and a read error are recorded
 * (on the line being read) and end the parse: NULL, as at the end of the
 * file. */
static char *reader(char *str, int num, void *stream) {
  ctx *c = stream;
  if (c->st != EM_OK || num < 2) return NULL;
  size_t n = 0;
  int ch;
  errno = 0;
  while (n + 1 < (size_t)num && (ch = getc(c->fp)) != EOF) {
    if (ch == '\0') {
      c->line++;
      fail(c, EM_ERR_PARSE, n + 1, "NUL byte in text input");
      return NULL;
    }
    str[n++] = (char)ch;
    if (ch == '\n') break;
  }
  if (ferror(c->fp)) {
    c->line++;
    fail(c, EM_ERR_IO, 0, "cannot read: %s", strerror(errno ? errno : EIO));
    return NULL;
  }
  if (n == 0) return NULL; /* end of file */
  str[n] = '\0';
  c->line++;
  if (str[n - 1] != '\n' && n + 1 == (size_t)num) {
    ch = getc(c->fp); /* a full buffer is a whole line only at the end of the file */
    if (ch != EOF) {
      fail(c, EM_ERR_LIMIT, 1, "line is too long");
      return NULL;
    }
  }
  em_strlcpy(c->raw, str, sizeof c->raw);
  c->raw[strcspn(c->raw, "\r\n")] = '\0';
  /* inih skips a UTF-8 byte order mark before the first line; an editor
   * does not show one, so columns count from past it */
  if (c->line == 1 && memcmp(c->raw, "\xEF\xBB\xBF", 3) == 0)
    memmove(c->raw, c->raw + 3, strlen(c->raw + 3) + 1);
  if (!check_header(c)) return NULL;
  return str;
}

/* The name of the run's folder under -o: one path component, never '.',
 * '..' or a path out of -o, and no control characters.  Returns 0 (inih:
 * stop) after recording the error, 1 when the name is good. */
static int check_run_name(ctx *c, const char *value) {
  size_t len = strlen(value);
  bool ok = len > 0 && len < sizeof c->cfg->run_name && strcmp(value, ".") != 0 &&
            strcmp(value, "..") != 0 && !strpbrk(value, "/\\");
  for (size_t i = 0; ok && i < len; i++)
    if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) ok = false;
  if (ok) return 1;
  char shown[4 * 128 + 4]; /* the value as text, control bytes as \xHH */
  size_t j = 0;
  for (size_t i = 0; i < len && j + 5 < sizeof shown; i++) {
    unsigned char ch = (unsigned char)value[i];
    if (ch < 0x20 || ch == 0x7f)
      j += (size_t)snprintf(shown + j, sizeof shown - j, "\\x%02x", ch);
    else
      shown[j++] = (char)ch;
  }
  shown[j] = '\0';
  return fail(c, EM_ERR_RANGE, value_col(c),
              "'run_name' must be a folder name of 1 to %zu characters, not '.' or '..', "
              "without '/', '\\' or control characters, got '%s'",
              sizeof c->cfg->run_name - 1, shown);
}

/* 'Bandwidth' as a list, one entry per memory bank: SCALE-Sim reads each
 * with int() (a comma list, blanks around entries stripped) and its first
 * is the bandwidth used here.  Every entry is checked as a single value is,
 * in range too, and an error points at its entry.  Returns 0 (inih: stop)
 * after recording an error, 1 when the list is good. */
static int bandwidth_list(ctx *c, const char *value) {
  const sa_config_key *key = &keys[K_BANDWIDTH];
  size_t at = value_off(c); /* value's byte offset in raw (inih strips the same blanks) */
  unsigned idx = 1;
  for (const char *p = value;; idx++) {
    size_t lead = strspn(p, " \t");
    size_t n = strcspn(p + lead, ",");
    while (n > 0 && isspace((unsigned char)p[lead + n - 1])) n--;
    uint64_t col = em_text_col(c->raw, at + (size_t)(p - value) + lead);
    char *entry = strndup(p + lead, n);
    if (!entry) return fail(c, EM_ERR_NOMEM, col, "out of memory");
    int64_t v;
    em_status st = em_parse_i64(entry, &v);
    if (st != EM_OK)
      fail(c, EM_ERR_PARSE, col,
           "'Bandwidth' entry %u must be an integer in [%lld, %lld], got '%s'", idx,
           (long long)key->min, (long long)key->max, entry);
    else if (v < key->min || v > key->max)
      fail(c, EM_ERR_RANGE, col, "'Bandwidth' entry %u must be in [%lld, %lld], got %s", idx,
           (long long)key->min, (long long)key->max, entry);
    free(entry);
    if (c->st != EM_OK) return 0;
    if (idx == 1) c->cfg->bandwidth = (uint32_t)v;
    const char *comma = strchr(p, ',');
    if (!comma) return 1;
    p = comma + 1;
  }
}

static int handler(void *user, const char *section, const char *name, const char *value) {
  ctx *c = user;
  if (c->st != EM_OK) return 0;
  /* an indented line after a key's line: inih hands it over as more of
   * that key's value (see the top of the file) */
  if (c->prev_line && isspace((unsigned char)c->raw[0]))
    return fail(c, EM_ERR_PARSE, key_col(c),
                "an indented line continues the value of '%s' (line %llu): a value on "
                "more than one line is not supported",
                name, (unsigned long long)c->prev_line);
  c->prev_line = c->line;
  int k = -1;
  bool section_known = false;
  for (int i = 0; i < K_COUNT; i++) {
    if (strcasecmp(keys[i].section, section) != 0) continue;
    section_known = true;
    if (strcasecmp(keys[i].name, name) == 0) k = i;
  }
  if (!section_known && !section[0])
    return fail(c, EM_ERR_PARSE, key_col(c), "'%s' comes before any [section] header", name);
  if (!section_known)
    return fail(c, EM_ERR_PARSE, key_col(c),
                "'%s' is in an unknown section '[%s]' (general, architecture_presets, "
                "run_presets, network_presets)",
                name, section);
  if (k < 0)
    return fail(c, EM_ERR_PARSE, key_col(c), "unknown key '%s' in [%s]", name, section);
  if (c->key_line[k])
    return fail(c, EM_ERR_PARSE, key_col(c), "'%s' is given twice (first on line %llu)",
                keys[k].name, (unsigned long long)c->key_line[k]);
  c->key_line[k] = c->line;
  c->key_col[k] = value_col(c);
  sa_config *cfg = c->cfg;
  const sa_config_key *key = &keys[k];
  switch (key->type) {
  case SA_KEY_STRING:
    if (k == K_RUN_NAME) {
      if (!check_run_name(c, value)) return 0;
      em_strlcpy(cfg->run_name, value, sizeof cfg->run_name);
    }
    return 1;
  case SA_KEY_DATAFLOW: {
    int df = sa_dataflow_parse(value);
    if (df < 0)
      return fail(c, EM_ERR_RANGE, value_col(c), "'Dataflow' must be os, ws or is, got '%s'",
                  value);
    cfg->dataflow = (sa_dataflow)df;
    return 1;
  }
  case SA_KEY_BWMODE:
    if (strcasecmp(value, "CALC") == 0)
      cfg->bw_calc = true;
    else if (strcasecmp(value, "USER") == 0)
      cfg->bw_calc = false;
    else
      return fail(c, EM_ERR_RANGE, value_col(c),
                  "'InterfaceBandwidth' must be CALC or USER, got '%s'", value);
    return 1;
  case SA_KEY_BOOL:
    if (strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcasecmp(value, "yes") == 0)
      cfg->pack_narrow = true;
    else if (strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0 ||
             strcasecmp(value, "no") == 0)
      cfg->pack_narrow = false;
    else
      return fail(c, EM_ERR_RANGE, value_col(c), "'%s' must be true or false, got '%s'",
                  key->name, value);
    return 1;
  case SA_KEY_INT: {
    /* the value is read whole, however long (leading zeros included): a
     * copy cut to a buffer would read another number */
    if (k == K_BANDWIDTH && strchr(value, ',')) return bandwidth_list(c, value);
    int64_t v;
    em_status st = em_parse_i64(value, &v);
    if (st != EM_OK)
      return fail(c, EM_ERR_PARSE, value_col(c),
                  "'%s' must be an integer in [%lld, %lld], got '%s'", key->name,
                  (long long)key->min, (long long)key->max, value);
    if (v < key->min || v > key->max)
      return fail(c, EM_ERR_RANGE, value_col(c), "'%s' must be in [%lld, %lld], got %s",
                  key->name, (long long)key->min, (long long)key->max, value);
    switch (k) {
    case K_ROWS: cfg->rows = (uint32_t)v; break;
    case K_COLS: cfg->cols = (uint32_t)v; break;
    case K_IFMAP_KB: cfg->ifmap_sram_kb = (uint64_t)v; break;
    case K_FILTER_KB: cfg->filter_sram_kb = (uint64_t)v; break;
    case K_OFMAP_KB: cfg->ofmap_sram_kb = (uint64_t)v; break;
    case K_IFMAP_OFF: cfg->ifmap_offset = (uint64_t)v; break;
    case K_FILTER_OFF: cfg->filter_offset = (uint64_t)v; break;
    case K_OFMAP_OFF: cfg->ofmap_offset = (uint64_t)v; break;
    case K_BANDWIDTH: cfg->bandwidth = (uint32_t)v; break;
    case K_BANKS: cfg->memory_banks = (uint32_t)v; break;
    case K_WORD_BYTES: cfg->word_bytes = (uint32_t)v; break;
    case K_FREQ: cfg->freq_mhz = (double)v; break;
    default: break;
    }
    return 1;
  }
  }
  return 1;
}

static em_status read_stream(const char *name, FILE *fp, sa_config *out, em_diag *d) {
  ctx c;
  memset(&c, 0, sizeof c);
  c.path = name;
  c.fp = fp;
  c.cfg = out;
  c.d = d;
  *out = sa_config_default();
  int rc = ini_parse_stream(reader, &c, handler, &c);
  /* inih goes on after a syntax error; the first error in the file wins. */
  if (rc > 0 && (c.st == EM_OK || (uint64_t)rc < c.err_line))
    return em_diag_set(d, EM_ERR_PARSE, name, (uint64_t)rc, 1,
                       "not a 'key: value' line or a [section] header");
  if (c.st != EM_OK) return c.st;
  if (rc < 0) return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot read");
  if (c.line == 0) return em_diag_set(d, EM_ERR_PARSE, name, 1, 1, "empty configuration file");
  /* blank lines, comments, a BOM or section headers alone set nothing: a
   * file given as the configuration that says nothing is not one (it ran
   * as every default, as an empty file did not) */
  bool any = false;
  for (int k = 0; k < K_COUNT; k++) any = any || c.key_line[k];
  if (!any)
    return em_diag_set(d, EM_ERR_PARSE, name, 1, 1,
                       "no settings: the file has no 'key: value' line (only comments, "
                       "blank lines or section headers)");
  em_status st = sa_config_validate(out, name, d);
  if (st != EM_OK && d) {
    /* Point at the key the problem comes from, when the file gave it. */
    int k = -1;
    if (strstr(d->msg, "IfmapSramSzkB")) k = K_IFMAP_KB;
    else if (strstr(d->msg, "FilterSramSzkB")) k = K_FILTER_KB;
    else if (strstr(d->msg, "OfmapSramSzkB")) k = K_OFMAP_KB;
    if (k >= 0 && c.key_line[k]) {
      d->line = c.key_line[k];
      d->col = c.key_col[k];
    }
  }
  return st;
}

em_status sa_config_read(const char *path, sa_config *out, em_diag *d) {
  FILE *fp;
  em_status os = em_input_open(path, "a configuration file", EM_INPUT_STDIN, &fp, d);
  if (os != EM_OK) return os;
  em_status st = read_stream(path, fp, out, d);
  fclose(fp);
  return st;
}

em_status sa_config_read_mem(const char *name, const char *text, size_t len, sa_config *out,
                             em_diag *d) {
  if (len == 0) return em_diag_set(d, EM_ERR_PARSE, name, 1, 1, "empty configuration file");
  FILE *fp = fmemopen((void *)text, len, "r");
  if (!fp) return em_diag_set(d, EM_ERR_IO, name, 0, 0, "cannot open in-memory text");
  em_status st = read_stream(name, fp, out, d);
  fclose(fp);
  return st;
}
