/*
 * test_workloads.c - the layer model, the topology reader and the built-in
 * networks.  Expected figures are the study book's tables, hand
 * calculations written next to them, or totals derived independently from
 * the published architectures (see the comments), never emlsim's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "wl_layer.h"
#include "wl_load.h"

/* MACs and weights+biases of a layer, straight from its shape (the study
 * book's formulas), independent of the cost model. */
static uint64_t macs_of(const wl_layer *l) {
  wl_gemm_view v = wl_layer_gemm_view(l);
  return v.groups * v.m * v.n * v.k;
}
static uint64_t params_of(const wl_layer *l) {
  uint64_t w = 0;
  if (l->kind == WL_CONV) w = l->k_h * l->k_w * (l->in_c / l->groups) * l->out_c;
  if (l->kind == WL_FC) w = l->in_c * l->out_c;
  if (l->kind == WL_GEMM && !l->b_is_activation) w = l->k * l->n;
  return w + (l->bias ? wl_layer_out_c(l) : 0);
}

static wl_network *load(const char *name) {
  wl_network *net = NULL;
  em_diag d;
  em_status st = wl_load(name, &net, &d);
  if (st != EM_OK) em_diag_print(&d, stderr);
  assert_int_equal(st, EM_OK);
  return net;
}

static void alexnet_matches_the_book(void **state) {
  (void)state;
  /* The study book's AlexNet table, row by row: output H, MACs, params. */
  static const struct {
    const char *name;
    uint64_t out_h, out_c, macs, params;
  } book[] = {
      {"CONV-1", 55, 96, 105415200, 34944},   {"POOL-1", 27, 96, 0, 0},
      {"CONV-2", 27, 256, 223948800, 307456}, {"POOL-2", 13, 256, 0, 0},
      {"CONV-3", 13, 384, 149520384, 885120}, {"CONV-4", 13, 384, 112140288, 663936},
      {"CONV-5", 13, 256, 74760192, 442624},  {"POOL-3", 6, 256, 0, 0},
      {"FC-1", 1, 4096, 37748736, 37752832},  {"FC-2", 1, 4096, 16777216, 16781312},
      {"FC-3", 1, 1000, 4096000, 4097000},
  };
  wl_network *net = load("alexnet");
  assert_int_equal(net->n_layers, 11);
  uint64_t macs = 0, params = 0;
  for (size_t i = 0; i < 11; i++) {
    const wl_layer *l = &net->layers[i];
    assert_string_equal(l->name, book[i].name);
    assert_int_equal(wl_layer_out_h(l), book[i].out_h);
    assert_int_equal(wl_layer_out_w(l), book[i].out_h);
    assert_int_equal(wl_layer_out_c(l), book[i].out_c);
    assert_int_equal(macs_of(l), book[i].macs);
    assert_int_equal(params_of(l), book[i].params);
    macs += macs_of(l);
    params += params_of(l);
  }
  assert_int_equal(macs, 724406816);
  assert_int_equal(params, 60965224);
  wl_network_destroy(net);
}

static void sum_net(const char *name, uint64_t *macs, uint64_t *params) {
  wl_network *net = load(name);
  *macs = *params = 0;
  for (size_t i = 0; i < net->n_layers; i++) {
    *macs += macs_of(&net->layers[i]);
    *params += params_of(&net->layers[i]);
  }
  wl_network_destroy(net);
}

static void builtin_totals(void **state) {
  (void)state;
  uint64_t m, p;
  /* Study book, Inception 5x5 on 28x28x192: plain 120,422,400 MACs and
   * 153,600 weights; with the 1x1x16 bottleneck 12,443,648 and 15,872. */
  sum_net("inception5x5", &m, &p);
  assert_int_equal(m, 120422400);
  assert_int_equal(p, 153600);
  sum_net("inception5x5-bottleneck", &m, &p);
  assert_int_equal(m, 12443648);
  assert_int_equal(p, 15872);
  /* VGG-16: 138,357,544 parameters (the published count, torchvision
   * agrees); MACs by hand: sum over the 13 convs of E^2*9*C*M plus the FCs
   * 25088*4096 + 4096*4096 + 4096*1000 = 15,470,264,320. */
  sum_net("vgg16", &m, &p);
  assert_int_equal(p, 138357544);
  assert_int_equal(m, 15470264320ull);
  /* ResNet-18/50: torchvision's parameter counts 11,689,512 and 25,557,032
   * include batch norm (2 per channel: 9,600 and 53,120 here), which is
   * folded, not a layer: 11,679,912 and 25,503,912. MACs from a separate
   * script over the torchvision layer list: 1,814,073,344 and
   * 4,089,184,256 (the usual "1.8 G" and "4.1 G"). */
  sum_net("resnet18", &m, &p);
  assert_int_equal(p, 11679912);
  assert_int_equal(m, 1814073344ull);
  sum_net("resnet50", &m, &p);
  assert_int_equal(p, 25503912);
  assert_int_equal(m, 4089184256ull);
  /* MobileNetV2 1.0: torchvision 3,504,872 parameters minus 34,112 of batch
   * norm = 3,470,760; 300,774,272 MACs (the published "300 M"). */
  sum_net("mobilenetv2", &m, &p);
  assert_int_equal(p, 3470760);
  assert_int_equal(m, 300774272);
  /* SimpleCNN: conv1 28*28*16*9 = 112,896 MACs, 16*9+16 = 160 params;
   * conv2 14*14*32*144 = 903,168, 32*144+32 = 4,640; fc1 1568*128 =
   * 200,704, +128; fc2 1,280, +10. Totals 1,218,048 MACs, 206,922 params. */
  sum_net("simplecnn", &m, &p);
  assert_int_equal(m, 1218048);
  assert_int_equal(p, 206922);
  /* BERT-base layer, seq 128: 4 projections 128*768*768 = 75,497,472 each,
   * scores and context 12*128*128*64 = 12,582,912 each, FFN 2*128*768*3072
   * = 603,979,776: 931,135,488 MACs. Params 4*(768*768+768) + (768*3072 +
   * 3072) + (3072*768 + 768) = 7,084,800 (7,087,872 with the layer norms). */
  sum_net("bert-base-layer", &m, &p);
  assert_int_equal(m, 931135488);
  assert_int_equal(p, 7084800);
}

static void unknown_builtin_lists_names(void **state) {
  (void)state;
  wl_network *net;
  em_diag d;
  assert_int_equal(wl_load("alexnett", &net, &d), EM_ERR_NOTFOUND);
  assert_non_null(strstr(d.msg, "unknown workload 'alexnett'"));
  assert_non_null(strstr(d.msg, "resnet18"));
}

static wl_network *read_text(const char *text, em_diag *d, em_status want) {
  wl_network *net = NULL;
  em_status st = wl_topology_read_mem("t.csv", text, strlen(text), &net, d);
  if (st != want) em_diag_print(d, stderr);
  assert_int_equal(st, want);
  return net;
}

static void topology_conv_form(void **state) {
  (void)state;
  em_diag d;
  /* SCALE-Sim's AlexNet Conv1: 224 input, 11x11/4: E = ceil((224-11+4)/4)
   * = ceil(54.25) = 55 (a floor rule would give 54). No trailing comma on
   * the second row: both forms are accepted. */
  wl_network *net = read_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                              "Width, Channels, Num Filter, Strides,\n"
                              "Conv1 ,224 ,224 ,11 ,11 ,3 ,96 ,4 ,\n"
                              "DPconv, 14, 14, 3, 3, 8, 1, 1\n",
                              &d, EM_OK);
  assert_int_equal(net->n_layers, 2);
  const wl_layer *l = &net->layers[0];
  assert_true(l->ceil_mode);
  assert_false(l->bias);
  assert_int_equal(wl_layer_out_h(l), 55);
  assert_int_equal(macs_of(l), 55ull * 55 * 96 * 363);
  assert_int_equal(l->src_line, 2);
  /* DP: SCALE-Sim runs 8 one-channel layers of 1 filter: 12*12*9 MACs each. */
  l = &net->layers[1];
  assert_int_equal(l->groups, 8);
  assert_int_equal(l->out_c, 8);
  assert_int_equal(macs_of(l), 8ull * 12 * 12 * 9);
  assert_string_equal(net->name, "t");
  wl_network_destroy(net);
}

/* SCALE-Sim writes a fully connected layer as a 1 x 1 filter over a 1 x 1
 * map: it reads as an FC (512 in, 10 out: 5,120 MACs), so that every model
 * runs it as the network's own FC.  With padding, two groups or a 2 x 2
 * map it stays a convolution. */
static void topology_fc_rows(void **state) {
  (void)state;
  em_diag d;
  wl_network *net = read_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                              "Width, Channels, Num Filter, Strides, Groups, Padding\n"
                              "fc, 1, 1, 1, 1, 512, 10, 1, 1, 0\n"
                              "g2, 1, 1, 1, 1, 512, 10, 1, 2, 0\n"
                              "map, 2, 2, 1, 1, 512, 10, 1, 1, 0\n"
                              "pad, 1, 1, 1, 1, 512, 10, 1, 1, 1\n",
                              &d, EM_OK);
  assert_int_equal(net->layers[0].kind, WL_FC);
  assert_int_equal(net->layers[0].in_c, 512);
  assert_int_equal(net->layers[0].out_c, 10);
  assert_false(net->layers[0].bias); /* SCALE-Sim counts none */
  assert_int_equal(macs_of(&net->layers[0]), 5120);
  assert_int_equal(net->layers[1].kind, WL_CONV);
  assert_int_equal(net->layers[2].kind, WL_CONV);
  assert_int_equal(net->layers[3].kind, WL_CONV); /* 3 x 3 outputs of the padded map */
  assert_int_equal(wl_layer_out_h(&net->layers[3]), 3);
  wl_network_destroy(net);
}

/* The Input and Padding columns: the layer as it is beside SCALE-Sim's
 * view of it.  ResNet-18's conv1: 224 padded by 3, 7 x 7 at stride 2,
 * E = floor((224 + 6 - 7) / 2) + 1 = 112, view (112 - 1) 2 + 7 = 229
 * (rounded up, E would be 113 and the view 231).  SCALE-Sim's AlexNet
 * Conv1, 224 unpadded, 11 x 11 at 4: E = ceil(213 / 4) + 1 = 55 only
 * rounded up (down: 54, view 223), view 54 x 4 + 11 = 227. */
static void topology_exact_columns(void **state) {
  (void)state;
  em_diag d;
  const char *head = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                     "Channels, Num Filter, Strides, Input Height, Input Width, Padding "
                     "Height, Padding Width\n";
  char text[512];
  snprintf(text, sizeof text, "%sconv1, 229, 229, 7, 7, 3, 64, 2, 224, 224, 3, 3\n"
                              "Conv1, 227, 227, 11, 11, 3, 96, 4, 224, 224, 0, 0\n", head);
  wl_network *net = read_text(text, &d, EM_OK);
  const wl_layer *l = &net->layers[0];
  assert_int_equal(l->in_h, 224);
  assert_int_equal(l->pad_h, 3);
  assert_int_equal(l->pad_w, 3);
  assert_false(l->ceil_mode);
  assert_int_equal(wl_layer_out_h(l), 112);
  assert_int_equal(macs_of(l), 112ull * 112 * 64 * 147);
  l = &net->layers[1];
  assert_int_equal(l->in_h, 224);
  assert_true(l->ceil_mode);
  assert_int_equal(wl_layer_out_h(l), 55);
  wl_network_destroy(net);
  /* a view that neither rounding gives: 230 (down 229, up 231) */
  snprintf(text, sizeof text, "%sconv1, 230, 229, 7, 7, 3, 64, 2, 224, 224, 3, 3\n", head);
  read_text(text, &d, EM_ERR_RANGE);
  assert_int_equal(d.line, 2);
  assert_int_equal(d.col, 8);
  assert_non_null(strstr(d.msg, "'IFMAP Height' 230 contradicts 'Input Height' 224"));
  assert_non_null(strstr(d.msg, "reads 229 of the padded input"));
  /* rounded down one way, up the other: the height as conv1's above, 229
   * only down; the width 224 unpadded, 11 at stride 2: span 213, down
   * E = 107, view 106 x 2 + 11 = 223, up E = 108, view 225: 225 only up */
  snprintf(text, sizeof text, "%sx, 229, 225, 7, 11, 3, 64, 2, 224, 224, 3, 0\n", head);
  read_text(text, &d, EM_ERR_RANGE);
  assert_non_null(strstr(d.msg, "rounded two ways"));
  /* all four or none, and not beside 'Padding' */
  read_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
            "Num Filter, Strides, Input Height\nc, 3, 3, 3, 3, 1, 1, 1, 3\n",
            &d, EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "missing column 'Input Width'"));
  snprintf(text, sizeof text, "%.*s, Padding\nc, 3, 3, 3, 3, 1, 1, 1, 3, 3, 0, 0, 0\n",
           (int)strlen(head) - 1, head);
  read_text(text, &d, EM_ERR_PARSE);
  assert_non_null(strstr(d.msg, "one or the other"));
}

static void topology_gemm_and_optional_columns(void **state) {
  (void)state;
  em_diag d;
  wl_network *net = read_text("Layer Name, M, N, K,\nTest 1, 128, 64, 256,\n", &d, EM_OK);
  const wl_layer *l = &net->layers[0];
  assert_int_equal(l->kind, WL_GEMM);
  assert_int_equal(macs_of(l), 128ull * 64 * 256);
  wl_network_destroy(net);

  net = read_text("layer_name,ifmap_height,ifmap_width,filter_height,filter_width,channels,"
                  "num_filter,strides,padding,groups,bias,weight_bits,activation_bits,"
                  "sparsity,pattern\n"
                  "c, 27, 27, 5, 5, 96, 256, 1, 2, 2, yes, int4, 8, 0.5, 2:4\n",
                  &d, EM_OK);
  l = &net->layers[0];
  assert_int_equal(l->pad_h, 2);
  assert_int_equal(l->groups, 2);
  assert_true(l->bias);
  assert_int_equal(l->w.bits, 4);
  assert_int_equal(l->a.bits, 8);
  assert_int_equal(l->pattern, WL_SP_NM);
  assert_int_equal(l->nm_n, 2);
  assert_int_equal(l->nm_m, 4);
  /* The book's CONV-2: 223,948,800 MACs. */
  assert_int_equal(macs_of(l), 223948800);
  wl_network_destroy(net);
}

static void gpt3_sized_gemm_does_not_overflow(void **state) {
  (void)state;
  em_diag d;
  /* 12288 x 49152 weights at 2048 tokens: 2048*49152*12288 =
   * 1,236,950,581,248 MACs (> 2^32, far below 2^64). */
  wl_network *net = read_text("Layer Name, M, N, K\nffn, 2048, 49152, 12288\n", &d, EM_OK);
  assert_true(macs_of(&net->layers[0]) == 1236950581248ull);
  wl_network_destroy(net);
  /* 2^31 cubed = 2^93 MACs: refused, never wrapped. */
  net = read_text("Layer Name, M, N, K\nhuge, 2147483648, 2147483648, 2147483648\n", &d,
                  EM_ERR_OVERFLOW);
  assert_int_equal(d.line, 2);
  assert_non_null(strstr(d.msg, "overflows 64 bits"));
}

static void topology_bad_inputs(void **state) {
  (void)state;
  static const char *hdr = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                           "Width, Channels, Num Filter, Strides,\n";
  /* Each: the text after the header, the expected line:col and message. */
  static const struct {
    const char *rows;
    em_status st;
    uint64_t line, col;
    const char *msg;
  } cases[] = {
      {"", EM_ERR_PARSE, 1, 1, "no layers"}, /* at the header */
      /* just past the last field: "c, 8, 8, 3, 3, 4, 4" is 19 characters */
      {"c, 8, 8, 3, 3, 4, 4\n", EM_ERR_PARSE, 2, 20, "expected 8 fields"},
      {"c, 8, 8, 3, 3, 4, 4,\n", EM_ERR_PARSE, 2, 21, "'Strides' is empty"},
      {"c, 8, 8, 3, 3, 4, 4, 1, 9\n", EM_ERR_PARSE, 2, 25, "unexpected field '9'"},
      {"c, 8, x8, 3, 3, 4, 4, 1\n", EM_ERR_PARSE, 2, 7, "'IFMAP Width' must be an integer"},
      {"c, 8, 8, 3, 3, 4, 0, 1\n", EM_ERR_RANGE, 2, 19, "'Num Filter' must be in"},
      {"c, 8, 8, 3, 3, 4, 4, -1\n", EM_ERR_RANGE, 2, 22, "'Strides' must be in"},
      /* at 'Filter Height', the 9 in column 10 */
      {"c, 8, 8, 9, 3, 4, 4, 1\n", EM_ERR_RANGE, 2, 10, "larger than the padded input"},
      {", 8, 8, 3, 3, 4, 4, 1\n", EM_ERR_PARSE, 2, 1, "'Layer name' must not be empty"},
      {"c, 8, 8, 3, 3, 4, 4, \"1\n", EM_ERR_PARSE, 2, 22, "unterminated"},
      {"c, 8, 8, 3, 3, 4, 4, 99999999999999999999\n", EM_ERR_RANGE, 2, 22, "'Strides'"},
  };
  char text[512];
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    snprintf(text, sizeof text, "%s%s", hdr, cases[i].rows);
    em_diag d;
    wl_network *net = NULL;
    em_status st = wl_topology_read_mem("t.csv", text, strlen(text), &net, &d);
    if (st != cases[i].st || d.line != cases[i].line || d.col != cases[i].col ||
        !strstr(d.msg, cases[i].msg)) {
      fprintf(stderr, "case %zu: ", i);
      em_diag_print(&d, stderr);
    }
    assert_int_equal(st, cases[i].st);
    assert_null(net);
    assert_int_equal(d.line, cases[i].line);
    assert_int_equal(d.col, cases[i].col);
    assert_non_null(strstr(d.msg, cases[i].msg));
  }
  /* Header problems. */
  static const struct {
    const char *text;
    uint64_t line, col;
    const char *msg;
  } hcases[] = {
      {"", 1, 1, "empty topology"},
      {"Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
       "Strides\n",
       1, 1, "missing column 'Num Filter'"},
      {"Layer name, M, N, K, Colour\n", 1, 22, "unknown column 'Colour'"},
      {"Layer name, M, N, K, M\n", 1, 22, "column 'M' appears twice"},
      {"Layer name, M, N, K, Groups\n", 1, 22, "do not apply to a GEMM"},
  };
  for (size_t i = 0; i < sizeof hcases / sizeof *hcases; i++) {
    em_diag d;
    wl_network *net = NULL;
    em_status st = wl_topology_read_mem("t.csv", hcases[i].text, strlen(hcases[i].text),
                                        &net, &d);
    if (d.line != hcases[i].line || d.col != hcases[i].col || !strstr(d.msg, hcases[i].msg)) {
      fprintf(stderr, "header case %zu: ", i);
      em_diag_print(&d, stderr);
    }
    assert_int_not_equal(st, EM_OK);
    assert_int_equal(d.line, hcases[i].line);
    assert_int_equal(d.col, hcases[i].col);
    assert_non_null(strstr(d.msg, hcases[i].msg));
  }
}

static void optional_column_errors(void **state) {
  (void)state;
  /* The optional field starts at column 25 of the row "c, 8, 8, 3, 3, 4, 4, 1, X". */
  static const struct {
    const char *col, *val, *msg;
  } cases[] = {
      {"Weight Bits", "0", "'Weight Bits' must be a width in [1, 64]"},
      {"Activation Bits", "65", "'Activation Bits' must be a width in [1, 64]"},
      {"Sparsity", "1.5", "'Sparsity' must be a fraction in [0, 1)"},
      {"Pattern", "3:2", "'Pattern' must be"},
      {"Bias", "maybe", "'Bias' must be 0, 1"},
      {"Groups", "3", "'Groups' (3) must divide the input channels (4)"},
      {"Padding", "x", "'Padding' must be an integer"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[512];
    snprintf(text, sizeof text,
             "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
             "Channels, Num Filter, Strides, %s\nc, 8, 8, 3, 3, 4, 4, 1, %s\n",
             cases[i].col, cases[i].val);
    em_diag d;
    wl_network *net = NULL;
    em_status st = wl_topology_read_mem("t.csv", text, strlen(text), &net, &d);
    if (!strstr(d.msg, cases[i].msg)) em_diag_print(&d, stderr);
    assert_int_not_equal(st, EM_OK);
    assert_int_equal(d.line, 2);
    /* Field errors point at the field; so do cross-field ones (groups), at
     * the first column the message names. */
    assert_int_equal(d.col, 25);
    assert_non_null(strstr(d.msg, cases[i].msg));
  }
}

static void sparsity_contradicts_pattern(void **state) {
  (void)state;
  /* 2:4 keeps 2 of every 4 weights, a sparsity of 0.5: a Sparsity column
   * of 0.9 beside it contradicts it, as does 0.3 beside dense; 0.5 with 2:4
   * and 0.3 alone (unstructured) are read as given */
  static const struct {
    const char *row, *msg;
    double sparsity;
  } cases[] = {
      {"a, 64, 64, 64, 0.9, 2:4", "'Sparsity' 0.9 contradicts 'Pattern' 2:4, whose sparsity is 0.5",
       0},
      {"a, 64, 64, 64, 0.3, dense", "'Sparsity' 0.3 contradicts 'Pattern' dense", 0},
      {"a, 64, 64, 64, 0.5, 2:4", NULL, 0.5},
      {"a, 64, 64, 64, 0.3, unstructured", NULL, 0.3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[256];
    snprintf(text, sizeof text, "Layer Name, M, N, K, Sparsity, Pattern\n%s\n", cases[i].row);
    em_diag d;
    wl_network *net = NULL;
    em_status st = wl_topology_read_mem("t.csv", text, strlen(text), &net, &d);
    if (!cases[i].msg) {
      assert_int_equal(st, EM_OK);
      assert_float_equal(net->layers[0].sparsity, cases[i].sparsity, 1e-12);
      wl_network_destroy(net);
      continue;
    }
    assert_int_not_equal(st, EM_OK);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 16); /* the Sparsity field */
    assert_non_null(strstr(d.msg, cases[i].msg));
  }
}

static void precision_names(void **state) {
  (void)state;
  wl_prec p;
  char buf[16];
  assert_int_equal(wl_prec_parse("int8", &p), EM_OK);
  assert_int_equal(p.bits, 8);
  assert_false(p.fp);
  assert_int_equal(wl_prec_parse("FP16", &p), EM_OK);
  assert_true(p.fp);
  assert_int_equal(wl_prec_parse("binary", &p), EM_OK);
  assert_int_equal(p.bits, 1);
  wl_prec_format(p, buf, sizeof buf);
  assert_string_equal(buf, "binary");
  assert_int_equal(wl_prec_parse("0", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("65", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("fp12", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("eight", &p), EM_ERR_PARSE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(alexnet_matches_the_book),
      cmocka_unit_test(builtin_totals),
      cmocka_unit_test(unknown_builtin_lists_names),
      cmocka_unit_test(topology_conv_form),
      cmocka_unit_test(topology_gemm_and_optional_columns),
      cmocka_unit_test(topology_fc_rows),
      cmocka_unit_test(topology_exact_columns),
      cmocka_unit_test(gpt3_sized_gemm_does_not_overflow),
      cmocka_unit_test(topology_bad_inputs),
      cmocka_unit_test(optional_column_errors),
      cmocka_unit_test(sparsity_contradicts_pattern),
      cmocka_unit_test(precision_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
