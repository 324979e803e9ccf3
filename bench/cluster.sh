#!/usr/bin/env bash
# Measures a 3-node topics cluster against a 3-node NATS cluster across nodes (publishers on
# node 1, subscribers on nodes 2 and 3), with one topics node and one nats-server beside them for
# reference, all in one loadgen run, and prints one table (see docs/benchmarks.md).
#
#   bash bench/cluster.sh                           # single,max,fanout; 3 s measured per run
#   SKIP_TOPICS=1 bash bench/cluster.sh             # NATS only (cluster and one node)
#   DURATION=10s SCENARIOS=single,max bash bench/cluster.sh
#
# Every broker listens on 127.0.0.1 only. The topics nodes are started as
#   java $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar --warmup 0 \
#     --cluster-members 1@127.0.0.1:A1,2@127.0.0.1:A2,3@127.0.0.1:A3 --node-id N 127.0.0.1:PORT_N
# (A1..A3: the nodes' Aeron UDP endpoints, TOPICS_AERON_PORTS; PORT_N: node N's client port,
# TOPICS_CLUSTER_PORTS), the NATS nodes as
#   nats-server -a 127.0.0.1 -p PORT_N --cluster_name lg --cluster nats://127.0.0.1:ROUTE_N \
#     --routes nats://127.0.0.1:ROUTE_OTHER,nats://127.0.0.1:ROUTE_OTHER
# and the reference nodes as a plain `topics-broker.jar --warmup 0 127.0.0.1:TOPICS_PORT` and
# `nats-server -a 127.0.0.1 -p NATS_PORT`. The loadgen targets (targets interleaved within every
# scenario step, so drift hits them alike):
#   topics-cluster=127.0.0.1:PORT_1/127.0.0.1:PORT_2+127.0.0.1:PORT_3   (and nats-cluster alike)
#   topics=127.0.0.1:TOPICS_PORT, nats=127.0.0.1:NATS_PORT
# i.e. every publisher on node 1, the subscribers round-robin on nodes 2 and 3; each run first
# probes until every subscriber receives (a subscription reaches node 1 asynchronously), bounded
# by SETUP_TIMEOUT. A cluster's broker CPU and RSS are the sum over its three processes. The ratio
# rows divide topics-cluster by nats-cluster and topics by nats (cross-node by cross-node).
#
# Environment: SCENARIOS (default single,max,fanout), DURATION (measured per run, default 3s),
# WARMUP (unmeasured start of every run, default 1s), WARMUP_SECONDS (one unrecorded max-rate pass
# per target before the runs, so the JVMs are compiled, default 5; 0 = none), SETUP_TIMEOUT
# (default 10s), SKIP_TOPICS=1 (start and measure no topics broker: NATS alone), SINGLE=0 (no
# one-node reference brokers), TOPICS_CLUSTER_PORTS (default 18881,18882,18883),
# TOPICS_AERON_PORTS (UDP, default 21001,21002,21003), TOPICS_PORT (default 18880),
# NATS_CLUSTER_PORTS (default 14231,14232,14233), NATS_ROUTE_PORTS (default 16231,16232,16233),
# NATS_PORT (default 14230), TOPICS_CLUSTER_OPTS (more broker options for the three topics cluster
# nodes only, split on spaces, e.g. "--cluster-term-length 4m"), START_SECONDS (bound on a broker starting to listen, default 20),
# OUT (results and logs), JAVA, BROKER_JAVA_OPTS (default: bin/jvm-options), LOADGEN_JAVA_OPTS.
# Any arguments are passed to the loadgen. Stops exactly the processes it started, by PID, on any
# exit. Exit code: the loadgen's (1 if any run lost, duplicated or reordered a message or failed).
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
BENCH_NAME=cluster # the prefix of bench-lib.sh's messages
cd "$(dirname "$0")/.."

SCENARIOS=${SCENARIOS:-single,max,fanout}
DURATION=${DURATION:-3s}
WARMUP=${WARMUP:-1s}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
SETUP_TIMEOUT=${SETUP_TIMEOUT:-10s}
SKIP_TOPICS=${SKIP_TOPICS:-0}
SINGLE=${SINGLE:-1}
TOPICS_CLUSTER_PORTS=${TOPICS_CLUSTER_PORTS:-18881,18882,18883}
TOPICS_AERON_PORTS=${TOPICS_AERON_PORTS:-21001,21002,21003}
TOPICS_PORT=${TOPICS_PORT:-18880}
NATS_CLUSTER_PORTS=${NATS_CLUSTER_PORTS:-14231,14232,14233}
NATS_ROUTE_PORTS=${NATS_ROUTE_PORTS:-16231,16232,16233}
NATS_PORT=${NATS_PORT:-14230}
OUT=${OUT:-bench-results/cluster-$(date +%Y%m%d-%H%M%S)}
JAVA=${JAVA:-java}
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS-$(sed -e 's/#.*//' bin/jvm-options | tr '\n' ' ')} # default: bin/topics' flags; set empty for the JVM's
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-}
TOPICS_CLUSTER_OPTS=${TOPICS_CLUSTER_OPTS:-}
export BENCH_START_SECONDS=${START_SECONDS:-20}

for flag in SKIP_TOPICS SINGLE; do
  if [ "${!flag}" != 0 ] && [ "${!flag}" != 1 ]; then
    echo "cluster: $flag must be 1 or 0, not '${!flag}'" >&2
    exit 2
  fi
done
IFS=, read -ra topics_cluster_ports <<<"$TOPICS_CLUSTER_PORTS"
IFS=, read -ra topics_aeron_ports <<<"$TOPICS_AERON_PORTS"
IFS=, read -ra nats_cluster_ports <<<"$NATS_CLUSTER_PORTS"
IFS=, read -ra nats_route_ports <<<"$NATS_ROUTE_PORTS"
for list in topics_cluster_ports topics_aeron_ports nats_cluster_ports nats_route_ports; do
  declare -n ports_ref=$list
  if [ "${#ports_ref[@]}" -ne 3 ]; then
    echo "cluster: ${list^^} needs 3 comma-separated ports, one per node" >&2
    exit 2
  fi
  for port in "${ports_ref[@]}"; do
    if ! [[ "$port" =~ ^[0-9]+$ ]]; then
      echo "cluster: '$port' in ${list^^} is no port" >&2
      exit 2
    fi
  done
  unset -n ports_ref
done

if [ "$SKIP_TOPICS" = 0 ]; then
  bash bench/install-peers.sh >/dev/null
else
  command -v nats-server >/dev/null 2>&1 || bash bench/install-peers.sh >/dev/null
fi
NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)

if [ ! -f loadgen/target/topics-loadgen.jar ] || { [ "$SKIP_TOPICS" = 0 ] && [ ! -f broker/target/topics-broker.jar ]; }; then
  mvn -B -q -o -DskipTests package -pl test-support,transport,broker,loadgen -am
fi

tcp_ports=("${nats_cluster_ports[@]}" "${nats_route_ports[@]}")
[ "$SINGLE" = 1 ] && tcp_ports+=("$NATS_PORT")
if [ "$SKIP_TOPICS" = 0 ]; then
  tcp_ports+=("${topics_cluster_ports[@]}")
  [ "$SINGLE" = 1 ] && tcp_ports+=("$TOPICS_PORT")
fi
require_free_ports "TOPICS_CLUSTER_PORTS/TOPICS_PORT/NATS_CLUSTER_PORTS/NATS_ROUTE_PORTS/NATS_PORT" "${tcp_ports[@]}" || exit 2
if [ "$SKIP_TOPICS" = 0 ] && command -v ss >/dev/null 2>&1; then
  for port in "${topics_aeron_ports[@]}"; do
    if [ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ]; then
      echo "cluster: UDP port $port on this host is already in use; set TOPICS_AERON_PORTS" >&2
      exit 2
    fi
  done
fi

mkdir -p "$OUT"
trap stop_started EXIT

TARGETS=()
PIDS=()
describe=()

# --- NATS: 3 routed nodes, and one alone.
nats_pids=()
for i in 0 1 2; do
  routes=""
  for j in 0 1 2; do
    [ "$i" = "$j" ] && continue
    routes+="${routes:+,}nats://127.0.0.1:${nats_route_ports[$j]}"
  done
  "$NATS_BIN" -a 127.0.0.1 -p "${nats_cluster_ports[$i]}" --cluster_name lg \
    --cluster "nats://127.0.0.1:${nats_route_ports[$i]}" --routes "$routes" >"$OUT/nats-cluster-$((i + 1)).log" 2>&1 &
  nats_pids+=($!); started_pids+=($!)
  describe+=("nats-cluster node $((i + 1)) (pid $!): $NATS_BIN -a 127.0.0.1 -p ${nats_cluster_ports[$i]} --cluster_name lg --cluster nats://127.0.0.1:${nats_route_ports[$i]} --routes $routes")
done
if [ "$SINGLE" = 1 ]; then
  "$NATS_BIN" -a 127.0.0.1 -p "$NATS_PORT" >"$OUT/nats.log" 2>&1 &
  NATS_PID=$!; started_pids+=("$NATS_PID")
  describe+=("nats (pid $NATS_PID): $NATS_BIN -a 127.0.0.1 -p $NATS_PORT")
fi

# --- topics: 3 cluster nodes, and one alone.
if [ "$SKIP_TOPICS" = 0 ]; then
  members="1@127.0.0.1:${topics_aeron_ports[0]},2@127.0.0.1:${topics_aeron_ports[1]},3@127.0.0.1:${topics_aeron_ports[2]}"
  topics_pids=()
  for i in 0 1 2; do
    # shellcheck disable=SC2086 # options are meant to split
    "$JAVA" $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar --warmup 0 --cluster-members "$members" \
      --node-id $((i + 1)) $TOPICS_CLUSTER_OPTS "127.0.0.1:${topics_cluster_ports[$i]}" >"$OUT/topics-cluster-$((i + 1)).log" 2>&1 &
    topics_pids+=($!); started_pids+=($!)
    describe+=("topics-cluster node $((i + 1)) (pid $!): $JAVA $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar --warmup 0 --cluster-members $members --node-id $((i + 1)) $TOPICS_CLUSTER_OPTS 127.0.0.1:${topics_cluster_ports[$i]}")
  done
  if [ "$SINGLE" = 1 ]; then
    # shellcheck disable=SC2086
    "$JAVA" $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar --warmup 0 "127.0.0.1:$TOPICS_PORT" \
      >"$OUT/topics.log" 2>&1 &
    TOPICS_PID=$!; started_pids+=("$TOPICS_PID")
    describe+=("topics (pid $TOPICS_PID): $JAVA $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar --warmup 0 127.0.0.1:$TOPICS_PORT")
  fi
fi

for i in 0 1 2; do wait_for_port "${nats_cluster_ports[$i]}" "${nats_pids[$i]}"; done
[ "$SINGLE" = 1 ] && wait_for_port "$NATS_PORT" "$NATS_PID"
if [ "$SKIP_TOPICS" = 0 ]; then
  for i in 0 1 2; do wait_for_port "${topics_cluster_ports[$i]}" "${topics_pids[$i]}"; done
  [ "$SINGLE" = 1 ] && wait_for_port "$TOPICS_PORT" "$TOPICS_PID"
  TARGETS+=(--target "topics-cluster=127.0.0.1:${topics_cluster_ports[0]}/127.0.0.1:${topics_cluster_ports[1]}+127.0.0.1:${topics_cluster_ports[2]}")
  PIDS+=(--broker-pid "topics-cluster=${topics_pids[0]}+${topics_pids[1]}+${topics_pids[2]}")
  if [ "$SINGLE" = 1 ]; then
    TARGETS+=(--target "topics=127.0.0.1:$TOPICS_PORT")
    PIDS+=(--broker-pid "topics=$TOPICS_PID")
  fi
fi
TARGETS+=(--target "nats-cluster=127.0.0.1:${nats_cluster_ports[0]}/127.0.0.1:${nats_cluster_ports[1]}+127.0.0.1:${nats_cluster_ports[2]}")
PIDS+=(--broker-pid "nats-cluster=${nats_pids[0]}+${nats_pids[1]}+${nats_pids[2]}")
if [ "$SINGLE" = 1 ]; then
  TARGETS+=(--target "nats=127.0.0.1:$NATS_PORT")
  PIDS+=(--broker-pid "nats=$NATS_PID")
fi

LOADGEN=("$JAVA")
# shellcheck disable=SC2206 # options are meant to split
LOADGEN+=($LOADGEN_JAVA_OPTS -jar loadgen/target/topics-loadgen.jar)
{
  describe_machine
  echo "jvm: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "nats: $("$NATS_BIN" --version 2>&1)"
  printf '%s\n' "${describe[@]}"
  echo "loadgen: ${LOADGEN[*]} ${TARGETS[*]} ${PIDS[*]} --scenario $SCENARIOS --warmup $WARMUP --duration $DURATION --setup-timeout $SETUP_TIMEOUT --out $OUT $*"
} | tee "$OUT/environment.txt"

if [ "$WARMUP_SECONDS" != 0 ]; then
  echo "cluster: warming up every target with max for ${WARMUP_SECONDS} s each (not recorded)"
  "${LOADGEN[@]}" "${TARGETS[@]}" --scenario max --warmup 0s --duration "${WARMUP_SECONDS}s" \
    --setup-timeout "$SETUP_TIMEOUT" >"$OUT/warmup.txt" 2>&1 || echo "cluster: the warm-up pass failed, see $OUT/warmup.txt" >&2
fi

set +e
"${LOADGEN[@]}" "${TARGETS[@]}" "${PIDS[@]}" --scenario "$SCENARIOS" --warmup "$WARMUP" --duration "$DURATION" \
  --setup-timeout "$SETUP_TIMEOUT" --out "$OUT" "$@"
status=$?
set -e
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/environment.txt"
exit "$status"
