#!/usr/bin/env bash
# Builds the real risingwave-operator manager (`go build ./cmd/manager`, CGO off) for the migration e2e,
# into a cache directory OUTSIDE the repository keyed by the operator tag and the Go version:
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/operator-v0.17.2-go<ver>/{bin/manager,crd/,webhook/}
# Source: the vendored tarball (sha256 checked) when present, else a clone of the tag whose commit is checked.
# Dependencies come from the Go module proxy. Prints `cached` (and the cache dir last) when done.
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

is_cached() {
  local f
  for f in "${OPERATOR_OUTPUTS[@]}"; do [[ -s "$OPERATOR_CACHE_DIR/$f" ]] || return 1; done
  [[ -x "$OPERATOR_CACHE_DIR/bin/manager" ]]
}

if is_cached; then
  echo "cached: operator-$OPERATOR_VERSION-$GO_VERSION"
  echo "$OPERATOR_CACHE_DIR"
  exit 0
fi

mkdir -p "$OPERATOR_CACHE_ROOT"
# Serialize concurrent builds of the same key.
exec 9>"$OPERATOR_CACHE_DIR.lock"
flock 9
if is_cached; then
  echo "cached (built concurrently): operator-$OPERATOR_VERSION-$GO_VERSION"
  echo "$OPERATOR_CACHE_DIR"
  exit 0
fi

start=$(date +%s)
src="$OPERATOR_CACHE_DIR/src"
rm -rf "$src" && mkdir -p "$src"
if [[ -f "$OPERATOR_TARBALL" ]]; then
  echo "$OPERATOR_TARBALL_SHA256  $OPERATOR_TARBALL" | sha256sum -c - >&2
  tar -xzf "$OPERATOR_TARBALL" -C "$src" --strip-components=1
else
  echo "no $OPERATOR_TARBALL; cloning $OPERATOR_REPO at $OPERATOR_VERSION" >&2
  git clone --quiet --depth 1 --branch "$OPERATOR_VERSION" "$OPERATOR_REPO" "$src"
  got=$(git -C "$src" rev-parse HEAD)
  [[ "$got" == "$OPERATOR_COMMIT" ]] || { echo "tag $OPERATOR_VERSION is $got, expected $OPERATOR_COMMIT" >&2; exit 1; }
fi

mkdir -p "$OPERATOR_CACHE_DIR/bin" "$OPERATOR_CACHE_DIR/crd" "$OPERATOR_CACHE_DIR/webhook"
# operatorVersion is set as the project's Makefile does (it becomes the risingwave/operator-version label).
(cd "$src" && CGO_ENABLED=0 go build -p "${RW_E2E_GO_PARALLEL:-2}" -trimpath \
  -ldflags "-s -w -X main.operatorVersion=$OPERATOR_VERSION" -o "$OPERATOR_CACHE_DIR/bin/manager.tmp" ./cmd/manager)
mv "$OPERATOR_CACHE_DIR/bin/manager.tmp" "$OPERATOR_CACHE_DIR/bin/manager"
cp "$src"/config/crd/bases/risingwave.risingwavelabs.com_*.yaml "$OPERATOR_CACHE_DIR/crd/"
cp "$src/config/webhook/manifests.yaml" "$OPERATOR_CACHE_DIR/webhook/manifests.yaml"
rm -rf "$src"

is_cached || { echo "build finished but some outputs are missing in $OPERATOR_CACHE_DIR" >&2; exit 1; }
echo "==> operator $OPERATOR_VERSION built in $(( $(date +%s) - start ))s"
echo "cached: operator-$OPERATOR_VERSION-$GO_VERSION"
echo "$OPERATOR_CACHE_DIR"
