#!/bin/sh
# The daemon reads wall time in one place: services/policyd/core/clock.c. Any other call
# that reads the wall clock (time(NULL), time_now(), gettimeofday, CLOCK_REALTIME) in the
# daemon's sources would bypass the clock tests set, and make the suite depend on the hour.
#   one_clock.sh SOURCE_DIR
set -eu
src=${1:?usage: one_clock.sh SOURCE_DIR}
found=$(grep -rnE '\btime\(NULL\)|\btime\(&|\btime_now\(|gettimeofday|CLOCK_REALTIME|\bnow\(\)' \
	--include='*.c' --include='*.h' "$src/services/policyd" | grep -v '/core/clock\.c:' || true)
if [ -n "$found" ]; then
	echo "FAIL: wall-clock reads outside services/policyd/core/clock.c:"
	echo "$found"
	exit 1
fi
# And the check itself finds what it looks for.
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
echo 'int64_t t = time(NULL);' >"$probe"
grep -qE '\btime\(NULL\)' "$probe" || { echo "FAIL: the pattern no longer matches"; exit 1; }
echo "ok: the daemon reads the wall clock only in core/clock.c"
