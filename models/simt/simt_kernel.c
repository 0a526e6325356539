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

/* Names; units and classes are simt_kernel.h's inline tables. */
static const char *const op_names[SIMT_OP_COUNT] = {
#define SIMT_OP_ROW(name, unit, cls) #name,
    SIMT_OP_MAP(SIMT_OP_ROW)
#undef SIMT_OP_ROW
};

const char *simt_op_name(simt_op op) { return op < SIMT_OP_COUNT ? op_names[op] : "?"; }

const char *simt_class_name(simt_class c) {
  static const char *const names[SIMT_CLASS_COUNT] = {
      "fp32", "int", "fp16", "fp64", "sfu", "tensor", "global_ld", "global_st",
      "shared_ld", "shared_st", "control"};
  return c < SIMT_CLASS_COUNT ? names[c] : "?";
}

/* SASS opcodes by the unit that runs them.  The names are those of
 * Accel-Sim's tables (accel-sim-framework, gpu-simulator/ISA_Def/
 * pascal_opcode.h, volta_opcode.h, turing_opcode.h, ampere_opcode.h: 201
 * opcodes) and a few more of Maxwell and later; the placing is ours, on the
 * opcodes this model times:
 *   fp32 arithmetic FFMA/FADD/FMUL count flops; selects, compares and
 *     conversions (FSEL, FSET, F2F, I2F, F2IP...) run on the fp32 unit
 *     without flops (FMNMX, FSETP);
 *   fp16 (HADD2, HSET2, HMNMX2...) on the fp16 unit as HFMA2; fp64 as DFMA;
 *   integer, logic, shifts, bit fields and predicates on the integer unit;
 *     the uniform datapath (UIADD3, UPLOP3, USHL...) there too, as its
 *     integer counterpart;
 *   moves, special registers, constants and votes as MOV; shuffles,
 *     MATCH, REDUX and MOVM (a transposing move across lanes) as SHFL;
 *   tensor cores: HMMA (HMMASP when .SP), their shape from the modifiers;
 *   memory: global and local loads (LD, LDL, LDGSTS's global read, texture
 *     and surface loads) as LDG; stores and atomics as STG; shared loads
 *     (LDSM too) as LDS, shared stores and atomics as STS;
 *   branches, jumps, calls and returns as BRA; convergence barriers, warp
 *     syncs, cache controls, memory barriers, dependency barriers
 *     (DEPBAR, LDGDEPBAR) and the like take an issue slot as NOP. */
static const struct {
  const char *sass;
  simt_op op;
} sass_table[] = {
    /* fp32 */
    {"FADD", SIMT_OP_FADD}, {"FADD32I", SIMT_OP_FADD}, {"FSWZADD", SIMT_OP_FADD},
    {"FFMA", SIMT_OP_FFMA}, {"FFMA32I", SIMT_OP_FFMA},
    {"FMUL", SIMT_OP_FMUL}, {"FMUL32I", SIMT_OP_FMUL},
    {"FMNMX", SIMT_OP_FMNMX}, {"FSEL", SIMT_OP_FMNMX}, {"FRND", SIMT_OP_FMNMX},
    {"F2F", SIMT_OP_FMNMX}, {"F2I", SIMT_OP_FMNMX}, {"I2F", SIMT_OP_FMNMX},
    {"F2IP", SIMT_OP_FMNMX}, {"I2FP", SIMT_OP_FMNMX}, {"F2FP", SIMT_OP_FMNMX},
    {"RRO", SIMT_OP_FMNMX},
    {"FSETP", SIMT_OP_FSETP}, {"FSET", SIMT_OP_FSETP}, {"FCHK", SIMT_OP_FSETP},
    {"FCMP", SIMT_OP_FSETP},
    /* special functions */
    {"MUFU", SIMT_OP_MUFU},
    /* fp16 */
    {"HFMA2", SIMT_OP_HFMA2}, {"HFMA2_32I", SIMT_OP_HFMA2}, {"HADD2", SIMT_OP_HFMA2},
    {"HADD2_32I", SIMT_OP_HFMA2}, {"HMUL2", SIMT_OP_HFMA2}, {"HMUL2_32I", SIMT_OP_HFMA2},
    {"HSET2", SIMT_OP_HFMA2}, {"HSETP2", SIMT_OP_HFMA2}, {"HMNMX2", SIMT_OP_HFMA2},
    /* fp64 */
    {"DFMA", SIMT_OP_DFMA}, {"DADD", SIMT_OP_DFMA}, {"DMUL", SIMT_OP_DFMA},
    {"DSETP", SIMT_OP_DFMA}, {"DSET", SIMT_OP_DFMA}, {"DMNMX", SIMT_OP_DFMA},
    /* tensor cores */
    {"HMMA", SIMT_OP_HMMA}, {"IMMA", SIMT_OP_HMMA}, {"BMMA", SIMT_OP_HMMA},
    {"DMMA", SIMT_OP_HMMA},
    /* integer */
    {"IADD", SIMT_OP_IADD}, {"IADD3", SIMT_OP_IADD}, {"IADD32I", SIMT_OP_IADD},
    {"IABS", SIMT_OP_IADD}, {"IMNMX", SIMT_OP_IADD}, {"LEA", SIMT_OP_IADD},
    {"LOP", SIMT_OP_IADD}, {"LOP3", SIMT_OP_IADD}, {"LOP32I", SIMT_OP_IADD},
    {"SHF", SIMT_OP_IADD}, {"SHL", SIMT_OP_IADD}, {"SHR", SIMT_OP_IADD},
    {"SGXT", SIMT_OP_IADD}, {"POPC", SIMT_OP_IADD}, {"FLO", SIMT_OP_IADD},
    {"BMSK", SIMT_OP_IADD}, {"BREV", SIMT_OP_IADD}, {"BFE", SIMT_OP_IADD},
    {"BFI", SIMT_OP_IADD}, {"ICMP", SIMT_OP_IADD}, {"ISCADD", SIMT_OP_IADD},
    {"ISCADD32I", SIMT_OP_IADD}, {"I2I", SIMT_OP_IADD}, {"I2IP", SIMT_OP_IADD},
    {"VABSDIFF", SIMT_OP_IADD}, {"VABSDIFF4", SIMT_OP_IADD}, {"VADD", SIMT_OP_IADD},
    {"VMNMX", SIMT_OP_IADD},
    {"IMAD", SIMT_OP_IMAD}, {"IMADSP", SIMT_OP_IMAD}, {"IMUL", SIMT_OP_IMAD},
    {"IMUL32I", SIMT_OP_IMAD}, {"IDP", SIMT_OP_IMAD}, {"IDP4A", SIMT_OP_IMAD},
    {"XMAD", SIMT_OP_IMAD},
    {"ISETP", SIMT_OP_ISETP}, {"ISET", SIMT_OP_ISETP}, {"PSETP", SIMT_OP_ISETP},
    {"PSET", SIMT_OP_ISETP}, {"PLOP3", SIMT_OP_ISETP}, {"CSET", SIMT_OP_ISETP},
    {"CSETP", SIMT_OP_ISETP},
    /* the uniform datapath (Turing on): one value per warp */
    {"UIADD3", SIMT_OP_IADD}, {"ULOP", SIMT_OP_IADD}, {"ULOP3", SIMT_OP_IADD},
    {"ULOP32I", SIMT_OP_IADD}, {"ULEA", SIMT_OP_IADD}, {"UCLEA", SIMT_OP_IADD},
    {"USHF", SIMT_OP_IADD}, {"USHL", SIMT_OP_IADD}, {"USHR", SIMT_OP_IADD},
    {"USGXT", SIMT_OP_IADD}, {"UPOPC", SIMT_OP_IADD}, {"UFLO", SIMT_OP_IADD},
    {"UBMSK", SIMT_OP_IADD}, {"UBREV", SIMT_OP_IADD}, {"UF2FP", SIMT_OP_IADD},
    {"UIMAD", SIMT_OP_IMAD}, {"UISETP", SIMT_OP_ISETP}, {"UPSETP", SIMT_OP_ISETP},
    {"UPLOP3", SIMT_OP_ISETP}, {"UMOV", SIMT_OP_MOV}, {"USEL", SIMT_OP_MOV},
    {"UPRMT", SIMT_OP_MOV}, {"ULDC", SIMT_OP_MOV}, {"UP2UR", SIMT_OP_MOV},
    {"UR2UP", SIMT_OP_MOV}, {"R2UR", SIMT_OP_MOV}, {"S2UR", SIMT_OP_MOV},
    {"VOTEU", SIMT_OP_MOV},
    /* moves, special registers, constants, votes */
    {"MOV", SIMT_OP_MOV}, {"MOV32I", SIMT_OP_MOV}, {"SEL", SIMT_OP_MOV},
    {"PRMT", SIMT_OP_MOV}, {"P2R", SIMT_OP_MOV}, {"R2P", SIMT_OP_MOV},
    {"S2R", SIMT_OP_MOV}, {"CS2R", SIMT_OP_MOV}, {"B2R", SIMT_OP_MOV},
    {"R2B", SIMT_OP_MOV}, {"LDC", SIMT_OP_MOV}, {"VOTE", SIMT_OP_MOV},
    {"VOTE_VTG", SIMT_OP_MOV}, {"GETLMEMBASE", SIMT_OP_MOV}, {"SETLMEMBASE", SIMT_OP_MOV},
    {"SETCTAID", SIMT_OP_MOV}, {"LEPC", SIMT_OP_MOV}, {"CSMTEST", SIMT_OP_MOV},
    {"PMTRIG", SIMT_OP_MOV}, {"QSPC", SIMT_OP_MOV}, {"ISBERD", SIMT_OP_MOV},
    {"BMOV", SIMT_OP_MOV},
    /* across lanes */
    {"SHFL", SIMT_OP_SHFL}, {"MATCH", SIMT_OP_SHFL}, {"REDUX", SIMT_OP_SHFL},
    {"MOVM", SIMT_OP_SHFL},
    /* memory */
    {"LDG", SIMT_OP_LDG}, {"LD", SIMT_OP_LDG}, {"LDL", SIMT_OP_LDG},
    {"LDGSTS", SIMT_OP_LDG}, {"TEX", SIMT_OP_LDG}, {"TEXS", SIMT_OP_LDG},
    {"TLD", SIMT_OP_LDG}, {"TLDS", SIMT_OP_LDG}, {"TLD4", SIMT_OP_LDG},
    {"TLD4S", SIMT_OP_LDG}, {"TMML", SIMT_OP_LDG}, {"TXD", SIMT_OP_LDG},
    {"TXQ", SIMT_OP_LDG}, {"SULD", SIMT_OP_LDG}, {"SUQUERY", SIMT_OP_MOV},
    {"STG", SIMT_OP_STG}, {"ST", SIMT_OP_STG}, {"STL", SIMT_OP_STG},
    {"SUST", SIMT_OP_STG}, {"ATOM", SIMT_OP_ATOMG}, {"ATOMG", SIMT_OP_ATOMG},
    {"RED", SIMT_OP_RED}, {"SUATOM", SIMT_OP_ATOMG}, {"SURED", SIMT_OP_RED},
    {"LDS", SIMT_OP_LDS}, {"LDSM", SIMT_OP_LDS},
    {"STS", SIMT_OP_STS}, {"STSM", SIMT_OP_STS}, {"ATOMS", SIMT_OP_STS},
    /* control */
    {"BRA", SIMT_OP_BRA}, {"BRX", SIMT_OP_BRA}, {"BRXU", SIMT_OP_BRA},
    {"JMP", SIMT_OP_BRA}, {"JMX", SIMT_OP_BRA}, {"JMXU", SIMT_OP_BRA},
    {"CALL", SIMT_OP_BRA}, {"CAL", SIMT_OP_BRA}, {"JCAL", SIMT_OP_BRA},
    {"RET", SIMT_OP_BRA}, {"PRET", SIMT_OP_NOP}, {"RTT", SIMT_OP_BRA},
    {"BAR", SIMT_OP_BAR}, {"EXIT", SIMT_OP_EXIT}, {"KILL", SIMT_OP_EXIT},
    {"NOP", SIMT_OP_NOP}, {"BSSY", SIMT_OP_NOP}, {"BSYNC", SIMT_OP_NOP},
    {"BREAK", SIMT_OP_NOP}, {"WARPSYNC", SIMT_OP_NOP}, {"YIELD", SIMT_OP_NOP},
    {"NANOSLEEP", SIMT_OP_NOP}, {"BPT", SIMT_OP_NOP}, {"RPCMOV", SIMT_OP_NOP},
    {"SSY", SIMT_OP_NOP}, {"SYNC", SIMT_OP_NOP}, {"PBK", SIMT_OP_NOP},
    {"BRK", SIMT_OP_NOP}, {"PCNT", SIMT_OP_NOP}, {"CONT", SIMT_OP_NOP},
    {"PEXIT", SIMT_OP_NOP}, {"MEMBAR", SIMT_OP_NOP}, {"ERRBAR", SIMT_OP_NOP},
    {"DEPBAR", SIMT_OP_NOP}, {"LDGDEPBAR", SIMT_OP_NOP}, {"CCTL", SIMT_OP_NOP},
    {"CCTLL", SIMT_OP_NOP}, {"CCTLT", SIMT_OP_NOP},
};

bool simt_op_from_sass(const char *name, simt_op *out) {
  char base[32];
  size_t i = 0;
  while (name[i] && name[i] != '.' && i + 1 < sizeof base) {
    base[i] = name[i];
    i++;
  }
  if (name[i] && name[i] != '.') return false; /* longer than any opcode */
  base[i] = '\0';
  for (size_t j = 0; j < sizeof sass_table / sizeof sass_table[0]; j++)
    if (strcmp(base, sass_table[j].sass) == 0) {
      *out = sass_table[j].op;
      if (*out == SIMT_OP_HMMA) {
        uint8_t mma;
        bool sparse = false;
        (void)simt_mma_from_sass(name, &mma, &sparse);
        if (sparse) *out = SIMT_OP_HMMASP;
      }
      return true;
    }
  /* emlsim's own opcode names (HMMASP, ...) */
  for (int op = 0; op < SIMT_OP_COUNT; op++)
    if (strcmp(base, op_names[op]) == 0) {
      *out = (simt_op)op;
      return true;
    }
  return false;
}

/* ---- tensor-core shapes ---- */

static const simt_mma_info mma_table[SIMT_MMA_COUNT] = {
    [SIMT_MMA_NONE] = {"-", SIMT_MMA_FP16, false, 0, 0, 0, 0, 0, 0},
/* fp16-rate equivalents: int8 / 2, int4 / 4, binary / 16, tf32 x 2, fp64 x 16 */
#define MMA_FP16_MACS(kind, exec)                                            \
  ((kind) == SIMT_MMA_INT8   ? (exec) / 2                                    \
   : (kind) == SIMT_MMA_INT4 ? (exec) / 4                                    \
   : (kind) == SIMT_MMA_B1   ? (exec) / 16                                   \
   : (kind) == SIMT_MMA_TF32 ? (exec) * 2                                    \
   : (kind) == SIMT_MMA_FP64 ? (exec) * 16                                   \
                             : (exec))
#define SIMT_MMA_ROW(id, nm, kd, sp, mm, nn, kk, mac)                                         \
  [SIMT_MMA_##id] = {nm,    SIMT_MMA_##kd, sp != 0, mm, nn, kk, mac, (sp) ? (mac) / 2 : (mac), \
                     MMA_FP16_MACS(SIMT_MMA_##kd, (sp) ? (mac) / 2 : (mac))},
    SIMT_MMA_MAP(SIMT_MMA_ROW)
#undef SIMT_MMA_ROW
#undef MMA_FP16_MACS
};

const simt_mma_info *simt_mma_get(simt_op op, uint8_t mma) {
  if (mma == SIMT_MMA_NONE || mma >= SIMT_MMA_COUNT)
    mma = op == SIMT_OP_HMMASP ? SIMT_MMA_HMMA_SP_16816 : SIMT_MMA_HMMA_1688;
  return &mma_table[mma];
}

/* ---- tensor shapes by architecture ----
 *
 * The first compute capability (x 10) whose SASS has each shape: Volta
 * (sm_70) brought HMMA.884; Xavier (sm_72) and Turing (sm_75) the int8
 * IMMA.8816, Turing the int4 IMMA.8832, the binary BMMA.88128 and HMMA.1688
 * (PTX ISA: mma.m8n8k16 .s8 needs sm_72, .s4 / .b1 and m16n8k8 sm_75);
 * Ampere (sm_80) the m16n8k16 / k32 / k64 shapes, tf32, the 2:4 sparse
 * forms and DMMA.884 (m8n8k4 .f64); the larger DMMA shapes Hopper (sm_90). */
static const uint8_t mma_arch[SIMT_MMA_COUNT] = {
    [SIMT_MMA_HMMA_884] = 70,          [SIMT_MMA_HMMA_884_F16] = 70,
    [SIMT_MMA_HMMA_1684_TF32] = 80,    [SIMT_MMA_HMMA_1688] = 75,
    [SIMT_MMA_HMMA_1688_TF32] = 80,    [SIMT_MMA_HMMA_16816] = 80,
    [SIMT_MMA_HMMA_SP_1688_TF32] = 80, [SIMT_MMA_HMMA_SP_16816_TF32] = 80,
    [SIMT_MMA_HMMA_SP_16816] = 80,     [SIMT_MMA_HMMA_SP_16832] = 80,
    [SIMT_MMA_IMMA_8816] = 72,         [SIMT_MMA_IMMA_8832] = 75,
    [SIMT_MMA_IMMA_16816] = 80,        [SIMT_MMA_IMMA_16832] = 80,
    [SIMT_MMA_IMMA_16832_S4] = 80,     [SIMT_MMA_IMMA_16864] = 80,
    [SIMT_MMA_IMMA_SP_16832] = 80,     [SIMT_MMA_IMMA_SP_16864] = 80,
    [SIMT_MMA_IMMA_SP_16864_S4] = 80,  [SIMT_MMA_IMMA_SP_168128] = 80,
    [SIMT_MMA_BMMA_88128] = 75,        [SIMT_MMA_BMMA_168128] = 80,
    [SIMT_MMA_BMMA_168256] = 80,       [SIMT_MMA_DMMA_884] = 80,
    [SIMT_MMA_DMMA_1684] = 90,         [SIMT_MMA_DMMA_1688] = 90,
    [SIMT_MMA_DMMA_16816] = 90,
};

unsigned simt_mma_min_arch(uint8_t mma) {
  return mma > SIMT_MMA_NONE && mma < SIMT_MMA_COUNT ? mma_arch[mma] : 70;
}

/* Dependent-issue latencies, core cycles: the anchor shape of each
 * generation with its published figure, every other shape scaled from its
 * generation's anchor by the fp16-rate work it does (simt_mma_info), since
 * one datapath runs them all:
 *   Volta   HMMA.884      9  Accel-Sim tensor_lat_half on TITAN V: a
 *                            wmma.m16n16k16 with fp32 accumulation is four
 *                            dependent k-steps of four HMMA.884 and takes
 *                            35.35 cycles, 8.84 a step
 *           HMMA.884.F16  8  the same with fp16 accumulation: 33.00 / 4 = 8.25
 *   Turing  HMMA.1688    16  Accel-Sim's RTX 2060 configuration (SM75_RTX2060
 *                            trace.config: -trace_opcode_latency_initiation_tensor 16,16)
 *   Ampere  HMMA.16816   32  Accel-Sim's RTX 3070 configuration (SM86_RTX3070
 *                            trace.config: 32,32); no A100 figure is used. */
uint32_t simt_mma_latency(uint8_t mma, unsigned sm_arch, const char **source) {
  const char *src;
  unsigned anchor;
  uint32_t anchor_lat;
  if (sm_arch < 75) {
    anchor = SIMT_MMA_HMMA_884;
    anchor_lat = 9;
    src = "TITAN V (Accel-Sim tensor_lat_half): 8.84 per HMMA.884 k-step";
    if (mma == SIMT_MMA_HMMA_884_F16) {
      if (source) *source = "TITAN V (Accel-Sim tensor_lat_half, fp16 accumulation): 8.25";
      return 8;
    }
  } else if (sm_arch < 80) {
    anchor = SIMT_MMA_HMMA_1688;
    anchor_lat = 16;
    src = "RTX 2060 (Accel-Sim SM75_RTX2060 trace.config): 16";
  } else {
    anchor = SIMT_MMA_HMMA_16816;
    anchor_lat = 32;
    src = "RTX 3070 (Accel-Sim SM86_RTX3070 trace.config): 32";
  }
  if (mma == anchor) {
    if (source) *source = src;
    return anchor_lat;
  }
  if (source) *source = "scaled from its architecture's published shape by its work";
  const simt_mma_info *a = simt_mma_get(SIMT_OP_HMMA, (uint8_t)anchor);
  const simt_mma_info *m = simt_mma_get(SIMT_OP_HMMA, mma);
  uint64_t lat = ((uint64_t)anchor_lat * m->fp16_macs + a->fp16_macs / 2) / a->fp16_macs;
  return lat < 2 ? 2 : (uint32_t)lat;
}

em_status simt_kernel_check_arch(const simt_kernel *k, unsigned sm_arch, em_diag *d) {
  /* a trace names its shapes in SASS; emlsim's generated kernels use
   * HMMA.1688 as a unit of tensor work on any GPU, not an instruction */
  /* a streamed trace is not in memory: its loading noted where each shape
   * first appears, so the first line the GPU lacks is the earliest of those */
  if (k->prog || !k->tsrc) return EM_OK;
  uint64_t first = 0;
  uint8_t mma = 0;
  for (unsigned m = 0; m < SIMT_MMA_COUNT; m++)
    if (k->tfirst_shape[m] && simt_mma_min_arch((uint8_t)m) > sm_arch &&
        (!first || k->tfirst_shape[m] < first)) {
      first = k->tfirst_shape[m];
      mma = (uint8_t)m;
    }
  if (!first) return EM_OK;
  simt_op op = mma == SIMT_MMA_NONE ? (simt_op)k->tfirst_none_op : SIMT_OP_HMMA;
  return em_diag_set(d, EM_ERR_UNSUPPORTED, NULL, 0, 0,
                     "kernel '%s' uses %s (trace line %llu of its warps), which the GPU "
                     "(sm_%u) lacks: it arrives with sm_%u",
                     k->name, simt_mma_get(op, mma)->name, (unsigned long long)first, sm_arch,
                     simt_mma_min_arch(mma));
}

const char *simt_mma_kind_name(simt_mma_kind k) {
  static const char *const names[SIMT_MMA_KIND_COUNT] = {"fp16", "tf32", "int8",
                                                         "int4", "b1",   "fp64"};
  return k < SIMT_MMA_KIND_COUNT ? names[k] : "?";
}

/* The modifiers of a SASS name, '.'-separated, after the opcode. */
static bool has_mod(const char *name, const char *mod) {
  size_t n = strlen(mod);
  for (const char *p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
    if (strncmp(p + 1, mod, n) == 0 && (p[1 + n] == '.' || p[1 + n] == '\0')) return true;
  return false;
}

bool simt_mma_from_sass(const char *name, uint8_t *mma, bool *sparse) {
  *mma = SIMT_MMA_NONE;
  *sparse = has_mod(name, "SP");
  char fam[5] = "";
  memcpy(fam, name, strlen(name) < 4 ? strlen(name) : 4);
  /* the shape: the first modifier made of digits only */
  const char *digits = NULL;
  size_t nd = 0;
  for (const char *p = strchr(name, '.'); p && !digits; p = strchr(p + 1, '.')) {
    size_t n = strspn(p + 1, "0123456789");
    if (n > 0 && (p[1 + n] == '.' || p[1 + n] == '\0')) {
      digits = p + 1;
      nd = n;
    }
  }
  if (!digits) { /* a bare name: the family's first shape (HMMA: the op's default) */
    if (strcmp(fam, "IMMA") == 0) *mma = *sparse ? SIMT_MMA_IMMA_SP_16832 : SIMT_MMA_IMMA_8816;
    if (strcmp(fam, "BMMA") == 0) *mma = SIMT_MMA_BMMA_88128;
    if (strcmp(fam, "DMMA") == 0) *mma = SIMT_MMA_DMMA_884;
    return true;
  }
  if (nd > 6) return false;
  /* the type the modifiers name, if any */
  int want = -1;
  if (strcmp(fam, "HMMA") == 0 && has_mod(name, "TF32")) want = SIMT_MMA_TF32;
  if (strcmp(fam, "IMMA") == 0) {
    if (has_mod(name, "S4") || has_mod(name, "U4")) want = SIMT_MMA_INT4;
    else if (has_mod(name, "S8") || has_mod(name, "U8")) want = SIMT_MMA_INT8;
  }
  /* Volta's HMMA.884 accumulating in fp16 (.F16.F16): two steps of 512 */
  bool acc16 = false;
  if (strcmp(fam, "HMMA") == 0 && strncmp(digits, "884", nd) == 0 && nd == 3) {
    const char *p = digits + nd;
    acc16 = strncmp(p, ".F16.F16", 8) == 0 && (p[8] == '.' || p[8] == '\0');
  }
  /* the row of the type asked for; else the shape's usual one (the row
   * without a type in its name), else its first */
  int first = -1, plain = -1;
  for (int i = 1; i < SIMT_MMA_COUNT; i++) {
    const char *t = mma_table[i].name; /* FAM[.SP].DIGITS[.TYPE] */
    if (strncmp(t, fam, 4) != 0 || t[4] != '.') continue;
    const char *td = t + 5;
    bool tsp = strncmp(td, "SP.", 3) == 0;
    if (tsp) td += 3;
    if (tsp != *sparse || strncmp(td, digits, nd) != 0 || (td[nd] != '.' && td[nd] != '\0'))
      continue;
    if (strcmp(fam, "HMMA") == 0 && nd == 3 && acc16 != (strcmp(td + nd, ".F16") == 0)) continue;
    if (want >= 0 && (int)mma_table[i].kind == want) {
      *mma = (uint8_t)i;
      return true;
    }
    if (first < 0) first = i;
    if (plain < 0 && td[nd] == '\0') plain = i;
  }
  if (first < 0) return false;
  *mma = (uint8_t)(plain >= 0 ? plain : first);
  return true;
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
  k->emit_failed = false;
}

simt_inst *simt_emit(simt_kernel *k, simt_op op, uint16_t dst, uint16_t s0, uint16_t s1,
                     uint16_t s2) {
  if (k->n_inst >= SIMT_PROG_MAX) goto failed;
  if (k->n_inst == k->cap) {
    uint32_t cap = k->cap ? k->cap * 2 : 32;
    simt_inst *p = realloc(k->prog, cap * sizeof *p);
    if (!p) goto failed;
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
  if (op == SIMT_OP_LDG || op == SIMT_OP_STG || op == SIMT_OP_ATOMG || op == SIMT_OP_RED)
    in->h.space = SIMT_SPACE_GLOBAL;
  if (op == SIMT_OP_LDS || op == SIMT_OP_STS) in->h.space = SIMT_SPACE_SHARED;
  in->h.width = 4;
  if (op == SIMT_OP_HMMA) in->h.mma = SIMT_MMA_HMMA_1688;
  if (op == SIMT_OP_HMMASP) in->h.mma = SIMT_MMA_HMMA_SP_16816;
  in->next = k->n_inst + 1;
  in->reconv = SIMT_PC_EXIT;
  k->n_inst++;
  return in;
failed:
  k->emit_failed = true;
  memset(&k->emit_sink, 0, sizeof k->emit_sink);
  return &k->emit_sink;
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
