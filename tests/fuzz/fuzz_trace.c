/* fuzz_trace.c - the SIMT trace readers: the first byte picks emlsim's
 * native format or an Accel-Sim .traceg; every kernel is loaded, and the
 * warps of its first blocks are read back as the GPU streams them (the
 * decoder reads the file a second time, chunk by chunk). */
#include <stdlib.h>

#include "fuzz_common.h"
#include "simt_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *path = fuzz_file(data + 1, size - 1, data[0] & 1 ? ".traceg" : ".emtrace");
  em_diag d;
  simt_trace *t;
  if (simt_trace_open(path, &t, &d) != EM_OK) return 0;
  simt_tcursor *c = malloc(sizeof *c);
  for (size_t i = 0; c && i < simt_trace_count(t) && i < 4; i++) {
    simt_kernel k;
    if (simt_trace_kernel(t, i, &k, &d) != EM_OK) continue;
    uint64_t blocks = (uint64_t)k.grid[0] * k.grid[1] * k.grid[2];
    uint32_t warps = (k.block_threads + 31) / 32;
    for (uint64_t b = 0; k.tsrc && b < blocks && b < 16; b++)
      for (uint32_t w = 0; w < warps; w++) {
        em_status s = k.tsrc->open(k.tsrc->ctx, b, w, c, &d);
        while (s == EM_OK && c->left) s = k.tsrc->next(k.tsrc->ctx, c, &d);
      }
    simt_kernel_free(&k);
  }
  free(c);
  simt_trace_close(t);
  return 0;
}
