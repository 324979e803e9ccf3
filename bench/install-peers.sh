#!/usr/bin/env bash
# Installs the comparison peers (redis-server, nats-server) from Debian if they are missing.
# Idempotent: does nothing when both binaries are already on the PATH. CI calls this before
# `mvn -B verify` so the loadgen's adapter tests run against real servers instead of skipping.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nats-server  >/dev/null 2>&1 || missing+=(nats-server)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: redis-server and nats-server already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-peers: installing ${missing[*]}"
# One update, one install; the Debian packages must not start system services that would hold
# the default ports, so policy-rc.d forbids service starts during the install.
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" -eq 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}"

command -v redis-server >/dev/null 2>&1
command -v nats-server  >/dev/null 2>&1
echo "install-peers: $(redis-server --version | head -1)"
echo "install-peers: nats-server $(nats-server --version 2>&1 | head -1)"
