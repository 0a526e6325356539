/*
 * rpt_table.c - typed tables rendered as text, CSV, Markdown or JSON.
 *
 * Cells are stored as formatted text plus the type of their column; JSON
 * integers are emitted with cJSON_CreateRaw so that 64-bit counts stay exact
 * (cJSON's numbers are doubles, exact only to 2^53).
 */
#include "rpt_table.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *key, *value;
} meta_kv;

struct rpt_table {
  char *title;
  rpt_column *cols;
  char **col_names;
  size_t ncols;
  char ***cells; /* rows x ncols, NULL = empty */
  size_t nrows, cap;
  char **notes;
  size_t nnotes;
  meta_kv *meta;
  size_t nmeta;
};

rpt_table *rpt_table_create(const char *title, const rpt_column *cols, size_t ncols) {
  rpt_table *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->title = strdup(title ? title : "");
  t->cols = calloc(ncols, sizeof *t->cols);
  t->col_names = calloc(ncols, sizeof *t->col_names);
  if (!t->title || !t->cols || !t->col_names) goto fail;
  t->ncols = ncols;
  for (size_t i = 0; i < ncols; i++) {
    t->cols[i] = cols[i];
    t->col_names[i] = strdup(cols[i].name);
    if (!t->col_names[i]) goto fail;
    t->cols[i].name = t->col_names[i];
  }
  return t;
fail:
  rpt_table_destroy(t);
  return NULL;
}

void rpt_table_destroy(rpt_table *t) {
  if (!t) return;
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) free(t->cells[r][c]);
    free(t->cells[r]);
  }
  free(t->cells);
  if (t->col_names)
    for (size_t c = 0; c < t->ncols; c++) free(t->col_names[c]);
  free(t->col_names);
  free(t->cols);
  for (size_t i = 0; i < t->nnotes; i++) free(t->notes[i]);
  free(t->notes);
  for (size_t i = 0; i < t->nmeta; i++) {
    free(t->meta[i].key);
    free(t->meta[i].value);
  }
  free(t->meta);
  free(t->title);
  free(t);
}

size_t rpt_table_add_row(rpt_table *t) {
  if (t->nrows == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 16;
    char ***nc = realloc(t->cells, ncap * sizeof *nc);
    if (!nc) return (size_t)-1;
    t->cells = nc;
    t->cap = ncap;
  }
  t->cells[t->nrows] = calloc(t->ncols ? t->ncols : 1, sizeof(char *));
  if (!t->cells[t->nrows]) return (size_t)-1;
  return t->nrows++;
}

size_t rpt_table_rows(const rpt_table *t) { return t->nrows; }

static void set_cell(rpt_table *t, size_t col, const char *s) {
  if (t->nrows == 0 || col >= t->ncols) return;
  char **slot = &t->cells[t->nrows - 1][col];
  free(*slot);
  *slot = strdup(s);
}

void rpt_table_set_str(rpt_table *t, size_t col, const char *s) { set_cell(t, col, s); }

void rpt_table_set_u64(rpt_table *t, size_t col, uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRIu64, v);
  set_cell(t, col, buf);
}

void rpt_format_f64(char *buf, size_t size, double v, int dec) {
  if (!size) return;
  /* inf and nan are no figure: an empty cell, as a number that does not
   * apply (n/a in text, empty in CSV, null in JSON, whose grammar has no
   * inf: a bare `inf` made the whole document unreadable) */
  if (!isfinite(v)) {
    buf[0] = '\0';
    return;
  }
  /* a zero prints as 0, never -0: a sum of -0 energies, a "-0" typed in,
   * are no quantity below zero (the branches below round nothing else to
   * a zero: a figure under half the last decimal prints as %g) */
  if (v == 0) v = 0.0;
  if (dec < 0 && fabs(v) >= pow(10.0, -dec))
    snprintf(buf, size, "%.0f", v); /* a whole number of more digits, in full: not 1.3092e+10 */
  else if (dec < 0) snprintf(buf, size, "%.*g", -dec, v); /* significant digits */
  else if (v != 0 && fabs(v) < 0.5 * pow(10.0, -dec))
    snprintf(buf, size, "%.*g", dec > 6 ? dec : 6, v);
  else snprintf(buf, size, "%.*f", dec, v);
}

void rpt_table_set_f64(rpt_table *t, size_t col, double v) {
  char buf[64];
  rpt_format_f64(buf, sizeof buf, v, col < t->ncols ? t->cols[col].decimals : 3);
  set_cell(t, col, buf);
}

void rpt_table_set_f64_dec(rpt_table *t, size_t col, double v, int dec) {
  char buf[64];
  rpt_format_f64(buf, sizeof buf, v, dec);
  set_cell(t, col, buf);
}

static char **push_str(char **arr, size_t *n, const char *s) {
  char **na = realloc(arr, (*n + 1) * sizeof *na);
  if (!na) return arr;
  na[*n] = strdup(s);
  if (na[*n]) (*n)++;
  return na;
}

void rpt_table_add_note(rpt_table *t, const char *note) {
  for (size_t i = 0; i < t->nnotes; i++)
    if (strcmp(t->notes[i], note) == 0) return; /* each note once */
  t->notes = push_str(t->notes, &t->nnotes, note);
}

void rpt_table_add_meta(rpt_table *t, const char *key, const char *value) {
  meta_kv *nm = realloc(t->meta, (t->nmeta + 1) * sizeof *nm);
  if (!nm) return;
  t->meta = nm;
  nm[t->nmeta].key = strdup(key);
  nm[t->nmeta].value = strdup(value);
  if (nm[t->nmeta].key && nm[t->nmeta].value) {
    t->nmeta++;
  } else {
    free(nm[t->nmeta].key);
    free(nm[t->nmeta].value);
  }
}

/* Whether s reads as a number that is not finite ("inf", "-nan",
 * "Infinity"): text a number column may have been given as a string. */
static bool nonfinite_text(const char *s) {
  char *end;
  double v = strtod(s, &end);
  return end != s && !*end && !isfinite(v);
}

/* A cell's text; "" where never set, and in a number column where it is
 * no finite number (rpt_format_f64 gives those "" too): every rendering
 * then shows the cell as not applying, never as inf or nan. */
static const char *cell(const rpt_table *t, size_t r, size_t c) {
  const char *s = t->cells[r][c];
  if (!s || (t->cols[c].type != RPT_STR && nonfinite_text(s))) return "";
  return s;
}

/* Whether s is a number as JSON writes one (RFC 8259 section 6:
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), so that a number cell
 * goes into the document as it is only when any JSON reader takes it. */
static bool json_number(const char *s) {
  if (*s == '-') s++;
  if (*s == '0') s++;
  else if (*s >= '1' && *s <= '9') while (isdigit((unsigned char)*s)) s++;
  else return false;
  if (*s == '.') {
    if (!isdigit((unsigned char)*++s)) return false;
    while (isdigit((unsigned char)*s)) s++;
  }
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '+' || *s == '-') s++;
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) s++;
  }
  return !*s;
}

/* A cell as people read it: a number that does not apply (never set) is
 * "n/a", never a blank or a 0 (CSV keeps it empty, JSON null). */
static const char *shown(const rpt_table *t, size_t r, size_t c) {
  const char *s = cell(t, r, c);
  return !s[0] && t->cols[c].type != RPT_STR ? "n/a" : s;
}

/* Human rendering of a number: thousands separators on the integer part
 * (the digits before a '.' or an exponent's 'e': 2e-30 stays as it is). */
static void group_digits(const char *s, char *out, size_t size) {
  size_t n = strlen(s);
  size_t intlen = strcspn(s, ".eE");
  size_t start = (s[0] == '-') ? 1 : 0;
  size_t o = 0;
  for (size_t i = 0; i < n && o + 2 < size; i++) {
    if (i >= start && i < intlen && i > start && (intlen - i) % 3 == 0) out[o++] = ',';
    out[o++] = s[i];
  }
  out[o] = '\0';
}

/* RFC 4180, and what our own reader (em_csv) needs to read the field back
 * as it was: it skips lines whose first non-blank character is '#' and
 * trims blanks around unquoted fields, so a field starting with '#' or
 * starting or ending with a blank is quoted too. */
static int csv_needs_quotes(const char *s) {
  size_t n = strlen(s);
  return strpbrk(s, ",\"\n\r") || s[0] == '#' ||
         (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'));
}

void rpt_csv_field(FILE *out, const char *s) {
  if (csv_needs_quotes(s)) {
    fputc('"', out);
    for (; *s; s++) {
      if (*s == '"') fputc('"', out);
      fputc(*s, out);
    }
    fputc('"', out);
  } else {
    fputs(s, out);
  }
}

static void write_csv(const rpt_table *t, FILE *out) {
  for (size_t c = 0; c < t->ncols; c++) {
    if (c) fputc(',', out);
    rpt_csv_field(out, t->cols[c].name);
  }
  fputc('\n', out);
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) {
      if (c) fputc(',', out);
      rpt_csv_field(out, cell(t, r, c));
    }
    fputc('\n', out);
  }
}

/* Whether the character at p is Markdown that text from the input must not
 * use: '|' ends a table cell, '[' opens a link, and '<' before a letter,
 * '/', '!' or '?' opens raw HTML or an autolink (a layer named <img src=x
 * onerror=...> ran as markup in a Markdown viewer); "p <= 0.05" stays as
 * it is. */
static bool md_special(const char *p) {
  return *p == '|' || *p == '[' ||
         (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'));
}

/* Text from the input (a layer's or a network's name) as a terminal or a
 * Markdown reader shows it: control bytes and bytes that are not UTF-8
 * escaped (em_escape: a name cannot move the cursor or colour the
 * terminal), and in Markdown a backslash before each md_special character
 * (CommonMark's escape: it reads as the character itself).  Returns s
 * itself when nothing needs it (the common case), else a copy in *tmp
 * (reallocated; the caller frees it), or s when out of memory. */
static const char *readable(const char *s, char **tmp, int markdown) {
  bool plain = true;
  for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
    plain = *p >= 0x20 && *p != 0x7F && *p < 0x80 && !(markdown && md_special((const char *)p));
  if (plain) return s;
  /* escaped: at most 4 n + 1 bytes (a byte is at most \xNN); in Markdown
   * each of them may gain a backslash, and the escaped text is made first
   * in the upper half of the same buffer */
  size_t n = strlen(s), half = 4 * n + 1, cap = markdown ? 3 * half : half;
  char *out = realloc(*tmp, cap);
  if (!out) return s;
  *tmp = out;
  if (!markdown) {
    em_escape(out, cap, s);
    return out;
  }
  char *esc = out + 2 * half;
  em_escape(esc, half, s);
  size_t o = 0;
  for (const char *p = esc; *p; p++) {
    if (md_special(p)) out[o++] = '\\';
    out[o++] = *p;
  }
  out[o] = '\0'; /* o <= 2 (half - 1): below esc's first byte's use */
  return out;
}

void rpt_md_text(FILE *out, const char *s) {
  char *tmp = NULL;
  fputs(readable(s, &tmp, 1), out);
  free(tmp);
}

/* One cell as write_text shows it: a string cell readable(), a number with
 * its digits grouped (not in Markdown) into num. */
static const char *text_cell(const rpt_table *t, size_t r, size_t c, char **tmp, char *num,
                             size_t size, int markdown) {
  const char *s = shown(t, r, c);
  if (t->cols[c].type == RPT_STR) return readable(s, tmp, markdown);
  if (markdown) return s;
  group_digits(s, num, size);
  return num;
}

static void write_text(const rpt_table *t, FILE *out, int markdown) {
  size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
  char buf[128], *tmp = NULL, *tmp2 = NULL;
  if (!w) return;
  for (size_t c = 0; c < t->ncols; c++) w[c] = strlen(t->cols[c].name);
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++) {
      size_t len = strlen(text_cell(t, r, c, &tmp, buf, sizeof buf, markdown));
      if (len > w[c]) w[c] = len;
    }
  /* a table's title is a level-3 heading: it sits under a report's level-2
   * section heading, never beside it */
  if (t->title[0])
    fprintf(out, markdown ? "### %s\n\n" : "%s\n", readable(t->title, &tmp, markdown));
  for (size_t i = 0; i < t->nmeta; i++)
    fprintf(out, markdown ? "- %s: %s\n" : "  %s: %s\n", readable(t->meta[i].key, &tmp, markdown),
            readable(t->meta[i].value, &tmp2, markdown));
  if (t->nmeta || t->title[0]) fputc('\n', out);
  const char *sep = markdown ? " | " : "  ";
  if (markdown) fputs("| ", out);
  for (size_t c = 0; c < t->ncols; c++) {
    int right = t->cols[c].type != RPT_STR;
    fprintf(out, right ? "%*s" : "%-*s", (int)w[c], t->cols[c].name);
    if (c + 1 < t->ncols) fputs(sep, out);
  }
  fputs(markdown ? " |\n" : "\n", out);
  if (markdown) {
    fputs("|", out);
    for (size_t c = 0; c < t->ncols; c++) {
      int right = t->cols[c].type != RPT_STR;
      fputc(' ', out);
      for (size_t i = 0; i + 1 < w[c]; i++) fputc('-', out);
      fputc(right ? ':' : '-', out);
      fputs(" |", out);
    }
    fputc('\n', out);
  } else {
    size_t total = 0;
    for (size_t c = 0; c < t->ncols; c++) total += w[c] + (c + 1 < t->ncols ? 2 : 0);
    for (size_t i = 0; i < total; i++) fputc('-', out);
    fputc('\n', out);
  }
  for (size_t r = 0; r < t->nrows; r++) {
    if (markdown) fputs("| ", out);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = text_cell(t, r, c, &tmp, buf, sizeof buf, markdown);
      int right = t->cols[c].type != RPT_STR;
      fprintf(out, right ? "%*s" : "%-*s", (int)w[c], s);
      if (c + 1 < t->ncols) fputs(sep, out);
    }
    fputs(markdown ? " |\n" : "\n", out);
  }
  if (t->nnotes) {
    fputc('\n', out);
    for (size_t i = 0; i < t->nnotes; i++)
      fprintf(out, markdown ? "- note: %s\n" : "note: %s\n",
              readable(t->notes[i], &tmp, markdown));
  }
  free(tmp);
  free(tmp2);
  free(w);
}

/* Text as a JSON string may hold it: JSON is UTF-8 (RFC 8259), so a byte
 * of the input that is not (a layer named in Latin-1) is given as the text
 * \xNN, as a terminal shows it, where it made the whole document one that
 * no JSON reader takes; control characters are cJSON's to escape (\u0001).
 * Returns s itself when it is UTF-8, else a copy in *tmp (reallocated; the
 * caller frees it), or s when out of memory. */
static const char *json_text(const char *s, char **tmp) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), bad = 0;
  for (size_t i = 0; i < n;) {
    size_t k = u[i] < 0x80 ? 1 : em_utf8_len(u + i, n - i);
    bad += k == 0;
    i += k ? k : 1;
  }
  if (!bad) return s;
  char *out = realloc(*tmp, n + 3 * bad + 1);
  if (!out) return s;
  *tmp = out;
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t k = u[i] < 0x80 ? 1 : em_utf8_len(u + i, n - i);
    if (k) {
      memcpy(out + o, s + i, k);
      o += k;
      i += k;
    } else {
      out[o++] = '\\', out[o++] = 'x', out[o++] = hex[u[i] >> 4], out[o++] = hex[u[i] & 15];
      i++;
    }
  }
  out[o] = '\0';
  return out;
}

static int write_json(const rpt_table *t, FILE *out) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return -1;
  /* the document's layout, versioned: title, inputs, rows (one object a
   * row, keys the column names with their units), notes */
  char *tmp = NULL, *tmp2 = NULL;
  cJSON_AddStringToObject(root, "schema", RPT_JSON_SCHEMA);
  cJSON_AddStringToObject(root, "title", json_text(t->title, &tmp));
  cJSON *meta = cJSON_AddObjectToObject(root, "inputs");
  for (size_t i = 0; meta && i < t->nmeta; i++)
    cJSON_AddStringToObject(meta, json_text(t->meta[i].key, &tmp),
                            json_text(t->meta[i].value, &tmp2));
  cJSON *rows = cJSON_AddArrayToObject(root, "rows");
  for (size_t r = 0; rows && r < t->nrows; r++) {
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = cell(t, r, c);
      /* a number that does not apply, or text no JSON reader takes as a
       * number (inf, nan: cell() and rpt_format_f64 already empty those) */
      if (t->cols[c].type != RPT_STR && (!s[0] || !json_number(s)))
        cJSON_AddItemToObject(o, t->cols[c].name, cJSON_CreateNull());
      else if (t->cols[c].type == RPT_STR)
        cJSON_AddItemToObject(o, t->cols[c].name, cJSON_CreateString(json_text(s, &tmp)));
      else
        cJSON_AddItemToObject(o, t->cols[c].name, cJSON_CreateRaw(s));
    }
    cJSON_AddItemToArray(rows, o);
  }
  cJSON *notes = cJSON_AddArrayToObject(root, "notes");
  for (size_t i = 0; notes && i < t->nnotes; i++)
    cJSON_AddItemToArray(notes, cJSON_CreateString(json_text(t->notes[i], &tmp)));
  free(tmp);
  free(tmp2);
  char *text = cJSON_Print(root);
  cJSON_Delete(root);
  if (!text) return -1;
  fputs(text, out);
  fputc('\n', out);
  cJSON_free(text);
  return 0;
}

void rpt_html_text(FILE *out, const char *s) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t k = u[i] >= 0x80 ? em_utf8_len(u + i, n - i) : 0;
    if (k) { /* a UTF-8 character */
      fwrite(s + i, 1, k, out);
      i += k;
      continue;
    }
    switch (u[i]) {
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '&': fputs("&amp;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\n':
    case '\t': fputc(u[i], out); break;
    default:
      if (u[i] >= 0x20 && u[i] < 0x7F) fputc(u[i], out);
      else fprintf(out, "\\x%c%c", hex[u[i] >> 4], hex[u[i] & 15]); /* as a terminal shows it */
    }
    i++;
  }
}

static void write_html(const rpt_table *t, FILE *out) {
  char buf[128];
  if (t->title[0]) {
    fputs("<h3>", out);
    rpt_html_text(out, t->title);
    fputs("</h3>\n", out);
  }
  if (t->nmeta) {
    fputs("<ul class=\"meta\">\n", out);
    for (size_t i = 0; i < t->nmeta; i++) {
      fputs("<li>", out);
      rpt_html_text(out, t->meta[i].key);
      fputs(": ", out);
      rpt_html_text(out, t->meta[i].value);
      fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
  }
  fputs("<table>\n<thead><tr>", out);
  for (size_t c = 0; c < t->ncols; c++) {
    fputs(t->cols[c].type != RPT_STR ? "<th class=\"n\">" : "<th>", out);
    rpt_html_text(out, t->cols[c].name);
    fputs("</th>", out);
  }
  fputs("</tr></thead>\n<tbody>\n", out);
  for (size_t r = 0; r < t->nrows; r++) {
    fputs("<tr>", out);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = shown(t, r, c);
      if (t->cols[c].type != RPT_STR) {
        group_digits(s, buf, sizeof buf);
        s = buf;
      }
      fputs(t->cols[c].type != RPT_STR ? "<td class=\"n\">" : "<td>", out);
      rpt_html_text(out, s);
      fputs("</td>", out);
    }
    fputs("</tr>\n", out);
  }
  fputs("</tbody></table>\n", out);
  for (size_t i = 0; i < t->nnotes; i++) {
    fputs("<p class=\"note\">", out);
    rpt_html_text(out, t->notes[i]);
    fputs("</p>\n", out);
  }
}

em_status rpt_table_write(const rpt_table *t, rpt_format fmt, FILE *out) {
  int rc = 0;
  switch (fmt) {
  case RPT_FMT_CSV: write_csv(t, out); break;
  case RPT_FMT_MD: write_text(t, out, 1); break;
  case RPT_FMT_JSON: rc = write_json(t, out); break;
  case RPT_FMT_HTML: write_html(t, out); break;
  case RPT_FMT_TABLE:
  default: write_text(t, out, 0); break;
  }
  if (rc != 0) return EM_ERR_NOMEM;
  return ferror(out) ? EM_ERR_IO : EM_OK;
}

int rpt_format_parse(const char *s) {
  if (strcmp(s, "table") == 0) return RPT_FMT_TABLE;
  if (strcmp(s, "csv") == 0) return RPT_FMT_CSV;
  if (strcmp(s, "json") == 0) return RPT_FMT_JSON;
  if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0) return RPT_FMT_MD;
  return -1;
}
