#!/bin/sh
# Language: choosing Cymraeg in settings turns the shell's own screens into Welsh at once
# (settings, then home); logging out returns the tablet to English for whoever comes next;
# the choice is kept for the person (it is back when they log in again), and choosing
# English turns every screen back; a language chosen on the login screen is shown at
# once and becomes the person's own choice when they log in; a policy's refusal is given in
# Welsh.
. "$(dirname "$0")/e2e-lib.sh"

# Sam logs in and is greeted in Welsh.
welsh_login_lines() {
	type_number A1234BC
	type_pin "$pin"
	echo 'wait-for "Helo, Sam" 15000'
}
daemon_start
seed
{
	login_lines
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Maint testun"'
	echo "dump $OUT/settings-cy.json"
	echo "screenshot $OUT/settings-cy.png"
	echo 'tap id:settings-back'
	echo 'wait-for "Gosodiadau"'
	echo "dump $OUT/home-cy.json"
	echo "screenshot $OUT/home-cy.png"
	echo 'tap id:tile-logout'
	echo 'wait-for "Ydych chi eisiau allgofnodi nawr?"'
	echo 'tap "Ie, allgofnodi"'
	echo 'wait-for "Prison number" 15000'
	echo "dump $OUT/login-cy.json"
	echo 'quit'
} >cy.ui
run_shell cy.ui
expect_visible settings-cy.json "Iaith"
expect_visible settings-cy.json "Cyferbyniad uchel"
expect_hidden settings-cy.json "Text size"
expect_visible home-cy.json "Allgofnodi"
expect_visible home-cy.json "Helo, Sam"
expect_visible home-cy.json "Help mewn argyfwng"
expect_hidden home-cy.json "Settings"
# Logging out puts the tablet back to the defaults for whoever logs in next.
expect_visible login-cy.json "Log in"
expect_hidden login-cy.json "Mewngofnodi"
# Logging in again brings back the person's own choice; English turns everything back.
{
	login_lines
	echo 'wait-for "Gosodiadau"'
	echo "dump $OUT/home-again.json"
	echo 'tap id:tile-settings'
	echo 'wait-for "Maint testun"'
	echo 'tap "English"'
	echo 'wait-for "Text size"'
	echo 'tap id:settings-back'
	echo 'wait-for "Settings"'
	echo "dump $OUT/home-en.json"
	echo 'quit'
} >again.ui
run_shell again.ui
expect_visible home-again.json "Gosodiadau"
expect_visible home-en.json "Log out"
expect_hidden home-en.json "Allgofnodi"
# Someone who cannot read the English login screen chooses Cymraeg on it: the login
# screen turns Welsh before anyone logs in, and the choice becomes the person's own.
{
	echo 'wait-for "Prison number"'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Rhif carchar"'
	echo "dump $OUT/login-chosen.json"
	echo "screenshot $OUT/login-cy.png"
	welsh_login_lines
	echo 'wait-for "Gosodiadau"'
	echo "dump $OUT/home-chosen.json"
	echo 'wait 1000' # the choice is saved without waiting; let it reach the daemon
	echo 'quit'
} >chosen.ui
run_shell chosen.ui
expect_visible login-chosen.json "Mewngofnodi"
expect_visible home-chosen.json "Allgofnodi"
# Kept: the next login, with nothing chosen on the login screen, is in Welsh.
{
	welsh_login_lines
	echo 'wait-for "Gosodiadau"'
	echo "dump $OUT/home-kept.json"
	echo 'wait-for "Games"' # the apps' tiles come with the daemon's answer
	echo 'tap id:tile-games'
	echo 'wait-for "lefel uwch"'
	echo "dump $OUT/refused-cy.json"
	echo "screenshot $OUT/refused-cy.png"
	echo 'quit'
} >kept.ui
run_shell kept.ui
expect_visible home-kept.json "Allgofnodi"
expect_hidden home-kept.json "Log out"
# The policy's reason is the Welsh beside it (@reason_cy), not the English.
expect_visible refused-cy.json \
	"Mae gemau'n agor ar y lefel uwch. Gofynnwch i'ch gweithiwr allweddol sut i gyrraedd yno."
expect_hidden refused-cy.json "Games open at the enhanced level. Ask your key worker how to get there."
echo "language: ok"
