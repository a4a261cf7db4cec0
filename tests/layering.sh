#!/usr/bin/env bash
# Lower layers never include higher ones (DESIGN.md). Each library may include only itself and
# the libraries listed before it here; the engine and the faces sit on top.
set -u
root=$1
order=(base time midi music picture spot sync conform model compose analyze render export project engine)
status=0
for i in "${!order[@]}"; do
  lib=${order[$i]}
  [ -d "$root/src/$lib" ] || continue
  allowed=" ${order[*]:0:$((i + 1))} "
  while IFS= read -r hit; do
    file=${hit%%:*}
    included=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$hit")
    if [[ $allowed != *" $included "* ]]; then
      echo "layering: $file includes $included/, a higher layer than $lib"
      status=1
    fi
  done < <(grep -rnE '#include "[a-z_]+/' "$root/src/$lib" || true)
done
[ $status = 0 ] && echo "layering: ok"
exit $status
