package io.mxwatch.web;

import io.mxwatch.dns.DomainName;
import io.mxwatch.model.Category;
import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Observation;
import io.mxwatch.model.ScanResult;
import io.mxwatch.model.Status;
import io.mxwatch.service.ScanDispatcher;
import io.mxwatch.store.ChangeEvent;
import io.mxwatch.store.ConclusiveFallback;
import io.mxwatch.store.DomainRecord;
import io.mxwatch.store.DomainStore;
import io.mxwatch.store.ScanStore;
import io.mxwatch.store.ScanSummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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

/** The scorecard of one domain: findings by category, MX hosts, certificates and history. */
@Path("/domains/{name}")
@Produces(MediaType.TEXT_HTML)
public class DomainPage {
  private static final int HISTORY_SHOWN = 30;
  private static final int CHANGES_SHOWN = 20;

  /** The form field that carries the CSRF token, named as Quarkus names it by default. */
  private static final String CSRF_FIELD = "csrf-token";

  @Inject DomainStore domains;
  @Inject ScanStore scans;
  @Inject ScanDispatcher dispatcher;

  /**
   * The findings of one category.
   *
   * @param title category title
   * @param percentage category score, or null when no scored subtest had a conclusive result
   * @param rows the findings, in catalogue order
   */
  public record CategoryGroup(String title, Integer percentage, List<FindingRow> rows) {}

  /**
   * A finding with, when it is an {@code error}, the last conclusive result of the same check and
   * target: the scorecard shows that result and its age beside the error. An error on the domain
   * name that stands in for MX hosts the scan could not learn (the MX lookup failed) has instead
   * the last conclusive result of each host or address the latest earlier scan knew.
   *
   * @param finding the finding of the latest scan
   * @param earlier the last conclusive result before it, or null
   * @param carried the last conclusive results of the hosts or addresses it stands in for, worst
   *     first; empty for other findings
   */
  public record FindingRow(
      Finding finding, ScanStore.Conclusive earlier, List<ConclusiveFallback.Carried> carried) {
    public FindingRow(Finding finding, ScanStore.Conclusive earlier) {
      this(finding, earlier, List.of());
    }
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance scorecard(
        DomainRecord domain,
        ScanResult result,
        List<CategoryGroup> groups,
        List<Observation> observations,
        List<ScanSummary> history,
        List<ChangeEvent> changes,
        ScanSummary failure,
        boolean queued);
  }

  @GET
  public TemplateInstance scorecard(
      @PathParam("name") String name, @QueryParam("queued") String queued) {
    String ascii = ascii(name);
    DomainRecord domain = domains.find(ascii).orElseThrow(() -> new UnknownDomainException(ascii));
    ScanResult result = scans.latest(ascii).map(stored -> stored.result()).orElse(null);
    List<ScanSummary> history = scans.history(ascii, HISTORY_SHOWN);
    ScanSummary failure = history.isEmpty() || history.get(0).completed() ? null : history.get(0);
    ConclusiveFallback earlier = result == null ? ConclusiveFallback.NONE : scans.fallback(result);
    return Templates.scorecard(
        domain,
        result,
        result == null ? List.of() : groups(result, earlier),
        result == null ? List.of() : result.observations(),
        history,
        scans.events(ascii, CHANGES_SHOWN),
        failure,
        queued != null);
  }

  /** Deletes the domain with its history and returns to the overview. */
  @POST
  @Path("delete")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response remove(@PathParam("name") String name, @FormParam(CSRF_FIELD) String csrfToken) {
    requireCsrfToken(csrfToken);
    domains.remove(ascii(name));
    return FleetPage.seeOther("/");
  }

  /** Makes the domain due now and returns to its scorecard with a notice. */
  @POST
  @Path("scan")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response scan(@PathParam("name") String name, @FormParam(CSRF_FIELD) String csrfToken) {
    requireCsrfToken(csrfToken);
    String ascii = ascii(name);
    if (!dispatcher.scanNow(ascii)) {
      throw new UnknownDomainException(ascii);
    }
    return FleetPage.seeOther(UriBuilder.fromPath("/domains/{name}").build(ascii) + "?queued=1");
  }

  /**
   * Rejects a form post without a CSRF token. The CSRF filter verifies a token that is present but
   * lets a form without any fields through, and these forms have no other fields.
   */
  static void requireCsrfToken(String token) {
    if (token == null || token.isBlank()) {
      throw new BadRequestException("the form has no CSRF token; reload the page and try again");
    }
  }

  /** The summary of a check that a scan could not run because it did not learn the MX hosts. */
  static final String NOT_CHECKED = "not checked in this scan: the mail servers are unknown";

  static List<CategoryGroup> groups(ScanResult result, ConclusiveFallback earlier) {
    Map<String, List<FindingRow>> byTitle = new LinkedHashMap<>();
    Map<String, Integer> percentages = new LinkedHashMap<>();
    for (Category category : Category.values()) {
      byTitle.put(category.title(), new ArrayList<>());
      percentages.put(category.title(), result.score().categories().get(category));
    }
    for (Finding finding : result.findings()) {
      String title = Check.byId(finding.check()).map(c -> c.category().title()).orElse("Other");
      FindingRow row =
          finding.status() != Status.ERROR
              ? new FindingRow(finding, null)
              : earlier.isStandIn(finding)
                  ? new FindingRow(finding, null, earlier.carriedFor(finding))
                  : new FindingRow(finding, earlier.earlier(finding).orElse(null));
      byTitle.computeIfAbsent(title, t -> new ArrayList<>()).add(row);
    }
    for (String check : earlier.unreported(result.findings())) {
      String title = Check.byId(check).map(c -> c.category().title()).orElse("Other");
      Finding notChecked =
          new Finding(check, Status.ERROR, result.domain(), NOT_CHECKED, Map.of(), null);
      byTitle
          .computeIfAbsent(title, t -> new ArrayList<>())
          .add(new FindingRow(notChecked, null, earlier.carriedOf(check)));
    }
    List<CategoryGroup> groups = new ArrayList<>();
    byTitle.forEach(
        (title, findings) -> {
          if (!findings.isEmpty()) {
            groups.add(new CategoryGroup(title, percentages.get(title), findings));
          }
        });
    return groups;
  }

  static String ascii(String name) {
    try {
      return DomainName.parse(name).ascii();
    } catch (DomainName.InvalidDomainException e) {
      throw new UnknownDomainException(e.getMessage());
    }
  }
}
