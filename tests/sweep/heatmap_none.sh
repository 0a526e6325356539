#!/bin/sh
# heatmap_none.sh EMLSIM OUT - a heat map with no cell to colour is
# refused, with every output, as a heat map gnuplot fails to draw is
# (tests/cli/plots.sh): no_cells.spec's arrays fit no fold in the default
# SRAMs, so no point has figures; the map drew four grey "n/a" cells under
# a colour scale from -10 to 10 (gnuplot's with no values) and exited 0.
# gnuplot here is a stand-in that answers --version and leaves a mark when
# asked to draw, so the test needs none and sees whether a map was drawn:
# with one array that fits (8 x 8 beside them), the map has a cell and goes
# to gnuplot, which the stand-in fails.
set -u
emlsim=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out/bin"
fail=0
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "gnuplot 5.4"; exit 0; }\ntouch "%s/drew"\ncat >/dev/null\nexit 1\n' \
  "$out" >"$out/bin/gnuplot"
chmod +x "$out/bin/gnuplot"
PATH="$out/bin:$PATH" "$emlsim" sweep --quiet "$here/no_cells.spec" -o "$out/g.csv" \
  --heatmap "$out/h.png" >"$out/stdout" 2>"$out/err"
rc=$?
if [ $rc = 1 ] &&
  grep -q "no_cells\.spec: error: '--heatmap' has nothing to draw: none of the 4 design points has latency, energy and area, so every cell would be n/a$" "$out/err"; then
  echo "ok: refused, exit 1"
else
  echo "FAIL: rc $rc: $(cat "$out/err")"
  fail=1
fi
for f in g.csv g.json h.png drew; do
  [ -e "$out/$f" ] && { echo "FAIL: $f was written"; fail=1; }
done
[ $fail = 0 ] && echo "ok: no CSV, no JSON, no map, gnuplot not asked to draw"
# the same with a cell that has figures: drawn (here, the stand-in fails)
printf 'arch = systolic\nworkload = simplecnn\nrows = 8, 32768\ncols = 8, 32768\n' >"$out/one.spec"
PATH="$out/bin:$PATH" "$emlsim" sweep --quiet "$out/one.spec" -o "$out/g.csv" \
  --heatmap "$out/h.png" >/dev/null 2>"$out/err"
if [ -e "$out/drew" ] && grep -q "h.png: error: gnuplot could not write the plot" "$out/err"; then
  echo "ok: a map with one cell of four goes to gnuplot"
else
  echo "FAIL: one cell: $(cat "$out/err")"
  fail=1
fi
exit $fail
