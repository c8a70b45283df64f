#!/bin/sh
# PIN pad by touch: a wrong PIN is refused with a banner (covering nothing), the right one
# opens Home; the PIN never appears in a dump; locked tiles give their reason, the badge
# shows; the kiosk keys and window-close do nothing.
. "$(dirname "$0")/e2e-lib.sh"
cat >login.ui <<UI
screenshot login.png
tap id:key-9
tap id:key-9
dump pin-typed.json
tap id:key-enter
wait-for "not right"
dump refused.json
screenshot refused.png
tap id:key-backspace
$login
screenshot home.png
dump home.json
key Alt+F4
key Alt+Tab
key Super
key Ctrl+Alt+F1
expect "Home"
tap "Learning"
wait-for "education worker"
dump locked.json
screenshot locked.png
tap "OK"
expect-not "education worker"
quit
UI
demo login.ui
expect_eq "$(q pin-typed.json get pin state.length)" 2 "PIN length"
expect_eq "$(q pin-typed.json get pin state.value)" null "PIN value in dump"
expect_eq "$(q pin-typed.json get pin text)" "●●" "PIN shown masked"
# The banner has its own place: it covers nothing of the screen under it.
covered=$(q refused.json covered banner) || fail "the banner covers: $covered"
expect_visible refused.json "That PIN is not right. Please try again."
expect_eq "$(q home.json top screen)" home "screen"
expect_eq "$(q home.json get tile-messages state.badge)" 3 "badge"
expect_eq "$(q home.json get tile-learning state.locked)" true "locked"
expect_eq "$(q home.json get tile-help state.locked)" false "crisis help never locked"
expect_eq "$(q locked.json top dialog)" true "dialog open"
expect_visible locked.json "Learning opens when your education worker has enrolled you on a course."
# Every tile is at least 9 mm (53 px at 150 dpi) both ways.
for t in tile-learning tile-messages tile-settings; do
	[ "$(q home.json get $t w)" -ge 53 ] && [ "$(q home.json get $t h)" -ge 53 ] ||
		fail "$t smaller than 9 mm"
done
# A bad script line fails the run with its line number.
printf 'wait 1\nexpect "Nowhere"\n' >bad.ui
if "$XVFB" "$DEMO" --script bad.ui 2>bad.err; then fail "bad script passed"; fi
grep -q '^script:2: expect: "Nowhere" is not on screen$' bad.err || fail "bad.err: $(cat bad.err)"
echo "login: ok"
