/* rpt_doc.c - Markdown and self-contained HTML reports (rpt_doc.h). */
#include "rpt_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "em_outfile.h"

struct rpt_doc {
  FILE *md, *html;
  char *mdbuf, *htmlbuf;
  size_t mdlen, htmllen;
  int bad;
};

/* the page's head, its title (rpt_html_text) between the two parts */
static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
static const char html_head_end[] =
    "</title>\n<style>\n"
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n"
    "table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.85em}\n"
    "th,td{border:1px solid #ccc;padding:2px 6px}th{background:#f0f0f0}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}\n"
    "figcaption{font-size:0.9em;color:#555}p.note{font-size:0.85em;color:#555;margin:0.2em 0}\n"
    "ul.meta{font-size:0.85em}#render-check{font-size:0.8em;color:#888}\n"
    "</style>\n</head>\n<body>\n";

/* After load: every inline SVG and every image must have a size. */
static const char html_tail[] =
    "<p id=\"render-check\">render-check: pending</p>\n"
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var bad = [], n = 0;\n"
    "  document.querySelectorAll('figure svg').forEach(function (s, i) {\n"
    "    n++; var r = s.getBoundingClientRect();\n"
    "    if (!(r.width > 0 && r.height > 0) || s.querySelectorAll('*').length < 10) bad.push('svg ' + i);\n"
    "  });\n"
    "  document.querySelectorAll('img').forEach(function (m, i) {\n"
    "    n++; if (!m.complete || m.naturalWidth === 0) bad.push('img ' + i);\n"
    "  });\n"
    "  document.getElementById('render-check').textContent =\n"
    "    bad.length ? 'render-check: broken ' + bad.join(', ') : 'render-check: ok ' + n;\n"
    "});\n"
    "</script>\n</body>\n</html>\n";

rpt_doc *rpt_doc_create(const char *title) {
  rpt_doc *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->md = open_memstream(&d->mdbuf, &d->mdlen);
  d->html = open_memstream(&d->htmlbuf, &d->htmllen);
  if (!d->md || !d->html) {
    rpt_doc_destroy(d);
    return NULL;
  }
  fputs("# ", d->md);
  rpt_md_text(d->md, title);
  fputs("\n\n", d->md);
  fputs(html_head, d->html);
  rpt_html_text(d->html, title);
  fputs(html_head_end, d->html);
  fputs("<h1>", d->html);
  rpt_html_text(d->html, title);
  fputs("</h1>\n", d->html);
  return d;
}

void rpt_doc_destroy(rpt_doc *d) {
  if (!d) return;
  if (d->md) fclose(d->md);
  if (d->html) fclose(d->html);
  free(d->mdbuf);
  free(d->htmlbuf);
  free(d);
}

void rpt_doc_heading(rpt_doc *d, int level, const char *text) {
  if (level < 1) level = 1;
  if (level > 5) level = 5;
  for (int i = 0; i < level; i++) fputc('#', d->md);
  fputc(' ', d->md);
  rpt_md_text(d->md, text);
  fputs("\n\n", d->md);
  fprintf(d->html, "<h%d>", level);
  rpt_html_text(d->html, text);
  fprintf(d->html, "</h%d>\n", level);
}

void rpt_doc_para(rpt_doc *d, const char *text) {
  rpt_md_text(d->md, text);
  fputs("\n\n", d->md);
  fputs("<p>", d->html);
  rpt_html_text(d->html, text);
  fputs("</p>\n", d->html);
}

void rpt_doc_table(rpt_doc *d, const rpt_table *t) {
  if (rpt_table_write(t, RPT_FMT_MD, d->md) != EM_OK) d->bad = 1;
  fputc('\n', d->md);
  if (rpt_table_write(t, RPT_FMT_HTML, d->html) != EM_OK) d->bad = 1;
}

void rpt_doc_figure(rpt_doc *d, const char *png, const char *svg, const char *caption) {
  fputs("![", d->md);
  rpt_md_text(d->md, caption);
  fprintf(d->md, "](%s)\n\n*", png);
  rpt_md_text(d->md, caption);
  fputs("*\n\n", d->md);
  fputs("<figure>\n", d->html);
  FILE *f = fopen(svg, "r");
  if (!f) {
    d->bad = 1;
  } else {
    /* the SVG element itself, without the XML prolog and doctype */
    char *buf = NULL;
    size_t cap = 0, n = 0;
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
      if (n + k + 1 > cap) {
        size_t c = cap ? cap * 2 : 65536;
        while (c < n + k + 1) c *= 2;
        char *p = realloc(buf, c);
        if (!p) {
          d->bad = 1;
          break;
        }
        buf = p;
        cap = c;
      }
      memcpy(buf + n, chunk, k);
      n += k;
    }
    fclose(f);
    if (buf) {
      buf[n] = '\0';
      const char *s = strstr(buf, "<svg");
      if (s) fputs(s, d->html);
      else d->bad = 1;
      fputc('\n', d->html);
    }
    free(buf);
  }
  fputs("<figcaption>", d->html);
  rpt_html_text(d->html, caption);
  fputs("</figcaption>\n</figure>\n", d->html);
}

em_status rpt_doc_write(const rpt_doc *doc, const char *md_path, const char *html_path,
                        em_diag *d) {
  if (doc->bad) return em_diag_set(d, EM_ERR_IO, html_path, 0, 0, "report could not be built");
  if (fflush(doc->md) != 0 || fflush(doc->html) != 0)
    return em_diag_set(d, EM_ERR_NOMEM, html_path, 0, 0, "out of memory");
  /* both written, then both renamed: never one without the other */
  em_outfile *f[2] = {NULL, NULL};
  em_status s = em_outfile_open(md_path, &f[0], d);
  if (s == EM_OK) s = em_outfile_open(html_path, &f[1], d);
  if (s != EM_OK) {
    em_outfile_abort(f[0]);
    em_outfile_abort(f[1]);
    return s;
  }
  fwrite(doc->mdbuf, 1, doc->mdlen, em_outfile_fp(f[0]));
  fwrite(doc->htmlbuf, 1, doc->htmllen, em_outfile_fp(f[1]));
  fputs(html_tail, em_outfile_fp(f[1]));
  return em_outfile_commit_all(f, 2, d);
}
