#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR: 'cmake --install' puts duet, its models and docs under a
# prefix, and the installed duet finds its models there from any working folder (engine/models.h).
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/duet share/duet/models/default.duetmodel share/duet/models/default-chords.duetmodel \
  share/doc/duet/README.md share/doc/duet/api.md; do
  [ -e "$prefix/$f" ] || { echo "install: $f is missing"; exit 1; }
done
cd "$prefix"
out=$("$prefix/bin/duet" compose "$src/tests/cli/data/project_compose" --cue 1M1 --candidates 1 \
  --keep 1 --out "$prefix/o" --quiet)
grep -q 'melody default.duetmodel (shipped)' <<<"$out" || { echo "install: $out"; exit 1; }
grep -q 'chords default-chords.duetmodel (shipped)' <<<"$out" || { echo "install: $out"; exit 1; }
echo "install: ok (duet, models and docs under the prefix; the models found from $prefix)"
