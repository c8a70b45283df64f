#!/bin/sh
# The demo's walkthrough (scripts/demo-shell.sh) as a test, so that it keeps showing the
# real product as the apps change: a daemon on the tests' clock, filled by
# scripts/demo-seed.sh, then the scripted walkthrough through the real shell and the four
# real apps under their sandbox (Learning: a page and a quiz passed; Messages: a message
# held by the word list and approved by an officer; Housing: an enquiry sent;
# Appointments: a visit confirmed; Settings: Welsh). Then what the daemon kept says each
# step happened, and every screenshot was taken.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$BIN/.." && pwd)
. "$root/tests/harness/clock.sh"
. "$root/scripts/staff-lib.sh"
mkdir -p "$OUT"
state=$(mktemp -d /tmp/onward-demo-e2e-XXXXXX)
daemon=""
cleanup() {
	[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	tail -n 30 "$OUT/policyd.log" >&2 || true
	exit 1
}
chmod 700 "$state"
printf '{"establishment": "MDI", "scrypt_log_n": 10}\n' >"$state/policyd.json"
"$BIN/onward-policyd" --state-dir "$state" 2>"$OUT/policyd.log" &
daemon=$!
n=0
until "$BIN/onwardctl" --state-dir "$state" status >/dev/null 2>&1; do
	n=$((n + 1))
	[ $n -gt 200 ] && fail "onward-policyd did not start"
	sleep 0.05
done
ctl() { onwardctl_as "$BIN" "$state" "$@"; }

sh "$root/scripts/demo-seed.sh" "$build" "$state" >"$OUT/seed.log" || fail "demo-seed.sh"
DEMO_SHELL_OUT="$OUT" sh "$root/scripts/demo-shell.sh" "$state" "$build" >"$OUT/walk.log" 2>&1 ||
	{ cat "$OUT/walk.log" >&2; fail "the walkthrough"; }

for shot in 01-login 02-choose-pin 03-home 04-course-page 05-quiz-passed 06-conversations \
	07-message-held 08-message-sent 09-housing 10-housing-check 11-housing-sent \
	12-appointments 13-appointment-confirmed 14-settings-welsh 15-home-welsh; do
	[ -s "$OUT/$shot.png" ] || fail "no screenshot $shot"
done
# Home in Welsh: the platform's apps' names and the status bar are Welsh too.
for words in Negeseuon Dysgu Tai Apwyntiadau "Help mewn argyfwng" Gosodiadau; do
	"$QUERY" "$OUT/15-home-welsh.json" visible "$words" || fail "\"$words\" not on the Welsh home"
done
for words in Messages Learning Housing Appointments Settings; do
	! "$QUERY" "$OUT/15-home-welsh.json" visible "$words" || fail "\"$words\" on the Welsh home"
done
next=$("$QUERY" "$OUT/15-home-welsh.json" get status.right text)
[ "$next" = "Nesaf: Mer 9 Rhag, 12:00, ymweliad" ] || fail "the status bar in Welsh: $next"
ctl --as k.patel --json message thread A1234BC 1 >"$OUT/thread.json"
grep -q '"text": "thank you mum i got the parcel"' "$OUT/thread.json" ||
	fail "Sam's message is not in the conversation"
grep -q '"status": "delivered"' "$OUT/thread.json" || fail "the message was not approved"
ctl --as h.ali housing show A1234BC >"$OUT/housing.txt"
grep -q "submitted" "$OUT/housing.txt" || fail "the housing enquiry was not sent"
ctl --as k.patel --json appointment list A1234BC >"$OUT/appointments.json"
grep -q '"confirmed": true' "$OUT/appointments.json" || fail "no appointment confirmed"
ctl --as admin --json audit show --limit 500 >"$OUT/audit.json"
grep -q '"action": "course.quiz"' "$OUT/audit.json" || fail "no quiz in the audit"
grep -q '"language": "cy"' "$OUT/audit.json" || fail "Welsh was not chosen"
echo "demo walkthrough: ok"
