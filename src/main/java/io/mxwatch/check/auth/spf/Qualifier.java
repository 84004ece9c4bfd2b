package io.mxwatch.check.auth.spf;

/**
 * The prefix of a directive (RFC 7208 §4.6.2), and the result it gives when its mechanism matches.
 */
public enum Qualifier {
  PASS('+', SpfResult.PASS),
  FAIL('-', SpfResult.FAIL),
  SOFTFAIL('~', SpfResult.SOFTFAIL),
  NEUTRAL('?', SpfResult.NEUTRAL);

  private final char symbol;
  private final SpfResult result;

  Qualifier(char symbol, SpfResult result) {
    this.symbol = symbol;
    this.result = result;
  }

  public char symbol() {
    return symbol;
  }

  public SpfResult result() {
    return result;
  }

  static Qualifier of(char symbol) {
    for (Qualifier q : values()) {
      if (q.symbol == symbol) {
        return q;
      }
    }
    return null;
  }
}
