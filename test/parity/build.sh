#!/usr/bin/env bash
# Builds test/parity's program against risingwave-operator v0.17.2's own source, into a cache
# directory OUTSIDE the repository:
#   ${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}/parity-v0.17.2-go<v>/{bin/parity,crd/,manifests/,src/}
# The operator source is ../shared/vendor's tarball (sha256 checked) or, where that folder is absent,
# a git clone of the tag (commit checked). Prints "cached" when nothing had to be built, and the
# cache directory on the last line.
# Needs: Go (GOTOOLCHAIN=local, the module proxy), flock, tar or git.
set -euo pipefail
export GOTOOLCHAIN=local
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

OPERATOR_VERSION=v0.17.2
OPERATOR_COMMIT=33ddf1c476ff0f6eb97cca9a0feed39e00f7527b
OPERATOR_SHA256=57c13e09b27d1c14ff6e24e00f9334660f7ed9e0879264f3e8ad37b855b5fca1
OPERATOR_REPO=https://github.com/risingwavelabs/risingwave-operator
vendor_tar="$repo/../shared/vendor/risingwave-operator-$OPERATOR_VERSION.tar.gz"

cache_root=${RW_E2E_CACHE:-$HOME/.cache/rw-hook-e2e}
dir="$cache_root/parity-$OPERATOR_VERSION-$(go env GOVERSION)"
# The program's own source is part of the key: editing it must rebuild, not reuse a stale binary.
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here"/*.go | sha256sum | cut -c1-16)

is_cached() { [[ -x "$dir/bin/parity" && -s "$dir/crd/risingwaves.yaml" && "$(cat "$dir/stamp" 2>/dev/null)" == "$stamp" ]]; }

if is_cached; then echo "cached: $dir"; echo "$dir"; exit 0; fi
mkdir -p "$cache_root"
exec 9>"$dir.lock"
flock 9
if is_cached; then echo "cached (built concurrently): $dir"; echo "$dir"; exit 0; fi
start=$(date +%s)

src="$dir/src"
if [[ ! -f "$src/operator/.commit" || "$(cat "$src/operator/.commit")" != "$OPERATOR_COMMIT" ]]; then
  rm -rf "$src"; mkdir -p "$src/operator"
  if [[ -f "$vendor_tar" ]]; then
    # The pinned sum must be the one the vendor folder's README publishes, and the tarball must match it.
    readme="$(dirname "$vendor_tar")/README.md"
    if [[ -f "$readme" ]] && ! grep -q "^$OPERATOR_SHA256  $(basename "$vendor_tar")\$" "$readme"; then
      echo "$readme does not list sha256 $OPERATOR_SHA256 for $(basename "$vendor_tar")" >&2; exit 1
    fi
    echo "$OPERATOR_SHA256  $vendor_tar" | sha256sum -c --quiet - || { echo "sha256 mismatch: $vendor_tar" >&2; exit 1; }
    tar -xzf "$vendor_tar" -C "$src/operator" --strip-components=1
  else
    clone=$(mktemp -d "$dir.clone.XXXX")
    git -c advice.detachedHead=false clone -q --depth 1 --branch "$OPERATOR_VERSION" "$OPERATOR_REPO" "$clone"
    got=$(git -C "$clone" rev-parse HEAD)
    [[ "$got" == "$OPERATOR_COMMIT" ]] || { echo "tag $OPERATOR_VERSION is $got, expected $OPERATOR_COMMIT" >&2; rm -rf "$clone"; exit 1; }
    git -C "$clone" archive HEAD | tar -x -C "$src/operator"
    rm -rf "$clone"
  fi
  echo "$OPERATOR_COMMIT" > "$src/operator/.commit"
fi

cp "$here/go.mod" "$here/go.sum" "$here"/*.go "$src/"
(cd "$src" && go mod tidy) >&2
if ! cmp -s "$here/go.mod" "$src/go.mod" || ! cmp -s "$here/go.sum" "$src/go.sum"; then
  echo "WARNING: test/parity/go.mod or go.sum is not tidy; the tidied files are in $src" >&2
fi
mkdir -p "$dir/bin" "$dir/crd" "$dir/manifests"
(cd "$src" && CGO_ENABLED=0 go build -p "${RW_E2E_GO_PARALLEL:-2}" -trimpath -ldflags "-s -w" -o "$dir/bin/parity.new" .)
mv "$dir/bin/parity.new" "$dir/bin/parity"
cp "$src/operator/config/crd/bases/risingwave.risingwavelabs.com_risingwaves.yaml" "$dir/crd/risingwaves.yaml"
rm -rf "$dir/manifests"; cp -r "$src/operator/docs/manifests" "$dir/manifests"
echo "$stamp" > "$dir/stamp"
echo "==> parity built in $(( $(date +%s) - start ))s"
echo "$dir"
