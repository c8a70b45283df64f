#!/bin/sh
# Logging in on the real daemon: the prison number typed on the letters keyboard (with
# the 123 key), a wrong PIN refused in the daemon's words, the kiosk keys doing nothing,
# the right PIN opening home with Sam's tiles (stub open, games locked, crisis help
# never locked) and the daemon's time in the status bar, crisis help, logging out (the
# number is cleared), and SIGTERM ending the shell with status 0.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
{
	echo 'wait-for "Welcome to Onward"'
	echo "screenshot $OUT/login.png"
	type_number A1234BC
	type_pin 9999
	echo 'wait-for "not right" 15000'
	echo "dump $OUT/wrong.json"
	echo "screenshot $OUT/wrong-pin.png"
	echo 'key Alt+F4'
	echo 'key Alt+Tab'
	echo 'key Super'
	echo 'key Ctrl+Alt+F1'
	echo 'expect "Welcome to Onward"'
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Stub" 15000'
	echo "dump $OUT/home.json"
	echo "screenshot $OUT/home.png"
	echo 'tap id:tile-crisis'
	echo 'wait-for "Samaritans"'
	echo "screenshot $OUT/crisis.png"
	echo 'tap "OK"'
	echo 'tap id:tile-logout'
	echo 'wait-for "log out now"'
	echo 'tap "Yes, log out"'
	echo 'wait-for "You have logged out."'
	echo "dump $OUT/logged-out.json"
	echo 'quit'
} >login.ui
run_shell login.ui

expect_eq "$(q wrong.json top screen)" login "screen after a wrong PIN"
expect_eq "$(q wrong.json get number state.value)" A1234BC "number typed on the keyboard"
expect_eq "$(q wrong.json get pin state.value)" null "PIN in a dump"
expect_eq "$(q wrong.json get pin state.length)" 0 "PIN cleared after sending"
expect_visible wrong.json "That prison number or PIN is not right. 2 tries left before a pause."
expect_eq "$(q home.json top screen)" home "screen after the right PIN"
expect_visible home.json "Sam Jones"
expect_eq "$(q home.json get tile-stub state.locked)" false "stub locked"
expect_eq "$(q home.json get tile-games state.locked)" true "games locked"
expect_eq "$(q home.json get tile-games state.reason)" \
	"Games open at the enhanced level. Ask your key worker how to get there." "games reason"
expect_eq "$(q home.json get tile-crisis state.locked)" false "crisis help locked"
# The status bar's clock is the daemon's (the tests' Wednesday, 10:00 and a few minutes at
# most), whatever the machine's clock says.
case "$(q home.json get status.centre text)" in
10:0[0-4]) ;;
*) fail "the status bar's clock reads '$(q home.json get status.centre text)'" ;;
esac
for t in tile-stub tile-games tile-crisis tile-settings tile-logout; do
	[ "$(q home.json get $t w)" -ge 53 ] && [ "$(q home.json get $t h)" -ge 53 ] ||
		fail "$t smaller than 9 mm"
done
expect_eq "$(q logged-out.json top screen)" login "screen after logging out"
expect_eq "$(q logged-out.json get number state.value)" "" "number after logging out"

# Only a signal from the system ends the shell, with status 0.
{
	echo 'wait-for "Welcome to Onward"'
	echo "dump $OUT/started.flag"
	echo 'wait 60000'
} >sigterm.ui
start_shell sigterm.ui
wait_file started.flag
kill -TERM "$shell_pid"
status=0
wait "$shell_pid" || status=$?
shell_pid=""
expect_eq "$status" 0 "exit status after SIGTERM"
grep -q "signal 15: stopping" shell.log || fail "no log line for SIGTERM"
echo "login: ok"
