#!/usr/bin/env bash
# examples_test.sh DUET ROOT: every example a user may paste, run as a shell runs it: the lines
# under "Examples:" in each command's --help (subcommands too), and the `duet ...` lines of the
# README and docs/*.md (code blocks and inline code). Each runs in an empty folder with the real
# duet, for at most 1 s (enough
# to parse the options; a long job is stopped there). An example fails when
#   - the shell splits it where the author did not mean to (an unquoted drop-frame timecode
#     01:00:00;00 runs "00" as a command), or
#   - duet refuses its options as a usage error (exit 2); not checked for inline code in prose,
#     which names a command or a flag ("duet compose --all") or a synopsis ("midi info FILE
#     [--json]") rather than a whole command.
# Missing input files (exit 1) are expected here: the examples name the user's own films.
set -uo pipefail
duet=$(realpath "$1")
root=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

examples=$work/examples.txt
: >"$examples"

# Help texts, two levels deep (duet themes add ...). Each help is asked for once (a sanitizer
# build takes about 0.3 s to start): its examples and its subcommands come from the same text.
help_text=$work/help.txt
help_of() {
  "$duet" "$@" --help >"$help_text" 2>/dev/null
  sed -n 's/^ \{2,\}\(duet .*\)$/\1/p' "$help_text" | sed "s/^/[duet $* --help] /" >>"$examples"
}
subcommands() {
  sed -n '/^Subcommands:/,/^$/p' "$help_text" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}
help_of
for cmd in $(subcommands); do
  help_of "$cmd"
  for sub in $(subcommands); do
    [ "$sub" = "$cmd" ] || help_of "$cmd" "$sub"
  done
done

# The README and docs: code-block lines starting with "duet " or "$ duet ", and inline `duet ...`.
for doc in "$root"/README.md "$root"/docs/*.md; do
  name=${doc#"$root"/}
  # In code blocks: a line continued with "\" is joined to the next; a synopsis ("[--json]") and
  # duet's own output ("duet serve: ...") are not commands.
  awk -v name="$name" '
    /^```/ { block = !block; cmd = ""; next }
    block && cmd != "" { cmd = cmd " " $0 }
    block && cmd == "" && /^(\$ )?duet [a-z]/ { cmd = $0; sub(/^\$ /, "", cmd); at = NR }
    block && cmd != "" {
      if (cmd ~ /\\$/) { sub(/\\$/, "", cmd); next }
      if (cmd !~ /\[-/ && cmd !~ /^duet [a-z-]+:/) print "[" name ":" at "] " cmd
      cmd = ""
      next
    }
    !block {
      line = $0
      while (match(line, /`duet [^`]*`/)) {
        print "[" name ":" NR " inline] " substr(line, RSTART + 1, RLENGTH - 2)
        line = substr(line, RSTART + RLENGTH)
      }
    }' "$doc" >>"$examples"
done

# The same example in several places runs once, checked as fully as any of its places asks
# (a help's or a code block's before prose's).
{ grep -v ' inline] ' "$examples"; grep ' inline] ' "$examples"; } |
  awk '!seen[substr($0, index($0, "] ") + 2)]++' >"$examples.once"
mv "$examples.once" "$examples"
count=$(wc -l <"$examples")
if [ "$count" -lt 40 ]; then
  echo "FAIL: only $count examples found; the help or the README changed shape" >&2
  exit 1
fi

failures=0
while IFS= read -r entry; do
  where=${entry%%] *}]
  example=${entry#*] }
  dir=$(mktemp -d -p "$work")
  usage_matters=1
  case "$where" in *" inline]") usage_matters=0 ;; esac
  # duet is the real one; any other command the line runs is reported, not run, so that a
  # split timecode shows as a command named "00".
  out=$(cd "$dir" && DUET="$duet" USAGE=$usage_matters ERR="$dir.err" TIMEOUT="$(command -v timeout)" timeout 30 bash -c '
      duet() {
        [ "$USAGE" = 1 ] || return 0
        "$TIMEOUT" 1 "$DUET" "$@" </dev/null >/dev/null 2>"$ERR"
        local rc=$? err
        err=$(<"$ERR")
        [ "$rc" = 2 ] && [ "$USAGE" = 1 ] && echo "usage error (exit 2): ${err:0:300}"
        return $rc
      }
      command_not_found_handle() {
        case "$1" in [0-9]*) echo "the shell ran \"$1\" as a command" ;; esac
        return 127
      }
      PATH=/nonexistent
      '"$example" 2>/dev/null)
  if [ -n "$out" ]; then
    echo "FAIL $where $example"
    echo "     $out"
    failures=$((failures + 1))
  fi
done <"$examples"

echo "$count examples run, $failures failing"
[ "$failures" -eq 0 ]
