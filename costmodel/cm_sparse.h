/*
 * cm_sparse.h - sparse storage formats, their exact storage, and sparsity
 * patterns (random, N:M, block, channel, magnitude pruning).
 *
 * A pattern is a rows x cols matrix of flags (1 = non-zero), row-major: rows
 * are output channels (filters, GEMM N), columns the reduction dimension (the
 * window R*S*C, GEMM K), as a weight matrix W^T is stored for SpMM.
 *
 * Storage is counted in units (one stored value, index or pointer each; the
 * study book's CSR example: 8 values + 8 column indices + 5 row pointers = 21
 * units for a 4 x 4 matrix with 8 non-zeros, against 16 dense) and in bits
 * (values at value_bits, indices at the fewest bits that address their
 * range, unless index_bits is given).
 *
 *   dense     R*C values
 *   mask      R*C values: zeros are stored and computed (a pruning mask
 *             applied to dense weights), no metadata
 *   csr       nnz values, nnz column indices, R+1 row pointers
 *   csc       nnz values, nnz row indices, C+1 column pointers
 *   coo       nnz values, nnz row and nnz column indices
 *   bsr       b x b blocks with any non-zero: nb*b*b values, nb block-column
 *             indices, ceil(R/b)+1 block-row pointers
 *   nm        N:M (N kept in every M consecutive columns): R*ceil(C/M)*N
 *             values and as many log2(M)-bit positions; a pattern with more
 *             than N non-zeros in a group is refused
 *   bitmap    nnz values and R*C one-bit flags
 *   rle       row-major stream of non-zeros, each with the run of zeros
 *             before it in run_bits bits; a run longer than 2^run_bits - 1
 *             stores explicit zero values (Sparseloop's RLE)
 *   channel   rows with any non-zero kept whole: a smaller dense layer
 *
 * Sparseloop (Wu et al., MICRO 2022) describes formats per rank; the
 * per-rank rules (cm_rank_occupancy) reproduce its occupancy: UOP keeps
 * F*(S+1) offsets for F fibers of size S, CP and RLE one coordinate (or run)
 * per non-empty element, B a bit per element of every fiber, U nothing.
 * CSR is UOP-CP, bitmap U-B, COO-like CP-CP.
 */
#ifndef CM_SPARSE_H
#define CM_SPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

#define CM_SPARSE_FORMAT_MAP(X)                                   \
  X(DENSE, "dense", "every value")                               \
  X(MASK, "mask", "dense values with zeros, no metadata")        \
  X(CSR, "csr", "compressed sparse rows")                        \
  X(CSC, "csc", "compressed sparse columns")                     \
  X(COO, "coo", "coordinate list")                               \
  X(BSR, "bsr", "block sparse rows, b x b blocks")               \
  X(NM, "nm", "N:M structured (2:4 ...)")                        \
  X(BITMAP, "bitmap", "non-zeros and a bit per element")         \
  X(RLE, "rle", "non-zeros and the zero run before each")        \
  X(CHANNEL, "channel", "whole rows pruned: a smaller dense layer")

typedef enum {
#define CM_SPARSE_ENUM(n, s, h) CM_FMT_##n,
  CM_SPARSE_FORMAT_MAP(CM_SPARSE_ENUM)
#undef CM_SPARSE_ENUM
  CM_FMT_COUNT
} cm_sparse_format;

typedef struct {
  cm_sparse_format fmt;
  uint32_t block;      /* bsr: b (default 4) */
  uint32_t n, m;       /* nm: N of M (default 2:4) */
  uint32_t value_bits; /* default 8 */
  uint32_t index_bits; /* 0: the fewest bits for the range */
  uint32_t run_bits;   /* rle: default 4 */
} cm_sparse_spec;

typedef struct {
  uint64_t payload;       /* stored values (units) */
  uint64_t metadata;      /* indices, pointers, flags, runs (units) */
  uint64_t payload_bits, metadata_bits;
  uint64_t bytes;         /* ceil(all bits / 8) */
  uint64_t nnz;           /* non-zeros of the pattern */
} cm_sparse_storage;

const char *cm_sparse_format_name(cm_sparse_format f);
/* The sizes cm_sparse_spec_parse takes: a bsr block of 1 to
 * CM_SPARSE_BSR_MAX, an N:M group of 1 <= N < M <= CM_SPARSE_NM_MAX. */
#define CM_SPARSE_BSR_MAX 256
#define CM_SPARSE_NM_MAX 64
/* Parses "csr", "bsr4" / "bsr:8" (block), "nm" / "2:4" / "nm1:4", ...;
 * fills spec with its defaults.  Returns false if unknown or out of range. */
bool cm_sparse_spec_parse(const char *text, cm_sparse_spec *spec);
/* "csr", "bsr4", "2:4", ... */
void cm_sparse_spec_name(const cm_sparse_spec *spec, char *buf, size_t size);

/* Exact storage of a pattern in a format.  Errors: an N:M pattern violated
 * (the row and group named), sizes that overflow. */
em_status cm_sparse_storage_of(const cm_sparse_spec *spec, const uint8_t *nz, uint64_t rows,
                               uint64_t cols, cm_sparse_storage *out, em_diag *d);

/* Sparseloop per-rank formats of a two-rank tensor (rows, then columns). */
typedef enum { CM_RANK_U, CM_RANK_UOP, CM_RANK_CP, CM_RANK_RLE, CM_RANK_B } cm_rank_format;
typedef struct {
  uint64_t metadata[2]; /* units per rank (bits for B) */
  uint64_t payload;     /* values stored at the leaf */
} cm_rank_occupancy;
void cm_rank_occupancy_of(const cm_rank_format f[2], const uint8_t *nz, uint64_t rows,
                          uint64_t cols, cm_rank_occupancy *out);

/* ---- patterns (nz[rows*cols], 1 = non-zero) ---- */

/* Exactly round(s * rows * cols) zeros at uniformly random places (seeded
 * GSL mt19937). */
em_status cm_sparse_gen_random(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                               uint64_t seed, em_diag *d);
/* N of every M consecutive columns kept, chosen at random (seeded). */
em_status cm_sparse_gen_nm(uint8_t *nz, uint64_t rows, uint64_t cols, uint32_t n, uint32_t m,
                           uint64_t seed, em_diag *d);
/* round(s * blocks) of the b x b blocks zeroed at random (seeded). */
em_status cm_sparse_gen_block(uint8_t *nz, uint64_t rows, uint64_t cols, uint32_t b, double s,
                              uint64_t seed, em_diag *d);
/* round(s * rows) whole rows (channels) zeroed at random (seeded). */
em_status cm_sparse_gen_channel(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                                uint64_t seed, em_diag *d);
/* Magnitude pruning of given weights: the round(s * n) smallest |w| become
 * zero (ties in a deterministic order), n = rows * cols. */
em_status cm_sparse_prune_magnitude(const float *w, uint8_t *nz, uint64_t n, double s,
                                    em_diag *d);

/* Unstructured patterns beside the uniform one, for load balance:
 *   uniform    cm_sparse_gen_random;
 *   magnitude  magnitude pruning (cm_sparse_prune_magnitude) of synthetic
 *              trained weights: N(0, 1) times a per-row scale exp(0.5 g),
 *              g ~ N(0, 1) (filters' norms vary; Han et al., NIPS 2015,
 *              prune by magnitude), so rows of small scale lose more;
 *   skewed     row r's share of the non-zeros proportional to
 *              (rank(r) + 1)^-1 (Zipf, over a random order of the rows),
 *              capped at the row's length, the columns in a row uniform.
 * Each has exactly round(s * rows * cols) zeros (seeded). */
typedef enum { CM_PAT_UNIFORM, CM_PAT_MAGNITUDE, CM_PAT_SKEWED, CM_PAT_COUNT } cm_sparse_pattern;
const char *cm_sparse_pattern_name(cm_sparse_pattern p);
/* By name ("uniform", "magnitude", "skewed"); false if unknown. */
bool cm_sparse_pattern_parse(const char *name, cm_sparse_pattern *out);
em_status cm_sparse_gen_unstructured(uint8_t *nz, uint64_t rows, uint64_t cols, double s,
                                     cm_sparse_pattern p, uint64_t seed, em_diag *d);

/* Non-zeros of a pattern. */
uint64_t cm_sparse_nnz(const uint8_t *nz, uint64_t n);

#endif
