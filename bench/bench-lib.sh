# shellcheck shell=bash
# Helpers shared by bench/compare.sh and bench/cluster.sh; sourced, defines functions only.
# A script sets BENCH_NAME (the prefix of its messages) and OUT (where its logs go), starts its
# processes in the background and appends each PID to started_pids, and traps EXIT with
# stop_started, so that it stops exactly the processes it started, by PID, however it ends.

started_pids=()
# shellcheck disable=SC2034 # the sourcing script sets its own
BENCH_NAME=${BENCH_NAME:-bench}

# Whether something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails, naming the environment variables that move them, if any of the ports is taken.
require_free_ports() {
  local hint=$1 port
  shift
  for port in "$@"; do
    if port_in_use "$port"; then
      echo "${BENCH_NAME:-bench}: port $port on 127.0.0.1 is already in use; set $hint" >&2
      return 2
    fi
  done
}

# SIGTERM to every started process, a bounded wait (50 x 0.1 s), then SIGKILL to whatever of ours is left.
stop_started() {
  local pid alive
  for pid in ${started_pids[@]+"${started_pids[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 50); do
    alive=0
    for pid in ${started_pids[@]+"${started_pids[@]}"}; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return
    sleep 0.1
  done
  for pid in ${started_pids[@]+"${started_pids[@]}"}; do kill -9 "$pid" 2>/dev/null || true; done
}

# Waits until 127.0.0.1:$1 accepts connections. Bounded: BENCH_START_SECONDS (default 10) x 10 x
# 0.1 s. With a PID as $2, gives up as soon as that process exited (a broker that refused its
# options), and says so.
wait_for_port() {
  local seconds=${BENCH_START_SECONDS:-10}
  for _ in $(seq 1 $((seconds * 10))); do
    port_in_use "$1" && return 0
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
      echo "${BENCH_NAME:-bench}: process $2 for 127.0.0.1:$1 exited (see $OUT/*.log)" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "${BENCH_NAME:-bench}: nothing listens on 127.0.0.1:$1 after $seconds s (see $OUT/*.log)" >&2
  return 1
}

# The machine, as every results file states it.
describe_machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
