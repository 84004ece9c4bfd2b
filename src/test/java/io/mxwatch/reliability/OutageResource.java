package io.mxwatch.reliability;

import io.mxwatch.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fleet of 30 domains and a PostgreSQL server of the test's own (the embedded one), so the test
 * can stop the database under a running scanner and start it again on the same port.
 */
public class OutageResource extends FleetResource {
  static volatile EmbeddedPostgres database;
  static volatile EmbeddedPostgres.Settings databaseSettings;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = startWorld(30, 6);
    Path dataDir = temporaryDirectory("mxwatch-outage-db");
    databaseSettings =
        new EmbeddedPostgres.Settings(
            dataDir, Path.of("target", "embedded-postgres-cache"), freePort(), "mxwatch_outage");
    database = EmbeddedPostgres.start(databaseSettings);
    config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    config.put("quarkus.datasource.username", database.username());
    // Fail fast while the database is down instead of waiting for a pooled connection.
    config.put("quarkus.datasource.jdbc.acquisition-timeout", "2s");
    config.put("quarkus.datasource.jdbc.login-timeout", "2s");
    config.put("mxwatch.scan.concurrency", "4");
    return config;
  }

  /** Stops the database; scans keep running. */
  static void stopDatabase() {
    database.stop();
  }

  /** Starts the database again with the same data directory and port. */
  static void startDatabase() {
    database = EmbeddedPostgres.start(databaseSettings);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    super.stop();
    if (database != null) {
      database.close();
      database = null;
    }
  }
}
