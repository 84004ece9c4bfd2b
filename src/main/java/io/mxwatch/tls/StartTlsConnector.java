package io.mxwatch.tls;

import io.mxwatch.net.Addresses;
import io.mxwatch.smtp.AddressGate;
import io.mxwatch.smtp.PoliteSmtpProber;
import io.mxwatch.smtp.ProbePolicy;
import io.mxwatch.smtp.SmtpOutcome;
import io.mxwatch.smtp.StartTlsDialogue;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the connections of a posture probe: each one waits for a slot at the {@link AddressGate},
 * runs the SMTP dialogue up to STARTTLS and hands the connection to a TLS exchange. A temporary
 * SMTP rejection is retried with back-off; any other SMTP failure ends the probe.
 */
public final class StartTlsConnector {
  private final InetAddress address;
  private final int port;
  private final Duration timeout;
  private final String heloName;
  private final ProbePolicy policy;
  private final AddressGate gate;
  private final PoliteSmtpProber.Sleeper sleeper;
  private final long deadlineNanos;
  private int connections;

  /** One exchange on a connection whose next bytes are TLS. */
  public interface Exchange<T> {
    T run(StartTlsDialogue.Ready connection) throws IOException, TlsParseException;
  }

  /** The SMTP part failed, so no TLS exchange could be attempted; the posture is inconclusive. */
  public static final class ConnectionFailure extends Exception {
    private final SmtpOutcome outcome;

    public ConnectionFailure(SmtpOutcome outcome, String message) {
      super(message);
      this.outcome = outcome;
    }

    public SmtpOutcome outcome() {
      return outcome;
    }
  }

  public StartTlsConnector(
      InetAddress address,
      int port,
      Duration timeout,
      String heloName,
      ProbePolicy policy,
      AddressGate gate,
      PoliteSmtpProber.Sleeper sleeper) {
    this.address = address;
    this.port = port;
    this.timeout = timeout;
    this.heloName = heloName;
    this.policy = policy;
    this.gate = gate;
    this.sleeper = sleeper;
    this.deadlineNanos = System.nanoTime() + policy.addressBudget().toNanos();
  }

  /** TCP connections opened so far. */
  public int connections() {
    return connections;
  }

  /**
   * Opens a connection, negotiates STARTTLS and runs {@code exchange} on it.
   *
   * @throws ConnectionFailure when the SMTP dialogue fails, after the retries the policy allows
   * @throws IOException when the exchange itself fails to read or write
   * @throws TlsParseException when the exchange cannot parse the server's reply
   */
  public <T> T exchange(Exchange<T> exchange)
      throws ConnectionFailure, IOException, TlsParseException {
    Duration backoff = policy.retryBackoff();
    for (int attempt = 1; ; attempt++) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new ConnectionFailure(
            SmtpOutcome.TIMEOUT,
            "the time budget of "
                + (policy.addressBudget().toMillis() < 1000
                    ? policy.addressBudget().toMillis() + " ms"
                    : policy.addressBudget().toSeconds() + " s")
                + " for probing this address is used up after "
                + connections
                + " connections");
      }
      StartTlsDialogue.Stopped stopped;
      try (AddressGate.Permit permit =
          gate.acquire(
              Addresses.text(address),
              policy.maxConnectionsPerAddress(),
              policy.pauseBetweenConnections())) {
        connections++;
        List<String> transcript = new ArrayList<>();
        StartTlsDialogue.Result result =
            StartTlsDialogue.open(address, port, timeout, heloName, transcript);
        if (result instanceof StartTlsDialogue.Ready ready) {
          try (ready) {
            return exchange.run(ready);
          }
        }
        stopped = (StartTlsDialogue.Stopped) result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectionFailure(SmtpOutcome.TIMEOUT, "interrupted waiting for a slot");
      }
      if (stopped.outcome() != SmtpOutcome.TEMPORARY_REJECTION || attempt > policy.retries()) {
        String suffix = attempt > 1 ? " (after " + attempt + " attempts)" : "";
        throw new ConnectionFailure(
            stopped.outcome(), "connection " + connections + ": " + stopped.message() + suffix);
      }
      try {
        sleeper.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectionFailure(SmtpOutcome.TIMEOUT, "interrupted during retry back-off");
      }
      backoff = backoff.multipliedBy(2);
    }
  }
}
