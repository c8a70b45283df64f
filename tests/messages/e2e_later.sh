#!/bin/sh
# At night, through the shell, as on the tablet: Sam opens his mother's conversation and
# the compose screen says, before he types a word, that family messages are closed at
# night and that his message can go when messaging opens at 07:00. He has written "good"
# before (to his worker), so typing "go" offers "good", which a tap finishes. A long
# message grows the box to several lines. "Send it when messaging opens" puts it in the
# conversation as "Waiting: it will go when messaging opens at 07:00.", with "Do not send
# it"; a second one he takes back, and its words wait for him in the compose box. The
# daemon is killed and started again; at 07:00 by its clock the waiting message goes, and
# the conversation says "Sent."; the list shows his last words and when ("Today 07:00").
# Then the same list in Welsh.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
test_clock_set 2026-12-09T22:00:00Z # night: family messages closed, the worker's open
ctl admin message deliver-inbound A1234BC --from 1 --text "Night night love" >/dev/null

# shell_run N APP_SCRIPT: Sam logs in through the shell and opens Messages, whose app
# runs APP_SCRIPT.
shell_run() {
	{
		open_messages
		echo 'tap id:tile-messages'
		echo 'wait-for "The app is open" 10000'
		echo 'wait-for "Hello, Sam" 120000'
		echo 'quit'
	} >"shell$1.ui"
	run_shell "shell$1.ui" "$2"
}

# ---- 1: the worker first (open at night), then his mother, told before typing ----
long="i hope you are keeping well and that the dog is behaving himself because i miss him a lot"
cat >app1.ui <<UI
wait-for "My worker" 20000
tap id:threads.0
wait-for "My worker: Kiran Patel" 10000
tap id:write
$(type_words "good good news")
tap id:send
wait-for "Sent." 10000
tap id:thread-back
wait-for "My worker" 10000
tap id:threads.1
wait-for "Night night love" 10000
tap id:write
wait-for "It will go when messaging opens at 07:00." 10000
dump $OUT/1-closed.json
screenshot $OUT/1-closed.png
$(type_words "go")
wait-for "good" 5000
dump $OUT/1-words.json
tap id:word-0
$(type_words "night mum $long")
dump $OUT/1-long.json
screenshot $OUT/1-long.png
tap id:send-later
wait-for "Waiting: it will go when messaging opens at 07:00." 10000
tap id:write
$(type_words "sorry ignore that")
tap id:send-later
wait-for "Night night love" 10000
wait-for "sorry ignore that" 10000
dump $OUT/1-waiting.json
screenshot $OUT/1-waiting.png
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
shell_run 1 app1.ui
expect_visible 1-closed.json "Messages to family and friends are closed at night, 21:00 to 07:00. You can write now. It will go when messaging opens at 07:00."
expect_eq "$(q 1-closed.json get compose-field state.value)" "" "told before a word is typed"
expect_eq "$(q 1-closed.json get send-later visible)" true "Send it when messaging opens"
expect_eq "$(q 1-words.json get word-0 text)" "good" "his own frequent word offered"
expect_eq "$(q 1-long.json get compose-field state.value)" "good night mum $long" \
	"the offered word finished, then typing on"
lines=$(q 1-long.json get compose-field state.lines)
[ "${lines:-0}" -ge 2 ] || fail "the box did not grow with the text (lines: $lines)"
expect_visible 1-waiting.json "Waiting: it will go when messaging opens at 07:00."
ids=$(ctl o.reed --json message thread A1234BC 1 |
	sed -n 's/^ *"id": \([0-9]*\),*$/\1/p')
first=$(echo "$ids" | sed -n 2p)
second=$(echo "$ids" | sed -n 3p)
[ -n "$first" ] && [ -n "$second" ] || fail "the two waiting messages are not in the store"
expect_eq "$(q 1-waiting.json get msg-$second-cancel visible)" true "Do not send it"

# ---- 2: he takes the second back; its words come back to the compose box ----
cat >app2.ui <<UI
wait-for "Jo Jones" 20000
tap id:threads.1
wait-for "sorry ignore that" 10000
tap id:msg-$second-cancel
wait-for "It will not be sent." 10000
wait 1500
dump $OUT/2-cancelled.json
tap id:write
wait-for "It will go when messaging opens" 10000
dump $OUT/2-words-back.json
tap id:compose-back
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
shell_run 2 app2.ui
q 2-cancelled.json hidden "sorry ignore that" || fail "a taken-back message still shown"
expect_eq "$(q 2-words-back.json get compose-field state.value)" "sorry ignore that" \
	"the words taken back wait in the compose box"

# ---- 3: the daemon restarts; at 07:00 the waiting message goes ----
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
# It starts again at 07:00 the next morning, by its own clock.
ONWARD_TEST_CLOCK=2026-12-10T07:00:05Z
export ONWARD_TEST_CLOCK
daemon_start
cat >app3.ui <<UI
wait-for "Jo Jones" 20000
wait 2500
dump $OUT/3-threads.json
screenshot $OUT/3-threads.png
tap id:threads.1
wait-for "Sent." 10000
dump $OUT/3-sent.json
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
shell_run 3 app3.ui
case "$(q 3-threads.json get threads.1 state.detail)" in
"mother · Today 07:00 · You: good night mum i hope"*) ;;
*) fail "Jo's row shows '$(q 3-threads.json get threads.1 state.detail)'" ;;
esac
expect_visible 3-sent.json "Sent."
ctl admin --json message outbox | grep -q "good night mum" ||
	fail "the waiting message did not reach the outbox"
! ctl admin --json message outbox | grep -q "sorry ignore that" ||
	fail "a taken-back message was sent"

# ---- 4: the list in Welsh ----
cat >app4.ui <<UI
wait-for "Fy ngweithiwr" 20000
wait-for "Jo Jones" 10000
dump $OUT/4-threads.json
tap id:back-home
UI
{
	echo 'tap "Cymraeg"'
	echo 'wait-for "Rhif carchar" 5000'
	open_messages | sed 's/"Hello, Sam"/"Helo, Sam"/; s/"Messages"/"Negeseuon"/'
	echo 'tap id:tile-messages'
	echo "wait-for \"Mae'r ap ar agor\" 10000"
	echo 'wait-for "Helo, Sam" 120000'
	echo 'quit'
} >shell4.ui
run_shell shell4.ui app4.ui
case "$(q 4-threads.json get threads.1 state.detail)" in
"mam · Heddiw 07:00 · Chi: good night mum"*) ;;
*) fail "Jo's row in Welsh shows '$(q 4-threads.json get threads.1 state.detail)'" ;;
esac
ctl admin audit verify >/dev/null || fail "audit chain"
echo "messages later e2e: ok"
