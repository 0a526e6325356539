/*
 * wl_load.h - where networks come from: SCALE-Sim topology CSVs and the
 * built-in networks.
 *
 * Topology CSV (SCALE-Sim v2, read as it is):
 *   conv form: Layer name, IFMAP Height, IFMAP Width, Filter Height,
 *              Filter Width, Channels, Num Filter, Strides,
 *   GEMM form: Layer Name, M, N, K,
 * The trailing comma is optional.  Headers are matched by name (em_name_eq:
 * case, spaces, '_' and '-' ignored).  Optional columns by name: Padding,
 * Groups, Bias, Weight Bits, Activation Bits, Sparsity, Pattern, Batch;
 * all four or none of Input Height, Input Width, Padding Height, Padding
 * Width (the layer as it is beside SCALE-Sim's view, wl_topology.c).
 * SCALE-Sim folds padding into the IFMAP size and rounds the output size up;
 * the reader keeps that (ceil_mode) so that cycle counts match SCALE-Sim.
 * A layer whose name contains "DP" is depthwise (SCALE-Sim's rule); a 1 x 1
 * filter over a 1 x 1 map is a fully connected layer.
 */
#ifndef WL_LOAD_H
#define WL_LOAD_H

#include <stddef.h>

#include "em_diag.h"
#include "wl_layer.h"

/* Reads a topology CSV. On error fills d with path:line:col. */
em_status wl_topology_read(const char *path, wl_network **out, em_diag *d);
/* Same, from memory; `name` appears in diagnostics (fuzzing, tests). */
em_status wl_topology_read_mem(const char *name, const char *buf, size_t len,
                               wl_network **out, em_diag *d);

/* Built-in networks. */
typedef struct {
  const char *name;        /* "alexnet" */
  const char *description; /* one line, with the source of the shapes */
} wl_builtin_info;

/* The table of built-ins and its length. */
const wl_builtin_info *wl_builtins(size_t *n);
/* Builds a built-in network by name; EM_ERR_NOTFOUND (with the list of names
 * in the message) for an unknown one. */
em_status wl_builtin_load(const char *name, wl_network **out, em_diag *d);

/* A workload argument as the command line takes it: a built-in name,
 * gemm:MxNxK (one GEMM layer, named "gemm"), an ONNX model (.onnx), or a
 * path to a topology CSV (anything containing '/' or '.', or an existing
 * file; "-" for stdin). */
em_status wl_load(const char *spec, wl_network **out, em_diag *d);

/* gemm:MxNxK's sizes into v (M, N, K), each in [1, WL_DIM_MAX] (2^31), the
 * layer's own bound (wl_layer_validate):
 * Y (N x M) = W (N x K) X (K x M), M activation columns, as a topology's
 * GEMM row M,N,K.  EM_ERR_PARSE (not MxNxK) or EM_ERR_RANGE (the first size
 * out of bounds, named as the layer's check names it: "'gemm:0x1x1': 'M'
 * must be in [1, 2147483648], got 0") with the argument quoted (no path:
 * it is a command-line argument). */
em_status wl_gemm_spec(const char *spec, uint64_t *v, em_diag *d);

#endif
