# Shared by the learning app's end-to-end tests: a real onward-policyd on a fresh state
# directory with Sam Jones (A1234BC) at HMP Moorland, the two example courses built and
# signed with a content root and provider made for the test (keys in the state folder,
# thrown away afterwards), installed through onwardctl, and the learning app registered;
# then onward-shell driven by a script, which launches the real app through
# onward-launch with ONWARD_APP_SCRIPT (test only) driving the app. CMake runs each test
# under a private Xvfb (tests/ui/xvfb-run.sh) with BIN, QUERY, COURSES and OUT set, and
# SANITIZE=1 in sanitizer builds.
set -eu
# The daemon and the shell run on the tests' clock (Wednesday 10:00), not the machine's.
. "$(dirname "$0")/../harness/clock.sh"
. "$(dirname "$0")/../../scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.png ./*.json ./*.ui ./*.log ./*.pub ./*.wav ./*.cert
state=$(mktemp -d /tmp/onward-learning-e2e-XXXXXX)
daemon_pid=""

cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	rm -rf "$state" "$state.keys"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in app.log shell.log policyd.log; do
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

ctl() {
	onwardctl_as "$BIN" "$state" --as admin "$@"
}

# Staff, Sam (his one-time PIN in $pin), the courses and the learning app.
seed() {
	ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
	ctl establishment add MDI --name "HMP Moorland" >/dev/null
	ctl staff add r.evans --name "Rhian Evans" --role education --establishment MDI >/dev/null
	pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI |
		sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	[ -n "$pin" ] || fail "no PIN for A1234BC"
	pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
		fail "Sam cannot choose his own PIN"
	keys=$state.keys
	mkdir -m 700 "$keys"
	pack=$BIN/onward-pack
	"$pack" keygen --out "$keys/root.pem" --pub "$keys/root.pub" >/dev/null
	"$pack" keygen --out "$keys/college.pem" --pub "$keys/college.pub" >/dev/null
	"$pack" certify --root "$keys/root.pem" --provider-key "$keys/college.pub" \
		--provider-id example-college --provider-name "Example College" \
		--not-before "$(test_london %F -86400)" \
		--not-after "$(test_london %F $((365 * 86400)))" \
		-o "$keys/college.cert" >/dev/null
	for c in managing-money tenancy-agreement; do
		"$pack" build "$COURSES/$c" -o "$keys/$c.pack" --key "$keys/college.pem" \
			--cert "$keys/college.cert" >/dev/null
	done
	ctl course trust-root "$keys/root.pub" >/dev/null
	onwardctl_as "$BIN" "$state" --as r.evans course install "$keys/managing-money.pack" \
		>/dev/null || fail "install managing-money"
	onwardctl_as "$BIN" "$state" --as r.evans course install \
		"$keys/tenancy-agreement.pack" >/dev/null || fail "install tenancy-agreement"
	ctl app register learning --path "$BIN/onward-app-learning" --title "Learning" >/dev/null
}

# The options every run of the shell gets. Sanitizer builds cannot run under an address
# space limit, so they lift it.
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

# Script lines: Sam types his prison number and PIN on the on-screen keyboards.
login_lines() {
	mode=letters
	echo "tap id:number"
	for c in $(echo A1234BC | sed 's/./& /g'); do
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
	echo 'wait-for "Learning" 15000'
}

# run_app SCRIPT [OPTION]...: Sam logs in and opens Learning, which runs the script (as
# the shell would start it, but without the sandbox; e2e_shell.sh goes through the shell).
run_app() {
	script=$1
	shift
	"$BIN/learning-open-app" "$state/control.sock" A1234BC "$pin" learning -- \
		"$BIN/onward-app-learning" --window 1280x800 --dpi 150 --script "$script" "$@" \
		2>>app.log || fail "onward-app-learning --script $script"
}

# Opens Learning from home, lets the app's script run, and waits for home again.
open_learning_lines() {
	echo 'tap id:tile-learning'
	echo 'wait-for "The app is open" 15000'
	echo 'wait-for "Hello, Sam" 120000'
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
