#!/bin/sh
# embed.sh BUILD EMLSIM OUT [CFLAGS] - installs the build into OUT/prefix,
# builds tests/embed/example.c against it with its pkg-config file alone,
# and checks that the example's AlexNet figures equal the command line's
# (emlsim systolic / bitserial, the same design points).
set -eu
build=$1 emlsim=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
cmake --install "$build" --prefix "$out/prefix" >/dev/null
PKG_CONFIG_PATH=$out/prefix/lib/pkgconfig:$out/prefix/lib/x86_64-linux-gnu/pkgconfig
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
cc -std=c11 -o "$out/example" "$here/example.c" $(pkg-config --cflags --libs emlsim)
"$out/example" > "$out/example.txt"
cat "$out/example.txt"
# the command line's totals: the last line of each table, cycles in column 4
# (systolic) and column 8 (bit-serial), energy in pJ in the last column
sa=$("$emlsim" systolic alexnet --format csv | awk -F, '$1 == "total" {print $4, $NF}')
bs=$("$emlsim" bitserial alexnet --format csv | awk -F, '$1 == "total" {print $8, $NF}')
sa128=$("$emlsim" systolic alexnet --rows 128 --cols 128 --dataflow ws --format csv |
  awk -F, '$1 == "total" {print $4, $NF}')
fail=0
check() { # line-of-example "cycles pj"
  want_c=${2% *} want_e=$(awk -v p="${2#* }" 'BEGIN {printf "%.3f", p * 1e-6}')
  case $1 in
    *": $want_c cycles, $want_e uJ") echo "ok: $1" ;;
    *) echo "FAIL: '$1' is not $want_c cycles, $want_e uJ"; fail=1 ;;
  esac
}
check "$(sed -n 1p "$out/example.txt")" "$sa"
check "$(sed -n 2p "$out/example.txt")" "$bs"
check "$(sed -n 3p "$out/example.txt")" "$sa128"
# the manual page and the bash completion, made from the help texts
man1=$out/prefix/share/man/man1/emlsim.1
comp=$out/prefix/share/bash-completion/completions/emlsim
for c in study sweep systolic simt breakeven models; do
  grep -q "^\.SH \"EMLSIM $c\"" "$man1" || { echo "FAIL: emlsim.1 has no section for $c"; fail=1; }
done
bash -n "$comp" && grep -q -- 'systolic) local opts=".*--rows.*--dataflow' "$comp" ||
  { echo "FAIL: the bash completion does not offer systolic's options"; fail=1; }
[ $fail = 0 ] && echo "ok: emlsim.1 and the bash completion are installed"
exit $fail
