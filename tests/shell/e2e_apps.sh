#!/bin/sh
# Apps through onward-launch: the stub opens (it greets Sam and lists its permissions in
# plain words) and its Back button returns home; a tile refused by policy gives its
# reason; an app that aborts, and one that hangs past --app-timeout, each return the
# person home with a message.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
cat >app.ui <<UI
wait-for "Hello, Sam" 20000
wait-for "Open this app" 20000
screenshot $OUT/stub.png
dump $OUT/stub.json
tap id:back-home
UI
export ONWARD_APP_SCRIPT="$OUT/app.ui"
{
	login_lines
	echo 'tap id:tile-stub'
	echo 'wait-for "The app is open" 10000'
	echo "screenshot $OUT/app-running.png"
	echo 'wait-for "Hello, Sam" 40000'
	echo 'wait-for "Stub" 10000'
	echo "dump $OUT/back.json"
	echo 'tap id:tile-games'
	echo 'wait-for "enhanced level"'
	echo "dump $OUT/locked.json"
	echo "screenshot $OUT/locked.png"
	echo 'tap "OK"'
	echo 'tap id:tile-crashy'
	echo 'wait-for "The app stopped. You are back at home." 20000'
	echo "dump $OUT/crashed.json"
	echo "screenshot $OUT/crashed.png"
	echo 'tap id:tile-hangs'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "The app was not answering, so it was closed." 40000'
	echo "dump $OUT/hung.json"
	echo "screenshot $OUT/hung.png"
	echo 'quit'
} >apps.ui
run_shell apps.ui --app-timeout 15
expect_visible stub.json "Hello, Sam"
expect_visible stub.json "Open this app"
expect_eq "$(q back.json top screen)" home "screen after the stub"
expect_eq "$(q back.json get home-message text)" "" "message after a normal exit"
expect_eq "$(q locked.json top dialog)" true "reason dialog"
expect_visible locked.json "Games open at the enhanced level. Ask your key worker how to get there."
expect_eq "$(q crashed.json top screen)" home "screen after a crash"
expect_visible crashed.json "The app stopped. You are back at home."
expect_eq "$(q hung.json top screen)" home "screen after a hang"
expect_visible hung.json "The app was not answering, so it was closed. You are back at home."
grep -q "app crashy was ended by signal 6" shell.log || fail "crash not logged"
grep -q "app hangs did not stop: SIGKILL" shell.log || fail "no SIGKILL for the hung app"
echo "apps: ok"
