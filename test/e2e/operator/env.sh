# shellcheck shell=bash
# Sourced by build.sh: the pinned risingwave-operator release and where its manager binary is cached.
# The cache key holds every input that changes the binary (operator tag and Go version).
OPERATOR_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export GOTOOLCHAIN=local
OPERATOR_VERSION=v0.17.2
OPERATOR_COMMIT=33ddf1c476ff0f6eb97cca9a0feed39e00f7527b
OPERATOR_TARBALL_SHA256=57c13e09b27d1c14ff6e24e00f9334660f7ed9e0879264f3e8ad37b855b5fca1
OPERATOR_REPO=https://github.com/risingwavelabs/risingwave-operator
# The vendored tarball sits next to the checkout (../shared/vendor from the repository root's parent).
OPERATOR_TARBALL=${RW_OPERATOR_TARBALL:-$(cd "$OPERATOR_DIR/../../../.." && pwd)/shared/vendor/risingwave-operator-$OPERATOR_VERSION.tar.gz}
GO_VERSION=$(go env GOVERSION)
OPERATOR_CACHE_ROOT=${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}
OPERATOR_CACHE_DIR="$OPERATOR_CACHE_ROOT/operator-$OPERATOR_VERSION-$GO_VERSION"
# Outputs: bin/manager, and the CRDs and webhook manifests of the same source (crd/, webhook/).
OPERATOR_OUTPUTS=(bin/manager crd/risingwave.risingwavelabs.com_risingwaves.yaml crd/risingwave.risingwavelabs.com_risingwavescaleviews.yaml webhook/manifests.yaml)
