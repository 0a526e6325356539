/*
 * test_workloads.c - the layer model, the topology reader and the built-in
 * networks.  Expected figures are the study book's tables, hand
 * calculations written next to them, or totals derived independently from
 * the published architectures (see the comments), never emlsim's output.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cm_cost.h"
#include "cm_energy.h"
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
   * folded, not a layer: 11,679,912 and 25,503,912. MACs 1,814,073,344 and
   * 4,089,184,256 (the usual "1.8 G" and "4.1 G"): the sums of the stages
   * derived by hand in resnet_stages below. */
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

/* ResNet-18 and ResNet-50 (He et al., CVPR 2016) in torchvision's layout
 * (v1.5: a bottleneck strides in its 3x3), stage by stage, by hand from the
 * published shapes. A conv's MACs are out_h x out_w x out_c x k x k x in_c;
 * its outputs out_h x out_w x out_c. Input 224 x 224 x 3.
 *
 * Both: conv1 7x7/2, 3 -> 64: 112 x 112 x 64 x (7 x 7 x 3) = 118,013,952
 * MACs, 802,816 outputs; maxpool 3x3/2 -> 56 x 56 x 64 = 200,704 outputs.
 *
 * ResNet-18, basic blocks of two 3x3 convs, [2, 2, 2, 2]:
 *   layer1 (56 x 56, 64): 4 x 3136 x 64 x 576 = 4 x 115,605,504
 *     = 462,422,016
 *   layer2 (28 x 28, 128): first 3x3/2 64 -> 128, 784 x 128 x 576
 *     = 57,802,752; three 3x3 128 -> 128, 784 x 128 x 1152 = 3 x
 *     115,605,504; 1x1/2 shortcut 64 -> 128, 784 x 128 x 64 = 6,422,528:
 *     411,041,792
 *   layer3 (14 x 14, 256), layer4 (7 x 7, 512): each halves the side and
 *     doubles both channel counts, so every term is layer2's: 411,041,792
 *   fc 512 x 1000 = 512,000
 *   total 118,013,952 + 462,422,016 + 3 x 411,041,792 + 512,000
 *     = 1,814,073,344.
 *
 * ResNet-50, bottlenecks 1x1 (width w), 3x3 (w), 1x1 (4w), [3, 4, 6, 3],
 * w = 64, 128, 256, 512; a 1x1 projection shortcut in each stage's first
 * block. At out side E and input channels C:
 *   layer1 (E 56): block 0 (C 64): 3136 x 64 x 64 = 12,845,056 +
 *     3136 x 64 x 576 = 115,605,504 + 3136 x 256 x 64 = 51,380,224 +
 *     shortcut 51,380,224 = 231,211,008; blocks 1-2 (C 256): 51,380,224 +
 *     115,605,504 + 51,380,224 = 218,365,952 each: 667,942,912
 *   layer2 (E 28): block 0, its first 1x1 still at 56 x 56 (the stride is
 *     in the 3x3): 3136 x 128 x 256 = 102,760,448 + 784 x 128 x 1152 =
 *     115,605,504 + 784 x 512 x 128 = 51,380,224 + shortcut 784 x 512 x
 *     256 = 102,760,448: 372,506,624; blocks 1-3: 218,365,952 each (as
 *     layer1's: E^2 a quarter, in and out channels each twice): 1,027,604,480
 *   layer3 (E 14): 372,506,624 + 5 x 218,365,952 = 1,464,336,384
 *   layer4 (E 7): 372,506,624 + 2 x 218,365,952 = 809,238,528
 *   fc 2048 x 1000 = 2,048,000
 *   total 118,013,952 + 667,942,912 + 1,027,604,480 + 1,464,336,384 +
 *     809,238,528 + 2,048,000 = 4,089,184,256.
 * (He et al.'s v1 strides in the first 1x1 instead: each of layers 2-4's
 * first 1x1 computes a quarter as many outputs, 102,760,448 - 25,690,112 =
 * 77,070,336 MACs fewer, 3 x that: 3,857,973,248, the paper's "3.8 x 10^9
 * FLOPs" and the study book's "3.9 GFLOPs".)
 *
 * ResNet-50's outputs, every layer's (conv, pool, residual add, FC), the
 * activations the cost model counts (cm_cost.h):
 *   stem: 802,816 + 200,704 = 1,003,520
 *   layer1: block 0: 200,704 + 200,704 + 802,816 + shortcut 802,816 + add
 *     802,816 = 2,809,856; blocks 1-2: 2,007,040 each: 6,823,936
 *   layer2: block 0: 56 x 56 x 128 = 401,408 + 100,352 + 401,408 +
 *     401,408 + 401,408 = 1,705,984; blocks 1-3: 100,352 + 100,352 +
 *     401,408 + 401,408 = 1,003,520 each: 4,716,544
 *   layer3: 200,704 + 50,176 + 3 x 200,704 = 852,992; + 5 x 501,760:
 *     3,361,792
 *   layer4: 100,352 + 25,088 + 3 x 100,352 = 426,496; + 2 x 250,880:
 *     928,256
 *   head: avgpool 2048 + fc 1000 = 3,048
 *   total 16,837,096 fp32 values = 67,348,384 B, 67.3 MB.
 * Against the study book's ResNet-50 (workloads/README.md): its 187 MB of
 * activations is 187 / 67.348 = 2.78x ours ("2.8x"); its 3.9 GFLOPs
 * 4,089,184,256 / 3.9e9 = 1.04851 of it, "+4.9 %" (the README said +4.8 %,
 * truncated, and called these counts "conv and FC outputs", which are
 * 11,114,984 of them; both corrected there). */
static void resnet_stages(void **state) {
  (void)state;
  static const char *const stage[] = {"stem", "layer1", "layer2", "layer3", "layer4", "head"};
  static const struct {
    const char *name;
    uint64_t macs[6], outputs[6]; /* outputs 0: not derived above */
  } want[] = {
      {"resnet18",
       {118013952, 462422016, 411041792, 411041792, 411041792, 512000},
       {0}},
      {"resnet50",
       {118013952, 667942912, 1027604480, 1464336384, 809238528, 2048000},
       {1003520, 6823936, 4716544, 3361792, 928256, 3048}},
  };
  for (size_t n = 0; n < 2; n++) {
    wl_network *net = load(want[n].name);
    uint64_t macs[6] = {0}, out[6] = {0};
    for (size_t i = 0; i < net->n_layers; i++) {
      const wl_layer *l = &net->layers[i];
      size_t s = 0; /* conv1, maxpool */
      if (strncmp(l->name, "layer", 5) == 0 && l->name[5] >= '1' && l->name[5] <= '4' &&
          l->name[6] == '.')
        s = (size_t)(l->name[5] - '0');
      else if (strcmp(l->name, "avgpool") == 0 || strcmp(l->name, "fc") == 0)
        s = 5;
      else if (strcmp(l->name, "conv1") != 0 && strcmp(l->name, "maxpool") != 0)
        fail_msg("%s: layer '%s' in no stage", want[n].name, l->name);
      macs[s] += macs_of(l);
      out[s] += l->batch * wl_layer_out_h(l) * wl_layer_out_w(l) * wl_layer_out_c(l);
    }
    for (size_t s = 0; s < 6; s++) {
      if (macs[s] != want[n].macs[s])
        fail_msg("%s %s: %llu MACs, by hand %llu", want[n].name, stage[s],
                 (unsigned long long)macs[s], (unsigned long long)want[n].macs[s]);
      if (want[n].outputs[s] && out[s] != want[n].outputs[s])
        fail_msg("%s %s: %llu outputs, by hand %llu", want[n].name, stage[s],
                 (unsigned long long)out[s], (unsigned long long)want[n].outputs[s]);
    }
    wl_network_destroy(net);
  }

  /* the cost model's count (cm_cost.h: activations) and the README's
   * ratios to the study book's figures */
  wl_network *net = load("resnet50");
  wl_network_set_prec(net, (wl_prec){32, true}, (wl_prec){32, true}, true);
  cm_energy_table *et;
  em_diag d;
  assert_int_equal(cm_energy_table_default(&et, &d), EM_OK);
  cm_layer_cost total;
  assert_int_equal(cm_network_cost(net, et, NULL, &total, &d), EM_OK);
  assert_int_equal(total.activations, 16837096);
  assert_int_equal(total.activation_bytes, 67348384);
  assert_int_equal(total.macs, 4089184256ull);
  /* "67.3 MB", "2.8x less" and "+4.9 %", each to the digits printed */
  assert_int_equal(llround(total.activation_bytes / 1e5), 673);
  assert_int_equal(llround(187e6 / (double)total.activation_bytes * 10), 28);
  assert_int_equal(llround(((double)total.macs / 3.9e9 - 1) * 1000), 49);
  cm_energy_table_destroy(et);
  wl_network_destroy(net);
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
  /* bf16 alone is a brain float (read as fp16); bf8, bf32, bf64 are no format */
  assert_int_equal(wl_prec_parse("BF16", &p), EM_OK);
  assert_int_equal(p.bits, 16);
  assert_true(p.fp);
  assert_int_equal(wl_prec_parse("bf8", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("bf32", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("bf64", &p), EM_ERR_RANGE);
  assert_int_equal(wl_prec_parse("eight", &p), EM_ERR_PARSE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(alexnet_matches_the_book),
      cmocka_unit_test(builtin_totals),
      cmocka_unit_test(resnet_stages),
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
