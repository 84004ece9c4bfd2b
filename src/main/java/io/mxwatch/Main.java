package io.mxwatch;

import io.mxwatch.embedded.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

@QuarkusMain
public class Main {
  public static void main(String... args) {
    EmbeddedDatabase.startOrExit();
    Quarkus.run(args);
  }
}
