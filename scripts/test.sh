#!/bin/sh
# Installs what is missing, builds, and runs every test (ctest).
#   scripts/test.sh            normal build in build/
#   scripts/test.sh --sanitize AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/
# Extra arguments after the mode go to ctest (for example -L unit).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
dir="$root/build"
cmake_args=""
if [ "${1:-}" = "--sanitize" ]; then
	shift
	dir="$root/build-asan"
	cmake_args="-DONWARD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
# shellcheck disable=SC2086
"$root/scripts/build.sh" "$dir" $cmake_args
cd "$dir"
ctest --output-on-failure -j "$(nproc)" "$@"
