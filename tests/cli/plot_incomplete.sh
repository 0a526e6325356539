#!/bin/sh
# plot_incomplete.sh EMLSIM OUT CASE - a plot that gnuplot leaves cut short
# (a full disk: gnuplot still exits 0) fails the run: exit 1, an error that
# names the plot's path, and no plot - nor any other output of the run -
# left behind (plots/plt_plot.c, plt_check_complete).
#
# No disk is filled: a fake `gnuplot` first in PATH does what the real one
# does on a full disk.  It answers `gnuplot --version` with one line, as
# gnuplot 5.4 does (sim_need_gnuplot and the study's "Versions:" line ask
# that), and otherwise reads the script on its standard input, finds the
# file in its `set output '...'` and writes part of a plot there, then
# exits 0.  By hand, the bytes it writes:
#   PNG (any other terminal than svg): the 8-byte signature 89 'PNG' 0D 0A
#   1A 0A; IHDR, 4 (length 13) + 4 ('IHDR') + 13 (960 x 600 = 00 00 03 C0,
#   00 00 02 58; depth 8, RGBA 6, 0, 0, 0) + 4 (its CRC-32, AD 94 8F 01)
#   = 25 bytes; then
#     half:  an IDAT header (length 4096, 'IDAT') and 59 of its 4096 bytes,
#            8 + 59 = 67: 8 + 25 + 67 = 100 bytes, no IEND chunk;
#     whole: IEND, 00 00 00 00 'IEND' AE 42 60 82, 12: 8 + 25 + 12 = 45.
#   SVG (set terminal svg): "<svg>\n<g>\n", 6 + 4 = 10 bytes (half); whole
#   adds "</g>\n</svg>\n\n", 5 + 7 + 1 = 13: 23 bytes, "</svg>" followed
#   only by white space.
# So every half plot is refused as "incomplete (100 bytes; no PNG end
# chunk)" (or "(10 bytes; no closing </svg>)"), and a whole one, the same
# bytes with the end, is kept as it is (45 and 23 bytes): the check fails
# both ways.
#
# CASE: breakeven (--plot, PNG and SVG), sweep (--heatmap), study and quant
# (their plots in the -o folder, staged: no folder left at all), rtl
# (characterize --plot; skipped where emlsim was built without Verilator),
# whole (complete fakes pass, PNG and SVG).
set -u
emlsim=$1 out=$2 case=$3
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# fake DIR MODE: the fake gnuplot in DIR, writing half or whole plots
fake() {
  mkdir -p "$1"
  printf '#!/bin/sh\nmode=%s\n' "$2" >"$1/gnuplot"
  cat >>"$1/gnuplot" <<'EOF'
if [ "${1-}" = --version ]; then echo "gnuplot 5.4 patchlevel 4"; exit 0; fi
script=$(cat)
o=$(printf '%s\n' "$script" | sed -n "s/^set output '\(.*\)'\$/\1/p" | head -n 1 | sed "s/''/'/g")
[ -n "$o" ] || exit 0
if printf '%s\n' "$script" | grep -q '^set terminal svg'; then
  { printf '<svg>\n<g>\n'
    [ "$mode" = whole ] && printf '</g>\n</svg>\n\n'; } >"$o"
else
  { printf '\211PNG\r\n\032\n'
    printf '\000\000\000\015IHDR\000\000\003\300\000\000\002\130\010\006\000\000\000\255\224\217\001'
    if [ "$mode" = whole ]; then
      printf '\000\000\000\000IEND\256\102\140\202'
    else
      printf '\000\000\020\000IDAT'
      head -c 59 /dev/zero
    fi; } >"$o"
fi
exit 0
EOF
  chmod +x "$1/gnuplot"
}
fake "$out/half" half
fake "$out/whole" whole
HALF="$out/half:$PATH"
png_msg="error: gnuplot's plot is incomplete (100 bytes; no PNG end chunk): is the disk full?"
svg_msg="error: gnuplot's plot is incomplete (10 bytes; no closing </svg>): is the disk full?"

# refused WHAT RC WANT_LINE PATHS...: exit 1, the line on stderr (exact, or
# an ERE where it starts with ^), and none of PATHS nor any temporary left
refused() {
  what=$1 rc=$2 want=$3
  shift 3
  if [ "$rc" != 1 ]; then bad "$what: exit $rc, want 1"; fi
  case $want in
    ^*) grep -Eq "$want" "$out/err" ;;
    *) grep -Fqx "$want" "$out/err" ;;
  esac && ok "$what: exit $rc, '$want'" || bad "$what: stderr: $(head -c 600 "$out/err")"
  for p in "$@"; do
    if [ -e "$p" ]; then bad "$what: $p left behind"; else ok "$what: no $p"; fi
  done
  left=$(find "$out" -name '*.tmp*' | head -3)
  if [ -n "$left" ]; then bad "$what: temporaries left: $left"; fi
}

case $case in
breakeven)
  PATH=$HALF "$emlsim" breakeven gemm:64x64x64 --arch systolic --sparsity 0:0.5:0.5 \
    -o "$out/be.csv" --plot "$out/be.png" >/dev/null 2>"$out/err"
  refused "breakeven --plot PNG" $? "$out/be.png: $png_msg" "$out/be.png" "$out/be.csv"
  PATH=$HALF "$emlsim" breakeven gemm:64x64x64 --arch systolic --sparsity 0:0.5:0.5 \
    -o "$out/be.csv" --plot "$out/be.svg" >/dev/null 2>"$out/err"
  refused "breakeven --plot SVG" $? "$out/be.svg: $svg_msg" "$out/be.svg" "$out/be.csv"
  ;;
sweep)
  printf 'arch = systolic\nworkload = gemm:64x64x64\nrows = 8, 16\ncols = 8, 16\n' >"$out/hm.spec"
  PATH=$HALF "$emlsim" sweep "$out/hm.spec" -o "$out/sw.csv" --heatmap "$out/h.png" --quiet \
    >/dev/null 2>"$out/err"
  refused "sweep --heatmap" $? "$out/h.png: $png_msg" "$out/h.png" "$out/sw.csv" "$out/sw.json"
  ;;
study)
  # the first plot written fails the study: which one is the study's
  # order, so the name is matched, not listed
  PATH=$HALF "$emlsim" study resnet18 --arch analytic --accuracy none --sparsity none \
    --repeat 1 -o "$out/st" >/dev/null 2>"$out/err"
  refused "study" $? "^$out/st/plots/[a-z0-9_]+\\.png: error: gnuplot's plot is incomplete \\(100 bytes; no PNG end chunk\\): is the disk full\\?\$" \
    "$out/st"
  ;;
quant)
  # two images of 2 x 2 pixels and an all-zero 4-256-128-10 MLP
  # (quant_load_shape.sh): quant runs in moments, then draws its plots
  mkdir -p "$out/data"
  for s in train t10k; do
    { printf '\000\000\010\003\000\000\000\002\000\000\000\002\000\000\000\002'
      head -c 8 /dev/zero; } >"$out/data/$s-images-idx3-ubyte"
    printf '\000\000\010\001\000\000\000\002\003\007' >"$out/data/$s-labels-idx1-ubyte"
  done
  # (4 x 256 + 256) + (256 x 128 + 128) + (128 x 10 + 10) = 35,466 float32 zeros
  { printf 'EMLSMLP1\003\000\000\000\004\000\000\000\000\001\000\000\200\000\000\000\012\000\000\000'
    head -c $((35466 * 4)) /dev/zero; } >"$out/z.mlp"
  PATH=$HALF "$emlsim" quant --data "$out/data" --load "$out/z.mlp" --finetune 0 -o "$out/q" \
    >/dev/null 2>"$out/err"
  refused "quant" $? "^$out/q/[a-z0-9_/]+\\.png: error: gnuplot's plot is incomplete \\(100 bytes; no PNG end chunk\\): is the disk full\\?\$" \
    "$out/q"
  ;;
rtl)
  PATH=$HALF "$emlsim" rtl characterize --plot "$out/rtl.png" >/dev/null 2>"$out/err"
  rc=$?
  # a build without Verilator (EMLSIM_RTL off, or none found) has no rtl
  # command to check: a skip ctest shows (exit 77, SKIP_RETURN_CODE)
  if grep -q "built without Verilator" "$out/err"; then
    echo "skip: rtl: this emlsim was built without Verilator"
    exit 77
  else
    refused "rtl characterize --plot" $rc "$out/rtl.png: $png_msg" "$out/rtl.png"
  fi
  ;;
whole)
  for ext in png svg; do
    PATH="$out/whole:$PATH" "$emlsim" breakeven gemm:64x64x64 --arch systolic \
      --sparsity 0:0.5:0.5 -o "$out/be.csv" --plot "$out/be.$ext" >/dev/null 2>"$out/err"
    rc=$?
    want=45
    [ $ext = svg ] && want=23
    got=$(wc -c <"$out/be.$ext" 2>/dev/null | tr -d ' ')
    if [ $rc = 0 ] && [ "$got" = $want ] && [ -s "$out/be.csv" ]; then
      ok "whole $ext: exit 0, be.$ext kept ($got bytes), be.csv written"
    else
      bad "whole $ext: exit $rc, be.$ext ${got:-absent} bytes (want $want): $(head -c 300 "$out/err")"
    fi
    rm -f "$out/be.csv"
  done
  ;;
*)
  echo "FAIL: unknown case '$case'"
  exit 2
  ;;
esac
exit $fail
