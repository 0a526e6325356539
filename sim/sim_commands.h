/*
 * sim_commands.h - the commands of the emlsim driver, one per sim/cmd_*.c.
 * emlsim.c lists them in its table; keep this list and that table in step.
 */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

#include "em_diag.h"
#include "sim_cli.h"

extern const sim_command sim_cmd_analyze;
extern const sim_command sim_cmd_workloads;
extern const sim_command sim_cmd_systolic;
extern const sim_command sim_cmd_bitserial;
extern const sim_command sim_cmd_xnor;
extern const sim_command sim_cmd_rtl;
extern const sim_command sim_cmd_simt;
extern const sim_command sim_cmd_breakeven;
extern const sim_command sim_cmd_study;
extern const sim_command sim_cmd_sweep;
extern const sim_command sim_cmd_quant;
extern const sim_command sim_cmd_models;

/* Reads and checks a sweep SPEC (its syntax, keys and GPU settings) without
 * loading workloads or evaluating anything; for the spec fuzz target. */
em_status sim_sweep_spec_check(const char *path, em_diag *d);

#endif
