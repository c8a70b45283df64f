# Shared by the Messages app's end-to-end tests: a real onward-policyd on a fresh state
# directory with Sam Jones (A1234BC) at HMP Moorland, his key worker Kiran Patel, his
# mother Jo (approved) and Pat (waiting for approval), and onward-app-messages registered;
# onward-shell driven by a script, the app by its own (ONWARD_APP_SCRIPT), as a person
# would use them; assertions on the dumps. CMake runs each test under a private Xvfb
# (tests/ui/xvfb-run.sh) with BIN, QUERY and OUT set, and SANITIZE=1 in sanitizer builds.
set -eu
# The daemon and the shell run on the tests' clock (Wednesday 10:00), not the machine's.
. "$(dirname "$0")/../harness/clock.sh"
. "$(dirname "$0")/../../scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.png ./*.json ./*.ui ./*.log ./*.flag
state=$(mktemp -d /tmp/onward-messages-e2e-XXXXXX)
daemon_pid=""

cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in shell.log app.log policyd.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 40 "$f" >&2; }
	done
	exit 1
}

printf '{"establishment": "MDI", "scrypt_log_n": 10}\n' >"$state/policyd.json"
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

# ctl STAFF ARGS...: onwardctl as that staff member.
ctl() {
	as=$1
	shift
	onwardctl_as "$BIN" "$state" --as "$as" "$@"
}

seed() {
	ctl admin staff add admin --name "Ada Okafor" --role administrator >/dev/null
	ctl admin establishment add MDI --name "HMP Moorland" >/dev/null
	ctl admin staff add k.patel --name "Kiran Patel" --role key_worker --establishment MDI \
		>/dev/null
	ctl admin staff add o.reed --name "Olu Reed" --role officer --establishment MDI >/dev/null
	pin=$(ctl admin person add A1234BC --given Sam --family Jones --establishment MDI |
		sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	[ -n "$pin" ] || fail "no PIN for A1234BC"
	pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
		fail "Sam cannot choose his own PIN"
	ctl admin person set A1234BC --worker k.patel >/dev/null
	ctl admin contact add A1234BC --name "Jo Jones" --relation mother >/dev/null
	ctl admin contact approve 1 >/dev/null
	ctl admin contact add A1234BC --name "Pat Smith" --relation friend >/dev/null
	ctl admin app register messages --path "$BIN/onward-app-messages" --title "Messages" \
		>/dev/null
	# MDI's regime stays "auto": by the tests' clock it is Wednesday 10:00, so family
	# messages are open (not night, not Moorland's roll check at noon).
}

shell_opts="--state-dir $state --window 1280x800 --dpi 150 --launcher $BIN/onward-launch"
if [ "${SANITIZE:-0}" = 1 ]; then
	shell_opts="$shell_opts --app-memory-mb 0"
fi

# run_shell SCRIPT APP_SCRIPT [OPTION]...: the shell runs SCRIPT; the app, when opened,
# runs APP_SCRIPT.
run_shell() {
	script=$1
	ONWARD_APP_SCRIPT="$OUT/$2"
	export ONWARD_APP_SCRIPT
	shift 2
	test_clock_sync
	# shellcheck disable=SC2086
	"$BIN/onward-shell" $shell_opts --script "$script" "$@" 2>>shell.log ||
		fail "onward-shell --script $script (app script $ONWARD_APP_SCRIPT)"
}

# run_app SCRIPT [OPTION]...: the Messages app on a channel from onward.App.Open, started
# the way the shell starts it but without the shell and its sandbox (messages-open-app).
run_app() {
	script=$1
	shift
	"$BIN/messages-open-app" "$state" A1234BC "$pin" "$BIN/onward-app-messages" \
		--window 1280x800 --dpi 150 --script "$OUT/$script" "$@" 2>>app.log ||
		fail "onward-app-messages --script $script"
}

# Script lines: Sam logs in on the on-screen keyboards and opens Messages.
open_messages() {
	echo "tap id:number"
	mode=letters
	for c in A 1 2 3 4 B C; do
		case $c in
		[0-9]) [ $mode = numbers ] || { echo "tap id:key-123"; mode=numbers; } ;;
		*) [ $mode = letters ] || { echo "tap id:key-abc"; mode=letters; } ;;
		esac
		echo "tap id:key-$(echo "$c" | tr 'A-Z' 'a-z')"
	done
	echo "tap id:key-enter"
	for d in $(echo "$pin" | sed 's/./& /g'); do
		echo "tap id:key-$d"
	done
	echo "tap id:key-enter"
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Messages" 15000'
}

# type_words WORDS: script lines that type lower-case words on the on-screen keyboard.
type_words() {
	for c in $(echo "$1" | sed 's/ /_/g; s/./& /g'); do
		case $c in
		_) echo "tap id:key-space" ;;
		*) echo "tap id:key-$c" ;;
		esac
	done
}

q() {
	"$QUERY" "$@"
}

expect_visible() {
	q "$1" visible "$2" || fail "\"$2\" not visible in $1"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}
