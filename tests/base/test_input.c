/*
 * test_input.c - opening inputs (em_input.h) and separated number lists
 * (em_parse_u64_seq): what is refused and why, a pipe's byte limit, and
 * numbers that would wrap in 32 bits.  Expected values are worked out by
 * hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "em_input.h"
#include "em_parse.h"

static void seq_numbers(void **state) {
  (void)state;
  uint64_t v[3];
  assert_int_equal(em_parse_u64_seq("2:4", ':', 2, 1, 1024, v), EM_OK);
  assert_int_equal(v[0], 2);
  assert_int_equal(v[1], 4);
  assert_int_equal(em_parse_u64_seq("8x256x8", 'x', 3, 1, 65536, v), EM_OK);
  assert_int_equal(v[1], 256);
  /* 4294967297 = 2^32 + 1 is 1 modulo 2^32: out of range, never 1 */
  assert_int_equal(em_parse_u64_seq("4294967297:4294967298", ':', 2, 1, 1024, v), EM_ERR_RANGE);
  assert_int_equal(em_parse_u64_seq("4294967297x1x1", 'x', 3, 1, 65536, v), EM_ERR_RANGE);
  /* 2^64 = 18446744073709551616 does not fit at all; 40 digits neither */
  assert_int_equal(em_parse_u64_seq("18446744073709551616x1x1", 'x', 3, 1, UINT64_MAX, v),
                   EM_ERR_RANGE);
  assert_int_equal(em_parse_u64_seq("1234567890123456789012345678901234567890x1x1", 'x', 3, 1,
                                    UINT64_MAX, v),
                   EM_ERR_RANGE);
  assert_int_equal(em_parse_u64_seq("0:4", ':', 2, 1, 1024, v), EM_ERR_RANGE);
  /* the shape: signs, spaces, missing, empty or extra parts, another separator */
  const char *bad[] = {"-1:4", "+1:4", " 1:4", "1 :4", "1:", ":4", "1:2:3", "1x2", "", "1::2"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(em_parse_u64_seq(bad[i], ':', 2, 0, 1024, v), EM_ERR_PARSE);
  /* a shape error wins over a range error before it */
  assert_int_equal(em_parse_u64_seq("99999:x", ':', 2, 0, 1024, v), EM_ERR_PARSE);
}

static char dir[] = "/tmp/emlsim_test_input_XXXXXX";

static void refused_kinds(void **state) {
  (void)state;
  em_diag d;
  FILE *f = NULL;
  assert_int_equal(em_input_open("/dev/zero", "a configuration file", 0, &f, &d), EM_ERR_IO);
  assert_null(f);
  assert_string_equal(d.path, "/dev/zero");
  assert_string_equal(d.msg, "is a character device, not a configuration file");
  assert_int_equal(em_input_open(dir, NULL, 0, &f, &d), EM_ERR_IO);
  assert_string_equal(d.msg, "is a directory, not a file");
  char p[512];
  snprintf(p, sizeof p, "%s/none", dir);
  assert_int_equal(em_input_open(p, NULL, 0, &f, &d), EM_ERR_IO);
  assert_string_equal(d.msg, "cannot open: No such file or directory");
  snprintf(p, sizeof p, "%s/fifo", dir);
  assert_int_equal(mkfifo(p, 0600), 0);
  /* refused by its type without opening it (which would wait for a writer) */
  assert_int_equal(em_input_open(p, "a native trace", EM_INPUT_REGULAR, &f, &d), EM_ERR_IO);
  assert_string_equal(d.msg, "is a pipe, and a native trace must be a regular file");
  assert_int_equal(em_input_check(p, NULL, 0, &d), EM_OK);
  unlink(p);
}

static void regular_file(void **state) {
  (void)state;
  char p[512];
  snprintf(p, sizeof p, "%s/f.txt", dir);
  FILE *w = fopen(p, "wb");
  assert_non_null(w);
  fputs("hello\n", w); /* 6 bytes */
  fclose(w);
  em_diag d;
  FILE *f;
  assert_int_equal(em_input_open(p, NULL, EM_INPUT_REGULAR, &f, &d), EM_OK);
  assert_int_equal(em_input_bytes(f), 6);
  char buf[16] = "";
  assert_non_null(fgets(buf, sizeof buf, f));
  assert_string_equal(buf, "hello\n");
  fclose(f);
  unlink(p);
}

/* A child writes `bytes` bytes (0: without end) into the write end of a
 * pipe; the parent reads the read end by its /proc/self/fd name. */
static pid_t writer(int fds[2], uint64_t bytes) {
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    static char block[1 << 16];
    memset(block, 'a', sizeof block);
    for (uint64_t sent = 0; !bytes || sent < bytes;) {
      size_t n = bytes && bytes - sent < sizeof block ? (size_t)(bytes - sent) : sizeof block;
      ssize_t k = write(fds[1], block, n);
      if (k <= 0) _exit(0); /* the reader has gone */
      sent += (uint64_t)k;
    }
    _exit(0);
  }
  close(fds[1]);
  return pid;
}

static void pipe_limit(void **state) {
  (void)state;
  static char buf[1 << 20];
  char p[64];
  em_diag d;
  FILE *f;
  int fds[2];
  /* a short pipe reads to its end: 100 bytes, no error */
  pid_t pid = writer(fds, 100);
  snprintf(p, sizeof p, "/proc/self/fd/%d", fds[0]);
  assert_int_equal(em_input_open(p, NULL, 0, &f, &d), EM_OK);
  assert_int_equal(em_input_bytes(f), EM_INPUT_STREAM_MAX);
  assert_int_equal(fread(buf, 1, sizeof buf, f), 100);
  assert_true(feof(f) && !ferror(f));
  fclose(f);
  close(fds[0]);
  waitpid(pid, NULL, 0);
  /* an endless one stops with EFBIG after exactly 2^30 bytes */
  pid = writer(fds, 0);
  snprintf(p, sizeof p, "/proc/self/fd/%d", fds[0]);
  assert_int_equal(em_input_open(p, NULL, 0, &f, &d), EM_OK);
  uint64_t total = 0;
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, f)) > 0) total += k;
  int e = errno;
  assert_true(ferror(f));
  assert_int_equal(e, EFBIG);
  assert_int_equal(total, 1ull << 30);
  fclose(f);
  close(fds[0]);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  if (!mkdtemp(dir)) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seq_numbers),
      cmocka_unit_test(refused_kinds),
      cmocka_unit_test(regular_file),
      cmocka_unit_test(pipe_limit),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  rmdir(dir);
  return rc;
}
