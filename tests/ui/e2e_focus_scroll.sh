#!/bin/sh
# A screen taller than the window scrolls by the wheel and by a finger even while one of
# its buttons has the focus (the focus must not pull the screen back to itself); the
# focused widget is brought into view only when the focus moves again or the person
# types.
. "$(dirname "$0")/e2e-lib.sh"
cat >focus.ui <<UI
$login
tap "Settings"
tap "Largest"
wait 300
key Tab
dump focused.json
wheel 640 500 -4
wait 300
dump wheeled.json
wheel 640 500 4
wait 300
dump wheeled-back.json
drag 640 600 640 300 200
wait 1500
dump dragged.json
key Tab
dump refocused.json
quit
UI
demo focus.ui
focus=$(q focused.json top focus)
[ -n "$focus" ] && [ "$focus" != null ] || fail "Tab focused nothing"
max=$(q focused.json screen state.max_offset)
[ "$max" -gt 0 ] || fail "the settings screen at the largest text does not scroll (max $max)"
expect_eq "$(q focused.json screen state.offset)" 0 "offset at the start"
# Four wheel steps go further than the screen can: all the way down, focus or not.
expect_eq "$(q wheeled.json screen state.offset)" "$max" "offset after the wheel"
expect_eq "$(q wheeled.json top focus)" "$focus" "focus kept while scrolling"
top=$(q wheeled.json screen y)
[ "$(q wheeled.json get "$focus" y)" -lt "$top" ] ||
	fail "the focused $focus is still on screen after scrolling away from it"
expect_eq "$(q wheeled-back.json screen state.offset)" 0 "offset after the wheel back"
# A 300 px drag with momentum goes all the way down too.
expect_eq "$(q dragged.json screen state.offset)" "$max" "offset after the drag"
# Moving the focus scrolls to the newly focused widget.
next=$(q refocused.json top focus)
[ "$next" != "$focus" ] || fail "Tab did not move the focus"
[ "$(q refocused.json screen state.offset)" -lt "$max" ] ||
	fail "the screen did not scroll back to the newly focused $next"
echo "focus and scroll: ok (offset 0 -> $max by wheel and by drag with $focus focused; then $next)"
