/*
 * fuzz_common.h - libFuzzer targets for emlsim's parsers.  Most parsers
 * take a path: the input is written to a file in /dev/shm (or /tmp) first.
 * A target must never crash, leak or hang; errors are the expected outcome
 * of most inputs.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes data to a per-process file with the given suffix; returns its path
 * (inline: the targets that parse from memory leave it unused). */
static inline const char *fuzz_file(const uint8_t *data, size_t n, const char *suffix) {
  static char path[256];
  const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(path, sizeof path, "%s/emlsim_fuzz_%d%s", dir, (int)getpid(), suffix);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (n && fwrite(data, 1, n, f) != n) abort();
  fclose(f);
  return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
