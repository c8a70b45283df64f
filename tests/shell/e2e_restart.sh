#!/bin/sh
# The daemon is killed (kill -9) while Sam is at home: the shell says so in plain words,
# goes back to the login screen keeping his number, reconnects by itself when the daemon
# is back, and he can log in again.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
{
	login_lines
	echo "dump $OUT/in.flag"
	echo 'wait-for "not answering" 20000'
	echo "dump $OUT/down.json"
	echo "screenshot $OUT/down.png"
	echo "dump $OUT/down.flag"
	echo 'wait-for "working again" 30000'
	echo "dump $OUT/back.json"
	echo "screenshot $OUT/back.png"
	echo 'tap id:pin'
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Stub" 15000'
	echo "dump $OUT/relogin.json"
	echo 'quit'
} >restart.ui
start_shell restart.ui
wait_file in.flag 60
daemon_kill
wait_file down.flag 30
sleep 1
daemon_start
status=0
wait "$shell_pid" || status=$?
shell_pid=""
[ "$status" = 0 ] || fail "onward-shell --script restart.ui exited $status"
expect_eq "$(q down.json top screen)" login "screen with the daemon gone"
expect_visible down.json "The tablet service is not answering. Trying again…"
expect_eq "$(q down.json get number state.value)" A1234BC "number kept"
expect_visible back.json "The tablet service is working again. You can log in."
expect_eq "$(q relogin.json top screen)" home "screen after logging in again"
echo "restart: ok"
