package io.mxwatch.dns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.TrustAnchorStore;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** Turns a validated response into a {@link DnsAnswer}. */
final class AnswerReader {
  private AnswerReader() {}

  static DnsAnswer read(Name name, int type, Message response, TrustAnchorStore anchors) {
    int rcode = response.getRcode();
    int ede = extendedErrorCode(response);
    // The validator explains insecure answers too; only with SERVFAIL is the reason a rejection.
    String validatorReason = validationReason(response);
    String bogusReason = rcode == Rcode.SERVFAIL ? validatorReason : null;

    if (bogusReason != null) {
      return new DnsAnswer(
          name,
          type,
          Outcome.SERVFAIL,
          List.of(),
          List.of(),
          Security.BOGUS,
          ede,
          bogusReason,
          List.of());
    }

    Security security;
    if (response.getHeader().getFlag(Flags.AD)) {
      security = Security.SECURE;
    } else if (anchors.find(name, DClass.IN) == null) {
      security = Security.INDETERMINATE;
    } else {
      security = Security.INSECURE;
    }

    switch (rcode) {
      case Rcode.NOERROR, Rcode.NXDOMAIN -> {
        return readData(name, type, response, rcode, security, ede);
      }
      case Rcode.SERVFAIL -> {
        return new DnsAnswer(
            name,
            type,
            Outcome.SERVFAIL,
            List.of(),
            List.of(),
            Security.INDETERMINATE,
            ede,
            "resolver answered SERVFAIL" + edeSuffix(response),
            List.of());
      }
      case Rcode.REFUSED -> {
        return DnsAnswer.failure(name, type, Outcome.REFUSED, "resolver answered REFUSED");
      }
      default -> {
        return DnsAnswer.failure(
            name, type, Outcome.FAILED, "resolver answered " + Rcode.string(rcode));
      }
    }
  }

  /**
   * Follows the CNAME chain from {@code name} through the answer section, then takes the RRset of
   * {@code type} at its end.
   */
  private static DnsAnswer readData(
      Name name, int type, Message response, int rcode, Security security, int ede) {
    List<Record> answers = response.getSection(Section.ANSWER);
    List<Name> chain = new ArrayList<>();
    List<RRSIGRecord> signatures = new ArrayList<>();
    Name current = name;
    for (int hop = 0; hop <= DnsSession.MAX_CNAME_HOPS; hop++) {
      List<Record> data = new ArrayList<>();
      CNAMERecord cname = null;
      for (Record record : answers) {
        if (!record.getName().equals(current)) {
          continue;
        }
        if (record.getType() == type) {
          data.add(record);
        } else if (record instanceof CNAMERecord c) {
          cname = c;
        } else if (record instanceof RRSIGRecord sig
            && (sig.getTypeCovered() == type || sig.getTypeCovered() == org.xbill.DNS.Type.CNAME)) {
          signatures.add(sig);
        }
      }
      if (!data.isEmpty()) {
        return new DnsAnswer(
            name, type, Outcome.ANSWER, data, chain, security, ede, null, signatures);
      }
      if (cname == null || type == org.xbill.DNS.Type.CNAME) {
        break;
      }
      Name target = cname.getTarget();
      if (chain.contains(target) || target.equals(name)) {
        return new DnsAnswer(
            name,
            type,
            Outcome.FAILED,
            List.of(),
            chain,
            security,
            ede,
            "CNAME loop at " + target,
            signatures);
      }
      chain.add(target);
      current = target;
    }
    Outcome outcome = rcode == Rcode.NXDOMAIN ? Outcome.NXDOMAIN : Outcome.NODATA;
    return new DnsAnswer(name, type, outcome, List.of(), chain, security, ede, null, signatures);
  }

  /** The validator's explanation of its verdict, or null when it gave none. */
  private static String validationReason(Message response) {
    for (Record record : response.getSection(Section.ADDITIONAL)) {
      if (record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS
          && record instanceof TXTRecord txt) {
        return String.join("", txt.getStrings());
      }
    }
    return null;
  }

  private static int extendedErrorCode(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return -1;
    }
    for (EDNSOption option : opt.getOptions()) {
      if (option instanceof ExtendedErrorCodeOption ede) {
        return ede.getErrorCode();
      }
    }
    return -1;
  }

  private static String edeSuffix(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return "";
    }
    for (EDNSOption option : opt.getOptions()) {
      if (option instanceof ExtendedErrorCodeOption ede) {
        String text = ExtendedErrorCodeOption.text(ede.getErrorCode());
        return ede.getText() == null || ede.getText().isEmpty()
            ? " (" + text + ")"
            : " (" + text + ": " + ede.getText() + ")";
      }
    }
    return "";
  }
}
