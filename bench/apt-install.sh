#!/usr/bin/env bash
# Sourced by bench/install-*.sh: apt_install_quietly PACKAGE... installs Debian packages without
# letting them start their system services (a server that holds its default port, or one that
# scrapes or logs on its own), as root or through sudo: policy-rc.d forbids service starts during
# the install, and is removed again afterwards if it was not there before.
apt_install_quietly() {
  local sudo="" policy=/usr/sbin/policy-rc.d created_policy=0
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created_policy=1
  fi
  local status=0
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "$@"; } || status=$?
  if [ "$created_policy" -eq 1 ]; then
    $sudo rm -f "$policy"
  fi
  return "$status"
}
