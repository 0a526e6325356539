/*
 * em_outpath.h - which paths a run may write: regular files (or folders),
 * never one of its own inputs, never the same one twice.
 *
 * A command lists its inputs and outputs in an em_iocheck (caller-owned, on
 * the stack) and checks them before it starts work; em_outfile (the writer)
 * checks again what it is about to replace.  Paths are compared by device
 * and inode when the file exists, so `a.csv`, `./a.csv`, a hard link and a
 * symbolic link to it are one file; an output that does not exist yet is
 * compared by its folder's device and inode and its name.
 *
 * Symbolic links are written through: the file the link points to is
 * replaced and the link stays a link (README, Hardening).
 */
#ifndef EM_OUTPATH_H
#define EM_OUTPATH_H

#include <stddef.h>

#include "em_diag.h"

typedef enum {
  EM_OUT_FILE, /* a regular file, or "-" for standard output */
  EM_OUT_DIR   /* a folder of reports */
} em_outkind;

/* Where the output `path` really goes: path itself, or for a symbolic link
 * the file it points to (realpath).  Refuses, with the reason, a path that
 * exists and is not of `kind` (a device node, FIFO, socket or folder where a
 * file is wanted; a file where a folder is), a link to nothing, and an
 * empty path.  *out is malloc'd (the caller frees it). */
em_status em_outpath_resolve(const char *path, em_outkind kind, char **out, em_diag *d);

#define EM_IOCHECK_MAX 32

typedef enum { EM_IO_INPUT, EM_IO_OUT_FILE, EM_IO_OUT_DIR } em_iorole;

typedef struct {
  em_iorole role;
  const char *what; /* how the user gave it: "-o", "--config", "<workload>" */
  const char *path; /* not copied: must outlive the check (argv does) */
} em_ioarg;

typedef struct {
  em_ioarg a[EM_IOCHECK_MAX];
  size_t n;
  int overflow;
} em_iocheck;

void em_iocheck_init(em_iocheck *io);
/* Adds one input or output; a NULL path is ignored.  An input that is not
 * a file (a built-in workload's name) is ignored by the checks. */
void em_iocheck_add(em_iocheck *io, em_iorole role, const char *what, const char *path);
/* Checks every output: its kind (em_outpath_resolve), that a new file's
 * folder is there and writable (or is, or is inside, one of the folder
 * outputs, made for the run), that it is no input, that none is the
 * regular file standard output or standard error goes to (its rename would
 * replace what they took: a log), and that no two outputs are the same
 * file (or both standard output).
 * The message names the options:
 *   out.csv: error: '-o' would overwrite '--config', an input of this run
 *   a.csv: error: '--pareto' and '-o' name the same file */
em_status em_iocheck_run(const em_iocheck *io, em_diag *d);
/* For a file a folder output is about to put at `path` (resolved): fails
 * if it is one of io's inputs or the target of a file output.  io may be
 * NULL (nothing to check). */
em_status em_iocheck_target(const em_iocheck *io, const char *path, em_diag *d);

#endif
