/*
 * sa_config.h - SCALE-Sim .cfg files for the systolic array, read as they
 * are: [general] run_name; [architecture_presets] ArrayHeight, ArrayWidth,
 * IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, IfmapOffset, FilterOffset,
 * OfmapOffset, Bandwidth, Dataflow, MemoryBanks; [run_presets]
 * InterfaceBandwidth (CALC or USER); [network_presets] TopologyCsvLoc.
 * emlsim's own keys, in [architecture_presets]: WordSizeBytes,
 * PackNarrowOperands, FrequencyMHz.  Keys match ignoring case (SCALE-Sim's
 * configparser does the same); `key: value` and `key = value` both work.
 * One table {name, section, type, min, max} drives parsing and range
 * checks; the defaults and the meaning of each are the systolic model's key
 * table (sa_hw.c).  Unknown sections and keys are errors, reported
 * as path:line.
 */
#ifndef SA_CONFIG_H
#define SA_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "em_diag.h"
#include "sa_model.h"

typedef enum { SA_KEY_INT, SA_KEY_STRING, SA_KEY_DATAFLOW, SA_KEY_BWMODE, SA_KEY_BOOL } sa_key_type;

typedef struct {
  const char *section;
  const char *name;
  sa_key_type type;
  int64_t min, max;     /* SA_KEY_INT */
} sa_config_key;


/* Reads a .cfg file over the defaults (sa_config_default()) and validates
 * the result. Errors: path:line: error: ... */
em_status sa_config_read(const char *path, sa_config *out, em_diag *d);
/* The same from memory (tests, fuzzing); `name` is used in messages. */
em_status sa_config_read_mem(const char *name, const char *text, size_t len,
                             sa_config *out, em_diag *d);

/* Parses "os", "ws", "is"; -1 if unknown. */
int sa_dataflow_parse(const char *s);

#endif
