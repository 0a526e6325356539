#!/bin/sh
# render.sh REPORT.html MIN - opens the report in headless Chromium and checks
# the page's own render check: every inline SVG plot has a size and content,
# every image loaded ("render-check: ok N", N >= MIN).
report=$1
min=$2
browser=$(command -v chromium || command -v chromium-headless-shell || command -v chromium-browser)
if [ -z "$browser" ]; then
  echo "FAIL: no chromium to render $report (Debian package chromium; make test installs it)"
  exit 1
fi
[ -f "$report" ] || { echo "FAIL: $report does not exist"; exit 1; }
dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 \
  --dump-dom "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" 2>/dev/null)
line=$(printf '%s\n' "$dom" | grep -o 'id="render-check">render-check: [^<]*' | head -1)
echo "$line"
n=$(printf '%s\n' "$line" | sed -n 's/.*render-check: ok \([0-9][0-9]*\)$/\1/p')
if [ -z "$n" ]; then
  echo "FAIL: the report's render check did not pass"
  exit 1
fi
if [ "$n" -lt "$min" ]; then
  echo "FAIL: $n plots rendered, expected at least $min"
  exit 1
fi
echo "ok: $n plots rendered"
