/* fuzz_weights.c - the weight-file readers (quant --load, --cnn-load, the
 * study's cached SimpleCNN): the input's first byte picks the MLP's
 * (EMLSMLP1) or the SimpleCNN's (EMLSCNN1), the rest is the file. */
#include "fuzz_common.h"
#include "nn_cnn.h"
#include "nn_mlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *path = fuzz_file(data + 1, size - 1, ".bin");
  em_diag d;
  if (data[0] & 1) {
    nn_cnn *c;
    if (nn_cnn_load(&c, path, &d) == EM_OK) nn_cnn_destroy(c);
  } else {
    nn_mlp m;
    if (nn_mlp_load(&m, path, &d) == EM_OK) nn_mlp_free(&m);
  }
  return 0;
}
