#!/bin/sh
# Choosing one's own PIN, through the real shell against the real daemon. Lee logs in for
# the first time with the PIN staff gave him: the shell shows only the PIN screen (its
# help read aloud by its speaker button), refuses 123456 in the daemon's words and two
# PINs that differ, and a good one takes him home: "Your new PIN is saved." In Settings,
# "Change my PIN" asks for the PIN he has now: a wrong one is refused with the tries left,
# the right one saves the new one, and he logs out and back in with it. Dai does the same
# in Welsh, and every refusal is in Welsh. The login screen, left alone longer than the
# daemon's idle timeout, is not told the service stopped answering: the shell connects
# again quietly.
. "$(dirname "$0")/e2e-lib.sh"
# Connections without a session are closed after a second without a call.
printf '%s\n' '{"establishment": "MDI", "scrypt_log_n": 10, "lockout_seconds": 300,
	"lockout_failures": 3, "idle_timeout_seconds": 1}' >"$state/policyd.json"
daemon_start
seed
issued() {
	ctl person add "$1" --given "$2" --family Walker --establishment MDI |
		sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p'
}
lee=$(issued B2345CD Lee)
dai=$(issued C3456DE Dai)
[ -n "$lee" ] && [ -n "$dai" ] || fail "no PINs issued"

{
	echo 'wait-for "Welcome to Onward"'
	echo 'wait 2500'
	echo "dump $OUT/idle.json"
	type_number B2345CD
	type_pin "$lee"
	echo 'wait-for "Choose your own PIN" 15000'
	echo "dump $OUT/first.json"
	echo "screenshot $OUT/pin-first.png"
	echo 'tap id:pin-help-speak'
	echo 'wait-speech 30000'
	echo 'tap id:pin-new'
	type_pin 123456
	type_pin 123456
	echo 'wait-for "Do not use numbers in a row" 15000'
	echo "dump $OUT/weak.json"
	type_pin 583920
	type_pin 583921
	echo 'wait-for "The two PINs are not the same"'
	echo "dump $OUT/differ.json"
	type_pin 583920
	type_pin 583920
	echo 'wait-for "Hello, Lee" 15000'
	echo 'wait-for "Your new PIN is saved" 15000'
	echo 'wait-for "Stub" 15000'
	echo "dump $OUT/home.json"
	echo "screenshot $OUT/pin-saved.png"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'tap id:change-pin'
	echo 'wait-for "Change my PIN"'
	echo "dump $OUT/change.json"
	echo "screenshot $OUT/pin-change.png"
	type_pin 111000
	type_pin 690417
	type_pin 690417
	echo 'wait-for "That is not the PIN you have now" 15000'
	echo "dump $OUT/wrong-old.json"
	type_pin 583920
	type_pin 690417
	type_pin 690417
	echo 'wait-for "Your new PIN is saved" 15000'
	echo "dump $OUT/saved.json"
	echo 'tap id:settings-back'
	echo 'wait-for "Stub"'
	echo 'tap id:tile-logout'
	echo 'wait-for "log out now"'
	echo 'tap "Yes, log out"'
	echo 'wait-for "You have logged out."'
	type_number B2345CD
	type_pin 690417
	echo 'wait-for "Hello, Lee" 15000'
	echo "dump $OUT/again.json"
	echo 'quit'
} >pin.ui
rm -f speech.wav
run_shell pin.ui --speech-wav "$OUT/speech.wav"

expect_eq "$(q idle.json get login-message text)" "" "the login screen after an idle close"
grep -q "not answering" shell.log && fail "the shell said the daemon was not answering"
expect_eq "$(q first.json top screen)" pin "screen at the first login"
expect_visible first.json "Choose your own PIN"
expect_visible first.json \
	"Staff gave you a PIN to start with. Now choose your own: 6 to 8 numbers that only you know."
expect_eq "$(q first.json get pin-old-row visible)" false "the PIN-now row when choosing"
expect_eq "$(q first.json get pin-logout visible)" true "Log out when choosing"
expect_eq "$(q first.json get pin-back visible)" false "Back when choosing"
[ "$(wc -c <"$OUT/speech.wav")" -gt 50000 ] || fail "the help was not read aloud"
expect_eq "$(q weak.json top screen)" pin "screen after a weak PIN"
expect_eq "$(q weak.json get pin-message text)" "Do not use numbers in a row, like 123456." \
	"the weak PIN's reason"
expect_eq "$(q weak.json get pin-new state.length)" 0 "new PIN cleared after sending"
expect_eq "$(q weak.json get pin-new state.value)" null "a PIN in a dump"
expect_eq "$(q differ.json get pin-message text)" \
	"The two PINs are not the same. Type them again." "two different PINs"
expect_eq "$(q home.json top screen)" home "screen after choosing"
expect_visible home.json "Your new PIN is saved. Use it next time you log in."
expect_visible change.json "Change my PIN"
expect_eq "$(q change.json get pin-old-row visible)" true "the PIN-now row when changing"
expect_eq "$(q change.json get pin-back visible)" true "Back when changing"
expect_eq "$(q change.json get pin-logout visible)" false "Log out when changing"
expect_eq "$(q wrong-old.json get pin-message text)" \
	"That is not the PIN you have now. 2 tries left before a pause." "a wrong PIN now"
expect_eq "$(q saved.json top screen)" settings "screen after changing"
expect_eq "$(q saved.json get settings-message text)" \
	"Your new PIN is saved. Use it next time you log in." "saved in settings"
expect_eq "$(q again.json top screen)" home "logged in with the changed PIN"

# The same in Welsh, chosen on the login screen.
{
	echo 'wait-for "Welcome to Onward"'
	echo 'tap "Cymraeg"'
	type_number C3456DE
	type_pin 909090
	echo 'wait-for "yn gywir" 15000'
	echo "dump $OUT/cy-wrong.json"
	type_pin "$dai"
	echo 'wait-for "Dewiswch eich PIN eich hun" 15000'
	echo "dump $OUT/cy-first.json"
	echo "screenshot $OUT/pin-first-cy.png"
	type_pin 121212
	type_pin 121212
	echo 'wait-for "Peidiwch" 15000'
	echo "dump $OUT/cy-weak.json"
	type_pin 274061
	type_pin 274061
	echo 'wait-for "Helo, Dai" 15000'
	echo 'wait-for "wedi" 15000'
	echo "dump $OUT/cy-home.json"
	echo 'quit'
} >cy.ui
run_shell cy.ui
expect_eq "$(q cy-wrong.json get login-message text)" \
	"Nid yw'r rhif carchar neu'r PIN yn gywir. Mae dau gynnig ar ôl cyn saib." "Welsh wrong PIN"
expect_visible cy-first.json "Dewiswch eich PIN eich hun"
expect_visible cy-first.json "PIN newydd eto"
expect_visible cy-first.json "Allgofnodi"
expect_eq "$(q cy-weak.json get pin-message text)" \
	"Peidiwch ag ailadrodd patrwm byr, fel 121212." "Welsh weak PIN"
expect_visible cy-home.json \
	"Mae eich PIN newydd wedi'i gadw. Defnyddiwch ef y tro nesaf y byddwch chi'n mewngofnodi."
echo "pin: ok"
