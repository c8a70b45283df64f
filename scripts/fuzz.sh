#!/bin/sh
# Builds the libFuzzer targets with clang and runs each one briefly.
#   scripts/fuzz.sh [--seconds N] [TARGET...]
# Targets are the build's targets named fuzz-* (only they are built); each starts from its seed
# corpus in tests/fuzz/corpus/NAME/ (copied, so runs do not change the repository). The
# pack reader's seeds are format 2 packs and their parts, made by pack-fuzz-seeds (run it
# again when the pack format changes: see lib/pack/README.md); what it fuzzes is what
# onward-parse, the daemon's keyless child, runs on every pack.
# Exit status is non-zero if any target finds a crash, leak or timeout.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=30
if [ "${1:-}" = "--seconds" ]; then seconds=$2; shift 2; fi
"$root/scripts/deps.sh"
dir="$root/build-fuzz"
CC=clang cmake -S "$root" -B "$dir" -DONWARD_FUZZ=ON -DONWARD_WERROR=ON \
	-DONWARD_BUILD_SHELL=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Only the fuzz targets (and what they need) are built with the fuzzer's instrumentation.
all=$(cmake --build "$dir" --target help | sed -n 's/^\.\.\. \(fuzz-[a-z0-9-]*\).*/\1/p')
targets="$*"
[ -z "$targets" ] && targets=$all
[ -z "$targets" ] && { echo "fuzz: no targets"; exit 0; }
# shellcheck disable=SC2086
cmake --build "$dir" -j "$(nproc)" $(for t in $targets; do printf -- '--target %s ' "$t"; done)
status=0
for t in $targets; do
	work=$(mktemp -d)
	mkdir -p "$work/corpus" "$work/artifacts"
	seeds="$root/tests/fuzz/corpus/$t"
	[ -d "$seeds" ] && cp -r "$seeds/." "$work/corpus/"
	echo "fuzz: $t for ${seconds}s"
	if ! "$dir/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" \
		>"$work/log" 2>&1; then
		tail -40 "$work/log"
		echo "fuzz: $t FAILED; artifacts in $work/artifacts"
		status=1
	else
		grep -E "stat::number_of_executed_units" "$work/log" || true
		rm -rf "$work"
	fi
done
exit $status
