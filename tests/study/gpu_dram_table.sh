#!/bin/sh
# gpu_dram_table.sh EMLSIM OUT HOROWITZ45.CSV - the GPU's rows of a study's
# dram_prices.csv are what `emlsim simt` gives at that price:
#   - at `--set simt.dram_pj_per_bit=0` the GPU prices its DRAM from the
#     energy table (a 32 B sector: the table's 64-bit DRAM access x 4,
#     x energy_scale 0.942 on volta), so the study runs it again at each
#     published price, and its row at memory M is `emlsim simt simplecnn
#     --set dram_pj_per_bit=0` on horowitz45.csv with its two DRAM rows at
#     M's price x 64 bits: HBM2 3.9 x 64 = 249.6 pJ, LPDDR4 8 -> 512,
#     GDDR5 14 -> 896, DDR3 70 -> 4480 (Accelergy's CACTI plug-in), Horowitz
#     DRAM low 1300 and high 2600 per 64-bit access (the table's own, and
#     its range's high end); HBM2's is 2732.925 uJ, not the 2859.000 the
#     table's own 1300 gives (the study said 2859.000 on every row);
#   - by default (volta's dram_pj_per_bit = 3.9, HBM2 at its own
#     interface) the GPU ran once: one row, memory "the GPU's own
#     interface", 3.9 pJ/bit, as built, at `emlsim simt simplecnn`'s energy
#     (it said HBM2 ... DDR3 beside 3.9, as built on "Horowitz DRAM low");
#   - the report says which: the GPU run again at each price, or its energy
#     the same at every price, never the other.
set -u
E=$1 out=$2 h45=$3
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
rm -rf "$out"
mkdir -p "$out"
study() { "$E" study simplecnn --arch simt,systolic --bits fp32,int8 --accuracy none \
  --sparsity none --quiet "$@"; }
study --set simt.dram_pj_per_bit=0 -o "$out/table" || { echo "FAIL: the study at dram_pj_per_bit=0"; exit 1; }
study -o "$out/own" || { echo "FAIL: the study"; exit 1; }
# the total energy (uJ) of `emlsim simt simplecnn` with settings $@
simt_uj() { "$E" simt simplecnn --format csv "$@" 2>/dev/null | awk -F, '$1 == "total" { print $NF }'; }
# the GPU's rows priced from the table: one a published price, each its own run
n=0
for mp in "HBM2:249.6" "LPDDR4:512" "GDDR5:896" "Horowitz DRAM low:1300" \
          "Horowitz DRAM high:2600" "DDR3:4480"; do
  mem=${mp%:*} pj=${mp##*:}
  sed -E "s/^(dram_(read|write),dram,64,,)1300,/\1$pj,/" "$h45" >"$out/t.csv"
  [ "$(grep -c "^dram_[a-z]*,dram,64,,$pj," "$out/t.csv")" = 2 ] || { bad "no DRAM rows at $pj in $out/t.csv"; continue; }
  want=$(simt_uj --set dram_pj_per_bit=0 --energy-table "$out/t.csv")
  got=$(awk -F, -v m="$mem" '$2 == "simt" && $3 == "fp32" && $4 == m { print $7 }' "$out/table/dram_prices.csv")
  if [ -n "$want" ] && [ -n "$got" ] &&
     awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d < 0.0006 && d > -0.0006) }'; then
    n=$((n + 1))
  else
    bad "the GPU at $mem ($pj pJ a 64-bit access): the study says '$got' uJ, emlsim simt '$want'"
  fi
done
[ $n = 6 ] && ok "the GPU priced from the table: each price's row is emlsim simt's run there"
# HBM2 against the table's own price: not the same figure
grep -q '^simplecnn,simt,fp32,HBM2,.*,2732\.92' "$out/table/dram_prices.csv" &&
  ok "at HBM2 the GPU draws 2732.925 uJ, not the as-built 2859.000" ||
  bad "HBM2: $(grep '^simplecnn,simt,fp32,HBM2,' "$out/table/dram_prices.csv")"
# at its own interface: one row, as built, at emlsim simt's energy
rows=$(grep -c '^simplecnn,simt,' "$out/own/dram_prices.csv")
row=$(grep '^simplecnn,simt,' "$out/own/dram_prices.csv")
want=$(simt_uj)
case "$row" in
  "simplecnn,simt,fp32,the GPU's own interface,3.9000,1,"*) ;;
  *) rows=0 ;;
esac
if [ "$rows" = 1 ] && awk -F, -v b="$want" '{ d = $7 - b; exit !(d < 0.0006 && d > -0.0006) }' <<EOF
$row
EOF
then ok "at its own interface the GPU has one row, 3.9 pJ/bit, as built, emlsim simt's $want uJ"
else bad "the GPU at its own interface: '$row' (emlsim simt: $want uJ)"
fi
# the report says which
grep -q "the GPU prices a DRAM bit from the table's DRAM rows (its dram_pj_per_bit is 0), scaled to its process as its other dynamic energies are, and was run again at each price too\." "$out/table/report.md" &&
  ! grep -q "same at every price\|same in every column" "$out/table/report.md" &&
  ok "the report: the GPU priced from the table was run again at each price" ||
  bad "the report at dram_pj_per_bit=0: $(grep -m1 "DRAM's share" "$out/table/report.md")"
grep -q "the GPU prices a DRAM bit at its own memory interface, 3.9 pJ/bit (its dram_pj_per_bit setting), not the table's: it ran once, its energy the same at every price" "$out/own/report.md" &&
  ! grep -q "run again at each price too" "$out/own/report.md" &&
  ok "the report: the GPU at its own interface ran once" ||
  bad "the report by default: $(grep -m1 "DRAM's share" "$out/own/report.md")"
# and the rest of dram_prices.csv follows, as for the default study
for d in "table 12" "own 7"; do
  set -- $d
  sh "$(dirname "$0")/dram_prices.sh" "$out/$1" "$2" 4 >"$out/$1.txt" || fail=1
  sed "s/^\([a-zA-Z]*:\)/\1 $1:/" "$out/$1.txt"
done
exit $fail
