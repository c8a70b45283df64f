#!/bin/sh
# The kiosk shell on the demo state.
#   scripts/demo-shell.sh STATE_DIR BUILD_DIR
# Starts onward-policyd on STATE_DIR if it is not already running there (scripts/demo-seed.sh
# has filled it with people, staff and the four real apps).
# - With a display ($DISPLAY or $WAYLAND_DISPLAY): opens onward-shell in a 1280x800 window
#   (closing the window ends it); log in with a PIN that demo.sh printed.
# - Without one: a scripted walkthrough of the real apps under Xvfb, with screenshots in
#   BUILD_DIR/demo-shell (or $DEMO_SHELL_OUT). Sam logs in with a fresh one-time PIN and
#   chooses his own; reads a course page and passes its quiz; writes to his mother, and the
#   message waits for a staff check. An officer approves it (onwardctl). Sam logs in again:
#   the message is sent; he makes a housing enquiry, says he will be at an appointment,
#   switches to Welsh and logs out.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 STATE_DIR BUILD_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
state=$(cd "$1" && pwd)
bin=$(cd "$2" && pwd)/bin
out=${DEMO_SHELL_OUT:-$(cd "$2" && pwd)/demo-shell}
for p in onward-shell onward-launch onward-policyd onwardctl onward-app-learning \
	onward-app-messages onward-app-housing onward-app-appointments; do
	[ -x "$bin/$p" ] || { echo "demo-shell: $bin/$p is missing; build first" >&2; exit 1; }
done
. "$(dirname "$0")/staff-lib.sh"
ctl() { onwardctl_as "$bin" "$state" "$@"; }

daemon=""
trap '[ -z "$daemon" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true; }' EXIT INT TERM
if ! ctl status >/dev/null 2>&1; then
	"$bin/onward-policyd" --state-dir "$state" 2>>"$state/../demo-shell-policyd.log" &
	daemon=$!
	i=0
	until ctl status >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$daemon" 2>/dev/null; then
			echo "demo-shell: onward-policyd did not start" >&2
			exit 1
		fi
		sleep 0.1
	done
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
	echo "Opening onward-shell on $state: log in with a prison number and the PIN demo.sh printed"
	echo "(for example A1234BC). Close the window to end it."
	"$bin/onward-shell" --state-dir "$state" --window 1280x800 --allow-quit
	exit 0
fi

# No display: the walkthrough, with a fresh one-time PIN for Sam. Each app runs its own
# script from a folder (ONWARD_APP_SCRIPT names the folder; each app reads its own there,
# onward-app-learning.ui and so on).
pin=$(ctl --as admin person pin-reset A1234BC | sed -n 's/^one-time PIN[^:]*: *\([0-9]*\).*/\1/p')
[ -n "$pin" ] || { echo "demo-shell: cannot give A1234BC a PIN (run scripts/demo-seed.sh first)" >&2; exit 1; }
own_pin=583920
mkdir -p "$out/visit1" "$out/visit2"
rm -f "$out"/*.png "$out"/visit1/*.ui "$out"/visit2/*.ui

keys() { for c in $(echo "$1" | sed 's/ /_/g; s/./& /g'); do
	case $c in _) echo "tap id:key-space" ;; *) echo "tap id:key-$c" ;; esac
done; }
# open_app TILE WORDS: the home screen's tile, the app, and home again.
open_app() {
	echo "tap id:tile-$1"
	echo 'wait-for "The app is open" 10000'
	echo "wait-for \"$2\" 180000"
}
log_in() {
	echo 'wait-for "Welcome to Onward" 20000'
	echo 'tap id:number'
	for k in a 123 1 2 3 4 abc b c; do echo "tap id:key-$k"; done
	echo 'tap id:key-enter'
	for d in $(echo "$1" | sed 's/./& /g'); do echo "tap id:key-$d"; done
}

# ---- the first visit: his own PIN, a course page and its quiz, a message to his mother ----
cat >"$out/visit1/onward-app-learning.ui" <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Start the course" 10000
tap id:continue
wait-for "Money in is the money you get." 10000
screenshot $out/04-course-page.png
tap id:next
wait-for "Money out is the money you spend." 10000
tap id:next
wait-for "Your wages from work are:" 10000
tap id:q0-opt0
tap id:q1-opt1
tap id:q2-answer
type "receipts"
tap id:key-enter
wheel 640 400 -20
tap id:check-answers
wait-for "Rent is money you pay for your home, so it is money out." 10000
wheel 640 400 -40
wait-for "You passed" 10000
screenshot $out/05-quiz-passed.png
tap id:carry-on
wait-for "A budget is a plan for your money." 10000
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
cat >"$out/visit1/onward-app-messages.ui" <<UI
wait-for "My worker" 20000
wait-for "Maria Jones" 10000
screenshot $out/06-conversations.png
tap id:threads.1
wait-for "Write when you can." 10000
tap id:write
$(keys "thank you mum i got the parcel")
tap id:key-enter
wait-for "Held for a staff check." 10000
screenshot $out/07-message-held.png
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
{
	log_in "$pin"
	echo "screenshot $out/01-login.png"
	echo 'tap id:key-enter'
	# A PIN staff issued is replaced at once by one Sam chooses, typed twice.
	echo 'wait-for "Choose your own PIN" 15000'
	echo "screenshot $out/02-choose-pin.png"
	for i in 1 2; do
		for d in $(echo "$own_pin" | sed 's/./& /g'); do echo "tap id:key-$d"; done
		echo 'tap id:key-enter'
	done
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Learning" 15000'
	echo "screenshot $out/03-home.png"
	open_app learning "Hello, Sam"
	open_app messages "Hello, Sam"
	echo 'tap id:tile-logout'
	echo 'wait-for "log out now"'
	echo 'tap "Yes, log out"'
	echo 'wait-for "You have logged out."'
	echo 'quit'
} >"$out/visit1.ui"

# ---- the second visit: the message sent, a housing enquiry, an appointment, Welsh ----
cat >"$out/visit2/onward-app-messages.ui" <<UI
wait-for "Maria Jones" 20000
tap id:threads.1
wait-for "i got the parcel" 10000
wait-for "Sent." 10000
screenshot $out/08-message-sent.png
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
cat >"$out/visit2/onward-app-housing.ui" <<UI
wait-for "You have not started a housing enquiry yet." 20000
screenshot $out/09-housing.png
tap id:start
wait-for "When do you leave prison?"
tap id:release-yes
wait-for "Which area do you have a link to?"
wait-for "Sheffield"
tap id:area-sheffield
wait-for "Where did you live before prison?"
tap id:address
type "14 Forge Lane, Sheffield"
key Return
wait-for "Do you need any of these?"
tap id:need-health
tap id:next
wait-for "How can the council reach you after you leave?"
tap id:contact
type "07700 900123"
key Return
wait-for "Can we share your answers with the council?"
tap id:consent
tap id:next
wait-for "Check your answers"
screenshot $out/10-housing-check.png
tap id:send
wait-for "Sent. The housing team will look at it soon."
screenshot $out/11-housing-sent.png
tap id:back
wait-for "See replies about my enquiry"
tap id:back-home
UI
cat >"$out/visit2/onward-app-appointments.ui" <<UI
wait-for "days to release" 20000
wait-for "Visit" 10000
screenshot $out/12-appointments.png
tap id:appointments.0
wait-for "Please say if you will be there." 10000
tap id:confirm
wait-for "Thank you. Staff can see that you will be there." 10000
screenshot $out/13-appointment-confirmed.png
tap id:back
wait-for "days to release" 10000
tap id:back-home
UI
{
	log_in "$own_pin"
	echo 'tap id:key-enter'
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Housing" 15000'
	open_app messages "Hello, Sam"
	open_app housing "Hello, Sam"
	open_app appointments "Hello, Sam"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Maint testun"'
	echo "screenshot $out/14-settings-welsh.png"
	echo 'tap id:settings-back'
	echo 'wait-for "Helo, Sam"'
	echo "screenshot $out/15-home-welsh.png"
	echo "dump $out/15-home-welsh.json"
	echo 'tap id:tile-logout'
	echo 'wait-for "Ydych chi eisiau allgofnodi nawr?"'
	echo 'tap "Ie, allgofnodi"'
	echo 'quit'
} >"$out/visit2.ui"

# shell SCRIPT FOLDER: the real shell under Xvfb, the apps through onward-launch.
shell() {
	ONWARD_APP_SCRIPT="$out/$2" "$root/tests/ui/xvfb-run.sh" "$bin/onward-shell" \
		--state-dir "$state" --window 1280x800 --dpi 150 --launcher "$bin/onward-launch" \
		--app-timeout 180 --script "$out/$1" 2>"$out/onward-shell-$2.log" || {
		echo "demo-shell: the walkthrough failed ($1):" >&2
		tail -n 40 "$out/onward-shell-$2.log" >&2
		exit 1
	}
	# An app whose own script failed exits with status 1 and the shell carries on.
	if grep -E "exited with status [1-9]|was ended by signal|app stopped" \
		"$out/onward-shell-$2.log" >&2; then
		echo "demo-shell: an app's part of the walkthrough failed ($2)" >&2
		exit 1
	fi
}
echo "No display: a scripted walkthrough of the real apps under Xvfb (Sam, A1234BC,"
echo "one-time PIN $pin; he chooses $own_pin)"
shell visit1.ui visit1
echo "Sam wrote to his mother; the word list held the message for a staff check:"
held=$(ctl --as j.smith --json message queue | sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -n1)
[ -n "$held" ] || { echo "demo-shell: no message waits for a check" >&2; exit 1; }
printf '\n$ onwardctl message queue    # signed in as j.smith\n'
ctl --as j.smith message queue
printf '\n$ onwardctl message approve %s    # signed in as j.smith\n' "$held"
ctl --as j.smith message approve "$held"
echo
shell visit2.ui visit2
echo "Screenshots of the walkthrough are in $out:"
ls "$out"/*.png | sed 's/^/  /'
