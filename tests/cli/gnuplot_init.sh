#!/usr/bin/env bash
# gnuplot_init.sh - the plots do not depend on the user's gnuplot init file.
#
# usage: gnuplot_init.sh EMLSIM
#
# gnuplot read $HOME/.gnuplot: a `set decimalsign ","` there turned every
# tick label of every plot into "0,5", and a system() call there ran.  With
# HOME holding such a file, a study's SVG plot (the study draws
# plots/bits.svg; its text elements are the tick labels and titles) must
# label its ticks with a decimal point and nothing may have run.
set -u
E=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
# gnuplot is a dependency (Makefile DEB_PACKAGES, gnuplot-nox): without it
# nothing here is checked, which is a failure, not a pass
if ! command -v gnuplot >/dev/null; then
  echo "FAIL: no gnuplot (Debian package gnuplot-nox; make installs it)"
  exit 1
fi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

mkdir home
printf 'set decimalsign ","\nsystem("touch %s/ran")\n' "$T" >home/.gnuplot
# gnuplot itself reads it (else this test proves nothing)
echo 'print gprintf("%.1f", 0.5)' | HOME=$T/home gnuplot 2>gp.txt
grep -qx '0,5' gp.txt || fail "gnuplot ignores \$HOME/.gnuplot here: $(cat gp.txt)"
rm -f ran

HOME=$T/home "$E" study --workload simplecnn --sparsity none --accuracy none --arch analytic \
  --repeat 1 -o "$T/st" >/dev/null 2>err.txt || fail "study: exit $?: $(cat err.txt)"
svg=$T/st/plots/bits.svg
if [ -f "$svg" ]; then
  # the labels, one a line: <text>0.02</text> -> 0.02
  grep -o '<text[^>]*>[^<]*</text>' "$svg" | sed 's/<[^>]*>//g' >labels.txt
  grep -Eq '^[0-9]+\.[0-9]+$' labels.txt || fail "no tick label with a decimal point: $(tr '\n' ' ' <labels.txt)"
  grep -Eq '^[0-9]+,[0-9]+$' labels.txt && fail "tick labels with a decimal comma: $(tr '\n' ' ' <labels.txt)"
else
  fail "no $svg"
fi
[ -e ran ] && fail "a command in \$HOME/.gnuplot ran"

if [ $fails != 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "ok: no init file read"
