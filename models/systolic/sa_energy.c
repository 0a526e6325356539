/*
 * sa_energy.c - energy of a systolic-array layer from its event counts
 * (sa_model.h): MACs x energy per MAC at the layer's widths (cm_cost), SRAM
 * and DRAM accesses x energy per access from the energy table (cm_energy),
 * each SRAM at its own capacity.  Units: pJ.
 */
#include <string.h>

#include "cm_cost.h"
#include "cm_energy.h"
#include "em_checked.h"
#include "sa_model.h"

/* Accesses charged for `count` operands of `bits` each in words of
 * `word_bits`: packed when asked and narrower, else one word each. */
static uint64_t words(const sa_config *cfg, uint64_t count, unsigned bits) {
  unsigned word_bits = cfg->word_bytes * 8;
  if (!cfg->pack_narrow || bits >= word_bits || bits == 0) return count;
  unsigned per_word = word_bits / bits;
  return count / per_word + (count % per_word != 0);
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
  /* Ofmap words hold activations of the next layer. */
  uint64_t ifr = words(cfg, s->ifmap_sram_reads, ab), flr = words(cfg, s->filter_sram_reads, wb);
  uint64_t ofw = words(cfg, s->ofmap_sram_writes, ab);
  uint64_t ifd = words(cfg, s->ifmap_dram_reads, ab), fld = words(cfg, s->filter_dram_reads, wb);
  uint64_t ofd = words(cfg, s->ofmap_dram_writes, ab);
  cm_energy_value e_if, e_fl, e_of, e_dr, e_dw;
  if ((st = cm_energy_mem(t, CM_OP_SRAM_READ, cfg->ifmap_sram_kb * 1024, word_bits, &e_if, d)) ||
      (st = cm_energy_mem(t, CM_OP_SRAM_READ, cfg->filter_sram_kb * 1024, word_bits, &e_fl, d)) ||
      (st = cm_energy_mem(t, CM_OP_SRAM_WRITE, cfg->ofmap_sram_kb * 1024, word_bits, &e_of, d)) ||
      (st = cm_energy_mem(t, CM_OP_DRAM_READ, 0, word_bits, &e_dr, d)) ||
      (st = cm_energy_mem(t, CM_OP_DRAM_WRITE, 0, word_bits, &e_dw, d)))
    return st;
  out->sram_pj = (double)ifr * e_if.energy_pj + (double)flr * e_fl.energy_pj +
                 (double)ofw * e_of.energy_pj;
  out->dram_pj = (double)(ifd + fld) * e_dr.energy_pj + (double)ofd * e_dw.energy_pj;
  out->total_pj = out->compute_pj + out->sram_pj + out->dram_pj;
  out->sram_words = ifr + flr + ofw;
  out->dram_words = ifd + fld + ofd;
  return EM_OK;
}
