package io.mxwatch.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real embedded PostgreSQL: unpack, initdb, start, restart, stop. */
class EmbeddedPostgresTest {
  /** Shared across test runs so that the 15 MB archive is unpacked once. */
  private static final Path CACHE = Path.of("target", "embedded-postgres-cache");

  @TempDir Path dataDir;

  private EmbeddedPostgres.Settings settings() {
    return new EmbeddedPostgres.Settings(dataDir, CACHE, 0, "mxwatch_embedded_test");
  }

  @Test
  void start_keepsDataAcrossRestart() throws SQLException {
    try (EmbeddedPostgres first = EmbeddedPostgres.start(settings())) {
      assertThat(first.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
      try (Connection connection = connect(first);
          Statement statement = connection.createStatement()) {
        statement.execute("create table notes (text text)");
        statement.execute("insert into notes values ('kept across restarts')");
        try (ResultSet rows = statement.executeQuery("show server_encoding")) {
          rows.next();
          assertThat(rows.getString(1)).isEqualTo("UTF8");
        }
      }
    }
    assertThat(dataDir.resolve("postgresql/postmaster.pid")).doesNotExist();

    try (EmbeddedPostgres second = EmbeddedPostgres.start(settings());
        Connection connection = connect(second);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select text from notes")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("kept across restarts");
    }
  }

  @Test
  void start_listensOnLoopbackOnly() throws SQLException {
    try (EmbeddedPostgres server = EmbeddedPostgres.start(settings());
        Connection connection = connect(server);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select current_setting('listen_addresses'),"
                    + " current_setting('unix_socket_directories')")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("127.0.0.1");
      assertThat(rows.getString(2)).isEmpty();
    }
    assertThat(readHba()).containsExactly("host all all 127.0.0.1/32 trust");
  }

  @Test
  void start_rejectsDataDirInUse() {
    try (EmbeddedPostgres server = EmbeddedPostgres.start(settings())) {
      assertThatThrownBy(() -> EmbeddedPostgres.start(settings()))
          .isInstanceOf(EmbeddedPostgresException.class)
          .hasMessageContaining("Another mxwatch process is using the data directory")
          .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL");
    }
  }

  @Test
  void start_takesOverServerLeftRunning() throws SQLException {
    EmbeddedPostgres crashed = EmbeddedPostgres.start(settings());
    try (Connection connection = connect(crashed);
        Statement statement = connection.createStatement()) {
      statement.execute("create table survivors (id int)");
    }
    crashed.abandon();

    try (EmbeddedPostgres restarted = EmbeddedPostgres.start(settings());
        Connection connection = connect(restarted);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from survivors")) {
      rows.next();
      assertThat(rows.getInt(1)).isZero();
    }
  }

  @Test
  void start_reportsPortInUse() throws Exception {
    try (EmbeddedPostgres first = EmbeddedPostgres.start(settings())) {
      Path otherData = Files.createDirectories(dataDir.resolve("other"));
      EmbeddedPostgres.Settings clash =
          new EmbeddedPostgres.Settings(otherData, CACHE, first.port(), "mxwatch_embedded_test");
      assertThatThrownBy(() -> EmbeddedPostgres.start(clash))
          .isInstanceOf(EmbeddedPostgresException.class)
          .hasMessageContaining("did not start on 127.0.0.1:" + first.port())
          .hasMessageContaining("QUARKUS_DATASOURCE_USERNAME");
    }
  }

  @Test
  void externalDatabaseConfigured_followsEnvironment() {
    assertThat(
            EmbeddedDatabase.externalDatabaseConfigured(
                Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/x")))
        .isTrue();
    assertThat(EmbeddedDatabase.externalDatabaseConfigured(Map.of())).isFalse();
  }

  @Test
  void settings_defaultToXdgDirectories() {
    EmbeddedPostgres.Settings settings =
        EmbeddedDatabase.settings(
            Map.of("XDG_DATA_HOME", "/srv/data", "XDG_CACHE_HOME", "/srv/cache"));
    assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/data/mxwatch"));
    assertThat(settings.cacheDir()).isEqualTo(Path.of("/srv/cache/mxwatch"));
    assertThat(settings.port()).isZero();
  }

  @Test
  void settings_takeDataDirAndPortFromEnvironment() {
    EmbeddedPostgres.Settings settings =
        EmbeddedDatabase.settings(
            Map.of("MXWATCH_DATA_DIR", "/var/lib/mxwatch", "MXWATCH_EMBEDDED_PORT", "15432"));
    assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/mxwatch"));
    assertThat(settings.port()).isEqualTo(15432);
  }

  @Test
  void settings_rejectInvalidPort() {
    assertThatThrownBy(() -> EmbeddedDatabase.settings(Map.of("MXWATCH_EMBEDDED_PORT", "http")))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("not 'http'");
  }

  @Test
  void parse_skipsCommentsAndBrokenLines() {
    List<UserNamespace.Mapping> users =
        UserNamespace.parse(
            List.of(
                "root:x:0:0:root:/root:/bin/bash",
                "# comment",
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
                "broken:x:abc:1::/:/bin/false",
                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"));
    assertThat(users)
        .extracting(UserNamespace.Mapping::name)
        .containsExactly("root", "daemon", "nobody");
  }

  private List<String> readHba() {
    try {
      return Files.readAllLines(dataDir.resolve("postgresql/pg_hba.conf")).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Connection connect(EmbeddedPostgres server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.username(), null);
  }
}
