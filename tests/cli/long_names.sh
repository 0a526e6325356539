#!/bin/sh
# long_names.sh EMLSIM OUT - outputs whose names are 245 to 255 bytes long,
# legal names, are written: their temporaries (NAME.tmp.XXXXXX, 11 bytes
# more) once passed NAME_MAX, 255, and the run failed "cannot create: File
# name too long".  A file (analyze -o), a new folder and a folder already
# there (systolic -o), each committed whole with no temporary left beside
# it; a 256-byte name, illegal, is still refused with nothing written.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
name() { printf "%$1s" "" | tr ' ' "$2"; }
f245=$(name 245 a) f255=$(name 255 b) d255=$(name 255 d) f256=$(name 256 c)
for f in "$f245" "$f255"; do
  if "$emlsim" analyze alexnet -o "$out/$f" 2>"$out/err" >/dev/null &&
     grep -q '^CONV-1 ' "$out/$f"; then
    echo "ok: a file named with ${#f} bytes"
  else
    echo "FAIL: a file named with ${#f} bytes: $(cat "$out/err")"; fail=1
  fi
done
for run in new again; do
  if "$emlsim" systolic alexnet -o "$out/$d255" 2>"$out/err" >/dev/null &&
     [ -f "$out/$d255/emlsim_run/COMPUTE_REPORT.csv" ]; then
    echo "ok: a folder named with 255 bytes ($run)"
  else
    echo "FAIL: a folder named with 255 bytes ($run): $(cat "$out/err")"; fail=1
  fi
done
# nothing but the three outputs beside them, nothing staged in the folder
left=$(ls -A "$out" | grep -v '^err$' | wc -l)
inside=$(ls -A "$out/$d255" | grep -c 'tmp')
if [ "$left" = 3 ] && [ "$inside" = 0 ]; then
  echo "ok: no temporary left"
else
  echo "FAIL: left behind: $(ls -A "$out" | cut -c1-20) / $(ls -A "$out/$d255")"; fail=1
fi
"$emlsim" analyze alexnet -o "$out/$f256" 2>"$out/err" >/dev/null
rc=$?
if [ $rc = 1 ] && grep -q 'File name too long' "$out/err" && [ "$(ls -A "$out" | grep -v '^err$' | wc -l)" = 3 ]; then
  echo "ok: a 256-byte name refused"
else
  echo "FAIL: a 256-byte name: exit $rc, $(cat "$out/err")"; fail=1
fi
exit $fail
