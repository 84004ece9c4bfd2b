#!/bin/sh
# Builds a private DNS hierarchy signed by ldns-signzone for the real-peer suite:
#   .  (root, its DS is the trust anchor)  ->  test.  ->  one zone per case below.
# Usage: make-dns-zones.sh DIR
# Writes DIR/zones/<zone without trailing dot>.zone and DIR/zones/root.zone (what Knot serves), DIR/root.ds (the trust anchor) and
# DIR/zones.list (one zone name per line).
#
# Further leaf zones come from the directory named by EXTRA_ZONES, if set: a file NAME.signed or
# NAME.unsigned there contains the records of zone NAME, a child of test. such as dane-ee.test, below
# the SOA, NS and name server address that this script adds. A .signed zone is signed and gets its
# DS in test.; an .unsigned zone is delegated without a DS, so validators treat it as insecure.
#
# Cases:
#   secure.test       signed, MX, TXT and a TLSA RRset at _25._tcp.mx
#   insecure.test     unsigned, no DS in test.
#   expired.test      signed, every RRSIG expired in 2020
#   dsmismatch.test   signed, but the DS in test. belongs to another key
#   stripped.test     signed, but only the DNSKEY RRset kept its RRSIG
#   nokey.test        DS in test., but the zone is served unsigned (no DNSKEY at all)
#   nsec3.test        NSEC3 with 10 iterations and a salt
#   nsec3high.test    NSEC3 with 200 iterations (RFC 9276 §3.2: validators may go insecure)
#   bigtxt.test       a TXT RRset larger than a 1232-byte UDP answer
#   v6.test           two name servers with AAAA ::1, where the authoritative server listens too
set -eu

DIR=$1
mkdir -p "$DIR/zones" "$DIR/keys"
cd "$DIR/keys"

ADDRESS=${NS_ADDRESS:-127.0.0.153}

keygen() {
  # One combined signing key (flags 257) per zone keeps the chain short; prints the key base name.
  ldns-keygen -a ECDSAP256SHA256 -k "$1"
}

soa() {
  cat <<SOA
\$TTL 300
$1 IN SOA ns1.$1 hostmaster.$1 1 3600 600 86400 300
$1 IN NS ns1.$1
ns1.$1 IN A $ADDRESS
SOA
}

# sign ZONE KEY [ldns-signzone options...]: writes zones/ZONE.zone from keys/ZONE.unsigned
sign() {
  zone=$1
  key=$2
  shift 2
  ldns-signzone -f "../zones/${zone%.}.zone" "$@" "${zone%.}.unsigned" "$key"
}

leaf() {
  zone=$1
  soa "$zone" >"${zone%.}.unsigned"
  cat >>"${zone%.}.unsigned"
}

# --- leaf zones --------------------------------------------------------------------------------
leaf secure.test. <<ZONE
secure.test. IN MX 10 mx.secure.test.
secure.test. IN TXT "v=spf1 mx -all"
mx.secure.test. IN A 127.0.0.160
_25._tcp.mx.secure.test. IN TLSA 3 1 1 0b9fa5a59eed715c26c1020c711b4f6ec42d58b0015e14337a39dad301c5afc3
ZONE
SECURE=$(keygen secure.test.)
sign secure.test. "$SECURE"

leaf insecure.test. <<ZONE
insecure.test. IN MX 10 mx.insecure.test.
mx.insecure.test. IN A 127.0.0.161
ZONE
cp insecure.test.unsigned ../zones/insecure.test.zone

leaf expired.test. <<ZONE
expired.test. IN MX 10 mx.expired.test.
mx.expired.test. IN A 127.0.0.162
ZONE
EXPIRED=$(keygen expired.test.)
sign expired.test. "$EXPIRED" -i 20200101000000 -e 20200201000000

leaf dsmismatch.test. <<ZONE
dsmismatch.test. IN MX 10 mx.dsmismatch.test.
mx.dsmismatch.test. IN A 127.0.0.163
ZONE
MISMATCH=$(keygen dsmismatch.test.)
mkdir -p unrelated
UNRELATED=$(cd unrelated && keygen dsmismatch.test.)
sign dsmismatch.test. "$MISMATCH"

leaf stripped.test. <<ZONE
stripped.test. IN MX 10 mx.stripped.test.
mx.stripped.test. IN A 127.0.0.164
ZONE
STRIPPED=$(keygen stripped.test.)
sign stripped.test. "$STRIPPED"
awk '!($4 == "RRSIG" && $5 != "DNSKEY")' ../zones/stripped.test.zone >stripped.test.kept
mv stripped.test.kept ../zones/stripped.test.zone

leaf nokey.test. <<ZONE
nokey.test. IN MX 10 mx.nokey.test.
mx.nokey.test. IN A 127.0.0.168
ZONE
NOKEY=$(keygen nokey.test.)
cp nokey.test.unsigned ../zones/nokey.test.zone

leaf v6.test. <<ZONE
v6.test. IN NS ns2.v6.test.
ns1.v6.test. IN AAAA ::1
ns2.v6.test. IN A $ADDRESS
ns2.v6.test. IN AAAA ::1
v6.test. IN MX 0 .
ZONE
V6=$(keygen v6.test.)
sign v6.test. "$V6"

leaf nsec3.test. <<ZONE
nsec3.test. IN MX 10 mx.nsec3.test.
mx.nsec3.test. IN A 127.0.0.165
ZONE
NSEC3=$(keygen nsec3.test.)
sign nsec3.test. "$NSEC3" -n -t 10 -s aabbccdd

leaf nsec3high.test. <<ZONE
nsec3high.test. IN MX 10 mx.nsec3high.test.
mx.nsec3high.test. IN A 127.0.0.166
ZONE
NSEC3HIGH=$(keygen nsec3high.test.)
sign nsec3high.test. "$NSEC3HIGH" -n -t 200 -s aabbccdd

leaf bigtxt.test. <<ZONE
bigtxt.test. IN MX 10 mx.bigtxt.test.
mx.bigtxt.test. IN A 127.0.0.167
ZONE
i=0
while [ $i -lt 8 ]; do
  printf 'bigtxt.test. IN TXT "%s-%s"\n' "$i" "$(printf 'x%.0s' $(seq 1 200))" >>bigtxt.test.unsigned
  i=$((i + 1))
done
BIGTXT=$(keygen bigtxt.test.)
sign bigtxt.test. "$BIGTXT"

# --- extra leaf zones, as files of records ----------------------------------------------------
# The functions above set the global "zone", so the loop keeps its own name in "extra".
EXTRA_NAMES=""
EXTRA_KEYS=""
if [ -n "${EXTRA_ZONES:-}" ]; then
  for file in "$EXTRA_ZONES"/*.signed "$EXTRA_ZONES"/*.unsigned; do
    [ -e "$file" ] || continue
    base=$(basename "$file")
    extra=${base%.*}
    case $extra in
      *.*.test | *[!a-z0-9.-]* | -* | .*) bad=yes ;;
      ?*.test) bad=no ;;
      *) bad=yes ;;
    esac
    if [ "$bad" = yes ]; then
      echo "extra zone $extra is not a child of test." >&2
      exit 1
    fi
    leaf "$extra." <"$file"
    case $base in
      *.signed)
        key=$(keygen "$extra.")
        sign "$extra." "$key"
        EXTRA_KEYS="$EXTRA_KEYS $key"
        ;;
      *) cp "$extra.unsigned" "../zones/$extra.zone" ;;
    esac
    EXTRA_NAMES="$EXTRA_NAMES $extra"
  done
fi

# --- test. -------------------------------------------------------------------------------------
soa test. >test.unsigned
for child in secure insecure expired dsmismatch stripped nokey nsec3 nsec3high bigtxt v6; do
  printf '%s.test. IN NS ns1.%s.test.\nns1.%s.test. IN A %s\n' \
    "$child" "$child" "$child" "$ADDRESS" >>test.unsigned
done
for zone in $EXTRA_NAMES; do
  printf '%s. IN NS ns1.%s.\nns1.%s. IN A %s\n' "$zone" "$zone" "$zone" "$ADDRESS" >>test.unsigned
done
for key in "$SECURE" "$EXPIRED" "$STRIPPED" "$NOKEY" "$NSEC3" "$NSEC3HIGH" "$BIGTXT" "$V6" \
  $EXTRA_KEYS; do
  ldns-key2ds -n -2 "$key.key" >>test.unsigned
done
(cd unrelated && ldns-key2ds -n -2 "$UNRELATED.key") >>test.unsigned
TEST=$(keygen test.)
sign test. "$TEST"

# --- root --------------------------------------------------------------------------------------
cat >root.unsigned <<ZONE
\$TTL 300
. IN SOA ns1.root. hostmaster.root. 1 3600 600 86400 300
. IN NS ns1.root.
ns1.root. IN A $ADDRESS
test. IN NS ns1.test.
ns1.test. IN A $ADDRESS
ZONE
ldns-key2ds -n -2 "$TEST.key" >>root.unsigned
ROOT=$(keygen .)
ldns-signzone -f ../zones/root.zone root.unsigned "$ROOT"
ldns-key2ds -n -2 "$ROOT.key" >../root.ds

printf '%s\n' . test. secure.test. insecure.test. expired.test. dsmismatch.test. \
  stripped.test. nokey.test. nsec3.test. nsec3high.test. bigtxt.test. v6.test. >../zones.list
for zone in $EXTRA_NAMES; do
  printf '%s.\n' "$zone" >>../zones.list
done
