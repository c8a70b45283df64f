#!/bin/sh
# Typing with the on-screen keyboard by touch (shift, letters, space, numbers, enter) and
# with a physical keyboard; the pop-up keyboard comes and goes with focus; Welsh letters
# (ŵ, ŷ, â and the rest) from the accents layer, with their capitals.
. "$(dirname "$0")/e2e-lib.sh"
cat >keyboard.ui <<UI
$login
tap "Write a note"
expect-not "Space"
tap id:note
wait-for "Space"
tap id:key-shift
tap id:key-h
tap id:key-i
tap id:key-space
tap id:key-123
tap id:key-2
screenshot keyboard.png
dump typed.json
tap id:key-enter
dump submitted.json
tap id:note
type " and Dŵr"
key BackSpace
key Return
dump physical.json
tap id:note
wait-for "Space"
tap id:key-space
tap id:key-t
tap id:key-accents
screenshot accents.png
tap id:key-y-circ
tap id:key-shift
tap id:key-a-circ
tap id:key-abc
tap id:key-apostrophe
tap id:key-question
dump welsh.json
quit
UI
demo keyboard.ui
expect_eq "$(q typed.json top keyboard)" true "keyboard shown"
expect_eq "$(q typed.json get note state.value)" "Hi 2" "typed on screen"
expect_eq "$(q submitted.json top keyboard)" false "keyboard hidden after enter"
expect_eq "$(q submitted.json get saved text)" "Hi 2" "submitted"
expect_eq "$(q physical.json get saved text)" "Hi 2 and Dŵ" "physical keys"
expect_eq "$(q welsh.json get note state.value)" "Hi 2 and Dŵ tŷÂ'?" "accents layer"
echo "keyboard: ok"
