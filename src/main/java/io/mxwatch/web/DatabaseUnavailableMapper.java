package io.mxwatch.web;

import io.mxwatch.service.DatabaseStatus;
import io.mxwatch.service.ScanDispatcher;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers 503 with an explanation when a page or API call fails because PostgreSQL is unreachable,
 * instead of a bare server error; other persistence failures stay 500.
 */
public class DatabaseUnavailableMapper {
  private static final Logger LOG = Logger.getLogger(DatabaseUnavailableMapper.class);

  @Inject DatabaseStatus database;
  @Inject ScanDispatcher dispatcher;

  @ServerExceptionMapper
  public Response map(PersistenceException error, UriInfo uri) {
    if (!DatabaseStatus.isUnavailable(error)) {
      LOG.errorf(error, "request %s failed", uri.getPath());
      return Response.serverError().entity(Map.of("error", "internal error")).build();
    }
    database.failed(error);
    String message =
        "The database is unreachable. Scanning is paused; "
            + dispatcher.buffered()
            + " finished results are kept in memory and written when it is back.";
    if (uri.getPath().startsWith("/api/")) {
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .type(MediaType.APPLICATION_JSON)
          .entity(Map.of("error", message))
          .build();
    }
    String page =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Database unreachable – mxwatch</title>"
            + "<link rel=\"stylesheet\" href=\"/static/mxwatch.css\"></head>"
            + "<body><main><h1>mxwatch</h1><p class=\"error\">"
            + message
            + "</p><p>Reload this page once PostgreSQL is running again.</p></main></body></html>";
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .header("Retry-After", "30")
        .entity(page)
        .build();
  }
}
