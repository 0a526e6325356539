/*
 * wl_layer.h - the layer and network model every other part consumes.
 *
 * A layer is one of: convolution (with stride, padding per side, groups;
 * depthwise is groups == in_c == out_c), fully connected, GEMM (M x K times
 * K x N), pooling (max or average) and element-wise.  Tensors are NCHW with
 * batch `batch`.  Output sizes follow the usual rule
 *     out = floor((in + 2*pad - k) / stride) + 1
 * or, with `ceil_mode` (SCALE-Sim's topology convention, PyTorch's name),
 *     out = ceil((in + 2*pad - k) / stride) + 1.
 * Every count is uint64_t; products are formed with em_checked.h.
 *
 * Precision: each layer has a weight and an activation number format; bits
 * == 0 means "not given here" (the network default or a command-line choice
 * applies; see wl_network_resolve_prec()).
 */
#ifndef WL_LAYER_H
#define WL_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

#define WL_NAME_MAX 64
/* Most layers in one network: far beyond any real network, low enough that a
 * hostile file cannot exhaust memory (each layer is a few hundred bytes). */
#define WL_LAYERS_MAX 1000000u
/* Largest single dimension accepted (2^31): GPT-3 sizes fit many times over. */
#define WL_DIM_MAX 2147483648ull
/* Widest operand accepted, in bits. */
#define WL_BITS_MAX 64u

typedef enum { WL_CONV, WL_FC, WL_GEMM, WL_POOL, WL_ELTWISE } wl_kind;
typedef enum { WL_POOL_MAX, WL_POOL_AVG } wl_pool_op;
typedef enum { WL_ELT_ADD, WL_ELT_MUL, WL_ELT_RELU, WL_ELT_SOFTMAX, WL_ELT_GELU } wl_eltwise_op;

/* A number format: `bits` wide, integer or floating point.  A 1-bit integer
 * is the binary {-1,+1} format of XNOR networks. bits == 0: unset. */
typedef struct {
  uint8_t bits;
  bool fp;
} wl_prec;

/* Weight sparsity patterns (fraction of zero weights in `sparsity`). */
typedef enum {
  WL_SP_DENSE,        /* no pruning */
  WL_SP_UNSTRUCTURED, /* zeros anywhere */
  WL_SP_NM,           /* N non-zeros in every M consecutive weights (2:4) */
  WL_SP_BLOCK,        /* whole b x b blocks zero */
  WL_SP_CHANNEL       /* whole output channels (filters) removed */
} wl_sparsity_pattern;

typedef struct {
  char name[WL_NAME_MAX];
  wl_kind kind;
  int op; /* wl_pool_op or wl_eltwise_op */

  /* Input feature map (conv, pool, eltwise; FC uses in_c = input features). */
  uint64_t in_h, in_w, in_c;
  /* Kernel (conv and pool); 1 x 1 for FC. */
  uint64_t k_h, k_w;
  /* Output channels: filters (conv), output features (FC); = in_c for pool
   * and element-wise layers. */
  uint64_t out_c;
  uint64_t stride_h, stride_w;
  uint64_t pad_h, pad_w; /* per side: top = bottom = pad_h */
  uint64_t groups;       /* conv only; 1 elsewhere */
  bool ceil_mode;        /* output size rounds up (SCALE-Sim topologies) */
  uint64_t batch;        /* >= 1 */
  uint64_t eltwise_inputs; /* element-wise: operands per output (2 for add) */

  /* GEMM only: out[M x N] = A[M x K] * B[K x N]; B is the weight operand,
   * unless b_is_activation (attention's Q*K^T and P*V): then the layer has
   * no parameters and B is read like an activation. */
  uint64_t m, n, k;
  bool b_is_activation;

  bool bias; /* one bias per output channel (conv, FC, GEMM) */
  wl_prec w, a; /* weight and activation formats; bits 0 = unset */

  double sparsity;             /* weight zeros fraction in [0, 1) */
  wl_sparsity_pattern pattern; /* of the zeros */
  uint32_t nm_n, nm_m;         /* WL_SP_NM: nm_n non-zeros per nm_m */
  uint32_t block;              /* WL_SP_BLOCK: block edge */

  uint64_t src_line; /* line in the source file (0 for built-ins) */
} wl_layer;

/* The im2col / GEMM view of a layer: `groups` independent products of an
 * M x K activation matrix and a K x N weight matrix.
 *   conv: M = batch*out_h*out_w (output pixels), K = k_h*k_w*in_c/groups
 *         (window), N = out_c/groups (filters per group)
 *   FC:   M = batch, K = in_c, N = out_c;  GEMM: M, K, N as given.
 * Pool and element-wise layers have no GEMM view (all zero). */
typedef struct {
  uint64_t m, n, k, groups;
} wl_gemm_view;

typedef struct {
  char name[WL_NAME_MAX];
  char source[EM_DIAG_PATH_MAX]; /* path, or "builtin:<name>" */
  wl_layer *layers;
  size_t n_layers;
  size_t cap;
  char notes[1024]; /* what the reader could not turn into layers (ONNX), or "" */
  /* inferences in one run: 1 (a built-in network), a topology's Batch
   * column, an ONNX graph's batch dimension; 0 where those differ from
   * layer to layer or input to input (no whole number).  Not a layer's
   * batch field, which also counts attention heads and folded rows. */
  uint64_t inferences;
} wl_network;

/* ---- layers ---- */

/* A layer of the given kind with neutral defaults (stride 1, groups 1,
 * batch 1, no padding, no bias, unset precision, dense). */
wl_layer wl_layer_make(wl_kind kind, const char *name);

/* Convenience constructors for the built-in networks (bias on). */
wl_layer wl_conv(const char *name, uint64_t in_h, uint64_t in_w, uint64_t in_c,
                 uint64_t k, uint64_t out_c, uint64_t stride, uint64_t pad,
                 uint64_t groups);
wl_layer wl_fc(const char *name, uint64_t in_features, uint64_t out_features);
wl_layer wl_gemm(const char *name, uint64_t m, uint64_t n, uint64_t k);
wl_layer wl_pool(const char *name, wl_pool_op op, uint64_t in_h, uint64_t in_w,
                 uint64_t c, uint64_t k, uint64_t stride, uint64_t pad);
wl_layer wl_eltwise(const char *name, wl_eltwise_op op, uint64_t h, uint64_t w,
                    uint64_t c, uint64_t inputs);

/* Output height and width (1 x 1 for FC and GEMM). Valid layers only. */
uint64_t wl_layer_out_h(const wl_layer *l);
uint64_t wl_layer_out_w(const wl_layer *l);
/* Output channels (out_c; N for GEMM). */
uint64_t wl_layer_out_c(const wl_layer *l);

/* GEMM view (see wl_gemm_view). Valid layers only. */
wl_gemm_view wl_layer_gemm_view(const wl_layer *l);

/* Checks sizes, divisibility by groups, that the kernel fits the padded
 * input, that the output and the MAC count fit 64 bits, bit widths in
 * [1, 64], sparsity in [0, 1).  On error fills d with path:line (the
 * layer's src_line) and a message naming the layer and the field. */
em_status wl_layer_validate(const wl_layer *l, const char *path, em_diag *d);

/* "conv", "fc", "gemm", "pool", "eltwise". */
const char *wl_kind_name(wl_kind k);

/* ---- precision ---- */

/* Parses "8", "int8", "fp32", "fp16", "bf16" (as fp16; no other "bf"
 * width), "binary" (int1), "ternary" (int2). EM_ERR_PARSE or EM_ERR_RANGE
 * (bits 0 or > 64, a float not of 8, 16, 32 or 64 bits, bf8/bf32/bf64). */
em_status wl_prec_parse(const char *text, wl_prec *out);
/* Writes "int8", "fp32", "binary" into buf. */
void wl_prec_format(wl_prec p, char *buf, size_t size);

/* ---- networks ---- */

/* Creates an empty network; NULL on out of memory. */
wl_network *wl_network_create(const char *name, const char *source);
/* Frees it; NULL is a no-op. */
void wl_network_destroy(wl_network *net);
/* Appends a copy of l. EM_ERR_LIMIT past WL_LAYERS_MAX, EM_ERR_NOMEM. */
em_status wl_network_add(wl_network *net, const wl_layer *l, em_diag *d);

/* Fills every unset weight / activation format with w / a; with `force`
 * overrides the ones the workload gave too (the --bits option). */
void wl_network_set_prec(wl_network *net, wl_prec w, wl_prec a, bool force);

#endif
