# shellcheck shell=bash
# Sourced by build.sh and up.sh: pinned versions and the cache location of the built binaries.
# The cache key contains every input that changes the binaries (k8s, etcd, kwok and Go versions).
E2E_CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export GOTOOLCHAIN=local
K8S_VERSION=v1.36.3
K8S_STAGING_VERSION=v0.36.3
# etcd is pinned in etcd/go.mod (the single source of truth); read it from there.
ETCD_VERSION=$(awk '{ for (i = 1; i < NF; i++) if ($i == "go.etcd.io/etcd/server/v3" && $(i+1) ~ /^v[0-9]/) { print $(i+1); exit } }' "$E2E_CLUSTER_DIR/etcd/go.mod")
KWOK_VERSION=v0.8.0
GO_VERSION=$(go env GOVERSION)
E2E_CACHE_ROOT=${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}
E2E_CACHE_KEY="k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}-kwok-${KWOK_VERSION}-${GO_VERSION}"
E2E_CACHE_DIR="$E2E_CACHE_ROOT/$E2E_CACHE_KEY"
E2E_BIN_DIR="$E2E_CACHE_DIR/bin"
E2E_STAGES_DIR="$E2E_CACHE_DIR/stages"
E2E_BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)
# kwok Stage files copied out of the kwok module at build time (paths inside sigs.k8s.io/kwok@$KWOK_VERSION).
E2E_KWOK_STAGE_FILES=(
  kustomize/stage/node/fast/node-initialize.yaml
  kustomize/stage/pod/fast/pod-ready.yaml
  kustomize/stage/pod/fast/pod-complete.yaml
  kustomize/stage/pod/fast/pod-delete.yaml
  kustomize/stage/volume/fast/storage-class.yaml
  kustomize/stage/volume/fast/pvc-provision.yaml
  kustomize/stage/volume/fast/pv-bind.yaml
  kustomize/stage/volume/fast/pv-delete.yaml
  kustomize/stage/volume/fast/pvc-delete.yaml
)

# ---- Metacontroller (built from source: its module path `metacontroller` is not on the Go proxy) ----
# A cache directory of its own, so a Metacontroller bump leaves the control-plane binaries valid.
METACONTROLLER_VERSION=v4.17.2
METACONTROLLER_COMMIT=76b818bdc67ba56570abe5f69f714d56c0ff5c52
METACONTROLLER_REPO=https://github.com/metacontroller/metacontroller
METACONTROLLER_TARBALL_SHA256=bfbddc14ecb28adecacb0d3176bc4ffb943a027a4b1c2373dbebafe21dd3da51
# Folder holding metacontroller-<version>.tar.gz (`git archive` of the tag); when it is absent the
# tag is cloned with git instead.
E2E_VENDOR_DIR=${RW_E2E_VENDOR:-$(cd "$E2E_CLUSTER_DIR/../../../.." && pwd)/shared/vendor}
E2E_MC_CACHE_KEY="metacontroller-${METACONTROLLER_VERSION}-${GO_VERSION}"
E2E_MC_CACHE_DIR="$E2E_CACHE_ROOT/$E2E_MC_CACHE_KEY"
# bin/metacontroller and manifests/ (a copy of the tag's manifests/production: CRDs, RBAC, StatefulSet).
E2E_MC_BIN="$E2E_MC_CACHE_DIR/bin/metacontroller"
E2E_MC_MANIFESTS_DIR="$E2E_MC_CACHE_DIR/manifests"
