/*
 * hw_table.c - the hardware-model table (hw_model.h): one line per model
 * family. Adding a model is its folder plus one line here.
 */
#include "hw_model.h"

extern const hw_model hw_analytic, hw_systolic, hw_bitserial, hw_xnor, hw_simt;

static const hw_model *const table[] = {
    &hw_analytic, &hw_systolic, &hw_bitserial, &hw_xnor, &hw_simt,
    NULL,
};

const hw_model *const *hw_models(void) { return table; }
