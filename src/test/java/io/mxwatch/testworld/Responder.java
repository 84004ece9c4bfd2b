package io.mxwatch.testworld;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers queries the way a recursive resolver would, from the zones of a {@link DnsWorld}: it
 * knows every zone, so it answers from the deepest zone that holds the name, follows CNAMEs across
 * zones, and adds RRSIGs and NSEC proofs when the query sets the DO bit.
 */
final class Responder {
  private static final int MAX_CNAME_CHAIN = 12;

  private final DnsWorld world;
  private volatile Function<Message, DnsFault> faults = q -> DnsFault.NONE;

  Responder(DnsWorld world) {
    this.world = world;
  }

  void faults(Function<Message, DnsFault> plan) {
    this.faults = plan;
  }

  /** The response bytes, or null for no answer at all. */
  byte[] respond(byte[] queryBytes, int maxLength) {
    Message query;
    try {
      query = new Message(queryBytes);
    } catch (java.io.IOException e) {
      return null;
    }
    Record question = query.getQuestion();
    if (question == null) {
      return null;
    }
    DnsFault fault = faults.apply(query);
    switch (fault) {
      case DROP -> {
        return null;
      }
      case GARBAGE -> {
        return new byte[] {1, 2, 3, 4, 5, 6, 7};
      }
      default -> {}
    }

    Message response = answer(query);
    switch (fault) {
      case SERVFAIL -> response = empty(query, Rcode.SERVFAIL);
      case REFUSED -> response = empty(query, Rcode.REFUSED);
      case WRONG_ID -> response.getHeader().setID((query.getHeader().getID() + 1) & 0xffff);
      case WRONG_QUESTION -> {
        Message other = empty(query, Rcode.NOERROR);
        other.removeAllRecords(Section.QUESTION);
        try {
          other.addRecord(
              Record.newRecord(Name.fromString("other.invalid."), question.getType(), 1),
              Section.QUESTION);
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        response = other;
      }
      default -> {}
    }
    if (response == null) {
      return null;
    }
    return response.toWire(maxLength);
  }

  private Message empty(Message query, int rcode) {
    Message response = new Message(query.getHeader().getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(rcode);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      response.addRecord(
          new OPTRecord(1232, 0, 0, opt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return response;
  }

  /** Builds the answer, or null when a name on the way is set to time out. */
  Message answer(Message query) {
    Record question = query.getQuestion();
    OPTRecord opt = query.getOPT();
    boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    Message response = empty(query, Rcode.NOERROR);

    Name name = question.getName();
    int type = question.getType();
    List<Name> seen = new ArrayList<>();
    for (int hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
      Zone zone = world.zoneFor(name, type);
      if (zone.timesOut(name)) {
        return null;
      }
      if (zone.failsWithServfail(name)) {
        return empty(query, Rcode.SERVFAIL);
      }
      SignedZone data = zone.snapshot();
      Map<Integer, RRset> node = data.node(name);

      if (node != null && node.containsKey(type)) {
        add(response, node.get(type), Section.ANSWER, dnssec);
        return response;
      }
      if (node != null && node.containsKey(Type.CNAME) && type != Type.CNAME) {
        RRset cname = node.get(Type.CNAME);
        add(response, cname, Section.ANSWER, dnssec);
        name = ((CNAMERecord) cname.first()).getTarget();
        if (seen.contains(name)) {
          return response;
        }
        seen.add(name);
        continue;
      }
      if (data.exists(name)) {
        noData(response, data, name, dnssec);
        return response;
      }

      // RFC 4592: a wildcard at the closest encloser answers for names below it.
      Name encloser = data.closestEncloser(name);
      Name wildcard = wildcardOf(encloser);
      Map<Integer, RRset> wild = wildcard == null ? null : data.node(wildcard);
      if (wild != null) {
        RRset synthesized = wild.get(type);
        if (synthesized == null && type != Type.CNAME) {
          synthesized = wild.get(Type.CNAME);
        }
        if (synthesized != null) {
          add(response, expand(synthesized, name), Section.ANSWER, dnssec);
          if (dnssec && data.signed()) {
            add(response, data.nsecCovering(name), Section.AUTHORITY, true);
          }
          if (synthesized.getType() == Type.CNAME && type != Type.CNAME) {
            name = ((CNAMERecord) synthesized.first()).getTarget();
            continue;
          }
          return response;
        }
        noData(response, data, wildcard, dnssec);
        if (dnssec && data.signed()) {
          add(response, data.nsecCovering(name), Section.AUTHORITY, true);
        }
        return response;
      }

      response.getHeader().setRcode(Rcode.NXDOMAIN);
      add(response, data.soa(), Section.AUTHORITY, dnssec);
      if (dnssec && data.signed()) {
        RRset covering = data.nsecCovering(name);
        add(response, covering, Section.AUTHORITY, true);
        RRset wildcardDenial = data.nsecCovering(wildcardOf(encloser));
        if (wildcardDenial != covering) {
          add(response, wildcardDenial, Section.AUTHORITY, true);
        }
      }
      return response;
    }
    return response;
  }

  private static void noData(Message response, SignedZone data, Name name, boolean dnssec) {
    add(response, data.soa(), Section.AUTHORITY, dnssec);
    if (dnssec && data.signed()) {
      RRset nsec = data.nsecAt(name);
      // An empty non-terminal owns no NSEC; the NSEC that covers it proves it has no data.
      add(response, nsec != null ? nsec : data.nsecCovering(name), Section.AUTHORITY, true);
    }
  }

  private static Name wildcardOf(Name encloser) {
    try {
      return Name.concatenate(Name.fromString("*"), encloser);
    } catch (Exception e) {
      return null;
    }
  }

  private static RRset expand(RRset wildcard, Name name) {
    RRset expanded = new RRset();
    for (Record record : wildcard.rrs(false)) {
      expanded.addRR(record.withName(name));
    }
    for (Record signature : wildcard.sigs()) {
      expanded.addRR(signature.withName(name));
    }
    return expanded;
  }

  private static void add(Message response, RRset rrset, int section, boolean dnssec) {
    if (rrset == null) {
      return;
    }
    for (Record record : rrset.rrs(false)) {
      response.addRecord(record, section);
    }
    if (dnssec) {
      for (Record signature : rrset.sigs()) {
        response.addRecord(signature, section);
      }
    }
  }
}
