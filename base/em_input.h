/*
 * em_input.h - opening the files emlsim reads, hostile ones included.
 *
 * Every input file goes through em_input_open(), which stats the path before
 * reading a byte and refuses what a reader could never finish or should not
 * touch: a directory, a character or block device (/dev/zero never ends, a
 * terminal waits forever), a socket.  A regular file is opened as it is: it
 * has a real length, which readers check the sizes in a header against
 * (em_input_bytes) before they allocate anything.
 *
 * A pipe or FIFO (`gen | emlsim analyze /dev/stdin`, or "-" where a reader
 * takes standard input) has no length: it is read through a stream that
 * stops with an error (EFBIG, "File too large") once EM_INPUT_STREAM_MAX
 * bytes have come, so an endless writer ends the read instead of hanging it.
 * Readers report that as their read error, at the line they had reached.
 * A FIFO with a name is opened without blocking, and refused if nothing
 * comes from it within EM_INPUT_FIFO_WAIT_S (a FIFO no process writes to
 * would hold open() for ever).
 */
#ifndef EM_INPUT_H
#define EM_INPUT_H

#include <stdint.h>
#include <stdio.h>

#include "em_diag.h"

/* The most a pipe or FIFO may send: 1 GiB, the size of the largest input
 * any reader takes (an ONNX model; wl_onnx.c) and far more than a text
 * input holds (a topology of the 10^6-layer limit is about 50 MB). */
#define EM_INPUT_STREAM_MAX (1ull << 30)

/* How long a FIFO with a name may keep its reader waiting for its first
 * data, seconds, unless EMLSIM_FIFO_WAIT says otherwise (0 to 86400): past
 * it, em_input_open refuses it ("is a FIFO that no process wrote to"). */
#define EM_INPUT_FIFO_WAIT_S 30

enum {
  EM_INPUT_STDIN = 1u << 0,   /* "-" means standard input (named "<stdin>") */
  EM_INPUT_REGULAR = 1u << 1, /* regular files only: the reader seeks or reads twice */
};

/* The name an input goes by in messages: "<stdin>" for "-" (standard
 * input, as EM_INPUT_STDIN reads it), else the path itself. */
const char *em_input_name(const char *path);

/* Opens `path` for reading in binary mode.  `what` names the kind of input,
 * with its article, in the messages ("is a directory, not a configuration
 * file" for "a configuration file"); NULL says "a file".  On success *out is
 * a stream the caller closes with fclose().  Errors (path: error: ...):
 * "cannot open: <reason>" when the path cannot be opened, "is a directory|
 * character device|block device|socket, not <what>", with
 * EM_INPUT_REGULAR "is a pipe, and <what> must be a regular file", and for
 * "-" "cannot read: standard input is closed (or open only for writing)". */
em_status em_input_open(const char *path, const char *what, unsigned flags, FILE **out,
                        em_diag *d);

/* The same checks without opening (nor blocking on a FIFO with no writer):
 * for a reader that only needs to know the path is a readable input. */
em_status em_input_check(const char *path, const char *what, unsigned flags, em_diag *d);

/* The most bytes a stream from em_input_open() can give from its start: a
 * regular file's length, or EM_INPUT_STREAM_MAX for a pipe or FIFO. */
uint64_t em_input_bytes(FILE *fp);

#endif
