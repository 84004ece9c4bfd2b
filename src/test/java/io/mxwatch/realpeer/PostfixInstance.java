package io.mxwatch.realpeer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Postfix instance of Debian's package with one SMTP listener on a loopback address, its own
 * config, queue and data directories under a temporary directory, and no way to send mail out:
 * every transport is {@code error}, relaying is rejected and master.cf has no SMTP client. Started
 * with {@code postfix -c DIR start} (as root) and stopped by the master's pid.
 */
public final class PostfixInstance implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** Internal services every instance needs; none of them connects anywhere. */
  private static final String SERVICES =
      """
      pickup    unix  n       -       n       60      1       pickup
      cleanup   unix  n       -       n       -       0       cleanup
      qmgr      unix  n       -       n       300     1       qmgr
      tlsmgr    unix  -       -       n       1000?   1       tlsmgr
      rewrite   unix  -       -       n       -       -       trivial-rewrite
      bounce    unix  -       -       n       -       0       bounce
      defer     unix  -       -       n       -       0       bounce
      trace     unix  -       -       n       -       0       bounce
      verify    unix  -       -       n       -       1       verify
      flush     unix  n       -       n       1000?   0       flush
      proxymap  unix  -       -       n       -       -       proxymap
      proxywrite unix -       -       n       -       1       proxymap
      showq     unix  n       -       n       -       -       showq
      error     unix  -       -       n       -       -       error
      retry     unix  -       -       n       -       -       error
      discard   unix  -       -       n       -       -       discard
      anvil     unix  -       -       n       -       1       anvil
      scache    unix  -       -       n       -       1       scache
      postlog   unix-dgram n  -       n       -       1       postlogd
      """;

  private final String name;
  private final String address;
  private final int port;
  private final Path directory;
  private long masterPid = -1;

  private PostfixInstance(String name, String address, int port, Path directory) {
    this.name = name;
    this.address = address;
    this.port = port;
    this.directory = directory;
  }

  /** Settings of one instance; {@link #start} writes them out and starts Postfix. */
  public static final class Builder {
    private final String name;
    private final String address;
    private int port = 25;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<String> opensslSettings = new ArrayList<>();
    private PrivateKey key;
    private List<X509Certificate> chain = List.of();

    private Builder(String name, String address) {
      this.name = name;
      this.address = address;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** A main.cf parameter, such as {@code smtpd_tls_protocols = >=TLSv1.2}. */
    public Builder parameter(String key, String value) {
      parameters.put(key, value);
      return this;
    }

    /**
     * A line of the OpenSSL {@code system_default} section that Postfix loads through
     * tls_config_file, such as {@code SignatureAlgorithms = ECDSA+SHA256}.
     */
    public Builder openssl(String line) {
      opensslSettings.add(line);
      return this;
    }

    /** The key and the chain the server sends, leaf first. */
    public Builder certificate(PrivateKey privateKey, List<X509Certificate> certificates) {
      this.key = privateKey;
      this.chain = List.copyOf(certificates);
      return this;
    }

    public PostfixInstance start(Path parent) throws IOException, InterruptedException {
      Path directory = Files.createDirectories(parent.resolve(name));
      // Postfix's daemons run as the postfix user, which must reach the queue and data
      // directories; JUnit creates temporary directories readable by their owner only.
      var traversable = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
      Files.setPosixFilePermissions(parent, traversable);
      Files.setPosixFilePermissions(directory, traversable);
      PostfixInstance instance = new PostfixInstance(name, address, port, directory);
      instance.write(this);
      instance.launch();
      return instance;
    }
  }

  public static Builder builder(String name, String address) {
    return new Builder(name, address);
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  public Path directory() {
    return directory;
  }

  private void write(Builder builder) throws IOException {
    Path etc = Files.createDirectories(directory.resolve("etc"));
    Path queue = Files.createDirectories(directory.resolve("queue"));
    Path data = Files.createDirectories(directory.resolve("data"));
    UserPrincipal postfix =
        directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
    Files.setOwner(data, postfix);

    Map<String, String> main = new LinkedHashMap<>();
    main.put("compatibility_level", "3.6");
    main.put("queue_directory", queue.toString());
    main.put("data_directory", data.toString());
    main.put("meta_directory", "/etc/postfix");
    main.put("command_directory", "/usr/sbin");
    main.put("daemon_directory", "/usr/lib/postfix/sbin");
    main.put("shlib_directory", "/usr/lib/postfix");
    main.put("mail_owner", "postfix");
    main.put("setgid_group", "postdrop");
    main.put("myhostname", name + ".test");
    main.put("mydestination", "");
    main.put("relayhost", "");
    main.put("default_transport", "error:mail delivery is disabled in tests");
    main.put("relay_transport", "error:mail delivery is disabled in tests");
    main.put("local_transport", "error:mail delivery is disabled in tests");
    main.put("smtpd_relay_restrictions", "reject");
    main.put("alias_maps", "");
    main.put("alias_database", "");
    // Postfix checks inet_interfaces against the interface list, where only 127.0.0.1 appears;
    // the listener's own address is in master.cf.
    main.put("inet_interfaces", "127.0.0.1");
    main.put("inet_protocols", "ipv4");
    main.put("maillog_file", directory.resolve("maillog").toString());
    main.put("maillog_file_prefixes", directory.toString());
    if (builder.key != null) {
      Path keyFile = etc.resolve("key.pem");
      Path chainFile = etc.resolve("chain.pem");
      Files.writeString(keyFile, pem("PRIVATE KEY", builder.key.getEncoded()));
      StringBuilder chainPem = new StringBuilder();
      for (X509Certificate certificate : builder.chain) {
        chainPem.append(pem("CERTIFICATE", encoded(certificate)));
      }
      Files.writeString(chainFile, chainPem.toString());
      main.put("smtpd_tls_chain_files", keyFile + ", " + chainFile);
      main.put("smtpd_tls_security_level", "may");
    }
    if (!builder.opensslSettings.isEmpty()) {
      // An empty section is an error for OpenSSL, so without settings the system file stays.
      Path openssl = etc.resolve("openssl.cnf");
      Files.writeString(
          openssl,
          "postfix = postfix_settings\n[postfix_settings]\nssl_conf = postfix_ssl\n"
              + "[postfix_ssl]\nsystem_default = postfix_tls\n[postfix_tls]\n"
              + String.join("\n", builder.opensslSettings)
              + "\n");
      main.put("tls_config_file", openssl.toString());
      main.put("tls_config_name", "postfix");
    }
    main.putAll(builder.parameters);

    StringBuilder text = new StringBuilder();
    main.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
    Files.writeString(etc.resolve("main.cf"), text.toString());
    Files.writeString(
        etc.resolve("master.cf"), address + ":" + port + " inet n - n - - smtpd\n" + SERVICES);
  }

  private void launch() throws IOException, InterruptedException {
    // The readiness check below cannot tell listeners apart, so a stray server on the same address
    // would pass for this instance.
    if (accepts()) {
      String listener = address + ":" + port;
      throw new IOException(
          "another process already listens on "
              + listener
              + "; stop it or give "
              + name
              + " another address");
    }
    try {
      run("postfix", "-c", directory.resolve("etc").toString(), "start");
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; log: " + log(), e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (accepts()) {
        masterPid = readPid();
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "Postfix " + name + " did not listen on " + address + ":" + port + "; log: " + log());
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private long readPid() throws IOException {
    Path pidFile = directory.resolve("queue/pid/master.pid");
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  /** The instance's mail log, for failure messages. */
  public String log() {
    try {
      return Files.readString(directory.resolve("maillog"));
    } catch (IOException e) {
      return "(no mail log: " + e.getMessage() + ")";
    }
  }

  /** Stops the master process by its pid and waits for it to exit. */
  @Override
  public void close() throws InterruptedException {
    if (masterPid < 0) {
      return;
    }
    var master = ProcessHandle.of(masterPid);
    if (master.isPresent()) {
      master.get().destroy();
      try {
        master.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        master.get().destroyForcibly();
      }
    }
    masterPid = -1;
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " timed out");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
    }
    return output;
  }

  /** PEM as OpenSSL reads it; the key is PKCS#8, which names its curve or algorithm. */
  private static String pem(String type, byte[] der) {
    String base64 =
        java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private static byte[] encoded(X509Certificate certificate) throws IOException {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
  }
}
