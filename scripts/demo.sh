#!/bin/sh
# The main job: installs what is missing, builds, starts onward-policyd on a fresh demo
# state directory (./demo-state), fills it with demo people, staff, contacts and apps, shows
# them through onwardctl, then opens the kiosk shell on that state: in a window when there
# is a display, otherwise as a scripted walkthrough of the real apps under Xvfb that saves
# screenshots to a folder it names (build/demo-shell). In a terminal it then keeps the daemon running until
# Enter; otherwise it stops the daemon and exits.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
"$root/scripts/build.sh" "$root/build"
bin=$root/build/bin
state=$root/demo-state
log=$root/demo-state.log

# The demo's day: today at 10:00 in London, whatever the hour now, so that what it shows
# does not hang on the time it is run (at night, family messages are closed, and Moorland
# counts everyone at noon). The daemon and the shell both read this clock; it keeps running
# from there. (ONWARD_TEST_CLOCK is a test build's hook; packaged daemons have no such hook.)
ONWARD_TEST_CLOCK=$(TZ=Europe/London date -d "today 10:00" -u +%Y-%m-%dT%H:%M:%SZ)
export ONWARD_TEST_CLOCK
rm -rf "$state" "$log"
mkdir -m 700 "$state"
printf '{"establishment": "MDI"}\n' >"$state/policyd.json"
"$bin/onward-policyd" --state-dir "$state" 2>"$log" &
daemon=$!
gateway_pid=$root/demo-gateway.pid
stop_all() {
	[ -s "$gateway_pid" ] && kill "$(cat "$gateway_pid")" 2>/dev/null
	rm -f "$gateway_pid"
	kill $daemon 2>/dev/null
	wait $daemon 2>/dev/null || true
}
trap stop_all EXIT INT TERM
i=0
until "$bin/onwardctl" --state-dir "$state" status >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $daemon 2>/dev/null; then
		echo "demo: onward-policyd did not start:" >&2
		cat "$log" >&2
		exit 1
	fi
	sleep 0.1
done

export ONWARD_STATE_DIR=$state
. "$root/scripts/staff-lib.sh"
# show STAFF ARGS...: one command, shown as typed by that staff member, signed in (their
# password and authenticator code; scripts/staff-lib.sh does it for the demo's staff).
show() {
	who=$1
	shift
	printf '\n$ onwardctl %s    # signed in as %s\n' "$*" "$who"
	onwardctl_as "$bin" "$state" --as "$who" "$@"
}
echo "onward-policyd is running on $state (log: $log)"
echo
"$root/scripts/demo-seed.sh" "$root/build" "$state"
show admin whoami
show admin staff list
show k.patel person list
show k.patel person show A1234BC
show k.patel contact list A1234BC
show admin audit show --limit 12
show admin audit verify

printf '\n== The estate: the gateway, two tablets enrolled ==\n'
"$root/scripts/demo-estate.sh" "$root/build" "$state"

printf '\n== The kiosk shell ==\n'
"$root/scripts/demo-shell.sh" "$state" "$root/build"

if [ -t 0 ] && [ -t 1 ]; then
	printf '\nThe daemon keeps running; try: ONWARD_STATE_DIR=%s %s/onwardctl --help\n' "$state" "$bin"
	printf 'Press Enter to stop it.\n'
	read -r _
fi
