package io.xscore.support.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.xscore.common.auth.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Gives every identity the roles its roles imply ({@link Roles#withImplied}), so endpoints name the least role they need
 * and an identity provider assigns one role per person. With authentication switched off
 * ({@code xscore.auth.enabled=false}) the anonymous caller becomes {@value #ANONYMOUS}, an admin.
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    /** The caller's name when authentication is off. */
    public static final String ANONYMOUS = "anonymous";

    private final AuthConfig config;

    public RoleHierarchy(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            if (config.enabled()) {
                return Uni.createFrom().item(identity);
            }
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(ANONYMOUS))
                    .addRoles(Roles.withImplied(List.of(Roles.ADMIN)))
                    .build());
        }
        Set<String> roles = Roles.withImplied(identity.getRoles());
        if (roles.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
