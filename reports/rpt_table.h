/*
 * rpt_table.h - one table, five renderings: aligned text, CSV, Markdown, JSON, and an
 * HTML fragment (for reports; not a --format choice).
 *
 * Every report in emlsim is built as an rpt_table (typed columns, rows of
 * cells, free-text notes) and written by rpt_table_write().  Integers are
 * kept exact (uint64_t, JSON written as raw integer text, not doubles); reals
 * keep the precision given per column.  CSV has a header row and no notes;
 * the text, Markdown and JSON renderings carry the notes.
 */
#ifndef RPT_TABLE_H
#define RPT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"

typedef enum { RPT_STR, RPT_U64, RPT_F64 } rpt_type;
typedef enum { RPT_FMT_TABLE, RPT_FMT_CSV, RPT_FMT_JSON, RPT_FMT_MD, RPT_FMT_HTML } rpt_format;

typedef struct {
  const char *name; /* column name, with its unit: "compute_energy_pj" */
  rpt_type type;
  int decimals; /* RPT_F64: digits after the point; -n: n significant digits (%.ng), for
                 * figures that span decades, as p-values do (a whole number of more
                 * than n digits in full) */
} rpt_column;

typedef struct rpt_table rpt_table;

/* A table with a title (used by text, Markdown, JSON) and columns (copied).
 * NULL on out of memory. */
rpt_table *rpt_table_create(const char *title, const rpt_column *cols, size_t ncols);
void rpt_table_destroy(rpt_table *t);

/* Appends an empty row; returns its index, or (size_t)-1 on out of memory. */
size_t rpt_table_add_row(rpt_table *t);
/* Set a cell of the last-added row; the column's type must match. */
void rpt_table_set_str(rpt_table *t, size_t col, const char *s);
void rpt_table_set_u64(rpt_table *t, size_t col, uint64_t v);
void rpt_table_set_f64(rpt_table *t, size_t col, double v);
/* The same at `dec` decimals (negative: -dec significant digits) for this
 * cell alone: a column whose unit changes from row to row (a conclusion in
 * us, ms or s, whichever keeps it readable) needs its own precision a row. */
void rpt_table_set_f64_dec(rpt_table *t, size_t col, double v, int dec);
/* v as a cell of a column of `dec` decimals (negative: -dec significant
 * digits), into buf: "%.*f", except that a nonzero figure under half the
 * last decimal is given in significant digits, as many as the decimals and
 * 6 at least ("3e-07", not "0.000000"; "0.000325" uJ, not "0.000": a tiny
 * design point read as nothing).  A non-finite v (inf, nan) gives "", the
 * cell of a number that does not apply: "n/a" in text and Markdown, empty
 * in CSV, null in JSON; no rendering prints inf or nan (JSON has no such
 * number), nor a number cell given such text as a string. */
void rpt_format_f64(char *buf, size_t size, double v, int dec);
/* Adds a note line (copied). */
void rpt_table_add_note(rpt_table *t, const char *note);
/* Adds a key/value pair shown above the table (inputs: workload, bits...). */
void rpt_table_add_meta(rpt_table *t, const char *key, const char *value);

size_t rpt_table_rows(const rpt_table *t);

/* The JSON rendering's "schema" field: its layout's name and version. */
#define RPT_JSON_SCHEMA "emlsim-table/1"

/* Writes the table; EM_ERR_IO on a write error. */
em_status rpt_table_write(const rpt_table *t, rpt_format fmt, FILE *out);

/* Writes one CSV field as RFC 4180 says (in double quotes, inner quotes
 * doubled, when it holds ',', '"', CR or LF), also quoting a field that
 * starts with '#' or starts or ends with a blank, so that em_csv (which
 * skips '#' comment lines and trims blanks) reads back the same text. */
void rpt_csv_field(FILE *out, const char *s);

/* Writes s as Markdown text that reads as itself: control bytes and bytes
 * that are not UTF-8 escaped (em_escape), and '|', '[' and a '<' that
 * would open a tag behind a backslash, so a name from the input can open
 * no cell, HTML or link. */
void rpt_md_text(FILE *out, const char *s);

/* Writes s as HTML text that reads as itself: '<', '>', '&' and '"' as
 * entities, and a control byte (other than a line break or a tab) or a
 * byte that is not UTF-8 (a name in Latin-1) as the text \xNN, as a
 * terminal shows it: the page is UTF-8, as it declares. */
void rpt_html_text(FILE *out, const char *s);

/* Parses "table", "csv", "json", "md"; -1 if unknown. */
int rpt_format_parse(const char *s);

#endif
