package io.mxwatch.tls;

import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;

/** The finite-field groups of RFC 7919 Appendix A, for exact comparison with a server's prime. */
public final class Rfc7919 {
  private Rfc7919() {}

  /**
   * The name of the RFC 7919 group with exactly this prime and generator 2, such as {@code
   * ffdhe3072}; empty for any other group, however large.
   */
  public static Optional<String> groupName(BigInteger prime, BigInteger generator) {
    if (!BigInteger.TWO.equals(generator)) {
      return Optional.empty();
    }
    return groupCode(prime).map(NamedGroup::name);
  }

  /** The NamedGroup code of the RFC 7919 group with this prime. */
  public static Optional<Integer> groupCode(BigInteger prime) {
    DHParameters[] groups = {
      DHStandardGroups.rfc7919_ffdhe2048,
      DHStandardGroups.rfc7919_ffdhe3072,
      DHStandardGroups.rfc7919_ffdhe4096,
      DHStandardGroups.rfc7919_ffdhe6144,
      DHStandardGroups.rfc7919_ffdhe8192
    };
    for (int i = 0; i < groups.length; i++) {
      if (groups[i].getP().equals(prime)) {
        return Optional.of(0x0100 + i);
      }
    }
    return Optional.empty();
  }
}
