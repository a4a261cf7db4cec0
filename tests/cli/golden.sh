#!/usr/bin/env bash
# golden.sh DUET TESTDIR: runs every case in TESTDIR/cases.txt and diffs against the golden files.
# A case line is "name | arguments" (shell words, run in a scratch directory that holds a copy of
# TESTDIR/data as data/ when it exists). A golden file holds stdout, then stderr, then "exit: N".
# UPDATE_GOLDEN=1 rewrites the golden files instead of comparing; GOLDEN_ONLY=REGEX limits both to
# the cases whose names match.
set -u
duet=$1 dir=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/work"
[ -d "$dir/data" ] && cp -r "$dir/data" "$scratch/work/data"
failed=0 count=0
while IFS= read -r line; do
  case $line in '' | '#'*) continue ;; esac
  name=${line%%|*}
  name=${name//[[:space:]]/}
  if [ -n "${GOLDEN_ONLY:-}" ] && ! [[ $name =~ $GOLDEN_ONLY ]]; then continue; fi
  args=${line#*|}
  count=$((count + 1))
  (cd "$scratch/work" && eval "\"$duet\" $args" >"$scratch/stdout" 2>"$scratch/stderr")
  code=$?
  { cat "$scratch/stdout" "$scratch/stderr"; echo "exit: $code"; } >"$scratch/actual"
  golden="$dir/golden/$name.out"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$scratch/actual" "$golden"
  elif ! diff -u "$golden" "$scratch/actual" >"$scratch/diff" 2>&1; then
    echo "FAIL $name: duet $args"
    cat "$scratch/diff"
    failed=$((failed + 1))
  fi
done <"$dir/cases.txt"
echo "$count cases, $failed failed"
[ $failed = 0 ]
