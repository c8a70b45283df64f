#!/bin/sh
# The 1,000-row list scrolls by a finger drag with momentum and by the wheel: a far row
# becomes visible in the dump and the first rows are gone; a tapped row is selected.
. "$(dirname "$0")/e2e-lib.sh"
cat >list.ui <<UI
$login
tap "Long list"
wait-for "Item 1"
dump list-top.json
drag 640 720 640 220 100
wait 300
drag 640 720 640 220 100
wait 300
drag 640 720 640 220 100
wait 2500
dump list-flung.json
screenshot list.png
wheel 640 500 3
dump list-wheel.json
tap 300 400
wait-for "Item"
dump list-tap.json
quit
UI
demo list.ui
expect_visible list-top.json "Item 1"
expect_eq "$(q list-top.json get items state.rows)" 1000 "rows"
expect_eq "$(q list-top.json get items state.offset)" 0 "start offset"
first=$(q list-flung.json get items state.first_visible)
# Three 500 px flicks travel much further than 1,500 px of finger: momentum.
offset=$(q list-flung.json get items state.offset)
[ "$offset" -gt 3000 ] || fail "flung only to offset $offset"
[ "$first" -gt 30 ] || fail "first visible row $first"
expect_hidden list-flung.json "Item 1"
expect_visible list-flung.json "Item $((first + 2))"
expect_eq "$(q list-flung.json get items state.moving)" false "fling ended"
# Three wheel clicks up move back three steps.
wheel=$(q list-wheel.json get items state.offset)
[ "$wheel" -lt "$offset" ] || fail "wheel did not scroll up ($wheel >= $offset)"
echo "list: ok (offset $offset, first row $first)"
