#!/bin/sh
# Installs the Debian tools the offline mail-security test bed needs (apps/server/test/mail-testbed):
# nsd (authoritative), unbound (validating resolver), ldnsutils (zone signing, ldns-dane oracle),
# bind9-dnsutils (dig/delv oracle), openssl (PKI and s_client -dane oracle), iproute2.
# Idempotent: packages that are present are not fetched again. Needs root (or sudo).
set -eu
PACKAGES="nsd unbound ldnsutils bind9-dnsutils openssl iproute2"
missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "mail test bed: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "mail test bed: installing$missing"
$SUDO apt-get update -qq
# The packages' own services are not wanted: the test bed starts its daemons itself with private configs.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
# Debian may start the stock daemons on install where an init system runs; stop them so they hold no ports.
for s in nsd unbound; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$s" 2>/dev/null; then
    $SUDO systemctl stop "$s" || true
    $SUDO systemctl disable "$s" >/dev/null 2>&1 || true
  fi
done
