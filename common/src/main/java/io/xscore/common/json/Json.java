package io.xscore.common.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration for messages: ISO-8601 UTC times, unknown fields rejected, and nothing accepted after
 * the JSON value (a body such as {@code {"a":1} garbage} is malformed, not {@code {"a":1}}).
 */
public final class Json {

    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    /** Applies the message settings to a mapper (Quarkus services pass in their CDI mapper). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private Json() {
    }
}
