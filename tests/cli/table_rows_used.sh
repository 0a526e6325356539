#!/usr/bin/env bash
# table_rows_used.sh EMLSIM TABLE - a model stops for an energy-table row it
# uses, never for one it does not.  TABLE (Horowitz's horowitz45.csv) less
# its four 'mult' rows, its comment and header lines kept:
# - the bit-serial and XNOR arrays have no multiplier: BISMO prices AND +
#   popcount adds, SRAM and DRAM, FINN's MVAU XNOR + popcount adds, SRAM and
#   DRAM.  Both ran only with the whole table ("energy table has no 'int
#   mult' row": the layer's MACs and BOPS were counted through the
#   closed-form pricing).  No figure of theirs comes from a multiply row, so
#   each run prints what it prints with the whole table, the table's name
#   in its note aside.
# - the closed-form model (analyze) prices the layer's multiply, the
#   systolic array its PEs' multipliers, the GPU its FFMA and IMAD lanes:
#   each is refused, exit 1, naming the row.
set -u
emlsim=$1
table=$2
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/emlsim_rows.XXXXXX")
trap 'rm -rf "$dir"' EXIT
nomult=$dir/nomult.csv
grep -v '^mult,' "$table" > "$nomult"
# the header and comment lines are kept, only the four multiply rows go
[ "$(grep -c '^op,type,bits,capacity_bytes,energy_pj,source$' "$nomult")" = 1 ] &&
  ok "header kept" || bad "header lost"
[ "$(grep -c '^#' "$nomult")" = "$(grep -c '^#' "$table")" ] && ok "comments kept" ||
  bad "comments lost"
[ $(($(wc -l < "$table") - $(wc -l < "$nomult"))) = 4 ] && ok "four mult rows gone" ||
  bad "$(($(wc -l < "$table") - $(wc -l < "$nomult"))) lines dropped, want 4"

same() { # name, args...: the run with both tables, the same output
  local name=$1
  shift
  "$emlsim" "$@" --energy-table "$table" > "$dir/full.out" 2> "$dir/full.err"
  local rf=$?
  "$emlsim" "$@" --energy-table "$nomult" > "$dir/nomult.out" 2> "$dir/nomult.err"
  local rn=$?
  if [ $rn != 0 ] || [ $rf != 0 ]; then
    bad "$name: exit $rn without mult rows, $rf with: $(cat "$dir/nomult.err")"
    return
  fi
  grep -v '^note: energy table: ' "$dir/full.out" > "$dir/full.cmp"
  grep -v '^note: energy table: ' "$dir/nomult.out" > "$dir/nomult.cmp"
  if ! grep -q 'total' "$dir/nomult.cmp"; then
    bad "$name: no total row"
  elif cmp -s "$dir/full.cmp" "$dir/nomult.cmp"; then
    ok "$name: the same figures without the mult rows"
  else
    bad "$name: the figures differ:"
    diff "$dir/full.cmp" "$dir/nomult.cmp"
  fi
}
same "bitserial 4:4" bitserial gemm:16x16x512 --bits 4:4
same "xnor" xnor gemm:16x16x512
same "bitserial csv" bitserial gemm:16x16x512 --bits 4:4 --format csv
same "xnor csv" xnor gemm:16x16x512 --format csv

refused() { # name, row, args...: exit 1 naming the row
  local name=$1 row=$2
  shift 2
  "$emlsim" "$@" --energy-table "$nomult" > "$dir/r.out" 2> "$dir/r.err"
  local rc=$?
  if [ $rc = 1 ] && grep -q "energy table has no '$row' row" "$dir/r.err" &&
    [ ! -s "$dir/r.out" ]; then
    ok "$name: refused, naming '$row'"
  else
    bad "$name: exit $rc, '$(cat "$dir/r.err")', want 1 naming '$row' and no output"
  fi
}
refused "analyze" "int mult" analyze gemm:4096x16x16 --bits 8:8 --format csv
grep -q "^$nomult: error: layer 'gemm' (weights int8, activations int8): " "$dir/r.err" &&
  ok "analyze: names the layer and its widths" || bad "analyze: '$(cat "$dir/r.err")'"
refused "systolic" "int mult" systolic gemm:16x16x512
refused "simt" "fp mult" simt gemm:16x16x512
exit $fail
