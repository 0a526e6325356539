#!/usr/bin/env python3
"""make_bad.py - writes the hostile ONNX models of tests/bad/onnx/.

The protobuf wire format is written by hand (no onnx or protobuf package
needed), so each file holds exactly the fault it is named after.  Field
numbers are those of onnx.proto (Debian's libonnx-dev).  Run it from any
folder; it rewrites the files next to itself and prints, for the files
whose message names a byte offset, the offset computed here while the bytes
were laid out.  The generated files are committed; this script is only
needed to change them.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def varint(n):
    n &= (1 << 64) - 1  # int64 is sent as its two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def ld(field, payload):  # length-delimited: a message, string or packed list
    return key(field, 2) + varint(len(payload)) + payload


def vi(field, n):
    return key(field, 0) + varint(n)


def st(field, text):
    return ld(field, text.encode())


def packed(field, values):
    return ld(field, b"".join(varint(v) for v in values))


# AttributeProto: name 1, i 3, s 4, t 5, g 6, ints 8, type 20
INT, STRING, TENSOR, GRAPH, INTS = 2, 3, 4, 5, 7


def attr_int(name, v):
    return st(1, name) + vi(3, v) + vi(20, INT)


def attr_ints(name, vals):
    return st(1, name) + packed(8, vals) + vi(20, INTS)


def attr_str(name, v):
    return st(1, name) + st(4, v) + vi(20, STRING)


# NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
def node(op, name, ins, outs, attrs=()):
    b = b"".join(st(1, i) for i in ins) + b"".join(st(2, o) for o in outs)
    b += st(3, name) + st(4, op)
    return b + b"".join(ld(5, a) for a in attrs)


# ValueInfoProto: name 1, type 2 > TypeProto.tensor_type 1 > elem_type 1,
# shape 2 > TensorShapeProto.dim 1 > dim_value 1
FLOAT, INT64 = 1, 7


def value_info(name, dims):
    shape = b"".join(ld(1, vi(1, d)) for d in dims)
    return st(1, name) + ld(2, ld(1, vi(1, FLOAT) + ld(2, shape)))


# TensorProto: dims 1, data_type 2, int64_data 7, name 8
def tensor(name, dims, dtype=FLOAT, int64_data=None):
    b = packed(1, dims) + vi(2, dtype) + st(8, name)
    if int64_data is not None:
        b += packed(7, int64_data)
    return b


# GraphProto: node 1, name 2, initializer 5, input 11, output 12
def graph(nodes, inputs, outputs, inits=(), name="g"):
    b = b"".join(ld(1, n) for n in nodes) + st(2, name)
    b += b"".join(ld(5, t) for t in inits)
    b += b"".join(ld(11, value_info(n, d)) for n, d in inputs)
    return b + b"".join(ld(12, st(1, o)) for o in outputs)


# ModelProto: ir_version 1, graph 7, opset_import 8 (version 2)
def model(g, opset=13):
    return vi(1, 8) + ld(8, vi(2, opset)) + ld(7, g)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# A Squeeze with 1,000 axes for a rank-4 input (the reader kept 8 in a stack
# array and read the other 992 past its end; the file had 2 M).
write("squeeze_axes.onnx",
      model(graph([node("Squeeze", "sq", ["x"], ["y"], [attr_ints("axes", [0] * 1000)])],
                  [("x", [1, 3, 1, 5])], ["y"]), opset=11))

# A Squeeze of a dimension that is not 1.
write("squeeze_not_one.onnx",
      model(graph([node("Squeeze", "sq", ["x"], ["y"], [attr_ints("axes", [1])])],
                  [("x", [1, 3, 1, 5])], ["y"]), opset=11))

# An Unsqueeze naming the same axis twice.
write("unsqueeze_twice.onnx",
      model(graph([node("Unsqueeze", "us", ["x"], ["y"], [attr_ints("axes", [0, 0])])],
                  [("x", [3, 5])], ["y"]), opset=11))

# A Transpose whose perm is shorter than the rank (the reader read the
# missing entries from uninitialised memory).
write("transpose_short_perm.onnx",
      model(graph([node("Transpose", "tr", ["x"], ["y"], [attr_ints("perm", [1, 0])])],
                  [("x", [2, 3, 4])], ["y"])))

# A perm of the right length that is not a permutation.
write("transpose_repeated_perm.onnx",
      model(graph([node("Transpose", "tr", ["x"], ["y"], [attr_ints("perm", [0, 0, 1])])],
                  [("x", [2, 3, 4])], ["y"])))

# A Flatten of 64 x 536903681 x 536838145 = 2^64 + 64 elements (the two
# factors of 2^58 + 1 = (2^29 + 2^15 + 1)(2^29 - 2^15 + 1)): the product
# wrapped to 64.
assert 64 * 536903681 * 536838145 == 2**64 + 64
write("flatten_2e64.onnx",
      model(graph([node("Flatten", "fl", ["x"], ["y"], [attr_int("axis", 0)])],
                  [("x", [64, 536903681, 536838145])], ["y"])))

# A MatMul whose batch dims broadcast to 2^40 x 2^40 = 2^80 products, though
# each input holds only 2^42 elements.
write("matmul_batch_2e80.onnx",
      model(graph([node("MatMul", "mm", ["a", "b"], ["y"])],
                  [("a", [2**40, 1, 2, 2]), ("b", [1, 2**40, 2, 2])], ["y"])))

# A Reshape to a shape with a dimension of 2^63 - 1.
write("reshape_huge_dim.onnx",
      model(graph([node("Reshape", "rs", ["x", "shape"], ["y"])],
                  [("x", [2, 3])], ["y"],
                  [tensor("shape", [2], INT64, [2**63 - 1, 1])])))

# A Softmax whose axis, 2^62, is past a rank-2 input's (Concat and Flatten
# refused theirs; Softmax took it).
write("softmax_axis.onnx",
      model(graph([node("Softmax", "sm", ["x"], ["y"], [attr_int("axis", 2**62)])],
                  [("x", [2, 3])], ["y"])))

# An initializer with a negative dimension.
write("negative_dim.onnx",
      model(graph([node("MatMul", "mm", ["x", "w"], ["y"])],
                  [("x", [2, 3])], ["y"], [tensor("w", [3, -4])])))

# Conv attribute lists of the wrong length, or out of range.
W = [tensor("w", [8, 3, 3, 3])]
X = [("x", [1, 3, 16, 16])]
write("conv_pads_short.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"], [attr_ints("pads", [1, 1])])],
                  X, ["y"], W)))
write("conv_strides_zero.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"], [attr_ints("strides", [1, 0])])],
                  X, ["y"], W)))
write("conv_kernel_shape.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"], [attr_ints("kernel_shape", [3])])],
                  X, ["y"], W)))
write("conv_group_2e62.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"], [attr_int("group", 2**62)])],
                  X, ["y"], W)))
# a dilation of 2^31 makes the 3-wide kernel span 2^32 + 1 pixels
write("conv_dilation_huge.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"],
                        [attr_ints("dilations", [2**31, 2**31])])], X, ["y"], W)))
write("conv_auto_pad.onnx",
      model(graph([node("Conv", "cv", ["x", "w"], ["y"], [attr_str("auto_pad", "SAME")])],
                  X, ["y"], W)))
write("maxpool_kernel_shape.onnx",
      model(graph([node("MaxPool", "mp", ["x"], ["y"], [attr_ints("kernel_shape", [2])])],
                  X, ["y"])))

# A model with two graph fields: protobuf merges them, which protobuf-c does
# by concatenating the node arrays (quadratic in the copies).
g = graph([node("Relu", "r", ["x"], ["y"])], [("x", [4])], ["y"])
head = vi(1, 8) + ld(8, vi(2, 13)) + ld(7, g)
write("two_graphs.onnx", head + ld(7, g))
print("two_graphs.onnx: the second graph field at byte", len(head))

# 40 nested subgraphs: If > then_branch (AttributeProto.g) > If > ...  Each
# subgraph is 3 message levels (GraphProto, NodeProto, AttributeProto); the
# model and its graph are 2: 122 levels, past the limit of 100.  The file
# is built inside out; the offset of the field that opens level 101 is
# found on the way out, by adding the header of each enclosing field.
inner = graph([node("Relu", "r", ["x"], ["y"])], [("x", [4])], ["y"])
levels = [inner]  # levels[k]: the payload of the message at depth 122 - k
body = inner
for i in range(40):
    at = ld(6, body) + st(1, "then_branch") + vi(20, GRAPH)  # AttributeProto
    levels.append(at)
    nd = ld(5, at) + st(2, "y") + st(3, "if%d" % i) + st(4, "If")  # NodeProto
    levels.append(nd)
    body = ld(1, nd) + st(2, "g%d" % i)  # GraphProto: node first
    levels.append(body)
data = ld(7, body)  # ModelProto: the graph first
write("nested_subgraphs.onnx", data)
# levels[-1] (the outermost graph) is depth 2; the model is depth 1.  The
# field opening depth 101 starts where the payload of depth 100 does, as
# each nested message is its parent's first field: after the headers of the
# fields opening depths 2 to 100.
depth_of = {2 + j: levels[len(levels) - 1 - j] for j in range(len(levels))}
off = 0
for dd in range(2, 101):  # skip the header of the field opening depth dd
    payload = depth_of[dd]
    off += len(varint(len(payload))) + 1  # one-byte tags: fields 1, 5, 6, 7
print("nested_subgraphs.onnx: the field opening depth 101 at byte", off)
