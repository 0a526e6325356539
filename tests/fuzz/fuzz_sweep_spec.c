/* fuzz_sweep_spec.c - the `emlsim sweep` SPEC reader: keys, values, and the
 * GPU settings it checks against the SIMT configuration. */
#include "fuzz_common.h"
#include "sim_commands.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  (void)sim_sweep_spec_check(fuzz_file(data, size, ".spec"), &d);
  return 0;
}
