#!/usr/bin/env bash
# Installs the comparison peers (redis-server, nats-server) and redis-cli from Debian if they are
# missing. Idempotent: does nothing when all three binaries are already on the PATH. CI calls this
# before `mvn -B verify` so the loadgen's adapter tests run against real servers instead of
# skipping, and the broker's RESP tests compare with real Redis and run redis-cli.
set -euo pipefail
# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nats-server  >/dev/null 2>&1 || missing+=(nats-server)
# Debian's redis-server depends on redis-tools (redis-cli), but a redis-server from elsewhere may not.
command -v redis-cli    >/dev/null 2>&1 || missing+=(redis-tools)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: redis-server, redis-cli and nats-server already installed"
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
# The Debian packages must not start system services that would hold the default ports.
apt_install_quietly "${missing[@]}"

command -v redis-server >/dev/null 2>&1
command -v nats-server  >/dev/null 2>&1
command -v redis-cli    >/dev/null 2>&1
echo "install-peers: $(redis-server --version | head -1)"
echo "install-peers: nats-server $(nats-server --version 2>&1 | head -1)"
