#!/bin/sh
# cli_test.sh: onward-bundle end to end, as operators would run it: keygen for two
# establishments, cert show and verify, seal, inspect, open; a national root certifying
# an establishment; then each refusal (exit 1, one line on stderr) and usage errors (2).
#   sh cli_test.sh PATH/TO/onward-bundle
set -eu
ob=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "cli_test: $*" >&2; exit 1; }
# expect CODE "exact stderr line, or empty for any" command...
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
	fi
	if [ "$code" = 1 ]; then
		[ "$(wc -l <err)" -eq 1 ] || fail "$*: not one line on stderr: $(cat err)"
	fi
}

# Two establishments and a probation region, valid for 2026 and 2027.
expect 0 "" "$ob" keygen --code MDI --name "HMP Moorland" --kind prison --days 730 \
	--not-before 2026-01-01 --key-out MDI
grep -q "^fingerprint [0-9a-f]\{64\}$" out || fail "keygen printed no fingerprint"
expect 0 "" "$ob" keygen --code BXI --name "HMP Brixton" --kind prison --days 730 \
	--not-before 2026-01-01 --key-out BXI
expect 0 "" "$ob" keygen --code NEP --name "North East Probation" --kind probation \
	--days 730 --not-before 2026-01-01 --key-out NEP
[ "$(stat -c %a MDI)" = 700 ] || fail "identity folder is not 0700"
[ "$(stat -c %a MDI/identity.pem)" = 600 ] || fail "identity.pem is not 0600"
expect 1 "onward-bundle keygen: MDI/cert.json: cannot create: File exists" \
	"$ob" keygen --code MDI --name "HMP Moorland" --kind prison --days 730 --key-out MDI

expect 0 "" "$ob" cert show MDI/cert.json
grep -q "^MDI HMP Moorland$" out || fail "cert show: no code and name"
grep -q "^not after    2027-12-31T23:59:59Z$" out || fail "cert show: no not-after"
grep -q "^issuer       self-signed$" out || fail "cert show: no issuer"
fp=$(sed -n 's/^fingerprint  //p' out)
[ ${#fp} = 64 ] || fail "cert show: no fingerprint"
expect 0 "" "$ob" cert verify MDI/cert.json --at 2026-06-01
expect 1 "onward-bundle cert verify: the certificate of MDI expired on 2027-12-31T23:59:59Z" \
	"$ob" cert verify MDI/cert.json --at 2028-01-01

# A transfer: MDI seals for BXI; BXI inspects and opens.
head -c 300000 /dev/urandom >record.json
expect 0 "" "$ob" seal --identity MDI --to BXI/cert.json --in record.json --out b1 \
	--at 2026-06-01T10:00:00Z
expect 0 "" "$ob" inspect b1
grep -q "^from          MDI HMP Moorland (prison)$" out || fail "inspect: no sender"
grep -q "^to            BXI$" out || fail "inspect: no recipient"
grep -q "^sealed        2026-06-01T10:00:00Z$" out || fail "inspect: no time"
grep -q "^payload       300000 bytes$" out || fail "inspect: no size"
grep -q "NOT checked" out || fail "inspect: claims to check"
total=$(sed -n 's/^bundle  *\([0-9]*\) bytes$/\1/p' out)
[ "$total" = "$(stat -c %s b1)" ] || fail "inspect: size $total is not the file's"
expect 0 "" "$ob" open --identity BXI --trust MDI/cert.json --in b1 --out got \
	--at 2026-06-02
cmp -s record.json got || fail "open: payload differs"
[ "$(stat -c %a got)" = 600 ] || fail "opened payload is not 0600"
grep -q "from MDI HMP Moorland, sealed 2026-06-01T10:00:00Z" out || fail "open: no summary"

# Refusals: one line each, exit 1, and nothing written.
expect 1 "onward-bundle open: b1: this bundle is for another establishment (BXI)" \
	"$ob" open --identity NEP --trust MDI/cert.json --in b1 --out x --at 2026-06-02
expect 1 "" "$ob" open --identity BXI --trust NEP/cert.json --in b1 --out x --at 2026-06-02
grep -q "the sender MDI (HMP Moorland) is not trusted here" err || fail "untrusted: $(cat err)"
# Another key pair calling itself MDI: trusted, it makes the real MDI's bundle an impostor's.
expect 0 "" "$ob" keygen --code MDI --name "HMP Moorland" --kind prison --days 730 \
	--not-before 2026-01-01 --key-out FAKE
expect 1 "" "$ob" open --identity BXI --trust FAKE/cert.json --in b1 --out x --at 2026-06-02
grep -q "the sender claims to be MDI, but its certificate (.*) is not the certificate of MDI trusted here" err ||
	fail "impostor: $(cat err)"
cp b1 damaged
printf 'X' | dd of=damaged bs=1 seek=80 conv=notrunc 2>/dev/null
expect 1 "onward-bundle open: damaged: the bundle has been altered or damaged: its recipient's fingerprint is not this certificate's and the sender's signature does not verify" \
	"$ob" open --identity BXI --trust MDI/cert.json --in damaged --out x --at 2026-06-02
expect 1 "onward-bundle open: b1: the sender MDI's certificate expired on 2027-12-31T23:59:59Z" \
	"$ob" open --identity BXI --trust MDI/cert.json --in b1 --out x --at 2028-01-01
head -c 1000 b1 >short
expect 1 "onward-bundle open: short: the bundle is cut short: 1000 of its $total bytes are here" \
	"$ob" open --identity BXI --trust MDI/cert.json --in short --out x --at 2026-06-02
cp b1 altered
printf 'X' | dd of=altered bs=1 seek=5000 conv=notrunc 2>/dev/null
expect 1 "onward-bundle open: altered: the bundle has been altered or damaged: the sender's signature does not verify" \
	"$ob" open --identity BXI --trust MDI/cert.json --in altered --out x --at 2026-06-02
expect 1 "" "$ob" open --identity BXI --trust MDI/cert.json --in record.json --out x
grep -q "not an Onward bundle" err || fail "not a bundle: $(cat err)"
[ ! -e x ] || fail "a refused open wrote its output"
expect 1 "onward-bundle inspect: short: 1000 bytes, but the header declares $total: the bundle is cut short" \
	"$ob" inspect short
expect 1 "onward-bundle open: got: cannot create: File exists" \
	"$ob" open --identity BXI --trust MDI/cert.json --in b1 --out got --at 2026-06-02
chmod 644 BXI/identity.pem
expect 1 "" "$ob" open --identity BXI --trust MDI/cert.json --in b1 --out y --at 2026-06-02
grep -q "must be 0600" err || fail "readable key: $(cat err)"
chmod 600 BXI/identity.pem

# A national root: it certifies PVI's keys; BXI, trusting only the root, opens PVI's bundle.
expect 0 "" "$ob" keygen --code GBR --name "Onward national root" --kind root --days 3650 \
	--not-before 2026-01-01 --key-out ROOT
[ ! -e ROOT/identity.pem ] || [ "$(grep -c BEGIN ROOT/identity.pem)" = 1 ] ||
	fail "a root has more than one key"
expect 0 "" "$ob" keygen --code PVI --name "HMP Pentonville" --kind prison --days 730 \
	--not-before 2026-01-01 --key-out PVI
expect 0 "" "$ob" certify --root ROOT --cert PVI/cert.json --days 365 \
	--not-before 2026-01-01 --out pvi-issued.json
mv pvi-issued.json PVI/cert.json
expect 0 "" "$ob" cert verify PVI/cert.json --trust ROOT/cert.json --at 2026-06-01
expect 1 "" "$ob" cert verify PVI/cert.json --at 2026-06-01
expect 0 "" "$ob" seal --identity PVI --to BXI/cert.json --in record.json --out b2 \
	--at 2026-06-01
expect 0 "" "$ob" open --identity BXI --trust ROOT/cert.json --in b2 --out got2 \
	--at 2026-06-02
cmp -s record.json got2 || fail "open through the root: payload differs"
expect 1 "" "$ob" certify --root MDI --cert PVI/cert.json --days 30 --out z.json
grep -q "not a root" err || fail "certify by a non-root: $(cat err)"

# Usage errors: exit 2; every command has --help (exit 0).
expect 2 "" "$ob"
expect 2 "" "$ob" frobnicate
expect 2 "" "$ob" keygen --code MDI
expect 2 "" "$ob" keygen --code mdi --name x --kind prison --days 1 --key-out q
expect 2 "" "$ob" keygen --code MDI --name x --kind jail --days 1 --key-out q
expect 2 "" "$ob" keygen --code MDI --name x --kind prison --days 0 --key-out q
expect 2 "" "$ob" seal --identity MDI --to BXI/cert.json --in record.json
expect 2 "" "$ob" open --identity BXI --in b1 --out q
expect 2 "" "$ob" open --identity BXI --trust MDI/cert.json --in b1 --out q --at tomorrow
expect 2 "" "$ob" inspect
expect 2 "" "$ob" cert
for c in keygen certify "cert show" "cert verify" inspect seal open; do
	# shellcheck disable=SC2086
	expect 0 "" "$ob" $c --help
	grep -q "^usage: onward-bundle" out || fail "$c --help: no usage"
done
expect 0 "" "$ob" --help
echo "cli_test: OK"
