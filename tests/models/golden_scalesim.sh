#!/usr/bin/env bash
# golden_scalesim.sh EMLSIM TOPOLOGY CFG EXPECTED [OPTION...]
# Runs `emlsim systolic` and compares its COMPUTE_REPORT.csv and
# DETAILED_ACCESS_REPORT.csv, column by column, with SCALE-Sim v2's figures
# recorded in EXPECTED, and its BANDWIDTH_REPORT.csv where EXPECTED has its
# six columns after those (columns 25-30). Integers must be equal; the
# utilization and bandwidth columns may differ by 1e-9 relative (printing
# precision).
set -eu
emlsim=$1 topo=$2 cfg=$3 expected=$4
shift 4 # the rest: options for emlsim systolic
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$emlsim" systolic "$topo" -c "$cfg" "$@" -o "$dir"
run=$(ls "$dir")
paste -d, <(tail -n +2 "$dir/$run/COMPUTE_REPORT.csv" | sed 's/ //g; s/,$//') \
          <(tail -n +2 "$dir/$run/DETAILED_ACCESS_REPORT.csv" | sed 's/ //g; s/,$//' | cut -d, -f2-) \
          <(tail -n +2 "$dir/$run/BANDWIDTH_REPORT.csv" | sed 's/ //g; s/,$//' | cut -d, -f2-) \
  > "$dir/got.csv"
grep -v '^#' "$expected" | tail -n +2 > "$dir/want.csv"
awk -F, -v names="$(grep -v '^#' "$expected" | head -1)" '
  BEGIN { split(names, col, ",") }
  NR == FNR { want[FNR] = $0; n = FNR; next }
  {
    got[FNR] = $0; m = FNR
  }
  END {
    bad = 0
    if (n != m) { printf "FAIL: %d layers, SCALE-Sim has %d\n", m, n; exit 1 }
    for (i = 1; i <= n; i++) {
      nw = split(want[i], w, ","); split(got[i], g, ",")
      for (j = 1; j <= nw; j++) {
        d = g[j] - w[j]; if (d < 0) d = -d
        tol = (j >= 4 && j <= 6) || j >= 25 ? 1e-9 * (w[j] < 0 ? -w[j] : w[j]) + 1e-12 : 0
        if (d > tol) { printf "FAIL: layer %d %s: emlsim %s, SCALE-Sim %s\n", i - 1, col[j], g[j], w[j]; bad++ }
      }
    }
    if (!bad) printf "ok: %d layers, %d columns each, equal to SCALE-Sim\n", n, nw
    exit bad != 0
  }' "$dir/want.csv" "$dir/got.csv"
