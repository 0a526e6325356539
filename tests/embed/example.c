/*
 * example.c - a design-space loop of one's own, on the installed emlsim
 * library: AlexNet on two hardware models through the model table, the
 * default systolic array (SCALE-Sim's 32 x 32, os) and the BISMO
 * bit-serial array, with a variant of the first. Build it with
 *   cc example.c $(pkg-config --cflags --libs emlsim)
 * It prints one line per design point: the model, its settings, the total
 * cycles and the energy in microjoules.
 */
#include <stdio.h>

#include <hw_model.h>
#include <wl_load.h>

static int run(const char *model, const char *const *sets, size_t n, const wl_network *net,
               const cm_energy_table *et) {
  em_diag d;
  hw_point *p;
  hw_result total;
  if (hw_point_create(hw_model_find(model), NULL, sets, n, et, &p, &d) != EM_OK ||
      hw_point_run_network(p, net, NULL, &total, &d) != EM_OK) {
    fprintf(stderr, "example: error: %s\n", d.msg);
    return 1;
  }
  printf("%s", model);
  for (size_t i = 0; i < n; i++) printf(" %s", sets[i]);
  printf(": %llu cycles, %.3f uJ\n", (unsigned long long)total.cycles,
         total.energy_total_pj * 1e-6);
  hw_point_destroy(p);
  return 0;
}

int main(void) {
  em_diag d;
  wl_network *net;
  cm_energy_table *et;
  if (wl_load("alexnet", &net, &d) != EM_OK || cm_energy_table_default(&et, &d) != EM_OK) {
    fprintf(stderr, "example: error: %s\n", d.msg);
    return 1;
  }
  /* the published network gives no widths: int8 everywhere, what both
   * arrays run by default */
  wl_network_set_prec(net, (wl_prec){8, false}, (wl_prec){8, false}, false);
  const char *const big[] = {"rows=128", "cols=128", "dataflow=ws"};
  int rc = run("systolic", NULL, 0, net, et) || run("bitserial", NULL, 0, net, et) ||
           run("systolic", big, 3, net, et);
  cm_energy_table_destroy(et);
  wl_network_destroy(net);
  return rc;
}
