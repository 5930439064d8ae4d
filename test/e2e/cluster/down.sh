#!/usr/bin/env bash
# Stops a cluster started by up.sh and removes its directory.
# Usage: down.sh [--keep] DIR     (--keep: stop processes but keep DIR, e.g. for its logs)
# Kills by recorded PID / process group only (reverse start order, one at a time: TERM, then
# KILL after 10s).
# Idempotent; safe to call on a half-started cluster. Refuses to delete a directory that
# up.sh did not create (marker file .rw-e2e-cluster).
set -uo pipefail
KEEP=0
if [[ "${1:-}" == --keep ]]; then KEEP=1; shift; fi
DIR=${1:?usage: down.sh [--keep] DIR}
[[ -d "$DIR" ]] || exit 0
if [[ ! -f "$DIR/.rw-e2e-cluster" ]]; then echo "down.sh: $DIR was not created by up.sh; not touching it" >&2; exit 2; fi

pids=()
if [[ -f "$DIR/pids" ]]; then
  while read -r _name pid; do [[ "$pid" =~ ^[0-9]+$ ]] && pids=("$pid" "${pids[@]}"); done <"$DIR/pids"
fi
# Remove the state file first so the watchdog (if any) stops looping without acting.
rm -f "$DIR/cluster.json"
# A process counts as gone once it is a zombie: it was re-parented when up.sh exited, and
# whoever reaps it may take a while.
running() { [[ -e "/proc/$1" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }
# Reverse start order, one at a time: clients (kwok, scheduler, KCM) first, then the apiserver,
# then etcd. Stopping etcd under a live apiserver makes the apiserver's shutdown hang (>20 s).
for pid in "${pids[@]}"; do
  running "$pid" || continue
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(date +%s) + 10 ))
  while running "$pid" && (( $(date +%s) < deadline )); do sleep 0.05; done
  if running "$pid"; then
    echo "down.sh: pid $pid ignored SIGTERM for 10s; sending SIGKILL" >&2
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
done
if [[ -f "$DIR/pids.watchdog" ]]; then
  while read -r _name pid; do
    # never kill ourselves: down.sh may be running inside the watchdog
    [[ "$pid" =~ ^[0-9]+$ && "$pid" != "$$" && "$pid" != "$PPID" ]] && kill -TERM "$pid" 2>/dev/null
  done <"$DIR/pids.watchdog"
fi
if (( KEEP )); then
  rm -rf "$DIR/etcd-data"
else
  rm -rf "$DIR"
fi
exit 0
