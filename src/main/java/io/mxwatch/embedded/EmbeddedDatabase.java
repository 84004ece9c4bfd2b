package io.mxwatch.embedded;

import io.quarkus.runtime.Application;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Starts the embedded PostgreSQL before Quarkus when no datasource URL is configured, and points
 * the datasource at it through system properties.
 *
 * <p>Settings, each a system property or else an environment variable:
 *
 * <ul>
 *   <li>{@code mxwatch.data-dir} / {@code MXWATCH_DATA_DIR}: where the cluster lives, by default
 *       {@code $XDG_DATA_HOME/mxwatch} or {@code ~/.local/share/mxwatch};
 *   <li>{@code mxwatch.embedded.port} / {@code MXWATCH_EMBEDDED_PORT}: TCP port on 127.0.0.1, by
 *       default a free port chosen at each start;
 *   <li>{@code mxwatch.embedded.cache-dir} / {@code MXWATCH_EMBEDDED_CACHE_DIR}: where the binaries
 *       are unpacked, by default {@code $XDG_CACHE_HOME/mxwatch} or {@code ~/.cache/mxwatch}.
 * </ul>
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

  static final String JDBC_URL_PROPERTY = "quarkus.datasource.jdbc.url";
  private static final String DATABASE = "mxwatch";
  private static final long QUARKUS_STOP_WAIT_SECONDS = 30;

  private EmbeddedDatabase() {}

  /**
   * Starts the embedded server unless a datasource URL is configured; when it cannot start, prints
   * why and exits with status 1.
   */
  public static void startOrExit() {
    try {
      startIfNotConfigured();
    } catch (EmbeddedPostgresException e) {
      // Quarkus has not configured logging yet, and the message is for the person who started us.
      System.err.println("mxwatch: cannot start the embedded PostgreSQL. " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts the embedded server unless a datasource URL is configured.
   *
   * @throws EmbeddedPostgresException when it cannot start, with the reason and how to use an
   *     external server instead
   */
  public static void startIfNotConfigured() {
    if (externalDatabaseConfigured(System.getenv())) {
      return;
    }
    EmbeddedPostgres server = EmbeddedPostgres.start(settings(System.getenv()));
    System.setProperty(JDBC_URL_PROPERTY, server.jdbcUrl());
    System.setProperty("quarkus.datasource.username", server.username());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stopAfterQuarkus(server), "embedded-postgresql-shutdown"));
  }

  /**
   * Waits for Quarkus to stop before stopping the server, so that the application's last writes
   * (such as releasing its scan leases) still reach the database.
   */
  private static void stopAfterQuarkus(EmbeddedPostgres server) {
    // Quarkus' own shutdown hook runs at the same time and may already be stopping, so wait
    // whatever the state; a stopped application returns at once.
    Application application = Application.currentApplication();
    if (application != null) {
      try {
        CompletableFuture.runAsync(application::awaitShutdown)
            .get(QUARKUS_STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        LOG.warnf("Quarkus did not stop in time; stopping PostgreSQL anyway: %s", e);
      }
    }
    server.stop();
  }

  static boolean externalDatabaseConfigured(Map<String, String> environment) {
    if (present(environment.get("QUARKUS_DATASOURCE_JDBC_URL"))
        || present(System.getProperty(JDBC_URL_PROPERTY))) {
      return true;
    }
    return applicationConfig().getOptionalValue(JDBC_URL_PROPERTY, String.class).isPresent();
  }

  /**
   * The configuration as Quarkus will see it for the datasource URL: system properties, the
   * environment, {@code .env}, {@code config/application.properties} and the {@code
   * application.properties} on the class path, with the active profile applied. It is built without
   * registering it, so Quarkus still builds its own.
   */
  private static SmallRyeConfig applicationConfig() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    String profile =
        Optional.ofNullable(System.getProperty("quarkus.profile"))
            .or(() -> Optional.ofNullable(System.getenv("QUARKUS_PROFILE")))
            .orElse("prod");
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .addDefaultInterceptors()
            .withProfile(profile)
            .withSources(new DotEnvConfigSourceProvider())
            .withSources(
                PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
            .withSources(
                PropertiesConfigSourceLoader.inFileSystem(
                    Path.of("config", "application.properties").toUri().toString(), 260, loader));
    return builder.build();
  }

  static EmbeddedPostgres.Settings settings(Map<String, String> environment) {
    String home = System.getProperty("user.home");
    Path dataDir =
        setting("mxwatch.data-dir", "MXWATCH_DATA_DIR", environment)
            .map(Path::of)
            .orElseGet(
                () -> xdgDirectory("XDG_DATA_HOME", Path.of(home, ".local", "share"), environment));
    Path cacheDir =
        setting("mxwatch.embedded.cache-dir", "MXWATCH_EMBEDDED_CACHE_DIR", environment)
            .map(Path::of)
            .orElseGet(() -> xdgDirectory("XDG_CACHE_HOME", Path.of(home, ".cache"), environment));
    int port =
        setting("mxwatch.embedded.port", "MXWATCH_EMBEDDED_PORT", environment)
            .map(EmbeddedDatabase::parsePort)
            .orElse(0);
    return new EmbeddedPostgres.Settings(dataDir, cacheDir, port, DATABASE);
  }

  private static Path xdgDirectory(
      String variable, Path fallback, Map<String, String> environment) {
    String base = environment.get(variable);
    return (present(base) ? Path.of(base) : fallback).resolve("mxwatch");
  }

  private static Optional<String> setting(
      String property, String variable, Map<String, String> environment) {
    return Optional.ofNullable(System.getProperty(property))
        .or(() -> Optional.ofNullable(environment.get(variable)))
        .filter(EmbeddedDatabase::present);
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new EmbeddedPostgresException(
        "MXWATCH_EMBEDDED_PORT must be a port number from 0 to 65535, not '" + text + "'");
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
