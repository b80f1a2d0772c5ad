package io.xscore.gateway.planner;

import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.RobustnessSpec;
import jakarta.validation.GroupSequence;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An evaluation request as submitted (over REST or on Kafka), read from a JSON tree that already satisfies the shared
 * schema {@code evaluation-request.v1.json}, with what the schema cannot know as Bean Validation constraints: the
 * models, datasets and protocol must be ones the platform knows, and the overrides must apply to the protocol.
 * <p>
 * The checks run in this order, and validation stops at the first step that fails ({@link GroupSequence}), so a
 * caller is told about the first problem in the order the gateway has always reported them: models, then datasets,
 * then the protocol, then its overrides (which need a known protocol). The job budget is not here: its limit is
 * configuration, not a property of the request ({@link RequestValidator} checks it last).
 * <p>
 * Same components as common's {@link EvaluationRequest} (the message record, which carries no constraints).
 */
@GroupSequence({SubmittedRequest.class, SubmittedRequest.Datasets.class, SubmittedRequest.Protocol.class,
        SubmittedRequest.Overrides.class})
@ResolvableOverrides(groups = SubmittedRequest.Overrides.class)
public record SubmittedRequest(
        int schemaVersion,
        String evaluationId,
        List<@KnownModel String> models,
        List<@KnownDataset(groups = Datasets.class) String> datasets,
        List<Long> seeds,
        @KnownProtocol(groups = Protocol.class) String protocol,
        Map<String, Integer> overrides,
        String requestedBy,
        Instant requestedAt,
        RobustnessSpec robustness) {

    /** Second step: the datasets (the first, the default group, is the models). */
    public interface Datasets {
    }

    /** Third step: the protocol. */
    public interface Protocol {
    }

    /** Fourth step: the overrides, against the (known) protocol. */
    public interface Overrides {
    }

    /** The message record. */
    public EvaluationRequest toRecord() {
        return new EvaluationRequest(schemaVersion, evaluationId, models, datasets, seeds, protocol, overrides,
                requestedBy, requestedAt, robustness);
    }
}
