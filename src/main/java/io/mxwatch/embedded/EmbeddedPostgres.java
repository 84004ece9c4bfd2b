package io.mxwatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server that runs from the binaries on the class path, with its cluster in a
 * data directory the user chooses, so that mxwatch runs on a fresh machine without a database
 * server installed.
 *
 * <p>The server listens on 127.0.0.1 only, without a Unix socket, and trusts every connection from
 * 127.0.0.1. {@code initdb} and {@code postgres} refuse to run as root, so under root they run in a
 * user namespace ({@code unshare --user}) in which the calling user maps to an unprivileged user;
 * files keep the caller's ownership outside the namespace.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);

  static final String SUPERUSER = "postgres";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
  private static final int SERVER_WAIT_SECONDS = 60;

  private final Settings settings;
  private final Commands commands;
  private final Path cluster;
  private final int port;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean stopped;

  /**
   * Where and how the server runs.
   *
   * @param dataDir directory that holds the cluster ({@code postgresql/}), its log and a lock file
   * @param cacheDir directory the binaries are unpacked into, shared by every data directory
   * @param port TCP port on 127.0.0.1, or 0 for a free port chosen at each start
   * @param database name of the database to create for the application
   */
  public record Settings(Path dataDir, Path cacheDir, int port, String database) {
    public Settings {
      dataDir = dataDir.toAbsolutePath().normalize();
      cacheDir = cacheDir.toAbsolutePath().normalize();
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      if (!DATABASE_NAME.matcher(database).matches()) {
        throw new IllegalArgumentException("invalid database name: " + database);
      }
    }
  }

  private EmbeddedPostgres(
      Settings settings,
      Commands commands,
      Path cluster,
      int port,
      FileChannel lockChannel,
      FileLock lock) {
    this.settings = settings;
    this.commands = commands;
    this.cluster = cluster;
    this.port = port;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts the server, creating the cluster and the database on first use.
   *
   * @throws EmbeddedPostgresException with the reason and how to use an external server instead
   */
  public static EmbeddedPostgres start(Settings settings) {
    FileChannel channel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(settings.dataDir());
      channel =
          FileChannel.open(
              settings.dataDir().resolve("mxwatch.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      lock = tryLock(channel);
      if (lock == null) {
        throw new EmbeddedPostgresException(
            "Another mxwatch process is using the data directory "
                + settings.dataDir()
                + ". Stop it, or choose another directory with MXWATCH_DATA_DIR.");
      }
      EmbeddedPostgres server = launch(settings, channel, lock);
      channel = null;
      return server;
    } catch (IOException e) {
      throw new EmbeddedPostgresException("Cannot use the data directory " + settings.dataDir(), e);
    } finally {
      if (channel != null) {
        closeQuietly(channel);
      }
    }
  }

  /** Returns null when another process, or this one, holds the lock. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null;
    }
  }

  private static EmbeddedPostgres launch(Settings settings, FileChannel channel, FileLock lock)
      throws IOException {
    Path binaries = PostgresBinaries.install(settings.cacheDir());
    Commands commands = Commands.forCurrentUser(binaries);
    Path cluster = settings.dataDir().resolve("postgresql");
    Path log = settings.dataDir().resolve("postgresql.log");
    if (!Files.exists(cluster.resolve("PG_VERSION"))) {
      initialize(commands, settings.dataDir(), cluster);
    }
    stopOrphanedServer(commands, cluster);

    int port = settings.port() == 0 ? freePort() : settings.port();
    CommandResult started =
        commands.run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            String.valueOf(SERVER_WAIT_SECONDS),
            "-D",
            cluster.toString(),
            "-l",
            log.toString(),
            "-o",
            "-p " + port);
    if (!started.succeeded()) {
      throw new EmbeddedPostgresException(
          "The embedded PostgreSQL did not start on 127.0.0.1:"
              + port
              + " (is the port in use? set MXWATCH_EMBEDDED_PORT to choose another).\n"
              + started.output()
              + "\nEnd of "
              + log
              + ":\n"
              + tail(log, 15));
    }
    EmbeddedPostgres server =
        new EmbeddedPostgres(settings, commands, cluster, port, channel, lock);
    try {
      server.createDatabase();
    } catch (SQLException e) {
      server.close();
      throw new EmbeddedPostgresException(
          "The embedded PostgreSQL started but the database "
              + settings.database()
              + " could not be created",
          e);
    }
    LOG.infof("Embedded PostgreSQL is running on 127.0.0.1:%d with its data in %s", port, cluster);
    return server;
  }

  /**
   * Creates the cluster in a staging directory and renames it into place, so that an interrupted
   * initdb never leaves a half-made cluster behind.
   */
  private static void initialize(Commands commands, Path dataDir, Path cluster) throws IOException {
    Path staging = dataDir.resolve("postgresql.initdb");
    PostgresBinaries.deleteRecursively(staging);
    LOG.infof("Creating a PostgreSQL cluster in %s", cluster);
    CommandResult result =
        commands.run(
            "initdb",
            "-D",
            staging.toString(),
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--no-locale",
            "-A",
            "trust");
    if (!result.succeeded()) {
      throw new EmbeddedPostgresException("initdb failed for " + staging + ":\n" + result.output());
    }
    // Only TCP from 127.0.0.1 is accepted; there is no Unix socket to connect through.
    Files.writeString(
        staging.resolve("pg_hba.conf"),
        "# Written by mxwatch: trust TCP connections from 127.0.0.1 only.\n"
            + "host all all 127.0.0.1/32 trust\n");
    Files.writeString(
        staging.resolve("postgresql.conf"),
        "\n# Written by mxwatch\n"
            + "listen_addresses = '127.0.0.1'\n"
            + "unix_socket_directories = ''\n",
        StandardOpenOption.APPEND);
    Files.move(staging, cluster);
  }

  /**
   * Stops a server that still runs on the cluster although no mxwatch holds the data directory
   * lock: it was left behind by an mxwatch that was killed without shutting down.
   */
  private static void stopOrphanedServer(Commands commands, Path cluster) {
    OptionalLong pid = postmasterPid(cluster);
    if (pid.isEmpty() || ProcessHandle.of(pid.getAsLong()).isEmpty()) {
      return;
    }
    LOG.warnf(
        "Stopping PostgreSQL (pid %d) that an earlier mxwatch left running on %s",
        pid.getAsLong(), cluster);
    CommandResult stopped =
        commands.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", cluster.toString());
    if (!stopped.succeeded()) {
      throw new EmbeddedPostgresException(
          "A PostgreSQL server (pid "
              + pid.getAsLong()
              + ") still runs on "
              + cluster
              + " and could not be stopped:\n"
              + stopped.output());
    }
  }

  private static OptionalLong postmasterPid(Path cluster) {
    Path pidFile = cluster.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(lines.get(0).strip()));
    } catch (java.nio.file.NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      LOG.warnf("Cannot read %s: %s", pidFile, e.getMessage());
      return OptionalLong.empty();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void createDatabase() throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, null);
        PreparedStatement exists =
            connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, settings.database());
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (Statement create = connection.createStatement()) {
        // The name matched DATABASE_NAME, so it needs no quoting.
        create.execute("create database " + settings.database());
      }
    }
  }

  public int port() {
    return port;
  }

  public String username() {
    return SUPERUSER;
  }

  /** The JDBC URL of the application database. */
  public String jdbcUrl() {
    return jdbcUrl(settings.database());
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Stops the server with a fast shutdown (open sessions are ended) and releases the data
   * directory. When {@code pg_ctl stop} fails, the postmaster is sent SIGTERM by its pid.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      CommandResult result =
          commands.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", cluster.toString());
      if (!result.succeeded()) {
        LOG.warnf("pg_ctl stop failed, signalling the postmaster: %s", result.output());
        terminateByPid();
      }
      LOG.infof("Embedded PostgreSQL on port %d stopped", port);
    } finally {
      closeQuietly(lockChannel);
    }
  }

  /** Releases the data directory but leaves the server running, as a killed mxwatch would. */
  synchronized void abandon() {
    stopped = true;
    closeQuietly(lockChannel);
  }

  private void terminateByPid() {
    OptionalLong pid = postmasterPid(cluster);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong());
    if (process.isEmpty()) {
      return;
    }
    process.get().destroy();
    try {
      process.get().onExit().get(SERVER_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warnf("PostgreSQL (pid %d) did not exit after SIGTERM", pid.getAsLong());
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debugf("closing the data directory lock failed: %s", e.getMessage());
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Exit code and combined output of one command. */
  record CommandResult(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs the PostgreSQL programs, through {@code unshare} when the current user is root. */
  static final class Commands {
    private final Path binaries;
    private final List<String> prefix;

    private Commands(Path binaries, List<String> prefix) {
      this.binaries = binaries;
      this.prefix = List.copyOf(prefix);
    }

    static Commands forCurrentUser(Path binaries) {
      if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
        return new Commands(binaries, List.of());
      }
      UserNamespace.Mapping user = UserNamespace.unprivilegedUser();
      Commands commands = new Commands(binaries, UserNamespace.unsharePrefix(user));
      CommandResult probe = commands.runProgram(List.of("true"));
      if (!probe.succeeded()) {
        throw new EmbeddedPostgresException(
            "PostgreSQL refuses to run as root, and running it in a user namespace as "
                + user.name()
                + " failed (is unshare from util-linux 2.38 or later installed, and are user"
                + " namespaces allowed?):\n"
                + probe.output());
      }
      return commands;
    }

    CommandResult run(String program, String... arguments) {
      List<String> command = new java.util.ArrayList<>();
      command.add(binaries.resolve("bin").resolve(program).toString());
      command.addAll(List.of(arguments));
      return runProgram(command);
    }

    private CommandResult runProgram(List<String> command) {
      List<String> full = new java.util.ArrayList<>(prefix);
      full.addAll(command);
      Path output = null;
      try {
        output = Files.createTempFile("mxwatch-postgres-", ".out");
        // Output goes to a file, not a pipe: a server started by pg_ctl could keep a pipe open.
        ProcessBuilder builder =
            new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("LC_ALL", "C");
        builder.environment().remove("PGDATA");
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return new CommandResult(-1, String.join(" ", full) + " timed out");
        }
        return new CommandResult(
            process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        return new CommandResult(-1, "cannot run " + String.join(" ", full) + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new CommandResult(-1, "interrupted while running " + String.join(" ", full));
      } finally {
        if (output != null) {
          try {
            Files.deleteIfExists(output);
          } catch (IOException e) {
            LOG.debugf("cannot delete %s: %s", output, e.getMessage());
          }
        }
      }
    }
  }
}
