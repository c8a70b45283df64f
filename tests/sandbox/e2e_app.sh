#!/bin/sh
# A normal app still runs in the sandbox: the shell, under Xvfb against a real daemon,
# opens the stub app (SDL2, fonts, the channel, read aloud through espeak-ng), which shows
# Sam's permissions; while it is open this script looks at it from outside and checks
# that it is confined: the seccomp filter and no new privileges are on, it holds no
# capability, every namespace is its own, its root holds only the sandbox's tree, and the
# daemon's state directory is not in it. CMake runs it under tests/ui/xvfb-run.sh with
# BIN, QUERY and OUT in the environment.
set -eu
: "${BIN:?}" "${OUT:?}" "${QUERY:?}"
# The daemon and the shell run on the tests' clock (Wednesday 10:00), not the machine's.
. "$(dirname "$0")/../harness/clock.sh"
. "$(dirname "$0")/../../scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.png ./*.json ./*.ui ./*.log
state=$(mktemp -d /tmp/onward-sandbox-e2e-XXXXXX)
daemon_pid=""
shell_pid=""
cleanup() {
	[ -z "$shell_pid" ] || kill -9 "$shell_pid" 2>/dev/null || true
	[ -z "$daemon_pid" ] || kill -9 "$daemon_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	for f in shell.log policyd.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 20 "$f" >&2; }
	done
	exit 1
}
ctl() { onwardctl_as "$BIN" "$state" --as admin "$@"; }

printf '{"establishment": "MDI", "scrypt_log_n": 10}\n' >"$state/policyd.json"
chmod 700 "$state"
"$BIN/onward-policyd" --state-dir "$state" 2>>policyd.log &
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
pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
	fail "Sam cannot choose his own PIN"
ctl app register stub --path "$BIN/onward-app-stub" --title "Stub" >/dev/null

# The app's own script: greet, read a line aloud, show itself, stay open while we look.
cat >app.ui <<UI
wait-for "Hello, Sam" 20000
wait-for "Open this app" 20000
long-press "Open this app"
wait-speech 30000
screenshot $OUT/app.png
dump $OUT/app.json
wait 6000
tap id:back-home
UI
{
	echo 'tap id:number'
	for k in a 123 1 2 3 4 abc b c; do echo "tap id:key-$k"; done
	echo 'tap id:key-enter'
	for d in $(echo "$pin" | sed 's/./& /g'); do echo "tap id:key-$d"; done
	echo 'tap id:key-enter'
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Stub" 15000'
	echo 'tap id:tile-stub'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 60000'
	echo "dump $OUT/back.json"
	echo 'quit'
} >shell.ui
opts="--state-dir $state --window 1280x800 --dpi 150 --launcher $BIN/onward-launch"
[ "${SANITIZE:-0}" = 1 ] && opts="$opts --app-memory-mb 0"
test_clock_sync
# shellcheck disable=SC2086
ONWARD_APP_SCRIPT="$OUT/app.ui" "$BIN/onward-shell" $opts --script shell.ui 2>>shell.log &
shell_pid=$!

n=0
while [ ! -s app.json ]; do
	n=$((n + 1))
	[ $n -lt 1200 ] || fail "the app did not show itself"
	kill -0 "$shell_pid" 2>/dev/null || fail "the shell ended early"
	sleep 0.05
done
# This shell's app: other tests running at the same time have apps of their own.
descends_from() { # PID ANCESTOR
	p=$1
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$2" ] && return 0
		p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}
app=""
for pid in $(pgrep -x onward-app-stub); do
	descends_from "$pid" "$shell_pid" && app=$pid && break
done
[ -n "$app" ] || fail "no onward-app-stub process under this shell"

# Confined, as seen from outside.
grep -q '^Seccomp:[[:space:]]*2$' "/proc/$app/status" || fail "the app has no seccomp filter"
grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$app/status" || fail "no NoNewPrivs"
grep -q '^CapEff:[[:space:]]*0000000000000000$' "/proc/$app/status" || fail "capabilities"
grep -q '^CapBnd:[[:space:]]*0000000000000000$' "/proc/$app/status" || fail "bounding set"
for ns in user mnt pid net ipc uts cgroup; do
	[ "$(readlink "/proc/$app/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ] ||
		fail "the app shares the $ns namespace"
done
[ "$(awk '{print $1}' "/proc/$app/uid_map")" = 1000 ] || fail "uid map: $(cat "/proc/$app/uid_map")"
top=$(ls "/proc/$app/root/" | tr '\n' ' ')
for d in home root run sys boot srv opt mnt media; do
	case " $top" in *" $d "*) fail "/$d is in the app's tree: $top" ;; esac
done
[ ! -e "/proc/$app/root$state" ] || fail "the daemon's state directory is in the app's tree"
[ ! -e "/proc/$app/root/etc/passwd" ] || fail "/etc/passwd is in the app's tree"
[ -e "/proc/$app/root/usr/share/fonts" ] || fail "no fonts in the app's tree"
echo "the app's root: $top"

wait "$shell_pid" || fail "onward-shell --script shell.ui"
shell_pid=""
[ "$("$QUERY" back.json top screen)" = home ] || fail "not back home after the app"
"$QUERY" app.json visible "Hello, Sam" || fail "the app did not greet Sam"
"$QUERY" app.json visible "Open this app" || fail "the app did not list its permissions"
if grep -q "was ended by signal\|exited with status [1-9]" shell.log; then
	fail "the app did not end normally"
fi
echo "sandbox-app: ok"
