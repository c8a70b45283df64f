#!/bin/sh
# The idle lock: left alone at home for --idle-lock seconds, the shell ends the session
# and shows the login screen with the reason, keeping the prison number.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
{
	login_lines
	echo "dump $OUT/home.json"
	echo 'wait-for "nobody used it for a while" 15000'
	echo "dump $OUT/idle.json"
	echo "screenshot $OUT/idle.png"
	echo 'quit'
} >idle.ui
run_shell idle.ui --idle-lock 3
expect_eq "$(q home.json top screen)" home "screen after login"
expect_eq "$(q idle.json top screen)" login "screen after the idle lock"
expect_visible idle.json "The tablet locked because nobody used it for a while. Log in again."
expect_eq "$(q idle.json get number state.value)" A1234BC "number kept"
grep -q "idle for [0-9]* s: locking" shell.log || fail "idle lock not logged"
echo "idle: ok"
