#!/bin/sh
# cli_test.sh: onward-pack end to end, as a provider and an operator would run it:
# keygen -> certify -> build -> verify -> inspect on the example courses, then the
# command's refusals (exit 1 with one line; a format 1 pack among them) and usage errors
# (exit 2).
#   sh cli_test.sh PATH/TO/onward-pack PATH/TO/apps/learning/courses
set -eu
pack=$1
courses=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "cli_test: $*" >&2; exit 1; }
# expect CODE "exact stderr line" command...
expect() {
	code=$1 want=$2
	shift 2
	set +e
	"$@" >out 2>err
	got=$?
	set -e
	[ "$got" = "$code" ] || { cat out err >&2; fail "$* exited $got, not $code"; }
	if [ -n "$want" ]; then
		[ "$(cat err)" = "$want" ] || fail "$*: stderr was '$(cat err)', not '$want'"
		[ "$(wc -l <err)" -eq 1 ] || fail "$*: more than one line on stderr"
	fi
}

# The content root and a provider.
expect 0 "" "$pack" keygen --out root.pem --pub root.pub
expect 0 "" "$pack" keygen --out college.pem --pub college.pub
[ "$(stat -c %a root.pem)" = 600 ] || fail "private key is not mode 0600"
expect 1 "onward-pack keygen: root.pem: cannot create key file: File exists" \
	"$pack" keygen --out root.pem
expect 0 "" "$pack" certify --root root.pem --provider-key college.pub \
	--provider-id example-college --provider-name "Example College" \
	--not-before 2026-01-01 --not-after 2026-12-31 -o college.cert

# Build and check both example courses.
for course in managing-money tenancy-agreement; do
	expect 0 "" "$pack" build "$courses/$course" -o "$course.pack" --key college.pem \
		--cert college.cert
	expect 0 "" "$pack" verify "$course.pack" --trust root.pub --at 2026-06-01
	grep -q ": OK: " out || fail "verify printed no OK line"
done
expect 0 "" "$pack" inspect managing-money.pack
grep -q "^Managing money$" out || fail "inspect: no title"
grep -q "level:     entry1" out || fail "inspect: no level"
grep -q "signatures: NOT checked" out || fail "inspect: claims signatures were checked"
expect 0 "" "$pack" inspect managing-money.pack --json --trust root.pub --at 2026-06-01
grep -q '"id": "uk.onward.managing-money"' out || fail "inspect --json: no id"
grep -q '"verified": true' out || fail "inspect --json: not verified"

# A level 3 course builds (policy opens it at the enhanced incentive level); a level 4 does
# not, with the levels there are.
cp -r "$courses/tenancy-agreement" level3
sed 's/"level": "entry3"/"level": "level3"/' "$courses/tenancy-agreement/course.json" \
	>level3/course.json
expect 0 "" "$pack" build level3 -o level3.pack --key college.pem --cert college.cert
expect 0 "" "$pack" inspect level3.pack
grep -q "level:     level3" out || fail "inspect: level 3 not shown"
sed -i 's/"level": "level3"/"level": "level4"/' level3/course.json
expect 1 "onward-pack build: course.json: manifest: level must be entry1, entry2, entry3, level1, level2 or level3" \
	"$pack" build level3 -o level4.pack --key college.pem --cert college.cert

# Refusals: one line, exit 1.
expect 1 "onward-pack verify: managing-money.pack: certificate expired on 2026-12-31" \
	"$pack" verify managing-money.pack --trust root.pub --at 2027-01-01
expect 1 "onward-pack verify: managing-money.pack: certificate is not valid until 2026-01-01" \
	"$pack" verify managing-money.pack --trust root.pub --at 2025-12-31
# Without --at the certificate is checked against the clock: one that ended in 2020 fails.
expect 0 "" "$pack" certify --root root.pem --provider-key college.pub \
	--provider-id example-college --provider-name "Example College" \
	--not-before 2019-01-01 --not-after 2020-01-31 -o old.cert
expect 0 "" "$pack" build "$courses/managing-money" -o old.pack --key college.pem --cert old.cert
expect 1 "onward-pack verify: old.pack: certificate expired on 2020-01-31" \
	"$pack" verify old.pack --trust root.pub
"$pack" keygen --out other.pem --pub other.pub >out
other_id=$(sed -n 's/^key \([0-9a-f]*\):.*/\1/p' out)
root_id=$(grep -o '"issuer_key_id": "[0-9a-f]*"' college.cert | cut -d'"' -f4)
expect 1 "onward-pack verify: managing-money.pack: certificate was issued by root key $root_id, not by the trusted root $other_id" \
	"$pack" verify managing-money.pack --trust other.pub --at 2026-06-01
cp managing-money.pack changed.pack
printf 'X' | dd of=changed.pack bs=1 seek=200 conv=notrunc 2>/dev/null
expect 1 "" "$pack" verify changed.pack --trust root.pub --at 2026-06-01
# A format 2 pack starts with its envelope; a format 1 pack (a bare zip, here the same
# pack's zip cut out of its envelope) is refused with what to do, by verify and inspect.
[ "$(head -c 8 managing-money.pack)" = ONWDPACK ] || fail "a built pack has no format 2 magic"
cert_len=$(od -An -tu1 -j12 -N4 managing-money.pack | awk '{print $1*16777216+$2*65536+$3*256+$4}')
tail -c +$((16 + cert_len + 64 + 1)) managing-money.pack >format1.pack
[ "$(head -c 2 format1.pack)" = PK ] || fail "the zip was not where the header says"
expect 1 "onward-pack verify: format1.pack: this is a format 1 course pack, which is no longer accepted: rebuild it with the current onward-pack (onward-pack build)" \
	"$pack" verify format1.pack --trust root.pub --at 2026-06-01
expect 1 "onward-pack inspect: format1.pack: this is a format 1 course pack, which is no longer accepted: rebuild it with the current onward-pack (onward-pack build)" \
	"$pack" inspect format1.pack
# A provider key the root did not certify cannot build with the college's certificate.
expect 1 "onward-pack build: the signing key is not the key the certificate certifies" \
	"$pack" build "$courses/managing-money" -o stolen.pack --key other.pem --cert college.cert
[ ! -e stolen.pack ] || fail "a refused build left a file"

# Usage errors: exit 2.
expect 2 "" "$pack"
expect 2 "" "$pack" frobnicate
expect 2 "onward-pack verify: --trust ROOT_PUB.pem is required; see onward-pack verify --help" \
	"$pack" verify managing-money.pack
expect 2 "" "$pack" verify managing-money.pack --trust root.pub --at yesterday
expect 2 "" "$pack" build "$courses/managing-money"
expect 2 "" "$pack" certify --root root.pem
expect 2 "" "$pack" keygen
expect 2 "" "$pack" inspect
expect 2 "" "$pack" keygen --bogus
for cmd in keygen certify build verify inspect; do
	expect 0 "" "$pack" $cmd --help
	grep -q "^usage: onward-pack $cmd" out || fail "$cmd --help shows no usage"
done
expect 0 "" "$pack" --help
echo "cli_test: all passed"
