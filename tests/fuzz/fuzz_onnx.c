/* fuzz_onnx.c - the ONNX reader and its shape inference. */
#include "fuzz_common.h"
#include "wl_onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  em_diag d;
  wl_network *net;
  if (wl_onnx_load(fuzz_file(data, size, ".onnx"), &net, &d) == EM_OK) wl_network_destroy(net);
  return 0;
}
