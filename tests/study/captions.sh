#!/bin/sh
# captions.sh DIR - the default study's figures say what they draw (DIR: its
# report folder):
#   - every caption names the workload it draws (alexnet, or the SimpleCNN
#     beside it): "BOPS and energy per inference against bit width" and the
#     energy-per-layer, roofline, scheduler and break-even captions named
#     none, the plots' titles alone did;
#   - the roofline's title gives Volta's roof by hand: 2 flops a fused
#     multiply-add x 80 SMs x 4 sub-cores x 16 FP32 lanes (NVIDIA's Volta
#     whitepaper) = 10240 flops/cycle, and 24 DRAM channels x 18.7 B/cycle
#     (TITAN V's 652.8 GB/s / 1455 MHz / 24) = 448.8 B/cycle; it read
#     "peak 1.024e+04 flops/cycle"; its caption gives the same two figures;
#   - the inputs cite the energy table's source: Horowitz, ISSCC 2014, 45 nm
#     (costmodel/energy/horowitz45.csv), not its file name alone;
#   - the test error plot draws each error's standard error, sqrt(p (1 - p)
#     / n): at 84.47 % on 10,000 images, sqrt(0.8447 x 0.1553 / 10^4) =
#     0.36 points, more than the 0.23 points the errors span (15.53 to
#     15.76 %), which the plot, scaled to the points alone, made look large;
#     its caption says so and names the paired test that is finer.
set -u
dir=$1
md=$dir/report.md
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
n=0
while IFS= read -r cap; do
  n=$((n + 1))
  case $cap in
  *alexnet* | *SimpleCNN*) ;;
  *) bad "a caption that names no workload: $cap" ;;
  esac
done <<EOF
$(grep '^\*.*\*$' "$md")
EOF
[ "$n" -ge 10 ] && ok "$n captions, each naming its workload" || bad "$n captions, not 10"
title=$(sed -n 's/.*<title>\([^<]*roofline[^<]*\)<\/title>.*/\1/p' "$dir/plots/roofline.svg" | head -1)
[ -z "$title" ] && title=$(grep -o 'alexnet on volta: roofline ([^)]*)' "$dir/plots/roofline.svg" | head -1)
case $title in
*"peak 10240 flops/cycle, DRAM 448.8 B/cycle"*) ok "roofline title: $title" ;;
*) bad "roofline title: '$title'" ;;
esac
grep -q '^\*Roofline of the SIMT GPU volta (fp32 peak 10240 flops/cycle, DRAM 448.8 B/cycle' "$md" &&
  ok "the roofline's caption gives its roof" || bad "the roofline's caption does not give 10240 and 448.8"
grep -q '^Workload builtin:alexnet (11 layers)\. Energy table builtin:horowitz45 (from Horowitz ISSCC 2014, 45 nm)\.' "$md" &&
  ok "the energy table's source is cited" || bad "the inputs do not cite Horowitz ISSCC 2014"
grep -q '^\*The SimpleCNN.s Fashion-MNIST test error against energy .* standard error on the 10000 test images .*McNemar.s paired test' "$md" &&
  ok "the test error plot's caption gives its bars" || bad "the test error caption names no standard error"
grep -q '+-1 standard error' "$dir/plots/pareto_accuracy.svg" &&
  ok "the test error plot keys its bars" || bad "no standard error bars in pareto_accuracy.svg"
[ $fail = 0 ] && echo "ok: the figures say what they draw"
exit $fail
