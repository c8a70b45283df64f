# Shared by the end-to-end tests: run the demo under Xvfb with a script, and assertions
# on its dumps. Expects DEMO, QUERY, XVFB and OUT in the environment (set by CMake).
set -eu
mkdir -p "$OUT"
cd "$OUT"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# demo SCRIPT [OPTIONS...]: runs the demo on the script (a file in $OUT), failing the
# test with the driver's message if the script fails.
demo() {
	script=$1
	shift
	"$XVFB" "$DEMO" --script "$script" "$@" || fail "onward-ui-demo --script $script"
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

login='tap id:key-1
tap id:key-2
tap id:key-3
tap id:key-4
tap id:key-enter
wait-for "Home"'
