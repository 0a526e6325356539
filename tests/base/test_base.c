/*
 * test_base.c - the bottom library: CSV positions and limits, strict number
 * parsing, loose name matching, checked arithmetic, atomic output files,
 * diagnostic formatting.  Expected values are worked out by hand below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "em_checked.h"
#include "em_csv.h"
#include "em_diag.h"
#include "em_outfile.h"
#include "em_parse.h"

static void csv_fields_and_columns(void **state) {
  (void)state;
  /* Line 1 is a comment, line 2 blank, line 3 the row:
   *   a, bb ,"c,d",  ,e,   -> a@1, bb@4, "c,d"@8 (the quote), (empty)@16 (where
   *   the blanks end, at the comma), e@17, (empty)@19 (end of line) */
  const char *text = "# comment\n\na, bb ,\"c,d\",  ,e,\r\n";
  em_csv_reader *r;
  em_diag d;
  assert_int_equal(em_csv_open_mem("t.csv", text, strlen(text), &r, &d), EM_OK);
  const em_csv_field *f;
  size_t n;
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 6);
  assert_int_equal(em_csv_line(r), 3);
  assert_string_equal(f[0].text, "a");
  assert_int_equal(f[0].col, 1);
  assert_string_equal(f[1].text, "bb");
  assert_int_equal(f[1].col, 4);
  assert_string_equal(f[2].text, "c,d");
  assert_int_equal(f[2].col, 8);
  assert_string_equal(f[3].text, "");
  assert_int_equal(f[3].col, 16);
  assert_string_equal(f[4].text, "e");
  assert_int_equal(f[4].col, 17);
  assert_string_equal(f[5].text, "");
  assert_int_equal(f[5].col, 19);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 0); /* end of input */
  em_csv_close(r);
  /* a UTF-8 byte order mark before line 1 is not text of its first field,
   * which starts at column 1; the same bytes later in the file are */
  const char *bom = "\xEF\xBB\xBFLayer name, x\n\xEF\xBB\xBFy, z\n";
  assert_int_equal(em_csv_open_mem("b.csv", bom, strlen(bom), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 2);
  assert_string_equal(f[0].text, "Layer name");
  assert_int_equal(f[0].col, 1);
  assert_int_equal(f[1].col, 13);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_string_equal(f[0].text, "\xEF\xBB\xBFy");
  em_csv_close(r);
}

static void csv_quote_escape_and_errors(void **state) {
  (void)state;
  em_csv_reader *r;
  em_diag d;
  const em_csv_field *f;
  size_t n;
  const char *t1 = "\"say \"\"hi\"\"\",x\n";
  assert_int_equal(em_csv_open_mem("q.csv", t1, strlen(t1), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_string_equal(f[0].text, "say \"hi\"");
  em_csv_close(r);

  const char *t2 = "ok\n  \"open,\n";
  assert_int_equal(em_csv_open_mem("q.csv", t2, strlen(t2), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_PARSE);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 3);
  assert_non_null(strstr(d.msg, "unterminated"));
  em_csv_close(r);

  const char t3[] = "a,b\0c\n";
  assert_int_equal(em_csv_open_mem("nul.csv", t3, sizeof t3 - 1, &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_PARSE);
  assert_int_equal(d.col, 4); /* the NUL is the 4th byte */
  em_csv_close(r);
}

static void csv_positions_past_a_line_break(void **state) {
  (void)state;
  em_csv_reader *r;
  em_diag d;
  const em_csv_field *f;
  size_t n;
  /* Line 1 the header; lines 2-3 one record whose first field holds a line
   * break:  line 2 '"a'  line 3 'b",x,2,3'.  By hand: the quote opens at
   * 2:1; on line 3, 'b' 1, '"' 2, ',' 3, so x is 3:4, 2 is 3:6, 3 is 3:8.
   * The record itself is at its first line, 2. */
  const char *t = "Layer name,M,N,K\n\"a\nb\",x,2,3\n";
  assert_int_equal(em_csv_open_mem("ml.csv", t, strlen(t), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(f[3].line, 1);
  assert_int_equal(f[3].col, 16);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 4);
  assert_int_equal(em_csv_line(r), 2);
  assert_string_equal(f[0].text, "a\nb");
  assert_int_equal(f[0].line, 2);
  assert_int_equal(f[0].col, 1);
  assert_string_equal(f[1].text, "x");
  assert_int_equal(f[1].line, 3);
  assert_int_equal(f[1].col, 4);
  assert_int_equal(f[2].line, 3);
  assert_int_equal(f[2].col, 6);
  assert_int_equal(f[3].line, 3);
  assert_int_equal(f[3].col, 8);
  em_csv_close(r);

  /* a second quote left open after a record's line break is found where it
   * opens: line 1 '"a'  line 2 'b", "c' -> the second quote at 2:5 */
  const char *u = "\"a\nb\", \"c\n";
  assert_int_equal(em_csv_open_mem("uq.csv", u, strlen(u), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_PARSE);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 5);
  assert_non_null(strstr(d.msg, "unterminated"));
  em_csv_close(r);

  /* text after a closing quote on a later line: '"a' / 'b"z' -> z at 2:3 */
  const char *v = "\"a\nb\"z\n";
  assert_int_equal(em_csv_open_mem("tq.csv", v, strlen(v), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_PARSE);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 3);
  assert_non_null(strstr(d.msg, "after a quoted field"));
  em_csv_close(r);
}

static void csv_columns_count_characters(void **state) {
  (void)state;
  em_csv_reader *r;
  em_diag d;
  const em_csv_field *f;
  size_t n;
  /* 'Schicht ü1,x': the u-umlaut is 2 bytes (C3 BC) but one character, as
   * an editor counts it: S c h i c h t ' ' ü 1 are columns 1-10, ',' 11,
   * x 12.  '€' (E2 82 AC, 3 bytes) and a 4-byte emoji (F0 9F 98 80) are one
   * column each too: '€€,😀,y' -> ',' 3, emoji 4, ',' 5, y 6. */
  const char *t = "Schicht \xC3\xBC" "1,x\n\xE2\x82\xAC\xE2\x82\xAC,\xF0\x9F\x98\x80,y\n";
  assert_int_equal(em_csv_open_mem("u.csv", t, strlen(t), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(f[1].col, 12);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 3);
  assert_int_equal(f[1].col, 4);
  assert_int_equal(f[2].col, 6);
  em_csv_close(r);
  /* bytes that are not UTF-8 count one column each: a Latin-1 'ü' (FC), a
   * stray continuation byte (80), a lead byte cut short (E2 then ','), an
   * overlong form (C0 80, two bytes) -> FC 1, 80 2, E2 3, ',' 4, C0 5, 80 6,
   * ',' 7, z 8 */
  const char *b = "\xFC\x80\xE2,\xC0\x80,z\n";
  assert_int_equal(em_csv_open_mem("l1.csv", b, strlen(b), &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(n, 3);
  assert_int_equal(f[1].col, 5);
  assert_int_equal(f[2].col, 8);
  em_csv_close(r);
  /* a NUL byte's column counts characters too: 'é,\0' -> é 1, ',' 2, NUL 3 */
  const char nul[] = "\xC3\xA9,\0\n";
  assert_int_equal(em_csv_open_mem("nul.csv", nul, sizeof nul - 1, &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_PARSE);
  assert_int_equal(d.col, 3);
  em_csv_close(r);
}

static void csv_long_line_refused(void **state) {
  (void)state;
  size_t len = EM_CSV_LINE_MAX + 10;
  char *big = malloc(len + 8);
  assert_non_null(big);
  memcpy(big, "h\n", 2);
  memset(big + 2, 'x', len);
  big[len + 2] = '\n';
  em_csv_reader *r;
  em_diag d;
  const em_csv_field *f;
  size_t n;
  assert_int_equal(em_csv_open_mem("big.csv", big, len + 3, &r, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_OK);
  assert_int_equal(em_csv_next(r, &f, &n, &d), EM_ERR_LIMIT);
  assert_int_equal(d.line, 2);
  em_csv_close(r);
  free(big);
}

static void parse_numbers(void **state) {
  (void)state;
  uint64_t u;
  int64_t i;
  double x;
  assert_int_equal(em_parse_u64("18446744073709551615", &u), EM_OK);
  assert_true(u == UINT64_MAX);
  assert_int_equal(em_parse_u64("18446744073709551616", &u), EM_ERR_RANGE);
  assert_int_equal(em_parse_u64("-1", &u), EM_ERR_PARSE);
  assert_int_equal(em_parse_u64("", &u), EM_ERR_PARSE);
  assert_int_equal(em_parse_u64("12a", &u), EM_ERR_PARSE);
  /* no leading '+' anywhere (it passed here and was refused in "8x8") */
  assert_int_equal(em_parse_u64("+7", &u), EM_ERR_PARSE);
  assert_int_equal(em_parse_i64("-9223372036854775808", &i), EM_OK);
  assert_true(i == INT64_MIN);
  assert_int_equal(em_parse_i64("9223372036854775808", &i), EM_ERR_RANGE);
  /* '-' or no sign: "++5", "-+5" and "+5" are not numbers */
  assert_int_equal(em_parse_i64("++5", &i), EM_ERR_PARSE);
  assert_int_equal(em_parse_i64("-+5", &i), EM_ERR_PARSE);
  assert_int_equal(em_parse_i64("--5", &i), EM_ERR_PARSE);
  assert_int_equal(em_parse_i64("+5", &i), EM_ERR_PARSE);
  assert_int_equal(em_parse_i64("-5", &i), EM_OK);
  assert_true(i == -5);
  assert_int_equal(em_parse_f64("2.5e-3", &x), EM_OK);
  assert_true(x == 2.5e-3);
  assert_int_equal(em_parse_f64("+2.5", &x), EM_ERR_PARSE);
  assert_int_equal(em_parse_f64("2.5e+3", &x), EM_OK);
  assert_true(x == 2.5e3);
  assert_int_equal(em_parse_f64("nan", &x), EM_ERR_PARSE);
  assert_int_equal(em_parse_f64("1e999", &x), EM_ERR_RANGE);
  assert_int_equal(em_parse_f64("-1e999", &x), EM_ERR_RANGE);
  /* below the smallest normal double: a number, rounded toward 0 (strtod's
   * ERANGE on underflow once made "1e-320" "not a number") */
  assert_int_equal(em_parse_f64("1e-320", &x), EM_OK);
  assert_true(x > 0 && x < 1e-300);
  assert_int_equal(em_parse_f64("-4e-320", &x), EM_OK);
  assert_true(x < 0 && x > -1e-300);
  /* but not so far below that it rounds to 0: the smallest subnormal is
   * 2^-1074 = 4.94e-324, and a number under half of it (2.47e-324) rounds
   * to 0, which the text does not say: refused as 1e400 is, with *out +-0
   * (+-HUGE_VAL past the top) so a caller can say which */
  x = 7;
  assert_int_equal(em_parse_f64("1e-400", &x), EM_ERR_RANGE);
  assert_true(x == 0);
  assert_int_equal(em_parse_f64("-1e-400", &x), EM_ERR_RANGE);
  assert_true(x == 0 && signbit(x));
  assert_int_equal(em_parse_f64("2e-324", &x), EM_ERR_RANGE);
  assert_int_equal(em_parse_f64("3e-324", &x), EM_OK); /* 4.94e-324, the nearest */
  assert_true(x > 0);
  assert_int_equal(em_parse_f64("1e400", &x), EM_ERR_RANGE);
  assert_true(isinf(x) && x > 0);
  /* a written 0 is 0, however small its exponent */
  assert_int_equal(em_parse_f64("0e-400", &x), EM_OK);
  assert_true(x == 0);
  assert_int_equal(em_parse_f64("0.000e-999", &x), EM_OK);
  assert_int_equal(em_parse_f64("-0", &x), EM_OK);
  assert_int_equal(em_parse_f64("0x10", &x), EM_ERR_PARSE);
}

static void names_match_loosely(void **state) {
  (void)state;
  assert_true(em_name_eq("IFMAP Height", "ifmap_height"));
  assert_true(em_name_eq("IfmapHeight", " IFMAP  Height "));
  assert_true(em_name_eq("Num Filter", "num-filter"));
  assert_false(em_name_eq("Num Filter", "Num Filters"));
  assert_false(em_name_eq("", "a"));
}

static void checked_arithmetic(void **state) {
  (void)state;
  uint64_t r;
  /* 2^32 * 2^32 = 2^64 does not fit; 2^32 * (2^32 - 1) does. */
  assert_false(em_mul_u64(1ull << 32, 1ull << 32, &r));
  assert_true(em_mul_u64(1ull << 32, (1ull << 32) - 1, &r));
  assert_true(r == 0xFFFFFFFF00000000ull);
  assert_false(em_add_u64(UINT64_MAX, 1, &r));
  /* GPT-3 FFN GEMM: 2048 tokens x 49152 x 12288 = 1,236,950,581,248 MACs. */
  uint64_t f[3] = {2048, 49152, 12288};
  assert_true(em_mul_n_u64(f, 3, &r));
  assert_true(r == 1236950581248ull);
  assert_int_equal(em_ceil_div_u64(UINT64_MAX, 2), (UINT64_MAX / 2) + 1);
  assert_int_equal(em_ceil_div_u64(10, 5), 2);
}

static void diag_formats(void **state) {
  (void)state;
  em_diag d;
  char buf[256];
  em_diag_set(&d, EM_ERR_RANGE, "topo.csv", 3, 17, "'Strides' must be in [1, 65535], got %d", 0);
  em_diag_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "topo.csv:3:17: error: 'Strides' must be in [1, 65535], got 0");
  em_diag_set(&d, EM_ERR_RANGE, "a.cfg", 4, 0, "x");
  em_diag_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "a.cfg:4:1: error: x"); /* a line's error: its first column */
  em_diag_set(&d, EM_ERR_IO, NULL, 0, 0, "y");
  em_diag_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "error: y");
  /* Input quoted in a message prints as one line of plain text: control
   * bytes (a line break, ESC starting a colour sequence, DEL), a C1 control
   * in UTF-8 (U+009B, a terminal's CSI) and bytes that are not UTF-8 are
   * escaped; UTF-8 text (U+00C4, U+20AC) is kept; the path too. */
  em_diag_set(&d, EM_ERR_PARSE, "a\nb.csv", 1, 5, "unknown column '%s'",
              "x\ny\033[31m\t\r\177\xc2\x9b\xff\xc3\x84\xe2\x82\xac\xe2\x82");
  em_diag_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "a\\nb.csv:1:5: error: unknown column "
                           "'x\\ny\\x1b[31m\\t\\r\\x7f\\xc2\\x9b\\xff\xc3\x84\xe2\x82\xac\\xe2\\x82'");
  /* bidirectional controls reorder what a terminal shows after them
   * (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+061C
   * ARABIC LETTER MARK): escaped; U+2030 beside them is text */
  em_diag_set(&d, EM_ERR_PARSE, "t.csv", 1, 1, "'%s'",
              "a\xe2\x80\xae"
              "b\xe2\x81\xa6\xd8\x9c\xe2\x80\xb0");
  em_diag_format(&d, buf, sizeof buf);
  assert_string_equal(buf, "t.csv:1:1: error: "
                           "'a\\xe2\\x80\\xaeb\\xe2\\x81\\xa6\\xd8\\x9c\xe2\x80\xb0'");
  assert_string_equal(em_status_name(EM_ERR_OVERFLOW), "EM_ERR_OVERFLOW");
}

/* A path is named in full up to Linux's PATH_MAX (4096 bytes with its
 * NUL), which any path the system opens fits: a 4095-byte one is kept
 * whole (at 512 bytes, a deep folder's error named a cut path).  A longer
 * one, which no open accepts, keeps 4092 bytes and ends in "...". */
static void diag_long_paths(void **state) {
  (void)state;
  enum { N = 5000 };
  char *path = malloc(N + 1), *buf = malloc(4 * N);
  em_diag *d = malloc(sizeof *d);
  assert_non_null(path), assert_non_null(buf), assert_non_null(d);
  for (int i = 0; i < N; i++) path[i] = i % 251 == 250 ? '/' : 'a' + i % 26;
  path[4095] = '\0';
  em_diag_set(d, EM_ERR_IO, path, 0, 0, "x");
  em_diag_format(d, buf, 4 * N);
  assert_int_equal(strlen(buf), 4095 + strlen(": error: x"));
  assert_memory_equal(buf, path, 4095);
  assert_string_equal(buf + 4095, ": error: x");
  path[4095] = 'z';
  path[N] = '\0';
  em_diag_set(d, EM_ERR_IO, path, 0, 0, "x");
  em_diag_format(d, buf, 4 * N);
  assert_memory_equal(buf, path, 4092);
  assert_string_equal(buf + 4092, "...: error: x");
  /* escaped, a path of control bytes may take four times its length: all of
   * it is printed (3000 bytes, each "\x01") */
  memset(path, 1, 3000);
  path[3000] = '\0';
  em_diag_set(d, EM_ERR_IO, path, 0, 0, "x");
  em_diag_format(d, buf, 4 * N);
  assert_int_equal(strlen(buf), 4 * 3000 + strlen(": error: x"));
  assert_memory_equal(buf + 4 * 2999, "\\x01: error: x", 14);
  free(path), free(buf), free(d);
}

static void outfile_is_atomic(void **state) {
  (void)state;
  char dir[] = "/tmp/emlsim-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/out.csv", dir);
  em_outfile *f;
  em_diag d;
  /* Aborted: nothing is left. */
  assert_int_equal(em_outfile_open(path, &f, &d), EM_OK);
  fputs("half", em_outfile_fp(f));
  em_outfile_abort(f);
  struct stat sb;
  assert_int_not_equal(stat(path, &sb), 0);
  /* Committed: the file is there, whole. */
  assert_int_equal(em_outfile_open(path, &f, &d), EM_OK);
  fputs("whole\n", em_outfile_fp(f));
  assert_int_equal(em_outfile_commit(f, &d), EM_OK);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_size, 6);
  unlink(path);
  /* A directory that does not exist: an error, not a crash. */
  snprintf(path, sizeof path, "%s/no/such/dir/out.csv", dir);
  assert_int_equal(em_outfile_open(path, &f, &d), EM_ERR_IO);
  char sub[300];
  snprintf(sub, sizeof sub, "%s/a/b", dir);
  assert_int_equal(em_mkdir_p(sub, &d), EM_OK);
  assert_int_equal(stat(sub, &sb), 0);
  rmdir(sub);
  snprintf(sub, sizeof sub, "%s/a", dir);
  rmdir(sub);
  rmdir(dir);
}

/* Reads file p whole into buf (at most n - 1 bytes); its length, or -1. */
static long slurp(const char *p, char *buf, size_t n) {
  FILE *fp = fopen(p, "rb");
  if (!fp) return -1;
  size_t k = fread(buf, 1, n - 1, fp);
  fclose(fp);
  buf[k] = '\0';
  return (long)k;
}

static void put(const char *p, const char *text) {
  FILE *fp = fopen(p, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

/* The names in folder p other than . and .., sorted, joined by spaces. */
static void listing(const char *p, char *buf, size_t n) {
  struct dirent **e;
  int k = scandir(p, &e, NULL, alphasort);
  assert_true(k >= 0);
  buf[0] = '\0';
  for (int i = 0; i < k; i++) {
    if (strcmp(e[i]->d_name, ".") && strcmp(e[i]->d_name, "..")) {
      if (buf[0]) strncat(buf, " ", n - strlen(buf) - 1);
      strncat(buf, e[i]->d_name, n - strlen(buf) - 1);
    }
    free(e[i]);
  }
  free(e);
}

/* The three outputs of the commit below, staged with new contents: the
 * folder rep with x.csv, the files a and b. */
static void stage3(const char *rep, const char *a, const char *b, em_outfile **f) {
  em_diag d;
  char staged[400];
  assert_int_equal(em_outdir_open(rep, NULL, "test", &f[0], &d), EM_OK);
  snprintf(staged, sizeof staged, "%s/x.csv", em_outfile_tmp(f[0]));
  put(staged, "new x\n");
  assert_int_equal(em_outfile_open(a, &f[1], &d), EM_OK);
  fputs("new a\n", em_outfile_fp(f[1]));
  assert_int_equal(em_outfile_open(b, &f[2], &d), EM_OK);
  fputs("new b\n", em_outfile_fp(f[2]));
}

/* Files x, a and b each hold "AGE x\n", "AGE a\n", "AGE b\n". */
static void read3(const char *x, const char *a, const char *b, const char *age) {
  const char *p[3] = {x, a, b}, *n[3] = {"x", "a", "b"};
  char buf[64], want[64];
  for (int i = 0; i < 3; i++) {
    snprintf(want, sizeof want, "%s %s\n", age, n[i]);
    assert_int_equal(slurp(p[i], buf, sizeof buf), (long)strlen(want));
    assert_string_equal(buf, want);
  }
}

/* A commit whose last rename fails puts back every rename done before it:
 * a folder output merged into an existing folder (its file replaced, its
 * list of files new) and a file output replaced, then a second file whose
 * temporary file has vanished (rename(2) fails with ENOENT after every
 * earlier target was kept and renamed).  Every target reads as before the
 * run, and no backup, temporary file or list is left. */
static void outfile_commit_rolls_back(void **state) {
  (void)state;
  char dir[] = "/tmp/emlsim-test-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char rep[64], a[64], b[64], x[80], buf[512];
  snprintf(rep, sizeof rep, "%s/rep", dir);
  snprintf(a, sizeof a, "%s/a.csv", dir);
  snprintf(b, sizeof b, "%s/b.csv", dir);
  snprintf(x, sizeof x, "%s/x.csv", rep);
  assert_int_equal(mkdir(rep, 0700), 0);
  put(x, "old x\n");
  put(a, "old a\n");
  put(b, "old b\n");
  em_outfile *f[3];
  em_diag d;
  stage3(rep, a, b, f);
  assert_int_equal(unlink(em_outfile_tmp(f[2])), 0);
  assert_int_equal(em_outfile_commit_all(f, 3, &d), EM_ERR_IO);
  assert_non_null(strstr(d.msg, "cannot rename into place"));
  read3(x, a, b, "old");
  listing(dir, buf, sizeof buf);
  assert_string_equal(buf, "a.csv b.csv rep");
  listing(rep, buf, sizeof buf);
  assert_string_equal(buf, "x.csv");
  /* the same commit with every temporary file there: all three replaced */
  stage3(rep, a, b, f);
  assert_int_equal(em_outfile_commit_all(f, 3, &d), EM_OK);
  read3(x, a, b, "new");
  listing(rep, buf, sizeof buf);
  assert_string_equal(buf, ".emlsim-test-files x.csv");
  char list[320];
  snprintf(list, sizeof list, "%s/.emlsim-test-files", rep);
  unlink(list), unlink(x), unlink(a), unlink(b);
  rmdir(rep);
  assert_int_equal(rmdir(dir), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_fields_and_columns), cmocka_unit_test(csv_quote_escape_and_errors),
      cmocka_unit_test(csv_positions_past_a_line_break),
      cmocka_unit_test(csv_columns_count_characters),
      cmocka_unit_test(csv_long_line_refused),  cmocka_unit_test(parse_numbers),
      cmocka_unit_test(names_match_loosely),    cmocka_unit_test(checked_arithmetic),
      cmocka_unit_test(diag_formats),           cmocka_unit_test(diag_long_paths),
      cmocka_unit_test(outfile_is_atomic),      cmocka_unit_test(outfile_commit_rolls_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
