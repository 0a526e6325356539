/*
 * sa_energy.c - energy of a systolic-array layer from its event counts
 * (sa_model.h): MACs x energy per MAC at the layer's widths (cm_cost), SRAM
 * and DRAM accesses x energy per access from the energy table (cm_energy),
 * each SRAM at its own capacity.  Units: pJ.
 *
 * The counts are SCALE-Sim's, one operand a word; here each becomes the
 * memory words it moves:
 *  - an operand wider than a word takes ceil(bits / word bits) of them
 *    (sa_operand_words; an int16 in 1-byte words takes two), one narrower
 *    takes one, or a share of one when packed (cfg->pack_narrow, two int4
 *    to a byte);
 *  - activations, ifmap and ofmap, at the activation width, weights at the
 *    weight width;
 *  - partial sums at the accumulator width.  ws and is run the window in
 *    row folds and write every fold's sums out (SCALE-Sim's ofmap counts
 *    hold them: ceil(W / R) x the outputs); all but the last fold's are
 *    partial, cm_cost's ceil(w + a + log2 K) bits wide (the width its
 *    accumulate is charged at; 26 at int8 with K = 1024, 4 bytes, the RTL
 *    PE's 32-bit accumulator), and each is read back once, into the top of
 *    the column that adds the next fold to it: from the ofmap SRAM, and from
 *    DRAM where the write buffer drained it there (the DRAM writes beyond
 *    the layer's outputs, at most the partial sums).  The reads fill no
 *    SCALE-Sim counter; the os dataflow accumulates in place and has none.
 */
#include <math.h>
#include <string.h>

#include "cm_cost.h"
#include "cm_energy.h"
#include "em_checked.h"
#include "sa_model.h"

/* Accesses charged for `count` operands of `bits` each in words of
 * `word_bits`: sa_operand_words each when wider, packed when asked and
 * narrower, else one word each.  False if the count overflows. */
static bool words(const sa_config *cfg, uint64_t count, unsigned bits, uint64_t *out) {
  unsigned word_bits = cfg->word_bytes * 8;
  if (bits > word_bits) return em_mul_u64(count, sa_operand_words(cfg, bits), out);
  if (!cfg->pack_narrow || bits == word_bits || bits == 0) {
    *out = count;
    return true;
  }
  unsigned per_word = word_bits / bits;
  *out = count / per_word + (count % per_word != 0);
  return true;
}

em_status sa_layer_energy(const sa_config *cfg, const wl_layer *l, const sa_layer_stats *s,
                          const struct cm_energy_table *t, sa_energy *out, em_diag *d) {
  memset(out, 0, sizeof *out);
  if (s->macs == 0) return EM_OK;
  cm_layer_cost c;
  em_status st = cm_layer_cost_compute(l, t, &c, d);
  if (st != EM_OK) return st;
  out->compute_pj = (double)s->macs * (c.mult_pj + c.add_pj);
  out->bops = c.bops;
  unsigned word_bits = cfg->word_bytes * 8;
  unsigned wb = l->w.bits, ab = l->a.bits;
  /* Partial sums: the ofmap writes beyond the outputs, in ws and is (os
   * adds its extra R + C writes a fold, SCALE-Sim's count, at the output
   * width: they are no sums). */
  uint64_t outputs = 0;
  const uint64_t fo[3] = {s->npx, s->filters, s->groups ? s->groups : 1};
  bool ok = em_mul_n_u64(fo, 3, &outputs);
  if (ok && cfg->dataflow != SA_OS && s->ofmap_sram_writes > outputs) {
    out->psum_sram = s->ofmap_sram_writes - outputs;
    uint64_t beyond = s->ofmap_dram_writes > outputs ? s->ofmap_dram_writes - outputs : 0;
    out->psum_dram = beyond < out->psum_sram ? beyond : out->psum_sram;
    out->psum_bits = (unsigned)ceil(c.acc_bits);
  }
  /* Ofmap words hold activations of the next layer, or partial sums. */
  uint64_t ifr = 0, flr = 0, ofw = 0, psr = 0, ifd = 0, fld = 0, ofd = 0, psd = 0;
  ok = ok && words(cfg, s->ifmap_sram_reads, ab, &ifr) &&
       words(cfg, s->filter_sram_reads, wb, &flr) &&
       words(cfg, s->ofmap_sram_writes - out->psum_sram, ab, &ofw) &&
       words(cfg, out->psum_sram, out->psum_bits, &psr) &&
       words(cfg, s->ifmap_dram_reads, ab, &ifd) && words(cfg, s->filter_dram_reads, wb, &fld) &&
       words(cfg, s->ofmap_dram_writes - out->psum_dram, ab, &ofd) &&
       words(cfg, out->psum_dram, out->psum_bits, &psd);
  /* sums of at most 6 counts each below 2^64 / 4 (32-bit operands in
   * 1-byte words): checked all the same */
  uint64_t sw = 0, dw = 0;
  const uint64_t sram_parts[4] = {ifr, flr, ofw, psr}, dram_parts[4] = {ifd, fld, ofd, psd};
  for (int i = 0; ok && i < 4; i++)
    ok = em_add_u64(sw, sram_parts[i], &sw) && em_add_u64(dw, dram_parts[i], &dw);
  ok = ok && em_add_u64(sw, psr, &sw) && em_add_u64(dw, psd, &dw); /* the read-backs */
  if (!ok)
    return em_diag_set(d, EM_ERR_OVERFLOW, NULL, l->src_line, 0,
                       "layer '%s': its memory words overflow 64 bits", l->name);
  cm_energy_value e_if, e_fl, e_of, e_or, e_dr, e_dw;
  if ((st = cm_energy_mem(t, CM_OP_SRAM_READ, cfg->ifmap_sram_kb * 1024, word_bits, &e_if, d)) ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, cfg->filter_sram_kb * 1024, word_bits, &e_fl, d)) ||
      (st = cm_energy_mem(t, CM_OP_SRAM_WRITE, cfg->ofmap_sram_kb * 1024, word_bits, &e_of, d)) ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, cfg->ofmap_sram_kb * 1024, word_bits, &e_or, d)) ||
      (st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, word_bits, &e_dr, d)) ||
      (st = cm_energy_mem(t, CM_OP_DRAM_WRITE, 0, word_bits, &e_dw, d)))
    return st;
  out->sram_pj = (double)ifr * e_if.energy_pj + (double)flr * e_fl.energy_pj +
                 (double)(ofw + psr) * e_of.energy_pj + (double)psr * e_or.energy_pj;
  out->dram_pj = (double)(ifd + fld) * e_dr.energy_pj + (double)(ofd + psd) * e_dw.energy_pj +
                 (double)psd * e_dr.energy_pj;
  out->total_pj = out->compute_pj + out->sram_pj + out->dram_pj;
  out->sram_words = sw;
  out->dram_words = dw;
  return EM_OK;
}
