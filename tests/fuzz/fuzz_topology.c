/* fuzz_topology.c - the SCALE-Sim topology CSV reader. */
#include "fuzz_common.h"
#include "wl_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  wl_network *net = NULL;
  if (wl_topology_read_mem("fuzz.csv", (const char *)data, size, &net, &d) == EM_OK)
    wl_network_destroy(net);
  return 0;
}
