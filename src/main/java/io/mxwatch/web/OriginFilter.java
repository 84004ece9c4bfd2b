package io.mxwatch.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rejects state-changing requests that a browser sends on behalf of another site, on the API and
 * the dashboard alike. The API has no session to protect with a token, and a dashboard form without
 * fields reaches the server without one, so both rely on the {@code Sec-Fetch-Site} and {@code
 * Origin} headers that browsers set. Clients that are not browsers send neither header and are let
 * through.
 */
public class OriginFilter {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  @ServerRequestFilter(preMatching = true)
  public Response filter(ContainerRequestContext request) {
    if (SAFE_METHODS.contains(request.getMethod())) {
      return null;
    }
    String fetchSite = request.getHeaderString("Sec-Fetch-Site");
    if (fetchSite != null && fetchSite.toLowerCase(Locale.ROOT).equals("cross-site")) {
      return forbidden(request, "cross-site requests that change state are rejected");
    }
    String origin = request.getHeaderString("Origin");
    String host = request.getHeaderString("Host");
    // Browsers send "Origin: null" from sandboxed and other opaque contexts: not this site either.
    if (origin != null && (host == null || !sameHost(origin, host))) {
      return forbidden(request, "requests from origin " + origin + " are rejected");
    }
    return null;
  }

  private static boolean sameHost(String origin, String host) {
    try {
      URI uri = URI.create(origin);
      String authority = uri.getAuthority();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Response forbidden(ContainerRequestContext request, String message) {
    Response.ResponseBuilder response = Response.status(Response.Status.FORBIDDEN);
    if (request.getUriInfo().getPath().startsWith("/api/")) {
      return response.type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
    return response.type(MediaType.TEXT_PLAIN).entity(message + "\n").build();
  }
}
