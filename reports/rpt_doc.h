/*
 * rpt_doc.h - a report written twice: report.md (tables in Markdown, plots
 * as links to their PNG files) and a self-contained report.html (the same
 * tables, the plots' SVG inline, no outside file or network access).
 *
 * The HTML carries a small script that, once the page has loaded, checks
 * every inline SVG and image has a size and writes "render-check: ok N" (or
 * the failures) into the element #render-check; headless Chromium's
 * --dump-dom shows it (tests/study).
 */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include "em_diag.h"
#include "rpt_table.h"

typedef struct rpt_doc rpt_doc;

rpt_doc *rpt_doc_create(const char *title);
void rpt_doc_destroy(rpt_doc *doc);
void rpt_doc_heading(rpt_doc *doc, int level, const char *text);
void rpt_doc_para(rpt_doc *doc, const char *text);
/* Tables are rendered when added (the doc does not keep them). */
void rpt_doc_table(rpt_doc *doc, const rpt_table *t);
/* A figure: `png` is the Markdown link (relative to the report), `svg` the
 * file whose contents go inline into the HTML. */
void rpt_doc_figure(rpt_doc *doc, const char *png, const char *svg, const char *caption);
/* Writes both files atomically: both or, on any error, neither. */
em_status rpt_doc_write(const rpt_doc *doc, const char *md_path, const char *html_path,
                        em_diag *d);

#endif
