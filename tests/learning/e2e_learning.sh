#!/bin/sh
# The learning app, end to end, against the real daemon (started with the channel
# App.Open gives, as the shell does; e2e_shell.sh covers the launch from home): Sam
# opens "Managing money", reads two pages, answers the first quiz, reads on to a page with
# a picture and leaves; back home, he opens Learning again and the course carries on at
# the same page; he answers the other two quizzes, is told he has finished, and the
# certificate the daemon issued verifies with onwardctl (offline, against the
# establishment's key), and fails once a byte of it is changed. Along the way: a question
# has "pick one" answers (radios: choosing another clears the first), a wrong answer is
# shown the right one and why, a page's stressed words are repeated as whole sentences
# ("Remember: ..."), he reads his certificate in My certificates, and the crisis icon is
# on none of it (tests/shell/icon_check.sh). One wrong answer makes his score 88%.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed

cat >app1.ui <<UI
wait-for "Managing money" 20000
screenshot $OUT/catalogue.png
dump $OUT/catalogue.json
tap id:course-0
wait-for "Start the course" 10000
screenshot $OUT/course.png
tap id:continue
wait-for "Money in is the money you get." 10000
screenshot $OUT/page1.png
dump $OUT/page1.json
tap id:next
wait-for "Money out is the money you spend." 10000
tap id:next
wait-for "Your wages from work are:" 10000
tap id:q0-opt0
tap id:q1-opt1
tap id:q1-opt0
dump $OUT/quiz1-chosen.json
tap id:q2-answer
type "receipts"
tap id:key-enter
screenshot $OUT/quiz1-answered.png
wheel 640 400 -20
tap id:check-answers
wait-for "The right answer is: money out." 10000
wheel 640 400 -40
wait-for "You passed" 10000
screenshot $OUT/quiz1.png
dump $OUT/quiz1.json
wheel 640 400 10
screenshot $OUT/quiz1-why.png
wheel 640 400 -40
tap id:carry-on
wait-for "A budget is a plan for your money." 10000
wait 2000
screenshot $OUT/page3.png
dump $OUT/page3.json
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Reading a tenancy agreement" 10000
tap id:back-home
UI

cat >app2.ui <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Carry on where you left off" 10000
screenshot $OUT/course-again.png
tap id:continue
wait-for "A budget is a plan for your money." 10000
wait 1000
dump $OUT/resumed.json
screenshot $OUT/resumed.png
wheel 640 400 -20
tap id:next
wait-for "Check your budget each week." 10000
tap id:next
wait-for "A budget is:" 10000
tap id:q0-opt0
tap id:q1-answer
type "every week"
tap id:key-enter
wheel 640 400 -20
tap id:check-answers
wait-for "Check your budget every week, so you can spot a problem" 10000
wheel 640 400 -40
wait-for "You passed" 10000
tap id:carry-on
wait-for "Pay the most important bills first:" 10000
tap id:next
wait-for "Money problems are common." 10000
tap id:next
wait-for "Which bill should you pay first?" 10000
tap id:q0-opt1
tap id:q1-answer
type "debit"
tap id:key-enter
wheel 640 400 -20
tap id:q2-opt0
tap id:check-answers
wait-for "Well done! You have finished this course." 10000
screenshot $OUT/finished.png
dump $OUT/finished.json
tap id:dialog.0
wheel 640 400 20
tap id:quiz-back
wait-for "Your certificate is saved" 10000
screenshot $OUT/course-done.png
dump $OUT/course-done.json
tap id:read-certificate
wait-for "This certificate says that" 10000
screenshot $OUT/certificate.png
dump $OUT/certificate.json
tap id:certificate-back
wait-for "Tap a certificate to read it." 10000
dump $OUT/certificates.json
tap id:certificates-back
wait-for "You have a certificate." 10000
screenshot $OUT/catalogue-done.png
dump $OUT/catalogue-done.json
tap id:my-certificates
wait-for "Managing money (" 10000
tap id:certificate-0
wait-for "This certificate says that" 10000
dump $OUT/certificate-again.json
tap id:certificate-back
wait-for "Tap a certificate to read it." 10000
tap id:certificates-back
wait-for "You have a certificate." 10000
tap id:back-home
UI

run_app app1.ui
expect_visible catalogue.json "Managing money"
expect_visible catalogue.json "Reading a tenancy agreement"
expect_visible page1.json "Money in"
expect_visible page1.json "• your wages from work"
expect_visible page1.json "Remember:"
expect_visible page1.json "Write down all the money you get each month. This is your money in."
# Pick one: radios, and choosing a second answer clears the first.
expect_eq "$(q quiz1-chosen.json get q1-opt0 type)" radio "a choice question's answers"
expect_eq "$(q quiz1-chosen.json get q1-opt0 state.checked)" true "the answer chosen last"
expect_eq "$(q quiz1-chosen.json get q1-opt1 state.checked)" false "the answer chosen first"
expect_eq "$(q quiz1-chosen.json get q0-opt0 state.checked)" true "another question's answer"
expect_eq "$(q quiz1.json get q2-feedback text)" "✓ Right." "the written answer"
# A wrong answer: which was right, and why (the pack's words); a right one: why only.
expect_eq "$(q quiz1.json get q1-feedback text)" "✗ Not right." "the wrong answer"
expect_eq "$(q quiz1.json get q1-why text)" "The right answer is: money out.
Rent is money you pay for your home, so it is money out." "the right answer and why"
expect_eq "$(q quiz1.json get q0-why text)" \
	"Wages are money you get for your work, so they are money in." "why a right answer is right"
expect_eq "$(q page3.json get page-where text)" "A simple budget · Page 3 / 6" "page 3"
expect_eq "$(q page3.json get picture-0 visible)" true "the picture on page 3"
expect_visible page3.json "Picture: Three coins"

run_app app2.ui
expect_eq "$(q resumed.json get page-where text)" "A simple budget · Page 3 / 6" "resumed page"
expect_eq "$(q finished.json top dialog)" true "the well-done dialog"
expect_visible finished.json "Well done! You have finished this course. Your certificate is saved. You can read it any time: tap My certificates on the Learning screen."
expect_visible catalogue-done.json "Managing money"
# My certificates: the list, and the certificate to read, from the course or the list.
expect_visible certificates.json "My certificates"
expect_eq "$(q certificates.json get certificate-0 visible)" true "the certificate in the list"
for f in certificate.json certificate-again.json; do
	text=$(q $f get certificate-text text)
	case $text in
	*"Sam Jones"*"finished the course"*"Managing money"*"Quiz score for the whole course: "*%.) ;;
	*) fail "$f: the certificate reads: $text" ;;
	esac
	q $f get certificate-number text | grep -q "^Certificate number: c-" ||
		fail "$f: no certificate number"
	q $f get certificate-help text | grep -q "ask education staff and tell them the certificate number" ||
		fail "$f: not told how to get a printed copy"
done
sh "$(dirname "$0")/../shell/icon_check.sh" "$(dirname "$QUERY")" "$OUT"/*.json || fail "an icon used for two things"

# The certificate: listed for staff, exported, and checked offline.
id=$(ctl --json certificate list A1234BC | sed -n 's/.*"id": "\(c-[0-9a-f]*\)".*/\1/p' | head -n1)
[ -n "$id" ] || fail "no certificate for A1234BC"
ctl certificate export "$id" -o "$OUT/certificate.json.cert" >/dev/null
ctl certificate key >"$OUT/mdi.pub"
env -u ONWARD_STATE_DIR "$BIN/onwardctl" certificate verify "$OUT/certificate.json.cert" \
	--key "$OUT/mdi.pub" >verify.log || fail "the certificate does not verify: $(cat verify.log)"
grep -q "certificate $id: good" verify.log || fail "verify said: $(cat verify.log)"
grep -q "Sam Jones (A1234BC)" verify.log || fail "verify said: $(cat verify.log)"
grep -q "score:      88%" verify.log || fail "verify said: $(cat verify.log)"
sed 's/"Sam"/"Tom"/' "$OUT/certificate.json.cert" >"$OUT/changed.json.cert"
if "$BIN/onwardctl" certificate verify "$OUT/changed.json.cert" --key "$OUT/mdi.pub" \
	>/dev/null 2>changed.log; then
	fail "a changed certificate verified"
fi
grep -q "the certificate was changed after it was issued" changed.log ||
	fail "changed certificate: $(cat changed.log)"
rm -f "$OUT/certificate.json.cert" "$OUT/changed.json.cert"
echo "learning: ok (certificate $id)"
