#!/bin/sh
# The kiosk shell on the demo state.
#   scripts/demo-shell.sh STATE_DIR BUILD_DIR
# Registers the stub app if it is not there yet (as staff "admin" of scripts/demo-seed.sh)
# and starts onward-policyd on STATE_DIR if it is not already running there.
# - With a display ($DISPLAY or $WAYLAND_DISPLAY): opens onward-shell in a 1280x800 window
#   (closing the window ends it); log in with a PIN that demo.sh printed.
# - Without one: a scripted walkthrough under Xvfb (log in as Sam with a fresh one-time
#   PIN, choose his own, home, open the stub app and come back, settings, log out), with
#   screenshots in BUILD_DIR/demo-shell (or $DEMO_SHELL_OUT).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 STATE_DIR BUILD_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
state=$(cd "$1" && pwd)
bin=$(cd "$2" && pwd)/bin
out=${DEMO_SHELL_OUT:-$(cd "$2" && pwd)/demo-shell}
for p in onward-shell onward-launch onward-app-stub onward-policyd onwardctl; do
	[ -x "$bin/$p" ] || { echo "demo-shell: $bin/$p is missing; build first" >&2; exit 1; }
done
ctl() { "$bin/onwardctl" --state-dir "$state" "$@"; }

daemon=""
trap '[ -z "$daemon" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true; }' EXIT INT TERM
if ! ctl status >/dev/null 2>&1; then
	"$bin/onward-policyd" --state-dir "$state" 2>>"$state/../demo-shell-policyd.log" &
	daemon=$!
	i=0
	until ctl status >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$daemon" 2>/dev/null; then
			echo "demo-shell: onward-policyd did not start" >&2
			exit 1
		fi
		sleep 0.1
	done
fi
if ! ctl --as admin app list | grep -q '^stub\b'; then
	ctl --as admin app register stub --path "$bin/onward-app-stub" --title "Stub app" >/dev/null
	echo "registered the stub app ($bin/onward-app-stub)"
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
	echo "Opening onward-shell on $state: log in with a prison number and the PIN demo.sh printed"
	echo "(for example A1234BC). Close the window to end it."
	"$bin/onward-shell" --state-dir "$state" --window 1280x800 --allow-quit
	exit 0
fi

# No display: the walkthrough, with a fresh one-time PIN for Sam.
pin=$(ctl --as admin person pin-reset A1234BC | sed -n 's/^one-time PIN[^:]*: *\([0-9]*\).*/\1/p')
[ -n "$pin" ] || { echo "demo-shell: cannot give A1234BC a PIN (run scripts/demo-seed.sh first)" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.png
cat >"$out/stub.ui" <<UI
wait-for "Hello, Sam" 20000
wait-for "Open this app" 20000
screenshot $out/04-stub-app.png
tap id:back-home
UI
{
	echo 'wait-for "Welcome to Onward"'
	echo "screenshot $out/01-login.png"
	echo 'tap id:number'
	for k in a 123 1 2 3 4 abc b c; do echo "tap id:key-$k"; done
	echo 'tap id:key-enter'
	for d in $(echo "$pin" | sed 's/./& /g'); do echo "tap id:key-$d"; done
	echo "screenshot $out/02-pin.png"
	echo 'tap id:key-enter'
	# A PIN staff issued is replaced at once by one Sam chooses, typed twice.
	echo 'wait-for "Choose your own PIN" 15000'
	echo "screenshot $out/02-choose-pin.png"
	for i in 1 2; do
		for d in 5 8 3 9 2 0; do echo "tap id:key-$d"; done
		echo 'tap id:key-enter'
	done
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Stub app" 15000'
	echo "screenshot $out/03-home.png"
	echo 'tap id:tile-stub'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 40000'
	echo 'wait-for "Stub app" 15000'
	echo "screenshot $out/05-back-home.png"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'tap "Large"'
	echo 'tap "High contrast"'
	echo "screenshot $out/06-settings.png"
	echo 'tap id:settings-back'
	echo 'wait-for "Stub app"'
	echo "screenshot $out/07-home-large.png"
	echo 'tap id:tile-logout'
	echo 'wait-for "log out now"'
	echo "screenshot $out/08-log-out.png"
	echo 'tap "Yes, log out"'
	echo 'wait-for "You have logged out."'
	echo "screenshot $out/09-logged-out.png"
	echo 'quit'
} >"$out/walkthrough.ui"
echo "No display: a scripted walkthrough under Xvfb (Sam, A1234BC, new one-time PIN $pin)"
ONWARD_APP_SCRIPT="$out/stub.ui" "$root/tests/ui/xvfb-run.sh" "$bin/onward-shell" \
	--state-dir "$state" --window 1280x800 --dpi 150 --script "$out/walkthrough.ui" \
	2>"$out/onward-shell.log" || {
	echo "demo-shell: the walkthrough failed:" >&2
	cat "$out/onward-shell.log" >&2
	exit 1
}
echo "Screenshots of the walkthrough are in $out:"
ls "$out"/*.png | sed 's/^/  /'
