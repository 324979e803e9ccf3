#!/usr/bin/env bash
# Installs the tools the tests use to check the broker's output, from Debian, if they are missing:
# promtool (package prometheus), which checks /metrics in MetricsEndToEndTest. systemd-analyze,
# which checks deploy/topics.service in DeployKitTest, comes with systemd and is used where present.
# Idempotent: does nothing when promtool is already on the PATH. CI calls this before `mvn -B verify`
# so those checks run there instead of skipping.
set -euo pipefail
# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"

if command -v promtool >/dev/null 2>&1; then
  echo "install-ci-tools: promtool already installed"
  exit 0
fi

# The package must not start a Prometheus server: it would scrape and hold port 9090.
echo "install-ci-tools: installing prometheus (for promtool)"
apt_install_quietly prometheus
command -v promtool >/dev/null 2>&1
echo "install-ci-tools: $(promtool --version 2>&1 | head -1)"
