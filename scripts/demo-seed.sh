#!/bin/sh
# Fills a running daemon with demo people, staff, contacts and apps through onwardctl.
#   scripts/demo-seed.sh BUILD_DIR STATE_DIR
# Prints the demo people's one-time PINs; everything it does is in the audit log. Dates are
# counted from the daemon's clock: ONWARD_TEST_CLOCK when the demo sets it (scripts/demo.sh),
# else now.
set -eu
bin=$1/bin
export ONWARD_STATE_DIR=$2
if [ -n "${ONWARD_TEST_CLOCK:-}" ]; then
	base=$(date -u -d "$ONWARD_TEST_CLOCK" +%s)
else
	base=$(date -u +%s)
fi
# day OFFSET_SECONDS FORMAT: that moment, London time, in FORMAT.
day() { TZ=Europe/London date -d "@$((base + $1))" "$2"; }
release=$(day $((53 * 86400)) +%F)
# Staff act by sessions they sign in for (scripts/staff-lib.sh); the first, break-glass.
. "$(dirname "$0")/staff-lib.sh"
ctl() { onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as admin "$@" >/dev/null; }

onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as admin staff add admin --name "Ada Okafor" --role administrator >/dev/null
ctl establishment add MDI --name "HMP Moorland"
ctl establishment add BXI --name "HMP Brixton"
ctl establishment add NEP --name "North East Probation Region" --kind probation
ctl staff add k.patel --name "Kiran Patel" --role key_worker --establishment MDI
ctl staff add j.smith --name "Jo Smith" --role officer --establishment MDI
ctl staff add r.evans --name "Rhian Evans" --role education --establishment MDI
ctl staff add m.brown --name "Morgan Brown" --role probation --establishment NEP
ctl staff add h.ali --name "Hana Ali" --role housing

pin_of() { sed -n 's/^one-time PIN: *\([0-9]*\).*/\1/p'; }
sam=$(onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel person add A1234BC --given Sam --family Jones \
	--establishment MDI --release-date "$release" | pin_of)
lee=$(onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel person add B2345CD --given Lee --family Walker \
	--establishment MDI --incentive enhanced | pin_of)
dan=$(onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as j.smith person add C3456DE --given Dan --family Price \
	--establishment MDI --incentive basic --flag public_protection --flag child_safeguarding | pin_of)

onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact add A1234BC --name "Maria Jones" --relation mother >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact add A1234BC --name "Tyler Jones" --relation son --minor >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact add A1234BC --name "Chris Hall" --relation friend >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact add C3456DE --name "Alex Moore" --relation other --victim >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact add B2345CD --name "Pat Walker" --relation partner >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact approve 1 >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact approve 2 >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel contact approve 5 >/dev/null

# Messages: Sam's key worker, a word list, a message from his mother and one from Kiran.
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel person set A1234BC --worker k.patel >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as j.smith wordlist add parcel >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as admin message deliver-inbound A1234BC --from 1 \
	--text "Hi love, it's Mum. Tyler scored a goal on Saturday! Write when you can." >/dev/null
onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel message send-as-worker A1234BC \
	--text "Hello Sam, I'm Kiran, your key worker. Message me here any time." >/dev/null
if [ -x "$bin/onward-app-messages" ]; then
	ctl app register messages --path "$(cd "$bin" && pwd)/onward-app-messages" --title "Messages"
fi

# Learning: a demo content root and provider, made now in the demo state directory (never
# kept in the repository), sign the two example courses; education staff install them.
root=$(cd "$(dirname "$0")/.." && pwd)
keys=$ONWARD_STATE_DIR/demo-content
mkdir -m 700 "$keys"
"$bin/onward-pack" keygen --out "$keys/root.pem" --pub "$keys/root.pub" >/dev/null
"$bin/onward-pack" keygen --out "$keys/college.pem" --pub "$keys/college.pub" >/dev/null
"$bin/onward-pack" certify --root "$keys/root.pem" --provider-key "$keys/college.pub" \
	--provider-id example-college --provider-name "Example College" \
	--not-before "$(day -86400 +%F)" --not-after "$(day $((365 * 86400)) +%F)" \
	-o "$keys/college.cert" >/dev/null
ctl course trust-root "$keys/root.pub"
for course in managing-money tenancy-agreement; do
	"$bin/onward-pack" build "$root/apps/learning/courses/$course" -o "$keys/$course.pack" \
		--key "$keys/college.pem" --cert "$keys/college.cert" >/dev/null
	onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as r.evans course install "$keys/$course.pack" >/dev/null
done
if [ -x "$bin/onward-app-learning" ]; then
	ctl app register learning --path "$(cd "$bin" && pwd)/onward-app-learning" --title "Learning"
fi

# Housing and appointments: Sam leaves in 53 days, so housing help is open to him; his
# key worker books his appointments and his release day (London time). His mother's visit
# in two hours is too soon for a day's notice, so its reminder is on his home screen now.
kp() { onwardctl_as "$bin" "$ONWARD_STATE_DIR" --as k.patel "$@" >/dev/null; }
kp appointment add A1234BC --kind probation --at "$(day 86400 '+%F 09:30')" \
	--where "Video link room 2" --with "Morgan Brown (probation officer)"
kp appointment add A1234BC --kind health --at "$(day $((3 * 86400)) '+%F 14:00')" \
	--where "Healthcare unit" --with "Nurse Okoro"
kp appointment add A1234BC --kind education --at "$(day $((2 * 86400)) '+%F 10:00')" \
	--where "Education block, room 4"
kp appointment add A1234BC --kind visit --at "$(day 7200 '+%F %H:%M')" \
	--where "Visits hall" --with "Maria Jones (mother)"
kp appointment add A1234BC --kind release --at "$release 08:00" \
	--where "Reception, HMP Moorland" --with "Kiran Patel"
for app in housing appointments; do
	if [ -x "$bin/onward-app-$app" ]; then
		title=$(echo "$app" | sed 's/^./\U&/')
		ctl app register "$app" --path "$(cd "$bin" && pwd)/onward-app-$app" --title "$title"
	fi
done

echo "Demo people and their one-time PINs:"
echo "  A1234BC  Sam Jones    PIN $sam"
echo "  B2345CD  Lee Walker   PIN $lee"
echo "  C3456DE  Dan Price    PIN $dan"
