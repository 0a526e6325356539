#!/usr/bin/env bash
# names.sh EMLSIM TESTS CASE - names that come from input files (layer,
# network, ONNX graph and GPU names, a sweep's values) are data, never code:
# gnuplot runs none of them as a command, no report leaves the -o folder,
# and a CSV we write reads back as the same names.
#
# The plot payloads each try a way into gnuplot's command language: a
# newline then system("touch ..."), a backquoted `touch ...` (substituted
# even inside double-quoted strings), a datablock terminator (EOD), '"' and
# '\'' quotes and a backslash.  Each case runs in a fresh folder (gnuplot's
# working folder too, so a relative `touch PWNED_x` would land there) and
# checks that no PWNED_* file appears and that the plot is still written.
# The last cases check that an error from running an input (a trace kernel,
# a GPU file, a sweep point) names that input.
set -u
emlsim=$1 tests=$2 case=$3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail=0
die() { echo "FAIL: $*"; fail=1; }
# A payload for the inside of a file: absolute paths, so a command run from
# any folder would leave its file here.
payload() { # $1: a tag for the file names
  printf '%s\nsystem("touch %s/PWNED_%s_nl")\nEOD\n`touch %s/PWNED_%s_bq` "q" '"'"'s'"'"' \\ end' \
    "$1" "$dir" "$1" "$dir" "$1"
}
# A name as one CSV field: in double quotes, inner quotes doubled (RFC 4180).
csvq() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }
no_pwned() {
  local left
  left=$(find "$dir" -name 'PWNED_*' | head -5)
  [ -z "$left" ] || die "gnuplot ran a command from a name: $left"
}
plot_ok() { # $1: a plot that must exist and be a PNG or SVG
  [ -s "$1" ] || { die "$1 was not written"; return; }
  head -c 300 "$1" | grep -aq -e PNG -e '<svg' -e '<?xml' || die "$1 is not a PNG or SVG"
}
run() { # runs "$@", keeps stderr in $dir/err, returns the exit status
  "$@" >"$dir/out" 2>"$dir/err" </dev/null
}
gemm_topology() { # $1: file, $2: the layer's name (raw)
  { echo 'Layer name, M, N, K'; printf '%s, 64, 64, 64\n' "$(csvq "$2")"; } >"$1"
}

case $case in
  plot_layer_name) # a topology layer name (a quoted field over four lines)
    gemm_topology "$dir/net.csv" "$(payload layer)"
    run "$emlsim" breakeven "$dir/net.csv" --sparsity 0:0.9:0.3 --plot "$dir/be.png" ||
      die "breakeven exit $?: $(cat "$dir/err")"
    plot_ok "$dir/be.png" ;;
  plot_network_name) # the network's name: the topology's file name
    name=$'net\nsystem("touch PWNED_net_nl")\nEOD\n`touch PWNED_net_bq` "q" \'s\' \\ end'
    gemm_topology "$dir/$name.csv" fc
    run "$emlsim" breakeven "$dir/$name.csv" --sparsity 0:0.9:0.3 --plot "$dir/be.png" ||
      die "breakeven exit $?: $(cat "$dir/err")"
    plot_ok "$dir/be.png" ;;
  plot_onnx_name) # an ONNX graph's name (tests/cli/data/hostile_graph_name.onnx:
    # ONNX's conv node test with the graph renamed by onnx_graph_name.py to
    # a newline payload with relative `touch PWNED_onnx_*` commands)
    run "$emlsim" breakeven "$tests/cli/data/hostile_graph_name.onnx" --sparsity 0:0.9:0.3 \
      --arch systolic --plot "$dir/be.png" || die "breakeven exit $?: $(cat "$dir/err")"
    plot_ok "$dir/be.png" ;;
  plot_study) # a study: layer names in bar and point labels and legends, the
    # network's name in every title, a GPU file's name in two
    name=$'study\nsystem("touch PWNED_study_nl")\n`touch PWNED_study_bq` "q" \'s\''
    { echo 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,'
      printf '%s, 12, 12, 3, 3, 4, 8, 1,\n' "$(csvq "$(payload conv)")"
      printf '%s, 1, 1, 1, 1, 64, 10, 1,\n' "$(csvq "$(payload fc)")"
      # one line, as any CSV reader reads it
      printf '%s, 1, 1, 1, 1, 10, 10, 1,\n' "$(csvq "\`touch $dir/PWNED_study_one\` \"q\"")"
    } >"$dir/$name.csv"
    gpu="$dir/$(printf 'gpu\nsystem("touch PWNED_gpu_nl")\n`touch PWNED_gpu_bq`').cfg"
    cp "$tests/../models/simt/data/gpu_jetson.cfg" "$gpu"
    run "$emlsim" study --workload "$dir/$name.csv" --arch analytic,systolic,simt \
      --bits fp32,int8 --sparsity 0,0.5 --gpu "$gpu" --repeat 1 --jobs 1 -o "$dir/st" ||
      die "study exit $?: $(cat "$dir/err")"
    for p in pareto bits energy_systolic roofline simt_stalls breakeven; do
      plot_ok "$dir/st/plots/$p.png"
      plot_ok "$dir/st/plots/$p.svg"
    done ;;
  plot_path_quote) # a plot path with quotes is written where it says
    gemm_topology "$dir/net.csv" fc
    run "$emlsim" breakeven "$dir/net.csv" --sparsity 0:0.9:0.3 --plot "$dir/it's \"q\".png" ||
      die "breakeven exit $?: $(cat "$dir/err")"
    plot_ok "$dir/it's \"q\".png" ;;
  plot_path_newline) # a plot path with a newline is refused, and nothing is left
    gemm_topology "$dir/net.csv" fc
    png=$dir/$'a\nsystem("touch PWNED_path")\nb.png'
    run "$emlsim" breakeven "$dir/net.csv" --sparsity 0:0.9:0.3 --plot "$png"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    grep -qF "b.png: error: plot path has a control character" "$dir/err" ||
      die "stderr: $(cat "$dir/err")"
    left=$(find "$dir" -name '*.png*' | head -3)
    [ -z "$left" ] || die "left behind: $left" ;;
  export_roundtrip) # workloads export, read back: the same layers, names
    # included.  ADPT is a dense conv whose name holds SCALE-Sim's depthwise
    # mark "DP"; dw is depthwise by its Groups column.  By hand (stride 1,
    # no padding, 8 x 8 -> 6 x 6): ADPT 36 x 9 x 4 x 8 = 10368 MACs, 288
    # weights, 6x6x8 out; dw 36 x 9 x 1 x 4 = 1296 MACs, 36 weights, 6x6x4.
    { echo 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides, Groups'
      for n in '#x' 'a,b' '"q"' $'two\nlines' ' lead' 'trail ' "'s'"; do
        printf '%s, 8, 8, 3, 3, 4, 8, 1, 1\n' "$(csvq "$n")"
      done
      echo 'ADPT, 8, 8, 3, 3, 4, 8, 1, 1'
      echo 'dw, 8, 8, 3, 3, 4, 4, 1, 4'; } >"$dir/in.csv"
    run "$emlsim" workloads export "$dir/in.csv" -o "$dir/exported.csv" ||
      die "export exit $?: $(cat "$dir/err")"
    run "$emlsim" analyze "$dir/in.csv" --format json -o "$dir/a.json" ||
      die "analyze in.csv exit $?: $(cat "$dir/err")"
    run "$emlsim" analyze "$dir/exported.csv" --format json -o "$dir/b.json" ||
      die "analyze exported.csv exit $?: $(cat "$dir/err")"
    # the rows (names, shapes, MACs...), without the inputs (file names)
    rows() { sed -n '/"rows"/,$p' "$1"; }
    [ "$(rows "$dir/a.json")" = "$(rows "$dir/b.json")" ] ||
      die "the layers differ after export: $(diff <(rows "$dir/a.json") <(rows "$dir/b.json") | head -20)"
    n=$(grep -c '"layer":' "$dir/b.json")
    [ "$n" = 10 ] || die "$n rows read back, expected 9 layers and the total"
    for want in '"layer":	"two\nlines"' '"layer":	" lead"' '"layer":	"trail "' \
                '"layer":	"\"q\""' '"layer":	"#x"' '"layer":	"a,b"'; do
      grep -qF "$want" "$dir/b.json" || die "no $want in the layers read back"
    done
    # ADPT and dw by hand (JSON rows: layer, type, params, macs, ..., output_hwc)
    tr -d '\n\t' <"$dir/b.json" >"$dir/flat"
    grep -q '"layer":"ADPT","type":"conv","params":288,"macs":10368,' "$dir/flat" ||
      die "ADPT is not a dense 10368-MAC conv"
    grep -q '"output_hwc":"6x6x8"' "$dir/flat" || die "no 6x6x8 output"
    grep -q '"layer":"dw","type":"conv","params":36,"macs":1296,' "$dir/flat" ||
      die "dw is not a 1296-MAC depthwise conv" ;;
  csv_fields) # our CSV writer (analyze --format csv) quotes as RFC 4180 says,
    # and as our own reader needs ('#' and blanks at either end)
    { echo 'Layer name, M, N, K'
      for n in '#x' 'a,b' '"q"' $'two\nlines' ' lead'; do printf '%s, 2, 3, 4\n' "$(csvq "$n")"; done
    } >"$dir/in.csv"
    run "$emlsim" analyze "$dir/in.csv" --format csv -o "$dir/out.csv" ||
      die "analyze exit $?: $(cat "$dir/err")"
    # each row's start, written by hand
    for want in '^"#x",gemm,' '^"a,b",gemm,' '^"""q""",gemm,' '^"two$' '^lines",gemm,' \
                '^" lead",gemm,'; do
      grep -q "$want" "$dir/out.csv" || die "no line matching $want in $(cat "$dir/out.csv")"
    done ;;
  sweep_values) # a sweep's values from the spec reach its CSV as fields: a
    # workload file whose name holds a carriage return
    name=$'a\rb.csv'
    printf '%s\n' 'Layer name, M, N, K' 'g, 64, 64, 64' >"$dir/$name"
    printf '%s\n' 'arch = systolic' "workload = $name" 'rows = 8' >"$dir/s.spec"
    run "$emlsim" sweep "$dir/s.spec" -o "$dir/out.csv" || die "sweep exit $?: $(cat "$dir/err")"
    grep -q "^0,\"$name\",8," "$dir/out.csv" || die "the row: $(cat -A "$dir/out.csv")" ;;
  cfg_directory) # a folder given as the .cfg: said so, not "empty"
    mkdir "$dir/conf.cfg"
    run "$emlsim" systolic "$tests/../workloads/topologies/gemm_test.csv" -c "$dir/conf.cfg" \
      -o "$dir/o"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    [ "$(head -1 "$dir/err")" = "$dir/conf.cfg: error: is a directory, not a configuration file" ] ||
      die "stderr: $(cat "$dir/err")"
    [ ! -e "$dir/o" ] || die "output left behind" ;;
  trace_no_program) # a trace kernel the GPU model refuses: located at its line
    printf '%s\n' 'emlsim-trace 1' '# a kernel with no warps: nothing to run' \
      'kernel empty grid=1 block=32' >"$dir/k.emtrace"
    run "$emlsim" simt "$dir/k.emtrace" -o "$dir/o"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    [ "$(head -1 "$dir/err")" = "$dir/k.emtrace:3:1: error: kernel 'empty' has no program" ] ||
      die "stderr: $(cat "$dir/err")"
    [ ! -e "$dir/o" ] || die "output left behind" ;;
  micro_gpu_file) # a microbenchmark a GPU file cannot run: 16 bytes of shared
    # memory per SM hold no block of smem-stride, whose one warp reads shared
    # words; the kernel and the GPU are at fault, not a line of the file, so
    # the command names itself and the GPU (it read "$dir/tiny.cfg: error")
    sed 's/^-gpgpu_shmem_size .*/-gpgpu_shmem_size 16/' "$tests/../models/simt/data/gpu_volta.cfg" \
      >"$dir/tiny.cfg"
    run "$emlsim" simt --micro smem-stride --gpu "$dir/tiny.cfg"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    head -1 "$dir/err" | grep -q "^emlsim simt: error: kernel 'smem-stride' on tiny.cfg: one block .* does not fit an SM (limited by shared_memory)\$" ||
      die "stderr: $(cat "$dir/err")" ;;
  breakeven_gpu_file) # a GEMM kernel the GPU file's 2048 registers per SM cannot
    # hold: the run's error on that GPU (it read "gemm:64x64x64: error")
    sed 's/^-gpgpu_shader_registers .*/-gpgpu_shader_registers 2048/' \
      "$tests/../models/simt/data/gpu_volta.cfg" >"$dir/small.cfg"
    run "$emlsim" breakeven gemm:64x64x64 --gpu "$dir/small.cfg" --sparsity 0:0.9:0.3 \
      -o "$dir/be.csv"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    head -1 "$dir/err" | grep -q "^emlsim breakeven: error: kernel '[a-z_0-9/]*' on simt (small.cfg, 80 SMs, 1455 MHz): one block .* does not fit an SM (limited by registers)\$" ||
      die "stderr: $(cat "$dir/err")"
    [ ! -e "$dir/be.csv" ] || die "output left behind" ;;
  sweep_point) # a point of a sweep that its model refuses (XNOR takes binary
    # weights only): located at the spec's 'bits' value (line 3, column 8),
    # before any point runs
    printf '%s\n' 'arch = xnor' 'workload = alexnet' 'bits = 4:4' >"$dir/s.spec"
    run "$emlsim" sweep "$dir/s.spec" -o "$dir/out.csv"
    rc=$?
    [ $rc = 1 ] || die "exit status $rc, expected 1"
    head -1 "$dir/err" | grep -q "^$dir/s.spec:3:8: error: 'bits' 4:4: model xnor cannot run weights int4, activations int4: " ||
      die "stderr: $(cat "$dir/err")"
    [ ! -e "$dir/out.csv" ] || die "output left behind" ;;
  terminal_table) # a layer name with an ESC sequence and a '|': the table on
    # the terminal shows it escaped (it cannot colour the terminal or move its
    # cursor), Markdown escapes the '|' that would end the cell, and the CSV
    # keeps the name exactly
    gemm_topology "$dir/net.csv" $'fc\e[31mred|x'
    run "$emlsim" analyze "$dir/net.csv" || die "analyze exit $?: $(cat "$dir/err")"
    grep -q $'\e' "$dir/out" && die "a raw ESC reached the terminal: $(cat -v "$dir/out")"
    grep -q '^fc\\x1b\[31mred|x ' "$dir/out" || die "table: $(cat -v "$dir/out")"
    run "$emlsim" analyze "$dir/net.csv" --format md || die "md exit $?: $(cat "$dir/err")"
    grep -q '^| fc\\x1b\\\[31mred\\|x ' "$dir/out" || die "markdown: $(cat -v "$dir/out")"
    run "$emlsim" analyze "$dir/net.csv" --format csv || die "csv exit $?: $(cat "$dir/err")"
    grep -q $'^fc\e\\[31mred|x,gemm,' "$dir/out" || die "csv: $(cat -v "$dir/out")" ;;
  markup_names) # names that are HTML or a Markdown link: report.md shows them
    # as text (CommonMark's backslash before '<' and '['), never as markup a
    # Markdown viewer would run (an <img> whose onerror runs script, a
    # javascript: link); report.html as entities; the CSV keeps them exactly
    img='<img src=x onerror=alert(1)>' link='[x](javascript:alert(2))'
    { echo 'Layer name, M, N, K'
      printf '%s, 64, 64, 64\n%s, 32, 32, 32\n' "$(csvq "$img")" "$(csvq "$link")"
    } >"$dir/$img.csv"
    run "$emlsim" analyze "$dir/$img.csv" --format md || die "md exit $?: $(cat "$dir/err")"
    grep -q '^| \\<img src=x onerror=alert(1)> ' "$dir/out" || die "markdown: $(cat "$dir/out")"
    grep -q '^| \\\[x](javascript:alert(2)) ' "$dir/out" || die "markdown: $(cat "$dir/out")"
    run "$emlsim" study --workload "$dir/$img.csv" --arch analytic,systolic --bits int8 \
      --sparsity 0,0.5 --repeat 1 -o "$dir/st" || die "study exit $?: $(cat "$dir/err")"
    # every '<img' and '[x]' behind a backslash, in tables, notes, headings,
    # paragraphs and captions alike (the file name is the network's name)
    n=$(grep -o '.<img' "$dir/st/report.md" | grep -vc '^\\')
    [ "$n" = 0 ] || die "report.md: $n bare '<img': $(grep -n '[^\\]<img' "$dir/st/report.md" | head -3)"
    n=$(grep -o '.\[x\]' "$dir/st/report.md" | grep -vc '^\\')
    [ "$n" = 0 ] || die "report.md: $n bare '[x]'"
    [ "$(grep -c '\\<img' "$dir/st/report.md")" -ge 3 ] || die "report.md lost the name"
    # a '<' that opens no tag stays as it is
    grep -q 'with 0 < P_eff <= P and' "$dir/st/report.md" || die "report.md escaped a bare '<'"
    grep -q '<img' "$dir/st/report.html" && die "report.html: a bare <img>"
    grep -q '&lt;img src=x onerror=alert(1)&gt;' "$dir/st/report.html" || die "report.html lost the name"
    run "$emlsim" analyze "$dir/$img.csv" --format csv || die "csv exit $?: $(cat "$dir/err")"
    grep -q '^<img src=x onerror=alert(1)>,gemm,' "$dir/out" || die "csv: $(cat "$dir/out")" ;;
  json_utf8) # a layer named in Latin-1 (bytes that are not UTF-8): the JSON
    # and the HTML report stay UTF-8, as RFC 8259 wants and every JSON reader
    # needs, and as the page declares, giving each
    # such byte as the text \xNN; a control character is JSON's \u0001; the
    # CSV keeps the bytes exactly
    gemm_topology "$dir/net.csv" $'Schicht_\xfc\xff\x01x'
    run "$emlsim" analyze "$dir/net.csv" --format json || die "json exit $?: $(cat "$dir/err")"
    iconv -f UTF-8 -t UTF-8 "$dir/out" >/dev/null 2>&1 || die "the JSON is not UTF-8"
    grep -q '"layer":.*"Schicht_\\\\xfc\\\\xff\\u0001x"' "$dir/out" || die "json: $(grep layer "$dir/out")"
    run "$emlsim" analyze "$dir/net.csv" --format csv || die "csv exit $?: $(cat "$dir/err")"
    grep -q $'^Schicht_\xfc\xff\x01x,gemm,' "$dir/out" || die "csv: $(cat -v "$dir/out")"
    # the study's HTML report declares UTF-8 and is: the bytes as \xNN text
    run "$emlsim" study --workload "$dir/net.csv" --arch analytic,systolic --bits int8 \
      --sparsity 0,0.5 --repeat 1 -o "$dir/st" || die "study exit $?: $(cat "$dir/err")"
    iconv -f UTF-8 -t UTF-8 "$dir/st/report.html" >/dev/null 2>&1 || die "report.html is not UTF-8"
    grep -q '<td>Schicht_\\xfc\\xff\\x01x</td>' "$dir/st/report.html" ||
      die "report.html: $(grep -a -m1 Schicht "$dir/st/report.html" | cat -v)" ;;
  *) echo "names.sh: unknown case '$case'"; exit 2 ;;
esac
no_pwned
[ $fail = 0 ] && echo "ok: $case"
exit $fail
