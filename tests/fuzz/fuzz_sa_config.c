/* fuzz_sa_config.c - the SCALE-Sim .cfg reader. */
#include "fuzz_common.h"
#include "sa_config.h"
#include "sa_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  sa_config c;
  if (sa_config_read_mem("fuzz.cfg", (const char *)data, size, &c, &d) == EM_OK)
    sa_config_validate(&c, "fuzz.cfg", &d);
  return 0;
}
