/*
 * test_onnx.c - the ONNX reader against Debian's libonnx-testdata: every
 * conv, gemm, matmul and pooling node test imports with the output shape
 * its stored output tensor has; batched MatMuls count their MACs by hand;
 * a 100,000-node chain in reverse order loads in n log n time; and hostile
 * files (nesting past the limit, a decode past the memory budget) give
 * clear errors.
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
#include <time.h>
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

/* The node tests wanted() selects in Debian's libonnx-testdata 1.12.0: the
 * 56 of workloads/README.md ("all 56 conv, gemm, matmul and pooling node
 * tests"). Every one must be there and give its stored shape, and no other
 * may be selected: a test that vanishes, or a package that brings new ones,
 * fails here until the list and the README agree with it. */
static const char *const node_list[] = {
    "test_averagepool_1d_default", "test_averagepool_2d_ceil", "test_averagepool_2d_default",
    "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad",
    "test_averagepool_2d_precomputed_pads",
    "test_averagepool_2d_precomputed_pads_count_include_pad",
    "test_averagepool_2d_precomputed_same_upper", "test_averagepool_2d_precomputed_strides",
    "test_averagepool_2d_same_lower", "test_averagepool_2d_same_upper",
    "test_averagepool_2d_strides", "test_averagepool_3d_default", "test_conv_with_autopad_same",
    "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding",
    "test_conv_with_strides_padding", "test_convinteger_with_padding",
    "test_convinteger_without_padding", "test_gemm_all_attributes", "test_gemm_alpha",
    "test_gemm_beta", "test_gemm_default_matrix_bias", "test_gemm_default_no_bias",
    "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias",
    "test_gemm_default_vector_bias", "test_gemm_default_zero_bias", "test_gemm_transposeA",
    "test_gemm_transposeB", "test_globalaveragepool", "test_globalaveragepool_precomputed",
    "test_globalmaxpool", "test_globalmaxpool_precomputed", "test_matmul_2d", "test_matmul_3d",
    "test_matmul_4d", "test_matmulinteger", "test_maxpool_1d_default", "test_maxpool_2d_ceil",
    "test_maxpool_2d_default", "test_maxpool_2d_dilations", "test_maxpool_2d_pads",
    "test_maxpool_2d_precomputed_pads", "test_maxpool_2d_precomputed_same_upper",
    "test_maxpool_2d_precomputed_strides", "test_maxpool_2d_same_lower",
    "test_maxpool_2d_same_upper", "test_maxpool_2d_strides", "test_maxpool_2d_uint8",
    "test_maxpool_3d_default", "test_maxpool_with_argmax_2d_precomputed_pads",
    "test_maxpool_with_argmax_2d_precomputed_strides", "test_qlinearconv",
    "test_qlinearmatmul_2D", "test_qlinearmatmul_3D"};
enum { NODE_LIST = sizeof node_list / sizeof node_list[0] };

static void node_tests(void **state) {
  (void)state;
  assert_int_equal(NODE_LIST, 56);
  DIR *dir = opendir(NODE_DIR);
  if (!dir) fail_msg("%s is missing: install Debian's libonnx-testdata (make test does)", NODE_DIR);
  struct dirent *e;
  unsigned ok = 0, bad = 0;
  unsigned char seen[NODE_LIST] = {0};
  while ((e = readdir(dir))) {
    if (!wanted(e->d_name)) continue;
    size_t k = 0;
    while (k < NODE_LIST && strcmp(node_list[k], e->d_name) != 0) k++;
    if (k == NODE_LIST) {
      printf("  %-45s not in the list of 56\n", e->d_name);
      bad++;
      continue;
    }
    seen[k] = 1;
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
  for (size_t k = 0; k < NODE_LIST; k++)
    if (!seen[k]) printf("  %-45s missing\n", node_list[k]);
  printf("  %u node tests with the stored output shape, %u not\n", ok, bad);
  assert_int_equal(bad, 0);
  assert_int_equal(ok, 56);
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

/* ---- models written in the wire format, by hand ---- */

/* A protobuf writer: each nested message's length takes 5 bytes (a varint
 * padded with continuation bits, which decoders accept), filled in when
 * the message ends. */
typedef struct {
  uint8_t *b;
  size_t n, cap;
  size_t *open;
  size_t depth;
} wb;

static void wb_put(wb *w, const void *p, size_t n) {
  if (w->n + n > w->cap) {
    while (w->n + n > w->cap) w->cap = w->cap ? 2 * w->cap : 4096;
    w->b = realloc(w->b, w->cap);
    assert_non_null(w->b);
  }
  memcpy(w->b + w->n, p, n);
  w->n += n;
}

static void wb_varint(wb *w, uint64_t v) {
  uint8_t t[10];
  size_t n = 0;
  do {
    t[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  wb_put(w, t, n);
}

static void wb_int(wb *w, unsigned field, int64_t v) {
  wb_varint(w, field << 3);
  wb_varint(w, (uint64_t)v);
}

static void wb_str(wb *w, unsigned field, const char *s) {
  wb_varint(w, field << 3 | 2);
  wb_varint(w, strlen(s));
  wb_put(w, s, strlen(s));
}

static void wb_begin(wb *w, unsigned field) {
  static const uint8_t pad[5] = {0x80, 0x80, 0x80, 0x80, 0x00};
  wb_varint(w, field << 3 | 2);
  w->open = realloc(w->open, (w->depth + 1) * sizeof *w->open);
  assert_non_null(w->open);
  w->open[w->depth++] = w->n;
  wb_put(w, pad, 5);
}

static void wb_end(wb *w) {
  size_t at = w->open[--w->depth], len = w->n - at - 5;
  for (int i = 0; i < 5; i++) w->b[at + (size_t)i] = (uint8_t)((len >> (7 * i) & 0x7f) | (i < 4 ? 0x80 : 0));
}

static void wb_write(wb *w, const char *path) {
  assert_int_equal(w->depth, 0);
  write_bytes(path, w->b, w->n);
  free(w->b);
  free(w->open);
  memset(w, 0, sizeof *w);
}

/* ModelProto: ir_version 8, opset 13, then graph (field 7) opened. */
static void wb_model(wb *w) {
  wb_int(w, 1, 8);
  wb_begin(w, 8);
  wb_int(w, 2, 13);
  wb_end(w);
  wb_begin(w, 7);
  wb_str(w, 2, "g");
}

/* GraphProto.input (11) or output (12): a float tensor of the given dims. */
static void wb_value(wb *w, unsigned field, const char *name, const int64_t *dims, int rank) {
  wb_begin(w, field);
  wb_str(w, 1, name);
  wb_begin(w, 2); /* TypeProto */
  wb_begin(w, 1); /* tensor_type */
  wb_int(w, 1, 1); /* FLOAT */
  wb_begin(w, 2); /* shape */
  for (int i = 0; i < rank; i++) {
    wb_begin(w, 1);
    wb_int(w, 1, dims[i]);
    wb_end(w);
  }
  wb_end(w);
  wb_end(w);
  wb_end(w);
  wb_end(w);
}

/* GraphProto.initializer (5): a float tensor's dims, no data. */
static void wb_init(wb *w, const char *name, const int64_t *dims, int rank) {
  wb_begin(w, 5);
  for (int i = 0; i < rank; i++) wb_int(w, 1, dims[i]);
  wb_int(w, 2, 1);
  wb_str(w, 8, name);
  wb_end(w);
}

/* GraphProto.node (1). */
static void wb_node(wb *w, const char *op, const char *name, const char *in0, const char *in1,
                    const char *out) {
  wb_begin(w, 1);
  wb_str(w, 1, in0);
  if (in1) wb_str(w, 1, in1);
  wb_str(w, 2, out);
  wb_str(w, 3, name);
  wb_str(w, 4, op);
  wb_end(w);
}

static uint64_t macs_of(const char *path, uint64_t *params) {
  em_diag d;
  wl_network *net;
  cm_energy_table *t;
  cm_layer_cost cost;
  assert_int_equal(cm_energy_table_default(&t, &d), EM_OK);
  em_status s = wl_load(path, &net, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  assert_int_equal(net->n_layers, 1);
  net->layers[0].w = net->layers[0].a = (wl_prec){32, true};
  s = cm_network_cost(net, t, NULL, &cost, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  wl_network_destroy(net);
  cm_energy_table_destroy(t);
  *params = cost.params;
  return cost.macs;
}

/* A MatMul of a and b (b an initializer when b_init), its output shape. */
static uint64_t matmul(const int64_t *da, int ra, const int64_t *db, int rb, int b_init,
                       wl_onnx_shape *out, uint64_t *params) {
  char path[256];
  snprintf(path, sizeof path, "%s/matmul.onnx", tmpd);
  wb w = {0};
  wb_model(&w);
  wb_node(&w, "MatMul", "mm", "a", "b", "y");
  wb_value(&w, 11, "a", da, ra);
  if (b_init) wb_init(&w, "b", db, rb);
  else wb_value(&w, 11, "b", db, rb);
  wb_begin(&w, 12);
  wb_str(&w, 1, "y");
  wb_end(&w);
  wb_end(&w);
  wb_write(&w, path);
  size_t n;
  em_diag d;
  assert_int_equal(wl_onnx_output_shapes(path, out, 1, &n, &d), EM_OK);
  assert_int_equal(n, 1);
  return macs_of(path, params);
}

static void batched_matmul(void **state) {
  (void)state;
  wl_onnx_shape o;
  uint64_t params;
  /* [2,3,4,5] x [2,3,5,6]: 2 * 3 = 6 products of 4x5 by 5x6, each
   * 4 * 6 outputs of 5 MACs: 6 * 120 = 720 MACs, output [2,3,4,6]; both
   * operands are activations: no parameters */
  static const int64_t a[4] = {2, 3, 4, 5}, b[4] = {2, 3, 5, 6};
  assert_int_equal(matmul(a, 4, b, 4, 0, &o, &params), 720);
  assert_int_equal(params, 0);
  assert_int_equal(o.rank, 4);
  assert_true(o.dim[0] == 2 && o.dim[1] == 3 && o.dim[2] == 4 && o.dim[3] == 6);
  /* broadcast: [2,1,4,5] x [3,5,6] has batch dims [2,1] and [3] -> [2,3]:
   * the same 720 MACs and output */
  static const int64_t a2[4] = {2, 1, 4, 5}, b2[3] = {3, 5, 6};
  assert_int_equal(matmul(a2, 4, b2, 3, 0, &o, &params), 720);
  assert_int_equal(o.rank, 4);
  assert_true(o.dim[0] == 2 && o.dim[1] == 3 && o.dim[2] == 4 && o.dim[3] == 6);
  /* a 5x6 weight matrix shared by the 6 batches: 720 MACs, 30 weights (no
   * bias) */
  static const int64_t w[2] = {5, 6};
  assert_int_equal(matmul(a, 4, w, 2, 1, &o, &params), 720);
  assert_int_equal(params, 30);
  /* [1,4,5] x [7,5,6]: batch 7 by broadcasting a's 1: 7 * 4 * 6 * 5 = 840 */
  static const int64_t a3[3] = {1, 4, 5}, b3[3] = {7, 5, 6};
  assert_int_equal(matmul(a3, 3, b3, 3, 0, &o, &params), 840);
  assert_true(o.rank == 3 && o.dim[0] == 7 && o.dim[1] == 4 && o.dim[2] == 6);
}

/* An operator's name is the file's text: the note that lists operators
 * without a cost model (printed to the terminal) escapes its control bytes,
 * as a diagnostic does (a line break split the note, an ESC coloured it). */
static void unknown_op_note(void **state) {
  (void)state;
  char path[256];
  snprintf(path, sizeof path, "%s/unknown_op.onnx", tmpd);
  static const int64_t a[2] = {4, 5}, b[2] = {5, 6};
  wb w = {0};
  wb_model(&w);
  wb_node(&w, "MatMul", "mm", "a", "b", "y");
  wb_node(&w, "Frob\033[31m\nx", "fr", "y", NULL, "z");
  wb_value(&w, 11, "a", a, 2);
  wb_init(&w, "b", b, 2);
  wb_begin(&w, 12);
  wb_str(&w, 1, "z");
  wb_end(&w);
  wb_end(&w);
  wb_write(&w, path);
  em_diag d;
  wl_network *net;
  em_status s = wl_load(path, &net, &d);
  if (s != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(s, EM_OK);
  assert_non_null(strstr(net->notes, "without a cost model: Frob\\x1b[31m\\nx x1"));
  wl_network_destroy(net);
}

/* A chain of n MatMuls by one 8x8 weight, t0 -> t1 -> ... -> tn, written
 * last node first: every node's input comes from a node after it. */
static void write_chain(const char *path, size_t n) {
  wb w = {0};
  wb_model(&w);
  char name[32], in[32], out[32];
  for (size_t i = n; i-- > 0;) {
    snprintf(name, sizeof name, "n%zu", i);
    snprintf(in, sizeof in, "t%zu", i);
    snprintf(out, sizeof out, "t%zu", i + 1);
    wb_node(&w, "MatMul", name, in, "w", out);
  }
  static const int64_t x[2] = {1, 8}, wd[2] = {8, 8};
  wb_init(&w, "w", wd, 2);
  wb_value(&w, 11, "t0", x, 2);
  snprintf(out, sizeof out, "t%zu", n);
  wb_begin(&w, 12);
  wb_str(&w, 1, out);
  wb_end(&w);
  wb_end(&w);
  wb_write(&w, path);
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The least CPU time of 3 loads of path, which must give n layers in
 * chain order. */
static double load_time(const char *path, size_t n) {
  double best = 1e30;
  for (int rep = 0; rep < 3; rep++) {
    em_diag d;
    wl_network *net;
    double t0 = cpu_seconds();
    em_status s = wl_onnx_load(path, &net, &d);
    double t = cpu_seconds() - t0;
    if (s != EM_OK) em_diag_print(&d, stderr);
    assert_int_equal(s, EM_OK);
    assert_int_equal(net->n_layers, n);
    assert_string_equal(net->layers[0].name, "n0");
    assert_string_equal(net->layers[n - 1].name, n == 50000 ? "n49999" : "n99999");
    wl_network_destroy(net);
    if (t < best) best = t;
  }
  return best;
}

static void reversed_chain(void **state) {
  (void)state;
  char p50[256], p100[256];
  snprintf(p50, sizeof p50, "%s/chain50k.onnx", tmpd);
  snprintf(p100, sizeof p100, "%s/chain100k.onnx", tmpd);
  write_chain(p50, 50000);
  write_chain(p100, 100000);
  /* ordering was quadratic: one pass over all nodes per node run (twice the
   * nodes, four times the time); now twice the nodes take about twice the
   * time (n log n) */
  double t50 = load_time(p50, 50000), t100 = load_time(p100, 100000);
  printf("  reversed chain: 50,000 nodes in %.3f s, 100,000 in %.3f s (%.2fx)\n", t50, t100,
         t100 / t50);
  assert_true(t100 < 3.0 * t50);
}

/* k subgraphs nested (an If node's then_branch holds the next graph)
 * around an innermost graph of one node with one attribute, which holds a
 * tensor when `tensor`: the deepest message is at depth 4 + 3k (the model
 * 1, its graph 2; each subgraph adds a node, an attribute and a graph),
 * one more with the tensor. */
static em_status nested(size_t k, int tensor, em_diag *d) {
  char path[256];
  snprintf(path, sizeof path, "%s/nested.onnx", tmpd);
  wb w = {0};
  wb_model(&w);
  for (size_t i = 0; i < k; i++) {
    wb_begin(&w, 1); /* GraphProto.node */
    wb_str(&w, 4, "If");
    wb_begin(&w, 5); /* NodeProto.attribute */
    wb_str(&w, 1, "then_branch");
    wb_int(&w, 20, 5); /* GRAPH */
    wb_begin(&w, 6);   /* AttributeProto.g */
  }
  wb_begin(&w, 1);
  wb_str(&w, 4, "Relu");
  wb_begin(&w, 5);
  wb_str(&w, 1, "a");
  if (tensor) {
    wb_begin(&w, 5); /* AttributeProto.t */
    wb_end(&w);
  }
  wb_end(&w);
  wb_end(&w);
  for (size_t i = 0; i < k; i++) {
    wb_end(&w);
    wb_end(&w);
    wb_end(&w);
  }
  wb_end(&w);
  wb_write(&w, path);
  wl_network *net;
  return wl_onnx_load(path, &net, d);
}

static void deep_nesting(void **state) {
  (void)state;
  em_diag d;
  /* the file: 3,000 nested subgraphs overflowed the stack inside
   * protobuf-c; refused before decoding */
  assert_int_equal(nested(3000, 0, &d), EM_ERR_LIMIT);
  assert_non_null(strstr(d.msg, "messages nested more than 100 deep at byte "));
  /* 32 subgraphs: the attribute is at depth 4 + 96 = 100, the limit: it
   * decodes (and the graph has no layer: no inputs at all) */
  assert_int_equal(nested(32, 0, &d), EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "no layer with a cost model"));
  /* a tensor in that attribute is at depth 101 */
  assert_int_equal(nested(32, 1, &d), EM_ERR_LIMIT);
  assert_non_null(strstr(d.msg, "messages nested more than 100 deep"));
}

static void memory_budget(void **state) {
  (void)state;
  /* 3,000,000 empty nodes: 6 MB of file (2 bytes each: a tag and a zero
   * length), about 190 bytes each for protobuf-c (a 104-byte NodeProto, a
   * pointer, 32 bytes of scratch) where the budget is 256 MiB + 8 bytes a
   * byte (301 MiB): refused before decoding */
  char path[256];
  snprintf(path, sizeof path, "%s/empty_nodes.onnx", tmpd);
  wb w = {0};
  wb_model(&w);
  static const uint8_t empty_node[2] = {0x0a, 0x00};
  for (int i = 0; i < 3000000; i++) wb_put(&w, empty_node, 2);
  wb_end(&w);
  size_t len = w.n;
  wb_write(&w, path);
  em_diag d;
  wl_network *net;
  assert_int_equal(wl_onnx_load(path, &net, &d), EM_ERR_LIMIT);
  char want[128];
  snprintf(want, sizeof want, "decoding needs more than %zu MiB, the limit for a file of %zu bytes",
           (size_t)((256ull << 20) + 8 * len) >> 20, len);
  assert_string_equal(d.msg, want);
  /* a tenth as many decode */
  wb_model(&w);
  for (int i = 0; i < 300000; i++) wb_put(&w, empty_node, 2);
  wb_end(&w);
  wb_write(&w, path);
  assert_int_equal(wl_onnx_load(path, &net, &d), EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "node 0 has no operator"));
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
                                     cmocka_unit_test(hostile_files),
                                     cmocka_unit_test(batched_matmul),
                                     cmocka_unit_test(unknown_op_note),
                                     cmocka_unit_test(reversed_chain),
                                     cmocka_unit_test(deep_nesting),
                                     cmocka_unit_test(memory_budget)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
