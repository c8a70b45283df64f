# shellcheck shell=sh disable=SC2154
# The clock of every daemon and shell an end-to-end script starts; sourced by the scripts'
# libraries (tests/*/e2e-lib.sh) and by the scripts that start a daemon themselves.
#
# As in the C tests' harness (TEST_CLOCK_DEFAULT in daemon.h: keep the two the same), it is
# Wednesday 9 December 2026, 10:00 in London (GMT: London time and UTC agree), a weekday
# morning hours away from night (21:00 to 07:00), Moorland's roll check (12:00 to 13:00),
# the weekend and midnight. ONWARD_TEST_CLOCK starts the daemon's clock there, and the
# shell's (so its status bar agrees), whatever the machine's clock says; both run on at the
# real rate. A script about time sets another before it starts the daemon, or moves the
# running daemon's clock with test_clock_set or test_clock_advance; shells started after
# that agree with it. Needs BIN, and state (the daemon's state directory) for the
# functions.
ONWARD_TEST_CLOCK=2026-12-09T10:00:00Z
export ONWARD_TEST_CLOCK

# test_clock_set AT: from now on the running daemon's clock reads AT (like
# 2026-12-09T22:00:00Z).
test_clock_set() {
	ONWARD_TEST_CLOCK=$("$BIN/test-clock" "$state" --at "$1") || fail "test-clock --at $1"
	export ONWARD_TEST_CLOCK
}

# test_clock_advance SECONDS: the running daemon's clock moves on.
test_clock_advance() {
	ONWARD_TEST_CLOCK=$("$BIN/test-clock" "$state" --advance "$1") ||
		fail "test-clock --advance $1"
	export ONWARD_TEST_CLOCK
}

# Reading the running daemon's clock is moving it on to the next whole second ("advance":
# the time it reads is whole seconds), so that it never goes back.
test_clock_read() {
	"$BIN/test-clock" "$state" --advance 1
}

# test_clock_sync: shells started from now on start at the running daemon's time, so the two
# agree; nothing changes when no daemon answers (a shell started before it, or with a
# hostile one).
test_clock_sync() {
	now=$(test_clock_read 2>/dev/null) || return 0
	ONWARD_TEST_CLOCK=$now
	export ONWARD_TEST_CLOCK
}

# test_london FORMAT [SECONDS]: the running daemon's time SECONDS (default 0) from now, in
# London, formatted for date(1): `test_london %F 86400` is tomorrow's date there.
test_london() {
	now=$(test_clock_read) || fail "test-clock: no time"
	now=$(date -u -d "$now" +%s) || fail "test-clock: \"$now\" is not a time"
	TZ=Europe/London date -d "@$((now + ${2:-0}))" "+$1"
}
