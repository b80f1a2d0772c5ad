package io.xscore.gateway.service;

import io.xscore.support.problem.ProblemException;

/** A caller's evaluations or jobs in flight are at the limit (429, with Retry-After). */
public class TooManyInFlightException extends ProblemException {

    /** Jobs take minutes at the least: asking again sooner than this only adds load. */
    static final int RETRY_AFTER_SECONDS = 60;

    public TooManyInFlightException(String detail) {
        super(429, "too-many-in-flight", "Too much work in flight", detail, null);
    }

    @Override
    public int retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
