#!/bin/sh
# The process that holds the store key and identity keys must not map a zip, PNG or
# Markdown parser at all (issue 14, section 3): onward-policyd links only the part of the
# pack library that parses no pack, and onward-parse, its keyless child, links the rest.
# Checks both, directly (readelf's NEEDED entries) and with everything they pull in (ldd),
# and that the check can see those libraries at all (onward-parse must have them).
#   daemon_libs.sh BIN_DIR
set -eu
bin=${1:?usage: daemon_libs.sh BIN_DIR}
parsers='libzip|libpng|libmd4c'
fail=0
for tool in readelf ldd; do
	command -v $tool >/dev/null || { echo "daemon_libs: $tool is missing"; exit 1; }
done
needed=$(readelf -d "$bin/onward-policyd" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
# ldd cannot follow another architecture's programs (the arm64 tests under qemu-user):
# there each program's own NEEDED entries stand for all it maps; the x86 run follows all.
deps() {
	if ldd "$1" >/dev/null 2>&1; then
		ldd "$1"
	else
		readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
	fi
}
all=$(deps "$bin/onward-policyd")
if echo "$needed" | grep -Eq "$parsers"; then
	echo "FAIL: onward-policyd needs a parser library directly:"
	echo "$needed" | grep -E "$parsers"
	fail=1
fi
if echo "$all" | grep -Eq "$parsers"; then
	echo "FAIL: onward-policyd maps a parser library through another:"
	echo "$all" | grep -E "$parsers"
	fail=1
fi
# The daemon's own code carries none of them either (they could be linked statically).
if nm -D --undefined-only "$bin/onward-policyd" | grep -Eq ' (zip_|png_|md_parse)'; then
	echo "FAIL: onward-policyd calls zip_*, png_* or md_parse"
	fail=1
fi
for lib in libzip libpng libmd4c; do
	deps "$bin/onward-parse" | grep -q "$lib" || {
		echo "FAIL: onward-parse does not map $lib: the check cannot see it"
		fail=1
	}
done
[ $fail -eq 0 ] && echo "ok: onward-policyd maps no libzip, libpng or libmd4c; onward-parse does"
exit $fail
