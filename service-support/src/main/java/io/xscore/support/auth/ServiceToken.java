package io.xscore.support.auth;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Puts this service's own bearer token ({@code xscore.auth.service-token-file}) on the calls of a REST client that
 * registers it ({@code @RegisterProvider(ServiceToken.class)}): the clients that call another service's protected
 * endpoints. The file is read again when its modification time changes (a Kubernetes Secret or projected token is
 * replaced in place when it rotates); a call whose request already has an Authorization header keeps it.
 */
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION)
public class ServiceToken implements ClientRequestFilter {

    private final AuthConfig config;
    private volatile Cached cached;

    public ServiceToken(AuthConfig config) {
        this.config = config;
    }

    private record Cached(Path file, FileTime modified, String token) {
    }

    @Override
    public void filter(ClientRequestContext request) {
        if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
            return;
        }
        String token = current();
        if (token != null) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
    }

    /** The token in the file now, or null when no file is configured. */
    String current() {
        Path file = config.serviceTokenFile().orElse(null);
        if (file == null) {
            return null;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Cached c = cached;
            if (c != null && c.file().equals(file) && c.modified().equals(modified)) {
                return c.token();
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            cached = new Cached(file, modified, token);
            return token;
        } catch (IOException e) {
            // A missing token must not look like an anonymous call that "worked": fail the call, naming the setting.
            throw new UncheckedIOException("xscore.auth.service-token-file cannot be read", e);
        }
    }
}
