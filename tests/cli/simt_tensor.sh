#!/usr/bin/env bash
# simt_tensor.sh EMLSIM - tensor cores by shape, as a user sees them:
#   - `simt --micro tensor` on volta: HMMA.884 at 4 sub-cores x 2 tensor
#     cores x 64 = 512 multiply-adds per cycle per SM, beside Accel-Sim's
#     TITAN V 477.6 (REFERENCES.md), within 10 % (+7.2 %; the tolerance
#     models/simt/README.md and simt_compat.sh give every published figure);
#   - a preset without a published figure says so (ampere's FFMA latency);
#     the volta preset's file has volta's figures;
#   - the kernel table's flops column: one warp running HMMA.884.F32 (8 x 8
#     x 4 = 256 multiply-adds), HMMA.1688.F32 (1024) and HMMA.16816.F32
#     (2048): 2 x 3328 = 6656 flops;
#   - an MMA shape no tensor core has: exit 1, the opcode's path:line:col,
#     no report left behind.
set -u
emlsim=$1
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
# column $2 of the CSV row whose column $3 is $4 (no quoted fields), by
# the header's names
field() { # $1 file $2 column name $3 key column name $4 key value
  awk -F, -v col="$2" -v kcol="$3" -v key="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $h[kcol] == key { print $h[col]; exit }' "$1"
}

"$emlsim" simt --micro tensor --format csv > "$dir/micro.csv" || die "--micro tensor failed"
# the row ends in its shape; measured and reference are its 5th and 6th
# fields (the quoted source, with its commas, comes after them)
row=$(grep ',HMMA\.884$' "$dir/micro.csv")
m=$(printf '%s' "$row" | cut -d, -f5)
r=$(printf '%s' "$row" | cut -d, -f6)
head -1 "$dir/micro.csv" | grep -q '^micro,steps,stride,cycles,measured,reference,' ||
  die "micro table header: $(head -1 "$dir/micro.csv")"
[ "$m" = "512.00" ] || die "HMMA.884 on volta: $m multiply-adds per cycle per SM, expected 512.00"
[ "$r" = "477.60" ] || die "HMMA.884 reference: $r, expected 477.60"
awk -v m="$m" 'BEGIN { e = m / 477.6 - 1; exit !(e <= 0.10 && e >= -0.10) }' ||
  die "HMMA.884: $m is not within 10 % of 477.6"
grep -q 'TITAN V, Accel-Sim config_tensor, fp32 accumulation' "$dir/micro.csv" || die "no TITAN V source"
# volta has no sparse tensor cores: no sparse row
grep -q 'HMMA.SP' "$dir/micro.csv" && die "volta lists a sparse shape"

"$emlsim" simt --micro ffma --gpu ampere --format csv > "$dir/ffma.csv" || die "--micro ffma failed"
src=$(dirname "$0")/../..
"$emlsim" simt --micro ffma --gpu "$src/models/simt/data/gpu_volta.cfg" --format csv |
  grep -q '^ffma,.*,4.12,cycles per dependent FFMA,"TITAN V' || die "gpu_volta.cfg has no TITAN V figure"
grep -q "^ffma,256,1,[0-9]*,4.00,-,cycles per dependent FFMA,none published for this GPU,-$" \
  "$dir/ffma.csv" || die "ampere's ffma row: $(tail -1 "$dir/ffma.csv")"

cat > "$dir/shapes.emtrace" <<'T'
emlsim-trace 1
kernel shapes grid=1 block=32 regs=16
block 0
warp 0
HMMA.884.F32.F32.STEP0 d=0 s=4,8,0
HMMA.1688.F32 d=1 s=4,8,1
HMMA.16816.F32 d=2 s=4,8,2
T
"$emlsim" simt "$dir/shapes.emtrace" --gpu ampere --format csv > "$dir/k.csv" || die "the shapes trace failed"
f=$(field "$dir/k.csv" flops kernel shapes)
[ "$f" = "6656" ] || die "flops of the shapes trace: '$f', expected 6656"
t=$(field "$dir/k.csv" flops kernel total)
[ "$t" = "6656" ] || die "total flops: '$t', expected 6656"

printf 'emlsim-trace 1\nkernel k grid=1 block=32\nblock 0\nwarp 0\nHMMA.12345 d=0 s=4,8,0\n' \
  > "$dir/bad.emtrace"
"$emlsim" simt "$dir/bad.emtrace" -o "$dir/out" 2> "$dir/err"
rc=$?
[ $rc = 1 ] || die "a bad shape: exit $rc, expected 1"
want="$dir/bad.emtrace:5:1: error: unknown tensor-core shape in 'HMMA.12345' (models/simt/README.md lists the shapes)"
[ "$(cat "$dir/err")" = "$want" ] || die "a bad shape: stderr '$(cat "$dir/err")', expected '$want'"
[ -e "$dir/out" ] && die "a failed run left $dir/out"

[ $fail = 0 ] && echo "tensor cores by shape: ok"
exit $fail
