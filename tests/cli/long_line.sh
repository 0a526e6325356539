#!/usr/bin/env bash
# long_line.sh EMLSIM CHECK - a topology whose second line is 10 MB long must be
# refused with path:2:COL: error and exit 1, without reading it into memory whole.
set -eu
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
f=$dir/long.csv
{ echo "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"
  head -c 10485760 /dev/zero | tr '\0' '7'; echo; } > "$f"
exec "$2" --exit 1 --stderr-re "long.csv:2(:[0-9]+)?: error: .*line is longer" --no-file "$dir/out.csv" \
  -- "$1" analyze "$f" -o "$dir/out.csv"
