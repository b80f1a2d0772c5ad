package io.xscore.scoring.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail ({@code application/problem+json}). {@code field} names the offending input. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "urn:xscore:problem:";
}
