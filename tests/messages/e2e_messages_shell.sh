#!/bin/sh
# Messages through the shell, as on the tablet: Sam logs in, the Messages tile shows his
# two unread messages, a tap opens the app through onward-launch (its sandbox, its
# channel on descriptor 3), the app lists his conversations, and Home (top left) returns
# him to the shell.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
ctl admin message deliver-inbound A1234BC --from 1 --text "Hi Sam, it's Mum." >/dev/null
ctl k.patel message send-as-worker A1234BC --text "Hello Sam, I'm Kiran." >/dev/null
cat >app.ui <<UI
wait-for "My worker" 20000
wait-for "1 new message" 10000
screenshot $OUT/app.png
dump $OUT/app.json
tap id:back-home
UI
{
	open_messages
	echo "dump $OUT/home.json"
	echo "screenshot $OUT/home.png"
	echo 'tap id:tile-messages'
	echo 'wait-for "The app is open" 10000'
	echo 'wait-for "Hello, Sam" 120000'
	echo "dump $OUT/back.json"
	echo 'quit'
} >shell.ui
run_shell shell.ui app.ui
expect_eq "$(q home.json get tile-messages state.badge)" 2 "badge on the Messages tile"
expect_visible app.json "My worker · 1 new message"
expect_visible app.json "Jo Jones · 1 new message"
expect_eq "$(q back.json top screen)" home "back at home"
echo "messages e2e through the shell: ok"
