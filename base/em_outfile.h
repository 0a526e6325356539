/*
 * em_outfile.h - all-or-nothing outputs: a file, a file another program
 * writes, or a folder of reports.
 *
 * Nothing reaches the target before commit.  Until then the output lives
 * under a temporary name beside the target (same folder, so the rename is
 * atomic), registered for removal should the run be killed (em_cleanup.h);
 * abort (or a failed commit) removes it and leaves the target as it was.
 *   - em_outfile_open: a stream, written through em_outfile_fp to
 *     TARGET.tmp.XXXXXX.  "-" is standard output, written directly.
 *   - em_outfile_open_tmp: a file another program (gnuplot) or library
 *     (a weights writer) writes: em_outfile_tmp names a file inside a
 *     private folder TARGET.tmp.XXXXXX, where it may also leave its own
 *     temporaries.  The folders above TARGET are made if missing (and
 *     removed again on abort), so such a file may go inside a folder
 *     output of the same run (`quant -o q --save q/mlp.bin`).
 *   - em_outdir_open: a folder of reports.  The caller writes its files and
 *     subfolders under em_outfile_tmp, a staging folder: DIR.tmp.XXXXXX
 *     beside DIR when DIR does not exist (the folders above it are made, and
 *     removed again on abort), and the whole folder is renamed into place;
 *     DIR/.emlsim.tmp.XXXXXX when DIR exists, and each file is renamed over
 *     its older namesake.  DIR/.emlsim-OWNER-files lists the files the run
 *     wrote; the next run of the same command into DIR removes those of
 *     them it does not write again (a folder never mixes two of its runs),
 *     and leaves DIR's other files, another command's included, alone.
 *     Only in a folder of the user's own (theirs, writable by no one else),
 *     and only files of theirs: a shared folder (/tmp) gets no list.  The
 *     list is data: a path in it that leaves DIR (.., an absolute one, a
 *     symbolic link on the way) removes nothing.
 * em_outfile_commit_all commits several outputs as one: standard output is
 * flushed first (a run whose stdout fails exits 1, so it writes nothing),
 * every stream is flushed and closed and every staged file checked, and
 * only when all succeeded are they renamed into place, with the signals
 * em_cleanup handles held off meanwhile.  The renames are one transaction:
 * every target to be replaced or removed is kept first (a hard link, or
 * the file renamed aside, DIR/.emlsim.bak.XXXXXX), a target that cannot be
 * (immutable, say, or another user's in a sticky folder) fails the commit
 * before anything changed, and a rename that fails puts back every one
 * done.  A failed commit leaves every target as it was.
 *
 * A target whose last component is too long for ".tmp.XXXXXX" to fit in
 * 255 bytes (NAME_MAX) has a temporary named from its first 244 bytes,
 * still beside it and unique.
 *
 * Targets are checked as em_outpath_resolve says: a symbolic link is
 * written through (the link stays), and a device node, FIFO, socket or
 * folder is refused, never replaced.
 */
#ifndef EM_OUTFILE_H
#define EM_OUTFILE_H

#include <stdio.h>

#include "em_diag.h"
#include "em_outpath.h"

typedef struct em_outfile em_outfile;

/* Opens a temporary file for path ("-": standard output). On error fills d. */
em_status em_outfile_open(const char *path, em_outfile **out, em_diag *d);
/* A temporary name for path that another program writes (em_outfile_tmp). */
em_status em_outfile_open_tmp(const char *path, em_outfile **out, em_diag *d);
/* A staging folder for the folder path (em_outfile_tmp).  io (may be NULL;
 * must outlive the commit) is checked at commit against every file about
 * to be replaced (em_iocheck_target).  owner, the command writing the
 * folder (a short lowercase name), names its list of files in it,
 * .emlsim-OWNER-files. */
em_status em_outdir_open(const char *path, const em_iocheck *io, const char *owner,
                         em_outfile **out, em_diag *d);

/* The stream to write to (em_outfile_open only; NULL otherwise). */
FILE *em_outfile_fp(em_outfile *f);
/* The temporary file or staging folder to write (em_outfile_open_tmp,
 * em_outdir_open); the temporary file for em_outfile_open. */
const char *em_outfile_tmp(const em_outfile *f);
/* A diagnostic that names a temporary path of f (a file in the staging
 * folder, say) is made to name the path the user gave instead. */
void em_outfile_explain(const em_outfile *f, em_diag *d);

/* Commits f (see em_outfile_commit_all); frees it in every case. */
em_status em_outfile_commit(em_outfile *f, em_diag *d);
/* Commits n outputs together (NULL entries are skipped): all or, when
 * anything fails before the renames, none; frees every one. */
em_status em_outfile_commit_all(em_outfile *const *f, size_t n, em_diag *d);
/* Removes the temporaries; frees f. NULL is a no-op. */
void em_outfile_abort(em_outfile *f);

/* A scratch file (read and write, binary) that no name points at: made in
 * $TMPDIR, or /tmp where TMPDIR is unset or empty (tmpfile() always takes
 * /tmp), and unlinked at once, so nothing is left however the run ends.
 * The folder tried is written to dir (dir_size > 0); NULL with errno set
 * where it cannot be made, for an error that names that folder. */
FILE *em_tmpfile(char *dir, size_t dir_size);

/* Creates a directory and its parents (mode 0777 & ~umask); existing is fine. */
em_status em_mkdir_p(const char *path, em_diag *d);

#endif
