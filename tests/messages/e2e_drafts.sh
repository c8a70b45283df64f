#!/bin/sh
# Words written for one person never go to another, through the shell as on the tablet.
# At night (22:00 by the daemon's clock) Sam writes to his mother: family messages are
# closed, and the screen says so before he types, with "Send it when messaging opens" the
# one way to send. He goes back without sending and opens his worker's conversation:
# the compose box is empty and its button says "Send to your worker"; what he writes there
# is kept for his worker. Back in his mother's conversation, his words to her are there
# again, under "Write to Jo Jones". He sends his worker's message; the daemon has it in
# his worker's conversation only. Home, with his words to his mother still unsent, asks
# before they are lost ("Stay and finish it" stays). Then the same in Welsh ("diolch mam" left for his
# mother, "Anfon at eich gweithiwr", nothing of it sent to the key worker).
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
test_clock_set 2026-12-09T22:00:00Z # night: family messages are closed, the worker's open

# write_to ROW THREAD_WORDS BUTTON_WORDS: app script lines that open conversation ROW of
# the list, wait for its words, and open the compose screen with its Send button.
write_to() {
	echo "tap id:threads.$1"
	echo "wait-for \"$2\" 10000"
	echo "tap id:write"
	echo "wait-for \"$3\""
}

# leave LIST_WORDS: lines that go from the compose screen back to the list.
leave() {
	echo "tap id:compose-back"
	echo "tap id:thread-back"
	echo "wait-for \"$1\" 10000"
}

# ---- 1: in English ----
mum() { write_to 1 "No messages yet" "Send it when messaging opens"; }
kiran() { write_to 0 "My worker: Kiran Patel" "Send to your worker"; }
cat >app1.ui <<UI
wait-for "My worker" 20000
$(mum)
wait-for "It will go when messaging opens at 07:00." 10000
dump $OUT/1-closed.json
$(type_words "good night mum")
dump $OUT/1-typed.json
screenshot $OUT/1-typed.png
$(leave "My worker")
$(kiran)
dump $OUT/1-worker.json
screenshot $OUT/1-worker.png
$(type_words "see you soon")
$(leave "My worker")
$(mum)
dump $OUT/1-mum-again.json
screenshot $OUT/1-mum-again.png
$(leave "My worker")
$(kiran)
dump $OUT/1-worker-again.json
tap id:send
wait-for "My worker: Kiran Patel" 10000
wait-for "see you soon" 10000
dump $OUT/1-sent.json
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
wait-for "Your message is not sent yet. If you leave Messages now, it will be lost." 5000
dump $OUT/1-leaving.json
tap id:dialog.0
wait 300
dump $OUT/1-stayed.json
tap id:back-home
wait-for "Leave without sending" 5000
tap id:dialog.1
UI
{
	open_messages
	echo 'tap id:tile-messages'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 120000'
	echo 'quit'
} >shell1.ui
run_shell shell1.ui app1.ui
expect_visible 1-closed.json "Messages to family and friends are closed at night, 21:00 to 07:00. You can write now. It will go when messaging opens at 07:00."
expect_eq "$(q 1-closed.json get compose-field state.value)" "" "told before a word is typed"
expect_eq "$(q 1-closed.json get send-later visible)" true "Send it when messaging opens"
expect_eq "$(q 1-closed.json get send visible)" false "a Send that would be refused"
expect_eq "$(q 1-typed.json get compose-field state.value)" "good night mum" "typed for Jo"
expect_eq "$(q 1-worker.json get compose-field state.value)" "" \
	"the worker's compose box, after writing to Jo"
expect_eq "$(q 1-worker.json get send text)" "Send to your worker" "the worker's Send button"
expect_eq "$(q 1-worker.json get compose-title text)" "Write to your worker" "its title"
expect_eq "$(q 1-mum-again.json get compose-field state.value)" "good night mum" \
	"Jo's draft, kept for Jo"
expect_eq "$(q 1-mum-again.json get compose-title text)" "Write to Jo Jones" "Jo's title"
expect_eq "$(q 1-worker-again.json get compose-field state.value)" "see you soon" \
	"the worker's draft, kept for the worker"
# Home with Jo's words still unsent asks first; staying keeps them.
expect_eq "$(q 1-leaving.json top dialog)" true "Home asks before unsent words are lost"
expect_eq "$(q 1-stayed.json top dialog)" false "Stay and finish it"
expect_visible 1-stayed.json "My worker"
expect_visible 1-sent.json "see you soon"
expect_visible 1-sent.json "Sent."
worker=$(ctl k.patel --json message thread A1234BC worker)
echo "$worker" | grep -q "see you soon" || fail "the worker did not get 'see you soon'"
! echo "$worker" | grep -q "good night mum" || fail "Sam's words to his mother reached his worker"

# ---- 2: in Welsh, chosen on the login screen ----
cat >app2.ui <<UI
wait-for "Fy ngweithiwr" 20000
$(write_to 1 "Dim negeseuon eto" "Anfon pan fydd negeseuon yn agor")
wait-for "ar gau yn y nos" 10000
dump $OUT/2-mam.json
screenshot $OUT/2-mam.png
$(type_words "diolch mam")
$(leave "Fy ngweithiwr")
$(write_to 0 "Fy ngweithiwr: Kiran Patel" "Anfon at eich gweithiwr")
dump $OUT/2-worker.json
screenshot $OUT/2-worker.png
$(type_words "helo kiran")
tap id:send
wait-for "Fy ngweithiwr: Kiran Patel" 10000
wait-for "helo kiran" 10000
dump $OUT/2-sent.json
tap id:thread-back
wait-for "Fy ngweithiwr" 10000
tap id:back-home
wait-for "Gadael heb anfon" 5000
tap id:dialog.1
UI
{
	echo 'tap "Cymraeg"'
	echo 'wait-for "Rhif carchar" 5000'
	open_messages | sed 's/"Hello, Sam"/"Helo, Sam"/; s/"Messages"/"Negeseuon"/'
	echo 'tap id:tile-messages'
	echo "wait-for \"Mae'r ap ar agor\" 10000"
	echo 'wait-for "Helo, Sam" 120000'
	echo 'quit'
} >shell2.ui
run_shell shell2.ui app2.ui
expect_eq "$(q 2-mam.json top language)" cy "Welsh passed on to the app"
expect_eq "$(q 2-mam.json get compose-title text)" "Ysgrifennu at Jo Jones" "Jo's title in Welsh"
expect_eq "$(q 2-worker.json get compose-field state.value)" "" \
	"the worker's compose box, after 'diolch mam' was left for Jo"
expect_eq "$(q 2-worker.json get send text)" "Anfon at eich gweithiwr" \
	"the worker's Send button in Welsh"
expect_visible 2-sent.json "helo kiran"
worker=$(ctl k.patel --json message thread A1234BC worker)
echo "$worker" | grep -q "helo kiran" || fail "the worker did not get 'helo kiran'"
! echo "$worker" | grep -q "diolch mam" || fail "'diolch mam' was sent to the key worker"
echo "messages drafts e2e: ok"
