/*
 * cm_energy.h - energy per operation, from tables with provenance.
 *
 * A table is a CSV data file with the header
 *     op, type, bits, capacity_bytes, energy_pj, source
 *   op:   mult | add | sram_read | sram_write | dram_read | dram_write | reg
 *   type: int | fp   (arithmetic rows); sram | dram | reg (memory rows)
 *   bits: operand width for arithmetic; access width for memory rows
 *   capacity_bytes: memory rows only (SRAM size), else empty
 *   energy_pj: per operation, or per access of `bits` bits
 *   source: where the number comes from (free text, may be quoted)
 * The default table is the study book's 45 nm table (Horowitz, ISSCC 2014),
 * shipped as costmodel/energy/horowitz45.csv and embedded in the library.
 *
 * Widths a table lacks come from the rows of the same op and type: between
 * two rows the energy is interpolated linearly in N (an adder) or in
 * N_a*N_b (a multiplier), so that it passes through every row and grows
 * with the width wherever the rows do; outside the rows' range it is
 * scaled from the nearest (widest or narrowest) row with N or N_a*N_b
 * (study book).  Memory energy scales with access bits, and SRAM between
 * two capacities log-linearly in capacity.  Each lookup says whether it was
 * interpolated or scaled and from which rows.
 *
 * Several tables may be merged (cm_energy_tables_load): read in order, a
 * later table's row replaces an earlier row of the same op, type, bits and
 * capacity, and every row keeps its source and the file it came from.
 */
#ifndef CM_ENERGY_H
#define CM_ENERGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"

typedef enum {
  CM_OP_MULT,
  CM_OP_ADD,
  CM_OP_SRAM_READ,
  CM_OP_SRAM_WRITE,
  CM_OP_DRAM_READ,
  CM_OP_DRAM_WRITE,
  CM_OP_REG
} cm_op;

typedef struct {
  cm_op op;
  bool fp;
  uint32_t bits;
  uint64_t capacity_bytes;
  double energy_pj;
  char source[256];
  const char *file; /* the table file it was read from (owned by its table) */
  uint64_t line;    /* in that file */
} cm_energy_row;

typedef struct cm_energy_table cm_energy_table;

/* Result of a lookup: energy, and how it was obtained. */
typedef struct {
  double energy_pj;
  bool scaled;               /* not an exact row */
  const cm_energy_row *from; /* the row it came from (the narrower if interpolated) */
  char note[160];            /* "int4 mult scaled from int8 mult by N_a*N_b (x0.25)",
                                "int16 add interpolated between int8 add and int32 add
                                linearly in N (0.3333 of the way)" */
} cm_energy_value;

/* Loads a table file; errors give path:line:col. */
em_status cm_energy_table_load(const char *path, cm_energy_table **out, em_diag *d);
/* The embedded default (Horowitz 45 nm). */
em_status cm_energy_table_default(cm_energy_table **out, em_diag *d);
/* The tables paths[0 .. n) merged in order (a repeated --energy-table): a
 * later table's row replaces an earlier row of the same op, type, bits and
 * capacity, in its place; other rows are added after the earlier table's.
 * Each row keeps its source, file and line.  The name is the paths joined
 * by " + ".  n == 0: the default table.  A table's error names its file.
 * Rows of other widths and sizes are all kept: two tables that both give
 * SRAM rows interleave their capacities, so give the SRAM rows in one. */
em_status cm_energy_tables_load(const char *const *paths, size_t n, cm_energy_table **out,
                                em_diag *d);
void cm_energy_table_destroy(cm_energy_table *t);
/* Name shown in reports: the path, "a.csv + b.csv" for merged tables, or
 * "builtin:horowitz45". */
const char *cm_energy_table_name(const cm_energy_table *t);
/* The table's rows, in its order (n: their count). */
const cm_energy_row *cm_energy_table_rows(const cm_energy_table *t, size_t *n);
/* A row's op and type as a table file names them: "mult", "fp"; "sram_read",
 * "sram". */
const char *cm_energy_op_name(cm_op op);
const char *cm_energy_row_type(const cm_energy_row *r);

/* Multiplier of an a_bits x b_bits product (int or fp). */
em_status cm_energy_mult(const cm_energy_table *t, bool fp, unsigned a_bits,
                         unsigned b_bits, cm_energy_value *out, em_diag *d);
/* Adder of `bits`. */
em_status cm_energy_add(const cm_energy_table *t, bool fp, unsigned bits,
                        cm_energy_value *out, em_diag *d);
/* One access of `access_bits` to an SRAM of `capacity_bytes` (read or write
 * op), or to DRAM (capacity ignored).  64 bits wide: a bit-serial slice is
 * Dm x Dk bits, up to 65536 x 65536 = 2^32, one past what 32 bits hold. */
em_status cm_energy_mem(const cm_energy_table *t, cm_op op, uint64_t capacity_bytes,
                        uint64_t access_bits, cm_energy_value *out, em_diag *d);

/* A copy of t with DRAM priced at pj_per_bit per bit moved: its dram_read
 * and dram_write rows (a DRAM access costs per bit, so a 64-bit row prices
 * every width) become one 64-bit row each, of 64 x pj_per_bit pJ, their
 * source `source`; every other row is t's.  Its name is t's with ", DRAM at
 * X pJ/bit".  pj_per_bit must be finite, >= 0 and at most what a table row
 * may hold over 64 bits (EM_ERR_RANGE). */
em_status cm_energy_table_dram_at(const cm_energy_table *t, double pj_per_bit,
                                  const char *source, cm_energy_table **out, em_diag *d);

/* A published DRAM energy per bit moved, the interface's as a whole (I/O,
 * array, refresh share), with its source. */
typedef struct {
  const char *memory;  /* "LPDDR4" */
  double pj_per_bit;
  const char *source;
} cm_dram_price;

/* Published DRAM energies per bit, in increasing order: HBM2 3.9, LPDDR4 8,
 * GDDR5 14 and DDR3 70 (Accelergy's CACTI plug-in, as the project's
 * reference list quotes it; costmodel/README.md), and
 * Horowitz's 45 nm DRAM access at both ends of its 1300-2600 pJ per 64 bits
 * (20.3125 and 40.625, the default table's being the low end).  n: their
 * count. */
const cm_dram_price *cm_dram_prices(size_t *n);

#endif
