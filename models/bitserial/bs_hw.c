/*
 * bs_hw.c - the BISMO bit-serial array's entry in the hardware-model table
 * (hw_model.h): Dm x Dk x Dn at 200 MHz by default (BISMO's published
 * instance, bs_config_bismo), a layer through bs_layer and bs_layer_energy.
 */
#include <stdlib.h>
#include <string.h>

#include "bs_array.h"
#include "hw_model.h"

enum { K_DM, K_DK, K_DN, K_FREQ, K_COUNT };

static const hw_key keys[K_COUNT] = {
    [K_DM] = {"dm", "DPUs", HW_KEY_INT, 1, 65536, "8", NULL, "dot-product unit rows (Dm)"},
    [K_DK] = {"dk", "bits", HW_KEY_INT, 1, 65536, "256", NULL, "bits per dot-product slice (Dk)"},
    [K_DN] = {"dn", "DPUs", HW_KEY_INT, 1, 65536, "8", NULL, "dot-product unit columns (Dn)"},
    [K_FREQ] = {"freq_mhz", "MHz", HW_KEY_REAL, 1, 100000, "200", NULL, "array clock"},
};

static const char *refuses(wl_prec w, wl_prec a) {
  if (w.fp || a.fp) return "bit planes of integers only";
  if (w.bits > 32 || a.bits > 32) return "integers up to 32 bits";
  return NULL;
}

static void init(void *cfg) { *(bs_config *)cfg = bs_config_bismo(); }

static em_status set(void *cfg, size_t k, const char *v, em_diag *d) {
  bs_config *c = cfg;
  uint32_t x = (uint32_t)strtoul(v, NULL, 10); /* checked by hw_key_check */
  switch (k) {
  case K_DM: c->dm = x; break;
  case K_DK: c->dk = x; break;
  case K_DN: c->dn = x; break;
  case K_FREQ: c->freq_mhz = strtod(v, NULL); break;
  }
  return EM_OK;
}

static em_status check(const void *cfg, em_diag *d) { return bs_config_validate(cfg, d); }

static double freq_mhz(const void *cfg) { return ((const bs_config *)cfg)->freq_mhz; }

static em_status run_layer(const void *cfg, void *state, const cm_energy_table *t,
                           const wl_layer *l, hw_result *r, void *detail, em_diag *d) {
  const bs_config *c = cfg;
  bs_stats s;
  bs_energy e;
  em_status st = bs_layer(c, l, &s, d);
  if (st != EM_OK || !s.total_cycles) return st;
  if ((st = bs_layer_energy(c, &s, t, &e, d)) != EM_OK) return st;
  if (detail) *(bs_stats *)detail = s;
  r->ran = true;
  r->cycles = s.total_cycles;
  r->energy_pj[HW_E_COMPUTE] = e.compute_pj;
  r->energy_pj[HW_E_SRAM] = e.sram_pj;
  r->energy_pj[HW_E_DRAM] = e.dram_pj;
  r->ops = (double)s.binary_ops;
  r->ops_unit = "binary op";
  r->utilization_pct = s.utilization_pct;
  r->sram_bytes = (s.sram_read_bits + s.sram_write_bits) / 8;
  r->dram_bytes = (s.dram_read_bits + s.dram_write_bits) / 8;
  return EM_OK;
}

const hw_model hw_bitserial = {
    .name = "bitserial",
    .summary = "a BISMO bit-serial matrix array (AND + popcount over bit planes)",
    .keys = keys,
    .nkeys = K_COUNT,
    .refuses = refuses,
    .default_prec = {8, false},
    .config_size = sizeof(bs_config),
    .init = init,
    .set = set,
    .check = check,
    .run_layer = run_layer,
    .freq_mhz = freq_mhz,
};
