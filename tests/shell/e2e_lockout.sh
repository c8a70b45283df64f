#!/bin/sh
# Three wrong PINs lock the account: the shell shows the daemon's words, counting down
# the tries first, then "Too many wrong PINs. Try again in 5 minutes.", also for the
# right PIN while the lock lasts.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
{
	type_number A1234BC
	type_pin 1111
	echo 'wait-for "2 tries left" 15000'
	type_pin 2222
	echo 'wait-for "1 try left" 15000'
	type_pin 3333
	echo 'wait-for "Too many wrong PINs" 15000'
	echo "dump $OUT/locked.json"
	echo "screenshot $OUT/lockout.png"
	echo 'tap id:pin'
	type_pin "$pin"
	echo 'wait-for "Checking"'
	echo 'wait-for "Too many wrong PINs" 15000'
	echo "dump $OUT/still-locked.json"
	echo 'quit'
} >lockout.ui
run_shell lockout.ui
expect_visible locked.json "Too many wrong PINs. Try again in 5 minutes."
expect_eq "$(q locked.json top screen)" login "screen when locked"
expect_visible still-locked.json "Too many wrong PINs. Try again in 5 minutes."
expect_eq "$(q still-locked.json top screen)" login "screen with the right PIN while locked"
echo "lockout: ok"
