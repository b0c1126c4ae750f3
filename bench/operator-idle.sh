#!/bin/bash
# Start-up and idle memory of the published operator, against the emulator (plain HTTP, an empty cluster).
# usage: bench/operator-idle.sh PUBLISHED_DIR [RUNS] [VAR=value ...]   e.g. bench/operator-idle.sh /tmp/pub 3
# The operator runs from PUBLISHED_DIR/dorisctl-operator when that exists (the operator-only build the image's
# Deployment runs), else as PUBLISHED_DIR/dorisctl operator; the emulator is always PUBLISHED_DIR/dorisctl.
# OPERATOR=dorisctl forces the whole CLI; EMULATOR=path/to/dorisctl takes the emulator from another build.
# Prints, per run: ms from process start to the first 200 from /readyz (leader, caches synced; polled by bench/readyz.py, one
# process, not a process per poll), and VmRSS / RssAnon / RssFile /
# RssShmem after 5 s idle, the operator's own "caches synced" log line and its JIT count; then the biggest mappings
# (by resident KiB) of the last run.
set -euo pipefail
DIR=$1; RUNS=${2:-3}; shift; shift || true
work=$(mktemp -d)
EMULATOR=${EMULATOR:-$DIR/dorisctl}
"$EMULATOR" emulator --port 0 --insecure-http --kubeconfig-out "$work/kc" > "$work/emulator.log" 2>&1 &
EM=$!
trap 'kill $EM 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/kc" ] && break; sleep 0.1; done
sleep 0.5
# The CRD is installed first, so /readyz means a leader whose caches are synced (a leader without the CRD never is).
# Before 2026-12-02 (second run that day) /readyz answered ok before the first election round, so figures measured
# earlier time the probe server coming up, not a synced leader (bench/RESULTS.md).
server=$(awk '/server:/{print $2; exit}' "$work/kc"); token=$(sed -n 's/.*token: \([^}]*\)}.*/\1/p' "$work/kc")
"$EMULATOR" crd -o json | curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @- "$server/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
OPERATOR=${OPERATOR:-dorisctl-operator}
[ -x "$DIR/$OPERATOR" ] || OPERATOR=dorisctl
echo "operator: $DIR/$OPERATOR"
for run in $(seq "$RUNS"); do
  # Below 32768: a port in Linux's ephemeral range can be the poller's own source port (it then reads its own request).
  port=$(( 10000 + RANDOM % 20000 ))
  # A Lease namespace per run: a run behind the last one's still-held Lease would be a follower, timing nothing.
  ns=bench-$run-$RANDOM
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$ns\"}}" "$server/api/v1/namespaces"
  read -r ms OP < <(env "$@" python3 "$(dirname "$0")/readyz.py" "$port" "$work/op.log" "$DIR/$OPERATOR" operator --kubeconfig "$work/kc" --probe-port "$port" --log-level Information --lease-namespace "$ns")
  sleep 5
  echo "run $run: readyz $ms ms; $(grep -E 'VmRSS|RssAnon|RssFile|RssShmem' /proc/$OP/status | tr -s ' \t' ' ' | tr '\n' ';')"
  echo "  $(grep -o 'caches synced [^"]*' "$work/op.log" | head -n 1); $(curl -s "http://127.0.0.1:$port/metrics" | grep '^dotnet_jit_compiled_methods_total')"
  if [ "$run" = "$RUNS" ]; then
    awk '/^[0-9a-f]+-[0-9a-f]+ /{f=$6} /^Rss:/{r[f]+=$2} END{for(k in r) print r[k], (k==""?"[anonymous]":k)}' /proc/$OP/smaps | sort -rn | head -12
  fi
  kill $OP; for _ in $(seq 100); do kill -0 $OP 2>/dev/null || break; sleep 0.05; done
done
