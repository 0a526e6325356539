#!/bin/sh
# batch.sh EMLSIM - a run of a topology whose layers have batch B is B
# inferences: sweep's inf_per_s_per_mm2 and the study's inf_per_s_per_mm2 count
# B per run (B x 10^6 / latency_us / area_mm2), and are empty (n/a) where
# the layers' batches differ.  The MLP 784-256-128-10 on the default 32x32
# systolic array: 8227 cycles at 1000 MHz whatever the batch up to 32 (a
# fold's rows are the batch), 3.602074 mm^2, so batch 1 gives
# 10^6 / 8.227 / 3.602074 = 33,744.7 and batch 4 four times that, 134,978.9
# (it was 33,744.7 for both: energy and latency per batch, per inference
# in the column's name).
set -u
emlsim=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
h='Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Bias, Batch'
mlp() { printf '%s\nfc1, 1, 1, 1, 1, 784, 256, 1, 1, %s\nfc2, 1, 1, 1, 1, 256, 128, 1, 1, %s\nfc3, 1, 1, 1, 1, 128, 10, 1, 1, %s\n' "$h" "$1" "$2" "$3" >"$4"; }
mlp 1 1 1 b1.csv
mlp 4 4 4 b4.csv
mlp 4 1 16 mix.csv
# bert-base-layer is one inference whatever its layers' batch fields hold
# (12 attention heads, softmax rows): they are not its batch
printf 'arch = systolic\nworkload = b1.csv, b4.csv, mix.csv, bert-base-layer\n' >s.spec
"$emlsim" sweep s.spec -o grid.csv >/dev/null 2>err || { cat err; exit 1; }
# point,workload,cycles,latency_us,energy_uj,edp_uj_us,pareto,pareto3,area_mm2,inf_per_s_per_mm2
got=$(awk -F, 'NR > 1 { b = $2 == "b1.csv" || $2 == "bert-base-layer" ? 1 : $2 == "b4.csv" ? 4 : 0
    want = b ? sprintf("%.1f", b * 1e6 / $4 / $9) : ""
    have = $10 == "" ? "" : sprintf("%.1f", $10)
    if (have != want) print $2 ": " $10 " not " want
    if ($2 == "b4.csv" && have != "134978.9") print "b4: " $10 " not 134978.9 (by hand)" }' grid.csv)
[ -z "$got" ] && echo "ok: sweep counts a batch of 4 as 4 inferences per run, none for mixed batches" ||
  { echo "FAIL: sweep: $got"; fail=1; }
"$emlsim" study b4.csv --arch systolic,xnor --bits int8,binary --accuracy none \
  --sparsity none -o st --quiet 2>err || { cat err; exit 1; }
# arch,bits,cycles,latency_us,energy_uj,edp_uj_us,bops,pareto,pareto_noise,workload,accuracy_pct,area_mm2,inf_per_s_per_mm2
got=$(sed 's/"[^"]*"/q/g' st/summary.csv | awk -F, 'NR > 1 && $13 != "" { n++
    r = $13 / (4e6 / $4 / $12); if (r < 0.999 || r > 1.001) print $1, $2 ": " $13 " not 4e6 / " $4 " / " $12 }
  END { if (n < 2) print "only", n + 0, "rows with an area" }')
[ -z "$got" ] && echo "ok: the study counts a batch of 4 as 4 inferences per run" ||
  { echo "FAIL: study: $got"; fail=1; }
"$emlsim" study mix.csv --arch systolic --bits int8 --accuracy none --sparsity none -o sm \
  --quiet 2>err || { cat err; exit 1; }
grep -q '^| int8 *| per mm^2 *| n/a .*(a run is no whole number of inferences: its layers. batches differ)' sm/report.md &&
  echo "ok: the study says why a mixed-batch run has no figure per mm^2" ||
  { echo "FAIL: mixed batches: $(grep 'per mm^2' sm/report.md | head -1)"; fail=1; }
grep -q '^### Energy per run by component' st/report.md && ! grep -q 'energy per inference' st/report.md &&
  echo "ok: a batch's figures are called per run, not per inference" ||
  { echo "FAIL: a batch of 4 called per inference: $(grep -m1 'per inference' st/report.md)"; fail=1; }
grep -q 'b4: a batch of 4 inferences' st/report.md &&
  echo "ok: the study's summary says a run is a batch of 4 inferences" ||
  { echo "FAIL: the study's summary does not say a run is a batch of 4"; fail=1; }
exit $fail
