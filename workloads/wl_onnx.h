/*
 * wl_onnx.h - ONNX models as workloads: the protobuf is decoded by
 * protobuf-c with code generated at build time from the onnx.proto of
 * Debian's libonnx-dev; shapes are inferred node by node from the graph's
 * inputs and initializers; the layers that carry cost become wl_layers.
 *
 * Operators: Conv, ConvInteger, QLinearConv (strides, pads, dilations,
 * groups, auto_pad; N-d for shapes, 1-d and 2-d as layers); Gemm, MatMul,
 * MatMulInteger, QLinearMatMul (batched, broadcast); MaxPool, AveragePool,
 * LpPool, GlobalAveragePool, GlobalMaxPool (ceil_mode, dilations);
 * BatchNormalization (folded into the convolution that feeds it, counted
 * otherwise); element-wise and activation ops (broadcast; a residual Add of
 * two activations is a layer); Concat, Flatten, Reshape (with a constant
 * shape), Transpose, Squeeze, Unsqueeze, Softmax, Constant, Identity,
 * Dropout, Cast; QuantizeLinear / DequantizeLinear carry 8-bit widths to
 * the layers they feed, and the QLinear and Integer variants are 8:8.
 * Unknown operators are listed by name and count in the network's notes;
 * the shapes after them are unknown and the layers that need them are
 * listed as skipped.  A symbolic dimension (a batch named "N") is taken
 * as 1.
 *
 * Limits (each refused with its own message, before anything is allocated
 * for it): files up to 1 GiB; protobuf messages nested at most 100 deep (a
 * subgraph costs 3 levels) and no non-repeated message field given twice,
 * both checked by a scan of the wire format before decoding; decoding in
 * at most 256 MiB + 8 bytes per byte of file; 1,000,000 nodes; 8,000,000
 * tensor-name references; rank 8; dimensions in [0, 2^40], a tensor's
 * non-zero dimensions multiplying to at most 2^62; strides, dilations,
 * pads and pooling windows up to 2^31.  Attribute lists must have one value
 * per dimension they describe (pads: two), axes must be in range and
 * distinct, and perm a permutation.  A graph whose nodes cannot all be
 * ordered (a cycle, or an input no one produces) is an error; ordering is
 * O(n log n) in the nodes and their links.
 */
#ifndef WL_ONNX_H
#define WL_ONNX_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"
#include "wl_layer.h"

#define WL_ONNX_MAX_RANK 8

typedef struct {
  int rank; /* -1: unknown */
  int64_t dim[WL_ONNX_MAX_RANK];
} wl_onnx_shape;

/* Reads model.onnx into a network (name: the graph's, source: the path). */
em_status wl_onnx_load(const char *path, wl_network **out, em_diag *d);

/* The inferred shapes of the graph's outputs (for tests and tools). */
em_status wl_onnx_output_shapes(const char *path, wl_onnx_shape *shapes, size_t max, size_t *n,
                                em_diag *d);

/* The weight values of layer `layer` (a Conv, Gemm or MatMul node's name,
 * or the generated "Op_index" name of an unnamed one) as float32, from its
 * initializer (float_data or raw little-endian float32); *vals is
 * allocated (free()).  For pruning and quantization studies. */
em_status wl_onnx_layer_weights(const char *path, const char *layer, float **vals, size_t *n,
                                em_diag *d);

/* Whether buf[len] may be handed to protobuf-c's ModelProto decoder: the
 * pre-scan every load runs first (well framed, nesting, no merged copies,
 * the memory budget), for tools that decode models themselves (the fuzz
 * target's mutator).  EM_OK, or the error a load would give, without a
 * path. */
em_status wl_onnx_check_wire(const uint8_t *buf, size_t len, em_diag *d);

/* The dims of a serialized TensorProto (.pb), as ONNX's test data stores
 * expected outputs. */
em_status wl_onnx_tensor_file_shape(const char *path, wl_onnx_shape *s, em_diag *d);

#endif
