/* fuzz_trace.c - the SIMT trace readers: the first byte picks emlsim's
 * native format or an Accel-Sim .traceg; every kernel is loaded. */
#include "fuzz_common.h"
#include "simt_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *path = fuzz_file(data + 1, size - 1, data[0] & 1 ? ".traceg" : ".emtrace");
  em_diag d;
  simt_trace *t;
  if (simt_trace_open(path, &t, &d) != EM_OK) return 0;
  for (size_t i = 0; i < simt_trace_count(t) && i < 4; i++) {
    simt_kernel k;
    if (simt_trace_kernel(t, i, &k, &d) == EM_OK) simt_kernel_free(&k);
  }
  simt_trace_close(t);
  return 0;
}
