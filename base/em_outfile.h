/*
 * em_outfile.h - all-or-nothing output files.
 *
 * Output goes to a temporary file beside the target (same directory, so the
 * rename is atomic) and is renamed over the target only on commit; abort (or
 * a crash) leaves the target as it was.  "-" writes to stdout directly.
 */
#ifndef EM_OUTFILE_H
#define EM_OUTFILE_H

#include <stdio.h>

#include "em_diag.h"

typedef struct em_outfile em_outfile;

/* Opens a temporary file for path. On error fills d. */
em_status em_outfile_open(const char *path, em_outfile **out, em_diag *d);
/* The stream to write to. */
FILE *em_outfile_fp(em_outfile *f);
/* Flushes, closes and renames into place; on any error removes the temporary
 * file and fills d. Frees f in every case. */
em_status em_outfile_commit(em_outfile *f, em_diag *d);
/* Closes and removes the temporary file; frees f. NULL is a no-op. */
void em_outfile_abort(em_outfile *f);

/* Creates a directory and its parents (mode 0777 & ~umask); existing is fine. */
em_status em_mkdir_p(const char *path, em_diag *d);

#endif
