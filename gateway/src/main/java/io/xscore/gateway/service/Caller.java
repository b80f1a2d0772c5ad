package io.xscore.gateway.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.xscore.common.auth.Roles;

/**
 * Who makes a request: the verified token's principal (its {@code upn}, else {@code preferred_username}, else
 * {@code sub}) and whether it is an admin. An evaluation records its caller as {@code submittedBy}; only that caller
 * or an admin may cancel it.
 */
public record Caller(String name, boolean admin) {

    public static Caller of(SecurityIdentity identity) {
        return new Caller(identity.getPrincipal().getName(), identity.hasRole(Roles.ADMIN));
    }

    /** Whether this caller may act on an evaluation {@code submittedBy} someone. */
    public boolean owns(String submittedBy) {
        return admin || name.equals(submittedBy);
    }
}
