#!/bin/sh
# svg_text.sh - the text of a gnuplot SVG, for the plot tests.
#
# usage: svg_text.sh ticks FILE ANCHOR   the numeric labels drawn with that
#                                        text-anchor, one a line, a trailing 'x'
#                                        (a ratio) dropped: 'end' is the y axis,
#                                        'middle' the x axis, 'start' y2
#        svg_text.sh labels FILE ANCHOR  every label with that anchor, as drawn
#        svg_text.sh overlaps FILE       pairs of labels whose boxes overlap,
#                                        one pair a line (none: no output)
#
# gnuplot's SVG terminal writes each label as
#   <g transform="translate(X,Y)[ rotate(R)]" ... font-size="S" ... text-anchor="A">
#   <text>TEXT</text>
# with Y the baseline.  A label's box is estimated from its length: a
# character of the sans font is at most 0.62 em wide and a line 1 em high
# with 0.8 em above the baseline; two boxes overlap when they share more
# than a tenth of an em each way (labels that merely touch are apart).
# Labels turned by 45 degrees (bar charts' categories) are left out: they
# are one a category, spaced by the bars.
set -u
mode=$1
file=$2
anchor=${3:-}
[ -f "$file" ] || { echo "FAIL: $file does not exist"; exit 1; }
awk -v mode="$mode" -v want="$anchor" '
  /<g transform="translate\(/ {
    s = $0
    sub(/.*<g transform="translate\(/, "", s)
    split(s, xy, /[,)]/)
    x = xy[1] + 0; y = xy[2] + 0
    rot = 0
    if (s ~ /rotate\(/) { r = s; sub(/.*rotate\(/, "", r); sub(/\).*/, "", r); rot = r + 0 }
    size = 10
    if (s ~ /font-size="/) { f = s; sub(/.*font-size="/, "", f); sub(/".*/, "", f); size = f + 0 }
    anc = "start"
    if (s ~ /text-anchor="/) { a = s; sub(/.*text-anchor="/, "", a); sub(/".*/, "", a); anc = a }
    pending = 1
    next
  }
  pending && /<text>/ {
    t = $0
    sub(/.*<text>/, "", t); sub(/<\/text>.*/, "", t)
    sub(/^ +/, "", t); sub(/ +$/, "", t)
    pending = 0
    if (t == "") next
    n++
    T[n] = t; X[n] = x; Y[n] = y; R[n] = rot; S[n] = size; A[n] = anc
    next
  }
  { pending = 0 }
  END {
    for (i = 1; i <= n; i++) {
      if (mode == "ticks" && A[i] == want && R[i] == 0) {
        v = T[i]; sub(/x$/, "", v)
        if (v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) print v
      } else if (mode == "labels" && A[i] == want && R[i] == 0) {
        print T[i]
      }
    }
    if (mode != "overlaps") exit 0
    for (i = 1; i <= n; i++) {
      w = 0.62 * S[i] * length(T[i])
      lo = A[i] == "end" ? -w : A[i] == "middle" ? -w / 2 : 0
      if (R[i] == 0) {
        x0[i] = X[i] + lo; x1[i] = X[i] + lo + w; y0[i] = Y[i] - 0.8 * S[i]; y1[i] = Y[i] + 0.2 * S[i]
      } else if (R[i] == 90 || R[i] == 270 || R[i] == -90) {
        x0[i] = X[i] - 0.8 * S[i]; x1[i] = X[i] + 0.2 * S[i]; y0[i] = Y[i] + lo; y1[i] = Y[i] + lo + w
        if (R[i] == 270 || R[i] == -90) { y0[i] = Y[i] - lo - w; y1[i] = Y[i] - lo }
      } else {
        skip[i] = 1
      }
    }
    for (i = 1; i <= n; i++)
      for (j = i + 1; j <= n; j++) {
        if (skip[i] || skip[j]) continue
        e = 0.1 * (S[i] < S[j] ? S[i] : S[j])
        ox = (x1[i] < x1[j] ? x1[i] : x1[j]) - (x0[i] > x0[j] ? x0[i] : x0[j])
        oy = (y1[i] < y1[j] ? y1[i] : y1[j]) - (y0[i] > y0[j] ? y0[i] : y0[j])
        if (ox > e && oy > e) printf "\"%s\" at (%.0f, %.0f) and \"%s\" at (%.0f, %.0f)\n", T[i], X[i], Y[i], T[j], X[j], Y[j]
      }
  }
' "$file"
