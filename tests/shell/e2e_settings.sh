#!/bin/sh
# Settings: the largest text and high contrast reflow the shell's screens at once, read
# aloud turns on, and an app opened afterwards starts with the same settings.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
cat >app.ui <<UI
wait-for "Open this app" 20000
dump $OUT/stub-largest.json
screenshot $OUT/stub-largest.png
tap id:back-home
UI
export ONWARD_APP_SCRIPT="$OUT/app.ui"
{
	login_lines
	echo "dump $OUT/home-normal.json"
	echo 'tap id:tile-settings'
	echo 'wait-for "Text size"'
	echo "screenshot $OUT/settings.png"
	echo 'tap "Largest"'
	echo 'tap "High contrast"'
	echo 'tap id:read-aloud'
	echo "screenshot $OUT/settings-largest.png"
	echo 'tap id:settings-back'
	echo 'wait-for "Stub"'
	echo "dump $OUT/home-largest.json"
	echo "screenshot $OUT/home-largest.png"
	echo 'tap id:tile-stub'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 40000'
	echo 'quit'
} >settings.ui
run_shell settings.ui --speech-wav "$OUT/speech.wav"
expect_eq "$(q home-normal.json top text_size)" normal "text size before"
expect_eq "$(q home-largest.json top text_size)" largest "text size after"
expect_eq "$(q home-largest.json top theme)" high-contrast "theme after"
expect_eq "$(q home-largest.json top read_aloud)" true "read aloud"
# Wider tiles (at the largest text the icon sits beside the words, which are larger).
w0=$(q home-normal.json get tile-stub w)
w1=$(q home-largest.json get tile-stub w)
[ "$w1" -gt "$w0" ] || fail "tile width $w0 -> $w1"
b0=$(q home-normal.json top body_px)
b1=$(q home-largest.json top body_px)
[ "$b1" -gt "$b0" ] || fail "body text $b0 -> $b1 px"
expect_eq "$(q stub-largest.json top text_size)" largest "the app's text size"
expect_eq "$(q stub-largest.json top theme)" high-contrast "the app's theme"
expect_eq "$(q stub-largest.json top read_aloud)" true "the app's read aloud"
echo "settings: ok (tiles $w0 -> $w1 px wide, text $b0 -> $b1 px)"
