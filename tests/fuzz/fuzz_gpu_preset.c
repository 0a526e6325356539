/* fuzz_gpu_preset.c - the SIMT GPU preset reader (NUL-terminated text). */
#include "fuzz_common.h"
#include "simt_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *t = malloc(size + 1);
  if (!t) return 0;
  memcpy(t, data, size);
  t[size] = '\0';
  em_diag d;
  simt_config c;
  if (simt_config_load_mem("fuzz.cfg", t, &c, &d) == EM_OK) simt_config_check(&c, "fuzz.cfg", &d);
  free(t);
  return 0;
}
