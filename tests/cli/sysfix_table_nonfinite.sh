#!/bin/sh
# sysfix_table_nonfinite.sh OUT SRC REPORTS_LIB BASE_LIB [CFLAGS] - a report table
# never prints inf or nan: a number cell given a non-finite figure is a
# number that does not apply, as an unset one is: empty in CSV, "n/a" in
# text and Markdown, null in JSON (whose grammar has no inf: a systolic
# run's bare `inf` made its whole document unreadable).  Built as a small
# program against the reports library (no command gives a non-finite
# figure on purpose), as tests/embed builds its example.
#
# By hand, the table below has 6 rows, each with n = 7: inf, -inf and nan
# set as figures (rows pinf, minf, qnan), "inf" given as text (row text),
# a finite 1.5 (2 decimals: "1.50") and a row whose val is never set; sig
# (4 significant digits) is inf, -inf, nan, then 2.5 twice, then unset.
# Every non-finite cell prints as the unset ones do.
set -u
out=$1 src=$2 rlib=$3 blib=$4 cflags=${5:-} # CFLAGS: the sanitizers' where the libraries have them
rm -rf "$out"
mkdir -p "$out"
fail=0
cat >"$out/t.c" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "rpt_table.h"
int main(int argc, char **argv) {
  static const rpt_column cols[] = {{"name", RPT_STR, 0}, {"val", RPT_F64, 2}, {"n", RPT_U64, 0},
                                    {"sig", RPT_F64, -4}};
  rpt_table *t = rpt_table_create("nonfinite", cols, 4);
  const char *names[] = {"pinf", "minf", "qnan", "text", "finite", "unset"};
  const double v[] = {INFINITY, -INFINITY, NAN, 0, 1.5, 0};
  for (int i = 0; i < 6; i++) {
    rpt_table_add_row(t);
    rpt_table_set_str(t, 0, names[i]);
    if (i == 3) rpt_table_set_str(t, 1, "inf");
    else if (i < 5) rpt_table_set_f64(t, 1, v[i]);
    rpt_table_set_u64(t, 2, 7);
    if (i < 5) rpt_table_set_f64(t, 3, i < 3 ? v[i] : 2.5);
  }
  char buf[32] = "x";
  rpt_format_f64(buf, sizeof buf, INFINITY, 3);
  printf("format: '%s'\n", buf);
  rpt_format_f64(buf, sizeof buf, NAN, -4);
  printf("format: '%s'\n", buf);
  int fmt = argc > 1 ? rpt_format_parse(argv[1]) : RPT_FMT_CSV;
  int rc = rpt_table_write(t, (rpt_format)fmt, stdout) != EM_OK;
  rpt_table_destroy(t);
  return rc;
}
EOF
# shellcheck disable=SC2046
cc -std=c11 $cflags -I"$src/reports" -I"$src/base" -o "$out/t" "$out/t.c" "$rlib" "$blib" \
  $(pkg-config --libs libcjson 2>/dev/null || echo -lcjson) -lm || { echo "FAIL: cannot build"; exit 1; }
check() { # what got want
  if [ "$2" = "$3" ]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; fail=1; fi
}
for f in csv json table md; do "$out/t" $f >"$out/t.$f" || { echo "FAIL: $f write"; fail=1; }; done
check "rpt_format_f64 of inf and nan" "$(grep -c "^format: ''$" "$out/t.csv")" 2
check "csv rows" "$(grep -v '^format' "$out/t.csv" | tail -6 | tr '\n' ' ')" \
  "pinf,,7, minf,,7, qnan,,7, text,,7,2.5 finite,1.50,7,2.5 unset,,7, "
check "json: val null in 5 rows" "$(grep -c '"val":[[:space:]]*null' "$out/t.json")" 5
check "json: sig null in 4 rows" "$(grep -c '"sig":[[:space:]]*null' "$out/t.json")" 4
check "json: the finite one" "$(grep -c '"val":[[:space:]]*1.50,' "$out/t.json")" 1
if command -v python3 >/dev/null 2>&1; then
  grep -v '^format' "$out/t.json" >"$out/doc.json"
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out/doc.json" 2>/dev/null &&
    echo "ok: json parses" || { echo "FAIL: json does not parse"; fail=1; }
fi
check "text: n/a where inf, nan or unset" "$(grep -cE '^(pinf|minf|qnan|text|unset) +n/a +7' "$out/t.table")" 5
for f in csv json table md; do
  check "$f: no inf or nan figure" "$(grep -v '^format' "$out/t.$f" | grep -cwE -- '-?(inf|nan)')" 0
done
exit $fail
