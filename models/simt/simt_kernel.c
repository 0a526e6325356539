/*
 * simt_kernel.c - the opcode table, program building, and the immediate
 * post-dominator analysis that places each branch's reconvergence point.
 *
 * Post-dominators: the iterative data-flow solution on the control-flow graph
 * with one virtual exit node (Cooper, Harvey & Kennedy's formulation, with bit
 * sets; programs are at most SIMT_PROG_MAX instructions).  The immediate
 * post-dominator of a branch is its nearest strict post-dominator: the one
 * with the largest post-dominator set, since post-dominators form a chain.
 */
#include "simt_kernel.h"

#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  simt_unit unit;
  simt_class cls;
} op_table[SIMT_OP_COUNT] = {
#define SIMT_OP_ROW(name, unit, cls) {#name, SIMT_UNIT_##unit, SIMT_CLASS_##cls},
    SIMT_OP_MAP(SIMT_OP_ROW)
#undef SIMT_OP_ROW
};

const char *simt_op_name(simt_op op) { return op < SIMT_OP_COUNT ? op_table[op].name : "?"; }
simt_unit simt_op_unit(simt_op op) { return op_table[op].unit; }
simt_class simt_op_class(simt_op op) { return op_table[op].cls; }

const char *simt_class_name(simt_class c) {
  static const char *const names[SIMT_CLASS_COUNT] = {
      "fp32", "int", "fp16", "fp64", "sfu", "tensor", "global_ld", "global_st",
      "shared_ld", "shared_st", "control"};
  return c < SIMT_CLASS_COUNT ? names[c] : "?";
}

bool simt_op_from_sass(const char *name, simt_op *out) {
  char base[32];
  size_t i = 0;
  while (name[i] && name[i] != '.' && i + 1 < sizeof base) {
    base[i] = name[i];
    i++;
  }
  base[i] = '\0';
  for (int op = 0; op < SIMT_OP_COUNT; op++)
    if (strcmp(base, op_table[op].name) == 0) {
      *out = (simt_op)op;
      return true;
    }
  /* Other SASS opcodes, by the unit that runs them (Volta/Ampere SASS). */
  static const struct { const char *sass; simt_op op; } more[] = {
      {"FSEL", SIMT_OP_FADD}, {"FSET", SIMT_OP_FSETP}, {"FCHK", SIMT_OP_FSETP},
      {"FRND", SIMT_OP_FADD}, {"F2F", SIMT_OP_FADD}, {"F2I", SIMT_OP_FADD},
      {"I2F", SIMT_OP_FADD}, {"FSWZADD", SIMT_OP_FADD},
      {"IADD3", SIMT_OP_IADD}, {"IABS", SIMT_OP_IADD}, {"IMNMX", SIMT_OP_IADD},
      {"LEA", SIMT_OP_IADD}, {"LOP", SIMT_OP_IADD}, {"LOP3", SIMT_OP_IADD},
      {"SHF", SIMT_OP_IADD}, {"SHL", SIMT_OP_IADD}, {"SHR", SIMT_OP_IADD},
      {"SEL", SIMT_OP_MOV}, {"SGXT", SIMT_OP_IADD}, {"PRMT", SIMT_OP_MOV},
      {"POPC", SIMT_OP_IADD}, {"FLO", SIMT_OP_IADD}, {"BMSK", SIMT_OP_IADD},
      {"IMUL", SIMT_OP_IMAD}, {"IMAD", SIMT_OP_IMAD}, {"IDP", SIMT_OP_IMAD},
      {"PLOP3", SIMT_OP_ISETP}, {"PSETP", SIMT_OP_ISETP}, {"P2R", SIMT_OP_MOV},
      {"R2P", SIMT_OP_MOV}, {"S2R", SIMT_OP_MOV}, {"CS2R", SIMT_OP_MOV},
      {"S2UR", SIMT_OP_MOV}, {"R2UR", SIMT_OP_MOV}, {"VOTE", SIMT_OP_MOV},
      {"VOTEU", SIMT_OP_MOV}, {"MATCH", SIMT_OP_SHFL}, {"REDUX", SIMT_OP_SHFL},
      {"HADD2", SIMT_OP_HFMA2}, {"HMUL2", SIMT_OP_HFMA2}, {"HSETP2", SIMT_OP_HFMA2},
      {"HMNMX2", SIMT_OP_HFMA2},
      {"DADD", SIMT_OP_DFMA}, {"DMUL", SIMT_OP_DFMA}, {"DSETP", SIMT_OP_DFMA},
      {"IMMA", SIMT_OP_HMMA}, {"BMMA", SIMT_OP_HMMA}, {"DMMA", SIMT_OP_HMMA},
      {"LD", SIMT_OP_LDG}, {"LDL", SIMT_OP_LDG}, {"LDC", SIMT_OP_MOV},
      {"ULDC", SIMT_OP_MOV}, {"ST", SIMT_OP_STG}, {"STL", SIMT_OP_STG},
      {"ATOM", SIMT_OP_STG}, {"ATOMG", SIMT_OP_STG}, {"RED", SIMT_OP_STG},
      {"ATOMS", SIMT_OP_STS}, {"LDSM", SIMT_OP_LDS}, {"LDGSTS", SIMT_OP_LDG},
      {"BRX", SIMT_OP_BRA}, {"JMP", SIMT_OP_BRA}, {"JMX", SIMT_OP_BRA},
      {"CALL", SIMT_OP_BRA}, {"RET", SIMT_OP_BRA}, {"BSSY", SIMT_OP_NOP},
      {"BSYNC", SIMT_OP_NOP}, {"WARPSYNC", SIMT_OP_NOP}, {"BMOV", SIMT_OP_MOV},
      {"YIELD", SIMT_OP_NOP}, {"MEMBAR", SIMT_OP_NOP}, {"DEPBAR", SIMT_OP_NOP},
      {"ERRBAR", SIMT_OP_NOP}, {"CCTL", SIMT_OP_NOP}, {"NANOSLEEP", SIMT_OP_NOP},
      {"BPT", SIMT_OP_NOP}, {"KILL", SIMT_OP_EXIT}, {"RTT", SIMT_OP_NOP},
      {"UIADD3", SIMT_OP_IADD}, {"UMOV", SIMT_OP_MOV}, {"ULOP3", SIMT_OP_IADD},
      {"USHF", SIMT_OP_IADD}, {"UISETP", SIMT_OP_ISETP}, {"USEL", SIMT_OP_MOV},
      {"ULEA", SIMT_OP_IADD}, {"UIMAD", SIMT_OP_IMAD}, {"UPOPC", SIMT_OP_IADD},
      /* Maxwell and Pascal SASS (Accel-Sim traces of binary versions 5x and 6x) */
      {"XMAD", SIMT_OP_IMAD}, {"ISCADD", SIMT_OP_IADD}, {"BFE", SIMT_OP_IADD},
      {"BFI", SIMT_OP_IADD}, {"LOP32I", SIMT_OP_IADD}, {"IADD32I", SIMT_OP_IADD},
      {"ICMP", SIMT_OP_IADD}, {"ISET", SIMT_OP_ISETP}, {"I2I", SIMT_OP_IADD},
      {"FADD32I", SIMT_OP_FADD}, {"FMUL32I", SIMT_OP_FMUL}, {"FFMA32I", SIMT_OP_FFMA},
      {"FCMP", SIMT_OP_FADD}, {"RRO", SIMT_OP_FADD}, {"F2FP", SIMT_OP_FADD},
      {"MOV32I", SIMT_OP_MOV}, {"ISBERD", SIMT_OP_MOV}, {"QSPC", SIMT_OP_NOP},
      {"SSY", SIMT_OP_NOP}, {"SYNC", SIMT_OP_NOP}, {"PBK", SIMT_OP_NOP},
      {"BRK", SIMT_OP_NOP}, {"PCNT", SIMT_OP_NOP}, {"CONT", SIMT_OP_NOP},
      {"CAL", SIMT_OP_BRA}, {"PRET", SIMT_OP_NOP},
      {"TEX", SIMT_OP_LDG}, {"TEXS", SIMT_OP_LDG}, {"TLD", SIMT_OP_LDG},
      {"TLDS", SIMT_OP_LDG}, {"TLD4", SIMT_OP_LDG}, {"STSM", SIMT_OP_STS},
  };
  for (size_t j = 0; j < sizeof more / sizeof more[0]; j++)
    if (strcmp(base, more[j].sass) == 0) {
      *out = more[j].op;
      return true;
    }
  return false;
}

void simt_kernel_init(simt_kernel *k, const char *name) {
  memset(k, 0, sizeof *k);
  size_t n = strlen(name);
  if (n >= sizeof k->name) n = sizeof k->name - 1;
  memcpy(k->name, name, n);
  k->grid[0] = k->grid[1] = k->grid[2] = 1;
}

void simt_kernel_free(simt_kernel *k) {
  if (!k) return;
  free(k->prog);
  if (k->free_owned) k->free_owned(k->owned);
  else free(k->owned);
  k->owned = NULL;
  k->free_owned = NULL;
  k->prog = NULL;
  k->n_inst = k->cap = 0;
}

simt_inst *simt_emit(simt_kernel *k, simt_op op, uint16_t dst, uint16_t s0, uint16_t s1,
                     uint16_t s2) {
  if (k->n_inst >= SIMT_PROG_MAX) return NULL;
  if (k->n_inst == k->cap) {
    uint32_t cap = k->cap ? k->cap * 2 : 32;
    simt_inst *p = realloc(k->prog, cap * sizeof *p);
    if (!p) return NULL;
    k->prog = p;
    k->cap = cap;
  }
  simt_inst *in = &k->prog[k->n_inst];
  memset(in, 0, sizeof *in);
  in->h.op = (uint8_t)op;
  in->h.dst = dst;
  in->h.src[0] = s0;
  in->h.src[1] = s1;
  in->h.src[2] = s2;
  in->h.nsrc = (uint8_t)((s0 != SIMT_REG_NONE) + (s1 != SIMT_REG_NONE) + (s2 != SIMT_REG_NONE));
  if (op == SIMT_OP_LDG || op == SIMT_OP_STG) in->h.space = SIMT_SPACE_GLOBAL;
  if (op == SIMT_OP_LDS || op == SIMT_OP_STS) in->h.space = SIMT_SPACE_SHARED;
  in->h.width = 4;
  in->next = k->n_inst + 1;
  in->reconv = SIMT_PC_EXIT;
  k->n_inst++;
  return in;
}

/* Successors of instruction i; n_inst stands for the virtual exit. */
static int succs(const simt_kernel *k, uint32_t i, uint32_t out[2]) {
  const simt_inst *in = &k->prog[i];
  if (in->h.op == SIMT_OP_EXIT) {
    out[0] = k->n_inst;
    return 1;
  }
  if (in->h.op == SIMT_OP_BRA) {
    if (in->cond == SIMT_COND_ALWAYS) {
      out[0] = in->target;
      return 1;
    }
    out[0] = in->next;
    out[1] = in->target;
    return 2;
  }
  out[0] = in->next == SIMT_PC_EXIT ? k->n_inst : in->next;
  return 1;
}

em_status simt_program_finalize(simt_kernel *k, em_diag *d) {
  uint32_t n = k->n_inst;
  if (n == 0) return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "kernel '%s' is empty", k->name);
  for (uint32_t i = 0; i < n; i++) {
    const simt_inst *in = &k->prog[i];
    uint32_t s[2];
    int ns = succs(k, i, s);
    for (int j = 0; j < ns; j++)
      if (s[j] > n || (s[j] == n && in->h.op != SIMT_OP_EXIT && in->next != SIMT_PC_EXIT))
        return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                           "kernel '%s': instruction %u (%s) leaves the program", k->name, i,
                           simt_op_name((simt_op)in->h.op));
    if (in->h.dst != SIMT_REG_NONE && in->h.dst >= k->regs_per_thread)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                         "kernel '%s': instruction %u writes r%u, past %u registers", k->name,
                         i, in->h.dst, k->regs_per_thread);
    for (int j = 0; j < 3; j++)
      if (in->h.src[j] != SIMT_REG_NONE && in->h.src[j] >= k->regs_per_thread)
        return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0,
                           "kernel '%s': instruction %u reads r%u, past %u registers", k->name,
                           i, in->h.src[j], k->regs_per_thread);
    if (in->h.op == SIMT_OP_BRA && in->cond == SIMT_COND_LOOP && in->loop_id >= SIMT_LOOPS)
      return em_diag_set(d, EM_ERR_INVALID, NULL, 0, 0, "kernel '%s': loop counter %u",
                         k->name, in->loop_id);
  }
  /* Post-dominator bit sets over n + 1 nodes. */
  size_t words = (n + 1 + 63) / 64;
  uint64_t *pd = malloc((size_t)(n + 1) * words * sizeof *pd);
  if (!pd) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (uint32_t i = 0; i < n; i++) memset(pd + (size_t)i * words, 0xFF, words * sizeof *pd);
  memset(pd + (size_t)n * words, 0, words * sizeof *pd);
  pd[(size_t)n * words + n / 64] |= 1ull << (n % 64);
  bool changed = true;
  while (changed) {
    changed = false;
    for (uint32_t ii = n; ii-- > 0;) {
      uint64_t *me = pd + (size_t)ii * words;
      uint32_t s[2];
      int ns = succs(k, ii, s);
      for (size_t w = 0; w < words; w++) {
        uint64_t v = pd[(size_t)s[0] * words + w];
        if (ns == 2) v &= pd[(size_t)s[1] * words + w];
        if (w == ii / 64) v |= 1ull << (ii % 64);
        if (v != me[w]) {
          me[w] = v;
          changed = true;
        }
      }
    }
  }
  for (uint32_t b = 0; b < n; b++) {
    simt_inst *in = &k->prog[b];
    if (in->h.op != SIMT_OP_BRA) continue;
    const uint64_t *me = pd + (size_t)b * words;
    uint32_t best = SIMT_PC_EXIT;
    int best_size = -1;
    for (uint32_t p = 0; p < n; p++) {
      if (p == b || !(me[p / 64] >> (p % 64) & 1)) continue;
      int size = 0;
      for (size_t w = 0; w < words; w++) size += __builtin_popcountll(pd[(size_t)p * words + w]);
      if (size > best_size) {
        best_size = size;
        best = p;
      }
    }
    in->reconv = best;
  }
  free(pd);
  return EM_OK;
}
