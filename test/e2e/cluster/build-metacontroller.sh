#!/usr/bin/env bash
# Builds the real Metacontroller ($METACONTROLLER_VERSION) for the e2e tests, into its own cache directory
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/metacontroller-<version>-go<ver>/{bin/metacontroller,manifests/}
# manifests/ is the tag's manifests/production (CRDs, RBAC, the StatefulSet users deploy).
# Its module path is the bare `metacontroller`, so the Go proxy cannot serve it and `go install` cannot
# work: the source comes from $E2E_VENDOR_DIR/metacontroller-<version>.tar.gz (sha256 checked) or, where
# that folder does not exist, from a git clone of the tag (commit checked). Dependencies come from the
# Go module proxy as usual. Prints `cached` when both outputs exist. build.sh runs this first.
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

is_cached() { [[ -x "$E2E_MC_BIN" && -s "$E2E_MC_MANIFESTS_DIR/metacontroller-crds-v1.yaml" ]]; }
if is_cached; then echo "cached: $E2E_MC_CACHE_KEY"; exit 0; fi

mkdir -p "$E2E_CACHE_ROOT"
exec 8>"$E2E_MC_CACHE_DIR.lock"
flock 8
if is_cached; then echo "cached (built concurrently): $E2E_MC_CACHE_KEY"; exit 0; fi

start=$(date +%s)
src="$E2E_MC_CACHE_DIR/src"
rm -rf "$src" && mkdir -p "$src" "$(dirname "$E2E_MC_BIN")"
tarball="$E2E_VENDOR_DIR/metacontroller-$METACONTROLLER_VERSION.tar.gz"
if [[ -d "$E2E_VENDOR_DIR" ]]; then
  [[ -f "$tarball" ]] || { echo "build-metacontroller: $E2E_VENDOR_DIR exists but has no $(basename "$tarball")" >&2; exit 1; }
  echo "$METACONTROLLER_TARBALL_SHA256  $tarball" | sha256sum -c --quiet - \
    || { echo "build-metacontroller: sha256 of $tarball is not $METACONTROLLER_TARBALL_SHA256" >&2; exit 1; }
  tar -xzf "$tarball" -C "$src" --strip-components=1
  echo "==> [metacontroller] source: $tarball"
else
  git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$METACONTROLLER_VERSION" "$METACONTROLLER_REPO" "$src"
  got=$(git -C "$src" rev-parse HEAD)
  [[ "$got" == "$METACONTROLLER_COMMIT" ]] \
    || { echo "build-metacontroller: tag $METACONTROLLER_VERSION is $got, expected $METACONTROLLER_COMMIT" >&2; exit 1; }
  echo "==> [metacontroller] source: $METACONTROLLER_REPO@$METACONTROLLER_VERSION ($got)"
fi

# The ldflags goreleaser sets for releases, so the binary logs its real version at startup.
ldflags="-s -w -X main.version=${METACONTROLLER_VERSION#v} -X main.commit=$METACONTROLLER_COMMIT"
(cd "$src" && CGO_ENABLED=0 go build -p "${RW_E2E_GO_PARALLEL:-2}" -trimpath -ldflags "$ldflags" -o "$src/metacontroller.out" ./pkg/cmd/metacontroller)
rm -rf "$E2E_MC_MANIFESTS_DIR" && cp -r "$src/manifests/production" "$E2E_MC_MANIFESTS_DIR"
mv "$src/metacontroller.out" "$E2E_MC_BIN"
is_cached || { echo "build-metacontroller: outputs missing in $E2E_MC_CACHE_DIR" >&2; exit 1; }
echo "==> [metacontroller $METACONTROLLER_VERSION] $(( $(date +%s) - start ))s -> $E2E_MC_BIN"
