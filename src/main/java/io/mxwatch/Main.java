package io.mxwatch;

import io.mxwatch.cli.ScanCommand;
import io.mxwatch.embedded.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the jar: {@code scan ...} runs a one-off scan without the service or a database;
 * anything else starts the service with the dashboard.
 */
@QuarkusMain
public class Main {
  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("scan")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      System.exit(ScanCommand.run(rest));
    }
    EmbeddedDatabase.startOrExit();
    Quarkus.run(args);
  }
}
