#!/bin/sh
# input_gzip.sh EMLSIM OUT - a gzip-compressed IDX file is read to its last
# byte: one that gzip -t refuses is refused, naming the file and zlib's
# reason, exit 1, and nothing is trained on it.
#
# The data: 64 images of 28 x 28 (16 + 50,176 = 50,192 bytes) and 64
# labels, the training images gzipped (RFC 1952: a 10-byte header, the
# deflate data, then an 8-byte trailer: the CRC-32 of the data in bytes
# -8..-5 and its length mod 2^32 in bytes -4..-1).  By the RFC and zlib's
# inflate.c:
#   - a flipped CRC byte is "incorrect data check" (it was read as
#     "truncated: fewer than 64 images"), and so is a flipped byte of the
#     deflate data that leaves its length as it was (it was trained on);
#   - a flipped length byte is "incorrect length check";
#   - the file cut to 20 or 30 bytes ends inside the deflate data (it was
#     "not an IDX file": a bad magic number);
#   - bytes after the trailer are not gzip data (zlib's gzread ignores
#     them; a plain IDX file with bytes after its data is refused) and
#     start at byte L, the gzip file's length;
# and two gzip members one after the other are one stream (as gzip -d reads
# them): the same weights as the plain file gives.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
python3 - "$out" <<'EOF' || exit 1
import gzip, os, struct, sys, zlib
out = sys.argv[1]
n = 64
img = struct.pack('>IIII', 0x803, n, 28, 28) + bytes((i * 7) % 256 for i in range(n * 784))
lab = struct.pack('>II', 0x801, n) + bytes(i % 10 for i in range(n))
g = gzip.compress(img, mtime=0)
gl = gzip.compress(lab, mtime=0)
def flip(b, at):
    b = bytearray(b)
    b[at] ^= 0x55
    return bytes(b)
# a byte of the deflate data whose flip leaves the data's length as it
# was, so that only the CRC tells (the first such byte by Python's zlib,
# which decides independently of emlsim; which byte it is depends on zlib)
middle = None
for at in range(10, len(g) - 8):
    o = zlib.decompressobj(31)
    try:
        got = o.decompress(flip(g, at))
    except zlib.error as e:
        if 'incorrect data check' in str(e):
            try:
                n_out = len(zlib.decompressobj(-15).decompress(flip(g, at)[10:]))
            except zlib.error:
                continue
            if n_out == len(img):
                middle = flip(g, at)
                break
sets = {
    'plain': (img, None),
    'middle': (middle or flip(g, len(g) - 6), None),
    'crc': (flip(g, len(g) - 6), None),
    'length': (flip(g, len(g) - 2), None),
    'cut20': (g[:20], None),
    'cut30': (g[:30], None),
    'garbage': (g + b'hello', None),
    'zeros': (g + b'\0\0\0', None),
    'two': (gzip.compress(img[:1000], mtime=0) + gzip.compress(img[1000:], mtime=0), None),
    'labels_crc': (img, flip(gl, len(gl) - 7)),
}
for name, (train, labels) in sets.items():
    d = os.path.join(out, name)
    os.mkdir(d)
    ti = 'train-images-idx3-ubyte' + ('' if train is img else '.gz')
    open(os.path.join(d, ti), 'wb').write(train)
    open(os.path.join(d, 't10k-images-idx3-ubyte'), 'wb').write(img)
    tl = 'train-labels-idx1-ubyte' + ('' if labels is None else '.gz')
    open(os.path.join(d, tl), 'wb').write(lab if labels is None else labels)
    open(os.path.join(d, 't10k-labels-idx1-ubyte'), 'wb').write(lab)
open(os.path.join(out, 'glen'), 'w').write(str(len(g)))
# every 5th byte of the deflate data flipped, where Python's zlib finds the
# file corrupt (not merely cut short): each is refused, whatever the IDX
# reader meets first
os.mkdir(os.path.join(out, 'flip'))
for at in range(10, len(g) - 8, 5):
    b = flip(g, at)
    o = zlib.decompressobj(31)
    try:
        o.decompress(b)
        continue
    except zlib.error:
        pass
    d = os.path.join(out, 'flip', str(at))
    os.mkdir(d)
    open(os.path.join(d, 'train-images-idx3-ubyte.gz'), 'wb').write(b)
    for f in ('train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte'):
        open(os.path.join(d, f), 'wb').write(lab)
    open(os.path.join(d, 't10k-images-idx3-ubyte'), 'wb').write(img)
EOF
# check NAME FILE MESSAGE
check() {
  "$emlsim" quant --data "$out/$1" --epochs 1 --train-only --save "$out/$1.bin" \
    >/dev/null 2>"$out/$1.err"
  rc=$?
  if [ $rc = 1 ] && [ "$(cat "$out/$1.err")" = "$out/$1/$2: error: $3" ] && [ ! -e "$out/$1.bin" ]; then
    echo "ok: $1: $3"
  else
    echo "FAIL: $1: exit $rc, stderr: $(cat "$out/$1.err")"
    fail=1
  fi
}
im=train-images-idx3-ubyte.gz
check middle $im "corrupt gzip data: incorrect data check"
check crc $im "corrupt gzip data: incorrect data check"
check length $im "corrupt gzip data: incorrect length check"
check cut20 $im "truncated or corrupt gzip file: it ends at byte 20, inside its compressed stream"
check cut30 $im "truncated or corrupt gzip file: it ends at byte 30, inside its compressed stream"
check garbage $im "data after the end of the gzip stream (from byte $(cat "$out/glen"))"
check zeros $im "data after the end of the gzip stream (from byte $(cat "$out/glen"))"
check labels_crc train-labels-idx1-ubyte.gz "corrupt gzip data: incorrect data check"
tried=0 refused=0
for d in "$out"/flip/*; do
  tried=$((tried + 1))
  "$emlsim" quant --data "$d" --epochs 1 --train-only --save "$d.bin" >/dev/null 2>&1
  if [ $? = 1 ] && [ ! -e "$d.bin" ]; then refused=$((refused + 1)); else echo "FAIL: flip: byte ${d##*/} accepted"; fi
done
if [ $tried -gt 0 ] && [ $refused = $tried ]; then
  echo "ok: flip: $refused of $tried corrupt files refused"
else
  echo "FAIL: flip: $refused of $tried corrupt files refused"
  fail=1
fi
# two members: the weights the plain file gives
for s in plain two; do
  "$emlsim" quant --data "$out/$s" --epochs 1 --train-only --save "$out/$s.bin" \
    >/dev/null 2>"$out/$s.err" || { echo "FAIL: $s: $(cat "$out/$s.err")"; fail=1; }
done
if cmp -s "$out/plain.bin" "$out/two.bin"; then
  echo "ok: two gzip members read as one stream: the plain file's weights"
else
  echo "FAIL: two gzip members: weights differ from the plain file's"
  fail=1
fi
exit $fail
