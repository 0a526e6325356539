#!/bin/sh
# plot_path.sh EMLSIM YOSYS - `rtl characterize --plot PATH` gives gnuplot the
# path as a quoted string: a newline in it ended `set output` and gnuplot ran
# the rest of the name, a backquoted shell command among them (the audit's
# 'x<NL>`touch PWNED`<NL>.png' made PWNED and left a 43 kB file 'x'); it is
# refused now before the syntheses, exit 1, nothing made.  A quote is data:
# "it's.png" is drawn (it was refused; a stand-in Yosys gives 100 cells);
# "g.svg" is an SVG (it was PNG bytes under that name).
set -u
emlsim=$1 yosys=$2
fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
nl='
'
"$emlsim" rtl characterize --yosys "$yosys" --plot "x${nl}\`touch PWNED\`${nl}.png" >out.txt 2>err.txt
rc=$?
left=$(ls -A | grep -v '^out.txt$' | grep -v '^err.txt$')
if [ "$rc" = 1 ] && grep -q 'plot path has a control character' err.txt && [ -z "$left" ]; then
  echo "ok: a newline in --plot is refused, nothing made"
else
  echo "FAIL: exit $rc, stderr '$(cat err.txt)', left: '$left'"
  fail=1
fi
if EMLSIM_FAKE_CELLS=100 "$emlsim" rtl characterize --yosys "$yosys" --plot "it's.png" >out.txt 2>err.txt &&
  [ "$(head -c 4 "it's.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  echo "ok: a quote in --plot is drawn"
else
  echo "FAIL: --plot \"it's.png\": $(cat err.txt)"
  fail=1
fi
# a name ending in .svg is drawn as an SVG, as every single-file plot
if EMLSIM_FAKE_CELLS=100 "$emlsim" rtl characterize --yosys "$yosys" --plot "g.svg" >out.txt 2>err.txt &&
  grep -q '<svg' g.svg && ! head -c 8 g.svg | od -An -c | grep -q 'P   N   G'; then
  echo "ok: --plot g.svg is an SVG"
else
  echo "FAIL: --plot g.svg: $(cat err.txt)"
  fail=1
fi
exit $fail
