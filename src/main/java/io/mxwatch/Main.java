package io.mxwatch;

import io.mxwatch.cli.ScanCommand;
import io.mxwatch.embedded.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * Entry point of the jar: {@code scan ...} runs a one-off scan without the service or a database;
 * no arguments start the service with the dashboard.
 */
@QuarkusMain
public class Main {
  private static final String USAGE =
      """
      Usage: mxwatch                     start the service: dashboard, API, metrics, scheduler
             mxwatch scan [options] DOMAIN...   scan domains once and print their scorecards
             mxwatch scan --help        options of the scan command
      The service is configured with mxwatch.* settings (see the README).""";

  public static void main(String... args) {
    if (args.length > 0) {
      switch (args[0]) {
        case "scan" -> System.exit(ScanCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        case "-h", "--help", "help" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        case "-V", "--version" -> System.exit(ScanCommand.run("--version"));
        default -> {
          // Anything else used to start the service, and with it a database, by accident.
          System.err.println("mxwatch: unknown command '" + args[0] + "'");
          System.err.println(USAGE);
          System.exit(2);
        }
      }
    }
    EmbeddedDatabase.startOrExit();
    Quarkus.run(args);
  }
}
