#!/bin/sh
# The learning app for someone who needs it big, bold and spoken: at the largest text
# size and in high contrast the course page reflows (bigger text, same words); the Read
# aloud button speaks the page (written to a WAV file here). In Welsh the app's own words
# are Welsh and the course's are as written. And a course policy keeps shut is locked in
# the catalogue, with the policy's reason in plain words when tapped: Lee, at the basic
# level, cannot open a level 2 course.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed

# A level 2 course: the tenancy course, re-labelled and signed with the test's keys.
mkdir "$state.keys/level2"
cp -r "$COURSES/tenancy-agreement/." "$state.keys/level2/"
sed -e 's/"uk.onward.tenancy-agreement"/"uk.onward.tenancy-level-two"/' \
	-e 's/"level": "entry3"/"level": "level2"/' \
	-e 's/"Reading a tenancy agreement"/"Tenancy law (level 2)"/' \
	"$COURSES/tenancy-agreement/course.json" >"$state.keys/level2/course.json"
"$BIN/onward-pack" build "$state.keys/level2" -o "$state.keys/level2.pack" \
	--key "$state.keys/college.pem" --cert "$state.keys/college.cert" >/dev/null
ctl course install "$state.keys/level2.pack" >/dev/null || fail "install the level 2 course"
lee=$(ctl person add B2345CD --given Lee --family Walker --establishment MDI --incentive basic |
	sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p')
lee=$("$BIN/test-choose-pin" "$state/control.sock" B2345CD "$lee") ||
	fail "Lee cannot choose his own PIN"

cat >normal.ui <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Start the course" 10000
tap id:continue
wait-for "Money in is the money you get." 10000
dump $OUT/page-normal.json
screenshot $OUT/page-normal.png
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
run_app normal.ui

cat >largest.ui <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Carry on where you left off" 10000
tap id:continue
wait-for "Money in is the money you get." 10000
dump $OUT/page-largest.json
screenshot $OUT/page-largest.png
tap id:page-where-speak
wait 300
wait-speech 60000
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
run_app largest.ui --text-size largest --high-contrast --read-aloud --speech-wav "$OUT/page.wav"
expect_eq "$(q page-largest.json top text_size)" largest "text size"
expect_eq "$(q page-largest.json top theme)" high-contrast "theme"
b0=$(q page-normal.json top body_px)
b1=$(q page-largest.json top body_px)
[ "$b1" -gt "$b0" ] || fail "body text $b0 -> $b1 px"
expect_visible page-largest.json "Money in is the money you get."
expect_visible page-largest.json "Remember:"
h0=$(q page-normal.json get next h)
h1=$(q page-largest.json get next h)
[ "$h1" -gt "$h0" ] || fail "the Next button did not grow ($h0 -> $h1 px)"
[ -s "$OUT/page.wav" ] || fail "nothing was read aloud"
size=$(wc -c <"$OUT/page.wav")
[ "$size" -gt 100000 ] || fail "the page read aloud is only $size bytes of sound"

# In Welsh (the shell passes the person's language on): the app's own words are Welsh;
# the course itself (its title, its modules, its pages) is shown as the provider wrote it.
cat >welsh.ui <<UI
wait-for "Dewiswch gwrs." 20000
wait-for "Managing money" 10000
dump $OUT/catalogue-cy.json
screenshot $OUT/catalogue-cy.png
tap id:course-0
wait-for "Dal ati o ble roeddech chi" 10000
dump $OUT/course-cy.json
tap id:continue
wait-for "Money in is the money you get." 10000
dump $OUT/page-cy.json
screenshot $OUT/page-cy.png
tap id:page-back
wait-for "Dal ati o ble roeddech chi" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:my-certificates
wait-for "Does gennych chi ddim tystysgrifau eto." 10000
dump $OUT/certificates-cy.json
tap id:certificates-back
wait-for "Managing money" 10000
tap id:back-home
UI
run_app welsh.ui --language cy
expect_eq "$(q catalogue-cy.json top language)" cy "language passed to the app"
expect_visible catalogue-cy.json "Dysgu"
expect_visible catalogue-cy.json "Dewiswch gwrs. Rydyn ni'n cadw eich lle wrth i chi fynd."
q catalogue-cy.json hidden "Learning" || fail "\"Learning\" still in English"
expect_visible catalogue-cy.json "Managing money"
expect_visible catalogue-cy.json "Reading a tenancy agreement"
expect_eq "$(q catalogue-cy.json get course-0-detail text)" \
	"Cwrs lefel mynediad 1. Tua 35 munud. Tudalennau wedi'u darllen: 1 / 6." "course details"
expect_visible course-cy.json "Dal ati o ble roeddech chi"
expect_visible course-cy.json "Yn ôl"
expect_visible page-cy.json "Money in is the money you get."
expect_visible page-cy.json "Cofiwch:"
expect_visible page-cy.json "Nesaf"
q page-cy.json hidden "Remember:" || fail "\"Remember:\" still in English"
expect_eq "$(q page-cy.json get page-where text)" "Money in and money out · Tudalen 1 / 6" \
	"where in the course, in Welsh"
# My certificates, in Welsh, before there are any.
expect_visible certificates-cy.json "Fy nhystysgrifau"
q certificates-cy.json hidden "My certificates" || fail "\"My certificates\" still in English"
expect_visible certificates-cy.json \
	"Does gennych chi ddim tystysgrifau eto. Pan fyddwch chi'n gorffen cwrs, bydd ei dystysgrif yma."

cat >locked.ui <<UI
wait-for "Tenancy law (level 2)" 20000
dump $OUT/locked.json
screenshot $OUT/locked.png
tap id:course-2
wait-for "This is a level 2 course. It opens when your incentive level is Standard or Enhanced. Ask education staff." 10000
dump $OUT/locked-dialog.json
screenshot $OUT/locked-dialog.png
tap id:dialog.0
tap id:back-home
UI
"$BIN/learning-open-app" "$state/control.sock" B2345CD "$lee" learning -- \
	"$BIN/onward-app-learning" --window 1280x800 --dpi 150 --script locked.ui 2>>app.log ||
	fail "onward-app-learning --script locked.ui"
expect_visible locked.json "Locked. This is a level 2 course. It opens when your incentive level is Standard or Enhanced. Ask education staff."
expect_eq "$(q locked-dialog.json top dialog)" true "the reason dialog"
echo "access: ok (text $b0 -> $b1 px, Next $h0 -> $h1 px, $size bytes read aloud)"
