package io.mxwatch.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the scanner: down while PostgreSQL is unreachable for its writes, with how many
 * finished results wait in memory.
 */
@Readiness
@ApplicationScoped
public class ScanningHealthCheck implements HealthCheck {
  @Inject DatabaseStatus database;
  @Inject ScanDispatcher dispatcher;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("mxwatch scanning")
            .withData("scansInProgress", dispatcher.inFlight())
            .withData("bufferedResults", dispatcher.buffered());
    var outage = database.outage();
    if (outage.isPresent()) {
      return response
          .down()
          .withData("databaseUnreachableSince", outage.get().since().toString())
          .withData("databaseError", outage.get().error())
          .build();
    }
    return response.up().build();
  }
}
