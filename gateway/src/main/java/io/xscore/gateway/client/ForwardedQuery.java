package io.xscore.gateway.client;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.net.URI;

/**
 * Puts a caller's query string, raw (still percent-encoded, parameters in their order, repeated ones repeated), on a
 * proxied request: the REST client's own query parameters would decode and re-encode it, and could only name the
 * parameters the gateway knows of. The query travels from the proxy method to here in the {@link #HEADER}
 * pseudo-header, which is removed before the request is sent.
 * <p>
 * The query must already be known to be a valid URI query ({@link #valid(String)}): the caller checks it first, so
 * that a bad one is the caller's 400, not a failure of the call.
 */
public class ForwardedQuery implements ClientRequestFilter {

    /** Carries the raw query from the client method to this filter; never sent. */
    public static final String HEADER = "X-Xscore-Forwarded-Query";

    @Override
    public void filter(ClientRequestContext request) {
        Object query = request.getHeaders().getFirst(HEADER);
        request.getHeaders().remove(HEADER);
        if (query != null) {
            request.setUri(URI.create(request.getUri() + "?" + query));
        }
    }

    /** Whether {@code query} (raw, without the '?') can follow a path in a URI; null is no query, valid. */
    public static boolean valid(String query) {
        if (query == null) {
            return true;
        }
        try {
            return URI.create("http://scoring/?" + query).getRawQuery() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
