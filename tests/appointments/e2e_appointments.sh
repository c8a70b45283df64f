#!/bin/sh
# Appointments as Sam would use them, through the real shell and onward-launch against
# the real daemon, under Xvfb. A reminder due now is a banner on the shell's home screen
# and a badge on the appointments tile. The app shows the week with the days to release
# in big letters; the day view walks day by day; Sam confirms his probation appointment
# and asks to rearrange it with a reason he picks from the common ones (none is picked for
# him, and Send waits for it), the sentence ending with its full stop; "Release day" goes
# straight to it and "Go to a date" to any day, with steps, nothing typed; the release day
# cannot be rearranged, and says why in the policy's words. Staff see the request and
# answer it with onwardctl; Sam sees the answer; hiding the banners dismisses them for good.
# With Welsh chosen in settings the app speaks Welsh; places, names and staff's words stay
# as they were written.
. "$(dirname "$0")/../shell/e2e-lib.sh"

# day N: the date N days on, by the daemon's clock (Wednesday 9 December 2026 unless a test
# moves it), in London.
day() { test_london %F $(($1 * 86400)); }

# Sam (A1234BC) leaves in 5 days. Times are London time, as staff type them.
seed_appointments() {
	ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
	ctl establishment add MDI --name "HMP Moorland" >/dev/null
	ctl staff add k.patel --name "Kiran Patel" --role key_worker --establishment MDI >/dev/null
	pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI \
		--release-date "$(day 5)" | sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	[ -n "$pin" ] || fail "no PIN for A1234BC"
	pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
		fail "Sam cannot choose his own PIN"
	ctl app register appointments --path "$BIN/onward-app-appointments" \
		--title "Appointments" >/dev/null
	kp() { onwardctl_as "$BIN" "$state" --as k.patel "$@"; }
	# Release reminders only the evening before (the default's week ahead has passed).
	ctl appointment set-leads release --leads 1d@18:00 >/dev/null
	kp appointment add A1234BC --kind probation --at "$(day 2) 10:30" \
		--where "Doncaster Probation Office" --with "Morgan Brown" >/dev/null
	kp appointment add A1234BC --kind health --at "$(day 3) 14:00" \
		--where "Healthcare unit" >/dev/null
	kp appointment add A1234BC --kind release --at "$(day 5) 08:00" \
		--where "Reception, HMP Moorland" >/dev/null
	# A visit in three hours with a day's notice: too late for it, so it reminds at once.
	ctl appointment set-leads visit --leads 1d >/dev/null
	visit_at=$(test_london '%Y-%m-%d %H:%M' 10800)
	kp appointment add A1234BC --kind visit --at "$visit_at" --where "Visits hall" \
		--with "Maria Jones" >/dev/null
	# The banners' words, as the daemon makes them (London time).
	if [ "${visit_at% *}" = "$(day 0)" ]; then when=today; else when=tomorrow; fi
	visit_banner="Reminder: your visit is $when at ${visit_at#* }, at Visits hall."
	probation_day=$(test_london "%A %-d %B" 172800)
	[ "$(test_london %Y 172800)" = "$(test_london %Y)" ] ||
		probation_day="$probation_day $(test_london %Y 172800)"
	answer_banner="Staff answered about your probation appointment on $probation_day at \
10:30: Yes. We will move it to Friday and tell you."
}

export TZ=Europe/London
daemon_start
seed_appointments

cat >app1.ui <<UI
wait-for "5 days to release" 20000
wait-for "Probation appointment"
dump $OUT/week.json
screenshot $OUT/week.png
tap id:view.0
wait-for "Today, "
screenshot $OUT/day-today.png
tap id:later
tap id:later
wait-for "Probation appointment"
dump $OUT/day2.json
screenshot $OUT/day2.png
tap id:appointments.0
wait-for "Please say if you will be there."
dump $OUT/detail.json
screenshot $OUT/detail.png
tap id:confirm
wait-for "Thank you. Staff can see that you will be there."
wait-for "You said you will be there."
tap id:ask
wait-for "Why do you need to change it?"
dump $OUT/ask-none.json
tap id:send-ask
wait 300
dump $OUT/ask-none-sent.json
tap id:reason.1
dump $OUT/ask-chosen.json
screenshot $OUT/ask.png
tap id:send-ask
wait-for "Sent. Staff will answer you here."
wait-for "Staff will answer you."
dump $OUT/asked.json
screenshot $OUT/asked.png
tap id:back
wait-for "Probation appointment"
tap id:release-day
wait-for "Release appointment"
dump $OUT/release-day.json
screenshot $OUT/release-day.png
tap id:appointments.0
wait-for "Your release day cannot be moved from here."
dump $OUT/release.json
screenshot $OUT/release.png
tap id:kind-speak
wait 300
dump $OUT/release-read.json
tap id:back
wait-for "Release appointment"
tap id:goto
wait-for "Which day do you want to see?"
dump $OUT/goto-open.json
tap id:month-more
dump $OUT/goto-month.json
tap id:month-less
tap id:day-less
tap id:day-less
tap id:day-less
dump $OUT/goto-chosen.json
screenshot $OUT/goto.png
tap id:goto-show
wait-for "Probation appointment"
dump $OUT/goto-shown.json
screenshot $OUT/goto-shown.png
tap id:back-home
UI

# run_sam SHELL_LINES APP_SCRIPT: Sam logs in, the lines run, the app (if opened) runs
# APP_SCRIPT.
run_sam() {
	{
		type_number A1234BC
		type_pin "$pin"
		echo 'wait-for "Hello, Sam" 15000'
		echo 'wait-for "Appointments" 15000'
		cat "$1"
		echo 'quit'
	} >sam.ui
	export ONWARD_APP_SCRIPT="$OUT/$2"
	run_shell sam.ui --app-timeout 110
}

cat >shell1.lines <<UI
wait-for "Reminder: your visit is " 15000
dump $OUT/home-banner.json
screenshot $OUT/home-banner.png
tap id:tile-appointments
wait-for "The app is open" 10000
wait-for "Hello, Sam" 120000
wait-for "Appointments" 10000
UI
run_sam shell1.lines app1.ui
expect_visible home-banner.json "$visit_banner"
expect_eq "$(q home-banner.json get tile-appointments state.badge)" 1 "appointments badge"
expect_visible week.json "5 days to release"
expect_eq "$(q week.json get view state.selected)" 1 "week view first"
expect_eq "$(q detail.json get confirm visible)" true "confirm button"
expect_visible detail.json "Where: Doncaster Probation Office"
expect_visible detail.json "With: Morgan Brown"
# Asking to rearrange: no reason is chosen for Sam, and Send waits until he picks one.
expect_eq "$(q ask-none.json get reason state.selected)" -1 "a reason chosen in advance"
expect_eq "$(q ask-none.json get send-ask enabled)" false "Send before a reason"
expect_eq "$(q ask-none-sent.json top screen)" ask "a tap on Send without a reason"
expect_eq "$(q ask-chosen.json get send-ask enabled)" true "Send once a reason is chosen"
# Every sentence ends: the reason chosen gets its full stop before "Staff will answer you."
expect_visible asked.json \
	'You asked to change it: "I have a visit then." Staff will answer you.'
# Release day in one tap, not a walk of taps on Later.
expect_eq "$(q release-day.json get range text)" "$(test_london "%A %-d %B" $((5 * 86400)))" \
	"the day after tapping Release day"
case $(q release-day.json get appointments.0 text) in
*": Release appointment") ;;
*) fail "Release day shows: $(q release-day.json get appointments.0 text)" ;;
esac
# "Go to a date": steps of a day, a month and a year, the date in words, nothing typed.
expect_eq "$(q goto-open.json get goto-date text)" \
	"$(test_london "%A %-d %B %Y" $((5 * 86400)))" "the date to go from"
expect_eq "$(q goto-month.json get goto-date text)" \
	"$(date -d "$(day 5) +1 month" "+%A %-d %B %Y")" "a month on"
expect_eq "$(q goto-chosen.json get goto-date text)" \
	"$(test_london "%A %-d %B %Y" $((2 * 86400)))" "three days back"
expect_eq "$(q goto-shown.json top screen)" calendar "after Show this day"
expect_eq "$(q goto-shown.json get view state.selected)" 0 "the day view"
case $(q goto-shown.json get appointments.0 text) in
*": Probation appointment") ;;
*) fail "the day gone to shows: $(q goto-shown.json get appointments.0 text)" ;;
esac
expect_eq "$(q asked.json get ask enabled)" false "asking twice"
expect_eq "$(q release.json get ask enabled)" false "asking to move the release day"
# One speaker reads the whole appointment: its kind, then when, where and its state.
grep -q '"spoken":"Release appointment\\n[^"]*\\n[^"]*Your release day cannot be moved' \
	"$OUT/release-read.json" || fail "the title's speaker did not read the whole appointment"
expect_visible release.json \
	"Your release day cannot be moved from here. Talk to your key worker or probation officer."

# ---- staff see the request and answer; Sam reads the answer, then dismisses the banner ----
ctl --as k.patel appointment requests >requests.txt
grep -q "I have a visit then" requests.txt || fail "the request did not reach staff"
request=$(sed -n 's/^request \([0-9]*\) (open).*/\1/p' requests.txt)
[ -n "$request" ] || fail "no open request in: $(cat requests.txt)"
ctl --as k.patel appointment answer "$request" --outcome agreed \
	--text "Yes. We will move it to Friday and tell you." >/dev/null
cat >app2.ui <<UI
wait-for "5 days to release" 20000
wait-for "Probation appointment"
tap id:appointments.1
wait-for "Staff answered: Yes. We will move it to Friday and tell you."
dump $OUT/answered.json
screenshot $OUT/answered.png
tap id:back
tap id:back-home
UI
cat >shell2.lines <<UI
wait-for "$visit_banner" 15000
tap id:tile-appointments
wait-for "The app is open" 10000
wait-for "Hello, Sam" 120000
wait-for "Appointments" 10000
UI
run_sam shell2.lines app2.ui

# The banners in turn: each hidden with its own button is dismissed in the daemon, and the
# next one shows.
{
	echo "wait-for \"1 of 2: $visit_banner\" 15000"
	echo "screenshot $OUT/banner-first.png"
	echo 'tap id:banner.1'
	echo "wait-for \"$answer_banner\" 15000"
	echo "dump $OUT/banner-next.json"
	echo "screenshot $OUT/banner-next.png"
	echo 'tap id:banner.0'
	echo 'wait-for "The reminder is hidden." 15000'
	echo 'wait 1500'
	echo "dump $OUT/banners-gone.json"
	echo "screenshot $OUT/banners-gone.png"
} >shell3.lines
run_sam shell3.lines app2.ui
ctl appointment list A1234BC >after.txt
grep -q "dismissed" after.txt || fail "no reminder was dismissed: $(cat after.txt)"
expect_eq "$(q banner-next.json get banner text)" "$answer_banner" "the last one, without a count"
expect_hidden banners-gone.json "$answer_banner"
expect_hidden banners-gone.json "$visit_banner"
expect_eq "$(q banners-gone.json get tile-appointments state.badge)" 0 "badge after dismissing"

# ---- in Welsh: Sam chooses Cymraeg in settings and the shell opens the app in Welsh; the
# app's words are Welsh, places, names and what staff wrote are as they were written ----
cat >app-cy.ui <<UI
wait-for "5 diwrnod tan eich rhyddhau" 20000
wait-for "Apwyntiad prawf"
dump $OUT/week-cy.json
screenshot $OUT/week-cy.png
tap id:appointments.1
wait-for "Atebodd staff: Yes. We will move it to Friday and tell you."
dump $OUT/answered-cy.json
screenshot $OUT/answered-cy.png
tap id:back
tap id:back-home
UI
cat >shell-cy.lines <<UI
tap id:tile-settings
wait-for "Text size"
tap "Cymraeg"
wait-for "Maint testun"
tap id:settings-back
wait-for "Helo, Sam"
tap id:tile-appointments
wait-for "Mae'r ap ar agor" 10000
wait-for "Helo, Sam" 120000
UI
run_sam shell-cy.lines app-cy.ui
expect_eq "$(q week-cy.json top language)" cy "language passed on by the shell"
expect_visible week-cy.json "Eich apwyntiadau"
expect_visible week-cy.json "5 diwrnod tan eich rhyddhau"
expect_visible week-cy.json "Yr wythnos"
expect_hidden week-cy.json "5 days to release"
# The kind in Welsh, and the week's last day mutated after "i" ("i Ddydd Sul").
grep -q ': Apwyntiad prawf"' week-cy.json || fail "the kind is not in Welsh"
! grep -q 'Probation appointment' week-cy.json || fail "an English kind in Welsh"
grep -q ' i Ddydd ' week-cy.json || fail "the week's range without the mutation after \"i\""
expect_visible answered-cy.json "Ble: Doncaster Probation Office"
expect_visible answered-cy.json "Gyda: Morgan Brown"
expect_visible answered-cy.json "Atebodd staff: Yes. We will move it to Friday and tell you."
expect_visible answered-cy.json "Yn ôl"
expect_hidden answered-cy.json "Where: Doncaster Probation Office"
# The day and the month in Welsh too ("Dydd Mercher 25 Tachwedd 2026 am 10:30").
case "$(q answered-cy.json get when text)" in
"Dydd "*" "[0-9]*" "*" 20"[0-9][0-9]" am "*) ;;
*) fail "the appointment's day in Welsh: '$(q answered-cy.json get when text)'" ;;
esac
echo "appointments e2e: ok"
