#!/usr/bin/env bash
# Sets up (missing apt packages), builds Sluice in Release and runs it. Arguments are passed to
# the app: `scripts/run.sh ~/Pictures/holiday` queues that folder as a batch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SLUICE_BUILD_DIR:-$root/build-release}

"$root/scripts/setup-deps.sh"
echo "run: configuring and building (Release) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target sluice sluice-cli
app="$build/src/app/sluice"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "run: no display found; starting Sluice in a virtual X server (xvfb-run). Ctrl-C quits."
    exec xvfb-run -a "$app" "$@"
fi
echo "run: starting $app"
exec "$app" "$@"
