package io.mxwatch.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Adds the reason to error responses that have no body, as JSON under the API and as a page on the
 * dashboard. The CSRF filter and the framework reject some requests with a bare status, which a
 * browser shows as a blank page and an API client cannot explain.
 */
public class EmptyErrorFilter {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance error(String title, String message);
  }

  @ServerResponseFilter
  public void fill(ContainerRequestContext request, ContainerResponseContext response) {
    int status = response.getStatus();
    if (status < 400 || response.hasEntity()) {
      return;
    }
    String path = request.getUriInfo().getPath();
    String message = message(status, path, request);
    if (isApi(path)) {
      response.setEntity(new ApiError(message), null, MediaType.APPLICATION_JSON_TYPE);
      return;
    }
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "Error " + status
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    response.setEntity(
        Templates.error(title, message).render(),
        null,
        MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
  }

  static boolean isApi(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  private static String message(int status, String path, ContainerRequestContext request) {
    MediaType type = request.getMediaType();
    boolean form = type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
    if (status == 400 && form) {
      return isApi(path)
          ? "the API takes JSON; a form post is accepted only from the dashboard with its CSRF token"
          : "the form's CSRF token is missing or does not match; reload the page and submit it again";
    }
    if (status == 415) {
      return "content type " + type + " is not supported on " + path;
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    String reason = known == null ? "error" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    return reason + " (" + status + ") on " + request.getMethod() + " " + path;
  }
}
