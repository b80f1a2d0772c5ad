package io.xscore.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.gateway.planner.InvalidRequestException;
import jakarta.validation.constraints.Size;

/**
 * The optional body of {@code POST /api/v1/evaluations/{id}/cancel}: {@code {"reason": "..."}}; other fields are
 * ignored. The length is a constraint; that the reason is a JSON string is checked as it is read (a number or
 * {@code true} would otherwise silently become text).
 */
record CancelRequest(@Size(max = 500, message = CancelRequest.REASON) String reason) {

    static final String REASON = "must be a string of at most 500 characters";

    static final CancelRequest NONE = new CancelRequest(null);

    /** From the body's JSON tree: an object, null or nothing. */
    static CancelRequest of(JsonNode tree) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return NONE;
        }
        if (!tree.isObject()) {
            throw new InvalidRequestException("body", "expected a JSON object {\"reason\": \"...\"}");
        }
        JsonNode reason = tree.get("reason");
        if (reason == null || reason.isNull()) {
            return NONE;
        }
        if (!reason.isTextual()) {
            throw new InvalidRequestException("reason", REASON);
        }
        return new CancelRequest(reason.asText());
    }
}
