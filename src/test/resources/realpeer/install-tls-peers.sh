#!/bin/sh
# Installs the Debian packages of the TLS real-peer suite: Postfix as the MX under test,
# testssl.sh and OpenSSL as independent judges. Postfix is installed with "No configuration",
# so no system mail service starts; the tests run their own instances.
set -eu
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends postfix testssl.sh openssl
