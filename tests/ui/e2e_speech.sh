#!/bin/sh
# Read aloud through espeak-ng into a WAV file (no sound card here): the speaker button
# on a paragraph, a long press on a list row, and the Welsh voice.
. "$(dirname "$0")/e2e-lib.sh"
rm -f speech.wav
cat >speech.ui <<UI
$login
tap "Settings"
tap id:sample-speak
dump speaking.json
wait-speech
UI
demo speech.ui --speech-wav speech.wav
[ -f speech.wav ] || fail "no speech.wav"
size=$(wc -c <speech.wav)
# The sentence takes a few seconds: at 22 kHz and 16 bits that is far above 50 kB.
[ "$size" -gt 50000 ] || fail "speech.wav is only $size bytes"
[ "$(head -c 4 speech.wav)" = RIFF ] || fail "speech.wav is not RIFF"
# Non-silent: some sample byte is far from zero.
od -An -tu1 -j44 -N20000 speech.wav | tr -s ' ' '\n' | awk '$1 > 40 && $1 < 216 {n++} END {exit n > 100 ? 0 : 1}' ||
	fail "speech.wav is silent"
rm -f speech2.wav
cat >speech2.ui <<UI
tap id:key-1
tap id:key-2
tap id:key-3
tap id:key-4
tap id:key-enter
wait-for "Hafan"
tap "Long list"
long-press "Item 2"
wait-speech
UI
demo speech2.ui --speech-wav speech2.wav --language cy
[ "$(wc -c <speech2.wav)" -gt 5000 ] || fail "long press did not speak"
echo "speech: ok ($size bytes)"
