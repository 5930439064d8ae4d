#!/usr/bin/env bash
# Builds the release tooling the tests check the project with, from Go modules via the module proxy, into
# the e2e cache OUTSIDE the repository, keyed by versions:
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/tools-helm-<v>-actionlint-<v>-go<v>/bin/{helm,actionlint}
# helm lints and renders charts/risingwave-hook (test/deploy/helm.test.ts, the install e2e); actionlint checks
# .github/workflows (.ci/run). Skips everything ("cached") when both binaries exist.
# Usage: bash test/e2e/cluster/build-tools.sh   (prints the bin dir on the last line)
set -euo pipefail
export GOTOOLCHAIN=local
HELM_VERSION=v4.3.2
ACTIONLINT_VERSION=v1.7.12
TOOLS=(helm actionlint)
CACHE_ROOT=${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}
KEY="tools-helm-${HELM_VERSION}-actionlint-${ACTIONLINT_VERSION}-$(go env GOVERSION)"
DIR="$CACHE_ROOT/$KEY"
BIN="$DIR/bin"

is_cached() { local t; for t in "${TOOLS[@]}"; do [[ -x "$BIN/$t" ]] || return 1; done; }

if is_cached; then echo "cached: $KEY"; echo "$BIN"; exit 0; fi
mkdir -p "$CACHE_ROOT"
# Serialize concurrent builds of the same key (a dev shell and a test run, two CI jobs).
exec 9>"$DIR.lock"
flock 9
if is_cached; then echo "cached (built concurrently): $KEY"; echo "$BIN"; exit 0; fi
mkdir -p "$BIN"
export CGO_ENABLED=0
start_all=$(date +%s)

install_tool() { # install_tool NAME PACKAGE@VERSION [LDFLAGS]
  local name=$1 pkg=$2 ldflags=${3:-} tmp start
  [[ -x "$BIN/$name" ]] && return 0
  # Into a temporary GOBIN first, so an interrupted build never leaves a half-written binary at the final path.
  tmp=$(mktemp -d "$DIR/gobin.XXXX")
  start=$(date +%s)
  echo "==> [$name] go install $pkg"
  GOBIN="$tmp" go install -p "${RW_E2E_GO_PARALLEL:-2}" -trimpath -ldflags "-s -w $ldflags" "$pkg"
  mv "$tmp/$name" "$BIN/$name"; rmdir "$tmp"
  echo "==> [$name] $(( $(date +%s) - start ))s"
}

# `helm version` reads these; a `go install` of the module would otherwise report a dev build.
install_tool helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
install_tool actionlint "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION"

is_cached || { echo "build finished but a tool is missing in $BIN" >&2; exit 1; }
"$BIN/helm" version --short
"$BIN/actionlint" -version | sed -n 1p
echo "==> total $(( $(date +%s) - start_all ))s"
echo "$BIN"
