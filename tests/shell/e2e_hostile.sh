#!/bin/sh
# Replies the real daemon never sends, from test-hostile-daemon (a mock: the real one
# cannot be made to misbehave): bytes that are not JSON, a login reply of the wrong
# shape, a 100 KB error message followed by a reply to nothing, a descriptor promised but
# not sent, a frame over the 1 MiB limit, and a home screen with broken tiles. The shell
# must survive each (also under AddressSanitizer), say what it can in plain words, come
# back by itself, and in the end show the good tiles only.
. "$(dirname "$0")/e2e-lib.sh"
sock="$state/control.sock"
"$BIN/test-hostile-daemon" "$sock" 2>>hostile.log &
daemon_pid=$!
n=0
while [ ! -S "$sock" ]; do
	n=$((n + 1))
	[ $n -gt 100 ] && fail "test-hostile-daemon did not start"
	sleep 0.05
done
pin=1234
{
	echo 'wait-for "Welcome to Onward"'
	type_number A1234BC
	type_pin $pin
	echo 'wait-for "not answering" 15000'
	echo 'wait-for "working again" 15000'
	echo 'tap id:pin'
	type_pin $pin
	echo 'wait-for "Something went wrong" 15000'
	echo "dump $OUT/wrong-shape.json"
	echo 'tap id:pin'
	type_pin $pin
	echo 'wait-for "not answering" 15000'
	echo 'wait-for "working again" 15000'
	echo 'tap id:pin'
	type_pin $pin
	echo 'wait-for "not answering" 15000'
	echo 'wait-for "working again" 15000'
	echo 'tap id:pin'
	type_pin $pin
	echo 'wait-for "not answering" 15000'
	echo 'wait-for "working again" 15000'
	echo "screenshot $OUT/survived.png"
	echo 'tap id:pin'
	type_pin $pin
	echo 'wait-for "Good tile" 15000'
	echo "dump $OUT/home.json"
	echo "screenshot $OUT/home.png"
	echo 'quit'
} >hostile.ui
run_shell hostile.ui --socket "$sock"
expect_eq "$(q wrong-shape.json top screen)" login "screen after a reply of the wrong shape"
expect_eq "$(q home.json top screen)" home "screen at the end"
expect_eq "$(q home.json get tile-good state.badge)" 2 "the good tile's badge"
expect_eq "$(q home.json get tile-shut state.locked)" true "the refused tile"
expect_eq "$(q home.json get tile-shut state.reason)" "Shut for a test." "its reason"
for bad in BAD badtype badctl badallowed; do
	if q home.json get "tile-$bad" text >/dev/null 2>&1; then fail "broken tile $bad shown"; fi
done
expect_hidden home.json "Bad name"
expect_hidden home.json "Bad allowed"
expect_eq "$(q home.json get tile-help state.locked)" false "the shell's own crisis tile"
[ "$(grep -c 'not answering' shell.log)" -ge 4 ] || fail "fewer than 4 outages logged"
grep -q "home: 7 entries of the reply were left out" shell.log || fail "skipped entries not logged"
echo "hostile: ok"
