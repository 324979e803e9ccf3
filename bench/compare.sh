#!/usr/bin/env bash
# Runs the same scenarios against topics, Redis Pub/Sub and NATS in one go and prints one table
# with topics / best peer for each figure (see docs/benchmarks.md).
#
#   bash bench/compare.sh                      # every scenario, default durations
#   SCENARIOS=single,fanout bash bench/compare.sh --duration 10s
#   TOPICS_VARIANTS="io:--engine-thread io;dedicated:--engine-thread dedicated" bash bench/compare.sh
#
# Installs redis-server and nats-server from Debian if missing, starts the brokers on loopback
# ports with no persistence, runs the loadgen (targets interleaved within every scenario step, so
# drift hits them alike), and stops exactly the processes it started, by PID.
#
# TOPICS_VARIANTS runs several topics brokers side by side, each with its own options:
# "NAME:BROKER OPTIONS;NAME:BROKER OPTIONS;..." (NAME: letters, digits, '_', '.', '-'; the options
# are split on spaces and passed to topics-broker.jar as given). Variant i listens on
# TOPICS_PORT+i, logs to $OUT/topics-NAME.log and is the loadgen target labelled topics-NAME
# (loadgen -t topics-NAME=HOST:PORT, --broker-pid topics-NAME=PID); the table gets a row
# topics-NAME/best per variant, each against the best of redis and nats. Unset or empty: one
# broker labelled topics with no extra options. Every variant is started before the runs and
# stays up for all of them, so an idle variant must not spin (the default wait strategy blocks).
# A variant may not be named resp or resp-*: the loadgen reads topics-resp[-NAME] as the RESP kind.
#
# TOPICS_RESP=1 (the default) also measures the topics broker's RESP port against Redis with the
# same client: the first topics broker (topics, or the first variant) is started with
# --resp-port RESP_PORT as well, and the loadgen gets one more target, labelled topics-resp
# (-t topics-resp=127.0.0.1:RESP_PORT, --broker-pid topics-resp=<that broker's PID>), which it
# drives with its Redis adapter (SUBSCRIBE/PSUBSCRIBE/PUBLISH). The table's row topics-resp/redis
# divides it by redis alone, not by the best peer: same client protocol, so the ratio is about the
# servers; set it beside the topics/best row, the text port against the best peer. TOPICS_RESP=0:
# no RESP port, no topics-resp target, everything as before.
#
# Environment: TOPICS_PORT (first topics port), TOPICS_VARIANTS, TOPICS_RESP (1 or 0),
# RESP_PORT (the first topics broker's RESP port, default 16380), REDIS_PORT, NATS_PORT, SCENARIOS,
# OUT (results directory), WARMUP_SECONDS (unrecorded warm-up per scenario and broker, default 15),
# JAVA (JVM for both broker and loadgen), BROKER_JAVA_OPTS, LOADGEN_JAVA_OPTS.
# Any arguments are passed to the loadgen. Exit code: the loadgen's (1 if any run lost,
# duplicated or reordered a message).
set -euo pipefail
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
BENCH_NAME=compare # the prefix of bench-lib.sh's messages
cd "$(dirname "$0")/.."

TOPICS_PORT=${TOPICS_PORT:-18889}
REDIS_PORT=${REDIS_PORT:-16379}
NATS_PORT=${NATS_PORT:-14222}
SCENARIOS=${SCENARIOS:-single,fanout,fanout-pattern,topics,many,max,fanout-max,slow-neighbour,sweep}
OUT=${OUT:-bench-results/$(date +%Y%m%d-%H%M%S)}
JAVA=${JAVA:-java}
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS-$(sed -e 's/#.*//' bin/jvm-options | tr '\n' ' ')} # default: bin/topics' flags; set empty for the JVM's
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:-}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
TOPICS_VARIANTS=${TOPICS_VARIANTS:-}
TOPICS_RESP=${TOPICS_RESP:-1}
RESP_PORT=${RESP_PORT:-16380}
if [ "$TOPICS_RESP" != 0 ] && [ "$TOPICS_RESP" != 1 ]; then
  echo "compare: TOPICS_RESP must be 1 (measure the RESP port too) or 0, not '$TOPICS_RESP'" >&2
  exit 2
fi

# One entry per topics broker: its label, port and extra broker options.
topics_labels=()
topics_ports=()
topics_opts=()
if [ -z "${TOPICS_VARIANTS//[[:space:]]/}" ]; then
  topics_labels=(topics); topics_ports=("$TOPICS_PORT"); topics_opts=("")
else
  IFS=';' read -ra variant_entries <<<"$TOPICS_VARIANTS"
  for entry in "${variant_entries[@]}"; do
    [ -z "${entry//[[:space:]]/}" ] && continue
    name=${entry%%:*}
    name=${name#"${name%%[![:space:]]*}"}   # trim leading blanks
    name=${name%"${name##*[![:space:]]}"}   # trim trailing blanks
    opts=""
    [[ "$entry" == *:* ]] && opts=${entry#*:}
    if ! [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]]; then
      echo "compare: TOPICS_VARIANTS entry '$entry' needs NAME:OPTIONS, NAME of letters, digits, _ . -" >&2
      exit 2
    fi
    if [[ "$name" == resp || "$name" == resp-* ]]; then
      echo "compare: TOPICS_VARIANTS name '$name' is taken: the loadgen reads topics-resp[-NAME] as the RESP port" >&2
      exit 2
    fi
    for known in "${topics_labels[@]}"; do
      if [ "$known" = "topics-$name" ]; then
        echo "compare: TOPICS_VARIANTS names '$name' twice" >&2
        exit 2
      fi
    done
    topics_ports+=($((TOPICS_PORT + ${#topics_labels[@]})))
    topics_labels+=("topics-$name")
    topics_opts+=("$opts")
  done
fi
# The RESP port belongs to the first topics broker: one process, two listeners, one PID.
resp_ports=()
if [ "$TOPICS_RESP" = 1 ]; then
  resp_ports=("$RESP_PORT")
  topics_opts[0]="${topics_opts[0]} --resp-port $RESP_PORT"
fi

bash bench/install-peers.sh
REDIS_BIN=$(command -v redis-server || echo /usr/bin/redis-server)
NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)

if [ ! -f broker/target/topics-broker.jar ] || [ ! -f loadgen/target/topics-loadgen.jar ]; then
  mvn -B -q -DskipTests package
fi

require_free_ports TOPICS_PORT/RESP_PORT/REDIS_PORT/NATS_PORT \
  "${topics_ports[@]}" ${resp_ports[@]+"${resp_ports[@]}"} "$REDIS_PORT" "$NATS_PORT" || exit 2

mkdir -p "$OUT"
trap stop_started EXIT

"$REDIS_BIN" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
REDIS_PID=$!; started_pids+=("$REDIS_PID")
"$NATS_BIN" -a 127.0.0.1 -p "$NATS_PORT" >"$OUT/nats.log" 2>&1 &
NATS_PID=$!; started_pids+=("$NATS_PID")
topics_pids=()
for i in "${!topics_labels[@]}"; do
  # shellcheck disable=SC2086 # options are meant to split
  "$JAVA" $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar ${topics_opts[$i]} "127.0.0.1:${topics_ports[$i]}" \
    >"$OUT/${topics_labels[$i]}.log" 2>&1 &
  topics_pids+=($!); started_pids+=($!)
done

wait_for_port "$REDIS_PORT"
wait_for_port "$NATS_PORT"
for port in "${topics_ports[@]}" ${resp_ports[@]+"${resp_ports[@]}"}; do wait_for_port "$port"; done

{
  describe_machine
  echo "jvm: $("$JAVA" -version 2>&1 | sed -n 2p)"
  for i in "${!topics_labels[@]}"; do
    echo "${topics_labels[$i]}: $JAVA $BROKER_JAVA_OPTS -jar broker/target/topics-broker.jar ${topics_opts[$i]}; $(grep -m1 listening "$OUT/${topics_labels[$i]}.log")"
  done
  if [ "$TOPICS_RESP" = 1 ]; then
    echo "topics-resp: RESP port 127.0.0.1:$RESP_PORT of ${topics_labels[0]} (pid ${topics_pids[0]}), driven with the Redis adapter"
  fi
  echo "redis: $("$REDIS_BIN" --version)"
  echo "nats: $("$NATS_BIN" --version 2>&1)"
  echo "loadgen: $JAVA $LOADGEN_JAVA_OPTS -jar loadgen/target/topics-loadgen.jar -s $SCENARIOS $*"
} | tee "$OUT/environment.txt"

TARGETS=()
PIDS=()
for i in "${!topics_labels[@]}"; do
  TARGETS+=(--target "${topics_labels[$i]}=127.0.0.1:${topics_ports[$i]}")
  PIDS+=(--broker-pid "${topics_labels[$i]}=${topics_pids[$i]}")
done
if [ "$TOPICS_RESP" = 1 ]; then
  # Same process as the first topics target: its CPU and RSS figures are that broker's, measured
  # while only the RESP target runs (runs are sequential).
  TARGETS+=(--target "topics-resp=127.0.0.1:$RESP_PORT")
  PIDS+=(--broker-pid "topics-resp=${topics_pids[0]}")
fi
TARGETS+=(--target "redis=127.0.0.1:$REDIS_PORT" --target "nats=127.0.0.1:$NATS_PORT")
PIDS+=(--broker-pid "redis=$REDIS_PID" --broker-pid "nats=$NATS_PID")

# A freshly started JVM broker is interpreted code for its first seconds (hundreds of ms of
# latency on a busy 2-core machine), and on 2 cores the JIT needs tens of seconds of load to
# finish (max throughput kept climbing over four 7 s runs): one unrecorded pass of
# WARMUP_SECONDS per scenario over every broker (every topics variant too) warms all alike.
resp_note=""
[ "$TOPICS_RESP" = 1 ] && resp_note=" (the first also on its RESP port)"
echo "compare: warming up ${#topics_labels[@]} topics broker(s)$resp_note, redis and nats for ${WARMUP_SECONDS} s per scenario and broker (not recorded)"
# shellcheck disable=SC2086
"$JAVA" $LOADGEN_JAVA_OPTS -jar loadgen/target/topics-loadgen.jar "${TARGETS[@]}" \
  --scenario fanout,max --warmup 0s --duration "${WARMUP_SECONDS}s" >"$OUT/warmup.txt" 2>&1 || true

set +e
# shellcheck disable=SC2086
"$JAVA" $LOADGEN_JAVA_OPTS -jar loadgen/target/topics-loadgen.jar "${TARGETS[@]}" \
  "${PIDS[@]}" \
  --scenario "$SCENARIOS" --out "$OUT" "$@"
status=$?
set -e
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/environment.txt"
exit "$status"
