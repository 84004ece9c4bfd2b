package io.mxwatch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Gives the API's framework errors (wrong method, wrong content type) a JSON body with a message,
 * as every other API error has. Dashboard pages keep the framework's responses.
 */
// NOTE: EmptyErrorFilter also fills bodiless API errors; this mapper only words 405, 406 and 415
// more precisely, and the two could become one.
public class ApiErrorMapper {

  @ServerExceptionMapper
  public Response map(
      WebApplicationException error, UriInfo uri, Request request, HttpHeaders headers) {
    Response original = error.getResponse();
    String path = uri.getPath();
    if (!EmptyErrorFilter.isApi(path) || original.hasEntity()) {
      return original;
    }
    // Quarkus wraps a body that does not parse as JSON in a 400 without an entity.
    if (error.getCause() instanceof JsonProcessingException json) {
      return Response.status(Response.Status.BAD_REQUEST)
          .type(MediaType.APPLICATION_JSON)
          .entity(new ApiError(DomainApi.describe(json) + DomainApi.EXAMPLE_BODY))
          .build();
    }
    int status = original.getStatus();
    String message =
        switch (status) {
          case 405 ->
              "method "
                  + request.getMethod()
                  + " is not allowed on "
                  + path
                  + allowed(original.getHeaderString(HttpHeaders.ALLOW));
          case 406 -> "the API answers only with application/json";
          case 415 ->
              "content type "
                  + headers.getHeaderString(HttpHeaders.CONTENT_TYPE)
                  + " is not supported here; send application/json";
          default ->
              original.getStatusInfo().getReasonPhrase().toLowerCase(Locale.ROOT)
                  + " ("
                  + status
                  + ")";
        };
    return Response.fromResponse(original)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(message))
        .build();
  }

  private static String allowed(String allow) {
    return allow == null || allow.isBlank() ? "" : "; allowed: " + allow;
  }
}
