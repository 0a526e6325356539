/* fuzz_idx.c - the IDX reader: the input is split into an image file and a
 * label file at the position its first byte names. */
#include "fuzz_common.h"
#include "wl_idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t cut = 1 + (size_t)data[0] * (size - 1) / 255;
  static char lab[300];
  snprintf(lab, sizeof lab, "%s", fuzz_file(data + cut, size - cut, ".labels"));
  const char *img = fuzz_file(data + 1, cut - 1, ".images");
  em_diag d;
  wl_dataset ds;
  if (wl_idx_load(img, lab, &ds, &d) == EM_OK) wl_dataset_free(&ds);
  return 0;
}
