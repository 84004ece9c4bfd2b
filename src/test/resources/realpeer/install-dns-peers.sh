#!/bin/sh
# Installs the DNS software that the real-peer suite runs on loopback: Knot (authoritative
# server and its keymgr/kzonecheck), Unbound (validating resolver, unbound-host, unbound-checkconf)
# and ldnsutils (ldns-signzone, ldns-keygen and drill). drill and unbound-host are the independent
# judges of each verdict.
#
# The packages' own services are never started: the tests run each daemon with its own
# configuration in a temporary directory. When the machine has no policy-rc.d, one that denies
# every service start is put in place for the install and removed afterwards.
set -eu

if command -v knotd >/dev/null 2>&1 \
  && command -v unbound >/dev/null 2>&1 \
  && command -v unbound-host >/dev/null 2>&1 \
  && command -v ldns-signzone >/dev/null 2>&1 \
  && command -v drill >/dev/null 2>&1; then
  echo "DNS peers already installed"
  exit 0
fi

POLICY=/usr/sbin/policy-rc.d
temporary_policy=no
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  temporary_policy=yes
fi
cleanup() {
  if [ "$temporary_policy" = yes ]; then
    rm -f "$POLICY"
  fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends knot unbound unbound-host ldnsutils

for tool in knotd keymgr unbound unbound-host ldns-signzone ldns-keygen drill; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing after install: $tool" >&2; exit 1; }
done
echo "DNS peers installed: $(knotd --version | head -1), $(unbound -V | head -1), $(drill -v | head -1)"
