package io.mxwatch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Finding;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.ScanResultJson;
import io.mxwatch.model.Status;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.ConclusiveFallback;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.DuplicateDomainException;
import io.mxwatch.store.ScanStore;
import io.mxwatch.store.ScanSummary;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The JSON API. Names in paths may be in Unicode or A-label form; responses use both. Errors are
 * {@code {"error": "..."}} with 400 for invalid input, 404 for unknown domains and 409 for
 * duplicates.
 */
@Path("/api/domains")
@Produces(MediaType.APPLICATION_JSON)
public class DomainApi {
  static final int MAX_HISTORY = 1000;

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject ScanDispatcher dispatcher;

  /** Lists every domain with the outcome of its latest scan. */
  @GET
  public List<DomainView> list() {
    return domains.fleet().stream().map(DomainView::of).toList();
  }

  /** Registers a domain; it is scanned as soon as a worker is free. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response add(DomainRequest request) {
    if (request == null) {
      throw new DomainRequest.InvalidRequestException(
          "expected a JSON body such as {\"name\": \"example.org\"}");
    }
    DomainRequest.Valid valid = request.validate();
    DomainRecord added = domains.add(valid.domain(), valid.dkimSelectors(), valid.nextKeys());
    dispatcher.requestDispatch();
    return Response.created(UriBuilder.fromPath("/api/domains/{name}").build(added.name()))
        .entity(DomainView.of(added))
        .build();
  }

  /** Deletes a domain and its history. */
  @DELETE
  @Path("{name}")
  public Response remove(@PathParam("name") String name) {
    String ascii = ascii(name);
    if (!domains.remove(ascii)) {
      throw new UnknownDomainException(ascii);
    }
    return Response.noContent().build();
  }

  /** Starts a scan of the domain now. */
  @POST
  @Path("{name}/scan")
  public Response scan(@PathParam("name") String name) {
    String ascii = ascii(name);
    if (!dispatcher.scanNow(ascii)) {
      throw new UnknownDomainException(ascii);
    }
    return Response.accepted(Map.of("domain", ascii, "status", "queued")).build();
  }

  /** Returns the latest completed scan in the same JSON shape as {@code mxwatch scan --json}. */
  @GET
  @Path("{name}")
  public Map<String, Object> latest(@PathParam("name") String name) {
    String ascii = ascii(name);
    DomainRecord domain = domains.find(ascii).orElseThrow(() -> new UnknownDomainException(ascii));
    ScanResult result =
        scans
            .latest(domain.name())
            .orElseThrow(() -> new UnknownDomainException(ascii + " has not been scanned yet"))
            .result();
    Map<String, Object> json = ScanResultJson.toJson(result);
    addLastConclusive(json, result, scans.fallback(result));
    return json;
  }

  /**
   * Adds {@code lastConclusive} (status, summary, scannedAt) to each {@code error} finding that has
   * an earlier conclusive result, so clients can show it beside the error. An error that stands in
   * for MX hosts the scan could not learn gets the worst of their last conclusive results, with its
   * {@code target}, and all of them under {@code targets}.
   */
  @SuppressWarnings("unchecked")
  private static void addLastConclusive(
      Map<String, Object> json, ScanResult result, ConclusiveFallback fallback) {
    List<Object> findings = (List<Object>) json.get("findings");
    for (int i = 0; i < findings.size(); i++) {
      Finding finding = result.findings().get(i);
      if (finding.status() != Status.ERROR) {
        continue;
      }
      Map<String, Object> item = (Map<String, Object>) findings.get(i);
      List<ConclusiveFallback.Carried> carried = fallback.carriedFor(finding);
      if (!carried.isEmpty()) {
        Map<String, Object> worst = conclusive(carried.get(0).result());
        worst.put("target", carried.get(0).target());
        worst.put(
            "targets",
            carried.stream()
                .map(
                    c -> {
                      Map<String, Object> one = new LinkedHashMap<>();
                      one.put("target", c.target());
                      one.putAll(conclusive(c.result()));
                      return one;
                    })
                .toList());
        item.put("lastConclusive", worst);
      } else {
        fallback.earlier(finding).ifPresent(c -> item.put("lastConclusive", conclusive(c)));
      }
    }
    // Checks the scan could not run at all keep their last results under "carried".
    List<Map<String, Object>> carried = new ArrayList<>();
    for (String check : fallback.unreported(result.findings())) {
      for (ConclusiveFallback.Carried c : fallback.carriedOf(check)) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("check", check);
        one.put("target", c.target());
        one.putAll(conclusive(c.result()));
        carried.add(one);
      }
    }
    if (!carried.isEmpty()) {
      json.put("carried", carried);
    }
  }

  private static Map<String, Object> conclusive(ScanStore.Conclusive conclusive) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", conclusive.status().wireName());
    json.put("summary", conclusive.summary());
    json.put("scannedAt", conclusive.scannedAt().toString());
    return json;
  }

  /** Conclusive changes of the domain's checks between scans, newest first. */
  @GET
  @Path("{name}/events")
  public List<Map<String, Object>> events(
      @PathParam("name") String name, @QueryParam("limit") @DefaultValue("100") String limit) {
    String ascii = ascii(name);
    int count = limit(limit);
    domains.find(ascii).orElseThrow(() -> new UnknownDomainException(ascii));
    return scans.events(ascii, count).stream()
        .map(
            e -> {
              Map<String, Object> event = new java.util.LinkedHashMap<>();
              event.put("occurredAt", e.occurredAt().toString());
              event.put("kind", e.regression() ? "regression" : "improvement");
              event.put("check", e.check());
              event.put("target", e.target());
              event.put("from", e.from().wireName());
              event.put("to", e.to().wireName());
              event.put("summary", e.summary());
              return event;
            })
        .toList();
  }

  /** Scans of the domain, newest first, failed attempts included. */
  @GET
  @Path("{name}/scans")
  public List<ScanSummary> history(
      @PathParam("name") String name, @QueryParam("limit") @DefaultValue("100") String limit) {
    String ascii = ascii(name);
    int count = limit(limit);
    domains.find(ascii).orElseThrow(() -> new UnknownDomainException(ascii));
    return scans.history(ascii, count);
  }

  /** Parses a {@code limit} query parameter of the history lists. */
  private static int limit(String text) {
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new DomainRequest.InvalidRequestException(
          "limit must be a whole number from 1 to " + MAX_HISTORY + ", not '" + text + "'");
    }
    if (limit < 1 || limit > MAX_HISTORY) {
      throw new DomainRequest.InvalidRequestException(
          "limit must be 1 to " + MAX_HISTORY + ", not " + limit);
    }
    return limit;
  }

  private static String ascii(String name) {
    try {
      return DomainName.parse(name).ascii();
    } catch (DomainName.InvalidDomainException e) {
      throw new DomainRequest.InvalidRequestException(e.getMessage());
    }
  }

  @ServerExceptionMapper
  Response invalid(DomainRequest.InvalidRequestException e) {
    return error(Response.Status.BAD_REQUEST, e.getMessage());
  }

  /** A body that is not JSON, or JSON of the wrong shape for a domain request. */
  @ServerExceptionMapper
  Response unreadable(JsonProcessingException e) {
    return error(Response.Status.BAD_REQUEST, describe(e) + EXAMPLE_BODY);
  }

  static final String EXAMPLE_BODY =
      "; expected a JSON object such as {\"name\": \"example.org\", \"dkimSelectors\":"
          + " [\"s1\"], \"nextKeys\": []}";

  /** Says what is wrong with a body in words, without Jackson's class names. */
  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '"
          + unknown.getPropertyName()
          + "'; the fields are name, dkimSelectors and nextKeys";
    }
    if (e instanceof MismatchedInputException mismatch) {
      String field =
          mismatch.getPath().stream()
              .map(JsonMappingException.Reference::getFieldName)
              .filter(java.util.Objects::nonNull)
              .reduce((a, b) -> a + "." + b)
              .orElse(null);
      String expected = expectedShape(mismatch.getTargetType());
      return field == null
          ? "the body is not a JSON object for a domain request"
          : "field '" + field + "' must be " + expected;
    }
    var location = e.getLocation();
    return location == null
        ? "the body is not valid JSON"
        : "the body is not valid JSON (line "
            + location.getLineNr()
            + ", column "
            + location.getColumnNr()
            + ")";
  }

  private static String expectedShape(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list of strings";
    }
    if (type == String.class) {
      return "a string";
    }
    return "of another type";
  }

  @ServerExceptionMapper
  Response duplicate(DuplicateDomainException e) {
    return error(Response.Status.CONFLICT, e.getMessage());
  }

  private static Response error(Response.Status status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(message))
        .build();
  }
}
