package io.xscore.support.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Says at every start whether the API checks tokens, and refuses to start a service that would check them without a
 * key to check them with (every call would be a 401 that no caller can fix). Switching authentication off must never go
 * unnoticed: it is a warning in the log of each start, not only a line in a configuration file. Services without a
 * token mechanism (no protected endpoint) say nothing.
 */
@Singleton
public class AuthSwitch {

    private static final Logger LOG = Logger.getLogger(AuthSwitch.class);
    static final String KEY = "mp.jwt.verify.publickey.location";
    static final String INLINE_KEY = "mp.jwt.verify.publickey";
    static final String ISSUER = "mp.jwt.verify.issuer";

    private final AuthConfig config;
    private final Instance<HttpAuthenticationMechanism> mechanisms;
    private final Config settings;

    /**
     * Whether this service verifies bearer tokens (has quarkus-smallrye-jwt's mechanism): Quarkus may register other
     * mechanisms on its own, so their mere presence says nothing.
     */
    boolean checksBearerTokens() {
        return mechanisms.stream().anyMatch(m -> m.getCredentialTypes().contains(TokenAuthenticationRequest.class));
    }

    public AuthSwitch(AuthConfig config, Instance<HttpAuthenticationMechanism> mechanisms, Config settings) {
        this.config = config;
        this.mechanisms = mechanisms;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent start) {
        if (!checksBearerTokens()) {
            return;
        }
        if (!config.enabled()) {
            LOG.warn("AUTHENTICATION IS OFF (xscore.auth.enabled=false): every caller acts as an admin named "
                    + "'anonymous'. Use this on a single-user machine only; set XSCORE_AUTH_ENABLED=true (the default) "
                    + "anywhere else.");
            return;
        }
        boolean hasKey = settings.getOptionalValue(KEY, String.class).isPresent()
                || settings.getOptionalValue(INLINE_KEY, String.class).isPresent();
        if (!hasKey) {
            throw new IllegalStateException("authentication is on but no key verifies tokens: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM public key file, or the identity provider's JWKS URL) "
                    + "and MP_JWT_VERIFY_ISSUER, or XSCORE_AUTH_ENABLED=false on a single-user machine");
        }
        LOG.infof("bearer tokens required on protected endpoints; trusted issuer %s, key %s",
                settings.getOptionalValue(ISSUER, String.class).orElse("(any)"),
                settings.getOptionalValue(KEY, String.class).orElse("(inline)"));
    }
}
