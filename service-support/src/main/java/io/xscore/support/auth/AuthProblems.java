package io.xscore.support.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.xscore.support.problem.Problem;
import io.xscore.support.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * 401 and 403 as problem+json, like every other error. A 401 carries the RFC 6750 challenge
 * ({@code WWW-Authenticate: Bearer}, with {@code error="invalid_token"} when a token was sent and refused) and says why
 * in words a caller can act on (none sent, expired, another issuer, bad signature), never the token or the key. These
 * reach JAX-RS because authentication is lazy ({@code quarkus.http.auth.proactive=false}): a token is checked when an
 * endpoint that needs a role is called.
 */
public class AuthProblems {

    private static final Logger LOG = Logger.getLogger(AuthProblems.class);
    static final String REALM = "xscore";

    /** No token at all (an anonymous caller on an endpoint that needs a role). */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(ProblemMappers.respond(Problem.of(401, "unauthenticated",
                        "Authentication required",
                        "send a bearer token: Authorization: Bearer <token>", uri.getPath(), null)))
                .header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"").build();
    }

    /** A token was sent and refused. */
    @ServerExceptionMapper
    public Response invalidToken(AuthenticationFailedException e, UriInfo uri) {
        String why = reason(e);
        LOG.debugf("401 %s: %s", uri.getPath(), why);
        return Response.fromResponse(ProblemMappers.respond(Problem.of(401, "invalid-token", "Invalid bearer token",
                        why, uri.getPath(), null)))
                .header("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", "
                        + "error_description=\"" + why + "\"").build();
    }

    /** Authenticated, but without the role the endpoint needs (or, for an evaluation, not its submitter). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        String message = e.getMessage();
        String detail = message == null || message.isBlank()
                ? "the caller's roles do not allow this request" : message;
        return ProblemMappers.respond(Problem.of(403, "forbidden", "Forbidden", detail, uri.getPath(), null));
    }

    /** Why a token was refused, from jose4j's error codes (smallrye-jwt wraps its exception). */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException jwt) {
                if (jwt.hasExpired()) {
                    return "the bearer token has expired";
                }
                if (jwt.hasErrorCode(ErrorCodes.ISSUER_INVALID) || jwt.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the bearer token was not issued by the issuer this service trusts";
                }
                if (jwt.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || jwt.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "the bearer token is not meant for this service (audience)";
                }
                if (jwt.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "the bearer token's signature does not verify";
                }
                if (jwt.hasErrorCode(ErrorCodes.NOT_YET_VALID) || jwt.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return "the bearer token is not valid yet";
                }
                return "the bearer token is not valid";
            }
        }
        return "the bearer token could not be verified (malformed, or signed with an unknown key)";
    }
}
