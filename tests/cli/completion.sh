#!/usr/bin/env bash
# completion.sh EMLSIM OUT - the bash completion `emlsim help --bash-completion`
# writes, sourced and asked as bash asks it (COMP_WORDS, COMP_CWORD, _emlsim):
#   - rtl offers its options: sim/cmd_rtl.c's getopt table takes --vectors,
#     --yosys, --output, --plot, --help and --version (it offered none: its
#     help listed them only inside usage brackets, "[--vectors N]", and the
#     generator takes an option from an option line);
#   - no command offers an option twice (quant offered --calib twice, simt
#     --wmma and --micro, breakeven --kernel, --dataflow, --gate and --sparse:
#     the generator took an option named in prose after a comma or at the
#     start of a wrapped line; and every command's --help twice, the one its
#     help lists and the one added to every list);
#   - a subcommand is offered where an option is not being typed: rtl's
#     verify and characterize, workloads' export (their usage lines:
#     "emlsim rtl verify", "emlsim rtl characterize", "emlsim workloads
#     export"), until one is given; after it, file names;
#   - `emlsim help` offers the commands and --man and --bash-completion.
set -u
emlsim=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
"$emlsim" help --bash-completion >"$out/c.sh" || { echo "FAIL: help --bash-completion"; exit 1; }
bash -n "$out/c.sh" || { echo "FAIL: the completion is not valid bash"; exit 1; }
# complete WORD... : what _emlsim offers for the last word
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _emlsim
           printf "%s\n" "${COMPREPLY[@]}"' complete "$out/c.sh" "$@"
}
has() { # has WORD LIST: LIST (one a line) has WORD
  printf '%s\n' "$2" | grep -qx -- "$1"
}

got=$(complete_words emlsim rtl --)
for o in --vectors --yosys --output --plot --help --version; do
  has "$o" "$got" && ok "rtl offers $o" || bad "rtl does not offer $o (offers: $(echo $got))"
done
got=$(complete_words emlsim rtl --v)
[ "$(echo $got)" = "--vectors --version" ] && ok "rtl --v: --vectors --version" ||
  bad "rtl --v offers '$(echo $got)', not '--vectors --version'"

# every command the overview lists ("  NAME  summary" after "commands:")
cmds=$("$emlsim" help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
[ "$(echo "$cmds" | wc -l)" -ge 12 ] || bad "the overview lists $(echo "$cmds" | wc -l) commands, not 12"
for c in $cmds; do
  got=$(complete_words emlsim "$c" --)
  [ -n "$got" ] || { bad "$c offers no option"; continue; }
  dup=$(printf '%s\n' "$got" | sort | uniq -d | tr '\n' ' ')
  [ -z "$dup" ] && ok "$c offers each option once" || bad "$c offers $(echo $dup) twice"
  has --help "$got" || bad "$c does not offer --help"
done

got=$(complete_words emlsim rtl '')
[ "$(echo $got)" = "verify characterize" ] && ok "rtl offers verify characterize" ||
  bad "rtl offers '$(echo $got)', not 'verify characterize'"
got=$(complete_words emlsim rtl --vectors 5 v)
[ "$(echo $got)" = "verify" ] && ok "rtl --vectors 5 v: verify" || bad "rtl --vectors 5 v offers '$(echo $got)'"
got=$(complete_words emlsim workloads e)
[ "$(echo $got)" = "export" ] && ok "workloads offers export" || bad "workloads e offers '$(echo $got)'"
# after the subcommand: file names, not the subcommands again
touch "$out/verify.txt"
got=$(cd "$out" && complete_words emlsim rtl verify ve)
[ "$(echo $got)" = "verify.txt" ] && ok "rtl verify ve: a file" || bad "rtl verify ve offers '$(echo $got)'"
# a command without subcommands: file names (a workload file)
got=$(cd "$out" && complete_words emlsim analyze ve)
[ "$(echo $got)" = "verify.txt" ] && ok "analyze ve: a file" || bad "analyze ve offers '$(echo $got)'"

got=$(complete_words emlsim help --)
[ "$(echo $got)" = "--man --bash-completion" ] && ok "help offers --man --bash-completion" ||
  bad "help -- offers '$(echo $got)'"
got=$(complete_words emlsim help rt)
[ "$(echo $got)" = "rtl" ] && ok "help rt: rtl" || bad "help rt offers '$(echo $got)'"
got=$(complete_words emlsim r)
[ "$(echo $got)" = "rtl" ] && ok "r: rtl" || bad "r offers '$(echo $got)'"
exit $fail
