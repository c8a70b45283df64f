#!/bin/sh
# Runs the whole suite (ctest) under faketime at the times that used to break it: a
# weekday night, a Saturday, a weekday lunchtime (Moorland's roll check) and across
# midnight, and says for each whether it passed. See --help.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	cat <<'EOF'
usage: scripts/test-at-times.sh [--build-dir DIR] [--only NAME]... [--at TIME]...
                                [-- CTEST_ARGUMENT...]

Builds (scripts/build.sh), then runs the whole suite once for each time below with the
machine's clock faked by faketime (installed with apt-get if missing), and reports each
run's passes and failures. The suite must pass whatever the machine's clock says: the
daemons and shells the tests start run on the tests' own clock (tests/README.md, "Time").

  night      2026-12-08 23:30:00   a Tuesday night (night is 21:00 to 07:00)
  saturday   2026-12-12 14:00:00   a weekend afternoon
  lunchtime  2026-12-09 12:30:00   a Wednesday in Moorland's roll check (12:00 to 13:00)
  midnight   2026-12-09 23:59:40   crosses midnight into Thursday 20 seconds into the run

The clock runs on from the time given, the same for every process of a run (faketime's
plain form is one offset from the real clock), so the midnight run really crosses
midnight while tests run; faketime -f '@...' would start each new process at the same
instant again. NO_FAKE_STAT=1: the clock is faked, files' times are not (otherwise
fontconfig rewrites the machine's font cache with shifted times, and apps in the sandbox,
on the real clock, find it stale and read every font again at each start).

  --build-dir DIR  build and run in DIR (default: build/)
  --only NAME      only this one of the four (may be repeated)
  --at TIME        a time of your own instead, as date(1) reads it (may be repeated)
  -- ARGS...       passed on to ctest, for example -- -L e2e

Logs: DIR/test-at-times/NAME.log. Exit status 0 when every run passed, 1 when one
failed, 2 for a usage error.
EOF
}

defaults="night|2026-12-08 23:30:00
saturday|2026-12-12 14:00:00
lunchtime|2026-12-09 12:30:00
midnight|2026-12-09 23:59:40"
dir=$root/build
runs=""
n=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help)
		usage
		exit 0
		;;
	--build-dir | --only | --at)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		case $1 in
		--build-dir) dir=$2 ;;
		--only)
			run=$(echo "$defaults" | grep "^$2|" || true)
			[ -n "$run" ] || {
				echo "test-at-times: --only: night, saturday, lunchtime or midnight, not $2" >&2
				exit 2
			}
			runs="$runs$run
"
			;;
		--at)
			date -d "$2" >/dev/null 2>&1 || { echo "test-at-times: --at: not a time: $2" >&2; exit 2; }
			n=$((n + 1))
			runs="${runs}at-$n|$2
"
			;;
		esac
		shift 2
		;;
	--)
		shift
		break
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
[ -n "$runs" ] || runs=$defaults

if ! command -v faketime >/dev/null 2>&1; then
	echo "test-at-times: installing faketime"
	if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -q faketime >/dev/null 2>&1 ||
		{ $sudo apt-get update -q && $sudo apt-get install -y -q faketime; }
fi
"$root/scripts/deps.sh"
"$root/scripts/build.sh" "$dir"
logs=$dir/test-at-times
mkdir -p "$logs"
# The clock is faked, files' times are not (see --help); the tests that draw text set it
# themselves too.
NO_FAKE_STAT=1
export NO_FAKE_STAT

summary=""
failed=0
printf '%s\n' "$runs" | sed '/^$/d' >"$logs/runs"
while IFS='|' read -r name when; do
	log=$logs/$name.log
	echo "test-at-times: $name: the clock starts at $when" \
		"($(faketime "$when" date '+%A %d %B %Y %H:%M:%S'))"
	start=$(date +%s)
	status=0
	(cd "$dir" && faketime "$when" ctest --output-on-failure -j "$(nproc)" "$@") \
		</dev/null >"$log" 2>&1 || status=$?
	seconds=$(($(date +%s) - start))
	result=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n1)
	[ -n "$result" ] || result="ctest did not finish (status $status)"
	if [ "$status" -eq 0 ]; then
		line="$name ($when): PASS: $result; $((seconds / 60))m$((seconds % 60))s"
	else
		failed=1
		line="$name ($when): FAIL: $result; $((seconds / 60))m$((seconds % 60))s; log $log"
		sed -n '/The following tests FAILED/,$p' "$log" | sed 's/^/    /'
	fi
	echo "test-at-times: $line"
	summary="$summary
  $line"
done <"$logs/runs"
rm -f "$logs/runs"
echo "test-at-times: summary:$summary"
exit $failed
