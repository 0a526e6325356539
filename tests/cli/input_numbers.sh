#!/bin/sh
# input_numbers.sh EMLSIM OUT SRC - a real number too small for a double is
# refused as one too large is, not read as 0.
#
# Doubles (IEEE 754 binary64) reach down to 2^-1074 = 4.94e-324, a
# subnormal; a number under half of it rounds to 0.  So in an energy table
# (horowitz45.csv with its 8-bit integer add, line 6, 'add,int,8,,0.03',
# energy_pj at column 12):
#   - 1e-400 is not 0 but would read as 0: refused at 6:12, exit 1 (it was
#     read as 0 pJ, while 1e400 was refused);
#   - 4e-320 is a subnormal, not 0: read (about 4e-320 pJ an add changes no
#     printed figure, so the report is the one a 0 gives);
#   - 0e-400 is a written 0: read, the report a 0 gives.
set -u
emlsim=$1 out=$2 src=$3
rm -rf "$out"
mkdir -p "$out"
fail=0
table() { # NAME VALUE: horowitz45.csv with VALUE for the 8-bit add
  sed 's/^add,int,8,,0\.03,/add,int,8,,'"$2"',/' "$src/costmodel/energy/horowitz45.csv" >"$out/$1.csv"
}
run() { # NAME: analyze alexnet at 8 bits with the table
  "$emlsim" analyze alexnet --bits 8:8 --energy-table "$out/$1.csv" --format csv \
    >"$out/$1.out" 2>"$out/$1.err"
}
table zero 0
table tiny 1e-400
table sub 4e-320
table zexp 0e-400
if [ "$(sed -n 6p "$out/tiny.csv")" != 'add,int,8,,1e-400,"Horowitz ISSCC 2014, 45 nm: 8-bit integer add"' ]; then
  echo "FAIL: horowitz45.csv's line 6 is not the 8-bit add: $(sed -n 6p "$out/tiny.csv")"
  exit 1
fi
run zero || { echo "FAIL: zero: $(cat "$out/zero.err")"; exit 1; }
run tiny
rc=$?
case "$rc:$(cat "$out/tiny.err")" in
  "1:$out/tiny.csv:6:12: error: 'energy_pj' "*1e-400*) echo "ok: 1e-400 refused at 6:12" ;;
  *) echo "FAIL: 1e-400: exit $rc, stderr: $(cat "$out/tiny.err")"; fail=1 ;;
esac
for t in sub zexp; do
  if run $t && cmp -s "$out/zero.out" "$out/$t.out"; then
    echo "ok: $t: read, the report a 0 gives"
  else
    echo "FAIL: $t: $(cat "$out/$t.err")"
    fail=1
  fi
done
exit $fail
