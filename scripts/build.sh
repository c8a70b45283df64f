#!/bin/sh
# Configures and builds Onward into a build folder.
#   scripts/build.sh [BUILD_DIR] [extra cmake arguments...]
# BUILD_DIR defaults to build/. Warnings are errors.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
[ $# -gt 0 ] && shift
cmake -S "$root" -B "$dir" -DONWARD_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
