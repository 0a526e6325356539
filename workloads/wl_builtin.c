/*
 * wl_builtin.c - networks built in by name, written from the published
 * architectures (layer shapes are facts; the sources are named per network).
 *
 * Conventions: inputs are 224 x 224 x 3 unless the source says otherwise;
 * convolutions followed by batch norm have no bias (torchvision), batch norm
 * itself is not a layer here (it folds into the convolution for inference);
 * residual joins are element-wise adds; ReLU is folded into the layer before.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "em_parse.h"
#include "wl_load.h"
#include "wl_onnx.h"

typedef em_status (*build_fn)(wl_network *net, em_diag *d);

/* A small builder that tracks the current feature map, so that each
 * network reads like its paper's table. */
typedef struct {
  wl_network *net;
  em_diag *d;
  em_status st;
  uint64_t h, w, c; /* current feature map */
} builder;

static void add(builder *b, wl_layer l) {
  if (b->st != EM_OK) return;
  b->st = wl_network_add(b->net, &l, b->d);
  if (b->st != EM_OK) return;
  b->h = wl_layer_out_h(&l);
  b->w = wl_layer_out_w(&l);
  b->c = wl_layer_out_c(&l);
}

static void conv(builder *b, const char *name, uint64_t k, uint64_t out_c, uint64_t stride,
                 uint64_t pad, uint64_t groups, bool bias) {
  wl_layer l = wl_conv(name, b->h, b->w, b->c, k, out_c, stride, pad, groups);
  l.bias = bias;
  add(b, l);
}

static void pool(builder *b, const char *name, wl_pool_op op, uint64_t k, uint64_t stride,
                 uint64_t pad) {
  add(b, wl_pool(name, op, b->h, b->w, b->c, k, stride, pad));
}

static void fc(builder *b, const char *name, uint64_t out) {
  add(b, wl_fc(name, b->h * b->w * b->c, out));
}

static void eltwise(builder *b, const char *name, wl_eltwise_op op, uint64_t inputs) {
  add(b, wl_eltwise(name, op, b->h, b->w, b->c, inputs));
}

static void gemm(builder *b, const char *name, uint64_t m, uint64_t n, uint64_t k,
                 uint64_t batch, bool weights) {
  wl_layer l = wl_gemm(name, m, n, k);
  l.batch = batch;
  l.bias = weights;
  l.b_is_activation = !weights;
  add(b, l);
  /* A GEMM's output as a feature map: M rows of N. */
  b->h = m;
  b->w = 1;
  b->c = n;
}

/* AlexNet exactly as the study book's table: 227x227x3 input, grouped
 * CONV-2/4/5 (two GPUs), biases everywhere; 724,406,816 MACs, 60,965,224
 * parameters (Krizhevsky et al., NIPS 2012). */
static em_status build_alexnet(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 227, 227, 3};
  conv(&b, "CONV-1", 11, 96, 4, 0, 1, true);
  pool(&b, "POOL-1", WL_POOL_MAX, 3, 2, 0);
  conv(&b, "CONV-2", 5, 256, 1, 2, 2, true);
  pool(&b, "POOL-2", WL_POOL_MAX, 3, 2, 0);
  conv(&b, "CONV-3", 3, 384, 1, 1, 1, true);
  conv(&b, "CONV-4", 3, 384, 1, 1, 2, true);
  conv(&b, "CONV-5", 3, 256, 1, 1, 2, true);
  pool(&b, "POOL-3", WL_POOL_MAX, 3, 2, 0);
  fc(&b, "FC-1", 4096);
  fc(&b, "FC-2", 4096);
  fc(&b, "FC-3", 1000);
  return b.st;
}

/* VGG-16, configuration D (Simonyan & Zisserman, ICLR 2015). */
static em_status build_vgg16(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 224, 224, 3};
  static const struct {
    uint64_t c, n;
  } stages[] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
  char name[WL_NAME_MAX];
  for (int s = 0; s < 5; s++) {
    for (uint64_t i = 0; i < stages[s].n; i++) {
      snprintf(name, sizeof name, "conv%d_%llu", s + 1, (unsigned long long)i + 1);
      conv(&b, name, 3, stages[s].c, 1, 1, 1, true);
    }
    snprintf(name, sizeof name, "pool%d", s + 1);
    pool(&b, name, WL_POOL_MAX, 2, 2, 0);
  }
  fc(&b, "fc6", 4096);
  fc(&b, "fc7", 4096);
  fc(&b, "fc8", 1000);
  return b.st;
}

/* ResNet-18/50 (He et al., CVPR 2016) in torchvision's layout: stride in the
 * 3x3 convolution of a bottleneck (v1.5), 1x1 projection shortcuts where the
 * shape changes. */
static em_status build_resnet(wl_network *net, em_diag *d, const int *blocks,
                              bool bottleneck) {
  builder b = {net, d, EM_OK, 224, 224, 3};
  char name[WL_NAME_MAX];
  conv(&b, "conv1", 7, 64, 2, 3, 1, false);
  pool(&b, "maxpool", WL_POOL_MAX, 3, 2, 1);
  static const uint64_t widths[4] = {64, 128, 256, 512};
  for (int s = 0; s < 4; s++) {
    for (int i = 0; i < blocks[s]; i++) {
      uint64_t stride = (i == 0 && s > 0) ? 2 : 1;
      uint64_t w = widths[s], out = bottleneck ? 4 * w : w;
      builder in = b; /* the block's input, for the shortcut */
      if (bottleneck) {
        snprintf(name, sizeof name, "layer%d.%d.conv1", s + 1, i);
        conv(&b, name, 1, w, 1, 0, 1, false);
        snprintf(name, sizeof name, "layer%d.%d.conv2", s + 1, i);
        conv(&b, name, 3, w, stride, 1, 1, false);
        snprintf(name, sizeof name, "layer%d.%d.conv3", s + 1, i);
        conv(&b, name, 1, out, 1, 0, 1, false);
      } else {
        snprintf(name, sizeof name, "layer%d.%d.conv1", s + 1, i);
        conv(&b, name, 3, w, stride, 1, 1, false);
        snprintf(name, sizeof name, "layer%d.%d.conv2", s + 1, i);
        conv(&b, name, 3, w, 1, 1, 1, false);
      }
      if (stride != 1 || in.c != out) {
        builder sc = in;
        sc.net = b.net;
        snprintf(name, sizeof name, "layer%d.%d.downsample", s + 1, i);
        conv(&sc, name, 1, out, stride, 0, 1, false);
        if (b.st == EM_OK) b.st = sc.st;
      }
      snprintf(name, sizeof name, "layer%d.%d.add", s + 1, i);
      eltwise(&b, name, WL_ELT_ADD, 2);
    }
  }
  pool(&b, "avgpool", WL_POOL_AVG, b.h, 1, 0);
  fc(&b, "fc", 1000);
  return b.st;
}

static em_status build_resnet18(wl_network *net, em_diag *d) {
  static const int blocks[4] = {2, 2, 2, 2};
  return build_resnet(net, d, blocks, false);
}

static em_status build_resnet50(wl_network *net, em_diag *d) {
  static const int blocks[4] = {3, 4, 6, 3};
  return build_resnet(net, d, blocks, true);
}

/* MobileNetV2 1.0 (Sandler et al., CVPR 2018), torchvision's layout:
 * inverted residual blocks (t, c, n, s) with depthwise 3x3 convolutions. */
static em_status build_mobilenetv2(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 224, 224, 3};
  static const struct {
    uint64_t t, c, n, s;
  } cfg[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
             {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
  char name[WL_NAME_MAX];
  conv(&b, "features.0", 3, 32, 2, 1, 1, false);
  int blk = 1;
  for (size_t g = 0; g < sizeof cfg / sizeof *cfg; g++) {
    for (uint64_t i = 0; i < cfg[g].n; i++, blk++) {
      uint64_t stride = i == 0 ? cfg[g].s : 1;
      uint64_t in_c = b.c, hidden = in_c * cfg[g].t;
      if (cfg[g].t != 1) {
        snprintf(name, sizeof name, "features.%d.expand", blk);
        conv(&b, name, 1, hidden, 1, 0, 1, false);
      }
      snprintf(name, sizeof name, "features.%d.dw", blk);
      conv(&b, name, 3, hidden, stride, 1, hidden, false);
      snprintf(name, sizeof name, "features.%d.project", blk);
      conv(&b, name, 1, cfg[g].c, 1, 0, 1, false);
      if (stride == 1 && in_c == cfg[g].c) {
        snprintf(name, sizeof name, "features.%d.add", blk);
        eltwise(&b, name, WL_ELT_ADD, 2);
      }
    }
  }
  conv(&b, "features.18", 1, 1280, 1, 0, 1, false);
  pool(&b, "avgpool", WL_POOL_AVG, b.h, 1, 0);
  fc(&b, "classifier", 1000);
  return b.st;
}

/* The study book's Inception example: a 5x5 convolution with 32 filters on
 * a 28x28x192 input, no biases (120,422,400 MACs, 153,600 weights). */
static em_status build_inception5x5(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 28, 28, 192};
  conv(&b, "plain-5x5", 5, 32, 1, 2, 1, false);
  return b.st;
}

/* The same with the 1x1x16 bottleneck first (12,443,648 MACs, 15,872
 * weights in the study book). */
static em_status build_inception5x5_bottleneck(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 28, 28, 192};
  conv(&b, "bottleneck-1x1", 1, 16, 1, 0, 1, false);
  conv(&b, "bottleneck-5x5", 5, 32, 1, 2, 1, false);
  return b.st;
}

/* The study book's SimpleCNN for 28x28 MNIST images. */
static em_status build_simplecnn(wl_network *net, em_diag *d) {
  builder b = {net, d, EM_OK, 28, 28, 1};
  conv(&b, "conv1", 3, 16, 1, 1, 1, true);
  pool(&b, "pool1", WL_POOL_MAX, 2, 2, 0);
  conv(&b, "conv2", 3, 32, 1, 1, 1, true);
  pool(&b, "pool2", WL_POOL_MAX, 2, 2, 0);
  fc(&b, "fc1", 128);
  fc(&b, "fc2", 10);
  return b.st;
}

/* One BERT-base encoder layer (Devlin et al., NAACL 2019): hidden 768, 12
 * heads of 64, FFN 3072, at sequence length 128, as GEMMs. The attention
 * products multiply two activations (no weights); layer norms are
 * element-wise layers. */
static em_status build_bert_layer(wl_network *net, em_diag *d) {
  const uint64_t seq = 128, hid = 768, heads = 12, hd = 64, ffn = 3072;
  builder b = {net, d, EM_OK, seq, 1, hid};
  gemm(&b, "attn.query", seq, hid, hid, 1, true);
  gemm(&b, "attn.key", seq, hid, hid, 1, true);
  gemm(&b, "attn.value", seq, hid, hid, 1, true);
  gemm(&b, "attn.scores", seq, seq, hd, heads, false);
  b.h = seq;
  b.w = seq;
  b.c = heads;
  eltwise(&b, "attn.softmax", WL_ELT_SOFTMAX, 1);
  gemm(&b, "attn.context", seq, hd, seq, heads, false);
  gemm(&b, "attn.output", seq, hid, hid, 1, true);
  eltwise(&b, "attn.add_norm", WL_ELT_ADD, 2);
  gemm(&b, "ffn.intermediate", seq, ffn, hid, 1, true);
  eltwise(&b, "ffn.gelu", WL_ELT_GELU, 1);
  gemm(&b, "ffn.output", seq, hid, ffn, 1, true);
  eltwise(&b, "ffn.add_norm", WL_ELT_ADD, 2);
  return b.st;
}

static const wl_builtin_info infos[] = {
    {"alexnet", "AlexNet as in the study book's table (227x227x3, grouped CONV-2/4/5; "
                "Krizhevsky et al. 2012)"},
    {"vgg16", "VGG-16 configuration D, 224x224 (Simonyan & Zisserman 2015)"},
    {"resnet18", "ResNet-18, torchvision layout, 224x224 (He et al. 2016)"},
    {"resnet50", "ResNet-50 v1.5, torchvision layout, 224x224 (He et al. 2016)"},
    {"mobilenetv2", "MobileNetV2 1.0, torchvision layout, 224x224 (Sandler et al. 2018)"},
    {"inception5x5", "the study book's plain 5x5x32 convolution on 28x28x192 (GoogLeNet "
                     "example)"},
    {"inception5x5-bottleneck", "the same with the study book's 1x1x16 bottleneck before it"},
    {"simplecnn", "the study book's SimpleCNN for 28x28 MNIST (conv 16, conv 32, fc 128, "
                  "fc 10)"},
    {"bert-base-layer", "one BERT-base encoder layer at sequence length 128, as GEMMs "
                        "(Devlin et al. 2019)"},
};
/* The builder of infos[i]. */
static const build_fn builders[] = {
    build_alexnet,      build_vgg16,
    build_resnet18,     build_resnet50,
    build_mobilenetv2,  build_inception5x5,
    build_inception5x5_bottleneck, build_simplecnn,
    build_bert_layer,
};
#define N_BUILTINS (sizeof infos / sizeof infos[0])
_Static_assert(sizeof infos / sizeof infos[0] == sizeof builders / sizeof builders[0],
               "one builder per built-in");

const wl_builtin_info *wl_builtins(size_t *n) {
  *n = N_BUILTINS;
  return infos;
}

em_status wl_builtin_load(const char *name, wl_network **out, em_diag *d) {
  *out = NULL;
  for (size_t i = 0; i < N_BUILTINS; i++) {
    if (strcmp(infos[i].name, name) != 0) continue;
    char source[WL_NAME_MAX + 16];
    snprintf(source, sizeof source, "builtin:%s", name);
    wl_network *net = wl_network_create(name, source);
    if (!net) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    em_status st = builders[i](net, d);
    if (st != EM_OK) {
      wl_network_destroy(net);
      return st;
    }
    *out = net;
    return EM_OK;
  }
  char list[512] = "";
  for (size_t i = 0; i < N_BUILTINS; i++) {
    if (i) strncat(list, ", ", sizeof list - strlen(list) - 1);
    strncat(list, infos[i].name, sizeof list - strlen(list) - 1);
  }
  return em_diag_set(d, EM_ERR_NOTFOUND, NULL, 0, 0, "unknown workload '%s' (built-ins: %s)",
                     name, list);
}

/* gemm:MxNxK, one GEMM layer named "gemm": Y (N x M) = W (N x K) X (K x M),
 * M activation columns, as a topology's GEMM row M,N,K and as `emlsim
 * breakeven` reads the same argument, so one product runs through every
 * command.  Each size is held to the layer's own bound (WL_DIM_MAX, as
 * wl_layer_validate's 'M', 'N' and 'K'), named as it names them: the
 * argument had a bound of its own, 2^32 - 1, so that gemm:4294967296x1x1
 * read "sizes must be in [1, 4294967295]" and gemm:4294967295x1x1 "'M'
 * must be in [1, 2147483648]", two limits for one size, and a command
 * that built the layer without validating it (breakeven) ran the second. */
em_status wl_gemm_spec(const char *spec, uint64_t *v, em_diag *d) {
  /* the shape first, to the end (a size past 2^64 - 1 is EM_ERR_RANGE
   * here, and out of the layer's bound below) */
  em_status ps = strncmp(spec, "gemm:", 5) == 0
                     ? em_parse_u64_seq(spec + 5, 'x', 3, 0, UINT64_MAX, v)
                     : EM_ERR_PARSE;
  if (ps == EM_ERR_PARSE)
    return em_diag_set(d, EM_ERR_PARSE, NULL, 0, 0,
                       "'%s': expected gemm:MxNxK with positive sizes", spec);
  static const char *const dim[3] = {"M", "N", "K"};
  const char *p = spec + 5; /* digits, 'x', digits, 'x', digits: the shape is known */
  for (int i = 0; i < 3; i++) {
    size_t len = strspn(p, "0123456789");
    char part[32]; /* 31 digits or more is past 2^64 - 1 */
    uint64_t x = 0;
    bool ok = len < sizeof part;
    if (ok) {
      memcpy(part, p, len);
      part[len] = '\0';
      ok = em_parse_u64(part, &x) == EM_OK && x >= 1 && x <= WL_DIM_MAX;
    }
    if (!ok) /* the size as written, as a topology's (tests/bad/EXPECTED) */
      return em_diag_set(d, EM_ERR_RANGE, NULL, 0, 0, "'%s': '%s' must be in [1, %llu], got %.*s",
                         spec, dim[i], (unsigned long long)WL_DIM_MAX, (int)len, p);
    v[i] = x;
    p += len + 1;
  }
  return EM_OK;
}

static em_status gemm_load(const char *spec, wl_network **out, em_diag *d) {
  uint64_t v[3];
  em_status ps = wl_gemm_spec(spec, v, d);
  if (ps != EM_OK) return ps;
  char name[WL_NAME_MAX]; /* "gemm:" and three 10-digit sizes fit */
  snprintf(name, sizeof name, "gemm:%llux%llux%llu", (unsigned long long)v[0],
           (unsigned long long)v[1], (unsigned long long)v[2]);
  wl_network *net = wl_network_create(name, name);
  if (!net) return em_diag_set(d, EM_ERR_NOMEM, NULL, 0, 0, "out of memory");
  wl_layer l = wl_gemm("gemm", v[0], v[1], v[2]);
  em_status st = wl_network_add(net, &l, d);
  if (st != EM_OK) {
    wl_network_destroy(net);
    return st;
  }
  *out = net;
  return EM_OK;
}

em_status wl_load(const char *spec, wl_network **out, em_diag *d) {
  size_t sl = strlen(spec);
  if (strncmp(spec, "gemm:", 5) == 0) return gemm_load(spec, out, d);
  if (sl > 5 && strcmp(spec + sl - 5, ".onnx") == 0) return wl_onnx_load(spec, out, d);
  if (strcmp(spec, "-") == 0) return wl_topology_read(spec, out, d); /* a topology on stdin */
  for (size_t i = 0; i < N_BUILTINS; i++)
    if (strcmp(infos[i].name, spec) == 0) return wl_builtin_load(spec, out, d);
  /* A name with no '/' and no '.' that is not a file is meant as a
   * built-in: say so rather than "cannot open".  A name that is there but
   * cannot be reached (a symbolic link in a loop or to nothing, no
   * permission) is a file that fails to open, with its reason. */
  struct stat st; /* stat, not open: opening a FIFO to look would take its data */
  if (stat(spec, &st) == 0 || errno != ENOENT || lstat(spec, &st) == 0)
    return wl_topology_read(spec, out, d);
  if (!strchr(spec, '/') && !strchr(spec, '.')) return wl_builtin_load(spec, out, d);
  return wl_topology_read(spec, out, d);
}
