#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR: 'cmake --install' puts duet, its models and docs under a
# prefix, and the installed duet finds its models there from any working folder (engine/models.h),
# and serves the board installed beside it.
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
# The board, when it is built (./run test builds it first): installed, and served from there.
board="not built, not checked"
if [ -f "$src/web/dist/index.html" ]; then
  cmp "$src/web/dist/index.html" "$prefix/share/duet/board/index.html" ||
    { echo "install: the board is not in share/duet/board"; exit 1; }
  "$prefix/bin/duet" serve "$src/tests/cli/data/project_compose" --port 0 >"$prefix/serve.out" &
  serve=$!
  for _ in $(seq 100); do grep -q 'http://' "$prefix/serve.out" && break; sleep 0.1; done
  kill "$serve"; wait "$serve" || true
  grep -q "the board from $prefix/share/duet/board\$" "$prefix/serve.out" ||
    { echo "install: the installed duet serves another board: $(cat "$prefix/serve.out")"; exit 1; }
  board="installed and served from there"
fi
echo "install: ok (duet, models and docs under the prefix; the models found from $prefix; the board $board)"
