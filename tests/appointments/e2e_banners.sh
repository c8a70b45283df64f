#!/bin/sh
# Reminder banners as Sam meets them, through the real shell against the real daemon,
# under Xvfb. Two reminders are due: the banner has a place of its own above the screen,
# says "1 of 2", and covers nothing, on the home screen (the greeting and its speaker) or
# on Settings (the title, Back, and "Text size" at the largest text). Tapping Back there
# dismisses nothing. "Next" shows the other; "Hide" dismisses that one in the daemon, the
# badge says 1 and the other shows. The Appointments app still lists both, the hidden one
# saying so. After logging out, the login screen shows none of Sam's reminders. In Welsh
# the banner's button is "Cuddio", and it still covers nothing.
. "$(dirname "$0")/../shell/e2e-lib.sh"

# day N: the date N days on, by the daemon's clock, in London.
day() { test_london %F $(($1 * 86400)); }

export TZ=Europe/London
daemon_start
ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
ctl establishment add MDI --name "HMP Moorland" >/dev/null
ctl staff add k.patel --name "Kiran Patel" --role key_worker --establishment MDI >/dev/null
pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI |
	sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
[ -n "$pin" ] || fail "no PIN for A1234BC"
pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
	fail "Sam cannot choose his own PIN"
ctl app register appointments --path "$BIN/onward-app-appointments" \
	--title "Appointments" >/dev/null
# A day's notice for each, too late for both: each reminds at once.
ctl appointment set-leads visit --leads 1d >/dev/null
ctl appointment set-leads health --leads 1d >/dev/null
visit_at=$(test_london '%Y-%m-%d %H:%M' 10800)
onwardctl_as "$BIN" "$state" --as k.patel appointment add A1234BC --kind visit \
	--at "$visit_at" --where "Visits hall" --with "Maria Jones" >/dev/null
onwardctl_as "$BIN" "$state" --as k.patel appointment add A1234BC --kind health \
	--at "$(day 1) 09:00" --where "Healthcare unit" >/dev/null
if [ "${visit_at% *}" = "$(day 0)" ]; then when=today; else when=tomorrow; fi
visit="Reminder: your visit is $when at ${visit_at#* }, at Visits hall."
health="Reminder: your health appointment is tomorrow at 09:00, at Healthcare unit."

# not_covered DUMP WHAT: nothing of the screen is under the banner.
not_covered() {
	covered=$(q "$1" covered banner) || fail "$2: the banner covers: $covered"
}

dismissed() {
	ctl appointment list A1234BC | grep -c "dismissed" || true
}

# ---- at home and in Settings: the banner covers nothing, and Back dismisses nothing ----
cat >app.ui <<UI
wait-for "Reminders (2)" 20000
tap id:reminders-open
wait-for "Your reminders"
wait-for "$health"
dump $OUT/app-reminders.json
screenshot $OUT/app-reminders.png
tap id:reminders-back
tap id:back-home
UI
export ONWARD_APP_SCRIPT="$OUT/app.ui"
{
	type_number A1234BC
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo "wait-for \"1 of 2: $visit\" 15000"
	echo "dump $OUT/home.json"
	echo "screenshot $OUT/home.png"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo "dump $OUT/settings.json"
	echo "screenshot $OUT/settings.png"
	echo 'tap "Largest"'
	echo 'wait 500'
	echo "dump $OUT/settings-largest.json"
	echo "screenshot $OUT/settings-largest.png"
	echo 'tap id:settings-back'
	echo 'wait-for "Hello, Sam"'
	echo 'wait 1000'
	echo "dump $OUT/home-back.json"
	echo "screenshot $OUT/home-back.png"
	echo 'tap id:banner.0'
	echo "wait-for \"2 of 2: $health\""
	echo "dump $OUT/next.json"
	echo 'tap id:banner.1'
	echo 'wait-for "The reminder is hidden. You can see it again in Appointments." 10000'
	echo 'wait 1500'
	echo "dump $OUT/hidden.json"
	echo "screenshot $OUT/hidden.png"
	echo 'tap id:tile-appointments'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 120000'
	echo "dump $OUT/after-app.json"
	echo 'tap id:tile-logout'
	echo 'tap "Yes, log out"'
	echo 'wait-for "Prison number" 10000'
	echo "dump $OUT/login.json"
	echo "screenshot $OUT/login.png"
	echo 'quit'
} >sam.ui
run_shell sam.ui --app-timeout 110

expect_eq "$(q home.json get tile-appointments state.badge)" 2 "the badge"
expect_eq "$(q home.json get banner text)" "1 of 2: $visit" "the banner says how many"
not_covered home.json "home"
expect_visible home.json "Hello, Sam"
not_covered settings.json "Settings"
expect_visible settings.json "Settings"
expect_eq "$(q settings.json get settings-back visible)" true "Settings' Back button"
expect_eq "$(q settings-largest.json top text_size)" largest "the largest text"
not_covered settings-largest.json "Settings at the largest text"
expect_visible settings-largest.json "Text size"
expect_eq "$(q home-back.json top screen)" home "back home"
expect_eq "$(q home-back.json get banner text)" "1 of 2: $visit" "still both reminders"
expect_eq "$(q home-back.json get tile-appointments state.badge)" 2 "the badge after Back"
not_covered next.json "the second reminder"
expect_eq "$(q hidden.json get tile-appointments state.badge)" 1 "the badge after Hide"
expect_eq "$(q hidden.json get banner text)" "$visit" "the other reminder, alone"
not_covered hidden.json "home, after hiding one"
expect_eq "$(dismissed)" 1 "reminders dismissed in the daemon"
# The app lists both, the hidden one saying so.
expect_visible app-reminders.json "$visit"
expect_visible app-reminders.json "$health"
expect_visible app-reminders.json "You hid this on the home screen."
# Logged out: nothing of Sam's on the login screen.
expect_hidden login.json "$visit"
q login.json get banner text >/dev/null 2>&1 && fail "a banner on the login screen"

# ---- in Welsh, at the largest text: the banner still covers nothing ----
{
	type_number A1234BC
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo "wait-for \"$visit\" 15000"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'drag 640 700 640 250 1500' # the language is further down at the largest text
	echo 'wait 300'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Iaith"'
	echo "dump $OUT/settings-cy.json"
	echo "screenshot $OUT/settings-cy.png"
	echo 'drag 640 250 640 700 1500'
	echo 'wait 300'
	echo 'tap id:settings-back'
	echo 'wait-for "Helo, Sam"'
	echo "dump $OUT/home-cy.json"
	echo "screenshot $OUT/home-cy.png"
	echo 'quit'
} >cy.ui
run_shell cy.ui
expect_eq "$(q settings-cy.json top text_size)" largest "Sam's largest text, kept"
not_covered settings-cy.json "Settings in Welsh"
expect_visible settings-cy.json "Cuddio"
expect_visible home-cy.json "Cuddio"
not_covered home-cy.json "home in Welsh"
expect_eq "$(dismissed)" 1 "nothing else dismissed"
echo "appointments banners e2e: ok"
