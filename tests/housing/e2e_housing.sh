#!/bin/sh
# The housing app as Sam would use it, through the real shell and onward-launch against
# the real daemon, under Xvfb: the housing tile opens it; the enquiry is answered a
# question at a time with big buttons, steps for the date and the on-screen keyboard,
# saved for later and carried on; Send is not offered until Sam agrees to share, and the
# check takes him to that question; sent, its status takes the start button's place.
# Staff reply with onwardctl, and the next time Sam opens the app he reads the reply (its
# time in words) and answers it. The directory of local services is filtered by area and
# kind (each switch beside its words), and a service is read aloud with its phone number
# still on screen. With Welsh chosen in settings the app speaks Welsh, and what Sam and
# staff wrote stays as written.
# Lee, whose release is further off, sees the housing tile locked with the policy's reason.
. "$(dirname "$0")/../shell/e2e-lib.sh"

# Sam (A1234BC) leaves in 60 days; Lee (B2345CD) in 200.
seed_housing() {
	ctl staff add admin --name "Ada Okafor" --role administrator >/dev/null
	ctl establishment add MDI --name "HMP Moorland" >/dev/null
	ctl staff add h.ali --name "Hana Ali" --role housing >/dev/null
	release=$(test_london %F $((60 * 86400))) # by the daemon's clock, not the machine's
	pin=$(ctl person add A1234BC --given Sam --family Jones --establishment MDI \
		--release-date "$release" | sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	lee_pin=$(ctl person add B2345CD --given Lee --family Walker --establishment MDI \
		--release-date "$(test_london %F $((200 * 86400)))" |
		sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
	[ -n "$pin" ] && [ -n "$lee_pin" ] || fail "no PINs"
	pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") ||
		fail "Sam cannot choose his own PIN"
	lee_pin=$("$BIN/test-choose-pin" "$state/control.sock" B2345CD "$lee_pin") ||
		fail "Lee cannot choose his own PIN"
	ctl app register housing --path "$BIN/onward-app-housing" --title "Housing" >/dev/null
}

# sam_opens_housing APP_SCRIPT: the shell script that logs Sam in, opens the app (which
# runs APP_SCRIPT) and waits for home again.
sam_opens_housing() {
	{
		type_number A1234BC
		type_pin "$pin"
		echo 'wait-for "Hello, Sam" 15000'
		echo 'wait-for "Housing" 15000'
		echo 'tap id:tile-housing'
		echo 'wait-for "The app is open" 10000'
		echo 'wait-for "Hello, Sam" 120000'
		echo 'wait-for "Housing" 10000'
		echo 'quit'
	} >sam.ui
	export ONWARD_APP_SCRIPT="$OUT/$1"
	run_shell sam.ui --app-timeout 110
}

daemon_start
seed_housing

# ---- the first visit: three questions, then "Save for later" ----
cat >visit1.ui <<UI
wait-for "You have not started a housing enquiry yet." 20000
screenshot $OUT/home-new.png
tap id:start
wait-for "When do you leave prison?"
wait-for "Our records say you leave on"
screenshot $OUT/q1-release.png
dump $OUT/q1.json
tap id:day-more
tap id:month-more
tap id:month-less
tap id:year-more
tap id:year-less
dump $OUT/q1-stepped.json
screenshot $OUT/q1-stepped.png
tap id:next
wait-for "Which area do you have a link to?"
tap id:back
wait-for "When do you leave prison?"
dump $OUT/q1-again.json
tap id:release-yes
wait-for "Which area do you have a link to?"
wait-for "Sheffield"
screenshot $OUT/q2-area.png
tap id:area-sheffield
wait-for "Where did you live before prison?"
tap id:address
type "14 Forge Lane, Sheffield"
screenshot $OUT/q3-keyboard.png
key Return
wait-for "Do you need any of these?"
tap id:need-children
tap id:need-health
screenshot $OUT/q4-needs.png
tap id:save-later
wait-for "Saved. You can carry on later."
dump $OUT/saved.json
screenshot $OUT/home-saved.png
tap id:back-home
UI
sam_opens_housing visit1.ui
expect_visible q1.json "Question 1 / 6"
# The date is chosen with steps, never typed: no field for it, and it shows in words.
! grep -q '"type": *"text-field"' q1.json || fail "a field to type the date in"
expect_visible q1.json "No date chosen yet."
expect_visible q1.json "Our records say you leave on $(test_london "%A %-d %B %Y" $((60 * 86400)))."
stepped=$(date -d "$release +1 day" "+%A %-d %B %Y")
expect_eq "$(q q1-stepped.json get release-words text)" "$stepped" "the date a day on"
expect_eq "$(q q1-again.json get release-words text)" "$stepped" "the date chosen, saved"
expect_eq "$(q saved.json top screen)" home "screen after saving for later"
expect_visible saved.json "Not sent yet. You can carry on where you left off."
expect_visible saved.json "Carry on with my enquiry"
ctl --json housing list --status draft | grep -q '"prison_number": "A1234BC"' ||
	fail "the draft was not stored"

# ---- the second visit: carries on at question 4, is refused without consent, sends ----
cat >visit2.ui <<UI
wait-for "Carry on with my enquiry" 20000
tap id:start
wait-for "Do you need any of these?"
dump $OUT/resumed.json
tap id:next
wait-for "How can the council reach you after you leave?"
tap id:contact
type "07700 900123"
key Return
wait-for "Can we share your answers with the council?"
screenshot $OUT/q6-consent.png
tap id:next
wait-for "Check your answers"
dump $OUT/check.json
screenshot $OUT/q7-check.png
tap id:consent-go
wait-for "Can we share your answers with the council?"
dump $OUT/consent-again.json
tap id:consent
tap id:next
wait-for "Check your answers"
dump $OUT/check-agreed.json
tap id:send
wait-for "Sent. The housing team will look at it soon."
dump $OUT/sent.json
screenshot $OUT/sent.png
tap id:back
wait-for "See replies about my enquiry"
dump $OUT/home-sent.json
screenshot $OUT/home-sent.png
tap id:back-home
UI
sam_opens_housing visit2.ui
expect_eq "$(q resumed.json get need-children state.checked)" true "children, resumed"
expect_eq "$(q resumed.json get need-health state.checked)" true "health, resumed"
expect_eq "$(q resumed.json get need-accessibility state.checked)" false "access, resumed"
summary=$(q check.json get summary text)
for line in "Your area: Sheffield" "Where you lived: 14 Forge Lane, Sheffield" \
	"What you need: children living with you, health needs" \
	"How to reach you: phone 07700 900123" "Sharing with the council: not yet agreed"; do
	case $summary in *"$line"*) ;; *) fail "summary without \"$line\": $summary" ;; esac
done
# Send is not offered until sharing is agreed: the check says so and goes to the question.
expect_eq "$(q check.json get send visible)" false "Send before agreeing to share"
expect_visible check.json "You have not agreed to share your answers with the council yet. \
We can only send your enquiry when you agree."
expect_eq "$(q consent-again.json top screen)" q6 "the question that needs an answer"
expect_eq "$(q check-agreed.json get send visible)" true "Send once sharing is agreed"
expect_eq "$(q check-agreed.json get consent-go visible)" false "no need to agree again"
case $(q check-agreed.json get summary text) in
*"You leave on: $(test_london "%A %-d %B %Y" $((60 * 86400)))"*) ;;
*) fail "the release date in words in the check" ;;
esac
# Sent: the start button goes; the enquiry's status is there instead.
expect_eq "$(q home-sent.json get start visible)" false "Start after sending"
expect_visible home-sent.json "Sent. The housing team will look at it soon."
expect_eq "$(q sent.json top screen)" status "screen after sending"
ctl housing show A1234BC >show1.txt
grep -q "submitted" show1.txt || fail "not submitted"
grep -q "consent to share:  yes" show1.txt || fail "no consent stored"

# ---- staff reply; the third visit reads it and answers; then local services ----
ctl --as h.ali housing status A1234BC acknowledged --note "Sheffield council has your referral." \
	>/dev/null
ctl --as h.ali housing reply A1234BC --text "Can you take a phone call on Monday morning?" \
	>/dev/null
cat >visit3.ui <<UI
wait-for "The council has your enquiry." 20000
tap id:replies
wait-for "Can you take a phone call on Monday morning?"
dump $OUT/replies.json
screenshot $OUT/replies.png
tap id:reply
type "Yes, Monday morning is fine."
tap id:send-reply
wait-for "Your message has been sent."
wait-for "Yes, Monday morning is fine."
dump $OUT/replied.json
screenshot $OUT/replied.png
tap id:back
tap id:find-services
wait-for "Local services"
wait-for "Doncaster"
tap id:area-filter.2
tap id:category-1
wait-for "Sheffield Housing Help Point"
dump $OUT/directory.json
screenshot $OUT/directory.png
tap id:services.0
wait-for "Read it to me"
screenshot $OUT/service.png
dump $OUT/service.json
tap id:dialog.0
wait 300
dump $OUT/service-read.json
screenshot $OUT/service-read.png
tap id:dialog.1
wait 300
tap id:back
tap id:back-home
UI
sam_opens_housing visit3.ui
expect_visible replied.json "You sent your enquiry."
expect_visible replied.json \
	"Hana Ali: The council has your enquiry. Sheffield council has your referral."
expect_visible replied.json "Hana Ali: Can you take a phone call on Monday morning?"
expect_visible replied.json "You: Yes, Monday morning is fine."
ctl housing show A1234BC | grep -q "Yes, Monday morning is fine." || fail "reply not stored"
expect_visible directory.json "Sheffield Housing Help Point (Housing)"
expect_hidden directory.json "Leeds Housing Options (Housing)"
expect_eq "$(q directory.json get services state.rows)" 2 "Sheffield housing services"
grep -q "Phone: 0114 496 0201" service.json || fail "the service's phone is not shown"
# Read aloud, the number stays on screen to be written down.
expect_eq "$(q service-read.json top dialog)" true "the service after Read it to me"
grep -q "Phone: 0114 496 0201" service-read.json || fail "the phone went when it was read"
# Each switch sits beside its own words: it ends well before the next kind of help starts.
for i in 0 1 2; do
	x=$(q directory.json get category-$i x)
	w=$(q directory.json get category-$i w)
	next=$(q directory.json get category-$((i + 1)) x)
	[ "$(q directory.json get category-$((i + 1)) y)" = "$(q directory.json get category-$i y)" ] ||
		continue
	[ $((x + w)) -lt $((next - 40)) ] ||
		fail "the switch of category-$i ($x+$w) is beside the next one's words ($next)"
done
# Times in the thread as people say them, not 2026-12-09 10:00.
! grep -Eq '"(text|detail)": ?"[^"]*20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]' replied.json ||
	fail "a date like 2026-12-09 in the thread"
grep -q "\"detail\": *\"$(test_london "%A %-d %B"), [0-9][0-9]:[0-9][0-9]\"" replied.json ||
	fail "the thread's times are not in words"

# ---- in Welsh: Sam chooses Cymraeg in settings and the shell opens the app in Welsh; the
# app's words are Welsh, what Sam and staff wrote is as they wrote it ----
cat >visit4.ui <<UI
wait-for "Mae eich ymholiad gan y cyngor." 20000
dump $OUT/home-cy.json
screenshot $OUT/home-cy.png
tap id:replies
wait-for "Can you take a phone call on Monday morning?"
dump $OUT/replies-cy.json
screenshot $OUT/replies-cy.png
tap id:back
tap id:find-services
wait-for "Gwasanaethau lleol"
wait-for "Doncaster"
tap id:area-filter.2
tap id:category-1
wait-for "Sheffield Housing Help Point"
dump $OUT/directory-cy.json
screenshot $OUT/directory-cy.png
tap id:back
tap id:back-home
UI
{
	type_number A1234BC
	type_pin "$pin"
	echo 'wait-for "Hello, Sam" 15000'
	echo 'wait-for "Housing" 15000'
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Maint testun"'
	echo 'tap id:settings-back'
	echo 'wait-for "Helo, Sam"'
	echo 'tap id:tile-housing'
	echo "wait-for \"Mae'r ap ar agor\" 10000"
	echo 'wait-for "Helo, Sam" 120000'
	echo 'quit'
} >sam-cy.ui
export ONWARD_APP_SCRIPT="$OUT/visit4.ui"
run_shell sam-cy.ui --app-timeout 110
expect_eq "$(q home-cy.json top language)" cy "language passed on by the shell"
expect_visible home-cy.json "Tai"
expect_visible home-cy.json "Gweld atebion am fy ymholiad"
expect_visible home-cy.json "Chwilio am wasanaethau lleol"
expect_hidden home-cy.json "Find local services"
expect_visible replies-cy.json "Anfonoch chi eich ymholiad."
expect_visible replies-cy.json \
	"Hana Ali: Mae eich ymholiad gan y cyngor. Sheffield council has your referral."
expect_visible replies-cy.json "Hana Ali: Can you take a phone call on Monday morning?"
expect_visible replies-cy.json "Chi: Yes, Monday morning is fine."
expect_visible directory-cy.json "Sheffield Housing Help Point (Tai)"
expect_visible directory-cy.json "Pa fath o help:"

# ---- Lee: the tile is locked with the policy's reason ----
{
	type_number B2345CD
	type_pin "$lee_pin"
	echo 'wait-for "Hello, Lee" 15000'
	echo 'wait-for "Housing" 15000'
	echo 'tap id:tile-housing'
	echo 'wait-for "Housing help opens 12 weeks before your release date."'
	echo "dump $OUT/lee.json"
	echo "screenshot $OUT/lee-locked.png"
	echo 'quit'
} >lee.ui
run_shell lee.ui
expect_eq "$(q lee.json get tile-housing state.locked)" true "Lee's housing tile"
echo "housing e2e: ok"
