#!/bin/sh
# Installs the Cedar reference implementation for the differential test and the benchmark,
# from package-lock.json, when node_modules is missing. Needs node and npm (Debian's nodejs
# and npm packages are enough) and the npm registry.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/node_modules/@cedar-policy/cedar-wasm/package.json" ]; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "setup: npm not found; install nodejs and npm"; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
