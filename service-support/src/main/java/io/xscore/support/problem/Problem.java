package io.xscore.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), the one error shape of every xScore service.
 * {@code type} is {@code urn:xscore:problem:<slug>}; {@code field} names the offending request field (a JSON-path-like
 * name such as {@code models[1]}) or query parameter where there is one; {@code instance} is the request path.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "urn:xscore:problem:";

    public static Problem of(int status, String slug, String title, String detail, String instance, String field) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, field);
    }
}
