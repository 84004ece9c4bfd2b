package io.mxwatch.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds out precisely why an answer is bogus, so a finding can say what to fix. It re-reads the
 * data with checking disabled (CD) and walks the chain of trust from the topmost secure delegation
 * down to the RRset: a DS that matches no DNSKEY, a DNSKEY RRset or RRset without signatures, or
 * signatures outside their validity period.
 */
final class BogusDiagnosis {
  /** Why validation failed, with the RFC 8914 extended error code that names the same thing. */
  record Finding(int edeCode, String reason) {}

  private final Resolver head;
  private final Clock clock;
  private final Duration timeout;

  BogusDiagnosis(Resolver head, Clock clock, Duration timeout) {
    this.head = head;
    this.clock = clock;
    this.timeout = timeout;
  }

  Optional<Finding> diagnose(Name name, int type) {
    Message data = raw(name, type);
    if (data == null) {
      return Optional.empty();
    }
    Name zone = zoneOf(name, data);
    if (zone == null) {
      return Optional.empty();
    }

    // Top-down: a broken delegation high up breaks everything below it.
    List<Name> cuts = new ArrayList<>();
    for (int labels = 2; labels <= zone.labels(); labels++) {
      Name candidate = new Name(zone, zone.labels() - labels);
      if (candidate.equals(zone) || hasDs(candidate)) {
        cuts.add(candidate);
      }
    }
    for (Name cut : cuts) {
      Optional<Finding> problem = checkKeys(cut);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return checkRrset(name, type, data, zone);
  }

  /**
   * Reads the data without validation and follows its CNAME chain: a loop or a chain longer than
   * {@code maxHops} is described, anything else gives an empty result.
   */
  Optional<String> cnameProblem(Name name, int type, int maxHops) {
    if (type == Type.CNAME) {
      return Optional.empty();
    }
    Message data = raw(name, type);
    if (data == null) {
      return Optional.empty();
    }
    List<Name> seen = new ArrayList<>();
    Name current = name;
    while (true) {
      CNAMERecord next = null;
      for (Record record : data.getSection(Section.ANSWER)) {
        if (record.getName().equals(current) && record.getType() == type) {
          return Optional.empty();
        }
        if (record.getName().equals(current) && record instanceof CNAMERecord cname) {
          next = cname;
        }
      }
      if (next == null) {
        return Optional.empty();
      }
      seen.add(current);
      current = next.getTarget();
      if (seen.contains(current)) {
        return Optional.of("CNAME loop at " + current);
      }
      if (seen.size() > maxHops) {
        return Optional.of("CNAME chain longer than " + maxHops);
      }
    }
  }

  private Optional<Finding> checkKeys(Name zone) {
    Message dsAnswer = raw(zone, Type.DS);
    Message keyAnswer = raw(zone, Type.DNSKEY);
    if (dsAnswer == null || keyAnswer == null) {
      return Optional.empty();
    }
    List<DSRecord> ds = records(dsAnswer, zone, Type.DS, DSRecord.class);
    if (ds.isEmpty()) {
      return Optional.empty();
    }
    RRset keys = rrset(keyAnswer, zone, Type.DNSKEY);
    if (keys == null || keys.size() == 0) {
      return Optional.of(
          new Finding(
              ExtendedErrorCodeOption.DNSKEY_MISSING,
              "the parent publishes a DS for " + zone + " but the zone serves no DNSKEY"));
    }
    List<DNSKEYRecord> matching = new ArrayList<>();
    for (Record record : keys.rrs(false)) {
      DNSKEYRecord key = (DNSKEYRecord) record;
      for (DSRecord digest : ds) {
        if (key.getFootprint() == digest.getFootprint()
            && key.getAlgorithm() == digest.getAlgorithm()
            && java.util.Arrays.equals(
                new DSRecord(zone, key.getDClass(), 0, digest.getDigestID(), key).getDigest(),
                digest.getDigest())) {
          matching.add(key);
        }
      }
    }
    if (matching.isEmpty()) {
      return Optional.of(
          new Finding(
              ExtendedErrorCodeOption.DNSKEY_MISSING,
              "no DNSKEY of "
                  + zone
                  + " matches the DS records in the parent zone (key tags "
                  + ds.stream().map(d -> String.valueOf(d.getFootprint())).toList()
                  + ")"));
    }
    return verify(keys, matching, zone + " DNSKEY");
  }

  private Optional<Finding> checkRrset(Name name, int type, Message data, Name zone) {
    RRset rrset = rrset(data, name, type);
    if (rrset == null) {
      return Optional.empty();
    }
    Message keyAnswer = raw(zone, Type.DNSKEY);
    RRset keys = keyAnswer == null ? null : rrset(keyAnswer, zone, Type.DNSKEY);
    if (keys == null) {
      return Optional.empty();
    }
    List<DNSKEYRecord> all = new ArrayList<>();
    keys.rrs(false).forEach(r -> all.add((DNSKEYRecord) r));
    return verify(rrset, all, name + " " + Type.string(type));
  }

  /** Checks an RRset's signatures with the given keys and names the first problem found. */
  private Optional<Finding> verify(RRset rrset, List<DNSKEYRecord> keys, String what) {
    List<RRSIGRecord> signatures = rrset.sigs();
    if (signatures.isEmpty()) {
      return Optional.of(
          new Finding(
              ExtendedErrorCodeOption.RRSIGS_MISSING, "the " + what + " RRset is not signed"));
    }
    Instant now = clock.instant();
    Finding problem = null;
    for (RRSIGRecord signature : signatures) {
      for (DNSKEYRecord key : keys) {
        if (key.getFootprint() != signature.getFootprint()
            || key.getAlgorithm() != signature.getAlgorithm()) {
          continue;
        }
        try {
          DNSSEC.verify(rrset, signature, key, now);
          return Optional.empty();
        } catch (DNSSEC.SignatureExpiredException e) {
          problem =
              new Finding(
                  ExtendedErrorCodeOption.SIGNATURE_EXPIRED,
                  "the signature on the " + what + " RRset expired at " + signature.getExpire());
        } catch (DNSSEC.SignatureNotYetValidException e) {
          problem =
              new Finding(
                  ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID,
                  "the signature on the "
                      + what
                      + " RRset is not valid before "
                      + signature.getTimeSigned());
        } catch (DNSSEC.UnsupportedAlgorithmException e) {
          problem =
              new Finding(
                  ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM,
                  "the " + what + " RRset is signed with an unsupported algorithm");
        } catch (DNSSEC.DNSSECException e) {
          if (problem == null) {
            problem =
                new Finding(
                    ExtendedErrorCodeOption.DNSSEC_BOGUS,
                    "the signature on the " + what + " RRset does not verify: " + e.getMessage());
          }
        }
      }
    }
    if (problem == null) {
      problem =
          new Finding(
              ExtendedErrorCodeOption.DNSKEY_MISSING,
              "no DNSKEY matches the key tag of the signatures on the " + what + " RRset");
    }
    return Optional.of(problem);
  }

  private boolean hasDs(Name name) {
    Message answer = raw(name, Type.DS);
    return answer != null && !records(answer, name, Type.DS, DSRecord.class).isEmpty();
  }

  /** The zone that holds the data: the signer of its RRSIGs, or the owner of the SOA. */
  private Name zoneOf(Name name, Message data) {
    for (Record record : data.getSection(Section.ANSWER)) {
      if (record instanceof RRSIGRecord signature) {
        return signature.getSigner();
      }
    }
    for (Record record : data.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa) {
        return soa.getName();
      }
    }
    Message soa = raw(name, Type.SOA);
    if (soa == null) {
      return null;
    }
    for (Record record : soa.getSection(Section.ANSWER)) {
      if (record instanceof SOARecord s) {
        return s.getName();
      }
    }
    for (Record record : soa.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord s) {
        return s.getName();
      }
    }
    return null;
  }

  /** The response to {@code name}/{@code type} with checking disabled, or null on failure. */
  Message raw(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN));
    query.getHeader().setFlag(Flags.CD);
    try {
      return head.sendAsync(query)
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  private static RRset rrset(Message message, Name name, int type) {
    for (RRset rrset : message.getSectionRRsets(Section.ANSWER)) {
      if (rrset.getName().equals(name) && rrset.getType() == type) {
        return rrset;
      }
    }
    return null;
  }

  private static <T extends Record> List<T> records(
      Message message, Name name, int type, Class<T> recordClass) {
    RRset rrset = rrset(message, name, type);
    if (rrset == null) {
      return List.of();
    }
    return rrset.rrs(false).stream()
        .filter(recordClass::isInstance)
        .map(recordClass::cast)
        .toList();
  }
}
