package io.mxwatch.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the scanner can reach PostgreSQL, as its last writes found it. Health checks and the
 * dashboard read it; the dispatcher pauses claiming new work while the database is down.
 */
@ApplicationScoped
public class DatabaseStatus {
  private static final Logger LOG = Logger.getLogger(DatabaseStatus.class);

  /**
   * An outage as first seen.
   *
   * @param since when the first failure in a row happened
   * @param error the latest failure
   */
  public record Outage(Instant since, String error) {}

  private volatile Outage outage;

  /** The current outage, or empty while the database works. */
  public Optional<Outage> outage() {
    return Optional.ofNullable(outage);
  }

  /** Records a failed database operation; logs the start of an outage once. */
  public void failed(Throwable error) {
    Outage current = outage;
    String message = rootMessage(error);
    if (current == null) {
      LOG.errorf("PostgreSQL is unreachable, pausing scans until it is back: %s", message);
      outage = new Outage(Instant.now(), message);
    } else {
      outage = new Outage(current.since(), message);
    }
  }

  /** Records a successful database operation; logs the end of an outage once. */
  public void succeeded() {
    Outage current = outage;
    if (current != null) {
      outage = null;
      LOG.infof("PostgreSQL is reachable again after an outage since %s", current.since());
    }
  }

  /**
   * True when {@code error} says the database could not be reached (connection refused or lost,
   * server shutting down, no connection from the pool in time) rather than that a statement was
   * wrong: only then is retrying the same write later the right answer.
   */
  public static boolean isUnavailable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        // SQLSTATE class 08 is "connection exception"; 57P01-57P03 mean the server is shutting
        // down or not accepting connections yet.
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
      }
      if (cause.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
        return true;
      }
      String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("acquisition timeout")
          || message.contains("connection refused")
          || message.contains("connection has been closed")
          || message.contains("this connection has been closed")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
