/* fuzz_energy_table.c - the energy table CSV reader, then lookups. */
#include "cm_energy.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  cm_energy_table *t;
  if (cm_energy_table_load(fuzz_file(data, size, ".csv"), &t, &d) == EM_OK) {
    cm_energy_value v;
    cm_energy_mult(t, false, 8, 8, &v, &d);
    cm_energy_add(t, true, 32, &v, &d);
    cm_energy_mem(t, CM_OP_SRAM_READ, 65536, 64, &v, &d);
    cm_energy_mem(t, CM_OP_DRAM_READ, 0, 256, &v, &d);
    cm_energy_table_destroy(t);
  }
  return 0;
}
