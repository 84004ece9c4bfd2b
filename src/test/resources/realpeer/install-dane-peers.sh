#!/bin/sh
# Installs the Debian packages that the DANE real-peer suite needs beyond those of the DNS suite
# (install-dns-peers.sh) and the TLS suite (install-tls-peers.sh, whose postfix package contains
# posttls-finger). strace records every address that posttls-finger sends to. unshare (util-linux)
# and mount give posttls-finger a resolv.conf of its own in a private mount namespace.
set -eu

if command -v strace >/dev/null 2>&1 \
  && command -v unshare >/dev/null 2>&1 \
  && command -v mount >/dev/null 2>&1; then
  echo "DANE peers already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends strace util-linux mount

for tool in strace unshare mount; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing after install: $tool" >&2; exit 1; }
done
echo "DANE peers installed: $(strace -V | head -1)"
