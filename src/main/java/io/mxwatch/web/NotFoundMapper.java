package io.mxwatch.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps a missing resource to 404 with the reason, as JSON under {@code /api/} and as a dashboard
 * page elsewhere. The reason names the domain that is not registered, or the path when no resource
 * matched it.
 */
public class NotFoundMapper {
  @CheckedTemplate
  static class Templates {
    static native TemplateInstance notFound(String message);
  }

  @ServerExceptionMapper
  public Response unknownDomain(UnknownDomainException error, UriInfo uri) {
    return notFound(uri.getPath(), error.getMessage());
  }

  @ServerExceptionMapper
  public Response noResource(NotFoundException error, UriInfo uri) {
    return notFound(uri.getPath(), "nothing is found at " + uri.getPath());
  }

  private static Response notFound(String path, String message) {
    if (EmptyErrorFilter.isApi(path)) {
      return Response.status(Response.Status.NOT_FOUND)
          .type(MediaType.APPLICATION_JSON)
          .entity(new ApiError(message))
          .build();
    }
    return Response.status(Response.Status.NOT_FOUND)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(Templates.notFound(message).render())
        .build();
  }
}
