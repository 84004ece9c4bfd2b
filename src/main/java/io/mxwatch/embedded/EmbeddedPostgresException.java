package io.mxwatch.embedded;

/**
 * The embedded PostgreSQL could not be started or stopped. The message says why and how to use an
 * external PostgreSQL server instead.
 */
public final class EmbeddedPostgresException extends RuntimeException {
  static final String EXTERNAL_HINT =
      "To use an external PostgreSQL server instead, set QUARKUS_DATASOURCE_JDBC_URL (for example"
          + " jdbc:postgresql://db.example.org:5432/mxwatch), QUARKUS_DATASOURCE_USERNAME and"
          + " QUARKUS_DATASOURCE_PASSWORD.";

  public EmbeddedPostgresException(String reason) {
    super(reason + "\n" + EXTERNAL_HINT);
  }

  public EmbeddedPostgresException(String reason, Throwable cause) {
    super(reason + ": " + cause.getMessage() + "\n" + EXTERNAL_HINT, cause);
  }
}
