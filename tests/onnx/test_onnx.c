/*
 * test_onnx.c - the ONNX reader against Debian's libonnx-testdata: every
 * conv, gemm, matmul and pooling node test imports with the output shape
 * its stored output tensor has; and hostile files give clear errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cm_cost.h"
#include "wl_load.h"
#include "wl_onnx.h"
#include "onnx/onnx.pb-c.h"

#define NODE_DIR "/usr/share/libonnx-testdata/data/node"

static int wanted(const char *n) {
  static const char *const pre[] = {"test_conv_",          "test_convinteger_",
                                    "test_gemm_",          "test_matmul",
                                    "test_maxpool_",       "test_averagepool_",
                                    "test_globalaveragepool", "test_globalmaxpool",
                                    "test_lppool_",        "test_qlinearconv",
                                    "test_qlinearmatmul"};
  if (strstr(n, "_expanded")) return 0;
  for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
    if (strncmp(n, pre[i], strlen(pre[i])) == 0) return 1;
  return 0;
}

static void node_tests(void **state) {
  (void)state;
  DIR *dir = opendir(NODE_DIR);
  if (!dir) fail_msg("%s is missing: install Debian's libonnx-testdata (make test does)", NODE_DIR);
  struct dirent *e;
  unsigned ok = 0, bad = 0;
  while ((e = readdir(dir))) {
    if (!wanted(e->d_name)) continue;
    char model[1024], expect[1024];
    snprintf(model, sizeof model, "%s/%s/model.onnx", NODE_DIR, e->d_name);
    snprintf(expect, sizeof expect, "%s/%s/test_data_set_0/output_0.pb", NODE_DIR, e->d_name);
    wl_onnx_shape got[4], want;
    size_t n;
    em_diag d;
    if (wl_onnx_output_shapes(model, got, 4, &n, &d) != EM_OK) {
      char msg[1200];
      em_diag_format(&d, msg, sizeof msg);
      printf("  %-45s error: %s\n", e->d_name, msg);
      bad++;
      continue;
    }
    assert_int_equal(wl_onnx_tensor_file_shape(expect, &want, &d), EM_OK);
    int same = n >= 1 && got[0].rank == want.rank;
    for (int i = 0; same && i < want.rank; i++) same = got[0].dim[i] == want.dim[i];
    if (!same) {
      printf("  %-45s shape differs: got rank %d [", e->d_name, n ? got[0].rank : -9);
      for (int i = 0; n && i < got[0].rank; i++) printf(" %lld", (long long)got[0].dim[i]);
      printf(" ], want [");
      for (int i = 0; i < want.rank; i++) printf(" %lld", (long long)want.dim[i]);
      printf(" ]\n");
      bad++;
    } else {
      ok++;
    }
  }
  closedir(dir);
  printf("  %u node tests with the stored output shape, %u not\n", ok, bad);
  assert_true(ok >= 50);
  assert_int_equal(bad, 0);
}

/* ---- building ONNX models in the test ---- */

typedef struct {
  Onnx__NodeProto **nodes;
  size_t nn;
  Onnx__TensorProto **inits;
  size_t ni;
  unsigned id;
  int64_t c, h, w; /* the current feature map */
  char cur[64];    /* its tensor name */
} gb;

static char *fresh(gb *g, const char *stem) {
  char *s = malloc(64);
  snprintf(s, 64, "%s_%u", stem, g->id++);
  return s;
}

static Onnx__AttributeProto *ints_attr(const char *name, const int64_t *v, size_t n) {
  Onnx__AttributeProto *a = malloc(sizeof *a);
  onnx__attribute_proto__init(a);
  a->name = strdup(name);
  a->has_type = 1;
  a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS;
  a->n_ints = n;
  a->ints = malloc(n * sizeof *a->ints);
  memcpy(a->ints, v, n * sizeof *v);
  return a;
}

static Onnx__AttributeProto *int_attr(const char *name, int64_t v) {
  Onnx__AttributeProto *a = malloc(sizeof *a);
  onnx__attribute_proto__init(a);
  a->name = strdup(name);
  a->has_type = 1;
  a->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
  a->has_i = 1;
  a->i = v;
  return a;
}

static Onnx__NodeProto *node(gb *g, const char *op, const char *const *in, size_t nin,
                             char *out) {
  Onnx__NodeProto *n = malloc(sizeof *n);
  onnx__node_proto__init(n);
  n->op_type = strdup(op);
  n->name = fresh(g, op);
  n->n_input = nin;
  n->input = malloc(nin * sizeof *n->input);
  for (size_t i = 0; i < nin; i++) n->input[i] = strdup(in[i]);
  n->n_output = 1;
  n->output = malloc(sizeof *n->output);
  n->output[0] = out;
  g->nodes = realloc(g->nodes, (g->nn + 1) * sizeof *g->nodes);
  g->nodes[g->nn++] = n;
  return n;
}

static char *init(gb *g, const int64_t *dims, size_t nd) {
  Onnx__TensorProto *t = malloc(sizeof *t);
  onnx__tensor_proto__init(t);
  t->name = fresh(g, "W");
  t->n_dims = nd;
  t->dims = malloc(nd * sizeof *t->dims);
  memcpy(t->dims, dims, nd * sizeof *dims);
  t->has_data_type = 1;
  t->data_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
  g->inits = realloc(g->inits, (g->ni + 1) * sizeof *g->inits);
  g->inits[g->ni++] = t;
  return t->name;
}

/* conv k x k, stride, pad, groups; then BatchNormalization and Relu when bn */
static void gconv(gb *g, int64_t k, int64_t out, int64_t stride, int64_t pad, int64_t groups,
                  int bn, int relu) {
  int64_t wd[4] = {out, g->c / groups, k, k};
  const char *in[2] = {g->cur, init(g, wd, 4)};
  Onnx__NodeProto *n = node(g, "Conv", in, 2, fresh(g, "t"));
  int64_t ks[2] = {k, k}, st[2] = {stride, stride}, pads[4] = {pad, pad, pad, pad};
  n->n_attribute = 4;
  n->attribute = malloc(4 * sizeof *n->attribute);
  n->attribute[0] = ints_attr("kernel_shape", ks, 2);
  n->attribute[1] = ints_attr("strides", st, 2);
  n->attribute[2] = ints_attr("pads", pads, 4);
  n->attribute[3] = int_attr("group", groups);
  g->h = (g->h + 2 * pad - k) / stride + 1;
  g->w = (g->w + 2 * pad - k) / stride + 1;
  g->c = out;
  snprintf(g->cur, sizeof g->cur, "%s", n->output[0]);
  if (bn) {
    int64_t cd[1] = {out};
    const char *bi[5] = {g->cur, init(g, cd, 1), init(g, cd, 1), init(g, cd, 1), init(g, cd, 1)};
    Onnx__NodeProto *b = node(g, "BatchNormalization", bi, 5, fresh(g, "t"));
    snprintf(g->cur, sizeof g->cur, "%s", b->output[0]);
  }
  if (relu) {
    const char *ri[1] = {g->cur};
    Onnx__NodeProto *r = node(g, "Relu", ri, 1, fresh(g, "t"));
    snprintf(g->cur, sizeof g->cur, "%s", r->output[0]);
  }
}

static void gadd(gb *g, const char *other) {
  const char *in[2] = {g->cur, other};
  Onnx__NodeProto *n = node(g, "Add", in, 2, fresh(g, "t"));
  snprintf(g->cur, sizeof g->cur, "%s", n->output[0]);
}

static void ghead(gb *g, int64_t classes) {
  const char *in[1] = {g->cur};
  Onnx__NodeProto *p = node(g, "GlobalAveragePool", in, 1, fresh(g, "t"));
  const char *fi[1] = {p->output[0]};
  Onnx__NodeProto *f = node(g, "Flatten", fi, 1, fresh(g, "t"));
  int64_t wd[2] = {classes, g->c}, bd[1] = {classes};
  const char *gi[3] = {f->output[0], init(g, wd, 2), init(g, bd, 1)};
  Onnx__NodeProto *m = node(g, "Gemm", gi, 3, strdup("logits"));
  m->n_attribute = 1;
  m->attribute = malloc(sizeof *m->attribute);
  m->attribute[0] = int_attr("transB", 1);
}

static void write_model(gb *g, const char *path) {
  Onnx__ValueInfoProto vin, vout;
  Onnx__TypeProto tin;
  Onnx__TypeProto__Tensor tt;
  Onnx__TensorShapeProto sh;
  Onnx__TensorShapeProto__Dimension dims[4], *dp[4];
  onnx__value_info_proto__init(&vin);
  onnx__value_info_proto__init(&vout);
  onnx__type_proto__init(&tin);
  onnx__type_proto__tensor__init(&tt);
  onnx__tensor_shape_proto__init(&sh);
  static const int64_t shape[4] = {1, 3, 224, 224};
  for (int i = 0; i < 4; i++) {
    onnx__tensor_shape_proto__dimension__init(&dims[i]);
    if (i == 0) {
      dims[i].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
      dims[i].dim_param = "N"; /* a symbolic batch: taken as 1 */
    } else {
      dims[i].value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE;
      dims[i].dim_value = shape[i];
    }
    dp[i] = &dims[i];
  }
  sh.n_dim = 4;
  sh.dim = dp;
  tt.has_elem_type = 1;
  tt.elem_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
  tt.shape = &sh;
  tin.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
  tin.tensor_type = &tt;
  vin.name = "input";
  vin.type = &tin;
  vout.name = "logits";
  Onnx__ValueInfoProto *ins[1] = {&vin}, *outs[1] = {&vout};
  Onnx__GraphProto gr;
  onnx__graph_proto__init(&gr);
  gr.name = "built_by_test";
  gr.n_node = g->nn;
  gr.node = g->nodes;
  gr.n_initializer = g->ni;
  gr.initializer = g->inits;
  gr.n_input = 1;
  gr.input = ins;
  gr.n_output = 1;
  gr.output = outs;
  Onnx__ModelProto m;
  onnx__model_proto__init(&m);
  m.has_ir_version = 1;
  m.ir_version = 8;
  m.graph = &gr;
  size_t len = onnx__model_proto__get_packed_size(&m);
  uint8_t *buf = malloc(len);
  onnx__model_proto__pack(&m, buf);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(buf, 1, len, f);
  fclose(f);
  free(buf);
  for (size_t i = 0; i < g->nn; i++) onnx__node_proto__free_unpacked(g->nodes[i], NULL);
  for (size_t i = 0; i < g->ni; i++) onnx__tensor_proto__free_unpacked(g->inits[i], NULL);
  free(g->nodes);
  free(g->inits);
}

static void same_cost(const char *path, const char *builtin) {
  em_diag d;
  wl_network *a, *b;
  cm_energy_table *t;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  em_status s = wl_load(path, &a, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  assert_int_equal(wl_load(builtin, &b, &d), EM_OK);
  for (size_t i = 0; i < a->n_layers; i++) a->layers[i].w = a->layers[i].a = (wl_prec){32, true};
  for (size_t i = 0; i < b->n_layers; i++) b->layers[i].w = b->layers[i].a = (wl_prec){32, true};
  cm_layer_cost ca, cb;
  assert_int_equal(cm_network_cost(a, t, NULL, &ca, &d), EM_OK);
  assert_int_equal(cm_network_cost(b, t, NULL, &cb, &d), EM_OK);
  printf("  %s: %zu layers, %llu MACs, %llu params (built-in: %llu, %llu); %s\n", builtin,
         a->n_layers, (unsigned long long)ca.macs, (unsigned long long)ca.params,
         (unsigned long long)cb.macs, (unsigned long long)cb.params, a->notes);
  assert_int_equal(ca.macs, cb.macs);
  assert_int_equal(ca.params, cb.params);
  assert_non_null(strstr(a->notes, "folded"));
  wl_network_destroy(a);
  wl_network_destroy(b);
  cm_energy_table_destroy(t);
}

static char tmpd[64];

static void resnet18_and_mobilenetv2(void **state) {
  (void)state;
  char path[256];
  /* ResNet-18, torchvision's layout (as the built-in) */
  gb g = {0};
  g.c = 3;
  g.h = g.w = 224;
  snprintf(g.cur, sizeof g.cur, "input");
  gconv(&g, 7, 64, 2, 3, 1, 1, 1);
  {
    const char *in[1] = {g.cur};
    Onnx__NodeProto *p = node(&g, "MaxPool", in, 1, fresh(&g, "t"));
    int64_t ks[2] = {3, 3}, st[2] = {2, 2}, pads[4] = {1, 1, 1, 1};
    p->n_attribute = 3;
    p->attribute = malloc(3 * sizeof *p->attribute);
    p->attribute[0] = ints_attr("kernel_shape", ks, 2);
    p->attribute[1] = ints_attr("strides", st, 2);
    p->attribute[2] = ints_attr("pads", pads, 4);
    snprintf(g.cur, sizeof g.cur, "%s", p->output[0]);
    g.h = g.w = 56;
  }
  static const int64_t widths[4] = {64, 128, 256, 512};
  for (int s = 0; s < 4; s++)
    for (int i = 0; i < 2; i++) {
      int64_t stride = (i == 0 && s > 0) ? 2 : 1;
      gb in = g;
      gconv(&g, 3, widths[s], stride, 1, 1, 1, 1);
      gconv(&g, 3, widths[s], 1, 1, 1, 1, 0);
      char shortcut[64];
      snprintf(shortcut, sizeof shortcut, "%s", in.cur);
      if (stride != 1 || in.c != widths[s]) {
        gb sc = g;
        snprintf(sc.cur, sizeof sc.cur, "%s", in.cur);
        sc.c = in.c;
        sc.h = in.h;
        sc.w = in.w;
        gconv(&sc, 1, widths[s], stride, 0, 1, 1, 0);
        g.nodes = sc.nodes;
        g.nn = sc.nn;
        g.inits = sc.inits;
        g.ni = sc.ni;
        g.id = sc.id;
        snprintf(shortcut, sizeof shortcut, "%s", sc.cur);
      }
      gadd(&g, shortcut);
    }
  ghead(&g, 1000);
  /* the first convolution's weights carry values (raw float32, i / 1000) */
  Onnx__TensorProto *w0 = g.inits[0];
  size_t cnt = 64 * 3 * 7 * 7;
  w0->has_raw_data = 1;
  w0->raw_data.len = 4 * cnt;
  w0->raw_data.data = malloc(4 * cnt);
  for (size_t i = 0; i < cnt; i++) {
    float f = (float)i / 1000.0f;
    memcpy(w0->raw_data.data + 4 * i, &f, 4);
  }
  char first[64];
  snprintf(first, sizeof first, "%s", g.nodes[0]->name);
  snprintf(path, sizeof path, "%s/resnet18.onnx", tmpd);
  write_model(&g, path);
  same_cost(path, "resnet18");
  /* and are there for pruning and quantization studies */
  float *wv;
  size_t wn;
  em_diag d;
  assert_int_equal(wl_onnx_layer_weights(path, first, &wv, &wn, &d), EM_OK);
  assert_int_equal(wn, cnt);
  assert_true(wv[0] == 0.0f && wv[1234] == 1.234f && wv[cnt - 1] == (float)(cnt - 1) / 1000.0f);
  free(wv);
  assert_int_equal(wl_onnx_layer_weights(path, "nope", &wv, &wn, &d), EM_ERR_NOTFOUND);

  /* MobileNetV2 1.0 (as the built-in) */
  gb m = {0};
  m.c = 3;
  m.h = m.w = 224;
  snprintf(m.cur, sizeof m.cur, "input");
  static const int64_t cfg[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                                    {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  gconv(&m, 3, 32, 2, 1, 1, 1, 1);
  for (int q = 0; q < 7; q++)
    for (int64_t i = 0; i < cfg[q][2]; i++) {
      int64_t stride = i == 0 ? cfg[q][3] : 1, in_c = m.c, hidden = in_c * cfg[q][0];
      char start[64];
      snprintf(start, sizeof start, "%s", m.cur);
      if (cfg[q][0] != 1) gconv(&m, 1, hidden, 1, 0, 1, 1, 1);
      gconv(&m, 3, hidden, stride, 1, hidden, 1, 1);
      gconv(&m, 1, cfg[q][1], 1, 0, 1, 1, 0);
      if (stride == 1 && in_c == cfg[q][1]) gadd(&m, start);
    }
  gconv(&m, 1, 1280, 1, 0, 1, 1, 1);
  ghead(&m, 1000);
  snprintf(path, sizeof path, "%s/mobilenetv2.onnx", tmpd);
  write_model(&m, path);
  same_cost(path, "mobilenetv2");
}

static void write_bytes(const char *path, const uint8_t *b, size_t n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(b, 1, n, f);
  fclose(f);
}

static void hostile_files(void **state) {
  (void)state;
  char path[256];
  em_diag d;
  wl_network *net;
  /* a graph field declaring 2^40 bytes */
  static const uint8_t huge[] = {0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x01, 0x02};
  snprintf(path, sizeof path, "%s/huge.onnx", tmpd);
  write_bytes(path, huge, sizeof huge);
  assert_int_equal(wl_load(path, &net, &d), EM_ERR_PARSE);
  assert_string_equal(d.path, path);
  /* the ir_version field (varint) sent as a length-delimited field */
  static const uint8_t wire[] = {0x0a, 0x03, 0x01, 0x02, 0x03};
  snprintf(path, sizeof path, "%s/wire.onnx", tmpd);
  write_bytes(path, wire, sizeof wire);
  assert_int_equal(wl_load(path, &net, &d), EM_ERR_PARSE);
  /* seeded garbage */
  uint8_t junk[4096];
  srand(17);
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)rand();
  snprintf(path, sizeof path, "%s/junk.onnx", tmpd);
  write_bytes(path, junk, sizeof junk);
  assert_int_equal(wl_load(path, &net, &d), EM_ERR_PARSE);
  /* a truncated real model */
  char model[512];
  snprintf(model, sizeof model, "%s/test_conv_with_strides_padding/model.onnx", NODE_DIR);
  FILE *f = fopen(model, "rb");
  if (f) {
    uint8_t buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/cut.onnx", tmpd);
    write_bytes(path, buf, n / 2);
    assert_int_not_equal(wl_load(path, &net, &d), EM_OK);
  }
  /* a cycle: A(X, T2) -> T1, Relu(T1) -> T2 */
  gb g = {0};
  const char *a_in[2] = {"input", "t_b"}, *b_in[1] = {"t_a"};
  node(&g, "Add", a_in, 2, strdup("t_a"));
  node(&g, "Relu", b_in, 1, strdup("t_b"));
  snprintf(path, sizeof path, "%s/cycle.onnx", tmpd);
  write_model(&g, path);
  assert_int_equal(wl_load(path, &net, &d), EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "cycle"));
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpd, sizeof tmpd, "/tmp/emlsim_onnx_XXXXXX");
  return mkdtemp(tmpd) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpd);
  return system(cmd);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(node_tests),
                                     cmocka_unit_test(resnet18_and_mobilenetv2),
                                     cmocka_unit_test(hostile_files)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
