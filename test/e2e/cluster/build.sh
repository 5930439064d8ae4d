#!/usr/bin/env bash
# Builds the e2e control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok) from Go modules via the Go module proxy, into a cache directory
# OUTSIDE the repository, keyed by versions:
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/k8s-<v>-etcd-<v>-kwok-<v>-go<v>/{bin,stages}
# Skips everything ("cached") when all binaries and stage files already exist.
# Needs: Go (GOTOOLCHAIN=local, the module proxy), flock, ~3 GB RAM peak.
# Also builds the real Metacontroller into its own cache directory (build-metacontroller.sh).
# Usage: bash test/e2e/cluster/build.sh   (prints the bin dir on the last line)
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

bash "$E2E_CLUSTER_DIR/build-metacontroller.sh"

is_cached() {
  local b f
  for b in "${E2E_BINARIES[@]}"; do [[ -x "$E2E_BIN_DIR/$b" ]] || return 1; done
  for f in "${E2E_KWOK_STAGE_FILES[@]}"; do [[ -s "$E2E_STAGES_DIR/$(basename "$f")" ]] || return 1; done
  return 0
}

if is_cached; then
  echo "cached: $E2E_CACHE_KEY"
  echo "$E2E_BIN_DIR"
  exit 0
fi

mkdir -p "$E2E_CACHE_ROOT"
# Serialize concurrent builds of the same key (two CI jobs / a dev shell and a test run).
exec 9>"$E2E_CACHE_DIR.lock"
flock 9
if is_cached; then
  echo "cached (built concurrently): $E2E_CACHE_KEY"
  echo "$E2E_BIN_DIR"
  exit 0
fi

mkdir -p "$E2E_BIN_DIR" "$E2E_STAGES_DIR" "$E2E_CACHE_DIR/src"
export CGO_ENABLED=0
GOPAR=(-p "${RW_E2E_GO_PARALLEL:-2}")
TOTAL_START=$(date +%s)

timed() { # timed LABEL CMD...
  local label=$1 start rc=0; shift
  start=$(date +%s)
  echo "==> [$label] $*"
  "$@" || rc=$?
  echo "==> [$label] $(( $(date +%s) - start ))s (exit $rc)"
  return "$rc"
}

# Copy a committed wrapper module into the cache's src dir, tidy it there (a no-op when the
# committed go.mod/go.sum are already tidy) and warn if tidy had to change anything.
prepare_wrapper() { # prepare_wrapper NAME -> echoes the work dir
  local name=$1 src="$E2E_CLUSTER_DIR/$1" work="$E2E_CACHE_DIR/src/$1"
  rm -rf "$work"; mkdir -p "$work"
  cp "$src/go.mod" "$work/go.mod"
  [[ -f "$src/go.sum" ]] && cp "$src/go.sum" "$work/go.sum"
  (cd "$work" && go mod tidy) >&2
  if ! cmp -s "$src/go.mod" "$work/go.mod" || ! cmp -s "$src/go.sum" "$work/go.sum" 2>/dev/null; then
    echo "WARNING: $src/go.mod or go.sum is not tidy; the tidied files are in $work" >&2
  fi
  echo "$work"
}

# ---- kwok (small; also validates proxy access early) -------------------------------------
if [[ ! -x "$E2E_BIN_DIR/kwok" ]]; then
  tmpbin=$(mktemp -d "$E2E_CACHE_DIR/kwokbin.XXXX")
  timed kwok env GOBIN="$tmpbin" go install "${GOPAR[@]}" -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  mv "$tmpbin/kwok" "$E2E_BIN_DIR/kwok"; rmdir "$tmpbin"
fi
# Stage YAMLs come from the kwok module itself (same version as the binary), not a copy in git.
kwok_dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[[ -d "$kwok_dir" ]] || { echo "cannot locate sigs.k8s.io/kwok@$KWOK_VERSION in the module cache" >&2; exit 1; }
for f in "${E2E_KWOK_STAGE_FILES[@]}"; do
  install -m 0644 "$kwok_dir/$f" "$E2E_STAGES_DIR/$(basename "$f")"
done

# ---- etcd ---------------------------------------------------------------------------------
if [[ ! -x "$E2E_BIN_DIR/etcd" ]]; then
  work=$(prepare_wrapper etcd)
  timed "etcd $ETCD_VERSION" bash -c "cd '$work' && go build ${GOPAR[*]} -trimpath -ldflags '-s -w' -o '$work/etcd' go.etcd.io/etcd/server/v3"
  mv "$work/etcd" "$E2E_BIN_DIR/etcd"
fi

# ---- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl -----------------------
# kubectl is built too so the harness never depends on the host's kubectl version.
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
need_k8s=0
for b in "${K8S_BINARIES[@]}"; do [[ -x "$E2E_BIN_DIR/$b" ]] || need_k8s=1; done
if (( need_k8s )); then
  work=$(prepare_wrapper k8s)
  minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  build_date=$(go list -m -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"Time": "\(.*\)",\{0,1\}$/\1/p')
  LDF=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    LDF+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=${build_date:-1970-01-01T00:00:00Z}"
  done
  mkdir -p "$work/out"
  timed "k8s $K8S_VERSION (${K8S_BINARIES[*]})" bash -c "cd '$work' && go build ${GOPAR[*]} -trimpath -ldflags '$LDF -s -w' -o '$work/out/' \
    ${K8S_BINARIES[*]/#/k8s.io/kubernetes/cmd/}"
  for b in "${K8S_BINARIES[@]}"; do mv "$work/out/$b" "$E2E_BIN_DIR/$b"; done
fi

is_cached || { echo "build finished but some outputs are missing in $E2E_CACHE_DIR" >&2; exit 1; }
ls -l "$E2E_BIN_DIR"
"$E2E_BIN_DIR/kube-apiserver" --version
"$E2E_BIN_DIR/kubectl" version --client 2>/dev/null | sed -n 1p
"$E2E_BIN_DIR/etcd" --version | sed -n 1p
echo "==> total $(( $(date +%s) - TOTAL_START ))s"
echo "$E2E_BIN_DIR"
