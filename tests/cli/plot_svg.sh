#!/bin/sh
# plot_svg.sh EMLSIM OUT - a single-file plot named *.svg is an SVG, any
# other name a PNG: `sweep --heatmap h.svg` and `breakeven --plot b.svg`
# wrote PNG bytes into the .svg file.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
# is_svg FILE WHAT: an XML document whose root is <svg>, no PNG signature
is_svg() {
  if head -c 8 "$1" | od -An -c | grep -q 'P   N   G'; then
    echo "FAIL: $2: PNG bytes in $1"; fail=1
  elif grep -q '<svg' "$1" && tail -c 200 "$1" | grep -q '</svg>'; then
    echo "ok: $2"
  else
    echo "FAIL: $2: $1 is no SVG"; fail=1
  fi
}
is_png() {
  if head -c 8 "$1" | od -An -c | grep -q 'P   N   G'; then echo "ok: $2"; else
    echo "FAIL: $2: $1 is no PNG"; fail=1; fi
}
cat >"$out/hm.spec" <<'SPEC'
arch = systolic
workload = alexnet
mode = closed
rows = 8, 16
cols = 8, 16
SPEC
for f in h.svg H.SVG h.png; do
  "$emlsim" sweep --quiet "$out/hm.spec" -o "$out/hm.csv" --heatmap "$out/$f" 2>"$out/err" ||
    { echo "FAIL: sweep --heatmap $f: $(cat "$out/err")"; fail=1; }
done
is_svg "$out/h.svg" "sweep --heatmap h.svg"
is_svg "$out/H.SVG" "sweep --heatmap H.SVG"
is_png "$out/h.png" "sweep --heatmap h.png"
"$emlsim" breakeven gemm:64x64x64 -o "$out/be.csv" --plot "$out/b.svg" >/dev/null 2>"$out/err" ||
  { echo "FAIL: breakeven --plot b.svg: $(cat "$out/err")"; fail=1; }
is_svg "$out/b.svg" "breakeven --plot b.svg"
# no temporary left beside them
if ls -A "$out" | grep -q tmp; then echo "FAIL: a temporary left: $(ls -A "$out")"; fail=1; fi
exit $fail
