package io.xscore.support.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Authentication of the services' APIs (prefix {@code xscore.auth}). Which tokens are valid is smallrye-jwt's
 * configuration ({@code mp.jwt.verify.issuer}, {@code mp.jwt.verify.publickey.location}: a PEM file or the identity
 * provider's JWKS URL, {@code smallrye.jwt.path.groups} for where the roles are); this is the switch and the token the
 * service itself presents.
 */
@ConfigMapping(prefix = "xscore.auth")
public interface AuthConfig {

    /**
     * Bearer tokens required (the default). {@code false} lets every caller in as an admin named {@code anonymous}:
     * meant for a laptop, never for a shared deployment, and logged as a warning at every start.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * A file holding the bearer token this service sends on its calls to other services' protected endpoints (the
     * {@code service} role). Read again whenever it changes, so a rotated Secret or projected token is picked up
     * without a restart. Unset: calls go without a token (which a service with authentication on refuses).
     */
    Optional<Path> serviceTokenFile();
}
