#!/bin/sh
# The watchdog on the real shell: onward-session runs onward-shell (under Xvfb, against a
# real daemon on --socket-dir); Sam logs in; a live shell left alone is never restarted;
# then the shell is frozen (SIGSTOP), and onward-session notices within --hang-seconds,
# kills it and starts a new one, which opens on the login screen: the daemon ended Sam's
# session with the old shell's connection ("session.end", "connection closed"). SIGTERM
# then stops the shell and onward-session. CMake runs it under tests/ui/xvfb-run.sh with
# BIN, QUERY and OUT in the environment.
set -eu
: "${BIN:?}" "${OUT:?}" "${QUERY:?}"
# The daemon and the shell run on the tests' clock (Wednesday 10:00), not the machine's.
. "$(dirname "$0")/../harness/clock.sh"
. "$(dirname "$0")/../../scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.png ./*.json ./*.ui ./*.log
state=$(mktemp -d /tmp/onward-session-e2e-XXXXXX)
sockets=$(mktemp -d /tmp/onward-session-run-XXXXXX)
daemon_pid=""
session_pid=""
cleanup() {
	[ -z "$session_pid" ] || kill -9 "$session_pid" 2>/dev/null || true
	[ -z "$daemon_pid" ] || kill -9 "$daemon_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state" "$sockets"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	for f in session.log policyd.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 25 "$f" >&2; }
	done
	exit 1
}
ctl() { onwardctl_as "$BIN" "$state" --as admin "$@"; }
wait_file() {
	n=0
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ $n -lt $(($2 * 20)) ] || fail "$1 did not appear within $2 s"
		kill -0 "$session_pid" 2>/dev/null || fail "onward-session ended"
		sleep 0.05
	done
}
shell_of() { pgrep -P "$session_pid" -x onward-shell || true; }

printf '{"establishment": "MDI", "scrypt_log_n": 10}\n' >"$state/policyd.json"
chmod 700 "$state"
"$BIN/onward-policyd" --state-dir "$state" --socket-dir "$sockets" 2>>policyd.log &
daemon_pid=$!
n=0
until "$BIN/onwardctl" --state-dir "$state" status >/dev/null 2>&1; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "onward-policyd did not start"
	sleep 0.05
done
ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
ctl establishment add MDI --name "HMP Moorland" >/dev/null
pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI |
	sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
[ -n "$pin" ] || fail "no PIN for A1234BC"
pin=$("$BIN/test-choose-pin" "$sockets/control.sock" A1234BC "$pin") ||
	fail "Sam cannot choose his own PIN"

# The first shell logs Sam in and then simply runs; the script waits without acting.
{
	echo 'tap id:number'
	for k in a 123 1 2 3 4 abc b c; do echo "tap id:key-$k"; done
	echo 'tap id:key-enter'
	for d in $(echo "$pin" | sed 's/./& /g'); do echo "tap id:key-$d"; done
	echo 'tap id:key-enter'
	echo 'wait-for "Hello, Sam" 15000'
	echo "dump $OUT/home.json"
	echo 'wait 600000'
} >shell.ui
test_clock_sync
"$BIN/onward-session" --hang-seconds 3 --check-ms 500 -- "$BIN/onward-shell" \
	--socket "$sockets/control.sock" --window 1280x800 --dpi 150 \
	--launcher "$BIN/onward-launch" --script "$OUT/shell.ui" 2>>session.log &
session_pid=$!
wait_file home.json 30
[ "$("$QUERY" home.json top screen)" = home ] || fail "Sam is not at home"
first=$(shell_of)
[ -n "$first" ] || fail "no shell under onward-session"

# A live shell, left alone at home, is never taken for a hung one.
sleep 8
[ "$(shell_of)" = "$first" ] || fail "a live shell was restarted"
grep -q "has not answered" session.log && fail "a live shell was called hung"

# The next shell only shows where it opens.
{
	echo 'wait-for "Welcome to Onward" 20000'
	echo "dump $OUT/after.json"
	echo "screenshot $OUT/after.png"
	echo 'wait 600000'
} >shell.ui
kill -STOP "$first"
wait_file after.json 30
grep -q "the shell (pid $first) has not answered for 3 s (state T); restarting it, locked" \
	session.log || fail "no hang reported"
kill -0 "$first" 2>/dev/null && fail "the hung shell is still there"
second=$(shell_of)
[ -n "$second" ] && [ "$second" != "$first" ] || fail "no new shell"
[ "$("$QUERY" after.json top screen)" = login ] || fail "the new shell is not at the login screen"
"$QUERY" after.json visible "Welcome to Onward" || fail "no welcome on the login screen"
ctl audit show --subject person:A1234BC | grep "session.end" | grep -q "connection closed" ||
	fail "the daemon did not end Sam's session"

kill -TERM "$session_pid"
status=0
wait "$session_pid" || status=$?
session_pid=""
[ $status -eq 0 ] || fail "onward-session exited $status on SIGTERM"
kill -0 "$second" 2>/dev/null && fail "the shell outlived onward-session"
echo "session-e2e-watchdog: ok"
