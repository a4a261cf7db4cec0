#!/usr/bin/env bash
# golden.sh DUET TESTDIR CASE WORKDIR: runs one case of TESTDIR/cases.txt in its own folder and diffs
# its output against the golden file. CTest runs every case this way, each as cli.<name>, so that
# cases run in parallel and none depends on another's leftovers.
# golden.sh DUET TESTDIR: runs every case in turn, each in its own fresh folder.
#
# A case line is "name | arguments", or "name < need ... | arguments" when the case needs what
# other cases make (a trained model, an applied tempo map): those run first, in the same folder,
# their output unchecked. Arguments are shell words run in WORKDIR, which holds a fresh copy of
# TESTDIR/data as data/. A golden file holds stdout, then stderr, then "exit: N".
# UPDATE_GOLDEN=1 rewrites the golden files instead of comparing; GOLDEN_ONLY=REGEX limits a run of
# every case to the names that match.
set -u
duet=$1 dir=$2 only=${3:-} work=${4:-}

declare -A args needs
order=()
while IFS= read -r line; do
  case $line in '' | '#'*) continue ;; esac
  head=${line%%|*}
  name=${head%%<*}
  name=${name//[[:space:]]/}
  if [[ $head == *'<'* ]]; then needs[$name]=${head#*<}; else needs[$name]=''; fi
  args[$name]=${line#*|}
  order+=("$name")
done <"$dir/cases.txt"

# Runs the cases `name` needs (each once, theirs first), then nothing else; output discarded.
declare -A done_needs
prepare() {
  local need
  for need in ${needs[$1]}; do
    [ -n "${done_needs[$need]:-}" ] && continue
    if [ -z "${args[$need]+x}" ]; then
      echo "golden: case $1 needs '$need', which cases.txt does not have" >&2
      return 1
    fi
    prepare "$need" || return 1
    (cd "$work" && eval "\"$duet\" ${args[$need]}" >/dev/null 2>&1)
    done_needs[$need]=1
  done
}

# Runs one case in $work and compares (or updates) its golden file. Returns non-zero on a diff.
run_case() {
  local name=$1
  rm -rf "$work" && mkdir -p "$work" || return 1
  [ -d "$dir/data" ] && cp -r "$dir/data" "$work/data"
  done_needs=()
  prepare "$name" || return 1
  (cd "$work" && eval "\"$duet\" ${args[$name]}" >"$work.stdout" 2>"$work.stderr")
  local code=$?
  { cat "$work.stdout" "$work.stderr"; echo "exit: $code"; } >"$work.actual"
  local golden="$dir/golden/$name.out"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work.actual" "$golden"
  elif ! diff -u "$golden" "$work.actual"; then
    echo "FAIL $name: duet ${args[$name]}"
    return 1
  fi
  rm -rf "$work" "$work.stdout" "$work.stderr" "$work.actual"
}

if [ -n "$only" ]; then
  if [ -z "${args[$only]+x}" ]; then
    echo "golden: no case '$only' in $dir/cases.txt" >&2
    exit 2
  fi
  [ -n "$work" ] || { echo "golden: give the case's work folder" >&2; exit 2; }
  run_case "$only"
  exit
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0 count=0
for name in "${order[@]}"; do
  if [ -n "${GOLDEN_ONLY:-}" ] && ! [[ $name =~ $GOLDEN_ONLY ]]; then continue; fi
  count=$((count + 1))
  work=$scratch/$name
  run_case "$name" || failed=$((failed + 1))
done
echo "$count cases, $failed failed"
[ $failed = 0 ]
