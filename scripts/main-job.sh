#!/bin/sh
# Sets everything up and runs the main job: the NVIDIA Grace GPU
# scenario on the bundled Grace-class host model.
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || ./configure
ninja -C build -j2
exec scripts/grace-scenario.sh build
