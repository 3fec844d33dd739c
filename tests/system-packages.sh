#!/usr/bin/env bash
# Installs, when missing, the Debian packages that tests drive for real: chromium and fonts-noto-cjk (the
# dashboard's browser tests; Playwright's own browser download cannot be reached) and nginx (the
# reverse-proxy tests). .ci/run runs it before the tests; the tests run it themselves when a package is
# missing, so `dotnet test` alone works on a fresh machine too. It fails loudly when it cannot install.
#   tests/system-packages.sh [package ...]     (no arguments: all of them)
set -euo pipefail

packages=("$@")
if [ "${#packages[@]}" -eq 0 ]; then
  packages=(chromium fonts-noto-cjk nginx)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system-packages: the tests need ${missing[*]}; as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt-get (a parallel test run installing its own package) may hold apt's locks: wait for it.
lock_wait=(-o DPkg::Lock::Timeout=600)
for attempt in $(seq 1 120); do
  if output=$(apt-get "${lock_wait[@]}" update 2>&1); then
    break
  fi
  if ! grep -qi 'lock' <<<"$output" || [ "$attempt" -eq 120 ]; then
    echo "$output" >&2
    echo "system-packages: apt-get update failed; cannot install ${missing[*]}" >&2
    exit 1
  fi
  sleep 5
done
apt-get "${lock_wait[@]}" install -y --no-install-recommends "${missing[@]}"
