#!/bin/bash
# Start-up of several builds side by side: process start to the first 200 from /readyz (a leader whose caches are
# synced), against one emulator, the builds' runs interleaved so a noisy minute hits them all alike.
# usage: bench/operator-start.sh RUNS DIR [DIR ...]     e.g. bench/operator-start.sh 5 /tmp/pub /tmp/aot
# Each DIR holds a published dorisctl-operator (dorisctl when it does not); the emulator is the first DIR's dorisctl,
# or EMULATOR=path/to/dorisctl (the self-contained ReadyToRun operator is published to a directory of its own).
# VAR=value arguments before the first DIR are set for every operator run (e.g. DOTNET_TieredPGO=0).
# TLS=1 has the emulator serve HTTPS (what a cluster's API server speaks; the operator verifies it with the
# kubeconfig's authority); the default is plain HTTP, which times the operator without the handshakes.
# Prints each run and, per build, the runs sorted and their median; then the operator's own "caches synced" line.
set -euo pipefail
RUNS=$1; shift
vars=(); while [[ ${1:-} == *=* ]]; do vars+=("$1"); shift; done
dirs=("$@")
work=$(mktemp -d)
EMULATOR=${EMULATOR:-${dirs[0]}/dorisctl}
insecure=(--insecure-http); curl=(curl -sf); [ "${TLS:-0}" = 1 ] && { insecure=(); curl=(curl -sfk); }
"$EMULATOR" emulator --port 0 "${insecure[@]}" --kubeconfig-out "$work/kc" > "$work/emulator.log" 2>&1 &
EM=$!
trap 'kill $EM 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/kc" ] && break; sleep 0.1; done
server=$(awk '/server:/{print $2; exit}' "$work/kc"); token=$(sed -n 's/.*token: \([^}]*\)}.*/\1/p' "$work/kc")
"$EMULATOR" crd -o json | "${curl[@]}" -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @- "$server/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

# Each start campaigns for a Lease in a namespace of its own: a start that found the last one's Lease still held (its
# release racing the next start) would be a follower, ready at once, and time nothing.
runs=0
run_one() { # DIR -> "ms"; leaves the operator's log in $work/op.log
  local exe=$1/dorisctl-operator port ms pid ns
  runs=$((runs + 1)); ns=bench-$runs
  "${curl[@]}" -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}" "$server/api/v1/namespaces"
  [ -x "$exe" ] || exe=$1/dorisctl
  port=$(( 10000 + RANDOM % 20000 )) # below 32768, Linux's ephemeral ports: the poller could meet its own socket there
  read -r ms pid < <(env "${vars[@]}" python3 "$(dirname "$0")/readyz.py" "$port" "$work/op.log" "$exe" operator \
    --kubeconfig "$work/kc" --probe-port "$port" --log-level Information --lease-namespace "$ns")
  # The log line follows /readyz by a moment: wait for it (up to 2 s) so it is there to print.
  for _ in $(seq 40); do grep -q 'caches synced' "$work/op.log" && break; sleep 0.05; done
  kill "$pid"; for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  echo "$ms"
}

# One start first, not counted: the emulator's own first answers to each list and watch are slow (its code is being
# compiled), and they would land on whichever build ran first.
run_one "${dirs[0]}" > /dev/null; sleep 2
[ -n "$(grep -o 'caches synced' "$work/op.log")" ] || { echo "the first start did not lead; see its log:"; cat "$work/op.log"; exit 1; }
declare -A all
for run in $(seq "$RUNS"); do
  for dir in "${dirs[@]}"; do
    ms=$(run_one "$dir")
    all[$dir]+="$ms "
    echo "run $run $dir: readyz $ms ms; $(grep -o 'caches synced [0-9]* ms[^)]*)' "$work/op.log" | head -n 1)"
    sleep 1
  done
done
for dir in "${dirs[@]}"; do
  sorted=$(tr ' ' '\n' <<< "${all[$dir]}" | grep . | sort -n | tr '\n' ' ')
  echo "$dir: $sorted-> median $(tr ' ' '\n' <<< "$sorted" | grep . | sed -n "$(( (RUNS + 1) / 2 ))p") ms"
done
