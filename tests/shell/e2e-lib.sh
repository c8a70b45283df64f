# Shared by the shell's end-to-end tests: a real onward-policyd on a fresh state directory
# with Sam Jones (A1234BC) at HMP Moorland and the test apps registered, onward-shell
# driven by a script, and assertions on its dumps. CMake runs each test under one private
# Xvfb (tests/ui/xvfb-run.sh) with BIN, QUERY and OUT in the environment, and SANITIZE=1
# in sanitizer builds.
set -eu
# The daemon and the shell run on the tests' clock (Wednesday 10:00), not the machine's.
. "$(dirname "$0")/../harness/clock.sh"
. "$(dirname "$0")/../../scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.png ./*.json ./*.ui ./*.log ./*.flag
state=$(mktemp -d /tmp/onward-shell-e2e-XXXXXX)
daemon_pid=""
shell_pid=""

cleanup() {
	[ -n "$shell_pid" ] && kill -9 "$shell_pid" 2>/dev/null || true
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in shell.log policyd.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 30 "$f" >&2; }
	done
	exit 1
}

# A short PIN hash, and a lockout after 3 wrong PINs for 5 minutes, as on a tablet.
printf '{"establishment": "MDI", "scrypt_log_n": 10, "lockout_seconds": 300, "lockout_failures": 3}\n' \
	>"$state/policyd.json"
chmod 700 "$state"

daemon_start() {
	"$BIN/onward-policyd" --state-dir "$state" 2>>policyd.log &
	daemon_pid=$!
	n=0
	until "$BIN/onwardctl" --state-dir "$state" status >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -gt 200 ] && fail "onward-policyd did not start"
		kill -0 "$daemon_pid" 2>/dev/null || fail "onward-policyd exited"
		sleep 0.05
	done
}

# daemon_kill: kill -9. Started again, it goes on from the time its clock read then, not
# back to the start.
daemon_kill() {
	test_clock_sync
	kill -9 "$daemon_pid"
	wait "$daemon_pid" 2>/dev/null || true
	daemon_pid=""
}

ctl() {
	onwardctl_as "$BIN" "$state" --as admin "$@"
}

# Staff, the establishment, Sam (his one-time PIN in $pin) and the apps: stub (allowed),
# games (refused for Sam by policy: not enhanced), crashy and hangs (granted to Sam).
seed() {
	ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
	ctl establishment add MDI --name "HMP Moorland" >/dev/null
	pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI \
		--release-date 2027-01-29 | sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	[ -n "$pin" ] || fail "no PIN for A1234BC"
	pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
		fail "Sam cannot choose his own PIN"
	ctl app register stub --path "$BIN/onward-app-stub" --title "Stub" >/dev/null
	ctl app register games --path "$BIN/onward-app-stub" --title "Games" >/dev/null
	ctl app register crashy --path "$BIN/test-app-crash" --title "Crashy" >/dev/null
	ctl app register hangs --path "$BIN/test-app-hang" --title "Hangs" >/dev/null
	ctl grant A1234BC app:crashy >/dev/null
	ctl grant A1234BC app:hangs >/dev/null
}

# The options every run of the shell gets. Sanitizer builds cannot run under an address
# space limit (ASan reserves terabytes of shadow memory), so they lift it.
shell_opts="--state-dir $state --window 1280x800 --dpi 150 --launcher $BIN/onward-launch"
if [ "${SANITIZE:-0}" = 1 ]; then
	shell_opts="$shell_opts --app-memory-mb 0"
fi

# run_shell SCRIPT [OPTION]...: runs the shell on the script until it ends.
run_shell() {
	script=$1
	shift
	test_clock_sync
	# shellcheck disable=SC2086
	"$BIN/onward-shell" $shell_opts --script "$script" "$@" 2>>shell.log ||
		fail "onward-shell --script $script"
}

# start_shell SCRIPT [OPTION]...: the same in the background ($shell_pid); the test then
# waits for the flag files the script writes with `dump NAME.flag`.
start_shell() {
	script=$1
	shift
	test_clock_sync
	# shellcheck disable=SC2086
	"$BIN/onward-shell" $shell_opts --script "$script" "$@" 2>>shell.log &
	shell_pid=$!
}

# wait_file FILE [SECONDS]: waits for a file the shell's script writes.
wait_file() {
	n=0
	while [ ! -s "$1" ]; do
		n=$((n + 1))
		[ $n -gt $((${2:-30} * 20)) ] && fail "$1 did not appear"
		[ -z "$shell_pid" ] || kill -0 "$shell_pid" 2>/dev/null || fail "the shell exited early"
		sleep 0.05
	done
}

# type_number NUMBER: script lines that type a prison number on the on-screen keyboard,
# switching between letters and numbers like a person would.
type_number() {
	mode=letters
	echo "tap id:number"
	for c in $(echo "$1" | sed 's/./& /g'); do
		case $c in
		[0-9]) [ $mode = numbers ] || { echo "tap id:key-123"; mode=numbers; } ;;
		*) [ $mode = letters ] || { echo "tap id:key-abc"; mode=letters; } ;;
		esac
		echo "tap id:key-$(echo "$c" | tr 'A-Z' 'a-z')"
	done
	echo "tap id:key-enter"
}

# type_pin PIN: script lines that type a PIN on the PIN pad and press Enter.
type_pin() {
	for d in $(echo "$1" | sed 's/./& /g'); do
		echo "tap id:key-$d"
	done
	echo "tap id:key-enter"
}

# login_lines: Sam logs in and his tiles are there.
login_lines() {
	type_number A1234BC
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Stub" 15000'
}

q() {
	"$QUERY" "$@"
}

expect_visible() {
	q "$1" visible "$2" || fail "\"$2\" not visible in $1"
}

expect_hidden() {
	q "$1" hidden "$2" || fail "\"$2\" visible in $1"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}
