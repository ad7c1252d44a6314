#!/bin/sh
# The image's entrypoint: sizes V8's heap from the container's memory limit, then runs the CLI.
#
# Node sizes its heap from the whole machine, or at best the whole container, and leaves no room
# for the rest of the process (its own binary, malloc, sockets): the top plan's run was OOM-killed
# in a 128 MiB container. As the JVM's MaxRAMPercentage does, the old space gets half the limit,
# and in a small container (256 MiB or less) the young generation 4 MB semi-spaces. Read from
# cgroup v2 (memory.max), else v1 (memory.limit_in_bytes). A --max-old-space-size of the user's
# own (in NODE_OPTIONS) is never overridden; with no limit, nothing is set.
set -eu
root=${CGROUP_ROOT:-/sys/fs/cgroup}
# This process's own cgroup (a container usually sees itself at the root, a host job may not).
own() { sed -n "s/^[0-9]*:$1:\(.*\)$/\1/p" /proc/self/cgroup 2>/dev/null | head -n 1; }
v2=$(own "")
v1=$(own "[^:]*memory[^:]*")
limit=
for file in "$root$v2/memory.max" "$root/memory.max" "$root/memory$v1/memory.limit_in_bytes" "$root/memory/memory.limit_in_bytes"; do
  if { [ -z "$limit" ] || [ "$limit" = max ]; } && [ -r "$file" ]; then limit=$(cat "$file"); fi
done
flags=
case " ${NODE_OPTIONS:-} " in
  *max-old-space-size*) ;;
  *)
    # No limit reads "max" (v2) or about 2^63 (v1): anything over 64 GiB counts as none.
    if [ -n "$limit" ] && [ "$limit" != max ] && [ "$limit" -lt 68719476736 ]; then
      mb=$((limit / 1048576))
      flags="--max-old-space-size=$((mb / 2))"
      if [ "$mb" -le 256 ]; then flags="$flags --max-semi-space-size=4"; fi
    fi
    ;;
esac
# shellcheck disable=SC2086 # flags is a list of words
exec "${NODE:-node}" $flags "$(dirname "$0")/../dist/cli/cli.js" "$@"
