#!/bin/sh
# Settings reflow every screen: text size largest makes text and targets larger and the
# home grid fewer columns; high contrast changes the theme; Welsh re-translates.
. "$(dirname "$0")/e2e-lib.sh"
cat >reflow.ui <<UI
$login
dump home-normal.json
tap "Settings"
tap "Largest"
tap "High contrast"
screenshot settings-largest.png
tap "Cymraeg"
wait-for "Gosodiadau"
tap id:back
wait-for "Hafan"
dump home-largest.json
screenshot home-largest.png
UI
demo reflow.ui
expect_eq "$(q home-normal.json top text_size)" normal "text size before"
expect_eq "$(q home-largest.json top text_size)" largest "text size after"
expect_eq "$(q home-largest.json top theme)" high-contrast "theme"
expect_eq "$(q home-largest.json top language)" cy "language"
expect_visible home-largest.json "Negeseuon"
expect_hidden home-largest.json "Messages"
c0=$(q home-normal.json get tiles state.columns)
c1=$(q home-largest.json get tiles state.columns)
[ "$c1" -lt "$c0" ] || fail "grid did not reflow: $c0 -> $c1 columns"
# Wider tiles (at the largest text the icon sits beside the words, which are larger).
w0=$(q home-normal.json get tile-messages w)
w1=$(q home-largest.json get tile-messages w)
[ "$w1" -gt "$w0" ] || fail "tile width $w0 -> $w1"
b0=$(q home-normal.json top body_px)
b1=$(q home-largest.json top body_px)
[ $((b1 * 2)) -ge $((b0 * 3 - 2)) ] || fail "body text $b0 -> $b1 px"
echo "reflow: ok ($c0 -> $c1 columns, tiles $w0 -> $w1 px wide, text $b0 -> $b1 px)"
