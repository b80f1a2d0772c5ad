package io.xscore.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.json.Json;
import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.support.problem.JsonFields;
import io.xscore.support.problem.ProblemException;
import java.io.IOException;

/**
 * How the evaluation endpoints read a body: the size limit on the raw bytes first (413, before anything is parsed),
 * then JSON syntax with common's strict mapper (nothing after the value), errors in words that name no Java type.
 * The endpoints take the raw bytes rather than a type Quarkus binds because the limit must come before the parse and
 * the JSON Schema must see the tree as sent.
 */
final class JsonBody {

    private JsonBody() {
    }

    /** The body as a JSON tree; a missing node for an empty body. */
    static JsonNode read(byte[] body, int limit) {
        if (body != null && body.length > limit) {
            throw ProblemException.tooLarge(body.length, limit);
        }
        try {
            return Json.MAPPER.readTree(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "malformed JSON: " + JsonFields.syntaxError(e));
        } catch (IOException e) {
            throw new InvalidRequestException("body", "malformed JSON");
        }
    }
}
