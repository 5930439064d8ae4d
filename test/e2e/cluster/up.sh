#!/usr/bin/env bash
# Starts a throw-away Kubernetes control plane for the e2e tests, entirely on 127.0.0.1:
#   etcd -> kube-apiserver -> (admin kubeconfig) -> kube-controller-manager, kube-scheduler, kwok
#   -> StorageClass kwok-volume + fake Nodes (Ready via kwok's node-initialize stage).
# Binaries come from build.sh's cache (run it first). No root, no Docker, no kubelet.
#
# Usage: up.sh DIR      (DIR is created; must be empty or absent)
# On success writes DIR/cluster.env (shell) and DIR/cluster.json with
#   kubeconfig, server, token, caFile, logDir, pids; logs go to DIR/logs/<component>.log.
# On any failure: prints the tail of every log, stops what was started (down.sh) and exits 1.
# Env: RW_E2E_NODES (fake node count, default 2), RW_E2E_WATCH_PID (if set, a watchdog runs
#   down.sh DIR once that process is gone, so a crashed test runner does not leak the cluster),
#   RW_E2E_STARTUP_TIMEOUT (seconds per component, default 120),
#   RW_E2E_PRELOAD (colon-separated manifest files, e.g. CRDs, applied server-side BEFORE
#   kube-controller-manager starts: the garbage collector only re-discovers new kinds every
#   30 s (hard-coded), so owners of a kind created later are collected ~30-45 s late),
#   RW_E2E_APISERVER_ARGS (extra kube-apiserver flags, split on spaces; e.g. an audit log for bench/fleet.mjs).
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

DIR=${1:?usage: up.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [[ -n "$(ls -A "$DIR")" ]]; then echo "up.sh: $DIR is not empty" >&2; exit 2; fi
touch "$DIR/.rw-e2e-cluster"  # marker: down.sh only deletes directories carrying it
LOGS="$DIR/logs"; PKI="$DIR/pki"
mkdir -p "$LOGS" "$PKI"
mkdir -m 700 "$DIR/etcd-data"
: >"$DIR/pids"
NODES=${RW_E2E_NODES:-2}
TIMEOUT=${RW_E2E_STARTUP_TIMEOUT:-120}
TOKEN=admin-token
T0=$(date +%s%N)

for b in "${E2E_BINARIES[@]}"; do
  [[ -x "$E2E_BIN_DIR/$b" ]] || { echo "up.sh: missing $E2E_BIN_DIR/$b; run test/e2e/cluster/build.sh first" >&2; exit 2; }
done

log() { echo "[up $(( ($(date +%s%N) - T0) / 1000000 ))ms] $*"; }

on_exit() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "up.sh: FAILED (exit $rc); last log lines:" >&2
    for f in "$LOGS"/*.log; do
      [[ -f "$f" ]] || continue
      echo "----- $f" >&2; tail -n 40 "$f" >&2
    done
    bash "$E2E_CLUSTER_DIR/down.sh" --keep "$DIR" >&2 || true
    echo "up.sh: logs kept in $LOGS" >&2
  fi
}
trap on_exit EXIT

# start NAME CMD... : run in its own session/process group (pgid == pid), log to logs/NAME.log.
start() {
  local name=$1; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$DIR/pids"
  log "started $name (pid $!)"
}
alive() { local pid; pid=$(awk -v n="$1" '$1==n {print $2}' "$DIR/pids"); kill -0 "$pid" 2>/dev/null; }
# wait_for NAME DESCRIPTION CMD... : poll CMD until it succeeds; fail early if NAME died.
wait_for() {
  local name=$1 what=$2 deadline=$(( $(date +%s) + TIMEOUT )); shift 2
  until "$@" >/dev/null 2>&1; do
    if [[ "$name" != - ]] && ! alive "$name"; then echo "up.sh: $name exited while waiting for $what" >&2; return 1; fi
    if (( $(date +%s) > deadline )); then echo "up.sh: timeout (${TIMEOUT}s) waiting for $what" >&2; return 1; fi
    sleep 0.2
  done
  log "ready: $what"
}

# Five distinct free ports, held open together while chosen so they cannot collide.
read -r ETCD_PORT ETCD_PEER_PORT API_PORT KCM_PORT SCHED_PORT < <(node -e '
  const net = require("net"); const ss = [];
  const next = () => { if (ss.length === 5) { console.log(ss.map(s => s.address().port).join(" ")); ss.forEach(s => s.close()); return; }
    const s = net.createServer(); s.listen(0, "127.0.0.1", () => { ss.push(s); next(); }); };
  next();')
log "ports etcd=$ETCD_PORT peer=$ETCD_PEER_PORT apiserver=$API_PORT kcm=$KCM_PORT scheduler=$SCHED_PORT"

# The apiserver needs a non-loopback advertise address (loopback is rejected for Endpoints);
# auto-detection needs a default route, so pass it explicitly. It is only written into the
# 'kubernetes' Service's endpoints, which nothing in these tests dials.
ADVERTISE=$(ip -4 route get 192.0.2.123 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1 || true)
[[ -n "$ADVERTISE" && "$ADVERTISE" != 127.* ]] || ADVERTISE=$( (hostname -I 2>/dev/null || true) | tr ' ' '\n' | grep -E '^[0-9]+\.' | grep -v '^127\.' | head -1 || true)
[[ -n "$ADVERTISE" ]] || ADVERTISE=192.0.2.10  # TEST-NET-1; only used for the kubernetes Service endpoints

# ---- credentials ------------------------------------------------------------------------------
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
echo "$TOKEN,admin,admin,\"system:masters\"" >"$PKI/tokens.csv"

# ---- etcd -------------------------------------------------------------------------------------
start etcd "$E2E_BIN_DIR/etcd" --name=e2e --data-dir="$DIR/etcd-data" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync=true --auto-compaction-retention=1 --quota-backend-bytes=2147483648 --log-level=warn
wait_for etcd "etcd /health" bash -c "curl -sf http://127.0.0.1:$ETCD_PORT/health | grep -q '\"health\":\"true\"'"

# ---- kube-apiserver -----------------------------------------------------------------------------
start kube-apiserver "$E2E_BIN_DIR/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --secure-port="$API_PORT" --advertise-address="$ADVERTISE" --cert-dir="$PKI" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.key" --service-account-signing-key-file="$PKI/sa.key" \
  --token-auth-file="$PKI/tokens.csv" --authorization-mode=Node,RBAC --allow-privileged=true \
  --disable-admission-plugins=TaintNodesByCondition \
  --profiling=false ${RW_E2E_APISERVER_ARGS:-}
CA="$PKI/apiserver.crt"
SERVER="https://127.0.0.1:$API_PORT"
wait_for kube-apiserver "kube-apiserver /readyz" bash -c "[[ -s '$CA' ]] && curl -sf --cacert '$CA' -H 'Authorization: Bearer $TOKEN' '$SERVER/readyz' | grep -qx ok"

KUBECONFIG_FILE="$DIR/admin.kubeconfig"
cat >"$KUBECONFIG_FILE" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $SERVER
    certificate-authority: $CA
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: e2e
  context: {cluster: e2e, user: admin, namespace: default}
current-context: e2e
KCFG
KUBECTL="$E2E_BIN_DIR/kubectl"  # version-matched, built by build.sh
KC=("$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=20s)

if [[ -n "${RW_E2E_PRELOAD:-}" ]]; then
  IFS=: read -r -a preload <<<"$RW_E2E_PRELOAD"
  for f in "${preload[@]}"; do
    [[ -n "$f" ]] || continue
    "${KC[@]}" apply --server-side --force-conflicts --field-manager=rw-e2e-preload -f "$f" >/dev/null
    log "preloaded $f"
  done
  if [[ -n "$("${KC[@]}" get crd -o name)" ]]; then
    wait_for - "preloaded CRDs Established" "${KC[@]}" wait --for=condition=Established crd --all --timeout=5s
  fi
fi

# ---- kube-controller-manager, kube-scheduler ------------------------------------------------------
# The HPA controller works on every HPA once per sync period (15 s by default, and a new HPA waits one full
# period); 2 s keeps the autoscaling scenario short. There is no metrics server: HPAs only clamp their target
# into [minReplicas, maxReplicas], which is all the scenarios rely on.
start kube-controller-manager "$E2E_BIN_DIR/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --leader-elect=false --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$PKI/kcm" \
  --controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,deployment-controller,replicaset-controller,statefulset-controller,endpointslice-controller,endpoints-controller,disruption-controller,job-controller,pod-garbage-collector-controller,persistentvolumeclaim-protection-controller,persistentvolume-protection-controller,persistentvolume-binder-controller,horizontal-pod-autoscaler-controller \
  --horizontal-pod-autoscaler-sync-period=2s \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$CA" \
  --service-cluster-ip-range=10.96.0.0/16 --concurrent-gc-syncs=20 --profiling=false
start kube-scheduler "$E2E_BIN_DIR/kube-scheduler" \
  --kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --leader-elect=false --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$PKI/scheduler" --profiling=false

# ---- kwok -----------------------------------------------------------------------------------------
# Stages (copied by build.sh from the kwok module): fast node/pod lifecycle + volume provisioner.
STAGES="$DIR/kwok-stages.yaml"
: >"$STAGES"
for f in node-initialize pod-ready pod-complete pod-delete pvc-provision pv-bind pv-delete pvc-delete; do
  { echo "---"; cat "$E2E_STAGES_DIR/$f.yaml"; echo; } >>"$STAGES"
done
# HOME points into DIR so kwok does not pick up a developer's ~/.kwok/kwok.yaml.
start kwok env HOME="$DIR" "$E2E_BIN_DIR/kwok" --kubeconfig="$KUBECONFIG_FILE" --config="$STAGES" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.0/16 --node-ip=10.0.0.1 --node-lease-duration-seconds=0

wait_for kube-controller-manager "kube-controller-manager /healthz" curl -skf "https://127.0.0.1:$KCM_PORT/healthz"
wait_for kube-scheduler "kube-scheduler /healthz" curl -skf "https://127.0.0.1:$SCHED_PORT/healthz"

"${KC[@]}" apply -f "$E2E_STAGES_DIR/storage-class.yaml" >/dev/null
for (( i = 0; i < NODES; i++ )); do
  cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "250", ephemeral-storage: 1Ti}
  capacity: {cpu: "64", memory: 256Gi, pods: "250", ephemeral-storage: 1Ti}
NODE
done | "${KC[@]}" apply -f - >/dev/null
log "created $NODES fake nodes"
wait_for kwok "nodes Ready (kwok node-initialize)" "${KC[@]}" wait --for=condition=Ready node --all --timeout=2s
# The ServiceAccount admission plugin rejects pods until the 'default' SA exists.
wait_for kube-controller-manager "default ServiceAccount in namespace default" "${KC[@]}" get serviceaccount default -n default

PIDS_JSON=$(awk 'BEGIN{printf "{"} {printf "%s\"%s\":%s", (NR>1?",":""), $1, $2} END{printf "}"}' "$DIR/pids")
cat >"$DIR/cluster.env" <<ENV
export KUBECONFIG='$KUBECONFIG_FILE'
export RW_E2E_SERVER='$SERVER'
export RW_E2E_TOKEN='$TOKEN'
export RW_E2E_CA_FILE='$CA'
export RW_E2E_CLUSTER_DIR='$DIR'
export RW_E2E_KUBECTL='$KUBECTL'
export PATH='$E2E_BIN_DIR':"\$PATH"
ENV
cat >"$DIR/cluster.json" <<JSON
{"dir":"$DIR","kubeconfig":"$KUBECONFIG_FILE","server":"$SERVER","token":"$TOKEN","caFile":"$CA","logDir":"$LOGS","kubectlPath":"$KUBECTL","pids":$PIDS_JSON}
JSON

if [[ -n "${RW_E2E_WATCH_PID:-}" ]]; then
  # Watchdog: tear the cluster down once the test runner is gone, whatever way it died.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && [[ -f "$3/cluster.json" ]]; do sleep 2; done; [[ -f "$3/cluster.json" ]] && bash "$2" "$3"' \
    watchdog "$RW_E2E_WATCH_PID" "$E2E_CLUSTER_DIR/down.sh" "$DIR" >/dev/null 2>&1 </dev/null &
  echo "watchdog $!" >>"$DIR/pids.watchdog"
fi
log "cluster up: $SERVER (kubeconfig $KUBECONFIG_FILE)"
