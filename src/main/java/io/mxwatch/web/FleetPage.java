package io.mxwatch.web;

import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.DuplicateDomainException;
import io.mxwatch.store.FleetEntry;
import io.mxwatch.store.ScanStore;
import io.mxwatch.store.ScanSummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dashboard's fleet overview and the forms that change the fleet. Every form posts with a CSRF
 * token and responds with a redirect (post/redirect/get), or re-renders the page with the error.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class FleetPage {
  private static final int WORST_FINDINGS_SHOWN = 3;

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject ScanDispatcher dispatcher;

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance overview(
        List<FleetRow> rows,
        FleetQuery query,
        int total,
        int matching,
        int pages,
        String error,
        String nameInput,
        String selectorsInput);
  }

  @GET
  public TemplateInstance overview(
      @QueryParam("q") String text,
      @QueryParam("status") String status,
      @QueryParam("sort") String sort,
      @QueryParam("page") @DefaultValue("1") String page) {
    return render(new FleetQuery(text, status, sort, pageNumber(page)), null, "", "");
  }

  /** Parses the page number of a link; anything that is not a number means the first page. */
  static int pageNumber(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @POST
  @Path("domains")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response add(@FormParam("name") String name, @FormParam("selectors") String selectors) {
    DomainRequest request = new DomainRequest(name, DomainRequest.splitList(selectors), List.of());
    String error;
    try {
      DomainRequest.Valid valid = request.validate();
      DomainRecord added = domains.add(valid.domain(), valid.dkimSelectors(), List.of());
      dispatcher.requestDispatch();
      return seeOther(UriBuilder.fromPath("/domains/{name}").build(added.name()).toString());
    } catch (DomainRequest.InvalidRequestException | DuplicateDomainException e) {
      error = e.getMessage();
    }
    TemplateInstance page =
        render(
            new FleetQuery(null, null, null, 1),
            error,
            Objects.requireNonNullElse(name, ""),
            Objects.requireNonNullElse(selectors, ""));
    return Response.status(Response.Status.BAD_REQUEST).entity(page).build();
  }

  private TemplateInstance render(
      FleetQuery query, String error, String nameInput, String selectorsInput) {
    // TODO: filter, sort and page in SQL once fleets outgrow tens of thousands of domains; this
    // loads every domain's latest scan summary per page view.
    List<FleetEntry> all = domains.fleet();
    List<FleetEntry> matching = query.apply(all);
    int pages = Math.max(1, (matching.size() + FleetQuery.PAGE_SIZE - 1) / FleetQuery.PAGE_SIZE);
    int from = Math.min(matching.size(), (query.page() - 1) * FleetQuery.PAGE_SIZE);
    List<FleetEntry> shown =
        matching.subList(from, Math.min(matching.size(), from + FleetQuery.PAGE_SIZE));
    String message =
        error != null || query.validStatus() ? error : "unknown status '" + query.status() + "'";
    return Templates.overview(
        rows(shown), query, all.size(), matching.size(), pages, message, nameInput, selectorsInput);
  }

  private List<FleetRow> rows(List<FleetEntry> entries) {
    List<Long> scanIds =
        entries.stream().filter(e -> e.latest() != null).map(e -> e.latest().id()).toList();
    Map<Long, List<Finding>> worst = scans.worstFindings(scanIds, WORST_FINDINGS_SHOWN);
    Map<Long, Map<Status, Integer>> counts = scans.statusCounts(scanIds);
    List<FleetRow> rows = new ArrayList<>(entries.size());
    for (FleetEntry entry : entries) {
      ScanSummary latest = entry.latest();
      Long id = latest == null ? null : latest.id();
      rows.add(
          new FleetRow(
              entry.domain().name(),
              entry.domain().unicodeName(),
              latest == null ? null : latest.score(),
              latest == null ? null : latest.worstStatus(),
              latest == null ? null : latest.startedAt(),
              entry.domain().scanning(),
              entry.lastAttemptFailed() ? entry.lastAttempt().error() : null,
              id == null ? List.of() : worst.getOrDefault(id, List.of()),
              id == null ? Map.of() : counts.getOrDefault(id, Map.of())));
    }
    return rows;
  }

  static Response seeOther(String location) {
    return Response.seeOther(java.net.URI.create(location)).build();
  }
}
