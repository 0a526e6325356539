#!/usr/bin/env python3
"""onnx_graph_name.py SRC DST NAME - copies an ONNX model with its graph renamed.

Made tests/cli/data/hostile_graph_name.onnx (names.sh, plot_onnx_name) from
ONNX's conv node test, with nothing but the standard library:

  python3 tests/cli/onnx_graph_name.py \
    /usr/share/libonnx-testdata/data/node/test_conv_with_strides_padding/model.onnx \
    tests/cli/data/hostile_graph_name.onnx \
    "$(printf 'g\\nsystem("touch PWNED_onnx_nl")\\nEOD\\n`touch PWNED_onnx_bq` "q" \\047s\\047 \\\\ end')"

The protobuf is re-encoded field by field: ModelProto.graph (field 7) gets
its GraphProto.name (field 2) replaced; every other field is copied as it is.
"""
import sys


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def enc(v):
    o = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        if v:
            o.append(c | 0x80)
        else:
            o.append(c)
            return bytes(o)


def fields(b):
    """(key, start, end) of each field of a message, end past its payload."""
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        j, wt = i, key & 7
        if wt == 0:
            _, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            i += n
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        else:
            raise ValueError("wire type %d" % wt)
        out.append((key, j, i))
    return out


def payload(b, j, i):
    n, k = varint(b, j)
    return b[k:i]


def main():
    src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    m = open(src, "rb").read()
    out = bytearray()
    for key, j, i in fields(m):
        if key != (7 << 3 | 2):
            out += enc(key) + m[j:i]
            continue
        g = payload(m, j, i)
        ng = bytearray()
        for k2, j2, i2 in fields(g):
            if k2 != (2 << 3 | 2):
                ng += enc(k2) + g[j2:i2]
        ng += enc(2 << 3 | 2) + enc(len(name)) + name
        out += enc(key) + enc(len(ng)) + ng
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
