package io.mxwatch.check.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Matches a host name against a certificate's DNS identifiers (RFC 6125 §6.4): subjectAltName
 * dNSName entries, or the subject CN only when there is no dNSName. A wildcard stands for exactly
 * one whole left-most label.
 */
public final class HostnameMatch {
  private HostnameMatch() {}

  /** The DNS identifiers the certificate presents, lower case. */
  public static List<String> identifiers(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0))) {
            names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return names;
    }
    if (names.isEmpty()) {
      commonName(certificate).ifPresent(cn -> names.add(cn.toLowerCase(Locale.ROOT)));
    }
    return names;
  }

  public static boolean matches(X509Certificate certificate, String host) {
    String name = normalise(host);
    for (String identifier : identifiers(certificate)) {
      if (matches(identifier, name)) {
        return true;
      }
    }
    return false;
  }

  /** Matches one identifier, such as {@code *.example.org}, against a host name. */
  public static boolean matches(String identifier, String host) {
    String pattern = normalise(identifier);
    String name = normalise(host);
    if (!pattern.startsWith("*.")) {
      return pattern.equals(name);
    }
    // RFC 6125 §6.4.3: the wildcard covers one label, never the registered domain itself.
    String suffix = pattern.substring(1);
    if (suffix.indexOf('.', 1) < 0 || !name.endsWith(suffix)) {
      return false;
    }
    String label = name.substring(0, name.length() - suffix.length());
    return !label.isEmpty() && !label.contains(".");
  }

  private static String normalise(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static java.util.Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName dn = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return java.util.Optional.of(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }
}
