package io.mxwatch.mx;

import io.mxwatch.dns.DnsAnswer;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Where mail for a domain goes, as RFC 5321 §5.1 and RFC 7505 define it.
 *
 * <p>Checks switch over the variants; each says what a sending MTA would do.
 */
public sealed interface MxResolution {

  /** The MX lookup itself. */
  DnsAnswer answer();

  /** The targets that receive mail: the MX targets, the implicit MX, or none. */
  List<MxTarget> targets();

  /** One or more MX records, sorted by preference. */
  record Exchangers(DnsAnswer answer, List<MxTarget> targets) implements MxResolution {
    public Exchangers {
      targets = List.copyOf(targets);
    }
  }

  /**
   * A null MX ({@code MX 0 .}, RFC 7505). {@code valid} is false when it has a non-zero preference
   * or stands next to other MX records.
   */
  record NullMx(DnsAnswer answer, boolean valid, String problem) implements MxResolution {
    @Override
    public List<MxTarget> targets() {
      return List.of();
    }
  }

  /** No MX RRset, but the domain has addresses: they act as an implicit MX of preference 0. */
  record ImplicitMx(DnsAnswer answer, MxTarget target) implements MxResolution {
    @Override
    public List<MxTarget> targets() {
      return List.of(target);
    }
  }

  /** No MX RRset and no addresses, or the domain does not exist: no mail can be delivered. */
  record NoMail(DnsAnswer answer) implements MxResolution {
    @Override
    public List<MxTarget> targets() {
      return List.of();
    }
  }

  /** The MX lookup failed (timeout, SERVFAIL, bogus): the scanner cannot tell where mail goes. */
  record Unknown(DnsAnswer answer) implements MxResolution {
    @Override
    public List<MxTarget> targets() {
      return List.of();
    }
  }

  /**
   * True when no mail can reach the domain's name because it does not exist: the MX lookup returned
   * NXDOMAIN, for the domain's own name or for the target of a CNAME at it. A name that is a CNAME
   * can hold no other records (RFC 2181 §10.1), so there is nothing to publish there either.
   */
  default boolean domainMissing() {
    return this instanceof NoMail && answer().outcome() == io.mxwatch.dns.Outcome.NXDOMAIN;
  }

  /** True for a null MX: every mail-server check is then not applicable. */
  default boolean isNullMx() {
    return this instanceof NullMx;
  }

  /** The name as users write it: A-labels, no trailing dot. */
  public static String text(Name name) {
    String text = name.toString(true);
    return text.isEmpty() ? "." : text;
  }
}
