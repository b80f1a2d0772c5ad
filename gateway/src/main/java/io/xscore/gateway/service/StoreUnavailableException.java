package io.xscore.gateway.service;

import io.xscore.support.problem.ProblemException;

/** MongoDB could not be reached for a request (503); the detail names no address. */
public class StoreUnavailableException extends ProblemException {
    public StoreUnavailableException(Throwable cause) {
        super(503, "store-unavailable", "The evaluation store is unavailable",
                "the gateway's database did not answer; retry later (with the same evaluationId, a retry is safe)", null, cause);
    }
}
