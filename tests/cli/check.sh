#!/usr/bin/env bash
# check.sh - run one emlsim command and check what a user would see.
#
# usage: check.sh [--exit N] [--stdout-re RE]... [--stdout-not-re RE]... [--stderr-re RE]...
#                 [--stderr-not-re RE]...
#                 [--no-file PATH] [--csv-match EXPECTED.csv KEYCOL COL...] -- CMD ARGS...
#   --exit N          expected exit status (default 0)
#   --stdout-re RE    stdout must match the extended regex RE (grep -E)
#   --stdout-not-re RE  no line of stdout may match RE
#   --stderr-re RE    stderr must match RE
#   --stderr-not-re RE  no line of stderr may match RE
#   --no-file PATH    PATH must not exist after the run (no half-written output)
#   --file-re PATH RE PATH must exist after the run and match RE
#   --csv-match F K C...  stdout is a CSV; for every row of F (a CSV whose header
#                     names K and the columns C...), the row of stdout with the
#                     same K must have equal values in each C (K or a C missing
#                     from either file, or F without rows, fails)
set -u
want_exit=0; out_res=(); out_not=(); err_res=(); err_not=(); no_files=(); file_res=(); csv_file=""; csv_key=""; csv_cols=()
while [ $# -gt 0 ]; do
  case "$1" in
    --exit) want_exit=$2; shift 2 ;;
    --stdout-re) out_res+=("$2"); shift 2 ;;
    --stdout-not-re) out_not+=("$2"); shift 2 ;;
    --stderr-re) err_res+=("$2"); shift 2 ;;
    --stderr-not-re) err_not+=("$2"); shift 2 ;;
    --no-file) no_files+=("$2"); shift 2 ;;
    --file-re) file_res+=("$2" "$3"); rm -f "$2"; shift 3 ;;
    --csv-match) csv_file=$2; csv_key=$3; shift 3
      while [ $# -gt 0 ] && [ "$1" != "--" ]; do csv_cols+=("$1"); shift; done ;;
    --) shift; break ;;
    *) echo "check.sh: bad option $1" >&2; exit 2 ;;
  esac
done
cmd=("$@")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in "${no_files[@]+"${no_files[@]}"}"; do rm -f "$f"; done
"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
fail=0
if [ "$rc" != "$want_exit" ]; then echo "FAIL: exit status $rc, expected $want_exit"; fail=1; fi
for re in "${out_res[@]+"${out_res[@]}"}"; do
  grep -Eq -- "$re" "$tmp/out" || { echo "FAIL: stdout does not match /$re/"; fail=1; }
done
for re in "${out_not[@]+"${out_not[@]}"}"; do
  grep -Eq -- "$re" "$tmp/out" && { echo "FAIL: stdout matches /$re/"; fail=1; }
done
for re in "${err_res[@]+"${err_res[@]}"}"; do
  grep -Eq -- "$re" "$tmp/err" || { echo "FAIL: stderr does not match /$re/"; fail=1; }
done
for re in "${err_not[@]+"${err_not[@]}"}"; do
  grep -Eq -- "$re" "$tmp/err" && { echo "FAIL: stderr matches /$re/"; fail=1; }
done
for f in "${no_files[@]+"${no_files[@]}"}"; do
  [ -e "$f" ] && { echo "FAIL: $f exists after a failed run"; fail=1; }
  ls "$f".tmp.* >/dev/null 2>&1 && { echo "FAIL: temporary file left beside $f"; fail=1; }
done
set -- "${file_res[@]+"${file_res[@]}"}"
while [ $# -ge 2 ]; do
  if [ ! -f "$1" ]; then echo "FAIL: $1 was not written"; fail=1
  elif ! grep -Eq -- "$2" "$1"; then echo "FAIL: $1 does not match /$2/"; fail=1; fi
  shift 2
done
if [ -n "$csv_file" ]; then
  awk -F, -v key="$csv_key" -v cols="${csv_cols[*]}" '
    /^#/ { next }
    !(FILENAME in seen) { seen[FILENAME] = 1; for (i = 1; i <= NF; i++) h[FILENAME, $i] = i; next }
    FILENAME == ARGV[1] { exp_rows[$h[ARGV[1], key]] = $0; order[++n] = $h[ARGV[1], key]; next }
    { got[$h[ARGV[2], key]] = $0 }
    END {
      nc = split(cols, c, " "); bad = 0
      # a column named that either file lacks, or an expected file without
      # rows, compares nothing: a failure, not a vacuous pass (a header index
      # is 1 or more; the rows above made an empty h entry for a missing key)
      nc_all = split(key " " cols, all, " ")
      for (j = 1; j <= nc_all; j++) {
        if (!(h[ARGV[1], all[j]] > 0)) {
          print "FAIL: no column \"" all[j] "\" in " ARGV[1]; bad = 1
        }
        if (!(h[ARGV[2], all[j]] > 0)) { print "FAIL: no column \"" all[j] "\" in output"; bad = 1 }
      }
      if (n == 0) { print "FAIL: " ARGV[1] " has no rows to compare"; bad = 1 }
      if (bad) exit 1
      for (i = 1; i <= n; i++) {
        k = order[i]
        if (!(k in got)) { print "FAIL: no row \"" k "\" in output"; bad = 1; continue }
        split(exp_rows[k], e, ","); split(got[k], g, ",")
        for (j = 1; j <= nc; j++) {
          ev = e[h[ARGV[1], c[j]]]; gv = g[h[ARGV[2], c[j]]]
          if (ev != gv) { print "FAIL: " k " " c[j] ": got " gv ", expected " ev; bad = 1 }
        }
      }
      exit bad
    }' "$csv_file" "$tmp/out" || fail=1
fi
if [ $fail != 0 ]; then
  echo "--- command: ${cmd[*]}"; echo "--- stdout:"; head -c 4000 "$tmp/out"; echo "--- stderr:"; head -c 4000 "$tmp/err"
  exit 1
fi
echo "ok: ${cmd[*]}"
