package io.xscore.support.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Makes Quarkus REST's own ObjectMapper (the one that binds typed request bodies such as the dataset service's
 * registration and augmentation requests) as strict as common's {@code Json.MAPPER}:
 * <ul>
 *   <li>{@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS}: {@code {"path":"/a"} garbage} is a 400, not a
 *       registration of {@code /a} with the rest ignored;</li>
 *   <li>{@link DeserializationFeature#ACCEPT_FLOAT_AS_INT} off: {@code "resolution": 32.7} is a 400, not silently
 *       32.</li>
 * </ul>
 * Unknown properties stay allowed (Quarkus's default): the typed bodies are records whose resources check what they
 * need, and failing on unknown fields globally would also apply to every other typed body a service may add.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
