#!/bin/sh
# Sam uses the Messages app as a person would (started on a channel from onward.App.Open,
# as the shell starts it; e2e_messages_shell.sh goes through the shell): his
# conversations (his worker first), reading his mother's message, writing back on the
# on-screen keyboard with the counter, a message held by the word list, and to Pat, whom
# staff have not approved, a send refused with the policy's reason and a request to look
# again from the refusal itself; then, after an officer has stopped the held message with
# a reason and night has fallen (22:00 by the daemon's clock, the regime on "auto":
# national.cedar's hours, not a regime set by hand): the stopped message with its reason
# and "Ask staff to look at this"; a message to his mother that can only wait (the one
# button, and Enter, say "Send it when messaging opens": nothing sure to be refused is
# offered); his worker's thread still open at night; the next morning, with the largest
# text and high contrast, the night's message gone to his mother, "Read by staff
# (officer, Today, 08:00)", the conversation read aloud, and staff's answer in Pat's
# conversation; last, in Welsh: the app's own words in Welsh, what Sam, his mother and
# staff wrote as they wrote it.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
ctl admin message deliver-inbound A1234BC --from 1 --text "Hi Sam, it's Mum. Are you eating well?" \
	>/dev/null
ctl k.patel message send-as-worker A1234BC --text "Hello Sam, I'm Kiran, your key worker." \
	>/dev/null
ctl o.reed wordlist add parcel >/dev/null

# ---- 1: reading and writing in the day ----
cat >app1.ui <<UI
wait-for "My worker" 20000
wait-for "new message" 10000
screenshot $OUT/1-threads.png
dump $OUT/1-threads.json
tap id:threads.1
wait-for "Are you eating well?" 10000
screenshot $OUT/1-thread.png
dump $OUT/1-thread.json
tap id:write
wait-for "0 / 1000"
$(type_words "yes i am")
wait-for "8 / 1000"
screenshot $OUT/1-compose.png
dump $OUT/1-compose.json
tap id:key-enter
wait-for "Sent." 10000
wait-for "yes i am" 10000
tap id:write
$(type_words "thank you for the parcel")
tap id:key-enter
wait-for "Held for a staff check." 10000
screenshot $OUT/1-held.png
dump $OUT/1-held.json
tap id:thread-back
wait-for "Pat Smith" 10000
dump $OUT/1-back.json
tap id:threads.2
wait 1000
tap id:write
$(type_words "hello pat")
tap id:key-enter
wait-for "This was not sent." 10000
screenshot $OUT/1-refused.png
dump $OUT/1-refused.json
tap id:refusal-ask
wait-for "What you wrote" 10000
screenshot $OUT/1-review.png
dump $OUT/1-review.json
tap id:thread-back
wait-for "Pat Smith" 10000
tap id:back-home
UI
run_app app1.ui
expect_eq "$(q 1-threads.json get threads.0 text)" "My worker · 1 new message" "the worker first"
expect_eq "$(q 1-threads.json get threads.1 text)" "Jo Jones · 1 new message" "then Jo"
expect_visible 1-thread.json "Hi Sam, it's Mum. Are you eating well?"
expect_eq "$(q 1-compose.json top keyboard)" true "on-screen keyboard up"
expect_eq "$(q 1-compose.json get compose-field state.value)" "yes i am" "typed on screen"
expect_eq "$(q 1-compose.json get compose-count text)" "8 / 1000" "counter"
expect_visible 1-held.json "Held for a staff check. Staff will check this message before it goes."
expect_visible 1-back.json "Pat Smith"
held=$(ctl o.reed --json message queue | sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -n1)
[ -n "$held" ] || fail "nothing held in the queue"
ctl o.reed message reject "$held" --reason "Please ask staff about parcels." >/dev/null
test_clock_set 2026-12-09T22:00:00Z # night falls

# ---- 2: at night: a stopped message, asking staff, a message that waits for morning ----
cat >app2.ui <<UI
wait-for "Jo Jones" 20000
tap id:threads.1
wait-for "Please ask staff about parcels." 10000
screenshot $OUT/2-stopped.png
dump $OUT/2-stopped.json
tap id:msg-$held-ask
wait-for "Staff will look at this." 10000
tap id:write
wait-for "Send it when messaging opens" 10000
dump $OUT/2-night.json
$(type_words "good night mum")
tap id:key-enter
wait-for "Waiting: it will go when messaging opens at 07:00." 10000
screenshot $OUT/2-waiting.png
dump $OUT/2-waiting.json
tap id:thread-back
wait-for "My worker" 10000
tap id:threads.0
wait-for "your key worker" 10000
tap id:write
$(type_words "thank you kiran")
tap id:key-enter
wait-for "Sent." 10000
screenshot $OUT/2-worker.png
dump $OUT/2-worker.json
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
run_app app2.ui
expect_visible 2-stopped.json "Not sent. Please ask staff about parcels."
expect_eq "$(q 2-stopped.json get msg-$held-ask visible)" true "Ask staff to look at this"
# At night the one way to send is to wait: said before a word is typed.
expect_visible 2-night.json \
	"Messages to family and friends are closed at night, 21:00 to 07:00. You can write now. It will go when messaging opens at 07:00."
expect_eq "$(q 2-night.json get send visible)" false "a Send that would be refused, offered at night"
expect_eq "$(q 2-night.json get send-later visible)" true "Send it when messaging opens"
expect_visible 2-waiting.json "good night mum"
expect_visible 1-refused.json "You can only message people staff have approved. Ask your key worker."
expect_eq "$(q 1-refused.json get refusal-ask visible)" true "Ask staff to look at this"
expect_visible 1-review.json "Staff will look at this. The reason it was not sent: You can only message people staff have approved. Ask your key worker."
expect_visible 2-worker.json "thank you kiran"
expect_visible 2-worker.json "Sent."
reviews=$(ctl o.reed --json message reviews | grep -c '"kind": "review"')
expect_eq "$reviews" 2 "review requests waiting"
# The oldest request is the one about the refusal, made in the day (ids grow).
review=$(ctl o.reed --json message reviews | sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -n1)
[ -n "$review" ] || fail "no review for the refusal"
answer=$(ctl o.reed --json message review-answer "$review" \
	--text "Pat is not approved yet. We will tell you when." |
	sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -n1)
[ -n "$answer" ] || fail "no answer"
test_clock_set 2026-12-10T08:00:00Z # the next morning, when an officer reads the thread
ctl o.reed message thread A1234BC 1 >/dev/null

# ---- 3: largest text, high contrast: the night's message gone, the staff read, aloud ----
cat >app3.ui <<UI
wait-for "Jo Jones" 20000
tap id:threads.1
wait-for "good night mum" 10000
wait-for "Read by staff (officer" 10000
screenshot $OUT/3-large.png
dump $OUT/3-large.json
tap id:thread-title-speak
dump $OUT/3-speaking.json
wait-speech 30000
tap id:thread-back
wait-for "Pat Smith" 10000
tap id:threads.2
wait-for "Pat is not approved yet." 10000
dump $OUT/3-pat.json
tap id:thread-back
wait-for "My worker" 10000
tap id:back-home
UI
run_app app3.ui --text-size largest --high-contrast --speech-wav "$OUT/3-speech.wav"
expect_eq "$(q 3-large.json top text_size)" largest "text size passed to the app"
expect_eq "$(q 3-large.json top theme)" high-contrast "contrast passed to the app"
# The message that waited went at opening, moderated as any other: no word of the list.
q 3-large.json hidden "Waiting: it will go when messaging opens at 07:00." ||
	fail "the night's message still waiting in the morning"
# The newest read first; staff read it more than once (queue, reviews, the thread).
case "$(q 3-large.json get thread-reads text | head -n1)" in
"Read by staff (officer, Today, 08:00)") ;;
*) fail "staff read shown as '$(q 3-large.json get thread-reads text)'" ;;
esac
expect_eq "$(q 3-large.json get thread-reads visible)" true "staff read on screen"
expect_eq "$(q 3-speaking.json top speaking)" true "reading the conversation aloud"
grep -q '"spoken":"Jo Jones' 3-speaking.json || fail "the title's speaker did not read the conversation"
[ "$(wc -c <3-speech.wav)" -gt 10000 ] || fail "no speech written to 3-speech.wav"
expect_visible 3-pat.json "Pat is not approved yet. We will tell you when."
expect_visible 3-pat.json "What you wrote: “hello pat”"

# ---- 4: in Welsh: the app's words are Welsh, what people wrote is as they wrote it ----
cat >app4.ui <<UI
wait-for "Fy ngweithiwr" 20000
wait-for "Jo Jones" 10000
dump $OUT/4-threads.json
screenshot $OUT/4-threads.png
tap id:threads.1
wait-for "good night mum" 10000
wait-for "Wedi'i ddarllen gan staff" 10000
dump $OUT/4-thread.json
screenshot $OUT/4-thread.png
tap id:thread-back
wait-for "Fy ngweithiwr" 10000
tap id:back-home
UI
run_app app4.ui --language cy
expect_eq "$(q 4-threads.json top language)" cy "language passed to the app"
expect_visible 4-threads.json "Negeseuon"
expect_visible 4-threads.json "Adref"
expect_eq "$(q 4-threads.json get threads.0 text)" "Fy ngweithiwr" "the worker's row in Welsh"
expect_eq "$(q 4-threads.json get threads.1 text)" "Jo Jones" "Jo's name as it is"
# Jo's relation, then the last message and when, as people say it.
case "$(q 4-threads.json get threads.1 state.detail)" in
"mam · Heddiw 08:00 · "*": good night mum") ;;
*) fail "Jo's row in Welsh: '$(q 4-threads.json get threads.1 state.detail)'" ;;
esac
case "$(q 1-threads.json get threads.1 state.detail)" in
"mother · Today 10:00 · Hi Sam, it's Mum."*) ;;
*) fail "Jo's row in English: '$(q 1-threads.json get threads.1 state.detail)'" ;;
esac
expect_visible 4-thread.json "thank you for the parcel"
expect_visible 4-thread.json "good night mum"
expect_visible 4-thread.json "Ysgrifennu neges"
expect_visible 4-thread.json "Heb ei anfon. Please ask staff about parcels."
q 4-thread.json hidden "Write a message" || fail "\"Write a message\" still in English"
case "$(q 4-thread.json get thread-reads text | head -n1)" in
"Wedi'i ddarllen gan staff (swyddog, Heddiw, 08:00)") ;;
*) fail "staff read in Welsh shown as '$(q 4-thread.json get thread-reads text)'" ;;
esac
ctl admin audit verify >/dev/null || fail "audit chain"
echo "messages e2e: ok"
