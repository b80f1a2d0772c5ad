package io.xscore.fault;

import java.net.http.HttpRequest;

/**
 * The bearer token the benchmarks send to the gateway: the system property {@code xscore.token} (tests running a
 * benchmark in their own JVM), else {@code XSCORE_TOKEN}, which {@code ./xscore bench} sets to a token of the local
 * stack's issuer (neither: no header, for a stack with authentication off).
 */
final class GatewayToken {

    private GatewayToken() {
    }

    static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String token = System.getProperty("xscore.token", System.getenv("XSCORE_TOKEN"));
        return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token.strip());
    }
}
